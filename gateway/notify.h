/* notify — queues messages in the outbox, inside the caller's transaction.
 *
 * Chooses the channel and the text form: citizens are answered on the channel
 * they wrote on, with diacritics unless [gateway] unaccented_sms says
 * otherwise; officers on their preferred channel, by SMS without diacritics
 * (GSM-7) when that is SMS or a fallback. A citizen's address goes into the outbox only sealed. The
 * caller's thread owns `db`; text is borrowed.
 */
#ifndef TINBAO_NOTIFY_H
#define TINBAO_NOTIFY_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct config;
struct tip;

/* On the officer's preferred channel when it is configured here (Zalo OA or
 * bot, with diacritics), by SMS otherwise. 0 / -1 (database error). */
int notify_officer(struct db *db, const struct config *cfg, int64_t officer_id,
    int64_t tip_id, const char *kind, const char *text, int64_t now);
/* The gateway's answer to an officer's command (kind "reply"): the same
 * channel rule as notify_officer(). tip_id is 0 when no tip is concerned. */
int notify_officer_reply(struct db *db, const struct config *cfg, int64_t officer_id,
    int64_t tip_id, const char *text, int64_t now);
/* By Zalo whatever the preference (the OA or the bot, whichever the officer
 * has an id on and is configured here): for when the SMS side is down.
 * 1 queued, 0 the officer cannot be reached on Zalo, -1 database error. */
int notify_officer_zalo(struct db *db, const struct config *cfg, int64_t officer_id,
    int64_t tip_id, const char *kind, const char *text, int64_t now);
/* The shift leaders on duty at `now` (level 3, or role leader at any level),
 * at most max ids into ids. When no leader is on duty, whoever is on duty at
 * the highest level stands in (*stand_in set to that level, else 0): what a
 * leader must read reaches the most senior officer there is. 0 / -1. */
int notify_leaders_on_duty(struct db *db, int64_t now, int64_t *ids, size_t max, size_t *n,
    int *stand_in);
/* By SMS whatever the preference: the fallback when Zalo fails. */
int notify_officer_sms(struct db *db, const struct config *cfg, int64_t officer_id,
    int64_t tip_id, const char *kind, const char *text, int64_t now);
/* On the named channel ("sms", "zalo_oa", "zalo_bot") whatever the
 * preference: a test of that channel (`tinbao test`). Returns the outbox
 * row's id, 0 when the officer is not active or has no address on that
 * channel, -1 on a database error. */
int64_t notify_officer_on(struct db *db, int64_t officer_id, const char *channel,
    const char *kind, const char *text, int64_t now);
int notify_citizen(struct db *db, const struct config *cfg, const char *channel,
    const unsigned char *sealed, size_t sealed_len, int64_t tip_id, const char *kind,
    const char *text, int64_t now);
/* Post into a Zalo bot group chat (its id is kept plain: a group, not a
 * person); "[@" in the text is neutralised so it mentions nobody. 0 / -1. */
int notify_group(struct db *db, const char *chat, int64_t tip_id, const char *kind,
    const char *text, int64_t now);
/* Post to the officers' Zalo group ([zalo_bot] duty_group) when there is
 * one; the text never names the sender. 0 / -1. */
int notify_duty_group(struct db *db, const struct config *cfg, int64_t tip_id,
    const char *kind, const char *text, int64_t now);
int notify_tip_citizen(struct db *db, const struct config *cfg, const struct tip *t,
    const char *kind, const char *text, int64_t now);

#endif
