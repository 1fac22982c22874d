/* Fuzz target: the reply-command parser, officer and citizen forms, on a
 * NUL-terminated copy of the input. The argument must lie inside the input,
 * a code given as OK must check, the bad token must be terminated and (for
 * valid UTF-8 input) valid UTF-8, and a plain tip keeps the whole text. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "gateway/command.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
check(const char *s, int utf8, const struct command *c)
{
	size_t len = strlen(s);
	if (c->arg_len && (c->arg < s || c->arg + c->arg_len > s + len))
		abort();
	if (c->arg_len > 0 && (c->arg[0] == ' ' || c->arg[c->arg_len - 1] == ' '))
		if (c->kind != CMD_NONE)
			abort();                     /* trimmed */
	if (c->id_state == CMD_ID_OK && !trackid_check(c->code))
		abort();
	if (memchr(c->bad_token, '\0', sizeof c->bad_token) == NULL)
		abort();
	if (c->id_state != CMD_ID_INVALID && c->bad_token[0])
		abort();
	if (utf8 && u8_check((const uint8_t *)c->bad_token, strlen(c->bad_token)))
		abort();
	if ((int)c->kind < CMD_NONE || c->kind > CMD_FOLLOWUP)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int utf8 = u8_check((const uint8_t *)s, strlen(s)) == NULL;
	struct command c;
	static const char *const prefixes[] = { "TB", "CABT" };
	for (size_t i = 0; i < 2; i++) {
		if (command_parse_officer(prefixes[i], s, &c) == 0) {
			check(s, utf8, &c);
			if (c.kind == CMD_STATUS || c.kind == CMD_FOLLOWUP)
				abort();
		} else if (strlen(s) <= COMMAND_TEXT_MAX) {
			abort();
		}
		if (command_parse_citizen(prefixes[i], s, &c) == 0) {
			check(s, utf8, &c);
			if (c.kind != CMD_NONE && c.kind != CMD_STATUS && c.kind != CMD_FOLLOWUP)
				abort();
			if (c.kind == CMD_NONE && (c.arg != s || c.arg_len != strlen(s)))
				abort();
			if (c.kind == CMD_FOLLOWUP && c.id_state != CMD_ID_OK)
				abort();
		} else {
			abort();                 /* a citizen's text of any length is read */
		}
	}
	free(s);
	return 0;
}
