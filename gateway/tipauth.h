/* tipauth — who may act on a tip: the one rule for every officer command
 * that changes or reveals a tip (OK/NHẬN <id>, XONG, HOI, CHUYEN).
 *
 * An officer may act on a tip when they
 *   - own it (acknowledged it),
 *   - were told about it (a notification, an escalation, a handover to them),
 *   - are on duty now at a level at or above the tip's current level
 *     (roster_on_duty: the one on-duty rule), or
 *   - are a shift leader or the station chief by role (they see all).
 * Anybody else is refused with one line saying why, and the refusal is an
 * audit event ("officer.refused"). The duty desk (`tinbao`, the admin API)
 * acts with the administrator's authority and is not asked.
 *
 * Threads: the caller's, inside its transaction; everything is borrowed.
 */
#ifndef TINBAO_TIPAUTH_H
#define TINBAO_TIPAUTH_H

#include <stdint.h>

struct db;
struct config;
struct officer;
struct tip;

enum tipauth {
	TIPAUTH_ERROR = -1,
	TIPAUTH_REFUSED = 0,
	TIPAUTH_OWNER,
	TIPAUTH_TOLD,
	TIPAUTH_ON_DUTY,
	TIPAUTH_ROLE,
};

/* May officer o act on tip t now? */
enum tipauth tipauth_check(struct db *db, const struct officer *o, const struct tip *t,
    int64_t now);
/* tipauth_check(), and when it refuses: the one-line answer to the officer
 * and the audit event (command names the command, "XONG"). 1 allowed, 0
 * refused (answered), -1 database error. */
int tipauth_require(struct db *db, const struct config *cfg, const struct officer *o,
    const struct tip *t, const char *command, int64_t now);

#endif
