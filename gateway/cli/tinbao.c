/* tinbao — the command-line tool for the duty desk and the administrator.
 * Works on the same database as tinbaod (SQLite readers never block it).
 * This file: main, the dispatch to subcommands and `key init`; the helpers
 * every subcommand shares are in cli.c. Exit status: 0 success, 1 failure,
 * 2 usage. */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/version.h"

#define DEFAULT_CONFIG "/etc/tinbao/tinbao.conf"

/* The help, in the chunks a translator sees: the command lines stay as they
 * are typed, the words after them are translated. Every command of main's
 * table is here (tests/e2e/test_i18n.py checks). */
static const char *const help_chunks[] = {
	N_("usage: tinbao [-c FILE] COMMAND [ARGS]\n"
	    "\n"
	    "The duty desk's tool for the tinbao tip line. Every listing takes --json.\n"
	    "\n"),
	N_("Officers and duty:\n"
	    "  officer add --name NAME --phone +84... [--zalo-oa ID] [--zalo-bot ID]\n"
	    "              [--channel sms|zalo_oa|zalo_bot] [--role officer|leader|chief]\n"
	    "              [--short-code CODE]\n"
	    "  officer list [--json]         officer remove PHONE\n"
	    "  officer import FILE.csv       officer export [--excel] [--header en|vi] [FILE]\n"
	    "  shift add --officer PHONE --level 1-4 --from \"YYYY-MM-DD HH:MM\" --to \"YYYY-MM-DD HH:MM\"\n"
	    "  shift add --officer PHONE --level 1-4 --always\n"
	    "  shift add --officer PHONE --level 1-4 --weekly MON,WED,FRI --time 07:00-19:00\n"
	    "            [--from DATE] [--until DATE]\n"
	    "  shift off --officer PHONE --on DATE [--until DATE] [--undo]\n"
	    "  shift list [--json] [--at \"YYYY-MM-DD HH:MM\"|now]    shift remove ID\n"
	    "  oncall [--at \"YYYY-MM-DD HH:MM\"|now] [--json]   who is on duty, which levels are empty\n"
	    "  roster import FILE.csv        roster export [--excel] [--header en|vi] [FILE]\n"
	    "\n"),
	N_("Checking the line:\n"
	    "  test PHONE [--channel sms|zalo_oa|zalo_bot] [--wait DURATION]\n"
	    "                                a test message to an officer, sent by tinbaod\n"
	    "  test PHONE --call [--wait DURATION]\n"
	    "                                ring the officer's phone once, through tinbaod\n"
	    "  modem status [--json]         each modem's connection, signal, network, SIM\n"
	    "\n"),
	N_("Tips:\n"
	    "  tips [--open] [--json]        tip show ID [--json]\n"
	    "  ack ID --officer PHONE        close ID --officer PHONE [--note TEXT]\n"
	    "  sender mute ID [--officer PHONE]    sender unmute ID [--officer PHONE]\n"
	    "\n"),
	N_("The law's deadlines and the record:\n"
	    "  due [--json] [--within DURATION] [--at \"YYYY-MM-DD HH:MM\"]\n"
	    "                                legal deadlines coming due (24 h, 3 working days)\n"
	    "  notice ID --officer PHONE     the receipt notice was given\n"
	    "  pass ID --to AGENCY --officer PHONE [--at \"YYYY-MM-DD HH:MM\"]\n"
	    "                                the tip was passed on (stops the 24 h clock)\n"
	    "  holiday add YYYY-MM-DD NAME | holiday list [--json] | holiday remove YYYY-MM-DD\n"
	    "  book --from YYYY-MM-DD --to YYYY-MM-DD [--csv]    the receipt book\n"
	    "  report [--month YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD]\n"
	    "         [--json] [--html FILE] [--pdf FILE]   the month in figures, to print and sign\n"
	    "  audit verify [--json] [--anchor ID:HASH] | audit list [--tip ID] [--json]\n"
	    "\n"),
	N_("Keys and accounts (the administrator):\n"
	    "  key init                      create the key that seals citizens' numbers\n"
	    "  key rotate [--json]           new sealing key; reseal everything (daemon may run)\n"
	    "  zalo-oa token --refresh TOKEN store the Zalo OA's refresh token after a new\n"
	    "                                authorisation\n"
	    "  retention run [--dry-run] [--json]   destroy reply addresses of old closed tips\n"
	    "  backup FILE | backup DIRECTORY [--keep N]   copy the database (tinbaod may run)\n"
	    "  restore FILE                  put a checked backup back (tinbaod stopped)\n"
	    "\n"),
};

