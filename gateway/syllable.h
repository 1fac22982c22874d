/* syllable — Vietnamese text as syllables, so that words and phrases are
 * matched by syllable and with their marks ("chạy" is not "cháy": CONVENTIONS
 * lesson 18, docs/domain.md §7 and §9). The urgency check and the category
 * guess match through here.
 *
 * Splitting. The text is cleaned (text_clean: valid UTF-8, NFC), case folded
 * and NFC-normalised again (u8_casefold), and cut at UAX #29 word boundaries
 * (u8_wordbreaks). A word is one syllable, or several where punctuation sits
 * inside it: UAX #29 keeps "nhà.gọi" or "p.bến" together as it would "e.g.",
 * and SMS often leaves out the space after a full stop. Each syllable has
 *   - its exact form: the letters with their vowel marks (â ă ê ô ơ ư đ) and
 *     the tone (sắc, huyền, hỏi, ngã, nặng) kept apart, so "tuý" and "túy",
 *     "hoà" and "hòa" are one syllable whichever vowel the keyboard put the
 *     tone on, and a text typed decomposed (NFD, some phone keyboards),
 *     with the tone before the vowel mark, is read as if typed composed;
 *   - its plain form: no marks at all, đ -> d ("cháy", "chạy", "chảy",
 *     "chay" -> "chay");
 *   - whether it carries marks: a tone, a vowel mark, or đ.
 *
 * Does the text carry Vietnamese marks? Yes when at least one syllable in
 * three of those holding a letter carries marks. Text typed with marks has
 * them on well over half its syllables; an SMS typed without them may still
 * hold a pasted name ("Bến Thành") or one word typed with marks, and that
 * must not make "dao" in it read as "dao" (knife) rather than any of dao,
 * đào, dạo, đạo. Abbreviations ("ko", "dc", "ATM") count as syllables
 * without marks.
 *
 * Matching (syllables_find). A phrase is a run of syllables in the text
 * separated by white space only (a comma or full stop between two words
 * ends a phrase):
 *   - SYLLABLES_AS_WRITTEN, for words written with their marks ("cháy",
 *     "dao", "bắt cóc"): each syllable of the run equals the phrase's in its
 *     exact form and is read as written: it carries marks, or the text
 *     carries marks (then an unmarked "dao" in it is dao, the knife).
 *   - SYLLABLES_UNACCENTED, for phrases written without marks that stand for
 *     one meaning only ("boc chay", "cuop giat"): only in a text without
 *     marks, each syllable of the run carries no marks and equals the
 *     phrase's in its plain form. A syllable typed with marks is never read
 *     as another word ("Chạy nha" is not "chay nha").
 *
 * Telex and VNI leftovers. With the Vietnamese keyboard off, "cháy nhà" comes
 * as "chays nhaf" (Telex) or "chay1 nha2" (VNI). A text with no marks in
 * which at least half of the syllables holding a letter read as a valid
 * Vietnamese syllable once their Telex or VNI keys are applied (and that
 * syllable carries marks) is read that way; fewer, and they stay as typed,
 * so the odd "gas", "bus" or "hem5" in an SMS without marks is left alone.
 *
 * Threads: pure, any thread. Ownership: string arguments are borrowed and
 * not kept; a struct syllables is the caller's, freed with syllables_free().
 */
#ifndef TINBAO_SYLLABLE_H
#define TINBAO_SYLLABLE_H

#include <stddef.h>

/* The most syllables a configured keyword or phrase may have. */
#define SYLLABLES_PHRASE_MAX 8

struct syllables;

enum syllables_how {
	SYLLABLES_AS_WRITTEN,         /* the phrase is written with its marks */
	SYLLABLES_UNACCENTED,         /* the phrase is written without marks */
};

/* A tip's text split into syllables (NULL is read as ""), Telex and VNI
 * leftovers read as described above. NULL when memory runs out. */
struct syllables *syllables_split(const char *text);
/* The same for a word or phrase that someone wrote on purpose (a
 * configured keyword, a category hint): never read as Telex or VNI, so
 * "bus" stays "bus". */
struct syllables *syllables_phrase(const char *phrase);
void syllables_free(struct syllables *s);

/* The number of syllables. */
size_t syllables_count(const struct syllables *s);
/* 1 if the text carries Vietnamese marks (see above), 0 if not. */
int syllables_marked_text(const struct syllables *s);
/* 1 if any syllable carries marks, 0 if none does. */
int syllables_any_marked(const struct syllables *s);
/* 1 if every syllable follows the one before it after white space only
 * (a phrase as configured: "chay nha", not "chay, nha"). */
int syllables_is_phrase(const struct syllables *s);
/* Syllable i's plain form ("chay"), or NULL past the end. Borrowed. */
const char *syllables_plain(const struct syllables *s, size_t i);
/* Syllable i as it stands in the folded text ("cháy", "owr"), or NULL. */
const char *syllables_word(const struct syllables *s, size_t i);
/* The syllables as words joined by single spaces ("cháy nhà"); malloc'd,
 * NULL when memory runs out. */
char *syllables_join(const struct syllables *s);

/* 1 if phrase occurs in text as described above, 0 if not (and for an
 * empty phrase). */
int syllables_find(const struct syllables *text, const struct syllables *phrase,
    enum syllables_how how);

#endif
