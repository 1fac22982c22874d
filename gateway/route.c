/* route — see route.h. */
#include "gateway/route.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/abuse.h"
#include "gateway/category.h"
#include "gateway/command.h"
#include "gateway/config.h"
#include "gateway/escalate.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/phone.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/relay.h"
#include "gateway/text.h"
#include "gateway/tipauth.h"
#include "gateway/tipops.h"
#include "gateway/trackid.h"
#include "gateway/syllable.h"
#include "gateway/urgency.h"

#define TAG "router"
#define WAITING_LIST_MAX 20

/* ------------------------------------------------------------ officers */

static int
officer_list(struct db *db, const struct config *cfg, const struct officer *o, int64_t now)
{
	struct tip *waiting = NULL, *mine = NULL;
	size_t nw = 0, nm = 0;
	int rc = -1;
	if (db_waiting_for_officer(db, o->id, WAITING_LIST_MAX, &waiting, &nw) < 0 ||
	    db_open_for_officer(db, o->id, WAITING_LIST_MAX, &mine, &nm) < 0)
		goto out;
	char lines[WAITING_LIST_MAX][96];
	const char *ptrs[WAITING_LIST_MAX];
	size_t n = 0;
	for (size_t i = 0; i < nw && n < WAITING_LIST_MAX; i++, n++) {
		char id[24];
		trackid_format(cfg->tracking_prefix, waiting[i].code, id, sizeof id);
		msg_ds_line(id, "chờ nhận, từ", waiting[i].created_at, lines[n], sizeof lines[n]);
		ptrs[n] = lines[n];
	}
	for (size_t i = 0; i < nm && n < WAITING_LIST_MAX; i++, n++) {
		char id[24];
		trackid_format(cfg->tracking_prefix, mine[i].code, id, sizeof id);
		msg_ds_line(id, "đã nhận", mine[i].acked_at, lines[n], sizeof lines[n]);
		ptrs[n] = lines[n];
	}
	char text[MSG_MAX];
	msg_ds(ptrs, n, text);
	rc = notify_officer_reply(db, cfg, o->id, 0, text, now);
out:
	tips_free(waiting, nw);
	tips_free(mine, nm);
	return rc;
}

static int
officer_bare_ack(struct db *db, const struct config *cfg, const struct officer *o, int64_t now)
{
	struct tip *waiting = NULL;
	size_t n = 0;
	if (db_waiting_for_officer(db, o->id, WAITING_LIST_MAX + 1, &waiting, &n) < 0)
		return -1;
	int rc;
	char text[MSG_MAX];
	if (n == 1) {
		char code[TRACKID_CODE_LEN + 1];
		snprintf(code, sizeof code, "%s", waiting[0].code);
		rc = tipops_ack_in_tx(db, cfg, code, o->id, now, 1, text, sizeof text) ==
		    TIPOPS_ERROR ? -1 : 0;
	} else if (n == 0) {
		msg_none_waiting(text);
		rc = notify_officer_reply(db, cfg, o->id, 0, text, now);
	} else {
		char ids[WAITING_LIST_MAX][24];
		const char *ptrs[WAITING_LIST_MAX];
		size_t k = n < WAITING_LIST_MAX ? n : WAITING_LIST_MAX;
		for (size_t i = 0; i < k; i++) {
			trackid_format(cfg->tracking_prefix, waiting[i].code, ids[i], sizeof ids[i]);
			ptrs[i] = ids[i];
		}
		msg_several_waiting(ptrs, k, text);
		rc = notify_officer_reply(db, cfg, o->id, 0, text, now);
	}
	tips_free(waiting, n);
	return rc;
}

