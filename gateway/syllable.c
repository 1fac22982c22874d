/* syllable — see syllable.h. */
#include "gateway/syllable.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicase.h>
#include <unictype.h>
#include <uninorm.h>
#include <unistr.h>
#include <uniwbrk.h>

#include "gateway/text.h"

#define TONE_SEP '\x01'             /* between the letters and the tone in exact */
#define CODE_MAX 16                 /* the longest Telex or VNI token decoded */

struct syl {
	char *word;                 /* as in the folded text */
	char *exact;                /* letters with vowel marks, NFC; TONE_SEP and a tone digit */
	char *plain;                /* no marks, đ -> d */
	uint32_t hexact, hplain;    /* their hashes: most comparisons end there */
	unsigned char marked;       /* a tone, a vowel mark or đ */
	unsigned char joined;       /* only white space between it and the one before */
	unsigned char letter;       /* holds a letter */
};

struct syllables {
	struct syl *v;
	size_t n, cap;
	int marked_text;
	int any_marked;
};

/* ------------------------------------------------------------ characters */

static int
is_mark(ucs4_t c)
{
	return uc_is_general_category(c, UC_CATEGORY_M);
}

/* The five tone marks after NFD, numbered as VNI numbers them: 1 sắc,
 * 2 huyền, 3 hỏi, 4 ngã, 5 nặng. 0 for anything else. */
static char
tone_of(ucs4_t c)
{
	switch (c) {
	case 0x0301: return '1';
	case 0x0300: return '2';
	case 0x0309: return '3';
	case 0x0303: return '4';
	case 0x0323: return '5';
	default: return 0;
	}
}

/* đ, and the look-alikes that keyboards and fonts put in its place (after
 * case folding: ð from Ð, ɖ from Ɖ). */
static int
is_stroke_d(ucs4_t c)
{
	return c == 0x0111 || c == 0x00F0 || c == 0x0256;
}

static int
is_word_char(ucs4_t c)
{
	return uc_is_alnum(c) || is_mark(c);
}

/* ------------------------------------------------------------ the list */

static void
syl_clear(struct syl *y)
{
	free(y->word);
	free(y->exact);
	free(y->plain);
	y->word = y->exact = y->plain = NULL;
}

void
syllables_free(struct syllables *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		syl_clear(&s->v[i]);
	free(s->v);
	free(s);
}

static struct syl *
push(struct syllables *s)
{
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		struct syl *v = reallocarray(s->v, cap, sizeof *v);
		if (!v)
			return NULL;
		s->v = v;
		s->cap = cap;
	}
	struct syl *y = &s->v[s->n++];
	memset(y, 0, sizeof *y);
	return y;
}

static char *
cstr(const uint8_t *p, size_t n)
{
	char *s = malloc(n + 1);
	if (s) {
		memcpy(s, p, n);
		s[n] = '\0';
	}
	return s;
}

/* Appends code point c to buf (room for 4 more bytes is the caller's). */
static size_t
put(uint8_t *buf, size_t o, ucs4_t c)
{
	int w = u8_uctomb(buf + o, c, 4);
	return o + (w > 0 ? (size_t)w : 0);
}

/* FNV-1a: a syllable compared with a phrase's is told apart by this
 * before its bytes are (the guessers compare each syllable of a tip with
 * every phrase they know). */
static uint32_t
key_hash(const char *k)
{
	uint32_t h = 2166136261u;
	for (; *k; k++)
		h = (h ^ (unsigned char)*k) * 16777619u;
	return h;
}

/* exact = NFC(base) + tone; plain is given. 0 / -1 (memory). */
static int
set_keys(struct syl *y, const uint8_t *base, size_t blen, char tone, const uint8_t *plain,
    size_t plen)
{
	size_t nlen = 0, i = 0;
	while (i < blen && base[i] < 0x80)
		i++;
	/* letters without marks are their own NFC (most syllables of a text
	 * typed without diacritics) */
	uint8_t *nfc = i == blen ? NULL : u8_normalize(UNINORM_NFC, base, blen, NULL, &nlen);
	if (i < blen && !nfc)
		return -1;
	if (!nfc)
		nlen = blen;
	char *exact = malloc(nlen + 3);
	char *pl = cstr(plain, plen);
	if (!exact || !pl) {
		free(nfc);
		free(exact);
		free(pl);
		return -1;
	}
	if (nlen)
		memcpy(exact, nfc ? nfc : base, nlen);
	free(nfc);
	if (tone) {
		exact[nlen++] = TONE_SEP;
		exact[nlen++] = tone;
	}
	exact[nlen] = '\0';
	free(y->exact);
	free(y->plain);
	y->exact = exact;
	y->plain = pl;
	y->hexact = key_hash(exact);
	y->hplain = key_hash(pl);
	return 0;
}

