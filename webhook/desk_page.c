/* desk_page — see desk_page.h. */
#include "webhook/desk_page.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/health.h"
#include "gateway/html.h"
#include "gateway/report.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"

char *
desk_page_escape(const char *s)
{
	struct html h;
	html_init(&h, DESK_PAGE_MAX);
	html_text(&h, s, 1);
	return html_take(&h, NULL);
}

static const char style[] =
    "body{font-family:'DejaVu Sans','Noto Sans',system-ui,sans-serif;margin:0;color:#111;"
    "background:#f4f5f7}"
    "header.top{display:flex;flex-wrap:wrap;align-items:center;gap:.4em 1.5em;"
    "padding:.7em 1em;background:#16324f;color:#fff}"
    "header.top h1{font-size:1.25em;margin:0;flex:1 1 auto}"
    "header.top a{color:#fff;font-weight:bold}"
    "header.top small{color:#cdd6e0}"
    ".share{font-size:1.05em}.share b{font-size:1.6em}"
    ".share.low b{color:#ffb4a9}.share.good b{color:#b9f6ca}"
    "#status{display:flex;flex-wrap:wrap;gap:.4em;padding:.5em 1em;"
    "border-bottom:3px solid #2e7d32;background:#e8f5e9}"
    "#status.warn{border-bottom-color:#e0b400;background:#fff8e1}"
    "#status.bad{border-bottom-color:#b00020;background:#fdecea}"
    "#status .item{background:#fff;border:1px solid #c8d1da;border-radius:4px;"
    "padding:.25em .6em;font-size:.9em}"
    "#status .item.bad{background:#b00020;color:#fff;border-color:#b00020;font-weight:bold}"
    "#status .item.warn{background:#ffe08a;border-color:#e0b400}"
    "main{padding:.5em 1em 1em}"
    "h2{font-size:1.1em;margin:1em 0 .4em}"
    "table{border-collapse:collapse;width:100%;background:#fff}"
    "th,td{border:1px solid #c8d1da;padding:.35em .5em;text-align:left;vertical-align:top}"
    "th{background:#e9edf1;font-size:.9em}"
    "td.t{unicode-bidi:isolate;max-width:32em;overflow-wrap:anywhere}"
    "td.id b{font-size:1.05em}"
    ".late{color:#fff;background:#b00020;font-weight:bold}"
    ".warn{background:#ffe08a;font-weight:bold}"
    ".urgent{display:inline-block;color:#fff;background:#b00020;font-weight:bold;"
    "padding:0 .35em;border-radius:3px;font-size:.85em}"
    ".call{display:inline-block;background:#1f5fa8;color:#fff;padding:0 .35em;"
    "border-radius:3px;font-size:.85em}"
    ".ok{color:#1b5e20}.soft{color:#555;font-size:.9em}"
    "td.nw{white-space:nowrap}td[data-clock]{min-width:8em}"
    "footer{margin:1em;color:#555;font-size:.85em}"
    "#status p.health{flex:1 1 100%;margin:0;padding:.3em .6em;font-weight:bold;"
    "border-radius:4px}"
    "p.health.ok{background:#e8f5e9;color:#1b5e20}"
    "p.health.degraded{background:#ffe08a}"
    "p.health.down{background:#b00020;color:#fff}";

/* "vừa nhận", "12 phút trước", "2 giờ 05 phút trước": how old, for people
 * at a desk. */
static void
age(int64_t s, char *out, size_t outsz)
{
	long long v = (long long)(s < 0 ? 0 : s);
	if (v < 60)
		snprintf(out, outsz, "vừa nhận");
	else if (v < 3600)
		snprintf(out, outsz, "%lld phút trước", v / 60);
	else if (v < 86400)
		snprintf(out, outsz, "%lld giờ %02lld phút trước", v / 3600, v % 3600 / 60);
	else
		snprintf(out, outsz, "%lld ngày %lld giờ trước", v / 86400, v % 86400 / 3600);
}

static void
tip_id(const struct config *cfg, const struct tip *t, char *out, size_t outsz)
{
	trackid_format(cfg->tracking_prefix, t->code, out, outsz);
}

/* ------------------------------------------------------------- the top */

