#!/bin/sh
# drill.sh - every count of the 人材ポートフォリオ and its movement on /hr links to
# the list of exactly the people it counted: for every such link on the demo's
# /hr (official and self-assessed levels, the whole company and one unit), the
# list's total equals the number clicked, its CSV has that many rows, and its
# pages hold that many people; sorting keeps the total; bad parameters are 4xx
# naming the parameter, never 500. Run with ITSS_BIN set; TAP-style lines.
. "$(dirname "$0")/lib.sh"

total() { sed -n 's/.*class="drill-total" data-total="\([0-9]*\)".*/\1/p' "$T/body"; }

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
S=$(session hr itss-demo-hr)
C26=$(sql "SELECT id FROM cycle WHERE name = '2026年度'"); C25=$(sql "SELECT id FROM cycle WHERE name = '2025年度'")
EAST=$(sql "SELECT id FROM org_unit WHERE code = 'EAST'")

for filters in "cycle=$C26&compare=$C25&levels=official" "cycle=$C26&compare=$C25&levels=self" \
               "cycle=$C26&compare=$C25&org=$EAST&levels=self" "cycle=$C25&levels=self&approved=1"; do
    page "/hr?$filters" "$S"
    # Every link to the list with the number it shows: "href<TAB>number".
    sed 's/<a href="\/hr\/portfolio\/people?/\n@@/g' "$T/body" | sed -n 's/^@@\([^"]*\)"[^>]*>\([0-9]*\)<\/a>.*/\1\t\2/p' |
        sed 's/&amp;/\&/g' >"$T/links"
    n=$(wc -l <"$T/links"); bad=0; sum=0
    while IFS="$(printf '\t')" read -r q want; do
        page "/hr/portfolio/people?$q" "$S"
        got=$(total)
        if [ "$status" != 200 ] || [ "$got" != "$want" ]; then
            bad=$((bad + 1)); echo "# $q: clicked $want, listed ${got:-none} (status $status)"
        fi
        sum=$((sum + want))
    done <"$T/links"
    check "/hr?$filters: each of its $n counts lists exactly that many people" test "$n" -ge 10 -a "$bad" -eq 0 -a "$sum" -gt 0
done

# /hr/trends: every count of every cycle's distribution and of the level flow leads to that many people.
for filters in "levels=self" "levels=official" "levels=self&org=$EAST"; do
    page "/hr/trends?$filters" "$S"
    sed 's/<a href="\/hr\/portfolio\/people?/\n@@/g' "$T/body" | sed -n 's/^@@\([^"]*\)"[^>]*>\([0-9]*\)<\/a>.*/\1\t\2/p' |
        sed 's/&amp;/\&/g' | awk -F'\t' '$2 > 0 || NR % 5 == 0' >"$T/links"
    n=$(wc -l <"$T/links"); bad=0
    while IFS="$(printf '\t')" read -r q want; do
        page "/hr/portfolio/people?$q" "$S"
        got=$(total)
        if [ "$status" != 200 ] || [ "$got" != "$want" ]; then
            bad=$((bad + 1)); echo "# $q: clicked $want, listed ${got:-none} (status $status)"
        fi
    done <"$T/links"
    check "/hr/trends?$filters: each of its $n counts (the non-zero ones and every fifth) lists exactly that many people" \
        test "$n" -ge 20 -a "$bad" -eq 0
done
page "/hr/trends?levels=self" "$S"
"$PY" - "$T/body" <<'EOF2'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
both = int(re.search(r'<h2 id="flow">.*?</h2>\n<p>[^<]*: (\d+)</p>', html, re.S).group(1))
bad = 0
for spec, table in re.findall(r'<table class="flow" data-spec="(\w+)">(.*?)</table>', html, re.S):
    rows = re.findall(r'<tr><th scope="row">[^<]*</th>(.*?)</tr>', table, re.S)
    cells = [[int(x) for x in re.findall(r'>(\d+)</a>', r)] for r in rows]
    moved = sum(sum(r[:-1]) for r in cells[:-1])
    if moved != both:
        print(f"# {spec}: the flow adds up to {moved}, {both} people are in both cycles"); bad += 1
sys.exit(1 if bad else 0)
EOF2
check "each specialization's flow matrix adds up to the people in both cycles" test $? -eq 0

