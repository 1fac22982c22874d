/* modem — the SMS channel: one thread per [modem NAME] section, each owning
 * its libgammu state machine and its own database connection.
 *
 * The thread connects (and reconnects with back-off, never giving up),
 * polls the inbox, admits every message through the writer and deletes it
 * from the modem only after the commit, stores multipart pieces until they
 * join (or time out, then admitted partial), and sends the SMS outbox while
 * it is healthy, so several modems share the sending. It logs signal and
 * network at connect and every five minutes.
 *
 * modem_start()/modem_stop() from the main thread; modem_wake() and
 * modem_health() from any thread. The config, writer and identity are
 * borrowed and must outlive the modem.
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

struct modem_health {
	int connected;
	int signal_percent;
	int signal_dbm;
	char network[64];
	char last_error[128];
	int64_t last_poll;
	uint64_t received, sent, send_failures, reconnects;
};

struct modem *modem_start(const struct config *cfg, const struct modem_conf *mc,
    struct writer *w, const struct identity *id, char *err, size_t errlen);
void modem_wake(struct modem *m);
void modem_health(struct modem *m, struct modem_health *out);
void modem_stop(struct modem *m);

#endif
