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

static int
audit_insert(struct db *db, int64_t at, const char *actor, const char *action, int64_t tip_id,
    const char *detail)
{
	char prev[65], hash[65];
	if (prev_hash(db, prev) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO audit(at, actor, action, tip_id, detail) "
	    "VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	db_bind_text(st, 2, actor);
	db_bind_text(st, 3, action);
	db_bind_i64_or_null(st, 4, tip_id);
	db_bind_text(st, 5, detail);
	if (db_step_done(db, st, "audit") < 0)
		return -1;
	struct audit_row row = {
		.id = sqlite3_last_insert_rowid(db->h), .at = at, .actor = actor, .action = action,
		.tip_id = tip_id, .detail = detail,
	};
	audit_hash(&row, prev, hash);
	st = db_stmt(db, "UPDATE audit SET hash = ?2 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, row.id);
	sqlite3_bind_text(st, 2, hash, -1, SQLITE_TRANSIENT);
	return db_step_done(db, st, "audit hash");
}

int
db_audit(struct db *db, int64_t at, const char *actor, const char *action, int64_t tip_id,
    const char *detail)
{
	if (!audit_hash) {
		snprintf(db->err, sizeof db->err, "audit: no hash function registered");
		return -1;
	}
	if (!actor || !action) {
		snprintf(db->err, sizeof db->err, "audit: actor and action are required");
		return -1;
	}
	if (!sqlite3_get_autocommit(db->h))
		return audit_insert(db, at, actor, action, tip_id, detail);
	/* No transaction of the caller's: reading the head and appending must
	 * still be one step, or two writers could chain to the same row. */
	if (db_begin(db) < 0)
		return -1;
	if (audit_insert(db, at, actor, action, tip_id, detail) < 0) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db);
}

int
db_audit_each(struct db *db, int64_t tip_id, const char *code,
    int (*fn)(const struct audit_row *row, void *arg), void *arg)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, at, actor, action, tip_id, detail, hash "
	    "FROM audit WHERE ?1 = 0 OR tip_id = ?1 OR (?2 IS NOT NULL AND "
	    "instr(detail, ?2) > 0) ORDER BY id");
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
