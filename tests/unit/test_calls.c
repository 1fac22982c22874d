/* Unit tests: calls (gateway/calls.c, the voice rows of gateway/outbox.c and
 * db_outbox_claim_call) on a real SQLite file with the clock in hand — the
 * [escalation] call keys, call_hours across midnight, when a call may be
 * claimed, what its outcome records, and what becomes of a call no modem
 * can make or a crash interrupted. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/calls.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "gateway/timeutil.h"
#include "tests/unit/unit.h"

static char dbpath[256];

static struct db *
fresh(const char *tag)
{
	static int once;
	if (!once) {
		audit_init();
		once = 1;
	}
	log_set_level(LOG_CRIT);
	return unit_fresh_db(tag, dbpath, sizeof dbpath);
}

static struct config
policy(void)
{
	struct config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.max_attempts = 2;
	cfg.retry_base = 10;
	cfg.retry_max = 60;
	cfg.fallback_after = 60;
	cfg.n_modems = 1;
	cfg.tracking_prefix = "TB";
	cfg.call_level_mask = 1u << 3 | 1u << 4;
	cfg.call_hours_from = cfg.call_hours_to = -1;
	cfg.call_ring = 30;
	return cfg;
}

static int64_t
add_officer(struct db *db, const char *phone)
{
	struct officer o = { .name = "Lê Văn Cường", .phone = (char *)phone, .channel = "sms" };
	return db_officer_add(db, &o, 1);
}

static int64_t
add_tip(struct db *db, struct tip *t, const char *code, int64_t at)
{
	memset(t, 0, sizeof *t);
	snprintf(t->code, sizeof t->code, "%s", code);
	t->channel = "sms";
	t->pseudonym = "p1";
	t->text = "tin";
	t->created_at = at;
	t->last_citizen_at = at;
	t->id = db_tip_insert(db, t);
	return t->id;
}

static int64_t
counter(struct db *db, const char *name)
{
	int64_t v = -1;
	db_counter_get(db, name, &v);
	return v;
}

static int64_t
queued_calls(struct db *db)
{
	struct outbox_item *v = NULL;
	size_t n = 0;
	int rc = db_outbox_queued_calls(db, &v, &n, 100);
	outbox_items_free(v, n);
	return rc < 0 ? -1 : (int64_t)n;
}

struct audit_seen {
	int placed, failed;
	char last[240];
};

static int
see_audit(const struct audit_row *row, void *arg)
{
	struct audit_seen *s = arg;
	if (strcmp(row->action, "call.placed") == 0)
		s->placed++;
	if (strcmp(row->action, "call.failed") == 0)
		s->failed++;
	snprintf(s->last, sizeof s->last, "%s", row->detail ? row->detail : "");
	return 0;
}

/* ---------------------------------------------------------------- keys */

static void
test_call_keys_parse(void)
{
	unsigned mask = 99;
	CHECK(config_parse_levels("3,4", &mask) == 0 && mask == (1u << 3 | 1u << 4));
	CHECK(config_parse_levels(" 1 , 2,4", &mask) == 0 && mask == (1u << 1 | 1u << 2 | 1u << 4));
	CHECK(config_parse_levels("", &mask) == 0 && mask == 0);
	CHECK(config_parse_levels("5", &mask) < 0);
	CHECK(config_parse_levels("34", &mask) < 0);
	CHECK(config_parse_levels("3;4", &mask) < 0);
	CHECK(config_parse_levels("0", &mask) < 0);
	int f = 0, t = 0;
	CHECK(config_parse_hours("22:00-06:00", &f, &t) == 0 && f == 22 * 60 && t == 6 * 60);
	CHECK(config_parse_hours("22:00 - 06:30", &f, &t) == 0 && f == 22 * 60 && t == 390);
	CHECK(config_parse_hours("", &f, &t) == 0 && f == -1 && t == -1);
	CHECK(config_parse_hours("  ", &f, &t) == 0 && f == -1);
	CHECK(config_parse_hours("06:00-06:00", &f, &t) < 0);    /* empty: say "" for always */
	CHECK(config_parse_hours("24:00-06:00", &f, &t) < 0);
	CHECK(config_parse_hours("22:00", &f, &t) < 0);
	CHECK(config_parse_hours("off-06:00", &f, &t) < 0);
	CHECK(config_parse_hours("22:00-06:00-07:00", &f, &t) < 0);
	CHECK(config_parse_hours("2200-0600", &f, &t) < 0);
}

