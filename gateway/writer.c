/* writer — see writer.h. */
#include "gateway/writer.h"

#include <assert.h>
#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/metrics.h"

#define TAG "writer"
/* While admissions fail, a locked database is given this long, not the
 * usual DB_BUSY_TIMEOUT_MS: a webhook then gets its 503 well within Zalo's
 * two seconds instead of queueing behind 5 s waits. */
#define WRITER_FAILING_BUSY_MS 300
/* Past this many admitted messages not yet routed, the writer waits for the
 * router before it commits more (at most WRITER_THROTTLE_MS a batch): a
 * burst is taken as fast as it can be routed, and the answers wait a little
 * instead of tips waiting unseen. */
#define WRITER_UNROUTED_MAX 2048
#define WRITER_THROTTLE_MS 100

struct pending {
	const struct admission *a;
	int done;
	int result;
	pthread_cond_t cond;       /* its caller waits here: a commit wakes only its own */
	struct pending *next;
};

struct writer {
	struct db *db;
	pthread_t thread;          /* the one thread that writes through db */
	pthread_mutex_t lock;
	pthread_cond_t work;       /* writer waits: queue not empty or stop */
	pthread_cond_t done;       /* the router waits: a batch was committed (give way) */
	pthread_cond_t room;       /* callers wait: queue below its bound */
	struct pending *head, *tail;
	size_t queued;
	_Atomic size_t pending;    /* queued, or in the batch being committed */
	uint64_t turns;            /* batches finished (under lock) */
	pthread_cond_t routed;     /* the writer waits: the router committed a batch */
	uint64_t routed_turns;     /* router batches committed (under lock) */
	_Atomic int throttled;     /* waiting for the router: it need not give way */
	int64_t unrouted;          /* admitted, not routed, at the last commit */
	int stop;
	void (*on_commit)(void *);
	void *arg;
	struct writer_stats stats;
	_Atomic int failing;       /* log a database failure once, and its recovery */
	int heartbeat;
};

static int
admit_one(struct db *db, const struct admission *a)
{
	if (a->admit)
		return a->admit(db, a);
	int r = db_inbound_insert_kind(db, a->kind, a->chat, a->channel, a->channel_msg_id, a->via,
	    a->sender_sealed, a->sender_sealed_len, a->pseudonym, a->text, a->received_at,
	    a->source_time);
	for (size_t i = 0; r >= 0 && i < a->n_attachments; i++)
		if (db_attachment_add(db, a->channel, a->channel_msg_id, a->attachment_kinds[i],
		    a->attachment_urls[i], a->received_at) < 0)
			r = -1;
	return r;
}

/* Commit a batch; returns the number of new rows, -1 if the batch failed. */
static int
commit_batch(struct writer *w, struct pending *batch)
{
	int fresh = 0;
	/* admissions are committed by the writer's own thread only: its
	 * connection is never used by another */
	assert(pthread_equal(pthread_self(), w->thread));
	if (db_begin(w->db) < 0)
		return -1;
	for (struct pending *p = batch; p; p = p->next) {
		int r = admit_one(w->db, p->a);
		if (r < 0) {
			db_rollback(w->db);
			return -1;
		}
		fresh += r;
	}
	int64_t todo = 0;
	if (db_inbound_unrouted(w->db, &todo) == 0)
		w->unrouted = todo;
	if (db_commit(w->db) < 0)
		return -1;
	return fresh;
}

/* Too much admitted and not yet routed: wait for the router's next commit
 * (or WRITER_THROTTLE_MS). Called with the lock held. */
static void
wait_for_router(struct writer *w)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += WRITER_THROTTLE_MS * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	uint64_t turn = w->routed_turns;
	atomic_store(&w->throttled, 1);
	while (w->routed_turns == turn && !w->stop)
		if (pthread_cond_timedwait(&w->routed, &w->lock, &until) == ETIMEDOUT)
			break;
	atomic_store(&w->throttled, 0);
}

