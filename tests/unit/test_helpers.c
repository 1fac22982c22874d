/* Unit tests: the small shared helpers (backoff, buf, secretfile). */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/backoff.h"
#include "gateway/buf.h"
#include "gateway/secretfile.h"
#include "tests/unit/unit.h"

static void
test_backoff_doubles_up_to_the_cap(void)
{
	CHECK(backoff_delay(30, 3600, 1) == 30);
	CHECK(backoff_delay(30, 3600, 2) == 60);
	CHECK(backoff_delay(30, 3600, 3) == 120);
	CHECK(backoff_delay(30, 3600, 8) == 3600);   /* 30 * 128 = 3840, capped */
	CHECK(backoff_delay(30, 3600, 1000000) == 3600);
	CHECK(backoff_delay(1, 60, 0) == 1);          /* attempt < 1 counts as 1 */
	CHECK(backoff_delay(0, 60, 3) == 4);          /* base < 1 counts as 1 */
	CHECK(backoff_delay(100, 10, 5) == 100);      /* a cap below base is base */
	CHECK(backoff_delay(INT64_MAX / 2 + 1, INT64_MAX, 3) == INT64_MAX);
}

static void
test_buf_keeps_its_bound(void)
{
	struct buf b;
	buf_init(&b, 8);
	CHECK(b.data == NULL && b.len == 0);
	CHECK(buf_append(&b, "abcd", 4) == 0 && b.len == 4 && strcmp(b.data, "abcd") == 0);
	CHECK(buf_append(&b, "efgh", 4) == 0 && b.len == 8 && !b.overflow);
	CHECK(buf_append(&b, "i", 1) == -1 && b.overflow && b.len == 8);
	CHECK(strcmp(b.data, "abcdefgh") == 0);
	char *p = buf_take(&b);
	CHECK(p && strcmp(p, "abcdefgh") == 0 && b.data == NULL && b.len == 0 && !b.overflow);
	free(p);
	CHECK(buf_append(&b, "", 0) == 0 && b.data && b.data[0] == '\0');
	buf_free(&b);
	buf_free(&b);
}

static void
put(const char *path, const char *content, mode_t mode)
{
	FILE *f = fopen(path, "w");
	CHECK(f != NULL);
	if (f) {
		fputs(content, f);
		fclose(f);
	}
	chmod(path, mode);
}

static void
test_secretfile_one_rule(void)
{
	char path[64], out[32], err[256];
	size_t len = 0;
	int loose = -1;
	snprintf(path, sizeof path, "/tmp/tinbao-unit-secret-%d", (int)getpid());

	put(path, "s3cr3t-Token_1\r\n", 0600);
	CHECK(secretfile_read("[x] y_file", path, 0, 8, out, sizeof out, &len, &loose, err,
	    sizeof err) == 0);
	CHECK_STR(out, "s3cr3t-Token_1");
	CHECK(len == 14 && loose == 0);

	put(path, "s3cr3t-Token_1\n", 0644);
	CHECK(secretfile_read("[x] y_file", path, 0, 8, out, sizeof out, &len, &loose, err,
	    sizeof err) == 0 && loose == 1);
	CHECK(secretfile_others_read(path) == 1);

	put(path, "abc/def?\n", 0600);
	CHECK(secretfile_read("[x] y_file", path, 0, 1, out, sizeof out, NULL, NULL, err,
	    sizeof err) == 0);
	CHECK(secretfile_read("[x] y_file", path, SECRETFILE_URL_SAFE, 1, out, sizeof out, NULL,
	    NULL, err, sizeof err) == -1 && out[0] == '\0');
	CHECK(strstr(err, "[x] y_file") && strstr(err, "not a token") && !strstr(err, "abc"));

	put(path, "two words\n", 0600);
	CHECK(secretfile_read("[x] y_file", path, 0, 1, out, sizeof out, NULL, NULL, err,
	    sizeof err) == -1);
	put(path, "\n\n", 0600);
	CHECK(secretfile_read("[x] y_file", path, 0, 1, out, sizeof out, NULL, NULL, err,
	    sizeof err) == -1 && strstr(err, "empty"));
	put(path, "short\n", 0600);
	CHECK(secretfile_read("[x] y_file", path, 0, 8, out, sizeof out, NULL, NULL, err,
	    sizeof err) == -1 && strstr(err, "8 to 31"));
	put(path, "0123456789012345678901234567890123456789\n", 0600);
	CHECK(secretfile_read("[x] y_file", path, 0, 8, out, sizeof out, NULL, NULL, err,
	    sizeof err) == -1 && out[0] == '\0');
	unlink(path);
	CHECK(secretfile_read("[x] y_file", path, 0, 8, out, sizeof out, NULL, NULL, err,
	    sizeof err) == -1 && strstr(err, "No such file"));
	CHECK(secretfile_others_read(path) == -1);
	CHECK(secretfile_read("[x] y_file", "/tmp", 0, 8, out, sizeof out, NULL, NULL, err,
	    sizeof err) == -1 && strstr(err, "not a regular file"));
}

UNIT_MAIN(UNIT(test_backoff_doubles_up_to_the_cap), UNIT(test_buf_keeps_its_bound),
    UNIT(test_secretfile_one_rule))
