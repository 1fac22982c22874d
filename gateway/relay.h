/* relay — officers' HOI (ask the tipster through the gateway) and CHUYEN
 * (hand a tip to another officer), and the way back: a tipster's answer to
 * the officer who asked.
 *
 * The tipster sees "Cán bộ hỏi về tin TB-...", never an officer's name or
 * number; the officer sees the tip's ID and text, never the tipster's
 * address (the reply goes to the tip's sealed address, on the channel the
 * tip came by). A tip without a reply address (none, or destroyed by
 * retention) and a Zalo OA tipster silent for more than 7 days get the
 * officer a clean "HOI failed" answer.
 *
 * Threads: the router's, inside its transaction. Everything is borrowed.
 */
#ifndef TINBAO_RELAY_H
#define TINBAO_RELAY_H

#include <stdint.h>

struct db;
struct config;
struct officer;
struct command;
struct tip;

#define RELAY_OA_WINDOW (7 * 24 * 3600)   /* Zalo OA: replies within 7 days */
#define RELAY_QUESTION_MAX 300            /* characters; with the frame it fits 6 SMS parts */

/* HOI <id> <text> from officer o. 0 / -1 (database error). */
int relay_ask(struct db *db, const struct config *cfg, const struct officer *o,
    const struct command *c, int64_t now);
/* CHUYEN <id> <officer phone or short code> from officer o. 0 / -1. */
int relay_transfer(struct db *db, const struct config *cfg, const struct officer *o,
    const struct command *c, int64_t now);
/* The tipster's text on tip t answers a relayed question: tell the officer
 * who asked last (*asker, when not NULL). 1 told, 0 no question was asked
 * on t, -1. */
int relay_answer(struct db *db, const struct config *cfg, const struct tip *t,
    const char *text, int64_t now, int64_t *asker);

#endif
