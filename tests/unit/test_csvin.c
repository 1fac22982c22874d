/* Unit tests: gateway/csvin, the CSV reader for spreadsheets' files. */
#include <stdlib.h>
#include <string.h>

#include "gateway/csvin.h"
#include "tests/unit/unit.h"

/* The records of s joined as "a|b|c" lines, each "LINE:" first; errors as
 * "LINE!why". */
static void
read_all(const char *s, char *out, size_t outsz)
{
	struct csvin *r = csvin_open(s, strlen(s));
	char **f, err[128];
	size_t n, len = 0;
	int line, rc;
	out[0] = '\0';
	while ((rc = csvin_next(r, &f, &n, &line, err, sizeof err)) != 0) {
		if (rc < 0) {
			len += (size_t)snprintf(out + len, outsz - len, "%d!%s\n", line, err);
			continue;
		}
		len += (size_t)snprintf(out + len, outsz - len, "%d:", line);
		for (size_t i = 0; i < n; i++)
			len += (size_t)snprintf(out + len, outsz - len, "%s%s", i ? "|" : "", f[i]);
		len += (size_t)snprintf(out + len, outsz - len, "\n");
	}
	csvin_free(r);
}

static void
test_dialects(void)
{
	char out[1024];
	read_all("officer_phone,level,from,to\r\n0901234567,1,2026-11-23 07:00,2026-11-23 19:00\r\n",
	    out, sizeof out);
	CHECK_STR(out, "1:officer_phone|level|from|to\n2:0901234567|1|2026-11-23 07:00|"
	    "2026-11-23 19:00\n");
	/* Excel in a comma-decimal locale: a byte-order mark and semicolons */
	read_all("\xEF\xBB\xBFso_dien_thoai;cap;tu;den\n0901234567;1;23/11/2026 07:00;\"a;b\"\n",
	    out, sizeof out);
	CHECK_STR(out, "1:so_dien_thoai|cap|tu|den\n2:0901234567|1|23/11/2026 07:00|a;b\n");
	/* "sep=;" names the separator */
	read_all("sep=;\nname;phone\n\"Lê, Văn\";'+84901234567\n", out, sizeof out);
	CHECK_STR(out, "2:name|phone\n3:Lê, Văn|+84901234567\n");
}

static void
test_quotes_blanks_and_errors(void)
{
	char out[1024];
	read_all("a,b\n\n , \n\"x\"\"y\", z \n\"two\nlines\",2\nlast,1", out, sizeof out);
	CHECK_STR(out, "1:a|b\n4:x\"y|z\n5:two\nlines|2\n7:last|1\n");
	read_all("a,b\n\"open,1\n", out, sizeof out);
	CHECK_STR(out, "1:a|b\n2!a quoted field is not closed\n");
	read_all("a,b\n\"x\"y,1\nc,d\n", out, sizeof out);
	CHECK_STR(out, "1:a|b\n2!text after a closing quote\n3:c|d\n");
	read_all("'=1+1,'abc,'\n", out, sizeof out);
	CHECK_STR(out, "1:=1+1|'abc|'\n");
	char big[40 * 3 + 2];
	for (int i = 0; i < 40; i++)
		memcpy(big + i * 3, "x,,", 3);
	big[120] = '\n';
	big[121] = '\0';
	read_all(big, out, sizeof out);
	CHECK_STR(out, "1!more than 32 fields\n");
	read_all("", out, sizeof out);
	CHECK_STR(out, "");
	read_all("\xEF\xBB\xBF", out, sizeof out);
	CHECK_STR(out, "");
}

UNIT_MAIN(UNIT(test_dialects), UNIT(test_quotes_blanks_and_errors))
