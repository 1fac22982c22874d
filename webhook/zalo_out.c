/* zalo_out — see zalo_out.h. */
#include "webhook/zalo_out.h"

#include <curl/curl.h>
#include <errno.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "db/db.h"
#include "gateway/backoff.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/notify.h"
#include "gateway/secretfile.h"

#define ZO_INFLIGHT 8                 /* transfers at once */
#define ZO_RESPONSE_MAX 65536         /* bytes of an answer we read */
#define ZO_DRAIN 5                     /* seconds calls under way may finish at stop */
#define ZO_CONNECT_TIMEOUT 5L          /* attachments; sends use [zalo_*] connect_timeout */
#define ZO_PAUSE_ON_401 300           /* seconds the channel rests after a token error */
#define ZO_RATE_BACKOFF 60            /* seconds after a 429 or -32 (or retry_max if shorter) */
#define ZO_TOKEN_MAX 256
#define ZO_REFRESH_AHEAD 5 * 3600     /* refresh this long before the access token ends */
#define ZO_TOKEN_CHECK 30             /* seconds between looks for a re-seeded token */
#define ZO_FALLBACK_CHECK 2           /* seconds between looks for officers' stuck messages */
#define ZO_FALLBACK_BATCH 32
#define ZO_ATTACH_MAX (10L << 20)     /* bytes of one attachment, at most */
#define ZO_ATTACH_TIMEOUT 60L         /* seconds to fetch one */
#define ZO_ATTACH_TRIES 5
#define ZO_ATTACH_CHECK 3             /* seconds between looks for files to fetch */

enum transfer_kind { SEND_BOT, SEND_OA, REFRESH_OA, FETCH };

struct transfer {
	enum transfer_kind kind;
	CURL *easy;
	struct outbox_item it;
	char *buf;
	size_t len;
	int overflow;
	struct curl_slist *headers;
	unsigned token_gen;               /* which access token a send used */
	size_t limit;                     /* bytes of answer kept, at most */
	int64_t attachment_id;            /* FETCH: the attachment row */
	int attempts;                     /* FETCH: tries so far */
};

struct zalo_out {
	const struct config *cfg;
	const struct identity *id;
	char token[ZO_TOKEN_MAX];
	struct db *db;
	CURLM *multi;
	pthread_t thread;
	pthread_mutex_t lock;
	int stop;
	int heartbeat;
	time_t paused_until;              /* the bot channel rests after a 401 */
	struct transfer slots[ZO_INFLIGHT];

	/* the Official Account: its token pair lives sealed in the database */
	int oa;                           /* configured */
	char oa_app_secret[ZO_TOKEN_MAX];
	char access[IDENTITY_SECRET_MAX + 1];
	int64_t access_expires;
	int refreshing;                   /* a refresh is in flight: single-flight */
	unsigned token_gen;               /* bumped with each new access token */
	int reauth;                       /* the refresh token was refused */
	int64_t token_seen;               /* updated_at of the pair in memory */
	time_t next_token_check;
	time_t oa_paused_until;
	time_t next_fallback_check;
	time_t next_attach_check;
	char last_error[160];             /* under lock */
	struct zalo_health published;     /* under lock: what /healthz reads */
};

int
zalo_url_allowed(const char *url)
{
	if (strncasecmp(url, "https://", 8) == 0)
		return 1;
	static const char *const loopback[] = { "http://127.", "http://localhost:",
	    "http://localhost/", "http://[::1]" };
	for (size_t i = 0; i < sizeof loopback / sizeof loopback[0]; i++)
		if (strncasecmp(url, loopback[i], strlen(loopback[i])) == 0)
			return 1;
	return 0;
}

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	size_t n = size * nmemb;
	if (t->len + n > (t->limit ? t->limit : ZO_RESPONSE_MAX)) {
		t->overflow = 1;
		return 0;                          /* aborts the transfer: answer too large */
	}
	char *grown = realloc(t->buf, t->len + n + 1);
	if (!grown)
		return 0;
	memcpy(grown + t->len, ptr, n);
	t->buf = grown;
	t->len += n;
	t->buf[t->len] = '\0';
	return n;
}

