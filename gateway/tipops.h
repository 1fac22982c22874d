/* tipops — the decisions on a tip that both the router (officer replies) and
 * the `tinbao` command line make: acknowledge and close.
 *
 * Each function runs one transaction on the caller's connection: it changes
 * the tip, records who and when, writes the audit event and queues the
 * messages (citizen notice, confirmation to the officer, stand-down to the
 * others) in the outbox. The caller's thread owns `db`. `reply` receives a
 * one-line human description of what was done (Vietnamese, for the officer's
 * confirmation or the CLI); it may be NULL.
 */
#ifndef TINBAO_TIPOPS_H
#define TINBAO_TIPOPS_H

#include <stddef.h>
#include <stdint.h>

struct db;
struct config;

#define TIPOPS_NOTE_MAX 1000     /* bytes in a close note from the desk or the API */

enum tipops_result {
	TIPOPS_DONE = 0,         /* changed */
	TIPOPS_ALREADY = 1,      /* nothing to do: already acknowledged / closed */
	TIPOPS_UNKNOWN = 2,      /* no such tip */
	TIPOPS_ERROR = -1,       /* database error */
};

/* From the desk or the admin API, for the officer: `by` is who acted (the
 * desk's login, "api"); the audit row names both. The officer gets no
 * confirmation (the desk is told instead). */
enum tipops_result tipops_ack(struct db *db, const struct config *cfg, const char *code,
    int64_t officer_id, int64_t now, const char *by, char *reply, size_t replysz);
enum tipops_result tipops_close(struct db *db, const struct config *cfg, const char *code,
    int64_t officer_id, const char *note, int64_t now, const char *by,
    char *reply, size_t replysz);

/* The officer's own reply, inside a transaction the caller already opened
 * (the router's). `via_officer_sms`: queue the confirmation to the officer. */
enum tipops_result tipops_ack_in_tx(struct db *db, const struct config *cfg, const char *code,
    int64_t officer_id, int64_t now, int via_officer_sms, char *reply, size_t replysz);
enum tipops_result tipops_close_in_tx(struct db *db, const struct config *cfg, const char *code,
    int64_t officer_id, const char *note, int64_t now, int via_officer_sms,
    char *reply, size_t replysz);

#endif
