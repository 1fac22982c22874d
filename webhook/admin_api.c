/* admin_api — see admin_api.h. */
#include "webhook/admin_api.h"

#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/config.h"
#include "gateway/escalate.h"
#include "gateway/health.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/phone.h"
#include "gateway/report.h"
#include "gateway/report_doc.h"
#include "gateway/report_html.h"
#include "gateway/roster.h"
#include "gateway/secretfile.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/tipops.h"
#include "gateway/trackid.h"
#include "gateway/view.h"
#include "webhook/admin_req.h"
#include "webhook/desk_page.h"

#define TAG "api"
#define ACTOR "api"
#define DESK_ACTOR "desk page"
#define ADMIN_ID_MAX 48
#define ADMIN_AUDIT_DETAIL_MAX 400     /* bytes of tracking IDs named in one read event */
#define ADMIN_PAGE_ROWS 500            /* open tips on the desk page, at most */
#define ADMIN_LIST_MAX 20000           /* tips in one /api/tips answer; past it 413 */
#define ADMIN_TODAY_ROWS 200           /* acknowledged or closed today, on the desk page */

struct admin_api {
	const struct config *cfg;
	admin_health_fn health;            /* the one health snapshot (may be NULL) */
	void *health_arg;
	int enabled;
	char token_hash[65];               /* SHA-256 of the token: compared, never the token */
	int metrics_token;                 /* [http] metrics_token_file is set */
	char metrics_hash[65];             /* SHA-256 of the scraper's token */
	struct log_limit refusals;         /* anybody may knock: one line per ADMIN_LOG_EVERY_S */
};

#define ADMIN_LOG_EVERY_S 10

static const char type_json[] = "application/json";
static const char type_html[] = "text/html; charset=utf-8";

int
admin_api_path(const char *path)
{
	return strcmp(path, "/") == 0 || strcmp(path, "/report") == 0 ||
	    strcmp(path, "/api") == 0 || strncmp(path, "/api/", 5) == 0;
}

static void
sha256_hex(const char *s, size_t len, char out[65])
{
	const void *parts[1] = { s };
	size_t lens[1] = { len };
	identity_sha256_hex(parts, lens, 1, out);
}

struct admin_api *
admin_api_new(const struct config *cfg, admin_health_fn health, void *health_arg, char *err,
    size_t errlen)
{
	struct admin_api *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->cfg = cfg;
	a->health = health;
	a->health_arg = health_arg;
	char tok[ADMIN_TOKEN_MAX + 1];
	size_t n = 0;
	const char *mpath = cfg->http_metrics_token_file;
	if (mpath && *mpath) {
		if (secretfile_read("[http] metrics_token_file", mpath, 0, ADMIN_TOKEN_MIN, tok,
		    sizeof tok, &n, NULL, err, errlen) < 0) {
			free(a);
			return NULL;
		}
		sha256_hex(tok, n, a->metrics_hash);
		identity_wipe(tok, sizeof tok);
		a->metrics_token = 1;
	}
	const char *path = cfg->http_admin_token_file;
	if (!path || !*path)
		return a;                   /* disabled: 404 everywhere */
	if (secretfile_read("[http] admin_token_file", path, 0, ADMIN_TOKEN_MIN, tok, sizeof tok,
	    &n, NULL, err, errlen) < 0) {
		free(a);
		return NULL;
	}
	sha256_hex(tok, n, a->token_hash);
	identity_wipe(tok, sizeof tok);
	a->enabled = 1;
	return a;
}

void
admin_api_free(struct admin_api *a)
{
	if (!a)
		return;
	identity_wipe(a->token_hash, sizeof a->token_hash);
	identity_wipe(a->metrics_hash, sizeof a->metrics_hash);
	free(a);
}

/* ------------------------------------------------------------ responses */

static void
respond_json(struct admin_response *out, unsigned int status, json_t *doc)
{
	out->status = status;
	out->content_type = type_json;
	out->body = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	if (!out->body) {
		out->status = 500;
		out->body = strdup("{\"error\":\"out of memory\"}");
	}
	out->body_len = out->body ? strlen(out->body) : 0;
}

static void
respond_error(struct admin_response *out, unsigned int status, const char *msg)
{
	respond_json(out, status, json_pack("{s:s}", "error", msg));
}

