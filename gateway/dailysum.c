/* dailysum — see dailysum.h. */
#include "gateway/dailysum.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/log.h"
#include "gateway/messages.h"
#include "gateway/notify.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/trackid.h"

#define TAG "daily"
#define DAILYSUM_COUNTER "daily_summary_day"     /* YYYYMMDD of the last run */
#define DAILYSUM_WINDOW (24 * 3600)
#define DAILYSUM_MAX_LEADERS 32
/* One SMS of at most 6 parts once the diacritics are gone (6 x 153). */
#define DAILYSUM_TEXT_MAX 900

/* Today as YYYYMMDD when the summary's hour has come, else 0. */
static int64_t
due_day(const struct config *cfg, int64_t now)
{
	struct tm tm;
	time_t t = (time_t)now;
	localtime_r(&t, &tm);
	if (cfg->daily_summary_min < 0 || tm.tm_hour * 60 + tm.tm_min < cfg->daily_summary_min)
		return 0;
	return (int64_t)(tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

/* Append line to text (MSG_MAX) if it fits: 1 appended, 0 not. */
static int
append(char *text, const char *line)
{
	size_t len = strlen(text);
	if (len + 1 + strlen(line) + 1 > DAILYSUM_TEXT_MAX)
		return 0;
	snprintf(text + len, MSG_MAX - len, "\n%s", line);
	return 1;
}

/* The summary's text. 0 / -1. */
static int
compose(struct db *db, const struct config *cfg, int64_t now, char *text)
{
	struct tip *v;
	size_t n;
	struct tipclock_holidays hol;
	if (db_tip_list(db, 1, SIZE_MAX, &v, &n) < 0)
		return -1;
	if (tipclock_holidays_load(db, &hol) < 0) {
		tips_free(v, n);
		return -1;
	}
	size_t waiting = 0, unacked = 0, lines = 0, more = 0;
	for (size_t i = 0; i < n; i++) {
		unacked += v[i].status == TIP_NEW;
		waiting += v[i].status == TIP_NEW && v[i].waiting;
	}
	msg_daily_head(now, n, waiting, unacked, text, MSG_MAX);
	char more_line[96];
	msg_daily_more(9999, more_line, sizeof more_line);   /* keep room for it */
	int rc = 0;
	for (size_t i = 0; i < n; i++) {
		struct tipclock clk;
		char id[32], line[300];
		tipclock_of(&v[i], &hol, now, &clk);
		trackid_format(cfg->tracking_prefix, v[i].code, id, sizeof id);
		/* the clocks that still ask for their act: overdue, or due within
		 * the day ahead */
		for (int k = 0; k < 2; k++) {
			const struct tipclock_one *c = k == 0 ? &clk.pass_on : &clk.notice;
			if (!tipclock_pending(c) || c->due > now + DAILYSUM_WINDOW)
				continue;
			if (k == 0)
				msg_clock_pass_on(id, &clk, line, sizeof line);
			else
				msg_clock_notice(id, &clk, line, sizeof line);
			if (strlen(text) + strlen(line) + strlen(more_line) + 3 < DAILYSUM_TEXT_MAX && append(text, line))
				lines++;
			else
				more++;
		}
	}
	if (rc == 0 && more) {
		msg_daily_more(more, more_line, sizeof more_line);
		append(text, more_line);
	}
	if (rc == 0 && lines == 0 && more == 0) {
		char none[128];
		msg_daily_none(none, sizeof none);
		append(text, none);
	}
	tipclock_holidays_free(&hol);
	tips_free(v, n);
	return rc;
}

int
dailysum_run(struct db *db, const struct config *cfg, int64_t now)
{
	int64_t day = due_day(cfg, now), done;
	if (!day)
		return 0;
	if (db_counter_get(db, DAILYSUM_COUNTER, &done) < 0)
		return -1;
	if (done >= day)
		return 0;
	if (db_begin(db) < 0)
		return -1;
	int64_t ids[DAILYSUM_MAX_LEADERS], head_id = 0;
	size_t n = 0;
	int stand_in = 0;
	char text[MSG_MAX], detail[128], head[65] = "";
	int rc = db_counter_get(db, DAILYSUM_COUNTER, &done);     /* again, in the transaction */
	if (rc == 0 && done >= day) {
		db_rollback(db);
		return 0;
	}
	if (rc == 0)
		rc = db_counter_add(db, DAILYSUM_COUNTER, day - done);
	if (rc == 0)
		rc = notify_leaders_on_duty(db, now, ids, DAILYSUM_MAX_LEADERS, &n, &stand_in);
	if (rc == 0)
		rc = compose(db, cfg, now, text);
	for (size_t i = 0; rc == 0 && i < n; i++)
		rc = notify_officer(db, cfg, ids[i], 0, "daily_summary", text, now);
	if (stand_in)
		snprintf(detail, sizeof detail, "%lld: no shift leader on duty; to %zu officer%s "
		    "on duty at level %d", (long long)day, n, n == 1 ? "" : "s", stand_in);
	else
		snprintf(detail, sizeof detail, "%lld: to %zu shift leader%s", (long long)day, n,
		    n == 1 ? "" : "s");
	if (rc == 0)
		rc = db_audit(db, now, "tinbaod", "daily.summary", 0, detail);
	if (rc == 0 && db_audit_head(db, &head_id, head) < 0)
		rc = -1;
	if (rc == 0 && db_commit(db) < 0)
		rc = -1;
	if (rc < 0) {
		db_rollback(db);
		return -1;
	}
	if (n == 0)
		log_warn(TAG, "daily summary: nobody on duty at any level; nobody was sent it");
	else if (stand_in)
		log_warn(TAG, "daily summary: no shift leader on duty (role leader or level 3); sent "
		    "to the %zu officer%s on duty at level %d instead", n, n == 1 ? "" : "s", stand_in);
	else
		log_info(TAG, "daily summary sent to %zu shift leader%s", n, n == 1 ? "" : "s");
	log_notice(TAG, "audit chain head: row %lld hash %s (check: tinbao audit verify --anchor "
	    "%lld:%s)", (long long)head_id, head, (long long)head_id, head);
	return 1;
}
