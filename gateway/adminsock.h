/* adminsock — tinbaod's admin socket: a Unix stream socket ([gateway]
 * admin_socket) on which the `tinbao` command line asks the running daemon
 * what only it knows (each modem's live state) and nudges it (the outbox
 * has a row: send now).
 *
 * One request a connection: a line of at most ADMINSOCK_REQUEST_MAX bytes
 * (a word such as "modems" or "wake"), read within ADMINSOCK_TIMEOUT_MS,
 * answered with one JSON document (at most ADMINSOCK_ANSWER_MAX bytes),
 * then the connection is closed. Requests are served one at a time. The
 * socket file is made mode 0660: the daemon's user and group (and root) may
 * ask; nothing it answers names a citizen.
 *
 * A socket file left by a daemon that died is replaced; one a running
 * daemon answers on is not (start fails). adminsock_stop() removes it.
 *
 * Threads: adminsock_start()/adminsock_stop() from the main thread; the
 * handler runs on the socket's own thread, which reports to the heartbeat.
 * adminsock_ask() is the client side (`tinbao`), any thread.
 * Ownership: the handler's answer is malloc'd and freed here; arg is
 * borrowed and must outlive the socket.
 */
#ifndef TINBAO_ADMINSOCK_H
#define TINBAO_ADMINSOCK_H

#include <stddef.h>

#define ADMINSOCK_REQUEST_MAX 64
#define ADMINSOCK_ANSWER_MAX (64 * 1024)
#define ADMINSOCK_TIMEOUT_MS 2000
#define HEARTBEAT_ADMINSOCK_S 20

/* The answer to one request line (without its newline): malloc'd JSON,
 * or NULL (answered {"error":"..."}). */
typedef char *(*adminsock_handler)(void *arg, const char *request);

struct adminsock;

/* NULL with err when the socket cannot be made. */
struct adminsock *adminsock_start(const char *path, adminsock_handler h, void *arg, char *err,
    size_t errlen);
void adminsock_stop(struct adminsock *s);        /* accepts NULL */

/* Ask the daemon on path: 0 with *answer (malloc'd, NUL-terminated JSON),
 * or -1 with why in err ("no such file": tinbaod is not running). */
int adminsock_ask(const char *path, const char *request, int timeout_ms, char **answer,
    char *err, size_t errlen);

#endif
