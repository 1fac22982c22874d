/* cli_legal — the legal clocks and the receipt book: `tinbao due`,
 * `notice`, `holiday add|list|remove`, `book`.
 *
 * Never prints who sent a tip (the receipt book's "Người báo tin" column is
 * always "Giữ bí mật"). Every listing of tips is an audit event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/category.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/legalclock.h"
#include "gateway/messages.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

#define LEGAL_ID_MAX 48
#define DUE_DEFAULT_WITHIN (24 * 3600)
#define BOOK_SUMMARY_CHARS 60
#define HOLIDAY_NAME_MAX 200

static const char due_usage[] =
    N_("usage: tinbao due [--json] [--within DURATION] [--at \"YYYY-MM-DD HH:MM\"]\n"
    "       tinbao notice ID --officer PHONE [--at \"YYYY-MM-DD HH:MM\"]\n"
    "\n"
    "due lists the legal deadlines of open tips that fall within DURATION from\n"
    "now (default 24h; \"90m\", \"2d\"...) or are already overdue, soonest first:\n"
    "  pass on   24 hours after receipt: the tip goes on to the investigation\n"
    "            agency (ends when the tip is closed);\n"
    "  notice    the written receipt notice to the procuracy and the reporter,\n"
    "            by the end of the 3rd working day after the day of receipt\n"
    "            (Mon-Fri minus `tinbao holiday` days); ends with `tinbao notice`.\n"
    "The 20-day settling clock is shown as information (--json: settle_by).\n"
    "--at looks at the list as it will be (or was) at another local time.\n"
    "notice records that the receipt notice was given, by the officer named\n"
    "(--officer is required; the audit trail records the desk's login too).\n");

static const char holiday_usage[] =
    N_("usage: tinbao holiday add YYYY-MM-DD NAME\n"
    "       tinbao holiday list [--json]\n"
    "       tinbao holiday remove YYYY-MM-DD\n"
    "\n"
    "Public holidays are not working days for the 3-working-day receipt notice.\n"
    "Vietnam publishes them yearly (Tết, 30/4, 1/5, 2/9 ...): add each one.\n");

static const char book_usage[] =
    N_("usage: tinbao book --from YYYY-MM-DD --to YYYY-MM-DD [--csv]\n"
    "\n"
    "The receipt book (sổ tiếp nhận) of the tips received from --from to --to\n"
    "(local days, both included), in order of receipt, numbered per year:\n"
    "Số thứ tự, Thời điểm tiếp nhận, Kênh, Mã tin báo, Người tiếp nhận, Người báo\n"
    "tin (always \"Giữ bí mật\"), Nội dung tóm tắt (with attachments), Địa điểm,\n"
    "thời gian sự việc, Phân loại, Biện pháp đã làm, Chuyển cho, lúc, Ngày thông\n"
    "báo kết quả tiếp nhận, Kết quả, ghi chú. Columns tinbao cannot know stay\n"
    "empty for the officers to fill. --csv: RFC 4180 (UTF-8, CRLF) for a\n"
    "spreadsheet. The book itself is always in Vietnamese. Printing the book is an\n"
    "audit event.\n");

static int
parse_at(const char *what, const char *s, int64_t *now)
{
	if (timeutil_parse_local(s, now) < 0)
		return cli_error(CLI_USAGE, what, _("--at wants \"YYYY-MM-DD HH:MM\" (local time), not "
		    "\"%s\""), s);
	return 0;
}

/* ----------------------------------------------------------------- due */

struct due_entry {
	const struct tip *t;
	int notice;                /* 0 pass on, 1 receipt notice */
	int64_t deadline;
	struct tipclock clk;
};

static int
cmp_due(const void *a, const void *b)
{
	const struct due_entry *x = a, *y = b;
	if (x->deadline != y->deadline)
		return x->deadline < y->deadline ? -1 : 1;
	return x->t->id < y->t->id ? -1 : x->t->id > y->t->id;
}