/* Run ack/close and answer the officer when tipops did not (unknown, already). */
static int
officer_tipop(struct db *db, const struct config *cfg, const struct officer *o,
    const struct command *c, int64_t now)
{
	char text[MSG_MAX];
	enum tipops_result r;
	struct tip t;
	int found = db_tip_by_code(db, c->code, &t);      /* unknown: tipops answers */
	if (found < 0)
		return -1;
	if (found) {
		int may = tipauth_require(db, cfg, o, &t, c->kind == CMD_ACK ? "OK" : "XONG", now);
		tip_clear(&t);
		if (may <= 0)
			return may;
	}
	if (c->kind == CMD_ACK) {
		r = tipops_ack_in_tx(db, cfg, c->code, o->id, now, 1, text, sizeof text);
	} else {
		char note[COMMAND_TEXT_MAX + 1];
		snprintf(note, sizeof note, "%.*s", (int)c->arg_len, c->arg);
		r = tipops_close_in_tx(db, cfg, c->code, o->id, note, now, 1, text, sizeof text);
	}
	if (r == TIPOPS_ERROR)
		return -1;
	if (r == TIPOPS_DONE)
		return 0;
	return notify_officer_reply(db, cfg, o->id, 0, text, now);
}

/* "OK 7KM4QX 9PZ3RT" or "OK 7KM4QX, 9PZ3RT": the IDs after the first, each
 * acknowledged as if sent alone; reading stops at the first word that is
 * not an ID. */
static int
officer_ack_more(struct db *db, const struct config *cfg, const struct officer *o,
    const char *rest, size_t len, int64_t now)
{
	size_t i = 0;
	while (i < len) {
		while (i < len && strchr(" ,;\t\r\n", rest[i]))
			i++;
		size_t start = i;
		while (i < len && !strchr(" ,;\t\r\n", rest[i]))
			i++;
		size_t n = i - start;
		while (n && strchr(".:!?", rest[start + n - 1]))
			n--;
		if (n == 0)
			break;
		struct command more;
		memset(&more, 0, sizeof more);
		more.kind = CMD_ACK;
		more.id_state = CMD_ID_OK;
		more.arg = "";
		if (trackid_parse(cfg->tracking_prefix, rest + start, n, more.code, NULL) < 0)
			break;
		if (officer_tipop(db, cfg, o, &more, now) < 0)
			return -1;
	}
	return 0;
}

static int
officer_command(struct db *db, const struct config *cfg, const struct officer *o,
    const char *body, int64_t now)
{
	struct command c;
	char text[MSG_MAX];
	if (command_parse_officer(cfg->tracking_prefix, body, &c) < 0)
		c.kind = CMD_NONE;
	if (db_audit(db, now, o->name, "officer.command", 0, NULL) < 0)
		return -1;
	switch (c.kind) {
	case CMD_ACK:
	case CMD_CLOSE:
		if (c.id_state == CMD_ID_OK) {
			if (officer_tipop(db, cfg, o, &c, now) < 0)
				return -1;
			return c.kind == CMD_ACK ? officer_ack_more(db, cfg, o, c.arg, c.arg_len, now) : 0;
		}
		if (c.id_state == CMD_ID_INVALID) {
			msg_bad_id(c.bad_token, text);
			return notify_officer_reply(db, cfg, o->id, 0, text, now);
		}
		if (c.kind == CMD_ACK)
			return officer_bare_ack(db, cfg, o, now);
		msg_usage("XONG", text);
		return notify_officer_reply(db, cfg, o->id, 0, text, now);
	case CMD_LIST:
		return officer_list(db, cfg, o, now);
	case CMD_ASK:
		return relay_ask(db, cfg, o, &c, now);
	case CMD_TRANSFER:
		return relay_transfer(db, cfg, o, &c, now);
	default:
		msg_officer_help(text);
		return notify_officer_reply(db, cfg, o->id, 0, text, now);
	}
}

/* ------------------------------------------------------------ citizens */

static int
reply_citizen(struct db *db, const struct config *cfg, const struct inbound *m, int64_t tip_id,
    const char *kind, const char *text, int64_t now)
{
	if (!m->sender_sealed || !m->sender_sealed_len)
		return 0;          /* no address, or loop protection took it away */
	int allowed = abuse_reply_allowed(db, cfg, m->pseudonym, now);
	if (allowed < 0)
		return -1;
	if (!allowed) {
		log_info(TAG, "sender %.8s: %s reply not sent ([abuse] replies_per_day reached)",
		    m->pseudonym, kind);
		return 0;
	}
	if (notify_citizen(db, cfg, m->channel, m->sender_sealed, m->sender_sealed_len, tip_id,
	    kind, text, now) < 0)
		return -1;
	return tip_id ? db_tip_message_add(db, tip_id, "out", 0, 0, text, now) : 0;
}

