/* test_gen_output.c - output.c: output sets written all or nothing
 * (failures, a failed first rename, and SIGINT, SIGTERM, SIGHUP or
 * SIGQUIT part-way change nothing and leave no temporary file or
 * directory), write-if-changed, --check and the files a set no longer
 * writes, depfiles. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cmocka.h>

#include "codegen.h"
#include "diag.h"
#include "output.h"

/* A fresh directory under /tmp per test, removed afterwards. */
static int make_tmp(void **state)
{
    char *dir = strdup("/tmp/evgen-output-XXXXXX");
    if (!dir || !mkdtemp(dir))
        return -1;
    *state = dir;
    return 0;
}

static int remove_tmp(void **state)
{
    char cmd[256];
    snprintf(cmd, sizeof cmd, "rm -rf '%s'", (char *)*state);
    int rc = system(cmd);
    free(*state);
    return rc == 0 ? 0 : -1;
}

static char *path_in(const char *dir, const char *name)
{
    size_t n = strlen(dir) + strlen(name) + 2;
    char *p = malloc(n);
    assert_non_null(p);
    snprintf(p, n, "%s/%s", dir, name);
    return p;
}

static char *slurp(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    char *buf = calloc(1, 1 << 16);
    assert_non_null(buf);
    size_t n = fread(buf, 1, (1 << 16) - 1, f);
    buf[n] = '\0';
    fclose(f);
    return buf;
}

static void set_old_mtime(const char *path)
{
    struct timespec ts[2] = {{1000000000, 0}, {1000000000, 0}};
    assert_int_equal(utimensat(AT_FDCWD, path, ts, 0), 0);
}

static time_t mtime_of(const char *path)
{
    struct stat st;
    assert_int_equal(stat(path, &st), 0);
    return st.st_mtime;
}

/* Names in a directory other than . and .., counted. */
static size_t entries(const char *dir)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0;
    struct dirent *de;
    while ((de = readdir(d)))
        if (strcmp(de->d_name, ".") && strcmp(de->d_name, ".."))
            n++;
    closedir(d);
    return n;
}

static gen_file files2[] = {
    {"events.h", "#pragma once\n", 13},
    {"events.c", "int x;\n", 7},
};

static void test_write_creates_and_keeps_mtime(void **state)
{
    const char *tmp = *state;
    char *dir = path_in(tmp, "gen/sub");
    gen_output out = {files2, 2, NULL, 0};
    diag d;
    diag_init(&d, stderr);
    assert_true(output_write(&out, dir, &d));
    assert_int_equal(d.error_count, 0);
    char *h = path_in(dir, "events.h"), *c = path_in(dir, "events.c");
    char *text = slurp(h);
    assert_string_equal(text, "#pragma once\n");
    free(text);
    struct stat st;
    assert_int_equal(stat(c, &st), 0);
    mode_t mask = umask(0);
    umask(mask);
    assert_int_equal(st.st_mode & 0777, 0666 & ~mask);
    assert_int_equal(entries(dir), 2); /* no temporary file left */

    /* Unchanged content: the files are not touched. */
    set_old_mtime(h);
    set_old_mtime(c);
    assert_true(output_write(&out, dir, &d));
    assert_int_equal(mtime_of(h), 1000000000);
    assert_int_equal(mtime_of(c), 1000000000);

    /* One file changes: only it is rewritten. */
    gen_file changed[] = {{"events.h", "#pragma once\n", 13}, {"events.c", "int y;\n", 7}};
    gen_output out2 = {changed, 2, NULL, 0};
    assert_true(output_write(&out2, dir, &d));
    assert_int_equal(mtime_of(h), 1000000000);
    assert_true(mtime_of(c) > 1000000000);
    text = slurp(c);
    assert_string_equal(text, "int y;\n");
    free(text);
    assert_int_equal(entries(dir), 2);
    free(h);
    free(c);
    free(dir);
}

static void test_write_file_keeps_mode(void **state)
{
    char *p = path_in(*state, "script.sh");
    diag d;
    diag_init(&d, stderr);
    bool changed;
    assert_true(output_write_file(p, "a\n", 2, &changed, &d));
    assert_true(changed);
    assert_int_equal(chmod(p, 0755), 0);
    assert_true(output_write_file(p, "b\n", 2, &changed, &d));
    assert_true(changed);
    struct stat st;
    assert_int_equal(stat(p, &st), 0);
    assert_int_equal(st.st_mode & 0777, 0755);
    assert_true(output_write_file(p, "b\n", 2, &changed, &d));
    assert_false(changed);
    /* Same size, different bytes. */
    assert_true(output_write_file(p, "c\n", 2, &changed, &d));
    assert_true(changed);
    free(p);
}

