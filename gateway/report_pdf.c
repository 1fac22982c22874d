/* report_pdf — see report_pdf.h. The only module that includes cairo and
 * pango (make lint checks). */
#include "gateway/report_pdf.h"

#include <cairo-pdf.h>
#include <cairo.h>
#include <fontconfig/fontconfig.h>
#include <pango/pangocairo.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/report_doc.h"

#define PAGE_W 595.276           /* A4 in points */
#define PAGE_H 841.890
#define MARGIN_X 56.0
#define MARGIN_TOP 50.0
#define MARGIN_BOTTOM 58.0
#define FONT "DejaVu Sans"
#define BODY 9.5
#define SMALL 8.0
#define CELL_PAD 3.5
#define CHART_H 200.0
#define CHART_FONT 8.0

struct pdf {
	cairo_t *cr;
	PangoLayout *lay;
	int draw;                /* 0: the counting pass, nothing is drawn */
	int page, pages;
	double y;
	const struct rdoc *d;
};

static const double text_w = PAGE_W - 2 * MARGIN_X;
static const double bottom = PAGE_H - MARGIN_BOTTOM;

static void
color(cairo_t *cr, const char *hex)
{
	unsigned int v = 0;
	if (!hex || sscanf(hex, "#%6x", &v) != 1)
		v = 0x111111;
	cairo_set_source_rgb(cr, ((v >> 16) & 0xff) / 255.0, ((v >> 8) & 0xff) / 255.0,
	    (v & 0xff) / 255.0);
}

/* The layout set to s in the given size and style, wrapped at width (<= 0:
 * one line). */
static void
setup(struct pdf *p, const char *s, double size, int bold, int italic, double width,
    PangoAlignment align)
{
	PangoFontDescription *fd = pango_font_description_from_string(FONT);
	pango_font_description_set_absolute_size(fd, size * PANGO_SCALE);
	pango_font_description_set_weight(fd, bold ? PANGO_WEIGHT_BOLD : PANGO_WEIGHT_NORMAL);
	pango_font_description_set_style(fd, italic ? PANGO_STYLE_ITALIC : PANGO_STYLE_NORMAL);
	pango_layout_set_font_description(p->lay, fd);
	pango_font_description_free(fd);
	pango_layout_set_attributes(p->lay, NULL);
	pango_layout_set_text(p->lay, s ? s : "", -1);
	pango_layout_set_width(p->lay, width > 0 ? (int)(width * PANGO_SCALE) : -1);
	pango_layout_set_wrap(p->lay, PANGO_WRAP_WORD_CHAR);
	pango_layout_set_alignment(p->lay, align);
}

static void
extent(struct pdf *p, double *w, double *h)
{
	int lw, lh;
	pango_layout_get_size(p->lay, &lw, &lh);
	*w = (double)lw / PANGO_SCALE;
	*h = (double)lh / PANGO_SCALE;
}

static void
show(struct pdf *p, double x, double y, const char *hex)
{
	if (!p->draw)
		return;
	cairo_move_to(p->cr, x, y);
	color(p->cr, hex);
	pango_cairo_show_layout(p->cr, p->lay);
}

/* Text in a box of `width` at (x, y): its height. */
static double
text_at(struct pdf *p, double x, double y, double width, const char *s, double size, int bold,
    int italic, PangoAlignment align, const char *hex)
{
	double w, h;
	setup(p, s, size, bold, italic, width, align);
	extent(p, &w, &h);
	show(p, x, y, hex);
	return h;
}

