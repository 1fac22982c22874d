/* Unit tests: tipclock_of(), the one function that computes every legal clock
 * of a tip, on fixed dates (no test here depends on today). */
#include <string.h>

#include "db/db.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "tests/unit/unit.h"

static int64_t
at(const char *local)
{
	int64_t t = 0;
	CHECK(timeutil_parse_local(local, &t) == 0);
	return t;
}

static const char *
day(const struct tipclock_one *c)
{
	static char out[16];
	legalclock_format(c->day, out, sizeof out);
	return out;
}

/* issue 11: a tip received on Saturday 05/12/2026 has its receipt notice due
 * on Wednesday 09/12 (Mon 7, Tue 8, Wed 9), overdue from 10/12 00:00 */
static void
test_saturday(void)
{
	timeutil_set_zone("Asia/Ho_Chi_Minh");
	struct tip t = { .status = TIP_NEW, .created_at = at("2026-12-05 14:05") };
	struct tipclock c;
	tipclock_of(&t, NULL, at("2026-12-05 15:00"), &c);
	CHECK(c.notice.by_day && !c.pass_on.by_day && !c.settle.by_day);
	CHECK_STR(day(&c.notice), "2026-12-09");
	CHECK(c.notice.due == at("2026-12-10 00:00"));
	CHECK(c.pass_on.due == at("2026-12-06 14:05"));
	CHECK(c.settle.due == at("2026-12-25 14:05"));
	CHECK(c.notice.state == TIPCLOCK_RUNNING && c.pass_on.state == TIPCLOCK_RUNNING);
	tipclock_of(&t, NULL, at("2026-12-09 23:59"), &c);
	CHECK(c.notice.state == TIPCLOCK_RUNNING && c.pass_on.state == TIPCLOCK_OVERDUE);
	tipclock_of(&t, NULL, at("2026-12-10 00:00"), &c);
	CHECK(c.notice.state == TIPCLOCK_OVERDUE);
}

/* Acknowledging is not passing on; recording it is, in time or late;
 * closing ends what was not done. */
static void
test_states(void)
{
	timeutil_set_zone("Asia/Ho_Chi_Minh");
	struct tip t = { .status = TIP_ACKNOWLEDGED, .created_at = at("2026-12-07 09:00"),
	    .acked_at = at("2026-12-07 09:05") };
	struct tipclock c;
	tipclock_of(&t, NULL, at("2026-12-08 10:00"), &c);
	CHECK(c.pass_on.state == TIPCLOCK_OVERDUE && c.passed_to == NULL);
	t.passed_at = at("2026-12-08 08:59");
	t.passed_to = "Cơ quan CSĐT Công an TP";
	t.passed_by_name = "Nguyễn Văn An";
	tipclock_of(&t, NULL, at("2026-12-08 10:00"), &c);
	CHECK(c.pass_on.state == TIPCLOCK_DONE && c.pass_on.done_at == t.passed_at);
	CHECK_STR(c.passed_to, "Cơ quan CSĐT Công an TP");
	CHECK_STR(c.passed_by, "Nguyễn Văn An");
	t.passed_at = at("2026-12-08 09:00");           /* 24 h to the minute: late */
	tipclock_of(&t, NULL, at("2026-12-08 10:00"), &c);
	CHECK(c.pass_on.state == TIPCLOCK_DONE_LATE);
	/* the notice given on its last day is in time; the day after, late */
	CHECK_STR(day(&c.notice), "2026-12-10");
	t.notice_at = at("2026-12-10 23:59");
	tipclock_of(&t, NULL, at("2026-12-11 10:00"), &c);
	CHECK(c.notice.state == TIPCLOCK_DONE);
	t.notice_at = at("2026-12-11 00:00");
	tipclock_of(&t, NULL, at("2026-12-11 10:00"), &c);
	CHECK(c.notice.state == TIPCLOCK_DONE_LATE);
	/* closed: what was not done is no longer counted; settle ends too */
	struct tip u = { .status = TIP_CLOSED, .created_at = at("2026-12-07 09:00"),
	    .closed_at = at("2026-12-07 10:00") };
	tipclock_of(&u, NULL, at("2026-12-20 10:00"), &c);
	CHECK(c.pass_on.state == TIPCLOCK_ENDED && c.notice.state == TIPCLOCK_ENDED &&
	    c.settle.state == TIPCLOCK_ENDED);
	CHECK(!tipclock_pending(&c.pass_on));
	CHECK_STR(tipclock_state_name(TIPCLOCK_DONE_LATE), "done_late");
}

/* Received on each day of a week, at 00:01 and 23:59 local, with a holiday
 * on the Wednesday after: the notice day is the 3rd working day after the
 * day of receipt (counted here by hand), whatever the hour. */
static void
test_every_weekday_across_a_holiday(void)
{
	timeutil_set_zone("Asia/Ho_Chi_Minh");
	static const char *const hol[] = { "2026-12-09" };     /* Wednesday */
	struct tipclock_holidays h = { .ptrs = (const char **)hol, .n = 1 };
	static const struct {
		const char *received, *due;
	} want[] = {
		{ "2026-12-07", "2026-12-11" },    /* Mon: Tue 8, (Wed 9), Thu 10, Fri 11 */
		{ "2026-12-08", "2026-12-14" },    /* Tue: Thu 10, Fri 11, Mon 14 */
		{ "2026-12-09", "2026-12-14" },    /* Wed (holiday): Thu, Fri, Mon */
		{ "2026-12-10", "2026-12-15" },    /* Thu: Fri, Mon, Tue */
		{ "2026-12-11", "2026-12-16" },    /* Fri: Mon, Tue, Wed */
		{ "2026-12-12", "2026-12-16" },    /* Sat */
		{ "2026-12-13", "2026-12-16" },    /* Sun */
	};
	for (size_t i = 0; i < sizeof want / sizeof want[0]; i++) {
		for (int k = 0; k < 2; k++) {
			char local[32];
			snprintf(local, sizeof local, "%s %s", want[i].received, k ? "23:59" : "00:01");
			struct tip t = { .status = TIP_NEW, .created_at = at(local) };
			struct tipclock c;
			tipclock_of(&t, &h, t.created_at, &c);
			CHECK_STR(day(&c.notice), want[i].due);
			CHECK(c.pass_on.due == t.created_at + 86400);
		}
	}
}

UNIT_MAIN(UNIT(test_saturday), UNIT(test_states), UNIT(test_every_weekday_across_a_holiday))
