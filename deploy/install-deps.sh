#!/bin/sh
# Installs the Debian packages that tinbao's build, tests and demo need.
# Does nothing when they are all present; otherwise runs apt-get (as root,
# or through sudo).
set -eu
PKGS="build-essential pkg-config clang libclang-rt-14-dev
 libgammu-dev gammu libsqlite3-dev sqlite3 libsodium-dev libjansson-dev libinih-dev
 libunistring-dev libsystemd-dev libmicrohttpd-dev libcurl4-openssl-dev tzdata python3 procps cppcheck curl
 valgrind e2fsprogs util-linux"
missing=""
for p in $PKGS; do
	dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" ||
		missing="$missing $p"
done
[ -z "$missing" ] && exit 0
echo "install-deps: installing:$missing"
SUDO=""
[ "$(id -u)" -eq 0 ] || SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
# shellcheck disable=SC2086
$SUDO apt-get install -y -qq --no-install-recommends $missing
