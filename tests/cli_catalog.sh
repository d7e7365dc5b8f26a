#!/bin/sh
# cli_catalog.sh - `itss catalog` as a user meets it: browsing, search in both
# spellings, JSON output, export round trip, exit codes, broken catalog files
# and a second job category. Expected texts are read from the catalog files
# themselves, never copied here. Run from the repository root with ITSS_BIN set;
# prints one TAP-style "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
CAT=catalog/customer-service.json
MINI=tests/fixtures/mini-catalog.json
COLUMNS=9999      # no wrapping unless a check asks for a width
export COLUMNS


# Shared python: the catalog's elements with the text itss shows for each, in
# the way docs/catalog-format.md defines them; the width of text on a terminal.
cat >"$T/lib.py" <<'EOF'
import json, sys, unicodedata
def load(path):
    with open(path, encoding="utf-8") as f:
        return json.load(f)
def elements(cat):
    """(id, text) of every identified element, text as the CLI shows it."""
    areas = {a["id"]: a["name"] for a in cat["skill_areas"]}
    out = [(cat["job_category"]["id"], cat["job_category"]["overview"])]
    def walk(v, top=False):
        if isinstance(v, dict):
            if "id" in v and not top and v is not cat["job_category"]:
                if "area" in v:
                    t = areas.get(v["area"])
                elif "responsibility" in v:
                    t = None
                else:
                    t = v.get("text") or v.get("lead") or v.get("description") or v.get("name")
                out.append((v["id"], t))
            for k, x in v.items():
                if k != "source":
                    walk(x)
        elif isinstance(v, list):
            for x in v:
                walk(x)
    walk(cat, top=True)
    return out
def fold(s):
    return unicodedata.normalize("NFKC", s).casefold()
def width(s):
    w = 0
    for ch in s:
        if unicodedata.combining(ch) or ord(ch) < 32:
            continue
        w += 2 if unicodedata.east_asian_width(ch) in "WF" else 1
    return w
EOF
PYLIB="import sys; sys.path.insert(0, '$T'); from lib import *"

# ---- global behaviour ----
run --version
check "--version prints the program version" grep -qx 'itss 0\.1\.0' "$T/out"
check "--version names the built-in catalog's id and version" py "$PYLIB
c = load('$CAT'); out = open('$T/out', encoding='utf-8').read()
sys.exit(not (c['id'] in out and c['version'] in out))"
run help
check "itss help lists the catalog command, exit 0" sh -c "[ $rc = 0 ] && grep -q '^  catalog ' '$T/out'"
run --help
check "itss --help prints usage, exit 0" sh -c "[ $rc = 0 ] && grep -q '^usage: itss' '$T/out'"
run help catalog
check "itss help catalog describes every subcommand" sh -c "[ $rc = 0 ] && grep -q 'show SPEC LEVEL' '$T/out' && grep -q 'validate FILE' '$T/out' && grep -q 'search TEXT' '$T/out'"
run catalog --help
check "itss catalog --help is the same text" sh -c "[ $rc = 0 ] && grep -q 'show SPEC LEVEL' '$T/out'"

run frobnicate
check "unknown command: exit 2, usage on stderr, nothing on stdout" sh -c "[ $rc = 2 ] && grep -q \"unknown command 'frobnicate'\" '$T/err' && grep -q '^usage:' '$T/err' && [ ! -s '$T/out' ]"
run --frobnicate
check "unknown global option: exit 2, named, usage on stderr" sh -c "[ $rc = 2 ] && grep -q \"'--frobnicate'\" '$T/err' && grep -q '^usage:' '$T/err'"
run catalog list --frobnicate
check "unknown catalog option: exit 2, named, usage on stderr" sh -c "[ $rc = 2 ] && grep -q \"unknown option '--frobnicate'\" '$T/err' && grep -q 'usage:' '$T/err'"
run catalog frobnicate
check "unknown catalog subcommand: exit 2" sh -c "[ $rc = 2 ] && grep -q \"'frobnicate'\" '$T/err'"
run catalog show HW
check "missing argument: exit 2" sh -c "[ $rc = 2 ] && grep -q 'SPEC LEVEL' '$T/err'"
run catalog list --catalog
check "--catalog without FILE: exit 2, option named" sh -c "[ $rc = 2 ] && grep -q \"'--catalog' needs a value\" '$T/err'"
run catalog list --format csv
check "--format outside export: exit 2" sh -c "[ $rc = 2 ] && grep -q -- '--format' '$T/err'"
run catalog export --format xml
check "unknown export format: exit 2, format named" sh -c "[ $rc = 2 ] && grep -q \"'xml'\" '$T/err'"

