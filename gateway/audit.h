/* audit — the audit trail's hash chain: the canonical form of a row and its
 * SHA-256 (through identity_sha256_hex), the walk that verifies the chain,
 * the reads that collapse, and who the unix user of a CLI command is.
 *
 * Who is on a row. `actor` is who did it: an officer's name (a command by
 * SMS or Zalo), the desk's login ("root", "root (sudo: an)"), "api", "desk
 * page" or "tinbaod". `officer` is the roster officer a desk or API action
 * was taken for (`tinbao ack --officer`), or the name typed into the desk
 * page's login; NULL otherwise.
 *
 * Reads collapse, and the chain still proves them. Every read of a tip is
 * an event, but each open desk page reloads every 30 s: 2,880 rows a day per
 * browser. Identical reads (same actor, officer, tip and detail; the detail
 * names every tip shown) within AUDIT_READ_WINDOW of the first are counted
 * into that first row (`reads`, `last_at`):
 *  - the first read of a window is a chained row at once, written before
 *    anything is shown, as every read was: that this actor saw these tips
 *    then is proved from the moment it happened;
 *  - the count and the last time change while the window runs, so they
 *    are outside their own row's hash; the next row appended to the chain,
 *    whatever it is, seals them: its `seals` (hashed) lists
 *    "ID:READS:LAST_AT;" of every row still counting, and a sealed row takes
 *    no more reads (the next identical read starts a new row);
 *  - a row counts a read only while no row after it is later than the
 *    read, so verify can tell a count that was never sealed because nothing
 *    came after it from one changed later: any row after it that did not
 *    seal it must be no later than its last read.
 * So a changed count or last time is caught as soon as one more event has
 * been written, no chained row is ever rewritten, and the rows stay in the
 * order they happened. What the design gives up: the count of the newest
 * rows (those after the last event, within 10 minutes) is as open to an
 * editor as the rows after the last anchor tinbaod logged; verify says how
 * many there are. The alternatives were worse: a count kept outside the
 * hash for ever can be changed for ever; a row written only when its
 * window ends leaves ten minutes of reads off the chain.
 *
 * The canonical form v1 (rows with neither officer nor seals, including
 * every row written before them) is unchanged, so old chains verify as they
 * did; v2 adds officer and seals. Both are documented in audit.c.
 *
 * audit_init() registers the hash with db (db_audit_hasher) and must run
 * once per process before any thread opens the database. audit_verify()
 * and audit_read() run on the caller's connection. Nothing here keeps a
 * pointer it is given.
 */
#ifndef TINBAO_AUDIT_H
#define TINBAO_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct audit_row;

#define AUDIT_READ_WINDOW 600     /* s: identical reads counted into one row */
#define AUDIT_OPEN_MAX 64         /* rows counting reads at once; more start rows */

void audit_init(void);
/* The chained hash of row after prev ("" for the first): 64 hex digits. */
void audit_hash(const struct audit_row *row, const char *prev, char out[65]);

enum audit_fault {
	AUDIT_INTACT,
	AUDIT_EDITED,      /* the row's content or hash no longer matches */
	AUDIT_INSERTED,    /* a row that tinbao did not chain */
	AUDIT_DELETED,     /* rows missing before `row` */
	AUDIT_RECOUNTED,   /* the count or last time of `row`'s reads was changed */
};

struct audit_verdict {
	int64_t rows;            /* rows read */
	int64_t legacy;          /* leading rows from before the chain (hash NULL) */
	int64_t chained;         /* rows whose hash verified */
	enum audit_fault fault;
	int64_t row;             /* the first row that does not verify */
	int64_t missing_from, missing_to;   /* AUDIT_DELETED: the missing ids */
	int64_t head_id;         /* the last row and its hash (the anchor to log) */
	char head_hash[65];
	int64_t open;            /* rows whose count of reads no later row sealed yet */
	int64_t sealed_by;       /* AUDIT_RECOUNTED: the row that sealed it (0: none) */
};
/* Walk the whole chain; stops at the first fault. 0 (verdict filled), -1
 * database error. */
int audit_verify(struct db *db, struct audit_verdict *v);
/* A sentence for a verdict, e.g. "12 rows, chain intact" (translated: the
 * reader's language). */
void audit_verdict_text(const struct audit_verdict *v, char *out, size_t outsz);
const char *audit_fault_name(enum audit_fault f);

/* A read of tips (action "tip.read"): counted into the open row of the
 * same actor, officer, tip and detail, or a new row (see above). tip_id 0:
 * a listing, whose detail names the tips. 0 / -1 (db_errmsg). */
int audit_read(struct db *db, int64_t at, const char *actor, const char *officer,
    int64_t tip_id, const char *detail);

/* The unix user running this process ("alice", "root (sudo: alice)", or
 * "uid 1001"), for CLI audit events. */
void audit_unix_user(char *out, size_t outsz);

#endif
