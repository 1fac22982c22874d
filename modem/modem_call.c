/* modem_call — voice calls: claim one call at a time (only a modem that can
 * place calls claims them, and only after its SMS are out), dial the
 * officer's phone with GSM_DialVoice, let it ring [escalation] call_ring
 * while the modem sends nothing else (other modems keep sending), hang up
 * with GSM_CancelCall(..., TRUE), and report what happened to the outbox
 * (gateway/outbox.h), which records it and decides what follows. The call
 * carries nothing: it rings and is hung up. Modem thread only.
 *
 * What this modem can do is known from its configuration (`voice = no`)
 * and its driver (gammu's dummy driver places no calls), or learnt when a
 * dial is refused as not supported; it is published in the health copy,
 * from which tinbaod tells the gateway whether any modem can call.
 */
#include "modem/modem_internal.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "gateway/calls.h"
#include "gateway/config.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/i18n.h"
#include "gateway/outbox.h"

/* What happened to one call: all the modem side says about it. */
enum call_outcome {
	CALL_RANG,          /* dialled: the phone rang (for how long is in why) */
	CALL_TEMPORARY,     /* not dialled, may go later (the modem, the network, the database) */
	CALL_PERMANENT,     /* never (not a number) */
	CALL_NOT_HERE,      /* this modem cannot place calls: another may */
};

/* why: a fixed phrase marked N_(), shown translated by `tinbao modem
 * status` (the details go to the log) */
static void
cannot_call(struct modem *m, const char *why)
{
	m->voice = 0;
	pthread_mutex_lock(&m->lock);
	m->health.voice = 0;
	snprintf(m->health.voice_note, sizeof m->health.voice_note, "%s", why);
	pthread_mutex_unlock(&m->lock);
}

void
modem_call_init(struct modem *m)
{
	const GSM_Config *c = m->s ? GSM_GetConfig(m->s, 0) : NULL;
	if (!m->mc->voice)
		cannot_call(m, N_("voice = no in its section"));
	else if (c && c->Connection && strcasecmp(c->Connection, "none") == 0)
		cannot_call(m, N_("gammu's dummy driver places no calls"));
	else if (m->voice) {
		pthread_mutex_lock(&m->lock);
		m->health.voice = 1;
		m->health.voice_note[0] = '\0';
		pthread_mutex_unlock(&m->lock);
	}
}

static void hang_up(struct modem *m);

void
modem_call_connected(struct modem *m)
{
	pthread_mutex_lock(&m->lock);
	int first = m->hangup_first;
	m->hangup_first = 0;
	pthread_mutex_unlock(&m->lock);
	if (first && m->voice) {
		/* a restart interrupted a call this modem had dialled: it may ring on */
		log_notice(m->tag, "hanging up the call a restart may have left ringing");
		hang_up(m);
	}
	if (m->voice || m->voice_told)
		return;
	char note[sizeof m->health.voice_note];
	pthread_mutex_lock(&m->lock);
	snprintf(note, sizeof note, "%s", m->health.voice_note);
	pthread_mutex_unlock(&m->lock);
	log_notice(m->tag, "this modem cannot place voice calls (%s): calls go to another modem, "
	    "or each becomes an extra SMS when no modem can call", note);
	m->voice_told = 1;
}

static void
set_calling(struct modem *m, int on)
{
	pthread_mutex_lock(&m->lock);
	m->health.calling = on;
	if (!on)
		m->health.calls++;
	pthread_mutex_unlock(&m->lock);
}

static int64_t
since_ms(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (int64_t)(t.tv_sec - t0->tv_sec) * 1000 + (t.tv_nsec - t0->tv_nsec) / 1000000;
}

/* The phone rings; NULL when it rang the whole call_ring, otherwise why it
 * stopped (the connection may be gone: m->connected says). The device is
 * read every MODEM_RING_STEP_MS (an incoming SMS is noted for the next
 * poll; the call's own status is not asked), the rest once a second. */
static const char *
let_it_ring(struct modem *m, const struct outbox_item *it, const struct timespec *t0)
{
	int64_t ring_ms = m->cfg->call_ring * 1000, looked = -1000, left;
	while ((left = ring_ms - since_ms(t0)) > 0) {
		if (modem_stopping(m))
			return "tinbaod is stopping";
		if (since_ms(t0) - looked >= 1000) {
			looked = since_ms(t0);
			heartbeat_beat(m->heartbeat);
			if (outbox_call_wanted(m->db, it) == 0)
				return "the tip was acknowledged";
			if (modem_conn_gone(m)) {
				modem_conn_drop(m, MODEM_FAULT_DEVICE_MISSING, "the device is gone (unplugged?)");
				return "the modem was lost";
			}
		}
		if (GSM_ReadDevice(m->s, FALSE) < 0) {
			modem_conn_drop(m, MODEM_FAULT_NO_ANSWER, "the device closed");
			return "the modem was lost";
		}
		struct timespec pause = { 0, (left < MODEM_RING_STEP_MS ? left : MODEM_RING_STEP_MS) *
		    1000000L };
		nanosleep(&pause, NULL);
	}
	return NULL;
}

