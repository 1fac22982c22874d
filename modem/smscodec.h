/* smscodec — turning text into SMS parts and back, with libgammu's encoder
 * but no state machine. Any thread (libgammu's global debug info only).
 * GSM-7 when the text fits the default alphabet, UCS-2 otherwise; long texts
 * become concatenated parts with our own 8-bit reference.
 */
#ifndef TINBAO_SMSCODEC_H
#define TINBAO_SMSCODEC_H

#include <gammu.h>
#include <stddef.h>

/* Encode utf8 for `number` into out. Returns the number of parts, or -1 with
 * a reason in err (more than max_parts, encoding failure). */
int smscodec_encode(const char *utf8, const char *number, unsigned char ref, int max_parts,
    GSM_MultiSMSMessage *out, char *err, size_t errlen);
/* The UTF-8 text of one received part (malloc'd, free()); 8-bit data parts
 * come back as NULL with *is_data set. */
char *smscodec_decode(const GSM_SMSMessage *m, int *is_data);
/* The sender or recipient number of a part as UTF-8 into out. */
void smscodec_number(const GSM_SMSMessage *m, char *out, size_t outsz);
/* The part's SMSC timestamp as unix time (0 if unset). */
long long smscodec_time(const GSM_SMSMessage *m);

#endif
