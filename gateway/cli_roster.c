/* cli_roster — `tinbao officer`, `tinbao shift`, `tinbao roster import`. */
#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/timeutil.h"

#define NAME_MAX_BYTES 100
#define ID_MAX_BYTES 64
#define CSV_LINE_MAX 512
#define CSV_ROWS_MAX 5000

static const char officer_usage[] =
    "usage: tinbao officer add --name NAME --phone +84... [--zalo-oa ID] [--zalo-bot ID]\n"
    "                          [--channel sms|zalo_oa|zalo_bot] [--role officer|leader|chief]\n"
    "       tinbao officer list [--json]\n"
    "       tinbao officer remove PHONE\n"
    "\n"
    "Officers are identified by their phone number (0901234567 or +84901234567).\n"
    "Messages from a roster number are read as commands (OK, XONG, DS), never as tips.\n"
    "Removing an officer also removes their shifts; their history stays.\n";

static const char shift_usage[] =
    "usage: tinbao shift add --officer PHONE --level 1-4 --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
    "       tinbao shift add --officer PHONE --level 1-4 --always\n"
    "       tinbao shift list [--json] [--at \"YYYY-MM-DD HH:MM\"]\n"
    "       tinbao shift remove ID\n"
    "\n"
    "Levels: 1 duty officer (trực ban), 2 backup, 3 shift leader, 4 station chief.\n"
    "Times are local to [gateway] timezone; a shift runs from --from up to --to.\n"
    "--at lists the shifts on duty at that moment.\n";

static const char roster_usage[] =
    "usage: tinbao roster import FILE.csv\n"
    "\n"
    "Adds shifts from a CSV file whose first line is exactly\n"
    "  officer_phone,level,from,to\n"
    "from/to are \"YYYY-MM-DD HH:MM\" (local), or both empty or \"always\" for a\n"
    "shift without end. Every line is checked first: if any is wrong, nothing is\n"
    "imported and each bad line is reported as FILE:LINE.\n";

static int
valid_utf8_bounded(const char *s, size_t max)
{
	size_t n = strlen(s);
	if (n == 0 || n > max)
		return 0;
	for (const unsigned char *p = (const unsigned char *)s; *p; p++)
		if (*p < 0x20)
			return 0;
	return 1;
}

static int
in_set(const char *v, const char *const *set)
{
	for (; *set; set++)
		if (strcmp(v, *set) == 0)
			return 1;
	return 0;
}

static json_t *
officer_json(const struct officer *o)
{
	return json_pack("{s:I, s:s, s:s, s:o, s:o, s:s, s:s}", "id", (json_int_t)o->id,
	    "name", o->name, "phone", o->phone, "zalo_oa", cli_json_str(o->zalo_oa),
	    "zalo_bot", cli_json_str(o->zalo_bot), "channel", o->channel, "role", o->role);
}

