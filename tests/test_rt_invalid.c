/* test_rt_invalid.c - what the generated parsers must reject, and how they
 * say so: the exact code, JSON Pointer and (where it is well defined) byte
 * offset of every error.
 *
 * Rule checks (missing, type, const, enum, items) start from the upstream
 * samples and mutate one value at a time. What each mutation must give is
 * decided by tests/catalog_props.h, a table written from `evgen --dump`
 * (tests/tools/gen_catalog_props.py), never by the generated code. Each
 * mutated payload goes through four entry points:
 *   bare   evg_parse_payload_document, what ev_<event>_parse wraps
 *   wire   evg_parse_document in the event's envelope, what _parse_wire wraps
 *   any    ev_parse_any on the same envelope (SDK events: version stated)
 *   route  ev_parse_bare for Partner SDK payloads
 * and the pointer must be the payload's pointer behind the envelope's path.
 *
 * Tests named regression_* show defects of the generated code; they are
 * skipped unless EVG_KNOWN_BUGS is set in the environment. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_props.h"
#include "dispatch.h"
#include "json_tree.h"
#include "test_util.h"

#define ARENA_SIZE (1u << 16)

static char g_arena_buf[ARENA_SIZE];

static evg_arena fresh_arena(void)
{
    evg_arena a;
    evg_arena_init(&a, g_arena_buf, sizeof g_arena_buf);
    return a;
}

static const char *code_name(evg_code c)
{
    return evg_code_name(c);
}

static const cp_version *table_of(const evg_version_info *v)
{
    for (size_t i = 0; i < CP_VERSION_COUNT; i++)
        if (strcmp(cp_versions[i].event, v->event) == 0 && strcmp(cp_versions[i].version, v->version) == 0)
            return &cp_versions[i];
    fail_msg("%s %s is not in tests/catalog_props.h", v->event, v->version);
    return NULL;
}

static const cp_prop *row_of(const cp_version *t, const char *pointer)
{
    for (size_t i = 0; i < t->count; i++)
        if (strcmp(t->props[i].pointer, pointer) == 0)
            return &t->props[i];
    return NULL;
}

/* MARK: running one document ------------------------------------------------ */

/* What a document must give. code EVG_ERR_OK: success. pointer and offset
 * are relative to the payload; pointer NULL, offset -1 and message NULL are
 * not checked. */
typedef struct expect {
    evg_code code;
    const char *pointer;
    long offset;
    const char *message;
} expect;

static bool matches(bool ok, const evg_error *err, const expect *want, const char *ptr_prefix, size_t off_prefix)
{
    if (want->code == EVG_ERR_OK || ok)
        return ok == (want->code == EVG_ERR_OK);
    char pointer[EVG_POINTER_MAX + 64];
    snprintf(pointer, sizeof pointer, "%s%s", ptr_prefix, want->pointer ? want->pointer : "");
    return err->code == want->code && (!want->pointer || strcmp(err->pointer, pointer) == 0) &&
           (want->offset < 0 || err->offset == off_prefix + (size_t)want->offset);
}

static void check_result(bool ok, const evg_error *err, const expect *want, const char *ptr_prefix,
                         size_t off_prefix, const char *path, const char *doc, size_t doc_len)
{
    char got[600];
    evg_error_format(err, got, sizeof got);
    if (want->code == EVG_ERR_OK) {
        if (!ok)
            fail_msg("[%s] expected success, got %s\n  document: %.*s", path, got, (int)doc_len, doc);
        return;
    }
    if (ok)
        fail_msg("[%s] expected %s at %s%s, got success\n  document: %.*s", path, code_name(want->code),
                 ptr_prefix, want->pointer, (int)doc_len, doc);
    char pointer[EVG_POINTER_MAX + 64];
    snprintf(pointer, sizeof pointer, "%s%s", ptr_prefix, want->pointer ? want->pointer : "(any)");
    if (err->code != want->code || (want->pointer && strcmp(err->pointer, pointer) != 0) ||
        (want->offset >= 0 && err->offset != off_prefix + (size_t)want->offset) ||
        (want->message && (!err->message || strcmp(err->message, want->message) != 0)))
        fail_msg("[%s] expected %s: %s: %s (offset %ld), got %s\n  document: %.*s", path, code_name(want->code),
                 pointer, want->message ? want->message : "...",
                 want->offset >= 0 ? (long)off_prefix + want->offset : -1L, got, (int)doc_len, doc);
}

enum { VIA_BARE = 1, VIA_WIRE = 2, VIA_ANY = 4, VIA_ROUTE = 8, VIA_ALL = 15,
       /* ev_parse_any on a wire that states the event version in the
        * envelope (the directive) gives `want` (not `routed`): for
        * schemaVersion. */
       VIA_VERSION_IN_ENVELOPE = 16 };

static size_t g_runs;   /* documents parsed by run_payload, for the case counts */

/* Runs one payload (minified text) of version `v` through the entry points
 * in `via`. `routed` is what ev_parse_any and ev_parse_bare must give, where
 * it differs from the typed parsers (NULL: the same as `want`): they scan
 * the whole document before parsing the payload, and read the version from
 * the payload where the envelope states none. */
static void run_payload(const evg_version_info *v, const char *payload, size_t len, unsigned flags,
                        const expect *want, const expect *routed, unsigned via)
{
    if (!routed)
        routed = want;
    evg_error err;
    evg_arena a;
    void *out = malloc(v->struct_size);
    char *copy = malloc(len ? len : 1);   /* exact size: ASan sees over-reads */
    memcpy(copy, payload, len);
    if (via & VIA_BARE) {
        a = fresh_arena();
        bool ok = evg_parse_payload_document(copy, len, v->parse, out, v->struct_size, &a, flags, &err);
        check_result(ok, &err, want, "", 0, "bare", payload, len);
        g_runs++;
    }
    free(copy);
    if (via & (VIA_WIRE | VIA_ANY)) {
        const char *suffix;
        tu_wire wire = tu_home_wire(v);
        char *prefix = tu_envelope_prefix(wire, v->event, tu_stated(wire, v), &suffix);
        size_t plen = strlen(prefix), slen = strlen(suffix), wlen = plen + len + slen;
        char *doc = malloc(wlen);   /* exact size, and payloads may hold NUL bytes */
        memcpy(doc, prefix, plen);
        memcpy(doc + plen, payload, len);
        memcpy(doc + plen + len, suffix, slen);
        const char *ptr = tu_payload_pointer(wire);
        size_t off = strlen(prefix);
        if (via & VIA_WIRE) {
            a = fresh_arena();
            static evg_slot slots[256];
            bool ok = evg_parse_wire_document(doc, wlen, &ev_catalog, slots, event_of(v->event), v, out, &a,
                                              flags, &err);
            /* How the typed envelope parser reads the envelope is its own
             * business: it must give what the typed bare parser gives, or
             * what the envelope scan of ev_parse_any gives (the message aside). */
            if (!matches(ok, &err, routed, ptr, off))
                check_result(ok, &err, want, ptr, off, "wire", doc, wlen);
            g_runs++;
        }
        if (via & VIA_ANY) {
            ev_any any;
            a = fresh_arena();
            bool ok = ev_parse_any(doc, wlen, &any, &a, flags, &err);
            bool typed = wire == TU_WIRE_DIRECTIVE && (via & VIA_VERSION_IN_ENVELOPE);
            check_result(ok, &err, typed ? want : routed, ptr, off, "any", doc, wlen);
            g_runs++;
        }
        free(doc);
        free(prefix);
    }
    if ((via & VIA_ROUTE) && tu_home_wire(v) != TU_WIRE_MAESTRO) {
        ev_any any;
        a = fresh_arena();
        bool ok = ev_parse_bare(event_of(v->event), payload, len, &any, &a, flags, &err);
        check_result(ok, &err, routed, "", 0, "route", payload, len);
        g_runs++;
    }
    free(out);
}

static const expect OK = {EVG_ERR_OK, "", -1, NULL};

/* MARK: the table is the catalog ------------------------------------------- */

static void test_table_matches_dispatch(void **state)
{
    (void)state;
    assert_int_equal(CP_VERSION_COUNT, EV_VERSION_COUNT);
    for (size_t i = 0; i < EV_VERSION_COUNT; i++) {
        const evg_version_info *v = &ev_versions[i];
        const evg_event_info *e = event_of(v->event);
        const cp_version *t = table_of(v);
        assert_string_equal(t->wire, e->wire_count ? ev_wires[e->wires[0]].name : "");
        assert_string_equal(t->direction, evg_direction_name(e->direction));
    }
}

/* MARK: missing required properties ------------------------------------------ */

/* Removes each key of each object of the payload in turn (objects inside
 * `any` values excepted): required keys must be reported missing, at the
 * object's closing brace; optional ones may go. */
static void missing_walk(const tu_sample *s, const cp_version *t, const char *ptr, const char *norm,
                         size_t *required, size_t *optional)
{
    jt_node *tree = jt_parse(s->payload, s->payload_len);
    jt_node *node = jt_at(tree, ptr);
    assert_non_null(node);
    for (size_t i = 0; i < node->n; i++) {
        char child_ptr[512], child_norm[512];
        if (node->type == JT_OBJECT) {
            snprintf(child_ptr, sizeof child_ptr, "%s/%s", ptr, node->kids[i].key);
            snprintf(child_norm, sizeof child_norm, "%s/%s", norm, node->kids[i].key);
        } else {
            snprintf(child_ptr, sizeof child_ptr, "%s/%zu", ptr, i);
            snprintf(child_norm, sizeof child_norm, "%s/0", norm);
        }
        const cp_prop *row = row_of(t, child_norm);
        if (!row)
            fail_msg("%s: %s is not in the catalog", s->file, child_norm);
        if (node->type == JT_OBJECT) {
            jt_node *mutated = jt_parse(s->payload, s->payload_len);
            jt_node *obj = jt_at(mutated, ptr);
            jt_remove_at(obj, i);
            size_t len, close;
            char *text = jt_write_marked(mutated, 0, &len, obj, NULL, &close);
            if (row->required) {
                expect want = {EVG_ERR_MISSING, child_ptr, (long)close, "required property missing"};
                /* A send event's schemaVersion is also the version it is
                 * routed by: the router misses it first, at the payload. */
                bool routing = strcmp(child_norm, "/schemaVersion") == 0 &&
                               event_of(s->info->event)->version_required;
                expect routed = {EVG_ERR_VERSION_MISSING, "", 0, NULL};
                /* A response is named by its payload's `request`: without
                 * it the document is no message the router knows. */
                bool names = strcmp(child_norm, "/request") == 0 &&
                             tu_home_wire(s->info) == TU_WIRE_SDK_RESPONSE;
                expect unnamed = {EVG_ERR_ENVELOPE, child_ptr, (long)close, "required property missing"};
                if (names) {
                    run_payload(s->info, text, len, 0, &want, NULL, VIA_BARE | VIA_ROUTE);
                    run_payload(s->info, text, len, 0, &unnamed, NULL, VIA_WIRE | VIA_ANY);
                } else {
                    run_payload(s->info, text, len, 0, &want, routing ? &routed : NULL, VIA_ALL);
                }
                ++*required;
            } else {
                run_payload(s->info, text, len, 0, &OK, NULL, VIA_ALL);
                ++*optional;
            }
            free(text);
            jt_free(mutated);
        }
        if (strcmp(row->type, "object") == 0 || strcmp(row->type, "array") == 0)
            missing_walk(s, t, child_ptr, child_norm, required, optional);
    }
    jt_free(tree);
}

