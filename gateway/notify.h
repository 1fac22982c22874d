/* notify — queues messages in the outbox, inside the caller's transaction.
 *
 * Chooses the channel and the text form: citizens are answered on the channel
 * they wrote on, with diacritics unless [gateway] unaccented_sms says
 * otherwise; officers are reached by SMS without diacritics (GSM-7, one or
 * two parts). A citizen's address goes into the outbox only sealed. The
 * caller's thread owns `db`; text is borrowed.
 */
#ifndef TINBAO_NOTIFY_H
#define TINBAO_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct config;
struct tip;

/* 0 / -1 (database error). */
int notify_officer(struct db *db, const struct config *cfg, int64_t officer_id,
    int64_t tip_id, const char *kind, const char *text, int64_t now);
int notify_citizen(struct db *db, const struct config *cfg, const char *channel,
    const unsigned char *sealed, size_t sealed_len, int64_t tip_id, const char *kind,
    const char *text, int64_t now);
int notify_tip_citizen(struct db *db, const struct config *cfg, const struct tip *t,
    const char *kind, const char *text, int64_t now);

#endif
