/* Unit tests: the one shape of a tip, an officer, a shift and a legal clock
 * (what `tinbao --json` and the admin API both print). Times are pinned and
 * the zone is set, so the test holds on any day. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/config.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/view.h"
#include "tests/unit/unit.h"

#define T0 1795331100          /* 2026-11-22 14:05:00 +07:00 (a Sunday) */

/* Times are read in Hà Nội's zone, whatever the machine's. */
static void
zone(void)
{
	CHECK(timeutil_set_zone("Asia/Ho_Chi_Minh") == 0);
}

static const char *
str(const json_t *o, const char *key)
{
	return json_string_value(json_object_get(o, key));
}

static int
is_null(const json_t *o, const char *key)
{
	return json_is_null(json_object_get(o, key));
}

static void
test_json_helpers(void)
{
	zone();
	json_t *v = view_json_time(T0);
	CHECK_STR(json_string_value(v), "2026-11-22T14:05:00+07:00");
	json_decref(v);
	v = view_json_time(0);
	CHECK(json_is_null(v));
	json_decref(v);
	v = view_json_str(NULL);
	CHECK(json_is_null(v));
	json_decref(v);
	v = view_json_str("Cháy\xff");                   /* bad byte replaced, not dropped */
	CHECK_STR(json_string_value(v), "Cháy\xef\xbf\xbd");
	json_decref(v);
}

static void
test_officer(void)
{
	struct officer o = { .id = 7, .name = "Nguyễn Văn An", .phone = "+84900000001",
	    .channel = "sms", .role = "officer", .short_code = "A1" };
	json_t *j = view_officer_json(&o);
	CHECK(json_object_size(j) == 8);
	CHECK(json_integer_value(json_object_get(j, "id")) == 7);
	CHECK_STR(str(j, "name"), "Nguyễn Văn An");
	CHECK_STR(str(j, "phone"), "+84900000001");
	CHECK(is_null(j, "zalo_oa") && is_null(j, "zalo_bot"));
	CHECK_STR(str(j, "channel"), "sms");
	CHECK_STR(str(j, "role"), "officer");
	CHECK_STR(str(j, "short_code"), "A1");
	json_decref(j);
	o.short_code = NULL;
	j = view_officer_json(&o);
	CHECK(is_null(j, "short_code"));
	json_decref(j);
}

static void
test_shift(void)
{
	zone();
	struct shift s = { .id = 3, .officer_name = "An", .officer_phone = "+84900000001",
	    .level = 1, .starts_at = T0, .ends_at = T0 + 12 * 3600 };
	json_t *j = view_shift_json(&s);
	CHECK(json_object_size(j) == 12);
	CHECK_STR(str(j, "kind"), "once");
	CHECK(is_null(j, "weekly") && is_null(j, "time") && is_null(j, "first_day"));
	CHECK_STR(str(j, "officer_phone"), "+84900000001");
	CHECK(json_integer_value(json_object_get(j, "level")) == 1);
	CHECK(json_is_false(json_object_get(j, "always")));
	CHECK_STR(str(j, "from"), "2026-11-22T14:05:00+07:00");
	CHECK_STR(str(j, "to"), "2026-11-23T02:05:00+07:00");
	json_decref(j);
	char when[80];
	view_shift_when(&s, when, sizeof when);
	CHECK_STR(when, "2026-11-22 14:05 to 2026-11-23 02:05");
	s.always = 1;
	s.kind = SHIFT_ALWAYS;
	j = view_shift_json(&s);
	CHECK(json_is_true(json_object_get(j, "always")));
	CHECK(is_null(j, "from") && is_null(j, "to"));
	json_decref(j);
	view_shift_when(&s, when, sizeof when);
	CHECK_STR(when, "always");
	/* weekly, overnight, between two dates */
	struct shift w = { .id = 4, .officer_name = "An", .officer_phone = "+84900000001",
	    .kind = SHIFT_WEEKLY, .level = 1, .weekdays = 0x2a, .time_from = 19 * 60,
	    .time_to = 7 * 60, .first_day = "2026-11-01", .last_day = "2026-11-30" };
	j = view_shift_json(&w);
	CHECK_STR(str(j, "kind"), "weekly");
	CHECK_STR(str(j, "weekly"), "TUE,THU,SAT");
	CHECK_STR(str(j, "time"), "19:00-07:00");
	CHECK_STR(str(j, "first_day"), "2026-11-01");
	CHECK(is_null(j, "from") && is_null(j, "to"));
	json_decref(j);
	view_shift_when(&w, when, sizeof when);
	CHECK_STR(when, "Tue, Thu, Sat 19:00-07:00 (overnight), 2026-11-01 to 2026-11-30");
	/* a day off has no level */
	struct shift off = { .id = 5, .officer_name = "An", .officer_phone = "+84900000001",
	    .kind = SHIFT_OFF, .first_day = "2026-11-25", .last_day = "2026-11-25" };
	j = view_shift_json(&off);
	CHECK(is_null(j, "level") && is_null(j, "weekly"));
	CHECK_STR(str(j, "last_day"), "2026-11-25");
	json_decref(j);
	view_shift_when(&off, when, sizeof when);
	CHECK_STR(when, "day off 2026-11-25");
	CHECK_STR(view_level_name(1), "duty");
	CHECK_STR(view_level_name(4), "chief");
	CHECK_STR(view_level_name(0), "?");
	CHECK_STR(view_level_name(5), "?");
}

