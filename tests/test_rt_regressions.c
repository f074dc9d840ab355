/* test_rt_regressions.c - replays the saved inputs of the fuzz targets
 * over the generated code through the targets' own checks, without
 * libFuzzer; one cmocka test per file:
 *   tests/fuzz/regressions/            fuzz_parse_any (tests/fuzz/fuzz_check.h):
 *       ev_parse_any on the whole file and ev_parse_bare on the file from
 *       its second byte, each with a 64 KiB arena, in strict mode, with a
 *       64-byte arena and with no arena; serialization at every buffer
 *       size; the parse/serialize fixed point;
 *   tests/fuzz/regressions-root/       fuzz_parse_root: the same checks over
 *       one event version's _parse and _parse_wire (fuzz_roots_check.h);
 *   tests/fuzz/regressions-roundtrip/  fuzz_roundtrip: a struct filled from
 *       the bytes, serialized, refused as injected or read back equal.
 * The per-event table is rendered by evgen from tests/fuzz/templates/ and
 * linked in (mk/fuzz.mk).
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
#include "fuzz/fuzz_roots_check.h"

/* Where each target's inputs are, and its check. */
typedef struct replay_dir {
    const char *dir;
    void (*check)(const uint8_t *data, size_t size);
} replay_dir;

static const replay_dir replay_dirs[] = {
    {"tests/fuzz/regressions", fz_check_input},
    {"tests/fuzz/regressions-root", fz_check_root_input},
    {"tests/fuzz/regressions-roundtrip", fz_check_roundtrip_input},
};
#define REPLAY_DIR_COUNT (sizeof replay_dirs / sizeof *replay_dirs)

/* One test: a file and the check it goes through. */
typedef struct replay_case {
    char *path;
    const replay_dir *dir;
} replay_case;
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
    const replay_case *c = *state;
    const char *path = c->path;
    const char *base = strrchr(path, '/') ? strrchr(path, '/') + 1 : path;
    if (strncmp(base, KNOWN_BUG_PREFIX, strlen(KNOWN_BUG_PREFIX)) == 0 && !getenv("EVG_KNOWN_BUGS"))
        skip();
    size_t len;
    char *data = read_file(path, &len);
    if (!data)
        fail_msg("cannot read %s", path);
    c->dir->check((const uint8_t *)data, len);
    free(data);
}

static int by_path(const void *a, const void *b)
{
    return strcmp(((const replay_case *)a)->path, ((const replay_case *)b)->path);
}

/* The directory whose target replays `path`: the one it is in, fuzz_parse_any's otherwise. */
static const replay_dir *dir_of(const char *path)
{
    const replay_dir *best = &replay_dirs[0];
    for (size_t i = 0; i < REPLAY_DIR_COUNT; i++) {
        const char *at = strstr(path, replay_dirs[i].dir);
        if (at && at[strlen(replay_dirs[i].dir)] == '/')
            best = &replay_dirs[i];
    }
    return best;
}

static void add_case(replay_case **cases, size_t *n, size_t *cap, char *path)
{
    if (*n == *cap) {
        *cap = *cap ? *cap * 2 : 64;
        *cases = realloc(*cases, *cap * sizeof **cases);
        if (!*cases)
            abort();
    }
    (*cases)[*n].path = path;
    (*cases)[*n].dir = dir_of(path);
    (*n)++;
}

int main(int argc, char **argv)
{
    replay_case *cases = NULL;
    size_t n = 0, cap = 0;
    if (argc > 1) {
        for (int i = 1; i < argc; i++)
            add_case(&cases, &n, &cap, strdup(argv[i]));
    } else {
        for (size_t k = 0; k < REPLAY_DIR_COUNT; k++) {
            DIR *d = opendir(replay_dirs[k].dir);
            if (!d) {
                fprintf(stderr, "cannot open %s (run from the repository root)\n", replay_dirs[k].dir);
                return 1;
            }
            struct dirent *e;
            while ((e = readdir(d)) != NULL) {
                if (e->d_name[0] == '.')
                    continue;
                size_t size = strlen(replay_dirs[k].dir) + strlen(e->d_name) + 2;
                char *path = malloc(size);
                snprintf(path, size, "%s/%s", replay_dirs[k].dir, e->d_name);
                add_case(&cases, &n, &cap, path);
            }
            closedir(d);
        }
        qsort(cases, n, sizeof *cases, by_path);
    }
    if (n == 0) {
        fprintf(stderr, "no inputs\n");
        return 1;
    }
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        /* Named with the directory's suffix: "root/x", "roundtrip/x", or "x". */
        const char *slash = strrchr(cases[i].path, '/');
        const char *dash = strstr(cases[i].path, "regressions-");
        tests[i].name = dash && dash < slash ? dash + strlen("regressions-") : slash ? slash + 1 : cases[i].path;
        tests[i].test_func = replay;
        tests[i].initial_state = &cases[i];
    }
    int failed = _cmocka_run_group_tests("fuzz regressions", tests, n, NULL, NULL);
    free(tests);
    for (size_t i = 0; i < n; i++)
        free(cases[i].path);
    free(cases);
    return failed;
}
