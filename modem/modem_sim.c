/* modem_sim — the SIM at each connection: is it ready, does it wait for
 * its PIN (entered from [modem NAME] pin_file), or is it blocked?
 *
 * A SIM allows three wrong PINs, then wants its PUK, which is a person's
 * job. So a PIN is entered at most once per version of pin_file: when the
 * SIM refuses it (or its answer is lost: it may have counted), the file's
 * identity (device, inode, size, modification time; nothing of the PIN) is
 * kept, in memory and in the database, and that version is never entered
 * again, across reconnects and restarts. The modem stays down meanwhile,
 * with "SIM PIN wrong: not retried until pin_file changes" as its error;
 * the thread looks at the file every tick and connects again as soon as it
 * changed. Modem thread only.
 */
#include "modem/modem_internal.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/log.h"
#include "gateway/secretfile.h"

#define PIN_MIN MODEM_PIN_MIN
#define PIN_MAX MODEM_PIN_MAX
#define SIM_READY_WAIT 10             /* seconds for the SIM to be ready after its PIN */

/* The identity of the file's current version, or -1 (errno set). */
static int
file_id(const char *path, char out[DB_FILE_ID_MAX])
{
	struct stat st;
	if (stat(path, &st) < 0)
		return -1;
	snprintf(out, DB_FILE_ID_MAX, "%llu:%llu:%lld:%lld.%09ld", (unsigned long long)st.st_dev,
	    (unsigned long long)st.st_ino, (long long)st.st_size, (long long)st.st_mtim.tv_sec,
	    st.st_mtim.tv_nsec);
	return 0;
}

/* The state for /healthz and `tinbao modem status`, the error, and the
 * log line once for as long as it stays the same. Returns -1: the caller
 * closes the connection and tries again later. */
static int
not_ready(struct modem *m, const char *sim, int level, const char *fmt, ...)
	__attribute__((format(printf, 4, 5)));

static int
not_ready(struct modem *m, const char *sim, int level, const char *fmt, ...)
{
	char msg[sizeof m->health.last_error];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, fmt, ap);
	va_end(ap);
	modem_set_sim(m, sim);
	modem_set_fault(m, MODEM_FAULT_SIM, "%s", msg);     /* a modem down: SIM not ready */
	if (strcmp(m->sim_said, msg) != 0) {
		if (level == LOG_ERR)
			log_error(m->tag, "%s", msg);
		else
			log_warn(m->tag, "%s", msg);
		snprintf(m->sim_said, sizeof m->sim_said, "%s", msg);
	} else {
		log_debug(m->tag, "still: %s", msg);
	}
	return -1;
}

/* Forget a refusal (the SIM is open now): memory and database. */
static void
forget_refusal(struct modem *m)
{
	if (!m->pin_refused[0])
		return;
	m->pin_refused[0] = '\0';
	if (db_sim_pin_refused_set(m->db, m->mc->name, NULL, 0) < 0)
		log_warn(m->tag, "cannot forget the refused SIM PIN: %s", db_errmsg(m->db));
}

static void
remember_refusal(struct modem *m, const char *id)
{
	snprintf(m->pin_refused, sizeof m->pin_refused, "%s", id);
	if (db_sim_pin_refused_set(m->db, m->mc->name, id, (int64_t)time(NULL)) < 0)
		log_error(m->tag, "cannot record the refused SIM PIN (%s): it is not tried again "
		    "while tinbaod runs, but would be after a restart", db_errmsg(m->db));
}

static int
ready(struct modem *m)
{
	modem_set_sim(m, "ready");
	m->sim_said[0] = '\0';
	forget_refusal(m);
	return 0;
}

/* Read the PIN: 0 with 4-8 digits in pin, or -1 after saying why. */
static int
read_pin(struct modem *m, char *pin, size_t pinsz)
{
	char err[256];
	size_t len = 0;
	int others = 0;
	if (secretfile_read("pin_file", m->mc->pin_file, 0, PIN_MIN, pin, pinsz, &len, &others,
	    err, sizeof err) < 0)
		return not_ready(m, "PIN required", LOG_ERR, "SIM PIN required: %s", err);
	if (len > PIN_MAX || strspn(pin, "0123456789") != len) {
		identity_wipe(pin, pinsz);
		return not_ready(m, "PIN required", LOG_ERR, "SIM PIN required: pin_file %s does not "
		    "hold a PIN of %d-%d digits (nothing entered)", m->mc->pin_file, PIN_MIN, PIN_MAX);
	}
	if (others && !m->pin_mode_warned) {
		log_warn(m->tag, "pin_file %s may be read by any user: chmod 0640", m->mc->pin_file);
		m->pin_mode_warned = 1;
	}
	return 0;
}

