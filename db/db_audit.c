/* db_audit — the hash-chained audit trail, the holidays table and the
 * receipt notice of a tip. See db.h. */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Set once per process before any thread opens the database (like the
 * timezone); read-only afterwards. */
static db_audit_hash_fn audit_hash;

void
db_audit_hasher(db_audit_hash_fn fn)
{
	audit_hash = fn;
}

/* The hash of the row before `id` ("" when none or NULL). 0 / -1. */
static int
prev_hash(struct db *db, char out[65])
{
	sqlite3_stmt *st = db_stmt(db, "SELECT hash FROM audit ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	out[0] = '\0';
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) == SQLITE_TEXT)
		snprintf(out, 65, "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "audit head");
}

/* Each seal is "ID:READS:LAST_AT;": at most 3 * 20 + 3 bytes. */
#define SEAL_MAX 64
#define SEALS_MAX 256             /* rows sealed at once, more than any open_max */

/* The read counts not sealed yet, as the seals text of the next row (NULL
 * when there are none). -1 on a database error; the caller frees *out. */
static int
pending_seals(struct db *db, char **out)
{
	*out = NULL;
	sqlite3_stmt *st = db_stmt(db, "SELECT id, reads, last_at FROM audit "
	    "WHERE reads > 1 AND sealed = 0 ORDER BY id LIMIT 256");
	if (!st)
		return -1;
	char *buf = NULL;
	size_t len = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (!buf && !(buf = malloc(SEALS_MAX * SEAL_MAX + 1))) {
			sqlite3_reset(st);
			snprintf(db->err, sizeof db->err, "audit: out of memory");
			return -1;
		}
		len += (size_t)snprintf(buf + len, SEALS_MAX * SEAL_MAX + 1 - len, "%lld:%lld:%lld;",
		    (long long)sqlite3_column_int64(st, 0), (long long)sqlite3_column_int64(st, 1),
		    (long long)sqlite3_column_int64(st, 2));
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		free(buf);
		return db_fail(db, "audit seals");
	}
	*out = buf;
	return 0;
}

