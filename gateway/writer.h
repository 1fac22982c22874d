/* writer — the single admission writer.
 *
 * One thread owns one read-write database connection and commits admissions
 * in batches: every caller waiting when a transaction starts shares its
 * commit. writer_admit() may be called from any thread; it returns only after
 * the admission is durable (synchronous=FULL), so a channel may then
 * acknowledge its source (delete the SMS, answer 200). The admission is
 * borrowed for the duration of the call. After each commit that admitted
 * something new the on_commit hook runs (on the writer thread) to wake the
 * router.
 */
#ifndef TINBAO_WRITER_H
#define TINBAO_WRITER_H

#include <stddef.h>
#include <stdint.h>

#include "db/db.h"

#define WRITER_QUEUE_MAX 4096      /* admissions waiting; callers block past it */
#define WRITER_BATCH_MAX 512       /* admissions in one transaction */

struct admission {
	const char *channel;          /* "sms", "zalo_oa", "zalo_bot" */
	const char *channel_msg_id;   /* unique per channel: a re-read is admitted once */
	const char *via;              /* modem or account name that received it */
	const unsigned char *sender_sealed;
	size_t sender_sealed_len;
	const char *pseudonym;        /* identity_pseudonym() of the sender */
	const char *text;             /* UTF-8, NFC */
	int64_t received_at;          /* our clock, unix seconds */
	int64_t source_time;          /* the source's timestamp (SMSC), 0 if none */
	/* One part of a multipart SMS, for the `admit` below (modem_inbox.c):
	 * stored until the group completes (then admitted whole) or times out
	 * (admitted partial). */
	const char *part_group;
	int part_seq;
	int part_total;
	/* what it is (a message unless said otherwise) and, for a group
	 * message, the group's chat id: the router decides what follows */
	enum inbound_kind kind;
	const char *chat;
	/* files the message links to (Zalo): fetched later, kept with the tip */
	const char *const *attachment_kinds;
	const char *const *attachment_urls;
	size_t n_attachments;
	/* When set, the writer calls this instead of inserting the message and
	 * its attachments itself: a channel whose messages arrive in pieces (the
	 * parts of a long SMS) stores and joins them there, inside the writer's
	 * transaction, so the join and the admission commit together. It runs
	 * on the writer thread with the writer's connection, uses nothing but
	 * `db` and `a`, and returns what db_inbound_insert() does: 1 new, 0
	 * already admitted, -1 error (the whole batch rolls back). */
	int (*admit)(struct db *db, const struct admission *a);
};

struct writer_stats {
	uint64_t commits;
	uint64_t admissions;
	uint64_t max_batch;
};

struct writer;

struct writer *writer_start(const char *dbpath, void (*on_commit)(void *), void *arg,
    char *err, size_t errlen);
/* 0 once committed (a duplicate counts as committed), -1 if the database
 * refused it (the source must not be acknowledged). */
int writer_admit(struct writer *w, const struct admission *a);
/* n admissions at once (a modem's poll): they share the writer's commits,
 * and the call returns once every one is durable or refused; results[i] is
 * what writer_admit() would have returned for a[i]. 0 when all were
 * committed, -1 otherwise. The admissions are borrowed for the call. */
int writer_admit_many(struct writer *w, const struct admission *const *a, size_t n,
    int *results);
void writer_stats(struct writer *w, struct writer_stats *out);
/* Admissions go first: the router asks whether some wait to be committed
 * (any thread), and gives way before it takes the write lock: it waits until
 * the writer has committed the batch it has now, at most max_ms. */
int writer_pending(struct writer *w);
void writer_give_way(struct writer *w, int max_ms);
/* The router committed a batch (any thread). While more than 2048 admitted
 * messages wait to be routed, the writer waits for this before it commits
 * more (100 ms at most each time). */
void writer_routed(struct writer *w);
/* 1 while the last batch failed (any thread; /healthz reads it). */
int writer_failing(struct writer *w);
void writer_stop(struct writer *w);

#endif
