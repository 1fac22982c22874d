/* db_internal — what the db/ files share: the connection struct, a small
 * per-connection statement cache and column helpers. Not for use outside db/. */
#ifndef TINBAO_DB_INTERNAL_H
#define TINBAO_DB_INTERNAL_H

#include <pthread.h>
#include <sqlite3.h>
#include <stdint.h>
#include <time.h>

#include "db/db.h"

#define DB_STMT_CACHE 96

struct db {
	sqlite3 *h;
	int readonly;
	/* the thread that opened the first write transaction: a connection is
	 * never used by two threads (DESIGN: no handle crosses threads) */
	pthread_t writer;
	int has_writer;
	int busy_ms;                  /* how long a statement waits for a lock */
	struct timespec busy_since;   /* when the current wait began */
	char err[256];
	struct { const char *sql; sqlite3_stmt *st; } cache[DB_STMT_CACHE];
};

/* Queued, not being sent. Repeats the WHERE of the partial index
 * outbox_ready, so that SQLite scans only unsent rows instead of the whole
 * (ever growing) outbox (tests/unit/test_dbwalk.c). */
#define DB_UNSENT "state IN ('queued','sending') AND state = 'queued'"

/* A prepared, reset statement for SQL (a string literal: cached by address).
 * NULL on error (db->err set). */
sqlite3_stmt *db_stmt(struct db *db, const char *sql);
/* Record sqlite's current error in db->err with a context word; returns -1. */
int db_fail(struct db *db, const char *what);
/* Run a statement that returns no rows to completion. 0 / -1. */
int db_step_done(struct db *db, sqlite3_stmt *st, const char *what);

/* Step st to its end, appending one element of `size` bytes per row, filled
 * by read(). 0, or -1 (db->err set); either way *out and *n hold what was
 * read, for the caller's *_free(). */
int db_collect(struct db *db, sqlite3_stmt *st, size_t size,
    void (*read)(sqlite3_stmt *st, void *elem), void **out, size_t *n, const char *what);

/* Outbox rows as struct outbox_item: select DB_OUTBOX_ITEM_COLS, then
 * db_outbox_items() collects them (0, or -1 with *out freed and NULL). */
#define DB_OUTBOX_ITEM_COLS "id, channel, dest, text, kind, tip_id, attempts, officer_id"
struct outbox_item;
int db_outbox_items(struct db *db, sqlite3_stmt *st, struct outbox_item **out, size_t *n,
    const char *what);

/* Migration i of the schema (db_schema.c): it takes version i to i+1,
 * for i below DB_SCHEMA_VERSION. */
const char *db_migration(size_t i);

char *db_col_text(sqlite3_stmt *st, int col);           /* strdup or NULL */
unsigned char *db_col_blob(sqlite3_stmt *st, int col, size_t *len);
void db_bind_text(sqlite3_stmt *st, int idx, const char *s);  /* NULL binds NULL */
void db_bind_i64_or_null(sqlite3_stmt *st, int idx, int64_t v); /* 0 binds NULL */

#endif
