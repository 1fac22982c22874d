/* report_doc — see report_doc.h. */
#include "gateway/report_doc.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <uninorm.h>

#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/report.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

#define C_IN_TIME "#2e7d32"
#define C_LATE "#ef8f00"
#define C_NEVER "#c62828"
#define C_PENDING "#9e9e9e"
#define C_PLAIN "#1f5fa8"
#define DOC_ALARMS_MAX 40        /* alarm and gap rows listed; the rest are counted */

struct builder {
	struct rdoc *d;
	size_t cap;
	int failed;
};

static char *fmt(struct builder *b, const char *f, ...) __attribute__((format(printf, 2, 3)));

/* A malloc'd string; NULL (and b->failed) when memory runs out. */
static char *
fmt(struct builder *b, const char *f, ...)
{
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0) {
		s = NULL;
		b->failed = 1;
	}
	va_end(ap);
	return s;
}

static struct rdoc_block *
add(struct builder *b, enum rdoc_kind kind)
{
	static struct rdoc_block sink;        /* written to after a failure, never read */
	if (b->failed)
		return memset(&sink, 0, sizeof sink);
	if (b->d->n == b->cap) {
		size_t cap = b->cap ? 2 * b->cap : 32;
		struct rdoc_block *grown = realloc(b->d->blocks, cap * sizeof *grown);
		if (!grown) {
			b->failed = 1;
			return memset(&sink, 0, sizeof sink);
		}
		b->d->blocks = grown;
		b->cap = cap;
	}
	struct rdoc_block *k = &b->d->blocks[b->d->n++];
	memset(k, 0, sizeof *k);
	k->kind = kind;
	return k;
}

static void
text_block(struct builder *b, enum rdoc_kind kind, char *text)
{
	if (!text)
		b->failed = 1;
	struct rdoc_block *k = add(b, kind);
	if (b->failed)
		free(text);
	else
		k->text = text;
}

/* A table with its head; cells filled with cell(). */
static struct rdoc_table *
table(struct builder *b, size_t rows, size_t cols, const char *const *head, const char *align)
{
	struct rdoc_block *k = add(b, RDOC_TABLE);
	struct rdoc_table *t = &k->table;
	if (b->failed)
		return t;
	t->head = calloc(cols, sizeof *t->head);
	t->cell = calloc(rows * cols + 1, sizeof *t->cell);
	t->align = calloc(cols + 1, 1);
	t->strong = calloc(rows + 1, 1);
	if (!t->head || !t->cell || !t->align || !t->strong) {
		b->failed = 1;
		return t;
	}
	t->rows = rows;
	t->cols = cols;
	for (size_t c = 0; c < cols; c++) {
		t->head[c] = strdup(head[c]);
		t->align[c] = align[c];
		if (!t->head[c])
			b->failed = 1;
	}
	return t;
}

static void cell(struct builder *b, struct rdoc_table *t, size_t row, size_t col,
    const char *f, ...) __attribute__((format(printf, 5, 6)));

static void
cell(struct builder *b, struct rdoc_table *t, size_t row, size_t col, const char *f, ...)
{
	if (b->failed || row >= t->rows || col >= t->cols)
		return;
	va_list ap;
	char *s = NULL;
	va_start(ap, f);
	if (vasprintf(&s, f, ap) < 0) {
		s = NULL;
		b->failed = 1;
	}
	va_end(ap);
	free(t->cell[row * t->cols + col]);
	t->cell[row * t->cols + col] = s;
}

static void
share_cell(struct builder *b, struct rdoc_table *t, size_t row, size_t col, size_t part,
    size_t whole)
{
	char pc[16];
	if (!whole) {
		cell(b, t, row, col, "—");
		return;
	}
	report_percent((part * 1000 + whole / 2) / whole, pc, sizeof pc);
	cell(b, t, row, col, "%s%%", pc);
}

/* ------------------------------------------------------------ charts */

/* The axis: 0 to a round number at or above max, with at most 5 steps of
 * 1, 2 or 5 times a power of ten. */
static void
axis(double max, double *y_max, double *step)
{
	double s = 1;
	if (max <= 0) {
		*y_max = 1;
		*step = 1;
		return;
	}
	while (max / s > 5) {
		if (max / (2 * s) <= 5) {
			s *= 2;
			break;
		}
		if (max / (5 * s) <= 5) {
			s *= 5;
			break;
		}
		s *= 10;
	}
	*step = s;
	*y_max = s * (double)(size_t)((max + s - 1e-9) / s);
	if (*y_max < max)
		*y_max += s;
}

