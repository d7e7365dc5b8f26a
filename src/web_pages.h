/* web_pages.h - every page and API endpoint, one row each: the single source of
 * the route table (web_table.c) and of the handlers' prototypes.
 *
 * A row is X(method, path pattern, handler, roles that may use it, flags,
 * one-line summary[, OpenAPI details]). The details, for API rows, are
 * designated initializers of struct web_route (web.h): .request, .response,
 * .status and .query = WEB_QUERY(...); web_openapi.c writes them into the
 * OpenAPI document (the schemas they name are defined there). The handler lives in the file of its page group:
 * web_page_* / web_api_* of the login, admin, tokens, hr (pages: web_hr.c, API:
 * web_hr_api.c), standard, diagnosis, experience, results and manager pages in
 * web_login.c, web_admin.c, web_tokens.c, web_hr.c/web_hr_api.c,
 * web_standard.c, web_diagnosis.c, web_experience.c, web_results.c,
 * web_manager.c, web_official.c/web_official_api.c (reopen, 社内認定),
 * web_plan.c/web_plan_api.c (育成計画), web_plan_hr.c (HR: plans by unit,
 * the training catalog) and web_qualification.c (資格); the OpenAPI document in web_openapi.c; /static and /healthz
 * in web_routes.c. POST, PUT, PATCH and DELETE rows carry WEB_CSRF (the
 * dispatcher checks the token for them in any case; a test checks the flag).
 * Keep rows of one path together, pages before the API. A new page is one row
 * here and its handler (docs/web.md, "Adding a page"). */
#ifndef ITSS_WEB_PAGES_H
#define ITSS_WEB_PAGES_H

#include "account.h"
#include "web.h"

/* Anyone with a person of their own to assess: engineers, managers, HR. */
#define ROLES_STAFF (ROLE_ENGINEER | ROLE_MANAGER | ROLE_HR)

