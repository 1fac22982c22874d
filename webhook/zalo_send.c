/* zalo_send — one outbox row sent on Zalo (see zalo_out_internal.h;
 * dispatcher thread): the bot's sendMessage to a chat, or the Official
 * Account's v3 customer-service message to a user (docs/zalo.md A6, B2).
 *
 * It builds the request (the reply address unsealed only for the moment it
 * takes; the URL, which holds the bot token, wiped after use), reads the
 * answer (Zalo reports errors inside HTTP 200 bodies), and tells the outbox
 * what happened: sent, a temporary failure (with Zalo's own earliest retry
 * for a rate limit or a refused bot token), a permanent one, or an unknown
 * outcome when the request went out and no complete answer came back. The
 * outbox (gateway/outbox.h) decides what follows; only the channel's own
 * state is kept here: the bot channel's pause after a 401, and the OA token
 * dropped when Zalo refuses it.
 */
#include "webhook/zalo_out_internal.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/outbox.h"

#define ZO_PAUSE_ON_401 300           /* seconds the bot channel rests after a token error */
#define ZO_RATE_WAIT 60               /* seconds after a 429 or -32 (Zalo: at least a minute) */
#define ZO_TOKEN_TRIES 2              /* a refused OA token: refresh once, try once more */

static const char *
channel_of(const struct transfer *t)
{
	return t->kind == SEND_BOT ? "zalo_bot" : "zalo_oa";
}

static const char *
tag_of(const struct transfer *t)
{
	return t->kind == SEND_BOT ? "zalo bot" : "zalo oa";
}

int64_t
zalo_call_timeout(const struct zalo_out *z, enum transfer_kind kind)
{
	return kind == SEND_BOT ? z->cfg->bot_timeout : z->cfg->oa_timeout;
}

/* 1 once curl had connected and began sending the request. */
static int
request_sent(const struct transfer *t)
{
	curl_off_t pre = 0;
	return t->easy && curl_easy_getinfo(t->easy, CURLINFO_PRETRANSFER_TIME_T, &pre) ==
	    CURLE_OK && pre > 0;
}

static void
report(struct zalo_out *z, struct transfer *t, enum outbox_result result, const char *why,
    int64_t not_before)
{
	outbox_report(z->db, z->cfg, &t->it, result, channel_of(t), why, not_before,
	    (int64_t)time(NULL));
}

/* The request may have reached Zalo: Zalo's send APIs take no idempotency
 * key, so the outbox will not send it again on Zalo. */
static void
report_unknown(struct zalo_out *z, struct transfer *t, const char *why)
{
	char seen[200];
	snprintf(seen, sizeof seen, "%s: outcome unknown, not resent", why);
	zalo_note_error(z, t->it.channel, seen);
	report(z, t, OUTBOX_UNKNOWN, why, 0);
}

int
zalo_send_start(struct zalo_out *z, struct transfer *t)
{
	char to[IDENTITY_ADDR_MAX + 1];
	if (t->it.dest) {
		snprintf(to, sizeof to, "%s", t->it.dest);
	} else if (identity_unseal(z->id, t->it.dest_sealed, t->it.dest_sealed_len, to,
	    sizeof to) < 0) {
		report(z, t, OUTBOX_PERMANENT, "the reply address cannot be opened with this key", 0);
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
			snprintf(url, sizeof url, "%s/bot%s/sendMessage", z->cfg->bot_api_base,
			    z->bot_token);
			rc = zalo_post(z, t, url, body, "application/json", NULL);
		} else {
			snprintf(url, sizeof url, "%s/v3.0/oa/message/cs", z->cfg->oa_api_base);
			snprintf(header, sizeof header, "access_token: %s", z->tok.access);
			t->token_gen = z->tok.gen;
			rc = zalo_post(z, t, url, body, "application/json", header);
			identity_wipe(header, sizeof header);
		}
		identity_wipe(url, sizeof url);
		identity_wipe(body, strlen(body));
		free(body);
	}
	if (rc < 0)
		report(z, t, OUTBOX_TEMPORARY, "cannot start a transfer", 0);
	return rc;
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

