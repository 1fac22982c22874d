/* text — see text.h. */
#include "gateway/text.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>
#include <unistr.h>

#define REPLACEMENT 0xFFFD

/* NFD of valid UTF-8; NULL on failure. */
static uint8_t *
nfd(const char *s, size_t *len)
{
	return u8_normalize(UNINORM_NFD, (const uint8_t *)s, strlen(s), NULL, len);
}

static int
is_combining(ucs4_t c)
{
	return (c >= 0x0300 && c <= 0x036F) || (c >= 0x1DC0 && c <= 0x1DFF) ||
	    (c >= 0x20D0 && c <= 0x20FF) || (c >= 0xFE20 && c <= 0xFE2F);
}

/* Append one code point; out has room (caller sized it 4 bytes per input byte). */
static size_t
put(uint8_t *out, size_t at, ucs4_t c)
{
	int n = u8_uctomb(out + at, c, 6);
	return n > 0 ? at + (size_t)n : at;
}

char *
text_clean(const char *s, size_t len)
{
	uint8_t *buf = malloc(len * 3 + 1);
	if (!buf)
		return NULL;
	size_t o = 0;
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	while (p < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (n <= 0) {
			n = 1;
			c = REPLACEMENT;
		}
		/* u8_mbtouc maps an invalid sequence to U+FFFD already */
		if (c == 0 || (c < 0x20 && c != '\n') || c == 0x7F || (c >= 0x80 && c < 0xA0))
			c = ' ';
		o = put(buf, o, c);
		p += n;
	}
	buf[o] = '\0';
	size_t nlen = 0;
	uint8_t *norm = u8_normalize(UNINORM_NFC, buf, o, NULL, &nlen);
	free(buf);
	if (!norm)
		return NULL;
	char *out = malloc(nlen + 1);
	if (out) {
		memcpy(out, norm, nlen);
		out[nlen] = '\0';
	}
	free(norm);
	return out;
}

/* Strip marks (and đ): the common core of fold and unaccent. */
static char *
strip(const char *s, int lower, int ascii_only)
{
	size_t len = 0;
	uint8_t *d = nfd(s, &len);
	if (!d)
		return NULL;
	uint8_t *out = malloc(len * 4 + 1);
	if (!out) {
		free(d);
		return NULL;
	}
	size_t o = 0;
	const uint8_t *p = d, *end = d + len;
	while (p < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (n <= 0)
			n = 1;
		p += n;
		if (is_combining(c))
			continue;
		if (c == 0x0111)             /* đ */
			c = 'd';
		else if (c == 0x0110)        /* Đ */
			c = 'D';
		if (lower)
			c = uc_tolower(c);
		if (ascii_only) {
			if (c > 0xFFFF)
				continue;            /* emoji and the like */
			switch (c) {
			case '^': c = '\''; break;
			case '{': case '[': c = '('; break;
			case '}': case ']': c = ')'; break;
			case '~': c = '-'; break;
			case '|': c = '/'; break;
			case '\\': c = '/'; break;
			case '`': c = '\''; break;
			case 0x2026: out[o++] = '.'; out[o++] = '.'; c = '.'; break;
			case 0x2018: case 0x2019: c = '\''; break;
			case 0x201C: case 0x201D: c = '"'; break;
			case 0x2013: case 0x2014: c = '-'; break;
			case 0x00B7: c = '-'; break;
			default:
				if (c == '\n' || c == '\r')
					c = '\n';
				else if (c == '\t')
					c = ' ';
				else if (c < 0x20 || c > 0x7E)
					c = '?';
			}
		}
		o = put(out, o, c);
	}
	out[o] = '\0';
	free(d);
	return (char *)out;
}

char *
text_fold(const char *s)
{
	char *t = strip(s, 1, 0);
	if (!t)
		return NULL;
	/* collapse white space, trim */
	char *w = t;
	int space = 1;
	for (char *r = t; *r; r++) {
		if (*r == ' ' || *r == '\n' || *r == '\t' || *r == '\r') {
			if (!space)
				*w++ = ' ';
			space = 1;
		} else {
			*w++ = *r;
			space = 0;
		}
	}
	if (w > t && w[-1] == ' ')
		w--;
	*w = '\0';
	return t;
}

char *
text_unaccent(const char *s)
{
	return strip(s, 0, 1);
}

size_t
text_chars(const char *s)
{
	return u8_mbsnlen((const uint8_t *)s, strlen(s));
}

char *
text_truncate(const char *s, size_t max_chars)
{
	size_t len = strlen(s);
	if (text_chars(s) <= max_chars || max_chars == 0)
		return max_chars == 0 ? strdup("") : strdup(s);
	/* byte offset of the first max_chars - 1 code points */
	const uint8_t *p = (const uint8_t *)s, *end = p + len;
	size_t count = 0, cut = 0, last_space = 0, space_count = 0;
	while (p < end && count < max_chars - 1) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));
		if (n <= 0)
			n = 1;
		if (c == ' ') {
			last_space = (size_t)(p - (const uint8_t *)s);
			space_count = count;
		}
		p += n;
		count++;
	}
	cut = (size_t)(p - (const uint8_t *)s);
	if (last_space && count - space_count <= 15)
		cut = last_space;
	char *out = malloc(cut + sizeof "…");
	if (!out)
		return NULL;
	memcpy(out, s, cut);
	memcpy(out + cut, "…", sizeof "…");
	return out;
}

static int
word_char(unsigned char c)
{
	return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
	    (c >= 'A' && c <= 'Z');
}

int
text_contains_word(const char *hay, const char *needle)
{
	size_t n = strlen(needle);
	if (n == 0)
		return 0;
	for (const char *p = strstr(hay, needle); p; p = strstr(p + 1, needle)) {
		int left = p == hay || !word_char((unsigned char)p[-1]);
		int right = !word_char((unsigned char)p[n]);
		if (left && right)
			return 1;
	}
	return 0;
}
