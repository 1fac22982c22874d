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
		if (json_string_length(v) >= outsz ||
		    strlen(json_string_value(v)) != json_string_length(v))
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
jsonfield_add_line(char **text, const char *line)
{
	size_t old = *text ? strlen(*text) : 0, add = strlen(line);
	char *n = realloc(*text, old + add + 2);
	if (!n)
		return -1;
	if (old)
		n[old++] = '\n';
	memcpy(n + old, line, add + 1);
	*text = n;
	return 0;
}

char *
jsonfield_text(json_t *v)
{
	if (!json_is_string(v))
		return NULL;
	size_t n = json_string_length(v);
	char *out = malloc(n + 1);
	if (!out)
		return NULL;
	memcpy(out, json_string_value(v), n);
	out[n] = '\0';
	for (size_t i = 0; i < n; i++)
		if (out[i] == '\0')
			out[i] = ' ';
	return out;
}

void
jsonfield_error(const json_error_t *je, char *err, size_t errlen)
{
	static const struct { enum json_error_code code; const char *kind; } kinds[] = {
		{ json_error_out_of_memory, "out of memory" },
		{ json_error_stack_overflow, "nested too deep" },
		{ json_error_invalid_utf8, "invalid UTF-8" },
		{ json_error_premature_end_of_input, "premature end of input" },
		{ json_error_end_of_input_expected, "data after the end" },
		{ json_error_invalid_syntax, "invalid syntax" },
		{ json_error_invalid_format, "invalid format" },
		{ json_error_null_character, "a NUL character" },
		{ json_error_null_byte_in_key, "a NUL in a key" },
		{ json_error_duplicate_key, "a duplicate key" },
		{ json_error_numeric_overflow, "a number out of range" },
	};
	const char *kind = "unknown error";
	enum json_error_code code = json_error_code(je);
	for (size_t i = 0; i < sizeof kinds / sizeof kinds[0]; i++)
		if (kinds[i].code == code)
			kind = kinds[i].kind;
	snprintf(err, errlen, "not JSON (%s) at byte %d", kind, je->position);
}
