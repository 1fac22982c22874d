/* Unit tests: the period report's figures (gateway/report.c over
 * db/db_report.c) on a month built statement by statement with known
 * answers, its periods, its words, its HTML and PDF, and the desk console's
 * page. Times are pinned in Hà Nội's zone, so it holds on any day. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/config.h"
#include "gateway/health.h"
#include "gateway/report.h"
#include "gateway/report_doc.h"
#include "gateway/report_html.h"
#include "gateway/report_json.h"
#include "gateway/report_pdf.h"
#include "gateway/timeutil.h"
#include "webhook/desk_page.h"
#include "tests/unit/unit.h"

static char dbpath[256];

static void
zone(void)
{
	CHECK(timeutil_set_zone("Asia/Ho_Chi_Minh") == 0);
}

/* Local time in March 2026 (or day 0 = 28 February). */
static int64_t
at(int day, int h, int m)
{
	int64_t t = day ? timeutil_local_midnight(2026, 3, day) : timeutil_local_midnight(2026, 2,
	    28);
	return t + h * 3600 + m * 60;
}

static struct config
config(void)
{
	struct config c;
	memset(&c, 0, sizeof c);
	c.ack_deadline_ms = 600000;
	c.urgent_deadline_ms = 300000;
	c.level_deadline_ms = 300000;
	c.tracking_prefix = "TB";
	c.ward = "Phường Thạch Khôi";
	return c;
}

static int64_t
officer(struct db *db, const char *name, const char *phone)
{
	struct officer o = { .name = (char *)name, .phone = (char *)phone, .channel = "sms",
		.role = "officer", .active = 1 };
	return db_officer_add(db, &o, 1);
}

static int64_t
tip(struct db *db, const char *code, const char *channel, int urgent, int64_t created)
{
	struct tip t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "%s", code);
	t.channel = (char *)channel;
	t.pseudonym = "p";
	t.category = "trom_cap";
	t.urgent = urgent;
	t.text = "tin";
	t.created_at = created;
	t.last_citizen_at = created;
	t.level = 1;
	return db_tip_insert(db, &t);
}

