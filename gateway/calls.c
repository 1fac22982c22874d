/* calls — see calls.h. */
#include "gateway/calls.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/outbox.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"

#define TAG "calls"

static const char *const result_names[CALLS_RESULTS] = {
	[CALLS_PLACED] = "placed",
	[CALLS_FAILED] = "failed",
	[CALLS_NOT_POSSIBLE] = "not_possible",
	[CALLS_CANCELLED] = "cancelled",
};

const char *
calls_result_name(enum calls_result r)
{
	return (int)r >= 0 && r < CALLS_RESULTS ? result_names[r] : "?";
}

static int
count(struct db *db, enum calls_result r, int64_t n)
{
	char name[32];
	snprintf(name, sizeof name, "calls.%s", calls_result_name(r));
	return n ? db_counter_add(db, name, n) : 0;
}

int
calls_in_hours(const struct config *cfg, int64_t now)
{
	if (cfg->call_hours_from < 0)
		return 1;
	int y, mo, d;
	timeutil_local_date(now, &y, &mo, &d);
	int64_t m = (now - timeutil_local_midnight(y, mo, d)) / 60;
	int from = cfg->call_hours_from, to = cfg->call_hours_to;
	if (from < to)
		return m >= from && m < to;
	return m >= from || m < to;          /* across midnight: 22:00-06:00 */
}

int
calls_wanted(const struct config *cfg, int urgent, int level, int64_t now)
{
	if (urgent && cfg->call_urgent)
		return 1;
	if (level < 1 || level > 4 || !(cfg->call_level_mask & (1u << level)))
		return 0;
	return calls_in_hours(cfg, now);
}

int
calls_queue(struct db *db, const struct config *cfg, const struct tip *t, int64_t officer_id,
    int level, int64_t now)
{
	if (cfg->n_modems == 0 || !calls_wanted(cfg, t->urgent, level, now))
		return 0;
	int pending = db_outbox_call_pending(db, t->id, officer_id);
	if (pending != 0)
		return pending < 0 ? -1 : 0;         /* one waiting call is enough */
	struct officer o;
	int found = db_officer_by_id(db, officer_id, &o);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	int rc = 0;
	if (o.active && o.phone && *o.phone) {
		char id[24], text[MSG_MAX];
		trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
		msg_call_instead(id, t->code, level, now - t->created_at, text);
		int64_t row = db_outbox_add(db, CALLS_CHANNEL, o.phone, NULL, 0, officer_id, t->id,
		    "call", text, now);
		if (row < 0)
			rc = -1;
		else
			log_info(TAG, "%s: call %lld to officer %lld queued (level %d%s)", id,
			    (long long)row, (long long)officer_id, level,
			    t->urgent && cfg->call_urgent ? ", urgent" : "");
	}
	officer_clear(&o);
	return rc;
}

int64_t
calls_queue_test(struct db *db, int64_t officer_id, const char *phone, int64_t now)
{
	char text[MSG_MAX];
	msg_test_call_instead(text);
	return db_outbox_add(db, CALLS_CHANNEL, phone, NULL, 0, officer_id, 0, "test_call", text,
	    now);
}

int
calls_note(struct db *db, const struct outbox_item *it, enum calls_result r, const char *detail,
    int64_t now)
{
	if (r != CALLS_CANCELLED) {
		char what[240];
		snprintf(what, sizeof what, "officer %lld%s: %s", (long long)it->officer_id,
		    strcmp(it->kind, "test_call") == 0 ? " (test call)" : "",
		    detail && *detail ? detail : calls_result_name(r));
		if (db_audit(db, now, "tinbaod", r == CALLS_PLACED ? "call.placed" : "call.failed",
		    it->tip_id, what) < 0)
			return -1;
	}
	return count(db, r, 1);
}

/* Replace one queued call by an SMS to its officer. */
static int
not_possible(struct db *db, const struct config *cfg, const struct outbox_item *it,
    int64_t now)
{
	static const char why[] = "not possible: no modem here can place calls; sent by SMS "
	    "instead";
	if (db_outbox_drop(db, it->id, why) < 0 || calls_note(db, it, CALLS_NOT_POSSIBLE,
	    "not possible (no modem can place calls); an SMS instead", now) < 0)
		return -1;
	if (!it->officer_id)
		return 0;
	return notify_officer_sms(db, cfg, it->officer_id, it->tip_id, it->kind, it->text, now);
}

int
calls_tick(struct db *db, const struct config *cfg, enum calls_voice voice, int64_t now)
{
	struct outbox_item *v = NULL;
	size_t n = 0;
	if (db_begin(db) < 0)
		return -1;
	int dropped = db_outbox_drop_settled_calls(db);
	if (dropped < 0 || count(db, CALLS_CANCELLED, dropped) < 0)
		goto fail;
	if (voice == CALLS_VOICE_NONE) {
		if (db_outbox_queued_calls(db, &v, &n, CALLS_TICK_BATCH) < 0)
			goto fail;
		for (size_t i = 0; i < n; i++)
			if (not_possible(db, cfg, &v[i], now) < 0)
				goto fail;
	}
	if (db_commit(db) < 0)
		goto fail;
	if (dropped > 0)
		log_info(TAG, "%d call%s dropped: the tip was acknowledged or closed first", dropped,
		    dropped == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++)
		log_warn(TAG, "call %lld to officer %lld: no modem here can place calls; an SMS "
		    "instead", (long long)v[i].id, (long long)v[i].officer_id);
	outbox_items_free(v, n);
	return (int)n;
fail:
	db_rollback(db);
	log_error(TAG, "calls: %s", db_errmsg(db));
	outbox_items_free(v, n);
	return -1;
}

int
calls_recover(struct db *db, const struct config *cfg, int64_t now, int *requeued, int *unknown)
{
	*requeued = *unknown = 0;
	if (db_outbox_requeue_unhanded(db, CALLS_CHANNEL, now, requeued) < 0) {
		log_error(TAG, "cannot requeue the calls a restart interrupted: %s", db_errmsg(db));
		return -1;
	}
	int n = outbox_settle_interrupted(db, cfg, CALLS_CHANNEL, "interrupted by a restart while "
	    "the modem had it: it may have rung", now);
	if (n < 0)
		return -1;
	*unknown = n;
	return 0;
}