static void
footer(struct pdf *p)
{
	char pg[48];
	if (!p->draw)
		return;
	snprintf(pg, sizeof pg, "Trang %d/%d", p->page, p->pages);
	text_at(p, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 22, text_w, pg, SMALL, 0, 0, PANGO_ALIGN_RIGHT,
	    "#555555");
	char left[512];
	snprintf(left, sizeof left, "%s — %s", p->d->ward, p->d->period);
	text_at(p, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 22, text_w * 0.8, left, SMALL, 0, 0,
	    PANGO_ALIGN_LEFT, "#555555");
	cairo_set_line_width(p->cr, 0.5);
	color(p->cr, "#999999");
	cairo_move_to(p->cr, MARGIN_X, PAGE_H - MARGIN_BOTTOM + 16);
	cairo_line_to(p->cr, PAGE_W - MARGIN_X, PAGE_H - MARGIN_BOTTOM + 16);
	cairo_stroke(p->cr);
}

static void
new_page(struct pdf *p)
{
	footer(p);
	if (p->draw)
		cairo_show_page(p->cr);
	p->page++;
	p->y = MARGIN_TOP;
}

/* Room for h more points on this page, or a new one. */
static void
need(struct pdf *p, double h)
{
	if (p->y + h > bottom && p->y > MARGIN_TOP)
		new_page(p);
}

/* ------------------------------------------------------------ blocks */

static void
doc_head(struct pdf *p)
{
	const struct rdoc *d = p->d;
	double half = text_w * 0.46;
	double h1 = text_at(p, MARGIN_X, p->y, half, d->unit, BODY, 1, 0, PANGO_ALIGN_CENTER, NULL);
	double h2 = text_at(p, PAGE_W - MARGIN_X - half - 10, p->y, half + 10,
	    "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", BODY, 1, 0, PANGO_ALIGN_CENTER, NULL);
	double h3 = text_at(p, PAGE_W - MARGIN_X - half - 10, p->y + h2, half + 10,
	    "Độc lập - Tự do - Hạnh phúc", BODY, 1, 0, PANGO_ALIGN_CENTER, NULL);
	if (p->draw) {               /* the rules under both heads */
		cairo_set_line_width(p->cr, 0.7);
		color(p->cr, "#111111");
		cairo_move_to(p->cr, MARGIN_X + half * 0.3, p->y + h1 + 3);
		cairo_line_to(p->cr, MARGIN_X + half * 0.7, p->y + h1 + 3);
		cairo_move_to(p->cr, PAGE_W - MARGIN_X - half * 0.78, p->y + h2 + h3 + 2);
		cairo_line_to(p->cr, PAGE_W - MARGIN_X - half * 0.22 + 5, p->y + h2 + h3 + 2);
		cairo_stroke(p->cr);
	}
	p->y += (h1 > h2 + h3 ? h1 : h2 + h3) + 26;
	p->y += text_at(p, MARGIN_X, p->y, text_w, d->title, 14.5, 1, 0, PANGO_ALIGN_CENTER, NULL);
	p->y += 3;
	p->y += text_at(p, MARGIN_X, p->y, text_w, d->period, 10.5, 0, 1, PANGO_ALIGN_CENTER, NULL);
	p->y += 12;
}

static void
headline(struct pdf *p, const struct rdoc_block *k)
{
	double w1, h1, w2, h2, h3;
	setup(p, "Tỷ lệ tin báo được nhận trong hạn:", 10.5, 1, 0, -1, PANGO_ALIGN_LEFT);
	extent(p, &w1, &h1);
	setup(p, k->text, 24, 1, 0, -1, PANGO_ALIGN_LEFT);
	extent(p, &w2, &h2);
	setup(p, k->sub, BODY, 0, 0, text_w - 20, PANGO_ALIGN_LEFT);
	double w3;
	extent(p, &w3, &h3);
	double box = 10 + h2 + 4 + h3 + 10;
	need(p, box + 8);
	double x = MARGIN_X + 10, y = p->y;
	if (p->draw) {
		cairo_set_line_width(p->cr, 1.6);
		color(p->cr, "#2e7d32");
		cairo_rectangle(p->cr, MARGIN_X, y, text_w, box);
		cairo_stroke(p->cr);
	}
	text_at(p, x, y + 10 + (h2 - h1) * 0.7, -1, "Tỷ lệ tin báo được nhận trong hạn:", 10.5, 1,
	    0, PANGO_ALIGN_LEFT, NULL);
	text_at(p, x + w1 + 10, y + 10, -1, k->text, 24, 1, 0, PANGO_ALIGN_LEFT, "#2e7d32");
	text_at(p, x, y + 10 + h2 + 4, text_w - 20, k->sub, BODY, 0, 0, PANGO_ALIGN_LEFT, NULL);
	p->y += box + 8;
}

