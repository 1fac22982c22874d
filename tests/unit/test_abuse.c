/* Unit tests: loop protection, the [abuse] configuration, and the relay,
 * handover and flood-guard texts. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "gateway/abuse.h"
#include "gateway/config.h"
#include "gateway/messages.h"
#include "tests/unit/unit.h"

static struct config *
load(const char *text, char *err, size_t errlen)
{
	char path[256];
	snprintf(path, sizeof path, "/tmp/tinbao-unit-abuse-%d", (int)getpid());
	FILE *f = fopen(path, "w");
	fputs(text, f);
	fclose(f);
	struct config *c = config_load(path, err, errlen);
	unlink(path);
	return c;
}

static void
test_abuse_config(void)
{
	char err[512];
	struct config *c = load("[modem sim1]\ndevice = /dev/ttyUSB0\nown_number = 0987650001\n",
	    err, sizeof err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(c->tips_per_hour == 5 && c->tips_per_day == 20 && c->replies_per_day == 10);
	CHECK(c->flood_min == 3 && c->flood_after == 120);
	CHECK_STR(c->modems[0].own_number, "0987650001");
	CHECK(c->modems[0].n_gammu == 1);          /* own_number is not handed to gammu */
	config_free(c);
	c = load("[abuse]\ntips_per_hour = 2\ntips_per_day = 3\nreplies_per_day = 4\n"
	    "flood_after = 5m\nflood_min = 6\n", err, sizeof err);
	CHECK(c && c->tips_per_hour == 2 && c->tips_per_day == 3 && c->replies_per_day == 4 &&
	    c->flood_after == 300 && c->flood_min == 6);
	config_free(c);
	CHECK(load("[abuse]\ntips_per_hour = 0\n", err, sizeof err) == NULL);
	CHECK(strstr(err, ":2:") && strstr(err, "tips_per_hour"));
	CHECK(load("[abuse]\nflood_min = 1\n", err, sizeof err) == NULL);
	CHECK(load("[modem a]\ndevice = x\nown_number = VIETTEL\n", err, sizeof err) == NULL);
	CHECK(strstr(err, "own_number"));
	CHECK(load("[modem a]\ndevice = x\nown_number = 0901\nown_number = 0902\n", err,
	    sizeof err) == NULL);
}

static void
test_answerable(void)
{
	char err[512];
	struct config *c = load("[modem sim1]\ndevice = /dev/ttyUSB0\nown_number = 0987650001\n"
	    "[modem sim2]\ndevice = /dev/ttyUSB1\n", err, sizeof err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK(abuse_address_answerable(c, "sms", "+84912345678") == 1);
	CHECK(abuse_address_answerable(c, "sms", "0912345678") == 1);
	CHECK(abuse_address_answerable(c, "sms", "VIETTEL") == 0);
	CHECK(abuse_address_answerable(c, "sms", "MobiFone") == 0);
	CHECK(abuse_address_answerable(c, "sms", "Ngan hang 1") == 0);
	CHECK(abuse_address_answerable(c, "sms", "9029") == 0);
	CHECK(abuse_address_answerable(c, "sms", "191") == 0);
	CHECK(abuse_address_answerable(c, "sms", "123456") == 0);
	CHECK(abuse_address_answerable(c, "sms", "+123456") == 0);
	CHECK(abuse_address_answerable(c, "sms", "1234567") == 1);
	CHECK(abuse_address_answerable(c, "sms", "+84987650001") == 0);   /* our own SIM */
	CHECK(abuse_address_answerable(c, "sms", "84987650001") == 0);
	CHECK(abuse_address_answerable(c, "sms", "0987650001") == 0);
	CHECK(abuse_address_answerable(c, "sms", "") == 0);
	CHECK(abuse_address_answerable(c, "sms", NULL) == 0);
	CHECK(abuse_address_answerable(c, "zalo_oa", "2468458800035299897") == 1);
	CHECK(abuse_address_answerable(c, "zalo_bot", "abc") == 1);
	config_free(c);
}

static void
test_texts(void)
{
	char out[MSG_MAX];
	msg_relay_question("TB-7KM4Q9", "7KM4Q9", "Xe máy màu gì, biển số?", out);
	CHECK_STR(out, "Cán bộ hỏi về tin TB-7KM4Q9: Xe máy màu gì, biển số? Trả lời: 7KM4Q9 nội dung");
	msg_relay_failed("TB-7KM4Q9", "zalo_oa", 1, out);
	CHECK_STR(out, "Không gửi được: người báo TB-7KM4Q9 không còn liên lạc được qua Zalo OA "
	    "(quá 7 ngày).");
	msg_relay_failed("TB-7KM4Q9", "sms", 0, out);
	CHECK_STR(out, "Không gửi được: người báo TB-7KM4Q9 không còn liên lạc được qua SMS.");
	msg_rate_limited(out);
	CHECK_STR(out, "Bạn gửi quá nhiều tin. Vui lòng thử lại sau. Khẩn cấp gọi 113.");
	msg_transfer("TB-7KM4Q9", "7KM4Q9", "Trần Văn B", "Có trộm", out);
	CHECK(strncmp(out, "TB-7KM4Q9 được Đ/c Trần Văn B chuyển cho đồng chí. Trả lời OK 7KM4Q9 "
	    "để nhận.", strlen("TB-7KM4Q9 được Đ/c Trần Văn B chuyển cho đồng chí. Trả lời OK "
	    "7KM4Q9 để nhận.")) == 0);
	const char *ids[] = { "TB-7KM4Q9", "TB-9PZ3RT" };
	msg_flood_summary(ids, 2, 0, out);
	CHECK(strstr(out, "có 2 tin đang chờ") && strstr(out, "TB-7KM4Q9, TB-9PZ3RT."));
	msg_flood_summary(ids, 2, 1, out);
	CHECK(strstr(out, "có hơn 2 tin đang chờ đồng chí, trong đó: TB-7KM4Q9, TB-9PZ3RT."));
	/* many IDs never overflow */
	const char *many[200];
	for (size_t i = 0; i < 200; i++)
		many[i] = "TB-7KM4Q9";
	msg_flood_summary(many, 200, 1, out);
	CHECK(strlen(out) < MSG_MAX);
}

UNIT_MAIN(UNIT(test_abuse_config), UNIT(test_answerable), UNIT(test_texts))