/* The keys of a syllable of folded NFC text (word, wlen bytes). */
static int
syl_keys(struct syl *y, const uint8_t *word, size_t wlen)
{
	size_t ascii = 0;
	while (ascii < wlen && word[ascii] < 0x80)
		ascii++;
	if (ascii == wlen) {                    /* no marks possible: both keys are the word */
		for (size_t i = 0; i < wlen; i++)
			y->letter |= (word[i] >= 'a' && word[i] <= 'z');
		return set_keys(y, word, wlen, 0, word, wlen);
	}
	size_t dlen = 0;
	uint8_t *d = u8_normalize(UNINORM_NFD, word, wlen, NULL, &dlen);
	if (!d)
		return -1;
	uint8_t *base = malloc(dlen * 2 + 4), *plain = malloc(dlen + 4);
	if (!base || !plain) {
		free(d);
		free(base);
		free(plain);
		return -1;
	}
	size_t bo = 0, po = 0;
	char tone = 0;
	const uint8_t *p = d, *end = d + dlen;
	while (p < end) {
		ucs4_t c;
		int k = u8_mbtouc(&c, p, (size_t)(end - p));
		p += k > 0 ? k : 1;
		if (uc_is_alpha(c))
			y->letter = 1;
		char t = tone_of(c);
		if (t) {
			if (!tone)
				tone = t;             /* a second tone mark is a typo: the first counts */
			y->marked = 1;
		} else if (is_mark(c)) {
			bo = put(base, bo, c);        /* â ă ê ô ơ ư, and any other mark */
			y->marked = 1;
		} else if (is_stroke_d(c)) {
			bo = put(base, bo, 0x0111);
			plain[po++] = 'd';
			y->marked = 1;
		} else {
			bo = put(base, bo, c);
			po = put(plain, po, c);
		}
	}
	free(d);
	int rc = set_keys(y, base, bo, tone, plain, po);
	free(base);
	free(plain);
	return rc;
}

/* ------------------------------------------------ Telex and VNI leftovers */

static int
is_vowel(ucs4_t c)
{
	static const ucs4_t v[] = { 'a', 0xE2, 0x103, 'e', 0xEA, 'i', 'o', 0xF4, 0x1A1, 'u',
	    0x1B0, 'y' };
	for (size_t i = 0; i < sizeof v / sizeof v[0]; i++)
		if (c == v[i])
			return 1;
	return 0;
}

static int
starts(const ucs4_t *s, size_t n, const char *lit)
{
	size_t k = strlen(lit);
	if (k > n)
		return 0;
	for (size_t i = 0; i < k; i++)
		if (s[i] != (ucs4_t)(unsigned char)lit[i])
			return 0;
	return 1;
}

/* A valid Vietnamese syllable, near enough: an onset, one to three vowels,
 * a coda; a syllable closed by a stop (c, ch, p, t) takes sắc or nặng only.
 * s is lower case with precomposed vowel letters (â, ư, ...), no tone. */
static int
valid_syllable(const ucs4_t *s, size_t n, char tone)
{
	static const char *const onsets[] = { "ngh", "ng", "nh", "ch", "gh", "gi", "kh", "ph",
	    "qu", "th", "tr", "b", "c", "d", "g", "h", "k", "l", "m", "n", "p", "r", "s", "t",
	    "v", "x" };
	static const char *const codas[] = { "ng", "nh", "ch", "c", "m", "n", "p", "t" };
	static const unsigned char stop[] = { 0, 0, 1, 1, 0, 0, 1, 1 };
	size_t i = 0;
	if (n > 0 && s[0] == 0x0111) {
		i = 1;
	} else {
		for (size_t k = 0; k < sizeof onsets / sizeof onsets[0]; k++)
			if (starts(s, n, onsets[k])) {
				i = strlen(onsets[k]);
				break;
			}
	}
	if (i == 2 && s[0] == 'g' && s[1] == 'i' && (n == 2 || !is_vowel(s[2])))
		i = 1;                          /* "gì", "gìn": the i is the vowel */
	size_t v = i;
	while (v < n && is_vowel(s[v]))
		v++;
	if (v == i || v - i > 3)
		return 0;
	if (v == n)
		return 1;
	for (size_t k = 0; k < sizeof codas / sizeof codas[0]; k++)
		if (n - v == strlen(codas[k]) && starts(s + v, n - v, codas[k]))
			return !stop[k] || tone == '1' || tone == '5';
	return 0;
}

