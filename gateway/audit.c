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

/* The canonical form. v1: a version tag, the numbers, then every string
 * with its length in front (so no two rows can serialise alike), then the
 * previous row's hash:
 *   "tinbao-audit-v1\n" ID "\n" AT "\n" TIP "\n"            (TIP 0: none)
 *   len(actor) "\n" len(action) "\n" ["null\n"] len(detail) "\n"
 *   actor "\n" action "\n" detail "\n" prev
 * ("null\n" only when detail is NULL, then detail is ""). v2, for a row with
 * an officer or seals: the tag "tinbao-audit-v2", and after len(detail)
 * also ["null\n"] len(officer) "\n" ["null\n"] len(seals) "\n", and after
 * detail "\n" also officer "\n" seals "\n", then prev. reads and last_at
 * are not in it: a later row's seals carry them. */
void
audit_hash(const struct audit_row *r, const char *prev, char out[65])
{
	char head[160], lens[160];
	const char *detail = r->detail ? r->detail : "";
	const char *officer = r->officer ? r->officer : "", *seals = r->seals ? r->seals : "";
	int v2 = r->officer || r->seals;
	snprintf(head, sizeof head, "tinbao-audit-v%d\n%lld\n%lld\n%lld\n", v2 ? 2 : 1,
	    (long long)r->id, (long long)r->at, (long long)r->tip_id);
	size_t n = (size_t)snprintf(lens, sizeof lens, "%zu\n%zu\n%s%zu\n", strlen(r->actor),
	    strlen(r->action), r->detail ? "" : "null\n", strlen(detail));
	if (v2)
		snprintf(lens + n, sizeof lens - n, "%s%zu\n%s%zu\n", r->officer ? "" : "null\n",
		    strlen(officer), r->seals ? "" : "null\n", strlen(seals));
	const void *parts[] = { head, lens, r->actor, "\n", r->action, "\n", detail, "\n",
		officer, "\n", seals, "\n", prev };
	size_t sizes[] = { strlen(head), strlen(lens), strlen(r->actor), 1, strlen(r->action), 1,
		strlen(detail), 1, strlen(officer), 1, strlen(seals), 1, strlen(prev) };
	if (!v2) {          /* v1: no officer, no seals */
		parts[8] = prev;
		sizes[8] = strlen(prev);
		identity_sha256_hex(parts, sizes, 9, out);
		return;
	}
	identity_sha256_hex(parts, sizes, sizeof parts / sizeof parts[0], out);
}

int
audit_read(struct db *db, int64_t at, const char *actor, const char *officer, int64_t tip_id,
    const char *detail)
{
	return db_audit_read(db, at, actor, officer, tip_id, detail, AUDIT_READ_WINDOW,
	    AUDIT_OPEN_MAX);
}

/* A row whose reads were counted, until a later row seals its count. */
struct counting {
	int64_t id, at, reads, last_at;
};

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
	struct counting open[AUDIT_OPEN_MAX];
	size_t nopen;
};

static int
recounted(struct audit_verdict *v, int64_t row, int64_t by)
{
	v->fault = AUDIT_RECOUNTED;
	v->row = row;
	v->sealed_by = by;
	return 1;
}

/* The counts of reads against the seals of the verified row r (see
 * audit.h): 0 to go on, 1 with the fault in v. */
static int
check_reads(struct walk *w, const struct audit_row *r)
{
	struct audit_verdict *v = w->v;
	const char *p = r->seals ? r->seals : "";
	while (*p) {
		char *end;
		long long id = strtoll(p, &end, 10), reads, last;
		if (end == p || *end != ':')
			return recounted(v, r->id, 0);
		reads = strtoll(end + 1, &end, 10);
		if (*end != ':')
			return recounted(v, r->id, 0);
		last = strtoll(end + 1, &end, 10);
		if (*end != ';')
			return recounted(v, r->id, 0);
		p = end + 1;
		size_t k = 0;
		while (k < w->nopen && w->open[k].id != id)
			k++;
		if (k == w->nopen || w->open[k].reads != reads || w->open[k].last_at != last)
			return recounted(v, id, r->id);        /* sealed as it no longer is */
		w->open[k] = w->open[--w->nopen];
	}
	/* a row still counting was counting when r came: r is no later than
	 * its last read */
	for (size_t k = 0; k < w->nopen; k++)
		if (r->at > w->open[k].last_at)
			return recounted(v, w->open[k].id, 0);
	if (r->reads == 1 && r->last_at == 0)
		return 0;
	if (r->reads < 2 || r->last_at < r->at || r->last_at > r->at + AUDIT_READ_WINDOW ||
	    w->nopen == AUDIT_OPEN_MAX)
		return recounted(v, r->id, 0);
	w->open[w->nopen++] = (struct counting){ r->id, r->at, r->reads, r->last_at };
	return 0;
}

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
	return check_reads(w, r);
}

int
audit_verify(struct db *db, struct audit_verdict *v)
{
	memset(v, 0, sizeof *v);
	struct walk *w = calloc(1, sizeof *w);
	if (!w)
		return -1;
	w->v = v;
	int rc = db_audit_each(db, 0, NULL, walk_row, w);
	if (v->fault == AUDIT_INTACT)
		v->open = (int64_t)w->nopen;
	free(w);
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
	case AUDIT_RECOUNTED: return "reads_edited";
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
		if (v->open) {
			size_t n = strlen(out);
			snprintf(out + n, outsz > n ? outsz - n : 0, ngettext("; the count of repeated "
			    "reads on %lld row is not sealed until the next event", "; the counts of "
			    "repeated reads on %lld rows are not sealed until the next event",
			    (unsigned long)v->open), (long long)v->open);
		}
		break;
	case AUDIT_RECOUNTED:
		if (v->sealed_by)
			snprintf(out, outsz, _("row %lld was edited: its count of reads or their last "
			    "time is not what row %lld sealed"), (long long)v->row,
			    (long long)v->sealed_by);
		else
			snprintf(out, outsz, _("row %lld was edited: its count of reads or their last "
			    "time cannot be right (the rows after it say otherwise)"),
			    (long long)v->row);
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
