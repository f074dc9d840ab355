/* test_gen_catalog.c - the front end on the real catalog.yaml (facts
 * checked against the upstream reference) and on small inline catalogs
 * (loader, checker, resolution, names, --dump). Run from the repository
 * root. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cmocka.h>

#include "catalog_check.h"
#include "catalog_load.h"
#include "cmodel.h"
#include "diag.h"
#include "dump.h"
#include "model.h"
#include "names.h"

/* MARK: helpers */

static const event *find_event(const catalog *c, const char *name)
{
    for (size_t i = 0; i < c->event_count; i++)
        if (strcmp(c->events[i]->name, name) == 0)
            return c->events[i];
    fail_msg("no event %s", name);
    return NULL;
}

static const event_version *find_version(const event *e, const char *text)
{
    for (size_t i = 0; i < e->version_count; i++)
        if (strcmp(e->versions[i]->text, text) == 0)
            return e->versions[i];
    fail_msg("event %s has no version %s", e->name, text);
    return NULL;
}

static const prop *lookup(const prop_list *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i]->name, name) == 0)
            return l->items[i];
    return NULL;
}

static const prop *find_prop(const prop_list *l, const char *name)
{
    const prop *p = lookup(l, name);
    if (!p)
        fail_msg("no property %s", name);
    return p;
}

/* Loads and checks an inline catalog; *errors gets the diagnostics
 * (malloc'ed). Returns the catalog, NULL when the YAML was unreadable. */
static catalog *load_text(const char *text, bool *ok, char **errors)
{
    size_t len;
    FILE *f = open_memstream(errors, &len);
    assert_non_null(f);
    diag d;
    diag_init(&d, f);
    catalog *c = catalog_load("inline.yaml", text, strlen(text), &d);
    if (c)
        catalog_check(c, &d);
    if (c && d.error_count == 0) {
        /* What the names become in C is checked too, as evgen --dump does. */
        cmodel m;
        cmodel_build(c, "ev", &m, &d);
        cmodel_free(&m);
    }
    *ok = c && d.error_count == 0;
    fclose(f);
    return c;
}

/* An inline catalog that must pass. */
static catalog *load_ok(const char *text)
{
    bool ok;
    char *errors;
    catalog *c = load_text(text, &ok, &errors);
    if (!ok)
        fail_msg("unexpected errors:\n%s", errors);
    free(errors);
    return c;
}

/* An inline catalog that must fail with exactly `want`. */
static void expect_errors(const char *text, const char *want)
{
    bool ok;
    char *errors;
    catalog *c = load_text(text, &ok, &errors);
    assert_false(ok);
    assert_string_equal(errors, want);
    free(errors);
    catalog_free(c);
}

#define HEAD                                                                                  \
    "format: 1\n"                                                                             \
    "events:\n"                                                                               \
    "  - name: aw-interaction-focus-v1\n"                                                     \
    "    version_required: false\n"                                                          \
    "    direction: received\n"                                                               \
    "    wires: []\n"                                                                 \
    "    versions:\n"                                                                         \
    "      - version: 1.0.0\n"                                                                \
    "        status: active\n"                                                                \
    "        active: 2025-03-26\n"

/* MARK: the real catalog */

static int load_real(void **state)
{
    if (access("catalog.yaml", R_OK) != 0) {
        fprintf(stderr, "catalog.yaml not found (run from the repository root)\n");
        return -1;
    }
    diag d;
    diag_init(&d, stderr);
    catalog *c = catalog_load_file("catalog.yaml", &d);
    if (!c || !catalog_check(c, &d) || d.error_count) {
        catalog_free(c);
        return -1;
    }
    *state = c;
    return 0;
}

static int free_real(void **state)
{
    catalog_free(*state);
    return 0;
}