static void
span(int64_t s, char *out, size_t outsz)
{
	if (s < 0)
		s = -s;
	if (s >= 86400)
		/* TRANSLATORS: a span of days and hours, e.g. 2d3h */
		snprintf(out, outsz, _("%lldd%lldh"), (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else
		/* TRANSLATORS: a span of hours and minutes, e.g. 5h07m */
		snprintf(out, outsz, _("%lldh%02lldm"), (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
}

int
cli_due(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "within", required_argument, NULL, 'w' },
		{ "at", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	int json = 0, ch;
	int64_t within = DUE_DEFAULT_WITHIN, now = timeutil_now();
	if (cli_wants_help(argc, argv)) {
		fputs(_(due_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "due")) != -1) {
		if (ch == 'j') {
			json = 1;
		} else if (ch == 'w') {
			if (config_parse_duration(optarg, &within) < 0 || within > 366 * 86400LL)
				return cli_error(CLI_USAGE, "due", _("--within wants a duration like 24h, 90m "
				    "or 3d (at most 366d), not \"%s\""), optarg);
		} else if (ch == 'a') {
			if (parse_at("due", optarg, &now) < 0)
				return CLI_USAGE;
		} else {
			return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "due", _("unexpected argument \"%s\""), argv[optind]);
	if (cli_open(c, 0, "due") < 0)
		return CLI_FAIL;
	struct tip *v = NULL;
	size_t n = 0, ne = 0;
	struct tipclock_holidays hol = { 0 };
	struct due_entry *e = NULL;
	const char **codes = NULL;
	int rc = CLI_FAIL;
	if (db_tip_list(c->db, 1, SIZE_MAX, &v, &n) < 0 || tipclock_holidays_load(c->db, &hol) < 0) {
		cli_error(CLI_FAIL, "due", "%s", db_errmsg(c->db));
		goto out;
	}
	e = calloc(2 * n + 1, sizeof *e);
	codes = calloc(n + 1, sizeof *codes);
	if (!e || !codes) {
		cli_error(CLI_FAIL, "due", _("out of memory"));
		goto out;
	}
	size_t ncodes = 0;
	for (size_t i = 0; i < n; i++) {
		struct tipclock clk;
		int64_t notice_at;
		if (db_tip_notice_get(c->db, v[i].id, &notice_at) < 0) {
			cli_error(CLI_FAIL, "due", "%s", db_errmsg(c->db));
			goto out;
		}
		if (v[i].created_at > now)
			continue;                   /* --at before it was received */
		tipclock_of(v[i].created_at, &hol, &clk);
		int listed = 0;
		if (clk.pass_on <= now + within) {
			e[ne++] = (struct due_entry){ &v[i], 0, clk.pass_on, clk };
			listed = 1;
		}
		if (!notice_at && clk.notice_by <= now + within) {
			e[ne++] = (struct due_entry){ &v[i], 1, clk.notice_by, clk };
			listed = 1;
		}
		if (listed)
			codes[ncodes++] = v[i].code;
	}
	qsort(e, ne, sizeof *e, cmp_due);
	if (cli_audit_reads(c, "due", codes, ncodes) < 0)
		goto out;
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < ne; i++) {
			char id[LEGAL_ID_MAX], day[16];
			trackid_format(c->cfg->tracking_prefix, e[i].t->code, id, sizeof id);
			int y, m, d;
			timeutil_local_date(e[i].clk.notice_day, &y, &m, &d);
			snprintf(day, sizeof day, "%04d-%02d-%02d", y, m, d);
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(id));
			json_object_set_new(o, "clock", json_string(e[i].notice ? "notice" : "pass_on"));
			json_object_set_new(o, "deadline", view_json_time(e[i].deadline));
			json_object_set_new(o, "overdue", json_boolean(e[i].deadline <= now));
			if (e[i].notice)
				json_object_set_new(o, "notice_day", json_string(day));
			json_object_set_new(o, "received_at", view_json_time(e[i].t->created_at));
			json_object_set_new(o, "settle_by", view_json_time(e[i].clk.settle));
			json_object_set_new(o, "status", json_string(tip_status_name(e[i].t->status)));
			json_object_set_new(o, "urgent", json_boolean(e[i].t->urgent));
			json_object_set_new(o, "category", view_json_str(e[i].t->category));
			json_array_append_new(arr, o);
		}
		rc = cli_print_json(arr);
		goto out;
	}
	if (ne == 0) {
		char w[32];
		span(within, w, sizeof w);
		printf(_("no legal deadline of an open tip within %s\n"), w);
		rc = CLI_OK;
		goto out;
	}
	int idw = (int)strlen(c->cfg->tracking_prefix) + 1 + TRACKID_CODE_LEN;
	/* TRANSLATORS: the column heads of `tinbao due` */
	cli_cell(_("ID"), idw);
	cli_cell(_("CLOCK"), 12);
	cli_cell(_("DEADLINE"), 18);
	cli_cell(_("STATE"), 22);
	puts(_("RECEIVED"));
	for (size_t i = 0; i < ne; i++) {
		char id[LEGAL_ID_MAX], when[40], state[40], left[32], recv[32];
		trackid_format(c->cfg->tracking_prefix, e[i].t->code, id, sizeof id);
		if (e[i].notice) {
			timeutil_format_dmy(e[i].clk.notice_day, when, sizeof when);
			snprintf(when + strlen(when), sizeof when - strlen(when), " %s",
			    _("(all day)"));
		} else {
			timeutil_format_local(e[i].deadline, when, sizeof when);
		}
		span(e[i].deadline - now, left, sizeof left);
		if (e[i].deadline <= now)
			snprintf(state, sizeof state, _("OVERDUE %s"), left);
		else
			snprintf(state, sizeof state, _("in %s"), left);
		timeutil_format_local(e[i].t->created_at, recv, sizeof recv);
		printf("%-*s ", idw, id);
		/* TRANSLATORS: the two legal clocks in `tinbao due`: the 24-hour
		 * pass-on to the investigation agency, the 3-working-day receipt
		 * notice */
		cli_cell(e[i].notice ? _("notice") : _("pass on"), 12);
		cli_cell(when, 18);
		cli_cell(state, 22);
		puts(recv);
	}
	rc = CLI_OK;
out:
	free(codes);
	free(e);
	tipclock_holidays_free(&hol);
	tips_free(v, n);
	return rc;
}

/* -------------------------------------------------------------- notice */

int
cli_notice(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *phone = NULL;
	int64_t at = timeutil_now();
	int ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(due_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "notice")) != -1) {
		if (ch == 'o')
			phone = optarg;
		else if (ch == 'a') {
			if (parse_at("notice", optarg, &at) < 0)
				return CLI_USAGE;
		} else
			return CLI_USAGE;
	}
	if (optind != argc - 1 || !phone)
		return cli_error(CLI_USAGE, "notice", _("usage: tinbao notice ID --officer PHONE"));
	char code[TRACKID_CODE_LEN + 1], norm[PHONE_MAX], id[LEGAL_ID_MAX];
	const char *arg = argv[optind];
	if (trackid_parse(c->cfg->tracking_prefix, arg, strlen(arg), code, NULL) < 0)
		return cli_error(CLI_USAGE, "notice", _("\"%s\" is not a tracking ID"), arg);
	if (cli_phone("notice", phone, norm) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, "notice") < 0)
		return CLI_FAIL;
	trackid_format(c->cfg->tracking_prefix, code, id, sizeof id);
	struct officer o;
	struct tip t;
	int fo = db_officer_by_phone(c->db, norm, &o);
	if (fo <= 0)
		return fo < 0 ? cli_error(CLI_FAIL, "notice", "%s", db_errmsg(c->db)) :
		    cli_error(CLI_FAIL, "notice", _("no officer with phone %s"), norm);
	int ft = db_tip_by_code(c->db, code, &t);
	if (ft <= 0) {
		officer_clear(&o);
		return ft < 0 ? cli_error(CLI_FAIL, "notice", "%s", db_errmsg(c->db)) :
		    cli_error(CLI_FAIL, "notice", _("no tip %s"), id);
	}
	int set = -1;
	int64_t was = 0;
	if (db_begin(c->db) == 0) {
		set = db_tip_notice_set(c->db, t.id, at);
		char who[128];
		audit_unix_user(who, sizeof who);
		if (set == 1 && db_audit_for(c->db, at, who, o.name, "tip.notice", t.id,
		    "receipt notice given") < 0)
			set = -1;
		if (set == 0 && db_tip_notice_get(c->db, t.id, &was) < 0)
			set = -1;
		if (set >= 0 && db_commit(c->db) < 0)
			set = -1;
		if (set < 0)
			db_rollback(c->db);
	}
	char when[40];
	int rc = CLI_OK;
	if (set < 0) {
		rc = cli_error(CLI_FAIL, "notice", "%s", db_errmsg(c->db));
	} else if (set == 0) {
		timeutil_format_local(was, when, sizeof when);
		printf(_("%s: the receipt notice was already recorded at %s\n"), id, when);
	} else {
		timeutil_format_local(at, when, sizeof when);
		char name[CLI_NAME_MAX * 4];
		cli_clean(o.name, name, sizeof name);
		printf(_("%s: receipt notice recorded at %s by %s\n"), id, when, name);
	}
	officer_clear(&o);
	tip_clear(&t);
	return rc;
}

