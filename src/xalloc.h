/* xalloc.h - memory that is there or the program stops: the one allocator family.
 *
 * The policy, for every module of itss: running out of memory is not an error a
 * caller handles, it ends the program. These functions print "itss: out of
 * memory" on stderr and abort() when the C library cannot allocate, so callers
 * never test their result for NULL and no module carries an "out of memory" path
 * of its own. A half-built record is worse than none (an assessment missing some
 * answers would give a wrong level), and a process that cannot allocate a few
 * bytes cannot write a reliable error either; a transaction open at that moment
 * is rolled back by the database. Sizes of 0 allocate 1 byte, so the result is
 * never NULL. Who frees what is said where the memory is handed out. */
#ifndef ITSS_XALLOC_H
#define ITSS_XALLOC_H

#include <stddef.h>

/* n bytes, zeroed. */
void *xmalloc(size_t n);

/* count elements of size bytes, zeroed; aborts when count * size overflows. */
void *xcalloc(size_t count, size_t size);

/* p (NULL allowed) grown or shrunk to n bytes; what is added is not zeroed. */
void *xrealloc(void *p, size_t n);

/* A copy of s; NULL stays NULL. */
char *xstrdup(const char *s);

/* A copy of the first n bytes of s (fewer when s ends before), NUL-terminated. */
char *xstrndup(const char *s, size_t n);

/* Prints "itss: out of memory" and aborts; for the rare allocation made by a
 * library (jansson, SQLite) that reports failure with NULL. */
void xalloc_failed(void) __attribute__((noreturn));

#endif