/* 1 when the request carries the token in a scheme this path takes. */
static int
authorised(const struct admin_api *a, const char *header, int page)
{
	char cred[ADMIN_TOKEN_MAX + 1], hash[65];
	enum admin_scheme s = admin_req_credential(header, cred, sizeof cred);
	int ok = 0;
	if (s == ADMIN_SCHEME_BEARER || (page && s == ADMIN_SCHEME_BASIC)) {
		sha256_hex(cred, strlen(cred), hash);
		ok = identity_equal(hash, a->token_hash, sizeof hash);
	}
	identity_wipe(cred, sizeof cred);
	return ok;
}

/* A refused token: one line per ADMIN_LOG_EVERY_S, with how many more. */
static void
log_refused(struct admin_api *a, const char *method, const char *path, int given)
{
	unsigned long held = 0;
	if (!log_limit_pass(&a->refusals, ADMIN_LOG_EVERY_S, &held))
		return;
	if (held)
		log_warn(TAG, "%lu more requests refused for their token in the meantime", held);
	log_warn(TAG, "%s %s refused: %s token", strcmp(method, "GET") == 0 ? "GET" :
	    strcmp(method, "POST") == 0 ? "POST" : "a request", path,
	    given ? "wrong or malformed" : "no");
}

int
admin_api_metrics_allowed(struct admin_api *a, const char *authorization)
{
	if (!a->enabled && !a->metrics_token)
		return -1;
	char cred[ADMIN_TOKEN_MAX + 1], hash[65];
	int ok = 0;
	if (admin_req_credential(authorization, cred, sizeof cred) == ADMIN_SCHEME_BEARER) {
		sha256_hex(cred, strlen(cred), hash);
		int scraper = a->metrics_token ? identity_equal(hash, a->metrics_hash, sizeof hash) :
		    0;
		int admin = a->enabled ? identity_equal(hash, a->token_hash, sizeof hash) : 0;
		ok = scraper || admin;
	}
	identity_wipe(cred, sizeof cred);
	if (!ok)
		log_refused(a, "GET", "/metrics", authorization != NULL);
	return ok;
}

/* ---------------------------------------------------------------- tips */

/* Who reads: "api" (a bearer token), or "desk page" and the name typed
 * into its login. */
struct reader {
	const char *actor;
	const char *name;            /* NULL: none */
};

/* One audit read naming every tip (by code) about to be shown (identical
 * reads within 10 minutes are counted into one row: gateway/audit.h, so the
 * desk page reloading itself does not fill the trail). 0 / -1. */
static int
audit_codes(const struct config *cfg, struct db *db, const struct reader *who,
    const char *what, const char *const *codes, size_t n)
{
	char detail[ADMIN_AUDIT_DETAIL_MAX + 64];
	size_t len = (size_t)snprintf(detail, sizeof detail, "%s: %zu tip%s", what, n,
	    n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		char id[ADMIN_ID_MAX];
		trackid_format(cfg->tracking_prefix, codes[i], id, sizeof id);
		if (len + strlen(id) + 2 > ADMIN_AUDIT_DETAIL_MAX) {
			snprintf(detail + len, sizeof detail - len, " and %zu more", n - i);
			break;
		}
		len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%s", i ? ", " : " ", id);
	}
	return audit_read(db, timeutil_now(), who->actor, who->name, 0, detail);
}

static int
audit_reads(const struct config *cfg, struct db *db, const struct reader *who, const char *what,
    const struct tip *v, size_t n)
{
	const char **codes = calloc(n + 1, sizeof *codes);
	if (!codes)
		return db_set_error(db, "out of memory");
	for (size_t i = 0; i < n; i++)
		codes[i] = v[i].code;
	int rc = audit_codes(cfg, db, who, what, codes, n);
	free(codes);
	return rc;
}

static void
audit_failed(struct db *db, struct admin_response *out)
{
	log_error(TAG, "cannot record a read in the audit trail, nothing shown: %s",
	    db_errmsg(db));
	respond_error(out, 503, "cannot record this read in the audit trail; nothing shown");
}

static void
db_failed(struct db *db, struct admin_response *out)
{
	log_error(TAG, "database: %s", db_errmsg(db));
	respond_error(out, 500, "database error");
}