/* After an accepted PIN the SIM takes a moment before SMS work. */
static void
wait_ready(struct modem *m)
{
	for (int i = 0; i < SIM_READY_WAIT && !modem_stopping(m); i++) {
		GSM_SecurityCodeType sec = SEC_Pin;
		if (GSM_GetSecurityStatus(m->s, &sec) == ERR_NONE && sec == SEC_None)
			return;
		struct timespec second = { .tv_sec = 1, .tv_nsec = 0 };
		nanosleep(&second, NULL);
	}
}

static int
enter_pin(struct modem *m)
{
	char id[DB_FILE_ID_MAX], pin[PIN_MAX + 8];
	if (file_id(m->mc->pin_file, id) < 0)
		return not_ready(m, "PIN required", LOG_ERR, "SIM PIN required: pin_file %s: %s",
		    m->mc->pin_file, strerror(errno));
	if (m->pin_refused[0] && strcmp(id, m->pin_refused) == 0) {
		m->pin_waiting = 1;
		return not_ready(m, "PIN wrong", LOG_ERR, "SIM PIN wrong: not retried until "
		    "pin_file changes");
	}
	if (read_pin(m, pin, sizeof pin) < 0)
		return -1;
	GSM_SecurityCode code;
	memset(&code, 0, sizeof code);
	code.Type = SEC_Pin;
	snprintf(code.Code, sizeof code.Code, "%s", pin);
	identity_wipe(pin, sizeof pin);
	log_notice(m->tag, "the SIM waits for its PIN: entering the one in %s (once)",
	    m->mc->pin_file);
	GSM_Error e = GSM_EnterSecurityCode(m->s, &code);
	identity_wipe(&code, sizeof code);
	if (e == ERR_NONE) {
		wait_ready(m);
		log_notice(m->tag, "SIM PIN accepted");
		return ready(m);
	}
	/* refused, or no answer: the SIM may have counted it. Never again. */
	remember_refusal(m, id);
	m->pin_waiting = 1;
	if (e == ERR_SECURITYERROR)
		return not_ready(m, "PIN wrong", LOG_ERR, "SIM PIN wrong: not retried until pin_file "
		    "changes (the SIM refused it; three wrong PINs block it)");
	return not_ready(m, "PIN not confirmed", LOG_ERR, "SIM PIN not confirmed (%s): not "
	    "retried until pin_file changes", GSM_ErrorName(e));
}

int
modem_sim_unlock(struct modem *m)
{
	GSM_SecurityCodeType sec = SEC_None;
	m->pin_waiting = 0;
	GSM_Error e = GSM_GetSecurityStatus(m->s, &sec);
	if (e != ERR_NONE && modem_conn_lost(e))
		return not_ready(m, "", LOG_WARNING, "SIM status: %s", GSM_ErrorString(e));
	if (e != ERR_NONE) {
		modem_set_sim(m, "not asked");          /* the driver cannot tell (dummy) */
		return 0;
	}
	switch (sec) {
	case SEC_None:
		return ready(m);
	case SEC_Pin:
		if (!m->mc->pin_file)
			return not_ready(m, "PIN required", LOG_ERR, "SIM PIN required: set [modem %s] "
			    "pin_file, or unlock the SIM", m->mc->name);
		return enter_pin(m);
	case SEC_Puk:
		return not_ready(m, "PUK required", LOG_ERR, "SIM blocked after three wrong PINs: it "
		    "needs its PUK from the carrier (tinbao never enters one)");
	default:
		return not_ready(m, "code required", LOG_ERR, "the SIM or modem waits for a security "
		    "code (type %d) that tinbao does not enter", (int)sec);
	}
}

int
modem_sim_pin_changed(struct modem *m)
{
	char id[DB_FILE_ID_MAX];
	return m->pin_waiting && m->mc->pin_file && file_id(m->mc->pin_file, id) == 0 &&
	    strcmp(id, m->pin_refused) != 0;
}

void
modem_sim_load(struct modem *m)
{
	m->pin_refused[0] = '\0';
	if (m->mc->pin_file && db_sim_pin_refused(m->db, m->mc->name, m->pin_refused) < 0)
		log_warn(m->tag, "cannot read the refused SIM PIN record: %s", db_errmsg(m->db));
}
