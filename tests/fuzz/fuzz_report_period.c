/* Fuzz target: the report's period parsers (report_month for --month and
 * GET /report?month=, report_days for --from/--to) on the input's first
 * line and the rest. A period accepted is a non-empty run of whole local
 * days, a calendar month for report_month, at most REPORT_DAYS_MAX days. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/report.h"
#include "gateway/timeutil.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int zoned;
	if (!zoned) {
		timeutil_set_zone("Asia/Ho_Chi_Minh");
		zoned = 1;
	}
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	char *second = strchr(s, '\n');
	if (second)
		*second++ = '\0';
	int64_t from = 0, to = 0;
	char err[128];
	memset(err, 'x', sizeof err);
	if (report_month(s, &from, &to, err, sizeof err) == 0) {
		int y, m, d;
		timeutil_local_date(from, &y, &m, &d);
		if (to <= from || d != 1 || to - from > 31 * 86400 + 3600 ||
		    to - from < 28 * 86400 - 3600)
			abort();
	} else if (!memchr(err, '\0', sizeof err)) {
		abort();
	}
	if (report_days(s, second ? second : s, &from, &to, err, sizeof err) == 0) {
		if (to <= from || to - from > (int64_t)REPORT_DAYS_MAX * 86400 + 3600)
			abort();
	} else if (!memchr(err, '\0', sizeof err)) {
		abort();
	}
	free(s);
	return 0;
}
