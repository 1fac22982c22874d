/* report_pdf — the period report as an A4 PDF in Vietnamese, ready to print
 * and sign (`tinbao report --pdf FILE`): the document of report_doc.h laid
 * out with pango (so the marks sit where Vietnamese puts them) and drawn
 * with cairo, its charts through report_chart_draw, a page number on every
 * page, the station chief's signature block at the end.
 *
 * Any thread; the document is borrowed. Writes path (created or
 * truncated). 0, or -1 with the reason in err.
 */
#ifndef TINBAO_REPORT_PDF_H
#define TINBAO_REPORT_PDF_H

#include <stddef.h>

struct rdoc;

int report_pdf(const struct rdoc *d, const char *path, char *err, size_t errlen);

#endif
