/* config — see config.h. One table describes every key. */
#include "gateway/config.h"

#include <errno.h>
#include <ini.h>
#include <limits.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/category.h"
#include "gateway/i18n.h"
#include "gateway/log.h"
#include "gateway/syllable.h"
#include "gateway/text.h"
#include "gateway/urgency.h"

/* C_DUR: whole seconds; C_DUR_MS: milliseconds (the value may say "ms").
 * Their bounds in the table are in the same unit. */
enum ctype { C_STR, C_DUR, C_DUR_MS, C_INT, C_BOOL, C_PHRASES, C_PHRASES_UNACCENTED, C_HOSTS };

struct ckey {
	const char *section;
	const char *key;
	enum ctype type;
	size_t off;
	int64_t min, max;
	const char *def;
};

#define O(f) offsetof(struct config, f)
#define DAY 86400LL
static const struct ckey config_table[] = {
	{ "gateway", "database",        C_STR,  O(database), 0, 0, "/var/lib/tinbao/tinbao.db" },
	{ "gateway", "key_file",        C_STR,  O(key_file), 0, 0, "/var/lib/tinbao/secret.key" },
	{ "gateway", "ward",            C_STR,  O(ward), 0, 0, "Phường" },
	{ "gateway", "timezone",        C_STR,  O(timezone), 0, 0, "Asia/Ho_Chi_Minh" },
	{ "gateway", "tracking_prefix", C_STR,  O(tracking_prefix), 0, 0, "TB" },
	{ "gateway", "followup_window", C_DUR,  O(followup_window), 0, 7 * DAY, "30m" },
	/* the floor is legal (docs/domain.md §2, §5): a tip may be settled up to
	 * 4 months after receipt, so its reply address must outlive that */
	{ "gateway", "retention",       C_DUR,  O(retention), CONFIG_RETENTION_MIN, 3650 * DAY,
	  "180d" },
	{ "gateway", "unaccented_sms",  C_BOOL, O(unaccented_sms), 0, 1, "no" },
	{ "gateway", "multipart_timeout", C_DUR, O(multipart_timeout), 1, DAY, "10m" },
	{ "gateway", "log_level",       C_STR,  O(log_level), 0, 0, "info" },
	{ "gateway", "daily_summary",   C_STR,  O(daily_summary), 0, 0, "07:30" },
	{ "gateway", "admin_socket",    C_STR,  O(admin_socket), 0, 0, "/run/tinbao/tinbaod.sock" },
	{ "escalation", "ack_deadline",   C_DUR_MS, O(ack_deadline_ms), 1000, DAY * 1000, "10m" },
	{ "escalation", "level_deadline", C_DUR_MS, O(level_deadline_ms), 1000, DAY * 1000, "5m" },
	{ "escalation", "repeat",         C_DUR_MS, O(repeat_ms), 1000, DAY * 1000, "10m" },
	{ "escalation", "urgent_deadline", C_DUR_MS, O(urgent_deadline_ms), 1000, DAY * 1000, "2m" },
	{ "escalation", "urgent_keywords", C_PHRASES, O(urgent_keywords), 0, 0,
	  URGENCY_DEFAULT_KEYWORDS },
	{ "escalation", "urgent_phrases_unaccented", C_PHRASES_UNACCENTED,
	  O(urgent_phrases_unaccented), 0, 0, URGENCY_DEFAULT_UNACCENTED },
	{ "escalation", "call_levels",    C_STR, O(call_levels), 0, 0, "3,4" },
	{ "escalation", "call_hours",     C_STR, O(call_hours), 0, 0, "22:00-06:00" },
	{ "escalation", "call_ring",      C_DUR, O(call_ring), 1, 300, "30s" },
	{ "escalation", "call_urgent",    C_BOOL, O(call_urgent), 0, 1, "no" },
	{ "outbox", "max_attempts",  C_INT, O(max_attempts), 1, 100, "16" },
	{ "outbox", "retry_base",    C_DUR, O(retry_base), 1, 3600, "10s" },
	{ "outbox", "retry_max",     C_DUR, O(retry_max), 1, DAY, "30m" },
	{ "outbox", "max_sms_parts", C_INT, O(max_sms_parts), 1, 10, "6" },
	{ "outbox", "fallback_after", C_DUR, O(fallback_after), 1, 3600, "60s" },
	{ "http", "listen",           C_STR, O(http_listen), 0, 0, "" },
	{ "http", "body_limit",       C_INT, O(http_body_limit), 1024, 16 << 20, "65536" },
	{ "http", "timeout",          C_DUR, O(http_timeout), 1, 600, "10s" },
	{ "http", "connection_limit", C_INT, O(http_connection_limit), 1, 4096, "2048" },
	{ "http", "admin_token_file", C_STR, O(http_admin_token_file), 0, 0, NULL },
	{ "http", "metrics_token_file", C_STR, O(http_metrics_token_file), 0, 0, NULL },
	{ "zalo_oa", "app_id",                C_STR, O(oa_app_id), 0, 0, NULL },
	{ "zalo_oa", "oa_id",                 C_STR, O(oa_id), 0, 0, NULL },
	{ "zalo_oa", "replay_window",         C_DUR, O(oa_replay_window), 10, 7 * DAY, "10m" },
	{ "zalo_oa", "oa_secret_key_file",    C_STR, O(oa_secret_key_file), 0, 0, NULL },
	{ "zalo_oa", "app_secret_key_file",   C_STR, O(oa_app_secret_key_file), 0, 0, NULL },
	{ "zalo_oa", "refresh_token_file",    C_STR, O(oa_refresh_token_file), 0, 0, NULL },
	{ "zalo_oa", "api_base",              C_STR, O(oa_api_base), 0, 0, "https://openapi.zalo.me" },
	{ "zalo_oa", "oauth_base",            C_STR, O(oa_oauth_base), 0, 0, "https://oauth.zaloapp.com" },
	{ "zalo_oa", "timeout",               C_DUR, O(oa_timeout), 1, 300, "15s" },
	{ "zalo_oa", "connect_timeout",       C_DUR, O(oa_connect_timeout), 1, 60, "5s" },
	{ "zalo_bot", "token_file",           C_STR, O(bot_token_file), 0, 0, NULL },
	{ "zalo_bot", "webhook_secret_file",  C_STR, O(bot_webhook_secret_file), 0, 0, NULL },
	{ "zalo_bot", "api_base",             C_STR, O(bot_api_base), 0, 0, "https://bot-api.zaloplatforms.com" },
	{ "zalo_bot", "duty_group",           C_STR, O(bot_duty_group), 0, 0, NULL },
	{ "abuse", "tips_per_hour",   C_INT, O(tips_per_hour), 1, 1000, "5" },
	{ "abuse", "tips_per_day",    C_INT, O(tips_per_day), 1, 10000, "20" },
	{ "abuse", "replies_per_day", C_INT, O(replies_per_day), 1, 10000, "10" },
	{ "abuse", "flood_after",     C_DUR, O(flood_after), 1, DAY, "2m" },
	{ "abuse", "flood_min",       C_INT, O(flood_min), 2, 1000, "3" },
	{ "zalo_bot", "timeout",              C_DUR, O(bot_timeout), 1, 300, "15s" },
	{ "zalo_bot", "connect_timeout",      C_DUR, O(bot_connect_timeout), 1, 60, "5s" },
	/* the Zalo CDN: photo-*.zdn.vn, f*-zpg.zdn.vn, s*-ava-talk.zadn.vn, ... */
	{ "attachments", "hosts",       C_HOSTS, O(attach_hosts_text), 0, 0,
	  "zdn.vn, zadn.vn, zalo.me, zaloapp.com, zaloplatforms.com" },
	{ "attachments", "test_origin", C_STR, O(attach_test_origin), 0, 0, NULL },
};
#define NKEYS (sizeof config_table / sizeof config_table[0])

