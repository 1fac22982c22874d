/* modem_conn — the modem's connection: a fresh gammu state machine for
 * each attempt, connecting and reconnecting with back-off (never giving
 * up), what each gammu error means (a soft failure, or the connection is
 * lost), the unplugged-device check, and the signal and network status
 * read at connect and every MODEM_STATUS_EVERY seconds. Modem thread only.
 */
#include "modem/modem_internal.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>

#include "gateway/backoff.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "modem/smscodec.h"

/* ---------------------------------------------------------- callbacks */

/* Callbacks run inside gammu's dispatch, on this thread: record, never call
 * gammu from here. */
static void
on_incoming(GSM_StateMachine *s, GSM_SMSMessage *sms, void *user)
{
	(void)s;
	(void)sms;
	((struct modem *)user)->incoming = 1;
}

static void
on_send_status(GSM_StateMachine *s, int status, int mr, void *user)
{
	struct modem *m = user;
	(void)s;
	m->send_status = status;
	m->send_mr = mr;
}

/* ------------------------------------------------------ state machine */

int
modem_conn_new(struct modem *m, char *err, size_t errlen)
{
	GSM_StateMachine *s = GSM_AllocStateMachine();
	if (!s) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	if (smscodec_configure(s, m->mc->name, m->mc->gammu_key, m->mc->gammu_value,
	    m->mc->n_gammu, err, errlen) < 0) {
		GSM_FreeStateMachine(s);
		return -1;
	}
	const GSM_Config *c = GSM_GetConfig(s, 0);
	pthread_mutex_lock(&m->lock);
	m->s = s;
	snprintf(m->device, sizeof m->device, "%s", c && c->Device ? c->Device : "");
	pthread_mutex_unlock(&m->lock);
	modem_call_init(m);
	return 0;
}

void
modem_conn_free(struct modem *m)
{
	pthread_mutex_lock(&m->lock);
	GSM_StateMachine *s = m->s;
	m->s = NULL;
	pthread_mutex_unlock(&m->lock);
	if (s)
		GSM_FreeStateMachine(s);
}

/* Close the device and the debug file (a failed init leaves the debug file
 * open, and the next init would lose the handle). */
void
modem_conn_close(struct modem *m)
{
	GSM_TerminateConnection(m->s);
	GSM_SetDebugFileDescriptor(NULL, FALSE, GSM_GetDebug(m->s));
}

static void
schedule_connect(struct modem *m, time_t now)
{
	m->connect_failures++;
	m->next_connect = now + backoff_delay(1, MODEM_BACKOFF_MAX, m->connect_failures);
	pthread_mutex_lock(&m->lock);
	m->health.next_connect = (int64_t)m->next_connect;
	if (!m->health.down_since)
		m->health.down_since = (int64_t)now;
	pthread_mutex_unlock(&m->lock);
}

/* A device given as a path (a serial port, a USB modem's tty, the dummy
 * driver's directory) that no longer exists means the modem was unplugged:
 * the kernel removes the node, and some drivers (gammu's dummy, an AT port
 * between writes) would not report it until much later or never. */
int
modem_conn_gone(struct modem *m)
{
	const GSM_Config *c = GSM_GetConfig(m->s, 0);
	const char *dev = c ? c->Device : NULL;
	struct stat st;
	return dev && dev[0] == '/' && stat(dev, &st) < 0 && errno == ENOENT;
}

/* The configured device path (a copy taken under the lock). */
static void
device_path(struct modem *m, char *out, size_t outsz)
{
	pthread_mutex_lock(&m->lock);
	snprintf(out, outsz, "%s", m->device);
	pthread_mutex_unlock(&m->lock);
}

enum modem_fault
modem_conn_explain(struct modem *m, GSM_Error e, char *out, size_t outsz)
{
	char dev[256];
	struct stat st;
	device_path(m, dev, sizeof dev);
	/* gammu's dummy driver says "no permission" for a missing directory,
	 * and a serial port's ENOENT may come back as an open error: look */
	if ((dev[0] == '/' && stat(dev, &st) < 0 && errno == ENOENT) || e == ERR_DEVICENOTEXIST) {
		snprintf(out, outsz, "device missing: %s (unplugged?)", dev);
		return MODEM_FAULT_DEVICE_MISSING;
	}
	switch (e) {
	case ERR_DEVICENOPERMISSION:
		snprintf(out, outsz, "permission denied: %s (is the service user in its group, "
		    "dialout?)", dev);
		return MODEM_FAULT_PERMISSION;
	case ERR_DEVICELOCKED: case ERR_DEVICEBUSY:
		snprintf(out, outsz, "device busy: another program holds %s (ModemManager?)", dev);
		return MODEM_FAULT_BUSY;
	case ERR_TIMEOUT: case ERR_DEVICENOTWORK: case ERR_NOTCONNECTED: case ERR_DEVICEREADERROR:
	case ERR_DEVICEWRITEERROR:
		snprintf(out, outsz, "no answer from the modem on %s (%s)", dev, GSM_ErrorName(e));
		return MODEM_FAULT_NO_ANSWER;
	case ERR_CANTOPENFILE:
		snprintf(out, outsz, "gammu cannot open its logfile (logfile = in [modem %s]): "
		    "this user may not write it", m->mc->name);
		return MODEM_FAULT_OTHER;
	case ERR_SECURITYERROR: case ERR_NOSIM:
		snprintf(out, outsz, "SIM not ready: %s", GSM_ErrorString(e));
		return MODEM_FAULT_SIM;
	default:
		snprintf(out, outsz, "%s (%s)", GSM_ErrorString(e), GSM_ErrorName(e));
		return MODEM_FAULT_OTHER;
	}
}

