/* db_tips — tips, their messages, who was told, escalation history. */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *const status_names[] = { "new", "acknowledged", "closed" };

const char *
tip_status_name(enum tip_status s)
{
	return (unsigned)s < 3 ? status_names[s] : "new";
}

static enum tip_status
status_parse(const char *s)
{
	for (int i = 0; i < 3; i++)
		if (s && strcmp(s, status_names[i]) == 0)
			return (enum tip_status)i;
	return TIP_NEW;
}

void
tip_clear(struct tip *t)
{
	free(t->channel);
	free(t->pseudonym);
	free(t->sender_sealed);
	free(t->category);
	free(t->text);
	free(t->ref_code);
	free(t->acked_by_name);
	free(t->closed_by_name);
	free(t->close_note);
	free(t->passed_to);
	free(t->passed_by_name);
	memset(t, 0, sizeof *t);
}

void
tips_free(struct tip *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		tip_clear(&v[i]);
	free(v);
}

#define TIP_COLS "t.id, t.code, t.status, t.channel, t.pseudonym, t.sender_sealed, " \
	"t.category, t.urgent, t.text, t.ref_code, t.partial, t.created_at, t.last_citizen_at, " \
	"t.acked_at, t.acked_by, a.name, t.closed_at, t.closed_by, c.name, t.close_note, " \
	"t.level, t.deadline_ms, t.deadline_set_at, t.waiting, t.notice_at, t.passed_at, " \
	"t.passed_to, t.passed_by, p.name, t.assigned_to"
#define TIP_FROM " FROM tips t LEFT JOIN officers a ON a.id = t.acked_by " \
	"LEFT JOIN officers c ON c.id = t.closed_by LEFT JOIN officers p ON p.id = t.passed_by "

static void
read_tip(sqlite3_stmt *st, struct tip *t)
{
	memset(t, 0, sizeof *t);
	t->id = sqlite3_column_int64(st, 0);
	const unsigned char *code = sqlite3_column_text(st, 1);
	snprintf(t->code, sizeof t->code, "%s", code ? (const char *)code : "");
	const unsigned char *status = sqlite3_column_text(st, 2);
	t->status = status_parse((const char *)status);
	t->channel = db_col_text(st, 3);
	t->pseudonym = db_col_text(st, 4);
	t->sender_sealed = db_col_blob(st, 5, &t->sender_sealed_len);
	t->category = db_col_text(st, 6);
	t->urgent = sqlite3_column_int(st, 7);
	t->text = db_col_text(st, 8);
	t->ref_code = db_col_text(st, 9);
	t->partial = sqlite3_column_int(st, 10);
	t->created_at = sqlite3_column_int64(st, 11);
	t->last_citizen_at = sqlite3_column_int64(st, 12);
	t->acked_at = sqlite3_column_int64(st, 13);
	t->acked_by = sqlite3_column_int64(st, 14);
	t->acked_by_name = db_col_text(st, 15);
	t->closed_at = sqlite3_column_int64(st, 16);
	t->closed_by = sqlite3_column_int64(st, 17);
	t->closed_by_name = db_col_text(st, 18);
	t->close_note = db_col_text(st, 19);
	t->level = sqlite3_column_int(st, 20);
	t->next_deadline_ms = sqlite3_column_int64(st, 21);
	t->next_deadline = (t->next_deadline_ms + 999) / 1000;
	t->deadline_set_at = sqlite3_column_int64(st, 22);
	t->waiting = sqlite3_column_int(st, 23);
	t->notice_at = sqlite3_column_int64(st, 24);
	t->passed_at = sqlite3_column_int64(st, 25);
	t->passed_to = db_col_text(st, 26);
	t->passed_by = sqlite3_column_int64(st, 27);
	t->passed_by_name = db_col_text(st, 28);
	t->assigned_to = sqlite3_column_int64(st, 29);
}

static int
tip_one(struct db *db, sqlite3_stmt *st, struct tip *out)
{
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		read_tip(st, out);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "tip");
}

static void
read_tip_row(sqlite3_stmt *st, void *elem)
{
	read_tip(st, elem);
}

