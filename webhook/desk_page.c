/* desk_page — see desk_page.h. */
#include "webhook/desk_page.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/health.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"

struct page {
	char *p;
	size_t len, cap;
	int failed;
};

static void
put_n(struct page *pg, const char *s, size_t n)
{
	if (pg->failed)
		return;
	if (pg->len + n + 1 > DESK_PAGE_MAX) {
		pg->failed = 1;
		return;
	}
	if (pg->len + n + 1 > pg->cap) {
		size_t cap = pg->cap ? pg->cap : 8192;
		while (cap < pg->len + n + 1)
			cap *= 2;
		char *grown = realloc(pg->p, cap);
		if (!grown) {
			pg->failed = 1;
			return;
		}
		pg->p = grown;
		pg->cap = cap;
	}
	memcpy(pg->p + pg->len, s, n);
	pg->len += n;
	pg->p[pg->len] = '\0';
}

static void
put(struct page *pg, const char *s)
{
	put_n(pg, s, strlen(s));
}

static void put_f(struct page *pg, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Only for our own texts and numbers: never for outside text. */
static void
put_f(struct page *pg, const char *fmt, ...)
{
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof buf, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= sizeof buf) {
		pg->failed = 1;
		return;
	}
	put_n(pg, buf, (size_t)n);
}

/* Outside text: cleaned to valid UTF-8 without control characters, then
 * & < > " ' escaped; newlines become <br>. */
static void
put_text(struct page *pg, const char *s)
{
	char *clean = text_clean(s ? s : "", s ? strlen(s) : 0);
	if (!clean) {
		pg->failed = 1;
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
		case '\n': rep = "<br>"; break;
		case '\0': rep = ""; break;
		default: continue;
		}
		put_n(pg, run, (size_t)(q - run));
		put(pg, rep);
		run = q + 1;
		if (*q == '\0')
			break;
	}
	free(clean);
}

char *
desk_page_escape(const char *s)
{
	struct page pg = { 0 };
	put(&pg, "");
	put_text(&pg, s);
	if (pg.failed) {
		free(pg.p);
		return NULL;
	}
	return pg.p;
}

static const char style[] =
    "body{font-family:system-ui,sans-serif;margin:1em;color:#111;background:#fff}"
    "h1{font-size:1.3em;margin:0 0 .3em}"
    "p.sub{color:#555;margin:0 0 1em}"
    "table{border-collapse:collapse;width:100%}"
    "th,td{border:1px solid #ccc;padding:.35em .5em;text-align:left;vertical-align:top}"
    "th{background:#eee}"
    "td.t{unicode-bidi:isolate;max-width:40em;overflow-wrap:anywhere}"
    ".late{color:#fff;background:#b00020;font-weight:bold}"
    ".warn{background:#ffe08a;font-weight:bold}"
    ".urgent{color:#b00020;font-weight:bold}"
    ".ok{color:#1b5e20}"
    "footer{margin-top:1em;color:#555;font-size:.9em}"
    "p.health{padding:.4em .6em;font-weight:bold}"
    "p.health.ok{background:#e8f5e9;color:#1b5e20}"
    "p.health.degraded{background:#ffe08a}"
    "p.health.down{background:#b00020;color:#fff}";

/* "còn 7 phút" or "quá hạn 3 phút" (rounded towards the deadline). */
static void
put_countdown(struct page *pg, int64_t deadline, int64_t now)
{
	char hm[32];
	timeutil_format_hm(deadline, hm, sizeof hm);
	if (deadline >= now) {
		long long min = (long long)((deadline - now) / 60);
		put_f(pg, "<td>còn %lld phút<br><small>hạn %s</small></td>", min, hm);
	} else {
		long long min = (long long)((now - deadline + 59) / 60);
		put_f(pg, "<td class=\"late\">QUÁ HẠN %lld phút<br><small>hạn %s</small></td>", min, hm);
	}
}

/* A legal clock's deadline as the page writes it: "14:05 06/12/2026", or
 * for a clock by the day "hết ngày 09/12/2026". */
static void
clock_due(const struct tipclock_one *c, char *out, size_t outsz)
{
	if (c->by_day)
		snprintf(out, outsz, "hết ngày %02d/%02d/%04d", c->day.d, c->day.m, c->day.y);
	else
		timeutil_format_hm_dmy(c->due, out, outsz);
}

/* One legal clock's cell, as tipclock_of() left it: its deadline while it
 * runs (marked in its last 6 hours), QUÁ HẠN once passed, or the act done
 * (`done` names it: "đã chuyển", "đã báo") and when. */
static void
put_clock(struct page *pg, const char *name, const struct tipclock *clk,
    const struct tipclock_one *c, const char *done, const char *to)
{
	char due[48], at[40];
	clock_due(c, due, sizeof due);
	put_f(pg, "<td data-clock=\"%s\" data-state=\"%s\"", name,
	    tipclock_state_name(c->state));
	switch (c->state) {
	case TIPCLOCK_RUNNING:
		put_f(pg, "%s>%s</td>", c->due - clk->now <= 6 * 3600 ? " class=\"warn\"" : "", due);
		return;
	case TIPCLOCK_OVERDUE:
		put_f(pg, " class=\"late\">QUÁ HẠN<br><small>%s</small></td>", due);
		return;
	case TIPCLOCK_DONE:
	case TIPCLOCK_DONE_LATE:
		timeutil_format_hm_dmy(c->done_at, at, sizeof at);
		put_f(pg, " class=\"%s\">%s %s", c->state == TIPCLOCK_DONE ? "ok" : "warn", done, at);
		if (c->state == TIPCLOCK_DONE_LATE)
			put_f(pg, " (trễ hạn %s)", due);
		if (to) {
			put(pg, "<br><small>");
			put_text(pg, to);
			put(pg, "</small>");
		}
		put(pg, "</td>");
		return;
	case TIPCLOCK_ENDED:
		put(pg, ">—</td>");
		return;
	}
}

