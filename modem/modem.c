/* modem — see modem.h. The only files that include <gammu.h> are here. */
#include "modem/modem.h"

#include <errno.h>
#include <gammu.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/text.h"
#include "gateway/writer.h"
#include "modem/smscodec.h"

#define MODEM_BACKOFF_MAX 60          /* seconds between connection attempts, at most */
#define MODEM_STATUS_EVERY 300        /* signal and network into the log */
#define MODEM_EXPIRE_EVERY 5          /* look for timed-out multipart groups */
#define MODEM_SCAN_MAX 500            /* messages read in one poll, at most */
#define MODEM_SENDS_PER_TICK 8        /* then poll again before sending more */
#define MODEM_TIMEOUTS_TO_RECONNECT 3
#define MODEM_TURN_MS 100             /* pause after a send when other modems could send */
#define SEND_PENDING (-1000)
#define DATA_PLACEHOLDER "[tin nhắn dạng dữ liệu, không đọc được]"

struct modem {
	const struct config *cfg;
	const struct modem_conf *mc;
	struct writer *writer;
	const struct identity *id;
	char tag[48];

	pthread_t thread;
	pthread_mutex_t lock;          /* guards woken, stop, health */
	pthread_cond_t cond;
	int woken;
	int stop;
	struct modem_health health;

	/* owned by the modem thread */
	GSM_StateMachine *s;
	struct db *db;
	int connected;
	int backoff;
	time_t next_connect;
	int incoming;                  /* set by the +CMTI callback */
	int send_status;               /* set by the send-status callback */
	int timeouts;
	int have_smsc;
	GSM_SMSC smsc;
	unsigned char ref;
	time_t last_poll, last_status, last_expire;
	int db_failing;
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

void
modem_health(struct modem *m, struct modem_health *out)
{
	pthread_mutex_lock(&m->lock);
	*out = m->health;
	pthread_mutex_unlock(&m->lock);
}

/* ---------------------------------------------------------- callbacks */

/* Callbacks run inside gammu's dispatch: only record, never call gammu. */
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
	(void)s;
	(void)mr;
	((struct modem *)user)->send_status = status;
}

/* ------------------------------------------------------------ errors */

static int
is_connection_error(GSM_Error e)
{
	switch (e) {
	case ERR_DEVICEOPENERROR: case ERR_DEVICELOCKED: case ERR_DEVICENOTEXIST:
	case ERR_DEVICEBUSY: case ERR_DEVICENOPERMISSION: case ERR_DEVICENODRIVER:
	case ERR_DEVICENOTWORK: case ERR_DEVICEDTRRTSERROR: case ERR_DEVICECHANGESPEEDERROR:
	case ERR_DEVICEWRITEERROR: case ERR_DEVICEREADERROR: case ERR_DEVICEPARITYERROR:
	case ERR_NOTCONNECTED: case ERR_ABORTED:
		return 1;
	default:
		return 0;
	}
}

static void
disconnect(struct modem *m, const char *why)
{
	if (m->connected) {
		log_error(m->tag, "modem lost (%s); reconnecting with back-off, messages wait in "
		    "the database", why);
		GSM_TerminateConnection(m->s);
	}
	m->connected = 0;
	m->have_smsc = 0;
	m->next_connect = time(NULL) + 1;
	m->backoff = 1;
	pthread_mutex_lock(&m->lock);
	m->health.connected = 0;
	pthread_mutex_unlock(&m->lock);
}

/* Decide what a gammu error means. Returns 1 if the connection is gone. */
static int
gammu_failed(struct modem *m, const char *what, GSM_Error e)
{
	set_error(m, "%s: %s", what, GSM_ErrorName(e));
	if (e == ERR_TIMEOUT) {
		if (++m->timeouts < MODEM_TIMEOUTS_TO_RECONNECT) {
			log_warn(m->tag, "%s: no answer from the modem", what);
			return 0;
		}
	} else if (!is_connection_error(e)) {
		log_warn(m->tag, "%s: %s", what, GSM_ErrorString(e));
		return 0;
	}
	char why[160];
	snprintf(why, sizeof why, "%s: %s", what, GSM_ErrorString(e));
	disconnect(m, why);
	if (e == ERR_ABORTED) {
		/* an aborted state machine is poisoned for good: make a new one */
		GSM_FreeStateMachine(m->s);
		m->s = NULL;
	}
	return 1;
}

