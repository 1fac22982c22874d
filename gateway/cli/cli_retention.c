/* cli_retention — `tinbao retention run`: destroys the sealed reply
 * addresses of tips closed for longer than [gateway] retention. Prints
 * tracking IDs and counts, never an address. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/retention.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

static const char retention_usage[] =
    N_("usage: tinbao retention run [--dry-run] [--json] [--now \"YYYY-MM-DD HH:MM\"]\n"
    "\n"
    "Destroys the citizen's sealed reply address of every tip closed for longer\n"
    "than [gateway] retention (at least 120d, default 180d): on the tip, on its\n"
    "messages and on its outbox rows (a reply still queued fails), and of SMS\n"
    "parts and unrouted messages older than that. The tip's content stays. After\n"
    "this nothing can be sent to that citizen about those tips. tinbaod does the\n"
    "same once a day. Each tip is an audit event.\n"
    "\n"
    "  --dry-run   only list what would be destroyed\n"
    "  --json      machine-readable output\n"
    "  --now T     act as if it were T (local time): to preview a date with\n"
    "              --dry-run, or in tests. A run with --now is audited as such.\n");

static int
retention_cmd(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "dry-run", no_argument, NULL, 'n' }, { "json", no_argument, NULL, 'j' },
		{ "now", required_argument, NULL, 't' }, { NULL, 0, NULL, 0 },
	};
	const char *what = "retention run";
	int json = 0, dry = 0, ch;
	int64_t now = timeutil_now();
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		switch (ch) {
		case 'n': dry = 1; break;
		case 'j': json = 1; break;
		case 't':
			if (timeutil_parse_local(optarg, &now) < 0)
				return cli_error(CLI_USAGE, what, _("--now wants \"YYYY-MM-DD HH:MM\""));
			break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind]);
	if (cli_open(c, dry, what) < 0)      /* a dry run only reads */
		return CLI_FAIL;
	struct retention_report rep;
	char err[300];
	int rc = retention_run(c->db, c->cfg, now, dry, now == timeutil_now() ? "tinbao" :
	    "tinbao --now", &rep, err, sizeof err);
	if (rc < 0)
		cli_error(CLI_FAIL, what, _("%s (what was listed before this was done)"), err);
	char cutoff[40];
	timeutil_format_local(rep.cutoff, cutoff, sizeof cutoff);
	if (json) {
		json_t *o = json_object(), *arr = json_array();
		for (size_t i = 0; i < rep.ntips; i++) {
			char id[48];
			trackid_format(c->cfg->tracking_prefix, rep.tips[i].code, id, sizeof id);
			json_array_append_new(arr, json_string(id));
		}
		json_object_set_new(o, "dry_run", json_boolean(dry));
		json_object_set_new(o, "closed_before", view_json_time(rep.cutoff));
		json_object_set_new(o, "tips", arr);
		json_object_set_new(o, "inbound", json_integer(rep.counts.inbound));
		json_object_set_new(o, "outbox", json_integer(rep.counts.outbox));
		json_object_set_new(o, "sms_parts", json_integer(rep.counts.parts));
		json_object_set_new(o, "other_messages", json_integer(rep.counts.loose));
		cli_print_json(o);
	} else {
		printf(dry ? _("would destroy the reply addresses of tips closed before %s:\n") :
		    _("destroyed the reply addresses of tips closed before %s:\n"), cutoff);
		for (size_t i = 0; i < rep.ntips; i++) {
			char id[48];
			trackid_format(c->cfg->tracking_prefix, rep.tips[i].code, id, sizeof id);
			printf("  %s\n", id);
		}
		printf(_("%zu tips, %lld messages and %lld outbox rows of theirs; %lld SMS parts and "
		    "%lld other messages older than that\n"), rep.ntips,
		    (long long)rep.counts.inbound, (long long)rep.counts.outbox,
		    (long long)rep.counts.parts, (long long)rep.counts.loose);
	}
	retention_report_clear(&rep);
	return rc < 0 ? CLI_FAIL : CLI_OK;
}

int
cli_retention(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "run", retention_cmd }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, retention_usage, subs);
}
