/* cli — what the `tinbao` subcommands share: the loaded configuration, the
 * database, option parsing, error reporting and exit codes, terminal-safe
 * printing. The helpers are in cli.c, main and `key`/`zalo-oa` in tinbao.c,
 * the subcommands in the other cli_*.c files. What a tip, an officer or a
 * shift looks like (JSON and text) is gateway/view.h's, shared with the
 * admin API; checking typed text and phone numbers is text.h's and phone.h's.
 *
 * Linked into `tinbao` only: nothing outside gateway/cli/ includes this
 * header (make lint checks). Threads: single-threaded, the tool's one thread.
 * Ownership: struct cli owns cfg and db; main() frees them after the
 * subcommand returns. Strings passed in are borrowed.
 */
#ifndef TINBAO_CLI_H
#define TINBAO_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#include "gateway/runas.h"

#define CLI_OK 0
#define CLI_FAIL 1        /* database error, unknown officer/tip, file problem */
#define CLI_USAGE 2       /* unknown subcommand/option, missing/invalid argument */

#define CLI_NAME_MAX 100  /* bytes in an officer's name */
#define CLI_ID_MAX 64     /* bytes in a Zalo id */
#define CLI_SHORT_CODE_MAX 8   /* letters or digits in an officer's short code */

struct config;
struct db;
struct officer;

struct cli {
	struct config *cfg;
	struct db *db;
	/* Run as root on a state another user owns (the service user): the
	 * command acts as that user (effective ids), so it never leaves a
	 * root-owned file tinbaod cannot open; runas_leave()/runas_enter()
	 * step back to root and return (a backup written where only root may
	 * write). gateway/runas.h. */
	struct runas runas;
};

/* Print "tinbao: WHAT: message" on stderr; returns code. WHAT is the
 * command as typed ("officer add"), never translated; fmt is _("..."). */
