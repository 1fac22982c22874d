/* text — see text.h. */
#include "gateway/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>

#define REPLACEMENT   0xFFFD
#define ELLIPSIS      "\xe2\x80\xa6"          /* U+2026 */
#define TRUNC_SPACE_WINDOW 15                 /* cut at a space this near the end */

/* A buffer of len bytes from libunistring made a C string; frees buf on failure. */
static char *
terminate(uint8_t *buf, size_t len)
{
	uint8_t *s = realloc(buf, len + 1);
	if (!s) {
		free(buf);
		return NULL;
	}
	s[len] = '\0';
	return (char *)s;
}

/* The combining marks that stripping removes: U+0300–U+036F carries every
 * Vietnamese tone and vowel mark after NFD; the other blocks are their
 * rarer relatives (and the enclosing keycap U+20E3). */
static int
is_mark(ucs4_t c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1AB0 && c <= 0x1AFF) ||
	    (c >= 0x1DC0 && c <= 0x1DFF) || (c >= 0x20D0 && c <= 0x20FF) ||
	    (c >= 0xFE20 && c <= 0xFE2F);
}

/* The white space that folding collapses; the same set the command parser
 * splits words on (see command.c and zalo_in.c). */
static int
is_fold_space(ucs4_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

/* Letters with a stroke do not decompose: đ Đ, and the look-alikes Ð ð Ɖ
 * that some keyboards and fonts put in their place. 0 if c is none. */
static ucs4_t
stroke_d(ucs4_t c)
{
	if (c == 0x0111 || c == 0x00F0)
		return 'd';
	if (c == 0x0110 || c == 0x00D0 || c == 0x0189)
		return 'D';
	return 0;
}

char *
text_clean(const char *s, size_t len)
{
	if (!s) {
		s = "";
		len = 0;
	}
	if (len > (SIZE_MAX - 1) / 3)
		return NULL;
	/* a sequence of n bytes yields at most max(n, 3) bytes (U+FFFD is 3) */
	size_t cap = len * 3 + 1;
	uint8_t *buf = malloc(cap);
	if (!buf)
		return NULL;
	size_t o = 0;
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	while (p < end) {
		ucs4_t c;
		/* an invalid or cut sequence comes back as U+FFFD with a length >= 1 */
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (n <= 0) {
			n = 1;
			c = REPLACEMENT;
		}
		p += n;
		if (c < 0x20 ? c != '\n' : (c >= 0x7F && c < 0xA0))
			c = ' ';                     /* NUL, C0 (not \n), DEL, C1 */
		int w = u8_uctomb(buf + o, c, (int)(cap - o < 8 ? cap - o : 8));
		o += w > 0 ? (size_t)w : 0;
	}
	size_t nlen = 0;
	uint8_t *norm = u8_normalize(UNINORM_NFC, buf, o, NULL, &nlen);
	free(buf);
	return norm ? terminate(norm, nlen) : NULL;
}

/* ------------------------------------------------- typed in, shown back */

/* Controls, and the direction marks and bidi overrides that can make a
 * terminal line lie. */
static int
is_unsafe(ucs4_t c)
{
	return c < 0x20 || c == 0x7F || (c >= 0x80 && c < 0xA0) || c == 0x200E ||
	    c == 0x200F || (c >= 0x202A && c <= 0x202E) || (c >= 0x2066 && c <= 0x2069);
}

int
text_valid(const char *s, size_t max, int allow_newline)
{
	size_t len = s ? strlen(s) : 0;
	int visible = 0;
	if (len == 0 || len > max || u8_check((const uint8_t *)s, len) != NULL)
		return 0;
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	while (p < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (n <= 0 || (is_unsafe(c) && !(allow_newline && c == '\n')))
			return 0;
		if (c != ' ' && c != '\n' && c != 0xA0)
			visible = 1;
		p += n;
	}
	return visible;
}

char *
text_for_terminal(const char *s, int oneline)
{
	char *t = text_clean(s, s ? strlen(s) : 0);
	if (!t)
		return NULL;
	uint8_t *r = (uint8_t *)t, *w = r, *end = r + strlen(t);
	while (r < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, r, (size_t)(end - r));   /* valid: text_clean made it so */
		if (n <= 0 || (is_unsafe(c) && c != '\n') || (oneline && c == '\n')) {
			*w++ = ' ';
			r += n > 0 ? n : 1;
		} else {
			memmove(w, r, (size_t)n);
			w += n, r += n;
		}
	}
	while (w > (uint8_t *)t && (w[-1] == ' ' || w[-1] == '\n'))
		w--;
	*w = '\0';
	return t;
}

