/* floodguard — the stale-flood guard, run from the router's tick.
 *
 * After an outage (Zalo down, modem gone) an officer would get a burst of
 * stale notifications. When at least [abuse] flood_min messages asking one
 * officer for an acknowledgement have been queued longer than [abuse]
 * flood_after, they are taken out of the queue (state failed, last_error
 * says why; rows are kept) and replaced by one summary listing the tips
 * still waiting for that officer. While that summary is still queued, any
 * further stale request for the officer (one that was being tried when the
 * others were collapsed, or a new one) is folded into a fresh summary. Queued acknowledgement requests for tips already acknowledged
 * or closed are dropped.
 *
 * Threads: the router's; floodguard_run() opens its own transaction.
 */
#ifndef TINBAO_FLOODGUARD_H
#define TINBAO_FLOODGUARD_H

#include <stdint.h>

struct db;
struct config;

#define FLOODGUARD_MAX_OFFICERS 64
#define FLOODGUARD_MAX_IDS 30       /* tip IDs named in one summary */

/* Returns how many messages it took out of the queue, -1 on error. */
int floodguard_run(struct db *db, const struct config *cfg, int64_t now);

#endif
