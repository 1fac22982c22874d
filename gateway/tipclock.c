/* tipclock — see tipclock.h. */
#include "gateway/tipclock.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/legalclock.h"
#include "gateway/timeutil.h"

int
tipclock_holidays_load(struct db *db, struct tipclock_holidays *h)
{
	struct holiday *v;
	size_t n;
	memset(h, 0, sizeof *h);
	if (db_holiday_list(db, &v, &n) < 0)
		return -1;
	h->days = calloc(n ? n : 1, sizeof *h->days);
	h->ptrs = calloc(n ? n : 1, sizeof *h->ptrs);
	if (!h->days || !h->ptrs) {
		holidays_free(v, n);
		tipclock_holidays_free(h);
		return -1;
	}
	for (size_t i = 0; i < n; i++) {      /* ordered by day already */
		memcpy(h->days[i], v[i].day, sizeof h->days[i]);
		h->ptrs[i] = h->days[i];
	}
	h->n = n;
	holidays_free(v, n);
	return 0;
}

void
tipclock_holidays_free(struct tipclock_holidays *h)
{
	free(h->days);
	free(h->ptrs);
	memset(h, 0, sizeof *h);
}

void
tipclock_of(int64_t received_at, const struct tipclock_holidays *h, struct tipclock *out)
{
	struct lc_date r;
	timeutil_local_date(received_at, &r.y, &r.m, &r.d);
	struct lc_date due = legalclock_notice_due(r, h->ptrs, h->n);
	struct lc_date after = legalclock_from_daynum(legalclock_daynum(due) + 1);
	out->pass_on = received_at + LEGALCLOCK_PASS_ON_S;
	out->notice_day = timeutil_local_midnight(due.y, due.m, due.d);
	out->notice_by = timeutil_local_midnight(after.y, after.m, after.d);
	out->settle = received_at + (int64_t)LEGALCLOCK_SETTLE_DAYS * 86400;
}
