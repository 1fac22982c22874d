/* csvin — the one reader of CSV files made in a spreadsheet (`tinbao roster
 * import`, `tinbao officer import`).
 *
 * Takes what LibreOffice, Excel and Google Sheets write: fields separated
 * by commas or by semicolons (Excel's choice where the decimal mark is a
 * comma, as in Vietnam; decided by the header line, or by an Excel
 * "sep=;" first line), an optional UTF-8 byte-order mark, CRLF or LF line
 * ends, RFC 4180 quoting ("" is a quote; a quoted field may hold a line
 * break). Unquoted fields are trimmed of spaces and tabs; a field that
 * starts with an apostrophe before a digit, + - = or @ loses it (a
 * spreadsheet's "this is text" mark, and what a safe CSV export writes).
 * Lines that hold nothing but separators and spaces are skipped.
 *
 * Bounds: CSVIN_FIELDS_MAX fields and CSVIN_RECORD_MAX bytes a record;
 * past them the record is an error, never cut.
 *
 * Pure, any thread. csvin_open() copies nothing: the buffer is borrowed
 * and must outlive the reader; fields returned by csvin_next() belong to
 * the reader and last until the next call.
 */
#ifndef TINBAO_CSVIN_H
#define TINBAO_CSVIN_H

#include <stddef.h>

#define CSVIN_FIELDS_MAX 32
#define CSVIN_RECORD_MAX 4096

struct csvin;

/* A reader over buf (len bytes). NULL only when memory runs out. */
struct csvin *csvin_open(const char *buf, size_t len);
void csvin_free(struct csvin *r);
/* The separator in use: ',' or ';'. */
char csvin_sep(const struct csvin *r);
/* The next record: 1 with fields[0..*n) and *line (where it starts, from
 * 1), 0 at the end, -1 for a record that cannot be read (*line set; why in
 * err: an unclosed quote, text after a closing quote, too many fields, too
 * long). After -1 reading goes on at the next line. */
int csvin_next(struct csvin *r, char ***fields, size_t *n, int *line, char *err,
    size_t errlen);

#endif
