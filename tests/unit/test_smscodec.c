/* Unit tests for modem/smscodec: GSM-7 / UCS-2 choice, splitting, our own
 * concatenation reference, the part cap, and decoding what was encoded
 * (also through a real TPDU, encoded and decoded by libgammu). */
#include <dirent.h>
#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "gateway/identity.h"
#include "modem/smscodec.h"
#include "tests/unit/unit.h"

#define TO "+84900000001"

static GSM_MultiSMSMessage *multi;

/* n code points taken from `pattern` (UTF-8) over and over; malloc'd. */
static char *
cycle(const char *pattern, int n)
{
	size_t plen = strlen(pattern);
	char *out = malloc((size_t)n * 4 + 1);
	size_t o = 0, i = 0;
	for (int c = 0; c < n; c++) {
		do {
			out[o++] = pattern[i];
			i = (i + 1) % plen;
		} while ((pattern[i] & 0xC0) == 0x80);
	}
	out[o] = '\0';
	return out;
}

static int
encode(const char *text, unsigned char ref, int max_parts)
{
	char err[256];
	return smscodec_encode(text, TO, ref, max_parts, multi, err, sizeof err);
}

/* The parts' texts decoded and joined (malloc'd). */
static char *
joined(void)
{
	size_t cap = 1, len = 0;
	char *all = calloc(1, 1);
	for (int i = 0; i < multi->Number; i++) {
		int is_data = 1;
		char *t = smscodec_decode(&multi->SMS[i], &is_data);
		CHECK(t != NULL && !is_data);
		if (!t)
			continue;
		size_t l = strlen(t);
		cap = len + l + 1;
		all = realloc(all, cap);
		memcpy(all + len, t, l + 1);
		len += l;
		free(t);
	}
	return all;
}

static void
test_160_gsm7_chars_are_one_part(void)
{
	char *t = cycle("a", 160);
	CHECK(encode(t, 1, 6) == 1);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Default_No_Compression);
	CHECK(multi->SMS[0].UDH.Type == UDH_NoUDH);
	CHECK(multi->SMS[0].PDU == SMS_Submit);
	char number[64];
	smscodec_number(&multi->SMS[0], number, sizeof number);
	CHECK_STR(number, TO);
	free(t);
}

static void
test_161_gsm7_chars_are_two_parts(void)
{
	char *t = cycle("abc ", 161);
	CHECK(encode(t, 1, 6) == 2);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Default_No_Compression);
	CHECK(UnicodeLength(multi->SMS[0].Text) == 153);
	CHECK(UnicodeLength(multi->SMS[1].Text) == 8);
	char *back = joined();
	CHECK_STR(back, t);
	free(back);
	free(t);
}

static void
test_70_vietnamese_chars_are_one_ucs2_part(void)
{
	char *t = cycle("Cảm ơn bạn đã báo tin, chúng tôi xử lý ngay. ", 70);
	CHECK(encode(t, 1, 6) == 1);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Unicode_No_Compression);
	CHECK(multi->SMS[0].UDH.Type == UDH_NoUDH);
	char *back = joined();
	CHECK_STR(back, t);
	free(back);
	free(t);
}

static void
test_71_vietnamese_chars_are_two_parts(void)
{
	char *t = cycle("Cảm ơn bạn đã báo tin, chúng tôi xử lý ngay. ", 71);
	CHECK(encode(t, 1, 6) == 2);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Unicode_No_Compression);
	CHECK(multi->SMS[1].Coding == SMS_Coding_Unicode_No_Compression);
	CHECK(UnicodeLength(multi->SMS[0].Text) == 67);
	CHECK(UnicodeLength(multi->SMS[1].Text) == 4);
	char *back = joined();
	CHECK_STR(back, t);
	free(back);
	free(t);
}

static void
test_unaccented_text_stays_gsm7(void)
{
	const char *t = "Cam on ban da bao tin. Ma tin: TB-ABC234. Nhan TT ABC234 de xem trang "
	    "thai.\nCong an phuong Thach Khoi";
	CHECK(encode(t, 1, 6) == 1);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Default_No_Compression);
	char *back = joined();
	CHECK_STR(back, t);
	free(back);
	/* the six accented letters GSM 03.38 has keep GSM-7 too; one more does not */
	CHECK(encode("à è é ù ì ò", 1, 6) == 1);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Default_No_Compression);
	CHECK(encode("à è é ù ì ò ạ", 1, 6) == 1);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Unicode_No_Compression);
}

