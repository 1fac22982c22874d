/* Fuzz target: the Zalo OA webhook parser and signature check. */
#include <stdint.h>
#include <stdlib.h>

#include "webhook/oa_event.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct oa_event ev;
	char err[128];
	if (oa_event_parse((const char *)data, size, &ev, err, sizeof err) == 0) {
		(void)oa_verify(&ev, (const char *)data, size,
		    "mac=be6cca31231c2762fa650d7055c2401a842dc0e4ada867badb73e938a45f64dd", "secret",
		    NULL);
		(void)oa_event_time(&ev);
		oa_event_clear(&ev);
	}
	return 0;
}
