/* db — the SQLite store: schema, migrations and every SQL statement.
 *
 * The only module that includes <sqlite3.h>. Each thread opens its own
 * connection with db_open() and never hands it to another thread. Writes go
 * in db_begin()/db_commit() (BEGIN IMMEDIATE); the connection is in WAL mode
 * with synchronous=FULL, foreign_keys=ON and a busy timeout.
 *
 * Ownership: strings in structs filled by db_* functions are malloc'd and
 * belong to the caller, who releases them with the matching *_clear()/_free().
 * Functions return 0 on success and -1 on a database error unless they say
 * otherwise; db_errmsg() tells what went wrong.
 */
#ifndef TINBAO_DB_H
#define TINBAO_DB_H

#include <stddef.h>
#include <stdint.h>

#define DB_SCHEMA_VERSION 12
#define DB_BUSY_TIMEOUT_MS 5000

struct db;

struct db *db_open(const char *path, int readonly, char *err, size_t errlen);
void db_close(struct db *db);
const char *db_errmsg(struct db *db);
/* A caller's reason for failing a step of its transaction, for db_errmsg()
 * (the writer logs it). Returns -1. */
int db_set_error(struct db *db, const char *msg);

int db_begin(struct db *db);        /* BEGIN IMMEDIATE */
int db_commit(struct db *db);
void db_rollback(struct db *db);
/* 1 while a transaction is open on db (an error such as a full disk may
 * have rolled it back whole), 0 not. */
int db_in_transaction(struct db *db);
/* Inside a transaction: mark a point (one at a time), then keep what was
 * done since (release) or undo it (rollback_to, which also releases it).
 * 0 / -1. */
int db_savepoint(struct db *db);
int db_release(struct db *db);
int db_rollback_to(struct db *db);
/* What `tinbaod --check-config` asks, as the user tinbaod runs as: can this
 * user write the database as tinbaod will? Its directory (where it is
 * created, and the -wal and -shm files at every start), the file and its
 * -wal and -shm when they exist, then a real write through SQLite. 0, or -1
 * with the reason (owner and mode) in err. */
int db_check_writable(const char *path, char *err, size_t errlen);
/* 1 if a write transaction can be opened on path now, 0 if not (the reason
 * in err). For /healthz. */
int db_writable(const char *path, char *err, size_t errlen);
/* Changes when another connection commits (PRAGMA data_version). */
int64_t db_data_version(struct db *db);
/* How long a statement waits for another connection's lock (ms). */
void db_busy_timeout(struct db *db, int ms);
/* Whether this connection's commits copy the WAL back into the database
 * when it has grown past SQLite's threshold (on by default). The writer's
 * are not: a webhook does not wait for that copy and its fsync; the
 * router's, the senders' and the CLI's still do it. */
void db_autocheckpoint(struct db *db, int on);

/* ---------------------------------------------------------------- inbound */

/* What an admitted row is; the router decides what it becomes. */
enum inbound_kind {
	INBOUND_MESSAGE,   /* a message to the gateway: an SMS, a private chat */
	INBOUND_GROUP,     /* written in a group chat (chat: the group's id) */
	INBOUND_EVENT,     /* a channel event to record, not a message (text: its name) */
};

struct inbound {
	int64_t id;
	char *channel;
	char *channel_msg_id;
	char *via;
	unsigned char *sender_sealed;
	size_t sender_sealed_len;
	char *pseudonym;
	char *text;
	int64_t received_at;
	int partial;
	enum inbound_kind kind;
	char *chat;                   /* INBOUND_GROUP: the group's chat id; else NULL */
};
void inbound_clear(struct inbound *m);

/* Insert one admitted message. Returns 1 if new, 0 if (channel,
 * channel_msg_id) was already admitted, -1 on error. Inside a transaction. */
int db_inbound_insert(struct db *db, const char *channel, const char *channel_msg_id,
    const char *via, const unsigned char *sealed, size_t sealed_len,
    const char *pseudonym, const char *text, int64_t received_at,
    int64_t source_time, int partial);
/* The same for a row of another kind; chat is the group's id for
 * INBOUND_GROUP, NULL otherwise. */
int db_inbound_insert_kind(struct db *db, enum inbound_kind kind, const char *chat,
    const char *channel, const char *channel_msg_id, const char *via,
    const unsigned char *sealed, size_t sealed_len, const char *pseudonym, const char *text,
    int64_t received_at, int64_t source_time);
/* The parts of long SMS, kept until their group is joined and admitted.
 * The store keeps, returns and deletes them; joining them is the SMS
 * side's (modem_inbox.c). A joined group's parts stay, marked done, so that
 * a part read again from the modem is recognised, until pruned. */
#define DB_PART_GROUP_MAX 256         /* parts of one group returned, at most */
struct sms_part {
	int64_t id;
	int seq, total;
	char *text;
	char *via;
	unsigned char *sender_sealed;
	size_t sender_sealed_len;
	char *pseudonym;
	int64_t received_at;
	int64_t source_time;
};
void sms_parts_free(struct sms_part *v, size_t n);

/* Store one part (deduplicated by group, seq and source time). Returns 1 if
 * stored, 0 for a duplicate (also of a part already joined), -1 on error.
 * Inside a transaction. */