static struct rdoc_chart *
chart(struct builder *b, char *title, char *sub, size_t n, size_t n_series)
{
	struct rdoc_block *k = add(b, RDOC_CHART);
	struct rdoc_chart *c = &k->chart;
	if (b->failed || !title || !sub) {
		b->failed = 1;
		free(title);
		free(sub);
		return c;
	}
	k->text = title;
	k->sub = sub;
	c->labels = calloc(n + 1, sizeof *c->labels);
	c->tops = calloc(n + 1, sizeof *c->tops);
	if (!c->labels || !c->tops) {
		b->failed = 1;
		return c;
	}
	c->n = n;
	c->n_series = n_series;
	for (size_t s = 0; s < n_series; s++) {
		c->series[s].values = calloc(n + 1, sizeof *c->series[s].values);
		if (!c->series[s].values)
			b->failed = 1;
	}
	return c;
}

static void
chart_series(struct rdoc_chart *c, size_t s, const char *name, const char *color)
{
	c->series[s].name = name;
	c->series[s].color = color;
}

/* y axis from the stacked totals; each non-zero total printed over its bar
 * when the bars are few enough. */
static void
chart_counts(struct builder *b, struct rdoc_chart *c, const char *y_title)
{
	double max = 0;
	if (b->failed)
		return;
	for (size_t i = 0; i < c->n; i++) {
		double sum = 0;
		for (size_t s = 0; s < c->n_series; s++)
			sum += c->series[s].values[i];
		if (sum > max)
			max = sum;
		if (sum > 0 && c->n <= 40)
			c->tops[i] = fmt(b, "%.0f", sum);
	}
	axis(max, &c->y_max, &c->y_step);
	c->y_title = fmt(b, "%s", y_title);
}

/* ------------------------------------------------------------- words */

static void
day_month(int64_t t, char *out, size_t outsz)
{
	int y, m, d;
	timeutil_local_date(t, &y, &m, &d);
	snprintf(out, outsz, "%02d/%02d", d, m);
}

/* A list of tracking IDs, at most RDOC_IDS_MAX, the rest counted. */
static char *
id_list(struct builder *b, const struct config *cfg, char (*codes)[REPORT_CODE_MAX], size_t n)
{
	size_t cap = 32 + n * (VIEW_ID_MAX + 2), len = 0;
	char *s = malloc(cap);
	if (!s) {
		b->failed = 1;
		return NULL;
	}
	s[0] = '\0';
	if (!n)
		snprintf(s, cap, "—");
	for (size_t i = 0; i < n && i < RDOC_IDS_MAX; i++) {
		char id[VIEW_ID_MAX];
		view_tip_id(cfg, codes[i], id);
		len += (size_t)snprintf(s + len, cap - len, "%s%s", i ? ", " : "", id);
	}
	if (n > RDOC_IDS_MAX)
		snprintf(s + len, cap - len, " và %zu tin khác", n - RDOC_IDS_MAX);
	return s;
}

static char *
upper(struct builder *b, const char *s)
{
	size_t n = 0;
	uint8_t *u = u8_toupper((const uint8_t *)s, strlen(s), NULL, UNINORM_NFC, NULL, &n);
	char *out = u ? malloc(n + 1) : NULL;
	if (!out) {
		free(u);
		b->failed = 1;
		return NULL;
	}
	memcpy(out, u, n);
	out[n] = '\0';
	free(u);
	return out;
}

static const char *const ward_kinds[] = { "Phường ", "Xã ", "Đặc khu ", "Thị trấn " };

/* "Phường Thạch Khôi" -> "Thạch Khôi" for the place of the signature; the
 * kind ("Phường ") in *kind, "" when the name has none. */
static const char *
place(const char *ward, const char **kind)
{
	*kind = "";
	for (size_t i = 0; i < sizeof ward_kinds / sizeof ward_kinds[0]; i++) {
		size_t n = strlen(ward_kinds[i]);
		if (strncmp(ward, ward_kinds[i], n) == 0 && ward[n]) {
			*kind = ward_kinds[i];
			return ward + n;
		}
	}
	return ward;
}

/* ---------------------------------------------------------- sections */

