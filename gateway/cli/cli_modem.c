/* cli_modem — `tinbao modem status`: each modem's connection, signal,
 * network, SIM and last error, as the running tinbaod knows them (asked on
 * its admin socket; the database does not have them). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/adminsock.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/timeutil.h"

static const char modem_usage[] =
    N_("usage: tinbao modem status [--json]\n"
    "\n"
    "Each modem of the configuration as the running tinbaod sees it: connected\n"
    "or not (since when, next try), signal, network, the SIM (ready, PIN\n"
    "required, PIN wrong, PUK required), the last error, and the SMS counted\n"
    "since tinbaod started. tinbaod is asked on [gateway] admin_socket; when it\n"
    "does not answer, it is not running.\n");

int
cli_ask_daemon(struct cli *c, const char *what, const char *request, json_t **doc)
{
	char err[300], *answer = NULL;
	*doc = NULL;
	if (!c->cfg->admin_socket[0])
		return cli_error(CLI_FAIL, what, _("[gateway] admin_socket is off in %s: tinbao cannot "
		    "ask tinbaod"), c->cfg->path);
	if (adminsock_ask(c->cfg->admin_socket, request, ADMINSOCK_TIMEOUT_MS * 3, &answer, err,
	    sizeof err) < 0)
		return cli_error(CLI_FAIL, what, _("tinbaod does not answer (%s): is it running? "
		    "(systemctl status tinbaod)"), err);
	json_error_t jerr;
	*doc = json_loads(answer, 0, &jerr);
	free(answer);
	if (!json_is_object(*doc) || json_object_get(*doc, "error")) {
		const char *why = json_string_value(json_object_get(*doc, "error"));
		json_decref(*doc);
		*doc = NULL;
		return cli_error(CLI_FAIL, what, _("tinbaod answered %s"), why ? why :
		    _("something that is not JSON"));
	}
	return CLI_OK;
}

/* "2026-11-23T07:00:00+07:00" -> "2026-11-23 07:00" (the CLI's form). */
static void
iso_local(const char *iso, char *out, size_t outsz)
{
	if (!iso || strlen(iso) < 16)
		snprintf(out, outsz, "-");
	else
		snprintf(out, outsz, "%.10s %.5s", iso, iso + 11);
}

static const char *
str_or(json_t *o, const char *key, const char *dflt)
{
	const char *s = json_string_value(json_object_get(o, key));
	return s && *s ? s : dflt;
}

/* The SIM's state as the daemon names it, in the reader's language. */
static const char *
sim_words(const char *sim)
{
	static const char *const states[] = {
		/* TRANSLATORS: a modem's SIM in `tinbao modem status` */
		N_("ready"), N_("PIN required"), N_("PIN wrong"), N_("PIN not confirmed"),
		N_("PUK required"), N_("code required"), N_("not asked"),
	};
	if (!sim)
		return _("unknown");
	for (size_t i = 0; i < sizeof states / sizeof states[0]; i++)
		if (strcmp(sim, states[i]) == 0)
			return _(states[i]);
	return sim;
}

static void
show(json_t *m)
{
	char a[32], b[32], name[64], model[128];
	cli_clean(str_or(m, "name", "?"), name, sizeof name);
	if (json_is_true(json_object_get(m, "connected"))) {
		iso_local(str_or(m, "connected_since", NULL), a, sizeof a);
		cli_clean(str_or(m, "model", "?"), model, sizeof model);
		printf(_("modem %s: connected since %s (%s)\n"), name, a, model);
	} else {
		iso_local(str_or(m, "down_since", NULL), a, sizeof a);
		iso_local(str_or(m, "next_connect", NULL), b, sizeof b);
		printf(_("modem %s: DOWN since %s, next try %s\n"), name, a, b);
	}
	json_t *pct = json_object_get(m, "signal_percent"), *dbm = json_object_get(m, "signal_dbm");
	if (json_is_integer(pct) && json_is_integer(dbm))
		printf(_("  signal      %lld%% (%lld dBm)\n"), (long long)json_integer_value(pct),
		    (long long)json_integer_value(dbm));
	else if (json_is_integer(pct))
		printf(_("  signal      %lld%%\n"), (long long)json_integer_value(pct));
	else
		printf(_("  signal      unknown\n"));
	char net[96], err[200];
	cli_clean(str_or(m, "network", _("unknown")), net, sizeof net);
	cli_clean(str_or(m, "last_error", _("none")), err, sizeof err);
	printf(_("  network     %s\n"), net);
	printf(_("  SIM         %s\n"), sim_words(str_or(m, "sim", NULL)));
	printf(_("  last error  %s\n"), err);
	iso_local(str_or(m, "last_poll", NULL), a, sizeof a);
	printf(_("  SMS         %lld received, %lld sent, %lld send failures, %lld reconnects "
	    "(since tinbaod started); inbox last read %s\n"),
	    (long long)json_integer_value(json_object_get(m, "received")),
	    (long long)json_integer_value(json_object_get(m, "sent")),
	    (long long)json_integer_value(json_object_get(m, "send_failures")),
	    (long long)json_integer_value(json_object_get(m, "reconnects")), a);
	if (json_is_true(json_object_get(m, "calling")))
		printf(_("  calls       ringing an officer now; %lld placed since tinbaod started\n"),
		    (long long)json_integer_value(json_object_get(m, "calls")));
	else if (json_is_true(json_object_get(m, "can_call")))
		printf(_("  calls       %lld placed since tinbaod started\n"),
		    (long long)json_integer_value(json_object_get(m, "calls")));
	else {
		char note[120];
		/* tinbaod's notes are fixed English phrases (modem_call.c) */
		cli_clean(_(str_or(m, "call_note", "?")), note, sizeof note);
		printf(_("  calls       cannot place calls (%s): calls go to another modem, or "
		    "become an SMS\n"), note);
	}
}

static int
modem_status(struct cli *c, int argc, char **argv)
{
	const char *what = "modem status";
	int json;
	int opts_rc = cli_listing_opts(argc, argv, what, 0, &json, NULL);
	if (opts_rc != CLI_OK)
		return opts_rc;
	json_t *doc;
	int rc = cli_ask_daemon(c, what, "modems", &doc);
	if (rc)
		return rc;
	json_t *modems = json_object_get(doc, "modems");
	if (json) {
		json_incref(modems);
		json_decref(doc);
		return cli_print_json(modems ? modems : json_array());
	}
	size_t i, down = 0;
	json_t *m;
	if (json_array_size(modems) == 0)
		printf(_("no modems in %s (add a [modem NAME] section)\n"), c->cfg->path);
	json_array_foreach(modems, i, m) {
		if (i)
			putchar('\n');
		show(m);
		down += !json_is_true(json_object_get(m, "connected"));
	}
	json_decref(doc);
	return down ? CLI_FAIL : CLI_OK;
}

int
cli_modem(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "status", modem_status }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, modem_usage, subs);
}
