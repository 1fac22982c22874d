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

/* One message read from the modem, made ready for the writer: its
 * admissions (a part of a long SMS each, then the parts standing alone read
 * as one message) and what they point to. */
struct taken {
	const struct received *r;
	int deliver;                  /* a received SMS; anything else is deleted unread */
	int failed;                   /* could not be made ready: it stays on the modem */
	unsigned char sealed[IDENTITY_SEALED_MAX];
	size_t sealed_len;
	char pseudonym[IDENTITY_PSEUDONYM_HEX + 1];
	char msgid[65];
	char (*groups)[33];           /* one per part */
	char **texts;                 /* one per part, and the whole */
	struct admission *adm;
	size_t n_adm;
	size_t chars;
};

static void
taken_clear(struct taken *t)
{
	int n = t->r ? t->r->n : 0;
	for (int i = 0; t->texts && i <= n; i++) {
		if (t->texts[i])
			identity_wipe(t->texts[i], strlen(t->texts[i]));
		free(t->texts[i]);
	}
	free(t->texts);
	free(t->groups);
	free(t->adm);
	identity_wipe(t->sealed, sizeof t->sealed);
}

/* Seal the sender and build the message's admissions. 0, or -1 (logged;
 * the message stays on the modem and is read again). */
static int
prepare(struct modem *m, const struct received *r, time_t now, struct taken *t)
{
	const GSM_SMSMessage *first = &r->parts[0];
	t->r = r;
	t->deliver = first->PDU == SMS_Deliver && first->InboxFolder;
	if (!t->deliver)
		return 0;
	char sender[IDENTITY_ADDR_MAX];
	smscodec_sender(first, sender, sizeof sender);
	identity_pseudonym(m->id, sender, t->pseudonym);
	t->texts = calloc((size_t)r->n + 1, sizeof *t->texts);
	t->groups = calloc((size_t)r->n, sizeof *t->groups);
	t->adm = calloc((size_t)r->n + 1, sizeof *t->adm);
	if (!t->texts || !t->groups || !t->adm ||
	    identity_seal(m->id, sender, t->sealed, &t->sealed_len) < 0) {
		identity_wipe(sender, sizeof sender);
		log_error(m->tag, "cannot seal the address of sender %.8s; the SMS stays on the "
		    "modem", t->pseudonym);
		return -1;
	}
	size_t whole_len = 0;          /* parts without a concatenation header */
	for (int i = 0; i < r->n; i++) {
		const GSM_SMSMessage *p = &r->parts[i];
		char *text = smscodec_text(p);
		if (!text)
			goto fail;
		t->chars += text_chars(text);
		int ref, seq, total;
		if (smscodec_concat(p, &ref, &seq, &total)) {
			/* one part of a long SMS: stored, joined when complete */
			t->texts[i] = text;
			smscodec_group_id(m->id, sender, ref, total, t->groups[i]);
			t->adm[t->n_adm++] = (struct admission){ .channel = "sms", .via = m->mc->name,
			    .sender_sealed = t->sealed, .sender_sealed_len = t->sealed_len,
			    .pseudonym = t->pseudonym, .text = text, .received_at = now,
			    .source_time = smscodec_time(p), .part_group = t->groups[i],
			    .part_seq = seq, .part_total = total, .admit = modem_part_admit };
			continue;
		}
		/* a message standing alone; a backup file with several
		 * sections gives several of these, read as one message */
		size_t l = strlen(text);
		char *grown = realloc(t->texts[r->n], whole_len + l + 1);
		if (!grown) {
			free(text);
			goto fail;
		}
		t->texts[r->n] = grown;
		memcpy(grown + whole_len, text, l + 1);
		whole_len += l;
		free(text);
	}
	if (t->texts[r->n]) {
		smscodec_message_id(m->id, sender, first, t->texts[r->n], t->msgid);
		t->adm[t->n_adm++] = (struct admission){ .channel = "sms", .channel_msg_id = t->msgid,
		    .via = m->mc->name, .sender_sealed = t->sealed, .sender_sealed_len = t->sealed_len,
		    .pseudonym = t->pseudonym, .text = t->texts[r->n], .received_at = now,
		    .source_time = smscodec_time(first) };
	}
	identity_wipe(sender, sizeof sender);
	return 0;
fail:
	identity_wipe(sender, sizeof sender);
	return -1;
}

/* Admit every message of a poll through the writer at once (they share
 * its commits), then delete from the modem each one whose admissions were
 * all committed; one the database refused stays and is read again. */
