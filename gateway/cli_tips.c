/* cli_tips — `tinbao tips`, `tip show`, `ack`, `close`. Never prints who
 * sent a tip: tips carry only a sealed address and a pseudonym, and neither
 * is shown. */
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/messages.h"
#include "gateway/timeutil.h"
#include "gateway/tipops.h"
#include "gateway/trackid.h"

static const char tips_usage[] =
    "usage: tinbao tips [--open] [--json]\n"
    "       tinbao tip show ID [--json]\n"
    "\n"
    "Lists tips, oldest first (--open: those not closed), or shows one tip with\n"
    "its messages and escalation history. ID is TB-7KM4QX, tb7km4qx or 7KM4QX.\n"
    "Who sent a tip is never shown.\n";

static const char ack_usage[] =
    "usage: tinbao ack ID --officer PHONE\n"
    "       tinbao close ID --officer PHONE [--note TEXT]\n"
    "\n"
    "Acknowledge or close a tip from the duty desk on behalf of an officer in the\n"
    "roster: the escalation stops and the citizen is told, as when the officer\n"
    "replies OK or XONG by SMS.\n";

static json_t *
tip_json(const struct config *cfg, const struct tip *t)
{
	char id[24];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	json_t *o = json_object();
	json_object_set_new(o, "id", json_string(id));
	json_object_set_new(o, "status", json_string(tip_status_name(t->status)));
	json_object_set_new(o, "level", json_integer(t->level));
	json_object_set_new(o, "created_at", cli_json_time(t->created_at));
	json_object_set_new(o, "acked_at", cli_json_time(t->acked_at));
	json_object_set_new(o, "acked_by", cli_json_str(t->acked_by_name));
	json_object_set_new(o, "channel", json_string(t->channel));
	json_object_set_new(o, "category", json_string(t->category));
	json_object_set_new(o, "text", json_string(t->text));
	json_object_set_new(o, "urgent", json_boolean(t->urgent));
	json_object_set_new(o, "partial", json_boolean(t->partial));
	json_object_set_new(o, "closed_at", cli_json_time(t->closed_at));
	json_object_set_new(o, "closed_by", cli_json_str(t->closed_by_name));
	json_object_set_new(o, "next_deadline", cli_json_time(t->next_deadline));
	json_object_set_new(o, "waiting", json_boolean(t->waiting));
	return o;
}

static const char *
status_word(const struct tip *t)
{
	if (t->status == TIP_CLOSED)
		return "closed";
	if (t->status == TIP_ACKNOWLEDGED)
		return "acked";
	return t->waiting ? "WAITING" : "new";
}

int
cli_tips(struct cli *c, int argc, char **argv)
{
	int json = 0, open_only = 0;
	if (cli_wants_help(argc, argv)) {
		fputs(tips_usage, stdout);
		return CLI_OK;
	}
	for (int i = 1; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (strcmp(argv[i], "--open") == 0)
			open_only = 1;
		else
			return cli_error(CLI_USAGE, "tips", "unknown option %s", argv[i]);
	}
	if (cli_open(c, 1, "tips") < 0)
		return CLI_FAIL;
	struct tip *v;
	size_t n;
	if (db_tip_list(c->db, open_only, &v, &n) < 0)
		return cli_error(CLI_FAIL, "tips", "%s", db_errmsg(c->db));
	if (json) {
		json_t *arr = json_array();
		for (size_t i = 0; i < n; i++)
			json_array_append_new(arr, tip_json(c->cfg, &v[i]));
		tips_free(v, n);
		return cli_print_json(arr);
	}
	if (n == 0)
		printf("no %stips\n", open_only ? "open " : "");
	else
		printf("%-10s %-16s %-8s %-5s %-3s %-20s %s\n", "ID", "RECEIVED", "STATUS", "LEVEL",
		    "URG", "ACKNOWLEDGED BY", "TEXT");
	for (size_t i = 0; i < n; i++) {
		char id[24], when[32], excerpt[200];
		trackid_format(c->cfg->tracking_prefix, v[i].code, id, sizeof id);
		timeutil_format_local(v[i].created_at, when, sizeof when);
		/* one line per tip: cut at a character boundary near 60 bytes */
		size_t len = strlen(v[i].text), cut = len < 60 ? len : 60;
		while (cut < len && ((unsigned char)v[i].text[cut] & 0xC0) == 0x80)
			cut++;
		snprintf(excerpt, sizeof excerpt, "%.*s%s", (int)cut, v[i].text, cut < len ? "…" : "");
		for (char *p = excerpt; *p; p++)
			if (*p == '\n')
				*p = ' ';
		printf("%-10s %-16s %-8s %-5d %-3s ", id, when, status_word(&v[i]), v[i].level,
		    v[i].urgent ? "!" : "");
		cli_cell(v[i].acked_by_name ? v[i].acked_by_name : "-", 20);
		printf("%s\n", excerpt);
	}
	tips_free(v, n);
	return CLI_OK;
}

