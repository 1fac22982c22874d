/* tipclock — the one place a tip's legal clocks are computed (docs/domain.md
 * §2). Every view prints what tipclock_of() returns and computes nothing of
 * its own: `tinbao due`, `tip show` and `book`, the admin API, the duty-desk
 * page, the daily summary and the monthly report. Each medium has one way of
 * writing a clock down (view.h: JSON and the terminal; the desk page; the
 * summary's SMS lines in messages.h; the receipt book), and none decides a
 * date or a state.
 *
 * The clocks of a tip received at R (local time in [gateway] timezone):
 *  - pass on: the tip goes to the investigation agency within 24 hours,
 *    due at R + 24 h; done when an officer records it (`tinbao pass`).
 *    Acknowledging a tip is not passing it on.
 *  - receipt notice: to the procuracy and the reporter by the end of the
 *    3rd working day after the day of R (Mon-Fri minus the holidays table),
 *    a whole day: its last day is `day`, and it is overdue from the local
 *    midnight that ends it (`due`); done when recorded (`tinbao notice`).
 *  - settle: R + 20 days, the investigation agency's clock, information
 *    only (never done here).
 * Closing a tip ends the clocks still running: they are no longer counted.
 *
 * Threads: any (timeutil_set_zone() done). The caller's thread owns db in
 * tipclock_holidays_load(). Ownership: struct tipclock borrows passed_to and
 * passed_by from the tip given to tipclock_of(), which must outlive it.
 */
#ifndef TINBAO_TIPCLOCK_H
#define TINBAO_TIPCLOCK_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/legalclock.h"

struct db;
struct tip;

struct tipclock_holidays {
	char (*days)[11];         /* sorted YYYY-MM-DD */
	const char **ptrs;        /* the same, for legalclock */
	size_t n;
};
int tipclock_holidays_load(struct db *db, struct tipclock_holidays *h);   /* 0 / -1 */
void tipclock_holidays_free(struct tipclock_holidays *h);

enum tipclock_state {
	TIPCLOCK_RUNNING,         /* not done, its deadline ahead */
	TIPCLOCK_OVERDUE,         /* not done, its deadline passed, the tip still open */
	TIPCLOCK_DONE,            /* the act is recorded, in time */
	TIPCLOCK_DONE_LATE,       /* the act is recorded, after the deadline */
	TIPCLOCK_ENDED,           /* the tip was closed without the act */
};

struct tipclock_one {
	enum tipclock_state state;
	int64_t due;              /* the moment it is overdue from (unix seconds) */
	int by_day;               /* 1: the deadline is the whole local day `day` */
	struct lc_date day;       /* by_day: the last day, inclusive */
	int64_t done_at;          /* when the act was recorded to have happened; 0: not */
};

struct tipclock {
	int64_t received;         /* the tip's admission time */
	int64_t now;              /* the moment the states are for */
	struct tipclock_one pass_on, notice, settle;
	const char *passed_to;    /* to whom it was passed on (borrowed); NULL: not yet */
	const char *passed_by;    /* the officer who recorded it (borrowed); may be NULL */
};

/* Every legal clock of tip t as of `now`, with the holidays h. */
void tipclock_of(const struct tip *t, const struct tipclock_holidays *h, int64_t now,
    struct tipclock *out);

/* "running", "overdue", "done", "done_late", "ended" (JSON's words). */
const char *tipclock_state_name(enum tipclock_state s);
/* 1 while the clock still asks for the act: running or overdue. */
int tipclock_pending(const struct tipclock_one *c);

#endif
