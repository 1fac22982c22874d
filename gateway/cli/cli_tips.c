/* cli_tips — `tinbao tips`, `tip show`, `ack`, `close`.
 *
 * Never prints who sent a tip: a tip carries only a sealed address and a
 * pseudonym, and neither is read here. Text that came from outside (tips,
 * messages, names) goes through cli_put/cli_cell so that no control or
 * bidi-override character reaches the duty officer's terminal. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/category.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/messages.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/tipops.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

#define TIPS_EXCERPT_CHARS 50

static const char tips_usage[] =
    N_("usage: tinbao tips [--open] [--json]\n"
    "       tinbao tip show ID [--json]\n"
    "\n"
    "Lists tips, oldest first (--open: those not closed), or shows one tip with\n"
    "its messages and escalation history. ID is TB-7KM4Q9, tb7km4q9 or 7KM4Q9.\n"
    "Who sent a tip is never shown. Every read is an audit event (tinbao audit list).\n");

static const char ack_usage[] =
    N_("usage: tinbao ack ID --officer PHONE\n"
    "       tinbao close ID --officer PHONE [--note TEXT]\n"
    "\n"
    "Acknowledge or close a tip from the duty desk on behalf of an officer in the\n"
    "roster: the escalation stops and the citizen is told, as when the officer\n"
    "replies OK or XONG by SMS. ID is TB-7KM4Q9, tb7km4q9 or 7KM4Q9.\n"
    "--officer is required: the officer on whose behalf the desk acts. The audit\n"
    "trail records the desk's login and that officer.\n");

static int
tips_plain(const struct config *cfg, const struct tip *v, size_t n, int open_only)
{
	int idw = (int)strlen(cfg->tracking_prefix) + 1 + TRACKID_CODE_LEN;
	int64_t now = timeutil_now();
	if (n == 0) {
		fputs(open_only ? _("no open tips\n") : _("no tips\n"), stdout);
		return CLI_OK;
	}
	/* TRANSLATORS: the column heads of `tinbao tips` (keep them short) */
	const char *h_id = _("ID"), *h_at = _("RECEIVED"), *h_state = _("STATUS"),
	    *h_urg = _("URG"), *h_level = _("LEVEL"), *h_who = _("ACKNOWLEDGED BY / DUE"),
	    *h_cat = _("CATEGORY");
	int w_id = cli_width(h_id, idw), w_at = cli_width(h_at, 16), w_state = cli_width(h_state, 8),
	    w_urg = cli_width(h_urg, 3), w_level = cli_width(h_level, 5), w_who = cli_width(h_who, 22),
	    w_cat = cli_width(h_cat, 16);
	cli_cell(h_id, w_id);
	cli_cell(h_at, w_at);
	cli_cell(h_state, w_state);
	cli_cell(h_urg, w_urg);
	cli_cell(h_level, w_level);
	cli_cell(h_who, w_who);
	cli_cell(h_cat, w_cat);
	puts(_("TEXT"));
	for (size_t i = 0; i < n; i++) {
		char id[VIEW_ID_MAX], when[32], who[160], level[8];
		view_tip_id(cfg, v[i].code, id);
		timeutil_format_local(v[i].created_at, when, sizeof when);
		view_tip_owner(&v[i], now, who, sizeof who);
		snprintf(level, sizeof level, "%d", v[i].level);
		cli_cell(id, w_id);
		cli_cell(when, w_at);
		cli_cell(view_tip_state(&v[i]), w_state);
		cli_cell(v[i].urgent ? "!" : "", w_urg);
		cli_cell(level, w_level);
		cli_cell(who, w_who);
		cli_cell(category_name(v[i].category ? v[i].category : "khac"), w_cat);
		char *ex = text_truncate(v[i].text ? v[i].text : "", TIPS_EXCERPT_CHARS);
		cli_put(ex ? ex : "?", 1, 0);
		free(ex);
		putchar('\n');
	}
	return CLI_OK;
}