/* The month of the header comment of test_month: 8 tips, one outside. */
static struct db *
month(int64_t *now, int64_t *officer_a, int64_t *officer_b)
{
	struct db *db = unit_fresh_db("report", dbpath, sizeof dbpath);
	if (!db)
		return NULL;
	CHECK(db_begin(db) == 0);
	int64_t a = officer(db, "Nguyễn Văn An", "+84900000001");
	int64_t b = officer(db, "Trần Thị Bình", "+84900000002");
	*officer_a = a;
	*officer_b = b;
	/* nobody on duty from 10 March 00:00 to 06:00 */
	CHECK(db_shift_add(db, a, 1, 0, at(1, 0, 0), at(10, 0, 0), 1) > 0);
	CHECK(db_shift_add(db, b, 2, 0, at(1, 0, 0), at(10, 0, 0), 1) > 0);
	CHECK(db_shift_add(db, a, 1, 0, at(10, 6, 0), at(31, 0, 0) + 86400, 1) > 0);
	CHECK(db_shift_add(db, b, 2, 0, at(10, 6, 0), at(31, 0, 0) + 86400, 1) > 0);
	int64_t t1 = tip(db, "AAAAAA", "sms", 0, at(2, 8, 0));
	int64_t t2 = tip(db, "BBBBBB", "zalo_bot", 0, at(2, 9, 0));
	int64_t t3 = tip(db, "CCCCCC", "sms", 0, at(3, 10, 0));
	int64_t t4 = tip(db, "DDDDDD", "sms", 1, at(4, 11, 0));
	int64_t t5 = tip(db, "EEEEEE", "sms", 0, at(5, 12, 0));
	int64_t t6 = tip(db, "FFFFFF", "sms", 0, at(10, 2, 0));
	int64_t t7 = tip(db, "GGGGGG", "sms", 0, at(0, 23, 0));     /* February */
	int64_t t8 = tip(db, "HHHHHH", "sms", 0, at(20, 10, 0));
	CHECK(t1 > 0 && t2 > 0 && t3 > 0 && t4 > 0 && t5 > 0 && t6 > 0 && t7 > 0 && t8 > 0);
	int64_t told[][3] = { { t1, a, at(2, 8, 0) }, { t2, a, at(2, 9, 0) },
		{ t3, a, at(3, 10, 0) }, { t4, a, at(4, 11, 0) }, { t5, a, at(5, 12, 0) },
		{ t6, a, at(10, 6, 0) }, { t3, b, at(3, 10, 10) }, { t5, b, at(5, 12, 10) },
		{ t7, a, at(0, 23, 0) } };
	for (size_t i = 0; i < sizeof told / sizeof told[0]; i++)
		CHECK(db_notified_add(db, told[i][0], told[i][1], told[i][1] == b ? 2 : 1,
		    told[i][2]) == 0);
	CHECK(db_tip_ack(db, t1, a, at(2, 8, 1)) == 0);               /* 60 s */
	CHECK(db_tip_ack(db, t2, a, at(2, 9, 2)) == 0);               /* 120 s */
	CHECK(db_escalation_add(db, t3, 1, 2, "no acknowledgement", at(3, 10, 10)) == 0);
	CHECK(db_tip_ack(db, t3, b, at(3, 10, 15)) == 0);             /* 900 s, level 2 */
	CHECK(db_tip_ack(db, t4, a, at(4, 11, 3)) == 0);              /* 180 s, urgent */
	CHECK(db_escalation_add(db, t5, 1, 2, "no acknowledgement", at(5, 12, 10)) == 0);
	CHECK(db_escalation_add(db, t5, 2, 2, "repeat", at(5, 12, 20)) == 0);
	CHECK(db_audit(db, at(10, 2, 0), "tinbaod", "tip.nobody_on_duty", t6, NULL) == 0);
	CHECK(db_audit(db, at(0, 23, 0), "tinbaod", "tip.nobody_on_duty", t7, NULL) == 0);
	CHECK(db_tip_ack(db, t6, a, at(10, 7, 0)) == 0);              /* 5 h, level 1 */
	CHECK(db_tip_ack(db, t7, a, at(0, 23, 1)) == 0);
	CHECK(db_tip_pass_set(db, t1, "Cơ quan CSĐT", a, at(2, 8, 30)) == 1);   /* in time */
	CHECK(db_tip_close(db, t1, a, NULL, at(2, 9, 0)) == 0);
	CHECK(db_tip_notice_set(db, t1, at(3, 9, 0)) == 1);           /* in time */
	CHECK(db_tip_notice_set(db, t3, at(12, 9, 0)) == 1);          /* late */
	/* relayed questions: one answered, one not */
	CHECK(db_tip_message_add(db, t1, "in", 0, 0, "tin", at(2, 8, 0)) == 0);
	CHECK(db_tip_message_add(db, t1, "out", 0, a, "HOI", at(2, 8, 3)) == 0);
	CHECK(db_tip_message_add(db, t1, "in", 0, 0, "đáp", at(2, 8, 5)) == 0);
	CHECK(db_tip_message_add(db, t2, "out", 0, a, "HOI", at(2, 9, 5)) == 0);
	CHECK(db_commit(db) == 0);
	*now = at(20, 10, 1) + 40;                                    /* t8 still in time */
	return db;
}

