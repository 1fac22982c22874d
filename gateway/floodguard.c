/* floodguard — see floodguard.h. */
#include "gateway/floodguard.h"

#include <stdio.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/trackid.h"

#define TAG "floodguard"

/* Collapse one officer's queue: one statement takes every stale request
 * out, and the summary names the oldest waiting tips (an indexed walk that
 * stops after FLOODGUARD_MAX_IDS + 1). Returns how many rows were dropped, -1. */
static int
collapse(struct db *db, const struct config *cfg, int64_t officer_id, int64_t now)
{
	struct tip *waiting = NULL;
	size_t nw = 0;
	int dropped = db_outbox_collapse(db, officer_id, now - cfg->flood_after,
	    "collapsed into a summary by the flood guard");
	if (dropped < 0 || db_waiting_for_officer(db, officer_id, FLOODGUARD_MAX_IDS + 1, &waiting,
	    &nw) < 0)
		return -1;
	int more = nw > FLOODGUARD_MAX_IDS;
	size_t k = more ? FLOODGUARD_MAX_IDS : nw;
	char ids[FLOODGUARD_MAX_IDS][24];
	const char *ptrs[FLOODGUARD_MAX_IDS];
	for (size_t i = 0; i < k; i++) {
		trackid_format(cfg->tracking_prefix, waiting[i].code, ids[i], sizeof ids[i]);
		ptrs[i] = ids[i];
	}
	tips_free(waiting, nw);
	if (k) {
		char text[MSG_MAX];
		msg_flood_summary(ptrs, k, more, text);
		if (notify_officer(db, cfg, officer_id, 0, "summary", text, now) < 0)
			return -1;
	}
	char detail[80];
	snprintf(detail, sizeof detail, "officer %lld: %d messages, %s%zu tips waiting",
	    (long long)officer_id, dropped, more ? "more than " : "", k);
	if (db_audit(db, now, "tinbaod", "outbox.collapsed", 0, detail) < 0)
		return -1;
	log_warn(TAG, "officer %lld: %d stale notifications collapsed into one summary of %s%zu "
	    "waiting tip%s", (long long)officer_id, dropped, more ? "more than " : "", k,
	    k == 1 && !more ? "" : "s");
	return dropped;
}

int
floodguard_run(struct db *db, const struct config *cfg, int64_t now)
{
	if (db_begin(db) < 0)
		return -1;
	int total = db_outbox_drop_settled(db);
	if (total > 0)
		log_info(TAG, "%d queued reminder%s of acknowledged or closed tips dropped", total,
		    total == 1 ? "" : "s");
	int64_t officers[FLOODGUARD_MAX_OFFICERS];
	size_t n = 0;
	if (total < 0 || db_outbox_flooded_officers(db, now - cfg->flood_after, cfg->flood_min,
	    officers, FLOODGUARD_MAX_OFFICERS, &n) < 0)
		goto fail;
	for (size_t i = 0; i < n; i++) {
		int d = collapse(db, cfg, officers[i], now);
		if (d < 0)
			goto fail;
		total += d;
	}
	if (db_commit(db) < 0)
		return -1;
	return total;
fail:
	db_rollback(db);
	return -1;
}
