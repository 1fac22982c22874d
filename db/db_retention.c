/* db_retention — destroying citizens' sealed reply addresses once their tip
 * has been closed for the retention period (gateway/retention.c decides
 * when), and finding every sealed value for key rotation. See db.h. */
#include "db/db_internal.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void
read_ref(sqlite3_stmt *st, void *elem)
{
	struct tip_ref *r = elem;
	memset(r, 0, sizeof *r);
	r->id = sqlite3_column_int64(st, 0);
	const unsigned char *code = sqlite3_column_text(st, 1);
	snprintf(r->code, sizeof r->code, "%s", code ? (const char *)code : "");
	r->closed_at = sqlite3_column_int64(st, 2);
}

int
db_retention_due(struct db *db, int64_t before, const struct tip_ref *after, size_t max,
    struct tip_ref **out, size_t *n)
{
	*out = NULL;
	*n = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT id, code, closed_at FROM tips "
	    "WHERE status = 'closed' AND sender_sealed IS NOT NULL AND closed_at <= ?1 "
	    "AND (closed_at > ?3 OR (closed_at = ?3 AND id > ?4)) ORDER BY closed_at, id LIMIT ?2");
	if (!st)
		return -1;
	sqlite3_bind_int64(st, 1, before);
	sqlite3_bind_int64(st, 2, (int64_t)max);
	sqlite3_bind_int64(st, 3, after ? after->closed_at : INT64_MIN);
	sqlite3_bind_int64(st, 4, after ? after->id : 0);
	void *v = NULL;
	int rc = db_collect(db, st, sizeof **out, read_ref, &v, n, "retention due");
	*out = v;
	return rc;
}

/* Run st (an UPDATE or a SELECT count(*)); add the rows it touched to *count. */
static int
step_count(struct db *db, sqlite3_stmt *st, int dry_run, int64_t *count, const char *what)
{
	int rc = sqlite3_step(st);
	if (dry_run && rc == SQLITE_ROW) {
		*count += sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	sqlite3_reset(st);
	if (rc != SQLITE_DONE)
		return db_fail(db, what);
	if (!dry_run)
		*count += sqlite3_changes(db->h);
	return 0;
}

int
db_retention_destroy_tip(struct db *db, int64_t tip_id, int64_t now, int dry_run,
    struct retention_counts *c)
{
	static const char *const sql[2][3] = {
		{ "UPDATE tips SET sender_sealed = NULL, address_destroyed_at = ?2 "
		  "WHERE id = ?1 AND sender_sealed IS NOT NULL",
		  "UPDATE inbound SET sender_sealed = NULL WHERE tip_id = ?1 AND "
		  "sender_sealed IS NOT NULL",
		  /* the CHECK wants dest or dest_sealed: an empty blob says "destroyed";
		   * a message still waiting can never go now */
		  "UPDATE outbox SET dest_sealed = zeroblob(0), "
		  "  last_error = CASE WHEN state IN ('queued','sending') "
		  "    THEN 'reply address destroyed (retention)' ELSE last_error END, "
		  "  state = CASE WHEN state IN ('queued','sending') THEN 'failed' ELSE state END, "
		  "  claimed_by = NULL "
		  "WHERE tip_id = ?1 AND length(dest_sealed) > 0" },
		{ "SELECT count(*) FROM tips WHERE id = ?1 AND sender_sealed IS NOT NULL "
		  "AND ?2 IS NOT NULL",
		  "SELECT count(*) FROM inbound WHERE tip_id = ?1 AND sender_sealed IS NOT NULL",
		  "SELECT count(*) FROM outbox WHERE tip_id = ?1 AND length(dest_sealed) > 0" },
	};
	int64_t *counts[3] = { &c->tips, &c->inbound, &c->outbox };
	for (int i = 0; i < 3; i++) {
		sqlite3_stmt *st = db_stmt(db, sql[dry_run ? 1 : 0][i]);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, tip_id);
		if (i == 0)
			sqlite3_bind_int64(st, 2, now);
		if (step_count(db, st, dry_run, counts[i], "destroy address") < 0)
			return -1;
	}
	return 0;
}

int
db_retention_destroy_loose(struct db *db, int64_t before, int dry_run,
    struct retention_counts *c)
{
	static const char *const sql[2][2] = {
		{ "UPDATE sms_parts SET sender_sealed = NULL WHERE done = 1 AND received_at <= ?1 "
		  "AND sender_sealed IS NOT NULL",
		  "UPDATE inbound SET sender_sealed = NULL WHERE tip_id IS NULL AND "
		  "processed_at IS NOT NULL AND processed_at <= ?1 AND sender_sealed IS NOT NULL" },
		{ "SELECT count(*) FROM sms_parts WHERE done = 1 AND received_at <= ?1 "
		  "AND sender_sealed IS NOT NULL",
		  "SELECT count(*) FROM inbound WHERE tip_id IS NULL AND "
		  "processed_at IS NOT NULL AND processed_at <= ?1 AND sender_sealed IS NOT NULL" },
	};
	int64_t *counts[2] = { &c->parts, &c->loose };
	for (int i = 0; i < 2; i++) {
		sqlite3_stmt *st = db_stmt(db, sql[dry_run ? 1 : 0][i]);
		if (!st)
			return -1;
		sqlite3_bind_int64(st, 1, before);
		if (step_count(db, st, dry_run, counts[i], "destroy old addresses") < 0)
			return -1;
	}
	return 0;
}


