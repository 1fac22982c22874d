/* audit — the audit trail's hash chain: the canonical form of a row and its
 * SHA-256 (through identity_sha256_hex), the walk that verifies the chain,
 * and who the unix user of a CLI command is.
 *
 * audit_init() registers the hash with db (db_audit_hasher) and must run
 * once per process before any thread opens the database. audit_verify()
 * runs on the caller's connection. Nothing here keeps a pointer it is given.
 */
#ifndef TINBAO_AUDIT_H
#define TINBAO_AUDIT_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct audit_row;

void audit_init(void);
/* The chained hash of row after prev ("" for the first): 64 hex digits. */
void audit_hash(const struct audit_row *row, const char *prev, char out[65]);

enum audit_fault {
	AUDIT_INTACT,
	AUDIT_EDITED,      /* the row's content or hash no longer matches */
	AUDIT_INSERTED,    /* a row that tinbao did not chain */
	AUDIT_DELETED,     /* rows missing before `row` */
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
};
/* Walk the whole chain; stops at the first fault. 0 (verdict filled), -1
 * database error. */
int audit_verify(struct db *db, struct audit_verdict *v);
/* A sentence for a verdict, e.g. "12 rows, chain intact" (translated: the
 * reader's language). */
void audit_verdict_text(const struct audit_verdict *v, char *out, size_t outsz);
const char *audit_fault_name(enum audit_fault f);

/* The unix user running this process ("alice", "root (sudo: alice)", or
 * "uid 1001"), for CLI audit events. */
void audit_unix_user(char *out, size_t outsz);

#endif
