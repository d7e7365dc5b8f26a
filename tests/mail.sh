#!/bin/sh
# mail.sh - the e-mails of docs/notifications.md reaching an SMTP relay: a
# local sink (tests/smtp_sink.py, standard library only, 127.0.0.1, a free
# port, gone by itself after a while) takes what `itss serve --smtp` sends
# while the API submits, returns, approves and certifies on the demo company.
# Each mail is checked for its recipient, its subject (RFC 2047, decoded) and
# its link; a relay that is down leaves the message pending with the error,
# and it is delivered once the relay is up; a relay refusing a recipient for
# good makes it failed; reminders go once per person and cycle; the admin's
# outbox API and page show it all. Run with ITSS_BIN set; prints one TAP-style
# "ok - ..." / "not ok - ..." line per check.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the demo's cycles are named for this day (rules_today)

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
check "the demo database is made, its outbox empty (the demo's story mails nobody)" \
    test -s "$DB" -a "$(sql 'SELECT COUNT(*) FROM outbox')" = 0
MGR=$(token manager); HR=$(token hr); ADMIN=$(token admin); ENG=$(token engineer)
E1011=$(pid E1011); BOSS=$(sql "SELECT m.email FROM person p JOIN person m ON m.id = p.manager_id WHERE p.employee_number = 'E1011'")
MGR_MAIL=$(sql "SELECT email FROM person WHERE employee_number = 'E1011'")
CYCLE=$(sql "SELECT id FROM cycle WHERE name = '2026年度'")

# ---- A relay that is down: the message waits with the error, then goes -----------------------
PORT=$(free_port)
"$ITSS_BIN" serve --db "$DB" --listen 127.0.0.1:0 --smtp "127.0.0.1:$PORT" --smtp-retry 1 \
    --mail-from itss@example.jp --public-url http://itss.test --remind-days 0 >"$T/serve.log" 2>&1 &
SERVE=$!; started "$SERVE"
api POST /api/v1/me/assessment/submit "$MGR" '{}'
check "the manager E1011 submits his diagnosis (200)" test "$status" = 200
check "... the same transaction put one message for his manager in the outbox" \
    test "$(sql "SELECT COUNT(*) FROM outbox WHERE template = 'submitted' AND to_addr = '$BOSS'")" = 1
check "with the relay down, the sender tries and keeps the message pending with the error" \
    wait_for "SELECT status, attempts > 0, last_error LIKE 'cannot connect to 127.0.0.1:$PORT%' FROM outbox WHERE template = 'submitted'" "pending|1|1"
start_sink --port "$PORT"
check "once the relay is up, the message is delivered (status sent)" \
    wait_for "SELECT status FROM outbox WHERE template = 'submitted'" "sent"
check "... and reaches the sink addressed to E1011's manager" mail_to "$BOSS"
check "... subject (RFC 2047, decoded) names the person and the cycle" \
    mail_has "SUBJECT: 【ITSS】石井 和也さんが2026年度のスキル診断を提出しました"
check "... the body links to the review page under --public-url" \
    mail_has "http://itss.test/people/$E1011/review?cycle=$CYCLE"
check "... text/plain in UTF-8, with Date and Message-ID" \
    sh -c "grep -qi 'CONTENT-TYPE: text/plain; charset=\"utf-8\"' '$T/mail' && grep -q '^DATE: ..., ' '$T/mail' && grep -q '^MESSAGE-ID: <outbox-' '$T/mail'"

# ---- Return, approve, certify ----------------------------------------------------------------
api POST "/api/v1/people/$E1011/return" "$HR" '{"comment":"知識の評価を見直してください。\n.最初の点で始まる行"}'
check "HR returns it with a reason (200)" test "$status" = 200
check "... the return mail is sent" wait_for "SELECT status FROM outbox WHERE template = 'returned'" "sent"
mail_to "$MGR_MAIL"
check "... to E1011, with the reason (a line starting with '.' survives dot-stuffing) and a link to /diagnosis" \
    sh -c "grep -qF 'SUBJECT: 【ITSS】2026年度のスキル診断が差し戻されました' '$T/mail' && grep -qF '知識の評価を見直してください。' '$T/mail' && grep -qx '.最初の点で始まる行' '$T/mail' && grep -qF 'http://itss.test/diagnosis' '$T/mail'"