static void
slot_clear(struct zalo_out *z, struct transfer *t)
{
	if (t->easy) {
		curl_multi_remove_handle(z->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->headers);
	free(t->buf);
	outbox_item_clear(&t->it);
	memset(t, 0, sizeof *t);
}

static int64_t
backoff(struct zalo_out *z, int attempts, time_t now)
{
	if (attempts >= z->cfg->max_attempts)
		return 0;
	return (int64_t)now + backoff_delay(z->cfg->retry_base, z->cfg->retry_max, attempts);
}

/* Seconds one call of this kind may take, from [zalo_bot]/[zalo_oa] timeout. */
static int64_t
call_timeout(const struct zalo_out *z, enum transfer_kind kind)
{
	return kind == SEND_BOT ? z->cfg->bot_timeout : z->cfg->oa_timeout;
}

/* Common options; the URL may hold the bot token, so it is wiped after use. */
static int
setup(struct zalo_out *z, struct transfer *t, const char *url, const char *body,
    const char *content_type, const char *extra_header)
{
	char ct[64];
	snprintf(ct, sizeof ct, "Content-Type: %s", content_type);
	t->easy = curl_easy_init();
	t->headers = curl_slist_append(NULL, ct);
	if (t->headers && extra_header) {
		struct curl_slist *more = curl_slist_append(t->headers, extra_header);
		if (!more)
			return -1;
		t->headers = more;
	}
	if (!t->easy || !t->headers)
		return -1;
	curl_easy_setopt(t->easy, CURLOPT_URL, url);
	curl_easy_setopt(t->easy, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT, (long)(t->kind == SEND_BOT ?
	    z->cfg->bot_connect_timeout : z->cfg->oa_connect_timeout));
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT, (long)call_timeout(z, t->kind));
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "https,http");
	return curl_multi_add_handle(z->multi, t->easy) == CURLM_OK ? 0 : -1;
}

/* Start sending one claimed row in slot t. 0 started, -1 failed (row settled). */
static int
start_send(struct zalo_out *z, struct transfer *t)
{
	char to[IDENTITY_ADDR_MAX + 1];
	if (t->it.dest) {
		snprintf(to, sizeof to, "%s", t->it.dest);
	} else if (identity_unseal(z->id, t->it.dest_sealed, t->it.dest_sealed_len, to,
	    sizeof to) < 0) {
		db_outbox_retry(z->db, t->it.id, "the reply address cannot be opened with this key", 0);
		return -1;
	}
	json_t *req = t->kind == SEND_BOT ?
	    json_pack("{s:s, s:s}", "chat_id", to, "text", t->it.text) :
	    json_pack("{s:{s:s}, s:{s:s}}", "recipient", "user_id", to, "message", "text", t->it.text);
	identity_wipe(to, sizeof to);
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	char url[1024], header[IDENTITY_SECRET_MAX + 32];
	int rc = -1;
	if (body) {
		if (t->kind == SEND_BOT) {
			snprintf(url, sizeof url, "%s/bot%s/sendMessage", z->cfg->bot_api_base, z->token);
			rc = setup(z, t, url, body, "application/json", NULL);
		} else {
			snprintf(url, sizeof url, "%s/v3.0/oa/message/cs", z->cfg->oa_api_base);
			snprintf(header, sizeof header, "access_token: %s", z->access);
			t->token_gen = z->token_gen;
			rc = setup(z, t, url, body, "application/json", header);
			identity_wipe(header, sizeof header);
		}
		identity_wipe(url, sizeof url);
		identity_wipe(body, strlen(body));
		free(body);
	}
	if (rc < 0)
		db_outbox_retry(z->db, t->it.id, "cannot start a transfer",
		    backoff(z, t->it.attempts, time(NULL)));
	return rc;
}

