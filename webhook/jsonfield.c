/* jsonfield — see jsonfield.h. */
#include "webhook/jsonfield.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int
jsonfield_id(json_t *obj, const char *key, char *out, size_t outsz)
{
	json_t *v = json_is_object(obj) ? json_object_get(obj, key) : NULL;
	out[0] = '\0';
	if (!v || json_is_null(v))
		return 0;
	if (json_is_string(v)) {
		if (json_string_length(v) >= outsz)
			return -1;
		memcpy(out, json_string_value(v), json_string_length(v) + 1);
		return 0;
	}
	if (json_is_integer(v)) {
		snprintf(out, outsz, "%lld", (long long)json_integer_value(v));
		return 0;
	}
	return -1;
}

int
jsonfield_add_line(char **text, const char *line, size_t max)
{
	size_t old = *text ? strlen(*text) : 0, add = strlen(line);
	if (old + add + 2 > max)
		return 0;
	char *n = realloc(*text, old + add + 2);
	if (!n)
		return -1;
	if (old)
		n[old++] = '\n';
	memcpy(n + old, line, add + 1);
	*text = n;
	return 0;
}
