/* Unit tests: Zalo OA events and their signature, Zalo bot updates. */
#include <stdlib.h>
#include <string.h>

#include "tests/unit/unit.h"
#include "webhook/bot_update.h"
#include "webhook/oa_event.h"

/* docs/zalo.md A3: the exact body of the A4 test vector */
static const char oa_body[] = "{\"app_id\":\"3608465249409039670\",\"user_id_by_app\":\"5521772797175877300\",\"event_name\":\"user_send_text\",\"timestamp\":\"1741770300000\",\"sender\":{\"id\":\"2468458835291979220\"},\"recipient\":{\"id\":\"3886132808788086450\"},\"message\":{\"msg_id\":\"96d3cdf3af150460909a\",\"text\":\"Có người bán ma túy ở hẻm 12\"}}";

static void
test_oa_parse(void)
{
	struct oa_event ev;
	char err[128];
	CHECK(sizeof oa_body - 1 == 300);
	CHECK(oa_event_parse(oa_body, sizeof oa_body - 1, &ev, err, sizeof err) == 0);
	CHECK(ev.kind == OA_TIP);
	CHECK_STR(ev.app_id, "3608465249409039670");
	CHECK_STR(ev.sender_id, "2468458835291979220");
	CHECK_STR(ev.msg_id, "96d3cdf3af150460909a");
	CHECK_STR(ev.text, "Có người bán ma túy ở hẻm 12");
	CHECK(oa_event_time(&ev) == 1741770300LL);
	oa_event_clear(&ev);
}

static void
test_oa_signature_vector(void)
{
	struct oa_event ev;
	char err[128];
	size_t len = sizeof oa_body - 1;
	oa_event_parse(oa_body, len, &ev, err, sizeof err);
	const char *a = "mac=be6cca31231c2762fa650d7055c2401a842dc0e4ada867badb73e938a45f64dd";
	const char *b = "mac=6fb0b0ee848fb4015c649db10f39939b39a4aa615b30453f1a312d139fd30b93";
	CHECK(oa_verify(&ev, oa_body, len, a, "TestOaSecretKey123", NULL) == 1);
	CHECK(oa_verify(&ev, oa_body, len, a + 4, "TestOaSecretKey123", NULL) == 1);
	CHECK(oa_verify(&ev, oa_body, len, "mac=BE6CCA31231C2762FA650D7055C2401A842DC0E4ADA867BADB73E938A45F64DD",
	    "TestOaSecretKey123", NULL) == 1);
	CHECK(oa_verify(&ev, oa_body, len, b, "TestOaSecretKey123", NULL) == 2);
	CHECK(oa_verify(&ev, oa_body, len, a, "WrongSecret", NULL) == 0);
	CHECK(oa_verify(&ev, oa_body, len - 1, a, "TestOaSecretKey123", NULL) == 0);
	CHECK(oa_verify(&ev, oa_body, len, "mac=be6c", "TestOaSecretKey123", NULL) == 0);
	CHECK(oa_verify(&ev, oa_body, len, NULL, "TestOaSecretKey123", NULL) == 0);
	char flipped[sizeof oa_body];
	memcpy(flipped, oa_body, sizeof oa_body);
	flipped[200] ^= 1;
	CHECK(oa_verify(&ev, flipped, len, a, "TestOaSecretKey123", NULL) == 0);
	oa_event_clear(&ev);
}

static void
test_oa_kinds_and_bad_input(void)
{
	struct oa_event ev;
	char err[128];
	CHECK(oa_event_parse("{}", 2, &ev, err, sizeof err) == 0 && ev.kind == OA_PROBE);
	const char *echo = "{\"event_name\":\"oa_send_text\",\"timestamp\":1741770300000}";
	CHECK(oa_event_parse(echo, strlen(echo), &ev, err, sizeof err) == 0 && ev.kind == OA_ECHO);
	CHECK_STR(ev.timestamp, "1741770300000");               /* numeric accepted */
	oa_event_clear(&ev);
	const char *follow = "{\"event_name\":\"follow\",\"follower\":{\"id\":\"123\"}}";
	CHECK(oa_event_parse(follow, strlen(follow), &ev, err, sizeof err) == 0 &&
	    ev.kind == OA_FOLLOW);
	oa_event_clear(&ev);
	const char *img = "{\"event_name\":\"user_send_image\",\"sender\":{\"id\":\"1\"},"
	    "\"message\":{\"msg_id\":\"m\",\"text\":\"Biển số xe\",\"attachments\":[{\"type\":"
	    "\"image\",\"payload\":{\"url\":\"https://x/y.jpg\"}}]}}";
	CHECK(oa_event_parse(img, strlen(img), &ev, err, sizeof err) == 0);
	CHECK(ev.text && strstr(ev.text, "Biển số xe") && strstr(ev.text, "https://x/y.jpg"));
	CHECK(ev.n_attachments == 1);
	CHECK_STR(ev.attachment_kind[0], "image");
	CHECK_STR(ev.attachment_url[0], "https://x/y.jpg");
	oa_event_clear(&ev);
	CHECK(oa_event_parse("[1]", 3, &ev, err, sizeof err) < 0);
	CHECK(oa_event_parse("{\"event_name\":", 14, &ev, err, sizeof err) < 0);
	CHECK(oa_event_parse("{\"sender\":{\"id\":[1]}}", 21, &ev, err, sizeof err) < 0);
	CHECK(oa_event_parse("{\"a\":1,\"a\":2}", 13, &ev, err, sizeof err) < 0);
}

