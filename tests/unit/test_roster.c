/* Unit tests: the roster rule (gateway/roster) — weekly shifts across
 * midnight on every day of the week, days off, the +07:00 of Hà Nội and a
 * zone with daylight saving — its forms, the dates people type
 * (gateway/timeutil), and the queries over a real database. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/roster.h"
#include "gateway/timeutil.h"
#include "tests/unit/unit.h"

#define MON_2026_11_23_19H 1795435200LL     /* 2026-11-23 19:00 +07:00 (12:00 UTC) */
#define HOUR 3600LL
#define DAY 86400LL

static char dbpath[256];

static int64_t
at(const char *s)
{
	int64_t t = -1;
	if (timeutil_parse_local(s, &t) < 0)
		fprintf(stderr, "  cannot parse \"%s\"\n", s);
	return t;
}

static struct shift
weekly(int64_t officer, int mask, const char *span, const char *first, const char *last)
{
	struct shift s = { .officer_id = officer, .kind = SHIFT_WEEKLY, .level = 1,
	    .weekdays = mask };
	CHECK(roster_parse_span(span, &s.time_from, &s.time_to) == 0);
	snprintf(s.first_day, sizeof s.first_day, "%s", first);
	snprintf(s.last_day, sizeof s.last_day, "%s", last);
	return s;
}

static struct shift
off(int64_t officer, const char *first, const char *last)
{
	struct shift s = { .officer_id = officer, .kind = SHIFT_OFF };
	snprintf(s.first_day, sizeof s.first_day, "%s", first);
	snprintf(s.last_day, sizeof s.last_day, "%s", last);
	return s;
}

static void
test_dates_people_type(void)
{
	int64_t t;
	CHECK(timeutil_parse_local("2026-11-23 19:00", &t) == 0 && t == MON_2026_11_23_19H);
	CHECK(timeutil_parse_local("23/11/2026 19:00", &t) == 0 && t == MON_2026_11_23_19H);
	CHECK(timeutil_parse_local("23/11/2026 19:00:00", &t) == 0 && t == MON_2026_11_23_19H);
	CHECK(timeutil_parse_local("2026-11-23T19:00", &t) == 0 && t == MON_2026_11_23_19H);
	CHECK(timeutil_parse_local("3/1/2026 7:05", &t) == 0);
	CHECK(t == at("2026-01-03 07:05"));
	CHECK(timeutil_parse_local("31/11/2026 07:00", &t) < 0);      /* no such day */
	CHECK(timeutil_parse_local("2026-02-29 07:00", &t) < 0);
	CHECK(timeutil_parse_local("2026-11-23 24:00", &t) < 0);
	CHECK(timeutil_parse_local("2026-11-23 7:0", &t) < 0);
	CHECK(timeutil_parse_local("2026-11-23", &t) < 0);
	CHECK(timeutil_parse_local("23/11/26 07:00", &t) < 0);        /* a year has 4 digits */
	CHECK(timeutil_parse_local("11/23/2026 07:00", &t) < 0);      /* day first */
	CHECK(timeutil_parse_local("2026-11-23 07:00:30", &t) < 0);
	char d[11];
	CHECK(timeutil_parse_day("1/2/2026", d) == 0);
	CHECK_STR(d, "2026-02-01");
	CHECK(timeutil_parse_day("2026-12-31", d) == 0);
	CHECK_STR(d, "2026-12-31");
	CHECK(timeutil_parse_day("2026-13-01", d) < 0);
	CHECK(timeutil_parse_day("29/02/2027", d) < 0);
	CHECK(timeutil_parse_day("2026-12-31 07:00", d) < 0);
}

