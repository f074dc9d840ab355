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
static void generate_prefixed(run *r, const char *yaml, const char *templates_dir,
                              const char *prefix)
{
    FILE *f = open_memstream(&r->diags, &r->diags_len);
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    catalog *c = catalog_load("inline.yaml", yaml, strlen(yaml), &d);
    r->ok = c && catalog_check(c, &d);
    memset(&r->out, 0, sizeof r->out);
    if (r->ok) {
        gen_options opt = {"inline.yaml", templates_dir, prefix};
        r->ok = codegen_run(c, &opt, &r->out, &d);
    }
    if (c)
        catalog_free(c);
    fclose(f);
}

static void generate(run *r, const char *yaml, const char *templates_dir)
{
    generate_prefixed(r, yaml, templates_dir, NULL);
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

#define HEAD "format: 1\nevents:\n  - name: ev-a\n    direction: received\n" \
             "    versions:\n      - version: 1.0.0\n        status: active\n" \
             "        active: 2025-01-01\n        properties:\n"

static void test_generated_name_clash(void **state)
{
    (void)state;
    run r;
    /* enum `state` defines ev_ev_a_1_0_0_state_name(); object `state_name` its struct */
    generate(&r, HEAD "          state: {type: enum, values: [on, off]}\n"
                      "          state_name: {type: object, properties: {x: string}}\n", NULL);
    assert_false(r.ok);
    assert_string_equal(r.diags, "inline.yaml:11:11: error: generated C name 'ev_ev_a_1_0_0_state_name' "
                                 "(for property 'state_name' of event 'ev-a' version 1.0.0) is also "
                                 "defined for property 'state' of event 'ev-a' version 1.0.0 (line 10); "
                                 "rename one (a property keeps its key with c_name)\n");
    run_free(&r);
}

/* Keys sharing a long prefix, many of one length: the matcher used to count
 * key groups in an unsigned char, which wrapped at 256 and sent it into
 * endless recursion (evgen crashed on 512 such properties). */
static void test_matcher_many_keys(void **state)
{
    (void)state;
    size_t cap = 1 << 20, len = 0;
    char *yaml = malloc(cap);
    assert_non_null(yaml);
    len += (size_t)snprintf(yaml + len, cap - len, "%s", HEAD);
    for (int i = 0; i < 512; i++)
        len += (size_t)snprintf(yaml + len, cap - len, "          pxxxxxxxxxxxxxxxxxxxx%04d: string?\n", i);
    len += (size_t)snprintf(yaml + len, cap - len, "          k: {type: enum, values: [");
    for (int i = 0; i < 5000; i++)
        len += (size_t)snprintf(yaml + len, cap - len, "%sv%05d", i ? ", " : "", i);
    snprintf(yaml + len, cap - len, "]}\n");
    run r;
    generate(&r, yaml, NULL);
    assert_string_equal(r.diags, "");
    assert_true(r.ok);
    const gen_file *f = file_named(&r, "events.c");
    assert_non_null(strstr(f->data, "\"pxxxxxxxxxxxxxxxxxxxx0511\""));
    assert_non_null(strstr(f->data, "\"v04999\""));
    run_free(&r);
    free(yaml);
}

/* 20,000 enum values that all become one enumerator: every clash is found
 * by one sort, not by comparing each value with the ones before it (the
 * reports stop at diag's cut-off). */
static void test_many_clashing_values(void **state)
{
    (void)state;
    static const char syms[] = "-.!#$%&()*+,/:;<=>?@^|~";
    size_t cap = 1 << 20, len = 0, n = 0;
    char *yaml = malloc(cap);
    assert_non_null(yaml);
    len += (size_t)snprintf(yaml + len, cap - len, "%s          k: {type: enum, values: [", HEAD);
    for (size_t a = 0; a < sizeof syms - 1; a++)
        for (size_t b = 0; b < sizeof syms - 1; b++)
            for (size_t c = 0; c < sizeof syms - 1 && n < 10000; c++, n++)
                len += (size_t)snprintf(yaml + len, cap - len, "%s\"x%c%c%c\"", n ? ", " : "",
                                        syms[a], syms[b], syms[c]);
    snprintf(yaml + len, cap - len, "]}\n");
    run r;
    generate(&r, yaml, NULL);
    assert_false(r.ok);
    assert_non_null(strstr(r.diags, "generated C name 'EV_EV_A_1_0_0_K_X___' (for value 'x--.' of "
                                    "property 'k' of event 'ev-a' version 1.0.0) is also defined "
                                    "for value 'x---'"));
    run_free(&r);
    free(yaml);
}

/* Catalog names that would make a name the templates define themselves,
 * or one generated for every type, are errors at the catalog position. */
static void test_fixed_name_clash(void **state)
{
    (void)state;
    run r;
    generate(&r,
             "format: 1\n"
             "products: [all, count]\n"
             "wires:\n"
             "  w:\n"
             "    envelope: {n: name, s: {const: ok}, p: payload}\n"
             "    forms:\n"
             "      f: {envelope: {s: {const: failed}}, select: code, payloads: {A: none, B: events}}\n"
             "shapes:\n"
             "  none: {properties: {code: string}}\n"
             "  events: {properties: {code: string}}\n"
             "events:\n"
             "  - name: e\n"
             "    product: all\n"
             "    direction: received\n"
             "    wires: [w]\n"
             "    versions:\n"
             "      - version: 1.0.0\n"
             "        status: active\n"
             "        active: 2025-01-01\n"
             "        properties:\n"
             "          parse: {type: object, properties: {a: string}}\n",
             NULL);
    assert_false(r.ok);
    assert_string_equal(r.diags,
                        "inline.yaml:2:12: error: generated C name 'EV_PRODUCT_ALL' (for product 'all') "
                        "is one evgen defines itself; rename it\n"
                        "inline.yaml:2:17: error: generated C name 'EV_PRODUCT_COUNT' (for product "
                        "'count') is one evgen defines itself; rename it\n"
                        "inline.yaml:7:71: error: generated C name 'EV_KIND_NONE' (for the payload 'A' of "
                        "wire 'w/f') is one evgen defines itself; rename it\n"
                        "inline.yaml:10:3: error: generated C name 'ev_events' (for shape 'events') is "
                        "one evgen defines itself; rename it\n"
                        "inline.yaml:21:11: error: generated C name 'ev_e_1_0_0_parse' (for property "
                        "'parse' of event 'e' version 1.0.0) is also defined for event 'e' version 1.0.0 "
                        "(line 17); rename one (a property keeps its key with c_name)\n");
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
        /* The runtime is the same for every catalog: it never names one. */
        if (strncmp(expected[i], "evgen_runtime", 13) == 0)
            assert_null(strstr(f->data, "inline.yaml"));
        else
            assert_non_null(strstr(f->data, "from inline.yaml"));
        /* deterministic: the same catalog gives the same bytes */
        const gen_file *g = file_named(&b, expected[i]);
        assert_int_equal(f->len, g->len);
        assert_memory_equal(f->data, g->data, f->len);
    }
    const gen_file *h = file_named(&a, "events.h");
    assert_non_null(strstr(h->data, "#ifndef EV_EVENTS_H"));
    assert_non_null(strstr(h->data, "    bool has_on;\n    bool on;\n"));
    run_free(&a);
    run_free(&b);
}

