/* cli_rosterfile — the roster as a spreadsheet: `tinbao roster
 * import|export` (shifts) and `tinbao officer import|export`.
 *
 * Files are read with gateway/csvin (commas or semicolons, a byte-order
 * mark or not, as LibreOffice and Excel write them); columns are found by
 * their header names, English or Vietnamese, in any order. A file is
 * checked whole before anything is written: every bad line is reported as
 * FILE:LINE: reason, and then nothing is imported; otherwise all of it is
 * written in one transaction. Exports write what the import reads. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "db/db.h"
#include "gateway/cli/cli.h"
#include "gateway/csv.h"
#include "gateway/csvin.h"
#include "gateway/i18n.h"
#include "gateway/phone.h"
#include "gateway/roster.h"
#include "gateway/text.h"
#include "gateway/timeutil.h"

#define FILE_MAX (4 << 20)      /* bytes of a roster or officer file */
#define ROWS_MAX 5000           /* shifts or officers in one file */
#define NAMES_MAX 5

static const char roster_usage[] =
    N_("usage: tinbao roster import FILE.csv\n"
    "       tinbao roster export [--excel] [--header en|vi] [FILE.csv]\n"
    "\n"
    "A roster file is a spreadsheet saved as CSV: fields separated by commas or\n"
    "semicolons (as LibreOffice and Excel save them), UTF-8 with or without a\n"
    "byte-order mark. Its first line names the columns, in English or in\n"
    "Vietnamese, in any order:\n"
    "  officer_phone (so_dien_thoai)  the officer, who must be in the roster\n"
    "  level (cap)                    1-4, or off (nghi) for days off\n"
    "  from (tu), to (den)            a shift's times: YYYY-MM-DD HH:MM or\n"
    "                                 dd/mm/yyyy HH:MM; both empty for always\n"
    "  weekly (hang_tuan)             optional: MON,WED,FRI or T2-T6 repeats\n"
    "  time (gio)                     the shift weekly at this time, 07:00-19:00;\n"
    "                                 from and to are then dates (or empty)\n"
    "  officer_name (ho_ten), note (ghi_chu)   optional, not read\n"
    "A day off (level off) gives its first day in from and its last in to (or\n"
    "to empty for one day). Every line is checked first: if any is wrong,\n"
    "nothing is imported and each bad line is reported as FILE:LINE. Shifts\n"
    "already in the roster are not added twice.\n"
    "\n"
    "export writes every shift and day off in that form (to FILE or standard\n"
    "output); --excel separates fields with semicolons and starts with a\n"
    "byte-order mark, as Excel expects; --header vi writes the Vietnamese\n"
    "column names.\n");

/* -------------------------------------------------------------- columns */

struct column {
	const char *names[NAMES_MAX];      /* English first, then Vietnamese */
	int required;
};

/* A header name as compared: ASCII letters lower case, spaces and dashes
 * as underscores, trimmed. */
static void
header_key(const char *in, char *out, size_t outsz)
{
	size_t o = 0;
	for (const char *p = in; *p && o + 1 < outsz; p++) {
		char ch = *p;
		if (ch >= 'A' && ch <= 'Z')
			ch = (char)(ch - 'A' + 'a');
		else if (ch == ' ' || ch == '-')
			ch = '_';
		out[o++] = ch;
	}
	out[o] = '\0';
}

/* Which column each field of the header is: idx[column] = field, or -1.
 * 0, or -1 after printing FILE:LINE: why. */
static int
map_header(const char *file, int line, char **f, size_t n, const struct column *cols,
    size_t ncols, int *idx)
{
	int bad = 0;
	for (size_t c = 0; c < ncols; c++)
		idx[c] = -1;
	for (size_t i = 0; i < n; i++) {
		char key[96];
		header_key(f[i], key, sizeof key);
		size_t c;
		for (c = 0; c < ncols; c++) {
			int hit = 0;
			for (size_t k = 0; k < NAMES_MAX && cols[c].names[k]; k++)
				hit |= strcmp(key, cols[c].names[k]) == 0;
			if (hit)
				break;
		}
		if (c == ncols) {
			fprintf(stderr, _("%s:%d: unknown column \"%s\"\n"), file, line, f[i]);
			bad = 1;
		} else if (idx[c] >= 0) {
			fprintf(stderr, _("%s:%d: column \"%s\" given twice\n"), file, line, f[i]);
			bad = 1;
		} else {
			idx[c] = (int)i;
		}
	}
	for (size_t c = 0; c < ncols; c++)
		if (cols[c].required && idx[c] < 0) {
			fprintf(stderr, _("%s:%d: no column %s (or %s)\n"), file, line, cols[c].names[0],
			    cols[c].names[1]);
			bad = 1;
		}
	return bad ? -1 : 0;
}

