/* trackid — see trackid.h. */
#include "gateway/trackid.h"

#include <stdio.h>
#include <string.h>
#include <strings.h>
#include <sys/random.h>

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define N ((int)sizeof alphabet - 1)      /* 31 */

static int
value_of(char c)
{
	if (c >= 'a' && c <= 'z')
		c = (char)(c - 'a' + 'A');
	const char *p = c ? strchr(alphabet, c) : NULL;
	return p ? (int)(p - alphabet) : -1;
}

/* The check value c makes sum((i+1) * v[i], i = 0..5) a multiple of 31.
 * 31 is prime, so one changed character (weight * difference) or two swapped
 * neighbours (difference of the values) always changes the sum. (Luhn mod N
 * would not do: its doubling is not a permutation for an odd N.) */
static int
check_value(const int v[TRACKID_CODE_LEN - 1])
{
	int sum = 0;
	for (int i = 0; i < TRACKID_CODE_LEN - 1; i++)
		sum += (i + 1) * v[i];
	/* c = -sum / 6 (mod 31); 26 is the inverse of 6 mod 31 */
	return ((N - sum % N) % N) * 26 % N;
}

int
trackid_new(char code[TRACKID_CODE_LEN + 1])
{
	int v[TRACKID_CODE_LEN - 1];
	for (int i = 0; i < TRACKID_CODE_LEN - 1; i++) {
		unsigned char b;
		do {
			if (getrandom(&b, 1, 0) != 1)
				return -1;
		} while (b >= 256 - 256 % N);          /* no modulo bias */
		v[i] = b % N;
		code[i] = alphabet[v[i]];
	}
	code[TRACKID_CODE_LEN - 1] = alphabet[check_value(v)];
	code[TRACKID_CODE_LEN] = '\0';
	return 0;
}

int
trackid_check(const char *code)
{
	int v[TRACKID_CODE_LEN];
	if (strlen(code) != TRACKID_CODE_LEN)
		return 0;
	for (int i = 0; i < TRACKID_CODE_LEN; i++)
		if ((v[i] = value_of(code[i])) < 0 || (code[i] >= 'a' && code[i] <= 'z'))
			return 0;
	return check_value(v) == v[TRACKID_CODE_LEN - 1];
}

int
trackid_parse(const char *prefix, const char *in, size_t len, char code[TRACKID_CODE_LEN + 1],
    int *had_prefix)
{
	size_t plen = strlen(prefix);
	int pre = 0;
	if (len > TRACKID_CODE_LEN && plen && len >= plen + TRACKID_CODE_LEN &&
	    strncasecmp(in, prefix, plen) == 0) {
		size_t rest = len - plen;
		const char *r = in + plen;
		if (rest == TRACKID_CODE_LEN + 1 && r[0] == '-') {
			in = r + 1;
			len = TRACKID_CODE_LEN;
			pre = 1;
		} else if (rest == TRACKID_CODE_LEN) {
			in = r;
			len = TRACKID_CODE_LEN;
			pre = 1;
		}
	}
	if (len != TRACKID_CODE_LEN)
		return -1;
	for (size_t i = 0; i < TRACKID_CODE_LEN; i++) {
		int v = value_of(in[i]);
		if (v < 0)
			return -1;
		code[i] = alphabet[v];
	}
	code[TRACKID_CODE_LEN] = '\0';
	if (!trackid_check(code))
		return -1;
	if (had_prefix)
		*had_prefix = pre;
	return 0;
}

void
trackid_format(const char *prefix, const char *code, char *out, size_t outsz)
{
	snprintf(out, outsz, "%s-%s", prefix, code);
}
