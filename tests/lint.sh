#!/bin/sh
# make lint: the house checks. Banned functions, the CLI's headers kept
# inside gateway/cli/, each library header included by its one module only,
# and cppcheck. Exit 1 on any finding.
set -u
cd "$(dirname "$0")/.."
fail=0
src=$(git ls-files '*.c' '*.h' 2>/dev/null || find . -name '*.[ch]' -not -path './build*')
banned=$(grep -nE '\b(sprintf|strcpy|strcat|atoi|gets|strtok)\s*\(' $src | grep -v 'snprintf\|vsnprintf')
if [ -n "$banned" ]; then
	echo "banned functions (use snprintf, strtol, ...):"
	echo "$banned"
	fail=1
fi
check_header() {   # header, the only place allowed
	out=$(grep -ln "#include *<$1>" $src | grep -v "^$2" | grep -v '^tests/')
	if [ -n "$out" ]; then
		echo "<$1> included outside $2: $out"
		fail=1
	fi
}
# The command line is linked into tinbao only: nothing outside gateway/cli/
# (the daemon, its library, the tests) may include a header from it.
out=$(grep -lE '^[[:space:]]*#[[:space:]]*include[[:space:]]*["<](gateway/)?cli/' $src |
	grep -v '^gateway/cli/')
if [ -n "$out" ]; then
	echo "a header of gateway/cli/ included outside it (the CLI is linked into tinbao only): $out"
	fail=1
fi
check_header sqlite3.h db/
check_header gammu.h modem/
check_header sodium.h gateway/identity.c
check_header microhttpd.h webhook/
check_header curl/curl.h webhook/
check_header cairo.h gateway/report_pdf.c
check_header cairo-pdf.h gateway/report_pdf.c
check_header pango/pangocairo.h gateway/report_pdf.c
check_header fontconfig/fontconfig.h gateway/report_pdf.c
check_header libintl.h gateway/i18n.h
# Translations: po/tinbao.pot holds every string the sources mark with _(),
# N_() or ngettext(), and each po/LANG.po translates all of them (no entry
# missing, untranslated or fuzzy). `make pot` brings both up to date.
if command -v xgettext >/dev/null 2>&1; then
	tmp=$(mktemp -d)
	make -s --no-print-directory pot-check POT="$tmp/tinbao.pot" >/dev/null 2>"$tmp/err" ||
		{ cat "$tmp/err"; fail=1; }
	if [ -f "$tmp/tinbao.pot" ]; then
		grep -v '^"POT-Creation-Date:' po/tinbao.pot > "$tmp/have"
		grep -v '^"POT-Creation-Date:' "$tmp/tinbao.pot" > "$tmp/want"
		if ! cmp -s "$tmp/have" "$tmp/want"; then
			echo "po/tinbao.pot is out of date with the sources: run make pot, then translate"
			diff "$tmp/have" "$tmp/want" | grep '^[<>] msgid' | head -20
			fail=1
		fi
	fi
	for l in $(cat po/LINGUAS); do
		if ! msgcmp po/"$l".po po/tinbao.pot 2>"$tmp/cmp"; then
			echo "po/$l.po lacks translations of strings in po/tinbao.pot (make pot, then translate):"
			head -20 "$tmp/cmp"
			fail=1
		fi
		stats=$(LC_ALL=C msgfmt --check --statistics -o /dev/null po/"$l".po 2>&1) || fail=1
		case $stats in
		*untranslated*|*fuzzy*)
			echo "po/$l.po: $stats (translate them; remove the fuzzy marks once checked)"
			fail=1 ;;
		esac
	done
	rm -rf "$tmp"
else
	echo "xgettext is not installed (apt-get install gettext)"
	fail=1
fi
# A merge's conflict markers left in any tracked file (one reached
# deploy/tinbao.tmpfiles once, and systemd-tmpfiles would have refused it).
if git rev-parse --git-dir >/dev/null 2>&1; then
	markers=$(git grep -nE '^(<<<<<<< |>>>>>>> |=======$)' -- . ':!*.po' ':!*.pot' || true)
	if [ -n "$markers" ]; then
		echo "conflict markers left by a merge:"
		echo "$markers" | head -20
		fail=1
	fi
fi
if command -v cppcheck >/dev/null 2>&1; then
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	    --suppress=missingIncludeSystem -I. gateway db modem webhook || fail=1
else
	echo "cppcheck is not installed (apt-get install cppcheck)"
	fail=1
fi
[ "$fail" -eq 0 ] && echo "lint: clean"
exit "$fail"
