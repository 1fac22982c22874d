/* zalo_fetch — the files Zalo messages link to (images, files, voice
 * notes), fetched at once because Zalo's links expire, and kept in the
 * database with the tip (see zalo_out_internal.h; dispatcher thread).
 *
 * A citizen chooses these URLs, so a URL is fetched only when
 * webhook/zalo_url.h allows it: https from a Zalo CDN host ([attachments]
 * hosts), never an address; every redirect is checked the same way before
 * its request is sent, and every address connected to must be public (no
 * loopback, private or link-local address after resolution). The one
 * exception is [attachments] test_origin (TEST ONLY), the tests' fake CDN on
 * loopback. Environment proxies are not used: the address check must see
 * the real peer. The file is at most ZO_ATTACH_MAX bytes and takes at most
 * ZO_ATTACH_TIMEOUT seconds. A failed fetch is tried again up to
 * ZO_ATTACH_TRIES times; one refused or too large is not. At most
 * ZO_INFLIGHT / 2 fetches start per look, so sends find free slots.
 */
#include "webhook/zalo_out_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>

#include "gateway/config.h"
#include "gateway/log.h"
#include "webhook/zalo_url.h"

#define ZO_ATTACH_MAX (10L << 20)     /* bytes of one attachment, at most */
#define ZO_ATTACH_TIMEOUT 60L         /* seconds to fetch one */
#define ZO_ATTACH_CONNECT_TIMEOUT 5L
#define ZO_ATTACH_TRIES 5
#define ZO_ATTACH_CHECK 3             /* seconds between looks for files to fetch */

#define REFUSED_ADDRESS "the host's address is loopback, private or link-local"
#define REFUSED_REDIRECT "redirected to a link that is not allowed"

/* Every socket a fetch opens: only to an address zalo_url allows. */
static curl_socket_t
open_socket(void *arg, curlsocktype purpose, struct curl_sockaddr *a)
{
	struct transfer *t = arg;
	if (purpose != CURLSOCKTYPE_IPCXN ||
	    !zalo_addr_allowed(&a->addr, a->addrlen, t->loopback_ok)) {
		t->refused = REFUSED_ADDRESS;
		return CURL_SOCKET_BAD;
	}
	return socket(a->family, a->socktype | SOCK_CLOEXEC, a->protocol);
}

/* Before each request is sent (the first, and after every redirect): the
 * URL it is for must still be allowed. */
static int
before_request(void *arg, char *conn_primary_ip, char *conn_local_ip, int conn_primary_port,
    int conn_local_port)
{
	(void)conn_primary_ip;
	(void)conn_local_ip;
	(void)conn_primary_port;
	(void)conn_local_port;
	struct transfer *t = arg;
	char *url = NULL;
	if (curl_easy_getinfo(t->easy, CURLINFO_EFFECTIVE_URL, &url) != CURLE_OK || !url ||
	    zalo_url_media(t->cfg, url, NULL, 0) == ZALO_MEDIA_REFUSED) {
		t->refused = REFUSED_REDIRECT;
		return CURL_PREREQFUNC_ABORT;
	}
	return CURL_PREREQFUNC_OK;
}

/* Start fetching the next due attachment into slot t: 1 started (or settled
 * at once), 0 none due, -1 error. */
