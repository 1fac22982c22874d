/* messages — every text tinbao sends to a citizen or an officer, in proper
 * Vietnamese with diacritics (docs/domain.md §10). The không dấu form for
 * GSM-7 SMS is made from these by text_unaccent() in notify.c, so each text
 * exists once. Pure functions, any thread; they write into out (at most
 * MSG_MAX bytes) and never include a citizen's address.
 *
 * `id` arguments are the formatted tracking ID ("TB-7KM4QX"); `code` the bare
 * six characters ("7KM4QX") that a citizen or officer types back.
 */
#ifndef TINBAO_MESSAGES_H
#define TINBAO_MESSAGES_H

#include <stddef.h>
#include <stdint.h>

#define MSG_MAX 1200
#define MSG_EXCERPT_CHARS 240     /* tip text quoted in an officer notification */
#define MSG_EXCERPT_BYTES 640     /* ... and bytes, so the frame and its OK line always fit */

struct config;

/* to citizens */
void msg_receipt(const struct config *cfg, const char *id, const char *code, char *out);
void msg_followup_stored(const char *id, char *out);
/* The follow-up was an SMS with parts missing: only what came is stored. */
void msg_followup_partial(const char *id, char *out);
void msg_status_waiting(const char *id, char *out);
void msg_status_acknowledged(const char *id, char *out);
void msg_status_passed(const char *id, char *out);   /* passed on, not closed */
void msg_status_closed(const char *id, char *out);
void msg_status_not_found(const char *what, char *out);
void msg_ack_notice(const struct config *cfg, const char *id, char *out);
void msg_closed_notice(const char *id, char *out);

void msg_group_steer(char *out);

/* to officers */
void msg_new_tip(const char *id, const char *code, int64_t created, const char *channel,
    int urgent, const char *category, const char *text, int64_t deadline, const char *note,
    char *out);
void msg_escalated(const char *id, const char *code, int to_level, int64_t waited_s,
    const char *text, int64_t deadline, const char *note, char *out);
void msg_reminder(const char *id, const char *code, int level, int64_t waited_s, char *out);
void msg_repeat(const char *id, const char *code, int64_t waited_s, char *out);
/* The SMS that replaces a call that could not be made (no modem can call,
 * or every try failed); and the one that replaces a test call. */
void msg_call_instead(const char *id, const char *code, int level, int64_t waited_s, char *out);
void msg_test_call_instead(char *out);
/* told: whether the citizen was told (0: the tip has no reply address) */
void msg_ack_confirm(const char *id, int64_t at, int told, char *out);
void msg_stand_down(const char *id, const char *officer_name, int64_t at, char *out);
void msg_already_acked(const char *id, const char *officer_name, int64_t at, char *out);
void msg_already_closed(const char *id, char *out);
void msg_close_confirm(const char *id, int told, char *out);
void msg_unknown_tip(const char *what, char *out);
/* One line: the officer may not act on this tip (gateway/tipauth.h). */
void msg_not_yours(const char *id, char *out);
/* To the owner and everyone told, when somebody else closed the tip or
 * handed it over. */
void msg_closed_by_other(const char *id, const char *by_name, int64_t at, char *out);
void msg_transferred_by_other(const char *id, const char *by_name, const char *to_name,
    int64_t at, char *out);
void msg_bad_id(const char *token, char *out);
void msg_none_waiting(char *out);
/* ids: formatted tracking IDs */
void msg_several_waiting(const char *const *ids, size_t n, char *out);
void msg_citizen_added(const char *id, int64_t at, const char *text, char *out);
void msg_officer_help(char *out);
void msg_usage(const char *command, char *out);
/* "Thiếu câu hỏi. Dùng: HOI <mã> <câu hỏi>." */
void msg_missing(const char *what, const char *usage, char *out);
void msg_transfer_self(const char *id, char *out);
void msg_not_available(const char *command, char *out);
/* One line per tip for DS; lines[] formatted by the caller with msg_ds_line. */
void msg_ds_line(const char *id, const char *status_word, int64_t at, char *out, size_t outsz);
void msg_ds(const char *const *lines, size_t n, char *out);

/* relay, handover, abuse control, flood guard */
void msg_relay_question(const char *id, const char *code, const char *question, char *out);
void msg_relay_sent(const char *id, char *out);
/* window_closed: Zalo OA's 7-day window since the tipster last wrote. */
void msg_relay_failed(const char *id, const char *channel, int window_closed, char *out);
void msg_relay_too_long(size_t chars, size_t max, char *out);
void msg_relay_answer(const char *id, int64_t at, const char *text, char *out);
void msg_transfer(const char *id, const char *code, const char *from_name, const char *text,
    char *out);
void msg_transfer_done(const char *id, const char *to_name, char *out);
void msg_transfer_unknown_officer(const char *who, char *out);
void msg_rate_limited(char *out);
/* more: other tips wait besides the n named. */
void msg_flood_summary(const char *const *ids, size_t n, int more, char *out);
/* `tinbao test`: the line to an officer works, on channel, sent at `at`. */
void msg_test(const struct config *cfg, const char *channel, int64_t at, char *out);

const char *msg_channel_name(const char *channel);   /* "SMS", "Zalo OA", "Zalo" */

/* The daily duty summary to the shift leader (dailysum.c): a head line,
 * then one line per legal clock still asking for its act (domain.md §10.2,
 * the 24 h pass-on and the 3-day notice), each at most outsz bytes. The
 * clock is printed as tipclock_of() left it (running or overdue); in these
 * texts a deadline is "14:05 13/03", a day "17/03". */
struct tipclock;
void msg_daily_head(int64_t now, size_t open, size_t waiting, size_t unacked, char *out,
    size_t outsz);
void msg_clock_pass_on(const char *id, const struct tipclock *clk, char *out, size_t outsz);
void msg_clock_notice(const char *id, const struct tipclock *clk, char *out, size_t outsz);
void msg_daily_none(char *out, size_t outsz);

/* The modem alarm to the shift leaders (gateway/modemalarm.c), by Zalo:
 * modem `name` down since `since` (why: the fault in words), and back at
 * `now` after an outage that began at `since`. */
void msg_modem_down(const struct config *cfg, const char *name, int64_t since,
    const char *why, char *out);
void msg_modem_back(const struct config *cfg, const char *name, int64_t since, int64_t now,
    char *out);
void msg_daily_more(size_t more, char *out, size_t outsz);

#endif