static int
tip_many(struct db *db, sqlite3_stmt *st, struct tip **out, size_t *n)
{
	if (db_collect(db, st, sizeof **out, read_tip_row, (void **)out, n, "tips") < 0) {
		tips_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int64_t
db_tip_insert(struct db *db, struct tip *t)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO tips(code, status, channel, pseudonym, "
	    "sender_sealed, category, urgent, text, ref_code, partial, created_at, last_citizen_at, "
	    "level) VALUES (?1, 'new', ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?10, 1) "
	    "ON CONFLICT(code) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, t->code);
	db_bind_text(st, 2, t->channel);
	db_bind_text(st, 3, t->pseudonym);
	if (t->sender_sealed && t->sender_sealed_len)
		sqlite3_bind_blob(st, 4, t->sender_sealed, (int)t->sender_sealed_len, SQLITE_TRANSIENT);
	db_bind_text(st, 5, t->category ? t->category : "khac");
	sqlite3_bind_int(st, 6, t->urgent);
	db_bind_text(st, 7, t->text);
	db_bind_text(st, 8, t->ref_code);
	sqlite3_bind_int(st, 9, t->partial);
	sqlite3_bind_int64(st, 10, t->created_at);
	if (db_step_done(db, st, "insert tip") < 0)
		return -1;
	if (sqlite3_changes(db->h) == 0)
		return 0;
	t->id = sqlite3_last_insert_rowid(db->h);
	return t->id;
}

int
db_tip_by_code(struct db *db, const char *code, struct tip *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.code = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, code);
	return tip_one(db, st, out);
}

int
db_tip_by_id(struct db *db, int64_t id, struct tip *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	return tip_one(db, st, out);
}

int
db_tip_recent_for(struct db *db, const char *pseudonym, int64_t since, struct tip *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.pseudonym = ?1 "
	    "AND t.status <> 'closed' AND t.last_citizen_at >= ?2 "
	    "ORDER BY t.last_citizen_at DESC, t.id DESC LIMIT 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	sqlite3_bind_int64(st, 2, since);
	return tip_one(db, st, out);
}

int
db_tip_latest_for(struct db *db, const char *pseudonym, struct tip *out)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.pseudonym = ?1 "
	    "ORDER BY t.created_at DESC, t.id DESC LIMIT 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	return tip_one(db, st, out);
}

int
db_tip_list(struct db *db, int open_only, size_t max, struct tip **out, size_t *n)
{
	/* two statements: the open ones walk the index tips_open */
	sqlite3_stmt *st = open_only ?
	    db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.status <> 'closed' "
	    "ORDER BY t.created_at, t.id LIMIT ?1") :
	    db_stmt(db, "SELECT " TIP_COLS TIP_FROM "ORDER BY t.created_at, t.id LIMIT ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, max > (size_t)INT64_MAX ? -1 : (int64_t)max);
	return tip_many(db, st, out, n);
}

int
db_tip_touch_citizen(struct db *db, int64_t tip_id, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET last_citizen_at = MAX(last_citizen_at, ?2) "
	    "WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, at);
	return db_step_done(db, st, "touch tip");
}

int
db_tip_set_deadline(struct db *db, int64_t tip_id, int level, int64_t deadline_ms, int waiting,
    int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET level = ?2, deadline_ms = ?3, "
	    "waiting = ?4, deadline_set_at = ?5 WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int(st, 2, level);
	db_bind_i64_or_null(st, 3, deadline_ms);
	sqlite3_bind_int(st, 4, waiting);
	sqlite3_bind_int64(st, 5, now);
	return db_step_done(db, st, "set deadline");
}

int
db_tip_ack(struct db *db, int64_t tip_id, int64_t officer_id, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET status = 'acknowledged', acked_at = ?3, "
	    "acked_by = ?2, deadline_ms = NULL, waiting = 0 WHERE id = ?1 AND status = 'new'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, officer_id);
	sqlite3_bind_int64(st, 3, at);
	return db_step_done(db, st, "ack tip");
}

int
db_tip_close(struct db *db, int64_t tip_id, int64_t officer_id, const char *note, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET status = 'closed', closed_at = ?3, "
	    "closed_by = ?2, close_note = ?4, acked_at = COALESCE(acked_at, ?3), "
	    "acked_by = COALESCE(acked_by, ?2), deadline_ms = NULL, waiting = 0 "
	    "WHERE id = ?1 AND status <> 'closed'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, officer_id);
	sqlite3_bind_int64(st, 3, at);
	db_bind_text(st, 4, note && *note ? note : NULL);
	return db_step_done(db, st, "close tip");
}

int
db_next_deadline(struct db *db, int64_t *when_ms)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT MIN(deadline_ms) FROM tips "
	    "WHERE status = 'new' AND deadline_ms IS NOT NULL");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (found)
		*when_ms = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "next deadline");
	return found;
}

static int
ids_query(struct db *db, sqlite3_stmt *st, int64_t *ids, size_t max, size_t *n)
{
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : db_fail(db, "ids");
}

int
db_due_tips(struct db *db, int64_t now_ms, int64_t *ids, size_t max, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM tips WHERE status = 'new' AND "
	    "deadline_ms IS NOT NULL AND deadline_ms <= ?1 ORDER BY deadline_ms, id LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, now_ms);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	return ids_query(db, st, ids, max, n);
}

int
db_waiting_tips(struct db *db, int64_t *ids, size_t max, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id FROM tips WHERE status = 'new' AND "
	    "waiting = 1 ORDER BY id");
	if (!st)
		return -1;
	return ids_query(db, st, ids, max, n);
}

