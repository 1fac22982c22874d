/* Fuzz target: tracking ID parsing. A parsed code must check; format then
 * parse gives it back; had_prefix matches the token's length; the token and
 * its NUL-terminated copy go through trackid_check without harm. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/trackid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
one(const char *prefix, const char *in, size_t len)
{
	char code[TRACKID_CODE_LEN + 1], again[TRACKID_CODE_LEN + 1], full[32];
	int pre = -1;
	if (trackid_parse(prefix, in, len, code, &pre) != 0)
		return;
	if (!trackid_check(code) || strlen(code) != TRACKID_CODE_LEN)
		abort();
	if (pre != (len != TRACKID_CODE_LEN))
		abort();
	trackid_format(prefix, code, full, sizeof full);
	if (trackid_parse(prefix, full, strlen(full), again, NULL) != 0 || strcmp(code, again) != 0)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	one("TB", (const char *)data, size);
	one("", (const char *)data, size);
	one("CABT", (const char *)data, size);
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	if (trackid_check(s) && trackid_parse("TB", s, strlen(s), (char[TRACKID_CODE_LEN + 1]){ 0 },
	    NULL) != 0)
		abort();                                 /* a checked code always parses */
	free(s);
	return 0;
}
