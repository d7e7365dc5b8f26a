/* web_cache.h - a bounded cache of finished values shared by the threads of a
 * server (the results pages keep evaluated assessments and drawn charts here).
 *
 * A value is kept under a key of bytes with its size in bytes (what it holds in
 * memory, as its maker estimates it). When the sizes add up past the cache's
 * budget, the values used least recently go. A value found or added is lent
 * with a reference and stays valid until that reference is given back, even
 * when the cache drops it meanwhile: the last one out frees it. Values are
 * never changed once added, since any number of threads may read one at once.
 *
 * Nothing here knows when a value gets old: a key must name everything the
 * value was made from (an assessment's id and revision, a chart's inputs), so
 * that a change makes a new key and the old value ages out unused.
 *
 * The app keeps one cache per purpose with web_app_memo (web.h):
 *     web_cache *c = web_app_memo(app, &my_key, make_my_cache, NULL, web_cache_free_value); */
#ifndef ITSS_WEB_CACHE_H
#define ITSS_WEB_CACHE_H

#include <stddef.h>

typedef struct web_cache web_cache;
/* One value lent out: give it back with web_cache_return. */
typedef struct web_cache_ref web_cache_ref;

#define WEB_CACHE_KEY_MAX 4096    /* bytes of a key; longer ones are never kept */

/* An empty cache that keeps at most budget bytes of values (and their keys).
 * Never NULL (aborts when out of memory). Free with web_cache_free. */
web_cache *web_cache_new(size_t budget);
/* Frees the cache and every value in it; no value may be lent out any more.
 * NULL is allowed. */
void web_cache_free(web_cache *c);
/* web_cache_free for a void pointer, as web_app_memo's release wants it. */
void web_cache_free_value(void *c);

/* The value under key (key_len bytes), lent with a reference in *ref; NULL
 * (and *ref NULL) when there is none. */
const void *web_cache_get(web_cache *c, const void *key, size_t key_len, web_cache_ref **ref);

/* Keeps value under key, sized size bytes, freed by release(value) (may be
 * NULL) when it goes. The cache owns value from now on, whatever happens:
 * when another thread kept a value under the same key first, value is
 * released and that one is lent instead; a value that does not fit in the
 * budget (or a key longer than WEB_CACHE_KEY_MAX) is lent without being kept,
 * and released when given back. Returns the value lent, with *ref. */
const void *web_cache_put(web_cache *c, const void *key, size_t key_len, void *value, size_t size,
                          void (*release)(void *), web_cache_ref **ref);

/* Gives back a value lent by get or put. NULL is allowed. */
void web_cache_return(web_cache_ref *ref);
/* web_cache_return for a void pointer (web_defer wants it so). */
void web_cache_return_value(void *ref);

/* What the cache holds and has done, for tests and the benchmark. */
typedef struct web_cache_stats {
    size_t count;                 /* values kept */
    size_t bytes;                 /* their sizes and keys */
    size_t budget;
    unsigned long long hits, misses, evictions;
} web_cache_stats;

void web_cache_stats_get(web_cache *c, web_cache_stats *out);

#endif
