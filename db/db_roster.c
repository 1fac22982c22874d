/* db_roster — officers and shifts. */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
officer_clear(struct officer *o)
{
	free(o->name);
	free(o->phone);
	free(o->zalo_oa);
	free(o->zalo_bot);
	free(o->channel);
	free(o->role);
	free(o->short_code);
	memset(o, 0, sizeof *o);
}

void
officers_free(struct officer *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		officer_clear(&v[i]);
	free(v);
}

#define OFFICER_COLS "id, name, phone, zalo_oa, zalo_bot, channel, role, active, short_code"

static void
read_officer(sqlite3_stmt *st, struct officer *o)
{
	o->id = sqlite3_column_int64(st, 0);
	o->name = db_col_text(st, 1);
	o->phone = db_col_text(st, 2);
	o->zalo_oa = db_col_text(st, 3);
	o->zalo_bot = db_col_text(st, 4);
	o->channel = db_col_text(st, 5);
	o->role = db_col_text(st, 6);
	o->active = sqlite3_column_int(st, 7);
	o->short_code = db_col_text(st, 8);
}

int64_t
db_officer_add(struct db *db, const struct officer *o, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO officers(name, phone, zalo_oa, zalo_bot, "
	    "channel, role, active, created_at, short_code) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 1, ?7, "
	    "?8) ON CONFLICT(phone) DO UPDATE SET name = ?1, zalo_oa = ?3, zalo_bot = ?4, "
	    "channel = ?5, role = ?6, active = 1, short_code = ?8 WHERE active = 0 RETURNING id");
	if (!st)
		return -1;
	db_bind_text(st, 1, o->name);
	db_bind_text(st, 2, o->phone);
	db_bind_text(st, 3, o->zalo_oa);
	db_bind_text(st, 4, o->zalo_bot);
	db_bind_text(st, 5, o->channel ? o->channel : "sms");
	db_bind_text(st, 6, o->role ? o->role : "officer");
	sqlite3_bind_int64(st, 7, now);
	db_bind_text(st, 8, o->short_code);
	int rc = sqlite3_step(st);
	int64_t id = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : -1;
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		db_fail(db, "add officer");
	else if (rc == SQLITE_DONE)
		snprintf(db->err, sizeof db->err, "an officer with phone %s already exists", o->phone);
	sqlite3_reset(st);
	return id;
}

static int
officer_one(struct db *db, sqlite3_stmt *st, struct officer *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		memset(out, 0, sizeof *out);
		read_officer(st, out);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "officer");
}

int
db_officer_by_phone(struct db *db, const char *phone, struct officer *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " OFFICER_COLS " FROM officers "
	    "WHERE phone = ?1 AND active = 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, phone);
	return officer_one(db, st, out);
}

int
db_officer_by_zalo(struct db *db, const char *channel, const char *zalo_id, struct officer *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " OFFICER_COLS " FROM officers WHERE active = 1 AND "
	    "((?1 = 'zalo_oa' AND zalo_oa = ?2) OR (?1 = 'zalo_bot' AND zalo_bot = ?2))");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, zalo_id);
	return officer_one(db, st, out);
}

int
db_officer_by_id(struct db *db, int64_t id, struct officer *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " OFFICER_COLS " FROM officers WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return officer_one(db, st, out);
}

int
db_officer_by_short_code(struct db *db, const char *code, struct officer *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " OFFICER_COLS " FROM officers WHERE active = 1 "
	    "AND short_code = ?1 COLLATE NOCASE");
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	return officer_one(db, st, out);
}

static void
read_officer_row(sqlite3_stmt *st, void *elem)
{
	read_officer(st, elem);
}

int
db_officer_list(struct db *db, struct officer **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT " OFFICER_COLS " FROM officers WHERE active = 1 "
	    "ORDER BY name, id");
	if (!st)
		return -1;
	if (db_collect(db, st, sizeof **out, read_officer_row, (void **)out, n, "list officers") < 0) {
		officers_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_officer_remove(struct db *db, const char *phone)
{
	struct officer o;
	int found = db_officer_by_phone(db, phone, &o);
	if (found <= 0)
		return found;
	int64_t id = o.id;
	officer_clear(&o);
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM shifts WHERE officer_id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st, "remove shifts") < 0)
		return -1;
	st = db_stmt(db, "UPDATE officers SET active = 0 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return db_step_done(db, st, "remove officer") < 0 ? -1 : 1;
}