/* ----------------------------------------------------------- stripping */

/* The không dấu form of one code point (after NFKD, marks gone): ASCII that
 * the GSM 03.38 default alphabet holds without escapes. Writes at most 3
 * bytes to out; returns the count (0: drop the character). */
static size_t
gsm_safe(ucs4_t c, char out[3])
{
	switch (c) {
	case '\t': out[0] = ' '; return 1;
	case '\n': out[0] = '\n'; return 1;
	/* the GSM-7 extension table (two septets each) and '`' (absent) */
	case '^': case '`': out[0] = '\''; return 1;
	case '{': case '[': out[0] = '('; return 1;
	case '}': case ']': out[0] = ')'; return 1;
	case '~': out[0] = '-'; return 1;
	case '|': case '\\': out[0] = '/'; return 1;
	/* typography that phones and Zalo put in */
	case 0x2026: memcpy(out, "...", 3); return 3;
	case 0x23CE: out[0] = '/'; return 1;          /* ⏎: a line break folded into a quote */
	case 0x20AC: memcpy(out, "EUR", 3); return 3;
	case 0x2018: case 0x2019: case 0x201A: case 0x201B: case 0x2032: out[0] = '\''; return 1;
	case 0x201C: case 0x201D: case 0x201E: case 0x2033: case 0x00AB: case 0x00BB:
		out[0] = '"'; return 1;
	case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2015:
	case 0x2212: case 0x00B7: case 0x2022: case 0x2219: case 0x2027:
		out[0] = '-'; return 1;
	case 0x00D7: out[0] = 'x'; return 1;
	case 0x00A0: case 0x202F: case 0x205F: case 0x3000: out[0] = ' '; return 1;
	/* invisible: zero widths, direction marks, word joiner, BOM */
	case 0x200B: case 0x200C: case 0x200D: case 0x200E: case 0x200F: case 0x2060:
	case 0xFEFF:
		return 0;
	default:
		break;
	}
	if (c >= 0x2000 && c <= 0x200A) {            /* the typographic spaces */
		out[0] = ' ';
		return 1;
	}
	if ((c >= 0xFE00 && c <= 0xFE0F) || c > 0xFFFF)
		return 0;                            /* variation selectors, emoji and beyond */
	out[0] = c >= 0x20 && c < 0x7F ? (char)c : '?';
	return 1;
}

enum strip_mode { STRIP_FOLD, STRIP_UNACCENT };

/* Shared by fold and unaccent: decompose, drop marks, unstroke đ, then
 * either lower case with white space collapsed (fold) or reduce to the
 * GSM-7 safe ASCII (unaccent). */
static char *
strip(const char *s, enum strip_mode mode)
{
	if (!s)
		s = "";
	size_t len = 0;
	/* u8_normalize replaces invalid sequences with U+FFFD; it fails only for memory */
	uint8_t *d = u8_normalize(mode == STRIP_FOLD ? UNINORM_NFD : UNINORM_NFKD,
	    (const uint8_t *)s, strlen(s), NULL, &len);
	if (!d)
		return NULL;
	/* every code point (>= 1 byte) becomes at most 4 bytes */
	uint8_t *out = len <= (SIZE_MAX - 1) / 4 ? malloc(len * 4 + 1) : NULL;
	if (!out) {
		free(d);
		return NULL;
	}
	size_t o = 0;
	int space = 1;          /* fold: at the start or after a space (trims the front) */
	int after_cr = 0;       /* unaccent: CR LF becomes one LF */
	const uint8_t *p = d, *end = d + len;
	while (p < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		p += n > 0 ? n : 1;
		if (is_mark(c))
			continue;
		ucs4_t dd = stroke_d(c);
		if (dd)
			c = dd;
		if (mode == STRIP_FOLD) {
			if (is_fold_space(c)) {
				if (!space)
					out[o++] = ' ';
				space = 1;
				continue;
			}
			space = 0;
			c = uc_tolower(c);
			int w = u8_uctomb(out + o, c, 4);
			o += w > 0 ? (size_t)w : 0;
		} else {
			if (c == '\r' || (c == '\n' && after_cr)) {
				if (c == '\r')
					out[o++] = '\n';
				after_cr = c == '\r';
				continue;
			}
			after_cr = 0;
			o += gsm_safe(c, (char *)out + o);
		}
	}
	free(d);
	if (mode == STRIP_FOLD && o > 0 && out[o - 1] == ' ')
		o--;
	return terminate(out, o);
}

