/* fuzz_gen_check.h - the properties of evgen's own input handling, shared
 * by two libFuzzer targets and their replay in tests/test_gen_regressions.c
 * (linked with the generator's objects).
 *
 * fz_check_catalog_input (fuzz_catalog.c): the input is a catalog's YAML
 * bytes, in a buffer of exactly their size (no NUL after them). It goes
 * through catalog_load (yaml_tree included), catalog_check, cmodel_build,
 * and, when all of them accept it, dump_catalog, codegen_run with the
 * built-in templates and emit_jsonschema, as `evgen` would. Checked: no
 * crash, no leak, no sanitizer report (the fuzzer's job); a NULL catalog
 * or a refusal always comes with a reported error; a catalog accepted by
 * every check generates (codegen and the JSON Schemas succeed).
 *
 * fz_check_template_input (fuzz_template.c): the input is a template set,
 * templates separated by NUL bytes: the first is named "main", the next
 * "_p1", "_p2"... (at most FZ_TEMPLATE_MAX). Each is added with
 * tpl_set_add; when all parse and tpl_set_check passes, "main" is rendered
 * against a fixed context (maps, lists of 0, 1 and 2 elements, strings
 * with and without newlines, integers, booleans) twice. Checked: a refusal
 * comes with a reported error, a render is NUL-terminated at its length,
 * and rendering is deterministic. Mustache can be made exponential (a
 * section over a 2-element list inside a partial that includes itself
 * doubles at each of 64 levels), which says nothing about the engine, so
 * sets whose cost cannot be bounded by counting their tags are parsed and
 * checked but not rendered (fz_template_cost_ok). */
#ifndef TESTS_FUZZ_GEN_CHECK_H
#define TESTS_FUZZ_GEN_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_check.h"
#include "catalog_load.h"
#include "cmodel.h"
#include "codegen.h"
#include "diag.h"
#include "dump.h"
#include "emit_jsonschema.h"
#include "template.h"

#ifndef FZ_FAIL
#define FZ_FAIL(...)                                                              \
    do {                                                                          \
        fprintf(stderr, "fuzz_gen_check: %s:%d: ", __FILE__, __LINE__);           \
        fprintf(stderr, __VA_ARGS__);                                             \
        fputc('\n', stderr);                                                      \
        abort();                                                                  \
    } while (0)
#endif

#ifndef FZ_CHECK
#define FZ_CHECK(cond, ...)                                                       \
    do {                                                                          \
        if (!(cond))                                                              \
            FZ_FAIL(__VA_ARGS__);                                                 \
    } while (0)
#endif

#ifndef FZ_UNUSED
#if defined(__GNUC__) || defined(__clang__)
#define FZ_UNUSED __attribute__((unused))
#else
#define FZ_UNUSED
#endif
#endif

/* Diagnostics are part of what is exercised (formatting every message),
 * but nobody reads them: FZ_DIAG_STDERR=1 in the environment shows them. */
static FILE *fz_diag_sink(void)
{
    static FILE *sink;
    if (!sink) {
        sink = getenv("FZ_DIAG_STDERR") ? stderr : fopen("/dev/null", "w");
        FZ_CHECK(sink != NULL, "cannot open /dev/null");
    }
    return sink;
}

static FZ_UNUSED void fz_check_catalog_input(const uint8_t *data, size_t size)
{
    /* Exactly `size` bytes on the heap: ASan sees a read past the end. */
    char *bytes = malloc(size ? size : 1);
    FZ_CHECK(bytes != NULL, "out of memory");
    memcpy(bytes, data, size);
    diag d;
    diag_init(&d, fz_diag_sink());
    catalog *c = catalog_load("fuzz.yaml", bytes, size, &d);
    FZ_CHECK(c != NULL || d.error_count > 0, "catalog_load returned NULL without an error");
    if (c && d.error_count == 0) {
        bool checked = catalog_check(c, &d);
        FZ_CHECK(checked == (d.error_count == 0), "catalog_check returned %d with %u errors",
                 (int)checked, d.error_count);
    }
    if (c && d.error_count == 0) {
        cmodel cm;
        bool named = cmodel_build(c, "ev", &cm, &d);
        cmodel_free(&cm);
        FZ_CHECK(named == (d.error_count == 0), "cmodel_build returned %d with %u errors",
                 (int)named, d.error_count);
        if (named) {
            FZ_CHECK(dump_catalog(c, fz_diag_sink()), "dump_catalog failed");
            gen_options go = {.catalog_path = "fuzz.yaml", .templates_dir = NULL, .prefix = NULL};
            gen_output out = {0};
            bool generated = codegen_run(c, &go, &out, &d);
            FZ_CHECK(generated && d.error_count == 0,
                     "a catalog every check accepts does not generate (%u errors)", d.error_count);
            gen_output_free(&out);
            gen_output schemas = {0};
            bool emitted = emit_jsonschema(c, "fuzz.yaml", &schemas, &d);
            FZ_CHECK(emitted && d.error_count == 0,
                     "a catalog every check accepts has no JSON Schemas (%u errors)", d.error_count);
            gen_output_free(&schemas);
        }
    }
    catalog_free(c);
    free(bytes);
}

