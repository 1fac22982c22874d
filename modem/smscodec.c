/* smscodec — see smscodec.h. */
#include "modem/smscodec.h"

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "gateway/identity.h"
#include "gateway/phone.h"
#include "gateway/text.h"

/* Most characters one part can hold (GSM-7 with a concatenation header),
 * and most bytes one character takes in UTF-8: together a cheap bound on the
 * input before anything is allocated or encoded. */
#define PART_CHARS_MAX 153
#define UTF8_BYTES_MAX 4

static int
number_ok(const char *number)
{
	size_t n = strlen(number);
	if (n == 0 || n > SMSCODEC_NUMBER_MAX)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!(number[i] >= '0' && number[i] <= '9') && !(i == 0 && number[i] == '+'))
			return 0;
	return n > (number[0] == '+' ? 1u : 0u);
}

int
smscodec_encode(const char *utf8, const char *number, unsigned char ref, int max_parts,
    GSM_MultiSMSMessage *out, char *err, size_t errlen)
{
	/* gammu cuts a message at GSM_MAX_MULTI_SMS parts without a word: stay
	 * below, so that "more than max_parts" is always seen */
	if (max_parts < 1 || max_parts >= GSM_MAX_MULTI_SMS) {
		snprintf(err, errlen, "part limit %d outside 1..%d", max_parts, GSM_MAX_MULTI_SMS - 1);
		return -1;
	}
	if (!number_ok(number)) {
		snprintf(err, errlen, "not a number an SMS can be sent to");
		return -1;
	}
	size_t len = strlen(utf8);
	if (len == 0) {
		snprintf(err, errlen, "empty text");
		return -1;
	}
	if (len > (size_t)max_parts * PART_CHARS_MAX * UTF8_BYTES_MAX) {
		snprintf(err, errlen, "too long: %zu bytes, more than %d SMS parts can hold", len,
		    max_parts);
		return -1;
	}
	/* DecodeUTF8 writes at most 2 bytes per input byte plus the terminator */
	unsigned char *u = calloc(len + 1, 4);
	if (!u) {
		snprintf(err, errlen, "out of memory");
		return -1;
	}
	DecodeUTF8(u, utf8, len);
	size_t units = UnicodeLength(u);
	GSM_MultiPartSMSInfo info;
	GSM_ClearMultiPartSMSInfo(&info);
	info.EntriesNum = 1;
	info.Entries[0].ID = SMS_ConcatenatedAutoTextLong;   /* GSM-7 if lossless, else UCS-2 */
	info.Entries[0].Buffer = u;
	memset(out, 0, sizeof *out);
	GSM_Error e = GSM_EncodeMultiPartSMS(GSM_GetGlobalDebug(), &info, out);
	free(u);                 /* Buffer is ours: not GSM_FreeMultiPartSMSInfo */
	if (e != ERR_NONE) {
		snprintf(err, errlen, "cannot encode the text: %s", GSM_ErrorName(e));
		return -1;
	}
	if (out->Number < 1) {
		snprintf(err, errlen, "cannot encode the text: no parts");
		return -1;
	}
	if (out->Number > max_parts) {
		snprintf(err, errlen, "too long: needs %d SMS parts, at most %d allowed", out->Number,
		    max_parts);
		return -1;
	}
	/* every character must have landed in a part */
	size_t carried = 0;
	for (int i = 0; i < out->Number; i++)
		carried += UnicodeLength(out->SMS[i].Text);
	if (carried != units) {
		snprintf(err, errlen, "cannot encode the text: %zu of %zu characters fit", carried,
		    units);
		return -1;
	}
	size_t nlen = strlen(number);
	for (int i = 0; i < out->Number; i++) {
		GSM_SMSMessage *p = &out->SMS[i];
		if (p->UDH.Type == UDH_ConcatenatedMessages) {
			/* gammu's reference comes from the clock: two texts
			 * encoded in one second would share it */
			p->UDH.ID8bit = ref;
			GSM_EncodeUDHHeader(GSM_GetGlobalDebug(), &p->UDH);
		}
		DecodeUTF8(p->Number, number, nlen);
		p->PDU = SMS_Submit;
	}
	return out->Number;
}

