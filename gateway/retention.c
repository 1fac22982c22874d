/* retention — see retention.h. */
#include "gateway/retention.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "gateway/config.h"

#define RETENTION_COUNTER "retention_day"     /* local YYYYMMDD of the last daily run */

void
retention_report_clear(struct retention_report *r)
{
	free(r->tips);
	memset(r, 0, sizeof *r);
}

static int
append(struct retention_report *r, const struct tip_ref *t)
{
	struct tip_ref *v = realloc(r->tips, (r->ntips + 1) * sizeof *v);
	if (!v)
		return -1;
	r->tips = v;
	r->tips[r->ntips++] = *t;
	return 0;
}

static int
destroy_one(struct db *db, const struct tip_ref *t, int64_t now, const char *actor,
    int64_t retention, struct retention_counts *c)
{
	struct retention_counts one = { 0 };
	if (db_begin(db) < 0)
		return -1;
	char detail[160];
	if (db_retention_destroy_tip(db, t->id, now, 0, &one) < 0)
		goto fail;
	snprintf(detail, sizeof detail, "reply address destroyed after %lldd closed: "
	    "%lld inbound, %lld outbox copies", (long long)(retention / 86400),
	    (long long)one.inbound, (long long)one.outbox);
	if (db_audit(db, now, actor, "address_destroyed", t->id, detail) < 0 ||
	    db_commit(db) < 0)
		goto fail;
	c->tips += one.tips;
	c->inbound += one.inbound;
	c->outbox += one.outbox;
	return 0;
fail:
	db_rollback(db);
	return -1;
}

int
retention_run(struct db *db, const struct config *cfg, int64_t now, int dry_run,
    const char *actor, struct retention_report *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	out->cutoff = now - cfg->retention;
	struct tip_ref cursor = { .closed_at = INT64_MIN };
	for (;;) {
		struct tip_ref *batch = NULL;
		size_t n = 0;
		if (db_retention_due(db, out->cutoff, &cursor, RETENTION_BATCH, &batch, &n) < 0) {
			snprintf(err, errlen, "%s", db_errmsg(db));
			free(batch);
			return -1;
		}
		for (size_t i = 0; i < n; i++) {
			cursor = batch[i];
			int rc = dry_run ? db_retention_destroy_tip(db, batch[i].id, now, 1, &out->counts)
			    : destroy_one(db, &batch[i], now, actor, cfg->retention, &out->counts);
			if (rc < 0 || append(out, &batch[i]) < 0) {
				snprintf(err, errlen, "tip %s: %s", batch[i].code,
				    rc < 0 ? db_errmsg(db) : "out of memory");
				free(batch);
				return -1;
			}
		}
		free(batch);
		if (n < RETENTION_BATCH)
			break;
	}
	struct retention_counts loose = { 0 };
	if (dry_run) {
		if (db_retention_destroy_loose(db, out->cutoff, 1, &loose) < 0)
			goto dbfail;
	} else {
		if (db_begin(db) < 0 || db_retention_destroy_loose(db, out->cutoff, 0, &loose) < 0)
			goto dbfail_rb;
		if (loose.parts || loose.loose) {
			char detail[160];
			snprintf(detail, sizeof detail, "reply addresses destroyed: %lld SMS parts, "
			    "%lld messages without a tip", (long long)loose.parts, (long long)loose.loose);
			if (db_audit(db, now, actor, "address_destroyed", 0, detail) < 0)
				goto dbfail_rb;
		}
		if (db_commit(db) < 0)
			goto dbfail;
		/* copies of the destroyed pages may sit in the WAL until a checkpoint */
		if (out->ntips || loose.parts || loose.loose)
			db_checkpoint(db);
	}
	out->counts.parts = loose.parts;
	out->counts.loose = loose.loose;
	return 0;
dbfail_rb:
	db_rollback(db);
dbfail:
	snprintf(err, errlen, "%s", db_errmsg(db));
	return -1;
}

static int64_t
local_day(int64_t now)
{
	time_t t = (time_t)now;
	struct tm tm;
	if (!localtime_r(&t, &tm))
		return 0;
	return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

int
retention_daily(struct db *db, const struct config *cfg, int64_t now,
    struct retention_report *out, char *err, size_t errlen)
{
	memset(out, 0, sizeof *out);
	int64_t today = local_day(now), last = 0;
	if (db_counter_get(db, RETENTION_COUNTER, &last) < 0) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		return -1;
	}
	if (last >= today)
		return 0;
	if (retention_run(db, cfg, now, 0, "tinbaod", out, err, errlen) < 0)
		return -1;
	if (db_counter_set(db, RETENTION_COUNTER, today) < 0) {
		snprintf(err, errlen, "%s", db_errmsg(db));
		return -1;
	}
	return 1;
}
