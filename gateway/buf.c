/* buf — see buf.h. */
#include "gateway/buf.h"

#include <stdlib.h>
#include <string.h>

void
buf_init(struct buf *b, size_t max)
{
	memset(b, 0, sizeof *b);
	b->max = max;
}

int
buf_append(struct buf *b, const void *p, size_t n)
{
	if (n > b->max - b->len) {
		b->overflow = 1;
		return -1;
	}
	char *grown = realloc(b->data, b->len + n + 1);
	if (!grown)
		return -1;
	if (n)
		memcpy(grown + b->len, p, n);
	b->data = grown;
	b->len += n;
	b->data[b->len] = '\0';
	return 0;
}

void
buf_free(struct buf *b)
{
	free(b->data);
	b->data = NULL;
	b->len = 0;
	b->overflow = 0;
}

char *
buf_take(struct buf *b)
{
	char *p = b->data;
	b->data = NULL;
	b->len = 0;
	b->overflow = 0;
	return p;
}
