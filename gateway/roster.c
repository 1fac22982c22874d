/* roster — see roster.h. */
#include "gateway/roster.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "gateway/i18n.h"

#define MIN_PER_DAY 1440

/* ------------------------------------------------------------- days */

/* Days since 1970-01-01 of a date in the proleptic Gregorian calendar
 * (H. Hinnant's days_from_civil). */
static int64_t
day_number(int y, int m, int d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	int64_t yoe = y - era * 400;
	int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + doe - 719468;
}

static void
day_civil(int64_t z, int *y, int *m, int *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	int64_t doe = z - era * 146097;
	int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	int64_t mp = (5 * doy + 2) / 153;
	*d = (int)(doy - (153 * mp + 2) / 5 + 1);
	*m = (int)(mp < 10 ? mp + 3 : mp - 9);
	*y = (int)(yoe + era * 400 + (*m <= 2));
}

/* 0 Monday .. 6 Sunday (1970-01-01 was a Thursday). */
static int
weekday(int64_t dn)
{
	int64_t w = (dn + 3) % 7;
	return (int)(w < 0 ? w + 7 : w);
}

static int64_t
local_day(int64_t t)
{
	struct tm tm;
	time_t tt = (time_t)t;
	localtime_r(&tt, &tm);
	return day_number(tm.tm_year + 1900, tm.tm_mon + 1, tm.tm_mday);
}

/* The instant of `minutes` after the local midnight that starts day dn
 * (1440 is the next midnight). */
static int64_t
local_instant(int64_t dn, int minutes)
{
	struct tm tm;
	int y, m, d;
	day_civil(dn, &y, &m, &d);
	memset(&tm, 0, sizeof tm);
	tm.tm_year = y - 1900;
	tm.tm_mon = m - 1;
	tm.tm_mday = d;
	tm.tm_min = minutes;
	tm.tm_isdst = -1;
	return (int64_t)mktime(&tm);
}

static void
day_text(int64_t dn, char out[SHIFT_DAY_LEN + 1])
{
	int y, m, d;
	day_civil(dn, &y, &m, &d);
	snprintf(out, SHIFT_DAY_LEN + 1, "%04d-%02d-%02d", y, m, d);
}

void
roster_day_of(int64_t t, char out[SHIFT_DAY_LEN + 1])
{
	day_text(local_day(t), out);
}

/* 1 when day dn lies in first..last ("" is open). */
static int
in_days(int64_t dn, const char *first, const char *last)
{
	char day[SHIFT_DAY_LEN + 1];
	day_text(dn, day);
	return (!*first || strcmp(first, day) <= 0) && (!*last || strcmp(day, last) <= 0);
}

static int
is_off(const struct shift *offs, size_t n, int64_t officer, int64_t dn)
{
	for (size_t i = 0; i < n; i++)
		if (offs[i].kind == SHIFT_OFF && offs[i].officer_id == officer &&
		    in_days(dn, offs[i].first_day, offs[i].last_day))
			return 1;
	return 0;
}

/* ------------------------------------------------------------ the rule */

/* The span of s's weekly duty starting on day dn, if it has one that day:
 * 1 with the start and end, 0 if not. */
static int
weekly_on(const struct shift *s, const struct shift *offs, size_t n_offs, int64_t dn,
    int64_t *start, int64_t *end)
{
	if (!(s->weekdays & (1 << weekday(dn))) || !in_days(dn, s->first_day, s->last_day) ||
	    is_off(offs, n_offs, s->officer_id, dn))
		return 0;
	*start = local_instant(dn, s->time_from);
	*end = local_instant(dn + (s->time_to <= s->time_from), s->time_to);
	return *end > *start;
}

int
roster_covers(const struct shift *s, const struct shift *offs, size_t n_offs, int64_t t,
    int64_t *start, int64_t *end)
{
	int64_t a = 0, b = 0, today = local_day(t);
	int on = 0;
	switch (s->kind) {
	case SHIFT_ONCE:
		on = s->starts_at <= t && t < s->ends_at &&
		    !is_off(offs, n_offs, s->officer_id, local_day(s->starts_at));
		a = s->starts_at;
		b = s->ends_at;
		break;
	case SHIFT_ALWAYS:
		on = !is_off(offs, n_offs, s->officer_id, today);
		break;
	case SHIFT_WEEKLY:
		/* a duty that holds t started today or (overnight) yesterday */
		for (int64_t dn = today; dn >= today - 1 && !on; dn--)
			on = weekly_on(s, offs, n_offs, dn, &a, &b) && a <= t && t < b;
		break;
	case SHIFT_OFF:
		break;
	}
	if (on && start)
		*start = a;
	if (on && end)
		*end = b;
	return on;
}