int db_part_insert(struct db *db, const char *via, const char *group, int seq, int total,
    const unsigned char *sealed, size_t sealed_len, const char *pseudonym,
    const char *text, int64_t received_at, int64_t source_time);
/* The parts of `group` not yet joined, by seq then id, at most
 * DB_PART_GROUP_MAX; *out is the caller's (sms_parts_free). */
int db_part_group(struct db *db, const char *group, struct sms_part **out, size_t *n);
/* Marks the parts of `group` not yet joined as joined. */
int db_part_group_done(struct db *db, const char *group);
/* Groups with parts not yet joined whose first part arrived before
 * `before`, at most max; *out (strings and array) is the caller's. */
int db_parts_stale(struct db *db, int64_t before, size_t max, char ***out, size_t *n);
/* Deletes the joined parts received before `before`. */
int db_parts_prune(struct db *db, int64_t before);

/* The oldest admitted message not yet routed: 1 found, 0 none, -1 error. */
int db_inbound_next(struct db *db, struct inbound *out);
/* The oldest max admitted messages not yet routed, in order; *out is the
 * caller's (inbounds_free). 0 / -1. */
int db_inbound_batch(struct db *db, size_t max, struct inbound **out, size_t *n);
void inbounds_free(struct inbound *v, size_t n);
int db_inbound_mark(struct db *db, int64_t id, int64_t tip_id, int64_t now);
/* Delete a routed row that must not be kept (a stranger's group message, a
 * recorded event). Inside the router's transaction. */
int db_inbound_drop(struct db *db, int64_t id);

/* --------------------------------------------------------------- officers */

struct officer {
	int64_t id;
	char *name;
	char *phone;
	char *zalo_oa;
	char *zalo_bot;
	char *channel;     /* preferred: sms, zalo_oa, zalo_bot */
	char *role;        /* officer, leader, chief */
	int active;
	char *short_code;  /* CHUYEN <id> <short code>; NULL if none */
};
void officer_clear(struct officer *o);
void officers_free(struct officer *v, size_t n);

/* Returns the new id, or -1 (e.g. duplicate phone: see db_errmsg). A removed
 * officer with the same phone is brought back with the new details. */
int64_t db_officer_add(struct db *db, const struct officer *o, int64_t now);
/* The active officer with o->phone takes o's other details: 1 changed,
 * 0 already the same (or no such officer), -1 (a short code taken). */
int db_officer_update(struct db *db, const struct officer *o);
/* 1 found, 0 none, -1 error. Only active officers. */
int db_officer_by_phone(struct db *db, const char *phone, struct officer *out);
int db_officer_by_id(struct db *db, int64_t id, struct officer *out);
/* By short code (case-insensitive): 1/0/-1. Active only. */
int db_officer_by_short_code(struct db *db, const char *code, struct officer *out);
/* By Zalo id on a channel ("zalo_oa" or "zalo_bot"): 1/0/-1. Active only. */
int db_officer_by_zalo(struct db *db, const char *channel, const char *zalo_id,
    struct officer *out);
int db_officer_list(struct db *db, struct officer **out, size_t *n);
/* Deactivates and removes their shifts. 1 removed, 0 unknown, -1 error. */
int db_officer_remove(struct db *db, const char *phone);

/* ----------------------------------------------------------------- shifts */

/* What a shift row is (gateway/roster.h decides what each means). */
enum shift_kind {
	SHIFT_ONCE,        /* starts_at .. ends_at */
	SHIFT_ALWAYS,      /* on duty at any time */
	SHIFT_WEEKLY,      /* weekdays, time_from .. time_to, first_day .. last_day */
	SHIFT_OFF,         /* the officer's day(s) off: first_day .. last_day; no level */
};
#define SHIFT_DAY_LEN 10  /* "YYYY-MM-DD" */

struct shift {
	int64_t id;
	int64_t officer_id;
	char *officer_name;
	char *officer_phone;
	enum shift_kind kind;
	int level;           /* 1-4; 0 for a day off */
	int always;          /* kind == SHIFT_ALWAYS */
	int64_t starts_at;   /* SHIFT_ONCE: unix seconds; 0 otherwise */
	int64_t ends_at;
	int weekdays;        /* SHIFT_WEEKLY: bit 0 Monday .. bit 6 Sunday */
	int time_from;       /* SHIFT_WEEKLY: minutes after local midnight, 0..1439 */
	int time_to;         /* 1..1440; <= time_from: ends the next day */
	char first_day[SHIFT_DAY_LEN + 1];   /* local date, "" when open */
	char last_day[SHIFT_DAY_LEN + 1];
};
void shifts_free(struct shift *v, size_t n);
const char *shift_kind_name(enum shift_kind k);   /* "once", "always", "weekly", "off" */

/* Adds a shift of any kind (officer_id and the fields of its kind; names
 * and id are ignored). Returns the new id or -1. */
int64_t db_shift_insert(struct db *db, const struct shift *s, int64_t now);
/* A once (always = 0) or always shift. */
int64_t db_shift_add(struct db *db, int64_t officer_id, int level, int always,
    int64_t starts_at, int64_t ends_at, int64_t now);
