/* Unit tests: the store and the admission writer, on a real SQLite file. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/roster.h"
#include "gateway/writer.h"
#include "modem/modem.h"
#include "tests/unit/unit.h"

static char dbpath[256];

static struct db *
fresh_db(void)
{
	return unit_fresh_db("store", dbpath, sizeof dbpath);
}

static void
test_admission_is_idempotent(void)
{
	struct db *db = fresh_db();
	CHECK(db_begin(db) == 0);
	CHECK(db_inbound_insert(db, "sms", "m1", "sim1", (const unsigned char *)"s", 1, "p1",
	    "xin chào", 100, 0, 0) == 1);
	CHECK(db_inbound_insert(db, "sms", "m1", "sim1", (const unsigned char *)"s", 1, "p1",
	    "xin chào", 101, 0, 0) == 0);
	CHECK(db_commit(db) == 0);
	struct inbound m;
	CHECK(db_inbound_next(db, &m) == 1);
	CHECK_STR(m.text, "xin chào");
	CHECK(db_inbound_mark(db, m.id, 0, 200) == 0);
	inbound_clear(&m);
	CHECK(db_inbound_next(db, &m) == 0);
	db_close(db);
}

/* One part of a long SMS, admitted the way the modem does (writer.h's
 * admit hook), in the caller's transaction. */
static struct admission
part(const char *group, int seq, int total, const char *text, int64_t received_at,
    int64_t source_time)
{
	return (struct admission){ .channel = "sms", .via = "sim1", .pseudonym = "p", .text = text,
	    .received_at = received_at, .source_time = source_time, .part_group = group,
	    .part_seq = seq, .part_total = total, .admit = modem_part_admit };
}

static int
part_admit(struct db *db, const char *group, int seq, int total, const char *text,
    int64_t received_at, int64_t source_time)
{
	struct admission a = part(group, seq, total, text, received_at, source_time);
	return modem_part_admit(db, &a);
}

static void
test_parts_join_when_complete_and_dedupe(void)
{
	struct db *db = fresh_db();
	CHECK(db_begin(db) == 0);
	CHECK(part_admit(db, "g1", 2, 2, "world", 10, 5) == 1);
	CHECK(part_admit(db, "g1", 2, 2, "world", 11, 5) == 0);
	struct inbound m;
	CHECK(db_inbound_next(db, &m) == 0);
	CHECK(part_admit(db, "g1", 1, 2, "hello ", 12, 4) == 1);
	CHECK(db_commit(db) == 0);
	CHECK(db_inbound_next(db, &m) == 1);
	CHECK_STR(m.text, "hello world");
	CHECK(m.partial == 0);
	db_inbound_mark(db, m.id, 0, 20);
	inbound_clear(&m);
	/* a part re-read after its group was admitted is not a new group */
	CHECK(db_begin(db) == 0);
	CHECK(part_admit(db, "g1", 1, 2, "hello ", 30, 4) == 0);
	CHECK(db_commit(db) == 0);
	CHECK(modem_parts_expire(db, 1000) == 0);
	CHECK(db_inbound_next(db, &m) == 0);
	db_close(db);
}

static void
test_parts_expire_as_partial(void)
{
	struct db *db = fresh_db();
	CHECK(db_begin(db) == 0);
	CHECK(part_admit(db, "g2", 1, 3, "one ", 100, 1) == 1);
	CHECK(db_commit(db) == 0);
	CHECK(modem_parts_expire(db, 100) == 0);       /* not old enough */
	CHECK(modem_parts_expire(db, 101) == 1);
	struct inbound m;
	CHECK(db_inbound_next(db, &m) == 1);
	CHECK(m.partial == 1 && strstr(m.text, "one ") == m.text);
	inbound_clear(&m);
	db_close(db);
}

static void
test_outbox_claim_lease_retry(void)
{
	struct db *db = fresh_db();
	const unsigned char sealed[] = "sealed-bytes";
	CHECK(db_begin(db) == 0);
	CHECK(db_outbox_add(db, "sms", "+84900000001", NULL, 0, 0, 0, "notify", "a", 100) > 0);
	CHECK(db_outbox_add(db, "sms", NULL, sealed, sizeof sealed, 0, 0, "receipt", "b", 100) > 0);
	CHECK(db_outbox_add(db, "sms", NULL, NULL, 0, 0, 0, "x", "c", 100) < 0);
	CHECK(db_commit(db) == 0);
	struct outbox_item a, b, c;
	CHECK(db_outbox_claim(db, "sms", "m1", 100, 30, &a) == 1);
	CHECK(db_outbox_claim(db, "sms", "m2", 100, 30, &b) == 1);
	CHECK(db_outbox_claim(db, "sms", "m1", 100, 30, &c) == 0);   /* both leased */
	CHECK_STR(a.dest, "+84900000001");
	CHECK(b.dest == NULL && b.dest_sealed_len == sizeof sealed);
	CHECK(db_outbox_sent(db, a.id, "m1", 101) == 0);
	/* m2 died mid-send: after the lease its row is claimable again */
	CHECK(db_outbox_claim(db, "sms", "m1", 131, 30, &c) == 1);
	CHECK(c.id == b.id && c.attempts == 2);
	CHECK(db_outbox_retry(db, c.id, "no network", 200) == 0);
	int64_t when = 0;
	CHECK(db_outbox_next_due(db, "sms", &when) == 1 && when == 200);
	CHECK(db_outbox_retry(db, c.id, "gave up", 0) == 0);
	CHECK(db_outbox_next_due(db, "sms", &when) == 0);
	int64_t n = 0;
	CHECK(db_outbox_count(db, "failed", &n) == 0 && n == 1);
	outbox_item_clear(&a);
	outbox_item_clear(&b);
	outbox_item_clear(&c);
	db_close(db);
}