static void
test_over_the_cap_is_refused(void)
{
	char err[256] = "";
	char *t = cycle("Tin báo khẩn cấp ", 67 * 3);       /* exactly 3 UCS-2 parts */
	CHECK(smscodec_encode(t, TO, 1, 3, multi, err, sizeof err) == 3);
	CHECK(smscodec_encode(t, TO, 1, 2, multi, err, sizeof err) == -1);
	CHECK(strncmp(err, "too long", 8) == 0);
	free(t);
	/* far past any cap: refused before encoding, never cut */
	t = cycle("a", 40000);
	err[0] = '\0';
	CHECK(smscodec_encode(t, TO, 1, 10, multi, err, sizeof err) == -1);
	CHECK(strncmp(err, "too long", 8) == 0);
	free(t);
	/* the largest cap gammu can honour */
	CHECK(smscodec_encode("x", TO, 1, GSM_MAX_MULTI_SMS, multi, err, sizeof err) == -1);
	t = cycle("b", 153 * 30);
	CHECK(smscodec_encode(t, TO, 1, GSM_MAX_MULTI_SMS - 1, multi, err, sizeof err) == 30);
	free(t);
	/* gammu cuts this one at 50 parts (it even gives up on GSM-7 past about
	 * 5000 characters): refused, not sent cut */
	t = cycle("b", 6120);
	err[0] = '\0';
	CHECK(smscodec_encode(t, TO, 1, GSM_MAX_MULTI_SMS - 1, multi, err, sizeof err) == -1);
	CHECK(strncmp(err, "too long", 8) == 0);
	free(t);
}

static void
test_bad_input_is_refused(void)
{
	char err[256];
	CHECK(smscodec_encode("", TO, 1, 6, multi, err, sizeof err) == -1);
	CHECK(smscodec_encode("hi", "", 1, 6, multi, err, sizeof err) == -1);
	CHECK(smscodec_encode("hi", "+", 1, 6, multi, err, sizeof err) == -1);
	CHECK(smscodec_encode("hi", "Viettel", 1, 6, multi, err, sizeof err) == -1);
	CHECK(smscodec_encode("hi", "+84 90 000", 1, 6, multi, err, sizeof err) == -1);
	CHECK(smscodec_encode("hi", "+123456789012345678901", 1, 6, multi, err, sizeof err) == -1);
	CHECK(smscodec_encode("hi", "0900000001", 1, 6, multi, err, sizeof err) == 1);
}

static void
test_reference_is_ours_and_distinct(void)
{
	/* two long texts encoded in the same second: gammu alone would give
	 * both the clock's reference */
	char *t = cycle("Có cháy ở chợ, cần hỗ trợ gấp. ", 100);
	unsigned char udh1[8], udh2[8];
	CHECK(encode(t, 0x41, 6) == 2);
	for (int i = 0; i < 2; i++) {
		const GSM_UDHHeader *u = &multi->SMS[i].UDH;
		CHECK(u->Type == UDH_ConcatenatedMessages);
		CHECK(u->Length == 6);
		const unsigned char want[6] = { 0x05, 0x00, 0x03, 0x41, 0x02, (unsigned char)(i + 1) };
		CHECK(memcmp(u->Text, want, 6) == 0);
		int ref, seq, total;
		CHECK(smscodec_concat(&multi->SMS[i], &ref, &seq, &total) == 1);
		CHECK(ref == 0x41 && seq == i + 1 && total == 2);
	}
	memcpy(udh1, multi->SMS[0].UDH.Text, 6);
	CHECK(encode(t, 0x42, 6) == 2);
	memcpy(udh2, multi->SMS[0].UDH.Text, 6);
	CHECK(memcmp(udh1, udh2, 6) != 0);
	CHECK(udh2[3] == 0x42 && multi->SMS[1].UDH.Text[3] == 0x42);
	/* a single part carries no header, so no reference */
	CHECK(encode("ngắn", 0x43, 6) == 1);
	int ref, seq, total;
	CHECK(smscodec_concat(&multi->SMS[0], &ref, &seq, &total) == 0);
	free(t);
}

