/* text.h - Unicode text: validation, NFKC folding, display width.
 *
 * Japanese text arrives in full-width and half-width spellings (２４時間 and
 * 24時間, ＩＴ and IT). Search and name lookups compare NFKC case-folded forms;
 * terminal tables count East Asian wide characters as two columns. Built on
 * utf8proc. */
#ifndef ITSS_TEXT_H
#define ITSS_TEXT_H

#include <stddef.h>

/* Returns 1 when s[0..len) is valid UTF-8 with no NUL byte; otherwise 0 and, when
 * bad is not NULL, the byte offset of the first bad sequence. */
int text_is_utf8(const char *s, size_t len, size_t *bad);

/* NFKC-normalized, case-folded copy of s for comparisons. Caller frees.
 * Returns NULL only when s is not valid UTF-8. */
char *text_fold(const char *s);

/* Columns s takes on a terminal: wide and full-width characters count 2,
 * combining marks 0, control characters 0. */
int text_width(const char *s);

/* Number of bytes of s that fit in `width` columns without cutting a character. */
size_t text_fit(const char *s, int width);

/* 1-based column (in characters) of byte offset `offset` within the line that
 * starts at line_start. */
int text_column(const char *line_start, size_t offset);

#endif
