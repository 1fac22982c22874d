/* smscodec — see smscodec.h. */
#include "modem/smscodec.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

int
smscodec_encode(const char *utf8, const char *number, unsigned char ref, int max_parts,
    GSM_MultiSMSMessage *out, char *err, size_t errlen)
{
	size_t len = strlen(utf8);
	/* a cheap bound before encoding: 153 GSM-7 characters per part at best */
	if (len == 0 || len > (size_t)max_parts * 153 * 4) {
		snprintf(err, errlen, len ? "text too long (%zu bytes)" : "empty text", len);
		return -1;
	}
	unsigned char *u = calloc(len + 1, 2 + 2);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	DecodeUTF8(u, utf8, len);
	GSM_MultiPartSMSInfo info;
	GSM_ClearMultiPartSMSInfo(&info);
	info.EntriesNum = 1;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;
	info.Entries[0].Buffer = u;
	memset(out, 0, sizeof *out);
	GSM_Error e = GSM_EncodeMultiPartSMS(GSM_GetGlobalDebug(), &info, out);
	free(u);                         /* Buffer is ours: not GSM_FreeMultiPartSMSInfo */
	if (e != ERR_NONE) {
		snprintf(err, errlen, "cannot encode: %s", GSM_ErrorString(e));
		return -1;
	}
	if (out->Number < 1 || out->Number > max_parts) {
		snprintf(err, errlen, "text needs %d SMS parts, more than the %d allowed",
		    out->Number, max_parts);
		return -1;
	}
	for (int i = 0; i < out->Number; i++) {
		GSM_SMSMessage *p = &out->SMS[i];
		if (out->Number > 1 && p->UDH.Type == UDH_ConcatenatedMessages) {
			p->UDH.ID8bit = ref;
			GSM_EncodeUDHHeader(GSM_GetGlobalDebug(), &p->UDH);
		}
		DecodeUTF8(p->Number, number, strlen(number));
		p->PDU = SMS_Submit;
	}
	return out->Number;
}

char *
smscodec_decode(const GSM_SMSMessage *m, int *is_data)
{
	*is_data = 0;
	if (m->Coding == SMS_Coding_8bit) {
		*is_data = 1;
		return NULL;
	}
	size_t units = UnicodeLength(m->Text);
	char *out = malloc(units * 4 + 1);
	if (!out)
		return NULL;
	out[0] = '\0';
	EncodeUTF8(out, m->Text);
	return out;
}

void
smscodec_number(const GSM_SMSMessage *m, char *out, size_t outsz)
{
	char buf[GSM_MAX_NUMBER_LENGTH * 4 + 8];
	buf[0] = '\0';
	EncodeUTF8(buf, m->Number);
	snprintf(out, outsz, "%s", buf);
	memset(buf, 0, sizeof buf);
}

long long
smscodec_time(const GSM_SMSMessage *m)
{
	const GSM_DateTime *d = &m->DateTime;
	if (d->Year == 0)
		return 0;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d->Year - 1900;
	tm.tm_mon = d->Month - 1;
	tm.tm_mday = d->Day;
	tm.tm_hour = d->Hour;
	tm.tm_min = d->Minute;
	tm.tm_sec = d->Second;
	return (long long)timegm(&tm) - d->Timezone;
}
