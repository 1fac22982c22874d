/* identity — see identity.h. The only module that includes <sodium.h>. */
#include "gateway/identity.h"

#include <errno.h>
#include <fcntl.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#define KEY_BYTES 32
#define KDF_CONTEXT "tinbaoid"          /* 8 bytes, crypto_kdf_CONTEXTBYTES */
#define SUBKEY_SEAL 1
#define SUBKEY_PSEUDONYM 2
#define SUBKEY_DIGEST 3

struct identity {
	unsigned char seal_key[crypto_secretbox_KEYBYTES];
	unsigned char pseudonym_key[crypto_generichash_KEYBYTES];
	unsigned char digest_key[crypto_generichash_KEYBYTES];
};

static int
sodium_ready(void)
{
	return sodium_init() < 0 ? -1 : 0;
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
			snprintf(err, errlen, "%s already exists; refusing to overwrite a key "
			    "(sealed addresses would become unreadable)", path);
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

struct identity *
identity_open(const char *path, char *err, size_t errlen)
{
	if (sodium_ready() < 0) {
		snprintf(err, errlen, "libsodium cannot start");
		return NULL;
	}
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		snprintf(err, errlen, "key file %s: %s (create it with `tinbao key init`)",
		    path, strerror(errno));
		return NULL;
	}
	struct stat sb;
	if (fstat(fd, &sb) < 0 || !S_ISREG(sb.st_mode)) {
		snprintf(err, errlen, "key file %s: not a regular file", path);
		close(fd);
		return NULL;
	}
	if (sb.st_mode & 0077) {
		snprintf(err, errlen, "key file %s: readable by others (mode %03o); chmod 600 it",
		    path, (unsigned)(sb.st_mode & 0777));
		close(fd);
		return NULL;
	}
	unsigned char master[KEY_BYTES + 1];
	ssize_t n = read(fd, master, sizeof master);
	close(fd);
	if (n != KEY_BYTES) {
		snprintf(err, errlen, "key file %s: expected %d bytes", path, KEY_BYTES);
		sodium_memzero(master, sizeof master);
		return NULL;
	}
	struct identity *id = sodium_malloc(sizeof *id);
	if (!id) {
		snprintf(err, errlen, "out of memory");
		sodium_memzero(master, sizeof master);
		return NULL;
	}
	crypto_kdf_derive_from_key(id->seal_key, sizeof id->seal_key, SUBKEY_SEAL,
	    KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(id->pseudonym_key, sizeof id->pseudonym_key,
	    SUBKEY_PSEUDONYM, KDF_CONTEXT, master);
	crypto_kdf_derive_from_key(id->digest_key, sizeof id->digest_key, SUBKEY_DIGEST,
	    KDF_CONTEXT, master);
	sodium_memzero(master, sizeof master);
	sodium_mprotect_readonly(id);
	return id;
}

void
identity_close(struct identity *id)
{
	if (id)
		sodium_free(id);      /* wipes */
}

static int
seal(const struct identity *id, const char *addr, size_t max, unsigned char *out, size_t *outlen)
{
	size_t len = strlen(addr);
	if (len == 0 || len > max)
		return -1;
	randombytes_buf(out, crypto_secretbox_NONCEBYTES);
	if (crypto_secretbox_easy(out + crypto_secretbox_NONCEBYTES, (const unsigned char *)addr,
	    len, out, id->seal_key) != 0)
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

int
identity_unseal(const struct identity *id, const unsigned char *sealed, size_t sealedlen,
    char *addr, size_t addrsz)
{
	size_t overhead = crypto_secretbox_NONCEBYTES + crypto_secretbox_MACBYTES;
	if (sealedlen <= overhead || sealedlen - overhead >= addrsz)
		return -1;
	if (crypto_secretbox_open_easy((unsigned char *)addr, sealed + crypto_secretbox_NONCEBYTES,
	    sealedlen - crypto_secretbox_NONCEBYTES, sealed, id->seal_key) != 0)
		return -1;
	addr[sealedlen - overhead] = '\0';
	return 0;
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

int
identity_phone_normalize(const char *in, char *out, size_t outsz)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')')
			continue;
		if (*p == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *p;
	}
	digits[n] = '\0';
	if (n < 3 || n > 15)
		return -1;
	int w;
	if (!plus && digits[0] == '0' && digits[1] != '0' && n >= 9)
		w = snprintf(out, outsz, "+84%s", digits + 1);
	else if (!plus && n >= 11 && digits[0] == '8' && digits[1] == '4')
		w = snprintf(out, outsz, "+%s", digits);
	else if (plus)
		w = snprintf(out, outsz, "+%s", digits);
	else
		w = snprintf(out, outsz, "%s", digits);   /* short codes stay as they are */
	return (w < 0 || (size_t)w >= outsz) ? -1 : 0;
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