/* Field `col` of a record, "" when the column is absent or the row short. */
static const char *
field(char **f, size_t n, const int *idx, int col)
{
	return idx[col] >= 0 && (size_t)idx[col] < n ? f[idx[col]] : "";
}

/* A phone number as a spreadsheet may have kept it: 0901234567 typed in a
 * number cell comes back as 901234567. Nine digits get their 0 again. */
static const char *
sheet_phone(const char *in, char out[PHONE_MAX])
{
	if (strlen(in) == 9 && strspn(in, "0123456789") == 9 && in[0] != '0') {
		snprintf(out, PHONE_MAX, "0%s", in);
		return out;
	}
	return in;
}

/* The whole file, NUL-terminated, at most FILE_MAX bytes; NULL after
 * printing why. */
static char *
slurp(const char *what, const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		cli_error(CLI_FAIL, what, "%s: %s", path, strerror(errno));
		return NULL;
	}
	char *buf = malloc(FILE_MAX + 1);
	size_t n = buf ? fread(buf, 1, FILE_MAX + 1, f) : 0;
	int err = ferror(f);
	fclose(f);
	if (!buf || err || n > FILE_MAX) {
		cli_error(CLI_FAIL, what, "%s: %s", path, !buf ? _("out of memory") :
		    err ? _("cannot be read") : _("larger than 4 MiB"));
		free(buf);
		return NULL;
	}
	buf[n] = '\0';
	*len = n;
	return buf;
}

/* ------------------------------------------------------------- writing */

struct out {
	FILE *f;
	char sep;
};

/* One cell, made safe for a spreadsheet by the one CSV writer (csv.h). */
static void
put(struct out *o, const char *s, int last)
{
	csv_put_sep(o->f, o->sep, s, last);
}

/* export's options: [--excel] [--header en|vi] [FILE]. 0 with o->f open
 * (stdout or the file) and *vi set, or an exit code. */
static int
export_open(int argc, char **argv, const char *what, struct out *o, int *vi)
{
	static const struct option opts[] = {
		{ "excel", no_argument, NULL, 'x' }, { "header", required_argument, NULL, 'H' },
		{ NULL, 0, NULL, 0 },
	};
	int excel = 0, ch;
	*vi = 0;
	optind = 0;
	while ((ch = cli_getopt(argc, argv, opts, what)) != -1) {
		if (ch == 'x')
			excel = 1;
		else if (ch == 'H' && (strcmp(optarg, "vi") == 0 || strcmp(optarg, "en") == 0))
			*vi = strcmp(optarg, "vi") == 0;
		else if (ch == 'H')
			return cli_error(CLI_USAGE, what, _("--header is en or vi, not \"%s\""), optarg);
		else
			return CLI_USAGE;
	}
	if (argc - optind > 1)
		return cli_error(CLI_USAGE, what, _("unexpected argument \"%s\""), argv[optind + 1]);
	o->sep = excel ? ';' : ',';
	o->f = stdout;
	if (optind < argc) {
		o->f = fopen(argv[optind], "w");
		if (!o->f)
			return cli_error(CLI_FAIL, what, "%s: %s", argv[optind], strerror(errno));
	}
	if (excel)
		fputs("\xEF\xBB\xBF", o->f);
	return 0;
}

static int
export_close(struct out *o, const char *what, int rc)
{
	int bad = ferror(o->f);
	if (o->f != stdout)
		bad |= fclose(o->f) != 0;
	if (bad && rc == CLI_OK)
		return cli_error(CLI_FAIL, what, _("writing the file: %s"), strerror(errno));
	return rc;
}

/* ------------------------------------------------------------- shifts */