static void
test_on_duty_and_next_shift(void)
{
	struct db *db = fresh_db();
	struct officer o = { .name = "An", .phone = "+84900000001" };
	int64_t id = db_officer_add(db, &o, 1);
	CHECK(id > 0);
	CHECK(db_officer_add(db, &o, 1) < 0);                         /* duplicate phone */
	CHECK(db_shift_add(db, id, 1, 0, 1000, 2000, 1) > 0);
	int64_t ids[4];
	size_t n = 9;
	CHECK(roster_on_duty(db, 1, 999, ids, 4, &n) == 0 && n == 0);
	CHECK(roster_on_duty(db, 1, 1000, ids, 4, &n) == 0 && n == 1 && ids[0] == id);
	CHECK(roster_on_duty(db, 1, 2000, ids, 4, &n) == 0 && n == 0);    /* end is exclusive */
	int64_t when;
	CHECK(roster_next_start(db, 500, &when) == 1 && when == 1000);
	CHECK(roster_next_start(db, 1000, &when) == 0);
	CHECK(db_officer_remove(db, "+84900000001") == 1);
	CHECK(roster_on_duty(db, 1, 1500, ids, 4, &n) == 0 && n == 0);
	CHECK(db_officer_add(db, &o, 2) == id);                       /* comes back */
	db_close(db);
}

/* Parts handed to the writer are stored and joined in its transaction. */
static void
test_writer_joins_parts(void)
{
	struct db *db = fresh_db();
	char err[256];
	struct writer *w = writer_start(dbpath, NULL, NULL, err, sizeof err);
	CHECK(w != NULL);
	struct admission a2 = part("g3", 2, 2, "chợ", 10, 5);
	struct admission a1 = part("g3", 1, 2, "Có cháy ở ", 11, 4);
	CHECK(writer_admit(w, &a2) == 0);
	CHECK(writer_admit(w, &a2) == 0);                       /* read again */
	struct inbound m;
	CHECK(db_inbound_next(db, &m) == 0);
	CHECK(writer_admit(w, &a1) == 0);
	writer_stop(w);
	CHECK(db_inbound_next(db, &m) == 1);
	CHECK_STR(m.text, "Có cháy ở chợ");
	CHECK(m.partial == 0);
	db_inbound_mark(db, m.id, 0, 20);
	inbound_clear(&m);
	CHECK(db_inbound_next(db, &m) == 0);
	db_close(db);
}

/* Many threads admitting at once share commits. */
struct admitter { struct writer *w; int base; int failures; };

static void *
admit_many(void *arg)
{
	struct admitter *a = arg;
	for (int i = 0; i < 200; i++) {
		char msgid[32], text[32];
		snprintf(msgid, sizeof msgid, "m%d", a->base + i % 150);   /* some repeats */
		snprintf(text, sizeof text, "tin %d", a->base + i);
		struct admission adm = { .channel = "zalo_oa", .channel_msg_id = msgid, .via = "t",
		    .pseudonym = "p", .text = text, .received_at = 1 };
		if (writer_admit(a->w, &adm) < 0)
			a->failures++;
	}
	return NULL;
}

static void
test_writer_batches_and_dedupes(void)
{
	struct db *db = fresh_db();
	char err[256];
	struct writer *w = writer_start(dbpath, NULL, NULL, err, sizeof err);
	CHECK(w != NULL);
	pthread_t t[8];
	struct admitter a[8];
	for (int i = 0; i < 8; i++) {
		a[i] = (struct admitter){ .w = w, .base = i * 1000 };
		pthread_create(&t[i], NULL, admit_many, &a[i]);
	}
	for (int i = 0; i < 8; i++) {
		pthread_join(t[i], NULL);
		CHECK(a[i].failures == 0);
	}
	struct writer_stats st;
	writer_stats(w, &st);
	CHECK(st.admissions == 1600);
	CHECK(st.commits < 1600);              /* admissions shared commits */
	writer_stop(w);
	int rows = 0;
	struct inbound m;
	while (db_inbound_next(db, &m) == 1) {
		db_inbound_mark(db, m.id, 0, 1);
		inbound_clear(&m);
		rows++;
	}
	CHECK(rows == 8 * 150);
	db_close(db);
}

UNIT_MAIN(UNIT(test_admission_is_idempotent), UNIT(test_parts_join_when_complete_and_dedupe),
    UNIT(test_parts_expire_as_partial), UNIT(test_outbox_claim_lease_retry),
    UNIT(test_on_duty_and_next_shift), UNIT(test_writer_joins_parts),
    UNIT(test_writer_batches_and_dedupes))