# ---- list ----
run catalog list
check "list: exit 0" [ "$rc" = 0 ]
check "list names every specialization and skill area with its code" py "$PYLIB
c = load('$CAT'); out = open('$T/out', encoding='utf-8').read()
want = [(s['code'], s['name']) for s in c['specializations']] + [(a['code'], a['name']) for a in c['skill_areas']]
lines = out.splitlines()
sys.exit(not all(any(l.startswith(code + ' ') and name in l for l in lines) for code, name in want))"
check "list gives each specialization's levels, common levels included" py "$PYLIB
c = load('$CAT'); out = open('$T/out', encoding='utf-8').read().splitlines()
for s in c['specializations']:
    lv = [l['level'] for l in s['levels']]
    for b in c.get('common_levels', []):
        if s['id'] in b['shared_by']:
            lv += [l['level'] for l in b['levels']]
    rng = '%d-%d' % (min(lv), max(lv))
    row = [l for l in out if l.startswith(s['code'] + ' ')][0]
    if rng not in row.split():
        sys.exit('%s: %s not in %r' % (s['code'], rng, row))"
check "list columns line up by display width (wide characters count two)" py "$PYLIB
import re
c = load('$CAT')
lines = open('$T/out', encoding='utf-8').read().splitlines()
codes = [s['code'] for s in c['specializations']]
head = lines.index([l for l in lines if l.startswith('コード')][0])
rows = [lines[head]] + [l for l in lines if l.split(' ')[0] in codes]
# the third column (levels) starts at the same display column on every row
starts = set()
for l in rows:
    gaps = [m.end() for m in re.finditer(r' {2,}', l)]
    starts.add(width(l[:gaps[1]]))
sys.exit(len(rows) != len(codes) + 1 or len(starts) != 1)"

# ---- show ----
run catalog show HW 4
cp "$T/out" "$T/show-hw4"
check "show HW 4: exit 0" [ "$rc" = 0 ]
check "show HW 4 holds every achievement text of CS.HW.L4, in the standard's order, each with its id" py "$PYLIB
c = load('$CAT'); out = open('$T/show-hw4', encoding='utf-8').read()
lv = [l for s in c['specializations'] if s['id'] == 'CS.HW' for l in s['levels'] if l['level'] == 4][0]
seq = [('●', '責任性', lv['responsibility']['id']), ('－', lv['responsibility']['text'], None)]
for key, label in (('complexity', '複雑性'), ('size', 'サイズ'), ('task', 'タスク特性')):
    cr = lv[key]
    seq += [('●', label, cr['id']), ('－', cr['lead'], None)]
    seq += [('□', it['text'], it['id']) for it in cr['items']]
    seq += [('', it['text'], it['id']) for it in cr.get('notes', [])]
lines = out.splitlines(); pos = 0
for mark, text, ident in seq:
    while pos < len(lines) and not (lines[pos].startswith(mark + text) and (ident is None or lines[pos].rstrip().endswith(ident))):
        pos += 1
    if pos == len(lines):
        sys.exit('missing or out of order: %s%s %s' % (mark, text, ident))
    pos += 1"