static int
parse_id(struct cli *c, const char *what, const char *arg, char code[TRACKID_CODE_LEN + 1])
{
	if (trackid_parse(c->cfg->tracking_prefix, arg, strlen(arg), code, NULL) < 0) {
		cli_error(CLI_USAGE, what, "\"%s\" is not a tracking ID (like %s-7KM4QX)", arg,
		    c->cfg->tracking_prefix);
		return -1;
	}
	return 0;
}

static void
show_plain(const struct config *cfg, const struct tip *t, const struct tip_message *m, size_t nm,
    const struct escalation *e, size_t ne)
{
	char id[24], buf[40];
	trackid_format(cfg->tracking_prefix, t->code, id, sizeof id);
	printf("Tip %s%s%s\n", id, t->urgent ? "  [URGENT]" : "",
	    t->partial ? "  [parts of the SMS missing]" : "");
	timeutil_format_local(t->created_at, buf, sizeof buf);
	printf("  received      %s via %s (sender protected)\n", buf, msg_channel_name(t->channel));
	printf("  status        %s, level %d\n", tip_status_name(t->status), t->level);
	if (t->acked_at) {
		timeutil_format_local(t->acked_at, buf, sizeof buf);
		printf("  acknowledged  %s by %s\n", buf, t->acked_by_name ? t->acked_by_name : "?");
	}
	if (t->closed_at) {
		timeutil_format_local(t->closed_at, buf, sizeof buf);
		printf("  closed        %s by %s%s%s\n", buf, t->closed_by_name ? t->closed_by_name : "?",
		    t->close_note ? ": " : "", t->close_note ? t->close_note : "");
	}
	if (t->status == TIP_NEW && t->next_deadline) {
		timeutil_format_local(t->next_deadline, buf, sizeof buf);
		printf("  deadline      %s\n", buf);
	}
	if (t->waiting)
		printf("  WAITING       nobody is on duty at any level\n");
	printf("  category      %s\n", t->category);
	printf("\nMessages:\n");
	for (size_t i = 0; i < nm; i++) {
		timeutil_format_local(m[i].at, buf, sizeof buf);
		const char *who = strcmp(m[i].direction, "in") == 0 ? "citizen" :
		    strcmp(m[i].direction, "out") == 0 ? "to citizen" :
		    m[i].officer_name ? m[i].officer_name : "note";
		printf("  %s  %-12s %s\n", buf, who, m[i].text);
	}
	if (ne) {
		printf("\nEscalations:\n");
		for (size_t i = 0; i < ne; i++) {
			timeutil_format_local(e[i].at, buf, sizeof buf);
			if (e[i].from_level == e[i].to_level)
				printf("  %s  level %d re-notified (%s)\n", buf, e[i].to_level, e[i].reason);
			else
				printf("  %s  level %d -> %d (%s)\n", buf, e[i].from_level, e[i].to_level,
				    e[i].reason);
		}
	}
}

