/* web_pages.h - the handlers the route table (web_routes.c) names, one group per
 * web_*.c file. A new page is one handler here, its row in the table, and its
 * code in the file of its group. */
#ifndef ITSS_WEB_PAGES_H
#define ITSS_WEB_PAGES_H

#include "catalog.h"
#include "web.h"

/* web_login.c: entering and leaving. */
void web_page_root(web_request *r);          /* GET /            */
void web_page_login(web_request *r);         /* GET /login       */
void web_page_login_post(web_request *r);    /* POST /login      */
void web_page_logout(web_request *r);        /* POST /logout     */
void web_page_home(web_request *r);          /* GET /home        */
void web_api_me(web_request *r);             /* GET /api/v1/me   */

/* web_admin.c: administrators: the users of the application. */
void web_page_admin(web_request *r);                 /* GET /admin                      */
void web_page_admin_user_add(web_request *r);        /* POST /admin/users               */
void web_page_admin_user(web_request *r);            /* GET /admin/users/:id            */
void web_page_admin_user_save(web_request *r);       /* POST /admin/users/:id           */
void web_page_admin_user_disable(web_request *r);    /* POST /admin/users/:id/disable   */
void web_page_admin_user_enable(web_request *r);     /* POST /admin/users/:id/enable    */
void web_page_admin_user_password(web_request *r);   /* POST /admin/users/:id/password  */
void web_api_users(web_request *r);                  /* GET /api/v1/users               */
void web_api_user_add(web_request *r);               /* POST /api/v1/users              */
void web_api_user(web_request *r);                   /* GET /api/v1/users/:id           */
void web_api_user_edit(web_request *r);              /* PATCH /api/v1/users/:id         */
void web_api_user_password(web_request *r);          /* PUT /api/v1/users/:id/password  */

/* web_tokens.c: a user's own API tokens. */
void web_page_tokens(web_request *r);                /* GET /account/tokens             */
void web_page_token_create(web_request *r);          /* POST /account/tokens            */
void web_page_token_revoke(web_request *r);          /* POST /account/tokens/:id/revoke */
void web_api_tokens(web_request *r);                 /* GET /api/v1/tokens              */
void web_api_token_create(web_request *r);           /* POST /api/v1/tokens             */
void web_api_token_revoke(web_request *r);           /* DELETE /api/v1/tokens/:id       */

/* web_hr.c: HR (人事): overview and portfolio, cycles, org units, people, import, exports. */
void web_page_hr(web_request *r);                    /* GET /hr                         */
void web_page_hr_cycles(web_request *r);             /* GET /hr/cycles                  */
void web_page_hr_cycle_add(web_request *r);          /* POST /hr/cycles                 */
void web_page_hr_cycle(web_request *r);              /* GET /hr/cycles/:id              */
void web_page_hr_cycle_save(web_request *r);         /* POST /hr/cycles/:id             */
void web_page_hr_cycle_open(web_request *r);         /* POST /hr/cycles/:id/open        */
void web_page_hr_cycle_close(web_request *r);        /* POST /hr/cycles/:id/close       */
void web_page_hr_org(web_request *r);                /* GET /hr/org                     */
void web_page_hr_org_add(web_request *r);            /* POST /hr/org                    */
void web_page_hr_org_unit(web_request *r);           /* GET /hr/org/:id                 */
void web_page_hr_org_save(web_request *r);           /* POST /hr/org/:id                */
void web_page_hr_people(web_request *r);             /* GET /hr/people                  */
void web_page_hr_person_new(web_request *r);         /* GET /hr/people/new              */
void web_page_hr_person_add(web_request *r);         /* POST /hr/people/new             */
void web_page_hr_person_edit(web_request *r);        /* GET /hr/people/:id/edit         */
void web_page_hr_person_save(web_request *r);        /* POST /hr/people/:id/edit        */
void web_page_hr_import(web_request *r);             /* GET /hr/import                  */
void web_page_hr_import_post(web_request *r);        /* POST /hr/import                 */
void web_page_hr_export(web_request *r);             /* GET /hr/export                  */
void web_page_hr_export_file(web_request *r);        /* GET /hr/export/:file            */

/* web_hr_api.c: the HR pages' equivalents in the API. */
void web_api_cycles(web_request *r);                 /* GET /api/v1/cycles              */
void web_api_cycle_add(web_request *r);              /* POST /api/v1/cycles             */
void web_api_cycle(web_request *r);                  /* GET /api/v1/cycles/:id          */
void web_api_cycle_edit(web_request *r);             /* PATCH /api/v1/cycles/:id        */
void web_api_org_units(web_request *r);              /* GET /api/v1/org-units           */
void web_api_org_add(web_request *r);                /* POST /api/v1/org-units          */
void web_api_org_unit(web_request *r);               /* GET /api/v1/org-units/:id       */
void web_api_org_edit(web_request *r);               /* PATCH /api/v1/org-units/:id     */
void web_api_people(web_request *r);                 /* GET /api/v1/people              */
void web_api_person_add(web_request *r);             /* POST /api/v1/people             */
void web_api_person(web_request *r);                 /* GET /api/v1/people/:id          */
void web_api_person_edit(web_request *r);            /* PATCH /api/v1/people/:id        */
void web_api_portfolio(web_request *r);              /* GET /api/v1/portfolio           */
void web_api_import_people(web_request *r);          /* POST /api/v1/imports/people     */
void web_api_import_assessments(web_request *r);     /* POST /api/v1/imports/assessments */
void web_api_export_people(web_request *r);          /* GET /api/v1/exports/people      */
void web_api_export_assessments(web_request *r);     /* GET /api/v1/exports/assessments */
void web_api_export_levels(web_request *r);          /* GET /api/v1/exports/levels      */

