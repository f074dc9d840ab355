/* The back end: generated-name clashes, template overrides and their
 * errors, determinism and the banner. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_check.h"
#include "catalog_load.h"
#include "codegen.h"

typedef struct run {
    gen_output out;
    char *diags;
    size_t diags_len;
    bool ok;
} run;

/* Loads, checks and generates from an inline catalog, capturing diagnostics. */
static void generate(run *r, const char *yaml, const char *templates_dir)
{
    FILE *f = open_memstream(&r->diags, &r->diags_len);
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    catalog *c = catalog_load("inline.yaml", yaml, strlen(yaml), &d);
    r->ok = c && catalog_check(c, &d);
    memset(&r->out, 0, sizeof r->out);
    if (r->ok) {
        gen_options opt = {"inline.yaml", yaml, strlen(yaml), templates_dir};
        r->ok = codegen_run(c, &opt, &r->out, &d);
    }
    if (c)
        catalog_free(c);
    fclose(f);
}

static void run_free(run *r)
{
    gen_output_free(&r->out);
    free(r->diags);
}

static const gen_file *file_named(const run *r, const char *name)
{
    for (size_t i = 0; i < r->out.count; i++)
        if (strcmp(r->out.files[i].name, name) == 0)
            return &r->out.files[i];
    return NULL;
}

#define HEAD "format: 1\nevents:\n  - name: ev-a\n    product: global\n    direction: received\n" \
             "    wire: partner-sdk\n    versions:\n      - version: 1.0.0\n        status: active\n" \
             "        active: 2025-01-01\n        properties:\n"

static void test_generated_name_clash(void **state)
{
    (void)state;
    run r;
    /* enum `state` defines ev_ev_a_1_0_0_state_name(); object `state_name` its struct */
    generate(&r, HEAD "          state: {type: enum, values: [on, off]}\n"
                      "          state_name: {type: object, properties: {x: string}}\n", NULL);
    assert_false(r.ok);
    assert_string_equal(r.diags, "inline.yaml:13:11: error: generated C name 'ev_ev_a_1_0_0_state_name' "
                                 "would be defined twice (also from line 12); rename with c_name\n");
    run_free(&r);
}

static void test_builtin_templates_render_everything(void **state)
{
    (void)state;
    run a, b;
    generate(&a, HEAD "          id: string\n          on: {type: boolean, required: false}\n", NULL);
    generate(&b, HEAD "          id: string\n          on: {type: boolean, required: false}\n", NULL);
    assert_true(a.ok);
    assert_string_equal(a.diags, "");
    const char *expected[] = {"dispatch.c", "dispatch.h", "events.c", "events.h",
                              "evgen_runtime.c", "evgen_runtime.h"};
    assert_int_equal(a.out.count, 6);
    for (size_t i = 0; i < 6; i++) {
        const gen_file *f = file_named(&a, expected[i]);
        assert_non_null(f);
        assert_non_null(strstr(f->data, "DO NOT EDIT"));
        assert_non_null(strstr(f->data, "from inline.yaml"));
        /* deterministic: the same catalog gives the same bytes */
        const gen_file *g = file_named(&b, expected[i]);
        assert_int_equal(f->len, g->len);
        assert_memory_equal(f->data, g->data, f->len);
    }
    const gen_file *h = file_named(&a, "events.h");
    assert_non_null(strstr(h->data, "#ifndef EVGEN_EVENTS_H"));
    assert_non_null(strstr(h->data, "    bool has_on;\n    bool on;\n"));
    run_free(&a);
    run_free(&b);
}

static char *make_template_dir(const char *name, const char *text)
{
    char *dir = strdup("/tmp/evgen-tpl-XXXXXX");
    assert_non_null(mkdtemp(dir));
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    FILE *f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
    return dir;
}

static void remove_template_dir(char *dir, const char *name)
{
    char path[256];
    snprintf(path, sizeof path, "%s/%s", dir, name);
    unlink(path);
    rmdir(dir);
    free(dir);
}

static void test_templates_dir_overrides(void **state)
{
    (void)state;
    char *dir = make_template_dir("names.txt.tmpl", "{{#versions}}\n{{event_name}} {{version}} {{type}}\n{{/versions}}\n");
    run r;
    generate(&r, HEAD "          id: string\n", dir);
    assert_true(r.ok);
    assert_int_equal(r.out.count, 1);
    assert_string_equal(r.out.files[0].name, "names.txt");
    assert_string_equal(r.out.files[0].data, "ev-a 1.0.0 ev_ev_a_1_0_0\n");
    /* the template file is an input of the generated files, for --depfile */
    bool listed = false;
    for (size_t i = 0; i < r.out.dep_count; i++)
        listed |= strstr(r.out.deps[i], "names.txt.tmpl") != NULL;
    assert_true(listed);
    run_free(&r);
    remove_template_dir(dir, "names.txt.tmpl");
}

static void test_template_error_is_positioned(void **state)
{
    (void)state;
    char *dir = make_template_dir("x.tmpl", "line one\n  {{#versions}}{{typo}}{{/versions}}\n");
    run r;
    generate(&r, HEAD "          id: string\n", dir);
    assert_false(r.ok);
    char expected[512];
    snprintf(expected, sizeof expected, "%s/x.tmpl:2:16: error: unknown variable 'typo'\n", dir);
    assert_string_equal(r.diags, expected);
    run_free(&r);
    remove_template_dir(dir, "x.tmpl");
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_generated_name_clash),
        cmocka_unit_test(test_builtin_templates_render_everything),
        cmocka_unit_test(test_templates_dir_overrides),
        cmocka_unit_test(test_template_error_is_positioned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
