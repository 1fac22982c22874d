/* zalo_out — the dispatcher thread: see zalo_out.h, and zalo_out_internal.h
 * for the files that share its state (sends, OA token, attachments). */
#include "webhook/zalo_out_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "gateway/secretfile.h"
#include "webhook/zalo_url.h"

#define ZO_DRAIN 5                    /* seconds calls under way may finish at stop */
#define ZO_CLAIM_SLACK 30             /* a claim outlives its call's timeout by this */

int
zalo_read_secret(const char *what, const char *path, char *out, size_t outsz, char *err,
    size_t errlen)
{
	return secretfile_read(what, path, SECRETFILE_URL_SAFE, 1, out, outsz, NULL, NULL, err,
	    errlen);
}

void
zalo_note_error(struct zalo_out *z, const char *what, const char *why)
{
	pthread_mutex_lock(&z->lock);
	snprintf(z->last_error, sizeof z->last_error, "%s: %s", what, why);
	pthread_mutex_unlock(&z->lock);
}

/* ------------------------------------------------------------------ slots */

static size_t
on_data(char *ptr, size_t size, size_t nmemb, void *user)
{
	struct transfer *t = user;
	size_t n = size * nmemb;
	/* a refusal (too large, or no memory) aborts the transfer */
	return buf_append(&t->answer, ptr, n) == 0 ? n : 0;
}

struct transfer *
zalo_slot_free(struct zalo_out *z)
{
	for (int i = 0; i < ZO_INFLIGHT; i++)
		if (!z->slots[i].easy)
			return &z->slots[i];
	return NULL;
}

void
zalo_slot_clear(struct zalo_out *z, struct transfer *t)
{
	if (t->easy) {
		curl_multi_remove_handle(z->multi, t->easy);
		curl_easy_cleanup(t->easy);
	}
	curl_slist_free_all(t->headers);
	if (t->kind == REFRESH_OA && t->answer.data)
		identity_wipe(t->answer.data, t->answer.len);     /* it holds the new tokens */
	buf_free(&t->answer);
	outbox_item_clear(&t->it);
	memset(t, 0, sizeof *t);
}

int
zalo_transfer_add(struct zalo_out *z, struct transfer *t, size_t limit)
{
	buf_init(&t->answer, limit);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	if (t->kind != FETCH)          /* zalo_fetch.c sets its own, stricter */
		curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "https,http");
	return curl_multi_add_handle(z->multi, t->easy) == CURLM_OK ? 0 : -1;
}

int
zalo_post(struct zalo_out *z, struct transfer *t, const char *url, const char *body,
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
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT, (long)(t->kind == SEND_BOT ?
	    z->cfg->bot_connect_timeout : z->cfg->oa_connect_timeout));
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT, (long)zalo_call_timeout(z, t->kind));
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
	return zalo_transfer_add(z, t, ZO_RESPONSE_MAX);
}

/* ------------------------------------------------------------- the loop */

static int
stopping(struct zalo_out *z)
{
	pthread_mutex_lock(&z->lock);
	int s = z->stop;
	pthread_mutex_unlock(&z->lock);
	return s;
}

/* Claim due rows of a channel into the free slots, all in one transaction. */
static void
fill(struct zalo_out *z, const char *channel, enum transfer_kind kind, time_t now)
{
	size_t free_slots = 0;
	for (int i = 0; i < ZO_INFLIGHT; i++)
		free_slots += z->slots[i].easy == NULL;
	int64_t due = 0;
	/* an indexed look before the claim (a write transaction) */
	if (!free_slots || db_outbox_next_due(z->db, channel, &due) <= 0 || due > (int64_t)now)
		return;
	struct outbox_item *v = NULL;
	size_t n = 0;
	if (db_outbox_claim_many(z->db, channel, channel, now, zalo_call_timeout(z, kind) +
	    ZO_CLAIM_SLACK, free_slots, &v, &n) < 0)
		return;
	for (size_t i = 0; i < n; i++) {
		struct transfer *t = zalo_slot_free(z);
		t->it = v[i];                      /* the slot owns the row now */
		memset(&v[i], 0, sizeof v[i]);
		t->kind = kind;
		if (zalo_send_start(z, t) < 0)
			zalo_slot_clear(z, t);
	}
	outbox_items_free(v, n);
}

/* A transfer ended: whoever started it reads the answer. */
static void
finish(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	switch (t->kind) {
	case REFRESH_OA:
		zalo_token_finish(z, t, cc);
		break;
	case FETCH:
		zalo_fetch_finish(z, t, cc);
		break;
	default:
		zalo_send_finish(z, t, cc);
		break;
	}
}

/* Finish every transfer curl says is done; how many. The sends' results are
 * recorded in one transaction; should its commit fail, each is recorded
 * again on its own (a send whose result is lost would go out twice). */
