/* relay — see relay.h. */
#include "gateway/relay.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "db/db.h"
#include "gateway/command.h"
#include "gateway/config.h"
#include "gateway/escalate.h"
#include "gateway/log.h"
#include "gateway/phone.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipauth.h"
#include "gateway/trackid.h"

#define TAG "relay"
#define RELAY_TARGET_MAX 40

/* Load the tip named by c, answering the officer when it cannot be used.
 * 1 loaded, 0 answered, -1 error. */
static int
load_tip(struct db *db, const struct config *cfg, const struct officer *o,
    const struct command *c, const char *usage, const char *arg_name, struct tip *t, char *fid,
    size_t fidsz, int64_t now)
{
	char text[MSG_MAX];
	if (c->id_state == CMD_ID_INVALID) {
		msg_bad_id(c->bad_token, text);
		return notify_officer_reply(db, cfg, o->id, 0, text, now) < 0 ? -1 : 0;
	}
	if (c->id_state == CMD_ID_NONE || c->arg_len == 0) {
		msg_missing(c->id_state == CMD_ID_NONE ? "mã tin báo" : arg_name, usage, text);
		return notify_officer_reply(db, cfg, o->id, 0, text, now) < 0 ? -1 : 0;
	}
	trackid_format(cfg->tracking_prefix, c->code, fid, fidsz);
	int found = db_tip_by_code(db, c->code, t);
	if (found < 0)
		return -1;
	if (!found) {
		msg_unknown_tip(fid, text);
		return notify_officer_reply(db, cfg, o->id, 0, text, now) < 0 ? -1 : 0;
	}
	return 1;
}

int
relay_ask(struct db *db, const struct config *cfg, const struct officer *o,
    const struct command *c, int64_t now)
{
	struct tip t;
	char fid[24], text[MSG_MAX], question[COMMAND_TEXT_MAX + 1];
	int r = load_tip(db, cfg, o, c, "HOI <mã> <câu hỏi>", "câu hỏi", &t, fid, sizeof fid, now);
	if (r <= 0)
		return r;
	r = tipauth_require(db, cfg, o, &t, "HOI", now);
	if (r <= 0) {
		tip_clear(&t);
		return r;
	}
	snprintf(question, sizeof question, "%.*s", (int)c->arg_len, c->arg);
	int rc = -1;
	size_t chars = text_chars(question);
	if (chars > RELAY_QUESTION_MAX) {
		/* refused, never cut: the tipster must get the whole question */
		msg_relay_too_long(chars, RELAY_QUESTION_MAX, text);
		rc = notify_officer_reply(db, cfg, o->id, t.id, text, now);
		goto out;
	}
	int live = db_tip_address_live(db, t.id);
	if (live < 0)
		goto out;
	int oa_closed = strcmp(t.channel, "zalo_oa") == 0 &&
	    now - t.last_citizen_at > RELAY_OA_WINDOW;
	if (!live || oa_closed) {
		msg_relay_failed(fid, t.channel, live && oa_closed, text);
		if (db_audit(db, now, o->name, "relay.failed", t.id,
		    live ? "Zalo OA window closed" : "no reply address") < 0 ||
		    notify_officer_reply(db, cfg, o->id, t.id, text, now) < 0)
			goto out;
		log_info(TAG, "%s: question from officer %lld not relayed (%s)", fid,
		    (long long)o->id, live ? "Zalo OA window closed" : "no reply address");
		rc = 0;
		goto out;
	}
	msg_relay_question(fid, t.code, question, text);
	if (notify_tip_citizen(db, cfg, &t, "relay_question", text, now) < 0 ||
	    db_tip_message_add(db, t.id, "out", 0, o->id, text, now) < 0 ||
	    db_audit(db, now, o->name, "relay.out", t.id, NULL) < 0)
		goto out;
	msg_relay_sent(fid, text);
	if (notify_officer_reply(db, cfg, o->id, t.id, text, now) < 0)
		goto out;
	log_info(TAG, "%s: question from officer %lld relayed to the tipster via %s", fid,
	    (long long)o->id, t.channel);
	rc = 0;
out:
	tip_clear(&t);
	return rc;
}

int
relay_answer(struct db *db, const struct config *cfg, const struct tip *t, const char *text_in,
    int64_t now, int64_t *asker_out)
{
	int64_t asker = 0;
	int found = db_relay_last_asker(db, t->id, &asker);
	if (found <= 0)
		return found;
	if (asker_out)
		*asker_out = asker;
	char fid[24], text[MSG_MAX];
	trackid_format(cfg->tracking_prefix, t->code, fid, sizeof fid);
	msg_relay_answer(fid, now, text_in, text);
	if (notify_officer(db, cfg, asker, t->id, "relay_answer", text, now) < 0 ||
	    db_audit(db, now, "tinbaod", "relay.in", t->id, NULL) < 0)
		return -1;
	log_info(TAG, "%s: the tipster's answer relayed to officer %lld", fid, (long long)asker);
	return 1;
}

