/* zalo_url — see zalo_url.h. */
#include "webhook/zalo_url.h"

#include <arpa/inet.h>
#include <curl/curl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>

#include "gateway/config.h"

/* The parts of a URL this module looks at; NULL when absent. */
struct url_parts {
	char *scheme, *host, *port, *user, *password;
};

static void
parts_free(struct url_parts *p)
{
	curl_free(p->scheme);
	curl_free(p->host);
	curl_free(p->port);
	curl_free(p->user);
	curl_free(p->password);
	memset(p, 0, sizeof *p);
}

/* 0 parsed (p filled), -1 not a URL curl would fetch. */
static int
parse(const char *url, struct url_parts *p)
{
	memset(p, 0, sizeof *p);
	CURLU *u = url ? curl_url() : NULL;
	if (!u)
		return -1;
	int rc = -1;
	if (curl_url_set(u, CURLUPART_URL, url, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_SCHEME, &p->scheme, 0) == CURLUE_OK &&
	    curl_url_get(u, CURLUPART_HOST, &p->host, 0) == CURLUE_OK) {
		/* absent parts come back as errors and stay NULL */
		(void)curl_url_get(u, CURLUPART_PORT, &p->port, 0);
		(void)curl_url_get(u, CURLUPART_USER, &p->user, 0);
		(void)curl_url_get(u, CURLUPART_PASSWORD, &p->password, 0);
		for (char *h = p->host; *h; h++)
			if (*h >= 'A' && *h <= 'Z')
				*h = (char)(*h - 'A' + 'a');
		rc = 0;
	}
	curl_url_cleanup(u);
	if (rc < 0)
		parts_free(p);
	return rc;
}

