/* replay.c - a main() for the fuzz targets without libFuzzer: runs
 * LLVMFuzzerTestOneInput once over every file named (directories: every file in
 * them), as libFuzzer's -runs=0 does over a corpus. tests/fuzz_smoke.sh links it
 * with each fuzz_*.c and the normal build's libitss.a (gcc, no clang needed), so
 * that the targets keep compiling and the seed and regression inputs keep
 * passing their checks in make check. Prints "INPUT: ok" per input; an input
 * that breaks a check aborts (fuzz_fail) and names itself first on stderr. */
#include "fuzz.h"

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* Runs the target over the file at path. Returns 0, or -1 when it cannot be read. */
static int replay_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fprintf(stderr, "replay: cannot open %s\n", path);
        return -1;
    }
    size_t cap = 4096, len = 0, n;
    unsigned char *data = malloc(cap);
    while (data && (n = fread(data + len, 1, cap - len, f)) > 0) {
        len += n;
        if (len == cap) {
            unsigned char *more = realloc(data, cap *= 2);
            if (!more)
                free(data);
            data = more;
        }
    }
    int failed = ferror(f) || !data;
    fclose(f);
    if (failed) {
        free(data);
        fprintf(stderr, "replay: cannot read %s\n", path);
        return -1;
    }
    /* exactly len bytes, so that a read past the input is a read past the buffer */
    unsigned char *exact = malloc(len ? len : 1);
    if (!exact) {
        free(data);
        return -1;
    }
    memcpy(exact, data, len);
    free(data);
    fprintf(stderr, "replay: %s\n", path);
    LLVMFuzzerTestOneInput(exact, len);
    free(exact);
    printf("%s: ok\n", path);
    return 0;
}

/* Runs the target over path: a file, or every file of a directory (sorted). */
static int replay_path(const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) {
        fprintf(stderr, "replay: no such file or directory: %s\n", path);
        return -1;
    }
    if (!S_ISDIR(st.st_mode))
        return replay_file(path);
    struct dirent **names;
    int n = scandir(path, &names, NULL, alphasort);
    if (n < 0) {
        fprintf(stderr, "replay: cannot read the directory %s\n", path);
        return -1;
    }
    int rc = 0;
    for (int i = 0; i < n; i++) {
        if (names[i]->d_name[0] != '.') {
            char file[4096];
            snprintf(file, sizeof file, "%s/%s", path, names[i]->d_name);
            if (replay_file(file) < 0)
                rc = -1;
        }
        free(names[i]);
    }
    free(names);
    return rc;
}

/* Prepares the target once, then runs it over every FILE or DIR named; 1 when one could not be read. */
int main(int argc, char **argv)
{
    if (argc < 2) {
        fprintf(stderr, "usage: %s FILE|DIR...\n", argv[0]);
        return 2;
    }
    LLVMFuzzerInitialize(&argc, &argv);
    int rc = 0;
    for (int i = 1; i < argc; i++)
        if (replay_path(argv[i]) < 0)
            rc = 1;
    return rc;
}
