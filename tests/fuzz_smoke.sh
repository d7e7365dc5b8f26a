#!/bin/sh
# fuzz_smoke.sh - the fuzz targets (fuzz/fuzz_*.c, docs/fuzzing.md) built without
# libFuzzer and run once over their seed corpora (fuzz/corpus/TARGET/), as
# `TARGET -runs=0 fuzz/corpus/TARGET` would: each target still compiles against
# the project's API, and every seed and regression input still passes the
# target's checks (no crash, an error with a place for every refusal, write-read
# round trips, no 500 from the web application). Built with cc and the libitss.a
# of the build being tested (next to ITSS_BIN, else build/), so it needs no
# clang; with the sanitizers when that library was built with them (make asan).
# Run from the repository root with ITSS_BIN set; prints one TAP-style
# "ok - ..." / "not ok - ..." line per target.
. "$(dirname "$0")/lib.sh"

lib="$(dirname "$ITSS_BIN")/libitss.a"
[ -f "$lib" ] || lib=build/libitss.a
if [ ! -f "$lib" ]; then
    echo "not ok - fuzz smoke: no libitss.a next to $ITSS_BIN or in build/"
    exit 1
fi
pkgs=$(sh scripts/deps.sh pc build)   # the libraries of scripts/packages.txt
flags="-std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE -O1 -g -Isrc -Ifuzz"
# A library built by make asan needs the sanitizers' runtime at link time.
if nm "$lib" 2>/dev/null | grep -q __asan_init; then
    flags="$flags -fsanitize=address,undefined"
fi

for src in fuzz/fuzz_*.c; do
    t=$(basename "$src" .c)
    if ! ${CC:-cc} $flags $(pkg-config --cflags $pkgs) -o "$T/$t" "$src" fuzz/common.c fuzz/replay.c "$lib" \
            $(pkg-config --libs $pkgs) -lpthread -lm >"$T/$t.build" 2>&1; then
        echo "not ok - $t compiles against libitss.a"
        sed 's/^/#   /' "$T/$t.build"
        continue
    fi
    n=$(ls fuzz/corpus/"$t" | wc -l)
    if "$T/$t" fuzz/corpus/"$t" >"$T/$t.out" 2>"$T/$t.err" && [ "$(grep -c ': ok$' "$T/$t.out")" -eq "$n" ]; then
        echo "ok - $t: its $n seed inputs pass"
    else
        echo "not ok - $t: its $n seed inputs pass ($(grep -c ': ok$' "$T/$t.out") did)"
        tail -n 20 "$T/$t.err" | sed 's/^/#   /'
    fi
done