/* tinbao's own keys of a [modem NAME] section (the rest are gammu's). */
static const char *const modem_own_keys[] = { "poll", "send_timeout", "own_number",
	"pin_file", "down_alarm", "voice" };
static const char *const modem_own_defaults[] = { "5s", "30s", NULL, NULL, "2m", "yes" };
#define NMODEMKEYS (sizeof modem_own_keys / sizeof modem_own_keys[0])

/* gammu's own configuration keys (gammu's manual, config/index.rst). */
static const char *const gammu_keys[] = {
	"device", "port", "connection", "model", "logfile", "logformat", "use_locking",
	"gammuloc", "synchronizetime", "startinfo", "gammucoding", "atgen_setcnmi",
	"features", "name",
};

struct parse_state {
	struct config *cfg;
	const char *path;
	char *err;
	size_t errlen;
	int failed;
	int line;           /* of the last line read */
	int indented;       /* it starts with white space: inih continues the last key */
	FILE *file;
	unsigned char seen[NKEYS];
	size_t last_key;    /* config_table index of the last key set; NKEYS: none */
};

/* Records the first error as "FILE:LINE: message". fmt is English and is
 * translated here (the reader's language: `tinbao`, `tinbaod --check-config`;
 * English in tinbaod's log): xgettext takes fail's third argument (the
 * Makefile's --keyword=fail:3), so call sites write a plain literal. */
