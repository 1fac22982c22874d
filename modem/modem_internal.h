/* modem_internal — what the modem/ files share: `struct modem` and the
 * functions one file offers the others. Not for use outside modem/.
 *
 *   modem.c        the thread: loop, start/stop/wake, health, device watcher
 *   modem_conn.c   connect, reconnect with back-off, gammu error verdicts,
 *                  signal and network status
 *   modem_inbox.c  poll, admit, delete, multipart reassembly and expiry
 *   modem_send.c   claiming and sending SMS, reporting each send's outcome
 *   modem_sim.c    the SIM at connect: ready, its PIN from pin_file (once per
 *                  version of the file), blocked
 *   modem_call.c   claiming and placing voice calls, reporting each one
 *   smscodec.c     gammu's types to and from ours (text, numbers, parts)
 *
 * Only modem/ includes <gammu.h> (make lint checks it).
 *
 * Everything below `struct modem`'s "thread only" line belongs to the modem
 * thread; the mutex guards the wake/stop flags, the health copy and the
 * state machine pointer (so that modem_stop may abort a blocked call). gammu
 * calls its callbacks on this thread, inside our own gammu calls: they only
 * set flags.
 */
#ifndef TINBAO_MODEM_INTERNAL_H
#define TINBAO_MODEM_INTERNAL_H

#include <gammu.h>
#include <limits.h>
#include <pthread.h>
#include <stdint.h>
#include <time.h>

#include "db/db.h"
#include "modem/modem.h"

#define MODEM_BACKOFF_MAX 60          /* seconds between connection attempts, at most */
#define MODEM_STABLE 60               /* a connection that lasted this long resets the back-off */
#define MODEM_STATUS_EVERY 60         /* signal + network read (a keep-alive too) */
#define MODEM_STATUS_LOG_EVERY 300    /* ... and written to the log */
#define MODEM_SCAN_MAX 500            /* messages read in one poll, at most */
#define MODEM_SENDS_PER_TICK 8        /* then look at the inbox again */
#define MODEM_TIMEOUTS_LOST 3         /* timeouts in a row that mean the modem is gone */
#define MODEM_TICK_MS 1000            /* idle wait between looks at the device */
#define MODEM_TURN_MS 100             /* pause after a send when other modems could send */
#define MODEM_RING_STEP_MS 100        /* how often a ringing call reads the device */
#define MODEM_STOP_GRACE 3            /* seconds modem_stop waits before aborting gammu */
#define MODEM_REPEAT_LOG 300          /* the same warning again only after this long */
#define MODEM_SMSC_LOCATION 1
#define MODEM_PIN_MIN 4               /* digits of a SIM PIN in pin_file */
#define MODEM_PIN_MAX 8
#define SEND_PENDING INT_MIN

/* What a gammu error means: fine, nothing there, worth a warning, or the
 * connection is gone (already dropped when this is returned). */
enum verdict { GM_OK, GM_EMPTY, GM_SOFT, GM_LOST };

struct modem {
	const struct config *cfg;
	const struct modem_conf *mc;
	struct writer *writer;
	const struct identity *id;
	char tag[48];
	int heartbeat;                /* heartbeat slot, from the thread itself */
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t cond;
	int woken, stop;
	int ready;                     /* start handshake: 1 running, -1 failed */
	char start_err[256];
	struct modem_health health;
	GSM_StateMachine *s;           /* written under lock, by the thread only */
	char device[256];              /* the configured device path, under lock */
	int aborted_gone;              /* the watcher aborted a call: device gone */
	int hangup_first;              /* hang up at the next connection (a crash left a call) */
	pthread_t watch;
	pthread_cond_t watch_cond;
	int watching;

