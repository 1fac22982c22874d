/* messages — see messages.h. */
#include "gateway/messages.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/category.h"
#include "gateway/config.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"

/* The citizen's text made one line that cannot pass for the message's own:
 * line breaks (LF, CR, U+2028, U+2029, NEL) become " ⏎ ", the quote marks
 * that fence it become '"', direction marks and bidi controls go. Valid
 * UTF-8 in (text_clean output); malloc'd, NULL when memory ran out. */
static char *
one_line(const char *s)
{
	char *clean = text_clean(s, strlen(s));
	if (!clean)
		return NULL;
	size_t len = strlen(clean);
	char *out = malloc(len * 2 + 8);        /* each break of 1..3 bytes grows to 5 */
	if (!out) {
		free(clean);
		return NULL;
	}
	size_t o = 0;
	for (size_t i = 0; i < len;) {
		const unsigned char *p = (const unsigned char *)clean + i;
		if (*p == '\n' || *p == '\r') {
			memcpy(out + o, " \xe2\x8f\x8e ", 5);        /* U+23CE */
			o += 5;
			i++;
		} else if (p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0xA8 || p[2] == 0xA9)) {
			memcpy(out + o, " \xe2\x8f\x8e ", 5);        /* U+2028, U+2029 */
			o += 5;
			i += 3;
		} else if (p[0] == 0xC2 && (p[1] == 0xAB || p[1] == 0xBB)) {
			out[o++] = '"';                                /* « » */
			i += 2;
		} else if ((p[0] == 0xE2 && p[1] == 0x80 && (p[2] == 0x8E || p[2] == 0x8F ||
		    (p[2] >= 0xAA && p[2] <= 0xAE))) || (p[0] == 0xE2 && p[1] == 0x81 &&
		    p[2] >= 0xA6 && p[2] <= 0xA9)) {
			i += 3;                        /* LRM, RLM, U+202A-E, U+2066-9 */
		} else {
			out[o++] = clean[i++];
		}
	}
	out[o] = '\0';
	free(clean);
	return out;
}

/* The citizen's text as an officer's message quotes it: one block between
 * « and » that holds no line of the message's own (one_line), at most
 * MSG_EXCERPT_CHARS characters and MSG_EXCERPT_BYTES bytes, cut at a
 * character boundary; a cut is marked after the block with how much is left
 * (the whole text is in the tip: tinbao tip show). Every channel sends this
 * form (SMS makes it "..." and " / "). */
static void
excerpt(const char *text, char *out, size_t outsz)
{
	char *s = one_line(text ? text : "");
	if (!s) {
		snprintf(out, outsz, "«?»");
		return;
	}
	size_t total = text_chars(s), max = MSG_EXCERPT_CHARS;
	char *t = text_truncate(s, max);
	while (t && strlen(t) > MSG_EXCERPT_BYTES && max > 20) {
		free(t);
		max -= 20;
		t = text_truncate(s, max);
	}
	if (!t)
		snprintf(out, outsz, "«?»");
	else if (strcmp(t, s) != 0)
		snprintf(out, outsz, "«%s» [đã cắt, còn %zu ký tự]", t, total - (text_chars(t) - 1));
	else
		snprintf(out, outsz, "«%s»", t);
	free(t);
	free(s);
}

static void
minutes(int64_t s, char *out, size_t outsz)
{
	if (s < 90)
		snprintf(out, outsz, "%lld giây", (long long)s);
	else
		snprintf(out, outsz, "%lld phút", (long long)((s + 30) / 60));
}

const char *
msg_channel_name(const char *channel)
{
	if (channel && strcmp(channel, "zalo_oa") == 0)
		return "Zalo OA";
	if (channel && strcmp(channel, "zalo_bot") == 0)
		return "Zalo";
	return "SMS";
}

void
msg_receipt(const struct config *cfg, const char *id, const char *code, char *out)
{
	/* one GSM-7 part without marks (domain.md §7: the first reply fits one
	 * part) for a ward name of up to 20 characters */
	snprintf(out, MSG_MAX, "Công an %s đã nhận tin báo. Mã: %s. "
	    "Danh tính của bạn được giữ bí mật. Bổ sung: soạn %s nội dung. "
	    "Hỏi: TT %s. Khẩn cấp gọi 113.", cfg->ward, id, code, code);
}

void
msg_followup_stored(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Đã bổ sung vào tin báo %s. Cảm ơn bạn.", id);
}