/* MARK: templates */

#define FZ_TEMPLATE_MAX 8
#define FZ_TEMPLATE_MAX_SECTIONS 8

/* The context every fuzzed template renders against: names the real
 * templates use (types, fields, name, prefix...) and every kind of value. */
static tpl_value *fz_template_context(tpl_ctx *ctx)
{
    tpl_value *root = tpl_map(ctx);
    tpl_set_str(ctx, root, "name", "root-name");
    tpl_set_str(ctx, root, "prefix", "ev");
    tpl_set_str(ctx, root, "PREFIX", "EV");
    tpl_set_str(ctx, root, "empty", "");
    tpl_set_str(ctx, root, "doc", "first line\nsecond line\n\nafter a blank line");
    tpl_set_str(ctx, root, "c_name", "root_member");
    tpl_set_int(ctx, root, "count", 3);
    tpl_set_int(ctx, root, "zero", 0);
    tpl_set_int(ctx, root, "negative", -42);
    tpl_set_bool(ctx, root, "yes", true);
    tpl_set_bool(ctx, root, "no", false);
    tpl_value *none = tpl_list(ctx);
    tpl_set_value(ctx, root, "none", none);
    tpl_value *one = tpl_list(ctx);
    tpl_push(one, tpl_str(ctx, "only"));
    tpl_set_value(ctx, root, "one", one);
    tpl_value *strings = tpl_list(ctx);
    tpl_push(strings, tpl_str(ctx, "x"));
    tpl_push(strings, tpl_str(ctx, "y\nz"));
    tpl_set_value(ctx, root, "strings", strings);
    tpl_value *types = tpl_list(ctx);
    for (int i = 0; i < 2; i++) {
        tpl_value *t = tpl_map(ctx);
        tpl_set_strf(ctx, t, "type", "ev_type_%d", i);
        tpl_set_strf(ctx, t, "name", "type-%d", i);
        tpl_set_bool(ctx, t, "is_struct", i == 0);
        tpl_set_bool(ctx, t, "is_enum", i == 1);
        tpl_set_int(ctx, t, "index", i);
        tpl_set_value(ctx, t, "kids", tpl_list(ctx));
        tpl_value *fields = tpl_list(ctx);
        for (int k = 0; k < 2 - i; k++) {
            tpl_value *f = tpl_map(ctx);
            tpl_set_strf(ctx, f, "name", "field-%d-%d", i, k);
            tpl_set_strf(ctx, f, "c_name", "field_%d_%d", i, k);
            tpl_set_bool(ctx, f, "optional", k == 1);
            tpl_set_value(ctx, f, "kids", tpl_list(ctx));
            tpl_push(fields, f);
        }
        tpl_set_value(ctx, t, "fields", fields);
        tpl_push(types, t);
    }
    tpl_set_value(ctx, root, "types", types);
    tpl_value *nested = tpl_map(ctx);
    tpl_value *inner = tpl_map(ctx);
    tpl_set_str(ctx, inner, "leaf", "deep");
    tpl_set_value(ctx, inner, "list", one);
    tpl_set_value(ctx, nested, "inner", inner);
    tpl_set_str(ctx, nested, "name", "nested-name");
    tpl_set_value(ctx, root, "nested", nested);
    tpl_set_value(ctx, root, "empty_map", tpl_map(ctx));
    return root;
}

/* The name of the partial a `{{>` tag at s[i] (just past '>') refers to,
 * or NULL when it cannot be read (then it may refer to anything). */
static const char *fz_partial_name(const char *s, size_t n, size_t i, size_t *len)
{
    while (i < n && (s[i] == ' ' || s[i] == '\t'))
        i++;
    size_t start = i;
    while (i < n && s[i] != ' ' && s[i] != '\t' && s[i] != '~' && s[i] != '}' && s[i] != '\n')
        i++;
    *len = i - start;
    return *len ? s + start : NULL;
}

typedef struct fz_template {
    const char *text;
    size_t len;
    char name[16];
} fz_template;

/* Whether rendering the set is bounded: at most FZ_TEMPLATE_MAX_SECTIONS
 * section tags in all (each may double the work once), and if partials can
 * recurse, no section at all and at most one partial tag per template (a
 * chain at most 64 deep). Tags are counted wherever `{{`, an optional `~`,
 * blanks and the sigil appear, comments included: an overestimate. */
