/* test_rt_dispatch.c - the generated dispatch layer (generated/dispatch.c)
 * and the runtime's routing part (evg_scan_envelope, evg_select_version,
 * evg_status_on), against the policy in docs/dispatch.md.
 *
 *   tables       ev_events / ev_versions agree with each other and the catalog
 *   samples      every event version's upstream sample, in its envelope,
 *                parses as that version and re-serializes to a fixpoint
 *   versions     aw-interaction-wrap-up-codes-v1 1.0.0 / 1.0.1 by envelope and
 *                by payload schemaVersion; the focus v1/v2/v3 family;
 *                fallback, assumed, and their strict-mode errors
 *   errors       one table: document -> code, JSON Pointer, byte offset
 *   envelopes    key order, unknown keys, the send request envelope
 *   lifecycle    every dated boundary of every version, the focus family by hand
 *   enumeration  ev_list_events, ev_events_json, ev_find_event, ev_find_version
 *   failures     Maestro status "failed" envelopes, typed by data.error
 *
 * Runs from the repository root (reads tests/samples/). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

/* ================================================================ helpers */

static char arena_mem[1 << 20];

static char *xstrdup(const char *s)
{
    size_t n = strlen(s) + 1;
    char *d = malloc(n);
    assert_non_null(d);
    memcpy(d, s, n);
    return d;
}

static char *fmt(const char *f, ...)
{
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(NULL, 0, f, ap);
    va_end(ap);
    assert_true(n >= 0);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    va_start(ap, f);
    vsnprintf(s, (size_t)n + 1, f, ap);
    va_end(ap);
    return s;
}

static char *read_file(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        print_error("cannot open %s (run from the repository root)\n", path);
    assert_non_null(f);
    assert_int_equal(fseek(f, 0, SEEK_END), 0);
    long n = ftell(f);
    assert_true(n >= 0);
    rewind(f);
    char *s = malloc((size_t)n + 1);
    assert_non_null(s);
    assert_int_equal(fread(s, 1, (size_t)n, f), (size_t)n);
    s[n] = '\0';
    fclose(f);
    return s;
}

/* Drops whitespace outside strings, leaving every token as written. */
static char *minify(const char *s)
{
    char *out = malloc(strlen(s) + 1), *o = out;
    bool in_string = false;
    assert_non_null(out);
    for (; *s; s++) {
        if (in_string) {
            *o++ = *s;
            if (*s == '\\')
                *o++ = *++s;
            else if (*s == '"')
                in_string = false;
        } else if (*s == '"') {
            in_string = true;
            *o++ = *s;
        } else if (*s != ' ' && *s != '\n' && *s != '\r' && *s != '\t') {
            *o++ = *s;
        }
    }
    *o = '\0';
    return out;
}

/* The upstream sample of a version, minified: a payload (partner-sdk) or a
 * whole envelope (maestro). */
static char *sample(const char *event, const char *version)
{
    char *path = fmt("tests/samples/%s-%s.json", event, version);
    char *raw = read_file(path);
    char *m = minify(raw);
    free(path);
    free(raw);
    return m;
}

/* Envelopes, built as docs/catalog.md describes them. version NULL: none. */
static char *sdk_event(const char *name, const char *version, const char *payload)
{
    if (!version)
        return fmt("{\"type\":\"event\",\"message\":{\"eventName\":\"%s\",\"value\":%s}}", name, payload);
    return fmt("{\"type\":\"event\",\"schemaVersion\":\"%s\",\"message\":{\"eventName\":\"%s\",\"value\":%s}}",
               version, name, payload);
}

static char *sdk_request(const char *name, const char *payload)
{
    return fmt("{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
               "\"value\":{\"name\":\"%s\",\"data\":%s}}}",
               name, payload);
}

static char *wrap(const evg_version_info *v, const char *payload)
{
    switch (v->wire) {
    case EVG_WIRE_MAESTRO: return xstrdup(payload);   /* the sample is the envelope */
    case EVG_WIRE_SDK_EVENT: return sdk_event(v->event, v->version, payload);
    case EVG_WIRE_SDK_REQUEST: return sdk_request(v->event, payload);
    default: fail_msg("unexpected wire %d", (int)v->wire);
    }
    return NULL;
}

static bool parse(const char *json, unsigned flags, ev_any *ev, evg_error *err)
{
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    return ev_parse_any(json, strlen(json), ev, &a, flags, err);
}

static bool parse_bare(const char *event, const char *json, unsigned flags, ev_any *ev, evg_error *err)
{
    const evg_event_info *e = ev_find_event(event, strlen(event));
    assert_non_null(e);
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    return ev_parse_bare(e, json, strlen(json), ev, &a, flags, err);
}

static void show_error(const char *json, const evg_error *err)
{
    char line[512];
    evg_error_format(err, line, sizeof line);
    print_error("  document: %.300s\n  error:    %s\n", json, line);
}

/* Parses `json`, which must succeed. */
static void must_parse(const char *json, unsigned flags, ev_any *ev)
{
    evg_error err;
    if (!parse(json, flags, ev, &err)) {
        show_error(json, &err);
        fail_msg("expected the document to parse");
    }
    assert_int_equal(err.code, EVG_ERR_OK);
}

/* ev_serialize_any into a fresh buffer, checking the snprintf convention. */
static char *serialize(const ev_any *ev)
{
    size_t need = ev_serialize_any(ev, NULL, 0);
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    memset(buf, 'x', need + 1);
    assert_int_equal(ev_serialize_any(ev, buf, need + 1), need);
    assert_int_equal(strlen(buf), need);
    return buf;
}

static size_t offset_of(const char *json, const char *needle)
{
    const char *at = strstr(json, needle);
    if (!at)
        fail_msg("'%s' not in %s", needle, json);
    return (size_t)(at - json);
}

/* The expected failure of one document. pointer NULL: not checked. */
static void expect_failure(const char *json, size_t len, const evg_event_info *bare, unsigned flags,
                           evg_code code, const char *pointer, size_t offset)
{
    ev_any ev;
    evg_error err;
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    bool ok = bare ? ev_parse_bare(bare, json, len, &ev, &a, flags, &err)
                   : ev_parse_any(json, len, &ev, &a, flags, &err);
    bool same = !ok && err.code == code && err.offset == offset &&
                (!pointer || strcmp(err.pointer, pointer) == 0);
    if (!same) {
        if (ok)
            print_error("  document: %.300s\n  parsed, as kind %d\n", json, (int)ev.kind);
        else
            show_error(json, &err);
        fail_msg("expected %s: %s (offset %zu)", evg_code_name(code), pointer ? pointer : "(any pointer)",
                 offset);
    }
    assert_int_equal(ev.kind, EV_KIND_NONE);
    assert_non_null(err.message);
}

static const evg_event_info *event_named(const char *name)
{
    const evg_event_info *e = ev_find_event(name, strlen(name));
    if (!e)
        fail_msg("no event %s", name);
    return e;
}

static const evg_version_info *version_of(const char *name, const char *version)
{
    const evg_version_info *v = ev_find_version(event_named(name), version, strlen(version));
    if (!v)
        fail_msg("no version %s of %s", version, name);
    return v;
}

#define WRAP_UP "aw-interaction-wrap-up-codes-v1"
#define HOLD "aw-interaction-hold-v1"
#define FAILED_EVENT "mashell-chat-nextgen-terminated-cc-event-v1"

/* ================================================================ tables */

static bool semver_less(const evg_version_info *a, const evg_version_info *b)
{
    if (a->major != b->major)
        return a->major < b->major;
    if (a->minor != b->minor)
        return a->minor < b->minor;
    return a->patch < b->patch;
}

static void test_tables_are_consistent(void **state)
{
    (void)state;
    assert_int_equal(EV_EVENT_COUNT, 59);
    assert_int_equal(EV_VERSION_COUNT, 60);
    bool kind_seen[EV_KIND_COUNT_] = {false};
    size_t next = 0;
    for (size_t i = 0; i < EV_EVENT_COUNT; i++) {
        const evg_event_info *e = &ev_events[i];
        /* Versions are contiguous in ev_versions, in event order. */
        assert_ptr_equal(e->versions, &ev_versions[next]);
        assert_true(e->version_count >= 1);
        next += e->version_count;
        for (size_t k = 0; k < e->version_count; k++) {
            const evg_version_info *v = &e->versions[k];
            assert_string_equal(v->event, e->name);
            assert_int_equal(v->product, e->product);
            assert_int_equal(v->direction, e->direction);
            assert_int_equal(v->wire, e->wire);
            char text[64];
            snprintf(text, sizeof text, "%u.%u.%u", v->major, v->minor, v->patch);
            assert_string_equal(v->version, text);
            if (k > 0)
                assert_true(semver_less(&e->versions[k - 1], v));   /* oldest first */
            assert_true(v->kind > EV_KIND_NONE && v->kind < EV_KIND_MAESTRO_INVALID_SCHEMA);
            assert_false(kind_seen[v->kind]);
            kind_seen[v->kind] = true;
            assert_true(v->struct_size > 0 && v->struct_size <= sizeof(((ev_any *)0)->u));
            assert_non_null(v->parse);
            assert_non_null(v->write);
            /* Dates are real and ordered: active <= deprecated <= sunset. */
            assert_true(v->active >= 20000101 && v->active <= 21000101);
            if (v->deprecated)
                assert_true(v->deprecated >= v->active);
            if (v->sunset)
                assert_true(v->sunset >= (v->deprecated ? v->deprecated : v->active));
            if (v->published_status == EVG_STATUS_DEPRECATED)
                assert_true(v->deprecated != 0);
            if (v->published_status == EVG_STATUS_SUNSET)
                assert_true(v->sunset != 0);
        }
        /* Wire follows product and direction. */
        if (e->product == EVG_PRODUCT_MAESTRO)
            assert_int_equal(e->wire, EVG_WIRE_MAESTRO);
        else if (e->direction == EVG_DIRECTION_SEND)
            assert_int_equal(e->wire, EVG_WIRE_SDK_REQUEST);
        else
            assert_int_equal(e->wire, EVG_WIRE_SDK_EVENT);
    }
    assert_int_equal(next, EV_VERSION_COUNT);
    /* Exactly one event has two versions; the focus family is three events. */
    assert_int_equal(event_named(WRAP_UP)->version_count, 2);
    for (size_t i = 0; i < EV_EVENT_COUNT; i++)
        if (strcmp(ev_events[i].name, WRAP_UP) != 0)
            assert_int_equal(ev_events[i].version_count, 1);
}