static void test_real_counts(void **state)
{
    const catalog *c = *state;
    assert_int_equal(c->format, 1);
    /* 59 upstream events, plus three protocol messages: getEvents,
     * partner-sdk-error and maEvent (Click to Dial). */
    assert_int_equal(c->event_count, 62);
    size_t versions = 0;
    for (size_t i = 0; i < c->event_count; i++)
        versions += c->events[i]->version_count;
    assert_int_equal(versions, 63);
    assert_int_equal(c->products.count, 4);
    assert_int_equal(c->wire_count, 6);
    const event *e = find_event(c, "aw-interaction-wrap-up-codes-v1");
    assert_int_equal(e->version_count, 2);
    assert_string_equal(e->versions[0]->text, "1.0.0");
    assert_string_equal(e->versions[1]->text, "1.0.1");
    assert_int_equal(e->versions[1]->v.patch, 1);
}

static void test_real_started_direction(void **state)
{
    const event *e = find_event(*state, "aw-interaction-started-v1");
    assert_string_equal(e->product, "agent-workspace");
    assert_int_equal(e->direction, DIRECTION_RECEIVED);
    assert_false(e->version_required);
    assert_int_equal(e->wire_names.count, 1);
    assert_string_equal(e->wires[0]->name, "partner-sdk-event");
    const prop *p = find_prop(&find_version(e, "1.0.0")->props, "direction");
    assert_int_equal(p->kind, PROP_ENUM);
    assert_true(p->required);
    assert_int_equal(p->enum_values.count, 2);
    assert_string_equal(p->enum_values.items[0], "inbound");
    assert_string_equal(p->enum_values.items[1], "outbound");
}

static void test_real_user_email(void **state)
{
    const event *e = find_event(*state, "global-user-details-v1");
    assert_string_equal(e->product, "global");
    const event_version *v = find_version(e, "1.0.0");
    const prop *p = find_prop(&v->props, "email");
    assert_int_equal(p->kind, PROP_STRING);
    assert_false(p->required);
    assert_true(find_prop(&v->props, "firstName")->required);
    assert_int_equal(v->active.year, 2025);
    assert_int_equal(v->active.month, 3);
    assert_int_equal(v->active.day, 26);
}

static void test_real_maestro_method(void **state)
{
    const catalog *c = *state;
    size_t maestro = 0;
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        if (e->wire_names.count == 0 || strcmp(e->wires[0]->name, "maestro") != 0)
            continue;
        maestro++;
        assert_string_equal(e->product, "maestro");
        /* Maestro events travel in the Partner SDK event message too (TYPES.md). */
        assert_int_equal(e->wire_names.count, 2);
        assert_string_equal(e->wires[1]->name, "partner-sdk-event");
        /* Every Maestro payload has a method (a plain string in the two
         * voicemail events whose tables do not fix its value). */
        find_prop(&e->versions[0]->props, "method");
    }
    assert_int_equal(maestro, 21); /* the 21 mashell-*-event-v1 events */
    const event *e = find_event(c, "mashell-chat-nextgen-offered-cc-event-v1");
    const prop *p = find_prop(&e->versions[0]->props, "method");
    assert_int_equal(p->kind, PROP_CONST);
    assert_string_equal(p->const_value, "mapEvent");
    assert_true(p->required);
}

static void test_real_call_connect(void **state)
{
    const event *e = find_event(*state, "call-manager-call-connect-v1");
    assert_string_equal(e->product, "call-manager");
    const event_version *v = find_version(e, "1.0.0");
    assert_int_equal(v->props.count, 47);
    assert_int_equal(find_prop(&v->props, "callID")->kind, PROP_STRING);
}

static void test_real_wrap_up_code_description(void **state)
{
    const event *e = find_event(*state, "aw-interaction-wrap-up-codes-v1");
    for (int i = 0; i < 2; i++) {
        const prop *codes = find_prop(&e->versions[i]->props, "wrapUpCodes");
        assert_int_equal(codes->kind, PROP_ARRAY);
        assert_int_equal(codes->items->kind, PROP_OBJECT); /* a shape, resolved */
        const prop *items = find_prop(&codes->items->props, "items");
        assert_int_equal(items->kind, PROP_ARRAY);
        assert_int_equal(items->items->kind, PROP_OBJECT);
        const prop *desc = lookup(&items->items->props, "description");
        if (i == 0) {
            assert_null(desc);
        } else {
            assert_non_null(desc);
            assert_int_equal(desc->kind, PROP_STRING);
        }
        /* Inherited members come first (wrap-up-code-ref: id, parentId). */
        assert_string_equal(items->items->props.items[0]->name, "id");
        assert_string_equal(items->items->props.items[1]->name, "parentId");
    }
}