static void
head_and_headline(struct builder *b, const struct config *cfg, const struct report *r)
{
	struct rdoc *d = b->d;
	int y0, m0, d0, y1, m1, d1, ym, mm, dm;
	timeutil_local_date(r->from, &y0, &m0, &d0);
	timeutil_local_date(r->to - 1, &y1, &m1, &d1);
	timeutil_local_date(r->made_at, &ym, &mm, &dm);
	d->ward = fmt(b, "%s", cfg->ward);
	char *unit = fmt(b, "Công an %s", cfg->ward);
	d->unit = unit ? upper(b, unit) : NULL;
	free(unit);
	d->title = fmt(b, "BÁO CÁO TIẾP NHẬN VÀ XỬ LÝ TIN BÁO");
	int yt, mt, dt;
	timeutil_local_date(r->to, &yt, &mt, &dt);
	int whole_month = d0 == 1 && dt == 1 && yt * 12 + mt == y0 * 12 + m0 + 1;
	if (whole_month)
		d->period = fmt(b, "Tháng %02d/%04d (từ %02d/%02d/%04d đến %02d/%02d/%04d)", m0, y0,
		    d0, m0, y0, d1, m1, y1);
	else
		d->period = fmt(b, "Từ %02d/%02d/%04d đến %02d/%02d/%04d", d0, m0, y0, d1, m1, y1);
	char hm[16];
	timeutil_format_hm(r->made_at, hm, sizeof hm);
	d->made = fmt(b, "Lập lúc %s ngày %02d/%02d/%04d từ dữ liệu của tổng đài tin báo tinbao%s.",
	    hm, dm, mm, ym, r->made_at < r->to ? " (kỳ báo cáo chưa kết thúc)" : "");
	const char *kind;
	const char *where = place(cfg->ward, &kind);
	d->place_date = fmt(b, "%s, ngày %02d tháng %02d năm %04d", where, dm, mm, ym);
	char *signer = fmt(b, "Trưởng Công an%s%.*s", *kind ? " " : "",
	    (int)(*kind ? strlen(kind) - 1 : 0), kind);
	d->signer = signer ? upper(b, signer) : NULL;
	free(signer);

	char pc[16], win[48], uwin[48];
	report_percent(r->share_permille, pc, sizeof pc);
	report_duration(r->window, win, sizeof win);
	report_duration(r->urgent_window, uwin, sizeof uwin);
	struct rdoc_block *k = add(b, RDOC_HEADLINE);
	if (b->failed)
		return;
	if (r->decided) {
		k->text = fmt(b, "%s%%", pc);
		k->sub = fmt(b, "%zu/%zu tin báo được cán bộ nhận trong hạn cấp 1 (%s; tin khẩn %s)",
		    r->in_time, r->decided, win, uwin);
	} else {
		k->text = fmt(b, "—");
		k->sub = fmt(b, "Chưa có tin báo nào đến hạn nhận (hạn cấp 1: %s; tin khẩn %s)", win,
		    uwin);
	}
	if (r->pending)
		text_block(b, RDOC_NOTE, fmt(b, "%zu tin còn trong hạn nhận lúc lập báo cáo, chưa "
		    "tính vào tỷ lệ.", r->pending));
}