/* ------------------------------------------------------------- holiday */

static int
holiday_day(const char *what, const char *s)
{
	struct lc_date d;
	if (legalclock_parse(s, &d) < 0)
		return cli_error(CLI_USAGE, what, _("\"%s\" is not a date YYYY-MM-DD"), s);
	return 0;
}

static int
holiday_audit(struct cli *c, const char *action, const char *detail)
{
	char who[128];
	audit_unix_user(who, sizeof who);
	return db_audit(c->db, timeutil_now(), who, action, 0, detail);
}

static int
holiday_add(struct cli *c, int argc, char **argv)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	optind = 0;
	if (cli_getopt(argc, argv, none, "holiday add") != -1)
		return CLI_USAGE;
	if (optind != argc - 2)
		return cli_error(CLI_USAGE, "holiday add", _("usage: tinbao holiday add YYYY-MM-DD NAME"));
	const char *day = argv[optind], *name = argv[optind + 1];
	if (holiday_day("holiday add", day) != 0)
		return CLI_USAGE;
	if (!text_valid(name, HOLIDAY_NAME_MAX, 0))
		return cli_error(CLI_USAGE, "holiday add", _("the name must be 1-%d bytes of UTF-8 text"),
		    HOLIDAY_NAME_MAX);
	if (cli_open(c, 0, "holiday add") < 0)
		return CLI_FAIL;
	char detail[300];
	snprintf(detail, sizeof detail, "%s %s", day, name);
	int r = -1;
	if (db_begin(c->db) == 0) {
		r = db_holiday_add(c->db, day, name);
		if (r == 1 && holiday_audit(c, "holiday.add", detail) < 0)
			r = -1;
		if (r >= 0 && db_commit(c->db) < 0)
			r = -1;
		if (r < 0)
			db_rollback(c->db);
	}
	if (r < 0)
		return cli_error(CLI_FAIL, "holiday add", "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, "holiday add", _("%s is already a holiday (remove it first "
		    "to rename it)"), day);
	printf(_("added holiday %s\n"), day);
	return CLI_OK;
}