static void test_check_lists_stale_files(void **state)
{
    const char *dir = *state;
    gen_output out = {files2, 2, NULL, 0};
    diag d;
    diag_init(&d, stderr);
    char *report;
    size_t len;
    FILE *f = open_memstream(&report, &len);
    assert_int_equal(output_check(&out, dir, f), 2);
    fclose(f);
    char want[512];
    snprintf(want, sizeof want, "%s/events.h: missing\n%s/events.c: missing\n", dir, dir);
    assert_string_equal(report, want);
    free(report);
    assert_int_equal(entries(dir), 0); /* --check writes nothing */

    assert_true(output_write(&out, dir, &d));
    f = open_memstream(&report, &len);
    assert_int_equal(output_check(&out, dir, f), 0);
    fclose(f);
    assert_string_equal(report, "");
    free(report);

    char *c = path_in(dir, "events.c");
    FILE *w = fopen(c, "w");
    fputs("int x; /* edited */\n", w);
    fclose(w);
    f = open_memstream(&report, &len);
    assert_int_equal(output_check(&out, dir, f), 1);
    fclose(f);
    snprintf(want, sizeof want, "%s/events.c: out of date\n", dir);
    assert_string_equal(report, want);
    free(report);
    free(c);
}

/* Files of a kind the set writes, that it does not write (any more), and
 * that carry its marker: a page of a product since removed is reported;
 * the set's own files, a file without the marker (the user's), another
 * kind, a directory and a hidden file are not. Nothing is deleted. */
static void test_check_unlisted_files(void **state)
{
    const char *dir = *state;
    static const char page[] = "# page\n\nGenerated by evgen: do not edit.\n";
    gen_file pages[] = {{"README.md", (char *)page, sizeof page - 1},
                        {"shop.md", (char *)page, sizeof page - 1}};
    gen_output out = {pages, 2, NULL, 0};
    diag d;
    diag_init(&d, stderr);
    assert_true(output_write(&out, dir, &d));
    static const char *const others[][2] = {
        {"ops.md", page},                        /* stale: reported */
        {"billing.md", page},                    /* stale: reported */
        {"notes.md", "# my notes\n"},            /* the user's */
        {"timeline.svg.md.txt", page},           /* another kind */
        {".hidden.md", page},
    };
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        char *p = path_in(dir, others[i][0]);
        FILE *w = fopen(p, "w");
        assert_non_null(w);
        fputs(others[i][1], w);
        fclose(w);
        free(p);
    }
    char *sub = path_in(dir, "old.md");
    assert_int_equal(mkdir(sub, 0777), 0);
    free(sub);

    char *report;
    size_t len;
    FILE *f = open_memstream(&report, &len);
    assert_int_equal(output_check_unlisted(&out, dir, ".md", "Generated by evgen", f), 2);
    fclose(f);
    char want[1024];
    snprintf(want, sizeof want,
             "%s/billing.md: not written any more (left from an earlier run; remove it)\n"
             "%s/ops.md: not written any more (left from an earlier run; remove it)\n",
             dir, dir);
    assert_string_equal(report, want);
    free(report);
    assert_int_equal(entries(dir), 8);   /* nothing deleted */

    /* Without a marker, every unlisted file of the kind; none for a
     * directory that is not there. */
    f = open_memstream(&report, &len);
    assert_int_equal(output_check_unlisted(&out, dir, ".md", NULL, f), 3);
    char *missing = path_in(dir, "no-such-dir");
    assert_int_equal(output_check_unlisted(&out, missing, ".md", NULL, f), 0);
    fclose(f);
    free(missing);
    free(report);
}

