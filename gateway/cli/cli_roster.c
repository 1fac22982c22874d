/* cli_roster — `tinbao officer`, `tinbao shift`, `tinbao roster import`. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/i18n.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/view.h"

#define CSV_LINE_MAX 512
#define CSV_ROWS_MAX 5000
#define CSV_HEADER "officer_phone,level,from,to"

static const char officer_usage[] =
    N_("usage: tinbao officer add --name NAME --phone +84... [--zalo-oa ID] [--zalo-bot ID]\n"
    "                          [--channel sms|zalo_oa|zalo_bot] [--role officer|leader|chief]\n"
    "                          [--short-code CODE]\n"
    "       tinbao officer list [--json]\n"
    "       tinbao officer remove PHONE\n"
    "\n"
    "Officers are identified by their phone number (0901234567 or +84901234567).\n"
    "Messages from a roster number are read as commands (OK, XONG, DS), never as tips.\n"
    "--channel is how they are reached first (default sms; zalo_oa and zalo_bot need\n"
    "the matching Zalo id). --short-code (1-8 letters or digits, unique) lets others\n"
    "hand a tip over with CHUYEN <id> CODE instead of the phone number. Removing an\n"
    "officer also removes their shifts; their history stays.\n");

static const char shift_usage[] =
    N_("usage: tinbao shift add --officer PHONE --level 1-4 --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
    "       tinbao shift add --officer PHONE --level 1-4 --always\n"
    "       tinbao shift list [--json] [--at \"YYYY-MM-DD HH:MM\"]\n"
    "       tinbao shift remove ID\n"
    "\n"
    "Levels: 1 duty officer (trực ban), 2 backup, 3 shift leader (chỉ huy ca),\n"
    "4 station chief. Times are local to [gateway] timezone; a shift runs from\n"
    "--from up to --to. --at lists the shifts on duty at that moment.\n");

static const char roster_usage[] =
    N_("usage: tinbao roster import FILE.csv\n"
    "\n"
    "Adds shifts from a CSV file whose first line is exactly\n"
    "  officer_phone,level,from,to\n"
    "from/to are \"YYYY-MM-DD HH:MM\" (local), or both empty or \"always\" for a\n"
    "shift without end. Fields may be in double quotes; blank lines are skipped.\n"
    "Every line is checked first: if any is wrong, nothing is imported and each\n"
    "bad line is reported as FILE:LINE. Officers must already be in the roster.\n");

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
#define SHORT_CODE_MAX 8
static int
short_code_norm(const char *in, char *out)
{
	size_t n = strlen(in);
	if (n == 0 || n > SHORT_CODE_MAX)
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

static int
officer_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "phone", required_argument, NULL, 'p' },
		{ "zalo-oa", required_argument, NULL, 'o' }, { "zalo-bot", required_argument, NULL, 'b' },
		{ "channel", required_argument, NULL, 'C' }, { "role", required_argument, NULL, 'r' },
		{ "short-code", required_argument, NULL, 's' }, { NULL, 0, NULL, 0 },
	};
	static const char *const channels[] = { "sms", "zalo_oa", "zalo_bot", NULL };
	static const char *const roles[] = { "officer", "leader", "chief", NULL };
	const char *what = "officer add";
	struct officer o = { .channel = "sms", .role = "officer" };
	const char *phone = NULL, *short_code = NULL;
	char norm[PHONE_MAX], code[SHORT_CODE_MAX + 1];
	int ch;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'n': o.name = optarg; break;
		case 'p': phone = optarg; break;
		case 'o': o.zalo_oa = optarg; break;
		case 'b': o.zalo_bot = optarg; break;
		case 'C': o.channel = optarg; break;
		case 'r': o.role = optarg; break;
		case 's': short_code = optarg; break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (!o.name || !phone)
		return cli_error(CLI_USAGE, what, _("--name and --phone are required"));
	if (!text_valid(o.name, CLI_NAME_MAX, 0))
		return cli_error(CLI_USAGE, what, _("--name must be 1-%d bytes of UTF-8 text"),
		    CLI_NAME_MAX);
	if (cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	o.phone = norm;
	if (short_code) {
		if (short_code_norm(short_code, code) < 0)
			return cli_error(CLI_USAGE, what, _("--short-code is 1-%d letters or digits"),
			    SHORT_CODE_MAX);
		o.short_code = code;
	}
	if (!in_set(o.channel, channels))
		return cli_error(CLI_USAGE, what, _("--channel is sms, zalo_oa or zalo_bot, not \"%s\""),
		    o.channel);
	if (!in_set(o.role, roles))
		return cli_error(CLI_USAGE, what, _("--role is officer, leader or chief, not \"%s\""),
		    o.role);
	if ((o.zalo_oa && !zalo_id_ok(o.zalo_oa)) || (o.zalo_bot && !zalo_id_ok(o.zalo_bot)))
		return cli_error(CLI_USAGE, what, _("a Zalo id is 1-%d characters without spaces"),
		    CLI_ID_MAX);
	if ((strcmp(o.channel, "zalo_oa") == 0 && !o.zalo_oa) ||
	    (strcmp(o.channel, "zalo_bot") == 0 && !o.zalo_bot))
		return cli_error(CLI_USAGE, what, _("--channel %s needs --%s ID"), o.channel,
		    strcmp(o.channel, "zalo_oa") == 0 ? "zalo-oa" : "zalo-bot");
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
		{ NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, officer_usage, subs);
}

/* ------------------------------------------------------------- shifts */

