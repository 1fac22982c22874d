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
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"

#define TAG "zalo bot"
#define ZO_INFLIGHT 8                 /* transfers at once */
#define ZO_RESPONSE_MAX 65536         /* bytes of an answer we read */
#define ZO_CONNECT_TIMEOUT 5L
#define ZO_TOTAL_TIMEOUT 15L
#define ZO_PAUSE_ON_401 300           /* seconds the channel rests after a token error */
#define ZO_RATE_BACKOFF 60            /* seconds after a 429 */
#define ZO_TOKEN_MAX 256

struct transfer {
	CURL *easy;
	struct outbox_item it;
	char *buf;
	size_t len;
	int overflow;
	struct curl_slist *headers;
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
	time_t paused_until;
	struct transfer slots[ZO_INFLIGHT];
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
	if (t->len + n > ZO_RESPONSE_MAX) {
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
	int64_t d = z->cfg->retry_base;
	for (int i = 1; i < attempts && d < z->cfg->retry_max; i++)
		d *= 2;
	return (int64_t)now + (d > z->cfg->retry_max ? z->cfg->retry_max : d);
}

/* Start sending one claimed row in slot t. 0 started, -1 failed (row settled). */
static int
start(struct zalo_out *z, struct transfer *t)
{
	char chat[IDENTITY_ADDR_MAX + 1];
	if (t->it.dest) {
		snprintf(chat, sizeof chat, "%s", t->it.dest);
	} else if (identity_unseal(z->id, t->it.dest_sealed, t->it.dest_sealed_len, chat,
	    sizeof chat) < 0) {
		db_outbox_retry(z->db, t->it.id, "the reply address cannot be opened with this key", 0);
		return -1;
	}
	json_t *req = json_pack("{s:s, s:s}", "chat_id", chat, "text", t->it.text);
	identity_wipe(chat, sizeof chat);
	char *body = req ? json_dumps(req, JSON_COMPACT) : NULL;
	json_decref(req);
	char url[1024];
	snprintf(url, sizeof url, "%s/bot%s/sendMessage", z->cfg->bot_api_base, z->token);
	t->easy = curl_easy_init();
	t->headers = curl_slist_append(NULL, "Content-Type: application/json");
	if (!body || !t->easy || !t->headers) {
		free(body);
		db_outbox_retry(z->db, t->it.id, "out of memory", backoff(z, t->it.attempts, time(NULL)));
		return -1;
	}
	curl_easy_setopt(t->easy, CURLOPT_URL, url);
	curl_easy_setopt(t->easy, CURLOPT_COPYPOSTFIELDS, body);
	curl_easy_setopt(t->easy, CURLOPT_HTTPHEADER, t->headers);
	curl_easy_setopt(t->easy, CURLOPT_WRITEFUNCTION, on_data);
	curl_easy_setopt(t->easy, CURLOPT_WRITEDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PRIVATE, t);
	curl_easy_setopt(t->easy, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT, ZO_CONNECT_TIMEOUT);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT, ZO_TOTAL_TIMEOUT);
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(t->easy, CURLOPT_SSL_VERIFYHOST, 2L);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, "https,http");
	identity_wipe(url, sizeof url);
	identity_wipe(body, strlen(body));
	free(body);
	if (curl_multi_add_handle(z->multi, t->easy) != CURLM_OK) {
		db_outbox_retry(z->db, t->it.id, "cannot start a transfer",
		    backoff(z, t->it.attempts, time(NULL)));
		return -1;
	}
	return 0;
}

/* A transfer ended: read the answer and settle the row. */
static void
finish(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	time_t now = time(NULL);
	long status = 0;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	json_t *answer = t->len ? json_loadb(t->buf, t->len, 0, NULL) : NULL;
	int ok = cc == CURLE_OK && json_is_true(json_object_get(answer, "ok"));
	long code = status;
	json_t *ec = json_object_get(answer, "error_code");
	if (json_is_integer(ec))
		code = (long)json_integer_value(ec);
	char why[200];
	int64_t next;
	if (ok) {
		db_outbox_sent(z->db, t->it.id, "zalo_bot", now);
		log_info(TAG, "sent %s message %lld", t->it.kind, (long long)t->it.id);
		json_decref(answer);
		return;
	}
	if (cc != CURLE_OK) {
		/* curl's own text names no URL, so no token */
		snprintf(why, sizeof why, "%s%s", t->overflow ? "answer too large: " : "",
		    curl_easy_strerror(cc));
		next = backoff(z, t->it.attempts, now);
	} else if (code == 401) {
		snprintf(why, sizeof why, "the bot token was refused (401)");
		if (z->paused_until <= now)
			log_error(TAG, "the bot token was refused: Zalo bot sends paused for %ds; "
			    "check [zalo_bot] token_file", ZO_PAUSE_ON_401);
		z->paused_until = now + ZO_PAUSE_ON_401;
		next = t->it.attempts >= z->cfg->max_attempts ? 0 : (int64_t)z->paused_until;
	} else if (code == 429) {
		snprintf(why, sizeof why, "rate limited (429)");
		next = t->it.attempts >= z->cfg->max_attempts ? 0 : (int64_t)now + ZO_RATE_BACKOFF;
	} else if (code == 400 || code == 404) {
		snprintf(why, sizeof why, "refused by Zalo (%ld): not retried", code);
		next = 0;
	} else {
		snprintf(why, sizeof why, "%s (HTTP %ld, error %ld)", answer ? "failed" :
		    "unreadable answer", status, code);
		next = backoff(z, t->it.attempts, now);
	}
	json_decref(answer);
	db_outbox_retry(z->db, t->it.id, why, next);
	if (next)
		log_warn(TAG, "message %lld not sent (%s); retry in %llds", (long long)t->it.id, why,
		    (long long)(next - now));
	else
		log_error(TAG, "message %lld given up: %s", (long long)t->it.id, why);
}

