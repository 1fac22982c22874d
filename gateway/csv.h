/* csv — the one writer of CSV cells for files people open in a spreadsheet
 * (`tinbao book --csv`, roster and officer exports, and any export after them).
 *
 * A tip's text comes from outside, and a spreadsheet runs a cell that starts
 * with = + - or @ (also after spaces, tabs or line breaks, and in their
 * full-width forms) as a formula, whatever the quoting: such a cell gets a
 * leading apostrophe, which spreadsheets show as text. Direction marks and
 * bidi embeddings, overrides and isolates (U+200E, U+200F, U+061C,
 * U+202A-U+202E, U+2066-U+2069), which can make a cell read other than it
 * is, are removed. Control characters become spaces (text_clean), except
 * line breaks. Fields are quoted as RFC 4180 says (comma, quote, CR, LF).
 *
 * Pure functions, any thread; arguments are borrowed.
 */
#ifndef TINBAO_CSV_H
#define TINBAO_CSV_H

#include <stdio.h>

/* The cell's value made safe (not quoted), malloc'd; NULL when memory ran
 * out. For CSV and for any other table a spreadsheet may import. */
char *csv_cell(const char *s);
/* Write csv_cell(s) to f, quoted when needed, then "," or, for the last
 * field of a row, CRLF. 0, or -1 when memory ran out ("?" written). */
int csv_put(FILE *f, const char *s, int last);
/* The same with another separator (';' for Excel in a Vietnamese locale). */
int csv_put_sep(FILE *f, char sep, const char *s, int last);

#endif
