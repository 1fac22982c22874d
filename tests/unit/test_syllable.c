/* Unit tests: Vietnamese syllables and matching by syllable with marks. */
#include <stdlib.h>
#include <string.h>

#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/urgency.h"
#include "gateway/syllable.h"
#include "tests/unit/unit.h"

/* 1 if phrase is in text as asked; -1 when something could not be split. */
static int
find(const char *text, const char *phrase, enum syllables_how how)
{
	struct syllables *t = syllables_split(text), *p = syllables_phrase(phrase);
	int r = t && p ? syllables_find(t, p, how) : -1;
	syllables_free(t);
	syllables_free(p);
	return r;
}

static int
as_written(const char *text, const char *phrase)
{
	return find(text, phrase, SYLLABLES_AS_WRITTEN);
}

static int
unaccented(const char *text, const char *phrase)
{
	return find(text, phrase, SYLLABLES_UNACCENTED);
}

/* The words of text joined by spaces (syllables_join). */
static char *
joined(const char *text)
{
	struct syllables *s = syllables_split(text);
	char *j = s ? syllables_join(s) : NULL;
	syllables_free(s);
	return j;
}

static int
marked_text(const char *text)
{
	struct syllables *s = syllables_split(text);
	int m = syllables_marked_text(s);
	syllables_free(s);
	return m;
}

static void
test_split_fold_and_words(void)
{
	char *j = joined("  CHÁY   NHÀ!!! ở hẻm 5, gọi 114…");
	CHECK_STR(j, "cháy nhà ở hẻm 5 gọi 114");
	free(j);
	/* a full stop inside a word splits it (UAX #29 keeps "nhà.gọi" together) */
	j = joined("cháy nhà.Gọi 114, P.Bến Thành");
	CHECK_STR(j, "cháy nhà gọi 114 p bến thành");
	free(j);
	j = joined("");
	CHECK_STR(j, "");
	free(j);
	j = joined(NULL);
	CHECK_STR(j, "");
	free(j);
	j = joined("\xff\xfe cháy \x01 nhà");            /* invalid UTF-8 and controls */
	CHECK_STR(j, "cháy nhà");
	free(j);
	struct syllables *s = syllables_split("Đâm, chém");
	CHECK(s && syllables_count(s) == 2);
	CHECK_STR(syllables_plain(s, 0), "dam");
	CHECK_STR(syllables_plain(s, 1), "chem");
	CHECK(syllables_plain(s, 2) == NULL);
	CHECK(!syllables_is_phrase(s));                       /* a comma between them */
	syllables_free(s);
	syllables_free(NULL);
}

static void
test_marks_are_the_word(void)
{
	/* the near-misses of docs/domain.md §9 and the issue */
	CHECK(as_written("Cháy nhà ở hẻm 5!", "cháy") == 1);
	CHECK(as_written("Tối nào cũng có mấy thanh niên chạy xe lạng lách", "cháy") == 0);
	CHECK(as_written("Nước thải chảy tràn ra đường", "cháy") == 0);
	CHECK(as_written("Quán cơm chay đầu hẻm", "cháy") == 0);
	CHECK(as_written("Có người đào trộm cây", "dao") == 0);
	CHECK(as_written("Có người cầm dao ở chợ", "dao") == 1);
	CHECK(as_written("Có người truyền đạo, đi dạo", "dao") == 0);
	CHECK(as_written("Đổ rác xuống đầm sen", "đâm") == 0);
	CHECK(as_written("Một đám người tụ tập, đấm nhau, không ai dám nói", "đâm") == 0);
	CHECK(as_written("Có người bị đâm", "đâm") == 1);
	CHECK(as_written("Tôi xin bổ sung thêm, mặt sưng, sừng nai", "súng") == 0);
	CHECK(as_written("Nghe tiếng súng", "súng") == 1);
	CHECK(as_written("Trộm mất cái cuốc, gọi mấy cuộc", "cướp") == 0);
	CHECK(as_written("Vừa bị cướp", "cướp") == 1);
	/* by syllable, never by substring */
	CHECK(as_written("dao động mạnh", "dao") == 1);        /* the same syllable, so yes */
	CHECK(as_written("daokéo", "dao") == 0);
	CHECK(as_written("cháynhà", "cháy") == 0);
	CHECK(as_written("CƯỚP!!!", "cướp") == 1);
}

