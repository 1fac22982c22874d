/* cli_book — the receipt book (sổ tiếp nhận): `tinbao book`, as text or
 * CSV, its legal clocks printed as tipclock_of() returns them.
 *
 * Never prints who sent a tip (the "Người báo tin" column is always "Giữ bí
 * mật"). Printing the book is an audit event. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/audit.h"
#include "gateway/category.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/csv.h"
#include "gateway/i18n.h"
#include "gateway/legalclock.h"
#include "gateway/messages.h"
#include "gateway/phone.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"
#include "gateway/tipclock.h"
#include "gateway/trackid.h"
#include "gateway/view.h"

#define BOOK_SUMMARY_CHARS 60

static const char book_usage[] =
    N_("usage: tinbao book --from YYYY-MM-DD --to YYYY-MM-DD [--csv]\n"
    "\n"
    "The receipt book (sổ tiếp nhận) of the tips received from --from to --to\n"
    "(local days, both included), in order of receipt, numbered per year:\n"
    "Số thứ tự, Thời điểm tiếp nhận, Kênh, Mã tin báo, Người tiếp nhận, Người báo\n"
    "tin (always \"Giữ bí mật\"), Nội dung tóm tắt (with attachments), Địa điểm,\n"
    "thời gian sự việc, Phân loại, Biện pháp đã làm, Chuyển cho, lúc, Ngày thông\n"
    "báo kết quả tiếp nhận, Kết quả, ghi chú. Columns tinbao cannot know stay\n"
    "empty for the officers to fill. --csv: RFC 4180 (UTF-8, CRLF) for a\n"
    "spreadsheet. The book itself is always in Vietnamese. Printing the book is an\n"
    "audit event.\n");

/* ---------------------------------------------------------------- book */

enum { B_NO, B_AT, B_CHANNEL, B_ID, B_RECEIVER, B_REPORTER, B_SUMMARY, B_PLACE, B_CLASS,
	B_MEASURES, B_PASSED, B_NOTICE, B_RESULT, B_NCOLS };

static const char *const book_head[B_NCOLS] = {
	"Số thứ tự", "Thời điểm tiếp nhận", "Kênh", "Mã tin báo", "Người tiếp nhận",
	"Người báo tin", "Nội dung tóm tắt", "Địa điểm, thời gian sự việc", "Phân loại",
	"Biện pháp đã làm", "Chuyển cho, lúc", "Ngày thông báo kết quả tiếp nhận",
	"Kết quả, ghi chú",
};
static const int book_width[B_NCOLS] = { 4, 16, 7, 9, 16, 10, 40, 10, 16, 10, 10, 10, 24 };

static void
book_row(const char *const *f, int csv)
{
	for (int k = 0; k < B_NCOLS; k++) {
		if (csv)
			csv_put(stdout, f[k] ? f[k] : "", k == B_NCOLS - 1);
		else
			cli_cell(f[k] ? f[k] : "", book_width[k]);
	}
	if (!csv)
		putchar('\n');
}

/* A time as the book writes it: "06/12/2026 14:05". */
static void
book_time(int64_t t, char *out, size_t outsz)
{
	char hm[16];
	timeutil_format_dmy(t, out, outsz);
	timeutil_format_hm(t, hm, sizeof hm);
	size_t l = strlen(out);
	snprintf(out + l, outsz - l, " %s", hm);
}

/* A clock's deadline as the book writes it: a time, or a day "09/12/2026". */
static void
book_due(const struct tipclock_one *c, char *out, size_t outsz)
{
	if (c->by_day)
		snprintf(out, outsz, "%02d/%02d/%04d", c->day.d, c->day.m, c->day.y);
	else
		book_time(c->due, out, outsz);
}

/* The book's "Chuyển cho, lúc" (pass on) and "Ngày thông báo kết quả tiếp
 * nhận" (notice) cells, as tipclock_of() left the clocks: who it went to and
 * when (the notice: the day), or not yet and by when; nothing for a tip
 * closed without the act. */
