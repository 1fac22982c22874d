/* Fuzz target: the reply-command parser (officer and citizen forms). */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/command.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	struct command c;
	if (command_parse_officer("TB", s, &c) == 0) {
		if (c.arg_len)
			(void)memchr(c.arg, 0, c.arg_len);  /* arg must lie inside the input */
		if (c.id_state == CMD_ID_OK && !trackid_check(c.code))
			abort();
	}
	if (command_parse_citizen("TB", s, &c) == 0 && c.id_state == CMD_ID_OK &&
	    !trackid_check(c.code))
		abort();
	free(s);
	return 0;
}