/* ================================================================ samples */

/* Every event version: its sample in its envelope parses as exactly that
 * version, and the canonical form is a fixpoint of parse + serialize. */
static void test_every_version_round_trips(void **state)
{
    (void)state;
    for (size_t i = 0; i < EV_VERSION_COUNT; i++) {
        const evg_version_info *v = &ev_versions[i];
        char *payload = sample(v->event, v->version);
        char *doc = wrap(v, payload);
        ev_any ev;
        must_parse(doc, 0, &ev);
        assert_string_equal(ev.event->name, v->event);
        assert_ptr_equal(ev.info, v);
        assert_int_equal(ev.kind, v->kind);
        assert_int_equal(ev.wire, v->wire);
        /* Upstream samples without a schemaVersion anywhere: assumed (newest). */
        bool has_version = v->wire == EVG_WIRE_SDK_EVENT || strstr(payload, "\"schemaVersion\"") != NULL;
        assert_int_equal(ev.flags, has_version ? 0u : (unsigned)EVG_VERSION_ASSUMED);

        char *canon = serialize(&ev);
        const char *prefix = v->wire == EVG_WIRE_MAESTRO ? "{\"eventType\":\""
                             : v->wire == EVG_WIRE_SDK_EVENT ? "{\"type\":\"event\",\"schemaVersion\":\""
                                                             : "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\"";
        assert_memory_equal(canon, prefix, strlen(prefix));
        assert_null(strchr(canon, '\n'));
        ev_any again;
        must_parse(canon, 0, &again);
        assert_int_equal(again.kind, v->kind);
        char *canon2 = serialize(&again);
        assert_string_equal(canon2, canon);
        free(canon2);
        free(canon);
        free(doc);
        free(payload);
    }
}

/* ================================================================ versions */

static void check_wrap_up_1_0_0(const ev_any *ev)
{
    assert_int_equal(ev->kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_0);
    assert_ptr_equal(ev->info, version_of(WRAP_UP, "1.0.0"));
    assert_ptr_equal(ev->event, event_named(WRAP_UP));
    const ev_aw_interaction_wrap_up_codes_v1_1_0_0 *w = &ev->u.aw_interaction_wrap_up_codes_v1_1_0_0;
    assert_true(evg_str_eq(w->interactionId, "interaction-12345"));
    assert_int_equal(w->wrapUpCodes.count, 1);
    assert_int_equal(w->wrapUpCodes.items[0].items.count, 1);
    assert_true(evg_str_eq(w->wrapUpCodes.items[0].items.items[0].callLineId, "line-1"));
    assert_true(w->wrapUpCodes.items[0].items.items[0].callBackTime == 60.0);
}

static void check_wrap_up_1_0_1(const ev_any *ev, bool with_description)
{
    assert_int_equal(ev->kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_1);
    assert_ptr_equal(ev->info, version_of(WRAP_UP, "1.0.1"));
    assert_ptr_equal(ev->event, event_named(WRAP_UP));
    const ev_aw_interaction_wrap_up_codes_v1_1_0_1 *w = &ev->u.aw_interaction_wrap_up_codes_v1_1_0_1;
    assert_true(evg_str_eq(w->interactionId, "interaction-12345"));
    assert_int_equal(w->wrapUpCodes.count, 1);
    const ev_aw_interaction_wrap_up_codes_v1_1_0_1_wrapUpCodes_item_items_item *it =
        &w->wrapUpCodes.items[0].items.items[0];
    assert_int_equal(it->has_description, with_description);
    if (with_description)
        assert_true(evg_str_eq(it->description, "description"));
}

/* With the payload's own schemaVersion added as its first member. */
static char *with_version(const char *payload, const char *version)
{
    assert_int_equal(payload[0], '{');
    return fmt("{\"schemaVersion\":\"%s\",%s", version, payload + 1);
}

static void test_wrap_up_by_envelope_version(void **state)
{
    (void)state;
    char *p100 = sample(WRAP_UP, "1.0.0"), *p101 = sample(WRAP_UP, "1.0.1");
    ev_any ev;

    char *d = sdk_event(WRAP_UP, "1.0.0", p100);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_0(&ev);
    assert_int_equal(ev.flags, 0);
    char *s = serialize(&ev);
    assert_non_null(strstr(s, "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" WRAP_UP "\""));
    assert_null(strstr(s, "description"));
    free(s);
    free(d);

    d = sdk_event(WRAP_UP, "1.0.1", p101);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_1(&ev, true);
    assert_int_equal(ev.flags, 0);
    s = serialize(&ev);
    assert_non_null(strstr(s, "\"schemaVersion\":\"1.0.1\""));
    assert_non_null(strstr(s, "\"callBackTime\":60,\"description\":\"description\"}"));
    free(s);
    free(d);

    /* The 1.0.0 sample is also a valid 1.0.1 payload (description is optional). */
    d = sdk_event(WRAP_UP, "1.0.1", p100);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_1(&ev, false);
    free(d);

    /* The envelope's version decides the schema: 1.0.1's description is an
     * unknown key of 1.0.0 (dropped, or an error in strict mode). */
    d = sdk_event(WRAP_UP, "1.0.0", p101);
    must_parse(d, 0, &ev);
    check_wrap_up_1_0_0(&ev);
    s = serialize(&ev);
    assert_null(strstr(s, "description"));
    free(s);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY,
                   "/message/value/wrapUpCodes/0/items/0/description",
                   offset_of(d, "\"description\"}"));
    free(d);
    free(p100);
    free(p101);
}

static void test_wrap_up_by_payload_version(void **state)
{
    (void)state;
    char *p100 = sample(WRAP_UP, "1.0.0"), *p101 = sample(WRAP_UP, "1.0.1");
    char *v100 = with_version(p100, "1.0.0"), *v101 = with_version(p101, "1.0.1");
    ev_any ev;

    /* Partner SDK envelope without a top-level schemaVersion. */
    char *d = sdk_event(WRAP_UP, NULL, v100);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_0(&ev);
    assert_int_equal(ev.flags, 0);
    char *s = serialize(&ev);
    /* The envelope gets the version parsed as; the payload keeps its own. */
    assert_non_null(strstr(s, "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\","));
    assert_non_null(strstr(s, "\"schemaVersion\":\"1.0.0\"}}}"));
    free(s);
    free(d);

    d = sdk_event(WRAP_UP, NULL, v101);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_1(&ev, true);
    assert_int_equal(ev.flags, 0);
    free(d);

    /* Bare payloads (ev_parse_bare): the payload's version alone decides. */
    evg_error err;
    assert_true(parse_bare(WRAP_UP, v100, EVG_STRICT, &ev, &err));
    check_wrap_up_1_0_0(&ev);
    assert_int_equal(ev.wire, EVG_WIRE_BARE);
    s = serialize(&ev);
    assert_memory_equal(s, "{\"interactionId\":", 17);   /* bare in, bare out */
    free(s);
    assert_true(parse_bare(WRAP_UP, v101, EVG_STRICT, &ev, &err));
    check_wrap_up_1_0_1(&ev, true);

    /* The envelope's version comes first; the payload's must agree with it. */
    d = sdk_event(WRAP_UP, "1.0.1", v101);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_1(&ev, true);
    free(d);
    d = sdk_event(WRAP_UP, "1.0.0", v101);
    expect_failure(d, strlen(d), NULL, 0, EVG_ERR_CONST, "/message/value/schemaVersion",
                   offset_of(d, "\"1.0.1\""));
    free(d);
    free(v100);
    free(v101);
    free(p100);
    free(p101);
}

static void test_focus_family(void **state)
{
    (void)state;
    static const struct {
        const char *event, *version;
        ev_kind kind;
    } focus[] = {
        {"aw-interaction-focus-v1", "1.0.0", EV_KIND_AW_INTERACTION_FOCUS_V1_1_0_0},
        {"aw-interaction-focus-v2", "2.0.0", EV_KIND_AW_INTERACTION_FOCUS_V2_2_0_0},
        {"aw-interaction-focus-v3", "3.0.0", EV_KIND_AW_INTERACTION_FOCUS_V3_3_0_0},
    };
    for (size_t i = 0; i < 3; i++) {
        const evg_event_info *e = event_named(focus[i].event);
        assert_int_equal(e->version_count, 1);
        assert_string_equal(e->versions[0].version, focus[i].version);
        char *p = sample(focus[i].event, focus[i].version);
        char *d = sdk_event(focus[i].event, focus[i].version, p);
        ev_any ev;
        must_parse(d, EVG_STRICT, &ev);
        assert_int_equal(ev.kind, focus[i].kind);
        assert_ptr_equal(ev.event, e);
        assert_ptr_equal(ev.info, &e->versions[0]);
        free(d);
        /* Each name has only its own major: the others are unknown versions. */
        for (size_t j = 0; j < 3; j++) {
            if (j == i)
                continue;
            d = sdk_event(focus[i].event, focus[j].version, p);
            expect_failure(d, strlen(d), NULL, 0, EVG_ERR_UNKNOWN_VERSION, "/schemaVersion",
                           offset_of(d, focus[j].version) - 1);
            free(d);
        }
        free(p);
    }
    /* The payloads differ: v2's queue is required, v3 adds isManual. */
    ev_any ev;
    char *d = sdk_event("aw-interaction-focus-v3", "3.0.0",
                        "{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\",\"queueId\":\"q\",\"queueName\":\"n\"},"
                        "\"isManual\":true}");
    must_parse(d, EVG_STRICT, &ev);
    assert_true(ev.u.aw_interaction_focus_v3_3_0_0.isManual);
    assert_true(evg_str_eq(ev.u.aw_interaction_focus_v3_3_0_0.queue.queueName, "n"));
    free(d);
    d = sdk_event("aw-interaction-focus-v2", "2.0.0", "{\"interactionId\":\"i\"}");
    expect_failure(d, strlen(d), NULL, 0, EVG_ERR_MISSING, "/message/value/queue", strlen(d) - 3);
    free(d);
}

