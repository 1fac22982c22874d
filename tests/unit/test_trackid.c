/* Unit tests: tracking IDs. */
#include <stdlib.h>
#include <string.h>

#include "gateway/trackid.h"
#include "tests/unit/unit.h"

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";

static void
test_new_codes_are_valid_and_distinct(void)
{
	enum { N = 10000 };
	char (*codes)[TRACKID_CODE_LEN + 1] = calloc(N, sizeof *codes);
	for (int i = 0; i < N; i++) {
		CHECK(trackid_new(codes[i]) == 0);
		CHECK(trackid_check(codes[i]));
		CHECK(strspn(codes[i], alphabet) == TRACKID_CODE_LEN);
	}
	int dup = 0;
	qsort(codes, N, sizeof *codes, (int (*)(const void *, const void *))strcmp);
	for (int i = 1; i < N; i++)
		dup += strcmp(codes[i], codes[i - 1]) == 0;
	CHECK(dup < 10);                 /* 31^5 codes: a few collisions at most */
	free(codes);
}

static void
test_every_single_substitution_is_caught(void)
{
	for (int k = 0; k < 200; k++) {
		char code[TRACKID_CODE_LEN + 1];
		trackid_new(code);
		for (int pos = 0; pos < TRACKID_CODE_LEN; pos++)
			for (const char *a = alphabet; *a; a++) {
				if (*a == code[pos])
					continue;
				char bad[TRACKID_CODE_LEN + 1];
				memcpy(bad, code, sizeof bad);
				bad[pos] = *a;
				CHECK(!trackid_check(bad));
			}
		for (int pos = 0; pos + 1 < TRACKID_CODE_LEN; pos++) {
			if (code[pos] == code[pos + 1])
				continue;
			char swapped[TRACKID_CODE_LEN + 1];
			memcpy(swapped, code, sizeof swapped);
			swapped[pos] = code[pos + 1];
			swapped[pos + 1] = code[pos];
			CHECK(!trackid_check(swapped));
		}
	}
}

static void
test_parse_forms(void)
{
	char code[TRACKID_CODE_LEN + 1], fresh[TRACKID_CODE_LEN + 1], in[32], lower[16];
	trackid_new(fresh);
	for (int i = 0; i <= TRACKID_CODE_LEN; i++)
		lower[i] = (char)(fresh[i] >= 'A' && fresh[i] <= 'Z' ? fresh[i] - 'A' + 'a' : fresh[i]);
	int pre = -1;
	trackid_format("TB", fresh, in, sizeof in);
	CHECK(trackid_parse("TB", in, strlen(in), code, &pre) == 0 && pre == 1);
	CHECK_STR(code, fresh);
	CHECK(trackid_parse("TB", fresh, strlen(fresh), code, &pre) == 0 && pre == 0);
	CHECK(trackid_parse("TB", lower, strlen(lower), code, NULL) == 0);
	CHECK_STR(code, fresh);
	snprintf(in, sizeof in, "tb%s", lower);
	CHECK(trackid_parse("TB", in, strlen(in), code, NULL) == 0);
	snprintf(in, sizeof in, "XY-%s", fresh);
	CHECK(trackid_parse("TB", in, strlen(in), code, NULL) < 0);
	CHECK(trackid_parse("TB", "TB-", 3, code, NULL) < 0);
	CHECK(trackid_parse("TB", "0OIL12", 6, code, NULL) < 0);
	snprintf(in, sizeof in, "%sX", fresh);
	CHECK(trackid_parse("TB", in, strlen(in), code, NULL) < 0);
	CHECK(trackid_parse("TB", "", 0, code, NULL) < 0);
}

UNIT_MAIN(UNIT(test_new_codes_are_valid_and_distinct),
    UNIT(test_every_single_substitution_is_caught), UNIT(test_parse_forms))
