/* command — see command.h. */
#include "gateway/command.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "gateway/text.h"

#define WORD_MAX 64

struct cursor {
	const char *p;
};

static int
is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static void
skip_space(struct cursor *c)
{
	while (*c->p && is_space(*c->p))
		c->p++;
}

/* The next word [start, len); advances past it. len 0 at the end. */
static size_t
next_word(struct cursor *c, const char **start)
{
	skip_space(c);
	*start = c->p;
	while (*c->p && !is_space(*c->p))
		c->p++;
	return (size_t)(c->p - *start);
}

/* The folded form of a word, into out (empty if too long). */
static void
fold_word(const char *w, size_t len, char *out, size_t outsz)
{
	out[0] = '\0';
	if (len == 0 || len >= WORD_MAX)
		return;
	char raw[WORD_MAX];
	memcpy(raw, w, len);
	raw[len] = '\0';
	char *f = text_fold(raw);
	if (f) {
		snprintf(out, outsz, "%s", f);
		free(f);
	}
	/* allow a trailing ':' or ',' after the command word */
	size_t n = strlen(out);
	while (n && (out[n - 1] == ':' || out[n - 1] == ',' || out[n - 1] == '.'))
		out[--n] = '\0';
}

static void
set_rest(struct command *out, struct cursor *c)
{
	skip_space(c);
	const char *end = c->p + strlen(c->p);
	while (end > c->p && is_space(end[-1]))
		end--;
	out->arg = c->p;
	out->arg_len = (size_t)(end - c->p);
}

/* Read an id at the cursor: "TB-XXXXXX", "TBXXXXXX", "TB XXXXXX", "XXXXXX".
 * Sets id_state; on NONE the cursor is unchanged. */
static void
read_id(const char *prefix, struct cursor *c, struct command *out)
{
	struct cursor save = *c;
	const char *w;
	size_t len = next_word(c, &w);
	if (len == 0) {
		*c = save;
		out->id_state = CMD_ID_NONE;
		return;
	}
	/* strip punctuation that people put after an id */
	size_t idlen = len;
	while (idlen && (w[idlen - 1] == '.' || w[idlen - 1] == ',' || w[idlen - 1] == ':'))
		idlen--;
	if (trackid_parse(prefix, w, idlen, out->code, &out->had_prefix) == 0) {
		out->id_state = CMD_ID_OK;
		return;
	}
	/* "TB 7KM4QX": the prefix alone, then the code */
	if (idlen == strlen(prefix) && strncasecmp(w, prefix, idlen) == 0) {
		struct cursor after = *c;
		const char *w2;
		size_t len2 = next_word(&after, &w2);
		while (len2 && (w2[len2 - 1] == '.' || w2[len2 - 1] == ','))
			len2--;
		if (trackid_parse(prefix, w2, len2, out->code, NULL) == 0) {
			*c = after;
			out->had_prefix = 1;
			out->id_state = CMD_ID_OK;
			return;
		}
	}
	out->id_state = CMD_ID_INVALID;
	snprintf(out->bad_token, sizeof out->bad_token, "%.*s", (int)(len < 31 ? len : 31), w);
}

static int
start(const char *text, struct command *out, struct cursor *c)
{
	memset(out, 0, sizeof *out);
	out->arg = "";
	if (!text || strlen(text) > COMMAND_TEXT_MAX)
		return -1;
	c->p = text;
	return 0;
}

int
command_parse_officer(const char *prefix, const char *text, struct command *out)
{
	struct cursor c;
	if (start(text, out, &c) < 0)
		return -1;
	const char *w;
	size_t len = next_word(&c, &w);
	char word[WORD_MAX];
	fold_word(w, len, word, sizeof word);
	static const struct { const char *word; enum cmd_kind kind; } words[] = {
		{ "ok", CMD_ACK }, { "nhan", CMD_ACK }, { "xong", CMD_CLOSE }, { "hoi", CMD_ASK },
		{ "chuyen", CMD_TRANSFER }, { "ds", CMD_LIST },
	};
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		if (strcmp(word, words[i].word) != 0)
			continue;
		out->kind = words[i].kind;
		if (out->kind == CMD_LIST) {
			set_rest(out, &c);
			return 0;
		}
		read_id(prefix, &c, out);
		set_rest(out, &c);
		return 0;
	}
	out->kind = CMD_NONE;
	return 0;
}

int
command_parse_citizen(const char *prefix, const char *text, struct command *out)
{
	struct cursor c;
	if (start(text, out, &c) < 0)
		return -1;
	struct cursor first = c;
	const char *w;
	size_t len = next_word(&c, &w);
	char word[WORD_MAX];
	fold_word(w, len, word, sizeof word);
	if (strcmp(word, "tt") == 0) {
		out->kind = CMD_STATUS;
		read_id(prefix, &c, out);
		if (out->id_state == CMD_ID_NONE) {
			out->id_state = CMD_ID_INVALID;
			snprintf(out->bad_token, sizeof out->bad_token, "%s", "");
		}
		set_rest(out, &c);
		return 0;
	}
	c = first;
	struct command probe;
	memset(&probe, 0, sizeof probe);
	read_id(prefix, &c, &probe);
	if (probe.id_state == CMD_ID_OK) {
		*out = probe;
		out->kind = CMD_FOLLOWUP;
		set_rest(out, &c);
		return 0;
	}
	out->kind = CMD_NONE;
	out->arg = text;
	out->arg_len = strlen(text);
	return 0;
}
