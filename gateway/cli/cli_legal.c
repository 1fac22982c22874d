/* cli_legal — the legal clocks: `tinbao due`, `notice`, `pass`, `holiday
 * add|list|remove` (the receipt book is cli_book.c).
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
#include "gateway/csv.h"
#include "gateway/i18n.h"
#include "gateway/legalclock.h"
#include "gateway/messages.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

#define DUE_DEFAULT_WITHIN (24 * 3600)
#define HOLIDAY_NAME_MAX 200
#define PASS_TO_MAX 200           /* bytes naming whom a tip was passed on to */
#define PASS_AT_SLACK 300         /* --at may be this far ahead of the clock (seconds) */

static const char due_usage[] =
    N_("usage: tinbao due [--json] [--within DURATION] [--at \"YYYY-MM-DD HH:MM\"]\n"
    "       tinbao notice ID --officer PHONE [--at \"YYYY-MM-DD HH:MM\"]\n"
    "\n"
    "due lists the legal deadlines of open tips that fall within DURATION from\n"
    "now (default 24h; \"90m\", \"2d\"...) or are already overdue, soonest first:\n"
    "  pass on   24 hours after receipt: the tip goes on to the investigation\n"
    "            agency; ends with `tinbao pass` (acknowledging is not passing on);\n"
    "  notice    the written receipt notice to the procuracy and the reporter,\n"
    "            by the end of the 3rd working day after the day of receipt\n"
    "            (Mon-Fri minus `tinbao holiday` days); ends with `tinbao notice`.\n"
    "Closing a tip ends its clocks that were not done.\n"
    "The 20-day settling clock is shown as information (tinbao tip show).\n"
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
	const struct tipclock_one *c;
	struct tipclock *clk;
};

static int
cmp_due(const void *a, const void *b)
{
	const struct due_entry *x = a, *y = b;
	if (x->c->due != y->c->due)
		return x->c->due < y->c->due ? -1 : 1;
	if (x->t->id != y->t->id)
		return x->t->id < y->t->id ? -1 : 1;
	return x->notice - y->notice;
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
	struct tipclock *clk = NULL;
	struct due_entry *e = NULL;
	const char **codes = NULL;
	int rc = CLI_FAIL;
	if (db_tip_list(c->db, 1, SIZE_MAX, &v, &n) < 0 || tipclock_holidays_load(c->db, &hol) < 0) {
		cli_error(CLI_FAIL, "due", "%s", db_errmsg(c->db));
		goto out;
	}
	clk = calloc(n + 1, sizeof *clk);
	e = calloc(2 * n + 1, sizeof *e);
	codes = calloc(n + 1, sizeof *codes);
	if (!clk || !e || !codes) {
		cli_error(CLI_FAIL, "due", _("out of memory"));
		goto out;
	}
	size_t ncodes = 0;
	for (size_t i = 0; i < n; i++) {
		if (v[i].created_at > now)
			continue;                   /* --at before it was received */
		tipclock_of(&v[i], &hol, now, &clk[i]);
		int listed = 0;
		/* what still asks for its act: overdue, or due within the window */
		for (int k = 0; k < 2; k++) {
			const struct tipclock_one *one = k ? &clk[i].notice : &clk[i].pass_on;
			if (!tipclock_pending(one) || one->due > now + within)
				continue;
			e[ne++] = (struct due_entry){ &v[i], k, one, &clk[i] };
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
			char id[TRACKID_TEXT_MAX];
			trackid_format(c->cfg->tracking_prefix, e[i].t->code, id, sizeof id);
			json_t *o = json_object();
			json_object_set_new(o, "id", json_string(id));
			json_object_set_new(o, "clock", json_string(e[i].notice ? "notice" : "pass_on"));
			json_t *cj = view_clock_json(e[i].c);
			json_object_update(o, cj);
			json_decref(cj);
			json_object_set_new(o, "overdue", json_boolean(e[i].c->state == TIPCLOCK_OVERDUE));
			json_object_set_new(o, "received_at", view_json_time(e[i].t->created_at));
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
		view_span(within, w, sizeof w);
		printf(_("no legal deadline of an open tip within %s\n"), w);
		rc = CLI_OK;
		goto out;
	}
	int idw = (int)strlen(c->cfg->tracking_prefix) + 1 + TRACKID_CODE_LEN;
	/* TRANSLATORS: the column heads of `tinbao due` */
	cli_cell(_("ID"), idw);
	cli_cell(_("CLOCK"), 12);
	cli_cell(_("DEADLINE"), 25);
	cli_cell(_("STATE"), 22);
	puts(_("RECEIVED"));
	for (size_t i = 0; i < ne; i++) {
		char id[TRACKID_TEXT_MAX], when[40], state[64], recv[32];
		trackid_format(c->cfg->tracking_prefix, e[i].t->code, id, sizeof id);
		view_clock_due(e[i].c, when, sizeof when);
		view_clock_state(e[i].clk, e[i].c, state, sizeof state);
		timeutil_format_local(e[i].t->created_at, recv, sizeof recv);
		printf("%-*s ", idw, id);
		/* TRANSLATORS: the two legal clocks in `tinbao due`: the 24-hour
		 * pass-on to the investigation agency, the 3-working-day receipt
		 * notice */
		cli_cell(e[i].notice ? _("notice") : _("pass on"), 12);
		cli_cell(when, 25);
		cli_cell(state, 22);
		puts(recv);
	}
	rc = CLI_OK;
out:
	free(codes);
	free(e);
	free(clk);
	tipclock_holidays_free(&hol);
	tips_free(v, n);
	return rc;
}

/* -------------------------------------------------------------- notice */

/* The tip ID and the officer's phone of notice and pass: both looked up,
 * the database opened. CLI_OK with *o and *t the caller's to clear (id its
 * printed form), or the exit code after the error is printed. */
static int
officer_and_tip(struct cli *c, const char *cmd, const char *arg, const char *phone,
    struct officer *o, struct tip *t, char id[TRACKID_TEXT_MAX])
{
	char code[TRACKID_CODE_LEN + 1], norm[PHONE_MAX];
	if (trackid_parse(c->cfg->tracking_prefix, arg, strlen(arg), code, NULL) < 0)
		return cli_error(CLI_USAGE, cmd, _("\"%s\" is not a tracking ID"), arg);
	if (cli_phone(cmd, phone, norm) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, cmd) < 0)
		return CLI_FAIL;
	trackid_format(c->cfg->tracking_prefix, code, id, TRACKID_TEXT_MAX);
	int fo = cli_officer_found(c, cmd, norm, o);
	if (fo != CLI_OK)
		return fo;
	int ft = db_tip_by_code(c->db, code, t);
	if (ft <= 0) {
		officer_clear(o);
		return ft < 0 ? cli_error(CLI_FAIL, cmd, "%s", db_errmsg(c->db)) :
		    cli_error(CLI_FAIL, cmd, _("no tip %s"), id);
	}
	return CLI_OK;
}

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
	char id[TRACKID_TEXT_MAX];
	struct officer o;
	struct tip t;
	int found = officer_and_tip(c, "notice", argv[optind], phone, &o, &t, id);
	if (found != CLI_OK)
		return found;
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

