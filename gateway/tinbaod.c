/* tinbaod — the tip-line daemon: main thread, signals, start and stop.
 *
 * The main thread owns the config snapshot and the signals. It starts the
 * writer (admissions), the router (routing and escalation) and one thread
 * per modem, then waits for signals: SIGTERM/SIGINT drain and exit, SIGHUP
 * re-reads the configuration and restarts the router and the modems with it
 * (work in flight lives in the database, so nothing is dropped).
 */
#include <errno.h>
#include <getopt.h>
#include <pthread.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <systemd/sd-daemon.h>
#include <time.h>
#include <unistd.h>

#include <jansson.h>

#include "db/db.h"
#include "gateway/adminsock.h"
#include "gateway/audit.h"
#include "gateway/calls.h"
#include "gateway/config.h"
#include "gateway/health.h"
#include "gateway/heartbeat.h"
#include "gateway/i18n.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/metrics.h"
#include "gateway/modemalarm.h"
#include "gateway/router.h"
#include "gateway/runas.h"
#include "gateway/secretfile.h"
#include "gateway/timeutil.h"
#include "gateway/view.h"
#include "gateway/writer.h"
#include "gateway/version.h"
#include "modem/modem.h"
#include "webhook/admin_api.h"
#include "webhook/http.h"
#include "webhook/zalo_in.h"
#include "webhook/zalo_out.h"
#include "webhook/zalo_url.h"

#define TAG "tinbaod"
#define DEFAULT_CONFIG "/etc/tinbao/tinbao.conf"
#define STATUS_EVERY_S 300

struct daemon {
	struct config *cfg;
	struct identity *id;
	struct writer *writer;
	struct router *router;
	struct modem *modems[CONFIG_MAX_MODEMS];
	size_t n_modems;
	struct zalo_in *zalo;
	struct http *http;
	struct zalo_out *zalo_out;
	struct adminsock *admin;
	struct modemalarm *alarm;    /* main thread only */
	pthread_mutex_t lock;        /* guards router and modems for the hooks */
	int calls_interrupted;       /* a crash left a call dialled: modems hang up first */
};

static void
usage(FILE *f)
{
	fprintf(f, _("usage: tinbaod [-c FILE] [--check-config] [--version]\n"
	    "\n"
	    "The tinbao tip-line daemon: receives tips by SMS and Zalo, gives each a\n"
	    "tracking ID, notifies the officer on duty and escalates until somebody\n"
	    "acknowledges.\n"
	    "Runs in the foreground (for systemd Type=notify); logs to stderr.\n"
	    "\n"
	    "  -c, --config FILE   configuration file (default %s,\n"
	    "                      or $TINBAO_CONFIG)\n"
	    "  -n, --check-config  check the configuration and the files it names, then exit\n"
	    "                      (0 when it is good, 1 otherwise)\n"
	    "  -V, --version       print the version and exit\n"
	    "  -h, --help          this help\n"
	    "\n"
	    "Signals: SIGTERM or SIGINT finish the work in hand and exit; SIGHUP re-reads\n"
	    "the configuration. Its log is in English; --help and --check-config answer\n"
	    "in Vietnamese when LANG is vi_VN.UTF-8. See tinbaod(8), tinbao.conf(5) and\n"
	    "tinbao(1).\n"), DEFAULT_CONFIG);
}

/* Called by the writer after each commit that admitted something. */
static void
on_admitted(void *arg)
{
	struct daemon *d = arg;
	pthread_mutex_lock(&d->lock);
	if (d->router)
		router_wake(d->router);
	pthread_mutex_unlock(&d->lock);
}

/* Called by the router after each decision that queued messages. */
static void
wake_senders(void *arg)
{
	struct daemon *d = arg;
	pthread_mutex_lock(&d->lock);
	for (size_t i = 0; i < d->n_modems; i++)
		modem_wake(d->modems[i]);
	zalo_out_wake(d->zalo_out);
	pthread_mutex_unlock(&d->lock);
}

/* The admin socket's requests (on its thread): "modems", each modem's live
 * state; "wake", the outbox has a row to send now (`tinbao test`). */
