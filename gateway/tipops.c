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

/* What every operation holds while it runs. */
struct op {
	struct tip t;
	struct officer o;
	char id[24];
	char text[MSG_MAX];
};

/* The preamble of every operation: load the tip named by code, which must
 * not be closed. TIPOPS_DONE to go on; TIPOPS_UNKNOWN or TIPOPS_ALREADY
 * (closed) with the answer in op->text; TIPOPS_ERROR. */
static enum tipops_result
op_begin(struct op *op, struct db *db, const struct config *cfg, const char *code)
{
	memset(op, 0, sizeof *op);
	trackid_format(cfg->tracking_prefix, code, op->id, sizeof op->id);
	int found = db_tip_by_code(db, code, &op->t);
	if (found < 0)
		return TIPOPS_ERROR;
	if (found == 0) {
		msg_unknown_tip(op->id, op->text);
		return TIPOPS_UNKNOWN;
	}
	if (op->t.status == TIP_CLOSED) {
		msg_already_closed(op->id, op->text);
		return TIPOPS_ALREADY;
	}
	return TIPOPS_DONE;
}

/* The end of every operation: the answer goes to reply unless the database
 * failed; what op holds is freed. Returns res. */
static enum tipops_result
op_end(struct op *op, enum tipops_result res, char *reply, size_t replysz)
{
	if (res != TIPOPS_ERROR)
		put_reply(reply, replysz, op->text);
	officer_clear(&op->o);
	tip_clear(&op->t);
	return res;
}

/* The audit row of an operation: by the officer, or by `by` for them. */
static int
op_audit(struct db *db, const struct op *op, const char *by, const char *action,
    const char *detail, int64_t now)
{
	return by ? db_audit_for(db, now, by, op->o.name, action, op->t.id, detail) :
	    db_audit(db, now, op->o.name, action, op->t.id, detail);
}

static enum tipops_result
ack_in_tx(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    int64_t now, int via_officer_sms, const char *by, char *reply, size_t replysz)
{
	struct op op;
	enum tipops_result res = op_begin(&op, db, cfg, code);
	if (res != TIPOPS_DONE)
		return op_end(&op, res, reply, replysz);
	res = TIPOPS_ERROR;
	struct tip *t = &op.t;
	char *text = op.text;
	if (t->status == TIP_ACKNOWLEDGED) {
		msg_already_acked(op.id, t->acked_by_name, t->acked_at, text);
		res = TIPOPS_ALREADY;
	} else if (db_officer_by_id(db, officer_id, &op.o) > 0 &&
	    db_tip_ack(db, t->id, officer_id, now) == 0 &&
	    op_audit(db, &op, by, "tip.ack", NULL, now) == 0) {
		int ok = 1;
		int citizen_told = t->sender_sealed && t->sender_sealed_len;
		if (citizen_told) {
			msg_ack_notice(cfg, op.id, text);
			ok &= notify_tip_citizen(db, cfg, t, "ack_notice", text, now) == 0;
			ok &= db_tip_message_add(db, t->id, "out", 0, 0, text, now) == 0;
		}
		int64_t told[TIPOPS_TOLD_MAX];
		size_t n = 0;
		ok &= db_notified_list(db, t->id, told, TIPOPS_TOLD_MAX, &n) == 0;
		msg_stand_down(op.id, op.o.name, now, text);
		for (size_t i = 0; ok && i < n; i++)
			if (told[i] != officer_id)
				ok &= notify_officer(db, cfg, told[i], t->id, "stand_down", text,
				    now) == 0;
		msg_ack_confirm(op.id, now, citizen_told, text);
		if (ok && via_officer_sms)
			ok &= notify_officer(db, cfg, officer_id, t->id, "confirm", text, now) == 0;
		if (ok) {
			res = TIPOPS_DONE;
			log_info(TAG, "%s acknowledged by officer %lld after %llds", op.id,
			    (long long)officer_id, (long long)(now - t->created_at));
		}
	}
	return op_end(&op, res, reply, replysz);
}

/* Somebody other than the owner closed t: the owner and everyone told about
 * it (but the closer) are told who did. 0 / -1. */
