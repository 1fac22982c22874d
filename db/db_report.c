/* db_report — the facts the period report counts (see db.h, "report"). Each
 * function reads the tips received in [from, to) or what belongs to them;
 * the report module does the counting. Never reads a sender, a pseudonym or
 * a text. */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
copy_col(sqlite3_stmt *st, int col, char *out, size_t outsz)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	snprintf(out, outsz, "%s", s ? (const char *)s : "");
}

static enum tip_status
status_of(sqlite3_stmt *st, int col)
{
	const unsigned char *s = sqlite3_column_text(st, col);
	if (s && strcmp((const char *)s, "closed") == 0)
		return TIP_CLOSED;
	if (s && strcmp((const char *)s, "acknowledged") == 0)
		return TIP_ACKNOWLEDGED;
	return TIP_NEW;
}

/* Collect rows, freeing what was read when it fails. */
static int
collect(struct db *db, sqlite3_stmt *st, int64_t from, int64_t to, size_t size,
    void (*read)(sqlite3_stmt *, void *), void **out, size_t *n, const char *what)
{
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	if (db_collect(db, st, size, read, out, n, what) < 0) {
		free(*out);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

static void
read_tip(sqlite3_stmt *st, void *elem)
{
	struct report_tip *t = elem;
	t->id = sqlite3_column_int64(st, 0);
	copy_col(st, 1, t->code, sizeof t->code);
	copy_col(st, 2, t->channel, sizeof t->channel);
	copy_col(st, 3, t->category, sizeof t->category);
	t->urgent = sqlite3_column_int(st, 4);
	t->status = status_of(st, 5);
	t->level = sqlite3_column_int(st, 6);
	t->created_at = sqlite3_column_int64(st, 7);
	t->first_ack_at = sqlite3_column_int64(st, 8);
	t->acked_at = sqlite3_column_int64(st, 9);
	t->acked_by = sqlite3_column_int64(st, 10);
	t->closed_at = sqlite3_column_int64(st, 11);
	t->notice_at = sqlite3_column_int64(st, 12);
	t->passed_at = sqlite3_column_int64(st, 13);
}

/* A tip's first acknowledgement (see db_report_tips), of tips t. */
#define FIRST_ACK_AT "CASE WHEN t.assigned_to IS NULL THEN t.acked_at " \
	"ELSE (SELECT MIN(x) FROM (SELECT MIN(a.at) AS x FROM audit a WHERE a.tip_id = t.id " \
	"AND a.action = 'tip.ack' UNION ALL SELECT t.acked_at)) END"

int
db_report_tips(struct db *db, int64_t from, int64_t to, struct report_tip **out, size_t *n)
{
	/* A tip handed over (CHUYEN: assigned_to set) lost its acknowledgement
	 * and may have a later one; its first is the earliest tip.ack of the
	 * audit trail. Closing an unacknowledged tip acknowledges it
	 * (db_tip_close), so acked_at covers a close. */
	sqlite3_stmt *st = db_stmt(db, "SELECT t.id, t.code, t.channel, t.category, t.urgent, "
	    "t.status, t.level, t.created_at, " FIRST_ACK_AT ", t.acked_at, t.acked_by, "
	    "t.closed_at, t.notice_at, t.passed_at FROM tips t WHERE t.created_at >= ?1 AND t.created_at < ?2 "
	    "ORDER BY t.created_at, t.id");
	if (!st)
		return -1;
	return collect(db, st, from, to, sizeof **out, read_tip, (void **)out, n, "report tips");
}

static void
read_escalation(sqlite3_stmt *st, void *elem)
{
	struct report_escalation *e = elem;
	e->tip_id = sqlite3_column_int64(st, 0);
	e->from_level = sqlite3_column_int(st, 1);
	e->to_level = sqlite3_column_int(st, 2);
	e->at = sqlite3_column_int64(st, 3);
}

int
db_report_escalations(struct db *db, int64_t from, int64_t to,
    struct report_escalation **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT e.tip_id, e.from_level, e.to_level, e.at "
	    "FROM escalations e JOIN tips t ON t.id = e.tip_id WHERE t.created_at >= ?1 AND "
	    "t.created_at < ?2 ORDER BY e.tip_id, e.at, e.id");
	if (!st)
		return -1;
	return collect(db, st, from, to, sizeof **out, read_escalation, (void **)out, n,
	    "report escalations");
}

static void
read_notified(sqlite3_stmt *st, void *elem)
{
	struct report_notified *r = elem;
	r->tip_id = sqlite3_column_int64(st, 0);
	r->officer_id = sqlite3_column_int64(st, 1);
	r->level = sqlite3_column_int(st, 2);
	r->first_at = sqlite3_column_int64(st, 3);
}

int
db_report_notified(struct db *db, int64_t from, int64_t to, struct report_notified **out,
    size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT n.tip_id, n.officer_id, n.level, n.first_at "
	    "FROM tip_notified n JOIN tips t ON t.id = n.tip_id WHERE t.created_at >= ?1 AND "
	    "t.created_at < ?2 ORDER BY n.tip_id, n.officer_id");
	if (!st)
		return -1;
	return collect(db, st, from, to, sizeof **out, read_notified, (void **)out, n,
	    "report notified");
}

