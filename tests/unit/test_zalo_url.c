/* Unit tests: which URLs and addresses the Zalo side may call or fetch. */
#include <arpa/inet.h>
#include <netinet/in.h>
#include <string.h>
#include <sys/socket.h>

#include "gateway/config.h"
#include "tests/unit/unit.h"
#include "webhook/zalo_url.h"

static struct config cfg;

static void
setup(const char *origin)
{
	static char *hosts[] = { "zdn.vn", "zadn.vn" };
	memset(&cfg, 0, sizeof cfg);
	cfg.attach_hosts[0] = hosts[0];
	cfg.attach_hosts[1] = hosts[1];
	cfg.n_attach_hosts = 2;
	cfg.attach_test_origin = (char *)origin;
}

static void
test_media_urls(void)
{
	char why[128];
	setup(NULL);
	CHECK(zalo_url_media(&cfg, "https://photo-stal-24.zdn.vn/a.jpg", why, sizeof why) ==
	    ZALO_MEDIA_CDN);
	CHECK(zalo_url_media(&cfg, "https://zdn.vn/a.jpg", why, sizeof why) == ZALO_MEDIA_CDN);
	CHECK(zalo_url_media(&cfg, "HTTPS://S120-AVA-TALK.ZADN.VN/x", why, sizeof why) ==
	    ZALO_MEDIA_CDN);
	CHECK(zalo_url_media(&cfg, "https://f1.zdn.vn:443/x", why, sizeof why) == ZALO_MEDIA_CDN);
	static const char *const refused[] = {
		"http://photo.zdn.vn/a.jpg", "https://evilzdn.vn/a.jpg",
		"https://zdn.vn.example.invalid/a.jpg", "https://zdn.vn@example.invalid/a",
		"https://user:pw@photo.zdn.vn/a", "https://photo.zdn.vn:8443/a",
		"https://127.0.0.1/a", "https://2130706433/a", "https://[::1]/a",
		"http://127.0.0.1@example.invalid/x", "http://127.0.0.1.example.invalid/x",
		"http://127.0.0.1:8080/healthz", "file:///etc/passwd", "ftp://photo.zdn.vn/a",
		"gopher://photo.zdn.vn/", "https://photo.zdn.vn./a",
		"https://xn--zdn-.vn/a", "not a url", "", "https://", "//photo.zdn.vn/a",
	};
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		why[0] = '\0';
		int r = zalo_url_media(&cfg, refused[i], why, sizeof why);
		if (r != ZALO_MEDIA_REFUSED)
			fprintf(stderr, "  allowed: %s\n", refused[i]);
		CHECK(r == ZALO_MEDIA_REFUSED && why[0]);
	}
	/* the test origin: that scheme, host and port only */
	setup("http://127.0.0.1:8081");
	CHECK(zalo_url_media(&cfg, "http://127.0.0.1:8081/_fake/file/a", why, sizeof why) ==
	    ZALO_MEDIA_TEST);
	CHECK(zalo_url_media(&cfg, "http://127.0.0.1:8082/a", why, sizeof why) == ZALO_MEDIA_REFUSED);
	CHECK(zalo_url_media(&cfg, "http://localhost:8081/a", why, sizeof why) == ZALO_MEDIA_REFUSED);
	CHECK(zalo_url_media(&cfg, "http://x@127.0.0.1:8081/a", why, sizeof why) ==
	    ZALO_MEDIA_REFUSED);
}

static void
test_api_bases_and_config(void)
{
	char err[256];
	CHECK(zalo_url_allowed("https://openapi.zalo.me"));
	CHECK(zalo_url_allowed("http://127.0.0.1:9000"));
	CHECK(zalo_url_allowed("http://localhost:9000/x"));
	CHECK(zalo_url_allowed("http://[::1]:9000"));
	CHECK(!zalo_url_allowed("http://127.0.0.1@example.invalid/x"));
	CHECK(!zalo_url_allowed("http://127.0.0.1.example.invalid/x"));
	CHECK(!zalo_url_allowed("http://openapi.zalo.me"));
	CHECK(!zalo_url_allowed("ftp://127.0.0.1/"));
	setup("http://127.0.0.1:8081");
	CHECK(zalo_url_check_config(&cfg, err, sizeof err) == 0);
	setup("http://10.0.0.1:8081");
	CHECK(zalo_url_check_config(&cfg, err, sizeof err) < 0 && strstr(err, "TEST ONLY"));
	setup("https://127.0.0.1:8081");
	CHECK(zalo_url_check_config(&cfg, err, sizeof err) < 0);
	setup("http://127.0.0.1");
	CHECK(zalo_url_check_config(&cfg, err, sizeof err) < 0);
}

static int
v4(const char *a, int loopback_ok)
{
	struct sockaddr_in sa = { .sin_family = AF_INET };
	inet_pton(AF_INET, a, &sa.sin_addr);
	return zalo_addr_allowed((struct sockaddr *)&sa, sizeof sa, loopback_ok);
}

static int
v6(const char *a, int loopback_ok)
{
	struct sockaddr_in6 sa = { .sin6_family = AF_INET6 };
	inet_pton(AF_INET6, a, &sa.sin6_addr);
	return zalo_addr_allowed((struct sockaddr *)&sa, sizeof sa, loopback_ok);
}

static void
test_addresses(void)
{
	CHECK(v4("203.162.4.190", 0) && v4("8.8.8.8", 0));
	static const char *const bad4[] = { "127.0.0.1", "10.1.2.3", "172.16.0.1", "172.31.255.255",
	    "192.168.1.1", "169.254.169.254", "100.64.0.1", "0.0.0.0", "224.0.0.1",
	    "255.255.255.255", "198.18.0.1", "192.0.2.1" };
	for (size_t i = 0; i < sizeof bad4 / sizeof bad4[0]; i++)
		CHECK(!v4(bad4[i], 0));
	CHECK(v4("127.0.0.1", 1) && !v4("10.0.0.1", 1));
	CHECK(v4("172.32.0.1", 0) && v4("100.128.0.1", 0));
	CHECK(v6("2001:4860:4860::8888", 0));
	static const char *const bad6[] = { "::1", "::", "::ffff:127.0.0.1", "::ffff:10.0.0.1",
	    "fe80::1", "fc00::1", "fd12:3456::1", "ff02::1", "64:ff9b::a9fe:a9fe", "2002:a00:1::1",
	    "2001:db8::1", "::127.0.0.1" };
	for (size_t i = 0; i < sizeof bad6 / sizeof bad6[0]; i++)
		CHECK(!v6(bad6[i], 0));
	CHECK(v6("::1", 1) && v6("::ffff:127.0.0.1", 1) && !v6("fe80::1", 1));
	CHECK(v6("::ffff:8.8.8.8", 0));
}

UNIT_MAIN(UNIT(test_media_urls), UNIT(test_api_bases_and_config), UNIT(test_addresses))