static int
officer_add(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "name", required_argument, NULL, 'n' }, { "phone", required_argument, NULL, 'p' },
		{ "zalo-oa", required_argument, NULL, 'o' }, { "zalo-bot", required_argument, NULL, 'b' },
		{ "channel", required_argument, NULL, 'C' }, { "role", required_argument, NULL, 'r' },
		{ NULL, 0, NULL, 0 },
	};
	static const char *const channels[] = { "sms", "zalo_oa", "zalo_bot", NULL };
	static const char *const roles[] = { "officer", "leader", "chief", NULL };
	struct officer o = { .channel = "sms", .role = "officer" };
	const char *phone = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'n': o.name = optarg; break;
		case 'p': phone = optarg; break;
		case 'o': o.zalo_oa = optarg; break;
		case 'b': o.zalo_bot = optarg; break;
		case 'C': o.channel = optarg; break;
		case 'r': o.role = optarg; break;
		default: return cli_error(CLI_USAGE, "officer add", "see tinbao officer --help");
		}
	}
	if (optind != argc || !o.name || !phone)
		return cli_error(CLI_USAGE, "officer add", "--name and --phone are required");
	if (!valid_utf8_bounded(o.name, NAME_MAX_BYTES))
		return cli_error(CLI_USAGE, "officer add", "--name must be 1-%d bytes of text",
		    NAME_MAX_BYTES);
	char norm[40];
	if (identity_phone_normalize(phone, norm, sizeof norm) < 0)
		return cli_error(CLI_USAGE, "officer add", "\"%s\" is not a phone number", phone);
	o.phone = norm;
	if (!in_set(o.channel, channels))
		return cli_error(CLI_USAGE, "officer add", "--channel is sms, zalo_oa or zalo_bot");
	if (!in_set(o.role, roles))
		return cli_error(CLI_USAGE, "officer add", "--role is officer, leader or chief");
	if ((o.zalo_oa && !valid_utf8_bounded(o.zalo_oa, ID_MAX_BYTES)) ||
	    (o.zalo_bot && !valid_utf8_bounded(o.zalo_bot, ID_MAX_BYTES)))
		return cli_error(CLI_USAGE, "officer add", "Zalo ids are 1-%d bytes", ID_MAX_BYTES);
	if ((strcmp(o.channel, "zalo_oa") == 0 && !o.zalo_oa) ||
	    (strcmp(o.channel, "zalo_bot") == 0 && !o.zalo_bot))
		return cli_error(CLI_USAGE, "officer add", "--channel %s needs the matching Zalo id",
		    o.channel);
	if (cli_open(c, 0, "officer add") < 0)
		return CLI_FAIL;
	int64_t id = db_officer_add(c->db, &o, timeutil_now());
	if (id < 0)
		return cli_error(CLI_FAIL, "officer add", "%s", db_errmsg(c->db));
	printf("officer %lld: %s, %s, %s, reached by %s\n", (long long)id, o.name, o.phone, o.role,
	    o.channel);
	return CLI_OK;
}

static int
officer_list(struct cli *c, int argc, char **argv)
{
	int json = 0;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else
			return cli_error(CLI_USAGE, "officer list", "unknown option %s", argv[i]);
	}
	if (cli_open(c, 1, "officer list") < 0)
		return CLI_FAIL;
	struct officer *v;
	size_t n;
	if (db_officer_list(c->db, &v, &n) < 0)
		return cli_error(CLI_FAIL, "officer list", "%s", db_errmsg(c->db));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, officer_json(&v[i]));
		officers_free(v, n);
		return cli_print_json(arr);
	}
	if (n == 0)
		printf("no officers yet: tinbao officer add --name NAME --phone PHONE\n");
	else
		printf("%-4s %-28s %-14s %-8s %s\n", "ID", "NAME", "PHONE", "ROLE", "CHANNEL");
	for (size_t i = 0; i < n; i++) {
		printf("%-4lld ", (long long)v[i].id);
		cli_cell(v[i].name, 28);
		printf("%-14s %-8s %s\n", v[i].phone, v[i].role, v[i].channel);
	}
	officers_free(v, n);
	return CLI_OK;
}

int
cli_officer(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(officer_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "add") == 0)
		return officer_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return officer_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0) {
		char norm[40];
		if (argc != 3)
			return cli_error(CLI_USAGE, "officer remove", "usage: tinbao officer remove PHONE");
		if (identity_phone_normalize(argv[2], norm, sizeof norm) < 0)
			return cli_error(CLI_USAGE, "officer remove", "\"%s\" is not a phone number",
			    argv[2]);
		if (cli_open(c, 0, "officer remove") < 0)
			return CLI_FAIL;
		int r = db_officer_remove(c->db, norm);
		if (r < 0)
			return cli_error(CLI_FAIL, "officer remove", "%s", db_errmsg(c->db));
		if (r == 0)
			return cli_error(CLI_FAIL, "officer remove", "no officer with phone %s", norm);
		printf("removed officer %s and their shifts\n", norm);
		return CLI_OK;
	}
	return cli_error(CLI_USAGE, "officer", "unknown subcommand \"%s\" (add, list, remove)",
	    argv[1]);
}

