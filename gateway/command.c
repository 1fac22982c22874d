/* command — see command.h. */
#include "gateway/command.h"

#include <stdlib.h>
#include <string.h>

#include "gateway/text.h"

#define WORD_MAX 64                 /* a command word longer than this is none */
#define ID_SHAPE_MAX 24             /* a token longer than this is not a mistyped id */
#define ID_SCAN_WORDS 4             /* a citizen's id may come after up to 3 words */

struct token {
	const char *p;
	size_t len;
};

/* The length of the white space at p: ASCII space, tab, CR, LF, or a
 * no-break space (U+00A0, which some keyboards put after a word); 0 if none. */
static size_t
space_len(const char *p)
{
	if (*p == ' ' || *p == '\t' || *p == '\n' || *p == '\r')
		return 1;
	if ((unsigned char)p[0] == 0xC2 && (unsigned char)p[1] == 0xA0)
		return 2;
	return 0;
}

static const char *
skip_space(const char *p)
{
	size_t n;
	while ((n = space_len(p)) > 0)
		p += n;
	return p;
}

/* The next word at or after *pp; advances *pp past it. len 0 at the end. */
static struct token
next_word(const char **pp)
{
	struct token t;
	const char *p = skip_space(*pp);
	t.p = p;
	while (*p && space_len(p) == 0)
		p++;
	t.len = (size_t)(p - t.p);
	*pp = p;
	return t;
}

/* Punctuation people put after a word or an id: "OK:", "7KM4QX." */
static size_t
trim_punct(const char *p, size_t len)
{
	while (len > 0 && p[len - 1] != '\0' && strchr(".,:;!?)", p[len - 1]) != NULL)
		len--;
	return len;
}

/* The folded form of a command word, without trailing punctuation, into out
 * (empty when it is too long to be a command). */
static void
fold_word(struct token w, char out[WORD_MAX])
{
	out[0] = '\0';
	if (w.len == 0 || w.len >= WORD_MAX)
		return;
	char raw[WORD_MAX];
	memcpy(raw, w.p, w.len);
	raw[w.len] = '\0';
	char *f = text_fold(raw);
	if (!f)
		return;
	size_t n = trim_punct(f, strlen(f));
	if (n < WORD_MAX) {
		memcpy(out, f, n);
		out[n] = '\0';
	}
	free(f);
}

static char
ascii_lower(char c)
{
	return c >= 'A' && c <= 'Z' ? (char)(c - 'A' + 'a') : c;
}

/* Does p (len bytes) start with word, ASCII case-insensitively? */
static int
ascii_nocase_prefix(const char *p, size_t len, const char *word)
{
	size_t n = strlen(word);
	if (len < n)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower(p[i]) != ascii_lower(word[i]))
			return 0;
	return 1;
}

/* A command word glued to its id, as in "TT7KM4QX" or "ok7km4qx": the ASCII
 * word, then a valid id (the check character makes this safe to accept). */
static int
glued_id(const char *prefix, struct token w, const char *word, struct command *out)
{
	size_t n = strlen(word), len = trim_punct(w.p, w.len);
	if (len <= n || !ascii_nocase_prefix(w.p, len, word))
		return 0;
	if (trackid_parse(prefix, w.p + n, len - n, out->code, &out->had_prefix) < 0)
		return 0;
	out->id_state = CMD_ID_OK;
	return 1;
}

static void
set_bad_token(struct command *out, const char *p, size_t len)
{
	size_t n = len < sizeof out->bad_token - 1 ? len : sizeof out->bad_token - 1;
	while (n > 0 && n < len && ((unsigned char)p[n] & 0xC0) == 0x80)
		n--;                             /* cut at a character boundary */
	memcpy(out->bad_token, p, n);
	out->bad_token[n] = '\0';
}

/* Is the token shaped like an id somebody mistyped (letters, digits, dashes
 * and one space after the prefix, not too long)? */
static int
id_shaped(const char *p, size_t len)
{
	if (len == 0 || len > ID_SHAPE_MAX)
		return 0;
	for (size_t i = 0; i < len; i++) {
		char c = p[i];
		if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		    c == '-' || c == ' '))
			return 0;
	}
	return 1;
}

/* Read an id at *pp: "TB-7KM4QX", "TB7KM4QX", "TB 7KM4QX" or "7KM4QX",
 * maybe followed by punctuation. Sets id_state (and code or bad_token) and
 * advances *pp past what it read; on CMD_ID_NONE *pp is unchanged. The
 * offending text when INVALID is returned in *bad. */
