/* db_metrics — the counts /metrics reads from the database, and the named
 * counters (table counters) the daemon keeps there (see db.h). */
#include <stdio.h>
#include <string.h>

#include "db/db_internal.h"

/* Each count is kept by triggers (db.c, migration 8 -> 9) in the counters
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
	[DB_METRIC_OPEN] = "metric.open",
};

int
db_metric(struct db *db, enum db_metric which, struct db_count *out, size_t max, size_t *n)
{
	*n = 0;
	if ((int)which < 0 || which >= DB_METRIC_COUNT)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "SELECT substr(name, length(?1) + 1), value FROM counters "
	    "WHERE substr(name, 1, length(?1)) = ?1 ORDER BY name");
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
