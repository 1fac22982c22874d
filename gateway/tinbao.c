/* tinbao — the command-line tool for the duty desk and the administrator.
 * Works on the same database as tinbaod (SQLite readers never block it).
 * Exit status: 0 success, 1 failure, 2 usage. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"

#define DEFAULT_CONFIG "/etc/tinbao/tinbao.conf"

static void
usage(FILE *f)
{
	fprintf(f,
	    "usage: tinbao [-c FILE] COMMAND [ARGS]\n"
	    "\n"
	    "The duty desk's tool for the tinbao tip line. Every listing takes --json.\n"
	    "\n"
	    "  key init                      create the key that seals citizens' numbers\n"
	    "  officer add --name NAME --phone +84... [--zalo-oa ID] [--zalo-bot ID]\n"
	    "              [--channel sms|zalo_oa|zalo_bot] [--role officer|leader|chief]\n"
	    "  officer list [--json]         officer remove PHONE\n"
	    "  shift add --officer PHONE --level 1-4 --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
	    "  shift add --officer PHONE --level 1-4 --always\n"
	    "  shift list [--json] [--at \"YYYY-MM-DD HH:MM\"]    shift remove ID\n"
	    "  roster import FILE.csv        header: officer_phone,level,from,to\n"
	    "  tips [--open] [--json]        tip show ID [--json]\n"
	    "  ack ID --officer PHONE        close ID --officer PHONE [--note TEXT]\n"
	    "\n"
	    "Levels: 1 duty officer, 2 backup, 3 shift leader, 4 station chief.\n"
	    "Times are local to [gateway] timezone. The configuration is -c FILE,\n"
	    "else $TINBAO_CONFIG, else " DEFAULT_CONFIG ". Each command has --help.\n"
	    "Exit status: 0 success, 1 failure, 2 usage error. See tinbao(1).\n");
}

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
	c->db = db_open(c->cfg->database, readonly, err, sizeof err);
	if (!c->db) {
		cli_error(CLI_FAIL, what, "%s", err);
		return -1;
	}
	c->readonly = readonly;
	return 0;
}

int
cli_print_json(json_t *v)
{
	char *s = v ? json_dumps(v, JSON_INDENT(2) | JSON_PRESERVE_ORDER) : NULL;
	json_decref(v);
	if (!s)
		return cli_error(CLI_FAIL, "json", "out of memory");
	puts(s);
	free(s);
	return CLI_OK;
}

json_t *
cli_json_time(int64_t t)
{
	if (!t)
		return json_null();
	char buf[40];
	timeutil_format_iso(t, buf, sizeof buf);
	return json_string(buf);
}

json_t *
cli_json_str(const char *s)
{
	return s ? json_string(s) : json_null();
}

void
cli_cell(const char *s, int width)
{
	int n = (int)text_chars(s);
	fputs(s, stdout);
	for (; n < width; n++)
		putchar(' ');
	putchar(' ');
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

static int
cli_key(struct cli *c, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		printf("usage: tinbao key init\n\n"
		    "Creates [gateway] key_file: 32 random bytes, mode 0600. It seals the\n"
		    "citizens' phone numbers and Zalo ids. It refuses to overwrite a key:\n"
		    "addresses sealed with the old key could never be read again.\n"
		    "Keep a copy apart from the database backups.\n");
		return CLI_OK;
	}
	if (argc != 2 || strcmp(argv[1], "init") != 0)
		return cli_error(CLI_USAGE, "key", "usage: tinbao key init");
	char err[512];
	if (identity_key_init(c->cfg->key_file, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "key init", "%s", err);
	printf("created %s (mode 0600)\n", c->cfg->key_file);
	return CLI_OK;
}

int
main(int argc, char **argv)
{
	const char *path = getenv("TINBAO_CONFIG") ? getenv("TINBAO_CONFIG") : DEFAULT_CONFIG;
	int i = 1;
	log_init("tinbao", LOG_WARNING);
	for (; i < argc && argv[i][0] == '-'; i++) {
		if (strcmp(argv[i], "-c") == 0 || strcmp(argv[i], "--config") == 0) {
			if (++i >= argc)
				return cli_error(CLI_USAGE, "-c", "needs a file");
			path = argv[i];
		} else if (strcmp(argv[i], "-h") == 0 || strcmp(argv[i], "--help") == 0) {
			usage(stdout);
			return CLI_OK;
		} else {
			usage(stderr);
			return CLI_USAGE;
		}
	}
	if (i >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	static const struct {
		const char *name;
		int (*fn)(struct cli *, int, char **);
	} commands[] = {
		{ "key", cli_key }, { "officer", cli_officer }, { "shift", cli_shift },
		{ "roster", cli_roster }, { "tips", cli_tips }, { "tip", cli_tip },
		{ "ack", cli_ack }, { "close", cli_close },
	};
	const char *name = argv[i];
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(name, commands[k].name) != 0)
			continue;
		char err[512];
		struct cli c = { 0 };
		if (cli_wants_help(argc - i, argv + i))
			return commands[k].fn(&c, argc - i, argv + i);   /* help needs no config */
		c.cfg = config_load(path, err, sizeof err);
		if (!c.cfg)
			return cli_error(CLI_FAIL, "config", "%s", err);
		if (timeutil_set_zone(c.cfg->timezone) < 0) {
			cli_error(CLI_FAIL, "config", "unknown timezone \"%s\"", c.cfg->timezone);
			config_free(c.cfg);
			return CLI_FAIL;
		}
		int rc = commands[k].fn(&c, argc - i, argv + i);
		db_close(c.db);
		config_free(c.cfg);
		return rc;
	}
	cli_error(CLI_USAGE, name, "unknown command (try tinbao --help)");
	return CLI_USAGE;
}