static char *
admin_answer(void *arg, const char *request)
{
	struct daemon *d = arg;
	json_t *doc;
	if (strcmp(request, "modems") == 0) {
		json_t *arr = json_array();
		pthread_mutex_lock(&d->lock);
		for (size_t i = 0; i < d->n_modems; i++) {
			struct modem_health h;
			modem_health(d->modems[i], &h);
			json_array_append_new(arr, view_modem_json(d->cfg->modems[i].name, &h));
		}
		pthread_mutex_unlock(&d->lock);
		doc = json_pack("{s:o}", "modems", arr);
	} else if (strcmp(request, "wake") == 0) {
		wake_senders(d);
		doc = json_pack("{s:b}", "ok", 1);
	} else {
		doc = json_pack("{s:s}", "error", "unknown request (modems, wake)");
	}
	char *out = doc ? json_dumps(doc, JSON_COMPACT) : NULL;
	json_decref(doc);
	return out;
}

/* Called by the router: can any modem place voice calls? A modem not
 * running (starting, reloading) has not said, so the answer waits. */
static int
voice(void *arg)
{
	struct daemon *d = arg;
	int unknown = 0;
	pthread_mutex_lock(&d->lock);
	size_t configured = d->cfg->n_modems;
	unknown = d->n_modems < configured;
	for (size_t i = 0; i < d->n_modems; i++) {
		struct modem_health h;
		modem_health(d->modems[i], &h);
		if (h.voice) {
			pthread_mutex_unlock(&d->lock);
			return CALLS_VOICE_SOME;
		}
	}
	pthread_mutex_unlock(&d->lock);
	return unknown ? CALLS_VOICE_UNKNOWN : CALLS_VOICE_NONE;
}

/* What /healthz, /metrics and the modem alarm look at: the parts'
 * published health. */
static void
snapshot(struct daemon *d, struct health_snapshot *s)
{
	memset(s, 0, sizeof *s);
	s->now = (int64_t)time(NULL);
	pthread_mutex_lock(&d->lock);
	s->n_modems = d->n_modems;
	for (size_t i = 0; i < d->n_modems; i++) {
		s->modem_name[i] = d->cfg->modems[i].name;
		s->modem_down_alarm[i] = d->cfg->modems[i].down_alarm;
		modem_health(d->modems[i], &s->modem[i]);
	}
	zalo_out_health(d->zalo_out, &s->zalo);
	pthread_mutex_unlock(&d->lock);
}

/* The one health snapshot that gateway/health.c judges, for GET /healthz
 * and the desk page's status strip: the parts, whether the database takes a
 * write now, and the messages waiting to be sent. */
static void
health(void *arg, struct health_snapshot *s)
{
	struct daemon *d = arg;
	char err[256];
	snapshot(d, s);
	s->db_writable = db_writable(d->cfg->database, s->db_error, sizeof s->db_error);
	if (s->db_writable && writer_failing(d->writer)) {
		/* the lock was free, but the last commit failed (disk full, read-only) */
		s->db_writable = 0;
		snprintf(s->db_error, sizeof s->db_error,
		    "the last admission could not be committed");
	}
	struct db *db = db_open(d->cfg->database, 1, err, sizeof err);
	if (db && db_outbox_waiting(db, &s->outbox_waiting, &s->outbox_oldest,
	    s->outbox_oldest_channel) == 0)
		s->outbox_known = 1;
	db_close(db);
}

/* GET /metrics: the process counters, the database's counts, the modems. */
static int
metrics(void *arg, struct metrics_out *o)
{
	struct daemon *d = arg;
	char err[256];
	struct health_snapshot s;
	snapshot(d, &s);
	struct db *db = db_open(d->cfg->database, 1, err, sizeof err);
	health_metrics(&s, db, o);
	db_close(db);
	return 0;
}

static int
start_workers(struct daemon *d)
{
	char err[512];
	struct router *r = router_start(d->cfg, d->id, d->writer, wake_senders, voice, d, err,
	    sizeof err);
	if (!r) {
		log_error(TAG, "router: %s", err);
		return -1;
	}
	pthread_mutex_lock(&d->lock);
	d->router = r;
	pthread_mutex_unlock(&d->lock);
	for (size_t i = 0; i < d->cfg->n_modems; i++) {
		struct modem *m = modem_start(d->cfg, &d->cfg->modems[i], d->writer, d->id, err,
		    sizeof err);
		if (!m) {
			/* A modem that cannot even start (bad gammu config) is an
			 * operator error, not a fault to ride out. */
			log_error(TAG, "modem %s: %s", d->cfg->modems[i].name, err);
			return -1;
		}
		if (d->calls_interrupted)
			modem_hang_up_at_connect(m);
		pthread_mutex_lock(&d->lock);
		d->modems[d->n_modems++] = m;
		pthread_mutex_unlock(&d->lock);
	}
	struct zalo_out *zo = zalo_out_start(d->cfg, d->id, err, sizeof err);
	if (!zo && err[0]) {
		log_error(TAG, "%s", err);
		return -1;
	}
	pthread_mutex_lock(&d->lock);
	d->zalo_out = zo;
	pthread_mutex_unlock(&d->lock);
	if (d->cfg->http_listen[0]) {
		d->zalo = zalo_in_new(d->cfg, d->writer, d->id, err, sizeof err);
		if (!d->zalo) {
			log_error(TAG, "zalo: %s", err);
			return -1;
		}
		d->http = http_start(d->cfg, d->zalo, health, metrics, d, err, sizeof err);
		if (!d->http) {
			log_error(TAG, "http: %s", err);
			return -1;
		}
	}
	return 0;
}