void
shifts_free(struct shift *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].officer_name);
		free(v[i].officer_phone);
	}
	free(v);
}

int64_t
db_shift_add(struct db *db, int64_t officer_id, int level, int always, int64_t starts_at,
    int64_t ends_at, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO shifts(officer_id, level, always, starts_at, "
	    "ends_at, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, officer_id);
	sqlite3_bind_int(st, 2, level);
	sqlite3_bind_int(st, 3, always ? 1 : 0);
	if (always) {
		sqlite3_bind_null(st, 4);
		sqlite3_bind_null(st, 5);
	} else {
		sqlite3_bind_int64(st, 4, starts_at);
		sqlite3_bind_int64(st, 5, ends_at);
	}
	sqlite3_bind_int64(st, 6, now);
	if (db_step_done(db, st, "add shift") < 0)
		return -1;
	return sqlite3_last_insert_rowid(db->h);
}

int
db_shift_exists(struct db *db, int64_t officer_id, int level, int always, int64_t starts_at,
    int64_t ends_at)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM shifts WHERE officer_id = ?1 AND level = ?2 "
	    "AND always = ?3 AND (?3 = 1 OR (starts_at = ?4 AND ends_at = ?5)) LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, officer_id);
	sqlite3_bind_int(st, 2, level);
	sqlite3_bind_int(st, 3, always ? 1 : 0);
	sqlite3_bind_int64(st, 4, starts_at);
	sqlite3_bind_int64(st, 5, ends_at);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "shift exists");
}

static void
read_shift(sqlite3_stmt *st, void *elem)
{
	struct shift *s = elem;
	s->id = sqlite3_column_int64(st, 0);
	s->officer_id = sqlite3_column_int64(st, 1);
	s->officer_name = db_col_text(st, 2);
	s->officer_phone = db_col_text(st, 3);
	s->level = sqlite3_column_int(st, 4);
	s->always = sqlite3_column_int(st, 5);
	s->starts_at = sqlite3_column_int64(st, 6);
	s->ends_at = sqlite3_column_int64(st, 7);
}

int
db_shift_list(struct db *db, int64_t at, struct shift **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT s.id, s.officer_id, o.name, o.phone, s.level, "
	    "s.always, s.starts_at, s.ends_at FROM shifts s JOIN officers o ON o.id = s.officer_id "
	    "WHERE o.active = 1 AND (?1 < 0 OR s.always = 1 OR (s.starts_at <= ?1 AND ?1 < s.ends_at)) "
	    "ORDER BY s.level, s.always DESC, s.starts_at, s.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	if (db_collect(db, st, sizeof **out, read_shift, (void **)out, n, "list shifts") < 0) {
		shifts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_shift_remove(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM shifts WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	if (db_step_done(db, st, "remove shift") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0 ? 1 : 0;
}

int
db_on_duty(struct db *db, int level, int64_t at, int64_t *ids, size_t max, size_t *n)
{
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT DISTINCT o.id FROM shifts s JOIN officers o "
	    "ON o.id = s.officer_id WHERE o.active = 1 AND s.level = ?1 AND (s.always = 1 OR "
	    "(s.starts_at <= ?2 AND ?2 < s.ends_at)) ORDER BY o.id");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, level);
	sqlite3_bind_int64(st, 2, at);
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : db_fail(db, "on duty");
}

int
db_next_shift_start(struct db *db, int64_t at, int64_t *when)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT MIN(s.starts_at) FROM shifts s JOIN officers o "
	    "ON o.id = s.officer_id WHERE o.active = 1 AND s.always = 0 AND s.starts_at > ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (found)
		*when = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "next shift");
	return found;
}