static void
read_id(const char *prefix, const char **pp, struct command *out, struct token *bad)
{
	const char *p = *pp;
	struct token w = next_word(&p);
	if (w.len == 0) {
		out->id_state = CMD_ID_NONE;
		return;
	}
	*pp = p;
	size_t idlen = trim_punct(w.p, w.len);
	if (trackid_parse(prefix, w.p, idlen, out->code, &out->had_prefix) == 0) {
		out->id_state = CMD_ID_OK;
		return;
	}
	bad->p = w.p;
	bad->len = idlen > 0 ? idlen : w.len;
	out->id_state = CMD_ID_INVALID;
	/* the prefix alone, then the code: "TB 7KM4QX" */
	size_t plen = strlen(prefix);
	if (plen > 0 && w.len == plen && ascii_nocase_prefix(w.p, w.len, prefix)) {
		const char *q = p;
		struct token w2 = next_word(&q);
		size_t len2 = trim_punct(w2.p, w2.len);
		if (len2 > 0 && trackid_parse(prefix, w2.p, len2, out->code, NULL) == 0) {
			*pp = q;
			out->had_prefix = 1;
			out->id_state = CMD_ID_OK;
			return;
		}
		if (len2 > 0 && id_shaped(w2.p, len2)) {
			*pp = q;                     /* "TB 7KM4QY": both words are the bad id */
			bad->len = (size_t)(w2.p + len2 - w.p);
		}
	}
	set_bad_token(out, bad->p, bad->len);
}

/* The text after "TT" read leniently, the way people type an id on a phone:
 * "7KM 4Q9", "TB- 7KM4Q9", "TB - 7KM4Q9", ":TB-7KM4Q9", "#7KM4Q9",
 * "mã 7KM4Q9". Only letters, digits, spaces and - _ . : # / may be there
 * (at most ID_SHAPE_MAX bytes once folded); what is left of the letters and
 * digits must be a valid id, so the check character keeps this safe. 1 with
 * out->code set, 0 otherwise. */
