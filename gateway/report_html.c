/* report_html — see report_html.h. */
#include "gateway/report_html.h"

#include <stdio.h>
#include <string.h>

#include "gateway/html.h"
#include "gateway/report_doc.h"

#define CHART_W 640.0
#define CHART_H 250.0
#define CHART_FONT 11.0

static const char style[] =
    "body{font-family:'DejaVu Sans','Noto Sans',Arial,sans-serif;color:#111;background:#f3f3f3;"
    "margin:0}"
    "main{max-width:52em;margin:0 auto;background:#fff;padding:2em 2.5em 3em}"
    ".doc-head{display:flex;justify-content:space-between;gap:1em;font-weight:bold;"
    "font-size:.9em;text-align:center}"
    ".doc-head div{flex:1}"
    ".doc-head .nation span{display:block;font-weight:bold;text-decoration:underline}"
    "h1{text-align:center;font-size:1.35em;margin:1.4em 0 .2em}"
    "p.period{text-align:center;margin:0 0 1.2em;font-style:italic}"
    ".headline{border:2px solid #2e7d32;border-radius:6px;padding:.7em 1em;margin:1em 0;"
    "display:flex;align-items:baseline;gap:1em;flex-wrap:wrap}"
    ".headline .label{font-weight:bold}"
    ".headline .figure{font-size:2.4em;font-weight:bold;color:#2e7d32}"
    "h2{font-size:1.1em;margin:1.6em 0 .5em;border-bottom:1px solid #999}"
    "table{border-collapse:collapse;width:100%;margin:.5em 0 1em;font-size:.92em}"
    "th,td{border:1px solid #999;padding:.3em .5em;text-align:left;vertical-align:top}"
    "th{background:#eee}"
    "td.n,th.n{text-align:right;white-space:nowrap;width:1%}"
    "tr.total td{font-weight:bold}"
    "td.ids{width:40%;font-size:.9em}td.ids span{white-space:nowrap}"
    "figure{margin:1em 0 1.5em;page-break-inside:avoid}"
    "figcaption{font-size:.92em;margin-bottom:.3em}"
    "svg{width:100%;height:auto;display:block}"
    "p.note{font-size:.85em;color:#444}"
    ".sign{display:flex;justify-content:space-between;margin-top:2.5em;text-align:center;"
    "font-weight:bold}"
    ".sign div{width:45%}"
    ".sign small{font-weight:normal;font-style:italic}"
    ".sign i{font-weight:normal}"
    ".sign .space{height:6em}"
    "p.made{font-size:.8em;color:#555;margin-top:2em}"
    "@media print{body{background:#fff}main{padding:0;max-width:none}"
    "@page{size:A4;margin:18mm 16mm}}";

/* ------------------------------------------------------------ charts */

static void
svg_rect(void *ctx, double x, double y, double w, double h, const char *color, long bar)
{
	html_printf(ctx, "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" "
	    "fill=\"%s\"", x, y, w, h, color);
	if (bar >= 0)
		html_printf(ctx, " data-bar=\"%ld\"", bar);
	html_put(ctx, "/>");
}

static void
svg_line(void *ctx, double x1, double y1, double x2, double y2, const char *color, double width)
{
	html_printf(ctx, "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\" "
	    "stroke-width=\"%.2f\"/>", x1, y1, x2, y2, color, width);
}

static void
svg_text(void *ctx, double x, double y, const char *s, double size, enum rdoc_anchor anchor,
    const char *color)
{
	static const char *const anchors[] = { "start", "middle", "end" };
	html_printf(ctx, "<text x=\"%.2f\" y=\"%.2f\" font-size=\"%.2f\" text-anchor=\"%s\" "
	    "fill=\"%s\">", x, y, size, anchors[anchor], color);
	html_text(ctx, s, 0);
	html_put(ctx, "</text>");
}

static void
chart(struct html *h, const struct rdoc_block *k)
{
	const struct rdoc_canvas cv = { h, svg_rect, svg_line, svg_text };
	html_put(h, "<figure><figcaption><b>");
	html_text(h, k->text, 0);
	html_put(h, "</b>. ");
	html_text(h, k->sub, 0);
	html_printf(h, "</figcaption>\n<svg data-max=\"%g\" xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 %.0f "
	    "%.0f\" role=\"img\" font-family=\"DejaVu Sans, Noto Sans, Arial, sans-serif\">"
	    "<title>", k->chart.y_max, CHART_W, CHART_H);
	html_text(h, k->text, 0);
	html_put(h, "</title>");
	report_chart_draw(&k->chart, CHART_W, CHART_H, CHART_FONT, &cv);
	html_put(h, "</svg></figure>\n");
}

