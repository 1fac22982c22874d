/* health — see health.h. */
#include "gateway/health.h"

#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/calls.h"
#include "gateway/metrics.h"
#include "gateway/version.h"


/* ------------------------------------------------------------- the rules */

static void
add(struct health_status *st, enum health_problem what, enum health_level level,
    const char *name, int64_t since, const char *detail)
{
	if (st->n >= HEALTH_ISSUES_MAX)
		return;
	struct health_issue *i = &st->issue[st->n++];
	memset(i, 0, sizeof *i);
	i->what = what;
	i->level = level;
	i->name = name;
	i->since = since;
	i->detail = detail ? detail : "";
	if (level > st->level)
		st->level = level;
}

void
health_status(const struct health_snapshot *s, struct health_status *out)
{
	memset(out, 0, sizeof *out);
	out->at = s->now;
	if (!s->db_writable)
		add(out, HEALTH_DATABASE, HEALTH_DOWN, NULL, 0, s->db_error);
	for (size_t i = 0; i < s->n_modems; i++) {
		const struct modem_health *h = &s->modem[i];
		if (h->connected || !h->down_since || s->now - h->down_since < s->modem_down_alarm[i])
			continue;
		add(out, HEALTH_MODEM, HEALTH_DEGRADED, s->modem_name[i], h->down_since, h->last_error);
		out->issue[out->n - 1].fault = h->fault;
	}
	const struct zalo_health *z = &s->zalo;
	if (z->oa && z->oa_reauth)
		add(out, HEALTH_OA_REAUTH, HEALTH_DEGRADED, "zalo_oa", 0, z->last_error);
	else if (z->oa && z->oa_token_expires && z->oa_token_expires <= s->now)
		add(out, HEALTH_OA_EXPIRED, HEALTH_DEGRADED, "zalo_oa", z->oa_token_expires,
		    z->last_error);
	if (z->bot && z->bot_paused_until > s->now)
		add(out, HEALTH_BOT_REFUSED, HEALTH_DEGRADED, "zalo_bot", 0, z->last_error);
	if (s->outbox_known && s->outbox_waiting && s->outbox_oldest &&
	    s->now - s->outbox_oldest > HEALTH_OUTBOX_STUCK_S) {
		add(out, HEALTH_OUTBOX, HEALTH_DEGRADED, s->outbox_oldest_channel, s->outbox_oldest,
		    "");
		out->issue[out->n - 1].count = s->outbox_waiting;
	}
}

const char *
health_level_name(enum health_level l)
{
	return l == HEALTH_DOWN ? "down" : l == HEALTH_DEGRADED ? "degraded" : "ok";
}

const char *
health_fault_text(enum modem_fault f, int vi)
{
	switch (f) {
	case MODEM_FAULT_NONE: return vi ? "không lỗi" : "no fault";
	case MODEM_FAULT_DEVICE_MISSING: return vi ? "không thấy thiết bị" : "device missing";
	case MODEM_FAULT_PERMISSION: return vi ? "không có quyền mở thiết bị" : "permission denied";
	case MODEM_FAULT_BUSY: return vi ? "thiết bị đang bị chương trình khác giữ" : "device busy";
	case MODEM_FAULT_NO_ANSWER: return vi ? "modem không trả lời" : "no answer";
	case MODEM_FAULT_SIM: return vi ? "SIM chưa sẵn sàng" : "SIM not ready";
	case MODEM_FAULT_OTHER: break;
	}
	return vi ? "lỗi" : "error";
}

/* "3 min", "2 h 05 min", "1 d 4 h" (vi: phút, giờ, ngày). */
static void
duration(int64_t s, int vi, char *out, size_t outsz)
{
	if (s < 0)
		s = 0;
	if (s < 3600)
		snprintf(out, outsz, "%lld %s", (long long)(s / 60), vi ? "phút" : "min");
	else if (s < 86400)
		snprintf(out, outsz, "%lld %s %02lld %s", (long long)(s / 3600), vi ? "giờ" : "h",
		    (long long)(s % 3600 / 60), vi ? "phút" : "min");
	else
		snprintf(out, outsz, "%lld %s %lld %s", (long long)(s / 86400), vi ? "ngày" : "d",
		    (long long)(s % 86400 / 3600), vi ? "giờ" : "h");
}

