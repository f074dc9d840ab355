/* test_rt_dispatch.c - the generated dispatch layer (generated/dispatch.c)
 * and the runtime's router (evg_route_document, evg_write_envelope,
 * evg_status_on), against the design of issue 7 (wires, products and
 * message kinds as catalog data), catalog.yaml and the upstream facts in
 * ../shared/reference/delivery.md.
 *
 *   tables       ev_events / ev_versions / ev_wires agree with each other and
 *                with the catalog: products, directions, required versions
 *   wires        ev_wires as data: names, forms, paths, constants; each
 *                event's wires as the facts say
 *   samples      every event version's upstream sample, in every wire it
 *                travels in, parses as that version and re-serializes to a
 *                fixpoint
 *   versions     the event version is the payload's own schemaVersion; the
 *                Partner SDK's top-level schemaVersion is the message-format
 *                version "1.0.0"; wrap-up codes 1.0.0 / 1.0.1 and the focus
 *                family as the SDK sends them; fallback, assumed, strict;
 *                send events must carry their version
 *   messages     mashell events in both envelopes, getEvents responses,
 *                SDK error messages, Click to Dial (maEvent), maps
 *   errors       one table: document -> code, JSON Pointer, byte offset;
 *                the messages the design names
 *   envelopes    key order, unknown keys, the send request envelope,
 *                per-version _parse_wire / _serialize_wire
 *   lifecycle    every dated boundary of every version, the focus family by hand
 *   enumeration  ev_list_events, ev_events_json, ev_find_event, ev_find_version
 *   failures     Maestro status "failed" envelopes (the maestro/failed form)
 *
 * Expected values are written by hand from those documents, never copied
 * from the code's output. Runs from the repository root (reads tests/samples/). */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "json_tree.h"
#include "test_util.h"

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

static char *fmt(const char *f, ...) __attribute__((format(printf, 1, 2)));
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

/* The upstream sample of a version, minified: a payload, or for a Maestro
 * event the whole {eventType, status, data} envelope. */
static char *sample(const char *event, const char *version)
{
    char *path = fmt("tests/samples/%s-%s.json", event, version);
    char *raw = read_file(path);
    char *m = minify(raw);
    free(path);
    free(raw);
    return m;
}

/* Envelopes, built as catalog.yaml's `wires` describe them. `format` is the
 * Partner SDK message-format version (NULL: left out, as it may be). */
static char *sdk_event(const char *name, const char *format, const char *payload)
{
    if (!format)
        return fmt("{\"type\":\"event\",\"message\":{\"eventName\":\"%s\",\"value\":%s}}", name, payload);
    return fmt("{\"type\":\"event\",\"schemaVersion\":\"%s\",\"message\":{\"eventName\":\"%s\",\"value\":%s}}",
               format, name, payload);
}

static char *sdk_request(const char *name, const char *payload)
{
    return fmt("{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
               "\"value\":{\"name\":\"%s\",\"data\":%s}}}",
               name, payload);
}

static char *maestro_env(const char *name, const char *data)
{
    return fmt("{\"eventType\":\"%s\",\"status\":\"success\",\"data\":%s}", name, data);
}

/* The payload with its own schemaVersion added as its first member. */
static char *with_version(const char *payload, const char *version)
{
    assert_int_equal(payload[0], '{');
    if (payload[1] == '}')
        return fmt("{\"schemaVersion\":\"%s\"}", version);
    return fmt("{\"schemaVersion\":\"%s\",%s", version, payload + 1);
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
    size_t need = ev_serialize_any(ev, NULL, 0, NULL);
    char *buf = malloc(need + 1);
    assert_non_null(buf);
    memset(buf, 'x', need + 1);
    assert_int_equal(ev_serialize_any(ev, buf, need + 1, NULL), need);
    assert_int_equal(strlen(buf), need);
    return buf;
}

static void ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), k = strlen(suffix);
    if (n < k || strcmp(s + n - k, suffix) != 0)
        fail_msg("%s does not end with %s", s, suffix);
}

static size_t offset_of(const char *json, const char *needle)
{
    const char *at = strstr(json, needle);
    if (!at)
        fail_msg("'%s' not in %s", needle, json);
    return (size_t)(at - json);
}

#define NO_OFFSET ((size_t)-1)

/* The expected failure of one document: code, pointer (NULL: not checked),
 * offset (NO_OFFSET: not checked), message (NULL: not checked). */
static void expect_failure_msg(const char *json, size_t len, const evg_event_info *bare, unsigned flags,
                               evg_code code, const char *pointer, size_t offset, const char *message)
{
    ev_any ev;
    evg_error err;
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    bool ok = bare ? ev_parse_bare(bare, json, len, &ev, &a, flags, &err)
                   : ev_parse_any(json, len, &ev, &a, flags, &err);
    bool same = !ok && err.code == code && (offset == NO_OFFSET || err.offset == offset) &&
                (!pointer || strcmp(err.pointer, pointer) == 0) &&
                (!message || (err.message && strcmp(err.message, message) == 0));
    if (!same) {
        if (ok)
            print_error("  document: %.300s\n  parsed, as kind %d\n", json, (int)ev.kind);
        else
            show_error(json, &err);
        fail_msg("expected %s: %s: %s (offset %zu)", evg_code_name(code), pointer ? pointer : "(any pointer)",
                 message ? message : "(any message)", offset);
    }
    assert_int_equal(ev.kind, EV_KIND_NONE);
    assert_non_null(err.message);
}

static void expect_failure(const char *json, size_t len, const evg_event_info *bare, unsigned flags,
                           evg_code code, const char *pointer, size_t offset)
{
    expect_failure_msg(json, len, bare, flags, code, pointer, offset, NULL);
}

static const evg_event_info *event_named(const char *name)
{
    const evg_event_info *e = ev_find_event(name, strlen(name));
    if (!e)
        fail_msg("no event %s", name);
    return e;
}

static void str_is(evg_str s, const char *lit)
{
    if (!evg_str_eq(s, lit))
        fail_msg("got \"%.*s\", expected \"%s\"", s.ptr ? (int)s.len : 6, s.ptr ? s.ptr : "(null)", lit);
}

/* The JSON Pointer of a node of the catalog's wire tree. */
static void node_pointer(int node, char *buf, size_t cap)
{
    int path[16];
    size_t n = 0;
    for (; node >= 0 && n < 16; node = ev_catalog.nodes[node].parent)
        path[n++] = node;
    assert_true(node < 0);
    size_t len = 0;
    buf[0] = '\0';
    while (n > 0) {
        const evg_wire_node *nd = &ev_catalog.nodes[path[--n]];
        len += (size_t)snprintf(buf + len, cap - len, "/%.*s", (int)nd->key_len, nd->key);
        assert_true(len < cap);
    }
}

#define WRAP_UP "aw-interaction-wrap-up-codes-v1"
#define HOLD "aw-interaction-hold-v1"
#define FAILED_EVENT "mashell-chat-nextgen-terminated-cc-event-v1"
#define R_CHAT "aw-chat-message-received-v1"
#define R_WRAP "aw-interaction-wrap-up-codes-received-v1"
#define CHAT_OFFERED "mashell-chat-offered-cc-event-v1"

/* What the facts say of each event, by its name (catalog.yaml). */
static unsigned product_by_name(const char *name)
{
    if (strncmp(name, "global-", 7) == 0)
        return EV_PRODUCT_GLOBAL;
    if (strncmp(name, "aw-", 3) == 0)
        return EV_PRODUCT_AGENT_WORKSPACE;
    if (strncmp(name, "call-manager-", 13) == 0)
        return EV_PRODUCT_CALL_MANAGER;
    if (strncmp(name, "mashell-", 8) == 0 || strcmp(name, "maEvent") == 0)
        return EV_PRODUCT_MAESTRO;
    return 0;   /* getEvents, partner-sdk-error: protocol messages of no product */
}

static bool send_by_name(const char *name)
{
    return strcmp(name, R_CHAT) == 0 || strcmp(name, R_WRAP) == 0 || strcmp(name, "maEvent") == 0;
}

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
    /* 59 upstream events + getEvents, partner-sdk-error, maEvent. */
    assert_int_equal(EV_EVENT_COUNT, 62);
    assert_int_equal(EV_VERSION_COUNT, 63);
    assert_int_equal(EV_WIRE_COUNT, 7);
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
        /* Product, direction and the required version are the event's. */
        if (e->products != product_by_name(e->name))
            fail_msg("%s: products 0x%x, expected 0x%x", e->name, e->products, product_by_name(e->name));
        assert_int_equal(e->direction, send_by_name(e->name) ? EVG_DIRECTION_SEND : EVG_DIRECTION_RECEIVED);
        /* direction send implies version_required (catalog.yaml, top);
         * received events assume the newest version when none is given. */
        assert_int_equal(e->version_required, e->direction == EVG_DIRECTION_SEND);
        /* Its wires: at least one, each a wire of its own (not a form). */
        assert_true(e->wire_count >= 1);
        for (size_t k = 0; k < e->wire_count; k++) {
            assert_true(e->wires[k] < EV_WIRE_COUNT);
            assert_int_equal(ev_wires[e->wires[k]].base, e->wires[k]);
        }
    }
    assert_int_equal(next, EV_VERSION_COUNT);
    /* Every kind but the two failure reports belongs to exactly one version. */
    for (int k = EV_KIND_NONE + 1; k < EV_KIND_MAESTRO_INVALID_SCHEMA; k++)
        assert_true(kind_seen[k]);
    /* Exactly one event has two versions; the focus family is three events. */
    assert_int_equal(event_named(WRAP_UP)->version_count, 2);
    for (size_t i = 0; i < EV_EVENT_COUNT; i++)
        if (strcmp(ev_events[i].name, WRAP_UP) != 0)
            assert_int_equal(ev_events[i].version_count, 1);
    /* The protocol messages, by name. */
    assert_int_equal(event_named("getEvents")->products, 0);
    assert_int_equal(event_named("partner-sdk-error")->products, 0);
    assert_int_equal(event_named("maEvent")->direction, EVG_DIRECTION_SEND);
    assert_true(event_named("maEvent")->version_required);
    assert_false(event_named(HOLD)->version_required);
    /* The router's view of the same tables. */
    assert_ptr_equal(ev_catalog.wires, ev_wires);
    assert_int_equal(ev_catalog.wire_count, EV_WIRE_COUNT);
    assert_ptr_equal(ev_catalog.events, ev_events);
    assert_int_equal(ev_catalog.event_count, EV_EVENT_COUNT);
    assert_true(ev_catalog.find_event == ev_find_event);
    assert_non_null(ev_catalog.nodes);
    assert_true(ev_catalog.node_count > 0);
    /* The protocol messages' dates (catalog.yaml). */
    assert_int_equal(version_of("getEvents", "1.0.0")->active, 20250320);
    assert_int_equal(version_of("partner-sdk-error", "1.0.0")->active, 20250320);
    assert_int_equal(version_of("maEvent", "1.0.0")->active, 20251110);
}

/* ================================================================ wires */

/* A member of wire `w` at `pointer`, or NULL. */
static const evg_wire_member *member_at(const evg_wire_info *w, const char *pointer)
{
    char buf[256];
    for (size_t i = 0; i < w->member_count; i++) {
        node_pointer(w->members[i].node, buf, sizeof buf);
        if (strcmp(buf, pointer) == 0)
            return &w->members[i];
    }
    return NULL;
}

static void expect_member(const evg_wire_info *w, const char *pointer, evg_role role, bool required,
                          const char *value)
{
    const evg_wire_member *m = member_at(w, pointer);
    if (!m)
        fail_msg("wire %s has no member %s", w->name, pointer);
    if (m->role != role || m->required != required)
        fail_msg("wire %s, %s: role %d required %d, expected role %d required %d", w->name, pointer, (int)m->role,
                 (int)m->required, (int)role, (int)required);
    if (value)
        assert_string_equal(m->value, value);
}

static void expect_node(int node, const char *pointer)
{
    char buf[256];
    if (!pointer) {
        assert_int_equal(node, -1);
        return;
    }
    assert_true(node >= 0 && (size_t)node < ev_catalog.node_count);
    node_pointer(node, buf, sizeof buf);
    assert_string_equal(buf, pointer);
}

