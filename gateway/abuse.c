/* abuse — see abuse.h. */
#include "gateway/abuse.h"

#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/phone.h"
#include "gateway/timeutil.h"

#define TAG "abuse"
#define ABUSE_SHORT_CODE_DIGITS 6
#define HOUR 3600
#define DAY (24 * 3600)

int
abuse_address_answerable(const struct config *cfg, const char *channel, const char *addr)
{
	if (!addr || !*addr)
		return 0;
	if (strcmp(channel, "sms") != 0)
		return 1;             /* a Zalo id: only the daily cap applies */
	const char *digits = addr + (*addr == '+');
	size_t n = strlen(digits);
	if (n == 0 || strspn(digits, "0123456789") != n)
		return 0;             /* alphanumeric sender (a brand, a carrier) */
	if (n <= ABUSE_SHORT_CODE_DIGITS)
		return 0;             /* a short code: service numbers answer back */
	char mine[40], theirs[40];
	if (phone_normalize(addr, theirs, sizeof theirs) < 0)
		return 0;
	for (size_t i = 0; i < cfg->n_modems; i++) {
		const char *own = cfg->modems[i].own_number;
		if (own && phone_normalize(own, mine, sizeof mine) == 0 &&
		    strcmp(mine, theirs) == 0)
			return 0;     /* one of our own modems: a loop */
	}
	return 1;
}

int
abuse_answerable(const struct config *cfg, const struct identity *id, const struct inbound *m)
{
	char addr[IDENTITY_ADDR_MAX + 1];
	if (!m->sender_sealed || !m->sender_sealed_len)
		return 0;
	if (identity_unseal(id, m->sender_sealed, m->sender_sealed_len, addr, sizeof addr) < 0)
		return 0;
	int ok = abuse_address_answerable(cfg, m->channel, addr);
	identity_wipe(addr, sizeof addr);
	return ok;
}

enum abuse_verdict
abuse_check_sender(struct db *db, const struct inbound *m)
{
	int muted = db_sender_muted(db, m->pseudonym);
	if (muted < 0)
		return ABUSE_ERROR;
	return muted ? ABUSE_MUTED : ABUSE_OK;
}

enum abuse_verdict
abuse_check_new_tip(struct db *db, const struct config *cfg, const struct inbound *m,
    int64_t now)
{
	int64_t hour = 0, day = 0;
	if (db_sender_tips_since(db, m->pseudonym, now - HOUR, &hour) < 0 ||
	    db_sender_tips_since(db, m->pseudonym, now - DAY, &day) < 0)
		return ABUSE_ERROR;
	if (hour >= cfg->tips_per_hour || day >= cfg->tips_per_day)
		return ABUSE_LIMITED;
	return ABUSE_OK;
}

static void
local_day(int64_t now, char day[16])
{
	char buf[32];
	timeutil_format_local(now, buf, sizeof buf);
	snprintf(day, 16, "%.10s", buf);
}

int
abuse_reply_allowed(struct db *db, const struct config *cfg, const char *pseudonym, int64_t now)
{
	char day[16];
	local_day(now, day);
	return db_sender_reply_allowed(db, pseudonym, day, cfg->replies_per_day);
}

int
abuse_first_refusal(struct db *db, const char *pseudonym, int64_t now)
{
	char day[16];
	local_day(now, day);
	return db_sender_first_refusal(db, pseudonym, day);
}