/* Each part through a real SMS-SUBMIT TPDU and back. */
static void
test_ucs2_part_round_trip_through_a_tpdu(void)
{
	char *t = cycle("Phần 1: có cháy ở kho hàng đường Hai Bà Trưng, khói rất nhiều. ", 120);
	CHECK(encode(t, 0x5A, 6) == 2);
	char *back_all = NULL;
	size_t len = 0;
	for (int i = 0; i < 2; i++) {
		GSM_SMSMessage *p = &multi->SMS[i];
		DecodeUTF8(p->SMSC.Number, "+849", 4);
		unsigned char frame[1000];
		int flen = 0;
		memset(frame, 0, sizeof frame);
		CHECK(GSM_EncodeSMSFrame(GSM_GetGlobalDebug(), p, frame, PHONE_SMSSubmit, &flen,
		    TRUE) == ERR_NONE);
		CHECK(flen > 0);
		GSM_SMSMessage *d = calloc(1, sizeof *d);
		CHECK(GSM_DecodeSMSFrame(GSM_GetGlobalDebug(), d, frame, PHONE_SMSSubmit) == ERR_NONE);
		CHECK(d->Coding == SMS_Coding_Unicode_No_Compression);
		int ref, seq, total;
		CHECK(smscodec_concat(d, &ref, &seq, &total) == 1);
		CHECK(ref == 0x5A && seq == i + 1 && total == 2);
		int is_data = 1;
		char *part = smscodec_decode(d, &is_data);
		CHECK(part != NULL && !is_data);
		if (part) {
			size_t l = strlen(part);
			back_all = realloc(back_all, len + l + 1);
			memcpy(back_all + len, part, l + 1);
			len += l;
			free(part);
		}
		char number[64];
		smscodec_number(d, number, sizeof number);
		CHECK_STR(number, TO);
		free(d);
	}
	CHECK_STR(back_all, t);
	free(back_all);
	free(t);
}

static void
test_gsm7_round_trip_through_a_tpdu(void)
{
	const char *t = "OK TB-ABC234 {da nhan} [ca 2] ~ | \\ ^ @ _ $";
	CHECK(encode(t, 1, 6) == 1);
	GSM_SMSMessage *p = &multi->SMS[0];
	unsigned char frame[1000];
	int flen = 0;
	memset(frame, 0, sizeof frame);
	CHECK(GSM_EncodeSMSFrame(GSM_GetGlobalDebug(), p, frame, PHONE_SMSSubmit, &flen,
	    TRUE) == ERR_NONE);
	GSM_SMSMessage *d = calloc(1, sizeof *d);
	CHECK(GSM_DecodeSMSFrame(GSM_GetGlobalDebug(), d, frame, PHONE_SMSSubmit) == ERR_NONE);
	CHECK(d->Coding == SMS_Coding_Default_No_Compression);
	int is_data = 1;
	char *back = smscodec_decode(d, &is_data);
	CHECK_STR(back, t);
	free(back);
	free(d);
}

static void
test_data_and_time(void)
{
	GSM_SMSMessage *m = calloc(1, sizeof *m);
	m->Coding = SMS_Coding_8bit;
	m->Length = 3;
	memcpy(m->Text, "\x01\x02\x03", 3);
	int is_data = 0;
	CHECK(smscodec_decode(m, &is_data) == NULL);
	CHECK(is_data == 1);
	/* 2024-05-01 10:15:00 at UTC+7 is 03:15:00 UTC */
	m->DateTime.Year = 2024;
	m->DateTime.Month = 5;
	m->DateTime.Day = 1;
	m->DateTime.Hour = 10;
	m->DateTime.Minute = 15;
	m->DateTime.Second = 0;
	m->DateTime.Timezone = 7 * 3600;
	CHECK(smscodec_time(m) == 1714533300LL);
	m->DateTime.Timezone = 0;
	CHECK(smscodec_time(m) == 1714558500LL);
	m->DateTime.Year = 0;
	CHECK(smscodec_time(m) == 0);
	m->DateTime.Year = 2024;
	m->DateTime.Month = 13;
	CHECK(smscodec_time(m) == 0);
	/* a concatenation header that describes no part stands alone */
	m->UDH.Type = UDH_ConcatenatedMessages;
	m->UDH.AllParts = 2;
	m->UDH.PartNumber = 3;
	int ref, seq, total;
	CHECK(smscodec_concat(m, &ref, &seq, &total) == 0);
	m->UDH.Type = UDH_ConcatenatedMessages16bit;
	m->UDH.PartNumber = 2;
	m->UDH.ID16bit = 0x1234;
	CHECK(smscodec_concat(m, &ref, &seq, &total) == 1);
	CHECK(ref == 0x1234 && seq == 2 && total == 2);
	free(m);
}

