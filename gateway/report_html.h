/* report_html — the period report as one self-contained HTML page
 * (`tinbao report --html`, GET /report): the document of report_doc.h with
 * its style inline and its charts as inline SVG (report_chart_draw), no
 * script, no external asset; printable on A4. Every text is escaped
 * (gateway/html.h).
 *
 * Pure, any thread. The document is borrowed; the page is malloc'd and the
 * caller's (free()), with its length in *len (when len is not NULL); NULL
 * when memory runs out or past REPORT_HTML_MAX.
 */
#ifndef TINBAO_REPORT_HTML_H
#define TINBAO_REPORT_HTML_H

#include <stddef.h>

#define REPORT_HTML_MAX (8u << 20)     /* bytes */

struct rdoc;

char *report_html(const struct rdoc *d, size_t *len);

#endif
