/* tipclock — see tipclock.h. */
#include "gateway/tipclock.h"

#include <stdlib.h>
#include <string.h>

#include "db/db.h"
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

/* The state of a clock due at c->due whose act was done at done_at (0: not),
 * on a tip that is closed or not, as of now. */
static void
settle_state(struct tipclock_one *c, int64_t done_at, int closed, int64_t now)
{
	c->done_at = done_at;
	if (done_at)
		c->state = done_at < c->due ? TIPCLOCK_DONE : TIPCLOCK_DONE_LATE;
	else if (closed)
		c->state = TIPCLOCK_ENDED;
	else
		c->state = now < c->due ? TIPCLOCK_RUNNING : TIPCLOCK_OVERDUE;
}

void
tipclock_of(const struct tip *t, const struct tipclock_holidays *h, int64_t now,
    struct tipclock *out)
{
	int closed = t->status == TIP_CLOSED;
	memset(out, 0, sizeof *out);
	out->received = t->created_at;
	out->now = now;

	out->pass_on.due = t->created_at + LEGALCLOCK_PASS_ON_S;
	settle_state(&out->pass_on, t->passed_at, closed, now);
	out->passed_to = t->passed_at ? t->passed_to : NULL;
	out->passed_by = t->passed_at ? t->passed_by_name : NULL;

	struct lc_date r;
	timeutil_local_date(t->created_at, &r.y, &r.m, &r.d);
	struct lc_date last = legalclock_notice_due(r, h ? h->ptrs : NULL, h ? h->n : 0);
	struct lc_date after = legalclock_from_daynum(legalclock_daynum(last) + 1);
	out->notice.by_day = 1;
	out->notice.day = last;
	out->notice.due = timeutil_local_midnight(after.y, after.m, after.d);
	settle_state(&out->notice, t->notice_at, closed, now);

	/* the investigation agency's clock: shown, never done here */
	out->settle.due = t->created_at + (int64_t)LEGALCLOCK_SETTLE_DAYS * 86400;
	settle_state(&out->settle, 0, closed, now);
}

const char *
tipclock_state_name(enum tipclock_state s)
{
	static const char *const names[] = { "running", "overdue", "done", "done_late", "ended" };
	return (unsigned)s < sizeof names / sizeof names[0] ? names[s] : "running";
}

int
tipclock_pending(const struct tipclock_one *c)
{
	return c->state == TIPCLOCK_RUNNING || c->state == TIPCLOCK_OVERDUE;
}
