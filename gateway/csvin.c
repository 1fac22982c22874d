/* csvin — see csvin.h. */
#include "gateway/csvin.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

struct csvin {
	const char *buf;
	size_t len, pos;
	int line;                        /* of buf[pos] */
	char sep;
	char rec[CSVIN_RECORD_MAX + 1];
	char *f[CSVIN_FIELDS_MAX];
};

/* The separator of the first line: the one of ',' and ';' that occurs more
 * often outside quotes (',' when neither does). */
static char
detect(const char *p, const char *end)
{
	size_t commas = 0, semis = 0;
	int quoted = 0;
	for (; p < end && (quoted || (*p != '\n' && *p != '\r')); p++) {
		if (*p == '"')
			quoted = !quoted;
		else if (!quoted && *p == ',')
			commas++;
		else if (!quoted && *p == ';')
			semis++;
	}
	return semis > commas ? ';' : ',';
}

struct csvin *
csvin_open(const char *buf, size_t len)
{
	struct csvin *r = calloc(1, sizeof *r);
	if (!r)
		return NULL;
	r->buf = buf;
	r->len = len;
	r->line = 1;
	if (len >= 3 && memcmp(buf, "\xEF\xBB\xBF", 3) == 0)
		r->pos = 3;
	const char *p = buf + r->pos, *end = buf + len;
	/* Excel's "sep=;" line names the separator */
	if (end - p >= 5 && strncmp(p, "sep=", 4) == 0 && (p[4] == ',' || p[4] == ';' ||
	    p[4] == '\t') && (end - p == 5 || p[5] == '\n' || p[5] == '\r')) {
		r->sep = p[4];
		r->pos += 5;
		if (r->pos < len && buf[r->pos] == '\r')
			r->pos++;
		if (r->pos < len && buf[r->pos] == '\n')
			r->pos++;
		r->line = 2;
	} else {
		r->sep = detect(p, end);
	}
	return r;
}

void
csvin_free(struct csvin *r)
{
	free(r);
}

char
csvin_sep(const struct csvin *r)
{
	return r->sep;
}

/* Past the end of the current physical line (after an error). */
static void
skip_line(struct csvin *r)
{
	while (r->pos < r->len && r->buf[r->pos] != '\n')
		r->pos++;
	if (r->pos < r->len) {
		r->pos++;
		r->line++;
	}
}

/* The end of a record: a line end (CRLF, LF or CR) or the buffer's end. */
static int
at_eol(const struct csvin *r)
{
	return r->pos >= r->len || r->buf[r->pos] == '\n' || r->buf[r->pos] == '\r';
}

static void
eat_eol(struct csvin *r)
{
	if (r->pos < r->len && r->buf[r->pos] == '\r')
		r->pos++;
	if (r->pos < r->len && r->buf[r->pos] == '\n')
		r->pos++;
	r->line++;
}

/* A spreadsheet's text mark before what would be a number or a formula. */
static char *
unmark(char *s)
{
	if (s[0] == '\'' && s[1] && strchr("0123456789+-=@", s[1]))
		return s + 1;
	return s;
}

static int
fail(struct csvin *r, char *err, size_t errlen, const char *why)
{
	snprintf(err, errlen, "%s", why);
	skip_line(r);
	return -1;
}

/* One record into r->rec/r->f: 1, or -1. */
static int
record(struct csvin *r, size_t *n, int *blank, char *err, size_t errlen)
{
	size_t o = 0;
	*n = 0;
	*blank = 1;
	for (;;) {
		const char *b = r->buf;
		if (*n == CSVIN_FIELDS_MAX)
			return fail(r, err, errlen, "more than 32 fields");
		while (r->pos < r->len && (b[r->pos] == ' ' || b[r->pos] == '\t'))
			r->pos++;
		size_t start = o;
		if (r->pos < r->len && b[r->pos] == '"') {
			*blank = 0;
			for (r->pos++;; r->pos++) {
				if (r->pos >= r->len)
					return fail(r, err, errlen, "a quoted field is not closed");
				char ch = b[r->pos];
				if (ch == '"' && r->pos + 1 < r->len && b[r->pos + 1] == '"')
					r->pos++;
				else if (ch == '"')
					break;
				else if (ch == '\n')
					r->line++;
				if (o >= CSVIN_RECORD_MAX)
					return fail(r, err, errlen, "record longer than 4096 bytes");
				r->rec[o++] = ch;
			}
			for (r->pos++; r->pos < r->len && (b[r->pos] == ' ' || b[r->pos] == '\t');)
				r->pos++;
			if (!at_eol(r) && b[r->pos] != r->sep)
				return fail(r, err, errlen, "text after a closing quote");
		} else {
			while (!at_eol(r) && b[r->pos] != r->sep) {
				if (o >= CSVIN_RECORD_MAX)
					return fail(r, err, errlen, "record longer than 4096 bytes");
				r->rec[o++] = b[r->pos++];
			}
			while (o > start && (r->rec[o - 1] == ' ' || r->rec[o - 1] == '\t'))
				o--;
			if (o > start)
				*blank = 0;
		}
		if (o >= CSVIN_RECORD_MAX)
			return fail(r, err, errlen, "record longer than 4096 bytes");
		r->rec[o++] = '\0';
		r->f[(*n)++] = unmark(r->rec + start);
		if (at_eol(r)) {
			eat_eol(r);
			return 1;
		}
		r->pos++;                        /* the separator */
	}
}

int
csvin_next(struct csvin *r, char ***fields, size_t *n, int *line, char *err, size_t errlen)
{
	while (r->pos < r->len) {
		int blank;
		*line = r->line;
		if (record(r, n, &blank, err, errlen) < 0)
			return -1;
		if (!blank) {
			*fields = r->f;
			return 1;
		}
	}
	return 0;
}
