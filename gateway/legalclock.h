/* legalclock — the statutory clocks of a tip (docs/domain.md §2), as pure
 * date arithmetic: no clock, no timezone, no database.
 *
 *  - pass on to the investigation agency: 24 hours after receipt;
 *  - receipt notice (to the procuracy and the reporter): 3 working days,
 *    counted from the day after receipt; working days are Monday-Friday
 *    minus the holidays given (received Thu 12/03/2026 -> Tue 17/03/2026);
 *  - settle: 20 days after receipt (the investigation agency's clock,
 *    information only).
 * Dates are local calendar dates; the caller converts (timeutil). Any thread.
 */
#ifndef TINBAO_LEGALCLOCK_H
#define TINBAO_LEGALCLOCK_H

#include <stddef.h>
#include <stdint.h>

#define LEGALCLOCK_PASS_ON_S (24 * 3600)
#define LEGALCLOCK_NOTICE_DAYS 3
#define LEGALCLOCK_SETTLE_DAYS 20

struct lc_date {
	int y, m, d;
};

/* "YYYY-MM-DD" (a real date, years 1970-9999) -> *out. 0 / -1. */
int legalclock_parse(const char *s, struct lc_date *out);
/* "YYYY-MM-DD" into out (at least 11 bytes). */
void legalclock_format(struct lc_date d, char *out, size_t outsz);
/* Days since 1970-01-01 and back. */
int64_t legalclock_daynum(struct lc_date d);
struct lc_date legalclock_from_daynum(int64_t n);
/* 0 Monday .. 6 Sunday. */
int legalclock_weekday(struct lc_date d);
/* 1 if d is Mon-Fri and not among holidays (n "YYYY-MM-DD" strings sorted
 * ascending). */
int legalclock_working(struct lc_date d, const char *const *holidays, size_t n);
/* The n-th working day after `from` (from itself does not count). */
struct lc_date legalclock_add_working(struct lc_date from, int n, const char *const *holidays,
    size_t nh);
/* The receipt notice's last day for a tip received on `received`. */
struct lc_date legalclock_notice_due(struct lc_date received, const char *const *holidays,
    size_t nh);

#endif
