#!/bin/sh
# markup.sh - attributes and links that a page writes only in some cases come
# out as markup, not as escaped text (html_printf escapes its arguments, so
# they are written with html_raw; tests/web_markup.sh checks the source): the
# navigation marks the page shown with aria-current="page", the HR people list
# marks a leaver's row class="left", the administrator's user list a disabled
# user's row class="disabled" (the user list of /admin), and the outbox's paging links keep the status
# filter (&amp;status=, not &amp;amp;status=). Run with ITSS_BIN set;
# TAP-style lines.
. "$(dirname "$0")/lib.sh"
ITSS_TODAY=2026-12-06; export ITSS_TODAY   # the demo's cycles are named for this day (rules_today)

"$ITSS_BIN" demo --db "$DB" >/dev/null 2>&1
sql "UPDATE person SET left_on = '2026-11-30' WHERE employee_number = 'E1051'"
"$ITSS_BIN" user disable engineer --db "$DB" >/dev/null 2>&1
"$ITSS_BIN" user bulk --unit STS --sub-units --mail --db "$DB" >/dev/null 2>&1
ADM=$(session admin itss-demo-admin); HR=$(session hr itss-demo-hr)
check "the demo: a leaver, a disabled user, more than one page of waiting mails" \
    test -n "$ADM" -a -n "$HR" -a "$(sql "SELECT COUNT(*) FROM outbox WHERE status = 'pending'")" -gt 50

page /account/tokens "$ADM"
check "the navigation marks the page shown: aria-current=\"page\" (not &quot;page&quot;)" \
    sh -c "[ '$status' = 200 ] && grep -q 'href=\"/account/tokens\" aria-current=\"page\">' '$T/body' && ! grep -q '&quot;page&quot;' '$T/body'"
page "/hr/people?q=E1051" "$HR"
check "HR's people list: the leaver's row is class=\"left\"" \
    sh -c "[ '$status' = 200 ] && grep -q '<tr class=\"left\"><td>E1051</td>' '$T/body' && ! grep -q 'class=&quot;' '$T/body'"
page /hr/cycles "$HR"
check "  ... and the HR sections mark the one shown" grep -q 'href="/hr/cycles" aria-current="page">' "$T/body"
page /admin "$ADM"
check "the administrator's user list: the disabled user's row is class=\"disabled\"" \
    sh -c "[ '$status' = 200 ] && grep -q '<tr class=\"disabled\"><td><a href=\"/admin/users/[0-9]*\">engineer</a>' '$T/body'"
page "/admin/outbox?status=pending" "$ADM"
check "the outbox: the status filter shown is marked, its next page keeps the filter" \
    sh -c "[ '$status' = 200 ] && grep -q 'href=\"/admin/outbox?status=pending\" aria-current=\"page\">' '$T/body' && grep -q 'href=\"/admin/outbox?page=2&amp;status=pending\"' '$T/body'"
page "/admin/outbox?page=2&status=pending" "$ADM"
check "  ... and that page keeps it for the way back" grep -q 'href="/admin/outbox?page=1&amp;status=pending"' "$T/body"
