/* zalo_out — the Zalo dispatcher: one thread owns the libcurl multi handle
 * and every transfer (curl/curl.h is included in webhook/ only).
 *
 * It sends the outbox's Zalo rows: zalo_bot (sendMessage to the chat a
 * citizen wrote from, an officer, a group) and zalo_oa (the v3
 * customer-service message), keeps the OA access token (zalo_token.c), and
 * fetches the files Zalo messages link to (zalo_fetch.c). Every call has
 * connect and total timeouts, goes over https (plain http only to a
 * loopback address, which is how tests reach the local fake), keeps TLS
 * verification on, bounds the answer it reads (gateway/buf.h), and reads
 * Zalo's errors from the body. It only reports what happened to a send
 * (zalo_send.c): retry times, giving up, the SMS fallback of officers'
 * messages and the at-most-once rule are the outbox's (gateway/outbox.h).
 * A 401 from the bot API pauses the bot channel and is logged once. The bot
 * token is part of the URL: URLs are never logged.
 *
 * zalo_out_start()/zalo_out_stop() from the main thread; zalo_out_wake()
 * and zalo_out_health() from any thread.
 */
#ifndef TINBAO_ZALO_OUT_H
#define TINBAO_ZALO_OUT_H

#include <stddef.h>

struct config;
struct identity;
struct zalo_out;

/* Also fetches the files that Zalo messages link to (bounded size and time,
 * only what webhook/zalo_url.h allows) and keeps them in the database.
 * NULL with err when a channel is configured wrongly (token file, api_base
 * not https); NULL with err[0] == '\0' when no Zalo side is configured. */
struct zalo_out *zalo_out_start(const struct config *cfg, const struct identity *id,
    char *err, size_t errlen);
void zalo_out_wake(struct zalo_out *z);

struct zalo_health {
	int bot;                      /* the bot channel is configured */
	long long bot_paused_until;   /* after a refused bot token; 0 when not */
	int oa;                       /* the OA channel is configured */
	long long oa_token_expires;   /* 0: no access token */
	int oa_reauth;                /* the refresh token was refused */
	char last_error[160];
};
/* Any thread; z may be NULL (nothing configured). */
void zalo_out_health(struct zalo_out *z, struct zalo_health *out);
void zalo_out_stop(struct zalo_out *z);
/* `tinbaod --check-config`: the API addresses and the secret files
 * zalo_out_start() and the OA token will read ([zalo_bot] token_file,
 * [zalo_oa] app_secret_key_file and refresh_token_file), read as they will
 * be (nothing kept). 0, or -1 with err. */
int zalo_out_check(const struct config *cfg, char *err, size_t errlen);

#endif
