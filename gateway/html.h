/* html — a bounded buffer to write an HTML page into, and the one way
 * outside text enters a page: cleaned to valid UTF-8 without control
 * characters (text_clean), then & < > " ' escaped. The desk page
 * (webhook/desk_page.c) and the report's HTML (report_html.c) use it.
 *
 * Pure, any thread. The buffer's memory is its owner's: html_take() hands
 * the page over (the caller frees it), html_free() drops it. After a
 * failure (no memory, past max) every call does nothing and html_take()
 * returns NULL.
 */
#ifndef TINBAO_HTML_H
#define TINBAO_HTML_H

#include <stddef.h>

struct html {
	char *p;
	size_t len, cap, max;     /* max: the largest page, in bytes */
	int failed;
};

void html_init(struct html *h, size_t max);
/* Our own markup and text. */
void html_put(struct html *h, const char *s);
void html_putn(struct html *h, const char *s, size_t n);
void html_printf(struct html *h, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Outside text (NULL is ""), escaped; with br, newlines become <br>. */
void html_text(struct html *h, const char *s, int br);
/* The page (NUL-terminated; *len set when len is not NULL), or NULL after a
 * failure; the buffer is empty afterwards. */
char *html_take(struct html *h, size_t *len);
void html_free(struct html *h);

#endif
