/* Unit tests: the configuration file. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/config.h"
#include "tests/unit/unit.h"

static char path[256];

static struct config *
load(const char *text, char *err, size_t errlen)
{
	snprintf(path, sizeof path, "/tmp/tinbao-unit-conf-%d", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	struct config *c = config_load(path, err, errlen);
	unlink(path);
	return c;
}

static void
test_defaults_and_values(void)
{
	char err[512];
	struct config *c = load("[gateway]\nward = Phường Bến Thành ; a comment\n"
	    "followup_window = 2h\nunaccented_sms = yes\ntracking_prefix = tb\n"
	    "[escalation]\nurgent_keywords = Cháy, DAO ,súng,  BẮT   CÓC ,\n"
	    "urgent_phrases_unaccented = Boc Chay,cuop\n"
	    "[modem sim1]\ndevice = /dev/ttyUSB0\nconnection = at115200\npoll = 3s\n", err, sizeof err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_STR(c->ward, "Phường Bến Thành");
	CHECK(c->followup_window == 7200 && c->unaccented_sms == 1);
	CHECK_STR(c->tracking_prefix, "TB");
	CHECK(c->ack_deadline_ms == 600000 && c->level_deadline_ms == 300000 &&
	    c->repeat_ms == 600000);
	/* case folded, NFC, one space between words; the marks stay */
	CHECK(c->urgent_keywords.n == 4);
	CHECK_STR(c->urgent_keywords.v[0], "cháy");
	CHECK_STR(c->urgent_keywords.v[1], "dao");
	CHECK_STR(c->urgent_keywords.v[2], "súng");
	CHECK_STR(c->urgent_keywords.v[3], "bắt cóc");
	CHECK(c->urgent_phrases_unaccented.n == 2);
	CHECK_STR(c->urgent_phrases_unaccented.v[0], "boc chay");
	CHECK_STR(c->urgent_phrases_unaccented.v[1], "cuop");
	CHECK(c->n_modems == 1 && c->modems[0].poll == 3 && c->modems[0].n_gammu == 2);
	CHECK_STR(c->modems[0].gammu_key[0], "device");
	config_free(c);
}

