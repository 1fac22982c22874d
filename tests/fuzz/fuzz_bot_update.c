/* Fuzz target: the Zalo bot webhook parser. */
#include <stdint.h>
#include <stdlib.h>

#include "webhook/bot_update.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct bot_update u;
	char err[128];
	if (bot_update_parse((const char *)data, size, &u, err, sizeof err) == 0) {
		if (u.kind == BOT_PRIVATE && (!u.message_id[0] || !u.chat_id[0]))
			abort();
		bot_update_clear(&u);
	}
	return 0;
}
