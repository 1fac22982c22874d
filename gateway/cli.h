/* cli — what the `tinbao` subcommands share: the loaded configuration, the
 * database, option parsing, error reporting and exit codes, JSON and
 * terminal-safe printing. The helpers live in tinbao.c (the tool's main);
 * the subcommands in cli_roster.c and cli_tips.c. Single-threaded.
 *
 * Ownership: struct cli owns cfg and db; main() frees them after the
 * subcommand returns. Strings passed in are borrowed.
 */
#ifndef TINBAO_CLI_H
#define TINBAO_CLI_H

#include <getopt.h>
#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define CLI_OK 0
#define CLI_FAIL 1        /* database error, unknown officer/tip, file problem */
#define CLI_USAGE 2       /* unknown subcommand/option, missing/invalid argument */

#define CLI_NAME_MAX 100  /* bytes in an officer's name */
#define CLI_ID_MAX 64     /* bytes in a Zalo id */
#define CLI_NOTE_MAX 1000 /* bytes in a close note */
#define CLI_PHONE_MAX 40  /* a normalised phone number and its NUL */

struct config;
struct db;

struct cli {
	struct config *cfg;
	struct db *db;
};

/* Print "tinbao: WHAT: message" on stderr; returns code. */
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
 * -h/--help prints usage on stdout (0); none or an unknown one is a usage
 * error (2). */
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

/* 1 if s is 1..max bytes of valid UTF-8 with no control characters (a
 * newline only if allow_newline) and not only white space. */
int cli_text_ok(const char *s, size_t max, int allow_newline);
/* Normalise a phone number (identity_phone_normalize) into out
 * (CLI_PHONE_MAX bytes); only "+" and 8-15 digits pass. 0 / -1. */
int cli_phone_norm(const char *in, char *out);
/* The same, printing a usage error for WHAT on failure. */
int cli_phone(const char *what, const char *in, char *out);

/* Print text from the database on the terminal: invalid UTF-8, control and
 * bidi-override characters replaced; with oneline, newlines become spaces;
 * otherwise every new line starts with `indent` spaces. */
void cli_put(const char *s, int oneline, int indent);
/* Print s (one line) in a column `width` characters wide, cut with "…" when
 * longer, then one space. */
void cli_cell(const char *s, int width);

/* Print a JSON value (taking ownership) on stdout as one document. */
int cli_print_json(json_t *v);
/* ISO 8601 time with offset, or null for 0. */
json_t *cli_json_time(int64_t t);
/* A string (invalid UTF-8 replaced), or null for NULL. Never NULL. */
json_t *cli_json_str(const char *s);
/* A tip with the stable field names of `tips --json` (DESIGN.md); never who
 * sent it. Shared by the CLI and the admin API. */
struct tip;
json_t *cli_tip_json(const struct config *cfg, const struct tip *t);

/* 1 "duty", 2 "backup", 3 "leader", 4 "chief"; "?" otherwise. */
const char *cli_level_name(int level);

int cli_officer(struct cli *c, int argc, char **argv);
int cli_shift(struct cli *c, int argc, char **argv);
int cli_roster(struct cli *c, int argc, char **argv);
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
/* cli_legal.c: `due`, `notice`, `holiday`, `book`. */
int cli_due(struct cli *c, int argc, char **argv);
int cli_notice(struct cli *c, int argc, char **argv);
int cli_holiday(struct cli *c, int argc, char **argv);
int cli_book(struct cli *c, int argc, char **argv);
int cli_retention(struct cli *c, int argc, char **argv);     /* cli_retention.c */
int cli_key_rotate(struct cli *c, int argc, char **argv);    /* cli_key.c */

#endif