/* "A, B, C": each item kept on one line (a tracking ID is not broken at
 * its dash), the lines broken after the commas. */
static void
list(struct html *h, const char *s)
{
	char item[256];
	while (*s) {
		const char *end = strstr(s, ", ");
		size_t n = end ? (size_t)(end - s) : strlen(s);
		snprintf(item, sizeof item, "%.*s", (int)(n < sizeof item - 1 ? n : sizeof item - 1), s);
		html_put(h, "<span>");
		html_text(h, item, 0);
		html_put(h, end ? ",</span> " : "</span>");
		s += n + (end ? 2 : 0);
	}
}

static void
table(struct html *h, const struct rdoc_table *t)
{
	html_put(h, "<table><thead><tr>");
	for (size_t c = 0; c < t->cols; c++) {
		html_put(h, t->align[c] == 'r' ? "<th class=\"n\">" : "<th>");
		html_text(h, t->head[c], 0);
		html_put(h, "</th>");
	}
	html_put(h, "</tr></thead><tbody>\n");
	for (size_t r = 0; r < t->rows; r++) {
		html_put(h, t->strong[r] ? "<tr class=\"total\">" : "<tr>");
		for (size_t c = 0; c < t->cols; c++) {
			const char *s = t->cell[r * t->cols + c];
			html_put(h, t->align[c] == 'r' ? "<td class=\"n\">" :
			    t->align[c] == 'w' ? "<td class=\"ids\">" : "<td>");
			if (t->align[c] == 'w')
				list(h, s ? s : "");
			else
				html_text(h, s ? s : "", 0);
			html_put(h, "</td>");
		}
		html_put(h, "</tr>\n");
	}
	html_put(h, "</tbody></table>\n");
}

char *
report_html(const struct rdoc *d, size_t *len)
{
	struct html h;
	html_init(&h, REPORT_HTML_MAX);
	html_put(&h, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\"><title>");
	html_text(&h, d->title, 0);
	html_put(&h, " — ");
	html_text(&h, d->unit, 0);
	html_put(&h, " — ");
	html_text(&h, d->period, 0);
	html_put(&h, "</title><style>");
	html_put(&h, style);
	html_put(&h, "</style></head><body><main>\n<header class=\"doc-head\"><div class=\"unit\">");
	html_text(&h, d->unit, 0);
	html_put(&h, "</div><div class=\"nation\">CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
	    "<span>Độc lập - Tự do - Hạnh phúc</span></div></header>\n<h1>");
	html_text(&h, d->title, 0);
	html_put(&h, "</h1>\n<p class=\"period\">");
	html_text(&h, d->period, 0);
	html_put(&h, "</p>\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct rdoc_block *k = &d->blocks[i];
		switch (k->kind) {
		case RDOC_HEADING:
			html_put(&h, "<h2>");
			html_text(&h, k->text, 0);
			html_put(&h, "</h2>\n");
			break;
		case RDOC_PARA:
		case RDOC_NOTE:
			html_put(&h, k->kind == RDOC_NOTE ? "<p class=\"note\">" : "<p>");
			html_text(&h, k->text, 0);
			html_put(&h, "</p>\n");
			break;
		case RDOC_HEADLINE:
			html_put(&h, "<div class=\"headline\" id=\"headline\"><span class=\"label\">Tỷ lệ "
			    "tin báo được nhận trong hạn:</span> <span class=\"figure\">");
			html_text(&h, k->text, 0);
			html_put(&h, "</span> <span class=\"count\">");
			html_text(&h, k->sub, 0);
			html_put(&h, "</span></div>\n");
			break;
		case RDOC_TABLE:
			table(&h, &k->table);
			break;
		case RDOC_CHART:
			chart(&h, k);
			break;
		}
	}
	html_put(&h, "<section class=\"sign\"><div>NGƯỜI LẬP BÁO CÁO<br><small>(Ký, ghi rõ họ "
	    "tên)</small><div class=\"space\"></div></div><div><i>");
	html_text(&h, d->place_date, 0);
	html_put(&h, "</i><br>");
	html_text(&h, d->signer, 0);
	html_put(&h, "<br><small>(Ký, ghi rõ họ tên, đóng dấu)</small><div class=\"space\"></div>"
	    "</div></section>\n<p class=\"made\">");
	html_text(&h, d->made, 0);
	html_put(&h, "</p>\n</main></body></html>\n");
	return html_take(&h, len);
}