check "show HW 4 gives the proficiency of every HW skill area at level 4" py "$PYLIB
c = load('$CAT'); out = open('$T/show-hw4', encoding='utf-8').read()
hw = [s for s in c['specializations'] if s['id'] == 'CS.HW'][0]
ps = [p for a in hw['skill_areas'] for p in a['proficiency'] if p['level'] == 4]
sys.exit(not ps or not all(p['text'] in out and p['id'] in out for p in ps))"
run catalog show ハードウェア ４
check "show accepts the name and a full-width level: same page" cmp -s "$T/out" "$T/show-hw4"

run catalog show HW 2
check "show HW 2: exit 0, level from the common block" py "$PYLIB
c = load('$CAT'); out = open('$T/out', encoding='utf-8').read()
b = [b for b in c['common_levels'] if 'CS.HW' in b['shared_by']][0]
lv = [l for l in b['levels'] if l['level'] == 2][0]
texts = [lv['responsibility']['text']] + [i['text'] for k in ('complexity', 'size', 'task') for i in lv[k]['items']]
profs = [p for a in b['skill_areas'] for p in a['proficiency'] if p['level'] == 2]
ok = $rc == 0 and lv['id'] in out and all(t in out for t in texts) and profs and all(p['id'] in out for p in profs)
sys.exit(not ok)"

run catalog show XX 4
check "unknown specialization: exit 2, argument named, valid ones listed" sh -c "[ $rc = 2 ] && grep -q \"'XX'\" '$T/err' && grep -q 'HW' '$T/err' && grep -q 'FM' '$T/err' && [ ! -s '$T/out' ]"
run catalog show HW 7
check "level the specialization does not have: exit 2, valid levels listed" sh -c "[ $rc = 2 ] && grep -q 'no level 7' '$T/err' && grep -q '1-5' '$T/err'"
run catalog show HW four
check "level that is not a number: exit 2, argument named" sh -c "[ $rc = 2 ] && grep -q \"'four'\" '$T/err'"

COLUMNS=80 "$ITSS_BIN" catalog show HW 4 >"$T/narrow" 2>/dev/null
check "show wraps long Japanese text within COLUMNS=80, never cutting a character" py "$PYLIB
lines = open('$T/narrow', encoding='utf-8').read().splitlines()
sys.exit(not lines or max(width(l) for l in lines) > 80)"
check "wrapped show keeps every text (lines joined again)" py "$PYLIB
out = ''.join(l.strip() for l in open('$T/narrow', encoding='utf-8'))
c = load('$CAT')
lv = [l for s in c['specializations'] if s['id'] == 'CS.HW' for l in s['levels'] if l['level'] == 4][0]
texts = [lv['responsibility']['text']] + [lv[k]['lead'] for k in ('complexity', 'size', 'task')]
sys.exit(not all(t.replace(' ', '') in out.replace(' ', '') for t in texts))"

# ---- area ----
run catalog area HW UEA
check "area HW UEA: description, proficiency highest level first, knowledge items with ids" py "$PYLIB
c = load('$CAT'); out = open('$T/out', encoding='utf-8').read()
area = [a for a in c['skill_areas'] if a['code'] == 'UEA'][0]
hw = [s for s in c['specializations'] if s['id'] == 'CS.HW'][0]
sa = [x for x in hw['skill_areas'] if x['area'] == area['id']][0]
profs = sorted(sa['proficiency'], key=lambda p: -p['level'])
order = [out.find(p['id']) for p in profs]
items = [(k['id'], i['id'], i['text']) for k in sa['knowledge'] for i in k['items']]
ok = $rc == 0 and area['description'] in out and -1 not in order and order == sorted(order)
ok = ok and all(a in out and b in out and t in out for a, b, t in items)
sys.exit(not ok)"
run catalog area HW FMT
check "area the specialization does not have: exit 2, its areas listed" sh -c "[ $rc = 2 ] && grep -q 'FMT' '$T/err' && grep -q 'HWT' '$T/err'"

