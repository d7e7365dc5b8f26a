/* common.c - helpers of the fuzz targets (see fuzz.h). */
#include "fuzz.h"
#include "cli.h"

#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static void demo_remove(void);

/* Prints the message and aborts; libFuzzer keeps the input that led here. */
void fuzz_fail(const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    fputs("fuzz: ", stderr);
    vfprintf(stderr, fmt, ap);
    fputc('\n', stderr);
    va_end(ap);
    demo_remove();      /* abort() skips atexit */
    abort();
}

/* Aborts unless e says something and names a place (see fuzz.h). */
void fuzz_check_err(const char *what, const err *e, const char *where)
{
    if (!e->message[0])
        fuzz_fail("%s refused the input with an empty message", what);
    if (where && strcmp(e->where, where) != 0)
        fuzz_fail("%s: the error names \"%s\", not the input \"%s\": %s", what, e->where, where, e->message);
    if (!e->where[0] && e->line <= 0 && !e->path[0])
        fuzz_fail("%s: the error names no place: %s", what, e->message);
    if (e->line < 0 || e->column < 0)
        fuzz_fail("%s: the error has a negative place %d:%d: %s", what, e->line, e->column, e->message);
}

/* Aborts unless a refusal came with errors, each one placed (see fuzz.h). */
void fuzz_check_refusal(const char *what, int refused, const err_list *errors, const char *where)
{
    if (refused && errors->count == 0 && errors->dropped == 0)
        fuzz_fail("%s refused the input without saying why", what);
    for (size_t i = 0; i < errors->count; i++)
        fuzz_check_err(what, &errors->items[i], where);
}

/* ---- The demo database ------------------------------------------------------ */

static char demo_dir[64];
static char demo_path[128];

/* Removes the demo database and its directory (atexit). */
static void demo_remove(void)
{
    static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };
    char path[160];
    if (!demo_dir[0])
        return;
    for (size_t i = 0; i < sizeof suffixes / sizeof suffixes[0]; i++) {
        snprintf(path, sizeof path, "%s%s", demo_path, suffixes[i]);
        unlink(path);
    }
    rmdir(demo_dir);
}

/* Makes the demo database once (itss demo, in this process) and returns its
 * path, which belongs to this file. */
const char *fuzz_demo_db(void)
{
    if (demo_path[0])
        return demo_path;
    snprintf(demo_dir, sizeof demo_dir, "/tmp/itss-fuzz-XXXXXX");
    if (!mkdtemp(demo_dir))
        fuzz_fail("cannot make a temporary directory");
    snprintf(demo_path, sizeof demo_path, "%s/demo.db", demo_dir);
    atexit(demo_remove);

    /* itss demo --db PATH, its summary sent to /dev/null */
    static const cli_command demo = { "demo", cli_demo_main, "", "" };
    char *argv[] = { "demo", "--db", demo_path, NULL };
    fflush(stdout);
    int saved = dup(1), null = open("/dev/null", O_WRONLY);
    if (saved >= 0 && null >= 0)
        dup2(null, 1);
    int rc = cli_demo_main(&demo, 3, argv);
    fflush(stdout);
    if (saved >= 0) {
        dup2(saved, 1);
        close(saved);
    }
    if (null >= 0)
        close(null);
    if (rc != 0)
        fuzz_fail("itss demo --db %s failed (%d)", demo_path, rc);
    return demo_path;
}
