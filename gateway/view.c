/* view — see view.h. */
#include "gateway/view.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/legalclock.h"
#include "gateway/roster.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/trackid.h"
#include "modem/modem.h"

/* ---------------------------------------------------------------- JSON */

json_t *
view_json_time(int64_t t)
{
	if (!t)
		return json_null();
	char buf[40];
	timeutil_format_iso(t, buf, sizeof buf);
	return json_string(buf);
}

json_t *
view_json_str(const char *s)
{
	if (!s)
		return json_null();
	json_t *v = json_string(s);
	if (!v) {           /* not valid UTF-8: replace the bad bytes */
		char *t = text_clean(s, strlen(s));
		v = t ? json_string(t) : NULL;
		free(t);
	}
	return v ? v : json_null();
}

json_t *
view_tip_json(const struct config *cfg, const struct tip *t)
{
	char id[VIEW_ID_MAX];
	view_tip_id(cfg, t->code, id);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "status", json_string(tip_status_name(t->status)));
	json_object_set_new(o, "level", json_integer(t->level));
	json_object_set_new(o, "created_at", view_json_time(t->created_at));
	json_object_set_new(o, "acked_at", view_json_time(t->acked_at));
	json_object_set_new(o, "acked_by", view_json_str(t->acked_by_name));
	json_object_set_new(o, "channel", view_json_str(t->channel));
	json_object_set_new(o, "category", view_json_str(t->category));
	json_object_set_new(o, "text", view_json_str(t->text));
	json_object_set_new(o, "urgent", json_boolean(t->urgent));
	json_object_set_new(o, "partial", json_boolean(t->partial));
	json_object_set_new(o, "closed_at", view_json_time(t->closed_at));
	json_object_set_new(o, "closed_by", view_json_str(t->closed_by_name));
	json_object_set_new(o, "next_deadline", view_json_time(t->status == TIP_NEW ?
	    t->next_deadline : 0));
	json_object_set_new(o, "waiting", json_boolean(t->waiting));
	return o;
}

json_t *
view_tip_detail_json(const struct config *cfg, const struct tip *t,
    const struct view_tip_detail *d)
{
	json_t *o = view_tip_json(cfg, t);
	json_t *ms = json_array(), *es = json_array(), *as = json_array();
	json_object_set_new(o, "close_note", view_json_str(t->close_note));
	if (d->clock)
		json_object_set_new(o, "legal", view_legal_json(d->clock));
	for (size_t i = 0; i < d->n_messages; i++) {
		const struct tip_message *m = &d->messages[i];
		json_array_append_new(ms, json_pack("{s:o, s:o, s:o, s:o}",
		    "direction", view_json_str(m->direction), "at", view_json_time(m->at),
		    "text", view_json_str(m->text), "officer", view_json_str(m->officer_name)));
	}
	for (size_t i = 0; i < d->n_escalations; i++) {
		const struct escalation *e = &d->escalations[i];
		json_array_append_new(es, json_pack("{s:i, s:i, s:o, s:o}",
		    "from_level", e->from_level, "to_level", e->to_level,
		    "at", view_json_time(e->at), "reason", view_json_str(e->reason)));
	}
	for (size_t i = 0; i < d->n_attachments; i++) {
		const struct attachment *a = &d->attachments[i];
		json_array_append_new(as, json_pack("{s:o, s:o, s:o, s:I, s:o}",
		    "kind", view_json_str(a->kind), "state", view_json_str(a->state),
		    "content_type", view_json_str(a->content_type),
		    "size", (json_int_t)a->size, "error", view_json_str(a->error)));
	}
	json_object_set_new(o, "messages", ms);
	json_object_set_new(o, "escalations", es);
	json_object_set_new(o, "attachments", as);
	return o;
}

json_t *
view_clock_json(const struct tipclock_one *c)
{
	json_t *due;
	if (c->by_day) {
		char day[16];
		legalclock_format(c->day, day, sizeof day);
		due = json_string(day);
	} else {
		due = view_json_time(c->due);
	}
	return json_pack("{s:o, s:s, s:o}", "due", due, "state", tipclock_state_name(c->state),
	    "done_at", view_json_time(c->done_at));
}

json_t *
view_legal_json(const struct tipclock *clk)
{
	json_t *pass = view_clock_json(&clk->pass_on);
	json_object_set_new(pass, "to", view_json_str(clk->passed_to));
	json_object_set_new(pass, "by", view_json_str(clk->passed_by));
	return json_pack("{s:o, s:o, s:o}", "pass_on", pass, "notice",
	    view_clock_json(&clk->notice), "settle", view_clock_json(&clk->settle));
}

