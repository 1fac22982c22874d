/* phone — see phone.h. */
#include "gateway/phone.h"

#include <stdio.h>
#include <string.h>

int
phone_normalize(const char *in, char *out, size_t outsz)
{
	char buf[32];
	size_t n = 0;
	int plus = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')')
			continue;
		if (*p == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (*p < '0' || *p > '9' || n + 1 >= sizeof buf)
			return -1;
		buf[n++] = *p;
	}
	buf[n] = '\0';
	const char *digits = buf;
	/* 00 is the international prefix: 0084 912... is +84 912... */
	if (!plus && n >= 11 && digits[0] == '0' && digits[1] == '0') {
		plus = 1;
		digits += 2;
		n -= 2;
	}
	/* 84 without the plus, as modems and people write it */
	int country84 = n >= 11 && digits[0] == '8' && digits[1] == '4';
	if (country84 && !plus && digits[2] != '0')
		plus = 1;
	/* the trunk 0 kept after the country code: +84 0912..., 84 0912...,
	 * +84 (0) 912... */
	if (country84 && (plus || n >= 12) && digits[2] == '0' && n >= 12) {
		int w = snprintf(out, outsz, "+84%s", digits + 3);
		return (w < 0 || (size_t)w >= outsz) ? -1 : 0;
	}
	if (n < 3 || n > 15)
		return -1;
	int w;
	if (!plus && digits[0] == '0' && digits[1] != '0' && n >= 9)
		w = snprintf(out, outsz, "+84%s", digits + 1);
	else if (plus)
		w = snprintf(out, outsz, "+%s", digits);
	else
		w = snprintf(out, outsz, "%s", digits);   /* short codes stay as they are */
	return (w < 0 || (size_t)w >= outsz) ? -1 : 0;
}

int
phone_normalize_full(const char *in, char out[PHONE_MAX])
{
	size_t digits = 0;
	if (phone_normalize(in, out, PHONE_MAX) == 0 && out[0] == '+')
		digits = strspn(out + 1, "0123456789");
	return digits >= 8 && digits <= 15 && out[digits + 1] == '\0' ? 0 : -1;
}