/* 1 when the same shift (officer, kind, level and the fields of its kind)
 * is already in the roster, 0 not, -1. Roster imports skip those. */
int db_shift_exists(struct db *db, const struct shift *s);
/* Every shift of active officers, days off included: by level (days off
 * last), kind, start, id. */
int db_shift_list(struct db *db, struct shift **out, size_t *n);
/* The shifts that may have their officer on duty at `at` (level 0: any
 * level): once shifts running at `at`, always shifts, weekly shifts whose
 * dates reach from day_lo to day_hi ("YYYY-MM-DD"), and the days off that
 * touch day_lo..day_hi, of active officers. gateway/roster.c decides. */
int db_shift_candidates(struct db *db, int level, int64_t at, const char *day_lo,
    const char *day_hi, struct shift **out, size_t *n);
/* Weekly and always shifts and every day off ending on or after day_lo,
 * and the earliest once shift starting after `at` (if any) of active
 * officers: what gateway/roster.c needs to find the next start. */
int db_shift_upcoming(struct db *db, int64_t at, const char *day_lo, struct shift **out,
    size_t *n);
int db_shift_remove(struct db *db, int64_t id);     /* 1 removed, 0 unknown */
/* Removes an officer's days off that are exactly first..last: 1/0/-1. */
int db_shift_off_remove(struct db *db, int64_t officer_id, const char *first,
    const char *last);

/* ------------------------------------------------------------------ modems */

#define DB_FILE_ID_MAX 96
/* The pin_file version whose PIN the SIM of `modem` refused: 1 found (in
 * file_id), 0 none, -1. */
int db_sim_pin_refused(struct db *db, const char *modem, char file_id[DB_FILE_ID_MAX]);
/* Remember it (replacing any earlier), or forget it (file_id NULL). */
int db_sim_pin_refused_set(struct db *db, const char *modem, const char *file_id, int64_t now);

/* ------------------------------------------------------------------- tips */

enum tip_status { TIP_NEW, TIP_ACKNOWLEDGED, TIP_CLOSED };

struct tip {
	int64_t id;
	char code[16];           /* tracking ID body, without prefix */
	enum tip_status status;
	char *channel;
	char *pseudonym;
	unsigned char *sender_sealed;
	size_t sender_sealed_len;
	char *category;
	int urgent;
	char *text;
	char *ref_code;          /* another tracking ID the text mentioned */
	int partial;
	int64_t created_at;
	int64_t last_citizen_at;
	int64_t acked_at;
	int64_t acked_by;        /* officer id, 0 if none */
	char *acked_by_name;
	int64_t closed_at;
	int64_t closed_by;
	char *closed_by_name;
	char *close_note;
	int level;
	int64_t next_deadline_ms;   /* unix milliseconds, 0 when none */
	int64_t next_deadline;   /* the same in seconds, rounded up (for people) */
	int64_t deadline_set_at;
	int waiting;             /* nobody on duty at any level */
	int64_t notice_at;       /* receipt notice given (0: not yet) */
	int64_t passed_at;       /* passed on to the investigation agency (0: not yet) */
	char *passed_to;         /* to whom, as the officer wrote it; NULL until passed */
	int64_t passed_by;       /* officer who recorded it, 0 if none */
	char *passed_by_name;
	int64_t assigned_to;     /* handed over (CHUYEN) to this officer, 0 if never */
};
void tip_clear(struct tip *t);
void tips_free(struct tip *v, size_t n);
const char *tip_status_name(enum tip_status s);

/* Inserts; fails with a constraint error when code exists (caller retries
 * with a new code): returns the id, 0 on a code collision, -1 on error. */
int64_t db_tip_insert(struct db *db, struct tip *t);
int db_tip_by_code(struct db *db, const char *code, struct tip *out);    /* 1/0/-1 */
int db_tip_by_id(struct db *db, int64_t id, struct tip *out);            /* 1/0/-1 */
/* The sender's most recent tip that is not closed and heard from them since
 * `since`: 1/0/-1. */
int db_tip_recent_for(struct db *db, const char *pseudonym, int64_t since, struct tip *out);
/* The sender's newest tip in any state (a bare TT when none is open):
 * 1 found, 0 none, -1. */
int db_tip_latest_for(struct db *db, const char *pseudonym, struct tip *out);
/* By receipt (created_at, id); open_only: status != closed; at most max
 * (SIZE_MAX: all). */
int db_tip_list(struct db *db, int open_only, size_t max, struct tip **out, size_t *n);
int db_tip_touch_citizen(struct db *db, int64_t tip_id, int64_t at);
/* deadline_ms: unix milliseconds, 0 for none; now: seconds. */
int db_tip_set_deadline(struct db *db, int64_t tip_id, int level, int64_t deadline_ms,
    int waiting, int64_t now);
int db_tip_ack(struct db *db, int64_t tip_id, int64_t officer_id, int64_t at);
int db_tip_close(struct db *db, int64_t tip_id, int64_t officer_id, const char *note, int64_t at);
/* The earliest deadline among new tips (unix ms): 1 found (*when_ms set), 0 none. */
int db_next_deadline(struct db *db, int64_t *when_ms);
/* Ids of new tips whose deadline is at or before `now_ms`, at most max. */
int db_due_tips(struct db *db, int64_t now_ms, int64_t *ids, size_t max, size_t *n);
/* Ids of new tips waiting for anybody on duty (no deadline). */
int db_waiting_tips(struct db *db, int64_t *ids, size_t max, size_t *n);

