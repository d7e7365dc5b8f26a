#!/bin/sh
# search.sh - 人材検索 and the skill map on the demo: the number of people found
# for a level condition equals a count of `itss export levels` (official and
# self-assessed, the whole company and one unit); the API says the same as the
# page; a manager finds only people within their reach; searches are saved,
# listed and deleted by their owner only; the skill map's rows and its weakest
# knowledge categories come in order; bad input is a 4xx naming the parameter.
# Run with ITSS_BIN set; TAP-style lines.
. "$(dirname "$0")/lib.sh"

total() { sed -n 's/.*class="search-total" data-total="\([0-9]*\)".*/\1/p' "$T/body"; }

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
S=$(session hr itss-demo-hr); M=$(session manager itss-demo-manager)
C26=$(sql "SELECT id FROM cycle WHERE name = '2026年度'")
EAST=$(sql "SELECT id FROM org_unit WHERE code = 'EAST'")
sql "SELECT o.code, COALESCE(p.code, '') FROM org_unit o LEFT JOIN org_unit p ON p.id = o.parent_id" >"$T/tree"
for kind in official self; do
    "$ITSS_BIN" export levels --levels $kind --cycle 2026年度 --db "$DB" | tr -d '\r' | sed '1s/^\xEF\xBB\xBF//' >"$T/$kind.csv"
done
# count KIND SPEC LEVEL [UNIT]: people of the export at SPEC >= LEVEL (in UNIT's subtree).
count() {
    "$PY" - "$T/$1.csv" "$T/tree" "$2" "$3" "${4-}" <<'EOF2'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1], encoding="utf-8")))
parent = dict(l.rstrip("\n").split("|") for l in open(sys.argv[2], encoding="utf-8"))
spec, level, top = sys.argv[3], int(sys.argv[4]), sys.argv[5]
def under(u):
    while u:
        if u == top: return True
        u = parent.get(u, "")
    return False
print(sum(1 for r in rows if r[spec] != "" and int(r[spec]) >= level and (not top or under(r["org_unit_code"]))))
EOF2
}
bad=0; n=0
for kind in official self; do
    for spec in HW SW FM; do
        for level in 1 3 5; do
            want=$(count $kind $spec $level)
            page "/search?cycle=$C26&spec=$spec&level=$level&levels=$kind" "$S"
            got=$(total); n=$((n + 1))
            [ "$status" = 200 ] && [ "$got" = "$want" ] || { bad=$((bad + 1)); echo "# $kind $spec>=$level: found ${got:-?}, export has $want"; }
        done
    done
done
check "a level condition finds as many people as itss export levels has at that level or above ($n searches, official and self)" test $bad -eq 0
want=$(count self HW 2 EAST)
page "/search?cycle=$C26&spec=HW&level=2&levels=self&org=$EAST" "$S"
check "... within one unit's subtree too ($want)" test "$(total)" = "$want"
page "/search?cycle=$C26&spec=HW&level=2&levels=self&org=$EAST&format=xlsx" "$S"
cp "$T/body" "$T/s.xlsx"
xrows=$("$PY" "$HERE/xlsx_read.py" "$T/s.xlsx" "$("$PY" "$HERE/xlsx_read.py" "$T/s.xlsx" | sed -n 2p)" 2>/dev/null | grep -c '^\["E')
check "the Excel download of the search has its $want people" test "$xrows" = "$want"
page "/api/v1/search?cycle=$C26&spec=HW&level=2&levels=self&org=$EAST" "$S"
check "GET /api/v1/search says the same total and lists that many people" sh -c \
    "$PY -c 'import json,sys; d=json.load(open(\"$T/body\")); sys.exit(0 if d[\"total\"] == $want and len(d[\"people\"]) == $want else 1)'"
page "/search?cycle=$C26&spec=HW&level=1&levels=self" "$S"; all=$(total)
page "/search?cycle=$C26&spec=HW&level=1&levels=self" "$M"; mine=$(total)
ids=$(sed -n 's/.*<tr><td><a href="\/people\/\([0-9]*\)\/results">.*/\1/p' "$T/body")
outside=0
for id in $ids; do page "/people/$id/results" "$M"; [ "$status" = 200 ] || outside=$((outside + 1)); done
check "a manager finds only people within their reach ($mine of $all, each one's results open to them)" \
    test "$mine" -lt "$all" -a "$mine" -gt 0 -a "$outside" -eq 0
