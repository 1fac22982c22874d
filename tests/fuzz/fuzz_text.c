/* Fuzz target: cleaning, folding, unaccenting and truncating text. Outputs
 * must be valid UTF-8; the unaccented form must be printable ASCII. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistr.h>

#include "gateway/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void
valid(const char *s)
{
	if (s && u8_check((const uint8_t *)s, strlen(s)) != NULL)
		abort();
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *clean = text_clean((const char *)data, size);
	if (!clean)
		return 0;
	valid(clean);
	char *fold = text_fold(clean), *plain = text_unaccent(clean);
	char *cut = text_truncate(clean, size % 80);
	valid(fold);
	valid(cut);
	for (const char *p = plain; p && *p; p++)
		if ((*p < 0x20 && *p != '\n') || *p > 0x7E)
			abort();
	if (cut && text_chars(cut) > size % 80 + (size % 80 == 0))
		abort();
	if (fold)
		(void)text_contains_word(fold, "dao");
	free(clean);
	free(fold);
	free(plain);
	free(cut);
	return 0;
}