# /hr/orgview: the rows add up to the total, column by column, and every count lists that many people.
STS=$(sql "SELECT id FROM org_unit WHERE code = 'STS'")
for filters in "levels=self" "levels=official&org=$STS" "levels=self&org=$EAST"; do
    page "/hr/orgview?$filters" "$S"
    "$PY" - "$T/body" <<'EOF2'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
def nums(row):
    return [int(x) for x in re.findall(r'<td class="num[^"]*">(?:<a [^>]*>)?(\d+)', row)]
body = re.search(r'<tbody>(.*?)</tbody>', html, re.S).group(1)
rows = [nums(r) for r in re.findall(r'<tr class="(?:direct|child)".*?</tr>', body, re.S)]
total = nums(re.search(r'<tfoot>(.*?)</tfoot>', html, re.S).group(1))
sums = [sum(c) for c in zip(*rows)] if rows else []
sys.exit(0 if rows and sums == total else 1)
EOF2
    check "/hr/orgview?$filters: the rows add up to the total in every column" test $? -eq 0
    sed 's/<a href="\/hr\/portfolio\/people?/\n@@/g' "$T/body" | sed -n 's/^@@\([^"]*\)"[^>]*>\([0-9]*\)<\/a>.*/\1\t\2/p' |
        sed 's/&amp;/\&/g' | awk -F'\t' '$2 > 0 || NR % 7 == 0' >"$T/links"
    n=$(wc -l <"$T/links"); bad=0
    while IFS="$(printf '\t')" read -r q want; do
        page "/hr/portfolio/people?$q" "$S"
        got=$(total)
        if [ "$status" != 200 ] || [ "$got" != "$want" ]; then
            bad=$((bad + 1)); echo "# $q: clicked $want, listed ${got:-none} (status $status)"
        fi
    done <"$T/links"
    check "/hr/orgview?$filters: each of its $n counts (non-zero, and every seventh) lists exactly that many people" \
        test "$n" -ge 10 -a "$bad" -eq 0
done
page "/hr/orgview?org=999999" "$S"
check "/hr/orgview?org=999999: 404 naming org" sh -c "test '$status' = 404 && grep -q '<p>org: ' '$T/body'"
page "/hr/orgview?cycle=x" "$S"
check "/hr/orgview?cycle=x: 400 naming cycle" sh -c "test '$status' = 400 && grep -q '<p>cycle: ' '$T/body'"

# The CSV of a list and its pages hold the people its total says.
page "/hr?cycle=$C26&levels=self" "$S"
q=$(sed 's/<a href="\/hr\/portfolio\/people?/\n@@/g' "$T/body" | sed -n 's/^@@\([^"]*\)".*/\1/p' | sed 's/&amp;/\&/g' | head -n 1)
page "/hr/portfolio/people?$q" "$S"; want=$(total)
page "/hr/portfolio/people?$q&format=csv" "$S"
rows=$(($(tr -d '\r' <"$T/body" | grep -c .) - 1))
check "the CSV download of a list ($q) has its $want people" test "$rows" = "$want" -a "$want" -gt 50
page "/hr/portfolio/people?$q&format=xlsx" "$S"
cp "$T/body" "$T/list.xlsx"
xrows=$("$PY" "$HERE/xlsx_read.py" "$T/list.xlsx" "$("$PY" "$HERE/xlsx_read.py" "$T/list.xlsx" | sed -n 2p)" 2>/dev/null | grep -c '^\["E')
check "the Excel download of the list has its $want people too" test "$xrows" = "$want"
seen=0; p=1
while [ $p -le 10 ]; do
    page "/hr/portfolio/people?$q&sort=name&dir=desc&page=$p" "$S"
    [ "$status" = 200 ] || break
    k=$(grep -c '<tr><td><a href="/people/' "$T/body"); [ "$k" -gt 0 ] || break
    seen=$((seen + k)); p=$((p + 1))
done
check "its pages (50 a page, sorted by name, descending) hold the $want people" test "$seen" = "$want"
page "/hr/portfolio/people?$q&sort=unit" "$S"
check "sorted by unit, the total stays $want" test "$(total)" = "$want"