static void fail(struct parse_state *st, int line, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* fgets that counts lines, so errors can name file:line. */
static char *
read_line(char *str, int num, void *stream)
{
	struct parse_state *st = stream;
	char *r = fgets(str, num, st->file);
	if (!r)
		return NULL;
	st->line++;
	size_t len = strlen(r);
	if (len + 1 == (size_t)num && r[len - 1] != '\n' && !feof(st->file))
		fail(st, st->line, "line longer than %d bytes (a long list of words goes on "
		    "several lines, each continued line indented)", num - 2);
	st->indented = r[0] == ' ' || r[0] == '\t';
	/* inih says nothing of a section without keys: check every header here */
	const char *p = r;
	while (*p == ' ' || *p == '\t')
		p++;
	const char *close = *p == '[' ? strchr(p, ']') : NULL;
	if (close) {
		char name[128];
		snprintf(name, sizeof name, "%.*s", (int)(close - p - 1), p + 1);
		int known = strcmp(name, "modem") == 0 || strncmp(name, "modem ", 6) == 0;
		for (size_t i = 0; i < NKEYS && !known; i++)
			known = strcmp(config_table[i].section, name) == 0;
		if (!known)
			fail(st, st->line, "unknown section [%s]", name);
	}
	return r;
}

static void
fail(struct parse_state *st, int line, const char *fmt, ...)
{
	if (st->failed)
		return;
	st->failed = 1;
	char msg[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof msg, _(fmt), ap);
	va_end(ap);
	if (line > 0)
		snprintf(st->err, st->errlen, "%s:%d: %s", st->path, line, msg);
	else
		snprintf(st->err, st->errlen, "%s: %s", st->path, msg);
}

static int
parse_bool(const char *s, int *out)
{
	static const char *const yes[] = { "yes", "true", "on", "1" };
	static const char *const no[] = { "no", "false", "off", "0" };
	for (size_t i = 0; i < 4; i++) {
		if (strcasecmp(s, yes[i]) == 0) { *out = 1; return 0; }
		if (strcasecmp(s, no[i]) == 0) { *out = 0; return 0; }
	}
	return -1;
}

static void
phrases_clear(struct config_phrases *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i]);
		syllables_free(l->split[i]);
	}
	l->n = 0;
}

/* A comma-separated list of words or phrases into l, replacing what it
 * held (or after it, append): each split into syllables (syllable.h) and kept case folded, NFC,
 * its words joined by one space. A phrase is words and spaces only, at most
 * SYLLABLES_PHRASE_MAX of them; an unaccented one carries no marks. 0, or
 * -1 with the reason in why (memory: why is ""). */
/* One entry of a phrase list (see set_phrases) into l. 0, or -1 with the
 * reason in why (memory: why left ""). */
