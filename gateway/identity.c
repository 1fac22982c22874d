/* identity — see identity.h. The only module that includes <sodium.h>. */
#include "gateway/identity.h"

#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <sodium.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/i18n.h"

#define KEY_BYTES 32
#define KDF_CONTEXT "tinbaoid"          /* 8 bytes, crypto_kdf_CONTEXTBYTES */
#define SUBKEY_SEAL 1
#define SUBKEY_PSEUDONYM 2
#define SUBKEY_DIGEST 3

/* The key file. Version 0 (written by `tinbao key init`): the 32-byte master,
 * from which the sealing, pseudonym and digest keys are derived. Version 1
 * (written by `tinbao key rotate`):
 *     "TINBAOK1"  master (32)  n (1 byte, 1..IDENTITY_SEAL_KEYS_MAX)  n sealing keys (32 each)
 * The pseudonym and digest keys still come from the master (they must never
 * change: they link follow-ups and deduplicate channel ids); the sealing keys
 * are listed oldest first, the last one seals, the others only open. */
#define KEYFILE_MAGIC "TINBAOK1"
#define KEYFILE_MAGIC_LEN 8
#define KEYFILE_MAX (KEYFILE_MAGIC_LEN + KEY_BYTES + 1 + IDENTITY_SEAL_KEYS_MAX * KEY_BYTES)

/* One generation of sealing keys: immutable once published (read-only
 * memory). A key set replaced by a newer one is kept on a list until
 * identity_close(), so a thread that loaded the old pointer can finish. */
struct keyset {
	size_t n;
	unsigned char seal[IDENTITY_SEAL_KEYS_MAX][crypto_secretbox_KEYBYTES];
	struct keyset *older;
};

struct identity_live {
	pthread_mutex_t lock;              /* serialises identity_refresh() */
	_Atomic(struct keyset *) cur;
	char *path;
	dev_t dev;
	ino_t ino;
	off_t size;
	struct timespec mtime;
};

struct identity {
	unsigned char pseudonym_key[crypto_generichash_KEYBYTES];
	unsigned char digest_key[crypto_generichash_KEYBYTES];
	struct identity_live *live;
};

/* What a key file holds. Wiped by the caller. */
struct keyfile {
	unsigned char master[KEY_BYTES];
	size_t n;
	unsigned char seal[IDENTITY_SEAL_KEYS_MAX][KEY_BYTES];
	int legacy;
};

static int
sodium_ready(void)
{
	return sodium_init() < 0 ? -1 : 0;
}

static int
keyfile_parse(const unsigned char *buf, size_t len, struct keyfile *kf,
    char *err, size_t errlen)
{
	memset(kf, 0, sizeof *kf);
	if (sodium_ready() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return -1;
	}
	if (len == KEY_BYTES) {
		memcpy(kf->master, buf, KEY_BYTES);
		kf->n = 1;
		kf->legacy = 1;
		crypto_kdf_derive_from_key(kf->seal[0], KEY_BYTES, SUBKEY_SEAL, KDF_CONTEXT, kf->master);
		return 0;
	}
	if (len < KEYFILE_MAGIC_LEN + KEY_BYTES + 1 + KEY_BYTES ||
	    memcmp(buf, KEYFILE_MAGIC, KEYFILE_MAGIC_LEN) != 0) {
		snprintf(err, errlen, "not a tinbao key file (32 bytes, or \"%s\" and keys)",
		    KEYFILE_MAGIC);
		return -1;
	}
	size_t n = buf[KEYFILE_MAGIC_LEN + KEY_BYTES];
	if (n < 1 || n > IDENTITY_SEAL_KEYS_MAX ||
	    len != KEYFILE_MAGIC_LEN + KEY_BYTES + 1 + n * KEY_BYTES) {
		snprintf(err, errlen, "damaged key file (%zu sealing keys, %zu bytes)", n, len);
		return -1;
	}
	memcpy(kf->master, buf + KEYFILE_MAGIC_LEN, KEY_BYTES);
	kf->n = n;
	for (size_t i = 0; i < n; i++)
		memcpy(kf->seal[i], buf + KEYFILE_MAGIC_LEN + KEY_BYTES + 1 + i * KEY_BYTES, KEY_BYTES);
	return 0;
}