# The page is picked, sorted and cut over the org columns; the CSV reads every
# row from the store: for each sort and direction the page's first 50 people are
# the CSV's first 50, in the same order (the two paths agree).
for q in "cycle=$C26&levels=self" "cycle=$C26&levels=official" "cycle=$C26&compare=$C25&levels=self&spec=HW&move=same" \
         "cycle=$C26&compare=$C25&org=$EAST&levels=self&spec=SW&from=0&level=0"; do
    bad=0
    for s in number name unit level; do
        for d in asc desc; do
            page "/hr/portfolio/people?$q&sort=$s&dir=$d" "$S"
            a=$(sed -n 's/.*<tr><td><a href="\/people\/[0-9]*\/results?cycle=[0-9]*">\([^<]*\)<.*/\1/p' "$T/body" | tr '\n' ' ')
            page "/hr/portfolio/people?$q&sort=$s&dir=$d&format=csv" "$S"
            b=$(tail -n +2 "$T/body" | cut -d, -f1 | head -n 50 | tr -d '\r' | tr '\n' ' ')
            if [ -z "$a" ] || [ "$a" != "$b" ]; then bad=$((bad + 1)); echo "# $q sort=$s dir=$d: page [$a] csv [$b]"; fi
        done
    done
    check "/hr/portfolio/people?$q: each sort's page 1 is the CSV's first rows in its order" test "$bad" = 0
done

# The unit filter of /hr: a text field taking a code or a name (no select of
# every unit), the same portfolio as ?org=ID; the path and the units below as links.
links_of() { sed 's/<a href="\/hr\/portfolio\/people?/\n@@/g' "$T/body" | sed -n 's/^@@\([^"]*\)"[^>]*>\([0-9]*\)<\/a>.*/\1\t\2/p'; }
page "/hr?cycle=$C26&org=$EAST&levels=self" "$S"; links_of >"$T/by_id"
page "/hr?cycle=$C26&unit=EAST&levels=self" "$S"; links_of >"$T/by_code"
check "/hr?unit=EAST shows what /hr?org=ID shows (its $(wc -l <"$T/by_id") counts)" cmp -s "$T/by_id" "$T/by_code"
check "/hr?unit=EAST: the field holds the code, the path and the units below are links" sh -c \
    "grep -q 'name=\"unit\" value=\"EAST\"' '$T/body' && grep -q 'aria-current=\"page\">東日本カスタマサービス本部</a>' '$T/body' && grep -q 'org=$(sql "SELECT id FROM org_unit WHERE code = 'EAST-HW'")\">東日本ハードウェア保守部</a>' '$T/body'"
page "/hr?cycle=$C26&unit=%E6%9D%B1%E6%97%A5%E6%9C%AC%E3%82%AB%E3%82%B9%E3%82%BF%E3%83%9E%E3%82%B5%E3%83%BC%E3%83%93%E3%82%B9%E6%9C%AC%E9%83%A8&levels=self" "$S"
links_of >"$T/by_name"
check "/hr?unit=<the unit's name> shows the same" cmp -s "$T/by_id" "$T/by_name"
page "/hr?cycle=$C26&levels=self" "$S"
check "/hr has no select of every unit: the datalist offers at most the top units and those below" sh -c \
    "! grep -q '<select[^>]*name=\"org\"' '$T/body' && test \$(sed -n '/<datalist id=\"unit-choices\">/,/<\/datalist>/p' '$T/body' | grep -c '<option') -le 61"
for bad in "unit=NOSUCH:unit" "org=999999:org" "org=abc:org"; do
    page "/hr?cycle=$C26&${bad%%:*}" "$S"
    check "/hr?${bad%%:*}: 400 naming ${bad#*:}" sh -c "test '$status' = 400 && grep -q '<p>${bad#*:}: ' '$T/body'"
done

# Issue 12, defect 6: the portfolio shows each specialization's own levels
# (HW and SW 1-5, FM 3-6); no column of a level no specialization has.
page "/hr?cycle=$C26&levels=self" "$S"
"$PY" - "$T/body" <<'EOF2'
import re, sys
html = open(sys.argv[1], encoding="utf-8").read()
t = re.search(r'<table class="portfolio-table">(.*?)</table>', html, re.S).group(1)
heads = re.findall(r'<th scope="col" class="num">([^<]*)</th>', t)
rows = {m.group(1): m.group(2) for m in re.finditer(r'<tr><th scope="row">([^<]*)</th>(.*?)</tr>', t)}
def shown(name):   # per level column: 'na' or 'n'
    cells = re.findall(r'<td class="num( na)?">', rows[name])[:6]
    return ''.join('-' if c else 'n' for c in cells)