/* Ask for a new token pair with the stored refresh token. */
static void
start_refresh(struct zalo_out *z, struct transfer *t)
{
	struct oa_token tok;
	char refresh[IDENTITY_SECRET_MAX + 1];
	int found = db_oa_token_get(z->db, &tok);
	if (found <= 0 || identity_unseal(z->id, tok.refresh, tok.refresh_len, refresh,
	    sizeof refresh) < 0) {
		if (!z->reauth)
			log_error("zalo oa", "no usable Official Account refresh token: run "
			    "`tinbao zalo-oa token --refresh TOKEN`; OA replies wait in the outbox");
		z->reauth = 1;
		z->token_seen = found > 0 ? tok.updated_at : 0;
		if (found > 0)
			oa_token_clear(&tok);
		return;
	}
	z->token_seen = tok.updated_at;
	oa_token_clear(&tok);
	char *app = curl_easy_escape(NULL, z->cfg->oa_app_id, 0);
	char *rt = curl_easy_escape(NULL, refresh, 0);
	identity_wipe(refresh, sizeof refresh);
	char body[3 * IDENTITY_SECRET_MAX + 128], url[512], header[ZO_TOKEN_MAX + 32];
	int ok = 0;
	if (app && rt) {
		snprintf(body, sizeof body, "refresh_token=%s&app_id=%s&grant_type=refresh_token", rt,
		    app);
		snprintf(url, sizeof url, "%s/v4/oa/access_token", z->cfg->oa_oauth_base);
		snprintf(header, sizeof header, "secret_key: %s", z->oa_app_secret);
		t->kind = REFRESH_OA;
		ok = setup(z, t, url, body, "application/x-www-form-urlencoded", header) == 0;
		identity_wipe(body, sizeof body);
		identity_wipe(header, sizeof header);
	}
	if (rt)
		identity_wipe(rt, strlen(rt));
	curl_free(app);
	curl_free(rt);
	if (ok) {
		z->refreshing = 1;
		log_info("zalo oa", "refreshing the Official Account access token");
	}
}

/* The refresh answered: commit the new pair before using it. */
static void
finish_refresh(struct zalo_out *z, json_t *answer, CURLcode cc, long status)
{
	time_t now = time(NULL);
	z->refreshing = 0;
	const char *access = json_string_value(json_object_get(answer, "access_token"));
	const char *refresh = json_string_value(json_object_get(answer, "refresh_token"));
	json_t *exp = json_object_get(answer, "expires_in");
	long long expires = json_is_integer(exp) ? (long long)json_integer_value(exp) :
	    json_is_string(exp) ? strtoll(json_string_value(exp), NULL, 10) : 0;
	if (cc != CURLE_OK || (!access && !json_object_get(answer, "error"))) {
		log_warn("zalo oa", "token refresh did not complete (%s, HTTP %ld); trying again soon",
		    cc != CURLE_OK ? curl_easy_strerror(cc) : "unreadable answer", status);
		z->oa_paused_until = now + 30;
		return;
	}
	if (!access || !refresh || !*access || !*refresh || strlen(access) > IDENTITY_SECRET_MAX ||
	    expires <= 0) {
		json_t *e = json_object_get(answer, "error");
		log_error("zalo oa", "the refresh token was refused (error %lld): the OA must be "
		    "authorised again, then `tinbao zalo-oa token --refresh TOKEN`; OA replies wait",
		    json_is_integer(e) ? (long long)json_integer_value(e) : 0LL);
		z->reauth = 1;
		return;
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
		z->reauth = 1;
		return;
	}
	snprintf(z->access, sizeof z->access, "%s", access);
	z->access_expires = now + expires;
	z->token_seen = now;
	z->token_gen++;
	z->reauth = 0;
	log_notice("zalo oa", "Official Account token refreshed; valid for %lld h", expires / 3600);
}

static int
oa_token_error(long code)
{
	return code == -216 || code == -220 || code == -124;
}

static int
oa_permanent(long code)
{
	static const long perm[] = { -201, -210, -233, -240, -213, -217, -227, -244, -248, -230,
	    -232 };
	for (size_t i = 0; i < sizeof perm / sizeof perm[0]; i++)
		if (code == perm[i])
			return 1;
	return 0;
}

static void finish_fetch(struct zalo_out *z, struct transfer *t, CURLcode cc);

/* An officer's Zalo message that will not go (or not in time) goes by SMS:
 * the Zalo row is closed as failed and an SMS queued, in one transaction. */
static void
fall_back(struct zalo_out *z, const struct outbox_item *it, const char *why)
{
	char reason[240];
	snprintf(reason, sizeof reason, "%s; sent by SMS instead", why);
	int64_t now = (int64_t)time(NULL);
	if (db_begin(z->db) < 0)
		return;
	if (db_outbox_retry(z->db, it->id, reason, 0) < 0 ||
	    notify_officer_sms(z->db, z->cfg, it->officer_id, it->tip_id, it->kind, it->text,
	    now) < 0 || db_commit(z->db) < 0) {
		db_rollback(z->db);
		log_error("zalo", "message %lld: the SMS fallback could not be queued: %s",
		    (long long)it->id, db_errmsg(z->db));
		return;
	}
	log_warn("zalo", "%s message %lld for an officer on %s: %s", it->kind, (long long)it->id,
	    it->channel, reason);
}

