/* Fuzz target: the key file parser (identity_keyfile_check). Whatever the
 * bytes, it returns -1 or a key count in 1..IDENTITY_SEAL_KEYS_MAX, and a
 * count only for a 32-byte file or the exact versioned length. */
#include <stdint.h>
#include <stdlib.h>

#include "gateway/identity.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char err[256];
	int n = identity_keyfile_check(data, size, err, sizeof err);
	if (n == -1)
		return 0;
	if (n < 1 || n > IDENTITY_SEAL_KEYS_MAX)
		abort();
	if (size != 32 && size != (size_t)(8 + 32 + 1 + 32 * n))
		abort();
	return 0;
}
