/* phone — see phone.h. */
#include "gateway/phone.h"

#include <stdio.h>
#include <string.h>

int
phone_normalize(const char *in, char *out, size_t outsz)
{
	char digits[32];
	size_t n = 0;
	int plus = 0;
	for (const char *p = in; *p; p++) {
		if (*p == ' ' || *p == '.' || *p == '-' || *p == '(' || *p == ')')
			continue;
		if (*p == '+' && n == 0 && !plus) {
			plus = 1;
			continue;
		}
		if (*p < '0' || *p > '9' || n + 1 >= sizeof digits)
			return -1;
		digits[n++] = *p;
	}
	digits[n] = '\0';
	if (n < 3 || n > 15)
		return -1;
	int w;
	if (!plus && digits[0] == '0' && digits[1] != '0' && n >= 9)
		w = snprintf(out, outsz, "+84%s", digits + 1);
	else if (!plus && n >= 11 && digits[0] == '8' && digits[1] == '4')
		w = snprintf(out, outsz, "+%s", digits);
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