/* 1 once curl had connected and began sending the request. */
static int
request_sent(struct transfer *t)
{
	curl_off_t pre = 0;
	return t->easy && curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T, &pre) ==
	    CURLE_OK && pre > 0;
}

/* The request may have reached Zalo but no complete answer came back (a
 * timeout, a connection closed mid-answer, the daemon stopped or killed
 * while it was out). Zalo's send APIs take no idempotency key, so a resend
 * could deliver it twice: on Zalo a message is sent at most once. It is
 * closed as failed with the reason; an officer's goes by SMS instead. */
static void
settle_unknown(struct zalo_out *z, const struct outbox_item *it, const char *why)
{
	char reason[200];
	snprintf(reason, sizeof reason, "%s: outcome unknown, not resent on Zalo", why);
	pthread_mutex_lock(&z->lock);
	snprintf(z->last_error, sizeof z->last_error, "%s: %s", it->channel, reason);
	pthread_mutex_unlock(&z->lock);
	if (it->officer_id) {
		fall_back(z, it, reason);
		return;
	}
	if (db_outbox_retry(z->db, it->id, reason, 0) < 0)
		log_error("zalo", "message %lld: %s", (long long)it->id, db_errmsg(z->db));
	else
		log_error("zalo", "%s message %lld for a citizen on %s: %s", it->kind,
		    (long long)it->id, it->channel, reason);
}

/* Rows a killed daemon left 'sending' on Zalo: they may have gone out. */
static void
settle_interrupted(struct zalo_out *z)
{
	static const char *const channels[] = { "zalo_oa", "zalo_bot" };
	for (size_t c = 0; c < 2; c++) {
		struct outbox_item *v = NULL;
		size_t n = 0;
		if (db_outbox_interrupted(z->db, channels[c], &v, &n) < 0) {
			log_error("zalo", "cannot read interrupted sends: %s", db_errmsg(z->db));
			continue;
		}
		for (size_t i = 0; i < n; i++)
			settle_unknown(z, &v[i], "interrupted by a restart while being sent");
		outbox_items_free(v, n);
	}
}

/* Officers' messages still unsent after [outbox] fallback_after go by SMS;
 * the escalation clock never waited for them. */
static void
fall_back_stale(struct zalo_out *z, time_t now)
{
	static const char *const channels[] = { "zalo_oa", "zalo_bot" };
	if (now < z->next_fallback_check)
		return;
	z->next_fallback_check = now + ZO_FALLBACK_CHECK;
	for (size_t c = 0; c < 2; c++) {
		struct outbox_item *v = NULL;
		size_t n = 0;
		if (db_outbox_stale_officer(z->db, channels[c], (int64_t)now - z->cfg->fallback_after,
		    &v, &n, ZO_FALLBACK_BATCH) < 0)
			continue;
		for (size_t i = 0; i < n; i++) {
			int in_flight = 0;
			for (int k = 0; k < ZO_INFLIGHT; k++)
				in_flight |= z->slots[k].easy && z->slots[k].it.id == v[i].id;
			if (in_flight)
				continue;            /* its answer decides; a give-up falls back */
			char why[80];
			snprintf(why, sizeof why, "not delivered on Zalo within %llds",
			    (long long)z->cfg->fallback_after);
			fall_back(z, &v[i], why);
		}
		outbox_items_free(v, n);
	}
}

