/* store_experience_words.h - talent search's "experience records mentioning a
 * word": the words of the records (project, role, description) read in bulk
 * for the organization's columns, which search them in memory
 * (orgcols_mentions), the same way on every backend. */
#ifndef ITSS_STORE_EXPERIENCE_WORDS_H
#define ITSS_STORE_EXPERIENCE_WORDS_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "store.h"

/* The longest word a search takes (bytes). */
#define STORE_WORD_MAX 100

/* Calls fn with the project, role and description (NULL when empty) of every
 * experience record of the people persons[0..n), or of everyone when persons
 * is NULL, in no order (a few people looked up one by one through the
 * experience_person index). The texts belong to the store for the call. fn
 * returns 0 to go on (else returned); it may not call the store. 0, or -1
 * with *e. */
int store_experience_words_each(store *s, const int64_t *persons, size_t n,
                                int (*fn)(int64_t person_id, const char *project, const char *role,
                                          const char *description, void *ctx),
                                void *ctx, err *e);

#endif