int cli_error(int code, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Open the database: read-only for listings, read-write (created and
 * migrated) for changes. 0 / -1 (the error is printed). */
int cli_open(struct cli *c, int readonly, const char *what);

/* A command's subcommands, as in `officer add|list|remove`. */
struct cli_sub {
	const char *name;
	int (*fn)(struct cli *c, int argc, char **argv);  /* argv[0] is the name */
};
/* Run the subcommand named by argv[1] from subs (ended by a NULL name).
 * -h/--help prints usage (an N_() text, translated here) on stdout (0);
 * none or an unknown one is a usage error (2). */
int cli_dispatch(struct cli *c, int argc, char **argv, const char *usage,
    const struct cli_sub *subs);

/* getopt_long for a subcommand (argv[0] is the subcommand's name). Set
 * optind = 0 before the first call. Quiet: an unknown option or a missing
 * value is reported as "tinbao: WHAT: ..." and returned as '?'. */
int cli_getopt(int argc, char **argv, const struct option *opts, const char *what);
/* 1 if argv has -h/--help in it (before "--"). */
int cli_wants_help(int argc, char **argv);

/* A subcommand that takes exactly one argument and no options: 0 and *arg
 * set, or CLI_USAGE after printing why (usage_line is the synopsis). */
int cli_one_arg(int argc, char **argv, const char *what, const char *usage_line,
    const char **arg);
/* "1".."4" -> *level. 0 / -1. */
int cli_level_parse(const char *s, int *level);

/* A full phone number (phone_normalize_full) into out (PHONE_MAX bytes);
 * 0, or -1 after printing a usage error for WHAT. */
int cli_phone(const char *what, const char *in, char *out);

/* The active officer with a normalised phone: 1 found (*id set), 0
 * unknown, -1 database error (db_errmsg). */
int cli_officer_id(struct cli *c, const char *norm, int64_t *id);
/* A listing's options: --json, and --at TIME when with_at (at: -1 when not
 * given). CLI_OK, or the exit code after saying what is wrong. */
int cli_listing_opts(int argc, char **argv, const char *what, int with_at, int *json,
    int64_t *at);
/* The officer with this normalised phone, the database open: CLI_OK with *o
 * (officer_clear it), or the exit code after saying why (none, or the
 * database's error). */
int cli_officer_found(struct cli *c, const char *what, const char *norm, struct officer *o);
/* --at's value: "now", or a local time as timeutil_parse_local() reads it.
 * 0 / -1. */
int cli_parse_at(const char *s, int64_t *at);

/* Print text from the database on the terminal: invalid UTF-8, control and
 * bidi-override characters replaced; with oneline, newlines become spaces;
 * otherwise every new line starts with `indent` spaces. */
void cli_put(const char *s, int oneline, int indent);
/* s made safe for the terminal (as cli_put, on one line) into out, cut to
 * outsz: for names and texts from the database inside a sentence. */
void cli_clean(const char *s, char *out, size_t outsz);
/* Print s (one line) in a column `width` characters wide, cut with "…" when
 * longer, then one space. Column heads go through it too: a translated
 * head is aligned by characters, not bytes. */
void cli_cell(const char *s, int width);
/* The width of a column whose head is head: at least min, and wide enough
 * for the head (translated heads may be longer than the English). */
int cli_width(const char *head, int min);

/* Print a JSON value (taking ownership) on stdout as one document. */
int cli_print_json(json_t *v);

int cli_officer(struct cli *c, int argc, char **argv);
/* An officer as typed (borrowed strings; "" is absent): checked, the phone
 * normalised into norm and the short code into code (o's pointers are
 * moved to them), channel and role defaulted. 0, or -1 with why in err. */
int cli_officer_check(struct officer *o, char norm[40], char code[CLI_SHORT_CODE_MAX + 1],
    char *err, size_t errlen);
/* cli_rosterfile.c: `officer import|export`. */
int cli_officer_import(struct cli *c, int argc, char **argv);
int cli_officer_export(struct cli *c, int argc, char **argv);
int cli_shift(struct cli *c, int argc, char **argv);
int cli_roster(struct cli *c, int argc, char **argv);      /* cli_rosterfile.c */
int cli_oncall(struct cli *c, int argc, char **argv);      /* cli_oncall.c */
int cli_modem(struct cli *c, int argc, char **argv);       /* cli_modem.c */
int cli_test(struct cli *c, int argc, char **argv);        /* cli_test.c */
/* Ask the running tinbaod on [gateway] admin_socket (cli_modem.c): CLI_OK
 * with *doc (the caller's), or an exit code after printing why (tinbaod
 * not running, or its answer an error). */
int cli_ask_daemon(struct cli *c, const char *what, const char *request, json_t **doc);
int cli_tips(struct cli *c, int argc, char **argv);
int cli_tip(struct cli *c, int argc, char **argv);
int cli_ack(struct cli *c, int argc, char **argv);
int cli_close(struct cli *c, int argc, char **argv);
int cli_sender(struct cli *c, int argc, char **argv);

/* cli_audit.c: `audit verify|list`; the audit event of a read (actor: the
 * unix user). A read that cannot be recorded is not shown: -1 after
 * printing why. cli_audit_reads records one event naming every tip shown. */
int cli_audit(struct cli *c, int argc, char **argv);
int cli_audit_read(struct cli *c, int64_t tip_id, const char *detail);
int cli_audit_reads(struct cli *c, const char *what, const char *const *codes, size_t n);
/* cli_legal.c: `due`, `notice`, `pass`, `holiday`, `book`. */
int cli_due(struct cli *c, int argc, char **argv);
int cli_notice(struct cli *c, int argc, char **argv);
int cli_pass(struct cli *c, int argc, char **argv);
int cli_holiday(struct cli *c, int argc, char **argv);
int cli_book(struct cli *c, int argc, char **argv);
int cli_retention(struct cli *c, int argc, char **argv);     /* cli_retention.c */
int cli_report(struct cli *c, int argc, char **argv);        /* cli_report.c */
/* cli_backup.c: `backup FILE|DIR [--keep N]`, `restore FILE`. */
int cli_backup(struct cli *c, int argc, char **argv);
int cli_restore(struct cli *c, int argc, char **argv);
int cli_key_rotate(struct cli *c, int argc, char **argv);    /* cli_key.c */

#endif