static enum route_outcome
new_tip(struct db *db, const struct config *cfg, const struct inbound *m, const char *ref_code,
    int64_t now, int64_t *tip_id)
{
	enum abuse_verdict v = abuse_check_new_tip(db, cfg, m, now);
	if (v == ABUSE_ERROR)
		return ROUTE_ERROR;
	if (v == ABUSE_LIMITED) {
		int first = abuse_first_refusal(db, m->pseudonym, now);
		char text[MSG_MAX];
		char detail[48];
		snprintf(detail, sizeof detail, "message %lld", (long long)m->id);
		if (first < 0 || db_audit(db, now, "tinbaod", "sender.rate_limited", 0, detail) < 0)
			return ROUTE_ERROR;
		log_warn(TAG, "message %lld: sender %.8s is over the tip limit; kept, no tip made%s",
		    (long long)m->id, m->pseudonym, first ? ", told once today" : "");
		msg_rate_limited(text);
		if (first && reply_citizen(db, cfg, m, 0, "rate_limited", text, now) < 0)
			return ROUTE_ERROR;
		return ROUTE_HELD;
	}
	struct tip t;
	memset(&t, 0, sizeof t);
	t.channel = m->channel;
	t.pseudonym = m->pseudonym;
	t.sender_sealed = m->sender_sealed;
	t.sender_sealed_len = m->sender_sealed_len;
	/* the text split into syllables once, for the category and urgency */
	struct syllables *words = syllables_split(m->text);
	if (!words)
		return ROUTE_ERROR;
	t.category = (char *)(cfg->categories ? category_guess_split(cfg->categories, words) :
	    category_guess(m->text));
	t.urgent = urgency_match_split(cfg, words);
	syllables_free(words);
	if (t.urgent < 0)
		return ROUTE_ERROR;
	t.text = m->text;
	t.ref_code = (char *)ref_code;
	t.partial = m->partial;
	t.created_at = now;
	t.level = 1;
	int64_t id = 0;
	for (int tries = 0; tries < 16 && id == 0; tries++) {
		if (trackid_new(t.code) < 0)
			return ROUTE_ERROR;
		id = db_tip_insert(db, &t);
	}
	if (id <= 0)
		return ROUTE_ERROR;
	*tip_id = id;
	char fid[24], text[MSG_MAX];
	trackid_format(cfg->tracking_prefix, t.code, fid, sizeof fid);
	if (db_tip_message_add(db, id, "in", m->id, 0, m->text, now) < 0 ||
	    db_audit(db, now, "tinbaod", "tip.new", id, ref_code ? "mentions another tip" : NULL) < 0)
		return ROUTE_ERROR;
	if (ref_code) {
		char note[96], rid[24];
		trackid_format(cfg->tracking_prefix, ref_code, rid, sizeof rid);
		snprintf(note, sizeof note, "Người báo nhắc đến mã %s (của người khác).", rid);
		if (db_tip_message_add(db, id, "note", 0, 0, note, now) < 0)
			return ROUTE_ERROR;
	}
	msg_receipt(cfg, fid, t.code, text);
	if (reply_citizen(db, cfg, m, id, "receipt", text, now) < 0)
		return ROUTE_ERROR;
	log_info(TAG, "%s: new tip from sender %.8s via %s (%zu characters%s%s)", fid, m->pseudonym,
	    m->channel, text_chars(m->text), t.urgent ? ", urgent" : "",
	    m->partial ? ", parts missing" : "");
	struct tip fresh;
	if (db_tip_by_id(db, id, &fresh) <= 0)
		return ROUTE_ERROR;
	int rc = escalate_start(db, cfg, &fresh, now);
	tip_clear(&fresh);
	return rc < 0 ? ROUTE_ERROR : ROUTE_NEW_TIP;
}

