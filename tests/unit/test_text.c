/* Unit tests: Vietnamese text helpers. */
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "gateway/text.h"
#include "tests/unit/unit.h"

/* Every precomposed Vietnamese letter, lower and upper case, and its base. */
static const char vn_lower[] =
    "aàáảãạăằắẳẵặâầấẩẫậeèéẻẽẹêềếểễệiìíỉĩịoòóỏõọôồốổỗộơờớởỡợuùúủũụưừứửữựyỳýỷỹỵđ";
static const char vn_lower_base[] =
    "aaaaaaaaaaaaaaaaaaeeeeeeeeeeeeiiiiiioooooooooooooooooouuuuuuuuuuuuyyyyyyd";
static const char vn_upper[] =
    "AÀÁẢÃẠĂẰẮẲẴẶÂẦẤẨẪẬEÈÉẺẼẸÊỀẾỂỄỆIÌÍỈĨỊOÒÓỎÕỌÔỒỐỔỖỘƠỜỚỞỠỢUÙÚỦŨỤƯỪỨỬỮỰYỲÝỶỸỴĐ";
static const char vn_upper_base[] =
    "AAAAAAAAAAAAAAAAAAEEEEEEEEEEEEIIIIIIOOOOOOOOOOOOOOOOOOUUUUUUUUUUUUYYYYYYD";

static int
valid_utf8(const char *s)
{
	return s && u8_check((const uint8_t *)s, strlen(s)) == NULL;
}

/* Printable ASCII and newline only: one GSM-7 septet each, no escapes. */
static int
gsm7_plain(const char *s)
{
	if (!s)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '\n')
			continue;
		if (*p < 0x20 || *p > 0x7E || strchr("^{}[]~|\\`", *p))
			return 0;
	}
	return 1;
}

static void
check_fold(const char *in, const char *want)
{
	char *f = text_fold(in);
	CHECK_STR(f, want);
	free(f);
}

static void
check_unaccent(const char *in, const char *want)
{
	char *u = text_unaccent(in);
	CHECK_STR(u, want);
	CHECK(gsm7_plain(u));
	free(u);
}

static void
check_clean(const char *in, size_t len, const char *want)
{
	char *c = text_clean(in, len);
	CHECK_STR(c, want);
	CHECK(valid_utf8(c));
	free(c);
}

static void
check_truncate(const char *in, size_t max, const char *want)
{
	char *t = text_truncate(in, max);
	CHECK_STR(t, want);
	CHECK(t && text_chars(t) <= max);
	free(t);
}

static void
test_fold_words(void)
{
	check_fold("NHẬN", "nhan");
	check_fold("nhận", "nhan");
	check_fold("Nhận", "nhan");
	check_fold("nha\xcc\xa3\xcc\x82n", "nhan");              /* NFD: a + dot below + circumflex */
	check_fold("NHA\xcc\x82\xcc\xa3N", "nhan");              /* NFD, marks the other way round */
	check_fold("Cháy", "chay");
	check_fold("Đâm", "dam");
	check_fold("ĐÂM", "dam");
	check_fold("HỎI", "hoi");
	check_fold("CHUYỂN", "chuyen");
	check_fold("cướp", "cuop");
	check_fold("Súng", "sung");
	check_fold("Ðâm", "dam");                                 /* U+00D0, a look-alike of Đ */
	check_fold("Xong", "xong");
	check_fold("", "");
	check_fold(NULL, "");
}

static void
test_fold_sentences(void)
{
	check_fold("Có người bán ma túy ở hẻm 12 Lê Lợi, tối nào cũng có.",
	    "co nguoi ban ma tuy o hem 12 le loi, toi nao cung co.");
	check_fold("  Cháy   NHÀ \n kho \t\r\n", "chay nha kho");
	check_fold("Xe máy\n\nmàu đỏ", "xe may mau do");
	check_fold("   ", "");
	check_fold("a\xff" "b", "a\xef\xbf\xbd" "b");              /* invalid input survives */
	char *f = text_fold(vn_lower);
	CHECK_STR(f, vn_lower_base);
	free(f);
	f = text_fold(vn_upper);
	CHECK_STR(f, vn_lower_base);
	free(f);
}

