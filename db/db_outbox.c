/* db_outbox — the transactional outbox: queued messages, claims, results. */
#include <assert.h>

#include "db/db_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void
outbox_item_clear(struct outbox_item *it)
{
	free(it->channel);
	free(it->dest);
	if (it->dest_sealed)
		memset(it->dest_sealed, 0, it->dest_sealed_len);
	free(it->dest_sealed);
	free(it->text);
	free(it->kind);
	memset(it, 0, sizeof *it);
}

int64_t
db_outbox_add(struct db *db, const char *channel, const char *dest,
    const unsigned char *dest_sealed, size_t dest_sealed_len, int64_t officer_id, int64_t tip_id,
    const char *kind, const char *text, int64_t now)
{
	if ((dest == NULL) == (dest_sealed == NULL || dest_sealed_len == 0)) {
		snprintf(db->err, sizeof db->err, "outbox: exactly one destination is needed");
		return -1;
	}
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO outbox(channel, dest, dest_sealed, officer_id, "
	    "tip_id, kind, text, next_attempt, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?8)");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	db_bind_text(st, 2, dest);
	if (dest_sealed)
		sqlite3_bind_blob(st, 3, dest_sealed, (int)dest_sealed_len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 3);
	db_bind_i64_or_null(st, 4, officer_id);
	db_bind_i64_or_null(st, 5, tip_id);
	db_bind_text(st, 6, kind);
	db_bind_text(st, 7, text);
	sqlite3_bind_int64(st, 8, now);
	if (db_step_done(db, st, "queue message") < 0)
		return -1;
	return sqlite3_last_insert_rowid(db->h);
}

static void
read_claimed(sqlite3_stmt *st, void *elem)
{
	struct outbox_item *out = elem;
	out->id = sqlite3_column_int64(st, 0);
	out->channel = db_col_text(st, 1);
	out->dest = db_col_text(st, 2);
	out->dest_sealed = db_col_blob(st, 3, &out->dest_sealed_len);
	out->text = db_col_text(st, 4);
	out->kind = db_col_text(st, 5);
	out->tip_id = sqlite3_column_int64(st, 6);
	out->attempts = sqlite3_column_int(st, 7);
	out->officer_id = sqlite3_column_int64(st, 8);
}

