/* xalloc.c - the one allocator family: memory or abort (see xalloc.h). */
#include "xalloc.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Says why and stops. */
void xalloc_failed(void)
{
    fputs("itss: out of memory\n", stderr);
    abort();
}

/* n zeroed bytes; the caller frees them. */
void *xmalloc(size_t n)
{
    void *p = calloc(1, n ? n : 1);
    if (!p)
        xalloc_failed();
    return p;
}

/* count * size zeroed bytes; the caller frees them. */
void *xcalloc(size_t count, size_t size)
{
    if (size && count > SIZE_MAX / size)
        xalloc_failed();
    return xmalloc(count * size);
}

/* p resized to n bytes; the caller frees the result (p is no longer valid). */
void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n ? n : 1);
    if (!q)
        xalloc_failed();
    return q;
}

/* A heap copy of s (NULL stays NULL); the caller frees it. */
char *xstrdup(const char *s)
{
    return s ? xstrndup(s, strlen(s)) : NULL;
}

/* A heap copy of at most n bytes of s; the caller frees it. */
char *xstrndup(const char *s, size_t n)
{
    size_t len = strnlen(s, n);
    char *d = xmalloc(len + 1);
    memcpy(d, s, len);
    d[len] = '\0';
    return d;
}