enum { R_PHONE, R_NAME, R_LEVEL, R_FROM, R_TO, R_WEEKLY, R_TIME, R_NOTE, R_NCOLS };
static const struct column roster_cols[R_NCOLS] = {
	[R_PHONE] = { { "officer_phone", "so_dien_thoai", "số_điện_thoại", "phone" }, 1 },
	[R_NAME] = { { "officer_name", "ho_ten", "họ_tên", "name" }, 0 },
	[R_LEVEL] = { { "level", "cap", "cấp" }, 1 },
	[R_FROM] = { { "from", "tu", "từ" }, 1 },
	[R_TO] = { { "to", "den", "đến" }, 1 },
	[R_WEEKLY] = { { "weekly", "hang_tuan", "hàng_tuần" }, 0 },
	[R_TIME] = { { "time", "gio", "giờ" }, 0 },
	[R_NOTE] = { { "note", "ghi_chu", "ghi_chú" }, 0 },
};

/* A date for a weekly shift's or a day off's range: a date, or a time at
 * midnight as a spreadsheet may write a date cell. 0 / -1. */
static int
row_day(const char *s, char out[SHIFT_DAY_LEN + 1])
{
	int64_t t;
	if (timeutil_parse_day(s, out) == 0)
		return 0;
	if (timeutil_parse_local(s, &t) < 0)
		return -1;
	roster_day_of(t, out);
	char hm[8];
	timeutil_format_hm(t, hm, sizeof hm);
	return strcmp(hm, "00:00") == 0 ? 0 : -1;
}

#define BAD(...) do { fprintf(stderr, "%s:%d: ", file, line); fprintf(stderr, __VA_ARGS__); \
	fputc('\n', stderr); return -1; } while (0)

/* One roster line into s. 0, or -1 after printing FILE:LINE: why. */
static int
roster_row(struct cli *c, const char *file, int line, char **f, size_t n, const int *idx,
    struct shift *s)
{
	char typed[PHONE_MAX];
	const char *phone = sheet_phone(field(f, n, idx, R_PHONE), typed);
	const char *level = field(f, n, idx, R_LEVEL);
	const char *from = field(f, n, idx, R_FROM), *to = field(f, n, idx, R_TO);
	const char *weekly = field(f, n, idx, R_WEEKLY), *span = field(f, n, idx, R_TIME);
	char norm[PHONE_MAX];
	memset(s, 0, sizeof *s);
	if (phone_normalize_full(phone, norm) < 0)
		BAD(_("\"%s\" is not a phone number"), phone);
	int found = cli_officer_id(c, norm, &s->officer_id);
	if (found < 0)
		BAD("%s", db_errmsg(c->db));
	if (found == 0)
		BAD(_("no officer with phone %s (add them first: tinbao officer add or import)"), norm);
	if (strcasecmp(level, "off") == 0 || strcmp(level, "nghỉ") == 0 ||
	    strcasecmp(level, "nghi") == 0) {
		s->kind = SHIFT_OFF;
		if (*weekly || *span)
			BAD(_("a day off has no weekly days or time"));
		if (row_day(from, s->first_day) < 0)
			BAD(_("from \"%s\" is not the first day off (YYYY-MM-DD or dd/mm/yyyy)"), from);
		if (!*to)
			memcpy(s->last_day, s->first_day, sizeof s->last_day);
		else if (row_day(to, s->last_day) < 0)
			BAD(_("to \"%s\" is not the last day off (YYYY-MM-DD or dd/mm/yyyy)"), to);
		if (strcmp(s->last_day, s->first_day) < 0)
			BAD(_("the last day off is before the first"));
		return 0;
	}
	if (cli_level_parse(level, &s->level) < 0)
		BAD(_("level \"%s\" is not 1-4 (or off for a day off)"), level);
	int no_from = !*from || strcmp(from, "always") == 0;
	int no_to = !*to || strcmp(to, "always") == 0;
	if (*weekly || *span) {
		s->kind = SHIFT_WEEKLY;
		if ((s->weekdays = roster_parse_weekdays(weekly)) < 0)
			BAD(_("weekly \"%s\": days are MON,TUE,... or MON-FRI, or T2,T3,...,CN, or daily"),
			    weekly);
		if (roster_parse_span(span, &s->time_from, &s->time_to) < 0)
			BAD(_("time \"%s\" is not HH:MM-HH:MM (like 07:00-19:00 or 19:00-07:00)"), span);
		if (*from && row_day(from, s->first_day) < 0)
			BAD(_("from \"%s\" is not a date (YYYY-MM-DD or dd/mm/yyyy) for a weekly shift"),
			    from);
		if (*to && row_day(to, s->last_day) < 0)
			BAD(_("to \"%s\" is not a date (YYYY-MM-DD or dd/mm/yyyy) for a weekly shift"), to);
		if (*s->first_day && *s->last_day && strcmp(s->last_day, s->first_day) < 0)
			BAD(_("to is before from"));
		return 0;
	}
	if (no_from && no_to) {
		s->kind = SHIFT_ALWAYS;
		s->always = 1;
		return 0;
	}
	if (no_from || no_to)
		BAD(_("give both from and to, or leave both empty for always"));
	s->kind = SHIFT_ONCE;
	int tbad = 0;
	if (timeutil_parse_local(from, &s->starts_at) < 0) {
		fprintf(stderr, _("%s:%d: from \"%s\" is not \"YYYY-MM-DD HH:MM\" or "
		    "\"dd/mm/yyyy HH:MM\"\n"), file, line, from);
		tbad = 1;
	}
	if (timeutil_parse_local(to, &s->ends_at) < 0) {
		fprintf(stderr, _("%s:%d: to \"%s\" is not \"YYYY-MM-DD HH:MM\" or "
		    "\"dd/mm/yyyy HH:MM\"\n"), file, line, to);
		tbad = 1;
	}
	if (tbad)
		return -1;
	if (s->ends_at <= s->starts_at)
		BAD(_("\"to\" must be after \"from\""));
	return 0;
}

