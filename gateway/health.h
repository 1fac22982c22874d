/* health — the rules of the gateway's health and what GET /healthz and
 * GET /metrics say, built from a snapshot of the daemon's parts.
 *
 * The caller (tinbaod's main module) fills a struct health_snapshot from the
 * parts it owns — the database check, each modem's and the Zalo sender's
 * published health, the outbox's waiting messages — and hands it here; this
 * module alone decides the status, so /healthz, the desk page, the modem
 * alarm and the monthly report say the same thing:
 *
 *   down      the database cannot take a write (HTTP 503);
 *   degraded  a modem down longer than its [modem NAME] down_alarm; the
 *             Zalo OA needing re-authorisation or its token expired; the
 *             Zalo bot's token refused; a message waiting to be sent for
 *             more than HEALTH_OUTBOX_STUCK_S;
 *   ok        none of these.
 *
 * Pure functions of the snapshot: any thread, nothing kept between calls.
 * Never an identity: modem names, channels and levels only.
 */
#ifndef TINBAO_HEALTH_H
#define TINBAO_HEALTH_H

#include <stddef.h>
#include <stdint.h>

#include "gateway/config.h"
#include "modem/modem.h"
#include "webhook/zalo_out.h"

#define HEALTH_OUTBOX_STUCK_S 300      /* a message waiting longer degrades the status */

struct db;
struct metrics_out;

struct health_snapshot {
	int64_t now;
	int db_writable;                   /* the database took a write just now */
	char db_error[256];                /* why not, when not */
	size_t n_modems;
	const char *modem_name[CONFIG_MAX_MODEMS];     /* borrowed from the config */
	int64_t modem_down_alarm[CONFIG_MAX_MODEMS];   /* [modem NAME] down_alarm, seconds */
	struct modem_health modem[CONFIG_MAX_MODEMS];
	struct zalo_health zalo;
	int outbox_known;                  /* the outbox could be read */
	int64_t outbox_waiting;            /* messages queued or being sent */
	int64_t outbox_oldest;             /* created_at of the oldest of them; 0 none */
	char outbox_oldest_channel[16];
};

enum health_level { HEALTH_OK, HEALTH_DEGRADED, HEALTH_DOWN };

enum health_problem {
	HEALTH_DATABASE,                   /* not writable */
	HEALTH_MODEM,                      /* down past its down_alarm */
	HEALTH_OA_REAUTH,                  /* the refresh token was refused */
	HEALTH_OA_EXPIRED,                 /* the access token expired, no new one */
	HEALTH_BOT_REFUSED,                /* the bot token was refused */
	HEALTH_OUTBOX,                     /* a message waiting too long */
};

struct health_issue {
	enum health_problem what;
	enum health_level level;
	const char *name;                  /* the modem or channel (borrowed), or NULL */
	int64_t since;                     /* when it began; 0 unknown */
	enum modem_fault fault;            /* HEALTH_MODEM: why */
	int64_t count;                     /* HEALTH_OUTBOX: messages waiting */
	const char *detail;                /* the error in words (borrowed), or "" */
};

#define HEALTH_ISSUES_MAX (CONFIG_MAX_MODEMS + 6)
struct health_status {
	enum health_level level;           /* the worst of the issues */
	int64_t at;                        /* the snapshot's time */
	size_t n;
	struct health_issue issue[HEALTH_ISSUES_MAX];
};

/* The status of snapshot s. The issues borrow strings from s: keep s. */
void health_status(const struct health_snapshot *s, struct health_status *out);
/* "ok", "degraded", "down". */
const char *health_level_name(enum health_level l);
/* One issue in words, English (vi = 0: /healthz, logs) or Vietnamese (vi =
 * 1: the desk page): "modem sim1 down for 3 min (device missing: ...)". */
void health_issue_text(const struct health_issue *i, int64_t now, int vi, char *out,
    size_t outsz);
/* The whole status in one line: "degraded: modem sim1 down ...; ..." or in
 * Vietnamese "Trạng thái: SUY GIẢM — ...". */
void health_line(const struct health_status *st, int vi, char *out, size_t outsz);
/* A modem fault in words: "device missing" / "không thấy thiết bị". */
const char *health_fault_text(enum modem_fault f, int vi);

/* The /healthz body (one JSON object) into json; returns the HTTP status:
 * 200 while ok or degraded, 503 when down. */
int health_json(const struct health_snapshot *s, char *json, size_t jsonsz);

/* The /metrics page: the process counters, the database's counts (db is a
 * read-only connection, or NULL when it could not be opened) and the
 * modems'. Every label value known at start has its series, at 0. */
void health_metrics(const struct health_snapshot *s, struct db *db, struct metrics_out *o);

#endif