static void
section_tips(struct builder *b, const struct report *r)
{
	text_block(b, RDOC_HEADING, fmt(b, "1. Tin báo tiếp nhận"));
	text_block(b, RDOC_PARA, fmt(b, "Tổng số tin báo tiếp nhận trong kỳ: %zu.", r->tips));
	static const char *const h1[] = { "Kênh", "Số tin", "Tỷ lệ" };
	struct rdoc_table *t = table(b, REPORT_CHANNELS + 1, 3, h1, "lrr");
	for (size_t i = 0; i < REPORT_CHANNELS; i++) {
		cell(b, t, i, 0, "%s", report_channel_name(r->channels[i].key));
		cell(b, t, i, 1, "%zu", r->channels[i].n);
		share_cell(b, t, i, 2, r->channels[i].n, r->tips);
	}
	cell(b, t, REPORT_CHANNELS, 0, "Cộng");
	cell(b, t, REPORT_CHANNELS, 1, "%zu", r->tips);
	share_cell(b, t, REPORT_CHANNELS, 2, r->tips, r->tips);
	if (!b->failed)
		t->strong[REPORT_CHANNELS] = 1;

	static const char *const h2[] = { "Phân loại (gợi ý khi tiếp nhận)", "Số tin", "Tỷ lệ" };
	if (r->n_categories) {
		t = table(b, r->n_categories, 3, h2, "lrr");
		for (size_t i = 0; i < r->n_categories; i++) {
			cell(b, t, i, 0, "%s", category_name(r->categories[i].key));
			cell(b, t, i, 1, "%zu", r->categories[i].n);
			share_cell(b, t, i, 2, r->categories[i].n, r->tips);
		}
	}

	struct rdoc_chart *c = chart(b, fmt(b, "Số tin báo theo ngày"),
	    fmt(b, "Mỗi cột là một ngày; màu cho biết tin được nhận trong hạn, trễ hạn, không "
	    "được nhận hay còn trong hạn."), r->n_days, 4);
	if (!b->failed) {
		chart_series(c, 0, "Nhận trong hạn", C_IN_TIME);
		chart_series(c, 1, "Nhận trễ", C_LATE);
		chart_series(c, 2, "Không được nhận", C_NEVER);
		chart_series(c, 3, "Còn trong hạn", C_PENDING);
		size_t every = r->n_days <= 31 ? 1 : (r->n_days + 30) / 31;
		int monthly = r->n_days <= 31;
		for (size_t i = 0; i < r->n_days; i++) {
			const struct report_day *dd = &r->days[i];
			char dm[16];
			int y, m, dday;
			timeutil_local_date(dd->start, &y, &m, &dday);
			day_month(dd->start, dm, sizeof dm);
			c->labels[i] = i % every ? fmt(b, "%s", "") : monthly ? fmt(b, "%d", dday) :
			    fmt(b, "%s", dm);
			c->series[0].values[i] = (double)dd->in_time;
			c->series[1].values[i] = (double)dd->late;
			c->series[2].values[i] = (double)dd->never;
			c->series[3].values[i] = (double)dd->pending;
		}
		chart_counts(b, c, "số tin");
		c->x_title = fmt(b, "%s", monthly ? "ngày trong tháng" : "ngày");
	}

	c = chart(b, fmt(b, "Số tin báo theo giờ trong ngày"),
	    fmt(b, "Tin báo tiếp nhận trong kỳ, theo giờ nhận (giờ địa phương)."), 24, 1);
	if (!b->failed) {
		chart_series(c, 0, "Số tin", C_PLAIN);
		for (size_t h = 0; h < 24; h++) {
			c->labels[h] = fmt(b, "%zu", h);
			c->series[0].values[h] = (double)r->hours[h];
		}
		chart_counts(b, c, "số tin");
		c->x_title = fmt(b, "giờ");
	}
}

