/* log — see log.h. */
#include "gateway/log.h"

#include <errno.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

static int log_threshold = LOG_INFO;
static int log_journal;
static const char *log_prog = "tinbao";
static pthread_mutex_t log_lock = PTHREAD_MUTEX_INITIALIZER;

void
log_init(const char *prog, int level)
{
	log_prog = prog;
	log_threshold = level;
	log_journal = getenv("JOURNAL_STREAM") != NULL;
}

int
log_limit_pass(struct log_limit *l, int interval_s, unsigned long *held)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	long long now = (long long)ts.tv_sec, next = atomic_load(&l->next);
	if (now < next || !atomic_compare_exchange_strong(&l->next, &next, now + interval_s)) {
		atomic_fetch_add(&l->held, 1);
		return 0;
	}
	*held = atomic_exchange(&l->held, 0);
	return 1;
}

void
log_set_level(int level)
{
	log_threshold = level;
}

int
log_enabled(int level)
{
	return level <= log_threshold;
}

int
log_level_parse(const char *name)
{
	static const struct { const char *name; int level; } names[] = {
		{ "error", LOG_ERR }, { "warning", LOG_WARNING }, { "warn", LOG_WARNING },
		{ "notice", LOG_NOTICE }, { "info", LOG_INFO }, { "debug", LOG_DEBUG },
	};
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (strcasecmp(name, names[i].name) == 0)
			return names[i].level;
	return -1;
}

static const char *
level_word(int level)
{
	switch (level) {
	case LOG_ERR: return "error";
	case LOG_WARNING: return "warning";
	case LOG_NOTICE: return "notice";
	case LOG_INFO: return "info";
	default: return "debug";
	}
}

static void log_emit(int level, const char *tag, const char *fmt, va_list ap,
    const char *suffix) __attribute__((format(printf, 3, 0)));

static void
log_emit(int level, const char *tag, const char *fmt, va_list ap, const char *suffix)
{
	char body[2048];
	vsnprintf(body, sizeof body, fmt, ap);
	/* One line per call: newlines inside a message would forge log lines. */
	for (char *p = body; *p; p++)
		if (*p == '\n' || *p == '\r')
			*p = ' ';
	pthread_mutex_lock(&log_lock);
	if (log_journal) {
		fprintf(stderr, "<%d>%s: %s%s%s\n", level, tag, body,
		    suffix ? ": " : "", suffix ? suffix : "");
	} else {
		struct timespec ts;
		struct tm tm;
		char when[32];
		clock_gettime(CLOCK_REALTIME, &ts);
		localtime_r(&ts.tv_sec, &tm);
		strftime(when, sizeof when, "%Y-%m-%d %H:%M:%S", &tm);
		fprintf(stderr, "%s.%03ld %s %s %s: %s%s%s\n", when, ts.tv_nsec / 1000000,
		    log_prog, level_word(level), tag, body,
		    suffix ? ": " : "", suffix ? suffix : "");
	}
	fflush(stderr);
	pthread_mutex_unlock(&log_lock);
}

void
log_msg(int level, const char *tag, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	int saved = errno;
	va_list ap;
	va_start(ap, fmt);
	log_emit(level, tag, fmt, ap, NULL);
	va_end(ap);
	errno = saved;
}

void
log_errno(int level, const char *tag, const char *fmt, ...)
{
	if (!log_enabled(level))
		return;
	int saved = errno;
	char buf[256];
	const char *why = strerror_r(saved, buf, sizeof buf);
	va_list ap;
	va_start(ap, fmt);
	log_emit(level, tag, fmt, ap, why);
	va_end(ap);
	errno = saved;
}

static long long
mono_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (long long)ts.tv_sec;
}

void
log_repeat(struct log_repeat *r, int level, const char *tag, const char *fmt, ...)
{
	int saved = errno;
	long long now = mono_s();
	r->total++;
	if (r->fmt == fmt && now < r->next) {
		r->held++;
		errno = saved;
		return;
	}
	char more[96] = "";
	if (r->fmt == fmt && r->held)
		snprintf(more, sizeof more, "%lu more time%s in the last %d s", r->held,
		    r->held == 1 ? "" : "s", LOG_REPEAT_INTERVAL);
	r->fmt = fmt;
	r->next = now + LOG_REPEAT_INTERVAL;
	r->held = 0;
	if (log_enabled(level)) {
		va_list ap;
		va_start(ap, fmt);
		log_emit(level, tag, fmt, ap, more[0] ? more : NULL);
		va_end(ap);
	}
	errno = saved;
}

void
log_repeat_end(struct log_repeat *r, const char *tag, const char *fmt, ...)
{
	if (!r->fmt)
		return;
	int saved = errno;
	char all[64];
	snprintf(all, sizeof all, "%lu failure%s in all", r->total, r->total == 1 ? "" : "s");
	if (log_enabled(LOG_NOTICE)) {
		va_list ap;
		va_start(ap, fmt);
		log_emit(LOG_NOTICE, tag, fmt, ap, all);
		va_end(ap);
	}
	memset(r, 0, sizeof *r);
	errno = saved;
}