/* Reading one spreadsheet file: the header mapped into idx, then each data
 * row in f (nf fields) from its line; bad lines are reported FILE:LINE and
 * counted. */
struct sheet {
	struct csvin *r;
	const char *file;
	const struct column *cols;
	size_t ncols;
	int *idx;
	int have_header, bad, line;
	char **f;
	size_t nf;
};

/* 1 with the next data row, 0 at the end: the file's, after a header that
 * could not be read, or past ROWS_MAX rows (rows: how many were taken). */
static int
sheet_next(struct sheet *s, size_t rows)
{
	char err[128];
	int rc;
	while ((rc = csvin_next(s->r, &s->f, &s->nf, &s->line, err, sizeof err)) != 0) {
		if (rc < 0) {
			fprintf(stderr, "%s:%d: %s\n", s->file, s->line, err);
			s->bad++;
			if (!s->have_header)
				return 0;
			continue;
		}
		if (!s->have_header) {
			s->have_header = 1;
			if (map_header(s->file, s->line, s->f, s->nf, s->cols, s->ncols, s->idx) < 0) {
				s->bad++;
				return 0;
			}
			continue;
		}
		if (rows >= ROWS_MAX) {
			fprintf(stderr, _("%s:%d: more than %d lines in one file\n"), s->file, s->line,
			    ROWS_MAX);
			s->bad++;
			return 0;
		}
		return 1;
	}
	return 0;
}

/* Check a whole file into rows; the number of bad lines (each reported). */
static int
roster_read(struct cli *c, const char *file, const char *buf, size_t len, struct shift *rows,
    size_t *n)
{
	int idx[R_NCOLS];
	struct sheet sh = { .r = csvin_open(buf, len), .file = file, .cols = roster_cols,
		.ncols = R_NCOLS, .idx = idx };
	if (!sh.r) {
		fprintf(stderr, _("%s: out of memory\n"), file);
		return 1;
	}
	while (sheet_next(&sh, *n)) {
		if (roster_row(c, file, sh.line, sh.f, sh.nf, idx, &rows[*n]) < 0)
			sh.bad++;
		else
			(*n)++;
	}
	csvin_free(sh.r);
	if (!sh.have_header && !sh.bad) {
		fprintf(stderr, _("%s: empty file; the first line names the columns: "
		    "officer_phone,level,from,to\n"), file);
		sh.bad++;
	}
	return sh.bad;
}