static void test_missing_required(void **state)
{
    (void)state;
    size_t n, required = 0, optional = 0, top_required = 0;
    tu_sample *s = tu_load_samples(&n);
    assert_int_equal(n, EV_VERSION_COUNT);
    for (size_t i = 0; i < n; i++) {
        const cp_version *t = table_of(s[i].info);
        /* Every required top-level property is in the sample, so each is tested. */
        jt_node *tree = jt_parse(s[i].payload, s[i].payload_len);
        for (size_t r = 0; r < t->count; r++) {
            const cp_prop *p = &t->props[r];
            if (p->required && strchr(p->pointer + 1, '/') == NULL) {
                if (!jt_at(tree, p->pointer))
                    fail_msg("%s: required %s not in the sample", s[i].file, p->pointer);
                top_required++;
            }
        }
        jt_free(tree);
        missing_walk(&s[i], t, "", "", &required, &optional);
    }
    assert_true(top_required > 0);
    assert_true(required > top_required);   /* nested required keys too */
    print_message("missing: %zu required keys removed (%zu top-level), %zu optional keys removed, %zu parses\n",
                  required, top_required, optional, g_runs);
    tu_free_samples(s, n);
}

/* MARK: wrong types ------------------------------------------------------------ */

/* Values of the wrong type for each catalog type; null is tried separately. */
static const char *const *wrong_values(const char *type)
{
    static const char *const for_string[] = {"123", "true", "false", "{}", "[]", "-0.5", NULL};
    static const char *const for_bool[] = {"\"true\"", "1", "0", "{}", "[]", "\"\"", NULL};
    static const char *const for_number[] = {"\"1\"", "true", "{}", "[]", "\"\"", NULL};
    static const char *const for_object[] = {"[]", "\"{}\"", "1", "true", "[{}]", NULL};
    static const char *const for_array[] = {"{}", "\"[]\"", "1", "false", "{\"0\":1}", NULL};
    static const char *const for_token[] = {"1", "true", "{}", "[]", "[\"inbound\"]", NULL};
    static const char *const none[] = {NULL};
    if (strcmp(type, "string") == 0) return for_string;
    if (strcmp(type, "boolean") == 0) return for_bool;
    if (strcmp(type, "number") == 0 || strcmp(type, "integer") == 0) return for_number;
    if (strcmp(type, "object") == 0 || strcmp(type, "map") == 0) return for_object;
    if (strcmp(type, "array") == 0) return for_array;
    if (strcmp(type, "enum") == 0 || strcmp(type, "const") == 0) return for_token;
    return none;   /* any: every value is of its type */
}

/* The payload with the value at `pointer` replaced by `json`; *at is where
 * the new value starts. NULL when the sample has nothing at `pointer`. */
static char *replaced(const tu_sample *s, const char *pointer, const char *json, size_t *len, size_t *at,
                      size_t *close)
{
    jt_node *tree = jt_parse(s->payload, s->payload_len);
    jt_node *node = jt_at(tree, pointer);
    if (!node) {
        jt_free(tree);
        return NULL;
    }
    assert_true(jt_replace(node, json));
    char *text = jt_write_marked(tree, 0, len, node, at, close);
    jt_free(tree);
    return text;
}

static void test_wrong_types(void **state)
{
    (void)state;
    size_t n, cases = 0, nulls_ok = 0, props = 0;
    size_t runs_before = g_runs;
    tu_sample *s = tu_load_samples(&n);
    for (size_t i = 0; i < n; i++) {
        const cp_version *t = table_of(s[i].info);
        for (size_t r = 0; r < t->count; r++) {
            const cp_prop *p = &t->props[r];
            const char *const *wrong = wrong_values(p->type);
            size_t len, at;
            char *probe = replaced(&s[i], p->pointer, "null", &len, &at, NULL);
            if (!probe)
                continue;   /* not in this sample */
            props++;
            /* null: fine where nullable (and for any), a type error elsewhere. */
            if (p->nullable || strcmp(p->type, "any") == 0) {
                run_payload(s[i].info, probe, len, 0, &OK, NULL, VIA_ALL);
                nulls_ok++;
            } else {
                expect want = {EVG_ERR_TYPE, p->pointer, (long)at, NULL};
                run_payload(s[i].info, probe, len, 0, &want, NULL, VIA_ALL);
                cases++;
            }
            free(probe);
            for (; *wrong; wrong++) {
                char *text = replaced(&s[i], p->pointer, *wrong, &len, &at, NULL);
                expect want = {EVG_ERR_TYPE, p->pointer, (long)at, NULL};
                run_payload(s[i].info, text, len, 0, &want, NULL, VIA_ALL);
                free(text);
                cases++;
            }
        }
    }
    print_message("types: %zu wrong-type values on %zu properties, %zu accepted nulls, %zu parses\n", cases,
                  props, nulls_ok, g_runs - runs_before);
    assert_true(cases > 3000);
    tu_free_samples(s, n);
}

/* The exact messages, on the examples of the brief. */
static void test_wrong_type_pointers(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-wrap-up-codes-v1", "1.0.1");
    const char *base =
        "{\"interactionId\":\"i\",\"wrapUpCodes\":[{\"assignments\":{\"type\":\"t\",\"list\":[]},\"autoSort\":false,"
        "\"id\":\"g\",\"isAgentDefault\":true,\"name\":\"n\",\"primaryLang\":\"fr\",\"multiChoice\":true,"
        "\"reqBeforeOutbound\":false,\"required\":false,\"items\":[{\"id\":\"1\",\"parentId\":\"h\",\"callLineId\":\"c\","
        "\"dispositionCode\":\"d\",\"menuText\":\"m\",\"ordinate\":\"2\",\"queueObjId\":\"q\",\"reportText\":\"r\","
        "\"shortCodeText\":\"s\",\"shortKeyText\":\"k\",\"callBackTime\":%s}]}]}";
    char *doc = tu_printf(NULL, base, "\"60\"");
    long at = (long)(strstr(doc, "\"60\"") - doc);
    expect want = {EVG_ERR_TYPE, "/wrapUpCodes/0/items/0/callBackTime", at, "expected a number"};
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_ALL);
    free(doc);
    doc = tu_printf(NULL, base, "null");
    at = (long)(strstr(doc, "null") - doc);
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_ALL);
    free(doc);

    v = version_of("aw-chat-init-v1", "1.0.0");
    const char *chat = "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":1,\"type\":\"t\","
                       "\"rawMessage\":1},{\"id\":\"b\",\"timestamp\":2,\"type\":\"t\",\"rawMessage\":2,"
                       "\"author\":{\"id\":%s,\"email\":\"\",\"name\":\"\"}}]}";
    doc = tu_printf(NULL, chat, "42");
    at = (long)(strstr(doc, "42") - doc);
    expect want2 = {EVG_ERR_TYPE, "/messages/1/author/id", at, "expected a string"};
    run_payload(v, doc, strlen(doc), 0, &want2, NULL, VIA_ALL);
    free(doc);

    /* Each message, for each kind of value. */
    v = version_of("aw-interaction-focus-v3", "3.0.0");
    static const struct { const char *doc, *pointer, *message; } cases[] = {
        {"{\"interactionId\":\"i\",\"queue\":{\"id\":\"q\",\"queueId\":\"x\",\"queueName\":\"n\"},\"isManual\":\"true\"}",
         "/isManual", "expected true or false"},
        {"{\"interactionId\":7,\"queue\":{\"id\":\"q\",\"queueId\":\"x\",\"queueName\":\"n\"},\"isManual\":true}",
         "/interactionId", "expected a string"},
        {"{\"interactionId\":\"i\",\"queue\":[],\"isManual\":true}", "/queue", "expected an object"},
        {"{\"interactionId\":\"i\",\"queue\":null,\"isManual\":true}", "/queue", "expected an object"},
        {"{\"interactionId\":\"i\",\"queue\":{\"id\":\"q\",\"queueId\":null,\"queueName\":\"n\"},\"isManual\":true}",
         "/queue/queueId", "expected a string"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        expect w = {EVG_ERR_TYPE, cases[i].pointer, -1, cases[i].message};
        run_payload(v, cases[i].doc, strlen(cases[i].doc), 0, &w, NULL, VIA_ALL);
    }
    v = version_of("aw-interaction-wrap-up-codes-received-v1", "1.0.0");
    const char *arr = "{\"interactionId\":\"i\",\"wrapUpCodes\":{},\"schemaVersion\":\"1.0.0\"}";
    expect w3 = {EVG_ERR_TYPE, "/wrapUpCodes", (long)(strstr(arr, "{}") - arr), "expected an array"};
    run_payload(v, arr, strlen(arr), 0, &w3, NULL, VIA_ALL);
    /* An integer-looking number is still a number, not a string. */
    v = version_of("mashell-voice-phone-completed-cc-event-v1", "1.0.0");
    const char *dur = "{\"eventId\":\"e\",\"direction\":\"inbound\",\"searchContext\":\"s\",\"method\":\"mapEvent\","
                      "\"media\":\"phone\",\"startTime\":\"1\",\"endTime\":\"2\",\"callDuration\":22,"
                      "\"hasRecording\":false,\"eventName\":\"completed\"}";
    expect w4 = {EVG_ERR_TYPE, "/callDuration", (long)(strstr(dur, "22") - dur), "expected a string"};
    run_payload(v, dur, strlen(dur), 0, &w4, NULL, VIA_ALL);
}

/* MARK: constants and enums ----------------------------------------------------- */

/* Whether `pointer` lies under an optional member the sample leaves out
 * (the chat Attachment, typed from the SDK, has no upstream sample). */
static bool under_absent_optional(const tu_sample *s, const cp_version *t, const char *pointer)
{
    char prefix[512];
    snprintf(prefix, sizeof prefix, "%s", pointer);
    jt_node *tree = jt_parse(s->payload, s->payload_len);
    bool found = false;
    for (char *cut = strrchr(prefix, '/'); cut && cut != prefix && !found; cut = strrchr(prefix, '/')) {
        *cut = '\0';
        const cp_prop *row = row_of(t, prefix);
        if (row && !row->required && !jt_at(tree, prefix))
            found = true;
    }
    jt_free(tree);
    return found;
}

