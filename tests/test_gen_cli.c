/* test_gen_cli.c - evgen's command line: exit codes, messages, and that a
 * failed run writes nothing. Drives the evgen of this suite's build
 * (BUILD/tests/test_gen_cli runs BUILD/evgen-san, or BUILD/evgen; "build"
 * when run by another name) and skips when neither is built. Run from the
 * repository root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "version.h"

typedef struct cli {
    const char *evgen;
    char tmp[64];
    char out[128], err[128];
} cli;

/* The build directory this suite belongs to; set by main from argv[0]. */
static char build_dir[256] = "build";

static int setup(void **state)
{
    static cli c;
    static char sanitized[300], plain[300];
    snprintf(sanitized, sizeof sanitized, "%s/evgen-san", build_dir);
    snprintf(plain, sizeof plain, "%s/evgen", build_dir);
    c.evgen = access(sanitized, X_OK) == 0 ? sanitized
              : access(plain, X_OK) == 0   ? plain
                                           : NULL;
    snprintf(c.tmp, sizeof c.tmp, "/tmp/evgen-cli-XXXXXX");
    if (!mkdtemp(c.tmp))
        return -1;
    snprintf(c.out, sizeof c.out, "%s/stdout", c.tmp);
    snprintf(c.err, sizeof c.err, "%s/stderr", c.tmp);
    *state = &c;
    return 0;
}

