/* Unit tests: the audit trail's collapsed reads (gateway/audit.h) on a real
 * SQLite file, with the clock in the test's hands: identical reads within
 * 10 minutes are one row, the next row seals their count into the chain, and
 * `audit verify` catches a count changed after that. */
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "tests/unit/unit.h"

#define T0 1795000000LL          /* 2026-11-18, any fixed time */
#define PAGE "GET / (duty-desk page): 1 tip TB-7KM4Q9"

static char dbpath[256];

static struct db *
fresh_db(void)
{
	audit_init();
	return unit_fresh_db("audit", dbpath, sizeof dbpath);
}

/* Raw SQL on the file, as someone with write access to it would. */
static void
tamper(const char *sql)
{
	sqlite3 *h;
	CHECK(sqlite3_open(dbpath, &h) == SQLITE_OK);
	sqlite3_busy_timeout(h, 5000);
	char *err = NULL;
	if (sqlite3_exec(h, sql, NULL, NULL, &err) != SQLITE_OK) {
		fprintf(stderr, "  %s: %s\n", sql, err ? err : "?");
		CHECK(0);
	}
	sqlite3_free(err);
	sqlite3_close(h);
}

struct seen {
	int64_t rows, reads[16], last[16], ids[16];
	const char *seals[16];
	char buf[16][128];
};

static int
collect(const struct audit_row *r, void *arg)
{
	struct seen *s = arg;
	if (s->rows < 16) {
		s->ids[s->rows] = r->id;
		s->reads[s->rows] = r->reads;
		s->last[s->rows] = r->last_at;
		snprintf(s->buf[s->rows], sizeof s->buf[0], "%s", r->seals ? r->seals : "");
		s->seals[s->rows] = r->seals ? s->buf[s->rows] : NULL;
	}
	s->rows++;
	return 0;
}

static struct seen
rows_of(struct db *db)
{
	struct seen s;
	memset(&s, 0, sizeof s);
	CHECK(db_audit_each(db, 0, NULL, collect, &s) == 0);
	return s;
}

static struct audit_verdict
verified(struct db *db)
{
	struct audit_verdict v;
	CHECK(audit_verify(db, &v) == 0);
	return v;
}

static void
test_identical_reads_within_ten_minutes_are_one_row(void)
{
	struct db *db = fresh_db();
	for (int i = 0; i < 20; i++)          /* a desk page reloading every 30 s */
		CHECK(audit_read(db, T0 + 30 * i, "desk page", "An", 0, PAGE) == 0);
	struct seen s = rows_of(db);
	CHECK(s.rows == 1 && s.reads[0] == 20 && s.last[0] == T0 + 570);
	/* another reader, another tip list, another officer: rows of their own */
	CHECK(audit_read(db, T0 + 575, "desk page", "Bình", 0, PAGE) == 0);
	CHECK(audit_read(db, T0 + 576, "desk page", "An", 0, PAGE " and 1 more") == 0);
	CHECK(audit_read(db, T0 + 577, "root", NULL, 0, PAGE) == 0);
	CHECK(audit_read(db, T0 + 578, "root", NULL, 0, "tip show TB-7KM4Q9") == 0);
	s = rows_of(db);
	CHECK(s.rows == 5);
	/* ten minutes after the first read, the window is over: a new row */
	CHECK(audit_read(db, T0 + 600, "desk page", "An", 0, PAGE) == 0);
	s = rows_of(db);
	CHECK(s.rows == 6 && s.reads[0] == 20 && s.reads[5] == 1);
	struct audit_verdict v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.rows == 6);
	db_close(db);
}

static void
test_the_next_row_seals_the_count(void)
{
	struct db *db = fresh_db();
	for (int i = 0; i < 5; i++)
		CHECK(audit_read(db, T0 + 30 * i, "desk page", "An", 0, PAGE) == 0);
	struct audit_verdict v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.open == 1);     /* counting: not sealed yet */
	CHECK(db_audit(db, T0 + 130, "tinbaod", "tip.new", 0, NULL) == 0);
	struct seen s = rows_of(db);
	CHECK(s.rows == 2 && s.seals[1] && strcmp(s.seals[1], "1:5:1795000120;") == 0);
	v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.open == 0);
	/* a sealed row takes no more reads: the next identical one is a new row */
	CHECK(audit_read(db, T0 + 140, "desk page", "An", 0, PAGE) == 0);
	s = rows_of(db);
	CHECK(s.rows == 3 && s.reads[0] == 5 && s.reads[2] == 1);
	/* the officer of a desk action is in the hash (v2) */
	CHECK(db_audit_for(db, T0 + 150, "root", "Trần Thị Bình", "tip.ack", 0, NULL) == 0);
	v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.rows == 4);
	tamper("UPDATE audit SET officer = 'Nguyễn Văn An' WHERE id = 4");
	v = verified(db);
	CHECK(v.fault == AUDIT_EDITED && v.row == 4);
	db_close(db);
}