/* GET /api/tips[?open=1] */
static void
list_tips(const struct config *cfg, struct db *db, const struct reader *who, int open_only,
    struct admin_response *out)
{
	struct tip *v;
	size_t n;
	struct tipclock_holidays hol = { 0 };
	if (db_tip_list(db, open_only, ADMIN_LIST_MAX + 1, &v, &n) < 0) {
		db_failed(db, out);
		return;
	}
	if (n > ADMIN_LIST_MAX) {
		respond_error(out, 413, "too many tips for one answer: ask for the open ones "
		    "(?open=1), or use tinbao book for the history");
	} else if (tipclock_holidays_load(db, &hol) < 0) {
		db_failed(db, out);
	} else if (audit_reads(cfg, db, who, open_only ? "GET /api/tips?open=1" : "GET /api/tips",
	    v, n) < 0) {
		audit_failed(db, out);
	} else {
		json_t *arr = json_array();
		int64_t now = timeutil_now();
		for (size_t i = 0; i < n; i++) {
			struct tipclock clk;
			tipclock_of(&v[i], &hol, now, &clk);
			json_t *o = view_tip_json(cfg, &v[i]);
			json_object_set_new(o, "legal", view_legal_json(&clk));
			json_array_append_new(arr, o);
		}
		respond_json(out, 200, arr);
	}
	tipclock_holidays_free(&hol);
	tips_free(v, n);
}

/* GET /api/tips/ID: the tip, its messages, escalations and attachments. */
static void
show_tip(const struct config *cfg, struct db *db, const struct reader *who, const char *code,
    struct admin_response *out)
{
	struct tip t;
	char id[ADMIN_ID_MAX], detail[ADMIN_ID_MAX + 32];
	int found = db_tip_by_code(db, code, &t);
	if (found < 0) {
		db_failed(db, out);
		return;
	}
	trackid_format(cfg->tracking_prefix, code, id, sizeof id);
	if (found == 0) {
		respond_error(out, 404, "no such tip");
		return;
	}
	snprintf(detail, sizeof detail, "GET /api/tips/%s", id);
	if (audit_read(db, timeutil_now(), who->actor, who->name, t.id, detail) < 0) {
		audit_failed(db, out);
		tip_clear(&t);
		return;
	}
	struct tip_message *m = NULL;
	struct escalation *e = NULL;
	struct attachment *at = NULL;
	size_t nm = 0, ne = 0, na = 0;
	struct tipclock_holidays hol = { 0 };
	if (db_tip_messages(db, t.id, &m, &nm) < 0 || db_escalations(db, t.id, &e, &ne) < 0 ||
	    db_tip_attachments(db, t.id, &at, &na) < 0 || tipclock_holidays_load(db, &hol) < 0) {
		db_failed(db, out);
	} else {
		struct tipclock clk;
		tipclock_of(&t, &hol, timeutil_now(), &clk);
		struct view_tip_detail d = { .messages = m, .n_messages = nm, .escalations = e,
		    .n_escalations = ne, .attachments = at, .n_attachments = na, .clock = &clk };
		json_t *o = view_tip_detail_json(cfg, &t, &d);
		respond_json(out, 200, o);
	}
	tipclock_holidays_free(&hol);
	tip_messages_free(m, nm);
	escalations_free(e, ne);
	attachments_free(at, na);
	tip_clear(&t);
}

/* POST /api/tips/ID/ack and /close, body {"officer": PHONE, "note": TEXT}:
 * the same decision as the officer's OK/XONG by SMS (tipops), on record as
 * made through the API. */
