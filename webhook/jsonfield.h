/* jsonfield — the two small things both Zalo parsers need: an id that Zalo
 * sends as a string or a number, and a bounded multi-line text being built.
 * Pure, any thread. */
#ifndef TINBAO_JSONFIELD_H
#define TINBAO_JSONFIELD_H

#include <jansson.h>
#include <stddef.h>

/* obj[key] (a string, or an integer as its decimal text) into out; absent or
 * null leaves out empty. 0, or -1 when it has another type or is too long. */
int jsonfield_id(json_t *obj, const char *key, char *out, size_t outsz);
/* Append line to *text (malloc'd, lines joined by '\n'), keeping it under
 * max bytes: a line that does not fit is dropped. 0, or -1 out of memory. */
int jsonfield_add_line(char **text, const char *line, size_t max);

#endif
