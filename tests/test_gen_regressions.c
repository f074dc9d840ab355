/* test_gen_regressions.c - replays the saved inputs of the fuzz targets
 * over evgen itself through the targets' own checks (tests/fuzz/
 * fuzz_gen_check.h), without libFuzzer; one cmocka test per file:
 *   tests/fuzz/regressions-catalog/   fuzz_catalog: YAML through the loader,
 *       the checks, the C model and, when accepted, code generation;
 *   tests/fuzz/regressions-template/  fuzz_template: a NUL-separated
 *       template set parsed, checked and rendered against a fixed context.
 * Files named known-bug-* are skipped unless EVG_KNOWN_BUGS is set. Run
 * some files only: build/tests/test_gen_regressions FILE... (a path with
 * "regressions-template" in it is a template set, any other a catalog). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define FZ_FAIL(...) fail_msg(__VA_ARGS__)
#include "fuzz/fuzz_gen_check.h"

#define CATALOG_DIR "tests/fuzz/regressions-catalog"
#define TEMPLATE_DIR "tests/fuzz/regressions-template"
#define KNOWN_BUG_PREFIX "known-bug-"

static unsigned char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    unsigned char *buf = NULL;
    size_t cap = 0, n = 0, got;
    do {
        if (cap - n < 4096) {
            cap = cap ? cap * 2 : 65536;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
        got = fread(buf + n, 1, cap - n, f);
        n += got;
    } while (got > 0);
    fclose(f);
    *len = n;
    return buf;
}

static void replay(void **state)
{
    const char *path = *state;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strncmp(base, KNOWN_BUG_PREFIX, strlen(KNOWN_BUG_PREFIX)) == 0 && !getenv("EVG_KNOWN_BUGS"))
        skip();
    size_t len;
    unsigned char *data = read_all(path, &len);
    if (!data)
        fail_msg("cannot read %s", path);
    /* The checks copy the bytes into blocks of their exact size themselves. */
    if (strstr(path, "regressions-template"))
        fz_check_template_input(data, len);
    else
        fz_check_catalog_input(data, len);
    free(data);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void add_dir(const char *dir, char ***paths, size_t *n, size_t *cap)
{
    DIR *d = opendir(dir);
    if (!d) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", dir);
        exit(1);
    }
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (*n == *cap) {
            *cap = *cap ? *cap * 2 : 64;
            *paths = realloc(*paths, *cap * sizeof **paths);
            if (!*paths)
                abort();
        }
        size_t size = strlen(dir) + strlen(e->d_name) + 2;
        (*paths)[*n] = malloc(size);
        snprintf((*paths)[*n], size, "%s/%s", dir, e->d_name);
        (*n)++;
    }
    closedir(d);
}

int main(int argc, char **argv)
{
    char **paths = NULL;
    size_t n = 0, cap = 0;
    if (argc > 1) {
        paths = calloc((size_t)argc, sizeof *paths);
        for (int i = 1; i < argc; i++)
            paths[n++] = strdup(argv[i]);
    } else {
        add_dir(CATALOG_DIR, &paths, &n, &cap);
        add_dir(TEMPLATE_DIR, &paths, &n, &cap);
        qsort(paths, n, sizeof *paths, by_name);
    }
    if (n == 0) {
        fprintf(stderr, "no inputs\n");
        return 1;
    }
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        const char *dash = strstr(paths[i], "regressions-");
        tests[i].name = dash ? dash + strlen("regressions-") : paths[i];
        tests[i].test_func = replay;
        tests[i].initial_state = paths[i];
    }
    int failed = _cmocka_run_group_tests("evgen fuzz regressions", tests, n, NULL, NULL);
    free(tests);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return failed;
}