static void test_bad_const_and_enum(void **state)
{
    (void)state;
    size_t n, consts = 0, enums = 0, good = 0;
    tu_sample *s = tu_load_samples(&n);
    for (size_t i = 0; i < n; i++) {
        const cp_version *t = table_of(s[i].info);
        for (size_t r = 0; r < t->count; r++) {
            const cp_prop *p = &t->props[r];
            bool is_enum = strcmp(p->type, "enum") == 0;
            if (!is_enum && strcmp(p->type, "const") != 0)
                continue;
            /* Every enum of the catalog has a value in its sample. */
            size_t len, at;
            const char *bad[] = {"\"x-invalid\"", "\"\"", NULL, NULL};
            /* The right value with its case changed, and with a suffix. */
            char upper[64], longer[64];
            snprintf(upper, sizeof upper, "\"%.*s\"", (int)strcspn(p->values, "|"), p->values);
            upper[1] = (char)(upper[1] >= 'a' && upper[1] <= 'z' ? upper[1] - 32 : upper[1] + 32);
            snprintf(longer, sizeof longer, "\"%.*s \"", (int)strcspn(p->values, "|"), p->values);
            bad[2] = upper;
            bad[3] = longer;
            for (size_t b = 0; b < 4; b++) {
                char *text = replaced(&s[i], p->pointer, bad[b], &len, &at, NULL);
                if (!text) {
                    if ((is_enum || p->required) && !under_absent_optional(&s[i], t, p->pointer))
                        fail_msg("%s: %s %s not in the sample", s[i].file, p->type, p->pointer);
                    break;
                }
                expect want = {is_enum ? EVG_ERR_ENUM : EVG_ERR_CONST, p->pointer, (long)at, p->message};
                /* A payload's own schemaVersion selects the version where the
                 * envelope does not: a malformed one is reported as such. */
                expect routed = {EVG_ERR_BAD_VERSION, p->pointer, (long)at, "a version must be MAJOR.MINOR.PATCH"};
                bool version = strcmp(p->pointer, "/schemaVersion") == 0;
                if (strcmp(p->pointer, "/request") == 0 && tu_home_wire(s[i].info) == TU_WIRE_SDK_RESPONSE) {
                    /* The response's name: routing reads it first. */
                    expect unknown = {EVG_ERR_UNKNOWN_EVENT, p->pointer, (long)at, NULL};
                    run_payload(s[i].info, text, len, 0, &want, NULL, VIA_BARE | VIA_ROUTE);
                    run_payload(s[i].info, text, len, 0, &unknown, NULL, VIA_ANY);
                    free(text);
                    consts++;
                    continue;
                }
                run_payload(s[i].info, text, len, 0, &want, version ? &routed : NULL, VIA_ALL | VIA_VERSION_IN_ENVELOPE);
                free(text);
                if (is_enum)
                    enums++;
                else
                    consts++;
            }
            /* Every allowed value, written plainly and with an escape. */
            for (const char *v = p->values; *v;) {
                size_t vl = strcspn(v, "|");
                char plain[64], escaped[64];
                snprintf(plain, sizeof plain, "\"%.*s\"", (int)vl, v);
                snprintf(escaped, sizeof escaped, "\"\\u%04x%.*s\"", (unsigned char)v[0], (int)vl - 1, v + 1);
                for (int e = 0; e < 2; e++) {
                    char *text = replaced(&s[i], p->pointer, e ? escaped : plain, &len, &at, NULL);
                    if (!text)
                        break;
                    run_payload(s[i].info, text, len, 0, &OK, NULL, VIA_ALL);
                    /* And it is written back as the plain value. */
                    ev_any any;
                    evg_error err;
                    evg_arena a = fresh_arena();
                    size_t wlen;
                    tu_wire wire = tu_home_wire(s[i].info);
                    char *doc = tu_wrap(wire, s[i].info->event, tu_stated(wire, s[i].info), text, len, &wlen);
                    assert_true(ev_parse_any(doc, wlen, &any, &a, 0, &err));
                    static char out[16384];
                    size_t olen = ev_serialize_any(&any, out, sizeof out, NULL);
                    assert_true(jt_text_equal(doc, wlen, out, olen));
                    assert_non_null(strstr(out, plain));
                    free(doc);
                    free(text);
                    good++;
                }
                v += vl;
                if (*v == '|')
                    v++;
            }
        }
    }
    print_message("const/enum: %zu bad constants, %zu bad enum values, %zu good values\n", consts, enums, good);
    /* Four bad values for every enum of the catalog that is in the samples
     * (all but the two Attachment types, an SDK type no page samples), and
     * at least the schemaVersion constant of every version. */
    size_t enum_rows = 0;
    for (size_t i = 0; i < CP_VERSION_COUNT; i++)
        for (size_t r = 0; r < cp_versions[i].count; r++)
            enum_rows += strcmp(cp_versions[i].props[r].type, "enum") == 0;
    assert_true(enum_rows > 0);
    assert_int_equal(enums, 4 * (enum_rows - 2));
    assert_true(consts > 4 * 60 / 2);
    tu_free_samples(s, n);
}

/* The messages read as documented, on one enum of four values. */
static void test_enum_messages(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-started-v1", "1.0.0");
    const char *doc = "{\"interactionId\":\"i\",\"interactionType\":\"fax\",\"direction\":\"inbound\"}";
    expect want = {EVG_ERR_ENUM, "/interactionType", (long)(strstr(doc, "\"fax") - doc), "expected \"phone\", \"chat\", \"email\" or \"sms\""};
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_ALL);
    doc = "{\"interactionId\":\"i\",\"interactionType\":\"sms\",\"direction\":\"sideways\"}";
    expect want2 = {EVG_ERR_ENUM, "/direction", (long)(strstr(doc, "\"sideways") - doc), "expected \"inbound\" or \"outbound\""};
    run_payload(v, doc, strlen(doc), 0, &want2, NULL, VIA_ALL);
    /* A value too long to be unescaped into the parser's scratch buffer is
     * still just a wrong value. */
    char *long_doc = malloc(2000);
    strcpy(long_doc, "{\"interactionId\":\"i\",\"interactionType\":\"sms\",\"direction\":\"");
    size_t at = strlen(long_doc) - 1;
    for (int i = 0; i < 300; i++)
        strcat(long_doc, "\\u0061");
    strcat(long_doc, "\"}");
    want2.offset = (long)at;
    run_payload(v, long_doc, strlen(long_doc), 0, &want2, NULL, VIA_ALL);
    free(long_doc);
}

/* MARK: array bounds -------------------------------------------------------------- */

static void test_array_bounds(void **state)
{
    (void)state;
    size_t n, checked = 0;
    tu_sample *s = tu_load_samples(&n);
    for (size_t i = 0; i < n; i++) {
        const cp_version *t = table_of(s[i].info);
        for (size_t r = 0; r < t->count; r++) {
            const cp_prop *p = &t->props[r];
            if (strcmp(p->type, "array") != 0 || (p->min_items <= 0 && p->max_items < 0))
                continue;
            jt_node *tree = jt_parse(s[i].payload, s[i].payload_len);
            jt_node *arr = jt_at(tree, p->pointer);
            assert_non_null(arr);
            assert_true(arr->n > 0);
            char *elem = jt_write(&arr->kids[0], 0, NULL);
            jt_free(tree);
            int counts[4] = {p->min_items - 1, p->min_items, p->max_items, p->max_items + 1};
            for (int c = 0; c < 4; c++) {
                int count = counts[c];
                if (count < 0 || (c >= 2 && p->max_items < 0))
                    continue;
                size_t len = 2;
                char *list = malloc((strlen(elem) + 1) * (size_t)(count + 1) + 3);
                strcpy(list, "[");
                for (int k = 0; k < count; k++) {
                    if (k)
                        strcat(list, ",");
                    strcat(list, elem);
                }
                strcat(list, "]");
                size_t at, close;
                char *text = replaced(&s[i], p->pointer, list, &len, &at, &close);
                bool bad = count < p->min_items || (p->max_items >= 0 && count > p->max_items);
                char message[64];
                snprintf(message, sizeof message, "expected at %s %d item%s", count < p->min_items ? "least" : "most",
                         count < p->min_items ? p->min_items : p->max_items,
                         (count < p->min_items ? p->min_items : p->max_items) == 1 ? "" : "s");
                expect want = {EVG_ERR_ITEMS, p->pointer, (long)close, message};
                run_payload(s[i].info, text, len, 0, bad ? &want : &OK, NULL, VIA_ALL);
                free(text);
                free(list);
                checked++;
            }
            free(elem);
        }
    }
    /* conference-drop (min 1) and conference-start (min 2), 2 counts each. */
    assert_int_equal(checked, 4);

    /* And in words: start needs two calls, drop one. */
    const evg_version_info *v = version_of("call-manager-call-conference-start-v1", "1.0.0");
    expect none = {EVG_ERR_ITEMS, "/calls", 10, "expected at least 2 items"};
    run_payload(v, "{\"calls\":[]}", 12, 0, &none, NULL, VIA_ALL);
    expect one = {EVG_ERR_ITEMS, "/calls", 12, "expected at least 2 items"};
    run_payload(v, "{\"calls\":[{}]}", 14, 0, &one, NULL, VIA_ALL);
    run_payload(v, "{\"calls\":[{},{}]}", 17, 0, &OK, NULL, VIA_ALL);
    v = version_of("call-manager-call-conference-drop-v1", "1.0.0");
    expect drop = {EVG_ERR_ITEMS, "/calls", 10, "expected at least 1 item"};
    run_payload(v, "{\"calls\":[]}", 12, 0, &drop, NULL, VIA_ALL);
    run_payload(v, "{\"calls\":[{}]}", 14, 0, &OK, NULL, VIA_ALL);
    tu_free_samples(s, n);
}

/* MARK: truncation -------------------------------------------------------------- */

typedef bool (*parse_fn)(const evg_version_info *v, const char *json, size_t len, evg_error *err);

static bool parse_any(const evg_version_info *v, const char *json, size_t len, evg_error *err)
{
    (void)v;
    ev_any any;
    evg_arena a = fresh_arena();
    return ev_parse_any(json, len, &any, &a, 0, err);
}

static bool parse_route(const evg_version_info *v, const char *json, size_t len, evg_error *err)
{
    ev_any any;
    evg_arena a = fresh_arena();
    return ev_parse_bare(event_of(v->event), json, len, &any, &a, 0, err);
}

static bool parse_typed_bare(const evg_version_info *v, const char *json, size_t len, evg_error *err)
{
    static char out[16384];
    evg_arena a = fresh_arena();
    return evg_parse_payload_document(json, len, v->parse, out, v->struct_size, &a, 0, err);
}