/* Messages of a tip, both directions. */
int db_tip_message_add(struct db *db, int64_t tip_id, const char *direction,
    int64_t inbound_id, int64_t officer_id, const char *text, int64_t at);
struct tip_message {
	char *direction;
	char *text;
	int64_t at;
	char *officer_name;
};
int db_tip_messages(struct db *db, int64_t tip_id, struct tip_message **out, size_t *n);
void tip_messages_free(struct tip_message *v, size_t n);

/* Who has been told about a tip. */
int db_notified_add(struct db *db, int64_t tip_id, int64_t officer_id, int level, int64_t at);
int db_notified_list(struct db *db, int64_t tip_id, int64_t *ids, size_t max, size_t *n);
/* The level at which the officer was first told about the tip: 1 found
 * (*level set), 0 never told, -1. */
int db_notified_level(struct db *db, int64_t tip_id, int64_t officer_id, int *level);
/* New tips this officer was told about, oldest first, at most max. */
int db_waiting_for_officer(struct db *db, int64_t officer_id, size_t max, struct tip **out,
    size_t *n);
/* Tips acknowledged by this officer and not closed, in the order they were
 * acknowledged, at most max. */
int db_open_for_officer(struct db *db, int64_t officer_id, size_t max, struct tip **out,
    size_t *n);

int db_escalation_add(struct db *db, int64_t tip_id, int from_level, int to_level,
    const char *reason, int64_t at);
struct escalation {
	int from_level, to_level;
	int64_t at;
	char *reason;
};
int db_escalations(struct db *db, int64_t tip_id, struct escalation **out, size_t *n);
void escalations_free(struct escalation *v, size_t n);

/* The Zalo OA token pair, sealed by the caller (identity_seal_secret). */
struct oa_token {
	unsigned char *access;        /* NULL: none yet */
	size_t access_len;
	unsigned char *refresh;
	size_t refresh_len;
	int64_t expires_at;
	int64_t updated_at;
};
int db_oa_token_get(struct db *db, struct oa_token *out);          /* 1/0/-1 */
/* Replace the pair (own statement; commit it before using the new tokens). */
int db_oa_token_put(struct db *db, const unsigned char *access, size_t access_len,
    const unsigned char *refresh, size_t refresh_len, int64_t expires_at, int64_t now);
void oa_token_clear(struct oa_token *t);

/* The audit trail (db_audit.c): one row per event, hash-chained. The hash
 * function comes from the gateway (gateway/audit.c), registered once per
 * process with db_audit_hasher() before any thread opens the database;
 * db_audit() fails while none is registered. db_audit() runs inside the
 * caller's transaction (or its own when there is none), so concurrent
 * writers serialise and the chain stays linear. How reads collapse and
 * how their counts are sealed is gateway/audit.h's to explain. */
struct audit_row {
	int64_t id;
	int64_t at;
	const char *actor;
	const char *action;
	int64_t tip_id;          /* 0: none */
	const char *detail;      /* may be NULL */
	const char *hash;        /* NULL: a row from before the chain (schema < 4) */
	const char *officer;     /* the officer a desk action was for; may be NULL */
	const char *seals;       /* "ID:READS:LAST_AT;..." sealed by this row; may be NULL */
	int64_t reads;           /* identical reads this row stands for (1 for other rows) */
	int64_t last_at;         /* the last of them; 0 while reads is 1 */
	const char *tip_code;    /* db_audit_each only: the tip's tracking code, or NULL */
};
/* Hash of row (hash, reads, last_at and tip_code ignored) chained to prev
 * ("" for the first row): 64 hex digits and a NUL into out. */
typedef void (*db_audit_hash_fn)(const struct audit_row *row, const char *prev, char out[65]);
void db_audit_hasher(db_audit_hash_fn fn);
int db_audit(struct db *db, int64_t at, const char *actor, const char *action,
    int64_t tip_id, const char *detail);
/* The same, for an action taken by actor (a login, "api") on behalf of
 * officer (the roster officer's name; NULL: nobody). Every row written seals
 * the read counts not sealed yet (gateway/audit.h). */
int db_audit_for(struct db *db, int64_t at, const char *actor, const char *officer,
    const char *action, int64_t tip_id, const char *detail);
/* A read ("tip.read") at `at`: counted into the newest row of the same
 * actor, officer, tip and detail when that row began less than `window`
 * seconds before, is not sealed, no row after it is later than `at`, and
 * fewer than open_max rows are counting; a new row otherwise. 0 / -1. */
int db_audit_read(struct db *db, int64_t at, const char *actor, const char *officer,
    int64_t tip_id, const char *detail, int64_t window, int open_max);
/* Call fn for every row in id order (tip_id > 0: that tip's rows and rows
 * whose detail mentions `code`, when code is not NULL). fn returns 0 to go
 * on, anything else stops the walk and is returned. -1 on a database error. */