static void
test_a_changed_count_is_caught_once_sealed(void)
{
	struct db *db = fresh_db();
	for (int i = 0; i < 8; i++)
		CHECK(audit_read(db, T0 + 30 * i, "desk page", "An", 0, PAGE) == 0);
	/* before anything follows, the count is open: an editor is not seen */
	tamper("UPDATE audit SET reads = 3, last_at = 1795000060 WHERE id = 1");
	struct audit_verdict v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.open == 1);
	tamper("UPDATE audit SET reads = 8, last_at = 1795000210 WHERE id = 1");
	CHECK(db_audit(db, T0 + 300, "tinbaod", "tip.escalate", 0, "level 1 -> 2") == 0);
	CHECK(verified(db).fault == AUDIT_INTACT);
	/* sealed: fewer reads, another last time, or "one read" are all caught */
	static const char *const edits[] = {
		"UPDATE audit SET reads = 2 WHERE id = 1",
		"UPDATE audit SET last_at = 1795000100 WHERE id = 1",
		"UPDATE audit SET reads = 1, last_at = NULL WHERE id = 1",
	};
	for (size_t i = 0; i < sizeof edits / sizeof edits[0]; i++) {
		tamper(edits[i]);
		v = verified(db);
		CHECK(v.fault == AUDIT_RECOUNTED && v.row == 1 && v.sealed_by == 2);
		tamper("UPDATE audit SET reads = 8, last_at = 1795000210 WHERE id = 1");
		CHECK(verified(db).fault == AUDIT_INTACT);
	}
	/* a row of one read given a count later, after rows that came after
	 * its window: it was never counting, the rows after it say so */
	CHECK(audit_read(db, T0 + 310, "root", NULL, 0, "tips: 1 tip TB-7KM4Q9") == 0);
	CHECK(db_audit(db, T0 + 1000, "tinbaod", "tip.new", 0, NULL) == 0);
	tamper("UPDATE audit SET reads = 4, last_at = 1795000500 WHERE id = 3");
	v = verified(db);
	CHECK(v.fault == AUDIT_RECOUNTED && v.row == 3 && v.sealed_by == 0);
	tamper("UPDATE audit SET reads = 1, last_at = NULL WHERE id = 3");
	CHECK(verified(db).fault == AUDIT_INTACT);
	/* the seals themselves are in the hash of the row that carries them */
	tamper("UPDATE audit SET seals = '1:9:1795000240;' WHERE id = 2");
	CHECK(verified(db).fault == AUDIT_EDITED);
	db_close(db);
}

static void
test_a_clock_gone_back_and_too_many_open_start_rows(void)
{
	struct db *db = fresh_db();
	CHECK(audit_read(db, T0, "root", NULL, 0, "tips: 0 tips") == 0);
	CHECK(db_audit(db, T0 + 100, "tinbaod", "tip.new", 0, NULL) == 0);
	/* a read stamped before the row written after it is not counted into
	 * the older row: its count would claim a read that the chain contradicts */
	CHECK(audit_read(db, T0 + 50, "root", NULL, 0, "tips: 0 tips") == 0);
	struct seen s = rows_of(db);
	CHECK(s.rows == 3 && s.reads[0] == 1 && s.reads[2] == 1);
	CHECK(verified(db).fault == AUDIT_INTACT);
	/* at most AUDIT_OPEN_MAX rows count at once */
	db_close(db);
	db = fresh_db();
	char actor[32];
	for (int i = 0; i <= AUDIT_OPEN_MAX; i++) {       /* 65 browsers open the page */
		snprintf(actor, sizeof actor, "browser %d", i);
		CHECK(audit_read(db, T0 + i, actor, NULL, 0, PAGE) == 0);
	}
	for (int i = 0; i < AUDIT_OPEN_MAX; i++) {        /* and 64 of them reload it */
		snprintf(actor, sizeof actor, "browser %d", i);
		CHECK(audit_read(db, T0 + 100 + i, actor, NULL, 0, PAGE) == 0);
	}
	struct audit_verdict v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.open == AUDIT_OPEN_MAX &&
	    v.rows == AUDIT_OPEN_MAX + 1);
	/* the 65th reload would open one count too many: a row of its own,
	 * which seals the 64 */
	CHECK(audit_read(db, T0 + 200, "browser 64", NULL, 0, PAGE) == 0);
	v = verified(db);
	CHECK(v.fault == AUDIT_INTACT && v.open == 0 && v.rows == AUDIT_OPEN_MAX + 2);
	db_close(db);
}

UNIT_MAIN(
	UNIT(test_identical_reads_within_ten_minutes_are_one_row),
	UNIT(test_the_next_row_seals_the_count),
	UNIT(test_a_changed_count_is_caught_once_sealed),
	UNIT(test_a_clock_gone_back_and_too_many_open_start_rows),
)