/* The officer named by a CHUYEN argument: a phone number or a short code. */
static int
find_target(struct db *db, const char *arg, struct officer *to)
{
	char phone[RELAY_TARGET_MAX];
	if (phone_normalize(arg, phone, sizeof phone) == 0) {
		int found = db_officer_by_phone(db, phone, to);
		if (found)
			return found;
	}
	return db_officer_by_short_code(db, arg, to);
}

/* Tell the owner and everyone told about the tip, but for the officers in
 * skip[], that somebody else handed it over. */
static int
tell_others(struct db *db, const struct config *cfg, const struct tip *t, int64_t owner,
    const int64_t *skip, size_t nskip, const char *text, int64_t now)
{
	int64_t told[ESCALATE_MAX_ON_DUTY * ESCALATE_TOP_LEVEL + 1];
	size_t n = 0;
	if (db_notified_list(db, t->id, told, sizeof told / sizeof told[0] - 1, &n) < 0)
		return -1;
	int have_owner = !owner;
	for (size_t i = 0; i < n; i++)
		have_owner |= told[i] == owner;
	if (!have_owner)
		told[n++] = owner;
	for (size_t i = 0; i < n; i++) {
		int skipped = 0;
		for (size_t j = 0; j < nskip; j++)
			skipped |= told[i] == skip[j];
		if (!skipped && notify_officer(db, cfg, told[i], t->id, "transferred_by_other", text,
		    now) < 0)
			return -1;
	}
	return 0;
}

int
relay_transfer(struct db *db, const struct config *cfg, const struct officer *o,
    const struct command *c, int64_t now)
{
	struct tip t;
	struct officer to = { 0 };
	char fid[24], text[MSG_MAX], arg[RELAY_TARGET_MAX];
	int r = load_tip(db, cfg, o, c, "CHUYEN <mã> <số điện thoại hoặc mã cán bộ>",
	    "người nhận (số điện thoại hoặc mã cán bộ)", &t, fid, sizeof fid, now);
	if (r <= 0)
		return r;
	int rc = -1;
	const char *a = c->arg;
	size_t alen = c->arg_len;
	/* "CHUYEN 7KM4QX cho E5", "chuyển 7KM4QX cho đ/c 0901234567." */
	if (alen > 4 && strncasecmp(a, "cho ", 4) == 0) {
		a += 4;
		alen -= 4;
		while (alen && *a == ' ')
			a++, alen--;
	}
	while (alen && strchr(".,;:!?", a[alen - 1]))
		alen--;
	snprintf(arg, sizeof arg, "%.*s", (int)(alen < RELAY_TARGET_MAX - 1 ? alen :
	    RELAY_TARGET_MAX - 1), a);
	int allowed = tipauth_require(db, cfg, o, &t, "CHUYEN", now);
	if (allowed <= 0) {
		rc = allowed;
		goto out;
	}
	if (t.status == TIP_CLOSED) {
		msg_already_closed(fid, text);
		rc = notify_officer_reply(db, cfg, o->id, t.id, text, now);
		goto out;
	}
	int found = find_target(db, arg, &to);
	if (found < 0)
		goto out;
	if (found && to.id == o->id) {
		msg_transfer_self(fid, text);
		rc = notify_officer_reply(db, cfg, o->id, t.id, text, now);
		goto out;
	}
	if (!found) {
		msg_transfer_unknown_officer(arg, text);
		rc = notify_officer_reply(db, cfg, o->id, t.id, text, now);
		goto out;
	}
	int64_t old_owner = t.acked_by;
	int64_t delay_ms = escalate_first_window_ms(cfg, t.urgent);
	char note[256], detail[160];
	snprintf(note, sizeof note, "Đ/c %s chuyển cho Đ/c %s.", o->name, to.name);
	snprintf(detail, sizeof detail, "to officer %lld", (long long)to.id);
	if (db_tip_transfer(db, t.id, to.id, timeutil_now_ms() + delay_ms, now) < 0 ||
	    db_notified_add(db, t.id, to.id, 1, now) < 0 ||
	    db_tip_message_add(db, t.id, "note", 0, o->id, note, now) < 0 ||
	    db_audit(db, now, o->name, "tip.transfer", t.id, detail) < 0)
		goto out;
	msg_transfer(fid, t.code, o->name, t.text, text);
	if (notify_officer(db, cfg, to.id, t.id, "transfer", text, now) < 0)
		goto out;
	msg_transfer_done(fid, to.name, text);
	if (notify_officer_reply(db, cfg, o->id, t.id, text, now) < 0)
		goto out;
	if (old_owner != o->id) {
		/* somebody other than the owner handed it over: the owner and
		 * everyone told are told who did */
		int64_t skip[2] = { o->id, to.id };
		msg_transferred_by_other(fid, o->name, to.name, now, text);
		if (tell_others(db, cfg, &t, old_owner, skip, 2, text, now) < 0)
			goto out;
	}
	log_info(TAG, "%s handed over by officer %lld to officer %lld; deadline in %.1fs", fid,
	    (long long)o->id, (long long)to.id, (double)delay_ms / 1000);
	rc = 0;
out:
	officer_clear(&to);
	tip_clear(&t);
	return rc;
}
