/* admin_req — the parsers of admin API requests: the credential in an
 * Authorization header (Bearer, or Basic with the token as the password)
 * and the /api paths with their tracking IDs.
 *
 * Pure functions without state, any thread. Arguments are borrowed and not
 * kept; every output goes into a buffer of the caller's.
 */
#ifndef TINBAO_ADMIN_REQ_H
#define TINBAO_ADMIN_REQ_H

#include <stddef.h>

#include "gateway/trackid.h"

#define ADMIN_TOKEN_MIN 16           /* characters in an admin token, at least */
#define ADMIN_TOKEN_MAX 256          /* bytes in a token, and in a credential */
#define ADMIN_HEADER_MAX 1024        /* an Authorization header longer is refused */

enum admin_scheme { ADMIN_SCHEME_NONE, ADMIN_SCHEME_BEARER, ADMIN_SCHEME_BASIC };

/* The credential of an Authorization header value ("Bearer TOKEN", or
 * "Basic base64(USER:TOKEN)" whose user is ignored) into out (outsz bytes,
 * NUL-terminated). Returns the scheme, or ADMIN_SCHEME_NONE when header is
 * NULL, malformed, longer than ADMIN_HEADER_MAX or the credential does not
 * fit (out is then ""). Scheme names are case-insensitive. */
enum admin_scheme admin_req_credential(const char *header, char *out, size_t outsz);

#define ADMIN_USER_MAX 64            /* bytes in the user name of a Basic header */

/* The user name of a "Basic base64(USER:TOKEN)" header into out (outsz
 * bytes): 1 when there is one that is 1..ADMIN_USER_MAX bytes of valid UTF-8
 * without control characters (text_valid), 0 otherwise (out is then "").
 * The desk page asks for a name there; nobody checks it (like --officer). */
int admin_req_basic_user(const char *header, char *out, size_t outsz);

/* Standard base64 (RFC 4648; the "=" padding may be left out, but if present
 * it must be right; unused bits must be zero) of len bytes into out (outsz
 * bytes); 0 with *outlen set, -1 when the input is not base64 or the result
 * does not fit. */
int admin_req_base64(const char *in, size_t len, unsigned char *out, size_t outsz,
    size_t *outlen);

enum admin_path {
	ADMIN_PATH_UNKNOWN,          /* not an admin API path: 404 */
	ADMIN_PATH_BAD_ID,           /* /api/tips/<not a tracking ID>[/...]: 404 */
	ADMIN_PATH_TIPS,             /* /api/tips */
	ADMIN_PATH_TIP,              /* /api/tips/ID */
	ADMIN_PATH_ACK,              /* /api/tips/ID/ack */
	ADMIN_PATH_CLOSE,            /* /api/tips/ID/close */
	ADMIN_PATH_OFFICERS,         /* /api/officers */
	ADMIN_PATH_SHIFTS,           /* /api/shifts */
};
/* Classify a path (without its query string; one trailing "/" allowed);
 * for the tip paths the upper-case code goes into code. */
enum admin_path admin_req_path(const char *prefix, const char *path,
    char code[TRACKID_CODE_LEN + 1]);

/* A boolean query value: NULL, "", "0", "false", "no" -> 0; "1", "true",
 * "yes" -> 1; anything else -1. */
int admin_req_flag(const char *v);

#endif