int
db_outbox_claim_many(struct db *db, const char *channel, const char *claimer, int64_t now,
    int64_t lease_s, size_t max, struct outbox_item **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	assert(claimer && *claimer);      /* a claimed row always names its claimer */
	/* A 'sending' row whose lease (next_attempt) ran out belongs to a sender
	 * that died mid-send; it is claimable again. */
	if (db_begin(db) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'sending', claimed_by = ?3, "
	    "via = NULL, attempts = attempts + 1, next_attempt = ?2 + ?4 WHERE id IN (SELECT id "
	    "FROM outbox WHERE channel = ?1 AND state IN ('queued','sending') AND next_attempt <= ?2 "
	    "ORDER BY next_attempt, id LIMIT ?5) RETURNING id, channel, dest, dest_sealed, text, "
	    "kind, tip_id, attempts, officer_id");
	if (!st) {
		db_rollback(db);
		return -1;
	}
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, now);
	db_bind_text(st, 3, claimer);
	sqlite3_bind_int64(st, 4, lease_s);
	sqlite3_bind_int64(st, 5, (int64_t)max);
	if (db_collect(db, st, sizeof **out, read_claimed, (void **)out, n, "claim") < 0 ||
	    db_commit(db) < 0) {
		db_rollback(db);
		outbox_items_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_outbox_claim(struct db *db, const char *channel, const char *claimer, int64_t now,
    int64_t lease_s, struct outbox_item *out)
{
	memset(out, 0, sizeof *out);
	struct outbox_item *v;
	size_t n;
	if (db_outbox_claim_many(db, channel, claimer, now, lease_s, 1, &v, &n) < 0)
		return -1;
	if (n == 1)
		*out = v[0];                  /* its strings are out's now */
	free(v);
	return n == 1;
}

int
db_outbox_sent(struct db *db, int64_t id, const char *via, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'sent', sent_at = ?2, via = ?3, "
	    "last_error = NULL WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	sqlite3_bind_int64(st, 2, now);
	db_bind_text(st, 3, via);
	return db_step_done(db, st, "sent");
}

static void
read_item(sqlite3_stmt *st, void *elem)
{
	struct outbox_item *it = elem;
	it->id = sqlite3_column_int64(st, 0);
	it->channel = db_col_text(st, 1);
	it->dest = db_col_text(st, 2);
	it->text = db_col_text(st, 3);
	it->kind = db_col_text(st, 4);
	it->tip_id = sqlite3_column_int64(st, 5);
	it->attempts = sqlite3_column_int(st, 6);
	it->officer_id = sqlite3_column_int64(st, 7);
}

int
db_outbox_items(struct db *db, sqlite3_stmt *st, struct outbox_item **out, size_t *n,
    const char *what)
{
	if (db_collect(db, st, sizeof **out, read_item, (void **)out, n, what) < 0) {
		outbox_items_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_outbox_stale_officer(struct db *db, const char *channel, int64_t before,
    struct outbox_item **out, size_t *n, size_t max)
{
	/* officers' queued messages only (index outbox_officer_queued): every
	 * router tick asks, so it must not walk the whole outbox */
	sqlite3_stmt *st = db_stmt(db, "SELECT " DB_OUTBOX_ITEM_COLS " FROM outbox "
	    "INDEXED BY outbox_officer_queued WHERE channel = ?1 AND officer_id IS NOT NULL AND "
	    "state = 'queued' AND created_at < ?2 ORDER BY id LIMIT ?3");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, before);
	sqlite3_bind_int64(st, 3, (int64_t)max);
	return db_outbox_items(db, st, out, n, "stale messages");
}

void
outbox_items_free(struct outbox_item *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		outbox_item_clear(&v[i]);
	free(v);
}

int
db_outbox_retry(struct db *db, int64_t id, const char *error, int64_t next_attempt)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = CASE WHEN ?3 = 0 THEN 'failed' "
	    "ELSE 'queued' END, next_attempt = CASE WHEN ?3 = 0 THEN next_attempt ELSE ?3 END, "
	    "last_error = ?2, claimed_by = NULL WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, error);
	sqlite3_bind_int64(st, 3, next_attempt);
	return db_step_done(db, st, "retry");
}

int
db_outbox_next_due(struct db *db, const char *channel, int64_t *when)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT MIN(next_attempt) FROM outbox WHERE channel = ?1 "
	    "AND state IN ('queued','sending')");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	int rc = sqlite3_step(st);
	int found = rc == SQLITE_ROW && sqlite3_column_type(st, 0) != SQLITE_NULL;
	if (found)
		*when = sqlite3_column_int64(st, 0);
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "next due");
	return found;
}

int
db_outbox_count(struct db *db, const char *state, int64_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT COUNT(*) FROM outbox WHERE state = ?1");
	if (!st)
		return -1;
	db_bind_text(st, 1, state);
	int rc = sqlite3_step(st);
	*n = rc == SQLITE_ROW ? sqlite3_column_int64(st, 0) : 0;
	sqlite3_reset(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "count");
}

int
db_outbox_interrupted(struct db *db, const char *channel, struct outbox_item **out, size_t *n)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT id, channel, dest, text, kind, tip_id, attempts, "
	    "officer_id FROM outbox WHERE channel = ?1 AND state = 'sending' ORDER BY id");
	*out = NULL;
	*n = 0;
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	if (db_collect(db, st, sizeof **out, read_item, (void **)out, n, "interrupted sends") < 0) {
		outbox_items_free(*out, *n);
		*out = NULL;
		*n = 0;
		return -1;
	}
	return 0;
}

int
db_outbox_handed(struct db *db, int64_t id, const char *via)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET via = ?2 WHERE id = ?1 AND "
	    "state = 'sending'");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	db_bind_text(st, 2, via);
	return db_step_done(db, st, "handed");
}

