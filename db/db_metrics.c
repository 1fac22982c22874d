/* db_metrics — the counts /metrics reads from the database, and the named
 * counters (table counters) the daemon keeps there (see db.h). */
#include <stdio.h>
#include <string.h>

#include "db/db_internal.h"

static const char *const metric_sql[] = {
	[DB_METRIC_TIPS] = "SELECT channel, count(*) FROM tips GROUP BY channel",
	[DB_METRIC_ACKS] = "SELECT '', count(*) FROM tips WHERE acked_at IS NOT NULL",
	[DB_METRIC_ESCALATIONS] = "SELECT CAST(to_level AS TEXT), count(*) FROM escalations "
	    "GROUP BY to_level",
	[DB_METRIC_OUTBOX_QUEUED] = "SELECT channel, count(*) FROM outbox "
	    "WHERE state IN ('queued','sending') GROUP BY channel",
	[DB_METRIC_OUTBOX_FAILED] = "SELECT channel, count(*) FROM outbox WHERE state = 'failed' "
	    "GROUP BY channel",
	/* every claim counts an attempt; those that did not end in "sent" (and
	 * are not in flight) failed */
	[DB_METRIC_SEND_ERRORS] = "SELECT channel, sum(attempts - (state IN ('sent','sending'))) "
	    "FROM outbox GROUP BY channel",
	[DB_METRIC_INBOUND_TODO] = "SELECT '', count(*) FROM inbound WHERE processed_at IS NULL",
	[DB_METRIC_CALLS] = "SELECT substr(name, 7), value FROM counters WHERE name LIKE 'calls.%' "
	    "ORDER BY name",
	[DB_METRIC_TIPS_OPEN] = "SELECT '', count(*) FROM tips WHERE status <> 'closed'",
	[DB_METRIC_TIPS_UNSTAFFED] = "SELECT '', count(*) FROM tips WHERE status = 'new' AND "
	    "waiting = 1",
};

int
db_metric(struct db *db, enum db_metric which, struct db_count *out, size_t max, size_t *n)
{
	*n = 0;
	if ((int)which < 0 || which >= DB_METRIC_COUNT)
		return -1;
	/* the statement cache is keyed by address: one literal per metric */
	sqlite3_stmt *st = db_stmt(db, metric_sql[which]);
	if (!st)
		return -1;
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
	return 0;
}

#define ACK_BOUNDS_MAX 32

int
db_ack_histogram(struct db *db, const int64_t *le, size_t n, int64_t *counts, int64_t *count,
    int64_t *sum)
{
	*count = *sum = 0;
	memset(counts, 0, n * sizeof *counts);
	if (n > ACK_BOUNDS_MAX)
		return db_set_error(db, "ack histogram: too many buckets");
	/* one pass over the acknowledged tips; the bounds are few */
	sqlite3_stmt *st = db_stmt(db, "SELECT max(acked_at - created_at, 0) FROM tips "
	    "WHERE acked_at IS NOT NULL");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		int64_t d = sqlite3_column_int64(st, 0);
		(*count)++;
		*sum += d;
		for (size_t i = 0; i < n; i++)
			if (d <= le[i])
				counts[i]++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "ack histogram");
}

int
db_outbox_waiting(struct db *db, int64_t *n, int64_t *oldest, char channel[16])
{
	*n = *oldest = 0;
	channel[0] = '\0';
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*), min(created_at) FROM outbox "
	    "WHERE state IN ('queued','sending')");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*n = sqlite3_column_int64(st, 0);
		*oldest = sqlite3_column_int64(st, 1);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "outbox waiting");
	if (!*n)
		return 0;
	st = db_stmt(db, "SELECT channel FROM outbox WHERE state IN ('queued','sending') "
	    "ORDER BY created_at, id LIMIT 1");
	if (!st)
		return -1;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *c = sqlite3_column_text(st, 0);
		snprintf(channel, 16, "%s", c ? (const char *)c : "");
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "outbox waiting");
}

/* ------------------------------------------------------------ counters */

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
