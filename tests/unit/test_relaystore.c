/* Unit tests: the relay, handover, abuse and flood-guard statements
 * (db/db_relay.c) on a real SQLite file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "tests/unit/unit.h"

static char dbpath[256];

static struct db *
fresh_db(void)
{
	return unit_fresh_db("relay", dbpath, sizeof dbpath);
}

static int64_t
add_tip(struct db *db, const char *code, const char *pseudonym, int64_t at, int sealed)
{
	struct tip t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "%s", code);
	t.channel = "sms";
	t.pseudonym = (char *)pseudonym;
	t.sender_sealed = sealed ? (unsigned char *)"sealed" : NULL;
	t.sender_sealed_len = sealed ? 6 : 0;
	t.text = "tin";
	t.created_at = at;
	return db_tip_insert(db, &t);
}

static void
test_sender_counters(void)
{
	struct db *db = fresh_db();
	if (!db)
		return;
	CHECK(db_begin(db) == 0);
	CHECK(db_sender_reply_allowed(db, "p1", "2026-11-22", 2) == 1);
	CHECK(db_sender_reply_allowed(db, "p1", "2026-11-22", 2) == 1);
	CHECK(db_sender_reply_allowed(db, "p1", "2026-11-22", 2) == 0);
	CHECK(db_sender_reply_allowed(db, "p2", "2026-11-22", 2) == 1);      /* per sender */
	CHECK(db_sender_reply_allowed(db, "p1", "2026-11-23", 2) == 1);      /* a new day */
	CHECK(db_sender_first_refusal(db, "p1", "2026-11-22") == 1);
	CHECK(db_sender_first_refusal(db, "p1", "2026-11-22") == 0);
	CHECK(db_sender_first_refusal(db, "p1", "2026-11-23") == 1);
	CHECK(db_sender_muted(db, "p1") == 0);
	CHECK(db_sender_muted(db, "nobody") == 0);
	int64_t tip = add_tip(db, "7KM4Q9", "p1", 1000, 1);
	CHECK(tip > 0);
	CHECK(db_sender_mute(db, "p1", "Đ/c A", tip, 2000) == 1);
	CHECK(db_sender_mute(db, "p1", "Đ/c A", tip, 2001) == 0);
	CHECK(db_sender_muted(db, "p1") == 1 && db_sender_muted(db, "p2") == 0);
	CHECK(db_sender_unmute(db, "p1") == 1 && db_sender_unmute(db, "p1") == 0);
	CHECK(db_sender_muted(db, "p1") == 0);
	int64_t n = -1;
	add_tip(db, "9PZ3RT", "p1", 5000, 1);
	CHECK(db_sender_tips_since(db, "p1", 0, &n) == 0 && n == 2);
	CHECK(db_sender_tips_since(db, "p1", 1001, &n) == 0 && n == 1);
	CHECK(db_sender_tips_since(db, "p2", 0, &n) == 0 && n == 0);
	CHECK(db_commit(db) == 0);
	db_close(db);
}