/* A transfer ended: read the answer and settle the row. */
static void
finish(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	time_t now = time(NULL);
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	json_t *answer = t->len ? json_loadb(t->buf, t->len, 0, NULL) : NULL;
	if (t->kind == REFRESH_OA) {
		finish_refresh(z, answer, cc, status);
		json_decref(answer);
		return;
	}
	if (t->kind == FETCH) {
		json_decref(answer);
		finish_fetch(z, t, cc);
		return;
	}
	const char *tag = t->kind == SEND_BOT ? "zalo bot" : "zalo oa";
	int ok;
	long code = status;
	if (t->kind == SEND_BOT) {
		ok = cc == CURLE_OK && json_is_true(json_object_get(answer, "ok"));
		json_t *ec = json_object_get(answer, "error_code");
		if (json_is_integer(ec))
			code = (long)json_integer_value(ec);
	} else {
		json_t *ec = json_object_get(answer, "error");
		ok = cc == CURLE_OK && json_is_integer(ec) && json_integer_value(ec) == 0;
		if (json_is_integer(ec))
			code = (long)json_integer_value(ec);
	}
	char why[200];
	int64_t next;
	if (ok) {
		db_outbox_sent(z->db, t->it.id, t->kind == SEND_BOT ? "zalo_bot" : "zalo_oa", now);
		log_info(tag, "sent %s message %lld", t->it.kind, (long long)t->it.id);
		json_decref(answer);
		return;
	}
	int give_up = t->it.attempts >= z->cfg->max_attempts;
	if (cc != CURLE_OK && request_sent(t)) {
		snprintf(why, sizeof why, "%s%s", t->overflow ? "answer too large: " : "",
		    curl_easy_strerror(cc));
		json_decref(answer);
		settle_unknown(z, &t->it, why);
		return;
	}
	if (cc != CURLE_OK) {
		/* curl's own text names no URL, so no token */
		snprintf(why, sizeof why, "%s%s", t->overflow ? "answer too large: " : "",
		    curl_easy_strerror(cc));
		next = backoff(z, t->it.attempts, now);
	} else if (t->kind == SEND_BOT && code == 401) {
		snprintf(why, sizeof why, "the bot token was refused (401)");
		if (z->paused_until <= now)
			log_error(tag, "the bot token was refused: Zalo bot sends paused for %ds; "
			    "check [zalo_bot] token_file", ZO_PAUSE_ON_401);
		z->paused_until = now + ZO_PAUSE_ON_401;
		next = give_up ? 0 : (int64_t)z->paused_until;
	} else if (t->kind == SEND_OA && oa_token_error(code)) {
		/* refresh once (single-flight), then retry once */
		snprintf(why, sizeof why, "access token refused (%ld)", code);
		if (t->token_gen == z->token_gen)
			z->access[0] = '\0';     /* sends with an older token say nothing new */
		next = t->it.attempts >= 2 ? 0 : (int64_t)now;
	} else if (code == 429 || code == -32 || code == -211 || code == -218) {
		snprintf(why, sizeof why, "rate limited (%ld)", code);
		int64_t wait = z->cfg->retry_max < ZO_RATE_BACKOFF ? z->cfg->retry_max : ZO_RATE_BACKOFF;
		next = give_up ? 0 : (int64_t)now + wait;
	} else if ((t->kind == SEND_BOT && (code == 400 || code == 404)) ||
	    (t->kind == SEND_OA && oa_permanent(code))) {
		snprintf(why, sizeof why, code == -230 || code == -232 ?
		    "the citizen is no longer reachable on Zalo (%ld)" :
		    "refused by Zalo (%ld): not retried", code);
		next = 0;
	} else {
		snprintf(why, sizeof why, "%s (HTTP %ld, error %ld)", answer ? "failed" :
		    "unreadable answer", status, code);
		next = backoff(z, t->it.attempts, now);
	}
	json_decref(answer);
	pthread_mutex_lock(&z->lock);
	snprintf(z->last_error, sizeof z->last_error, "%s: %s", tag, why);
	pthread_mutex_unlock(&z->lock);
	if (!next && t->it.officer_id) {
		fall_back(z, &t->it, why);
		return;
	}
	db_outbox_retry(z->db, t->it.id, why, next);
	if (next)
		log_warn(tag, "message %lld not sent (%s); retry in %llds", (long long)t->it.id, why,
		    (long long)(next - now));
	else
		log_error(tag, "message %lld given up: %s", (long long)t->it.id, why);
}

static int
stopping(struct zalo_out *z)
{
	pthread_mutex_lock(&z->lock);
	int s = z->stop;
	pthread_mutex_unlock(&z->lock);
	return s;
}

static struct transfer *free_slot(struct zalo_out *z);

/* Start fetching the next due attachment into slot t. */
static int
start_fetch(struct zalo_out *z, struct transfer *t, time_t now)
{
	char *url = NULL;
	int got = db_attachment_claim(z->db, (int64_t)now, ZO_ATTACH_TIMEOUT + 30, &t->attachment_id,
	    &url, &t->attempts);
	if (got <= 0)
		return got;
	if (!zalo_url_allowed(url)) {
		db_attachment_retry(z->db, t->attachment_id, "not an https link", 0);
		free(url);
		return 1;
	}
	t->kind = FETCH;
	t->limit = ZO_ATTACH_MAX;
	t->easy = curl_easy_init();
	if (!t->easy) {
		free(url);
		return -1;
	}
	curl_easy_setopt(t->easy, CURLOPT_URL, url);
	curl_easy_setopt(t->easy, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT, ZO_CONNECT_TIMEOUT);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT, ZO_ATTACH_TIMEOUT);
	curl_easy_setopt(t->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ZO_ATTACH_MAX);
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(t->easy, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(t->easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "https,http");
	free(url);
	return curl_multi_add_handle(z->multi, t->easy) == CURLM_OK ? 1 : -1;
}

