/* runas — see runas.h. */
#include "gateway/runas.h"

#include <errno.h>
#include <grp.h>
#include <libgen.h>
#include <limits.h>
#include <pwd.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#define RUNAS_GROUPS_MAX 64

/* The user's name and primary group; the uid in digits when it has no
 * entry (gid then stays as given). */
static void
user_of(uid_t uid, char *name, size_t namesz, gid_t *gid)
{
	struct passwd pw, *res = NULL;
	char buf[4096];
	if (getpwuid_r(uid, &pw, buf, sizeof buf, &res) == 0 && res) {
		snprintf(name, namesz, "%s", res->pw_name);
		*gid = res->pw_gid;
	} else {
		snprintf(name, namesz, "%u", (unsigned)uid);
	}
}

static void
group_of(gid_t gid, char *name, size_t namesz)
{
	struct group gr, *res = NULL;
	char buf[4096];
	if (getgrgid_r(gid, &gr, buf, sizeof buf, &res) == 0 && res)
		snprintf(name, namesz, "%s", res->gr_name);
	else
		snprintf(name, namesz, "%u", (unsigned)gid);
}

/* Appends path to the list of files to give back when it exists and is
 * not the target's (the key file: nor readable through its group). */
static void
misowned(const char *path, uid_t uid, gid_t gid, int group_read_ok, char *list, size_t listsz,
    int *n)
{
	struct stat st;
	if (!path || stat(path, &st) < 0 || st.st_uid == uid)
		return;
	if (group_read_ok && st.st_gid == gid && (st.st_mode & S_IRGRP))
		return;
	size_t len = strlen(list);
	snprintf(list + len, listsz - len, " %s", path);
	(*n)++;
}

int
runas_owner(const char *database, const char *key_file, struct runas *r, char *err,
    size_t errlen)
{
	memset(r, 0, sizeof *r);
	if (geteuid() != 0)
		return 0;
	char dir[PATH_MAX];
	snprintf(dir, sizeof dir, "%s", database);
	const char *parent = dirname(dir);          /* in place, or "." when no slash */
	if (parent != dir)
		snprintf(dir, sizeof dir, "%s", parent);
	struct stat dst, fst;
	if (stat(dir, &dst) < 0)
		return 0;                       /* nothing there yet: the errors come later */
	int exists = stat(database, &fst) == 0;
	uid_t target = dst.st_uid;
	if (exists && dst.st_uid != 0 && fst.st_uid != dst.st_uid) {
		char owner[64], user[64], group[64];
		gid_t g = dst.st_gid;
		user_of(fst.st_uid, owner, sizeof owner, &g);
		g = dst.st_gid;
		user_of(dst.st_uid, user, sizeof user, &g);
		group_of(g, group, sizeof group);
		snprintf(err, errlen, "%s belongs to %s, but its directory %s to %s (the service "
		    "user): tinbaod could not write it. As root, give it back: chown %s:%s %s*, "
		    "then run the command again", database, owner, dir, user, user, group, database);
		return -1;
	}
	if (exists)
		target = fst.st_uid;
	if (target == 0)
		return 0;                       /* root's own state: act as root */
	r->uid = target;
	r->gid = dst.st_gid;
	user_of(target, r->name, sizeof r->name, &r->gid);
	char wal[PATH_MAX + 8], shm[PATH_MAX + 8], list[3 * PATH_MAX + 64] = "";
	int n = 0;
	snprintf(wal, sizeof wal, "%s-wal", database);
	snprintf(shm, sizeof shm, "%s-shm", database);
	misowned(wal, r->uid, r->gid, 0, list, sizeof list, &n);
	misowned(shm, r->uid, r->gid, 0, list, sizeof list, &n);
	misowned(key_file, r->uid, r->gid, 1, list, sizeof list, &n);
	if (n) {
		char group[64];
		group_of(r->gid, group, sizeof group);
		snprintf(err, errlen, "%s belong%s to another user than %s, who owns %s: tinbaod "
		    "(as %s) could not use %s. As root, give %s back: chown %s:%s%s, then run the "
		    "command again", list + 1, n == 1 ? "s" : "", r->name, exists ? database : dir,
		    r->name, n == 1 ? "it" : "them", n == 1 ? "it" : "them", r->name, group, list);
		return -1;
	}
	snprintf(r->why, sizeof r->why, "the owner of %s", exists ? database : dir);
	r->active = 1;
	return 0;
}

/* A change of uid makes the process non-dumpable, which keeps a core dump
 * (keys, addresses) from being written: wanted. LeakSanitizer's check at
 * exit attaches to the process and needs it dumpable: only in such builds
 * (make check) is it made dumpable again. */
static void
sanitizer_dumpable(void)
{
#if defined(__SANITIZE_ADDRESS__)
	prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
#endif
}

static int
groups_of(const struct runas *r, gid_t *groups, int *n)
{
	*n = RUNAS_GROUPS_MAX;
	if (getgrouplist(r->name, r->gid, groups, n) < 0) {
		groups[0] = r->gid;           /* no entry, or too many: the primary one */
		*n = 1;
	}
	return 0;
}

int
runas_become(const struct runas *r, char *err, size_t errlen)
{
	if (!r->active)
		return 0;
	gid_t groups[RUNAS_GROUPS_MAX];
	int n;
	groups_of(r, groups, &n);
	if (setgroups((size_t)n, groups) < 0 || setgid(r->gid) < 0 || setuid(r->uid) < 0 ||
	    getuid() != r->uid || geteuid() != r->uid) {
		snprintf(err, errlen, "cannot become user %s (%s): %s", r->name, r->why,
		    strerror(errno));
		return -1;
	}
	sanitizer_dumpable();
	return 0;
}

int
runas_enter(const struct runas *r, char *err, size_t errlen)
{
	if (!r->active)
		return 0;
	gid_t groups[RUNAS_GROUPS_MAX];
	int n;
	groups_of(r, groups, &n);
	if (setgroups((size_t)n, groups) < 0 || setegid(r->gid) < 0 || seteuid(r->uid) < 0) {
		snprintf(err, errlen, "cannot act as user %s (%s): %s", r->name, r->why,
		    strerror(errno));
		return -1;
	}
	sanitizer_dumpable();
	return 0;
}

int
runas_leave(const struct runas *r, char *err, size_t errlen)
{
	if (!r->active)
		return 0;
	if (seteuid(0) < 0 || setegid(0) < 0) {
		snprintf(err, errlen, "cannot act as root again: %s", strerror(errno));
		return -1;
	}
	sanitizer_dumpable();
	return 0;
}
