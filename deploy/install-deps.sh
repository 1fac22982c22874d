#!/bin/sh
# Installs the Debian packages that tinbao's build, tests and demo need, and
# generates the Vietnamese locale (vi_VN.UTF-8) that the duty desk uses and
# the tests check; `install-deps.sh bench` installs those of `make bench`
# instead (wrk, the HTTP client; and gammu-smsd, the baseline it is measured
# against). Does nothing when all is present; otherwise runs apt-get and
# locale-gen (as root, or through sudo).
set -eu
BENCH=""
[ "${1:-}" = bench ] && BENCH=1
if [ -n "$BENCH" ]; then
	PKGS="wrk gammu-smsd"
else
	PKGS="build-essential pkg-config clang libclang-rt-14-dev
 libgammu-dev gammu libsqlite3-dev sqlite3 libsodium-dev libjansson-dev libinih-dev
 libunistring-dev libsystemd-dev libmicrohttpd-dev libcurl4-openssl-dev tzdata python3 procps cppcheck curl
 valgrind e2fsprogs util-linux gettext locales
 libcairo2-dev libpango1.0-dev libfontconfig-dev fonts-dejavu-core poppler-utils chromium"
fi
LOCALE="vi_VN.UTF-8"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
have_locale() {
	[ -n "$BENCH" ] || locale -a 2>/dev/null | grep -qix 'vi_VN\.utf-\{0,1\}8'
}
[ -z "$missing" ] && have_locale && exit 0
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
if [ -n "$missing" ]; then
	echo "install-deps: installing:$missing"
	export DEBIAN_FRONTEND=noninteractive
	$SUDO apt-get update -qq
	# shellcheck disable=SC2086
	$SUDO apt-get install -y -qq --no-install-recommends $missing
fi
if [ -n "$BENCH" ] && [ -d /run/systemd/system ]; then
	# Debian starts gammu-smsd's service on install: on a gateway it would
	# take the modem from tinbaod. The benchmark runs its own copy.
	$SUDO systemctl disable --now gammu-smsd.service 2>/dev/null &&
		echo "install-deps: gammu-smsd.service disabled (make bench runs its own)" || true
fi
if ! have_locale; then
	# Debian's way: the locale's line in /etc/locale.gen, then locale-gen.
	# (The commented "vi_VN UTF-8" there would make "vi_VN", not "vi_VN.UTF-8".)
	grep -q "^$LOCALE UTF-8" /etc/locale.gen 2>/dev/null ||
		echo "$LOCALE UTF-8" | $SUDO tee -a /etc/locale.gen >/dev/null
	$SUDO locale-gen >/dev/null
	have_locale || { echo "install-deps: $LOCALE is still missing (locale -a)"; exit 1; }
fi