/* web_openapi.c: the API described, generated from the route table. */
void web_api_openapi(web_request *r);                /* GET /api/v1/openapi.json        */
struct json_t;
/* The OpenAPI 3.0 document (a new jansson reference the caller releases). */
struct json_t *web_openapi_document(void);
/* A route pattern as OpenAPI writes a path ("/people/:id" -> "/people/{id}"); caller frees. */
char *web_openapi_path(const char *pattern);

/* web_standard.c: the standard (基準). */
void web_page_standard(web_request *r);              /* GET /standard                   */
void web_page_standard_search(web_request *r);       /* GET /standard/search?q=         */
void web_page_standard_spec(web_request *r);         /* GET /standard/:spec             */
void web_page_standard_level(web_request *r);        /* GET /standard/:spec/:level      */
void web_page_standard_area(web_request *r);         /* GET /standard/:spec/area/:area  */
void web_api_catalog(web_request *r);                /* GET /api/v1/catalog             */
void web_api_catalog_element(web_request *r);        /* GET /api/v1/catalog/elements/:id */
void web_api_catalog_search(web_request *r);         /* GET /api/v1/catalog/search?q=   */

/* web_diagnosis.c: my diagnosis (自己診断), the user's own assessment. */
void web_page_diagnosis(web_request *r);             /* GET /diagnosis                  */
void web_page_diagnosis_submit(web_request *r);      /* POST /diagnosis/submit          */
void web_page_diagnosis_spec(web_request *r);        /* GET /diagnosis/:spec            */
void web_page_diagnosis_spec_post(web_request *r);   /* POST /diagnosis/:spec           */
void web_page_diagnosis_skills(web_request *r);      /* GET /diagnosis/:spec/skills     */
void web_page_diagnosis_skills_post(web_request *r); /* POST /diagnosis/:spec/skills    */
void web_api_me_assessment(web_request *r);          /* GET /api/v1/me/assessment       */
void web_api_me_assessment_put(web_request *r);      /* PUT /api/v1/me/assessment       */
void web_api_me_assessment_submit(web_request *r);   /* POST /api/v1/me/assessment/submit */

/* web_experience.c: the user's own experience records (実績). */
void web_page_experience(web_request *r);            /* GET /experience                 */
void web_page_experience_new(web_request *r);        /* GET /experience/new             */
void web_page_experience_new_post(web_request *r);   /* POST /experience/new            */
void web_page_experience_edit(web_request *r);       /* GET /experience/:id/edit        */
void web_page_experience_edit_post(web_request *r);  /* POST /experience/:id/edit       */
void web_page_experience_delete(web_request *r);     /* POST /experience/:id/delete     */
void web_api_me_experience(web_request *r);          /* GET /api/v1/me/experience       */
void web_api_me_experience_post(web_request *r);     /* POST /api/v1/me/experience      */
void web_api_me_experience_one(web_request *r);      /* GET /api/v1/me/experience/:id   */
void web_api_me_experience_put(web_request *r);      /* PUT /api/v1/me/experience/:id   */
void web_api_me_experience_delete(web_request *r);   /* DELETE /api/v1/me/experience/:id */

/* web_results.c: results (診断結果), the user's own and of people they may see. */
void web_page_results(web_request *r);               /* GET /results                    */
void web_page_person_results(web_request *r);        /* GET /people/:id/results         */
void web_api_me_results(web_request *r);             /* GET /api/v1/me/results          */
void web_api_person_results(web_request *r);         /* GET /api/v1/people/:id/results  */

/* web_manager.c: the team (チーム), a member's review, comments, return, approve. */
void web_page_team(web_request *r);                  /* GET /team                       */
void web_page_review(web_request *r);                /* GET /people/:id/review          */
void web_page_review_post(web_request *r);           /* POST /people/:id/review         */
void web_page_comment_post(web_request *r);          /* POST /people/:id/comments       */
void web_page_return_post(web_request *r);           /* POST /people/:id/return         */
void web_page_approve_post(web_request *r);          /* POST /people/:id/approve        */
void web_api_team(web_request *r);                   /* GET /api/v1/team                */
void web_api_person_assessment(web_request *r);      /* GET /api/v1/people/:id/assessment */
void web_api_manager_rating(web_request *r);         /* PUT /api/v1/people/:id/assessment/manager */
void web_api_comment(web_request *r);                /* POST /api/v1/people/:id/comments */
void web_api_return(web_request *r);                 /* POST /api/v1/people/:id/return  */
void web_api_approve(web_request *r);                /* POST /api/v1/people/:id/approve */

/* web_routes.c: the server's own. */
void web_page_static(web_request *r);        /* GET /static/NAME */
void web_page_healthz(web_request *r);       /* GET /healthz     */

#endif