api POST /api/v1/me/assessment/submit "$MGR" '{}'
api PUT "/api/v1/people/$E1011/assessment/manager" "$HR" '{"answers":[],"agree_remaining":true}'
api POST "/api/v1/people/$E1011/approve" "$HR" '{"comment":"承認します"}'
check "he submits again and HR approves (200)" test "$status" = 200
check "... a second submission mail and an approval mail are sent" \
    wait_for "SELECT COUNT(*) FROM outbox WHERE status = 'sent' AND template IN ('submitted', 'approved')" 3
mail_to "$MGR_MAIL"
check "... the approval mail to E1011 links to /results" \
    sh -c "grep -qF 'SUBJECT: 【ITSS】2026年度のスキル診断が承認されました' '$T/mail' && grep -qF 'http://itss.test/results' '$T/mail'"

# The engineer's language is English (stored with the user): the certificate mail is in English.
ENG_MAIL=$(sql "SELECT p.email FROM app_user u JOIN person p ON p.id = u.person_id WHERE u.login = 'engineer'")
ENG_ID=$(sql "SELECT person_id FROM app_user WHERE login = 'engineer'")
sql "UPDATE app_user SET lang = 'en' WHERE login = 'engineer'"
SPEC=$(sql "SELECT l.specialization_id FROM approval ap JOIN approval_level l ON l.approval_id = ap.id JOIN assessment a ON a.id = ap.assessment_id WHERE a.person_id = $ENG_ID AND l.level >= 1 AND NOT EXISTS (SELECT 1 FROM certificate c WHERE c.approval_id = ap.id AND c.specialization_id = l.specialization_id) ORDER BY ap.id DESC, l.specialization_id LIMIT 1")
api POST "/api/v1/people/$ENG_ID/certificates" "$HR" "{\"specialization\":\"$SPEC\",\"cycle\":\"2026年度\"}"
check "HR certifies an approved level of the engineer ($SPEC, 201)" test "$status" = 201
NUMBER=$(sed -n 's/.*"number":"\([^"]*\)".*/\1/p' "$T/body")
check "... the certificate mail is sent" wait_for "SELECT status FROM outbox WHERE template = 'certified'" "sent"
mail_to "$ENG_MAIL"
check "... to the engineer, in English (her language), with the certificate's number and link" \
    sh -c "grep -q '^SUBJECT: \[ITSS\] Certified: .* level [0-9]' '$T/mail' && grep -qF 'Certificate: $NUMBER' '$T/mail' && grep -qF 'http://itss.test/certificates/$NUMBER' '$T/mail'"

# ---- A refusal for good: failed, not retried ------------------------------------------------
stop_sink
start_sink --port "$PORT" --reject nobody@
sql "UPDATE person SET email = 'nobody@example.jp' WHERE employee_number = 'E1011'"
api POST /api/v1/me/assessment/submit "$MGR" '{}'     # approved: refused (409), nothing enqueued
check "submitting an approved diagnosis is refused (409) and mails nobody" \
    test "$status" = 409 -a "$(sql "SELECT COUNT(*) FROM outbox WHERE template = 'submitted'")" = 2
REOPEN=$(sql "SELECT COUNT(*) FROM outbox")
api POST "/api/v1/people/$E1011/reopen" "$HR" '{"reason":"再確認のため"}'
check "HR reopens the approval: a return mail with the reason is enqueued" \
    test "$status" = 200 -a "$(sql "SELECT COUNT(*) FROM outbox WHERE template = 'returned'")" = 2
check "the relay refuses the recipient for good (550): the message becomes failed with the reply" \
    wait_for "SELECT status, last_error LIKE 'RCPT TO: 550%' FROM outbox WHERE to_addr = 'nobody@example.jp'" "failed|1"