static void
ack_or_close(const struct config *cfg, struct db *db, const char *code, int closing,
    const char *body, size_t body_len, struct admin_response *out)
{
	json_error_t jerr;
	json_t *doc = body ? json_loadb(body, body_len, JSON_REJECT_DUPLICATES, &jerr) : NULL;
	const char *phone = NULL, *note = NULL;
	if (!json_is_object(doc)) {
		json_decref(doc);
		respond_error(out, 400, "the body must be a JSON object {\"officer\": PHONE"
		    "[, \"note\": TEXT]}");
		return;
	}
	json_t *jo = json_object_get(doc, "officer"), *jn = json_object_get(doc, "note");
	const char *key;
	json_t *val;
	json_object_foreach(doc, key, val) {
		if (strcmp(key, "officer") != 0 && strcmp(key, "note") != 0) {
			json_decref(doc);
			respond_error(out, 400, "unknown field in the body (officer, note)");
			return;
		}
	}
	phone = json_string_value(jo);
	note = json_string_value(jn);
	char norm[PHONE_MAX];
	if (!phone || phone_normalize_full(phone, norm) < 0) {
		json_decref(doc);
		respond_error(out, 400, "\"officer\" must be the phone number of an officer in the "
		    "roster");
		return;
	}
	if ((jn && !json_is_null(jn) && !note) || (note && !closing && *note)) {
		json_decref(doc);
		respond_error(out, 400, closing ? "\"note\" must be a string" :
		    "\"note\" is for close");
		return;
	}
	if (note && *note == '\0')
		note = NULL;
	if (note && !text_valid(note, TIPOPS_NOTE_MAX, 1)) {
		json_decref(doc);
		respond_error(out, 400, "\"note\" must be 1-1000 bytes of text");
		return;
	}
	struct officer o;
	int found = db_officer_by_phone(db, norm, &o);
	if (found < 0) {
		json_decref(doc);
		db_failed(db, out);
		return;
	}
	if (found == 0) {
		json_decref(doc);
		respond_error(out, 422, "no officer with that phone number in the roster");
		return;
	}
	char reply[MSG_MAX] = "", id[ADMIN_ID_MAX];
	int64_t now = timeutil_now();
	/* the audit row: actor "api", for the officer named */
	enum tipops_result r = closing ?
	    tipops_close(db, cfg, code, o.id, note, now, ACTOR, reply, sizeof reply) :
	    tipops_ack(db, cfg, code, o.id, now, ACTOR, reply, sizeof reply);
	json_decref(doc);
	trackid_format(cfg->tracking_prefix, code, id, sizeof id);
	if (r == TIPOPS_DONE) {
		log_notice(TAG, "%s %s through the admin API for officer %lld", id,
		    closing ? "closed" : "acknowledged", (long long)o.id);
	}
	officer_clear(&o);
	if (r == TIPOPS_ERROR) {
		db_failed(db, out);
	} else if (r == TIPOPS_UNKNOWN) {
		respond_error(out, 404, "no such tip");
	} else {
		respond_json(out, 200, json_pack("{s:s, s:s, s:s}", "id", id, "result",
		    r == TIPOPS_DONE ? (closing ? "closed" : "acknowledged") : "unchanged",
		    "message", reply));
	}
}

static void
list_officers(struct db *db, struct admin_response *out)
{
	struct officer *v;
	size_t n;
	if (db_officer_list(db, &v, &n) < 0) {
		db_failed(db, out);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, view_officer_json(&v[i]));
	officers_free(v, n);
	respond_json(out, 200, arr);
}

static void
list_shifts(struct db *db, struct admin_response *out)
{
	struct shift *v;
	size_t n;
	if (db_shift_list(db, &v, &n) < 0) {
		db_failed(db, out);
		return;
	}
	json_t *arr = json_array();
	for (size_t i = 0; i < n; i++)
		json_array_append_new(arr, view_shift_json(&v[i]));
	shifts_free(v, n);
	respond_json(out, 200, arr);
}

/* Officers' names by id, looked up once per page. */
struct names {
	struct officer v[64];
	size_t n;
};

static const char *
name_of(struct db *db, struct names *nm, int64_t id)
{
	for (size_t i = 0; i < nm->n; i++)
		if (nm->v[i].id == id)
			return nm->v[i].name ? nm->v[i].name : "?";
	if (nm->n == sizeof nm->v / sizeof nm->v[0] || db_officer_by_id(db, id, &nm->v[nm->n]) <= 0)
		return "?";
	const struct officer *o = &nm->v[nm->n++];
	return o->name ? o->name : "?";
}

static void
names_free(struct names *nm)
{
	for (size_t i = 0; i < nm->n; i++)
		officer_clear(&nm->v[i]);
	nm->n = 0;
}

