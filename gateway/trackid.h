/* trackid — tracking IDs: a configurable prefix, a dash and six characters
 * from 23456789ABCDEFGHJKMNPQRSTUVWXYZ (no 0/1/I/L/O), the last a weighted mod-31
 * check character, so one mistyped or two swapped characters are caught.
 * Random (getrandom), never sequential: the count of tips is not public.
 * Read case-insensitively, with or without the prefix and dash.
 * Pure functions, any thread.
 */
#ifndef TINBAO_TRACKID_H
#define TINBAO_TRACKID_H

#include <stddef.h>

#define TRACKID_CODE_LEN 6

/* A fresh random code (body only, upper case). 0 / -1. */
int trackid_new(char code[TRACKID_CODE_LEN + 1]);
/* 1 if code is six alphabet characters (upper case) with a valid check. */
int trackid_check(const char *code);
/* "TB-7KM4QX", "tb7km4qx", "7KM4QX" -> "7KM4QX". 0, or -1 if the token is not
 * exactly such an ID with a valid check character. had_prefix may be NULL. */
int trackid_parse(const char *prefix, const char *in, size_t len,
    char code[TRACKID_CODE_LEN + 1], int *had_prefix);
/* "TB" + "7KM4QX" -> "TB-7KM4QX". */
void trackid_format(const char *prefix, const char *code, char *out, size_t outsz);

#endif
