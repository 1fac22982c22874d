/* cli_roster — `tinbao officer` and `tinbao shift` (the files: cli_rosterfile.c;
 * who is on duty: cli_oncall.c). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/i18n.h"
#include "gateway/phone.h"
#include "gateway/roster.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/view.h"

static const char officer_usage[] =
    N_("usage: tinbao officer add --name NAME --phone +84... [--zalo-oa ID] [--zalo-bot ID]\n"
    "                          [--channel sms|zalo_oa|zalo_bot] [--role officer|leader|chief]\n"
    "                          [--short-code CODE]\n"
    "       tinbao officer list [--json]\n"
    "       tinbao officer remove PHONE\n"
    "       tinbao officer import FILE.csv\n"
    "       tinbao officer export [--excel] [--header en|vi] [FILE.csv]\n"
    "\n"
    "Officers are identified by their phone number (0901234567 or +84901234567).\n"
    "Messages from a roster number are read as commands (OK, XONG, DS), never as tips.\n"
    "--channel is how they are reached first (default sms; zalo_oa and zalo_bot need\n"
    "the matching Zalo id). --short-code (1-8 letters or digits, unique) lets others\n"
    "hand a tip over with CHUYEN <id> CODE instead of the phone number. Removing an\n"
    "officer also removes their shifts; their history stays.\n"
    "\n"
    "import adds the officers of a spreadsheet (CSV) and updates those already\n"
    "there; export writes them (see tinbao roster --help for the file format).\n");

static const char shift_usage[] =
    N_("usage: tinbao shift add --officer PHONE --level 1-4 --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
    "       tinbao shift add --officer PHONE --level 1-4 --always\n"
    "       tinbao shift add --officer PHONE --level 1-4 --weekly DAYS --time HH:MM-HH:MM\n"
    "                        [--from DATE] [--until DATE]\n"
    "       tinbao shift off --officer PHONE --on DATE [--until DATE] [--undo]\n"
    "       tinbao shift list [--json] [--at \"YYYY-MM-DD HH:MM\"|now]\n"
    "       tinbao shift remove ID\n"
    "\n"
    "Levels: 1 duty officer (trực ban), 2 backup, 3 shift leader (chỉ huy ca),\n"
    "4 station chief. Times are local to [gateway] timezone; a shift runs from\n"
    "its start up to its end. Dates are YYYY-MM-DD or dd/mm/yyyy.\n"
    "\n"
    "--weekly repeats a shift on those days of the week: MON,WED,FRI or MON-FRI,\n"
    "or in Vietnamese T2,T4,T6 or T2-T6 (CN is Sunday), or daily. --time is the\n"
    "time of day; an end at or before the start is the next morning (19:00-07:00\n"
    "is an overnight shift, 07:00-07:00 is 24 hours). --from and --until limit\n"
    "the dates on which it starts (both optional).\n"
    "\n"
    "shift off takes an officer off duty on a day (or --on DATE --until DATE):\n"
    "their shifts that start that day do not happen and their --always duty\n"
    "stops for the day; an overnight shift begun the day before still ends as\n"
    "planned. --undo puts them back. Days off are listed with the shifts and\n"
    "removed with shift remove too.\n"
    "\n"
    "--at lists who is on duty at that moment (now: this minute), by the same\n"
    "rule the router uses; see also tinbao oncall.\n");

/* ----------------------------------------------------------- officers */

static int
in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

/* Zalo ids: 1..CLI_ID_MAX printable ASCII characters without spaces. */
static int
zalo_id_ok(const char *s)
{
	size_t n = strlen(s);
	if (n == 0 || n > CLI_ID_MAX)
		return 0;
	for (; *s; s++)
		if (*s <= ' ' || *s > '~')
			return 0;
	return 1;
}

