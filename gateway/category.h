/* category — a first guess at a tip's category from its words
 * (docs/domain.md §9). Whole phrases are matched on the folded text (no
 * diacritics, lower case), since short words collide once the marks are gone
 * (đã/đá -> "da", chạy/cháy -> "chay"). The officer decides; this only
 * pre-fills. Pure, any thread.
 */
#ifndef TINBAO_CATEGORY_H
#define TINBAO_CATEGORY_H

/* The category code ("ma_tuy", "trom_cap", ..., "khac") for a text. */
const char *category_guess(const char *text);
/* Its Vietnamese name ("ma túy"); "khác" for an unknown code. */
const char *category_name(const char *code);

#endif
