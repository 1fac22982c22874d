/* identity — keeps citizens' addresses (phone numbers, Zalo ids) secret.
 *
 * The only module that includes <sodium.h>. An address is stored only
 *  - sealed: crypto_secretbox under a sub-key of the key file, random nonce,
 *    so only the relay can open it to send a reply;
 *  - as a pseudonym: a keyed BLAKE2b hash (crypto_generichash) under another
 *    sub-key, hex, which links follow-ups and never reveals the address.
 * Any thread may call these once identity_open() has returned; the keys live
 * in locked memory and are wiped by identity_close().
 *
 * Key rotation: the key file holds the master key (pseudonyms and digests,
 * never rotated) and a list of sealing keys, the last of which seals; the
 * others only open (the MAC tells which key sealed a value). `tinbao key
 * rotate` adds a key (identity_key_rotate), reseals every stored value
 * (identity_reseal) and drops keys nothing uses (identity_key_prune). A
 * running daemon calls identity_refresh() from the router's tick, and
 * identity_unseal() calls it when a value does not open (a rotation may be
 * resealing with a key the tick has not loaded yet): it notices the file
 * changed and publishes the new key set atomically; a key
 * set it replaces stays in memory until identity_close(), so a thread that is
 * sealing with it finishes safely.
 */
#ifndef TINBAO_IDENTITY_H
#define TINBAO_IDENTITY_H

#include <stddef.h>
#include <stdint.h>

#define IDENTITY_PSEUDONYM_HEX 32          /* 16-byte hash, hex, without NUL */
#define IDENTITY_SEALED_MAX    512         /* nonce + MAC + address */
#define IDENTITY_ADDR_MAX      128

struct identity;

#define IDENTITY_SEAL_KEYS_MAX 8       /* sealing keys a key file may list */

/* Create the key file: 32 random bytes, mode 0600, refusing to overwrite. */
int identity_key_init(const char *path, char *err, size_t errlen);
/* Add a fresh sealing key as the current one (a 32-byte file becomes a
 * versioned one; at IDENTITY_SEAL_KEYS_MAX the oldest key goes). The file is
 * replaced atomically (0600 temp file, fsync, rename, fsync of the directory).
 * The caller serialises rotations. 0 / -1. */
int identity_key_rotate(const char *path, char *err, size_t errlen);
/* Keep only the current sealing key and the keep_retired before it. 0 / -1. */
int identity_key_prune(const char *path, size_t keep_retired, char *err, size_t errlen);
/* Check the bytes of a key file: the number of sealing keys, or -1 (err set). */
int identity_keyfile_check(const void *buf, size_t len, char *err, size_t errlen);
/* Load the key file (checks size and that it is not readable by others). */
struct identity *identity_open(const char *path, char *err, size_t errlen);
void identity_close(struct identity *id);
/* Re-read the key file if it changed (device, inode, size, mtime): 1 new keys
 * in use, 0 unchanged, -1 error (err set; the keys in memory stay). A file
 * with another master key is refused. Any thread (serialised inside). */
int identity_refresh(const struct identity *id, char *err, size_t errlen);
/* Sealing keys in use (current + retired), and a non-secret fingerprint of
 * the current one (positive), for telling the CLI which key the daemon uses. */
size_t identity_key_count(const struct identity *id);
int64_t identity_key_fingerprint(const struct identity *id);
/* Reseal a sealed value under the current key: 1 resealed into out (outsz
 * bytes, *outlen set), 0 already under the current key, -1 unreadable. */
int identity_reseal(const struct identity *id, const unsigned char *in, size_t inlen,
    unsigned char *out, size_t outsz, size_t *outlen);

/* Seal ADDR into out (at most IDENTITY_SEALED_MAX bytes); *outlen set. 0 / -1. */
int identity_seal(const struct identity *id, const char *addr,
    unsigned char *out, size_t *outlen);
/* The same for other secrets kept in the database (Zalo OA tokens), up to
 * IDENTITY_SECRET_MAX bytes; out has room for IDENTITY_SEALED_SECRET_MAX. */
#define IDENTITY_SECRET_MAX 2048
#define IDENTITY_SEALED_SECRET_MAX (IDENTITY_SECRET_MAX + 64)
int identity_seal_secret(const struct identity *id, const char *secret,
    unsigned char *out, size_t *outlen);
/* Open a sealed address into addr (NUL-terminated). 0 / -1 (wrong key, tampered).
 * Works for sealed secrets too, given a buffer large enough. A value the keys
 * in memory cannot open is tried again after identity_refresh(). */
int identity_unseal(const struct identity *id, const unsigned char *sealed,
    size_t sealedlen, char *addr, size_t addrsz);
/* The pseudonym of ADDR: IDENTITY_PSEUDONYM_HEX hex digits and a NUL. */
void identity_pseudonym(const struct identity *id, const char *addr,
    char out[IDENTITY_PSEUDONYM_HEX + 1]);
/* A keyed hex digest of arbitrary bytes (for channel message ids that would
 * otherwise contain an address). out gets 2*outbytes hex digits + NUL. */
void identity_digest(const struct identity *id, const void *data, size_t len,
    char *out, size_t outbytes);

/* SHA-256 over the concatenation of n byte strings, as 64 lowercase hex
 * digits and a NUL (Zalo OA webhook signatures). */
void identity_sha256_hex(const void *const *parts, const size_t *lens, size_t n,
    char out[65]);
/* Constant-time equality of two equally long buffers: 1 equal, 0 not. */
int identity_equal(const void *a, const void *b, size_t len);

/* Wipe a buffer that held an address. */
void identity_wipe(void *p, size_t len);

#endif
