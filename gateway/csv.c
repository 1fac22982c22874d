/* csv — see csv.h. */
#include "gateway/csv.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "gateway/text.h"

static int
is_bidi(ucs4_t c)
{
	return c == 0x200E || c == 0x200F || c == 0x061C || (c >= 0x202A && c <= 0x202E) ||
	    (c >= 0x2066 && c <= 0x2069);
}

/* = + - @ and their full-width forms: what makes a spreadsheet cell a formula. */
static int
is_formula_start(ucs4_t c)
{
	return c == '=' || c == '+' || c == '-' || c == '@' || c == 0xFF1D || c == 0xFF0B ||
	    c == 0xFF0D || c == 0xFF20;
}

char *
csv_cell(const char *s)
{
	char *t = text_clean(s ? s : "", s ? strlen(s) : 0);
	if (!t)
		return NULL;
	size_t len = strlen(t);
	char *out = malloc(len + 2);
	if (!out) {
		free(t);
		return NULL;
	}
	size_t o = 1;                           /* out[0] is kept for the apostrophe */
	int lead = 1, formula = 0;
	const uint8_t *p = (const uint8_t *)t, *end = p + len;
	while (p < end) {
		ucs4_t c;
		int n = u8_mbtouc(&c, p, (size_t)(end - p));   /* valid: text_clean made it so */
		if (n <= 0)
			n = 1;
		if (!is_bidi(c)) {
			if (lead && !(c == ' ' || c == '\t' || c == '\r' || c == '\n' || c == 0xA0)) {
				formula = is_formula_start(c);
				lead = 0;
			}
			memcpy(out + o, p, (size_t)n);
			o += (size_t)n;
		}
		p += n;
	}
	out[o] = '\0';
	free(t);
	if (formula || out[1] == '\t' || out[1] == '\r') {
		out[0] = '\'';
		return out;
	}
	memmove(out, out + 1, o);
	return out;
}

int
csv_put_sep(FILE *f, char sep, const char *s, int last)
{
	const char seps[2] = { sep, '\0' };
	char *v = csv_cell(s);
	if (!v) {
		fputs("?", f);                        /* the row keeps its shape */
		fputs(last ? "\r\n" : seps, f);
		return -1;
	}
	if (strchr(v, sep) || strpbrk(v, "\"\r\n")) {
		fputc('"', f);
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				fputc('"', f);
			fputc(*p, f);
		}
		fputc('"', f);
	} else {
		fputs(v, f);
	}
	fputs(last ? "\r\n" : seps, f);
	free(v);
	return 0;
}

int
csv_put(FILE *f, const char *s, int last)
{
	return csv_put_sep(f, ',', s, last);
}
