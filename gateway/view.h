/* view — the one shape of each thing people are shown: a tip, an officer, a
 * shift and a tip's legal clocks, as JSON (`tinbao ... --json` and the admin
 * API answer with the same objects, field for field) and as the short text
 * forms the command line prints. JSON times are ISO 8601 with the zone
 * offset ("2026-11-22T14:05:00+07:00"), or null, everywhere. Who sent a tip
 * is part of no shape: its sealed address and pseudonym are never read here.
 *
 * Threads: pure functions without state, any thread (once the process has
 * called timeutil_set_zone()).
 * Ownership: arguments are borrowed and not kept. A returned json_t is a new
 * reference that belongs to the caller (json_decref); view_json_str and
 * view_json_time never return NULL (JSON null instead), the others only when
 * memory runs out. Text forms go into the caller's buffer, cut to its size.
 */
#ifndef TINBAO_VIEW_H
#define TINBAO_VIEW_H

#include <jansson.h>
#include <stddef.h>
#include <stdint.h>

#define VIEW_ID_MAX 48          /* a tracking ID with any prefix, and its NUL */

struct attachment;
struct config;
struct escalation;
struct modem_health;
struct officer;
struct shift;
struct tip;
struct tip_message;
struct tipclock;
struct tipclock_one;

/* ---------------------------------------------------------------- JSON */

/* ISO 8601 time with offset, or null for 0. */
json_t *view_json_time(int64_t t);
/* A string (invalid UTF-8 replaced), or null for NULL. */
json_t *view_json_str(const char *s);

/* A tip with the stable field names of DESIGN.md (`tips --json`, GET
 * /api/tips): id, status, level, created_at, acked_at, acked_by, channel,
 * category, text, urgent, partial, closed_at, closed_by, next_deadline
 * (only while it waits for an acknowledgement), waiting. */
json_t *view_tip_json(const struct config *cfg, const struct tip *t);

/* What one tip's page holds besides the tip (`tip show --json`, GET
 * /api/tips/ID). */
struct view_tip_detail {
	const struct tip_message *messages;
	size_t n_messages;
	const struct escalation *escalations;
	size_t n_escalations;
	const struct attachment *attachments;
	size_t n_attachments;
	const struct tipclock *clock;   /* the legal clocks; NULL: no "legal" field */
};
/* view_tip_json and close_note, legal (when d->clock), messages (direction,
 * at, text, officer), escalations (from_level, to_level, at, reason) and
 * attachments (kind, state, content_type, size, error). */
json_t *view_tip_detail_json(const struct config *cfg, const struct tip *t,
    const struct view_tip_detail *d);

/* A tip's legal clocks (tipclock.h), as tipclock_of() computed them:
 * {"pass_on": CLOCK + "to", "by"; "notice": CLOCK; "settle": CLOCK}. */
json_t *view_legal_json(const struct tipclock *clk);
/* One clock: "due" (ISO 8601 time with offset; a clock by the day gives its
 * last day, "2026-12-09"), "state" (tipclock_state_name), "done_at" (time or
 * null). */
json_t *view_clock_json(const struct tipclock_one *c);

/* id, name, phone, zalo_oa, zalo_bot, channel, role, short_code. */
json_t *view_officer_json(const struct officer *o);

/* id, kind ("once", "always", "weekly", "off"), officer_phone,
 * officer_name, level (null for a day off), always, from and to (a once
 * shift's times, null otherwise), weekly ("MON,WED,FRI") and time
 * ("19:00-07:00") of a weekly shift (null otherwise), first_day and last_day
 * ("YYYY-MM-DD": a weekly shift's dates, null when open; a day off's). */
json_t *view_shift_json(const struct shift *s);

/* A modem's live state as tinbaod knows it (`tinbao modem status --json`,
 * through the admin socket): name, connected, connected_since, down_since,
 * next_connect (times, null when none), signal_percent (null when unknown),
 * signal_dbm, network, sim, model, last_error, last_poll, received, sent,
 * send_failures, reconnects. */
json_t *view_modem_json(const char *name, const struct modem_health *h);

/* ---------------------------------------------------------------- text */

/* "TB" + "7KM4Q9" -> "TB-7KM4Q9" (the configured prefix). */
void view_tip_id(const struct config *cfg, const char *code, char out[VIEW_ID_MAX]);
/* The text forms are translated (gettext: the reader's language; English
 * as written here). A tip's state in a listing: "NEW", "WAITING" (nobody on
 * duty), "acked", "closed". */
const char *view_tip_state(const struct tip *t);
/* A status in words: "new", "acknowledged", "closed" (JSON keeps the
 * codes of tip_status_name). */
const char *view_tip_status(const struct tip *t);
/* Who has a tip or when it is due: the officer who acknowledged (or closed)
 * it, "due 14:05", "OVERDUE 14:05" or "nobody on duty". */
void view_tip_owner(const struct tip *t, int64_t now, char *out, size_t outsz);
/* 1 "duty", 2 "backup", 3 "leader", 4 "chief"; "?" otherwise. */
const char *view_level_name(int level);
/* A clock's deadline on the terminal: "2026-12-06 14:05", or for a clock by
 * the day "2026-12-09 (end of day)". */
void view_clock_due(const struct tipclock_one *c, char *out, size_t outsz);
/* Where a clock stands on the terminal, as of clk->now: "in 5h02m",
 * "OVERDUE by 1d03h", "done 2026-12-06 10:00", "done LATE 2026-12-08 09:00",
 * "ended (closed)". */
void view_clock_state(const struct tipclock *clk, const struct tipclock_one *c, char *out,
    size_t outsz);
/* A span of seconds the terminal way: "1d03h", "5h02m" (sign dropped). */
void view_span(int64_t s, char *out, size_t outsz);
/* When a shift is on duty: "always", "2026-11-22 07:00 to 2026-11-22
 * 19:00" (local), "Mon, Wed, Fri 19:00-07:00 (overnight), 2026-11-01 to
 * 2026-11-30", "day off 2026-11-25". */
void view_shift_when(const struct shift *s, char *out, size_t outsz);

#endif
