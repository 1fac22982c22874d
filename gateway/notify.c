/* notify — see notify.h. */
#include "gateway/notify.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
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

int
notify_officer(struct db *db, const struct config *cfg, int64_t officer_id, int64_t tip_id,
    const char *kind, const char *text, int64_t now)
{
	(void)cfg;
	struct officer o;
	int found = db_officer_by_id(db, officer_id, &o);
	if (found <= 0)
		return found < 0 ? -1 : 0;
	int rc = 0;
	if (o.active) {
		char *body = render(text, 1);
		/* Zalo delivery for officers arrives with the HTTP side; until then
		 * every officer is reached on their phone. */
		rc = body && db_outbox_add(db, "sms", o.phone, NULL, 0, officer_id, tip_id, kind,
		    body, now) > 0 ? 0 : -1;
		free(body);
	}
	officer_clear(&o);
	return rc;
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
notify_tip_citizen(struct db *db, const struct config *cfg, const struct tip *t,
    const char *kind, const char *text, int64_t now)
{
	return notify_citizen(db, cfg, t->channel, t->sender_sealed, t->sender_sealed_len, t->id,
	    kind, text, now);
}