static int
stopping(struct zalo_out *z)
{
	pthread_mutex_lock(&z->lock);
	int s = z->stop;
	pthread_mutex_unlock(&z->lock);
	return s;
}

static void *
zalo_out_main(void *arg)
{
	struct zalo_out *z = arg;
	while (!stopping(z)) {
		time_t now = time(NULL);
		/* fill free slots with rows that are due */
		int64_t due = 0;
		for (int i = 0; i < ZO_INFLIGHT && now >= z->paused_until; i++) {
			struct transfer *t = &z->slots[i];
			if (t->easy)
				continue;
			/* an indexed look before the claim (a write transaction) */
			if (db_outbox_next_due(z->db, "zalo_bot", &due) <= 0 || due > (int64_t)now)
				break;
			int got = db_outbox_claim(z->db, "zalo_bot", "zalo_bot", now,
			    ZO_TOTAL_TIMEOUT + 30, &t->it);
			if (got <= 0)
				break;
			if (start(z, t) < 0)
				slot_clear(z, t);
		}
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
		/* sleep until a socket is ready, a wake-up, or a second passes */
		curl_multi_poll(z->multi, NULL, 0, running ? 200 : 1000, NULL);
	}
	for (int i = 0; i < ZO_INFLIGHT; i++)
		slot_clear(z, &z->slots[i]);   /* leased rows are sent again after restart */
	return NULL;
}

struct zalo_out *
zalo_out_start(const struct config *cfg, const struct identity *id, char *err, size_t errlen)
{
	err[0] = '\0';
	if (!cfg->bot_token_file)
		return NULL;
	if (!zalo_url_allowed(cfg->bot_api_base)) {
		snprintf(err, errlen, "[zalo_bot] api_base must be https (plain http only to loopback)");
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
	FILE *f = fopen(cfg->bot_token_file, "r");
	size_t n = f ? fread(z->token, 1, sizeof z->token - 1, f) : 0;
	if (f)
		fclose(f);
	while (n && (z->token[n - 1] == '\n' || z->token[n - 1] == '\r' || z->token[n - 1] == ' '))
		n--;
	z->token[n] = '\0';
	int bad = 0;
	for (size_t i = 0; i < n; i++)
		bad |= z->token[i] == '/' || z->token[i] == '?' || z->token[i] == '#' ||
		    (unsigned char)z->token[i] <= ' ';
	if (!f || n == 0 || bad) {
		snprintf(err, errlen, "[zalo_bot] token_file %s: %s", cfg->bot_token_file,
		    !f ? strerror(errno) : "empty or not a token");
		identity_wipe(z->token, sizeof z->token);
		free(z);
		curl_global_cleanup();
		return NULL;
	}
	z->db = db_open(cfg->database, 0, err, errlen);
	z->multi = curl_multi_init();
	pthread_mutex_init(&z->lock, NULL);
	if (!z->db || !z->multi || pthread_create(&z->thread, NULL, zalo_out_main, z) != 0) {
		if (!err[0])
			snprintf(err, errlen, "cannot start the Zalo sender");
		db_close(z->db);
		if (z->multi)
			curl_multi_cleanup(z->multi);
		identity_wipe(z->token, sizeof z->token);
		free(z);
		curl_global_cleanup();
		return NULL;
	}
	log_info(TAG, "sending through %s", cfg->bot_api_base);
	return z;
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
	curl_multi_cleanup(z->multi);
	db_close(z->db);
	pthread_mutex_destroy(&z->lock);
	identity_wipe(z->token, sizeof z->token);
	free(z);
	curl_global_cleanup();
}