static int
roster_import(struct cli *c, int argc, char **argv)
{
	const char *what = "roster import", *file;
	if (cli_one_arg(argc, argv, what, "tinbao roster import FILE.csv", &file) != 0)
		return CLI_USAGE;
	size_t len;
	char *buf = slurp(what, file, &len);
	if (!buf)
		return CLI_FAIL;
	struct shift *rows = calloc(ROWS_MAX, sizeof *rows);
	if (!rows || cli_open(c, 0, what) < 0) {
		int rc = rows ? CLI_FAIL : cli_error(CLI_FAIL, what, _("out of memory"));
		free(buf);
		free(rows);
		return rc;
	}
	size_t n = 0;
	int bad = roster_read(c, file, buf, len, rows, &n);
	free(buf);
	if (bad != 0) {
		free(rows);
		return cli_error(CLI_FAIL, what, ngettext("%d bad line in %s; nothing imported",
		    "%d bad lines in %s; nothing imported", (unsigned long)bad), bad, file);
	}
	int64_t now = timeutil_now();
	size_t added = 0;
	int failed = db_begin(c->db) < 0;
	for (size_t i = 0; i < n && !failed; i++) {
		int have = db_shift_exists(c->db, &rows[i]);
		failed = have < 0;
		if (have == 0) {
			failed = db_shift_insert(c->db, &rows[i], now) < 0;
			added++;
		}
	}
	free(rows);
	if (failed || db_commit(c->db) < 0) {
		cli_error(CLI_FAIL, what, _("%s; nothing imported"), db_errmsg(c->db));
		db_rollback(c->db);
		return CLI_FAIL;
	}
	printf(ngettext("imported %zu shift from %s", "imported %zu shifts from %s", added), added,
	    file);
	if (added < n)
		printf(_(" (%zu already in the roster)"), n - added);
	putchar('\n');
	return CLI_OK;
}

static int
roster_export(struct cli *c, int argc, char **argv)
{
	const char *what = "roster export";
	struct out o;
	int vi, rc = export_open(argc, argv, what, &o, &vi);
	if (rc)
		return rc;
	struct shift *v = NULL;
	size_t n = 0;
	if (cli_open(c, 1, what) < 0 || db_shift_list(c->db, &v, &n) < 0) {
		if (c->db)
			cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
		return export_close(&o, what, CLI_FAIL);
	}
	static const int order[] = { R_PHONE, R_NAME, R_LEVEL, R_FROM, R_TO, R_WEEKLY, R_TIME };
	enum { NCOL = sizeof order / sizeof order[0] };
	for (size_t k = 0; k < NCOL; k++)
		put(&o, roster_cols[order[k]].names[vi], k + 1 == NCOL);
	for (size_t i = 0; i < n; i++) {
		const struct shift *s = &v[i];
		char level[8], from[32] = "", to[32] = "", days[ROSTER_WEEKDAYS_MAX] = "",
		    span[ROSTER_SPAN_MAX] = "";
		snprintf(level, sizeof level, s->kind == SHIFT_OFF ? (vi ? "nghi" : "off") : "%d",
		    s->level);
		if (s->kind == SHIFT_ONCE) {
			timeutil_format_local(s->starts_at, from, sizeof from);
			timeutil_format_local(s->ends_at, to, sizeof to);
		} else if (s->kind == SHIFT_WEEKLY || s->kind == SHIFT_OFF) {
			snprintf(from, sizeof from, "%s", s->first_day);
			snprintf(to, sizeof to, "%s", s->last_day);
		}
		if (s->kind == SHIFT_WEEKLY) {
			roster_weekday_codes(s->weekdays, vi, days, sizeof days);
			roster_format_span(s->time_from, s->time_to, span, sizeof span);
		}
		const char *cells[NCOL] = { s->officer_phone, s->officer_name, level, from, to, days,
			span };
		for (size_t k = 0; k < NCOL; k++)
			put(&o, cells[k], k + 1 == NCOL);
	}
	shifts_free(v, n);
	return export_close(&o, what, CLI_OK);
}

int
cli_roster(struct cli *c, int argc, char **argv)
{
	static const struct cli_sub subs[] = {
		{ "import", roster_import }, { "export", roster_export }, { NULL, NULL },
	};
	return cli_dispatch(c, argc, argv, roster_usage, subs);
}

