/* urgency — see urgency.h. */
#include "gateway/urgency.h"

#include <stdlib.h>

#include "gateway/config.h"
#include "gateway/text.h"

int
urgency_match(const struct config *cfg, const char *text)
{
	char *folded = text_fold(text);
	int urgent = 0;
	for (size_t i = 0; folded && i < cfg->n_urgent_keywords && !urgent; i++)
		urgent = text_contains_word(folded, cfg->urgent_keywords[i]);
	free(folded);
	return urgent;
}
