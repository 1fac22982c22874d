/* http — see http.h. */
#include "webhook/http.h"

#include <arpa/inet.h>
#include <errno.h>
#include <microhttpd.h>
#include <netinet/in.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include "gateway/buf.h"
#include "gateway/config.h"
#include "gateway/health.h"
#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/metrics.h"
#include "webhook/admin_api.h"
#include "webhook/zalo_in.h"

#define TAG "http"
#define HTTP_RESPONSE_MAX 4096
#define HTTP_METRICS_MAX (64 * 1024)
/* Per connection: a thread with this stack (our handlers need little; the
 * default 8 MiB would reserve 8 GiB for a thousand connections) and this
 * much memory for the request line and headers (431 past it). */
#define HTTP_THREAD_STACK (512 * 1024)
#define HTTP_CONNECTION_MEMORY (32 * 1024)

struct http {
	struct MHD_Daemon *mhd;
	struct zalo_in *zalo;
	struct admin_api *admin;
	http_health_fn health;
	http_metrics_fn metrics;
	void *health_arg;
	int heartbeat;
	struct sockaddr_in sa;
	size_t body_limit;
	int unix_fd;
	char unix_path[108];
};

enum route { ROUTE_OA, ROUTE_BOT, ROUTE_HEALTH, ROUTE_METRICS, ROUTE_ADMIN };

struct request {
	enum route route;
	struct buf body;      /* at most [http] body_limit bytes */
};

/* Every answer of ours goes out here, and is counted by its status
 * (libmicrohttpd's own refusals are counted by on_mhd_message). */
static enum MHD_Result
queue(struct MHD_Connection *c, unsigned int status, struct MHD_Response *r)
{
	metrics_http_status(status);
	return MHD_queue_response(c, status, r);
}

static enum MHD_Result
reply_as(struct MHD_Connection *c, unsigned int status, const char *type, const char *body)
{
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_MUST_COPY);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	enum MHD_Result ret = queue(c, status, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
reply(struct MHD_Connection *c, unsigned int status, const char *json)
{
	return reply_as(c, status, "application/json", json);
}

/* 401 with the Bearer challenge (RFC 6750), as a Prometheus scraper
 * expects. */
static enum MHD_Result
reply_bearer(struct MHD_Connection *c)
{
	static const char body[] = "{\"error\":\"a valid bearer token is required\"}";
	struct MHD_Response *r = MHD_create_response_from_buffer(strlen(body), (void *)body,
	    MHD_RESPMEM_PERSISTENT);
	if (!r)
		return MHD_NO;
	MHD_add_response_header(r, "Content-Type", "application/json");
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "WWW-Authenticate", "Bearer realm=\"tinbao\"");
	enum MHD_Result ret = queue(c, MHD_HTTP_UNAUTHORIZED, r);
	MHD_destroy_response(r);
	return ret;
}

static enum MHD_Result
serve_metrics(struct http *h, struct MHD_Connection *c)
{
	struct metrics_out o = { .buf = malloc(HTTP_METRICS_MAX), .cap = HTTP_METRICS_MAX };
	if (!o.buf)
		return reply(c, MHD_HTTP_SERVICE_UNAVAILABLE, "{\"error\":\"out of memory\"}");
	o.buf[0] = '\0';
	int ok = h->metrics(h->health_arg, &o) == 0 && !o.full;
	enum MHD_Result ret = ok ?
	    reply_as(c, MHD_HTTP_OK, "text/plain; version=0.0.4; charset=utf-8", o.buf) :
	    reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "{\"error\":\"metrics unavailable\"}");
	free(o.buf);
	return ret;
}

static int
is_json(struct MHD_Connection *c)
{
	const char *ct = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Type");
	if (!ct)
		return 0;
	size_t n = strlen("application/json");
	return strncasecmp(ct, "application/json", n) == 0 && (ct[n] == '\0' || ct[n] == ';' ||
	    ct[n] == ' ');
}