static void
stop_workers(struct daemon *d)
{
	http_stop(d->http);             /* first: no admission starts after this */
	d->http = NULL;
	zalo_in_free(d->zalo);
	d->zalo = NULL;
	pthread_mutex_lock(&d->lock);
	struct zalo_out *zo = d->zalo_out;
	d->zalo_out = NULL;
	size_t n = d->n_modems;
	struct modem *modems[CONFIG_MAX_MODEMS];
	memcpy(modems, d->modems, sizeof modems);
	struct router *r = d->router;
	d->n_modems = 0;
	d->router = NULL;
	pthread_mutex_unlock(&d->lock);
	for (size_t i = 0; i < n; i++)
		modem_stop(modems[i]);
	zalo_out_stop(zo);
	router_stop(r);
}

static void
log_status(struct daemon *d)
{
	struct writer_stats ws;
	struct router_stats rs = { 0 };
	writer_stats(d->writer, &ws);
	pthread_mutex_lock(&d->lock);
	if (d->router)
		router_stats(d->router, &rs);
	for (size_t i = 0; i < d->n_modems; i++) {
		struct modem_health h;
		modem_health(d->modems[i], &h);
		log_info(TAG, "modem %s: %s, signal %d%%, network %s, received %llu, sent %llu, "
		    "send failures %llu, reconnects %llu", d->cfg->modems[i].name,
		    h.connected ? "connected" : "DOWN", h.signal_percent,
		    h.network[0] ? h.network : "?", (unsigned long long)h.received,
		    (unsigned long long)h.sent, (unsigned long long)h.send_failures,
		    (unsigned long long)h.reconnects);
	}
	pthread_mutex_unlock(&d->lock);
	log_info(TAG, "admissions %llu in %llu commits (largest %llu); routed %llu, tips %llu, "
	    "escalations %llu, routing failures %llu", (unsigned long long)ws.admissions,
	    (unsigned long long)ws.commits, (unsigned long long)ws.max_batch,
	    (unsigned long long)rs.routed, (unsigned long long)rs.tips,
	    (unsigned long long)rs.escalations, (unsigned long long)rs.failures);
}

/* Secret files (the Zalo secrets and tokens, the admin and metrics tokens,
 * each SIM's PIN) that others (not the owner or the group) may read: a
 * warning each, to the log (start, SIGHUP) or to stderr (--check-config).
 * The key file is refused outright (identity_open, reload()). */
static void
warn_readable_secrets(const struct config *cfg, int to_stderr)
{
	const struct { const char *what, *path; } files[] = {
		{ "[zalo_oa] oa_secret_key_file", cfg->oa_secret_key_file },
		{ "[zalo_oa] app_secret_key_file", cfg->oa_app_secret_key_file },
		{ "[zalo_oa] refresh_token_file", cfg->oa_refresh_token_file },
		{ "[zalo_bot] token_file", cfg->bot_token_file },
		{ "[zalo_bot] webhook_secret_file", cfg->bot_webhook_secret_file },
		{ "[http] admin_token_file", cfg->http_admin_token_file },
		{ "[http] metrics_token_file", cfg->http_metrics_token_file },
	};
	for (size_t i = 0; i < sizeof files / sizeof files[0] + cfg->n_modems; i++) {
		char what[64];
		const char *path;
		if (i < sizeof files / sizeof files[0]) {
			snprintf(what, sizeof what, "%s", files[i].what);
			path = files[i].path;
		} else {                  /* each modem's SIM PIN */
			const struct modem_conf *m = &cfg->modems[i - sizeof files / sizeof files[0]];
			snprintf(what, sizeof what, "[modem %s] pin_file", m->name);
			path = m->pin_file;
		}
		if (!path || secretfile_others_read(path) != 1)
			continue;
		if (to_stderr)
			fprintf(stderr, _("tinbaod: warning: %s %s is readable by others: chmod 640 "
			    "(or 600) it\n"), what, path);
		else
			log_warn(TAG, "%s %s is readable by others: chmod 640 (or 600) it", what, path);
	}
}

