/* cli_audit — `tinbao audit verify|list`, and the audit event every read of
 * a tip through the command line leaves (cli_audit_read). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

static const char audit_usage[] =
    N_("usage: tinbao audit verify [--json] [--anchor ID:HASH]\n"
    "       tinbao audit list [--tip ID] [--json]\n"
    "\n"
    "Every acknowledgement, escalation, close, receipt notice and every read of a\n"
    "tip (tip show, tips, due, book; and through tinbaod's admin API, actor \"api\",\n"
    "and desk page, actor \"desk page\" with the name typed at its login) is an\n"
    "audit event. Identical reads by the same actor within 10 minutes are one row\n"
    "with a count and the last time, sealed into the chain by the next event.\n"
    "Each event carries a SHA-256 hash over its content and the previous event's\n"
    "hash. list shows the tip's tracking ID and who acted: an officer (by SMS or\n"
    "Zalo), or the desk's login for the officer named with --officer.\n"
    "verify walks the chain and names the first row that was edited, inserted or\n"
    "deleted (exit 1); otherwise it prints \"N rows, chain intact\" (exit 0).\n"
    "tinbaod logs the chain head (\"audit chain head: row N hash H\") once a day:\n"
    "--anchor N:H checks that row N still has that hash, which also catches rows\n"
    "deleted from the end or a chain recomputed by someone who edited it.\n");

int
cli_audit_read(struct cli *c, int64_t tip_id, const char *detail)
{
	char who[128];
	audit_unix_user(who, sizeof who);
	if (audit_read(c->db, timeutil_now(), who, NULL, tip_id, detail) < 0) {
		cli_error(CLI_FAIL, "audit", _("cannot record this read, nothing shown: %s"),
		    db_errmsg(c->db));
		return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ verify */

struct anchor_check {
	int64_t id;
	const char *hash;
	int found, match;
};

static int
anchor_row(const struct audit_row *r, void *arg)
{
	struct anchor_check *a = arg;
	if (r->id != a->id)
		return 0;
	a->found = 1;
	a->match = r->hash && strcmp(r->hash, a->hash) == 0;
	return 1;
}

static int
audit_verify_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "anchor", required_argument, NULL, 'a' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, ch;
	const char *anchor = NULL;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "audit verify")) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'a')
			anchor = optarg;
		else
			return CLI_USAGE;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "audit verify", _("usage: tinbao audit verify [--json] "
		    "[--anchor ID:HASH]"));
	struct anchor_check a = { 0 };
	if (anchor) {
		char *end;
		a.id = strtoll(anchor, &end, 10);
		if (end == anchor || *end != ':' || a.id <= 0 || strlen(end + 1) != 64 ||
		    strspn(end + 1, "0123456789abcdef") != 64)
			return cli_error(CLI_USAGE, "audit verify", _("--anchor wants ROW:HASH as tinbaod "
			    "logs it (the hash is 64 hex digits)"));
		a.hash = end + 1;
	}
	if (cli_open(c, 1, "audit verify") < 0)
		return CLI_FAIL;
	struct audit_verdict v;
	if (audit_verify(c->db, &v) < 0 ||
	    (anchor && db_audit_each(c->db, 0, NULL, anchor_row, &a) < 0))
		return cli_error(CLI_FAIL, "audit verify", "%s", db_errmsg(c->db));
	char text[300], anchor_text[160] = "";
	audit_verdict_text(&v, text, sizeof text);
	int bad = v.fault != AUDIT_INTACT;
	if (anchor && !a.found)
		snprintf(anchor_text, sizeof anchor_text, _("anchor row %lld is missing: rows were "
		    "deleted"), (long long)a.id);
	else if (anchor && !a.match)
		snprintf(anchor_text, sizeof anchor_text, _("anchor row %lld has another hash than "
		    "the one logged: the chain was rewritten"), (long long)a.id);
	bad |= *anchor_text != '\0';
	if (json) {
		json_t *o = json_pack("{s:b, s:I, s:I, s:s, s:s}", "intact", !bad, "rows",
		    (json_int_t)v.rows, "legacy", (json_int_t)v.legacy, "fault",
		    audit_fault_name(v.fault), "message", text);
		if (v.fault != AUDIT_INTACT)
			json_object_set_new(o, "row", json_integer(v.row));
		if (v.fault == AUDIT_DELETED)
			json_object_set_new(o, "missing", json_pack("[I, I]",
			    (json_int_t)v.missing_from, (json_int_t)v.missing_to));
		json_object_set_new(o, "head", json_pack("{s:I, s:s}", "row", (json_int_t)v.head_id,
		    "hash", v.head_hash));
		json_object_set_new(o, "open", json_integer(v.open));
		if (v.fault == AUDIT_RECOUNTED && v.sealed_by)
			json_object_set_new(o, "sealed_by", json_integer(v.sealed_by));
		if (anchor)
			json_object_set_new(o, "anchor", *anchor_text ? json_string(anchor_text) :
			    json_string("matches"));
		cli_print_json(o);
	} else {
		if (v.fault != AUDIT_INTACT || !*anchor_text)
			printf("%s\n", text);
		if (*anchor_text)
			printf("%s\n", anchor_text);
		else if (anchor)
			printf(_("anchor row %lld matches\n"), (long long)a.id);
	}
	return bad ? CLI_FAIL : CLI_OK;
}

