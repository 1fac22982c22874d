/* audit — see audit.h. */
#include "gateway/audit.h"

#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/i18n.h"
#include "gateway/identity.h"

void
audit_init(void)
{
	db_audit_hasher(audit_hash);
}

/* The canonical form: a version tag, the numbers, then every string with
 * its length in front (so no two rows can serialise alike), then the
 * previous row's hash. */
void
audit_hash(const struct audit_row *r, const char *prev, char out[65])
{
	char head[160], lens[96];
	const char *detail = r->detail ? r->detail : "";
	snprintf(head, sizeof head, "tinbao-audit-v1\n%lld\n%lld\n%lld\n", (long long)r->id,
	    (long long)r->at, (long long)r->tip_id);
	snprintf(lens, sizeof lens, "%zu\n%zu\n%s%zu\n", strlen(r->actor), strlen(r->action),
	    r->detail ? "" : "null\n", strlen(detail));
	const void *parts[] = { head, lens, r->actor, "\n", r->action, "\n", detail, "\n", prev };
	size_t sizes[] = { strlen(head), strlen(lens), strlen(r->actor), 1, strlen(r->action), 1,
	    strlen(detail), 1, strlen(prev) };
	identity_sha256_hex(parts, sizes, sizeof parts / sizeof parts[0], out);
}

/* The walk: a row that does not verify is held until the next row tells
 * whether it was slipped in (the next row chains to the one before it) or
 * changed. */
struct walk {
	struct audit_verdict *v;
	int started;
	int64_t last_id;
	char prev[65];            /* hash of the last good row */
	int suspect;              /* v->row failed; waiting for the next row */
	char suspect_hash[65];
};

static int
walk_row(const struct audit_row *r, void *arg)
{
	struct walk *w = arg;
	struct audit_verdict *v = w->v;
	char want[65];
	v->rows++;
	v->head_id = r->id;
	snprintf(v->head_hash, sizeof v->head_hash, "%s", r->hash ? r->hash : "");
	if (w->suspect) {
		/* Inserted: this row chains to the one before the suspect, as it
		 * stands or as it stood before the rows after the insertion were
		 * renumbered to make room. */
		struct audit_row was = *r;
		was.id = r->id - 1;
		int chains = 0;
		audit_hash(r, w->prev, want);
		chains |= r->hash && strcmp(want, r->hash) == 0;
		audit_hash(&was, w->prev, want);
		chains |= r->hash && strcmp(want, r->hash) == 0;
		v->fault = chains ? AUDIT_INSERTED : AUDIT_EDITED;
		return 1;
	}
	if (!w->started && !r->hash && r->id == w->last_id + 1) {
		v->legacy++;              /* written before the chain existed */
		w->last_id = r->id;
		return 0;
	}
	w->started = 1;
	if (r->id != w->last_id + 1) {
		v->fault = AUDIT_DELETED;
		v->row = r->id;
		v->missing_from = w->last_id + 1;
		v->missing_to = r->id - 1;
		return 1;
	}
	w->last_id = r->id;
	if (!r->hash) {
		v->fault = AUDIT_INSERTED;
		v->row = r->id;
		return 1;
	}
	audit_hash(r, w->prev, want);
	if (strcmp(want, r->hash) != 0) {
		v->fault = AUDIT_EDITED;     /* unless the next row says otherwise */
		v->row = r->id;
		w->suspect = 1;
		snprintf(w->suspect_hash, sizeof w->suspect_hash, "%s", r->hash);
		return 0;
	}
	v->chained++;
	snprintf(w->prev, sizeof w->prev, "%s", r->hash);
	return 0;
}

int
audit_verify(struct db *db, struct audit_verdict *v)
{
	memset(v, 0, sizeof *v);
	struct walk w = { .v = v };
	int rc = db_audit_each(db, 0, NULL, walk_row, &w);
	return rc < 0 ? -1 : 0;
}

const char *
audit_fault_name(enum audit_fault f)
{
	switch (f) {
	case AUDIT_INTACT: return "intact";
	case AUDIT_EDITED: return "edited";
	case AUDIT_INSERTED: return "inserted";
	case AUDIT_DELETED: return "deleted";
	}
	return "?";
}

void
audit_verdict_text(const struct audit_verdict *v, char *out, size_t outsz)
{
	char legacy[96] = "";
	if (v->legacy)
		snprintf(legacy, sizeof legacy, _(" (the first %lld from before the chain, not "
		    "protected)"), (long long)v->legacy);
	switch (v->fault) {
	case AUDIT_INTACT:
		snprintf(out, outsz, _("%lld rows, chain intact%s"), (long long)v->rows, legacy);
		break;
	case AUDIT_EDITED:
		snprintf(out, outsz, _("row %lld was edited: its content no longer matches its hash "
		    "(rows before it verify)"), (long long)v->row);
		break;
	case AUDIT_INSERTED:
		snprintf(out, outsz, _("row %lld was inserted outside tinbao: it is not part of the "
		    "chain"), (long long)v->row);
		break;
	case AUDIT_DELETED:
		if (v->missing_from == v->missing_to)
			snprintf(out, outsz, _("row %lld was deleted (the chain breaks before row %lld)"),
			    (long long)v->missing_from, (long long)v->row);
		else
			snprintf(out, outsz, _("rows %lld-%lld were deleted (the chain breaks before row "
			    "%lld)"), (long long)v->missing_from, (long long)v->missing_to,
			    (long long)v->row);
		break;
	}
}

void
audit_unix_user(char *out, size_t outsz)
{
	struct passwd pw, *res = NULL;
	char buf[1024];
	uid_t uid = getuid();
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res)
		snprintf(out, outsz, "%s", res->pw_name);
	else
		snprintf(out, outsz, "uid %lu", (unsigned long)uid);
	const char *sudo = getenv("SUDO_USER");
	if (uid == 0 && sudo && *sudo && strlen(sudo) < 64 && strlen(out) + strlen(sudo) + 10 < outsz) {
		size_t n = strlen(out);
		snprintf(out + n, outsz - n, " (sudo: %s)", sudo);
	}
}
