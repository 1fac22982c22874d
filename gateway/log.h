/* log — the one logging module.
 *
 * Any thread may call it. Lines go to stderr: with a journald priority prefix
 * ("<3>") when stderr is the journal (JOURNAL_STREAM set), plainly with a
 * timestamp otherwise. Every line carries the caller's module tag. The level is
 * checked before formatting; errno is preserved across every call.
 *
 * Never pass a citizen's phone number or Zalo id: log the pseudonym instead.
 */
#ifndef TINBAO_LOG_H
#define TINBAO_LOG_H

#include <syslog.h>   /* LOG_ERR, LOG_WARNING, LOG_NOTICE, LOG_INFO, LOG_DEBUG */

void log_init(const char *prog, int level);
void log_set_level(int level);
int log_level_parse(const char *name);   /* "error".."debug" -> LOG_*, -1 if unknown */
int log_enabled(int level);

void log_msg(int level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Like log_msg, with ": strerror(errno)" appended. */
void log_errno(int level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* A limit for lines that outsiders can cause (refused webhooks): one line
 * per interval per limiter; the next line that passes reports how many were
 * held back. Zero-initialised; any thread may pass through it. */
struct log_limit {
	_Atomic long long next;          /* CLOCK_MONOTONIC seconds */
	_Atomic unsigned long held;
};
/* 1 when a line may be written; then *held is the number held back since
 * the last line that passed. */
int log_limit_pass(struct log_limit *l, int interval_s, unsigned long *held);

/* A condition a thread meets again and again while it lasts (a storage error
 * retried every tick): the first time it is logged; from the same call site
 * (the same fmt) again only every interval_s, with how many times it came in
 * between; log_repeat_end() says once that it cleared and how often it came
 * in all. Zero-initialised, owned by one thread. */
struct log_repeat {
	const char *fmt;                 /* the site logged last; NULL when clear */
	long long next;                  /* CLOCK_MONOTONIC seconds */
	unsigned long held, total;
};
#define LOG_REPEAT_INTERVAL 60
void log_repeat(struct log_repeat *r, int level, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));
/* The condition cleared: if it was logged, one notice line (fmt, then "N
 * failures in all"). */
void log_repeat_end(struct log_repeat *r, const char *tag, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#define log_error(tag, ...)  log_msg(LOG_ERR, tag, __VA_ARGS__)
#define log_warn(tag, ...)   log_msg(LOG_WARNING, tag, __VA_ARGS__)
#define log_notice(tag, ...) log_msg(LOG_NOTICE, tag, __VA_ARGS__)
#define log_info(tag, ...)   log_msg(LOG_INFO, tag, __VA_ARGS__)
#define log_debug(tag, ...)  log_msg(LOG_DEBUG, tag, __VA_ARGS__)

#endif
