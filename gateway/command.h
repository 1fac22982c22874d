/* command — the parser of reply commands (pure: no database).
 *
 * Officers: OK <id> / NHAN <id> (acknowledge), bare OK (the only tip
 * waiting), XONG <id> [note] (close), HOI <id> <text>, CHUYEN <id> <officer>,
 * DS (list). Citizens: TT <id> (status), <id> <text> (add to a tip).
 * Command words are matched case- and diacritics-insensitively ("nhận",
 * "NHẬN", "nhan"); the id may be "TB-7KM4QX", "TB7KM4QX", "TB 7KM4QX" or
 * "7KM4QX". The rest of the text is kept as written. Any thread.
 */
#ifndef TINBAO_COMMAND_H
#define TINBAO_COMMAND_H

#include <stddef.h>

#include "gateway/trackid.h"

#define COMMAND_TEXT_MAX 2000     /* bytes; longer input is refused */

enum cmd_kind { CMD_NONE, CMD_ACK, CMD_CLOSE, CMD_ASK, CMD_TRANSFER, CMD_LIST, CMD_STATUS,
	CMD_FOLLOWUP };
enum cmd_id { CMD_ID_NONE, CMD_ID_OK, CMD_ID_INVALID };

struct command {
	enum cmd_kind kind;
	enum cmd_id id_state;        /* NONE: no id given; INVALID: a token that is not an id */
	char code[TRACKID_CODE_LEN + 1];
	int had_prefix;
	char bad_token[32];          /* the offending token when INVALID (cut to fit) */
	const char *arg;             /* the rest after the id, trimmed; points into the input */
	size_t arg_len;
};

/* 0, or -1 for NULL or oversize input. kind CMD_NONE: not a command. */
int command_parse_officer(const char *prefix, const char *text, struct command *out);
/* CMD_STATUS, CMD_FOLLOWUP, or CMD_NONE for a plain tip. */
int command_parse_citizen(const char *prefix, const char *text, struct command *out);

#endif