int db_audit_each(struct db *db, int64_t tip_id, const char *code,
    int (*fn)(const struct audit_row *row, void *arg), void *arg);
/* The last row: 1 (id and hash set; hash "" when NULL), 0 empty, -1 error. */
int db_audit_head(struct db *db, int64_t *id, char hash[65]);

/* Public holidays for the legal clocks' working days; day is YYYY-MM-DD. */
struct holiday {
	char day[11];
	char *name;
};
int db_holiday_add(struct db *db, const char *day, const char *name);  /* 1 added, 0 exists */
int db_holiday_remove(struct db *db, const char *day);                 /* 1 removed, 0 none */
int db_holiday_list(struct db *db, struct holiday **out, size_t *n);   /* by day */
void holidays_free(struct holiday *v, size_t n);
/* The receipt notice of a tip (tips.notice_at): get 0 when none. Set only
 * when not yet set: 1 set, 0 was already set. */
int db_tip_notice_get(struct db *db, int64_t tip_id, int64_t *at);
int db_tip_notice_set(struct db *db, int64_t tip_id, int64_t at);
/* Passing the tip on (tips.passed_at, passed_to, passed_by): set only when
 * not yet set: 1 set, 0 was already set. */
int db_tip_pass_set(struct db *db, int64_t tip_id, const char *to, int64_t officer_id,
    int64_t at);
/* Named counters (table counters, db_metrics.c): add to one, read one (0
 * when never set), set one. 0 / -1. */
int db_counter_add(struct db *db, const char *name, int64_t delta);
int db_counter_get(struct db *db, const char *name, int64_t *value);
int db_counter_set(struct db *db, const char *name, int64_t value);
/* Admitted messages not yet routed (kept by a trigger: one look-up). 0 / -1. */
int db_inbound_unrouted(struct db *db, int64_t *n);

/* Counts for /metrics (db_metrics.c): one row per label (a channel, or a
 * level for escalations; "" when the count has no label). Kept up to date by
 * triggers: reading one costs the same whatever the size of the tables. */
enum db_metric {
	DB_METRIC_TIPS,            /* tips by channel */
	DB_METRIC_ACKS,            /* tips acknowledged */
	DB_METRIC_ESCALATIONS,     /* escalations by level reached */
	DB_METRIC_OUTBOX_QUEUED,   /* outbox rows waiting, by channel */
	DB_METRIC_OUTBOX_FAILED,   /* outbox rows given up, by channel */
	DB_METRIC_SEND_ERRORS,     /* failed send attempts, by channel */
	DB_METRIC_INBOUND_TODO,    /* admitted, not yet routed */
	DB_METRIC_CALLS,           /* calls by result (counters "calls.RESULT") */
	DB_METRIC_TIPS_OPEN,       /* tips not closed */
	DB_METRIC_TIPS_UNSTAFFED,  /* new tips waiting for anybody on duty */
	DB_METRIC_COUNT
};
struct db_count {
	char label[16];
	int64_t n;
};
int db_metric(struct db *db, enum db_metric which, struct db_count *out, size_t max, size_t *n);
/* Acknowledgement times (acked_at - created_at, seconds) of the tips
 * acknowledged: counts[i] of those at most le[i] (n bounds, ascending),
 * their number and sum. */
int db_ack_histogram(struct db *db, const int64_t *le, size_t n, int64_t *counts,
    int64_t *count, int64_t *sum);
/* Messages waiting to be sent (queued or being sent): how many, when the
 * oldest was queued (0: none) and on which channel (16 bytes). */
int db_outbox_waiting(struct db *db, int64_t *n, int64_t *oldest, char channel[16]);

/* ----------------------------------------------------------------- report
 * (db_report.c): the facts the period report (gateway/report.h) counts, read
 * only, about the tips received in [from, to): never a sender, a pseudonym
 * or a text. Arrays are the caller's (free()). */
struct report_tip {
	int64_t id;
	char code[16];
	char channel[16];
	char category[32];
	int urgent;
	enum tip_status status;
	int level;
	int64_t created_at;
	int64_t first_ack_at;    /* the first acknowledgement (or the close); 0: none */
	int64_t acked_at;        /* the current acknowledgement (acked_by's); 0: none */
	int64_t acked_by;        /* officer id; 0: none */
	int64_t closed_at;       /* 0: open */
	int64_t notice_at;       /* receipt notice given; 0: not yet */
	int64_t passed_at;       /* passed on to the investigation agency; 0: not yet */
};
/* By receipt (created_at, id). */
int db_report_tips(struct db *db, int64_t from, int64_t to, struct report_tip **out, size_t *n);
/* The same tips' urgency, receipt and first acknowledgement (0: none), one
 * call of fn each, nothing kept: the desk's share of today. 0 / -1. */
int db_report_each_ack(struct db *db, int64_t from, int64_t to,
    void (*fn)(void *arg, int urgent, int64_t created_at, int64_t first_ack_at), void *arg);
struct report_escalation {
	int64_t tip_id;
	int from_level, to_level;
	int64_t at;
};
/* The escalations of those tips, by tip then time. */
int db_report_escalations(struct db *db, int64_t from, int64_t to,
    struct report_escalation **out, size_t *n);