static void
test_month(void)
{
	zone();
	struct config cfg = config();
	int64_t now, a, b, from, to;
	char err[128];
	struct db *db = month(&now, &a, &b);
	if (!db)
		return;
	CHECK(report_month("2026-03", &from, &to, err, sizeof err) == 0);
	struct report r;
	CHECK(report_compute(db, &cfg, from, to, now, &r) == 0);
	CHECK(r.tips == 7 && r.n_days == 31 && r.n_weeks == 6);
	CHECK(r.channels[0].n == 6 && r.channels[2].n == 1 && r.channels[1].n == 0);
	CHECK(r.in_time == 3 && r.late == 2 && r.never == 1 && r.pending == 1 && r.decided == 6);
	CHECK(r.late_at_level[1] == 1 && r.late_at_level[2] == 1 && r.late_at_level[3] == 0);
	CHECK(r.share_permille == 500);
	/* 60, 120, 180, 900, 18000 s */
	CHECK(r.tta.n == 5 && r.tta.median == 180 && r.tta.p90 == 18000 && r.tta.max == 18000);
	CHECK(r.tta_channel[0].n == 4 && r.tta_channel[0].median == 540);   /* (180+900)/2 */
	CHECK(r.tta_channel[2].n == 1 && r.tta_channel[2].median == 120);
	CHECK(r.tta_bins[1] == 1 && r.tta_bins[2] == 2 && r.tta_bins[3] == 0 && r.tta_bins[5] == 1 &&
	    r.tta_bins[REPORT_TTA_BINS - 1] == 1 && r.tta_bins[0] == 0);
	CHECK(r.hours[10] == 2 && r.hours[2] == 1 && r.hours[23] == 0);
	CHECK(r.days[1].tips == 2 && r.days[1].in_time == 2 && r.days[9].late == 1 &&
	    r.days[19].pending == 1);
	CHECK(r.weeks[0].tips == 0 && r.weeks[1].tips == 5 && r.weeks[1].decided == 5 &&
	    r.weeks[1].in_time == 3 && r.weeks[5].start == at(30, 0, 0) && r.weeks[5].end == to);
	/* the legal clocks are tipclock_of()'s: passing on is the recorded act
	 * (AAAAAA's), not the close; settling is never done here, and the
	 * close of AAAAAA ended it */
	CHECK(r.pass_on.on_time == 1 && r.pass_on.late == 5 && r.pass_on.pending == 1 &&
	    r.pass_on.ended == 0);
	CHECK(strcmp(r.pass_on.late_codes[0], "BBBBBB") == 0);
	CHECK(r.notice.on_time == 1 && r.notice.late == 5 && r.notice.pending == 1);
	CHECK(strcmp(r.notice.late_codes[1], "CCCCCC") == 0);
	CHECK(r.settle.on_time == 0 && r.settle.late == 0 && r.settle.pending == 6 &&
	    r.settle.ended == 1);
	CHECK(r.n_alarms == 1 && strcmp(r.alarms[0].code, "FFFFFF") == 0);
	CHECK(r.n_gaps == 1 && r.gaps[0].from == at(10, 0, 0) && r.gaps[0].to == at(10, 6, 0) &&
	    r.gap_seconds == 6 * 3600);
	CHECK(r.escalations[2] == 2 && r.escalations[3] == 0 && r.repeats == 1);
	CHECK(r.relay_asked == 2 && r.relay_answered == 1 && r.relay_tips == 2);
	CHECK(r.n_officers == 2 && r.officers[0].id == a && r.officers[0].notified == 6 &&
	    r.officers[0].acked == 4 && r.officers[0].tta.median == 150);   /* 60 120 180 3600 */
	CHECK(r.officers[1].id == b && r.officers[1].notified == 2 && r.officers[1].acked == 1 &&
	    r.officers[1].tta.median == 300);
	CHECK_STR(r.officers[0].name, "Nguyễn Văn An");

	const char **listed;
	CHECK(report_listed(&r, &listed) == 5);
	CHECK(strcmp(listed[0], "BBBBBB") == 0 && strcmp(listed[4], "FFFFFF") == 0);
	free(listed);

	/* the share alone says the same */
	struct report s;
	CHECK(report_share(db, &cfg, from, to, now, &s) == 0);
	CHECK(s.in_time == 3 && s.decided == 6 && s.pending == 1 && s.share_permille == 500);
	report_free(&s);

	/* JSON */
	json_t *j = report_json(&cfg, &r);
	json_t *ack = json_object_get(j, "acknowledgement");
	CHECK(json_integer_value(json_object_get(ack, "in_time")) == 3);
	CHECK(json_real_value(json_object_get(ack, "percent")) == 50.0);
	CHECK_STR(json_string_value(json_array_get(json_object_get(json_object_get(
	    json_object_get(j, "legal"), "notice"), "late_ids"), 0)), "TB-BBBBBB");
	CHECK(json_array_size(json_object_get(j, "by_day")) == 31);
	json_decref(j);

	/* the words, the page, the PDF */
	struct rdoc *d = report_doc_new(&cfg, &r);
	CHECK(d != NULL);
	if (d) {
		CHECK_STR(d->unit, "CÔNG AN PHƯỜNG THẠCH KHÔI");
		CHECK_STR(d->signer, "TRƯỞNG CÔNG AN PHƯỜNG");
		CHECK_STR(d->period, "Tháng 03/2026 (từ 01/03/2026 đến 31/03/2026)");
		size_t charts = 0;
		for (size_t i = 0; i < d->n; i++) {
			const struct rdoc_block *k = &d->blocks[i];
			if (k->kind == RDOC_HEADLINE)
				CHECK_STR(k->text, "50,0%");
			if (k->kind != RDOC_CHART)
				continue;
			charts++;
			double max = 0;
			for (size_t x = 0; x < k->chart.n; x++) {
				double sum = 0;
				for (size_t q = 0; q < k->chart.n_series; q++)
					sum += k->chart.series[q].values[x];
				max = sum > max ? sum : max;
			}
			CHECK(k->chart.y_max >= max && k->chart.y_step > 0);
		}
		CHECK(charts == 4);
		size_t len = 0;
		char *page = report_html(d, &len);
		CHECK(page && strlen(page) == len && strstr(page, "50,0%") &&
		    strstr(page, "TB-CCCCCC") && !strstr(page, "<script"));
		free(page);
		char pdf[300];
		snprintf(pdf, sizeof pdf, "%s.pdf", dbpath);
		CHECK(report_pdf(d, pdf, err, sizeof err) == 0);
		FILE *f = fopen(pdf, "rb");
		char head[5] = "";
		CHECK(f && fread(head, 1, 4, f) == 4 && memcmp(head, "%PDF", 4) == 0);
		if (f)
			fclose(f);
		remove(pdf);
		CHECK(report_pdf(d, "/nonexistent-dir/x.pdf", err, sizeof err) < 0 && err[0]);
	}
	report_doc_free(d);
	report_free(&r);
	db_close(db);
}