/* Every external name of a prefixed catalog starts with the prefix; the
 * runtime comes out byte for byte the same whatever the prefix. */
static void test_prefix(void **state)
{
    (void)state;
    run a, b;
    generate(&a, HEAD "          id: string\n", NULL);
    generate_prefixed(&b, HEAD "          id: string\n", NULL, "shop");
    assert_true(a.ok && b.ok);
    const gen_file *h = file_named(&b, "dispatch.h");
    assert_non_null(strstr(h->data, "#ifndef SHOP_DISPATCH_H"));
    assert_non_null(strstr(h->data, "bool shop_parse_any("));
    assert_non_null(strstr(h->data, "} shop_any;"));
    assert_non_null(strstr(h->data, "SHOP_KIND_EV_A_1_0_0 = 1"));
    /* (the event is named ev-a: "ev_a" and "EV_A" are its own names) */
    assert_null(strstr(h->data, "ev_any"));
    assert_null(strstr(h->data, "EV_KIND"));
    assert_null(strstr(h->data, "ev_parse"));
    assert_null(strstr(h->data, "EV_DISPATCH_H"));
    const gen_file *e = file_named(&b, "events.h");
    assert_non_null(strstr(e->data, "} shop_ev_a_1_0_0;"));
    assert_null(strstr(e->data, "EV_EVENTS_H"));
    for (size_t i = 0; i < 2; i++) {
        const char *name = i ? "evgen_runtime.h" : "evgen_runtime.c";
        const gen_file *x = file_named(&a, name), *y = file_named(&b, name);
        assert_int_equal(x->len, y->len);
        assert_memory_equal(x->data, y->data, x->len);
    }
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
    /* The template's output, and the runtime, which is no template. */
    assert_int_equal(r.out.count, 3);
    const gen_file *names = file_named(&r, "names.txt");
    assert_non_null(names);
    assert_string_equal(names->data, "ev-a 1.0.0 ev_ev_a_1_0_0\n");
    assert_non_null(file_named(&r, "evgen_runtime.c"));
    assert_non_null(file_named(&r, "evgen_runtime.h"));
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
        cmocka_unit_test(test_prefix),
        cmocka_unit_test(test_fixed_name_clash),
        cmocka_unit_test(test_many_clashing_values),
        cmocka_unit_test(test_matcher_many_keys),
        cmocka_unit_test(test_templates_dir_overrides),
        cmocka_unit_test(test_template_error_is_positioned),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