char *
text_fold(const char *s)
{
	return strip(s, STRIP_FOLD);
}

char *
text_unaccent(const char *s)
{
	return strip(s, STRIP_UNACCENT);
}

size_t
text_chars(const char *s)
{
	return s ? u8_mbsnlen((const uint8_t *)s, strlen(s)) : 0;
}

/* ----------------------------------------------------------- truncation */

static int
is_break_space(ucs4_t c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == 0x00A0;
}

char *
text_truncate(const char *s, size_t max_chars)
{
	if (!s)
		s = "";
	if (max_chars == 0)
		return strdup("");
	/* Keep max_chars - 1 code points and add "…". A space among the first
	 * max_chars code points (the last of them is the one "…" replaces) that
	 * is no more than TRUNC_SPACE_WINDOW from the end is a better cut. */
	size_t len = strlen(s);
	const uint8_t *base = (const uint8_t *)s, *p = base, *end = base + len;
	size_t keep = max_chars - 1, count = 0, cut = 0, space_at = 0;
	int have_space = 0;
	while (p < end && count <= max_chars) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (n <= 0)
			n = 1;
		if (count == keep)
			cut = (size_t)(p - base);
		if (count > 0 && count <= keep && keep - count <= TRUNC_SPACE_WINDOW &&
		    is_break_space(c)) {
			space_at = (size_t)(p - base);
			have_space = 1;
		}
		p += n;
		count++;
	}
	if (count <= max_chars)
		return strdup(s);                    /* it fits */
	if (have_space) {
		cut = space_at;
	} else {
		/* never keep a letter whose marks were cut off (NFD input) */
		while (cut > 0) {
			ucs4_t c;
			if (u8_mbtouc(&c, base + cut, len - cut) <= 0 || !is_mark(c))
				break;
			const uint8_t *prev = u8_prev(&c, base + cut, base);
			if (!prev)
				break;
			cut = (size_t)(prev - base);
		}
	}
	for (;;) {                               /* no white space before the "…" */
		if (cut >= 1 && (s[cut - 1] == ' ' || s[cut - 1] == '\t' || s[cut - 1] == '\n' ||
		    s[cut - 1] == '\r'))
			cut--;
		else if (cut >= 2 && (unsigned char)s[cut - 2] == 0xC2 &&
		    (unsigned char)s[cut - 1] == 0xA0)
			cut -= 2;                    /* U+00A0 */
		else
			break;
	}
	char *out = malloc(cut + sizeof ELLIPSIS);
	if (!out)
		return NULL;
	memcpy(out, s, cut);
	memcpy(out + cut, ELLIPSIS, sizeof ELLIPSIS);
	return out;
}

/* ----------------------------------------------------------- word search */

static int
is_word_char(ucs4_t c)
{
	return uc_is_alnum(c) || is_mark(c);
}

int
text_contains_word(const char *hay, const char *needle)
{
	if (!hay || !needle || !*needle)
		return 0;
	size_t n = strlen(needle), hay_len = strlen(hay);
	const uint8_t *start = (const uint8_t *)hay, *end = start + hay_len;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
		const uint8_t *at = (const uint8_t *)p, *after = at + n;
		ucs4_t c;
		if (at > start && u8_prev(&c, at, start) && is_word_char(c))
			continue;
		if (after < end && u8_mbtouc(&c, after, (size_t)(end - after)) > 0 &&
		    is_word_char(c))
			continue;
		return 1;
	}
	return 0;
}