int
db_outbox_recover(struct db *db, const char *channel, int64_t now, int *requeued,
    int *unknown)
{
	*requeued = *unknown = 0;
	if (db_begin(db) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'failed', last_error = "
	    "'interrupted by a restart while the device had it: outcome unknown, not resent' "
	    "WHERE channel = ?1 AND state = 'sending' AND via IS NOT NULL");
	if (!st || (db_bind_text(st, 1, channel), db_step_done(db, st, "recover")) < 0)
		goto fail;
	*unknown = sqlite3_changes(db->h);
	st = db_stmt(db, "UPDATE outbox SET state = 'queued', next_attempt = ?2 "
	    "WHERE channel = ?1 AND state = 'sending'");
	if (!st)
		goto fail;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, now);
	if (db_step_done(db, st, "recover") < 0)
		goto fail;
	*requeued = sqlite3_changes(db->h);
	return db_commit(db);
fail:
	db_rollback(db);
	return -1;
}

void
outbox_state_clear(struct outbox_state *s)
{
	free(s->state);
	free(s->via);
	free(s->last_error);
	memset(s, 0, sizeof *s);
}

int
db_outbox_state(struct db *db, int64_t id, struct outbox_state *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_stmt(db, "SELECT state, via, last_error, attempts, sent_at, "
	    "next_attempt FROM outbox WHERE id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->state = db_col_text(st, 0);
		out->via = db_col_text(st, 1);
		out->last_error = db_col_text(st, 2);
		out->attempts = sqlite3_column_int(st, 3);
		out->sent_at = sqlite3_column_int64(st, 4);
		out->next_attempt = sqlite3_column_int64(st, 5);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return out->state ? 1 : db_set_error(db, "outbox state: out of memory");
	return rc == SQLITE_DONE ? 0 : db_fail(db, "outbox state");
}

/* ---------------------------------------------------------------- calls */

/* A call ('voice' row) is ready when it is due, its tip (if any) still waits
 * for an acknowledgement, and every other message to its officer about its
 * tip has gone (or the call has waited for them since before wait_since).
 * A 'sending' call the modem was handed (via set) is never claimed again: it
 * may be ringing. */
int
db_outbox_claim_call(struct db *db, const char *claimer, int64_t now, int64_t lease_s,
    int64_t wait_since, struct outbox_item *out)
{
	memset(out, 0, sizeof *out);
	assert(claimer && *claimer);
	if (db_begin(db) < 0)
		return -1;
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'sending', claimed_by = ?2, "
	    "via = NULL, attempts = attempts + 1, next_attempt = ?1 + ?3 WHERE id = (SELECT o.id "
	    "FROM outbox o WHERE o.channel = 'voice' AND o.state IN ('queued','sending') AND "
	    "o.next_attempt <= ?1 AND (o.state = 'queued' OR o.via IS NULL) AND (o.tip_id IS NULL "
	    "OR EXISTS (SELECT 1 FROM tips t WHERE t.id = o.tip_id AND t.status = 'new')) AND "
	    "(o.created_at < ?4 OR NOT EXISTS (SELECT 1 FROM outbox p WHERE p.officer_id = "
	    "o.officer_id AND p.tip_id IS o.tip_id AND p.channel <> 'voice' AND p.state IN "
	    "('queued','sending'))) ORDER BY o.next_attempt, o.id LIMIT 1) RETURNING id, channel, "
	    "dest, text, kind, tip_id, attempts, officer_id");
	if (!st) {
		db_rollback(db);
		return -1;
	}
	sqlite3_bind_int64(st, 1, now);
	db_bind_text(st, 2, claimer);
	sqlite3_bind_int64(st, 3, lease_s);
	sqlite3_bind_int64(st, 4, wait_since);
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->id = sqlite3_column_int64(st, 0);
		out->channel = db_col_text(st, 1);
		out->dest = db_col_text(st, 2);
		out->text = db_col_text(st, 3);
		out->kind = db_col_text(st, 4);
		out->tip_id = sqlite3_column_int64(st, 5);
		out->attempts = sqlite3_column_int(st, 6);
		out->officer_id = sqlite3_column_int64(st, 7);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE) {
		db_fail(db, "claim call");
		db_rollback(db);
		if (out->id)
			outbox_item_clear(out);
		return -1;
	}
	if (db_commit(db) < 0) {
		outbox_item_clear(out);
		return -1;
	}
	return out->id ? 1 : 0;
}