/* Replaces the letter before position `at` that is one of `from` with the
 * matching letter of `to`. 0 / -1 when there is none. */
static int
modify_last(ucs4_t *s, size_t at, const char *from, const ucs4_t *to)
{
	for (size_t i = at; i-- > 0;) {
		const char *f = s[i] < 0x80 ? strchr(from, (int)s[i]) : NULL;
		if (f && s[i]) {
			s[i] = to[f - from];
			return 0;
		}
	}
	return -1;
}

/* A w typed after the vowels: ươ for uo, else the horn on the last u or o,
 * else the breve on the last a. 0 / -1 (nothing to put it on). */
static int
horn_cluster(ucs4_t *s, size_t n)
{
	for (size_t i = n; i-- > 1;)
		if (s[i] == 'o' && s[i - 1] == 'u') {
			s[i - 1] = 0x1B0;
			s[i] = 0x1A1;
			return 0;
		}
	static const ucs4_t horn[] = { 0x1B0, 0x1A1 }, breve[] = { 0x103 };
	if (modify_last(s, n, "uo", horn) == 0)
		return 0;
	return modify_last(s, n, "a", breve);
}

/* Telex: "chays" -> chay + sắc, "nguowif" -> ngươi + huyền, "ddaam" -> đâm,
 * "giaajt" -> giât + nặng, "cuopw" -> cươp. w is lower-case ASCII letters.
 * After the first vowel, s f r x j can only be a tone key (no Vietnamese
 * syllable ends in them); a w after a consonant puts the horn or breve on
 * the vowels before it. The letters go to out (at most n), the tone to
 * *tone. 1 if any Telex key was used, 0 if none, -1 if it cannot be Telex. */
static int
telex(const char *w, size_t n, ucs4_t *out, size_t *outn, char *tone)
{
	static const char keys[] = "sfrxj", tones[] = "12345";
	int used = 0, vowel_seen = 0;
	size_t i = 0, o = 0;
	*tone = 0;
	*outn = 0;
	if (n >= 2 && w[0] == 'd' && w[1] == 'd') {
		out[o++] = 0x0111;
		i = 2;
		used = 1;
	}
	while (i < n) {
		char c = w[i], d = i + 1 < n ? w[i + 1] : 0;
		const char *k = vowel_seen ? strchr(keys, c) : NULL;
		if (k) {
			if (*tone)
				return -1;
			*tone = tones[k - keys];
			i++;
			used = 1;
			continue;
		}
		if (strchr("aeiouy", c))
			vowel_seen = 1;
		if ((c == 'a' || c == 'e' || c == 'o') && d == c) {
			out[o++] = c == 'a' ? 0xE2 : c == 'e' ? 0xEA : 0xF4;
			i += 2;
			used = 1;
		} else if (c == 'a' && d == 'w') {
			out[o++] = 0x103;
			i += 2;
			used = 1;
		} else if ((c == 'o' || c == 'u') && d == 'w') {
			if (c == 'o' && o > 0 && out[o - 1] == 'u')
				out[o - 1] = 0x1B0;       /* "uow" -> ươ */
			out[o++] = c == 'o' ? 0x1A1 : 0x1B0;
			i += 2;
			used = 1;
		} else if (c == 'w') {
			if (!vowel_seen) {
				out[o++] = 0x1B0;         /* "tw" -> tư */
				vowel_seen = 1;
			} else if (horn_cluster(out, o) < 0) {
				return -1;
			}
			i++;
			used = 1;
		} else {
			out[o++] = (ucs4_t)(unsigned char)c;
			i++;
		}
	}
	*outn = o;
	return used;
}

/* VNI: "chay1" or "cha1y" -> chay + sắc, "d9a6m" -> đâm, "cu71u" -> cưu +
 * sắc. w is lower-case ASCII letters and digits. As telex(). */