static bool fz_template_cost_ok(const fz_template *t, size_t count)
{
    size_t sections = 0, partial_tags[FZ_TEMPLATE_MAX] = {0};
    bool edge[FZ_TEMPLATE_MAX][FZ_TEMPLATE_MAX] = {{false}};
    for (size_t k = 0; k < count; k++) {
        const char *s = t[k].text;
        size_t n = t[k].len;
        for (size_t i = 0; i + 1 < n; i++) {
            if (s[i] != '{' || s[i + 1] != '{')
                continue;
            size_t j = i + 2;
            if (j < n && s[j] == '~')
                j++;
            while (j < n && (s[j] == ' ' || s[j] == '\t'))
                j++;
            if (j >= n)
                break;
            if (s[j] == '#' || s[j] == '^')
                sections++;
            if (s[j] != '>')
                continue;
            partial_tags[k]++;
            size_t len;
            const char *name = fz_partial_name(s, n, j + 1, &len);
            for (size_t to = 0; to < count; to++)
                if (!name || (strlen(t[to].name) == len && memcmp(t[to].name, name, len) == 0))
                    edge[k][to] = true;
        }
    }
    if (sections > FZ_TEMPLATE_MAX_SECTIONS)
        return false;
    /* Reachability (Warshall): a template that reaches itself can recurse. */
    for (size_t via = 0; via < count; via++)
        for (size_t a = 0; a < count; a++)
            for (size_t b = 0; b < count; b++)
                edge[a][b] = edge[a][b] || (edge[a][via] && edge[via][b]);
    bool recursive = false;
    for (size_t k = 0; k < count; k++)
        recursive = recursive || edge[k][k];
    if (!recursive)
        return true;
    if (sections > 0)
        return false;
    for (size_t k = 0; k < count; k++)
        if (partial_tags[k] > 1)
            return false;
    return true;
}

static FZ_UNUSED void fz_check_template_input(const uint8_t *data, size_t size)
{
    static tpl_ctx *ctx;
    static tpl_value *root;
    if (!ctx) {
        ctx = tpl_ctx_new();
        root = fz_template_context(ctx);
    }
    /* Each template in a heap block of exactly its size. */
    fz_template t[FZ_TEMPLATE_MAX];
    char *blocks[FZ_TEMPLATE_MAX];
    size_t count = 0, start = 0;
    for (size_t i = 0; i <= size && count < FZ_TEMPLATE_MAX; i++) {
        if (i < size && data[i] != '\0')
            continue;
        size_t len = i - start;
        blocks[count] = malloc(len ? len : 1);
        FZ_CHECK(blocks[count] != NULL, "out of memory");
        memcpy(blocks[count], data + start, len);
        t[count].text = blocks[count];
        t[count].len = len;
        if (count == 0)
            snprintf(t[count].name, sizeof t[count].name, "main");
        else
            snprintf(t[count].name, sizeof t[count].name, "_p%zu", count);
        count++;
        start = i + 1;
    }

    diag d;
    diag_init(&d, fz_diag_sink());
    tpl_set *set = tpl_set_new();
    bool all_added = true;
    for (size_t k = 0; k < count; k++) {
        unsigned before = d.error_count;
        char file[32];
        snprintf(file, sizeof file, "%s.tmpl", t[k].name);
        bool added = tpl_set_add(set, t[k].name, file, t[k].text, t[k].len, &d);
        FZ_CHECK(added || d.error_count > before, "tpl_set_add refused %s without an error",
                 t[k].name);
        all_added = all_added && added;
    }
    if (all_added) {
        unsigned before = d.error_count;
        bool checked = tpl_set_check(set, &d);
        FZ_CHECK(checked == (d.error_count == before), "tpl_set_check returned %d with %u new errors",
                 (int)checked, d.error_count - before);
        if (checked && fz_template_cost_ok(t, count)) {
            size_t len1 = 0, len2 = 0;
            before = d.error_count;
            char *first = tpl_render(set, "main", root, &len1, &d);
            FZ_CHECK(first != NULL || d.error_count > before, "tpl_render failed without an error");
            char *second = tpl_render(set, "main", root, &len2, &d);
            FZ_CHECK((first == NULL) == (second == NULL), "rendering is not deterministic");
            if (first) {
                FZ_CHECK(first[len1] == '\0', "render not NUL-terminated at its length %zu", len1);
                FZ_CHECK(len1 == len2 && memcmp(first, second, len1) == 0,
                         "rendering is not deterministic");
            }
            free(first);
            free(second);
        }
    }
    tpl_set_free(set);
    for (size_t k = 0; k < count; k++)
        free(blocks[k]);
}

#endif /* TESTS_FUZZ_GEN_CHECK_H */