static void
test_forms(void)
{
	char out[64];
	CHECK(roster_parse_weekdays("MON,WED,FRI") == 0x15);
	CHECK(roster_parse_weekdays("mon, wed ,fri") == 0x15);
	CHECK(roster_parse_weekdays("MON-FRI") == 0x1f);
	CHECK(roster_parse_weekdays("T2-T6") == 0x1f);
	CHECK(roster_parse_weekdays("T2,T4,T6") == 0x15);
	CHECK(roster_parse_weekdays("T7 CN") == 0x60);
	CHECK(roster_parse_weekdays("SAT-MON") == 0x61);              /* wraps past Sunday */
	CHECK(roster_parse_weekdays("daily") == 0x7f);
	CHECK(roster_parse_weekdays("") < 0);
	CHECK(roster_parse_weekdays("MOX") < 0);
	CHECK(roster_parse_weekdays("T8") < 0);
	CHECK(roster_parse_weekdays("MON-") < 0);
	CHECK(roster_parse_weekdays("MON-WED-FRI") < 0);
	roster_format_weekdays(0x1f, out, sizeof out);
	CHECK_STR(out, "Mon-Fri");
	roster_format_weekdays(0x15, out, sizeof out);
	CHECK_STR(out, "Mon, Wed, Fri");
	roster_format_weekdays(0x7f, out, sizeof out);
	CHECK_STR(out, "daily");
	roster_weekday_codes(0x61, 0, out, sizeof out);
	CHECK_STR(out, "MON,SAT,SUN");
	CHECK(roster_parse_weekdays(out) == 0x61);
	roster_weekday_codes(0x3b, 0, out, sizeof out);         /* Mon, Tue, Thu-Sat */
	CHECK_STR(out, "MON,TUE,THU-SAT");
	CHECK(roster_parse_weekdays(out) == 0x3b);
	roster_weekday_codes(0x1f, 1, out, sizeof out);
	CHECK_STR(out, "T2-T6");
	roster_weekday_codes(0x55, 1, out, sizeof out);
	CHECK_STR(out, "T2,T4,T6,CN");
	CHECK(roster_parse_weekdays(out) == 0x55);
	roster_format_weekdays(0x3b, out, sizeof out);
	CHECK_STR(out, "Mon, Tue, Thu-Sat");
	int a, b;
	CHECK(roster_parse_span("07:00-19:00", &a, &b) == 0 && a == 420 && b == 1140);
	CHECK(roster_parse_span("19:00-07:00", &a, &b) == 0 && a == 1140 && b == 420);
	CHECK(roster_parse_span("7:00 - 19:30", &a, &b) == 0 && a == 420 && b == 1170);
	CHECK(roster_parse_span("07:00-24:00", &a, &b) == 0 && b == 1440);
	CHECK(roster_parse_span("07:00-00:00", &a, &b) == 0 && b == 1440);
	CHECK(roster_parse_span("07:00-07:00", &a, &b) == 0 && a == 420 && b == 420);
	CHECK(roster_parse_span("24:00-07:00", &a, &b) < 0);
	CHECK(roster_parse_span("7-19", &a, &b) < 0);
	CHECK(roster_parse_span("07:00-19:60", &a, &b) < 0);
	CHECK(roster_parse_span("07:00", &a, &b) < 0);
	roster_format_span(1140, 420, out, sizeof out);
	CHECK_STR(out, "19:00-07:00");
	roster_format_span(420, 1440, out, sizeof out);
	CHECK_STR(out, "07:00-24:00");
}

/* An overnight weekly shift on one day of the week, for each of the seven:
 * on from that evening to the next morning, never outside, and a day off
 * cancels the night that starts on it, not the morning after one. */
static void
test_overnight_every_weekday(void)
{
	for (int w = 0; w < 7; w++) {
		int64_t eve = MON_2026_11_23_19H + w * DAY;            /* day w, 19:00 */
		struct shift s = weekly(7, 1 << w, "19:00-07:00", "", "");
		int64_t a = 0, b = 0;
		CHECK(roster_covers(&s, NULL, 0, eve, &a, &b) && a == eve && b == eve + 12 * HOUR);
		CHECK(roster_covers(&s, NULL, 0, eve + 5 * HOUR - 60, NULL, NULL));   /* 23:59 */
		CHECK(roster_covers(&s, NULL, 0, eve + 5 * HOUR, NULL, NULL));        /* 00:00 */
		CHECK(roster_covers(&s, NULL, 0, eve + 12 * HOUR - 1, &a, &b) && a == eve);
		CHECK(!roster_covers(&s, NULL, 0, eve - 1, NULL, NULL));
		CHECK(!roster_covers(&s, NULL, 0, eve + 12 * HOUR, NULL, NULL));
		for (int other = 1; other < 7; other++)       /* the other evenings: off duty */
			CHECK(!roster_covers(&s, NULL, 0, eve + other * DAY + HOUR, NULL, NULL));
		char day[11], next[11];
		roster_day_of(eve, day);
		roster_day_of(eve + DAY, next);
		struct shift offs[2] = { off(7, day, day), off(8, next, next) };
		CHECK(!roster_covers(&s, offs, 1, eve + HOUR, NULL, NULL));
		CHECK(!roster_covers(&s, offs, 1, eve + 8 * HOUR, NULL, NULL));
		offs[0] = off(7, next, next);                   /* the morning after stays */
		CHECK(roster_covers(&s, offs, 2, eve + 8 * HOUR, NULL, NULL));
		CHECK(roster_covers(&s, offs + 1, 1, eve + 8 * HOUR, NULL, NULL)); /* other officer */
	}
}