static int
vni(const char *w, size_t n, ucs4_t *out, size_t *outn, char *tone)
{
	static const ucs4_t circ[] = { 0xE2, 0xEA, 0xF4 }, horn[] = { 0x1B0, 0x1A1 },
	    breve[] = { 0x103 };
	int used = 0;
	size_t o = 0;
	*tone = 0;
	*outn = 0;
	for (size_t i = 0; i < n; i++) {
		char c = w[i];
		if (c >= 'a' && c <= 'z') {
			out[o++] = (ucs4_t)(unsigned char)c;
			continue;
		}
		used = 1;
		if (c >= '1' && c <= '5') {
			if (*tone)
				return -1;
			*tone = c;
		} else if (c == '6') {
			if (modify_last(out, o, "aeo", circ) < 0)
				return -1;
		} else if (c == '7') {
			if (modify_last(out, o, "uo", horn) < 0)
				return -1;
			for (size_t k = 1; k < o; k++)            /* "uo7" -> ươ */
				if (out[k] == 0x1A1 && out[k - 1] == 'u')
					out[k - 1] = 0x1B0;
		} else if (c == '8') {
			if (modify_last(out, o, "a", breve) < 0)
				return -1;
		} else if (c == '9') {
			if (o == 0 || out[0] != 'd')
				return -1;
			out[0] = 0x0111;
		} else {
			return -1;
		}
	}
	*outn = o;
	return used;
}

/* The plain letter of a decoded one. */
static ucs4_t
unmark(ucs4_t c)
{
	switch (c) {
	case 0xE2: case 0x103: return 'a';
	case 0xEA: return 'e';
	case 0xF4: case 0x1A1: return 'o';
	case 0x1B0: return 'u';
	case 0x0111: return 'd';
	default: return c;
	}
}

struct decoded {
	ucs4_t s[CODE_MAX];
	size_t n;
	char tone;
};

/* The syllable y's word read as Telex or VNI; 1 and *dec filled when it is
 * a valid syllable with marks, 0 when not. */
static int
decode(const struct syl *y, struct decoded *dec)
{
	const char *w = y->word;
	size_t n = strlen(w);
	if (n < 2 || n > CODE_MAX || !(w[0] >= 'a' && w[0] <= 'z'))
		return 0;
	int digits = 0;
	for (size_t i = 0; i < n; i++) {
		if (w[i] >= '0' && w[i] <= '9')
			digits = 1;
		else if (!(w[i] >= 'a' && w[i] <= 'z'))
			return 0;
	}
	int used = digits ? vni(w, n, dec->s, &dec->n, &dec->tone) :
	    telex(w, n, dec->s, &dec->n, &dec->tone);
	if (used <= 0 || !valid_syllable(dec->s, dec->n, dec->tone))
		return 0;
	int marked = dec->tone != 0;
	for (size_t i = 0; i < dec->n; i++)
		marked |= unmark(dec->s[i]) != dec->s[i];
	return marked;
}

/* y takes the keys of what it spells. 0 / -1 (memory). */
static int
apply(struct syl *y, const struct decoded *dec)
{
	uint8_t base[CODE_MAX * 4 + 4], plain[CODE_MAX * 4 + 4];
	size_t bo = 0, po = 0;
	for (size_t i = 0; i < dec->n; i++) {
		bo = put(base, bo, dec->s[i]);
		po = put(plain, po, unmark(dec->s[i]));
	}
	if (set_keys(y, base, bo, dec->tone, plain, po) < 0)
		return -1;
	y->marked = 1;
	return 0;
}

/* A text without marks, at least half of whose syllables holding a letter
 * read as Telex or VNI, is read that way. 0 / -1 (memory). */
static int
leftovers(struct syllables *s)
{
	size_t letters = 0, codes = 0;
	for (size_t i = 0; i < s->n; i++) {
		struct decoded dec;
		letters += s->v[i].letter;
		codes += decode(&s->v[i], &dec);
	}
	if (codes == 0 || codes * 2 < letters)
		return 0;
	for (size_t i = 0; i < s->n; i++) {
		struct decoded dec;
		if (decode(&s->v[i], &dec) && apply(&s->v[i], &dec) < 0)
			return -1;
	}
	return 0;
}

/* ------------------------------------------------------------ splitting */

static int
has_marks(const struct syllables *s)
{
	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].marked)
			return 1;
	return 0;
}

/* The syllables of one UAX #29 word, [a, b) of the folded text t. */
static int
split_word(struct syllables *s, const uint8_t *t, size_t a, size_t b, size_t *prev_end,
    int *have_prev)
{
	size_t i = a;
	while (i < b) {
		ucs4_t c;
		int k = u8_mbtouc(&c, t + i, b - i);
		size_t step = k > 0 ? (size_t)k : 1;
		if (!is_word_char(c) || is_mark(c)) {
			i += step;              /* a mark with no letter before it is nobody's */
			continue;
		}
		size_t start = i;
		while (i < b) {
			k = u8_mbtouc(&c, t + i, b - i);
			if (!is_word_char(c))
				break;
			i += k > 0 ? (size_t)k : 1;
		}
		struct syl *y = push(s);
		if (!y)
			return -1;
		y->joined = 1;
		if (*have_prev) {
			for (size_t g = *prev_end; g < start;) {
				k = u8_mbtouc(&c, t + g, start - g);
				if (!uc_is_property_white_space(c)) {
					y->joined = 0;
					break;
				}
				g += k > 0 ? (size_t)k : 1;
			}
		}
		*prev_end = i;
		*have_prev = 1;
		y->word = cstr(t + start, i - start);
		if (!y->word || syl_keys(y, t + start, i - start) < 0)
			return -1;
	}
	return 0;
}