static bool parse_typed_wire(const evg_version_info *v, const char *json, size_t len, evg_error *err)
{
    static char out[16384];
    evg_arena a = fresh_arena();
    static evg_slot slots[256];
    return evg_parse_wire_document(json, len, &ev_catalog, slots, event_of(v->event), v, out, &a, 0, err);
}

/* Is offset `cut` inside a multi-byte UTF-8 sequence of `s`? */
static bool inside_utf8(const char *s, size_t cut)
{
    return cut > 0 && ((unsigned char)s[cut] & 0xC0) == 0x80;
}

/* Every proper prefix fails with TRUNCATED (BAD_UTF8 when the cut splits a
 * UTF-8 sequence), reports an offset within the prefix, and reads nothing
 * past it; the whole document parses. */
static size_t truncate_all(const evg_version_info *v, const char *doc, size_t len, parse_fn parse,
                           const char *what)
{
    evg_error err;
    size_t end = len;   /* cutting trailing whitespace leaves a whole document */
    while (end > 0 && strchr(" \t\r\n", doc[end - 1]))
        end--;
    for (size_t cut = end; cut < len; cut++)
        assert_true(parse(v, doc, cut, &err));
    for (size_t cut = 0; cut < end; cut++) {
        char *prefix = malloc(cut ? cut : 1);
        memcpy(prefix, doc, cut);
        bool ok = parse(v, prefix, cut, &err);
        free(prefix);
        evg_code want = inside_utf8(doc, cut) ? EVG_ERR_BAD_UTF8 : EVG_ERR_TRUNCATED;
        if (ok || err.code != want || err.offset > cut)
            fail_msg("%s: prefix of %zu bytes: %s (offset %zu), expected %s\n  %.*s", what, cut,
                     ok ? "accepted" : evg_code_name(err.code), err.offset, evg_code_name(want), (int)cut, doc);
    }
    if (!parse(v, doc, len, &err)) {
        char buf[512];
        evg_error_format(&err, buf, sizeof buf);
        fail_msg("%s: whole document: %s", what, buf);
    }
    return len;
}

static void test_truncation(void **state)
{
    (void)state;
    size_t n, prefixes = 0;
    tu_sample *s = tu_load_samples(&n);
    for (size_t i = 0; i < n; i++) {
        const evg_version_info *v = s[i].info;
        size_t mlen;
        char *min = tu_minify(s[i].text, s[i].len, &mlen);
        tu_wire wire = tu_home_wire(v);
        if (wire == TU_WIRE_MAESTRO) {
            prefixes += truncate_all(v, s[i].text, s[i].len, parse_any, s[i].file);
            prefixes += truncate_all(v, min, mlen, parse_any, s[i].file);
            prefixes += truncate_all(v, s[i].text, s[i].len, parse_typed_wire, s[i].file);
            prefixes += truncate_all(v, min, mlen, parse_typed_wire, s[i].file);
        } else {
            prefixes += truncate_all(v, s[i].text, s[i].len, parse_route, s[i].file);
            prefixes += truncate_all(v, min, mlen, parse_route, s[i].file);
            prefixes += truncate_all(v, s[i].text, s[i].len, parse_typed_bare, s[i].file);
            prefixes += truncate_all(v, min, mlen, parse_typed_bare, s[i].file);
            size_t wlen;
            char *wrapped = tu_wrap(wire, v->event, tu_stated(wire, v), min, mlen, &wlen);
            prefixes += truncate_all(v, wrapped, wlen, parse_any, s[i].file);
            prefixes += truncate_all(v, wrapped, wlen, parse_typed_wire, s[i].file);
            free(wrapped);
        }
        free(min);
    }
    /* A document with every kind of token: escapes, surrogate pairs, raw
     * UTF-8 of 2, 3 and 4 bytes, numbers with fractions and exponents,
     * literals, nested any values. */
    const char *rich =
        "{\"interactionId\":\"a\\\"\\\\\\/\\b\\f\\n\\r\\t\\u00e9\\ud83d\\ude00 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80\","
        "\"messages\":[{\"id\":\"\xc3\xa9\",\"timestamp\":-1.25e+3,\"type\":\"t\","
        "\"rawMessage\":{\"a\":[true,false,null,0,-0.0e-0,\"\\u0041\"]},\"translatedMessage\":\"\","
        "\"attachments\":[],\"isBot\":true}],\"schemaVersion\":\"1.0.0\",\"x\":[{}]}";
    const evg_version_info *v = version_of("aw-chat-init-v1", "1.0.0");
    jt_node *t = jt_parse(rich, strlen(rich));
    char *pretty = jt_write(t, 2, NULL);
    jt_free(t);
    prefixes += truncate_all(v, rich, strlen(rich), parse_route, "rich");
    prefixes += truncate_all(v, rich, strlen(rich), parse_typed_bare, "rich");
    prefixes += truncate_all(v, pretty, strlen(pretty), parse_route, "rich, pretty");
    prefixes += truncate_all(v, pretty, strlen(pretty), parse_typed_bare, "rich, pretty");
    free(pretty);
    print_message("truncation: %zu prefixes\n", prefixes);
    tu_free_samples(s, n);
}

/* MARK: RFC 8259 ------------------------------------------------------------------ */

/* One document and what it must give, as the value of a property. `at` is
 * the offset of the offending byte within `value`. */
typedef struct strict_case {
    const char *name;
    const char *value;
    evg_code code;
    long at;
    evg_code routed;   /* from ev_parse_any / ev_parse_bare, where it differs */
} strict_case;

/* Values of the string property interactionId of aw-interaction-ended-v1. */
static const strict_case string_cases[] = {
    {"control char 0x01", "\"a\x01\"", EVG_ERR_BAD_STRING, 2, 0},
    {"raw tab", "\"a\tb\"", EVG_ERR_BAD_STRING, 2, 0},
    {"raw newline", "\"a\nb\"", EVG_ERR_BAD_STRING, 2, 0},
    {"raw NUL", "\"a\0b\"", EVG_ERR_BAD_STRING, 2, 0},
    {"raw 0x1f after escape", "\"\\n\x1f\"", EVG_ERR_BAD_STRING, 3, 0},
    {"escape \\x", "\"\\x41\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"escape \\a", "\"ab\\a\"", EVG_ERR_BAD_ESCAPE, 3, 0},
    {"escape \\U", "\"\\U0041\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"escape \\' ", "\"\\'\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"escape \\0", "\"\\0\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"\\u12G4", "\"\\u12G4\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"\\u short", "\"\\u12\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"lone high surrogate", "\"\\ud800\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"lone high surrogate + text", "\"\\ud800abcdefgh\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"high surrogate + non-surrogate", "\"\\ud800\\u0041\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"high surrogate + high surrogate", "\"\\udbff\\udbff\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"lone low surrogate", "\"\\udc00\"", EVG_ERR_BAD_ESCAPE, 1, 0},
    {"low then high surrogate", "\"x\\udfff\\ud800\"", EVG_ERR_BAD_ESCAPE, 2, 0},
    {"overlong C0 80", "\"\xc0\x80\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"overlong C1 BF", "\"\xc1\xbf\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"overlong E0 80 80", "\"\xe0\x80\x80\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"overlong F0 80 80 80", "\"\xf0\x80\x80\x80\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"surrogate ED A0 80", "\"ab\xed\xa0\x80\"", EVG_ERR_BAD_UTF8, 3, 0},
    {"surrogate ED BF BF", "\"\xed\xbf\xbf\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"above U+10FFFF F4 90 80 80", "\"\xf4\x90\x80\x80\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"F5", "\"\xf5\x80\x80\x80\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"truncated 2-byte", "\"\xc3\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"truncated 3-byte", "\"\xe2\x82\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"truncated 4-byte", "\"\xf0\x9f\x98\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"stray continuation", "\"a\x80\"", EVG_ERR_BAD_UTF8, 2, 0},
    {"0xFF", "\"\xff\"", EVG_ERR_BAD_UTF8, 1, 0},
    {"0xFE", "\"abcdefghij\xfe\"", EVG_ERR_BAD_UTF8, 11, 0},
    {"bad UTF-8 after an escape", "\"\\n\xff\"", EVG_ERR_BAD_UTF8, 3, 0},
    {"single quotes", "'a'", EVG_ERR_TYPE, 0, EVG_ERR_SYNTAX},
    {"unquoted", "abc", EVG_ERR_TYPE, 0, EVG_ERR_SYNTAX},
    {"ok: all escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\\u0000\\uFFFF\\ud83d\\ude00\"", EVG_ERR_OK, 0, 0},
    {"ok: max code points", "\"\xf4\x8f\xbf\xbf\xed\x9f\xbf\xee\x80\x80\xef\xbf\xbf\xc2\x80\x7f\"", EVG_ERR_OK, 0, 0},
};

/* Values of the number property accumulatedMOSLQ of call-manager-call-connect-v1. */
static const strict_case number_cases[] = {
    {"leading zero", "01", EVG_ERR_BAD_NUMBER, 0, 0},
    {"negative leading zero", "-01", EVG_ERR_BAD_NUMBER, 0, 0},
    {"leading zeros", "00", EVG_ERR_BAD_NUMBER, 0, 0},
    {"plus sign", "+1", EVG_ERR_TYPE, 0, EVG_ERR_SYNTAX},
    {"bare fraction", ".5", EVG_ERR_TYPE, 0, EVG_ERR_SYNTAX},
    {"dot without digits", "1.", EVG_ERR_BAD_NUMBER, 2, 0},
    {"dot before exponent", "1.e5", EVG_ERR_BAD_NUMBER, 2, 0},
    {"exponent without digits", "1e", EVG_ERR_BAD_NUMBER, 2, 0},
    {"exponent sign only", "1e+", EVG_ERR_BAD_NUMBER, 3, 0},
    {"hex", "0x1F", EVG_ERR_BAD_NUMBER, 1, 0},
    {"minus alone", "-", EVG_ERR_BAD_NUMBER, 0, 0},
    {"minus space", "- 1", EVG_ERR_BAD_NUMBER, 0, 0},
    {"NaN", "NaN", EVG_ERR_TYPE, 0, EVG_ERR_SYNTAX},
    {"Infinity", "Infinity", EVG_ERR_TYPE, 0, EVG_ERR_SYNTAX},
    {"-Infinity", "-Infinity", EVG_ERR_BAD_NUMBER, 0, 0},
    {"two dots", "1.2.3", EVG_ERR_BAD_NUMBER, 3, 0},
    {"trailing letter", "12a", EVG_ERR_BAD_NUMBER, 2, 0},
    {"too large for a double", "1e400", EVG_ERR_RANGE, 0, 0},
    {"ok: zero", "0", EVG_ERR_OK, 0, 0},
    {"ok: negative zero", "-0", EVG_ERR_OK, 0, 0},
    {"ok: exponent", "-1.5E-3", EVG_ERR_OK, 0, 0},
    {"ok: tiny", "1e-400", EVG_ERR_OK, 0, 0},
};