static void
test_emoji_survive(void)
{
	const char *t = "Trần 😀 ok";
	CHECK(encode(t, 1, 6) == 1);
	CHECK(multi->SMS[0].Coding == SMS_Coding_Unicode_No_Compression);
	char *back = joined();
	CHECK_STR(back, t);
	free(back);
}


/* A received part as the dummy driver gives it. */
static GSM_SMSMessage *
received(const char *number, const char *text)
{
	GSM_SMSMessage *m = calloc(1, sizeof *m);
	DecodeUTF8(m->Number, number, strlen(number));
	DecodeUTF8(m->Text, text, strlen(text));
	m->Length = (int)UnicodeLength(m->Text);
	m->Coding = SMS_Coding_Unicode_No_Compression;
	m->PDU = SMS_Deliver;
	m->UDH.Type = UDH_NoUDH;
	m->DateTime.Year = 2024;
	m->DateTime.Month = 5;
	m->DateTime.Day = 1;
	m->DateTime.Hour = 10;
	m->DateTime.Minute = 15;
	return m;
}

static void
test_sender_address(void)
{
	char out[IDENTITY_ADDR_MAX];
	struct { const char *raw, *want; } cases[] = {
		{ "0901234567", "+84901234567" }, { "+84901234567", "+84901234567" },
		{ "84901234567", "+84901234567" }, { "1900", "1900" }, { "VIETTEL", "VIETTEL" },
		{ "+84-90x", "+8490" }, { "", "unknown" },
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		GSM_SMSMessage *m = received(cases[i].raw, "x");
		smscodec_sender(m, out, sizeof out);
		CHECK_STR(out, cases[i].want);
		free(m);
	}
}

static void
test_text_of_parts(void)
{
	GSM_SMSMessage *m = received("+84901234567", "Có trộm\tở chợ\n");
	char *t = smscodec_text(m);
	CHECK_STR(t, "Có trộm ở chợ\n");          /* tab cleaned, line break kept */
	free(t);
	m->Coding = SMS_Coding_8bit;
	t = smscodec_text(m);
	CHECK_STR(t, SMSCODEC_DATA_TEXT);
	free(t);
	/* decomposed input comes out composed (NFC) */
	GSM_SMSMessage *d = received("+84901234567", "Vie\xcc\x82\xcc\xa3t");
	t = smscodec_text(d);
	CHECK_STR(t, "Việt");
	free(t);
	free(d);
	free(m);
}

static void
test_ids(void)
{
	char keypath[256], err[256];
	snprintf(keypath, sizeof keypath, "/tmp/tinbao-unit-smskey-%d", (int)getpid());
	unlink(keypath);
	CHECK(identity_key_init(keypath, err, sizeof err) == 0);
	struct identity *id = identity_open(keypath, err, sizeof err);
	CHECK(id != NULL);
	if (!id)
		return;
	GSM_SMSMessage *m = received("+84901234567", "TT ABC234");
	char a[65], b[65], c[65], g1[33], g2[33];
	smscodec_message_id(id, "+84901234567", m, "TT ABC234", a);
	smscodec_message_id(id, "+84901234567", m, "TT ABC234", b);
	CHECK_STR(a, b);                                   /* a re-read maps to the same id */
	CHECK(strlen(a) == 64 && strstr(a, "901234567") == NULL);
	smscodec_message_id(id, "+84901234567", m, "TT ABC235", c);
	CHECK(strcmp(a, c) != 0);
	m->DateTime.Timezone = 7 * 3600;                   /* another SMSC time */
	smscodec_message_id(id, "+84901234567", m, "TT ABC234", c);
	CHECK(strcmp(a, c) != 0);
	smscodec_message_id(id, "+84901234568", m, "TT ABC234", c);
	CHECK(strcmp(b, c) != 0);
	/* without an SMSC time two equal texts are told apart by location */
	m->DateTime.Year = 0;
	m->Location = 10001;
	smscodec_message_id(id, "+84901234567", m, "TT ABC234", b);
	m->Location = 10002;
	smscodec_message_id(id, "+84901234567", m, "TT ABC234", c);
	CHECK(strcmp(b, c) != 0 && strcmp(a, b) != 0);
	smscodec_group_id(id, "+84901234567", 0x42, 2, g1);
	smscodec_group_id(id, "+84901234567", 0x43, 2, g2);
	CHECK(strlen(g1) == 32 && strcmp(g1, g2) != 0);
	smscodec_group_id(id, "+84901234567", 0x42, 2, g2);
	CHECK_STR(g1, g2);
	free(m);
	identity_close(id);
	unlink(keypath);
}