/* ---------------------------------------------------------------- pass */

static const char pass_usage[] =
    N_("usage: tinbao pass ID --to AGENCY --officer PHONE [--at \"YYYY-MM-DD HH:MM\"]\n"
    "\n"
    "Records that the tip was passed on (to the investigation agency, UBND, 114 ...):\n"
    "to whom, when (--at, default now) and the officer who did it. This is what\n"
    "stops the 24-hour pass-on clock; acknowledging a tip does not. The receipt\n"
    "book's \"Chuyển cho, lúc\" column, tip show, the admin API and the desk page\n"
    "show it. Recorded once; the record is an audit event (with the desk's login).\n");

int
cli_pass(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "to", required_argument, NULL, 't' }, { "officer", required_argument, NULL, 'o' },
		{ "at", required_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	const char *phone = NULL, *to = NULL;
	int64_t now = timeutil_now(), at = now;
	int ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(pass_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "pass")) != -1) {
		if (ch == 'o') {
			phone = optarg;
		} else if (ch == 't') {
			to = optarg;
		} else if (ch == 'a') {
			if (parse_at("pass", optarg, &at) < 0)
				return CLI_USAGE;
		} else {
			return CLI_USAGE;
		}
	}
	if (optind != argc - 1 || !phone || !to)
		return cli_error(CLI_USAGE, "pass", _("usage: tinbao pass ID --to AGENCY --officer PHONE "
		    "[--at \"YYYY-MM-DD HH:MM\"]"));
	if (!text_valid(to, PASS_TO_MAX, 0))
		return cli_error(CLI_USAGE, "pass", _("--to must be 1-%d bytes of text on one line "
		    "(the agency, e.g. \"Cơ quan CSĐT Công an TP\")"), PASS_TO_MAX);
	if (at > now + PASS_AT_SLACK)
		return cli_error(CLI_USAGE, "pass", _("--at is in the future: record a pass-on once it "
		    "has happened"));
	char id[TRACKID_TEXT_MAX];
	struct officer o;
	struct tip t;
	int found = officer_and_tip(c, "pass", argv[optind], phone, &o, &t, id);
	if (found != CLI_OK)
		return found;
	int rc = CLI_OK;
	char when[40], detail[PASS_TO_MAX + 80], name[CLI_NAME_MAX * 4], agency[PASS_TO_MAX * 4];
	if (at < t.created_at) {
		timeutil_format_local(t.created_at, when, sizeof when);
		rc = cli_error(CLI_USAGE, "pass", _("--at is before %s was received (%s)"), id, when);
		goto out;
	}
	timeutil_format_local(at, when, sizeof when);
	snprintf(detail, sizeof detail, "passed on to %s at %s", to, when);
	int set = -1;
	if (db_begin(c->db) == 0) {
		char who[128];
		audit_unix_user(who, sizeof who);
		set = db_tip_pass_set(c->db, t.id, to, o.id, at);
		if (set == 1 && db_audit_for(c->db, now, who, o.name, "tip.pass", t.id, detail) < 0)
			set = -1;
		if (set >= 0 && db_commit(c->db) < 0)
			set = -1;
		if (set < 0)
			db_rollback(c->db);
	}
	if (set < 0) {
		rc = cli_error(CLI_FAIL, "pass", "%s", db_errmsg(c->db));
	} else if (set == 0) {
		timeutil_format_local(t.passed_at, when, sizeof when);
		cli_clean(t.passed_to ? t.passed_to : "?", agency, sizeof agency);
		cli_clean(t.passed_by_name ? t.passed_by_name : "?", name, sizeof name);
		printf(_("%s: already recorded as passed on at %s to %s (by %s)\n"), id, when, agency,
		    name);
	} else {
		char due[40];
		cli_clean(to, agency, sizeof agency);
		cli_clean(o.name, name, sizeof name);
		printf(_("%s: passed on to %s at %s, recorded for %s"), id, agency, when, name);
		timeutil_format_local(t.created_at + LEGALCLOCK_PASS_ON_S, due, sizeof due);
		if (at >= t.created_at + LEGALCLOCK_PASS_ON_S)
			printf(_(" (after the 24-hour deadline, %s)"), due);
		putchar('\n');
	}
out:
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
