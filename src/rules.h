/* rules.h - the domain's rules for single values, in one place.
 *
 * What a code, a name, an e-mail address, a login, a role, a catalog identifier,
 * a date or a month must look like is decided here and nowhere else: the store
 * applies these checks before every write, the imports apply them to a file they
 * only check (--dry-run), and the faces translate the store's refusal instead of
 * checking again (err.h: code ERR_INVALID and the key below).
 *
 * Each check takes the field's name (kept as the err's path, so that a message
 * reads "email: 'x' is not an e-mail address") and returns 0 when the value is
 * acceptable, -1 with *e (which may be NULL) filled: code ERR_INVALID, one of the
 * keys below, and an English message. Optional values may be NULL or "".
 *
 * Message keys of refusals (rules_* and the store):
 *   text.empty text.utf8 text.control text.long   any text: required, UTF-8, one line, length
 *   code.long code.space                          employee numbers and org unit codes
 *   email.invalid                                 e-mail addresses
 *   date.invalid month.invalid                    YYYY-MM-DD and YYYY-MM
 *   login.chars login.long role.invalid           accounts
 *   element_id.invalid element_id.long            catalog identifiers
 * and, from the store (codes ERR_DUPLICATE, ERR_NOT_FOUND, ERR_CONFLICT):
 *   person.number_taken person.org_unknown person.manager_unknown person.own_manager person.manager_below
 *   org.code_taken org.parent_unknown org.below_itself
 *   cycle.name_taken cycle.closes_before
 *   user.login_taken user.person_unknown user.person_taken */
#ifndef ITSS_RULES_H
#define ITSS_RULES_H

#include <stddef.h>
#include "err.h"

#define RULES_CODE_MAX 64      /* bytes of an employee number or org unit code */
#define RULES_NAME_MAX 200     /* bytes of a name (person, kana, unit, cycle) */
#define RULES_EMAIL_MAX 254    /* bytes of an e-mail address (RFC 5321's path limit) */
#define RULES_LOGIN_MAX 64     /* bytes of a login */
#define RULES_ID_MAX 64        /* characters of a catalog identifier */

/* A text: valid UTF-8, no control characters (line feeds, carriage returns and
 * tabs only when multiline), not empty when required. */
int rules_text(err *e, const char *field, const char *v, int required, int multiline);

/* A code (employee number, org unit code): a required one-line text of at most
 * RULES_CODE_MAX bytes without spaces (ASCII or the ideographic space). */
int rules_code(err *e, const char *field, const char *v);

/* A name (a person's name or kana, an org unit's or cycle's name): a one-line
 * text of at most RULES_NAME_MAX bytes, not empty when required. */
int rules_name(err *e, const char *field, const char *v, int required);

/* An optional e-mail address: a one-line text of at most RULES_EMAIL_MAX bytes
 * holding an '@' and no space. */
int rules_email(err *e, const char *field, const char *v);

/* A date YYYY-MM-DD that exists (1900 or later), not empty when required. */
int rules_date(err *e, const char *field, const char *v, int required);

/* An optional month YYYY-MM (1900-01 or later). */
int rules_month(err *e, const char *field, const char *v);

/* A login: 1 to RULES_LOGIN_MAX ASCII letters, digits, '.', '_', '-', '@'. */
int rules_login(err *e, const char *field, const char *v);

/* A role: engineer, manager, hr or admin. */
int rules_role(err *e, const char *field, const char *v);

/* A catalog identifier: 1 to RULES_ID_MAX ASCII letters, digits, '.', '_', '-'. */
int rules_element_id(err *e, const char *field, const char *v);

/* A person's own fields, as the store checks them before a write: the employee
 * number a code, the name a required name, the kana an optional one, the e-mail
 * optional (the first refusal, in that order). */
int rules_person(err *e, const char *employee_number, const char *name, const char *kana, const char *email);

/* 1 when s is a date YYYY-MM-DD that exists, 1900 or later; 0 otherwise (NULL too). */
int rules_is_date(const char *s);

/* 1 when s is a month YYYY-MM, 1900-01 or later; 0 otherwise (NULL too). */
int rules_is_month(const char *s);

/* Today's local date as YYYY-MM-DD into out: the environment's ITSS_TODAY when
 * it holds a date (tests and demonstrations pin the clock with it), else the
 * clock's. The one "today" of the program. */
void rules_today(char out[11]);

/* The Japanese fiscal year (年度, April to March) that date YYYY-MM-DD falls in:
 * 2027 for 2027-04-01 to 2028-03-31. */
int rules_fiscal_year(const char *date);

#endif
