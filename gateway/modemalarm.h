/* modemalarm — a modem left down is an alarm for people, not only for
 * Prometheus: once a modem has been down for its [modem NAME] down_alarm,
 * the shift leaders on duty are told through Zalo (their other channel: the
 * SMS side is what is down), once per outage, and told again when it is
 * back. What was told is remembered in the database (counter
 * "modem_alarm:NAME" = when the outage told of began; 0 when none), so a
 * restart during an outage neither repeats the alarm nor forgets to say the
 * modem is back. Each alarm is one transaction: the messages and an audit
 * event (modem.down, modem.up).
 *
 * The gateway decides here; the modem only reports its health (channels
 * carry, the gateway decides). Main thread only: the alarm owns its
 * database connection. The snapshot and config are borrowed.
 */
#ifndef TINBAO_MODEMALARM_H
#define TINBAO_MODEMALARM_H

#include <stddef.h>

struct config;
struct health_snapshot;
struct modemalarm;

struct modemalarm *modemalarm_open(const char *database, char *err, size_t errlen);
/* Looks at every modem of s (s->now, modem_name, modem, modem_down_alarm):
 * 1 when messages were queued (wake the senders), 0 nothing to do, -1 a
 * database error (logged once while it lasts; tried again next time). */
int modemalarm_check(struct modemalarm *a, const struct config *cfg,
    const struct health_snapshot *s);
void modemalarm_close(struct modemalarm *a);

#endif