int
cli_tip(struct cli *c, int argc, char **argv)
{
	if (cli_wants_help(argc, argv)) {
		fputs(tips_usage, stdout);
		return CLI_OK;
	}
	if (argc < 3 || strcmp(argv[1], "show") != 0)
		return cli_error(CLI_USAGE, "tip", "usage: tinbao tip show ID [--json]");
	int json = 0;
	const char *idarg = NULL;
	for (int i = 2; i < argc; i++) {
		if (strcmp(argv[i], "--json") == 0)
			json = 1;
		else if (!idarg)
			idarg = argv[i];
		else
			return cli_error(CLI_USAGE, "tip show", "unexpected %s", argv[i]);
	}
	char code[TRACKID_CODE_LEN + 1];
	if (!idarg || parse_id(c, "tip show", idarg, code) < 0)
		return CLI_USAGE;
	if (cli_open(c, 1, "tip show") < 0)
		return CLI_FAIL;
	struct tip t;
	int found = db_tip_by_code(c->db, code, &t);
	if (found < 0)
		return cli_error(CLI_FAIL, "tip show", "%s", db_errmsg(c->db));
	if (found == 0)
		return cli_error(CLI_FAIL, "tip show", "no tip %s-%s", c->cfg->tracking_prefix, code);
	struct tip_message *m = NULL;
	struct escalation *e = NULL;
	size_t nm = 0, ne = 0;
	if (db_tip_messages(c->db, t.id, &m, &nm) < 0 || db_escalations(c->db, t.id, &e, &ne) < 0) {
		tip_clear(&t);
		return cli_error(CLI_FAIL, "tip show", "%s", db_errmsg(c->db));
	}
	int rc = CLI_OK;
	if (json) {
		json_t *o = tip_json(c->cfg, &t);
		json_object_set_new(o, "close_note", cli_json_str(t.close_note));
		json_t *ms = json_array(), *es = json_array();
		for (size_t i = 0; i < nm; i++)
			json_array_append_new(ms, json_pack("{s:s, s:o, s:s, s:o}", "direction",
			    m[i].direction, "at", cli_json_time(m[i].at), "text", m[i].text, "officer",
			    cli_json_str(m[i].officer_name)));
		for (size_t i = 0; i < ne; i++)
			json_array_append_new(es, json_pack("{s:i, s:i, s:o, s:s}", "from_level",
			    e[i].from_level, "to_level", e[i].to_level, "at", cli_json_time(e[i].at),
			    "reason", e[i].reason));
		json_object_set_new(o, "messages", ms);
		json_object_set_new(o, "escalations", es);
		rc = cli_print_json(o);
	} else {
		show_plain(c->cfg, &t, m, nm, e, ne);
	}
	tip_messages_free(m, nm);
	escalations_free(e, ne);
	tip_clear(&t);
	return rc;
}

static int
ack_or_close(struct cli *c, int argc, char **argv, int closing)
{
	const char *what = closing ? "close" : "ack";
	static const struct option opts[] = {
		{ "officer", required_argument, NULL, 'o' }, { "note", required_argument, NULL, 'n' },
		{ NULL, 0, NULL, 0 },
	};
	if (cli_wants_help(argc, argv)) {
		fputs(ack_usage, stdout);
		return CLI_OK;
	}
	const char *phone = NULL, *note = NULL;
	int ch;
	optind = 0;
	while ((ch = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (ch) {
		case 'o': phone = optarg; break;
		case 'n':
			if (!closing)
				return cli_error(CLI_USAGE, what, "--note is for close");
			note = optarg;
			break;
		default: return cli_error(CLI_USAGE, what, "see tinbao %s --help", what);
		}
	}
	if (optind != argc - 1 || !phone)
		return cli_error(CLI_USAGE, what, "usage: tinbao %s ID --officer PHONE%s", what,
		    closing ? " [--note TEXT]" : "");
	if (note && strlen(note) > 1000)
		return cli_error(CLI_USAGE, what, "--note is at most 1000 bytes");
	char code[TRACKID_CODE_LEN + 1], norm[40];
	if (parse_id(c, what, argv[optind], code) < 0)
		return CLI_USAGE;
	if (identity_phone_normalize(phone, norm, sizeof norm) < 0)
		return cli_error(CLI_USAGE, what, "\"%s\" is not a phone number", phone);
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	struct officer o;
	int found = db_officer_by_phone(c->db, norm, &o);
	if (found < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (found == 0)
		return cli_error(CLI_FAIL, what, "no officer with phone %s", norm);
	char reply[MSG_MAX];
	int64_t now = timeutil_now();
	enum tipops_result r = closing ?
	    tipops_close(c->db, c->cfg, code, o.id, note, now, 0, reply, sizeof reply) :
	    tipops_ack(c->db, c->cfg, code, o.id, now, 0, reply, sizeof reply);
	officer_clear(&o);
	if (r == TIPOPS_ERROR)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	if (r == TIPOPS_UNKNOWN)
		return cli_error(CLI_FAIL, what, "%s", reply);
	printf("%s\n", reply);
	return CLI_OK;
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
