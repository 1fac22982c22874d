/* health — what GET /healthz and GET /metrics say: the JSON health report
 * and the Prometheus text, built from a snapshot of the daemon's parts.
 *
 * The caller (tinbaod's main module, from the HTTP thread that serves the
 * request) fills a struct health_snapshot from the parts it owns — the
 * database check, each modem's and the Zalo sender's published health —
 * and hands it here; this module only decides what the answer says, so the
 * status rules live in one place. Nothing is kept between calls. Never an
 * identity: modem names, channels and levels only.
 */
#ifndef TINBAO_HEALTH_H
#define TINBAO_HEALTH_H

#include <stddef.h>

#include "gateway/config.h"
#include "modem/modem.h"
#include "webhook/zalo_out.h"

struct db;
struct metrics_out;

struct health_snapshot {
	int db_writable;                   /* the database took a write just now */
	char db_error[256];                /* why not, when not */
	size_t n_modems;
	const char *modem_name[CONFIG_MAX_MODEMS];     /* borrowed from the config */
	struct modem_health modem[CONFIG_MAX_MODEMS];
	struct zalo_health zalo;
};

/* The /healthz body (one JSON object) into json; returns the HTTP status:
 * 200 while the database is writable, 503 when it is not. */
int health_json(const struct health_snapshot *s, char *json, size_t jsonsz);

/* The /metrics page: the process counters, the database's counts (db is a
 * read-only connection, or NULL when it could not be opened) and the
 * modems'. */
void health_metrics(const struct health_snapshot *s, struct db *db, struct metrics_out *o);

#endif
