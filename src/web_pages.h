/* web_pages.h - the handlers the route table (web_routes.c) names, one group per
 * web_*.c file. A new page is one handler here, its row in the table, and its
 * code in the file of its group. */
#ifndef ITSS_WEB_PAGES_H
#define ITSS_WEB_PAGES_H

#include "web.h"

/* web_login.c: entering and leaving. */
void web_page_root(web_request *r);          /* GET /            */
void web_page_login(web_request *r);         /* GET /login       */
void web_page_login_post(web_request *r);    /* POST /login      */
void web_page_logout(web_request *r);        /* POST /logout     */
void web_page_home(web_request *r);          /* GET /home        */
void web_api_me(web_request *r);             /* GET /api/v1/me   */

/* web_admin.c: administrators. */
void web_page_admin(web_request *r);         /* GET /admin       */

/* web_routes.c: the server's own. */
void web_page_static(web_request *r);        /* GET /static/NAME */
void web_page_healthz(web_request *r);       /* GET /healthz     */

#endif