/* Whole documents for aw-interaction-ended-v1 (offset absolute); the
 * pointer of the error where there is one ("/x": in an unknown key's value,
 * which the typed parsers used to drop: regression_unknown_key_value_pointer). */
typedef struct document_case {
    const char *name;
    const char *doc;
    size_t len;              /* 0: strlen */
    evg_code code;
    long at;
    const char *pointer;
    evg_code routed;         /* from ev_parse_bare, where it differs */
} document_case;

static const document_case document_cases[] = {
    {"empty input", "", 0, EVG_ERR_TRUNCATED, 0, "", 0},
    {"whitespace only", " \t\r\n ", 0, EVG_ERR_TRUNCATED, 5, "", 0},
    {"trailing data", "{\"interactionId\":\"i\"} x", 0, EVG_ERR_TRAILING, 22, "", 0},
    {"two documents", "{\"interactionId\":\"i\"}{\"interactionId\":\"i\"}", 0, EVG_ERR_TRAILING, 21, "", 0},
    {"trailing NUL", "{\"interactionId\":\"i\"}\0", 22, EVG_ERR_TRAILING, 21, "", 0},
    {"trailing comma", "{\"interactionId\":\"i\",}", 0, EVG_ERR_SYNTAX, 21, "", 0},
    {"trailing comma in array", "{\"interactionId\":\"i\",\"x\":[1,]}", 0, EVG_ERR_SYNTAX, 28, "/x", 0},
    {"leading comma", "{,\"interactionId\":\"i\"}", 0, EVG_ERR_SYNTAX, 1, "", 0},
    {"missing colon", "{\"interactionId\" \"i\"}", 0, EVG_ERR_SYNTAX, 17, "", 0},
    {"missing comma", "{\"interactionId\":\"i\" \"x\":1}", 0, EVG_ERR_SYNTAX, 21, "", 0},
    {"line comment", "{\"interactionId\":\"i\"// c\n}", 0, EVG_ERR_SYNTAX, 20, "", 0},
    {"block comment", "{/* c */\"interactionId\":\"i\"}", 0, EVG_ERR_SYNTAX, 1, "", 0},
    {"single-quoted key", "{'interactionId':\"i\"}", 0, EVG_ERR_SYNTAX, 1, "", 0},
    {"unquoted key", "{interactionId:\"i\"}", 0, EVG_ERR_SYNTAX, 1, "", 0},
    {"BOM", "\xef\xbb\xbf{\"interactionId\":\"i\"}", 0, EVG_ERR_TYPE, 0, "", 0},
    {"vertical tab is not whitespace", "\v{\"interactionId\":\"i\"}", 0, EVG_ERR_TYPE, 0, "", 0},
    {"bad UTF-8 outside strings", "{\"interactionId\":\"i\"\xff}", 0, EVG_ERR_SYNTAX, 20, "", 0},
    {"bad UTF-8 as a value", "{\"interactionId\":\"i\",\"x\":\xc3\xa9}", 0, EVG_ERR_SYNTAX, 25, "/x", 0},
    {"bad UTF-8 in a key", "{\"interactionId\":\"i\",\"\xff\":1}", 0, EVG_ERR_BAD_UTF8, 22, "", 0},
    {"control char in a key", "{\"interactionId\":\"i\",\"a\x01\":1}", 0, EVG_ERR_BAD_STRING, 23, "", 0},
    {"bad escape in a key", "{\"interactionId\":\"i\",\"\\q\":1}", 0, EVG_ERR_BAD_ESCAPE, 22, "", 0},
    {"NUL between tokens", "{\"interactionId\":\0\"i\"}", 22, EVG_ERR_TYPE, 17, "/interactionId", EVG_ERR_SYNTAX},
    {"form feed is not whitespace", "{\"interactionId\":\f\"i\"}", 0, EVG_ERR_TYPE, 17, "/interactionId", EVG_ERR_SYNTAX},
    {"non-breaking space", "{\"interactionId\":\xc2\xa0\"i\"}", 0, EVG_ERR_TYPE, 17, "/interactionId", EVG_ERR_SYNTAX},
    {"array at the top", "[{\"interactionId\":\"i\"}]", 0, EVG_ERR_TYPE, 0, "", 0},
    {"string at the top", "\"interactionId\"", 0, EVG_ERR_TYPE, 0, "", 0},
    {"true with garbage", "{\"interactionId\":\"i\",\"x\":truex}", 0, EVG_ERR_SYNTAX, 29, "/x", 0},
    {"True", "{\"interactionId\":\"i\",\"x\":True}", 0, EVG_ERR_SYNTAX, 25, "/x", 0},
    {"nul", "{\"interactionId\":\"i\",\"x\":nul}", 0, EVG_ERR_SYNTAX, 25, "/x", 0},
    {"unclosed object", "{\"interactionId\":\"i\"", 0, EVG_ERR_TRUNCATED, 20, "", 0},
    {"unclosed array", "{\"interactionId\":\"i\",\"x\":[1", 0, EVG_ERR_TRUNCATED, 27, "/x", 0},
    {"mismatched brackets", "{\"interactionId\":\"i\",\"x\":[1}", 0, EVG_ERR_SYNTAX, 27, "/x", 0},
    {"ok: whitespace everywhere", " \r\n\t{ \"interactionId\" \t: \"i\" , \"x\" : [ 1 , { } ] } \n", 0, EVG_ERR_OK, 0,
     "", 0},
};

/* The three strings of strict_case placed as a property value; where the
 * value has its own pointer. */
static void run_strict(const char *event, const char *key, const strict_case *cases, size_t count)
{
    const evg_version_info *v = version_of(event, "1.0.0");
    for (size_t i = 0; i < count; i++) {
        size_t vlen = strlen(cases[i].value);
        if (strcmp(cases[i].name, "raw NUL") == 0)
            vlen = 4;
        char *doc = malloc(vlen + strlen(key) + 16);
        int pre = sprintf(doc, "{\"%s\":", key);
        memcpy(doc + pre, cases[i].value, vlen);
        memcpy(doc + pre + vlen, "}", 2);
        char pointer[64];
        snprintf(pointer, sizeof pointer, "/%s", key);
        expect want = {cases[i].code, pointer, pre + cases[i].at, NULL};
        if (cases[i].code == EVG_ERR_OK)
            want = OK;
        expect routed = want;
        if (cases[i].routed)
            routed.code = cases[i].routed;
        run_payload(v, doc, (size_t)pre + vlen + 1, 0, &want, &routed, VIA_ALL);
        free(doc);
    }
}

/* prefix + step repeated n times: the pointer of a value n containers deep. */
static char *deep_pointer(const char *prefix, const char *step, int n)
{
    size_t len = strlen(prefix) + (size_t)n * strlen(step) + 1;
    char *s = malloc(len);
    assert_non_null(s);
    strcpy(s, prefix);
    for (int i = 0; i < n; i++)
        strcat(s, step);
    return s;
}

static void test_rfc8259_strings(void **state)
{
    (void)state;
    run_strict("aw-interaction-ended-v1", "interactionId", string_cases, sizeof string_cases / sizeof *string_cases);
}

static void test_rfc8259_numbers(void **state)
{
    (void)state;
    run_strict("call-manager-call-connect-v1", "accumulatedMOSLQ", number_cases,
               sizeof number_cases / sizeof *number_cases);
    /* The same number syntax errors inside an integer-free `any` value. */
    const evg_version_info *v = version_of("aw-chat-init-v1", "1.0.0");
    for (size_t i = 0; i < sizeof number_cases / sizeof *number_cases; i++) {
        if (number_cases[i].code == EVG_ERR_TYPE || number_cases[i].code == EVG_ERR_RANGE)
            continue;   /* a type error, or a range, only where a number is expected */
        char *doc = tu_printf(NULL, "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":0,"
                                    "\"type\":\"t\",\"rawMessage\":[%s]}]}", number_cases[i].value);
        long at = (long)(strstr(doc, "[") - doc);
        at = (long)(strchr(doc + at + 1, '[') - doc) + 1 + number_cases[i].at;
        /* Both paths name the element inside the `any` value. */
        expect want = {number_cases[i].code, "/messages/0/rawMessage/0", at, NULL};
        expect routed = want;
        run_payload(v, doc, strlen(doc), 0, number_cases[i].code ? &want : &OK,
                    number_cases[i].code ? &routed : &OK, VIA_ALL);
        free(doc);
    }
}

static void test_rfc8259_documents(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    for (size_t i = 0; i < sizeof document_cases / sizeof *document_cases; i++) {
        const document_case *c = &document_cases[i];
        size_t len = c->len ? c->len : strlen(c->doc);
        expect want = {c->code, c->pointer, c->at, NULL};
        expect routed = {c->routed ? c->routed : c->code, c->pointer, c->at, NULL};
        run_payload(v, c->doc, len, 0, c->code ? &want : &OK, c->code ? &routed : &OK, VIA_BARE | VIA_ROUTE);
    }
    /* ev_parse_any on the same kinds of garbage around an envelope. */
    static const struct { const char *doc; evg_code code; size_t at; } envelopes[] = {
        {"", EVG_ERR_TRUNCATED, 0},
        {"   ", EVG_ERR_TRUNCATED, 3},
        {"\xef\xbb\xbf{}", EVG_ERR_ENVELOPE, 0},
        {"[]", EVG_ERR_ENVELOPE, 0},
        {"null", EVG_ERR_ENVELOPE, 0},
        {"{}", EVG_ERR_ENVELOPE, 0},
        {"{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-ended-v1\",\"value\":{\"interactionId\":\"i\"}}} {}",
         EVG_ERR_TRAILING, 97},
        {"{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-ended-v1\",\"value\":{\"interactionId\":\"i\"}},}",
         EVG_ERR_SYNTAX, 96},
    };
    for (size_t i = 0; i < sizeof envelopes / sizeof *envelopes; i++) {
        ev_any any;
        evg_error err;
        evg_arena a = fresh_arena();
        size_t len = strlen(envelopes[i].doc);
        char *doc = malloc(len ? len : 1);
        memcpy(doc, envelopes[i].doc, len);
        assert_false(ev_parse_any(doc, len, &any, &a, 0, &err));
        free(doc);
        assert_int_equal(any.kind, EV_KIND_NONE);
        if (err.code != envelopes[i].code || err.offset != envelopes[i].at)
            fail_msg("%s: %s at %zu, expected %s at %zu", envelopes[i].doc, evg_code_name(err.code), err.offset,
                     evg_code_name(envelopes[i].code), envelopes[i].at);
        assert_string_equal(err.pointer, "");
    }
}