static int
holiday_remove(struct cli *c, int argc, char **argv)
{
	const char *day;
	int rc = cli_one_arg(argc, argv, "holiday remove", "tinbao holiday remove YYYY-MM-DD", &day);
	if (rc)
		return rc;
	if (holiday_day("holiday remove", day) != 0)
		return CLI_USAGE;
	if (cli_open(c, 0, "holiday remove") < 0)
		return CLI_FAIL;
	int r = -1;
	if (db_begin(c->db) == 0) {
		r = db_holiday_remove(c->db, day);
		if (r == 1 && holiday_audit(c, "holiday.remove", day) < 0)
			r = -1;
		if (r >= 0 && db_commit(c->db) < 0)
			r = -1;
		if (r < 0)
			db_rollback(c->db);
	}
	if (r < 0)
		return cli_error(CLI_FAIL, "holiday remove", "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, "holiday remove", _("%s is not a holiday"), day);
	printf(_("removed holiday %s\n"), day);
	return CLI_OK;
}

static int
holiday_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	int json = 0, ch;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "holiday list")) != -1) {
		if (ch != 'j')
			return CLI_USAGE;
		json = 1;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "holiday list", _("usage: tinbao holiday list [--json]"));
	if (cli_open(c, 1, "holiday list") < 0)
		return CLI_FAIL;
	struct holiday *v;
	size_t n;
	if (db_holiday_list(c->db, &v, &n) < 0)
		return cli_error(CLI_FAIL, "holiday list", "%s", db_errmsg(c->db));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, json_pack("{s:s, s:o}", "day", v[i].day, "name",
			    view_json_str(v[i].name)));
		holidays_free(v, n);
		return cli_print_json(arr);
	}
	if (n == 0)
		printf(_("no holidays (add them with tinbao holiday add YYYY-MM-DD NAME)\n"));
	for (size_t i = 0; i < n; i++) {
		/* TRANSLATORS: weekdays, Monday first, in a column 3 wide */
		static const char *const wd[] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
			N_("Fri"), N_("Sat"), N_("Sun") };
		struct lc_date d;
		printf("%s %s  ", v[i].day, legalclock_parse(v[i].day, &d) == 0 ?
		    _(wd[legalclock_weekday(d)]) : "?  ");
		cli_put(v[i].name, 1, 0);
		putchar('\n');
	}
	holidays_free(v, n);
	return CLI_OK;
}

