/* router — see router.h. */
#include "gateway/router.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "gateway/calls.h"
#include "gateway/config.h"
#include "gateway/dailysum.h"
#include "gateway/escalate.h"
#include "gateway/floodguard.h"
#include "gateway/heartbeat.h"
#include "gateway/identity.h"
#include "gateway/keyrotate.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "gateway/retention.h"
#include "gateway/route.h"
#include "gateway/timeutil.h"
#include "gateway/writer.h"

#define TAG "router"
#define ROUTER_TICK_S 1           /* check for roster changes made by `tinbao` */
#define ROUTER_DUE_BATCH 64       /* escalations in one transaction */
#define ROUTER_BATCH_MAX 256      /* admitted messages routed in one transaction */
#define ROUTER_YIELD_MS 25       /* routing this long, a batch ends for waiting admissions */
#define ROUTER_GIVE_WAY_MS 50     /* at most this long the router waits for the writer's turn */
#define ROUTER_MAX_TRIES 5        /* a message that fails this often is set aside */
#define ROUTER_RETENTION_CHECK_S 300
#define ROUTER_STALE_CHECK_S 2    /* how often officers' stale Zalo messages are looked for */
#define KEYROTATE_COUNTER "key_in_use"   /* identity_key_fingerprint() of tinbaod's key */   /* how often to see whether today's run is done */

struct router {
	const struct config *cfg;
	const struct identity *id;
	struct writer *writer;       /* admissions go first (writer_give_way); may be NULL */
	struct db *db;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int woken;
	int stop;
	void (*wake_senders)(void *);
	int (*voice)(void *);        /* enum calls_voice: can any modem place calls */
	void *arg;
	struct router_stats stats;
	int64_t failing_id;          /* inbound id that failed last */
	int failing_count;
	int64_t data_version;
	int64_t flood_checked;       /* when the flood guard last ran */
	int64_t calls_checked;       /* when the calls were last settled */
	int64_t stale_next;          /* when to look for officers' stale Zalo messages */
	int heartbeat;
	int64_t retention_next;      /* when to look at the daily retention run again */
	int64_t key_told;            /* fingerprint last written to counters */
	int64_t key_seen;            /* fingerprint last seen: its change is logged once */
	/* storage errors retried every tick: logged once with a count */
	struct log_repeat rep_route, rep_aside, rep_escalate, rep_daily, rep_flood, rep_stale,
	    rep_retention, rep_key;
};

/* Stats are read by the main thread: update them under the lock. */
static void
count(struct router *r, uint64_t *field, uint64_t n)
{
	pthread_mutex_lock(&r->lock);
	*field += n;
	pthread_mutex_unlock(&r->lock);
}

