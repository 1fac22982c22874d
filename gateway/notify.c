/* notify — see notify.h. */
#include "gateway/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/roster.h"
#include "gateway/text.h"

#define TAG "notify"

static char *
render(const char *text, int unaccented)
{
	char *clean = text_clean(text, strlen(text));
	if (!clean || !unaccented)
		return clean;
	char *plain = text_unaccent(clean);
	free(clean);
	return plain;
}

static int
queue_officer(struct db *db, const struct config *cfg, int64_t officer_id, int64_t tip_id,
    const char *kind, const char *text, int64_t now, int force_sms)
{
	struct officer o;
	int found = db_officer_by_id(db, officer_id, &o);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	int rc = 0;
	if (o.active) {
		const char *channel = "sms", *dest = o.phone;
		int oa_ready = cfg->oa_app_id && cfg->oa_app_secret_key_file;
		if (!force_sms && strcmp(o.channel, "zalo_oa") == 0 && o.zalo_oa && oa_ready) {
			channel = "zalo_oa";
			dest = o.zalo_oa;
		} else if (!force_sms && strcmp(o.channel, "zalo_bot") == 0 && o.zalo_bot &&
		    cfg->bot_token_file) {
			channel = "zalo_bot";
			dest = o.zalo_bot;
		}
		char *body = render(text, strcmp(channel, "sms") == 0);
		rc = body && db_outbox_add(db, channel, dest, NULL, 0, officer_id, tip_id, kind,
		    body, now) > 0 ? 0 : -1;
		free(body);
	}
	officer_clear(&o);
	return rc;
}

int
notify_officer(struct db *db, const struct config *cfg, int64_t officer_id, int64_t tip_id,
    const char *kind, const char *text, int64_t now)
{
	return queue_officer(db, cfg, officer_id, tip_id, kind, text, now, 0);
}

int
notify_officer_zalo(struct db *db, const struct config *cfg, int64_t officer_id, int64_t tip_id,
    const char *kind, const char *text, int64_t now)
{
	struct officer o;
	int found = db_officer_by_id(db, officer_id, &o);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	const char *channel = NULL, *dest = NULL;
	int oa_ready = cfg->oa_app_id && cfg->oa_app_secret_key_file;
	int bot_ready = cfg->bot_token_file != NULL;
	/* the preferred one first, when it is a Zalo channel */
	if (o.zalo_oa && oa_ready && (strcmp(o.channel, "zalo_oa") == 0 || !o.zalo_bot ||
	    !bot_ready)) {
		channel = "zalo_oa";
		dest = o.zalo_oa;
	} else if (o.zalo_bot && bot_ready) {
		channel = "zalo_bot";
		dest = o.zalo_bot;
	}
	int rc = 0;
	if (o.active && channel) {
		char *body = render(text, 0);
		rc = body && db_outbox_add(db, channel, dest, NULL, 0, officer_id, tip_id, kind, body,
		    now) > 0 ? 1 : -1;
		free(body);
	}
	officer_clear(&o);
	return rc;
}

#define LEADERS_ON_DUTY 64

int
notify_leaders_on_duty(struct db *db, int64_t now, int64_t *out, size_t max, size_t *n,
    int *stand_in)
{
	*n = 0;
	*stand_in = 0;
	int64_t ids[4][LEADERS_ON_DUTY];
	size_t k[4];
	for (int level = 1; level <= 4; level++) {
		if (roster_on_duty(db, level, now, ids[level - 1], LEADERS_ON_DUTY, &k[level - 1]) < 0)
			return -1;
		for (size_t i = 0; i < k[level - 1] && *n < max; i++) {
			int64_t id = ids[level - 1][i];
			int take = level == 3, seen = 0;
			if (!take) {
				struct officer o;
				int f = db_officer_by_id(db, id, &o);
				if (f < 0)
					return -1;
				take = f > 0 && o.role && strcmp(o.role, "leader") == 0;
				if (f > 0)
					officer_clear(&o);
			}
			for (size_t j = 0; j < *n; j++)
				seen |= out[j] == id;
			if (take && !seen)
				out[(*n)++] = id;
		}
	}
	for (int level = 4; *n == 0 && level >= 1; level--)
		for (size_t i = 0; i < k[level - 1] && *n < max; i++) {
			out[(*n)++] = ids[level - 1][i];
			*stand_in = level;
		}
	return 0;
}

int
notify_officer_sms(struct db *db, const struct config *cfg, int64_t officer_id, int64_t tip_id,
    const char *kind, const char *text, int64_t now)
{
	return queue_officer(db, cfg, officer_id, tip_id, kind, text, now, 1);
}

int64_t
notify_officer_on(struct db *db, int64_t officer_id, const char *channel, const char *kind,
    const char *text, int64_t now)
{
	struct officer o;
	int found = db_officer_by_id(db, officer_id, &o);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	const char *dest = strcmp(channel, "sms") == 0 ? o.phone :
	    strcmp(channel, "zalo_oa") == 0 ? o.zalo_oa :
	    strcmp(channel, "zalo_bot") == 0 ? o.zalo_bot : NULL;
	int64_t id = 0;
	if (o.active && dest) {
		char *body = render(text, strcmp(channel, "sms") == 0);
		id = body ? db_outbox_add(db, channel, dest, NULL, 0, officer_id, 0, kind, body, now) :
		    -1;
		free(body);
	}
	officer_clear(&o);
	return id;
}

int
notify_citizen(struct db *db, const struct config *cfg, const char *channel,
    const unsigned char *sealed, size_t sealed_len, int64_t tip_id, const char *kind,
    const char *text, int64_t now)
{
	if (!sealed || !sealed_len) {
		log_warn(TAG, "no reply address for %s message (tip %lld): not sent", kind,
		    (long long)tip_id);
		return 0;
	}
	int unaccented = strcmp(channel, "sms") == 0 && cfg->unaccented_sms;
	char *body = render(text, unaccented);
	if (!body)
		return -1;
	int64_t id = db_outbox_add(db, channel, NULL, sealed, sealed_len, 0, tip_id, kind, body, now);
	free(body);
	return id > 0 ? 0 : -1;
}

int
notify_group(struct db *db, const char *chat, int64_t tip_id, const char *kind,
    const char *text, int64_t now)
{
	char *body = render(text, 0);
	if (!body)
		return -1;
	/* "[@..." would mention people in a Zalo group: relayed text must not */
	for (char *p = strstr(body, "[@"); p; p = strstr(p + 1, "[@"))
		*p = '(';
	int rc = db_outbox_add(db, "zalo_bot", chat, NULL, 0, 0, tip_id, kind, body, now) > 0 ?
	    0 : -1;
	free(body);
	return rc;
}

int
notify_duty_group(struct db *db, const struct config *cfg, int64_t tip_id, const char *kind,
    const char *text, int64_t now)
{
	if (!cfg->bot_duty_group || !*cfg->bot_duty_group || !cfg->bot_token_file)
		return 0;
	return notify_group(db, cfg->bot_duty_group, tip_id, kind, text, now);
}

int
notify_tip_citizen(struct db *db, const struct config *cfg, const struct tip *t,
    const char *kind, const char *text, int64_t now)
{
	return notify_citizen(db, cfg, t->channel, t->sender_sealed, t->sender_sealed_len, t->id,
	    kind, text, now);
}

int
notify_officer_reply(struct db *db, const struct config *cfg, int64_t officer_id,
    int64_t tip_id, const char *text, int64_t now)
{
	return notify_officer(db, cfg, officer_id, tip_id, "reply", text, now);
}