void
health_issue_text(const struct health_issue *i, int64_t now, int vi, char *out, size_t outsz)
{
	char d[48];
	duration(now - i->since, vi, d, sizeof d);
	switch (i->what) {
	case HEALTH_DATABASE:
		snprintf(out, outsz, vi ? "cơ sở dữ liệu không ghi được (%s): tin báo mới không "
		    "được nhận" : "database not writable (%s)", i->detail);
		return;
	case HEALTH_MODEM:
		if (vi)
			snprintf(out, outsz, "modem %s mất kết nối %s (%s): không nhận, không gửi được "
			    "SMS", i->name, d, health_fault_text(i->fault, 1));
		else
			snprintf(out, outsz, "modem %s down for %s (%s)", i->name, d, i->detail);
		return;
	case HEALTH_OA_REAUTH:
		snprintf(out, outsz, vi ? "Zalo OA cần cấp quyền lại (tinbao zalo-oa token "
		    "--refresh): trả lời qua OA đang chờ" : "Zalo OA needs re-authorisation (tinbao "
		    "zalo-oa token --refresh TOKEN)");
		return;
	case HEALTH_OA_EXPIRED:
		snprintf(out, outsz, vi ? "Zalo OA: mã truy cập hết hạn %s trước, chưa lấy được mã "
		    "mới" : "Zalo OA access token expired %s ago, no new one yet", d);
		return;
	case HEALTH_BOT_REFUSED:
		snprintf(out, outsz, vi ? "Zalo bot: mã bot bị từ chối, tạm dừng gửi" :
		    "Zalo bot token refused: sends paused");
		return;
	case HEALTH_OUTBOX:
		snprintf(out, outsz, vi ? "%lld tin nhắn chờ gửi, tin lâu nhất đã chờ %s (%s)" :
		    "%lld messages waiting to be sent, the oldest for %s (%s)", (long long)i->count,
		    d, i->name && *i->name ? i->name : "?");
		return;
	}
	snprintf(out, outsz, "?");
}

void
health_line(const struct health_status *st, int vi, char *out, size_t outsz)
{
	static const char *const vi_level[] = { "BÌNH THƯỜNG", "SUY GIẢM", "NGỪNG HOẠT ĐỘNG" };
	size_t len = (size_t)snprintf(out, outsz, vi ? "Trạng thái: %s" : "%s",
	    vi ? vi_level[st->level] : health_level_name(st->level));
	for (size_t k = 0; k < st->n && len < outsz; k++) {
		char one[320];
		health_issue_text(&st->issue[k], st->at, vi, one, sizeof one);
		len += (size_t)snprintf(out + len, outsz - len, "%s%s", k ? "; " : vi ? " — " : ": ",
		    one);
	}
}

/* -------------------------------------------------------------- /healthz */

int
health_json(const struct health_snapshot *s, char *json, size_t jsonsz)
{
	struct health_status st;
	health_status(s, &st);
	json_t *root = json_object(), *modems = json_array(), *problems = json_array();
	json_object_set_new(root, "status", json_string(health_level_name(st.level)));
	for (size_t k = 0; k < st.n; k++) {
		char one[320];
		health_issue_text(&st.issue[k], s->now, 0, one, sizeof one);
		json_array_append_new(problems, json_string(one));
	}
	json_object_set_new(root, "problems", problems);
	json_object_set_new(root, "database", json_pack("{s:b, s:s}", "writable", s->db_writable,
	    "error", s->db_writable ? "" : s->db_error));
	for (size_t i = 0; i < s->n_modems; i++) {
		const struct modem_health *h = &s->modem[i];
		/* nothing read while connected is shown for a modem that is down */
		json_t *sig = h->connected && h->signal_percent >= 0 ?
		    json_integer(h->signal_percent) : json_null();
		json_t *net = h->connected && h->network[0] ? json_string(h->network) : json_null();
		json_t *m = json_pack("{s:s, s:b, s:I, s:I, s:I, s:o, s:o, s:s, "
		    "s:s, s:I, s:I, s:I, s:I, s:s}", "name", s->modem_name[i], "connected", h->connected,
		    "down_since", (json_int_t)h->down_since,
		    "down_for", (json_int_t)(h->connected || !h->down_since ? 0 :
		    s->now - h->down_since), "next_connect", (json_int_t)h->next_connect,
		    "signal_percent", sig, "network", net, "last_error", h->last_error,
		    "fault", h->connected ? "" : health_fault_text(h->fault, 0),
		    "received", (json_int_t)h->received, "sent", (json_int_t)h->sent,
		    "send_failures", (json_int_t)h->send_failures,
		    "reconnects", (json_int_t)h->reconnects, "sim", h->sim);
		/* voice calls: whether it can place them, why not, one ringing now */
		json_object_set_new(m, "voice", json_pack("{s:b, s:s, s:b, s:I}", "can_call", h->voice,
		    "note", h->voice_note, "calling", h->calling, "calls", (json_int_t)h->calls));
		json_array_append_new(modems, m);
	}
	json_object_set_new(root, "modems", modems);
	if (s->outbox_known)
		json_object_set_new(root, "outbox", json_pack("{s:I, s:I}", "waiting",
		    (json_int_t)s->outbox_waiting, "oldest_for", (json_int_t)(s->outbox_oldest ?
		    s->now - s->outbox_oldest : 0)));
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
	return st.level == HEALTH_DOWN ? 503 : 200;
}