int
identity_keyfile_check(const void *buf, size_t len, char *err, size_t errlen)
{
	struct keyfile kf;
	int rc = keyfile_parse(buf, len, &kf, err, errlen);
	int n = rc < 0 ? -1 : (int)kf.n;
	sodium_memzero(&kf, sizeof kf);
	return n;
}

/* Serialise kf (always version 1) into buf (KEYFILE_MAX bytes): its length. */
static size_t
keyfile_format(const struct keyfile *kf, unsigned char *buf)
{
	memcpy(buf, KEYFILE_MAGIC, KEYFILE_MAGIC_LEN);
	memcpy(buf + KEYFILE_MAGIC_LEN, kf->master, KEY_BYTES);
	buf[KEYFILE_MAGIC_LEN + KEY_BYTES] = (unsigned char)kf->n;
	for (size_t i = 0; i < kf->n; i++)
		memcpy(buf + KEYFILE_MAGIC_LEN + KEY_BYTES + 1 + i * KEY_BYTES, kf->seal[i], KEY_BYTES);
	return KEYFILE_MAGIC_LEN + KEY_BYTES + 1 + kf->n * KEY_BYTES;
}

/* Read and check the key file; sb gets its stat. 0 / -1. */
static int
keyfile_read(const char *path, struct keyfile *kf, struct stat *sb, char *err, size_t errlen)
{
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		int e = errno;
		struct stat st;
		if (e == ENOENT)
			snprintf(err, errlen, _("key file %s: %s (create it with `tinbao key init`)"),
			    path, strerror(e));
		else if (stat(path, &st) == 0)
			snprintf(err, errlen, _("key file %s: %s for uid %u (owner uid %u, mode %04o): "
			    "the user tinbaod runs as must own it"), path, strerror(e),
			    (unsigned)geteuid(), (unsigned)st.st_uid, (unsigned)(st.st_mode & 07777));
		else
			snprintf(err, errlen, _("key file %s: %s"), path, strerror(e));
		return -1;
	}
	if (fstat(fd, sb) < 0 || !S_ISREG(sb->st_mode)) {
		snprintf(err, errlen, _("key file %s: not a regular file"), path);
		close(fd);
		return -1;
	}
	if (sb->st_mode & 0077) {
		snprintf(err, errlen, _("key file %s: readable by others (mode %03o); chmod 600 it"),
		    path, (unsigned)(sb->st_mode & 0777));
		close(fd);
		return -1;
	}
	unsigned char buf[KEYFILE_MAX + 1];
	size_t len = 0;
	ssize_t r;
	while (len < sizeof buf && (r = read(fd, buf + len, sizeof buf - len)) > 0)
		len += (size_t)r;
	close(fd);
	char why[200];
	int rc = keyfile_parse(buf, len, kf, why, sizeof why);
	sodium_memzero(buf, sizeof buf);
	if (rc < 0)
		snprintf(err, errlen, "key file %s: %s", path, why);
	return rc;
}

/* Write kf to path atomically: a 0600 temp file, fsync, rename, fsync the
 * directory. 0 / -1. */
static int
keyfile_write(const char *path, const struct keyfile *kf, char *err, size_t errlen)
{
	char tmp[4096], dir[4096];
	if (snprintf(tmp, sizeof tmp, "%s.tmp.XXXXXX", path) >= (int)sizeof tmp ||
	    snprintf(dir, sizeof dir, "%s", path) >= (int)sizeof dir) {
		snprintf(err, errlen, "%s: path too long", path);
		return -1;
	}
	char *slash = strrchr(dir, '/');
	if (slash == dir)
		dir[1] = '\0';
	else if (slash)
		*slash = '\0';
	else
		snprintf(dir, sizeof dir, ".");
	int fd = mkstemp(tmp);               /* mode 0600 */
	if (fd < 0) {
		snprintf(err, errlen, "%s: %s", tmp, strerror(errno));
		return -1;
	}
	unsigned char buf[KEYFILE_MAX];
	size_t len = keyfile_format(kf, buf);
	ssize_t w = write(fd, buf, len);
	sodium_memzero(buf, sizeof buf);
	if (w != (ssize_t)len || fchmod(fd, 0600) < 0 || fsync(fd) < 0) {
		snprintf(err, errlen, "%s: write failed: %s", tmp, strerror(errno));
		close(fd);
		unlink(tmp);
		return -1;
	}
	if (close(fd) < 0 || rename(tmp, path) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		unlink(tmp);
		return -1;
	}
	int dfd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || fsync(dfd) < 0) {
		snprintf(err, errlen, "%s: fsync: %s", dir, strerror(errno));
		if (dfd >= 0)
			close(dfd);
		return -1;
	}
	close(dfd);
	return 0;
}