static void
finish_fetch(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	long status = 0;
	char *ctype = NULL;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
	time_t now = time(NULL);
	if (cc == CURLE_OK && status == 200) {
		if (db_attachment_fetched(z->db, t->attachment_id, t->buf ? t->buf : "", t->len, ctype,
		    (int64_t)now) == 0)
			log_info("zalo", "attachment %lld kept (%zu bytes)", (long long)t->attachment_id,
			    t->len);
		return;
	}
	char why[160];
	int too_big = t->overflow || cc == CURLE_FILESIZE_EXCEEDED;
	if (too_big)
		snprintf(why, sizeof why, "larger than the %ld MiB limit", ZO_ATTACH_MAX >> 20);
	else if (cc != CURLE_OK)
		snprintf(why, sizeof why, "%s", curl_easy_strerror(cc));
	else
		snprintf(why, sizeof why, "HTTP %ld", status);
	int64_t next = too_big || t->attempts >= ZO_ATTACH_TRIES ? 0 :
	    (int64_t)now + (int64_t)z->cfg->retry_base * t->attempts;
	db_attachment_retry(z->db, t->attachment_id, why, next);
	log_warn("zalo", "attachment %lld not fetched (%s)%s", (long long)t->attachment_id, why,
	    next ? "; will try again" : "; given up");
}

static void
fetch_attachments(struct zalo_out *z, time_t now)
{
	if (now < z->next_attach_check)
		return;
	struct transfer *t;
	int got = 0;
	for (int i = 0; i < ZO_INFLIGHT / 2 && (t = free_slot(z)); i++) {
		got = start_fetch(z, t, now);
		if (got <= 0 || !t->easy)
			slot_clear(z, t);
		if (got <= 0)
			break;
	}
	if (got <= 0)
		z->next_attach_check = now + ZO_ATTACH_CHECK;
}

static struct transfer *
free_slot(struct zalo_out *z)
{
	for (int i = 0; i < ZO_INFLIGHT; i++)
		if (!z->slots[i].easy)
			return &z->slots[i];
	return NULL;
}

/* Claim due rows of a channel into free slots. */
static void
fill(struct zalo_out *z, const char *channel, enum transfer_kind kind, time_t now)
{
	struct transfer *t;
	int64_t due = 0;
	while ((t = free_slot(z))) {
		/* an indexed look before the claim (a write transaction) */
		if (db_outbox_next_due(z->db, channel, &due) <= 0 || due > (int64_t)now)
			return;
		if (db_outbox_claim(z->db, channel, channel, now, call_timeout(z, kind) + 30,
		    &t->it) <= 0)
			return;
		t->kind = kind;
		if (start_send(z, t) < 0)
			slot_clear(z, t);
	}
}

/* Keep an access token: load it, refresh it ahead of its end, notice a
 * re-seeded refresh token after a refusal. */
static void
tend_token(struct zalo_out *z, time_t now)
{
	if (z->refreshing || now < z->oa_paused_until)
		return;
	if (z->reauth) {
		if (now < z->next_token_check)
			return;
		z->next_token_check = now + ZO_TOKEN_CHECK;
		struct oa_token tok;
		int found = db_oa_token_get(z->db, &tok);
		int fresh = found > 0 && tok.updated_at != z->token_seen;
		if (found > 0)
			oa_token_clear(&tok);
		if (!fresh)
			return;
		z->reauth = 0;           /* an administrator seeded a new refresh token */
	}
	if (!z->access[0] && z->access_expires == 0) {
		struct oa_token tok;
		char access[IDENTITY_SECRET_MAX + 1];
		if (db_oa_token_get(z->db, &tok) > 0) {
			if (tok.access && tok.expires_at > now + ZO_REFRESH_AHEAD &&
			    identity_unseal(z->id, tok.access, tok.access_len, access, sizeof access) == 0) {
				snprintf(z->access, sizeof z->access, "%s", access);
				z->access_expires = tok.expires_at;
				z->token_seen = tok.updated_at;
				z->token_gen++;
			}
			identity_wipe(access, sizeof access);
			oa_token_clear(&tok);
		}
	}
	if (!z->access[0] || now >= z->access_expires - ZO_REFRESH_AHEAD) {
		struct transfer *t = free_slot(z);
		if (t) {
			z->access[0] = '\0';
			start_refresh(z, t);
			if (!z->refreshing)
				slot_clear(z, t);
		}
	}
}