static void
test_bot_updates(void)
{
	struct bot_update u;
	char err[128];
	const char *wrapped = "{\"ok\":true,\"result\":{\"event_name\":\"message.text.received\","
	    "\"message\":{\"message_id\":\"2d75\",\"from\":{\"id\":\"6ede\",\"display_name\":\"Ted\","
	    "\"is_bot\":false},\"chat\":{\"id\":\"6ede\",\"chat_type\":\"PRIVATE\"},"
	    "\"date\":1750316131602,\"text\":\"Tối nào cũng có đánh bạc\"}}}";
	CHECK(bot_update_parse(wrapped, strlen(wrapped), &u, err, sizeof err) == 0);
	CHECK(u.kind == BOT_PRIVATE && u.date == 1750316131);
	CHECK_STR(u.message_id, "2d75");
	CHECK_STR(u.chat_id, "6ede");
	CHECK_STR(u.text, "Tối nào cũng có đánh bạc");
	bot_update_clear(&u);
	const char *group = "{\"event_name\":\"message.text.received\",\"message\":{\"message_id\":"
	    "\"9c2b\",\"date\":1750317000,\"from\":{\"id\":\"a1\"},\"chat\":{\"id\":\"f0\","
	    "\"chat_type\":\"GROUP\"},\"text\":\"@Bot OK 7KM4QX\"}}";
	CHECK(bot_update_parse(group, strlen(group), &u, err, sizeof err) == 0);
	CHECK(u.kind == BOT_GROUP && u.date == 1750317000);
	bot_update_clear(&u);
	CHECK(bot_update_parse("{}", 2, &u, err, sizeof err) == 0 && u.kind == BOT_NO_MESSAGE);
	CHECK(bot_update_parse("{\"ok\":false,\"error_code\":401}", 29, &u, err, sizeof err) == 0 &&
	    u.kind == BOT_REFUSED);
	const char *nochat = "{\"message\":{\"message_id\":\"x\"}}";
	CHECK(bot_update_parse(nochat, strlen(nochat), &u, err, sizeof err) < 0);
	const char *botself = "{\"message\":{\"message_id\":\"x\",\"from\":{\"id\":\"b\",\"is_bot\":true},"
	    "\"chat\":{\"id\":\"c\"}}}";
	CHECK(bot_update_parse(botself, strlen(botself), &u, err, sizeof err) == 0 &&
	    u.kind == BOT_FROM_BOT);
	bot_update_clear(&u);
	CHECK(bot_update_parse("nope", 4, &u, err, sizeof err) < 0);
	/* issue 9.7: only "PRIVATE", exactly, is private */
	static const char *const types[] = { "", ",\"chat_type\":\"private\"",
	    ",\"chat_type\":\"CHANNEL\"", ",\"chat_type\":null", ",\"chat_type\":1",
	    ",\"chat_type\":\"PRIVATE \"", ",\"chat_type\":\"A_VERY_LONG_CHAT_TYPE_NAME_1234567890\"" };
	for (size_t i = 0; i < sizeof types / sizeof types[0]; i++) {
		char body[256];
		snprintf(body, sizeof body, "{\"message\":{\"message_id\":\"x\",\"from\":{\"id\":\"a\"},"
		    "\"chat\":{\"id\":\"a\"%s},\"text\":\"t\"}}", types[i]);
		CHECK(bot_update_parse(body, strlen(body), &u, err, sizeof err) == 0);
		CHECK(u.kind == BOT_GROUP && !u.chat_type_known);
		bot_update_clear(&u);
	}
}

/* Issue 9.2: a parse error names its kind and byte offset, never the body. */
static void
test_errors_quote_nothing(void)
{
	struct oa_event ev;
	struct bot_update u;
	char err[160];
	const char *cut = "{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"2468458835291979220";
	CHECK(oa_event_parse(cut, strlen(cut), &ev, err, sizeof err) < 0);
	CHECK(strstr(err, "premature end of input") && strstr(err, "at byte") &&
	    !strstr(err, "2468458835"));
	const char *bcut = "{\"message\":{\"from\":{\"id\":\"6ede9afa66b88fe6d6a9";
	CHECK(bot_update_parse(bcut, strlen(bcut), &u, err, sizeof err) < 0);
	CHECK(strstr(err, "at byte") && !strstr(err, "6ede9afa"));
	/* a NUL in a text is a space, never the end of the text */
	const char *nul = "{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"1\"},"
	    "\"message\":{\"msg_id\":\"m\",\"text\":\"a\\u0000b\"}}";
	CHECK(oa_event_parse(nul, strlen(nul), &ev, err, sizeof err) == 0);
	CHECK_STR(ev.text, "a b");
	oa_event_clear(&ev);
	/* but never in an id */
	const char *nulid = "{\"event_name\":\"user_send_text\",\"sender\":{\"id\":\"1\\u00002\"}}";
	CHECK(oa_event_parse(nulid, strlen(nulid), &ev, err, sizeof err) < 0);
	CHECK(!strstr(err, "1"));
}

UNIT_MAIN(UNIT(test_oa_parse), UNIT(test_oa_signature_vector), UNIT(test_oa_kinds_and_bad_input),
    UNIT(test_bot_updates), UNIT(test_errors_quote_nothing))
