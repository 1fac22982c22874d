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
if command -v cppcheck >/dev/null 2>&1; then
	cppcheck --quiet --error-exitcode=1 --enable=warning,portability --inline-suppr \
	    --suppress=missingIncludeSystem -I. gateway db modem webhook || fail=1
else
	echo "cppcheck is not installed (apt-get install cppcheck)"
	fail=1
fi
[ "$fail" -eq 0 ] && echo "lint: clean"
exit "$fail"