void
modem_conn_drop(struct modem *m, enum modem_fault fault, const char *why)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&m->lock);
	if (m->aborted_gone) {
		why = "device missing (unplugged?)";
		fault = MODEM_FAULT_DEVICE_MISSING;
	}
	pthread_mutex_unlock(&m->lock);
	if (m->connected && modem_stopping(m)) {
		log_notice(m->tag, "modem disconnected (stopping: %s)", why);
	} else if (m->connected) {
		log_error(m->tag, "modem lost (%s); reconnecting with back-off, messages wait in "
		    "the database", why);
		m->down_logged = 1;
		if (now - m->connected_at >= MODEM_STABLE)
			m->connect_failures = 0;  /* a flapping modem keeps backing off */
	}
	m->connected = 0;
	m->smsc_state = 0;
	m->timeouts = 0;
	/* the reason and the next try first: /healthz must never show the
	 * modem down without them (closing can take a while) */
	modem_set_fault(m, fault, "%s", why);
	schedule_connect(m, now);
	modem_set_connected(m, 0);
	modem_conn_close(m);
	/* a fresh state machine for the next connection: an aborted one stays
	 * poisoned, and drivers keep stale handles across a failed init (the
	 * dummy driver closes its log again: a double free) */
	if (!modem_stopping(m))
		modem_conn_free(m);
}

/* Errors after which the connection is not worth keeping (ERR_TIMEOUT
 * only when it repeats). */
int
modem_conn_lost(GSM_Error e)
{
	switch (e) {
	case ERR_DEVICEOPENERROR: case ERR_DEVICELOCKED: case ERR_DEVICENOTEXIST:
	case ERR_DEVICEBUSY: case ERR_DEVICENOPERMISSION: case ERR_DEVICENODRIVER:
	case ERR_DEVICENOTWORK: case ERR_DEVICEDTRRTSERROR: case ERR_DEVICECHANGESPEEDERROR:
	case ERR_DEVICEWRITEERROR: case ERR_DEVICEREADERROR: case ERR_DEVICEPARITYERROR:
	case ERR_NOTCONNECTED: case ERR_ABORTED: case ERR_TIMEOUT:
		return 1;
	default:
		return 0;
	}
}

/* What a gammu error means for us; logs and acts on it. */
enum verdict
modem_conn_verdict(struct modem *m, const char *what, GSM_Error e)
{
	char msg[160];
	if (e == ERR_NONE || e == ERR_EMPTY) {
		m->timeouts = 0;
		return e == ERR_NONE ? GM_OK : GM_EMPTY;
	}
	if (!modem_conn_lost(e) || (e == ERR_TIMEOUT && ++m->timeouts < MODEM_TIMEOUTS_LOST)) {
		if (e == ERR_TIMEOUT)
			snprintf(msg, sizeof msg, "%s: no answer from the modem (%d in a row)", what,
			    m->timeouts);
		else
			snprintf(msg, sizeof msg, "%s: %s (%s)", what, GSM_ErrorString(e),
			    GSM_ErrorName(e));
		modem_warn_once(m, msg);
		modem_set_error(m, "%s: %s", what, GSM_ErrorName(e));
		return GM_SOFT;
	}
	char why[160];
	enum modem_fault fault = modem_conn_explain(m, e, why, sizeof why);
	snprintf(msg, sizeof msg, "%s: %s", what, why);
	modem_conn_drop(m, fault, msg);
	return GM_LOST;
}

/* ------------------------------------------------------------- status */