static void
usage(FILE *f)
{
	size_t n = sizeof help_chunks / sizeof help_chunks[0];
	for (size_t i = 0; i < n; i++)
		fputs(_(help_chunks[i]), f);
	fprintf(f, _("Levels: 1 duty officer, 2 backup, 3 shift leader, 4 station chief.\n"
	    "Times are local to [gateway] timezone. The configuration is -c FILE,\n"
	    "else $TINBAO_CONFIG, else %s. Each command has --help.\n"
	    "Messages are in Vietnamese when LANG is vi_VN.UTF-8, in English otherwise.\n"
	    "Exit status: 0 success, 1 failure, 2 usage error. See tinbao(1).\n"), DEFAULT_CONFIG);
}

/* -------------------------------------------------------------- key */

static int
cli_key(struct cli *c, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(_("usage: tinbao key init\n"
		    "       tinbao key rotate [--json]\n\n"
		    "init creates [gateway] key_file: 32 random bytes, mode 0600. It seals the\n"
		    "citizens' phone numbers and Zalo ids. It refuses to overwrite a key:\n"
		    "addresses sealed with the old key could never be read again.\n"
		    "Keep a copy apart from the database backups.\n\n"
		    "rotate adds a new sealing key to the key file and reseals every sealed\n"
		    "value in the database under it, in small transactions, while tinbaod\n"
		    "runs (it picks up the new key within a second). Pseudonyms do not change.\n"
		    "The previous key stays in the file, retired (it opens, never seals), until\n"
		    "the next rotation; rotate twice to be rid of it at once. Back up the key\n"
		    "file again afterwards.\n"), stdout);
		return CLI_OK;
	}
	if (argc >= 2 && strcmp(argv[1], "rotate") == 0)
		return cli_key_rotate(c, argc - 1, argv + 1);
	if (argc != 2 || strcmp(argv[1], "init") != 0)
		return cli_error(CLI_USAGE, "key", _("usage: tinbao key init | tinbao key rotate "
		    "[--json]"));
	char err[512];
	if (identity_key_init(c->cfg->key_file, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "key init", "%s", err);
	printf(_("created %s (mode 0600)\n"), c->cfg->key_file);
	return CLI_OK;
}

/* ---------------------------------------------------------- zalo-oa */

static int
cli_zalo_oa(struct cli *c, int argc, char **argv)
{
	static const char usage[] =
	    N_("usage: tinbao zalo-oa token --refresh TOKEN\n\n"
	    "Stores the Official Account's refresh token (sealed with the key file) after\n"
	    "the OA was authorised again, e.g. in Zalo's API Explorer. tinbaod picks it up\n"
	    "within a minute, gets a new access token, and sends the OA replies that\n"
	    "waited. A refresh token works once: do not reuse one tinbaod has used.\n");
	if (cli_wants_help(argc, argv)) {
		fputs(_(usage), stdout);
		return CLI_OK;
	}
	if (argc != 4 || strcmp(argv[1], "token") != 0 || strcmp(argv[2], "--refresh") != 0)
		return cli_error(CLI_USAGE, "zalo-oa", _("usage: tinbao zalo-oa token --refresh TOKEN"));
	const char *token = argv[3];
	size_t n = strlen(token);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)token[i] <= ' ')
			return cli_error(CLI_USAGE, "zalo-oa token", _("a token has no spaces"));
	if (n == 0 || n > IDENTITY_SECRET_MAX)
		return cli_error(CLI_USAGE, "zalo-oa token", _("the token must be 1-%d characters"),
		    IDENTITY_SECRET_MAX);
	char err[512];
	struct identity *id = identity_open(c->cfg->key_file, err, sizeof err);
	if (!id)
		return cli_error(CLI_FAIL, "zalo-oa token", "%s", err);
	unsigned char sealed[IDENTITY_SEALED_SECRET_MAX];
	size_t len = 0;
	int rc = identity_seal_secret(id, token, sealed, &len);
	identity_close(id);
	if (rc < 0)
		return cli_error(CLI_FAIL, "zalo-oa token", _("cannot seal the token"));
	if (cli_open(c, 0, "zalo-oa token") < 0)
		return CLI_FAIL;
	if (db_oa_token_put(c->db, NULL, 0, sealed, len, 0, timeutil_now()) < 0)
		return cli_error(CLI_FAIL, "zalo-oa token", "%s", db_errmsg(c->db));
	printf(_("stored the Official Account refresh token; tinbaod will use it within a minute\n"));
	return CLI_OK;
}

