/* dailysum — the daily duty summary and the audit chain's daily anchor.
 *
 * Once a day, at [gateway] daily_summary (local time), the shift leaders on
 * duty (role leader, or on duty at level 3) get one message: open tips,
 * tips nobody has taken, tips waiting for anyone on duty, and the legal
 * deadlines (24 h pass on, 3-working-day notice) due within the next 24
 * hours or overdue. The same step logs the audit chain's head ("audit chain
 * head: row N hash H") so the log anchors the chain (tinbao audit verify
 * --anchor). The day done is kept in the counters table, so it runs exactly
 * once a day across restarts; a daemon started after the hour sends that
 * day's summary at once. Runs on the router thread, on its connection.
 */
#ifndef TINBAO_DAILYSUM_H
#define TINBAO_DAILYSUM_H

#include <stdint.h>

struct config;
struct db;

/* 1 sent (messages queued: wake the senders), 0 nothing to do now, -1
 * error (logged by the caller; retried on the next call). */
int dailysum_run(struct db *db, const struct config *cfg, int64_t now);

#endif