int
identity_key_init(const char *path, char *err, size_t errlen)
{
	if (sodium_ready() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return -1;
	}
	unsigned char key[KEY_BYTES];
	int fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0600);
	if (fd < 0) {
		if (errno == EEXIST)
			snprintf(err, errlen, _("%s already exists; refusing to overwrite a key "
			    "(sealed addresses would become unreadable)"), path);
		else
			snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	randombytes_buf(key, sizeof key);
	ssize_t w = write(fd, key, sizeof key);
	sodium_memzero(key, sizeof key);
	if (w != (ssize_t)sizeof key || fsync(fd) < 0) {
		snprintf(err, errlen, "%s: write failed: %s", path, strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	if (close(fd) < 0) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		return -1;
	}
	return 0;
}

int
identity_key_rotate(const char *path, char *err, size_t errlen)
{
	struct keyfile kf;
	struct stat sb;
	if (keyfile_read(path, &kf, &sb, err, errlen) < 0)
		return -1;
	if (kf.n == IDENTITY_SEAL_KEYS_MAX) {
		/* the oldest retired key goes: a rotation resealed everything it held */
		memmove(kf.seal[0], kf.seal[1], (kf.n - 1) * KEY_BYTES);
		kf.n--;
	}
	randombytes_buf(kf.seal[kf.n], KEY_BYTES);
	kf.n++;
	int rc = keyfile_write(path, &kf, err, errlen);
	sodium_memzero(&kf, sizeof kf);
	return rc;
}

int
identity_key_prune(const char *path, size_t keep_retired, char *err, size_t errlen)
{
	struct keyfile kf;
	struct stat sb;
	if (keyfile_read(path, &kf, &sb, err, errlen) < 0)
		return -1;
	int rc = 0;
	if (kf.n > keep_retired + 1) {
		size_t drop = kf.n - keep_retired - 1;
		memmove(kf.seal[0], kf.seal[drop], (kf.n - drop) * KEY_BYTES);
		sodium_memzero(kf.seal[kf.n - drop], drop * KEY_BYTES);
		kf.n -= drop;
		rc = keyfile_write(path, &kf, err, errlen);
	}
	sodium_memzero(&kf, sizeof kf);
	return rc;
}

static struct keyset *
keyset_new(const struct keyfile *kf)
{
	struct keyset *ks = sodium_malloc(sizeof *ks);
	if (!ks)
		return NULL;
	memset(ks, 0, sizeof *ks);
	ks->n = kf->n;
	for (size_t i = 0; i < kf->n; i++)
		memcpy(ks->seal[i], kf->seal[i], KEY_BYTES);
	return ks;
}

struct identity *
identity_open(const char *path, char *err, size_t errlen)
{
	if (sodium_ready() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return NULL;
	}
	struct keyfile kf;
	struct stat sb;
	if (keyfile_read(path, &kf, &sb, err, errlen) < 0)
		return NULL;
	struct identity *id = sodium_malloc(sizeof *id);
	struct identity_live *live = calloc(1, sizeof *live);
	struct keyset *ks = keyset_new(&kf);
	char *pathcopy = strdup(path);
	if (!id || !live || !ks || !pathcopy) {
		snprintf(err, errlen, "out of memory");
		if (id)
			sodium_free(id);
		if (ks)
			sodium_free(ks);
		free(live);
		free(pathcopy);
		sodium_memzero(&kf, sizeof kf);
		return NULL;
	}
	crypto_kdf_derive_from_key(id->pseudonym_key, sizeof id->pseudonym_key,
	    SUBKEY_PSEUDONYM, KDF_CONTEXT, kf.master);
	crypto_kdf_derive_from_key(id->digest_key, sizeof id->digest_key, SUBKEY_DIGEST,
	    KDF_CONTEXT, kf.master);
	sodium_memzero(&kf, sizeof kf);
	sodium_mprotect_readonly(ks);
	pthread_mutex_init(&live->lock, NULL);
	atomic_store(&live->cur, ks);
	live->path = pathcopy;
	live->dev = sb.st_dev;
	live->ino = sb.st_ino;
	live->size = sb.st_size;
	live->mtime = sb.st_mtim;
	id->live = live;
	sodium_mprotect_readonly(id);
	return id;
}

int
identity_refresh(const struct identity *id, char *err, size_t errlen)
{
	struct identity_live *live = id->live;
	struct stat sb;
	if (stat(live->path, &sb) < 0) {
		snprintf(err, errlen, "key file %s: %s (keeping the keys in memory)", live->path,
		    strerror(errno));
		return -1;
	}
	pthread_mutex_lock(&live->lock);
	int rc = 0;
	if (sb.st_dev == live->dev && sb.st_ino == live->ino && sb.st_size == live->size &&
	    sb.st_mtim.tv_sec == live->mtime.tv_sec && sb.st_mtim.tv_nsec == live->mtime.tv_nsec)
		goto out;
	struct keyfile kf;
	if (keyfile_read(live->path, &kf, &sb, err, errlen) < 0) {
		rc = -1;
		goto out;
	}
	unsigned char pk[crypto_generichash_KEYBYTES];
	crypto_kdf_derive_from_key(pk, sizeof pk, SUBKEY_PSEUDONYM, KDF_CONTEXT, kf.master);
	int same = sodium_memcmp(pk, id->pseudonym_key, sizeof pk) == 0;
	sodium_memzero(pk, sizeof pk);
	if (!same) {
		snprintf(err, errlen, "key file %s: a different master key (pseudonyms would "
		    "change); keeping the keys in memory, restart to use it", live->path);
		sodium_memzero(&kf, sizeof kf);
		rc = -1;
		goto out;
	}
	struct keyset *ks = keyset_new(&kf);
	sodium_memzero(&kf, sizeof kf);
	if (!ks) {
		snprintf(err, errlen, "out of memory");
		rc = -1;
		goto out;
	}
	ks->older = atomic_load(&live->cur);     /* kept until identity_close() */
	sodium_mprotect_readonly(ks);
	atomic_store(&live->cur, ks);
	live->dev = sb.st_dev;
	live->ino = sb.st_ino;
	live->size = sb.st_size;
	live->mtime = sb.st_mtim;
	rc = 1;
out:
	pthread_mutex_unlock(&live->lock);
	return rc;
}

void
identity_close(struct identity *id)
{
	if (!id)
		return;
	struct keyset *ks = atomic_load(&id->live->cur);
	while (ks) {
		struct keyset *older = ks->older;
		sodium_free(ks);      /* wipes */
		ks = older;
	}
	pthread_mutex_destroy(&id->live->lock);
	free(id->live->path);
	free(id->live);
	sodium_free(id);
}

size_t
identity_key_count(const struct identity *id)
{
	return atomic_load(&id->live->cur)->n;
}

int64_t
identity_key_fingerprint(const struct identity *id)
{
	const struct keyset *ks = atomic_load(&id->live->cur);
	unsigned char h[16];
	static const unsigned char label[] = "tinbao key fingerprint";
	crypto_generichash(h, sizeof h, label, sizeof label - 1, ks->seal[ks->n - 1],
	    KEY_BYTES);
	uint64_t v = 0;
	for (int i = 0; i < 8; i++)
		v = v << 8 | h[i];
	return (int64_t)(v >> 1);         /* positive, for the counters table */
}

static int
seal(const struct identity *id, const char *addr, size_t max, unsigned char *out, size_t *outlen)
{
	size_t len = strlen(addr);
	if (len == 0 || len > max)
		return -1;
	const struct keyset *ks = atomic_load(&id->live->cur);
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	if (crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, (const unsigned char *)addr,
	    len, out, ks->seal[ks->n - 1]) != 0)
		return -1;
	*outlen = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES + len;
	return 0;
}

