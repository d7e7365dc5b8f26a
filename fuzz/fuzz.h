/* fuzz.h - what the fuzz targets under fuzz/ share (docs/fuzzing.md).
 *
 * Each fuzz_*.c is one libFuzzer target (LLVMFuzzerTestOneInput) over one
 * module's public API, built by `make fuzz` with clang -fsanitize=fuzzer,
 * address,undefined and linked with the project's sources (not main.c). Besides
 * "no crash, no leak, no undefined behaviour", the targets check the project's
 * rule for bad input: a refusal always comes with a message naming its place. */
#ifndef ITSS_FUZZ_H
#define ITSS_FUZZ_H

#include <stddef.h>
#include <stdint.h>
#include "err.h"

/* The entry points libFuzzer calls. */
int LLVMFuzzerInitialize(int *argc, char ***argv);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Aborts (so that libFuzzer keeps the input) with what broke the rule, when a
 * refusal (`refused` non-zero) came without an error, or with an error that names
 * no place or says nothing. what names the function for the report. */
void fuzz_check_refusal(const char *what, int refused, const err_list *errors, const char *where);
/* The same for one err. */
void fuzz_check_err(const char *what, const err *e, const char *where);

/* Aborts with a message (libFuzzer reports the input as a crash). */
void fuzz_fail(const char *fmt, ...) __attribute__((format(printf, 1, 2), noreturn));

/* A demo database (`itss demo`) made once per process in a temporary directory
 * that is removed at exit; returns its path. Aborts when it cannot be made. */
const char *fuzz_demo_db(void);

#endif
