#!/bin/sh
# includes.sh - the include rules of src/ (docs/web.md, STYLE.md):
#  1. a page file (a web_*.c with a handler web_page_* or web_api_*) includes no
#     other page file's header: what two pages share lives in the page kit
#     (web_kit.h) or below it;
#  2. no include circle among the headers of src/.
cd "$(dirname "$0")/.." || exit 1
tmp=$(mktemp -d) || exit 1
trap 'rm -rf "$tmp"' EXIT

# Page files: web_*.c that define a handler.
grep -l '^void web_\(page\|api\)_[a-z0-9_]*(web_request \*r)$' src/web_*.c | sort > "$tmp/pages"
bad=""
for page in $(cat "$tmp/pages"); do
    for h in $(sed -n 's/^#include "\(web_[a-z0-9_]*\)\.h".*/\1/p' "$page"); do
        [ "src/$h.c" = "$page" ] && continue
        if grep -qx "src/$h.c" "$tmp/pages"; then
            bad="$bad $page:$h.h"
        fi
    done
done
n=$(wc -l < "$tmp/pages" | tr -d ' ')
if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
    echo "ok - none of the $n page files includes another page's header"
else
    echo "not ok - page files include another page's header (move what they share to web_kit.c):"
    for b in $bad; do echo "#   $b"; done
fi

# Include edges among headers: "a.h b.h" when a.h includes "b.h".
for h in src/*.h; do
    sed -n 's/^#include "\([^"]*\.h\)".*/\1/p' "$h" | while read -r to; do
        [ -f "src/$to" ] && echo "$(basename "$h") $to"
    done
done > "$tmp/edges"
cycle=$(awk '
    { out[$1] = out[$1] " " $2; nodes[$1] = 1; nodes[$2] = 1 }
    function visit(n,    k, m, i, parts) {
        if (state[n] == 2) return ""
        if (state[n] == 1) return n
        state[n] = 1; stack[++depth] = n
        k = split(out[n], parts, " ")
        for (i = 1; i <= k; i++) {
            m = visit(parts[i])
            if (m != "") return m
        }
        state[n] = 2; depth--
        return ""
    }
    END {
        for (n in nodes) {
            depth = 0
            m = visit(n)
            if (m != "") {
                s = ""; on = 0
                for (i = 1; i <= depth; i++) { if (stack[i] == m) on = 1; if (on) s = s stack[i] " -> " }
                print s m; exit
            }
        }
    }' "$tmp/edges")
e=$(wc -l < "$tmp/edges" | tr -d ' ')
if [ "$e" -gt 0 ] && [ -z "$cycle" ]; then
    echo "ok - no include circle among the headers of src/ ($e includes)"
else
    echo "not ok - an include circle among the headers of src/: $cycle"
fi
