/* report_json — see report_json.h. */
#include "gateway/report_json.h"

#include <stdio.h>

#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/report.h"
#include "gateway/timeutil.h"
#include "gateway/view.h"

static json_t *
day_str(int64_t t)
{
	int y, m, d;
	char buf[16];
	timeutil_local_date(t, &y, &m, &d);
	snprintf(buf, sizeof buf, "%04d-%02d-%02d", y, m, d);
	return json_string(buf);
}

static json_t *
stats_json(const struct report_stats *s)
{
	if (!s->n)
		return json_pack("{s:i, s:n, s:n, s:n}", "tips", 0, "median_s", "p90_s", "max_s");
	return json_pack("{s:I, s:I, s:I, s:I}", "tips", (json_int_t)s->n,
	    "median_s", (json_int_t)s->median, "p90_s", (json_int_t)s->p90,
	    "max_s", (json_int_t)s->max);
}

static json_t *
percent_json(size_t permille)
{
	return json_real((double)permille / 10.0);
}

static json_t *
clock_json(const struct config *cfg, const struct report_clock *c)
{
	json_t *ids = json_array();
	for (size_t i = 0; i < c->late; i++) {
		char id[VIEW_ID_MAX];
		view_tip_id(cfg, c->late_codes[i], id);
		json_array_append_new(ids, json_string(id));
	}
	return json_pack("{s:I, s:I, s:I, s:I, s:o}", "on_time", (json_int_t)c->on_time,
	    "late", (json_int_t)c->late, "pending", (json_int_t)c->pending,
	    "ended", (json_int_t)c->ended, "late_ids", ids);
}

static json_t *
levels_json(const size_t *by_level, int first)
{
	json_t *o = json_object();
	for (int l = first; l <= REPORT_LEVELS; l++) {
		char k[4];
		snprintf(k, sizeof k, "%d", l);
		json_object_set_new(o, k, json_integer((json_int_t)by_level[l]));
	}
	return o;
}