/* Short codes: 1..8 ASCII letters or digits, stored upper case. */
static int
short_code_norm(const char *in, char *out)
{
	size_t n = strlen(in);
	if (n == 0 || n > CLI_SHORT_CODE_MAX)
		return -1;
	for (size_t i = 0; i < n; i++) {
		char ch = in[i];
		if (ch >= 'a' && ch <= 'z')
			ch = (char)(ch - 'a' + 'A');
		if (!((ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')))
			return -1;
		out[i] = ch;
	}
	out[n] = '\0';
	return 0;
}

int
cli_officer_check(struct officer *o, char norm[PHONE_MAX], char code[CLI_SHORT_CODE_MAX + 1],
    char *err, size_t errlen)
{
	static const char *const channels[] = { "sms", "zalo_oa", "zalo_bot", NULL };
	static const char *const roles[] = { "officer", "leader", "chief", NULL };
	if (!o->channel || !*o->channel)
		o->channel = "sms";
	if (!o->role || !*o->role)
		o->role = "officer";
	if (o->zalo_oa && !*o->zalo_oa)
		o->zalo_oa = NULL;
	if (o->zalo_bot && !*o->zalo_bot)
		o->zalo_bot = NULL;
	if (o->short_code && !*o->short_code)
		o->short_code = NULL;
	if (!o->name || !text_valid(o->name, CLI_NAME_MAX, 0)) {
		snprintf(err, errlen, _("the name must be 1-%d bytes of UTF-8 text"), CLI_NAME_MAX);
		return -1;
	}
	if (!o->phone || phone_normalize_full(o->phone, norm) < 0) {
		snprintf(err, errlen, _("\"%s\" is not a phone number (like 0901234567 or "
		    "+84901234567)"), o->phone ? o->phone : "");
		return -1;
	}
	o->phone = norm;
	if (o->short_code) {
		if (short_code_norm(o->short_code, code) < 0) {
			snprintf(err, errlen, _("the short code is 1-%d letters or digits"),
			    CLI_SHORT_CODE_MAX);
			return -1;
		}
		o->short_code = code;
	}
	if (!in_set(o->channel, channels)) {
		snprintf(err, errlen, _("the channel is sms, zalo_oa or zalo_bot, not \"%s\""),
		    o->channel);
		return -1;
	}
	if (!in_set(o->role, roles)) {
		snprintf(err, errlen, _("the role is officer, leader or chief, not \"%s\""), o->role);
		return -1;
	}
	if ((o->zalo_oa && !zalo_id_ok(o->zalo_oa)) || (o->zalo_bot && !zalo_id_ok(o->zalo_bot))) {
		snprintf(err, errlen, _("a Zalo id is 1-%d characters without spaces"), CLI_ID_MAX);
		return -1;
	}
	if ((strcmp(o->channel, "zalo_oa") == 0 && !o->zalo_oa) ||
	    (strcmp(o->channel, "zalo_bot") == 0 && !o->zalo_bot)) {
		snprintf(err, errlen, _("channel %s needs the officer's %s id"), o->channel,
		    strcmp(o->channel, "zalo_oa") == 0 ? "Zalo OA" : "Zalo bot");
		return -1;
	}
	return 0;
}

static int
officer_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "phone", required_argument, NULL, 'p' },
		{ "zalo-oa", required_argument, NULL, 'o' }, { "zalo-bot", required_argument, NULL, 'b' },
		{ "channel", required_argument, NULL, 'C' }, { "role", required_argument, NULL, 'r' },
		{ "short-code", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	const char *what = "officer add";
	struct officer o = { .channel = "sms", .role = "officer" };
	char norm[PHONE_MAX], code[CLI_SHORT_CODE_MAX + 1], err[200];
	int ch;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'n': o.name = optarg; break;
		case 'p': o.phone = optarg; break;
		case 'o': o.zalo_oa = optarg; break;
		case 'b': o.zalo_bot = optarg; break;
		case 'C': o.channel = optarg; break;
		case 'r': o.role = optarg; break;
		case 's': o.short_code = optarg; break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (!o.name || !o.phone)
		return cli_error(CLI_USAGE, what, _("--name and --phone are required"));
	if (cli_officer_check(&o, norm, code, err, sizeof err) < 0)
		return cli_error(CLI_USAGE, what, "%s", err);
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	int64_t id = db_officer_add(c->db, &o, timeutil_now());
	if (id < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	char name[CLI_NAME_MAX * 4];
	cli_clean(o.name, name, sizeof name);
	/* TRANSLATORS: officer id, name, phone, role (officer, leader, chief) and
	 * channel (sms, zalo_oa, zalo_bot), codes as typed */
	printf(_("added officer %lld: %s, %s, %s, reached by %s"), (long long)id, name, o.phone,
	    o.role, o.channel);
	if (o.short_code)
		printf(_(", short code %s"), o.short_code);
	putchar('\n');
	return CLI_OK;
}

static int
officer_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	int json = 0, ch;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "officer list")) != -1) {
		if (ch != 'j')
			return CLI_USAGE;
		json = 1;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "officer list", _("unexpected argument \"%s\""), argv[optind]);
	if (cli_open(c, 1, "officer list") < 0)
		return CLI_FAIL;
	struct officer *v;
	size_t n;
	if (db_officer_list(c->db, &v, &n) < 0)
		return cli_error(CLI_FAIL, "officer list", "%s", db_errmsg(c->db));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, view_officer_json(&v[i]));
		officers_free(v, n);
		return cli_print_json(arr);
	}
	if (n == 0)
		printf(_("no officers yet: tinbao officer add --name NAME --phone PHONE\n"));
	/* TRANSLATORS: the column heads of `tinbao officer list` */
	const char *h_id = _("ID"), *h_name = _("NAME"), *h_phone = _("PHONE"), *h_role = _("ROLE"),
	    *h_code = _("CODE");
	int w_id = cli_width(h_id, 4), w_name = cli_width(h_name, 28), w_phone = cli_width(h_phone, 14),
	    w_role = cli_width(h_role, 8), w_code = cli_width(h_code, 6);
	if (n > 0) {
		cli_cell(h_id, w_id);
		cli_cell(h_name, w_name);
		cli_cell(h_phone, w_phone);
		cli_cell(h_role, w_role);
		cli_cell(h_code, w_code);
		puts(_("REACHED BY"));
	}
	for (size_t i = 0; i < n; i++) {
		char oid[24];
		snprintf(oid, sizeof oid, "%lld", (long long)v[i].id);
		cli_cell(oid, w_id);
		cli_cell(v[i].name, w_name);
		cli_cell(v[i].phone, w_phone);
		cli_cell(v[i].role, w_role);
		cli_cell(v[i].short_code ? v[i].short_code : "-", w_code);
		fputs(v[i].channel, stdout);
		if (strcmp(v[i].channel, "zalo_oa") == 0 && v[i].zalo_oa)
			printf(" (%s)", v[i].zalo_oa);
		else if (strcmp(v[i].channel, "zalo_bot") == 0 && v[i].zalo_bot)
			printf(" (%s)", v[i].zalo_bot);
		putchar('\n');
	}
	officers_free(v, n);
	return CLI_OK;
}