static void test_depfile(void **state)
{
    const char *dir = *state;
    char *deps[] = {"catalog.yaml", "templates/a b.tmpl", "templates/x.tmpl",
                    "templates/x.tmpl"};
    gen_output out = {files2, 2, deps, 4};
    diag d;
    diag_init(&d, stderr);
    char *dep = path_in(dir, "deps/gen.d");
    assert_true(output_write_depfile(&out, "generated", "catalog.yaml", dep, &d));
    char *text = slurp(dep);
    assert_string_equal(text, "generated/events.h \\\n"
                              " generated/events.c: \\\n"
                              " catalog.yaml \\\n"
                              " templates/a\\ b.tmpl \\\n"
                              " templates/x.tmpl\n"
                              "\n"
                              "templates/a\\ b.tmpl:\n"
                              "\n"
                              "templates/x.tmpl:\n");
    free(text);
    set_old_mtime(dep);
    assert_true(output_write_depfile(&out, "generated", "catalog.yaml", dep, &d));
    assert_int_equal(mtime_of(dep), 1000000000);
    free(dep);
}

static void test_write_errors(void **state)
{
    const char *tmp = *state;
    char *report;
    size_t len;
    FILE *f = open_memstream(&report, &len);
    diag d;
    diag_init(&d, f);

    /* The output directory is a regular file. */
    char *file = path_in(tmp, "plain");
    FILE *w = fopen(file, "w");
    fclose(w);
    gen_output out = {files2, 2, NULL, 0};
    assert_false(output_write(&out, file, &d));

    /* Names that would leave the output directory. */
    gen_file evil[] = {{"../escape.c", "x", 1}, {"/etc/passwd", "x", 1}, {"a/./b", "x", 1}};
    gen_output bad = {evil, 3, NULL, 0};
    char *dir = path_in(tmp, "out");
    assert_false(output_write(&bad, dir, &d));
    fclose(f);
    char want[1024];
    snprintf(want, sizeof want,
             "%s: error: not a directory\n"
             "%s: error: refusing to write '../escape.c' outside the output directory\n"
             "%s: error: refusing to write '/etc/passwd' outside the output directory\n"
             "%s: error: refusing to write 'a/./b' outside the output directory\n",
             file, dir, dir, dir);
    assert_string_equal(report, want);
    assert_int_equal(d.error_count, 4);
    assert_int_equal(entries(tmp), 1); /* only "plain": nothing was created */
    free(report);
    free(dir);
    free(file);
}

static void test_subdirectories(void **state)
{
    gen_file nested[] = {{"include/evgen/events.h", "h\n", 2}};
    gen_output out = {nested, 1, NULL, 0};
    diag d;
    diag_init(&d, stderr);
    assert_true(output_write(&out, *state, &d));
    char *p = path_in(*state, "include/evgen/events.h");
    char *text = slurp(p);
    assert_string_equal(text, "h\n");
    free(text);
    free(p);
}

/* MARK: all or nothing */

/* The set written first, then the one that replaces it: three files, one
 * of them in a subdirectory. */
static gen_file old_set[] = {
    {"a.h", "old a\n", 6},
    {"b.c", "old b\n", 6},
    {"sub/c.c", "old c\n", 6},
};
static gen_file new_set[] = {
    {"a.h", "new a\n", 6},
    {"b.c", "new b\n", 6},
    {"sub/c.c", "new c\n", 6},
    {"fresh/deeper/d.c", "new d\n", 6},   /* its directories are made for the set */
};
#define NEW_SET_COUNT (sizeof new_set / sizeof new_set[0])

/* Writes old_set into a fresh DIR/out, every file dated 2001. */
static char *write_old_set(const char *tmp)
{
    char *dir = path_in(tmp, "out");
    gen_output out = {old_set, 3, NULL, 0};
    diag d;
    diag_init(&d, stderr);
    assert_true(output_write(&out, dir, &d));
    for (size_t i = 0; i < 3; i++) {
        char *p = path_in(dir, old_set[i].name);
        set_old_mtime(p);
        free(p);
    }
    return dir;
}

/* old_set is on disk exactly as written (content and date), and the
 * directories hold nothing else: no temporary file. */
static void assert_old_set_intact(const char *dir)
{
    for (size_t i = 0; i < 3; i++) {
        char *p = path_in(dir, old_set[i].name);
        char *text = slurp(p);
        assert_non_null(text);
        assert_string_equal(text, old_set[i].data);
        assert_int_equal(mtime_of(p), 1000000000);
        free(text);
        free(p);
    }
    assert_int_equal(entries(dir), 3);   /* a.h, b.c, sub */
    char *sub = path_in(dir, "sub");
    assert_int_equal(entries(sub), 1);
    free(sub);
}

