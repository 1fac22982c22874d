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

/* ?1..?6 of an officer's row: name, phone, zalo_oa, zalo_bot, channel, role. */
static void
bind_officer(sqlite3_stmt *st, const struct officer *o)
{
	db_bind_text(st, 1, o->name);
	db_bind_text(st, 2, o->phone);
	db_bind_text(st, 3, o->zalo_oa);
	db_bind_text(st, 4, o->zalo_bot);
	db_bind_text(st, 5, o->channel ? o->channel : "sms");
	db_bind_text(st, 6, o->role ? o->role : "officer");
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
	bind_officer(st, o);
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

int
db_officer_update(struct db *db, const struct officer *o)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE officers SET name = ?1, zalo_oa = ?3, "
	    "zalo_bot = ?4, channel = ?5, role = ?6, short_code = ?7 WHERE phone = ?2 AND "
	    "active = 1 AND (name IS NOT ?1 OR zalo_oa IS NOT ?3 OR zalo_bot IS NOT ?4 OR "
	    "channel IS NOT ?5 OR role IS NOT ?6 OR short_code IS NOT ?7)");
	if (!st)
		return -1;
	bind_officer(st, o);
	db_bind_text(st, 7, o->short_code);
	if (db_step_done(db, st, "update officer") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0 ? 1 : 0;
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

static const char *const kind_names[] = { "once", "always", "weekly", "off" };

const char *
shift_kind_name(enum shift_kind k)
{
	return (unsigned)k < sizeof kind_names / sizeof kind_names[0] ? kind_names[k] : "?";
}

static enum shift_kind
kind_of(const char *name)
{
	for (size_t i = 0; name && i < sizeof kind_names / sizeof kind_names[0]; i++)
		if (strcmp(name, kind_names[i]) == 0)
			return (enum shift_kind)i;
	return SHIFT_ONCE;
}

static void
bind_day(sqlite3_stmt *st, int idx, const char *day)
{
	db_bind_text(st, idx, day && *day ? day : NULL);
}

/* ?2 kind, ?3 level, ?4 starts_at, ?5 ends_at, ?6 weekdays, ?7 time_from,
 * ?8 time_to, ?9 first_day, ?10 last_day: NULL where the kind has none. */
static void
bind_shift(sqlite3_stmt *st, const struct shift *s)
{
	sqlite3_bind_text(st, 2, shift_kind_name(s->kind), -1, SQLITE_STATIC);
	if (s->kind == SHIFT_OFF)
		sqlite3_bind_null(st, 3);
	else
		sqlite3_bind_int(st, 3, s->level);
	for (int i = 4; i <= 10; i++)
		sqlite3_bind_null(st, i);
	if (s->kind == SHIFT_ONCE) {
		sqlite3_bind_int64(st, 4, s->starts_at);
		sqlite3_bind_int64(st, 5, s->ends_at);
	} else if (s->kind == SHIFT_WEEKLY) {
		sqlite3_bind_int(st, 6, s->weekdays);
		sqlite3_bind_int(st, 7, s->time_from);
		sqlite3_bind_int(st, 8, s->time_to);
	}
	if (s->kind == SHIFT_WEEKLY || s->kind == SHIFT_OFF) {
		bind_day(st, 9, s->first_day);
		bind_day(st, 10, s->last_day);
	}
}

int64_t
db_shift_insert(struct db *db, const struct shift *s, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO shifts(officer_id, kind, level, starts_at, "
	    "ends_at, weekdays, time_from, time_to, first_day, last_day, created_at) VALUES "
	    "(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->officer_id);
	bind_shift(st, s);
	sqlite3_bind_int64(st, 11, now);
	if (db_step_done(db, st, "add shift") < 0)
		return -1;
	return sqlite3_last_insert_rowid(db->h);
}

int64_t
db_shift_add(struct db *db, int64_t officer_id, int level, int always, int64_t starts_at,
    int64_t ends_at, int64_t now)
{
	struct shift s = { .officer_id = officer_id, .level = level, .always = always,
	    .kind = always ? SHIFT_ALWAYS : SHIFT_ONCE, .starts_at = starts_at,
	    .ends_at = ends_at };
	return db_shift_insert(db, &s, now);
}

int
db_shift_exists(struct db *db, const struct shift *s)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT 1 FROM shifts WHERE officer_id = ?1 AND kind = ?2 "
	    "AND level IS ?3 AND starts_at IS ?4 AND ends_at IS ?5 AND weekdays IS ?6 AND "
	    "time_from IS ?7 AND time_to IS ?8 AND first_day IS ?9 AND last_day IS ?10 LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, s->officer_id);
	bind_shift(st, s);
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "shift exists");
}