static void
test_errors_name_the_line(void)
{
	char err[512];
	CHECK(load("[gateway]\nward = x\nbogus = 1\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":3:") && strstr(err, "bogus"));
	CHECK(load("[gateway]\n\n[nope]\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":3:") && strstr(err, "nope"));
	CHECK(load("[escalation]\nack_deadline = 10 minutes\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":2:") && strstr(err, "duration"));
	CHECK(load("[escalation]\nack_deadline = 0\n", err, sizeof err) == NULL);
	CHECK(load("[escalation]\nack_deadline = 999ms\n", err, sizeof err) == NULL);
	CHECK(strstr(err, "milliseconds"));
	CHECK(load("[outbox]\nretry_base = 1500ms\n", err, sizeof err) == NULL);  /* seconds only */
	CHECK(load("[gateway]\nunaccented_sms = maybe\n", err, sizeof err) == NULL);
	CHECK(load("[gateway]\ntracking_prefix = T-B\n", err, sizeof err) == NULL);
	CHECK(load("[modem a]\nconnection = at\n", err, sizeof err) == NULL);   /* no device */
	CHECK(strstr(err, "device"));
	CHECK(load("[modem a]\ndevice = x\ndevcie = y\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":3:"));
	CHECK(load("[gateway]\nward = a\nward = b\n", err, sizeof err) == NULL);
	CHECK(load("not ini at all\n", err, sizeof err) == NULL);
	/* an unaccented phrase with marks, a phrase broken by punctuation, too long */
	CHECK(load("[escalation]\n\nurgent_phrases_unaccented = boc chay, cháy nhà\n", err,
	    sizeof err) == NULL);
	CHECK(strstr(err, ":3:") && strstr(err, "\"cháy nhà\" has marks"));
	CHECK(load("[escalation]\nurgent_keywords = cháy.nhà\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":2:") && strstr(err, "not a word or a phrase"));
	CHECK(load("[escalation]\nurgent_keywords = a b c d e f g h i\n", err, sizeof err) == NULL);
	CHECK(strstr(err, "up to 8 words"));
	char many[1024] = "[escalation]\nurgent_phrases_unaccented = ";
	for (int i = 0; i < 65; i++)
		snprintf(many + strlen(many), sizeof many - strlen(many), "w%d,%s", i,
		    i % 10 == 9 ? "\n  " : "");
	CHECK(load(many, err, sizeof err) == NULL);
	CHECK(strstr(err, "more than 64"));
	/* inih reads at most 198 bytes a line: longer is refused, not cut */
	memset(many, 'a', sizeof many);
	memcpy(many, "[gateway]\nward = ", 17);
	memcpy(many + 300, "\n", 2);
	CHECK(load(many, err, sizeof err) == NULL);
	CHECK(strstr(err, ":2:") && strstr(err, "longer than 198 bytes"));
	/* only a list continues on an indented line */
	CHECK(load("[escalation]\nack_deadline = 10m\n  5m\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":3:") && strstr(err, "takes one value"));
}

static void
test_phrase_lists_continue_on_indented_lines(void)
{
	char err[512];
	struct config *c = load("[escalation]\nurgent_phrases_unaccented = boc chay, cuop,\n"
	    "  chay nha ; a comment\n"
	    "\t; a comment line\n"
	    "\tCAM   DAO,\n"
	    "urgent_keywords = cháy\n", err, sizeof err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(c->urgent_phrases_unaccented.n == 4);
	CHECK_STR(c->urgent_phrases_unaccented.v[2], "chay nha");
	/* split once at load, with the category hints */
	CHECK(c->urgent_phrases_unaccented.split[3] != NULL && c->urgent_keywords.split[0] != NULL);
	CHECK(c->categories != NULL);
	CHECK_STR(c->urgent_phrases_unaccented.v[3], "cam dao");
	CHECK(c->urgent_keywords.n == 1);
	config_free(c);
	/* the defaults: no single ambiguous syllable among the unaccented ones */
	c = load("", err, sizeof err);
	CHECK(c != NULL);
	if (!c)
		return;
	static const char *const ambiguous[] = { "chay", "dao", "dam", "sung", "no", "da",
	    "dang chay", "co chay", "dam nguoi", "co sung", "dam nhau", "chay no", "bi dam",
	    "no sung", "chat no", "bat coc", "ket ben trong", "dang chay", "chay lon" };
	CHECK(c->urgent_keywords.n >= 5 && c->urgent_phrases_unaccented.n >= 20);
	for (size_t i = 0; i < c->urgent_phrases_unaccented.n; i++)
		for (size_t j = 0; j < sizeof ambiguous / sizeof ambiguous[0]; j++)
			CHECK(strcmp(c->urgent_phrases_unaccented.v[i], ambiguous[j]) != 0);
	/* the sample shows the defaults, over several indented lines */
	struct config *sample = config_load("deploy/tinbao.conf.sample", err, sizeof err);
	if (!sample)
		fprintf(stderr, "  %s\n", err);
	CHECK(sample != NULL);
	const struct config_phrases *mine[] = { &c->urgent_keywords, &c->urgent_phrases_unaccented };
	const struct config_phrases *its[] = { sample ? &sample->urgent_keywords : NULL,
	    sample ? &sample->urgent_phrases_unaccented : NULL };
	for (size_t l = 0; sample && l < 2; l++) {
		CHECK(mine[l]->n == its[l]->n);
		for (size_t i = 0; i < mine[l]->n && i < its[l]->n; i++)
			CHECK_STR(mine[l]->v[i], its[l]->v[i]);
	}
	config_free(sample);
	config_free(c);
}

static void
test_durations(void)
{
	int64_t v;
	CHECK(config_parse_duration("90", &v) == 0 && v == 90);
	CHECK(config_parse_duration("90s", &v) == 0 && v == 90);
	CHECK(config_parse_duration("10m", &v) == 0 && v == 600);
	CHECK(config_parse_duration("2h", &v) == 0 && v == 7200);
	CHECK(config_parse_duration("7d", &v) == 0 && v == 604800);
	CHECK(config_parse_duration("", &v) < 0);
	CHECK(config_parse_duration("-5s", &v) < 0);
	CHECK(config_parse_duration("5x", &v) < 0);
	CHECK(config_parse_duration("5mm", &v) < 0);
	CHECK(config_parse_duration("99999999999999999999", &v) < 0);
	CHECK(config_parse_duration("3000ms", &v) == 0 && v == 3);
	CHECK(config_parse_duration("1500ms", &v) < 0);         /* not whole seconds */
	CHECK(config_parse_duration_ms("1500ms", &v) == 0 && v == 1500);
	CHECK(config_parse_duration_ms("90", &v) == 0 && v == 90000);
	CHECK(config_parse_duration_ms("10m", &v) == 0 && v == 600000);
	CHECK(config_parse_duration_ms("2ms5", &v) < 0);
	CHECK(config_parse_duration_ms("ms", &v) < 0);
	char err[512];
	struct config *c = load("[escalation]\nack_deadline = 2500ms\nurgent_deadline = 90s\n", err,
	    sizeof err);
	CHECK(c && c->ack_deadline_ms == 2500 && c->urgent_deadline_ms == 90000);
	config_free(c);
}

static void
test_daily_summary(void)
{
	int m;
	CHECK(config_parse_hhmm("07:30", &m) == 0 && m == 450);
	CHECK(config_parse_hhmm("00:00", &m) == 0 && m == 0);
	CHECK(config_parse_hhmm("23:59", &m) == 0 && m == 1439);
	CHECK(config_parse_hhmm("off", &m) == 0 && m == -1);
	CHECK(config_parse_hhmm("24:00", &m) < 0);
	CHECK(config_parse_hhmm("7:30", &m) < 0);
	CHECK(config_parse_hhmm("07:60", &m) < 0);
	CHECK(config_parse_hhmm("07::3", &m) < 0);
	CHECK(config_parse_hhmm("", &m) < 0);
	char err[512];
	struct config *c = load("[gateway]\ndaily_summary = 7h\n[modem a]\ndevice = /dev/null\n",
	    err, sizeof err);
	CHECK(c == NULL && strstr(err, "daily_summary"));
	config_free(c);
	c = load("[modem a]\ndevice = /dev/null\n", err, sizeof err);
	CHECK(c && c->daily_summary_min == 450);
	config_free(c);
}

/* ------------------------------------------- the parser, the page, the sample */

#define DOC_KEYS_MAX 256

struct doc_key {
	char section[32];
	char key[48];
	char text[2048];        /* the man page's paragraph, \- unescaped */
};

/* "[modem sim1]" and "[modem NAME]" are one section, "modem". */
static void
section_of(const char *line, char *out, size_t outsz)
{
	const char *open = strchr(line, '['), *close = open ? strchr(open, ']') : NULL;
	if (!open || !close) {
		out[0] = '\0';
		return;
	}
	snprintf(out, outsz, "%.*s", (int)(close - open - 1), open + 1);
	if (strncmp(out, "modem", 5) == 0)
		out[5] = '\0';
}

static FILE *
open_doc(const char *rel)
{
	FILE *f = fopen(rel, "r");
	if (!f)
		fprintf(stderr, "  %s: cannot open (run from the top of the tree)\n", rel);
	return f;
}

/* The keys tinbao.conf(5) documents: ".TP" then ".B key" under ".SH [section]". */
static size_t
page_keys(struct doc_key *v)
{
	FILE *f = open_doc("doc/tinbao.conf.5");
	if (!f)
		return 0;
	char line[1024], section[32] = "";
	size_t n = 0;
	int after_tp = 0;
	struct doc_key *cur = NULL;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\n")] = '\0';
		if (strncmp(line, ".SH ", 4) == 0 || strncmp(line, ".PP", 3) == 0) {
			if (strncmp(line, ".SH ", 4) == 0)
				section_of(line, section, sizeof section);
			cur = NULL;
		} else if (after_tp && strncmp(line, ".B ", 3) == 0 && section[0] && n < DOC_KEYS_MAX) {
			cur = &v[n++];
			snprintf(cur->section, sizeof cur->section, "%s", section);
			snprintf(cur->key, sizeof cur->key, "%s", line + 3);
			cur->text[0] = '\0';
		} else if (cur && strncmp(line, ".TP", 3) != 0) {
			size_t len = strlen(cur->text);
			for (const char *p = line; *p && len + 2 < sizeof cur->text; p++) {
				if (p[0] == '\\' && p[1] == '-')
					continue;
				cur->text[len++] = *p;
			}
			cur->text[len++] = ' ';
			cur->text[len] = '\0';
		}
		after_tp = strncmp(line, ".TP", 3) == 0;
		if (after_tp)
			cur = NULL;
	}
	fclose(f);
	return n;
}

/* The keys the sample file shows, set or commented out: "[;] key = ...". */
static size_t
sample_keys(struct doc_key *v)
{
	FILE *f = open_doc("deploy/tinbao.conf.sample");
	if (!f)
		return 0;
	char line[1024], section[32] = "";
	size_t n = 0;
	while (fgets(line, sizeof line, f)) {
		const char *p = line;
		if (*p == '[') {
			section_of(p, section, sizeof section);
			continue;
		}
		if (*p == ';')
			p++;
		p += strspn(p, " \t");
		size_t k = strspn(p, "abcdefghijklmnopqrstuvwxyz_0123456789");
		const char *q = p + k;
		q += strspn(q, " \t");
		if (k == 0 || k >= sizeof v[0].key || *q != '=' || n >= DOC_KEYS_MAX)
			continue;
		snprintf(v[n].section, sizeof v[n].section, "%s", section);
		snprintf(v[n].key, sizeof v[n].key, "%.*s", (int)k, p);
		n++;
	}
	fclose(f);
	return n;
}

static const struct doc_key *
find_key(const struct doc_key *v, size_t n, const char *section, const char *key)
{
	for (size_t i = 0; i < n; i++)
		if (strcmp(v[i].section, section) == 0 && strcmp(v[i].key, key) == 0)
			return &v[i];
	return NULL;
}

static int
parser_knows(const char *section, const char *key)
{
	const char *s, *d, *k;
	for (size_t i = 0; (k = config_key_at(i, &s, &d)) != NULL; i++)
		if (strcmp(s, section) == 0 && strcmp(k, key) == 0)
			return 1;
	return 0;
}

static void
test_page_sample_and_parser_agree_key_for_key(void)
{
	static struct doc_key page[DOC_KEYS_MAX], sample[DOC_KEYS_MAX];
	size_t np = page_keys(page), ns = sample_keys(sample);
	CHECK(np > 40 && ns > 40);
	const char *section, *def, *key;
	size_t nkeys = 0;
	for (size_t i = 0; (key = config_key_at(i, &section, &def)) != NULL; i++, nkeys++) {
		const struct doc_key *p = find_key(page, np, section, key);
		if (!p)
			fprintf(stderr, "  [%s] %s: not in doc/tinbao.conf.5\n", section, key);
		CHECK(p != NULL);
		if (p && def && *def && !strstr(p->text, def)) {
			fprintf(stderr, "  [%s] %s: doc/tinbao.conf.5 does not give the default \"%s\"\n",
			    section, key, def);
			CHECK(0);
		}
		if (!find_key(sample, ns, section, key)) {
			fprintf(stderr, "  [%s] %s: not in deploy/tinbao.conf.sample\n", section, key);
			CHECK(0);
		}
	}
	CHECK(nkeys > 40);
	for (size_t i = 0; i < np; i++)
		if (!parser_knows(page[i].section, page[i].key)) {
			fprintf(stderr, "  doc/tinbao.conf.5 documents [%s] %s, which the parser does not "
			    "know\n", page[i].section, page[i].key);
			CHECK(0);
		}
	/* the sample's modem section also shows some of gammu's keys */
	for (size_t i = 0; i < ns; i++) {
		char text[256];
		snprintf(text, sizeof text, "[%s %s]\n%s = x\n",
		    strcmp(sample[i].section, "modem") == 0 ? "modem" : sample[i].section,
		    strcmp(sample[i].section, "modem") == 0 ? "m" : "", sample[i].key);
		if (strcmp(sample[i].section, "modem") != 0)
			snprintf(text, sizeof text, "[%s]\n%s = x\n", sample[i].section, sample[i].key);
		char err[256] = "";
		struct config *c = load(text, err, sizeof err);
		int unknown = c == NULL && strstr(err, "unknown") != NULL;
		if (unknown)
			fprintf(stderr, "  deploy/tinbao.conf.sample shows [%s] %s: %s\n",
			    sample[i].section, sample[i].key, err);
		CHECK(!unknown);
		config_free(c);
	}
}

UNIT_MAIN(UNIT(test_defaults_and_values), UNIT(test_phrase_lists_continue_on_indented_lines),
    UNIT(test_errors_name_the_line), UNIT(test_durations), UNIT(test_daily_summary),
    UNIT(test_page_sample_and_parser_agree_key_for_key))
