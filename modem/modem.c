/* modem — the modem thread: its loop, start/stop/wake, the health copy
 * other threads read, and the device watcher that aborts a gammu call
 * blocked on an unplugged device. See modem.h for the contract and
 * modem_internal.h for how the work is shared among the modem/ files.
 */
#include "modem/modem_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"

/* ------------------------------------------------------------- health */

void
modem_set_error(struct modem *m, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&m->lock);
	va_start(ap, fmt);
	vsnprintf(m->health.last_error, sizeof m->health.last_error, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&m->lock);
}

void
modem_count(struct modem *m, uint64_t *field)
{
	pthread_mutex_lock(&m->lock);
	(*field)++;
	pthread_mutex_unlock(&m->lock);
}

void
modem_set_connected(struct modem *m, int up)
{
	pthread_mutex_lock(&m->lock);
	m->health.connected = up;
	m->aborted_gone = 0;
	if (up) {
		m->health.last_error[0] = '\0';
		m->health.down_since = 0;
		m->health.connected_since = (int64_t)time(NULL);
		if (m->connects > 1)
			m->health.reconnects++;
	} else {
		m->health.connected_since = 0;
		if (!m->health.down_since)
			m->health.down_since = (int64_t)time(NULL);
	}
	m->health.next_connect = up ? 0 : (int64_t)m->next_connect;
	pthread_mutex_unlock(&m->lock);
}

void
modem_set_sim(struct modem *m, const char *state)
{
	pthread_mutex_lock(&m->lock);
	snprintf(m->health.sim, sizeof m->health.sim, "%s", state);
	pthread_mutex_unlock(&m->lock);
}

void
modem_health(struct modem *m, struct modem_health *out)
{
	pthread_mutex_lock(&m->lock);
	*out = m->health;
	pthread_mutex_unlock(&m->lock);
}

int
modem_stopping(struct modem *m)
{
	pthread_mutex_lock(&m->lock);
	int s = m->stop;
	pthread_mutex_unlock(&m->lock);
	return s;
}

void
modem_warn_once(struct modem *m, const char *msg)
{
	time_t now = time(NULL);
	if (strcmp(m->warned, msg) != 0 || now - m->warned_at >= MODEM_REPEAT_LOG) {
		log_warn(m->tag, "%s", msg);
		snprintf(m->warned, sizeof m->warned, "%s", msg);
		m->warned_at = now;
	} else {
		log_debug(m->tag, "%s", msg);
	}
}

/* ---------------------------------------------------------------- loop */

static void
wait_tick(struct modem *m, int ms)
{
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_nsec += (long)ms * 1000000L;
	ts.tv_sec += ts.tv_nsec / 1000000000L;
	ts.tv_nsec %= 1000000000L;
	pthread_mutex_lock(&m->lock);
	while (!m->woken && !m->stop)
		if (pthread_cond_timedwait(&m->cond, &m->lock, &ts) == ETIMEDOUT)
			break;
	m->woken = 0;
	pthread_mutex_unlock(&m->lock);
}

static void
run(struct modem *m)
{
	m->connect_failures = 0;
	while (!modem_stopping(m)) {
		heartbeat_beat(m->heartbeat);
		time_t now = time(NULL);
		if (!m->connected && modem_sim_pin_changed(m)) {
			log_notice(m->tag, "pin_file changed: connecting to try its PIN");
			m->next_connect = now;          /* a new PIN: try it now */
			m->connect_failures = 0;
			m->pin_waiting = 0;
		}
		if (!m->connected && now >= m->next_connect)
			modem_conn_open(m);
		if (m->connected && modem_conn_gone(m))
			modem_conn_drop(m, "the device is gone (unplugged?)");
		if (m->incoming || now - m->last_poll >= m->mc->poll) {
			m->last_poll = now;
			modem_inbox_expire(m, now);      /* also while the modem is away */
			if (m->connected)
				modem_inbox_poll(m);
		}
		if (m->connected && now - m->last_status >= MODEM_STATUS_EVERY)
			modem_conn_status(m, now - m->last_status_log >= MODEM_STATUS_LOG_EVERY);
		int more = m->connected ? modem_send_due(m) : 0;
		if (!more && m->connected)          /* a call goes once the SMS due are out */
			more = modem_call_due(m);
		if (m->connected && GSM_ReadDevice(m->s, FALSE) < 0)
			modem_conn_drop(m, "the device closed");
		if (!more && !m->incoming)
			wait_tick(m, MODEM_TICK_MS);
	}
}