static int
add_phrase(struct config_phrases *l, const char *entry, int unaccented, char *why,
    size_t whylen)
{
	struct syllables *s = syllables_phrase(entry);
	char *joined = s ? syllables_join(s) : NULL;
	int rc = -1;
	if (!joined)
		;
	else if (syllables_count(s) == 0)
		rc = 0;                          /* empty: "a, , b" or a trailing comma */
	else if (syllables_count(s) > SYLLABLES_PHRASE_MAX || !syllables_is_phrase(s))
		snprintf(why, whylen, _("\"%s\" is not a word or a phrase of up to %d words "
		    "separated by spaces"), joined, SYLLABLES_PHRASE_MAX);
	else if (unaccented && syllables_any_marked(s))
		snprintf(why, whylen, _("\"%s\" has marks: phrases here are written without them "
		    "(a word with its marks goes in urgent_keywords)"), joined);
	else if (l->n >= CONFIG_MAX_PHRASES)
		snprintf(why, whylen, _("more than %d words or phrases"), CONFIG_MAX_PHRASES);
	else {
		l->v[l->n] = joined;
		l->split[l->n++] = s;
		return 0;
	}
	free(joined);
	syllables_free(s);
	return rc;
}

/* A comma-separated list of words or phrases into l, replacing what it
 * held (or after it, append): each split into syllables (syllable.h) and kept case folded, NFC,
 * its words joined by one space. A phrase is words and spaces only, at most
 * SYLLABLES_PHRASE_MAX of them; an unaccented one carries no marks. 0, or
 * -1 with the reason in why (memory: why is ""). */
static int
set_phrases(struct config_phrases *l, const char *value, int unaccented, int append, char *why,
    size_t whylen)
{
	if (!append)
		phrases_clear(l);
	*why = '\0';
	for (const char *p = value; *p;) {
		size_t len = strcspn(p, ",");
		char *entry = strndup(p, len);
		int rc = entry ? add_phrase(l, entry, unaccented, why, whylen) : -1;
		free(entry);
		if (rc < 0)
			return -1;
		p += len;
		if (*p == ',')
			p++;
	}
	return 0;
}

/* A phrase-list key's value (or a continuation line of it: append). */
static int
add_phrases(struct parse_state *st, const struct ckey *k, const char *value, int line,
    int append)
{
	char why[200], cut[INI_MAX_LINE + 1];
	if (append) {
		/* inih strips " ; comment" from a key's line but not from a line continuing it */
		snprintf(cut, sizeof cut, "%s", value);
		for (char *c = cut; (c = strchr(c, ';')) != NULL; c++)
			if (c > cut && (c[-1] == ' ' || c[-1] == '\t')) {
				*c = '\0';
				break;
			}
		value = cut;
	}
	if (set_phrases((struct config_phrases *)((char *)st->cfg + k->off), value,
	    k->type == C_PHRASES_UNACCENTED, append, why, sizeof why) == 0)
		return 0;
	if (*why)
		fail(st, line, "[%s] %s: %s", k->section, k->key, why);
	else
		fail(st, line, "out of memory");
	return -1;
}

/* "zdn.vn, .zadn.vn" -> lower-case host suffixes (a leading dot dropped).
 * Only letters, digits, '-' and '.', at least one dot, no empty label. */
static int
set_hosts(struct config *cfg, const char *value)
{
	for (size_t i = 0; i < cfg->n_attach_hosts; i++)
		free(cfg->attach_hosts[i]);
	cfg->n_attach_hosts = 0;
	const char *p = value;
	while (*p) {
		p += strspn(p, " \t,");
		size_t len = strcspn(p, " \t,");
		if (len == 0)
			break;
		if (*p == '.') {
			p++;
			len--;
		}
		if (len == 0 || len >= CONFIG_HOST_MAX || cfg->n_attach_hosts >= CONFIG_MAX_HOSTS)
			return -1;
		char *h = strndup(p, len);
		if (!h)
			return -1;
		int dots = 0, ok = h[0] != '.' && h[len - 1] != '.' && !strstr(h, "..");
		for (size_t i = 0; i < len; i++) {
			char c = h[i];
			if (c >= 'A' && c <= 'Z')
				h[i] = (char)(c - 'A' + 'a');
			else if (c == '.')
				dots++;
			else if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'))
				ok = 0;
		}
		if (!ok || !dots) {
			free(h);
			return -1;
		}
		cfg->attach_hosts[cfg->n_attach_hosts++] = h;
		p += len;
	}
	return 0;
}