static void
test_call_hours_across_midnight_and_wanted(void)
{
	CHECK(timeutil_set_zone("Asia/Ho_Chi_Minh") == 0);
	struct config cfg = policy();
	int64_t day = timeutil_local_midnight(2026, 11, 22);      /* a Sunday */
	cfg.call_hours_from = 22 * 60;
	cfg.call_hours_to = 6 * 60;
	static const struct { int hh, mm, in; } at[] = {
		{ 0, 0, 1 }, { 3, 0, 1 }, { 5, 59, 1 }, { 6, 0, 0 }, { 12, 0, 0 }, { 21, 59, 0 },
		{ 22, 0, 1 }, { 23, 59, 1 },
	};
	for (size_t i = 0; i < sizeof at / sizeof at[0]; i++)
		CHECK(calls_in_hours(&cfg, day + at[i].hh * 3600 + at[i].mm * 60) == at[i].in);
	cfg.call_hours_from = 9 * 60;         /* a window inside the day */
	cfg.call_hours_to = 17 * 60;
	CHECK(!calls_in_hours(&cfg, day + 8 * 3600 + 59 * 60));
	CHECK(calls_in_hours(&cfg, day + 9 * 3600));
	CHECK(!calls_in_hours(&cfg, day + 17 * 3600));
	cfg.call_hours_from = cfg.call_hours_to = -1;
	CHECK(calls_in_hours(&cfg, day + 12 * 3600));
	/* levels 3 and 4 inside the hours; urgent everywhere with call_urgent */
	cfg.call_hours_from = 22 * 60;
	cfg.call_hours_to = 6 * 60;
	int64_t night = day + 2 * 3600, noon = day + 12 * 3600;
	CHECK(!calls_wanted(&cfg, 0, 1, night) && !calls_wanted(&cfg, 0, 2, night));
	CHECK(calls_wanted(&cfg, 0, 3, night) && calls_wanted(&cfg, 0, 4, night));
	CHECK(!calls_wanted(&cfg, 0, 3, noon));
	CHECK(!calls_wanted(&cfg, 1, 1, noon));           /* call_urgent = no */
	cfg.call_urgent = 1;
	CHECK(calls_wanted(&cfg, 1, 1, noon) && calls_wanted(&cfg, 1, 2, night));
	CHECK(!calls_wanted(&cfg, 0, 1, noon));
}

/* ------------------------------------------------------------ queueing */

static void
test_queue_once_per_officer_and_tip(void)
{
	struct db *db = fresh("calls1");
	if (!db)
		return;
	struct config cfg = policy();
	struct tip t;
	int64_t o = add_officer(db, "+84900000003");
	CHECK(add_tip(db, &t, "AAAAAA", 1000) > 0);
	CHECK(calls_queue(db, &cfg, &t, o, 2, 1000) == 0);       /* level 2 does not ring */
	CHECK(db_outbox_call_pending(db, t.id, o) == 0);
	CHECK(calls_queue(db, &cfg, &t, o, 3, 1000) == 0);
	CHECK(db_outbox_call_pending(db, t.id, o) == 1);
	CHECK(calls_queue(db, &cfg, &t, o, 4, 1001) == 0);       /* one waiting is enough */
	CHECK(queued_calls(db) == 1);
	cfg.n_modems = 0;                                        /* no modem, no call */
	struct tip t2;
	CHECK(add_tip(db, &t2, "BBBBBB", 1000) > 0);
	CHECK(calls_queue(db, &cfg, &t2, o, 3, 1000) == 0 && db_outbox_call_pending(db, t2.id, o) == 0);
	db_close(db);
}

/* ------------------------------------------------------------- claiming */