static void
take_all(struct modem *m, const struct received *got, int n)
{
	struct taken *t = calloc((size_t)n, sizeof *t);
	size_t total = 0;
	if (!t) {
		modem_warn_once(m, "out of memory admitting the inbox");
		return;
	}
	time_t now = time(NULL);
	for (int i = 0; i < n; i++) {
		t[i].failed = prepare(m, &got[i], now, &t[i]) < 0;
		if (!t[i].failed)
			total += t[i].n_adm;
	}
	const struct admission **a = calloc(total ? total : 1, sizeof *a);
	int *results = calloc(total ? total : 1, sizeof *results);
	int refused = !a || !results;
	size_t k = 0;
	for (int i = 0; a && i < n; i++)
		for (size_t j = 0; !t[i].failed && j < t[i].n_adm; j++)
			a[k++] = &t[i].adm[j];
	if (!refused && total)
		writer_admit_many(m->writer, a, total, results);
	k = 0;
	for (int i = 0; i < n && m->connected && !modem_stopping(m); i++) {
		if (!t[i].deliver) {
			const GSM_SMSMessage *first = &got[i].parts[0];
			log_info(m->tag, "deleting %s found in folder %d at location %d: not a received "
			    "SMS", first->PDU == SMS_Status_Report ? "a status report" :
			    first->PDU == SMS_Submit ? "an SMS to send or sent" : "an SMS outside the inbox",
			    first->Folder, first->Location);
			delete_parts(m, &got[i]);
			continue;
		}
		int ok = !t[i].failed && !refused;
		for (size_t j = 0; !t[i].failed && j < t[i].n_adm; j++, k++)
			ok &= !refused && results[k] == 0;
		if (!ok) {
			if (!m->admit_failing)
				log_error(m->tag, "the database did not take the SMS from sender %.8s; it "
				    "stays on the modem and is read again", t[i].pseudonym);
			m->admit_failing = 1;
			modem_set_error(m, "admission refused by the database");
			continue;
		}
		if (m->admit_failing)
			log_notice(m->tag, "the database takes messages again");
		m->admit_failing = 0;
		log_info(m->tag, "SMS from sender %.8s admitted: %d part%s, %zu characters",
		    t[i].pseudonym, got[i].n, got[i].n == 1 ? "" : "s", t[i].chars);
		modem_count(m, &m->health.received);
		if (delete_parts(m, &got[i]) < 0)
			break;                  /* the connection went: the rest are read again */
	}
	for (int i = 0; i < n; i++)
		taken_clear(&t[i]);
	free(t);
	free(a);
	free(results);
}

/* Read everything on the modem first, then admit and delete (deleting
 * while walking the locations confuses some drivers). The scan ends when it
 * has read as many entries as the modem says it holds: asking for one more
 * only to hear "empty" walks every location the memory has (the dummy
 * driver opens each of its 50,000 possible file names). A message that
 * arrives during the scan is read at the next poll, which its +CMTI brings
 * at once. */
void
modem_inbox_poll(struct modem *m)
{
	int hinted = m->incoming, more = m->more_waiting, left = m->more_left;
	m->incoming = 0;
	m->more_waiting = 0;
	m->more_left = 0;
	pthread_mutex_lock(&m->lock);
	m->health.last_poll = m->last_poll;
	pthread_mutex_unlock(&m->lock);
	GSM_SMSMemoryStatus st;
	memset(&st, 0, sizeof st);
	/* right after a poll that read all it may, read on without asking how
	 * many are stored (the dummy driver counts by opening every file name
	 * it could have: 50,000 of them) */
	GSM_Error e = more ? ERR_NOTSUPPORTED : GSM_GetSMSStatus(m->s, &st);
	int cap = MODEM_SCAN_MAX;
	int stored = more ? left : 0;     /* entries to read; 0: until the modem says empty */
	if (e == ERR_NONE) {
		m->timeouts = 0;
		int used = st.SIMUsed + st.PhoneUsed + st.TemplatesUsed;
		/* some modems report 0 just after +CMTI: a hint always scans */
		if (used <= 0 && !hinted)
			return;
		stored = used > 0 ? used : 0;
		long want = (long)st.SIMSize + st.PhoneSize + 5;
		if (want < cap && want > 5)
			cap = (int)want;
	} else if (e != ERR_NOTSUPPORTED && e != ERR_NOTIMPLEMENTED) {
		modem_conn_verdict(m, "SMS status", e);
		return;
	}
	GSM_MultiSMSMessage *sms = calloc(1, sizeof *sms);
	struct received *got = calloc((size_t)cap, sizeof *got);
	int n = 0, entries = 0;
	if (!sms || !got) {
		free(sms);
		free(got);
		modem_warn_once(m, "out of memory reading the inbox");
		return;
	}
	int keep_place = 0, last_folder = -1, last_location = -1;
	for (int start = 1, reads = 0; n < cap && reads < cap && (!stored || entries < stored);
	    start = 0, reads++) {
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
		entries++;
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
	if (n == cap && (!stored || entries < stored)) {
		/* more wait: the next poll comes at once, before any sending (a
		 * SIM holds few messages, and a full one takes no more) */
		log_info(m->tag, "read the most messages one poll may (%d); reading on", cap);
		m->more_waiting = 1;
		m->more_left = stored ? stored - entries : 0;
		m->incoming = 1;
	}
	if (n && m->connected && !modem_stopping(m))
		take_all(m, got, n);
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
