/* trackid — see trackid.h. */
#include "gateway/trackid.h"

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/random.h>

static const char alphabet[] = "23456789ABCDEFGHJKMNPQRSTUVWXYZ";
#define N ((int)sizeof alphabet - 1)            /* 31, a prime */
#define BODY (TRACKID_CODE_LEN - 1)              /* the random characters */
#define INV6 26                                  /* 6 * 26 = 156 = 1 (mod 31) */

/* The value (0..30) of an alphabet character in either case; -1 if none. */
static int
value_of(char ch)
{
	unsigned char c = (unsigned char)ch;
	if (c >= 'a' && c <= 'z')
		c = (unsigned char)(c - 'a' + 'A');
	if (c == '\0' || c >= 0x80)
		return -1;
	const char *p = strchr(alphabet, c);
	return p ? (int)(p - alphabet) : -1;
}

/* The check value c with sum((i + 1) * v[i], i = 0..5) = 0 (mod 31), v[5] = c.
 * 31 is prime and the weights 1..6 are distinct and not 0 mod 31, so one
 * changed character (weight times difference) and any two swapped
 * characters (difference of weights times difference of values) change the
 * sum. Luhn mod N would not do: for odd N its doubling step is not a
 * permutation, so it misses substitutions such as 3 <-> J. */
static int
check_value(const int v[BODY])
{
	int sum = 0;
	for (int i = 0; i < BODY; i++)
		sum += (i + 1) * v[i];
	return (N - sum % N) % N * INV6 % N;
}

/* Fill buf with random bytes; retries on EINTR and short reads. */
static int
random_bytes(unsigned char *buf, size_t len)
{
	while (len > 0) {
		ssize_t n = getrandom(buf, len, 0);
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return -1;
		}
		buf += n;
		len -= (size_t)n;
	}
	return 0;
}

int
trackid_new(char code[TRACKID_CODE_LEN + 1])
{
	if (!code)
		return -1;
	int v[BODY], have = 0;
	/* Rejection sampling: bytes 248..255 would favour the first 8 values. */
	const unsigned limit = 256 - 256 % N;
	for (int rounds = 0; have < BODY; rounds++) {
		unsigned char buf[16];
		if (rounds > 64 || random_bytes(buf, sizeof buf) < 0)
			return -1;           /* 64 rounds of rejections: the source is broken */
		for (size_t i = 0; i < sizeof buf && have < BODY; i++)
			if (buf[i] < limit)
				v[have++] = buf[i] % N;
	}
	for (int i = 0; i < BODY; i++)
		code[i] = alphabet[v[i]];
	code[BODY] = alphabet[check_value(v)];
	code[TRACKID_CODE_LEN] = '\0';
	return 0;
}

int
trackid_check(const char *code)
{
	int v[TRACKID_CODE_LEN];
	if (!code)
		return 0;
	for (int i = 0; i < TRACKID_CODE_LEN; i++) {
		if (code[i] >= 'a' && code[i] <= 'z')
			return 0;                    /* the canonical form is upper case */
		if ((v[i] = value_of(code[i])) < 0)
			return 0;                    /* also stops at a short string's NUL */
	}
	return code[TRACKID_CODE_LEN] == '\0' && check_value(v) == v[BODY];
}

/* ASCII-only, locale-free case-insensitive comparison of n bytes. */
static int
same_ascii_nocase(const char *a, const char *b, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		unsigned char x = (unsigned char)a[i], y = (unsigned char)b[i];
		if (x >= 'a' && x <= 'z')
			x = (unsigned char)(x - 'a' + 'A');
		if (y >= 'a' && y <= 'z')
			y = (unsigned char)(y - 'a' + 'A');
		if (x != y)
			return 0;
	}
	return 1;
}

int
trackid_parse(const char *prefix, const char *in, size_t len, char code[TRACKID_CODE_LEN + 1],
    int *had_prefix)
{
	if (!in || !code)
		return -1;
	size_t plen = prefix ? strlen(prefix) : 0;
	int pre = 0;
	if (plen > 0 && len > TRACKID_CODE_LEN && len - TRACKID_CODE_LEN >= plen &&
	    same_ascii_nocase(in, prefix, plen)) {
		size_t rest = len - plen;
		if (rest == TRACKID_CODE_LEN + 1 && in[plen] == '-') {
			in += plen + 1;
			len = TRACKID_CODE_LEN;
			pre = 1;
		} else if (rest == TRACKID_CODE_LEN) {
			in += plen;
			len = TRACKID_CODE_LEN;
			pre = 1;
		}
	}
	if (len != TRACKID_CODE_LEN)
		return -1;
	char c[TRACKID_CODE_LEN + 1];
	for (size_t i = 0; i < TRACKID_CODE_LEN; i++) {
		int v = value_of(in[i]);
		if (v < 0)
			return -1;
		c[i] = alphabet[v];
	}
	c[TRACKID_CODE_LEN] = '\0';
	if (!trackid_check(c))
		return -1;
	memcpy(code, c, sizeof c);
	if (had_prefix)
		*had_prefix = pre;
	return 0;
}

void
trackid_format(const char *prefix, const char *code, char *out, size_t outsz)
{
	if (!out || outsz == 0)
		return;
	if (!prefix || !*prefix)
		snprintf(out, outsz, "%s", code ? code : "");
	else
		snprintf(out, outsz, "%s-%s", prefix, code ? code : "");
}