void
msg_followup_partial(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Đã bổ sung vào tin báo %s phần tin nhắn nhận được; một phần bị "
	    "thiếu, xin gửi lại phần còn thiếu. Cảm ơn bạn.", id);
}

void
msg_status_waiting(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Tin báo %s: đã tiếp nhận, đang chờ cán bộ xử lý.", id);
}

void
msg_status_acknowledged(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Tin báo %s: cán bộ đã nhận, đang xác minh.", id);
}

void
msg_status_passed(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Tin báo %s: đã chuyển cơ quan có thẩm quyền giải quyết.", id);
}

void
msg_status_closed(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Tin báo %s: đã xử lý xong. Cảm ơn bạn.", id);
}

void
msg_status_not_found(const char *what, char *out)
{
	snprintf(out, MSG_MAX, "Không tìm thấy tin báo %s. Kiểm tra lại mã.", what);
}

void
msg_ack_notice(const struct config *cfg, const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Tin báo %s đã được cán bộ Công an %s tiếp nhận xử lý. "
	    "Cán bộ có thể hỏi thêm qua kênh này.", id, cfg->ward);
}

void
msg_closed_notice(const char *id, char *out)
{
	msg_status_closed(id, out);
}

void
msg_group_steer(char *out)
{
	snprintf(out, MSG_MAX, "Tin nhắn trong nhóm ai cũng đọc được. Để báo tin bí mật, hãy nhắn "
	    "riêng cho Bot. Khẩn cấp gọi 113. (Tin nhắn tự động)");
}

void
msg_new_tip(const char *id, const char *code, int64_t created, const char *channel,
    int urgent, const char *category, const char *text, int64_t deadline, const char *note,
    char *out)
{
	char at[16], until[16], body[MSG_MAX];
	timeutil_format_hm(created, at, sizeof at);
	timeutil_format_hm(deadline, until, sizeof until);
	excerpt(text, body, sizeof body);
	char kind[64] = "";
	if (category && strcmp(category, "khac") != 0)
		snprintf(kind, sizeof kind, "\nLoại (gợi ý): %s", category_name(category));
	snprintf(out, MSG_MAX, "%s %s %s qua %s%s%s.%s\nNội dung: %s\nNhận: OK %s trước %s.",
	    urgent ? "KHẨN ·" : "TIN BÁO MỚI", id, at, msg_channel_name(channel),
	    note && *note ? ". " : "", note ? note : "", kind, body, code, until);
}

void
msg_escalated(const char *id, const char *code, int to_level, int64_t waited_s,
    const char *text, int64_t deadline, const char *note, char *out)
{
	char waited[32], until[16], body[MSG_MAX];
	minutes(waited_s, waited, sizeof waited);
	timeutil_format_hm(deadline, until, sizeof until);
	excerpt(text, body, sizeof body);
	snprintf(out, MSG_MAX, "CHUYỂN CẤP %d · %s chưa có người nhận sau %s%s%s.\n"
	    "Nội dung: %s\nNhận: OK %s trước %s.", to_level, id, waited,
	    note && *note ? ". " : "", note ? note : "", body, code, until);
}

void
msg_reminder(const char *id, const char *code, int level, int64_t waited_s, char *out)
{
	char waited[32];
	minutes(waited_s, waited, sizeof waited);
	snprintf(out, MSG_MAX, "NHẮC · %s vẫn chưa có người nhận sau %s, đã chuyển cấp %d. "
	    "Nhận: OK %s.", id, waited, level, code);
}

void
msg_repeat(const char *id, const char *code, int64_t waited_s, char *out)
{
	char waited[32];
	minutes(waited_s, waited, sizeof waited);
	snprintf(out, MSG_MAX, "BÁO ĐỘNG · %s chưa có ai nhận sau %s, đã qua mọi cấp. "
	    "Nhận ngay: OK %s.", id, waited, code);
}

void
msg_call_instead(const char *id, const char *code, int level, int64_t waited_s, char *out)
{
	char waited[32];
	minutes(waited_s, waited, sizeof waited);
	snprintf(out, MSG_MAX, "GỌI KHÔNG ĐƯỢC · Tổng đài không gọi được vào máy đồng chí: %s "
	    "chưa có người nhận sau %s (cấp %d). Nhận: OK %s.", id, waited, level, code);
}

void
msg_test_call_instead(char *out)
{
	snprintf(out, MSG_MAX, "THỬ ĐƯỜNG DÂY · Tổng đài không gọi thử được vào máy này (không "
	    "modem nào gọi được); tin nhắn này thay cho cuộc gọi.");
}