/* Roster gaps by the roster's one rule: a weekly day shift Monday to Friday
 * leaves the nights and the weekend uncovered. */
static void
test_gaps_weekly(void)
{
	zone();
	struct config cfg = config();
	struct db *db = unit_fresh_db("report-weekly", dbpath, sizeof dbpath);
	if (!db)
		return;
	CHECK(db_begin(db) == 0);
	int64_t a = officer(db, "Nguyễn Văn An", "+84900000001");
	struct shift w;
	memset(&w, 0, sizeof w);
	w.officer_id = a;
	w.kind = SHIFT_WEEKLY;
	w.level = 1;
	w.weekdays = 0x1f;                       /* Monday to Friday */
	w.time_from = 7 * 60;
	w.time_to = 19 * 60;
	CHECK(db_shift_insert(db, &w, 1) > 0);
	CHECK(db_commit(db) == 0);
	int64_t from, to;
	char err[128];
	CHECK(report_days("2026-03-02", "2026-03-08", &from, &to, err, sizeof err) == 0);
	struct report r;
	CHECK(report_compute(db, &cfg, from, to, to + 86400, &r) == 0);
	CHECK(r.n_gaps == 6);
	CHECK(r.n_gaps && r.gaps[0].from == at(2, 0, 0) && r.gaps[0].to == at(2, 7, 0));
	CHECK(r.n_gaps == 6 && r.gaps[1].from == at(2, 19, 0) && r.gaps[1].to == at(3, 7, 0) &&
	    r.gaps[5].from == at(6, 19, 0) && r.gaps[5].to == to);
	CHECK(r.gap_seconds == (7 + 4 * 12 + 53) * 3600);
	report_free(&r);
	db_close(db);
}