/* MARK: duplicate keys ------------------------------------------------------------ */

static void test_duplicate_keys(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    const char *doc = "{\"interactionId\":\"i\",\"interactionId\":\"j\"}";
    expect want = {EVG_ERR_DUPLICATE, "/interactionId", 37, "key appears twice in one object"};
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_ALL);
    /* Spelled differently, the same key. */
    doc = "{\"interactionId\":\"i\",\"interaction\\u0049d\":\"j\"}";
    want.offset = 42;
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_ALL);
    /* An optional constant twice. */
    doc = "{\"interactionId\":\"i\",\"schemaVersion\":\"1.0.0\",\"schemaVersion\":\"1.0.0\"}";
    expect sv = {EVG_ERR_DUPLICATE, "/schemaVersion", (long)(strrchr(doc, ':') - doc) + 1, NULL};
    run_payload(v, doc, strlen(doc), 0, &sv, NULL, VIA_ALL);
    /* Nested, in an array element. */
    v = version_of("aw-chat-init-v1", "1.0.0");
    doc = "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":0,\"type\":\"t\",\"rawMessage\":0,"
          "\"author\":{\"id\":\"x\",\"email\":\"e\",\"name\":\"n\",\"id\":\"y\"}}]}";
    expect nested = {EVG_ERR_DUPLICATE, "/messages/0/author/id", (long)(strstr(doc, "\"y\"") - doc), NULL};
    run_payload(v, doc, strlen(doc), 0, &nested, NULL, VIA_ALL);
    /* Nested object key, twice. */
    v = version_of("mashell-email-accepted-cc-event-v1", "1.0.0");
    doc = "{\"eventId\":\"e\",\"direction\":\"inbound\",\"searchContext\":\"s\",\"method\":\"mapEvent\",\"media\":\"email\","
          "\"mainNumberId\":\"m\",\"url\":\"u\",\"isReplyEmail\":false,\"isStandAloneTerminated\":false,"
          "\"contact\":{\"emailAddress\":\"a\"},\"contact\":{\"emailAddress\":\"b\"},\"eventName\":\"accepted\"}";
    expect obj = {EVG_ERR_DUPLICATE, "/contact", (long)(strstr(doc, "{\"emailAddress\":\"b\"") - doc), NULL};
    run_payload(v, doc, strlen(doc), 0, &obj, NULL, VIA_ALL);
    /* Envelope keys twice: regression_envelope_duplicates. */
}

/* MARK: depth --------------------------------------------------------------------- */

static char *nested(const char *before, int depth, const char *open, const char *inner, const char *close,
                    const char *after)
{
    size_t cap = strlen(before) + strlen(after) + strlen(inner) + (size_t)depth * (strlen(open) + strlen(close)) + 1;
    char *s = malloc(cap);
    strcpy(s, before);
    for (int i = 0; i < depth; i++)
        strcat(s, open);
    strcat(s, inner);
    for (int i = 0; i < depth; i++)
        strcat(s, close);
    strcat(s, after);
    return s;
}

static void test_depth(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    const char *pre = "{\"interactionId\":\"i\",\"deep\":";
    long at = (long)strlen(pre);
    /* The payload is level 1: EVG_MAX_DEPTH - 1 arrays inside it still fit. */
    char *ok = nested(pre, EVG_MAX_DEPTH - 1, "[", "", "]", "}");
    run_payload(v, ok, strlen(ok), 0, &OK, NULL, VIA_BARE | VIA_ROUTE);
    free(ok);
    ok = nested(pre, EVG_MAX_DEPTH - 1, "{\"a\":", "0", "}", "}");
    run_payload(v, ok, strlen(ok), 0, &OK, NULL, VIA_BARE | VIA_ROUTE);
    free(ok);
    /* One more is too deep, at the first bracket past the limit; the pointer
     * names every array entered on the way: /deep/0/0/... */
    char *bad = nested(pre, EVG_MAX_DEPTH, "[", "", "]", "}");
    char *arrays = deep_pointer("/deep", "/0", EVG_MAX_DEPTH - 1);
    char *objects = deep_pointer("/deep", "/a", EVG_MAX_DEPTH - 1);
    expect want = {EVG_ERR_TOO_DEEP, arrays, at + EVG_MAX_DEPTH - 1, "nesting deeper than EVG_MAX_DEPTH"};
    expect routed = want;
    run_payload(v, bad, strlen(bad), 0, &want, &routed, VIA_BARE | VIA_ROUTE);
    free(bad);
    bad = nested(pre, 100, "[", "", "]", "}");
    run_payload(v, bad, strlen(bad), 0, &want, &routed, VIA_BARE | VIA_ROUTE);
    free(bad);
    bad = nested(pre, 100, "{\"a\":", "0", "}", "}");
    want.offset = routed.offset = at + (EVG_MAX_DEPTH - 1) * 5;
    want.pointer = routed.pointer = objects;
    run_payload(v, bad, strlen(bad), 0, &want, &routed, VIA_BARE | VIA_ROUTE);
    free(bad);
    /* Unclosed and very deep: depth is reported before the end of input. */
    bad = nested(pre, 100000, "[", "", "", "");
    want.offset = routed.offset = at + EVG_MAX_DEPTH - 1;
    want.pointer = routed.pointer = arrays;
    run_payload(v, bad, strlen(bad), 0, &want, &routed, VIA_BARE | VIA_ROUTE);
    free(bad);
    free(arrays);
    free(objects);

    /* The envelope counts: inside a Maestro envelope the payload is level 2. */
    const char *menv = "{\"eventType\":\"mashell-voice-phone-offered-cc-event-v1\",\"status\":\"success\",\"data\":"
                       "{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
                       "\"media\":\"phone\",\"searchContext\":\"s\",\"deep\":";
    for (int depth = EVG_MAX_DEPTH - 3; depth <= EVG_MAX_DEPTH - 1; depth++) {
        char *doc = nested(menv, depth, "[", "", "]", "}}");
        ev_any any;
        evg_error err;
        evg_arena a = fresh_arena();
        bool parsed = ev_parse_any(doc, strlen(doc), &any, &a, 0, &err);
        if (depth <= EVG_MAX_DEPTH - 2) {
            assert_true(parsed);
        } else {
            assert_false(parsed);
            assert_int_equal(err.code, EVG_ERR_TOO_DEEP);
            char *path = deep_pointer("/data/deep", "/0", depth - 1);
            assert_string_equal(err.pointer, path);
            free(path);
            assert_int_equal(err.offset, strlen(menv) + (size_t)depth - 1);
        }
        free(doc);
    }

    /* In an `any` value, with a pointer of its own. */
    v = version_of("aw-chat-init-v1", "1.0.0");
    const char *chat = "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":0,\"type\":\"t\",\"rawMessage\":";
    /* levels: payload 1, messages 2, message 3: 61 more fit. */
    ok = nested(chat, EVG_MAX_DEPTH - 3, "[", "", "]", "}]}");
    run_payload(v, ok, strlen(ok), 0, &OK, NULL, VIA_ALL & ~VIA_ANY & ~VIA_WIRE);
    free(ok);
    bad = nested(chat, EVG_MAX_DEPTH - 2, "[", "", "]", "}]}");
    char *raw_path = deep_pointer("/messages/0/rawMessage", "/0", EVG_MAX_DEPTH - 3);
    expect raw = {EVG_ERR_TOO_DEEP, raw_path, (long)strlen(chat) + EVG_MAX_DEPTH - 3, NULL};
    run_payload(v, bad, strlen(bad), 0, &raw, &raw, VIA_BARE | VIA_ROUTE);
    free(bad);
    free(raw_path);
}

/* MARK: strict mode and unknown keys ------------------------------------------------ */

static void test_unknown_keys(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    /* (Strict mode wants the version: the payloads state it.) */
    const char *doc = "{\"interactionId\":\"i\",\"the-key\":{\"any\":[1,\"thing\"]},\"schemaVersion\":\"1.0.0\"}";
    run_payload(v, doc, strlen(doc), 0, &OK, NULL, VIA_ALL);
    expect want = {EVG_ERR_UNKNOWN_KEY, "/the-key", (long)(strstr(doc, "{\"any") - doc),
                   "key is not in the schema (strict mode)"};
    run_payload(v, doc, strlen(doc), EVG_STRICT, &want, NULL, VIA_BARE | VIA_WIRE | VIA_ANY);
    /* A key that needs escaping in a pointer. */
    doc = "{\"a/b~c\":1,\"interactionId\":\"i\",\"schemaVersion\":\"1.0.0\"}";
    expect esc = {EVG_ERR_UNKNOWN_KEY, "/a~1b~0c", 9, NULL};
    run_payload(v, doc, strlen(doc), EVG_STRICT, &esc, NULL, VIA_BARE | VIA_WIRE | VIA_ANY);
    /* Nested, in strict mode. */
    v = version_of("aw-chat-init-v1", "1.0.0");
    doc = "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":0,\"type\":\"t\",\"rawMessage\":0},"
          "{\"id\":\"a\",\"timestamp\":0,\"type\":\"t\",\"rawMessage\":{\"free\":1},"
          "\"author\":{\"id\":\"x\",\"email\":\"e\",\"name\":\"n\",\"extra\":null}}],\"schemaVersion\":\"1.0.0\"}";
    run_payload(v, doc, strlen(doc), 0, &OK, NULL, VIA_ALL);
    expect deep = {EVG_ERR_UNKNOWN_KEY, "/messages/1/author/extra", (long)(strstr(doc, "null") - doc), NULL};
    run_payload(v, doc, strlen(doc), EVG_STRICT, &deep, NULL, VIA_BARE | VIA_WIRE | VIA_ANY);

    /* Skipped values are still validated. */
    v = version_of("aw-interaction-ended-v1", "1.0.0");
    static const struct { const char *value; evg_code code; long at; } skipped[] = {
        {"[1,]", EVG_ERR_SYNTAX, 3}, {"{\"a\" 1}", EVG_ERR_SYNTAX, 5}, {"\"\\x\"", EVG_ERR_BAD_ESCAPE, 1},
        {"01", EVG_ERR_BAD_NUMBER, 0}, {"tru", EVG_ERR_SYNTAX, 0}, {"\"\xff\"", EVG_ERR_BAD_UTF8, 1},
        {"[\"a\"", EVG_ERR_SYNTAX, 20}, {"undefined", EVG_ERR_SYNTAX, 0},
    };
    for (size_t i = 0; i < sizeof skipped / sizeof *skipped; i++) {
        char *d = tu_printf(NULL, "{\"x\":%s,\"interactionId\":\"i\"}", skipped[i].value);
        expect w = {skipped[i].code, NULL, 5 + skipped[i].at, NULL};
        expect r = {skipped[i].code, "/x", 5 + skipped[i].at, NULL};
        run_payload(v, d, strlen(d), 0, &w, &r, VIA_BARE | VIA_ROUTE);
        free(d);
    }
    /* Envelope keys: unknown ones are skipped, or errors in strict mode. */
    const char *env = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"extra\":1,\"message\":{\"eventName\":"
                      "\"aw-interaction-ended-v1\",\"value\":{\"interactionId\":\"i\"}}}";
    ev_any any;
    evg_error err;
    evg_arena a = fresh_arena();
    assert_true(ev_parse_any(env, strlen(env), &any, &a, 0, &err));
    assert_false(ev_parse_any(env, strlen(env), &any, &a, EVG_STRICT, &err));
    assert_int_equal(err.code, EVG_ERR_UNKNOWN_KEY);
    assert_string_equal(err.pointer, "/extra");
    assert_int_equal(err.offset, 48);
    ev_aw_interaction_ended_v1_1_0_0 typed;
    assert_false(ev_aw_interaction_ended_v1_1_0_0_parse_wire(env, strlen(env), &typed, NULL, EVG_STRICT, &err));
    assert_int_equal(err.code, EVG_ERR_UNKNOWN_KEY);
    assert_string_equal(err.pointer, "/extra");
    assert_int_equal(err.offset, 48);
}

