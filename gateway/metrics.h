/* metrics — process counters for GET /metrics (Prometheus text format).
 *
 * Counters that only the running process knows (admission latency, HTTP
 * answers by status) live here as atomics: any thread may bump them, the
 * HTTP thread that serves /metrics renders them. Counts that the database
 * holds (tips, acks, queues) are read from it at scrape time by the caller,
 * so they survive restarts. Never an identity: labels are channels, levels,
 * modem names and status codes only.
 */
#ifndef TINBAO_METRICS_H
#define TINBAO_METRICS_H

#include <stddef.h>

/* A bounded text buffer owned by the caller; past cap, `full` is set and
 * the rest is dropped (the caller answers 500 rather than a cut page). */
struct metrics_out {
	char *buf;
	size_t len, cap;
	int full;
};

void metrics_printf(struct metrics_out *o, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

/* Seconds from a channel's call to writer_admit() until it returned. */
void metrics_admission(double seconds, int ok);
/* One HTTP answer with this status. */
void metrics_http_status(unsigned int status);
/* The process counters, with their HELP and TYPE lines. */
void metrics_render(struct metrics_out *o);

#endif