/* Who is on duty at `level` now (the roster's one rule), by name: 0 / -1. */
static int
on_duty(struct db *db, struct names *nm, int level, int64_t now, const char **out, size_t *n)
{
	int64_t ids[ESCALATE_MAX_ON_DUTY];
	size_t k = 0;
	*n = 0;
	if (roster_on_duty(db, level, now, ids, ESCALATE_MAX_ON_DUTY, &k) < 0)
		return -1;
	for (size_t i = 0; i < k && *n < DESK_NAMES_MAX; i++)
		out[(*n)++] = name_of(db, nm, ids[i]);
	return 0;
}

static int64_t
local_midnight(int64_t t)
{
	int y, m, d;
	timeutil_local_date(t, &y, &m, &d);
	return timeutil_local_midnight(y, m, d);
}

/* GET /: the duty-desk console. */
static void
desk(struct admin_api *a, struct db *db, const struct reader *who, struct admin_response *out)
{
	const struct config *cfg = a->cfg;
	struct tip *v = NULL, *done = NULL, *acked = NULL, *closed = NULL;
	size_t n = 0, nd = 0;
	struct tipclock_holidays hol = { 0 };
	struct desk_row *rows = NULL;
	struct names nm = { .n = 0 };
	struct desk_duty duty;
	struct health_snapshot health;
	struct health_status status;
	struct report today = { 0 };
	struct desk_view view = { .now = timeutil_now() };
	int64_t now = view.now, midnight = local_midnight(now);
	int failed = 1;
	/* the oldest ADMIN_PAGE_ROWS open tips; how many are open and how many
	 * wait for anybody on duty are counts kept by the database: the page
	 * costs the same with 100,000 open tips */
	struct db_count open = { .n = 0 }, unstaffed = { .n = 0 };
	size_t n_open = 0, n_unstaffed = 0;
	if (db_tip_list(db, 1, ADMIN_PAGE_ROWS, &v, &n) < 0 ||
	    db_metric(db, DB_METRIC_TIPS_OPEN, &open, 1, &n_open) < 0 ||
	    db_metric(db, DB_METRIC_TIPS_UNSTAFFED, &unstaffed, 1, &n_unstaffed) < 0 ||
	    db_tips_settled_since(db, midnight, ADMIN_TODAY_ROWS, &done, &nd) < 0 ||
	    tipclock_holidays_load(db, &hol) < 0 ||
	    report_share(db, cfg, midnight, now + 1, now, &today) < 0)
		goto out;
	size_t shown = n;
	size_t all_open = n_open && open.n > (int64_t)n ? (size_t)open.n : n;
	rows = calloc(shown + 1, sizeof *rows);
	acked = calloc(nd + 1, sizeof *acked);
	closed = calloc(nd + 1, sizeof *closed);
	if (!rows || !acked || !closed) {
		db_set_error(db, "out of memory");
		goto out;
	}
	view.waiting = n_unstaffed && unstaffed.n > 0 ? (size_t)unstaffed.n : 0;
	for (size_t i = 0; i < shown; i++) {
		struct desk_row *r = &rows[i];
		r->t = &v[i];
		tipclock_of(&v[i], &hol, now, &r->clk);
		/* who is being paged now: whoever is on duty at the tip's level;
		 * a tip handed over waits at level 1 for the officer it was
		 * handed to (db_tip_transfer), until its deadline escalates it */
		if (v[i].status != TIP_NEW || v[i].waiting || !v[i].next_deadline)
			continue;
		if (v[i].assigned_to && v[i].level == 1) {
			r->paged[0] = name_of(db, &nm, v[i].assigned_to);
			r->n_paged = 1;
		} else if (on_duty(db, &nm, v[i].level, now, r->paged, &r->n_paged) < 0) {
			goto out;
		}
	}
	for (size_t i = 0; i < nd; i++) {       /* shallow copies: done owns the strings */
		if (done[i].status == TIP_CLOSED && done[i].closed_at >= midnight)
			closed[view.n_closed++] = done[i];
		else if (done[i].status == TIP_ACKNOWLEDGED)
			acked[view.n_acked++] = done[i];
	}
	for (int l = 0; l < DESK_LEVELS; l++)
		if (on_duty(db, &nm, l + 1, now, duty.names[l], &duty.n[l]) < 0)
			goto out;
	/* calls ringing now: one a modem at most */
	struct call_ringing ring[CONFIG_MAX_MODEMS];
	size_t nring = 0;
	if (db_calls_ringing(db, ring, CONFIG_MAX_MODEMS, &nring) < 0)
		goto out;
	for (size_t k = 0; k < nring; k++)
		for (size_t j = 0; j < shown; j++)
			if (v[j].id == ring[k].tip_id)
				snprintf(rows[j].calling, sizeof rows[j].calling, "%s", ring[k].officer);
	if (a->health) {               /* the one snapshot, judged by gateway/health.c */
		a->health(a->health_arg, &health);
		health_status(&health, &status);
		view.health = &health;
		view.status = &status;
		for (size_t i = 0; i < health.n_modems && i < 8; i++)
			if (db_channel_last(db, health.modem_name[i], &view.last_in[i],
			    &view.last_out[i]) < 0)
				goto out;
		int64_t ignored;
		if (db_channel_last(db, "zalo_oa", &ignored, &view.zalo_last_out[0]) < 0 ||
		    db_channel_last(db, "zalo_bot", &ignored, &view.zalo_last_out[1]) < 0)
			goto out;
	}
	/* the read: the open tips shown and today's */
	size_t total = shown + view.n_acked + view.n_closed, nc = 0;
	const char **codes = calloc(total + 1, sizeof *codes);
	if (!codes) {
		db_set_error(db, "out of memory");
		goto out;
	}
	for (size_t i = 0; i < shown; i++)
		codes[nc++] = v[i].code;
	for (size_t i = 0; i < view.n_acked; i++) {
		size_t k = 0;                  /* an open tip: shown above already? */
		while (k < shown && v[k].id != acked[i].id)
			k++;
		if (k == shown)
			codes[nc++] = acked[i].code;
	}
	for (size_t i = 0; i < view.n_closed; i++)
		codes[nc++] = closed[i].code;
	int audited = audit_codes(cfg, db, who, "GET / (duty-desk page)", codes, nc);
	free(codes);
	if (audited < 0) {
		audit_failed(db, out);
		failed = 0;
		goto out;
	}
	int y, m, d;
	timeutil_local_date(now, &y, &m, &d);
	snprintf(view.month, sizeof view.month, "%04d-%02d", y % 10000, m % 100);
	view.today = &today;
	view.duty = &duty;
	view.open = rows;
	view.n_open = shown;
	view.more = all_open - shown;
	view.acked = acked;
	view.closed = closed;
	char *page = desk_page_render(cfg, &view);
	failed = 0;
	if (!page) {
		respond_error(out, 500, "the page could not be made (out of memory or too large)");
	} else {
		out->status = 200;
		out->content_type = type_html;
		out->body = page;
		out->body_len = strlen(page);
	}
out:
	if (failed)
		db_failed(db, out);
	names_free(&nm);
	report_free(&today);
	free(rows);
	free(acked);
	free(closed);
	tipclock_holidays_free(&hol);
	tips_free(v, n);
	tips_free(done, nd);
}