static void test_fallback_and_strict(void **state)
{
    (void)state;
    char *p = sample(WRAP_UP, "1.0.0");
    ev_any ev;
    static const char *const unknown_minor[] = {"1.0.7", "1.0.2", "1.1.0", "1.99.999999"};
    for (size_t i = 0; i < sizeof unknown_minor / sizeof *unknown_minor; i++) {
        char *d = sdk_event(WRAP_UP, unknown_minor[i], p);
        must_parse(d, 0, &ev);
        assert_int_equal(ev.flags, EVG_FALLBACK);
        check_wrap_up_1_0_1(&ev, false);     /* the newest 1.x.y */
        char *s = serialize(&ev);             /* written as the version used */
        assert_non_null(strstr(s, "\"schemaVersion\":\"1.0.1\""));
        assert_null(strstr(s, unknown_minor[i]));
        free(s);
        expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/schemaVersion",
                       offset_of(d, unknown_minor[i]) - 1);
        free(d);
    }
    /* A single-version event falls back to its one version of that major. */
    char *d = sdk_event(HOLD, "1.2.3", "{\"interactionId\":\"a\"}");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_FALLBACK);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/schemaVersion",
                   offset_of(d, "\"1.2.3\""));
    free(d);
    /* Strict mode reports where the version was found: the Maestro payload. */
    d = xstrdup("{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"success\","
                "\"data\":{\"schemaVersion\":\"1.0.3\"}}");
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/data/schemaVersion",
                   offset_of(d, "\"1.0.3\""));
    free(d);
    free(p);
}

static void test_version_assumed_and_missing(void **state)
{
    (void)state;
    char *p = sample(WRAP_UP, "1.0.0");
    ev_any ev;
    /* No schemaVersion anywhere: the newest version, flagged. */
    char *d = sdk_event(WRAP_UP, NULL, p);
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    check_wrap_up_1_0_1(&ev, false);
    char *s = serialize(&ev);
    assert_non_null(strstr(s, "{\"type\":\"event\",\"schemaVersion\":\"1.0.1\","));
    free(s);
    /* Strict: VERSION_MISSING, at the payload that lacks it. The pointer is
     * not checked here (see the report on VERSION_MISSING's pointer). */
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, NULL,
                   offset_of(d, "\"value\":") + 8);
    free(d);

    /* Many upstream samples omit it: lenient by default for every wire. */
    d = sample("mashell-chat-offered-cc-event-v1", "1.0.0");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    assert_int_equal(ev.kind, EV_KIND_MASHELL_CHAT_OFFERED_CC_EVENT_V1_1_0_0);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, NULL,
                   offset_of(d, "\"data\":") + 7);
    free(d);
    d = sdk_request("aw-chat-message-received-v1", "{\"interactionId\":\"c\",\"message\":\"m\"}");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    assert_int_equal(ev.wire, EVG_WIRE_SDK_REQUEST);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, NULL,
                   offset_of(d, "\"data\":") + 7);
    free(d);
    /* Bare payload without a version. */
    evg_error err;
    assert_true(parse_bare(WRAP_UP, p, 0, &ev, &err));
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    check_wrap_up_1_0_1(&ev, false);
    expect_failure(p, strlen(p), event_named(WRAP_UP), EVG_STRICT, EVG_ERR_VERSION_MISSING, "", 0);
    free(p);
}

/* ================================================================ errors */

#define H_MSG "\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}"
#define H_EVT(v) "{\"type\":\"event\",\"schemaVersion\":\"" v "\"," H_MSG "}"
#define M_ENV(data) "{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"success\",\"data\":" data "}"
#define R_ENV(name, data) \
    "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\"," \
    "\"value\":{\"name\":\"" name "\",\"data\":" data "}}}"
#define R_CHAT "aw-chat-message-received-v1"
#define FAILURE_US "{\"eventName\":\"terminated\",\"error\":\"UNSUPPORTED_SCHEMA_VERSION\"," \
                   "\"schemaVersion\":\"2.0.0\",\"allowedSchemaVersions\":[\"1.0.0\"]}"

typedef struct err_case {
    const char *json;
    unsigned flags;
    evg_code code;
    const char *pointer;   /* NULL: not checked */
    const char *at;        /* offset: first occurrence of this text ... */
    long offset;           /* ... plus this; or, without `at`, this (< 0: from the end) */
} err_case;