/* Column widths: a number column keeps its natural width (at least
 * NUM_MIN), the text columns share the rest by theirs. */
#define NUM_MIN 48.0
static void
columns(struct pdf *p, const struct rdoc_table *t, double *cw)
{
	double nat[16] = { 0 }, fixed = 0, flex = 0;
	for (size_t c = 0; c < t->cols; c++) {
		double w, h;
		setup(p, t->head[c], SMALL, 1, 0, -1, PANGO_ALIGN_LEFT);
		extent(p, &w, &h);
		nat[c] = t->align[c] == 'r' ? (w < 110 ? w : 110) : w;
		for (size_t r = 0; r < t->rows; r++) {
			setup(p, t->cell[r * t->cols + c], SMALL, 1, 0, -1, PANGO_ALIGN_LEFT);
			extent(p, &w, &h);
			if (w > nat[c])
				nat[c] = w;
		}
		nat[c] += 2 * CELL_PAD + 1;
		if (t->align[c] == 'w' && nat[c] < text_w * 0.3)
			nat[c] = text_w * 0.3;
		if (t->align[c] == 'w' && nat[c] > text_w * 0.45)
			nat[c] = text_w * 0.45;
		if (t->align[c] == 'r') {
			if (nat[c] < NUM_MIN)
				nat[c] = NUM_MIN;
			fixed += nat[c];
		} else {
			flex += nat[c];
		}
	}
	double scale = fixed > text_w * 0.72 ? text_w * 0.72 / fixed : 1;
	double rest = text_w - fixed * scale;
	for (size_t c = 0; c < t->cols; c++)
		cw[c] = t->align[c] == 'r' ? nat[c] * scale : flex > 0 ? nat[c] * rest / flex :
		    rest / (double)t->cols;
}

/* A list "A, B, C" set in lines no wider than width, broken only after a
 * comma (pango would break a tracking ID at its dash). malloc'd; NULL when
 * memory runs out. */
static char *
list_lines(struct pdf *p, const char *s, double size, double width)
{
	size_t n = strlen(s);
	char *out = malloc(n + 1), *line = malloc(n + 1);
	if (!out || !line) {
		free(out);
		free(line);
		return NULL;
	}
	size_t len = 0, ll = 0;
	const char *item = s;
	while (*item) {
		const char *end = strstr(item, ", ");
		size_t k = end ? (size_t)(end - item) + 1 : strlen(item);     /* with its comma */
		memcpy(line + ll, item, k);
		line[ll + k] = '\0';
		double w, h;
		setup(p, line, size, 0, 0, -1, PANGO_ALIGN_LEFT);
		extent(p, &w, &h);
		if (w > width && ll) {               /* this item starts the next line */
			out[len++] = '\n';
			memmove(line, item, k);
			ll = 0;
			line[k] = '\0';
		} else if (ll) {
			out[len++] = ' ';
		}
		memcpy(out + len, item, k);
		len += k;
		ll += k;
		line[ll++] = ' ';
		item += k + (end ? 1 : 0);
	}
	out[len] = '\0';
	free(line);
	return out;
}