/* One target is a directory: found before anything is written. */
static void test_unreplaceable_target_changes_nothing(void **state)
{
    const char *tmp = *state;
    char *dir = write_old_set(tmp);
    /* A fourth file, last, whose place a directory holds. */
    char *blocker = path_in(dir, "sub/d.c");
    assert_int_equal(mkdir(blocker, 0777), 0);
    gen_file four[] = {new_set[0], new_set[1], new_set[2], {"sub/d.c", "new d\n", 6}};
    gen_output out = {four, 4, NULL, 0};
    char *report;
    size_t len;
    FILE *f = open_memstream(&report, &len);
    diag d;
    diag_init(&d, f);
    assert_false(output_write(&out, dir, &d));
    fclose(f);
    assert_int_equal(rmdir(blocker), 0);
    assert_old_set_intact(dir);
    char want[512];
    snprintf(want, sizeof want, "%s: error: cannot replace a directory with a file\n", blocker);
    assert_string_equal(report, want);
    free(report);
    free(blocker);
    free(dir);
}

/* A write that fails part-way (the file size limit, EFBIG) after earlier
 * files were written: none is replaced, no temporary file stays, and the
 * directories made for the set are gone again. */
static void test_failed_write_changes_nothing(void **state)
{
    const char *tmp = *state;
    char *dir = write_old_set(tmp);
    static char big[4096];
    memset(big, 'x', sizeof big);
    gen_file set[] = {new_set[0], new_set[1], {"new/deeper/big.c", big, sizeof big},
                      new_set[2]};
    gen_output out = {set, 4, NULL, 0};

    struct rlimit saved, small;
    assert_int_equal(getrlimit(RLIMIT_FSIZE, &saved), 0);
    small = saved;
    small.rlim_cur = 1024;
    void (*saved_xfsz)(int) = signal(SIGXFSZ, SIG_IGN);   /* EFBIG, not the signal */
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &small), 0);
    char *report;
    size_t len;
    FILE *f = open_memstream(&report, &len);
    diag d;
    diag_init(&d, f);
    bool ok = output_write(&out, dir, &d);
    fclose(f);
    assert_int_equal(setrlimit(RLIMIT_FSIZE, &saved), 0);
    signal(SIGXFSZ, saved_xfsz);

    assert_false(ok);
    char want[512];
    snprintf(want, sizeof want, "%s/new/deeper/big.c: error: cannot write file: %s\n", dir,
             strerror(EFBIG));
    assert_string_equal(report, want);
    free(report);
    assert_old_set_intact(dir);   /* and no "new" directory */
    free(dir);
}

/* Deletes the temporary copy of the first file of new_set once the last
 * one is written, so that the first rename fails (ENOENT). */
static void remove_first_temp(const char *path, void *ctx)
{
    const char *dir = ctx;
    if (strstr(path, new_set[NEW_SET_COUNT - 1].name) == NULL)
        return;
    DIR *dp = opendir(dir);
    assert_non_null(dp);
    struct dirent *de;
    while ((de = readdir(dp)))
        if (strncmp(de->d_name, ".a.h.tmp.", 9) == 0) {
            char *p = path_in(dir, de->d_name);
            assert_int_equal(unlink(p), 0);
            free(p);
        }
    closedir(dp);
}

/* The first rename fails: no file was changed, no temporary file stays,
 * and the directories made for the set (fresh/deeper) are gone again. */
static void test_failed_first_rename_changes_nothing(void **state)
{
    const char *tmp = *state;
    char *dir = write_old_set(tmp);
    gen_output out = {new_set, NEW_SET_COUNT, NULL, 0};
    char *report;
    size_t len;
    FILE *f = open_memstream(&report, &len);
    diag d;
    diag_init(&d, f);
    assert_false(output_write_observed(&out, dir, remove_first_temp, dir, &d));
    fclose(f);
    char want[512];
    snprintf(want, sizeof want,
             "%s/a.h: error: cannot replace file: %s; no file was changed\n", dir,
             strerror(ENOENT));
    assert_string_equal(report, want);
    free(report);
    assert_old_set_intact(dir);   /* and no "fresh" directory */
    free(dir);
}

/* MARK: signals */