int
identity_seal(const struct identity *id, const char *addr, unsigned char *out, size_t *outlen)
{
	return seal(id, addr, IDENTITY_ADDR_MAX, out, outlen);
}

int
identity_seal_secret(const struct identity *id, const char *secret, unsigned char *out,
    size_t *outlen)
{
	return seal(id, secret, IDENTITY_SECRET_MAX, out, outlen);
}

/* Open with the newest key first (the MAC tells which one sealed it): the
 * index of the key that opened it, or -1. */
static int
open_any(const struct keyset *ks, const unsigned char *sealed, size_t sealedlen, char *addr,
    size_t addrsz)
{
	size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	if (sealedlen <= overhead || sealedlen - overhead >= addrsz)
		return -1;
	for (size_t i = ks->n; i-- > 0;) {
		if (crypto_secretbox_open_easy((unsigned char *)addr,
		    sealed + crypto_secretbox_NONCEBYTES, sealedlen - crypto_secretbox_NONCEBYTES,
		    sealed, ks->seal[i]) == 0) {
			addr[sealedlen - overhead] = '\0';
			return (int)i;
		}
	}
	return -1;
}

int
identity_unseal(const struct identity *id, const unsigned char *sealed, size_t sealedlen,
    char *addr, size_t addrsz)
{
	if (open_any(atomic_load(&id->live->cur), sealed, sealedlen, addr, addrsz) >= 0)
		return 0;
	/* `tinbao key rotate` writes the new key file before it reseals a single
	 * value: one this key set cannot open may be sealed with a key already on
	 * disk, which the router's tick has not loaded yet. Load it now. */
	char err[8];
	if (identity_refresh(id, err, sizeof err) > 0 &&
	    open_any(atomic_load(&id->live->cur), sealed, sealedlen, addr, addrsz) >= 0)
		return 0;
	return -1;
}

