/* route — the decision for one admitted message, inside the caller's
 * transaction: an officer's command (in a group too, after the mention of
 * the bot), a citizen's new tip, follow-up or status question, the short
 * answer to anybody else who writes to the bot in a group, or the audit
 * record of a channel event (a Zalo follow). Whether a sender is an officer
 * is decided here, never by the channel. Queues every answer in the outbox.
 * Router thread only.
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
	ROUTE_NOT_KEPT = 5,    /* answered or recorded, and the admitted row is deleted:
	                          a stranger's group message, a channel event */
};

/* *tip_id receives the tip the message belongs to (0 if none). */
enum route_outcome route_message(struct db *db, const struct config *cfg,
    const struct identity *id, const struct inbound *m, int64_t now, int64_t *tip_id);

#endif
