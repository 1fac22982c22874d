/* outbox — see outbox.h. */
#include "gateway/outbox.h"

#include <assert.h>
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/backoff.h"
#include "gateway/calls.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/notify.h"

#define TAG "outbox"

/* The channels whose officers' messages fall back to SMS. */
static const char *const fallback_channels[] = { "zalo_oa", "zalo_bot" };

static int
is_sms(const char *channel)
{
	return strcmp(channel, "sms") == 0;
}

static int
is_call(const char *channel)
{
	return strcmp(channel, CALLS_CHANNEL) == 0;
}

/* How a channel is named in a reason a person reads. */
static const char *
channel_label(const char *channel)
{
	return strncmp(channel, "zalo", 4) == 0 ? "Zalo" : is_sms(channel) ? "SMS" :
	    is_call(channel) ? "the phone" : channel;
}

static const char *
recipient(const struct outbox_item *it)
{
	return it->officer_id ? "an officer" : it->dest ? "a group" : "a citizen";
}

/* A time the channel asked for, kept within [now, now + retry_max]. */
static int64_t
channel_time(const struct config *cfg, int64_t not_before, int64_t now)
{
	if (not_before <= now)
		return now;
	return not_before - now > cfg->retry_max ? now + cfg->retry_max : not_before;
}

/* The next try of a failed row, 0 to give up. */
static int64_t
next_try(const struct config *cfg, const struct outbox_item *it, enum outbox_result result,
    int64_t not_before, int64_t now)
{
	switch (result) {
	case OUTBOX_RETURNED:
		return channel_time(cfg, not_before, now);
	case OUTBOX_TEMPORARY:
		if (it->attempts >= cfg->max_attempts)
			return 0;
		if (not_before)
			return channel_time(cfg, not_before, now);
		return now + backoff_delay(cfg->retry_base, cfg->retry_max, it->attempts);
	default:
		return 0;
	}
}

/* Close the claimed row failed and queue its text for the officer by SMS,
 * in one transaction (or one savepoint of the caller's, when the results of
 * several sends are recorded together). 0 / -1. */
static int
fall_back(struct db *db, const struct config *cfg, const struct outbox_item *it,
    const char *reason, int64_t now)
{
	int own = !db_in_transaction(db);
	if ((own ? db_begin(db) : db_savepoint(db)) < 0)
		return -1;
	if (db_outbox_retry(db, it->id, reason, 0) < 0 || notify_officer_sms(db, cfg,
	    it->officer_id, it->tip_id, it->kind, it->text, now) < 0 ||
	    (is_call(it->channel) && calls_note(db, it, CALLS_FAILED, reason, now) < 0) ||
	    (own ? db_commit(db) : db_release(db)) < 0) {
		if (own)
			db_rollback(db);
		else if (db_in_transaction(db))
			db_rollback_to(db);
		log_error(TAG, "message %lld: the SMS fallback could not be queued: %s",
		    (long long)it->id, db_errmsg(db));
		return -1;
	}
	log_warn(TAG, "%s message %lld for an officer on %s: %s", it->kind, (long long)it->id,
	    it->channel, reason);
	return 0;
}

static int
record_sent(struct db *db, const struct outbox_item *it, const char *via, int64_t now)
{
	/* sent but not recorded: it would go again, so try twice */
	if (db_outbox_sent(db, it->id, via, now) < 0 && db_outbox_sent(db, it->id, via, now) < 0) {
		log_error(TAG, "%s message %lld was sent but cannot be recorded: %s", it->kind,
		    (long long)it->id, db_errmsg(db));
		return -1;
	}
	log_info(TAG, "%s message %lld to %s sent via %s", it->kind, (long long)it->id,
	    recipient(it), via);
	return 0;
}

/* A call that rang (why: for how long, and how it ended): recorded with its
 * audit row and counter in one transaction. */
static int
record_placed(struct db *db, const struct outbox_item *it, const char *via, const char *why,
    int64_t now)
{
	for (int tries = 0; tries < 2; tries++) {     /* as record_sent: it rang, never again */
		if (db_begin(db) < 0)
			continue;
		if (db_outbox_sent(db, it->id, via, now) == 0 &&
		    calls_note(db, it, CALLS_PLACED, why, now) == 0 && db_commit(db) == 0) {
			log_info(TAG, "%s %lld to officer %lld placed via %s (%s)", it->kind,
			    (long long)it->id, (long long)it->officer_id, via, why ? why : "rang");
			return 0;
		}
		db_rollback(db);
	}
	log_error(TAG, "%s %lld was placed but cannot be recorded: %s", it->kind, (long long)it->id,
	    db_errmsg(db));
	return -1;
}

/* A call given up with nobody to tell by SMS instead. */
static int
record_call_failed(struct db *db, const struct outbox_item *it, const char *reason, int64_t now)
{
	if (db_begin(db) < 0 || db_outbox_retry(db, it->id, reason, 0) < 0 ||
	    calls_note(db, it, CALLS_FAILED, reason, now) < 0 || db_commit(db) < 0) {
		db_rollback(db);
		log_error(TAG, "%s %lld: %s", it->kind, (long long)it->id, db_errmsg(db));
		return -1;
	}
	log_error(TAG, "%s %lld given up after %d attempt%s: %s", it->kind, (long long)it->id,
	    it->attempts, it->attempts == 1 ? "" : "s", reason);
	return 0;
}