/* ev_wires, from catalog.yaml's `wires` (and the facts behind them). */
static void test_wires_table(void **state)
{
    (void)state;
    static const struct {
        const char *name;
        int base;
        const char *name_at, *payload_at, *version_at;   /* NULL: none */
        bool version_in_payload;
    } wires[EV_WIRE_COUNT] = {
        {"maestro", 0, "/eventType", "/data", "/data/schemaVersion", true},
        {"maestro/failed", 0, "/eventType", "/data", NULL, false},   /* version: not checked, see below */
        {"partner-sdk-event", 2, "/message/eventName", "/message/value", "/message/value/schemaVersion", true},
        {"partner-sdk-request", 3, "/message/value/name", "/message/value/data",
         "/message/value/data/schemaVersion", true},
        {"partner-sdk-response", 4, "/message/request", "/message", NULL, false},
        {"partner-sdk-error", 5, NULL, "/message", NULL, false},
        {"maestro-directive", 6, "/eventName", "/content", "/schemaVersion", false},
    };
    for (size_t i = 0; i < EV_WIRE_COUNT; i++) {
        const evg_wire_info *w = &ev_wires[i];
        assert_string_equal(w->name, wires[i].name);
        assert_int_equal(w->base, wires[i].base);
        assert_true(w->member_count > 0);
        expect_node(w->name_node, wires[i].name_at);
        expect_node(w->payload_node, wires[i].payload_at);
        if (i != 1) {
            expect_node(w->version_node, wires[i].version_at);
            if (w->version_node >= 0)
                assert_int_equal(w->version_in_payload, wires[i].version_in_payload);
        }
        /* Only the failed form picks its payload type by a member. */
        if (i == 1) {
            expect_node(w->select_node, "/data/error");
            assert_int_equal(w->payload_count, 2);
            assert_string_equal(w->payloads[0].value, "INVALID_SCHEMA");
            assert_int_equal(w->payloads[0].kind, EV_KIND_MAESTRO_INVALID_SCHEMA);
            assert_int_equal(w->payloads[0].struct_size, sizeof(ev_maestro_invalid_schema));
            assert_string_equal(w->payloads[1].value, "UNSUPPORTED_SCHEMA_VERSION");
            assert_int_equal(w->payloads[1].kind, EV_KIND_MAESTRO_UNSUPPORTED_SCHEMA_VERSION);
            assert_int_equal(w->payloads[1].struct_size, sizeof(ev_maestro_unsupported_schema_version));
            for (size_t k = 0; k < 2; k++) {
                assert_non_null(w->payloads[k].parse);
                assert_non_null(w->payloads[k].write);
            }
        } else {
            assert_int_equal(w->select_node, -1);
            assert_int_equal(w->payload_count, 0);
        }
        /* The SDK error message carries one event and names none. */
        if (w->name_node < 0)
            assert_ptr_equal(&ev_events[w->fixed_event], event_named("partner-sdk-error"));
        else
            assert_int_equal(w->fixed_event, -1);
    }
    /* The constants of each wire. */
    expect_member(&ev_wires[0], "/status", EVG_ROLE_CONST, true, "success");
    expect_member(&ev_wires[0], "/eventType", EVG_ROLE_NAME, true, NULL);
    expect_member(&ev_wires[0], "/data", EVG_ROLE_PAYLOAD, true, NULL);
    assert_null(member_at(&ev_wires[0], "/schemaVersion"));   /* inside data, not in the envelope */
    expect_member(&ev_wires[1], "/status", EVG_ROLE_CONST, true, "failed");
    expect_member(&ev_wires[1], "/data/error", EVG_ROLE_SELECT, true, NULL);
    for (size_t i = 2; i <= 5; i++) {
        static const char *const types[] = {"event", "request", "response", "error"};
        expect_member(&ev_wires[i], "/type", EVG_ROLE_CONST, true, types[i - 2]);
        /* The message-format version: optional, "1.0.0", never the event's. */
        expect_member(&ev_wires[i], "/schemaVersion", EVG_ROLE_CONST, false, "1.0.0");
    }
    expect_member(&ev_wires[2], "/message", EVG_ROLE_OBJECT, true, NULL);
    expect_member(&ev_wires[3], "/message/action", EVG_ROLE_CONST, true, "sendEvent");
    expect_member(&ev_wires[3], "/message/namespace", EVG_ROLE_CONST, true, "system");
    expect_member(&ev_wires[3], "/message/value", EVG_ROLE_OBJECT, true, NULL);
    expect_member(&ev_wires[4], "/message", EVG_ROLE_PAYLOAD, true, NULL);
    expect_member(&ev_wires[5], "/message", EVG_ROLE_PAYLOAD, true, NULL);
    expect_member(&ev_wires[6], "/family", EVG_ROLE_CONST, true, "external");
    expect_member(&ev_wires[6], "/schemaVersion", EVG_ROLE_VERSION, false, NULL);
    expect_member(&ev_wires[6], "/content", EVG_ROLE_PAYLOAD, true, NULL);
    assert_string_equal(ev_catalog.no_wire_message,
                        "not an envelope of this catalog (expected one of: maestro, partner-sdk-event, "
                        "partner-sdk-request, partner-sdk-response, partner-sdk-error, maestro-directive)");

    /* Each event's wires, as the facts say (tu_event_wires), first its own. */
    size_t two = 0;
    for (size_t i = 0; i < EV_EVENT_COUNT; i++) {
        const evg_event_info *e = &ev_events[i];
        tu_wire want[2];
        size_t n = tu_event_wires(e->name, want);
        if (e->wire_count != n)
            fail_msg("%s travels in %zu wires, expected %zu", e->name, e->wire_count, n);
        for (size_t k = 0; k < n; k++)
            if (tu_wire_of(&ev_wires[e->wires[k]]) != want[k])
                fail_msg("%s: wire %zu is %s", e->name, k, ev_wires[e->wires[k]].name);
        two += n == 2;
    }
    assert_int_equal(two, 21);   /* the mashell events: Maestro envelope and SDK event message */
    assert_string_equal(ev_wires[event_named(CHAT_OFFERED)->wires[0]].name, "maestro");
    assert_string_equal(ev_wires[event_named(CHAT_OFFERED)->wires[1]].name, "partner-sdk-event");
    assert_string_equal(ev_wires[event_named("getEvents")->wires[0]].name, "partner-sdk-response");
    assert_string_equal(ev_wires[event_named("partner-sdk-error")->wires[0]].name, "partner-sdk-error");
    assert_string_equal(ev_wires[event_named("maEvent")->wires[0]].name, "maestro-directive");
    assert_string_equal(ev_wires[event_named(R_WRAP)->wires[0]].name, "partner-sdk-request");
    assert_string_equal(ev_wires[event_named("call-manager-mute-enabled-v1")->wires[0]].name,
                        "partner-sdk-event");
}

/* ================================================================ samples */

/* Where a wire keeps the event version: inside the payload (Maestro, SDK
 * event, request), outside it (the directive) or nowhere (response, error). */
static bool version_in_payload(tu_wire w)
{
    return w == TU_WIRE_MAESTRO || w == TU_WIRE_SDK_EVENT || w == TU_WIRE_SDK_REQUEST;
}

/* The canonical document's opening, by wire (catalog order of members). */
static char *canonical_prefix(tu_wire w, const char *event)
{
    switch (w) {
    case TU_WIRE_MAESTRO: return fmt("{\"eventType\":\"%s\",\"status\":\"success\",\"data\":{", event);
    case TU_WIRE_SDK_EVENT:
        return fmt("{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"%s\",\"value\":{",
                   event);
    case TU_WIRE_SDK_REQUEST:
        return fmt("{\"type\":\"request\",\"schemaVersion\":\"1.0.0\",\"message\":{\"action\":\"sendEvent\","
                   "\"namespace\":\"system\",\"value\":{\"name\":\"%s\",\"data\":{",
                   event);
    case TU_WIRE_SDK_RESPONSE: return xstrdup("{\"type\":\"response\",\"schemaVersion\":\"1.0.0\",\"message\":{");
    case TU_WIRE_SDK_ERROR: return xstrdup("{\"type\":\"error\",\"schemaVersion\":\"1.0.0\",\"message\":{");
    case TU_WIRE_DIRECTIVE: return fmt("{\"eventName\":\"%s\",\"family\":\"external\",\"content\":{", event);
    default: fail_msg("no canonical prefix for wire %d", (int)w);
    }
    return NULL;
}

/* Parses `payload` of `v` in `wire`, as tu_wrap builds it, expecting
 * `want` and `flags`; then the canonical form: its opening, its payload
 * (JSON-equal to the input when `same_payload`), and that it is a fixpoint. */
static void round_trip(const evg_version_info *v, tu_wire wire, const char *payload, const evg_version_info *want,
                       unsigned flags, bool same_payload)
{
    size_t len;
    char *doc = tu_wrap(wire, v->event, tu_stated(wire, v), payload, strlen(payload), &len);
    ev_any ev;
    must_parse(doc, 0, &ev);
    assert_ptr_equal(ev.event, event_named(v->event));
    if (ev.info != want)
        fail_msg("%s: parsed as %s %s, expected %s", doc, ev.info ? ev.info->event : "-",
                 ev.info ? ev.info->version : "-", want->version);
    assert_int_equal(ev.kind, want->kind);
    assert_int_equal(tu_wire_of(ev.wire), wire);
    if (ev.flags != flags)
        fail_msg("%s: flags %u, expected %u", doc, ev.flags, flags);

    char *canon = serialize(&ev);
    char *prefix = canonical_prefix(wire, v->event);
    if (strncmp(canon, prefix, strlen(prefix)) != 0)
        fail_msg("canonical form %s does not start with %s", canon, prefix);
    if (wire == TU_WIRE_DIRECTIVE) {
        ends_with(canon, "},\"schemaVersion\":\"1.0.0\"}");
    }
    assert_null(strchr(canon, '\n'));
    if (same_payload) {
        jt_node *c = jt_parse(canon, strlen(canon)), *p = jt_parse(payload, strlen(payload));
        assert_non_null(c);
        assert_non_null(p);
        jt_node *cp = jt_at(c, tu_payload_pointer(wire));
        assert_non_null(cp);
        if (!jt_equal(cp, p))
            fail_msg("canonical %s does not carry the payload %s", canon, payload);
        jt_free(c);
        jt_free(p);
    }
    ev_any again;
    must_parse(canon, 0, &again);
    assert_int_equal(again.kind, ev.kind);
    assert_ptr_equal(again.info, ev.info);
    assert_ptr_equal(again.wire, ev.wire);
    char *canon2 = serialize(&again);
    assert_string_equal(canon2, canon);
    free(canon2);
    free(prefix);
    free(canon);
    free(doc);
}

/* Every event version: its sample, in every wire its event travels in,
 * parses as exactly that version when the version is stated, and the
 * canonical form is a fixpoint of parse + serialize. */
static void test_every_version_round_trips(void **state)
{
    (void)state;
    size_t n, docs = 0;
    tu_sample *s = tu_load_samples(&n);
    assert_non_null(s);
    assert_int_equal(n, EV_VERSION_COUNT);
    for (size_t i = 0; i < n; i++) {
        const evg_version_info *v = s[i].info;
        if (!v)
            fail_msg("%s names no event version", s[i].file);
        assert_non_null(s[i].payload);
        const evg_event_info *e = event_named(v->event);
        const evg_version_info *newest = &e->versions[e->version_count - 1];
        jt_node *t = jt_parse(s[i].payload, s[i].payload_len);
        assert_non_null(t);
        bool stated = jt_get(t, "schemaVersion") != NULL;
        jt_free(t);
        tu_wire wires[2];
        size_t nw = tu_event_wires(v->event, wires);
        for (size_t k = 0; k < nw; k++) {
            if (!version_in_payload(wires[k]) || stated) {
                /* The directive states the version outside; responses and
                 * errors have one version and no version member at all. */
                round_trip(v, wires[k], s[i].payload, v, 0, true);
                docs++;
                continue;
            }
            /* As published, without a version: the newest is assumed. */
            round_trip(v, wires[k], s[i].payload, newest, EVG_VERSION_ASSUMED, false);
            /* With the payload's own version: exactly this version. */
            char *pv = with_version(s[i].payload, v->version);
            round_trip(v, wires[k], pv, v, 0, true);
            free(pv);
            docs += 2;
        }
    }
    assert_true(docs >= EV_VERSION_COUNT + 21);
    tu_free_samples(s, n);
}

/* ================================================================ versions */

static void check_wrap_up_1_0_0(const ev_any *ev)
{
    assert_int_equal(ev->kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_0);
    assert_ptr_equal(ev->info, version_of(WRAP_UP, "1.0.0"));
    assert_ptr_equal(ev->event, event_named(WRAP_UP));
    const ev_aw_interaction_wrap_up_codes_v1_1_0_0 *w = &ev->u.aw_interaction_wrap_up_codes_v1_1_0_0;
    str_is(w->interactionId, "interaction-12345");
    assert_int_equal(w->wrapUpCodes.count, 1);
    assert_int_equal(w->wrapUpCodes.items[0].items.count, 1);
    str_is(w->wrapUpCodes.items[0].items.items[0].callLineId, "line-1");
    assert_true(w->wrapUpCodes.items[0].items.items[0].callBackTime == 60.0);
}

static void check_wrap_up_1_0_1(const ev_any *ev, bool with_description)
{
    assert_int_equal(ev->kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_1);
    assert_ptr_equal(ev->info, version_of(WRAP_UP, "1.0.1"));
    assert_ptr_equal(ev->event, event_named(WRAP_UP));
    const ev_aw_interaction_wrap_up_codes_v1_1_0_1 *w = &ev->u.aw_interaction_wrap_up_codes_v1_1_0_1;
    str_is(w->interactionId, "interaction-12345");
    assert_int_equal(w->wrapUpCodes.count, 1);
    const ev_wrap_up_code_item_1_0_1 *it =
        &w->wrapUpCodes.items[0].items.items[0];
    assert_int_equal(it->has_description, with_description);
    if (with_description)
        str_is(it->description, "description");
}

#define WRAP_UP_OPEN "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" WRAP_UP "\"," \
                     "\"value\":{\"interactionId\":\"interaction-12345\","

/* The Partner SDK message's top-level schemaVersion is the message-format
 * version, "1.0.0" (delivery.md: DataSchema types it as that literal; the
 * SDK sets it from one constant): it never picks the event version. */
static void test_top_level_version_is_the_format_version(void **state)
{
    (void)state;
    char *p100 = sample(WRAP_UP, "1.0.0"), *p101 = sample(WRAP_UP, "1.0.1");
    ev_any ev;

    /* "1.0.0" outside and no version in the payload: nothing says which
     * wrap-up version it is, so the newest is assumed (the 1.0.0 sample is
     * a valid 1.0.1 payload: description is optional). */
    char *d = sdk_event(WRAP_UP, "1.0.0", p100);
    must_parse(d, 0, &ev);
    check_wrap_up_1_0_1(&ev, false);
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, "/message/value",
                   offset_of(d, "\"value\":") + 8);
    free(d);

    /* Any other format version is a wrong constant of the envelope, even
     * one that names a real event version. */
    static const char *const others[] = {"1.0.1", "2.0.0", "1.0", ""};
    for (size_t i = 0; i < sizeof others / sizeof *others; i++) {
        char *pv = with_version(p101, "1.0.1");
        d = sdk_event(WRAP_UP, others[i], pv);
        expect_failure_msg(d, strlen(d), NULL, 0, EVG_ERR_ENVELOPE, "/schemaVersion",
                           offset_of(d, "\"schemaVersion\":") + 16, "expected \"1.0.0\"");
        free(d);
        free(pv);
    }
    /* Left out, it is not missed. */
    char *pv = with_version(p101, "1.0.1");
    d = sdk_event(WRAP_UP, NULL, pv);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_1(&ev, true);
    assert_int_equal(ev.flags, 0);
    /* ... and always written. */
    char *s = serialize(&ev);
    assert_memory_equal(s, WRAP_UP_OPEN, strlen(WRAP_UP_OPEN));
    free(s);
    free(d);
    free(pv);
    free(p100);
    free(p101);
}

/* Wrap-up codes 1.0.0 and 1.0.1 are told apart by the payload's own
 * schemaVersion alone, inside the same "1.0.0" message (delivery.md). */