static void
top(struct html *h, const struct config *cfg, const struct desk_view *v)
{
	char at[40], pc[16];
	timeutil_format_local(v->now, at, sizeof at);
	html_put(h, "<header class=\"top\"><h1>Bàn trực tin báo — ");
	html_text(h, cfg->ward, 0);
	html_put(h, "</h1>");
	const struct report *r = v->today;
	if (r && r->decided) {
		report_percent(r->share_permille, pc, sizeof pc);
		html_printf(h, "<div class=\"share %s\" id=\"share\">Hôm nay: <b>%s%%</b> tin được nhận "
		    "trong hạn (%zu/%zu)", r->in_time == r->decided ? "good" : "low", pc, r->in_time,
		    r->decided);
	} else {
		html_put(h, "<div class=\"share\" id=\"share\">Hôm nay: chưa có tin nào đến hạn nhận");
	}
	if (r && r->pending)
		html_printf(h, " · %zu tin còn trong hạn", r->pending);
	html_put(h, "</div>");
	html_printf(h, "<a id=\"report\" href=\"/report?month=%.7s\">Báo cáo tháng %.2s/%.4s</a>",
	    v->month, v->month + 5, v->month);
	html_put(h, "<small>cập nhật ");
	html_text(h, at, 0);
	html_printf(h, " · tự làm mới mỗi %d giây</small></header>\n", DESK_PAGE_REFRESH);
}

/* ------------------------------------------------------ the status strip */

static void
item(struct html *h, const char *cls, const char *id)
{
	html_printf(h, "<div class=\"item%s%s\"%s%s%s>", *cls ? " " : "", cls, id ? " id=\"" : "",
	    id ? id : "", id ? "\"" : "");
}

/* "nhận lúc 14:05 22/11" or "chưa nhận tin nào" (verb: "nhận", "gửi"). */
static void
last_message(const char *verb, int64_t t, char *out, size_t outsz)
{
	char when[32];
	if (!t) {
		snprintf(out, outsz, "chưa %s tin nào", verb);
		return;
	}
	timeutil_format_hm_dm(t, when, sizeof when);
	snprintf(out, outsz, "%s lúc %s", verb, when);
}

/* The issue gateway/health.c found with `what` (of the part `name`, or
 * any when NULL), or NULL: the strip marks a part by its judgement. */
static const struct health_issue *
issue_of(const struct desk_view *v, enum health_problem what, const char *name)
{
	for (size_t i = 0; v->status && i < v->status->n; i++) {
		const struct health_issue *is = &v->status->issue[i];
		if (is->what == what && (!name || (is->name && strcmp(is->name, name) == 0)))
			return is;
	}
	return NULL;
}

/* Each part, marked "bad" when gateway/health.c judged it a problem, "warn"
 * when it is not working but not (yet) one (a modem down for less than its
 * down_alarm, messages waiting). */
static void
strip_modems(struct html *h, const struct desk_view *v)
{
	const struct health_snapshot *s = v->health;
	for (size_t i = 0; s && i < s->n_modems && i < 8; i++) {
		const struct modem_health *m = &s->modem[i];
		char in[48], out[48], since[32];
		last_message("nhận", v->last_in[i], in, sizeof in);
		last_message("gửi", v->last_out[i], out, sizeof out);
		item(h, m->connected ? "" : issue_of(v, HEALTH_MODEM, s->modem_name[i]) ? "bad" :
		    "warn", "st-modem");
		html_put(h, "SMS ");
		html_text(h, s->modem_name[i], 0);
		if (m->connected) {
			html_put(h, ": đã kết nối");
			if (m->signal_percent >= 0)
				html_printf(h, " · sóng %d%%", m->signal_percent);
		} else {
			timeutil_format_hm_dm(m->down_since, since, sizeof since);
			html_put(h, ": MẤT KẾT NỐI");
			if (m->down_since)
				html_printf(h, " từ %s", since);
			/* why, in the desk's words; gammu's own text only when
			 * there are none for it */
			if (m->fault != MODEM_FAULT_NONE && m->fault != MODEM_FAULT_OTHER) {
				html_put(h, " (");
				html_text(h, health_fault_text(m->fault, 1), 0);
				html_put(h, ")");
			} else if (m->last_error[0]) {
				html_put(h, " (");
				html_text(h, m->last_error, 0);
				html_put(h, ")");
			}
		}
		html_printf(h, " · %s · %s</div>", in, out);
	}
}

/* Each Zalo channel the configuration names: receiving (its webhook) and
 * sending (the token tinbaod holds). */
