/* db_backup — backing the database up while tinbaod writes, restoring it,
 * and the daemon's claim on it. See db.h. */
#include "db/db_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

/* path's directory into dir (PATH_MAX). */
static void
dir_of(const char *path, char *dir, size_t dirsz)
{
	snprintf(dir, dirsz, "%s", path);
	char *slash = strrchr(dir, '/');
	if (!slash)
		snprintf(dir, dirsz, ".");
	else if (slash == dir)
		dir[1] = '\0';
	else
		*slash = '\0';
}

static int
fsync_path(const char *path, int directory)
{
	int fd = open(path, (directory ? O_RDONLY | O_DIRECTORY : O_RDWR) | O_CLOEXEC);
	if (fd < 0)
		return -1;
	int rc = fsync(fd);
	int e = errno;
	close(fd);
	errno = e;
	return rc;
}

/* One statement on a bare handle; its error into err. */
static int
bare_exec(sqlite3 *h, const char *sql, const char *what, char *err, size_t errlen)
{
	char *msg = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &msg) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", what, msg ? msg : sqlite3_errmsg(h));
		sqlite3_free(msg);
		return -1;
	}
	return 0;
}

/* "ok" from PRAGMA quick_check / integrity_check on h, else the first
 * complaint in err. */
static int
bare_check(sqlite3 *h, const char *pragma, char *err, size_t errlen)
{
	sqlite3_stmt *st;
	if (sqlite3_prepare_v2(h, pragma, -1, &st, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", pragma, sqlite3_errmsg(h));
		return -1;
	}
	int rc = sqlite3_step(st), ok = 0;
	if (rc == SQLITE_ROW) {
		const unsigned char *t = sqlite3_column_text(st, 0);
		ok = t && strcmp((const char *)t, "ok") == 0;
		if (!ok)
			snprintf(err, errlen, "%s: %s", pragma, t ? (const char *)t : "?");
	} else {
		snprintf(err, errlen, "%s: %s", pragma, sqlite3_errmsg(h));
	}
	sqlite3_finalize(st);
	return ok ? 0 : -1;
}

int
db_backup_to(struct db *src, const char *dest, char *err, size_t errlen)
{
	char dir[PATH_MAX], tmp[PATH_MAX + 32];
	dir_of(dest, dir, sizeof dir);
	if (access(dest, F_OK) == 0) {
		snprintf(err, errlen, "%s exists: a backup never replaces a file", dest);
		return -1;
	}
	int w = snprintf(tmp, sizeof tmp, "%s.tmp-XXXXXX", dest);
	if (w < 0 || (size_t)w >= sizeof tmp) {
		snprintf(err, errlen, "%s: the name is too long", dest);
		return -1;
	}
	int fd = mkstemp(tmp);                 /* 0600, ours alone */
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", dir, strerror(errno));
		return -1;
	}
	close(fd);
	sqlite3 *h = NULL;
	int rc = -1;
	if (sqlite3_open_v2(tmp, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, NULL) !=
	    SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", tmp, h ? sqlite3_errmsg(h) : "cannot open");
		goto out;
	}
	/* One step for the whole file: one read transaction on the source, so
	 * the copy is one consistent moment while tinbaod goes on writing in
	 * WAL mode (stepping in pieces would start over at each of its
	 * commits). */
	sqlite3_backup *b = sqlite3_backup_init(h, "main", src->h, "main");
	if (!b) {
		snprintf(err, errlen, "backup: %s", sqlite3_errmsg(h));
		goto out;
	}
	int step, tries = 0;
	while (((step = sqlite3_backup_step(b, -1)) == SQLITE_BUSY || step == SQLITE_LOCKED) &&
	    ++tries < DB_BUSY_TIMEOUT_MS / 50)
		sqlite3_sleep(50);
	if (sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE) {
		snprintf(err, errlen, "backup: %s", sqlite3_errstr(step == SQLITE_DONE ?
		    sqlite3_errcode(h) : step));
		goto out;
	}
	/* a copy stands alone: no -wal beside it, fully checked */
	if (bare_exec(h, "PRAGMA journal_mode = DELETE", "journal mode", err, errlen) < 0 ||
	    bare_check(h, "PRAGMA quick_check", err, errlen) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_close(h);
	if (rc == 0 && (fsync_path(tmp, 0) < 0 || rename(tmp, dest) < 0 || fsync_path(dir, 1) < 0)) {
		snprintf(err, errlen, "%s: %s", dest, strerror(errno));
		rc = -1;
	}
	if (rc < 0)
		unlink(tmp);
	return rc;
}

struct db *
db_open_backup(const char *path, char *err, size_t errlen)
{
	char uri[PATH_MAX + 32];
	struct stat st;
	if (stat(path, &st) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return NULL;
	}
	if (!S_ISREG(st.st_mode)) {
		snprintf(err, errlen, "%s: not a file", path);
		return NULL;
	}
	struct db *db = calloc(1, sizeof *db);
	if (!db) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	db->readonly = 1;
	/* a file nobody writes: no locks, no -shm, nothing made beside it */
	sqlite3_str *s = sqlite3_str_new(NULL);
	sqlite3_str_appendall(s, "file:");
	for (const char *p = path; *p; p++) {
		if (*p == '%' || *p == '?' || *p == '#')
			sqlite3_str_appendf(s, "%%%02X", (unsigned char)*p);
		else
			sqlite3_str_appendchar(s, 1, *p);
	}
	sqlite3_str_appendall(s, "?mode=ro&immutable=1");
	char *u = sqlite3_str_finish(s);
	snprintf(uri, sizeof uri, "%s", u ? u : "");
	sqlite3_free(u);
	if (sqlite3_open_v2(uri, &db->h, SQLITE_OPEN_READONLY | SQLITE_OPEN_URI |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", path, db->h ? sqlite3_errmsg(db->h) : "cannot open");
		db_close(db);
		return NULL;
	}
	if (bare_check(db->h, "PRAGMA integrity_check", err, errlen) < 0) {
		char why[400];
		snprintf(why, sizeof why, "%s", err);
		snprintf(err, errlen, "%s is damaged (%s)", path, why);
		db_close(db);
		return NULL;
	}
	int64_t v = -1;
	sqlite3_stmt *st2;
	if (sqlite3_prepare_v2(db->h, "PRAGMA user_version", -1, &st2, NULL) == SQLITE_OK &&
	    sqlite3_step(st2) == SQLITE_ROW)
		v = sqlite3_column_int64(st2, 0);
	sqlite3_finalize(st2);
	if (v < 1 || v > db_schema_version()) {
		snprintf(err, errlen, "%s: not a tinbao database this program can open (schema "
		    "version %lld; this program knows up to %lld)", path, (long long)v,
		    (long long)db_schema_version());
		db_close(db);
		return NULL;
	}
	return db;
}

int
db_restore_from(struct db *backup, const char *dest, char *err, size_t errlen)
{
	sqlite3 *h = NULL;
	int rc = -1;
	if (sqlite3_open_v2(dest, &h, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE |
	    SQLITE_OPEN_NOMUTEX, NULL) != SQLITE_OK) {
		snprintf(err, errlen, "%s: %s", dest, h ? sqlite3_errmsg(h) : "cannot open");
		goto out;
	}
	sqlite3_busy_timeout(h, DB_BUSY_TIMEOUT_MS);
	/* through the destination's own connection: its -wal and -shm follow,
	 * and a crash leaves the old database or the new one, whole */
	sqlite3_backup *b = sqlite3_backup_init(h, "main", backup->h, "main");
	if (!b) {
		snprintf(err, errlen, "restore: %s", sqlite3_errmsg(h));
		goto out;
	}
	int step = sqlite3_backup_step(b, -1);
	if (sqlite3_backup_finish(b) != SQLITE_OK || step != SQLITE_DONE) {
		snprintf(err, errlen, "restore: %s", sqlite3_errstr(step == SQLITE_DONE ?
		    sqlite3_errcode(h) : step));
		goto out;
	}
	if (bare_exec(h, "PRAGMA journal_mode = WAL", "journal mode", err, errlen) < 0 ||
	    bare_check(h, "PRAGMA quick_check", err, errlen) < 0)
		goto out;
	rc = 0;
out:
	sqlite3_close(h);
	return rc;
}

int
db_claim(const char *path, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		int e = errno;
		close(fd);
		if (e == EWOULDBLOCK) {
			snprintf(err, errlen, "%s is in use by a running tinbaod", path);
			return -2;
		}
		snprintf(err, errlen, "%s: %s", path, strerror(e));
		return -1;
	}
	return fd;
}

int
db_sealed_sample(struct db *db, unsigned char **out, size_t *len)
{
	*out = NULL;
	*len = 0;
	sqlite3_stmt *st = db_stmt(db, "SELECT sender_sealed FROM tips WHERE sender_sealed IS NOT "
	    "NULL ORDER BY id DESC LIMIT 1");
	if (!st)
		return -1;
	int rc = sqlite3_step(st);
	if (rc == SQLITE_ROW)
		*out = db_col_blob(st, 0, len);
	sqlite3_reset(st);
	if (rc == SQLITE_ROW)
		return *out ? 1 : -1;
	return rc == SQLITE_DONE ? 0 : db_fail(db, "sealed sample");
}
