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

/* The category code ("ma_tuy", "trom_cap", ..., "can_bo", "khac") for a text;
 * "khac" when nothing matches (or memory runs out). */
const char *category_guess(const char *text);
/* Its Vietnamese name ("ma túy"); "khác" for an unknown code. */
const char *category_name(const char *code);
/* Hint j of the i-th entry of the table, as written ("công an + nhận tiền"),
 * and whether it is also matched without marks; NULL past the end of
 * either. For the test that checks the table. */
const char *category_hint_at(size_t i, size_t j, int *unaccented);

#endif
