/* buf — a growable byte buffer with a maximum set when it is created: an
 * HTTP request body, an answer from Zalo, a downloaded attachment. Past the
 * maximum it refuses (and remembers that it did) instead of growing.
 *
 * A buffer belongs to one thread at a time. The bytes are kept
 * NUL-terminated so a text body can be read as a string; len excludes the
 * NUL. buf_free() releases the bytes and accepts an empty buffer.
 */
#ifndef TINBAO_BUF_H
#define TINBAO_BUF_H

#include <stddef.h>

struct buf {
	char *data;           /* NULL until the first byte; then len + 1 bytes, NUL-ended */
	size_t len;
	size_t max;           /* bytes it may hold, at most */
	int overflow;         /* an append was refused: more than max bytes came */
};

/* An empty buffer that will hold at most max bytes. */
void buf_init(struct buf *b, size_t max);
/* Append n bytes: 0, or -1 when they would pass max (overflow is set, the
 * buffer keeps what it had) or memory ran out (overflow not set). */
int buf_append(struct buf *b, const void *p, size_t n);
/* Free the bytes; the buffer is empty again with the same max. */
void buf_free(struct buf *b);
/* Hand the bytes to the caller (free() them; NULL if none): the buffer is
 * empty again. */
char *buf_take(struct buf *b);

#endif