json_t *
view_officer_json(const struct officer *o)
{
	return json_pack("{s:I, s:o, s:o, s:o, s:o, s:o, s:o, s:o}", "id", (json_int_t)o->id,
	    "name", view_json_str(o->name), "phone", view_json_str(o->phone),
	    "zalo_oa", view_json_str(o->zalo_oa), "zalo_bot", view_json_str(o->zalo_bot),
	    "channel", view_json_str(o->channel), "role", view_json_str(o->role),
	    "short_code", view_json_str(o->short_code));
}

json_t *
view_shift_json(const struct shift *s)
{
	char days[ROSTER_WEEKDAYS_MAX], span[ROSTER_SPAN_MAX];
	int once = s->kind == SHIFT_ONCE, weekly = s->kind == SHIFT_WEEKLY;
	int dated = weekly || s->kind == SHIFT_OFF;
	roster_weekday_codes(s->weekdays, 0, days, sizeof days);
	roster_format_span(s->time_from, s->time_to, span, sizeof span);
	json_t *o = json_pack("{s:I, s:s, s:o, s:o, s:o, s:b, s:o, s:o, s:o, s:o, s:o, s:o}",
	    "id", (json_int_t)s->id, "kind", shift_kind_name(s->kind),
	    "officer_phone", view_json_str(s->officer_phone),
	    "officer_name", view_json_str(s->officer_name),
	    "level", s->kind == SHIFT_OFF ? json_null() : json_integer(s->level),
	    "always", s->kind == SHIFT_ALWAYS,
	    "from", view_json_time(once ? s->starts_at : 0),
	    "to", view_json_time(once ? s->ends_at : 0),
	    "weekly", weekly ? json_string(days) : json_null(),
	    "time", weekly ? json_string(span) : json_null(),
	    "first_day", view_json_str(dated && *s->first_day ? s->first_day : NULL),
	    "last_day", view_json_str(dated && *s->last_day ? s->last_day : NULL));
	return o;
}

json_t *
view_modem_json(const char *name, const struct modem_health *h)
{
	json_t *o = json_object();
	json_object_set_new(o, "name", view_json_str(name));
	json_object_set_new(o, "connected", json_boolean(h->connected));
	json_object_set_new(o, "connected_since", view_json_time(h->connected_since));
	json_object_set_new(o, "down_since", view_json_time(h->connected ? 0 : h->down_since));
	json_object_set_new(o, "next_connect", view_json_time(h->connected ? 0 : h->next_connect));
	json_object_set_new(o, "signal_percent", h->signal_percent >= 0 ?
	    json_integer(h->signal_percent) : json_null());
	json_object_set_new(o, "signal_dbm", h->signal_percent >= 0 && h->signal_dbm ?
	    json_integer(h->signal_dbm) : json_null());
	json_object_set_new(o, "network", view_json_str(h->network[0] ? h->network : NULL));
	json_object_set_new(o, "sim", view_json_str(h->sim[0] ? h->sim : NULL));
	json_object_set_new(o, "model", view_json_str(h->model[0] ? h->model : NULL));
	json_object_set_new(o, "last_error", view_json_str(h->last_error[0] ? h->last_error : NULL));
	json_object_set_new(o, "last_poll", view_json_time(h->last_poll));
	json_object_set_new(o, "received", json_integer((json_int_t)h->received));
	json_object_set_new(o, "sent", json_integer((json_int_t)h->sent));
	json_object_set_new(o, "send_failures", json_integer((json_int_t)h->send_failures));
	json_object_set_new(o, "reconnects", json_integer((json_int_t)h->reconnects));
	return o;
}

/* ---------------------------------------------------------------- text */

void
view_tip_id(const struct config *cfg, const char *code, char out[VIEW_ID_MAX])
{
	trackid_format(cfg->tracking_prefix, code, out, VIEW_ID_MAX);
}

const char *
view_tip_state(const struct tip *t)
{
	/* TRANSLATORS: a tip's state in a listing column 8 characters wide:
	 * NEW and WAITING (nobody on duty) ask for attention, so capitals. */
	if (t->status == TIP_CLOSED)
		return _("closed");
	if (t->status == TIP_ACKNOWLEDGED)
		return _("acked");
	return t->waiting ? _("WAITING") : _("NEW");
}

const char *
view_tip_status(const struct tip *t)
{
	switch (t->status) {
	case TIP_NEW: return _("new");
	case TIP_ACKNOWLEDGED: return _("acknowledged");
	case TIP_CLOSED: return _("closed");
	}
	return "?";
}

void
view_tip_owner(const struct tip *t, int64_t now, char *out, size_t outsz)
{
	char hm[32];
	if (t->status != TIP_NEW) {
		snprintf(out, outsz, "%s", t->acked_by_name ? t->acked_by_name :
		    t->closed_by_name ? t->closed_by_name : "-");
	} else if (t->waiting || !t->next_deadline) {
		snprintf(out, outsz, "%s", _("nobody on duty"));
	} else {
		timeutil_format_hm(t->next_deadline, hm, sizeof hm);
		if (t->next_deadline < now)
			snprintf(out, outsz, _("OVERDUE %s"), hm);
		else
			snprintf(out, outsz, _("due %s"), hm);
	}
}

