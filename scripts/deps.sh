#!/bin/sh
# deps.sh - makes sure the Debian packages itss builds and tests with are there.
# Checks each with pkg-config (or the file it provides); installs what is missing
# with apt-get when run as root, otherwise prints the exact apt-get line and fails.
set -u
missing=""
need_pc() { pkg-config --exists "$1" 2>/dev/null || missing="$missing $2"; }
need_file() { [ -e "$1" ] || missing="$missing $2"; }

command -v pkg-config >/dev/null 2>&1 || missing="$missing pkg-config"
command -v cc >/dev/null 2>&1 || missing="$missing gcc"
command -v make >/dev/null 2>&1 || missing="$missing make"
need_pc jansson libjansson-dev
need_pc sqlite3 libsqlite3-dev
need_pc libutf8proc libutf8proc-dev
need_pc libmicrohttpd libmicrohttpd-dev
need_pc libsodium libsodium-dev
need_pc zlib zlib1g-dev                          # gzip answers (web_gzip.c)
need_pc cmocka libcmocka-dev
need_file /usr/bin/sqlite3 sqlite3
need_file /usr/bin/xmllint libxml2-utils      # tests only: tests/test_svg.c checks charts are well-formed XML

[ -z "$missing" ] && exit 0
if [ "$(id -u)" = 0 ]; then
    echo "deps: installing$missing"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -q >/dev/null && apt-get install -y -q $missing >/dev/null || {
        echo "deps: apt-get install failed for:$missing" >&2; exit 1; }
else
    echo "deps: missing Debian packages. Install them with:" >&2
    echo "  sudo apt-get install -y$missing" >&2
    exit 1
fi
