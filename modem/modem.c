/* modem — see modem.h. With smscodec.c, the only file that includes <gammu.h>.
 *
 * Everything below `struct modem`'s "thread only" line belongs to the modem
 * thread; the mutex guards the wake/stop flags, the health copy and the
 * state machine pointer (so that modem_stop may abort a blocked call). gammu
 * calls its callbacks on this thread, inside our own gammu calls: they only
 * set flags.
 */
#include "modem/modem.h"

#include <errno.h>
#include <gammu.h>
#include <limits.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db/db.h"
#include "gateway/backoff.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "gateway/text.h"
#include "gateway/writer.h"
#include "modem/smscodec.h"

#define MODEM_BACKOFF_MAX 60          /* seconds between connection attempts, at most */
#define MODEM_STABLE 60               /* a connection that lasted this long resets the back-off */
#define MODEM_STATUS_EVERY 60         /* signal + network read (a keep-alive too) */
#define MODEM_STATUS_LOG_EVERY 300    /* ... and written to the log */
#define MODEM_SCAN_MAX 500            /* messages read in one poll, at most */
#define MODEM_SENDS_PER_TICK 8        /* then look at the inbox again */
#define MODEM_TIMEOUTS_LOST 3         /* timeouts in a row that mean the modem is gone */
#define MODEM_TICK_MS 1000            /* idle wait between looks at the device */
#define MODEM_TURN_MS 100             /* pause after a send when other modems could send */
#define MODEM_STOP_GRACE 3            /* seconds modem_stop waits before aborting gammu */
#define MODEM_REPEAT_LOG 300          /* the same warning again only after this long */
#define MODEM_SMSC_LOCATION 1
#define SEND_PENDING INT_MIN

enum verdict { GM_OK, GM_EMPTY, GM_SOFT, GM_LOST };

struct modem {
	const struct config *cfg;
	const struct modem_conf *mc;
	struct writer *writer;
	const struct identity *id;
	char tag[48];
	int heartbeat;                /* heartbeat slot, from the thread itself */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int woken, stop;
	int ready;                     /* start handshake: 1 running, -1 failed */
	char start_err[256];
	struct modem_health health;
	GSM_StateMachine *s;           /* written under lock, by the thread only */
	char device[256];              /* the configured device path, under lock */
	int aborted_gone;              /* the watcher aborted a call: device gone */
	pthread_t watch;
	pthread_cond_t watch_cond;
	int watching;

	/* thread only */
	struct db *db;
	int connected;
	int connects;
	time_t connected_at, next_connect;
	int connect_failures;             /* in a row: the reconnect back-off */
	int down_logged;               /* "cannot connect" said for this outage */
	int incoming;                  /* set by the +CMTI callback: poll now */
	int send_status, send_mr;      /* set by the send-status callback */
	int timeouts;                  /* ERR_TIMEOUT in a row */
	int smsc_state;                /* per connection: 0 not asked, 1 have, -1 none */
	GSM_SMSC smsc;
	unsigned char ref;             /* our concatenation reference */
	time_t last_poll, last_status, last_status_log;
	int admit_failing, db_failing, expire_failing;   /* log once per streak */
	char warned[128];
	time_t warned_at;
};

/* ------------------------------------------------------------- health */

static void
set_error(struct modem *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void
set_error(struct modem *m, const char *fmt, ...)
{
	va_list ap;
	pthread_mutex_lock(&m->lock);
	va_start(ap, fmt);
	vsnprintf(m->health.last_error, sizeof m->health.last_error, fmt, ap);
	va_end(ap);
	pthread_mutex_unlock(&m->lock);
}

static void
count(struct modem *m, uint64_t *field)
{
	pthread_mutex_lock(&m->lock);
	(*field)++;
	pthread_mutex_unlock(&m->lock);
}

static void
set_connected(struct modem *m, int up)
{
	pthread_mutex_lock(&m->lock);
	m->health.connected = up;
	m->aborted_gone = 0;
	if (up) {
		m->health.last_error[0] = '\0';
		m->health.down_since = 0;
		if (m->connects > 1)
			m->health.reconnects++;
	} else if (!m->health.down_since) {
		m->health.down_since = (int64_t)time(NULL);
	}
	m->health.next_connect = up ? 0 : (int64_t)m->next_connect;
	pthread_mutex_unlock(&m->lock);
}

void
modem_health(struct modem *m, struct modem_health *out)
{
	pthread_mutex_lock(&m->lock);
	*out = m->health;
	pthread_mutex_unlock(&m->lock);
}

static int
stopping(struct modem *m)
{
	pthread_mutex_lock(&m->lock);
	int s = m->stop;
	pthread_mutex_unlock(&m->lock);
	return s;
}

/* A warning that may repeat every poll: logged when it changes, then at
 * most every MODEM_REPEAT_LOG seconds; debug in between. */
static void
warn_once(struct modem *m, const char *msg)
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

static int
new_state_machine(struct modem *m, char *err, size_t errlen)
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
	return 0;
}