/* ------------------------------------------------------------ connect */

/* Hand the section's gammu keys to libgammu through a private gammurc. */
static int
configure(struct modem *m, char *err, size_t errlen)
{
	char path[] = "/tmp/tinbao-gammurc-XXXXXX";
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "cannot write gammu's configuration: %s", strerror(errno));
		return -1;
	}
	FILE *f = fdopen(fd, "w");
	if (!f) {
		close(fd);
		unlink(path);
		snprintf(err, errlen, "cannot write gammu's configuration");
		return -1;
	}
	fprintf(f, "[gammu]\n");
	for (size_t i = 0; i < m->mc->n_gammu; i++)
		fprintf(f, "%s = %s\n", m->mc->gammu_key[i], m->mc->gammu_value[i]);
	int bad = ferror(f);
	fclose(f);
	INI_Section *ini = NULL;
	GSM_Error e = bad ? ERR_UNKNOWN : GSM_FindGammuRC(&ini, path);
	if (e == ERR_NONE)
		e = GSM_ReadConfig(ini, GSM_GetConfig(m->s, 0), 0);
	if (ini)
		INI_Free(ini);
	unlink(path);
	if (e != ERR_NONE) {
		snprintf(err, errlen, "gammu refuses the [modem %s] keys: %s", m->mc->name,
		    GSM_ErrorString(e));
		return -1;
	}
	GSM_GetConfig(m->s, 0)->UseGlobalDebugFile = FALSE;   /* honour logfile/logformat */
	GSM_SetConfigNum(m->s, 1);
	return 0;
}

static void
read_status(struct modem *m, int to_log)
{
	GSM_SignalQuality sig;
	GSM_NetworkInfo net;
	memset(&sig, 0, sizeof sig);
	memset(&net, 0, sizeof net);
	GSM_Error e1 = GSM_GetSignalQuality(m->s, &sig);
	if (e1 != ERR_NONE && gammu_failed(m, "signal quality", e1))
		return;
	GSM_Error e2 = GSM_GetNetworkInfo(m->s, &net);
	if (e2 != ERR_NONE && e2 != ERR_NOTSUPPORTED && e2 != ERR_NOTIMPLEMENTED &&
	    gammu_failed(m, "network info", e2))
		return;
	char name[160] = "";
	if (e2 == ERR_NONE) {
		char op[128] = "";
		EncodeUTF8(op, net.NetworkName);
		snprintf(name, sizeof name, "%s%s%s", net.NetworkCode, op[0] ? " " : "", op);
	}
	pthread_mutex_lock(&m->lock);
	m->health.signal_percent = e1 == ERR_NONE ? sig.SignalPercent : -1;
	m->health.signal_dbm = e1 == ERR_NONE ? sig.SignalStrength : 0;
	snprintf(m->health.network, sizeof m->health.network, "%.63s", name);
	pthread_mutex_unlock(&m->lock);
	if (to_log)
		log_info(m->tag, "signal %d%% (%d dBm), network %s", sig.SignalPercent,
		    sig.SignalStrength, name[0] ? name : "unknown");
	m->last_status = time(NULL);
}