static int
audit_insert(struct db *db, int64_t at, const char *actor, const char *officer,
    const char *action, int64_t tip_id, const char *detail)
{
	char prev[65], hash[65], *seals;
	if (prev_hash(db, prev) < 0 || pending_seals(db, &seals) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO audit(at, actor, action, tip_id, detail, "
	    "officer, seals) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)");
	if (!st) {
		free(seals);
		return -1;
	}
	sqlite3_bind_int64(st, 1, at);
	db_bind_text(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_i64_or_null(st, 4, tip_id);
	db_bind_text(st, 5, detail);
	db_bind_text(st, 6, officer);
	db_bind_text(st, 7, seals);
	if (db_step_done(db, st, "audit") < 0) {
		free(seals);
		return -1;
	}
	struct audit_row row = {
		.id = sqlite3_last_insert_rowid(db->h), .at = at, .actor = actor, .action = action,
		.tip_id = tip_id, .detail = detail, .officer = officer, .seals = seals, .reads = 1,
	};
	audit_hash(&row, prev, hash);
	free(seals);
	st = db_stmt(db, "UPDATE audit SET hash = ?2 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, row.id);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	if (db_step_done(db, st, "audit hash") < 0)
		return -1;
	/* what this row sealed counts no more */
	st = db_stmt(db, "UPDATE audit SET sealed = 1 WHERE reads > 1 AND sealed = 0 AND id < ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, row.id);
	return db_step_done(db, st, "audit sealed");
}

/* Run fn inside the caller's transaction, or in one of its own: reading
 * the head and appending must be one step, or two writers could chain to
 * the same row. */
struct audit_args {
	int64_t at;
	const char *actor, *officer, *action, *detail;
	int64_t tip_id, window;
	int open_max;
};

static int
in_tx(struct db *db, int (*fn)(struct db *, const struct audit_args *),
    const struct audit_args *a)
{
	if (!audit_hash) {
		snprintf(db->err, sizeof db->err, "audit: no hash function registered");
		return -1;
	}
	if (!a->actor || !a->action) {
		snprintf(db->err, sizeof db->err, "audit: actor and action are required");
		return -1;
	}
	if (!sqlite3_get_autocommit(db->h))
		return fn(db, a);
	if (db_begin(db) < 0)
		return -1;
	if (fn(db, a) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

static int
append(struct db *db, const struct audit_args *a)
{
	return audit_insert(db, a->at, a->actor, a->officer, a->action, a->tip_id, a->detail);
}

int
db_audit(struct db *db, int64_t at, const char *actor, const char *action, int64_t tip_id,
    const char *detail)
{
	struct audit_args a = { .at = at, .actor = actor, .action = action, .tip_id = tip_id,
		.detail = detail };
	return in_tx(db, append, &a);
}

int
db_audit_for(struct db *db, int64_t at, const char *actor, const char *officer,
    const char *action, int64_t tip_id, const char *detail)
{
	struct audit_args a = { .at = at, .actor = actor, .officer = officer, .action = action,
		.tip_id = tip_id, .detail = detail };
	return in_tx(db, append, &a);
}

/* One int64 from a query with at most one int64 parameter; *out untouched
 * when it answers NULL. 0 / -1. */
static int
query_i64(struct db *db, const char *sql, int64_t p1, int64_t *out)
{
	sqlite3_stmt *st = db_stmt(db, sql);
	if (!st)
		return -1;
	if (sqlite3_bind_parameter_count(st) > 0)
		sqlite3_bind_int64(st, 1, p1);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "audit read");
}

static int
read_or_count(struct db *db, const struct audit_args *a)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, reads, coalesce(last_at, at) FROM audit "
	    "WHERE action = 'tip.read' AND at > ?1 AND at <= ?2 AND sealed = 0 AND actor = ?3 "
	    "AND officer IS ?4 AND tip_id IS ?5 AND detail IS ?6 ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, a->at - a->window);
	sqlite3_bind_int64(st, 2, a->at);
	db_bind_text(st, 3, a->actor);
	db_bind_text(st, 4, a->officer);
	db_bind_i64_or_null(st, 5, a->tip_id);
	db_bind_text(st, 6, a->detail);
	int64_t id = 0, reads = 0, last = 0;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		id = sqlite3_column_int64(st, 0);
		reads = sqlite3_column_int64(st, 1);
		last = sqlite3_column_int64(st, 2);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "audit read");
	if (id) {
		/* counting must not make the row's last read earlier than a row
		 * written after it (a clock that went back), nor open one row too
		 * many */
		int64_t later = 0, open = 0;
		if (query_i64(db, "SELECT max(at) FROM audit WHERE id > ?1", id, &later) < 0 ||
		    query_i64(db, "SELECT count(*) FROM audit WHERE reads > 1 AND sealed = 0", 0,
		    &open) < 0)
			return -1;
		if (later > a->at || last > a->at || (reads == 1 && open >= a->open_max))
			id = 0;
	}
	if (!id)
		return append(db, a);
	st = db_stmt(db, "UPDATE audit SET reads = reads + 1, last_at = ?2 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, a->at);
	return db_step_done(db, st, "audit read");
}

int
db_audit_read(struct db *db, int64_t at, const char *actor, const char *officer,
    int64_t tip_id, const char *detail, int64_t window, int open_max)
{
	struct audit_args a = { .at = at, .actor = actor, .officer = officer,
		.action = "tip.read", .tip_id = tip_id, .detail = detail, .window = window,
		.open_max = open_max };
	return in_tx(db, read_or_count, &a);
}

int
db_audit_each(struct db *db, int64_t tip_id, const char *code,
    int (*fn)(const struct audit_row *row, void *arg), void *arg)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT a.id, a.at, a.actor, a.action, a.tip_id, a.detail, "
	    "a.hash, a.officer, a.seals, a.reads, a.last_at, t.code FROM audit a "
	    "LEFT JOIN tips t ON t.id = a.tip_id "
	    "WHERE ?1 = 0 OR a.tip_id = ?1 OR (?2 IS NOT NULL AND "
	    "instr(a.detail, ?2) > 0) ORDER BY a.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	db_bind_text(st, 2, code);
	int rc, stop = 0;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct audit_row row = {
			.id = sqlite3_column_int64(st, 0),
			.at = sqlite3_column_int64(st, 1),
			.actor = (const char *)sqlite3_column_text(st, 2),
			.action = (const char *)sqlite3_column_text(st, 3),
			.tip_id = sqlite3_column_int64(st, 4),
			.detail = (const char *)sqlite3_column_text(st, 5),
			.hash = (const char *)sqlite3_column_text(st, 6),
			.officer = (const char *)sqlite3_column_text(st, 7),
			.seals = (const char *)sqlite3_column_text(st, 8),
			.reads = sqlite3_column_int64(st, 9),
			.last_at = sqlite3_column_int64(st, 10),
			.tip_code = (const char *)sqlite3_column_text(st, 11),
		};
		/* a row changed by hand may hold NULL where NOT NULL was meant */
		if (!row.actor)
			row.actor = "";
		if (!row.action)
			row.action = "";
		if ((stop = fn(&row, arg)) != 0)
			break;
	}
	sqlite3_reset(st);
	if (stop)
		return stop;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "audit list");
}

int
db_audit_head(struct db *db, int64_t *id, char hash[65])
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, hash FROM audit ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const unsigned char *h = sqlite3_column_text(st, 1);
		*id = sqlite3_column_int64(st, 0);
		snprintf(hash, 65, "%s", h ? (const char *)h : "");
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "audit head");
}

