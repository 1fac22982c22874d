/* outbox — the one outbox policy: what follows a send.
 *
 * A channel (the modem's sending, the Zalo dispatcher) claims a row, tries
 * it, and says what happened with outbox_report(). It never computes a
 * retry time, gives up, or picks another channel: the outbox decides.
 *
 *   result             the row becomes
 *   OUTBOX_SENT        sent (via: the modem or API that sent it)
 *   OUTBOX_TEMPORARY   queued again after the back-off ([outbox] retry_base
 *                      doubling up to retry_max, gateway/backoff.h), or at
 *                      not_before when the channel knows better (a rate
 *                      limit, a refused token that pauses it), which is
 *                      capped at retry_max too; failed once the row was
 *                      tried [outbox] max_attempts times
 *   OUTBOX_PERMANENT   failed now (refused for good, an address that cannot
 *                      be opened, a text that can never be sent)
 *   OUTBOX_UNKNOWN     the request went out and no complete answer came
 *                      back: it may have been delivered. Failed with
 *                      "outcome unknown", never sent again on that channel
 *                      (Zalo's send APIs take no idempotency key: at most
 *                      once)
 *   OUTBOX_RETURNED    handed back without a real try (the daemon is
 *                      stopping; the channel's credentials were refused and
 *                      are being renewed): queued again, due at not_before
 *                      or now, whatever its attempts
 *
 * An officer's message that fails on a channel other than SMS (given up,
 * permanent, outcome unknown) goes by SMS instead: the row is closed failed
 * with "sent by SMS instead" and the SMS queued in one transaction. A call
 * (channel "voice", gateway/calls.h) is such a message: OUTBOX_SENT means
 * it rang (`why` says how long, and is kept in its audit row), and its
 * final outcome is audited (call.placed, call.failed) and counted in the
 * same transaction as its row. An outcome unknown is never rung again.
 * outbox_fall_back_stale() does the same for officers' messages still queued
 * on Zalo after [outbox] fallback_after; a row a channel has claimed is left
 * to that channel's report. outbox_settle_interrupted() settles the rows a
 * killed daemon left 'sending' on a channel without a "handed" mark.
 *
 * Threads: any thread that owns `db` (its own connection); each call makes
 * its own transactions, so it is not called inside one. The outbox logs each
 * decision once (tag "outbox"); the channel logs only what it alone knows.
 * Ownership: every pointer is borrowed for the call.
 */
#ifndef TINBAO_OUTBOX_H
#define TINBAO_OUTBOX_H

#include <stdint.h>

struct db;
struct config;
struct outbox_item;

#define OUTBOX_STALE_BATCH 32     /* officers' stale Zalo messages re-routed per call */

enum outbox_result {
	OUTBOX_SENT,
	OUTBOX_TEMPORARY,
	OUTBOX_PERMANENT,
	OUTBOX_UNKNOWN,
	OUTBOX_RETURNED,
};

/* Record what happened to the claimed row `it` (it->attempts counts this
 * try) and decide what follows. via: who sent it (OUTBOX_SENT; the channel
 * otherwise may pass NULL); why: the failure, stored in last_error and
 * logged (never a token, an address or the message text); not_before: the
 * channel's own earliest retry, 0 for the outbox's back-off (TEMPORARY,
 * RETURNED; ignored otherwise). 0, or -1 when the database refused the
 * record (logged; the row's claim lease then brings it back). */
int outbox_report(struct db *db, const struct config *cfg, const struct outbox_item *it,
    enum outbox_result result, const char *via, const char *why, int64_t not_before,
    int64_t now);

/* 1 while a claimed call is still wanted (its tip waits for an
 * acknowledgement, or it has none): the modem asks while it rings and hangs
 * up early otherwise. 0 not, -1 on a database error (keep ringing). */
int outbox_call_wanted(struct db *db, const struct outbox_item *it);

/* Officers' messages queued on Zalo since before now - [outbox]
 * fallback_after (at most OUTBOX_STALE_BATCH a call) go by SMS instead: the
 * escalation clock never waited for them. One transaction. Returns how
 * many were re-routed (the caller then wakes the senders), -1 on error. */
int outbox_fall_back_stale(struct db *db, const struct config *cfg, int64_t now);

/* Before a channel that marks no row "handed" sends anything: every row it
 * left 'sending' when the daemon died is reported OUTBOX_UNKNOWN ("why" says
 * so). Returns how many, -1 on error. */
int outbox_settle_interrupted(struct db *db, const struct config *cfg, const char *channel,
    const char *why, int64_t now);

#endif
