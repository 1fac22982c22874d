/* text — UTF-8 helpers for Vietnamese: cleaning outside input, folding for
 * command and keyword matching, the không dấu form for GSM-7 SMS, counting
 * and bounded truncation. Normalisation, case and character classes come
 * from GNU libunistring; there are no tables here.
 *
 * Threads: pure functions without state, any thread.
 * Ownership: string arguments are borrowed and not kept; NULL is read as "".
 * Returned strings are malloc'd and belong to the caller (free()); NULL only
 * when memory runs out.
 */
#ifndef TINBAO_TEXT_H
#define TINBAO_TEXT_H

#include <stddef.h>

/* Input from outside (len bytes, NULs allowed): invalid UTF-8 -> U+FFFD,
 * NUL, C0 controls other than newline, DEL and C1 controls -> space, then
 * NFC. The result is valid UTF-8. */
char *text_clean(const char *s, size_t len);
/* For matching: NFD, combining marks dropped, đ/Đ -> d, lower case, runs of
 * white space (space, tab, CR, LF) collapsed to one space, trimmed.
 * "NHẬN" -> "nhan", "Cháy" -> "chay", "Đâm" -> "dam". Words stay words: it
 * never splits or joins them. */
char *text_fold(const char *s);
/* The không dấu form for GSM-7: NFKD, combining marks dropped, đ -> d,
 * Đ -> D, case kept; GSM-7 extension characters ^ { } [ ] ~ | \ and `
 * become ' ( ) - / and common typography becomes ASCII ("…" -> "...",
 * "⏎", a line break folded into a quoted block, -> "/");
 * emoji and anything beyond U+FFFF are dropped; anything else outside
 * printable ASCII becomes '?'. CR LF -> LF. The result is printable ASCII
 * and newlines only: one septet per character, no escapes.
 * "Công an phường Bến Thành đã nhận" -> "Cong an phuong Ben Thanh da nhan". */
char *text_unaccent(const char *s);
/* 1 if s is 1..max bytes of valid UTF-8 without control characters (a
 * newline only if allow_newline), direction marks or bidi overrides, and is
 * not only white space (space, newline, U+00A0); 0 otherwise. For what the
 * desk and the admin API type in: names, notes. */
int text_valid(const char *s, size_t max, int allow_newline);
/* A copy fit for a terminal: text_clean, then direction marks and bidi
 * overrides (which can make a line lie) become spaces, and so do newlines
 * with oneline; trailing spaces and newlines are dropped. */
char *text_for_terminal(const char *s, int oneline);
/* Number of code points. */
size_t text_chars(const char *s);
/* At most max_chars code points. When cut, the last is "…" (U+2026), the
 * cut is at a code point boundary, at the last space when that loses no more
 * than 15 characters, never between a letter and its combining marks, and
 * white space before the "…" is dropped. max_chars 0 gives "". */
char *text_truncate(const char *s, size_t max_chars);
/* 1 if folded_needle occurs in folded_haystack as whole word(s): bounded by
 * the ends or by characters that are not letters or digits. Both should be
 * text_fold() output; phrases with spaces are allowed. 0 otherwise (and for
 * an empty needle). */
int text_contains_word(const char *folded_haystack, const char *folded_needle);

#endif