int
cli_tips(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "open", no_argument, NULL, 'o' }, { "json", no_argument, NULL, 'j' },
		{ NULL, 0, NULL, 0 },
	};
	int json = 0, open_only = 0, ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(tips_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "tips")) != -1) {
		if (ch == 'j')
			json = 1;
		else if (ch == 'o')
			open_only = 1;
		else
			return CLI_USAGE;
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "tips", _("unexpected argument \"%s\" (for one tip: tinbao "
		    "tip show ID)"), argv[optind]);
	if (cli_open(c, 0, "tips") < 0)
		return CLI_FAIL;
	struct tip *v;
	size_t n;
	if (db_tip_list(c->db, open_only, SIZE_MAX, &v, &n) < 0)
		return cli_error(CLI_FAIL, "tips", "%s", db_errmsg(c->db));
	int rc;
	const char **codes = calloc(n ? n : 1, sizeof *codes);
	for (size_t i = 0; codes && i < n; i++)
		codes[i] = v[i].code;
	if (!codes || cli_audit_reads(c, open_only ? "tips --open" : "tips", codes, n) < 0) {
		rc = codes ? CLI_FAIL : cli_error(CLI_FAIL, "tips", _("out of memory"));
	} else if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, view_tip_json(c->cfg, &v[i]));
		rc = cli_print_json(arr);
	} else {
		rc = tips_plain(c->cfg, v, n, open_only);
	}
	free(codes);
	tips_free(v, n);
	return rc;
}

/* A tracking ID from the command line (surrounding spaces ignored). 0, or -1
 * after printing a usage error. */
static int
parse_id(struct cli *c, const char *what, const char *arg, char code[TRACKID_CODE_LEN + 1])
{
	const char *s = arg + strspn(arg, " \t");
	size_t len = strlen(s);
	while (len && (s[len - 1] == ' ' || s[len - 1] == '\t'))
		len--;
	if (trackid_parse(c->cfg->tracking_prefix, s, len, code, NULL) < 0) {
		cli_error(CLI_USAGE, what, _("\"%s\" is not a tracking ID (like %s-7KM4Q9; "
		    "check for a mistyped character)"), arg, c->cfg->tracking_prefix);
		return -1;
	}
	return 0;
}

static void
show_line(const char *label, const char *value)
{
	printf("  ");
	cli_cell(label, 13);
	cli_put(value, 0, 16);
	putchar('\n');
}

/* Why a tip moved, in the reader's language: the reasons tinbaod stores
 * (escalate.c) are read back; any other text is shown as it is. */
static void
escalation_reason(const char *stored, char *out, size_t outsz)
{
	long long secs;
	int used = 0;
	if (!stored) {
		snprintf(out, outsz, "?");
	} else if (strcmp(stored, "repeat") == 0) {
		snprintf(out, outsz, "%s", _("still nobody acknowledged: every level reminded"));
	} else if (strcmp(stored, "nobody on duty") == 0) {
		snprintf(out, outsz, "%s", _("it waited: nobody was on duty"));
	} else if (sscanf(stored, "no acknowledgement after %llds%n", &secs, &used) == 1 &&
	    used > 0) {
		char span[32];
		if (secs >= 120)
			snprintf(span, sizeof span, _("%lld min"), secs / 60);
		else
			snprintf(span, sizeof span, _("%lld s"), secs);
		snprintf(out, outsz, _("no acknowledgement after %s"), span);
		if (strstr(stored + used, "levels skipped")) {
			size_t len = strlen(out);
			snprintf(out + len, outsz - len, "%s",
			    _("; levels skipped: nobody on duty"));
		}
	} else {
		snprintf(out, outsz, "%s", stored);
	}
}

/* Who wrote a message of the tip, in a few words. */
static const char *
message_from(const struct tip_message *m)
{
	if (strcmp(m->direction, "in") == 0)
		return _("citizen");
	if (strcmp(m->direction, "out") == 0)
		return _("to citizen");
	return m->officer_name ? m->officer_name : _("note");
}

/* The legal clocks as tipclock_of() left them: deadline, then where each
 * stands. */
