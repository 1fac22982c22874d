/* Unit tests: the legal clocks' date arithmetic. */
#include <string.h>

#include "gateway/legalclock.h"
#include "tests/unit/unit.h"

static const char *
due(const char *received, const char *const *hol, size_t n)
{
	static char out[16];
	struct lc_date d;
	if (legalclock_parse(received, &d) < 0)
		return "bad";
	legalclock_format(legalclock_notice_due(d, hol, n), out, sizeof out);
	return out;
}

static void
test_dates(void)
{
	struct lc_date d;
	CHECK(legalclock_parse("2026-03-12", &d) == 0 && d.y == 2026 && d.m == 3 && d.d == 12);
	CHECK(legalclock_weekday(d) == 3);                 /* Thursday */
	CHECK(legalclock_parse("1970-01-01", &d) == 0 && legalclock_daynum(d) == 0);
	CHECK(legalclock_parse("2026-02-29", &d) < 0);
	CHECK(legalclock_parse("2028-02-29", &d) == 0);
	CHECK(legalclock_parse("2026-13-01", &d) < 0);
	CHECK(legalclock_parse("2026-3-12", &d) < 0);
	CHECK(legalclock_parse("2026-03-12 ", &d) < 0);
	CHECK(legalclock_parse("", &d) < 0);
	for (int64_t n = -1000; n < 30000; n += 17) {
		struct lc_date x = legalclock_from_daynum(n);
		CHECK(legalclock_daynum(x) == n);
	}
}

static void
test_weekend(void)
{
	/* domain.md §2: received Thu 12/03/2026 -> due Tue 17/03/2026 */
	CHECK_STR(due("2026-03-12", NULL, 0), "2026-03-17");
	CHECK_STR(due("2026-03-09", NULL, 0), "2026-03-12");   /* Mon -> Thu */
	CHECK_STR(due("2026-03-13", NULL, 0), "2026-03-18");   /* Fri -> Wed */
	CHECK_STR(due("2026-03-14", NULL, 0), "2026-03-18");   /* Sat -> Wed */
	CHECK_STR(due("2026-03-15", NULL, 0), "2026-03-18");   /* Sun -> Wed */
}

static void
test_holidays(void)
{
	/* 30/4 and 1/5/2026 are Thursday and Friday */
	static const char *const hol[] = { "2026-04-30", "2026-05-01" };
	CHECK_STR(due("2026-04-29", hol, 2), "2026-05-06");   /* Wed -> Mon 4, Tue 5, Wed 6 */
	CHECK_STR(due("2026-04-29", NULL, 0), "2026-05-04");
	CHECK_STR(due("2026-04-30", hol, 2), "2026-05-06");   /* received on a holiday */
	struct lc_date d;
	legalclock_parse("2026-04-30", &d);
	CHECK(!legalclock_working(d, hol, 2));
	legalclock_parse("2026-05-04", &d);
	CHECK(legalclock_working(d, hol, 2));
}

static void
test_year_end(void)
{
	static const char *const hol[] = { "2027-01-01" };
	/* Wed 30/12/2026: Thu 31, (Fri 1/1 holiday), Mon 4, Tue 5 */
	CHECK_STR(due("2026-12-30", hol, 1), "2027-01-05");
	CHECK_STR(due("2026-12-30", NULL, 0), "2027-01-04");
	CHECK_STR(due("2024-12-31", NULL, 0), "2025-01-03");   /* Tue -> Fri */
	/* a long Tết break: Mon 16/02 - Fri 20/02/2026 */
	static const char *const tet[] = { "2026-02-16", "2026-02-17", "2026-02-18", "2026-02-19",
	    "2026-02-20" };
	CHECK_STR(due("2026-02-13", tet, 5), "2026-02-25");
}

UNIT_MAIN(UNIT(test_dates), UNIT(test_weekend), UNIT(test_holidays), UNIT(test_year_end))