static void
book_clock(const struct tipclock *clk, int notice, char *out, size_t outsz)
{
	const struct tipclock_one *c = notice ? &clk->notice : &clk->pass_on;
	char due[40], done[40];
	book_due(c, due, sizeof due);
	if (notice)
		timeutil_format_dmy(c->done_at, done, sizeof done);
	else
		book_time(c->done_at, done, sizeof done);
	switch (c->state) {
	case TIPCLOCK_DONE:
	case TIPCLOCK_DONE_LATE:
		if (notice)
			snprintf(out, outsz, "%s", done);
		else
			snprintf(out, outsz, "%s, %s", clk->passed_to ? clk->passed_to : "?", done);
		if (c->state == TIPCLOCK_DONE_LATE) {
			size_t l = strlen(out);
			snprintf(out + l, outsz - l, " (quá hạn, hạn %s)", due);
		}
		break;
	case TIPCLOCK_RUNNING:
		snprintf(out, outsz, "%s (hạn %s)", notice ? "chưa" : "chưa chuyển", due);
		break;
	case TIPCLOCK_OVERDUE:
		snprintf(out, outsz, "%s, QUÁ HẠN (hạn %s)", notice ? "chưa" : "chưa chuyển", due);
		break;
	case TIPCLOCK_ENDED:
		out[0] = '\0';
		break;
	}
}

/* The summary: the text, then the attachments kept with the tip. */
static char *
book_summary(struct cli *c, const struct tip *t, int *err)
{
	struct attachment *a = NULL;
	size_t na = 0;
	if (db_tip_attachments(c->db, t->id, &a, &na) < 0) {
		*err = 1;
		return NULL;
	}
	size_t cap = strlen(t->text ? t->text : "") + 64 + na * 96;
	char *s = malloc(cap);
	if (s) {
		size_t len = (size_t)snprintf(s, cap, "%s", t->text ? t->text : "");
		for (size_t i = 0; i < na && len < cap; i++) {
			const char *kind = a[i].kind ? a[i].kind : "tệp";
			if (a[i].state && strcmp(a[i].state, "fetched") == 0)
				len += (size_t)snprintf(s + len, cap - len, "%s%s (%s, %lld byte)",
				    i ? "; " : " [Đính kèm: ", kind, a[i].content_type ? a[i].content_type :
				    "?", (long long)a[i].size);
			else
				len += (size_t)snprintf(s + len, cap - len, "%s%s (chưa tải được)",
				    i ? "; " : " [Đính kèm: ", kind);
		}
		if (na && len < cap)
			snprintf(s + len, cap - len, "]");
	}
	attachments_free(a, na);
	return s;
}

