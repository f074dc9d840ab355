/* test_rt_samples.c - the generated parsers and serializers on the upstream
 * samples (tests/samples/<event>-<version>.json), and what valid input
 * must give: every field, zero-copy strings, unescaping, the snprintf
 * convention, escaping, numbers and compacted `any` values.
 *
 * Round trips are checked with an order-insensitive JSON comparison
 * (tests/json_tree.h): the canonical output writes keys in catalog order,
 * adds nothing and drops nothing; the one thing it adds is the top-level
 * schemaVersion of a Partner SDK event envelope that had none. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "json_tree.h"
#include "test_util.h"

#define ARENA_SIZE (1u << 16)
#define OUT_SIZE (1u << 16)

static char g_arena_buf[ARENA_SIZE];
static char g_out[OUT_SIZE];
static char g_out2[OUT_SIZE];

/* MARK: helpers ------------------------------------------------------------ */

static evg_arena fresh_arena(void)
{
    evg_arena a;
    evg_arena_init(&a, g_arena_buf, sizeof g_arena_buf);
    return a;
}

/* Fails the test with the formatted error when a parse did not succeed. */
static void check_ok(bool ok, const evg_error *err, const char *what)
{
    if (!ok) {
        char buf[512];
        evg_error_format(err, buf, sizeof buf);
        fail_msg("%s: %s", what, buf);
    }
}

static void str_is(evg_str s, const char *lit)
{
    assert_non_null(s.ptr);
    char buf[512];
    assert_true(s.len < sizeof buf);
    memcpy(buf, s.ptr, s.len);
    buf[s.len] = '\0';
    assert_string_equal(buf, lit);
}

static bool within(const void *p, const void *base, size_t len)
{
    return (const char *)p >= (const char *)base && (const char *)p < (const char *)base + len;
}

/* Parses the sample file as delivered: Maestro envelopes through
 * ev_parse_any, Partner SDK payloads through ev_parse_bare. */
static void parse_sample_file(const char *event, const char *version, ev_any *out, evg_arena *arena,
                              char **text_out)
{
    char path[512];
    snprintf(path, sizeof path, "%s/%s-%s.json", SAMPLES_DIR, event, version);
    size_t len;
    char *text = tu_read_file(path, &len);
    assert_non_null(text);
    evg_error err;
    const evg_version_info *v = version_of(event, version);
    bool ok = tu_home_wire(v) == TU_WIRE_MAESTRO ? ev_parse_any(text, len, out, arena, 0, &err)
                                          : ev_parse_bare(event_of(event), text, len, out, arena, 0, &err);
    check_ok(ok, &err, path);
    *text_out = text;
}

/* serialize(x) JSON-equals x, and serialize(parse(serialize(x))) is
 * byte-identical to serialize(x). `reparse` parses like the original. */
typedef bool (*reparse_fn)(const evg_event_info *event, const char *json, size_t len, ev_any *out,
                           evg_arena *arena, evg_error *err);

static bool reparse_any(const evg_event_info *event, const char *json, size_t len, ev_any *out,
                        evg_arena *arena, evg_error *err)
{
    (void)event;
    return ev_parse_any(json, len, out, arena, 0, err);
}

static bool reparse_bare(const evg_event_info *event, const char *json, size_t len, ev_any *out,
                         evg_arena *arena, evg_error *err)
{
    return ev_parse_bare(event, json, len, out, arena, 0, err);
}

static size_t serialize_and_fix(const ev_any *any, reparse_fn reparse, const char *what)
{
    size_t n = ev_serialize_any(any, g_out, sizeof g_out, NULL);
    assert_true(n < sizeof g_out);
    assert_int_equal(strlen(g_out), n);
    ev_any again;
    evg_arena a2;
    static char arena2[ARENA_SIZE];
    evg_arena_init(&a2, arena2, sizeof arena2);
    evg_error err;
    check_ok(reparse(any->event, g_out, n, &again, &a2, &err), &err, what);
    assert_int_equal(again.kind, any->kind);
    assert_ptr_equal(again.info, any->info);
    size_t n2 = ev_serialize_any(&again, g_out2, sizeof g_out2, NULL);
    assert_int_equal(n2, n);
    assert_string_equal(g_out2, g_out);
    return n;
}

/* MARK: inventory ---------------------------------------------------------- */

static void test_sample_inventory(void **state)
{
    (void)state;
    size_t n;
    tu_sample *s = tu_load_samples(&n);
    assert_non_null(s);
    assert_int_equal(n, 63);
    assert_int_equal(EV_VERSION_COUNT, 63);
    bool seen[EV_VERSION_COUNT] = {false};
    for (size_t i = 0; i < n; i++) {
        if (!s[i].info)
            fail_msg("%s names no (event, version) of ev_versions[]", s[i].file);
        assert_non_null(s[i].text);
        assert_non_null(s[i].payload);
        size_t idx = (size_t)(s[i].info - ev_versions);
        assert_false(seen[idx]);
        seen[idx] = true;
    }
    for (size_t i = 0; i < EV_VERSION_COUNT; i++)
        if (!seen[i])
            fail_msg("no sample for %s %s", ev_versions[i].event, ev_versions[i].version);
    tu_free_samples(s, n);
}

/* MARK: shared shape types ------------------------------------------------- */

/* The call object of any of the 14 events that extend call-manager-call
 * (catalog.yaml), or NULL. The switch is what a partner writes: each
 * event embeds the one ev_call_manager_call type. */
static const ev_call_manager_call *call_of(const ev_any *any)
{
    switch (any->kind) {
    case EV_KIND_CALL_MANAGER_CALL_AUTOANSWER_FIRST_CONNECT_V1_1_0_0:
        return &any->u.call_manager_call_autoanswer_first_connect_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_CALLER_NUMBER_CHANGE_V1_1_0_0:
        return &any->u.call_manager_call_caller_number_change_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_CONNECT_V1_1_0_0:
        return &any->u.call_manager_call_connect_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_DISCONNECTED_V1_1_0_0:
        return &any->u.call_manager_call_disconnected_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_FAILED_V1_1_0_0:
        return &any->u.call_manager_call_failed_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_HOLD_V1_1_0_0:
        return &any->u.call_manager_call_hold_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_INBOUND_FIRST_CONNECT_V1_1_0_0:
        return &any->u.call_manager_call_inbound_first_connect_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_INCOMING_FIRST_V1_1_0_0:
        return &any->u.call_manager_call_incoming_first_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_INCOMING_V1_1_0_0:
        return &any->u.call_manager_call_incoming_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_OUTBOUND_FIRST_CONNECT_V1_1_0_0:
        return &any->u.call_manager_call_outbound_first_connect_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_OUTGOING_V1_1_0_0:
        return &any->u.call_manager_call_outgoing_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_RECORD_END_V1_1_0_0:
        return &any->u.call_manager_call_record_end_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_RECORD_FAILED_V1_1_0_0:
        return &any->u.call_manager_call_record_failed_v1_1_0_0.call_manager_call;
    case EV_KIND_CALL_MANAGER_CALL_RECORD_START_V1_1_0_0:
        return &any->u.call_manager_call_record_start_v1_1_0_0.call_manager_call;
    default:
        return NULL;
    }
}

static void string_matches(bool has, evg_str got, const jt_node *want, const char *what)
{
    if (!want) {
        if (has)
            fail_msg("%s: set, but the sample has no such key", what);
        return;
    }
    if (!has || got.len != want->str_len || memcmp(got.ptr, want->str, got.len) != 0)
        fail_msg("%s: '%.*s' (has: %d), the sample says '%s'", what, (int)got.len,
                 got.ptr ? got.ptr : "", has, want->str);
}

/* One handler for the call object of every event above, checked against
 * the sample's own JSON (read by the independent json_tree.h). */
static void check_call(const ev_call_manager_call *c, const jt_node *sample, const char *file)
{
    char what[320];
    static const char *const strings[] = {"callID", "cSessionId", "name", "phoneNumber",
                                          "calledDNIS", "sipCallID"};
    const bool *has[] = {&c->has_callID, &c->has_cSessionId, &c->has_name, &c->has_phoneNumber,
                         &c->has_calledDNIS, &c->has_sipCallID};
    const evg_str *values[] = {&c->callID, &c->cSessionId, &c->name, &c->phoneNumber,
                               &c->calledDNIS, &c->sipCallID};
    for (size_t i = 0; i < sizeof strings / sizeof *strings; i++) {
        snprintf(what, sizeof what, "%s: %s", file, strings[i]);
        string_matches(*has[i], *values[i], jt_get(sample, strings[i]), what);
    }
    const jt_node *inbound = jt_get(sample, "inboundCall");
    assert_int_equal(c->has_inboundCall, inbound != NULL);
    if (inbound)
        assert_int_equal(c->inboundCall, inbound->raw[0] == 't');
    const jt_node *hold = jt_get(sample, "callHoldTime");
    assert_int_equal(c->has_callHoldTime, hold != NULL);
    if (hold)
        assert_true(c->callHoldTime == strtod(hold->raw, NULL));
}