static void
test_unaccent_vietnamese(void)
{
	check_unaccent("Công an phường Bến Thành đã nhận", "Cong an phuong Ben Thanh da nhan");
	check_unaccent(vn_lower, vn_lower_base);
	check_unaccent(vn_upper, vn_upper_base);
	check_unaccent("Co\xcc\x82ng an phu\xcc\x9bo\xcc\x9b\xcc\x80ng", "Cong an phuong");   /* NFD */
	/* the có dấu and không dấu rows of docs/domain.md section 10 */
	static const char *const rows[][2] = {
		{ "Tin báo TB-7KM4QX: đã tiếp nhận, đang chờ cán bộ xử lý.",
		  "Tin bao TB-7KM4QX: da tiep nhan, dang cho can bo xu ly." },
		{ "Tin báo TB-7KM4QX: cán bộ đã nhận, đang xác minh.",
		  "Tin bao TB-7KM4QX: can bo da nhan, dang xac minh." },
		{ "Tin báo TB-7KM4QX: đã xử lý xong. Cảm ơn bạn.",
		  "Tin bao TB-7KM4QX: da xu ly xong. Cam on ban." },
		{ "Không tìm thấy tin báo TB-7KM4QX. Kiểm tra lại mã.",
		  "Khong tim thay tin bao TB-7KM4QX. Kiem tra lai ma." },
		{ "Đã bổ sung vào tin báo TB-7KM4QX. Cảm ơn bạn.",
		  "Da bo sung vao tin bao TB-7KM4QX. Cam on ban." },
		{ "Bạn gửi quá nhiều tin. Vui lòng thử lại sau. Khẩn cấp gọi 113.",
		  "Ban gui qua nhieu tin. Vui long thu lai sau. Khan cap goi 113." },
		{ "Chưa đọc được nội dung này. Vui lòng gửi bằng chữ. Khẩn cấp gọi 113.",
		  "Chua doc duoc noi dung nay. Vui long gui bang chu. Khan cap goi 113." },
		{ "Nếu đang có cháy, gọi ngay 114. Tin vẫn được ghi nhận: TB-7KM4QX.",
		  "Neu dang co chay, goi ngay 114. Tin van duoc ghi nhan: TB-7KM4QX." },
		{ "Xin cho biết thêm: ở đâu (số nhà, đường, tổ dân phố), khi nào, ai liên quan.",
		  "Xin cho biet them: o dau (so nha, duong, to dan pho), khi nao, ai lien quan." },
	};
	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		check_unaccent(rows[i][0], rows[i][1]);
		char *u = text_unaccent(rows[i][0]);
		CHECK(text_chars(u) == text_chars(rows[i][0]));   /* same length, 1 septet each */
		free(u);
	}
}

static void
test_unaccent_gsm7(void)
{
	check_unaccent("ĐƯỜNG Ầ ữ ỹ · [x] {y} ~ | \\ ^ ` 😀 ok…", "DUONG A u y - (x) (y) - / / ' '  ok...");
	check_unaccent("Hai\ndòng", "Hai\ndong");
	check_unaccent("CR\r\nLF\rx", "CR\nLF\nx");
	check_unaccent("tab\there", "tab here");
	check_unaccent("“nhà” ‘số’ – 5 — 6 € ×", "\"nha\" 'so' - 5 - 6 EUR x");
	check_unaccent("a\xc2\xa0" "b\xe2\x80\x8b" "c\xef\xbb\xbf" "d", "a bcd");   /* NBSP, ZWSP, BOM */
	check_unaccent("❤️ 👍🏻 cảm ơn 🇻🇳", "?  cam on ");                         /* emoji gone */
	check_unaccent("ＯＫ ①", "OK 1");                                          /* NFKD */
	check_unaccent("北京 Привет", "?? ??????");
	check_unaccent("", "");
	check_unaccent(NULL, "");
	char *u = text_unaccent("a\xff" "b\x01" "c");
	CHECK(gsm7_plain(u));
	free(u);
}

static void
test_clean(void)
{
	check_clean("a\xff" "b\x01" "c", 5, "a\xef\xbf\xbd" "b c");
	const char nul[] = { 'x', 0, 'y' };
	check_clean(nul, 3, "x y");
	check_clean("Nha\xcc\xa3\xcc\x82n", strlen("Nha\xcc\xa3\xcc\x82n"), "Nhận");   /* to NFC */
	check_clean("line 1\nline 2\r\n\tx\x1b\x7f", 19, "line 1\nline 2 \n x  ");
	check_clean("C1\xc2\x85" "end", 7, "C1 end");                         /* NEL, a C1 control */
	check_clean("\xc0\xaf", 2, "\xef\xbf\xbd\xef\xbf\xbd");               /* overlong '/' */
	check_clean("\xed\xa0\x80", 3, "\xef\xbf\xbd");                         /* surrogate */
	check_clean("\xf4\x90\x80\x80", 4, "\xef\xbf\xbd");                     /* > U+10FFFF */
	check_clean("\x80x", 2, "\xef\xbf\xbdx");                             /* lone continuation */
	check_clean("ok \xf0\x9f\x98", 6, "ok \xef\xbf\xbd");                 /* cut at the end */
	check_clean("👍 ok", strlen("👍 ok"), "👍 ok");                       /* 4-byte kept */
	check_clean("😀😀😀😀", strlen("😀😀😀😀"), "😀😀😀😀");
	check_clean("\xef\xbf\xbd", 3, "\xef\xbf\xbd");
	check_clean("Có người bán ma túy ở hẻm 12 Lê Lợi.",
	    strlen("Có người bán ma túy ở hẻm 12 Lê Lợi."), "Có người bán ma túy ở hẻm 12 Lê Lợi.");
	check_clean("", 0, "");
	check_clean(NULL, 0, "");
	check_clean("abc", 2, "ab");                                          /* len, not strlen */
	/* any byte soup comes out valid */
	char soup[256];
	for (int i = 0; i < 256; i++)
		soup[i] = (char)(255 - i);
	char *c = text_clean(soup, sizeof soup);
	CHECK(valid_utf8(c));
	CHECK(c && !strchr(c, '\r') && !strchr(c, '\t'));
	free(c);
}

