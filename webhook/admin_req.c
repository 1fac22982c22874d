/* admin_req — see admin_req.h. */
#include "webhook/admin_req.h"

#include <string.h>
#include <strings.h>

#include "gateway/text.h"

static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+')
		return 62;
	if (c == '/')
		return 63;
	return -1;
}

int
admin_req_base64(const char *in, size_t len, unsigned char *out, size_t outsz,
    size_t *outlen)
{
	size_t pad = 0;
	if (len % 4 == 0 && len >= 1 && in[len - 1] == '=') {
		pad = len >= 2 && in[len - 2] == '=' ? 2 : 1;
		len -= pad;
	}
	if (len % 4 == 1)
		return -1;
	if (pad && len % 4 != 4 - pad)
		return -1;
	size_t need = len / 4 * 3 + (len % 4 ? len % 4 - 1 : 0);
	if (need > outsz)
		return -1;
	size_t o = 0;
	unsigned int acc = 0;
	int bits = 0;
	for (size_t i = 0; i < len; i++) {
		int v = b64_value((unsigned char)in[i]);
		if (v < 0)
			return -1;
		acc = (acc << 6 | (unsigned int)v) & 0xffffff;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			out[o++] = (unsigned char)(acc >> bits & 0xff);
		}
	}
	if (bits && (acc & ((1u << bits) - 1)))
		return -1;                   /* non-zero bits past the end: not canonical */
	*outlen = o;
	return 0;
}

/* "Scheme " at the start of h (case-insensitive): the rest, or NULL. */
static const char *
after_scheme(const char *h, const char *scheme)
{
	size_t n = strlen(scheme);
	if (strncasecmp(h, scheme, n) != 0 || h[n] != ' ')
		return NULL;
	h += n;
	while (*h == ' ')
		h++;
	return h;
}

int
admin_req_basic_user(const char *header, char *out, size_t outsz)
{
	if (outsz)
		out[0] = '\0';
	if (!header || outsz == 0)
		return 0;
	size_t hlen = strnlen(header, ADMIN_HEADER_MAX + 1);
	if (hlen > ADMIN_HEADER_MAX)
		return 0;
	char h[ADMIN_HEADER_MAX + 1];
	memcpy(h, header, hlen);
	h[hlen] = '\0';
	while (hlen && (h[hlen - 1] == ' ' || h[hlen - 1] == '\t'))
		h[--hlen] = '\0';
	const char *rest = after_scheme(h, "Basic");
	unsigned char dec[ADMIN_HEADER_MAX];
	size_t n;
	if (!rest || admin_req_base64(rest, strlen(rest), dec, sizeof dec, &n) < 0)
		return 0;
	const unsigned char *colon = memchr(dec, ':', n);
	size_t ulen = colon ? (size_t)(colon - dec) : 0;
	if (ulen == 0 || ulen > ADMIN_USER_MAX || ulen >= outsz || memchr(dec, '\0', ulen))
		return 0;
	char user[ADMIN_USER_MAX + 1];
	memcpy(user, dec, ulen);
	user[ulen] = '\0';
	if (!text_valid(user, ADMIN_USER_MAX, 0))
		return 0;
	memcpy(out, user, ulen + 1);
	return 1;
}

enum admin_scheme
admin_req_credential(const char *header, char *out, size_t outsz)
{
	if (outsz)
		out[0] = '\0';
	if (!header || outsz == 0)
		return ADMIN_SCHEME_NONE;
	size_t hlen = strnlen(header, ADMIN_HEADER_MAX + 1);
	if (hlen > ADMIN_HEADER_MAX)
		return ADMIN_SCHEME_NONE;
	while (hlen && (header[hlen - 1] == ' ' || header[hlen - 1] == '\t'))
		hlen--;
	char h[ADMIN_HEADER_MAX + 1];
	memcpy(h, header, hlen);
	h[hlen] = '\0';
	const char *rest;
	if ((rest = after_scheme(h, "Bearer")) != NULL) {
		size_t n = strlen(rest);
		if (n == 0 || n >= outsz || strchr(rest, ' ') || strchr(rest, '\t'))
			return ADMIN_SCHEME_NONE;
		memcpy(out, rest, n + 1);
		return ADMIN_SCHEME_BEARER;
	}
	if ((rest = after_scheme(h, "Basic")) != NULL) {
		unsigned char dec[ADMIN_HEADER_MAX];
		size_t n;
		if (admin_req_base64(rest, strlen(rest), dec, sizeof dec, &n) < 0)
			return ADMIN_SCHEME_NONE;
		const unsigned char *colon = memchr(dec, ':', n);
		if (!colon)
			return ADMIN_SCHEME_NONE;
		size_t plen = n - (size_t)(colon + 1 - dec);
		if (plen == 0 || plen >= outsz || memchr(colon + 1, '\0', plen))
			return ADMIN_SCHEME_NONE;
		memcpy(out, colon + 1, plen);
		out[plen] = '\0';
		return ADMIN_SCHEME_BASIC;
	}
	return ADMIN_SCHEME_NONE;
}

enum admin_path
admin_req_path(const char *prefix, const char *path, char code[TRACKID_CODE_LEN + 1])
{
	static const char tips[] = "/api/tips";
	size_t len = strlen(path);
	if (len > 1 && path[len - 1] == '/')
		len--;
	if (len == 13 && strncmp(path, "/api/officers", 13) == 0)
		return ADMIN_PATH_OFFICERS;
	if (len == 11 && strncmp(path, "/api/shifts", 11) == 0)
		return ADMIN_PATH_SHIFTS;
	size_t tl = sizeof tips - 1;
	if (len < tl || strncmp(path, tips, tl) != 0)
		return ADMIN_PATH_UNKNOWN;
	if (len == tl)
		return ADMIN_PATH_TIPS;
	if (path[tl] != '/')
		return ADMIN_PATH_UNKNOWN;
	const char *id = path + tl + 1;
	const char *end = path + len;
	const char *slash = memchr(id, '/', (size_t)(end - id));
	size_t idlen = (size_t)((slash ? slash : end) - id);
	if (idlen == 0 || trackid_parse(prefix, id, idlen, code, NULL) < 0)
		return ADMIN_PATH_BAD_ID;
	if (!slash)
		return ADMIN_PATH_TIP;
	size_t rl = (size_t)(end - slash - 1);
	if (rl == 3 && strncmp(slash + 1, "ack", 3) == 0)
		return ADMIN_PATH_ACK;
	if (rl == 5 && strncmp(slash + 1, "close", 5) == 0)
		return ADMIN_PATH_CLOSE;
	return ADMIN_PATH_UNKNOWN;
}

int
admin_req_flag(const char *v)
{
	if (!v || !*v || strcmp(v, "0") == 0 || strcasecmp(v, "false") == 0 ||
	    strcasecmp(v, "no") == 0)
		return 0;
	if (strcmp(v, "1") == 0 || strcasecmp(v, "true") == 0 || strcasecmp(v, "yes") == 0)
		return 1;
	return -1;
}
