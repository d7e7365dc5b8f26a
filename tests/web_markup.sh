#!/bin/sh
# web_markup.sh - pages write to their answer only through the writers that
# escape or say what they are (html.h): html_printf, html_txt, html_attr,
# html_url_arg and the page helpers for text and data, html_raw("literal") for
# literal markup, buf_raw for markup made elsewhere (SVG charts), and the JSON
# writers (web_json.h, jansson). A page file (a web_*.c with a handler, a file
# of a page group over its *_int.h, or the page kit) that calls buf_puts, buf_printf, buf_putc or buf_append on its
# answer buffer (r->out, or a local "buf *x = r->out") fails this test.
cd "$(dirname "$0")/.." || exit 1
files=$( (grep -l '^void web_\(page\|api\)_[a-z0-9_]*(web_request \*r)$' src/web_*.c; grep -l '^#include "web_[a-z0-9_]*_int\.h"' src/web_*.c
          echo src/web_kit.c) | sort -u)
bad=""
n=0
for f in $files; do
    n=$((n + 1))
    names=$(sed -n 's/.*buf \*\([a-z_][a-z0-9_]*\) = r->out;.*/\1/p' "$f" | sort -u | tr '\n' '|')
    pat="buf_\(puts\|printf\|putc\|append\)(\(r->out${names:+\|$(echo "$names" | sed 's/|$//; s/|/\\|/g')}\),"
    hits=$(grep -n "$pat" "$f" | sed "s|^|$f:|")
    [ -n "$hits" ] && bad="$bad
$hits"
done
if [ "$n" -gt 0 ] && [ -z "$bad" ]; then
    echo "ok - the $n page files write their answers only through html_*, buf_raw and the JSON writers"
else
    echo "not ok - page files write to the answer buffer with buf_* (use html_raw, html_printf, web_json_*):"
    echo "$bad" | sed '/^$/d; s/^/#   /'
fi
