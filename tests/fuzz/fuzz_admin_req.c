/* Fuzz target: the admin API's request parsers (Authorization header,
 * base64, /api paths) and the desk page's HTML escaping, on a NUL-terminated
 * copy of the input. A credential must fit its buffer and, for Bearer, be a
 * part of the header; the Basic user name fits its bound; a tip path must
 * carry a code that checks; base64 never writes past its buffer; escaped
 * text has no markup but <br>. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/trackid.h"
#include "webhook/admin_req.h"
#include "webhook/desk_page.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *s = malloc(size + 1);
	if (!s)
		return 0;
	memcpy(s, data, size);
	s[size] = '\0';

	char out[64];
	memset(out, 'x', sizeof out);
	enum admin_scheme sc = admin_req_credential(s, out, sizeof out);
	if (!memchr(out, '\0', sizeof out))
		abort();
	if (sc == ADMIN_SCHEME_NONE && out[0])
		abort();
	if (sc != ADMIN_SCHEME_NONE && !out[0])
		abort();
	if (sc == ADMIN_SCHEME_BEARER && (!strstr(s, out) || strchr(out, ' ')))
		abort();

	/* the desk page's user name: NUL-terminated in its buffer, "" unless
	 * found, and never longer than the bound */
	char user[ADMIN_USER_MAX + 1];
	memset(user, 'x', sizeof user);
	int have = admin_req_basic_user(s, user, sizeof user);
	if (!memchr(user, '\0', sizeof user) || (!have && user[0]) || (have && !user[0]) ||
	    strlen(user) > ADMIN_USER_MAX)
		abort();

	unsigned char dec[32];
	size_t n = 0;
	if (admin_req_base64(s, strlen(s), dec, sizeof dec, &n) == 0 &&
	    (n > sizeof dec || n > strlen(s)))
		abort();

	char code[TRACKID_CODE_LEN + 1];
	enum admin_path p = admin_req_path("TB", s, code);
	if ((p == ADMIN_PATH_TIP || p == ADMIN_PATH_ACK || p == ADMIN_PATH_CLOSE) &&
	    !trackid_check(code))
		abort();
	if (p != ADMIN_PATH_UNKNOWN && strncmp(s, "/api/", 5) != 0)
		abort();

	char *e = desk_page_escape(s);
	if (e) {
		for (char *q = e; (q = strpbrk(q, "<>\"'")) != NULL; q += 4)
			if (strncmp(q, "<br>", 4) != 0)
				abort();
		free(e);
	}
	free(s);
	return 0;
}