static void
test_normalisation(void)
{
	/* NFD from a phone keyboard, capitals, the tone on either vowel */
	CHECK(as_written("Ch\x61\xcc\x81y NHA\xcc\x80", "cháy nhà") == 1);          /* a + ◌́ */
	CHECK(as_written("c\xc6\xb0\xcc\x81\xc6\xa1p", "cướp") == 1);          /* ư + ◌́, ơ */
	CHECK(as_written("ma tuý đá", "ma túy") == 1);
	CHECK(as_written("ma túy đá", "ma tuý") == 1);
	CHECK(as_written("hoà bình", "hòa") == 1);
	/* the tone typed before the circumflex: e + ◌́ + ◌̂ is not NFC-equal to ế */
	CHECK(as_written("ti\x65\xcc\x81\xcc\x82ng s\x75\xcc\x81ng", "tiếng súng") == 1);
	/* Đ, and the look-alike Ð */
	CHECK(as_written("ĐÂM NGƯỜI", "đâm người") == 1);
	CHECK(as_written("\xc3\x90\xc3\x82M", "đâm") == 1);
	/* a tone is a tone: cháy, chạy, chảy, chày, chay differ */
	CHECK(as_written("chạy", "chày") == 0);
	CHECK(as_written("chay", "cháy") == 0);
}

static void
test_unaccented_texts(void)
{
	/* a text without marks matches unaccented phrases, and only those */
	CHECK(unaccented("dang chay nha o hem 5", "chay nha") == 1);
	CHECK(as_written("dang chay nha o hem 5", "cháy") == 0);
	CHECK(as_written("co nguoi dao trom cay", "dao") == 0);     /* dao may be đào */
	CHECK(unaccented("toi nao cung co thanh nien chay xe", "chay nha") == 0);
	CHECK(unaccented("chay nhanh", "chay nha") == 0);
	/* a phrase runs over white space only */
	CHECK(unaccented("dang chay, nha toi o hem 5", "chay nha") == 0);
	CHECK(unaccented("CHAY  NHA\tO TO 7", "chay nha") == 1);
	/* a text with marks is never matched without them */
	CHECK(unaccented("Ăn chay nha mọi người", "chay nha") == 0);
	CHECK(unaccented("Chạy nha", "chay nha") == 0);
	/* a few marks in an SMS typed without them do not make it a marked text,
	 * and a syllable typed with marks still counts as written */
	CHECK(!marked_text("co nguoi dao trom cay o vuon Bến Thành"));
	CHECK(as_written("co nguoi dao trom cay o vuon Bến Thành", "dao") == 0);
	CHECK(unaccented("co chay nha o hẻm 5", "chay nha") == 1);
	CHECK(as_written("Cháy nha o hem 5", "cháy") == 1);
	CHECK(unaccented("Chạy nha o hem 5", "chay nha") == 0);
	/* marked texts: a third of the syllables with a letter is enough */
	CHECK(marked_text("Cháy!"));
	CHECK(marked_text("dao găm"));
	CHECK(as_written("thanh niên cầm dao", "dao") == 1);      /* dao written plainly */
	CHECK(!marked_text("113 114 115"));
	CHECK(!marked_text(""));
}

static void
test_telex_and_vni_leftovers(void)
{
	/* the keyboard was off: Telex or VNI keys where the marks should be */
	CHECK(marked_text("Chays nhaf owr hemr 5"));
	CHECK(as_written("Chays nhaf owr hemr 5", "cháy nhà") == 1);
	CHECK(as_written("chay1 nha2 o73 hem3 5", "cháy nhà ở hẻm") == 1);
	CHECK(as_written("cha1y nha2", "cháy nhà") == 1);
	CHECK(as_written("ddaam nguwowif", "đâm người") == 1);
	CHECK(as_written("d9a6m ngu7o7i2", "đâm người") == 1);
	CHECK(as_written("cuwowps giaajt", "cướp giật") == 1);
	CHECK(as_written("cuopws giaatj", "cướp giật") == 1);
	CHECK(as_written("cuop71 gia6t5", "cướp giật") == 1);
	CHECK(as_written("chayj xe", "cháy") == 0);                   /* chạy */
	/* a stray "gas", "bus" or "hem5" in an SMS without marks stays as typed */
	CHECK(!marked_text("no binh gas tren xe bus o hem5"));
	CHECK(unaccented("no binh gas tren xe bus", "no binh gas") == 1);
	/* a phrase written on purpose is never read as Telex */
	struct syllables *p = syllables_phrase("bus");
	CHECK(p && !syllables_any_marked(p));
	syllables_free(p);
	/* not a Vietnamese syllable once decoded: left alone */
	CHECK(!marked_text("sms xyz"));
	CHECK(!marked_text("ok ko dc"));
}

