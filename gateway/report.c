/* report — see report.h. */
#include "gateway/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/escalate.h"
#include "gateway/i18n.h"
#include "gateway/legalclock.h"
#include "gateway/roster.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"

static const char *const channel_keys[REPORT_CHANNELS] = { "sms", "zalo_oa", "zalo_bot" };

static const int64_t tta_edges[REPORT_TTA_BINS - 1] = {
	60, 120, 300, 600, 900, 1800, 3600, 7200,
};

int64_t
report_tta_bin_edge(size_t i)
{
	return i < REPORT_TTA_BINS - 1 ? tta_edges[i] : 0;
}

/* ------------------------------------------------------------ periods */

/* Exactly `digits` decimal digits at s -> *v. */
static int
digits_at(const char *s, int digits, int *v)
{
	*v = 0;
	for (int i = 0; i < digits; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		*v = *v * 10 + (s[i] - '0');
	}
	return 0;
}

int
report_month(const char *month, int64_t *from, int64_t *to, char *err, size_t errlen)
{
	int y, m;
	if (!month || strlen(month) != 7 || digits_at(month, 4, &y) < 0 || month[4] != '-' ||
	    digits_at(month + 5, 2, &m) < 0 || m < 1 || m > 12 || y < 2000 || y > 2999) {
		snprintf(err, errlen, "%s", _("a month is YYYY-MM (2000-01 to 2999-12)"));
		return -1;
	}
	*from = timeutil_local_midnight(y, m, 1);
	*to = timeutil_local_midnight(m == 12 ? y + 1 : y, m == 12 ? 1 : m + 1, 1);
	return 0;
}

int
report_days(const char *first, const char *last, int64_t *from, int64_t *to, char *err,
    size_t errlen)
{
	struct lc_date a, b;
	if (!first || !last || legalclock_parse(first, &a) < 0 || legalclock_parse(last, &b) < 0 ||
	    a.y < 2000 || b.y > 2999) {
		snprintf(err, errlen, "%s", _("days are YYYY-MM-DD (years 2000-2999)"));
		return -1;
	}
	int64_t n = legalclock_daynum(b) - legalclock_daynum(a) + 1;
	if (n < 1) {
		snprintf(err, errlen, "%s", _("the last day is before the first"));
		return -1;
	}
	if (n > REPORT_DAYS_MAX) {
		snprintf(err, errlen, _("at most %d days"), REPORT_DAYS_MAX);
		return -1;
	}
	struct lc_date after = legalclock_from_daynum(legalclock_daynum(b) + 1);
	*from = timeutil_local_midnight(a.y, a.m, a.d);
	*to = timeutil_local_midnight(after.y, after.m, after.d);
	return 0;
}

/* ----------------------------------------------------------- pieces */

static int64_t
local_daynum(int64_t t)
{
	struct lc_date d;
	timeutil_local_date(t, &d.y, &d.m, &d.d);
	return legalclock_daynum(d);
}

static int
cmp_i64(const void *a, const void *b)
{
	int64_t x = *(const int64_t *)a, y = *(const int64_t *)b;
	return x < y ? -1 : x > y;
}

/* v sorted ascending. */
static void
stats_of(const int64_t *v, size_t n, struct report_stats *s)
{
	memset(s, 0, sizeof *s);
	s->n = n;
	if (!n)
		return;
	s->median = n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
	s->p90 = v[(9 * n + 9) / 10 - 1];           /* ceil(0.9 n)-th smallest */
	s->max = v[n - 1];
}

static void
stats_sorting(int64_t *v, size_t n, struct report_stats *s)
{
	if (n > 1)   /* qsort may not be given NULL, even for 0 */
		qsort(v, n, sizeof *v, cmp_i64);
	stats_of(v, n, s);
}

static int
channel_index(const char *channel)
{
	for (int i = 0; i < REPORT_CHANNELS; i++)
		if (strcmp(channel, channel_keys[i]) == 0)
			return i;
	return 0;                     /* an unknown channel counts as SMS (never happens) */
}

int
report_in_time(const struct config *cfg, int urgent, int64_t created_at, int64_t ack_at)
{
	return (ack_at - created_at) * 1000 <= escalate_first_window_ms(cfg, urgent);
}