/* -------------------------------------------------------------- /metrics */

/* The label values that exist from the start: every series is there at 0
 * before anything happens (a rate() over a series that appears late reads
 * its first value as a jump from nothing). */
static const char *const channels[] = { "sms", "zalo_oa", "zalo_bot" };
static const char *const levels[] = { "2", "3", "4" };
#define N_CHANNELS (sizeof channels / sizeof channels[0])
#define N_LEVELS (sizeof levels / sizeof levels[0])

/* The database's counts for /metrics: name, help, type, label name and its
 * known values, query. */
static const struct {
	const char *name, *help, *type, *label;
	const char *const *known;
	size_t n_known;
	enum db_metric which;
} db_metrics[] = {
	{ "tinbao_tips_total", "Tips received, by channel.", "counter", "channel", channels,
	    N_CHANNELS, DB_METRIC_TIPS },
	{ "tinbao_acks_total", "Tips acknowledged by an officer.", "counter", NULL, NULL, 0,
	    DB_METRIC_ACKS },
	{ "tinbao_escalations_total", "Escalations, by the level reached.", "counter", "level",
	    levels, N_LEVELS, DB_METRIC_ESCALATIONS },
	{ "tinbao_outbox_queued", "Messages waiting to be sent, by channel.", "gauge", "channel",
	    channels, N_CHANNELS, DB_METRIC_OUTBOX_QUEUED },
	{ "tinbao_outbox_failed_total", "Messages given up after every attempt, by channel.",
	    "counter", "channel", channels, N_CHANNELS, DB_METRIC_OUTBOX_FAILED },
	{ "tinbao_channel_errors_total", "Send attempts that failed, by channel.", "counter",
	    "channel", channels, N_CHANNELS, DB_METRIC_SEND_ERRORS },
	{ "tinbao_inbound_unprocessed", "Admitted messages not yet routed.", "gauge", NULL, NULL, 0,
	    DB_METRIC_INBOUND_TODO },
	{ "tinbao_tips_open", "Tips not closed.", "gauge", NULL, NULL, 0, DB_METRIC_TIPS_OPEN },
	{ "tinbao_tips_unstaffed", "New tips waiting with nobody on duty at any level.", "gauge",
	    NULL, NULL, 0, DB_METRIC_TIPS_UNSTAFFED },
};

/* Acknowledgement time buckets, seconds: the ones the database keeps
 * (db_metrics.c ack_bounds, kept by triggers). */
static const int64_t ack_le[] = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400 };
#define N_ACK_LE (sizeof ack_le / sizeof ack_le[0])

#define DB_METRIC_ROWS 16

static void
db_series(struct db *db, size_t k, struct metrics_out *o)
{
	struct db_count c[DB_METRIC_ROWS];
	size_t n = 0;
	if (db_metric(db, db_metrics[k].which, c, DB_METRIC_ROWS, &n) < 0)
		return;
	metrics_printf(o, "# HELP %s %s\n# TYPE %s %s\n", db_metrics[k].name,
	    db_metrics[k].help, db_metrics[k].name, db_metrics[k].type);
	if (!db_metrics[k].label) {
		metrics_printf(o, "%s %lld\n", db_metrics[k].name, (long long)(n ? c[0].n : 0));
		return;
	}
	/* the known values first (0 when absent), then any other the database has */
	for (size_t j = 0; j < db_metrics[k].n_known; j++) {
		long long v = 0;
		for (size_t r = 0; r < n; r++)
			if (strcmp(c[r].label, db_metrics[k].known[j]) == 0)
				v = (long long)c[r].n;
		metrics_printf(o, "%s{%s=\"%s\"} %lld\n", db_metrics[k].name, db_metrics[k].label,
		    db_metrics[k].known[j], v);
	}
	for (size_t r = 0; r < n; r++) {
		int known = 0;
		for (size_t j = 0; j < db_metrics[k].n_known; j++)
			known |= strcmp(c[r].label, db_metrics[k].known[j]) == 0;
		if (!known)
			metrics_printf(o, "%s{%s=\"%s\"} %lld\n", db_metrics[k].name,
			    db_metrics[k].label, c[r].label, (long long)c[r].n);
	}
}

