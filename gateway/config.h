/* config — the INI configuration, described by one table (config.c).
 *
 * config_load() parses a file into a new snapshot; the snapshot is immutable
 * and shared read-only by every thread until it is replaced whole (SIGHUP).
 * Durations are seconds in the struct ("90s", "10m", "2h", "7d" in the file).
 * Unknown sections and keys are errors with file:line.
 */
#ifndef TINBAO_CONFIG_H
#define TINBAO_CONFIG_H

#include <stddef.h>
#include <stdint.h>

#define CONFIG_MAX_MODEMS    8
#define CONFIG_MAX_PHRASES   64   /* words or phrases in one [escalation] list */
#define CONFIG_MAX_GAMMU_KEYS 32
#define CONFIG_MAX_HOSTS     16
#define CONFIG_HOST_MAX      128  /* bytes of one host name */
/* The shortest [gateway] retention allowed: the 4-month settlement maximum
 * (docs/domain.md §2) rounded to 120 days. */
#define CONFIG_RETENTION_MIN (120 * 86400LL)

/* One [modem NAME] section: gammu's own keys, handed to libgammu as they are,
 * plus tinbao's own: poll, send_timeout, own_number, down_alarm. */
struct modem_conf {
	char *name;
	char *gammu_key[CONFIG_MAX_GAMMU_KEYS];
	char *gammu_value[CONFIG_MAX_GAMMU_KEYS];
	size_t n_gammu;
	int64_t poll;                 /* seconds between inbox polls */
	int64_t send_timeout;         /* seconds to wait for a send status */
	char *own_number;             /* this SIM's number (+84...), never answered; or NULL */
	char *pin_file;               /* the SIM's PIN (4-8 digits), or NULL */
	int64_t down_alarm;           /* seconds down before /healthz degrades and leaders are told */
	int voice;                    /* 0: voice = no, never dials (a data-only stick) */
};

struct syllables;
struct category_table;

/* A list of words or phrases (see urgency.h): each case folded, NFC, its
 * words separated by one space ("cháy nhà", "boc chay"), and split into
 * syllables once, at load (syllable.h), so a tip is the only text split
 * when it is matched. */
struct config_phrases {
	char *v[CONFIG_MAX_PHRASES];
	struct syllables *split[CONFIG_MAX_PHRASES];
	size_t n;
};

struct config {
	char *path;

	/* [gateway] */
	char *database;
	char *key_file;
	char *ward;
	char *timezone;
	char *tracking_prefix;
	int64_t followup_window;
	int64_t retention;             /* >= CONFIG_RETENTION_MIN */
	int unaccented_sms;
	int64_t multipart_timeout;    /* incomplete SMS parts wait this long */
	char *log_level;
	char *daily_summary;          /* "HH:MM" local, or "off" */
	int daily_summary_min;        /* minutes after local midnight; -1 off */
	char *admin_socket;           /* where `tinbao` asks the daemon; "" = none */

	/* [escalation]: deadlines in milliseconds */
	int64_t ack_deadline_ms;
	int64_t level_deadline_ms;
	int64_t repeat_ms;
	int64_t urgent_deadline_ms;
	struct config_phrases urgent_keywords;            /* with their marks */
	struct config_phrases urgent_phrases_unaccented;  /* without marks */
	/* not a key: the category hints split once, at load (category.h) */
	struct category_table *categories;
	char *call_levels;            /* "3,4": levels whose officers also get a ringing call */
	unsigned call_level_mask;     /* ... as bits: 1 << level */
	char *call_hours;             /* "22:00-06:00" local, "" always */
	int call_hours_from, call_hours_to;   /* minutes after local midnight; -1 always */
	int64_t call_ring;            /* seconds a call rings before the hang-up */
	int call_urgent;              /* an urgent tip rings every level at any hour */

	/* [outbox] */
	int max_attempts;             /* sends tried before a message is marked failed */
	int64_t retry_base;           /* first retry delay; doubles each attempt */
	int64_t retry_max;            /* cap on the retry delay */
	int max_sms_parts;            /* longest SMS we send, in parts */
	int64_t fallback_after;       /* an officer's Zalo message unsent this long goes by SMS */

	/* [http]: the HTTP side runs only when listen is set */
	char *http_listen;            /* host:port or a unix socket path; "" = off */
	int64_t http_body_limit;
	int64_t http_timeout;         /* seconds a connection may stay idle */
	int http_connection_limit;
	char *http_admin_token_file;
	char *http_metrics_token_file;   /* the scraper's bearer token for /metrics, or NULL */
	/* [zalo_oa], [zalo_bot] */
	char *oa_app_id, *oa_id, *oa_secret_key_file, *oa_app_secret_key_file,
	     *oa_refresh_token_file, *oa_api_base, *oa_oauth_base;
	int64_t oa_replay_window;     /* events older or newer than this are refused */
	char *bot_token_file, *bot_webhook_secret_file, *bot_api_base, *bot_duty_group;
	int64_t oa_timeout, oa_connect_timeout;     /* seconds a Zalo API call may take */
	int64_t bot_timeout, bot_connect_timeout;

	/* [attachments]: the files Zalo messages link to */
	char *attach_hosts_text;      /* as written: "zdn.vn, zadn.vn, ..." */
	char *attach_hosts[CONFIG_MAX_HOSTS];   /* lower case, no leading dot */
	size_t n_attach_hosts;
	char *attach_test_origin;     /* TEST ONLY: http://127.0.0.1:PORT of a fake CDN, or NULL */

	/* [abuse]: limits per sender (pseudonym) */
	int tips_per_hour;
	int tips_per_day;
	int replies_per_day;          /* automatic replies to one sender per local day */
	int64_t flood_after;          /* officer messages queued this long may be collapsed */
	int flood_min;                /* ... when at least this many wait for one officer */

	struct modem_conf modems[CONFIG_MAX_MODEMS];
	size_t n_modems;
};

/* Parse PATH. On failure returns NULL and writes "file:line: reason" to err. */
struct config *config_load(const char *path, char *err, size_t errlen);
/* Everything config_load checks, plus that referenced files exist. 0 / -1. */
int config_check_files(const struct config *cfg, char *err, size_t errlen);
void config_free(struct config *cfg);
/* The keys config_load() knows, one per i from 0 (NULL past the last), with
 * their section ("modem" for tinbao's own keys of every [modem NAME]; gammu's
 * keys there are not listed) and default as written in a file (NULL: unset).
 * For the check that tinbao.conf(5) and the sample file list every key. */
const char *config_key_at(size_t i, const char **section, const char **def);

/* "HH:MM" -> minutes after midnight, "off" -> -1. 0 / -1. */
int config_parse_hhmm(const char *s, int *minutes);
/* "HH:MM-HH:MM" -> its ends in minutes after midnight (a window may cross
 * midnight: "22:00-06:00"); "" -> both -1 (always). The ends differ. 0 / -1. */
int config_parse_hours(const char *s, int *from, int *to);
/* "3,4" -> bits 1 << level for levels 1..4; "" -> 0 (no level). 0 / -1. */
int config_parse_levels(const char *s, unsigned *mask);
/* "90", "90s", "10m", "2h", "7d" -> seconds (a whole number of them). 0 / -1. */
int config_parse_duration(const char *s, int64_t *out);
/* The same and "1500ms" -> milliseconds. 0 / -1. */
int config_parse_duration_ms(const char *s, int64_t *out);

#endif
