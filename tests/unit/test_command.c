/* Unit tests: the reply-command parser. */
#include <stdio.h>
#include <string.h>

#include "gateway/command.h"
#include "tests/unit/unit.h"

#define ID "7KM4Q9"                 /* a valid code (check character computed) */
#define ID_LOWER "7km4q9"
#define ID_BAD "7KM4QX"             /* one character off: fails the check */

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

/* The template with each '@' replaced by code. */
static const char *
fill(const char *tmpl, const char *code)
{
	static char buf[256];
	size_t o = 0, n = strlen(code);
	for (const char *p = tmpl; *p && o + n + 1 < sizeof buf; p++) {
		if (*p == '@') {
			memcpy(buf + o, code, n);
			o += n;
		} else {
			buf[o++] = *p;
		}
	}
	buf[o] = '\0';
	return buf;
}

static int
arg_is(const struct command *c, const char *text, const char *want)
{
	size_t n = strlen(want);
	/* arg lies inside the input (or is the empty constant) */
	int inside = c->arg_len == 0 || (c->arg >= text && c->arg + c->arg_len <= text + strlen(text));
	return inside && c->arg_len == n && strncmp(c->arg, want, n) == 0;
}

static void
test_acknowledge_forms(void)
{
	static const char *const forms[] = {
		"OK @", "ok @", "Ok @", "oK TB-@", "ok tb-@", "OK TB@", "OK TB @", "ok tb @",
		"NHAN @", "nhan TB-@", "NHẬN @", "nhận @", "Nhận TB @", "NHẬN TB-@",
		"Nha\xcc\xa3\xcc\x82n @", "NHA\xcc\x82\xcc\xa3N tb@",      /* NFD, both mark orders */
		"  Ok   @.  ", "OK: @", "OK @,", "ok\n@", "OK\t@", "OK\xc2\xa0@",  /* NBSP */
		"OK@", "oktb-@", "OKTB@",                                       /* glued */
	};
	static const char *const codes[] = { ID, ID_LOWER };
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
			const char *text = fill(forms[i], codes[k]);
			struct command c = officer(text);
			if (c.kind != CMD_ACK || c.id_state != CMD_ID_OK)
				fprintf(stderr, "  form: %s\n", text);
			CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_OK);
			CHECK_STR(c.code, ID);
			CHECK(arg_is(&c, text, ""));
		}
	struct command c = officer("OK TB-" ID);
	CHECK(c.had_prefix == 1);
	c = officer("OK TB " ID);
	CHECK(c.had_prefix == 1);
	c = officer("OK " ID);
	CHECK(c.had_prefix == 0);
	c = officer("OK " ID " cảm ơn");
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_OK && arg_is(&c, "OK " ID " cảm ơn", "cảm ơn"));
}

static void
test_bare_and_bad_acknowledge(void)
{
	static const char *const bare[] = { "OK", "ok", " OK ", "OK.", "Ok!", "NHAN", "nhận",
	    "NHẬN", "Nha\xcc\xa3\xcc\x82n", "ok\n" };
	for (size_t i = 0; i < sizeof bare / sizeof bare[0]; i++) {
		struct command c = officer(bare[i]);
		CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_NONE);
		CHECK(c.arg_len == 0);
	}
	struct command c = officer("ok 10000");
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "10000");
	c = officer("OK " ID_BAD);                          /* wrong check character */
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, ID_BAD);
	c = officer("OK TB-" ID_BAD ".");
	CHECK(c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "TB-" ID_BAD);
	c = officer("NHAN TB " ID_BAD);
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "TB " ID_BAD);
	c = officer("ok cảm ơn anh");
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "cảm");
	c = officer("OK TB");
	CHECK(c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "TB");
	/* a long token is cut to fit, at a character boundary */
	c = officer("OK ệệệệệệệệệệệệệệệệ");            /* 16 x 3 bytes */
	CHECK(c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "ệệệệệệệệệệ");          /* 30 bytes */
	c = officer("OK aệệệệệệệệệệệệ");
	CHECK_STR(c.bad_token, "aệệệệệệệệệệ");          /* 31 bytes */
	c = officer("OK abệệệệệệệệệệệệ");
	CHECK_STR(c.bad_token, "abệệệệệệệệệ");          /* 29: the 11th would not fit */
}

