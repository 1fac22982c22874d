/* Fuzz target: the spreadsheet CSV reader. Every record has 1 to
 * CSVIN_FIELDS_MAX fields whose bytes fit in a record, lines only grow, and
 * reading ends. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/csvin.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct csvin *r = csvin_open((const char *)data, size);
	if (!r)
		return 0;
	if (csvin_sep(r) != ',' && csvin_sep(r) != ';' && csvin_sep(r) != '\t')
		abort();
	char **f, err[128];
	size_t n, records = 0;
	int line, last = 0, rc;
	while ((rc = csvin_next(r, &f, &n, &line, err, sizeof err)) != 0) {
		if (line < last || ++records > size + 1)
			abort();
		last = line;
		if (rc < 0)
			continue;
		size_t total = 0;
		if (n < 1 || n > CSVIN_FIELDS_MAX)
			abort();
		for (size_t i = 0; i < n; i++)
			total += strlen(f[i]) + 1;
		if (total > CSVIN_RECORD_MAX + 1)
			abort();
	}
	csvin_free(r);
	return 0;
}