ok = heads[:6] == ['レベル%d' % l for l in range(1, 7)] and 'レベル7' not in heads and \
     shown('ハードウェア') == 'nnnnn-' and shown('ソフトウェア') == 'nnnnn-' and shown('ファシリティマネジメント') == '--nnnn'
sys.exit(0 if ok else 1)
EOF2
check "/hr: HW and SW show levels 1-5, FM 3-6 (the others marked, not counted), no level 7 column" test $? -eq 0

# /hr/people takes the same unit field: the people of the unit and the units below it.
want=$(sql "WITH RECURSIVE t(id) AS (SELECT id FROM org_unit WHERE code = 'EAST' UNION ALL SELECT o.id FROM org_unit o JOIN t ON o.parent_id = t.id) SELECT count(*) FROM person WHERE org_unit_id IN (SELECT id FROM t)")
page "/hr/people?unit=EAST" "$S"
check "/hr/people?unit=EAST: the $want people of the unit and below, no select of every unit" sh -c \
    "grep -q 'class=\"count\">[^<]*: $want<' '$T/body' && ! grep -q '<select[^>]*name=\"org\"' '$T/body'"

# /home's campaign (counted over the org columns): the total row adds up to
# everyone, and its figures are the store's.
page "/home" "$S"
CUR=$(sql "SELECT id FROM cycle WHERE opens <= '2026-12-06' AND closes >= '2026-12-06' ORDER BY (SELECT count(*) FROM assessment a WHERE a.cycle_id = cycle.id) DESC LIMIT 1")
want=$(sql "SELECT ((SELECT count(*) FROM person) - (SELECT count(*) FROM assessment WHERE cycle_id = $CUR)) || ' ' ||
           (SELECT count(*) FROM assessment WHERE cycle_id = $CUR AND status IN ('draft', 'returned')) || ' ' ||
           (SELECT count(*) FROM assessment WHERE cycle_id = $CUR AND status = 'submitted') || ' ' ||
           (SELECT count(*) FROM assessment WHERE cycle_id = $CUR AND status = 'approved')")
got=$(sed -n 's/.*<tr class="total"><th scope="row">[^<]*<\/th><td class="num">\([0-9]*\)<\/td><td class="num">\([0-9]*\)<\/td><td class="num">\([0-9]*\)<\/td><td class="num">\([0-9]*\)<\/td>.*/\1 \2 \3 \4/p' "$T/body")
check "/home: the campaign's total (not started, draft, submitted, approved) is the store's: $want" test "$got" = "$want"
rows=$(grep -c '<tr><th scope="row">' "$T/body")
check "/home: the campaign shows the units below the top ($rows rows), not every unit" test "$rows" -ge 2 -a "$rows" -le 10

# Bad input: 4xx naming the parameter.
for bad in "cycle=999999:404:cycle" "cycle=abc:400:cycle" "cycle=$C26&org=999999:404:org" "cycle=$C26&spec=XX&level=1:400:spec" \
           "cycle=$C26&spec=HW&level=99:400:level" "cycle=$C26&spec=HW&move=up:400:compare" "cycle=$C26&spec=HW&move=sideways&compare=$C25:400:move" \
           "cycle=$C26&sort=salary:400:sort" "cycle=$C26&page=0:400:page" "cycle=$C26&levels=both:400:levels" ":400:cycle"; do
    q=${bad%%:*}; rest=${bad#*:}; want=${rest%%:*}; field=${rest#*:}
    page "/hr/portfolio/people?$q" "$S"
    check "/hr/portfolio/people?$q: $want naming $field" sh -c "test '$status' = '$want' && grep -q '<p>$field: ' '$T/body'"
done
S_MGR=$(session manager itss-demo-manager)
page "/hr/portfolio/people?cycle=$C26" "$S_MGR"
check "a manager asking for the list: 403" test "$status" = 403
