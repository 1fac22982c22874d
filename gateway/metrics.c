/* metrics — see metrics.h. */
#include "gateway/metrics.h"

#include <stdarg.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdio.h>

/* Admission latency buckets, seconds (upper bounds; +Inf is the count). */
static const double bucket_le[] = { 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10 };
#define N_BUCKETS (sizeof bucket_le / sizeof bucket_le[0])

/* Statuses the HTTP side answers; anything else counts as "other". */
static const unsigned int statuses[] = { 200, 400, 401, 403, 404, 405, 413, 414, 415, 422,
	431, 500, 503 };
#define N_STATUSES (sizeof statuses / sizeof statuses[0])

static _Atomic uint64_t adm_bucket[N_BUCKETS];
static _Atomic uint64_t adm_count, adm_failed;
static _Atomic uint64_t adm_sum_us;
static _Atomic uint64_t http_by_status[N_STATUSES + 1];

void
metrics_printf(struct metrics_out *o, const char *fmt, ...)
{
	if (o->full)
		return;
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(o->buf + o->len, o->cap - o->len, fmt, ap);
	va_end(ap);
	if (n < 0 || (size_t)n >= o->cap - o->len) {
		o->full = 1;
		o->buf[o->len] = '\0';
		return;
	}
	o->len += (size_t)n;
}

void
metrics_admission(double seconds, int ok)
{
	if (!ok) {
		atomic_fetch_add(&adm_failed, 1);
		return;
	}
	for (size_t i = 0; i < N_BUCKETS; i++)
		if (seconds <= bucket_le[i])
			atomic_fetch_add(&adm_bucket[i], 1);
	atomic_fetch_add(&adm_count, 1);
	atomic_fetch_add(&adm_sum_us, (uint64_t)(seconds * 1e6));
}

void
metrics_http_status(unsigned int status)
{
	size_t i = 0;
	while (i < N_STATUSES && statuses[i] != status)
		i++;
	atomic_fetch_add(&http_by_status[i], 1);
}

void
metrics_render(struct metrics_out *o)
{
	metrics_printf(o, "# HELP tinbao_admission_seconds Time from receipt to a durable "
	    "admission (the commit before 200 or the SMS delete).\n"
	    "# TYPE tinbao_admission_seconds histogram\n");
	for (size_t i = 0; i < N_BUCKETS; i++)
		metrics_printf(o, "tinbao_admission_seconds_bucket{le=\"%g\"} %llu\n", bucket_le[i],
		    (unsigned long long)atomic_load(&adm_bucket[i]));
	uint64_t count = atomic_load(&adm_count);
	metrics_printf(o, "tinbao_admission_seconds_bucket{le=\"+Inf\"} %llu\n"
	    "tinbao_admission_seconds_sum %.6f\ntinbao_admission_seconds_count %llu\n",
	    (unsigned long long)count, (double)atomic_load(&adm_sum_us) / 1e6,
	    (unsigned long long)count);
	metrics_printf(o, "# HELP tinbao_admissions_failed_total Admissions the database refused "
	    "(the source was not acknowledged and will retry).\n"
	    "# TYPE tinbao_admissions_failed_total counter\n"
	    "tinbao_admissions_failed_total %llu\n", (unsigned long long)atomic_load(&adm_failed));
	metrics_printf(o, "# HELP tinbao_http_requests_total HTTP answers by status.\n"
	    "# TYPE tinbao_http_requests_total counter\n");
	for (size_t i = 0; i < N_STATUSES; i++)
		metrics_printf(o, "tinbao_http_requests_total{status=\"%u\"} %llu\n", statuses[i],
		    (unsigned long long)atomic_load(&http_by_status[i]));
	metrics_printf(o, "tinbao_http_requests_total{status=\"other\"} %llu\n",
	    (unsigned long long)atomic_load(&http_by_status[N_STATUSES]));
}
