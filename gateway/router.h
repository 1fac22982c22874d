/* router — the router and scheduler thread.
 *
 * Takes admitted messages in order and turns each, in one transaction, into
 * a tip, a follow-up, a status answer or an officer command (acknowledge,
 * close, list), with the outgoing messages queued in the outbox. Between
 * messages it sleeps until the earliest escalation deadline (an indexed
 * MIN() lookup, no table scans) or until router_wake(). Deadlines live in the
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

struct router_stats {
	uint64_t routed;
	uint64_t tips;
	uint64_t escalations;
	uint64_t failures;
};

struct router *router_start(const struct config *cfg, const struct identity *id,
    void (*wake_senders)(void *), int (*voice)(void *), void *arg, char *err, size_t errlen);
void router_wake(struct router *r);
void router_stats(struct router *r, struct router_stats *out);
void router_stop(struct router *r);

#endif