json_t *
report_json(const struct config *cfg, const struct report *r)
{
	json_t *o = json_object();
	json_object_set_new(o, "ward", view_json_str(cfg->ward));
	json_object_set_new(o, "period", json_pack("{s:o, s:o, s:o, s:o, s:I}",
	    "from", view_json_time(r->from), "to", view_json_time(r->to),
	    "first_day", day_str(r->from), "last_day", day_str(r->to - 1),
	    "days", (json_int_t)r->n_days));
	json_object_set_new(o, "made_at", view_json_time(r->made_at));
	json_object_set_new(o, "ack_deadline_s", json_pack("{s:I, s:I}", "normal",
	    (json_int_t)r->window, "urgent", (json_int_t)r->urgent_window));
	json_object_set_new(o, "tips", json_integer((json_int_t)r->tips));

	json_t *ch = json_object();
	for (int c = 0; c < REPORT_CHANNELS; c++)
		json_object_set_new(ch, r->channels[c].key, json_integer((json_int_t)r->channels[c].n));
	json_object_set_new(o, "by_channel", ch);
	json_t *cat = json_array();
	for (size_t i = 0; i < r->n_categories; i++)
		json_array_append_new(cat, json_pack("{s:s, s:s, s:I}", "category",
		    r->categories[i].key, "name", category_name(r->categories[i].key),
		    "tips", (json_int_t)r->categories[i].n));
	json_object_set_new(o, "by_category", cat);
	json_t *days = json_array();
	for (size_t i = 0; i < r->n_days; i++) {
		const struct report_day *d = &r->days[i];
		json_array_append_new(days, json_pack("{s:o, s:I, s:I, s:I, s:I, s:I}", "day",
		    day_str(d->start), "tips", (json_int_t)d->tips, "in_time", (json_int_t)d->in_time,
		    "late", (json_int_t)d->late, "not_acknowledged", (json_int_t)d->never,
		    "pending", (json_int_t)d->pending));
	}
	json_object_set_new(o, "by_day", days);
	json_t *hours = json_array();
	for (int h = 0; h < 24; h++)
		json_array_append_new(hours, json_integer((json_int_t)r->hours[h]));
	json_object_set_new(o, "by_hour", hours);
	json_t *weeks = json_array();
	for (size_t i = 0; i < r->n_weeks; i++) {
		const struct report_week *w = &r->weeks[i];
		size_t pm = w->decided ? (w->in_time * 1000 + w->decided / 2) / w->decided : 0;
		json_array_append_new(weeks, json_pack("{s:o, s:o, s:I, s:I, s:I, s:o}",
		    "first_day", day_str(w->start), "last_day", day_str(w->end - 1),
		    "tips", (json_int_t)w->tips, "decided", (json_int_t)w->decided,
		    "in_time", (json_int_t)w->in_time,
		    "percent", w->decided ? percent_json(pm) : json_null()));
	}
	json_object_set_new(o, "by_week", weeks);

	json_object_set_new(o, "acknowledgement", json_pack("{s:I, s:I, s:o, s:I, s:o, s:I, s:I}",
	    "in_time", (json_int_t)r->in_time, "decided", (json_int_t)r->decided,
	    "percent", r->decided ? percent_json(r->share_permille) : json_null(),
	    "late", (json_int_t)r->late, "late_by_level", levels_json(r->late_at_level, 1),
	    "not_acknowledged", (json_int_t)r->never, "pending", (json_int_t)r->pending));

	json_t *by_ch = json_object(), *bins = json_array();
	for (int c = 0; c < REPORT_CHANNELS; c++)
		json_object_set_new(by_ch, r->channels[c].key, stats_json(&r->tta_channel[c]));
	for (size_t b = 0; b < REPORT_TTA_BINS; b++) {
		int64_t lo = b ? report_tta_bin_edge(b - 1) : 0, hi = report_tta_bin_edge(b);
		json_array_append_new(bins, json_pack("{s:I, s:o, s:I}", "from_s", (json_int_t)lo,
		    "to_s", hi ? json_integer((json_int_t)hi) : json_null(),
		    "tips", (json_int_t)r->tta_bins[b]));
	}
	json_t *tta = stats_json(&r->tta);
	json_object_set_new(tta, "by_channel", by_ch);
	json_object_set_new(tta, "histogram", bins);
	json_object_set_new(o, "time_to_ack", tta);

	json_object_set_new(o, "legal", json_pack("{s:o, s:o, s:o}",
	    "pass_on", clock_json(cfg, &r->pass_on), "notice", clock_json(cfg, &r->notice),
	    "settle", clock_json(cfg, &r->settle)));

	json_t *alarms = json_array(), *gaps = json_array();
	for (size_t i = 0; i < r->n_alarms; i++) {
		char id[VIEW_ID_MAX] = "";
		if (r->alarms[i].code[0])
			view_tip_id(cfg, r->alarms[i].code, id);
		json_array_append_new(alarms, json_pack("{s:o, s:o}", "at",
		    view_json_time(r->alarms[i].at), "id", id[0] ? json_string(id) : json_null()));
	}
	for (size_t i = 0; i < r->n_gaps; i++)
		json_array_append_new(gaps, json_pack("{s:o, s:o, s:I}", "from",
		    view_json_time(r->gaps[i].from), "to", view_json_time(r->gaps[i].to),
		    "seconds", (json_int_t)(r->gaps[i].to - r->gaps[i].from)));
	json_object_set_new(o, "nobody_on_duty", json_pack("{s:o, s:o, s:I}", "alarms", alarms,
	    "roster_gaps", gaps, "gap_seconds", (json_int_t)r->gap_seconds));
	json_object_set_new(o, "escalations", json_pack("{s:o, s:I}", "by_level",
	    levels_json(r->escalations, 2), "repeats", (json_int_t)r->repeats));
	json_object_set_new(o, "relay", json_pack("{s:I, s:I, s:I}", "questions",
	    (json_int_t)r->relay_asked, "answered", (json_int_t)r->relay_answered,
	    "tips", (json_int_t)r->relay_tips));
	json_t *officers = json_array();
	for (size_t i = 0; i < r->n_officers; i++) {
		const struct report_officer *of = &r->officers[i];
		json_array_append_new(officers, json_pack("{s:o, s:I, s:I, s:o}", "name",
		    view_json_str(of->name), "notified", (json_int_t)of->notified,
		    "acknowledged", (json_int_t)of->acked, "median_s",
		    of->tta.n ? json_integer((json_int_t)of->tta.median) : json_null()));
	}
	json_object_set_new(o, "officers", officers);
	return o;
}