static int64_t
elapsed_ms(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* Route one message and mark it routed, inside the caller's transaction. */
static enum route_outcome
route_step(struct router *r, const struct inbound *m, int64_t *tip_id)
{
	int64_t now = (int64_t)time(NULL);
	*tip_id = 0;
	enum route_outcome out = route_message(r->db, r->cfg, r->id, m, now, tip_id);
	if (out != ROUTE_ERROR && (out == ROUTE_NOT_KEPT ? db_inbound_drop(r->db, m->id) :
	    db_inbound_mark(r->db, m->id, *tip_id, now)) < 0)
		out = ROUTE_ERROR;
	return out;
}

/* A message that failed ROUTER_MAX_TRIES times is set aside (marked routed
 * to no tip; it stays in the database), inside the caller's transaction. */
static int
set_aside(struct router *r, const struct inbound *m)
{
	log_repeat(&r->rep_aside, LOG_ERR, TAG, "message %lld could not be routed %d times; set "
	    "aside, it stays in the database", (long long)m->id, r->failing_count);
	return db_inbound_mark(r->db, m->id, 0, (int64_t)time(NULL));
}

static void
note_failure(struct router *r, int64_t id)
{
	count(r, &r->stats.failures, 1);
	if (r->failing_id != id) {
		r->failing_id = id;
		r->failing_count = 0;
	}
	r->failing_count++;
	log_repeat(&r->rep_route, LOG_WARNING, TAG, "message %lld: routing failed, will retry: %s",
	    (long long)id, db_errmsg(r->db));
}

static void
routed(struct router *r, size_t n, uint64_t tips)
{
	if (!n)
		return;
	log_repeat_end(&r->rep_route, TAG, "routing works again");
	log_repeat_end(&r->rep_aside, TAG, "routing works again (messages set aside stay "
	    "in the database)");
	count(r, &r->stats.routed, n);
	count(r, &r->stats.tips, tips);
	if (r->writer)
		writer_routed(r->writer);
	if (r->wake_senders)
		r->wake_senders(r->arg);
}

/* After a failure in a batch (nothing of it kept): the messages before the
 * one that failed, then that one, each in its own transaction, so that the
 * failure is that message's alone. Returns how many were routed; -1 when
 * one failed (it is tried again after a back-off). */
static int
route_one_by_one(struct router *r, const struct inbound *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int64_t tip_id = 0;
		enum route_outcome out = ROUTE_ERROR;
		if (db_begin(r->db) == 0) {
			out = route_step(r, &v[i], &tip_id);
			if (out == ROUTE_ERROR || !db_in_transaction(r->db) || db_commit(r->db) < 0)
				out = ROUTE_ERROR;
			if (out == ROUTE_ERROR)
				db_rollback(r->db);
		}
		if (out == ROUTE_ERROR) {
			note_failure(r, v[i].id);
			return -1;
		}
		routed(r, 1, out == ROUTE_NEW_TIP);
	}
	return (int)n;
}

/* Route the admitted messages waiting, oldest first, in one transaction and
 * one commit: up to ROUTER_BATCH_MAX of them, fewer when the writer has
 * admissions waiting once ROUTER_YIELD_MS have gone (they wait at most for
 * the message in hand and this commit). Nothing counts as routed before the
 * commit: a crash or a failed commit leaves every message of the batch to be
 * routed again, and none twice. When one message fails, the whole batch is
 * undone and routed again one message to a transaction (route_one_by_one):
 * failures are rare, and this keeps the usual path free of savepoints (a
 * savepoint per message made routing half again as slow). Returns how many
 * were routed, 0 when none wait, -1 on failure. */
static int
route_batch(struct router *r)
{
	struct inbound *v = NULL;
	size_t n = 0;
	/* read before the write lock is taken: only this thread routes, so
	 * what it reads stays unrouted until it commits */
	if (db_inbound_batch(r->db, ROUTER_BATCH_MAX, &v, &n) < 0) {
		log_repeat(&r->rep_route, LOG_WARNING, TAG, "cannot read the admitted messages, will "
		    "retry: %s", db_errmsg(r->db));
		return -1;
	}
	if (n == 0)
		return 0;
	if (r->writer && writer_pending(r->writer))
		writer_give_way(r->writer, ROUTER_GIVE_WAY_MS);
	if (db_begin(r->db) < 0) {
		log_repeat(&r->rep_route, LOG_WARNING, TAG, "routing cannot start, will retry: %s",
		    db_errmsg(r->db));
		inbounds_free(v, n);
		return -1;
	}
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	uint64_t tips = 0;
	size_t done = 0;
	int failed = 0;
	for (; done < n; done++) {
		const struct inbound *m = &v[done];
		if (done > 0 && r->writer && writer_pending(r->writer) &&
		    elapsed_ms(&t0) >= ROUTER_YIELD_MS)
			break;
		if (m->id == r->failing_id && r->failing_count >= ROUTER_MAX_TRIES) {
			if (set_aside(r, m) < 0) {
				failed = 1;
				break;
			}
			continue;
		}
		int64_t tip_id;
		enum route_outcome out = route_step(r, m, &tip_id);
		if (out == ROUTE_ERROR) {
			failed = 1;
			break;
		}
		tips += out == ROUTE_NEW_TIP;
	}
	if (!failed && db_in_transaction(r->db) && db_commit(r->db) == 0) {
		if (r->failing_count >= ROUTER_MAX_TRIES)
			r->failing_count = 0;         /* set aside with this commit */
		routed(r, done, tips);
		inbounds_free(v, n);
		return (int)done;
	}
	db_rollback(r->db);
	int rc;
	if (failed) {
		/* the batch is undone: again, one by one, up to the one that failed */
		if (!r->rep_route.fmt)       /* said once while the failure lasts */
			log_info(TAG, "a message of a batch of %zu failed (%s); routing them one by one",
			    done + 1 < n ? done + 1 : n, db_errmsg(r->db));
		rc = route_one_by_one(r, v, done + 1 < n ? done + 1 : n);
	} else {
		count(r, &r->stats.failures, 1);
		log_repeat(&r->rep_route, LOG_WARNING, TAG, "%zu messages could not be routed, will "
		    "retry: %s", done, db_errmsg(r->db));
		rc = -1;
	}
	inbounds_free(v, n);
	return rc;
}

