#!/bin/sh
# deps.sh [build|check|missing NEED|pc NEED] - the Debian packages of
# scripts/packages.txt (the one list; see its header).
#
#   deps.sh build    (make run) the packages ./itss is built with: installs the
#                    missing ones with apt-get when run as root, otherwise prints
#                    the exact apt-get line and fails.
#   deps.sh check    (make check, .ci/run) the same for every package the tests
#                    need too (the browser tests' npm packages come with npm ci in
#                    tests/e2e/run.sh). Without root a missing build package fails;
#                    missing test packages are named with the line that installs
#                    them, and the tests that need them are skipped and named
#                    (scripts/run-tests.sh).
#   deps.sh missing NEED   prints the missing packages (NEED: build, test or all).
#   deps.sh pc NEED        prints the pkg-config modules of NEED (the Makefile's).
set -u
here=$(cd "$(dirname "$0")" && pwd)
list=$here/packages.txt

# The lines of the list for need ($1: build, test or all) as "package check".
entries() {
    awk -v need="$1" '!/^#/ && NF >= 3 && (need == "all" || $2 == need) { print $1, $3 }' "$list"
}

# 1 when the check ($1: pc:MODULE, cmd:COMMAND, file:PATH) finds it there.
present() {
    case $1 in
        pc:*) pkg-config --exists "${1#pc:}" 2>/dev/null ;;
        cmd:*) command -v "${1#cmd:}" >/dev/null 2>&1 ;;
        file:*) [ -e "${1#file:}" ] ;;
        *) echo "deps: $list: unknown check '$1'" >&2; return 1 ;;
    esac
}

# The packages of need ($1) that are missing, on one line.
missing() {
    entries "$1" | while read -r pkg check; do
        present "$check" || printf ' %s' "$pkg"
    done
}

# Installs the packages named in $1 (root only).
install() {
    echo "deps: installing$1"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q --no-install-recommends $1 >/dev/null || {
        echo "deps: apt-get install failed for:$1" >&2; exit 1; }
}

mode=${1:-build}
case $mode in
    missing) missing "${2:-all}"; echo; exit 0 ;;
    pc) entries "${2:-build}" | sed -n 's/^[^ ]* pc://p'; exit 0 ;;
    build) need=build ;;
    check) need=all ;;
    *) echo "usage: deps.sh [build|check|missing NEED|pc NEED]" >&2; exit 2 ;;
esac

absent=$(missing $need)
if [ "$(id -u)" = 0 ]; then
    [ -n "$absent" ] && install "$absent"
    exit 0
fi
[ -z "$absent" ] && exit 0
build_absent=$(missing build)
if [ -n "$build_absent" ]; then
    echo "deps: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y$absent" >&2
    exit 1
fi
echo "deps: the tests that need these Debian packages will be skipped. Install them with:" >&2
echo "  sudo apt-get install -y$absent" >&2
exit 0