/* 1 when the key file's mode lets its group or others at it (identity_open
 * refuses such a file at start; a reload refuses it too). */
static int
key_file_exposed(const char *path)
{
	struct stat sb;
	return stat(path, &sb) == 0 && (sb.st_mode & 0077) != 0;
}

static struct config *
load_config(const char *path, int quiet)
{
	char err[512];
	struct config *cfg = config_load(path, err, sizeof err);
	if (!cfg) {
		if (quiet)
			log_error(TAG, "%s", err);
		else
			fprintf(stderr, "tinbaod: %s\n", err);
		return NULL;
	}
	return cfg;
}

static void
reload(struct daemon *d, const char *path)
{
	struct config *fresh = load_config(path, 1);
	if (!fresh) {
		log_error(TAG, "SIGHUP: the new configuration has errors; keeping the old one");
		return;
	}
	if (strcmp(fresh->database, d->cfg->database) != 0 ||
	    strcmp(fresh->key_file, d->cfg->key_file) != 0 ||
	    strcmp(fresh->timezone, d->cfg->timezone) != 0) {
		log_error(TAG, "SIGHUP: database, key_file and timezone change only with a restart; "
		    "keeping the old configuration");
		config_free(fresh);
		return;
	}
	if (key_file_exposed(fresh->key_file)) {
		log_error(TAG, "SIGHUP: key file %s is readable by others; keeping the old "
		    "configuration (chmod 600 it)", fresh->key_file);
		config_free(fresh);
		return;
	}
	if (strcmp(fresh->admin_socket, d->cfg->admin_socket) != 0)
		log_warn(TAG, "SIGHUP: admin_socket changes only with a restart; it stays at %s",
		    d->cfg->admin_socket[0] ? d->cfg->admin_socket : "(none)");
	warn_readable_secrets(fresh, 0);
	log_notice(TAG, "SIGHUP: reloading the configuration");
	stop_workers(d);
	struct config *old = d->cfg;
	d->cfg = fresh;
	log_set_level(log_level_parse(fresh->log_level));
	if (start_workers(d) < 0) {
		log_error(TAG, "SIGHUP: the new configuration cannot start; going back to the old one");
		stop_workers(d);
		d->cfg = old;
		config_free(fresh);
		if (start_workers(d) < 0)
			log_error(TAG, "the old configuration cannot start either");
		return;
	}
	config_free(old);
}

/* --check-config: everything tinbaod will open, opened as tinbaod will open
 * it, as the user it runs as; every problem printed, not only the first. */
static int
check_config(const struct config *cfg, const char *path, const struct runas *ra)
{
	char err[1024], warn[512];
	int bad = 0;
	if (ra->active)
		printf(_("%s: checking as user %s (%s)\n"), path, ra->name, ra->why);
	else if (geteuid() == 0)
		printf(_("%s: checking as root: the database's directory belongs to root, so "
		    "tinbaod runs as root too (the shipped unit runs it as user tinbao)\n"), path);
#define CHECK(expr) do { if ((expr) < 0) { fprintf(stderr, "tinbaod: %s\n", err); bad = 1; } \
	} while (0)
	CHECK(config_check_files(cfg, err, sizeof err));
	CHECK(db_check_writable(cfg->database, err, sizeof err));
	struct identity *id = identity_open(cfg->key_file, err, sizeof err);
	CHECK(id ? 0 : -1);
	identity_close(id);
	struct admin_api *admin = admin_api_new(cfg, NULL, NULL, err, sizeof err);   /* the token */
	CHECK(admin ? 0 : -1);
	admin_api_free(admin);
	if (cfg->http_listen[0])
		CHECK(zalo_in_check(cfg, err, sizeof err));
	CHECK(zalo_out_check(cfg, err, sizeof err));
	warn_readable_secrets(cfg, 1);
	CHECK(zalo_url_check_config(cfg, err, sizeof err));
	for (size_t i = 0; i < cfg->n_modems; i++) {
		CHECK(modem_check_config(&cfg->modems[i], err, sizeof err, warn, sizeof warn));
		if (warn[0])
			fprintf(stderr, _("tinbaod: warning: %s\n"), warn);
	}
