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

# An html_printf argument is text (its %s is escaped), so markup given as an
# argument comes out escaped again: ' aria-current="page"' as
# aria-current=&quot;page&quot;, "&amp;" as &amp;amp;. Every html_printf call
# in src/ whose arguments after the format hold a string literal with a quote,
# an entity or a tag fails this check (write such markup with html_raw).
PY=/usr/bin/python3; [ -x "$PY" ] || PY=python3
again=$("$PY" - src/*.c <<'PYEOF'
import re, sys
lit = re.compile(r'"(?:[^"\\]|\\.)*"')
markup = re.compile(r'\\"|&[a-zA-Z#0-9]+;|<[a-zA-Z/]')
for f in sys.argv[1:]:
    s = open(f, encoding="utf-8").read()
    for m in re.finditer(r'\bhtml_printf\(', s):
        i, depth, args, cur = m.end(), 1, [], ""
        while depth and i < len(s):
            c = s[i]
            if c == '"':
                e = lit.match(s, i).end()
                cur += s[i:e]
                i = e
                continue
            if c in "([{":
                depth += 1
            elif c in ")]}":
                depth -= 1
                if depth == 0:
                    break
            if c == "," and depth == 1:
                args.append(cur)
                cur = ""
            else:
                cur += c
            i += 1
        args.append(cur)
        for a in args[2:]:
            if any(markup.search(x) for x in lit.findall(a)):
                print("%s:%d: %s" % (f, s.count("\n", 0, m.start()) + 1, " ".join(a.split())))
PYEOF
)
if [ -z "$again" ]; then
    echo "ok - no html_printf call gives markup as an argument (it would be escaped again)"
else
    echo "not ok - html_printf arguments holding markup, escaped again on the page (write them with html_raw):"
    echo "$again" | sed 's/^/#   /'
fi