/* The layout set to one cell. */
static void
setup_cell(struct pdf *p, const struct rdoc_table *t, size_t c, const char *s, int head,
    int strong, double width)
{
	double size = t->align[c] == 'w' && !head ? SMALL - 0.5 : SMALL;
	char *lines = t->align[c] == 'w' && !head && s ? list_lines(p, s, size, width) : NULL;
	setup(p, lines ? lines : s, size, head || strong, 0, width,
	    t->align[c] == 'r' ? PANGO_ALIGN_RIGHT : PANGO_ALIGN_LEFT);
	free(lines);
}

/* One row (the head when cells is t->head): its height. */
static double
row(struct pdf *p, const struct rdoc_table *t, const double *cw, char *const *cells, int head,
    int strong, int draw)
{
	double hmax = 0, x = MARGIN_X;
	for (size_t c = 0; c < t->cols; c++) {
		double w, h;
		setup_cell(p, t, c, cells[c], head, strong, cw[c] - 2 * CELL_PAD);
		extent(p, &w, &h);
		if (h > hmax)
			hmax = h;
	}
	double rh = hmax + 2 * CELL_PAD;
	if (!draw || !p->draw)
		return rh;
	if (head) {
		color(p->cr, "#e8e8e8");
		cairo_rectangle(p->cr, MARGIN_X, p->y, text_w, rh);
		cairo_fill(p->cr);
	}
	for (size_t c = 0; c < t->cols; c++) {
		setup_cell(p, t, c, cells[c], head, strong, cw[c] - 2 * CELL_PAD);
		show(p, x + CELL_PAD, p->y + CELL_PAD, NULL);
		x += cw[c];
	}
	cairo_set_line_width(p->cr, 0.5);
	color(p->cr, "#888888");
	cairo_rectangle(p->cr, MARGIN_X, p->y, text_w, rh);
	x = MARGIN_X;
	for (size_t c = 0; c + 1 < t->cols; c++) {
		x += cw[c];
		cairo_move_to(p->cr, x, p->y);
		cairo_line_to(p->cr, x, p->y + rh);
	}
	cairo_stroke(p->cr);
	return rh;
}

/* The room a table wants before it starts: the whole of a short one (kept on
 * one page), the head and first row of a long one. */
static double
table_start(struct pdf *p, const struct rdoc_table *t, const double *cw)
{
	double hh = row(p, t, cw, t->head, 1, 0, 0), all = hh;
	double first = t->rows ? row(p, t, cw, t->cell, 0, t->strong[0], 0) : 0;
	for (size_t r = 0; r < t->rows; r++)
		all += row(p, t, cw, t->cell + r * t->cols, 0, t->strong[r], 0);
	return all <= (bottom - MARGIN_TOP) * 0.45 ? all : hh + first;
}

static void
table(struct pdf *p, const struct rdoc_table *t)
{
	double cw[16];
	if (t->cols == 0 || t->cols > 16)
		return;
	columns(p, t, cw);
	need(p, table_start(p, t, cw));
	p->y += row(p, t, cw, t->head, 1, 0, 1);
	for (size_t r = 0; r < t->rows; r++) {
		char *const *cells = t->cell + r * t->cols;
		double rh = row(p, t, cw, cells, 0, t->strong[r], 0);
		if (p->y + rh > bottom) {
			new_page(p);
			p->y += row(p, t, cw, t->head, 1, 0, 1);
		}
		p->y += row(p, t, cw, cells, 0, t->strong[r], 1);
	}
	p->y += 9;
}

/* The chart canvas over cairo: the chart's origin at (ox, oy). */
struct pdf_canvas {
	struct pdf *p;
	double ox, oy;
};

static void
cv_rect(void *ctx, double x, double y, double w, double h, const char *hex, long bar)
{
	(void)bar;
	struct pdf_canvas *c = ctx;
	color(c->p->cr, hex);
	cairo_rectangle(c->p->cr, c->ox + x, c->oy + y, w, h);
	cairo_fill(c->p->cr);
}

