/* web_cache.c - a bounded cache of finished values shared by threads (see
 * web_cache.h): a hash table of entries under one mutex, and a list of the kept
 * entries from the most to the least recently used. Values are freed outside
 * the lock, so that a thread freeing a large one holds up no other. */
#include "web_cache.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* One value with its key. An entry is "kept" while the table holds it; a lent
 * entry dropped from the table lives on until its last reference comes back. */
struct web_cache_ref {
    web_cache *cache;
    struct web_cache_ref *next;             /* in its bucket */
    struct web_cache_ref *newer, *older;    /* in the list of use */
    void *value;
    void (*release)(void *);
    size_t size;                            /* the value's, its key's and the entry's bytes */
    uint64_t hash;
    unsigned refs;                          /* references lent out */
    int kept;
    size_t key_len;
    unsigned char key[];
};

struct web_cache {
    pthread_mutex_t lock;
    struct web_cache_ref **buckets;
    size_t n_buckets;                       /* a power of two */
    struct web_cache_ref *newest, *oldest;
    size_t count, bytes, budget;
    unsigned long long hits, misses, evictions;
};

/* FNV-1a over the key's bytes. */
static uint64_t key_hash(const void *key, size_t len)
{
    const unsigned char *p = key;
    uint64_t h = 0xcbf29ce484222325ull;
    for (size_t i = 0; i < len; i++) {
        h ^= p[i];
        h *= 0x100000001b3ull;
    }
    return h;
}

/* calloc that aborts when out of memory, like buf. */
static void *cache_calloc(size_t n, size_t size)
{
    void *p = calloc(n, size);
    if (!p) {
        fputs("itss: out of memory\n", stderr);
        abort();
    }
    return p;
}

web_cache *web_cache_new(size_t budget)
{
    web_cache *c = cache_calloc(1, sizeof *c);
    pthread_mutex_init(&c->lock, NULL);
    c->n_buckets = 64;
    c->buckets = cache_calloc(c->n_buckets, sizeof *c->buckets);
    c->budget = budget;
    return c;
}

/* Frees an entry and its value (no lock needed: nobody else can reach it). */
static void entry_free(struct web_cache_ref *x)
{
    if (x->release)
        x->release(x->value);
    free(x);
}

void web_cache_free(web_cache *c)
{
    if (!c)
        return;
    struct web_cache_ref *x = c->newest;
    while (x) {
        struct web_cache_ref *older = x->older;
        entry_free(x);
        x = older;
    }
    free(c->buckets);
    pthread_mutex_destroy(&c->lock);
    free(c);
}

void web_cache_free_value(void *c)
{
    web_cache_free(c);
}

/* The kept entry under key, or NULL (lock held). */
static struct web_cache_ref *find(web_cache *c, uint64_t hash, const void *key, size_t len)
{
    for (struct web_cache_ref *x = c->buckets[hash & (c->n_buckets - 1)]; x; x = x->next)
        if (x->hash == hash && x->key_len == len && memcmp(x->key, key, len) == 0)
            return x;
    return NULL;
}

/* Takes x out of the list of use (lock held). */
static void list_unlink(web_cache *c, struct web_cache_ref *x)
{
    if (x->newer)
        x->newer->older = x->older;
    else
        c->newest = x->older;
    if (x->older)
        x->older->newer = x->newer;
    else
        c->oldest = x->newer;
    x->newer = x->older = NULL;
}

/* Puts x first in the list of use (lock held). */
static void list_push(web_cache *c, struct web_cache_ref *x)
{
    x->newer = NULL;
    x->older = c->newest;
    if (c->newest)
        c->newest->newer = x;
    c->newest = x;
    if (!c->oldest)
        c->oldest = x;
}

/* Doubles the table when it holds more entries than buckets (lock held). */
static void maybe_grow(web_cache *c)
{
    if (c->count <= c->n_buckets)
        return;
    size_t n = c->n_buckets * 2;
    struct web_cache_ref **b = calloc(n, sizeof *b);
    if (!b)
        return;                              /* longer chains, still right */
    for (size_t i = 0; i < c->n_buckets; i++) {
        struct web_cache_ref *x = c->buckets[i];
        while (x) {
            struct web_cache_ref *next = x->next;
            x->next = b[x->hash & (n - 1)];
            b[x->hash & (n - 1)] = x;
            x = next;
        }
    }
    free(c->buckets);
    c->buckets = b;
    c->n_buckets = n;
}