static void test_real_focus_lifecycle(void **state)
{
    const event *e = find_event(*state, "aw-interaction-focus-v1");
    const event_version *v = find_version(e, "1.0.0");
    assert_int_equal(v->status, STATUS_DEPRECATED);
    assert_int_equal(v->sunset.year, 2026);
    assert_int_equal(v->sunset.month, 12);
    assert_int_equal(v->sunset.day, 8);
    assert_true(v->deprecated.year > 0);
}

/* Every property of the resolved model is resolved: no shape references
 * left, objects have their members, arrays their items. */
static void assert_resolved(const prop_list *l)
{
    for (size_t i = 0; i < l->count; i++) {
        const prop *p = l->items[i];
        assert_non_null(p->name);
        assert_non_null(p->c_name);
        assert_int_not_equal(p->kind, PROP_SHAPE_REF);
        if (p->kind == PROP_OBJECT)
            assert_resolved(&p->props);
        if (p->kind == PROP_ARRAY) {
            assert_non_null(p->items);
            assert_null(p->items->name);
            assert_int_not_equal(p->items->kind, PROP_SHAPE_REF);
            if (p->items->kind == PROP_OBJECT)
                assert_resolved(&p->items->props);
        }
    }
}

static void test_real_fully_resolved(void **state)
{
    const catalog *c = *state;
    for (size_t i = 0; i < c->event_count; i++)
        for (size_t j = 0; j < c->events[i]->version_count; j++)
            assert_resolved(&c->events[i]->versions[j]->props);
}

static void test_real_dump_is_deterministic(void **state)
{
    char *a, *b;
    size_t la, lb;
    FILE *f = open_memstream(&a, &la);
    assert_true(dump_catalog(*state, f));
    fclose(f);
    f = open_memstream(&b, &lb);
    assert_true(dump_catalog(*state, f));
    fclose(f);
    assert_int_equal(la, lb);
    assert_memory_equal(a, b, la);
    assert_true(la > 1000);
    assert_int_equal(a[0], '{');
    assert_int_equal(a[la - 1], '\n');
    free(a);
    free(b);
}

/* MARK: inline catalogs */

static void test_inline_minimal(void **state)
{
    (void)state;
    catalog *c = load_ok(HEAD "        deprecated: 2025-09-08\n"
                              "        sunset: null\n"
                              "        properties:\n"
                              "          interactionId: string\n"
                              "          email: string?\n"
                              "          count: {type: integer, nullable: true, doc: how many}\n");
    assert_int_equal(c->event_count, 1);
    const event *e = c->events[0];
    assert_string_equal(e->name, "aw-interaction-focus-v1");
    assert_int_equal(e->mark.line, 3);
    const event_version *v = e->versions[0];
    assert_int_equal(v->v.major, 1);
    assert_int_equal(v->status, STATUS_ACTIVE);
    assert_int_equal(v->deprecated.year, 2025);
    assert_int_equal(v->deprecated.month, 9);
    assert_int_equal(v->sunset.year, 0);
    assert_int_equal(v->props.count, 3);
    const prop *p = v->props.items[0];
    assert_string_equal(p->name, "interactionId");
    assert_string_equal(p->c_name, "interactionId");
    assert_true(p->required);
    assert_false(p->nullable);
    assert_int_equal(p->mark.line, 14);
    assert_int_equal(p->mark.col, 11);
    assert_int_equal(p->type_mark.col, 26);
    assert_false(v->props.items[1]->required);
    assert_int_equal(v->props.items[1]->kind, PROP_STRING);
    p = v->props.items[2];
    assert_int_equal(p->kind, PROP_INTEGER);
    assert_true(p->nullable);
    assert_string_equal(p->doc, "how many");
    catalog_free(c);
}

