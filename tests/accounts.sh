#!/bin/sh
# accounts.sh - user accounts in bulk with one-time sign-in links, and the
# administrator's password reset by link (issue 12, Missing 7; accounts.h) on
# the demo company: `itss user bulk --unit|--csv` and `itss user reset`, the
# administrator's pages (/admin/accounts, /admin/users/:id/signin-link) and
# following a link (/signin/:token) as a browser does (`itss serve
# --request`). A dry run writes nothing; a file with errors is refused whole,
# every error at its line and column (all of a row's), nothing written; people
# who have an account are skipped and reported; a link works once, not after
# it expired, and using it signs the user in. Run with ITSS_BIN set; prints
# one TAP-style line per check.
. "$(dirname "$0")/lib.sh"

STATE_SKIP='^INSERT INTO session\|^INSERT INTO login_\|^INSERT INTO result '   # result: the levels cache the server keeps
itss() { "$ITSS_BIN" "$@" --db "$DB"; }
# login LOGIN PASSWORD: status of the login in $status, the session cookie printed.
login() {
    c=$(csrf_anon)
    form="login=$1&password=$2&csrf=$c"
    printf 'POST /login HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_csrf=%s\r\nContent-Type: application/x-www-form-urlencoded\r\nContent-Length: %d\r\n\r\n%s' \
        "$c" "${#form}" "$form" >"$T/r"
    req "$T/r"
    sed -n 's/^Set-Cookie: itss_session=\([^;]*\);.*/\1/p' "$T/head" | tr -d '\r'
}
# upload PATH SESSION FILE NAME [DRY]: the CSV upload form posted by that session.
upload() {
    c=$(csrf_of "$2")
    B=----itssboundary
    {
        printf -- '--%s\r\nContent-Disposition: form-data; name="csrf"\r\n\r\n%s\r\n' "$B" "$c"
        printf -- '--%s\r\nContent-Disposition: form-data; name="encoding"\r\n\r\nauto\r\n' "$B"
        printf -- '--%s\r\nContent-Disposition: form-data; name="role"\r\n\r\nauto\r\n' "$B"
        [ -n "${5-}" ] && printf -- '--%s\r\nContent-Disposition: form-data; name="dry_run"\r\n\r\n1\r\n' "$B"
        printf -- '--%s\r\nContent-Disposition: form-data; name="file"; filename="%s"\r\nContent-Type: text/csv\r\n\r\n' "$B" "$4"
        cat "$3"
        printf -- '\r\n--%s--\r\n' "$B"
    } >"$T/mp"
    printf 'POST %s HTTP/1.1\r\nHost: itss.test\r\nCookie: itss_session=%s\r\nContent-Type: multipart/form-data; boundary=%s\r\nContent-Length: %d\r\n\r\n' \
        "$1" "$2" "$B" "$(wc -c <"$T/mp")" >"$T/r"
    cat "$T/mp" >>"$T/r"
    req "$T/r"
}

ITSS_TODAY=2026-12-06 "$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
USERS=$(sql "SELECT COUNT(*) FROM app_user")
IN_HW=$(sql "WITH RECURSIVE u(id) AS (SELECT id FROM org_unit WHERE code = 'EAST-HW' UNION ALL
             SELECT o.id FROM org_unit o JOIN u ON o.parent_id = u.id) SELECT COUNT(*) FROM person WHERE org_unit_id IN (SELECT id FROM u)")

# ---- the command line ----
before=$(state)
itss user bulk --unit EAST-HW --sub-units --dry-run >"$T/dry.csv" 2>"$T/dry.err"; rc=$?
check "bulk --dry-run: exit 0, nothing written" sh -c "[ $rc = 0 ] && [ '$before' = '$(state)' ]"
check "  ... lists who would get an account, without any link" \
    sh -c "grep -q '^E1004,後藤 浩二,E1004,manager,,' '$T/dry.csv' && ! grep -q signin/ '$T/dry.csv'"
check "  ... and says how many, and that the two with an account are skipped" \
    grep -q "$((IN_HW - 2)) accounts would be made.*2 skipped" "$T/dry.err"

itss user bulk --unit EAST-HW --sub-units --public-url https://itss.example.jp >"$T/links.csv" 2>"$T/links.err"; rc=$?
made=$(sql "SELECT COUNT(*) FROM app_user") 
check "bulk --unit EAST-HW --sub-units: one user per person of the units who had none" \
    sh -c "[ $rc = 0 ] && [ $made = $((USERS + IN_HW - 2)) ]"
check "  ... each with a link of its own in the CSV (UTF-8 with a BOM), one link row per user made" \
    sh -c "[ \$(grep -c 'https://itss.example.jp/signin/' '$T/links.csv') = $((IN_HW - 2)) ] && head -c 3 '$T/links.csv' | od -An -tx1 | grep -q 'ef bb bf'"