struct report_notified {
	int64_t tip_id, officer_id;
	int level;
	int64_t first_at;
};
/* Who was told about those tips, first at which level and when. */
int db_report_notified(struct db *db, int64_t from, int64_t to, struct report_notified **out,
    size_t *n);
struct report_relay {
	int64_t tip_id;
	int question;            /* 1: an officer's relayed question; 0: the tipster wrote */
	int64_t at;
};
/* The relayed questions on those tips and the tipster's messages, by tip then
 * time. */
int db_report_relay(struct db *db, int64_t from, int64_t to, struct report_relay **out,
    size_t *n);
struct report_alarm {
	int64_t at;
	char code[16];           /* the tip that found nobody on duty; "" if none */
};
/* The nobody-on-duty alarms of the audit trail in [from, to), by time. */
int db_report_alarms(struct db *db, int64_t from, int64_t to, struct report_alarm **out,
    size_t *n);

/* What the desk page reads besides the open tips (db_report.c). Tips
 * acknowledged or closed at or after `since`, most recent first, at most
 * max (struct tip as db_tip_list; tips_free). */
int db_tips_settled_since(struct db *db, int64_t since, size_t max, struct tip **out,
    size_t *n);
/* The last message received through `via` (a modem's name) and the last one
 * sent through it (a modem's name, "zalo_oa", "zalo_bot"): 0 when none. */
int db_channel_last(struct db *db, const char *via, int64_t *last_in, int64_t *last_out);

/* ------------------------------------------------------------ attachments */

/* Remember a file to fetch for an admitted message (a duplicate is ignored).
 * Inside a transaction. */
int db_attachment_add(struct db *db, const char *channel, const char *channel_msg_id,
    const char *kind, const char *url, int64_t now);
/* Claim the next due attachment for lease_s, among those of messages the
 * router made part of a tip: 1 (id and url set, url malloc'd), 0 none, -1
 * error. */
int db_attachment_claim(struct db *db, int64_t now, int64_t lease_s, int64_t *id, char **url,
    int *attempts);
/* The message (channel, channel_msg_id) made no tip: its attachments still
 * pending are failed with why, never fetched. Inside the router's
 * transaction. */
int db_attachments_drop(struct db *db, const char *channel, const char *channel_msg_id,
    const char *why);
int db_attachment_fetched(struct db *db, int64_t id, const void *data, size_t len,
    const char *content_type, int64_t now);
/* next_attempt 0: give up (failed). */
int db_attachment_retry(struct db *db, int64_t id, const char *error, int64_t next_attempt);
struct attachment {
	char *kind;
	char *state;
	char *content_type;
	int64_t size;
	char *error;
};
int db_tip_attachments(struct db *db, int64_t tip_id, struct attachment **out, size_t *n);
void attachments_free(struct attachment *v, size_t n);

/* ----------------------------------------------------------------- outbox */

struct outbox_item {
	int64_t id;
	char *channel;
	char *dest;                   /* officer's address, or NULL */
	unsigned char *dest_sealed;   /* citizen's sealed address, or NULL */
	size_t dest_sealed_len;
	char *text;
	char *kind;
	int64_t tip_id;
	int64_t officer_id;           /* 0 for a citizen */
	int attempts;
};
void outbox_item_clear(struct outbox_item *it);

/* Queue a message. Exactly one of dest / dest_sealed. Inside a transaction. */
int64_t db_outbox_add(struct db *db, const char *channel, const char *dest,
    const unsigned char *dest_sealed, size_t dest_sealed_len, int64_t officer_id,
    int64_t tip_id, const char *kind, const char *text, int64_t now);
/* Claim the oldest message ready on `channel` for `claimer` for lease_s
 * seconds (a claim whose lease ran out is claimable again). Own transaction.
 * 1 claimed, 0 none ready, -1 error. */
int db_outbox_claim(struct db *db, const char *channel, const char *claimer, int64_t now,
    int64_t lease_s, struct outbox_item *out);
/* The same for up to max rows at once, in one transaction (oldest due
 * first); *out is the caller's (outbox_items_free). 0 / -1. */
int db_outbox_claim_many(struct db *db, const char *channel, const char *claimer, int64_t now,
    int64_t lease_s, size_t max, struct outbox_item **out, size_t *n);
int db_outbox_sent(struct db *db, int64_t id, const char *via, int64_t now);
/* Officers' messages on `channel` still queued (not claimed by a sender)
 * that were queued before `before` (at most max): candidates for the SMS
 * fallback. */
int db_outbox_stale_officer(struct db *db, const char *channel, int64_t before,
    struct outbox_item **out, size_t *n, size_t max);
/* The claimed message is being handed to the device (`via`): a crash from
 * here on leaves its outcome unknown. */
int db_outbox_handed(struct db *db, int64_t id, const char *via);
/* At start, before any sender runs: messages on `channel` a killed daemon
 * left 'sending' go back to the queue if they never reached the device, and
 * are closed failed ("outcome unknown", never sent twice) if they did. */
int db_outbox_recover(struct db *db, const char *channel, int64_t now, int *requeued,
    int *unknown);
