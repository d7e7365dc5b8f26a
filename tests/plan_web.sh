#!/bin/sh
# plan_web.sh - development plans (docs/plans.md) through the API and the pages
# (`itss serve --request`, bearer tokens and a browser's session) on the demo
# company: the engineer (E1019) sets a target and the items quote the standard;
# the manager above them approves under the reviewing rule of review.c, the
# engineer may not; a course of the catalog is attached; HR imports and
# exports the training catalog and sees plans by unit. Bad input (a target
# above the specialization's levels or in the past, an item or action of
# another person's plan, an unknown course, a qualification that expires
# before it was obtained, an unknown IPA examination, a malformed CSV) is a
# 4xx naming the field, and the database is unchanged. Run with ITSS_BIN set;
# prints one TAP-style line per check.
. "$(dirname "$0")/lib.sh"

STATE_SKIP='^INSERT INTO api_token\|^INSERT INTO session\|^INSERT INTO login_'
TOKEN_SCOPE=write

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
ENG=$(token engineer); MGR=$(token manager); HR=$(token hr)
E=$(pid E1019); OUT=$(pid E1010)
check "the demo and tokens for the engineer (E1019), their manager (E1011) and HR" \
    test -n "$ENG" -a -n "$MGR" -a -n "$HR" -a -n "$E"
FUTURE=$(date -d '+1 year' +%F 2>/dev/null || echo 2099-12-31)

# ---- the training catalog (HR) ----
printf 'code,title,provider,hours,covers\r\nHW-501,ユーザ環境分析研修,社内研修センター,14,CS.UEA CS.HW.UEA.K01\r\n' >"$T/c.csv"
api POST "/api/v1/imports/courses?filename=c.csv" "$HR" "$(cat "$T/c.csv")" text/csv
check "HR imports a course from CSV (200, 1 added)" sh -c "[ '$status' = 200 ] && grep -q '\"added\":1' '$T/body'"
refused "a malformed training CSV: 422, every error at its line and column, nothing written" 422 \
    'bad.csv:3:11: hours' POST "/api/v1/imports/courses?filename=bad.csv" "$HR" \
    "$(printf 'code,title,provider,hours,covers\r\nHW-601,ok,,3,CS.UEA\r\nHW-602,x,,abc,CS.NOPE\r\n')" text/csv
check "  ... and the unknown skill area of the same row" body_has "bad.csv:3:15: covers"
check "  ... the good row before it is not written either" test "$(sql "SELECT COUNT(*) FROM course WHERE code = 'HW-601'")" = 0
refused "an engineer may not import courses" 403 forbidden POST "/api/v1/imports/courses" "$ENG" "$(cat "$T/c.csv")" text/csv
api GET /api/v1/exports/courses "$HR"
check "the export gives the import's layout back" sh -c "[ '$status' = 200 ] && grep -q '^HW-501,ユーザ環境分析研修,社内研修センター,14,' '$T/body'"

# ---- the engineer's target ----
refused "a target above the specialization's levels: 422 naming level" 422 '"field":"level"' \
    PUT "/api/v1/people/$E/plan/target" "$ENG" '{"specialization":"HW","level":6,"date":"'"$FUTURE"'"}'
check "  ... the message says the levels ハードウェア has" body_has "1〜5"
refused "a target date in the past: 422 naming date" 422 '"field":"date"' \
    PUT "/api/v1/people/$E/plan/target" "$ENG" '{"specialization":"HW","level":5,"date":"2001-04-01"}'
refused "an unknown specialization: 422 naming it" 422 '"field":"specialization"' \
    PUT "/api/v1/people/$E/plan/target" "$ENG" '{"specialization":"XX","level":5,"date":"'"$FUTURE"'"}'
refused "an engineer may not set someone else's target" 403 forbidden \
    PUT "/api/v1/people/$OUT/plan/target" "$ENG" '{"specialization":"HW","level":5,"date":"'"$FUTURE"'"}'
api PUT "/api/v1/people/$E/plan/target" "$ENG" '{"specialization":"HW","level":5,"date":"'"$FUTURE"'"}'
cp "$T/body" "$T/plan.json"
check "the engineer sets ハードウェア level 5: 200, a draft plan" sh -c "[ '$status' = 200 ] && grep -q '\"status\":\"draft\"' '$T/body'"
check "  ... each item quotes the catalog's text exactly" py "
import json, sys
plan = json.load(open('$T/plan.json', encoding='utf-8'))['plan']
cat = json.load(open('catalog/customer-service.json', encoding='utf-8'))
texts = {}
def walk(o):
    if isinstance(o, dict):
        if isinstance(o.get('id'), str) and isinstance(o.get('text'), str):
            texts[o['id']] = o['text']
        for v in o.values(): walk(v)
    elif isinstance(o, list):
        for v in o: walk(v)