/* localhost, 127.0.0.0/8 written as an address, or [::1]. */
static int
loopback_host(const char *host)
{
	struct in_addr a4;
	if (strcmp(host, "localhost") == 0 || strcmp(host, "[::1]") == 0)
		return 1;
	return inet_pton(AF_INET, host, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127;
}

int
zalo_url_allowed(const char *url)
{
	struct url_parts p;
	if (parse(url, &p) < 0)
		return 0;
	int ok = !p.user && !p.password && (strcasecmp(p.scheme, "https") == 0 ||
	    (strcasecmp(p.scheme, "http") == 0 && loopback_host(p.host)));
	parts_free(&p);
	return ok;
}

/* host is a name (letters, digits, '-', '.'; not an address) equal to or
 * under one of the allowed suffixes. */
static int
host_allowed(const struct config *cfg, const char *host)
{
	size_t len = strlen(host);
	int letters = 0;
	if (len == 0 || host[0] == '.' || host[len - 1] == '.')
		return 0;
	for (const char *c = host; *c; c++) {
		if (*c >= 'a' && *c <= 'z')
			letters = 1;
		else if (!((*c >= '0' && *c <= '9') || *c == '-' || *c == '.'))
			return 0;
	}
	if (!letters)
		return 0;                   /* 2130706433, 0x7f.1: an address, never a name */
	for (size_t i = 0; i < cfg->n_attach_hosts; i++) {
		const char *s = cfg->attach_hosts[i];
		size_t n = strlen(s);
		if (len == n ? strcmp(host, s) == 0 :
		    len > n && host[len - n - 1] == '.' && strcmp(host + len - n, s) == 0)
			return 1;
	}
	return 0;
}

static void
say(char *why, size_t whysz, const char *text)
{
	if (why && whysz)
		snprintf(why, whysz, "%s", text);
}

/* The URL is the test origin's scheme, host and port. */
static int
is_test_origin(const struct config *cfg, const struct url_parts *u)
{
	struct url_parts o;
	if (!cfg->attach_test_origin || parse(cfg->attach_test_origin, &o) < 0)
		return 0;
	int same = strcasecmp(u->scheme, o.scheme) == 0 && strcmp(u->host, o.host) == 0 &&
	    u->port && o.port && strcmp(u->port, o.port) == 0;
	parts_free(&o);
	return same;
}

enum zalo_media
zalo_url_media(const struct config *cfg, const char *url, char *why, size_t whysz)
{
	struct url_parts u;
	enum zalo_media r = ZALO_MEDIA_REFUSED;
	if (parse(url, &u) < 0) {
		say(why, whysz, "not a URL");
		return r;
	}
	if (u.user || u.password)
		say(why, whysz, "a URL with a user name or password");
	else if (is_test_origin(cfg, &u))
		r = ZALO_MEDIA_TEST;
	else if (strcasecmp(u.scheme, "https") != 0)
		say(why, whysz, "not an https link");
	else if (u.port && strcmp(u.port, "443") != 0)
		say(why, whysz, "not a Zalo media link (a port other than 443)");
	else if (!host_allowed(cfg, u.host))
		say(why, whysz, "not a Zalo media link (host not in [attachments] hosts)");
	else
		r = ZALO_MEDIA_CDN;
	parts_free(&u);
	return r;
}

/* An IPv4 address (host order) that a fetch may reach. */
static int
v4_public(uint32_t a)
{
	static const struct { uint32_t net, mask; } bad[] = {
		{ 0x00000000, 0xff000000 },   /* 0.0.0.0/8 "this network" */
		{ 0x0a000000, 0xff000000 },   /* 10/8 */
		{ 0x64400000, 0xffc00000 },   /* 100.64/10 shared (CGNAT) */
		{ 0x7f000000, 0xff000000 },   /* 127/8 loopback */
		{ 0xa9fe0000, 0xffff0000 },   /* 169.254/16 link-local (cloud metadata) */
		{ 0xac100000, 0xfff00000 },   /* 172.16/12 */
		{ 0xc0000000, 0xffffff00 },   /* 192.0.0/24 protocol assignments */
		{ 0xc0000200, 0xffffff00 },   /* 192.0.2/24 documentation */
		{ 0xc0a80000, 0xffff0000 },   /* 192.168/16 */
		{ 0xc6120000, 0xfffe0000 },   /* 198.18/15 benchmarking */
		{ 0xc6336400, 0xffffff00 },   /* 198.51.100/24 documentation */
		{ 0xcb007100, 0xffffff00 },   /* 203.0.113/24 documentation */
		{ 0xe0000000, 0xe0000000 },   /* 224/4 multicast, 240/4 reserved, broadcast */
	};
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
		if ((a & bad[i].mask) == bad[i].net)
			return 0;
	return 1;
}

static uint32_t
v4_at(const unsigned char *b)
{
	return (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 | (uint32_t)b[2] << 8 | b[3];
}

int
zalo_addr_allowed(const struct sockaddr *sa, size_t len, int loopback_ok)
{
	if (sa->sa_family == AF_INET && len >= sizeof(struct sockaddr_in)) {
		uint32_t a = ntohl(((const struct sockaddr_in *)sa)->sin_addr.s_addr);
		if (loopback_ok && (a >> 24) == 127)
			return 1;
		return v4_public(a);
	}
	if (sa->sa_family != AF_INET6 || len < sizeof(struct sockaddr_in6))
		return 0;
	const unsigned char *b = ((const struct sockaddr_in6 *)sa)->sin6_addr.s6_addr;
	static const unsigned char zero[16];
	if (memcmp(b, zero, 15) == 0 && (b[15] == 0 || b[15] == 1))
		return loopback_ok && b[15] == 1;                 /* :: and ::1 */
	if (memcmp(b, zero, 10) == 0 && b[10] == 0xff && b[11] == 0xff)
		return loopback_ok && b[12] == 127 ? 1 : v4_public(v4_at(b + 12));   /* v4-mapped */
	if (memcmp(b, zero, 12) == 0)
		return 0;                                         /* v4-compatible (obsolete) */
	static const unsigned char nat64[12] = { 0x00, 0x64, 0xff, 0x9b };
	if (memcmp(b, nat64, 12) == 0)
		return v4_public(v4_at(b + 12));                  /* 64:ff9b::/96 */
	if (b[0] == 0x20 && b[1] == 0x02)
		return v4_public(v4_at(b + 2));                   /* 6to4 2002::/16 */
	if ((b[0] & 0xfe) == 0xfc || (b[0] == 0xfe && (b[1] & 0xc0) == 0x80) ||
	    (b[0] == 0xfe && (b[1] & 0xc0) == 0xc0) || b[0] == 0xff)
		return 0;                 /* ULA fc00::/7, link-local, site-local, multicast */
	if (b[0] == 0x20 && b[1] == 0x01 && b[2] == 0x0d && b[3] == 0xb8)
		return 0;                 /* 2001:db8::/32 documentation */
	if (b[0] == 0x01 && b[1] == 0x00 && memcmp(b + 2, zero, 6) == 0)
		return 0;                 /* 100::/64 discard */
	return 1;
}

int
zalo_url_check_config(const struct config *cfg, char *err, size_t errlen)
{
	const struct { const char *what, *url; int used; } bases[] = {
		{ "[zalo_oa] api_base", cfg->oa_api_base, cfg->oa_app_id != NULL },
		{ "[zalo_oa] oauth_base", cfg->oa_oauth_base, cfg->oa_app_id != NULL },
		{ "[zalo_bot] api_base", cfg->bot_api_base, cfg->bot_token_file != NULL },
	};
	for (size_t i = 0; i < sizeof bases / sizeof bases[0]; i++)
		if (bases[i].used && !zalo_url_allowed(bases[i].url)) {
			snprintf(err, errlen, "%s must be https (plain http only to a loopback "
			    "address)", bases[i].what);
			return -1;
		}
	if (cfg->attach_test_origin) {
		struct url_parts o;
		int ok = parse(cfg->attach_test_origin, &o) == 0;
		ok = ok && strcasecmp(o.scheme, "http") == 0 && loopback_host(o.host) && o.port &&
		    !o.user && !o.password;
		parts_free(&o);
		if (!ok) {
			snprintf(err, errlen, "[attachments] test_origin (TEST ONLY) must be "
			    "http://127.0.0.1:PORT, http://localhost:PORT or http://[::1]:PORT");
			return -1;
		}
	}
	return 0;
}