static void
test_chars(void)
{
	CHECK(text_chars("Nhận") == 4);
	CHECK(text_chars("Nha\xcc\xa3\xcc\x82n") == 6);           /* NFD: the marks count */
	CHECK(text_chars("") == 0);
	CHECK(text_chars(NULL) == 0);
	CHECK(text_chars("😀a") == 2);
	CHECK(text_chars("…") == 1);
	CHECK(text_chars(vn_lower) == strlen(vn_lower_base));
}

static void
test_truncate(void)
{
	check_truncate("Có người bán", 100, "Có người bán");
	check_truncate("Có người bán", 12, "Có người bán");          /* exactly fits */
	check_truncate("ệệệệệệệệệệ", 5, "ệệệệ…");
	check_truncate("một hai ba bốn năm sáu", 12, "một hai ba…");
	check_truncate("abc def ghi", 8, "abc def…");                 /* the space "…" replaces */
	check_truncate("abc def ghi", 7, "abc…");
	check_truncate("abcdefghij", 9, "abcdefgh…");
	check_truncate("abcdefghij", 1, "…");
	check_truncate("abcdefghij", 0, "");
	check_truncate("", 0, "");
	check_truncate("ab", 2, "ab");
	check_truncate("abc", 2, "a…");
	check_truncate(NULL, 3, "");
	check_truncate("a    b    c    d", 7, "a    b…");
	check_truncate("a    b    c    d", 9, "a    b…");           /* no blanks before "…" */
	/* a space more than 15 characters back is not used */
	check_truncate("x abcdefghijklmnopqrstuvwxyz", 20, "x abcdefghijklmnopq…");
	check_truncate("x abcdefghijklmnopqrstuvwxyz", 17, "x…");
	/* NFD: a letter is not kept without its marks */
	check_truncate("nha\xcc\xa3\xcc\x82n nha\xcc\xa3\xcc\x82n", 4, "nh…");
	check_truncate("xnha\xcc\xa3\xcc\x82nx", 5, "xnh…");
	check_truncate("xnha\xcc\xa3\xcc\x82nx", 7, "xnha\xcc\xa3\xcc\x82…");
	check_truncate("😀😀😀😀", 3, "😀😀…");
	check_truncate("a\xe2\x91\xa0" "bcdefgh", 3, "a\xe2\x91\xa0…");      /* ① ends in byte A0 */
	check_truncate("ab\xc2\xa0\xc2\xa0" "cdefgh", 5, "ab…");          /* NBSP before the cut */
	/* every bound on a few texts gives valid UTF-8 of at most max code points */
	static const char *const texts[] = {
		"Có người bán ma túy ở hẻm 12 Lê Lợi, tối nào cũng có.",
		"nha\xcc\xa3\xcc\x82n  xe\xcc\x81t  😀😀 ok…",
		"ĐƯỜNG\n\nPHỐ     Bến Thành",
	};
	for (size_t i = 0; i < sizeof texts / sizeof texts[0]; i++)
		for (size_t max = 0; max <= text_chars(texts[i]) + 1; max++) {
			char *t = text_truncate(texts[i], max);
			CHECK(valid_utf8(t));
			CHECK(t && text_chars(t) <= max);
			if (t && max >= text_chars(texts[i]))
				CHECK_STR(t, texts[i]);
			else if (t && max > 0)
				CHECK(strlen(t) >= 3 && strcmp(t + strlen(t) - 3, "…") == 0);
			free(t);
		}
}