/* The admin API and the duty-desk page (admin_api.c decides). */
static enum MHD_Result
admin_reply(struct http *h, struct MHD_Connection *c, const char *url, const char *method,
    const char *body, size_t len)
{
	struct admin_request rq = { method, url,
		MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Authorization"),
		MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "open"),
		MHD_lookup_connection_value(c, MHD_GET_ARGUMENT_KIND, "month"), body, len };
	struct admin_response out;
	admin_api_handle(h->admin, &rq, &out);
	if (!out.body)
		return reply(c, MHD_HTTP_INTERNAL_SERVER_ERROR, "{\"error\":\"out of memory\"}");
	struct MHD_Response *r = MHD_create_response_from_buffer(out.body_len, out.body,
	    MHD_RESPMEM_MUST_FREE);
	if (!r) {
		free(out.body);
		return MHD_NO;
	}
	MHD_add_response_header(r, "Content-Type", out.content_type);
	MHD_add_response_header(r, "Cache-Control", "no-store");
	MHD_add_response_header(r, "X-Content-Type-Options", "nosniff");
	MHD_add_response_header(r, "X-Frame-Options", "DENY");
	MHD_add_response_header(r, "Referrer-Policy", "no-referrer");
	MHD_add_response_header(r, "Content-Security-Policy",
	    "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'");
	if (out.authenticate)
		MHD_add_response_header(r, "WWW-Authenticate", out.authenticate);
	enum MHD_Result ret = queue(c, out.status, r);
	MHD_destroy_response(r);
	return ret;
}

/* First call for a request: route it, or answer at once. */
static enum MHD_Result
begin(struct http *h, struct MHD_Connection *c, const char *url, const char *method,
    void **con_cls)
{
	enum route route;
	if (strcmp(url, "/zalo/oa") == 0)
		route = ROUTE_OA;
	else if (strcmp(url, "/zalo/bot") == 0)
		route = ROUTE_BOT;
	else if (strcmp(url, "/healthz") == 0)
		route = ROUTE_HEALTH;
	else if (strcmp(url, "/metrics") == 0)
		route = ROUTE_METRICS;
	else if (admin_api_path(url) && strcmp(method, "POST") != 0)
		return admin_reply(h, c, url, method, NULL, 0);
	else if (admin_api_path(url))
		route = ROUTE_ADMIN;
	else
		return reply(c, MHD_HTTP_NOT_FOUND, "{\"error\":\"not found\"}");
	if (route == ROUTE_HEALTH || route == ROUTE_METRICS) {
		if (strcmp(method, "GET") != 0 && strcmp(method, "HEAD") != 0)
			return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"GET only\"}");
		if (route == ROUTE_METRICS) {
			int may = admin_api_metrics_allowed(h->admin, MHD_lookup_connection_value(c,
			    MHD_HEADER_KIND, "Authorization"));
			if (may < 0)
				return reply(c, MHD_HTTP_NOT_FOUND, "{\"error\":\"/metrics needs [http] "
				    "metrics_token_file or admin_token_file\"}");
			if (may == 0)
				return reply_bearer(c);
			return serve_metrics(h, c);
		}
		char json[HTTP_RESPONSE_MAX];
		struct health_snapshot s;
		h->health(h->health_arg, &s);
		int status = health_json(&s, json, sizeof json);
		return reply(c, (unsigned)status, json);
	}
	if (strcmp(method, "POST") != 0)
		return reply(c, MHD_HTTP_METHOD_NOT_ALLOWED, "{\"error\":\"POST only\"}");
	if (!is_json(c))
		return reply(c, MHD_HTTP_UNSUPPORTED_MEDIA_TYPE,
		    "{\"error\":\"Content-Type must be application/json\"}");
	const char *cl = MHD_lookup_connection_value(c, MHD_HEADER_KIND, "Content-Length");
	if (cl) {
		char *end;
		errno = 0;
		unsigned long long n = strtoull(cl, &end, 10);
		if (end == cl || *end || errno)
			return reply(c, MHD_HTTP_BAD_REQUEST, "{\"error\":\"bad Content-Length\"}");
		if (n > h->body_limit)
			return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, "{\"error\":\"body too large\"}");
	}
	struct request *rq = calloc(1, sizeof *rq);
	if (!rq)
		return MHD_NO;
	rq->route = route;
	buf_init(&rq->body, h->body_limit);
	*con_cls = rq;
	return MHD_YES;
}