/* ------------------------------------------------------------- shifts */

static int
parse_level(const char *s, int *level)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 1 || v > 4)
		return -1;
	*level = (int)v;
	return 0;
}

/* Resolve an officer phone to an id: 1 found, 0 unknown, -1 error. */
static int
officer_id(struct cli *c, const char *phone, int64_t *id, char *norm, size_t normsz)
{
	if (identity_phone_normalize(phone, norm, normsz) < 0)
		return 0;
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
	const char *phone = NULL, *from = NULL, *to = NULL, *level_s = NULL;
	int always = 0, ch, level;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': phone = optarg; break;
		case 'l': level_s = optarg; break;
		case 'f': from = optarg; break;
		case 't': to = optarg; break;
		case 'a': always = 1; break;
		default: return cli_error(CLI_USAGE, "shift add", "see tinbao shift --help");
		}
	}
	if (optind != argc || !phone || !level_s)
		return cli_error(CLI_USAGE, "shift add", "--officer and --level are required");
	if (parse_level(level_s, &level) < 0)
		return cli_error(CLI_USAGE, "shift add", "--level is 1, 2, 3 or 4");
	int64_t start = 0, end = 0;
	if (always && (from || to))
		return cli_error(CLI_USAGE, "shift add", "--always takes no --from/--to");
	if (!always) {
		if (!from || !to)
			return cli_error(CLI_USAGE, "shift add", "give --from and --to, or --always");
		if (timeutil_parse_local(from, &start) < 0 || timeutil_parse_local(to, &end) < 0)
			return cli_error(CLI_USAGE, "shift add", "times are \"YYYY-MM-DD HH:MM\"");
		if (end <= start)
			return cli_error(CLI_USAGE, "shift add", "--to must be after --from");
	}
	if (cli_open(c, 0, "shift add") < 0)
		return CLI_FAIL;
	int64_t oid;
	char norm[40];
	int r = officer_id(c, phone, &oid, norm, sizeof norm);
	if (r < 0)
		return cli_error(CLI_FAIL, "shift add", "%s", db_errmsg(c->db));
	if (r == 0)
		return cli_error(CLI_FAIL, "shift add", "no officer with phone %s", phone);
	int64_t id = db_shift_add(c->db, oid, level, always, start, end, timeutil_now());
	if (id < 0)
		return cli_error(CLI_FAIL, "shift add", "%s", db_errmsg(c->db));
	if (always)
		printf("shift %lld: %s at level %d, always\n", (long long)id, norm, level);
	else
		printf("shift %lld: %s at level %d, %s to %s\n", (long long)id, norm, level, from, to);
	return CLI_OK;
}

