/* Unit tests: the outbox policy (gateway/outbox.c) on a real SQLite file —
 * retry times, give-up, the channel's own earliest retry, the at-most-once
 * rule, and the officers' SMS fallback. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/outbox.h"
#include "tests/unit/unit.h"

static char dbpath[256];

/* A fresh database; the policy's log lines are not the test's output. */
static struct db *
fresh(const char *tag)
{
	log_set_level(LOG_CRIT);
	return unit_fresh_db(tag, dbpath, sizeof dbpath);
}

static struct config
policy(void)
{
	struct config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.max_attempts = 3;
	cfg.retry_base = 10;
	cfg.retry_max = 60;
	cfg.fallback_after = 60;
	return cfg;
}

static int64_t
add_officer(struct db *db)
{
	struct officer o = { .name = "A", .phone = "+84900000001", .zalo_bot = "b1",
	    .channel = "zalo_bot" };
	return db_officer_add(db, &o, 1);
}

/* Queue one row at `at` and claim it at `now` into it. 1 claimed. */
static int
queue_and_claim(struct db *db, const char *channel, int64_t officer, int64_t at, int64_t now,
    struct outbox_item *it)
{
	int64_t id = officer ?
	    db_outbox_add(db, channel, "b1", NULL, 0, officer, 0, "notify", "Tin báo mới", at) :
	    db_outbox_add(db, channel, NULL, (const unsigned char *)"sealed", 6, 0, 0, "receipt",
	    "Đã nhận", at);
	if (id <= 0)
		return -1;
	return db_outbox_claim(db, channel, channel, now, 30, it);
}

static int64_t
count(struct db *db, const char *state)
{
	int64_t n = -1;
	db_outbox_count(db, state, &n);
	return n;
}

static void
test_temporary_backs_off_then_gives_up(void)
{
	struct db *db = fresh("outbox1");
	if (!db)
		return;
	struct config cfg = policy();
	struct outbox_item it;
	int64_t due = 0;
	CHECK(queue_and_claim(db, "zalo_bot", 0, 1000, 1000, &it) == 1 && it.attempts == 1);
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_TEMPORARY, NULL, "HTTP 503", 0, 1000) == 0);
	CHECK(db_outbox_next_due(db, "zalo_bot", &due) == 1 && due == 1010);   /* retry_base */
	outbox_item_clear(&it);
	/* the channel's own time (a rate limit) replaces the back-off, capped */
	CHECK(db_outbox_claim(db, "zalo_bot", "zalo_bot", 1010, 30, &it) == 1 && it.attempts == 2);
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_TEMPORARY, NULL, "rate limited", 1010 + 300,
	    1010) == 0);
	CHECK(db_outbox_next_due(db, "zalo_bot", &due) == 1 && due == 1070);   /* retry_max */
	outbox_item_clear(&it);
	CHECK(db_outbox_claim(db, "zalo_bot", "zalo_bot", 1070, 30, &it) == 1 && it.attempts == 3);
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_TEMPORARY, NULL, "HTTP 503", 0, 1070) == 0);
	CHECK(count(db, "failed") == 1 && count(db, "queued") == 0);         /* max_attempts */
	outbox_item_clear(&it);
	db_close(db);
}

static void
test_returned_and_sent(void)
{
	struct db *db = fresh("outbox2");
	if (!db)
		return;
	struct config cfg = policy();
	cfg.max_attempts = 1;
	struct outbox_item it;
	int64_t due = 0;
	CHECK(queue_and_claim(db, "zalo_oa", 0, 1000, 1000, &it) == 1);
	/* not a real try: back in the queue whatever its attempts */
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_RETURNED, NULL, "stopping", 0, 1005) == 0);
	CHECK(db_outbox_next_due(db, "zalo_oa", &due) == 1 && due == 1005);
	CHECK(count(db, "queued") == 1);
	outbox_item_clear(&it);
	CHECK(db_outbox_claim(db, "zalo_oa", "zalo_oa", 1005, 30, &it) == 1);
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_SENT, "zalo_oa", NULL, 0, 1006) == 0);
	CHECK(count(db, "sent") == 1 && count(db, "queued") == 0);
	outbox_item_clear(&it);
	db_close(db);
}

