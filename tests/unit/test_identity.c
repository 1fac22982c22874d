/* Unit tests: sealing, pseudonyms, phone numbers, the key file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/identity.h"
#include "tests/unit/unit.h"

static char keypath[256];

static struct identity *
fresh(void)
{
	char err[256];
	snprintf(keypath, sizeof keypath, "/tmp/tinbao-unit-key-%d", (int)getpid());
	unlink(keypath);
	if (identity_key_init(keypath, err, sizeof err) < 0)
		return NULL;
	return identity_open(keypath, err, sizeof err);
}

static void
test_key_file(void)
{
	struct identity *id = fresh();
	CHECK(id != NULL);
	struct stat sb;
	CHECK(stat(keypath, &sb) == 0 && (sb.st_mode & 0777) == 0600 && sb.st_size == 32);
	char err[256];
	CHECK(identity_key_init(keypath, err, sizeof err) < 0);     /* never overwrites */
	CHECK(strstr(err, "refusing") != NULL);
	chmod(keypath, 0644);
	CHECK(identity_open(keypath, err, sizeof err) == NULL);      /* readable by others */
	identity_close(id);
	unlink(keypath);
}

static void
test_seal_round_trip_and_tamper(void)
{
	struct identity *id = fresh();
	unsigned char sealed[IDENTITY_SEALED_MAX], again[IDENTITY_SEALED_MAX];
	size_t n = 0, m = 0;
	CHECK(identity_seal(id, "+84912345678", sealed, &n) == 0);
	CHECK(identity_seal(id, "+84912345678", again, &m) == 0);
	CHECK(n == m && memcmp(sealed, again, n) != 0);          /* random nonce */
	CHECK(memmem(sealed, n, "912345678", 9) == NULL);
	char addr[IDENTITY_ADDR_MAX + 1];
	CHECK(identity_unseal(id, sealed, n, addr, sizeof addr) == 0);
	CHECK_STR(addr, "+84912345678");
	sealed[n - 1] ^= 1;
	CHECK(identity_unseal(id, sealed, n, addr, sizeof addr) < 0);
	CHECK(identity_unseal(id, sealed, 10, addr, sizeof addr) < 0);
	CHECK(identity_seal(id, "", sealed, &n) < 0);
	identity_close(id);
	unlink(keypath);
}

static void
test_pseudonym_stable_and_keyed(void)
{
	struct identity *a = fresh();
	char p1[IDENTITY_PSEUDONYM_HEX + 1], p2[IDENTITY_PSEUDONYM_HEX + 1],
	    p3[IDENTITY_PSEUDONYM_HEX + 1], p4[IDENTITY_PSEUDONYM_HEX + 1];
	identity_pseudonym(a, "+84912345678", p1);
	identity_pseudonym(a, "+84912345678", p2);
	identity_pseudonym(a, "+84912345679", p3);
	CHECK(strlen(p1) == IDENTITY_PSEUDONYM_HEX);
	CHECK(strcmp(p1, p2) == 0 && strcmp(p1, p3) != 0);
	identity_close(a);
	struct identity *b = fresh();                            /* another key */
	identity_pseudonym(b, "+84912345678", p4);
	CHECK(strcmp(p1, p4) != 0);
	identity_close(b);
	unlink(keypath);
}

static size_t
file_size(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 ? (size_t)sb.st_size : 0;
}