/* -------------------------------------------------------------- list */

/* What an action code means, for people (the JSON keeps the code). */
static const struct {
	const char *code;
	const char *name;
} action_names[] = {
	/* TRANSLATORS: the events of the audit trail, in a column 22 wide */
	{ "tip.new", N_("new tip") },
	{ "tip.followup", N_("citizen added") },
	{ "tip.read", N_("read") },
	{ "tip.ack", N_("acknowledged") },
	{ "tip.close", N_("closed") },
	{ "tip.escalate", N_("escalated") },
	{ "tip.nobody_on_duty", N_("nobody on duty") },
	{ "tip.notice", N_("receipt notice") },
	{ "tip.pass", N_("passed on") },
	{ "tip.transfer", N_("handed over") },
	{ "relay.out", N_("question to tipster") },
	{ "relay.in", N_("tipster answered") },
	{ "relay.failed", N_("question not sent") },
	{ "officer.command", N_("officer's command") },
	{ "officer.refused", N_("refused: not theirs") },
	{ "sender.mute", N_("sender muted") },
	{ "sender.unmute", N_("sender unmuted") },
	{ "sender.rate_limited", N_("sender over limit") },
	{ "address_destroyed", N_("address destroyed") },
	{ "key_rotated", N_("key rotated") },
	{ "key_resealed", N_("values resealed") },
	{ "holiday.add", N_("holiday added") },
	{ "holiday.remove", N_("holiday removed") },
	{ "daily.summary", N_("daily summary") },
	{ "modem.down", N_("modem down: leaders told") },
	{ "modem.up", N_("modem back: leaders told") },
	{ "db.backup", N_("database backed up") },
	{ "db.restore", N_("database restored") },
	{ "outbox.collapsed", N_("backlog summarised") },
	{ "call.placed", N_("officer's phone rung") },
	{ "call.failed", N_("call not made") },
	{ "desk.ack", N_("acknowledged (desk)") },
	{ "desk.close", N_("closed (desk)") },
	{ "api.ack", N_("acknowledged (API)") },
	{ "api.close", N_("closed (API)") },
};

static const char *
action_name(const char *code)
{
	for (size_t i = 0; i < sizeof action_names / sizeof action_names[0]; i++)
		if (strcmp(code, action_names[i].code) == 0)
			return _(action_names[i].name);
	return code;
}

struct list_state {
	struct cli *c;
	json_t *arr;          /* --json */
	int64_t n;
	int w_tip;
};