# ---- Reminders ---------------------------------------------------------------------------------
stopped "$SERVE"
CLOSES=$(sql "SELECT closes FROM cycle WHERE id = $CYCLE")
WANT=$(sql "SELECT COUNT(*) FROM person p JOIN app_user u ON u.person_id = p.id AND u.disabled = 0 LEFT JOIN assessment a ON a.person_id = p.id AND a.cycle_id = $CYCLE WHERE p.email IS NOT NULL AND (a.id IS NULL OR a.status IN ('draft', 'returned'))")
out=$(ITSS_TODAY=$CLOSES "$ITSS_BIN" mail remind --days 7 --db "$DB")
check "on the closing day, a reminder for each user who has not submitted ($WANT: $out)" \
    test "$out" = "$WANT reminder$([ "$WANT" = 1 ] || echo s) enqueued" -a "$WANT" -gt 0
out=$(ITSS_TODAY=$CLOSES "$ITSS_BIN" mail remind --days 7 --db "$DB")
check "... and only once per person and cycle ($out)" test "$out" = "0 reminders enqueued"
out=$(ITSS_TODAY=2026-12-06 "$ITSS_BIN" mail remind --days 7 --db "$DB")
check "none before the N days ($out)" test "$out" = "0 reminders enqueued"
check "the reminder links to /diagnosis and names the closing day" \
    sh -c "'$ITSS_BIN' mail show \$(sqlite3 '$DB' \"SELECT MIN(id) FROM outbox WHERE template = 'reminder'\") --db '$DB' --public-url http://itss.test | grep -qF '締切は$CLOSES' && '$ITSS_BIN' mail show \$(sqlite3 '$DB' \"SELECT MIN(id) FROM outbox WHERE template = 'reminder'\") --db '$DB' --public-url http://itss.test | grep -qF 'http://itss.test/diagnosis'"

# ---- itss mail send by hand, --all ----------------------------------------------------------------
stop_sink
start_sink --port "$PORT"
out=$("$ITSS_BIN" mail send --smtp "127.0.0.1:$PORT" --mail-from itss@example.jp --db "$DB" --all)
check "itss mail send --all delivers the reminders ($out)" test "$out" = "$WANT sent, 0 not sent"
check "... and the sink has them" test "$(ls "$T/sink" | grep -c '\.done$')" -ge "$((WANT + 5))"
check "itss mail list --status failed names the refused one" \
    sh -c "'$ITSS_BIN' mail list --status failed --db '$DB' | grep -q 'nobody@example.jp'"
FAILED=$(sql "SELECT id FROM outbox WHERE status = 'failed'")
api GET "/api/v1/admin/outbox?status=failed" "$ADMIN"
check "the admin's outbox API lists the failed message with its error and the counts by status" \
    sh -c "test '$status' = 200 && grep -qF '\"to\":\"nobody@example.jp\"' '$T/body' && grep -qF '\"last_error\":\"RCPT TO: 550' '$T/body' && grep -q '\"counts\":{[^}]*\"failed\":1' '$T/body'"
api GET "/api/v1/admin/outbox" "$HR"
check "... which is the administrator's alone (HR: 403)" test "$status" = 403
api POST "/api/v1/admin/outbox/$FAILED/retry" "$ADMIN" '{}'
check "the API tries the failed message again (200, pending)" \
    test "$status" = 200 -a "$(sql "SELECT status FROM outbox WHERE id = $FAILED")" = pending
sql "UPDATE outbox SET status = 'failed' WHERE id = $FAILED"
"$ITSS_BIN" mail retry "$FAILED" --db "$DB"
check "itss mail retry makes a failed message pending again" \
    test "$(sql "SELECT status FROM outbox WHERE id = $FAILED")" = pending
SENT=$(sql "SELECT MIN(id) FROM outbox WHERE status = 'sent'")
"$ITSS_BIN" mail retry "$SENT" --db "$DB" 2>/dev/null
check "... not a sent one (exit 3)" test $? = 3
"$ITSS_BIN" mail retry 99999 --db "$DB" 2>/dev/null
check "... and names a message that does not exist (exit 3)" test $? = 3
stop_sink