void
modem_conn_status(struct modem *m, int to_log)
{
	GSM_SignalQuality sig;
	GSM_NetworkInfo net;
	memset(&sig, 0, sizeof sig);
	memset(&net, 0, sizeof net);
	m->last_status = time(NULL);
	/* informational: only a lost connection matters here */
	GSM_Error e1 = GSM_GetSignalQuality(m->s, &sig);
	if (modem_conn_lost(e1) && modem_conn_verdict(m, "signal quality", e1) == GM_LOST)
		return;
	GSM_Error e2 = GSM_GetNetworkInfo(m->s, &net);
	if (modem_conn_lost(e2) && modem_conn_verdict(m, "network info", e2) == GM_LOST)
		return;
	if (e1 == ERR_NONE || e2 == ERR_NONE)
		m->timeouts = 0;
	if (e1 != ERR_NONE || e2 != ERR_NONE)
		log_debug(m->tag, "signal quality: %s, network info: %s", GSM_ErrorName(e1),
		    GSM_ErrorName(e2));
	char name[64] = "";
	if (e2 == ERR_NONE)
		smscodec_network(&net, name, sizeof name);
	pthread_mutex_lock(&m->lock);
	m->health.signal_percent = e1 == ERR_NONE ? sig.SignalPercent : -1;
	m->health.signal_dbm = e1 == ERR_NONE ? sig.SignalStrength : 0;
	snprintf(m->health.network, sizeof m->health.network, "%s", name);
	pthread_mutex_unlock(&m->lock);
	if (to_log) {
		m->last_status_log = m->last_status;
		if (e1 == ERR_NONE)
			log_info(m->tag, "signal %d%% (%d dBm), network %s", sig.SignalPercent,
			    sig.SignalStrength, name[0] ? name : "unknown");
		else
			log_info(m->tag, "signal unknown, network %s", name[0] ? name : "unknown");
	}
}

/* ------------------------------------------------------------ connect */

void
modem_conn_open(struct modem *m)
{
	char err[256];
	time_t now = time(NULL);
	if (!m->s && modem_conn_new(m, err, sizeof err) < 0) {
		if (!m->down_logged)
			log_error(m->tag, "%s", err);
		m->down_logged = 1;
		modem_set_fault(m, MODEM_FAULT_OTHER, "%s", err);
		schedule_connect(m, now);
		return;
	}
	/* no log function: one would replace the section's logfile */
	GSM_Error e = GSM_InitConnection_Log(m->s, 2, NULL, NULL);
	if (e != ERR_NONE) {
		char why[200];
		enum modem_fault fault = modem_conn_explain(m, e, why, sizeof why);
		modem_set_fault(m, fault, "%s", why);
		if (!m->down_logged)
			log_error(m->tag, "cannot connect to the modem: %s; retrying with back-off "
			    "up to %ds", why, MODEM_BACKOFF_MAX);
		else
			log_debug(m->tag, "still cannot connect: %s (try %d)", why,
			    m->connect_failures + 1);
		m->down_logged = 1;
		modem_conn_close(m);
		if (!modem_stopping(m))
			modem_conn_free(m);    /* as in modem_conn_drop() */
		schedule_connect(m, now);
		return;
	}
	/* the SIM first: nothing works on a SIM that waits for its PIN */
	if (modem_sim_unlock(m) < 0) {
		m->down_logged = 1;
		modem_conn_close(m);
		if (!modem_stopping(m))
			modem_conn_free(m);
		schedule_connect(m, now);
		return;
	}
	/* init reset every callback: register them after each connection */
	GSM_SetIncomingSMSCallback(m->s, on_incoming, m);
	GSM_SetSendSMSStatusCallback(m->s, on_send_status, m);
	e = GSM_SetIncomingSMS(m->s, TRUE);
	m->connected = 1;
	m->connects++;
	m->connected_at = now;
	m->timeouts = 0;
	m->down_logged = 0;
	m->smsc_state = 0;
	m->incoming = 1;          /* read what arrived while we were away */
	modem_set_connected(m, 1);
	char manufacturer[GSM_MAX_MANUFACTURER_LENGTH + 1] = "";
	char model[GSM_MAX_MODEL_LENGTH + 1] = "";
	GSM_GetManufacturer(m->s, manufacturer);
	GSM_GetModel(m->s, model);
	log_notice(m->tag, "modem connected: %s %s%s", manufacturer, model,
	    e == ERR_NONE ? "" : " (no new-message notifications: polling only)");
	pthread_mutex_lock(&m->lock);
	snprintf(m->health.model, sizeof m->health.model, "%s%s%s", manufacturer,
	    *manufacturer && *model ? " " : "", model);
	pthread_mutex_unlock(&m->lock);
	modem_call_connected(m);          /* may drop the connection (a failed hang-up) */
	if (m->connected)
		modem_conn_status(m, 1);
}