int
cli_holiday(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", holiday_add }, { "list", holiday_list }, { "remove", holiday_remove },
		{ NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, holiday_usage, subs);
}

/* ---------------------------------------------------------------- book */

enum { B_NO, B_AT, B_CHANNEL, B_ID, B_RECEIVER, B_REPORTER, B_SUMMARY, B_PLACE, B_CLASS,
	B_MEASURES, B_PASSED, B_NOTICE, B_RESULT, B_NCOLS };

static const char *const book_head[B_NCOLS] = {
	"Số thứ tự", "Thời điểm tiếp nhận", "Kênh", "Mã tin báo", "Người tiếp nhận",
	"Người báo tin", "Nội dung tóm tắt", "Địa điểm, thời gian sự việc", "Phân loại",
	"Biện pháp đã làm", "Chuyển cho, lúc", "Ngày thông báo kết quả tiếp nhận",
	"Kết quả, ghi chú",
};
static const int book_width[B_NCOLS] = { 4, 16, 7, 9, 16, 10, 40, 10, 16, 10, 10, 10, 24 };

/* One CSV field: quoted when it holds a comma, quote, CR or LF. */
static void
csv_field(const char *s, int last)
{
	char *t = text_clean(s ? s : "", strlen(s ? s : ""));
	const char *v = t ? t : "";
	if (strpbrk(v, ",\"\r\n")) {
		putchar('"');
		for (const char *p = v; *p; p++) {
			if (*p == '"')
				putchar('"');
			putchar(*p);
		}
		putchar('"');
	} else {
		fputs(v, stdout);
	}
	fputs(last ? "\r\n" : ",", stdout);
	free(t);
}

static void
book_row(const char *const *f, int csv)
{
	for (int k = 0; k < B_NCOLS; k++) {
		if (csv)
			csv_field(f[k], k == B_NCOLS - 1);
		else
			cli_cell(f[k] ? f[k] : "", book_width[k]);
	}
	if (!csv)
		putchar('\n');
}

/* The summary: the text, then the attachments kept with the tip. */
static char *
book_summary(struct cli *c, const struct tip *t, int *err)
{
	struct attachment *a = NULL;
	size_t na = 0;
	if (db_tip_attachments(c->db, t->id, &a, &na) < 0) {
		*err = 1;
		return NULL;
	}
	size_t cap = strlen(t->text ? t->text : "") + 64 + na * 96;
	char *s = malloc(cap);
	if (s) {
		size_t len = (size_t)snprintf(s, cap, "%s", t->text ? t->text : "");
		for (size_t i = 0; i < na && len < cap; i++) {
			const char *kind = a[i].kind ? a[i].kind : "tệp";
			if (a[i].state && strcmp(a[i].state, "fetched") == 0)
				len += (size_t)snprintf(s + len, cap - len, "%s%s (%s, %lld byte)",
				    i ? "; " : " [Đính kèm: ", kind, a[i].content_type ? a[i].content_type :
				    "?", (long long)a[i].size);
			else
				len += (size_t)snprintf(s + len, cap - len, "%s%s (chưa tải được)",
				    i ? "; " : " [Đính kèm: ", kind);
		}
		if (na && len < cap)
			snprintf(s + len, cap - len, "]");
	}
	attachments_free(a, na);
	return s;
}

