/* Fuzz target: SMS encoding (GSM-7 / UCS-2 choice, splitting) of any text,
 * and decoding what was encoded. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/text.h"
#include "modem/smscodec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static GSM_MultiSMSMessage multi;
	char *text = text_clean((const char *)data, size);
	if (!text)
		return 0;
	char err[256];
	int parts = smscodec_encode(text, "+84900000001", (unsigned char)size, 6, &multi, err,
	    sizeof err);
	if (parts > 6)
		abort();
	for (int i = 0; i < parts; i++) {
		int is_data = 0;
		char *back = smscodec_decode(&multi.SMS[i], &is_data);
		free(back);
	}
	free(text);
	return 0;
}