static enum route_outcome
followup(struct db *db, const struct config *cfg, const struct inbound *m, const struct tip *t,
    const char *text_in, int64_t now)
{
	char fid[24], text[MSG_MAX];
	trackid_format(cfg->tracking_prefix, t->code, fid, sizeof fid);
	if (db_tip_message_add(db, t->id, "in", m->id, 0, text_in, now) < 0 ||
	    db_tip_touch_citizen(db, t->id, now) < 0 ||
	    db_audit(db, now, "tinbaod", "tip.followup", t->id, NULL) < 0)
		return ROUTE_ERROR;
	/* Tell the officer who asked, else the owner, else everyone told so
	 * far while nobody owns it. */
	int64_t asker = 0;
	int answered = relay_answer(db, cfg, t, text_in, now, &asker);
	if (answered < 0)
		return ROUTE_ERROR;
	msg_citizen_added(fid, now, text_in, text);
	if (answered) {
		/* told by relay_answer; the owner too when the tip was handed
		 * over after the question (the asker's answer, but the owner's
		 * tip: it must not go unseen) */
		int moved = t->acked_by && t->acked_by != asker ?
		    db_relay_handed_over_since_question(db, t->id) : 0;
		if (moved < 0 || (moved && notify_officer(db, cfg, t->acked_by, t->id, "followup",
		    text, now) < 0))
			return ROUTE_ERROR;
	} else if (t->acked_by) {
		if (notify_officer(db, cfg, t->acked_by, t->id, "followup", text, now) < 0)
			return ROUTE_ERROR;
	} else {
		int64_t told[ESCALATE_MAX_ON_DUTY * ESCALATE_TOP_LEVEL];
		size_t n = 0;
		if (db_notified_list(db, t->id, told, sizeof told / sizeof told[0], &n) < 0)
			return ROUTE_ERROR;
		for (size_t i = 0; i < n; i++)
			if (notify_officer(db, cfg, told[i], t->id, "followup", text, now) < 0)
				return ROUTE_ERROR;
	}
	if (m->partial)         /* never tell the citizen more than was kept */
		msg_followup_partial(fid, text);
	else
		msg_followup_stored(fid, text);
	if (reply_citizen(db, cfg, m, t->id, "followup_ack", text, now) < 0)
		return ROUTE_ERROR;
	log_info(TAG, "%s: follow-up from its sender (%zu characters)", fid, text_chars(text_in));
	return ROUTE_FOLLOWUP;
}

static enum route_outcome
status(struct db *db, const struct config *cfg, const struct inbound *m, const struct command *c,
    int64_t now)
{
	char text[MSG_MAX], fid[40];
	struct tip t;
	int found = 0;
	memset(&t, 0, sizeof t);
	if (c->id_state == CMD_ID_OK) {
		trackid_format(cfg->tracking_prefix, c->code, fid, sizeof fid);
		found = db_tip_by_code(db, c->code, &t);
		if (found < 0)
			return ROUTE_ERROR;
	} else if (c->id_state == CMD_ID_NONE) {
		/* Bare "TT": the sender's latest open tip, else their latest
		 * (a closed one says so), or how to ask. */
		found = db_tip_recent_for(db, m->pseudonym, 0, &t);
		if (found == 0)
			found = db_tip_latest_for(db, m->pseudonym, &t);
		if (found < 0)
			return ROUTE_ERROR;
		if (!found) {
			msg_usage("TT", text);
			if (reply_citizen(db, cfg, m, 0, "status", text, now) < 0)
				return ROUTE_ERROR;
			return ROUTE_STATUS;
		}
		trackid_format(cfg->tracking_prefix, t.code, fid, sizeof fid);
	} else {
		snprintf(fid, sizeof fid, "%s", c->bad_token);
	}
	/* Somebody else's tip gets the same answer as one that does not exist. */
	if (found && strcmp(t.pseudonym, m->pseudonym) != 0) {
		tip_clear(&t);
		found = 0;
	}
	if (!found)
		msg_status_not_found(fid, text);
	else if (t.status != TIP_CLOSED && t.passed_at)
		msg_status_passed(fid, text);
	else if (t.status == TIP_NEW)
		msg_status_waiting(fid, text);
	else if (t.status == TIP_ACKNOWLEDGED)
		msg_status_acknowledged(fid, text);
	else
		msg_status_closed(fid, text);
	int64_t tip_id = found ? t.id : 0;
	if (found)
		tip_clear(&t);
	if (reply_citizen(db, cfg, m, tip_id, "status", text, now) < 0)
		return ROUTE_ERROR;
	return ROUTE_STATUS;
}