/* Escalate the due tips, one transaction for them all; each in a savepoint,
 * so a failure undoes that tip alone (it is tried again next time). */
static int
escalate_batch(struct router *r, const int64_t *ids, size_t n, int64_t now)
{
	if (n == 0)
		return 0;
	if (r->writer && writer_pending(r->writer))
		writer_give_way(r->writer, ROUTER_GIVE_WAY_MS);
	if (db_begin(r->db) < 0) {
		log_repeat(&r->rep_escalate, LOG_WARNING, TAG, "escalations cannot start, will retry: "
		    "%s", db_errmsg(r->db));
		return -1;
	}
	int failed = 0;
	size_t escalated = 0;
	for (size_t i = 0; i < n && db_in_transaction(r->db); i++) {
		struct tip t;
		if (db_savepoint(r->db) < 0) {
			failed = 1;
			break;
		}
		int found = db_tip_by_id(r->db, ids[i], &t);
		int rc = found < 0 ? -1 : 0;
		if (found > 0) {
			rc = escalate_due(r->db, r->cfg, &t, now);
			tip_clear(&t);
		}
		if (rc == 0 && db_release(r->db) == 0) {
			escalated += found > 0;
			continue;
		}
		failed = 1;
		log_repeat(&r->rep_escalate, LOG_WARNING, TAG, "escalation of tip %lld failed, will "
		    "retry: %s", (long long)ids[i], db_errmsg(r->db));
		if (db_in_transaction(r->db))
			db_rollback_to(r->db);
	}
	if (!db_in_transaction(r->db) || db_commit(r->db) < 0) {
		db_rollback(r->db);
		log_repeat(&r->rep_escalate, LOG_WARNING, TAG, "escalations could not be committed, "
		    "will retry: %s", db_errmsg(r->db));
		return -1;
	}
	if (!failed)
		log_repeat_end(&r->rep_escalate, TAG, "escalations work again");
	count(r, &r->stats.escalations, escalated);
	if (escalated && r->wake_senders)
		r->wake_senders(r->arg);
	return failed ? -1 : 0;
}

static int
run_due(struct router *r, int roster_changed)
{
	int64_t ids[ROUTER_DUE_BATCH];
	size_t n = 0;
	int64_t now_ms = timeutil_now_ms(), now = now_ms / 1000;
	if (db_due_tips(r->db, now_ms, ids, ROUTER_DUE_BATCH, &n) < 0)
		return -1;
	int failed = escalate_batch(r, ids, n, now) < 0;
	if (roster_changed) {
		/* A shift added from the command line may be what a waiting tip
		 * needs; those tips have no deadline of their own. */
		if (db_waiting_tips(r->db, ids, ROUTER_DUE_BATCH, &n) < 0)
			return -1;
		failed |= escalate_batch(r, ids, n, now) < 0;
	}
	return failed ? -1 : 0;
}

