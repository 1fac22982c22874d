/* Unit tests: the heartbeat table and the metrics text. */
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/heartbeat.h"
#include "gateway/log.h"
#include "gateway/metrics.h"
#include "unit.h"

static void
test_heartbeat_names_the_silent_thread(void)
{
	char name[32] = "";
	long silent = -1;
	int a = heartbeat_register("quick", 100);
	int b = heartbeat_register("slow", 1);
	CHECK(a >= 0 && b >= 0 && a != b);
	CHECK(heartbeat_stale(name, sizeof name, &silent) == 0);
	sleep(3);                      /* past slow's bound of 1 s */
	heartbeat_beat(a);
	CHECK(heartbeat_stale(name, sizeof name, &silent) == 1);
	CHECK_STR(name, "slow");
	CHECK(silent >= 2);
	heartbeat_beat(b);
	CHECK(heartbeat_stale(name, sizeof name, &silent) == 0);
	heartbeat_unregister(a);
	heartbeat_unregister(b);
	heartbeat_unregister(-1);      /* harmless */
	heartbeat_beat(-1);
}

static void
test_heartbeat_table_is_bounded(void)
{
	int slots[HEARTBEAT_MAX + 1];
	for (int i = 0; i <= HEARTBEAT_MAX; i++)
		slots[i] = heartbeat_register("t", 10);
	CHECK(slots[HEARTBEAT_MAX] == -1);
	for (int i = 0; i <= HEARTBEAT_MAX; i++)
		heartbeat_unregister(slots[i]);
	CHECK(heartbeat_register("again", 10) >= 0);
}

static void
test_metrics_render_and_overflow(void)
{
	char buf[8192];
	struct metrics_out o = { .buf = buf, .cap = sizeof buf };
	metrics_admission(0.003, 1);
	metrics_admission(3.0, 1);
	metrics_admission(0.0, 0);
	metrics_http_status(200);
	metrics_http_status(418);
	metrics_render(&o);
	CHECK(!o.full);
	CHECK(strstr(buf, "tinbao_admission_seconds_bucket{le=\"0.005\"} 1\n") != NULL);
	CHECK(strstr(buf, "tinbao_admission_seconds_bucket{le=\"5\"} 2\n") != NULL);
	CHECK(strstr(buf, "tinbao_admission_seconds_count 2\n") != NULL);
	CHECK(strstr(buf, "tinbao_admissions_failed_total 1\n") != NULL);
	CHECK(strstr(buf, "tinbao_http_requests_total{status=\"200\"} 1\n") != NULL);
	CHECK(strstr(buf, "tinbao_http_requests_total{status=\"other\"} 1\n") != NULL);
	/* a page that does not fit is marked full, never cut mid-line silently */
	char small[64];
	struct metrics_out s = { .buf = small, .cap = sizeof small };
	metrics_render(&s);
	CHECK(s.full);
	CHECK(strlen(small) < sizeof small);
}

static void
test_log_limit_passes_one_per_interval(void)
{
	struct log_limit l = { 0 };
	unsigned long held = 99;
	CHECK(log_limit_pass(&l, 60, &held) == 1 && held == 0);
	for (int i = 0; i < 5; i++)
		CHECK(log_limit_pass(&l, 60, &held) == 0);
	struct log_limit fast = { 0 };
	CHECK(log_limit_pass(&fast, 1, &held) == 1);
	CHECK(log_limit_pass(&fast, 1, &held) == 0);
	sleep(2);
	CHECK(log_limit_pass(&fast, 1, &held) == 1 && held == 1);
}

UNIT_MAIN(UNIT(test_heartbeat_names_the_silent_thread), UNIT(test_heartbeat_table_is_bounded),
    UNIT(test_metrics_render_and_overflow), UNIT(test_log_limit_passes_one_per_interval))
