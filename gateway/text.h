/* text — UTF-8 helpers for Vietnamese: cleaning outside input, folding for
 * command and keyword matching, the không dấu form for GSM-7 SMS, bounded
 * truncation. Built on GNU libunistring (normalisation, case).
 *
 * Pure functions, any thread. Returned strings are malloc'd and belong to
 * the caller (free()); NULL only when memory runs out.
 */
#ifndef TINBAO_TEXT_H
#define TINBAO_TEXT_H

#include <stddef.h>

/* Input from outside: invalid UTF-8 -> U+FFFD, NUL and control characters
 * other than newline -> space, then NFC. */
char *text_clean(const char *s, size_t len);
/* For matching: no diacritics, đ -> d, lower case, runs of white space
 * collapsed to one space, trimmed. "NHẬN" -> "nhan". */
char *text_fold(const char *s);
/* The không dấu form: no diacritics, đ -> d, Đ -> D, case kept; anything
 * still outside printable ASCII becomes '?', characters beyond U+FFFF (emoji)
 * are dropped, and GSM-7 extension characters are replaced, so the result is
 * one septet per character. */
char *text_unaccent(const char *s);
/* Number of code points. */
size_t text_chars(const char *s);
/* At most max_chars code points; when cut, the last is "…", cut at the last
 * space when one is near. */
char *text_truncate(const char *s, size_t max_chars);
/* 1 if the folded needle occurs in the folded haystack as whole word(s). */
int text_contains_word(const char *folded_haystack, const char *folded_needle);

#endif