static void
connect_modem(struct modem *m)
{
	char err[256];
	if (!m->s) {
		m->s = GSM_AllocStateMachine();
		if (!m->s || configure(m, err, sizeof err) < 0) {
			log_error(m->tag, "%s", m->s ? err : "out of memory");
			if (m->s) {
				GSM_FreeStateMachine(m->s);
				m->s = NULL;
			}
			m->next_connect = time(NULL) + MODEM_BACKOFF_MAX;
			return;
		}
	}
	GSM_Error e = GSM_InitConnection(m->s, 2);
	if (e != ERR_NONE) {
		set_error(m, "connect: %s", GSM_ErrorName(e));
		if (m->backoff <= 1)
			log_error(m->tag, "cannot connect to the modem: %s; retrying with back-off",
			    GSM_ErrorString(e));
		else
			log_debug(m->tag, "still cannot connect: %s (next try in %ds)",
			    GSM_ErrorString(e), m->backoff);
		GSM_TerminateConnection(m->s);
		if (e == ERR_ABORTED) {
			GSM_FreeStateMachine(m->s);
			m->s = NULL;
		}
		m->next_connect = time(NULL) + m->backoff;
		m->backoff = m->backoff * 2 > MODEM_BACKOFF_MAX ? MODEM_BACKOFF_MAX : m->backoff * 2;
		return;
	}
	/* init resets every callback: register them after each connection */
	GSM_SetIncomingSMSCallback(m->s, on_incoming, m);
	GSM_SetSendSMSStatusCallback(m->s, on_send_status, m);
	e = GSM_SetIncomingSMS(m->s, TRUE);
	if (e != ERR_NONE)
		log_debug(m->tag, "no new-message notifications (%s); polling only",
		    GSM_ErrorName(e));
	m->connected = 1;
	m->timeouts = 0;
	m->backoff = 1;
	m->incoming = 1;          /* read what arrived while we were away */
	pthread_mutex_lock(&m->lock);
	m->health.connected = 1;
	m->health.reconnects++;
	m->health.last_error[0] = '\0';
	pthread_mutex_unlock(&m->lock);
	char manufacturer[GSM_MAX_MANUFACTURER_LENGTH + 1] = "";
	char model[GSM_MAX_MODEL_LENGTH + 1] = "";
	GSM_GetManufacturer(m->s, manufacturer);
	GSM_GetModel(m->s, model);
	log_notice(m->tag, "modem connected: %s %s", manufacturer, model);
	read_status(m, 1);
}

/* ------------------------------------------------------------ receive */

struct received {
	GSM_SMSMessage *parts;
	int n;
};

static int
is_concat(const GSM_SMSMessage *p)
{
	return (p->UDH.Type == UDH_ConcatenatedMessages ||
	    p->UDH.Type == UDH_ConcatenatedMessages16bit) && p->UDH.AllParts > 1;
}

static void
delete_parts(struct modem *m, struct received *r)
{
	for (int i = 0; i < r->n; i++) {
		GSM_SMSMessage copy = r->parts[i];
		copy.Folder = 0;
		GSM_Error e = GSM_DeleteSMS(m->s, &copy);
		if (e != ERR_NONE && e != ERR_EMPTY) {
			/* it may be read again: the database recognises it */
			if (gammu_failed(m, "delete SMS", e))
				return;
		}
	}
}