static int
set_value(struct parse_state *st, const struct ckey *k, const char *value, int line)
{
	struct config *cfg = st->cfg;
	char *base = (char *)cfg;
	switch (k->type) {
	case C_STR: {
		char **slot = (char **)(base + k->off);
		char *copy = strdup(value);
		if (!copy)
			return -1;
		free(*slot);
		*slot = copy;
		return 0;
	}
	case C_DUR:
	case C_DUR_MS: {
		int64_t v;
		if ((k->type == C_DUR ? config_parse_duration(value, &v) :
		    config_parse_duration_ms(value, &v)) < 0) {
			if (k->type == C_DUR)
				fail(st, line, "[%s] %s: \"%s\" is not a duration (90s, 10m, 2h, 7d)",
				    k->section, k->key, value);
			else
				fail(st, line, "[%s] %s: \"%s\" is not a duration (1500ms, 90s, 10m, 2h, "
				    "7d)", k->section, k->key, value);
			return -1;
		}
		if (k->off == O(retention) && v < k->min) {
			fail(st, line, "[gateway] retention: %s is shorter than the legal settling "
			    "period: a tip may take up to 4 months to settle, so at least 120d", value);
			return -1;
		}
		if (v < k->min || v > k->max) {
			if (k->type == C_DUR)
				fail(st, line, "[%s] %s: %s is out of range (%lld..%lld seconds)",
				    k->section, k->key, value, (long long)k->min, (long long)k->max);
			else
				fail(st, line, "[%s] %s: %s is out of range (%lld..%lld milliseconds)",
				    k->section, k->key, value, (long long)k->min, (long long)k->max);
			return -1;
		}
		*(int64_t *)(base + k->off) = v;
		return 0;
	}
	case C_INT: {
		char *end;
		errno = 0;
		long long v = strtoll(value, &end, 10);
		if (end == value || *end || errno || v < k->min || v > k->max) {
			fail(st, line, "[%s] %s: \"%s\" is not a number in %lld..%lld",
			    k->section, k->key, value, (long long)k->min, (long long)k->max);
			return -1;
		}
		if (k->off == O(http_body_limit))
			*(int64_t *)(base + k->off) = v;
		else
			*(int *)(base + k->off) = (int)v;
		return 0;
	}
	case C_BOOL:
		if (parse_bool(value, (int *)(base + k->off)) < 0) {
			fail(st, line, "[%s] %s: \"%s\" is not yes or no", k->section, k->key, value);
			return -1;
		}
		return 0;
	case C_PHRASES:
	case C_PHRASES_UNACCENTED:
		return add_phrases(st, k, value, line, 0);
	case C_HOSTS: {
		char **slot = (char **)(base + k->off);
		char *copy = strdup(value);
		if (!copy)
			return -1;
		free(*slot);
		*slot = copy;
		if (set_hosts(cfg, value) < 0) {
			fail(st, line, "[%s] %s: \"%s\" is not a list of at most %d host names "
			    "(zdn.vn, zadn.vn)", k->section, k->key, value, CONFIG_MAX_HOSTS);
			return -1;
		}
		return 0;
	}
	}
	return -1;
}

static struct modem_conf *
modem_section(struct parse_state *st, const char *name, int line)
{
	struct config *cfg = st->cfg;
	for (size_t i = 0; i < cfg->n_modems; i++)
		if (strcmp(cfg->modems[i].name, name) == 0)
			return &cfg->modems[i];
	if (cfg->n_modems >= CONFIG_MAX_MODEMS) {
		fail(st, line, "at most %d [modem] sections", CONFIG_MAX_MODEMS);
		return NULL;
	}
	if (*name == '\0' || strlen(name) > 32 || strpbrk(name, " \t/")) {
		fail(st, line, "[modem NAME]: NAME must be 1-32 characters without spaces or '/'");
		return NULL;
	}
	struct modem_conf *m = &cfg->modems[cfg->n_modems];
	memset(m, 0, sizeof *m);
	m->name = strdup(name);
	if (!m->name)
		return NULL;
	m->poll = 5;
	m->send_timeout = 30;
	m->down_alarm = 120;
	m->voice = 1;
	cfg->n_modems++;
	return m;
}