static int teardown(void **state)
{
    cli *c = *state;
    char cmd[128];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", c->tmp);
    return system(cmd) == 0 ? 0 : -1;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    assert_non_null(f);
    size_t cap = 1 << 20;
    char *buf = malloc(cap);
    assert_non_null(buf);
    size_t n = fread(buf, 1, cap - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

/* Runs evgen with `args`; returns its exit status. */
static int run(cli *c, const char *args)
{
    if (!c->evgen)
        skip();
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "%s %s >%s 2>%s", c->evgen, args, c->out, c->err);
    int rc = system(cmd);
    assert_true(WIFEXITED(rc));
    return WEXITSTATUS(rc);
}

static void expect_stderr(cli *c, const char *want)
{
    char *got = slurp(c->err);
    assert_string_equal(got, want);
    free(got);
}

static void test_version_and_help(void **state)
{
    cli *c = *state;
    assert_int_equal(run(c, "--version"), 0);
    char *out = slurp(c->out);
    assert_string_equal(out, "evgen " EVGEN_VERSION "\n");
    free(out);
    assert_int_equal(run(c, "--help"), 0);
    out = slurp(c->out);
    assert_non_null(strstr(out, "Usage: evgen [options] CATALOG"));
    free(out);
    assert_int_equal(run(c, "-h"), 0);
}

static void test_usage_errors(void **state)
{
    cli *c = *state;
    static const struct {
        const char *args, *message;
    } cases[] = {
        {"", "no catalog given"},
        {"--frobnicate catalog.yaml", "unknown option '--frobnicate'"},
        {"-x catalog.yaml", "unknown option '-x'"},
        {"catalog.yaml -o", "option '-o' needs an argument"},
        {"catalog.yaml --depfile", "option '--depfile' needs an argument"},
        {"--templates= catalog.yaml", "option '--templates' needs a non-empty argument"},
        {"--check=yes catalog.yaml", "option '--check' takes no argument"},
        {"a.yaml b.yaml", "more than one catalog given ('a.yaml' and 'b.yaml')"},
        {"--dump --check catalog.yaml", "--dump cannot be combined with --check"},
        {"--prefix evg catalog.yaml", "--prefix 'evg' must match [a-z][a-z0-9_]*, be at most 32 "
                                      "bytes, not end in '_' and not be 'evg' or start with 'evg_'"},
        {"--prefix Shop catalog.yaml", "--prefix 'Shop' must match [a-z][a-z0-9_]*, be at most 32 "
                                       "bytes, not end in '_' and not be 'evg' or start with 'evg_'"},
        {"--emit doc catalog.yaml", "--emit 'doc': expected c, jsonschema or docs"},
        {"--emit jsonschema --prefix x catalog.yaml", "--emit jsonschema takes no --prefix"},
        {"--prefix evg_x catalog.yaml", "--prefix 'evg_x' must match [a-z][a-z0-9_]*, be at most 32 "
                                        "bytes, not end in '_' and not be 'evg' or start with 'evg_'"},
        {"--prefix shop_ catalog.yaml", "--prefix 'shop_' must match [a-z][a-z0-9_]*, be at most 32 "
                                        "bytes, not end in '_' and not be 'evg' or start with 'evg_'"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
        assert_int_equal(run(c, cases[i].args), 2);
        char want[256];
        snprintf(want, sizeof want, "evgen: %s\nTry 'evgen --help' for more information.\n",
                 cases[i].message);
        expect_stderr(c, want);
    }
}

static void test_bad_catalog_writes_nothing(void **state)
{
    cli *c = *state;
    char args[512];
    snprintf(args, sizeof args, "-o %s/gen --depfile %s/gen.d tests/bad/shape-cycle.yaml",
             c->tmp, c->tmp);
    assert_int_equal(run(c, args), 1);
    char *err = slurp(c->err);
    assert_non_null(strstr(err, "tests/bad/shape-cycle.yaml:"));
    assert_non_null(strstr(err, "error: shape cycle: a -> b -> a\n"));
    free(err);
    char path[256];
    snprintf(path, sizeof path, "%s/gen", c->tmp);
    assert_int_not_equal(access(path, F_OK), 0);
    snprintf(path, sizeof path, "%s/gen.d", c->tmp);
    assert_int_not_equal(access(path, F_OK), 0);

    assert_int_equal(run(c, "/nonexistent/catalog.yaml"), 1);
    expect_stderr(c, "/nonexistent/catalog.yaml: error: cannot open catalog: No such file or "
                     "directory\n");
}

static void test_dump(void **state)
{
    cli *c = *state;
    assert_int_equal(run(c, "--dump catalog.yaml"), 0);
    char *out = slurp(c->out);
    assert_memory_equal(out, "{\n  \"products\": [\n", 18);
    assert_non_null(strstr(out, "\"name\": \"aw-interaction-wrap-up-codes-v1\""));
    free(out);
    expect_stderr(c, "");
}

/* The C names are part of checking: --dump refuses a catalog whose names
 * clash in C exactly as generation does, with the same messages. */
static void test_dump_checks_c_names(void **state)
{
    cli *c = *state;
    char args[512];
    assert_int_equal(run(c, "--dump tests/bad/c-name-collision.yaml"), 1);
    char *dump_err = slurp(c->err);
    char *dump_out = slurp(c->out);
    assert_string_equal(dump_out, "");
    assert_non_null(strstr(dump_err, "'EV_X_1_0_0_SERIALIZED_MAX'"));
    snprintf(args, sizeof args, "-o %s/clash tests/bad/c-name-collision.yaml", c->tmp);
    assert_int_equal(run(c, args), 1);
    char *gen_err = slurp(c->err);
    assert_string_equal(gen_err, dump_err);
    free(dump_err);
    free(dump_out);
    free(gen_err);
    /* Under another prefix the names differ, and so do the messages. */
    assert_int_equal(run(c, "--dump --prefix shop tests/bad/c-name-collision.yaml"), 1);
    char *shop_err = slurp(c->err);
    assert_non_null(strstr(shop_err, "'SHOP_X_1_0_0_SERIALIZED_MAX'"));
    free(shop_err);
}

static void test_generate_then_check(void **state)
{
    cli *c = *state;
    char args[512];
    snprintf(args, sizeof args, "--check -o %s/gen catalog.yaml", c->tmp);
    int rc = run(c, args);
    char *err = slurp(c->err);
    if (rc == 0) {
        /* A back end that generates no file: nothing can be out of date. */
        assert_string_equal(err, "");
        free(err);
        return;
    }
    assert_int_equal(rc, 1);
    assert_non_null(strstr(err, "/gen/"));
    assert_non_null(strstr(err, ": missing\n"));
    free(err);

    snprintf(args, sizeof args, "-o %s/gen --depfile %s/gen.d catalog.yaml", c->tmp, c->tmp);
    assert_int_equal(run(c, args), 0);
    expect_stderr(c, "");
    snprintf(args, sizeof args, "--check -o %s/gen catalog.yaml", c->tmp);
    assert_int_equal(run(c, args), 0);
    expect_stderr(c, "");

    char path[256];
    snprintf(path, sizeof path, "%s/gen.d", c->tmp);
    char *dep = slurp(path);
    assert_non_null(strstr(dep, ": \\\n catalog.yaml"));
    free(dep);

    /* The output depends on what the catalog says, not on how it is named
     * or on its comments: the same catalog by an absolute path, and a copy
     * in another directory with a comment added, are both up to date. */
    char cwd[512];
    assert_non_null(getcwd(cwd, sizeof cwd));
    char big[1200];
    snprintf(big, sizeof big, "--check -o %s/gen %s/catalog.yaml", c->tmp, cwd);
    assert_int_equal(run(c, big), 0);
    expect_stderr(c, "");
    snprintf(path, sizeof path, "%s/copy", c->tmp);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(big, sizeof big, "cp catalog.yaml %s/copy/catalog.yaml && echo '# a comment' >> %s/copy/catalog.yaml",
             c->tmp, c->tmp);
    assert_int_equal(system(big), 0);
    snprintf(big, sizeof big, "--check -o %s/gen %s/copy/catalog.yaml", c->tmp, c->tmp);
    assert_int_equal(run(c, big), 0);
    expect_stderr(c, "");
}

/* An output that cannot be written (a directory holds the place of the
 * last file that changes): evgen exits 1 and no file is changed, whether
 * it came before or after that one; no temporary file is left. */
static void test_unwritable_output_changes_nothing(void **state)
{
    cli *c = *state;
    char args[512], cmd[1024];
    snprintf(args, sizeof args, "-o %s/set examples/shop/catalog.yaml", c->tmp);
    assert_int_equal(run(c, args), 0);
    snprintf(cmd, sizeof cmd,
             "cd %s/set && rm events.h && mkdir events.h && touch -d 2001-09-09 * && "
             "cp -Rp . ../before", c->tmp);
    assert_int_equal(system(cmd), 0);
    snprintf(args, sizeof args, "-o %s/set --depfile %s/set.d catalog.yaml", c->tmp, c->tmp);
    assert_int_equal(run(c, args), 1);
    /* Same names, bytes and dates, nothing else; no depfile either. */
    snprintf(cmd, sizeof cmd,
             "cd %s && diff -r before set && "
             "test \"$(ls -lA --time-style=+%%s before)\" = \"$(ls -lA --time-style=+%%s set)\" && "
             "test ! -e set.d", c->tmp);
    assert_int_equal(system(cmd), 0);
    char want[512];
    snprintf(want, sizeof want, "%s/set/events.h: error: cannot replace a directory with a file\n",
             c->tmp);
    expect_stderr(c, want);
}

/* A UTF-8 byte order mark at the start changes nothing: catalog.yaml with
 * one, right before its first key (its opening comments dropped: they hid
 * the mark's column from libyaml), generates exactly what it does. */
static void test_bom_catalog_same_output(void **state)
{
    cli *c = *state;
    char args[512], cmd[1024];
    snprintf(args, sizeof args, "-o %s/bom-ref catalog.yaml", c->tmp);
    assert_int_equal(run(c, args), 0);
    snprintf(cmd, sizeof cmd,
             "mkdir %s/bom && { printf '\\357\\273\\277'; "
             "awk 'started || !/^(#|$)/ { started = 1; print }' catalog.yaml; } >%s/bom/catalog.yaml",
             c->tmp, c->tmp);
    assert_int_equal(system(cmd), 0);
    snprintf(args, sizeof args, "--check -o %s/bom-ref %s/bom/catalog.yaml", c->tmp, c->tmp);
    assert_int_equal(run(c, args), 0);
    expect_stderr(c, "");
}

/* BUILD/tests/test_gen_cli -> BUILD. */
static void find_build_dir(const char *argv0)
{
    static const char suffix[] = "/tests/";
    const char *cut = strrchr(argv0, '/');
    if (!cut || (size_t)(cut - argv0) + 1 < sizeof suffix - 1)
        return;
    const char *tests = cut + 1 - (sizeof suffix - 1);
    if (memcmp(tests, suffix, sizeof suffix - 1) != 0)
        return;
    size_t n = (size_t)(tests - argv0);
    if (n == 0 || n >= sizeof build_dir)
        return;
    memcpy(build_dir, argv0, n);
    build_dir[n] = '\0';
}

int main(int argc, char **argv)
{
    if (argc > 0)
        find_build_dir(argv[0]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_version_and_help),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_bad_catalog_writes_nothing),
        cmocka_unit_test(test_dump),
        cmocka_unit_test(test_dump_checks_c_names),
        cmocka_unit_test(test_generate_then_check),
        cmocka_unit_test(test_unwritable_output_changes_nothing),
        cmocka_unit_test(test_bom_catalog_same_output),
    };
    return cmocka_run_group_tests_name("evgen command line", tests, setup, teardown);
}