#define WEB_ROUTES(X) \
    X("GET", "/", web_page_root, 0, WEB_PUBLIC, "to the home page, or to the login page") \
    X("GET", "/login", web_page_login, 0, WEB_PUBLIC, "the login form") \
    X("POST", "/login", web_page_login_post, 0, WEB_PUBLIC | WEB_CSRF, "log in") \
    X("POST", "/logout", web_page_logout, ROLES_ANY, WEB_CSRF, "log out") \
    X("GET", "/home", web_page_home, ROLES_ANY, 0, "the home page: what the user can do") \
    X("GET", "/admin", web_page_admin, ROLE_ADMIN, 0, "the users of the application (administrators)") \
    X("POST", "/admin/users", web_page_admin_user_add, ROLE_ADMIN, WEB_CSRF, "add a user") \
    X("GET", "/admin/users/:id", web_page_admin_user, ROLE_ADMIN, 0, "a user: role, person, password, state") \
    X("POST", "/admin/users/:id", web_page_admin_user_save, ROLE_ADMIN, WEB_CSRF, "change a user's role or person") \
    X("POST", "/admin/users/:id/disable", web_page_admin_user_disable, ROLE_ADMIN, WEB_CSRF, "disable a user") \
    X("POST", "/admin/users/:id/enable", web_page_admin_user_enable, ROLE_ADMIN, WEB_CSRF, "enable a user") \
    X("POST", "/admin/users/:id/password", web_page_admin_user_password, ROLE_ADMIN, WEB_CSRF, "reset a user's password") \
    X("POST", "/admin/users/:id/signin-link", web_page_admin_user_signin_link, ROLE_ADMIN, WEB_CSRF, "reset a user's password by a one-time sign-in link (shown once; ends the user's sessions and tokens)") \
    X("GET", "/admin/accounts", web_page_admin_accounts, ROLE_ADMIN, 0, "accounts in bulk: for everyone of an org unit, or from a CSV file") \
    X("POST", "/admin/accounts/unit", web_page_admin_accounts_unit, ROLE_ADMIN, WEB_CSRF, "make a user with a one-time sign-in link for everyone of an org unit (and below) who has none (one transaction; the links shown once)") \
    X("POST", "/admin/accounts/csv", web_page_admin_accounts_csv, ROLE_ADMIN, WEB_CSRF | WEB_UPLOAD, "make users with one-time sign-in links from CSV (employee_number, role, login; one transaction; dry run)") \
    X("GET", "/admin/accounts/template.csv", web_page_admin_accounts_template, ROLE_ADMIN, 0, "the CSV template of accounts in bulk") \
    X("POST", "/admin/users/:id/tokens/:token/revoke", web_page_admin_token_revoke, ROLE_ADMIN, WEB_CSRF, "revoke one of a user's API tokens") \
    X("POST", "/admin/token-lifetime", web_page_admin_token_days, ROLE_ADMIN, WEB_CSRF, "set the longest lifetime of new API tokens") \
    X("GET", "/signin/:token", web_page_signin, 0, WEB_PUBLIC, "a one-time sign-in link: the form to set one's password (410 when used, expired or unknown)") \
    X("POST", "/signin/:token", web_page_signin_post, 0, WEB_PUBLIC | WEB_CSRF, "set one's password by a one-time sign-in link and sign in") \
    X("GET", "/admin/outbox", web_page_admin_outbox, ROLE_ADMIN, 0, "the outbox of e-mails: status, attempts, last error (docs/notifications.md)") \
    X("POST", "/admin/outbox/:id/retry", web_page_admin_outbox_retry, ROLE_ADMIN, WEB_CSRF, "try a failed e-mail again") \
    X("GET", "/account/password", web_page_account_password, ROLES_ANY, 0, "the form to change my password") \
    X("POST", "/account/password", web_page_account_password_post, ROLES_ANY, WEB_CSRF, "change my password (ends my sessions and tokens)") \
    X("GET", "/account/tokens", web_page_tokens, ROLES_ANY, 0, "my API tokens") \
    X("POST", "/account/tokens", web_page_token_create, ROLES_ANY, WEB_CSRF, "create an API token (shown once)") \
    X("POST", "/account/tokens/:id/revoke", web_page_token_revoke, ROLES_ANY, WEB_CSRF, "revoke one of my API tokens") \
    X("GET", "/hr", web_page_hr, ROLE_HR, 0, "HR: cycles by status and the skill portfolio") \
    X("GET", "/hr/portfolio/people", web_page_hr_portfolio_people, ROLE_HR, 0, "the people behind a number of the portfolio or its movement: paginated, sortable, as CSV") \
    X("GET", "/hr/orgview", web_page_hr_orgview, ROLE_HR, 0, "the org view: units along the tree, specializations × levels, 未到達 and not assessed") \
    X("GET", "/hr/skillmap", web_page_hr_skillmap, ROLE_HR, 0, "スキルマップ: proficiency by unit × skill area, knowledge coverage, the weakest categories first") \
    X("GET", "/search", web_page_hr_search, ROLE_HR | ROLE_MANAGER, 0, "人材検索: people matching every condition (levels, proficiency, knowledge, certificates); managers within their reach") \
    X("POST", "/search/saved", web_page_hr_search_save, ROLE_HR | ROLE_MANAGER, WEB_CSRF, "save a talent search by name") \
    X("POST", "/search/saved/:id/delete", web_page_hr_search_delete, ROLE_HR | ROLE_MANAGER, WEB_CSRF, "delete one of my saved talent searches") \
    X("GET", "/hr/trends", web_page_hr_trends, ROLE_HR, 0, "every cycle on one chart per specialization, and the level flow between two cycles") \
    X("GET", "/hr/targets", web_page_hr_targets, ROLE_HR, 0, "要員計画: target head counts per unit, specialization and level with actual and gap") \
    X("POST", "/hr/targets", web_page_hr_target_post, ROLE_HR, WEB_CSRF, "set one staffing target") \
    X("POST", "/hr/targets/import", web_page_hr_targets_import, ROLE_HR, WEB_CSRF | WEB_UPLOAD, "import staffing targets from CSV (one transaction)") \
    X("GET", "/hr/cycles", web_page_hr_cycles, ROLE_HR, 0, "assessment cycles") \
    X("POST", "/hr/cycles", web_page_hr_cycle_add, ROLE_HR, WEB_CSRF, "add a cycle") \
    X("GET", "/hr/cycles/:id", web_page_hr_cycle, ROLE_HR, 0, "a cycle: assessments by status, its dates") \
    X("POST", "/hr/cycles/:id", web_page_hr_cycle_save, ROLE_HR, WEB_CSRF, "change a cycle's name or dates") \
    X("POST", "/hr/cycles/:id/open", web_page_hr_cycle_open, ROLE_HR, WEB_CSRF, "open a cycle") \
    X("POST", "/hr/cycles/:id/close", web_page_hr_cycle_close, ROLE_HR, WEB_CSRF, "close a cycle") \
    X("GET", "/hr/org", web_page_hr_org, ROLE_HR, 0, "org units as a tree") \
    X("POST", "/hr/org", web_page_hr_org_add, ROLE_HR, WEB_CSRF, "add an org unit") \
    X("GET", "/hr/org/:id", web_page_hr_org_unit, ROLE_HR, 0, "an org unit's form") \
    X("POST", "/hr/org/:id", web_page_hr_org_save, ROLE_HR, WEB_CSRF, "rename or move an org unit") \
    X("GET", "/hr/people", web_page_hr_people, ROLE_HR, 0, "people: search, pages") \
    X("GET", "/hr/people/new", web_page_hr_person_new, ROLE_HR, 0, "the form of a new person") \
    X("POST", "/hr/people/new", web_page_hr_person_add, ROLE_HR, WEB_CSRF, "add a person") \
    X("GET", "/hr/people/:id/edit", web_page_hr_person_edit, ROLE_HR, 0, "a person's form") \
    X("POST", "/hr/people/:id/edit", web_page_hr_person_save, ROLE_HR, WEB_CSRF, "change a person") \
    X("GET", "/hr/import", web_page_hr_import, ROLE_HR, 0, "the CSV upload form") \
    X("POST", "/hr/import", web_page_hr_import_post, ROLE_HR, WEB_CSRF | WEB_UPLOAD, "import people (previewed: what will change, then confirmed), answers or experience records from CSV") \
    X("GET", "/hr/import/template/:file", web_page_hr_import_template, ROLE_HR, 0, "a CSV template to fill in: people.csv, assessments.csv or experience.csv") \
    X("GET", "/hr/export", web_page_hr_export, ROLE_HR, 0, "the exports") \
    X("GET", "/hr/export/:file", web_page_hr_export_file, ROLE_HR, 0, "people, assessments or levels as CSV or JSON") \
    X("GET", "/hr/plans", web_page_hr_plans, ROLE_HR, 0, "development plans by unit: people with a plan, approved, overdue actions, the most common gaps, drill-down") \
    X("GET", "/hr/training", web_page_hr_training, ROLE_HR, 0, "the training catalog: courses, CSV import and export") \
    X("POST", "/hr/training", web_page_hr_training_post, ROLE_HR, WEB_CSRF | WEB_UPLOAD, "import courses from CSV (one transaction)") \
    X("GET", "/hr/training/courses.csv", web_page_hr_training_export, ROLE_HR, 0, "the training catalog as CSV") \
    X("GET", "/standard", web_page_standard, ROLES_ANY, 0, "the standard: job category, specializations, skill areas") \
    X("GET", "/standard/search", web_page_standard_search, ROLES_ANY, 0, "search the standard's texts (NFKC, either width)") \
    X("GET", "/standard/:spec", web_page_standard_spec, ROLES_ANY, 0, "a specialization: levels and skill areas") \
    X("GET", "/standard/:spec/:level", web_page_standard_level, ROLES_ANY, 0, "the achievement indicators and proficiency of a level") \
    X("GET", "/standard/:spec/area/:area", web_page_standard_area, ROLES_ANY, 0, "a skill area: proficiency by level, knowledge items") \
    X("GET", "/diagnosis", web_page_diagnosis, ROLES_STAFF, 0, "my diagnosis: the cycle, progress, status, submit") \
    X("POST", "/diagnosis/carry", web_page_diagnosis_carry, ROLES_STAFF, WEB_CSRF, "start this cycle from the last cycle's answers") \
    X("POST", "/diagnosis/submit", web_page_diagnosis_submit, ROLES_STAFF, WEB_CSRF, "hand my diagnosis in") \
    X("POST", "/diagnosis/specs", web_page_diagnosis_specs_post, ROLES_STAFF, WEB_CSRF, "choose the specializations my diagnosis is made in") \
    X("GET", "/diagnosis/:spec", web_page_diagnosis_spec, ROLES_STAFF, 0, "my achievement indicators of a specialization") \
    X("POST", "/diagnosis/:spec", web_page_diagnosis_spec_post, ROLES_STAFF, WEB_CSRF, "save my achievement indicators") \
    X("GET", "/diagnosis/:spec/skills", web_page_diagnosis_skills, ROLES_STAFF, 0, "my proficiency and knowledge ratings") \
    X("POST", "/diagnosis/:spec/skills", web_page_diagnosis_skills_post, ROLES_STAFF, WEB_CSRF, "save my proficiency and knowledge ratings") \
    X("GET", "/diagnosis/:spec/skills/:area", web_page_diagnosis_area, ROLES_STAFF, 0, "one skill area: my proficiency and knowledge ratings, its own progress, the previous and next parts") \
    X("POST", "/diagnosis/:spec/skills/:area", web_page_diagnosis_area_post, ROLES_STAFF, WEB_CSRF, "save my ratings of one skill area") \
    X("GET", "/experience", web_page_experience, ROLES_STAFF, 0, "my experience records") \
    X("GET", "/experience/new", web_page_experience_new, ROLES_STAFF, 0, "the form of a new experience record") \
    X("POST", "/experience/new", web_page_experience_new_post, ROLES_STAFF, WEB_CSRF, "add an experience record") \
    X("GET", "/experience/:id/edit", web_page_experience_edit, ROLES_STAFF, 0, "the form of one of my experience records") \
    X("POST", "/experience/:id/edit", web_page_experience_edit_post, ROLES_STAFF, WEB_CSRF, "save one of my experience records") \
    X("POST", "/experience/:id/delete", web_page_experience_delete, ROLES_STAFF, WEB_CSRF, "delete one of my experience records") \
    X("GET", "/results", web_page_results, ROLES_STAFF, 0, "my results: level per specialization and why, radar, gap to a target, knowledge, history") \
    X("GET", "/results/report.pdf", web_page_results_pdf, ROLES_STAFF, 0, "my personal diagnosis report as PDF (A4)") \
    X("GET", "/people/:id/report.pdf", web_page_person_report_pdf, ROLES_ANY, 0, "the personal diagnosis report of a person the user may see, as PDF") \
    X("GET", "/people/:id/results", web_page_person_results, ROLES_ANY, 0, "the results of a person the user may see") \
    X("GET", "/team", web_page_team, ROLE_MANAGER | ROLE_HR, 0, "the team: people by specialization, level and this cycle's status (?status=, ?sort=)") \
    X("POST", "/team/approve", web_page_team_approve, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "approve several submitted assessments: the confirm step, then all in one transaction (confirm=1)") \
    X("GET", "/people/:id/review", web_page_review, ROLE_MANAGER | ROLE_HR, 0, "a member's diagnosis, the manager's rating beside the self-rating") \
    X("POST", "/people/:id/review", web_page_review_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "save the manager's rating") \
    X("POST", "/people/:id/comments", web_page_comment_post, ROLES_ANY, WEB_CSRF, "add a comment to a person's assessment (reviewer or the person)") \
    X("POST", "/people/:id/return", web_page_return_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "return a submitted assessment for rework, with a comment") \
    X("POST", "/people/:id/approve", web_page_approve_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "approve a submitted assessment") \
    X("POST", "/people/:id/reopen", web_page_reopen_post, ROLE_HR, WEB_CSRF, "reopen an approved assessment, with a reason (the approval stays in the history)") \
    X("POST", "/people/:id/certificates", web_page_certify_post, ROLE_HR, WEB_CSRF, "certify an approved level of a specialization (社内認定)") \
    X("GET", "/certificates", web_page_certificates, ROLE_HR, 0, "certificates: those expiring within N days, then all with their state") \
    X("GET", "/certificates/:number", web_page_certificate, ROLES_ANY, 0, "a certificate, printable on A4") \
    X("POST", "/certificates/:number/revoke", web_page_certificate_revoke_post, ROLE_HR, WEB_CSRF, "revoke a certificate, with a reason") \
    X("GET", "/plan", web_page_plan, ROLES_STAFF, 0, "my development plan (育成計画): target, the gap in the standard's words, actions, progress") \
    X("GET", "/people/:id/plan", web_page_person_plan, ROLES_ANY, 0, "the development plan of a person the user may see") \
    X("POST", "/people/:id/plan/target", web_page_plan_target_post, ROLES_STAFF, WEB_CSRF, "set a plan's target: specialization, level, date (the person or a reviewer)") \
    X("POST", "/people/:id/plan/actions", web_page_plan_action_post, ROLES_STAFF, WEB_CSRF, "add an action to a plan's item (the person or a reviewer)") \
    X("POST", "/people/:id/plan/actions/:action", web_page_plan_action_status_post, ROLES_STAFF, WEB_CSRF, "change an action's status (the person or a reviewer)") \
    X("POST", "/people/:id/plan/comments", web_page_plan_comment_post, ROLES_STAFF, WEB_CSRF, "comment on a plan (the person, or as reviewer)") \
    X("POST", "/people/:id/plan/approve", web_page_plan_approve_post, ROLE_MANAGER | ROLE_HR, WEB_CSRF, "approve a plan (review.h's rule)") \
    X("POST", "/people/:id/qualifications", web_page_qualification_post, ROLES_STAFF, WEB_CSRF, "record a qualification (the person or a reviewer)") \
    X("GET", "/static/*", web_page_static, 0, WEB_PUBLIC | WEB_NOAUTH, "built-in CSS, JavaScript and images") \
    X("GET", "/healthz", web_page_healthz, 0, WEB_PUBLIC | WEB_API | WEB_NOAUTH, "health check: the database answers") \
    X("GET", "/api/v1/me", web_api_me, ROLES_ANY, WEB_API, "the user the request is authenticated as", .response = "Me") \
    X("GET", "/api/v1/openapi.json", web_api_openapi, 0, WEB_PUBLIC | WEB_API, "this API described (OpenAPI 3.0)") \
    X("GET", "/api/v1/cycles", web_api_cycles, ROLE_HR, WEB_API, "assessment cycles", .response = "CycleList") \
    X("POST", "/api/v1/cycles", web_api_cycle_add, ROLE_HR, WEB_API | WEB_CSRF, "add a cycle", .request = "CycleInput", .response = "Cycle", .status = 201) \
    X("GET", "/api/v1/cycles/:id", web_api_cycle, ROLE_HR, WEB_API, "a cycle with its assessments by status", .response = "CycleDetail") \
    X("PATCH", "/api/v1/cycles/:id", web_api_cycle_edit, ROLE_HR, WEB_API | WEB_CSRF, "change a cycle's name or dates (open, close)", .request = "CycleInput", .response = "Cycle") \
    X("GET", "/api/v1/org-units", web_api_org_units, ROLE_HR, WEB_API, "org units in tree order", .response = "OrgUnitList") \
    X("POST", "/api/v1/org-units", web_api_org_add, ROLE_HR, WEB_API | WEB_CSRF, "add an org unit", .request = "OrgUnitInput", .response = "OrgUnit", .status = 201) \
    X("GET", "/api/v1/org-units/:id", web_api_org_unit, ROLE_HR, WEB_API, "an org unit", .response = "OrgUnit") \
    X("PATCH", "/api/v1/org-units/:id", web_api_org_edit, ROLE_HR, WEB_API | WEB_CSRF, "rename or move an org unit", .request = "OrgUnitInput", .response = "OrgUnit") \
    X("GET", "/api/v1/people", web_api_people, ROLE_HR, WEB_API, "people: search, pages", .response = "PersonPage", \
      .query = WEB_QUERY({ "q", "string", "part of the employee number, name, kana or e-mail" }, \
          { "org_unit_id", "integer", "people of this unit and the units below it" }, \
          { "limit", "integer", "1 to 1000 (default 100)" }, \
          { "offset", "integer", "people skipped, in employee-number order" })) \
    X("POST", "/api/v1/people", web_api_person_add, ROLE_HR, WEB_API | WEB_CSRF, "add a person", .request = "PersonInput", .response = "Person", .status = 201) \
    X("GET", "/api/v1/people/:id", web_api_person, ROLES_ANY, WEB_API, "a person the user may see", .response = "Person") \
    X("PATCH", "/api/v1/people/:id", web_api_person_edit, ROLE_HR, WEB_API | WEB_CSRF, "change a person", .request = "PersonInput", .response = "Person") \
    X("GET", "/api/v1/search", web_api_search, ROLE_HR | ROLE_MANAGER, WEB_API, "talent search: the people matching every condition, with their levels (managers: within their reach)", \
      .query = WEB_QUERY({ "cycle", "integer", "the cycle (default: the latest)" }, \
                         { "org", "integer", "an org unit: it and the units below it" }, \
                         { "unit", "string", "the same by an org unit's code or exact name (instead of org)" }, \
                         { "spec", "string", "a specialization code (HW) or any, with level" }, \
                         { "level", "integer", "the level at least" }, \
                         { "levels", "string", "official (default) or self" }, \
                         { "parea", "string", "a skill area code, with plevel (and pspec)" }, \
                         { "item", "string", "a knowledge item id, with rating" }, \
                         { "category", "string", "a knowledge category id, with crating and share" }, \
                         { "certified", "integer", "1: a valid 社内認定 (cspec, clevel)" }, \
                         { "word", "string", "experience records mentioning it (project, role, description)" }, \
                         { "limit", "integer", "people in the answer (default 500, at most 10000)" }, \
                         { "offset", "integer", "people skipped first (default 0)" })) \
    X("GET", "/api/v1/portfolio", web_api_portfolio, ROLE_HR, WEB_API, "people per specialization and level in a cycle, and the movement", .response = "Portfolio", \
      .query = WEB_QUERY({ "cycle", "integer", "the cycle (required)" }, \
          { "compare", "integer", "a second cycle: the level movement since then" }, \
          { "org_unit_id", "integer", "people of this unit and the units below it" }, \
          { "approved", "boolean", "1: approved assessments only (self-assessed levels)" }, \
          { "levels", "string", "official (default: a valid certificate, else the level frozen at approval) or self" })) \
    X("POST", "/api/v1/imports/people", web_api_import_people, ROLE_HR, WEB_API | WEB_CSRF | WEB_UPLOAD, "import people from CSV (one transaction)", .request = "csv", .response = "ImportResult", \
      .query = WEB_QUERY({ "dry_run", "boolean", "1: check everything, write nothing" }, \
          { "encoding", "string", "auto (default), utf-8 or cp932" }, \
          { "filename", "string", "the name errors give the file (default people.csv)" })) \
    X("POST", "/api/v1/imports/assessments", web_api_import_assessments, ROLE_HR, WEB_API | WEB_CSRF | WEB_UPLOAD, "import assessment answers from CSV (one transaction)", .request = "csv", .response = "ImportResult", \
      .query = WEB_QUERY({ "dry_run", "boolean", "1: check everything, write nothing" }, \
          { "encoding", "string", "auto (default), utf-8 or cp932" }, \
          { "filename", "string", "the name errors give the file (default assessments.csv)" })) \
    X("GET", "/api/v1/exports/people", web_api_export_people, ROLE_HR, WEB_API, "people as CSV or JSON", .response = "export", \
      .query = WEB_QUERY({ "format", "string", "csv (default: UTF-8 with BOM, CRLF) or json" })) \
    X("GET", "/api/v1/exports/assessments", web_api_export_assessments, ROLE_HR, WEB_API, "assessment answers as CSV or JSON", .response = "export", \
      .query = WEB_QUERY({ "format", "string", "csv (default: UTF-8 with BOM, CRLF) or json" }, \
          { "cycle", "integer", "only this cycle" })) \
    X("GET", "/api/v1/exports/levels", web_api_export_levels, ROLE_HR, WEB_API, "levels per specialization as CSV or JSON", .response = "export", \
      .query = WEB_QUERY({ "format", "string", "csv (default: UTF-8 with BOM, CRLF) or json" }, \
          { "cycle", "integer", "only this cycle" }, \
          { "levels", "string", "official (default; a level_kind column says certified or approved) or self" })) \
    X("GET", "/api/v1/users", web_api_users, ROLE_ADMIN, WEB_API, "the users", .response = "UserList") \
    X("POST", "/api/v1/users", web_api_user_add, ROLE_ADMIN, WEB_API | WEB_CSRF, "add a user", .request = "UserInput", .response = "User", .status = 201) \
    X("GET", "/api/v1/users/:id", web_api_user, ROLE_ADMIN, WEB_API, "a user", .response = "User") \
    X("PATCH", "/api/v1/users/:id", web_api_user_edit, ROLE_ADMIN, WEB_API | WEB_CSRF, "change a user's role, person or state", .request = "UserPatch", .response = "User") \
    X("PUT", "/api/v1/users/:id/password", web_api_user_password, ROLE_ADMIN, WEB_API | WEB_CSRF, "reset a user's password", .request = "PasswordInput", .status = 204) \
    X("GET", "/api/v1/admin/outbox", web_api_admin_outbox, ROLE_ADMIN, WEB_API, "the outbox of e-mails, the newest first, with counts by status", .response = "OutboxList", \
      .query = WEB_QUERY({ "status", "string", "pending, sent, failed or no_address (default: every one)" }, { "limit", "integer", "at most this many (1 to 1000, default 100)" }, { "offset", "integer", "after skipping this many" })) \
    X("POST", "/api/v1/admin/outbox/:id/retry", web_api_admin_outbox_retry, ROLE_ADMIN, WEB_API | WEB_CSRF, "try a failed e-mail again", .response = "OutboxRetried") \
    X("GET", "/api/v1/tokens", web_api_tokens, ROLES_ANY, WEB_API, "my API tokens", .response = "TokenList") \
    X("POST", "/api/v1/tokens", web_api_token_create, ROLES_ANY, WEB_API | WEB_CSRF, "create an API token (shown once)", .request = "TokenInput", .response = "TokenCreated", .status = 201) \
    X("DELETE", "/api/v1/tokens/:id", web_api_token_revoke, ROLES_ANY, WEB_API | WEB_CSRF, "revoke one of my API tokens") \
    X("GET", "/api/v1/me/results", web_api_me_results, ROLES_STAFF, WEB_API, "my results, as the results page shows them") \
    X("GET", "/api/v1/people/:id/results", web_api_person_results, ROLES_ANY, WEB_API, "a person's results, as their results page shows them") \
    X("GET", "/api/v1/team", web_api_team, ROLE_MANAGER | ROLE_HR, WEB_API, "the team: level per specialization and this cycle's status", \
      .query = WEB_QUERY({ "cycle", "string", "the cycle's id or name (default: the one in use)" }, \
          { "org", "string", "only this org unit (code) and the units below it, within reach" }, \
          { "status", "string", "only members in this state: not_started, draft, returned, submitted, approved (with certified) or certified" }, \
          { "sort", "string", "number (default), name (reading), unit, status, submitted (oldest first, never submitted last) or level (highest approved level first)" }, \
          { "levels", "string", "official (default) or self" }, \
          { "page", "integer", "the page of 100 (from 1)" })) \
    X("POST", "/api/v1/team/approve", web_api_team_approve, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "approve several submitted assessments in one transaction: all, or none with the reason per person", .request = "BulkApproveInput", .response = "BulkApproveResult") \
    X("GET", "/api/v1/people/:id/assessment", web_api_person_assessment, ROLES_ANY, WEB_API, "a person's answers (?rater=self|manager), levels and comments") \
    X("PUT", "/api/v1/people/:id/assessment/manager", web_api_manager_rating, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "set the manager's rating of elements") \
    X("POST", "/api/v1/people/:id/comments", web_api_comment, ROLES_ANY, WEB_API | WEB_CSRF, "add a comment to a person's assessment") \
    X("POST", "/api/v1/people/:id/return", web_api_return, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "return a submitted assessment, with a comment") \
    X("POST", "/api/v1/people/:id/approve", web_api_approve, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "approve a submitted assessment") \
    X("POST", "/api/v1/people/:id/reopen", web_api_reopen, ROLE_HR, WEB_API | WEB_CSRF, "reopen an approved assessment, with a reason", .request = "ReasonInput", .response = "Reopened") \
    X("GET", "/api/v1/people/:id/certificates", web_api_person_certificates, ROLES_ANY, WEB_API, "a person's certificates with their state", .response = "CertificateList") \
    X("POST", "/api/v1/people/:id/certificates", web_api_certify, ROLE_HR, WEB_API | WEB_CSRF, "certify an approved level of a specialization", .request = "CertifyInput", .response = "CertificateOne", .status = 201) \
    X("GET", "/api/v1/certificates", web_api_certificates, ROLE_HR, WEB_API, "every certificate, or those ending within N days", .response = "CertificateList", \
      .query = WEB_QUERY({ "expiring_within", "integer", "only certificates valid today that end within this many days" })) \
    X("GET", "/api/v1/certificates/:number", web_api_certificate, ROLES_ANY, WEB_API, "one certificate", .response = "CertificateOne") \
    X("POST", "/api/v1/certificates/:number/revoke", web_api_certificate_revoke, ROLE_HR, WEB_API | WEB_CSRF, "revoke a certificate, with a reason", .request = "ReasonInput", .response = "CertificateOne") \
    X("GET", "/api/v1/me/plan", web_api_me_plan, ROLES_STAFF, WEB_API, "my development plan", .response = "PlanOne") \
    X("GET", "/api/v1/people/:id/plan", web_api_person_plan, ROLES_ANY, WEB_API, "a person's development plan", .response = "PlanOne") \
    X("PUT", "/api/v1/people/:id/plan/target", web_api_plan_target, ROLES_STAFF, WEB_API | WEB_CSRF, "set a plan's target (makes the items from the gap)", .request = "PlanTargetInput", .response = "PlanOne") \
    X("POST", "/api/v1/people/:id/plan/actions", web_api_plan_action_add, ROLES_STAFF, WEB_API | WEB_CSRF, "add an action to a plan", .request = "PlanActionInput", .response = "PlanOne", .status = 201) \
    X("PATCH", "/api/v1/people/:id/plan/actions/:action", web_api_plan_action_edit, ROLES_STAFF, WEB_API | WEB_CSRF, "change an action's status", .request = "PlanActionPatch", .response = "PlanOne") \
    X("POST", "/api/v1/people/:id/plan/comments", web_api_plan_comment, ROLES_STAFF, WEB_API | WEB_CSRF, "comment on a plan (the person, or as reviewer)", .request = "PlanCommentInput", .response = "PlanOne", .status = 201) \
    X("POST", "/api/v1/people/:id/plan/approve", web_api_plan_approve, ROLE_MANAGER | ROLE_HR, WEB_API | WEB_CSRF, "approve a plan (review.h's rule)", .request = "PlanCommentInput", .response = "PlanOne") \
    X("GET", "/api/v1/people/:id/qualifications", web_api_person_qualifications, ROLES_ANY, WEB_API, "a person's qualifications with the ITSS level of each IPA examination", .response = "QualificationList") \
    X("POST", "/api/v1/people/:id/qualifications", web_api_qualification_add, ROLES_STAFF, WEB_API | WEB_CSRF, "record a qualification", .request = "QualificationInput", .response = "QualificationAdded", .status = 201) \
    X("GET", "/api/v1/plans", web_api_plans, ROLE_HR, WEB_API, "development plans by unit: figures, units below, the most common gaps", .response = "PlanSummary", \
      .query = WEB_QUERY({ "org", "string", "an org unit's code or id (default: all units)" })) \
    X("GET", "/api/v1/training/courses", web_api_courses, ROLES_ANY, WEB_API, "the training catalog", .response = "CourseList") \
    X("POST", "/api/v1/imports/courses", web_api_import_courses, ROLE_HR, WEB_API | WEB_CSRF | WEB_UPLOAD, "import courses from CSV (one transaction)", .request = "csv", .response = "CourseImport", \
      .query = WEB_QUERY({ "dry_run", "boolean", "1: check everything, write nothing" }, \
          { "filename", "string", "the name errors give the file (default courses.csv)" })) \
    X("GET", "/api/v1/exports/courses", web_api_export_courses, ROLE_HR, WEB_API, "the training catalog as CSV (the import's layout)", .response = "export") \
    X("GET", "/api/v1/catalog", web_api_catalog, ROLES_ANY, WEB_API, "the catalog in brief") \
    X("GET", "/api/v1/catalog/search", web_api_catalog_search, ROLES_ANY, WEB_API, "search the standard's texts") \
    X("GET", "/api/v1/catalog/elements/:id", web_api_catalog_element, ROLES_ANY, WEB_API, "one element of the standard") \
    X("GET", "/api/v1/me/assessment", web_api_me_assessment, ROLES_STAFF, WEB_API, "my assessment in the cycle in force (file format)") \
    X("PUT", "/api/v1/me/assessment", web_api_me_assessment_put, ROLES_STAFF, WEB_API | WEB_CSRF, "replace my self answers") \
    X("GET", "/api/v1/me/assessment/specs", web_api_me_specs, ROLES_STAFF, WEB_API, "the specializations my diagnosis is made in (chosen, or those I answered in)", .response = "SpecChoice") \
    X("PUT", "/api/v1/me/assessment/specs", web_api_me_specs_put, ROLES_STAFF, WEB_API | WEB_CSRF, "choose the specializations my diagnosis is made in (at least one)", .request = "SpecChoiceInput", .response = "SpecChoice") \
    X("POST", "/api/v1/me/assessment/submit", web_api_me_assessment_submit, ROLES_STAFF, WEB_API | WEB_CSRF, "hand my diagnosis in", \
      .query = WEB_QUERY({ "confirm", "integer", "1: hand it in though elements are unanswered (else 409 unanswered, listing them)" })) \
    X("GET", "/api/v1/me/experience", web_api_me_experience, ROLES_STAFF, WEB_API, "my experience records") \
    X("POST", "/api/v1/me/experience", web_api_me_experience_post, ROLES_STAFF, WEB_API | WEB_CSRF, "add an experience record") \
    X("GET", "/api/v1/me/experience/:id", web_api_me_experience_one, ROLES_STAFF, WEB_API, "one of my experience records") \
    X("PUT", "/api/v1/me/experience/:id", web_api_me_experience_put, ROLES_STAFF, WEB_API | WEB_CSRF, "replace one of my experience records") \
    X("DELETE", "/api/v1/me/experience/:id", web_api_me_experience_delete, ROLES_STAFF, WEB_API | WEB_CSRF, "delete one of my experience records")

/* The handlers' prototypes, from the list. */
#define WEB_ROUTE_HANDLER(method, pattern, handler, roles, flags, ...) void handler(web_request *r);
WEB_ROUTES(WEB_ROUTE_HANDLER)

/* web_tokens.c: the administrator's sections, drawn by web_admin.c: the tokens
 * of user_id with a revoke button each, and the form of the tokens' longest
 * lifetime (web_auth_token_max_days). */
void web_tokens_admin_list(web_request *r, int64_t user_id);
void web_tokens_admin_settings(web_request *r);

/* web_openapi.c: the API described, generated from the route table. */
struct json_t;
/* The OpenAPI 3.0 document (a new jansson reference the caller releases). */
struct json_t *web_openapi_document(void);
/* A route pattern as OpenAPI writes a path ("/people/:id" -> "/people/{id}"); caller frees. */
char *web_openapi_path(const char *pattern);

#endif
