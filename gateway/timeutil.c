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

int64_t
timeutil_now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A date at *p: "YYYY-MM-DD", or "D/M/YYYY" (day first, as written in
 * Vietnam; one or two digits). 0 and *p past it, or -1. */
static int
parse_date(const char **p, int *y, int *m, int *d)
{
	const char *s = *p;
	char *end;
	if (strlen(s) >= 10 && s[4] == '-' && s[7] == '-') {
		if (sscanf(s, "%4d-%2d-%2d", y, m, d) != 3 || strspn(s, "0123456789") != 4 ||
		    strspn(s + 5, "0123456789") != 2 || strspn(s + 8, "0123456789") != 2)
			return -1;
		*p = s + 10;
	} else {
		long v[3];
		for (int i = 0; i < 3; i++) {
			if (!(*s >= '0' && *s <= '9'))
				return -1;
			v[i] = strtol(s, &end, 10);
			size_t len = (size_t)(end - s);
			if ((i < 2 && (len > 2 || *end != '/')) || (i == 2 && len != 4))
				return -1;
			s = i < 2 ? end + 1 : end;
		}
		*d = (int)v[0];
		*m = (int)v[1];
		*y = (int)v[2];
		*p = s;
	}
	return *m >= 1 && *m <= 12 && *d >= 1 && *d <= 31 && *y >= 1970 && *y <= 9999 ? 0 : -1;
}

/* y-m-d h:m as local time, refusing dates that do not exist (30/02). */
static int
local_time(int y, int m, int d, int h, int mi, int64_t *out)
{
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_isdst = -1;
	time_t t = mktime(&tm);
	if (t == (time_t)-1 || tm.tm_mon != m - 1 || tm.tm_mday != d)
		return -1;
	*out = (int64_t)t;
	return 0;
}

int
timeutil_parse_local(const char *s, int64_t *out)
{
	int y, m, d;
	const char *p = s;
	if (parse_date(&p, &y, &m, &d) < 0 || (*p != ' ' && *p != 'T'))
		return -1;
	p++;
	/* H:MM or HH:MM, and :00 seconds as spreadsheets write them */
	int h = 0, digits = 0;
	while (*p >= '0' && *p <= '9' && digits < 2) {
		h = h * 10 + (*p++ - '0');
		digits++;
	}
	if (!digits || p[0] != ':' || !(p[1] >= '0' && p[1] <= '9') ||
	    !(p[2] >= '0' && p[2] <= '9'))
		return -1;
	int mi = (p[1] - '0') * 10 + (p[2] - '0');
	p += 3;
	if (p[0] == ':' && p[1] == '0' && p[2] == '0')
		p += 3;
	if (*p || h > 23 || mi > 59)
		return -1;
	return local_time(y, m, d, h, mi, out);
}

int
timeutil_parse_day(const char *s, char out[11])
{
	int y, m, d;
	int64_t t;
	const char *p = s;
	if (parse_date(&p, &y, &m, &d) < 0 || *p || local_time(y, m, d, 12, 0, &t) < 0)
		return -1;
	snprintf(out, 11, "%04d-%02d-%02d", y, m, d);
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
timeutil_format_hm_dmy(int64_t t, char *out, size_t outsz)
{
	fmt(t, "%H:%M %d/%m/%Y", out, outsz);
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

int
timeutil_local_hour(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	return tm.tm_hour;
}
