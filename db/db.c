/* db — connections, pragmas, running the migrations (db_schema.c), and
 * transactions. See db.h. */
#include <assert.h>

#include "db/db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* The number of migrations (db_schema.c asserts that it is theirs). */
#define N_MIGRATIONS ((size_t)DB_SCHEMA_VERSION)

int64_t
db_schema_version(void)
{
	return (int64_t)N_MIGRATIONS;
}

int
db_fail(struct db *db, const char *what)
{
	snprintf(db->err, sizeof db->err, "%s: %s", what, sqlite3_errmsg(db->h));
	return -1;
}

const char *
db_errmsg(struct db *db)
{
	return db->err;
}

int
db_set_error(struct db *db, const char *msg)
{
	snprintf(db->err, sizeof db->err, "%s", msg);
	return -1;
}

sqlite3_stmt *
db_stmt(struct db *db, const char *sql)
{
	size_t free_slot = DB_STMT_CACHE;
	for (size_t i = 0; i < DB_STMT_CACHE; i++) {
		if (db->cache[i].sql == sql) {
			sqlite3_reset(db->cache[i].st);
			sqlite3_clear_bindings(db->cache[i].st);
			return db->cache[i].st;
		}
		if (!db->cache[i].sql && free_slot == DB_STMT_CACHE)
			free_slot = i;
	}
	sqlite3_stmt *st;
	if (sqlite3_prepare_v3(db->h, sql, -1, SQLITE_PREPARE_PERSISTENT, &st, NULL) != SQLITE_OK) {
		db_fail(db, "prepare");
		return NULL;
	}
	if (free_slot < DB_STMT_CACHE) {
		db->cache[free_slot].sql = sql;
		db->cache[free_slot].st = st;
	} else {
		/* The cache holds every statement of this program; should it ever
		 * fill, evict the first slot rather than leak. */
		sqlite3_finalize(db->cache[0].st);
		db->cache[0].sql = sql;
		db->cache[0].st = st;
	}
	return st;
}

int
db_step_done(struct db *db, sqlite3_stmt *st, const char *what)
{
	int rc = sqlite3_step(st);
	sqlite3_reset(st);
	if (rc != SQLITE_DONE && rc != SQLITE_ROW)
		return db_fail(db, what);
	return 0;
}

int
db_collect(struct db *db, sqlite3_stmt *st, size_t size, void (*read)(sqlite3_stmt *, void *),
    void **out, size_t *n, const char *what)
{
	*out = NULL;
	*n = 0;
	size_t cap = 0;
	int rc;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			size_t ncap = cap ? cap * 2 : 16;
			void *grown = realloc(*out, ncap * size);
			if (!grown) {
				sqlite3_reset(st);
				snprintf(db->err, sizeof db->err, "%s: out of memory", what);
				return -1;
			}
			*out = grown;
			cap = ncap;
		}
		void *elem = (char *)*out + *n * size;
		memset(elem, 0, size);
		read(st, elem);
		(*n)++;
	}
	sqlite3_reset(st);
	return rc == SQLITE_DONE ? 0 : db_fail(db, what);
}

char *
db_col_text(sqlite3_stmt *st, int col)
{
	const unsigned char *t = sqlite3_column_text(st, col);
	return t ? strdup((const char *)t) : NULL;
}

unsigned char *
db_col_blob(sqlite3_stmt *st, int col, size_t *len)
{
	const void *b = sqlite3_column_blob(st, col);
	int n = sqlite3_column_bytes(st, col);
	*len = 0;
	if (!b || n <= 0)
		return NULL;
	unsigned char *copy = malloc((size_t)n);
	if (!copy)
		return NULL;
	memcpy(copy, b, (size_t)n);
	*len = (size_t)n;
	return copy;
}

void
db_bind_text(sqlite3_stmt *st, int idx, const char *s)
{
	if (s)
		sqlite3_bind_text(st, idx, s, -1, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, idx);
}

void
db_bind_i64_or_null(sqlite3_stmt *st, int idx, int64_t v)
{
	if (v)
		sqlite3_bind_int64(st, idx, v);
	else
		sqlite3_bind_null(st, idx);
}

