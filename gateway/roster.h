/* roster — who is on duty: the one rule.
 *
 * A shift (db.h struct shift) is one of
 *   once     from a time to a time;
 *   always   at any time (a station chief who is always the last level);
 *   weekly   on some days of the week, from one local time of day to
 *            another (an end at or before the start is the next day: an
 *            overnight shift), optionally only from one date until another
 *            (dates on which a shift starts);
 *   off      an officer's days off: a weekly shift starting on such a day
 *            does not happen, a once shift starting on it neither, and an
 *            always shift is off that whole day. An overnight shift begun
 *            the day before still runs to its end.
 * Times of day are local to [gateway] timezone (Asia/Ho_Chi_Minh: +07:00,
 * no daylight saving) and computed with the C library's zone rules, so a
 * zone that has them is handled too.
 *
 * roster_covers() alone decides whether a shift has its officer on duty at
 * a time. Everything that asks "who is on duty" goes through it: the
 * router's escalation, handover and daily summary (roster_on_duty,
 * roster_next_start), `tinbao shift list --at` and `tinbao oncall`
 * (roster_at).
 *
 * Threads: the pure functions any thread (after timeutil_set_zone()); the
 * others on the thread that owns `db`, inside or outside its transaction.
 * Ownership: arguments are borrowed; what roster_at() returns is the
 * caller's (roster_duties_free).
 */
#ifndef TINBAO_ROSTER_H
#define TINBAO_ROSTER_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define ROSTER_LEVELS 4
#define ROSTER_WEEKDAYS_MAX 64    /* bytes of "Mon, Tue, ..." */
#define ROSTER_SPAN_MAX 16        /* bytes of "19:00-07:00" */
#define ROSTER_LOOKAHEAD_DAYS 400 /* how far roster_next_start() looks */

/* 1 when shift s has its officer on duty at t, with the span of that duty
 * in *start and *end (0 and 0 for an always shift; either may be NULL);
 * 0 when not. offs: days off (SHIFT_OFF rows, any officer's; others are
 * ignored) that may apply. A day off itself is never on duty. */
int roster_covers(const struct shift *s, const struct shift *offs, size_t n_offs, int64_t t,
    int64_t *start, int64_t *end);

/* One officer on duty: the shift that puts them there and the span of
 * that duty (start and end 0 for an always shift). */
struct roster_duty {
	struct shift shift;
	int64_t start, end;
};
void roster_duties_free(struct roster_duty *v, size_t n);

/* The shifts that have their officer on duty at `at` at `level` (0: any
 * level), by level, officer and shift id. 0 / -1 (db_errmsg). */
int roster_at(struct db *db, int level, int64_t at, struct roster_duty **out, size_t *n);
/* The distinct officers on duty at `level` at `at`, ascending, at most max
 * (ids). 0 / -1. */
int roster_on_duty(struct db *db, int level, int64_t at, int64_t *ids, size_t max, size_t *n);
/* The earliest time after `at` at which some shift starts to have its
 * officer on duty (within ROSTER_LOOKAHEAD_DAYS): 1 found (*when), 0 none,
 * -1 error. */
int roster_next_start(struct db *db, int64_t at, int64_t *when);

/* --------------------------------------------------------- the forms */

/* Days of the week as people write them: "MON,WED,FRI", "Mon-Fri",
 * "T2,T4,T6" or "T2-T6" (Thứ 2 = Monday .. CN = Chủ nhật, Sunday), "daily";
 * case-insensitive, separated by commas or spaces. A bit mask (bit 0
 * Monday), or -1. */
int roster_parse_weekdays(const char *s);
/* "Mon, Wed, Fri", "Mon-Fri", "daily" (translated: the reader's language). */
void roster_format_weekdays(int mask, char *out, size_t outsz);
/* The same as codes for files and JSON, which roster_parse_weekdays()
 * reads back: "MON,WED,FRI", "MON-FRI"; with vietnamese "T2,T4,T6",
 * "T2-T6", "CN". */
void roster_weekday_codes(int mask, int vietnamese, char *out, size_t outsz);
/* "07:00-19:00", "19:00-07:00" (overnight), "7:00-19:00", "07:00-24:00";
 * a start equal to the end is 24 hours. 0 with minutes after midnight
 * (from 0..1439, to 1..1440), or -1. */
int roster_parse_span(const char *s, int *from, int *to);
void roster_format_span(int from, int to, char *out, size_t outsz);

/* "YYYY-MM-DD" of t's local date. */
void roster_day_of(int64_t t, char out[SHIFT_DAY_LEN + 1]);

#endif