static void
strip_zalo(struct html *h, const struct config *cfg, const struct desk_view *v)
{
	const struct zalo_health *z = &v->health->zalo;
	char t[32], out[48];
	if (z->oa || (cfg->oa_app_id && *cfg->oa_app_id)) {
		int reauth = z->oa && z->oa_reauth;
		last_message("gửi", v->zalo_last_out[0], out, sizeof out);
		item(h, issue_of(v, HEALTH_OA_REAUTH, NULL) || issue_of(v, HEALTH_OA_EXPIRED, NULL) ?
		    "bad" : z->oa && !z->oa_token_expires ? "warn" : "", "st-zalo-oa");
		if (!z->oa) {
			html_put(h, "Zalo OA: nhận tin; chưa cấu hình gửi trả lời");
		} else if (reauth) {
			html_put(h, "Zalo OA: CẦN CẤP QUYỀN LẠI (tinbao zalo-oa token)");
		} else if (z->oa_token_expires) {
			timeutil_format_hm_dm(z->oa_token_expires, t, sizeof t);
			html_printf(h, "Zalo OA: token %s đến %s", z->oa_token_expires <= v->now ?
			    "HẾT HẠN từ" : "còn hạn", t);
		} else {
			html_put(h, "Zalo OA: chưa có token truy cập");
		}
		if (z->oa)
			html_printf(h, " · %s", out);
		html_put(h, "</div>");
	}
	if (z->bot || (cfg->bot_webhook_secret_file && *cfg->bot_webhook_secret_file)) {
		last_message("gửi", v->zalo_last_out[1], out, sizeof out);
		item(h, issue_of(v, HEALTH_BOT_REFUSED, NULL) ? "bad" : "", "st-zalo-bot");
		if (!z->bot) {
			html_put(h, "Zalo Bot: nhận tin; chưa cấu hình gửi trả lời");
		} else if (z->bot_paused_until > v->now) {
			timeutil_format_hm_dm(z->bot_paused_until, t, sizeof t);
			html_printf(h, "Zalo Bot: TẠM DỪNG đến %s (token bị từ chối)", t);
		} else {
			html_put(h, "Zalo Bot: hoạt động");
		}
		if (z->bot)
			html_printf(h, " · %s", out);
		html_put(h, "</div>");
	}
	if ((z->oa || z->bot) && z->last_error[0]) {
		item(h, "warn", "st-zalo-error");
		html_put(h, "Zalo, lỗi gần nhất: ");
		html_text(h, z->last_error, 0);
		html_put(h, "</div>");
	}
}

/* The messages waiting to be sent, as the snapshot counted them. */
static void
strip_outbox(struct html *h, const struct desk_view *v)
{
	const struct health_snapshot *s = v->health;
	if (!s->outbox_known)
		return;
	item(h, issue_of(v, HEALTH_OUTBOX, NULL) ? "bad" : s->outbox_waiting ? "warn" : "",
	    "st-outbox");
	if (s->outbox_waiting) {
		char since[32];
		timeutil_format_hm_dm(s->outbox_oldest, since, sizeof since);
		html_printf(h, "Hàng đợi gửi: %lld tin chờ gửi, cũ nhất từ %s</div>",
		    (long long)s->outbox_waiting, since);
	} else {
		html_put(h, "Hàng đợi gửi: trống</div>");
	}
}

/* The roster's part (not the gateway's health): 1 when it needs a hand. */
static int
strip_duty(struct html *h, const struct desk_view *v)
{
	int anyone = 0, everyone = 1, bad = 0;
	for (int l = 0; l < DESK_LEVELS; l++) {
		anyone |= v->duty->n[l] > 0;
		everyone &= v->duty->n[l] > 0;
	}
	item(h, !anyone ? "bad" : everyone ? "" : "warn", "st-duty");
	if (!anyone) {
		html_put(h, "KHÔNG CÓ AI TRỰC ở cấp nào: thêm ca trực (tinbao shift add)</div>");
		bad = 1;
	} else {
		html_put(h, "Đang trực:");
		for (int l = 0; l < DESK_LEVELS; l++) {
			html_printf(h, "%s cấp %d ", l ? " ·" : "", l + 1);
			if (!v->duty->n[l])
				html_put(h, "<b>không có ai</b>");
			for (size_t i = 0; i < v->duty->n[l]; i++) {
				if (i)
					html_put(h, ", ");
				html_text(h, v->duty->names[l][i], 0);
			}
		}
		html_put(h, "</div>");
	}
	if (v->waiting) {
		item(h, "bad", "st-alarm");
		html_printf(h, "BÁO ĐỘNG: %zu tin đang chờ vì không có ai trực</div>", v->waiting);
		bad = 1;
	}
	return bad;
}

