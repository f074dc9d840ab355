/* test_gen_bad_catalogs.c - every catalog in tests/bad/ must fail with
 * exactly the diagnostics its "# expect: " comment lines give, in order.
 * Inputs too big or too regular to commit (deep nesting, huge files) are
 * generated here. Run from the repository root. */
#include <dirent.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_check.h"
#include "catalog_load.h"
#include "cmodel.h"
#include "diag.h"
#include "yaml_tree.h"

#define BAD_DIR "tests/bad"

/* Loads and checks bytes as catalog `path`; returns whether that passed
 * and the diagnostics printed (malloc'ed, caller frees). */
static bool run_front_end(const char *path, const char *bytes, size_t len, char **text)
{
    size_t tlen;
    FILE *f = open_memstream(text, &tlen);
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    d.max_errors = 0; /* every message, even past the usual cut-off */
    catalog *c = catalog_load(path, bytes, len, &d);
    /* The C model's naming pass is part of checking a catalog (evgen
     * --dump runs it too). */
    if (c)
        catalog_check(c, &d);
    if (c && d.error_count == 0) {
        cmodel m;
        cmodel_build(c, "ev", &m, &d);
        cmodel_free(&m);
    }
    bool ok = c && d.error_count == 0;
    catalog_free(c);
    fclose(f);
    return ok;
}