/* The active officer with a normalised phone: 1 found (*id set), 0 unknown,
 * -1 database error. */
static int
officer_id(struct cli *c, const char *norm, int64_t *id)
{
	struct officer o;
	int r = db_officer_by_phone(c->db, norm, &o);
	if (r > 0) {
		*id = o.id;
		officer_clear(&o);
	}
	return r;
}

static int
shift_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { "level", required_argument, NULL, 'l' },
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "always", no_argument, NULL, 'a' }, { NULL, 0, NULL, 0 },
	};
	const char *what = "shift add";
	const char *phone = NULL, *from = NULL, *to = NULL, *level_s = NULL;
	char norm[PHONE_MAX];
	int always = 0, ch, level;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'o': phone = optarg; break;
		case 'l': level_s = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'a': always = 1; break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (!phone || !level_s)
		return cli_error(CLI_USAGE, what, _("--officer and --level are required"));
	if (cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	if (cli_level_parse(level_s, &level) < 0)
		return cli_error(CLI_USAGE, what, _("--level is 1, 2, 3 or 4, not \"%s\""), level_s);
	int64_t start = 0, end = 0;
	if (always && (from || to))
		return cli_error(CLI_USAGE, what, _("--always takes no --from/--to"));
	if (!always) {
		if (!from || !to)
			return cli_error(CLI_USAGE, what, _("give --from and --to, or --always"));
		if (timeutil_parse_local(from, &start) < 0)
			return cli_error(CLI_USAGE, what, _("--from \"%s\" is not \"YYYY-MM-DD HH:MM\""), from);
		if (timeutil_parse_local(to, &end) < 0)
			return cli_error(CLI_USAGE, what, _("--to \"%s\" is not \"YYYY-MM-DD HH:MM\""), to);
		if (end <= start)
			return cli_error(CLI_USAGE, what, _("--to must be after --from"));
	}
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	int64_t oid;
	int r = officer_id(c, norm, &oid);
	if (r < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, what, _("no officer with phone %s"), norm);
	int64_t id = db_shift_add(c->db, oid, level, always, start, end, timeutil_now());
	if (id < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	struct shift added = { .always = always, .starts_at = start, .ends_at = end };
	char when[80];
	view_shift_when(&added, when, sizeof when);
	printf(_("added shift %lld: %s at level %d, %s\n"), (long long)id, norm, level, when);
	return CLI_OK;
}

static int
shift_list(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	const char *what = "shift list";
	int json = 0, ch;
	int64_t at = -1;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'a' && timeutil_parse_local(optarg, &at) < 0)
			return cli_error(CLI_USAGE, what, _("--at \"%s\" is not \"YYYY-MM-DD HH:MM\""),
			    optarg);
		else if (ch != 'a')
			return CLI_USAGE;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (cli_open(c, 1, what) < 0)
		return CLI_FAIL;
	struct shift *v;
	size_t n;
	if (db_shift_list(c->db, at, &v, &n) < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	json_t *arr = json ? json_array() : NULL;
	/* TRANSLATORS: the column heads of `tinbao shift list` */
	const char *h_id = _("ID"), *h_level = _("LEVEL"), *h_officer = _("OFFICER"),
	    *h_phone = _("PHONE");
	int w_id = cli_width(h_id, 4), w_level = cli_width(h_level, 12),
	    w_officer = cli_width(h_officer, 28), w_phone = cli_width(h_phone, 14);
	for (int l = 1; l <= 4; l++)
		w_level = cli_width(view_level_name(l), w_level - 2) + 2;
	if (!json && n == 0) {
		fputs(at >= 0 ? _("no shifts at that time\n") : _("no shifts\n"), stdout);
	} else if (!json) {
		cli_cell(h_id, w_id);
		cli_cell(h_level, w_level);
		cli_cell(h_officer, w_officer);
		cli_cell(h_phone, w_phone);
		puts(_("ON DUTY"));
	}
	for (size_t i = 0; i < n; i++) {
		char when[80];
		if (json) {
			json_array_append_new(arr, view_shift_json(&v[i]));
			continue;
		}
		view_shift_when(&v[i], when, sizeof when);
		char sid[24], level[64];
		snprintf(sid, sizeof sid, "%lld", (long long)v[i].id);
		snprintf(level, sizeof level, "%d %s", v[i].level, view_level_name(v[i].level));
		cli_cell(sid, w_id);
		cli_cell(level, w_level);
		cli_cell(v[i].officer_name, w_officer);
		cli_cell(v[i].officer_phone, w_phone);
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
		{ "add", shift_add }, { "list", shift_list }, { "remove", shift_remove },
		{ NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, shift_usage, subs);
}

/* ------------------------------------------------------------- roster */

struct row {
	int64_t officer;
	int level, always;
	int64_t from, to;
};

/* Split one CSV line in place into fields. Fields may be double-quoted ("" is
 * a quote inside); unquoted fields are trimmed of spaces. Returns the number
 * of fields (max + 1 when there are more than max), -1 for a broken quote. */
static int
csv_split(char *line, char **f, int max)
{
	char *p = line;
	int n = 0;
	for (;;) {
		while (*p == ' ' || *p == '\t')
			p++;
		char *start = p, *out = p;
		if (*p == '"') {
			for (p++;; p++) {
				if (*p == '\0')
					return -1;
				if (*p == '"' && p[1] == '"')
					p++;
				else if (*p == '"')
					break;
				*out++ = *p;
			}
			for (p++; *p == ' ' || *p == '\t'; p++)
				;
			if (*p && *p != ',')
				return -1;
		} else {
			while (*p && *p != ',')
				p++;
			out = p;
			while (out > start && (out[-1] == ' ' || out[-1] == '\t'))
				out--;
		}
		int more = *p == ',';
		*out = '\0';
		if (n == max)
			return max + 1;
		f[n++] = start;
		if (!more)
			return n;
		p++;
	}
}

static int
no_time(const char *s)
{
	return *s == '\0' || strcmp(s, "always") == 0;
}

/* Check one data line; print each problem as FILE:LINE: reason. Returns the
 * number of problems. */
static int
csv_row(struct cli *c, const char *file, int lineno, char *line, struct row *r)
{
	char *f[4], norm[PHONE_MAX];
	int bad = 0, nf = csv_split(line, f, 4);
	if (nf < 0) {
		fprintf(stderr, _("%s:%d: a quoted field is not closed\n"), file, lineno);
		return 1;
	}
	if (nf != 4) {
		if (nf > 4)
			fprintf(stderr, _("%s:%d: more than 4 fields; expected 4: %s\n"), file, lineno,
			    CSV_HEADER);
		else
			fprintf(stderr, ngettext("%s:%d: only %d field; expected 4: %s\n",
			    "%s:%d: only %d fields; expected 4: %s\n", nf), file, lineno, nf,
			    CSV_HEADER);
		return 1;
	}
	if (phone_normalize_full(f[0], norm) < 0) {
		fprintf(stderr, _("%s:%d: \"%s\" is not a phone number\n"), file, lineno, f[0]);
		bad++;
	} else {
		int found = officer_id(c, norm, &r->officer);
		if (found < 0)
			fprintf(stderr, "%s:%d: %s\n", file, lineno, db_errmsg(c->db));
		else if (found == 0)
			fprintf(stderr, _("%s:%d: no officer with phone %s (add them first)\n"), file,
			    lineno, norm);
		bad += found <= 0;
	}
	if (cli_level_parse(f[1], &r->level) < 0) {
		fprintf(stderr, _("%s:%d: level \"%s\" is not 1-4\n"), file, lineno, f[1]);
		bad++;
	}
	if (no_time(f[2]) && no_time(f[3])) {
		r->always = 1;
	} else if (no_time(f[2]) || no_time(f[3])) {
		fprintf(stderr, _("%s:%d: give both from and to, or leave both empty for always\n"),
		    file, lineno);
		bad++;
	} else {
		int tbad = 0;
		if (timeutil_parse_local(f[2], &r->from) < 0) {
			fprintf(stderr, _("%s:%d: from \"%s\" is not \"YYYY-MM-DD HH:MM\"\n"), file,
			    lineno, f[2]);
			tbad++;
		}
		if (timeutil_parse_local(f[3], &r->to) < 0) {
			fprintf(stderr, _("%s:%d: to \"%s\" is not \"YYYY-MM-DD HH:MM\"\n"), file, lineno,
			    f[3]);
			tbad++;
		}
		if (!tbad && r->to <= r->from) {
			fprintf(stderr, _("%s:%d: \"to\" must be after \"from\"\n"), file, lineno);
			tbad++;
		}
		bad += tbad;
	}
	return bad;
}

/* Read and check the whole file into rows. Returns the number of bad lines
 * (each problem printed as FILE:LINE: reason). Closes f. */
static int
csv_read(struct cli *c, FILE *f, const char *file, struct row *rows, size_t *n)
{
	char line[CSV_LINE_MAX + 2];
	int lineno = 0, bad = 0;
	while (fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len == sizeof line - 1 && line[len - 1] != '\n') {
			fprintf(stderr, _("%s:%d: line longer than %d bytes\n"), file, lineno, CSV_LINE_MAX);
			bad++;
			int ch;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		char *p = line;
		if (lineno == 1 && strncmp(p, "\xEF\xBB\xBF", 3) == 0)
			p += 3;     /* the byte-order mark spreadsheets write */
		if (lineno == 1) {
			if (strcmp(p, CSV_HEADER) == 0)
				continue;
			fprintf(stderr, _("%s:1: the first line must be exactly %s\n"), file, CSV_HEADER);
			bad++;
			break;
		}
		if (p[strspn(p, " \t")] == '\0')
			continue;
		if (*n >= CSV_ROWS_MAX) {
			fprintf(stderr, _("%s:%d: more than %d shifts in one file\n"), file, lineno,
			    CSV_ROWS_MAX);
			bad++;
			break;
		}
		struct row r = { 0 };
		int rbad = csv_row(c, file, lineno, p, &r);
		if (rbad)
			bad++;
		else
			rows[(*n)++] = r;
	}
	if (ferror(f)) {
		fprintf(stderr, "%s: %s\n", file, strerror(errno));
		bad++;
	}
	fclose(f);
	if (lineno == 0) {
		fprintf(stderr, _("%s: empty file; the first line must be %s\n"), file, CSV_HEADER);
		bad++;
	}
	return bad;
}

int
cli_roster(struct cli *c, int argc, char **argv)
{
	const char *what = "roster import", *file;
	if (cli_wants_help(argc, argv)) {
		fputs(_(roster_usage), stdout);
		return CLI_OK;
	}
	if (argc < 2 || strcmp(argv[1], "import") != 0)
		return cli_error(CLI_USAGE, "roster", _("usage: tinbao roster import FILE.csv"));
	if (cli_one_arg(argc - 1, argv + 1, what, "tinbao roster import FILE.csv", &file) != 0)
		return CLI_USAGE;
	FILE *f = fopen(file, "r");
	if (!f)
		return cli_error(CLI_FAIL, what, "%s: %s", file, strerror(errno));
	struct row *rows = calloc(CSV_ROWS_MAX, sizeof *rows);
	if (!rows || cli_open(c, 0, what) < 0) {
		int rc = rows ? CLI_FAIL : cli_error(CLI_FAIL, what, _("out of memory"));
		fclose(f);
		free(rows);
		return rc;
	}
	size_t n = 0;
	int bad = csv_read(c, f, file, rows, &n);
	if (bad != 0) {
		free(rows);
		return cli_error(CLI_FAIL, what, ngettext("%d bad line in %s; nothing imported",
		    "%d bad lines in %s; nothing imported", (unsigned long)bad), bad, file);
	}
	int64_t now = timeutil_now();
	/* Importing the same file twice adds nothing the second time. */
	size_t added = 0;
	int failed = db_begin(c->db) < 0;
	for (size_t i = 0; i < n && !failed; i++) {
		int have = db_shift_exists(c->db, rows[i].officer, rows[i].level, rows[i].always,
		    rows[i].from, rows[i].to);
		failed = have < 0;
		if (have == 0) {
			failed = db_shift_add(c->db, rows[i].officer, rows[i].level, rows[i].always,
			    rows[i].from, rows[i].to, now) < 0;
			added++;
		}
	}
	free(rows);
	if (failed || db_commit(c->db) < 0) {
		cli_error(CLI_FAIL, what, _("%s; nothing imported"), db_errmsg(c->db));
		db_rollback(c->db);
		return CLI_FAIL;
	}
	printf(ngettext("imported %zu shift from %s", "imported %zu shifts from %s", added), added,
	    file);
	if (added < n)
		printf(_(" (%zu already in the roster)"), n - added);
	putchar('\n');
	return CLI_OK;
}
