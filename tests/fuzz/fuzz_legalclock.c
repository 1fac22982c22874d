/* Fuzz target: the legal clocks' date parser and arithmetic, and the
 * HH:MM parser of [gateway] daily_summary. A parsed ISO date formats back
 * to the same text, a dd/mm/yyyy one to an ISO date that parses to the same
 * day; its working-day sums move forward and land on working days. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/legalclock.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char s[64];
	if (size >= sizeof s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';
	int m;
	if (config_parse_hhmm(s, &m) == 0 && (m < -1 || m >= 24 * 60))
		abort();
	struct lc_date d;
	if (legalclock_parse(s, &d) != 0)
		return 0;
	char back[16];
	legalclock_format(d, back, sizeof back);
	struct lc_date again;
	if (strchr(s, '/') ? legalclock_parse(back, &again) != 0 ||
	    legalclock_daynum(again) != legalclock_daynum(d) : strcmp(back, s) != 0)
		abort();
	static const char *const hol[] = { "2026-04-30", "2026-05-01", "2027-01-01" };
	struct lc_date due = legalclock_notice_due(d, hol, 3);
	int64_t a = legalclock_daynum(d), b = legalclock_daynum(due);
	if (b <= a || b - a > 3 + 2 * 2 + 3 || !legalclock_working(due, hol, 3))
		abort();
	return 0;
}
