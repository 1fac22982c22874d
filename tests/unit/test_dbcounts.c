/* Unit tests: the counts /metrics reads (db_metric) are kept by triggers in
 * the transactions that change tips, escalations, the outbox and the
 * admitted messages, and agree with what the tables hold at every step. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "tests/unit/unit.h"

static char dbpath[256];

/* The value of one count (label "" for a count without labels); 0 when it
 * never moved (no row). */
static int64_t
count_of(struct db *db, enum db_metric which, const char *label)
{
	struct db_count c[16];
	size_t n = 0;
	if (db_metric(db, which, c, 16, &n) < 0)
		return -2;
	for (size_t i = 0; i < n; i++)
		if (strcmp(c[i].label, label) == 0)
			return c[i].n;
	return 0;
}

/* The acknowledgement times' histogram as /metrics asks for it: 1 when it
 * holds count tips summing sum, of which within_300 within 300 s (and so
 * within every bound above), none within 120 s. */
static int
ack_hist_is(struct db *db, int64_t count, int64_t sum, int64_t within_300)
{
	static const int64_t le[] = { 60, 120, 300, 600, 900, 1800, 3600, 7200, 21600, 86400 };
	int64_t counts[10], c = -1, s = -1;
	if (db_ack_histogram(db, le, 10, counts, &c, &s) < 0)
		return 0;
	int ok = c == count && s == sum && counts[0] == 0 && counts[1] == 0;
	for (size_t i = 2; i < 10; i++)
		ok &= counts[i] == within_300;
	return ok;
}

static int64_t
add_tip(struct db *db, const char *code, const char *channel)
{
	struct tip t;
	memset(&t, 0, sizeof t);
	snprintf(t.code, sizeof t.code, "%s", code);
	t.channel = (char *)channel;
	t.pseudonym = "p";
	t.text = "tin";
	t.created_at = 100;
	return db_tip_insert(db, &t);
}

static void
test_counts_follow_the_tables(void)
{
	struct db *db = unit_fresh_db("counts", dbpath, sizeof dbpath);
	if (!db)
		return;
	/* a fresh database: the counts without labels are there, at 0 */
	CHECK(count_of(db, DB_METRIC_ACKS, "") == 0);
	CHECK(count_of(db, DB_METRIC_INBOUND_TODO, "") == 0);
	CHECK(count_of(db, DB_METRIC_TIPS_OPEN, "") == 0);
	CHECK(count_of(db, DB_METRIC_TIPS, "sms") == 0);
	CHECK(count_of(db, DB_METRIC_TIPS_UNSTAFFED, "") == 0);
	CHECK(ack_hist_is(db, 0, 0, 0));

	struct officer o = { .name = "A", .phone = "+84900000001" };
	CHECK(db_begin(db) == 0);
	int64_t oid = db_officer_add(db, &o, 1);
	int64_t t1 = add_tip(db, "7KM4Q9", "sms"), t2 = add_tip(db, "9PZ3RT", "zalo_oa");
	int64_t t3 = add_tip(db, "2XW8KD", "sms");
	CHECK(db_inbound_insert(db, "sms", "m1", "sim1", NULL, 0, "p", "a", 1, 0, 0) == 1);
	CHECK(db_inbound_insert(db, "sms", "m2", "sim1", NULL, 0, "p", "b", 1, 0, 0) == 1);
	CHECK(db_inbound_insert(db, "sms", "m2", "sim1", NULL, 0, "p", "b", 1, 0, 0) == 0);
	CHECK(db_commit(db) == 0);
	CHECK(count_of(db, DB_METRIC_TIPS, "sms") == 2);
	CHECK(count_of(db, DB_METRIC_TIPS, "zalo_oa") == 1);
	CHECK(count_of(db, DB_METRIC_TIPS_OPEN, "") == 3);
	CHECK(count_of(db, DB_METRIC_INBOUND_TODO, "") == 2);

	/* nobody on duty for two of them, then somebody for one */
	CHECK(db_tip_set_deadline(db, t1, 1, 0, 1, 150) == 0);
	CHECK(db_tip_set_deadline(db, t3, 1, 0, 1, 150) == 0);
	CHECK(count_of(db, DB_METRIC_TIPS_UNSTAFFED, "") == 2);
	CHECK(db_tip_set_deadline(db, t3, 1, 0, 1, 160) == 0);          /* still waiting */
	CHECK(count_of(db, DB_METRIC_TIPS_UNSTAFFED, "") == 2);
	CHECK(db_tip_set_deadline(db, t3, 1, 999000, 0, 170) == 0);
	CHECK(count_of(db, DB_METRIC_TIPS_UNSTAFFED, "") == 1);
	/* passed on to the investigation agency: no count moves */
	CHECK(db_tip_pass_set(db, t3, "C02", oid, 180) == 1);
	CHECK(count_of(db, DB_METRIC_TIPS_OPEN, "") == 3);
	CHECK(count_of(db, DB_METRIC_ACKS, "") == 0);
	CHECK(count_of(db, DB_METRIC_TIPS_UNSTAFFED, "") == 1);

	/* routed; acknowledged, closed, handed over (the ack is taken back) */
	struct inbound m;
	CHECK(db_inbound_next(db, &m) == 1);
	CHECK(db_inbound_mark(db, m.id, t1, 200) == 0);
	inbound_clear(&m);
	CHECK(count_of(db, DB_METRIC_INBOUND_TODO, "") == 1);
	CHECK(db_tip_ack(db, t1, oid, 300) == 0);
	CHECK(db_tip_ack(db, t1, oid, 301) == 0);                   /* already: no change */
	CHECK(count_of(db, DB_METRIC_ACKS, "") == 1);
	CHECK(count_of(db, DB_METRIC_TIPS_UNSTAFFED, "") == 0);    /* acknowledged: not waiting */
	CHECK(ack_hist_is(db, 1, 200, 1));
	CHECK(db_tip_close(db, t2, oid, NULL, 310) == 0);          /* closed without an ack */
	CHECK(count_of(db, DB_METRIC_ACKS, "") == 2);
	CHECK(count_of(db, DB_METRIC_TIPS_OPEN, "") == 2);
	CHECK(ack_hist_is(db, 2, 410, 2));
	CHECK(db_tip_transfer(db, t1, oid, 999000, 320) == 0);
	CHECK(count_of(db, DB_METRIC_ACKS, "") == 1);
	CHECK(count_of(db, DB_METRIC_TIPS_OPEN, "") == 2);
	CHECK(ack_hist_is(db, 1, 210, 1));
	CHECK(db_escalation_add(db, t1, 1, 2, "late", 330) == 0);
	CHECK(db_escalation_add(db, t1, 2, 2, "repeat", 340) == 0);
	CHECK(db_escalation_add(db, t1, 2, 3, "late", 350) == 0);
	CHECK(count_of(db, DB_METRIC_ESCALATIONS, "2") == 2);
	CHECK(count_of(db, DB_METRIC_ESCALATIONS, "3") == 1);

	/* the outbox: queued, claimed, retried, sent, given up */
	CHECK(db_begin(db) == 0);
	int64_t a = db_outbox_add(db, "sms", "+84900000001", NULL, 0, oid, t1, "notify", "x", 400);
	int64_t b = db_outbox_add(db, "zalo_oa", "u1", NULL, 0, oid, t1, "notify", "y", 400);
	CHECK(a > 0 && b > 0);
	CHECK(db_commit(db) == 0);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "sms") == 1);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "zalo_oa") == 1);
	struct outbox_item it;
	CHECK(db_outbox_claim(db, "sms", "sim1", 500, 60, &it) == 1);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "sms") == 1);    /* sending is still queued */
	CHECK(count_of(db, DB_METRIC_SEND_ERRORS, "sms") == 0);
	CHECK(db_outbox_retry(db, it.id, "busy", 600) == 0);
	outbox_item_clear(&it);
	CHECK(count_of(db, DB_METRIC_SEND_ERRORS, "sms") == 1);
	CHECK(db_outbox_claim(db, "sms", "sim1", 700, 60, &it) == 1);
	CHECK(db_outbox_sent(db, it.id, "sim1", 701) == 0);
	outbox_item_clear(&it);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "sms") == 0);
	CHECK(count_of(db, DB_METRIC_SEND_ERRORS, "sms") == 1);
	CHECK(db_outbox_claim(db, "zalo_oa", "oa", 800, 60, &it) == 1);
	CHECK(db_outbox_retry(db, it.id, "refused", 0) == 0);        /* given up */
	outbox_item_clear(&it);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "zalo_oa") == 0);
	CHECK(count_of(db, DB_METRIC_OUTBOX_FAILED, "zalo_oa") == 1);
	CHECK(count_of(db, DB_METRIC_SEND_ERRORS, "zalo_oa") == 1);
	db_close(db);
	unlink(dbpath);
}

