/* cli_oncall — `tinbao oncall`: who is on duty at each level now (or at
 * --at), which levels are empty, and where a new tip would go. The answer
 * is gateway/roster's, the rule the router escalates by. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/i18n.h"
#include "gateway/roster.h"
#include "gateway/timeutil.h"
#include "gateway/view.h"

static const char oncall_usage[] =
    N_("usage: tinbao oncall [--at \"YYYY-MM-DD HH:MM\"|now] [--json]\n"
    "\n"
    "Who is on duty at each level now (or at --at, local time; dd/mm/yyyy HH:MM\n"
    "works too): their shift and until when, the levels with nobody, and where a\n"
    "tip arriving then would go first. The router decides by the same rule.\n");

/* One officer on duty, as JSON: the officer, the shift, until when. */
static json_t *
duty_json(const struct roster_duty *d)
{
	json_t *o = json_object();
	json_object_set_new(o, "officer_phone", view_json_str(d->shift.officer_phone));
	json_object_set_new(o, "officer_name", view_json_str(d->shift.officer_name));
	json_object_set_new(o, "since", view_json_time(d->start));
	json_object_set_new(o, "until", view_json_time(d->end));
	json_object_set_new(o, "shift", view_shift_json(&d->shift));
	return o;
}

static int
oncall_json(int64_t at, const struct roster_duty *d, size_t n, int first, int found,
    int64_t next)
{
	json_t *root = json_object(), *levels = json_array(), *empty = json_array();
	json_object_set_new(root, "at", view_json_time(at));
	for (int level = 1; level <= ROSTER_LEVELS; level++) {
		json_t *officers = json_array();
		for (size_t i = 0; i < n; i++)
			if (d[i].shift.level == level)
				json_array_append_new(officers, duty_json(&d[i]));
		if (json_array_size(officers) == 0)
			json_array_append_new(empty, json_integer(level));
		json_array_append_new(levels, json_pack("{s:i, s:s, s:o}", "level", level, "name",
		    view_level_name(level), "officers", officers));
	}
	json_object_set_new(root, "levels", levels);
	json_object_set_new(root, "empty", empty);
	json_object_set_new(root, "first_level", first ? json_integer(first) : json_null());
	json_object_set_new(root, "next_start", view_json_time(found > 0 ? next : 0));
	return cli_print_json(root);
}

int
cli_oncall(struct cli *c, int argc, char **argv)
{
	const char *what = "oncall";
	int json = 0;
	int64_t at = -1;
	if (cli_wants_help(argc, argv)) {
		fputs(_(oncall_usage), stdout);
		return CLI_OK;
	}
	int opts_rc = cli_listing_opts(argc, argv, what, 1, &json, &at);
	if (opts_rc != CLI_OK)
		return opts_rc;
	if (at < 0)
		at = timeutil_now();
	if (cli_open(c, 1, what) < 0)
		return CLI_FAIL;
	struct roster_duty *d;
	size_t n;
	int64_t next = 0;
	if (roster_at(c->db, 0, at, &d, &n) < 0)
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	int first = 0, empty[ROSTER_LEVELS + 1] = { 0 };
	for (int level = ROSTER_LEVELS; level >= 1; level--) {
		empty[level] = 1;
		for (size_t i = 0; i < n; i++)
			if (d[i].shift.level == level)
				empty[level] = 0;
		if (!empty[level])
			first = level;
	}
	int found = first ? 0 : roster_next_start(c->db, at, &next);
	if (found < 0) {
		roster_duties_free(d, n);
		return cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
	}
	if (json) {
		int rc = oncall_json(at, d, n, first, found, next);
		roster_duties_free(d, n);
		return rc;
	}
	char when[32], until[48];
	timeutil_format_local(at, when, sizeof when);
	printf(_("On duty at %s:\n"), when);
	int w_level = 10;
	for (int l = 1; l <= ROSTER_LEVELS; l++)
		w_level = cli_width(view_level_name(l), w_level - 2) + 2;
	for (int level = 1; level <= ROSTER_LEVELS; level++) {
		char lv[64];
		int shown = 0;
		snprintf(lv, sizeof lv, "%d %s", level, view_level_name(level));
		for (size_t i = 0; i < n; i++) {
			if (d[i].shift.level != level)
				continue;
			char how[160], end[32];
			if (d[i].end) {
				timeutil_format_local(d[i].end, end, sizeof end);
				snprintf(until, sizeof until, _("until %s"), end);
			} else {
				snprintf(until, sizeof until, "%s", _("always"));
			}
			view_shift_when(&d[i].shift, how, sizeof how);
			fputs("  ", stdout);
			cli_cell(shown ? "" : lv, w_level);
			cli_cell(d[i].shift.officer_name, 24);
			cli_cell(d[i].shift.officer_phone, 14);
			cli_cell(until, 22);
			/* TRANSLATORS: the shift that puts an officer on duty: its id and
			 * when it runs ("Mon, Wed, Fri 07:00-19:00") */
			printf(_("shift %lld: %s\n"), (long long)d[i].shift.id, how);
			shown = 1;
		}
		if (!shown) {
			fputs("  ", stdout);
			cli_cell(lv, w_level);
			puts(_("(nobody)"));
		}
	}
	if (!first) {
		char nx[32];
		if (found) {
			timeutil_format_local(next, nx, sizeof nx);
			printf(_("NOBODY is on duty at any level: a tip would wait for the next shift "
			    "(%s).\n"), nx);
		} else {
			printf(_("NOBODY is on duty at any level, and no shift is planned: a tip would "
			    "wait (tinbao shift add).\n"));
		}
	} else {
		char list[64] = "";
		size_t len = 0, count = 0;
		for (int level = 1; level <= ROSTER_LEVELS; level++)
			if (empty[level]) {
				len += (size_t)snprintf(list + len, sizeof list - len, "%s%d", len ? ", " : "",
				    level);
				count++;
			}
		if (count)
			printf(ngettext("Empty: level %s. ", "Empty: levels %s. ", count), list);
		if (first == 1)
			printf(_("A new tip goes to level 1.\n"));
		else
			printf(_("A new tip goes straight to level %d.\n"), first);
	}
	roster_duties_free(d, n);
	return CLI_OK;
}