/* ------------------------------------------------------------ queries */

void
roster_duties_free(struct roster_duty *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++) {
		free(v[i].shift.officer_name);
		free(v[i].shift.officer_phone);
	}
	free(v);
}

int
roster_at(struct db *db, int level, int64_t at, struct roster_duty **out, size_t *n)
{
	char lo[SHIFT_DAY_LEN + 1], hi[SHIFT_DAY_LEN + 1];
	int64_t today = local_day(at);
	struct shift *v;
	size_t nv;
	*out = NULL;
	*n = 0;
	day_text(today - 1, lo);
	day_text(today, hi);
	if (db_shift_candidates(db, level, at, lo, hi, &v, &nv) < 0)
		return -1;
	struct roster_duty *d = calloc(nv ? nv : 1, sizeof *d);
	if (!d) {
		shifts_free(v, nv);
		return db_set_error(db, "who is on duty: out of memory");
	}
	size_t k = 0;
	for (size_t i = 0; i < nv; i++) {
		int64_t a, b;
		if (v[i].kind != SHIFT_OFF && roster_covers(&v[i], v, nv, at, &a, &b)) {
			d[k].shift = v[i];          /* takes the strings */
			v[i].officer_name = v[i].officer_phone = NULL;
			d[k].start = a;
			d[k].end = b;
			k++;
		}
	}
	shifts_free(v, nv);
	*out = d;
	*n = k;
	return 0;
}

int
roster_on_duty(struct db *db, int level, int64_t at, int64_t *ids, size_t max, size_t *n)
{
	struct roster_duty *d;
	size_t nd;
	*n = 0;
	if (roster_at(db, level, at, &d, &nd) < 0)
		return -1;
	/* ascending and distinct; past max, the smallest ids are kept */
	for (size_t i = 0; i < nd && max > 0; i++) {
		int64_t id = d[i].shift.officer_id;
		size_t j = 0;
		while (j < *n && ids[j] < id)
			j++;
		if (j < *n && ids[j] == id)
			continue;
		if (*n == max) {
			if (j == *n)
				continue;
			(*n)--;                     /* the largest makes room */
		}
		memmove(&ids[j + 1], &ids[j], (*n - j) * sizeof *ids);
		ids[j] = id;
		(*n)++;
	}
	roster_duties_free(d, nd);
	return 0;
}

/* The first start after `at` of s's duty, not cancelled by a day off:
 * 1 with *when, 0 none within the look-ahead. */
static int
next_of(const struct shift *s, const struct shift *offs, size_t n_offs, int64_t at,
    int64_t *when)
{
	int64_t today = local_day(at), a, b;
	switch (s->kind) {
	case SHIFT_ONCE:
		*when = s->starts_at;
		return s->starts_at > at && !is_off(offs, n_offs, s->officer_id,
		    local_day(s->starts_at));
	case SHIFT_ALWAYS:
		for (int64_t dn = today + 1; dn <= today + ROSTER_LOOKAHEAD_DAYS; dn++)
			if (!is_off(offs, n_offs, s->officer_id, dn) &&
			    is_off(offs, n_offs, s->officer_id, dn - 1)) {
				*when = local_instant(dn, 0);
				return 1;
			}
		return 0;
	case SHIFT_WEEKLY:
		for (int64_t dn = today - 1; dn <= today + ROSTER_LOOKAHEAD_DAYS; dn++)
			if (weekly_on(s, offs, n_offs, dn, &a, &b) && a > at) {
				*when = a;
				return 1;
			}
		return 0;
	case SHIFT_OFF:
		break;
	}
	return 0;
}

int
roster_next_start(struct db *db, int64_t at, int64_t *when)
{
	char lo[SHIFT_DAY_LEN + 1];
	struct shift *v;
	size_t nv;
	day_text(local_day(at) - 1, lo);
	if (db_shift_upcoming(db, at, lo, &v, &nv) < 0)
		return -1;
	int found = 0;
	for (size_t i = 0; i < nv; i++) {
		int64_t w;
		if (next_of(&v[i], v, nv, at, &w) && (!found || w < *when)) {
			*when = w;
			found = 1;
		}
	}
	shifts_free(v, nv);
	return found;
}

/* ----------------------------------------------------------- the forms */

static const char *const day_codes[7] = { "MON", "TUE", "WED", "THU", "FRI", "SAT", "SUN" };
/* TRANSLATORS: days of the week in a shift's description ("Mon, Wed, Fri
 * 07:00-19:00", "Mon-Fri 07:30-17:00"); short forms */
static const char *const day_names[7] = { N_("Mon"), N_("Tue"), N_("Wed"), N_("Thu"),
	N_("Fri"), N_("Sat"), N_("Sun") };

