/* zalo_fetch — the files Zalo messages link to (images, files, voice
 * notes), fetched at once because Zalo's links expire, and kept in the
 * database with the tip (see zalo_out_internal.h; dispatcher thread).
 *
 * A link is fetched only if it is https (plain http to a loopback address
 * for the tests' fake), redirects stay on https, the file is at most
 * ZO_ATTACH_MAX bytes and takes at most ZO_ATTACH_TIMEOUT seconds. A failed
 * fetch is tried again up to ZO_ATTACH_TRIES times; one too large is not.
 * At most ZO_INFLIGHT / 2 fetches start per look, so sends find free slots.
 */
#include "webhook/zalo_out_internal.h"

#include <stdio.h>
#include <stdlib.h>

#include "gateway/config.h"
#include "gateway/log.h"

#define ZO_ATTACH_MAX (10L << 20)     /* bytes of one attachment, at most */
#define ZO_ATTACH_TIMEOUT 60L         /* seconds to fetch one */
#define ZO_ATTACH_CONNECT_TIMEOUT 5L
#define ZO_ATTACH_TRIES 5
#define ZO_ATTACH_CHECK 3             /* seconds between looks for files to fetch */

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
	if (!zalo_url_allowed(url)) {
		db_attachment_retry(z->db, t->attachment_id, "not an https link", 0);
		free(url);
		return 1;
	}
	t->kind = FETCH;
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
	curl_easy_setopt(t->easy, CURLOPT_REDIR_PROTOCOLS_STR, "https");
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