post "/search/saved" "$S" "name=HW3&query=cycle%3D$C26%26spec%3DHW%26level%3D3"
page "/search" "$S"
check "a saved search is listed for its owner" sh -c "test '$status' = 200 && grep -q '>HW3</a>' '$T/body'"
sid=$(sql "SELECT id FROM saved_search WHERE name = 'HW3'")
post "/search/saved/$sid/delete" "$M" ""
check "another user cannot delete it (404)" test "$status" = 404 -a "$(sql "SELECT count(*) FROM saved_search")" = 1
post "/search/saved/$sid/delete" "$S" ""
check "its owner can" test "$status" = 303 -a "$(sql "SELECT count(*) FROM saved_search")" = 0
post "/search/saved" "$S" "name=&query=spec%3DHW"
check "a search saved without a name: 400 naming name" sh -c "test '$status' = 400 && grep -q '<p>name: ' '$T/body'"
for q in "spec=XX&level=1:spec" "spec=HW&level=99:level" "parea=NOPE&plevel=2:parea" "item=NOPE:item" "category=NOPE:category" \
         "cycle=abc:cycle" "org=999999:org"; do
    page "/search?${q%%:*}" "$S"
    check "/search?${q%%:*}: 4xx naming ${q##*:}" sh -c "test '$status' -ge 400 -a '$status' -lt 500 && grep -q '<p>${q##*:}: ' '$T/body'"
done
page "/search?spec=HW&level=1" "$(session engineer itss-demo-engineer)"
check "an engineer: 403" test "$status" = 403

# The skill map.
page "/hr/skillmap?cycle=$C26&spec=HW" "$S"
"$PY" - "$T/body" <<'EOF2'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
weak = re.search(r'<table class="weakest">(.*?)</table>', html, re.S).group(1)
shares = [int(x) for x in re.findall(r'<td class="num">(\d+)%</td>', weak)]
heat = re.search(r'<table class="heat skillmap">(.*?)</table>', html, re.S).group(1)
rows = re.findall(r'<tr class="(?:unit|total)"><th scope="row">', heat)
sys.exit(0 if shares and shares == sorted(shares) and len(rows) >= 2 else 1)
EOF2
check "the skill map shows proficiency by unit and the weakest knowledge categories first" test $? -eq 0
page "/hr/skillmap?area=NOPE" "$S"
check "/hr/skillmap?area=NOPE: 400 naming area" sh -c "test '$status' = 400 && grep -q '<p>area: ' '$T/body'"
page "/hr/skillmap?spec=XX" "$S"
check "/hr/skillmap?spec=XX: 400 naming spec" sh -c "test '$status' = 400 && grep -q '<p>spec: ' '$T/body'"

# A small organization counted by hand: 金融システム保守課 (EAST-HW1) in 2026年度, eight people, all
# assessed. Self-assessed HW: E1051 E1059 at 1, E1041 E1048 at 2, E1027 E1036 at 3, E1011 E1019 at 4;
# SW: E1041 at 2, the others 未到達; FM: all 未到達. Official (approved): E1019 HW 4, E1027 HW 3.
HW1=$(sql "SELECT id FROM org_unit WHERE code = 'EAST-HW1'")
row() {   # the numbers of the org view's total row (people, counted, not assessed, then the levels)
    page "/hr/orgview?cycle=$C26&org=$HW1&levels=$1" "$S"
    sed -n '/<tfoot>/,/<\/tfoot>/p' "$T/body" | sed 's/<\/td>/\n/g' | sed -n 's/.*>\([0-9][0-9]*\)\(<\/a>\)\{0,1\}$/\1/p' | tr '\n' ' '
}
check "org view, 金融システム保守課, self-assessed: 8 people, 8 counted, HW 0/2/2/2/2/0, SW 7/0/1/0/0/0, FM 8 at 未到達" \
    test "$(row self)" = "8 8 0 0 2 2 2 2 0 7 0 1 0 0 0 8 0 0 0 0 0 0 "
check "... official: 8 people, 2 counted (E1019 HW 4, E1027 HW 3), 6 not assessed" \
    test "$(row official)" = "8 2 6 0 0 0 1 1 0 2 0 0 0 0 0 2 0 0 0 0 0 0 "
STS=$(sql "SELECT id FROM org_unit WHERE code = 'STS'")
page "/hr/orgview?cycle=$C26&org=$STS&levels=self" "$S"
expands=$(sed -n 's/.*<tr class="child" data-unit="\([A-Z0-9-]*\)"><th scope="row"><a href="\/hr\/orgview?.*/\1/p' "$T/body" | tr '\n' ' ')
rows=$(grep -c '<tr class="child"' "$T/body")
check "org view of STS: the units with units below them expand (EAST FAC WEST), HR does not ($rows rows)" \
    sh -c "test '$expands' = 'EAST FAC WEST ' && test '$rows' = 4"
page "/search?cycle=$C26&org=$HW1&spec=HW&level=3&levels=self" "$S"
names=$(sed -n 's/.*<tr><td><a href="\/people\/[0-9]*\/results">\(E[0-9]*\)<.*/\1/p' "$T/body" | sort | tr '\n' ' ')
check "search, HW 3 or above self-assessed in 金融システム保守課: E1011 E1019 E1027 E1036" test "$names" = "E1011 E1019 E1027 E1036 "
page "/search?cycle=$C26&org=$HW1&spec=HW&level=3" "$S"
names=$(sed -n 's/.*<tr><td><a href="\/people\/[0-9]*\/results">\(E[0-9]*\)<.*/\1/p' "$T/body" | sort | tr '\n' ' ')
check "... official: E1019 E1027" test "$names" = "E1019 E1027 "
page "/hr/portfolio/people?cycle=$C26&org=$HW1&levels=self&spec=HW&level=2" "$S"
names=$(sed -n 's/.*<tr><td><a href="\/people\/[0-9]*\/results?cycle=[0-9]*">\(E[0-9]*\)<.*/\1/p' "$T/body" | sort | tr '\n' ' ')
check "drill-down, HW level 2 self-assessed in 金融システム保守課: E1041 E1048" test "$names" = "E1041 E1048 "