/* One day as written: MON..SUN, T2..T7, CN (also "Thứ 2" without the
 * space is not taken: keep it simple). 0..6, or -1. */
static int
one_day(const char *w, size_t len)
{
	for (int i = 0; i < 7; i++)
		if (len == 3 && strncasecmp(w, day_codes[i], 3) == 0)
			return i;
	if (len == 2 && (w[0] == 'T' || w[0] == 't') && w[1] >= '2' && w[1] <= '7')
		return w[1] - '2';
	if (len == 2 && strncasecmp(w, "CN", 2) == 0)
		return 6;
	return -1;
}

int
roster_parse_weekdays(const char *s)
{
	int mask = 0;
	const char *p = s;
	if (strcasecmp(s, "daily") == 0)
		return 0x7f;
	for (;;) {
		while (*p == ',' || *p == ' ' || *p == '\t')
			p++;
		if (!*p)
			break;
		const char *w = p;
		while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '-')
			p++;
		int a = one_day(w, (size_t)(p - w)), b = a;
		if (*p == '-') {
			const char *w2 = ++p;
			while (*p && *p != ',' && *p != ' ' && *p != '\t' && *p != '-')
				p++;
			b = one_day(w2, (size_t)(p - w2));
			if (*p == '-')
				return -1;
		}
		if (a < 0 || b < 0)
			return -1;
		/* a range wraps past Sunday: SAT-MON is Sat, Sun, Mon */
		for (int d = a;; d = (d + 1) % 7) {
			mask |= 1 << d;
			if (d == b)
				break;
		}
	}
	return mask ? mask : -1;
}

/* The days of mask by names, runs of three or more days as "first-last":
 * "Mon-Fri", "Mon, Wed, Fri", "Mon, Tue, Thu-Sat". */
static void
days_joined(int mask, const char *const *names, const char *sep, char *out, size_t outsz)
{
	size_t len = 0;
	out[0] = '\0';
	for (int a = 0; a < 7; a++) {
		if (!(mask & (1 << a)))
			continue;
		int b = a;
		while (b + 1 < 7 && (mask & (1 << (b + 1))))
			b++;
		if (b - a >= 2) {
			len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s%s-%s",
			    len ? sep : "", names[a], names[b]);
			a = b;
		} else {
			len += (size_t)snprintf(out + len, len < outsz ? outsz - len : 0, "%s%s",
			    len ? sep : "", names[a]);
		}
	}
}

void
roster_format_weekdays(int mask, char *out, size_t outsz)
{
	const char *names[7];
	mask &= 0x7f;
	for (int d = 0; d < 7; d++)
		names[d] = _(day_names[d]);
	if (mask == 0x7f)
		snprintf(out, outsz, "%s", _("daily"));
	else
		days_joined(mask, names, ", ", out, outsz);
}

void
roster_weekday_codes(int mask, int vietnamese, char *out, size_t outsz)
{
	static const char *const vi[7] = { "T2", "T3", "T4", "T5", "T6", "T7", "CN" };
	days_joined(mask & 0x7f, vietnamese ? vi : day_codes, ",", out, outsz);
}

/* "H:MM" or "HH:MM" at *p, up to 24:00 when allow_24. Minutes or -1. */
static int
hhmm(const char **p, int allow_24)
{
	const char *s = *p;
	int h = 0, digits = 0;
	while (isdigit((unsigned char)*s) && digits < 2) {
		h = h * 10 + (*s++ - '0');
		digits++;
	}
	if (!digits || *s != ':' || !isdigit((unsigned char)s[1]) || !isdigit((unsigned char)s[2]))
		return -1;
	int m = (s[1] - '0') * 10 + (s[2] - '0');
	*p = s + 3;
	if (m > 59 || h > 24 || (h == 24 && (m || !allow_24)))
		return -1;
	return h * 60 + m;
}

int
roster_parse_span(const char *s, int *from, int *to)
{
	const char *p = s;
	while (*p == ' ')
		p++;
	int a = hhmm(&p, 0);
	while (*p == ' ')
		p++;
	if (a < 0 || *p++ != '-')
		return -1;
	while (*p == ' ')
		p++;
	int b = hhmm(&p, 1);
	while (*p == ' ')
		p++;
	if (b < 0 || *p)
		return -1;
	*from = a;
	*to = b == 0 ? MIN_PER_DAY : b;    /* 19:00-00:00 ends at midnight */
	return 0;
}

void
roster_format_span(int from, int to, char *out, size_t outsz)
{
	snprintf(out, outsz, "%02d:%02d-%02d:%02d", from / 60, from % 60, to / 60, to % 60);
}