static int
shift_list(struct cli *c, int argc, char **argv)
{
	int json = 0;
	int64_t at = -1;
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0) {
			json = 1;
		} else if (strcmp(argv[i], "--at") == 0 && i + 1 < argc) {
			if (timeutil_parse_local(argv[++i], &at) < 0)
				return cli_error(CLI_USAGE, "shift list", "--at is \"YYYY-MM-DD HH:MM\"");
		} else {
			return cli_error(CLI_USAGE, "shift list", "unknown option %s", argv[i]);
		}
	}
	if (cli_open(c, 1, "shift list") < 0)
		return CLI_FAIL;
	struct shift *v;
	size_t n;
	if (db_shift_list(c->db, at, &v, &n) < 0)
		return cli_error(CLI_FAIL, "shift list", "%s", db_errmsg(c->db));
	json_t *arr = json ? json_array() : NULL;
	if (!json && n == 0)
		printf("no shifts%s\n", at >= 0 ? " at that time" : "");
	else if (!json)
		printf("%-4s %-5s %-28s %-14s %s\n", "ID", "LEVEL", "OFFICER", "PHONE", "WHEN");
	for (size_t i = 0; i < n; i++) {
		char from[32] = "", to[32] = "";
		if (!v[i].always) {
			timeutil_format_local(v[i].starts_at, from, sizeof from);
			timeutil_format_local(v[i].ends_at, to, sizeof to);
		}
		if (json) {
			json_array_append_new(arr, json_pack("{s:I, s:s, s:s, s:i, s:b, s:o, s:o}",
			    "id", (json_int_t)v[i].id, "officer_phone", v[i].officer_phone,
			    "officer_name", v[i].officer_name, "level", v[i].level, "always", v[i].always,
			    "from", v[i].always ? json_null() : json_string(from),
			    "to", v[i].always ? json_null() : json_string(to)));
		} else {
			char when[80];
			if (v[i].always)
				snprintf(when, sizeof when, "always");
			else
				snprintf(when, sizeof when, "%s to %s", from, to);
			printf("%-4lld %-5d ", (long long)v[i].id, v[i].level);
			cli_cell(v[i].officer_name, 28);
			printf("%-14s %s\n", v[i].officer_phone, when);
		}
	}
	shifts_free(v, n);
	return json ? cli_print_json(arr) : CLI_OK;
}

int
cli_shift(struct cli *c, int argc, char **argv)
{
	if (argc < 2 || cli_wants_help(argc, argv)) {
		fputs(shift_usage, argc < 2 ? stderr : stdout);
		return argc < 2 ? CLI_USAGE : CLI_OK;
	}
	if (strcmp(argv[1], "add") == 0)
		return shift_add(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "list") == 0)
		return shift_list(c, argc - 1, argv + 1);
	if (strcmp(argv[1], "remove") == 0) {
		char *end;
		errno = 0;
		long long id = argc == 3 ? strtoll(argv[2], &end, 10) : 0;
		if (argc != 3 || *end || errno || id <= 0)
			return cli_error(CLI_USAGE, "shift remove", "usage: tinbao shift remove ID");
		if (cli_open(c, 0, "shift remove") < 0)
			return CLI_FAIL;
		int r = db_shift_remove(c->db, id);
		if (r < 0)
			return cli_error(CLI_FAIL, "shift remove", "%s", db_errmsg(c->db));
		if (r == 0)
			return cli_error(CLI_FAIL, "shift remove", "no shift %lld", id);
		printf("removed shift %lld\n", id);
		return CLI_OK;
	}
	return cli_error(CLI_USAGE, "shift", "unknown subcommand \"%s\" (add, list, remove)",
	    argv[1]);
}

/* ------------------------------------------------------------- roster */

struct row {
	int64_t officer;
	int level, always;
	int64_t from, to;
};

/* Split one CSV line into at most 4 fields (double quotes allowed). */
static int
csv_fields(char *line, char *f[4])
{
	int n = 0;
	char *p = line;
	while (n < 4) {
		char *w = p, *out = p;
		if (*p == '"') {
			p++;
			while (*p && !(*p == '"' && p[1] != '"')) {
				if (*p == '"')
					p++;
				*out++ = *p++;
			}
			if (*p != '"')
				return -1;
			p++;
		} else {
			while (*p && *p != ',')
				*out++ = *p++;
		}
		char *next = p;
		if (*next && *next != ',')
			return -1;
		f[n++] = w;
		if (!*next) {
			*out = '\0';
			break;
		}
		*out = '\0';
		p = next + 1;
	}
	return n;
}