walk(cat)
items = [i for i in plan['items'] if i['text'] is not None]
sys.exit(not (len(items) > 10 and all(texts.get(i['element_id']) == i['text'] for i in items)
              and any(i['element_id'] == 'CS.HW.L5.responsibility' for i in items)))"
ITEM=$(py "import json; p=json.load(open('$T/plan.json'))['plan']; print([i['id'] for i in p['items'] if 'HW-501' in [c['code'] for c in i['suggested_courses']]][0])")
check "HW-501 is suggested for an item of its skill area" test -n "$ITEM"

# ---- another person's plan, for the refusals below ----
api PUT "/api/v1/people/$OUT/plan/target" "$HR" '{"specialization":"HW","level":4,"date":"'"$FUTURE"'"}'
cp "$T/body" "$T/out.json"
OUT_ITEM=$(py "import json; print(json.load(open('$T/out.json'))['plan']['items'][0]['id'])")
api POST "/api/v1/people/$OUT/plan/actions" "$HR" '{"item":'"$OUT_ITEM"',"kind":"ojt","title":"T","due":"'"$FUTURE"'"}'
OUT_ACTION=$(py "import json; print(json.load(open('$T/body'))['plan']['actions'][0]['id'])")
check "HR sets a target and an action on the plan of someone of another department" test -n "$OUT_ACTION"

# ---- actions ----
refused "an action on an item of another person's plan: 404 naming item" 404 '"field":"item"' \
    POST "/api/v1/people/$E/plan/actions" "$ENG" '{"item":'"$OUT_ITEM"',"kind":"self_study","title":"T","due":"'"$FUTURE"'"}'
refused "a course code the catalog does not have: 404 naming course" 404 '"field":"course"' \
    POST "/api/v1/people/$E/plan/actions" "$ENG" '{"item":'"$ITEM"',"kind":"course","course":"NOPE","due":"'"$FUTURE"'"}'
refused "an unknown kind of action: 422 naming kind" 422 '"field":"kind"' \
    POST "/api/v1/people/$E/plan/actions" "$ENG" '{"item":'"$ITEM"',"kind":"reading","title":"T","due":"'"$FUTURE"'"}'
refused "the status of an action of another person's plan: 404 naming action" 404 '"field":"action"' \
    PATCH "/api/v1/people/$E/plan/actions/$OUT_ACTION" "$ENG" '{"status":"done"}'
api POST "/api/v1/people/$E/plan/actions" "$ENG" '{"item":'"$ITEM"',"kind":"course","course":"HW-501","due":"'"$FUTURE"'"}'
check "the engineer attaches HW-501 to the item: 201, the action takes the course's title" \
    sh -c "[ '$status' = 201 ] && grep -q '\"course\":\"HW-501\",\"title\":\"ユーザ環境分析研修\"' '$T/body'"

# ---- review: the one rule of review.c ----
refused "the engineer may not approve their own plan" 403 forbidden POST "/api/v1/people/$E/plan/approve" "$ENG" '{}'
refused "a manager may not approve someone outside their reporting line: 403 not_reviewer" 403 not_reviewer \
    POST "/api/v1/people/$OUT/plan/approve" "$MGR" '{}'
refused "  ... nor comment on that plan (a person their role does not reach)" 403 forbidden \
    POST "/api/v1/people/$OUT/plan/comments" "$MGR" '{"comment":"x"}'
api POST "/api/v1/people/$E/plan/approve" "$MGR" '{"comment":"進め方に賛成です"}'
check "the manager above the engineer approves: 200, approved by manager" \
    sh -c "[ '$status' = 200 ] && grep -q '\"status\":\"approved\",\"approved_by\":\"manager\"' '$T/body'"
api PUT "/api/v1/people/$E/plan/target" "$ENG" '{"specialization":"HW","level":4,"date":"'"$FUTURE"'"}'
check "a new target puts the plan back to draft" grep -q '"status":"draft"' "$T/body"

# ---- qualifications ----
refused "a qualification that expires before it was obtained: 422 naming expires_on" 422 '"field":"expires_on"' \
    POST "/api/v1/people/$E/qualifications" "$ENG" '{"exam":"AP","obtained_on":"2022-04-17","expires_on":"2020-01-01"}'
refused "an IPA examination that does not exist: 422 naming exam" 422 '"field":"exam"' \
    POST "/api/v1/people/$E/qualifications" "$ENG" '{"exam":"ZZ","obtained_on":"2022-04-17"}'
api POST "/api/v1/people/$E/qualifications" "$ENG" '{"exam":"AP","obtained_on":"2022-04-17"}'
check "the engineer records 応用情報技術者: 201, ITSS level 3 beside it" sh -c "[ '$status' = 201 ] && grep -q '\"itss_level\":3' '$T/body'"
api GET "/api/v1/people/$E/qualifications" "$MGR"
check "  ... the manager sees it, as supporting evidence (the policy does not substitute)" \
    sh -c "[ '$status' = 200 ] && grep -q '\"substitute\":false' '$T/body' && grep -q 応用情報技術者試験 '$T/body'"

