/* Fuzz target: the syllable splitter, phrase matching, the urgency check and
 * the category guess. The input's first line is also used as a phrase
 * against the rest. Every word and plain form must be valid UTF-8, a plain
 * form carries no mark and no đ, joining and splitting a phrase again gives
 * it back, a phrase is found in itself, the same text typed decomposed (NFD)
 * gets the same answers, and the category is one the table knows. */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistd.h>
#include <unistr.h>

#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/syllable.h"
#include "gateway/urgency.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static struct config *cfg;

static void
load_defaults(void)
{
	char path[64], err[256];
	snprintf(path, sizeof path, "/tmp/fuzz-urgency-%d.conf", (int)getpid());
	FILE *f = fopen(path, "w");
	if (!f)
		abort();
	fclose(f);
	cfg = config_load(path, err, sizeof err);
	unlink(path);
	if (!cfg)
		abort();
}

static void
check_syllables(const struct syllables *s)
{
	for (size_t i = 0; i < syllables_count(s); i++) {
		const char *w = syllables_word(s, i), *p = syllables_plain(s, i);
		if (!w || !p || !*w || u8_check((const uint8_t *)w, strlen(w)) ||
		    u8_check((const uint8_t *)p, strlen(p)))
			abort();
		const uint8_t *q = (const uint8_t *)p, *end = q + strlen(p);
		while (q < end) {
			ucs4_t c;
			int k = u8_mbtouc(&c, q, (size_t)(end - q));
			if (uc_is_general_category(c, UC_CATEGORY_M) || c == 0x0111)
				abort();
			q += k > 0 ? k : 1;
		}
	}
	if (syllables_marked_text(s) && !syllables_any_marked(s))
		abort();
}

/* The answers that must not depend on how the text was normalised. */
struct answers {
	int urgent;
	const char *category;
	size_t count;
};

static struct answers
answer(const char *text)
{
	struct answers a = { urgency_match(cfg, text), category_guess_in(cfg->categories, text), 0 };
	struct syllables *s = syllables_split(text);
	if (s) {
		check_syllables(s);
		a.count = syllables_count(s);
	}
	syllables_free(s);
	if (a.urgent < -1 || a.urgent > 1)
		abort();
	if (strcmp(a.category, "khac") != 0 && strcmp(category_name(a.category), "khác") == 0)
		abort();                             /* a code the table does not know */
	return a;
}

static void
phrase_checks(const char *phrase)
{
	struct syllables *p = syllables_phrase(phrase);
	if (!p)
		return;
	check_syllables(p);
	char *joined = syllables_join(p);
	struct syllables *again = joined ? syllables_phrase(joined) : NULL;
	if (again) {
		char *rejoined = syllables_join(again);
		if (rejoined && strcmp(rejoined, joined) != 0)
			abort();                     /* joining is a fixed point */
		free(rejoined);
		/* a phrase is found in itself: as written when it reads as written,
		 * unaccented when it has no marks at all */
		size_t n = syllables_count(again);
		if (n > 0 && syllables_is_phrase(again)) {
			if (syllables_marked_text(again) &&
			    !syllables_find(again, again, SYLLABLES_AS_WRITTEN))
				abort();
			if (!syllables_any_marked(again) &&
			    !syllables_find(again, again, SYLLABLES_UNACCENTED))
				abort();
		}
	}
	syllables_free(again);
	free(joined);
	syllables_free(p);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (!cfg)
		load_defaults();
	if (size > 4096)
		return 0;
	char *text = malloc(size + 1);
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';                      /* a NUL inside ends the text, as in a C string */
	struct answers a = answer(text);

	int ascii = 1;
	for (const char *c = text; *c && ascii; c++)
		ascii = (unsigned char)*c < 0x80;
	size_t dlen = 0;                        /* the same text, decomposed (ASCII is itself) */
	uint8_t *nfd = ascii || u8_check((const uint8_t *)text, strlen(text)) ? NULL :
	    u8_normalize(UNINORM_NFD, (const uint8_t *)text, strlen(text), NULL, &dlen);
	if (nfd) {
		char *d = malloc(dlen + 1);
		if (d) {
			memcpy(d, nfd, dlen);
			d[dlen] = '\0';
			struct answers b = answer(d);
			if (a.urgent >= 0 && b.urgent >= 0 &&
			    (a.urgent != b.urgent || strcmp(a.category, b.category) != 0 ||
			    a.count != b.count))
				abort();
			free(d);
		}
		free(nfd);
	}

	char *nl = strchr(text, '\n');          /* "phrase\ntext" */
	if (nl) {
		*nl = '\0';
		phrase_checks(text);
		struct syllables *t = syllables_split(nl + 1), *p = syllables_phrase(text);
		if (t && p) {
			(void)syllables_find(t, p, SYLLABLES_AS_WRITTEN);
			(void)syllables_find(t, p, SYLLABLES_UNACCENTED);
		}
		syllables_free(t);
		syllables_free(p);
	} else {
		phrase_checks(text);
	}
	free(text);
	return 0;
}