static enum route_outcome
citizen(struct db *db, const struct config *cfg, const struct inbound *m, int64_t now,
    int64_t *tip_id)
{
	enum abuse_verdict v = abuse_check_sender(db, m);
	if (v == ABUSE_ERROR)
		return ROUTE_ERROR;
	if (v == ABUSE_MUTED) {
		log_info(TAG, "message %lld from muted sender %.8s: kept, not routed, not answered",
		    (long long)m->id, m->pseudonym);
		return ROUTE_HELD;
	}
	struct command c;
	if (command_parse_citizen(cfg->tracking_prefix, m->text, &c) < 0)
		c.kind = CMD_NONE;
	if (c.kind == CMD_STATUS)
		return status(db, cfg, m, &c, now);

	struct tip t;
	const char *ref_code = NULL;
	char ref[TRACKID_CODE_LEN + 1];
	if (c.kind == CMD_FOLLOWUP && c.id_state == CMD_ID_OK) {
		int found = db_tip_by_code(db, c.code, &t);
		if (found < 0)
			return ROUTE_ERROR;
		if (found && strcmp(t.pseudonym, m->pseudonym) == 0) {
			char *body = strndup(c.arg, c.arg_len);       /* whole, never cut */
			*tip_id = t.id;
			enum route_outcome r = body ? followup(db, cfg, m, &t, *body ? body : m->text,
			    now) : ROUTE_ERROR;
			free(body);
			tip_clear(&t);
			return r;
		}
		if (found) {
			/* A stranger quoting someone's ID is answered exactly as one
			 * quoting an ID that does not exist (a follow-up to their own
			 * open tip, or a new tip), so the answer never says whether
			 * the ID exists; the tip notes the mention. */
			snprintf(ref, sizeof ref, "%s", c.code);
			ref_code = ref;
			tip_clear(&t);
		}
	}
	int found = db_tip_recent_for(db, m->pseudonym, now - cfg->followup_window, &t);
	if (found < 0)
		return ROUTE_ERROR;
	if (!found) {
		/* A plain answer to an officer's question asked within the window. */
		int64_t asked = 0;
		int q = db_relay_open_question(db, m->pseudonym, now - cfg->followup_window, &asked);
		if (q < 0 || (q > 0 && (found = db_tip_by_id(db, asked, &t)) < 0))
			return ROUTE_ERROR;
	}
	if (found) {
		*tip_id = t.id;
		enum route_outcome r = followup(db, cfg, m, &t, m->text, now);
		if (r != ROUTE_ERROR && ref_code) {
			char note[96], rid[24];
			trackid_format(cfg->tracking_prefix, ref_code, rid, sizeof rid);
			snprintf(note, sizeof note, "Người báo nhắc đến mã %s (của người khác).", rid);
			if (db_tip_message_add(db, t.id, "note", 0, 0, note, now) < 0)
				r = ROUTE_ERROR;
		}
		tip_clear(&t);
		return r;
	}
	return new_tip(db, cfg, m, ref_code, now, tip_id);
}

/* ---------------------------------------------------------------- entry */