static int
modem_key(struct parse_state *st, struct modem_conf *m, const char *key, const char *value,
    int line)
{
	if (strcmp(key, "poll") == 0 || strcmp(key, "send_timeout") == 0) {
		int64_t v;
		if (config_parse_duration(value, &v) < 0 || v < 1 || v > 3600) {
			fail(st, line, "[modem %s] %s: \"%s\" is not a duration of 1s..1h",
			    m->name, key, value);
			return 0;
		}
		*(strcmp(key, "poll") == 0 ? &m->poll : &m->send_timeout) = v;
		return 1;
	}
	if (strcmp(key, "down_alarm") == 0) {
		int64_t v;
		if (config_parse_duration(value, &v) < 0 || v < 10 || v > 86400) {
			fail(st, line, "[modem %s] down_alarm: \"%s\" is not a duration of 10s..1d",
			    m->name, value);
			return 0;
		}
		m->down_alarm = v;
		return 1;
	}
	if (strcmp(key, "own_number") == 0) {
		/* tinbao's, not gammu's: replies to this number are never sent */
		if (m->own_number || !*value || strlen(value) > 20 ||
		    strspn(value + (*value == '+'), "0123456789") != strlen(value + (*value == '+'))) {
			fail(st, line, "[modem %s] own_number: \"%s\" is not a phone number (once)",
			    m->name, value);
			return 0;
		}
		m->own_number = strdup(value);
		return 1;
	}
	if (strcmp(key, "pin_file") == 0) {
		/* tinbao's: the SIM's PIN, entered once per version of the file */
		if (m->pin_file || !*value) {
			fail(st, line, "[modem %s] pin_file: a path, given once", m->name);
			return 0;
		}
		m->pin_file = strdup(value);
		return 1;
	}
	if (strcmp(key, "voice") == 0) {
		/* tinbao's: no for a modem that cannot place voice calls */
		if (parse_bool(value, &m->voice) < 0) {
			fail(st, line, "[modem %s] voice: \"%s\" is not yes or no", m->name, value);
			return 0;
		}
		return 1;
	}
	int known = 0;
	for (size_t i = 0; i < sizeof gammu_keys / sizeof gammu_keys[0]; i++)
		if (strcasecmp(key, gammu_keys[i]) == 0)
			known = 1;
	if (!known) {
		fail(st, line, "[modem %s]: unknown key \"%s\" (gammu's keys: device, connection, "
		    "model, logfile, logformat, ...; tinbao's: poll, send_timeout, own_number, pin_file, "
		    "down_alarm, voice)", m->name, key);
		return 0;
	}
	for (size_t i = 0; i < m->n_gammu; i++)
		if (strcasecmp(m->gammu_key[i], key) == 0) {
			fail(st, line, "[modem %s] %s given twice", m->name, key);
			return 0;
		}
	if (m->n_gammu >= CONFIG_MAX_GAMMU_KEYS) {
		fail(st, line, "[modem %s]: too many keys", m->name);
		return 0;
	}
	if (strchr(value, '\n')) {
		fail(st, line, "[modem %s] %s: value spans lines", m->name, key);
		return 0;
	}
	m->gammu_key[m->n_gammu] = strdup(key);
	m->gammu_value[m->n_gammu] = strdup(value);
	m->n_gammu++;
	return 1;
}

static int
on_entry(void *user, const char *section, const char *key, const char *value)
{
	struct parse_state *st = user;
	int line = st->line;
	if (st->failed)
		return 1;
	if (strncmp(section, "modem ", 6) == 0 || strcmp(section, "modem") == 0) {
		const char *name = section[5] ? section + 6 : "";
		while (*name == ' ')
			name++;
		struct modem_conf *m = modem_section(st, name, line);
		if (!m)
			return 0;
		if (!key)
			return 1;
		return modem_key(st, m, key, value, line);
	}
	int section_known = 0;
	for (size_t i = 0; i < NKEYS; i++) {
		if (strcmp(config_table[i].section, section) != 0)
			continue;
		section_known = 1;
		if (!key || strcmp(config_table[i].key, key) != 0)
			continue;
		const struct ckey *k = &config_table[i];
		if (st->seen[i] && st->indented && st->last_key == i &&
		    (k->type == C_PHRASES || k->type == C_PHRASES_UNACCENTED))
			return add_phrases(st, k, value, line, 1) == 0;     /* a continued list */
		if (st->seen[i] && st->indented && st->last_key == i) {
			fail(st, line, "[%s] %s takes one value: an indented line continues it",
			    section, key);
			return 0;
		}
		if (st->seen[i]) {
			fail(st, line, "[%s] %s given twice", section, key);
			return 0;
		}
		st->seen[i] = 1;
		st->last_key = i;
		return set_value(st, k, value, line) == 0;
	}
	if (!section_known) {
		fail(st, line, "unknown section [%s]", section);
		return 0;
	}
	if (!key)
		return 1;
	fail(st, line, "[%s]: unknown key \"%s\"", section, key);
	return 0;
}

