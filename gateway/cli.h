/* cli — what the `tinbao` subcommands share: the loaded configuration, the
 * database, error reporting and exit codes, JSON printing. Single-threaded
 * (the command-line tool). */
#ifndef TINBAO_CLI_H
#define TINBAO_CLI_H

#include <jansson.h>
#include <stdint.h>

#define CLI_OK 0
#define CLI_FAIL 1
#define CLI_USAGE 2

struct config;
struct db;

struct cli {
	struct config *cfg;
	struct db *db;
	int readonly;
};

/* Print "tinbao: WHAT: message" on stderr; returns code. */
int cli_error(int code, const char *what, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Open the database (created and migrated when read-write). 0 / -1 (printed). */
int cli_open(struct cli *c, int readonly, const char *what);
/* Print a JSON value (taking ownership) on stdout. */
int cli_print_json(json_t *v);
/* ISO time or JSON null for 0. */
json_t *cli_json_time(int64_t t);
/* A string or JSON null. */
json_t *cli_json_str(const char *s);
/* Print s left-aligned in a column `width` characters wide (UTF-8 aware),
 * then one space. */
void cli_cell(const char *s, int width);
/* 1 if argv has -h/--help in it (before "--"). */
int cli_wants_help(int argc, char **argv);

int cli_officer(struct cli *c, int argc, char **argv);
int cli_shift(struct cli *c, int argc, char **argv);
int cli_roster(struct cli *c, int argc, char **argv);
int cli_tips(struct cli *c, int argc, char **argv);
int cli_tip(struct cli *c, int argc, char **argv);
int cli_ack(struct cli *c, int argc, char **argv);
int cli_close(struct cli *c, int argc, char **argv);

#endif