char *
smscodec_decode(const GSM_SMSMessage *m, int *is_data)
{
	*is_data = 0;
	if (m->Coding != SMS_Coding_Default_No_Compression &&
	    m->Coding != SMS_Coding_Unicode_No_Compression) {
		/* 8-bit data, or a compressed coding gammu leaves undecoded */
		*is_data = 1;
		return NULL;
	}
	/* Text is gammu unicode (UTF-16BE), terminated; a unit takes at most 3
	 * bytes of UTF-8, a surrogate pair 4 for its 2 units */
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
	/* Number holds at most GSM_MAX_NUMBER_LENGTH units */
	char buf[GSM_MAX_NUMBER_LENGTH * 4 + 8];
	buf[0] = '\0';
	if (UnicodeLength(m->Number) <= GSM_MAX_NUMBER_LENGTH)
		EncodeUTF8(buf, m->Number);
	snprintf(out, outsz, "%s", buf);
	memset(buf, 0, sizeof buf);
}

long long
smscodec_time(const GSM_SMSMessage *m)
{
	const GSM_DateTime *d = &m->DateTime;
	if (d->Year < 1970 || d->Month < 1 || d->Month > 12 || d->Day < 1 || d->Day > 31 ||
	    d->Hour < 0 || d->Hour > 23 || d->Minute < 0 || d->Minute > 59 || d->Second < 0 ||
	    d->Second > 60)
		return 0;
	struct tm tm;
	memset(&tm, 0, sizeof tm);
	tm.tm_year = d->Year - 1900;
	tm.tm_mon = d->Month - 1;
	tm.tm_mday = d->Day;
	tm.tm_hour = d->Hour;
	tm.tm_min = d->Minute;
	tm.tm_sec = d->Second;
	/* the fields are the SMSC's local time, Timezone seconds east of UTC */
	return (long long)timegm(&tm) - d->Timezone;
}

int
smscodec_concat(const GSM_SMSMessage *m, int *ref, int *seq, int *total)
{
	const GSM_UDHHeader *u = &m->UDH;
	if (u->Type != UDH_ConcatenatedMessages && u->Type != UDH_ConcatenatedMessages16bit)
		return 0;
	if (u->AllParts < 2 || u->PartNumber < 1 || u->PartNumber > u->AllParts)
		return 0;          /* a header that does not describe a part: stands alone */
	*ref = u->Type == UDH_ConcatenatedMessages16bit ? u->ID16bit : u->ID8bit;
	*seq = u->PartNumber;
	*total = u->AllParts;
	return 1;
}

void
smscodec_sender(const GSM_SMSMessage *m, char *out, size_t outsz)
{
	char raw[IDENTITY_ADDR_MAX];
	smscodec_number(m, raw, sizeof raw);
	if (phone_normalize(raw, out, outsz) < 0) {
		size_t n = 0;
		for (const char *c = raw; *c && n + 1 < outsz; c++)
			if ((*c >= '0' && *c <= '9') || (*c == '+' && n == 0))
				out[n++] = *c;
		out[n] = '\0';
		if (n == 0 || (n == 1 && out[0] == '+'))
			snprintf(out, outsz, "%s", raw[0] ? raw : "unknown");
	}
	identity_wipe(raw, sizeof raw);
}

char *
smscodec_text(const GSM_SMSMessage *m)
{
	int is_data = 0;
	char *decoded = smscodec_decode(m, &is_data);
	if (!decoded && !is_data)
		return NULL;
	const char *src = decoded ? decoded : SMSCODEC_DATA_TEXT;
	char *text = text_clean(src, strlen(src));
	free(decoded);
	return text;
}

void
smscodec_message_id(const struct identity *id, const char *sender,
    const GSM_SMSMessage *first, const char *text, char out[65])
{
	char head[IDENTITY_ADDR_MAX + 64];
	long long when = smscodec_time(first);
	int n;
	if (when)
		n = snprintf(head, sizeof head, "%s|%lld|%d|", sender, when, first->DateTime.Timezone);
	else                  /* no SMSC time: the location tells equal texts apart */
		n = snprintf(head, sizeof head, "%s|-|%d|%d|", sender, first->Folder,
		    first->Location);
	if (n < 0 || (size_t)n >= sizeof head)
		n = (int)strlen(head);
	size_t tlen = strlen(text);
	char *material = malloc((size_t)n + tlen + 1);
	if (!material) {
		/* without the text: still stable for a re-read, and never the number */
		identity_digest(id, head, (size_t)n, out, 32);
	} else {
		memcpy(material, head, (size_t)n);
		memcpy(material + n, text, tlen + 1);
		identity_digest(id, material, (size_t)n + tlen, out, 32);
		identity_wipe(material, (size_t)n + tlen);
		free(material);
	}
	identity_wipe(head, sizeof head);
}