static void
test_tip(void)
{
	zone();
	struct config cfg = { .tracking_prefix = "TB" };
	struct tip t = { .id = 1, .code = "7KM4Q9", .status = TIP_NEW, .channel = "sms",
	    .pseudonym = "never-shown", .text = "Có trộm", .level = 2, .created_at = T0,
	    .next_deadline = T0 + 600 };
	json_t *j = view_tip_json(&cfg, &t);
	static const char *const keys[] = { "id", "status", "level", "created_at", "acked_at",
	    "acked_by", "channel", "category", "text", "urgent", "partial", "closed_at",
	    "closed_by", "next_deadline", "waiting" };
	CHECK(json_object_size(j) == sizeof keys / sizeof keys[0]);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		CHECK(json_object_get(j, keys[i]) != NULL);
	CHECK_STR(str(j, "id"), "TB-7KM4Q9");
	CHECK_STR(str(j, "status"), "new");
	CHECK_STR(str(j, "created_at"), "2026-11-22T14:05:00+07:00");
	CHECK_STR(str(j, "next_deadline"), "2026-11-22T14:15:00+07:00");
	char *dump = json_dumps(j, JSON_COMPACT);
	CHECK(dump && !strstr(dump, "never-shown"));
	free(dump);
	json_decref(j);

	char who[64];
	CHECK_STR(view_tip_state(&t), "NEW");
	view_tip_owner(&t, T0, who, sizeof who);
	CHECK_STR(who, "due 14:15");
	view_tip_owner(&t, T0 + 601, who, sizeof who);
	CHECK_STR(who, "OVERDUE 14:15");
	t.waiting = 1;
	CHECK_STR(view_tip_state(&t), "WAITING");
	view_tip_owner(&t, T0, who, sizeof who);
	CHECK_STR(who, "nobody on duty");
	t.status = TIP_ACKNOWLEDGED;
	t.acked_by_name = "An";
	CHECK_STR(view_tip_state(&t), "acked");
	view_tip_owner(&t, T0, who, sizeof who);
	CHECK_STR(who, "An");
	j = view_tip_json(&cfg, &t);
	CHECK(is_null(j, "next_deadline"));             /* only while it waits */
	json_decref(j);
}

