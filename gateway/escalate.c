/* escalate — see escalate.h. */
#include "gateway/escalate.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/calls.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/roster.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"

#define TAG "escalate"

struct duty {
	int level;
	int64_t ids[ESCALATE_MAX_ON_DUTY];
	size_t n;
};

/* The first level >= from with somebody on duty; level 0 if none. */
static int
find_level(struct db *db, int from, int64_t now, struct duty *d)
{
	d->level = 0;
	d->n = 0;
	for (int level = from; level <= ESCALATE_TOP_LEVEL; level++) {
		if (roster_on_duty(db, level, now, d->ids, ESCALATE_MAX_ON_DUTY, &d->n) < 0)
			return -1;
		if (d->n) {
			d->level = level;
			return 0;
		}
	}
	return 0;
}

static void
skipped_note(int from, int to, char *out, size_t outsz)
{
	if (from > to)
		out[0] = '\0';
	else if (from == to)
		snprintf(out, outsz, "Cấp %d không có ai trực", from);
	else
		snprintf(out, outsz, "Cấp %d-%d không có ai trực", from, to);
}

/* An escalation is kept twice: in the tip's history and in the audit trail. */
static int
escalation(struct db *db, int64_t tip_id, int from, int to, const char *reason, int64_t now)
{
	char detail[160];
	snprintf(detail, sizeof detail, "level %d -> %d: %s", from, to, reason);
	if (db_escalation_add(db, tip_id, from, to, reason, now) < 0)
		return -1;
	return db_audit(db, now, "tinbaod", "tip.escalate", tip_id, detail);
}

static int
nobody_on_duty(struct db *db, const struct config *cfg, const struct tip *t, int64_t now)
{
	char id[24];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	int64_t next = 0;
	int found = roster_next_start(db, now, &next);
	if (found < 0)
		return -1;
	if (t->waiting && t->next_deadline_ms == (found ? next * 1000 : 0))
		return 0;                         /* still waiting for the same shift */
	if (!t->waiting) {
		log_error(TAG, "%s: NOBODY ON DUTY at any level; the tip waits for the next shift (%s)",
		    id, found ? "one is scheduled" : "none scheduled: add a shift with `tinbao shift add`");
		if (db_counter_add(db, "nobody_on_duty", 1) < 0 ||
		    db_audit(db, now, "tinbaod", "tip.nobody_on_duty", t->id, NULL) < 0)
			return -1;
	}
	return db_tip_set_deadline(db, t->id, t->level, found ? next * 1000 : 0, 1, now);
}

/* Tell every officer of `d` about the tip for the first time at this level
 * (and ring them after the message when the level rings, calls.h). */
static int
tell_level(struct db *db, const struct config *cfg, const struct tip *t, const struct duty *d,
    const char *kind, const char *text, int64_t now)
{
	for (size_t i = 0; i < d->n; i++)
		if (notify_officer(db, cfg, d->ids[i], t->id, kind, text, now) < 0 ||
		    db_notified_add(db, t->id, d->ids[i], d->level, now) < 0 ||
		    calls_queue(db, cfg, t, d->ids[i], d->level, now) < 0)
			return -1;
	return 0;
}

/* At a repeat, an officer is rung again when the level they were first told
 * at rings. */
static int
ring_again(struct db *db, const struct config *cfg, const struct tip *t, int64_t officer_id,
    int64_t now)
{
	int level = 0;
	int found = db_notified_level(db, t->id, officer_id, &level);
	if (found <= 0)
		return found;
	return calls_queue(db, cfg, t, officer_id, level, now);
}

int64_t
escalate_first_window_ms(const struct config *cfg, int urgent)
{
	return urgent ? cfg->urgent_deadline_ms : cfg->ack_deadline_ms;
}

int
escalate_start(struct db *db, const struct config *cfg, const struct tip *t, int64_t now)
{
	struct duty d;
	if (find_level(db, 1, now, &d) < 0)
		return -1;
	if (!d.level)
		return nobody_on_duty(db, cfg, t, now);
	char id[24], note[64], text[MSG_MAX];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	skipped_note(1, d.level - 1, note, sizeof note);
	int64_t delay_ms = escalate_first_window_ms(cfg, t->urgent);
	int64_t deadline_ms = timeutil_now_ms() + delay_ms;
	if (d.level > 1) {
		log_warn(TAG, "%s: %s; sent straight to level %d", id, "nobody on duty below", d.level);
		if (escalation(db, t->id, 1, d.level, "nobody on duty", now) < 0)
			return -1;
	}
	msg_new_tip(id, t->code, t->created_at, t->channel, t->urgent, t->category, t->text,
	    deadline_ms / 1000, note, text);
	if (tell_level(db, cfg, t, &d, "notify", text, now) < 0 ||
	    notify_duty_group(db, cfg, t->id, "group_alert", text, now) < 0)
		return -1;
	log_info(TAG, "%s: level %d notified (%zu officer%s), deadline in %.1fs", id, d.level, d.n,
	    d.n == 1 ? "" : "s", (double)delay_ms / 1000);
	return db_tip_set_deadline(db, t->id, d.level, deadline_ms, 0, now);
}