static int
check_values(struct parse_state *st)
{
	struct config *cfg = st->cfg;
	const char *p = cfg->tracking_prefix;
	size_t n = strlen(p);
	if (n < 1 || n > 8) {
		fail(st, 0, "[gateway] tracking_prefix must be 1-8 letters");
		return -1;
	}
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'A' && p[i] <= 'Z') || (p[i] >= 'a' && p[i] <= 'z'))) {
			fail(st, 0, "[gateway] tracking_prefix must be ASCII letters");
			return -1;
		}
	for (size_t i = 0; i < n; i++)
		if (cfg->tracking_prefix[i] >= 'a')
			cfg->tracking_prefix[i] = (char)(cfg->tracking_prefix[i] - 'a' + 'A');
	if (*cfg->database == '\0' || *cfg->key_file == '\0') {
		fail(st, 0, "[gateway] database and key_file must not be empty");
		return -1;
	}
	if (cfg->retry_max < cfg->retry_base) {
		fail(st, 0, "[outbox] retry_max is shorter than retry_base");
		return -1;
	}
	for (size_t i = 0; i < cfg->n_modems; i++) {
		int has_device = 0;
		for (size_t j = 0; j < cfg->modems[i].n_gammu; j++)
			if (strcasecmp(cfg->modems[i].gammu_key[j], "device") == 0 ||
			    strcasecmp(cfg->modems[i].gammu_key[j], "port") == 0)
				has_device = 1;
		if (!has_device) {
			fail(st, 0, "[modem %s] needs a device", cfg->modems[i].name);
			return -1;
		}
	}
	if (log_level_parse(cfg->log_level) < 0) {
		fail(st, 0, "[gateway] log_level must be error, warning, notice, info or debug");
		return -1;
	}
	if (config_parse_hhmm(cfg->daily_summary, &cfg->daily_summary_min) < 0) {
		fail(st, 0, "[gateway] daily_summary must be a local time HH:MM or off");
		return -1;
	}
	if (config_parse_levels(cfg->call_levels, &cfg->call_level_mask) < 0) {
		fail(st, 0, "[escalation] call_levels must be levels 1-4 separated by commas "
		    "(\"3,4\"), or empty for none");
		return -1;
	}
	if (config_parse_hours(cfg->call_hours, &cfg->call_hours_from, &cfg->call_hours_to) < 0) {
		fail(st, 0, "[escalation] call_hours must be a local time window HH:MM-HH:MM "
		    "(\"22:00-06:00\"), or empty for always");
		return -1;
	}
	return 0;
}

const char *
config_key_at(size_t i, const char **section, const char **def)
{
	if (i < NKEYS) {
		*section = config_table[i].section;
		*def = config_table[i].def;
		return config_table[i].key;
	}
	if (i - NKEYS < NMODEMKEYS) {
		*section = "modem";
		*def = modem_own_defaults[i - NKEYS];
		return modem_own_keys[i - NKEYS];
	}
	return NULL;
}