static const char shapes_catalog[] =
    "format: 1\n"
    "shapes:\n"
    "  base:\n"
    "    properties:\n"
    "      eventId: string\n"
    "      method: {type: const, value: mapEvent}\n"
    "  chat:\n"
    "    extends: [base]\n"
    "    properties:\n"
    "      media: {type: enum, values: [sms, whatsapp]}\n"
    "  party:\n"
    "    doc: Someone on a call.\n"
    "    properties:\n"
    "      name: string\n"
    "      number: string?\n"
    "events:\n"
    "  - name: mashell-chat-offered-cc-event-v1\n"
    "    version_required: false\n"
    "    direction: received\n"
    "    wires: []\n"
    "    summary: A chat is offered.\n"
    "    versions:\n"
    "      - version: 1.0.0\n"
    "        status: active\n"
    "        active: 2025-05-06\n"
    "        extends: [chat]\n"
    "        properties:\n"
    "          caller: party\n"
    "          callee: {type: party, required: false}\n"
    "          parties: {type: array, items: party, min_items: 1, max_items: 8}\n"
    "          extra:\n"
    "            type: object\n"
    "            extends: [party]\n"
    "            properties:\n"
    "              default: {type: boolean, c_name: is_default}\n";

static void test_inline_shapes_resolved(void **state)
{
    (void)state;
    catalog *c = load_ok(shapes_catalog);
    const event *e = c->events[0];
    assert_int_equal(e->wire_names.count, 0);
    assert_string_equal(e->summary, "A chat is offered.");
    const prop_list *l = &e->versions[0]->props;
    /* extends [chat] -> base's properties, chat's, then the version's own. */
    static const char *const order[] = {"eventId", "method", "media", "caller",
                                        "callee", "parties", "extra"};
    assert_int_equal(l->count, 7);
    for (size_t i = 0; i < 7; i++)
        assert_string_equal(l->items[i]->name, order[i]);

    const shape *party = catalog_find_shape(c, "party");
    assert_non_null(party);
    assert_string_equal(party->doc, "Someone on a call.");
    const prop *caller = l->items[3];
    assert_int_equal(caller->kind, PROP_OBJECT);
    assert_string_equal(caller->shape_name, "party");
    assert_true(caller->required);
    assert_int_equal(caller->props.count, 2);
    assert_ptr_equal(caller->props.items, party->props.items); /* shared, read-only */
    assert_false(l->items[4]->required);
    assert_int_equal(l->items[4]->kind, PROP_OBJECT);

    const prop *parties = l->items[5];
    assert_int_equal(parties->kind, PROP_ARRAY);
    assert_int_equal(parties->min_items, 1);
    assert_int_equal(parties->max_items, 8);
    assert_int_equal(parties->items->kind, PROP_OBJECT);
    assert_null(parties->items->name);

    const prop *extra = l->items[6];
    assert_int_equal(extra->kind, PROP_OBJECT);
    assert_null(extra->shape_name);
    assert_int_equal(extra->props.count, 3);
    assert_string_equal(extra->props.items[0]->name, "name");
    assert_string_equal(extra->props.items[2]->name, "default");
    assert_string_equal(extra->props.items[2]->c_name, "is_default");

    const shape *chat = catalog_find_shape(c, "chat");
    assert_int_equal(chat->props.count, 3);
    assert_int_equal(chat->resolve_state, 2);
    assert_null(catalog_find_shape(c, "nope"));
    catalog_free(c);
}