static int
repeat_all(struct db *db, const struct config *cfg, const struct tip *t, int64_t now,
    const char *id)
{
	int64_t chain[ESCALATE_MAX_ON_DUTY * ESCALATE_TOP_LEVEL];
	size_t n = 0;
	if (db_notified_list(db, t->id, chain, sizeof chain / sizeof chain[0], &n) < 0)
		return -1;
	/* Whoever is on duty now at any level is on the chain too. */
	for (int level = 1; level <= ESCALATE_TOP_LEVEL; level++) {
		struct duty d;
		if (roster_on_duty(db, level, now, d.ids, ESCALATE_MAX_ON_DUTY, &d.n) < 0)
			return -1;
		for (size_t i = 0; i < d.n && n < sizeof chain / sizeof chain[0]; i++) {
			int seen = 0;
			for (size_t j = 0; j < n; j++)
				seen |= chain[j] == d.ids[i];
			if (!seen) {
				chain[n++] = d.ids[i];
				if (db_notified_add(db, t->id, d.ids[i], level, now) < 0)
					return -1;
			}
		}
	}
	if (n == 0)
		return nobody_on_duty(db, cfg, t, now);
	char text[MSG_MAX];
	msg_repeat(id, t->code, now - t->created_at, text);
	for (size_t i = 0; i < n; i++)
		if (notify_officer(db, cfg, chain[i], t->id, "repeat", text, now) < 0 ||
		    db_notified_add(db, t->id, chain[i], t->level, now) < 0 ||
		    ring_again(db, cfg, t, chain[i], now) < 0)
			return -1;
	log_warn(TAG, "%s: still unacknowledged after every level; %zu officers re-notified", id, n);
	if (escalation(db, t->id, t->level, t->level, "repeat", now) < 0)
		return -1;
	return db_tip_set_deadline(db, t->id, t->level, timeutil_now_ms() + cfg->repeat_ms, 0, now);
}

int
escalate_due(struct db *db, const struct config *cfg, const struct tip *t, int64_t now)
{
	if (t->status != TIP_NEW)
		return 0;
	if (t->waiting)
		return escalate_start(db, cfg, t, now);
	/* a tip in `new` that is not waiting for a shift always has a deadline:
	 * escalate_start() and every step below set one */
	assert(t->next_deadline_ms > 0);
	char id[24];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	struct duty d = { 0 };
	if (t->level < ESCALATE_TOP_LEVEL && find_level(db, t->level + 1, now, &d) < 0)
		return -1;
	if (!d.level)
		return repeat_all(db, cfg, t, now, id);

	int64_t earlier[ESCALATE_MAX_ON_DUTY * ESCALATE_TOP_LEVEL];
	size_t n_earlier = 0;
	if (db_notified_list(db, t->id, earlier, sizeof earlier / sizeof earlier[0], &n_earlier) < 0)
		return -1;
	char note[64], text[MSG_MAX], reason[96];
	skipped_note(t->level + 1, d.level - 1, note, sizeof note);
	int64_t deadline_ms = timeutil_now_ms() + cfg->level_deadline_ms;
	int64_t waited = now - t->created_at;
	snprintf(reason, sizeof reason, "no acknowledgement after %llds%s%s", (long long)waited,
	    *note ? "; " : "", *note ? "levels skipped: nobody on duty" : "");
	if (escalation(db, t->id, t->level, d.level, reason, now) < 0)
		return -1;
	msg_escalated(id, t->code, d.level, waited, t->text, deadline_ms / 1000, note, text);
	if (tell_level(db, cfg, t, &d, "escalate", text, now) < 0)
		return -1;
	msg_reminder(id, t->code, d.level, waited, text);
	for (size_t i = 0; i < n_earlier; i++) {
		int is_new = 0;
		for (size_t j = 0; j < d.n; j++)
			is_new |= d.ids[j] == earlier[i];
		if (!is_new && notify_officer(db, cfg, earlier[i], t->id, "remind", text, now) < 0)
			return -1;
	}
	log_warn(TAG, "%s: not acknowledged in time; escalated from level %d to level %d", id,
	    t->level, d.level);
	return db_tip_set_deadline(db, t->id, d.level, deadline_ms, 0, now);
}