static const err_case error_cases[] = {
    /* UNKNOWN_EVENT: the pointer names where the event name was read. */
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-teleport-v1\","
     "\"value\":{}}}",
     0, EVG_ERR_UNKNOWN_EVENT, "/message/eventName", "\"aw-interaction-teleport", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"value\":{},\"eventName\":\"AW-INTERACTION-HOLD-V1\"}}",
     0, EVG_ERR_UNKNOWN_EVENT, "/message/eventName", "\"AW-", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"\",\"value\":{}}}",
     0, EVG_ERR_UNKNOWN_EVENT, "/message/eventName", "\"\"", 0},
    {"{\"eventType\":\"mashell-teleport-cc-event-v1\",\"status\":\"success\",\"data\":{}}",
     0, EVG_ERR_UNKNOWN_EVENT, "/eventType", "\"mashell-teleport", 0},
    {"{\"eventType\":\"mashell-teleport-cc-event-v1\",\"status\":\"failed\",\"data\":" FAILURE_US "}",
     0, EVG_ERR_UNKNOWN_EVENT, "/eventType", "\"mashell-teleport", 0},
    {R_ENV("aw-chat-message-teleported-v1", "{}"), 0, EVG_ERR_UNKNOWN_EVENT, "/message/value/name",
     "\"aw-chat-message-teleported", 0},

    /* UNKNOWN_VERSION: a major the event does not have, wherever it was read. */
    {H_EVT("2.0.0"), 0, EVG_ERR_UNKNOWN_VERSION, "/schemaVersion", "\"2.0.0\"", 0},
    {H_EVT("0.1.0"), EVG_STRICT, EVG_ERR_UNKNOWN_VERSION, "/schemaVersion", "\"0.1.0\"", 0},
    {M_ENV("{\"schemaVersion\":\"2.0.0\"}"), 0, EVG_ERR_UNKNOWN_VERSION, "/data/schemaVersion", "\"2.0.0\"", 0},
    {"{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\","
     "\"schemaVersion\":\"9.0.0\"}}}",
     0, EVG_ERR_UNKNOWN_VERSION, "/message/value/schemaVersion", "\"9.0.0\"", 0},
    {R_ENV(R_CHAT, "{\"schemaVersion\":\"3.0.0\"}"), 0, EVG_ERR_UNKNOWN_VERSION,
     "/message/value/data/schemaVersion", "\"3.0.0\"", 0},

    /* BAD_VERSION: not MAJOR.MINOR.PATCH (decimal, no leading zeros). */
    {H_EVT("1.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.0\"", 0},
    {H_EVT("1.0.0.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.0.0.0\"", 0},
    {H_EVT("01.0.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"01.0.0\"", 0},
    {H_EVT("1.00.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.00.0\"", 0},
    {H_EVT("1.0.0-beta"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.0.0-beta\"", 0},
    {H_EVT("v1.0.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"v1.0.0\"", 0},
    {H_EVT(" 1.0.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\" 1.0.0\"", 0},
    {H_EVT("1.0.0 "), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.0.0 \"", 0},
    {H_EVT("1..0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1..0\"", 0},
    {H_EVT("-1.0.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"-1.0.0\"", 0},
    {H_EVT(""), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"\"", 0},
    {H_EVT("1000000.0.0"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1000000", 0},
    {H_EVT("1.0.0\\u0000"), 0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.0.0\\u", 0},
    {H_EVT("1.0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
           "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
     0, EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1.0.000", 0},
    {M_ENV("{\"schemaVersion\":\"1.0\"}"), 0, EVG_ERR_BAD_VERSION, "/data/schemaVersion", "\"1.0\"", 0},
    {R_ENV(R_CHAT, "{\"schemaVersion\":\"latest\"}"), 0, EVG_ERR_BAD_VERSION,
     "/message/value/data/schemaVersion", "\"latest\"", 0},

    /* A schemaVersion that is not a string at all. */
    {"{\"type\":\"event\",\"schemaVersion\":1," H_MSG "}", 0, EVG_ERR_TYPE, "/schemaVersion", ":1,", 1},
    {"{\"type\":\"event\",\"schemaVersion\":null," H_MSG "}", 0, EVG_ERR_TYPE, "/schemaVersion", "null", 0},

    /* ENVELOPE: not one of the three wire shapes. */
    {"{}", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"[]", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"\"event\"", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"42", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"null", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"  \t x", 0, EVG_ERR_ENVELOPE, "", NULL, 4},
    {"{\"interactionId\":\"a\"}", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"{\"type\":\"response\",\"message\":{\"namespace\":\"system\",\"request\":\"getEvents\",\"value\":{}}}",
     0, EVG_ERR_ENVELOPE, "/type", "\"response\"", 0},
    {"{\"type\":\"error\",\"message\":{\"original\":{},\"error\":\"x\"}}", 0, EVG_ERR_ENVELOPE, "/type",
     "\"error\"", 0},
    {"{\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{}},\"type\":\"file-transfer\"}",
     0, EVG_ERR_ENVELOPE, "/type", "\"file-transfer\"", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\"}", 0, EVG_ERR_ENVELOPE, "/message", NULL, -1},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"value\":{}}}", 0, EVG_ERR_ENVELOPE,
     "/message/eventName", NULL, -2},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\"}}",
     0, EVG_ERR_ENVELOPE, "/message/value", NULL, -2},
    {"{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"data\":{}}", 0, EVG_ERR_ENVELOPE, "/status", NULL, -1},
    {"{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"success\"}", 0, EVG_ERR_ENVELOPE, "/data",
     NULL, -1},
    {"{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"pending\",\"data\":{}}", 0,
     EVG_ERR_ENVELOPE, "/status", "\"pending\"", 0},
    {"{\"type\":\"request\",\"message\":{\"action\":\"getEvents\",\"namespace\":\"system\",\"value\":"
     "{\"name\":\"" R_CHAT "\",\"data\":{}}}}",
     0, EVG_ERR_ENVELOPE, "/message/action", "\"getEvents\"", 0},
    {"{\"type\":\"request\",\"message\":{\"namespace\":\"system\",\"value\":{\"name\":\"" R_CHAT "\",\"data\":{}}}}",
     0, EVG_ERR_ENVELOPE, "/message/action", NULL, -2},
    {"{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"user\",\"value\":"
     "{\"name\":\"" R_CHAT "\",\"data\":{}}}}",
     0, EVG_ERR_ENVELOPE, "/message/namespace", "\"user\"", 0},
    {"{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"value\":{\"name\":\"" R_CHAT "\",\"data\":{}}}}",
     0, EVG_ERR_ENVELOPE, "/message/namespace", NULL, -2},
    {"{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\",\"value\":{\"name\":\""
     R_CHAT "\"}}}",
     0, EVG_ERR_ENVELOPE, "/message/value/data", NULL, -3},
    /* name is missing from value: the offset is value's closing brace. */
    {"{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\",\"value\":{\"data\":{}}}}",
     0, EVG_ERR_ENVELOPE, "/message/value/name", NULL, -3},
    /* An event in another wire's envelope. */
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"mashell-chat-offered-cc-event-v1\","
     "\"value\":{}}}",
     0, EVG_ERR_ENVELOPE, "/message/eventName", "\"mashell-", 0},
    {"{\"eventType\":\"aw-interaction-hold-v1\",\"status\":\"success\",\"data\":{\"interactionId\":\"a\"}}", 0,
     EVG_ERR_ENVELOPE, "/eventType", "\"aw-", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" R_CHAT "\",\"value\":{}}}", 0,
     EVG_ERR_ENVELOPE, "/message/eventName", "\"aw-", 0},
    {R_ENV("aw-interaction-hold-v1", "{\"interactionId\":\"a\"}"), 0, EVG_ERR_ENVELOPE, "/message/value/name",
     "\"aw-interaction-hold", 0},
    /* A failed Maestro envelope whose data.error names no known failure. */
    {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"error\":\"TIMEOUT\"}}", 0,
     EVG_ERR_ENVELOPE, "/data", "{\"error\"", 0},
    {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\"}}", 0,
     EVG_ERR_ENVELOPE, "/data", "{\"eventName\"", 0},
    {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"error\":\"invalid_schema\"}}", 0,
     EVG_ERR_ENVELOPE, "/data", "{\"error\"", 0},

    /* Routing strings of the wrong type. */
    {"{\"type\":5," H_MSG "}", 0, EVG_ERR_TYPE, "/type", "5", 0},
    {"{\"eventType\":true,\"status\":\"success\",\"data\":{}}", 0, EVG_ERR_TYPE, "/eventType", "true", 0},
    {"{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":1,\"data\":{}}", 0, EVG_ERR_TYPE, "/status",
     ":1,", 1},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":[]}}",
     0, EVG_ERR_TYPE, "/message/value", "[]", 0},

    /* JSON itself. */
    {"", 0, EVG_ERR_TRUNCATED, "", NULL, 0},
    {"   ", 0, EVG_ERR_TRUNCATED, "", NULL, 3},
    {"{\"type\":\"event\"", 0, EVG_ERR_TRUNCATED, "", NULL, 15},
    {H_EVT("1.0.0") " x", 0, EVG_ERR_TRAILING, "", NULL, -1},
    {H_EVT("1.0.0") "{}", 0, EVG_ERR_TRAILING, "", NULL, -2},
    {"{\"type\":\"event\" \"schemaVersion\":\"1.0.0\"}", 0, EVG_ERR_SYNTAX, "", "\"schemaVersion", 0},

    /* Unknown keys: skipped, except in strict mode (where the value starts). */
    {"{\"type\":\"event\",\"x\":[1,2],\"schemaVersion\":\"1.0.0\"," H_MSG "}", EVG_STRICT, EVG_ERR_UNKNOWN_KEY,
     "/x", "[1,2]", 0},
    {"{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"id\":7,\"status\":\"success\",\"data\":{}}",
     EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/id", "7", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{\"interactionId\":\"a\",\"extra\":1}}}",
     EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/value/extra", "1}", 0},
    /* Payload errors carry the envelope's path. */
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{\"interactionId\":\"a\",\"interactionId\":\"b\"}}}",
     0, EVG_ERR_DUPLICATE, "/message/value/interactionId", "\"b\"", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{}}}",
     0, EVG_ERR_MISSING, "/message/value/interactionId", NULL, -3},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.1\"}}}",
     0, EVG_ERR_CONST, "/message/value/schemaVersion", "\"1.0.1\"", 0},
};

static void test_error_table(void **state)
{
    (void)state;
    for (size_t i = 0; i < sizeof error_cases / sizeof *error_cases; i++) {
        const err_case *c = &error_cases[i];
        size_t len = strlen(c->json);
        size_t offset = c->at ? offset_of(c->json, c->at) + (size_t)c->offset
                        : c->offset < 0 ? len - (size_t)-c->offset
                                        : (size_t)c->offset;
        expect_failure(c->json, len, NULL, c->flags, c->code, c->pointer, offset);
    }
}

/* The error codes the dispatch layer adds, by name and text. */
static void test_error_code_names(void **state)
{
    (void)state;
    static const struct {
        evg_code code;
        const char *name;
    } codes[] = {
        {EVG_ERR_UNKNOWN_EVENT, "UNKNOWN_EVENT"},     {EVG_ERR_UNKNOWN_VERSION, "UNKNOWN_VERSION"},
        {EVG_ERR_VERSION_MISSING, "VERSION_MISSING"}, {EVG_ERR_BAD_VERSION, "BAD_VERSION"},
        {EVG_ERR_VERSION_FALLBACK, "VERSION_FALLBACK"}, {EVG_ERR_SUNSET, "SUNSET"},
        {EVG_ERR_ENVELOPE, "ENVELOPE"},
    };
    for (size_t i = 0; i < sizeof codes / sizeof *codes; i++) {
        assert_string_equal(evg_code_name(codes[i].code), codes[i].name);
        assert_true(strlen(evg_code_text(codes[i].code)) > 0);
    }
    assert_string_equal(evg_code_name(EVG_ERR_COUNT_), "UNKNOWN");
}

/* Bare payloads (ev_parse_bare): errors point into the payload itself. */
static void test_bare_errors(void **state)
{
    (void)state;
    const evg_event_info *w = event_named(WRAP_UP);
    static const struct {
        const char *json;
        unsigned flags;
        evg_code code;
        const char *pointer;
        const char *at;
    } cases[] = {
        {"{\"interactionId\":\"a\",\"wrapUpCodes\":[],\"schemaVersion\":\"2.0.0\"}", 0, EVG_ERR_UNKNOWN_VERSION,
         "/schemaVersion", "\"2.0.0\""},
        {"{\"schemaVersion\":\"1.0\",\"interactionId\":\"a\",\"wrapUpCodes\":[]}", 0, EVG_ERR_BAD_VERSION,
         "/schemaVersion", "\"1.0\""},
        {"{\"interactionId\":\"a\",\"wrapUpCodes\":[],\"schemaVersion\":\"1.0.7\"}", EVG_STRICT,
         EVG_ERR_VERSION_FALLBACK, "/schemaVersion", "\"1.0.7\""},
        {"{\"interactionId\":\"a\",\"wrapUpCodes\":{}}", 0, EVG_ERR_TYPE, "/wrapUpCodes", "{}"},
        {"{\"interactionId\":\"a\",\"wrapUpCodes\":[],\"x\":0,\"schemaVersion\":\"1.0.1\"}", EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/x", "0,"},
        {"[{\"interactionId\":\"a\"}]", 0, EVG_ERR_TYPE, "", "["},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_failure(cases[i].json, strlen(cases[i].json), w, cases[i].flags, cases[i].code,
                       cases[i].pointer, offset_of(cases[i].json, cases[i].at));
    /* A whole envelope is not a bare payload of the event. */
    const char *env = H_EVT("1.0.0");
    expect_failure(env, strlen(env), event_named(HOLD), 0, EVG_ERR_MISSING, "/interactionId", strlen(env) - 1);
}

/* ================================================================ envelopes */

static const char *const perm3[6][3] = {
    {"0", "1", "2"}, {"0", "2", "1"}, {"1", "0", "2"}, {"1", "2", "0"}, {"2", "0", "1"}, {"2", "1", "0"},
};

/* Joins three members in the order perm3[p] gives. */
static char *object3(size_t p, const char *a, const char *b, const char *c)
{
    const char *m[3] = {a, b, c};
    return fmt("{%s,%s,%s}", m[perm3[p][0][0] - '0'], m[perm3[p][1][0] - '0'], m[perm3[p][2][0] - '0']);
}

static void test_envelope_key_order(void **state)
{
    (void)state;
    ev_any ev;
    char *p = sample(WRAP_UP, "1.0.1");
    char *ref_doc = sdk_event(WRAP_UP, "1.0.1", p);
    must_parse(ref_doc, EVG_STRICT, &ev);
    char *ref = serialize(&ev);
    char *value = fmt("\"value\":%s", p);
    for (size_t a = 0; a < 6; a++) {
        for (size_t b = 0; b < 2; b++) {
            /* message members in either order, envelope members in any. */
            char *message = b ? fmt("\"message\":{%s,\"eventName\":\"" WRAP_UP "\"}", value)
                              : fmt("\"message\":{\"eventName\":\"" WRAP_UP "\",%s}", value);
            char *d = object3(a, "\"type\":\"event\"", "\"schemaVersion\":\"1.0.1\"", message);
            must_parse(d, EVG_STRICT, &ev);
            check_wrap_up_1_0_1(&ev, true);
            char *s = serialize(&ev);
            assert_string_equal(s, ref);   /* canonical order, whatever came in */
            free(s);
            free(d);
            free(message);
        }
    }
    free(value);
    free(ref);
    free(ref_doc);
    free(p);

    /* Maestro: eventType, status, data in any order. */
    char *m = sample("mashell-chat-offered-cc-event-v1", "1.0.0");
    must_parse(m, 0, &ev);
    ref = serialize(&ev);
    char *data = fmt("\"data\":%s", strstr(m, "\"data\":") + 7);
    data[strlen(data) - 1] = '\0';   /* drop the envelope's closing brace */
    for (size_t a = 0; a < 6; a++) {
        char *d = object3(a, "\"eventType\":\"mashell-chat-offered-cc-event-v1\"", "\"status\":\"success\"", data);
        must_parse(d, 0, &ev);
        assert_int_equal(ev.kind, EV_KIND_MASHELL_CHAT_OFFERED_CC_EVENT_V1_1_0_0);
        assert_int_equal(ev.wire, EVG_WIRE_MAESTRO);
        char *s = serialize(&ev);
        assert_string_equal(s, ref);
        free(s);
        free(d);
    }
    free(data);
    free(ref);
    free(m);
}

static void test_send_request_envelope(void **state)
{
    (void)state;
    ev_any ev;
    const char *payload = "{\"interactionId\":\"cognigy\",\"message\":\"Hello\",\"schemaVersion\":\"1.0.0\"}";
    char *ref_doc = sdk_request(R_CHAT, payload);
    must_parse(ref_doc, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_CHAT_MESSAGE_RECEIVED_V1_1_0_0);
    assert_int_equal(ev.wire, EVG_WIRE_SDK_REQUEST);
    assert_int_equal(ev.flags, 0);
    assert_int_equal(ev.info->direction, EVG_DIRECTION_SEND);
    assert_true(evg_str_eq(ev.u.aw_chat_message_received_v1_1_0_0.message, "Hello"));
    char *ref = serialize(&ev);
    assert_string_equal(ref, ref_doc);   /* already canonical */

    /* Every order of the members at all three levels. */
    char *data = fmt("\"data\":%s", payload);
    for (size_t a = 0; a < 6; a++) {
        for (size_t b = 0; b < 2; b++) {
            char *value = b ? fmt("\"value\":{%s,\"name\":\"" R_CHAT "\"}", data)
                            : fmt("\"value\":{\"name\":\"" R_CHAT "\",%s}", data);
            char *message = object3(a, "\"action\":\"sendEvent\"", "\"namespace\":\"system\"", value);
            for (size_t c = 0; c < 2; c++) {
                char *d = c ? fmt("{\"message\":%s,\"type\":\"request\"}", message)
                            : fmt("{\"type\":\"request\",\"message\":%s}", message);
                must_parse(d, EVG_STRICT, &ev);
                assert_int_equal(ev.kind, EV_KIND_AW_CHAT_MESSAGE_RECEIVED_V1_1_0_0);
                char *s = serialize(&ev);
                assert_string_equal(s, ref);
                free(s);
                free(d);
            }
            free(message);
            free(value);
        }
    }
    free(data);
    free(ref);
    free(ref_doc);

    /* The other send event, from its upstream sample. */
    char *p = sample("aw-interaction-wrap-up-codes-received-v1", "1.0.0");
    char *d = sdk_request("aw-interaction-wrap-up-codes-received-v1", p);
    must_parse(d, 0, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_RECEIVED_V1_1_0_0);
    assert_int_equal(ev.wire, EVG_WIRE_SDK_REQUEST);
    assert_int_equal(ev.u.aw_interaction_wrap_up_codes_received_v1_1_0_0.wrapUpCodes.count, 1);
    free(d);
    free(p);
}

static void test_unknown_envelope_keys(void **state)
{
    (void)state;
    ev_any ev;
    /* Extra keys at the top of any envelope: skipped, whatever their value. */
    static const char *const docs[] = {
        "{\"id\":\"42\",\"type\":\"event\",\"schemaVersion\":\"1.0.0\"," H_MSG ",\"ts\":1.5e3}",
        "{\"type\":\"event\",\"extra\":{\"nested\":[{\"deep\":[null,true,false,\"\\u00e9\"]}]},"
        "\"schemaVersion\":\"1.0.0\"," H_MSG "}",
        "{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"bus\":\"global\",\"status\":\"success\","
        "\"data\":{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
        "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"searchContext\":\"x\",\"additionalData\":{\"name\":\"n\"}}}",
        "{\"type\":\"request\",\"requestId\":7,\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
        "\"value\":{\"name\":\"" R_CHAT "\",\"data\":{\"interactionId\":\"c\",\"message\":\"m\"}}}}",
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        must_parse(docs[i], 0, &ev);
        char *s = serialize(&ev);
        assert_null(strstr(s, "extra"));
        assert_null(strstr(s, "bus"));
        assert_null(strstr(s, "requestId"));
        assert_null(strstr(s, "\"id\":\"42\""));
        free(s);
        /* ... and errors in strict mode, at the first unknown key's value. */
        evg_error err;
        assert_false(parse(docs[i], EVG_STRICT, &ev, &err));
        assert_int_equal(err.code, EVG_ERR_UNKNOWN_KEY);
    }
}

static void test_whitespace_and_escapes(void **state)
{
    (void)state;
    ev_any ev;
    /* Pretty-printed, CRLF, tabs: the upstream samples are not minified. */
    const char *pretty = "\r\n{ \"type\" : \"event\" ,\r\n\t\"schemaVersion\" :\t\"1.0.0\" ,\n  \"message\" : {\n"
                         "    \"eventName\" : \"aw-interaction-hold-v1\" ,\n    \"value\" : { \"interactionId\" : "
                         "\"a\" }\n  }\n}\r\n";
    must_parse(pretty, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    char *s = serialize(&ev);
    assert_string_equal(s, H_EVT("1.0.0"));
    free(s);
    /* Routing strings are compared unescaped: JSON-equal names route. */
    const char *escaped = "{\"type\":\"\\u0065vent\",\"schemaVersion\":\"\\u0031.0.0\",\"message\":"
                          "{\"eventName\":\"aw-interaction-hold-v\\u0031\",\"value\":{\"interactionId\":\"a\"}}}";
    must_parse(escaped, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    assert_int_equal(ev.flags, 0);
    s = serialize(&ev);
    assert_string_equal(s, H_EVT("1.0.0"));
    free(s);
    /* The Maestro status too. */
    const char *m = "{\"eventType\":\"mashell-chat-nextgen-terminated-cc-event-v1\",\"status\":\"f\\u0061iled\","
                    "\"data\":" FAILURE_US "}";
    must_parse(m, 0, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAESTRO_UNSUPPORTED_SCHEMA_VERSION);
}

/* Caller memory: NULL arena, a tiny arena, NULL err, small output buffers. */
static void test_memory_contract(void **state)
{
    (void)state;
    ev_any ev;
    evg_error err;
    const char *plain = H_EVT("1.0.0");
    assert_true(ev_parse_any(plain, strlen(plain), &ev, NULL, 0, &err));
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    assert_true(ev_parse_any(plain, strlen(plain), &ev, NULL, 0, NULL));
    /* A string that needs unescaping needs an arena. */
    const char *escaped = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                          "\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\\n\"}}}";
    assert_false(ev_parse_any(escaped, strlen(escaped), &ev, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_ARENA_FULL);
    assert_string_equal(err.pointer, "/message/value/interactionId");
    assert_int_equal(ev.kind, EV_KIND_NONE);
    assert_false(ev_parse_any(escaped, strlen(escaped), &ev, NULL, 0, NULL));
    char small[64];
    evg_arena a;
    evg_arena_init(&a, small, sizeof small);
    assert_true(ev_parse_any(escaped, strlen(escaped), &ev, &a, 0, &err));
    assert_int_equal(ev.u.aw_interaction_hold_v1_1_0_0.interactionId.len, 2);
    assert_memory_equal(ev.u.aw_interaction_hold_v1_1_0_0.interactionId.ptr, "a\n", 2);
    /* Not NUL-terminated input: only `len` bytes are read. */
    char *copy = malloc(strlen(plain));
    assert_non_null(copy);
    memcpy(copy, plain, strlen(plain));
    assert_true(ev_parse_any(copy, strlen(plain), &ev, NULL, 0, &err));
    free(copy);
    assert_false(ev_parse_any(plain, strlen(plain) - 1, &ev, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_TRUNCATED);

    /* ev_serialize_any: snprintf convention. */
    assert_true(ev_parse_any(plain, strlen(plain), &ev, NULL, 0, &err));
    size_t need = strlen(plain);
    assert_int_equal(ev_serialize_any(&ev, NULL, 0), need);
    char buf[16];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(ev_serialize_any(&ev, buf, sizeof buf), need);
    assert_int_equal(buf[15], '\0');
    assert_memory_equal(buf, plain, 15);
    ev_any none;
    memset(&none, 0, sizeof none);
    assert_int_equal(ev_serialize_any(&none, buf, sizeof buf), 0);
    assert_string_equal(buf, "");
}

/* ================================================================ lifecycle */

static int64_t days_from_civil(int y, unsigned m, unsigned d)
{
    y -= m <= 2;
    const int64_t era = (y >= 0 ? y : y - 399) / 400;
    const unsigned yoe = (unsigned)(y - era * 400);
    const unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
    const unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + (int64_t)doe - 719468;
}

/* YYYYMMDD plus `delta` calendar days. */
static int32_t add_days(int32_t ymd, int delta)
{
    int64_t z = days_from_civil(ymd / 10000, (unsigned)(ymd / 100 % 100), (unsigned)(ymd % 100)) + delta;
    z += 719468;
    const int64_t era = (z >= 0 ? z : z - 146096) / 146097;
    const unsigned doe = (unsigned)(z - era * 146097);
    const unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
    const unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    const unsigned mp = (5 * doy + 2) / 153;
    const unsigned d = doy - (153 * mp + 2) / 5 + 1;
    const unsigned m = mp < 10 ? mp + 3 : mp - 9;
    const int64_t y = (int64_t)yoe + era * 400 + (m <= 2);
    return (int32_t)(y * 10000 + m * 100 + d);
}

static void test_add_days(void **state)
{
    (void)state;
    assert_int_equal(add_days(20250908, -1), 20250907);
    assert_int_equal(add_days(20250301, -1), 20250228);
    assert_int_equal(add_days(20240301, -1), 20240229);
    assert_int_equal(add_days(20251231, 1), 20260101);
    assert_int_equal(add_days(20260119, -1), 20260118);
}

/* Table-driven: at every date a version names, the state it names begins,
 * inclusive; the day before is still the previous state. */
static void test_lifecycle_every_boundary(void **state)
{
    (void)state;
    size_t boundaries = 0;
    for (size_t i = 0; i < EV_VERSION_COUNT; i++) {
        const evg_version_info *v = &ev_versions[i];
        const struct {
            int32_t date;
            evg_status starts;
        } b[] = {{v->active, EVG_STATUS_ACTIVE}, {v->deprecated, EVG_STATUS_DEPRECATED}, {v->sunset, EVG_STATUS_SUNSET}};
        evg_status before_first = EVG_STATUS_PENDING;
        for (size_t k = 0; k < 3; k++) {
            if (!b[k].date)
                continue;
            boundaries++;
            int32_t day_before = add_days(b[k].date, -1), day_after = add_days(b[k].date, 1);
            assert_int_equal(evg_status_on(v, b[k].date), b[k].starts);
            assert_int_equal(evg_status_on(v, day_before), before_first);
            /* The next boundary of this version is never the next day. */
            assert_int_equal(evg_status_on(v, day_after), b[k].starts);
            before_first = b[k].starts;
        }
        /* Far past and far future. */
        assert_int_equal(evg_status_on(v, 19700101), EVG_STATUS_PENDING);
        assert_int_equal(evg_status_on(v, 0), EVG_STATUS_PENDING);
        assert_int_equal(evg_status_on(v, 99991231),
                         v->sunset ? EVG_STATUS_SUNSET : v->deprecated ? EVG_STATUS_DEPRECATED : EVG_STATUS_ACTIVE);
    }
    assert_int_equal(boundaries, EV_VERSION_COUNT + 4);   /* 60 active dates, focus v1 and v2 two more each */
}

static void test_lifecycle_focus_family(void **state)
{
    (void)state;
    static const struct {
        const char *event;
        int32_t date;
        evg_status status;
    } cases[] = {
        {"aw-interaction-focus-v1", 20250325, EVG_STATUS_PENDING},
        {"aw-interaction-focus-v1", 20250326, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v1", 20250907, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v1", 20250908, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v1", 20250909, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v1", 20261121, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v1", 20261207, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v1", 20261208, EVG_STATUS_SUNSET},
        {"aw-interaction-focus-v1", 20261209, EVG_STATUS_SUNSET},
        {"aw-interaction-focus-v2", 20250907, EVG_STATUS_PENDING},
        {"aw-interaction-focus-v2", 20250908, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v2", 20250909, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v2", 20260118, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v2", 20260119, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v2", 20260120, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v2", 20260718, EVG_STATUS_DEPRECATED},
        {"aw-interaction-focus-v2", 20260719, EVG_STATUS_SUNSET},
        {"aw-interaction-focus-v2", 20260720, EVG_STATUS_SUNSET},
        {"aw-interaction-focus-v2", 20261121, EVG_STATUS_SUNSET},
        {"aw-interaction-focus-v3", 20260118, EVG_STATUS_PENDING},
        {"aw-interaction-focus-v3", 20260119, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v3", 20261121, EVG_STATUS_ACTIVE},
        {"aw-interaction-focus-v3", 20991231, EVG_STATUS_ACTIVE},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const evg_version_info *v = event_named(cases[i].event)->versions;
        if (evg_status_on(v, cases[i].date) != cases[i].status)
            fail_msg("%s on %d: %s, expected %s", cases[i].event, cases[i].date,
                     evg_status_name(evg_status_on(v, cases[i].date)), evg_status_name(cases[i].status));
    }
    /* The dates as the catalog has them. */
    const evg_version_info *v1 = event_named("aw-interaction-focus-v1")->versions;
    const evg_version_info *v2 = event_named("aw-interaction-focus-v2")->versions;
    const evg_version_info *v3 = event_named("aw-interaction-focus-v3")->versions;
    assert_int_equal(v1->active, 20250326);
    assert_int_equal(v1->deprecated, 20250908);
    assert_int_equal(v1->sunset, 20261208);
    assert_int_equal(v2->active, 20250908);
    assert_int_equal(v2->deprecated, 20260119);
    assert_int_equal(v2->sunset, 20260719);
    assert_int_equal(v3->active, 20260119);
    assert_int_equal(v3->deprecated, 0);
    assert_int_equal(v3->sunset, 0);
    assert_int_equal(v1->published_status, EVG_STATUS_DEPRECATED);
    assert_int_equal(v2->published_status, EVG_STATUS_DEPRECATED);
    assert_int_equal(v3->published_status, EVG_STATUS_ACTIVE);
    /* Only the focus family has dates beyond `active`. */
    for (size_t i = 0; i < EV_VERSION_COUNT; i++)
        if (ev_versions[i].deprecated || ev_versions[i].sunset)
            assert_true(&ev_versions[i] == v1 || &ev_versions[i] == v2);
    assert_string_equal(evg_status_name(EVG_STATUS_PENDING), "pending");
    assert_string_equal(evg_status_name(EVG_STATUS_ACTIVE), "active");
    assert_string_equal(evg_status_name(EVG_STATUS_DEPRECATED), "deprecated");
    assert_string_equal(evg_status_name(EVG_STATUS_SUNSET), "sunset");
}

/* ================================================================ enumeration */

static void test_list_events(void **state)
{
    (void)state;
    const evg_event_info *out[EV_EVENT_COUNT + 1];
    static const struct {
        unsigned products, directions;
        size_t count;
        const char *prefix;
    } cases[] = {
        {EVG_PRODUCT_GLOBAL, EVG_DIRECTION_ALL, 1, "global-"},
        {EVG_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_ALL, 15, "aw-"},
        {EVG_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_RECEIVED, 13, "aw-"},
        {EVG_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_SEND, 2, "aw-"},
        {EVG_PRODUCT_CALL_MANAGER, EVG_DIRECTION_ALL, 22, "call-manager-"},
        {EVG_PRODUCT_CALL_MANAGER, EVG_DIRECTION_SEND, 0, ""},
        {EVG_PRODUCT_MAESTRO, EVG_DIRECTION_ALL, 21, "mashell-"},
        {EVG_PRODUCT_MAESTRO, EVG_DIRECTION_RECEIVED, 21, "mashell-"},
        {EVG_PRODUCT_ALL, EVG_DIRECTION_ALL, 59, ""},
        {EVG_PRODUCT_ALL, EVG_DIRECTION_RECEIVED, 57, ""},
        {EVG_PRODUCT_ALL, EVG_DIRECTION_SEND, 2, "aw-"},
        {EVG_PRODUCT_GLOBAL | EVG_PRODUCT_MAESTRO, EVG_DIRECTION_ALL, 22, ""},
        {0, EVG_DIRECTION_ALL, 0, ""},
        {EVG_PRODUCT_ALL, 0, 0, ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        out[cases[i].count] = (const evg_event_info *)&cases;   /* canary */
        size_t n = ev_list_events(cases[i].products, cases[i].directions, out, EV_EVENT_COUNT);
        assert_int_equal(n, cases[i].count);
        for (size_t k = 0; k < n; k++) {
            assert_true(out[k]->product & cases[i].products);
            assert_true(out[k]->direction & cases[i].directions);
            assert_true(strncmp(out[k]->name, cases[i].prefix, strlen(cases[i].prefix)) == 0);
            if (k > 0)
                assert_true(out[k] > out[k - 1]);   /* catalog order */
        }
        assert_ptr_equal(out[cases[i].count], (const evg_event_info *)&cases);
        /* Counting only. */
        assert_int_equal(ev_list_events(cases[i].products, cases[i].directions, NULL, 0), n);
    }
    /* The send events, by name. */
    assert_int_equal(ev_list_events(EVG_PRODUCT_ALL, EVG_DIRECTION_SEND, out, EV_EVENT_COUNT), 2);
    assert_string_equal(out[0]->name, "aw-chat-message-received-v1");
    assert_string_equal(out[1]->name, "aw-interaction-wrap-up-codes-received-v1");
    /* A short `cap` stores that many and still counts all. */
    out[3] = NULL;
    assert_int_equal(ev_list_events(EVG_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_ALL, out, 3), 15);
    assert_null(out[3]);
    assert_string_equal(out[0]->name, "aw-chat-init-v1");
    assert_string_equal(evg_product_name(EVG_PRODUCT_CALL_MANAGER), "call-manager");
    assert_string_equal(evg_direction_name(EVG_DIRECTION_SEND), "send");
}

/* A small strict JSON checker (RFC 8259), independent of the runtime. */
typedef struct jcheck {
    const char *s;
    int depth;
} jcheck;

static void jc_ws(jcheck *j)
{
    while (*j->s == ' ' || *j->s == '\t' || *j->s == '\n' || *j->s == '\r')
        j->s++;
}

static bool jc_value(jcheck *j);

static bool jc_string(jcheck *j)
{
    if (*j->s != '"')
        return false;
    for (j->s++; *j->s != '"'; j->s++) {
        unsigned char c = (unsigned char)*j->s;
        if (c < 0x20)
            return false;
        if (c == '\\') {
            j->s++;
            if (*j->s == 'u') {
                for (int k = 1; k <= 4; k++)
                    if (!strchr("0123456789abcdefABCDEF", j->s[k]) || !j->s[k])
                        return false;
                j->s += 4;
            } else if (!*j->s || !strchr("\"\\/bfnrt", *j->s)) {
                return false;
            }
        }
    }
    j->s++;
    return true;
}

static bool jc_value(jcheck *j)
{
    jc_ws(j);
    if (++j->depth > 100)
        return false;
    bool ok = true;
    if (*j->s == '{' || *j->s == '[') {
        char close = *j->s == '{' ? '}' : ']';
        bool object = close == '}';
        j->s++;
        jc_ws(j);
        if (*j->s == close) {
            j->s++;
        } else {
            for (;;) {
                if (object) {
                    jc_ws(j);
                    if (!jc_string(j))
                        return false;
                    jc_ws(j);
                    if (*j->s++ != ':')
                        return false;
                }
                if (!jc_value(j))
                    return false;
                jc_ws(j);
                if (*j->s == ',') {
                    j->s++;
                    continue;
                }
                if (*j->s++ != close)
                    return false;
                break;
            }
        }
    } else if (*j->s == '"') {
        ok = jc_string(j);
    } else if (strncmp(j->s, "true", 4) == 0 || strncmp(j->s, "null", 4) == 0) {
        j->s += 4;
    } else if (strncmp(j->s, "false", 5) == 0) {
        j->s += 5;
    } else {
        const char *start = j->s;
        if (*j->s == '-')
            j->s++;
        if (*j->s == '0')
            j->s++;
        else
            while (*j->s >= '0' && *j->s <= '9')
                j->s++;
        ok = j->s > start && j->s[-1] != '-';
        /* fractions and exponents are not produced by ev_events_json */
    }
    j->depth--;
    return ok;
}

static bool json_valid(const char *s)
{
    jcheck j = {s, 0};
    if (!jc_value(&j))
        return false;
    jc_ws(&j);
    return *j.s == '\0';
}

static void test_events_json(void **state)
{
    (void)state;
    char buf[8192];
    size_t n = ev_events_json(EVG_PRODUCT_GLOBAL, EVG_DIRECTION_ALL, buf, sizeof buf);
    assert_string_equal(buf, "{\"global-user-details-v1\":[\"1.0.0\"]}");
    assert_int_equal(n, strlen(buf));
    assert_true(json_valid(buf));

    ev_events_json(EVG_PRODUCT_ALL, EVG_DIRECTION_SEND, buf, sizeof buf);
    assert_string_equal(buf, "{\"aw-chat-message-received-v1\":[\"1.0.0\"],"
                             "\"aw-interaction-wrap-up-codes-received-v1\":[\"1.0.0\"]}");
    ev_events_json(0, EVG_DIRECTION_ALL, buf, sizeof buf);
    assert_string_equal(buf, "{}");
    ev_events_json(EVG_PRODUCT_CALL_MANAGER, EVG_DIRECTION_SEND, buf, sizeof buf);
    assert_string_equal(buf, "{}");

    /* Everything: valid JSON, 59 distinct keys in catalog order, each with
     * its versions oldest first. */
    n = ev_events_json(EVG_PRODUCT_ALL, EVG_DIRECTION_ALL, buf, sizeof buf);
    assert_true(n < sizeof buf);
    assert_int_equal(strlen(buf), n);
    assert_true(json_valid(buf));
    const char *c = buf + 1;
    for (size_t i = 0; i < EV_EVENT_COUNT; i++) {
        char *member = fmt("\"%s\":[", ev_events[i].name);
        assert_memory_equal(c, member, strlen(member));
        c += strlen(member);
        free(member);
        for (size_t k = 0; k < ev_events[i].version_count; k++) {
            char *v = fmt("%s\"%s\"", k ? "," : "", ev_events[i].versions[k].version);
            assert_memory_equal(c, v, strlen(v));
            c += strlen(v);
            free(v);
        }
        assert_int_equal(*c++, ']');
        assert_int_equal(*c++, i + 1 < EV_EVENT_COUNT ? ',' : '}');
    }
    assert_int_equal(*c, '\0');
    assert_non_null(strstr(buf, "\"" WRAP_UP "\":[\"1.0.0\",\"1.0.1\"]"));

    /* snprintf convention: the full length, a NUL-terminated prefix. */
    char small[10];
    assert_int_equal(ev_events_json(EVG_PRODUCT_ALL, EVG_DIRECTION_ALL, small, sizeof small), n);
    assert_memory_equal(small, buf, sizeof small - 1);
    assert_int_equal(small[sizeof small - 1], '\0');
    assert_int_equal(ev_events_json(EVG_PRODUCT_ALL, EVG_DIRECTION_ALL, NULL, 0), n);
    assert_true(json_valid("{\"a\":[\"1\"],\"b\":[]}"));
    assert_false(json_valid("{\"a\":[\"1\"],}"));
    assert_false(json_valid("{\"a\":[\"1\"]"));
}

static void test_find_event_all_names(void **state)
{
    (void)state;
    for (size_t i = 0; i < EV_EVENT_COUNT; i++) {
        const char *name = ev_events[i].name;
        size_t len = strlen(name);
        assert_ptr_equal(ev_find_event(name, len), &ev_events[i]);
        /* Not NUL-terminated: only len bytes count. */
        char *padded = fmt("%sXYZ", name);
        assert_ptr_equal(ev_find_event(padded, len), &ev_events[i]);
        free(padded);
        for (size_t k = 0; k < ev_events[i].version_count; k++) {
            const char *v = ev_events[i].versions[k].version;
            assert_ptr_equal(ev_find_version(&ev_events[i], v, strlen(v)), &ev_events[i].versions[k]);
        }
    }
}

/* The event whose name is exactly s[0..len), by a plain scan. */
static const evg_event_info *scan_event(const char *s, size_t len)
{
    for (size_t i = 0; i < EV_EVENT_COUNT; i++)
        if (strlen(ev_events[i].name) == len && memcmp(ev_events[i].name, s, len) == 0)
            return &ev_events[i];
    return NULL;
}

static void test_find_event_near_misses(void **state)
{
    (void)state;
    static const char subst[] = {'a', 'z', 'A', '-', '_', '0', '1', '2', '3', '9', '.', ' ', '\0', '\x7f', '\x80', '\xff'};
    char buf[128];
    size_t checked = 0;
    for (size_t i = 0; i < EV_EVENT_COUNT; i++) {
        const char *name = ev_events[i].name;
        size_t len = strlen(name);
        /* Every proper prefix, and every extension by one byte. */
        for (size_t k = 0; k < len; k++)
            assert_null(ev_find_event(name, k));
        for (size_t s = 0; s < sizeof subst; s++) {
            memcpy(buf, name, len);
            buf[len] = subst[s];
            assert_null(ev_find_event(buf, len + 1));
        }
        /* Every one-byte substitution: NULL unless it spells another name
         * (focus-v1 -> focus-v2 does). */
        for (size_t pos = 0; pos < len; pos++) {
            for (size_t s = 0; s < sizeof subst; s++) {
                memcpy(buf, name, len);
                if (buf[pos] == subst[s])
                    continue;
                buf[pos] = subst[s];
                assert_ptr_equal(ev_find_event(buf, len), scan_event(buf, len));
                checked++;
            }
            /* Case matters. */
            memcpy(buf, name, len);
            if (buf[pos] >= 'a' && buf[pos] <= 'z') {
                buf[pos] = (char)(buf[pos] - 'a' + 'A');
                assert_null(ev_find_event(buf, len));
            }
        }
        /* Dropping one byte. */
        for (size_t pos = 0; pos < len; pos++) {
            memcpy(buf, name, pos);
            memcpy(buf + pos, name + pos + 1, len - pos - 1);
            assert_ptr_equal(ev_find_event(buf, len - 1), scan_event(buf, len - 1));
        }
    }
    assert_true(checked > 30000);
    /* The focus family is one substitution apart. */
    assert_ptr_equal(ev_find_event("aw-interaction-focus-v4", 23), NULL);
    assert_ptr_equal(ev_find_event("aw-interaction-focus-v2", 23), event_named("aw-interaction-focus-v2"));
    /* Empty, NULL, and very long. */
    assert_null(ev_find_event("", 0));
    assert_null(ev_find_event(NULL, 0));
    assert_null(ev_find_event("aw-chat-init-v1", 0));
    size_t big = 1 << 20;
    char *lng = malloc(big);
    assert_non_null(lng);
    memset(lng, 'a', big);
    assert_null(ev_find_event(lng, big));
    for (size_t k = 0; k + 15 <= big; k += 15)
        memcpy(lng + k, "aw-chat-init-v1", 15);
    assert_null(ev_find_event(lng, big));
    assert_ptr_equal(ev_find_event(lng, 15), event_named("aw-chat-init-v1"));
    assert_null(ev_find_event(lng, 30));
    free(lng);
    /* Names of other things in the catalog are not events. */
    assert_null(ev_find_event("INVALID_SCHEMA", 14));
    assert_null(ev_find_event("maestro-invalid-schema", 22));
    assert_null(ev_find_event("mashell-chat-offered-cc-event", 29));
    assert_null(ev_find_event("aw-interaction-focus", 20));
}

static void test_find_version(void **state)
{
    (void)state;
    const evg_event_info *w = event_named(WRAP_UP);
    assert_ptr_equal(ev_find_version(w, "1.0.0", 5), &w->versions[0]);
    assert_ptr_equal(ev_find_version(w, "1.0.1", 5), &w->versions[1]);
    /* An exact lookup: no fallback, no parsing. */
    static const char *const misses[] = {"", "1", "1.0", "1.0.", "1.0.2", "1.0.0.0", "01.0.0", "1.0.0 ", " 1.0.0",
                                         "2.0.0", "v1.0.0", "1.0.1-rc1"};
    for (size_t i = 0; i < sizeof misses / sizeof *misses; i++)
        assert_null(ev_find_version(w, misses[i], strlen(misses[i])));
    assert_ptr_equal(ev_find_version(w, "1.0.1xyz", 5), &w->versions[1]);
    assert_null(ev_find_version(event_named("aw-interaction-focus-v2"), "1.0.0", 5));
    assert_ptr_equal(ev_find_version(event_named("aw-interaction-focus-v2"), "2.0.0", 5),
                     event_named("aw-interaction-focus-v2")->versions);
}

/* ================================================================ failures */

/* The two samples of the Maestro overview page, "Error Events". */
static const char invalid_schema_sample[] =
    "{\n"
    "   \"eventType\": \"mashell-chat-nextgen-terminated-cc-event-v1\",\n"
    "   \"status\": \"failed\",\n"
    "   \"data\": {\n"
    "      \"eventName\": \"dummyEventName\",\n"
    "      \"error\": \"INVALID_SCHEMA\",\n"
    "      \"schemaVersion\": \"1.0.0\",\n"
    "      \"allowedSchemaVersions\": [\"1.0.0\"],\n"
    "      \"validSchema\": false,\n"
    "      \"errorDescription\": [\n"
    "         {\n"
    "            \"received\": \"dummyEventName\",\n"
    "            \"code\": \"invalid_literal\",\n"
    "            \"expected\": \"terminated\",\n"
    "            \"path\": [\"eventName\"],\n"
    "            \"message\": \"Invalid literal value, expected 'terminated'\"\n"
    "         },\n"
    "         {\n"
    "            \"code\": \"invalid_literal\",\n"
    "            \"expected\": \"2.0.0\",\n"
    "            \"path\": [\"schemaVersion\"],\n"
    "            \"message\": \"Invalid literal value, expected '1.0.0'\"\n"
    "         }\n"
    "      ]\n"
    "   }\n"
    "}\n";

static const char unsupported_sample[] =
    "{\n"
    "  \"eventType\": \"mashell-chat-nextgen-terminated-cc-event-v1\",\n"
    "  \"status\": \"failed\",\n"
    "  \"data\": {\n"
    "    \"eventName\": \"terminated\",\n"
    "    \"error\": \"UNSUPPORTED_SCHEMA_VERSION\",\n"
    "    \"schemaVersion\": \"2.0.0\",\n"
    "    \"allowedSchemaVersions\": [\"1.0.0\"]\n"
    "  }\n"
    "}\n";

static void test_failure_invalid_schema(void **state)
{
    (void)state;
    ev_any ev;
    must_parse(invalid_schema_sample, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAESTRO_INVALID_SCHEMA);
    assert_null(ev.info);
    assert_ptr_equal(ev.event, event_named(FAILED_EVENT));
    assert_int_equal(ev.wire, EVG_WIRE_MAESTRO);
    assert_int_equal(ev.flags, 0);
    const ev_maestro_invalid_schema *f = &ev.u.maestro_invalid_schema;
    assert_true(evg_str_eq(f->eventName, "dummyEventName"));
    assert_true(evg_str_eq(f->schemaVersion, "1.0.0"));
    assert_int_equal(f->allowedSchemaVersions.count, 1);
    assert_true(evg_str_eq(f->allowedSchemaVersions.items[0], "1.0.0"));
    assert_true(f->has_validSchema);
    assert_false(f->validSchema);
    assert_true(f->has_errorDescription);
    assert_int_equal(f->errorDescription.count, 2);
    const ev_maestro_invalid_schema_errorDescription_item *d0 = &f->errorDescription.items[0];
    const ev_maestro_invalid_schema_errorDescription_item *d1 = &f->errorDescription.items[1];
    assert_true(d0->has_received);
    assert_true(evg_str_eq(d0->received, "\"dummyEventName\""));   /* any: raw JSON */
    assert_true(d0->has_code);
    assert_true(evg_str_eq(d0->code, "invalid_literal"));
    assert_true(d0->has_expected);
    assert_true(evg_str_eq(d0->expected, "\"terminated\""));
    assert_int_equal(d0->path.count, 1);
    assert_true(evg_str_eq(d0->path.items[0], "\"eventName\""));
    assert_true(evg_str_eq(d0->message, "Invalid literal value, expected 'terminated'"));
    assert_false(d1->has_received);
    assert_true(evg_str_eq(d1->expected, "\"2.0.0\""));
    assert_true(evg_str_eq(d1->path.items[0], "\"schemaVersion\""));
    assert_true(evg_str_eq(d1->message, "Invalid literal value, expected '1.0.0'"));

    /* Serialized back: the failed envelope, compact, catalog order. */
    char *s = serialize(&ev);
    assert_string_equal(
        s, "{\"eventType\":\"mashell-chat-nextgen-terminated-cc-event-v1\",\"status\":\"failed\",\"data\":{"
           "\"eventName\":\"dummyEventName\",\"schemaVersion\":\"1.0.0\",\"allowedSchemaVersions\":[\"1.0.0\"],"
           "\"error\":\"INVALID_SCHEMA\",\"validSchema\":false,\"errorDescription\":["
           "{\"received\":\"dummyEventName\",\"code\":\"invalid_literal\",\"expected\":\"terminated\","
           "\"path\":[\"eventName\"],\"message\":\"Invalid literal value, expected 'terminated'\"},"
           "{\"code\":\"invalid_literal\",\"expected\":\"2.0.0\",\"path\":[\"schemaVersion\"],"
           "\"message\":\"Invalid literal value, expected '1.0.0'\"}]}}");
    ev_any again;
    must_parse(s, EVG_STRICT, &again);
    assert_int_equal(again.kind, EV_KIND_MAESTRO_INVALID_SCHEMA);
    char *s2 = serialize(&again);
    assert_string_equal(s2, s);
    free(s2);
    free(s);
}

static void test_failure_unsupported_schema_version(void **state)
{
    (void)state;
    ev_any ev;
    must_parse(unsupported_sample, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAESTRO_UNSUPPORTED_SCHEMA_VERSION);
    assert_null(ev.info);
    assert_ptr_equal(ev.event, event_named(FAILED_EVENT));
    assert_int_equal(ev.wire, EVG_WIRE_MAESTRO);
    const ev_maestro_unsupported_schema_version *f = &ev.u.maestro_unsupported_schema_version;
    assert_true(evg_str_eq(f->eventName, "terminated"));
    assert_true(evg_str_eq(f->schemaVersion, "2.0.0"));
    assert_int_equal(f->allowedSchemaVersions.count, 1);
    assert_true(evg_str_eq(f->allowedSchemaVersions.items[0], "1.0.0"));
    char *s = serialize(&ev);
    assert_string_equal(s, "{\"eventType\":\"mashell-chat-nextgen-terminated-cc-event-v1\",\"status\":\"failed\","
                           "\"data\":{\"eventName\":\"terminated\",\"schemaVersion\":\"2.0.0\","
                           "\"allowedSchemaVersions\":[\"1.0.0\"],\"error\":\"UNSUPPORTED_SCHEMA_VERSION\"}}");
    ev_any again;
    must_parse(s, EVG_STRICT, &again);
    char *s2 = serialize(&again);
    assert_string_equal(s2, s);
    free(s2);
    free(s);

    /* Its schemaVersion is data, not routing: no version policy applies,
     * even "2.0.0" of a 1.x event, even in strict mode. */
    const char *odd = "{\"eventType\":\"mashell-voicemail-offered-cc-event-v1\",\"status\":\"failed\",\"data\":"
                      "{\"eventName\":\"offered\",\"error\":\"UNSUPPORTED_SCHEMA_VERSION\",\"schemaVersion\":\"banana\","
                      "\"allowedSchemaVersions\":[]}}";
    must_parse(odd, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAESTRO_UNSUPPORTED_SCHEMA_VERSION);
    assert_int_equal(ev.u.maestro_unsupported_schema_version.allowedSchemaVersions.count, 0);
}

static void test_failure_errors(void **state)
{
    (void)state;
    /* The failure payload is checked like any payload. */
    const char *no_allowed = "{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\","
                             "\"error\":\"UNSUPPORTED_SCHEMA_VERSION\",\"schemaVersion\":\"2.0.0\"}}";
    expect_failure(no_allowed, strlen(no_allowed), NULL, 0, EVG_ERR_MISSING, "/data/allowedSchemaVersions",
                   strlen(no_allowed) - 2);
    const char *extra = "{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\","
                        "\"error\":\"UNSUPPORTED_SCHEMA_VERSION\",\"schemaVersion\":\"2.0.0\","
                        "\"allowedSchemaVersions\":[],\"hint\":\"upgrade\"}}";
    ev_any ev;
    must_parse(extra, 0, &ev);
    expect_failure(extra, strlen(extra), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/data/hint",
                   offset_of(extra, "\"upgrade\""));
    /* errorDescription belongs to INVALID_SCHEMA only. */
    const char *mixed = "{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\","
                        "\"error\":\"UNSUPPORTED_SCHEMA_VERSION\",\"schemaVersion\":\"2.0.0\","
                        "\"allowedSchemaVersions\":[],\"errorDescription\":[]}}";
    expect_failure(mixed, strlen(mixed), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/data/errorDescription",
                   offset_of(mixed, "[]}}"));
    const char *bad_item = "{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\","
                           "\"error\":\"INVALID_SCHEMA\",\"schemaVersion\":\"1.0.0\",\"allowedSchemaVersions\":[],"
                           "\"errorDescription\":[{\"path\":[]}]}}";
    expect_failure(bad_item, strlen(bad_item), NULL, 0, EVG_ERR_MISSING, "/data/errorDescription/0/message",
                   offset_of(bad_item, "]}]}}") + 1);
    /* A success envelope is never read as a failure, and vice versa. */
    const char *success_with_error = "{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"success\",\"data\":"
                                     FAILURE_US "}";
    /* ... read as the event, its data.schemaVersion is routed by the policy. */
    expect_failure(success_with_error, strlen(success_with_error), NULL, 0, EVG_ERR_UNKNOWN_VERSION,
                   "/data/schemaVersion", offset_of(success_with_error, "\"2.0.0\""));
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_tables_are_consistent),
        cmocka_unit_test(test_every_version_round_trips),
        cmocka_unit_test(test_wrap_up_by_envelope_version),
        cmocka_unit_test(test_wrap_up_by_payload_version),
        cmocka_unit_test(test_focus_family),
        cmocka_unit_test(test_fallback_and_strict),
        cmocka_unit_test(test_version_assumed_and_missing),
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_error_code_names),
        cmocka_unit_test(test_bare_errors),
        cmocka_unit_test(test_envelope_key_order),
        cmocka_unit_test(test_send_request_envelope),
        cmocka_unit_test(test_unknown_envelope_keys),
        cmocka_unit_test(test_whitespace_and_escapes),
        cmocka_unit_test(test_memory_contract),
        cmocka_unit_test(test_add_days),
        cmocka_unit_test(test_lifecycle_every_boundary),
        cmocka_unit_test(test_lifecycle_focus_family),
        cmocka_unit_test(test_list_events),
        cmocka_unit_test(test_events_json),
        cmocka_unit_test(test_find_event_all_names),
        cmocka_unit_test(test_find_event_near_misses),
        cmocka_unit_test(test_find_version),
        cmocka_unit_test(test_failure_invalid_schema),
        cmocka_unit_test(test_failure_unsupported_schema_version),
        cmocka_unit_test(test_failure_errors),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