int
identity_reseal(const struct identity *id, const unsigned char *in, size_t inlen,
    unsigned char *out, size_t outsz, size_t *outlen)
{
	const struct keyset *ks = atomic_load(&id->live->cur);
	char plain[IDENTITY_SECRET_MAX + 1];
	int k = open_any(ks, in, inlen, plain, sizeof plain);
	if (k < 0)
		return -1;
	int rc = 0;
	if ((size_t)k != ks->n - 1) {
		size_t len = inlen - crypto_secretbox_NONCEBYTES - crypto_secretbox_MACBYTES;
		rc = -1;
		if (inlen <= outsz) {
			randombytes_buf(out, crypto_secretbox_NONCEBYTES);
			if (crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES,
			    (const unsigned char *)plain, len, out, ks->seal[ks->n - 1]) == 0) {
				*outlen = inlen;
				rc = 1;
			}
		}
	}
	sodium_memzero(plain, sizeof plain);
	return rc;
}

static void
keyed_hex(const unsigned char *key, const void *data, size_t len, char *out, size_t outbytes)
{
	unsigned char h[crypto_generichash_BYTES_MAX];
	if (outbytes < crypto_generichash_BYTES_MIN)
		outbytes = crypto_generichash_BYTES_MIN;
	if (outbytes > sizeof h)
		outbytes = sizeof h;
	crypto_generichash(h, outbytes, data, len, key, crypto_generichash_KEYBYTES);
	sodium_bin2hex(out, outbytes * 2 + 1, h, outbytes);
}

void
identity_pseudonym(const struct identity *id, const char *addr,
    char out[IDENTITY_PSEUDONYM_HEX + 1])
{
	keyed_hex(id->pseudonym_key, addr, strlen(addr), out, IDENTITY_PSEUDONYM_HEX / 2);
}

void
identity_digest(const struct identity *id, const void *data, size_t len, char *out,
    size_t outbytes)
{
	keyed_hex(id->digest_key, data, len, out, outbytes);
}

void
identity_sha256_hex(const void *const *parts, const size_t *lens, size_t n, char out[65])
{
	crypto_hash_sha256_state st;
	unsigned char h[crypto_hash_sha256_BYTES];
	sodium_ready();
	crypto_hash_sha256_init(&st);
	for (size_t i = 0; i < n; i++)
		crypto_hash_sha256_update(&st, parts[i], lens[i]);
	crypto_hash_sha256_final(&st, h);
	sodium_bin2hex(out, 65, h, sizeof h);
}

int
identity_equal(const void *a, const void *b, size_t len)
{
	return sodium_memcmp(a, b, len) == 0;
}

void
identity_wipe(void *p, size_t len)
{
	sodium_memzero(p, len);
}
