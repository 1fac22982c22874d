/* category — see category.h. */
#include "gateway/category.h"

#include <stdlib.h>
#include <string.h>

#include "gateway/syllable.h"

#define HINT_PARTS 3
#define HINTS_MAX 32

/* A hint is a word or phrase written with its marks. W(): matched only as
 * written, on syllables read as written (syllable.h). U(): also matched
 * without marks, in a text without them: its unaccented form has this
 * meaning only ("ma tuy"), where W()'s would not ("chay" may be chạy). Parts
 * joined by " + " must all occur, anywhere ("công an + nhận tiền"). */
struct hint {
	const char *words;
	unsigned char unaccented;
};
#define W(s) { s, 0 }
#define U(s) { s, 1 }

struct category {
	const char *code;
	const char *name;
	const struct hint hints[HINTS_MAX];     /* up to the first NULL */
};

/* Order matters: the first category with a matching hint wins, so the
 * specific ones come before the broad ones. The first entry catches what
 * the urgent list of docs/domain.md §9 names but no category holds
 * (kidnapping, a killing, an escape, explosives): "khác", for the duty
 * officer, rather than a wrong guess from a word beside it ("người lạ"). */
static const struct category categories[] = {
	{ "khac", "khác", { W("bắt cóc"), U("bắt cóc trẻ"), U("bị bắt cóc"), U("giết người"),
	    U("bị giết"), U("trốn trại"), W("chất nổ"), U("nghi chất nổ"), U("thuốc nổ"),
	    U("lựu đạn"), W("quả bom"), U("bom mìn") } },
	{ "pccc", "cháy, nổ", { W("cháy"), U("bốc cháy"), U("cháy nhà"), U("đám cháy"),
	    U("chữa cháy"), U("phòng cháy"), U("nguy cơ cháy"), U("cháy rụi"),
	    U("cháy dữ dội"), U("cứu hỏa"), U("nổ bình gas"), U("bình gas"), U("chập điện"),
	    U("phát nổ"), W("tiếng nổ"), W("nổ lớn"), W("lửa"), U("lửa đang lan"),
	    U("xăng lẻ"), U("lối thoát hiểm"), U("114"), U("mắc kẹt"), U("rò rỉ gas"),
	    U("xì gas") } },
	{ "lua_dao", "lừa đảo", { U("lừa đảo"), W("lừa"), U("bị lừa"), U("chuyển khoản"),
	    U("chuyển tiền"), U("giả danh"), U("mạo danh"), U("xưng là công an"),
	    U("xưng công an"), U("otp"), U("link lạ"), W("link"), U("chiếm đoạt"),
	    U("tiền ảo"), U("trúng thưởng"), U("cuộc gọi lạ"), U("tài khoản lạ"),
	    U("chạy việc") } },
	{ "can_bo", "tiêu cực cán bộ", { U("công an + nhận tiền"),
	    U("cán bộ + nhận tiền"), U("csgt + nhận tiền"), U("công an + đòi tiền"),
	    U("cán bộ + đòi tiền"), U("công an + bảo kê"), U("cảnh sát + nhận tiền"),
	    U("cảnh sát + bảo kê"), U("tiêu cực"), U("hạch dịch"),
	    U("chạy án"), U("hối lộ") } },
	{ "ma_tuy", "ma túy", { U("ma túy"), U("hàng trắng"), U("thuốc lắc"), U("bay lắc"),
	    U("tiêm chích"), U("chích choác"), W("hàng đá"), U("heroin"), U("cần sa"), U("ngáo đá"),
	    U("kim tiêm"), U("hút bóng"), U("dân nghiện"), U("con nghiện") } },
	{ "tin_dung_den", "tín dụng đen", { U("vay nặng lãi"), U("cho vay lãi"), U("bốc họ"),
	    U("đòi nợ"), U("khủng bố"), U("tín dụng đen"), U("tạt sơn"), U("siết nợ"),
	    U("lãi cắt cổ"), W("chạy nợ"), U("vay qua app"), U("app vay") } },
	{ "co_bac", "cờ bạc", { U("đánh bạc"), U("cờ bạc"), U("lô đề"), U("số đề"), W("đá gà"),
	    U("đá gà ăn tiền"), U("xóc đĩa"), U("cá độ"), U("sới bạc"), U("sòng bạc"),
	    W("đánh bài"), U("đánh bài ăn tiền"), U("ghi đề"), U("bài bạc") } },
	{ "trom_cap", "trộm cắp, cướp giật", { U("trộm"), U("cướp"), U("giật đồ"), U("mất xe"),
	    U("móc túi"), U("cạy khóa"), U("đột nhập"), U("giật túi"), U("giật dây chuyền"),
	    U("giật điện thoại"), W("bị mất") } },
	{ "bao_luc_gia_dinh", "bạo lực gia đình", { U("đánh vợ"), U("đánh vk"), U("đánh con"),
	    U("đánh mẹ"), U("đánh chồng"), U("đấm vợ"), U("bạo hành"), U("bạo lực gia đình"),
	    U("bị chồng đánh"), U("bị bố đánh"), U("giết vợ"), U("đuổi vợ") } },
	{ "giao_thong", "giao thông", { U("tai nạn"), U("vượt đèn đỏ"), U("csgt"),
	    U("đèn giao thông"), U("biển báo"), U("xe máy đâm"), U("xe tải"), U("ô tô đâm"),
	    U("quá tốc độ"), U("chạy ẩu"), U("ô tô đỗ"), U("xe buýt"), U("xe đầu kéo"),
	    U("va chạm"), W("ổ gà"), U("đèn tín hiệu"), W("tông vào") } },
	{ "gay_roi", "gây rối", { U("đánh nhau"), U("hỗn chiến"), U("tụ tập"), U("đua xe"),
	    U("gây rối"), U("hung khí"), U("lạng lách"), U("đánh võng"), U("bốc đầu"),
	    U("rú ga"), W("chém"), U("chém người"), U("chém nhau"), U("cầm dao"), U("vác dao"),
	    W("dao"), U("mã tấu"), W("súng"), U("tiếng súng"), U("súng hoa cải"), W("đâm"),
	    U("đâm gục"), U("đâm chết"), U("đấm nhau"), U("đấm đá"), U("gây gổ"), U("gây sự"), U("quậy phá"),
	    U("chửi bới"), U("chọc ghẹo") } },
	{ "trat_tu_do_thi", "trật tự đô thị", { U("lấn chiếm"), U("vỉa hè"),
	    U("xây dựng trái phép"), U("karaoke"), U("ồn ào"), W("ồn"), U("xả rác"),
	    U("đổ rác"), W("rác"), U("nhạc to"), U("mở loa"), U("loa to"), U("xà bần"),
	    U("nước thải"), U("máy khoan"), U("máy cưa"), U("đốt rác"), U("dựng rạp"),
	    U("công trình"), U("rào chắn"), U("chắn lối"), W("ngập"), U("giấy phép") } },
	{ "cu_tru", "cư trú", { U("tạm trú"), U("người lạ"), U("lưu trú"), U("lạ mặt"),
	    U("khai báo cư trú"), U("người nước ngoài") } },
};
#define NCATEGORIES (sizeof categories / sizeof categories[0])

