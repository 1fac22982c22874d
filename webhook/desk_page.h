/* desk_page — the duty-desk page (GET /): the open tips with their ack
 * countdown, escalation level and legal deadlines, as one self-contained
 * HTML document (UTF-8, Vietnamese labels, no script, no external asset)
 * that reloads itself every DESK_PAGE_REFRESH seconds.
 *
 * Every text that came from outside (tip text, officer names, the ward) is
 * cleaned (text_clean) and HTML-escaped, so a tip cannot inject markup.
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

struct config;
struct tip;

struct desk_row {
	const struct tip *t;
	struct tipclock clk;              /* tipclock_of(t): the page prints it as it is */
};

/* The page for rows (open tips, oldest first) under the gateway's status
 * line (st, as gateway/health.c decided it; NULL: none); `more` open tips
 * were left out (the page says so). NULL when memory runs out or past
 * DESK_PAGE_MAX. */
struct health_status;
char *desk_page_render(const struct config *cfg, const struct health_status *st,
    const struct desk_row *rows, size_t n, size_t more, int64_t now);

/* s cleaned and HTML-escaped as the page shows outside text (for the unit
 * test): malloc'd, NULL when memory runs out. */
char *desk_page_escape(const char *s);

#endif