	/* thread only */
	struct db *db;
	int connected;
	int connects;
	time_t connected_at, next_connect;
	int connect_failures;             /* in a row: the reconnect back-off */
	int down_logged;               /* "cannot connect" said for this outage */
	int incoming;                  /* set by the +CMTI callback: poll now */
	int more_waiting;              /* the last poll read all it may: more come at once */
	int more_left;                 /* how many of them the modem's count left, 0: unknown */
	int send_status, send_mr;      /* set by the send-status callback */
	int timeouts;                  /* ERR_TIMEOUT in a row */
	int smsc_state;                /* per connection: 0 not asked, 1 have, -1 none */
	GSM_SMSC smsc;
	unsigned char ref;             /* our concatenation reference */
	time_t last_poll, last_status, last_status_log;
	int admit_failing, db_failing, expire_failing;   /* log once per streak */
	int voice;                     /* may place calls (the health copy follows it) */
	int voice_told;                /* "cannot place calls" said once */
	int call_failing;              /* a call's database error said once per streak */
	char warned[128];
	time_t warned_at;
	char pin_refused[DB_FILE_ID_MAX];   /* pin_file version the SIM refused, or "" */
	int pin_waiting;               /* down until pin_file changes */
	int pin_mode_warned;
	char sim_said[160];            /* the SIM problem last logged */
};

/* modem.c: health and flags, any modem/ file, on the modem thread. */
void modem_set_error(struct modem *m, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* The connection failed or was lost, and why (also sets last_error). */
void modem_set_fault(struct modem *m, enum modem_fault fault, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void modem_count(struct modem *m, uint64_t *field);     /* a health counter, +1 */
void modem_set_connected(struct modem *m, int up);
void modem_set_sim(struct modem *m, const char *state);     /* health.sim */
int modem_stopping(struct modem *m);
/* A warning that may repeat every poll: logged when it changes, then at
 * most every MODEM_REPEAT_LOG seconds; debug in between. */
void modem_warn_once(struct modem *m, const char *msg);

/* modem_conn.c: the connection. */
int modem_conn_new(struct modem *m, char *err, size_t errlen);   /* a fresh state machine */
void modem_conn_free(struct modem *m);
void modem_conn_close(struct modem *m);
void modem_conn_open(struct modem *m);              /* one connection attempt */
void modem_conn_drop(struct modem *m, enum modem_fault fault, const char *why);
/* What gammu error e on connecting means, in words ("device missing:
 * /dev/ttyUSB0"), into out; returns the fault. */
enum modem_fault modem_conn_explain(struct modem *m, GSM_Error e, char *out, size_t outsz);
/* 1 when the configured device path no longer exists (unplugged). */
int modem_conn_gone(struct modem *m);
/* What gammu error e from the call `what` means for us; logs it, and
 * drops the connection when it is lost. */
enum verdict modem_conn_verdict(struct modem *m, const char *what, GSM_Error e);
/* 1 when gammu error e means the connection is gone (ERR_TIMEOUT too). */
int modem_conn_lost(GSM_Error e);
/* Reads signal and network into the health copy; to_log also logs them. */
void modem_conn_status(struct modem *m, int to_log);

/* modem_sim.c: the SIM. modem_sim_unlock() right after gammu connects:
 * 0 the SIM is ready (or the driver cannot tell), -1 it is not (locked,
 * its PIN refused, blocked: health and log say why; the caller closes the
 * connection and tries later). modem_sim_pin_changed(): 1 when the modem
 * waits for pin_file to change and it has. modem_sim_load() reads the
 * refusal kept in the database (thread start). */
int modem_sim_unlock(struct modem *m);
int modem_sim_pin_changed(struct modem *m);
void modem_sim_load(struct modem *m);

/* modem_inbox.c: receiving. */
void modem_inbox_poll(struct modem *m);
/* Admits the incomplete long SMS that waited [gateway] multipart_timeout. */
void modem_inbox_expire(struct modem *m, time_t now);

/* modem_send.c: sending. 1 if more rows may be due now. */
int modem_send_due(struct modem *m);

/* modem_call.c: voice calls. What the modem can do, from its configuration
 * and driver (at start and each new state machine); said once at connect. */
void modem_call_init(struct modem *m);
void modem_call_connected(struct modem *m);
/* Place one due call: 1 if one was handled (more may be due), 0 none. */
int modem_call_due(struct modem *m);

#endif