static void
test_day_shifts_dates_and_kinds(void)
{
	int64_t mon7 = MON_2026_11_23_19H - 12 * HOUR;          /* Monday 07:00 */
	struct shift s = weekly(1, roster_parse_weekdays("MON-FRI"), "07:00-19:00", "2026-11-23",
	    "2026-11-27");
	int64_t a, b;
	for (int d = 0; d < 7; d++) {
		int64_t noon = mon7 + d * DAY + 5 * HOUR;
		CHECK(roster_covers(&s, NULL, 0, noon, &a, &b) == (d < 5));
		CHECK(roster_covers(&s, NULL, 0, noon - 7 * DAY, NULL, NULL) == 0);   /* before */
		CHECK(roster_covers(&s, NULL, 0, noon + 7 * DAY, NULL, NULL) == 0);   /* after */
	}
	CHECK(roster_covers(&s, NULL, 0, mon7, &a, &b) && a == mon7 && b == mon7 + 12 * HOUR);
	CHECK(!roster_covers(&s, NULL, 0, mon7 + 12 * HOUR, NULL, NULL));   /* 19:00: ended */
	/* 24 hours from 07:00 */
	struct shift full = weekly(1, 1, "07:00-07:00", "", "");
	CHECK(roster_covers(&full, NULL, 0, mon7 + DAY - 1, &a, &b) && b == mon7 + DAY);
	CHECK(!roster_covers(&full, NULL, 0, mon7 + DAY, NULL, NULL));
	/* always, and off for a day */
	struct shift chief = { .officer_id = 4, .kind = SHIFT_ALWAYS, .always = 1, .level = 4 };
	struct shift leave = off(4, "2026-11-24", "2026-11-25");
	CHECK(roster_covers(&chief, &leave, 1, mon7 + 16 * HOUR, &a, &b) && a == 0 && b == 0);
	CHECK(!roster_covers(&chief, &leave, 1, mon7 + 17 * HOUR, NULL, NULL));  /* Tue 00:00 */
	CHECK(!roster_covers(&chief, &leave, 1, mon7 + 2 * DAY + 16 * HOUR, NULL, NULL));
	CHECK(roster_covers(&chief, &leave, 1, mon7 + 2 * DAY + 17 * HOUR, NULL, NULL));
	/* once: a day off on its first day cancels it */
	struct shift once = { .officer_id = 4, .kind = SHIFT_ONCE, .level = 2,
	    .starts_at = mon7 + DAY, .ends_at = mon7 + DAY + 12 * HOUR };
	CHECK(roster_covers(&once, NULL, 0, mon7 + DAY, NULL, NULL));
	CHECK(!roster_covers(&once, &leave, 1, mon7 + DAY, NULL, NULL));
	CHECK(!roster_covers(&leave, NULL, 0, mon7 + DAY, NULL, NULL));     /* off is off */
}

/* A zone with daylight saving: a weekly 07:00 start is 07:00 on the wall
 * clock on the day the clocks go forward (Berlin, 2026-03-29). */
static void
test_zone_with_daylight_saving(void)
{
	if (access("/usr/share/zoneinfo/Europe/Berlin", R_OK) != 0)
		return;
	CHECK(timeutil_set_zone("Europe/Berlin") == 0);
	struct shift s = weekly(1, 1 << 6, "07:00-19:00", "", "");   /* Sundays */
	int64_t a, b, seven_cest = 1774760400LL;                     /* 05:00 UTC */
	CHECK(roster_covers(&s, NULL, 0, seven_cest, &a, &b) && a == seven_cest &&
	    b == seven_cest + 12 * HOUR);
	CHECK(!roster_covers(&s, NULL, 0, seven_cest - 1, NULL, NULL));
	CHECK(timeutil_set_zone("Asia/Ho_Chi_Minh") == 0);
}

