/* tipauth — see tipauth.h. */
#include "gateway/tipauth.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/escalate.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/roster.h"
#include "gateway/trackid.h"

#define TAG "router"

enum tipauth
tipauth_check(struct db *db, const struct officer *o, const struct tip *t, int64_t now)
{
	if (t->acked_by && t->acked_by == o->id)
		return TIPAUTH_OWNER;
	if (o->role && (strcmp(o->role, "leader") == 0 || strcmp(o->role, "chief") == 0))
		return TIPAUTH_ROLE;
	int64_t told[ESCALATE_MAX_ON_DUTY * ESCALATE_TOP_LEVEL];
	size_t n = 0;
	if (db_notified_list(db, t->id, told, sizeof told / sizeof told[0], &n) < 0)
		return TIPAUTH_ERROR;
	for (size_t i = 0; i < n; i++)
		if (told[i] == o->id)
			return TIPAUTH_TOLD;
	for (int level = t->level > 1 ? t->level : 1; level <= ESCALATE_TOP_LEVEL; level++) {
		int64_t ids[ESCALATE_MAX_ON_DUTY];
		if (roster_on_duty(db, level, now, ids, ESCALATE_MAX_ON_DUTY, &n) < 0)
			return TIPAUTH_ERROR;
		for (size_t i = 0; i < n; i++)
			if (ids[i] == o->id)
				return TIPAUTH_ON_DUTY;
	}
	return TIPAUTH_REFUSED;
}

int
tipauth_require(struct db *db, const struct config *cfg, const struct officer *o,
    const struct tip *t, const char *command, int64_t now)
{
	enum tipauth a = tipauth_check(db, o, t, now);
	if (a == TIPAUTH_ERROR)
		return -1;
	if (a != TIPAUTH_REFUSED)
		return 1;
	char id[24], text[MSG_MAX], detail[96];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	snprintf(detail, sizeof detail, "%s refused: not the owner, not told, not on duty at level "
	    "%d or above", command, t->level);
	msg_not_yours(id, text);
	if (db_audit(db, now, o->name, "officer.refused", t->id, detail) < 0 ||
	    notify_officer_reply(db, cfg, o->id, t->id, text, now) < 0)
		return -1;
	log_notice(TAG, "%s: %s from officer %lld refused (not theirs)", id, command,
	    (long long)o->id);
	return 0;
}