/* Stopping: let the calls under way finish for a moment, then settle the
 * rest (one not yet sent goes back to the queue). */
static void
drain(struct zalo_out *z)
{
	time_t until = time(NULL) + ZO_DRAIN;
	int running = 1;
	while (running && time(NULL) < until) {
		curl_multi_perform(z->multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(z->multi, &left))) {
			struct transfer *t = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			if (msg->msg == CURLMSG_DONE && t) {
				finish(z, t, msg->data.result);
				slot_clear(z, t);
			}
		}
		if (running)
			curl_multi_poll(z->multi, NULL, 0, 200, NULL);
	}
	for (int i = 0; i < ZO_INFLIGHT; i++) {
		struct transfer *t = &z->slots[i];
		if (t->easy && (t->kind == SEND_BOT || t->kind == SEND_OA)) {
			if (request_sent(t))
				settle_unknown(z, &t->it, "the daemon stopped before Zalo answered");
			else
				db_outbox_retry(z->db, t->it.id, "the daemon stopped before sending",
				    (int64_t)time(NULL));
		}
		slot_clear(z, t);
	}
}

static void *
zalo_out_main(void *arg)
{
	struct zalo_out *z = arg;
	pthread_setname_np(pthread_self(), "tb-dispatch");
	settle_interrupted(z);
	while (!stopping(z)) {
		heartbeat_beat(z->heartbeat);
		time_t now = time(NULL);
		if (z->token[0] && now >= z->paused_until)
			fill(z, "zalo_bot", SEND_BOT, now);
		if (z->oa) {
			tend_token(z, now);
			if (z->access[0] && !z->refreshing && now >= z->oa_paused_until)
				fill(z, "zalo_oa", SEND_OA, now);
		}
		fall_back_stale(z, now);
		fetch_attachments(z, now);
		int running = 0;
		curl_multi_perform(z->multi, &running);
		CURLMsg *msg;
		int left;
		while ((msg = curl_multi_info_read(z->multi, &left))) {
			if (msg->msg != CURLMSG_DONE)
				continue;
			struct transfer *t = NULL;
			curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
			if (!t)
				continue;
			finish(z, t, msg->data.result);
			slot_clear(z, t);
		}
		/* what /healthz may read, copied under the lock */
		pthread_mutex_lock(&z->lock);
		z->published.bot = z->token[0] != '\0';
		z->published.bot_paused_until = z->paused_until > now ? (long long)z->paused_until : 0;
		z->published.oa = z->oa;
		z->published.oa_token_expires = z->access[0] ? (long long)z->access_expires : 0;
		z->published.oa_reauth = z->reauth;
		pthread_mutex_unlock(&z->lock);
		/* sleep until a socket is ready, a wake-up, or a moment passes */
		curl_multi_poll(z->multi, NULL, 0, running ? 200 : 1000, NULL);
	}
	drain(z);
	return NULL;
}

/* A token for a URL or a header, from its *_file key. 0 / -1 with err. */
static int
read_secret(const char *what, const char *path, char *out, size_t outsz, char *err,
    size_t errlen)
{
	return secretfile_read(what, path, SECRETFILE_URL_SAFE, 1, out, outsz, NULL, NULL, err,
	    errlen);
}

/* The first refresh token comes from [zalo_oa] refresh_token_file; later
 * pairs live (sealed) in the database. */
