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
	    "[escalation]\nurgent_keywords = Cháy, DAO ,súng\n"
	    "[modem sim1]\ndevice = /dev/ttyUSB0\nconnection = at115200\npoll = 3s\n", err, sizeof err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_STR(c->ward, "Phường Bến Thành");
	CHECK(c->followup_window == 7200 && c->unaccented_sms == 1);
	CHECK_STR(c->tracking_prefix, "TB");
	CHECK(c->ack_deadline == 600 && c->level_deadline == 300 && c->repeat == 600);
	CHECK(c->n_urgent_keywords == 3);
	CHECK_STR(c->urgent_keywords[0], "chay");
	CHECK_STR(c->urgent_keywords[1], "dao");
	CHECK_STR(c->urgent_keywords[2], "sung");
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
	CHECK(load("[gateway]\nunaccented_sms = maybe\n", err, sizeof err) == NULL);
	CHECK(load("[gateway]\ntracking_prefix = T-B\n", err, sizeof err) == NULL);
	CHECK(load("[modem a]\nconnection = at\n", err, sizeof err) == NULL);   /* no device */
	CHECK(strstr(err, "device"));
	CHECK(load("[modem a]\ndevice = x\ndevcie = y\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":3:"));
	CHECK(load("[gateway]\nward = a\nward = b\n", err, sizeof err) == NULL);
	CHECK(load("not ini at all\n", err, sizeof err) == NULL);
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

UNIT_MAIN(UNIT(test_defaults_and_values), UNIT(test_errors_name_the_line), UNIT(test_durations),
    UNIT(test_daily_summary))
