#!/bin/sh
# home.sh - a manager's /home lists the submissions waiting for their review:
# exactly those of the people below them in the reporting line (review.h's
# rule, counted here the other way round: up each submitter's chain), the
# count in full, the oldest 20 listed oldest first, each one a review the
# manager may open; a manager without reports has none; an engineer sees no
# such list. Run with ITSS_BIN set; TAP-style lines.
. "$(dirname "$0")/lib.sh"
export ITSS_TODAY=2026-12-06

# The submitted assessments whose person has manager $1 somewhere up their chain.
below_sql() {
    echo "WITH RECURSIVE up(aid, m) AS (SELECT a.id, p.manager_id FROM assessment a JOIN person p ON p.id = a.person_id
          WHERE a.status = 'submitted' UNION ALL SELECT up.aid, p.manager_id FROM up JOIN person p ON p.id = up.m)
          SELECT DISTINCT aid FROM up WHERE m = $1"
}
waiting() { sed -n 's/.*<section class="card todo todo-review">.*//; s/^<p>\([0-9]*\) 件（古い順）.*/\1/p' "$T/body" | head -n 1; }
listed() { sed -n 's/^<li><a href="\/people\/\([0-9]*\)\/review?cycle=\([0-9]*\)">.*/\1 \2/p' "$T/body"; }

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1 || { echo "not ok - itss demo"; exit 0; }
printf 'itss-test-boss\n' >"$T/pw"
# One head over the demo's top people (HR's line left as it is), so that more than 20 wait for them.
TOP=$(sql "SELECT id FROM person WHERE manager_id IS NULL AND id IN (SELECT manager_id FROM person) AND id NOT IN (SELECT person_id FROM app_user WHERE person_id IS NOT NULL) ORDER BY id LIMIT 1")
num() { sql "SELECT employee_number FROM person WHERE id = $1"; }
for other in $(sql "SELECT id FROM person WHERE manager_id IS NULL AND id <> $TOP AND id NOT IN (SELECT person_id FROM app_user WHERE person_id IS NOT NULL)"); do
    "$ITSS_BIN" person edit "$(num "$other")" --manager "$(num "$TOP")" --db "$DB" >/dev/null 2>&1 ||
        echo "# itss person edit $(num "$other") --manager failed"
done
"$ITSS_BIN" user add boss --role manager --person "$(num "$TOP")" \
    --password-file "$T/pw" --db "$DB" >/dev/null 2>&1
LEAF=$(sql "SELECT id FROM person WHERE id NOT IN (SELECT manager_id FROM person WHERE manager_id IS NOT NULL) AND id NOT IN (SELECT person_id FROM app_user WHERE person_id IS NOT NULL) ORDER BY id LIMIT 1")
"$ITSS_BIN" user add lone --role manager --person "$(num "$LEAF")" \
    --password-file "$T/pw" --db "$DB" >/dev/null 2>&1

for who in manager:itss-demo-manager boss:itss-test-boss lone:itss-test-boss; do
    login=${who%%:*}; S=$(session "$login" "${who#*:}")
    me=$(sql "SELECT person_id FROM app_user WHERE login = '$login'")
    want=$(sql "SELECT count(*) FROM ($(below_sql "$me"))")
    page /home "$S"
    check "/home of $login: $want submissions waiting, the count of the people below them in the reporting line" \
        test "$status" = 200 -a "$(waiting)" = "$want"
    listed >"$T/listed"
    shown=$(wc -l <"$T/listed"); max=$((want < 20 ? want : 20))
    check "/home of $login lists the oldest $max" test "$shown" = "$max"
    # The oldest first: the list is the first rows of the store's order (updated_at, then id).
    sql "SELECT a.person_id || ' ' || a.cycle_id FROM assessment a WHERE a.id IN ($(below_sql "$me"))
         ORDER BY a.updated_at, a.id LIMIT 20" >"$T/oldest"
    check "/home of $login: the list is the oldest first" cmp -s "$T/listed" "$T/oldest"
    if [ "$want" -gt 20 ]; then
        check "/home of $login says how many more there are" grep -q "ほか $((want - 20)) 件" "$T/body"
    fi
    bad=0
    while read -r pid cyc; do
        page "/people/$pid/review?cycle=$cyc" "$S"
        [ "$status" = 200 ] || { bad=$((bad + 1)); echo "# /people/$pid/review?cycle=$cyc: $status for $login"; }
    done <"$T/listed"
    check "/home of $login: each review listed opens for them" test "$bad" = 0
done
check "the top manager has more than 20 waiting (the list is cut)" test "$(sql "SELECT count(*) FROM ($(below_sql "$TOP"))")" -gt 20
check "a manager without reports has none waiting" test "$(sql "SELECT count(*) FROM ($(below_sql "$LEAF"))")" = 0

S=$(session engineer itss-demo-engineer)
page /home "$S"
check "an engineer's /home has no list of submissions to review" sh -c "test '$status' = 200 && ! grep -q 'todo-review' '$T/body'"