static int
officer_remove(struct cli *c, int argc, char **argv)
{
	const char *what = "officer remove", *phone;
	char norm[PHONE_MAX];
	if (cli_one_arg(argc, argv, what, "tinbao officer remove PHONE", &phone) != 0)
		return CLI_USAGE;
	if (cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	int r = db_officer_remove(c->db, norm);
	if (r < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, what, _("no officer with phone %s"), norm);
	printf(_("removed officer %s and their shifts\n"), norm);
	return CLI_OK;
}

int
cli_officer(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", officer_add }, { "list", officer_list }, { "remove", officer_remove },
		{ "import", cli_officer_import }, { "export", cli_officer_export }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, officer_usage, subs);
}

/* ------------------------------------------------------------- shifts */

/* The shift being added or checked, described for people. */
static void
say_shift(int64_t id, const char *phone, const struct shift *s)
{
	char when[160];
	view_shift_when(s, when, sizeof when);
	if (s->kind == SHIFT_OFF)
		printf(_("recorded %lld: %s, %s\n"), (long long)id, phone, when);
	else
		printf(_("added shift %lld: %s at level %d, %s\n"), (long long)id, phone, s->level,
		    when);
}

/* The officer named by --officer: 0 with *id, or an exit code after
 * printing why. */
static int
shift_officer(struct cli *c, const char *what, const char *norm, int64_t *id)
{
	int r = cli_officer_id(c, norm, id);
	if (r < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, what, _("no officer with phone %s (tinbao officer add)"), norm);
	return 0;
}