/* MARK: arena ------------------------------------------------------------------------ */

static void test_arena(void **state)
{
    (void)state;
    /* Escapes and no arena. */
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    const char *doc = "{\"interactionId\":\"a\\nb\"}";
    ev_aw_interaction_ended_v1_1_0_0 e;
    evg_error err;
    assert_false(ev_aw_interaction_ended_v1_1_0_0_parse(doc, strlen(doc), &e, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_ARENA_FULL);
    assert_string_equal(err.pointer, "/interactionId");
    assert_int_equal(err.offset, 18);
    /* ... but no escapes need none. */
    assert_true(ev_aw_interaction_ended_v1_1_0_0_parse("{\"interactionId\":\"ab\"}", 22, &e, NULL, 0, &err));
    /* An array and no arena. */
    const char *arr = "{\"calls\":[{},{}]}";
    ev_call_manager_call_conference_start_v1_1_0_0 cs;
    assert_false(ev_call_manager_call_conference_start_v1_1_0_0_parse(arr, strlen(arr), &cs, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_ARENA_FULL);
    assert_string_equal(err.pointer, "/calls/0");
    /* An empty array needs no arena. */
    const char *empty = "{\"interactionId\":\"i\",\"wrapUpCodes\":[],\"schemaVersion\":\"1.0.0\"}";
    ev_aw_interaction_wrap_up_codes_received_v1_1_0_0 wr;
    assert_true(ev_aw_interaction_wrap_up_codes_received_v1_1_0_0_parse(empty, strlen(empty), &wr, NULL, 0, &err));
    assert_int_equal(wr.wrapUpCodes.count, 0);
    (void)v;

    /* Every arena size from 0 up, every alignment of the buffer: too small
     * fails with ARENA_FULL (never an overflow: the buffer is exactly `cap`
     * bytes of the heap), big enough succeeds, and the result is the same. */
    size_t n;
    tu_sample *s = tu_load_samples(&n);
    const char *heavy[] = {"aw-interaction-wrap-up-codes-v1-1.0.1.json", "call-manager-call-conference-start-v1-1.0.0.json",
                           "aw-chat-init-v1-1.0.0.json"};
    size_t sizes_tried = 0;
    for (size_t h = 0; h < 3; h++) {
        const tu_sample *sm = NULL;
        for (size_t i = 0; i < n; i++)
            if (strcmp(s[i].file, heavy[h]) == 0)
                sm = &s[i];
        assert_non_null(sm);
        /* Add escapes so strings need the arena too. */
        jt_node *t = jt_parse(sm->payload, sm->payload_len);
        jt_node *first = &t->kids[0];
        if (first->type == JT_STRING)
            assert_true(jt_replace(first, "\"esc\\u00e9aped \\\"string\\\"\""));
        size_t len;
        char *payload = jt_write(t, 0, &len);
        jt_free(t);
        char ref[16384];
        size_t ref_len = 0, needed = 0;
        for (size_t cap = 0;; cap++) {
            bool done = false;
            for (size_t align = 0; align < 8; align++) {
                char *block = malloc(cap + align);
                evg_arena a;
                evg_arena_init(&a, block + align, cap);
                assert_true(a.cap <= cap);
                ev_any any;
                bool ok = ev_parse_bare(event_of(sm->info->event), payload, len, &any, &a, 0, &err);
                sizes_tried++;
                if (ok) {
                    assert_true(a.used <= a.cap);
                    char out[16384];
                    size_t olen = ev_serialize_any(&any, out, sizeof out, NULL);
                    if (!needed) {
                        memcpy(ref, out, olen + 1);
                        ref_len = olen;
                        needed = cap;
                        assert_true(jt_text_equal(payload, len, out, olen));
                    } else {
                        assert_int_equal(olen, ref_len);
                        assert_string_equal(out, ref);
                    }
                    done = true;
                } else {
                    if (err.code != EVG_ERR_ARENA_FULL)
                        fail_msg("%s, arena of %zu at +%zu: %s", sm->file, cap, align, evg_code_name(err.code));
                }
                free(block);
            }
            /* Some alignment succeeded; keep going until all do. */
            if (done && cap >= needed + 16)
                break;
            assert_true(cap < 65536);
        }
        print_message("arena: %s needs about %zu bytes\n", heavy[h], needed);
        free(payload);
    }
    print_message("arena: %zu parses\n", sizes_tried);
    tu_free_samples(s, n);

    /* A reset arena is reused from the start. */
    static char buf[256];
    evg_arena a;
    evg_arena_init(&a, buf + 1, sizeof buf - 1);
    assert_true(ev_aw_interaction_ended_v1_1_0_0_parse(doc, strlen(doc), &e, &a, 0, &err));
    const char *first = e.interactionId.ptr;
    assert_true(((uintptr_t)a.base % sizeof(void *)) == 0);
    evg_arena_reset(&a);
    assert_int_equal(a.used, 0);
    assert_true(ev_aw_interaction_ended_v1_1_0_0_parse(doc, strlen(doc), &e, &a, 0, &err));
    assert_ptr_equal(e.interactionId.ptr, first);
    /* A tiny arena at an odd address rounds down to nothing. */
    evg_arena_init(&a, buf + 3, 4);
    assert_int_equal(a.cap, 0);
    assert_false(ev_aw_interaction_ended_v1_1_0_0_parse(doc, strlen(doc), &e, &a, 0, &err));
    assert_int_equal(err.code, EVG_ERR_ARENA_FULL);
}

/* MARK: error formatting --------------------------------------------------------------- */

static void test_error_format(void **state)
{
    (void)state;
    const char *doc = "{\"eventType\":\"mashell-voice-phone-offered-cc-event-v1\",\"status\":\"success\",\"data\":"
                      "{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"in\","
                      "\"media\":\"phone\",\"searchContext\":\"s\"}}";
    ev_any any;
    evg_error err;
    evg_arena a = fresh_arena();
    assert_false(ev_parse_any(doc, strlen(doc), &any, &a, 0, &err));
    char buf[256];
    size_t n = evg_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "ENUM: /data/direction: expected \"inbound\" or \"outbound\" (offset 150)");
    assert_int_equal(n, strlen(buf));
    assert_int_equal(doc[150], '"');
    assert_memory_equal(doc + 150, "\"in\"", 4);
    /* At the root, the pointer reads "/". */
    assert_false(ev_parse_any("{", 1, &any, &a, 0, &err));
    evg_error_format(&err, buf, sizeof buf);
    assert_string_equal(buf, "TRUNCATED: (root): unexpected end of input (offset 1)");
    /* Code names and texts. */
    assert_string_equal(evg_code_name(EVG_ERR_ENUM), "ENUM");
    assert_string_equal(evg_code_text(EVG_ERR_ENUM), "value not allowed");
    assert_string_equal(evg_code_name(EVG_ERR_COUNT_), "UNKNOWN");
    assert_string_equal(evg_code_name((evg_code)-1), "UNKNOWN");
}

/* MARK: conformance ---------------------------------------------------------------------- */

/* In the spirit of JSONTestSuite: y_ must be accepted, n_ rejected, each as
 * the value of an unknown key in a valid payload, so that the generic value
 * parser (evg_skip_value) is what decides. */
typedef struct conformance {
    const char *name;
    const char *json;
    size_t len;     /* 0: strlen */
    bool after;     /* n_: a valid value followed by garbage, an error of the object */
} conformance;

static const conformance suite[] = {
    {"y_array_empty", "[]", 0, false},
    {"y_array_nested", "[[[[[]]]]]", 0, false},
    {"y_array_mixed", "[1,\"a\",null,true,false,{},[],-0.5e-3]", 0, false},
    {"y_array_ws", " [ 1 , 2 ] ", 0, false},
    {"y_object_empty", "{}", 0, false},
    {"y_object_nested", "{\"a\":{\"b\":{\"c\":[]}}}", 0, false},
    {"y_object_duplicated_unknown_key", "{\"a\":1,\"a\":2}", 0, false},
    {"y_object_empty_key", "{\"\":0}", 0, false},
    {"y_object_escaped_key", "{\"\\u0000\\n\":0}", 0, false},
    {"y_string_empty", "\"\"", 0, false},
    {"y_string_escapes", "\"\\\"\\\\\\/\\b\\f\\n\\r\\t\"", 0, false},
    {"y_string_u_escape", "\"\\u0061\\u00E9\\u20ac\"", 0, false},
    {"y_string_surrogate_pair", "\"\\uD834\\uDD1E\"", 0, false},
    {"y_string_utf8_2", "\"\xc2\xa2\"", 0, false},
    {"y_string_utf8_3", "\"\xe2\x82\xac\"", 0, false},
    {"y_string_utf8_4", "\"\xf0\x9d\x84\x9e\"", 0, false},
    {"y_string_del", "\"\x7f\"", 0, false},
    {"y_string_nul_escape", "\"\\u0000\"", 0, false},
    {"y_string_long", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\\n\"", 0, false},
    {"y_number_zero", "0", 0, false},
    {"y_number_negative_zero", "-0", 0, false},
    {"y_number_int", "123", 0, false},
    {"y_number_negative", "-123", 0, false},
    {"y_number_fraction", "1.5", 0, false},
    {"y_number_exp", "1e5", 0, false},
    {"y_number_exp_upper_plus", "1E+5", 0, false},
    {"y_number_exp_minus", "1e-5", 0, false},
    {"y_number_huge_exp", "1e999999", 0, false},
    {"y_number_many_digits", "123456789012345678901234567890", 0, false},
    {"y_literal_true", "true", 0, false},
    {"y_literal_false", "false", 0, false},
    {"y_literal_null", "null", 0, false},
    {"n_array_trailing_comma", "[1,]", 0, false},
    {"n_array_leading_comma", "[,1]", 0, false},
    {"n_array_double_comma", "[1,,2]", 0, false},
    {"n_array_unclosed", "[1", 0, false},
    {"n_array_colon", "[1:2]", 0, false},
    {"n_object_trailing_comma", "{\"a\":1,}", 0, false},
    {"n_object_missing_value", "{\"a\":}", 0, false},
    {"n_object_missing_colon", "{\"a\" 1}", 0, false},
    {"n_object_non_string_key", "{1:1}", 0, false},
    {"n_object_single_quotes", "{'a':1}", 0, false},
    {"n_object_unclosed", "{\"a\":1", 0, false},
    {"n_object_comment", "{/**/}", 0, false},
    {"n_string_single_quote", "'a'", 0, false},
    {"n_string_unterminated", "\"abc", 0, false},
    {"n_string_raw_tab", "\"\t\"", 0, false},
    {"n_string_bad_escape", "\"\\a\"", 0, false},
    {"n_string_incomplete_u", "\"\\u00\"", 0, false},
    {"n_string_lone_surrogate", "\"\\uDD1E\"", 0, false},
    {"n_string_invalid_utf8", "\"\xe9\"", 0, false},
    {"n_string_overlong", "\"\xc0\xaf\"", 0, false},
    {"n_string_nul_raw", "\"\0\"", 3, false},
    {"n_number_leading_zero", "012", 0, false},
    {"n_number_plus", "+1", 0, false},
    {"n_number_dot_start", ".1", 0, false},
    {"n_number_dot_end", "1.", 0, false},
    {"n_number_hex", "0x10", 0, false},
    {"n_number_nan", "NaN", 0, false},
    {"n_number_infinity", "Infinity", 0, false},
    {"n_number_minus_infinity", "-Infinity", 0, false},
    {"n_number_exp_empty", "1e", 0, false},
    {"n_number_comma_decimal", "1,5", 0, true},
    {"n_literal_capital", "True", 0, false},
    {"n_literal_truncated", "nul", 0, false},
    {"n_literal_undefined", "undefined", 0, false},
    {"n_structure_empty", "", 0, false},
    {"n_structure_two_values", "1 2", 0, true},
    {"n_structure_unclosed_nested", "[{\"a\":[}]", 0, false},
    {"n_structure_bom_value", "\xef\xbb\xbf" "1", 0, false},
};

static void test_conformance(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    size_t yes = 0, no = 0;
    for (size_t i = 0; i < sizeof suite / sizeof *suite; i++) {
        size_t len = suite[i].len ? suite[i].len : strlen(suite[i].json);
        bool must_accept = suite[i].name[0] == 'y';
        /* Before the known key and after it. */
        for (int where = 0; where < 2; where++) {
            char *doc = malloc(len + 64);
            int pre = sprintf(doc, where ? "{\"interactionId\":\"i\",\"x\":" : "{\"x\":");
            memcpy(doc + pre, suite[i].json, len);
            strcpy(doc + pre + len, where ? "}" : ",\"interactionId\":\"i\"}");
            size_t dlen = (size_t)pre + len + (where ? 1 : 21);
            evg_error err;
            for (int path = 0; path < 2; path++) {
                char *copy = malloc(dlen);
                memcpy(copy, doc, dlen);
                bool ok = path ? parse_route(v, copy, dlen, &err) : parse_typed_bare(v, copy, dlen, &err);
                free(copy);
                if (ok != must_accept)
                    fail_msg("%s (%s, %s): %s", suite[i].name, where ? "last" : "first", path ? "route" : "bare",
                             ok ? "accepted" : evg_code_name(err.code));
                if (!ok) {
                    /* The error is in the value, or after it for an unclosed one. */
                    assert_true(err.offset >= (size_t)pre);
                    /* In the value, or (unclosed ones) in the object around it. */
                    bool in_x = strcmp(err.pointer, "/x") == 0 || strncmp(err.pointer, "/x/", 3) == 0;
                    if (path && strcmp(err.pointer, "") != 0 && (suite[i].after || !in_x))
                        fail_msg("%s (%s): pointer \"%s\"", suite[i].name, where ? "last" : "first", err.pointer);
                }
            }
            free(doc);
        }
        must_accept ? yes++ : no++;
    }
    print_message("conformance: %zu y_ and %zu n_ cases\n", yes, no);
    assert_true(yes >= 30 && no >= 30);
}

/* MARK: regressions (bugs found by this suite, fixed) ------------------------------------------------------------------------ */

/* The envelope scan (ev_parse_any, and since e2c5b78 the per-event
 * _parse_wire too) lets the last of two duplicate envelope keys win: two
 * payloads, and the second one is parsed. */
static void regression_envelope_duplicates(void **state)
{
    (void)state;
    const char *env = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-ended-v1\",\"value\":"
                      "{\"interactionId\":\"i\"},\"value\":{\"interactionId\":\"j\"}}}";
    ev_aw_interaction_ended_v1_1_0_0 out;
    evg_error err;
    bool ok = ev_aw_interaction_ended_v1_1_0_0_parse_wire(env, strlen(env), &out, NULL, 0, &err);
    if (ok)
        fail_msg("_parse_wire accepted it, with interactionId \"%.*s\"", (int)out.interactionId.len,
                 out.interactionId.ptr);
    assert_int_equal(err.code, EVG_ERR_DUPLICATE);
    assert_string_equal(err.pointer, "/message/value");
    assert_int_equal(err.offset, 103);
    ev_any any;
    evg_arena a = fresh_arena();
    ok = ev_parse_any(env, strlen(env), &any, &a, 0, &err);
    if (ok)
        fail_msg("ev_parse_any accepted it, with interactionId \"%.*s\"",
                 (int)any.u.aw_interaction_ended_v1_1_0_0.interactionId.len,
                 any.u.aw_interaction_ended_v1_1_0_0.interactionId.ptr);
    assert_int_equal(err.code, EVG_ERR_DUPLICATE);
    assert_string_equal(err.pointer, "/message/value");
    assert_int_equal(err.offset, 103);
}

static void regression_envelope_duplicate_status(void **state)
{
    (void)state;
    const char *doc = "{\"eventType\":\"mashell-voice-phone-offered-cc-event-v1\",\"status\":\"success\",\"data\":"
                      "{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
                      "\"media\":\"phone\",\"searchContext\":\"s\"},\"status\":\"failed\"}";
    ev_any any;
    evg_error err;
    evg_arena a = fresh_arena();
    assert_false(ev_parse_any(doc, strlen(doc), &any, &a, 0, &err));
    assert_int_equal(err.code, EVG_ERR_DUPLICATE);   /* got ENVELOPE: read as a failure envelope */
    assert_string_equal(err.pointer, "/status");
}

/* An error inside the value of an unknown key: the typed parsers report the
 * root ("") instead of the key's pointer, which ev_parse_bare gives. */
static void regression_unknown_key_value_pointer(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-interaction-ended-v1", "1.0.0");
    const char *doc = "{\"interactionId\":\"i\",\"x\":[1,]}";
    expect want = {EVG_ERR_SYNTAX, "/x", 28, NULL};
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_BARE);
}

