/* Fuzz target: the attachment URL policy (webhook/zalo_url.c) on raw input,
 * and the config URL check. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/config.h"
#include "webhook/zalo_url.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char *hosts[] = { "zdn.vn", "zadn.vn" };
	char *url = malloc(size + 1);
	if (!url)
		return 0;
	memcpy(url, data, size);
	url[size] = '\0';
	struct config cfg;
	memset(&cfg, 0, sizeof cfg);
	cfg.attach_hosts[0] = hosts[0];
	cfg.attach_hosts[1] = hosts[1];
	cfg.n_attach_hosts = 2;
	cfg.attach_test_origin = "http://127.0.0.1:8081";
	char why[128], err[256];
	(void)zalo_url_media(&cfg, url, why, sizeof why);
	(void)zalo_url_allowed(url);
	cfg.attach_test_origin = url;
	(void)zalo_url_check_config(&cfg, err, sizeof err);
	free(url);
	return 0;
}
