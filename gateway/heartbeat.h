/* heartbeat — every long-lived thread reports in; main decides whether the
 * systemd watchdog may be pinged.
 *
 * A thread registers a slot with the longest silence it may keep (its
 * bound), then calls heartbeat_beat() from its loop. The main thread calls
 * heartbeat_stale() before each WATCHDOG=1: while any registered thread has
 * been silent past its bound, main stops pinging and systemd restarts us.
 *
 * The slots are the one process-wide table besides the config snapshot and
 * the signal flags (like the counters in metrics.c): registration and the
 * check take a mutex, a beat is one atomic store and may come from any
 * thread. Names are copied.
 */
#ifndef TINBAO_HEARTBEAT_H
#define TINBAO_HEARTBEAT_H

#include <stddef.h>

#define HEARTBEAT_MAX 64

/* Bounds, in seconds, of each kind of thread (tinbaod(8) lists them). */
#define HEARTBEAT_WRITER_S 20      /* a batch waits at most the 5 s busy timeout */
#define HEARTBEAT_ROUTER_S 60      /* 1 s tick; sleeps up to 30 s backing off
                                    * from a failing database */
#define HEARTBEAT_DISPATCH_S 20    /* curl never blocks; 1 s poll */
#define HEARTBEAT_MODEM_S 300      /* a gammu call cannot be interrupted: at worst
                                    * an init with its own AT timeouts */

/* The slot (>= 0), or -1 when the table is full (then beats are ignored). */
int heartbeat_register(const char *name, int bound_s);
void heartbeat_beat(int slot);
void heartbeat_unregister(int slot);
/* 0 when every registered thread reported within its bound; otherwise 1
 * and the first silent thread's name and silence in name/silent_s. */
int heartbeat_stale(char *name, size_t namesz, long *silent_s);

#endif
