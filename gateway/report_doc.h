/* report_doc — the period report (report.h) as a document: every word the
 * station chief reads, in Vietnamese, in blocks (headings, paragraphs, the
 * headline, tables, charts) that report_html.c, report_pdf.c and the
 * command line's text form lay out, so the three say the same thing. The
 * charts are laid out once (report_chart_draw), in units the renderer
 * scales, so a bar is as tall in the PDF as in the HTML.
 *
 * Pure, any thread. report_doc_new copies what it needs from the report
 * and the config (both borrowed); the document is the caller's
 * (report_doc_free, which accepts NULL). NULL only when memory runs out.
 */
#ifndef TINBAO_REPORT_DOC_H
#define TINBAO_REPORT_DOC_H

#include <stddef.h>

#define RDOC_SERIES_MAX 4
#define RDOC_IDS_MAX 60          /* tracking IDs listed in one cell; the rest are counted */

struct config;
struct report;

enum rdoc_kind {
	RDOC_HEADING,            /* a numbered section */
	RDOC_PARA,
	RDOC_HEADLINE,           /* the share in time: text is the figure, sub its count */
	RDOC_TABLE,
	RDOC_CHART,
	RDOC_NOTE,               /* small print */
};

struct rdoc_table {
	size_t cols, rows;       /* rows without the head */
	char **head;             /* cols */
	char **cell;             /* rows * cols, row by row */
	char *align;             /* per column: 'l' text, 'r' numbers (aligned right),
	                          * 'w' a long list (small, wraps anywhere) */
	unsigned char *strong;   /* per row: 1 for a total */
};

struct rdoc_series {
	const char *name;        /* for the legend; static */
	const char *color;       /* "#rrggbb"; static */
	double *values;          /* n */
};

struct rdoc_chart {
	size_t n;                /* bars */
	char **labels;           /* under each bar ("" to leave one out) */
	char **tops;             /* over each bar, or NULL for none */
	size_t n_series;         /* stacked from the first */
	struct rdoc_series series[RDOC_SERIES_MAX];
	double y_max, y_step;    /* the axis: 0 to y_max, a tick every y_step */
	int percent;             /* ticks read "40%" */
	char *y_title, *x_title;
};

struct rdoc_block {
	enum rdoc_kind kind;
	char *text;              /* heading, paragraph, note, headline figure, chart title */
	char *sub;               /* headline: its count; chart: what it shows */
	struct rdoc_table table;
	struct rdoc_chart chart;
};

struct rdoc {
	char *unit;              /* "CÔNG AN PHƯỜNG THẠCH KHÔI" */
	char *title;             /* "BÁO CÁO TIẾP NHẬN VÀ XỬ LÝ TIN BÁO" */
	char *period;            /* "Tháng 03/2026 (từ 01/03/2026 đến 31/03/2026)" */
	char *made;              /* "Lập lúc 08:00 ngày 01/04/2026 từ dữ liệu của tinbao." */
	char *ward;              /* "Phường Thạch Khôi", as configured */
	char *place_date;        /* "Thạch Khôi, ngày 01 tháng 04 năm 2026" */
	char *signer;            /* "TRƯỞNG CÔNG AN PHƯỜNG" */
	struct rdoc_block *blocks;
	size_t n;
};

struct rdoc *report_doc_new(const struct config *cfg, const struct report *r);
void report_doc_free(struct rdoc *d);

/* Drawing a chart: what a renderer provides. Coordinates are in the
 * renderer's units with y growing downwards; colors are "#rrggbb". */
enum rdoc_anchor { RDOC_LEFT, RDOC_CENTER, RDOC_RIGHT };
struct rdoc_canvas {
	void *ctx;
	/* bar: the bar's index for a bar's segment, -1 for anything else */
	void (*rect)(void *ctx, double x, double y, double w, double h, const char *color,
	    long bar);
	void (*line)(void *ctx, double x1, double y1, double x2, double y2, const char *color,
	    double width);
	/* y is the text's baseline */
	void (*text)(void *ctx, double x, double y, const char *s, double size,
	    enum rdoc_anchor anchor, const char *color);
};
/* The chart in a w x h box at the origin: axes, ticks, bars, labels and the
 * legend, through the canvas. font is the text size the renderer wants. */
void report_chart_draw(const struct rdoc_chart *c, double w, double h, double font,
    const struct rdoc_canvas *cv);

#endif