static enum MHD_Result
on_request(void *cls, struct MHD_Connection *c, const char *url, const char *method,
    const char *version, const char *upload, size_t *upload_size, void **con_cls)
{
	(void)version;
	struct http *h = cls;
	struct request *rq = *con_cls;
	if (!rq)
		return begin(h, c, url, method, con_cls);
	if (*upload_size) {
		/* keep reading a body that is too large, but store no more of it */
		if (!rq->body.overflow && buf_append(&rq->body, upload, *upload_size) < 0 &&
		    !rq->body.overflow)
			return MHD_NO;                 /* out of memory */
		*upload_size = 0;
		return MHD_YES;
	}
	if (rq->body.overflow)
		return reply(c, MHD_HTTP_CONTENT_TOO_LARGE, "{\"error\":\"body too large\"}");
	char resp[HTTP_RESPONSE_MAX];
	int status;
	const char *body = rq->body.data ? rq->body.data : "";
	if (rq->route == ROUTE_ADMIN)
		return admin_reply(h, c, url, method, body, rq->body.len);
	if (rq->route == ROUTE_OA)
		status = zalo_in_oa(h->zalo, body, rq->body.len,
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-ZEvent-Signature"),
		    resp, sizeof resp);
	else
		status = zalo_in_bot(h->zalo, body, rq->body.len,
		    MHD_lookup_connection_value(c, MHD_HEADER_KIND, "X-Bot-Api-Secret-Token"),
		    resp, sizeof resp);
	return reply(c, (unsigned)status, resp);
}

static void
on_completed(void *cls, struct MHD_Connection *c, void **con_cls,
    enum MHD_RequestTerminationCode toe)
{
	(void)cls;
	(void)c;
	(void)toe;
	struct request *rq = *con_cls;
	if (rq) {
		buf_free(&rq->body);
		free(rq);
		*con_cls = NULL;
	}
}

/* "host:port" -> sockaddr_in; "/path" -> a listening unix socket. */
static int
listen_on(struct http *h, const char *spec, struct sockaddr_in *sa, char *err, size_t errlen)
{
	h->unix_fd = -1;
	if (spec[0] == '/') {
		struct sockaddr_un su = { .sun_family = AF_UNIX };
		if (strlen(spec) >= sizeof su.sun_path) {
			snprintf(err, errlen, "[http] listen: socket path too long");
			return -1;
		}
		snprintf(su.sun_path, sizeof su.sun_path, "%s", spec);
		snprintf(h->unix_path, sizeof h->unix_path, "%s", spec);
		unlink(spec);
		int fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
		if (fd < 0 || bind(fd, (struct sockaddr *)&su, sizeof su) < 0 || listen(fd, 1024) < 0) {
			snprintf(err, errlen, "[http] listen %s: %s", spec, strerror(errno));
			if (fd >= 0)
				close(fd);
			return -1;
		}
		chmod(spec, 0660);
		h->unix_fd = fd;
		return 0;
	}
	const char *colon = strrchr(spec, ':');
	char host[64];
	if (!colon || (size_t)(colon - spec) >= sizeof host) {
		snprintf(err, errlen, "[http] listen: \"%s\" is not host:port or a socket path", spec);
		return -1;
	}
	snprintf(host, sizeof host, "%.*s", (int)(colon - spec), spec);
	char *end;
	long port = strtol(colon + 1, &end, 10);
	memset(sa, 0, sizeof *sa);
	sa->sin_family = AF_INET;
	sa->sin_port = htons((uint16_t)port);
	if (*end || port < 1 || port > 65535 || inet_pton(AF_INET, host, &sa->sin_addr) != 1) {
		snprintf(err, errlen, "[http] listen: \"%s\" is not an IPv4 host:port", spec);
		return -1;
	}
	return 0;
}

/* Called by the thread that accepts connections: it is alive. */
static void
on_connection(void *cls, struct MHD_Connection *c, void **socket_context,
    enum MHD_ConnectionNotificationCode toe)
{
	(void)c;
	(void)socket_context;
	struct http *h = cls;
	if (toe == MHD_CONNECTION_NOTIFY_STARTED)
		heartbeat_beat(h->heartbeat);
}

/* libmicrohttpd's own messages. The one that matters is its own refusal
 * of a request it could not read (414, 431, 400 ...): no request callback
 * sees those, so they are counted here. The rest go to the debug log. */
#define MHD_ERROR_ANSWER "Error processing request (HTTP response code is %u"
static void on_mhd_message(void *cls, const char *fmt, va_list ap)
	__attribute__((format(printf, 2, 0)));
static void
on_mhd_message(void *cls, const char *fmt, va_list ap)
{
	(void)cls;
	if (strncmp(fmt, MHD_ERROR_ANSWER, sizeof MHD_ERROR_ANSWER - 1) == 0) {
		va_list aq;
		va_copy(aq, ap);
		unsigned int status = va_arg(aq, unsigned int);
		va_end(aq);
		metrics_http_status(status);
		log_debug(TAG, "libmicrohttpd answered %u itself (a request it could not read)",
		    status);
		return;
	}
	if (!log_enabled(LOG_DEBUG))
		return;
	char line[256];
	vsnprintf(line, sizeof line, fmt, ap);
	log_debug(TAG, "libmicrohttpd: %s", line);
}

