/* http — the HTTP side over libmicrohttpd (the only module that includes
 * <microhttpd.h>): POST /zalo/oa, POST /zalo/bot, GET /healthz and GET /metrics.
 *
 * One thread per connection, at most [http] connection_limit of them, each
 * with a timeout; bodies are capped at [http] body_limit (413 past it,
 * chunked bodies included); webhooks take POST only (405) and JSON only
 * (415). A webhook handler returns only after its admission was committed,
 * so a 200 means the event is durable. Started and stopped by the main
 * thread; the handlers and the health callback are called on connection
 * threads.
 */
#ifndef TINBAO_HTTP_H
#define TINBAO_HTTP_H

#include <stddef.h>

struct config;
struct zalo_in;
struct http;
struct health_snapshot;

/* Fills the daemon's one health snapshot as of now (gateway/health.h):
 * /healthz answers it, the desk page shows it, both as gateway/health.c
 * judges it (ok, degraded, down). */
typedef void (*http_health_fn)(void *arg, struct health_snapshot *s);
/* Fills the Prometheus text of GET /metrics; 0, or -1 to answer 500. */
struct metrics_out;
typedef int (*http_metrics_fn)(void *arg, struct metrics_out *out);

/* health and metrics are called with health_arg on connection threads. */
struct http *http_start(const struct config *cfg, struct zalo_in *zalo, http_health_fn health,
    http_metrics_fn metrics, void *health_arg, char *err, size_t errlen);
/* Main thread: touch the listener so that its thread reports in to the
 * heartbeat table even when nobody calls (a connect and a close). */
void http_probe(struct http *h);
void http_stop(struct http *h);

#endif