static int
start_fetch(struct zalo_out *z, struct transfer *t, time_t now)
{
	char *url = NULL;
	int got = db_attachment_claim(z->db, (int64_t)now, ZO_ATTACH_TIMEOUT + 30, &t->attachment_id,
	    &url, &t->attempts);
	if (got <= 0)
		return got;
	char why[128];
	enum zalo_media media = zalo_url_media(z->cfg, url, why, sizeof why);
	if (media == ZALO_MEDIA_REFUSED) {
		db_attachment_retry(z->db, t->attachment_id, why, 0);
		log_warn("zalo", "attachment %lld not fetched (%s)", (long long)t->attachment_id, why);
		free(url);
		return 1;
	}
	t->kind = FETCH;
	t->cfg = z->cfg;
	t->loopback_ok = media == ZALO_MEDIA_TEST;
	t->easy = curl_easy_init();
	if (!t->easy) {
		free(url);
		return -1;
	}
	curl_easy_setopt(t->easy, CURLOPT_URL, url);
	free(url);
	curl_easy_setopt(t->easy, CURLOPT_HTTPGET, 1L);
	curl_easy_setopt(t->easy, CURLOPT_CONNECTTIMEOUT, ZO_ATTACH_CONNECT_TIMEOUT);
	curl_easy_setopt(t->easy, CURLOPT_TIMEOUT, ZO_ATTACH_TIMEOUT);
	curl_easy_setopt(t->easy, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)ZO_ATTACH_MAX);
	curl_easy_setopt(t->easy, CURLOPT_FOLLOWLOCATION, 1L);
	curl_easy_setopt(t->easy, CURLOPT_MAXREDIRS, 3L);
	curl_easy_setopt(t->easy, CURLOPT_PROXY, "");
	curl_easy_setopt(t->easy, CURLOPT_OPENSOCKETFUNCTION, open_socket);
	curl_easy_setopt(t->easy, CURLOPT_OPENSOCKETDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PREREQFUNCTION, before_request);
	curl_easy_setopt(t->easy, CURLOPT_PREREQDATA, t);
	curl_easy_setopt(t->easy, CURLOPT_PROTOCOLS_STR, media == ZALO_MEDIA_TEST ? "http,https" :
	    "https");
	curl_easy_setopt(t->easy, CURLOPT_REDIR_PROTOCOLS_STR, media == ZALO_MEDIA_TEST ?
	    "http,https" : "https");
	return zalo_transfer_add(z, t, ZO_ATTACH_MAX) == 0 ? 1 : -1;
}

void
zalo_fetch_finish(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	long status = 0;
	char *ctype = NULL;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	curl_easy_getinfo(t->easy, CURLINFO_CONTENT_TYPE, &ctype);
	time_t now = time(NULL);
	if (cc == CURLE_OK && status == 200) {
		if (db_attachment_fetched(z->db, t->attachment_id, t->answer.data ? t->answer.data : "",
		    t->answer.len, ctype, (int64_t)now) == 0)
			log_info("zalo", "attachment %lld kept (%zu bytes)", (long long)t->attachment_id,
			    t->answer.len);
		return;
	}
	char why[160];
	int too_big = t->answer.overflow || cc == CURLE_FILESIZE_EXCEEDED;
	/* an address refused while another of the host's worked is no refusal */
	const char *policy = t->refused && (cc == CURLE_COULDNT_CONNECT ||
	    cc == CURLE_ABORTED_BY_CALLBACK) ? t->refused : NULL;
	int refused = policy != NULL || cc == CURLE_UNSUPPORTED_PROTOCOL ||
	    cc == CURLE_TOO_MANY_REDIRECTS;
	if (policy)
		snprintf(why, sizeof why, "%s", policy);
	else if (cc == CURLE_UNSUPPORTED_PROTOCOL)
		snprintf(why, sizeof why, "%s", REFUSED_REDIRECT);
	else if (too_big)
		snprintf(why, sizeof why, "larger than the %ld MiB limit", ZO_ATTACH_MAX >> 20);
	else if (cc != CURLE_OK)
		snprintf(why, sizeof why, "%s", curl_easy_strerror(cc));
	else
		snprintf(why, sizeof why, "HTTP %ld", status);
	int64_t next = too_big || refused || t->attempts >= ZO_ATTACH_TRIES ? 0 :
	    (int64_t)now + (int64_t)z->cfg->retry_base * t->attempts;
	db_attachment_retry(z->db, t->attachment_id, why, next);
	log_warn("zalo", "attachment %lld not fetched (%s)%s", (long long)t->attachment_id, why,
	    next ? "; will try again" : "; given up");
}

void
zalo_fetch_due(struct zalo_out *z, time_t now)
{
	if (now < z->next_attach_check)
		return;
	struct transfer *t;
	int got = 0;
	for (int i = 0; i < ZO_INFLIGHT / 2 && (t = zalo_slot_free(z)); i++) {
		got = start_fetch(z, t, now);
		if (got <= 0 || !t->easy)
			zalo_slot_clear(z, t);
		if (got <= 0)
			break;
	}
	if (got <= 0)
		z->next_attach_check = now + ZO_ATTACH_CHECK;
}
