/* health — see health.h. */
#include "gateway/health.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>

#include "db/db.h"
#include "gateway/metrics.h"

int
health_json(const struct health_snapshot *s, char *json, size_t jsonsz)
{
	json_t *root = json_object(), *modems = json_array();
	json_object_set_new(root, "status", json_string(s->db_writable ? "ok" : "error"));
	json_object_set_new(root, "database", json_pack("{s:b, s:s}", "writable", s->db_writable,
	    "error", s->db_writable ? "" : s->db_error));
	for (size_t i = 0; i < s->n_modems; i++) {
		const struct modem_health *h = &s->modem[i];
		json_array_append_new(modems, json_pack("{s:s, s:b, s:I, s:I, s:i, s:s, s:s, s:I, s:I, "
		    "s:I, s:I, s:s}", "name", s->modem_name[i], "connected", h->connected,
		    "down_since", (json_int_t)h->down_since, "next_connect", (json_int_t)h->next_connect,
		    "signal_percent", h->signal_percent, "network", h->network,
		    "last_error", h->last_error, "received", (json_int_t)h->received,
		    "sent", (json_int_t)h->sent, "send_failures", (json_int_t)h->send_failures,
		    "reconnects", (json_int_t)h->reconnects, "sim", h->sim));
	}
	json_object_set_new(root, "modems", modems);
	const struct zalo_health *zh = &s->zalo;
	json_t *zalo = json_object();
	if (zh->bot)
		json_object_set_new(zalo, "bot", json_pack("{s:s, s:I}", "state",
		    zh->bot_paused_until ? "paused (token refused)" : "ok",
		    "paused_until", (json_int_t)zh->bot_paused_until));
	if (zh->oa)
		json_object_set_new(zalo, "oa", json_pack("{s:s, s:I}", "state",
		    zh->oa_reauth ? "re-authorisation needed" : zh->oa_token_expires ? "ok" :
		    "no access token yet", "token_valid_until", (json_int_t)zh->oa_token_expires));
	json_object_set_new(zalo, "last_error", json_string(zh->last_error));
	json_object_set_new(root, "zalo", zalo);
	char *out = json_dumps(root, JSON_COMPACT);
	snprintf(json, jsonsz, "%s", out ? out : "{}");
	free(out);
	json_decref(root);
	return s->db_writable ? 200 : 503;
}

/* The database's counts for /metrics: name, help, type, label name, query. */
static const struct {
	const char *name, *help, *type, *label;
	enum db_metric which;
} db_metrics[] = {
	{ "tinbao_tips_total", "Tips received, by channel.", "counter", "channel", DB_METRIC_TIPS },
	{ "tinbao_acks_total", "Tips acknowledged by an officer.", "counter", NULL, DB_METRIC_ACKS },
	{ "tinbao_escalations_total", "Escalations, by the level reached.", "counter", "level",
	    DB_METRIC_ESCALATIONS },
	{ "tinbao_outbox_queued", "Messages waiting to be sent, by channel.", "gauge", "channel",
	    DB_METRIC_OUTBOX_QUEUED },
	{ "tinbao_outbox_failed_total", "Messages given up after every attempt, by channel.",
	    "counter", "channel", DB_METRIC_OUTBOX_FAILED },
	{ "tinbao_channel_errors_total", "Send attempts that failed, by channel.", "counter",
	    "channel", DB_METRIC_SEND_ERRORS },
	{ "tinbao_inbound_unprocessed", "Admitted messages not yet routed.", "gauge", NULL,
	    DB_METRIC_INBOUND_TODO },
	{ "tinbao_tips_open", "Tips not closed (new or acknowledged).", "gauge", NULL,
	    DB_METRIC_OPEN },
};

/* One counter or gauge per modem, with its HELP and TYPE lines. */
static void
modem_series(const struct health_snapshot *s, struct metrics_out *o, const char *name,
    const char *help, const char *type, unsigned long long (*value)(const struct modem_health *))
{
	metrics_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	for (size_t i = 0; i < s->n_modems; i++)
		metrics_printf(o, "%s{modem=\"%s\"} %llu\n", name, s->modem_name[i],
		    value(&s->modem[i]));
}

static unsigned long long
modem_up(const struct modem_health *h)
{
	return h->connected ? 1 : 0;
}

static unsigned long long
modem_send_failures(const struct modem_health *h)
{
	return (unsigned long long)h->send_failures;
}

static unsigned long long
modem_reconnects(const struct modem_health *h)
{
	return (unsigned long long)h->reconnects;
}

void
health_metrics(const struct health_snapshot *s, struct db *db, struct metrics_out *o)
{
	metrics_render(o);
	metrics_printf(o, "# HELP tinbao_database_up 1 when the database could be read.\n"
	    "# TYPE tinbao_database_up gauge\ntinbao_database_up %d\n", db != NULL);
	for (size_t i = 0; db && i < sizeof db_metrics / sizeof db_metrics[0]; i++) {
		struct db_count c[16];
		size_t n = 0;
		if (db_metric(db, db_metrics[i].which, c, 16, &n) < 0)
			continue;
		metrics_printf(o, "# HELP %s %s\n# TYPE %s %s\n", db_metrics[i].name,
		    db_metrics[i].help, db_metrics[i].name, db_metrics[i].type);
		for (size_t k = 0; k < n; k++) {
			if (db_metrics[i].label)
				metrics_printf(o, "%s{%s=\"%s\"} %lld\n", db_metrics[i].name,
				    db_metrics[i].label, c[k].label, (long long)c[k].n);
			else
				metrics_printf(o, "%s %lld\n", db_metrics[i].name, (long long)c[k].n);
		}
	}
	modem_series(s, o, "tinbao_modem_up", "1 while the modem is connected.", "gauge",
	    modem_up);
	modem_series(s, o, "tinbao_modem_send_failures_total", "SMS sends that failed.",
	    "counter", modem_send_failures);
	modem_series(s, o, "tinbao_modem_reconnects_total", "Connections to the modem made again.",
	    "counter", modem_reconnects);
}
