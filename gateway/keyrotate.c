/* keyrotate — see keyrotate.h. */
#include "gateway/keyrotate.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <sys/file.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/identity.h"

static int
reseal_cb(void *arg, const unsigned char *in, size_t inlen, unsigned char *out, size_t outsz,
    size_t *outlen)
{
	return identity_reseal(arg, in, inlen, out, outsz, outlen);
}

static int64_t
mono_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* One pass over every sealed column: how many values were resealed, -1. */
static int64_t
pass(struct db *db, const struct identity *id, struct keyrotate_report *rep, char *err,
    size_t errlen)
{
	struct reseal_counts c = { 0 };
	for (size_t col = 0; db_sealed_column(col); col++) {
		int64_t after = 0;
		int rc;
		while ((rc = db_reseal_batch(db, col, &after, KEYROTATE_BATCH, reseal_cb,
		    (void *)id, &c)) == 1)
			;
		if (rc < 0) {
			snprintf(err, errlen, "%s: %s", db_sealed_column(col), db_errmsg(db));
			return -1;
		}
	}
	rep->seen = c.seen;               /* of the last pass */
	rep->unreadable = c.unreadable;
	rep->resealed += c.resealed;
	return c.resealed;
}

static int
rotate_locked(struct db *db, const char *key_path, struct keyrotate_report *rep, char *err,
    size_t errlen)
{
	if (identity_key_rotate(key_path, err, errlen) < 0)
		return -1;
	struct identity *id = identity_open(key_path, err, errlen);
	if (!id)
		return -1;
	rep->fingerprint = identity_key_fingerprint(id);
	char detail[200];
	snprintf(detail, sizeof detail, "new sealing key %016llx; the previous one retired",
	    (unsigned long long)rep->fingerprint);
	if (db_audit(db, (int64_t)time(NULL), "tinbao", "key_rotated", 0, detail) < 0) {
		snprintf(err, errlen, "audit: %s", db_errmsg(db));
		identity_close(id);
		return -1;
	}
	int64_t start = mono_ms(), confirmed_at = 0;
	int rc = -1;
	for (;;) {
		if (++rep->passes > KEYROTATE_MAX_PASSES) {
			snprintf(err, errlen, "values under the old key keep coming after %d passes",
			    KEYROTATE_MAX_PASSES);
			goto out;
		}
		int64_t n = pass(db, id, rep, err, errlen);
		if (n < 0)
			goto out;
		int64_t now = mono_ms(), fp = 0;
		if (!rep->daemon_confirmed) {
			if (db_counter_get(db, KEYROTATE_COUNTER, &fp) < 0) {
				snprintf(err, errlen, "%s", db_errmsg(db));
				goto out;
			}
			if (fp == rep->fingerprint) {
				rep->daemon_confirmed = 1;
				confirmed_at = now;
				continue;           /* one more full pass after the swap */
			}
		}
		if (n == 0 && rep->daemon_confirmed && now - confirmed_at >= KEYROTATE_GRACE_S * 1000)
			break;
		if (n == 0 && !rep->daemon_confirmed && now - start >= KEYROTATE_WAIT_S * 1000)
			break;              /* tinbaod is not running, or not looking */
		if (n == 0) {
			struct timespec ts = { 0, 200 * 1000000L };
			nanosleep(&ts, NULL);
		}
	}
	/* Keys older than the one just retired: no value uses them now. */
	if (identity_key_prune(key_path, 1, err, errlen) < 0)
		goto out;
	snprintf(detail, sizeof detail, "resealed %lld values in %d passes under key %016llx; "
	    "%lld unreadable", (long long)rep->resealed, rep->passes,
	    (unsigned long long)rep->fingerprint, (long long)rep->unreadable);
	if (db_audit(db, (int64_t)time(NULL), "tinbao", "key_resealed", 0, detail) < 0) {
		snprintf(err, errlen, "audit: %s", db_errmsg(db));
		goto out;
	}
	rc = 0;
out:
	identity_close(id);
	char scratch[300];
	id = identity_open(key_path, scratch, sizeof scratch);
	if (id) {
		rep->keys = identity_key_count(id);
		identity_close(id);
	}
	return rc;
}

int
keyrotate_run(struct db *db, const char *key_path, struct keyrotate_report *rep, char *err,
    size_t errlen)
{
	memset(rep, 0, sizeof *rep);
	err[0] = '\0';
	char lock[4096];
	if (snprintf(lock, sizeof lock, "%s.lock", key_path) >= (int)sizeof lock) {
		snprintf(err, errlen, "%s: path too long", key_path);
		return -1;
	}
	int fd = open(lock, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", lock, strerror(errno));
		return -1;
	}
	if (flock(fd, LOCK_EX | LOCK_NB) < 0) {
		snprintf(err, errlen, "another `tinbao key rotate` is running (%s)", lock);
		close(fd);
		return -1;
	}
	int rc = rotate_locked(db, key_path, rep, err, errlen);
	close(fd);
	return rc;
}