/* gammu 1.42's AT driver marks a hang-up in progress and clears the mark
 * only on an OK: after a failed one every later GSM_CancelCall is a silent
 * no-op. A fresh state machine (the next connection) clears it. */
static void
hang_up(struct modem *m)
{
	GSM_Error e = GSM_CancelCall(m->s, 0, TRUE);
	if (e == ERR_NONE)
		return;
	if (modem_conn_verdict(m, "hang up", e) != GM_LOST)
		modem_conn_drop(m, MODEM_FAULT_NO_ANSWER, "a hang-up failed (the next one needs a fresh connection)");
}

static enum call_outcome
place(struct modem *m, const struct outbox_item *it, char *why, size_t whylen)
{
	char number[GSM_MAX_NUMBER_LENGTH + 1];
	const char *d = it->dest ? it->dest : "";
	size_t digits = strspn(d + (*d == '+'), "0123456789");
	if (!digits || d[(*d == '+') + digits] != '\0' || strlen(d) > GSM_MAX_NUMBER_LENGTH) {
		snprintf(why, whylen, "not a phone number");
		return CALL_PERMANENT;
	}
	snprintf(number, sizeof number, "%s", d);
	/* from here a crash must not ring it again */
	if (db_outbox_handed(m->db, it->id, m->mc->name) < 0) {
		snprintf(why, whylen, "outbox: %s", db_errmsg(m->db));
		return CALL_TEMPORARY;
	}
	log_info(m->tag, "call %lld: ringing officer %lld for %llds", (long long)it->id,
	    (long long)it->officer_id, (long long)m->cfg->call_ring);
	struct timespec t0;
	clock_gettime(CLOCK_MONOTONIC, &t0);
	GSM_Error e = GSM_DialVoice(m->s, number, GSM_CALL_DefaultNumberPresence);
	if (e == ERR_NOTSUPPORTED || e == ERR_NOTIMPLEMENTED) {
		log_notice(m->tag, "call %lld: the modem refused to dial: %s", (long long)it->id,
		    GSM_ErrorName(e));
		cannot_call(m, N_("the modem refused to dial"));
		modem_call_connected(m);
		snprintf(why, whylen, "this modem cannot place calls");
		return CALL_NOT_HERE;
	}
	if (e != ERR_NONE) {
		snprintf(why, whylen, "dial: %s", GSM_ErrorString(e));
		modem_conn_verdict(m, "dial", e);
		return CALL_TEMPORARY;
	}
	set_calling(m, 1);
	const char *cut = let_it_ring(m, it, &t0);
	if (m->connected)
		hang_up(m);
	set_calling(m, 0);
	long long rang = (long long)(since_ms(&t0) / 1000);
	if (cut)
		snprintf(why, whylen, "rang %llds, hung up early: %s", rang, cut);
	else
		snprintf(why, whylen, "rang %llds", rang);
	log_info(m->tag, "call %lld: %s%s", (long long)it->id, why,
	    m->connected ? ", hung up" : "");
	return CALL_RANG;
}

/* Tells the outbox what happened (it decides what follows). A failure
 * while stopping hands the call back. */
static void
report(struct modem *m, const struct outbox_item *it, enum call_outcome outcome, const char *why)
{
	enum outbox_result result;
	switch (outcome) {
	case CALL_RANG:
		result = OUTBOX_SENT;
		break;
	case CALL_PERMANENT:
		result = OUTBOX_PERMANENT;
		break;
	case CALL_NOT_HERE:
		result = OUTBOX_RETURNED;
		break;
	default:
		result = modem_stopping(m) ? OUTBOX_RETURNED : OUTBOX_TEMPORARY;
		break;
	}
	outbox_report(m->db, m->cfg, it, result, m->mc->name, why, 0, (int64_t)time(NULL));
}

int
modem_call_due(struct modem *m)
{
	if (!m->voice || !m->connected || m->incoming || modem_stopping(m))
		return 0;
	int64_t due = 0, now = (int64_t)time(NULL);
	int r = db_outbox_next_due(m->db, CALLS_CHANNEL, &due);
	if (r <= 0 || due > now) {
		if (r < 0 && !m->call_failing)
			log_error(m->tag, "calls: %s", db_errmsg(m->db));
		m->call_failing = r < 0;
		return 0;
	}
	struct outbox_item it;
	int64_t lease = m->cfg->call_ring + 3 * m->mc->send_timeout + 60;
	int got = db_outbox_claim_call(m->db, m->mc->name, now, lease, now - CALLS_WAIT_MAX, &it);
	if (got <= 0) {
		if (got < 0 && !m->call_failing)
			log_error(m->tag, "calls: %s", db_errmsg(m->db));
		m->call_failing = got < 0;
		return 0;
	}
	m->call_failing = 0;
	char why[160] = "";
	enum call_outcome outcome = place(m, &it, why, sizeof why);
	report(m, &it, outcome, why);
	outbox_item_clear(&it);
	return 1;
}