/* Admit one message read from the modem; delete it only once committed. */
static void
take(struct modem *m, struct received *r)
{
	GSM_SMSMessage *first = &r->parts[0];
	if (first->PDU != SMS_Deliver || !first->InboxFolder) {
		log_info(m->tag, "deleting a non-incoming message found on the modem (%s)",
		    first->PDU == SMS_Status_Report ? "status report" : "not a received SMS");
		delete_parts(m, r);
		return;
	}
	char raw[64], sender[64];
	smscodec_number(first, raw, sizeof raw);
	if (identity_phone_normalize(raw, sender, sizeof sender) < 0)
		snprintf(sender, sizeof sender, "%s", raw[0] ? raw : "unknown");
	identity_wipe(raw, sizeof raw);
	unsigned char sealed[IDENTITY_SEALED_MAX];
	size_t sealed_len = 0;
	char pseudonym[IDENTITY_PSEUDONYM_HEX + 1];
	identity_pseudonym(m->id, sender, pseudonym);
	if (identity_seal(m->id, sender, sealed, &sealed_len) < 0) {
		log_error(m->tag, "cannot seal a sender address; message left on the modem");
		identity_wipe(sender, sizeof sender);
		return;
	}
	time_t now = time(NULL);
	int failed = 0, admitted = 0;
	char *whole = NULL;
	size_t whole_len = 0;
	for (int i = 0; i < r->n && !failed; i++) {
		GSM_SMSMessage *p = &r->parts[i];
		int is_data = 0;
		char *decoded = smscodec_decode(p, &is_data);
		char *text = text_clean(decoded ? decoded : DATA_PLACEHOLDER,
		    decoded ? strlen(decoded) : strlen(DATA_PLACEHOLDER));
		free(decoded);
		if (!text) {
			failed = 1;
			break;
		}
		long long when = smscodec_time(p);
		if (is_concat(p)) {
			int ref = p->UDH.Type == UDH_ConcatenatedMessages16bit ? p->UDH.ID16bit :
			    p->UDH.ID8bit;
			char key[160], group[33];
			int n = snprintf(key, sizeof key, "%s|%d|%d", sender, ref, p->UDH.AllParts);
			identity_digest(m->id, key, (size_t)n, group, 16);
			identity_wipe(key, sizeof key);
			struct admission a = { .channel = "sms", .via = m->mc->name,
			    .sender_sealed = sealed, .sender_sealed_len = sealed_len,
			    .pseudonym = pseudonym, .text = text, .received_at = now,
			    .source_time = when, .part_group = group, .part_seq = p->UDH.PartNumber,
			    .part_total = p->UDH.AllParts };
			failed = writer_admit(m->writer, &a) < 0;
			admitted++;
			free(text);
		} else {
			/* parts without a concatenation header (a backup file with
			 * several sections) are one message */
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
	}
	if (!failed && whole) {
		char key[200], msgid[65];
		long long when = smscodec_time(first);
		/* the location tells apart two equal texts sent in the same second;
		 * a message re-read after a crash keeps its location */
		int n = snprintf(key, sizeof key, "%s|%lld|%d|%d|", sender, when,
		    first->DateTime.Timezone, first->Location);
		/* id = keyed digest of sender, SMSC time, location and text: a re-read SMS gets
		 * the same id, and the id says nothing about the sender */
		char *material = malloc((size_t)n + whole_len + 1);
		if (material) {
			memcpy(material, key, (size_t)n);
			memcpy(material + n, whole, whole_len + 1);
			identity_digest(m->id, material, (size_t)n + whole_len, msgid, 32);
			identity_wipe(material, (size_t)n + whole_len);
			free(material);
			struct admission a = { .channel = "sms", .channel_msg_id = msgid,
			    .via = m->mc->name, .sender_sealed = sealed, .sender_sealed_len = sealed_len,
			    .pseudonym = pseudonym, .text = whole, .received_at = now,
			    .source_time = when };
			failed = writer_admit(m->writer, &a) < 0;
			admitted++;
		} else {
			failed = 1;
		}
		identity_wipe(key, sizeof key);
	}
	free(whole);
	identity_wipe(sender, sizeof sender);
	if (failed) {
		if (!m->db_failing)
			log_error(m->tag, "the database did not take a message; it stays on the modem "
			    "and is read again");
		m->db_failing = 1;
		return;
	}
	m->db_failing = 0;
	log_info(m->tag, "received %d part%s from sender %.8s", r->n, r->n == 1 ? "" : "s",
	    pseudonym);
	count(m, &m->health.received);
	delete_parts(m, r);
	(void)admitted;
}

static void
poll_inbox(struct modem *m)
{
	GSM_SMSMemoryStatus st;
	memset(&st, 0, sizeof st);
	m->incoming = 0;
	m->last_poll = time(NULL);
	pthread_mutex_lock(&m->lock);
	m->health.last_poll = m->last_poll;
	pthread_mutex_unlock(&m->lock);
	GSM_Error e = GSM_GetSMSStatus(m->s, &st);
	int cap = MODEM_SCAN_MAX;
	if (e == ERR_NONE) {
		if (st.SIMUsed + st.PhoneUsed == 0)
			return;
		cap = st.SIMSize + st.PhoneSize + 5;
		if (cap > MODEM_SCAN_MAX)
			cap = MODEM_SCAN_MAX;
	} else if (e != ERR_NOTSUPPORTED && e != ERR_NOTIMPLEMENTED) {
		gammu_failed(m, "SMS status", e);
		return;
	}
	m->timeouts = 0;
	GSM_MultiSMSMessage *sms = calloc(1, sizeof *sms);
	struct received *got = calloc((size_t)cap, sizeof *got);
	int n = 0;
	if (!sms || !got) {
		free(sms);
		free(got);
		return;
	}
	/* read everything first, then admit and delete (deleting while
	 * walking the locations confuses some drivers) */
	for (int start = 1; n < cap; start = 0) {
		sms->SMS[0].Folder = 0;
		e = GSM_GetNextSMS(m->s, sms, start);
		if (e == ERR_EMPTY)
			break;
		if (e != ERR_NONE) {
			gammu_failed(m, "read SMS", e);
			break;
		}
		if (sms->Number < 1)
			break;                  /* a malformed entry would loop forever */
		got[n].parts = malloc((size_t)sms->Number * sizeof(GSM_SMSMessage));
		if (!got[n].parts)
			break;
		memcpy(got[n].parts, sms->SMS, (size_t)sms->Number * sizeof(GSM_SMSMessage));
		got[n].n = sms->Number;
		n++;
	}
	for (int i = 0; i < n; i++) {
		if (m->connected)
			take(m, &got[i]);
		memset(got[i].parts, 0, (size_t)got[i].n * sizeof(GSM_SMSMessage));
		free(got[i].parts);
	}
	free(got);
	memset(sms, 0, sizeof *sms);
	free(sms);
}

/* --------------------------------------------------------------- send */

static int64_t
retry_at(struct modem *m, int attempts, time_t now)
{
	if (attempts >= m->cfg->max_attempts)
		return 0;
	int64_t delay = m->cfg->retry_base;
	for (int i = 1; i < attempts && delay < m->cfg->retry_max; i++)
		delay *= 2;
	if (delay > m->cfg->retry_max)
		delay = m->cfg->retry_max;
	return (int64_t)now + delay;
}

/* Send every part. 0 sent, -1 failed (reason in why). */
static int
send_parts(struct modem *m, GSM_MultiSMSMessage *multi, char *why, size_t whylen)
{
	if (!m->have_smsc) {
		memset(&m->smsc, 0, sizeof m->smsc);
		m->smsc.Location = 1;
		m->have_smsc = GSM_GetSMSC(m->s, &m->smsc) == ERR_NONE;
	}
	for (int i = 0; i < multi->Number; i++) {
		GSM_SMSMessage *p = &multi->SMS[i];
		if (m->have_smsc)
			CopyUnicodeString(p->SMSC.Number, m->smsc.Number);
		else
			p->SMSC.Location = 1;
		m->send_status = SEND_PENDING;
		GSM_Error e = GSM_SendSMS(m->s, p);
		if (e != ERR_NONE) {
			snprintf(why, whylen, "part %d/%d: %s", i + 1, multi->Number, GSM_ErrorString(e));
			gammu_failed(m, "send SMS", e);
			return -1;
		}
		time_t deadline = time(NULL) + m->mc->send_timeout;
		while (m->send_status == SEND_PENDING && time(NULL) < deadline && m->connected)
			GSM_ReadDevice(m->s, TRUE);
		if (m->send_status == SEND_PENDING) {
			snprintf(why, whylen, "part %d/%d: no confirmation within %llds (outcome "
			    "unknown)", i + 1, multi->Number, (long long)m->mc->send_timeout);
			gammu_failed(m, "send SMS", ERR_TIMEOUT);
			return -1;
		}
		if (m->send_status != 0) {
			snprintf(why, whylen, "part %d/%d: refused by the network (error %d)", i + 1,
			    multi->Number, m->send_status);
			return -1;
		}
	}
	m->timeouts = 0;
	return 0;
}

/* Claim and send one outbox row. 1 handled, 0 nothing ready, -1 error. */
static int
send_one(struct modem *m)
{
	struct outbox_item it;
	time_t now = time(NULL);
	int64_t lease = m->mc->send_timeout * m->cfg->max_sms_parts + 30;
	int got = db_outbox_claim(m->db, "sms", m->mc->name, now, lease, &it);
	if (got <= 0) {
		if (got < 0 && !m->db_failing) {
			log_error(m->tag, "outbox: %s", db_errmsg(m->db));
			m->db_failing = 1;
		}
		return got;
	}
	char dest[IDENTITY_ADDR_MAX + 1];
	char why[256] = "";
	int ok = 0;
	if (it.dest) {
		snprintf(dest, sizeof dest, "%s", it.dest);
	} else if (identity_unseal(m->id, it.dest_sealed, it.dest_sealed_len, dest,
	    sizeof dest) < 0) {
		dest[0] = '\0';
		snprintf(why, sizeof why, "the reply address cannot be opened with this key");
	}
	GSM_MultiSMSMessage *multi = dest[0] ? calloc(1, sizeof *multi) : NULL;
	int fatal = !dest[0];
	if (multi) {
		int parts = smscodec_encode(it.text, dest, m->ref++, m->cfg->max_sms_parts, multi, why,
		    sizeof why);
		if (parts < 0)
			fatal = 1;
		else
			ok = send_parts(m, multi, why, sizeof why) == 0;
		memset(multi, 0, sizeof *multi);
		free(multi);
	} else if (dest[0]) {
		snprintf(why, sizeof why, "out of memory");
	}
	identity_wipe(dest, sizeof dest);
	now = time(NULL);
	int rc;
	if (ok) {
		rc = db_outbox_sent(m->db, it.id, m->mc->name, now);
		count(m, &m->health.sent);
		log_info(m->tag, "sent %s message %lld%s", it.kind, (long long)it.id,
		    it.dest ? " to an officer" : " to a citizen");
	} else {
		int64_t next = fatal ? 0 : retry_at(m, it.attempts, now);
		rc = db_outbox_retry(m->db, it.id, why, next);
		count(m, &m->health.send_failures);
		if (next)
			log_warn(m->tag, "message %lld not sent (%s); retry %d in %llds", (long long)it.id,
			    why, it.attempts + 1, (long long)(next - now));
		else
			log_error(m->tag, "message %lld given up after %d attempt%s: %s",
			    (long long)it.id, it.attempts, it.attempts == 1 ? "" : "s", why);
	}
	if (rc < 0)
		log_error(m->tag, "outbox: %s", db_errmsg(m->db));
	outbox_item_clear(&it);
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

static int
stopping(struct modem *m)
{
	pthread_mutex_lock(&m->lock);
	int s = m->stop;
	pthread_mutex_unlock(&m->lock);
	return s;
}

static void *
modem_main(void *arg)
{
	struct modem *m = arg;
	m->backoff = 1;
	while (!stopping(m)) {
		time_t now = time(NULL);
		if (now - m->last_expire >= MODEM_EXPIRE_EVERY) {
			m->last_expire = now;
			int n = db_parts_expire(m->db, now - m->cfg->multipart_timeout, now);
			if (n > 0)
				log_warn(m->tag, "%d long SMS admitted with parts missing after %llds", n,
				    (long long)m->cfg->multipart_timeout);
		}
		if (!m->connected) {
			if (now >= m->next_connect)
				connect_modem(m);
			if (!m->connected) {
				wait_tick(m, 1000);
				continue;
			}
		}
		if (m->incoming || now - m->last_poll >= m->mc->poll)
			poll_inbox(m);
		/* claim (a write transaction) only when something is due */
		int64_t due = 0;
		for (int i = 0; m->connected && i < MODEM_SENDS_PER_TICK && !stopping(m); i++) {
			if (db_outbox_next_due(m->db, "sms", &due) <= 0 || due > (int64_t)time(NULL) ||
			    send_one(m) <= 0)
				break;
			if (m->cfg->n_modems > 1) {
				/* give the other modems a turn: sends spread across them */
				struct timespec pause = { 0, MODEM_TURN_MS * 1000000L };
				nanosleep(&pause, NULL);
			}
		}
		if (m->connected && now - m->last_status >= MODEM_STATUS_EVERY)
			read_status(m, 1);
		if (m->connected)
			GSM_ReadDevice(m->s, FALSE);     /* let unsolicited lines (+CMTI) in */
		int more = db_outbox_next_due(m->db, "sms", &due) > 0 && due <= (int64_t)time(NULL);
		if (!more)
			wait_tick(m, 500);
	}
	if (m->connected)
		GSM_TerminateConnection(m->s);
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
	m->s = GSM_AllocStateMachine();
	if (!m->s || configure(m, err, errlen) < 0) {
		if (m->s)
			GSM_FreeStateMachine(m->s);
		free(m);
		return NULL;
	}
	m->db = db_open(cfg->database, 0, err, errlen);
	if (!m->db) {
		GSM_FreeStateMachine(m->s);
		free(m);
		return NULL;
	}
	m->ref = (unsigned char)(time(NULL) & 0xff);
	pthread_mutex_init(&m->lock, NULL);
	pthread_cond_init(&m->cond, NULL);
	if (pthread_create(&m->thread, NULL, modem_main, m) != 0) {
		snprintf(err, errlen, "cannot start the modem thread");
		db_close(m->db);
		GSM_FreeStateMachine(m->s);
		free(m);
		return NULL;
	}
	return m;
}

void
modem_wake(struct modem *m)
{
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
	pthread_cond_signal(&m->cond);
	pthread_mutex_unlock(&m->lock);
	pthread_join(m->thread, NULL);
	if (m->s)
		GSM_FreeStateMachine(m->s);
	db_close(m->db);
	pthread_mutex_destroy(&m->lock);
	pthread_cond_destroy(&m->cond);
	free(m);
}
