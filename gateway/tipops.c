/* tipops — see tipops.h. */
#include "gateway/tipops.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/trackid.h"

#define TAG "tipops"
#define TIPOPS_TOLD_MAX 256

static void
put_reply(char *reply, size_t replysz, const char *text)
{
	if (reply && replysz)
		snprintf(reply, replysz, "%s", text);
}

/* Load the tip and the officer's name; fills id. 1 found, 0 unknown, -1 error. */
static int
load(struct db *db, const struct config *cfg, const char *code, struct tip *t, char *id,
    size_t idsz)
{
	trackid_format(cfg->tracking_prefix, code, id, idsz);
	return db_tip_by_code(db, code, t);
}

enum tipops_result
tipops_ack_in_tx(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    int64_t now, int via_officer_sms, char *reply, size_t replysz)
{
	struct tip t;
	char id[24], text[MSG_MAX];
	int found = load(db, cfg, code, &t, id, sizeof id);
	if (found < 0)
		return TIPOPS_ERROR;
	if (found == 0) {
		msg_unknown_tip(id, text);
		put_reply(reply, replysz, text);
		return TIPOPS_UNKNOWN;
	}
	enum tipops_result res = TIPOPS_ERROR;
	struct officer o = { 0 };
	if (t.status == TIP_CLOSED) {
		msg_already_closed(id, text);
		res = TIPOPS_ALREADY;
	} else if (t.status == TIP_ACKNOWLEDGED) {
		msg_already_acked(id, t.acked_by_name, t.acked_at, text);
		res = TIPOPS_ALREADY;
	} else if (db_officer_by_id(db, officer_id, &o) > 0 &&
	    db_tip_ack(db, t.id, officer_id, now) == 0 &&
	    db_audit(db, now, o.name, "tip.ack", t.id, NULL) == 0) {
		int ok = 1;
		msg_ack_notice(cfg, id, text);
		ok &= notify_tip_citizen(db, cfg, &t, "ack_notice", text, now) == 0;
		ok &= db_tip_message_add(db, t.id, "out", 0, 0, text, now) == 0;
		int64_t told[TIPOPS_TOLD_MAX];
		size_t n = 0;
		ok &= db_notified_list(db, t.id, told, TIPOPS_TOLD_MAX, &n) == 0;
		msg_stand_down(id, o.name, now, text);
		for (size_t i = 0; ok && i < n; i++)
			if (told[i] != officer_id)
				ok &= notify_officer(db, cfg, told[i], t.id, "stand_down", text, now) == 0;
		msg_ack_confirm(id, now, text);
		if (ok && via_officer_sms)
			ok &= notify_officer(db, cfg, officer_id, t.id, "confirm", text, now) == 0;
		if (ok) {
			res = TIPOPS_DONE;
			log_info(TAG, "%s acknowledged by officer %lld after %llds", id,
			    (long long)officer_id, (long long)(now - t.created_at));
		}
	}
	if (res != TIPOPS_ERROR)
		put_reply(reply, replysz, text);
	officer_clear(&o);
	tip_clear(&t);
	return res;
}

enum tipops_result
tipops_close_in_tx(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    const char *note, int64_t now, int via_officer_sms, char *reply, size_t replysz)
{
	struct tip t;
	char id[24], text[MSG_MAX];
	int found = load(db, cfg, code, &t, id, sizeof id);
	if (found < 0)
		return TIPOPS_ERROR;
	if (found == 0) {
		msg_unknown_tip(id, text);
		put_reply(reply, replysz, text);
		return TIPOPS_UNKNOWN;
	}
	enum tipops_result res = TIPOPS_ERROR;
	struct officer o = { 0 };
	if (t.status == TIP_CLOSED) {
		msg_already_closed(id, text);
		res = TIPOPS_ALREADY;
	} else if (db_officer_by_id(db, officer_id, &o) > 0 &&
	    db_tip_close(db, t.id, officer_id, note, now) == 0 &&
	    db_audit(db, now, o.name, "tip.close", t.id, note) == 0 &&
	    (!note || !*note || db_tip_message_add(db, t.id, "note", 0, officer_id, note, now) == 0)) {
		int ok = 1;
		msg_closed_notice(id, text);
		ok &= notify_tip_citizen(db, cfg, &t, "closed_notice", text, now) == 0;
		ok &= db_tip_message_add(db, t.id, "out", 0, 0, text, now) == 0;
		msg_close_confirm(id, text);
		if (ok && via_officer_sms)
			ok &= notify_officer(db, cfg, officer_id, t.id, "confirm", text, now) == 0;
		if (ok) {
			res = TIPOPS_DONE;
			log_info(TAG, "%s closed by officer %lld", id, (long long)officer_id);
		}
	}
	if (res != TIPOPS_ERROR)
		put_reply(reply, replysz, text);
	officer_clear(&o);
	tip_clear(&t);
	return res;
}

enum tipops_result
tipops_ack(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    int64_t now, int via_officer_sms, char *reply, size_t replysz)
{
	if (db_begin(db) < 0)
		return TIPOPS_ERROR;
	enum tipops_result r = tipops_ack_in_tx(db, cfg, code, officer_id, now, via_officer_sms,
	    reply, replysz);
	if (r == TIPOPS_ERROR) {
		db_rollback(db);
		return r;
	}
	return db_commit(db) < 0 ? TIPOPS_ERROR : r;
}

enum tipops_result
tipops_close(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    const char *note, int64_t now, int via_officer_sms, char *reply, size_t replysz)
{
	if (db_begin(db) < 0)
		return TIPOPS_ERROR;
	enum tipops_result r = tipops_close_in_tx(db, cfg, code, officer_id, note, now,
	    via_officer_sms, reply, replysz);
	if (r == TIPOPS_ERROR) {
		db_rollback(db);
		return r;
	}
	return db_commit(db) < 0 ? TIPOPS_ERROR : r;
}
