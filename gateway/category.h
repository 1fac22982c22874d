/* category — a first guess at a tip's category from its words
 * (docs/domain.md §9). The officer decides; this only pre-fills. Hints are
 * matched by syllable with their marks, the same rule as the urgency check
 * (syllable.h): "chạy" never counts as "cháy"; a text written without marks
 * is matched only on hints whose unaccented form has one meaning ("ma tuy",
 * "boc chay"; never "chay" alone). Pure, any thread.
 */
#ifndef TINBAO_CATEGORY_H
#define TINBAO_CATEGORY_H

#include <stddef.h>

/* The hints split into syllables once (the config snapshot holds one: see
 * config.h); read-only, so any thread may share it. NULL when memory runs
 * out. _free accepts NULL. */
struct category_table;
struct category_table *category_table_new(void);
void category_table_free(struct category_table *t);

/* The category code ("ma_tuy", "trom_cap", ..., "can_bo", "khac") for a text;
 * "khac" when nothing matches (or memory runs out, or table is NULL). The
 * code is a constant string. */
const char *category_guess_in(const struct category_table *table, const char *text);
/* The same for a text already split (syllables_split): the router splits a
 * tip once for this and the urgency check. */
struct syllables;
const char *category_guess_split(const struct category_table *table, const struct syllables *t);
/* The same with a table made for the call: for tools and tests. */
const char *category_guess(const char *text);
/* Its Vietnamese name ("ma túy"); "khác" for an unknown code. */
const char *category_name(const char *code);
/* Hint j of the i-th entry of the table, as written ("công an + nhận tiền"),
 * and whether it is also matched without marks; NULL past the end of
 * either. For the test that checks the table. */
const char *category_hint_at(size_t i, size_t j, int *unaccented);

#endif