static int
tell_closed(struct db *db, const struct config *cfg, const struct tip *t, int64_t closer,
    const char *closer_name, int64_t now)
{
	int64_t told[TIPOPS_TOLD_MAX + 1];
	size_t n = 0;
	if (db_notified_list(db, t->id, told, TIPOPS_TOLD_MAX, &n) < 0)
		return -1;
	int have_owner = !t->acked_by;
	for (size_t i = 0; i < n; i++)
		have_owner |= told[i] == t->acked_by;
	if (!have_owner)
		told[n++] = t->acked_by;
	char id[24], text[MSG_MAX];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	msg_closed_by_other(id, closer_name, now, text);
	for (size_t i = 0; i < n; i++)
		if (told[i] != closer && notify_officer(db, cfg, told[i], t->id, "closed_by_other",
		    text, now) < 0)
			return -1;
	return 0;
}

static enum tipops_result
close_in_tx(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    const char *note, int64_t now, int via_officer_sms, const char *by, char *reply,
    size_t replysz)
{
	struct op op;
	enum tipops_result res = op_begin(&op, db, cfg, code);
	if (res != TIPOPS_DONE)
		return op_end(&op, res, reply, replysz);
	res = TIPOPS_ERROR;
	struct tip *t = &op.t;
	char *text = op.text;
	if (db_officer_by_id(db, officer_id, &op.o) > 0 &&
	    db_tip_close(db, t->id, officer_id, note, now) == 0 &&
	    op_audit(db, &op, by, "tip.close", note, now) == 0 &&
	    (!note || !*note || db_tip_message_add(db, t->id, "note", 0, officer_id, note,
	    now) == 0)) {
		int ok = 1;
		int citizen_told = t->sender_sealed && t->sender_sealed_len;
		if (citizen_told) {
			msg_closed_notice(op.id, text);
			ok &= notify_tip_citizen(db, cfg, t, "closed_notice", text, now) == 0;
			ok &= db_tip_message_add(db, t->id, "out", 0, 0, text, now) == 0;
		}
		if (ok && t->acked_by != officer_id)
			ok &= tell_closed(db, cfg, t, officer_id, op.o.name, now) == 0;
		msg_close_confirm(op.id, citizen_told, text);
		if (ok && via_officer_sms)
			ok &= notify_officer(db, cfg, officer_id, t->id, "confirm", text, now) == 0;
		if (ok) {
			res = TIPOPS_DONE;
			log_info(TAG, "%s closed by officer %lld", op.id, (long long)officer_id);
		}
	}
	return op_end(&op, res, reply, replysz);
}

enum tipops_result
tipops_ack_in_tx(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    int64_t now, int via_officer_sms, char *reply, size_t replysz)
{
	return ack_in_tx(db, cfg, code, officer_id, now, via_officer_sms, NULL, reply, replysz);
}

enum tipops_result
tipops_close_in_tx(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    const char *note, int64_t now, int via_officer_sms, char *reply, size_t replysz)
{
	return close_in_tx(db, cfg, code, officer_id, note, now, via_officer_sms, NULL, reply,
	    replysz);
}

/* The end of an operation in a transaction of its own. */
static enum tipops_result
commit_or_rollback(struct db *db, enum tipops_result r)
{
	if (r == TIPOPS_ERROR) {
		db_rollback(db);
		return r;
	}
	return db_commit(db) < 0 ? TIPOPS_ERROR : r;
}

enum tipops_result
tipops_ack(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    int64_t now, const char *by, char *reply, size_t replysz)
{
	if (db_begin(db) < 0)
		return TIPOPS_ERROR;
	return commit_or_rollback(db, ack_in_tx(db, cfg, code, officer_id, now, 0, by, reply,
	    replysz));
}

enum tipops_result
tipops_close(struct db *db, const struct config *cfg, const char *code, int64_t officer_id,
    const char *note, int64_t now, const char *by, char *reply, size_t replysz)
{
	if (db_begin(db) < 0)
		return TIPOPS_ERROR;
	return commit_or_rollback(db, close_in_tx(db, cfg, code, officer_id, note, now, 0, by,
	    reply, replysz));
}
