/* web_static.c - the built-in files (CSS, JavaScript, images; the bytes are
 * build/web_static_files.c, made from web/static/): finding one, its content
 * type and its version (for cache busting). GET /static/ is web_routes.c's. */
#include "web.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

const char *web_static_type(const char *name)
{
    static const struct { const char *ext, *type; } types[] = {
        { ".css", "text/css; charset=utf-8" },
        { ".js", "text/javascript; charset=utf-8" },
        { ".svg", "image/svg+xml" },
        { ".png", "image/png" },
        { ".ico", "image/x-icon" },
        { ".woff2", "font/woff2" },
        { ".json", "application/json" },
        { ".txt", "text/plain; charset=utf-8" },
    };
    const char *dot = strrchr(name, '.');
    for (size_t i = 0; dot && i < sizeof types / sizeof types[0]; i++)
        if (strcmp(dot, types[i].ext) == 0)
            return types[i].type;
    return "application/octet-stream";
}

const web_static_file *web_static_find(const char *name)
{
    for (size_t i = 0; i < web_static_count; i++)
        if (strcmp(web_static_files[i].name, name) == 0)
            return &web_static_files[i];
    return NULL;
}

/* FNV-1a of each built-in file, computed once. */
static char (*static_versions)[9];
static pthread_once_t versions_once = PTHREAD_ONCE_INIT;

static void compute_versions(void)
{
    static_versions = calloc(web_static_count ? web_static_count : 1, sizeof *static_versions);
    if (!static_versions)
        abort();
    for (size_t i = 0; i < web_static_count; i++) {
        uint32_t h = 2166136261u;
        for (size_t j = 0; j < web_static_files[i].len; j++)
            h = (h ^ web_static_files[i].data[j]) * 16777619u;
        snprintf(static_versions[i], 9, "%08x", h);
    }
}

const char *web_static_version(const char *name)
{
    pthread_once(&versions_once, compute_versions);
    const web_static_file *f = web_static_find(name);
    return f ? static_versions[f - web_static_files] : "0";
}