static void test_inline_dump(void **state)
{
    (void)state;
    catalog *c = load_ok(HEAD "        sunset: 2026-01-01\n"
                              "        properties:\n"
                              "          kind: {type: enum, values: [a, \"b\\\"q\"]}\n"
                              "          tags: {type: array, items: string, min_items: 1}\n");
    char *out;
    size_t len;
    FILE *f = open_memstream(&out, &len);
    assert_true(dump_catalog(c, f));
    fclose(f);
    static const char want[] =
        "{\n"
        "  \"products\": [],\n"
        "  \"wires\": [],\n"
        "  \"events\": [\n"
        "    {\n"
        "      \"name\": \"aw-interaction-focus-v1\",\n"
        "      \"product\": null,\n"
        "      \"direction\": \"received\",\n"
        "      \"version_required\": false,\n"
        "      \"wires\": [],\n"
        "      \"versions\": [\n"
        "        {\n"
        "          \"version\": \"1.0.0\",\n"
        "          \"status\": \"active\",\n"
        "          \"active\": \"2025-03-26\",\n"
        "          \"deprecated\": null,\n"
        "          \"sunset\": \"2026-01-01\",\n"
        "          \"properties\": [\n"
        "            {\n"
        "              \"name\": \"kind\",\n"
        "              \"type\": \"enum\",\n"
        "              \"required\": true,\n"
        "              \"nullable\": false,\n"
        "              \"values\": [\n"
        "                \"a\",\n"
        "                \"b\\\"q\"\n"
        "              ],\n"
        "              \"properties\": [],\n"
        "              \"items\": null,\n"
        "              \"min_items\": null,\n"
        "              \"max_items\": null\n"
        "            },\n"
        "            {\n"
        "              \"name\": \"tags\",\n"
        "              \"type\": \"array\",\n"
        "              \"required\": true,\n"
        "              \"nullable\": false,\n"
        "              \"values\": null,\n"
        "              \"properties\": [],\n"
        "              \"items\": {\n"
        "                \"name\": null,\n"
        "                \"type\": \"string\",\n"
        "                \"required\": true,\n"
        "                \"nullable\": false,\n"
        "                \"values\": null,\n"
        "                \"properties\": [],\n"
        "                \"items\": null,\n"
        "                \"min_items\": null,\n"
        "                \"max_items\": null\n"
        "              },\n"
        "              \"min_items\": 1,\n"
        "              \"max_items\": null\n"
        "            }\n"
        "          ]\n"
        "        }\n"
        "      ]\n"
        "    }\n"
        "  ]\n"
        "}\n";
    assert_string_equal(out, want);
    free(out);
    catalog_free(c);
}

static void test_inline_errors_keep_going(void **state)
{
    (void)state;
    /* One run reports the loader's and the checker's errors. */
    expect_errors(HEAD "        properties:\n"
                       "          a: {type: strin}\n"
                       "          b: {type: enum, values: [x, x]}\n"
                       "          c: {type: object, properties: {int: string}}\n",
                  "inline.yaml:12:21: error: property 'a': unknown type 'strin' (expected one of "
                  "string, boolean, integer, number, const, enum, object, array, any, or a "
                  "shape name); did you mean 'string'?\n"
                  "inline.yaml:13:39: error: property 'b': duplicate enum value 'x'\n"
                  "inline.yaml:14:42: error: property 'c.int': 'int' is a C keyword; add c_name: "
                  "to name the member\n");
}

static void test_inline_unknown_type_no_guess(void **state)
{
    (void)state;
    expect_errors(HEAD "        properties:\n"
                       "          a: zzzzzzzz\n",
                  "inline.yaml:12:14: error: property 'a': unknown type 'zzzzzzzz' (expected one "
                  "of string, boolean, integer, number, const, enum, object, array, any, or a "
                  "shape name)\n");
}

static void test_inline_object_shadowing(void **state)
{
    (void)state;
    /* Shadowing is checked in inline objects too. */
    expect_errors("format: 1\n"
                  "shapes:\n"
                  "  party: {properties: {name: string}}\n"
                  "events:\n"
                  "  - name: aw-interaction-focus-v1\n"
                  "    version_required: false\n"
                  "    direction: received\n"
                  "    wires: []\n"
                  "    versions:\n"
                  "      - version: 1.0.0\n"
                  "        status: active\n"
                  "        active: 2025-03-26\n"
                  "        extends: [party]\n"
                  "        properties:\n"
                  "          o: {type: object, extends: [party], properties: {name: string}}\n",
                  "inline.yaml:15:60: error: property 'o.name' shadows the property inherited "
                  "from shape 'party'\n");
    /* A C-name clash inside a shape is one clash in one C type, reported
     * once however many types embed it. */
    expect_errors("format: 1\n"
                  "shapes:\n"
                  "  party: {properties: {name: string, alias: {type: string, c_name: name}}}\n"
                  "events:\n"
                  "  - name: aw-interaction-focus-v1\n"
                  "    version_required: false\n"
                  "    direction: received\n"
                  "    wires: []\n"
                  "    versions:\n"
                  "      - version: 1.0.0\n"
                  "        status: active\n"
                  "        active: 2025-03-26\n"
                  "        extends: [party]\n"
                  "        properties:\n"
                  "          o: {type: object, extends: [party], properties: {x: string}}\n",
                  "inline.yaml:3:38: error: property 'alias': C name 'name' is already used by "
                  "property 'name'; set a different c_name:\n");
}

