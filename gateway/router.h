/* router — the router and scheduler thread.
 *
 * Takes admitted messages in order and turns each into a tip, a follow-up,
 * a status answer or an officer command (acknowledge, close, list), with the
 * outgoing messages queued in the outbox. It routes in batches: every
 * message waiting, up to 256, in one transaction with one commit, each in a
 * savepoint so that one failing undoes itself alone; a message counts as
 * routed only once its batch is committed, so a crash routes it again and
 * never twice. Admissions go first: before it takes the write lock the
 * router gives way to the writer's batch (writer_give_way), and a batch
 * ends early, after 25 ms, when admissions wait. Due escalations go the same
 * way, 64 to a transaction. Between
 * messages it sleeps until the earliest escalation deadline (an indexed
 * MIN() lookup, to the millisecond) or until router_wake(). Deadlines live in the
 * database, so after a restart a missed one fires once, at once. Every
 * few seconds it also sends by SMS the officers' Zalo messages still queued
 * past [outbox] fallback_after (outbox_fall_back_stale(), gateway/outbox.h),
 * and once a second settles the calls (calls_tick(), gateway/calls.h):
 * `voice(arg)` says whether any modem can place them (enum calls_voice).
 *
 * router_start() opens the thread's own connection. router_wake() may be
 * called from any thread. After each transaction that queued messages,
 * `wake_senders(arg)` runs on the router thread.
 */
#ifndef TINBAO_ROUTER_H
#define TINBAO_ROUTER_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct identity;
struct router;
struct writer;

struct router_stats {
	uint64_t routed;
	uint64_t tips;
	uint64_t escalations;
	uint64_t failures;
};

struct router *router_start(const struct config *cfg, const struct identity *id,
    struct writer *writer, void (*wake_senders)(void *), int (*voice)(void *), void *arg,
    char *err, size_t errlen);
void router_wake(struct router *r);
void router_stats(struct router *r, struct router_stats *out);
void router_stop(struct router *r);

#endif
