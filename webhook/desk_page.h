/* desk_page — the duty-desk console (GET /): one self-contained HTML page
 * (UTF-8, Vietnamese, no script, no external asset) that reloads itself
 * every DESK_PAGE_REFRESH seconds. From the top:
 *  - today's share of tips acknowledged in time (gateway/report.h) and a
 *    link to this month's report (/report?month=YYYY-MM);
 *  - a status strip: first the gateway's status line, ok, degraded or down
 *    as gateway/health.c decides it from the one health snapshot that
 *    /healthz answers too; then the parts it judged: the database, each
 *    modem (connected, signal, last message in and out), each Zalo channel
 *    (token valid until, last error), the outbox's waiting messages; then
 *    who is on duty at each level and the nobody-on-duty alarm (the roster:
 *    marked red on its own);
 *  - the open tips: tracking ID, urgency, category, age, level, who is being
 *    paged now, the countdown to the next escalation, the legal clocks as
 *    tipclock_of() left them (a cell each), and the officer a call is
 *    ringing now (calls.h);
 *  - the tips acknowledged today (still open) and those closed today.
 *
 * Every text that came from outside (tip text, officer names, the ward) is
 * cleaned and HTML-escaped (gateway/html.h), so a tip cannot inject markup.
 * Pure rendering: no database, any thread. Arguments are borrowed; the
 * returned page is malloc'd and the caller's (free()).
 */
#ifndef TINBAO_DESK_PAGE_H
#define TINBAO_DESK_PAGE_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/tipclock.h"

#define DESK_PAGE_REFRESH 30            /* seconds */
#define DESK_PAGE_MAX (4u << 20)        /* bytes; past it the page is refused */
#define DESK_PAGE_TEXT_CHARS 300        /* characters of a tip's text shown */
#define DESK_NAMES_MAX 8                /* names listed for one level or one tip */
#define DESK_LEVELS 4

struct config;
struct health_snapshot;
struct health_status;
struct report;
struct tip;

struct desk_row {
	const struct tip *t;
	struct tipclock clk;              /* tipclock_of(t): the page prints it as it is */
	const char *paged[DESK_NAMES_MAX];  /* being paged now (new tips): names */
	size_t n_paged;
	char calling[64];                 /* the officer a call is ringing now, or "" */
};

/* Who is on duty now at each level, [0] for level 1. */
struct desk_duty {
	const char *names[DESK_LEVELS][DESK_NAMES_MAX];
	size_t n[DESK_LEVELS];
};

struct desk_view {
	int64_t now;
	const struct report *today;       /* report_share of today: in_time, decided, pending */
	char month[8];                    /* "2026-12": the report linked */
	/* The one health snapshot (its outbox too) and gateway/health.c's
	 * judgement of it: both NULL when not known. */
	const struct health_snapshot *health;
	const struct health_status *status;
	int64_t last_in[8], last_out[8];  /* per modem of health, 0: none */
	int64_t zalo_last_out[2];         /* Zalo OA, Zalo Bot: last sent, 0: none */
	const struct desk_duty *duty;
	size_t waiting;                   /* open tips waiting for anybody on duty */
	const struct desk_row *open;      /* oldest first */
	size_t n_open, more;              /* `more` open tips left out (the page says so) */
	const struct tip *acked;          /* acknowledged today, still open */
	size_t n_acked;
	const struct tip *closed;         /* closed today */
	size_t n_closed;
};

/* The page; NULL when memory runs out or past DESK_PAGE_MAX. */
char *desk_page_render(const struct config *cfg, const struct desk_view *v);

/* s cleaned and HTML-escaped as the page shows outside text (for the unit
 * test and the fuzz target): malloc'd, NULL when memory runs out. */
char *desk_page_escape(const char *s);

#endif