static void test_inline_expansion_limit(void **state)
{
    (void)state;
    /* Each shape holds two of the next: 2^20 properties once expanded. */
    size_t cap = 64 * 1024, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)snprintf(text + n, cap - n, "format: 1\nshapes:\n");
    for (int i = 0; i < 20; i++)
        n += (size_t)snprintf(text + n, cap - n,
                              "  s%d: {properties: {a: s%d, b: s%d}}\n", i, i + 1, i + 1);
    n += (size_t)snprintf(text + n, cap - n, "  s20: {properties: {leaf: string}}\n");
    snprintf(text + n, cap - n,
             "events:\n"
             "  - name: e\n"
             "    version_required: false\n"
             "    direction: received\n"
             "    wires: []\n"
             "    versions:\n"
             "      - {version: 1.0.0, status: active, active: 2025-01-01, extends: [s0]}\n");
    expect_errors(text, "inline.yaml:30:19: error: event 'e' version 1.0.0 expands to more "
                        "than 100000 properties\n");
    free(text);
}

#define ONE_EVENT                                                                             \
    "events:\n"                                                                              \
    "  - name: mashell-chat-offered-cc-event-v1\n"                                           \
    "    version_required: false\n"                                                                 \
    "    direction: received\n"                                                              \
    "    wires: []\n"                                                                    \
    "    versions:\n"                                                                        \
    "      - {version: 1.0.0, status: active, active: 2025-05-06, properties: {id: string}}\n"

/* A long extends chain over a big shape: every link copies the list, so
 * the copies are bounded in all, not only per version. */
static void test_inline_merge_budget(void **state)
{
    (void)state;
    size_t cap = 1 << 20, n = 0;
    char *text = malloc(cap);
    assert_non_null(text);
    n += (size_t)snprintf(text + n, cap - n, "format: 1\nshapes:\n  s0: {properties: {");
    for (int i = 0; i < 20000; i++)
        n += (size_t)snprintf(text + n, cap - n, "%sp%d: string", i ? ", " : "", i);
    n += (size_t)snprintf(text + n, cap - n, "}}\n");
    for (int i = 1; i < 60; i++)
        n += (size_t)snprintf(text + n, cap - n, "  s%d: {extends: [s%d]}\n", i, i - 1);
    snprintf(text + n, cap - n,
             "events:\n"
             "  - {name: e, direction: received, wires: [],\n"
             "     versions: [{version: 1.0.0, status: active, active: 2025-01-01,\n"
             "                 properties: {x: string}}]}\n");
    /* s1..s50 copy 50 * 20000 = 1000000 entries; s51 is one too many. */
    expect_errors(text, "inline.yaml:54:19: error: shapes inherited through 'extends' add up to "
                        "more than 1000000 properties across the catalog\n");
    free(text);
}