static int
collect(struct zalo_out *z)
{
	struct transfer *sends[ZO_INFLIGHT];
	CURLcode results[ZO_INFLIGHT];
	size_t ns = 0;
	int finished = 0;
	CURLMsg *msg;
	int left;
	while ((msg = curl_multi_info_read(z->multi, &left))) {
		if (msg->msg != CURLMSG_DONE)
			continue;
		struct transfer *t = NULL;
		curl_easy_getinfo(msg->easy_handle, CURLINFO_PRIVATE, (char **)&t);
		if (!t)
			continue;
		finished++;
		if ((t->kind == SEND_BOT || t->kind == SEND_OA) && ns < ZO_INFLIGHT) {
			sends[ns] = t;
			results[ns++] = msg->data.result;
			continue;
		}
		finish(z, t, msg->data.result);
		zalo_slot_clear(z, t);
	}
	int batch = ns > 1 && db_begin(z->db) == 0;
	for (size_t i = 0; i < ns; i++)
		finish(z, sends[i], results[i]);
	if (batch && (!db_in_transaction(z->db) || db_commit(z->db) < 0)) {
		db_rollback(z->db);
		log_warn("zalo", "the results of %zu sends could not be recorded together (%s); "
		    "recording each alone", ns, db_errmsg(z->db));
		for (size_t i = 0; i < ns; i++)
			finish(z, sends[i], results[i]);
	}
	for (size_t i = 0; i < ns; i++)
		zalo_slot_clear(z, sends[i]);
	return finished;
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
		collect(z);
		if (running)
			curl_multi_poll(z->multi, NULL, 0, 200, NULL);
	}
	for (int i = 0; i < ZO_INFLIGHT; i++) {
		struct transfer *t = &z->slots[i];
		if (t->easy && (t->kind == SEND_BOT || t->kind == SEND_OA))
			zalo_send_abandon(z, t);
		zalo_slot_clear(z, t);
	}
}

/* Rows a killed daemon left 'sending' on Zalo: they may have gone out. */
static void
settle_interrupted(struct zalo_out *z)
{
	static const char *const channels[] = { "zalo_oa", "zalo_bot" };
	for (size_t c = 0; c < sizeof channels / sizeof channels[0]; c++)
		if (outbox_settle_interrupted(z->db, z->cfg, channels[c],
		    "interrupted by a restart while being sent", (int64_t)time(NULL)) > 0)
			zalo_note_error(z, channels[c], "interrupted by a restart while being sent: "
			    "outcome unknown, not resent");
}

/* What /healthz may read, copied under the lock. */
static void
publish(struct zalo_out *z, time_t now)
{
	pthread_mutex_lock(&z->lock);
	z->published.bot = z->bot_token[0] != '\0';
	z->published.bot_paused_until = z->bot_paused_until > now ?
	    (long long)z->bot_paused_until : 0;
	z->published.oa = z->oa;
	z->published.oa_token_expires = z->tok.access[0] ? (long long)z->tok.expires : 0;
	z->published.oa_reauth = z->tok.reauth;
	pthread_mutex_unlock(&z->lock);
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
		if (z->bot_token[0] && now >= z->bot_paused_until)
			fill(z, "zalo_bot", SEND_BOT, now);
		if (z->oa) {
			zalo_token_tend(z, now);
			if (zalo_token_usable(z, now))
				fill(z, "zalo_oa", SEND_OA, now);
		}
		zalo_fetch_due(z, now);
		int running = 0;
		curl_multi_perform(z->multi, &running);
		int finished = collect(z);
		publish(z, now);
		/* sleep until a socket is ready, a wake-up, or a moment passes;
		 * not at all when slots were freed: more may be due at once */
		curl_multi_poll(z->multi, NULL, 0, finished ? 0 : running ? 200 : 1000, NULL);
	}
	drain(z);
	return NULL;
}

/* -------------------------------------------------------- start and stop */

static void
destroy(struct zalo_out *z)
{
	db_close(z->db);
	if (z->multi)
		curl_multi_cleanup(z->multi);
	pthread_mutex_destroy(&z->lock);
	identity_wipe(z, sizeof *z);
	free(z);
	curl_global_cleanup();
}

int
zalo_out_check(const struct config *cfg, char *err, size_t errlen)
{
	char token[ZO_TOKEN_MAX], refresh[IDENTITY_SECRET_MAX + 1];   /* as the daemon's */
	int bot = cfg->bot_token_file != NULL;
	int oa = cfg->oa_app_id && cfg->oa_app_secret_key_file;
	if ((bot && !zalo_url_allowed(cfg->bot_api_base)) ||
	    (oa && (!zalo_url_allowed(cfg->oa_api_base) || !zalo_url_allowed(cfg->oa_oauth_base)))) {
		snprintf(err, errlen, "Zalo api_base and oauth_base must be https "
		    "(plain http only to a loopback address)");
		return -1;
	}
	int rc = 0;
	if (bot)
		rc = zalo_read_secret("[zalo_bot] token_file", cfg->bot_token_file, token,
		    sizeof token, err, errlen);
	if (rc == 0 && oa)
		rc = zalo_read_secret("[zalo_oa] app_secret_key_file", cfg->oa_app_secret_key_file,
		    token, sizeof token, err, errlen);
	if (rc == 0 && oa && cfg->oa_refresh_token_file)
		rc = zalo_read_secret("[zalo_oa] refresh_token_file", cfg->oa_refresh_token_file,
		    refresh, sizeof refresh, err, errlen);
	identity_wipe(token, sizeof token);
	identity_wipe(refresh, sizeof refresh);
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
	if (zalo_url_check_config(cfg, err, errlen) < 0)
		return NULL;
	if (cfg->attach_test_origin)
		log_warn("zalo", "[attachments] test_origin is set: attachments are also fetched "
		    "over plain http from that loopback origin. TEST ONLY: never in production");
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
	if (bot && zalo_read_secret("[zalo_bot] token_file", cfg->bot_token_file, z->bot_token,
	    sizeof z->bot_token, err, errlen) < 0)
		goto fail;
	z->db = db_open(cfg->database, 0, err, errlen);
	if (!z->db || (oa && zalo_token_seed(z, err, errlen) < 0))
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
	destroy(z);
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
	destroy(z);
}
