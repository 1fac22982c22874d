/* report_chart — the one layout of the report's bar charts
 * (report_chart_draw in report_doc.h): the HTML's SVG and the PDF's cairo
 * draw the same rectangles, lines and labels, so a bar's height is its
 * value over the axis's maximum in both. */
#include <stdio.h>
#include <string.h>

#include "gateway/report_doc.h"

#define AXIS_COLOR "#333333"
#define GRID_COLOR "#d9d9d9"
#define LABEL_COLOR "#222222"
#define SOFT_COLOR "#555555"

/* Code points in s: a text's width is estimated from it (about half the
 * font size each), as the layout cannot measure. */
static double
chars(const char *s)
{
	size_t n = 0;
	for (; s && *s; s++)
		n += ((unsigned char)*s & 0xc0) != 0x80;
	return (double)n;
}

static void
tick_label(const struct rdoc_chart *c, double v, char *out, size_t outsz)
{
	snprintf(out, outsz, c->percent ? "%.0f%%" : "%.0f", v);
}

void
report_chart_draw(const struct rdoc_chart *c, double w, double h, double font,
    const struct rdoc_canvas *cv)
{
	const double small = font * 0.85, tiny = font * 0.72;
	double ml = font * 3.2, mr = font * 0.8, mt = font * 2.6, mb = font * 3.0;
	if (c->n_series > 1)
		mt += font * 1.4;
	double px = ml, py = mt, pw = w - ml - mr, ph = h - mt - mb;
	if (pw <= 0 || ph <= 0 || c->y_max <= 0)
		return;

	/* legend (several series) and the y axis's title */
	double lx = px, ly = font * 1.0;
	if (c->n_series > 1) {
		for (size_t s = 0; s < c->n_series; s++) {
			cv->rect(cv->ctx, lx, ly - small * 0.8, small, small * 0.8, c->series[s].color,
			    -1);
			cv->text(cv->ctx, lx + small * 1.3, ly, c->series[s].name, small, RDOC_LEFT,
			    LABEL_COLOR);
			lx += small * 1.3 + chars(c->series[s].name) * small * 0.55 + small * 1.6;
		}
		ly += font * 1.4;
	}
	if (c->y_title)
		cv->text(cv->ctx, px - font * 0.4, ly + font * 0.2, c->y_title, small, RDOC_LEFT,
		    SOFT_COLOR);

	/* grid and ticks */
	double step = c->y_step > 0 ? c->y_step : c->y_max;
	for (double v = 0; v <= c->y_max + step * 1e-6; v += step) {
		double y = py + ph - v / c->y_max * ph;
		char label[32];
		if (v > 0)
			cv->line(cv->ctx, px, y, px + pw, y, GRID_COLOR, 0.6);
		cv->line(cv->ctx, px - font * 0.3, y, px, y, AXIS_COLOR, 0.8);
		tick_label(c, v, label, sizeof label);
		cv->text(cv->ctx, px - font * 0.5, y + small * 0.35, label, small, RDOC_RIGHT,
		    LABEL_COLOR);
	}

	/* bars, stacked from the first series */
	double slot = pw / (double)(c->n ? c->n : 1), bw = slot * 0.72;
	double widest = 0;
	for (size_t i = 0; i < c->n; i++)
		if (c->labels[i] && chars(c->labels[i]) > widest)
			widest = chars(c->labels[i]);
	size_t every = 1;
	while (every < c->n && widest * tiny * 0.55 + tiny * 0.6 > slot * (double)every)
		every++;
	double top_size = slot < font * 2.2 ? tiny : small;
	for (size_t i = 0; i < c->n; i++) {
		double x = px + slot * (double)i + (slot - bw) / 2, base = py + ph, sum = 0;
		for (size_t s = 0; s < c->n_series; s++) {
			double v = c->series[s].values[i];
			if (v <= 0)
				continue;
			double top = sum + v > c->y_max ? c->y_max : sum + v;
			double y0 = base - sum / c->y_max * ph, y1 = base - top / c->y_max * ph;
			cv->rect(cv->ctx, x, y1, bw, y0 - y1, c->series[s].color, (long)i);
			sum = top;
		}
		if (c->tops && c->tops[i] && *c->tops[i] &&
		    chars(c->tops[i]) * top_size * 0.55 <= slot * 1.05)
			cv->text(cv->ctx, x + bw / 2, base - sum / c->y_max * ph - tiny * 0.4, c->tops[i],
			    top_size, RDOC_CENTER, LABEL_COLOR);
		if (c->labels[i] && *c->labels[i] && i % every == 0)
			cv->text(cv->ctx, x + bw / 2, py + ph + font * 1.1, c->labels[i], tiny,
			    RDOC_CENTER, LABEL_COLOR);
	}
	/* the axes over the bars */
	cv->line(cv->ctx, px, py, px, py + ph, AXIS_COLOR, 1.0);
	cv->line(cv->ctx, px, py + ph, px + pw, py + ph, AXIS_COLOR, 1.0);
	if (c->x_title)
		cv->text(cv->ctx, px + pw / 2, h - font * 0.35, c->x_title, small, RDOC_CENTER,
		    SOFT_COLOR);
}