static void
test_unknown_is_never_resent(void)
{
	struct db *db = fresh("outbox3");
	if (!db)
		return;
	struct config cfg = policy();
	struct outbox_item it;
	CHECK(queue_and_claim(db, "zalo_bot", 0, 1000, 1000, &it) == 1);
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_UNKNOWN, NULL, "Timeout was reached", 0,
	    1000) == 0);
	CHECK(count(db, "failed") == 1 && count(db, "queued") == 0);
	outbox_item_clear(&it);
	/* a row a killed daemon left 'sending' is settled the same way */
	CHECK(queue_and_claim(db, "zalo_bot", 0, 1000, 1000, &it) == 1);
	outbox_item_clear(&it);
	CHECK(outbox_settle_interrupted(db, &cfg, "zalo_bot", "interrupted", 1001) == 1);
	CHECK(count(db, "failed") == 2 && count(db, "sending") == 0);
	db_close(db);
}

static void
test_officer_falls_back_to_sms(void)
{
	struct db *db = fresh("outbox4");
	if (!db)
		return;
	struct config cfg = policy();
	CHECK(db_begin(db) == 0);
	int64_t officer = add_officer(db);
	CHECK(officer > 0 && db_commit(db) == 0);
	struct outbox_item it, sms;
	CHECK(queue_and_claim(db, "zalo_bot", officer, 1000, 1000, &it) == 1);
	CHECK(outbox_report(db, &cfg, &it, OUTBOX_PERMANENT, NULL, "refused by Zalo (404)", 0,
	    1000) == 0);
	outbox_item_clear(&it);
	CHECK(count(db, "failed") == 1);
	CHECK(db_outbox_claim(db, "sms", "sim1", 1000, 30, &sms) == 1);
	CHECK(sms.officer_id == officer && strcmp(sms.dest, "+84900000001") == 0);
	CHECK(strstr(sms.text, "Tin bao moi") != NULL);        /* GSM-7 for officers */
	/* an SMS that fails is not sent by SMS again */
	cfg.max_attempts = 1;
	CHECK(outbox_report(db, &cfg, &sms, OUTBOX_TEMPORARY, NULL, "no network", 0, 1000) == 0);
	outbox_item_clear(&sms);
	CHECK(count(db, "failed") == 2 && count(db, "queued") == 0);
	db_close(db);
}

static void
test_stale_officer_messages(void)
{
	struct db *db = fresh("outbox5");
	if (!db)
		return;
	struct config cfg = policy();
	CHECK(db_begin(db) == 0);
	int64_t officer = add_officer(db);
	CHECK(officer > 0);
	CHECK(db_outbox_add(db, "zalo_bot", "b1", NULL, 0, officer, 0, "notify", "một", 1000) > 0);
	CHECK(db_outbox_add(db, "zalo_bot", NULL, (const unsigned char *)"s", 1, 0, 0, "receipt",
	    "hai", 1000) > 0);                                   /* a citizen's: stays */
	CHECK(db_commit(db) == 0);
	struct outbox_item claimed;
	/* an officer's row a sender holds is decided by its answer */
	CHECK(queue_and_claim(db, "zalo_bot", officer, 1000, 1000, &claimed) == 1);
	CHECK(claimed.id == 1);
	CHECK(outbox_fall_back_stale(db, &cfg, 1000 + 30) == 0);         /* not stale yet */
	CHECK(outbox_fall_back_stale(db, &cfg, 1000 + 61) == 1);
	CHECK(outbox_fall_back_stale(db, &cfg, 1000 + 62) == 0);         /* once */
	CHECK(count(db, "sending") == 1 && count(db, "failed") == 1);
	int64_t due = 0;
	CHECK(db_outbox_next_due(db, "sms", &due) == 1);
	outbox_item_clear(&claimed);
	db_close(db);
}

UNIT_MAIN(UNIT(test_temporary_backs_off_then_gives_up), UNIT(test_returned_and_sent),
    UNIT(test_unknown_is_never_resent), UNIT(test_officer_falls_back_to_sms),
    UNIT(test_stale_officer_messages))
