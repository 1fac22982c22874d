/* identity — keeps citizens' addresses (phone numbers, Zalo ids) secret.
 *
 * The only module that includes <sodium.h>. An address is stored only
 *  - sealed: crypto_secretbox under a sub-key of the key file, random nonce,
 *    so only the relay can open it to send a reply;
 *  - as a pseudonym: a keyed BLAKE2b hash (crypto_generichash) under another
 *    sub-key, hex, which links follow-ups and never reveals the address.
 * Any thread may call these once identity_open() has returned; the key lives
 * in locked memory and is wiped by identity_close().
 */
#ifndef TINBAO_IDENTITY_H
#define TINBAO_IDENTITY_H

#include <stddef.h>

#define IDENTITY_PSEUDONYM_HEX 32          /* 16-byte hash, hex, without NUL */
#define IDENTITY_SEALED_MAX    512         /* nonce + MAC + address */
#define IDENTITY_ADDR_MAX      128

struct identity;

/* Create the key file: 32 random bytes, mode 0600, refusing to overwrite. */
int identity_key_init(const char *path, char *err, size_t errlen);
/* Load the key file (checks size and that it is not readable by others). */
struct identity *identity_open(const char *path, char *err, size_t errlen);
void identity_close(struct identity *id);

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
 * Works for sealed secrets too, given a buffer large enough. */
int identity_unseal(const struct identity *id, const unsigned char *sealed,
    size_t sealedlen, char *addr, size_t addrsz);
/* The pseudonym of ADDR: IDENTITY_PSEUDONYM_HEX hex digits and a NUL. */
void identity_pseudonym(const struct identity *id, const char *addr,
    char out[IDENTITY_PSEUDONYM_HEX + 1]);
/* A keyed hex digest of arbitrary bytes (for channel message ids that would
 * otherwise contain an address). out gets 2*outbytes hex digits + NUL. */
void identity_digest(const struct identity *id, const void *data, size_t len,
    char *out, size_t outbytes);

/* Normalise a phone number to +84... form: strips spaces, dots and dashes;
 * 0xxxxxxxxx -> +84xxxxxxxxx; 84xxxxxxxxx -> +84xxxxxxxxx. Other inputs that
 * are all digits with an optional leading '+' are kept. 0 / -1 (not a number). */
int identity_phone_normalize(const char *in, char *out, size_t outsz);

/* SHA-256 over the concatenation of n byte strings, as 64 lowercase hex
 * digits and a NUL (Zalo OA webhook signatures). */
void identity_sha256_hex(const void *const *parts, const size_t *lens, size_t n,
    char out[65]);
/* Constant-time equality of two equally long buffers: 1 equal, 0 not. */
int identity_equal(const void *a, const void *b, size_t len);

/* Wipe a buffer that held an address. */
void identity_wipe(void *p, size_t len);

#endif