/* ------------------------------------------------------------ officers */

enum { O_NAME, O_PHONE, O_ROLE, O_CHANNEL, O_ZALO_OA, O_ZALO_BOT, O_CODE, O_NOTE, O_NCOLS };
static const struct column officer_cols[O_NCOLS] = {
	[O_NAME] = { { "name", "ho_ten", "họ_tên" }, 1 },
	[O_PHONE] = { { "phone", "so_dien_thoai", "số_điện_thoại" }, 1 },
	[O_ROLE] = { { "role", "vai_tro", "vai_trò" }, 0 },
	[O_CHANNEL] = { { "channel", "kenh", "kênh" }, 0 },
	[O_ZALO_OA] = { { "zalo_oa", "zalo_oa" }, 0 },
	[O_ZALO_BOT] = { { "zalo_bot", "zalo_bot" }, 0 },
	[O_CODE] = { { "short_code", "ma_ngan", "mã_ngắn" }, 0 },
	[O_NOTE] = { { "note", "ghi_chu", "ghi_chú" }, 0 },
};

/* One officer row, checked (its strings are copies, freed by officers_free).
 * 0, or -1 after printing FILE:LINE: why. */
static int
officer_row(const char *file, int line, char **f, size_t n, const int *idx, struct officer *o)
{
	char norm[PHONE_MAX], code[CLI_SHORT_CODE_MAX + 1], err[200], typed[PHONE_MAX];
	struct officer t = {
		.name = (char *)field(f, n, idx, O_NAME),
		.phone = (char *)sheet_phone(field(f, n, idx, O_PHONE), typed),
		.role = (char *)field(f, n, idx, O_ROLE), .channel = (char *)field(f, n, idx, O_CHANNEL),
		.zalo_oa = (char *)field(f, n, idx, O_ZALO_OA),
		.zalo_bot = (char *)field(f, n, idx, O_ZALO_BOT),
		.short_code = (char *)field(f, n, idx, O_CODE),
	};
	memset(o, 0, sizeof *o);
	if (cli_officer_check(&t, norm, code, err, sizeof err) < 0)
		BAD("%s", err);
	o->name = strdup(t.name);
	o->phone = strdup(t.phone);
	o->role = strdup(t.role);
	o->channel = strdup(t.channel);
	o->zalo_oa = t.zalo_oa ? strdup(t.zalo_oa) : NULL;
	o->zalo_bot = t.zalo_bot ? strdup(t.zalo_bot) : NULL;
	o->short_code = t.short_code ? strdup(t.short_code) : NULL;
	if (!o->name || !o->phone || !o->role || !o->channel || (t.zalo_oa && !o->zalo_oa) ||
	    (t.zalo_bot && !o->zalo_bot) || (t.short_code && !o->short_code)) {
		officer_clear(o);
		BAD(_("out of memory"));
	}
	return 0;
}

/* Is the row's phone or short code on an earlier row, or the short code an
 * other officer's in the roster? 0, or -1 after printing why. */
static int
officer_clash(struct cli *c, const char *file, int line, const struct officer *rows,
    const int *lines, size_t n, const struct officer *o)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(rows[i].phone, o->phone) == 0)
			BAD(_("%s is also on line %d"), o->phone, lines[i]);
		if (o->short_code && rows[i].short_code && strcmp(rows[i].short_code,
		    o->short_code) == 0)
			BAD(_("short code %s is also on line %d"), o->short_code, lines[i]);
	}
	if (!o->short_code)
		return 0;
	struct officer other;
	int found = db_officer_by_short_code(c->db, o->short_code, &other);
	if (found < 0)
		BAD("%s", db_errmsg(c->db));
	int theirs = found && strcmp(other.phone, o->phone) != 0;
	char who[PHONE_MAX];
	snprintf(who, sizeof who, "%s", found ? other.phone : "");
	if (found)
		officer_clear(&other);
	if (theirs)
		BAD(_("short code %s belongs to the officer with phone %s"), o->short_code, who);
	return 0;
}