static int
exec(struct db *db, const char *sql, const char *what)
{
	char *msg = NULL;
	if (sqlite3_exec(db->h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(db->err, sizeof db->err, "%s: %s", what, msg ? msg : "?");
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

static int
pragma_int(struct db *db, const char *sql, int64_t *out)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(db->h, sql, -1, &st, NULL) != SQLITE_OK)
		return db_fail(db, "pragma");
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return rc == SQLITE_ROW ? 0 : db_fail(db, "pragma");
}

static int
migrate(struct db *db)
{
	int64_t version;
	if (exec(db, "BEGIN IMMEDIATE", "begin migration") < 0)
		return -1;
	if (pragma_int(db, "PRAGMA user_version", &version) < 0)
		goto fail;
	if (version > (int64_t)N_MIGRATIONS) {
		snprintf(db->err, sizeof db->err, "the database has schema version %lld, newer "
		    "than this program (%zu): upgrade tinbao", (long long)version, N_MIGRATIONS);
		goto fail;
	}
	for (int64_t v = version; v < (int64_t)N_MIGRATIONS; v++) {
		char sql[64];
		if (exec(db, db_migration((size_t)v), "migration") < 0)
			goto fail;
		snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)(v + 1));
		if (exec(db, sql, "migration") < 0)
			goto fail;
	}
	return exec(db, "COMMIT", "commit migration");
fail:
	exec(db, "ROLLBACK", "rollback");
	return -1;
}

/* SQLite's own busy handler sleeps 25 to 100 ms at a time once it has
 * waited a little, so a webhook waiting behind a transaction of a few
 * milliseconds waited tens more. This one looks again every 100 us at first,
 * then every 250 us and 1 ms, until busy_ms have passed. */
static int
busy_wait(void *arg, int count)
{
	struct db *db = arg;
	struct timespec now;
	clock_gettime(CLOCK_MONOTONIC, &now);
	if (count == 0)
		db->busy_since = now;
	long long waited_ms = (long long)(now.tv_sec - db->busy_since.tv_sec) * 1000 +
	    (now.tv_nsec - db->busy_since.tv_nsec) / 1000000;
	if (waited_ms >= db->busy_ms)
		return 0;
	struct timespec pause = { 0, count < 50 ? 100000L : count < 250 ? 250000L : 1000000L };
	nanosleep(&pause, NULL);
	return 1;
}

/* Process-wide settings, before SQLite's first use. A statement inside a
 * transaction keeps the pages it changes in a statement journal (foreign
 * keys and the counters' triggers need one). Past its spill size SQLite
 * copies that journal to a file in /var/tmp, and Debian 12's SQLite 3.40.1
 * can fail that copy with "database or disk is full" (a 1 MiB spill failed
 * the flood guard's collapse of 5,000 notifications every time; 128 KiB and
 * 2 MiB passed on that one, 256 and 512 KiB did not: its copy writes a
 * chunk of negative length when the journal holds chunks past its end).
 * So statement journals never spill: they stay in memory, and the
 * statements that could change many rows work in steps (the collapse,
 * 1,000 rows a statement), which keeps each journal near a megabyte. It
 * also keeps routed batches off the disk (they spilled at SQLite's 64 KiB,
 * at ten times the WAL's writes). No memory statistics: they cost a global
 * mutex on every allocation. */
static void
configure(void)
{
	sqlite3_config(SQLITE_CONFIG_STMTJRNL_SPILL, -1);
	sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0);
	sqlite3_initialize();
}