static void
read_relay(sqlite3_stmt *st, void *elem)
{
	struct report_relay *r = elem;
	r->tip_id = sqlite3_column_int64(st, 0);
	r->question = sqlite3_column_int(st, 1);
	r->at = sqlite3_column_int64(st, 2);
}

int
db_report_relay(struct db *db, int64_t from, int64_t to, struct report_relay **out,
    size_t *n)
{
	/* Relayed questions are the only outgoing messages that carry an
	 * officer (relay.c); the tipster's own are direction 'in'. */
	sqlite3_stmt *st = db_stmt(db, "SELECT m.tip_id, m.direction = 'out', m.at "
	    "FROM tip_messages m JOIN tips t ON t.id = m.tip_id WHERE t.created_at >= ?1 AND "
	    "t.created_at < ?2 AND (m.direction = 'in' OR (m.direction = 'out' AND "
	    "m.officer_id IS NOT NULL)) ORDER BY m.tip_id, m.at, m.id");
	if (!st)
		return -1;
	return collect(db, st, from, to, sizeof **out, read_relay, (void **)out, n,
	    "report relay");
}

static void
read_alarm(sqlite3_stmt *st, void *elem)
{
	struct report_alarm *a = elem;
	a->at = sqlite3_column_int64(st, 0);
	copy_col(st, 1, a->code, sizeof a->code);
}

int
db_report_alarms(struct db *db, int64_t from, int64_t to, struct report_alarm **out,
    size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT a.at, t.code FROM audit a LEFT JOIN tips t "
	    "ON t.id = a.tip_id WHERE a.action = 'tip.nobody_on_duty' AND a.at >= ?1 AND "
	    "a.at < ?2 ORDER BY a.at, a.id");
	if (!st)
		return -1;
	return collect(db, st, from, to, sizeof **out, read_alarm, (void **)out, n,
	    "report alarms");
}

/* ------------------------------------------------------- the desk page */

static int
max_of(struct db *db, sqlite3_stmt *st, int64_t *out, const char *what)
{
	*out = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

int
db_channel_last(struct db *db, const char *via, int64_t *last_in, int64_t *last_out)
{
	/* newest first by id (rows are numbered as they come), from the end
	 * of an index by via (migration 11 -> 12): never a walk back over the
	 * other channels' messages */
	sqlite3_stmt *in = db_stmt(db, "SELECT received_at FROM inbound WHERE via = ?1 "
	    "ORDER BY id DESC LIMIT 1");
	if (!in)
		return -1;
	sqlite3_bind_text(in, 1, via, -1, SQLITE_TRANSIENT);
	if (max_of(db, in, last_in, "last received") < 0)
		return -1;
	sqlite3_stmt *out = db_stmt(db, "SELECT sent_at FROM outbox WHERE via = ?1 AND "
	    "state = 'sent' ORDER BY id DESC LIMIT 1");
	if (!out)
		return -1;
	sqlite3_bind_text(out, 1, via, -1, SQLITE_TRANSIENT);
	return max_of(db, out, last_out, "last sent");
}

int
db_report_each_ack(struct db *db, int64_t from, int64_t to,
    void (*fn)(void *arg, int urgent, int64_t created_at, int64_t first_ack_at), void *arg)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT t.urgent, t.created_at, " FIRST_ACK_AT " FROM tips t "
	    "WHERE t.created_at >= ?1 AND t.created_at < ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, from);
	sqlite3_bind_int64(st, 2, to);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		fn(arg, sqlite3_column_int(st, 0), sqlite3_column_int64(st, 1),
		    sqlite3_column_int64(st, 2));
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, "report acknowledgements");
}
