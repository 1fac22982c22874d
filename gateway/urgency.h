/* urgency — is a new tip urgent? Its text against the [escalation] lists
 * (docs/domain.md §2 "urgent", §9's urgent list). An urgent tip gets
 * urgent_deadline instead of ack_deadline and is flagged KHẨN.
 *
 * In Vietnamese the marks are the word (CONVENTIONS lesson 18), so matching
 * is by syllable, never by substring, never with the marks stripped from
 * what the citizen wrote (syllable.h has the rules):
 *   - urgent_keywords, written with their marks ("cháy", "đâm", "bắt cóc"),
 *     match syllables read as written: "chạy", "đào", "đầm", "sung", "cuốc"
 *     never match "cháy", "dao", "đâm", "súng", "cướp".
 *   - urgent_phrases_unaccented, written without marks ("boc chay",
 *     "cuop"), match a text written without marks, syllables typed without
 *     marks only. Each must stand for one meaning once the marks are gone:
 *     "chay" may be cháy, chạy, chảy, chay or chày; "dang chay" is also
 *     "đang chạy", "dam nguoi" also "đám người", "co sung" also "có sưng",
 *     so none of them is in the default list.
 *
 * Threads: pure, any thread; cfg is borrowed and not kept.
 */
#ifndef TINBAO_URGENCY_H
#define TINBAO_URGENCY_H

struct config;

/* The defaults of [escalation] urgent_keywords and urgent_phrases_unaccented:
 * fire, explosion or a gas leak now, weapons, stabbing, robbery and
 * snatching, kidnapping, killing, escape, explosives, a fight or a beating
 * going on (docs/domain.md §9). */
#define URGENCY_DEFAULT_KEYWORDS \
	"cháy, dao, súng, cướp, đâm, mã tấu, hung khí, chém người, chém nhau, " \
	"bắt cóc, giết người, bị giết, trốn trại, chất nổ, thuốc nổ, lựu đạn, quả bom, " \
	"bom mìn, phát nổ, nổ lớn, nổ bình gas, rò rỉ gas, xì gas, mắc kẹt, kẹt bên trong, " \
	"giật túi, giật điện thoại, giật dây chuyền, hỗn chiến, đang đánh nhau, " \
	"đang có đánh nhau, đang đánh người, đang đánh vợ, đang đánh con, đang đánh mẹ"
#define URGENCY_DEFAULT_UNACCENTED \
	"boc chay, chay nha, dam chay, chay du doi, chay rui, lua dang lan, cuu hoa, " \
	"no binh gas, ro ri gas, xi gas, phat no, mac ket, giat tui, giat dien thoai, " \
	"giat dt, giat day chuyen, cam dao, vac dao, rut dao, dung dao, dao kiem, " \
	"ma tau, cam sung, tieng sung, sung hoa cai, hung khi, dam chet, dam guc, cuop, " \
	"bat coc tre, bi bat coc, giet nguoi, bi giet, tron trai, nghi chat no, thuoc no, " \
	"luu dan, bom min, hon chien, chem nguoi, chem nhau, dang danh nhau, " \
	"dang co danh nhau, dang danh nguoi, dang danh vo, dang danh vk, dang danh con, " \
	"dang danh me"

/* 1 if text is urgent, 0 if not, -1 when memory runs out. */
int urgency_match(const struct config *cfg, const char *text);
/* The same for a text already split (syllables_split). */
struct syllables;
int urgency_match_split(const struct config *cfg, const struct syllables *t);

#endif