struct db *
db_open(const char *path, int readonly, char *err, size_t errlen)
{
	static pthread_once_t once = PTHREAD_ONCE_INIT;
	pthread_once(&once, configure);
	struct db *db = calloc(1, sizeof *db);
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->readonly = readonly;
	int flags = SQLITE_OPEN_NOMUTEX | (readonly ? SQLITE_OPEN_READONLY :
	    SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE);
	if (sqlite3_open_v2(path, &db->h, flags, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		db_close(db);
		return NULL;
	}
	db_busy_timeout(db, DB_BUSY_TIMEOUT_MS);
	sqlite3_extended_result_codes(db->h, 1);
	if (!readonly && sqlite3_db_readonly(db->h, "main") == 1) {
		/* SQLite falls back to read-only when the file is not writable:
		 * a writer would fail at every write, far from the cause */
		snprintf(err, errlen, "%s: this user (uid %u) may read the database but not write "
		    "it: check its owner and mode (the service user must own it)", path,
		    (unsigned)geteuid());
		db_close(db);
		return NULL;
	}
	if ((!readonly && exec(db, "PRAGMA journal_mode = WAL", "journal_mode") < 0) ||
	    exec(db, "PRAGMA synchronous = FULL", "synchronous") < 0 ||
	    exec(db, "PRAGMA foreign_keys = ON", "foreign_keys") < 0 ||
	    /* destroyed addresses must not linger in free space (retention) */
	    exec(db, "PRAGMA secure_delete = ON", "secure_delete") < 0 ||
	    /* a page cache of 1 MiB per connection, not SQLite's 2 MiB: tinbaod
	     * holds one for each thread that writes, and its indexes keep the
	     * pages a query needs few (make bench: RSS at 100,000 open tips) */
	    exec(db, "PRAGMA cache_size = -1024", "cache_size") < 0 ||

	    (!readonly && migrate(db) < 0)) {
		snprintf(err, errlen, "%s: %s", path, db->err);
		db_close(db);
		return NULL;
	}
	if (readonly) {
		int64_t version;
		if (pragma_int(db, "PRAGMA user_version", &version) < 0 ||
		    version != (int64_t)N_MIGRATIONS) {
			snprintf(err, errlen, "%s: not a tinbao database of schema version %zu "
			    "(start tinbaod once, or run a command that changes it)", path, N_MIGRATIONS);
			db_close(db);
			return NULL;
		}
	}
	return db;
}

void
db_close(struct db *db)
{
	if (!db)
		return;
	for (size_t i = 0; i < DB_STMT_CACHE; i++)
		if (db->cache[i].st)
			sqlite3_finalize(db->cache[i].st);
	sqlite3_close(db->h);
	free(db);
}

int
db_begin(struct db *db)
{
	if (!db->has_writer) {
		db->writer = pthread_self();
		db->has_writer = 1;
	}
	assert(pthread_equal(db->writer, pthread_self()));
	return exec(db, "BEGIN IMMEDIATE", "begin");
}

int
db_commit(struct db *db)
{
	if (exec(db, "COMMIT", "commit") < 0) {
		db_rollback(db);        /* keeps the commit's error for the log */
		return -1;
	}
	return 0;
}

void
db_rollback(struct db *db)
{
	if (!sqlite3_get_autocommit(db->h)) {
		char keep[sizeof db->err];
		memcpy(keep, db->err, sizeof keep);
		exec(db, "ROLLBACK", "rollback");
		memcpy(db->err, keep, sizeof keep);
	}
}

/* "owner uid 0, mode 0644" of path into out. */
static void
describe(const char *path, char *out, size_t outsz)
{
	struct stat st;
	if (stat(path, &st) == 0)
		snprintf(out, outsz, "owner uid %u, group %u, mode %04o", (unsigned)st.st_uid,
		    (unsigned)st.st_gid, (unsigned)(st.st_mode & 07777));
	else
		snprintf(out, outsz, "%s", strerror(errno));
}

int
db_check_writable(const char *path, char *err, size_t errlen)
{
	char dir[PATH_MAX], what[96], aux[PATH_MAX + 8];
	snprintf(dir, sizeof dir, "%s", path);
	const char *parent = dirname(dir);          /* in place, or "." when no slash */
	if (parent != dir)
		snprintf(dir, sizeof dir, "%s", parent);
	int exists = access(path, F_OK) == 0;
	/* the directory: tinbaod creates the database there, and SQLite its
	 * -wal and -shm files beside it at every start */
	if (faccessat(AT_FDCWD, dir, W_OK | X_OK, AT_EACCESS) < 0) {
		int e = errno;
		describe(dir, what, sizeof what);
		snprintf(err, errlen, "directory %s: %s for uid %u (%s): %s", dir, strerror(e),
		    (unsigned)geteuid(), what, exists ? "SQLite creates the -wal and -shm files "
		    "beside the database there" : "tinbaod creates the database there");
		return -1;
	}
	if (!exists)
		return 0;
	static const char *const ext[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		snprintf(aux, sizeof aux, "%s%s", path, ext[i]);
		if (i && access(aux, F_OK) < 0)
			continue;
		if (faccessat(AT_FDCWD, aux, R_OK | W_OK, AT_EACCESS) < 0) {
			int e = errno;
			describe(aux, what, sizeof what);
			snprintf(err, errlen, "%s: %s for uid %u (%s): tinbaod could not write it", aux,
			    strerror(e), (unsigned)geteuid(), what);
			return -1;
		}
	}
	/* then a real write through SQLite, as tinbaod's first one (the
	 * schema version, written back unchanged) */
	char open_err[512];
	struct db *db = db_open(path, 0, open_err, sizeof open_err);
	if (!db) {
		snprintf(err, errlen, "%s", open_err);
		return -1;
	}
	int64_t version = 0;
	char sql[64];
	int rc = pragma_int(db, "PRAGMA user_version", &version);
	snprintf(sql, sizeof sql, "PRAGMA user_version = %lld", (long long)version);
	if (rc == 0)
		rc = exec(db, "BEGIN IMMEDIATE", "begin");
	if (rc == 0 && (exec(db, sql, "write") < 0 || exec(db, "COMMIT", "commit") < 0)) {
		exec(db, "ROLLBACK", "rollback");
		rc = -1;
	}
	if (rc < 0)
		snprintf(err, errlen, "%s: a write failed: %s", path, db->err);
	db_close(db);
	return rc;
}

int
db_in_transaction(struct db *db)
{
	return !sqlite3_get_autocommit(db->h);
}

int
db_savepoint(struct db *db)
{
	return exec(db, "SAVEPOINT tb_step", "savepoint");
}

int
db_release(struct db *db)
{
	return exec(db, "RELEASE tb_step", "release");
}

int
db_rollback_to(struct db *db)
{
	char keep[sizeof db->err];
	memcpy(keep, db->err, sizeof keep);      /* the step's error, for the log */
	int rc = exec(db, "ROLLBACK TO tb_step", "rollback to") == 0 &&
	    exec(db, "RELEASE tb_step", "release") == 0 ? 0 : -1;
	if (rc == 0)
		memcpy(db->err, keep, sizeof keep);
	return rc;
}

int
db_writable(const char *path, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int ok = sqlite3_open_v2(path, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) ==
	    SQLITE_OK;
	if (ok) {
		sqlite3_busy_timeout(h, 1000);
		ok = sqlite3_exec(h, "BEGIN IMMEDIATE", NULL, NULL, NULL) == SQLITE_OK;
		if (ok)
			sqlite3_exec(h, "ROLLBACK", NULL, NULL, NULL);
	}
	if (!ok)
		snprintf(err, errlen, "%s", h ? sqlite3_errmsg(h) : "cannot open");
	sqlite3_close(h);
	return ok;
}

void
db_autocheckpoint(struct db *db, int on)
{
	sqlite3_wal_autocheckpoint(db->h, on ? 1000 : 0);
}

void
db_busy_timeout(struct db *db, int ms)
{
	db->busy_ms = ms;
	sqlite3_busy_handler(db->h, busy_wait, db);
}

int64_t
db_data_version(struct db *db)
{
	int64_t v = -1;
	pragma_int(db, "PRAGMA data_version", &v);
	return v;
}

int
db_oa_token_get(struct db *db, struct oa_token *out)
{
	memset(out, 0, sizeof *out);
	sqlite3_stmt *st = db_stmt(db, "SELECT access_sealed, refresh_sealed, expires_at, updated_at "
	    "FROM oa_token WHERE id = 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->access = db_col_blob(st, 0, &out->access_len);
		out->refresh = db_col_blob(st, 1, &out->refresh_len);
		out->expires_at = sqlite3_column_int64(st, 2);
		out->updated_at = sqlite3_column_int64(st, 3);
	}
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return 1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "oa token");
}

