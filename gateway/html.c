/* html — see html.h. */
#include "gateway/html.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/text.h"

#define HTML_FIRST 8192

void
html_init(struct html *h, size_t max)
{
	memset(h, 0, sizeof *h);
	h->max = max;
}

void
html_putn(struct html *h, const char *s, size_t n)
{
	if (h->failed)
		return;
	if (h->len + n + 1 > h->max) {
		h->failed = 1;
		return;
	}
	if (h->len + n + 1 > h->cap) {
		size_t cap = h->cap ? h->cap : HTML_FIRST;
		while (cap < h->len + n + 1)
			cap *= 2;
		char *grown = realloc(h->p, cap);
		if (!grown) {
			h->failed = 1;
			return;
		}
		h->p = grown;
		h->cap = cap;
	}
	memcpy(h->p + h->len, s, n);
	h->len += n;
	h->p[h->len] = '\0';
}

void
html_put(struct html *h, const char *s)
{
	html_putn(h, s, strlen(s));
}

void
html_printf(struct html *h, const char *fmt, ...)
{
	char buf[1024];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf) {
		h->failed = 1;
		return;
	}
	html_putn(h, buf, (size_t)n);
}

void
html_text(struct html *h, const char *s, int br)
{
	if (h->failed)
		return;
	char *clean = text_clean(s ? s : "", s ? strlen(s) : 0);
	if (!clean) {
		h->failed = 1;
		return;
	}
	const char *run = clean;
	for (const char *q = clean; ; q++) {
		const char *rep = NULL;
		switch (*q) {
		case '&': rep = "&amp;"; break;
		case '<': rep = "&lt;"; break;
		case '>': rep = "&gt;"; break;
		case '"': rep = "&quot;"; break;
		case '\'': rep = "&#39;"; break;
		case '\n': rep = br ? "<br>" : " "; break;
		case '\0': rep = ""; break;
		default: continue;
		}
		html_putn(h, run, (size_t)(q - run));
		html_put(h, rep);
		run = q + 1;
		if (*q == '\0')
			break;
	}
	free(clean);
}

char *
html_take(struct html *h, size_t *len)
{
	char *p = h->failed ? NULL : h->p ? h->p : calloc(1, 1);
	if (p && len)
		*len = h->len;
	if (h->failed)
		free(h->p);
	memset(h, 0, sizeof *h);
	return p;
}

void
html_free(struct html *h)
{
	free(h->p);
	memset(h, 0, sizeof *h);
}
