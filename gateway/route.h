/* route — the decision for one admitted message, inside the caller's
 * transaction: an officer's command, or a citizen's new tip, follow-up or
 * status question. Queues every answer in the outbox. Router thread only.
 */
#ifndef TINBAO_ROUTE_H
#define TINBAO_ROUTE_H

#include <stdint.h>

struct db;
struct config;
struct identity;
struct inbound;

enum route_outcome {
	ROUTE_ERROR = -1,
	ROUTE_COMMAND = 0,     /* an officer's command */
	ROUTE_NEW_TIP = 1,
	ROUTE_FOLLOWUP = 2,
	ROUTE_STATUS = 3,
	ROUTE_HELD = 4,        /* kept, not routed: muted sender or over a limit */
};

/* *tip_id receives the tip the message belongs to (0 if none). */
enum route_outcome route_message(struct db *db, const struct config *cfg,
    const struct identity *id, const struct inbound *m, int64_t now, int64_t *tip_id);

#endif