static void
test_claim_waits_for_the_sms_and_the_tip(void)
{
	struct db *db = fresh("calls2");
	if (!db)
		return;
	struct config cfg = policy();
	struct tip t;
	struct outbox_item sms, call;
	int64_t o = add_officer(db, "+84900000003");
	CHECK(add_tip(db, &t, "CCCCCC", 1000) > 0);
	CHECK(db_outbox_add(db, "sms", "+84900000003", NULL, 0, o, t.id, "escalate", "Chuyển cấp",
	    1000) > 0);
	CHECK(calls_queue(db, &cfg, &t, o, 3, 1000) == 0);
	/* the SMS first: until it has gone, no call (unless it waited too long) */
	CHECK(db_outbox_claim_call(db, "at1", 1000, 100, 1000 - CALLS_WAIT_MAX, &call) == 0);
	CHECK(db_outbox_claim(db, "sms", "at1", 1001, 30, &sms) == 1);
	CHECK(db_outbox_claim_call(db, "at1", 1001, 100, 1001 - CALLS_WAIT_MAX, &call) == 0);
	CHECK(outbox_report(db, &cfg, &sms, OUTBOX_SENT, "at1", NULL, 0, 1002) == 0);
	outbox_item_clear(&sms);
	CHECK(db_outbox_claim_call(db, "at1", 1002, 100, 1002 - CALLS_WAIT_MAX, &call) == 1);
	CHECK_STR(call.channel, "voice");
	CHECK_STR(call.dest, "+84900000003");
	CHECK(call.officer_id == o && call.tip_id == t.id && call.attempts == 1);
	/* handed to the modem: never claimed again, even past its lease */
	CHECK(db_outbox_handed(db, call.id, "at1") == 0);
	outbox_item_clear(&call);
	CHECK(db_outbox_claim_call(db, "at2", 5000, 100, 0, &call) == 0);

	/* a call whose SMS cannot go waits CALLS_WAIT_MAX, then rings anyway */
	struct tip t2;
	CHECK(add_tip(db, &t2, "DDDDDD", 2000) > 0);
	CHECK(db_outbox_add(db, "sms", "+84900000003", NULL, 0, o, t2.id, "escalate", "x",
	    2000) > 0);
	CHECK(calls_queue(db, &cfg, &t2, o, 3, 2000) == 0);
	CHECK(db_outbox_claim_call(db, "at1", 2100, 100, 2100 - CALLS_WAIT_MAX, &call) == 0);
	CHECK(db_outbox_claim_call(db, "at1", 2400, 100, 2400 - CALLS_WAIT_MAX, &call) == 1);
	CHECK(outbox_call_wanted(db, &call) == 1);
	/* acknowledged while it rings: no longer wanted */
	CHECK(db_tip_ack(db, t2.id, o, 2401) == 0);
	CHECK(outbox_call_wanted(db, &call) == 0);
	outbox_item_clear(&call);

	/* acknowledged before it went: never claimed, dropped by the tick */
	struct tip t3;
	CHECK(add_tip(db, &t3, "EEEEEE", 3000) > 0);
	CHECK(calls_queue(db, &cfg, &t3, o, 4, 3000) == 0);
	CHECK(db_tip_ack(db, t3.id, o, 3001) == 0);
	CHECK(db_outbox_claim_call(db, "at1", 3002, 100, 0, &call) == 0);
	CHECK(calls_tick(db, &cfg, CALLS_VOICE_SOME, 3002) == 0);
	CHECK(counter(db, "calls.cancelled") == 1);
	CHECK(db_outbox_call_pending(db, t3.id, o) == 0);
	db_close(db);
}

/* ------------------------------------------------------------- outcomes */

static void
test_outcomes_are_audited_and_counted(void)
{
	struct db *db = fresh("calls3");
	if (!db)
		return;
	struct config cfg = policy();
	struct tip t;
	struct outbox_item call;
	struct audit_seen seen = { 0 };
	int64_t o = add_officer(db, "+84900000004");
	CHECK(add_tip(db, &t, "FFFFFF", 1000) > 0);
	CHECK(calls_queue(db, &cfg, &t, o, 4, 1000) == 0);
	CHECK(db_outbox_claim_call(db, "at1", 1000, 100, 0, &call) == 1);
	CHECK(outbox_report(db, &cfg, &call, OUTBOX_SENT, "at1", "rang 30s", 0, 1031) == 0);
	outbox_item_clear(&call);
	CHECK(counter(db, "calls.placed") == 1);
	CHECK(db_audit_each(db, t.id, NULL, see_audit, &seen) == 0);
	CHECK(seen.placed == 1 && strstr(seen.last, "rang 30s") && !strstr(seen.last, "+849"));

	/* a call that fails every try: call.failed, and an SMS to the officer
	 * instead (the call's text) */
	struct tip t2;
	CHECK(add_tip(db, &t2, "GGGGGG", 2000) > 0);
	CHECK(calls_queue(db, &cfg, &t2, o, 4, 2000) == 0);
	CHECK(db_outbox_claim_call(db, "at1", 2000, 100, 0, &call) == 1);
	CHECK(outbox_report(db, &cfg, &call, OUTBOX_TEMPORARY, "at1", "dial: busy", 0, 2000) == 0);
	outbox_item_clear(&call);
	CHECK(db_outbox_claim_call(db, "at1", 2010, 100, 0, &call) == 1 && call.attempts == 2);
	CHECK(outbox_report(db, &cfg, &call, OUTBOX_TEMPORARY, "at1", "dial: busy", 0, 2010) == 0);
	outbox_item_clear(&call);
	CHECK(counter(db, "calls.failed") == 1);
	struct outbox_item sms;
	CHECK(db_outbox_claim(db, "sms", "at1", 2011, 30, &sms) == 1);
	CHECK_STR(sms.kind, "call");
	CHECK(sms.officer_id == o && sms.tip_id == t2.id && strstr(sms.text, "GỌI KHÔNG ĐƯỢC") == NULL &&
	    strstr(sms.text, "GOI KHONG DUOC") && strstr(sms.text, "OK GGGGGG"));
	outbox_item_clear(&sms);
	memset(&seen, 0, sizeof seen);
	CHECK(db_audit_each(db, t2.id, NULL, see_audit, &seen) == 0);
	CHECK(seen.failed == 1 && seen.placed == 0);
	db_close(db);
}