static void test_wrap_up_by_payload_version(void **state)
{
    (void)state;
    char *p100 = sample(WRAP_UP, "1.0.0"), *p101 = sample(WRAP_UP, "1.0.1");
    char *v100 = with_version(p100, "1.0.0"), *v101 = with_version(p101, "1.0.1");
    ev_any ev;

    static const char *const formats[] = {"1.0.0", NULL};
    for (size_t f = 0; f < 2; f++) {
        char *d = sdk_event(WRAP_UP, formats[f], v100);
        must_parse(d, EVG_STRICT, &ev);
        check_wrap_up_1_0_0(&ev);
        assert_int_equal(ev.flags, 0);
        assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_SDK_EVENT);
        char *s = serialize(&ev);
        /* The format version outside, the payload's own version last inside. */
        assert_memory_equal(s, WRAP_UP_OPEN, strlen(WRAP_UP_OPEN));
        ends_with(s, "],\"schemaVersion\":\"1.0.0\"}}}");
        assert_null(strstr(s, "description"));
        free(s);
        free(d);

        d = sdk_event(WRAP_UP, formats[f], v101);
        must_parse(d, EVG_STRICT, &ev);
        check_wrap_up_1_0_1(&ev, true);
        assert_int_equal(ev.flags, 0);
        s = serialize(&ev);
        assert_memory_equal(s, WRAP_UP_OPEN, strlen(WRAP_UP_OPEN));
        ends_with(s, "],\"schemaVersion\":\"1.0.1\"}}}");
        assert_non_null(strstr(s, "\"callBackTime\":60,\"description\":\"description\"}"));
        free(s);
        free(d);
    }

    /* The 1.0.0 sample stated as 1.0.1 is a valid 1.0.1 payload. */
    char *x = with_version(p100, "1.0.1");
    char *d = sdk_event(WRAP_UP, "1.0.0", x);
    must_parse(d, EVG_STRICT, &ev);
    check_wrap_up_1_0_1(&ev, false);
    free(d);
    free(x);

    /* The payload's version decides the schema: 1.0.1's description is an
     * unknown key of 1.0.0 (dropped, or an error in strict mode). */
    x = with_version(p101, "1.0.0");
    d = sdk_event(WRAP_UP, "1.0.0", x);
    must_parse(d, 0, &ev);
    check_wrap_up_1_0_0(&ev);
    assert_int_equal(ev.flags, 0);
    char *s = serialize(&ev);
    assert_null(strstr(s, "description"));
    free(s);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY,
                   "/message/value/wrapUpCodes/0/items/0/description", offset_of(d, "\"description\"}"));
    free(d);
    free(x);

    /* Bare payloads (ev_parse_bare): the payload's version alone decides. */
    evg_error err;
    assert_true(parse_bare(WRAP_UP, v100, EVG_STRICT, &ev, &err));
    check_wrap_up_1_0_0(&ev);
    assert_null(ev.wire);
    assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_BARE);
    s = serialize(&ev);
    assert_memory_equal(s, "{\"interactionId\":", 17);   /* bare in, bare out */
    free(s);
    assert_true(parse_bare(WRAP_UP, v101, EVG_STRICT, &ev, &err));
    check_wrap_up_1_0_1(&ev, true);
    free(v100);
    free(v101);
    free(p100);
    free(p101);
}

/* aw-interaction-focus-v2 / -v3 as the SDK sends them (delivery.md): the
 * message says "1.0.0", the payload "2.0.0" / "3.0.0". */
static void test_focus_as_the_sdk_sends_it(void **state)
{
    (void)state;
    ev_any ev;
    const char *v2 = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                     "\"aw-interaction-focus-v2\",\"value\":{\"interactionId\":\"cognigy\",\"queue\":{\"id\":\"12345\","
                     "\"queueId\":\"tenantId~~queue~~chat~~12345\",\"queueName\":\"Queue name\"},"
                     "\"schemaVersion\":\"2.0.0\"}}}";
    must_parse(v2, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_FOCUS_V2_2_0_0);
    assert_ptr_equal(ev.info, version_of("aw-interaction-focus-v2", "2.0.0"));
    assert_int_equal(ev.flags, 0);
    str_is(ev.u.aw_interaction_focus_v2_2_0_0.aw_focus.interactionId, "cognigy");
    str_is(ev.u.aw_interaction_focus_v2_2_0_0.aw_focus.queue.queueId, "tenantId~~queue~~chat~~12345");
    assert_true(ev.u.aw_interaction_focus_v2_2_0_0.has_schemaVersion);
    char *s = serialize(&ev);
    assert_string_equal(s, v2);   /* already canonical */
    free(s);

    const char *v3 = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                     "\"aw-interaction-focus-v3\",\"value\":{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\","
                     "\"queueId\":\"q\",\"queueName\":\"n\"},\"isManual\":true,\"schemaVersion\":\"3.0.0\"}}}";
    must_parse(v3, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_FOCUS_V3_3_0_0);
    assert_int_equal(ev.flags, 0);
    assert_true(ev.u.aw_interaction_focus_v3_3_0_0.isManual);
    str_is(ev.u.aw_interaction_focus_v3_3_0_0.aw_focus.queue.queueName, "n");
    s = serialize(&ev);
    assert_string_equal(s, v3);
    free(s);

    /* The event version outside is a wrong format version, not a version. */
    const char *outside2 = "{\"type\":\"event\",\"schemaVersion\":\"2.0.0\",\"message\":{\"eventName\":"
                           "\"aw-interaction-focus-v2\",\"value\":{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\","
                           "\"queueId\":\"q\",\"queueName\":\"n\"},\"schemaVersion\":\"2.0.0\"}}}";
    expect_failure_msg(outside2, strlen(outside2), NULL, 0, EVG_ERR_ENVELOPE, "/schemaVersion",
                       offset_of(outside2, "\"2.0.0\""), "expected \"1.0.0\"");
    const char *outside3 = "{\"type\":\"event\",\"schemaVersion\":\"3.0.0\",\"message\":{\"eventName\":"
                           "\"aw-interaction-focus-v3\",\"value\":{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\","
                           "\"queueId\":\"q\",\"queueName\":\"n\"},\"isManual\":false}}}";
    expect_failure_msg(outside3, strlen(outside3), NULL, 0, EVG_ERR_ENVELOPE, "/schemaVersion",
                       offset_of(outside3, "\"3.0.0\""), "expected \"1.0.0\"");
}

/* The offset of the last occurrence of `needle`. */
static size_t last_offset_of(const char *json, const char *needle)
{
    const char *at = NULL;
    for (const char *c = strstr(json, needle); c; c = strstr(c + 1, needle))
        at = c;
    if (!at)
        fail_msg("'%s' not in %s", needle, json);
    return (size_t)(at - json);
}

static void test_focus_family(void **state)
{
    (void)state;
    /* Three events, one version each; payloads by hand from catalog.yaml,
     * %s being the payload's schemaVersion. */
    static const struct {
        const char *event, *version, *payload;
        ev_kind kind;
    } focus[] = {
        {"aw-interaction-focus-v1", "1.0.0", "{\"interactionId\":\"i\",\"schemaVersion\":\"%s\"}",
         EV_KIND_AW_INTERACTION_FOCUS_V1_1_0_0},
        {"aw-interaction-focus-v2", "2.0.0",
         "{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\",\"queueId\":\"q\",\"queueName\":\"n\"},"
         "\"schemaVersion\":\"%s\"}",
         EV_KIND_AW_INTERACTION_FOCUS_V2_2_0_0},
        {"aw-interaction-focus-v3", "3.0.0",
         "{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\",\"queueId\":\"q\",\"queueName\":\"n\"},"
         "\"isManual\":false,\"schemaVersion\":\"%s\"}",
         EV_KIND_AW_INTERACTION_FOCUS_V3_3_0_0},
    };
    for (size_t i = 0; i < 3; i++) {
        const evg_event_info *e = event_named(focus[i].event);
        assert_int_equal(e->version_count, 1);
        assert_string_equal(e->versions[0].version, focus[i].version);
        for (size_t j = 0; j < 3; j++) {
            char *p = tu_printf(NULL, focus[i].payload, focus[j].version);
            char *d = sdk_event(focus[i].event, "1.0.0", p);
            if (j == i) {
                ev_any ev;
                must_parse(d, EVG_STRICT, &ev);
                assert_int_equal(ev.kind, focus[i].kind);
                assert_ptr_equal(ev.event, e);
                assert_ptr_equal(ev.info, &e->versions[0]);
                assert_int_equal(ev.flags, 0);
                char *s = serialize(&ev);
                assert_string_equal(s, d);   /* canonical as written */
                free(s);
            } else {
                /* Each name has only its own major: the others are unknown
                 * versions (focus-v2 saying 1.0.0 is not focus-v1). */
                char *at = fmt("\"%s\"}", focus[j].version);
                expect_failure(d, strlen(d), NULL, 0, EVG_ERR_UNKNOWN_VERSION, "/message/value/schemaVersion",
                               last_offset_of(d, at));
                free(at);
            }
            free(d);
            free(p);
        }
    }
    /* The payloads differ: v2's queue is required, v3 adds isManual. */
    char *d = sdk_event("aw-interaction-focus-v2", "1.0.0", "{\"interactionId\":\"i\",\"schemaVersion\":\"2.0.0\"}");
    expect_failure(d, strlen(d), NULL, 0, EVG_ERR_MISSING, "/message/value/queue", strlen(d) - 3);
    free(d);
    d = sdk_event("aw-interaction-focus-v3", "1.0.0",
                  "{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\",\"queueId\":\"q\",\"queueName\":\"n\"},"
                  "\"schemaVersion\":\"3.0.0\"}");
    expect_failure(d, strlen(d), NULL, 0, EVG_ERR_MISSING, "/message/value/isManual", strlen(d) - 3);
    free(d);
    /* The upstream samples carry no version: assumed, the one there is. */
    for (size_t i = 0; i < 3; i++) {
        char *p = sample(focus[i].event, focus[i].version);
        jt_node *t = jt_parse(p, strlen(p));
        assert_non_null(t);
        bool stated = jt_get(t, "schemaVersion") != NULL;
        jt_free(t);
        d = sdk_event(focus[i].event, "1.0.0", p);
        ev_any ev;
        must_parse(d, 0, &ev);
        assert_int_equal(ev.kind, focus[i].kind);
        assert_int_equal(ev.flags, stated ? 0u : (unsigned)EVG_VERSION_ASSUMED);
        free(d);
        free(p);
    }
}

static void test_fallback_and_strict(void **state)
{
    (void)state;
    char *p = sample(WRAP_UP, "1.0.0");
    ev_any ev;
    static const char *const unknown_minor[] = {"1.0.7", "1.0.2", "1.1.0", "1.99.999999"};
    for (size_t i = 0; i < sizeof unknown_minor / sizeof *unknown_minor; i++) {
        char *pv = with_version(p, unknown_minor[i]);
        char *d = sdk_event(WRAP_UP, "1.0.0", pv);
        must_parse(d, 0, &ev);
        assert_int_equal(ev.flags, EVG_FALLBACK);
        check_wrap_up_1_0_1(&ev, false);     /* the newest 1.x.y */
        char *s = serialize(&ev);             /* the payload's version written as the version used */
        ends_with(s, "],\"schemaVersion\":\"1.0.1\"}}}");
        assert_null(strstr(s, unknown_minor[i]));
        free(s);
        expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/message/value/schemaVersion",
                       offset_of(d, unknown_minor[i]) - 1);
        free(d);
        free(pv);
    }
    /* A single-version event falls back to its one version of that major. */
    char *d = sdk_event(HOLD, "1.0.0", "{\"interactionId\":\"a\",\"schemaVersion\":\"1.2.3\"}");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_FALLBACK);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    char *s = serialize(&ev);
    assert_string_equal(s, "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" HOLD "\","
                           "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.0\"}}}");
    free(s);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/message/value/schemaVersion",
                   offset_of(d, "\"1.2.3\""));
    free(d);
    /* Strict mode reports where the version was found: the Maestro payload. */
    d = xstrdup("{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"success\","
                "\"data\":{\"schemaVersion\":\"1.0.3\"}}");
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/data/schemaVersion",
                   offset_of(d, "\"1.0.3\""));
    free(d);
    /* The directive's version is outside its payload. */
    d = xstrdup("{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":\"startCall\","
                "\"method\":\"mapDirective\",\"phoneNumber\":\"+1\"},\"schemaVersion\":\"1.0.7\"}");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_FALLBACK);
    assert_int_equal(ev.kind, EV_KIND_MAEVENT_1_0_0);
    s = serialize(&ev);
    ends_with(s, "},\"schemaVersion\":\"1.0.0\"}");
    free(s);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_FALLBACK, "/schemaVersion",
                   offset_of(d, "\"1.0.7\""));
    free(d);
    free(p);
}

static void test_version_assumed_and_missing(void **state)
{
    (void)state;
    char *p = sample(WRAP_UP, "1.0.0");
    ev_any ev;
    /* No event version anywhere (with or without the format version): the
     * newest version, flagged. */
    static const char *const formats[] = {NULL, "1.0.0"};
    for (size_t f = 0; f < 2; f++) {
        char *d = sdk_event(WRAP_UP, formats[f], p);
        must_parse(d, 0, &ev);
        assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
        check_wrap_up_1_0_1(&ev, false);
        char *s = serialize(&ev);
        assert_memory_equal(s, WRAP_UP_OPEN, strlen(WRAP_UP_OPEN));
        free(s);
        /* Strict: VERSION_MISSING, at the payload that lacks it. */
        expect_failure_msg(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, "/message/value",
                           offset_of(d, "\"value\":") + 8, NULL);
        free(d);
    }

    /* Many upstream samples omit it: lenient by default for received events. */
    char *d = sample(CHAT_OFFERED, "1.0.0");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    assert_int_equal(ev.kind, EV_KIND_MASHELL_CHAT_OFFERED_CC_EVENT_V1_1_0_0);
    expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, "/data", offset_of(d, "\"data\":") + 7);
    free(d);
    /* Bare payload without a version. */
    evg_error err;
    assert_true(parse_bare(WRAP_UP, p, 0, &ev, &err));
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    check_wrap_up_1_0_1(&ev, false);
    expect_failure(p, strlen(p), event_named(WRAP_UP), EVG_STRICT, EVG_ERR_VERSION_MISSING, "", 0);
    free(p);
}

/* Send events must carry their version (integration guide: "Events must
 * include a schemaVersion field"), strict mode or not. */