static void test_shared_call_type(void **state)
{
    (void)state;
    size_t n;
    tu_sample *s = tu_load_samples(&n);
    assert_non_null(s);
    size_t calls = 0;
    for (size_t i = 0; i < n; i++) {
        if (!s[i].info || strncmp(s[i].file, "call-manager-call-", 18) != 0)
            continue;
        ev_any any;
        evg_arena a = fresh_arena();
        evg_error err;
        if (!ev_parse_bare(event_of(s[i].info->event), s[i].payload, s[i].payload_len, &any, &a, 0,
                           &err))
            fail_msg("%s: %s at %s", s[i].file, err.message, err.pointer);
        const ev_call_manager_call *c = call_of(&any);
        if (!c)
            continue;   /* conference and transfer events carry other shapes */
        jt_node *t = jt_parse(s[i].payload, s[i].payload_len);
        assert_non_null(t);
        check_call(c, t, s[i].file);
        jt_free(t);
        calls++;
    }
    /* Every one of the 14 events has a sample. */
    assert_int_equal(calls, 14);
    tu_free_samples(s, n);
}

/* MARK: round trips -------------------------------------------------------- */

/* The version a document without any schemaVersion gets: the newest,
 * flagged as assumed, except for the SDK's responses and errors, which
 * carry no version anywhere (nothing was assumed: there is one version). */
static const evg_version_info *expected_version(const tu_sample *s, bool payload_has_version,
                                                unsigned *flags)
{
    const evg_event_info *e = event_of(s->info->event);
    if (payload_has_version) {
        *flags = 0;
        return s->info;
    }
    /* (maEvent's version sits in its envelope: bare, the newest is assumed.) */
    bool unversioned = strcmp(e->name, "getEvents") == 0 || strcmp(e->name, "partner-sdk-error") == 0;
    *flags = unversioned ? 0 : EVG_VERSION_ASSUMED;
    return &e->versions[e->version_count - 1];
}

static void check_parsed(const ev_any *any, const evg_version_info *info, unsigned flags, tu_wire wire)
{
    assert_ptr_equal(any->info, info);
    assert_int_equal(any->kind, info->kind);
    assert_string_equal(any->event->name, info->event);
    assert_int_equal(any->flags, flags);
    assert_int_equal(tu_wire_of(any->wire), wire);
}

static bool is_sdk_wire(tu_wire w)
{
    return w == TU_WIRE_SDK_EVENT || w == TU_WIRE_SDK_REQUEST || w == TU_WIRE_SDK_RESPONSE ||
           w == TU_WIRE_SDK_ERROR;
}

/* The typed entry point of the sample's own version (what
 * ev_<event>_<version>_parse_wire wraps) reads `doc` as `any` did, and
 * writes the same bytes back in the same wire. */
static void check_typed_wire(const tu_sample *s, const ev_any *any, const char *doc, size_t len,
                             size_t want_len)
{
    static char typed[8192];
    static evg_slot slots[256];
    assert_true(s->info->struct_size <= sizeof typed);
    assert_true(ev_catalog.node_count <= 256);
    evg_arena a = fresh_arena();
    evg_error err;
    check_ok(evg_parse_wire_document(doc, len, &ev_catalog, slots, any->event, s->info, typed, &a, 0,
                                     &err),
             &err, s->file);
    if (any->info != s->info)
        return;   /* read as another (newer) version by ev_parse_any: bytes differ */
    evg_writer w;
    evg_writer_init(&w, g_out2, sizeof g_out2, NULL);
    bool ok = evg_write_envelope(&w, &ev_catalog, any->wire, s->info->event, s->info->version, s->info->write, typed);
    assert_int_equal(evg_writer_finish(&w, ok), want_len);
    assert_string_equal(g_out2, g_out);
}

static void roundtrip_one(const tu_sample *s, size_t *cases)
{
    const evg_event_info *event = event_of(s->info->event);
    jt_node *payload_tree = jt_parse(s->payload, s->payload_len);
    assert_non_null(payload_tree);
    bool has_version = jt_get(payload_tree, "schemaVersion") != NULL;
    jt_free(payload_tree);
    unsigned flags;
    const evg_version_info *assumed = expected_version(s, has_version, &flags);
    evg_error err;
    ev_any any;
    evg_arena a = fresh_arena();

    /* 1. The file as delivered: a Maestro envelope, or a bare payload. */
    if (tu_home_wire(s->info) == TU_WIRE_MAESTRO) {
        check_ok(ev_parse_any(s->text, s->len, &any, &a, 0, &err), &err, s->file);
        check_parsed(&any, assumed, flags, TU_WIRE_MAESTRO);
        size_t n = serialize_and_fix(&any, reparse_any, s->file);
        if (!jt_text_equal(s->text, s->len, g_out, n))
            fail_msg("%s: output differs from input:\n%s", s->file, g_out);
        ++*cases;
        check_typed_wire(s, &any, s->text, s->len, n);
        ++*cases;
    } else {
        check_ok(ev_parse_bare(event, s->text, s->len, &any, &a, 0, &err), &err, s->file);
        check_parsed(&any, assumed, flags, TU_WIRE_BARE);
        size_t n = serialize_and_fix(&any, reparse_bare, s->file);
        if (!jt_text_equal(s->text, s->len, g_out, n))
            fail_msg("%s: output differs from input:\n%s", s->file, g_out);
        ++*cases;
        /* The typed bare parser of the sample's own version agrees. */
        static char typed[8192];
        assert_true(s->info->struct_size <= sizeof typed);
        a = fresh_arena();
        check_ok(evg_parse_payload_document(s->text, s->len, s->info->parse, typed, s->info->struct_size,
                                            &a, 0, &err),
                 &err, s->file);
        evg_writer w;
        evg_writer_init(&w, g_out2, sizeof g_out2, NULL);
        bool ok = s->info->write(&w, typed);
        size_t n2 = evg_writer_finish(&w, ok);
        if (!jt_text_equal(s->text, s->len, g_out2, n2))
            fail_msg("%s: typed output differs from input:\n%s", s->file, g_out2);
        ++*cases;
    }

    /* 2. In every wire the event travels in, the catalog agreeing with the
     *    facts about which. Partner SDK messages state their format version
     *    "1.0.0" at the top; the directive states the event's version. */
    tu_wire wires[2];
    size_t nw = tu_event_wires(s->info->event, wires);
    assert_int_equal(event->wire_count, nw);
    for (size_t i = 0; i < nw; i++) {
        assert_int_equal(tu_wire_of(&ev_wires[event->wires[i]]), wires[i]);
        tu_wire w = wires[i];
        const char *stated = is_sdk_wire(w) ? "1.0.0" : w == TU_WIRE_DIRECTIVE ? s->info->version : NULL;
        size_t wlen;
        char *wrapped = tu_wrap(w, s->info->event, stated, s->payload, s->payload_len, &wlen);
        const evg_version_info *want = w == TU_WIRE_DIRECTIVE ? s->info : assumed;
        unsigned want_flags = w == TU_WIRE_DIRECTIVE ? 0 : flags;
        a = fresh_arena();
        check_ok(ev_parse_any(wrapped, wlen, &any, &a, 0, &err), &err, wrapped);
        check_parsed(&any, want, want_flags, w);
        size_t n = serialize_and_fix(&any, reparse_any, s->file);
        if (!jt_text_equal(wrapped, wlen, g_out, n))
            fail_msg("%s: wrapped output differs from input:\n%s\n%s", s->file, wrapped, g_out);
        ++*cases;
        check_typed_wire(s, &any, wrapped, wlen, n);
        ++*cases;
        free(wrapped);

        /* 3. A Partner SDK message without its format version: the output
         *    adds it, nothing else. */
        if (!is_sdk_wire(w))
            continue;
        wrapped = tu_wrap(w, s->info->event, NULL, s->payload, s->payload_len, &wlen);
        a = fresh_arena();
        check_ok(ev_parse_any(wrapped, wlen, &any, &a, 0, &err), &err, wrapped);
        check_parsed(&any, assumed, flags, w);
        n = serialize_and_fix(&any, reparse_any, s->file);
        jt_node *out = jt_parse(g_out, n), *in = jt_parse(wrapped, wlen);
        assert_non_null(out);
        assert_non_null(in);
        assert_null(jt_get(in, "schemaVersion"));
        jt_node *sv = jt_get(out, "schemaVersion");
        assert_non_null(sv);
        assert_int_equal(sv->type, JT_STRING);
        assert_string_equal(sv->str, "1.0.0");
        jt_remove_at(out, (size_t)(sv - out->kids));
        if (!jt_equal(in, out))
            fail_msg("%s: output differs from input beyond schemaVersion:\n%s", s->file, g_out);
        jt_free(in);
        jt_free(out);
        free(wrapped);
        ++*cases;
    }
}

static void test_sample_roundtrip(void **state)
{
    (void)state;
    size_t n, cases = 0;
    tu_sample *s = tu_load_samples(&n);
    assert_int_equal(n, 63);
    for (size_t i = 0; i < n; i++)
        roundtrip_one(&s[i], &cases);
    /* Each sample: 2 as delivered, 2 per wire, 1 more per Partner SDK wire.
     * 21 mashell (Maestro + SDK event): 7; 37 other received events, 2 send
     * events, getEvents, the SDK error: 5; the Click to Dial directive: 4. */
    assert_int_equal(cases, 21 * 7 + (37 + 2 + 1 + 1) * 5 + 4);
    tu_free_samples(s, n);
}

/* The one sample whose payload has no schemaVersion and whose event has a
 * newer version: as a bare payload it is read as the newest (1.0.1, which
 * only adds an optional field); with the version stated it is 1.0.0. */