# ---- search ----
"$ITSS_BIN" catalog search '２４時間３６５日' --json >"$T/s1" 2>/dev/null; r1=$?
"$ITSS_BIN" catalog search '24時間365日' --json >"$T/s2" 2>/dev/null; r2=$?
check "search ２４時間３６５日 and 24時間365日 give the same results" py "$PYLIB
import json
a = json.load(open('$T/s1')); b = json.load(open('$T/s2'))
sys.exit($r1 != 0 or $r2 != 0 or a['results'] != b['results'] or not a['results'])"
check "search 24時間365日 finds exactly the elements whose folded text contains it" py "$PYLIB
import json
got = [r['id'] for r in json.load(open('$T/s2'))['results']]
want = [i for i, t in elements(load('$CAT')) if t and fold('24時間365日') in fold(t)]
sys.exit(got != want)"
"$ITSS_BIN" catalog search 'ＩＴ' >"$T/s3" 2>/dev/null; r1=$?
"$ITSS_BIN" catalog search 'IT' >"$T/s4" 2>/dev/null; r2=$?
check "search ＩＴ and IT print the same table" sh -c "[ $r1 = 0 ] && [ $r2 = 0 ] && [ -s '$T/s3' ] && cmp -s '$T/s3' '$T/s4'"
"$ITSS_BIN" catalog search 'it' --json >"$T/s5" 2>/dev/null
check "search IT (any case, any width) finds exactly the elements that contain it" py "$PYLIB
import json
got = [r['id'] for r in json.load(open('$T/s5'))['results']]
want = [i for i, t in elements(load('$CAT')) if t and 'it' in fold(t)]
sys.exit(got != want)"
check "search results name the place, e.g. ハードウェア レベル5 複雑性" py "$PYLIB
import json
r = {x['id']: x for x in json.load(open('$T/s2'))['results']}
sys.exit(r['CS.HW.L5.complexity.5']['place'] != 'ハードウェア レベル5 複雑性')"
run catalog search 'この文はどこにもない'
check "search with no match: exit 1, nothing on stdout" sh -c "[ $rc = 1 ] && [ ! -s '$T/out' ]"
run catalog search ''
check "search for empty text: exit 2" [ "$rc" = 2 ]
COLUMNS=70 "$ITSS_BIN" catalog search '汎用プロセッサ' >"$T/narrow" 2>/dev/null
check "search table fits COLUMNS=70" py "$PYLIB
lines = open('$T/narrow', encoding='utf-8').read().splitlines()
sys.exit(len(lines) < 3 or max(width(l) for l in lines) > 70)"

# ---- --json on every subcommand ----
for args in "list" "show HW 4" "show SW 1" "area FM FMT" "search 障害" "export" "validate $CAT"; do
    # shellcheck disable=SC2086
    "$ITSS_BIN" catalog $args --json >"$T/j" 2>"$T/err"; rc=$?
    check "catalog $args --json: exit 0, output parses as JSON" sh -c "[ $rc = 0 ] && python3 -m json.tool '$T/j' >/dev/null"
done

# ---- export in other systems' formats (CASE 1.1, Moodle) ----
for cat in "$CAT" "$MINI"; do
    run catalog export --format case --catalog "$cat"
    cp "$T/out" "$T/case.json"
    check "export case ($cat): exit 0, one CFItem per element with its id as humanCodingScheme" py "$PYLIB
p = json.load(open('$T/case.json', encoding='utf-8'))
cat = load('$cat')
want = [i for i, t in elements(cat) if i != cat['job_category']['id'] and '.note.' not in i]
got = [it['humanCodingScheme'] for it in p['CFItems']]
sys.exit(not ($rc == 0 and got == want and p['CFDocument']['title'] == cat['title']))"
    SOURCE_DATE_EPOCH=0 "$ITSS_BIN" catalog export --format case --catalog "$cat" >"$T/c1" 2>/dev/null
    SOURCE_DATE_EPOCH=0 "$ITSS_BIN" catalog export --format case --catalog "$cat" >"$T/c2" 2>/dev/null
    check "export case ($cat): the same bytes twice with SOURCE_DATE_EPOCH, dated 1970-01-01T00:00:00Z" \
        sh -c "cmp -s '$T/c1' '$T/c2' && grep -q '\"1970-01-01T00:00:00Z\"' '$T/c1'"
    run catalog export --format moodle --catalog "$cat"
    cp "$T/out" "$T/moodle.csv"
    check "export moodle ($cat): 14 columns in every row, framework first, each parent defined above" py "
