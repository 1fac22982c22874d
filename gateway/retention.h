/* retention — destroys citizens' sealed reply addresses once their tip has
 * been closed for [gateway] retention (docs/domain.md §5); the content stays.
 * Used by `tinbao retention run` and, once a day, by the router thread.
 * Single-threaded per call: the caller's own database connection. Never
 * reports an address: only tracking IDs and counts.
 */
#ifndef TINBAO_RETENTION_H
#define TINBAO_RETENTION_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

struct config;

#define RETENTION_BATCH 256          /* tips per query; one transaction per tip */

struct retention_report {
	struct tip_ref *tips;            /* the tips whose address went (or would go) */
	size_t ntips;
	struct retention_counts counts;
	int64_t cutoff;                  /* closed at or before this */
};
void retention_report_clear(struct retention_report *r);

/* Destroy (dry_run: only find) the addresses due at `now`. actor names who
 * asked, for the audit trail. 0, or -1 with err set (what was done by then
 * stays done, and is in *out). */
int retention_run(struct db *db, const struct config *cfg, int64_t now, int dry_run,
    const char *actor, struct retention_report *out, char *err, size_t errlen);

/* The daemon's daily run: does retention_run once per local day, remembered
 * in the counters table so a restart does not run it again. 1 ran, 0 not due,
 * -1 error (err set; tried again on a later call). */
int retention_daily(struct db *db, const struct config *cfg, int64_t now,
    struct retention_report *out, char *err, size_t errlen);

#endif
