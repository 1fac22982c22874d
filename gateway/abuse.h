/* abuse — abuse control by pseudonym and loop protection, for the router.
 *
 * Per-sender limits ([abuse] tips_per_hour, tips_per_day) are counted from
 * the tips table by pseudonym and created_at; a sender over a limit gets one
 * polite refusal per local day. A muted sender (`tinbao sender mute`) is kept
 * on record but never routed or answered. Loop protection: an SMS sender
 * that is a short code (at most 6 digits), alphanumeric, or one of our own
 * modems ([modem NAME] own_number) is never answered, and no sender gets
 * more than [abuse] replies_per_day automatic replies.
 *
 * The decision is taken at routing, not at admission: admission stays a
 * plain "commit before acknowledging" and keeps every message; the router
 * holds the database transaction in which the counts are exact.
 *
 * Threads: abuse_address_answerable() any thread (pure); the rest the
 * router's, inside its transaction. Everything is borrowed.
 */
#ifndef TINBAO_ABUSE_H
#define TINBAO_ABUSE_H

#include <stdint.h>

struct db;
struct config;
struct identity;
struct inbound;

enum abuse_verdict { ABUSE_ERROR = -1, ABUSE_OK = 0, ABUSE_MUTED, ABUSE_LIMITED };

/* Pure: may an automatic reply go to ADDR (the opened sender address) on
 * CHANNEL? 1 yes, 0 no (short code, alphanumeric, our own number). */
int abuse_address_answerable(const struct config *cfg, const char *channel, const char *addr);
/* The same for an admitted message (opens its sealed address). */
int abuse_answerable(const struct config *cfg, const struct identity *id,
    const struct inbound *m);
/* Muted? */
enum abuse_verdict abuse_check_sender(struct db *db, const struct inbound *m);
/* Would a new tip from this sender go over a limit? */
enum abuse_verdict abuse_check_new_tip(struct db *db, const struct config *cfg,
    const struct inbound *m, int64_t now);
/* Count one automatic reply to the sender: 1 may send, 0 over the daily cap, -1. */
int abuse_reply_allowed(struct db *db, const struct config *cfg, const char *pseudonym,
    int64_t now);
/* 1 when the sender has not been refused yet today (recorded now), 0, -1. */
int abuse_first_refusal(struct db *db, const char *pseudonym, int64_t now);

#endif