static void
show_clocks(const struct tipclock *clk)
{
	/* TRANSLATORS: the legal clocks of a tip, in a column 8 characters wide */
	static const char *const names[] = { N_("pass on"), N_("notice"), N_("settle") };
	const struct tipclock_one *c[] = { &clk->pass_on, &clk->notice, &clk->settle };
	printf("\n%s\n", _("Legal clocks:"));
	int w = 8;
	for (int k = 0; k < 3; k++)
		w = cli_width(_(names[k]), w);
	for (int k = 0; k < 3; k++) {
		char due[48], state[64];
		view_clock_due(c[k], due, sizeof due);
		view_clock_state(clk, c[k], state, sizeof state);
		printf("  ");
		cli_cell(_(names[k]), w);
		cli_cell(due, 25);
		fputs(state, stdout);
		if (k == 0 && clk->passed_to) {
			printf("%s", _(", to "));
			cli_put(clk->passed_to, 1, 0);
			if (clk->passed_by) {
				printf(" (%s ", _("recorded by"));
				cli_put(clk->passed_by, 1, 0);
				putchar(')');
			}
		}
		putchar('\n');
	}
}

static void
show_plain(const struct config *cfg, const struct tip *t, const struct tip_message *m, size_t nm,
    const struct escalation *e, size_t ne, const struct tipclock *clk)
{
	char id[VIEW_ID_MAX], buf[40], line[400];
	int64_t now = timeutil_now();
	view_tip_id(cfg, t->code, id);
	printf(_("Tip %s"), id);
	if (t->urgent)
		printf("  [%s]", _("URGENT"));
	if (t->partial)
		printf("  [%s]", _("parts of the SMS missing"));
	putchar('\n');
	snprintf(line, sizeof line, _("%s, level %d (%s)"), view_tip_status(t), t->level,
	    view_level_name(t->level));
	show_line(_("status"), line);
	timeutil_format_local(t->created_at, buf, sizeof buf);
	snprintf(line, sizeof line, _("%s via %s (sender protected)"), buf,
	    msg_channel_name(t->channel));
	show_line(_("received"), line);
	if (t->category)
		show_line(_("category"), category_name(t->category));
	if (t->status == TIP_NEW && t->waiting) {
		show_line(_("WAITING"), _("nobody is on duty at any level: add a shift"));
	} else if (t->status == TIP_NEW && t->next_deadline) {
		long long min = (long long)((t->next_deadline - now) / 60);
		timeutil_format_local(t->next_deadline, buf, sizeof buf);
		if (t->next_deadline >= now)
			snprintf(line, sizeof line, _("%s (in %lld min)"), buf, min);
		else
			snprintf(line, sizeof line, _("%s (OVERDUE by %lld min)"), buf, -min);
		show_line(_("answer due"), line);
	}
	if (t->acked_at) {
		timeutil_format_local(t->acked_at, buf, sizeof buf);
		snprintf(line, sizeof line, _("%s by %s"), buf, t->acked_by_name ? t->acked_by_name :
		    "?");
		show_line(_("acknowledged"), line);
	}
	if (t->closed_at) {
		timeutil_format_local(t->closed_at, buf, sizeof buf);
		snprintf(line, sizeof line, _("%s by %s"), buf,
		    t->closed_by_name ? t->closed_by_name : "?");
		show_line(_("closed"), line);
		if (t->close_note && *t->close_note)
			show_line(_("note"), t->close_note);
	}
	show_clocks(clk);
	printf("\n%s\n", _("Messages:"));
	int w_from = cli_width(_("to citizen"), cli_width(_("citizen"), 16));
	if (nm == 0)
		printf("  %s\n", _("(none)"));
	for (size_t i = 0; i < nm; i++) {
		timeutil_format_local(m[i].at, buf, sizeof buf);
		printf("  %s  ", buf);
		cli_cell(message_from(&m[i]), w_from);
		cli_put(m[i].text, 0, 21 + w_from);
		putchar('\n');
	}
	printf("\n%s\n", _("Escalations:"));
	if (ne == 0)
		printf("  %s\n", _("(none)"));
	for (size_t i = 0; i < ne; i++) {
		char why[200];
		timeutil_format_local(e[i].at, buf, sizeof buf);
		escalation_reason(e[i].reason, why, sizeof why);
		printf("  %s  ", buf);
		if (e[i].from_level == e[i].to_level)
			printf(_("level %d notified again"), e[i].to_level);
		else
			printf(_("level %d -> %d"), e[i].from_level, e[i].to_level);
		printf(" (");
		cli_put(why, 1, 0);
		printf(")\n");
	}
}