static void
test_periods(void)
{
	zone();
	int64_t from, to;
	char err[128];
	CHECK(report_month("2026-02", &from, &to, err, sizeof err) == 0);
	CHECK(to - from == 28 * 86400 && from == timeutil_local_midnight(2026, 2, 1));
	CHECK(report_month("2026-12", &from, &to, err, sizeof err) == 0);
	CHECK(to == timeutil_local_midnight(2027, 1, 1));
	const char *bad[] = { "2026-13", "2026-00", "26-03", "2026-3", "2026-03-01", "", "abcd-ef",
		"1999-12", "2026/03", "2026-03 ", "+026-03" };
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		CHECK(report_month(bad[i], &from, &to, err, sizeof err) < 0 && err[0]);
	CHECK(report_month(NULL, &from, &to, err, sizeof err) < 0);
	CHECK(report_days("2026-03-01", "2026-03-01", &from, &to, err, sizeof err) == 0);
	CHECK(to - from == 86400);
	CHECK(report_days("2026-03-02", "2026-03-01", &from, &to, err, sizeof err) < 0);
	CHECK(report_days("2026-01-01", "2027-03-01", &from, &to, err, sizeof err) < 0);
	CHECK(report_days("2026-02-30", "2026-03-01", &from, &to, err, sizeof err) < 0);
}

static void
test_words(void)
{
	char s[64];
	report_percent(1000, s, sizeof s);
	CHECK_STR(s, "100,0");
	report_percent(667, s, sizeof s);
	CHECK_STR(s, "66,7");
	report_duration(45, s, sizeof s);
	CHECK_STR(s, "45 giây");
	report_duration(270, s, sizeof s);
	CHECK_STR(s, "4 phút 30 giây");
	report_duration(600, s, sizeof s);
	CHECK_STR(s, "10 phút");
	report_duration(3900, s, sizeof s);
	CHECK_STR(s, "1 giờ 05 phút");
	report_duration(2 * 86400 + 3 * 3600 + 5, s, sizeof s);
	CHECK_STR(s, "2 ngày 3 giờ");
	CHECK_STR(report_channel_name("zalo_bot"), "Zalo Bot");
	CHECK_STR(report_level_name(3), "chỉ huy ca");
	CHECK_STR(report_level_name(9), "?");
}

/* A ward's name with markup is text in the report's page. */
static void
test_html_escapes(void)
{
	zone();
	struct config cfg = config();
	cfg.ward = "Phường <b onmouseover='x'>Bến</b> & \"Thành\"";
	struct report r;
	memset(&r, 0, sizeof r);
	r.from = timeutil_local_midnight(2026, 3, 1);
	r.to = timeutil_local_midnight(2026, 3, 2);
	r.made_at = r.to + 10;
	struct report_day day = { .start = r.from };
	struct report_week week = { .start = r.from, .end = r.to };
	r.days = &day;
	r.n_days = 1;
	r.weeks = &week;
	r.n_weeks = 1;
	struct rdoc *d = report_doc_new(&cfg, &r);
	CHECK(d != NULL);
	char *page = d ? report_html(d, NULL) : NULL;
	CHECK(page && !strstr(page, "<b onmouseover") && strstr(page, "&lt;b onmouseover=&#39;x") &&
	    strstr(page, "&amp; &quot;Thành&quot;"));
	free(page);
	report_doc_free(d);
}

