/* modem_inbox — receiving: poll the modem's memory, admit every message
 * through the writer and delete it from the modem only after the commit;
 * the parts of a long SMS are stored one by one and joined once the group
 * is complete, or admitted partial after [gateway] multipart_timeout.
 * Modem thread only.
 */
#include "modem/modem_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/text.h"
#include "gateway/writer.h"
#include "modem/multipart.h"
#include "modem/smscodec.h"

#define PARTS_EXPIRE_GROUPS 64        /* incomplete groups admitted in one expiry */
#define PARTS_KEEP (2 * 86400)        /* joined parts are kept this long for re-reads */

/* ---------------------------------------------------------- multipart */

/* Join the open parts of `group` (complete or not) into one admitted
 * message and mark them joined, in the caller's transaction. 1 admitted,
 * 0 not yet (complete required and parts missing, or no open parts), -1
 * error. */
static int
join_group(struct db *db, const char *group, int require_complete)
{
	struct sms_part *v = NULL;
	size_t n = 0;
	if (db_part_group(db, group, &v, &n) < 0)
		return -1;
	if (n == 0)
		return 0;
	struct mp_part parts[DB_PART_GROUP_MAX];
	int64_t first_received = 0, first_time = 0, first_id = 0;
	for (size_t i = 0; i < n; i++) {
		parts[i].seq = v[i].seq;
		parts[i].text = v[i].text;
		if (!first_received || v[i].received_at < first_received)
			first_received = v[i].received_at;
		if (!first_id || v[i].id < first_id) {
			first_id = v[i].id;
			first_time = v[i].source_time;
		}
	}
	int result = -1, complete = 0;
	char *text = multipart_join(parts, n, v[0].total, &complete);
	if (!text) {
		db_set_error(db, "join parts: bad group");
	} else if (require_complete && !complete) {
		result = 0;
	} else {
		char msgid[200];
		snprintf(msgid, sizeof msgid, "%s:%lld", group, (long long)first_time);
		if (db_inbound_insert(db, "sms", msgid, v[0].via, v[0].sender_sealed,
		    v[0].sender_sealed_len, v[0].pseudonym ? v[0].pseudonym : "", text,
		    first_received, first_time, !complete) >= 0 &&
		    db_part_group_done(db, group) == 0)
			result = 1;
	}
	free(text);
	sms_parts_free(v, n);
	return result;
}

int
modem_part_admit(struct db *db, const struct admission *a)
{
	if (a->part_seq < 1 || a->part_total < 2 || a->part_seq > a->part_total ||
	    a->part_total > MULTIPART_MAX_PARTS) {
		/* Not a real part: admit it alone so nothing is dropped. */
		char msgid[200];
		snprintf(msgid, sizeof msgid, "%s:%d/%d:%lld", a->part_group, a->part_seq,
		    a->part_total, (long long)a->source_time);
		return db_inbound_insert(db, "sms", msgid, a->via, a->sender_sealed,
		    a->sender_sealed_len, a->pseudonym, a->text, a->received_at, a->source_time, 1);
	}
	int r = db_part_insert(db, a->via, a->part_group, a->part_seq, a->part_total,
	    a->sender_sealed, a->sender_sealed_len, a->pseudonym, a->text, a->received_at,
	    a->source_time);
	if (r <= 0)
		return r;
	return join_group(db, a->part_group, 1) < 0 ? -1 : 1;
}

int
modem_parts_expire(struct db *db, int64_t before)
{
	if (db_begin(db) < 0)
		return -1;
	char **groups = NULL;
	size_t n = 0;
	int admitted = 0;
	int failed = db_parts_stale(db, before, PARTS_EXPIRE_GROUPS, &groups, &n) < 0;
	for (size_t i = 0; i < n; i++) {
		if (!failed && groups[i]) {
			int r = join_group(db, groups[i], 0);
			if (r < 0)
				failed = 1;
			else
				admitted += r;
		}
		free(groups[i]);
	}
	free(groups);
	if (!failed)
		failed = db_parts_prune(db, before - PARTS_KEEP) < 0;
	if (failed) {
		db_rollback(db);
		return -1;
	}
	return db_commit(db) < 0 ? -1 : admitted;
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
		if (e != ERR_NONE && e != ERR_EMPTY && modem_conn_verdict(m, "delete SMS", e) == GM_LOST)
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
			/* one part of a long SMS: stored, joined when complete */
			char group[33];
			smscodec_group_id(m->id, sender, ref, total, group);
			struct admission a = { .channel = "sms", .via = m->mc->name,
			    .sender_sealed = sealed, .sender_sealed_len = sealed_len,
			    .pseudonym = pseudonym, .text = text, .received_at = now,
			    .source_time = smscodec_time(p), .part_group = group, .part_seq = seq,
			    .part_total = total, .admit = modem_part_admit };
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
		modem_set_error(m, "admission refused by the database");
		return -1;
	}
	if (m->admit_failing)
		log_notice(m->tag, "the database takes messages again");
	m->admit_failing = 0;
	log_info(m->tag, "SMS from sender %.8s admitted: %d part%s, %zu characters", pseudonym,
	    r->n, r->n == 1 ? "" : "s", chars);
	modem_count(m, &m->health.received);
	delete_parts(m, r);
	return 0;
}

/* Read everything on the modem first, then admit and delete (deleting
 * while walking the locations confuses some drivers). */
void
modem_inbox_poll(struct modem *m)
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
		modem_conn_verdict(m, "SMS status", e);
		return;
	}
	GSM_MultiSMSMessage *sms = calloc(1, sizeof *sms);
	struct received *got = calloc((size_t)cap, sizeof *got);
	int n = 0;
	if (!sms || !got) {
		free(sms);
		free(got);
		modem_warn_once(m, "out of memory reading the inbox");
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
			modem_conn_verdict(m, "read SMS", e);
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
			modem_warn_once(m, msg);
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
		if (m->connected && !modem_stopping(m) && take(m, &got[i]) < 0)
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

void
modem_inbox_expire(struct modem *m, time_t now)
{
	int n = modem_parts_expire(m->db, (int64_t)now - m->cfg->multipart_timeout);
	if (n > 0)
		log_warn(m->tag, "%d long SMS admitted with parts missing after %llds", n,
		    (long long)m->cfg->multipart_timeout);
	if (n < 0 && !m->expire_failing)
		log_error(m->tag, "multipart expiry: %s", db_errmsg(m->db));
	m->expire_failing = n < 0;
}