int
cli_officer_import(struct cli *c, int argc, char **argv)
{
	const char *what = "officer import", *file;
	if (cli_one_arg(argc, argv, what, "tinbao officer import FILE.csv", &file) != 0)
		return CLI_USAGE;
	size_t len;
	char *buf = slurp(what, file, &len);
	if (!buf)
		return CLI_FAIL;
	struct officer *rows = calloc(ROWS_MAX, sizeof *rows);
	int *lines = calloc(ROWS_MAX, sizeof *lines);
	struct csvin *r = rows && lines ? csvin_open(buf, len) : NULL;
	if (!r || cli_open(c, 0, what) < 0) {
		int rc = r ? CLI_FAIL : cli_error(CLI_FAIL, what, _("out of memory"));
		csvin_free(r);
		free(buf);
		free(rows);
		free(lines);
		return rc;
	}
	size_t n = 0;
	int idx[O_NCOLS];
	struct sheet sh = { .r = r, .file = file, .cols = officer_cols, .ncols = O_NCOLS,
		.idx = idx };
	while (sheet_next(&sh, n)) {
		if (officer_row(file, sh.line, sh.f, sh.nf, idx, &rows[n]) < 0) {
			sh.bad++;
		} else if (officer_clash(c, file, sh.line, rows, lines, n, &rows[n]) < 0) {
			officer_clear(&rows[n]);
			sh.bad++;
		} else {
			lines[n++] = sh.line;
		}
	}
	csvin_free(r);
	free(buf);
	int bad = sh.bad;
	if (!sh.have_header && !bad) {
		fprintf(stderr, _("%s: empty file; the first line names the columns: name,phone\n"),
		    file);
		bad++;
	}
	if (bad) {
		officers_free(rows, n);
		free(lines);
		return cli_error(CLI_FAIL, what, ngettext("%d bad line in %s; nothing imported",
		    "%d bad lines in %s; nothing imported", (unsigned long)bad), bad, file);
	}
	size_t added = 0, changed = 0;
	int64_t now = timeutil_now();
	int failed = db_begin(c->db) < 0;
	for (size_t i = 0; i < n && !failed; i++) {
		int64_t id;
		int have = cli_officer_id(c, rows[i].phone, &id);
		if (have < 0) {
			failed = 1;
		} else if (have) {
			int ch = db_officer_update(c->db, &rows[i]);
			failed = ch < 0;
			changed += ch > 0;
		} else {
			failed = db_officer_add(c->db, &rows[i], now) < 0;
			added++;
		}
		if (failed)
			fprintf(stderr, "%s:%d: %s\n", file, lines[i], db_errmsg(c->db));
	}
	officers_free(rows, n);
	free(lines);
	if (failed || db_commit(c->db) < 0) {
		cli_error(CLI_FAIL, what, _("%s; nothing imported"), db_errmsg(c->db));
		db_rollback(c->db);
		return CLI_FAIL;
	}
	printf(ngettext("imported %zu officer from %s: %zu new, %zu updated, %zu unchanged\n",
	    "imported %zu officers from %s: %zu new, %zu updated, %zu unchanged\n", n), n, file,
	    added, changed, n - added - changed);
	return CLI_OK;
}

int
cli_officer_export(struct cli *c, int argc, char **argv)
{
	const char *what = "officer export";
	struct out o;
	int vi, rc = export_open(argc, argv, what, &o, &vi);
	if (rc)
		return rc;
	struct officer *v = NULL;
	size_t n = 0;
	if (cli_open(c, 1, what) < 0 || db_officer_list(c->db, &v, &n) < 0) {
		if (c->db)
			cli_error(CLI_FAIL, what, "%s", db_errmsg(c->db));
		return export_close(&o, what, CLI_FAIL);
	}
	enum { NCOL = O_NOTE };
	for (size_t k = 0; k < NCOL; k++)
		put(&o, officer_cols[k].names[vi], k + 1 == NCOL);
	for (size_t i = 0; i < n; i++) {
		const char *cells[NCOL] = { v[i].name, v[i].phone, v[i].role, v[i].channel,
			v[i].zalo_oa, v[i].zalo_bot, v[i].short_code };
		for (size_t k = 0; k < NCOL; k++)
			put(&o, cells[k], k + 1 == NCOL);
	}
	officers_free(v, n);
	return export_close(&o, what, CLI_OK);
}