static void
free_state_machine(struct modem *m)
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
static void
close_device(struct modem *m)
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
static int
device_gone(struct modem *m)
{
	const GSM_Config *c = GSM_GetConfig(m->s, 0);
	const char *dev = c ? c->Device : NULL;
	struct stat st;
	return dev && dev[0] == '/' && stat(dev, &st) < 0 && errno == ENOENT;
}

static void
drop_connection(struct modem *m, const char *why)
{
	time_t now = time(NULL);
	pthread_mutex_lock(&m->lock);
	if (m->aborted_gone)
		why = "the device is gone (unplugged?)";
	pthread_mutex_unlock(&m->lock);
	if (m->connected && stopping(m)) {
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
	set_connected(m, 0);
	set_error(m, "%s", why);
	close_device(m);
	/* a fresh state machine for the next connection: an aborted one stays
	 * poisoned, and drivers keep stale handles across a failed init (the
	 * dummy driver closes its log again: a double free) */
	if (!stopping(m))
		free_state_machine(m);
	schedule_connect(m, now);
}

/* Errors after which the connection is not worth keeping (ERR_TIMEOUT
 * only when it repeats). */
static int
connection_error(GSM_Error e)
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
static enum verdict
verdict(struct modem *m, const char *what, GSM_Error e)
{
	char msg[160];
	if (e == ERR_NONE || e == ERR_EMPTY) {
		m->timeouts = 0;
		return e == ERR_NONE ? GM_OK : GM_EMPTY;
	}
	if (!connection_error(e) || (e == ERR_TIMEOUT && ++m->timeouts < MODEM_TIMEOUTS_LOST)) {
		if (e == ERR_TIMEOUT)
			snprintf(msg, sizeof msg, "%s: no answer from the modem (%d in a row)", what,
			    m->timeouts);
		else
			snprintf(msg, sizeof msg, "%s: %s (%s)", what, GSM_ErrorString(e),
			    GSM_ErrorName(e));
		warn_once(m, msg);
		set_error(m, "%s: %s", what, GSM_ErrorName(e));
		return GM_SOFT;
	}
	snprintf(msg, sizeof msg, "%s: %s", what, GSM_ErrorString(e));
	drop_connection(m, msg);
	return GM_LOST;
}

/* ------------------------------------------------------------- status */

static void
read_status(struct modem *m, int to_log)
{
	GSM_SignalQuality sig;
	GSM_NetworkInfo net;
	memset(&sig, 0, sizeof sig);
	memset(&net, 0, sizeof net);
	m->last_status = time(NULL);
	/* informational: only a lost connection matters here */
	GSM_Error e1 = GSM_GetSignalQuality(m->s, &sig);
	if (connection_error(e1) && verdict(m, "signal quality", e1) == GM_LOST)
		return;
	GSM_Error e2 = GSM_GetNetworkInfo(m->s, &net);
	if (connection_error(e2) && verdict(m, "network info", e2) == GM_LOST)
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

static void
connect_modem(struct modem *m)
{
	char err[256];
	time_t now = time(NULL);
	if (!m->s && new_state_machine(m, err, sizeof err) < 0) {
		if (!m->down_logged)
			log_error(m->tag, "%s", err);
		m->down_logged = 1;
		set_error(m, "%s", err);
		schedule_connect(m, now);
		return;
	}
	/* no log function: one would replace the section's logfile */
	GSM_Error e = GSM_InitConnection_Log(m->s, 2, NULL, NULL);
	if (e != ERR_NONE) {
		set_error(m, "connect: %s", GSM_ErrorName(e));
		if (!m->down_logged)
			log_error(m->tag, "cannot connect to the modem: %s; retrying with back-off "
			    "up to %ds", GSM_ErrorString(e), MODEM_BACKOFF_MAX);
		else
			log_debug(m->tag, "still cannot connect: %s (try %d)", GSM_ErrorName(e),
			    m->connect_failures + 1);
		m->down_logged = 1;
		close_device(m);
		if (!stopping(m))
			free_state_machine(m);    /* as in drop_connection() */
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
	set_connected(m, 1);
	char manufacturer[GSM_MAX_MANUFACTURER_LENGTH + 1] = "";
	char model[GSM_MAX_MODEL_LENGTH + 1] = "";
	GSM_GetManufacturer(m->s, manufacturer);
	GSM_GetModel(m->s, model);
	log_notice(m->tag, "modem connected: %s %s%s", manufacturer, model,
	    e == ERR_NONE ? "" : " (no new-message notifications: polling only)");
	GSM_SecurityCodeType sec = SEC_None;
	if (GSM_GetSecurityStatus(m->s, &sec) == ERR_NONE && sec != SEC_None) {
		log_error(m->tag, "the SIM is waiting for a security code (type %d); tinbao does "
		    "not enter codes: unlock the SIM", (int)sec);
		set_error(m, "SIM locked (security code type %d)", (int)sec);
	}
	read_status(m, 1);
}

/* ------------------------------------------------------------ receive */

struct received {
	GSM_SMSMessage *parts;
	int n;
};

/* Delete every part; 0, or -1 if the connection went. */
static int
delete_parts(struct modem *m, const struct received *r)
{
	for (int i = 0; i < r->n; i++) {
		GSM_SMSMessage *copy = malloc(sizeof *copy);
		if (!copy)
			return 0;              /* stays; read and recognised again */
		*copy = r->parts[i];
		copy->Folder = 0;          /* as gammu-smsd: Location alone says where */
		GSM_Error e = GSM_DeleteSMS(m->s, copy);
		memset(copy, 0, sizeof *copy);
		free(copy);
		/* ERR_EMPTY: already gone (a part sharing a dummy file, a
		 * delete that went through before a crash) */
		if (e != ERR_NONE && e != ERR_EMPTY && verdict(m, "delete SMS", e) == GM_LOST)
			return -1;
	}
	return 0;
}

/* Admit one message read from the modem and delete it once committed.
 * 0 done (or left for the next poll after a soft failure), -1 the database
 * refused it: stop this poll. */
static int
take(struct modem *m, const struct received *r)
{
	const GSM_SMSMessage *first = &r->parts[0];
	if (first->PDU != SMS_Deliver || !first->InboxFolder) {
		log_info(m->tag, "deleting %s found in folder %d at location %d: not a received SMS",
		    first->PDU == SMS_Status_Report ? "a status report" :
		    first->PDU == SMS_Submit ? "an SMS to send or sent" : "an SMS outside the inbox",
		    first->Folder, first->Location);
		delete_parts(m, r);
		return 0;
	}
	char sender[IDENTITY_ADDR_MAX];
	smscodec_sender(first, sender, sizeof sender);
	unsigned char sealed[IDENTITY_SEALED_MAX];
	size_t sealed_len = 0;
	char pseudonym[IDENTITY_PSEUDONYM_HEX + 1];
	identity_pseudonym(m->id, sender, pseudonym);
	if (identity_seal(m->id, sender, sealed, &sealed_len) < 0) {
		identity_wipe(sender, sizeof sender);
		log_error(m->tag, "cannot seal the address of sender %.8s; the SMS stays on the "
		    "modem", pseudonym);
		return -1;
	}
	time_t now = time(NULL);
	int failed = 0;
	size_t chars = 0;
	char *whole = NULL;           /* parts without a concatenation header */
	size_t whole_len = 0;
	for (int i = 0; i < r->n && !failed; i++) {
		const GSM_SMSMessage *p = &r->parts[i];
		char *text = smscodec_text(p);
		if (!text) {
			failed = 1;
			break;
		}
		chars += text_chars(text);
		int ref, seq, total;
		if (smscodec_concat(p, &ref, &seq, &total)) {
			/* one part of a long SMS: stored, joined by the database */
			char group[33];
			smscodec_group_id(m->id, sender, ref, total, group);
			struct admission a = { .channel = "sms", .via = m->mc->name,
			    .sender_sealed = sealed, .sender_sealed_len = sealed_len,
			    .pseudonym = pseudonym, .text = text, .received_at = now,
			    .source_time = smscodec_time(p), .part_group = group, .part_seq = seq,
			    .part_total = total };
			failed = writer_admit(m->writer, &a) != 0;
			free(text);
			continue;
		}
		/* a message standing alone; a backup file with several
		 * sections gives several of these, read as one message */
		size_t l = strlen(text);
		char *grown = realloc(whole, whole_len + l + 1);
		if (!grown) {
			free(text);
			failed = 1;
			break;
		}
		whole = grown;
		memcpy(whole + whole_len, text, l + 1);
		whole_len += l;
		free(text);
	}
	if (!failed && whole) {
		char msgid[65];
		smscodec_message_id(m->id, sender, first, whole, msgid);
		struct admission a = { .channel = "sms", .channel_msg_id = msgid, .via = m->mc->name,
		    .sender_sealed = sealed, .sender_sealed_len = sealed_len, .pseudonym = pseudonym,
		    .text = whole, .received_at = now, .source_time = smscodec_time(first) };
		failed = writer_admit(m->writer, &a) != 0;
	}
	if (whole)
		identity_wipe(whole, whole_len);
	free(whole);
	identity_wipe(sender, sizeof sender);
	identity_wipe(sealed, sizeof sealed);
	if (failed) {
		if (!m->admit_failing)
			log_error(m->tag, "the database did not take the SMS from sender %.8s; it stays "
			    "on the modem and is read again", pseudonym);
		m->admit_failing = 1;
		set_error(m, "admission refused by the database");
		return -1;
	}
	if (m->admit_failing)
		log_notice(m->tag, "the database takes messages again");
	m->admit_failing = 0;
	log_info(m->tag, "SMS from sender %.8s admitted: %d part%s, %zu characters", pseudonym,
	    r->n, r->n == 1 ? "" : "s", chars);
	count(m, &m->health.received);
	delete_parts(m, r);
	return 0;
}

/* Read everything on the modem first, then admit and delete (deleting
 * while walking the locations confuses some drivers). */
static void
poll_inbox(struct modem *m)
{
	int hinted = m->incoming;
	m->incoming = 0;
	pthread_mutex_lock(&m->lock);
	m->health.last_poll = m->last_poll;
	pthread_mutex_unlock(&m->lock);
	GSM_SMSMemoryStatus st;
	memset(&st, 0, sizeof st);
	GSM_Error e = GSM_GetSMSStatus(m->s, &st);
	int cap = MODEM_SCAN_MAX;
	if (e == ERR_NONE) {
		m->timeouts = 0;
		/* some modems report 0 just after +CMTI: a hint always scans */
		if (st.SIMUsed + st.PhoneUsed + st.TemplatesUsed <= 0 && !hinted)
			return;
		long want = (long)st.SIMSize + st.PhoneSize + 5;
		if (want < cap && want > 5)
			cap = (int)want;
	} else if (e != ERR_NOTSUPPORTED && e != ERR_NOTIMPLEMENTED) {
		verdict(m, "SMS status", e);
		return;
	}
	GSM_MultiSMSMessage *sms = calloc(1, sizeof *sms);
	struct received *got = calloc((size_t)cap, sizeof *got);
	int n = 0;
	if (!sms || !got) {
		free(sms);
		free(got);
		warn_once(m, "out of memory reading the inbox");
		return;
	}
	int keep_place = 0, last_folder = -1, last_location = -1;
	for (int start = 1, reads = 0; n < cap && reads < cap; start = 0, reads++) {
		if (!keep_place)
			sms->SMS[0].Folder = 0;      /* as gammu-smsd */
		keep_place = 0;
		e = GSM_GetNextSMS(m->s, sms, start);
		if (e == ERR_EMPTY)
			break;
		if (e != ERR_NONE) {
			verdict(m, "read SMS", e);
			break;
		}
		m->timeouts = 0;
		if (sms->Number < 1) {
			/* an entry gammu cannot read (no Number): with Folder reset
			 * gammu would return it forever; keeping its place steps
			 * past it, and no progress stops the scan */
			if (sms->SMS[0].Folder == last_folder && sms->SMS[0].Location == last_location)
				break;
			last_folder = sms->SMS[0].Folder;
			last_location = sms->SMS[0].Location;
			char msg[128];
			snprintf(msg, sizeof msg, "an unreadable entry in folder %d at location %d is "
			    "left on the modem", last_folder, last_location);
			warn_once(m, msg);
			keep_place = 1;
			continue;
		}
		int parts = sms->Number > GSM_MAX_MULTI_SMS ? GSM_MAX_MULTI_SMS : sms->Number;
		got[n].parts = malloc((size_t)parts * sizeof(GSM_SMSMessage));
		if (!got[n].parts)
			break;
		memcpy(got[n].parts, sms->SMS, (size_t)parts * sizeof(GSM_SMSMessage));
		got[n].n = parts;
		n++;
	}
	if (n == cap)
		log_warn(m->tag, "read the most messages one poll may (%d); the rest come next poll",
		    cap);
	for (int i = 0; i < n; i++) {
		if (m->connected && !stopping(m) && take(m, &got[i]) < 0)
			break;                  /* database trouble: all stay for the next poll */
	}
	for (int i = 0; i < n; i++) {
		memset(got[i].parts, 0, (size_t)got[i].n * sizeof(GSM_SMSMessage));
		free(got[i].parts);
	}
	free(got);
	memset(sms, 0, sizeof *sms);
	free(sms);
}

/* --------------------------------------------------------------- send */

/* Send every part. 0 sent; -1 failed with the reason in why. */
static int
send_parts(struct modem *m, GSM_MultiSMSMessage *multi, char *why, size_t whylen)
{
	if (m->smsc_state == 0) {           /* once per connection */
		memset(&m->smsc, 0, sizeof m->smsc);
		m->smsc.Location = MODEM_SMSC_LOCATION;
		GSM_Error e = GSM_GetSMSC(m->s, &m->smsc);
		if (e != ERR_NONE && verdict(m, "SMSC number", e) == GM_LOST) {
			snprintf(why, whylen, "SMSC number: %s", GSM_ErrorString(e));
			return -1;
		}
		/* none: an empty SMSC in the PDU makes the modem use its own */
		m->smsc_state = e == ERR_NONE && UnicodeLength(m->smsc.Number) > 0 ? 1 : -1;
	}
	for (int i = 0; i < multi->Number; i++) {
		GSM_SMSMessage *p = &multi->SMS[i];
		if (m->smsc_state > 0)
			CopyUnicodeString(p->SMSC.Number, m->smsc.Number);
		m->send_status = SEND_PENDING;
		m->send_mr = -1;
		GSM_Error e = GSM_SendSMS(m->s, p);
		if (e != ERR_NONE) {
			snprintf(why, whylen, "part %d/%d: %s", i + 1, multi->Number, GSM_ErrorString(e));
			verdict(m, "send SMS", e);
			return -1;
		}
		/* AT answers +CMGS later: pump the device until the callback */
		time_t deadline = time(NULL) + m->mc->send_timeout;
		while (m->send_status == SEND_PENDING && time(NULL) < deadline)
			if (GSM_ReadDevice(m->s, TRUE) < 0)
				break;
		if (m->send_status == SEND_PENDING) {
			snprintf(why, whylen, "part %d/%d: no status within %llds: outcome unknown (it "
			    "may have been sent)", i + 1, multi->Number, (long long)m->mc->send_timeout);
			verdict(m, "send status", ERR_TIMEOUT);
			return -1;
		}
		if (m->send_status != 0) {
			snprintf(why, whylen, "part %d/%d: refused by the modem or network (error %d)",
			    i + 1, multi->Number, m->send_status);
			return -1;
		}
		m->timeouts = 0;
		log_debug(m->tag, "part %d/%d sent, reference %d", i + 1, multi->Number, m->send_mr);
	}
	return 0;
}

/* Tell the outbox what happened; it decides what follows. */
static void
record_result(struct modem *m, const struct outbox_item *it, int ok, int permanent,
    const char *why)
{
	enum outbox_result result = ok ? OUTBOX_SENT : permanent ? OUTBOX_PERMANENT :
	    stopping(m) ? OUTBOX_RETURNED : OUTBOX_TEMPORARY;
	count(m, ok ? &m->health.sent : &m->health.send_failures);
	outbox_report(m->db, m->cfg, it, result, m->mc->name, why, 0, (int64_t)time(NULL));
}

/* Claim and send one outbox row: 1 handled, 0 nothing ready, -1 error. */
static int
send_one(struct modem *m)
{
	struct outbox_item it;
	int64_t lease = m->mc->send_timeout * m->cfg->max_sms_parts + 30;
	int got = db_outbox_claim(m->db, "sms", m->mc->name, time(NULL), lease, &it);
	if (got <= 0) {
		if (got < 0 && !m->db_failing)
			log_error(m->tag, "outbox: %s", db_errmsg(m->db));
		m->db_failing = got < 0;
		return got;
	}
	m->db_failing = 0;
	char dest[IDENTITY_ADDR_MAX];
	char why[256] = "";
	int ok = 0, permanent = 0, parts = 0;
	if (it.dest) {
		snprintf(dest, sizeof dest, "%s", it.dest);
	} else if (!it.dest_sealed || identity_unseal(m->id, it.dest_sealed, it.dest_sealed_len,
	    dest, sizeof dest) < 0) {
		dest[0] = '\0';
		permanent = 1;
		snprintf(why, sizeof why, "the reply address cannot be opened with this key");
	}
	if (dest[0]) {
		GSM_MultiSMSMessage *multi = calloc(1, sizeof *multi);
		if (!multi) {
			snprintf(why, sizeof why, "out of memory");
		} else {
			parts = smscodec_encode(it.text ? it.text : "", dest, m->ref,
			    m->cfg->max_sms_parts, multi, why, sizeof why);
			if (parts < 0) {
				permanent = 1;           /* too long, or not a number: never better */
			} else {
				if (parts > 1)
					m->ref++;
				/* from here a crash must not send it again */
				if (db_outbox_handed(m->db, it.id, m->mc->name) < 0)
					snprintf(why, sizeof why, "outbox: %s", db_errmsg(m->db));
				else
					ok = send_parts(m, multi, why, sizeof why) == 0;
			}
			memset(multi, 0, sizeof *multi);
			free(multi);
		}
	}
	identity_wipe(dest, sizeof dest);
	record_result(m, &it, ok, permanent, why);
	outbox_item_clear(&it);
	return 1;
}

/* Send while rows are due, a few per tick. 1 if more may be due now. */
static int
send_due(struct modem *m)
{
	for (int i = 0; i < MODEM_SENDS_PER_TICK; i++) {
		int64_t due = 0;
		if (!m->connected || m->incoming || stopping(m))
			return 0;
		int r = db_outbox_next_due(m->db, "sms", &due);
		if (r < 0 && !m->db_failing)
			log_error(m->tag, "outbox: %s", db_errmsg(m->db));
		if (r < 0)     /* cleared by a claim that works: a read may work while writes fail */
			m->db_failing = 1;
		if (r <= 0 || due > (int64_t)time(NULL))
			return 0;
		if (send_one(m) <= 0)
			return 0;
		if (m->cfg->n_modems > 1) {
			/* let the other modems claim: the sending spreads */
			struct timespec pause = { 0, MODEM_TURN_MS * 1000000L };
			nanosleep(&pause, NULL);
		}
	}
	return 1;
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
expire_parts(struct modem *m, time_t now)
{
	int n = db_parts_expire(m->db, (int64_t)now - m->cfg->multipart_timeout, now);
	if (n > 0)
		log_warn(m->tag, "%d long SMS admitted with parts missing after %llds", n,
		    (long long)m->cfg->multipart_timeout);
	if (n < 0 && !m->expire_failing)
		log_error(m->tag, "multipart expiry: %s", db_errmsg(m->db));
	m->expire_failing = n < 0;
}

static void
run(struct modem *m)
{
	m->connect_failures = 0;
	while (!stopping(m)) {
		heartbeat_beat(m->heartbeat);
		time_t now = time(NULL);
		if (!m->connected && now >= m->next_connect)
			connect_modem(m);
		if (m->connected && device_gone(m))
			drop_connection(m, "the device is gone (unplugged?)");
		if (m->incoming || now - m->last_poll >= m->mc->poll) {
			m->last_poll = now;
			expire_parts(m, now);      /* also while the modem is away */
			if (m->connected)
				poll_inbox(m);
		}
		if (m->connected && now - m->last_status >= MODEM_STATUS_EVERY)
			read_status(m, now - m->last_status_log >= MODEM_STATUS_LOG_EVERY);
		int more = m->connected ? send_due(m) : 0;
		if (m->connected && GSM_ReadDevice(m->s, FALSE) < 0)
			drop_connection(m, "the device closed");
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
	int ok = m->db && new_state_machine(m, err, sizeof err) == 0;
	pthread_mutex_lock(&m->lock);
	m->ready = ok ? 1 : -1;
	if (!ok)
		snprintf(m->start_err, sizeof m->start_err, "%s", err);
	pthread_cond_broadcast(&m->cond);
	pthread_mutex_unlock(&m->lock);
	if (ok) {
		m->heartbeat = heartbeat_register(m->tag, HEARTBEAT_MODEM_S);
		run(m);
		heartbeat_unregister(m->heartbeat);
		if (m->connected) {
			log_notice(m->tag, "modem disconnected (stopping)");
			close_device(m);
		}
		set_connected(m, 0);
	}
	free_state_machine(m);
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