# ---- HR: plans by unit ----
api GET "/api/v1/plans?org=EAST-HW1" "$HR"
check "plans by unit: the engineer's section has 1 plan (draft again), its most common gaps quote the standard" py "
import json, sys
d = json.load(open('$T/body', encoding='utf-8'))
sys.exit(not (d['with_plan'] == 1 and d['approved'] == 0 and d['common_gaps'] and d['common_gaps'][0]['plans'] == 1))"
api GET "/api/v1/plans?org=NOPE" "$HR"
check "an unknown unit: 404 naming org" sh -c "[ '$status' = 404 ] && grep -q '\"field\":\"org\"' '$T/body'"
refused "a manager may not see plans by unit" 403 forbidden GET "/api/v1/plans" "$MGR"

# ---- a qualification stands in only when the policy says so ----
S_ENG=$(session engineer itss-demo-engineer)
# /hr/plans chooses its unit as /hr does: a field taking a code or a name (no
# select of every unit), the path above as links; unknown: 400 naming the field.
S_HR=$(session hr itss-demo-hr)
summary() { sed -n 's/.*<p class="plans-summary">\([^<]*\)<.*/\1/p' "$T/body"; }
page "/hr/plans?org=$(sql "SELECT id FROM org_unit WHERE code = 'EAST-HW1'")" "$S_HR"; by_id=$(summary)
page "/hr/plans?unit=EAST-HW1" "$S_HR"; by_code=$(summary)
check "/hr/plans?unit=EAST-HW1: the same figures as ?org=ID ($by_id), the code in the field, no select of units" sh -c \
    "[ '$status' = 200 ] && [ -n '$by_id' ] && [ '$by_id' = '$by_code' ] && grep -q 'name=\"unit\" value=\"EAST-HW1\"' '$T/body' && ! grep -q '<select' '$T/body'"
check "  ... the path above it as links back up the tree" sh -c \
    "grep -q 'href=\"/hr/plans?org=$(sql "SELECT id FROM org_unit WHERE code = 'EAST-HW'")\">東日本ハードウェア保守部</a>' '$T/body' && grep -q 'aria-current=\"page\">金融システム保守課</a>' '$T/body'"
page "/hr/plans?unit=%E9%87%91%E8%9E%8D%E3%82%B7%E3%82%B9%E3%83%86%E3%83%A0%E4%BF%9D%E5%AE%88%E8%AA%B2" "$S_HR"
check "/hr/plans?unit=金融システム保守課 (the name): the same figures" test "$(summary)" = "$by_id"
page "/hr/plans?unit=NOPE" "$S_HR"
check "/hr/plans?unit=NOPE: 400 naming unit" sh -c "[ '$status' = 400 ] && grep -q '<p>unit: ' '$T/body'"
page "/hr/plans?unit=NOPE&lang=en" "$S_HR"
check "  ... in English too" sh -c "[ '$status' = 400 ] && grep -q '<p>unit: There is no such org unit.' '$T/body'"
page "/hr/plans?org=999999" "$S_HR"
check "/hr/plans?org=999999: 400 naming org" sh -c "[ '$status' = 400 ] && grep -q '<p>org: ' '$T/body'"
py "
import json
p = json.load(open('policy/default.json', encoding='utf-8'))
p['id'] = 'substitute-test'; p['qualifications'] = {'substitute': True}
json.dump(p, open('$T/substitute.json', 'w', encoding='utf-8'), ensure_ascii=False)"
page /results "$S_ENG"
check "results page: the qualification beside the levels as supporting evidence, never instead of them" \
    sh -c "[ '$status' = 200 ] && grep -q 応用情報技術者試験 '$T/body' && grep -q 'レベルの裏付けとして' '$T/body' && ! grep -q 'class=\"substituted\"' '$T/body'"
page /results "$S_ENG" --policy "$T/substitute.json"
check "with qualifications.substitute: ソフトウェア shown at level 3 by qualification, beside the assessed 未到達" \
    sh -c "[ '$status' = 200 ] && grep -q '<p class=\"substituted\">ソフトウェア: レベル3（資格による。診断では 未到達）</p>' '$T/body'"
check "  ... and not ハードウェア, assessed at level 4 already" sh -c "! grep -q 'substituted\">ハードウェア' '$T/body'"
page /plan "$S_ENG"
check "the plan page shows the plan, its approval form absent for the engineer" \
    sh -c "[ '$status' = 200 ] && grep -q 'plan-target' '$T/body' && ! grep -q '/plan/approve' '$T/body'"
