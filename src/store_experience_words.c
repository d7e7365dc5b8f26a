/* store_experience_words.c - people whose experience records mention a word
 * (store_experience_words.h): a LIKE over project, role and description in
 * portable SQL. SQLite's LIKE takes ASCII letters in either case; PostgreSQL's
 * compares them as typed (lower() on both sides would make the two agree, but
 * tripled the scan's time on SQLite). Measured at 100,000 people / 203,668
 * records: one scan about 55 ms of CPU; per person a few microseconds. */
#include "store_experience_words.h"
#include "store_internal.h"

#include <stdlib.h>
#include <string.h>

#include "xalloc.h"

#define WORDS_MATCH "(project LIKE ? ESCAPE '!' OR role LIKE ? ESCAPE '!' OR description LIKE ? ESCAPE '!')"
#define WORDS_ONE "SELECT 1 FROM experience WHERE person_id = ? AND " WORDS_MATCH " LIMIT 1"
#define WORDS_ALL "SELECT DISTINCT person_id FROM experience WHERE " WORDS_MATCH

#define WORDS_ONE_BY_ONE 3000      /* up to this many people: one indexed lookup each */

/* The LIKE pattern of word: %word% with ! % _ escaped. Heap. */
static char *pattern_of(const char *word)
{
    size_t n = strlen(word);
    char *p = xmalloc(2 * n + 3), *o = p;
    *o++ = '%';
    for (const char *c = word; *c; c++) {
        if (*c == '!' || *c == '%' || *c == '_')
            *o++ = '!';
        *o++ = *c;
    }
    *o++ = '%';
    *o = 0;
    return p;
}

static int cmp_id(const void *x, const void *y)
{
    int64_t a = *(const int64_t *)x, b = *(const int64_t *)y;
    return a < b ? -1 : a > b;
}

int store_experience_mentions(store *s, const char *word, const int64_t *persons, size_t n, unsigned char *hit,
                              err *e)
{
    memset(hit, 0, n);
    if (!word || !*word || strlen(word) > STORE_WORD_MAX)
        return err_refuse(e, ERR_INVALID, "search.word", "word", "a word of 1 to 100 bytes");
    char *pat = pattern_of(word);
    int rc = 0;
    if (n <= WORDS_ONE_BY_ONE) {
        for (size_t i = 0; i < n && rc >= 0; i++) {
            store_stmt *st = store_q_open(s, STORE_SLOT_WORDS, WORDS_ONE, e, "ittt", persons[i], pat, pat, pat);
            if (!st) {
                rc = -1;
                break;
            }
            rc = store_q_step(s, st, e);
            hit[i] = rc == 1;
            store_q_close(s, st);
        }
    } else {
        store_stmt *st = store_q_open(s, STORE_SLOT_WORDS + 1, WORDS_ALL, e, "ttt", pat, pat, pat);
        rc = st ? 0 : -1;
        while (st && (rc = store_q_step(s, st, e)) == 1) {
            int64_t id = store_q_int(s, st, 0);
            const int64_t *at = bsearch(&id, persons, n, sizeof *persons, cmp_id);
            if (at)
                hit[at - persons] = 1;
        }
        if (st)
            store_q_close(s, st);
    }
    free(pat);
    return rc < 0 ? -1 : 0;
}