int
db_oa_token_put(struct db *db, const unsigned char *access, size_t access_len,
    const unsigned char *refresh, size_t refresh_len, int64_t expires_at, int64_t now)
{
	sqlite3_stmt *st = db_stmt(db, "INSERT INTO oa_token(id, access_sealed, refresh_sealed, "
	    "expires_at, updated_at) VALUES (1, ?1, ?2, ?3, ?4) ON CONFLICT(id) DO UPDATE SET "
	    "access_sealed = ?1, refresh_sealed = ?2, expires_at = ?3, updated_at = ?4");
	if (!st)
		return -1;
	if (access && access_len)
		sqlite3_bind_blob(st, 1, access, (int)access_len, SQLITE_TRANSIENT);
	else
		sqlite3_bind_null(st, 1);
	sqlite3_bind_blob(st, 2, refresh, (int)refresh_len, SQLITE_TRANSIENT);
	sqlite3_bind_int64(st, 3, expires_at);
	sqlite3_bind_int64(st, 4, now);
	return db_step_done(db, st, "store oa token");
}

void
oa_token_clear(struct oa_token *t)
{
	if (t->access)
		memset(t->access, 0, t->access_len);
	if (t->refresh)
		memset(t->refresh, 0, t->refresh_len);
	free(t->access);
	free(t->refresh);
	memset(t, 0, sizeof *t);
}