# Experience records mentioning a word (AND with the other conditions): hand-made records.
OUT=$(sql "SELECT p.employee_number FROM person p JOIN org_unit o ON o.id = p.org_unit_id WHERE o.code = 'WEST-HW1' ORDER BY p.employee_number LIMIT 1")
"$ITSS_BIN" experience add E1011 --db "$DB" --project "Zebra基盤更改" --from 2026-01 --role チームリーダ --spec HW --level 3 >/dev/null 2>&1
"$ITSS_BIN" experience add E1048 --db "$DB" --project "端末更改" --from 2026-02 --role 担当 --spec HW --level 2 \
    --description "zebra 100% 移行" >/dev/null 2>&1
"$ITSS_BIN" experience add "$OUT" --db "$DB" --project "西日本保守" --from 2026-03 --role "ZEBRA係" --spec HW --level 1 >/dev/null 2>&1
found() { sed -n 's/.*<tr><td><a href="\/people\/[0-9]*\/results">\(E[0-9]*\)<.*/\1/p' "$T/body" | sort | tr '\n' ' '; }
page "/search?cycle=$C26&org=$HW1&word=ZEBRA" "$S"
check "word ZEBRA in 金融システム保守課: E1011 (project) E1048 (description), letters in either case" test "$(found)" = "E1011 E1048 "
page "/search?cycle=$C26&word=zebra" "$S"
check "word zebra in the whole company: also $OUT (role)" test "$(found)" = "$(printf '%s\n' E1011 E1048 "$OUT" | sort | tr '\n' ' ')"
page "/search?cycle=$C26&org=$HW1&word=zebra&spec=HW&level=3&levels=self" "$S"
check "word AND HW 3 or above self-assessed: E1011" test "$(found)" = "E1011 "
page "/search?cycle=$C26&word=%25" "$S"
check "word % is a letter like any other (not LIKE's wildcard): E1048 only" test "$(found)" = "E1048 "
page "/search?cycle=$C26&word=$(printf 'x%.0s' $(seq 1 101))" "$S"
check "a word over 100 bytes: 400 naming word" sh -c "test '$status' = 400 && grep -q '<p>word: ' '$T/body'"
page "/api/v1/search?cycle=$C26&word=zebra&limit=2" "$S"
check "GET /api/v1/search?word=zebra&limit=2: total 3, two people in the answer" sh -c \
    "$PY -c 'import json,sys; d=json.load(open(\"$T/body\")); sys.exit(0 if d[\"total\"] == 3 and len(d[\"people\"]) == 2 and d[\"limit\"] == 2 else 1)'"

# The window of the answer: limit and offset cut the same ordered list (HR's search reads only the window).
page "/api/v1/search?cycle=$C26&spec=any&level=0&levels=self&limit=10000" "$S"; cp "$T/body" "$T/all.json"
page "/api/v1/search?cycle=$C26&spec=any&level=0&levels=self&limit=7&offset=20" "$S"
check "GET /api/v1/search?limit=7&offset=20: people 21..27 of the whole list, the same total" sh -c \
    "$PY -c 'import json,sys; a=json.load(open(\"$T/all.json\")); w=json.load(open(\"$T/body\")); sys.exit(0 if a[\"total\"] > 27 and w[\"total\"] == a[\"total\"] and [p[\"id\"] for p in w[\"people\"]] == [p[\"id\"] for p in a[\"people\"][20:27]] else 1)'"
page "/search?cycle=$C26&spec=any&level=0&levels=self&page=2" "$S"
check "/search page 2 shows the 51st person of the whole list" sh -c \
    "grep -q \"/people/\$($PY -c 'import json; print(json.load(open(\"$T/all.json\"))[\"people\"][50][\"id\"])')/results\" '$T/body'"

# The search form's unit field: a code (or exact name) finds what ?org=ID finds; an unknown one is a 400.
page "/search?cycle=$C26&unit=EAST-HW1&spec=HW&level=3&levels=self" "$S"
check "/search?unit=EAST-HW1 finds what ?org=ID finds (E1011 E1019 E1027 E1036), the field keeps the code" sh -c \
    "test '$(found)' = 'E1011 E1019 E1027 E1036 ' && grep -q 'name=\"unit\" value=\"EAST-HW1\"' '$T/body'"
page "/search?cycle=$C26&unit=NOPE&spec=HW&level=3" "$S"
check "/search?unit=NOPE: 400 naming unit" sh -c "test '$status' = 400 && grep -q '<p>unit: ' '$T/body'"