static void test_send_events_require_the_version(void **state)
{
    (void)state;
    ev_any ev;
    static const char *const payloads[][2] = {
        {R_CHAT, "{\"interactionId\":\"c\",\"message\":\"m\"}"},
        {R_WRAP, "{\"interactionId\":\"i\",\"wrapUpCodes\":[{\"id\":\"item-1\",\"parentId\":\"parent-1\"}]}"},
    };
    for (size_t i = 0; i < 2; i++) {
        char *d = sdk_request(payloads[i][0], payloads[i][1]);
        expect_failure(d, strlen(d), NULL, 0, EVG_ERR_VERSION_MISSING, "/message/value/data",
                       offset_of(d, "\"data\":") + 7);
        expect_failure(d, strlen(d), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, "/message/value/data",
                       offset_of(d, "\"data\":") + 7);
        free(d);
        /* With it, fine; the format version outside does not count. */
        char *pv = with_version(payloads[i][1], "1.0.0");
        d = sdk_request(payloads[i][0], pv);
        must_parse(d, EVG_STRICT, &ev);
        assert_int_equal(ev.flags, 0);
        assert_ptr_equal(ev.event, event_named(payloads[i][0]));
        assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_SDK_REQUEST);
        free(d);
        free(pv);
        /* A bare payload of a send event must carry it too. */
        expect_failure(payloads[i][1], strlen(payloads[i][1]), event_named(payloads[i][0]), 0,
                       EVG_ERR_VERSION_MISSING, "", 0);
    }
    /* The format version alone is not the event's. */
    const char *fv = "{\"type\":\"request\",\"schemaVersion\":\"1.0.0\",\"message\":{\"action\":\"sendEvent\","
                     "\"namespace\":\"system\",\"value\":{\"name\":\"" R_CHAT "\",\"data\":{\"interactionId\":\"c\","
                     "\"message\":\"m\"}}}}";
    expect_failure(fv, strlen(fv), NULL, 0, EVG_ERR_VERSION_MISSING, "/message/value/data",
                   offset_of(fv, "\"data\":") + 7);
    /* A received event without one is still assumed. */
    char *d = sdk_event(HOLD, "1.0.0", "{\"interactionId\":\"a\"}");
    must_parse(d, 0, &ev);
    assert_int_equal(ev.flags, EVG_VERSION_ASSUMED);
    free(d);
}

/* ================================================================ messages */

/* A web chat offered event's data, in catalog order (maestro-event-base,
 * maestro-map-event, maestro-web-chat, then the version's own). */
#define OFFERED_DATA                                                                                          \
    "{\"eventId\":\"e1\",\"direction\":\"inbound\",\"searchContext\":\"visitor@example.com\",\"method\":\"mapEvent\"," \
    "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"additionalData\":{\"name\":\"Jane\"},\"eventName\":\"offered\","  \
    "\"schemaVersion\":\"1.0.0\"}"

static void check_offered(const ev_any *ev)
{
    assert_int_equal(ev->kind, EV_KIND_MASHELL_CHAT_OFFERED_CC_EVENT_V1_1_0_0);
    assert_ptr_equal(ev->event, event_named(CHAT_OFFERED));
    assert_ptr_equal(ev->info, version_of(CHAT_OFFERED, "1.0.0"));
    assert_int_equal(ev->flags, 0);
    const ev_mashell_chat_offered_cc_event_v1_1_0_0 *o = &ev->u.mashell_chat_offered_cc_event_v1_1_0_0;
    str_is(o->maestro_web_chat.maestro_map_event.maestro_event_base.eventId, "e1");
    assert_int_equal(o->maestro_web_chat.maestro_map_event.maestro_event_base.direction, EV_MAESTRO_EVENT_BASE_DIRECTION_INBOUND);
    str_is(o->maestro_web_chat.maestro_map_event.maestro_event_base.searchContext, "visitor@example.com");
    str_is(o->additionalData.name, "Jane");
    assert_true(o->has_schemaVersion);
}

/* The 21 mashell events travel in the Maestro envelope and in the Partner
 * SDK event message (delivery.md: TYPES.md types each as a DataSchema);
 * each is written back in the wire it came in. */
static void test_mashell_in_both_envelopes(void **state)
{
    (void)state;
    ev_any ev;
    char *sdk = sdk_event(CHAT_OFFERED, "1.0.0", OFFERED_DATA);
    must_parse(sdk, EVG_STRICT, &ev);
    check_offered(&ev);
    assert_string_equal(ev.wire->name, "partner-sdk-event");
    assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_SDK_EVENT);
    char *s = serialize(&ev);
    assert_string_equal(s, sdk);   /* already canonical */
    free(s);
    /* Without the format version: still the SDK message, written with it. */
    char *bare_fmt = sdk_event(CHAT_OFFERED, NULL, OFFERED_DATA);
    must_parse(bare_fmt, EVG_STRICT, &ev);
    check_offered(&ev);
    s = serialize(&ev);
    assert_string_equal(s, sdk);
    free(s);
    free(bare_fmt);

    char *m = maestro_env(CHAT_OFFERED, OFFERED_DATA);
    must_parse(m, EVG_STRICT, &ev);
    check_offered(&ev);
    assert_string_equal(ev.wire->name, "maestro");
    assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_MAESTRO);
    s = serialize(&ev);
    assert_string_equal(s, m);
    free(s);

    /* Payload errors carry the path of the wire it came in. */
    const char *bad_sdk = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" CHAT_OFFERED
                          "\",\"value\":{\"eventId\":\"e1\",\"direction\":\"sideways\"}}}";
    expect_failure(bad_sdk, strlen(bad_sdk), NULL, 0, EVG_ERR_ENUM, "/message/value/direction",
                   offset_of(bad_sdk, "\"sideways\""));
    const char *bad_m = "{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"success\",\"data\":{\"eventId\":\"e1\","
                        "\"direction\":\"sideways\"}}";
    expect_failure(bad_m, strlen(bad_m), NULL, 0, EVG_ERR_ENUM, "/data/direction", offset_of(bad_m, "\"sideways\""));

    /* The per-version entry point takes either wire and writes the first. */
    ev_mashell_chat_offered_cc_event_v1_1_0_0 o;
    evg_error err;
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_true(ev_mashell_chat_offered_cc_event_v1_1_0_0_parse_wire(sdk, strlen(sdk), &o, &a, EVG_STRICT, &err));
    str_is(o.maestro_web_chat.maestro_map_event.maestro_event_base.eventId, "e1");
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_true(ev_mashell_chat_offered_cc_event_v1_1_0_0_parse_wire(m, strlen(m), &o, &a, EVG_STRICT, &err));
    char buf[1024];
    size_t n = ev_mashell_chat_offered_cc_event_v1_1_0_0_serialize_wire(&o, buf, sizeof buf, NULL);
    assert_int_equal(n, strlen(m));
    assert_string_equal(buf, m);
    free(m);
    free(sdk);
}

#define GE_OPEN                                                                                        \
    "{\"type\":\"response\",\"schemaVersion\":\"1.0.0\",\"message\":{\"namespace\":\"system\",\"request\":" \
    "\"getEvents\",\"value\":"

static void test_get_events_response(void **state)
{
    (void)state;
    ev_any ev;
    const char *valid = GE_OPEN "{\"" HOLD "\":[\"1.0.0\"],\"" WRAP_UP "\":[\"1.0.0\",\"1.0.1\"],\"x\":[]}}}";
    must_parse(valid, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_GETEVENTS_1_0_0);
    assert_ptr_equal(ev.event, event_named("getEvents"));
    assert_ptr_equal(ev.info, version_of("getEvents", "1.0.0"));
    assert_string_equal(ev.wire->name, "partner-sdk-response");
    assert_int_equal(ev.flags, 0);   /* a response carries no version: nothing was assumed */
    const ev_getEvents_1_0_0 *g = &ev.u.getEvents_1_0_0;
    assert_int_equal(g->value.count, 3);
    str_is(g->value.items[0].key, HOLD);
    assert_int_equal(g->value.items[0].value.count, 1);
    str_is(g->value.items[0].value.items[0], "1.0.0");
    str_is(g->value.items[1].key, WRAP_UP);
    assert_int_equal(g->value.items[1].value.count, 2);
    str_is(g->value.items[1].value.items[0], "1.0.0");
    str_is(g->value.items[1].value.items[1], "1.0.1");
    str_is(g->value.items[2].key, "x");
    assert_int_equal(g->value.items[2].value.count, 0);
    char *s = serialize(&ev);
    assert_string_equal(s, valid);
    free(s);

    /* Members in any order, no format version: written canonically. */
    const char *shuffled = "{\"message\":{\"value\":{\"a\":[\"1.0.0\"]},\"request\":\"getEvents\",\"namespace\":"
                           "\"system\"},\"type\":\"response\"}";
    must_parse(shuffled, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_GETEVENTS_1_0_0);
    s = serialize(&ev);
    assert_string_equal(s, GE_OPEN "{\"a\":[\"1.0.0\"]}}}");
    free(s);
    const char *empty = GE_OPEN "{}}}";
    must_parse(empty, EVG_STRICT, &ev);
    assert_int_equal(ev.u.getEvents_1_0_0.value.count, 0);
    s = serialize(&ev);
    assert_string_equal(s, empty);
    free(s);

    /* Map values of the wrong type, duplicate keys. */
    const char *num = GE_OPEN "{\"x\":[1]}}}";
    expect_failure(num, strlen(num), NULL, 0, EVG_ERR_TYPE, "/message/value/x/0", offset_of(num, "[1]") + 1);
    const char *str = GE_OPEN "{\"x\":\"1.0.0\"}}}";
    expect_failure(str, strlen(str), NULL, 0, EVG_ERR_TYPE, "/message/value/x", offset_of(str, "\"x\":") + 4);
    const char *arr = GE_OPEN "[]}}";
    expect_failure(arr, strlen(arr), NULL, 0, EVG_ERR_TYPE, "/message/value", offset_of(arr, "[]"));
    const char *dup = GE_OPEN "{\"a\":[\"1.0.0\"],\"a\":[]}}}";
    {
        evg_error err;
        assert_false(parse(dup, 0, &ev, &err));
        assert_int_equal(err.code, EVG_ERR_DUPLICATE);
        assert_string_equal(err.pointer, "/message/value/a");
        /* At the second "a" (its key or its value). */
        size_t second = offset_of(dup, ",\"a\":[]") + 1;
        assert_true(err.offset >= second && err.offset <= second + 4);
    }
    /* The request names the response. */
    const char *unknown = "{\"type\":\"response\",\"message\":{\"namespace\":\"system\",\"request\":\"getEventz\","
                          "\"value\":{}}}";
    expect_failure_msg(unknown, strlen(unknown), NULL, 0, EVG_ERR_UNKNOWN_EVENT, "/message/request",
                       offset_of(unknown, "\"getEventz\""), NULL);
    const char *other = "{\"type\":\"response\",\"message\":{\"namespace\":\"system\",\"request\":\"" HOLD "\","
                        "\"value\":{}}}";
    expect_failure_msg(other, strlen(other), NULL, 0, EVG_ERR_ENVELOPE, "/message/request",
                       offset_of(other, "\"" HOLD "\""), "this event travels in another envelope");
    const char *unnamed = "{\"type\":\"response\",\"message\":{\"namespace\":\"system\",\"value\":{}}}";
    expect_failure_msg(unnamed, strlen(unnamed), NULL, 0, EVG_ERR_ENVELOPE, "/message/request", strlen(unnamed) - 2,
                       "required property missing");
    const char *ns = "{\"type\":\"response\",\"message\":{\"namespace\":\"user\",\"request\":\"getEvents\","
                     "\"value\":{}}}";
    expect_failure(ns, strlen(ns), NULL, 0, EVG_ERR_CONST, "/message/namespace", offset_of(ns, "\"user\""));
    const char *extra = "{\"type\":\"response\",\"message\":{\"namespace\":\"system\",\"request\":\"getEvents\","
                        "\"value\":{},\"id\":7}}";
    must_parse(extra, 0, &ev);
    expect_failure(extra, strlen(extra), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/id",
                   offset_of(extra, "7}}"));

    /* Round trip: our own getEvents answer (ev_events_json) parses back to
     * the events ev_list_events lists, with their versions. */
    char json[8192];
    size_t n = ev_events_json(EV_PRODUCT_ALL, EVG_DIRECTION_ALL, json, sizeof json);
    assert_true(n < sizeof json);
    char *doc = fmt(GE_OPEN "%s}}", json);
    must_parse(doc, EVG_STRICT, &ev);
    const evg_event_info *list[EV_EVENT_COUNT];
    size_t count = ev_list_events(EV_PRODUCT_ALL, EVG_DIRECTION_ALL, list, EV_EVENT_COUNT);
    assert_int_equal(count, 60);
    g = &ev.u.getEvents_1_0_0;
    assert_int_equal(g->value.count, count);
    for (size_t i = 0; i < count; i++) {
        str_is(g->value.items[i].key, list[i]->name);
        assert_int_equal(g->value.items[i].value.count, list[i]->version_count);
        for (size_t k = 0; k < list[i]->version_count; k++)
            str_is(g->value.items[i].value.items[k], list[i]->versions[k].version);
    }
    s = serialize(&ev);
    assert_string_equal(s, doc);
    free(s);
    free(doc);

    /* The per-version entry points. */
    ev_getEvents_1_0_0 out;
    evg_error err;
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_true(ev_getEvents_1_0_0_parse_wire(valid, strlen(valid), &out, &a, EVG_STRICT, &err));
    assert_int_equal(out.value.count, 3);
    char buf[512];
    assert_int_equal(ev_getEvents_1_0_0_serialize_wire(&out, buf, sizeof buf, NULL), strlen(valid));
    assert_string_equal(buf, valid);
}

