/* Unit tests: tracking IDs. */
#include <stdlib.h>
#include <string.h>

#include "gateway/trackid.h"
#include "tests/unit/unit.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define NALPHA 31

static int
cmp_code(const void *a, const void *b)
{
	return strcmp(a, b);
}

static void
lower(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

static void
test_new_codes_are_valid_and_distinct(void)
{
	enum { COUNT = 10000 };
	char (*codes)[TRACKID_CODE_LEN + 1] = calloc(COUNT, sizeof *codes);
	CHECK(codes != NULL);
	if (!codes)
		return;
	for (int i = 0; i < COUNT; i++) {
		CHECK(trackid_new(codes[i]) == 0);
		CHECK(trackid_check(codes[i]));
		CHECK(strlen(codes[i]) == TRACKID_CODE_LEN);
		CHECK(strspn(codes[i], alphabet) == TRACKID_CODE_LEN);
	}
	qsort(codes, COUNT, sizeof *codes, cmp_code);
	int distinct = 1;
	for (int i = 1; i < COUNT; i++)
		distinct += strcmp(codes[i], codes[i - 1]) != 0;
	CHECK(distinct > 9990);          /* 31^5 = 28.6 million codes: ~2 collisions expected */
	free(codes);
}

static void
test_new_codes_are_uniform(void)
{
	/* 6 positions x 6000 codes; each character is expected 6000/31 = 193.5
	 * times per position (sd about 13.7); +-80 is far outside chance. A bias
	 * from a plain modulo (bytes 248..255) would add ~24 to the first 8. */
	enum { COUNT = 6000 };
	static int seen[TRACKID_CODE_LEN][NALPHA];
	memset(seen, 0, sizeof seen);
	for (int i = 0; i < COUNT; i++) {
		char code[TRACKID_CODE_LEN + 1];
		CHECK(trackid_new(code) == 0);
		for (int pos = 0; pos < TRACKID_CODE_LEN; pos++) {
			const char *at = strchr(alphabet, code[pos]);
			CHECK(at != NULL);
			if (at)
				seen[pos][at - alphabet]++;
		}
	}
	int first8 = 0, last8 = 0;
	for (int pos = 0; pos < TRACKID_CODE_LEN; pos++)
		for (int v = 0; v < NALPHA; v++) {
			CHECK(seen[pos][v] > 193 - 80 && seen[pos][v] < 193 + 80);
			if (pos < TRACKID_CODE_LEN - 1 && v < 8)
				first8 += seen[pos][v];
			if (pos < TRACKID_CODE_LEN - 1 && v >= NALPHA - 8)
				last8 += seen[pos][v];
		}
	/* 5 x 8 x 193.5 = 7740 each (sd ~85): a modulo bias would show ~+960 */
	CHECK(first8 - last8 < 550 && last8 - first8 < 550);
}

static void
test_check_character_is_stable(void)
{
	/* pinned: codes in any database must stay valid */
	CHECK(trackid_check("222222"));
	CHECK(trackid_check("7KM4Q9"));
	CHECK(trackid_check("ZZZZZM"));
	CHECK(trackid_check("ABCDEU"));
	CHECK(trackid_check("9PZ3RH"));
	CHECK(trackid_check("A4HN2G"));
	CHECK(trackid_check("23456G"));
	CHECK(!trackid_check("23456X"));
	CHECK(!trackid_check("7KM4QX"));      /* the docs' example has no computed check */
}

static void
test_check_rejects_malformed(void)
{
	CHECK(!trackid_check(NULL));
	CHECK(!trackid_check(""));
	CHECK(!trackid_check("7KM4Q"));
	CHECK(!trackid_check("7KM4Q92"));
	CHECK(!trackid_check("7km4q9"));      /* the canonical form is upper case */
	CHECK(!trackid_check("7KM4Q9 "));
	/* 0 1 I L O are not in the alphabet, whatever the check would say */
	static const char excluded[] = "01ILOilo-_ \xc3";
	for (const char *x = excluded; *x; x++)
		for (int pos = 0; pos < TRACKID_CODE_LEN; pos++) {
			char bad[TRACKID_CODE_LEN + 1] = "7KM4Q9";
			bad[pos] = *x;
			CHECK(!trackid_check(bad));
		}
}

static void
test_every_substitution_and_transposition_is_caught(void)
{
	for (int k = 0; k < 300; k++) {
		char code[TRACKID_CODE_LEN + 1];
		CHECK(trackid_new(code) == 0);
		for (int pos = 0; pos < TRACKID_CODE_LEN; pos++)
			for (const char *a = alphabet; *a; a++) {
				if (*a == code[pos])
					continue;
				char bad[TRACKID_CODE_LEN + 1];
				memcpy(bad, code, sizeof bad);
				bad[pos] = *a;
				CHECK(!trackid_check(bad));
			}
		/* adjacent and also jump transpositions */
		for (int i = 0; i < TRACKID_CODE_LEN; i++)
			for (int j = i + 1; j < TRACKID_CODE_LEN; j++) {
				if (code[i] == code[j])
					continue;
				char swapped[TRACKID_CODE_LEN + 1];
				memcpy(swapped, code, sizeof swapped);
				swapped[i] = code[j];
				swapped[j] = code[i];
				CHECK(!trackid_check(swapped));
			}
	}
	/* exactly one check character completes any body */
	static const char *const bodies[] = { "22222", "ZZZZZ", "7KM4Q", "HJKMN", "98765" };
	for (size_t b = 0; b < sizeof bodies / sizeof bodies[0]; b++) {
		int valid = 0;
		for (const char *a = alphabet; *a; a++) {
			char c[TRACKID_CODE_LEN + 1];
			memcpy(c, bodies[b], TRACKID_CODE_LEN - 1);
			c[TRACKID_CODE_LEN - 1] = *a;
			c[TRACKID_CODE_LEN] = '\0';
			valid += trackid_check(c);
		}
		CHECK(valid == 1);
	}
}

static void
test_parse_forms(void)
{
	char code[TRACKID_CODE_LEN + 1], in[64];
	static const struct {
		const char *in;
		int had_prefix;
	} ok[] = {
		{ "TB-7KM4Q9", 1 }, { "TB7KM4Q9", 1 }, { "tb-7km4q9", 1 }, { "tb7km4q9", 1 },
		{ "Tb-7Km4q9", 1 }, { "7KM4Q9", 0 }, { "7km4q9", 0 },
	};
	for (size_t i = 0; i < sizeof ok / sizeof ok[0]; i++) {
		int pre = -1;
		memset(code, 0, sizeof code);
		CHECK(trackid_parse("TB", ok[i].in, strlen(ok[i].in), code, &pre) == 0);
		CHECK_STR(code, "7KM4Q9");
		CHECK(pre == ok[i].had_prefix);
		CHECK(trackid_parse("tb", ok[i].in, strlen(ok[i].in), code, NULL) == 0);
	}
	static const char *const bad[] = {
		"", "TB", "TB-", "TB-7KM4Q", "TB-7KM4Q9X", "TB--7KM4Q9", "TB 7KM4Q9", "XY-7KM4Q9",
		"XY7KM4Q9", "-7KM4Q9", "7KM4QX", "TB-7KM4QX", "0OIL12", "7KM4Q9 ", " 7KM4Q9",
		"7KM4Q9.", "TBTB-7KM4Q9", "TB_7KM4Q9", "7KM4Q", "7KM4Q92",
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		int pre = 42;
		memcpy(code, "keep!", 6);
		CHECK(trackid_parse("TB", bad[i], strlen(bad[i]), code, &pre) < 0);
		CHECK(pre == 42);                 /* untouched on failure */
		CHECK_STR(code, "keep!");
	}
	/* len, not the NUL, ends the token */
	CHECK(trackid_parse("TB", "TB-7KM4Q9junk", 9, code, NULL) == 0);
	CHECK(trackid_parse("TB", "7KM4Q9", 5, code, NULL) < 0);
	CHECK(trackid_parse("TB", "7KM\0Q9", 6, code, NULL) < 0);
	/* other prefixes, and none */
	CHECK(trackid_parse("CABT", "cabt-7KM4Q9", 11, code, NULL) == 0);
	CHECK(trackid_parse("CABT", "TB-7KM4Q9", 9, code, NULL) < 0);
	CHECK(trackid_parse("PHUONGBT", "PHUONGBT7KM4Q9", 14, code, NULL) == 0);
	CHECK(trackid_parse("", "7KM4Q9", 6, code, NULL) == 0);
	CHECK(trackid_parse(NULL, "7KM4Q9", 6, code, NULL) == 0);
	CHECK(trackid_parse("", "TB-7KM4Q9", 9, code, NULL) < 0);
	CHECK(trackid_parse("TB", NULL, 0, code, NULL) < 0);
	/* fresh codes in every form */
	for (int k = 0; k < 200; k++) {
		char fresh[TRACKID_CODE_LEN + 1], low[TRACKID_CODE_LEN + 1];
		CHECK(trackid_new(fresh) == 0);
		memcpy(low, fresh, sizeof low);
		lower(low);
		trackid_format("TB", fresh, in, sizeof in);
		CHECK(trackid_parse("TB", in, strlen(in), code, NULL) == 0 && strcmp(code, fresh) == 0);
		lower(in);
		CHECK(trackid_parse("TB", in, strlen(in), code, NULL) == 0 && strcmp(code, fresh) == 0);
		CHECK(trackid_parse("TB", low, strlen(low), code, NULL) == 0 && strcmp(code, fresh) == 0);
	}
}

static void
test_format(void)
{
	char out[32];
	trackid_format("TB", "7KM4Q9", out, sizeof out);
	CHECK_STR(out, "TB-7KM4Q9");
	trackid_format("PHUONGBT", "7KM4Q9", out, sizeof out);
	CHECK_STR(out, "PHUONGBT-7KM4Q9");
	char small[5] = "xxxx";
	trackid_format("TB", "7KM4Q9", small, sizeof small);
	CHECK_STR(small, "TB-7");                 /* cut, always terminated */
	char none[2] = "x";
	trackid_format("TB", "7KM4Q9", none, 0);
	CHECK_STR(none, "x");                     /* outsz 0 writes nothing */
	trackid_format("TB", "7KM4Q9", NULL, 10);
}

UNIT_MAIN(UNIT(test_new_codes_are_valid_and_distinct), UNIT(test_new_codes_are_uniform),
    UNIT(test_check_character_is_stable), UNIT(test_check_rejects_malformed),
    UNIT(test_every_substitution_and_transposition_is_caught), UNIT(test_parse_forms),
    UNIT(test_format))