enum report_ack
report_ack_of(const struct config *cfg, const struct report_tip *t, int64_t now)
{
	if (t->first_ack_at)
		return report_in_time(cfg, t->urgent, t->created_at, t->first_ack_at) ?
		    REPORT_IN_TIME : REPORT_LATE;
	return report_in_time(cfg, t->urgent, t->created_at, now) ? REPORT_PENDING : REPORT_NEVER;
}

static size_t
permille(size_t part, size_t whole)
{
	return whole ? (part * 1000 + whole / 2) / whole : 0;
}

/* One tip's legal clock as tipclock_of() left it. The missed ones keep
 * their code. */
static void
clock_add(struct report_clock *c, const struct tipclock_one *one, const char *code)
{
	switch (one->state) {
	case TIPCLOCK_DONE:
		c->on_time++;
		return;
	case TIPCLOCK_RUNNING:
		c->pending++;
		return;
	case TIPCLOCK_ENDED:
		c->ended++;
		return;
	case TIPCLOCK_DONE_LATE:
	case TIPCLOCK_OVERDUE:
		break;
	}
	snprintf(c->late_codes[c->late++], REPORT_CODE_MAX, "%s", code);
}

/* First index in an array ordered by tip whose tip id is >= id; every
 * element (of `size` bytes) starts with its int64_t tip id. */
