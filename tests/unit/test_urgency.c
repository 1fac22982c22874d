/* Unit tests: the urgency matcher and the category guess over the labelled
 * corpus tests/corpus/urgency.tsv. Prints precision and recall, the near-miss
 * false alarms and the per-category accuracy; fails when a near-miss is made
 * urgent, when recall on the urgent lines is under 95 %, or when the corpus is
 * too small to say anything. */
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/urgency.h"
#include "tests/unit/unit.h"

#define CORPUS "tests/corpus/urgency.tsv"
#define MAX_LINES 2000
#define MIN_LINES 200
#define MIN_NEAR 60
#define MIN_URGENT 50
#define RECALL_MIN 0.95
#define CATEGORY_MIN 0.90          /* overall category accuracy */

struct line {
	int urgent;
	char *category;
	char *near;                    /* "-" or "chạy/cháy", ... */
	char *text;
	int lineno;
};

static struct line lines[MAX_LINES];
static size_t n_lines;
static struct config *cfg;

static const char *const categories[] = {
	"ma_tuy", "trom_cap", "co_bac", "tin_dung_den", "lua_dao", "gay_roi",
	"bao_luc_gia_dinh", "trat_tu_do_thi", "pccc", "giao_thong", "cu_tru", "can_bo", "khac",
};
#define NCAT (sizeof categories / sizeof categories[0])

static const char *const near_pairs[] = {
	"chạy/cháy", "đào/dao", "đầm/đâm", "sung/súng", "cuốc/cướp",
};
#define NPAIRS (sizeof near_pairs / sizeof near_pairs[0])

/* The corpus from the working directory (make runs the tests from the top of
 * the tree) or else from beside the test binary (BUILD/tests/ -> ../../);
 * TINBAO_URGENCY_CORPUS names another file in the same form. */
static FILE *
open_corpus(void)
{
	const char *other = getenv("TINBAO_URGENCY_CORPUS");    /* to measure another set */
	if (other && *other)
		return fopen(other, "r");
	FILE *f = fopen(CORPUS, "r");
	if (f)
		return f;
	char exe[PATH_MAX], path[PATH_MAX + 64];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof exe - 1);
	if (n <= 0)
		return NULL;
	exe[n] = '\0';
	for (int up = 0; up < 3; up++) {
		char *slash = strrchr(exe, '/');
		if (!slash)
			return NULL;
		*slash = '\0';
	}
	snprintf(path, sizeof path, "%s/%s", exe, CORPUS);
	return fopen(path, "r");
}

static int
load_corpus(void)
{
	FILE *f = open_corpus();
	if (!f) {
		fprintf(stderr, "  cannot open %s\n", CORPUS);
		return -1;
	}
	char buf[4096];
	int lineno = 0;
	while (fgets(buf, sizeof buf, f)) {
		lineno++;
		buf[strcspn(buf, "\n")] = '\0';
		if (buf[0] == '#' || buf[0] == '\0')
			continue;
		char *label = buf, *cat = strchr(label, '\t');
		char *near = cat ? strchr(cat + 1, '\t') : NULL;
		char *text = near ? strchr(near + 1, '\t') : NULL;
		if (!text || n_lines >= MAX_LINES) {
			fprintf(stderr, "  %s:%d: not label TAB category TAB near TAB text\n", CORPUS,
			    lineno);
			fclose(f);
			return -1;
		}
		*cat++ = '\0';
		*near++ = '\0';
		*text++ = '\0';
		if (strcmp(label, "urgent") != 0 && strcmp(label, "normal") != 0) {
			fprintf(stderr, "  %s:%d: label \"%s\"\n", CORPUS, lineno, label);
			fclose(f);
			return -1;
		}
		struct line *l = &lines[n_lines++];
		l->urgent = strcmp(label, "urgent") == 0;
		l->category = strdup(cat);
		l->near = strdup(near);
		l->text = strdup(text);
		l->lineno = lineno;
		if (!l->category || !l->near || !l->text) {
			fclose(f);
			return -1;
		}
	}
	fclose(f);
	return 0;
}

static int
is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return 0;
	return 1;
}

static void
test_corpus_is_big_enough(void)
{
	if (!cfg || n_lines == 0) {
		CHECK(0);
		return;
	}
	size_t near = 0, urgent = 0, plain = 0, cat_seen[NCAT] = { 0 }, pair_seen[NPAIRS] = { 0 };
	for (size_t i = 0; i < n_lines; i++) {
		const struct line *l = &lines[i];
		near += strcmp(l->near, "-") != 0;
		urgent += l->urgent;
		plain += is_ascii(l->text);
		int known = 0;
		for (size_t c = 0; c < NCAT; c++)
			if (strcmp(l->category, categories[c]) == 0) {
				cat_seen[c]++;
				known = 1;
			}
		if (!known)
			fprintf(stderr, "  %s:%d: unknown category %s\n", CORPUS, l->lineno, l->category);
		CHECK(known);
		int pair = strcmp(l->near, "-") == 0;
		for (size_t p = 0; p < NPAIRS; p++)
			if (strcmp(l->near, near_pairs[p]) == 0) {
				pair_seen[p]++;
				pair = 1;
			}
		CHECK(pair);
		CHECK(!(l->urgent && strcmp(l->near, "-") != 0));   /* a near-miss is never urgent */
	}
	printf("corpus: %zu tips, %zu urgent, %zu near-misses, %zu without marks\n", n_lines,
	    urgent, near, plain);
	CHECK(n_lines >= MIN_LINES);
	CHECK(near >= MIN_NEAR);
	CHECK(urgent >= MIN_URGENT);
	CHECK(plain >= n_lines / 4 && plain <= n_lines * 3 / 4);
	for (size_t c = 0; c < NCAT; c++)
		CHECK(cat_seen[c] >= 5);
	for (size_t p = 0; p < NPAIRS; p++)
		CHECK(pair_seen[p] >= 8);
}

