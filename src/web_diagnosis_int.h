/* web_diagnosis_int.h - what the diagnosis pages (web_diagnosis.c) and the
 * diagnosis API (web_diagnosis_api.c) share, as SQLite's *Int.h headers do:
 * the field errors, the diagnosis being opened, and the data work of both faces.
 * Not for other files. */
#ifndef ITSS_WEB_DIAGNOSIS_INT_H
#define ITSS_WEB_DIAGNOSIS_INT_H

#include "assessment.h"
#include "catalog.h"
#include "store.h"
#include "web.h"

/* ---- Field errors: what pages show beside fields and the API names ---------- */

typedef struct field_error {
    const char *field;          /* form field or JSON path */
    const char *message;
} field_error;

typedef struct field_errors {
    field_error *items;         /* request memory */
    size_t count, cap;
} field_errors;

/* Adds an error about field (both strings copied into request memory). */
void add_error(web_request *r, field_errors *errs, const char *field, const char *message);

/* The same with message key and a detail appended: "message: detail". */
void add_error_detail(web_request *r, field_errors *errs, const char *field, const char *key,
                      const char *detail);

/* ---- Opening the diagnosis (web_diagnosis.c) -------------------------------- */

/* The user's diagnosis in the cycle in force. Strings are in request memory. */
typedef struct diagnosis {
    const catalog *cat;
    store *db;
    int64_t person_id;
    const char *employee_number, *person_name;
    int64_t cycle_id;            /* 0: no cycle is open today */
    const char *cycle_name, *cycle_opens, *cycle_closes;
    int64_t assessment_id;       /* 0: none yet (reading only) */
    assessment_status status;
    assessment *a;               /* answers and experience records; freed with the request */
    int in_transaction;
    const char **carried;        /* elements whose answer is still the one carried from the last cycle */
    size_t n_carried;            /* (set by the pages that mark them; request memory) */
    int only_unanswered;         /* ?only=unanswered: the forms show the unanswered elements only */
    int *diagnosed;              /* per specialization of cat: 1 when diagnosed in it (store_diagnosed_specs) */
    int chosen;                  /* 1: the person chose them; 0: their own answers stand for the choice */
} diagnosis;

enum { OPEN_READ, OPEN_WRITE };

/* Finds the user's person, the cycle in force and the assessment, and loads it.
 * OPEN_WRITE begins a transaction (ended by diagnosis_commit, or rolled back when
 * the request ends), creates the assessment when there is none, and refuses
 * (409) when no cycle is open or the answers are closed. Returns 0, or -1 after
 * answering. The catalog must be the one the database uses. */
int diagnosis_begin(web_request *r, diagnosis *d, int mode);

/* Fills d->diagnosed and d->chosen again (after the choice changed). 0, or -1
 * after answering 503. */
int diagnosis_load_specs(web_request *r, diagnosis *d);

/* Writes d->a's answers and ends the transaction diagnosis_begin began. Returns
 * 0, or -1 after answering 503 (nothing written). */
int diagnosis_commit(web_request *r, diagnosis *d);

/* Undoes the transaction diagnosis_begin began (nothing is written). */
void diagnosis_cancel(diagnosis *d);

/* ---- Applying answers (pages and API alike, web_diagnosis.c) ---------------- */

/* One self answer as a page or the API proposes it. */
typedef struct answer_input {
    const char *element_id;
    const char *field;           /* the form field or JSON path errors name */
    int value;                   /* 0/1 met, a rating 0..4; -1 removes the self answer */
    const char **evidence;       /* experience record ids */
    size_t n_evidence;
} answer_input;

/* Checks each input against the catalog and the person's experience records and
 * sets the valid ones as self answers of d->a (an invalid one leaves the answer
 * as it was). Returns how many errors were added to errs. */
size_t diagnosis_apply(web_request *r, diagnosis *d, const answer_input *in, size_t n, field_errors *errs);

/* How many self answers d->a has. */
size_t self_answers(const assessment *a);

/* Is element id answered by self in a? */
int answered(const assessment *a, const char *id);

/* What is still 未回答 in one specialization a diagnosis covers. */
typedef struct unanswered_spec {
    const catalog_spec *spec;
    int achievement, proficiency, knowledge;   /* elements still unanswered */
} unanswered_spec;

/* The specializations d's diagnosis is made in (d->diagnosed) that still have
 * unanswered elements, in catalog order, into *out (request memory); returns
 * how many. */
size_t diagnosis_unanswered(web_request *r, const diagnosis *d, unanswered_spec **out);

/* Is record id among the evidence of answer ans? */
int is_evidence(const assessment_answer *ans, const char *id);

#endif