static void
respond_html_error(struct admin_response *out, unsigned int status, const char *msg)
{
	out->status = status;
	out->content_type = type_html;
	if (asprintf(&out->body, "<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
	    "<title>tinbao</title></head><body><p>%s</p></body></html>\n", msg) < 0)
		out->body = NULL;
	out->body_len = out->body ? strlen(out->body) : 0;
}

/* GET /report?month=YYYY-MM (default: this month): the month's report as
 * the HTML of `tinbao report --html`; a read of the tips it names. */
static void
month_report(struct admin_api *a, struct db *db, const struct reader *who, const char *month,
    struct admin_response *out)
{
	int64_t now = timeutil_now(), from, to;
	char err[128], this_month[16], what[64];
	if (!month || !*month) {
		int y, m, d;
		timeutil_local_date(now, &y, &m, &d);
		snprintf(this_month, sizeof this_month, "%04d-%02d", y % 10000, m % 100);
		month = this_month;
	}
	if (report_month(month, &from, &to, err, sizeof err) < 0) {
		respond_html_error(out, 400, "Tháng không hợp lệ: dùng /report?month=YYYY-MM.");
		return;
	}
	struct report r;
	if (report_compute(db, a->cfg, from, to, now, &r) < 0) {
		db_failed(db, out);
		return;
	}
	const char **codes;
	long k = report_listed(&r, &codes);
	if (k < 0) {
		report_free(&r);
		respond_error(out, 500, "out of memory");
		return;
	}
	snprintf(what, sizeof what, "GET /report?month=%.7s", month);
	int audited = audit_codes(a->cfg, db, who, what, codes, (size_t)k);
	free(codes);
	if (audited < 0) {
		report_free(&r);
		audit_failed(db, out);
		return;
	}
	struct rdoc *d = report_doc_new(a->cfg, &r);
	size_t len = 0;
	char *page = d ? report_html(d, &len) : NULL;
	report_doc_free(d);
	report_free(&r);
	if (!page) {
		respond_error(out, 500, "the report could not be made (out of memory or too large)");
		return;
	}
	out->status = 200;
	out->content_type = type_html;
	out->body = page;
	out->body_len = len;
}