import csv, io, sys
rows = list(csv.reader(io.StringIO(open('$T/moodle.csv', encoding='utf-8', newline='').read())))
ok = $rc == 0 and all(len(r) == 14 for r in rows) and rows[0][0] == 'Parent ID number' and rows[1][12] == '1'
seen = set()
for r in rows[2:]:
    ok = ok and (r[0] == '' or r[0] in seen) and r[12] == ''
    seen.add(r[1])
sys.exit(not ok)"
done
run catalog export --format case --base-uri ftp://example.org
check "export case --base-uri that is not http(s): exit 2, the value named" sh -c "[ $rc = 2 ] && grep -q 'ftp://example.org' '$T/err'"
run catalog export --format case --base-uri https://case.example.org/
check "export case --base-uri: uris under URL/ims/case/v1p1/" sh -c "[ $rc = 0 ] && grep -q '\"https://case.example.org/ims/case/v1p1/CFItems/' '$T/out'"
run catalog export --format csv --base-uri https://case.example.org
check "--base-uri with another format: exit 2" sh -c "[ $rc = 2 ] && grep -q -- '--base-uri' '$T/err'"
run catalog export --format moodle --json
check "--json with --format moodle: exit 2" [ "$rc" = 2 ]

# ---- export ----
run catalog export --format json
cp "$T/out" "$T/export.json"
check "export json: exit 0" [ "$rc" = 0 ]
run catalog validate "$T/export.json"
check "exported json validates as a catalog" sh -c "[ $rc = 0 ] && grep -q ': ok (' '$T/out'"
check "exported json holds the whole catalog file, member order kept" py "$PYLIB
import json
a = load('$CAT'); b = load('$T/export.json')
sys.exit(a != b or list(a) != list(b))"
run catalog export --format csv
cp "$T/out" "$T/export.csv"
check "export csv: UTF-8 BOM, then the header row ending in CRLF" py "
import sys
d = open('$T/export.csv', 'rb').read()
sys.exit(not d.startswith(b'\xef\xbb\xbfid,kind,specialization,level,area,text\r\n'))"
check "export csv: one row per element, ids and texts as in the catalog" py "$PYLIB
import csv, io
rows = list(csv.reader(io.StringIO(open('$T/export.csv', encoding='utf-8-sig', newline='').read())))
want = elements(load('$CAT'))
got = [(r[0], r[5]) for r in rows[1:]]
ok = len(got) == len(want) and [g[0] for g in got] == [w[0] for w in want]
ok = ok and all(g[1] == (w[1] or '') for g, w in zip(got, want))
ok = ok and all(len(r) == 6 for r in rows)
sys.exit(not ok)"
check "export csv: rows end in CRLF outside quoted texts" py "
d = open('$T/export.csv', 'rb').read().decode('utf-8-sig')
import csv, io, sys
n = len(list(csv.reader(io.StringIO(d, newline=''))))
sys.exit(d.count('\r\n') != n)"