static void
ack_histogram(struct db *db, struct metrics_out *o)
{
	int64_t counts[N_ACK_LE], count = 0, sum = 0;
	if (db_ack_histogram(db, ack_le, N_ACK_LE, counts, &count, &sum) < 0)
		return;
	metrics_printf(o, "# HELP tinbao_ack_seconds Time from a tip's receipt to its "
	    "acknowledgement by an officer.\n# TYPE tinbao_ack_seconds histogram\n");
	for (size_t i = 0; i < N_ACK_LE; i++)
		metrics_printf(o, "tinbao_ack_seconds_bucket{le=\"%lld\"} %lld\n", (long long)ack_le[i],
		    (long long)counts[i]);
	metrics_printf(o, "tinbao_ack_seconds_bucket{le=\"+Inf\"} %lld\ntinbao_ack_seconds_sum "
	    "%lld\ntinbao_ack_seconds_count %lld\n", (long long)count, (long long)sum,
	    (long long)count);
}

/* One series per modem, with its HELP and TYPE lines; value < 0: unknown
 * (NaN). */
static void
modem_series(const struct health_snapshot *s, struct metrics_out *o, const char *name,
    const char *help, const char *type, long long (*value)(const struct modem_health *))
{
	metrics_printf(o, "# HELP %s %s\n# TYPE %s %s\n", name, help, name, type);
	for (size_t i = 0; i < s->n_modems; i++) {
		long long v = value(&s->modem[i]);
		if (v < 0)
			metrics_printf(o, "%s{modem=\"%s\"} NaN\n", name, s->modem_name[i]);
		else
			metrics_printf(o, "%s{modem=\"%s\"} %lld\n", name, s->modem_name[i], v);
	}
}

static long long
modem_up(const struct modem_health *h)
{
	return h->connected ? 1 : 0;
}

static long long
modem_signal(const struct modem_health *h)
{
	return h->connected ? h->signal_percent : -1;
}

static long long
modem_send_failures(const struct modem_health *h)
{
	return (long long)h->send_failures;
}

static long long
modem_reconnects(const struct modem_health *h)
{
	return (long long)h->reconnects;
}

/* tinbao_calls_total{result}: every result, 0 until it happens. */
static void
calls_series(struct db *db, struct metrics_out *o)
{
	struct db_count c[16];
	size_t n = 0;
	if (db_metric(db, DB_METRIC_CALLS, c, 16, &n) < 0)
		return;
	metrics_printf(o, "# HELP tinbao_calls_total Voice calls to officers, by result (placed: "
	    "it rang; failed; not_possible: no modem could call, an SMS instead; cancelled: the tip "
	    "was acknowledged first).\n# TYPE tinbao_calls_total counter\n");
	for (int r = 0; r < CALLS_RESULTS; r++) {
		long long v = 0;
		for (size_t k = 0; k < n; k++)
			if (strcmp(c[k].label, calls_result_name((enum calls_result)r)) == 0)
				v = (long long)c[k].n;
		metrics_printf(o, "tinbao_calls_total{result=\"%s\"} %lld\n",
		    calls_result_name((enum calls_result)r), v);
	}
}

static long long
modem_calling(const struct modem_health *h)
{
	return h->calling ? 1 : 0;
}

void
health_metrics(const struct health_snapshot *s, struct db *db, struct metrics_out *o)
{
	metrics_printf(o, "# HELP tinbao_build_info The running tinbaod's version.\n"
	    "# TYPE tinbao_build_info gauge\ntinbao_build_info{version=\"%s\"} 1\n", TINBAO_VERSION);
	metrics_render(o);
	metrics_printf(o, "# HELP tinbao_database_up 1 when the database could be read.\n"
	    "# TYPE tinbao_database_up gauge\ntinbao_database_up %d\n", db != NULL);
	for (size_t k = 0; db && k < sizeof db_metrics / sizeof db_metrics[0]; k++)
		db_series(db, k, o);
	if (db)
		ack_histogram(db, o);
	modem_series(s, o, "tinbao_modem_up", "1 while the modem is connected.", "gauge",
	    modem_up);
	modem_series(s, o, "tinbao_modem_signal_percent", "Signal strength while connected "
	    "(NaN while down or unknown).", "gauge", modem_signal);
	modem_series(s, o, "tinbao_modem_send_failures_total", "SMS sends that failed.",
	    "counter", modem_send_failures);
	modem_series(s, o, "tinbao_modem_reconnects_total", "Connections to the modem made again.",
	    "counter", modem_reconnects);
	modem_series(s, o, "tinbao_modem_calling", "1 while the modem rings an officer.", "gauge",
	    modem_calling);
	if (db)
		calls_series(db, o);
}