static void test_sample_version_assumed(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("aw-interaction-wrap-up-codes-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_1);
    assert_int_equal(any.flags, EVG_VERSION_ASSUMED);
    assert_false(any.u.aw_interaction_wrap_up_codes_v1_1_0_1.wrapUpCodes.items[0].items.items[0].has_description);
    free(text);
}

/* MARK: field by field ----------------------------------------------------- */

static void test_fields_global_user_details(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("global-user-details-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_GLOBAL_USER_DETAILS_V1_1_0_0);
    const ev_global_user_details_v1_1_0_0 *e = &any.u.global_user_details_v1_1_0_0;
    str_is(e->firstName, "firstName");
    str_is(e->lastName, "lastName");
    str_is(e->name, "firstName lastName");
    str_is(e->userId, "userId");
    str_is(e->customerId, "customerId");
    str_is(e->loginId, "loginId");
    str_is(e->jobTitle, "jobTitle");
    assert_true(e->has_email);
    str_is(e->email, "email@test.com");
    assert_true(e->has_language);
    str_is(e->language, "en");
    assert_true(e->has_schemaVersion);
    free(text);
}

static void test_fields_aw_interaction_started(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("aw-interaction-started-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_AW_INTERACTION_STARTED_V1_1_0_0);
    const ev_aw_interaction_started_v1_1_0_0 *e = &any.u.aw_interaction_started_v1_1_0_0;
    str_is(e->interactionId, "interaction-123");
    assert_true(e->has_callId);
    str_is(e->callId, "call-789");
    assert_int_equal(e->interactionType, EV_AW_INTERACTION_STARTED_V1_1_0_0_INTERACTIONTYPE_PHONE);
    assert_string_equal(ev_aw_interaction_started_v1_1_0_0_interactionType_name(e->interactionType), "phone");
    assert_int_equal(e->direction, EV_AW_INTERACTION_STARTED_V1_1_0_0_DIRECTION_INBOUND);
    assert_string_equal(ev_aw_interaction_started_v1_1_0_0_direction_name(e->direction), "inbound");
    assert_true(e->has_queueId);
    str_is(e->queueId, "queue-456");
    assert_true(e->has_queueName);
    str_is(e->queueName, "Support Queue");
    assert_true(e->has_customerName);
    str_is(e->customerName, "John Doe");
    assert_true(e->has_customerPhone);
    str_is(e->customerPhone, "+1234567890");
    assert_true(e->has_agentName);
    str_is(e->agentName, "Jane Smith");
    assert_true(e->has_agentPhone);
    str_is(e->agentPhone, "+0987654321");
    assert_true(e->has_schemaVersion);
    free(text);

    /* Every value of both enums, and the names of out-of-range values. */
    static const struct { const char *text; int value; } types[] = {
        {"phone", EV_AW_INTERACTION_STARTED_V1_1_0_0_INTERACTIONTYPE_PHONE},
        {"chat", EV_AW_INTERACTION_STARTED_V1_1_0_0_INTERACTIONTYPE_CHAT},
        {"email", EV_AW_INTERACTION_STARTED_V1_1_0_0_INTERACTIONTYPE_EMAIL},
        {"sms", EV_AW_INTERACTION_STARTED_V1_1_0_0_INTERACTIONTYPE_SMS},
    };
    for (size_t i = 0; i < 4; i++) {
        for (int dir = 0; dir < 2; dir++) {
            const char *dirs[] = {"inbound", "outbound"};
            char json[256];
            snprintf(json, sizeof json,
                     "{\"interactionId\":\"i\",\"interactionType\":\"%s\",\"direction\":\"%s\"}",
                     types[i].text, dirs[dir]);
            ev_aw_interaction_started_v1_1_0_0 s;
            evg_error err;
            check_ok(ev_aw_interaction_started_v1_1_0_0_parse(json, strlen(json), &s, NULL, 0, &err), &err, json);
            assert_int_equal(s.interactionType, types[i].value);
            assert_int_equal(s.direction, dir);
            assert_false(s.has_callId || s.has_queueId || s.has_queueName || s.has_customerName ||
                         s.has_customerPhone || s.has_agentName || s.has_agentPhone || s.has_schemaVersion);
            assert_int_equal(ev_aw_interaction_started_v1_1_0_0_serialize(&s, g_out, sizeof g_out, NULL), strlen(json));
            assert_string_equal(g_out, json);
        }
    }
    assert_null(ev_aw_interaction_started_v1_1_0_0_interactionType_name(
        EV_AW_INTERACTION_STARTED_V1_1_0_0_INTERACTIONTYPE_COUNT_));
    assert_null(ev_aw_interaction_started_v1_1_0_0_direction_name(
        (ev_aw_interaction_started_v1_1_0_0_direction)-1));
}

static void test_fields_aw_chat_init(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("aw-chat-init-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_AW_CHAT_INIT_V1_1_0_0);
    const ev_aw_chat_init_v1_1_0_0 *e = &any.u.aw_chat_init_v1_1_0_0;
    str_is(e->interactionId, "interaction-12345");
    assert_int_equal(e->messages.count, 1);
    assert_true(within(e->messages.items, g_arena_buf, sizeof g_arena_buf));
    const ev_chat_message *m = &e->messages.items[0];
    str_is(m->id, "msg-abc123");
    assert_true(m->timestamp == 1746522286592.0);
    str_is(m->type, "text");
    str_is(m->rawMessage, "\"Hi, I need help with my account\"");   /* any: raw JSON text */
    assert_false(m->has_lastUpdatedTimestamp);
    assert_false(m->has_botName);
    assert_false(m->has_msgStatus);
    assert_false(m->has_attachments);
    assert_int_equal(m->attachments.count, 0);
    assert_false(m->has_translatedMessage);
    assert_false(m->translatedMessage_is_null);
    assert_false(m->has_originalMessage);
    assert_true(m->has_displayName);
    str_is(m->displayName, "Customer Name");
    assert_true(m->has_author);
    str_is(m->author.id, "customer-001");
    str_is(m->author.email, "customer@example.com");
    str_is(m->author.name, "Customer Name");
    assert_false(m->has_variables);
    assert_false(m->has_resent);
    assert_true(m->has_isBot);
    assert_false(m->isBot);
    assert_false(m->has_isDeleted);
    assert_true(e->has_schemaVersion);
    free(text);

    /* Every optional member present, rawMessage an object, a null
     * translatedMessage, attachments as the SDK types them (one with image
     * details, one with a null meta), the SDK's meta, two messages. */
    const char *json =
        "{\"interactionId\":\"i\",\"messages\":["
        "{\"id\":\"m1\",\"timestamp\":1.5,\"type\":\"text\",\"rawMessage\":{\"text\":\"hi\",\"lang\":\"en\"},"
        "\"lastUpdatedTimestamp\":1746522286593,\"botName\":\"bot\",\"msgStatus\":\"sent\","
        "\"attachments\":[{\"filename\":\"a.png\",\"id\":\"f1\",\"meta\":{\"originalHeight\":480,\"originalWidth\":640,"
        "\"thumbnailContentType\":\"image/png\"},\"size\":1024,\"thumbnailUrl\":\"https://t/1\",\"type\":\"image\"},"
        "{\"filename\":\"b.pdf\",\"id\":\"f2\",\"meta\":null,\"size\":2,\"type\":\"document\"}],"
        "\"translatedMessage\":null,\"originalMessage\":\"o\","
        "\"displayName\":\"d\",\"author\":{\"id\":\"a\",\"email\":\"e\",\"name\":\"n\"},"
        "\"variables\":{\"k\":\"v\",\"k\\u00e9\":\"w\"},\"resent\":true,\"isBot\":true,\"isDeleted\":false,"
        "\"meta\":{\"app\":\"whatsapp\",\"type\":\"chat\",\"conversation_id\":\"c1\"}},"
        "{\"id\":\"m2\",\"timestamp\":-2,\"type\":\"t\",\"rawMessage\":\"x\",\"translatedMessage\":\"tr\"}]}";
    ev_aw_chat_init_v1_1_0_0 s;
    evg_error err;
    a = fresh_arena();
    check_ok(ev_aw_chat_init_v1_1_0_0_parse(json, strlen(json), &s, &a, 0, &err), &err, json);
    assert_int_equal(s.messages.count, 2);
    m = &s.messages.items[0];
    str_is(m->id, "m1");
    assert_true(m->timestamp == 1.5);
    str_is(m->rawMessage, "{\"text\":\"hi\",\"lang\":\"en\"}");
    assert_true(m->has_lastUpdatedTimestamp);
    assert_true(m->lastUpdatedTimestamp == 1746522286593.0);
    str_is(m->botName, "bot");
    str_is(m->msgStatus, "sent");
    assert_true(m->has_attachments);
    assert_int_equal(m->attachments.count, 2);
    const ev_chat_attachment *at = &m->attachments.items[0];
    str_is(at->filename, "a.png");
    str_is(at->id, "f1");
    assert_true(at->has_meta && !at->meta_is_null);
    assert_true(at->meta.has_originalHeight && at->meta.originalHeight == 480.0);
    assert_true(at->meta.has_originalWidth && at->meta.originalWidth == 640.0);
    str_is(at->meta.thumbnailContentType, "image/png");
    assert_false(at->meta.has_thumbnailHeight || at->meta.has_thumbnailWidth);
    assert_true(at->size == 1024.0);
    assert_true(at->has_thumbnailUrl);
    assert_int_equal(at->type, EV_CHAT_ATTACHMENT_TYPE_IMAGE);
    at = &m->attachments.items[1];
    assert_true(at->has_meta && at->meta_is_null);
    assert_false(at->has_thumbnailUrl);
    assert_int_equal(at->type, EV_CHAT_ATTACHMENT_TYPE_DOCUMENT);
    assert_true(m->has_translatedMessage);
    assert_true(m->translatedMessage_is_null);
    str_is(m->originalMessage, "o");
    str_is(m->displayName, "d");
    str_is(m->author.id, "a");
    str_is(m->author.email, "e");
    str_is(m->author.name, "n");
    assert_true(m->has_variables);
    assert_int_equal(m->variables.count, 2);
    str_is(m->variables.items[0].key, "k");
    str_is(m->variables.items[0].value, "v");
    str_is(m->variables.items[1].key, "k\xc3\xa9");   /* unescaped into the arena */
    str_is(m->variables.items[1].value, "w");
    assert_true(m->has_meta);
    str_is(m->meta.app, "whatsapp");
    str_is(m->meta.type, "chat");
    assert_true(m->meta.has_conversation_id);
    str_is(m->meta.conversation_id, "c1");
    assert_false(m->meta.has_conversation_message_id || m->meta.has_has_cards);
    assert_true(m->has_resent && m->resent);
    assert_true(m->has_isBot && m->isBot);
    assert_true(m->has_isDeleted && !m->isDeleted);
    m = &s.messages.items[1];
    str_is(m->id, "m2");
    assert_true(m->timestamp == -2.0);
    str_is(m->rawMessage, "\"x\"");
    assert_true(m->has_translatedMessage);
    assert_false(m->translatedMessage_is_null);
    str_is(m->translatedMessage, "tr");
    assert_false(m->has_author || m->has_attachments || m->has_isBot);
    assert_false(s.has_schemaVersion);
    size_t n = ev_aw_chat_init_v1_1_0_0_serialize(&s, g_out, sizeof g_out, NULL);
    assert_true(jt_text_equal(json, strlen(json), g_out, n));
}

/* Both versions of the wrap-up codes: nested arrays, description in 1.0.1 only. */
static void test_fields_wrap_up_codes(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    for (int v = 0; v < 2; v++) {
        const ev_wrap_up_code_group_1_0_1 *g1 = NULL;
        const ev_wrap_up_code_group *g0 = NULL;
        const char *version = v ? "1.0.1" : "1.0.0";
        char path[256];
        snprintf(path, sizeof path, "%s/aw-interaction-wrap-up-codes-v1-%s.json", SAMPLES_DIR, version);
        size_t len;
        text = tu_read_file(path, &len);
        assert_non_null(text);
        /* The samples carry no schemaVersion: state it in the payload, where
         * the SDK message carries the event version. */
        size_t min_len, wlen;
        char *min = tu_minify(text, len, &min_len);
        char *versioned = tu_printf(&min_len, "{\"schemaVersion\":\"%s\",%s", version, min + 1);
        free(min);
        min = versioned;
        char *wrapped = tu_wrap(TU_WIRE_SDK_EVENT, "aw-interaction-wrap-up-codes-v1", "1.0.0", min, min_len, &wlen);
        evg_error err;
        a = fresh_arena();
        check_ok(ev_parse_any(wrapped, wlen, &any, &a, 0, &err), &err, wrapped);
        assert_int_equal(any.flags, 0);
        if (v) {
            assert_int_equal(any.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_1);
            const ev_aw_interaction_wrap_up_codes_v1_1_0_1 *e = &any.u.aw_interaction_wrap_up_codes_v1_1_0_1;
            str_is(e->interactionId, "interaction-12345");
            assert_true(e->has_schemaVersion);
            assert_int_equal(e->wrapUpCodes.count, 1);
            g1 = &e->wrapUpCodes.items[0];
        } else {
            assert_int_equal(any.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_0);
            const ev_aw_interaction_wrap_up_codes_v1_1_0_0 *e = &any.u.aw_interaction_wrap_up_codes_v1_1_0_0;
            str_is(e->interactionId, "interaction-12345");
            assert_true(e->has_schemaVersion);
            assert_int_equal(e->wrapUpCodes.count, 1);
            g0 = &e->wrapUpCodes.items[0];
        }
        /* Both versions' groups embed the same base shape, and 1.0.1's items
         * embed 1.0.0's item shape: one check serves both. */
#define CHECK_GROUP(base, item_count, item)                                 \
        do {                                                                \
            const ev_wrap_up_code_group_base *gb = (base);                  \
            const ev_wrap_up_code_item *it = (item);                        \
            assert_true(gb->has_ani);                                       \
            str_is(gb->ani, "1234567890");                                  \
            str_is(gb->assignments.type, "agent");                          \
            assert_int_equal(gb->assignments.list.count, 2);                \
            str_is(gb->assignments.list.items[0], "agent-1");               \
            str_is(gb->assignments.list.items[1], "agent-2");               \
            assert_true(gb->autoSort);                                      \
            str_is(gb->id, "wrap-up-code-1");                               \
            assert_false(gb->isAgentDefault);                               \
            str_is(gb->name, "Wrap-Up Code 1");                             \
            str_is(gb->primaryLang, "en");                                  \
            assert_false(gb->multiChoice);                                  \
            assert_true(gb->reqBeforeOutbound);                             \
            assert_true(gb->required);                                      \
            assert_int_equal((item_count), 1);                              \
            str_is(it->callLineId, "line-1");                               \
            str_is(it->dispositionCode, "code-1");                          \
            str_is(it->wrap_up_code_ref.id, "item-1");                      \
            str_is(it->menuText, "Menu Item 1");                            \
            str_is(it->ordinate, "1");                                      \
            str_is(it->wrap_up_code_ref.parentId, "parent-1");              \
            str_is(it->queueObjId, "queue-1");                              \
            str_is(it->reportText, "Report Text 1");                        \
            str_is(it->shortCodeText, "SC1");                               \
            str_is(it->shortKeyText, "SK1");                                \
            assert_true(it->callBackTime == 60.0);                          \
        } while (0)
        if (v) {
            CHECK_GROUP(&g1->wrap_up_code_group_base, g1->items.count,
                        &g1->items.items[0].wrap_up_code_item);
            assert_true(g1->items.items[0].has_description);
            str_is(g1->items.items[0].description, "description");
        } else {
            CHECK_GROUP(&g0->wrap_up_code_group_base, g0->items.count, &g0->items.items[0]);
        }
#undef CHECK_GROUP
        free(wrapped);
        free(min);
        free(text);
    }

    /* 1.0.0 has no description: with the version stated in the payload, it
     * is an unknown key (skipped, or an error in strict mode). The message's
     * own schemaVersion is the format's, which selects nothing. */
    const char *json =
        "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-wrap-up-codes-v1\","
        "\"value\":{\"schemaVersion\":\"1.0.0\",\"interactionId\":\"i\",\"wrapUpCodes\":[{\"assignments\":{\"type\":\"t\",\"list\":[]},"
        "\"autoSort\":false,\"id\":\"g\",\"isAgentDefault\":true,\"name\":\"n\",\"primaryLang\":\"fr\","
        "\"multiChoice\":true,\"reqBeforeOutbound\":false,\"required\":false,\"items\":[]},"
        "{\"assignments\":{\"type\":\"u\",\"list\":[\"x\"]},\"autoSort\":true,\"id\":\"h\",\"isAgentDefault\":false,"
        "\"name\":\"m\",\"primaryLang\":\"de\",\"multiChoice\":false,\"reqBeforeOutbound\":true,\"required\":true,"
        "\"items\":[{\"id\":\"1\",\"parentId\":\"h\",\"callLineId\":\"c\",\"dispositionCode\":\"d\",\"menuText\":\"m\","
        "\"ordinate\":\"2\",\"queueObjId\":\"q\",\"reportText\":\"r\",\"shortCodeText\":\"s\",\"shortKeyText\":\"k\","
        "\"callBackTime\":0.25,\"description\":\"only in 1.0.1\"}]}]}}}";
    evg_error err;
    a = fresh_arena();
    check_ok(ev_parse_any(json, strlen(json), &any, &a, 0, &err), &err, json);
    assert_int_equal(any.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_0);
    const ev_aw_interaction_wrap_up_codes_v1_1_0_0 *e = &any.u.aw_interaction_wrap_up_codes_v1_1_0_0;
    assert_int_equal(e->wrapUpCodes.count, 2);
    assert_false(e->wrapUpCodes.items[0].wrap_up_code_group_base.has_ani);
    assert_int_equal(e->wrapUpCodes.items[0].wrap_up_code_group_base.assignments.list.count, 0);
    assert_null(e->wrapUpCodes.items[0].wrap_up_code_group_base.assignments.list.items);
    assert_int_equal(e->wrapUpCodes.items[0].items.count, 0);
    str_is(e->wrapUpCodes.items[0].wrap_up_code_group_base.primaryLang, "fr");
    assert_int_equal(e->wrapUpCodes.items[1].wrap_up_code_group_base.assignments.list.count, 1);
    str_is(e->wrapUpCodes.items[1].wrap_up_code_group_base.assignments.list.items[0], "x");
    assert_int_equal(e->wrapUpCodes.items[1].items.count, 1);
    assert_true(e->wrapUpCodes.items[1].items.items[0].callBackTime == 0.25);
    size_t n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_null(strstr(g_out, "description"));
    assert_int_equal(n, strlen(json) - strlen(",\"description\":\"only in 1.0.1\""));
    a = fresh_arena();
    assert_false(ev_parse_any(json, strlen(json), &any, &a, EVG_STRICT, &err));
    assert_int_equal(err.code, EVG_ERR_UNKNOWN_KEY);
    assert_string_equal(err.pointer, "/message/value/wrapUpCodes/1/items/0/description");
    /* The same document as 1.0.1 keeps it. */
    char *v101 = strdup(json);
    memcpy(strstr(v101, "\"value\":{\"schemaVersion\":\"1.0.0") + strlen("\"value\":{\"schemaVersion\":\""), "1.0.1", 5);
    a = fresh_arena();
    check_ok(ev_parse_any(v101, strlen(v101), &any, &a, EVG_STRICT, &err), &err, v101);
    assert_int_equal(any.kind, EV_KIND_AW_INTERACTION_WRAP_UP_CODES_V1_1_0_1);
    const ev_wrap_up_code_item_1_0_1 *it =
        &any.u.aw_interaction_wrap_up_codes_v1_1_0_1.wrapUpCodes.items[1].items.items[0];
    assert_true(it->has_description);
    str_is(it->description, "only in 1.0.1");
    n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_int_equal(n, strlen(v101));   /* the same members; schemaVersion moves to its catalog place */
    assert_true(jt_text_equal(v101, strlen(v101), g_out, n));
    free(v101);
}

/* All 46 call fields and schemaVersion. */
static void test_fields_call_connect(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("call-manager-call-connect-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_CALL_MANAGER_CALL_CONNECT_V1_1_0_0);
    const ev_call_manager_call *c = &any.u.call_manager_call_connect_v1_1_0_0.call_manager_call;
    int fields = 0;
#define NUM(f, v) do { assert_true(c->has_##f); assert_true(c->f == (v)); fields++; } while (0)
#define STR(f, v) do { assert_true(c->has_##f); str_is(c->f, v); fields++; } while (0)
#define BOOL(f, v) do { assert_true(c->has_##f); assert_int_equal(c->f, v); fields++; } while (0)
    NUM(accumulatedMOSLQ, -1.0);
    STR(alertInfoType, "PROTOCOL_ALERT_INFO_UNKNOWN");
    BOOL(allowAdd, false);
    BOOL(allowAlternate, false);
    BOOL(allowAnswer, false);
    BOOL(allowAnswerConf, false);
    BOOL(allowAnswerHold, false);
    BOOL(allowConf, false);
    BOOL(allowDropconf, false);
    BOOL(allowEnd, true);
    BOOL(allowHold, true);
    BOOL(allowJoin, false);
    BOOL(allowMoveToJm, true);
    BOOL(allowNone, false);
    BOOL(allowPark, true);
    BOOL(allowRecord, true);
    BOOL(allowReject, false);
    BOOL(allowRetrieve, false);
    BOOL(allowTransfer, true);
    STR(cSessionId, "27f0da9e-010c-47a8-9c4d-16063ac1e24c");
    NUM(callHoldTime, 0.0);
    STR(callID, "11400c1d000");
    NUM(callIncomingTime, 0.0);
    STR(callParkExt, "");
    NUM(callStartTime, 1771343905.0);
    STR(callUserUUID, "");
    STR(calledDNIS, "");
    BOOL(ccCall, false);
    STR(ccQueueName, "");
    STR(eCallState, "VOC_CALL_CONNECT");
    BOOL(encrypted, true);
    NUM(errorCode, 0.0);
    BOOL(flipCall, false);
    STR(groupType, "CALL_GROUP_TYPE_NONE");
    BOOL(hdAudio, true);
    BOOL(inboundCall, false);
    STR(initialPhoneNumber, "711159");
    STR(jitsiMeetingInviteURL, "");
    STR(name, "");
    STR(phoneNumber, "711159");
    BOOL(recording, false);
    BOOL(restoredCall, false);
    STR(sipCallFromTag, "1140727b400-c4ad-14ece590");
    STR(sipCallID, "515c72df-228078e7c00-14ece55d");
    STR(sipCallToTag, "eccc76a9-a5dc-d15b-9e7c-1aab32c5ca34");
    BOOL(vccAgentCall, false);
    assert_true(any.u.call_manager_call_connect_v1_1_0_0.has_schemaVersion);
    fields++;
    assert_int_equal(fields, 47);
#undef NUM
#undef STR
#undef BOOL
    free(text);

    /* Every field is optional: {} is a call-connect event with none. */
    ev_call_manager_call_connect_v1_1_0_0 empty;
    evg_error err;
    check_ok(ev_call_manager_call_connect_v1_1_0_0_parse("{}", 2, &empty, NULL, 0, &err), &err, "{}");
    static const ev_call_manager_call_connect_v1_1_0_0 zero;
    assert_memory_equal(&empty, &zero, sizeof zero);
    assert_int_equal(ev_call_manager_call_connect_v1_1_0_0_serialize(&empty, g_out, sizeof g_out, NULL), 2);
    assert_string_equal(g_out, "{}");
}

static void test_fields_conference_start(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("call-manager-call-conference-start-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_CALL_MANAGER_CALL_CONFERENCE_START_V1_1_0_0);
    const ev_call_manager_call_conference_start_v1_1_0_0 *e = &any.u.call_manager_call_conference_start_v1_1_0_0;
    assert_true(e->has_schemaVersion);
    assert_int_equal(e->calls.count, 2);
    assert_true(within(e->calls.items, g_arena_buf, sizeof g_arena_buf));
    for (size_t i = 0; i < 2; i++) {
        const ev_call_manager_call *c = &e->calls.items[i];
        bool first = i == 0;
        int fields = 0;
#define NUM(f, v) do { assert_true(c->has_##f); assert_true(c->f == (v)); fields++; } while (0)
#define STR(f, v) do { assert_true(c->has_##f); str_is(c->f, v); fields++; } while (0)
#define BOOL(f, v) do { assert_true(c->has_##f); assert_int_equal(c->f, v); fields++; } while (0)
        NUM(accumulatedMOSLQ, first ? -1.0 : 0.0);
        STR(alertInfoType, "PROTOCOL_ALERT_INFO_UNKNOWN");
        BOOL(allowAdd, false);
        BOOL(allowAlternate, false);
        BOOL(allowAnswer, false);
        BOOL(allowAnswerConf, false);
        BOOL(allowAnswerHold, false);
        BOOL(allowConf, false);
        BOOL(allowDropconf, false);
        BOOL(allowEnd, first);
        BOOL(allowHold, first);
        BOOL(allowJoin, false);
        BOOL(allowMoveToJm, first);
        BOOL(allowNone, false);
        BOOL(allowPark, first);
        BOOL(allowRecord, first);
        BOOL(allowReject, false);
        BOOL(allowRetrieve, false);
        BOOL(allowTransfer, first);
        STR(cSessionId, first ? "27f0da9e-010c-47a8-9c4d-16063ac1e24c" : "");
        NUM(callHoldTime, 0.0);
        STR(callID, first ? "11400c1d000" : "1765242677954");
        NUM(callIncomingTime, 0.0);
        STR(callParkExt, "");
        NUM(callStartTime, first ? 1771343905.0 : 1771343972.0);
        STR(callUserUUID, "");
        STR(calledDNIS, "");
        BOOL(ccCall, false);
        STR(ccQueueName, "");
        STR(eCallState, "VOC_CALL_CONNECT");
        BOOL(encrypted, first);
        NUM(errorCode, 0.0);
        BOOL(flipCall, false);
        STR(groupType, "CALL_GROUP_TYPE_NONE");
        BOOL(hdAudio, first);
        BOOL(inboundCall, false);
        STR(initialPhoneNumber, first ? "711159" : "+711159");
        STR(jitsiMeetingInviteURL, "");
        STR(name, "");
        STR(phoneNumber, first ? "711159" : "+711159");
        BOOL(recording, false);
        BOOL(restoredCall, false);
        STR(sipCallFromTag, first ? "1140727b400-c4ad-14ece590" : "");
        STR(sipCallID, first ? "515c72df-228078e7c00-14ece55d" : "");
        STR(sipCallToTag, first ? "eccc76a9-a5dc-d15b-9e7c-1aab32c5ca34" : "");
        BOOL(vccAgentCall, false);
        assert_int_equal(fields, 46);
#undef NUM
#undef STR
#undef BOOL
    }
    free(text);
}

static void test_fields_email_accepted(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("mashell-email-accepted-cc-event-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_MASHELL_EMAIL_ACCEPTED_CC_EVENT_V1_1_0_0);
    assert_int_equal(tu_wire_of(any.wire), TU_WIRE_MAESTRO);
    assert_int_equal(any.flags, EVG_VERSION_ASSUMED);
    const ev_mashell_email_accepted_cc_event_v1_1_0_0 *e = &any.u.mashell_email_accepted_cc_event_v1_1_0_0;
    str_is(e->maestro_email.maestro_map_event.maestro_event_base.eventId, "eventIDString");
    assert_int_equal(e->maestro_email.maestro_map_event.maestro_event_base.direction, EV_MAESTRO_EVENT_BASE_DIRECTION_INBOUND);
    str_is(e->maestro_email.maestro_map_event.maestro_event_base.searchContext, "test@email.com");
    str_is(e->maestro_email.mainNumberId, "1234");
    assert_true(e->maestro_email.has_childNumberId);
    str_is(e->maestro_email.childNumberId, "");
    str_is(e->maestro_email.url, "http://<vccCssServerURL>/presignedURL");
    assert_true(e->maestro_email.isReplyEmail);
    assert_true(e->maestro_email.isStandAloneTerminated);
    str_is(e->maestro_email.contact.emailAddress, "test@email.com");
    assert_true(e->maestro_email.contact.has_firstName);
    str_is(e->maestro_email.contact.firstName, "");
    assert_true(e->maestro_email.contact.has_lastName);
    str_is(e->maestro_email.contact.lastName, "");
    assert_false(e->has_schemaVersion);
    /* The constants (method, media, eventName) are written back. */
    size_t n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_true(jt_text_equal(text, strlen(text), g_out, n));
    assert_non_null(strstr(g_out, "\"method\":\"mapEvent\""));
    assert_non_null(strstr(g_out, "\"media\":\"email\""));
    assert_non_null(strstr(g_out, "\"eventName\":\"accepted\""));
    free(text);

    /* The contact with only its required member. */
    const char *json =
        "{\"eventType\":\"mashell-email-accepted-cc-event-v1\",\"status\":\"success\",\"data\":{"
        "\"eventId\":\"e\",\"direction\":\"outbound\",\"searchContext\":\"s\",\"method\":\"mapEvent\","
        "\"media\":\"email\",\"mainNumberId\":\"m\",\"url\":\"u\",\"isReplyEmail\":false,"
        "\"isStandAloneTerminated\":false,\"contact\":{\"emailAddress\":\"a@b\"},\"eventName\":\"accepted\","
        "\"schemaVersion\":\"1.0.0\"}}";
    evg_error err;
    a = fresh_arena();
    check_ok(ev_parse_any(json, strlen(json), &any, &a, EVG_STRICT, &err), &err, json);
    assert_int_equal(any.flags, 0);
    e = &any.u.mashell_email_accepted_cc_event_v1_1_0_0;
    assert_int_equal(e->maestro_email.maestro_map_event.maestro_event_base.direction, EV_MAESTRO_EVENT_BASE_DIRECTION_OUTBOUND);
    assert_false(e->maestro_email.has_childNumberId);
    assert_false(e->maestro_email.isReplyEmail);
    assert_false(e->maestro_email.isStandAloneTerminated);
    str_is(e->maestro_email.contact.emailAddress, "a@b");
    assert_false(e->maestro_email.contact.has_firstName);
    assert_false(e->maestro_email.contact.has_lastName);
    assert_true(e->has_schemaVersion);
    n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_int_equal(n, strlen(json));
    assert_string_equal(g_out, json);   /* already canonical: catalog order */
}

static void test_fields_voice_phone_completed(void **state)
{
    (void)state;
    ev_any any;
    evg_arena a = fresh_arena();
    char *text;
    parse_sample_file("mashell-voice-phone-completed-cc-event-v1", "1.0.0", &any, &a, &text);
    assert_int_equal(any.kind, EV_KIND_MASHELL_VOICE_PHONE_COMPLETED_CC_EVENT_V1_1_0_0);
    const ev_mashell_voice_phone_completed_cc_event_v1_1_0_0 *e =
        &any.u.mashell_voice_phone_completed_cc_event_v1_1_0_0;
    str_is(e->maestro_voice_ended.maestro_voice.maestro_map_event.maestro_event_base.eventId, "eventIdString");
    assert_int_equal(e->maestro_voice_ended.maestro_voice.maestro_map_event.maestro_event_base.direction, EV_MAESTRO_EVENT_BASE_DIRECTION_INBOUND);
    str_is(e->maestro_voice_ended.maestro_voice.maestro_map_event.maestro_event_base.searchContext, "+1234567890");
    str_is(e->maestro_voice_ended.maestro_call_end.maestro_call_start.startTime, "1751445666638");
    str_is(e->maestro_voice_ended.maestro_call_end.endTime, "1751445695892");
    str_is(e->maestro_voice_ended.maestro_call_end.callDuration, "00:00:22");
    assert_true(e->maestro_voice_ended.maestro_call_recording.has_callRecording);
    str_is(e->maestro_voice_ended.maestro_call_recording.callRecording, "");
    assert_true(e->maestro_voice_ended.maestro_call_recording.hasRecording);
    assert_true(e->has_additionalData);
    assert_true(e->additionalData.has_notes);
    str_is(e->additionalData.notes, "");
    assert_false(e->has_schemaVersion);
    free(text);

    /* additionalData is left out when there are no notes; so is callRecording. */
    const char *json =
        "{\"eventType\":\"mashell-voice-phone-completed-cc-event-v1\",\"status\":\"success\",\"data\":{"
        "\"eventId\":\"e\",\"direction\":\"outbound\",\"searchContext\":\"s\",\"method\":\"mapEvent\","
        "\"media\":\"phone\",\"startTime\":\"1\",\"endTime\":\"2\",\"callDuration\":\"01:02:03\","
        "\"hasRecording\":false,\"eventName\":\"completed\"}}";
    evg_error err;
    a = fresh_arena();
    check_ok(ev_parse_any(json, strlen(json), &any, &a, 0, &err), &err, json);
    e = &any.u.mashell_voice_phone_completed_cc_event_v1_1_0_0;
    str_is(e->maestro_voice_ended.maestro_call_end.callDuration, "01:02:03");
    assert_false(e->maestro_voice_ended.maestro_call_recording.has_callRecording);
    assert_false(e->maestro_voice_ended.maestro_call_recording.hasRecording);
    assert_false(e->has_additionalData);
    size_t n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_int_equal(n, strlen(json));
    assert_string_equal(g_out, json);
    /* additionalData present but empty: notes is optional inside it. */
    char *with = tu_printf(NULL, "%.*s,\"additionalData\":{}}}", (int)(strlen(json) - 2), json);
    a = fresh_arena();
    check_ok(ev_parse_any(with, strlen(with), &any, &a, 0, &err), &err, with);
    assert_true(any.u.mashell_voice_phone_completed_cc_event_v1_1_0_0.has_additionalData);
    assert_false(any.u.mashell_voice_phone_completed_cc_event_v1_1_0_0.additionalData.has_notes);
    n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_string_equal(g_out, with);
    free(with);
}

/* A send event, in the request envelope it is sent in: it must carry its
 * schemaVersion (integration guide), which the published sample leaves out. */
static void test_fields_chat_message_received(void **state)
{
    (void)state;
    const char *json =
        "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
        "\"value\":{\"name\":\"aw-chat-message-received-v1\",\"data\":"
        "{\"interactionId\":\"cognigy\",\"message\":\"Hello from Cognigy!\",\"schemaVersion\":\"1.0.0\"}}}}";
    ev_any any;
    evg_error err;
    evg_arena a = fresh_arena();
    check_ok(ev_parse_any(json, strlen(json), &any, &a, 0, &err), &err, json);
    assert_int_equal(any.kind, EV_KIND_AW_CHAT_MESSAGE_RECEIVED_V1_1_0_0);
    assert_int_equal(tu_wire_of(any.wire), TU_WIRE_SDK_REQUEST);
    assert_int_equal(any.event->direction, EVG_DIRECTION_SEND);
    assert_true(any.event->version_required);
    assert_int_equal(any.flags, 0);
    const ev_aw_chat_message_received_v1_1_0_0 *e = &any.u.aw_chat_message_received_v1_1_0_0;
    str_is(e->interactionId, "cognigy");
    str_is(e->message, "Hello from Cognigy!");
    assert_true(within(e->message.ptr, json, strlen(json)));
    /* The canonical request adds the message-format version at the top. */
    size_t n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_string_equal(g_out,
                        "{\"type\":\"request\",\"schemaVersion\":\"1.0.0\",\"message\":{\"action\":\"sendEvent\","
                        "\"namespace\":\"system\",\"value\":{\"name\":\"aw-chat-message-received-v1\",\"data\":"
                        "{\"interactionId\":\"cognigy\",\"message\":\"Hello from Cognigy!\",\"schemaVersion\":\"1.0.0\"}}}}");
    assert_int_equal(n, strlen(g_out));

    /* Keys in another order, strict mode. */
    const char *json2 =
        "{\"message\":{\"value\":{\"data\":{\"schemaVersion\":\"1.0.0\",\"message\":\"m\",\"interactionId\":\"i\"},"
        "\"name\":\"aw-chat-message-received-v1\"},\"namespace\":\"system\",\"action\":\"sendEvent\"},\"type\":\"request\"}";
    a = fresh_arena();
    check_ok(ev_parse_any(json2, strlen(json2), &any, &a, EVG_STRICT, &err), &err, json2);
    assert_int_equal(any.flags, 0);
    n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    /* Canonical: catalog order, and the format version it lacked. */
    assert_string_equal(g_out,
                        "{\"type\":\"request\",\"schemaVersion\":\"1.0.0\",\"message\":{\"action\":\"sendEvent\","
                        "\"namespace\":\"system\",\"value\":{\"name\":\"aw-chat-message-received-v1\",\"data\":"
                        "{\"interactionId\":\"i\",\"message\":\"m\",\"schemaVersion\":\"1.0.0\"}}}}");
    assert_int_equal(n, strlen(g_out));

    /* The samples as published, without schemaVersion, are rejected: by
     * routing (the version is required) and by the payload parser. */
    static const char *const sends[] = {"aw-chat-message-received-v1", "aw-interaction-wrap-up-codes-received-v1"};
    for (size_t i = 0; i < 2; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/upstream-as-published/%s-1.0.0.json", SAMPLES_DIR, sends[i]);
        size_t len, min_len, wlen;
        char *text = tu_read_file(path, &len);
        assert_non_null(text);
        char *min = tu_minify(text, len, &min_len);
        char *wrapped = tu_wrap(TU_WIRE_SDK_REQUEST, sends[i], NULL, min, min_len, &wlen);
        a = fresh_arena();
        assert_false(ev_parse_any(wrapped, wlen, &any, &a, 0, &err));
        assert_int_equal(err.code, EVG_ERR_VERSION_MISSING);
        assert_string_equal(err.pointer, "/message/value/data");
        assert_int_equal(err.offset, (size_t)(strstr(wrapped, "\"data\":") + 7 - wrapped));
        a = fresh_arena();
        assert_false(ev_parse_bare(event_of(sends[i]), text, len, &any, &a, 0, &err));
        assert_int_equal(err.code, EVG_ERR_VERSION_MISSING);
        assert_string_equal(err.pointer, "");
        static char typed[4096];
        a = fresh_arena();
        const evg_version_info *v = version_of(sends[i], "1.0.0");
        assert_false(evg_parse_payload_document(text, len, v->parse, typed, v->struct_size, &a, 0, &err));
        assert_int_equal(err.code, EVG_ERR_MISSING);
        assert_string_equal(err.pointer, "/schemaVersion");
        free(wrapped);
        free(min);
        free(text);
    }
}

/* The page's voicemail-accepted sample is a voice-phone accepted event. */
static void test_upstream_voicemail_accepted(void **state)
{
    (void)state;
    size_t len;
    char *text = tu_read_file(SAMPLES_DIR "/upstream-as-published/mashell-voicemail-accepted-cc-event-v1-1.0.0.json", &len);
    assert_non_null(text);
    ev_any any;
    evg_error err;
    evg_arena a = fresh_arena();
    check_ok(ev_parse_any(text, len, &any, &a, 0, &err), &err, "upstream voicemail accepted");
    assert_int_equal(any.kind, EV_KIND_MASHELL_VOICE_PHONE_ACCEPTED_CC_EVENT_V1_1_0_0);
    assert_string_equal(any.event->name, "mashell-voice-phone-accepted-cc-event-v1");
    const ev_mashell_voice_phone_accepted_cc_event_v1_1_0_0 *e = &any.u.mashell_voice_phone_accepted_cc_event_v1_1_0_0;
    str_is(e->maestro_voice.maestro_map_event.maestro_event_base.eventId, "eventIdString");
    assert_int_equal(e->maestro_voice.maestro_map_event.maestro_event_base.direction, EV_MAESTRO_EVENT_BASE_DIRECTION_INBOUND);
    str_is(e->maestro_voice.maestro_map_event.maestro_event_base.searchContext, "+1234567890");
    size_t n = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
    assert_true(jt_text_equal(text, len, g_out, n));
    /* Read as what its file name says, it is not a voicemail event: media is
     * 'phone' and callingName is missing. */
    static char typed[4096];
    const evg_version_info *vm = version_of("mashell-voicemail-accepted-cc-event-v1", "1.0.0");
    a = fresh_arena();
    assert_true(vm->struct_size <= sizeof typed);
    assert_false(ev_mashell_voicemail_accepted_cc_event_v1_1_0_0_parse_wire(
        text, len, (ev_mashell_voicemail_accepted_cc_event_v1_1_0_0 *)(void *)typed, &a, 0, &err));
    assert_int_equal(err.code, EVG_ERR_CONST);
    assert_string_equal(err.pointer, "/eventType");
    jt_node *t = jt_parse(text, len);
    char *data = jt_write(jt_get(t, "data"), 0, &n);
    a = fresh_arena();
    assert_false(ev_mashell_voicemail_accepted_cc_event_v1_1_0_0_parse(
        data, n, (ev_mashell_voicemail_accepted_cc_event_v1_1_0_0 *)(void *)typed, &a, 0, &err));
    assert_int_equal(err.code, EVG_ERR_CONST);
    assert_string_equal(err.pointer, "/media");
    assert_string_equal(err.message, "expected \"voicemail\"");
    free(data);
    jt_free(t);
    free(text);
}

/* MARK: strings ------------------------------------------------------------ */

static void test_zero_copy_and_unescape(void **state)
{
    (void)state;
    const char *json =
        "{\"firstName\":\"plain\",\"lastName\":\"caf\\u00e9\",\"name\":\"\\ud83d\\ude00!\","
        "\"userId\":\"a\\nb\\/c\\\\d\\\"e\\tf\\bg\\fh\\ri\",\"customerId\":\"\\u0000\\u001f\\u007f\","
        "\"loginId\":\"\\u20AC\\uFFFF\",\"jobTitle\":\"raw \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
        "\"email\":\"\\\"\",\"language\":\"\"}";
    size_t len = strlen(json);
    char *input = malloc(len);   /* exactly the document: ASan sees any over-read */
    memcpy(input, json, len);
    static char buf[1024];
    evg_arena a;
    evg_arena_init(&a, buf, sizeof buf);
    ev_global_user_details_v1_1_0_0 e;
    evg_error err;
    check_ok(ev_global_user_details_v1_1_0_0_parse(input, len, &e, &a, 0, &err), &err, json);

    /* Without escapes: a view of the input, not a copy. */
    assert_true(within(e.firstName.ptr, input, len));
    assert_ptr_equal(e.firstName.ptr, input + strlen("{\"firstName\":\""));
    str_is(e.firstName, "plain");
    assert_true(within(e.jobTitle.ptr, input, len));
    str_is(e.jobTitle, "raw \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80");
    assert_int_equal(e.language.len, 0);
    /* With escapes: decoded into the arena. */
    assert_true(within(e.lastName.ptr, buf, sizeof buf));
    str_is(e.lastName, "caf\xc3\xa9");
    assert_true(within(e.name.ptr, buf, sizeof buf));
    str_is(e.name, "\xf0\x9f\x98\x80!");
    assert_true(within(e.userId.ptr, buf, sizeof buf));
    str_is(e.userId, "a\nb/c\\d\"e\tf\bg\fh\ri");
    assert_true(within(e.customerId.ptr, buf, sizeof buf));
    assert_int_equal(e.customerId.len, 3);
    assert_memory_equal(e.customerId.ptr, "\0\x1f\x7f", 3);
    str_is(e.loginId, "\xe2\x82\xac\xef\xbf\xbf");
    str_is(e.email, "\"");
    /* The arena holds exactly the decoded bytes, one after the other. */
    assert_int_equal(a.used, strlen("caf\xc3\xa9") + strlen("\xf0\x9f\x98\x80!") +
                                 strlen("a\nb/c\\d\"e\tf\bg\fh\ri") + 3 + 6 + 1);

    /* Serialized: control characters, quotes and backslashes escaped, the
     * rest (including '/', DEL and UTF-8) written as is. */
    size_t n = ev_global_user_details_v1_1_0_0_serialize(&e, g_out, sizeof g_out, NULL);
    assert_string_equal(g_out,
                        "{\"firstName\":\"plain\",\"lastName\":\"caf\xc3\xa9\",\"name\":\"\xf0\x9f\x98\x80!\","
                        "\"userId\":\"a\\nb/c\\\\d\\\"e\\tf\\bg\\fh\\ri\",\"customerId\":\"\\u0000\\u001f\x7f\","
                        "\"loginId\":\"\xe2\x82\xac\xef\xbf\xbf\",\"jobTitle\":\"raw \xc3\xa9 \xe2\x82\xac \xf0\x9f\x98\x80\","
                        "\"email\":\"\\\"\",\"language\":\"\"}");
    assert_int_equal(n, strlen(g_out));
    assert_true(jt_text_equal(json, len, g_out, n));
    free(input);

    /* Keys may be escaped too; they are matched after unescaping. */
    const char *k = "{\"interaction\\u0049d\":\"x\"}";
    ev_aw_interaction_ended_v1_1_0_0 x;
    check_ok(ev_aw_interaction_ended_v1_1_0_0_parse(k, strlen(k), &x, NULL, 0, &err), &err, k);
    str_is(x.interactionId, "x");
    assert_ptr_equal(x.interactionId.ptr, k + strlen(k) - 3);
}

/* Every control character is escaped; the output parses back to the same bytes. */
static void test_serializer_escaping(void **state)
{
    (void)state;
    char raw[40];
    size_t n = 0;
    for (int c = 0; c < 0x20; c++)
        raw[n++] = (char)c;
    raw[n++] = '"';
    raw[n++] = '\\';
    raw[n++] = '/';
    raw[n++] = 0x7f;
    ev_aw_interaction_ended_v1_1_0_0 e = {{raw, n}, false};
    size_t len = ev_aw_interaction_ended_v1_1_0_0_serialize(&e, g_out, sizeof g_out, NULL);
    assert_string_equal(g_out,
                        "{\"interactionId\":\"\\u0000\\u0001\\u0002\\u0003\\u0004\\u0005\\u0006\\u0007"
                        "\\b\\t\\n\\u000b\\f\\r\\u000e\\u000f\\u0010\\u0011\\u0012\\u0013\\u0014\\u0015"
                        "\\u0016\\u0017\\u0018\\u0019\\u001a\\u001b\\u001c\\u001d\\u001e\\u001f\\\"\\\\/\x7f\"}");
    ev_aw_interaction_ended_v1_1_0_0 back;
    evg_error err;
    static char buf[256];
    evg_arena a;
    evg_arena_init(&a, buf, sizeof buf);
    check_ok(ev_aw_interaction_ended_v1_1_0_0_parse(g_out, len, &back, &a, 0, &err), &err, g_out);
    assert_int_equal(back.interactionId.len, n);
    assert_memory_equal(back.interactionId.ptr, raw, n);
}

/* MARK: serializer --------------------------------------------------------- */

/* snprintf: cap 0 writes nothing and returns the length; any smaller cap
 * writes a NUL-terminated prefix and returns the same length. Checked on
 * every sample, for every cap, with exact-size buffers (ASan). */
static void test_serializer_snprintf(void **state)
{
    (void)state;
    size_t n, checked = 0, expected = 0;
    tu_sample *s = tu_load_samples(&n);
    for (size_t i = 0; i < n; i++) {
        ev_any any;
        evg_error err;
        evg_arena a = fresh_arena();
        bool ok = tu_home_wire(s[i].info) == TU_WIRE_MAESTRO
                      ? ev_parse_any(s[i].text, s[i].len, &any, &a, 0, &err)
                      : ev_parse_bare(event_of(s[i].info->event), s[i].text, s[i].len, &any, &a, 0, &err);
        check_ok(ok, &err, s[i].file);
        size_t full = ev_serialize_any(&any, g_out, sizeof g_out, NULL);
        expected += full + 1;
        char canary = 'Z';
        assert_int_equal(ev_serialize_any(&any, NULL, 0, NULL), full);
        assert_int_equal(ev_serialize_any(&any, &canary, 0, NULL), full);
        assert_int_equal(canary, 'Z');
        for (size_t cap = 1; cap <= full + 1; cap++) {
            char *buf = malloc(cap);
            memset(buf, 'Z', cap);
            assert_int_equal(ev_serialize_any(&any, buf, cap, NULL), full);
            size_t written = cap - 1 < full ? cap - 1 : full;
            assert_int_equal(buf[written], '\0');
            assert_memory_equal(buf, g_out, written);
            free(buf);
            checked++;
        }
        /* The typed serializers follow the same convention. */
        evg_writer w;
        char small[8];
        evg_writer_init(&w, small, sizeof small, NULL);
        bool typed_ok = any.info->write(&w, &any.u);
        size_t typed = evg_writer_finish(&w, typed_ok);
        assert_int_equal(small[7], '\0');
        if (!any.wire)
            assert_int_equal(typed, full);
    }
    assert_int_equal(checked, expected);
    assert_true(checked > 20000);
    tu_free_samples(s, n);

    /* The error formatter too. */
    evg_error err = {.code = EVG_ERR_ENUM, .offset = 87, .message = "expected \"inbound\" or \"outbound\"",
                     .pointer = "/data/direction"};
    char buf[16];
    const char *want = "ENUM: /data/direction: expected \"inbound\" or \"outbound\" (offset 87)";
    assert_int_equal(evg_error_format(&err, NULL, 0), strlen(want));
    assert_int_equal(evg_error_format(&err, buf, sizeof buf), strlen(want));
    assert_string_equal(buf, "ENUM: /data/dir");
}

/* Numbers come back as the same double; integers are written without a
 * fraction or exponent. */
static void test_serializer_numbers(void **state)
{
    (void)state;
    static const struct { double v; const char *text; } cases[] = {
        {1746522286592.0, "1746522286592"},
        {-1.0, "-1"},
        {0.0, "0"},
        {0.1, "0.1"},
        {-2.5, "-2.5"},
        {1e300, NULL},
        {-1e300, NULL},
        {5e-324, NULL},
        {2.2250738585072014e-308, NULL},
        {1.7976931348623157e308, NULL},
        {9007199254740993.0, NULL},
        {123456789012345678.0, NULL},
        {0.30000000000000004, "0.30000000000000004"},
        {1e21, NULL},
        {2.5e-5, NULL},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        ev_call_manager_call_connect_v1_1_0_0 c;
        memset(&c, 0, sizeof c);
        c.call_manager_call.has_accumulatedMOSLQ = true;
        c.call_manager_call.accumulatedMOSLQ = cases[i].v;
        size_t n = ev_call_manager_call_connect_v1_1_0_0_serialize(&c, g_out, sizeof g_out, NULL);
        assert_int_equal(n, strlen(g_out));
        const char *num = g_out + strlen("{\"accumulatedMOSLQ\":");
        if (cases[i].text) {
            char want[64];
            snprintf(want, sizeof want, "%s}", cases[i].text);
            assert_string_equal(num, want);
        }
        /* Valid JSON, and the same double when read back by us and by strtod. */
        jt_node *t = jt_parse(g_out, n);
        assert_non_null(t);
        jt_free(t);
        ev_call_manager_call_connect_v1_1_0_0 back;
        evg_error err;
        check_ok(ev_call_manager_call_connect_v1_1_0_0_parse(g_out, n, &back, NULL, 0, &err), &err, g_out);
        assert_true(back.call_manager_call.has_accumulatedMOSLQ);
        if (memcmp(&back.call_manager_call.accumulatedMOSLQ, &cases[i].v, sizeof(double)) != 0)
            fail_msg("%.17g was written as %s and read back as %.17g", cases[i].v, num, back.call_manager_call.accumulatedMOSLQ);
        assert_true(strtod(num, NULL) == cases[i].v);
        /* And writing it again gives the same text. */
        assert_int_equal(ev_call_manager_call_connect_v1_1_0_0_serialize(&back, g_out2, sizeof g_out2, NULL), n);
        assert_string_equal(g_out2, g_out);
    }
    /* Parsing: the same doubles from several spellings. */
    static const struct { const char *text; double v; } spellings[] = {
        {"1e2", 100.0}, {"1E+2", 100.0}, {"100.000", 100.0}, {"-0.5e1", -5.0}, {"0.1e-0", 0.1},
        {"5e-324", 5e-324}, {"1e300", 1e300}, {"123456789012345678901234567890", 1.2345678901234568e29},
        {"0.000000000000000000001", 1e-21}, {"2.2250738585072011e-308", 2.2250738585072011e-308},
    };
    for (size_t i = 0; i < sizeof spellings / sizeof *spellings; i++) {
        char json[128];
        snprintf(json, sizeof json, "{\"callHoldTime\":%s}", spellings[i].text);
        ev_call_manager_call_connect_v1_1_0_0 back;
        evg_error err;
        check_ok(ev_call_manager_call_connect_v1_1_0_0_parse(json, strlen(json), &back, NULL, 0, &err), &err, json);
        if (back.call_manager_call.callHoldTime != spellings[i].v)
            fail_msg("%s read as %.17g, not %.17g", spellings[i].text, back.call_manager_call.callHoldTime, spellings[i].v);
    }
}

/* `any` values keep their content and lose their insignificant whitespace. */
static void test_serializer_any_compacted(void **state)
{
    (void)state;
    const char *json =
        "{ \"id\" : \"m\" , \"timestamp\" : 1 , \"type\" : \"t\" ,\n"
        "  \"rawMessage\" : {\n\t\"a\" : [ 1 , 2.50 , true , null ] ,\r\n \"b\" : \"x  y\\\" } \" } ,\n"
        "  \"variables\" : { } ,\n  \"interactionId\" : \"ignored: unknown here\" }";
    ev_chat_message m;
    /* Parse the message object on its own, through its sent event. */
    char *doc = tu_printf(NULL, "{\"interactionId\":\"i\",\"message\":%s}", json);
    ev_aw_chat_message_sent_v1_1_0_0 e;
    evg_error err;
    check_ok(ev_aw_chat_message_sent_v1_1_0_0_parse(doc, strlen(doc), &e, NULL, 0, &err), &err, doc);
    m = e.message;
    str_is(m.rawMessage, "{\n\t\"a\" : [ 1 , 2.50 , true , null ] ,\r\n \"b\" : \"x  y\\\" } \" }");
    assert_true(within(m.rawMessage.ptr, doc, strlen(doc)));
    assert_true(m.has_variables);
    assert_int_equal(m.variables.count, 0);
    size_t n = ev_aw_chat_message_sent_v1_1_0_0_serialize(&e, g_out, sizeof g_out, NULL);
    assert_string_equal(g_out,
                        "{\"interactionId\":\"i\",\"message\":{\"id\":\"m\",\"timestamp\":1,\"type\":\"t\","
                        "\"rawMessage\":{\"a\":[1,2.50,true,null],\"b\":\"x  y\\\" } \"},\"variables\":{}}}");
    assert_int_equal(n, strlen(g_out));
    free(doc);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_sample_inventory),
        cmocka_unit_test(test_sample_roundtrip),
        cmocka_unit_test(test_shared_call_type),
        cmocka_unit_test(test_sample_version_assumed),
        cmocka_unit_test(test_fields_global_user_details),
        cmocka_unit_test(test_fields_aw_interaction_started),
        cmocka_unit_test(test_fields_aw_chat_init),
        cmocka_unit_test(test_fields_wrap_up_codes),
        cmocka_unit_test(test_fields_call_connect),
        cmocka_unit_test(test_fields_conference_start),
        cmocka_unit_test(test_fields_email_accepted),
        cmocka_unit_test(test_fields_voice_phone_completed),
        cmocka_unit_test(test_fields_chat_message_received),
        cmocka_unit_test(test_upstream_voicemail_accepted),
        cmocka_unit_test(test_zero_copy_and_unescape),
        cmocka_unit_test(test_serializer_escaping),
        cmocka_unit_test(test_serializer_snprintf),
        cmocka_unit_test(test_serializer_numbers),
        cmocka_unit_test(test_serializer_any_compacted),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
