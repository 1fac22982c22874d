/* zalo_in — the Zalo webhooks' admission: checks the OA signature or the
 * bot secret, reads what Zalo sent (oa_event.c, bot_update.c), and admits it
 * through the writer with the facts the router needs: a private message, a
 * group message (with the group's chat id), or an event to record (a
 * follow). It admits and nothing else: whether a sender is an officer, and
 * what a group or anybody else gets back, is the router's decision
 * (gateway/route.h). The HTTP status it returns is sent only after the
 * commit. Called on HTTP connection threads; it holds no database
 * connection (the writer has its own), and the writer and identity are
 * borrowed. The reply address (the Zalo id) is stored only sealed, and only
 * its pseudonym reaches a log line.
 */
#ifndef TINBAO_ZALO_IN_H
#define TINBAO_ZALO_IN_H

#include <stddef.h>

struct config;
struct writer;
struct identity;
struct zalo_in;

/* Reads the secret files the config names ([zalo_oa] oa_secret_key_file,
 * [zalo_bot] webhook_secret_file); an endpoint without its secret answers
 * 404. NULL with err on a file that cannot be read. */
struct zalo_in *zalo_in_new(const struct config *cfg, struct writer *w,
    const struct identity *id, char *err, size_t errlen);
void zalo_in_free(struct zalo_in *z);
/* `tinbaod --check-config`: reads those secret files as zalo_in_new() will
 * (nothing kept). 0, or -1 with err. */
int zalo_in_check(const struct config *cfg, char *err, size_t errlen);

/* Handle one POST; returns the HTTP status and a short JSON body in resp. */
int zalo_in_oa(struct zalo_in *z, const char *body, size_t len, const char *signature,
    char *resp, size_t respsz);
int zalo_in_bot(struct zalo_in *z, const char *body, size_t len, const char *secret,
    char *resp, size_t respsz);

#endif