/* Is the sender an officer in the roster? 1 (o filled), 0, -1. */
static int
find_officer(struct db *db, const struct identity *id, const struct inbound *m,
    struct officer *o)
{
	char addr[IDENTITY_ADDR_MAX + 1], phone[40];
	if (!m->sender_sealed_len)
		return 0;
	if (identity_unseal(id, m->sender_sealed, m->sender_sealed_len, addr, sizeof addr) < 0) {
		log_warn(TAG, "message %lld: the sender's address cannot be opened with this key; "
		    "treated as a citizen without a reply address", (long long)m->id);
		return 0;
	}
	int found = 0;
	if (strcmp(m->channel, "sms") == 0) {
		if (phone_normalize(addr, phone, sizeof phone) == 0)
			found = db_officer_by_phone(db, phone, o);
		identity_wipe(phone, sizeof phone);
	} else {
		found = db_officer_by_zalo(db, m->channel, addr, o);
	}
	identity_wipe(addr, sizeof addr);
	return found;
}

/* A channel event (a follow, an unfollow): recorded by the sender's
 * pseudonym, never a tip, and the row is not kept. */
static enum route_outcome
record_event(struct db *db, const struct inbound *m)
{
	return db_audit(db, m->received_at, m->channel, m->text, 0, m->pseudonym) < 0 ?
	    ROUTE_ERROR : ROUTE_NOT_KEPT;
}

/* Anybody but an officer who mentions the bot in a group gets one short
 * answer in the group that repeats none of their text; the message is never
 * a tip (the whole group can read it) and is not kept. */
static enum route_outcome
group_stranger(struct db *db, const struct inbound *m, int64_t now)
{
	char text[MSG_MAX];
	msg_group_steer(text);
	if (m->chat && notify_group(db, m->chat, 0, "group_steer", text, now) < 0)
		return ROUTE_ERROR;
	log_info(TAG, "a group message mentioned the bot: answered with the private-chat hint");
	return ROUTE_NOT_KEPT;
}

static enum route_outcome
route_decide(struct db *db, const struct config *cfg, const struct identity *id,
    const struct inbound *m, int64_t now, int64_t *tip_id)
{
	*tip_id = 0;
	if (m->kind == INBOUND_EVENT)
		return record_event(db, m);
	struct officer o;
	int found = find_officer(db, id, m, &o);
	if (found < 0)
		return ROUTE_ERROR;
	if (found) {
		/* in a group the command follows the mention of the bot */
		const char *text = m->kind == INBOUND_GROUP ? command_after_mention(m->text) : m->text;
		int rc = officer_command(db, cfg, &o, text, now);
		officer_clear(&o);
		return rc < 0 ? ROUTE_ERROR : ROUTE_COMMAND;
	}
	if (m->kind == INBOUND_GROUP)
		return group_stranger(db, m, now);
	if (m->sender_sealed_len && !abuse_answerable(cfg, id, m)) {
		/* Loop protection: a short code, an alphanumeric sender or our own
		 * modem is never answered; its tip keeps no reply address. */
		struct inbound quiet = *m;
		quiet.sender_sealed = NULL;
		quiet.sender_sealed_len = 0;
		log_info(TAG, "message %lld: sender %.8s is not answered (loop protection)",
		    (long long)m->id, m->pseudonym);
		return citizen(db, cfg, &quiet, now, tip_id);
	}
	return citizen(db, cfg, m, now, tip_id);
}

enum route_outcome
route_message(struct db *db, const struct config *cfg, const struct identity *id,
    const struct inbound *m, int64_t now, int64_t *tip_id)
{
	enum route_outcome out = route_decide(db, cfg, id, m, now, tip_id);
	/* A file is fetched only for a message that is part of a tip: not for
	 * a muted or rate-limited sender, a status query, an officer's command
	 * or an event (nothing would hold it, and anybody could fill the disk). */
	if (out != ROUTE_ERROR && *tip_id == 0 && m->channel_msg_id &&
	    db_attachments_drop(db, m->channel, m->channel_msg_id,
	    "not fetched: the message made no tip (muted or over the limit, a command or a "
	    "status query)") < 0)
		return ROUTE_ERROR;
	return out;
}