int
cli_book(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "csv", no_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
	};
	const char *from_s = NULL, *to_s = NULL;
	int csv = 0, ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(book_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "book")) != -1) {
		if (ch == 'f')
			from_s = optarg;
		else if (ch == 't')
			to_s = optarg;
		else if (ch == 'c')
			csv = 1;
		else
			return CLI_USAGE;
	}
	struct lc_date from, to;
	if (optind != argc || !from_s || !to_s)
		return cli_error(CLI_USAGE, "book", _("usage: tinbao book --from YYYY-MM-DD --to "
		    "YYYY-MM-DD [--csv]"));
	if (legalclock_parse(from_s, &from) < 0 || legalclock_parse(to_s, &to) < 0)
		return cli_error(CLI_USAGE, "book", _("--from and --to want dates YYYY-MM-DD"));
	if (legalclock_daynum(to) < legalclock_daynum(from))
		return cli_error(CLI_USAGE, "book", _("--to is before --from"));
	struct lc_date after = legalclock_from_daynum(legalclock_daynum(to) + 1);
	int64_t t0 = timeutil_local_midnight(from.y, from.m, from.d);
	int64_t t1 = timeutil_local_midnight(after.y, after.m, after.d);
	if (cli_open(c, 0, "book") < 0)
		return CLI_FAIL;
	struct tip *v;
	size_t n;
	if (db_tip_list(c->db, 0, SIZE_MAX, &v, &n) < 0)      /* by receipt: created_at, id */
		return cli_error(CLI_FAIL, "book", "%s", db_errmsg(c->db));
	const char **codes = calloc(n + 1, sizeof *codes);
	size_t *seq = calloc(n + 1, sizeof *seq);
	size_t ncodes = 0;
	int rc = CLI_FAIL;
	if (!codes || !seq) {
		cli_error(CLI_FAIL, "book", _("out of memory"));
		goto out;
	}
	/* Số thứ tự restarts each (local) year. */
	int year = 0;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		int y, m, d;
		timeutil_local_date(v[i].created_at, &y, &m, &d);
		count = y == year ? count + 1 : 1;
		year = y;
		seq[i] = count;
		if (v[i].created_at >= t0 && v[i].created_at < t1)
			codes[ncodes++] = v[i].code;
	}
	char what[64];
	snprintf(what, sizeof what, "book %s..%s%s", from_s, to_s, csv ? " --csv" : "");
	if (cli_audit_reads(c, what, codes, ncodes) < 0)
		goto out;
	if (!csv) {
		char ward[160];
		snprintf(ward, sizeof ward, "%s", c->cfg->ward);
		printf("SỔ TIẾP NHẬN NGUỒN TIN — ");     /* the book is Vietnamese */
		cli_put(ward, 1, 0);
		printf(" — %02d/%02d/%04d đến %02d/%02d/%04d\n\n", from.d, from.m, from.y, to.d, to.m,
		    to.y);
	}
	book_row(book_head, csv);
	for (size_t i = 0; i < n; i++) {
		const struct tip *t = &v[i];
		if (t->created_at < t0 || t->created_at >= t1)
			continue;
		char no[24], at[40], id[LEGAL_ID_MAX], cls[160], notice[24] = "", result[1200];
		int64_t notice_at = 0;
		int err = 0;
		snprintf(no, sizeof no, "%zu", seq[i]);
		timeutil_format_dmy(t->created_at, at, sizeof at);
		size_t l = strlen(at);
		timeutil_format_hm(t->created_at, at + l + 1, sizeof at - l - 1);
		at[l] = ' ';
		trackid_format(c->cfg->tracking_prefix, t->code, id, sizeof id);
		snprintf(cls, sizeof cls, "%s%s", category_name(t->category ? t->category : "khac"),
		    t->urgent ? "; khẩn cấp" : "");
		if (db_tip_notice_get(c->db, t->id, &notice_at) < 0) {
			cli_error(CLI_FAIL, "book", "%s", db_errmsg(c->db));
			goto out;
		}
		if (notice_at)
			timeutil_format_dmy(notice_at, notice, sizeof notice);
		if (t->status == TIP_CLOSED) {
			char day[24];
			timeutil_format_dmy(t->closed_at, day, sizeof day);
			snprintf(result, sizeof result, "Đã xử lý xong %s%s%s", day,
			    t->close_note && *t->close_note ? ": " : "",
			    t->close_note ? t->close_note : "");
		} else {
			snprintf(result, sizeof result, "%s", t->status == TIP_ACKNOWLEDGED ?
			    "Đang xử lý" : "Chưa có người nhận");
		}
		char *summary = book_summary(c, t, &err);
		if (err) {
			cli_error(CLI_FAIL, "book", "%s", db_errmsg(c->db));
			goto out;
		}
		const char *f[B_NCOLS] = {
			[B_NO] = no, [B_AT] = at, [B_CHANNEL] = msg_channel_name(t->channel), [B_ID] = id,
			[B_RECEIVER] = t->acked_by_name ? t->acked_by_name : "",
			[B_REPORTER] = "Giữ bí mật", [B_SUMMARY] = summary ? summary : "?",
			[B_PLACE] = "", [B_CLASS] = cls, [B_MEASURES] = "", [B_PASSED] = "",
			[B_NOTICE] = notice, [B_RESULT] = result,
		};
		book_row(f, csv);
		free(summary);
	}
	if (!csv && ncodes == 0)
		printf("(Không có tin báo nào được tiếp nhận trong những ngày này)\n");
	rc = CLI_OK;
out:
	free(codes);
	free(seq);
	tips_free(v, n);
	return rc;
}