static int
list_row(const struct audit_row *r, void *arg)
{
	struct list_state *s = arg;
	char when[40], tip[48] = "", who[320];
	s->n++;
	if (r->tip_code)
		trackid_format(s->c->cfg->tracking_prefix, r->tip_code, tip, sizeof tip);
	if (s->arr) {
		json_t *o = json_object();
		json_object_set_new(o, "row", json_integer(r->id));
		json_object_set_new(o, "at", view_json_time(r->at));
		json_object_set_new(o, "tip", *tip ? json_string(tip) : json_null());
		json_object_set_new(o, "action", view_json_str(r->action));
		json_object_set_new(o, "actor", view_json_str(r->actor));
		json_object_set_new(o, "officer", view_json_str(r->officer));
		json_object_set_new(o, "detail", view_json_str(r->detail));
		json_object_set_new(o, "reads", json_integer(r->reads));
		json_object_set_new(o, "last_at", view_json_time(r->reads > 1 ? r->last_at : 0));
		json_object_set_new(o, "hash", view_json_str(r->hash));
		json_array_append_new(s->arr, o);
		return 0;
	}
	/* "desk page" is ours to name; logins and officers' names are not */
	const char *actor = strcmp(r->actor, "desk page") == 0 ? _("desk page") : r->actor;
	if (r->officer && strcmp(r->action, "tip.read") == 0)
		/* TRANSLATORS: who read in the audit trail: "desk page" and the
		 * name typed at its login */
		snprintf(who, sizeof who, _("%s (%s)"), actor, r->officer);
	else if (r->officer)
		/* TRANSLATORS: who acted in the audit trail: the desk's login (or
		 * "api") on behalf of an officer */
		snprintf(who, sizeof who, _("%s for %s"), actor, r->officer);
	else
		snprintf(who, sizeof who, "%s", actor);
	timeutil_format_local(r->at, when, sizeof when);
	printf("%-6lld %s ", (long long)r->id, when);
	cli_cell(tip, s->w_tip);
	cli_cell(action_name(r->action), 22);
	cli_cell(who, 30);
	cli_put(r->detail ? r->detail : "", 1, 0);
	if (r->reads > 1) {
		char last[40];
		timeutil_format_hm(r->last_at, last, sizeof last);
		if (r->detail && *r->detail)
			putchar(' ');
		printf(ngettext("(read %lld time, the last at %s)", "(read %lld times, the last at %s)",
		    (unsigned long)r->reads), (long long)r->reads, last);
	}
	putchar('\n');
	return 0;
}

static int
audit_list_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { "tip", required_argument, NULL, 't' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, ch;
	const char *tiparg = NULL;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "audit list")) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 't')
			tiparg = optarg;
		else
			return CLI_USAGE;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "audit list", _("usage: tinbao audit list [--tip ID] [--json]"));
	char code[TRACKID_CODE_LEN + 1], id[48] = "";
	if (tiparg && trackid_parse(c->cfg->tracking_prefix, tiparg, strlen(tiparg), code, NULL) < 0)
		return cli_error(CLI_USAGE, "audit list", _("\"%s\" is not a tracking ID"), tiparg);
	if (cli_open(c, 1, "audit list") < 0)
		return CLI_FAIL;
	int64_t tip_id = 0;
	if (tiparg) {
		struct tip t;
		int found = db_tip_by_code(c->db, code, &t);
		if (found < 0)
			return cli_error(CLI_FAIL, "audit list", "%s", db_errmsg(c->db));
		trackid_format(c->cfg->tracking_prefix, code, id, sizeof id);
		if (found == 0)
			return cli_error(CLI_FAIL, "audit list", _("no tip %s"), id);
		tip_id = t.id;
		tip_clear(&t);
	}
	struct list_state s = { .c = c, .arr = json ? json_array() : NULL,
		.w_tip = cli_width(_("TIP"), (int)strlen(c->cfg->tracking_prefix) + 1 +
		    TRACKID_CODE_LEN) };
	if (!json) {
		/* TRANSLATORS: the column heads of `tinbao audit list` */
		cli_cell(_("ROW"), 6);
		cli_cell(_("AT"), 16);
		cli_cell(_("TIP"), s.w_tip);
		cli_cell(_("EVENT"), 22);
		cli_cell(_("WHO"), 30);
		puts(_("DETAIL"));
	}
	if (db_audit_each(c->db, tip_id, tiparg ? id : NULL, list_row, &s) < 0) {
		json_decref(s.arr);
		return cli_error(CLI_FAIL, "audit list", "%s", db_errmsg(c->db));
	}
	if (json)
		return cli_print_json(s.arr);
	if (s.n == 0)
		printf(_("(no events)\n"));
	return CLI_OK;
}

int
cli_audit(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "verify", audit_verify_cmd }, { "list", audit_list_cmd }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, audit_usage, subs);
}

#define CLI_AUDIT_DETAIL_MAX 4000

int
cli_audit_reads(struct cli *c, const char *what, const char *const *codes, size_t n)
{
	char detail[CLI_AUDIT_DETAIL_MAX + 64];
	size_t len = (size_t)snprintf(detail, sizeof detail, "%s: %zu tip%s", what, n,
	    n == 1 ? "" : "s");
	for (size_t i = 0; i < n; i++) {
		char id[TRACKID_TEXT_MAX];
		trackid_format(c->cfg->tracking_prefix, codes[i], id, sizeof id);
		if (len + strlen(id) + 2 > CLI_AUDIT_DETAIL_MAX) {
			snprintf(detail + len, sizeof detail - len, " and %zu more", n - i);
			break;
		}
		len += (size_t)snprintf(detail + len, sizeof detail - len, "%s%s", i ? ", " : " ", id);
	}
	return cli_audit_read(c, 0, detail);
}
