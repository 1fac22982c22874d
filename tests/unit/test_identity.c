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

static void
test_phone_normalize(void)
{
	char out[32];
	CHECK(identity_phone_normalize("0912345678", out, sizeof out) == 0);
	CHECK_STR(out, "+84912345678");
	CHECK(identity_phone_normalize("+84 912.345-678", out, sizeof out) == 0);
	CHECK_STR(out, "+84912345678");
	CHECK(identity_phone_normalize("84912345678", out, sizeof out) == 0);
	CHECK_STR(out, "+84912345678");
	CHECK(identity_phone_normalize("1900", out, sizeof out) == 0);
	CHECK_STR(out, "1900");
	CHECK(identity_phone_normalize("abc", out, sizeof out) < 0);
	CHECK(identity_phone_normalize("+", out, sizeof out) < 0);
	CHECK(identity_phone_normalize("++84912345678", out, sizeof out) < 0);
	CHECK(identity_phone_normalize("12345678901234567", out, sizeof out) < 0);
}

UNIT_MAIN(UNIT(test_key_file), UNIT(test_seal_round_trip_and_tamper),
    UNIT(test_pseudonym_stable_and_keyed), UNIT(test_phone_normalize))