static int
shift_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { "level", required_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "always", no_argument, NULL, 'a' }, { "weekly", required_argument, NULL, 'w' },
		{ "time", required_argument, NULL, 'T' }, { "until", required_argument, NULL, 'u' },
		{ NULL, 0, NULL, 0 },
	};
	const char *what = "shift add";
	const char *phone = NULL, *from = NULL, *to = NULL, *level_s = NULL, *weekly = NULL,
	    *span = NULL, *until = NULL;
	char norm[PHONE_MAX];
	int always = 0, ch;
	struct shift s = { .kind = SHIFT_ONCE };
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'o': phone = optarg; break;
		case 'l': level_s = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'a': always = 1; break;
		case 'w': weekly = optarg; break;
		case 'T': span = optarg; break;
		case 'u': until = optarg; break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (!phone || !level_s)
		return cli_error(CLI_USAGE, what, _("--officer and --level are required"));
	if (cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	if (cli_level_parse(level_s, &s.level) < 0)
		return cli_error(CLI_USAGE, what, _("--level is 1, 2, 3 or 4, not \"%s\""), level_s);
	if (always + !!weekly + !!(to || (from && !weekly)) > 1 || (always && (from || until)))
		return cli_error(CLI_USAGE, what, _("give --from and --to, or --always, or --weekly "
		    "with --time"));
	if (always) {
		s.kind = SHIFT_ALWAYS;
		s.always = 1;
	} else if (weekly) {
		s.kind = SHIFT_WEEKLY;
		if ((s.weekdays = roster_parse_weekdays(weekly)) < 0)
			return cli_error(CLI_USAGE, what, _("--weekly \"%s\": days are MON,TUE,... or "
			    "MON-FRI, or T2,T3,...,CN, or daily"), weekly);
		if (!span)
			return cli_error(CLI_USAGE, what, _("--weekly needs --time HH:MM-HH:MM"));
		if (roster_parse_span(span, &s.time_from, &s.time_to) < 0)
			return cli_error(CLI_USAGE, what, _("--time \"%s\" is not HH:MM-HH:MM "
			    "(like 07:00-19:00, or 19:00-07:00 overnight)"), span);
		if (from && timeutil_parse_day(from, s.first_day) < 0)
			return cli_error(CLI_USAGE, what, _("--from \"%s\" is not a date (YYYY-MM-DD or "
			    "dd/mm/yyyy)"), from);
		if (until && timeutil_parse_day(until, s.last_day) < 0)
			return cli_error(CLI_USAGE, what, _("--until \"%s\" is not a date (YYYY-MM-DD or "
			    "dd/mm/yyyy)"), until);
		if (from && until && strcmp(s.last_day, s.first_day) < 0)
			return cli_error(CLI_USAGE, what, _("--until is before --from"));
	} else {
		if (span || until)
			return cli_error(CLI_USAGE, what, _("--time and --until go with --weekly"));
		if (!from || !to)
			return cli_error(CLI_USAGE, what, _("give --from and --to, or --always, or "
			    "--weekly with --time"));
		if (timeutil_parse_local(from, &s.starts_at) < 0)
			return cli_error(CLI_USAGE, what, _("--from \"%s\" is not \"YYYY-MM-DD HH:MM\" "
			    "(or \"dd/mm/yyyy HH:MM\")"), from);
		if (timeutil_parse_local(to, &s.ends_at) < 0)
			return cli_error(CLI_USAGE, what, _("--to \"%s\" is not \"YYYY-MM-DD HH:MM\" "
			    "(or \"dd/mm/yyyy HH:MM\")"), to);
		if (s.ends_at <= s.starts_at)
			return cli_error(CLI_USAGE, what, _("--to must be after --from"));
	}
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	int rc = shift_officer(c, what, norm, &s.officer_id);
	if (rc)
		return rc;
	int64_t id = db_shift_insert(c->db, &s, timeutil_now());
	if (id < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	say_shift(id, norm, &s);
	return CLI_OK;
}

static int
shift_off(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { "on", required_argument, NULL, 'n' },
		{ "until", required_argument, NULL, 'u' }, { "undo", no_argument, NULL, 'U' },
		{ NULL, 0, NULL, 0 },
	};
	const char *what = "shift off";
	const char *phone = NULL, *on = NULL, *until = NULL;
	char norm[PHONE_MAX];
	int undo = 0, ch;
	struct shift s = { .kind = SHIFT_OFF };
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'o': phone = optarg; break;
		case 'n': on = optarg; break;
		case 'u': until = optarg; break;
		case 'U': undo = 1; break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (!phone || !on)
		return cli_error(CLI_USAGE, what, _("--officer and --on are required"));
	if (cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	if (timeutil_parse_day(on, s.first_day) < 0)
		return cli_error(CLI_USAGE, what, _("--on \"%s\" is not a date (YYYY-MM-DD or "
		    "dd/mm/yyyy)"), on);
	if (until && timeutil_parse_day(until, s.last_day) < 0)
		return cli_error(CLI_USAGE, what, _("--until \"%s\" is not a date (YYYY-MM-DD or "
		    "dd/mm/yyyy)"), until);
	if (!until)
		memcpy(s.last_day, s.first_day, sizeof s.last_day);
	if (strcmp(s.last_day, s.first_day) < 0)
		return cli_error(CLI_USAGE, what, _("--until is before --on"));
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	int rc = shift_officer(c, what, norm, &s.officer_id);
	if (rc)
		return rc;
	char when[160];
	view_shift_when(&s, when, sizeof when);
	if (undo) {
		int r = db_shift_off_remove(c->db, s.officer_id, s.first_day, s.last_day);
		if (r < 0)
			return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
		if (r == 0)
			return cli_error(CLI_FAIL, what, _("%s has no %s (see tinbao shift list)"), norm,
			    when);
		printf(_("removed %s of %s: back on their shifts\n"), when, norm);
		return CLI_OK;
	}
	int have = db_shift_exists(c->db, &s);
	if (have < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (have) {
		printf(_("%s: %s is already in the roster\n"), norm, when);
		return CLI_OK;
	}
	int64_t id = db_shift_insert(c->db, &s, timeutil_now());
	if (id < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	say_shift(id, norm, &s);
	return CLI_OK;
}

/* The columns of the shift listings: heads translated, widths in
 * characters. */
struct shift_cols {
	const char *id, *level, *officer, *phone, *until;
	int w_id, w_level, w_officer, w_phone, w_until;
};

static void
shift_cols(struct shift_cols *k)
{
	/* TRANSLATORS: the column heads of `tinbao shift list` */
	k->id = _("ID");
	k->level = _("LEVEL");
	k->officer = _("OFFICER");
	k->phone = _("PHONE");
	k->until = _("UNTIL");
	k->w_id = cli_width(k->id, 4);
	k->w_level = cli_width(k->level, 12);
	k->w_officer = cli_width(k->officer, 28);
	k->w_phone = cli_width(k->phone, 14);
	k->w_until = cli_width(k->until, 16);
	for (int l = 1; l <= 4; l++)
		k->w_level = cli_width(view_level_name(l), k->w_level - 2) + 2;
}

/* One row's first columns: id, level (or "-" for a day off), officer. */
static void
shift_row(const struct shift_cols *k, const struct shift *s)
{
	char sid[24], level[64];
	snprintf(sid, sizeof sid, "%lld", (long long)s->id);
	if (s->kind == SHIFT_OFF)
		snprintf(level, sizeof level, "-");
	else
		snprintf(level, sizeof level, "%d %s", s->level, view_level_name(s->level));
	cli_cell(sid, k->w_id);
	cli_cell(level, k->w_level);
	cli_cell(s->officer_name, k->w_officer);
	cli_cell(s->officer_phone, k->w_phone);
}

/* `shift list --at`: the shifts on duty then, by the router's rule. */
static int
shift_list_at(struct cli *c, int64_t at, int json)
{
	struct roster_duty *d;
	size_t n;
	if (roster_at(c->db, 0, at, &d, &n) < 0)
		return cli_error(CLI_FAIL, "shift list", "%s", db_errmsg(c->db));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, view_shift_json(&d[i].shift));
		roster_duties_free(d, n);
		return cli_print_json(arr);
	}
	struct shift_cols k;
	shift_cols(&k);
	char when[32];
	timeutil_format_local(at, when, sizeof when);
	if (n == 0) {
		printf(_("nobody on duty at %s\n"), when);
	} else {
		cli_cell(k.id, k.w_id);
		cli_cell(k.level, k.w_level);
		cli_cell(k.officer, k.w_officer);
		cli_cell(k.phone, k.w_phone);
		cli_cell(k.until, k.w_until);
		puts(_("SHIFT"));
	}
	for (size_t i = 0; i < n; i++) {
		char until[32], how[160];
		if (d[i].end)
			timeutil_format_local(d[i].end, until, sizeof until);
		else
			snprintf(until, sizeof until, "-");
		view_shift_when(&d[i].shift, how, sizeof how);
		shift_row(&k, &d[i].shift);
		cli_cell(until, k.w_until);
		puts(how);
	}
	roster_duties_free(d, n);
	return CLI_OK;
}

static int
shift_list(struct cli *c, int argc, char **argv)
{
	const char *what = "shift list";
	int json = 0;
	int64_t at = -1;
	int opts_rc = cli_listing_opts(argc, argv, what, 1, &json, &at);
	if (opts_rc != CLI_OK)
		return opts_rc;
	if (cli_open(c, 1, what) < 0)
		return CLI_FAIL;
	if (at >= 0)
		return shift_list_at(c, at, json);
	struct shift *v;
	size_t n;
	if (db_shift_list(c->db, &v, &n) < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	json_t *arr = json ? json_array() : NULL;
	struct shift_cols k;
	shift_cols(&k);
	if (!json && n == 0) {
		printf(_("no shifts yet: tinbao shift add --officer PHONE --level 1 --weekly MON-FRI "
		    "--time 07:00-19:00\n"));
	} else if (!json) {
		cli_cell(k.id, k.w_id);
		cli_cell(k.level, k.w_level);
		cli_cell(k.officer, k.w_officer);
		cli_cell(k.phone, k.w_phone);
		puts(_("ON DUTY"));
	}
	for (size_t i = 0; i < n; i++) {
		char when[160];
		if (json) {
			json_array_append_new(arr, view_shift_json(&v[i]));
			continue;
		}
		view_shift_when(&v[i], when, sizeof when);
		shift_row(&k, &v[i]);
		puts(when);
	}
	shifts_free(v, n);
	return json ? cli_print_json(arr) : CLI_OK;
}

static int
shift_remove(struct cli *c, int argc, char **argv)
{
	const char *what = "shift remove", *arg;
	if (cli_one_arg(argc, argv, what, "tinbao shift remove ID", &arg) != 0)
		return CLI_USAGE;
	char *end;
	errno = 0;
	long long id = strtoll(arg, &end, 10);
	if (end == arg || *end || errno || id <= 0)
		return cli_error(CLI_USAGE, what, _("\"%s\" is not a shift id (see tinbao shift list)"),
		    arg);
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	int r = db_shift_remove(c->db, id);
	if (r < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, what, _("no shift %lld"), id);
	printf(_("removed shift %lld\n"), id);
	return CLI_OK;
}

int
cli_shift(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "add", shift_add }, { "off", shift_off }, { "list", shift_list },
		{ "remove", shift_remove }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, shift_usage, subs);
}