/* ------------------------------------------------------------- main */

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' }, { "help", no_argument, NULL, 'h' },
		{ "version", no_argument, NULL, 'V' }, { NULL, 0, NULL, 0 },
	};
	static const struct {
		const char *name;
		int (*fn)(struct cli *, int, char **);
	} commands[] = {
		{ "key", cli_key }, { "zalo-oa", cli_zalo_oa }, { "officer", cli_officer },
		{ "shift", cli_shift }, { "oncall", cli_oncall }, { "test", cli_test },
		{ "modem", cli_modem },
		{ "roster", cli_roster }, { "tips", cli_tips }, { "tip", cli_tip },
		{ "ack", cli_ack }, { "close", cli_close }, { "audit", cli_audit },
		{ "due", cli_due }, { "notice", cli_notice }, { "pass", cli_pass },
		{ "holiday", cli_holiday },
		{ "book", cli_book }, { "report", cli_report },
		{ "sender", cli_sender },
		{ "retention", cli_retention },
		{ "backup", cli_backup }, { "restore", cli_restore },
	};
	const char *path = getenv("TINBAO_CONFIG");
	int ch;
	if (!path || !*path)
		path = DEFAULT_CONFIG;
	i18n_init();
	umask(027);        /* the database and its -wal, -shm: not for others */
	log_init("tinbao", LOG_WARNING);
	audit_init();
	opterr = 0;
	while ((ch = getopt_long(argc, argv, "+:c:h", opts, NULL)) != -1) {
		switch (ch) {
		case 'c': path = optarg; break;
		case 'h': usage(stdout); return CLI_OK;
		case 'V': printf("tinbao %s\n", TINBAO_VERSION); return CLI_OK;
		case ':': return cli_error(CLI_USAGE, argv[optind - 1], _("needs a file"));
		default:
			if (optopt)
				cli_error(CLI_USAGE, "usage", _("unknown option -%c (try tinbao --help)"),
				    optopt);
			else
				cli_error(CLI_USAGE, "usage", _("unknown option %s (try tinbao --help)"),
				    argv[optind - 1]);
			return CLI_USAGE;
		}
	}
	if (optind >= argc) {
		usage(stderr);
		return CLI_USAGE;
	}
	const char *name = argv[optind];
	if (strcmp(name, "help") == 0) {
		usage(stdout);
		return CLI_OK;
	}
	for (size_t k = 0; k < sizeof commands / sizeof commands[0]; k++) {
		if (strcmp(name, commands[k].name) != 0)
			continue;
		char err[512];
		struct cli c = { 0 };
		int sub_argc = argc - optind;
		char **sub_argv = argv + optind;
		if (cli_wants_help(sub_argc, sub_argv))
			return commands[k].fn(&c, sub_argc, sub_argv);   /* help needs no config */
		c.cfg = config_load(path, err, sizeof err);
		if (!c.cfg)
			return cli_error(CLI_FAIL, "config", "%s", err);
		if (timeutil_set_zone(c.cfg->timezone) < 0) {
			cli_error(CLI_FAIL, "config", _("%s: unknown timezone \"%s\""), path,
			    c.cfg->timezone);
			config_free(c.cfg);
			return CLI_FAIL;
		}
		/* as root on the service user's state: act as that user */
		if (runas_owner(c.cfg->database, c.cfg->key_file, &c.runas, err, sizeof err) < 0 ||
		    runas_enter(&c.runas, err, sizeof err) < 0) {
			cli_error(CLI_FAIL, name, "%s", err);
			config_free(c.cfg);
			return CLI_FAIL;
		}
		int rc = commands[k].fn(&c, sub_argc, sub_argv);
		if (fflush(stdout) != 0 && rc == CLI_OK)
			rc = cli_error(CLI_FAIL, name, _("writing output: %s"), strerror(errno));
		db_close(c.db);
		config_free(c.cfg);
		runas_leave(&c.runas, err, sizeof err);   /* root again for the exit */
		return rc;
	}
	return cli_error(CLI_USAGE, name, _("unknown command (try tinbao --help)"));
}