static void
test_rotate_keeps_pseudonyms_and_old_values(void)
{
	struct identity *id = fresh();
	char err[256], p1[IDENTITY_PSEUDONYM_HEX + 1], p2[IDENTITY_PSEUDONYM_HEX + 1];
	char d1[33], d2[33];
	unsigned char a[IDENTITY_SEALED_MAX], b[IDENTITY_SEALED_MAX], c[IDENTITY_SEALED_MAX];
	size_t na = 0, nb = 0, nc = 0;
	CHECK(identity_seal(id, "+84912345678", a, &na) == 0);
	identity_pseudonym(id, "+84912345678", p1);
	identity_digest(id, "x", 1, d1, 16);
	int64_t fp1 = identity_key_fingerprint(id);
	CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);
	struct stat sb;
	CHECK(stat(keypath, &sb) == 0 && (sb.st_mode & 0777) == 0600);
	CHECK(file_size(keypath) == 8 + 32 + 1 + 2 * 32);
	struct identity *id2 = identity_open(keypath, err, sizeof err);
	CHECK(id2 != NULL);
	CHECK(identity_key_count(id2) == 2);
	CHECK(identity_key_fingerprint(id2) != fp1 && identity_key_fingerprint(id2) > 0);
	identity_pseudonym(id2, "+84912345678", p2);
	identity_digest(id2, "x", 1, d2, 16);
	CHECK_STR(p1, p2);                      /* follow-ups still link */
	CHECK_STR(d1, d2);
	char addr[IDENTITY_ADDR_MAX + 1];
	CHECK(identity_unseal(id2, a, na, addr, sizeof addr) == 0);    /* retired key opens */
	CHECK_STR(addr, "+84912345678");
	CHECK(identity_reseal(id2, a, na, b, sizeof b, &nb) == 1);
	CHECK(nb == na && memcmp(a, b, na) != 0);
	CHECK(identity_reseal(id2, b, nb, c, sizeof c, &nc) == 0);     /* already current */
	CHECK(identity_unseal(id2, b, nb, addr, sizeof addr) == 0);
	CHECK_STR(addr, "+84912345678");
	CHECK(identity_seal(id2, "+84912345678", c, &nc) == 0);
	/* the old key alone (id cannot load the new file while it is away) opens
	 * neither the resealed value nor a new one */
	char away[300];
	snprintf(away, sizeof away, "%s.away", keypath);
	CHECK(rename(keypath, away) == 0);
	CHECK(identity_unseal(id, b, nb, addr, sizeof addr) < 0);
	CHECK(identity_unseal(id, c, nc, addr, sizeof addr) < 0);
	CHECK(rename(away, keypath) == 0);
	b[nb - 1] ^= 1;
	CHECK(identity_reseal(id2, b, nb, c, sizeof c, &nc) < 0);      /* tampered */
	CHECK(identity_reseal(id2, a, na, c, 10, &nc) < 0);            /* no room */
	identity_close(id2);
	identity_close(id);
	unlink(keypath);
}

static void
test_refresh_swaps_keys_in_a_running_process(void)
{
	struct identity *id = fresh();
	char err[256], addr[IDENTITY_ADDR_MAX + 1];
	unsigned char a[IDENTITY_SEALED_MAX], b[IDENTITY_SEALED_MAX];
	size_t na = 0, nb = 0;
	CHECK(identity_refresh(id, err, sizeof err) == 0);             /* unchanged */
	CHECK(identity_seal(id, "+84911111111", a, &na) == 0);
	CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);
	CHECK(identity_refresh(id, err, sizeof err) == 1);
	CHECK(identity_refresh(id, err, sizeof err) == 0);
	CHECK(identity_key_count(id) == 2);
	CHECK(identity_seal(id, "+84911111111", b, &nb) == 0);
	struct identity *id2 = identity_open(keypath, err, sizeof err);
	CHECK(identity_reseal(id2, b, nb, a + 0, 0, &na) == 0);         /* b is under the new key */
	CHECK(identity_unseal(id, a, na, addr, sizeof addr) == 0);      /* a still opens */
	identity_close(id2);
	/* another master in the file's place is refused; the keys in memory stay */
	char other[300];
	snprintf(other, sizeof other, "%s.other", keypath);
	unlink(other);
	CHECK(identity_key_init(other, err, sizeof err) == 0);
	CHECK(rename(other, keypath) == 0);
	CHECK(identity_refresh(id, err, sizeof err) < 0);
	CHECK(strstr(err, "master") != NULL);
	CHECK(identity_unseal(id, b, nb, addr, sizeof addr) == 0);
	identity_close(id);
	unlink(keypath);
}

static void
test_prune_and_the_key_limit(void)
{
	struct identity *id = fresh();
	char err[256], addr[IDENTITY_ADDR_MAX + 1];
	unsigned char first[IDENTITY_SEALED_MAX], third[IDENTITY_SEALED_MAX];
	size_t nf = 0, nt = 0;
	CHECK(identity_seal(id, "+84922222222", first, &nf) == 0);
	identity_close(id);
	CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);
	CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);
	id = identity_open(keypath, err, sizeof err);
	CHECK(identity_seal(id, "+84922222222", third, &nt) == 0);
	identity_close(id);
	CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);
	CHECK(file_size(keypath) == 8 + 32 + 1 + 4 * 32);
	CHECK(identity_key_prune(keypath, 1, err, sizeof err) == 0);
	CHECK(file_size(keypath) == 8 + 32 + 1 + 2 * 32);
	id = identity_open(keypath, err, sizeof err);
	CHECK(identity_key_count(id) == 2);
	CHECK(identity_unseal(id, first, nf, addr, sizeof addr) < 0);   /* its key is gone */
	CHECK(identity_unseal(id, third, nt, addr, sizeof addr) == 0);  /* the retired one opens */
	identity_close(id);
	for (int i = 0; i < IDENTITY_SEAL_KEYS_MAX + 3; i++)
		CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);
	CHECK(file_size(keypath) == 8 + 32 + 1 + IDENTITY_SEAL_KEYS_MAX * 32);
	unlink(keypath);
}

