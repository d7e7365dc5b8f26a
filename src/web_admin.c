/* web_admin.c - the administrator's pages: the users of the application.
 * Accounts are changed with `itss user` for now; this page shows them. */
#include "web.h"
#include "web_pages.h"
#include "html.h"
#include "store.h"

#include <stdio.h>
#include <string.h>

/* GET /admin  Every user: login, role, person, state, when made. */
void web_page_admin(web_request *r)
{
    store *db = web_store(r);
    if (!db)
        return;
    store_user_list users;
    err e;
    memset(&e, 0, sizeof e);
    if (store_user_list_all(db, &users, &e) < 0) {
        char line[1024];
        fprintf(stderr, "itss serve: user list: %s\n", err_format(&e, line, sizeof line));
        web_reply_error(r, 503, "unavailable", web_t(r, "error.unavailable"), NULL);
        return;
    }
    html_begin(r, web_t(r, "admin.title"));
    html_printf(r->out, "<h1>%s</h1>\n<p>%s</p>\n", web_t(r, "admin.title"), web_t(r, "admin.intro"));
    html_printf(r->out, "<div class=\"table-wrap\"><table>\n<thead><tr><th>%s</th><th>%s</th><th>%s</th>"
                        "<th>%s</th><th>%s</th></tr></thead>\n<tbody>\n",
                web_t(r, "admin.login"), web_t(r, "admin.role"), web_t(r, "admin.person"),
                web_t(r, "admin.state"), web_t(r, "admin.created"));
    for (size_t i = 0; i < users.count; i++) {
        const store_user *u = &users.items[i];
        char role_key[32];
        snprintf(role_key, sizeof role_key, "role.%s", u->role);
        html_printf(r->out, "<tr><td>%s</td><td>%s</td><td>%s %s</td><td>%s</td><td>%s</td></tr>\n", u->login,
                    web_t(r, role_key), u->employee_number ? u->employee_number : "-",
                    u->person_name ? u->person_name : "",
                    web_t(r, u->disabled ? "admin.disabled" : "admin.active"), u->created_at);
    }
    buf_puts(r->out, "</tbody>\n</table></div>\n");
    html_end(r);
    store_user_list_free(&users);
}
