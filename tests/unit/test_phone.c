/* Unit tests: phone numbers as people write them. */
#include <stdio.h>
#include <string.h>

#include "gateway/phone.h"
#include "tests/unit/unit.h"

static void
test_phone_normalize(void)
{
	char out[32];
	CHECK(phone_normalize("0912345678", out, sizeof out) == 0);
	CHECK_STR(out, "+84912345678");
	CHECK(phone_normalize("+84 912.345-678", out, sizeof out) == 0);
	CHECK_STR(out, "+84912345678");
	CHECK(phone_normalize("84912345678", out, sizeof out) == 0);
	CHECK_STR(out, "+84912345678");
	CHECK(phone_normalize("1900", out, sizeof out) == 0);
	CHECK_STR(out, "1900");
	CHECK(phone_normalize("abc", out, sizeof out) < 0);
	CHECK(phone_normalize("+", out, sizeof out) < 0);
	CHECK(phone_normalize("++84912345678", out, sizeof out) < 0);
	CHECK(phone_normalize("12345678901234567", out, sizeof out) < 0);
	CHECK(phone_normalize("0912345678", out, 12) < 0);      /* "+84912345678" needs 13 */
	/* issue 9.8: every way a Vietnamese number is written */
	static const char *const forms[] = { "0084912345678", "+840912345678", "840912345678",
	    "00840912345678", "+84 (0) 912 345 678", "(+84) 912-345-678", "0084 91 234 5678",
	    "+84.0912.345.678" };
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		CHECK(phone_normalize(forms[i], out, sizeof out) == 0);
		if (strcmp(out, "+84912345678") != 0)
			fprintf(stderr, "  %s -> %s\n", forms[i], out);
		CHECK_STR(out, "+84912345678");
	}
	CHECK(phone_normalize("+84 24 3825 1234", out, sizeof out) == 0);  /* a landline */
	CHECK_STR(out, "+842438251234");
	CHECK(phone_normalize("004915112345678", out, sizeof out) == 0);   /* abroad, by 00 */
	CHECK_STR(out, "+4915112345678");
	CHECK(phone_normalize("0012", out, sizeof out) == 0);               /* a short code */
	CHECK_STR(out, "0012");
}

static void
test_phone_normalize_full(void)
{
	char out[PHONE_MAX];
	CHECK(phone_normalize_full("0900000001", out) == 0);
	CHECK_STR(out, "+84900000001");
	CHECK(phone_normalize_full("+84 900 000 002", out) == 0);
	CHECK_STR(out, "+84900000002");
	CHECK(phone_normalize_full("(090) 000-0003", out) == 0);
	CHECK_STR(out, "+84900000003");
	CHECK(phone_normalize_full("+4915112345678", out) == 0);  /* abroad, as given */
	CHECK_STR(out, "+4915112345678");
	CHECK(phone_normalize_full("1900", out) < 0);             /* a short code is no officer */
	CHECK(phone_normalize_full("12345678", out) < 0);         /* no "+", no 0 or 84 */
	CHECK(phone_normalize_full("+1234567", out) < 0);         /* 7 digits */
	CHECK(phone_normalize_full("+12345678", out) == 0);       /* 8 */
	CHECK(phone_normalize_full("+123456789012345", out) == 0); /* 15 */
	CHECK(phone_normalize_full("+1234567890123456", out) < 0);
	CHECK(phone_normalize_full("abc", out) < 0);
	CHECK(phone_normalize_full("", out) < 0);
}

UNIT_MAIN(UNIT(test_phone_normalize), UNIT(test_phone_normalize_full))
