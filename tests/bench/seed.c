/* seed — fills a tinbao database with N open tips and N queued messages for
 * `make bench`, through the daemon's own schema and statements (db_open
 * migrates; every row goes in by the db_* function the daemon uses).
 *
 *   seed CONFIG N
 *
 * The roster must already be in the database (`tinbao officer add`, `shift
 * add`). Each tip is what the router would have made of a citizen's message:
 * the inbound row (routed), the tip at level 1 with a deadline a day away,
 * its first message, the level-1 officers told, the audit row. Each tip has
 * one message waiting in the outbox, as after an outage (one modem down,
 * Zalo refusing): the even tips' notification to the duty officer by SMS,
 * queued an hour ago and stale; the odd tips' receipt to the citizen on
 * Zalo OA, tried and refused. Every queued message's next attempt is an
 * hour away, so nothing is due while the benchmark watches.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/config.h"
#include "gateway/identity.h"
#include "gateway/roster.h"
#include "gateway/timeutil.h"
#include "gateway/trackid.h"

#define SEED_TX_ROWS 5000     /* tips per transaction */

static int
fail(struct db *db, const char *what)
{
	fprintf(stderr, "seed: %s: %s\n", what, db ? db_errmsg(db) : "");
	return 1;
}

int
main(int argc, char **argv)
{
	if (argc != 3) {
		fprintf(stderr, "usage: seed CONFIG N\n");
		return 2;
	}
	char *end;
	long n = strtol(argv[2], &end, 10);
	if (*end || n < 0 || n > 10000000) {
		fprintf(stderr, "seed: N must be a number of tips\n");
		return 2;
	}
	char err[512];
	struct config *cfg = config_load(argv[1], err, sizeof err);
	if (!cfg) {
		fprintf(stderr, "seed: %s\n", err);
		return 1;
	}
	audit_init();
	struct identity *id = identity_open(cfg->key_file, err, sizeof err);
	struct db *db = id ? db_open(cfg->database, 0, err, sizeof err) : NULL;
	if (!db) {
		fprintf(stderr, "seed: %s\n", err);
		return 1;
	}
	struct officer *officers = NULL;
	size_t n_officers = 0;
	if (db_officer_list(db, &officers, &n_officers) < 0)
		return fail(db, "officers");
	int64_t now = (int64_t)time(NULL);
	int64_t duty[16];
	size_t n_duty = 0;
	if (timeutil_set_zone(cfg->timezone) < 0 || roster_on_duty(db, 1, now, duty, 16, &n_duty) < 0)
		return fail(db, "roster");
	if (!n_duty) {
		fprintf(stderr, "seed: nobody on duty at level 1: add the roster first\n");
		return 1;
	}
	const char *duty_phone = NULL;
	for (size_t i = 0; i < n_officers; i++)
		if (officers[i].id == duty[0])
			duty_phone = officers[i].phone;

	for (long i = 0; i < n; i++) {
		if (i % SEED_TX_ROWS == 0 && db_begin(db) < 0)
			return fail(db, "begin");
		char addr[32], key[64], pseudonym[IDENTITY_PSEUDONYM_HEX + 1], msgid[32];
		unsigned char sealed[IDENTITY_SEALED_MAX];
		size_t sealed_len = 0;
		const char *channel = i % 2 ? "zalo_oa" : "sms";
		if (i % 2)
			snprintf(addr, sizeof addr, "77%017ld", i);
		else
			snprintf(addr, sizeof addr, "+8497%07ld", i % 10000000);
		snprintf(key, sizeof key, "%s:%s", channel, addr);
		identity_pseudonym(id, i % 2 ? key : addr, pseudonym);
		if (identity_seal(id, addr, sealed, &sealed_len) < 0)
			return fail(NULL, "seal");
		char text[160];
		snprintf(text, sizeof text, "Tin báo mẫu số %ld: có người lạ đứng trước cổng nhà số %ld "
		    "đường Lê Lợi từ chiều", i, i % 300);
		int64_t at = now - 3600 + i % 3000;
		snprintf(msgid, sizeof msgid, "seed-%ld", i);
		if (db_inbound_insert(db, channel, msgid, channel, sealed, sealed_len, pseudonym, text,
		    at, at, 0) < 0)
			return fail(db, "inbound");
		struct tip t;
		memset(&t, 0, sizeof t);
		t.channel = (char *)channel;
		t.pseudonym = pseudonym;
		t.sender_sealed = sealed;
		t.sender_sealed_len = sealed_len;
		t.category = "khac";
		t.text = text;
		t.created_at = at;
		t.level = 1;
		int64_t tip_id = 0;
		for (int tries = 0; tries < 16 && tip_id == 0; tries++) {
			if (trackid_new(t.code) < 0)
				return fail(NULL, "tracking id");
			tip_id = db_tip_insert(db, &t);
		}
		if (tip_id <= 0)
			return fail(db, "tip");
		/* the row just admitted is the only one not yet routed */
		struct inbound m;
		if (db_inbound_next(db, &m) <= 0 || db_inbound_mark(db, m.id, tip_id, at) < 0)
			return fail(db, "route inbound");
		int64_t inbound_id = m.id;
		inbound_clear(&m);
		if (db_tip_message_add(db, tip_id, "in", inbound_id, 0, text, at) < 0 ||
		    db_audit(db, at, "tinbaod", "tip.new", tip_id, NULL) < 0 ||
		    db_tip_set_deadline(db, tip_id, 1, (now + 86400 + i % 86400) * 1000, 0, at) < 0)
			return fail(db, "tip rows");
		for (size_t k = 0; k < n_duty; k++)
			if (db_notified_add(db, tip_id, duty[k], 1, at) < 0)
				return fail(db, "notified");
		int64_t ob;
		if (i % 2 == 0)
			ob = db_outbox_add(db, "sms", duty_phone, NULL, 0, duty[0], tip_id, "notify",
			    "TB MOI: tin bao mau (kiem tra tai)", at);
		else
			ob = db_outbox_add(db, "zalo_oa", NULL, sealed, sealed_len, 0, tip_id, "receipt",
			    "Công an phường đã tiếp nhận tin báo của bạn.", at);
		if (ob <= 0 || db_outbox_retry(db, ob, i % 2 ? "HTTP 503 (bench: Zalo refusing)" :
		    "modem down (bench)", now + 3600) < 0)
			return fail(db, "outbox");
		if (((i + 1) % SEED_TX_ROWS == 0 || i + 1 == n) && db_commit(db) < 0)
			return fail(db, "commit");
		identity_wipe(addr, sizeof addr);
	}
	officers_free(officers, n_officers);
	db_close(db);
	identity_close(id);
	config_free(cfg);
	printf("seeded %ld open tips and %ld queued messages\n", n, n);
	return 0;
}
