/* timeutil — see timeutil.h. */
#include "gateway/timeutil.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

int
timeutil_set_zone(const char *tz)
{
	char path[512];
	if (!tz || !*tz || strstr(tz, ".."))
		return -1;
	snprintf(path, sizeof path, "/usr/share/zoneinfo/%s", tz);
	if (tz[0] != ':' && access(path, R_OK) != 0 && strcmp(tz, "UTC") != 0)
		return -1;
	if (setenv("TZ", tz, 1) < 0)
		return -1;
	tzset();
	return 0;
}

int64_t
timeutil_now(void)
{
	return (int64_t)time(NULL);
}

int
timeutil_parse_local(const char *s, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	const char *end = strptime(s, "%Y-%m-%d %H:%M", &tm);
	if (!end || *end)
		return -1;
	tm.tm_isdst = -1;
	int mon = tm.tm_mon, mday = tm.tm_mday;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mon != mon || tm.tm_mday != mday)
		return -1;                  /* 2026-02-30 and the like */
	*out = (int64_t)t;
	return 0;
}

static void
fmt(int64_t t, const char *f, char *out, size_t outsz)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	/* f is always one of this file's literals. */
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
	size_t n = strftime(out, outsz, f, &tm);
#pragma GCC diagnostic pop
	if (n == 0 && outsz)
		out[0] = '\0';
}

void
timeutil_format_local(int64_t t, char *out, size_t outsz)
{
	fmt(t, "%Y-%m-%d %H:%M", out, outsz);
}

void
timeutil_format_iso(int64_t t, char *out, size_t outsz)
{
	char buf[40];
	fmt(t, "%Y-%m-%dT%H:%M:%S%z", buf, sizeof buf);
	size_t n = strlen(buf);
	/* +0700 -> +07:00 */
	if (n >= 5 && (buf[n - 5] == '+' || buf[n - 5] == '-'))
		snprintf(out, outsz, "%.*s:%s", (int)(n - 2), buf, buf + n - 2);
	else
		snprintf(out, outsz, "%s", buf);
}

void
timeutil_format_hm(int64_t t, char *out, size_t outsz)
{
	fmt(t, "%H:%M", out, outsz);
}

void
timeutil_format_hm_dm(int64_t t, char *out, size_t outsz)
{
	fmt(t, "%H:%M %d/%m", out, outsz);
}

void
timeutil_format_dmy(int64_t t, char *out, size_t outsz)
{
	fmt(t, "%d/%m/%Y", out, outsz);
}

void
timeutil_local_date(int64_t t, int *y, int *m, int *d)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	*y = tm.tm_year + 1900;
	*m = tm.tm_mon + 1;
	*d = tm.tm_mday;
}

int64_t
timeutil_local_midnight(int y, int m, int d)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}
