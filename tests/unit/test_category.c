/* Unit tests: the category guess. */
#include <string.h>

#include "gateway/category.h"
#include "tests/unit/unit.h"

static void
test_guesses(void)
{
	CHECK_STR(category_guess("Có người bán MA TÚY ở hẻm 12"), "ma_tuy");
	CHECK_STR(category_guess("Nhà số 5 đang cháy lớn!"), "pccc");
	CHECK_STR(category_guess("Tôi bị kẻ trộm lấy xe"), "trom_cap");
	CHECK_STR(category_guess("Có đánh bạc, xóc đĩa ở tổ 3"), "co_bac");
	CHECK_STR(category_guess("Bọn đòi nợ thuê khủng bố nhà tôi"), "tin_dung_den");
	CHECK_STR(category_guess("Có người gọi giả danh công an bắt chuyển khoản"), "lua_dao");
	CHECK_STR(category_guess("Xin chào"), "khac");
	/* short words that collide once diacritics go must not match alone */
	CHECK_STR(category_guess("Tôi chạy bộ ở công viên"), "khac");
	CHECK_STR(category_name("ma_tuy"), "ma túy");
	CHECK_STR(category_name("nope"), "khác");
}

UNIT_MAIN(UNIT(test_guesses))
