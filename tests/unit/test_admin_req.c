/* admin_req (Authorization header, base64, /api paths, query flags) and the
 * desk page's escaping. */
#include <stdlib.h>

#include "gateway/trackid.h"
#include "tests/unit/unit.h"
#include "webhook/admin_req.h"
#include "webhook/desk_page.h"

static void
test_bearer(void)
{
	char out[ADMIN_TOKEN_MAX + 1];
	CHECK(admin_req_credential("Bearer abc123", out, sizeof out) == ADMIN_SCHEME_BEARER);
	CHECK_STR(out, "abc123");
	CHECK(admin_req_credential("bearer   abc123  ", out, sizeof out) == ADMIN_SCHEME_BEARER);
	CHECK_STR(out, "abc123");
	CHECK(admin_req_credential("Bearer", out, sizeof out) == ADMIN_SCHEME_NONE);
	CHECK_STR(out, "");
	CHECK(admin_req_credential("Bearer ", out, sizeof out) == ADMIN_SCHEME_NONE);
	CHECK(admin_req_credential("Bearer a b", out, sizeof out) == ADMIN_SCHEME_NONE);
	CHECK(admin_req_credential("Bearerabc", out, sizeof out) == ADMIN_SCHEME_NONE);
	CHECK(admin_req_credential("Token abc", out, sizeof out) == ADMIN_SCHEME_NONE);
	CHECK(admin_req_credential(NULL, out, sizeof out) == ADMIN_SCHEME_NONE);
	char small[4];
	CHECK(admin_req_credential("Bearer abcd", small, sizeof small) == ADMIN_SCHEME_NONE);
	CHECK_STR(small, "");
	char big[ADMIN_HEADER_MAX + 20];
	memset(big, 'a', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	memcpy(big, "Bearer ", 7);
	CHECK(admin_req_credential(big, out, sizeof out) == ADMIN_SCHEME_NONE);
}

static void
test_basic(void)
{
	char out[ADMIN_TOKEN_MAX + 1];
	/* "desk:s3cret-token" */
	CHECK(admin_req_credential("Basic ZGVzazpzM2NyZXQtdG9rZW4=", out, sizeof out) ==
	    ADMIN_SCHEME_BASIC);
	CHECK_STR(out, "s3cret-token");
	/* ":a:b" -> the password is everything after the first colon */
	CHECK(admin_req_credential("basic OmE6Yg==", out, sizeof out) == ADMIN_SCHEME_BASIC);
	CHECK_STR(out, "a:b");
	/* "nocolon" */
	CHECK(admin_req_credential("Basic bm9jb2xvbg==", out, sizeof out) == ADMIN_SCHEME_NONE);
	/* "user:" (empty password) */
	CHECK(admin_req_credential("Basic dXNlcjo=", out, sizeof out) == ADMIN_SCHEME_NONE);
	CHECK(admin_req_credential("Basic !!!!", out, sizeof out) == ADMIN_SCHEME_NONE);
}

static void
test_base64(void)
{
	unsigned char out[16];
	size_t n;
	CHECK(admin_req_base64("TWFu", 4, out, sizeof out, &n) == 0 && n == 3 &&
	    memcmp(out, "Man", 3) == 0);
	CHECK(admin_req_base64("TWE=", 4, out, sizeof out, &n) == 0 && n == 2);
	CHECK(admin_req_base64("TWE", 3, out, sizeof out, &n) == 0 && n == 2);
	CHECK(admin_req_base64("TQ==", 4, out, sizeof out, &n) == 0 && n == 1 && out[0] == 'M');
	CHECK(admin_req_base64("TQ", 2, out, sizeof out, &n) == 0 && n == 1);
	CHECK(admin_req_base64("", 0, out, sizeof out, &n) == 0 && n == 0);
	CHECK(admin_req_base64("T", 1, out, sizeof out, &n) < 0);
	CHECK(admin_req_base64("TR==", 4, out, sizeof out, &n) < 0);     /* stray bits */
	CHECK(admin_req_base64("TQ=A", 4, out, sizeof out, &n) < 0);
	CHECK(admin_req_base64("TWE==", 5, out, sizeof out, &n) < 0);
	CHECK(admin_req_base64("T===", 4, out, sizeof out, &n) < 0);
	CHECK(admin_req_base64("TWFuTWFu", 8, out, 5, &n) < 0);          /* does not fit */
}

static void
test_paths(void)
{
	char code[TRACKID_CODE_LEN + 1] = "";
	CHECK(admin_req_path("TB", "/api/tips", code) == ADMIN_PATH_TIPS);
	CHECK(admin_req_path("TB", "/api/tips/", code) == ADMIN_PATH_TIPS);
	CHECK(admin_req_path("TB", "/api/officers", code) == ADMIN_PATH_OFFICERS);
	CHECK(admin_req_path("TB", "/api/shifts/", code) == ADMIN_PATH_SHIFTS);
	CHECK(admin_req_path("TB", "/api/shiftsx", code) == ADMIN_PATH_UNKNOWN);
	CHECK(admin_req_path("TB", "/api/tipsx", code) == ADMIN_PATH_UNKNOWN);
	CHECK(admin_req_path("TB", "/api", code) == ADMIN_PATH_UNKNOWN);
	CHECK(admin_req_path("TB", "/api/tips//ack", code) == ADMIN_PATH_BAD_ID);
	CHECK(admin_req_path("TB", "/api/tips/not-an-id", code) == ADMIN_PATH_BAD_ID);
	CHECK(admin_req_path("TB", "/api/tips/TB-7KM4Q8", code) == ADMIN_PATH_BAD_ID);  /* check */
	CHECK(admin_req_path("TB", "/api/tips/TB-7KM4Q9", code) == ADMIN_PATH_TIP);
	CHECK_STR(code, "7KM4Q9");
	CHECK(admin_req_path("TB", "/api/tips/tb7km4q9/ack", code) == ADMIN_PATH_ACK);
	CHECK(admin_req_path("TB", "/api/tips/222222/close/", code) == ADMIN_PATH_CLOSE);
	CHECK_STR(code, "222222");
	CHECK(admin_req_path("TB", "/api/tips/7KM4Q9/delete", code) == ADMIN_PATH_UNKNOWN);
	CHECK(admin_req_path("TB", "/api/tips/7KM4Q9/ack/x", code) == ADMIN_PATH_UNKNOWN);
	CHECK(admin_req_path("CABT", "/api/tips/CABT-7KM4Q9", code) == ADMIN_PATH_TIP);
}

static void
test_flag(void)
{
	CHECK(admin_req_flag(NULL) == 0);
	CHECK(admin_req_flag("") == 0);
	CHECK(admin_req_flag("0") == 0);
	CHECK(admin_req_flag("no") == 0);
	CHECK(admin_req_flag("1") == 1);
	CHECK(admin_req_flag("TRUE") == 1);
	CHECK(admin_req_flag("maybe") == -1);
}

static void
test_escape(void)
{
	char *s = desk_page_escape("<script>alert(\"x\")</script> & 'y'\nđập");
	CHECK_STR(s, "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;y&#39;<br>đập");
	free(s);
	s = desk_page_escape("a\x01\x7f" "b\xff");
	CHECK(s && strchr(s, '\x01') == NULL && strchr(s, '\x7f') == NULL);
	CHECK(s && strstr(s, "\xef\xbf\xbd") != NULL);      /* U+FFFD for the bad byte */
	free(s);
	s = desk_page_escape(NULL);
	CHECK_STR(s, "");
	free(s);
}

/* The desk page's user name: what the officer typed, if it is text. */
static void
test_basic_user(void)
{
	char out[ADMIN_USER_MAX + 1], hdr[200], small[4];
	static const struct {
		const char *b64;       /* base64 of USER:TOKEN */
		const char *user;      /* NULL: no user name */
	} cases[] = {
		{ "ZGVzazpzM2NyZXQ=", "desk" },                       /* desk:s3cret */
		{ "Tmd1eeG7hW4gVsSDbiBBbjp0b2tlbg==", "Nguyễn Văn An" },
		{ "OnRva2Vu", NULL },                                 /* :token */
		{ "YQpiOnRva2Vu", NULL },                             /* a newline in it */
		{ "eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4eHh4"
		    "eHh4eHh4eHh4eHh4eHh4eHg6dA==", NULL },      /* 65 bytes: too long */
	};
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		snprintf(hdr, sizeof hdr, "Basic %s", cases[i].b64);
		CHECK(admin_req_basic_user(hdr, out, sizeof out) == (cases[i].user != NULL));
		CHECK_STR(out, cases[i].user ? cases[i].user : "");
	}
	CHECK(admin_req_basic_user("Bearer abc", out, sizeof out) == 0);
	CHECK(admin_req_basic_user(NULL, out, sizeof out) == 0);
	CHECK(admin_req_basic_user("Basic ZGVzazpzM2NyZXQ=", small, sizeof small) == 0);
}

UNIT_MAIN(UNIT(test_bearer), UNIT(test_basic), UNIT(test_basic_user), UNIT(test_base64),
    UNIT(test_paths), UNIT(test_flag), UNIT(test_escape))
