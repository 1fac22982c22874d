/* phone — phone numbers as tinbao reads them: the one place that turns a
 * Vietnamese number as people write it (0901 234 567, 84901234567,
 * +84 901.234.567) into the +84... form the roster and the sealed addresses
 * use.
 *
 * Threads: no state, any thread.
 * Ownership: arguments are borrowed; results go into the caller's buffers.
 */
#ifndef TINBAO_PHONE_H
#define TINBAO_PHONE_H

#include <stddef.h>

#define PHONE_MAX 40      /* bytes for a normalised number and its NUL */

/* Normalise a phone number to +84... form: strips spaces, dots, dashes and
 * parentheses; 0xxxxxxxxx -> +84xxxxxxxxx; 84xxxxxxxxx -> +84xxxxxxxxx;
 * the international prefix 00 is a '+' (0084xxxxxxxxx -> +84xxxxxxxxx,
 * 0049... -> +49...); a trunk 0 after 84 is dropped (+840xxxxxxxxx,
 * 840xxxxxxxxx, 00840xxxxxxxxx, "+84 (0) xxx" -> +84xxxxxxxxx).
 * Other inputs that are all digits (3-15) with an optional leading '+' are
 * kept (short codes such as 1900 stay as they are). 0 / -1 (not a number,
 * or it does not fit outsz). For any address an SMS or a reply names. */
int phone_normalize(const char *in, char *out, size_t outsz);

/* A full number, as the desk and the admin API name an officer: normalised
 * (phone_normalize) into out, and only "+" with 8-15 digits passes. 0 / -1. */
int phone_normalize_full(const char *in, char out[PHONE_MAX]);

#endif