/* Once a day (remembered in the database, so across restarts too). */
static void
run_retention(struct router *r)
{
	int64_t now = (int64_t)time(NULL);
	if (now < r->retention_next)
		return;
	struct retention_report rep;
	char err[300];
	int rc = retention_daily(r->db, r->cfg, now, &rep, err, sizeof err);
	if (rc < 0) {
		log_repeat(&r->rep_retention, LOG_WARNING, TAG, "retention: %s (will retry)", err);
		r->retention_next = now + 60;
		return;
	}
	log_repeat_end(&r->rep_retention, TAG, "retention works again");
	if (rc > 0)
		log_notice(TAG, "retention: reply addresses of %zu tips closed before %lld destroyed "
		    "(%lld inbound, %lld outbox, %lld SMS parts, %lld other messages)", rep.ntips,
		    (long long)rep.cutoff, (long long)rep.counts.inbound, (long long)rep.counts.outbox,
		    (long long)rep.counts.parts, (long long)rep.counts.loose);
	retention_report_clear(&rep);
	r->retention_next = now + ROUTER_RETENTION_CHECK_S;
}

/* `tinbao key rotate` replaced the key file: seal with the new key from now
 * on (every thread: identity swaps the key set atomically), and say so in
 * the database so the rotation knows when nothing new is sealed with the old
 * key. */
static int
refresh_key(struct router *r)
{
	char err[300];
	int rc = identity_refresh(r->id, err, sizeof err);
	if (rc < 0) {
		log_repeat(&r->rep_key, LOG_WARNING, TAG, "%s", err);
		return -1;
	}
	int64_t fp = identity_key_fingerprint(r->id);
	/* the change may have been loaded by a sender that met a value sealed
	 * with the new key: tell it by the fingerprint, whoever loaded it */
	if (r->key_seen && fp != r->key_seen)
		log_notice(TAG, "key file changed: sealing with the new key (%zu sealing keys)",
		    identity_key_count(r->id));
	r->key_seen = fp;
	if (fp != r->key_told) {
		if (db_counter_set(r->db, KEYROTATE_COUNTER, fp) < 0) {
			log_repeat(&r->rep_key, LOG_WARNING, TAG, "cannot record the key in use: %s",
			    db_errmsg(r->db));
			return -1;
		}
		r->key_told = fp;
	}
	log_repeat_end(&r->rep_key, TAG, "the key in use is recorded again");
	return 0;
}