/* A syntax error deep in a known value: ev_parse_any / ev_parse_bare give
 * the pointer of the top-level key only (their envelope scan finds it
 * first), the typed parser the exact one. */
static void regression_routed_syntax_pointer(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-chat-init-v1", "1.0.0");
    const char *doc = "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":1,\"type\":\"t\",\"rawMessage\":1,"
                      "\"author\":{\"id\":\"\\x\",\"email\":\"\",\"name\":\"\"}}]}";
    expect want = {EVG_ERR_BAD_ESCAPE, "/messages/0/author/id", 99, NULL};
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_ROUTE);
}

/* An unknown minor/patch version falls back to the newest known of the same
 * major (EVG_FALLBACK) only when the envelope states it: stated in the
 * payload (the only place a Maestro envelope has), the payload's own
 * schemaVersion constant then rejects it. */
static void regression_fallback_from_payload_version(void **state)
{
    (void)state;
    const char *doc = "{\"eventType\":\"mashell-voice-phone-offered-cc-event-v1\",\"status\":\"success\",\"data\":"
                      "{\"schemaVersion\":\"1.0.3\",\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\","
                      "\"direction\":\"inbound\",\"media\":\"phone\",\"searchContext\":\"s\"}}";
    ev_any any;
    evg_error err;
    evg_arena a = fresh_arena();
    bool ok = ev_parse_any(doc, strlen(doc), &any, &a, 0, &err);
    if (!ok) {
        char buf[256];
        evg_error_format(&err, buf, sizeof buf);
        fail_msg("%s", buf);   /* CONST: /data/schemaVersion: expected "1.0.0" (offset 98) */
    }
    assert_int_equal(any.flags, EVG_FALLBACK);
}

/* A nullable property cut inside its `null`: the typed parser reports a
 * type error (evg_take_null needs all four bytes, then a string is
 * expected) where every other truncation is TRUNCATED. */
static void regression_truncated_null(void **state)
{
    (void)state;
    const evg_version_info *v = version_of("aw-chat-init-v1", "1.0.0");
    const char *doc = "{\"interactionId\":\"i\",\"messages\":[{\"id\":\"a\",\"timestamp\":1,\"type\":\"t\","
                      "\"rawMessage\":1,\"translatedMessage\":nu";
    expect want = {EVG_ERR_TRUNCATED, NULL, (long)strlen(doc), NULL};
    run_payload(v, doc, strlen(doc), 0, &want, NULL, VIA_BARE);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table_matches_dispatch),
        cmocka_unit_test(test_missing_required),
        cmocka_unit_test(test_wrong_types),
        cmocka_unit_test(test_wrong_type_pointers),
        cmocka_unit_test(test_bad_const_and_enum),
        cmocka_unit_test(test_enum_messages),
        cmocka_unit_test(test_array_bounds),
        cmocka_unit_test(test_truncation),
        cmocka_unit_test(test_rfc8259_strings),
        cmocka_unit_test(test_rfc8259_numbers),
        cmocka_unit_test(test_rfc8259_documents),
        cmocka_unit_test(test_duplicate_keys),
        cmocka_unit_test(test_depth),
        cmocka_unit_test(test_unknown_keys),
        cmocka_unit_test(test_arena),
        cmocka_unit_test(test_error_format),
        cmocka_unit_test(test_conformance),
        cmocka_unit_test(regression_envelope_duplicates),
        cmocka_unit_test(regression_envelope_duplicate_status),
        cmocka_unit_test(regression_unknown_key_value_pointer),
        cmocka_unit_test(regression_routed_syntax_pointer),
        cmocka_unit_test(regression_fallback_from_payload_version),
        cmocka_unit_test(regression_truncated_null),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