void
admin_api_handle(struct admin_api *a, const struct admin_request *rq,
    struct admin_response *out)
{
	memset(out, 0, sizeof *out);
	if (!a->enabled) {
		respond_error(out, 404, "not found");
		return;
	}
	int report = strcmp(rq->path, "/report") == 0;
	int page = strcmp(rq->path, "/") == 0 || report;
	char code[TRACKID_CODE_LEN + 1] = "";
	enum admin_path p = page ? ADMIN_PATH_UNKNOWN :
	    admin_req_path(a->cfg->tracking_prefix, rq->path, code);
	if (!authorised(a, rq->authorization, page)) {
		log_refused(a, rq->method, page ? rq->path : "/api", rq->authorization != NULL);
		if (page) {
			out->status = 401;
			out->content_type = type_html;
			out->authenticate = "Basic realm=\"tinbao\", charset=\"UTF-8\"";
			out->body = strdup("<!DOCTYPE html><html lang=\"vi\"><head><meta charset=\"utf-8\">"
			    "<title>Cần đăng nhập</title></head><body><p>Cần mã truy cập của bàn trực: "
			    "nhập họ tên của đồng chí vào ô tên đăng nhập (được ghi vào nhật ký kiểm "
			    "tra cùng mỗi lần xem) và mã truy cập vào ô mật khẩu.</p></body></html>\n");
			out->body_len = out->body ? strlen(out->body) : 0;
		} else {
			respond_error(out, 401, "a valid bearer token is required");
			out->authenticate = "Bearer realm=\"tinbao\"";
		}
		return;
	}
	int get = strcmp(rq->method, "GET") == 0;
	int post = strcmp(rq->method, "POST") == 0;
	int want_post = p == ADMIN_PATH_ACK || p == ADMIN_PATH_CLOSE;
	if (!page && (p == ADMIN_PATH_UNKNOWN || p == ADMIN_PATH_BAD_ID)) {
		respond_error(out, 404, p == ADMIN_PATH_BAD_ID ? "not a tracking ID" : "not found");
		return;
	}
	if (want_post ? !post : !get) {
		respond_error(out, 405, want_post ? "POST only" : "GET only");
		return;
	}
	int open_only = admin_req_flag(rq->open);
	if (p == ADMIN_PATH_TIPS && open_only < 0) {
		respond_error(out, 400, "open must be 1 or 0");
		return;
	}
	char err[256];
	struct db *db = db_open(a->cfg->database, 0, err, sizeof err);
	if (!db) {
		log_error(TAG, "database: %s", err);
		respond_error(out, 503, "database unavailable");
		return;
	}
	char name[ADMIN_USER_MAX + 1];
	struct reader who = { .actor = page ? DESK_ACTOR : ACTOR,
		.name = page && admin_req_basic_user(rq->authorization, name, sizeof name) ? name :
		    NULL };
	if (report)
		month_report(a, db, &who, rq->month, out);
	else if (page)
		desk(a, db, &who, out);
	else if (p == ADMIN_PATH_TIPS)
		list_tips(a->cfg, db, &who, open_only, out);
	else if (p == ADMIN_PATH_TIP)
		show_tip(a->cfg, db, &who, code, out);
	else if (p == ADMIN_PATH_ACK || p == ADMIN_PATH_CLOSE)
		ack_or_close(a->cfg, db, code, p == ADMIN_PATH_CLOSE, rq->body, rq->body_len, out);
	else if (p == ADMIN_PATH_OFFICERS)
		list_officers(db, out);
	else
		list_shifts(db, out);
	db_close(db);
}