/* What Zalo's answer says: 1 sent; else 0 with *code its error (the HTTP
 * status when the body names none). */
static int
answer_ok(const struct transfer *t, CURLcode cc, json_t *answer, long status, long *code)
{
	*code = status;
	json_t *ec = json_object_get(answer, t->kind == SEND_BOT ? "error_code" : "error");
	if (json_is_integer(ec))
		*code = (long)json_integer_value(ec);
	if (cc != CURLE_OK)
		return 0;
	if (t->kind == SEND_BOT)
		return json_is_true(json_object_get(answer, "ok"));
	return json_is_integer(ec) && json_integer_value(ec) == 0;
}

void
zalo_send_finish(struct zalo_out *z, struct transfer *t, CURLcode cc)
{
	time_t now = time(NULL);
	long status = 0, code;
	curl_easy_getinfo(t->easy, CURLINFO_RESPONSE_CODE, &status);
	json_t *answer = t->answer.len ? json_loadb(t->answer.data, t->answer.len, 0, NULL) : NULL;
	int ok = answer_ok(t, cc, answer, status, &code);
	int readable = answer != NULL;
	json_decref(answer);
	if (ok) {
		report(z, t, OUTBOX_SENT, NULL, 0);
		return;
	}
	char why[200];
	if (cc != CURLE_OK) {
		/* curl's own text names no URL, so no token */
		snprintf(why, sizeof why, "%s%s", t->answer.overflow ? "answer too large: " : "",
		    curl_easy_strerror(cc));
		if (request_sent(t)) {
			report_unknown(z, t, why);
			return;
		}
		zalo_note_error(z, tag_of(t), why);
		report(z, t, OUTBOX_TEMPORARY, why, 0);
		return;
	}
	enum outbox_result result = OUTBOX_TEMPORARY;
	int64_t not_before = 0;
	if (t->kind == SEND_BOT && code == 401) {
		snprintf(why, sizeof why, "the bot token was refused (401)");
		if (z->bot_paused_until <= now)
			log_error(tag_of(t), "the bot token was refused: Zalo bot sends paused for %ds; "
			    "check [zalo_bot] token_file", ZO_PAUSE_ON_401);
		z->bot_paused_until = now + ZO_PAUSE_ON_401;
		not_before = (int64_t)z->bot_paused_until;
	} else if (t->kind == SEND_OA && oa_token_error(code)) {
		/* refresh once (single-flight), then try once more */
		snprintf(why, sizeof why, "access token refused (%ld)", code);
		zalo_token_refused(z, t->token_gen);
		result = t->it.attempts >= ZO_TOKEN_TRIES ? OUTBOX_PERMANENT : OUTBOX_RETURNED;
	} else if (code == 429 || code == -32 || code == -211 || code == -218) {
		snprintf(why, sizeof why, "rate limited (%ld)", code);
		not_before = (int64_t)now + ZO_RATE_WAIT;
	} else if ((t->kind == SEND_BOT && (code == 400 || code == 404)) ||
	    (t->kind == SEND_OA && oa_permanent(code))) {
		snprintf(why, sizeof why, code == -230 || code == -232 ?
		    "the citizen is no longer reachable on Zalo (%ld)" :
		    "refused by Zalo (%ld): not retried", code);
		result = OUTBOX_PERMANENT;
	} else {
		snprintf(why, sizeof why, "%s (HTTP %ld, error %ld)", readable ? "failed" :
		    "unreadable answer", status, code);
	}
	zalo_note_error(z, tag_of(t), why);
	report(z, t, result, why, not_before);
}

void
zalo_send_abandon(struct zalo_out *z, struct transfer *t)
{
	if (request_sent(t))
		report_unknown(z, t, "the daemon stopped before Zalo answered");
	else
		report(z, t, OUTBOX_RETURNED, "the daemon stopped before sending", 0);
}