int
db_outbox_call_wanted(struct db *db, int64_t id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT o.tip_id IS NULL OR EXISTS (SELECT 1 FROM tips t "
	    "WHERE t.id = o.tip_id AND t.status = 'new') FROM outbox o WHERE o.id = ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, id);
	int rc = sqlite3_step(st);
	int wanted = rc == SQLITE_ROW && sqlite3_column_int(st, 0) != 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return db_fail(db, "call wanted");
	return wanted;
}

int
db_outbox_call_pending(struct db *db, int64_t tip_id, int64_t officer_id)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT count(*) FROM outbox WHERE channel = 'voice' AND "
	    "state IN ('queued','sending') AND tip_id IS ?1 AND officer_id = ?2");
	if (!st)
		return -1;
	db_bind_i64_or_null(st, 1, tip_id);
	sqlite3_bind_int64(st, 2, officer_id);
	int rc = sqlite3_step(st);
	int n = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 0;
	sqlite3_reset(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "pending call");
	return n > 0;
}

int
db_outbox_drop_settled_calls(struct db *db)
{
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'failed', last_error = "
	    "'dropped: the tip was acknowledged or closed before the call' WHERE channel = 'voice' "
	    "AND " DB_UNSENT " AND tip_id IS NOT NULL AND EXISTS (SELECT 1 FROM tips t WHERE "
	    "t.id = outbox.tip_id AND t.status <> 'new')");
	if (!st)
		return -1;
	if (db_step_done(db, st, "drop settled calls") < 0)
		return -1;
	return sqlite3_changes(db->h);
}

int
db_outbox_queued_calls(struct db *db, struct outbox_item **out, size_t *n, size_t max)
{
	sqlite3_stmt *st = db_stmt(db, "SELECT " DB_OUTBOX_ITEM_COLS " FROM outbox WHERE "
	    "channel = 'voice' AND " DB_UNSENT " ORDER BY id LIMIT ?1");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, (int64_t)max);
	return db_outbox_items(db, st, out, n, "queued calls");
}

int
db_outbox_requeue_unhanded(struct db *db, const char *channel, int64_t now, int *n)
{
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "UPDATE outbox SET state = 'queued', next_attempt = ?2, "
	    "claimed_by = NULL WHERE channel = ?1 AND state = 'sending' AND via IS NULL");
	if (!st)
		return -1;
	db_bind_text(st, 1, channel);
	sqlite3_bind_int64(st, 2, now);
	if (db_step_done(db, st, "requeue") < 0)
		return -1;
	*n = sqlite3_changes(db->h);
	return 0;
}

int
db_calls_ringing(struct db *db, struct call_ringing *out, size_t max, size_t *n)
{
	*n = 0;
	/* through the index of rows queued or sending */
	sqlite3_stmt *st = db_stmt(db, "SELECT o.tip_id, f.name FROM outbox o JOIN officers f ON "
	    "f.id = o.officer_id WHERE o.channel = 'voice' AND o.state IN ('queued','sending') AND "
	    "o.state = 'sending' AND o.via IS NOT NULL ORDER BY o.id");
	if (!st)
		return -1;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW && *n < max) {
		const unsigned char *t = sqlite3_column_text(st, 1);
		out[*n].tip_id = sqlite3_column_int64(st, 0);
		snprintf(out[*n].officer, sizeof out[*n].officer, "%s", t ? (const char *)t : "");
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_ROW || rc == SQLITE_DONE ? 0 : db_fail(db, "calls ringing");
}