static void *
modem_main(void *arg)
{
	struct modem *m = arg;
	char err[256] = "";
	pthread_setname_np(pthread_self(), "tb-modem");
	m->db = db_open(m->cfg->database, 0, err, sizeof err);
	int ok = m->db && modem_conn_new(m, err, sizeof err) == 0;
	pthread_mutex_lock(&m->lock);
	m->ready = ok ? 1 : -1;
	if (!ok)
		snprintf(m->start_err, sizeof m->start_err, "%s", err);
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (ok) {
		modem_sim_load(m);
		m->heartbeat = heartbeat_register(m->tag, HEARTBEAT_MODEM_S);
		run(m);
		heartbeat_unregister(m->heartbeat);
		if (m->connected) {
			log_notice(m->tag, "modem disconnected (stopping)");
			modem_conn_close(m);
		}
		modem_set_connected(m, 0);
	}
	modem_conn_free(m);
	db_close(m->db);
	m->db = NULL;
	return NULL;
}

/* A second thread watches the device path: a gammu call on a serial port
 * that hung up can block for a long time (the AT driver's retries), and the
 * modem thread cannot look while it is inside. When the node goes, the call
 * is aborted; the thread then drops the connection and its state machine. */
static void *
modem_watch(void *arg)
{
	struct modem *m = arg;
	pthread_mutex_lock(&m->lock);
	while (!m->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_sec += 1;
		pthread_cond_timedwait(&m->watch_cond, &m->lock, &ts);
		struct stat st;
		if (!m->stop && m->health.connected && m->s && !m->aborted_gone &&
		    m->device[0] == '/' && stat(m->device, &st) < 0 && errno == ENOENT) {
			GSM_AbortOperation(m->s);
			m->aborted_gone = 1;
		}
	}
	pthread_mutex_unlock(&m->lock);
	return NULL;
}

struct modem *
modem_start(const struct config *cfg, const struct modem_conf *mc, struct writer *w,
    const struct identity *id, char *err, size_t errlen)
{
	struct modem *m = calloc(1, sizeof *m);
	if (!m) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	m->cfg = cfg;
	m->mc = mc;
	m->writer = w;
	m->id = id;
	snprintf(m->tag, sizeof m->tag, "modem %s", mc->name);
	m->ref = (unsigned char)(time(NULL) ^ getpid());
	m->health.signal_percent = -1;
	m->voice = m->health.voice = 1;        /* modem_call_init() says otherwise */
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	pthread_cond_init(&m->watch_cond, NULL);
	if (pthread_create(&m->thread, NULL, modem_main, m) != 0) {
		snprintf(err, errlen, "cannot start the modem thread");
		pthread_mutex_destroy(&m->lock);
		pthread_cond_destroy(&m->cond);
		pthread_cond_destroy(&m->watch_cond);
		free(m);
		return NULL;
	}
	/* the thread opens its own database connection and state machine */
	pthread_mutex_lock(&m->lock);
	while (!m->ready)
		pthread_cond_wait(&m->cond, &m->lock);
	int ok = m->ready > 0;
	pthread_mutex_unlock(&m->lock);
	if (!ok) {
		snprintf(err, errlen, "%s", m->start_err);
		pthread_join(m->thread, NULL);
		pthread_mutex_destroy(&m->lock);
		pthread_cond_destroy(&m->cond);
		pthread_cond_destroy(&m->watch_cond);
		free(m);
		return NULL;
	}
	m->watching = pthread_create(&m->watch, NULL, modem_watch, m) == 0;
	if (!m->watching)
		log_warn(m->tag, "no device watcher thread: an unplugged modem is noticed later");
	return m;
}

void
modem_wake(struct modem *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->woken = 1;
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
}

void
modem_hang_up_at_connect(struct modem *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->hangup_first = 1;
	pthread_mutex_unlock(&m->lock);
	modem_wake(m);
}

void
modem_stop(struct modem *m)
{
	if (!m)
		return;
	pthread_mutex_lock(&m->lock);
	m->stop = 1;
	pthread_cond_broadcast(&m->cond);
	pthread_cond_broadcast(&m->watch_cond);
	pthread_mutex_unlock(&m->lock);
	if (m->watching)
		pthread_join(m->watch, NULL);
	struct timespec ts;
	clock_gettime(CLOCK_REALTIME, &ts);
	ts.tv_sec += MODEM_STOP_GRACE;
	if (pthread_timedjoin_np(m->thread, NULL, &ts) != 0) {
		/* blocked in gammu (an AT exchange can take 30 s): the one
		 * call documented as safe from another thread */
		pthread_mutex_lock(&m->lock);
		if (m->s)
			GSM_AbortOperation(m->s);
		pthread_mutex_unlock(&m->lock);
		log_warn(m->tag, "aborting a modem operation to stop");
		pthread_join(m->thread, NULL);
	}
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cond);
	pthread_cond_destroy(&m->watch_cond);
	free(m);
}