int
cli_book(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "from", required_argument, NULL, 'f' }, { "to", required_argument, NULL, 't' },
		{ "csv", no_argument, NULL, 'c' }, { NULL, 0, NULL, 0 },
	};
	const char *from_s = NULL, *to_s = NULL;
	int csv = 0, ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(book_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "book")) != -1) {
		if (ch == 'f')
			from_s = optarg;
		else if (ch == 't')
			to_s = optarg;
		else if (ch == 'c')
			csv = 1;
		else
			return CLI_USAGE;
	}
	struct lc_date from, to;
	if (optind != argc || !from_s || !to_s)
		return cli_error(CLI_USAGE, "book", _("usage: tinbao book --from YYYY-MM-DD --to "
		    "YYYY-MM-DD [--csv]"));
	if (legalclock_parse(from_s, &from) < 0 || legalclock_parse(to_s, &to) < 0)
		return cli_error(CLI_USAGE, "book", _("--from and --to want dates YYYY-MM-DD"));
	if (legalclock_daynum(to) < legalclock_daynum(from))
		return cli_error(CLI_USAGE, "book", _("--to is before --from"));
	struct lc_date after = legalclock_from_daynum(legalclock_daynum(to) + 1);
	int64_t t0 = timeutil_local_midnight(from.y, from.m, from.d);
	int64_t t1 = timeutil_local_midnight(after.y, after.m, after.d);
	if (cli_open(c, 0, "book") < 0)
		return CLI_FAIL;
	struct tip *v;
	size_t n;
	struct tipclock_holidays hol;
	if (db_tip_list(c->db, 0, SIZE_MAX, &v, &n) < 0)      /* by receipt: created_at, id */
		return cli_error(CLI_FAIL, "book", "%s", db_errmsg(c->db));
	if (tipclock_holidays_load(c->db, &hol) < 0) {
		tips_free(v, n);
		return cli_error(CLI_FAIL, "book", "%s", db_errmsg(c->db));
	}
	int64_t now = timeutil_now();
	const char **codes = calloc(n + 1, sizeof *codes);
	size_t *seq = calloc(n + 1, sizeof *seq);
	size_t ncodes = 0;
	int rc = CLI_FAIL;
	if (!codes || !seq) {
		cli_error(CLI_FAIL, "book", _("out of memory"));
		goto out;
	}
	/* Số thứ tự restarts each (local) year. */
	int year = 0;
	size_t count = 0;
	for (size_t i = 0; i < n; i++) {
		int y, m, d;
		timeutil_local_date(v[i].created_at, &y, &m, &d);
		count = y == year ? count + 1 : 1;
		year = y;
		seq[i] = count;
		if (v[i].created_at >= t0 && v[i].created_at < t1)
			codes[ncodes++] = v[i].code;
	}
	char what[64];
	snprintf(what, sizeof what, "book %s..%s%s", from_s, to_s, csv ? " --csv" : "");
	if (cli_audit_reads(c, what, codes, ncodes) < 0)
		goto out;
	if (!csv) {
		char ward[160];
		snprintf(ward, sizeof ward, "%s", c->cfg->ward);
		printf("SỔ TIẾP NHẬN NGUỒN TIN — ");     /* the book is Vietnamese */
		cli_put(ward, 1, 0);
		printf(" — %02d/%02d/%04d đến %02d/%02d/%04d\n\n", from.d, from.m, from.y, to.d, to.m,
		    to.y);
	}
	book_row(book_head, csv);
	for (size_t i = 0; i < n; i++) {
		const struct tip *t = &v[i];
		if (t->created_at < t0 || t->created_at >= t1)
			continue;
		char no[24], at[40], id[TRACKID_TEXT_MAX], cls[160], notice[80], passed[400], result[1200];
		struct tipclock clk;
		int err = 0;
		tipclock_of(t, &hol, now, &clk);
		book_clock(&clk, 0, passed, sizeof passed);
		book_clock(&clk, 1, notice, sizeof notice);
		snprintf(no, sizeof no, "%zu", seq[i]);
		book_time(t->created_at, at, sizeof at);
		trackid_format(c->cfg->tracking_prefix, t->code, id, sizeof id);
		snprintf(cls, sizeof cls, "%s%s", category_name(t->category ? t->category : "khac"),
		    t->urgent ? "; khẩn cấp" : "");
		if (t->status == TIP_CLOSED) {
			char day[24];
			timeutil_format_dmy(t->closed_at, day, sizeof day);
			snprintf(result, sizeof result, "Đã xử lý xong %s%s%s", day,
			    t->close_note && *t->close_note ? ": " : "",
			    t->close_note ? t->close_note : "");
		} else {
			snprintf(result, sizeof result, "%s", t->status == TIP_ACKNOWLEDGED ?
			    "Đang xử lý" : "Chưa có người nhận");
		}
		char *summary = book_summary(c, t, &err);
		if (err) {
			cli_error(CLI_FAIL, "book", "%s", db_errmsg(c->db));
			goto out;
		}
		const char *f[B_NCOLS] = {
			[B_NO] = no, [B_AT] = at, [B_CHANNEL] = msg_channel_name(t->channel), [B_ID] = id,
			[B_RECEIVER] = t->acked_by_name ? t->acked_by_name : "",
			[B_REPORTER] = "Giữ bí mật", [B_SUMMARY] = summary ? summary : "?",
			[B_PLACE] = "", [B_CLASS] = cls, [B_MEASURES] = "", [B_PASSED] = passed,
			[B_NOTICE] = notice, [B_RESULT] = result,
		};
		book_row(f, csv);
		free(summary);
	}
	if (!csv && ncodes == 0)
		printf("(Không có tin báo nào được tiếp nhận trong những ngày này)\n");
	rc = CLI_OK;
out:
	free(codes);
	free(seq);
	tipclock_holidays_free(&hol);
	tips_free(v, n);
	return rc;
}