/* The strip: the gateway's status line in the words gateway/health.c gives
 * it (the same judgement as /healthz), the parts it judged, the roster. Red
 * when the gateway is down or the roster needs a hand, yellow when
 * degraded. */
static void
strip(struct html *h, const struct config *cfg, const struct desk_view *v)
{
	struct html body;
	html_init(&body, DESK_PAGE_MAX);
	enum health_level level = HEALTH_OK;
	if (!v->health || !v->status) {
		item(&body, "warn", "st-health");
		html_put(&body, "Tình trạng hệ thống: không rõ</div>");
	} else {
		char line[2048];
		level = v->status->level;
		health_line(v->status, 1, line, sizeof line);
		html_printf(&body, "<p class=\"health %s\" data-status=\"%s\">",
		    health_level_name(level), health_level_name(level));
		html_text(&body, line, 0);
		html_put(&body, "</p>");
		item(&body, v->health->db_writable ? "" : "bad", "st-db");
		if (v->health->db_writable) {
			html_put(&body, "Cơ sở dữ liệu: ghi được</div>");
		} else {
			html_put(&body, "CƠ SỞ DỮ LIỆU KHÔNG GHI ĐƯỢC: ");
			html_text(&body, v->health->db_error, 0);
			html_put(&body, "</div>");
		}
		strip_modems(&body, v);
		strip_zalo(&body, cfg, v);
		strip_outbox(&body, v);
	}
	int roster_bad = strip_duty(&body, v);
	size_t len = 0;
	char *items = html_take(&body, &len);
	if (!items) {
		h->failed = 1;
		return;
	}
	html_printf(h, "<section id=\"status\" class=\"%s\" aria-label=\"Tình trạng\">",
	    level == HEALTH_DOWN || roster_bad ? "bad" : level == HEALTH_DEGRADED ? "warn" : "ok");
	html_putn(h, items, len);
	html_put(h, "</section>\n");
	free(items);
}

/* ----------------------------------------------------------- the tips */

