/* category — see category.h. */
#include "gateway/category.h"

#include <stdlib.h>
#include <string.h>

#include "gateway/text.h"

struct category {
	const char *code;
	const char *name;
	const char *const hints[12];      /* folded phrases */
};

/* Order matters: the first category with a matching phrase wins, so the
 * specific ones come before the broad ones. */
static const struct category categories[] = {
	{ "pccc", "cháy, nổ", { "dang chay", "boc chay", "chay nha", "chay lon", "co chay",
	    "khoi den", "chap dien", "no binh gas", "phat no" } },
	{ "ma_tuy", "ma túy", { "ma tuy", "hang trang", "thuoc lac", "bay lac", "tiem chich",
	    "heroin", "ke ke", "can sa", "ma tuy da" } },
	{ "lua_dao", "lừa đảo", { "lua dao", "chuyen khoan", "gia danh cong an", "otp",
	    "link la", "chiem doat" } },
	{ "tin_dung_den", "tín dụng đen", { "vay nang lai", "cho vay lai", "bot ho", "doi no",
	    "khung bo", "tin dung den", "tat son" } },
	{ "co_bac", "cờ bạc", { "danh bac", "co bac", "lo de", "so de", "da ga", "xoc dia",
	    "ca do" } },
	{ "trom_cap", "trộm cắp, cướp giật", { "an trom", "ke trom", "trom", "cuop", "giat do",
	    "mat xe", "moc tui", "cay khoa" } },
	{ "bao_luc_gia_dinh", "bạo lực gia đình", { "danh vo", "danh con", "bao hanh",
	    "bao luc gia dinh" } },
	{ "gay_roi", "gây rối", { "danh nhau", "hon chien", "tu tap", "dua xe", "gay roi",
	    "hung khi" } },
	{ "trat_tu_do_thi", "trật tự đô thị", { "lan chiem", "via he", "xay dung trai phep",
	    "karaoke", "on ao", "xa rac" } },
	{ "giao_thong", "giao thông", { "tai nan", "vuot den do", "csgt" } },
	{ "cu_tru", "cư trú", { "tam tru", "nguoi la", "khai bao cu tru" } },
};

const char *
category_guess(const char *text)
{
	char *folded = text_fold(text);
	const char *found = "khac";
	for (size_t i = 0; folded && i < sizeof categories / sizeof categories[0]; i++)
		for (size_t j = 0; categories[i].hints[j]; j++)
			if (text_contains_word(folded, categories[i].hints[j])) {
				found = categories[i].code;
				goto done;
			}
done:
	free(folded);
	return found;
}

const char *
category_name(const char *code)
{
	for (size_t i = 0; i < sizeof categories / sizeof categories[0]; i++)
		if (strcmp(code, categories[i].code) == 0)
			return categories[i].name;
	return "khác";
}