static void *
writer_main(void *arg)
{
	struct writer *w = arg;
	pthread_setname_np(pthread_self(), "tb-writer");
	pthread_mutex_lock(&w->lock);
	for (;;) {
		heartbeat_beat(w->heartbeat);
		while (!w->head && !w->stop) {
			struct timespec ts;
			clock_gettime(CLOCK_REALTIME, &ts);
			ts.tv_sec += 1;          /* report in while idle */
			if (pthread_cond_timedwait(&w->work, &w->lock, &ts) == ETIMEDOUT)
				break;
		}
		if (!w->head && !w->stop)
			continue;
		if (!w->head && w->stop)
			break;
		/* Take up to WRITER_BATCH_MAX waiting admissions. */
		struct pending *batch = w->head, *last = w->head;
		size_t n = 1;
		while (last->next && n < WRITER_BATCH_MAX) {
			last = last->next;
			n++;
		}
		w->head = last->next;
		if (!w->head)
			w->tail = NULL;
		last->next = NULL;
		w->queued -= n;
		pthread_cond_broadcast(&w->room);
		pthread_mutex_unlock(&w->lock);

		int fresh = commit_batch(w, batch);
		if (fresh < 0 && !w->failing) {
			log_error(TAG, "admission failed, sources will retry: %s", db_errmsg(w->db));
			db_busy_timeout(w->db, WRITER_FAILING_BUSY_MS);
			atomic_store(&w->failing, 1);
		} else if (fresh >= 0 && w->failing) {
			log_notice(TAG, "admissions are being committed again");
			db_busy_timeout(w->db, DB_BUSY_TIMEOUT_MS);
			atomic_store(&w->failing, 0);
		}

		pthread_mutex_lock(&w->lock);
		atomic_fetch_sub(&w->pending, n);
		w->turns++;
		if (fresh >= 0) {
			w->stats.commits++;
			w->stats.admissions += n;
			if (n > w->stats.max_batch)
				w->stats.max_batch = n;
		}
		for (struct pending *p = batch; p;) {
			struct pending *next = p->next;   /* p lives on a caller's stack */
			p->result = fresh < 0 ? -1 : 0;
			p->done = 1;
			/* the caller wakes only once we let go of the lock: p
			 * and its cond stay until then */
			pthread_cond_signal(&p->cond);
			p = next;
		}
		pthread_cond_broadcast(&w->done);
		if (fresh > 0 && w->on_commit) {
			pthread_mutex_unlock(&w->lock);
			w->on_commit(w->arg);
			pthread_mutex_lock(&w->lock);
		}
		if (fresh >= 0 && w->unrouted > WRITER_UNROUTED_MAX)
			wait_for_router(w);
	}
	pthread_mutex_unlock(&w->lock);
	return NULL;
}

struct writer *
writer_start(const char *dbpath, void (*on_commit)(void *), void *arg, char *err, size_t errlen)
{
	struct writer *w = calloc(1, sizeof *w);
	if (!w) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	w->db = db_open(dbpath, 0, err, errlen);
	if (!w->db) {
		free(w);
		return NULL;
	}
	db_autocheckpoint(w->db, 0);    /* the router's commits copy the WAL back */
	w->on_commit = on_commit;
	w->arg = arg;
	pthread_mutex_init(&w->lock, NULL);
	pthread_cond_init(&w->work, NULL);
	pthread_cond_init(&w->done, NULL);
	pthread_cond_init(&w->room, NULL);
	pthread_cond_init(&w->routed, NULL);
	w->heartbeat = heartbeat_register("writer", HEARTBEAT_WRITER_S);
	if (pthread_create(&w->thread, NULL, writer_main, w) != 0) {
		snprintf(err, errlen, "cannot start the writer thread");
		heartbeat_unregister(w->heartbeat);
		db_close(w->db);
		free(w);
		return NULL;
	}
	return w;
}