check "  ... the people with an account (E1011 manager, E1019 engineer) are listed as skipped, with their login" \
    sh -c "grep -q '^E1011,石井 和也,manager,manager,,' '$T/links.csv' && grep -q '^E1019,小林 優子,engineer,engineer,,' '$T/links.csv'"
check "  ... auto role: manager for a person someone reports to (E1004), engineer otherwise (E1024)" \
    test "$(sql "SELECT role FROM app_user WHERE login = 'E1004'")/$(sql "SELECT role FROM app_user WHERE login = 'E1024'")" = manager/engineer
n_links=$(sql "SELECT COUNT(*) FROM signin_link WHERE length(token_hash) = 64 AND used_at IS NULL
               AND expires_at > strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+6 days')")
n_nopw=$(sql "SELECT COUNT(*) FROM app_user WHERE password_hash = '!'")
check "  ... the links are kept only as hashes, expiring in 7 days, and the users have no password" \
    sh -c "[ $n_links = $((IN_HW - 2)) ] && [ $n_nopw = $((IN_HW - 2)) ] && ! grep -qF '$(token_of E1004 "$T/links.csv")' '$DB'"
before=$(state)
itss user bulk --unit EAST-HW --sub-units >"$T/again.csv" 2>"$T/again.err"; rc=$?
check "bulk again: nothing more made, everyone reported as skipped" \
    sh -c "[ $rc = 0 ] && [ '$before' = '$(state)' ] && grep -q '0 accounts made.*$IN_HW skipped' '$T/again.err'"

printf 'employee_number,role,login\r\nE1010,engineer,yamada.k\r\nNOPE,boss,x\r\nE1012,chief,bad login\r\nE1010,,\r\n' >"$T/bad.csv"
before=$(state)
itss user bulk --csv "$T/bad.csv" >/dev/null 2>"$T/bad.err"; rc=$?
check "a CSV with errors: exit 3, nothing written" sh -c "[ $rc = 3 ] && [ '$before' = '$(state)' ]"
check "  ... an unknown person and a bad role of the same row, each at its line and column" \
    sh -c "grep -q 'bad.csv:3:1: employee_number: no person with employee number NOPE' '$T/bad.err' && grep -q \"bad.csv:3:6: role: 'boss' is not a role\" '$T/bad.err'"
check "  ... a bad role and a login that cannot be one, both of line 4" \
    sh -c "grep -q \"bad.csv:4:7: role: 'chief'\" '$T/bad.err' && grep -q \"bad.csv:4:13: login: .*'bad login' cannot be a login\" '$T/bad.err'"
check "  ... a person given twice, naming the first line; errors in line order" \
    sh -c "grep -q 'bad.csv:5:1: employee_number: employee number E1010 appears twice in the file (first on line 2)' '$T/bad.err' && grep -o '^[^ ]*bad.csv:[0-9]*' '$T/bad.err' | cut -d: -f2 | sort -nc"
printf 'employee_number,role,login\r\nE1010,hr,yamada.k\r\nE1012,,\r\n' >"$T/good.csv"
itss user bulk --csv "$T/good.csv" --days 3 >"$T/good.out" 2>/dev/null; rc=$?
got="$rc/$(sql "SELECT role FROM app_user WHERE login = 'yamada.k'")/$(sql "SELECT COUNT(*) FROM app_user WHERE login = 'E1012'")"
got="$got/$(sql "SELECT COUNT(*) FROM signin_link l JOIN app_user u ON u.id = l.user_id WHERE u.login = 'yamada.k'
                 AND l.expires_at < strftime('%Y-%m-%dT%H:%M:%SZ', 'now', '+4 days')")"
check "a good CSV: the login and role of the row, else the employee number and auto; --days 3" test "$got" = 0/hr/1/1
printf 'employee_number,login\r\nE1009,admin\r\n' >"$T/taken.csv"
before=$(state)
itss user bulk --csv "$T/taken.csv" >/dev/null 2>"$T/taken.err"; rc=$?
check "a login another user has: refused at its cell, nothing written" \
    sh -c "[ $rc = 3 ] && [ '$before' = '$(state)' ] && grep -q 'taken.csv:2:7: login: .*the user admin already exists' '$T/taken.err'"
printf 'employee_number\r\nE1013\r\n' >"$T/mail.csv"
itss user bulk --csv "$T/mail.csv" --mail --dry-run >/dev/null 2>&1
check "--mail --dry-run: no e-mail queued" test "$(sql "SELECT COUNT(*) FROM outbox WHERE template = 'signin'")" = 0
itss user bulk --csv "$T/mail.csv" --mail >"$T/mail.out" 2>/dev/null; rc=$?
MAILTOK=$(token_of E1013 "$T/mail.out")
check "--mail: the link queued as an e-mail to the person's address, in the same transaction" \
    test "$rc/$(sql "SELECT o.path || ' ' || COALESCE(o.to_addr, '-') FROM outbox o WHERE o.template = 'signin'")" \
    = "0//signin/$MAILTOK $(sql "SELECT COALESCE(email, '-') FROM person WHERE employee_number = 'E1013'")"
check "bulk without --unit or --csv is a usage error (2)" sh -c "'$ITSS_BIN' user bulk --db '$DB' 2>/dev/null; [ \$? = 2 ]"

# ---- following a link ----
TOK=$(token_of E1024 "$T/links.csv")
printf 'GET /signin/%s HTTP/1.1\r\nHost: itss.test\r\n\r\n' "$TOK" >"$T/r"; req "$T/r"
check "GET /signin/TOKEN: the form to set a password, naming the person and the login, never cached" \
    sh -c "[ '$status' = 200 ] && grep -q '山本 正人 さん（ユーザー名 E1024）' '$T/body' && grep -q 'name=\"again\"' '$T/body' && grep -qi '^Cache-Control: no-store' '$T/head'"
signin "$TOK" new-password-1 other-password-2
check "two different passwords: 422 naming again; the link still works" \
    sh -c "[ '$status' = 422 ] && grep -q 'e-again' '$T/body' && [ $(sql "SELECT COUNT(*) FROM signin_link WHERE used_at IS NOT NULL") = 0 ]"
signin "$TOK" new-password-1 new-password-1
SESSION=$(sed -n 's/^Set-Cookie: itss_session=\([^;]*\);.*/\1/p' "$T/head" | tr -d '\r')
check "the password set: 303 to /home with a session" \
    sh -c "[ '$status' = 303 ] && grep -q '^Location: /home' '$T/head' && [ -n '$SESSION' ]"
page /home "$SESSION"
check "  ... the session is E1024's: the home page greets them" sh -c "[ '$status' = 200 ] && grep -q '<h1>ようこそ, E1024</h1>' '$T/body'"
signin "$TOK" another-password-3 another-password-3
check "the same link again: 410, it was used; the password stays" \
    sh -c "[ '$status' = 410 ] && grep -q 'すでに使われました' '$T/body'"
S=$(login E1024 new-password-1)
check "the user logs in with the password they set" test -n "$S"
TOK2=$(token_of E1027 "$T/links.csv")
sql "UPDATE signin_link SET expires_at = '2000-01-01T00:00:00Z' WHERE user_id = (SELECT id FROM app_user WHERE login = 'E1027')"
printf 'GET /signin/%s HTTP/1.1\r\nHost: itss.test\r\n\r\n' "$TOK2" >"$T/r"; req "$T/r"
check "an expired link: 410, saying it expired" sh -c "[ '$status' = 410 ] && grep -q '有効期限が過ぎています' '$T/body'"
printf 'GET /signin/AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA HTTP/1.1\r\nHost: itss.test\r\n\r\n' >"$T/r"; req "$T/r"
check "an unknown link: 410" test "$status" = 410
S_E1024=$S

# ---- reset by link (command line) ----
itss token create E1024 --name t >/dev/null 2>&1
itss user reset E1024 --public-url http://h >"$T/reset.csv" 2>/dev/null; rc=$?
page /home "$S_E1024"
check "itss user reset: a new link; the user's sessions end and tokens are deleted" \
    sh -c "[ $rc = 0 ] && grep -q '^E1024,.*http://h/signin/' '$T/reset.csv' && [ '$status' = 303 ] && [ $(sql "SELECT COUNT(*) FROM api_token t JOIN app_user u ON u.id = t.user_id WHERE u.login = 'E1024'") = 0 ]"
check "  ... and the old password no longer works" test -z "$(login E1024 new-password-1)"

# ---- the administrator's pages ----
ADM=$(login admin itss-demo-admin)
page /admin/accounts "$ADM"
check "GET /admin/accounts: the unit form and the CSV form with its template" \
    sh -c "[ '$status' = 200 ] && grep -q 'action=\"/admin/accounts/unit\"' '$T/body' && grep -q 'href=\"/admin/accounts/template.csv\"' '$T/body'"
check "  ... the unit a text field taking a code or a name, not a select of every unit" \
    sh -c "grep -q '<input id=\"f-unit\" type=\"text\" name=\"unit\"' '$T/body' && ! grep -q '<select id=\"f-unit\"' '$T/body'"
page /admin/accounts/template.csv "$ADM"
check "the template: header and an example row" sh -c "[ '$status' = 200 ] && grep -q 'employee_number,role,login' '$T/body'"
for bad in NOPE ""; do
    before=$(state)
    post /admin/accounts/unit "$ADM" "unit=$bad&sub_units=1&role=auto"
    check "POST /admin/accounts/unit with unit '$bad': 400 naming unit, nothing written" \
        sh -c "[ '$status' = 400 ] && grep -q '<p>unit: ' '$T/body' && [ '$before' = '$(state)' ]"
done
N_EQ=$(sql "SELECT COUNT(*) FROM person p JOIN org_unit o ON o.id = p.org_unit_id WHERE o.code = 'FAC-EQ' AND NOT EXISTS (SELECT 1 FROM app_user a WHERE a.person_id = p.id)")
post /admin/accounts/unit "$ADM" "unit=FAC-EQ&role=auto"
check "POST /admin/accounts/unit by the unit's code (FAC-EQ, without the units below): its $N_EQ people's accounts" \
    sh -c "[ '$status' = 200 ] && [ $N_EQ -gt 0 ] && [ \$(grep -o 'http://itss.test/signin/[A-Za-z0-9_-]*' '$T/body' | sort -u | wc -l) = $N_EQ ]"
UNIT=$(sql "SELECT id FROM org_unit WHERE code = 'WEST'")
N_KANSAI=$(sql "WITH RECURSIVE u(id) AS (SELECT $UNIT UNION ALL SELECT o.id FROM org_unit o JOIN u ON o.parent_id = u.id)
                SELECT COUNT(*) FROM person p WHERE org_unit_id IN (SELECT id FROM u) AND NOT EXISTS (SELECT 1 FROM app_user a WHERE a.person_id = p.id)")
post /admin/accounts/unit "$ADM" "unit=$UNIT&sub_units=1&role=auto"
check "POST /admin/accounts/unit: $N_KANSAI accounts, a link each shown once (not cached, not compressed)" \
    sh -c "[ '$status' = 200 ] && [ \$(grep -o 'http://itss.test/signin/[A-Za-z0-9_-]*' '$T/body' | sort -u | wc -l) = $N_KANSAI ] && grep -qi '^Cache-Control: no-store' '$T/head'"
check "  ... and the links as a CSV download (data: URL)" sh -c "grep -q 'download=\"signin-links.csv\" href=\"data:text/csv' '$T/body'"
LINK=$(grep -o 'http://itss.test/signin/[A-Za-z0-9_-]*' "$T/body" | head -n 1 | sed 's|.*/signin/||')
printf 'GET /signin/%s HTTP/1.1\r\nHost: itss.test\r\n\r\n' "$LINK" >"$T/r"; req "$T/r"
check "  ... a link of the page opens its form" test "$status" = 200
printf 'employee_number,role\r\nE1001,\r\nNOPE,boss\r\n' >"$T/web.csv"
before=$(state)
upload /admin/accounts/csv "$ADM" "$T/web.csv" web.csv
check "a CSV with errors on the page: 422, in Japanese, each at its line and column, nothing written" \
    sh -c "[ '$status' = 422 ] && [ '$before' = '$(state)' ] && grep -q '社員番号 NOPE の社員はいません' '$T/body' && grep -q '役割「boss」はありません' '$T/body' && grep -q '<tr data-line=\"3\"><td class=\"num\">3</td><td class=\"num\">6</td>' '$T/body'"
printf 'employee_number\r\nE1001\r\n' >"$T/one.csv"
upload /admin/accounts/csv "$ADM" "$T/one.csv" one.csv dry
check "a dry run on the page: who would get an account, nothing written, no link" \
    sh -c "[ '$status' = 200 ] && grep -q 'E1001' '$T/body' && ! grep -q '/signin/' '$T/body' && [ $(sql "SELECT COUNT(*) FROM app_user WHERE login = 'E1001'") = 0 ]"
ENG_ID=$(sql "SELECT id FROM app_user WHERE login = 'engineer'")
S_ENG=$(login engineer itss-demo-engineer)
post "/admin/users/$ENG_ID/signin-link" "$ADM" ""
check "the administrator's reset by link: the link shown once" \
    sh -c "[ '$status' = 200 ] && grep -q 'http://itss.test/signin/' '$T/body'"
page /home "$S_ENG"
check "  ... the user's session ended and the password no longer works" \
    sh -c "[ '$status' = 303 ] && [ '$(sql "SELECT password_hash FROM app_user WHERE login = 'engineer'")' = '!' ]"
page /admin/users/$ENG_ID "$ADM"
check "the user's page offers the reset by link" sh -c "grep -q 'action=\"/admin/users/$ENG_ID/signin-link\"' '$T/body'"