/* The officer's confirmation says whether the citizen was told. */
static const char *
citizen_told(int told)
{
	return told ? "Người báo đã được thông báo." :
	    "Tin này không có địa chỉ liên lạc lại: người báo không được thông báo.";
}

void
msg_ack_confirm(const char *id, int64_t at, int told, char *out)
{
	char hm[16];
	timeutil_format_hm(at, hm, sizeof hm);
	snprintf(out, MSG_MAX, "Đã ghi nhận: đồng chí nhận %s lúc %s. %s", id, hm,
	    citizen_told(told));
}

void
msg_stand_down(const char *id, const char *officer_name, int64_t at, char *out)
{
	char hm[16];
	timeutil_format_hm(at, hm, sizeof hm);
	snprintf(out, MSG_MAX, "%s đã có người nhận (Đ/c %s, %s).", id, officer_name, hm);
}

void
msg_already_acked(const char *id, const char *officer_name, int64_t at, char *out)
{
	char hm[16];
	timeutil_format_hm(at, hm, sizeof hm);
	snprintf(out, MSG_MAX, "%s đã được Đ/c %s nhận lúc %s. Không thay đổi gì.", id,
	    officer_name ? officer_name : "?", hm);
}

void
msg_already_closed(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "%s đã đóng. Không thay đổi gì.", id);
}

void
msg_close_confirm(const char *id, int told, char *out)
{
	snprintf(out, MSG_MAX, "Đã đóng %s. %s", id, citizen_told(told));
}

void
msg_unknown_tip(const char *what, char *out)
{
	snprintf(out, MSG_MAX, "Không tìm thấy tin báo %s.", what);
}

void
msg_not_yours(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Không thực hiện: đồng chí không phụ trách tin %s (không nhận, không "
	    "được báo tin này và không trực ở cấp của tin).", id);
}

void
msg_closed_by_other(const char *id, const char *by_name, int64_t at, char *out)
{
	char hm[16];
	timeutil_format_hm(at, hm, sizeof hm);
	snprintf(out, MSG_MAX, "%s đã được Đ/c %s đóng lúc %s.", id, by_name ? by_name : "?", hm);
}

void
msg_transferred_by_other(const char *id, const char *by_name, const char *to_name, int64_t at,
    char *out)
{
	char hm[16];
	timeutil_format_hm(at, hm, sizeof hm);
	snprintf(out, MSG_MAX, "%s đã được Đ/c %s chuyển cho Đ/c %s lúc %s.", id,
	    by_name ? by_name : "?", to_name ? to_name : "?", hm);
}

void
msg_bad_id(const char *token, char *out)
{
	snprintf(out, MSG_MAX, "Mã tin báo không hợp lệ: %s. Mã có dạng TB-7KM4Q9.", token);
}

void
msg_none_waiting(char *out)
{
	snprintf(out, MSG_MAX, "Không có tin nào đang chờ đồng chí nhận.");
}