static void
test_contains_word(void)
{
	CHECK(text_contains_word("co dao o cho", "dao"));
	CHECK(text_contains_word("dao", "dao"));
	CHECK(text_contains_word("co dao", "dao"));
	CHECK(text_contains_word("dao!", "dao"));
	CHECK(text_contains_word("(sung), dao.", "sung"));
	CHECK(text_contains_word("cam dao\xe2\x80\xa6", "dao"));       /* "…" is not a letter */
	CHECK(text_contains_word("daothu va dao", "dao"));            /* second occurrence */
	CHECK(text_contains_word("chay nha o hem 5", "chay nha"));
	CHECK(text_contains_word("goi 113.", "113"));
	CHECK(!text_contains_word("ong dao tao", "da"));
	CHECK(!text_contains_word("daothu", "dao"));
	CHECK(!text_contains_word("ngdao", "dao"));
	CHECK(!text_contains_word("dao1", "dao"));
	CHECK(!text_contains_word("1130", "113"));
	CHECK(!text_contains_word("dao\xc3\xa9", "dao"));              /* é is a letter */
	CHECK(!text_contains_word("chay nhanh", "chay nha"));
	CHECK(!text_contains_word("abc", ""));
	CHECK(!text_contains_word("ab", "abc"));
	CHECK(!text_contains_word(NULL, "dao"));
	CHECK(!text_contains_word("dao", NULL));
	/* with folding on both sides, as the router and config do */
	char *hay = text_fold("Có CƯỚP! Nó cầm DAO, chạy về hướng chợ");
	char *kw = text_fold("cướp"), *kw2 = text_fold("Dao"), *kw3 = text_fold("đâm");
	CHECK(text_contains_word(hay, kw));
	CHECK(text_contains_word(hay, kw2));
	CHECK(!text_contains_word(hay, kw3));
	free(hay);
	free(kw);
	free(kw2);
	free(kw3);
}

static void
test_valid(void)
{
	CHECK(text_valid("Nguyễn Văn An", 100, 0));
	CHECK(text_valid("Đã xác minh,\nchuyển đội điều tra", 1000, 1));
	CHECK(!text_valid("Đã xác minh,\nchuyển đội điều tra", 1000, 0));  /* no newline here */
	CHECK(!text_valid("", 100, 1));
	CHECK(!text_valid(NULL, 100, 1));
	CHECK(!text_valid("  \n \xc2\xa0", 100, 1));                 /* only white space */
	CHECK(!text_valid("abc", 2, 0));                               /* bytes, not characters */
	CHECK(text_valid("ab", 2, 0));
	CHECK(!text_valid("a\tb", 100, 1));                            /* controls */
	CHECK(!text_valid("a\x7f" "b", 100, 1));
	CHECK(!text_valid("a\xc2\x85" "b", 100, 1));                   /* C1 */
	CHECK(!text_valid("evil\xe2\x80\xae" "gnp.exe", 100, 0));      /* U+202E override */
	CHECK(!text_valid("a\xe2\x80\x8f" "b", 100, 0));               /* U+200F mark */
	CHECK(!text_valid("a\xe2\x81\xa6" "b", 100, 0));               /* U+2066 isolate */
	CHECK(!text_valid("a\xff" "b", 100, 0));                       /* not UTF-8 */
	CHECK(!text_valid("\xc0\xaf", 100, 0));                        /* overlong */
	CHECK(!text_valid("\xed\xa0\x80", 100, 0));                    /* surrogate */
	CHECK(!text_valid("\xf4\x90\x80\x80", 100, 0));                /* past U+10FFFF */
	CHECK(!text_valid("\xe1\xba", 100, 0));                        /* cut short */
	CHECK(text_valid("\xf0\x9f\x9a\x93", 100, 0));                 /* emoji are text */
}

static void
test_for_terminal(void)
{
	char *t = text_for_terminal("Cháy\tnhà\x1b[31m  \n", 0);
	CHECK_STR(t, "Cháy nhà [31m");
	free(t);
	t = text_for_terminal("dòng 1\ndòng 2", 0);
	CHECK_STR(t, "dòng 1\ndòng 2");
	free(t);
	t = text_for_terminal("dòng 1\ndòng 2", 1);
	CHECK_STR(t, "dòng 1 dòng 2");
	free(t);
	t = text_for_terminal("evil\xe2\x80\xae" "gnp.exe", 1);
	CHECK_STR(t, "evil gnp.exe");
	free(t);
	t = text_for_terminal("a\xff" "b", 1);                         /* U+FFFD stays */
	CHECK_STR(t, "a\xef\xbf\xbd" "b");
	free(t);
	t = text_for_terminal("Ho\xcc\x80" "a", 1);                    /* NFC */
	CHECK_STR(t, "Hòa");
	free(t);
	t = text_for_terminal(NULL, 1);
	CHECK_STR(t, "");
	free(t);
}

UNIT_MAIN(UNIT(test_fold_words), UNIT(test_fold_sentences), UNIT(test_unaccent_vietnamese),
    UNIT(test_unaccent_gsm7), UNIT(test_clean), UNIT(test_chars), UNIT(test_truncate),
    UNIT(test_contains_word), UNIT(test_valid), UNIT(test_for_terminal))