#define SHIFT_COLS "s.id, s.officer_id, o.name, o.phone, s.kind, s.level, s.starts_at, " \
	"s.ends_at, s.weekdays, s.time_from, s.time_to, s.first_day, s.last_day"

static void
read_day(sqlite3_stmt *st, int col, char out[SHIFT_DAY_LEN + 1])
{
	const unsigned char *t = sqlite3_column_text(st, col);
	snprintf(out, SHIFT_DAY_LEN + 1, "%s", t ? (const char *)t : "");
}

static void
read_shift(sqlite3_stmt *st, void *elem)
{
	struct shift *s = elem;
	s->id = sqlite3_column_int64(st, 0);
	s->officer_id = sqlite3_column_int64(st, 1);
	s->officer_name = db_col_text(st, 2);
	s->officer_phone = db_col_text(st, 3);
	s->kind = kind_of((const char *)sqlite3_column_text(st, 4));
	s->always = s->kind == SHIFT_ALWAYS;
	s->level = sqlite3_column_int(st, 5);
	s->starts_at = sqlite3_column_int64(st, 6);
	s->ends_at = sqlite3_column_int64(st, 7);
	s->weekdays = sqlite3_column_int(st, 8);
	s->time_from = sqlite3_column_int(st, 9);
	s->time_to = sqlite3_column_int(st, 10);
	read_day(st, 11, s->first_day);
	read_day(st, 12, s->last_day);
}

static int
collect_shifts(struct db *db, sqlite3_stmt *st, struct shift **out, size_t *n, const char *what)
{
	if (db_collect(db, st, sizeof **out, read_shift, (void **)out, n, what) < 0) {
		shifts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_shift_list(struct db *db, struct shift **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT " SHIFT_COLS " FROM shifts s JOIN officers o "
	    "ON o.id = s.officer_id WHERE o.active = 1 ORDER BY s.level IS NULL, s.level, "
	    "CASE s.kind WHEN 'always' THEN 0 WHEN 'weekly' THEN 1 WHEN 'once' THEN 2 ELSE 3 END, "
	    "s.first_day, s.starts_at, s.time_from, s.id");
	if (!st)
		return -1;
	return collect_shifts(db, st, out, n, "list shifts");
}

int
db_shift_candidates(struct db *db, int level, int64_t at, const char *day_lo,
    const char *day_hi, struct shift **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT " SHIFT_COLS " FROM shifts s JOIN officers o "
	    "ON o.id = s.officer_id WHERE o.active = 1 AND ("
	    " (s.kind = 'once' AND s.starts_at <= ?2 AND ?2 < s.ends_at AND (?1 = 0 OR s.level = ?1))"
	    " OR (s.kind = 'always' AND (?1 = 0 OR s.level = ?1))"
	    " OR (s.kind = 'weekly' AND (?1 = 0 OR s.level = ?1) AND"
	    "     (s.first_day IS NULL OR s.first_day <= ?4) AND (s.last_day IS NULL OR s.last_day >= ?3))"
	    " OR (s.kind = 'off' AND s.first_day <= ?4 AND s.last_day >= ?3)) "
	    "ORDER BY s.level, s.officer_id, s.id");
	if (!st)
		return -1;
	sqlite3_bind_int(st, 1, level);
	sqlite3_bind_int64(st, 2, at);
	db_bind_text(st, 3, day_lo);
	db_bind_text(st, 4, day_hi);
	return collect_shifts(db, st, out, n, "shifts on duty");
}

int
db_shift_upcoming(struct db *db, int64_t at, const char *day_lo, struct shift **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT " SHIFT_COLS " FROM shifts s JOIN officers o "
	    "ON o.id = s.officer_id WHERE o.active = 1 AND ("
	    " s.kind = 'always'"
	    " OR (s.kind = 'weekly' AND (s.last_day IS NULL OR s.last_day >= ?2))"
	    " OR (s.kind = 'off' AND s.last_day >= ?2)"
	    " OR s.id = (SELECT x.id FROM shifts x JOIN officers y ON y.id = x.officer_id"
	    "   WHERE y.active = 1 AND x.kind = 'once' AND x.starts_at > ?1"
	    "   ORDER BY x.starts_at LIMIT 1)) "
	    "ORDER BY s.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, at);
	db_bind_text(st, 2, day_lo);
	return collect_shifts(db, st, out, n, "upcoming shifts");
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
db_shift_off_remove(struct db *db, int64_t officer_id, const char *first, const char *last)
{
	sqlite3_stmt *st = db_stmt(db, "DELETE FROM shifts WHERE officer_id = ?1 AND kind = 'off' "
	    "AND first_day = ?2 AND last_day = ?3");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, officer_id);
	db_bind_text(st, 2, first);
	db_bind_text(st, 3, last);
	if (db_step_done(db, st, "remove day off") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0 ? 1 : 0;
}
