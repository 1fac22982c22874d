/* timeutil — wall-clock times for people: "YYYY-MM-DD HH:MM" in the
 * configured timezone (set once per process with timeutil_set_zone() before
 * threads start), and short forms for messages. Any thread after that. */
#ifndef TINBAO_TIMEUTIL_H
#define TINBAO_TIMEUTIL_H

#include <stddef.h>
#include <stdint.h>

int timeutil_set_zone(const char *tz);            /* 0 / -1 (unknown zone) */
int64_t timeutil_now(void);                       /* unix seconds */
int64_t timeutil_now_ms(void);                    /* unix milliseconds */
/* A local time -> unix seconds: "YYYY-MM-DD HH:MM" (also with a T, or
 * "dd/mm/yyyy HH:MM", day first as written in Vietnam; one-digit days,
 * months and hours; ":00" seconds as spreadsheets add them). A date that
 * does not exist (2026-02-30) is refused. 0 / -1. */
int timeutil_parse_local(const char *s, int64_t *out);
/* A date, "YYYY-MM-DD" or "dd/mm/yyyy", -> "YYYY-MM-DD" in out. 0 / -1. */
int timeutil_parse_day(const char *s, char out[11]);
/* unix seconds -> "YYYY-MM-DD HH:MM" local. */
void timeutil_format_local(int64_t t, char *out, size_t outsz);
/* unix seconds -> ISO 8601 with offset, e.g. "2026-11-22T14:05:00+07:00". */
void timeutil_format_iso(int64_t t, char *out, size_t outsz);
/* "14:05" and "14:05 22/11" and "22/11/2026" forms for messages. */
void timeutil_format_hm(int64_t t, char *out, size_t outsz);
void timeutil_format_hm_dm(int64_t t, char *out, size_t outsz);
void timeutil_format_hm_dmy(int64_t t, char *out, size_t outsz);   /* 14:05 06/12/2026 */
void timeutil_format_dmy(int64_t t, char *out, size_t outsz);
/* The local calendar date of t, and the local midnight that starts a date
 * (for the legal clocks). */
void timeutil_local_date(int64_t t, int *y, int *m, int *d);
int64_t timeutil_local_midnight(int y, int m, int d);
/* The local hour of t, 0-23. */
int timeutil_local_hour(int64_t t);

#endif