static void
put_row(struct page *pg, const struct config *cfg, const struct desk_row *r, int64_t now)
{
	const struct tip *t = r->t;
	char id[TRACKID_CODE_LEN + 16], when[40];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	timeutil_format_hm_dm(t->created_at, when, sizeof when);
	put(pg, "<tr><td><b>");
	put_text(pg, id);
	put(pg, "</b>");
	if (t->urgent)
		put(pg, "<br><span class=\"urgent\">KHẨN</span>");
	if (t->partial)
		put(pg, "<br><small>thiếu phần tin nhắn</small>");
	put_f(pg, "</td><td>%s</td>", when);
	/* status and the ack countdown */
	if (t->status == TIP_NEW && t->waiting) {
		put(pg, "<td class=\"late\">CHƯA AI TRỰC</td><td>cấp ");
		put_f(pg, "%d</td><td class=\"late\">không có người trực — thêm ca trực</td>", t->level);
	} else if (t->status == TIP_NEW) {
		put_f(pg, "<td class=\"warn\">Chưa có người nhận</td><td>cấp %d%s</td>", t->level,
		    t->level > 1 ? "<br><small>đã chuyển cấp</small>" : "");
		if (t->next_deadline)
			put_countdown(pg, t->next_deadline, now);
		else
			put(pg, "<td>—</td>");
	} else {
		put(pg, "<td class=\"ok\">Đã nhận: ");
		put_text(pg, t->acked_by_name ? t->acked_by_name : "?");
		put_f(pg, "</td><td>cấp %d</td><td>—</td>", t->level);
	}
	/* the legal clocks, as tipclock_of() computed them: pass on within 24 h
	 * (a recorded act: acknowledging is not passing on), the receipt notice
	 * within 3 working days, settling within 20 days (information) */
	put_clock(pg, "pass_on", &r->clk, &r->clk.pass_on, "đã chuyển", r->clk.passed_to);
	put_clock(pg, "notice", &r->clk, &r->clk.notice, "đã báo", NULL);
	put_clock(pg, "settle", &r->clk, &r->clk.settle, "", NULL);
	put(pg, "<td class=\"t\">");
	if (t->category) {
		put(pg, "<small>[");
		put_text(pg, category_name(t->category));
		put(pg, "]</small> ");
	}
	char *ex = text_truncate(t->text ? t->text : "", DESK_PAGE_TEXT_CHARS);
	if (!ex)
		pg->failed = 1;
	else
		put_text(pg, ex);
	free(ex);
	put(pg, "</td></tr>\n");
}

/* The gateway's status, in the words gateway/health.c gives it. */
static void
put_status(struct page *pg, const struct health_status *st)
{
	char line[2048];
	health_line(st, 1, line, sizeof line);
	put_f(pg, "<p class=\"health %s\" data-status=\"%s\">", health_level_name(st->level),
	    health_level_name(st->level));
	put_text(pg, line);
	put(pg, "</p>\n");
}

char *
desk_page_render(const struct config *cfg, const struct health_status *st,
    const struct desk_row *rows, size_t n, size_t more, int64_t now)
{
	struct page pg = { 0 };
	char at[40];
	timeutil_format_local(now, at, sizeof at);
	put(&pg, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
	put_f(&pg, "<meta http-equiv=\"refresh\" content=\"%d\">", DESK_PAGE_REFRESH);
	put(&pg, "<title>Bàn trực tin báo — ");
	put_text(&pg, cfg->ward);
	put(&pg, "</title><style>");
	put(&pg, style);
	put(&pg, "</style></head><body>\n<h1>Tin báo đang mở — ");
	put_text(&pg, cfg->ward);
	put_f(&pg, "</h1>\n<p class=\"sub\">%zu tin chưa đóng · cập nhật lúc %s · tự làm mới mỗi "
	    "%d giây</p>\n", n + more, at, DESK_PAGE_REFRESH);
	if (st)
		put_status(&pg, st);
	if (n == 0) {
		put(&pg, "<p>Không có tin báo nào đang mở.</p>\n");
	} else {
		put(&pg, "<table>\n<thead><tr><th>Mã tin</th><th>Nhận lúc</th><th>Trạng thái</th>"
		    "<th>Cấp</th><th>Hạn xác nhận</th><th>Chuyển xử lý (24 giờ)</th>"
		    "<th>Báo nhận (3 ngày làm việc)</th><th>Giải quyết (20 ngày)</th>"
		    "<th>Nội dung</th></tr></thead>\n<tbody>\n");
		for (size_t i = 0; i < n && !pg.failed; i++)
			put_row(&pg, cfg, &rows[i], now);
		put(&pg, "</tbody></table>\n");
	}
	if (more)
		put_f(&pg, "<p class=\"warn\">Còn %zu tin đang mở không hiện ở đây: xem bằng lệnh "
		    "<code>tinbao tips --open</code>.</p>\n", more);
	put(&pg, "<footer>Người gửi tin luôn được bảo mật: trang này không bao giờ hiện số điện "
	    "thoại hay tài khoản Zalo của người báo tin. Mỗi lần xem trang được ghi vào nhật ký "
	    "kiểm tra. Xác nhận tin: nhắn <code>OK &lt;mã&gt;</code> hoặc dùng lệnh "
	    "<code>tinbao ack</code>.</footer>\n</body></html>\n");
	if (pg.failed) {
		free(pg.p);
		return NULL;
	}
	return pg.p;
}
