/* test_rt_regressions.c - replays every file of tests/fuzz/regressions
 * through the fuzzer's checks (tests/fuzz/fuzz_check.h), without libFuzzer:
 * ev_parse_any on the whole file and ev_parse_bare on the file from its
 * second byte, each with a 64 KiB arena, in strict mode, with a 64-byte
 * arena and with no arena; serialization at every buffer size; the
 * parse/serialize fixed point. One cmocka test per file.
 *
 * Files named known-bug-* reproduce defects of the generated code that are
 * not fixed yet (docs/fuzzing.md); like the known_bug_* tests of the other
 * suites, they are skipped unless EVG_KNOWN_BUGS is set in the environment.
 * Some of them are sanitizer reports, which end the process: run them one at
 * a time with build/tests/test_rt_regressions FILE... */
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
#include "fuzz/fuzz_check.h"

#define REGRESSIONS_DIR "tests/fuzz/regressions"
#define KNOWN_BUG_PREFIX "known-bug-"

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = NULL;
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
    /* Exactly n bytes on the heap, so ASan sees any read past the input. */
    char *exact = malloc(n ? n : 1);
    assert_non_null(exact);
    memcpy(exact, buf, n);
    free(buf);
    *len = n;
    return exact;
}

static void replay(void **state)
{
    const char *path = *state;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strncmp(base, KNOWN_BUG_PREFIX, strlen(KNOWN_BUG_PREFIX)) == 0 && !getenv("EVG_KNOWN_BUGS"))
        skip();
    size_t len;
    char *data = read_file(path, &len);
    if (!data)
        fail_msg("cannot read %s", path);
    fz_check_input((const uint8_t *)data, len);
    free(data);
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
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
        DIR *d = opendir(REGRESSIONS_DIR);
        if (!d) {
            fprintf(stderr, "cannot open %s (run from the repository root)\n", REGRESSIONS_DIR);
            return 1;
        }
        struct dirent *e;
        while ((e = readdir(d)) != NULL) {
            if (e->d_name[0] == '.')
                continue;
            if (n == cap)
                paths = realloc(paths, (cap = cap ? cap * 2 : 64) * sizeof *paths);
            size_t size = strlen(REGRESSIONS_DIR) + strlen(e->d_name) + 2;
            paths[n] = malloc(size);
            snprintf(paths[n], size, "%s/%s", REGRESSIONS_DIR, e->d_name);
            n++;
        }
        closedir(d);
        qsort(paths, n, sizeof *paths, by_name);
    }
    if (n == 0) {
        fprintf(stderr, "no inputs in %s\n", REGRESSIONS_DIR);
        return 1;
    }
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        const char *slash = strrchr(paths[i], '/');
        tests[i].name = slash ? slash + 1 : paths[i];
        tests[i].test_func = replay;
        tests[i].initial_state = paths[i];
    }
    int failed = _cmocka_run_group_tests("fuzz regressions", tests, n, NULL, NULL);
    free(tests);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    return failed;
}
