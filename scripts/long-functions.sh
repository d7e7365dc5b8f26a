#!/bin/sh
# long-functions.sh [LIMIT] [FILE...] - lists the C functions longer than LIMIT
# lines (default 100) in FILE... (default src/*.c), longest first, as
# "lines file:line name". A function is counted from the line of its name to the
# closing brace in column 0 (the project's style: K&R, braces of functions in
# column 0). Exit status 0 always: a list to read, not a verdict.
limit=${1:-100}
[ $# -gt 0 ] && shift
[ $# -eq 0 ] && set -- src/*.c
for f in "$@"; do
    awk -v file="$f" -v limit="$limit" '
        /^[A-Za-z_].*\(/ && !/;[[:space:]]*$/ && !/^(typedef|struct|enum|union|#)/ { head = FNR; sig = $0 }
        /^\{/ && head { start = head; name = sig; sub(/\(.*/, "", name); n = split(name, w, /[ *]+/); name = w[n] }
        /^\}/ && start { len = FNR - start + 1; if (len > limit) printf "%d %s:%d %s\n", len, file, start, name; start = 0; head = 0 }
    ' "$f"
done | sort -rn