static void
section_ack(struct builder *b, const struct report *r)
{
	char win[48];
	report_duration(r->window, win, sizeof win);
	text_block(b, RDOC_HEADING, fmt(b, "2. Cán bộ nhận tin"));
	text_block(b, RDOC_PARA, fmt(b, "Tin báo được coi là nhận trong hạn khi cán bộ trả lời "
	    "nhận tin (OK) trong hạn cấp 1 tính từ lúc tiếp nhận (%s); nếu không, tin được "
	    "chuyển lên cấp trên.", win));
	static const char *const h[] = { "Kết quả", "Số tin", "Tỷ lệ" };
	size_t rows = 7 + (r->pending ? 1 : 0);
	struct rdoc_table *t = table(b, rows, 3, h, "lrr");
	cell(b, t, 0, 0, "Nhận trong hạn cấp 1");
	cell(b, t, 0, 1, "%zu", r->in_time);
	share_cell(b, t, 0, 2, r->in_time, r->decided);
	cell(b, t, 1, 0, "Nhận trễ, chưa chuyển cấp");
	for (int l = 2; l <= REPORT_LEVELS; l++)
		cell(b, t, (size_t)l, 0, "Nhận trễ, sau khi chuyển lên cấp %d (%s)", l,
		    report_level_name(l));
	for (int l = 1; l <= REPORT_LEVELS; l++) {
		cell(b, t, (size_t)l, 1, "%zu", r->late_at_level[l]);
		share_cell(b, t, (size_t)l, 2, r->late_at_level[l], r->decided);
	}
	cell(b, t, 5, 0, "Không được nhận");
	cell(b, t, 5, 1, "%zu", r->never);
	share_cell(b, t, 5, 2, r->never, r->decided);
	cell(b, t, 6, 0, "Cộng (tin đã đến hạn nhận)");
	cell(b, t, 6, 1, "%zu", r->decided);
	share_cell(b, t, 6, 2, r->decided, r->decided);
	if (!b->failed)
		t->strong[6] = 1;
	if (r->pending) {
		cell(b, t, 7, 0, "Còn trong hạn (chưa tính)");
		cell(b, t, 7, 1, "%zu", r->pending);
		cell(b, t, 7, 2, "%s", "");
	}

	static const char *const h2[] = { "Thời gian đến khi nhận tin", "Số tin", "Trung vị",
		"90% số tin trong vòng", "Lâu nhất" };
	t = table(b, REPORT_CHANNELS + 1, 5, h2, "lrrrr");
	for (size_t i = 0; i <= REPORT_CHANNELS; i++) {
		const struct report_stats *s = i ? &r->tta_channel[i - 1] : &r->tta;
		char med[48], p90[48], max[48];
		cell(b, t, i, 0, "%s", i ? report_channel_name(r->channels[i - 1].key) : "Tất cả");
		cell(b, t, i, 1, "%zu", s->n);
		report_duration(s->median, med, sizeof med);
		report_duration(s->p90, p90, sizeof p90);
		report_duration(s->max, max, sizeof max);
		cell(b, t, i, 2, "%s", s->n ? med : "—");
		cell(b, t, i, 3, "%s", s->n ? p90 : "—");
		cell(b, t, i, 4, "%s", s->n ? max : "—");
	}
	if (!b->failed)
		t->strong[0] = 1;

	struct rdoc_chart *c = chart(b, fmt(b, "Thời gian đến khi cán bộ nhận tin"),
	    fmt(b, "Số tin theo khoảng thời gian từ lúc tiếp nhận đến lúc cán bộ nhận tin."),
	    REPORT_TTA_BINS, 1);
	if (!b->failed) {
		chart_series(c, 0, "Số tin", C_PLAIN);
		for (size_t i = 0; i < REPORT_TTA_BINS; i++) {
			int64_t lo = i ? report_tta_bin_edge(i - 1) : 0, hi = report_tta_bin_edge(i);
			if (!hi)
				c->labels[i] = fmt(b, "≥%lld giờ", (long long)(lo / 3600));
			else if (hi > 3600)
				c->labels[i] = fmt(b, "%lld–%lld giờ", (long long)(lo / 3600),
				    (long long)(hi / 3600));
			else if (!lo)
				c->labels[i] = fmt(b, "<%lld", (long long)(hi / 60));
			else
				c->labels[i] = fmt(b, "%lld–%lld", (long long)(lo / 60), (long long)(hi / 60));
			c->series[0].values[i] = (double)r->tta_bins[i];
		}
		chart_counts(b, c, "số tin");
		c->x_title = fmt(b, "phút (trừ khi ghi giờ)");
	}

	c = chart(b, fmt(b, "Tỷ lệ nhận trong hạn theo tuần"),
	    fmt(b, "Tuần từ thứ Hai đến Chủ nhật, cắt theo kỳ báo cáo; trên cột: tỷ lệ và số tin "
	    "trong hạn / số tin đã đến hạn."), r->n_weeks, 1);
	if (!b->failed) {
		chart_series(c, 0, "Tỷ lệ trong hạn", C_IN_TIME);
		for (size_t i = 0; i < r->n_weeks; i++) {
			const struct report_week *w = &r->weeks[i];
			char a[16], z[16];
			day_month(w->start, a, sizeof a);
			day_month(w->end - 1, z, sizeof z);
			c->labels[i] = fmt(b, "%s–%s", a, z);
			if (w->decided) {
				size_t pm = (w->in_time * 1000 + w->decided / 2) / w->decided;
				char pc[16];
				report_percent(pm, pc, sizeof pc);
				c->series[0].values[i] = (double)pm / 10.0;
				c->tops[i] = fmt(b, "%s%% (%zu/%zu)", pc, w->in_time, w->decided);
			} else {
				c->tops[i] = fmt(b, "không có tin");
			}
		}
		c->y_max = 100;
		c->y_step = 20;
		c->percent = 1;
		c->y_title = fmt(b, "tỷ lệ");
		c->x_title = fmt(b, "tuần");
	}
}