/* Every message on `channel` left 'sending' (by a sender that died). */
int db_outbox_interrupted(struct db *db, const char *channel, struct outbox_item **out,
    size_t *n);
void outbox_items_free(struct outbox_item *v, size_t n);
/* next_attempt == 0: give up (state failed). */
int db_outbox_retry(struct db *db, int64_t id, const char *error, int64_t next_attempt);
/* Where one row stands (for `tinbao test`): 1 found, 0 none, -1. Strings
 * are the caller's (outbox_state_clear). */
struct outbox_state {
	char *state;                  /* queued, sending, sent, failed */
	char *via;                    /* who sent it, or NULL */
	char *last_error;             /* or NULL */
	int attempts;
	int64_t sent_at, next_attempt;
};
int db_outbox_state(struct db *db, int64_t id, struct outbox_state *out);
void outbox_state_clear(struct outbox_state *s);
/* Earliest next_attempt of a queued message on channel: 1 found, 0 none. */
int db_outbox_next_due(struct db *db, const char *channel, int64_t *when);
int db_outbox_count(struct db *db, const char *state, int64_t *n);

/* Calls: outbox rows on channel "voice" (dest: the officer's phone; text:
 * the SMS that replaces the call when it cannot be made). Claim the oldest
 * ready call for `claimer` (db_outbox_claim's lease rule, but a call the
 * modem was handed is never claimed again): due, its tip (if any) still
 * new, and no other message to its officer about its tip still unsent,
 * unless the call was queued before wait_since. 1 / 0 / -1, own
 * transaction. */
int db_outbox_claim_call(struct db *db, const char *claimer, int64_t now, int64_t lease_s,
    int64_t wait_since, struct outbox_item *out);
/* 1 while call `id`'s tip still waits for an acknowledgement (or it has no
 * tip), 0 not, -1. */
int db_outbox_call_wanted(struct db *db, int64_t id);
/* 1 when a call to the officer about the tip (tip_id 0: about none) is
 * queued or being made, 0 not, -1. */
int db_outbox_call_pending(struct db *db, int64_t tip_id, int64_t officer_id);
/* Queued calls of tips acknowledged or closed fail ("dropped"); returns how
 * many, -1. */
int db_outbox_drop_settled_calls(struct db *db);
/* Queued calls, oldest first, at most max. */
int db_outbox_queued_calls(struct db *db, struct outbox_item **out, size_t *n, size_t max);
/* Rows on `channel` left 'sending' without a "handed" mark go back to the
 * queue, due now; *n says how many. */
int db_outbox_requeue_unhanded(struct db *db, const char *channel, int64_t now, int *n);
/* The calls ringing now (handed to a modem, not yet reported), at most max:
 * the tip (0: a test call) and the officer's name. */
struct call_ringing {
	int64_t tip_id;
	char officer[64];
};
int db_calls_ringing(struct db *db, struct call_ringing *out, size_t max, size_t *n);

/* ------------------------------------------- relay, handover, abuse control
 * (db_relay.c) */

/* 1 when the tip still has a reply address (sealed, not destroyed by
 * retention), 0 when not or unknown, -1 on error. */
int db_tip_address_live(struct db *db, int64_t tip_id);
/* The officer who asked the latest relayed question on the tip: 1 found,
 * 0 none, -1. */
int db_relay_last_asker(struct db *db, int64_t tip_id, int64_t *officer_id);
/* 1 when the tip was handed over (CHUYEN) after its latest relayed
 * question was asked, 0 not, -1. */
int db_relay_handed_over_since_question(struct db *db, int64_t tip_id);
/* The tip of this sender with the latest relayed question asked at or after
 * `since`: 1 found (*tip_id), 0 none, -1. */
int db_relay_open_question(struct db *db, const char *pseudonym, int64_t since,
    int64_t *tip_id);
/* Hand a tip to another officer: status back to new, assigned_to set, the
 * acknowledgement cleared, level 1 with a fresh deadline (unix ms). */
int db_tip_transfer(struct db *db, int64_t tip_id, int64_t to_officer, int64_t deadline_ms,
    int64_t now);
/* Tips made by this sender since `since`. */
int db_sender_tips_since(struct db *db, const char *pseudonym, int64_t since, int64_t *n);
/* 1 muted, 0 not, -1. */
int db_sender_muted(struct db *db, const char *pseudonym);
/* Mute (muted_by: the actor, tip_id: the tip that named them) or unmute.
 * 1 changed, 0 already so, -1. */
int db_sender_mute(struct db *db, const char *pseudonym, const char *muted_by, int64_t tip_id,
    int64_t now);
int db_sender_unmute(struct db *db, const char *pseudonym);
/* Count one automatic reply to this sender on local day `day` (YYYY-MM-DD):
 * 1 allowed (counted), 0 over `cap` (not counted), -1. */
int db_sender_reply_allowed(struct db *db, const char *pseudonym, const char *day, int64_t cap);
/* 1 when this is the first refusal on `day` (recorded), 0 already refused
 * that day, -1. */
int db_sender_first_refusal(struct db *db, const char *pseudonym, const char *day);