static void test_sdk_error_message(void **state)
{
    (void)state;
    ev_any ev;
    const char *valid = "{\"type\":\"error\",\"schemaVersion\":\"1.0.0\",\"message\":{\"original\":{\"action\":"
                        "\"sendEvent\",\"namespace\":\"system\",\"value\":{\"name\":\"" R_CHAT "\",\"data\":"
                        "{\"interactionId\":\"cognigy\"}}},\"error\":\"Invalid event data\"}}";
    must_parse(valid, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_PARTNER_SDK_ERROR_1_0_0);
    assert_ptr_equal(ev.event, event_named("partner-sdk-error"));
    assert_ptr_equal(ev.info, version_of("partner-sdk-error", "1.0.0"));
    assert_string_equal(ev.wire->name, "partner-sdk-error");
    assert_int_equal(ev.flags, 0);
    const ev_partner_sdk_error_1_0_0 *e = &ev.u.partner_sdk_error_1_0_0;
    /* any: raw JSON text */
    str_is(e->original, "{\"action\":\"sendEvent\",\"namespace\":\"system\",\"value\":{\"name\":\"" R_CHAT
                        "\",\"data\":{\"interactionId\":\"cognigy\"}}}");
    str_is(e->error, "\"Invalid event data\"");
    char *s = serialize(&ev);
    assert_string_equal(s, valid);
    free(s);

    /* Any JSON in both; members in any order; compacted when written. */
    const char *loose = "{\"message\":{\"error\":{\"code\": 400},\"original\":[1, 2]},\"type\":\"error\"}";
    must_parse(loose, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_PARTNER_SDK_ERROR_1_0_0);
    s = serialize(&ev);
    assert_string_equal(s, "{\"type\":\"error\",\"schemaVersion\":\"1.0.0\",\"message\":{\"original\":[1,2],"
                           "\"error\":{\"code\":400}}}");
    free(s);

    const char *not_object = "{\"type\":\"error\",\"schemaVersion\":\"1.0.0\",\"message\":\"boom\"}";
    expect_failure(not_object, strlen(not_object), NULL, 0, EVG_ERR_TYPE, "/message",
                   offset_of(not_object, "\"boom\""));
    const char *no_error = "{\"type\":\"error\",\"schemaVersion\":\"1.0.0\",\"message\":{\"original\":{}}}";
    expect_failure(no_error, strlen(no_error), NULL, 0, EVG_ERR_MISSING, "/message/error", strlen(no_error) - 2);
    const char *no_original = "{\"type\":\"error\",\"message\":{\"error\":\"x\"}}";
    expect_failure(no_original, strlen(no_original), NULL, 0, EVG_ERR_MISSING, "/message/original",
                   strlen(no_original) - 2);
    const char *no_message = "{\"type\":\"error\",\"schemaVersion\":\"1.0.0\"}";
    expect_failure_msg(no_message, strlen(no_message), NULL, 0, EVG_ERR_ENVELOPE, "/message", strlen(no_message) - 1,
                       "required property missing");
    const char *extra = "{\"type\":\"error\",\"message\":{\"original\":1,\"error\":2,\"x\":3}}";
    must_parse(extra, 0, &ev);
    expect_failure(extra, strlen(extra), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/x", offset_of(extra, "3}}"));
    const char *format = "{\"type\":\"error\",\"schemaVersion\":\"2.0.0\",\"message\":{\"original\":1,\"error\":2}}";
    expect_failure_msg(format, strlen(format), NULL, 0, EVG_ERR_ENVELOPE, "/schemaVersion",
                       offset_of(format, "\"2.0.0\""), "expected \"1.0.0\"");
}

#define CTD_CONTENT "{\"eventName\":\"startCall\",\"method\":\"mapDirective\",\"phoneNumber\":\"+1234567890\"}"
#define CTD "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":" CTD_CONTENT ",\"schemaVersion\":\"1.0.0\"}"

/* Click to Dial (delivery.md, "Sent event"): the table's schemaVersion
 * wins over the sample that leaves it out; the demo's `bus` is unknown. */
static void test_click_to_dial(void **state)
{
    (void)state;
    ev_any ev;
    must_parse(CTD, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAEVENT_1_0_0);
    assert_ptr_equal(ev.event, event_named("maEvent"));
    assert_ptr_equal(ev.info, version_of("maEvent", "1.0.0"));
    assert_string_equal(ev.wire->name, "maestro-directive");
    assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_DIRECTIVE);
    assert_int_equal(ev.flags, 0);
    str_is(ev.u.maEvent_1_0_0.phoneNumber, "+1234567890");
    char *s = serialize(&ev);
    assert_string_equal(s, CTD);
    free(s);

    /* As the demo sends it: another order and `bus`. */
    const char *demo = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"bus\":\"global\",\"schemaVersion\":"
                       "\"1.0.0\",\"content\":" CTD_CONTENT "}";
    must_parse(demo, 0, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAEVENT_1_0_0);
    s = serialize(&ev);
    assert_string_equal(s, CTD);
    free(s);
    expect_failure_msg(demo, strlen(demo), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/bus", offset_of(demo, "\"global\""),
                       "key is not in the envelope (strict mode)");

    const char *no_phone = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":"
                           "\"startCall\",\"method\":\"mapDirective\"},\"schemaVersion\":\"1.0.0\"}";
    expect_failure(no_phone, strlen(no_phone), NULL, 0, EVG_ERR_MISSING, "/content/phoneNumber",
                   offset_of(no_phone, "},\"schemaVersion\""));
    const char *family = "{\"eventName\":\"maEvent\",\"family\":\"internal\",\"content\":" CTD_CONTENT
                         ",\"schemaVersion\":\"1.0.0\"}";
    expect_failure_msg(family, strlen(family), NULL, 0, EVG_ERR_ENVELOPE, "/family", offset_of(family, "\"internal\""),
                       "expected \"external\"");
    /* Without family: see test_best_partial_fit. */
    const char *no_family = "{\"eventName\":\"maEvent\",\"content\":" CTD_CONTENT "}";
    expect_failure_msg(no_family, strlen(no_family), NULL, 0, EVG_ERR_ENVELOPE, "/family", strlen(no_family) - 1,
                       "required property missing");
    /* The version is required (direction send), strict or not: at the root. */
    const char *no_version = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":" CTD_CONTENT "}";
    expect_failure(no_version, strlen(no_version), NULL, 0, EVG_ERR_VERSION_MISSING, "", 0);
    expect_failure(no_version, strlen(no_version), NULL, EVG_STRICT, EVG_ERR_VERSION_MISSING, "", 0);
    const char *v2 = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":" CTD_CONTENT
                     ",\"schemaVersion\":\"2.0.0\"}";
    expect_failure(v2, strlen(v2), NULL, 0, EVG_ERR_UNKNOWN_VERSION, "/schemaVersion", offset_of(v2, "\"2.0.0\""));
    const char *end = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":\"endCall\","
                      "\"method\":\"mapDirective\",\"phoneNumber\":\"+1\"},\"schemaVersion\":\"1.0.0\"}";
    expect_failure(end, strlen(end), NULL, 0, EVG_ERR_CONST, "/content/eventName", offset_of(end, "\"endCall\""));
    const char *method = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":\"startCall\","
                         "\"method\":\"mapEvent\",\"phoneNumber\":\"+1\"},\"schemaVersion\":\"1.0.0\"}";
    expect_failure(method, strlen(method), NULL, 0, EVG_ERR_CONST, "/content/method", offset_of(method, "\"mapEvent\""));
    const char *phone = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":\"startCall\","
                        "\"method\":\"mapDirective\",\"phoneNumber\":1234567890},\"schemaVersion\":\"1.0.0\"}";
    expect_failure(phone, strlen(phone), NULL, 0, EVG_ERR_TYPE, "/content/phoneNumber", offset_of(phone, "1234567890"));
    /* Names: unknown, or of an event of another wire, and maEvent elsewhere. */
    const char *unknown = "{\"eventName\":\"stopCall\",\"family\":\"external\",\"content\":{},\"schemaVersion\":\"1.0.0\"}";
    expect_failure(unknown, strlen(unknown), NULL, 0, EVG_ERR_UNKNOWN_EVENT, "/eventName", offset_of(unknown, "\"stopCall\""));
    const char *mashell = "{\"eventName\":\"" CHAT_OFFERED "\",\"family\":\"external\",\"content\":{},"
                          "\"schemaVersion\":\"1.0.0\"}";
    expect_failure_msg(mashell, strlen(mashell), NULL, 0, EVG_ERR_ENVELOPE, "/eventName",
                       offset_of(mashell, "\"" CHAT_OFFERED "\""), "this event travels in another envelope");
    const char *in_maestro = "{\"eventType\":\"maEvent\",\"status\":\"success\",\"data\":" CTD_CONTENT "}";
    expect_failure_msg(in_maestro, strlen(in_maestro), NULL, 0, EVG_ERR_ENVELOPE, "/eventType",
                       offset_of(in_maestro, "\"maEvent\""), "this event travels in another envelope");

    /* The per-version entry points. */
    ev_maEvent_1_0_0 out;
    evg_error err;
    assert_true(ev_maEvent_1_0_0_parse_wire(CTD, strlen(CTD), &out, NULL, EVG_STRICT, &err));
    str_is(out.phoneNumber, "+1234567890");
    char buf[256];
    assert_int_equal(ev_maEvent_1_0_0_serialize_wire(&out, buf, sizeof buf, NULL), strlen(CTD));
    assert_string_equal(buf, CTD);
}

/* A document that fits no wire is explained by the best partial fit:
 * fewest contradicted constants, then most members present. */
static void test_best_partial_fit(void **state)
{
    (void)state;
    /* A Maestro envelope without status shows two of its members, and none
     * of another wire. */
    const char *no_status = "{\"eventType\":\"" CHAT_OFFERED "\",\"data\":" OFFERED_DATA "}";
    expect_failure_msg(no_status, strlen(no_status), NULL, 0, EVG_ERR_ENVELOPE, "/status", strlen(no_status) - 1,
                       "required property missing");
    /* An SDK event message without type: four of its members against the
     * directive's one (schemaVersion). */
    const char *no_type = "{\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" HOLD "\",\"value\":"
                          "{\"interactionId\":\"a\"}}}";
    expect_failure_msg(no_type, strlen(no_type), NULL, 0, EVG_ERR_ENVELOPE, "/type", strlen(no_type) - 1,
                       "required property missing");
    /* A request whose type says event: the SDK event message contradicts
     * nothing but lacks eventName, the request contradicts type. */
    const char *typed_event = "{\"type\":\"event\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
                              "\"value\":{\"name\":\"" R_CHAT "\",\"data\":{}}}}";
    expect_failure_msg(typed_event, strlen(typed_event), NULL, 0, EVG_ERR_ENVELOPE, "/message/eventName",
                       offset_of(typed_event, "}}}") + 2, "required property missing");
    /* A directive without family: it shows three directive members
     * (eventName, content, schemaVersion) and one of the SDK event message
     * (schemaVersion); each wire misses one required constant (family,
     * type). The directive explains it. */
    const char *no_family = "{\"eventName\":\"maEvent\",\"content\":" CTD_CONTENT ",\"schemaVersion\":\"1.0.0\"}";
    expect_failure_msg(no_family, strlen(no_family), NULL, 0, EVG_ERR_ENVELOPE, "/family", strlen(no_family) - 1,
                       "required property missing");
}

#define CHAT_SENT "aw-chat-message-sent-v1"
#define CHAT_SENT_DOC(variables)                                                                            \
    "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" CHAT_SENT "\",\"value\":" \
    "{\"interactionId\":\"i\",\"message\":{\"id\":\"m1\",\"timestamp\":1751445666638,\"type\":\"text\","     \
    "\"rawMessage\":\"hi\",\"variables\":" variables "},\"schemaVersion\":\"1.0.0\"}}}"

/* Free-form maps (Record<string,string>) hold strings only. */
static void test_chat_variables_map(void **state)
{
    (void)state;
    ev_any ev;
    const char *ok = CHAT_SENT_DOC("{\"k\":\"v\",\"k2\":\"w\"}");
    must_parse(ok, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_CHAT_MESSAGE_SENT_V1_1_0_0);
    const ev_chat_message *msg = &ev.u.aw_chat_message_sent_v1_1_0_0.message;
    assert_true(msg->has_variables);
    assert_int_equal(msg->variables.count, 2);
    str_is(msg->variables.items[0].key, "k");
    str_is(msg->variables.items[0].value, "v");
    str_is(msg->variables.items[1].key, "k2");
    str_is(msg->variables.items[1].value, "w");
    str_is(msg->rawMessage, "\"hi\"");
    assert_true(msg->timestamp == 1751445666638.0);
    char *s = serialize(&ev);
    assert_string_equal(s, ok);
    free(s);

    const char *num = CHAT_SENT_DOC("{\"k\":1}");
    expect_failure(num, strlen(num), NULL, 0, EVG_ERR_TYPE, "/message/value/message/variables/k",
                   offset_of(num, "\"k\":1") + 4);
    const char *later = CHAT_SENT_DOC("{\"a\":\"x\",\"k\":null}");
    expect_failure(later, strlen(later), NULL, 0, EVG_ERR_TYPE, "/message/value/message/variables/k",
                   offset_of(later, "null"));
    const char *list = CHAT_SENT_DOC("[\"k\"]");
    expect_failure(list, strlen(list), NULL, 0, EVG_ERR_TYPE, "/message/value/message/variables",
                   offset_of(list, "[\"k\"]"));
    const char *dup = CHAT_SENT_DOC("{\"k\":\"v\",\"k\":\"w\"}");
    evg_error err;
    assert_false(parse(dup, 0, &ev, &err));
    assert_int_equal(err.code, EVG_ERR_DUPLICATE);
    assert_string_equal(err.pointer, "/message/value/message/variables/k");
}

/* ================================================================ errors */

#define H_MSG "\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}"
/* A hold event; `v` is the message-format version at the top. */
#define H_EVT(v) "{\"type\":\"event\",\"schemaVersion\":\"" v "\"," H_MSG "}"
/* A hold event whose payload states the event version `v`. */
#define H_PV(v)                                                                                              \
    "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\"," \
    "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"" v "\"}}}"
