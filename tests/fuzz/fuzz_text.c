/* Fuzz target: cleaning, then folding, unaccenting, truncating, counting
 * and word search. Every output must be valid UTF-8; the folded form has no
 * marks, no ASCII capitals and single inner spaces; the unaccented form is
 * printable ASCII and newlines without GSM-7 extension characters; a cut
 * text has at most its bound of code points. Typed-in checks: a text
 * text_valid accepts is valid UTF-8 within its bound, and the terminal form
 * has no control character (newlines only when not one line), no direction
 * mark or bidi override, and does not end in white space. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "gateway/csv.h"
#include "gateway/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
valid(const char *s)
{
	if (s && u8_check((const uint8_t *)s, strlen(s)) != NULL)
		abort();
}

static void
check_fold(const char *f)
{
	size_t n = strlen(f);
	if (n && (f[0] == ' ' || f[n - 1] == ' ' || strstr(f, "  ")))
		abort();
	if (strpbrk(f, "\t\r\nABCDEFGHIJKLMNOPQRSTUVWXYZ"))
		abort();
	const uint8_t *p = (const uint8_t *)f, *end = p + n;
	while (p < end) {
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		if ((c >= 0x300 && c <= 0x36F) || c == 0x111 || c == 0x110)
			abort();
		p += k > 0 ? k : 1;
	}
}

static void
check_cell(const char *cell)
{
	const uint8_t *p = (const uint8_t *)cell, *end = p + strlen(cell);
	int lead = 1;
	while (p < end) {
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		if ((c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069) || c == 0x200E ||
		    c == 0x200F)
			abort();
		if (lead && c != ' ' && c != '\t' && c != '\r' && c != '\n' && c != 0xA0) {
			if ((c == '=' || c == '+' || c == '-' || c == '@') && cell[0] != '\'')
				abort();
			lead = 0;
		}
		p += k > 0 ? k : 1;
	}
}

static void
check_terminal(const char *t, int oneline)
{
	size_t n = strlen(t);
	if (n && (t[n - 1] == ' ' || t[n - 1] == '\n'))
		abort();
	const uint8_t *p = (const uint8_t *)t, *end = p + n;
	while (p < end) {
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		if ((c < 0x20 && (c != '\n' || oneline)) || (c >= 0x7F && c < 0xA0) || c == 0x200E ||
		    c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069))
			abort();
		p += k > 0 ? k : 1;
	}
}

static void
check_unaccent(const char *u)
{
	for (const unsigned char *p = (const unsigned char *)u; *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p > 0x7E || strchr("^{}[]~|\\`", *p))
			abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *clean = text_clean((const char *)data, size);
	if (!clean)
		return 0;
	valid(clean);
	size_t chars = text_chars(clean), max = size ? data[0] % 90 : 0;
	char *fold = text_fold(clean), *plain = text_unaccent(clean);
	char *cut = text_truncate(clean, max);
	char *raw = malloc(size + 1);                /* uncleaned input must not break them */
	if (raw) {
		memcpy(raw, data, size);
		raw[size] = '\0';
		char *f2 = text_fold(raw), *u2 = text_unaccent(raw), *t2 = text_truncate(raw, max);
		if (u2)
			check_unaccent(u2);
		if (f2)
			(void)text_contains_word(f2, "chay nha");
		if (text_valid(raw, max, max & 1) &&
		    (strlen(raw) > max || u8_check((const uint8_t *)raw, strlen(raw)) != NULL))
			abort();
		char *cell = csv_cell(raw);              /* no formula start, no bidi control */
		if (cell) {
			valid(cell);
			check_cell(cell);
		}
		free(cell);
		for (int oneline = 0; oneline <= 1; oneline++) {
			char *term = text_for_terminal(raw, oneline);
			if (term) {
				valid(term);
				check_terminal(term, oneline);
			}
			free(term);
		}
		free(f2);
		free(u2);
		free(t2);
	}
	if (fold) {
		valid(fold);
		check_fold(fold);
		(void)text_contains_word(fold, "dao");
		(void)text_contains_word(fold, fold);
		if (*fold && !text_contains_word(fold, fold))
			abort();                             /* a text is a whole-word match of itself */
	}
	if (plain)
		check_unaccent(plain);
	if (cut) {
		valid(cut);
		if (text_chars(cut) > max)
			abort();
		if (max >= chars && strcmp(cut, clean) != 0)
			abort();
	}
	free(raw);
	free(clean);
	free(fold);
	free(plain);
	free(cut);
	return 0;
}