static void *
router_main(void *arg)
{
	struct router *r = arg;
	int backoff = 0;
	pthread_setname_np(pthread_self(), "tb-router");
	r->data_version = db_data_version(r->db);
	run_due(r, 1);      /* deadlines missed while we were down fire now, once */
	for (;;) {
		heartbeat_beat(r->heartbeat);
		pthread_mutex_lock(&r->lock);
		int stop = r->stop;
		r->woken = 0;
		pthread_mutex_unlock(&r->lock);
		if (stop)
			break;

		int failed = 0, routed;
		while ((routed = route_batch(r)) > 0)
			heartbeat_beat(r->heartbeat);
		failed |= routed < 0;
		int64_t v = db_data_version(r->db);
		int changed = v != r->data_version;
		r->data_version = v;
		int due_failed = run_due(r, changed) < 0;
		failed |= due_failed;
		int daily = dailysum_run(r->db, r->cfg, (int64_t)time(NULL));
		if (daily < 0)
			log_repeat(&r->rep_daily, LOG_WARNING, TAG, "daily summary failed, will retry: %s",
			    db_errmsg(r->db));
		else
			log_repeat_end(&r->rep_daily, TAG, "the daily summary works again");
		if (daily > 0 && r->wake_senders)
			r->wake_senders(r->arg);
		failed |= daily < 0;
		int64_t tick = (int64_t)time(NULL);
		int collapsed = 0;
		if (tick != r->flood_checked) {      /* at most once a second */
			r->flood_checked = tick;
			collapsed = floodguard_run(r->db, r->cfg, tick);
		}
		if (collapsed < 0) {
			log_repeat(&r->rep_flood, LOG_WARNING, TAG, "flood guard failed, will retry: %s",
			    db_errmsg(r->db));
			failed = 1;
		} else {
			log_repeat_end(&r->rep_flood, TAG, "the flood guard works again");
			if (collapsed > 0 && r->wake_senders)
				r->wake_senders(r->arg);
		}
		if (tick != r->calls_checked) {      /* at most once a second */
			r->calls_checked = tick;
			int replaced = calls_tick(r->db, r->cfg, r->voice ? r->voice(r->arg) :
			    CALLS_VOICE_UNKNOWN, tick);
			failed |= replaced < 0;
			if (replaced > 0 && r->wake_senders)
				r->wake_senders(r->arg);
		}
		if (tick >= r->stale_next) {
			r->stale_next = tick + ROUTER_STALE_CHECK_S;
			int moved = outbox_fall_back_stale(r->db, r->cfg, tick);
			failed |= moved < 0;
			if (moved < 0)
				log_repeat(&r->rep_stale, LOG_ERR, TAG, "officers' stale Zalo messages "
				    "could not go by SMS: %s", db_errmsg(r->db));
			else
				log_repeat_end(&r->rep_stale, TAG, "officers' stale Zalo messages go by "
				    "SMS again");
			if (moved > 0 && r->wake_senders)
				r->wake_senders(r->arg);
		}
		run_retention(r);
		failed |= refresh_key(r) < 0;

		/* Sleep until the earliest deadline, a wake-up, or the tick. */
		int64_t now_ms = timeutil_now_ms(), next = 0;
		int64_t until = now_ms + ROUTER_TICK_S * 1000;
		int has_next = db_next_deadline(r->db, &next) > 0;
		if (failed) {
			/* Something failed: look again after a back-off, but a
			 * deadline that falls sooner is still kept unless the
			 * escalations themselves failed (a failing flood guard
			 * once held a due escalation back for 27 s). */
			backoff = backoff ? (backoff < 30 ? backoff * 2 : 30) : 1;
			until = now_ms + backoff * 1000;
			if (!due_failed && has_next && next < until)
				until = next;
		} else {
			backoff = 0;
			if (has_next && next < until)
				until = next;
		}
		struct timespec ts = { .tv_sec = (time_t)(until / 1000),
		    .tv_nsec = (long)(until % 1000) * 1000000L };
		pthread_mutex_lock(&r->lock);
		while (!r->woken && !r->stop) {
			if (pthread_cond_timedwait(&r->cond, &r->lock, &ts) == ETIMEDOUT)
				break;
		}
		pthread_mutex_unlock(&r->lock);
	}
	return NULL;
}

struct router *
router_start(const struct config *cfg, const struct identity *id, struct writer *writer,
    void (*wake_senders)(void *), int (*voice)(void *), void *arg, char *err, size_t errlen)
{
	struct router *r = calloc(1, sizeof *r);
	if (!r) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	r->cfg = cfg;
	r->id = id;
	r->writer = writer;
	r->wake_senders = wake_senders;
	r->voice = voice;
	r->arg = arg;
	r->db = db_open(cfg->database, 0, err, errlen);
	if (!r->db) {
		free(r);
		return NULL;
	}
	pthread_mutex_init(&r->lock, NULL);
	pthread_cond_init(&r->cond, NULL);
	r->heartbeat = heartbeat_register("router", HEARTBEAT_ROUTER_S);
	if (pthread_create(&r->thread, NULL, router_main, r) != 0) {
		snprintf(err, errlen, "cannot start the router thread");
		heartbeat_unregister(r->heartbeat);
		db_close(r->db);
		free(r);
		return NULL;
	}
	return r;
}

void
router_wake(struct router *r)
{
	pthread_mutex_lock(&r->lock);
	r->woken = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
}

void
router_stats(struct router *r, struct router_stats *out)
{
	pthread_mutex_lock(&r->lock);
	*out = r->stats;
	pthread_mutex_unlock(&r->lock);
}

void
router_stop(struct router *r)
{
	if (!r)
		return;
	pthread_mutex_lock(&r->lock);
	r->stop = 1;
	pthread_cond_signal(&r->cond);
	pthread_mutex_unlock(&r->lock);
	pthread_join(r->thread, NULL);
	heartbeat_unregister(r->heartbeat);
	db_close(r->db);
	pthread_mutex_destroy(&r->lock);
	pthread_cond_destroy(&r->cond);
	free(r);
}