#define M_ENV(data) "{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"success\",\"data\":" data "}"
#define R_ENV(name, data) \
    "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\"," \
    "\"value\":{\"name\":\"" name "\",\"data\":" data "}}}"
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
    {"{\"eventName\":\"teleport\",\"family\":\"external\",\"content\":{},\"schemaVersion\":\"1.0.0\"}", 0,
     EVG_ERR_UNKNOWN_EVENT, "/eventName", "\"teleport\"", 0},

    /* UNKNOWN_VERSION: a major the event does not have, in the payload. */
    {H_PV("2.0.0"), 0, EVG_ERR_UNKNOWN_VERSION, "/message/value/schemaVersion", "\"2.0.0\"", 0},
    {H_PV("0.1.0"), EVG_STRICT, EVG_ERR_UNKNOWN_VERSION, "/message/value/schemaVersion", "\"0.1.0\"", 0},
    {M_ENV("{\"schemaVersion\":\"2.0.0\"}"), 0, EVG_ERR_UNKNOWN_VERSION, "/data/schemaVersion", "\"2.0.0\"", 0},
    {"{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\","
     "\"schemaVersion\":\"9.0.0\"}}}",
     0, EVG_ERR_UNKNOWN_VERSION, "/message/value/schemaVersion", "\"9.0.0\"", 0},
    {R_ENV(R_CHAT, "{\"schemaVersion\":\"3.0.0\"}"), 0, EVG_ERR_UNKNOWN_VERSION,
     "/message/value/data/schemaVersion", "\"3.0.0\"", 0},

    /* BAD_VERSION: not MAJOR.MINOR.PATCH (decimal, no leading zeros). */
    {H_PV("1.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.0\"", 0},
    {H_PV("1.0.0.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.0.0.0\"", 0},
    {H_PV("01.0.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"01.0.0\"", 0},
    {H_PV("1.00.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.00.0\"", 0},
    {H_PV("1.0.0-beta"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.0.0-beta\"", 0},
    {H_PV("v1.0.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"v1.0.0\"", 0},
    {H_PV(" 1.0.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\" 1.0.0\"", 0},
    {H_PV("1.0.0 "), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.0.0 \"", 0},
    {H_PV("1..0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1..0\"", 0},
    {H_PV("-1.0.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"-1.0.0\"", 0},
    {H_PV(""), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"\"", 0},
    {H_PV("1000000.0.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1000000", 0},
    {H_PV("1.0.0\\u0000"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.0.0\\u", 0},
    {H_PV("1.0.00000000000000000000000000000000000000000000000000000000000000000000000000000000000000"
          "0000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000"),
     0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "\"1.0.000", 0},
    {M_ENV("{\"schemaVersion\":\"1.0\"}"), 0, EVG_ERR_BAD_VERSION, "/data/schemaVersion", "\"1.0\"", 0},
    {R_ENV(R_CHAT, "{\"schemaVersion\":\"latest\"}"), 0, EVG_ERR_BAD_VERSION,
     "/message/value/data/schemaVersion", "\"latest\"", 0},
    {"{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{},\"schemaVersion\":\"1\"}", 0,
     EVG_ERR_BAD_VERSION, "/schemaVersion", "\"1\"", 0},

    /* The message-format version is a constant of the envelope: any value
     * but "1.0.0" is ENVELOPE, whatever it looks like. */
    {H_EVT("2.0.0"), 0, EVG_ERR_ENVELOPE, "/schemaVersion", "\"2.0.0\"", 0},
    {H_EVT("1.0.1"), EVG_STRICT, EVG_ERR_ENVELOPE, "/schemaVersion", "\"1.0.1\"", 0},
    {H_EVT("1.0"), 0, EVG_ERR_ENVELOPE, "/schemaVersion", "\"1.0\"", 0},
    {H_EVT(""), 0, EVG_ERR_ENVELOPE, "/schemaVersion", "\"\"", 0},
    {"{\"type\":\"request\",\"schemaVersion\":\"1.0.1\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
     "\"value\":{\"name\":\"" R_CHAT "\",\"data\":{\"schemaVersion\":\"1.0.0\"}}}}",
     0, EVG_ERR_ENVELOPE, "/schemaVersion", "\"1.0.1\"", 0},

    /* A schemaVersion that is not a string at all. */
    {"{\"type\":\"event\",\"schemaVersion\":1," H_MSG "}", 0, EVG_ERR_TYPE, "/schemaVersion", ":1,", 1},
    {"{\"type\":\"event\",\"schemaVersion\":null," H_MSG "}", 0, EVG_ERR_TYPE, "/schemaVersion", "null", 0},
    {"{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\","
     "\"schemaVersion\":100}}}",
     0, EVG_ERR_TYPE, "/message/value/schemaVersion", "100", 0},
    {M_ENV("{\"schemaVersion\":[\"1.0.0\"]}"), 0, EVG_ERR_TYPE, "/data/schemaVersion", "[", 0},

    /* ENVELOPE: fits no wire, or the best fit lacks or contradicts a member. */
    {"{}", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"[]", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"\"event\"", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"42", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"null", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"  \t x", 0, EVG_ERR_ENVELOPE, "", NULL, 4},
    {"{\"interactionId\":\"a\"}", 0, EVG_ERR_ENVELOPE, "", NULL, 0},
    {"{\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{}},\"type\":\"file-transfer\"}",
     0, EVG_ERR_ENVELOPE, "/type", "\"file-transfer\"", 0},
    {"{\"type\":\"message\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{}}}",
     0, EVG_ERR_ENVELOPE, "/type", "\"message\"", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\"}", 0, EVG_ERR_ENVELOPE, "/message", NULL, -1},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"value\":{}}}", 0, EVG_ERR_ENVELOPE,
     "/message/eventName", NULL, -2},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\"}}",
     0, EVG_ERR_ENVELOPE, "/message/value", NULL, -2},
    {"{\"eventType\":\"" CHAT_OFFERED "\",\"data\":{}}", 0, EVG_ERR_ENVELOPE, "/status", NULL, -1},
    {"{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"success\"}", 0, EVG_ERR_ENVELOPE, "/data", NULL, -1},
    {"{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"pending\",\"data\":{}}", 0, EVG_ERR_ENVELOPE, "/status",
     "\"pending\"", 0},
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
    {"{\"eventName\":\"maEvent\",\"family\":\"external\",\"schemaVersion\":\"1.0.0\"}", 0, EVG_ERR_ENVELOPE,
     "/content", NULL, -1},
    /* An event in a wire it does not travel in. */
    {"{\"eventType\":\"aw-interaction-hold-v1\",\"status\":\"success\",\"data\":{\"interactionId\":\"a\"}}", 0,
     EVG_ERR_ENVELOPE, "/eventType", "\"aw-", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"" R_CHAT "\",\"value\":{}}}", 0,
     EVG_ERR_ENVELOPE, "/message/eventName", "\"aw-", 0},
    {R_ENV("aw-interaction-hold-v1", "{\"interactionId\":\"a\"}"), 0, EVG_ERR_ENVELOPE, "/message/value/name",
     "\"aw-interaction-hold", 0},
    {R_ENV(CHAT_OFFERED, "{}"), 0, EVG_ERR_ENVELOPE, "/message/value/name", "\"mashell-", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"getEvents\",\"value\":{}}}", 0,
     EVG_ERR_ENVELOPE, "/message/eventName", "\"getEvents\"", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"partner-sdk-error\",\"value\":{}}}",
     0, EVG_ERR_ENVELOPE, "/message/eventName", "\"partner-sdk-error\"", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"maEvent\",\"value\":{}}}", 0,
     EVG_ERR_ENVELOPE, "/message/eventName", "\"maEvent\"", 0},
    {"{\"eventName\":\"aw-interaction-hold-v1\",\"family\":\"external\",\"content\":{},\"schemaVersion\":\"1.0.0\"}",
     0, EVG_ERR_ENVELOPE, "/eventName", "\"aw-", 0},
    /* A failed Maestro envelope whose data.error names no known report. */
    {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"error\":\"TIMEOUT\"}}", 0,
     EVG_ERR_ENVELOPE, "/data/error", "\"TIMEOUT\"", 0},
    {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\"}}", 0,
     EVG_ERR_ENVELOPE, "/data/error", NULL, -2},
    {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"error\":\"invalid_schema\"}}", 0,
     EVG_ERR_ENVELOPE, "/data/error", "\"invalid_schema\"", 0},

    /* Routing values of the wrong type. */
    {"{\"type\":5," H_MSG "}", 0, EVG_ERR_TYPE, "/type", "5", 0},
    {"{\"eventType\":true,\"status\":\"success\",\"data\":{}}", 0, EVG_ERR_TYPE, "/eventType", "true", 0},
    {"{\"eventType\":\"" CHAT_OFFERED "\",\"status\":1,\"data\":{}}", 0, EVG_ERR_TYPE, "/status", ":1,", 1},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":5,\"value\":{}}}", 0, EVG_ERR_TYPE,
     "/message/eventName", "5,", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":[]}", 0, EVG_ERR_TYPE, "/message", "[]", 0},
    {"{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\",\"value\":[]}}", 0,
     EVG_ERR_TYPE, "/message/value", "[]", 0},
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
    {"{\"eventType\":\"" CHAT_OFFERED "\",\"id\":7,\"status\":\"success\",\"data\":{}}",
     EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/id", "7", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{\"interactionId\":\"a\",\"extra\":1,\"schemaVersion\":\"1.0.0\"}}}",
     EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/value/extra", "1,", 0},
    /* Payload errors carry the envelope's path. */
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{\"interactionId\":\"a\",\"interactionId\":\"b\"}}}",
     0, EVG_ERR_DUPLICATE, "/message/value/interactionId", "\"b\"", 0},
    {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
     "\"value\":{}}}",
     0, EVG_ERR_MISSING, "/message/value/interactionId", NULL, -3},
    {"{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":\"startCall\",\"method\":"
     "\"mapDirective\",\"phoneNumber\":\"+1\",\"phoneNumber\":\"+2\"},\"schemaVersion\":\"1.0.0\"}",
     0, EVG_ERR_DUPLICATE, "/content/phoneNumber", "\"+2\"", 0},
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

/* The messages the design names for the router's own errors. */
static void test_error_messages(void **state)
{
    (void)state;
    static const struct {
        const char *json;
        unsigned flags;
        evg_code code;
        const char *pointer, *message;
    } cases[] = {
        {"{\"interactionId\":\"a\"}", 0, EVG_ERR_ENVELOPE, "",
         "not an envelope of this catalog (expected one of: maestro, partner-sdk-event, partner-sdk-request, "
         "partner-sdk-response, partner-sdk-error, maestro-directive)"},
        {"{}", 0, EVG_ERR_ENVELOPE, "",
         "not an envelope of this catalog (expected one of: maestro, partner-sdk-event, partner-sdk-request, "
         "partner-sdk-response, partner-sdk-error, maestro-directive)"},
        {"[]", 0, EVG_ERR_ENVELOPE, "", "expected an object"},
        {"\"event\"", 0, EVG_ERR_ENVELOPE, "", "expected an object"},
        {"{\"type\":\"file-transfer\",\"message\":{}}", 0, EVG_ERR_ENVELOPE, "/type",
         "expected \"event\", \"request\", \"response\" or \"error\""},
        {"{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"pending\",\"data\":{}}", 0, EVG_ERR_ENVELOPE, "/status",
         "expected \"success\" or \"failed\""},
        {H_EVT("2.0.0"), 0, EVG_ERR_ENVELOPE, "/schemaVersion", "expected \"1.0.0\""},
        {"{\"type\":\"request\",\"message\":{\"action\":\"getEvents\",\"namespace\":\"system\",\"value\":"
         "{\"name\":\"" R_CHAT "\",\"data\":{}}}}",
         0, EVG_ERR_ENVELOPE, "/message/action", "expected \"sendEvent\""},
        {"{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"user\",\"value\":"
         "{\"name\":\"" R_CHAT "\",\"data\":{}}}}",
         0, EVG_ERR_ENVELOPE, "/message/namespace", "expected \"system\""},
        {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\"}", 0, EVG_ERR_ENVELOPE, "/message",
         "required property missing"},
        {"{\"eventType\":\"" CHAT_OFFERED "\",\"status\":\"success\"}", 0, EVG_ERR_ENVELOPE, "/data",
         "required property missing"},
        {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":\"x\"}", 0, EVG_ERR_TYPE, "/message",
         "expected an object"},
        {"{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":5,\"value\":{}}}", 0,
         EVG_ERR_TYPE, "/message/eventName", "expected a string"},
        {"{\"eventType\":true,\"status\":\"success\",\"data\":{}}", 0, EVG_ERR_TYPE, "/eventType",
         "expected a string"},
        {"{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":"
         "\"a\",\"schemaVersion\":100}}}",
         0, EVG_ERR_TYPE, "/message/value/schemaVersion", "expected a string"},
        {"{\"eventType\":\"aw-interaction-hold-v1\",\"status\":\"success\",\"data\":{\"interactionId\":\"a\"}}", 0,
         EVG_ERR_ENVELOPE, "/eventType", "this event travels in another envelope"},
        {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"error\":\"TIMEOUT\"}}", 0,
         EVG_ERR_ENVELOPE, "/data/error", "expected \"INVALID_SCHEMA\" or \"UNSUPPORTED_SCHEMA_VERSION\""},
        {"{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\"}}", 0,
         EVG_ERR_ENVELOPE, "/data/error", "required property missing"},
        {H_PV("1.0"), 0, EVG_ERR_BAD_VERSION, "/message/value/schemaVersion", "a version must be MAJOR.MINOR.PATCH"},
        {"{\"type\":\"event\",\"x\":1," H_MSG "}", EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/x",
         "key is not in the envelope (strict mode)"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        expect_failure_msg(cases[i].json, strlen(cases[i].json), NULL, cases[i].flags, cases[i].code,
                           cases[i].pointer, NO_OFFSET, cases[i].message);
    /* And as evg_error_format writes them. */
    evg_error err;
    ev_any ev;
    char line[512];
    assert_false(parse(H_EVT("2.0.0"), 0, &ev, &err));
    evg_error_format(&err, line, sizeof line);
    assert_string_equal(line, "ENVELOPE: /schemaVersion: expected \"1.0.0\" (offset 32)");
    assert_false(parse("{}", 0, &ev, &err));
    evg_error_format(&err, line, sizeof line);
    assert_string_equal(line, "ENVELOPE: (root): not an envelope of this catalog (expected one of: maestro, "
                              "partner-sdk-event, partner-sdk-request, partner-sdk-response, partner-sdk-error, "
                              "maestro-directive) (offset 0)");
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
    char *s101 = sample(WRAP_UP, "1.0.1");
    char *p = with_version(s101, "1.0.1");
    char *ref_doc = sdk_event(WRAP_UP, "1.0.0", p);
    must_parse(ref_doc, EVG_STRICT, &ev);
    char *ref = serialize(&ev);
    char *value = fmt("\"value\":%s", p);
    for (size_t a = 0; a < 6; a++) {
        for (size_t b = 0; b < 2; b++) {
            /* message members in either order, envelope members in any. */
            char *message = b ? fmt("\"message\":{%s,\"eventName\":\"" WRAP_UP "\"}", value)
                              : fmt("\"message\":{\"eventName\":\"" WRAP_UP "\",%s}", value);
            char *d = object3(a, "\"type\":\"event\"", "\"schemaVersion\":\"1.0.0\"", message);
            must_parse(d, EVG_STRICT, &ev);
            check_wrap_up_1_0_1(&ev, true);
            assert_int_equal(ev.flags, 0);
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
    free(s101);

    /* Maestro: eventType, status, data in any order. */
    char *m = sample(CHAT_OFFERED, "1.0.0");
    must_parse(m, 0, &ev);
    ref = serialize(&ev);
    char *data = fmt("\"data\":%s", strstr(m, "\"data\":") + 7);
    data[strlen(data) - 1] = '\0';   /* drop the envelope's closing brace */
    for (size_t a = 0; a < 6; a++) {
        char *d = object3(a, "\"eventType\":\"" CHAT_OFFERED "\"", "\"status\":\"success\"", data);
        must_parse(d, 0, &ev);
        assert_int_equal(ev.kind, EV_KIND_MASHELL_CHAT_OFFERED_CC_EVENT_V1_1_0_0);
        assert_string_equal(ev.wire->name, "maestro");
        char *s = serialize(&ev);
        assert_string_equal(s, ref);
        free(s);
        free(d);
    }
    free(data);
    free(ref);
    free(m);

    /* The directive: eventName, family, content, schemaVersion in any order. */
    static const char *const members[4] = {"\"eventName\":\"maEvent\"", "\"family\":\"external\"",
                                           "\"content\":" CTD_CONTENT, "\"schemaVersion\":\"1.0.0\""};
    for (size_t first = 0; first < 4; first++) {
        for (size_t rot = 0; rot < 2; rot++) {
            size_t o[4] = {first, (first + 1 + rot) % 4, (first + 2 - rot) % 4, (first + 3) % 4};
            char *d = fmt("{%s,%s,%s,%s}", members[o[0]], members[o[1]], members[o[2]], members[o[3]]);
            must_parse(d, EVG_STRICT, &ev);
            assert_int_equal(ev.kind, EV_KIND_MAEVENT_1_0_0);
            char *s = serialize(&ev);
            assert_string_equal(s, CTD);
            free(s);
            free(d);
        }
    }
}

static void test_send_request_envelope(void **state)
{
    (void)state;
    ev_any ev;
    const char *payload = "{\"interactionId\":\"cognigy\",\"message\":\"Hello\",\"schemaVersion\":\"1.0.0\"}";
    /* The canonical request: type, the format version, message (catalog order). */
    const char *ref = "{\"type\":\"request\",\"schemaVersion\":\"1.0.0\",\"message\":{\"action\":\"sendEvent\","
                      "\"namespace\":\"system\",\"value\":{\"name\":\"" R_CHAT "\",\"data\":{\"interactionId\":"
                      "\"cognigy\",\"message\":\"Hello\",\"schemaVersion\":\"1.0.0\"}}}}";
    char *ref_doc = sdk_request(R_CHAT, payload);
    must_parse(ref_doc, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_CHAT_MESSAGE_RECEIVED_V1_1_0_0);
    assert_string_equal(ev.wire->name, "partner-sdk-request");
    assert_int_equal(ev.flags, 0);
    assert_int_equal(ev.event->direction, EVG_DIRECTION_SEND);
    str_is(ev.u.aw_chat_message_received_v1_1_0_0.message, "Hello");
    char *s = serialize(&ev);
    assert_string_equal(s, ref);   /* the format version is always written */
    free(s);
    free(ref_doc);
    must_parse(ref, EVG_STRICT, &ev);
    s = serialize(&ev);
    assert_string_equal(s, ref);
    free(s);

    /* Every order of the members at all three levels. */
    char *data = fmt("\"data\":%s", payload);
    for (size_t a = 0; a < 6; a++) {
        for (size_t b = 0; b < 2; b++) {
            char *value = b ? fmt("\"value\":{%s,\"name\":\"" R_CHAT "\"}", data)
                            : fmt("\"value\":{\"name\":\"" R_CHAT "\",%s}", data);
            char *message = object3(a, "\"action\":\"sendEvent\"", "\"namespace\":\"system\"", value);
            char *msg_member = fmt("\"message\":%s", message);
            for (size_t c = 0; c < 6; c++) {
                char *d = object3(c, "\"type\":\"request\"", "\"schemaVersion\":\"1.0.0\"", msg_member);
                must_parse(d, EVG_STRICT, &ev);
                assert_int_equal(ev.kind, EV_KIND_AW_CHAT_MESSAGE_RECEIVED_V1_1_0_0);
                s = serialize(&ev);
                assert_string_equal(s, ref);
                free(s);
                free(d);
            }
            free(msg_member);
            free(message);
            free(value);
        }
    }
    free(data);

    /* The other send event, from its upstream sample. */
    char *p = sample(R_WRAP, "1.0.0");
    char *d = sdk_request(R_WRAP, p);
    must_parse(d, 0, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_RECEIVED_V1_1_0_0);
    assert_string_equal(ev.wire->name, "partner-sdk-request");
    assert_int_equal(ev.u.aw_interaction_wrap_up_codes_received_v1_1_0_0.wrapUpCodes.count, 1);
    free(d);
    free(p);
}

static void test_unknown_envelope_keys(void **state)
{
    (void)state;
    ev_any ev;
    /* Extra keys at any level of any envelope: skipped, whatever their value. */
    static const struct {
        const char *json, *pointer, *dropped;
    } docs[] = {
        {"{\"id\":\"42\",\"type\":\"event\",\"schemaVersion\":\"1.0.0\"," H_MSG ",\"ts\":1.5e3}", "/id", "\"id\""},
        {"{\"type\":\"event\",\"extra\":{\"nested\":[{\"deep\":[null,true,false,\"\\u00e9\"]}]},"
         "\"schemaVersion\":\"1.0.0\"," H_MSG "}",
         "/extra", "extra"},
        {"{\"eventType\":\"" CHAT_OFFERED "\",\"bus\":\"global\",\"status\":\"success\","
         "\"data\":{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
         "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"searchContext\":\"x\",\"additionalData\":{\"name\":\"n\"}}}",
         "/bus", "bus"},
        {"{\"type\":\"request\",\"requestId\":7,\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
         "\"value\":{\"name\":\"" R_CHAT "\",\"data\":{\"interactionId\":\"c\",\"message\":\"m\","
         "\"schemaVersion\":\"1.0.0\"}}}}",
         "/requestId", "requestId"},
        {"{\"type\":\"event\",\"status\":\"success\",\"schemaVersion\":\"1.0.0\"," H_MSG "}", "/status", "status"},
        {"{\"eventType\":\"" CHAT_OFFERED "\",\"type\":\"event\",\"status\":\"success\",\"data\":{\"eventName\":"
         "\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\",\"media\":\"chat\","
         "\"mediaType\":\"web_chat\",\"searchContext\":\"x\",\"additionalData\":{\"name\":\"n\"}}}",
         "/type", "\"type\""},
        {"{\"type\":\"response\",\"ts\":0,\"message\":{\"namespace\":\"system\",\"request\":\"getEvents\",\"value\":{}}}",
         "/ts", "\"ts\""},
    };
    for (size_t i = 0; i < sizeof docs / sizeof *docs; i++) {
        must_parse(docs[i].json, 0, &ev);
        char *s = serialize(&ev);
        if (strstr(s, docs[i].dropped))
            fail_msg("%s kept %s", s, docs[i].dropped);
        free(s);
        /* ... and errors in strict mode, at the first unknown key's value. */
        expect_failure_msg(docs[i].json, strlen(docs[i].json), NULL, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, docs[i].pointer,
                           NO_OFFSET, "key is not in the envelope (strict mode)");
    }
}

static void test_whitespace_and_escapes(void **state)
{
    (void)state;
    ev_any ev;
    /* Pretty-printed, CRLF, tabs: the upstream samples are not minified. */
    const char *pretty = "\r\n{ \"type\" : \"event\" ,\r\n\t\"schemaVersion\" :\t\"1.0.0\" ,\n  \"message\" : {\n"
                         "    \"eventName\" : \"aw-interaction-hold-v1\" ,\n    \"value\" : { \"interactionId\" : "
                         "\"a\" , \"schemaVersion\" : \"1.0.0\" }\n  }\n}\r\n";
    const char *canon = H_PV("1.0.0");
    must_parse(pretty, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    assert_int_equal(ev.flags, 0);
    char *s = serialize(&ev);
    assert_string_equal(s, canon);
    free(s);
    /* Routing strings are compared unescaped: JSON-equal names and versions route. */
    const char *escaped = "{\"type\":\"\\u0065vent\",\"schemaVersion\":\"\\u0031.0.0\",\"message\":"
                          "{\"eventName\":\"aw-interaction-hold-v\\u0031\",\"value\":{\"interactionId\":\"a\","
                          "\"schemaVersion\":\"1.0.\\u0030\"}}}";
    must_parse(escaped, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_AW_INTERACTION_HOLD_V1_1_0_0);
    assert_int_equal(ev.flags, 0);
    s = serialize(&ev);
    assert_string_equal(s, canon);
    free(s);
    /* The Maestro status too. */
    const char *m = "{\"eventType\":\"" FAILED_EVENT "\",\"status\":\"f\\u0061iled\","
                    "\"data\":" FAILURE_US "}";
    must_parse(m, 0, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAESTRO_UNSUPPORTED_SCHEMA_VERSION);
    /* And the directive's family, and its version. */
    const char *c = "{\"eventName\":\"ma\\u0045vent\",\"family\":\"e\\u0078ternal\",\"content\":" CTD_CONTENT
                    ",\"schemaVersion\":\"1.0.\\u0030\"}";
    must_parse(c, EVG_STRICT, &ev);
    assert_int_equal(ev.kind, EV_KIND_MAEVENT_1_0_0);
    assert_int_equal(ev.flags, 0);
    s = serialize(&ev);
    assert_string_equal(s, CTD);
    free(s);
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

    /* ev_serialize_any: snprintf convention (the input is canonical). */
    assert_true(ev_parse_any(plain, strlen(plain), &ev, NULL, 0, &err));
    size_t need = strlen(plain);
    assert_int_equal(ev_serialize_any(&ev, NULL, 0, NULL), need);
    char buf[16];
    memset(buf, 'x', sizeof buf);
    assert_int_equal(ev_serialize_any(&ev, buf, sizeof buf, NULL), need);
    assert_int_equal(buf[15], '\0');
    assert_memory_equal(buf, plain, 15);
    ev_any none;
    memset(&none, 0, sizeof none);
    assert_int_equal(ev_serialize_any(&none, buf, sizeof buf, NULL), 0);
    assert_string_equal(buf, "");
}

/* ev_<event>_<version>_parse_wire accepts the event in any of its wires and
 * only that version; _serialize_wire writes its first wire. */
static void test_per_version_wire_entry_points(void **state)
{
    (void)state;
    evg_error err;
    evg_arena a;
    char buf[4096];
    char *p101 = sample(WRAP_UP, "1.0.1");
    char *v101 = with_version(p101, "1.0.1"), *v100 = with_version(p101, "1.0.0");

    ev_aw_interaction_wrap_up_codes_v1_1_0_1 w101;
    char *d = sdk_event(WRAP_UP, "1.0.0", v101);
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_true(ev_aw_interaction_wrap_up_codes_v1_1_0_1_parse_wire(d, strlen(d), &w101, &a, EVG_STRICT, &err));
    str_is(w101.interactionId, "interaction-12345");
    size_t n = ev_aw_interaction_wrap_up_codes_v1_1_0_1_serialize_wire(&w101, buf, sizeof buf, NULL);
    assert_int_equal(n, strlen(buf));
    assert_memory_equal(buf, WRAP_UP_OPEN, strlen(WRAP_UP_OPEN));
    ends_with(buf, "],\"schemaVersion\":\"1.0.1\"}}}");
    free(d);

    /* The payload states another version: its own constant says so. */
    d = sdk_event(WRAP_UP, "1.0.0", v100);
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_false(ev_aw_interaction_wrap_up_codes_v1_1_0_1_parse_wire(d, strlen(d), &w101, &a, 0, &err));
    assert_int_equal(err.code, EVG_ERR_CONST);
    assert_string_equal(err.pointer, "/message/value/schemaVersion");
    assert_int_equal(err.offset, offset_of(d, "\"value\":") + 25);
    assert_string_equal(err.message, "expected \"1.0.1\"");
    /* ... while 1.0.0's entry point takes it (description is unknown there). */
    ev_aw_interaction_wrap_up_codes_v1_1_0_0 w100;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_true(ev_aw_interaction_wrap_up_codes_v1_1_0_0_parse_wire(d, strlen(d), &w100, &a, 0, &err));
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_false(ev_aw_interaction_wrap_up_codes_v1_1_0_0_parse_wire(d, strlen(d), &w100, &a, EVG_STRICT, &err));
    assert_int_equal(err.code, EVG_ERR_UNKNOWN_KEY);
    free(d);
    /* No version in the payload: the entry point knows which it parses. */
    d = sdk_event(WRAP_UP, "1.0.0", p101);
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_true(ev_aw_interaction_wrap_up_codes_v1_1_0_1_parse_wire(d, strlen(d), &w101, &a, EVG_STRICT, &err));
    free(d);
    /* Another event, another wire, another format version. */
    d = sdk_event(HOLD, "1.0.0", "{\"interactionId\":\"a\"}");
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    assert_false(ev_aw_interaction_wrap_up_codes_v1_1_0_1_parse_wire(d, strlen(d), &w101, &a, 0, &err));
    assert_string_equal(err.pointer, "/message/eventName");
    free(d);
    ev_aw_interaction_hold_v1_1_0_0 hold;
    const char *in_maestro = "{\"eventType\":\"" HOLD "\",\"status\":\"success\",\"data\":{\"interactionId\":\"a\"}}";
    assert_false(ev_aw_interaction_hold_v1_1_0_0_parse_wire(in_maestro, strlen(in_maestro), &hold, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_ENVELOPE);
    const char *fv = H_EVT("2.0.0");
    assert_false(ev_aw_interaction_hold_v1_1_0_0_parse_wire(fv, strlen(fv), &hold, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_ENVELOPE);
    assert_string_equal(err.pointer, "/schemaVersion");
    /* A send event's version is required here too. */
    ev_aw_chat_message_received_v1_1_0_0 chat;
    d = sdk_request(R_CHAT, "{\"interactionId\":\"c\",\"message\":\"m\"}");
    assert_false(ev_aw_chat_message_received_v1_1_0_0_parse_wire(d, strlen(d), &chat, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_VERSION_MISSING);
    assert_string_equal(err.pointer, "/message/value/data");
    free(d);
    free(v100);
    free(v101);
    free(p101);

    /* The runtime entry points behind them. */
    const char *bare = "{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.0\"}";
    assert_true(evg_parse_payload_document(bare, strlen(bare), ev_aw_interaction_hold_v1_1_0_0_parse_payload, &hold,
                                           sizeof hold, NULL, EVG_STRICT, &err));
    str_is(hold.interactionId, "a");
    assert_true(hold.has_schemaVersion);
    evg_slot slots[64];
    assert_true(ev_catalog.node_count <= 64);
    const char *doc = H_PV("1.0.0");
    memset(&hold, 0xff, sizeof hold);
    assert_true(evg_parse_wire_document(doc, strlen(doc), &ev_catalog, slots, event_named(HOLD),
                                        version_of(HOLD, "1.0.0"), &hold, NULL, EVG_STRICT, &err));
    str_is(hold.interactionId, "a");
    evg_writer w;
    evg_writer_init(&w, buf, sizeof buf, NULL);
    bool ok = evg_write_envelope(&w, &ev_catalog, &ev_wires[2], HOLD, "1.0.0", ev_aw_interaction_hold_v1_1_0_0_write_payload,
                       &hold);
    assert_int_equal(evg_writer_finish(&w, ok), strlen(doc));
    assert_string_equal(buf, doc);
    evg_writer_init(&w, buf, sizeof buf, NULL);
    ok = evg_write_envelope(&w, &ev_catalog, NULL, HOLD, "1.0.0", ev_aw_interaction_hold_v1_1_0_0_write_payload, &hold);
    assert_int_equal(evg_writer_finish(&w, ok), strlen(bare));
    assert_string_equal(buf, bare);
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
    assert_int_equal(boundaries, EV_VERSION_COUNT + 4);   /* 63 active dates, focus v1 and v2 two more each */
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

static bool is_protocol_message(const evg_event_info *e)
{
    return strcmp(e->name, "getEvents") == 0 || strcmp(e->name, "partner-sdk-error") == 0;
}

static void test_list_events(void **state)
{
    (void)state;
    const evg_event_info *out[EV_EVENT_COUNT + 1];
    /* Counts from catalog.yaml: maEvent is Maestro's one send event; the
     * two protocol messages have no product and are never listed. */
    static const struct {
        unsigned products, directions;
        size_t count;
        const char *prefix;
    } cases[] = {
        {EV_PRODUCT_GLOBAL, EVG_DIRECTION_ALL, 1, "global-"},
        {EV_PRODUCT_GLOBAL, EVG_DIRECTION_RECEIVED, 1, "global-"},
        {EV_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_ALL, 15, "aw-"},
        {EV_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_RECEIVED, 13, "aw-"},
        {EV_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_SEND, 2, "aw-"},
        {EV_PRODUCT_CALL_MANAGER, EVG_DIRECTION_ALL, 22, "call-manager-"},
        {EV_PRODUCT_CALL_MANAGER, EVG_DIRECTION_RECEIVED, 22, "call-manager-"},
        {EV_PRODUCT_CALL_MANAGER, EVG_DIRECTION_SEND, 0, ""},
        {EV_PRODUCT_MAESTRO, EVG_DIRECTION_ALL, 22, ""},
        {EV_PRODUCT_MAESTRO, EVG_DIRECTION_RECEIVED, 21, "mashell-"},
        {EV_PRODUCT_MAESTRO, EVG_DIRECTION_SEND, 1, "maEvent"},
        {EV_PRODUCT_ALL, EVG_DIRECTION_ALL, 60, ""},
        {EV_PRODUCT_ALL, EVG_DIRECTION_RECEIVED, 57, ""},
        {EV_PRODUCT_ALL, EVG_DIRECTION_SEND, 3, ""},
        {EV_PRODUCT_GLOBAL | EV_PRODUCT_MAESTRO, EVG_DIRECTION_ALL, 23, ""},
        {EV_PRODUCT_AGENT_WORKSPACE | EV_PRODUCT_CALL_MANAGER, EVG_DIRECTION_RECEIVED, 35, ""},
        {0, EVG_DIRECTION_ALL, 0, ""},
        {EV_PRODUCT_ALL, 0, 0, ""},
        {0x10u, EVG_DIRECTION_ALL, 0, ""},   /* no such product */
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        out[cases[i].count] = (const evg_event_info *)&cases;   /* canary */
        size_t n = ev_list_events(cases[i].products, cases[i].directions, out, EV_EVENT_COUNT);
        if (n != cases[i].count)
            fail_msg("case %zu: %zu events, expected %zu", i, n, cases[i].count);
        for (size_t k = 0; k < n; k++) {
            assert_true(out[k]->products & cases[i].products);
            assert_true(out[k]->direction & cases[i].directions);
            assert_false(is_protocol_message(out[k]));
            assert_true(strncmp(out[k]->name, cases[i].prefix, strlen(cases[i].prefix)) == 0);
            if (k > 0)
                assert_true(out[k] > out[k - 1]);   /* catalog order */
        }
        assert_ptr_equal(out[cases[i].count], (const evg_event_info *)&cases);
        /* Counting only. */
        assert_int_equal(ev_list_events(cases[i].products, cases[i].directions, NULL, 0), n);
    }
    /* The send events, by name. */
    assert_int_equal(ev_list_events(EV_PRODUCT_ALL, EVG_DIRECTION_SEND, out, EV_EVENT_COUNT), 3);
    assert_string_equal(out[0]->name, R_CHAT);
    assert_string_equal(out[1]->name, R_WRAP);
    assert_string_equal(out[2]->name, "maEvent");
    /* Every event with a product is listed under EV_PRODUCT_ALL; the rest never. */
    size_t all = ev_list_events(EV_PRODUCT_ALL, EVG_DIRECTION_ALL, out, EV_EVENT_COUNT);
    assert_int_equal(all, EV_EVENT_COUNT - 2);
    for (size_t i = 0, k = 0; i < EV_EVENT_COUNT; i++) {
        if (is_protocol_message(&ev_events[i]))
            continue;
        assert_ptr_equal(out[k++], &ev_events[i]);
    }
    /* A short `cap` stores that many and still counts all. */
    out[3] = NULL;
    assert_int_equal(ev_list_events(EV_PRODUCT_AGENT_WORKSPACE, EVG_DIRECTION_ALL, out, 3), 15);
    assert_null(out[3]);
    assert_string_equal(out[0]->name, "aw-chat-init-v1");
    /* Product names, one bit at a time. */
    assert_string_equal(ev_product_name(EV_PRODUCT_GLOBAL), "global");
    assert_string_equal(ev_product_name(EV_PRODUCT_AGENT_WORKSPACE), "agent-workspace");
    assert_string_equal(ev_product_name(EV_PRODUCT_CALL_MANAGER), "call-manager");
    assert_string_equal(ev_product_name(EV_PRODUCT_MAESTRO), "maestro");
    assert_null(ev_product_name(0));
    assert_null(ev_product_name(EV_PRODUCT_GLOBAL | EV_PRODUCT_MAESTRO));
    assert_null(ev_product_name(EV_PRODUCT_ALL));
    assert_null(ev_product_name(0x10u));
    assert_int_equal(EV_PRODUCT_ALL, EV_PRODUCT_GLOBAL | EV_PRODUCT_AGENT_WORKSPACE | EV_PRODUCT_CALL_MANAGER |
                                         EV_PRODUCT_MAESTRO);
    assert_int_equal(EV_PRODUCT_COUNT, 4);
    assert_string_equal(evg_direction_name(EVG_DIRECTION_SEND), "send");
    assert_string_equal(evg_direction_name(EVG_DIRECTION_RECEIVED), "received");
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
    size_t n = ev_events_json(EV_PRODUCT_GLOBAL, EVG_DIRECTION_ALL, buf, sizeof buf);
    assert_string_equal(buf, "{\"global-user-details-v1\":[\"1.0.0\"]}");
    assert_int_equal(n, strlen(buf));
    assert_true(json_valid(buf));

    ev_events_json(EV_PRODUCT_ALL, EVG_DIRECTION_SEND, buf, sizeof buf);
    assert_string_equal(buf, "{\"aw-chat-message-received-v1\":[\"1.0.0\"],"
                             "\"aw-interaction-wrap-up-codes-received-v1\":[\"1.0.0\"],\"maEvent\":[\"1.0.0\"]}");
    ev_events_json(EV_PRODUCT_MAESTRO, EVG_DIRECTION_SEND, buf, sizeof buf);
    assert_string_equal(buf, "{\"maEvent\":[\"1.0.0\"]}");
    ev_events_json(0, EVG_DIRECTION_ALL, buf, sizeof buf);
    assert_string_equal(buf, "{}");
    ev_events_json(EV_PRODUCT_CALL_MANAGER, EVG_DIRECTION_SEND, buf, sizeof buf);
    assert_string_equal(buf, "{}");

    /* Everything: valid JSON, the 60 events of a product as distinct keys in
     * catalog order, each with its versions oldest first; never the
     * protocol messages. */
    n = ev_events_json(EV_PRODUCT_ALL, EVG_DIRECTION_ALL, buf, sizeof buf);
    assert_true(n < sizeof buf);
    assert_int_equal(strlen(buf), n);
    assert_true(json_valid(buf));
    assert_null(strstr(buf, "getEvents"));
    assert_null(strstr(buf, "partner-sdk-error"));
    const char *c = buf + 1;
    size_t keys = 0;
    for (size_t i = 0; i < EV_EVENT_COUNT; i++) {
        if (is_protocol_message(&ev_events[i]))
            continue;
        char *member = fmt("%s\"%s\":[", keys ? "," : "", ev_events[i].name);
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
        keys++;
    }
    assert_int_equal(keys, 60);
    assert_int_equal(*c++, '}');
    assert_int_equal(*c, '\0');
    assert_non_null(strstr(buf, "\"" WRAP_UP "\":[\"1.0.0\",\"1.0.1\"]"));

    /* snprintf convention: the full length, a NUL-terminated prefix. */
    char small[10];
    assert_int_equal(ev_events_json(EV_PRODUCT_ALL, EVG_DIRECTION_ALL, small, sizeof small), n);
    assert_memory_equal(small, buf, sizeof small - 1);
    assert_int_equal(small[sizeof small - 1], '\0');
    assert_int_equal(ev_events_json(EV_PRODUCT_ALL, EVG_DIRECTION_ALL, NULL, 0), n);
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
    assert_null(ev_find_event("partner-sdk-event", 17));      /* wires */
    assert_null(ev_find_event("maestro-directive", 17));
    assert_null(ev_find_event("maestro", 7));
    assert_null(ev_find_event("startCall", 9));               /* the directive's content.eventName */
    assert_null(ev_find_event("getevents", 9));
    assert_null(ev_find_event("maevent", 7));
    /* The protocol messages are events of their own. */
    assert_ptr_equal(ev_find_event("getEvents", 9), event_named("getEvents"));
    assert_ptr_equal(ev_find_event("maEvent", 7), event_named("maEvent"));
    assert_ptr_equal(ev_find_event("partner-sdk-error", 17), event_named("partner-sdk-error"));
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
    /* The failed form of the maestro wire. */
    assert_string_equal(ev.wire->name, "maestro/failed");
    assert_string_equal(ev_wires[ev.wire->base].name, "maestro");
    assert_int_equal(tu_wire_of(ev.wire), TU_WIRE_MAESTRO);
    assert_int_equal(ev.flags, 0);
    const ev_maestro_invalid_schema *f = &ev.u.maestro_invalid_schema;
    assert_true(evg_str_eq(f->maestro_failure_base.eventName, "dummyEventName"));
    assert_true(evg_str_eq(f->maestro_failure_base.schemaVersion, "1.0.0"));
    assert_int_equal(f->maestro_failure_base.allowedSchemaVersions.count, 1);
    assert_true(evg_str_eq(f->maestro_failure_base.allowedSchemaVersions.items[0], "1.0.0"));
    assert_true(f->has_validSchema);
    assert_false(f->validSchema);
    assert_true(f->has_errorDescription);
    assert_int_equal(f->errorDescription.count, 2);
    const ev_maestro_error_description *d0 = &f->errorDescription.items[0];
    const ev_maestro_error_description *d1 = &f->errorDescription.items[1];
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
    assert_string_equal(ev.wire->name, "maestro/failed");
    assert_int_equal(ev.flags, 0);
    const ev_maestro_unsupported_schema_version *f = &ev.u.maestro_unsupported_schema_version;
    assert_true(evg_str_eq(f->maestro_failure_base.eventName, "terminated"));
    assert_true(evg_str_eq(f->maestro_failure_base.schemaVersion, "2.0.0"));
    assert_int_equal(f->maestro_failure_base.allowedSchemaVersions.count, 1);
    assert_true(evg_str_eq(f->maestro_failure_base.allowedSchemaVersions.items[0], "1.0.0"));
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
    assert_int_equal(ev.u.maestro_unsupported_schema_version.maestro_failure_base.allowedSchemaVersions.count, 0);
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
        cmocka_unit_test(test_wires_table),
        cmocka_unit_test(test_every_version_round_trips),
        cmocka_unit_test(test_top_level_version_is_the_format_version),
        cmocka_unit_test(test_wrap_up_by_payload_version),
        cmocka_unit_test(test_focus_as_the_sdk_sends_it),
        cmocka_unit_test(test_focus_family),
        cmocka_unit_test(test_fallback_and_strict),
        cmocka_unit_test(test_version_assumed_and_missing),
        cmocka_unit_test(test_send_events_require_the_version),
        cmocka_unit_test(test_mashell_in_both_envelopes),
        cmocka_unit_test(test_get_events_response),
        cmocka_unit_test(test_sdk_error_message),
        cmocka_unit_test(test_click_to_dial),
        cmocka_unit_test(test_best_partial_fit),
        cmocka_unit_test(test_chat_variables_map),
        cmocka_unit_test(test_error_table),
        cmocka_unit_test(test_error_messages),
        cmocka_unit_test(test_error_code_names),
        cmocka_unit_test(test_bare_errors),
        cmocka_unit_test(test_envelope_key_order),
        cmocka_unit_test(test_send_request_envelope),
        cmocka_unit_test(test_unknown_envelope_keys),
        cmocka_unit_test(test_whitespace_and_escapes),
        cmocka_unit_test(test_memory_contract),
        cmocka_unit_test(test_per_version_wire_entry_points),
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
