/* multipart — joins the parts of a concatenated SMS into one text.
 *
 * Pure function, any thread; the modem's inbox (modem_inbox.c) uses it to
 * reassemble the parts the store keeps. Parts may come in any order, repeated, or with
 * sequence numbers out of range (a hostile or broken sender): those are
 * ignored. A missing part is marked in the text with MULTIPART_GAP so the
 * reader sees that something is absent. The result is malloc'd; free().
 */
#ifndef TINBAO_MULTIPART_H
#define TINBAO_MULTIPART_H

#include <stddef.h>

#define MULTIPART_MAX_PARTS 255
#define MULTIPART_GAP " […] "

struct mp_part {
	int seq;             /* 1-based */
	const char *text;
};

/* *complete is set to 1 when every part 1..total is present. NULL on bad
 * arguments (total outside 1..MULTIPART_MAX_PARTS) or out of memory. */
char *multipart_join(const struct mp_part *parts, size_t n, int total, int *complete);

#endif