/* Drops x from the table and the list (lock held). Returns 1 when nobody holds
 * it any more, so that the caller frees it once the lock is released. */
static int drop(web_cache *c, struct web_cache_ref *x)
{
    struct web_cache_ref **p = &c->buckets[x->hash & (c->n_buckets - 1)];
    while (*p != x)
        p = &(*p)->next;
    *p = x->next;
    x->next = NULL;
    list_unlink(c, x);
    x->kept = 0;
    c->count--;
    c->bytes -= x->size;
    c->evictions++;
    return x->refs == 0;
}

const void *web_cache_get(web_cache *c, const void *key, size_t key_len, web_cache_ref **ref)
{
    uint64_t hash = key_hash(key, key_len);
    pthread_mutex_lock(&c->lock);
    struct web_cache_ref *x = find(c, hash, key, key_len);
    if (x) {
        x->refs++;
        list_unlink(c, x);
        list_push(c, x);
        c->hits++;
    } else {
        c->misses++;
    }
    pthread_mutex_unlock(&c->lock);
    *ref = x;
    return x ? x->value : NULL;
}

const void *web_cache_put(web_cache *c, const void *key, size_t key_len, void *value, size_t size,
                          void (*release)(void *), web_cache_ref **ref)
{
    uint64_t hash = key_hash(key, key_len);
    size_t stored = key_len <= WEB_CACHE_KEY_MAX ? key_len : 0;
    struct web_cache_ref *x = cache_calloc(1, sizeof *x + stored);
    x->cache = c;
    x->value = value;
    x->release = release;
    x->size = size + sizeof *x + stored;
    x->hash = hash;
    x->refs = 1;
    x->key_len = stored;
    memcpy(x->key, key, stored);
    *ref = x;
    if (key_len > WEB_CACHE_KEY_MAX || x->size > c->budget)
        return value;                        /* lent, never kept */

    struct web_cache_ref *gone = NULL;       /* entries to free after unlocking */
    pthread_mutex_lock(&c->lock);
    struct web_cache_ref *there = find(c, hash, key, key_len);
    if (there) {                             /* another thread was first: theirs is lent */
        there->refs++;
        list_unlink(c, there);
        list_push(c, there);
        pthread_mutex_unlock(&c->lock);
        entry_free(x);
        *ref = there;
        return there->value;
    }
    struct web_cache_ref **bucket = &c->buckets[hash & (c->n_buckets - 1)];
    x->next = *bucket;
    *bucket = x;
    x->kept = 1;
    list_push(c, x);
    c->count++;
    c->bytes += x->size;
    while (c->bytes > c->budget && c->oldest && c->oldest != x) {
        struct web_cache_ref *old = c->oldest;
        if (drop(c, old)) {
            old->next = gone;
            gone = old;
        }
    }
    maybe_grow(c);
    pthread_mutex_unlock(&c->lock);
    while (gone) {
        struct web_cache_ref *next = gone->next;
        entry_free(gone);
        gone = next;
    }
    return value;
}

void web_cache_return(web_cache_ref *x)
{
    if (!x)
        return;
    web_cache *c = x->cache;
    pthread_mutex_lock(&c->lock);
    int last = --x->refs == 0 && !x->kept;
    pthread_mutex_unlock(&c->lock);
    if (last)
        entry_free(x);
}

void web_cache_return_value(void *ref)
{
    web_cache_return(ref);
}

void web_cache_stats_get(web_cache *c, web_cache_stats *out)
{
    pthread_mutex_lock(&c->lock);
    out->count = c->count;
    out->bytes = c->bytes;
    out->budget = c->budget;
    out->hits = c->hits;
    out->misses = c->misses;
    out->evictions = c->evictions;
    pthread_mutex_unlock(&c->lock);
}