void
msg_several_waiting(const char *const *ids, size_t n, char *out)
{
	char list[MSG_MAX] = "";
	size_t used = 0;
	for (size_t i = 0; i < n && used < sizeof list - 20; i++) {
		int w = snprintf(list + used, sizeof list - used, "%s%s", i ? ", " : "", ids[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
	snprintf(out, MSG_MAX, "Có %zu tin đang chờ đồng chí: %s. Trả lời OK <mã> cho từng tin.",
	    n, list);
}

void
msg_citizen_added(const char *id, int64_t at, const char *text, char *out)
{
	char hm[16], body[MSG_MAX];
	timeutil_format_hm(at, hm, sizeof hm);
	excerpt(text, body, sizeof body);
	snprintf(out, MSG_MAX, "%s · người báo bổ sung %s:\n%s", id, hm, body);
}

void
msg_officer_help(char *out)
{
	snprintf(out, MSG_MAX, "Không hiểu lệnh. Dùng: OK <mã> (nhận) · OK (nhận tin duy nhất "
	    "đang chờ) · XONG <mã> [ghi chú] (đóng) · HOI <mã> <câu hỏi> · CHUYEN <mã> <cán bộ> · "
	    "DS (danh sách tin).");
}

void
msg_usage(const char *command, char *out)
{
	snprintf(out, MSG_MAX, "Thiếu mã tin báo. Dùng: %s <mã>, ví dụ %s 7KM4Q9.", command, command);
}

void
msg_missing(const char *what, const char *usage, char *out)
{
	snprintf(out, MSG_MAX, "Thiếu %s. Dùng: %s.", what, usage);
}

void
msg_transfer_self(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "%s: đồng chí không chuyển tin cho chính mình được. Dùng: CHUYEN "
	    "<mã> <số điện thoại hoặc mã cán bộ của người nhận>.", id);
}

void
msg_not_available(const char *command, char *out)
{
	snprintf(out, MSG_MAX, "Lệnh %s chưa dùng được trên hệ thống này. Dùng: OK <mã>, "
	    "XONG <mã>, DS.", command);
}

void
msg_ds_line(const char *id, const char *status_word, int64_t at, char *out, size_t outsz)
{
	char hm[32];
	timeutil_format_hm_dm(at, hm, sizeof hm);
	snprintf(out, outsz, "%s %s %s", id, status_word, hm);
}

void
msg_ds(const char *const *lines, size_t n, char *out)
{
	if (n == 0) {
		snprintf(out, MSG_MAX, "Đồng chí không có tin nào đang mở.");
		return;
	}
	size_t used = (size_t)snprintf(out, MSG_MAX, "%zu tin đang mở:", n);
	for (size_t i = 0; i < n && used < MSG_MAX - 1; i++) {
		int w = snprintf(out + used, MSG_MAX - used, "%s%s", i ? "; " : " ", lines[i]);
		if (w < 0)
			break;
		used += (size_t)w;
	}
}

void
msg_daily_head(int64_t now, size_t open, size_t waiting, size_t unacked, char *out, size_t outsz)
{
	char day[16];
	timeutil_format_dmy(now, day, sizeof day);
	snprintf(out, outsz, "TÓM TẮT CA TRỰC %s: %zu tin đang mở, %zu tin chưa có người nhận, "
	    "%zu tin chờ ca trực (không có ai trực).", day, open, unacked, waiting);
}

void
msg_clock_pass_on(const char *id, const struct tipclock *clk, char *out, size_t outsz)
{
	char at[16], left[32];
	timeutil_format_hm_dm(clk->pass_on.due, at, sizeof at);
	if (clk->pass_on.state != TIPCLOCK_RUNNING) {
		snprintf(out, outsz, "%s: đã quá hạn 24 giờ chuyển Cơ quan điều tra (%s).", id, at);
		return;
	}
	int64_t s = clk->pass_on.due - clk->now;
	if (s >= 3600)
		snprintf(left, sizeof left, "%lld giờ", (long long)(s / 3600));
	else
		snprintf(left, sizeof left, "%lld phút", (long long)((s + 59) / 60));
	snprintf(out, outsz, "%s: còn %s đến hạn 24 giờ chuyển Cơ quan điều tra (%s).", id, left, at);
}

void
msg_clock_notice(const char *id, const struct tipclock *clk, char *out, size_t outsz)
{
	char dm[16];
	snprintf(dm, sizeof dm, "%02d/%02d", clk->notice.day.d, clk->notice.day.m);
	if (clk->notice.state != TIPCLOCK_RUNNING)
		snprintf(out, outsz, "%s: đã quá hạn gửi thông báo kết quả tiếp nhận cho VKS và người "
		    "báo (%s).", id, dm);
	else
		snprintf(out, outsz, "%s: hạn gửi thông báo kết quả tiếp nhận cho VKS và người báo: "
		    "%s.", id, dm);
}

void
msg_modem_down(const struct config *cfg, const char *name, int64_t since, const char *why,
    char *out)
{
	char at[32];
	timeutil_format_hm_dm(since, at, sizeof at);
	snprintf(out, MSG_MAX, "CẢNH BÁO: modem SMS %s của Công an %s mất kết nối từ %s (%s). "
	    "Tin báo qua SMS không đến và tin nhắn SMS không gửi được cho đến khi modem hoạt động "
	    "lại; Zalo vẫn hoạt động. Đề nghị kiểm tra modem, dây cáp và SIM.", name, cfg->ward, at,
	    why);
}

void
msg_modem_back(const struct config *cfg, const char *name, int64_t since, int64_t now,
    char *out)
{
	char at[32];
	int64_t min = (now - since + 59) / 60;
	timeutil_format_hm_dm(now, at, sizeof at);
	snprintf(out, MSG_MAX, "Modem SMS %s của Công an %s đã hoạt động lại lúc %s (mất kết nối "
	    "%lld phút). Các tin SMS chờ đang được gửi đi.", name, cfg->ward, at, (long long)min);
}

void
msg_daily_none(char *out, size_t outsz)
{
	snprintf(out, outsz, "Không có hạn luật định nào trong 24 giờ tới.");
}

void
msg_daily_more(size_t more, char *out, size_t outsz)
{
	snprintf(out, outsz, "... và %zu hạn khác: xem tinbao due.", more);
}

/* ------------------------------------------------- relay, handover, abuse */

void
msg_relay_question(const char *id, const char *code, const char *question, char *out)
{
	/* whole: relay.c refuses questions longer than RELAY_QUESTION_MAX; a
	 * question typed without its mark gets one, so that it does not run on
	 * into "Trả lời" */
	size_t len = strlen(question);
	int ends = len > 0 && strchr(".?!", question[len - 1]) != NULL;
	snprintf(out, MSG_MAX, "Cán bộ hỏi về tin %s: %s%s Trả lời: %s nội dung", id, question,
	    ends ? "" : "?", code);
}

void
msg_relay_sent(const char *id, char *out)
{
	snprintf(out, MSG_MAX, "Đã gửi câu hỏi cho người báo %s. Câu trả lời sẽ chuyển đến "
	    "đồng chí.", id);
}

void
msg_relay_failed(const char *id, const char *channel, int window_closed, char *out)
{
	snprintf(out, MSG_MAX, "Không gửi được: người báo %s không còn liên lạc được qua %s%s.", id,
	    msg_channel_name(channel), window_closed ? " (quá 7 ngày)" : "");
}

void
msg_relay_too_long(size_t chars, size_t max, char *out)
{
	snprintf(out, MSG_MAX, "Câu hỏi dài %zu ký tự, tối đa %zu. Chưa gửi; hãy hỏi ngắn hơn.",
	    chars, max);
}

void
msg_relay_answer(const char *id, int64_t at, const char *text, char *out)
{
	char hm[16], body[MSG_MAX];
	timeutil_format_hm(at, hm, sizeof hm);
	excerpt(text, body, sizeof body);
	snprintf(out, MSG_MAX, "%s · người báo trả lời %s:\n%s", id, hm, body);
}

void
msg_transfer(const char *id, const char *code, const char *from_name, const char *text,
    char *out)
{
	char body[MSG_MAX];
	excerpt(text, body, sizeof body);
	snprintf(out, MSG_MAX, "%s được Đ/c %s chuyển cho đồng chí. Trả lời OK %s để nhận.\n"
	    "Nội dung: %s", id, from_name, code, body);
}

void
msg_transfer_done(const char *id, const char *to_name, char *out)
{
	snprintf(out, MSG_MAX, "Đã chuyển %s cho Đ/c %s. Đồng chí không còn phụ trách tin này.", id,
	    to_name);
}

void
msg_transfer_unknown_officer(const char *who, char *out)
{
	snprintf(out, MSG_MAX, "Không tìm thấy cán bộ \"%s\". Dùng: CHUYEN <mã> <số điện thoại "
	    "hoặc mã cán bộ>.", who);
}

void
msg_rate_limited(char *out)
{
	snprintf(out, MSG_MAX, "Bạn gửi quá nhiều tin. Vui lòng thử lại sau. Khẩn cấp gọi 113.");
}

void
msg_flood_summary(const char *const *ids, size_t n, int more, char *out)
{
	size_t used = (size_t)snprintf(out, MSG_MAX, "Trong lúc mất liên lạc có %s%zu tin đang chờ "
	    "đồng chí%s:", more ? "hơn " : "", n, more ? ", trong đó" : "");
	for (size_t i = 0; i < n && used < MSG_MAX - 1; i++)
		used += (size_t)snprintf(out + used, MSG_MAX - used, "%s %s", i ? "," : "", ids[i]);
	if (used < MSG_MAX - 1)
		snprintf(out + used, MSG_MAX - used, ". Trả lời OK <mã> cho từng tin, DS để xem.");
}

void
msg_test(const struct config *cfg, const char *channel, int64_t at, char *out)
{
	char when[32];
	timeutil_format_hm_dm(at, when, sizeof when);
	snprintf(out, MSG_MAX, "Tin nhắn thử của hệ thống tin báo Công an %s (%s, %s): đường dây "
	    "báo tin tới đồng chí hoạt động. Không cần trả lời.", cfg->ward,
	    msg_channel_name(channel), when);
}
