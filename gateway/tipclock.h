/* tipclock — the legal clocks of real tips: legalclock's arithmetic applied
 * to a tip's receipt time in the configured timezone, with the holidays
 * from the database. Used by `tinbao due`, `tinbao book` and the daily duty
 * summary. The caller's thread owns db.
 */
#ifndef TINBAO_TIPCLOCK_H
#define TINBAO_TIPCLOCK_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct tip;

struct tipclock_holidays {
	char (*days)[11];         /* sorted YYYY-MM-DD */
	const char **ptrs;        /* the same, for legalclock */
	size_t n;
};
int tipclock_holidays_load(struct db *db, struct tipclock_holidays *h);   /* 0 / -1 */
void tipclock_holidays_free(struct tipclock_holidays *h);

struct tipclock {
	int64_t pass_on;          /* received + 24 h */
	int64_t notice_day;       /* local midnight starting the notice's last day */
	int64_t notice_by;        /* the end of that day: overdue from here */
	int64_t settle;           /* received + 20 days (information) */
};
void tipclock_of(int64_t received_at, const struct tipclock_holidays *h, struct tipclock *out);

#endif
