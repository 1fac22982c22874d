/* admin_api — the admin API (/api/...) and the duty-desk page (GET /), the
 * HTTP side's decisions without libmicrohttpd: webhook/http.c hands each
 * request over as a struct admin_request and sends back the response.
 *
 * Disabled (every path answers 404) unless [http] admin_token_file names
 * the token; the file (and [http] metrics_token_file) is read by
 * admin_api_new(), so at start and on each SIGHUP (the HTTP side is
 * restarted then). /api takes only
 * "Authorization: Bearer TOKEN"; the page also takes HTTP Basic with the
 * token as the password (any user name), so a browser can ask for it once.
 * Tokens are compared in constant time. Every read of a tip (list, one tip,
 * the page) is an audit event with actor "api" before anything is shown; if
 * it cannot be written the answer is 503 with nothing in it.
 *
 * Threads: admin_api_handle() runs on HTTP connection threads, any number
 * at once; each call opens its own database connection and closes it before
 * returning, so no handle crosses threads. The config is borrowed and must
 * outlive the admin_api (the HTTP side is stopped before a reload frees it).
 */
#ifndef TINBAO_ADMIN_API_H
#define TINBAO_ADMIN_API_H

#include <stddef.h>

struct config;
struct admin_api;
struct health_snapshot;

struct admin_request {
	const char *method;
	const char *path;            /* without the query string */
	const char *authorization;   /* the header, or NULL */
	const char *open;            /* the "open" query argument, or NULL */
	const char *month;           /* the "month" query argument (/report), or NULL */
	const char *body;            /* POST body (NUL-terminated), or NULL */
	size_t body_len;
};

struct admin_response {
	unsigned int status;
	const char *content_type;    /* static */
	const char *authenticate;    /* a WWW-Authenticate value, or NULL; static */
	char *body;                  /* malloc'd, the caller frees it */
	size_t body_len;
};

/* 1 if path belongs here ("/", "/report", "/api", "/api/..."). */
int admin_api_path(const char *path);

/* The daemon's one health snapshot (gateway/health.h), filled on
 * connection threads with health_arg: the desk page's status strip shows it
 * as gateway/health.c judges it (the same snapshot /healthz answers). */
struct health_snapshot;
typedef void (*admin_health_fn)(void *arg, struct health_snapshot *s);

/* NULL with err when the token file cannot be read or the token is not
 * ADMIN_TOKEN_MIN..ADMIN_TOKEN_MAX printable ASCII characters. health (may
 * be NULL: the desk page then says the state is unknown) is called with
 * health_arg. */
struct admin_api *admin_api_new(const struct config *cfg, admin_health_fn health,
    void *health_arg, char *err, size_t errlen);
void admin_api_free(struct admin_api *a);

/* GET /metrics holds counts that are not public: it takes a bearer token,
 * the scraper's ([http] metrics_token_file, which opens nothing else) or
 * the admin token. 1 allowed, 0 refused (401; logged at most once per 10 s),
 * -1 not served (no token configured: 404). */
int admin_api_metrics_allowed(struct admin_api *a, const char *authorization);

/* Fills out (out->body NULL only when memory ran out: answer 500). */
void admin_api_handle(struct admin_api *a, const struct admin_request *rq,
    struct admin_response *out);

#endif
