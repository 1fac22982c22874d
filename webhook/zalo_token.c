/* zalo_token — the Official Account's access token, kept by the dispatcher
 * thread (see zalo_out_internal.h).
 *
 * The pair (access token, single-use refresh token) lives sealed in the
 * database (db_oa_token_*). The access token is refreshed ZO_REFRESH_AHEAD
 * before it ends or when Zalo refuses it, one refresh at a time
 * (single-flight); the new pair is committed, sealed, before it is used, since
 * the old refresh token is dead once Zalo answered. A refused refresh token
 * needs an administrator (`tinbao zalo-oa token --refresh`): OA sends then
 * wait, and a re-seeded pair is noticed within ZO_TOKEN_CHECK seconds.
 * Tokens and secrets are wiped after use and never logged.
 */
#include "webhook/zalo_out_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/log.h"

#define ZO_REFRESH_AHEAD (5 * 3600)   /* refresh this long before the access token ends */
#define ZO_TOKEN_CHECK 30             /* seconds between looks for a re-seeded token */
#define ZO_REFRESH_PAUSE 30           /* seconds after a refresh that did not complete */

/* Ask for a new token pair with the stored refresh token in slot t. */
static void
start_refresh(struct zalo_out *z, struct transfer *t)
{
	struct oa_token stored;
	char refresh[IDENTITY_SECRET_MAX + 1];
	int found = db_oa_token_get(z->db, &stored);
	if (found <= 0 || identity_unseal(z->id, stored.refresh, stored.refresh_len, refresh,
	    sizeof refresh) < 0) {
		if (!z->tok.reauth)
			log_error("zalo oa", "no usable Official Account refresh token: run "
			    "`tinbao zalo-oa token --refresh TOKEN`; OA replies wait in the outbox");
		z->tok.reauth = 1;
		z->tok.seen = found > 0 ? stored.updated_at : 0;
		if (found > 0)
			oa_token_clear(&stored);
		return;
	}
	z->tok.seen = stored.updated_at;
	oa_token_clear(&stored);
	char *app = curl_easy_escape(NULL, z->cfg->oa_app_id, 0);
	char *rt = curl_easy_escape(NULL, refresh, 0);
	identity_wipe(refresh, sizeof refresh);
	char body[3 * IDENTITY_SECRET_MAX + 128], url[512], header[ZO_TOKEN_MAX + 32];
	int ok = 0;
	if (app && rt) {
		snprintf(body, sizeof body, "refresh_token=%s&app_id=%s&grant_type=refresh_token", rt,
		    app);
		snprintf(url, sizeof url, "%s/v4/oa/access_token", z->cfg->oa_oauth_base);
		snprintf(header, sizeof header, "secret_key: %s", z->tok.app_secret);
		t->kind = REFRESH_OA;
		ok = zalo_post(z, t, url, body, "application/x-www-form-urlencoded", header) == 0;
		identity_wipe(body, sizeof body);
		identity_wipe(header, sizeof header);
	}
	if (rt)
		identity_wipe(rt, strlen(rt));
	curl_free(app);
	curl_free(rt);
	if (ok) {
		z->tok.refreshing = 1;
		log_info("zalo oa", "refreshing the Official Account access token");
	}
}

/* The refresh answered: commit the new pair before using it. */
void
zalo_token_finish(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	time_t now = time(NULL);
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	json_t *answer = t->answer.len ? json_loadb(t->answer.data, t->answer.len, 0, NULL) : NULL;
	z->tok.refreshing = 0;
	const char *access = json_string_value(json_object_get(answer, "access_token"));
	const char *refresh = json_string_value(json_object_get(answer, "refresh_token"));
	json_t *exp = json_object_get(answer, "expires_in");
	long long expires = json_is_integer(exp) ? (long long)json_integer_value(exp) :
	    json_is_string(exp) ? strtoll(json_string_value(exp), NULL, 10) : 0;
	if (cc != CURLE_OK || (!access && !json_object_get(answer, "error"))) {
		log_warn("zalo oa", "token refresh did not complete (%s, HTTP %ld); trying again soon",
		    cc != CURLE_OK ? curl_easy_strerror(cc) : "unreadable answer", status);
		z->tok.paused_until = now + ZO_REFRESH_PAUSE;
		goto out;
	}
	if (!access || !refresh || !*access || !*refresh || strlen(access) > IDENTITY_SECRET_MAX ||
	    expires <= 0) {
		json_t *e = json_object_get(answer, "error");
		log_error("zalo oa", "the refresh token was refused (error %lld): the OA must be "
		    "authorised again, then `tinbao zalo-oa token --refresh TOKEN`; OA replies wait",
		    json_is_integer(e) ? (long long)json_integer_value(e) : 0LL);
		z->tok.reauth = 1;
		goto out;
	}
	unsigned char sa[IDENTITY_SEALED_SECRET_MAX], sr[IDENTITY_SEALED_SECRET_MAX];
	size_t la = 0, lr = 0;
	if (identity_seal_secret(z->id, access, sa, &la) < 0 ||
	    identity_seal_secret(z->id, refresh, sr, &lr) < 0 ||
	    db_oa_token_put(z->db, sa, la, sr, lr, now + expires, now) < 0) {
		/* without the new refresh token stored we must not use the pair:
		 * the old one is dead, so this needs an administrator */
		log_error("zalo oa", "the new token pair could not be stored (%s); re-authorise the OA",
		    db_errmsg(z->db));
		z->tok.reauth = 1;
		goto out;
	}
	snprintf(z->tok.access, sizeof z->tok.access, "%s", access);
	z->tok.expires = now + expires;
	z->tok.seen = now;
	z->tok.gen++;
	z->tok.reauth = 0;
	log_notice("zalo oa", "Official Account token refreshed; valid for %lld h", expires / 3600);
out:
	json_decref(answer);        /* jansson frees the strings; the buffer is wiped by the slot */
}