static int
seed_oa_token(struct zalo_out *z, char *err, size_t errlen)
{
	struct oa_token tok;
	int found = db_oa_token_get(z->db, &tok);
	if (found != 0) {
		if (found > 0)
			oa_token_clear(&tok);
		return found < 0 ? -1 : 0;
	}
	if (!z->cfg->oa_refresh_token_file)
		return 0;                     /* `tinbao zalo-oa token --refresh` will seed it */
	char refresh[IDENTITY_SECRET_MAX + 1];
	unsigned char sealed[IDENTITY_SEALED_SECRET_MAX];
	size_t len = 0;
	if (read_secret("[zalo_oa] refresh_token_file", z->cfg->oa_refresh_token_file, refresh,
	    sizeof refresh, err, errlen) < 0)
		return -1;
	int rc = identity_seal_secret(z->id, refresh, sealed, &len) == 0 &&
	    db_oa_token_put(z->db, NULL, 0, sealed, len, 0, (int64_t)time(NULL)) == 0 ? 0 : -1;
	identity_wipe(refresh, sizeof refresh);
	if (rc < 0)
		snprintf(err, errlen, "cannot store the OA refresh token: %s", db_errmsg(z->db));
	return rc;
}

struct zalo_out *
zalo_out_start(const struct config *cfg, const struct identity *id, char *err, size_t errlen)
{
	err[0] = '\0';
	int bot = cfg->bot_token_file != NULL;
	int oa = cfg->oa_app_id && cfg->oa_app_secret_key_file;
	if (!bot && !oa && !cfg->http_listen[0])
		return NULL;                  /* no Zalo at all: nothing to send or fetch */
	if ((bot && !zalo_url_allowed(cfg->bot_api_base)) ||
	    (oa && (!zalo_url_allowed(cfg->oa_api_base) || !zalo_url_allowed(cfg->oa_oauth_base)))) {
		snprintf(err, errlen, "Zalo api_base and oauth_base must be https "
		    "(plain http only to a loopback address)");
		return NULL;
	}
	struct zalo_out *z = calloc(1, sizeof *z);
	if (!z || curl_global_init(CURL_GLOBAL_DEFAULT) != CURLE_OK) {
		snprintf(err, errlen, "cannot start libcurl");
		free(z);
		return NULL;
	}
	z->cfg = cfg;
	z->id = id;
	z->oa = oa;
	pthread_mutex_init(&z->lock, NULL);
	if ((bot && read_secret("[zalo_bot] token_file", cfg->bot_token_file, z->token,
	    sizeof z->token, err, errlen) < 0) ||
	    (oa && read_secret("[zalo_oa] app_secret_key_file", cfg->oa_app_secret_key_file,
	    z->oa_app_secret, sizeof z->oa_app_secret, err, errlen) < 0))
		goto fail;
	z->db = db_open(cfg->database, 0, err, errlen);
	if (!z->db || (oa && seed_oa_token(z, err, errlen) < 0))
		goto fail;
	z->multi = curl_multi_init();
	z->heartbeat = heartbeat_register("dispatcher", HEARTBEAT_DISPATCH_S);
	if (!z->multi || pthread_create(&z->thread, NULL, zalo_out_main, z) != 0) {
		snprintf(err, errlen, "cannot start the Zalo sender");
		heartbeat_unregister(z->heartbeat);
		goto fail;
	}
	log_info("zalo", "Zalo sender started (%s%sattachments)", bot ? "bot, " : "",
	    oa ? "Official Account, " : "");
	return z;
fail:
	db_close(z->db);
	if (z->multi)
		curl_multi_cleanup(z->multi);
	pthread_mutex_destroy(&z->lock);
	identity_wipe(z, sizeof *z);
	free(z);
	curl_global_cleanup();
	return NULL;
}

void
zalo_out_health(struct zalo_out *z, struct zalo_health *out)
{
	memset(out, 0, sizeof *out);
	if (!z)
		return;
	pthread_mutex_lock(&z->lock);
	*out = z->published;
	snprintf(out->last_error, sizeof out->last_error, "%s", z->last_error);
	pthread_mutex_unlock(&z->lock);
}

void
zalo_out_wake(struct zalo_out *z)
{
	if (z)
		curl_multi_wakeup(z->multi);
}

void
zalo_out_stop(struct zalo_out *z)
{
	if (!z)
		return;
	pthread_mutex_lock(&z->lock);
	z->stop = 1;
	pthread_mutex_unlock(&z->lock);
	curl_multi_wakeup(z->multi);
	pthread_join(z->thread, NULL);
	heartbeat_unregister(z->heartbeat);
	curl_multi_cleanup(z->multi);
	db_close(z->db);
	pthread_mutex_destroy(&z->lock);
	identity_wipe(z, sizeof *z);
	free(z);
	curl_global_cleanup();
}
