/* Fuzz target: joining multipart SMS parts in any order, with repeats, gaps
 * and out-of-range sequence numbers. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "modem/multipart.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	int total = data[0];
	size_t n = data[1] % 16;
	struct mp_part parts[16];
	char texts[16][8];
	size_t at = 2;
	for (size_t i = 0; i < n; i++) {
		parts[i].seq = at < size ? (int8_t)data[at++] : 1;
		size_t len = at < size ? data[at++] % 8 : 0;
		if (len > size - at)
			len = size - at;
		memcpy(texts[i], data + at, len);
		texts[i][len < 7 ? len : 7] = '\0';
		at += len;
		parts[i].text = texts[i];
	}
	int complete = -1;
	char *s = multipart_join(parts, n, total, &complete);
	if (s && complete != 0 && complete != 1)
		abort();
	if (!s && total >= 1 && total <= MULTIPART_MAX_PARTS)
		abort();                          /* only bad totals are refused */
	free(s);
	return 0;
}
