/* Fuzz target: tracking ID parsing. A parsed code must check, and format
 * then parse back to itself. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/trackid.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char code[TRACKID_CODE_LEN + 1], again[TRACKID_CODE_LEN + 1], full[32];
	if (trackid_parse("TB", (const char *)data, size, code, NULL) == 0) {
		if (!trackid_check(code))
			abort();
		trackid_format("TB", code, full, sizeof full);
		if (trackid_parse("TB", full, strlen(full), again, NULL) != 0 ||
		    strcmp(code, again) != 0)
			abort();
	}
	return 0;
}
