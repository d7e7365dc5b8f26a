#!/bin/sh
# signin_mail.sh - a one-time sign-in link mailed to its user is a secret the
# outbox keeps only as long as it must: while the mail waits, the database
# holds the link (the sender needs it) but the administrator's outbox page and
# API, and `itss mail list|show`, show it masked; once `itss mail send` has
# handed it to the relay (tests/smtp_sink.py on 127.0.0.1), or given it up for
# good (550), the secret is nowhere in the database, the page, the API or the
# command line, while the row stays (to whom, when, which template, status),
# and the mailed link still works, once. A given-up message cannot be tried
# again without its link (409, naming what to do); a person without an address
# gets no row holding a link. Run with ITSS_BIN set; TAP-style lines.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the demo's cycles are named for this day (rules_today)

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
ADMIN=$(token admin); ADM=$(session admin itss-demo-admin)
check "the demo, with a token and a session of the administrator" test -n "$ADMIN" -a -n "$ADM"
ADDR13=$(sql "SELECT email FROM person WHERE employee_number = 'E1013'")
ADDR14=$(sql "SELECT email FROM person WHERE employee_number = 'E1014'")
sql "UPDATE person SET email = NULL WHERE employee_number = 'E1015'"
printf 'employee_number\r\nE1013\r\nE1014\r\nE1015\r\n' >"$T/mail.csv"
"$ITSS_BIN" user bulk --csv "$T/mail.csv" --mail --public-url http://itss.test --db "$DB" >"$T/links.csv" 2>/dev/null
TOK13=$(token_of E1013 "$T/links.csv"); TOK14=$(token_of E1014 "$T/links.csv"); TOK15=$(token_of E1015 "$T/links.csv")
ID13=$(sql "SELECT id FROM outbox WHERE template = 'signin' AND to_addr = '$ADDR13'")
ID14=$(sql "SELECT id FROM outbox WHERE template = 'signin' AND to_addr = '$ADDR14'")
check "itss user bulk --mail: three links, two mails waiting to go to E1013 and E1014" \
    test -n "$TOK13" -a -n "$TOK14" -a -n "$TOK15" -a -n "$ID13" -a -n "$ID14" \
    -a "$(sql "SELECT COUNT(*) FROM outbox WHERE template = 'signin' AND status = 'pending'")" = 2
# nowhere SECRET...: no secret given is in the database, the outbox API and page, or itss mail list|show.
nowhere() {
    sqlite3 "$DB" .dump >"$T/dump.sql"
    api GET /api/v1/admin/outbox "$ADMIN"; cp "$T/body" "$T/api.json"
    page /admin/outbox "$ADM"; cp "$T/body" "$T/page.html"
    "$ITSS_BIN" mail list --json --db "$DB" >"$T/list.json" 2>&1
    "$ITSS_BIN" mail show "$ID13" --db "$DB" >"$T/show13.txt" 2>&1
    "$ITSS_BIN" mail show "$ID14" --db "$DB" >"$T/show14.txt" 2>&1
    for s in "$@"; do
        ! grep -qF -- "$s" "$T/dump.sql" "$T/api.json" "$T/page.html" "$T/list.json" "$T/show13.txt" "$T/show14.txt" ||
            return 1
    done
}
# masked FILE: FILE does not hold E1013's secret but names its link masked, "/signin/…".
masked() { ! grep -qF -- "$TOK13" "$1" && grep -qF '/signin/…' "$1"; }

# ---- waiting ----
check "waiting: the database keeps E1013's link for the sender" \
    test "$(sql "SELECT path FROM outbox WHERE id = $ID13")" = "/signin/$TOK13"
page /admin/outbox "$ADM"
check "  ... the outbox page lists the mail but not the secret" \
    sh -c "[ '$status' = 200 ] && grep -qF '$ADDR13' '$T/body' && ! grep -qF '$TOK13' '$T/body'"
api GET /api/v1/admin/outbox "$ADMIN"
check "  ... the outbox API gives its path masked" masked "$T/body"
"$ITSS_BIN" mail show "$ID13" --db "$DB" >"$T/show.txt" 2>&1
check "  ... itss mail show words the mail with its link masked" masked "$T/show.txt"
"$ITSS_BIN" mail list --json --db "$DB" >"$T/list.json" 2>&1
check "  ... and so does itss mail list --json" masked "$T/list.json"

# ---- sent, and given up ----
start_sink --reject "$ADDR14"
"$ITSS_BIN" mail send --smtp "127.0.0.1:$SINK_PORT" --public-url http://itss.test --db "$DB" >"$T/send.out" 2>&1
check "itss mail send: E1013's mail sent, E1014's refused for good (550: failed)" \
    test "$(sql "SELECT status FROM outbox WHERE id = $ID13")/$(sql "SELECT status FROM outbox WHERE id = $ID14")" = sent/failed
check "  ... E1013's mail reached the relay" mail_to "$ADDR13"
check "  ... and it carries E1013's link" mail_has "http://itss.test/signin/$TOK13"
check "after sending or giving up, no secret is left: database, outbox page and API, itss mail list and show" \
    nowhere "$TOK13" "$TOK14" "$TOK15"
check "  ... the rows stay: to whom, which template, when sent, the relay's refusal" \
    test "$(sql "SELECT to_addr || '|' || template || '|' || (sent_at IS NOT NULL) || '|' || COALESCE(path, '-') FROM outbox WHERE id = $ID13")/$(sql "SELECT (last_error LIKE '%550%') || COALESCE(path, '-') FROM outbox WHERE id = $ID14")" \
    = "$ADDR13|signin|1|-/1-"
check "  ... and the person without an address got no row keeping a link" \
    test "$(sql "SELECT COUNT(*) FROM outbox WHERE template = 'signin' AND path IS NOT NULL")" = 0
STATE_SKIP='^INSERT INTO api_token\|^INSERT INTO session\|^INSERT INTO login_'
refused "retrying the given-up mail: 409, it would go without its link; make a new link" 409 '再設定用リンクを発行' \
    POST "/api/v1/admin/outbox/$ID14/retry" "$ADMIN"
"$ITSS_BIN" mail retry "$ID14" --db "$DB" >/dev/null 2>"$T/retry.err"; rc=$?
check "  ... itss mail retry too: exit 3, saying why" sh -c "[ $rc = 3 ] && grep -q 'no longer kept' '$T/retry.err'"

# ---- the mailed link works, once ----
printf 'GET /signin/%s HTTP/1.1\r\nHost: itss.test\r\n\r\n' "$TOK13" >"$T/r"; req "$T/r"
check "the mailed link still opens its form" test "$status" = 200
signin "$TOK13" mailed-password-1 mailed-password-1
check "  ... sets the password and signs E1013 in (303)" \
    sh -c "[ '$status' = 303 ] && grep -q '^Set-Cookie: itss_session=' '$T/head'"
signin "$TOK13" other-password-2 other-password-2
check "  ... and is used up: 410" test "$status" = 410