static char *read_all(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            cap *= 2;
            buf = realloc(buf, cap);
            assert_non_null(buf);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

/* The "# expect: " lines of a file, joined with newlines. */
static char *expected_of(const char *bytes, size_t len)
{
    static const char tag[] = "# expect: ";
    char *out = calloc(1, len + 1);
    assert_non_null(out);
    size_t o = 0;
    for (size_t i = 0; i < len;) {
        const char *nl = memchr(bytes + i, '\n', len - i);
        size_t end = nl ? (size_t)(nl - bytes) : len;
        if (end - i >= sizeof tag - 1 && memcmp(bytes + i, tag, sizeof tag - 1) == 0) {
            size_t n = end - i - (sizeof tag - 1);
            memcpy(out + o, bytes + i + sizeof tag - 1, n);
            o += n;
            out[o++] = '\n';
        }
        i = end + 1;
    }
    out[o] = '\0';
    return out;
}

static void test_bad_file(void **state)
{
    const char *path = *state;
    size_t len;
    char *bytes = read_all(path, &len);
    char *want = expected_of(bytes, len);
    if (!*want)
        fail_msg("%s has no '# expect: ' lines", path);
    char *got;
    bool ok = run_front_end(path, bytes, len, &got);
    if (strcmp(got, want) != 0)
        fail_msg("%s: diagnostics differ\n--- expected\n%s--- got\n%s", path, want, got);
    assert_false(ok);
    free(got);
    free(want);
    free(bytes);
}

/* MARK: generated inputs */

static char *repeat(const char *head, const char *unit, size_t times, const char *tail,
                    size_t *len)
{
    size_t hl = strlen(head), ul = strlen(unit), tl = strlen(tail);
    *len = hl + ul * times + tl;
    char *s = malloc(*len + 1);
    assert_non_null(s);
    memcpy(s, head, hl);
    for (size_t i = 0; i < times; i++)
        memcpy(s + hl + i * ul, unit, ul);
    memcpy(s + hl + ul * times, tail, tl + 1);
    return s;
}

static double seconds_since(const struct timespec *t0)
{
    struct timespec t1;
    clock_gettime(CLOCK_MONOTONIC, &t1);
    return (double)(t1.tv_sec - t0->tv_sec) + (double)(t1.tv_nsec - t0->tv_nsec) / 1e9;
}

/* [[[[...: the container at depth 65 is refused (the root mapping is depth 1). */
static void test_deep_flow_nesting(void **state)
{
    (void)state;
    size_t n1, n2;
    char *open = repeat("format: 1\nevents: ", "[", 100000, "", &n1);
    char *close = repeat("", "]", 100000, "\n", &n2);
    char *text = malloc(n1 + n2 + 1);
    assert_non_null(text);
    memcpy(text, open, n1);
    memcpy(text + n1, close, n2 + 1);
    char *got;
    assert_false(run_front_end("deep.yaml", text, n1 + n2, &got));
    /* "events: " is 8 columns; the k-th '[' is at column 8 + k, depth k + 1. */
    assert_string_equal(got, "deep.yaml:2:72: error: nesting is too deep (limit 64 levels)\n");
    free(got);
    free(text);
    free(open);
    free(close);
}

/* Exactly 64 levels is still a tree; the loader then says what is wrong. */
static void test_nesting_at_limit(void **state)
{
    (void)state;
    size_t n1, n2;
    char *open = repeat("format: 1\nevents: ", "[", 63, "", &n1);
    char *close = repeat("", "]", 63, "\n", &n2);
    char *text = malloc(n1 + n2 + 1);
    assert_non_null(text);
    memcpy(text, open, n1);
    memcpy(text + n1, close, n2 + 1);
    ytree t = {0};
    diag d;
    diag_init(&d, stderr);
    assert_true(ytree_parse(&t, "deep.yaml", text, n1 + n2, &d));
    assert_int_equal(d.error_count, 0);
    ytree_free(&t);
    free(text);
    free(open);
    free(close);
}

static void test_too_many_nodes(void **state)
{
    (void)state;
    size_t len;
    char *text = repeat("format: 1\nevents: [", "0,", YTREE_MAX_NODES, "0]\n", &len);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *got;
    assert_false(run_front_end("wide.yaml", text, len, &got));
    assert_non_null(strstr(got, "error: catalog has too many YAML nodes (limit 1000000)\n"));
    assert_true(seconds_since(&t0) < 20.0);
    free(got);
    free(text);
}

/* 20 MB on disk: refused from its size, without being read. */
static void test_huge_file_rejected_quickly(void **state)
{
    (void)state;
    char path[] = "/tmp/evgen-huge-XXXXXX";
    int fd = mkstemp(path);
    assert_true(fd >= 0);
    assert_int_equal(ftruncate(fd, 20 * 1000 * 1000), 0);
    close(fd);

    size_t tlen;
    char *got;
    FILE *f = open_memstream(&got, &tlen);
    diag d;
    diag_init(&d, f);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    catalog *c = catalog_load_file(path, &d);
    double secs = seconds_since(&t0);
    fclose(f);
    unlink(path);
    assert_null(c);
    char want[256];
    snprintf(want, sizeof want, "%s: error: catalog is too large (20000000 bytes, limit 16 MiB)\n",
             path);
    assert_string_equal(got, want);
    assert_true(secs < 1.0);
    free(got);
}

/* The same limit when the bytes come from memory. */
static void test_huge_buffer_rejected(void **state)
{
    (void)state;
    size_t len = YTREE_MAX_BYTES + 1;
    char *text = malloc(len);
    assert_non_null(text);
    memset(text, '#', len);
    char *got;
    assert_false(run_front_end("big.yaml", text, len, &got));
    assert_string_equal(got, "big.yaml: error: catalog is too large (16777217 bytes, limit 16 MiB)\n");
    free(got);
    free(text);
}

/* Many duplicate keys: found in O(n log n), all reported. */
static void test_many_duplicate_keys(void **state)
{
    (void)state;
    size_t len;
    char *text = repeat("format: 1\nevents: []\nshapes:\n", "  a: {properties: {x: string}}\n",
                        100000, "", &len);
    struct timespec t0;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    char *got;
    assert_false(run_front_end("dups.yaml", text, len, &got));
    assert_true(seconds_since(&t0) < 20.0);
    /* One line per duplicate (counted without strstr: ASan's strstr
     * measures the whole haystack on every call). */
    size_t lines = 0;
    for (const char *p = got; (p = strchr(p, '\n')); p++)
        lines++;
    assert_int_equal(lines, 99999 + 1); /* and "'events' is empty" */
    assert_memory_equal(got, "dups.yaml:5:3: error: duplicate shape 'a' (first defined at line 4)\n",
                        sizeof "dups.yaml:5:3: error: duplicate shape 'a' (first defined at line 4)\n" - 1);
    free(got);
    free(text);
}

static void test_empty_input(void **state)
{
    (void)state;
    char *got;
    assert_false(run_front_end("nothing.yaml", "", 0, &got));
    assert_string_equal(got, "nothing.yaml: error: catalog is empty\n");
    free(got);
    assert_false(run_front_end("blank.yaml", "\n\n  \n", 5, &got));
    assert_string_equal(got, "blank.yaml: error: catalog is empty\n");
    free(got);
    assert_false(run_front_end("doc.yaml", "---\n...\n", 8, &got));
    assert_string_equal(got, "doc.yaml: error: catalog is empty\n");
    free(got);
}

static void test_utf16_named(void **state)
{
    (void)state;
    char *got;
    assert_false(run_front_end("u16.yaml", "\xff\xfe" "f\0o\0", 6, &got));
    assert_string_equal(got, "u16.yaml:1:1: error: invalid UTF-8 (byte 0xff); the catalog must "
                             "be UTF-8 text (this file looks like UTF-16)\n");
    free(got);
}

static void test_nul_and_control_characters(void **state)
{
    (void)state;
    char *got;
    static const char nul[] = "format: \"a\\0b\"\n";
    assert_false(run_front_end("nul.yaml", nul, sizeof nul - 1, &got));
    assert_string_equal(got, "nul.yaml:1:9: error: NUL characters are not allowed in strings\n");
    free(got);
    static const char ctl[] = "format: 1\nx: a\x01\n";
    assert_false(run_front_end("ctl.yaml", ctl, sizeof ctl - 1, &got));
    assert_string_equal(got, "ctl.yaml:2:5: error: control character U+0001 is not allowed\n");
    free(got);
}

/* MARK: main */

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

int main(void)
{
    DIR *dir = opendir(BAD_DIR);
    if (!dir) {
        fprintf(stderr, "cannot open %s (run from the repository root)\n", BAD_DIR);
        return 1;
    }
    size_t n = 0, cap = 64;
    char **paths = malloc(cap * sizeof *paths);
    struct dirent *de;
    while ((de = readdir(dir))) {
        size_t l = strlen(de->d_name);
        if (l < 6 || strcmp(de->d_name + l - 5, ".yaml") != 0)
            continue;
        if (n == cap)
            paths = realloc(paths, (cap *= 2) * sizeof *paths);
        paths[n] = malloc(sizeof BAD_DIR + l + 1);
        sprintf(paths[n++], "%s/%s", BAD_DIR, de->d_name);
    }
    closedir(dir);
    qsort(paths, n, sizeof *paths, cmp_str);

    static const struct CMUnitTest fixed[] = {
        cmocka_unit_test(test_deep_flow_nesting),
        cmocka_unit_test(test_nesting_at_limit),
        cmocka_unit_test(test_too_many_nodes),
        cmocka_unit_test(test_huge_file_rejected_quickly),
        cmocka_unit_test(test_huge_buffer_rejected),
        cmocka_unit_test(test_many_duplicate_keys),
        cmocka_unit_test(test_empty_input),
        cmocka_unit_test(test_utf16_named),
        cmocka_unit_test(test_nul_and_control_characters),
    };
    size_t nfixed = sizeof fixed / sizeof fixed[0];
    struct CMUnitTest *tests = calloc(n + nfixed, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        tests[i].name = paths[i];
        tests[i].test_func = test_bad_file;
        tests[i].initial_state = paths[i];
    }
    memcpy(tests + n, fixed, sizeof fixed);
    int failed = 0;
    if (n == 0) {
        fprintf(stderr, "no catalogs in %s\n", BAD_DIR);
        failed = 1;
    }
    failed += _cmocka_run_group_tests("bad catalogs", tests, n + nfixed, NULL, NULL);
    for (size_t i = 0; i < n; i++)
        free(paths[i]);
    free(paths);
    free(tests);
    return failed ? 1 : 0;
}
