/* urgency — see urgency.h. */
#include "gateway/urgency.h"

#include <stddef.h>

#include "gateway/config.h"
#include "gateway/syllable.h"

/* 1 if any phrase of l occurs in t, 0 if none, -1 (memory). */
static int
any_in(const struct syllables *t, const struct config_phrases *l, enum syllables_how how)
{
	for (size_t i = 0; i < l->n; i++) {
		/* split at load; a config put together by hand (tests) may not be */
		struct syllables *own = l->split[i] ? NULL : syllables_phrase(l->v[i]);
		const struct syllables *p = l->split[i] ? l->split[i] : own;
		if (!p)
			return -1;
		int found = syllables_find(t, p, how);
		syllables_free(own);
		if (found)
			return 1;
	}
	return 0;
}

int
urgency_match_split(const struct config *cfg, const struct syllables *t)
{
	int urgent = any_in(t, &cfg->urgent_keywords, SYLLABLES_AS_WRITTEN);
	if (urgent == 0)
		urgent = any_in(t, &cfg->urgent_phrases_unaccented, SYLLABLES_UNACCENTED);
	return urgent;
}

int
urgency_match(const struct config *cfg, const char *text)
{
	struct syllables *t = syllables_split(text);
	if (!t)
		return -1;
	int urgent = urgency_match_split(cfg, t);
	syllables_free(t);
	return urgent;
}
