/* Unit tests: what tinbaod asks again and again — at every router tick,
 * every sender's look at its queue, every GET /healthz, desk page and
 * scrape — costs the same whatever the tables hold: no statement walks a
 * table, none steps through more than a small, fixed number of rows.
 *
 * A database with N messages in and N out (sent, given up, and waiting for
 * their next attempt an hour away, as after an outage) and N open tips whose
 * deadlines are a day away: then each of those questions is asked once, and
 * SQLite's own counters of every statement run (SQLITE_STMTSTATUS_VM_STEP,
 * _FULLSCAN_STEP, _SORT) say what it cost. With the voice channel's queries
 * written without the queued rows' index (a full scan of the outbox every
 * second), or /healthz counting the waiting messages one by one, this fails. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "db/db_internal.h"
#include "tests/unit/unit.h"

static char dbpath[256];

enum { N = 3000 };
/* Steps of SQLite's virtual machine a question may take: a few rows'
 * worth, far below N. */
#define STEP_BOUND 400

static void
seed(struct db *db, int64_t now)
{
	struct officer o = { .name = "A", .phone = "+84900000001" };
	CHECK(db_begin(db) == 0);
	int64_t oid = db_officer_add(db, &o, 1);
	for (int i = 0; i < N; i++) {
		char msgid[32], pseud[32];
		snprintf(msgid, sizeof msgid, "m%d", i);
		snprintf(pseud, sizeof pseud, "%08x", i);
		CHECK(db_inbound_insert(db, "zalo_oa", msgid, "zalo_oa", NULL, 0, pseud,
		    "có trộm", now - 7200 + i, now - 7200 + i, 0) == 1);
		struct tip t;
		memset(&t, 0, sizeof t);
		snprintf(t.code, sizeof t.code, "K%05d", i);
		t.channel = "zalo_oa";
		t.pseudonym = pseud;
		t.text = "có trộm";
		t.created_at = now - 7200 + i;
		t.level = 1;
		int64_t tip = db_tip_insert(db, &t);
		CHECK(tip > 0);
		CHECK(db_tip_set_deadline(db, tip, 1, (now + 86400) * 1000, 0, now) == 0);
		CHECK(db_inbound_mark(db, i + 1, tip, now - 7000 + i) == 0);
		/* a notification sent, one given up, a receipt still waiting */
		int64_t sent = db_outbox_add(db, "zalo_oa", "u1", NULL, 0, oid, tip, "notify",
		    "Tin báo mới", now - 7000 + i);
		int64_t gone = db_outbox_add(db, "sms", "+84900000001", NULL, 0, oid, tip, "notify",
		    "Tin báo mới", now - 7000 + i);
		int64_t wait = db_outbox_add(db, "zalo_oa", "u2", NULL, 0, 0, tip, "receipt",
		    "Đã nhận", now - 7000 + i);
		CHECK(sent > 0 && gone > 0 && wait > 0);
		CHECK(db_outbox_sent(db, sent, "zalo_oa", now - 6000 + i) == 0);
		CHECK(db_outbox_retry(db, gone, "refused", 0) == 0);
		CHECK(db_outbox_retry(db, wait, "refused", now + 3600) == 0);
	}
	CHECK(db_commit(db) == 0);
}

/* Zero every cached statement's counters. */
static void
counters_reset(struct db *db)
{
	for (size_t i = 0; i < DB_STMT_CACHE; i++)
		if (db->cache[i].st) {
			sqlite3_stmt_status(db->cache[i].st, SQLITE_STMTSTATUS_VM_STEP, 1);
			sqlite3_stmt_status(db->cache[i].st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 1);
			sqlite3_stmt_status(db->cache[i].st, SQLITE_STMTSTATUS_SORT, 1);
		}
}

/* Every statement run since counters_reset stayed within the bound. */
static void
check_no_walk(struct db *db, const char *what)
{
	for (size_t i = 0; i < DB_STMT_CACHE; i++) {
		sqlite3_stmt *st = db->cache[i].st;
		if (!st)
			continue;
		int steps = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_VM_STEP, 0);
		int scan = sqlite3_stmt_status(st, SQLITE_STMTSTATUS_FULLSCAN_STEP, 0);
		if (steps > STEP_BOUND || scan > 0) {
			fprintf(stderr, "  %s: %d steps, %d of a full scan: %.160s\n", what, steps,
			    scan, db->cache[i].sql);
			CHECK(steps <= STEP_BOUND && scan == 0);
		}
	}
}

static void
test_what_runs_every_second_walks_no_table(void)
{
	struct db *db = unit_fresh_db("walk", dbpath, sizeof dbpath);
	if (!db)
		return;
	int64_t now = 1764900000;
	seed(db, now);
	counters_reset(db);

	/* the router's tick */
	struct inbound *v = NULL;
	size_t n = 0;
	CHECK(db_inbound_batch(db, 256, &v, &n) == 0 && n == 0);
	inbounds_free(v, n);
	int64_t ids[64], when = 0;
	CHECK(db_due_tips(db, now * 1000, ids, 64, &n) == 0 && n == 0);
	CHECK(db_next_deadline(db, &when) == 1 && when == (now + 86400) * 1000);
	CHECK(db_begin(db) == 0);
	CHECK(db_outbox_drop_settled(db) == 0);
	CHECK(db_outbox_flooded_officers(db, now - 600, 5, ids, 64, &n) == 0 && n == 0);
	CHECK(db_outbox_drop_settled_calls(db) == 0);
	CHECK(db_commit(db) == 0);
	struct outbox_item *items = NULL;
	CHECK(db_outbox_queued_calls(db, &items, &n, 8) == 0 && n == 0);
	outbox_items_free(items, n);
	struct call_ringing ring[4];
	CHECK(db_calls_ringing(db, ring, 4, &n) == 0 && n == 0);
	CHECK(db_outbox_stale_officer(db, "zalo_oa", now - 120, &items, &n, 16) == 0 && n == 0);
	outbox_items_free(items, n);
	check_no_walk(db, "router tick");
	counters_reset(db);

	/* a sender's look at its queue: nothing due for an hour */
	CHECK(db_outbox_claim_many(db, "zalo_oa", "zalo", now, 60, 32, &items, &n) == 0 && n == 0);
	outbox_items_free(items, n);
	CHECK(db_outbox_next_due(db, "zalo_oa", &when) == 1 && when == now + 3600);
	check_no_walk(db, "sender");
	counters_reset(db);

	/* GET /healthz and the desk page's status strip */
	int64_t waiting = 0, oldest = 0, last_in = 0, last_out = 0;
	char channel[16];
	CHECK(db_outbox_waiting(db, &waiting, &oldest, channel) == 0);
	CHECK(waiting == N && oldest == now - 7000);
	CHECK_STR(channel, "zalo_oa");
	CHECK(db_channel_last(db, "sim1", &last_in, &last_out) == 0);
	CHECK(last_in == 0 && last_out == 0);
	CHECK(db_channel_last(db, "zalo_oa", &last_in, &last_out) == 0);
	CHECK(last_in == now - 7200 + N - 1 && last_out == now - 6000 + N - 1);
	check_no_walk(db, "health");
	counters_reset(db);

	/* GET /metrics */
	for (int m = 0; m < DB_METRIC_COUNT; m++) {
		struct db_count c[16];
		CHECK(db_metric(db, (enum db_metric)m, c, 16, &n) == 0);
	}
	check_no_walk(db, "metrics");

	db_close(db);
	unlink(dbpath);
}

UNIT_MAIN(UNIT(test_what_runs_every_second_walks_no_table))