const char *
view_level_name(int level)
{
	/* TRANSLATORS: the levels of the escalation chain, in a column 10
	 * characters wide: duty officer, backup, shift leader, station chief. */
	static const char *const names[] = { "?", N_("duty"), N_("backup"), N_("leader"),
		N_("chief") };
	return level >= 1 && level <= 4 ? _(names[level]) : names[0];
}

void
view_span(int64_t s, char *out, size_t outsz)
{
	if (s < 0)
		s = -s;
	if (s >= 86400)
		/* TRANSLATORS: a span of days and hours, e.g. 2d3h */
		snprintf(out, outsz, _("%lldd%lldh"), (long long)(s / 86400),
		    (long long)(s % 86400 / 3600));
	else
		/* TRANSLATORS: a span of hours and minutes, e.g. 5h07m */
		snprintf(out, outsz, _("%lldh%02lldm"), (long long)(s / 3600),
		    (long long)(s % 3600 / 60));
}

void
view_clock_due(const struct tipclock_one *c, char *out, size_t outsz)
{
	if (c->by_day) {
		char day[16];
		legalclock_format(c->day, day, sizeof day);
		/* TRANSLATORS: a legal deadline that is a whole day, 2026-12-09 */
		snprintf(out, outsz, _("%s (end of day)"), day);
	} else {
		timeutil_format_local(c->due, out, outsz);
	}
}

void
view_clock_state(const struct tipclock *clk, const struct tipclock_one *c, char *out,
    size_t outsz)
{
	char span[32], when[32];
	switch (c->state) {
	case TIPCLOCK_RUNNING:
		view_span(c->due - clk->now, span, sizeof span);
		/* TRANSLATORS: time left to a legal deadline, "in 5h07m" */
		snprintf(out, outsz, _("in %s"), span);
		break;
	case TIPCLOCK_OVERDUE:
		view_span(clk->now - c->due, span, sizeof span);
		snprintf(out, outsz, _("OVERDUE by %s"), span);
		break;
	case TIPCLOCK_DONE:
		timeutil_format_local(c->done_at, when, sizeof when);
		/* TRANSLATORS: a legal clock's act recorded at a local time */
		snprintf(out, outsz, _("done %s"), when);
		break;
	case TIPCLOCK_DONE_LATE:
		timeutil_format_local(c->done_at, when, sizeof when);
		snprintf(out, outsz, _("done LATE %s"), when);
		break;
	case TIPCLOCK_ENDED:
		/* TRANSLATORS: a legal clock of a tip closed without its act */
		snprintf(out, outsz, "%s", _("ended (closed)"));
		break;
	}
}

void
view_shift_when(const struct shift *s, char *out, size_t outsz)
{
	char from[32], to[32], days[ROSTER_WEEKDAYS_MAX], span[ROSTER_SPAN_MAX], range[96] = "";
	const char *note = "";
	switch (s->kind) {
	case SHIFT_ALWAYS:
		snprintf(out, outsz, "%s", _("always"));
		return;
	case SHIFT_ONCE:
		timeutil_format_local(s->starts_at, from, sizeof from);
		timeutil_format_local(s->ends_at, to, sizeof to);
		snprintf(out, outsz, _("%s to %s"), from, to);
		return;
	case SHIFT_WEEKLY:
		roster_format_weekdays(s->weekdays, days, sizeof days);
		roster_format_span(s->time_from, s->time_to, span, sizeof span);
		/* TRANSLATORS: the dates a weekly shift starts on, after its days
		 * and time: "Mon, Wed, Fri 07:00-19:00, 2026-11-01 to 2026-11-30" */
		if (*s->first_day && *s->last_day)
			snprintf(range, sizeof range, _(", %s to %s"), s->first_day, s->last_day);
		else if (*s->first_day)
			snprintf(range, sizeof range, _(", from %s"), s->first_day);
		else if (*s->last_day)
			snprintf(range, sizeof range, _(", until %s"), s->last_day);
		if (s->time_to == s->time_from)
			note = _(" (24 hours)");
		else if (s->time_to < s->time_from)
			note = _(" (overnight)");
		snprintf(out, outsz, "%s %s%s%s", days, span, note, range);
		return;
	case SHIFT_OFF:
		if (strcmp(s->first_day, s->last_day) == 0)
			snprintf(out, outsz, _("day off %s"), s->first_day);
		else
			snprintf(out, outsz, _("days off %s to %s"), s->first_day, s->last_day);
		return;
	}
	snprintf(out, outsz, "?");
}
