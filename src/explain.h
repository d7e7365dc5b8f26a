/* explain.h - an engine result in words: Japanese text that quotes the standard.
 *
 * The engine decides and gives the facts (engine.h); the faces word them. This
 * is the wording of the command line (`itss level`, `itss level --explain`), kept
 * below the faces so that any of them (a report, a plain-text download of the
 * web) can use the same text. The web pages word the same facts in HTML in the
 * request's language. */
#ifndef ITSS_EXPLAIN_H
#define ITSS_EXPLAIN_H

#include "buf.h"
#include "engine.h"

/* Appends to out, in Japanese, why each specialization (only `spec_id` when not
 * NULL) has the level it has: criterion by criterion, quoting the standard's
 * wording, what is missing for the next level, warnings, proficiency and
 * knowledge coverage. */
void explain_text(buf *out, const engine_result *r, const char *spec_id);

/* Appends one line per specialization: its name, the level reached ("レベル4" or
 * "未到達（レベル0）") and a warning naming lower levels not met. */
void explain_summary(buf *out, const engine_result *r);

#endif
