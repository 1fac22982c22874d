/* trackid — tracking IDs: a configurable prefix (1–8 ASCII letters, "TB"),
 * a dash and six characters from 23456789ABCDEFGHJKMNPQRSTUVWXYZ (no
 * 0/1/I/L/O), the last a check character: a weighted sum mod 31 (weights
 * 1..6) that catches every single substitution and every transposition of
 * two characters. Random (getrandom, rejection-sampled), never sequential:
 * the count of tips is not public. Read case-insensitively, with or without
 * the prefix and dash.
 *
 * Threads: no state, any thread.
 * Ownership: arguments are borrowed; results go into the caller's buffers.
 */
#ifndef TINBAO_TRACKID_H
#define TINBAO_TRACKID_H

#include <stddef.h>

#define TRACKID_CODE_LEN 6
/* Bytes that hold any formatted ID (an 8-letter prefix, the dash, the code). */
#define TRACKID_TEXT_MAX (TRACKID_CODE_LEN + 10)

/* A fresh random code (body only, upper case, NUL-terminated). 0, or -1 if
 * the kernel's random source fails. */
int trackid_new(char code[TRACKID_CODE_LEN + 1]);
/* 1 if code is exactly six upper-case alphabet characters with a valid
 * check character; 0 otherwise (also for NULL). */
int trackid_check(const char *code);
/* The len bytes at in (not NUL-terminated) as a code: "TB-7KM4QX",
 * "TB7KM4QX", "tb-7km4qx" or "7KM4QX" (prefix "TB", any case). 0 with the
 * upper-case code in code and *had_prefix (if not NULL) telling whether
 * the prefix was there; -1 if the token is not exactly one of those forms
 * with a valid check character (code and *had_prefix are then untouched). */
int trackid_parse(const char *prefix, const char *in, size_t len,
    char code[TRACKID_CODE_LEN + 1], int *had_prefix);
/* "TB" + "7KM4QX" -> "TB-7KM4QX" ("" + "7KM4QX" -> "7KM4QX") in out, always
 * NUL-terminated, cut to outsz; TRACKID_TEXT_MAX bytes hold any. */
void trackid_format(const char *prefix, const char *code, char *out, size_t outsz);

#endif
