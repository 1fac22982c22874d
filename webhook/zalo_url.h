/* zalo_url — which URLs the Zalo side may call or fetch. A URL is parsed
 * with libcurl's URL parser (curl_url) before anything in it is trusted; no
 * text prefix decides.
 *
 *  - API bases ([zalo_oa] api_base, oauth_base, [zalo_bot] api_base, from
 *    the configuration): https, or plain http to a loopback host (the tests'
 *    fakes).
 *  - Media a citizen's message links to: https only, no user or password,
 *    no port but 443, a host name (never an address) that is one of
 *    [attachments] hosts or under one of them (on a label boundary). The
 *    one exception is [attachments] test_origin (TEST ONLY): plain http to
 *    that loopback scheme, host and port.
 *  - After resolution, the address a fetch connects to must be public:
 *    never loopback, private, link-local, shared (CGNAT), multicast,
 *    reserved or unspecified (v4-mapped and NAT64 IPv6 forms included);
 *    loopback only for the test origin.
 *
 * Pure functions, any thread; everything is borrowed.
 */
#ifndef TINBAO_ZALO_URL_H
#define TINBAO_ZALO_URL_H

#include <stddef.h>

struct config;
struct sockaddr;

enum zalo_media {
	ZALO_MEDIA_REFUSED = 0,
	ZALO_MEDIA_CDN,          /* https from an allowed host */
	ZALO_MEDIA_TEST,         /* [attachments] test_origin: loopback allowed */
};

/* 1 if url is https, or http to 127.0.0.0/8, localhost or [::1]. */
int zalo_url_allowed(const char *url);
/* May this attachment URL be fetched? why (a short English reason that
 * repeats nothing of the URL) when refused. */
enum zalo_media zalo_url_media(const struct config *cfg, const char *url, char *why,
    size_t whysz);
/* 1 if a fetch may connect to sa (loopback too when loopback_ok), 0 if not. */
int zalo_addr_allowed(const struct sockaddr *sa, size_t len, int loopback_ok);
/* The configuration's URLs: the API bases and [attachments] test_origin.
 * 0, or -1 with err. For start-up and --check-config. */
int zalo_url_check_config(const struct config *cfg, char *err, size_t errlen);

#endif
