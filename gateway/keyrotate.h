/* keyrotate — `tinbao key rotate`: a new sealing key, and every sealed value
 * in the database (citizens' addresses on tips, messages, SMS parts and the
 * outbox; the Zalo OA tokens) resealed under it while tinbaod keeps running.
 *
 * How nothing is lost: the new key is added to the key file (atomically)
 * and the old one stays in it, retired (it opens, never seals). tinbaod's
 * router notices the file within a second, swaps its key set, and writes the
 * new key's fingerprint to counters.KEYROTATE_COUNTER. The rotation reseals in
 * short transactions (KEYROTATE_BATCH rows) and repeats passes until a pass
 * finds nothing under an old key, tinbaod has confirmed the new key, and
 * KEYROTATE_GRACE_S have passed since (values sealed just before the swap
 * reach the database within that). Then keys older than the one just retired
 * leave the file; the just-retired key stays until the next rotation, as a
 * safety net for a value that a daemon sealed just before the swap.
 * Single-threaded; the caller's own database connection.
 */
#ifndef TINBAO_KEYROTATE_H
#define TINBAO_KEYROTATE_H

#include <stddef.h>
#include <stdint.h>

struct db;

#define KEYROTATE_COUNTER "key_in_use"   /* fingerprint of the key tinbaod seals with */
#define KEYROTATE_BATCH 64               /* rows per transaction */
#define KEYROTATE_WAIT_S 10              /* for tinbaod to confirm the new key */
#define KEYROTATE_GRACE_S 2              /* after it did, before the last pass */
#define KEYROTATE_MAX_PASSES 10000

struct keyrotate_report {
	int64_t fingerprint;         /* of the new key */
	int64_t seen, resealed, unreadable;
	int passes;
	int daemon_confirmed;        /* 0: tinbaod did not confirm (not running?) */
	size_t keys;                 /* sealing keys left in the file */
};

/* Rotate the key in key_path and reseal the database. 0, or -1 with err set
 * (the key file is always readable afterwards: at worst it holds one more
 * retired key; run the rotation again). */
int keyrotate_run(struct db *db, const char *key_path, struct keyrotate_report *rep,
    char *err, size_t errlen);

#endif
