/* smscodec — turning text into SMS parts and received parts back into text,
 * with libgammu's encoder but no state machine (libgammu's global debug info
 * only), so it is unit-testable and fuzzable on its own; and the other pure
 * helpers of the modem thread: the ids of received messages, network text,
 * and a [modem NAME] section handed to a fresh state machine.
 *
 * Any thread; no state of its own. Outgoing texts become GSM-7 when they fit
 * the default alphabet and UCS-2 otherwise (SMS_ConcatenatedAutoTextLong);
 * long texts become concatenated parts carrying the caller's 8-bit reference
 * instead of gammu's clock-derived one. Text and numbers cross the boundary
 * as UTF-8 (DecodeUTF8/EncodeUTF8: never the locale-dependent helpers).
 * Included by modem/ only (and its tests): it is where <gammu.h> lives.
 */
#ifndef TINBAO_SMSCODEC_H
#define TINBAO_SMSCODEC_H

#include <gammu.h>
#include <stddef.h>

struct identity;

/* The text admitted for a part whose payload is binary (8-bit data or a
 * compressed coding gammu cannot read). */
#define SMSCODEC_DATA_TEXT "[tin nhắn dạng dữ liệu, không đọc được]"
/* Longest destination number accepted, in characters. */
#define SMSCODEC_NUMBER_MAX 20

/* Encode the UTF-8 text for `number` into *out (overwritten; the caller owns
 * it and should put it on the heap: it is 265 kB). Every part of a
 * multipart message carries `ref` as its 8-bit concatenation reference.
 * Returns the number of parts (1..max_parts), or -1 with the reason in err:
 * "too long: ..." when the text needs more than max_parts parts (a refusal,
 * never a truncation), or why the text or number cannot be encoded. */
int smscodec_encode(const char *utf8, const char *number, unsigned char ref, int max_parts,
    GSM_MultiSMSMessage *out, char *err, size_t errlen);

/* The UTF-8 text of one received part: malloc'd, the caller frees it. For a
 * binary part (8-bit data, compressed codings) returns NULL with *is_data
 * set; NULL with *is_data == 0 means out of memory. */
char *smscodec_decode(const GSM_SMSMessage *m, int *is_data);

/* The part's sender (or recipient) number as UTF-8 into out (always
 * NUL-terminated; cut to outsz). The caller wipes it after use. */
void smscodec_number(const GSM_SMSMessage *m, char *out, size_t outsz);

/* The part's SMSC timestamp as unix time (the timezone the SMSC gave is
 * applied), or 0 when the part carries none. */
long long smscodec_time(const GSM_SMSMessage *m);

/* The sender of a received part as the address tinbao keeps (sealed):
 * normalised to +84... (phone_normalize), else its digits, else as
 * it is (an alphanumeric sender), else "unknown". The caller wipes it. */
void smscodec_sender(const GSM_SMSMessage *m, char *out, size_t outsz);

/* The text to admit for one received part: its UTF-8 cleaned (NFC, no
 * control characters), or SMSCODEC_DATA_TEXT for a binary part. malloc'd;
 * NULL only when memory runs out. */
char *smscodec_text(const GSM_SMSMessage *m);

/* The channel message id of a message standing alone: a keyed digest of
 * sender, SMSC time with its zone and text, so a re-read SMS gets the same
 * id and the id tells nothing about the sender (a part without SMSC time
 * uses its folder and location instead). 64 hex digits + NUL. */
void smscodec_message_id(const struct identity *id, const char *sender,
    const GSM_SMSMessage *first, const char *text, char out[65]);
/* The group of a part of a long SMS: keyed digest of sender, reference and
 * part count. 32 hex digits + NUL. */
void smscodec_group_id(const struct identity *id, const char *sender, int ref, int total,
    char out[33]);

/* Give a freshly allocated state machine the section's gammu keys exactly as
 * given, through a private gammurc (mkstemp under $TMPDIR or /tmp, mode
 * 0600, every line ending in \n, deleted at once), read with GSM_FindGammuRC
 * and GSM_ReadConfig; then UseGlobalDebugFile = FALSE (so the section's
 * logfile/logformat apply) and GSM_SetConfigNum(s, 1). Nothing connects.
 * 0, or -1 with the reason in err. */
int smscodec_configure(GSM_StateMachine *s, const char *name, char *const *keys,
    char *const *values, size_t n, char *err, size_t errlen);

/* Network code, name and registration state for logs and health. */
void smscodec_network(const GSM_NetworkInfo *net, char *out, size_t outsz);

/* 1 if the part belongs to a concatenated message (8- or 16-bit reference,
 * more than one part), with its reference, position (1-based) and total;
 * 0 for a message that stands alone. */
int smscodec_concat(const GSM_SMSMessage *m, int *ref, int *seq, int *total);

#endif
