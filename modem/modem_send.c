/* modem_send — sending: claim one SMS outbox row at a time (several modems
 * share the sending), encode it (GSM-7 or UCS-2, split into parts, through
 * smscodec), hand every part to the modem and wait for its status, and
 * report what happened to the send to the outbox (gateway/outbox.h), which
 * decides what follows. Modem thread only.
 */
#include "modem/modem_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "modem/smscodec.h"

/* What happened to one send: all the modem side says about it. */
enum send_outcome {
	SEND_SENT,          /* every part accepted by the network */
	SEND_TEMPORARY,     /* not sent, may go later (the modem, the network, the database) */
	SEND_PERMANENT,     /* will never go (no reply address, too long, not a number) */
	SEND_UNKNOWN,       /* handed to the modem, no status came: it may have gone */
};

/* ------------------------------------------------------------- report */

/* Tells the outbox what happened to the send (gateway/outbox.h decides
 * what follows: retry time, give-up, at-most-once) and counts it for
 * /healthz. The one place the modem's outcome meets the outbox's terms:
 * a failure while the daemon is stopping hands the row back (due again at
 * once, whatever its attempts); an outcome unknown (no status within
 * send_timeout) is reported as a temporary failure, so it is tried again
 * as it always was, unlike a send a restart interrupted (db_outbox_recover
 * closes those "outcome unknown", not resent). */
static void
report(struct modem *m, const struct outbox_item *it, enum send_outcome outcome,
    const char *why)
{
	enum outbox_result result;
	switch (outcome) {
	case SEND_SENT:
		result = OUTBOX_SENT;
		break;
	case SEND_PERMANENT:
		result = OUTBOX_PERMANENT;
		break;
	default:                /* SEND_TEMPORARY, SEND_UNKNOWN */
		result = modem_stopping(m) ? OUTBOX_RETURNED : OUTBOX_TEMPORARY;
		break;
	}
	modem_count(m, outcome == SEND_SENT ? &m->health.sent : &m->health.send_failures);
	outbox_report(m->db, m->cfg, it, result, m->mc->name, why, 0, (int64_t)time(NULL));
}

/* --------------------------------------------------------------- send */

/* Send every part; on failure the reason is in why. */
static enum send_outcome
send_parts(struct modem *m, GSM_MultiSMSMessage *multi, char *why, size_t whylen)
{
	if (m->smsc_state == 0) {           /* once per connection */
		memset(&m->smsc, 0, sizeof m->smsc);
		m->smsc.Location = MODEM_SMSC_LOCATION;
		GSM_Error e = GSM_GetSMSC(m->s, &m->smsc);
		if (e != ERR_NONE && modem_conn_verdict(m, "SMSC number", e) == GM_LOST) {
			snprintf(why, whylen, "SMSC number: %s", GSM_ErrorString(e));
			return SEND_TEMPORARY;
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
			modem_conn_verdict(m, "send SMS", e);
			return SEND_TEMPORARY;
		}
		/* AT answers +CMGS later: pump the device until the callback */
		time_t deadline = time(NULL) + m->mc->send_timeout;
		while (m->send_status == SEND_PENDING && time(NULL) < deadline)
			if (GSM_ReadDevice(m->s, TRUE) < 0)
				break;
		if (m->send_status == SEND_PENDING) {
			snprintf(why, whylen, "part %d/%d: no status within %llds: outcome unknown (it "
			    "may have been sent)", i + 1, multi->Number, (long long)m->mc->send_timeout);
			modem_conn_verdict(m, "send status", ERR_TIMEOUT);
			return SEND_UNKNOWN;
		}
		if (m->send_status != 0) {
			snprintf(why, whylen, "part %d/%d: refused by the modem or network (error %d)",
			    i + 1, multi->Number, m->send_status);
			return SEND_TEMPORARY;
		}
		m->timeouts = 0;
		log_debug(m->tag, "part %d/%d sent, reference %d", i + 1, multi->Number, m->send_mr);
	}
	return SEND_SENT;
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
	enum send_outcome outcome = SEND_TEMPORARY;
	int parts = 0;
	if (it.dest) {
		snprintf(dest, sizeof dest, "%s", it.dest);
	} else if (!it.dest_sealed || identity_unseal(m->id, it.dest_sealed, it.dest_sealed_len,
	    dest, sizeof dest) < 0) {
		dest[0] = '\0';
		outcome = SEND_PERMANENT;
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
				outcome = SEND_PERMANENT;   /* too long, or not a number: never better */
			} else {
				if (parts > 1)
					m->ref++;
				/* from here a crash must not send it again */
				if (db_outbox_handed(m->db, it.id, m->mc->name) < 0)
					snprintf(why, sizeof why, "outbox: %s", db_errmsg(m->db));
				else
					outcome = send_parts(m, multi, why, sizeof why);
			}
			memset(multi, 0, sizeof *multi);
			free(multi);
		}
	}
	identity_wipe(dest, sizeof dest);
	report(m, &it, outcome, why);
	outbox_item_clear(&it);
	return 1;
}

/* Send while rows are due, a few per tick. 1 if more may be due now. */
int
modem_send_due(struct modem *m)
{
	for (int i = 0; i < MODEM_SENDS_PER_TICK; i++) {
		int64_t due = 0;
		if (!m->connected || m->incoming || modem_stopping(m))
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