# ---- broken catalog files ----
# fixture, then the line:column the first error must name
for fc in "truncated 19:1" "utf8 9:44" "empty 1:1" "notjson 1:1" "duplicate-id 20:27" \
          "unknown-key 11:71" "duplicate-key 7:3" "undefined-area 24:19" "level-range 16:38"; do
    f=tests/fixtures/broken-${fc% *}.json
    pos=${fc#* }
    run catalog validate "$f"
    check "validate broken-${fc% *}: exit 2, error at $f:$pos" sh -c "[ $rc = 2 ] && grep -q '^$f:$pos: ' '$T/err' && [ ! -s '$T/out' ]"
    run catalog list --catalog "$f"
    check "list --catalog broken-${fc% *}: exit 2, same place" sh -c "[ $rc = 2 ] && grep -q '^$f:$pos: ' '$T/err' && [ ! -s '$T/out' ]"
done
run catalog validate tests/fixtures/broken-several.json
check "validate prints every error of a file, each with its place" sh -c "[ $rc = 2 ] && [ \$(grep -c '^tests/fixtures/broken-several.json:[0-9]*:[0-9]*: ' '$T/err') = 3 ]"
run catalog validate tests/fixtures/broken-duplicate-id.json --json
check "validate --json lists the errors with line and column, exit 2" py "
import json, sys
d = json.load(open('$T/out'))
e = d['errors'][0]
sys.exit($rc != 2 or d['valid'] or (e['line'], e['column']) != (20, 27) or 'duplicate id' not in e['message'])"
truncate -s 65M "$T/huge.json" 2>/dev/null || dd if=/dev/zero of="$T/huge.json" bs=1M count=65 2>/dev/null
run catalog validate "$T/huge.json"
check "a file over 64 MiB is refused, exit 2" sh -c "[ $rc = 2 ] && grep -q 'huge.json' '$T/err'"
run catalog validate "$T/no-such-file.json"
check "a missing file: exit 2, file named" sh -c "[ $rc = 2 ] && grep -q 'no-such-file.json' '$T/err'"
ITSS_CATALOG=tests/fixtures/broken-empty.json "$ITSS_BIN" catalog list >"$T/out" 2>"$T/err"; rc=$?
check "ITSS_CATALOG naming a broken file: exit 2, place given" sh -c "[ $rc = 2 ] && grep -q '^tests/fixtures/broken-empty.json:1:1: ' '$T/err'"
run catalog validate "$CAT"
check "the shipped catalog validates" sh -c "[ $rc = 0 ] && grep -q '^$CAT: ok (' '$T/out'"

# ---- a second job category ----
run catalog list --catalog "$MINI"
check "list --catalog mini-catalog: its specializations and skill areas" py "$PYLIB
c = load('$MINI'); out = open('$T/out', encoding='utf-8').read()
names = [c['job_category']['name']] + [s['name'] for s in c['specializations']] + [a['name'] for a in c['skill_areas']]
sys.exit($rc != 0 or not all(n in out for n in names) or 'カスタマサービス' in out)"
ITSS_CATALOG=$MINI "$ITSS_BIN" catalog list >"$T/env" 2>/dev/null
check "ITSS_CATALOG selects the catalog like --catalog" cmp -s "$T/out" "$T/env"
py "$PYLIB
c = load('$MINI'); s = c['specializations'][0]; l = s['levels'][0]
print(s['code'], l['level'], l['responsibility']['text'], sep='\n')" >"$T/mini-args"
spec=$(sed -n 1p "$T/mini-args"); level=$(sed -n 2p "$T/mini-args"); resp=$(sed -n 3p "$T/mini-args")
run catalog show "$spec" "$level" --catalog "$MINI"
check "show --catalog mini-catalog $spec $level: its achievement indicators" sh -c "[ $rc = 0 ] && grep -qF -- '$resp' '$T/out'"
py "$PYLIB
print(load('$MINI')['specializations'][0]['levels'][0]['complexity']['lead'])" >"$T/mini-lead"
run catalog search "$(cat "$T/mini-lead")" --catalog "$MINI" --json
check "search --catalog mini-catalog finds that catalog's elements only" py "$PYLIB
import json
c = load('$MINI'); r = json.load(open('$T/out'))['results']
sys.exit($rc != 0 or not r or not all(x['id'].startswith(c['job_category']['id'] + '.') for x in r))"
