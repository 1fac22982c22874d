/* cli_report — `tinbao report`: the figures of a month (or of days) as text,
 * JSON, a self-contained HTML page or an A4 PDF to print and sign. The
 * figures are gateway/report.c's, the words gateway/report_doc.c's; this
 * file only chooses the period and where they go. Making a report is an
 * audit event naming the tips it lists. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/config.h"
#include "gateway/i18n.h"
#include "gateway/report.h"
#include "gateway/report_doc.h"
#include "gateway/report_html.h"
#include "gateway/report_json.h"
#include "gateway/report_pdf.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"

#define TEXT_TABLE_WIDTH 100     /* characters of a table row on a terminal */

static const char report_usage[] =
    N_("usage: tinbao report [--month YYYY-MM | --from YYYY-MM-DD --to YYYY-MM-DD]\n"
    "                     [--json] [--html FILE] [--pdf FILE]\n"
    "\n"
    "The figures of the tips received in a month (default: this month) or from\n"
    "--from to --to (local days, both included; at most 400), in the ward's time\n"
    "zone: tips by channel, category, day and hour; acknowledged in time (the\n"
    "headline: the share of tips acknowledged within the level-1 deadline),\n"
    "late by the level reached, or not at all; time to acknowledge (median, p90,\n"
    "max) overall and by channel; the legal clocks (24 h pass-on, receipt notice\n"
    "in 3 working days, 20 days) with the tracking IDs of the late ones; the\n"
    "nobody-on-duty alarms and roster gaps; escalations by level; relayed\n"
    "questions; and per officer: notified, acknowledged, median time to\n"
    "acknowledge. Never who sent a tip or what it says: tips by tracking ID only.\n"
    "\n"
    "Without an output option the report is printed as text. --json prints one\n"
    "JSON document; --html FILE writes one self-contained page (charts as inline\n"
    "SVG); --pdf FILE writes an A4 PDF in Vietnamese with a signature block for\n"
    "the station chief. Making a report is an audit event. See tinbao(1).\n");

static int
write_file(const char *path, const char *data, size_t len)
{
	FILE *f = fopen(path, "w");
	if (!f)
		return cli_error(CLI_FAIL, "report", "%s: %s", path, strerror(errno));
	size_t n = fwrite(data, 1, len, f);
	int bad = n != len || ferror(f);
	if (fclose(f) != 0 || bad)
		return cli_error(CLI_FAIL, "report", "%s: %s", path, strerror(errno ? errno : EIO));
	return CLI_OK;
}

/* A table on the terminal: its columns of words and numbers aligned, a
 * column of listed IDs ('w') after the table, one line per row. */
static void
print_table(const struct rdoc_table *t)
{
	int width[16] = { 0 }, lists = 0;
	size_t cols = t->cols < 16 ? t->cols : 16;
	int left = TEXT_TABLE_WIDTH;
	for (size_t c = 0; c < cols; c++) {
		if (t->align[c] == 'w') {
			lists = 1;
			continue;
		}
		size_t w = text_chars(t->head[c]);
		for (size_t r = 0; r < t->rows; r++) {
			size_t k = text_chars(t->cell[r * t->cols + c]);
			if (k > w)
				w = k;
		}
		width[c] = (int)(w < 12 && t->align[c] != 'r' ? 12 : w);
		if (c > 0)
			left -= width[c] + 1;
	}
	if (width[0] > left)
		width[0] = left > 16 ? left : 16;
	for (size_t c = 0; c < cols; c++)
		if (t->align[c] != 'w')
			cli_cell(t->head[c], width[c]);
	putchar('\n');
	for (size_t r = 0; r < t->rows; r++) {
		for (size_t c = 0; c < cols; c++) {
			const char *s = t->cell[r * t->cols + c];
			if (t->align[c] == 'r') {
				int pad = width[c] - (int)text_chars(s);
				printf("%*s", pad > 0 ? pad : 0, "");
				cli_put(s ? s : "", 1, 0);
				putchar(' ');
			} else if (t->align[c] != 'w') {
				cli_cell(s ? s : "", width[c]);
			}
		}
		putchar('\n');
	}
	for (size_t c = 0; lists && c < cols; c++) {
		if (t->align[c] != 'w')
			continue;
		for (size_t r = 0; r < t->rows; r++) {
			cli_put(t->head[c], 1, 0);
			printf(" — ");
			cli_put(t->cell[r * t->cols], 1, 0);
			printf(": ");
			cli_put(t->cell[r * t->cols + c], 1, 0);
			putchar('\n');
		}
	}
	putchar('\n');
}