static void
test_keyfile_format(void)
{
	unsigned char buf[8 + 32 + 1 + 9 * 32];
	char err[256];
	memset(buf, 7, sizeof buf);
	CHECK(identity_keyfile_check(buf, 32, err, sizeof err) == 1);   /* legacy: the master */
	CHECK(identity_keyfile_check(buf, 31, err, sizeof err) < 0);
	CHECK(identity_keyfile_check(buf, 33, err, sizeof err) < 0);
	CHECK(identity_keyfile_check(buf, 0, err, sizeof err) < 0);
	memcpy(buf, "TINBAOK1", 8);
	buf[40] = 2;
	CHECK(identity_keyfile_check(buf, 8 + 32 + 1 + 64, err, sizeof err) == 2);
	CHECK(identity_keyfile_check(buf, 8 + 32 + 1 + 63, err, sizeof err) < 0);  /* short */
	CHECK(identity_keyfile_check(buf, 8 + 32 + 1 + 96, err, sizeof err) < 0);  /* long */
	buf[40] = 0;
	CHECK(identity_keyfile_check(buf, 8 + 32 + 1, err, sizeof err) < 0);
	buf[40] = 9;
	CHECK(identity_keyfile_check(buf, sizeof buf, err, sizeof err) < 0);
	buf[40] = 1;
	buf[7] = '2';
	CHECK(identity_keyfile_check(buf, 8 + 32 + 1 + 32, err, sizeof err) < 0);  /* magic */
	CHECK(strstr(err, "not a tinbao key file") != NULL);
	/* a damaged file is refused by open, naming the file */
	snprintf(keypath, sizeof keypath, "/tmp/tinbao-unit-key-%d", (int)getpid());
	unlink(keypath);
	FILE *f = fopen(keypath, "wb");
	CHECK(f && fwrite(buf, 1, 8 + 32 + 1 + 32, f) == 8 + 32 + 1 + 32 && fclose(f) == 0);
	chmod(keypath, 0600);
	CHECK(identity_open(keypath, err, sizeof err) == NULL);
	CHECK(strstr(err, keypath) != NULL);
	unlink(keypath);
}

/* A value resealed by `tinbao key rotate` (another process) opens in a
 * process that has not refreshed yet: unseal loads the new key itself. */
static void
test_unseal_loads_a_key_rotated_meanwhile(void)
{
	struct identity *daemon = fresh();
	char err[256], addr[IDENTITY_ADDR_MAX + 1];
	unsigned char a[IDENTITY_SEALED_MAX], b[IDENTITY_SEALED_MAX];
	size_t na = 0, nb = 0;
	CHECK(identity_seal(daemon, "+84922222222", a, &na) == 0);
	CHECK(identity_key_rotate(keypath, err, sizeof err) == 0);      /* the CLI rotates */
	struct identity *cli = identity_open(keypath, err, sizeof err);
	CHECK(cli != NULL);
	CHECK(identity_reseal(cli, a, na, b, sizeof b, &nb) == 1);      /* and reseals */
	CHECK(identity_key_count(daemon) == 1);                          /* not refreshed */
	CHECK(identity_unseal(daemon, b, nb, addr, sizeof addr) == 0);
	CHECK_STR(addr, "+84922222222");
	CHECK(identity_key_count(daemon) == 2);
	b[nb - 1] ^= 1;                                                  /* tampered: still no */
	CHECK(identity_unseal(daemon, b, nb, addr, sizeof addr) == -1);
	identity_close(cli);
	identity_close(daemon);
	unlink(keypath);
}

UNIT_MAIN(UNIT(test_key_file), UNIT(test_seal_round_trip_and_tamper),
    UNIT(test_pseudonym_stable_and_keyed),
    UNIT(test_rotate_keeps_pseudonyms_and_old_values),
    UNIT(test_refresh_swaps_keys_in_a_running_process), UNIT(test_prune_and_the_key_limit),
    UNIT(test_keyfile_format), UNIT(test_unseal_loads_a_key_rotated_meanwhile))