static void
cv_line(void *ctx, double x1, double y1, double x2, double y2, const char *hex, double width)
{
	struct pdf_canvas *c = ctx;
	color(c->p->cr, hex);
	cairo_set_line_width(c->p->cr, width);
	cairo_move_to(c->p->cr, c->ox + x1, c->oy + y1);
	cairo_line_to(c->p->cr, c->ox + x2, c->oy + y2);
	cairo_stroke(c->p->cr);
}

static void
cv_text(void *ctx, double x, double y, const char *s, double size, enum rdoc_anchor anchor,
    const char *hex)
{
	struct pdf_canvas *c = ctx;
	double w, h;
	setup(c->p, s, size, 0, 0, -1, PANGO_ALIGN_LEFT);
	extent(c->p, &w, &h);
	int base = pango_layout_get_baseline(c->p->lay);
	double dx = anchor == RDOC_CENTER ? w / 2 : anchor == RDOC_RIGHT ? w : 0;
	show(c->p, c->ox + x - dx, c->oy + y - (double)base / PANGO_SCALE, hex);
}

static double
chart_height(struct pdf *p, const struct rdoc_block *k)
{
	double w, h1, h2;
	setup(p, k->text, BODY + 0.5, 1, 0, text_w, PANGO_ALIGN_LEFT);
	extent(p, &w, &h1);
	setup(p, k->sub, SMALL, 0, 1, text_w, PANGO_ALIGN_LEFT);
	extent(p, &w, &h2);
	return h1 + h2 + 4 + CHART_H + 10;
}

static void
chart(struct pdf *p, const struct rdoc_block *k)
{
	need(p, chart_height(p, k));
	p->y += text_at(p, MARGIN_X, p->y, text_w, k->text, BODY + 0.5, 1, 0, PANGO_ALIGN_LEFT,
	    NULL);
	p->y += text_at(p, MARGIN_X, p->y, text_w, k->sub, SMALL, 0, 1, PANGO_ALIGN_LEFT,
	    "#444444") + 4;
	if (p->draw) {
		struct pdf_canvas pc = { p, MARGIN_X, p->y };
		const struct rdoc_canvas cv = { &pc, cv_rect, cv_line, cv_text };
		report_chart_draw(&k->chart, text_w, CHART_H, CHART_FONT, &cv);
	}
	p->y += CHART_H + 10;
}

static void
signature(struct pdf *p)
{
	const struct rdoc *d = p->d;
	double half = text_w * 0.48;
	need(p, 150);
	p->y += 18;
	double xr = PAGE_W - MARGIN_X - half;
	double hr = text_at(p, xr, p->y, half, d->place_date, BODY, 0, 1, PANGO_ALIGN_CENTER, NULL);
	double y = p->y + hr + 2;
	text_at(p, MARGIN_X, y, half, "NGƯỜI LẬP BÁO CÁO", BODY, 1, 0, PANGO_ALIGN_CENTER, NULL);
	double hs = text_at(p, xr, y, half, d->signer, BODY, 1, 0, PANGO_ALIGN_CENTER, NULL);
	text_at(p, MARGIN_X, y + hs, half, "(Ký, ghi rõ họ tên)", SMALL, 0, 1, PANGO_ALIGN_CENTER,
	    NULL);
	text_at(p, xr, y + hs, half, "(Ký, ghi rõ họ tên, đóng dấu)", SMALL, 0, 1,
	    PANGO_ALIGN_CENTER, NULL);
	p->y = y + hs + 100;
}

/* The room the block after a heading wants to start, so that the heading
 * goes with it. */