/* A statement that changes thousands of rows inside a transaction (the
 * flood guard collapsing an officer's backlog after an outage) gets a
 * statement journal of megabytes: it succeeds, and the counts follow. With
 * SQLITE_CONFIG_STMTJRNL_SPILL at 1 MiB, Debian 12's SQLite failed this with
 * "database or disk is full" as the journal spilled to disk. */
static void
test_a_statement_with_a_large_journal(void)
{
	struct db *db = unit_fresh_db("bigjournal", dbpath, sizeof dbpath);
	if (!db)
		return;
	enum { N = 6000 };
	struct officer o = { .name = "A", .phone = "+84900000001" };
	CHECK(db_begin(db) == 0);
	int64_t oid = db_officer_add(db, &o, 1);
	int64_t t = add_tip(db, "7KM4Q9", "sms");
	int added = 0;
	for (int i = 0; i < N; i++)
		added += db_outbox_add(db, "zalo_oa", "u1", NULL, 0, oid, t, "notify",
		    "Tin báo mới TB-7KM4Q9: một nội dung đủ dài để mỗi dòng chiếm chỗ trong trang",
		    400) > 0;
	CHECK(added == N);
	CHECK(db_commit(db) == 0);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "zalo_oa") == N);
	CHECK(db_begin(db) == 0);
	int dropped = db_outbox_collapse(db, oid, 1000, "collapsed");
	CHECK(dropped == N);
	if (dropped != N)
		fprintf(stderr, "collapse: %s\n", db_errmsg(db));
	CHECK(db_commit(db) == 0);
	CHECK(count_of(db, DB_METRIC_OUTBOX_QUEUED, "zalo_oa") == 0);
	CHECK(count_of(db, DB_METRIC_OUTBOX_FAILED, "zalo_oa") == N);
	db_close(db);
	unlink(dbpath);
}

UNIT_MAIN(UNIT(test_counts_follow_the_tables), UNIT(test_a_statement_with_a_large_journal))