/* ----------------------------------------------------------- holidays */

int
db_holiday_add(struct db *db, const char *day, const char *name)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO holidays(day, name) VALUES (?1, ?2) "
	    "ON CONFLICT(day) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, day);
	db_bind_text(st, 2, name);
	if (db_step_done(db, st, "holiday add") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}

int
db_holiday_remove(struct db *db, const char *day)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM holidays WHERE day = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, day);
	if (db_step_done(db, st, "holiday remove") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}

static void
read_holiday(sqlite3_stmt *st, void *elem)
{
	struct holiday *h = elem;
	const unsigned char *d = sqlite3_column_text(st, 0);
	snprintf(h->day, sizeof h->day, "%s", d ? (const char *)d : "");
	h->name = db_col_text(st, 1);
}

int
db_holiday_list(struct db *db, struct holiday **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT day, name FROM holidays ORDER BY day");
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	return db_collect(db, st, sizeof **out, read_holiday, (void **)out, n, "holiday list");
}

void
holidays_free(struct holiday *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].name);
	free(v);
}

/* ------------------------------------------------------ receipt notice */

int
db_tip_notice_get(struct db *db, int64_t tip_id, int64_t *at)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT notice_at FROM tips WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	int rc = sqlite3_step(st);
	*at = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "tip notice");
}

int
db_tip_notice_set(struct db *db, int64_t tip_id, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET notice_at = ?2 WHERE id = ?1 "
	    "AND notice_at IS NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, at);
	if (db_step_done(db, st, "tip notice") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}

int
db_tip_pass_set(struct db *db, int64_t tip_id, const char *to, int64_t officer_id, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET passed_at = ?2, passed_to = ?3, "
	    "passed_by = ?4 WHERE id = ?1 AND passed_at IS NULL");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, at);
	db_bind_text(st, 3, to);
	db_bind_i64_or_null(st, 4, officer_id);
	if (db_step_done(db, st, "tip pass") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}
