/* legalclock — see legalclock.h. */
#include "gateway/legalclock.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/timeutil.h"

/* Howard Hinnant's days_from_civil / civil_from_days. */
int64_t
legalclock_daynum(struct lc_date d)
{
	int64_t y = d.y - (d.m <= 2);
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (d.m + (d.m > 2 ? -3 : 9)) + 2) / 5 + d.d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

struct lc_date
legalclock_from_daynum(int64_t z)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	struct lc_date r;
	r.d = (int)(doy - (153 * mp + 2) / 5 + 1);
	r.m = (int)(mp < 10 ? mp + 3 : mp - 9);
	r.y = (int)(yoe + era * 400 + (r.m <= 2));
	return r;
}

int
legalclock_weekday(struct lc_date d)
{
	int64_t n = legalclock_daynum(d);      /* 1970-01-01 was a Thursday (3) */
	int64_t w = (n + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

int
legalclock_parse(const char *s, struct lc_date *out)
{
	char iso[11];
	if (strchr(s, '/')) {            /* dd/mm/yyyy, as the rest of the desk's commands */
		if (timeutil_parse_day(s, iso) < 0)
			return -1;
		s = iso;
	}
	if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
		return -1;
	for (int i = 0; i < 10; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return -1;
	struct lc_date d = {
		.y = (s[0] - '0') * 1000 + (s[1] - '0') * 100 + (s[2] - '0') * 10 + (s[3] - '0'),
		.m = (s[5] - '0') * 10 + (s[6] - '0'),
		.d = (s[8] - '0') * 10 + (s[9] - '0'),
	};
	if (d.y < 1970 || d.m < 1 || d.m > 12 || d.d < 1 || d.d > 31)
		return -1;
	struct lc_date back = legalclock_from_daynum(legalclock_daynum(d));
	if (back.y != d.y || back.m != d.m || back.d != d.d)
		return -1;                        /* 2026-02-30 */
	*out = d;
	return 0;
}

void
legalclock_format(struct lc_date d, char *out, size_t outsz)
{
	snprintf(out, outsz, "%04d-%02d-%02d", d.y, d.m, d.d);
}

static int
cmp_day(const void *key, const void *elem)
{
	return strcmp((const char *)key, *(const char *const *)elem);
}

int
legalclock_working(struct lc_date d, const char *const *holidays, size_t n)
{
	if (legalclock_weekday(d) >= 5)
		return 0;
	char day[16];
	legalclock_format(d, day, sizeof day);
	return !(n && bsearch(day, holidays, n, sizeof *holidays, cmp_day));
}

struct lc_date
legalclock_add_working(struct lc_date from, int n, const char *const *holidays, size_t nh)
{
	int64_t day = legalclock_daynum(from);
	/* At most a few weeks of holidays in a row (Tết): bounded anyway. */
	for (int guard = 0; n > 0 && guard < 3660; guard++) {
		day++;
		if (legalclock_working(legalclock_from_daynum(day), holidays, nh))
			n--;
	}
	return legalclock_from_daynum(day);
}

struct lc_date
legalclock_notice_due(struct lc_date received, const char *const *holidays, size_t nh)
{
	return legalclock_add_working(received, LEGALCLOCK_NOTICE_DAYS, holidays, nh);
}