int
writer_admit(struct writer *w, const struct admission *a)
{
	struct pending p = { .a = a };
	pthread_cond_init(&p.cond, NULL);
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pthread_mutex_lock(&w->lock);
	while (w->queued >= WRITER_QUEUE_MAX && !w->stop)
		pthread_cond_wait(&w->room, &w->lock);
	if (w->stop) {
		pthread_mutex_unlock(&w->lock);
		pthread_cond_destroy(&p.cond);
		return -1;
	}
	/* p stays on this stack until the writer has set p.done: we wait below */
	if (w->tail)
		w->tail->next = &p;
	else
		w->head = &p;     // cppcheck-suppress autoVariables
	w->tail = &p;             // cppcheck-suppress autoVariables
	w->queued++;
	atomic_fetch_add(&w->pending, 1);
	pthread_cond_signal(&w->work);
	while (!p.done)
		pthread_cond_wait(&p.cond, &w->lock);
	pthread_mutex_unlock(&w->lock);
	pthread_cond_destroy(&p.cond);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	metrics_admission((double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
	    p.result == 0);
	return p.result;
}

int
writer_admit_many(struct writer *w, const struct admission *const *a, size_t n, int *results)
{
	if (n == 0)
		return 0;
	struct pending *p = calloc(n, sizeof *p);
	if (!p) {
		for (size_t i = 0; i < n; i++)
			results[i] = -1;
		return -1;
	}
	struct timespec t0, t1;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	size_t queued = 0;
	pthread_mutex_lock(&w->lock);
	for (; queued < n; queued++) {
		while (w->queued >= WRITER_QUEUE_MAX && !w->stop)
			pthread_cond_wait(&w->room, &w->lock);
		if (w->stop)
			break;
		p[queued].a = a[queued];
		pthread_cond_init(&p[queued].cond, NULL);
		if (w->tail)
			w->tail->next = &p[queued];
		else
			w->head = &p[queued];
		w->tail = &p[queued];
		w->queued++;
		atomic_fetch_add(&w->pending, 1);
		pthread_cond_signal(&w->work);
	}
	int rc = queued == n ? 0 : -1;
	for (size_t i = 0; i < queued; i++) {
		while (!p[i].done)
			pthread_cond_wait(&p[i].cond, &w->lock);
	}
	pthread_mutex_unlock(&w->lock);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	double secs = (double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9;
	for (size_t i = 0; i < n; i++) {
		results[i] = i < queued ? p[i].result : -1;
		rc |= results[i];
		if (i < queued) {
			pthread_cond_destroy(&p[i].cond);
			metrics_admission(secs, results[i] == 0);
		}
	}
	free(p);
	return rc < 0 ? -1 : 0;
}

int
writer_pending(struct writer *w)
{
	return atomic_load(&w->pending) > 0 && !atomic_load(&w->throttled);
}

void
writer_routed(struct writer *w)
{
	pthread_mutex_lock(&w->lock);
	w->routed_turns++;
	pthread_cond_broadcast(&w->routed);
	pthread_mutex_unlock(&w->lock);
}

void
writer_give_way(struct writer *w, int max_ms)
{
	struct timespec until;
	clock_gettime(CLOCK_REALTIME, &until);
	until.tv_nsec += (long)max_ms * 1000000L;
	until.tv_sec += until.tv_nsec / 1000000000L;
	until.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&w->lock);
	uint64_t turn = w->turns;
	while (atomic_load(&w->pending) > 0 && w->turns == turn && !w->stop)
		if (pthread_cond_timedwait(&w->done, &w->lock, &until) == ETIMEDOUT)
			break;
	pthread_mutex_unlock(&w->lock);
}

int
writer_failing(struct writer *w)
{
	return atomic_load(&w->failing);
}

void
writer_stats(struct writer *w, struct writer_stats *out)
{
	pthread_mutex_lock(&w->lock);
	*out = w->stats;
	pthread_mutex_unlock(&w->lock);
}

void
writer_stop(struct writer *w)
{
	if (!w)
		return;
	pthread_mutex_lock(&w->lock);
	w->stop = 1;          /* queued admissions are still committed first */
	pthread_cond_broadcast(&w->work);
	pthread_cond_broadcast(&w->room);
	pthread_cond_broadcast(&w->routed);
	pthread_mutex_unlock(&w->lock);
	pthread_join(w->thread, NULL);
	heartbeat_unregister(w->heartbeat);
	db_close(w->db);
	pthread_mutex_destroy(&w->lock);
	pthread_cond_destroy(&w->work);
	pthread_cond_destroy(&w->done);
	pthread_cond_destroy(&w->room);
	pthread_cond_destroy(&w->routed);
	free(w);
}
