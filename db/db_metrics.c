/* db_metrics — the counts /metrics reads from the database, and the named
 * counters (table counters) the daemon keeps there (see db.h). */
#include <stdio.h>
#include <string.h>

#include "db/db_internal.h"

/* Each count is kept by triggers (db_schema.c, migration 9 -> 10) in the counters
 * table: "metric.<what>" alone, or "metric.<what>.<label>" per label. */
static const char *const metric_prefix[] = {
	[DB_METRIC_TIPS] = "metric.tips.",
	[DB_METRIC_ACKS] = "metric.acks",
	[DB_METRIC_ESCALATIONS] = "metric.escalations.",
	[DB_METRIC_OUTBOX_QUEUED] = "metric.queued.",
	[DB_METRIC_OUTBOX_FAILED] = "metric.failed.",
	/* every claim counts an attempt; those that did not end in "sent" (and
	 * are not in flight) failed */
	[DB_METRIC_SEND_ERRORS] = "metric.send_errors.",
	[DB_METRIC_INBOUND_TODO] = "metric.inbound_todo",
	[DB_METRIC_TIPS_OPEN] = "metric.open",
	/* new tips waiting with nobody on duty at any level */
	[DB_METRIC_TIPS_UNSTAFFED] = "metric.unstaffed",
	[DB_METRIC_CALLS] = "calls.",
};

int
db_metric(struct db *db, enum db_metric which, struct db_count *out, size_t max, size_t *n)
{
	*n = 0;
	if ((int)which < 0 || which >= DB_METRIC_COUNT)
		return -1;
	/* names are ASCII: the range reads the prefix's rows from the key */
	sqlite3_stmt *st = db_stmt(db, "SELECT substr(name, length(?1) + 1), value FROM counters "
	    "WHERE name >= ?1 AND name < ?1 || char(127) AND substr(name, 1, length(?1)) = ?1 "
	    "ORDER BY name");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, metric_prefix[which], -1, SQLITE_STATIC);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		const unsigned char *label = sqlite3_column_text(st, 0);
		snprintf(out[*n].label, sizeof out[*n].label, "%s", label ? (const char *)label : "");
		out[*n].n = sqlite3_column_int64(st, 1);
		(*n)++;
	}
	if (rc != SQLITE_ROW && rc != SQLITE_DONE) {
		db_fail(db, "metrics");
		sqlite3_reset(st);
		return -1;
	}
	sqlite3_reset(st);
	if (*n == 0 && max > 0 && metric_prefix[which][strlen(metric_prefix[which]) - 1] != '.') {
		/* a count without labels is always there, 0 until it moves */
		out[0].label[0] = '\0';
		out[0].n = 0;
		*n = 1;
	}
	return 0;
}

/* The buckets the triggers keep (db_schema.c, ACK_BUCKET in migration 9 -> 10):
 * counters "metric.ack_le.<bound>" (and "metric.ack_le.inf"), the tips
 * acknowledged within that bound and over the one before. */
static const int64_t ack_bounds[] = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400 };
#define N_ACK_BOUNDS (sizeof ack_bounds / sizeof ack_bounds[0])

int
db_ack_histogram(struct db *db, const int64_t *le, size_t n, int64_t *counts, int64_t *count,
    int64_t *sum)
{
	*count = *sum = 0;
	memset(counts, 0, n * sizeof *counts);
	int64_t bucket[N_ACK_BOUNDS];
	for (size_t j = 0; j < N_ACK_BOUNDS; j++) {
		char name[40];
		snprintf(name, sizeof name, "metric.ack_le.%lld", (long long)ack_bounds[j]);
		if (db_counter_get(db, name, &bucket[j]) < 0)
			return -1;
	}
	for (size_t i = 0; i < n; i++) {
		size_t j = 0;
		while (j < N_ACK_BOUNDS && ack_bounds[j] != le[i])
			j++;
		if (j == N_ACK_BOUNDS)
			return db_set_error(db, "ack histogram: a bound the database does not keep");
		for (size_t k = 0; k <= j; k++)
			counts[i] += bucket[k];
	}
	if (db_counter_get(db, "metric.acks", count) < 0 ||
	    db_counter_get(db, "metric.ack_sum", sum) < 0)
		return -1;
	return 0;
}

int
db_outbox_waiting(struct db *db, int64_t *n, int64_t *oldest, char channel[16])
{
	*n = *oldest = 0;
	channel[0] = '\0';
	/* the count is the triggers' (metric.queued.CHANNEL), the oldest the
	 * head of outbox_waiting_age: the same cost at 10 or 100,000 waiting */
	sqlite3_stmt *st = db_stmt(db, "SELECT coalesce(sum(value), 0) FROM counters "
	    "WHERE name >= 'metric.queued.' AND name < 'metric.queued/'");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*n = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "outbox waiting");
	if (!*n)
		return 0;
	st = db_stmt(db, "SELECT created_at, channel FROM outbox WHERE state IN "
	    "('queued','sending') ORDER BY created_at, id LIMIT 1");
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*oldest = sqlite3_column_int64(st, 0);
		const unsigned char *c = sqlite3_column_text(st, 1);
		snprintf(channel, 16, "%s", c ? (const char *)c : "");
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "outbox waiting");
}

/* ------------------------------------------------------------ counters */

int
db_inbound_unrouted(struct db *db, int64_t *n)
{
	return db_counter_get(db, "metric.inbound_todo", n);
}

int
db_counter_add(struct db *db, const char *name, int64_t delta)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO counters(name, value) VALUES (?1, ?2) "
	    "ON CONFLICT(name) DO UPDATE SET value = value + ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, delta);
	return db_step_done(db, st, "counter");
}

int
db_counter_get(struct db *db, const char *name, int64_t *value)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT value FROM counters WHERE name = ?1");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	int rc = sqlite3_step(st);
	*value = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return (rc == SQLITE_ROW || rc == SQLITE_DONE) ? 0 : db_fail(db, "counter");
}

int
db_counter_set(struct db *db, const char *name, int64_t value)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO counters(name, value) VALUES (?1, ?2) "
	    "ON CONFLICT(name) DO UPDATE SET value = ?2");
	if (!st)
		return -1;
	sqlite3_bind_text(st, 1, name, -1, SQLITE_STATIC);
	sqlite3_bind_int64(st, 2, value);
	return db_step_done(db, st, "counter");
}
