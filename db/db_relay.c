/* db_relay — the statements of the anonymous relay, handover, abuse control
 * by pseudonym and the stale-flood guard. See db.h. */
#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Officer messages that ask for an acknowledgement. */
#define DB_ACK_KINDS "('notify','escalate','remind','repeat','transfer')"

int
db_tip_address_live(struct db *db, int64_t tip_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT sender_sealed IS NOT NULL AND "
	    "length(sender_sealed) > 0 AND address_destroyed_at IS NULL FROM tips WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	int rc = sqlite3_step(st);
	int live = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "reply address");
	return live ? 1 : 0;
}

static int
one_id(struct db *db, sqlite3_stmt *st, int64_t *out, const char *what)
{
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (found)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, what);
	return found;
}

int
db_relay_last_asker(struct db *db, int64_t tip_id, int64_t *officer_id)
{
	/* Relayed questions are the only outgoing messages that carry an officer. */
	sqlite3_stmt *st = db_stmt(db, "SELECT officer_id FROM tip_messages WHERE tip_id = ?1 AND "
	    "direction = 'out' AND officer_id IS NOT NULL ORDER BY at DESC, id DESC LIMIT 1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	return one_id(db, st, officer_id, "last asker");
}

int
db_relay_handed_over_since_question(struct db *db, int64_t tip_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT EXISTS (SELECT 1 FROM audit WHERE tip_id = ?1 AND "
	    "action = 'tip.transfer' AND id > (SELECT coalesce(max(id), 0) FROM audit WHERE "
	    "tip_id = ?1 AND action = 'relay.out'))");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	int rc = sqlite3_step(st);
	int yes = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? yes : db_fail(db, "handed over since question");
}

int
db_relay_open_question(struct db *db, const char *pseudonym, int64_t since, int64_t *tip_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT t.id FROM tips t JOIN tip_messages m ON "
	    "m.tip_id = t.id WHERE t.pseudonym = ?1 AND m.direction = 'out' AND "
	    "m.officer_id IS NOT NULL AND m.at >= ?2 ORDER BY m.at DESC, m.id DESC LIMIT 1");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	sqlite3_bind_int64(st, 2, since);
	return one_id(db, st, tip_id, "open question");
}

int
db_tip_transfer(struct db *db, int64_t tip_id, int64_t to_officer, int64_t deadline_ms,
    int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE tips SET status = 'new', assigned_to = ?2, "
	    "acked_by = NULL, acked_at = NULL, level = 1, deadline_ms = ?3, waiting = 0, "
	    "deadline_set_at = ?4 WHERE id = ?1 AND status <> 'closed'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, to_officer);
	sqlite3_bind_int64(st, 3, deadline_ms);
	sqlite3_bind_int64(st, 4, now);
	return db_step_done(db, st, "transfer tip");
}

/* --------------------------------------------------------------- senders */

int
db_sender_tips_since(struct db *db, const char *pseudonym, int64_t since, int64_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM tips WHERE pseudonym = ?1 AND "
	    "created_at >= ?2");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	sqlite3_bind_int64(st, 2, since);
	*n = 0;
	return one_id(db, st, n, "sender tips") < 0 ? -1 : 0;
}

int
db_sender_muted(struct db *db, const char *pseudonym)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT muted_at IS NOT NULL FROM senders "
	    "WHERE pseudonym = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	int64_t muted = 0;
	if (one_id(db, st, &muted, "sender muted") < 0)
		return -1;
	return muted ? 1 : 0;
}

static int
ensure_sender(struct db *db, const char *pseudonym)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO senders(pseudonym) VALUES (?1) "
	    "ON CONFLICT(pseudonym) DO NOTHING");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	return db_step_done(db, st, "sender");
}

int
db_sender_mute(struct db *db, const char *pseudonym, const char *muted_by, int64_t tip_id,
    int64_t now)
{
	if (ensure_sender(db, pseudonym) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "UPDATE senders SET muted_at = ?2, muted_by = ?3, "
	    "muted_tip = ?4 WHERE pseudonym = ?1 AND muted_at IS NULL");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	sqlite3_bind_int64(st, 2, now);
	db_bind_text(st, 3, muted_by);
	db_bind_i64_or_null(st, 4, tip_id);
	if (db_step_done(db, st, "mute sender") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}

int
db_sender_unmute(struct db *db, const char *pseudonym)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE senders SET muted_at = NULL, muted_by = NULL, "
	    "muted_tip = NULL WHERE pseudonym = ?1 AND muted_at IS NOT NULL");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	if (db_step_done(db, st, "unmute sender") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}

