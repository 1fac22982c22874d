/* make bench: admissions per second through the batching writer, against a
 * baseline measured in the same run on the same disk: one transaction per
 * admission (what a naive handler would do). Both commit with
 * synchronous=FULL. Prints the ratio and how many admissions one commit held. */
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "db/db.h"
#include "gateway/writer.h"

#define CLIENTS 64
#define PER_CLIENT 40

static double
now_s(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

static void
fresh(const char *path)
{
	char p[300];
	static const char *const sfx[] = { "", "-wal", "-shm" };
	for (int i = 0; i < 3; i++) {
		snprintf(p, sizeof p, "%s%s", path, sfx[i]);
		unlink(p);
	}
}

struct client { struct writer *w; int id; };

static void *
client_main(void *arg)
{
	struct client *c = arg;
	for (int i = 0; i < PER_CLIENT; i++) {
		char msgid[32];
		snprintf(msgid, sizeof msgid, "c%d-%d", c->id, i);
		struct admission a = { .channel = "zalo_oa", .channel_msg_id = msgid, .via = "bench",
		    .pseudonym = "0123456789abcdef0123456789abcdef", .text = "Có trộm ở chợ Bến Thành",
		    .received_at = 1 };
		if (writer_admit(c->w, &a) < 0) {
			fprintf(stderr, "admission failed\n");
			exit(1);
		}
	}
	return NULL;
}

int
main(int argc, char **argv)
{
	const char *path = argc > 1 ? argv[1] : "/tmp/tinbao-bench.db";
	char err[256];
	int total = CLIENTS * PER_CLIENT;

	/* baseline: one commit per admission */
	fresh(path);
	struct db *db = db_open(path, 0, err, sizeof err);
	if (!db) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	double t0 = now_s();
	for (int i = 0; i < total; i++) {
		char msgid[32];
		snprintf(msgid, sizeof msgid, "b-%d", i);
		if (db_begin(db) < 0 || db_inbound_insert(db, "zalo_oa", msgid, "bench", NULL, 0,
		    "0123456789abcdef0123456789abcdef", "Có trộm ở chợ Bến Thành", 1, 0, 0) < 0 ||
		    db_commit(db) < 0) {
			fprintf(stderr, "%s\n", db_errmsg(db));
			return 1;
		}
	}
	double base = now_s() - t0;
	db_close(db);

	/* the writer: CLIENTS concurrent callers, each waiting for its commit */
	fresh(path);
	struct writer *w = writer_start(path, NULL, NULL, err, sizeof err);
	if (!w) {
		fprintf(stderr, "%s\n", err);
		return 1;
	}
	pthread_t th[CLIENTS];
	struct client cl[CLIENTS];
	t0 = now_s();
	for (int i = 0; i < CLIENTS; i++) {
		cl[i] = (struct client){ w, i };
		pthread_create(&th[i], NULL, client_main, &cl[i]);
	}
	for (int i = 0; i < CLIENTS; i++)
		pthread_join(th[i], NULL);
	double batched = now_s() - t0;
	struct writer_stats st;
	writer_stats(w, &st);
	writer_stop(w);
	fresh(path);

	printf("admissions: %d, each durable (synchronous=FULL) before its caller returns\n", total);
	printf("baseline, one commit each:     %8.0f admissions/s (%.2fs)\n", total / base, base);
	printf("writer, %d callers at once:    %8.0f admissions/s (%.2fs), %llu commits, "
	    "%.1f admissions per commit (largest %llu)\n", CLIENTS, total / batched, batched,
	    (unsigned long long)st.commits, (double)st.admissions / (double)st.commits,
	    (unsigned long long)st.max_batch);
	printf("ratio writer/baseline: %.1fx\n", base / batched);
	return 0;
}
