/* report — the figures of a period (`tinbao report`, GET /report, the desk
 * page's share of the day): the tips received from `from` to `to`, counted
 * in the ward's time zone. This module computes; report_json.c,
 * report_doc.c (then report_html.c and report_pdf.c) only render.
 *
 * What counts (tinbao(1) says the same for people):
 *  - a tip is acknowledged IN TIME when its first acknowledgement came
 *    within the level-1 deadline from its receipt ([escalation]
 *    ack_deadline, urgent_deadline for an urgent tip; a close without an
 *    acknowledgement counts as one); LATE otherwise, by the highest level
 *    it had reached then (1: late without an escalation, e.g. nobody on
 *    duty); NOT ACKNOWLEDGED when its deadline passed without one; PENDING
 *    while its deadline has not passed yet. The share in time is in time
 *    over the decided ones (in time + late + not acknowledged);
 *  - time to acknowledge: receipt to first acknowledgement; the median of
 *    an even count is the mean of the middle two (rounded down), p90 the
 *    nearest rank (the ceil(0.9 n)-th smallest);
 *  - an officer's time to acknowledge runs from when they were first told
 *    of the tip (from its receipt if never told) to their acknowledgement;
 *  - the legal clocks are tipclock_of()'s (tipclock.h: passing on is the
 *    act recorded with `tinbao pass`, the notice `tinbao notice`; settling
 *    is never done here); each is met in time, missed (done late, or
 *    overdue), pending (running), or ended by a close without the act;
 *  - escalations are those of the period's tips, by the level reached;
 *    the nobody-on-duty alarms are those of the audit trail in the period;
 *    the roster gaps are the stretches of the period up to `now` with no
 *    shift at any level.
 * Never a tipster's identity, pseudonym or text: tips appear as tracking
 * codes only.
 *
 * Threads: any; the caller owns db. Ownership: report_compute fills *r,
 * whose arrays are freed by report_free (which accepts a zeroed report).
 */
#ifndef TINBAO_REPORT_H
#define TINBAO_REPORT_H

#include <stddef.h>
#include <stdint.h>

#define REPORT_DAYS_MAX 400         /* the longest period, in days */
#define REPORT_LEVELS 4
#define REPORT_CHANNELS 3           /* sms, zalo_oa, zalo_bot, in that order */
#define REPORT_TTA_BINS 9
#define REPORT_CODE_MAX 16

struct config;
struct db;
struct report_tip;

/* A set of durations in seconds; all 0 when n == 0. */
struct report_stats {
	size_t n;
	int64_t median, p90, max;
};

/* A legal clock over the period's tips, as tipclock_of() left each: done in
 * time (on_time), done late or overdue (late), running (pending), or ended
 * by the tip's close without the act (ended: not counted either way). */
struct report_clock {
	size_t on_time, late, pending, ended;
	char (*late_codes)[REPORT_CODE_MAX];   /* the missed ones, by receipt */
};

struct report_count {
	char key[32];                 /* a channel or category code */
	size_t n;
};

struct report_day {
	int64_t start;                /* local midnight */
	size_t tips, in_time, late, never, pending;
};

struct report_week {
	int64_t start, end;           /* a Monday-to-Monday week cut to the period */
	size_t tips, decided, in_time;
};

struct report_officer {
	int64_t id;
	char *name;
	size_t notified, acked;
	struct report_stats tta;
};

struct report_gap {
	int64_t from, to;
};

struct report_alarm_at {
	int64_t at;
	char code[REPORT_CODE_MAX];
};

struct report {
	int64_t from, to, made_at;
	int64_t window, urgent_window;          /* the level-1 deadlines used, seconds */
	size_t tips;
	struct report_count channels[REPORT_CHANNELS];
	struct report_count *categories;        /* most frequent first */
	size_t n_categories;
	struct report_day *days;
	size_t n_days;
	struct report_week *weeks;
	size_t n_weeks;
	size_t hours[24];
	/* acknowledgement */
	size_t in_time, late, never, pending, decided;
	size_t late_at_level[REPORT_LEVELS + 1];       /* [1..4] */
	size_t share_permille;                          /* in_time / decided, rounded */
	struct report_stats tta;
	struct report_stats tta_channel[REPORT_CHANNELS];
	size_t tta_bins[REPORT_TTA_BINS];
	/* the legal clocks */
	struct report_clock pass_on, notice, settle;
	/* duty and escalation */
	struct report_alarm_at *alarms;
	size_t n_alarms;
	struct report_gap *gaps;
	size_t n_gaps;
	int64_t gap_seconds;
	size_t escalations[REPORT_LEVELS + 1];          /* by level reached, [2..4] */
	size_t repeats;                                 /* re-notifications at the top */
	/* the relay */
	size_t relay_asked, relay_answered, relay_tips;
	struct report_officer *officers;                /* most notified first */
	size_t n_officers;
};

/* The upper bound (seconds, exclusive) of the time-to-acknowledge bins but
 * the last, which is open: 1, 2, 5, 10, 15, 30, 60, 120 minutes. */
int64_t report_tta_bin_edge(size_t i);

/* The period of "YYYY-MM" (a calendar month), or of the days "YYYY-MM-DD"
 * to "YYYY-MM-DD" (both included), as local midnights [*from, *to). At most
 * REPORT_DAYS_MAX days, years 2000-2999. 0, or -1 with the reason in err. */
int report_month(const char *month, int64_t *from, int64_t *to, char *err, size_t errlen);
int report_days(const char *first, const char *last, int64_t *from, int64_t *to, char *err,
    size_t errlen);

/* The figures of [from, to) as of now. 0 / -1 (database error: db_errmsg). */
int report_compute(struct db *db, const struct config *cfg, int64_t from, int64_t to,
    int64_t now, struct report *r);
void report_free(struct report *r);
/* The tracking codes the report names (the late ones of each legal clock,
 * the tips of the alarms), each once, into a new array (*codes, the
 * caller's to free(); the strings are r's). The count, or -1 when memory
 * runs out. For the audit event of a report's read. */
long report_listed(const struct report *r, const char ***codes);

/* 1 when an acknowledgement at ack_at of a tip received at created_at
 * (urgent or not) came within the level-1 deadline. */
int report_in_time(const struct config *cfg, int urgent, int64_t created_at, int64_t ack_at);
/* How one tip stands against its level-1 deadline as of now. */
enum report_ack { REPORT_IN_TIME, REPORT_LATE, REPORT_NEVER, REPORT_PENDING };
enum report_ack report_ack_of(const struct config *cfg, const struct report_tip *t,
    int64_t now);
/* Only the share in time of [from, to) (the desk page's day): in_time,
 * decided, share_permille, pending and tips of r are set, nothing else. */
int report_share(struct db *db, const struct config *cfg, int64_t from, int64_t to,
    int64_t now, struct report *r);

/* "75,0" for 750 permille (Vietnamese decimal comma), into out. */
void report_percent(size_t permille, char *out, size_t outsz);
/* A duration for people: "45 giây", "12 phút", "1 giờ 05 phút", "2 ngày 3 giờ". */
void report_duration(int64_t s, char *out, size_t outsz);
/* Vietnamese names of a channel code and of a level (1 "trực ban", 2 "trực
 * dự bị", 3 "chỉ huy ca", 4 "trưởng công an"). */
const char *report_channel_name(const char *code);
const char *report_level_name(int level);

#endif
