/* command — the parser of reply commands (pure: no database, no state).
 *
 * Officers: OK <id> / NHAN <id> (acknowledge), bare OK / NHAN (the only
 * tip waiting), XONG <id> [note] (close), HOI <id> <text> (ask the tipster),
 * CHUYEN <id> <officer> (hand over), DS (list). Citizens: TT <id> (status),
 * <id> <text> (add to a tip); anything else is a plain tip.
 * The command word is matched case- and diacritics-insensitively ("nhận",
 * "NHẬN", "Nha\u0323\u0302n", "nhan:"); the id may be "TB-7KM4QX",
 * "TB7KM4QX", "TB 7KM4QX" or "7KM4QX", any case, maybe with trailing
 * punctuation, or glued to an ASCII command word ("TT7KM4QX"). The rest of
 * the text is kept as written. Words are split on ASCII white space and
 * U+00A0.
 *
 * Threads: any thread.
 * Ownership: text and prefix are borrowed. struct command is the caller's;
 * its arg points into text, so it is valid only while text is.
 */
#ifndef TINBAO_COMMAND_H
#define TINBAO_COMMAND_H

#include <stddef.h>

#include "gateway/trackid.h"

#define COMMAND_TEXT_MAX 2000     /* bytes of an officer's command; longer is refused */

enum cmd_kind { CMD_NONE, CMD_ACK, CMD_CLOSE, CMD_ASK, CMD_TRANSFER, CMD_LIST, CMD_STATUS,
	CMD_FOLLOWUP };
enum cmd_id { CMD_ID_NONE, CMD_ID_OK, CMD_ID_INVALID };

struct command {
	enum cmd_kind kind;
	enum cmd_id id_state;        /* NONE: no id given; INVALID: a token that is not an id */
	char code[TRACKID_CODE_LEN + 1];  /* upper case, when id_state == CMD_ID_OK */
	int had_prefix;
	char bad_token[32];          /* the offending token when INVALID (cut to fit at a
	                                character boundary; "TB 7KM4QY" when the prefix
	                                stood alone before it) */
	const char *arg;             /* the rest after the id (or after DS), trimmed; points
	                                into the input; "" if none. A citizen's plain
	                                tip (CMD_NONE): the whole text. */
	size_t arg_len;
};

/* 0, or -1 for NULL or oversize input (then out->kind is CMD_NONE).
 * kind CMD_NONE: not a command (the router answers with help). OK or NHAN
 * followed by something that is not an id: CMD_ACK with CMD_ID_INVALID.
 * XONG, HOI or CHUYEN without anything after: id_state CMD_ID_NONE. */
int command_parse_officer(const char *prefix, const char *text, struct command *out);
/* 0, or -1 for NULL input. A citizen's text of any length is read (only its
 * first words decide; the rest is the argument, never cut). CMD_STATUS (TT; bare TT has
 * CMD_ID_NONE; TT and one id-shaped token that is not a valid id has
 * CMD_ID_INVALID), CMD_FOLLOWUP (the first token is a valid id: without the
 * prefix a six-character word must pass the check character), or CMD_NONE
 * for a plain tip — which is also what "TT" followed by words that are not
 * an id gives, so a tip that starts with "TT" is never lost. */
int command_parse_citizen(const char *prefix, const char *text, struct command *out);
/* In a group the Zalo bot sees only messages that mention it: "@Bot CA
 * Thạch Khôi OK 7KM4QX". A text that starts with '@' is read from its first
 * officer command word on (a pointer into text); any other text, or one
 * with no command word, is returned as it is. */
const char *command_after_mention(const char *text);

#endif
