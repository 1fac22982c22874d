/* unit — the smallest test harness: CHECK records a failure and goes on;
 * UNIT_MAIN runs the listed tests and prints "N passed, N failed" per file.
 * A test is `static void test_name(void)`. Exit status is 1 if anything failed. */
#ifndef TINBAO_UNIT_H
#define TINBAO_UNIT_H

#include <stdio.h>
#include <string.h>

static int unit_failed_checks;
static int unit_current_failed;

#define CHECK(cond) do { \
	if (!(cond)) { \
		fprintf(stderr, "  %s:%d: CHECK(%s) failed\n", __FILE__, __LINE__, #cond); \
		unit_failed_checks++; unit_current_failed = 1; \
	} } while (0)

#define CHECK_STR(a, b) do { \
	const char *unit_a_ = (a), *unit_b_ = (b); \
	if (!unit_a_ || !unit_b_ || strcmp(unit_a_, unit_b_) != 0) { \
		fprintf(stderr, "  %s:%d: \"%s\" != \"%s\"\n", __FILE__, __LINE__, \
		    unit_a_ ? unit_a_ : "(null)", unit_b_ ? unit_b_ : "(null)"); \
		unit_failed_checks++; unit_current_failed = 1; \
	} } while (0)

struct unit_case { const char *name; void (*fn)(void); };
#define UNIT(fn) { #fn, fn }

#define UNIT_MAIN(...) \
int main(void) { \
	static const struct unit_case cases[] = { __VA_ARGS__ }; \
	int passed = 0, failed = 0; \
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) { \
		unit_current_failed = 0; \
		cases[i].fn(); \
		if (unit_current_failed) { failed++; fprintf(stderr, "FAIL %s\n", cases[i].name); } \
		else { passed++; printf("ok   %s\n", cases[i].name); } \
	} \
	printf("%d passed, %d failed\n", passed, failed); \
	return failed ? 1 : 0; \
}


/* A fresh database file /tmp/tinbao-unit-TAG-PID.db (old copies and their
 * -wal/-shm removed) opened read-write; its path in path. NULL after printing
 * why. Only for tests that include db/db.h before this header. */
#ifdef TINBAO_DB_H
#include <unistd.h>
static inline struct db *
unit_fresh_db(const char *tag, char *path, size_t pathsz)
{
	char err[256];
	snprintf(path, pathsz, "/tmp/tinbao-unit-%s-%d.db", tag, (int)getpid());
	static const char *const suffixes[] = { "", "-wal", "-shm" };
	for (size_t i = 0; i < 3; i++) {
		char p[300];
		snprintf(p, sizeof p, "%s%s", path, suffixes[i]);
		unlink(p);
	}
	struct db *db = db_open(path, 0, err, sizeof err);
	if (!db)
		fprintf(stderr, "db_open: %s\n", err);
	return db;
}
#endif

#endif