static void
test_category_table(void)
{
	/* every hint is a phrase of up to SYLLABLES_PHRASE_MAX words (or parts
	 * joined by " + "), and a hint matched without marks carries no
	 * single-syllable collision the domain doc warns about */
	static const char *const ambiguous[] = { "chay", "dao", "dam", "sung", "no", "da",
	    "dang chay", "co chay", "dam nguoi", "chay no", "bi dam", "da ga", "bi mat" };
	size_t n = 0;
	for (size_t i = 0; i < 64; i++)
		for (size_t j = 0; j < 64; j++) {
			int un = 0;
			const char *h = category_hint_at(i, j, &un);
			if (!h)
				break;
			n++;
			char *copy = strdup(h);
			for (char *part = copy; part;) {
				char *plus = strchr(part, '+');
				if (plus)
					*plus = '\0';
				struct syllables *s = syllables_phrase(part);
				CHECK(s && syllables_count(s) >= 1 &&
				    syllables_count(s) <= SYLLABLES_PHRASE_MAX && syllables_is_phrase(s));
				char plain[256] = "";
				for (size_t k = 0; s && un && k < syllables_count(s); k++)
					snprintf(plain + strlen(plain), sizeof plain - strlen(plain), "%s%s",
					    k ? " " : "", syllables_plain(s, k));
				for (size_t a = 0; *plain && a < sizeof ambiguous / sizeof ambiguous[0]; a++)
					if (strcmp(plain, ambiguous[a]) == 0) {
						fprintf(stderr, "  hint \"%s\" is ambiguous without marks\n", h);
						CHECK(0);
					}
				syllables_free(s);
				part = plus ? plus + 1 : NULL;
			}
			free(copy);
		}
	CHECK(n > 100);
	CHECK_STR(category_guess("Tôi chạy bộ ở công viên"), "khac");
	CHECK_STR(category_guess("Nhà số 5 đang cháy lớn!"), "pccc");
	CHECK_STR(category_guess("toi chay bo o cong vien"), "khac");
	CHECK_STR(category_guess("Cán bộ công an nhận tiền của quán karaoke"), "can_bo");
	CHECK_STR(category_guess("Có người lạ bắt cóc trẻ em"), "khac");
	CHECK_STR(category_name("can_bo"), "tiêu cực cán bộ");     /* fits tinbao tips' column */
	CHECK_STR(category_name("khac"), "khác");
}

static void
test_a_config_made_by_hand(void)
{
	/* tests build a struct config without config_load: nothing split yet */
	static char kw[] = "cháy", un[] = "chay nha";
	struct config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.urgent_keywords.v[0] = kw;
	cfg.urgent_keywords.n = 1;
	cfg.urgent_phrases_unaccented.v[0] = un;
	cfg.urgent_phrases_unaccented.n = 1;
	CHECK(urgency_match(&cfg, "Cháy nhà ở hẻm 5!") == 1);
	CHECK(urgency_match(&cfg, "dang chay nha o hem 5") == 1);
	CHECK(urgency_match(&cfg, "Tối nào cũng có mấy thanh niên chạy xe") == 0);
	CHECK_STR(category_guess_in(NULL, "Cháy nhà"), "khac");
	struct category_table *t = category_table_new();
	CHECK(t != NULL);
	CHECK_STR(category_guess_in(t, "Cháy nhà"), "pccc");
	category_table_free(t);
	category_table_free(NULL);
}

UNIT_MAIN(UNIT(test_split_fold_and_words), UNIT(test_a_config_made_by_hand), UNIT(test_marks_are_the_word),
    UNIT(test_normalisation), UNIT(test_unaccented_texts), UNIT(test_telex_and_vni_leftovers),
    UNIT(test_category_table))