static void
test_relay_queries(void)
{
	struct db *db = fresh_db();
	if (!db)
		return;
	struct officer o = { .name = "A", .phone = "+84900000001", .short_code = "E5" };
	CHECK(db_begin(db) == 0);
	int64_t oid = db_officer_add(db, &o, 1);
	CHECK(oid > 0);
	struct officer got;
	CHECK(db_officer_by_short_code(db, "e5", &got) == 1 && got.id == oid);
	CHECK_STR(got.short_code, "E5");
	officer_clear(&got);
	CHECK(db_officer_by_short_code(db, "E6", &got) == 0);
	int64_t live = add_tip(db, "7KM4Q9", "p1", 1000, 1);
	int64_t none = add_tip(db, "9PZ3RT", "p2", 1000, 0);
	CHECK(db_tip_address_live(db, live) == 1);
	CHECK(db_tip_address_live(db, none) == 0);
	CHECK(db_tip_address_live(db, 999) == 0);
	int64_t who = 0, tip = 0;
	CHECK(db_relay_last_asker(db, live, &who) == 0);
	CHECK(db_tip_message_add(db, live, "out", 0, 0, "receipt", 1001) == 0);   /* not a question */
	CHECK(db_relay_last_asker(db, live, &who) == 0);
	CHECK(db_tip_message_add(db, live, "out", 0, oid, "Cán bộ hỏi", 1500) == 0);
	CHECK(db_relay_last_asker(db, live, &who) == 1 && who == oid);
	CHECK(db_relay_open_question(db, "p1", 1400, &tip) == 1 && tip == live);
	CHECK(db_relay_open_question(db, "p1", 1600, &tip) == 0);
	CHECK(db_relay_open_question(db, "p2", 0, &tip) == 0);
	CHECK(db_tip_ack(db, live, oid, 1700) == 0);
	CHECK(db_tip_transfer(db, live, oid, 9999500, 1800) == 0);    /* ms */
	struct tip t;
	CHECK(db_tip_by_id(db, live, &t) == 1);
	CHECK(t.status == TIP_NEW && t.acked_by == 0 && t.next_deadline_ms == 9999500 &&
	    t.next_deadline == 10000 && t.level == 1);
	tip_clear(&t);
	CHECK(db_commit(db) == 0);
	db_close(db);
}

static void
test_flood_queries(void)
{
	struct db *db = fresh_db();
	if (!db)
		return;
	struct officer o = { .name = "A", .phone = "+84900000001" };
	CHECK(db_begin(db) == 0);
	int64_t oid = db_officer_add(db, &o, 1);
	int64_t t1 = add_tip(db, "7KM4Q9", "p1", 100, 1);
	int64_t t2 = add_tip(db, "9PZ3RT", "p2", 100, 1);
	for (int i = 0; i < 3; i++)
		CHECK(db_outbox_add(db, "sms", "+84900000001", NULL, 0, oid, t1, "notify", "x",
		    100 + i) > 0);
	CHECK(db_outbox_add(db, "sms", "+84900000001", NULL, 0, oid, t2, "reply", "x", 100) > 0);
	int64_t ids[8];
	size_t n = 0;
	CHECK(db_outbox_flooded_officers(db, 200, 3, ids, 8, &n) == 0 && n == 1 && ids[0] == oid);
	CHECK(db_outbox_flooded_officers(db, 102, 3, ids, 8, &n) == 0 && n == 0);   /* too fresh */
	CHECK(db_outbox_flooded_officers(db, 200, 4, ids, 8, &n) == 0 && n == 0);   /* replies */
	CHECK(db_outbox_drop_settled(db) == 0);
	CHECK(db_tip_ack(db, t1, oid, 300) == 0);
	CHECK(db_outbox_drop_settled(db) == 3);           /* the reply stays */
	int64_t queued = 0;
	CHECK(db_outbox_count(db, "queued", &queued) == 0 && queued == 1);
	/* a straggler joins a summary still queued, even alone */
	CHECK(db_outbox_add(db, "sms", "+84900000001", NULL, 0, oid, t2, "notify", "x", 150) > 0);
	CHECK(db_outbox_flooded_officers(db, 200, 3, ids, 8, &n) == 0 && n == 0);
	CHECK(db_outbox_add(db, "sms", "+84900000001", NULL, 0, oid, 0, "summary", "s", 160) > 0);
	CHECK(db_outbox_flooded_officers(db, 200, 3, ids, 8, &n) == 0 && n == 1 && ids[0] == oid);
	CHECK(db_outbox_collapse(db, oid, 200, "collapsed") == 2);   /* the straggler, the summary */
	CHECK(db_outbox_flooded_officers(db, 200, 3, ids, 8, &n) == 0 && n == 0);
	CHECK(db_outbox_count(db, "queued", &queued) == 0 && queued == 1);   /* the reply */
	CHECK(db_commit(db) == 0);
	db_close(db);
}

UNIT_MAIN(UNIT(test_sender_counters), UNIT(test_relay_queries), UNIT(test_flood_queries))