int
cli_tip(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "json", no_argument, NULL, 'j' }, { NULL, 0, NULL, 0 },
	};
	const char *what = "tip show";
	int json = 0, ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(tips_usage), stdout);
		return CLI_OK;
	}
	if (argc < 2 || strcmp(argv[1], "show") != 0)
		return cli_error(CLI_USAGE, "tip", _("usage: tinbao tip show ID [--json]"));
	optind = 0;
	while ((ch = cli_getopt(argc - 1, argv + 1, opts, what)) != -1) {
		if (ch != 'j')
			return CLI_USAGE;
		json = 1;
	}
	if (optind != argc - 2)
		return cli_error(CLI_USAGE, what, _("usage: tinbao tip show ID [--json]"));
	char code[TRACKID_CODE_LEN + 1], id[VIEW_ID_MAX];
	if (parse_id(c, what, argv[1 + optind], code) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	struct tip t;
	int found = db_tip_by_code(c->db, code, &t);
	if (found < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	view_tip_id(c->cfg, code, id);
	if (found == 0)
		return cli_error(CLI_FAIL, what, _("no tip %s"), id);
	if (cli_audit_read(c, t.id, json ? "tip show --json" : "tip show") < 0) {
		tip_clear(&t);
		return CLI_FAIL;
	}
	struct tip_message *m = NULL;
	struct escalation *e = NULL;
	struct attachment *a = NULL;
	size_t nm = 0, ne = 0, na = 0;
	struct tipclock_holidays hol = { 0 };
	struct tipclock clk;
	int rc = CLI_OK;
	if (db_tip_messages(c->db, t.id, &m, &nm) < 0 || db_escalations(c->db, t.id, &e, &ne) < 0 ||
	    db_tip_attachments(c->db, t.id, &a, &na) < 0 || tipclock_holidays_load(c->db, &hol) < 0) {
		rc = cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	} else if (json) {
		tipclock_of(&t, &hol, timeutil_now(), &clk);
		struct view_tip_detail d = { .messages = m, .n_messages = nm, .escalations = e,
		    .n_escalations = ne, .attachments = a, .n_attachments = na, .clock = &clk };
		json_t *o = view_tip_detail_json(c->cfg, &t, &d);
		rc = cli_print_json(o);
	} else {
		tipclock_of(&t, &hol, timeutil_now(), &clk);
		show_plain(c->cfg, &t, m, nm, e, ne, &clk);
		if (na)
			printf("\n%s\n", _("Attachments:"));
		for (size_t i = 0; i < na; i++) {
			printf("  ");
			cli_cell(a[i].kind ? a[i].kind : "?", 8);
			if (a[i].state && strcmp(a[i].state, "fetched") == 0)
				printf(_("kept, %lld bytes%s"), (long long)a[i].size,
				    a[i].content_type ? ", " : "");
			else if (a[i].state && strcmp(a[i].state, "pending") == 0)
				printf("%s ", _("not fetched yet"));
			else if (a[i].state && strcmp(a[i].state, "failed") == 0)
				printf("%s ", _("could not be fetched:"));
			else
				printf("%s ", a[i].state ? a[i].state : "?");
			cli_put(a[i].content_type && strcmp(a[i].state, "fetched") == 0 ?
			    a[i].content_type : a[i].error ? a[i].error : "", 1, 0);
			putchar('\n');
		}
	}
	tipclock_holidays_free(&hol);
	tip_messages_free(m, nm);
	escalations_free(e, ne);
	attachments_free(a, na);
	tip_clear(&t);
	return rc;
}

/* What the desk is told after ack or close: done for whom, or what was
 * already so (and by whom and when). */
static int
ack_or_close_said(struct cli *c, const char *code, const char *id, int closing, int done,
    const char *officer, int64_t now)
{
	char when[40];
	struct tip t;
	if (done) {
		int told = 1;
		if (db_tip_by_code(c->db, code, &t) > 0) {
			told = t.sender_sealed && t.sender_sealed_len;
			tip_clear(&t);
		}
		timeutil_format_local(now, when, sizeof when);
		if (closing && told)
			printf(_("%s closed at %s for %s; the citizen has been told.\n"), id, when,
			    officer ? officer : "?");
		else if (closing)
			printf(_("%s closed at %s for %s; the tip has no reply address: the citizen "
			    "was not told.\n"), id, when, officer ? officer : "?");
		else if (told)
			printf(_("%s acknowledged at %s for %s; the citizen has been told and the "
			    "other officers stand down.\n"), id, when, officer ? officer : "?");
		else
			printf(_("%s acknowledged at %s for %s; the other officers stand down; the tip "
			    "has no reply address: the citizen was not told.\n"), id, when,
			    officer ? officer : "?");
		return CLI_OK;
	}
	int found = db_tip_by_code(c->db, code, &t);
	if (found <= 0)
		return found < 0 ? cli_error(CLI_FAIL, closing ? "close" : "ack", "%s",
		    db_errmsg(c->db)) : cli_error(CLI_FAIL, closing ? "close" : "ack",
		    _("no tip %s"), id);
	if (t.status == TIP_CLOSED) {
		timeutil_format_local(t.closed_at, when, sizeof when);
		printf(_("%s was already closed at %s by %s; nothing changed.\n"), id, when,
		    t.closed_by_name ? t.closed_by_name : "?");
	} else {
		timeutil_format_local(t.acked_at, when, sizeof when);
		printf(_("%s was already acknowledged at %s by %s; nothing changed.\n"), id, when,
		    t.acked_by_name ? t.acked_by_name : "?");
	}
	tip_clear(&t);
	return CLI_OK;
}

static int
ack_or_close(struct cli *c, int argc, char **argv, int closing)
{
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	const char *what = closing ? "close" : "ack";
	const char *phone = NULL, *note = NULL;
	int ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(ack_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'o': phone = optarg; break;
		case 'n':
			if (!closing)
				return cli_error(CLI_USAGE, what, _("--note is for close"));
			note = optarg;
			break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc - 1)
		return cli_error(CLI_USAGE, what, _("usage: tinbao %s ID --officer PHONE%s"), what,
		    closing ? " [--note TEXT]" : "");
	if (!phone)
		return cli_error(CLI_USAGE, what, _("--officer PHONE is required: the officer in the "
		    "roster on whose behalf the desk acts"));
	if (note && *note == '\0')
		note = NULL;
	if (note && !text_valid(note, TIPOPS_NOTE_MAX, 1))
		return cli_error(CLI_USAGE, what, _("--note must be 1-%d bytes of UTF-8 text"),
		    TIPOPS_NOTE_MAX);
	char code[TRACKID_CODE_LEN + 1], norm[PHONE_MAX], id[VIEW_ID_MAX];
	if (parse_id(c, what, argv[optind], code) < 0)
		return CLI_USAGE;
	if (cli_phone(what, phone, norm) < 0)
		return CLI_USAGE;
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	struct officer o;
	int found = cli_officer_found(c, what, norm, &o);
	if (found != CLI_OK)
		return found;
	/* the audit row names the desk's login and the officer it acted for */
	char who[128];
	audit_unix_user(who, sizeof who);
	int64_t now = timeutil_now();
	enum tipops_result r = closing ?
	    tipops_close(c->db, c->cfg, code, o.id, note, now, who, NULL, 0) :
	    tipops_ack(c->db, c->cfg, code, o.id, now, who, NULL, 0);
	view_tip_id(c->cfg, code, id);
	if (r == TIPOPS_ERROR) {
		const char *err = db_errmsg(c->db);
		officer_clear(&o);
		return cli_error(CLI_FAIL, what, "%s: %s", id, err && *err ? err : _("database error"));
	}
	if (r == TIPOPS_UNKNOWN) {
		officer_clear(&o);
		return cli_error(CLI_FAIL, what, _("no tip %s"), id);
	}
	int rc = ack_or_close_said(c, code, id, closing, r == TIPOPS_DONE, o.name, now);
	officer_clear(&o);
	return rc;
}

int
cli_ack(struct cli *c, int argc, char **argv)
{
	return ack_or_close(c, argc, argv, 0);
}

int
cli_close(struct cli *c, int argc, char **argv)
{
	return ack_or_close(c, argc, argv, 1);
}