void
smscodec_group_id(const struct identity *id, const char *sender, int ref, int total,
    char out[33])
{
	char key[IDENTITY_ADDR_MAX + 32];
	int n = snprintf(key, sizeof key, "%s|%d|%d", sender, ref, total);
	if (n < 0 || (size_t)n >= sizeof key)
		n = (int)strlen(key);
	identity_digest(id, key, (size_t)n, out, 16);
	identity_wipe(key, sizeof key);
}

static const char *
net_state(GSM_NetworkInfo_State st)
{
	switch (st) {
	case GSM_HomeNetwork: return "home";
	case GSM_RoamingNetwork: return "roaming";
	case GSM_NoNetwork: return "no network";
	case GSM_RegistrationDenied: return "registration denied";
	case GSM_RequestingNetwork: return "searching";
	default: return "unknown";
	}
}

void
smscodec_network(const GSM_NetworkInfo *net, char *out, size_t outsz)
{
	/* NetworkName need not be terminated; NetworkCode neither, in theory */
	unsigned char uname[sizeof net->NetworkName + 2];
	char name[sizeof net->NetworkName * 2 + 1];
	char code[sizeof net->NetworkCode + 1];
	memset(uname, 0, sizeof uname);
	memcpy(uname, net->NetworkName, sizeof net->NetworkName);
	name[0] = '\0';
	EncodeUTF8(name, uname);
	memcpy(code, net->NetworkCode, sizeof net->NetworkCode);
	code[sizeof code - 1] = '\0';
	snprintf(out, outsz, "%s%s%s (%s)", code, code[0] && name[0] ? " " : "", name,
	    net_state(net->State));
}

int
smscodec_configure(GSM_StateMachine *s, const char *name, char *const *keys,
    char *const *values, size_t n, char *err, size_t errlen)
{
	for (size_t i = 0; i < n; i++) {
		/* one key = value line each: nothing may start another */
		if (strpbrk(keys[i], "\r\n=[]") || strpbrk(values[i], "\r\n")) {
			snprintf(err, errlen, "[modem %s] %s: a line break or bracket does not belong "
			    "in a gammu key or value", name, keys[i]);
			return -1;
		}
	}
	const char *dir = getenv("TMPDIR");
	if (!dir || dir[0] != '/')
		dir = "/tmp";
	char path[PATH_MAX];
	int w = snprintf(path, sizeof path, "%s/tinbao-gammurc-XXXXXX", dir);
	if (w < 0 || (size_t)w >= sizeof path) {
		snprintf(err, errlen, "TMPDIR is too long");
		return -1;
	}
	int fd = mkstemp(path);
	if (fd < 0) {
		snprintf(err, errlen, "cannot create gammu's configuration in %s: %s", dir,
		    strerror(errno));
		return -1;
	}
	FILE *f = fchmod(fd, S_IRUSR | S_IWUSR) == 0 ? fdopen(fd, "w") : NULL;
	if (!f) {
		snprintf(err, errlen, "cannot write gammu's configuration: %s", strerror(errno));
		close(fd);
		unlink(path);
		return -1;
	}
	/* every line ends with \n: gammu ignores a last line without one */
	fprintf(f, "[gammu]\n");
	for (size_t i = 0; i < n; i++)
		fprintf(f, "%s = %s\n", keys[i], values[i]);
	int bad = ferror(f);
	if (fclose(f) != 0)
		bad = 1;
	INI_Section *ini = NULL;
	GSM_Error e = bad ? ERR_CANTOPENFILE : GSM_FindGammuRC(&ini, path);
	if (e == ERR_NONE)
		e = GSM_ReadConfig(ini, GSM_GetConfig(s, 0), 0);
	if (ini)
		INI_Free(ini);
	unlink(path);
	if (e != ERR_NONE) {
		snprintf(err, errlen, "gammu refuses the [modem %s] keys: %s", name,
		    GSM_ErrorString(e));
		return -1;
	}
	/* without this the section's logfile and logformat are ignored */
	GSM_GetConfig(s, 0)->UseGlobalDebugFile = FALSE;
	GSM_SetConfigNum(s, 1);
	return 0;
}