static int
loose_id(const char *prefix, const char *s, struct command *out)
{
	char *f = text_fold(s);
	if (!f)
		return 0;
	size_t n = trim_punct(f, strlen(f)), k = 0;
	char compact[ID_SHAPE_MAX + 1];
	int ok = n > 0 && n <= ID_SHAPE_MAX;
	for (size_t i = 0; ok && i < n; i++) {
		char c = f[i];
		if ((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z'))
			compact[k++] = c;
		else if (!strchr(" -_.:#/", c))
			ok = 0;
	}
	free(f);
	if (!ok)
		return 0;
	compact[k] = '\0';
	const char *c = compact;
	if (trackid_parse(prefix, c, k, out->code, &out->had_prefix) < 0) {
		if (k <= 2 || strncmp(c, "ma", 2) != 0 ||          /* "mã 7KM4Q9" */
		    trackid_parse(prefix, c + 2, k - 2, out->code, &out->had_prefix) < 0)
			return 0;
	}
	out->id_state = CMD_ID_OK;
	out->bad_token[0] = '\0';              /* what a strict read refused */
	return 1;
}

/* What citizens write instead of TT (folded, followed by the id). */
static const char *const status_words[] = { "hoi tinh trang", "tinh trang", "kiem tra",
	"tra cuu" };

/* "tinh trang 7KM4Q9", "Kiểm tra TB-7KM4Q9": 1 with the id in out. */
static int
status_synonym(const char *prefix, const char *text, struct command *out)
{
	if (strlen(text) > 96)
		return 0;                        /* more than a phrase and an id: a tip */
	char *f = text_fold(text);
	int found = 0;
	for (size_t i = 0; f && !found && i < sizeof status_words / sizeof status_words[0]; i++) {
		size_t n = strlen(status_words[i]);
		if (strncmp(f, status_words[i], n) == 0 && (f[n] == ' ' || f[n] == ':'))
			found = loose_id(prefix, f + n, out);
	}
	free(f);
	return found;
}

/* The rest after p, trimmed, as the argument. */
static void
set_rest(struct command *out, const char *p)
{
	p = skip_space(p);
	const char *end = p + strlen(p);
	for (;;) {
		if (end - p >= 1 && space_len(end - 1) == 1)
			end--;
		else if (end - p >= 2 && space_len(end - 2) == 2)
			end -= 2;
		else
			break;
	}
	out->arg = p;
	out->arg_len = (size_t)(end - p);
}

/* max: the longest text read (0: any length). */
static int
start(const char **prefix, const char *text, size_t max, struct command *out)
{
	if (!out)
		return -1;
	memset(out, 0, sizeof *out);
	out->kind = CMD_NONE;
	out->id_state = CMD_ID_NONE;
	out->arg = "";
	if (!*prefix)
		*prefix = "";
	if (!text || (max && strnlen(text, max + 1) > max))
		return -1;
	return 0;
}

static const struct {
	const char *word;            /* folded */
	enum cmd_kind kind;
} officer_words[] = {
	{ "ok", CMD_ACK }, { "nhan", CMD_ACK }, { "xong", CMD_CLOSE }, { "hoi", CMD_ASK },
	{ "chuyen", CMD_TRANSFER }, { "ds", CMD_LIST },
};

int
command_parse_officer(const char *prefix, const char *text, struct command *out)
{
	if (start(&prefix, text, COMMAND_TEXT_MAX, out) < 0)
		return -1;
	const char *p = text;
	struct token w = next_word(&p), bad = { text, 0 };
	char word[WORD_MAX];
	fold_word(w, word);
	for (size_t i = 0; i < sizeof officer_words / sizeof officer_words[0]; i++) {
		enum cmd_kind kind = officer_words[i].kind;
		if (strcmp(word, officer_words[i].word) == 0) {
			out->kind = kind;
			if (kind != CMD_LIST)
				read_id(prefix, &p, out, &bad);
			set_rest(out, p);
			return 0;
		}
		if (kind != CMD_LIST && glued_id(prefix, w, officer_words[i].word, out)) {
			out->kind = kind;
			set_rest(out, p);
			return 0;
		}
	}
	return 0;
}

int
command_parse_citizen(const char *prefix, const char *text, struct command *out)
{
	if (start(&prefix, text, 0, out) < 0)
		return -1;
	const char *p = text;
	struct token w = next_word(&p), bad = { text, 0 };
	char word[WORD_MAX];
	fold_word(w, word);
	const char *lead = skip_space(text);
	int tt_glued = strcmp(word, "tt") != 0 && ascii_nocase_prefix(lead, strlen(lead), "tt") &&
	    lead[2] != '\0' && strchr(":.-#", lead[2]) != NULL;  /* "TT:7KM4Q9", "TT-TB-7KM4Q9" */
	if (strcmp(word, "tt") == 0 || glued_id(prefix, w, "tt", out) || tt_glued) {
		if (out->id_state != CMD_ID_OK && !tt_glued)
			read_id(prefix, &p, out, &bad);
		if (out->id_state != CMD_ID_OK && loose_id(prefix, lead + 2, out))
			p = lead + strlen(lead);             /* "TT 7KM 4Q9", "TT TB- 7KM4Q9" */
		if (tt_glued && out->id_state != CMD_ID_OK)
			goto plain;
		const char *after = skip_space(p);
		/* "TT <something>" is a status query only when the something could
		 * be a mistyped id on its own; "TT có cướp ở chợ" is a tip. */
		if (out->id_state != CMD_ID_INVALID || (*after == '\0' && id_shaped(bad.p, bad.len))) {
			out->kind = CMD_STATUS;
			set_rest(out, p);
			return 0;
		}
	} else if (status_synonym(prefix, text, out)) {
		out->kind = CMD_STATUS;
		out->arg = "";
		return 0;
	} else {
		p = text;
		read_id(prefix, &p, out, &bad);
		if (out->id_state == CMD_ID_OK) {
			out->kind = CMD_FOLLOWUP;
			set_rest(out, p);
			return 0;
		}
		/* "bo sung 7KM4Q9 ...", "BS TB-7KM4Q9: ...", "huy 7KM4Q9": a valid id
		 * among the first words names the tip; the text is kept whole. An id
		 * that is nobody's, or somebody else's, changes nothing (route.c). */
		for (int i = 1; i < ID_SCAN_WORDS; i++) {
			const char *q = p;
			struct command probe;
			memset(&probe, 0, sizeof probe);
			struct token b2 = { text, 0 };
			read_id(prefix, &q, &probe, &b2);
			if (probe.id_state == CMD_ID_NONE)
				break;
			if (probe.id_state == CMD_ID_OK) {
				memcpy(out->code, probe.code, sizeof out->code);
				out->had_prefix = probe.had_prefix;
				out->id_state = CMD_ID_OK;
				out->bad_token[0] = '\0';      /* a first word read_id refused */
				out->kind = CMD_FOLLOWUP;
				set_rest(out, text);
				return 0;
			}
			(void)next_word(&p);                   /* the word read_id refused */
		}
	}
plain:
	/* a plain tip: the whole text */
	memset(out, 0, sizeof *out);
	out->kind = CMD_NONE;
	out->id_state = CMD_ID_NONE;
	out->arg = text;
	out->arg_len = strlen(text);
	return 0;
}

const char *
command_after_mention(const char *text)
{
	if (!text || text[0] != '@')
		return text;
	char *folded = text_fold(text);
	const char *found = NULL;
	/* folding keeps one word per word: walk both strings word by word */
	const char *p = text, *f = folded;
	while (folded && *p && !found) {
		while (*p == ' ' || *p == '\n' || *p == '\t')
			p++;
		while (*f == ' ')
			f++;
		for (size_t i = 0; i < sizeof officer_words / sizeof officer_words[0] && !found; i++) {
			size_t n = strlen(officer_words[i].word);
			if (strncmp(f, officer_words[i].word, n) == 0 && (f[n] == ' ' || f[n] == '\0'))
				found = p;
		}
		while (*p && *p != ' ' && *p != '\n' && *p != '\t')
			p++;
		while (*f && *f != ' ')
			f++;
	}
	free(folded);
	return found ? found : text;
}