/* One hint split into syllables: its parts, all of which must occur. */
struct compiled_hint {
	const char *code;
	unsigned char unaccented;
	size_t nparts;
	struct syllables *part[HINT_PARTS];
};

struct category_table {
	struct compiled_hint *h;
	size_t n;
};

void
category_table_free(struct category_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < t->n; i++)
		for (size_t k = 0; k < t->h[i].nparts; k++)
			syllables_free(t->h[i].part[k]);
	free(t->h);
	free(t);
}

/* Hint h of category code into c. 0 / -1 (memory). */
static int
compile_hint(struct compiled_hint *c, const char *code, const struct hint *h)
{
	memset(c, 0, sizeof *c);
	c->code = code;
	c->unaccented = h->unaccented;
	for (const char *p = h->words; *p && c->nparts < HINT_PARTS;) {
		const char *plus = strchr(p, '+');
		size_t len = plus ? (size_t)(plus - p) : strlen(p);
		char *words = strndup(p, len);
		c->part[c->nparts] = words ? syllables_phrase(words) : NULL;
		free(words);
		if (!c->part[c->nparts])
			return -1;
		c->nparts++;
		p += len + (plus != NULL);
	}
	return 0;
}

struct category_table *
category_table_new(void)
{
	size_t n = 0;
	for (size_t i = 0; i < NCATEGORIES; i++)
		for (size_t j = 0; j < HINTS_MAX && categories[i].hints[j].words; j++)
			n++;
	struct category_table *t = calloc(1, sizeof *t);
	if (!t || !(t->h = calloc(n, sizeof *t->h))) {
		free(t);
		return NULL;
	}
	for (size_t i = 0; i < NCATEGORIES; i++)
		for (size_t j = 0; j < HINTS_MAX && categories[i].hints[j].words; j++) {
			int rc = compile_hint(&t->h[t->n], categories[i].code, &categories[i].hints[j]);
			t->n++;                      /* counted even when cut short: freed whole */
			if (rc < 0) {
				category_table_free(t);
				return NULL;
			}
		}
	return t;
}

const char *
category_guess_in(const struct category_table *table, const char *text)
{
	if (!table)
		return "khac";
	struct syllables *t = syllables_split(text);
	if (!t)
		return "khac";
	const char *found = category_guess_split(table, t);
	syllables_free(t);
	return found;
}

const char *
category_guess_split(const struct category_table *table, const struct syllables *t)
{
	if (!table || !t)
		return "khac";
	const char *found = "khac";
	for (size_t i = 0; i < table->n; i++) {
		const struct compiled_hint *c = &table->h[i];
		size_t k = 0;
		for (; k < c->nparts; k++)
			if (!syllables_find(t, c->part[k], SYLLABLES_AS_WRITTEN) &&
			    !(c->unaccented && syllables_find(t, c->part[k], SYLLABLES_UNACCENTED)))
				break;
		if (c->nparts > 0 && k == c->nparts) {
			found = c->code;
			break;
		}
	}
	return found;
}

const char *
category_guess(const char *text)
{
	struct category_table *table = category_table_new();
	const char *found = category_guess_in(table, text);
	category_table_free(table);
	return found;
}

const char *
category_name(const char *code)
{
	for (size_t i = 0; i < NCATEGORIES; i++)
		if (strcmp(code, categories[i].code) == 0)
			return categories[i].name;
	return "khác";
}

const char *
category_hint_at(size_t i, size_t j, int *unaccented)
{
	if (i >= NCATEGORIES || j >= HINTS_MAX)
		return NULL;
	*unaccented = categories[i].hints[j].unaccented;
	return categories[i].hints[j].words;
}