static void
test_urgency_on_the_corpus(void)
{
	if (!cfg || n_lines == 0) {
		CHECK(0);
		return;
	}
	size_t tp = 0, fp = 0, fn = 0, tn = 0, near = 0, near_fp = 0;
	size_t pair_n[NPAIRS] = { 0 }, pair_fp[NPAIRS] = { 0 };
	for (size_t i = 0; i < n_lines; i++) {
		const struct line *l = &lines[i];
		int got = urgency_match(cfg, l->text);
		int is_near = strcmp(l->near, "-") != 0;
		if (got && l->urgent)
			tp++;
		else if (got)
			fp++;
		else if (l->urgent)
			fn++;
		else
			tn++;
		if (is_near) {
			near++;
			near_fp += got;
			for (size_t p = 0; p < NPAIRS; p++)
				if (strcmp(l->near, near_pairs[p]) == 0) {
					pair_n[p]++;
					pair_fp[p] += got;
				}
		}
		if (got != l->urgent)
			printf("  %s:%d: %s, said %s%s: %s\n", CORPUS, l->lineno,
			    l->urgent ? "urgent" : "normal", got ? "urgent" : "normal",
			    is_near ? " (near-miss)" : "", l->text);
	}
	double precision = tp + fp ? (double)tp / (double)(tp + fp) : 0;
	double recall = tp + fn ? (double)tp / (double)(tp + fn) : 0;
	printf("urgency: precision %.1f %% (%zu of %zu said urgent), recall %.1f %% (%zu of %zu "
	    "urgent), %zu true normal\n", 100 * precision, tp, tp + fp, 100 * recall, tp, tp + fn,
	    tn);
	printf("urgency: near-misses made urgent: %zu of %zu", near_fp, near);
	for (size_t p = 0; p < NPAIRS; p++)
		printf("%s%s %zu/%zu", p ? ", " : " (", near_pairs[p], pair_fp[p], pair_n[p]);
	printf(")\n");
	CHECK(near > 0 && near_fp == 0);
	CHECK(tp + fn > 0 && recall >= RECALL_MIN);
}

static void
test_category_on_the_corpus(void)
{
	if (!cfg || n_lines == 0) {
		CHECK(0);
		return;
	}
	size_t right[NCAT] = { 0 }, total[NCAT] = { 0 }, all_right = 0, near_pccc = 0;
	for (size_t i = 0; i < n_lines; i++) {
		const struct line *l = &lines[i];
		const char *got = category_guess_in(cfg->categories, l->text);     /* as route.c */
		int ok = strcmp(got, l->category) == 0;
		all_right += ok;
		for (size_t c = 0; c < NCAT; c++)
			if (strcmp(l->category, categories[c]) == 0) {
				total[c]++;
				right[c] += ok;
			}
		/* a near-miss of cháy must not be taken for a fire */
		if (strcmp(l->near, "-") != 0 && strcmp(got, "pccc") == 0 &&
		    strcmp(l->category, "pccc") != 0)
			near_pccc++;
		if (!ok)
			printf("  %s:%d: %s, guessed %s: %s\n", CORPUS, l->lineno, l->category, got,
			    l->text);
	}
	printf("category: %zu of %zu right (%.1f %%); near-misses taken for a fire: %zu\n",
	    all_right, n_lines, n_lines ? 100.0 * (double)all_right / (double)n_lines : 0.0,
	    near_pccc);
	for (size_t c = 0; c < NCAT; c++)
		printf("  %-17s %3zu/%-3zu %5.1f %%\n", categories[c], right[c], total[c],
		    total[c] ? 100.0 * (double)right[c] / (double)total[c] : 0.0);
	CHECK(near_pccc == 0);
	CHECK(n_lines > 0 && (double)all_right >= CATEGORY_MIN * (double)n_lines);
}

static void
test_load(void)
{
	char path[64], err[512];
	snprintf(path, sizeof path, "/tmp/tinbao-unit-urgency-%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	if (f)
		fclose(f);
	cfg = config_load(path, err, sizeof err);     /* every default */
	unlink(path);
	if (!cfg)
		fprintf(stderr, "  config_load: %s\n", err);
	CHECK(cfg != NULL);
	CHECK(load_corpus() == 0);
}

static void
test_free(void)
{
	config_free(cfg);
	for (size_t i = 0; i < n_lines; i++) {
		free(lines[i].category);
		free(lines[i].near);
		free(lines[i].text);
	}
}

UNIT_MAIN(UNIT(test_load), UNIT(test_corpus_is_big_enough), UNIT(test_urgency_on_the_corpus),
    UNIT(test_category_on_the_corpus), UNIT(test_free))