static void
print_doc(const struct rdoc *d)
{
	cli_put(d->unit, 1, 0);
	printf("\n\n");
	cli_put(d->title, 1, 0);
	putchar('\n');
	cli_put(d->period, 1, 0);
	printf("\n\n");
	for (size_t i = 0; i < d->n; i++) {
		const struct rdoc_block *k = &d->blocks[i];
		switch (k->kind) {
		case RDOC_HEADING:
			putchar('\n');
			cli_put(k->text, 1, 0);
			putchar('\n');
			break;
		case RDOC_PARA:
		case RDOC_NOTE:
			cli_put(k->text, 1, 0);
			putchar('\n');
			break;
		case RDOC_HEADLINE:
			printf("Tỷ lệ tin báo được nhận trong hạn: ");
			if (strcmp(k->text, "—") != 0) {        /* "—": nothing due yet, sub says so */
				cli_put(k->text, 1, 0);
				printf(" — ");
			}
			cli_put(k->sub, 1, 0);
			putchar('\n');
			break;
		case RDOC_TABLE:
			print_table(&k->table);
			break;
		case RDOC_CHART:
			break;                  /* in --html and --pdf */
		}
	}
	putchar('\n');
	cli_put(d->made, 1, 0);
	putchar('\n');
}

/* One audit event naming the tips the report lists. */
static int
audit_report(struct cli *c, const struct report *r, const char *what)
{
	const char **codes;
	long n = report_listed(r, &codes);
	if (n < 0)
		return cli_error(CLI_FAIL, "report", _("out of memory")), -1;
	int rc = cli_audit_reads(c, what, codes, (size_t)n);
	free(codes);
	return rc;
}

int
cli_report(struct cli *c, int argc, char **argv)
{
	static const struct option opts[] = {
		{ "month", required_argument, NULL, 'm' }, { "from", required_argument, NULL, 'f' },
		{ "to", required_argument, NULL, 't' }, { "json", no_argument, NULL, 'j' },
		{ "html", required_argument, NULL, 'H' }, { "pdf", required_argument, NULL, 'P' },
		{ NULL, 0, NULL, 0 },
	};
	const char *month = NULL, *first = NULL, *last = NULL, *html = NULL, *pdf = NULL;
	int json = 0, ch;
	if (cli_wants_help(argc, argv)) {
		fputs(_(report_usage), stdout);
		return CLI_OK;
	}
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, "report")) != -1) {
		switch (ch) {
		case 'm': month = optarg; break;
		case 'f': first = optarg; break;
		case 't': last = optarg; break;
		case 'j': json = 1; break;
		case 'H': html = optarg; break;
		case 'P': pdf = optarg; break;
		default: return CLI_USAGE;
		}
	}
	if (optind != argc)
		return cli_error(CLI_USAGE, "report", _("unexpected argument \"%s\""), argv[optind]);
	if (month && (first || last))
		return cli_error(CLI_USAGE, "report", _("--month or --from/--to, not both"));
	if (!first != !last)
		return cli_error(CLI_USAGE, "report", _("--from and --to go together"));
	int64_t now = timeutil_now(), from, to;
	char err[256], what[96], this_month[16];
	if (!month && !first) {
		int y, m, d;
		timeutil_local_date(now, &y, &m, &d);
		snprintf(this_month, sizeof this_month, "%04d-%02d", y, m);
		month = this_month;
	}
	if ((month ? report_month(month, &from, &to, err, sizeof err) :
	    report_days(first, last, &from, &to, err, sizeof err)) < 0)
		return cli_error(CLI_USAGE, "report", "%s", err);
	if (month)
		snprintf(what, sizeof what, "report %s", month);
	else
		snprintf(what, sizeof what, "report %s..%s", first, last);
	if (cli_open(c, 0, "report") < 0)
		return CLI_FAIL;
	struct report r;
	if (report_compute(c->db, c->cfg, from, to, now, &r) < 0)
		return cli_error(CLI_FAIL, "report", "%s", db_errmsg(c->db));
	int rc = CLI_FAIL;
	struct rdoc *d = NULL;
	if (audit_report(c, &r, what) < 0)
		goto out;
	if (json) {
		rc = cli_print_json(report_json(c->cfg, &r));
		if (rc != CLI_OK)
			goto out;
	}
	if (!json || html || pdf) {
		d = report_doc_new(c->cfg, &r);
		if (!d) {
			rc = cli_error(CLI_FAIL, "report", _("out of memory"));
			goto out;
		}
	}
	if (html) {
		size_t len = 0;
		char *page = report_html(d, &len);
		rc = page ? write_file(html, page, len) :
		    cli_error(CLI_FAIL, "report", _("the page could not be made (out of memory)"));
		free(page);
		if (rc != CLI_OK)
			goto out;
		if (!json)
			printf(_("wrote %s\n"), html);
	}
	if (pdf) {
		if (report_pdf(d, pdf, err, sizeof err) < 0) {
			rc = cli_error(CLI_FAIL, "report", "%s", err);
			goto out;
		}
		if (!json)
			printf(_("wrote %s\n"), pdf);
	}
	if (!json && !html && !pdf)
		print_doc(d);
	rc = CLI_OK;
out:
	report_doc_free(d);
	report_free(&r);
	return rc;
}