static size_t
lower_bound(const void *arr, size_t n, size_t size, int64_t id)
{
	size_t lo = 0, hi = n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int64_t at;
		memcpy(&at, (const char *)arr + mid * size, sizeof at);
		if (at < id)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

/* The highest level the tip had reached at `at`: 1 unless escalated. */
static int
level_at(const struct report_escalation *e, size_t ne, int64_t tip_id, int64_t at)
{
	int level = 1;
	for (size_t i = lower_bound(e, ne, sizeof *e, tip_id); i < ne && e[i].tip_id == tip_id; i++)
		if (e[i].at <= at && e[i].to_level > level)
			level = e[i].to_level;
	return level > REPORT_LEVELS ? REPORT_LEVELS : level;
}

static int
cmp_count(const void *a, const void *b)
{
	const struct report_count *x = a, *y = b;
	if (x->n != y->n)
		return x->n > y->n ? -1 : 1;
	return strcmp(x->key, y->key);
}

static int
add_category(struct report *r, const char *code)
{
	for (size_t i = 0; i < r->n_categories; i++)
		if (strcmp(r->categories[i].key, code) == 0) {
			r->categories[i].n++;
			return 0;
		}
	struct report_count *grown = realloc(r->categories, (r->n_categories + 1) *
	    sizeof *grown);
	if (!grown)
		return -1;
	r->categories = grown;
	struct report_count *c = &r->categories[r->n_categories++];
	snprintf(c->key, sizeof c->key, "%s", *code ? code : "khac");
	c->n = 1;
	return 0;
}

/* The days and the weeks (Monday to Monday) of the period. */
static int
make_calendar(struct report *r)
{
	int64_t first = local_daynum(r->from), last = local_daynum(r->to - 1);
	size_t n = (size_t)(last - first + 1);
	if (last < first || n > REPORT_DAYS_MAX)
		return -1;
	r->days = calloc(n, sizeof *r->days);
	r->weeks = calloc(n / 7 + 2, sizeof *r->weeks);
	if (!r->days || !r->weeks)
		return -1;
	r->n_days = n;
	for (size_t i = 0; i < n; i++) {
		struct lc_date d = legalclock_from_daynum(first + (int64_t)i);
		r->days[i].start = timeutil_local_midnight(d.y, d.m, d.d);
		if (i == 0 || legalclock_weekday(d) == 0) {
			if (r->n_weeks)
				r->weeks[r->n_weeks - 1].end = r->days[i].start;
			r->weeks[r->n_weeks++].start = r->days[i].start;
		}
	}
	r->weeks[r->n_weeks - 1].end = r->to;
	return 0;
}

static size_t
week_of(const struct report *r, int64_t t)
{
	size_t w = 0;
	while (w + 1 < r->n_weeks && t >= r->weeks[w + 1].start)
		w++;
	return w;
}

#define REPORT_GAP_STEPS 100000    /* looks at the roster, at most, over one period */

static int
add_gap(struct report *r, size_t *cap, int64_t from, int64_t to)
{
	if (r->n_gaps == *cap) {
		size_t ncap = *cap ? 2 * *cap : 16;
		struct report_gap *grown = realloc(r->gaps, ncap * sizeof *grown);
		if (!grown)
			return -1;
		r->gaps = grown;
		*cap = ncap;
	}
	r->gaps[r->n_gaps++] = (struct report_gap){ from, to };
	r->gap_seconds += to - from;
	return 0;
}

/* The stretches of [from, until) with nobody on duty at any level, by the
 * roster's one rule (gateway/roster.h): from each moment someone is on
 * duty to the first end of those duties, from each moment nobody is to the
 * next start. */
static int
find_gaps(struct db *db, struct report *r, int64_t until)
{
	size_t cap = 0;
	int64_t t = r->from;
	for (int steps = 0; t < until && steps < REPORT_GAP_STEPS; steps++) {
		struct roster_duty *d;
		size_t n;
		if (roster_at(db, 0, t, &d, &n) < 0)
			return -1;
		int64_t next = until;
		for (size_t i = 0; i < n; i++)
			if (d[i].end > t && d[i].end < next)       /* end 0: always on duty */
				next = d[i].end;
		roster_duties_free(d, n);
		if (n) {
			t = next;
			continue;
		}
		int64_t start = 0;
		int found = roster_next_start(db, t, &start);
		if (found < 0)
			return -1;
		next = found && start > t && start < until ? start : until;
		if (add_gap(r, &cap, t, next) < 0)
			return db_set_error(db, "out of memory");
		t = next;
	}
	return 0;
}

static void
count_relay(struct report *r, const struct report_relay *m, size_t n)
{
	for (size_t i = 0; i < n; ) {
		int64_t tip = m[i].tip_id;
		size_t open = 0, asked = 0;
		for (; i < n && m[i].tip_id == tip; i++) {
			if (m[i].question) {
				open++;
				asked++;
			} else {
				r->relay_answered += open;      /* the tipster wrote after them */
				open = 0;
			}
		}
		r->relay_asked += asked;
		r->relay_tips += asked > 0;
	}
}

struct officer_tta {
	size_t officer;               /* index into r->officers */
	int64_t s;
};

static int
cmp_officer_tta(const void *a, const void *b)
{
	const struct officer_tta *x = a, *y = b;
	if (x->officer != y->officer)
		return x->officer < y->officer ? -1 : 1;
	return x->s < y->s ? -1 : x->s > y->s;
}

static int
cmp_officer(const void *a, const void *b)
{
	const struct report_officer *x = a, *y = b;
	if (x->notified != y->notified)
		return x->notified > y->notified ? -1 : 1;
	if (x->acked != y->acked)
		return x->acked > y->acked ? -1 : 1;
	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

static struct report_officer *
officer_slot(struct report *r, int64_t id, size_t cap)
{
	for (size_t i = 0; i < r->n_officers; i++)
		if (r->officers[i].id == id)
			return &r->officers[i];
	if (r->n_officers == cap)
		return NULL;
	struct report_officer *o = &r->officers[r->n_officers++];
	o->id = id;
	return o;
}

/* Per officer: notified, acknowledged, time from being told to acking. */
static int
count_officers(struct db *db, struct report *r, const struct report_tip *tips, size_t nt,
    const struct report_notified *nf, size_t nn)
{
	size_t cap = nn + nt;
	r->officers = calloc(cap + 1, sizeof *r->officers);
	struct officer_tta *d = calloc(nt + 1, sizeof *d);
	size_t nd = 0;
	int rc = -1;
	if (!r->officers || !d)
		goto out;
	for (size_t i = 0; i < nn; i++) {
		struct report_officer *o = officer_slot(r, nf[i].officer_id, cap);
		if (o)
			o->notified++;
	}
	for (size_t i = 0; i < nt; i++) {
		const struct report_tip *t = &tips[i];
		if (!t->acked_by || !t->acked_at)
			continue;
		struct report_officer *o = officer_slot(r, t->acked_by, cap);
		if (!o)
			continue;
		o->acked++;
		int64_t told = t->created_at;
		for (size_t k = lower_bound(nf, nn, sizeof *nf, t->id); k < nn && nf[k].tip_id == t->id; k++)
			if (nf[k].officer_id == t->acked_by && nf[k].first_at <= t->acked_at)
				told = nf[k].first_at;
		d[nd].officer = (size_t)(o - r->officers);
		d[nd++].s = t->acked_at > told ? t->acked_at - told : 0;
	}
	if (nd > 1)   /* qsort may not be given NULL, even for 0 */
		qsort(d, nd, sizeof *d, cmp_officer_tta);
	int64_t *v = calloc(nd + 1, sizeof *v);
	if (!v)
		goto out;
	for (size_t i = 0; i < nd; ) {
		size_t k = 0, who = d[i].officer;
		for (; i < nd && d[i].officer == who; i++)
			v[k++] = d[i].s;
		stats_of(v, k, &r->officers[who].tta);
	}
	free(v);
	for (size_t i = 0; i < r->n_officers; i++) {
		struct officer o;
		int found = db_officer_by_id(db, r->officers[i].id, &o);
		if (found < 0)
			goto out;
		r->officers[i].name = strdup(found && o.name ? o.name : "?");
		if (found)
			officer_clear(&o);
		if (!r->officers[i].name)
			goto out;
	}
	if (r->n_officers > 1)   /* qsort may not be given NULL, even for 0 */
		qsort(r->officers, r->n_officers, sizeof *r->officers, cmp_officer);
	rc = 0;
out:
	free(d);
	return rc;
}

/* ----------------------------------------------------------- compute */

static int
count_tips(const struct config *cfg, struct report *r, const struct report_tip *tips,
    size_t nt, const struct report_escalation *esc, size_t ne,
    const struct tipclock_holidays *hol)
{
	int64_t *all = calloc(nt + 1, sizeof *all);
	int64_t *per[REPORT_CHANNELS] = { 0 };
	size_t nper[REPORT_CHANNELS] = { 0 }, nall = 0;
	int rc = -1;
	for (int c = 0; c < REPORT_CHANNELS; c++)
		per[c] = calloc(nt + 1, sizeof *per[c]);
	r->pass_on.late_codes = calloc(nt + 1, REPORT_CODE_MAX);
	r->notice.late_codes = calloc(nt + 1, REPORT_CODE_MAX);
	r->settle.late_codes = calloc(nt + 1, REPORT_CODE_MAX);
	if (!all || !per[0] || !per[1] || !per[2] || !r->pass_on.late_codes ||
	    !r->notice.late_codes || !r->settle.late_codes)
		goto out;
	int64_t first_day = local_daynum(r->from);
	for (size_t i = 0; i < nt; i++) {
		const struct report_tip *t = &tips[i];
		int ch = channel_index(t->channel);
		r->channels[ch].n++;
		if (add_category(r, t->category) < 0)
			goto out;
		r->hours[timeutil_local_hour(t->created_at) % 24]++;
		int64_t di = local_daynum(t->created_at) - first_day;
		struct report_day *day = di >= 0 && (size_t)di < r->n_days ? &r->days[di] : NULL;
		struct report_week *week = &r->weeks[week_of(r, t->created_at)];
		week->tips++;
		if (day)
			day->tips++;
		switch (report_ack_of(cfg, t, r->made_at)) {
		case REPORT_IN_TIME:
			r->in_time++;
			week->in_time++;
			week->decided++;
			if (day)
				day->in_time++;
			break;
		case REPORT_LATE:
			r->late++;
			r->late_at_level[level_at(esc, ne, t->id, t->first_ack_at)]++;
			week->decided++;
			if (day)
				day->late++;
			break;
		case REPORT_NEVER:
			r->never++;
			week->decided++;
			if (day)
				day->never++;
			break;
		case REPORT_PENDING:
			r->pending++;
			if (day)
				day->pending++;
			break;
		}
		if (t->first_ack_at) {
			int64_t s = t->first_ack_at > t->created_at ? t->first_ack_at - t->created_at : 0;
			all[nall++] = s;
			per[ch][nper[ch]++] = s;
			size_t b = 0;
			while (b < REPORT_TTA_BINS - 1 && s >= tta_edges[b])
				b++;
			r->tta_bins[b]++;
		}
		/* The legal clocks: tipclock_of()'s, as every view prints them */
		struct tip one = { .status = t->status, .created_at = t->created_at,
			.closed_at = t->closed_at, .notice_at = t->notice_at,
			.passed_at = t->passed_at };
		struct tipclock clk;
		tipclock_of(&one, hol, r->made_at, &clk);
		clock_add(&r->pass_on, &clk.pass_on, t->code);
		clock_add(&r->notice, &clk.notice, t->code);
		clock_add(&r->settle, &clk.settle, t->code);
	}
	r->decided = r->in_time + r->late + r->never;
	r->share_permille = permille(r->in_time, r->decided);
	stats_sorting(all, nall, &r->tta);
	for (int c = 0; c < REPORT_CHANNELS; c++)
		stats_sorting(per[c], nper[c], &r->tta_channel[c]);
	if (r->n_categories > 1)   /* qsort may not be given NULL, even for 0 */
		qsort(r->categories, r->n_categories, sizeof *r->categories, cmp_count);
	for (size_t i = 0; i < ne; i++) {
		if (esc[i].to_level > esc[i].from_level && esc[i].to_level <= REPORT_LEVELS)
			r->escalations[esc[i].to_level]++;
		else if (esc[i].to_level == esc[i].from_level)
			r->repeats++;
	}
	rc = 0;
out:
	free(all);
	for (int c = 0; c < REPORT_CHANNELS; c++)
		free(per[c]);
	return rc;
}

static void
report_begin(const struct config *cfg, int64_t from, int64_t to, int64_t now,
    struct report *r)
{
	memset(r, 0, sizeof *r);
	r->from = from;
	r->to = to;
	r->made_at = now;
	r->window = (escalate_first_window_ms(cfg, 0) + 999) / 1000;       /* seconds */
	r->urgent_window = (escalate_first_window_ms(cfg, 1) + 999) / 1000;
	for (int c = 0; c < REPORT_CHANNELS; c++)
		snprintf(r->channels[c].key, sizeof r->channels[c].key, "%s", channel_keys[c]);
}

int
report_compute(struct db *db, const struct config *cfg, int64_t from, int64_t to,
    int64_t now, struct report *r)
{
	struct report_tip *tips = NULL;
	struct report_escalation *esc = NULL;
	struct report_notified *nf = NULL;
	struct report_relay *rel = NULL;
	struct report_alarm *al = NULL;
	size_t nt = 0, ne = 0, nn = 0, nr = 0, na = 0;
	struct tipclock_holidays hol = { 0 };
	int rc = -1;
	report_begin(cfg, from, to, now, r);
	if (to <= from) {
		db_set_error(db, "empty period");
		return -1;
	}
	if (db_report_tips(db, from, to, &tips, &nt) < 0 ||
	    db_report_escalations(db, from, to, &esc, &ne) < 0 ||
	    db_report_notified(db, from, to, &nf, &nn) < 0 ||
	    db_report_relay(db, from, to, &rel, &nr) < 0 ||
	    db_report_alarms(db, from, to, &al, &na) < 0 ||
	    tipclock_holidays_load(db, &hol) < 0)
		goto out;
	if (make_calendar(r) < 0) {
		db_set_error(db, "out of memory, or a period too long");
		goto out;
	}
	r->tips = nt;
	r->alarms = calloc(na + 1, sizeof *r->alarms);
	if (!r->alarms || count_tips(cfg, r, tips, nt, esc, ne, &hol) < 0) {
		db_set_error(db, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < na; i++) {
		r->alarms[i].at = al[i].at;
		snprintf(r->alarms[i].code, sizeof r->alarms[i].code, "%s", al[i].code);
	}
	r->n_alarms = na;
	count_relay(r, rel, nr);
	if (count_officers(db, r, tips, nt, nf, nn) < 0 ||
	    find_gaps(db, r, now < to ? now : to) < 0)
		goto out;
	rc = 0;
out:
	if (rc < 0)
		report_free(r);
	tipclock_holidays_free(&hol);
	free(tips);
	free(esc);
	free(nf);
	free(rel);
	free(al);
	return rc;
}

/* report_share's per-tip step: the same rule as the month's (report_ack_of). */
struct share_acc {
	const struct config *cfg;
	int64_t now;
	struct report *r;
};

static void
share_one(void *arg, int urgent, int64_t created_at, int64_t first_ack_at)
{
	struct share_acc *a = arg;
	struct report_tip t = { .urgent = urgent, .created_at = created_at,
		.first_ack_at = first_ack_at };
	a->r->tips++;
	switch (report_ack_of(a->cfg, &t, a->now)) {
	case REPORT_IN_TIME: a->r->in_time++; break;
	case REPORT_LATE: a->r->late++; break;
	case REPORT_NEVER: a->r->never++; break;
	case REPORT_PENDING: a->r->pending++; break;
	}
}

int
report_share(struct db *db, const struct config *cfg, int64_t from, int64_t to, int64_t now,
    struct report *r)
{
	report_begin(cfg, from, to, now, r);
	struct share_acc acc = { .cfg = cfg, .now = now, .r = r };
	if (db_report_each_ack(db, from, to, share_one, &acc) < 0)
		return -1;
	r->decided = r->in_time + r->late + r->never;
	r->share_permille = permille(r->in_time, r->decided);
	return 0;
}

long
report_listed(const struct report *r, const char ***codes)
{
	const struct report_clock *clocks[] = { &r->pass_on, &r->notice, &r->settle };
	size_t n = r->n_alarms, k = 0;
	for (size_t i = 0; i < 3; i++)
		n += clocks[i]->late;
	const char **v = calloc(n + 1, sizeof *v);
	if (!v)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t c = 0, j = i;
		while (c < 3 && j >= clocks[c]->late)
			j -= clocks[c++]->late;
		const char *code = c < 3 ? clocks[c]->late_codes[j] : r->alarms[j].code;
		size_t q = 0;
		while (q < k && strcmp(v[q], code) != 0)
			q++;
		if (q == k && *code)
			v[k++] = code;
	}
	*codes = v;
	return (long)k;
}

void
report_free(struct report *r)
{
	if (!r)
		return;
	free(r->categories);
	free(r->days);
	free(r->weeks);
	free(r->pass_on.late_codes);
	free(r->notice.late_codes);
	free(r->settle.late_codes);
	free(r->alarms);
	free(r->gaps);
	for (size_t i = 0; r->officers && i < r->n_officers; i++)
		free(r->officers[i].name);
	free(r->officers);
	memset(r, 0, sizeof *r);
}

/* ------------------------------------------------------------- words */

void
report_percent(size_t pm, char *out, size_t outsz)
{
	snprintf(out, outsz, "%zu,%zu", pm / 10, pm % 10);
}

void
report_duration(int64_t s, char *out, size_t outsz)
{
	long long v = (long long)(s < 0 ? 0 : s);
	if (v < 60)
		snprintf(out, outsz, "%lld giây", v);
	else if (v < 3600 && v % 60)
		snprintf(out, outsz, "%lld phút %lld giây", v / 60, v % 60);
	else if (v < 3600)
		snprintf(out, outsz, "%lld phút", v / 60);
	else if (v < 86400)
		snprintf(out, outsz, "%lld giờ %02lld phút", v / 3600, v % 3600 / 60);
	else
		snprintf(out, outsz, "%lld ngày %lld giờ", v / 86400, v % 86400 / 3600);
}

const char *
report_channel_name(const char *code)
{
	if (code && strcmp(code, "zalo_oa") == 0)
		return "Zalo OA";
	if (code && strcmp(code, "zalo_bot") == 0)
		return "Zalo Bot";
	return "SMS";
}

const char *
report_level_name(int level)
{
	static const char *const names[] = { "?", "trực ban", "trực dự bị", "chỉ huy ca",
		"trưởng công an" };
	return level >= 1 && level <= REPORT_LEVELS ? names[level] : names[0];
}