int
db_sender_reply_allowed(struct db *db, const char *pseudonym, const char *day, int64_t cap)
{
	if (ensure_sender(db, pseudonym) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "UPDATE senders SET replies = CASE WHEN replies_day IS ?2 "
	    "THEN replies + 1 ELSE 1 END, replies_day = ?2 WHERE pseudonym = ?1 AND "
	    "(replies_day IS NOT ?2 OR replies < ?3)");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	db_bind_text(st, 2, day);
	sqlite3_bind_int64(st, 3, cap);
	if (db_step_done(db, st, "count reply") < 0)
		return -1;
	return sqlite3_changes(db->h) > 0;
}

int
db_sender_first_refusal(struct db *db, const char *pseudonym, const char *day)
{
	if (ensure_sender(db, pseudonym) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "UPDATE senders SET refusals = CASE WHEN refused_day IS ?2 "
	    "THEN refusals + 1 ELSE 1 END, refused_day = ?2 WHERE pseudonym = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, pseudonym);
	db_bind_text(st, 2, day);
	if (db_step_done(db, st, "count refusal") < 0)
		return -1;
	sqlite3_stmt *q = db_stmt(db, "SELECT refusals FROM senders WHERE pseudonym = ?1");
	if (!q)
		return -1;
	db_bind_text(q, 1, pseudonym);
	int64_t n = 0;
	if (one_id(db, q, &n, "refusals") < 0)
		return -1;
	return n == 1;
}

/* ------------------------------------------------------ stale-flood guard */

int
db_outbox_flooded_officers(struct db *db, int64_t before, int min, int64_t *ids, size_t max,
    size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT officer_id FROM outbox WHERE " DB_UNSENT " AND "
	    "officer_id IS NOT NULL AND created_at < ?1 AND kind IN " DB_ACK_KINDS
	    " GROUP BY officer_id HAVING count(*) >= ?2 OR EXISTS (SELECT 1 FROM outbox s WHERE "
	    "s.state IN ('queued','sending') AND s.state = 'queued' AND s.kind = 'summary' AND "
	    "s.officer_id = outbox.officer_id) ORDER BY officer_id");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int(st, 2, min);
	*n = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max)
		ids[(*n)++] = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	return (rc == SQLITE_DONE || rc == SQLITE_ROW) ? 0 : db_fail(db, "flooded officers");
}

/* Rows a statement of the collapse changes at most: its statement journal
 * (held in memory, db.c) stays around a megabyte whatever the backlog. */
#define COLLAPSE_STEP 1000

int
db_outbox_collapse(struct db *db, int64_t officer_id, int64_t before, const char *why)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'failed', last_error = ?3 "
	    "WHERE id IN (SELECT id FROM outbox WHERE officer_id = ?1 AND " DB_UNSENT " AND "
	    "(kind = 'summary' OR (created_at < ?2 AND kind IN " DB_ACK_KINDS ")) LIMIT ?4)");
	if (!st)
		return -1;
	int total = 0, changed;
	do {
		sqlite3_bind_int64(st, 1, officer_id);
		sqlite3_bind_int64(st, 2, before);
		db_bind_text(st, 3, why);
		sqlite3_bind_int(st, 4, COLLAPSE_STEP);
		if (db_step_done(db, st, "collapse") < 0)
			return -1;
		changed = sqlite3_changes(db->h);
		total += changed;
	} while (changed == COLLAPSE_STEP);
	return total;
}

int
db_outbox_drop(struct db *db, int64_t id, const char *why)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'failed', last_error = ?2 "
	    "WHERE id = ?1 AND state = 'queued'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, why);
	return db_step_done(db, st, "drop message");
}

int
db_outbox_drop_settled(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'failed', last_error = "
	    "'dropped: the tip was acknowledged or closed before it went out' WHERE " DB_UNSENT
	    " AND officer_id IS NOT NULL AND kind IN " DB_ACK_KINDS " AND EXISTS "
	    "(SELECT 1 FROM tips t WHERE t.id = outbox.tip_id AND t.status <> 'new')");
	if (!st)
		return -1;
	if (db_step_done(db, st, "drop settled") < 0)
		return -1;
	return sqlite3_changes(db->h);
}