static void
test_no_modem_can_call_each_becomes_an_sms(void)
{
	struct db *db = fresh("calls4");
	if (!db)
		return;
	struct config cfg = policy();
	struct tip t;
	int64_t o = add_officer(db, "+84900000003");
	CHECK(add_tip(db, &t, "HHHHHH", 1000) > 0);
	CHECK(calls_queue(db, &cfg, &t, o, 3, 1000) == 0);
	/* not known yet (modems starting) or some modem can: the call waits */
	CHECK(calls_tick(db, &cfg, CALLS_VOICE_UNKNOWN, 1001) == 0);
	CHECK(calls_tick(db, &cfg, CALLS_VOICE_SOME, 1001) == 0);
	CHECK(db_outbox_call_pending(db, t.id, o) == 1);
	CHECK(calls_tick(db, &cfg, CALLS_VOICE_NONE, 1002) == 1);
	CHECK(db_outbox_call_pending(db, t.id, o) == 0);
	CHECK(counter(db, "calls.not_possible") == 1);
	struct outbox_item sms;
	CHECK(db_outbox_claim(db, "sms", "sim1", 1003, 30, &sms) == 1);
	CHECK(strstr(sms.text, "GOI KHONG DUOC") && strstr(sms.text, "cap 3"));
	outbox_item_clear(&sms);
	struct audit_seen seen = { 0 };
	CHECK(db_audit_each(db, t.id, NULL, see_audit, &seen) == 0);
	CHECK(seen.failed == 1 && strstr(seen.last, "not possible"));
	/* a test call (no tip) likewise */
	CHECK(calls_queue_test(db, o, "+84900000003", 1004) > 0);
	CHECK(calls_tick(db, &cfg, CALLS_VOICE_NONE, 1005) == 1);
	CHECK(db_outbox_claim(db, "sms", "sim1", 1006, 30, &sms) == 1);
	CHECK_STR(sms.kind, "test_call");
	outbox_item_clear(&sms);
	db_close(db);
}

static void
test_a_crash_never_rings_twice(void)
{
	struct db *db = fresh("calls5");
	if (!db)
		return;
	struct config cfg = policy();
	struct tip t;
	struct outbox_item a, b;
	int64_t o3 = add_officer(db, "+84900000003"), o4 = add_officer(db, "+84900000004");
	CHECK(add_tip(db, &t, "JJJJJJ", 1000) > 0);
	CHECK(calls_queue(db, &cfg, &t, o3, 3, 1000) == 0 && calls_queue(db, &cfg, &t, o4, 4,
	    1000) == 0);
	/* a: claimed, never handed (the daemon died before dialling); b: handed */
	CHECK(db_outbox_claim_call(db, "at1", 1001, 100, 0, &a) == 1);
	CHECK(db_outbox_claim_call(db, "at1", 1001, 100, 0, &b) == 1);
	CHECK(db_outbox_handed(db, b.id, "at1") == 0);
	int requeued = -1, unknown = -1;
	CHECK(calls_recover(db, &cfg, 1050, &requeued, &unknown) == 0);
	CHECK(requeued == 1 && unknown == 1);
	struct outbox_item again;
	CHECK(db_outbox_claim_call(db, "at1", 1050, 100, 0, &again) == 1 && again.id == a.id);
	CHECK(db_outbox_handed(db, again.id, "at1") == 0);
	outbox_item_clear(&again);
	CHECK(db_outbox_claim_call(db, "at1", 9999, 100, 0, &again) == 0);     /* never b, nor a */
	CHECK(counter(db, "calls.failed") == 1);
	CHECK(db_outbox_claim(db, "sms", "at1", 1051, 30, &again) == 1 && again.officer_id == o4);
	outbox_item_clear(&again);
	outbox_item_clear(&a);
	outbox_item_clear(&b);
	db_close(db);
}

UNIT_MAIN(UNIT(test_call_keys_parse), UNIT(test_call_hours_across_midnight_and_wanted),
    UNIT(test_queue_once_per_officer_and_tip), UNIT(test_claim_waits_for_the_sms_and_the_tip),
    UNIT(test_outcomes_are_audited_and_counted), UNIT(test_no_modem_can_call_each_becomes_an_sms),
    UNIT(test_a_crash_never_rings_twice))
