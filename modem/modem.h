/* modem — the SMS channel: one thread per [modem NAME] section, each owning
 * its libgammu state machine and its own database connection.
 *
 * A device given as a path (serial port, USB tty, the dummy driver's
 * directory) that disappears means the modem is gone: the thread drops the
 * connection, and a small watcher thread aborts a gammu call that is blocked
 * on it. Each connection gets a fresh gammu state machine.
 *
 * The thread connects (and reconnects with back-off, never giving up), polls
 * the inbox, admits every message through the writer and deletes it from the
 * modem only after the commit; parts of a long SMS are stored one by one
 * and joined here when their group is complete (incomplete groups are
 * admitted partial after [gateway] multipart_timeout). While connected it
 * sends the SMS outbox one row at a time, so several modems share the
 * sending, and reports what happened to each send to the outbox
 * (gateway/outbox.h), which decides retries and giving up. It logs signal and
 * network at connect and every five minutes. Citizens' numbers and message
 * texts never reach the log: pseudonym prefixes and lengths do.
 *
 * modem_start()/modem_stop() from the main thread; modem_wake() and
 * modem_health() from any thread. The config (and the modem_conf inside it),
 * the writer and the identity are borrowed and must outlive the modem.
 */
#ifndef TINBAO_MODEM_H
#define TINBAO_MODEM_H

#include <stddef.h>
#include <stdint.h>

struct config;
struct modem_conf;
struct writer;
struct identity;
struct modem;
struct db;
struct admission;

/* Why a modem is down, for people (gateway/health.c words it per medium). */
enum modem_fault {
	MODEM_FAULT_NONE,
	MODEM_FAULT_DEVICE_MISSING,   /* the device node is gone (unplugged) */
	MODEM_FAULT_PERMISSION,       /* it exists, the service user may not open it */
	MODEM_FAULT_BUSY,             /* another program holds it (ModemManager?) */
	MODEM_FAULT_NO_ANSWER,        /* opened, but the modem does not answer */
	MODEM_FAULT_SIM,              /* the SIM is missing or waits for a PIN */
	MODEM_FAULT_OTHER,
};

struct modem_health {
	int connected;
	int signal_percent;           /* -1 when unknown, and always while down */
	int signal_dbm;
	char network[64];             /* "code name (home|roaming|...)"; "" unknown or down */
	char last_error[128];         /* what happened, in words; "" after a good (re)connect */
	enum modem_fault fault;       /* while down: why; MODEM_FAULT_NONE while connected */
	int64_t last_poll;            /* unix seconds of the last inbox poll */
	int64_t down_since;           /* unix seconds the modem went down; 0 while connected */
	int64_t next_connect;         /* the next connection attempt; 0 while connected */
	uint64_t received, sent, send_failures, reconnects;
	char sim[64];                 /* "ready", "PIN required", "PIN wrong", "PUK required",
	                               * "not asked" (the driver cannot tell), "" before a connection */
	char model[96];               /* manufacturer and model, once connected */
	int64_t connected_since;      /* unix seconds; 0 while down */
};

/* Starts the thread. Fails (NULL, reason in err) only for what retrying
 * cannot fix: gammu refusing the section's keys, the database not opening,
 * no memory or thread. An absent or broken modem is not a failure: the
 * thread keeps trying to connect. */
struct modem *modem_start(const struct config *cfg, const struct modem_conf *mc,
    struct writer *w, const struct identity *id, char *err, size_t errlen);
/* The outbox has new rows: look now. */
void modem_wake(struct modem *m);
/* A copy of the current state, taken under the modem's mutex. */
void modem_health(struct modem *m, struct modem_health *out);
/* Asks the thread to stop and joins it (a gammu call still blocked after a
 * grace period is aborted); frees everything. Accepts NULL. */
void modem_stop(struct modem *m);

/* What `tinbaod --check-config` asks of a [modem NAME] section, as the
 * user tinbaod runs as: gammu takes its keys (as modem_start() will), and
 * gammu's logfile, when set, can be opened for writing (else the modem
 * stays down with "Can not open specified file"; under the unit's
 * ProtectSystem=strict only /var/lib/tinbao and /var/log/tinbao are
 * writable). 0, or -1 with the reason in err. A device that is not there
 * is not an error (it may be plugged in later): warn says so ("" if not). */
int modem_check_config(const struct modem_conf *mc, char *err, size_t errlen, char *warn,
    size_t warnlen);

/* Multipart reassembly over the store, on the caller's connection (any
 * thread that owns it). modem_part_admit() is the writer's admit hook for
 * one part (writer.h): it stores the part and, when its group is complete,
 * joins it and admits the whole message, in the caller's transaction;
 * 1 stored, 0 duplicate, -1 error. modem_parts_expire() admits as partial
 * every incomplete group whose first part arrived before `before` and
 * prunes joined parts two days older, in its own transaction; it returns
 * how many messages it admitted, or -1. */
int modem_part_admit(struct db *db, const struct admission *a);
int modem_parts_expire(struct db *db, int64_t before);

#endif