struct http *
http_start(const struct config *cfg, struct zalo_in *zalo, http_health_fn health,
    http_metrics_fn metrics, void *health_arg, char *err, size_t errlen)
{
	struct http *h = calloc(1, sizeof *h);
	if (!h) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	h->zalo = zalo;
	h->health = health;
	h->metrics = metrics;
	h->health_arg = health_arg;
	h->body_limit = (size_t)cfg->http_body_limit;
	h->admin = admin_api_new(cfg, health, health_arg, err, errlen);
	if (!h->admin || listen_on(h, cfg->http_listen, &h->sa, err, errlen) < 0) {
		admin_api_free(h->admin);
		free(h);
		return NULL;
	}
	/* A thread per connection: a webhook waits for its commit, and many
	 * waiting together share one (see writer.h). Idle or trickling peers
	 * are cut after [http] timeout without a byte; at most [http]
	 * connection_limit at once, the rest are closed at accept. No per-IP
	 * limit: behind the TLS proxy every peer is 127.0.0.1 (limit per client
	 * in the proxy). */
	h->heartbeat = heartbeat_register("http", 3 * (int)cfg->http_timeout + 30);
	/* poll(), not select(): select cannot take a descriptor past 1023 */
	unsigned int flags = MHD_USE_INTERNAL_POLLING_THREAD | MHD_USE_THREAD_PER_CONNECTION |
	    MHD_USE_POLL | MHD_USE_ERROR_LOG;
#define HTTP_OPTIONS \
	    MHD_OPTION_NOTIFY_COMPLETED, on_completed, h, \
	    MHD_OPTION_NOTIFY_CONNECTION, on_connection, h, \
	    MHD_OPTION_CONNECTION_TIMEOUT, (unsigned int)cfg->http_timeout, \
	    MHD_OPTION_CONNECTION_LIMIT, (unsigned int)cfg->http_connection_limit, \
	    MHD_OPTION_CONNECTION_MEMORY_LIMIT, (size_t)HTTP_CONNECTION_MEMORY, \
	    MHD_OPTION_THREAD_STACK_SIZE, (size_t)HTTP_THREAD_STACK, \
	    MHD_OPTION_LISTEN_BACKLOG_SIZE, 1024u, \
	    MHD_OPTION_END
	if (h->unix_fd >= 0)
		h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_message, h,      /* first: all messages */
		    MHD_OPTION_LISTEN_SOCKET, h->unix_fd, HTTP_OPTIONS);
	else
		h->mhd = MHD_start_daemon(flags, 0, NULL, NULL, on_request, h,
		    MHD_OPTION_EXTERNAL_LOGGER, on_mhd_message, h,      /* first: all messages */
		    MHD_OPTION_SOCK_ADDR, (struct sockaddr *)&h->sa, HTTP_OPTIONS);
#undef HTTP_OPTIONS
	if (!h->mhd) {
		snprintf(err, errlen, "cannot listen on %s (in use?)", cfg->http_listen);
		heartbeat_unregister(h->heartbeat);
		if (h->unix_fd >= 0)
			close(h->unix_fd);
		admin_api_free(h->admin);
		free(h);
		return NULL;
	}
	log_notice(TAG, "listening on %s", cfg->http_listen);
	return h;
}

void
http_probe(struct http *h)
{
	if (!h)
		return;
	struct sockaddr_un su = { .sun_family = AF_UNIX };
	int unix_socket = h->unix_path[0] != '\0';
	int fd = socket(unix_socket ? AF_UNIX : AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return;
	if (unix_socket) {
		snprintf(su.sun_path, sizeof su.sun_path, "%s", h->unix_path);
		(void)connect(fd, (struct sockaddr *)&su, sizeof su);
	} else {
		(void)connect(fd, (struct sockaddr *)&h->sa, sizeof h->sa);
	}
	close(fd);      /* accepted or not, the listener's thread sees it */
}

void
http_stop(struct http *h)
{
	if (!h)
		return;
	MHD_stop_daemon(h->mhd);
	heartbeat_unregister(h->heartbeat);
	if (h->unix_fd >= 0) {
		close(h->unix_fd);
		unlink(h->unix_path);
	}
	admin_api_free(h->admin);
	free(h);
}