static void
test_queries(void)
{
	struct db *db = unit_fresh_db("roster", dbpath, sizeof dbpath);
	struct officer an = { .name = "An", .phone = "+84900000001" };
	struct officer binh = { .name = "Bình", .phone = "+84900000002" };
	int64_t ia = db_officer_add(db, &an, 1), ib = db_officer_add(db, &binh, 1);
	struct shift sa = weekly(ia, roster_parse_weekdays("MON,WED,FRI"), "07:00-19:00", "", "");
	struct shift sb = weekly(ib, roster_parse_weekdays("MON,WED,FRI"), "19:00-07:00", "", "");
	struct shift sb2 = sb;
	sb2.level = 2;
	struct shift oa = off(ia, "2026-11-25", "2026-11-25");
	CHECK(db_shift_insert(db, &sa, 1) > 0);
	CHECK(db_shift_insert(db, &sb, 1) > 0);
	CHECK(db_shift_insert(db, &sb2, 1) > 0);
	CHECK(db_shift_insert(db, &oa, 1) > 0);
	CHECK(db_shift_exists(db, &sb) == 1);
	CHECK(db_shift_exists(db, &oa) == 1);
	struct shift other = sb;
	other.time_to = 421;
	CHECK(db_shift_exists(db, &other) == 0);
	int64_t ids[4], when;
	size_t n;
	int64_t mon7 = at("2026-11-23 07:00");
	CHECK(roster_on_duty(db, 1, mon7, ids, 4, &n) == 0 && n == 1 && ids[0] == ia);
	CHECK(roster_on_duty(db, 1, mon7 - 1, ids, 4, &n) == 0 && n == 0);   /* Sunday night */
	CHECK(roster_on_duty(db, 1, at("2026-11-24 06:59"), ids, 4, &n) == 0 && n == 1 &&
	    ids[0] == ib);
	/* Wednesday: An is off; Bình's night is on */
	CHECK(roster_on_duty(db, 1, at("2026-11-25 10:00"), ids, 4, &n) == 0 && n == 0);
	CHECK(roster_next_start(db, at("2026-11-25 10:00"), &when) == 1 &&
	    when == at("2026-11-25 19:00"));
	CHECK(roster_next_start(db, at("2026-11-24 08:00"), &when) == 1 &&
	    when == at("2026-11-25 19:00"));                   /* Wednesday 07:00 is off */
	struct roster_duty *d;
	CHECK(roster_at(db, 0, at("2026-11-25 22:00"), &d, &n) == 0 && n == 2);
	if (n == 2) {
		CHECK(d[0].shift.level == 1 && d[1].shift.level == 2);
		CHECK(d[0].end == at("2026-11-26 07:00"));
		CHECK_STR(d[0].shift.officer_name, "Bình");
	}
	roster_duties_free(d, n);
	CHECK(roster_on_duty(db, 0, at("2026-11-23 22:00"), ids, 1, &n) == 0 && n == 1 &&
	    ids[0] == ib);
	/* a removed officer is nobody's duty */
	CHECK(db_officer_remove(db, "+84900000002") == 1);
	CHECK(roster_on_duty(db, 1, at("2026-11-23 22:00"), ids, 4, &n) == 0 && n == 0);
	CHECK(db_shift_off_remove(db, ia, "2026-11-25", "2026-11-25") == 1);
	CHECK(roster_on_duty(db, 1, at("2026-11-25 10:00"), ids, 4, &n) == 0 && n == 1);
	db_close(db);
}

int
main(void)
{
	static const struct unit_case cases[] = {
		UNIT(test_dates_people_type), UNIT(test_forms), UNIT(test_overnight_every_weekday),
		UNIT(test_day_shifts_dates_and_kinds), UNIT(test_zone_with_daylight_saving),
		UNIT(test_queries),
	};
	int passed = 0, failed = 0;
	if (timeutil_set_zone("Asia/Ho_Chi_Minh") < 0) {
		fprintf(stderr, "no Asia/Ho_Chi_Minh zone\n");
		return 1;
	}
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unit_current_failed = 0;
		cases[i].fn();
		if (unit_current_failed) {
			failed++;
			fprintf(stderr, "FAIL %s\n", cases[i].name);
		} else {
			passed++;
			printf("ok   %s\n", cases[i].name);
		}
	}
	printf("%d passed, %d failed\n", passed, failed);
	return failed ? 1 : 0;
}