struct config *
config_load(const char *path, char *err, size_t errlen)
{
	struct config *cfg = calloc(1, sizeof *cfg);
	if (!cfg) {
		snprintf(err, errlen, "out of memory");
		return NULL;
	}
	struct parse_state st = { .cfg = cfg, .path = path, .err = err, .errlen = errlen,
	    .last_key = NKEYS };
	cfg->path = strdup(path);
	for (size_t i = 0; i < NKEYS; i++)
		if (config_table[i].def && set_value(&st, &config_table[i], config_table[i].def, 0) < 0) {
			config_free(cfg);
			return NULL;
		}
	FILE *f = fopen(path, "r");
	if (!f) {
		snprintf(err, errlen, "%s: %s", path, strerror(errno));
		config_free(cfg);
		return NULL;
	}
	st.file = f;
	int rc = ini_parse_stream(read_line, &st, on_entry, &st);
	fclose(f);
	if (!st.failed && rc > 0)
		fail(&st, rc, "syntax error (expected [section] or key = value)");
	else if (!st.failed && rc < 0)
		fail(&st, 0, "cannot read the file");
	if (!st.failed)
		check_values(&st);
	if (!st.failed && !(cfg->categories = category_table_new()))
		fail(&st, 0, "out of memory");
	if (st.failed) {
		config_free(cfg);
		return NULL;
	}
	return cfg;
}

static int
check_file(const char *what, const char *path, int must_exist_dir_only, char *err, size_t errlen)
{
	struct stat sb;
	if (!path)
		return 0;
	if (must_exist_dir_only) {
		char dir[PATH_MAX];
		snprintf(dir, sizeof dir, "%s", path);
		char *slash = strrchr(dir, '/');
		if (!slash)
			return 0;
		*slash = '\0';
		if (*dir && stat(dir, &sb) < 0) {
			snprintf(err, errlen, "%s: directory %s: %s", what, dir, strerror(errno));
			return -1;
		}
		return 0;
	}
	if (stat(path, &sb) < 0) {
		snprintf(err, errlen, "%s: %s: %s", what, path, strerror(errno));
		return -1;
	}
	return 0;
}

int
config_check_files(const struct config *cfg, char *err, size_t errlen)
{
	if (check_file("[gateway] database", cfg->database, 1, err, errlen) < 0 ||
	    check_file("[gateway] key_file", cfg->key_file, 0, err, errlen) < 0 ||
	    check_file("[http] admin_token_file", cfg->http_admin_token_file, 0, err, errlen) < 0 ||
	    check_file("[http] metrics_token_file", cfg->http_metrics_token_file, 0, err, errlen) < 0 ||
	    check_file("[zalo_oa] oa_secret_key_file", cfg->oa_secret_key_file, 0, err, errlen) < 0 ||
	    check_file("[zalo_oa] app_secret_key_file", cfg->oa_app_secret_key_file, 0, err, errlen) < 0 ||
	    check_file("[zalo_oa] refresh_token_file", cfg->oa_refresh_token_file, 0, err, errlen) < 0 ||
	    check_file("[zalo_bot] token_file", cfg->bot_token_file, 0, err, errlen) < 0 ||
	    check_file("[zalo_bot] webhook_secret_file", cfg->bot_webhook_secret_file, 0, err, errlen) < 0)
		return -1;
	for (size_t i = 0; i < cfg->n_modems; i++)
		if (check_file("[modem] pin_file", cfg->modems[i].pin_file, 0, err, errlen) < 0)
			return -1;
	return 0;
}

void
config_free(struct config *cfg)
{
	if (!cfg)
		return;
	for (size_t i = 0; i < NKEYS; i++)
		if (config_table[i].type == C_STR || config_table[i].type == C_HOSTS)
			free(*(char **)((char *)cfg + config_table[i].off));
	phrases_clear(&cfg->urgent_keywords);
	phrases_clear(&cfg->urgent_phrases_unaccented);
	category_table_free(cfg->categories);
	for (size_t i = 0; i < cfg->n_attach_hosts; i++)
		free(cfg->attach_hosts[i]);
	for (size_t i = 0; i < cfg->n_modems; i++) {
		free(cfg->modems[i].name);
		free(cfg->modems[i].own_number);
		free(cfg->modems[i].pin_file);
		for (size_t j = 0; j < cfg->modems[i].n_gammu; j++) {
			free(cfg->modems[i].gammu_key[j]);
			free(cfg->modems[i].gammu_value[j]);
		}
	}
	free(cfg->path);
	free(cfg);
}