static void
section_legal(struct builder *b, const struct config *cfg, const struct report *r)
{
	text_block(b, RDOC_HEADING, fmt(b, "3. Thời hạn theo quy định"));
	static const char *const h[] = { "Thời hạn", "Đúng hạn", "Trễ hoặc quá hạn",
		"Chưa đến hạn", "Đã đóng, không tính", "Mã tin trễ hạn" };
	static const char *const names[] = {
		"Chuyển Cơ quan điều tra trong 24 giờ",
		"Thông báo kết quả tiếp nhận trong 3 ngày làm việc",
		"Giải quyết trong 20 ngày (Cơ quan điều tra)",
	};
	const struct report_clock *clocks[] = { &r->pass_on, &r->notice, &r->settle };
	struct rdoc_table *t = table(b, 3, 6, h, "lrrrrw");
	for (size_t i = 0; i < 3; i++) {
		cell(b, t, i, 0, "%s", names[i]);
		cell(b, t, i, 1, "%zu", clocks[i]->on_time);
		cell(b, t, i, 2, "%zu", clocks[i]->late);
		cell(b, t, i, 3, "%zu", clocks[i]->pending);
		cell(b, t, i, 4, "%zu", clocks[i]->ended);
		char *ids = id_list(b, cfg, clocks[i]->late_codes, clocks[i]->late);
		if (ids)
			cell(b, t, i, 5, "%s", ids);
		free(ids);
	}
	text_block(b, RDOC_NOTE, fmt(b, "Căn cứ: Bộ luật Tố tụng hình sự 2015, Điều 145–147; "
	    "Thông tư liên tịch 01/2017, Điều 14. Ngày làm việc: thứ Hai đến thứ Sáu, trừ các "
	    "ngày nghỉ lễ đã khai báo. Việc chuyển tin được tính khi đã ghi nhận bằng lệnh "
	    "tinbao pass, thông báo kết quả tiếp nhận bằng lệnh tinbao notice (nhận tin không "
	    "phải là chuyển tin); tin đã đóng khi chưa làm việc đó thì không tính. Thời hạn "
	    "giải quyết là của Cơ quan điều tra: chỉ để theo dõi."));
}

static void
section_duty(struct builder *b, const struct config *cfg, const struct report *r)
{
	char total[48];
	text_block(b, RDOC_HEADING, fmt(b, "4. Trực ban và chuyển cấp"));
	text_block(b, RDOC_PARA, fmt(b, "Báo động không có người trực khi có tin báo: %zu lần.",
	    r->n_alarms));
	static const char *const ha[] = { "Thời điểm báo động", "Mã tin" };
	if (r->n_alarms) {
		size_t rows = r->n_alarms < DOC_ALARMS_MAX ? r->n_alarms : DOC_ALARMS_MAX;
		struct rdoc_table *t = table(b, rows, 2, ha, "ll");
		for (size_t i = 0; i < rows; i++) {
			char when[48], id[VIEW_ID_MAX] = "—";
			timeutil_format_local(r->alarms[i].at, when, sizeof when);
			if (r->alarms[i].code[0])
				view_tip_id(cfg, r->alarms[i].code, id);
			cell(b, t, i, 0, "%s", when);
			cell(b, t, i, 1, "%s", id);
		}
		if (r->n_alarms > rows)
			text_block(b, RDOC_NOTE, fmt(b, "và %zu lần báo động khác.", r->n_alarms - rows));
	}
	report_duration(r->gap_seconds, total, sizeof total);
	text_block(b, RDOC_PARA, r->n_gaps ? fmt(b, "Theo lịch trực, có %zu khoảng thời gian "
	    "không có ai trực ở cấp nào, tổng cộng %s.", r->n_gaps, total) :
	    fmt(b, "Theo lịch trực, lúc nào cũng có người trực."));
	static const char *const hg[] = { "Không có người trực từ", "Đến", "Thời lượng" };
	if (r->n_gaps) {
		size_t rows = r->n_gaps < DOC_ALARMS_MAX ? r->n_gaps : DOC_ALARMS_MAX;
		struct rdoc_table *t = table(b, rows, 3, hg, "llr");
		for (size_t i = 0; i < rows; i++) {
			char a[48], z[48], len[48];
			timeutil_format_local(r->gaps[i].from, a, sizeof a);
			timeutil_format_local(r->gaps[i].to, z, sizeof z);
			report_duration(r->gaps[i].to - r->gaps[i].from, len, sizeof len);
			cell(b, t, i, 0, "%s", a);
			cell(b, t, i, 1, "%s", z);
			cell(b, t, i, 2, "%s", len);
		}
		if (r->n_gaps > rows)
			text_block(b, RDOC_NOTE, fmt(b, "và %zu khoảng khác.", r->n_gaps - rows));
	}
	static const char *const he[] = { "Chuyển cấp (khi quá hạn không ai nhận)", "Số lần" };
	struct rdoc_table *t = table(b, REPORT_LEVELS, 2, he, "lr");
	for (int l = 2; l <= REPORT_LEVELS; l++) {
		cell(b, t, (size_t)l - 2, 0, "Lên cấp %d (%s)", l, report_level_name(l));
		cell(b, t, (size_t)l - 2, 1, "%zu", r->escalations[l]);
	}
	cell(b, t, REPORT_LEVELS - 1, 0, "Nhắc lại cả chuỗi ở cấp cao nhất");
	cell(b, t, REPORT_LEVELS - 1, 1, "%zu", r->repeats);
}

