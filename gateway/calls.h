/* calls — when a tip also rings an officer's phone, and what becomes of a
 * call that cannot be made. The policy of the "voice" channel; the modem
 * only dials, lets it ring and hangs up (modem/modem_call.c).
 *
 * A call is an outbox row on channel "voice" (kind "call", or "test_call"
 * from `tinbao test PHONE --call`): dest is the officer's phone (whatever
 * their preferred channel), text the SMS that replaces the call when it
 * cannot be made. It is queued in the transaction of the notification it
 * follows, when the level is in [escalation] call_levels and the time in
 * call_hours (or the tip is urgent and call_urgent is set), at most one
 * waiting per officer and tip. A modem claims it (db_outbox_claim_call)
 * only after the officer's messages about the tip have gone, and never
 * for a tip acknowledged meanwhile. The outbox (outbox.h) records its
 * outcome: audit call.placed / call.failed and the counters behind
 * /metrics' tinbao_calls_total{result}.
 *
 * calls_wanted/calls_queue run inside the caller's transaction (router
 * thread); calls_tick and calls_recover make their own (router thread, and
 * main before the modems start). Pointers are borrowed.
 */
#ifndef TINBAO_CALLS_H
#define TINBAO_CALLS_H

#include <stdint.h>

struct db;
struct config;
struct tip;
struct outbox_item;

#define CALLS_CHANNEL "voice"
#define CALLS_WAIT_MAX 300        /* seconds a call waits for its officer's messages, at most */
#define CALLS_TICK_BATCH 32       /* calls replaced by an SMS per tick, at most */

/* What the modems can do, as the daemon knows it (tinbaod asks them). */
enum calls_voice {
	CALLS_VOICE_UNKNOWN = -1,     /* not every modem has said (starting, reloading) */
	CALLS_VOICE_NONE = 0,         /* no modem here can place calls */
	CALLS_VOICE_SOME = 1,         /* at least one can */
};

/* The results counted for /metrics ("calls." + name in the counters). */
enum calls_result { CALLS_PLACED, CALLS_FAILED, CALLS_NOT_POSSIBLE, CALLS_CANCELLED,
	CALLS_RESULTS };
const char *calls_result_name(enum calls_result r);

/* 1 when `now` is inside [escalation] call_hours (always when empty). */
int calls_in_hours(const struct config *cfg, int64_t now);
/* 1 when an officer told about a tip at `level` now is also rung. */
int calls_wanted(const struct config *cfg, int urgent, int level, int64_t now);
/* Queue a call to the officer about tip t, told at `level`, if wanted, the
 * daemon has a modem, the officer is active, and no call to them about the
 * tip is still waiting. Inside the caller's transaction, after the
 * notification it follows. 0 / -1. */
int calls_queue(struct db *db, const struct config *cfg, const struct tip *t,
    int64_t officer_id, int level, int64_t now);
/* A test call to the officer (kind "test_call", no tip): its outbox id, -1.
 * Own statement. */
int64_t calls_queue_test(struct db *db, int64_t officer_id, const char *phone, int64_t now);
/* Record a call's outcome inside the caller's transaction: the audit row
 * (call.placed, or call.failed for a failure or an impossible call; none for
 * a cancelled one) and its counter. detail: what happened (no number). */
int calls_note(struct db *db, const struct outbox_item *it, enum calls_result r,
    const char *detail, int64_t now);
/* Once a router tick, own transaction: queued calls of tips acknowledged or
 * closed are dropped; when no modem can call (voice CALLS_VOICE_NONE), each
 * queued call is recorded as not possible and replaced by an SMS to its
 * officer. Returns how many SMS were queued (the caller wakes the
 * senders), -1 on error. */
int calls_tick(struct db *db, const struct config *cfg, enum calls_voice voice, int64_t now);
/* At start, before any modem runs: a call a killed daemon left claimed but
 * never handed to a modem goes back to the queue; one the modem had may
 * have rung and is not rung again (outcome unknown: call.failed, an SMS
 * instead). 0 / -1. */
int calls_recover(struct db *db, const struct config *cfg, int64_t now, int *requeued,
    int *unknown);

#endif