static double
next_start(struct pdf *p, size_t i)
{
	if (i >= p->d->n)
		return 0;
	const struct rdoc_block *k = &p->d->blocks[i];
	double w, h, cw[16];
	switch (k->kind) {
	case RDOC_TABLE:
		if (k->table.cols == 0 || k->table.cols > 16)
			return 0;
		columns(p, &k->table, cw);
		return table_start(p, &k->table, cw);
	case RDOC_CHART:
		return chart_height(p, k);
	case RDOC_PARA:
	case RDOC_NOTE:
		setup(p, k->text, BODY, 0, 0, text_w, PANGO_ALIGN_LEFT);
		extent(p, &w, &h);
		return h + 6 + (i + 1 < p->d->n && p->d->blocks[i + 1].kind != RDOC_HEADING ?
		    next_start(p, i + 1) : 0);
	default:
		return 40;
	}
}

static void
layout(struct pdf *p)
{
	p->page = 1;
	p->y = MARGIN_TOP;
	doc_head(p);
	for (size_t i = 0; i < p->d->n; i++) {
		const struct rdoc_block *k = &p->d->blocks[i];
		double w, h;
		switch (k->kind) {
		case RDOC_HEADING:
			setup(p, k->text, 11.5, 1, 0, text_w, PANGO_ALIGN_LEFT);
			extent(p, &w, &h);
			need(p, h + 13 + next_start(p, i + 1));    /* never alone at a page's foot */
			p->y += 8;
			p->y += text_at(p, MARGIN_X, p->y, text_w, k->text, 11.5, 1, 0, PANGO_ALIGN_LEFT,
			    NULL) + 5;
			break;
		case RDOC_PARA:
		case RDOC_NOTE:
			setup(p, k->text, k->kind == RDOC_NOTE ? SMALL : BODY, 0, k->kind == RDOC_NOTE,
			    text_w, PANGO_ALIGN_LEFT);
			extent(p, &w, &h);
			need(p, h);
			p->y += text_at(p, MARGIN_X, p->y, text_w, k->text, k->kind == RDOC_NOTE ? SMALL :
			    BODY, 0, k->kind == RDOC_NOTE, PANGO_ALIGN_LEFT,
			    k->kind == RDOC_NOTE ? "#444444" : NULL) + 6;
			break;
		case RDOC_HEADLINE:
			headline(p, k);
			break;
		case RDOC_TABLE:
			table(p, &k->table);
			break;
		case RDOC_CHART:
			chart(p, k);
			break;
		}
	}
	signature(p);
	need(p, 30);
	p->y += text_at(p, MARGIN_X, p->y, text_w, p->d->made, SMALL, 0, 1, PANGO_ALIGN_LEFT,
	    "#555555");
	footer(p);
}

int
report_pdf(const struct rdoc *d, const char *path, char *err, size_t errlen)
{
	cairo_surface_t *s = cairo_pdf_surface_create(path, PAGE_W, PAGE_H);
	if (cairo_surface_status(s) != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(cairo_surface_status(s)));
		cairo_surface_destroy(s);
		return -1;
	}
	char title[512];
	snprintf(title, sizeof title, "%s — %s — %s", d->title, d->unit, d->period);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_TITLE, title);
	cairo_pdf_surface_set_metadata(s, CAIRO_PDF_METADATA_CREATOR, "tinbao");
	struct pdf p = { .cr = cairo_create(s), .d = d };
	p.lay = pango_cairo_create_layout(p.cr);
	layout(&p);                      /* count the pages */
	p.pages = p.page;
	p.draw = 1;
	layout(&p);
	cairo_show_page(p.cr);
	g_object_unref(p.lay);
	cairo_destroy(p.cr);
	cairo_surface_finish(s);
	cairo_status_t st = cairo_surface_status(s);
	cairo_surface_destroy(s);
	/* The fonts pango and fontconfig loaded stay cached for the process;
	 * a PDF is made once in a while by a short-lived command, so give them
	 * back (a next report loads them again). */
	pango_cairo_font_map_set_default(NULL);
	cairo_debug_reset_static_data();
	FcFini();
	if (st != CAIRO_STATUS_SUCCESS) {
		snprintf(err, errlen, "%s: %s", path, cairo_status_to_string(st));
		return -1;
	}
	return 0;
}