static void test_inline_wires(void **state)
{
    (void)state;
    catalog *c = load_ok("format: 1\n"
                         "products: [shop]\n"
                         "wires:\n"
                         "  bus:\n"
                         "    envelope:\n"
                         "      kind: {const: event}\n"
                         "      spec: {role: format-version, const: '2', required: false}\n"
                         "      meta: {members: {topic: name, body: payload}}\n"
                         "    payload_version: v\n"
                         "    forms:\n"
                         "      dead:\n"
                         "        envelope: {kind: {const: dead}, meta: {members: {why: {const: x}}}}\n"
                         "        select: reason\n"
                         "        payloads: {GONE: gone}\n"
                         "shapes:\n"
                         "  gone: {properties: {reason: {type: const, value: GONE}}}\n"
                         "events:\n"
                         "  - {name: e, product: shop, direction: send, wires: [bus],\n"
                         "     versions: [{version: 1.0.0, status: active, active: 2025-01-01,\n"
                         "                 properties: {id: string, tags: {type: map, values: string},\n"
                         "                              v: {type: const, value: 1.0.0}}}]}\n");
    assert_int_equal(c->products.count, 1);
    assert_int_equal(c->wire_count, 1);
    const wire *w = c->wires[0];
    assert_string_equal(w->payload_version, "v");
    assert_int_equal(w->members.count, 3);
    assert_true(w->members.items[1]->format_version);
    assert_false(w->members.items[1]->required);
    assert_int_equal(w->members.items[2]->role, ROLE_OBJECT);
    assert_int_equal(w->members.items[2]->members.items[0]->role, ROLE_NAME);
    assert_int_equal(w->members.items[2]->members.items[1]->role, ROLE_PAYLOAD);
    /* The form: the base's members, kind replaced, meta merged member by member. */
    assert_int_equal(w->form_count, 1);
    const wire *f = w->forms[0];
    assert_string_equal(f->name, "bus/dead");
    assert_ptr_equal(f->base, w);
    assert_string_equal(f->members.items[0]->value, "dead");
    assert_string_equal(f->payload_version, "v");
    assert_int_equal(f->members.items[2]->members.count, 3);
    assert_string_equal(f->members.items[2]->members.items[2]->key, "why");
    assert_string_equal(f->select, "reason");
    assert_ptr_equal(f->payloads[0]->shape, catalog_find_shape(c, "gone"));
    const event *e = c->events[0];
    assert_int_equal(e->product_index, 0);
    assert_true(e->version_required); /* direction send */
    assert_ptr_equal(e->wires[0], w);
    const prop *tags = find_prop(&e->versions[0]->props, "tags");
    assert_int_equal(tags->kind, PROP_MAP);
    assert_int_equal(tags->items->kind, PROP_STRING);
    catalog_free(c);
}

/* MARK: small functions */

static void test_semver(void **state)
{
    (void)state;
    semver v;
    assert_true(semver_parse("0.0.0", &v));
    assert_true(semver_parse("10.20.30", &v));
    assert_int_equal(v.major, 10);
    assert_int_equal(v.minor, 20);
    assert_int_equal(v.patch, 30);
    assert_true(semver_parse("2147483647.0.0", &v));
    static const char *const bad[] = {"", "1", "1.0", "1.0.0.0", "01.0.0", "1.00.0",
                                      "1.0.01", "1.0.0-rc1", " 1.0.0", "1.0.0 ", "a.b.c",
                                      "2147483648.0.0", "1..0", "-1.0.0", "1.0.0."};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (semver_parse(bad[i], &v))
            fail_msg("'%s' accepted", bad[i]);
    semver a = {1, 0, 9}, b = {1, 0, 10}, c = {1, 1, 0};
    assert_true(semver_compare(a, b) < 0);
    assert_true(semver_compare(c, b) > 0);
    assert_int_equal(semver_compare(a, a), 0);
}

static void test_dates(void **state)
{
    (void)state;
    civil_date d;
    assert_true(civil_date_parse("2024-02-29", &d));
    assert_int_equal(d.day, 29);
    assert_true(civil_date_parse("2000-02-29", &d));
    assert_true(civil_date_parse("0001-01-01", &d));
    assert_true(civil_date_parse("9999-12-31", &d));
    static const char *const bad[] = {"2025-02-29", "1900-02-29", "2025-04-31", "2025-00-10",
                                      "2025-13-01", "2025-01-00", "0000-01-01", "2025-1-01",
                                      "2025/01/01", "20250101", "2025-01-01T00", ""};
    for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++)
        if (civil_date_parse(bad[i], &d))
            fail_msg("'%s' accepted", bad[i]);
    civil_date x = {2025, 1, 19}, y = {2025, 9, 8};
    assert_true(civil_date_compare(x, y) < 0);
    assert_int_equal(civil_date_compare(y, y), 0);
}

