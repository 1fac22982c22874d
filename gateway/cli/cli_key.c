/* cli_key — `tinbao key rotate`: see keyrotate.h. Prints counts and the new
 * key's fingerprint, never a key or an address. */
#include <stdio.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/keyrotate.h"

int
cli_key_rotate(struct cli *c, int argc, char **argv)
{
	const char *what = "key rotate";
	int json;
	int opts_rc = cli_listing_opts(argc, argv, what, 0, &json, NULL);
	if (opts_rc != CLI_OK)
		return opts_rc;
	if (cli_open(c, 0, what) < 0)
		return CLI_FAIL;
	struct keyrotate_report rep;
	char err[512];
	int rc = keyrotate_run(c->db, c->cfg->key_file, &rep, err, sizeof err);
	if (rc < 0)
		return cli_error(CLI_FAIL, what, "%s", err);
	char fp[20];
	snprintf(fp, sizeof fp, "%016llx", (unsigned long long)rep.fingerprint);
	if (json) {
		json_t *o = json_object();
		json_object_set_new(o, "key", json_string(fp));
		json_object_set_new(o, "resealed", json_integer(rep.resealed));
		json_object_set_new(o, "values", json_integer(rep.seen));
		json_object_set_new(o, "unreadable", json_integer(rep.unreadable));
		json_object_set_new(o, "passes", json_integer(rep.passes));
		json_object_set_new(o, "daemon_confirmed", json_boolean(rep.daemon_confirmed));
		json_object_set_new(o, "keys_in_file", json_integer((json_int_t)rep.keys));
		cli_print_json(o);
	} else {
		printf(_("new sealing key %s: %lld values resealed in %d passes; %lld sealed values "
		    "in the database\n"), fp, (long long)rep.resealed, rep.passes, (long long)rep.seen);
		if (rep.daemon_confirmed)
			printf(_("tinbaod seals with the new key\n"));
		else
			printf(_("tinbaod did not confirm the new key within %ds (not running?); it "
			    "loads it when it starts\n"), KEYROTATE_WAIT_S);
		printf(_("the previous key stays in %s as retired (opens, never seals) until the "
		    "next rotation\n"), c->cfg->key_file);
	}
	if (rep.unreadable) {
		cli_error(CLI_FAIL, what, _("%lld sealed values open with no key in the file"),
		    (long long)rep.unreadable);
		return CLI_FAIL;
	}
	return CLI_OK;
}
