/* cli_backup — `tinbao backup` and `tinbao restore`: a copy of the database
 * taken while tinbaod runs (SQLite's online backup, db_backup.c), and that
 * copy put back, checked first, while tinbaod is stopped.
 *
 * The key file is never in a backup: it is backed up apart (README,
 * "Backups"), and restore checks that the key file in use opens the
 * backup's sealed addresses. Run as root on the service user's state, the
 * database side is done as that user and the backup file as root (struct
 * cli's runas). */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/identity.h"
#include "gateway/timeutil.h"

#define BACKUP_PREFIX "tinbao-"
#define BACKUP_SUFFIX ".db"
#define BACKUP_KEEP_MAX 10000
#define BACKUP_NAMES_MAX 4096

static const char backup_usage[] =
    N_("usage: tinbao backup FILE\n"
    "       tinbao backup DIRECTORY [--keep N]\n"
    "\n"
    "Copies the database while tinbaod runs (SQLite's online backup: one\n"
    "consistent moment), checks the copy, writes it mode 0600 and fsyncs it.\n"
    "FILE must not exist. Given a directory, the copy is named\n"
    "tinbao-YYYYMMDD-HHMMSS.db there, and --keep N removes all but the newest N\n"
    "such copies. The key file is not in the copy: back it up apart, never\n"
    "beside the copies (whoever has both reads every sealed reply address).\n"
    "The backup is an audit event.\n");

static const char restore_usage[] =
    N_("usage: tinbao restore FILE\n"
    "\n"
    "Puts a backup back as the database, while tinbaod is stopped (it refuses\n"
    "while tinbaod runs). First it checks the copy: PRAGMA integrity_check, its\n"
    "audit chain (as tinbao audit verify), and that the key file in use opens\n"
    "its sealed reply addresses. The database it replaces is kept beside it as\n"
    "DATABASE.before-restore-YYYYMMDD-HHMMSS. The restore is an audit event.\n");

static void
stamp(char *out, size_t outsz)
{
	time_t now = time(NULL);
	struct tm tm;
	localtime_r(&now, &tm);
	strftime(out, outsz, "%Y%m%d-%H%M%S", &tm);
}

static int
is_dir(const char *path)
{
	struct stat st;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static int
cmp_name(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Remove all but the newest keep copies named tinbao-YYYYMMDD-HHMMSS.db in
 * dir (the names sort by time). */
static int
prune(const char *dir, long keep)
{
	DIR *d = opendir(dir);
	if (!d)
		return cli_error(CLI_FAIL, "backup", "%s: %s", dir, strerror(errno));
	char *names[BACKUP_NAMES_MAX] = { NULL };
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) && n < BACKUP_NAMES_MAX) {
		size_t len = strlen(e->d_name);
		if (len == strlen(BACKUP_PREFIX "YYYYMMDD-HHMMSS" BACKUP_SUFFIX) &&
		    strncmp(e->d_name, BACKUP_PREFIX, strlen(BACKUP_PREFIX)) == 0 &&
		    strcmp(e->d_name + len - strlen(BACKUP_SUFFIX), BACKUP_SUFFIX) == 0 &&
		    (names[n] = strdup(e->d_name)) != NULL)
			n++;
	}
	closedir(d);
	qsort(names, n, sizeof *names, cmp_name);
	int rc = CLI_OK;
	for (size_t i = 0; i + (size_t)keep < n; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, names[i]);
		if (unlink(path) == 0)
			printf(_("removed the older copy %s\n"), path);
		else
			rc = cli_error(CLI_FAIL, "backup", "%s: %s", path, strerror(errno));
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	return rc;
}

