/* Unit tests: Vietnamese text helpers. */
#include <stdlib.h>
#include <string.h>

#include "gateway/text.h"
#include "tests/unit/unit.h"

static void
check_fold(const char *in, const char *want)
{
	char *f = text_fold(in);
	CHECK_STR(f, want);
	free(f);
}

static void
test_fold(void)
{
	check_fold("NHẬN", "nhan");
	check_fold("nhận", "nhan");
	check_fold("Nha\xcc\xa3\xcc\x82n", "nhan");                 /* NFD input */
	check_fold("Đâm", "dam");
	check_fold("  Cháy   NHÀ \n kho ", "chay nha kho");
	check_fold("Xong", "xong");
	check_fold("", "");
}

static void
test_unaccent(void)
{
	char *u = text_unaccent("Công an phường Bến Thành đã nhận");
	CHECK_STR(u, "Cong an phuong Ben Thanh da nhan");
	free(u);
	u = text_unaccent("ĐƯỜNG Ầ ữ ỹ · [x] {y} ~ | \\ ^ 😀 ok…");
	CHECK_STR(u, "DUONG A u y - (x) (y) - / / '  ok...");
	free(u);
	u = text_unaccent("Hai\ndòng");
	CHECK_STR(u, "Hai\ndong");
	free(u);
}

static void
test_clean(void)
{
	const char bad[] = "a\xff" "b\x01" "c";
	char *c = text_clean(bad, sizeof bad - 1);
	CHECK_STR(c, "a\xef\xbf\xbd" "b c");
	free(c);
	const char nul[] = { 'x', 0, 'y' };
	c = text_clean(nul, 3);
	CHECK_STR(c, "x y");
	free(c);
	c = text_clean("Nha\xcc\xa3\xcc\x82n", strlen("Nha\xcc\xa3\xcc\x82n"));   /* to NFC */
	CHECK_STR(c, "Nhận");
	free(c);
}

static void
test_chars_and_truncate(void)
{
	CHECK(text_chars("Nhận") == 4);
	CHECK(text_chars("") == 0);
	char *t = text_truncate("Có người bán", 100);
	CHECK_STR(t, "Có người bán");
	free(t);
	t = text_truncate("ệệệệệệệệệệ", 5);
	CHECK_STR(t, "ệệệệ…");
	CHECK(text_chars(t) == 5);
	free(t);
	t = text_truncate("một hai ba bốn năm sáu", 12);
	CHECK_STR(t, "một hai ba…");
	free(t);
}

static void
test_contains_word(void)
{
	CHECK(text_contains_word("co dao o cho", "dao"));
	CHECK(!text_contains_word("ong dao tao", "da"));
	CHECK(!text_contains_word("daothu", "dao"));
	CHECK(text_contains_word("chay nha", "chay nha"));
	CHECK(text_contains_word("dao", "dao"));
	CHECK(!text_contains_word("abc", ""));
}

UNIT_MAIN(UNIT(test_fold), UNIT(test_unaccent), UNIT(test_clean), UNIT(test_chars_and_truncate),
    UNIT(test_contains_word))
