/* cli_sender — `tinbao sender mute|unmute ID`: stop (or restart) routing the
 * messages of whoever sent tip ID. The sender is found by the tip's
 * pseudonym, which is never printed; nobody sees their number or Zalo id. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/audit.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/phone.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"

static const char sender_usage[] =
    N_("usage: tinbao sender mute ID [--officer PHONE]\n"
    "       tinbao sender unmute ID [--officer PHONE]\n"
    "\n"
    "Mutes (or unmutes) whoever sent tip ID. A muted sender's messages are still\n"
    "stored but make no tip, reach no officer and get no reply. Nobody sees who\n"
    "the sender is: the database knows them by pseudonym only. --officer names who decided\n"
    "(for the audit trail, beside the desk's login, which is always recorded).\n");

static int
sender_set(struct cli *c, int argc, char **argv, int mute)
{
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { NULL, 0, NULL, 0 },
	};
	const char *what = mute ? "sender mute" : "sender unmute";
	const char *phone = NULL;
	int ch;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		if (ch != 'o')
			return CLI_USAGE;
		phone = optarg;
	}
	if (optind != argc - 1)
		return cli_error(CLI_USAGE, what, _("usage: tinbao %s ID [--officer PHONE]"), what);
	const char *arg = argv[optind];
	char code[TRACKID_CODE_LEN + 1], fid[40], norm[PHONE_MAX], actor[128], officer[160] = "";
	if (trackid_parse(c->cfg->tracking_prefix, arg, strlen(arg), code, NULL) < 0)
		return cli_error(CLI_USAGE, what, _("\"%s\" is not a tracking ID"), arg);
	trackid_format(c->cfg->tracking_prefix, code, fid, sizeof fid);
	if (phone && cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	if (phone) {
		struct officer o;
		int found = cli_officer_found(c, what, norm, &o);
		if (found != CLI_OK)
			return found;
		snprintf(officer, sizeof officer, "%s", o.name);
		officer_clear(&o);
	}
	audit_unix_user(actor, sizeof actor);
	int64_t now = timeutil_now();
	if (db_begin(c->db) < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	struct tip t;
	int found = db_tip_by_code(c->db, code, &t);
	if (found <= 0) {
		db_rollback(c->db);
		if (found < 0)
			return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
		return cli_error(CLI_FAIL, what, _("no tip %s"), fid);
	}
	int changed = mute ? db_sender_mute(c->db, t.pseudonym, *officer ? officer : actor, t.id,
	    now) :
	    db_sender_unmute(c->db, t.pseudonym);
	char detail[64];
	snprintf(detail, sizeof detail, "the sender of %s", fid);
	if (changed < 0 || (changed && db_audit_for(c->db, now, actor, *officer ? officer : NULL,
	    mute ? "sender.mute" : "sender.unmute", t.id, detail) < 0) || db_commit(c->db) < 0) {
		db_rollback(c->db);
		tip_clear(&t);
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	}
	tip_clear(&t);
	if (mute)
		printf(changed ? _("muted the sender of %s: their messages are kept but not routed "
		    "or answered\n") : _("the sender of %s was already muted\n"), fid);
	else
		printf(changed ? _("unmuted the sender of %s\n") : _("the sender of %s was not "
		    "muted\n"), fid);
	return CLI_OK;
}

static int
sender_mute(struct cli *c, int argc, char **argv)
{
	return sender_set(c, argc, argv, 1);
}

static int
sender_unmute(struct cli *c, int argc, char **argv)
{
	return sender_set(c, argc, argv, 0);
}

int
cli_sender(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "mute", sender_mute }, { "unmute", sender_unmute }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, sender_usage, subs);
}