int
cli_roster(struct cli *c, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(roster_usage, stdout);
		return CLI_OK;
	}
	if (argc != 3 || strcmp(argv[1], "import") != 0)
		return cli_error(CLI_USAGE, "roster", "usage: tinbao roster import FILE.csv");
	const char *file = argv[2];
	FILE *f = fopen(file, "r");
	if (!f)
		return cli_error(CLI_FAIL, "roster import", "%s: %s", file, strerror(errno));
	if (cli_open(c, 0, "roster import") < 0) {
		fclose(f);
		return CLI_FAIL;
	}
	struct row *rows = calloc(CSV_ROWS_MAX, sizeof *rows);
	char line[CSV_LINE_MAX + 2];
	int lineno = 0, bad = 0;
	size_t n = 0;
	while (rows && fgets(line, sizeof line, f)) {
		lineno++;
		size_t len = strlen(line);
		if (len > CSV_LINE_MAX) {
			fprintf(stderr, "%s:%d: line too long\n", file, lineno);
			bad++;
			int ch;
			while ((ch = fgetc(f)) != EOF && ch != '\n')
				;
			continue;
		}
		while (len && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (lineno == 1) {
			if (strcmp(line, "officer_phone,level,from,to") != 0) {
				fprintf(stderr, "%s:1: the first line must be officer_phone,level,from,to\n",
				    file);
				bad++;
				break;
			}
			continue;
		}
		if (len == 0)
			continue;
		char *fl[4];
		if (csv_fields(line, fl) != 4) {
			fprintf(stderr, "%s:%d: expected 4 fields: officer_phone,level,from,to\n", file,
			    lineno);
			bad++;
			continue;
		}
		struct row r = { 0 };
		char norm[40];
		int found = officer_id(c, fl[0], &r.officer, norm, sizeof norm);
		if (found < 0) {
			fprintf(stderr, "%s:%d: %s\n", file, lineno, db_errmsg(c->db));
			bad++;
		} else if (found == 0) {
			fprintf(stderr, "%s:%d: no officer with phone %s (add them first)\n", file,
			    lineno, fl[0]);
			bad++;
		}
		if (parse_level(fl[1], &r.level) < 0) {
			fprintf(stderr, "%s:%d: level \"%s\" is not 1-4\n", file, lineno, fl[1]);
			bad++;
		}
		int empty = !*fl[2] && !*fl[3];
		int always = strcmp(fl[2], "always") == 0 && (strcmp(fl[3], "always") == 0 || !*fl[3]);
		if (empty || always) {
			r.always = 1;
		} else if (timeutil_parse_local(fl[2], &r.from) < 0 ||
		    timeutil_parse_local(fl[3], &r.to) < 0) {
			fprintf(stderr, "%s:%d: times are \"YYYY-MM-DD HH:MM\" (or both empty)\n", file,
			    lineno);
			bad++;
		} else if (r.to <= r.from) {
			fprintf(stderr, "%s:%d: \"to\" must be after \"from\"\n", file, lineno);
			bad++;
		}
		if (n >= CSV_ROWS_MAX) {
			fprintf(stderr, "%s:%d: more than %d shifts in one file\n", file, lineno,
			    CSV_ROWS_MAX);
			bad++;
			break;
		}
		rows[n++] = r;
	}
	fclose(f);
	if (!rows)
		return cli_error(CLI_FAIL, "roster import", "out of memory");
	if (lineno == 0) {
		fprintf(stderr, "%s: empty file\n", file);
		bad++;
	}
	if (bad) {
		free(rows);
		return cli_error(CLI_FAIL, "roster import", "%d problem%s in %s; nothing imported",
		    bad, bad == 1 ? "" : "s", file);
	}
	int64_t now = timeutil_now();
	int failed = db_begin(c->db) < 0;
	for (size_t i = 0; i < n && !failed; i++)
		failed = db_shift_add(c->db, rows[i].officer, rows[i].level, rows[i].always,
		    rows[i].from, rows[i].to, now) < 0;
	free(rows);
	if (failed || db_commit(c->db) < 0) {
		db_rollback(c->db);
		return cli_error(CLI_FAIL, "roster import", "%s; nothing imported", db_errmsg(c->db));
	}
	printf("imported %zu shift%s from %s\n", n, n == 1 ? "" : "s", file);
	return CLI_OK;
}
