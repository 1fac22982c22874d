/* Unit tests: the reply-command parser. */
#include <string.h>

#include "gateway/command.h"
#include "tests/unit/unit.h"

static char id[TRACKID_CODE_LEN + 1];

static struct command
officer(const char *text)
{
	struct command c;
	CHECK(command_parse_officer("TB", text, &c) == 0);
	return c;
}

static struct command
citizen(const char *text)
{
	struct command c;
	CHECK(command_parse_citizen("TB", text, &c) == 0);
	return c;
}

static void
test_acknowledge_forms(void)
{
	const char *forms[] = { "OK %s", "ok tb-%s", "NHAN TB%s", "nhận %s", "NHẬN TB %s",
	    "Nha\xcc\xa3\xcc\x82n %s", "  Ok   %s.  " };
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		char text[64];
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wformat-nonliteral"
		snprintf(text, sizeof text, forms[i], id);     /* the forms above */
#pragma GCC diagnostic pop
		struct command c = officer(text);
		CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_OK);
		CHECK_STR(c.code, id);
	}
	struct command c = officer("OK");
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_NONE);
	c = officer("ok 10000");
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "10000");
}

static void
test_close_list_and_others(void)
{
	char text[128];
	snprintf(text, sizeof text, "xong %s Đã kiểm tra, không có gì", id);
	struct command c = officer(text);
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_OK);
	CHECK(c.arg_len == strlen("Đã kiểm tra, không có gì") &&
	    strncmp(c.arg, "Đã kiểm tra, không có gì", c.arg_len) == 0);
	c = officer("XONG");
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_NONE);
	CHECK(officer("ds").kind == CMD_LIST);
	CHECK(officer("DS ").kind == CMD_LIST);
	snprintf(text, sizeof text, "HỎI %s xe màu gì?", id);
	CHECK(officer(text).kind == CMD_ASK);
	snprintf(text, sizeof text, "chuyển %s 0900000002", id);
	CHECK(officer(text).kind == CMD_TRANSFER);
	CHECK(officer("xin chào").kind == CMD_NONE);
	CHECK(officer("").kind == CMD_NONE);
	CHECK(officer("okay").kind == CMD_NONE);
}

static void
test_citizen_forms(void)
{
	char text[128];
	snprintf(text, sizeof text, "TT %s", id);
	struct command c = citizen(text);
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_OK);
	c = citizen("tt abc");
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_INVALID);
	snprintf(text, sizeof text, "%s xe màu đỏ", id);
	c = citizen(text);
	CHECK(c.kind == CMD_FOLLOWUP && c.id_state == CMD_ID_OK);
	CHECK(c.arg_len == strlen("xe màu đỏ"));
	snprintf(text, sizeof text, "TB-%s", id);
	c = citizen(text);
	CHECK(c.kind == CMD_FOLLOWUP && c.arg_len == 0);
	/* ordinary words are plain tips, even six-letter ones */
	CHECK(citizen("Có trộm ở chợ").kind == CMD_NONE);
	CHECK(citizen("THANHS nha toi").kind == CMD_NONE || trackid_check("THANHS"));
	CHECK(citizen("OK").kind == CMD_NONE);
}

static void
test_oversize_refused(void)
{
	static char big[COMMAND_TEXT_MAX + 10];
	memset(big, 'a', sizeof big - 1);
	struct command c;
	CHECK(command_parse_officer("TB", big, &c) < 0);
	CHECK(command_parse_citizen("TB", big, &c) < 0);
	CHECK(command_parse_citizen("TB", NULL, &c) < 0);
}

static void
setup_then_all(void)
{
	trackid_new(id);
}

UNIT_MAIN(UNIT(setup_then_all), UNIT(test_acknowledge_forms), UNIT(test_close_list_and_others),
    UNIT(test_citizen_forms), UNIT(test_oversize_refused))
