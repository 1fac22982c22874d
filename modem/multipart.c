/* multipart — see multipart.h. */
#include "modem/multipart.h"

#include <stdlib.h>
#include <string.h>

char *
multipart_join(const struct mp_part *parts, size_t n, int total, int *complete)
{
	if (total < 1 || total > MULTIPART_MAX_PARTS || (n && !parts))
		return NULL;
	const char *slot[MULTIPART_MAX_PARTS + 1] = { 0 };
	for (size_t i = 0; i < n; i++) {
		int s = parts[i].seq;
		if (s >= 1 && s <= total && parts[i].text && !slot[s])
			slot[s] = parts[i].text;    /* first copy of a repeated part wins */
	}
	size_t len = 1;
	int have = 0;
	for (int s = 1; s <= total; s++) {
		if (slot[s]) {
			len += strlen(slot[s]);
			have++;
		} else {
			len += strlen(MULTIPART_GAP);
		}
	}
	char *out = malloc(len);
	if (!out)
		return NULL;
	char *p = out;
	for (int s = 1; s <= total; s++) {
		const char *t = slot[s] ? slot[s] : MULTIPART_GAP;
		size_t l = strlen(t);
		memcpy(p, t, l);
		p += l;
	}
	*p = '\0';
	if (complete)
		*complete = have == total;
	return out;
}