static void
section_relay_officers(struct builder *b, const struct report *r)
{
	text_block(b, RDOC_HEADING, fmt(b, "5. Hỏi người báo tin qua tổng đài"));
	text_block(b, RDOC_PARA, fmt(b, "Cán bộ đã gửi %zu câu hỏi (về %zu tin báo) qua tổng đài, "
	    "không lộ danh tính hai bên; người báo tin đã trả lời %zu câu.", r->relay_asked,
	    r->relay_tips, r->relay_answered));
	text_block(b, RDOC_HEADING, fmt(b, "6. Theo cán bộ"));
	if (!r->n_officers) {
		text_block(b, RDOC_PARA, fmt(b, "Không có cán bộ nào được báo tin trong kỳ."));
		return;
	}
	static const char *const h[] = { "Cán bộ", "Được báo (tin)", "Đã nhận (tin)",
		"Thời gian nhận, trung vị (từ lúc được báo)" };
	struct rdoc_table *t = table(b, r->n_officers, 4, h, "lrrr");
	for (size_t i = 0; i < r->n_officers; i++) {
		const struct report_officer *o = &r->officers[i];
		char med[48];
		report_duration(o->tta.median, med, sizeof med);
		cell(b, t, i, 0, "%s", o->name ? o->name : "?");
		cell(b, t, i, 1, "%zu", o->notified);
		cell(b, t, i, 2, "%zu", o->acked);
		cell(b, t, i, 3, "%s", o->tta.n ? med : "—");
	}
}

struct rdoc *
report_doc_new(const struct config *cfg, const struct report *r)
{
	struct builder b = { .d = calloc(1, sizeof *b.d) };
	if (!b.d)
		return NULL;
	head_and_headline(&b, cfg, r);
	section_tips(&b, r);
	section_ack(&b, r);
	section_legal(&b, cfg, r);
	section_duty(&b, cfg, r);
	section_relay_officers(&b, r);
	text_block(&b, RDOC_NOTE, fmt(&b, "Báo cáo không chứa danh tính, số điện thoại, tài khoản "
	    "Zalo hay nội dung tin của người báo tin; tin báo chỉ được nêu bằng mã."));
	if (b.failed || !b.d->unit || !b.d->title || !b.d->period || !b.d->made ||
	    !b.d->place_date || !b.d->signer || !b.d->ward) {
		report_doc_free(b.d);
		return NULL;
	}
	return b.d;
}

static void
table_free(struct rdoc_table *t)
{
	for (size_t c = 0; t->head && c < t->cols; c++)
		free(t->head[c]);
	for (size_t i = 0; t->cell && i < t->rows * t->cols; i++)
		free(t->cell[i]);
	free(t->head);
	free(t->cell);
	free(t->align);
	free(t->strong);
}

static void
chart_free(struct rdoc_chart *c)
{
	for (size_t i = 0; i < c->n; i++) {
		free(c->labels ? c->labels[i] : NULL);
		free(c->tops ? c->tops[i] : NULL);
	}
	free(c->labels);
	free(c->tops);
	for (size_t s = 0; s < RDOC_SERIES_MAX; s++)
		free(c->series[s].values);
	free(c->y_title);
	free(c->x_title);
}

void
report_doc_free(struct rdoc *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->n; i++) {
		free(d->blocks[i].text);
		free(d->blocks[i].sub);
		table_free(&d->blocks[i].table);
		chart_free(&d->blocks[i].chart);
	}
	free(d->blocks);
	free(d->unit);
	free(d->title);
	free(d->period);
	free(d->made);
	free(d->place_date);
	free(d->signer);
	free(d->ward);
	free(d);
}
