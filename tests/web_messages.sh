#!/bin/sh
# web_messages.sh - every message key a web page asks for by name, as
# web_t(r, "key") or web_t_lang(lang, "key"), is defined in a message table
# (a row { "key", "日本語", "English" } in src/web_i18n.c or a page group's own
# table), so that no page shows a bare key instead of text. Keys built at run
# time ("role.%s") are checked by test_web.c through the pages that use them.
cd "$(dirname "$0")/.." || exit 1
used=$(mktemp) && defined=$(mktemp) || exit 1
trap 'rm -f "$used" "$defined"' EXIT
grep -ho 'web_t\(_lang\)\{0,1\}([^,()]*, *"[^"]*"' src/*.c | sed 's/.*"\([^"]*\)"$/\1/' | sort -u > "$used"
grep -ho '^ *{ *"[A-Za-z0-9_]*\.[A-Za-z0-9_.]*", *"' src/*.c | sed 's/^ *{ *"\([^"]*\)".*/\1/' | sort -u > "$defined"
n=$(wc -l < "$used" | tr -d ' ')
missing=$(comm -23 "$used" "$defined")
if [ "$n" -gt 0 ] && [ -z "$missing" ]; then
    echo "ok - all $n message keys the pages name are defined in Japanese and English"
else
    echo "not ok - message keys used but not defined (add rows to src/web_i18n.c or the page's table):"
    echo "$missing" | sed 's/^/#   /'
fi