/* Stale-flood guard (db_relay.c). Officers with at least `min` queued
 * messages asking for an acknowledgement (notify, escalate, remind, repeat,
 * transfer) created before `before`, or with at least one such message and
 * a summary still queued (a straggler that was being tried when the others
 * were collapsed joins the summary); at most max ids. */
int db_outbox_flooded_officers(struct db *db, int64_t before, int min, int64_t *ids,
    size_t max, size_t *n);
/* Take out of the queue (state failed, last_error = why) the officer's
 * queued messages of those kinds created before `before`, and any queued
 * summary: one statement whatever their number. Returns how many, -1. */
int db_outbox_collapse(struct db *db, int64_t officer_id, int64_t before, const char *why);
/* Take one queued message out of the queue (state failed, last_error = why). */
int db_outbox_drop(struct db *db, int64_t id, const char *why);
/* Drop queued officer messages that ask for an acknowledgement (notify,
 * escalate, remind, repeat, transfer) of tips now acknowledged or closed.
 * Returns how many, -1. */
int db_outbox_drop_settled(struct db *db);

/* -------------------------------------------------------------- retention */

/* A tip named by id and tracking code, for lists that must not carry more. */
struct tip_ref {
	int64_t id;
	char code[16];
	int64_t closed_at;
};
/* Closed tips that still keep a sealed reply address and were closed at or
 * before `before`, ordered by (closed_at, id), after `after` (NULL: from the
 * start), at most max. *out is the caller's (free()). */
int db_retention_due(struct db *db, int64_t before, const struct tip_ref *after, size_t max,
    struct tip_ref **out, size_t *n);
struct retention_counts {
	int64_t tips, inbound, outbox;      /* copies of tips' addresses */
	int64_t parts, loose;               /* sms_parts; inbound rows with no tip */
};
/* Destroy every copy of the tip's reply address (tips, its inbound rows, its
 * outbox rows: a message still queued fails), or with dry_run only count them.
 * Adds to *c. Inside a transaction. */
int db_retention_destroy_tip(struct db *db, int64_t tip_id, int64_t now, int dry_run,
    struct retention_counts *c);
/* The same for addresses not tied to a tip: SMS parts already joined and
 * inbound rows routed to no tip, received/processed at or before `before`. */
int db_retention_destroy_loose(struct db *db, int64_t before, int dry_run,
    struct retention_counts *c);
/* -------------------------------------------------- backup and restore
 * (db_backup.c) */

/* The schema version this program writes (migrations known). */
int64_t db_schema_version(void);
/* Copy the database behind src (any connection; tinbaod may go on writing)
 * into the new file dest with SQLite's online backup API: one consistent
 * moment, in rollback-journal mode (no -wal beside it), quick_check'ed,
 * fsynced, mode 0600, written under a temporary name and renamed into place
 * (the directory fsynced) only when whole. dest must not exist. 0 / -1 with
 * err. */
int db_backup_to(struct db *src, const char *dest, char *err, size_t errlen);
/* A backup file opened read-only as it lies (immutable: nothing made beside
 * it), after PRAGMA integrity_check said ok and its schema is one this
 * program can open. NULL with err otherwise. */
struct db *db_open_backup(const char *path, char *err, size_t errlen);
/* Replace the database at dest (created if missing) with the backup's
 * content through dest's own connection, then WAL mode again. Nobody else
 * may be writing dest (db_claim it first). 0 / -1 with err. */
int db_restore_from(struct db *backup, const char *dest, char *err, size_t errlen);
/* tinbaod's claim on its database: an exclusive flock(2) on the file (which
 * SQLite's own fcntl locks never touch), for as long as the returned
 * descriptor is open. Never close it before every connection to that file in
 * this process is closed (closing any descriptor of a file drops this
 * process's fcntl locks on it): tinbaod keeps it until it exits. The fd, or
 * -1 with err, or -2 when another process holds it (a running tinbaod; err
 * says so in English for the log). */
int db_claim(const char *path, char *err, size_t errlen);
/* The newest sealed reply address (to check that a key opens a backup): 1
 * (*out malloc'd, the caller's), 0 none, -1. */
int db_sealed_sample(struct db *db, unsigned char **out, size_t *len);

/* PRAGMA wal_checkpoint(TRUNCATE): 0 done, 1 readers kept part of the WAL, -1. */
int db_checkpoint(struct db *db);

/* Key rotation: the columns holding sealed values, 0..n-1 (NULL past the end). */
const char *db_sealed_column(size_t i);
#define DB_RESEAL_MAX 4096
/* Given a sealed value, write it resealed under the current key into out
 * (outsz bytes): 1 resealed, 0 already current, -1 unreadable (left alone). */
typedef int (*db_reseal_fn)(void *arg, const unsigned char *in, size_t inlen,
    unsigned char *out, size_t outsz, size_t *outlen);
struct reseal_counts {
	int64_t seen, resealed, unreadable;
};
/* One short transaction: the next max rows of column `col` after *after
 * (advanced), each passed to fn and updated when it resealed. 1 more rows
 * may follow, 0 the column is done, -1 error. */
int db_reseal_batch(struct db *db, size_t col, int64_t *after, size_t max,
    db_reseal_fn fn, void *arg, struct reseal_counts *c);

#endif