static void
test_tip_detail_and_legal(void)
{
	zone();
	struct config cfg = { .tracking_prefix = "TB" };
	struct tip t = { .code = "7KM4Q9", .status = TIP_CLOSED, .created_at = T0,
	    .close_note = "Xong" };
	struct tip_message m = { .direction = "in", .text = "Có trộm", .at = T0 };
	struct escalation e = { .from_level = 1, .to_level = 2, .at = T0 + 600,
	    .reason = "timeout" };
	struct attachment a = { .kind = "image", .state = "fetched", .content_type = "image/jpeg",
	    .size = 1234 };
	struct tipclock clk;
	tipclock_of(&t, NULL, T0 + 3600, &clk);
	struct view_tip_detail d = { .messages = &m, .n_messages = 1, .escalations = &e,
	    .n_escalations = 1, .attachments = &a, .n_attachments = 1 };
	json_t *j = view_tip_detail_json(&cfg, &t, &d);
	CHECK_STR(str(j, "close_note"), "Xong");
	CHECK(json_object_get(j, "legal") == NULL);     /* no clock given */
	json_t *mj = json_array_get(json_object_get(j, "messages"), 0);
	CHECK_STR(str(mj, "direction"), "in");
	CHECK_STR(str(mj, "at"), "2026-11-22T14:05:00+07:00");
	CHECK(is_null(mj, "officer"));
	json_t *ej = json_array_get(json_object_get(j, "escalations"), 0);
	CHECK(json_integer_value(json_object_get(ej, "to_level")) == 2);
	CHECK_STR(str(ej, "reason"), "timeout");
	json_t *aj = json_array_get(json_object_get(j, "attachments"), 0);
	CHECK(json_integer_value(json_object_get(aj, "size")) == 1234);
	CHECK(is_null(aj, "error"));
	json_decref(j);

	d.clock = &clk;
	j = view_tip_detail_json(&cfg, &t, &d);
	json_t *lj = json_object_get(j, "legal");
	CHECK(json_object_size(lj) == 3);
	json_t *pj = json_object_get(lj, "pass_on"), *nj = json_object_get(lj, "notice");
	CHECK_STR(str(pj, "due"), "2026-11-23T14:05:00+07:00");
	CHECK_STR(str(pj, "state"), "ended");           /* closed without passing on */
	CHECK(is_null(pj, "to") && is_null(pj, "by") && is_null(pj, "done_at"));
	CHECK_STR(str(nj, "due"), "2026-11-25");        /* Sun 22/11: Mon, Tue, Wed */
	CHECK_STR(str(json_object_get(lj, "settle"), "due"), "2026-12-12T14:05:00+07:00");
	json_decref(j);

	t.status = TIP_ACKNOWLEDGED;
	t.closed_at = 0;
	t.notice_at = T0 + 3600;
	t.passed_at = T0 + 7200;
	t.passed_to = "Cơ quan CSĐT Công an TP";
	t.passed_by_name = "An";
	tipclock_of(&t, NULL, T0 + 2 * 86400, &clk);
	lj = view_legal_json(&clk);
	pj = json_object_get(lj, "pass_on");
	nj = json_object_get(lj, "notice");
	CHECK_STR(str(pj, "state"), "done");
	CHECK_STR(str(pj, "done_at"), "2026-11-22T16:05:00+07:00");
	CHECK_STR(str(pj, "to"), "Cơ quan CSĐT Công an TP");
	CHECK_STR(str(pj, "by"), "An");
	CHECK_STR(str(nj, "state"), "done");
	CHECK_STR(str(nj, "done_at"), "2026-11-22T15:05:00+07:00");
	CHECK_STR(str(json_object_get(lj, "settle"), "state"), "running");
	json_decref(lj);

	char due[48], state[64];
	view_clock_due(&clk.pass_on, due, sizeof due);
	CHECK_STR(due, "2026-11-23 14:05");
	view_clock_due(&clk.notice, due, sizeof due);
	CHECK_STR(due, "2026-11-25 (end of day)");
	view_clock_state(&clk, &clk.pass_on, state, sizeof state);
	CHECK_STR(state, "done 2026-11-22 16:05");
	view_clock_state(&clk, &clk.settle, state, sizeof state);
	CHECK_STR(state, "in 18d0h");
}

UNIT_MAIN(UNIT(test_json_helpers), UNIT(test_officer), UNIT(test_shift),
    UNIT(test_tip), UNIT(test_tip_detail_and_legal))