static struct syllables *
split(const char *text, int leftovers_too)
{
	struct syllables *s = calloc(1, sizeof *s);
	char *clean = text_clean(text, text ? strlen(text) : 0);
	size_t flen = 0;
	uint8_t *f = clean ? u8_casefold((const uint8_t *)clean, strlen(clean), NULL,
	    UNINORM_NFC, NULL, &flen) : NULL;
	char *brk = f ? malloc(flen + 1) : NULL;
	free(clean);
	if (!s || !brk) {
		free(f);
		free(s);
		return NULL;
	}
	u8_wordbreaks(f, flen, brk);
	size_t a = 0, prev_end = 0;
	int have_prev = 0, rc = 0;
	for (size_t i = 1; i <= flen && rc == 0; i++)
		if (i == flen || brk[i]) {
			rc = split_word(s, f, a, i, &prev_end, &have_prev);
			a = i;
		}
	free(brk);
	free(f);
	if (rc == 0 && leftovers_too && !has_marks(s))
		rc = leftovers(s);
	if (rc < 0) {
		syllables_free(s);
		return NULL;
	}
	size_t letters = 0, marked = 0;
	for (size_t i = 0; i < s->n; i++) {
		letters += s->v[i].letter;
		marked += s->v[i].letter && s->v[i].marked;
		s->any_marked |= s->v[i].marked;
	}
	s->marked_text = marked > 0 && marked * 3 >= letters;
	return s;
}

struct syllables *
syllables_split(const char *text)
{
	return split(text, 1);
}

struct syllables *
syllables_phrase(const char *phrase)
{
	return split(phrase, 0);
}

/* ------------------------------------------------------------ queries */

size_t
syllables_count(const struct syllables *s)
{
	return s ? s->n : 0;
}

int
syllables_marked_text(const struct syllables *s)
{
	return s ? s->marked_text : 0;
}

int
syllables_any_marked(const struct syllables *s)
{
	return s ? s->any_marked : 0;
}

int
syllables_is_phrase(const struct syllables *s)
{
	for (size_t i = 1; s && i < s->n; i++)
		if (!s->v[i].joined)
			return 0;
	return 1;
}

const char *
syllables_plain(const struct syllables *s, size_t i)
{
	return s && i < s->n ? s->v[i].plain : NULL;
}

const char *
syllables_word(const struct syllables *s, size_t i)
{
	return s && i < s->n ? s->v[i].word : NULL;
}

char *
syllables_join(const struct syllables *s)
{
	size_t len = 1;
	for (size_t i = 0; s && i < s->n; i++)
		len += strlen(s->v[i].word) + 1;
	char *out = malloc(len), *p = out;
	if (!out)
		return NULL;
	*p = '\0';
	for (size_t i = 0; s && i < s->n; i++) {
		size_t k = strlen(s->v[i].word);
		if (i)
			*p++ = ' ';
		memcpy(p, s->v[i].word, k + 1);
		p += k;
	}
	return out;
}

int
syllables_find(const struct syllables *t, const struct syllables *ph, enum syllables_how how)
{
	if (!t || !ph || ph->n == 0 || ph->n > t->n)
		return 0;
	if (how == SYLLABLES_UNACCENTED && t->marked_text)
		return 0;
	for (size_t i = 0; i + ph->n <= t->n; i++) {
		size_t k = 0;
		for (; k < ph->n; k++) {
			const struct syl *a = &t->v[i + k], *b = &ph->v[k];
			if (k > 0 && !a->joined)
				break;
			if (how == SYLLABLES_AS_WRITTEN) {
				if (!(a->marked || t->marked_text) || a->hexact != b->hexact ||
				    strcmp(a->exact, b->exact) != 0)
					break;
			} else if (a->marked || a->hplain != b->hplain || strcmp(a->plain, b->plain) != 0) {
				break;
			}
		}
		if (k == ph->n)
			return 1;
	}
	return 0;
}
