/* runas — root acts as the owner of the gateway's state.
 *
 * The service user (the unit's User=, "tinbao") owns the database's
 * directory, the database, its -wal and -shm files and the key file. A
 * program started as root that opened them as root would leave root-owned
 * files the service cannot write (issue 11 §4: a root-owned tinbao.db 0644
 * left tinbaod half-broken). So, started as root:
 *
 *  - runas_owner() finds whom to act as: the owner of the database, or of
 *    its directory while there is no database yet. Root itself when those
 *    belong to root (a setup without a service user; the tests).
 *  - It refuses, with the command that fixes it, when the state is already
 *    mixed: a database (or -wal, -shm, key file) owned by someone else than
 *    the directory's non-root owner.
 *  - tinbaod and `tinbaod --check-config` become that user for good
 *    (runas_become: supplementary groups, gid, uid), so the check sees what
 *    the service will see.
 *  - `tinbao` acts as that user with its effective ids (runas_enter), and
 *    may step back to root for a file of root's own (runas_leave: a backup
 *    written where only root may write).
 *
 * Any thread before others start; nothing kept but struct runas (the
 * caller's). Nothing is done when the process is not root.
 */
#ifndef TINBAO_RUNAS_H
#define TINBAO_RUNAS_H

#include <stddef.h>
#include <sys/types.h>

struct runas {
	int active;              /* 1: root, and another user owns the state */
	uid_t uid;
	gid_t gid;               /* the user's primary group */
	char name[64];           /* the user's name, or the uid in digits */
	char why[300];           /* "the owner of /var/lib/tinbao" */
};

/* Whom to act as for database and key_file (key_file may be NULL). 0 with
 * r filled (r->active 0: nothing to do, the process is not root or the
 * state is root's), -1 with err (the state is mixed: the fix is in err). */
int runas_owner(const char *database, const char *key_file, struct runas *r, char *err,
    size_t errlen);
/* Become r's user for good. 0 / -1 with err. Nothing when !r->active. */
int runas_become(const struct runas *r, char *err, size_t errlen);
/* Act as r's user (effective ids and groups); runas_leave() goes back to
 * root. 0 / -1 with err. Nothing when !r->active. */
int runas_enter(const struct runas *r, char *err, size_t errlen);
int runas_leave(const struct runas *r, char *err, size_t errlen);

#endif