/* "còn 7 phút" or "QUÁ HẠN 3 phút" to the next escalation. */
static void
countdown(struct html *h, int64_t deadline, int64_t now)
{
	char hm[32];
	timeutil_format_hm(deadline, hm, sizeof hm);
	if (deadline >= now) {
		long long s = (long long)(deadline - now);
		html_printf(h, "<td class=\"%s\">còn ", s < 120 ? "warn" : "");
		if (s < 60)
			html_printf(h, "%lld giây", s);
		else
			html_printf(h, "%lld phút", s / 60);
		html_printf(h, "<br><small>chuyển cấp lúc %s</small></td>", hm);
	} else {
		long long min = (long long)((now - deadline + 59) / 60);
		html_printf(h, "<td class=\"late\">QUÁ HẠN %lld phút<br><small>hạn %s</small></td>", min,
		    hm);
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
put_clock(struct html *h, const char *name, const struct tipclock *clk,
    const struct tipclock_one *c, const char *done, const char *to)
{
	char due[48], at[40];
	clock_due(c, due, sizeof due);
	html_printf(h, "<td data-clock=\"%s\" data-state=\"%s\"", name,
	    tipclock_state_name(c->state));
	switch (c->state) {
	case TIPCLOCK_RUNNING:
		html_printf(h, "%s>%s</td>", c->due - clk->now <= 6 * 3600 ? " class=\"warn\"" : "", due);
		return;
	case TIPCLOCK_OVERDUE:
		html_printf(h, " class=\"late\">QUÁ HẠN<br><small>%s</small></td>", due);
		return;
	case TIPCLOCK_DONE:
	case TIPCLOCK_DONE_LATE:
		timeutil_format_hm_dmy(c->done_at, at, sizeof at);
		html_printf(h, " class=\"%s\">%s %s", c->state == TIPCLOCK_DONE ? "ok" : "warn", done, at);
		if (c->state == TIPCLOCK_DONE_LATE)
			html_printf(h, " (trễ hạn %s)", due);
		if (to) {
			html_put(h, "<br><small>");
			html_text(h, to, 0);
			html_put(h, "</small>");
		}
		html_put(h, "</td>");
		return;
	case TIPCLOCK_ENDED:
		html_put(h, ">—</td>");
		return;
	}
}

static void
open_row(struct html *h, const struct config *cfg, const struct desk_row *r, int64_t now)
{
	const struct tip *t = r->t;
	char id[TRACKID_CODE_LEN + 16], when[40], old[48];
	tip_id(cfg, t, id, sizeof id);
	timeutil_format_hm_dm(t->created_at, when, sizeof when);
	age(now - t->created_at, old, sizeof old);
	html_put(h, "<tr class=\"tip\" id=\"tip-");
	html_text(h, id, 0);
	html_put(h, "\"><td class=\"id\"><b>");
	html_text(h, id, 0);
	html_put(h, "</b>");
	if (t->urgent)
		html_put(h, " <span class=\"urgent\">KHẨN</span>");
	if (t->partial)
		html_put(h, "<br><small>thiếu phần tin nhắn</small>");
	if (r->calling[0]) {
		/* a call rings now (the outbox row handed to a modem, calls.h) */
		html_put(h, "<br><span class=\"call\">&#9742; đang gọi ");
		html_text(h, r->calling, 0);
		html_put(h, "</span>");
	}
	html_put(h, "</td><td>");
	html_text(h, category_name(t->category ? t->category : "khac"), 0);
	html_printf(h, "</td><td class=\"nw\">%s<br><small>%s</small></td>", when, old);
	html_printf(h, "<td class=\"nw\">cấp %d<br><small>%s</small></td>", t->level,
	    report_level_name(t->level));
	/* who has it, or who is being paged now, and the countdown */
	if (t->status == TIP_NEW && (t->waiting || !t->next_deadline)) {
		html_put(h, "<td class=\"paged late\">CHƯA AI TRỰC — tin chờ ca trực kế tiếp</td>"
		    "<td>—</td>");
	} else if (t->status == TIP_NEW) {
		if (r->n_paged) {
			html_put(h, "<td class=\"paged\">Đang báo: ");
			for (size_t i = 0; i < r->n_paged; i++) {
				if (i)
					html_put(h, ", ");
				html_text(h, r->paged[i], 0);
			}
			html_put(h, "</td>");
		} else {
			html_printf(h, "<td class=\"paged late\">Không có ai trực cấp %d lúc này</td>",
			    t->level);
		}
		countdown(h, t->next_deadline, now);
	} else {
		char at[32];
		timeutil_format_hm_dm(t->acked_at, at, sizeof at);
		html_put(h, "<td class=\"ok\">Đã nhận: ");
		html_text(h, t->acked_by_name ? t->acked_by_name : "?", 0);
		html_printf(h, "<br><small>lúc %s</small></td><td>—</td>", at);
	}
	/* the legal clocks, as tipclock_of() computed them: pass on within 24 h
	 * (a recorded act: acknowledging is not passing on), the receipt notice
	 * within 3 working days, settling within 20 days (information) */
	put_clock(h, "pass_on", &r->clk, &r->clk.pass_on, "đã chuyển", r->clk.passed_to);
	put_clock(h, "notice", &r->clk, &r->clk.notice, "đã báo", NULL);
	put_clock(h, "settle", &r->clk, &r->clk.settle, "", NULL);
	html_put(h, "<td class=\"t\">");
	char *ex = text_truncate(t->text ? t->text : "", DESK_PAGE_TEXT_CHARS);
	if (!ex)
		h->failed = 1;
	else
		html_text(h, ex, 1);
	free(ex);
	html_put(h, "</td></tr>\n");
}

static void
open_tips(struct html *h, const struct config *cfg, const struct desk_view *v)
{
	html_printf(h, "<h2>Tin báo đang mở (%zu)</h2>\n", v->n_open + v->more);
	if (!v->n_open) {
		html_put(h, "<p id=\"none-open\">Không có tin báo nào đang mở.</p>\n");
		return;
	}
	html_put(h, "<table id=\"open\">\n<thead><tr><th>Mã tin</th><th>Loại</th><th>Nhận lúc</th>"
	    "<th>Cấp</th><th>Người được báo</th><th>Chuyển cấp</th><th>Chuyển xử lý (24 giờ)</th>"
	    "<th>Báo nhận (3 ngày làm việc)</th><th>Giải quyết (20 ngày)</th>"
	    "<th>Nội dung</th></tr></thead>\n<tbody>\n");
	for (size_t i = 0; i < v->n_open && !h->failed; i++)
		open_row(h, cfg, &v->open[i], v->now);
	html_put(h, "</tbody></table>\n");
	if (v->more)
		html_printf(h, "<p class=\"warn\">Còn %zu tin đang mở không hiện ở đây: xem bằng lệnh "
		    "<code>tinbao tips --open</code>.</p>\n", v->more);
}

/* Acknowledged today (still open) or closed today. */
static void
today_tips(struct html *h, const struct config *cfg, const struct tip *v, size_t n, int closed)
{
	html_printf(h, "<h2>%s hôm nay (%zu)</h2>\n", closed ? "Đã đóng" : "Đã nhận", n);
	if (!n) {
		html_printf(h, "<p class=\"soft\">Chưa có tin nào %s hôm nay.</p>\n",
		    closed ? "được đóng" : "được nhận");
		return;
	}
	html_printf(h, "<table id=\"%s\"><thead><tr><th>Mã tin</th><th>Loại</th><th>Nhận lúc</th>"
	    "<th>Cán bộ nhận</th><th>Thời gian nhận</th>%s</tr></thead>\n<tbody>\n",
	    closed ? "closed" : "acked", closed ? "<th>Đóng</th>" : "");
	for (size_t i = 0; i < n; i++) {
		const struct tip *t = &v[i];
		char id[TRACKID_CODE_LEN + 16], when[40], at[40], took[48];
		tip_id(cfg, t, id, sizeof id);
		timeutil_format_hm_dm(t->created_at, when, sizeof when);
		timeutil_format_hm_dm(t->acked_at, at, sizeof at);
		report_duration(t->acked_at - t->created_at, took, sizeof took);
		html_put(h, "<tr class=\"tip\"><td class=\"id\"><b>");
		html_text(h, id, 0);
		html_put(h, "</b></td><td>");
		html_text(h, category_name(t->category ? t->category : "khac"), 0);
		html_printf(h, "</td><td>%s</td><td>", when);
		html_text(h, t->acked_by_name ? t->acked_by_name : "?", 0);
		int in_time = report_in_time(cfg, t->urgent, t->created_at, t->acked_at);
		html_printf(h, "<br><small>lúc %s</small></td><td class=\"%s\">%s%s</td>", at,
		    in_time ? "ok" : "warn", took, in_time ? "" : " (trễ hạn)");
		if (closed) {
			timeutil_format_hm_dm(t->closed_at, at, sizeof at);
			html_printf(h, "<td>%s<br><small>", at);
			html_text(h, t->closed_by_name ? t->closed_by_name : "?", 0);
			html_put(h, "</small></td>");
		}
		html_put(h, "</tr>\n");
	}
	html_put(h, "</tbody></table>\n");
}

char *
desk_page_render(const struct config *cfg, const struct desk_view *v)
{
	struct html h;
	html_init(&h, DESK_PAGE_MAX);
	html_put(&h, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
	    "<meta name=\"viewport\" content=\"width=device-width,initial-scale=1\">");
	html_printf(&h, "<meta http-equiv=\"refresh\" content=\"%d\">", DESK_PAGE_REFRESH);
	html_put(&h, "<title>Bàn trực tin báo — ");
	html_text(&h, cfg->ward, 0);
	html_put(&h, "</title><style>");
	html_put(&h, style);
	html_put(&h, "</style></head><body>\n");
	top(&h, cfg, v);
	strip(&h, cfg, v);
	html_put(&h, "<main>\n");
	open_tips(&h, cfg, v);
	today_tips(&h, cfg, v->acked, v->n_acked, 0);
	today_tips(&h, cfg, v->closed, v->n_closed, 1);
	html_put(&h, "</main>\n<footer>Người gửi tin luôn được bảo mật: trang này không bao giờ hiện "
	    "số điện thoại hay tài khoản Zalo của người báo tin. Mỗi lần xem trang được ghi vào nhật "
	    "ký kiểm tra. Nhận tin: nhắn <code>OK &lt;mã&gt;</code> hoặc dùng lệnh "
	    "<code>tinbao ack</code>.</footer>\n</body></html>\n");
	return html_take(&h, NULL);
}