int
db_tip_message_add(struct db *db, int64_t tip_id, const char *direction, int64_t inbound_id,
    int64_t officer_id, const char *text, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO tip_messages(tip_id, direction, inbound_id, "
	    "officer_id, text, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	db_bind_text(st, 2, direction);
	db_bind_i64_or_null(st, 3, inbound_id);
	db_bind_i64_or_null(st, 4, officer_id);
	db_bind_text(st, 5, text);
	sqlite3_bind_int64(st, 6, at);
	return db_step_done(db, st, "tip message");
}

static void
read_message(sqlite3_stmt *st, void *elem)
{
	struct tip_message *m = elem;
	m->direction = db_col_text(st, 0);
	m->text = db_col_text(st, 1);
	m->at = sqlite3_column_int64(st, 2);
	m->officer_name = db_col_text(st, 3);
}

int
db_tip_messages(struct db *db, int64_t tip_id, struct tip_message **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT m.direction, m.text, m.at, o.name FROM tip_messages m "
	    "LEFT JOIN officers o ON o.id = m.officer_id WHERE m.tip_id = ?1 ORDER BY m.at, m.id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	if (db_collect(db, st, sizeof **out, read_message, (void **)out, n, "tip messages") < 0) {
		tip_messages_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
tip_messages_free(struct tip_message *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].direction);
		free(v[i].text);
		free(v[i].officer_name);
	}
	free(v);
}

int
db_notified_add(struct db *db, int64_t tip_id, int64_t officer_id, int level, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO tip_notified(tip_id, officer_id, level, "
	    "first_at, last_at) VALUES (?1, ?2, ?3, ?4, ?4) ON CONFLICT(tip_id, officer_id) "
	    "DO UPDATE SET last_at = ?4");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, officer_id);
	sqlite3_bind_int(st, 3, level);
	sqlite3_bind_int64(st, 4, at);
	return db_step_done(db, st, "notified");
}

int
db_notified_list(struct db *db, int64_t tip_id, int64_t *ids, size_t max, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT n.officer_id FROM tip_notified n JOIN officers o "
	    "ON o.id = n.officer_id WHERE n.tip_id = ?1 AND o.active = 1 ORDER BY n.level, n.officer_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	return ids_query(db, st, ids, max, n);
}

int
db_notified_level(struct db *db, int64_t tip_id, int64_t officer_id, int *level)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT level FROM tip_notified WHERE tip_id = ?1 AND "
	    "officer_id = ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, officer_id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*level = sqlite3_column_int(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "notified level");
	return rc == SQLITE_ROW;
}

int
db_waiting_for_officer(struct db *db, int64_t officer_id, size_t max, struct tip **out,
    size_t *n)
{
	/* new tips in id order (index tips_new) until max of them were told
	 * to the officer: what it costs is what it finds */
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.status = 'new' AND "
	    "EXISTS (SELECT 1 FROM tip_notified n WHERE n.tip_id = t.id AND n.officer_id = ?1 AND "
	    "(t.assigned_to IS NULL OR t.assigned_to = ?1 OR n.last_at >= t.deadline_set_at)) "
	    "ORDER BY t.id LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, officer_id);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	return tip_many(db, st, out, n);
}

int
db_open_for_officer(struct db *db, int64_t officer_id, size_t max, struct tip **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.acked_by = ?1 AND "
	    "t.status = 'acknowledged' ORDER BY t.acked_at, t.id LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, officer_id);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	return tip_many(db, st, out, n);
}

int
db_escalation_add(struct db *db, int64_t tip_id, int from_level, int to_level,
    const char *reason, int64_t at)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO escalations(tip_id, from_level, to_level, "
	    "reason, at) VALUES (?1, ?2, ?3, ?4, ?5)");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int(st, 2, from_level);
	sqlite3_bind_int(st, 3, to_level);
	db_bind_text(st, 4, reason);
	sqlite3_bind_int64(st, 5, at);
	return db_step_done(db, st, "escalation");
}

static void
read_escalation(sqlite3_stmt *st, void *elem)
{
	struct escalation *e = elem;
	e->from_level = sqlite3_column_int(st, 0);
	e->to_level = sqlite3_column_int(st, 1);
	e->at = sqlite3_column_int64(st, 2);
	e->reason = db_col_text(st, 3);
}

int
db_escalations(struct db *db, int64_t tip_id, struct escalation **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT from_level, to_level, at, reason FROM escalations "
	    "WHERE tip_id = ?1 ORDER BY at, id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	if (db_collect(db, st, sizeof **out, read_escalation, (void **)out, n, "escalations") < 0) {
		escalations_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

void
escalations_free(struct escalation *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		free(v[i].reason);
	free(v);
}

int
db_tips_settled_since(struct db *db, int64_t since, size_t max, struct tip **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " TIP_COLS TIP_FROM "WHERE t.acked_at >= ?1 "
	    "OR t.closed_at >= ?1 ORDER BY MAX(COALESCE(t.acked_at, 0), COALESCE(t.closed_at, 0)) "
	    "DESC, t.id DESC LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, since);
	sqlite3_bind_int64(st, 2, (sqlite3_int64)max);
	return tip_many(db, st, out, n);
}
