/* modem — the modem thread: its loop, start/stop/wake, the health copy
 * other threads read, and the device watcher that aborts a gammu call
 * blocked on an unplugged device. See modem.h for the contract and
 * modem_internal.h for how the work is shared among the modem/ files.
 */
#include "modem/modem_internal.h"

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/identity.h"
#include "gateway/secretfile.h"
#include "modem/smscodec.h"

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
modem_set_fault(struct modem *m, enum modem_fault fault, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&m->lock);
	va_start(ap, fmt);
	vsnprintf(m->health.last_error, sizeof m->health.last_error, fmt, ap);
	va_end(ap);
	m->health.fault = fault;
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
		m->health.fault = MODEM_FAULT_NONE;
		m->health.down_since = 0;
		m->health.connected_since = (int64_t)time(NULL);
		if (m->connects > 1)
			m->health.reconnects++;
	} else {
		m->health.connected_since = 0;
		/* what was read while connected says nothing about now */
		m->health.signal_percent = -1;
		m->health.signal_dbm = 0;
		m->health.network[0] = '\0';
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
			modem_conn_drop(m, MODEM_FAULT_DEVICE_MISSING, "device missing (unplugged?)");
		if (m->incoming || now - m->last_poll >= m->mc->poll) {
			m->last_poll = now;
			modem_inbox_expire(m, now);      /* also while the modem is away */
			if (m->connected)
				modem_inbox_poll(m);
		}
		if (m->connected && now - m->last_status >= MODEM_STATUS_EVERY)
			modem_conn_status(m, now - m->last_status_log >= MODEM_STATUS_LOG_EVERY);
		int more = m->connected ? modem_send_due(m) : 0;
		if (m->connected && GSM_ReadDevice(m->s, FALSE) < 0)
			modem_conn_drop(m, MODEM_FAULT_NO_ANSWER, "the device closed");
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
	m->health.down_since = (int64_t)time(NULL);     /* down until it connects */
	m->health.fault = MODEM_FAULT_NO_ANSWER;
	snprintf(m->health.last_error, sizeof m->health.last_error, "not connected yet");
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

/* ------------------------------------------------------ --check-config */

int
modem_check_config(const struct modem_conf *mc, char *err, size_t errlen, char *warn,
    size_t warnlen)
{
	warn[0] = '\0';
	GSM_StateMachine *s = GSM_AllocStateMachine();
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	int rc = smscodec_configure(s, mc->name, mc->gammu_key, mc->gammu_value, mc->n_gammu, err,
	    errlen);
	GSM_FreeStateMachine(s);
	if (rc < 0)
		return -1;
	if (mc->pin_file) {
		/* read as the modem will read it when the SIM asks for its PIN */
		char pin[64], why[300];
		size_t len = 0;
		int r = secretfile_read("pin_file", mc->pin_file, 0, MODEM_PIN_MIN, pin, sizeof pin,
		    &len, NULL, why, sizeof why);
		identity_wipe(pin, sizeof pin);
		if (r < 0 || len > MODEM_PIN_MAX) {
			snprintf(err, errlen, "[modem %s] %s", mc->name, r < 0 ? why :
			    "pin_file: not a PIN of 4-8 digits");
			return -1;
		}
	}
	for (size_t i = 0; i < mc->n_gammu; i++) {
		const char *k = mc->gammu_key[i], *v = mc->gammu_value[i];
		struct stat st;
		if ((strcasecmp(k, "device") == 0 || strcasecmp(k, "port") == 0) && v[0] == '/' &&
		    stat(v, &st) < 0)
			snprintf(warn, warnlen, "[modem %s] device %s: %s (tinbaod waits for it and "
			    "reports the modem down meanwhile)", mc->name, v, strerror(errno));
		if (strcasecmp(k, "logfile") != 0 || !*v)
			continue;
		/* gammu opens it for writing at every connection: so do we, and
		 * take away what we made */
		int made = access(v, F_OK) < 0;
		int fd = open(v, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC | O_NOCTTY, 0600);
		if (fd < 0) {
			int e = errno;
			snprintf(err, errlen, "[modem %s] logfile %s: %s for uid %u: gammu could not "
			    "open it and the modem would stay down%s", mc->name, v, strerror(e),
			    (unsigned)geteuid(), e == EROFS ? " (under tinbaod.service only "
			    "/var/lib/tinbao, /var/log/tinbao and /run/tinbao are writable)" : "");
			return -1;
		}
		close(fd);
		if (made)
			unlink(v);
	}
	return 0;
}
