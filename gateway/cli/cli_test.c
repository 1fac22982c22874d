/* cli_test — `tinbao test OFFICER_PHONE [--channel ...]`: is the line to an
 * officer working? The command never sends anything itself: it queues a
 * test message in the outbox for tinbaod (which must be running: it is
 * asked first on the admin socket), nudges it, and watches the row until
 * the channel took it, tinbaod gave it up, or the wait ends. With --call it
 * queues a test call instead (gateway/calls.h): a modem that can place
 * calls rings the officer once, as a waiting tip rings at night. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "gateway/calls.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"

#define TEST_WAIT_DEFAULT 60          /* seconds */
#define TEST_WAIT_MAX 3600
#define TEST_POLL_MS 200

static const char test_usage[] =
    N_("usage: tinbao test OFFICER_PHONE [--channel sms|zalo_oa|zalo_bot] [--wait DURATION]\n"
    "       tinbao test OFFICER_PHONE --call [--wait DURATION]\n"
    "\n"
    "Sends the officer a test message (\"the line to you works, no need to answer\")\n"
    "the way tinbaod sends tips: the command queues it, tinbaod sends it, and the\n"
    "command waits (--wait, default 60s) to tell what happened:\n"
    "  sent          the channel took it (the modem or Zalo accepted it): exit 0\n"
    "  failed        tinbaod gave up, with the reason: exit 1\n"
    "  still queued  not sent yet (the reason of the last try, and when the\n"
    "                next is); tinbaod keeps trying after the command ends: exit 1\n"
    "--channel tests one channel (default: how the officer is reached first).\n"
    "--call rings the officer's phone once instead, through a modem that can place\n"
    "calls, for [escalation] call_ring, then hangs up: the way a waiting tip rings at\n"
    "night. Check that it rings loud and gets through \"do not disturb\". It waits\n"
    "call_ring and 60s more by default; when no modem can call, the officer gets an\n"
    "SMS instead and the command says why (exit 1).\n"
    "tinbaod must be running (asked on [gateway] admin_socket).\n");

/* The channel is set up in the configuration (the same test notify.c
 * makes for officers' messages). NULL, or why not. */
static const char *
channel_missing(const struct config *cfg, const char *channel)
{
	if (strcmp(channel, "sms") == 0)
		return cfg->n_modems ? NULL : _("no [modem NAME] section: nothing sends SMS");
	if (strcmp(channel, "zalo_oa") == 0)
		return cfg->oa_app_id && cfg->oa_app_secret_key_file ? NULL :
		    _("[zalo_oa] app_id and app_secret_key_file are not set: nothing sends on the OA");
	return cfg->bot_token_file ? NULL : _("[zalo_bot] token_file is not set: nothing sends "
	    "through the bot");
}

static const char *
channel_label(const char *channel)
{
	return strcmp(channel, "sms") == 0 ? "SMS" : strcmp(channel, "zalo_oa") == 0 ?
	    "Zalo OA" : "Zalo bot";
}

static void
sleep_ms(int ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };
	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