static void
test_network_text(void)
{
	GSM_NetworkInfo net;
	char out[64];
	memset(&net, 0, sizeof net);
	snprintf(net.NetworkCode, sizeof net.NetworkCode, "452 04");
	DecodeUTF8(net.NetworkName, "Viettel", 7);
	net.State = GSM_HomeNetwork;
	smscodec_network(&net, out, sizeof out);
	CHECK_STR(out, "452 04 Viettel (home)");
	memset(&net, 0xff, sizeof net);                    /* nothing terminated */
	net.State = GSM_RoamingNetwork;
	smscodec_network(&net, out, sizeof out);
	CHECK(strlen(out) < sizeof out);
}

static int
rm_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

/* The section's keys reach gammu through a private gammurc that is gone
 * afterwards, and a dummy phone then connects with them. */
static void
test_configure_a_state_machine(void)
{
	char tmp[] = "/tmp/tinbao-unit-gammu-XXXXXX";
	CHECK(mkdtemp(tmp) != NULL);
	char dev[300], log[300];
	snprintf(dev, sizeof dev, "%s/phone", tmp);
	snprintf(log, sizeof log, "%s/gammu.log", tmp);
	CHECK(mkdir(dev, 0700) == 0);
	char *keys[] = { "device", "connection", "model", "logfile", "logformat" };
	char *values[] = { dev, "none", "dummy", log, "textall" };
	char *old = getenv("TMPDIR") ? strdup(getenv("TMPDIR")) : NULL;
	setenv("TMPDIR", tmp, 1);
	char err[256] = "";
	GSM_StateMachine *s = GSM_AllocStateMachine();
	CHECK(smscodec_configure(s, "sim1", keys, values, 5, err, sizeof err) == 0);
	CHECK_STR(GSM_GetConfig(s, 0)->Device, dev);
	CHECK_STR(GSM_GetConfig(s, 0)->Connection, "none");
	CHECK(GSM_GetConfig(s, 0)->UseGlobalDebugFile == FALSE);
	DIR *d = opendir(tmp);
	int left = 0;
	for (struct dirent *e; d && (e = readdir(d));)
		left += strncmp(e->d_name, "tinbao-gammurc-", 15) == 0;
	if (d)
		closedir(d);
	CHECK(left == 0);
	CHECK(GSM_InitConnection_Log(s, 1, NULL, NULL) == ERR_NONE);
	GSM_SMSMemoryStatus st;
	CHECK(GSM_GetSMSStatus(s, &st) == ERR_NONE);
	CHECK(GSM_TerminateConnection(s) == ERR_NONE);
	struct stat sb;
	CHECK(stat(log, &sb) == 0 && sb.st_size > 0);      /* logfile/logformat honoured */
	GSM_FreeStateMachine(s);
	/* one key = value line each */
	char *bad_values[] = { dev, "none\nmodel = at" };
	s = GSM_AllocStateMachine();
	CHECK(smscodec_configure(s, "sim1", keys, bad_values, 2, err, sizeof err) == -1);
	GSM_FreeStateMachine(s);
	if (old) {
		setenv("TMPDIR", old, 1);
		free(old);
	} else {
		unsetenv("TMPDIR");
	}
	CHECK(nftw(tmp, rm_entry, 16, FTW_DEPTH | FTW_PHYS) == 0);
}

static void setup(void) { multi = calloc(1, sizeof *multi); }
static void teardown(void) { free(multi); multi = NULL; }

static void test_begin(void) { setup(); CHECK(multi != NULL); }
static void test_end(void) { teardown(); }

UNIT_MAIN(
	UNIT(test_begin),
	UNIT(test_160_gsm7_chars_are_one_part),
	UNIT(test_161_gsm7_chars_are_two_parts),
	UNIT(test_70_vietnamese_chars_are_one_ucs2_part),
	UNIT(test_71_vietnamese_chars_are_two_parts),
	UNIT(test_unaccented_text_stays_gsm7),
	UNIT(test_over_the_cap_is_refused),
	UNIT(test_bad_input_is_refused),
	UNIT(test_reference_is_ours_and_distinct),
	UNIT(test_ucs2_part_round_trip_through_a_tpdu),
	UNIT(test_gsm7_round_trip_through_a_tpdu),
	UNIT(test_data_and_time),
	UNIT(test_emoji_survive),
	UNIT(test_sender_address),
	UNIT(test_text_of_parts),
	UNIT(test_ids),
	UNIT(test_network_text),
	UNIT(test_configure_a_state_machine),
	UNIT(test_end)
)
