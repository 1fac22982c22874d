/* cli — the helpers every `tinbao` subcommand shares: errors and exit
 * codes, opening the database, option parsing, input checks, terminal-safe
 * printing and JSON. See cli.h. */
#include <errno.h>
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"

int
cli_error(int code, const char *what, const char *fmt, ...)
{
	va_list ap;
	fprintf(stderr, "tinbao: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return code;
}

int
cli_open(struct cli *c, int readonly, const char *what)
{
	char err[512];
	if (readonly && access(c->cfg->database, F_OK) < 0 && errno == ENOENT) {
		cli_error(CLI_FAIL, what, _("no database at %s yet (tinbaod or `tinbao officer add` "
		    "creates it)"), c->cfg->database);
		return -1;
	}
	c->db = db_open(c->cfg->database, readonly, err, sizeof err);
	if (!c->db) {
		cli_error(CLI_FAIL, what, "%s", err);
		return -1;
	}
	return 0;
}

/* ----------------------------------------------------------- options */

int
cli_getopt(int argc, char **argv, const struct option *opts, const char *what)
{
	opterr = 0;
	int ch = getopt_long(argc, argv, ":h", opts, NULL);
	if (ch != ':' && ch != '?')
		return ch;
	const char *arg = optind > 0 && optind <= argc ? argv[optind - 1] : "?";
	if (ch == ':') {
		cli_error(CLI_USAGE, what, _("%s needs a value"), arg);
		return '?';
	}
	if (strncmp(arg, "--", 2) != 0) {
		cli_error(CLI_USAGE, what, _("unknown option -%c"), optopt ? optopt : '?');
		return '?';
	}
	size_t len = strcspn(arg + 2, "=");
	for (const struct option *o = opts; o->name; o++) {
		if (strlen(o->name) == len && strncmp(o->name, arg + 2, len) == 0) {
			cli_error(CLI_USAGE, what, _("--%s takes no value"), o->name);
			return '?';
		}
	}
	cli_error(CLI_USAGE, what, _("unknown option %.*s"), (int)len + 2, arg);
	return '?';
}

int
cli_wants_help(int argc, char **argv)
{
	for (int i = 0; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			return 0;
		if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0)
			return 1;
	}
	return 0;
}

int
cli_dispatch(struct cli *c, int argc, char **argv, const char *usage,
    const struct cli_sub *subs)
{
	if (cli_wants_help(argc, argv)) {
		fputs(_(usage), stdout);
		return CLI_OK;
	}
	if (argc < 2) {
		fputs(_(usage), stderr);
		return CLI_USAGE;
	}
	for (const struct cli_sub *s = subs; s->name; s++)
		if (strcmp(argv[1], s->name) == 0)
			return s->fn(c, argc - 1, argv + 1);
	char names[200] = "";
	size_t len = 0;
	for (const struct cli_sub *s = subs; s->name && len < sizeof names; s++)
		len += (size_t)snprintf(names + len, sizeof names - len, "%s%s",
		    s == subs ? "" : ", ", s->name);
	return cli_error(CLI_USAGE, argv[0], _("unknown subcommand \"%s\" (%s)"), argv[1], names);
}

int
cli_one_arg(int argc, char **argv, const char *what, const char *usage_line, const char **arg)
{
	static const struct option none[] = { { NULL, 0, NULL, 0 } };
	optind = 0;
	if (cli_getopt(argc, argv, none, what) != -1)
		return CLI_USAGE;
	if (optind != argc - 1)
		return cli_error(CLI_USAGE, what, _("usage: %s"), usage_line);
	*arg = argv[optind];
	return 0;
}

int
cli_level_parse(const char *s, int *level)
{
	char *end;
	errno = 0;
	long v = strtol(s, &end, 10);
	if (end == s || *end || errno || v < 1 || v > 4)
		return -1;
	*level = (int)v;
	return 0;
}

/* ------------------------------------------------------------ input */

int
cli_phone(const char *what, const char *in, char *out)
{
	if (phone_normalize_full(in, out) < 0) {
		cli_error(CLI_USAGE, what, _("\"%s\" is not a phone number (like 0901234567 or "
		    "+84901234567)"), in);
		return -1;
	}
	return 0;
}

void
cli_put(const char *s, int oneline, int indent)
{
	char *t = text_for_terminal(s, oneline);
	if (!t) {
		fputs("?", stdout);
		return;
	}
	for (const char *p = t; *p; p++) {
		putchar(*p);
		if (*p == '\n')
			printf("%*s", indent, "");
	}
	free(t);
}

int
cli_width(const char *head, int min)
{
	int n = (int)text_chars(head);
	return n > min ? n : min;
}

void
cli_clean(const char *s, char *out, size_t outsz)
{
	char *t = text_for_terminal(s ? s : "", 1);
	snprintf(out, outsz, "%s", t ? t : "?");
	free(t);
}

void
cli_cell(const char *s, int width)
{
	char *t = text_for_terminal(s, 1);
	char *cut = t ? text_truncate(t, (size_t)width) : NULL;
	const char *out = cut ? cut : "?";
	int n = (int)text_chars(out);
	fputs(out, stdout);
	printf("%*s ", n < width ? width - n : 0, "");
	free(cut);
	free(t);
}

/* -------------------------------------------------------------- JSON */

int
cli_print_json(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(v);
	if (!s)
		return cli_error(CLI_FAIL, "json", _("out of memory"));
	puts(s);
	free(s);
	return CLI_OK;
}

/* ------------------------------------------------------------ roster */

int
cli_officer_id(struct cli *c, const char *norm, int64_t *id)
{
	struct officer o;
	int r = db_officer_by_phone(c->db, norm, &o);
	if (r > 0) {
		*id = o.id;
		officer_clear(&o);
	}
	return r;
}

int
cli_listing_opts(int argc, char **argv, const char *what, int with_at, int *json, int64_t *at)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "at", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	static const struct option json_only[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	int ch;
	*json = 0;
	if (at)
		*at = -1;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, with_at ? opts : json_only, what)) != -1) {
		if (ch == 'j')
			*json = 1;
		else if (ch == 'a' && cli_parse_at(optarg, at) < 0)
			return cli_error(CLI_USAGE, what, _("--at \"%s\" is not \"YYYY-MM-DD HH:MM\" "
			    "(or \"dd/mm/yyyy HH:MM\", or now)"), optarg);
		else if (ch != 'a')
			return CLI_USAGE;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	return CLI_OK;
}

int
cli_officer_found(struct cli *c, const char *what, const char *norm, struct officer *o)
{
	int found = db_officer_by_phone(c->db, norm, o);
	if (found < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (found == 0)
		return cli_error(CLI_FAIL, what, _("no officer with phone %s (tinbao officer list)"),
		    norm);
	return CLI_OK;
}

int
cli_parse_at(const char *s, int64_t *at)
{
	if (strcmp(s, "now") == 0) {
		*at = timeutil_now();
		return 0;
	}
	return timeutil_parse_local(s, at);
}
