/* modemalarm — see modemalarm.h. */
#include "gateway/modemalarm.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/health.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"

#define TAG "alarm"
#define ALARM_LEADERS_MAX 32
#define ALARM_KEY_MAX 64

struct told {
	char name[40];
	int loaded;
	int64_t since;                /* the outage told of; 0 none */
};

struct modemalarm {
	struct db *db;
	struct told told[CONFIG_MAX_MODEMS];
	int failing;                  /* a database error logged, not yet cleared */
};

struct modemalarm *
modemalarm_open(const char *database, char *err, size_t errlen)
{
	struct modemalarm *a = calloc(1, sizeof *a);
	if (!a) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	a->db = db_open(database, 0, err, errlen);
	if (!a->db) {
		free(a);
		return NULL;
	}
	return a;
}

void
modemalarm_close(struct modemalarm *a)
{
	if (!a)
		return;
	db_close(a->db);
	free(a);
}

/* The remembered state of modem `name` (read once, then kept). */
static struct told *
told_of(struct modemalarm *a, size_t i, const char *name)
{
	struct told *t = &a->told[i];
	if (!t->loaded || strcmp(t->name, name) != 0) {
		char key[ALARM_KEY_MAX];
		snprintf(key, sizeof key, "modem_alarm:%s", name);
		if (db_counter_get(a->db, key, &t->since) < 0)
			return NULL;
		snprintf(t->name, sizeof t->name, "%s", name);
		t->loaded = 1;
	}
	return t;
}

/* Tell every shift leader on duty, by Zalo (or by SMS when another modem is
 * up); the count told into *n. Inside the caller's transaction. */
static int
tell_leaders(struct modemalarm *a, const struct config *cfg, const struct health_snapshot *s,
    const char *text, int64_t now, size_t *n)
{
	int64_t ids[ALARM_LEADERS_MAX];
	size_t k = 0;
	*n = 0;
	int sms_up = 0;
	for (size_t i = 0; i < s->n_modems; i++)
		sms_up |= s->modem[i].connected;
	int stand_in = 0;
	if (notify_leaders_on_duty(a->db, now, ids, ALARM_LEADERS_MAX, &k, &stand_in) < 0)
		return -1;
	if (stand_in)
		log_warn(TAG, "no shift leader on duty (level 3 or role leader): telling the %zu "
		    "officer%s on duty at level %d instead", k, k == 1 ? "" : "s", stand_in);
	for (size_t i = 0; i < k; i++) {
		int r = notify_officer_zalo(a->db, cfg, ids[i], 0, "modem_alarm", text, now);
		if (r < 0)
			return -1;
		if (r == 0 && sms_up) {
			if (notify_officer_sms(a->db, cfg, ids[i], 0, "modem_alarm", text, now) < 0)
				return -1;
			r = 1;
		}
		if (r == 0)
			log_warn(TAG, "shift leader %lld has no Zalo id on a configured Zalo channel and "
			    "no modem is up: not told", (long long)ids[i]);
		*n += (size_t)r;
	}
	if (k == 0)
		log_warn(TAG, "nobody on duty at any level to tell");
	return 0;
}

/* One transition of modem i: the messages, the audit event and the
 * remembered state in one transaction. */
static int
transition(struct modemalarm *a, const struct config *cfg, const struct health_snapshot *s,
    size_t i, struct told *t, int down)
{
	const struct modem_health *h = &s->modem[i];
	const char *name = s->modem_name[i];
	char text[MSG_MAX], detail[300], key[ALARM_KEY_MAX];
	int64_t since = down ? h->down_since : t->since;
	if (down)
		msg_modem_down(cfg, name, since, health_fault_text(h->fault, 1), text);
	else
		msg_modem_back(cfg, name, since, s->now, text);
	snprintf(key, sizeof key, "modem_alarm:%s", name);
	size_t n = 0;
	if (db_begin(a->db) < 0)
		return -1;
	int rc = tell_leaders(a, cfg, s, text, s->now, &n);
	if (rc == 0) {
		if (down)
			snprintf(detail, sizeof detail, "modem %s down since %lld (%s): %zu shift "
			    "leader%s told", name, (long long)since, h->last_error, n, n == 1 ? "" : "s");
		else
			snprintf(detail, sizeof detail, "modem %s back after %lld s: %zu shift leader%s "
			    "told", name, (long long)(s->now - since), n, n == 1 ? "" : "s");
		rc = db_audit(a->db, s->now, "tinbaod", down ? "modem.down" : "modem.up", 0, detail);
	}
	if (rc == 0)
		rc = db_counter_set(a->db, key, down ? since : 0);
	if (rc == 0)
		rc = db_commit(a->db);
	if (rc < 0) {
		db_rollback(a->db);
		return -1;
	}
	t->since = down ? since : 0;
	if (down)
		log_error(TAG, "modem %s down for %lld s (%s): %zu shift leader%s told", name,
		    (long long)(s->now - since), h->last_error, n, n == 1 ? "" : "s");
	else
		log_notice(TAG, "modem %s back after %lld s: %zu shift leader%s told", name,
		    (long long)(s->now - since), n, n == 1 ? "" : "s");
	return n > 0;
}

int
modemalarm_check(struct modemalarm *a, const struct config *cfg,
    const struct health_snapshot *s)
{
	int queued = 0, failed = 0;
	for (size_t i = 0; i < s->n_modems && i < CONFIG_MAX_MODEMS; i++) {
		const struct modem_health *h = &s->modem[i];
		struct told *t = told_of(a, i, s->modem_name[i]);
		if (!t) {
			failed = 1;
			continue;
		}
		int down = !h->connected && h->down_since &&
		    s->now - h->down_since >= s->modem_down_alarm[i];
		int r = 0;
		if (down && !t->since)
			r = transition(a, cfg, s, i, t, 1);
		else if (h->connected && t->since)
			r = transition(a, cfg, s, i, t, 0);
		if (r < 0)
			failed = 1;
		else
			queued |= r;
	}
	if (failed && !a->failing)
		log_error(TAG, "cannot record a modem alarm, will retry: %s", db_errmsg(a->db));
	else if (!failed && a->failing)
		log_notice(TAG, "modem alarms are recorded again");
	a->failing = failed;
	return failed ? -1 : queued;
}