static void
test_close(void)
{
	const char *t = "xong " ID " Đã kiểm tra, không có gì";
	struct command c = officer(t);
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_OK);
	CHECK_STR(c.code, ID);
	CHECK(arg_is(&c, t, "Đã kiểm tra, không có gì"));
	t = "XONG TB-" ID "   đã xử lý  \n";
	c = officer(t);
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_OK && arg_is(&c, t, "đã xử lý"));
	t = "Xong tb " ID_LOWER ": ok";
	c = officer(t);
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_OK && arg_is(&c, t, "ok"));
	c = officer("XONG " ID);
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_OK && c.arg_len == 0);
	c = officer("XONG");
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_NONE);
	c = officer("xong   ");
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_NONE);
	c = officer("xong roi");
	CHECK(c.kind == CMD_CLOSE && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "roi");
}

static void
test_ask_transfer_list(void)
{
	static const char *const ask[] = { "HOI @ xe màu gì?", "HỎI @ xe màu gì?", "hỏi TB-@ xe màu gì?",
	    "Ho\xcc\x89i tb @ xe màu gì?", "hoi @   xe màu gì?  " };
	for (size_t i = 0; i < sizeof ask / sizeof ask[0]; i++) {
		const char *t = fill(ask[i], ID);
		struct command c = officer(t);
		CHECK(c.kind == CMD_ASK && c.id_state == CMD_ID_OK);
		CHECK(arg_is(&c, t, "xe màu gì?"));
	}
	struct command c = officer("HOI");
	CHECK(c.kind == CMD_ASK && c.id_state == CMD_ID_NONE);
	static const char *const transfer[] = { "CHUYEN @ 0900000002", "CHUYỂN @ 0900000002",
	    "chuyển tb-@ 0900000002", "Chuye\xcc\x82\xcc\x89n @ 0900000002" };
	for (size_t i = 0; i < sizeof transfer / sizeof transfer[0]; i++) {
		const char *t = fill(transfer[i], ID);
		c = officer(t);
		CHECK(c.kind == CMD_TRANSFER && c.id_state == CMD_ID_OK);
		CHECK(arg_is(&c, t, "0900000002"));
	}
	c = officer("CHUYEN " ID " Trần Văn B");
	CHECK(c.kind == CMD_TRANSFER && arg_is(&c, "CHUYEN " ID " Trần Văn B", "Trần Văn B"));
	c = officer("chuyển");
	CHECK(c.kind == CMD_TRANSFER && c.id_state == CMD_ID_NONE);
	static const char *const list[] = { "DS", "ds", "Ds", " DS ", "ds." };
	for (size_t i = 0; i < sizeof list / sizeof list[0]; i++) {
		c = officer(list[i]);
		CHECK(c.kind == CMD_LIST && c.id_state == CMD_ID_NONE && c.arg_len == 0);
	}
}

static void
test_not_officer_commands(void)
{
	static const char *const none[] = { "xin chào", "", "   ", "okay", "ok7", "DSA", "OKE",
	    "nhanh lên", "TT " ID, ID, "TB-" ID " xong", "chuyenn " ID, "hỏii" };
	for (size_t i = 0; i < sizeof none / sizeof none[0]; i++) {
		struct command c = officer(none[i]);
		if (c.kind != CMD_NONE)
			fprintf(stderr, "  text: %s\n", none[i]);
		CHECK(c.kind == CMD_NONE);
	}
}

static void
test_citizen_status(void)
{
	static const char *const forms[] = { "TT @", "tt @", "Tt TB-@", "TT tb@", "TT TB @", "TT: @",
	    "tt @.", "TT@", "TTTB-@", "  TT   @  " };
	for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
		const char *t = fill(forms[i], ID_LOWER);
		struct command c = citizen(t);
		if (c.kind != CMD_STATUS || c.id_state != CMD_ID_OK)
			fprintf(stderr, "  form: %s\n", t);
		CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_OK);
		CHECK_STR(c.code, ID);
	}
	struct command c = citizen("TT");
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_NONE);
	c = citizen("tt abc");
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "abc");
	c = citizen("TT 23456X");
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "23456X");
	c = citizen("TT TB-" ID_BAD ".");
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "TB-" ID_BAD);
	c = citizen("TT TB " ID_BAD);
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_INVALID);
	CHECK_STR(c.bad_token, "TB " ID_BAD);
	/* a tip that happens to start with "TT" stays a tip */
	const char *t = "TT có cướp ở chợ Bến Thành";
	c = citizen(t);
	CHECK(c.kind == CMD_NONE && arg_is(&c, t, t));
	CHECK(citizen("TT abc def").kind == CMD_NONE);
	CHECK(citizen("tt " ID_BAD " xe máy màu đỏ").kind == CMD_NONE);
	/* a valid id, then words: still a status query */
	c = citizen("TT " ID " cho tôi hỏi");
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_OK);
}

