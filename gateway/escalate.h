/* escalate — who is told about a tip, and what happens when nobody
 * acknowledges it in time.
 *
 * A new tip goes to every officer on duty at level 1 (duty officer); a level
 * with nobody on duty is skipped and the notification says so. When the
 * deadline passes the tip moves to the next level that has someone on duty
 * (backup, shift leader, station chief), the new level is notified and the
 * earlier ones reminded; past the top, everyone on the chain is re-notified
 * every [escalation] repeat. An officer told at a level that rings (calls.h:
 * [escalation] call_levels inside call_hours, or any level of an urgent tip
 * with call_urgent) is also rung after the message, and again at each
 * repeat. Nobody on duty at any level is an alarm: logged
 * at error level, counted, and the tip waits for the next shift to start.
 *
 * Functions work inside the caller's transaction on the caller's connection
 * (the router thread's). The tip is borrowed.
 */
#ifndef TINBAO_ESCALATE_H
#define TINBAO_ESCALATE_H

#include <stdint.h>

struct db;
struct config;
struct tip;

#define ESCALATE_TOP_LEVEL 4
#define ESCALATE_MAX_ON_DUTY 64

/* How long level 1 has to acknowledge a tip, in milliseconds: [escalation]
 * urgent_deadline for an urgent tip, ack_deadline otherwise. The deadline a
 * new (or handed over) tip gets, and the one the report measures against. */
int64_t escalate_first_window_ms(const struct config *cfg, int urgent);
/* First assignment of a newly created tip. 0 / -1. */
int escalate_start(struct db *db, const struct config *cfg, const struct tip *t, int64_t now);
/* The tip's deadline passed (or it waits for anybody on duty and the roster
 * may have changed). A tip no longer new is left alone. 0 / -1. */
int escalate_due(struct db *db, const struct config *cfg, const struct tip *t, int64_t now);

#endif