#undef CHECK
	if (bad) {
		fprintf(stderr, _("tinbaod: %s: the configuration has problems (above)\n"), path);
		return 1;
	}
	printf(ngettext("%s: configuration is good (%zu modem)\n",
	    "%s: configuration is good (%zu modems)\n", cfg->n_modems), path, cfg->n_modems);
	return 0;
}

/* Everything after the options; main frees what it set up. */
static int
run(struct daemon *d, const char *path, int check_only)
{
	d->cfg = load_config(path, 0);
	if (!d->cfg)
		return 1;
	log_set_level(log_level_parse(d->cfg->log_level));
	if (timeutil_set_zone(d->cfg->timezone) < 0) {
		fprintf(stderr, _("tinbaod: %s: [gateway] timezone \"%s\" is not a known zone\n"),
		    path, d->cfg->timezone);
		return 1;
	}
	char err[1024];
	/* Started as root on a state another user owns (the service user):
	 * become that user before anything is opened, so that nothing here
	 * leaves a root-owned file, and the check sees what the service sees. */
	struct runas ra;
	if (runas_owner(d->cfg->database, d->cfg->key_file, &ra, err, sizeof err) < 0 ||
	    runas_become(&ra, err, sizeof err) < 0) {
		fprintf(stderr, "tinbaod: %s\n", err);
		return 1;
	}
	if (check_only)
		return check_config(d->cfg, path, &ra);
	if (ra.active)
		log_notice(TAG, "started as root: running as user %s (%s)", ra.name, ra.why);

	/* Signals are taken by the main thread only. */
	sigset_t sigs;
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGHUP);
	pthread_sigmask(SIG_BLOCK, &sigs, NULL);
	signal(SIGPIPE, SIG_IGN);
	signal(SIGXFSZ, SIG_IGN);      /* a file size limit fails the write (EFBIG) */

	d->id = identity_open(d->cfg->key_file, err, sizeof err);
	if (!d->id) {
		log_error(TAG, "%s", err);
		return 1;
	}
	warn_readable_secrets(d->cfg, 0);
	struct db *db = db_open(d->cfg->database, 0, err, sizeof err);   /* creates, migrates */
	if (!db) {
		log_error(TAG, "database %s", err);
		return 1;
	}
	/* one tinbaod per database, and `tinbao restore` waits for none: the
	 * claim lasts until we exit (see db_claim: never closed before) */
	if (db_claim(d->cfg->database, err, sizeof err) < 0) {
		log_error(TAG, "%s: one tinbaod per database", err);
		db_close(db);
		return 1;
	}
	/* SMS a killed daemon left half-sent: queued again, or, if the modem
	 * already had them, closed (at most once; see README "Crash test") */
	int requeued = 0, unknown = 0;
	if (db_outbox_recover(db, "sms", (int64_t)time(NULL), &requeued, &unknown) < 0)
		log_error(TAG, "outbox recovery: %s", db_errmsg(db));
	else if (requeued || unknown)
		log_warn(TAG, "after a crash: %d SMS queued again, %d closed as outcome unknown "
		    "(the modem had them)", requeued, unknown);
	/* calls likewise: one the modem had may have rung, and never rings twice */
	if (calls_recover(db, d->cfg, (int64_t)time(NULL), &requeued, &unknown) == 0 &&
	    (requeued || unknown))
		log_warn(TAG, "after a crash: %d call%s queued again, %d closed as outcome unknown "
		    "(the modem had dialled: not rung again)", requeued, requeued == 1 ? "" : "s",
		    unknown);
	d->calls_interrupted = unknown > 0;
	db_close(db);
	d->alarm = modemalarm_open(d->cfg->database, err, sizeof err);
	if (!d->alarm) {
		log_error(TAG, "database %s", err);
		return 1;
	}
	d->writer = writer_start(d->cfg->database, on_admitted, d, err, sizeof err);
	if (!d->writer) {
		log_error(TAG, "%s", err);
		return 1;
	}
	if (start_workers(d) < 0) {
		stop_workers(d);
		writer_stop(d->writer);
		modemalarm_close(d->alarm);
		return 1;
	}
	d->calls_interrupted = 0;          /* once: a reload starts the modems again */
	if (d->cfg->admin_socket[0]) {
		/* not fatal: tips flow without it; only the CLI's questions wait */
		d->admin = adminsock_start(d->cfg->admin_socket, admin_answer, d, err, sizeof err);
		if (!d->admin)
			log_error(TAG, "admin socket: %s; `tinbao modem status` and `tinbao test` cannot "
			    "reach this daemon", err);
	}
	log_notice(TAG, "tinbaod %s started: database %s, %zu modem%s, tracking prefix %s",
	    TINBAO_VERSION, d->cfg->database, d->cfg->n_modems, d->cfg->n_modems == 1 ? "" : "s",
	    d->cfg->tracking_prefix);
	sd_notify(0, "READY=1");

	/* The watchdog: ping at half its interval while every thread reports
	 * in; a silent thread stops the pings and systemd restarts us. */
	uint64_t wd_usec = 0;
	int watchdog = sd_watchdog_enabled(0, &wd_usec) > 0 && wd_usec > 0;
	long tick_ms = 5000;
	if (watchdog && (long)(wd_usec / 2000) < tick_ms)
		tick_ms = wd_usec / 2000 > 100 ? (long)(wd_usec / 2000) : 100;
	if (watchdog)
		log_info(TAG, "watchdog: %.1f s; pinging every %.1f s while every thread reports in",
		    (double)wd_usec / 1e6, (double)tick_ms / 1e3);
	int was_stale = 0;
	time_t last_status = time(NULL);
	for (;;) {
		struct timespec tick = { .tv_sec = tick_ms / 1000, .tv_nsec = (tick_ms % 1000) * 1000000L };
		int sig = sigtimedwait(&sigs, NULL, &tick);
		if (sig == SIGTERM || sig == SIGINT) {
			log_notice(TAG, "signal %d: finishing the work in hand", sig);
			break;
		}
		if (sig == SIGHUP) {
			sd_notify(0, "RELOADING=1");
			reload(d, path);
			sd_notify(0, "READY=1");
		}
		http_probe(d->http);
		char stuck[32];
		long silent = 0;
		int stale = heartbeat_stale(stuck, sizeof stuck, &silent);
		if (stale && !was_stale)
			log_error(TAG, "thread %s has not reported for %ld s: watchdog pings stop "
			    "(systemd restarts us if it stays so)", stuck, silent);
		else if (!stale && was_stale)
			log_notice(TAG, "every thread reports in again: watchdog pings resume");
		was_stale = stale;
		if (watchdog && !stale)
			sd_notify(0, "WATCHDOG=1");
		struct health_snapshot hs;
		snapshot(d, &hs);
		if (modemalarm_check(d->alarm, d->cfg, &hs) > 0)
			wake_senders(d);
		if (time(NULL) - last_status >= STATUS_EVERY_S) {
			log_status(d);
			last_status = time(NULL);
		}
	}
	sd_notify(0, "STOPPING=1");
	log_status(d);                 /* the counts since start, once more */
	adminsock_stop(d->admin);
	d->admin = NULL;
	stop_workers(d);
	writer_stop(d->writer);
	modemalarm_close(d->alarm);
	log_notice(TAG, "stopped");
	return 0;
}