static void
test_desk_page(void)
{
	zone();
	struct config cfg = config();
	int64_t now = at(20, 10, 0);
	struct tip t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "7KM4Q9");
	t.status = TIP_NEW;
	t.category = "ma_tuy";
	t.urgent = 1;
	t.text = "Có <script>alert(1)</script> ở hẻm 12";
	t.created_at = now - 300;
	t.level = 2;
	t.next_deadline = now + 120;
	struct desk_row row = { .t = &t, .paged = { "Trần <i>Thị</i> Bình" }, .n_paged = 1,
		.calling = "Nguyễn <b>Văn</b> An" };
	tipclock_of(&t, &(struct tipclock_holidays){ 0 }, now, &row.clk);
	struct desk_duty duty = { .names = { { "Nguyễn Văn An" }, { "Trần <i>Thị</i> Bình" } },
		.n = { 1, 1, 0, 0 } };
	struct report today;
	memset(&today, 0, sizeof today);
	today.in_time = 3;
	today.decided = 4;
	today.share_permille = 750;
	struct desk_view v = { .now = now, .today = &today, .month = "2026-03", .duty = &duty,
		.open = &row, .n_open = 1, .waiting = 0 };
	char *page = desk_page_render(&cfg, &v);
	CHECK(page != NULL);
	if (page) {
		CHECK(strstr(page, "id=\"tip-TB-7KM4Q9\"") && strstr(page, "KHẨN") &&
		    strstr(page, "ma túy") && strstr(page, "cấp 2"));
		CHECK(strstr(page, "Đang báo: Trần &lt;i&gt;Thị&lt;/i&gt; Bình"));
		CHECK(!strstr(page, "<script") && strstr(page, "&lt;script&gt;alert(1)"));
		CHECK(strstr(page, "đang gọi Nguyễn &lt;b&gt;Văn&lt;/b&gt; An"));
		CHECK(strstr(page, "<b>75,0%</b>") && strstr(page, "(3/4)"));
		CHECK(strstr(page, "href=\"/report?month=2026-03\""));
		CHECK(strstr(page, "còn 2 phút") && strstr(page, "cấp 3 <b>không có ai</b>"));
		CHECK(strstr(page, "Tình trạng hệ thống: không rõ"));
		CHECK(strstr(page, "<section id=\"status\" class=\"ok\""));
	}
	free(page);
	/* nobody on duty anywhere, a tip waiting: the strip turns red */
	struct desk_duty none = { .n = { 0 } };
	t.waiting = 1;
	t.next_deadline = 0;
	v.duty = &none;
	v.waiting = 1;
	page = desk_page_render(&cfg, &v);
	CHECK(page && strstr(page, "<section id=\"status\" class=\"bad\"") &&
	    strstr(page, "KHÔNG CÓ AI TRỰC") && strstr(page, "BÁO ĐỘNG: 1 tin"));
	free(page);
	/* the health as /healthz sees it: a modem down, the database refusing */
	struct health_snapshot hs;
	memset(&hs, 0, sizeof hs);
	hs.n_modems = 1;
	hs.modem_name[0] = "sim1";
	hs.modem[0].down_since = now - 60;
	snprintf(hs.modem[0].last_error, sizeof hs.modem[0].last_error, "device gone");
	snprintf(hs.db_error, sizeof hs.db_error, "disk full");
	hs.now = now;
	struct health_status st;
	health_status(&hs, &st);
	v.health = &hs;
	v.status = &st;
	v.duty = &duty;
	v.waiting = 0;
	page = desk_page_render(&cfg, &v);
	CHECK(page && strstr(page, "<section id=\"status\" class=\"bad\"") &&
	    strstr(page, "SMS sim1: MẤT KẾT NỐI") &&
	    strstr(page, "device gone") && strstr(page, "CƠ SỞ DỮ LIỆU KHÔNG GHI ĐƯỢC: disk full"));
	/* one status line, gateway/health.c's: down (the database) */
	CHECK(page && strstr(page, "<p class=\"health down\" data-status=\"down\"") &&
	    strstr(page, "NGỪNG HOẠT ĐỘNG"));
	free(page);
	/* the database writable again, the modem down past its down_alarm:
	 * degraded, the strip yellow, the modem marked */
	hs.db_writable = 1;
	hs.db_error[0] = '\0';
	hs.modem_down_alarm[0] = 30;
	health_status(&hs, &st);
	page = desk_page_render(&cfg, &v);
	CHECK(page && strstr(page, "<section id=\"status\" class=\"warn\"") &&
	    strstr(page, "<p class=\"health degraded\" data-status=\"degraded\"") &&
	    strstr(page, "SUY GIẢM") && strstr(page, "<div class=\"item bad\" id=\"st-modem\">"));
	free(page);
}

int
main(void)
{
	audit_init();
	static const struct unit_case cases[] = { UNIT(test_periods), UNIT(test_words),
		UNIT(test_month), UNIT(test_gaps_weekly), UNIT(test_html_escapes), UNIT(test_desk_page) };
	int passed = 0, failed = 0;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unit_current_failed = 0;
		cases[i].fn();
		if (unit_current_failed) {
			failed++;
			fprintf(stderr, "FAIL %s\n", cases[i].name);
		} else {
			passed++;
			printf("ok   %s\n", cases[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