int
outbox_call_wanted(struct db *db, const struct outbox_item *it)
{
	return db_outbox_call_wanted(db, it->id);
}

int
outbox_report(struct db *db, const struct config *cfg, const struct outbox_item *it,
    enum outbox_result result, const char *via, const char *why, int64_t not_before,
    int64_t now)
{
	assert(it->id > 0 && it->channel);      /* only a claimed row is reported */
	if (result == OUTBOX_SENT && is_call(it->channel))
		return record_placed(db, it, via ? via : it->channel, why, now);
	if (result == OUTBOX_SENT)
		return record_sent(db, it, via ? via : it->channel, now);
	char reason[240];
	if (result == OUTBOX_UNKNOWN && is_call(it->channel))
		snprintf(reason, sizeof reason, "%s: outcome unknown, not rung again",
		    why ? why : "no answer");
	else if (result == OUTBOX_UNKNOWN)
		snprintf(reason, sizeof reason, "%s: outcome unknown, not resent on %s",
		    why ? why : "no answer", channel_label(it->channel));
	else
		snprintf(reason, sizeof reason, "%s", why ? why : "not sent");
	int64_t next = next_try(cfg, it, result, not_before, now);
	if (!next && it->officer_id && !is_sms(it->channel)) {
		char instead[sizeof reason + 32];
		snprintf(instead, sizeof instead, "%s; sent by SMS instead", reason);
		return fall_back(db, cfg, it, instead, now);
	}
	if (!next && is_call(it->channel))
		return record_call_failed(db, it, reason, now);
	if (db_outbox_retry(db, it->id, reason, next) < 0) {
		log_error(TAG, "message %lld: %s", (long long)it->id, db_errmsg(db));
		return -1;
	}
	if (result == OUTBOX_UNKNOWN)
		log_error(TAG, "%s message %lld for %s on %s: %s", it->kind, (long long)it->id,
		    recipient(it), it->channel, reason);
	else if (result == OUTBOX_RETURNED)
		log_info(TAG, "%s message %lld back in the queue (%s)", it->kind, (long long)it->id,
		    reason);
	else if (next)
		log_warn(TAG, "%s message %lld to %s not sent on %s (%s); attempt %d, next in %llds",
		    it->kind, (long long)it->id, recipient(it), it->channel, reason, it->attempts,
		    (long long)(next - now));
	else
		log_error(TAG, "%s message %lld to %s given up on %s after %d attempt%s: %s",
		    it->kind, (long long)it->id, recipient(it), it->channel, it->attempts,
		    it->attempts == 1 ? "" : "s", reason);
	return 0;
}

int
outbox_fall_back_stale(struct db *db, const struct config *cfg, int64_t now)
{
	enum { N = sizeof fallback_channels / sizeof fallback_channels[0] };
	char why[80];
	snprintf(why, sizeof why, "not delivered on Zalo within %llds; sent by SMS instead",
	    (long long)cfg->fallback_after);
	struct outbox_item *v[N] = { NULL };
	size_t n[N] = { 0 };
	int moved = 0;
	/* read and re-route in one write transaction: no sender can claim a row
	 * in between, and a row a sender holds ('sending') is not read at all */
	if (db_begin(db) < 0)
		return -1;
	for (size_t c = 0; c < N; c++) {
		if (db_outbox_stale_officer(db, fallback_channels[c], now - cfg->fallback_after, &v[c],
		    &n[c], OUTBOX_STALE_BATCH) < 0)
			goto fail;
		for (size_t i = 0; i < n[c]; i++, moved++)
			if (db_outbox_drop(db, v[c][i].id, why) < 0 ||
			    notify_officer_sms(db, cfg, v[c][i].officer_id, v[c][i].tip_id, v[c][i].kind,
			    v[c][i].text, now) < 0)
				goto fail;
	}
	if (db_commit(db) < 0)
		goto fail;
	for (size_t c = 0; c < N; c++) {
		for (size_t i = 0; i < n[c]; i++)
			log_warn(TAG, "%s message %lld for an officer on %s: %s", v[c][i].kind,
			    (long long)v[c][i].id, v[c][i].channel, why);
		outbox_items_free(v[c], n[c]);
	}
	return moved;
fail:
	db_rollback(db);            /* the caller logs it (db_errmsg) */
	for (size_t c = 0; c < N; c++)
		outbox_items_free(v[c], n[c]);
	return -1;
}

int
outbox_settle_interrupted(struct db *db, const struct config *cfg, const char *channel,
    const char *why, int64_t now)
{
	struct outbox_item *v = NULL;
	size_t n = 0;
	if (db_outbox_interrupted(db, channel, &v, &n) < 0) {
		log_error(TAG, "cannot read the sends interrupted on %s: %s", channel, db_errmsg(db));
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		outbox_report(db, cfg, &v[i], OUTBOX_UNKNOWN, NULL, why, 0, now);
	outbox_items_free(v, n);
	return (int)n;
}