static double
elapsed(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* Poll the outbox row until it is sent or failed, or wait_s passed; st
 * holds its last state (t0 when the wait began). 0, -1 when it cannot be
 * read (a database error), -2 when it is gone. */
static int
wait_row(struct cli *c, int64_t id, int64_t wait_s, struct timespec *t0,
    struct outbox_state *st)
{
	clock_gettime(CLOCK_MONOTONIC, t0);
	for (;;) {
		outbox_state_clear(st);
		int r = db_outbox_state(c->db, id, st);
		if (r <= 0)
			return r < 0 ? -1 : -2;
		if (strcmp(st->state, "sent") == 0 || strcmp(st->state, "failed") == 0 ||
		    elapsed(t0) >= (double)wait_s)
			return 0;
		sleep_ms(TEST_POLL_MS);
	}
}

/* Wait for the row; print the outcome; the exit code. */
static int
watch(struct cli *c, int64_t id, const char *label, const char *who, int64_t wait_s)
{
	struct timespec t0;
	struct outbox_state st = { 0 };
	int w = wait_row(c, id, wait_s, &t0, &st);
	if (w < 0)
		return cli_error(CLI_FAIL, "test", "%s", w == -1 ? db_errmsg(c->db) :
		    _("the test message is gone from the outbox"));
	int rc = CLI_FAIL;
	char why[300], next[32];
	cli_clean(st.last_error ? st.last_error : _("no reason given"), why, sizeof why);
	timeutil_format_hm(st.next_attempt, next, sizeof next);
	if (strcmp(st.state, "sent") == 0) {
		/* TRANSLATORS: message id, officer, channel (SMS, Zalo OA, Zalo bot),
		 * the modem or API that took it, seconds */
		printf(_("sent: test message %lld to %s by %s, accepted by %s after %.1f s\n"),
		    (long long)id, who, label, st.via ? st.via : "?", elapsed(&t0));
		rc = CLI_OK;
	} else if (strcmp(st.state, "failed") == 0) {
		printf(ngettext("FAILED: test message %lld to %s by %s was not sent after %d "
		    "attempt: %s\n", "FAILED: test message %lld to %s by %s was not sent after %d "
		    "attempts: %s\n", (unsigned long)st.attempts), (long long)id, who, label,
		    st.attempts, why);
	} else if (strcmp(st.state, "sending") == 0) {
		printf(_("still being sent after %lld s: test message %lld to %s by %s. tinbaod "
		    "keeps trying.\n"), (long long)wait_s, (long long)id, who, label);
	} else if (st.attempts) {
		printf(_("still queued after %lld s: test message %lld to %s by %s; attempt %d "
		    "failed: %s; next try at %s. tinbaod keeps trying.\n"), (long long)wait_s,
		    (long long)id, who, label, st.attempts, why, next);
	} else {
		printf(_("still queued after %lld s: test message %lld to %s by %s, not tried yet: "
		    "is the %s channel up? (tinbao modem status) tinbaod keeps trying.\n"),
		    (long long)wait_s, (long long)id, who, label, label);
	}
	outbox_state_clear(&st);
	return rc;
}

/* Wait for the test call; print the outcome; the exit code. */
static int
watch_call(struct cli *c, int64_t id, const char *who, int64_t wait_s)
{
	struct timespec t0;
	struct outbox_state st = { 0 };
	int w = wait_row(c, id, wait_s, &t0, &st);
	if (w < 0)
		return cli_error(CLI_FAIL, "test", "%s", w == -1 ? db_errmsg(c->db) :
		    _("the test call is gone from the outbox"));
	int rc = CLI_FAIL;
	char why[300];
	cli_clean(st.last_error ? st.last_error : _("no reason given"), why, sizeof why);
	if (strcmp(st.state, "sent") == 0) {
		/* TRANSLATORS: call id, officer, the modem that placed it, seconds */
		printf(_("rang: test call %lld to %s, placed by modem %s, over after %.1f s\n"),
		    (long long)id, who, st.via ? st.via : "?", elapsed(&t0));
		rc = CLI_OK;
	} else if (strcmp(st.state, "failed") == 0) {
		printf(_("FAILED: test call %lld to %s was not made: %s\n"), (long long)id, who, why);
	} else if (strcmp(st.state, "sending") == 0) {
		printf(_("still ringing or dialling after %lld s: test call %lld to %s.\n"),
		    (long long)wait_s, (long long)id, who);
	} else {
		printf(_("still queued after %lld s: test call %lld to %s%s%s. Is a modem that can "
		    "call up? (tinbao modem status) tinbaod keeps trying.\n"), (long long)wait_s,
		    (long long)id, who, st.attempts ? ": " : "", st.attempts ? why : "");
	}
	outbox_state_clear(&st);
	return rc;
}

/* `test PHONE --call`: the officer is known; queue the test call. */
static int
test_call(struct cli *c, int64_t officer_id, const char *phone, const char *who, int64_t wait_s)
{
	const char *what = "test --call";
	if (!c->cfg->n_modems)
		return cli_error(CLI_FAIL, what, "%s", _("no [modem NAME] section: nothing places "
		    "calls"));
	json_t *doc;
	int rc = cli_ask_daemon(c, what, "wake", &doc);
	if (rc)
		return cli_error(rc, what, _("nothing queued"));
	json_decref(doc);
	int64_t id = calls_queue_test(c->db, officer_id, phone, timeutil_now());
	if (id <= 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (wait_s < 0)
		wait_s = c->cfg->call_ring + TEST_WAIT_DEFAULT;
	printf(_("queued test call %lld to %s (it rings %lld s); waiting up to %lld s for tinbaod "
	    "to place it\n"), (long long)id, who, (long long)c->cfg->call_ring, (long long)wait_s);
	fflush(stdout);
	if (cli_ask_daemon(c, what, "wake", &doc) == CLI_OK)
		json_decref(doc);
	return watch_call(c, id, who, wait_s);
}

int
cli_test(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "channel", required_argument, NULL, 'C' }, { "wait", required_argument, NULL, 'w' },
		{ "call", no_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
	};
	const char *what = "test", *channel = NULL;
	int64_t wait_s = TEST_WAIT_DEFAULT;
	int ch, call = 0, wait_given = 0;
	if (cli_wants_help(argc, argv)) {
		fputs(_(test_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		if (ch == 'C') {
			channel = optarg;
		} else if (ch == 'c') {
			call = 1;
		} else if (ch == 'w') {
			wait_given = 1;
			if (config_parse_duration(optarg, &wait_s) < 0 || wait_s < 1 ||
			    wait_s > TEST_WAIT_MAX)
				return cli_error(CLI_USAGE, what, _("--wait \"%s\" is not a duration of 1s to "
				    "1h (90s, 5m)"), optarg);
		} else {
			return CLI_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_error(CLI_USAGE, what, _("usage: tinbao test OFFICER_PHONE [--channel "
		    "sms|zalo_oa|zalo_bot] [--wait DURATION]"));
	if (call && channel)
		return cli_error(CLI_USAGE, what, _("--call rings the phone: it takes no --channel"));
	if (channel && strcmp(channel, "sms") != 0 && strcmp(channel, "zalo_oa") != 0 &&
	    strcmp(channel, "zalo_bot") != 0)
		return cli_error(CLI_USAGE, what, _("--channel is sms, zalo_oa or zalo_bot, not \"%s\""),
		    channel);
	char norm[PHONE_MAX];
	if (cli_phone(what, argv[optind], norm) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	struct officer o;
	int found = cli_officer_found(c, what, norm, &o);
	if (found != CLI_OK)
		return found;
	char chan[16], who[160];
	snprintf(chan, sizeof chan, "%s", channel ? channel : o.channel);
	char *name = text_for_terminal(o.name, 1);
	snprintf(who, sizeof who, "%s (%s)", name ? name : "?", o.phone);
	free(name);
	if (call) {
		int64_t oid = o.id;
		officer_clear(&o);
		return test_call(c, oid, norm, who, wait_given ? wait_s : -1);
	}
	int has_address = strcmp(chan, "sms") == 0 || (strcmp(chan, "zalo_oa") == 0 && o.zalo_oa) ||
	    (strcmp(chan, "zalo_bot") == 0 && o.zalo_bot);
	int64_t officer_id = o.id;
	officer_clear(&o);
	const char *missing = channel_missing(c->cfg, chan);
	if (!has_address)
		return cli_error(CLI_FAIL, what, _("%s has no %s id (tinbao officer add --%s ID)"), who,
		    channel_label(chan), strcmp(chan, "zalo_oa") == 0 ? "zalo-oa" : "zalo-bot");
	if (missing)
		return cli_error(CLI_FAIL, what, "%s", missing);
	/* tinbaod sends it: if it does not answer, queue nothing */
	json_t *doc;
	int rc = cli_ask_daemon(c, what, "wake", &doc);
	if (rc)
		return cli_error(rc, what, _("nothing queued"));
	json_decref(doc);
	char text[MSG_MAX];
	int64_t now = timeutil_now();
	msg_test(c->cfg, chan, now, text);
	int64_t id = notify_officer_on(c->db, officer_id, chan, "test", text, now);
	if (id <= 0)
		return cli_error(CLI_FAIL, what, "%s", id < 0 ? db_errmsg(c->db) :
		    _("the officer cannot be reached on that channel"));
	printf(_("queued test message %lld to %s by %s; waiting up to %lld s for tinbaod to send "
	    "it\n"), (long long)id, who, channel_label(chan), (long long)wait_s);
	fflush(stdout);
	if (cli_ask_daemon(c, what, "wake", &doc) == CLI_OK)
		json_decref(doc);
	return watch(c, id, channel_label(chan), who, wait_s);
}