/* What output.c cleans up after (output.h). */
static const int cleanup_signals[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT};
#define CLEANUP_SIGNAL_COUNT (sizeof cleanup_signals / sizeof cleanup_signals[0])

typedef struct interruption {
    int signal;            /* raised by the observer */
    size_t after;          /* ... once this many files are written */
    size_t seen;
} interruption;

static void raise_after(const char *path, void *ctx)
{
    (void)path;
    interruption *in = ctx;
    if (++in->seen == in->after)
        raise(in->signal);
}

/* In a child process: old_set is replaced by new_set while `signal` is
 * raised after `after` files are written, with that signal's action
 * `action` beforehand. Returns the child's wait status. */
static int interrupted_write(const char *dir, int sig, size_t after, void (*action)(int))
{
    fflush(NULL);
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        for (size_t i = 0; i < CLEANUP_SIGNAL_COUNT; i++)
            signal(cleanup_signals[i], action);
        /* SIGQUIT dumps core by default: not into the repository. */
        struct rlimit no_core = {0, 0};
        setrlimit(RLIMIT_CORE, &no_core);
        gen_output out = {new_set, NEW_SET_COUNT, NULL, 0};
        interruption in = {sig, after, 0};
        diag d;
        diag_init(&d, stderr);
        _exit(output_write_observed(&out, dir, raise_after, &in, &d) ? 0 : 1);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    return status;
}

/* Each cleanup signal while the temporary files are written, after each
 * of them: they are removed, and so are the directories made for the set;
 * the process dies of the signal; the old set is untouched. */
static void test_signal_mid_write_changes_nothing(void **state)
{
    const char *tmp = *state;
    for (size_t s = 0; s < CLEANUP_SIGNAL_COUNT; s++)
        for (size_t after = 1; after <= NEW_SET_COUNT; after++) {
            char *dir = write_old_set(tmp);
            int status = interrupted_write(dir, cleanup_signals[s], after, SIG_DFL);
            assert_true(WIFSIGNALED(status));
            assert_int_equal(WTERMSIG(status), cleanup_signals[s]);
            assert_old_set_intact(dir);
            char cmd[512];
            snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
            assert_int_equal(system(cmd), 0);
            free(dir);
        }
}

/* An ignored signal stays ignored (nohup): the set is written. And the
 * handlers are gone afterwards: the signal's action is what it was. */
static void test_ignored_signal_stays_ignored(void **state)
{
    const char *tmp = *state;
    char *dir = write_old_set(tmp);
    int status = interrupted_write(dir, SIGTERM, 2, SIG_IGN);
    assert_true(WIFEXITED(status));
    assert_int_equal(WEXITSTATUS(status), 0);
    for (size_t i = 0; i < NEW_SET_COUNT; i++) {
        char *p = path_in(dir, new_set[i].name);
        char *text = slurp(p);
        assert_non_null(text);
        assert_string_equal(text, new_set[i].data);
        free(text);
        free(p);
    }
    assert_int_equal(entries(dir), 4);   /* a.h, b.c, sub, fresh */

    struct sigaction before, after;
    assert_int_equal(sigaction(SIGTERM, NULL, &before), 0);
    gen_output out = {old_set, 3, NULL, 0};
    diag d;
    diag_init(&d, stderr);
    assert_true(output_write(&out, dir, &d));
    assert_int_equal(sigaction(SIGTERM, NULL, &after), 0);
    assert_true(before.sa_handler == after.sa_handler);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test_setup_teardown(test_write_creates_and_keeps_mtime, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_write_file_keeps_mode, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_check_lists_stale_files, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_check_unlisted_files, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_depfile, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_write_errors, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_subdirectories, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_unreplaceable_target_changes_nothing, make_tmp,
                                        remove_tmp),
        cmocka_unit_test_setup_teardown(test_failed_write_changes_nothing, make_tmp, remove_tmp),
        cmocka_unit_test_setup_teardown(test_failed_first_rename_changes_nothing, make_tmp,
                                        remove_tmp),
        cmocka_unit_test_setup_teardown(test_signal_mid_write_changes_nothing, make_tmp,
                                        remove_tmp),
        cmocka_unit_test_setup_teardown(test_ignored_signal_stays_ignored, make_tmp, remove_tmp),
    };
    return cmocka_run_group_tests_name("output", tests, NULL, NULL);
}
