/* jsonfield — the two small things both Zalo parsers need: an id that Zalo
 * sends as a string or a number, and a bounded multi-line text being built.
 * Pure, any thread. */
#ifndef TINBAO_JSONFIELD_H
#define TINBAO_JSONFIELD_H

#include <jansson.h>
#include <stddef.h>

/* obj[key] (a string, or an integer as its decimal text) into out; absent or
 * null leaves out empty. 0, or -1 when it has another type, is too long or
 * holds a NUL. */
int jsonfield_id(json_t *obj, const char *key, char *out, size_t outsz);
/* The text of a JSON string (NULs, allowed by JSON_ALLOW_NUL, become
 * spaces), malloc'd; NULL when v is not a string or memory ran out. */
char *jsonfield_text(json_t *v);
/* A parse error as a log may show it: "not JSON (premature end of input) at
 * byte 164". Never jansson's text, which quotes the body. */
void jsonfield_error(const json_error_t *je, char *err, size_t errlen);
/* The JSON options both webhook parsers load with. */
#define JSONFIELD_LOAD_FLAGS (JSON_REJECT_DUPLICATES | JSON_ALLOW_NUL)
/* Append line to *text (malloc'd, lines joined by '\n'). Nothing is cut or
 * dropped: the body limit bounds what can come in ([http] body_limit), and
 * the callers bound the lines they add. 0, or -1 out of memory. */
int jsonfield_add_line(char **text, const char *line);

#endif