static void
test_citizen_followup(void)
{
	static const struct {
		const char *tmpl, *arg;
	} forms[] = {
		{ "@ xe màu đỏ", "xe màu đỏ" }, { "TB-@ xe màu đỏ", "xe màu đỏ" },
		{ "tb@ xe màu đỏ", "xe màu đỏ" }, { "TB @ xe màu đỏ", "xe màu đỏ" },
		{ "@: xe màu đỏ", "xe màu đỏ" }, { "@\nxe màu đỏ\nbiển 59-X1", "xe màu đỏ\nbiển 59-X1" },
		{ "@", "" }, { "  TB-@  ", "" },
		{ "@ xe ma\xcc\x80u \xc4\x91o\xcc\x89", "xe ma\xcc\x80u \xc4\x91o\xcc\x89" },  /* as written */
	};
	for (size_t k = 0; k < 2; k++)
		for (size_t i = 0; i < sizeof forms / sizeof forms[0]; i++) {
			const char *t = fill(forms[i].tmpl, k ? ID_LOWER : ID);
			struct command c = citizen(t);
			if (c.kind != CMD_FOLLOWUP)
				fprintf(stderr, "  form: %s\n", t);
			CHECK(c.kind == CMD_FOLLOWUP && c.id_state == CMD_ID_OK);
			CHECK_STR(c.code, ID);
			CHECK(arg_is(&c, t, forms[i].arg));
		}
	CHECK(citizen("TB-" ID " x").had_prefix == 1);
	CHECK(citizen(ID " x").had_prefix == 0);
}

static void
test_citizen_plain_text(void)
{
	static const char *const plain[] = {
		"Có trộm ở chợ", "Có người bán ma túy ở hẻm 12 Lê Lợi, tối nào cũng có.",
		"nguyen van a trom xe", "NGUYEN van A", "chuyen nay that la", "THANHS nha toi",
		"khuyen moi", "OK", "DS", ID_BAD " xe màu đỏ",
		"TB-" ID_BAD " xe", "TB", "TB xe máy", "", "   ", "113",
	};
	/* an officer's word from a citizen is never an officer's command: with
	 * a valid id after it, it is a follow-up naming that tip */
	static const char *const officer_words_from_citizen[] = { "XONG " ID, "HOI " ID " x",
	    "ok " ID };
	for (size_t i = 0; i < 3; i++) {
		struct command c = citizen(officer_words_from_citizen[i]);
		CHECK(c.kind == CMD_FOLLOWUP && arg_is(&c, officer_words_from_citizen[i],
		    officer_words_from_citizen[i]));
	}
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		struct command c = citizen(plain[i]);
		if (c.kind != CMD_NONE)
			fprintf(stderr, "  text: %s\n", plain[i]);
		CHECK(c.kind == CMD_NONE && c.id_state == CMD_ID_NONE);
		CHECK(arg_is(&c, plain[i], plain[i]));
	}
	/* any six-character token that fails the check is plain text */
	for (int k = 0; k < 100; k++) {
		char code[TRACKID_CODE_LEN + 1], text[64];
		CHECK(trackid_new(code) == 0);
		code[TRACKID_CODE_LEN - 1] = code[TRACKID_CODE_LEN - 1] == 'Z' ? 'Y' : 'Z';
		snprintf(text, sizeof text, "%s nha toi bi mat trom", code);
		if (!trackid_check(code))
			CHECK(citizen(text).kind == CMD_NONE);
	}
}

static void
test_prefix_configurable(void)
{
	struct command c;
	CHECK(command_parse_officer("CABT", "OK CABT-" ID, &c) == 0);
	CHECK(c.kind == CMD_ACK && c.id_state == CMD_ID_OK && c.had_prefix);
	CHECK(command_parse_officer("CABT", "ok cabt " ID, &c) == 0);
	CHECK(c.id_state == CMD_ID_OK);
	CHECK(command_parse_officer("CABT", "OK TB-" ID, &c) == 0);
	CHECK(c.id_state == CMD_ID_INVALID);
	CHECK(command_parse_citizen("CABT", "CABT" ID " x", &c) == 0);
	CHECK(c.kind == CMD_FOLLOWUP);
	CHECK(command_parse_citizen(NULL, ID " x", &c) == 0);
	CHECK(c.kind == CMD_FOLLOWUP);
}