int
cli_backup(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "keep", required_argument, NULL, 'k' }, { NULL, 0, NULL, 0 },
	};
	long keep = 0;
	int ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(backup_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "backup")) != -1) {
		char *end;
		if (ch != 'k')
			return CLI_USAGE;
		errno = 0;
		keep = strtol(optarg, &end, 10);
		if (end == optarg || *end || errno || keep < 1 || keep > BACKUP_KEEP_MAX)
			return cli_error(CLI_USAGE, "backup", _("--keep wants a number of copies, 1 to %d"),
			    BACKUP_KEEP_MAX);
	}
	if (optind != argc - 1)
		return cli_error(CLI_USAGE, "backup", _("usage: tinbao backup FILE | DIRECTORY [--keep N]"));
	const char *arg = argv[optind];
	char dest[4096], err[1024], when[32];
	/* the file is the invoking user's (root's, when root runs it) */
	if (runas_leave(&c->runas, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "backup", "%s", err);
	int dir = is_dir(arg);
	if (runas_enter(&c->runas, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "backup", "%s", err);
	if (keep && !dir)
		return cli_error(CLI_USAGE, "backup", _("--keep is for a directory of copies"));
	if (dir) {
		stamp(when, sizeof when);
		snprintf(dest, sizeof dest, "%s/" BACKUP_PREFIX "%s" BACKUP_SUFFIX, arg, when);
	} else {
		snprintf(dest, sizeof dest, "%s", arg);
	}
	if (access(c->cfg->database, F_OK) < 0)
		return cli_error(CLI_FAIL, "backup", _("no database at %s"), c->cfg->database);
	if (cli_open(c, 0, "backup") < 0)
		return CLI_FAIL;
	char who[128], detail[4200];
	audit_unix_user(who, sizeof who);
	snprintf(detail, sizeof detail, "to %s", dest);
	/* in the copy too: it says when and where it was taken */
	if (db_audit(c->db, timeutil_now(), who, "db.backup", 0, detail) < 0)
		return cli_error(CLI_FAIL, "backup", _("the audit trail did not take the backup: %s"),
		    db_errmsg(c->db));
	if (runas_leave(&c->runas, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "backup", "%s", err);
	int rc = db_backup_to(c->db, dest, err, sizeof err);
	struct stat st;
	int sized = rc == 0 && stat(dest, &st) == 0;
	if (rc < 0)
		cli_error(CLI_FAIL, "backup", "%s", err);
	else
		printf(_("backed up %s to %s (%lld bytes, mode 0600, checked); back the key file %s "
		    "up apart from it\n"), c->cfg->database, dest, sized ? (long long)st.st_size : -1LL,
		    c->cfg->key_file);
	int prc = rc == 0 && keep ? prune(arg, keep) : CLI_OK;
	if (runas_enter(&c->runas, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "backup", "%s", err);
	return rc < 0 ? CLI_FAIL : prc;
}

/* The key file in use opens the backup's sealed addresses: 1 yes (or
 * nothing sealed), 0 no, -1 error (printed). */
static int
key_opens(struct cli *c, struct db *backup)
{
	char err[512];
	unsigned char *sealed = NULL, scratch[IDENTITY_SEALED_SECRET_MAX];
	size_t len = 0, outlen = 0;
	int found = db_sealed_sample(backup, &sealed, &len);
	if (found < 0) {
		cli_error(CLI_FAIL, "restore", "%s", db_errmsg(backup));
		return -1;
	}
	if (found == 0)
		return 1;
	struct identity *id = identity_open(c->cfg->key_file, err, sizeof err);
	if (!id) {
		free(sealed);
		cli_error(CLI_FAIL, "restore", "%s", err);
		return -1;
	}
	/* reseal, never unseal: no address is ever in the clear here */
	int r = identity_reseal(id, sealed, len, scratch, sizeof scratch, &outlen);
	identity_wipe(scratch, sizeof scratch);
	identity_close(id);
	free(sealed);
	return r >= 0;
}

int
cli_restore(struct cli *c, int argc, char **argv)
{
	const char *file;
	if (cli_wants_help(argc, argv)) {
		fputs(_(restore_usage), stdout);
		return CLI_OK;
	}
	int rc = cli_one_arg(argc, argv, "restore", "tinbao restore FILE", &file);
	if (rc)
		return rc;
	char err[1024], when[32], saved[4200] = "";
	const char *target = c->cfg->database;
	/* 1. the copy, as it lies: a damaged one is never put back */
	if (runas_leave(&c->runas, err, sizeof err) < 0)
		return cli_error(CLI_FAIL, "restore", "%s", err);
	struct db *backup = db_open_backup(file, err, sizeof err);
	if (runas_enter(&c->runas, err + strlen(err), sizeof err - strlen(err)) < 0 || !backup) {
		db_close(backup);
		return cli_error(CLI_FAIL, "restore", _("%s; nothing was changed"), err);
	}
	struct audit_verdict v;
	char text[300];
	if (audit_verify(backup, &v) < 0) {
		cli_error(CLI_FAIL, "restore", _("%s: %s; nothing was changed"), file,
		    db_errmsg(backup));
		goto fail;
	}
	audit_verdict_text(&v, text, sizeof text);
	if (v.fault != AUDIT_INTACT) {
		cli_error(CLI_FAIL, "restore", _("%s: the audit chain does not verify (%s); nothing "
		    "was changed"), file, text);
		goto fail;
	}
	int opens = key_opens(c, backup);
	if (opens < 0)
		goto fail;
	if (opens == 0) {
		cli_error(CLI_FAIL, "restore", _("%s: the key file %s does not open this backup's "
		    "sealed reply addresses: put back the key file that was in use when the backup "
		    "was made, then restore; nothing was changed"), file, c->cfg->key_file);
		goto fail;
	}
	/* 2. tinbaod stopped, and kept from starting until we are done */
	if (access(target, F_OK) < 0) {
		FILE *f = fopen(target, "wx");          /* an empty database, ours */
		if (!f) {
			cli_error(CLI_FAIL, "restore", _("%s: %s; nothing was changed"), target,
			    strerror(errno));
			goto fail;
		}
		fclose(f);
		chmod(target, 0600);
	}
	int claim = db_claim(target, err, sizeof err);
	if (claim == -2) {
		cli_error(CLI_FAIL, "restore", _("%s is in use by a running tinbaod: stop it first "
		    "(systemctl stop tinbaod), then restore; nothing was changed"), target);
		goto fail;
	}
	if (claim < 0) {
		cli_error(CLI_FAIL, "restore", _("%s; nothing was changed"), err);
		goto fail;
	}
	/* 3. what is there now is kept, then the copy goes in */
	struct stat st;
	if (stat(target, &st) == 0 && st.st_size > 0) {
		struct db *cur = db_open(target, 0, err, sizeof err);
		stamp(when, sizeof when);
		snprintf(saved, sizeof saved, "%s.before-restore-%s", target, when);
		if (!cur || db_backup_to(cur, saved, err, sizeof err) < 0) {
			db_close(cur);
			close(claim);
			cli_error(CLI_FAIL, "restore", _("cannot keep the database it would replace: "
			    "%s; nothing was changed"), err);
			goto fail;
		}
		db_close(cur);
	}
	rc = db_restore_from(backup, target, err, sizeof err);
	db_close(backup);
	backup = NULL;
	if (rc < 0) {
		close(claim);
		return cli_error(CLI_FAIL, "restore", "%s%s%s", err, saved[0] ?
		    _("; the database before it is kept as ") : "", saved);
	}
	/* 4. migrated to this program's schema, on record, and verified */
	if (cli_open(c, 0, "restore") < 0) {
		close(claim);
		return CLI_FAIL;
	}
	char who[128], detail[4400];
	audit_unix_user(who, sizeof who);
	snprintf(detail, sizeof detail, "from %s%s%s", file, saved[0] ? "; the database before "
	    "it kept as " : "", saved);
	if (db_audit(c->db, timeutil_now(), who, "db.restore", 0, detail) < 0 ||
	    audit_verify(c->db, &v) < 0) {
		rc = cli_error(CLI_FAIL, "restore", _("restored, but %s"), db_errmsg(c->db));
	} else {
		audit_verdict_text(&v, text, sizeof text);
		printf(_("restored %s from %s (integrity ok, audit chain: %s)\n"), target, file, text);
		if (saved[0])
			printf(_("the database it replaced is kept as %s\n"), saved);
		rc = CLI_OK;
	}
	db_close(c->db);           /* every connection closed before the claim */
	c->db = NULL;
	close(claim);
	return rc;
fail:
	db_close(backup);
	return CLI_FAIL;
}