/* After a refusal: has an administrator seeded a new refresh token? */
static int
reseeded(struct zalo_out *z, time_t now)
{
	if (now < z->tok.next_check)
		return 0;
	z->tok.next_check = now + ZO_TOKEN_CHECK;
	struct oa_token stored;
	int found = db_oa_token_get(z->db, &stored);
	int fresh = found > 0 && stored.updated_at != z->tok.seen;
	if (found > 0)
		oa_token_clear(&stored);
	return fresh;
}

/* The stored access token, if it is good for a while yet. */
static void
load_access(struct zalo_out *z, time_t now)
{
	struct oa_token stored;
	char access[IDENTITY_SECRET_MAX + 1];
	if (db_oa_token_get(z->db, &stored) <= 0)
		return;
	if (stored.access && stored.expires_at > now + ZO_REFRESH_AHEAD &&
	    identity_unseal(z->id, stored.access, stored.access_len, access, sizeof access) == 0) {
		snprintf(z->tok.access, sizeof z->tok.access, "%s", access);
		z->tok.expires = stored.expires_at;
		z->tok.seen = stored.updated_at;
		z->tok.gen++;
	}
	identity_wipe(access, sizeof access);
	oa_token_clear(&stored);
}

void
zalo_token_tend(struct zalo_out *z, time_t now)
{
	if (z->tok.refreshing || now < z->tok.paused_until)
		return;
	if (z->tok.reauth) {
		if (!reseeded(z, now))
			return;
		z->tok.reauth = 0;
	}
	if (!z->tok.access[0] && z->tok.expires == 0)
		load_access(z, now);
	if (z->tok.access[0] && now < z->tok.expires - ZO_REFRESH_AHEAD)
		return;
	struct transfer *t = zalo_slot_free(z);
	if (!t)
		return;
	identity_wipe(z->tok.access, sizeof z->tok.access);
	start_refresh(z, t);
	if (!z->tok.refreshing)
		zalo_slot_clear(z, t);
}

int
zalo_token_usable(const struct zalo_out *z, time_t now)
{
	return z->tok.access[0] && !z->tok.refreshing && now >= z->tok.paused_until;
}

void
zalo_token_refused(struct zalo_out *z, unsigned gen)
{
	if (gen == z->tok.gen)
		identity_wipe(z->tok.access, sizeof z->tok.access);
}

int
zalo_token_seed(struct zalo_out *z, char *err, size_t errlen)
{
	if (zalo_read_secret("[zalo_oa] app_secret_key_file", z->cfg->oa_app_secret_key_file,
	    z->tok.app_secret, sizeof z->tok.app_secret, err, errlen) < 0)
		return -1;
	struct oa_token stored;
	int found = db_oa_token_get(z->db, &stored);
	if (found != 0) {
		if (found > 0)
			oa_token_clear(&stored);
		return found < 0 ? -1 : 0;
	}
	if (!z->cfg->oa_refresh_token_file)
		return 0;                     /* `tinbao zalo-oa token --refresh` will seed it */
	char refresh[IDENTITY_SECRET_MAX + 1];
	unsigned char sealed[IDENTITY_SEALED_SECRET_MAX];
	size_t len = 0;
	if (zalo_read_secret("[zalo_oa] refresh_token_file", z->cfg->oa_refresh_token_file, refresh,
	    sizeof refresh, err, errlen) < 0)
		return -1;
	int rc = identity_seal_secret(z->id, refresh, sealed, &len) == 0 &&
	    db_oa_token_put(z->db, NULL, 0, sealed, len, 0, (int64_t)time(NULL)) == 0 ? 0 : -1;
	identity_wipe(refresh, sizeof refresh);
	if (rc < 0)
		snprintf(err, errlen, "cannot store the OA refresh token: %s", db_errmsg(z->db));
	return rc;
}
