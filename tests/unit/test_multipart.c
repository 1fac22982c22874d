/* Unit tests: joining the parts of a concatenated SMS. */
#include <stdlib.h>

#include "modem/multipart.h"
#include "tests/unit/unit.h"

static void
test_in_order_and_shuffled(void)
{
	struct mp_part p[] = { { 2, "hai " }, { 1, "một " }, { 3, "ba" } };
	int complete = 0;
	char *s = multipart_join(p, 3, 3, &complete);
	CHECK_STR(s, "một hai ba");
	CHECK(complete == 1);
	free(s);
}

static void
test_gap_is_marked(void)
{
	struct mp_part p[] = { { 1, "a" }, { 3, "c" } };
	int complete = 1;
	char *s = multipart_join(p, 2, 3, &complete);
	CHECK_STR(s, "a" MULTIPART_GAP "c");
	CHECK(complete == 0);
	free(s);
}

static void
test_duplicates_and_out_of_range_ignored(void)
{
	struct mp_part p[] = { { 1, "x" }, { 1, "y" }, { 0, "zero" }, { 9, "nine" }, { 2, "z" },
	    { -4, "neg" } };
	int complete = 0;
	char *s = multipart_join(p, 6, 2, &complete);
	CHECK_STR(s, "xz");
	CHECK(complete == 1);
	free(s);
}

static void
test_bad_totals_refused(void)
{
	struct mp_part p[] = { { 1, "x" } };
	CHECK(multipart_join(p, 1, 0, NULL) == NULL);
	CHECK(multipart_join(p, 1, MULTIPART_MAX_PARTS + 1, NULL) == NULL);
	char *s = multipart_join(NULL, 0, 2, NULL);
	CHECK_STR(s, MULTIPART_GAP MULTIPART_GAP);
	free(s);
}

UNIT_MAIN(UNIT(test_in_order_and_shuffled), UNIT(test_gap_is_marked),
    UNIT(test_duplicates_and_out_of_range_ignored), UNIT(test_bad_totals_refused))
