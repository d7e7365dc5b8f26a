/* store_experience_words.h - talent search's "experience records mentioning a
 * word": which people have an experience record whose project, role or
 * description contains a word. */
#ifndef ITSS_STORE_EXPERIENCE_WORDS_H
#define ITSS_STORE_EXPERIENCE_WORDS_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"
#include "store.h"

/* The longest word a search takes (bytes). */
#define STORE_WORD_MAX 100

/* Sets hit[i] to 1 when person persons[i] has an experience record whose
 * project, role or description contains word ('%' and '_' are letters like
 * any other; ASCII letters in either case on SQLite, as typed on PostgreSQL),
 * else 0. persons ascending. A few
 * people are looked up one by one (the experience_person index), many by one
 * scan of the records. 0, or -1 with *e (a word empty or longer than
 * STORE_WORD_MAX is refused naming the field "word"). */
int store_experience_mentions(store *s, const char *word, const int64_t *persons, size_t n, unsigned char *hit,
                              err *e);

#endif