int
main(int argc, char **argv)
{
	static const struct option opts[] = {
		{ "config", required_argument, NULL, 'c' },
		{ "check-config", no_argument, NULL, 'n' },
		{ "version", no_argument, NULL, 'V' },
		{ "help", no_argument, NULL, 'h' },
		{ NULL, 0, NULL, 0 },
	};
	const char *path = getenv("TINBAO_CONFIG") ? getenv("TINBAO_CONFIG") : DEFAULT_CONFIG;
	int check_only = 0, c;
	i18n_init();
	while ((c = getopt_long(argc, argv, "c:nVh", opts, NULL)) != -1) {
		switch (c) {
		case 'c': path = optarg; break;
		case 'n': check_only = 1; break;
		case 'V': printf("tinbaod %s\n", TINBAO_VERSION); return 0;
		case 'h': usage(stdout); return 0;
		default: usage(stderr); return 2;
		}
	}
	if (optind != argc) {
		usage(stderr);
		return 2;
	}
	/* The daemon's own output is its log, for the administrator: English,
	 * like every line that libraries write on its behalf. */
	if (!check_only)
		i18n_english();
	/* the database, its -wal and -shm and everything else we create: not
	 * for others (the tinbao group may read) */
	umask(027);
	log_init("tinbaod", LOG_INFO);
	audit_init();           /* before any thread opens the database */
	struct daemon d = { 0 };
	pthread_mutex_init(&d.lock, NULL);
	int rc = run(&d, path, check_only);
	identity_close(d.id);
	config_free(d.cfg);
	return rc;
}