static void test_names(void **state)
{
    (void)state;
    assert_true(name_is_catalog_name("aw-interaction-focus-v1"));
    assert_false(name_is_catalog_name("Aw"));
    assert_false(name_is_catalog_name("1a"));
    assert_false(name_is_catalog_name(""));
    assert_false(name_is_catalog_name("a_b"));
    assert_true(name_is_c_identifier("_x1"));
    assert_false(name_is_c_identifier("call-id"));
    assert_false(name_is_c_identifier("2fast"));
    assert_false(name_is_c_identifier(""));
    static const char *const kw[] = {"int", "default", "switch", "bool", "true", "false",
                                     "NULL", "_Bool", "register", "restrict", "inline",
                                     "static_assert", "alignas", "typeof", "while"};
    for (size_t i = 0; i < sizeof kw / sizeof kw[0]; i++)
        if (!name_is_c_keyword(kw[i]))
            fail_msg("'%s' is a keyword", kw[i]);
    assert_false(name_is_c_keyword("type"));
    assert_false(name_is_c_keyword("method"));
    assert_true(name_is_c_reserved("__x"));
    assert_true(name_is_c_reserved("_X"));
    assert_false(name_is_c_reserved("_x"));

    char *s = name_c_struct("ev", "aw-interaction-focus-v1", "1.0.0");
    assert_string_equal(s, "ev_aw_interaction_focus_v1_1_0_0");
    free(s);
    s = name_c_upper("in-progress.é");
    assert_string_equal(s, "IN_PROGRESS___");
    assert_true(name_c_upper_usable(s));
    free(s);
    s = name_c_upper("--");
    assert_false(name_c_upper_usable(s));
    free(s);

    assert_int_equal(name_distance("enm", "enum", 3), 1);
    assert_int_equal(name_distance("kitten", "sitting", 5), 3);
    assert_int_equal(name_distance("a", "abcdef", 2), 3); /* over the limit */
    assert_int_equal(name_distance("same", "same", 0), 0);

    const char *names[] = {"b", "a", NULL, "b", "c", "a", NULL};
    size_t *first = names_first_index(names, 7);
    static const size_t want[] = {0, 1, 2, 0, 4, 1, 6};
    for (size_t i = 0; i < 7; i++)
        assert_int_equal(first[i], want[i]);
    free(first);
    assert_null(names_first_index(names, 0));
}

int main(void)
{
    const struct CMUnitTest real[] = {
        cmocka_unit_test(test_real_counts),
        cmocka_unit_test(test_real_started_direction),
        cmocka_unit_test(test_real_user_email),
        cmocka_unit_test(test_real_maestro_method),
        cmocka_unit_test(test_real_call_connect),
        cmocka_unit_test(test_real_wrap_up_code_description),
        cmocka_unit_test(test_real_focus_lifecycle),
        cmocka_unit_test(test_real_fully_resolved),
        cmocka_unit_test(test_real_dump_is_deterministic),
    };
    const struct CMUnitTest inline_tests[] = {
        cmocka_unit_test(test_inline_minimal),
        cmocka_unit_test(test_inline_shapes_resolved),
        cmocka_unit_test(test_inline_dump),
        cmocka_unit_test(test_inline_errors_keep_going),
        cmocka_unit_test(test_inline_unknown_type_no_guess),
        cmocka_unit_test(test_inline_object_shadowing),
        cmocka_unit_test(test_inline_expansion_limit),
        cmocka_unit_test(test_inline_merge_budget),
        cmocka_unit_test(test_inline_wires),
        cmocka_unit_test(test_semver),
        cmocka_unit_test(test_dates),
        cmocka_unit_test(test_names),
    };
    int failed = cmocka_run_group_tests_name("real catalog.yaml", real, load_real, free_real);
    failed += cmocka_run_group_tests_name("inline catalogs", inline_tests, NULL, NULL);
    return failed ? 1 : 0;
}