int
db_checkpoint(struct db *db)
{
	sqlite3_stmt *st = NULL;
	if (sqlite3_prepare_v2(db->h, "PRAGMA wal_checkpoint(TRUNCATE)", -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "checkpoint");
	int rc = sqlite3_step(st);
	int busy = rc == SQLITE_ROW ? sqlite3_column_int(st, 0) : 1;
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return db_fail(db, "checkpoint");
	return busy ? 1 : 0;
}

/* ------------------------------------------------------- key rotation */

/* Every column that holds a value sealed with the key file. */
static const struct {
	const char *name;
	const char *select;
	const char *update;
} sealed_cols[] = {
	{ "tips.sender_sealed",
	  "SELECT id, sender_sealed FROM tips WHERE id > ?1 AND length(sender_sealed) > 0 "
	  "ORDER BY id LIMIT ?2",
	  "UPDATE tips SET sender_sealed = ?2 WHERE id = ?1 AND sender_sealed = ?3" },
	{ "inbound.sender_sealed",
	  "SELECT id, sender_sealed FROM inbound WHERE id > ?1 AND length(sender_sealed) > 0 "
	  "ORDER BY id LIMIT ?2",
	  "UPDATE inbound SET sender_sealed = ?2 WHERE id = ?1 AND sender_sealed = ?3" },
	{ "sms_parts.sender_sealed",
	  "SELECT id, sender_sealed FROM sms_parts WHERE id > ?1 AND length(sender_sealed) > 0 "
	  "ORDER BY id LIMIT ?2",
	  "UPDATE sms_parts SET sender_sealed = ?2 WHERE id = ?1 AND sender_sealed = ?3" },
	{ "outbox.dest_sealed",
	  "SELECT id, dest_sealed FROM outbox WHERE id > ?1 AND length(dest_sealed) > 0 "
	  "ORDER BY id LIMIT ?2",
	  "UPDATE outbox SET dest_sealed = ?2 WHERE id = ?1 AND dest_sealed = ?3" },
	{ "oa_token.access_sealed",
	  "SELECT id, access_sealed FROM oa_token WHERE id > ?1 AND length(access_sealed) > 0 "
	  "ORDER BY id LIMIT ?2",
	  "UPDATE oa_token SET access_sealed = ?2 WHERE id = ?1 AND access_sealed = ?3" },
	{ "oa_token.refresh_sealed",
	  "SELECT id, refresh_sealed FROM oa_token WHERE id > ?1 AND length(refresh_sealed) > 0 "
	  "ORDER BY id LIMIT ?2",
	  "UPDATE oa_token SET refresh_sealed = ?2 WHERE id = ?1 AND refresh_sealed = ?3" },
};

const char *
db_sealed_column(size_t i)
{
	return i < sizeof sealed_cols / sizeof sealed_cols[0] ? sealed_cols[i].name : NULL;
}

int
db_reseal_batch(struct db *db, size_t col, int64_t *after, size_t max,
    db_reseal_fn fn, void *arg, struct reseal_counts *c)
{
	if (col >= sizeof sealed_cols / sizeof sealed_cols[0] || max == 0)
		return -1;
	if (db_begin(db) < 0)
		return -1;
	sqlite3_stmt *sel = db_stmt(db, sealed_cols[col].select);
	if (!sel)
		goto fail;
	sqlite3_bind_int64(sel, 1, *after);
	sqlite3_bind_int64(sel, 2, (int64_t)max);
	size_t rows = 0;
	int rc;
	unsigned char *out = malloc(DB_RESEAL_MAX);
	if (!out) {
		sqlite3_reset(sel);
		snprintf(db->err, sizeof db->err, "out of memory");
		goto fail;
	}
	/* Collect first: the UPDATE must not run while the SELECT walks the table. */
	struct { int64_t id; unsigned char *blob; size_t len; } *todo = calloc(max, sizeof *todo);
	if (!todo) {
		free(out);
		sqlite3_reset(sel);
		goto fail;
	}
	while ((rc = sqlite3_step(sel)) == SQLITE_ROW && rows < max) {
		todo[rows].id = sqlite3_column_int64(sel, 0);
		todo[rows].blob = db_col_blob(sel, 1, &todo[rows].len);
		rows++;
	}
	sqlite3_reset(sel);
	int failed = rc != SQLITE_ROW && rc != SQLITE_DONE;
	if (failed)
		db_fail(db, "reseal");
	for (size_t i = 0; i < rows && !failed; i++) {
		*after = todo[i].id;
		c->seen++;
		if (!todo[i].blob)
			continue;
		size_t outlen = 0;
		int r = fn(arg, todo[i].blob, todo[i].len, out, DB_RESEAL_MAX, &outlen);
		if (r < 0) {
			c->unreadable++;
			continue;
		}
		if (r == 0)
			continue;
		sqlite3_stmt *up = db_stmt(db, sealed_cols[col].update);
		if (!up) {
			failed = 1;
			break;
		}
		sqlite3_bind_int64(up, 1, todo[i].id);
		sqlite3_bind_blob(up, 2, out, (int)outlen, SQLITE_TRANSIENT);
		sqlite3_bind_blob(up, 3, todo[i].blob, (int)todo[i].len, SQLITE_STATIC);
		if (db_step_done(db, up, "reseal") < 0) {
			failed = 1;
			break;
		}
		c->resealed += sqlite3_changes(db->h);
	}
	for (size_t i = 0; i < rows; i++) {
		if (todo[i].blob)
			memset(todo[i].blob, 0, todo[i].len);
		free(todo[i].blob);
	}
	free(todo);
	memset(out, 0, DB_RESEAL_MAX);
	free(out);
	if (failed)
		goto fail;
	if (db_commit(db) < 0)
		return -1;
	return rows == max ? 1 : 0;
fail:
	db_rollback(db);
	return -1;
}