static void
test_bounds(void)
{
	static char big[COMMAND_TEXT_MAX + 2];
	struct command c;
	memset(big, 'a', sizeof big - 1);
	CHECK(command_parse_officer("TB", big, &c) < 0);              /* MAX + 1 bytes */
	CHECK(c.kind == CMD_NONE);
	CHECK(command_parse_citizen("TB", big, &c) == 0 && c.kind == CMD_NONE &&
	    c.arg_len == COMMAND_TEXT_MAX + 1);                        /* a citizen: any length */
	memcpy(big, ID " ", 7);
	CHECK(command_parse_citizen("TB", big, &c) == 0 && c.kind == CMD_FOLLOWUP &&
	    c.arg_len == COMMAND_TEXT_MAX + 1 - 7);
	memset(big, 'a', sizeof big - 1);
	big[COMMAND_TEXT_MAX] = '\0';                                  /* exactly MAX */
	CHECK(command_parse_citizen("TB", big, &c) == 0 && c.kind == CMD_NONE);
	memcpy(big, "XONG " ID " ", 12);
	CHECK(command_parse_officer("TB", big, &c) == 0 && c.kind == CMD_CLOSE);
	CHECK(c.arg_len == COMMAND_TEXT_MAX - 12);
	CHECK(command_parse_officer("TB", NULL, &c) < 0);
	CHECK(command_parse_citizen("TB", NULL, &c) < 0);
	CHECK(command_parse_citizen("TB", "TT", NULL) < 0);
	/* a very long first word is not a command */
	memset(big, 'o', 100);
	big[100] = '\0';
	CHECK(command_parse_officer("TB", big, &c) == 0 && c.kind == CMD_NONE);
}

static void
test_citizen_phone_habits(void)
{
	/* status queries typed the way phones and people do */
	static const char *const status[] = { "TT 7KM 4Q9", "TT TB-7KM 4Q9", "TT TB- @", "TT TB -@",
	    "TT TB - @", "TT:@", "TT-@", "TT.@", "TT:TB-@", "tt #@", "TT TB_@", "TT ma @",
	    "TT MÃ TB-@", "tinh trang @", "TINH TRANG TB-@", "Tình trạng: @", "kiem tra @",
	    "hoi tinh trang @" };
	for (size_t i = 0; i < sizeof status / sizeof status[0]; i++) {
		const char *t = fill(status[i], i % 2 ? ID_LOWER : ID);
		struct command c = citizen(t);
		if (c.kind != CMD_STATUS || c.id_state != CMD_ID_OK)
			fprintf(stderr, "  status form: %s\n", t);
		CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_OK);
		CHECK_STR(c.code, ID);
	}
	/* an id after a few words names the tip; the text stays whole */
	static const char *const follow[] = { "bo sung @ xe mau do", "BS TB-@: xe mau do",
	    "huy @", "HUY TIN BAO TB-@", "Bổ sung tin TB @ xe màu đỏ" };
	for (size_t i = 0; i < sizeof follow / sizeof follow[0]; i++) {
		const char *t = fill(follow[i], ID);
		struct command c = citizen(t);
		if (c.kind != CMD_FOLLOWUP)
			fprintf(stderr, "  follow-up form: %s\n", t);
		CHECK(c.kind == CMD_FOLLOWUP && c.id_state == CMD_ID_OK);
		CHECK_STR(c.code, ID);
		CHECK(arg_is(&c, t, t));
	}
	/* still tips */
	static const char *const plain[] = { "TT. co trom o cho", "TT:" ID_BAD " xe", "tinh trang an ninh xau",
	    "kiem tra giup nha so 5 " ID_BAD, "TT xe may bi trom o hem 5" };
	for (size_t i = 0; i < sizeof plain / sizeof plain[0]; i++) {
		struct command c = citizen(plain[i]);
		if (c.kind != CMD_NONE)
			fprintf(stderr, "  plain: %s\n", plain[i]);
		CHECK(c.kind == CMD_NONE);
	}
	/* "TT: <bad id>" is still a status query that is not found */
	struct command c = citizen("TT: " ID_BAD);
	CHECK(c.kind == CMD_STATUS && c.id_state == CMD_ID_INVALID);
}

UNIT_MAIN(UNIT(test_acknowledge_forms), UNIT(test_bare_and_bad_acknowledge), UNIT(test_close),
    UNIT(test_ask_transfer_list), UNIT(test_not_officer_commands), UNIT(test_citizen_status),
    UNIT(test_citizen_followup), UNIT(test_citizen_phone_habits), UNIT(test_citizen_plain_text), UNIT(test_prefix_configurable),
    UNIT(test_bounds))
