/* test_rt_envelope_regressions.c - defects found while writing
 * test_rt_dispatch.c and test_rt_evdecode.c, each kept as the test that
 * showed it: strict mode at every envelope level, duplicate routing keys,
 * fallback named only in the payload, a failed envelope of a non-Maestro
 * event, pointers of VERSION_MISSING and of nested routing values, the
 * EVG_MAX_ITEMS limit, the root pointer's text, and evdecode's one-line
 * errors, --date digits and read errors. All are fixed.
 *
 * Since issue 7 (wires as catalog data) the expectations are those of the
 * new router: the wire is the first one the document fits, strict mode
 * rejects every key of the chosen wire's levels that is not one of its
 * members (other wires' members included), the event version is the
 * payload's own schemaVersion (the Partner SDK top-level one is the
 * message-format version "1.0.0"), and send events must carry it. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "dispatch.h"

static char arena_mem[1 << 24];

typedef struct outcome {
    bool ok;
    ev_any ev;
    evg_error err;
} outcome;

static outcome parse(const char *json, unsigned flags)
{
    outcome o;
    evg_arena a;
    evg_arena_init(&a, arena_mem, sizeof arena_mem);
    o.ok = ev_parse_any(json, strlen(json), &o.ev, &a, flags, &o.err);
    if (!o.ok)
        print_message("  got: %s: %s: %s (offset %zu)\n", evg_code_name(o.err.code), o.err.pointer,
                      o.err.message, o.err.offset);
    return o;
}

static void expect_error(const char *json, unsigned flags, evg_code code, const char *pointer, size_t offset)
{
    outcome o = parse(json, flags);
    if (o.ok)
        fail_msg("parsed (kind %d); expected %s %s (offset %zu)", (int)o.ev.kind, evg_code_name(code), pointer,
                 offset);
    assert_string_equal(evg_code_name(o.err.code), evg_code_name(code));
    assert_string_equal(o.err.pointer, pointer);
    assert_int_equal(o.err.offset, offset);
}

static size_t at(const char *json, const char *needle)
{
    const char *p = strstr(json, needle);
    assert_non_null(p);
    return (size_t)(p - json);
}

/* Runs build/evdecode-san through the shell; returns the exit status. */
static int evdecode(const char *input_printf_arg, const char *args, char *out, size_t cap)
{
    char cmd[1024];
    snprintf(cmd, sizeof cmd, "printf '%s' | build/evdecode-san %s 2>/dev/null", input_printf_arg, args);
    FILE *p = popen(cmd, "r");
    assert_non_null(p);
    size_t n = fread(out, 1, cap - 1, p);
    out[n] = '\0';
    int st = pclose(p);
    return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* 1. Strict mode accepts unknown keys below the envelope's top level, and
 *    keys of the other wire's envelope at the top level. */
static void test_strict_unknown_envelope_keys(void **state)
{
    (void)state;
    const char *in_message = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                             "\"aw-interaction-hold-v1\",\"x\":1,\"value\":{\"interactionId\":\"a\"}}}";
    expect_error(in_message, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/x", at(in_message, "1,\"value\""));

    const char *action_in_event = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                                  "\"aw-interaction-hold-v1\",\"action\":\"sendEvent\",\"value\":{\"interactionId\":\"a\"}}}";
    expect_error(action_in_event, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/action",
                 at(action_in_event, "\"sendEvent\""));

    const char *in_request_value = "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
                                   "\"value\":{\"name\":\"aw-chat-message-received-v1\",\"x\":1,\"data\":{\"interactionId\":"
                                   "\"c\",\"message\":\"m\",\"schemaVersion\":\"1.0.0\"}}}}";
    expect_error(in_request_value, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/message/value/x",
                 at(in_request_value, "1,\"data\""));

    const char *status_in_sdk = "{\"type\":\"event\",\"status\":\"success\",\"schemaVersion\":\"1.0.0\",\"message\":"
                                "{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}}";
    expect_error(status_in_sdk, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/status", at(status_in_sdk, "\"success\""));

    const char *data_in_sdk = "{\"type\":\"event\",\"data\":{},\"schemaVersion\":\"1.0.0\",\"message\":"
                              "{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}}";
    expect_error(data_in_sdk, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/data", at(data_in_sdk, "{}"));

    static const char maestro_data[] =
        "{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
        "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"searchContext\":\"x\",\"additionalData\":{\"name\":\"n\"},"
        "\"schemaVersion\":\"1.0.0\"}";
    static const char *const extra[][2] = {
        {"\"schemaVersion\":\"banana\",", "/schemaVersion"},
        {"\"type\":\"event\",", "/type"},
        {"\"message\":{},", "/message"},
        {"\"family\":\"external\",", "/family"},     /* the directive's */
        {"\"content\":{},", "/content"},
    };
    for (size_t i = 0; i < sizeof extra / sizeof *extra; i++) {
        char doc[1024];
        snprintf(doc, sizeof doc, "{\"eventType\":\"mashell-chat-offered-cc-event-v1\",%s\"status\":\"success\",\"data\":%s}",
                 extra[i][0], maestro_data);
        const char *value = strchr(doc + strlen("{\"eventType\":\"mashell-chat-offered-cc-event-v1\",") , ':') + 1;
        expect_error(doc, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, extra[i][1], (size_t)(value - doc));
        /* ... and skipped when not strict: still the Maestro envelope. */
        outcome o = parse(doc, 0);
        assert_true(o.ok);
        assert_string_equal(o.ev.wire->name, "maestro");
    }

    /* The directive's level knows only its own members. */
    const char *status_in_directive = "{\"eventName\":\"maEvent\",\"status\":\"success\",\"family\":\"external\","
                                      "\"content\":{\"eventName\":\"startCall\",\"method\":\"mapDirective\","
                                      "\"phoneNumber\":\"+1\"},\"schemaVersion\":\"1.0.0\"}";
    assert_true(parse(status_in_directive, 0).ok);
    expect_error(status_in_directive, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/status",
                 at(status_in_directive, "\"success\""));
    /* eventName at the top of an SDK message is the directive's member. */
    const char *name_in_sdk = "{\"type\":\"event\",\"eventName\":\"x\",\"schemaVersion\":\"1.0.0\",\"message\":"
                              "{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}}";
    assert_true(parse(name_in_sdk, 0).ok);
    expect_error(name_in_sdk, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/eventName", at(name_in_sdk, "\"x\""));
}

/* 2. Duplicate envelope keys were accepted, the last one winning, where
 *    every payload object reports DUPLICATE. One document, two readings:
 *    a JSON parser that keeps the first key sees aw-interaction-mute-v1.
 *    Now DUPLICATE, at the second key's value. */
static void test_duplicate_envelope_keys(void **state)
{
    (void)state;
    const char *two_messages =
        "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\","
        "\"message\":{\"eventName\":\"aw-interaction-mute-v1\",\"value\":{\"interactionId\":\"a\"}},"
        "\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"b\"}}}";
    size_t second = at(two_messages, "},\"message\":") + 12;
    expect_error(two_messages, 0, EVG_ERR_DUPLICATE, "/message", second);
    /* The per-event wire parser shares the scanner, and the bug. */
    ev_aw_interaction_hold_v1_1_0_0 hold;
    evg_error err;
    assert_false(ev_aw_interaction_hold_v1_1_0_0_parse_wire(two_messages, strlen(two_messages), &hold, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_DUPLICATE);

    const char *two_names = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                            "\"aw-interaction-mute-v1\",\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"b\"}}}";
    expect_error(two_names, 0, EVG_ERR_DUPLICATE, "/message/eventName", at(two_names, "\"aw-interaction-hold-v1\""));
    const char *two_versions = "{\"type\":\"event\",\"schemaVersion\":\"2.0.0\",\"schemaVersion\":\"1.0.0\",\"message\":"
                               "{\"eventName\":\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}}";
    expect_error(two_versions, 0, EVG_ERR_DUPLICATE, "/schemaVersion", at(two_versions, "\"1.0.0\""));
    /* Two statuses would be two wires: the success envelope and its failed form. */
    const char *two_statuses = "{\"eventType\":\"mashell-chat-nextgen-terminated-cc-event-v1\",\"status\":\"success\","
                               "\"status\":\"failed\",\"data\":{\"eventName\":\"x\",\"error\":\"UNSUPPORTED_SCHEMA_VERSION\","
                               "\"schemaVersion\":\"2.0.0\",\"allowedSchemaVersions\":[\"1.0.0\"]}}";
    expect_error(two_statuses, 0, EVG_ERR_DUPLICATE, "/status", at(two_statuses, "\"failed\""));
    /* The payload's version is read by the router and the payload parser alike. */
    const char *two_payload_versions = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                                       "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"2.0.0\","
                                       "\"schemaVersion\":\"1.0.0\"}}}";
    expect_error(two_payload_versions, 0, EVG_ERR_DUPLICATE, "/message/value/schemaVersion",
                 at(two_payload_versions, "\"1.0.0\""));
}

/* 3. Fallback never works when the version comes from the payload: the
 *    payload's own const schemaVersion rejects the version it fell back from. */
static void test_fallback_from_payload_version(void **state)
{
    (void)state;
    const char *maestro = "{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"success\",\"data\":"
                          "{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
                          "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"searchContext\":\"x\","
                          "\"additionalData\":{\"name\":\"n\"},\"schemaVersion\":\"1.0.3\"}}";
    outcome o = parse(maestro, 0);
    assert_true(o.ok);   /* was: CONST /data/schemaVersion: expected "1.0.0" */
    assert_int_equal(o.ev.flags, EVG_FALLBACK);
    assert_int_equal(o.ev.kind, EV_KIND_MASHELL_CHAT_OFFERED_CC_EVENT_V1_1_0_0);

    const char *sdk = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":"
                      "{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.3\"}}}";
    o = parse(sdk, 0);
    assert_true(o.ok);
    assert_int_equal(o.ev.flags, EVG_FALLBACK);
    /* Written as the version it was parsed as, in the payload. */
    char buf[512];
    ev_serialize_any(&o.ev, buf, sizeof buf, NULL);
    assert_string_equal(buf, "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                             "\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.0\"}}}");
    /* With the message-format version outside, the same. */
    const char *with_format = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                              "\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.3\"}}}";
    o = parse(with_format, 0);
    assert_true(o.ok);
    assert_int_equal(o.ev.flags, EVG_FALLBACK);
}

/* 4. A failed envelope is taken as a Maestro failure whatever event its
 *    eventType names, even a Partner SDK one. */
static void test_failed_envelope_of_sdk_event(void **state)
{
    (void)state;
    const char *doc = "{\"eventType\":\"aw-interaction-hold-v1\",\"status\":\"failed\",\"data\":{\"eventName\":\"x\","
                      "\"error\":\"UNSUPPORTED_SCHEMA_VERSION\",\"schemaVersion\":\"2.0.0\",\"allowedSchemaVersions\":[\"1.0.0\"]}}";
    expect_error(doc, 0, EVG_ERR_ENVELOPE, "/eventType", 13);
    assert_string_equal(parse(doc, 0).err.message, "this event travels in another envelope");
}

/* 5. VERSION_MISSING: the offset was the payload's, the pointer the root's.
 *    Now both are the payload's, for send events (not strict) too; the
 *    directive's version is outside its payload: the root. */
static void test_version_missing_pointer(void **state)
{
    (void)state;
    const char *sdk = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\",\"value\":"
                      "{\"interactionId\":\"a\"}}}";
    expect_error(sdk, EVG_STRICT, EVG_ERR_VERSION_MISSING, "/message/value", at(sdk, "{\"interactionId\""));
    const char *maestro = "{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"success\",\"data\":{}}";
    expect_error(maestro, EVG_STRICT, EVG_ERR_VERSION_MISSING, "/data", at(maestro, "{}"));
    const char *send = "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
                       "\"value\":{\"name\":\"aw-chat-message-received-v1\",\"data\":{\"interactionId\":\"c\","
                       "\"message\":\"m\"}}}}";
    expect_error(send, 0, EVG_ERR_VERSION_MISSING, "/message/value/data", at(send, "{\"interactionId\""));
    const char *directive = "{\"eventName\":\"maEvent\",\"family\":\"external\",\"content\":{\"eventName\":"
                            "\"startCall\",\"method\":\"mapDirective\",\"phoneNumber\":\"+1\"}}";
    expect_error(directive, 0, EVG_ERR_VERSION_MISSING, "", 0);
}

/* 6. Nested routing values of the wrong type are reported as missing (the
 *    same at the top level is TYPE). */
static void test_nested_routing_types(void **state)
{
    (void)state;
    const char *name5 = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":5,\"value\":{}}}";
    expect_error(name5, 0, EVG_ERR_TYPE, "/message/eventName", at(name5, "5"));
    const char *msg_string = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":\"x\"}";
    expect_error(msg_string, 0, EVG_ERR_TYPE, "/message", at(msg_string, "\"x\""));
    assert_string_equal(parse(msg_string, 0).err.message, "expected an object");
    assert_string_equal(parse(name5, 0).err.message, "expected a string");
    /* The same in the request, one level deeper, and a payload's version. */
    const char *value5 = "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
                         "\"value\":5}}";
    expect_error(value5, 0, EVG_ERR_TYPE, "/message/value", at(value5, "5}"));
    const char *version5 = "{\"eventType\":\"mashell-chat-offered-cc-event-v1\",\"status\":\"success\",\"data\":"
                           "{\"schemaVersion\":5}}";
    expect_error(version5, 0, EVG_ERR_TYPE, "/data/schemaVersion", at(version5, "5}"));
}

/* 7. Errors inside the value of an unknown top-level key lose their path
 *    (nested levels keep it). */
static void test_top_level_unknown_key_path(void **state)
{
    (void)state;
    char doc[256];
    snprintf(doc, sizeof doc, "{\"type\":\"event\",\"x\":[1,}");
    expect_error(doc, 0, EVG_ERR_SYNTAX, "/x/1", at(doc, "}"));
}

/* 8. EVG_MAX_ITEMS is checked only before the first element
 *    (evg_array_next returns early after a ','), so it is never enforced. */
static void test_max_items(void **state)
{
    (void)state;
    size_t n = EVG_MAX_ITEMS + 1;
    const char *head = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                       "\"value\":{\"interactionId\":\"a\",\"x\":[";
    char *doc = malloc(strlen(head) + 2 * n + 16);
    assert_non_null(doc);
    char *p = doc + sprintf(doc, "%s", head);
    for (size_t i = 0; i < n; i++)
        p += sprintf(p, i ? ",0" : "0");
    sprintf(p, "]}}}");
    outcome o = parse(doc, 0);
    assert_false(o.ok);
    assert_int_equal(o.err.code, EVG_ERR_TOO_LARGE);
    free(doc);
}

/* 9. evg_error_format writes "/" for the root, which RFC 6901 reads as
 *     the key "": a root error and an error at key "" look the same. */
static void test_error_format_root(void **state)
{
    (void)state;
    char a[256], b[256];
    outcome root = parse("{}", 0);
    /* A document of the SDK event message with a key "" at its top level
     * (strict mode: wire first, then the keys of its levels). */
    outcome empty_key = parse("{\"\":1,\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                              "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.0\"}}}",
                              EVG_STRICT);
    assert_int_equal(root.err.code, EVG_ERR_ENVELOPE);
    assert_int_equal(empty_key.err.code, EVG_ERR_UNKNOWN_KEY);
    assert_string_equal(root.err.pointer, "");
    assert_string_equal(empty_key.err.pointer, "/");
    evg_error_format(&root.err, a, sizeof a);
    evg_error_format(&empty_key.err, b, sizeof b);
    assert_string_not_equal(strchr(a, ':'), strchr(b, ':'));   /* "ENVELOPE: /: ..." vs "UNKNOWN_KEY: /: ..." */
    assert_null(strstr(a, ": /: "));
    assert_non_null(strstr(a, "ENVELOPE: (root): "));
    assert_non_null(strstr(b, "UNKNOWN_KEY: /: "));
}

/* 10. evdecode prints the pointer raw: a key with an escaped newline
 *     splits one document's error over two lines (and a \u0000 cuts it). */
static void test_evdecode_pointer_one_line(void **state)
{
    (void)state;
    char out[4096];
    int st = evdecode("{\"type\":\"event\",\"message\":{\"a\\\\nb\":tru\\n", "--date 2026-11-21", out, sizeof out);
    assert_int_equal(st, 1);
    size_t lines = 0;
    for (char *c = out; *c; c++)
        lines += *c == '\n';
    print_message("  got: %s", out);
    assert_int_equal(lines, 1);
}

/* 11. evdecode --date takes signs and blanks where digits belong (sscanf %d). */
static void test_evdecode_date_digits_only(void **state)
{
    (void)state;
    static const char *const bad[] = {"+026-01-01", "2026-+1-01", "2026- 1-01", "2026-01- 1", "-026-01-01"};
    char out[256], args[64];
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        snprintf(args, sizeof args, "--date '%s'", bad[i]);
        int st = evdecode("", args, out, sizeof out);
        if (st != 2)
            fail_msg("--date '%s' accepted (exit %d)", bad[i], st);
    }
}

/* 12. evdecode ignores read errors: a directory (EISDIR) reads as an empty
 *     stream and exits 0. */
static void test_evdecode_read_error(void **state)
{
    (void)state;
    char out[256];
    int st = evdecode("", "--date 2026-11-21 tests", out, sizeof out);
    assert_int_equal(st, 2);
}

/* Review findings, fixed: */

/* The fallback version was accepted on the fast path only: an escape in the
 * payload's schemaVersion sent it to the slow path, which refused it. */
static void test_fallback_version_with_escape(void **state)
{
    (void)state;
    const char *plain = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                        "\"value\":{\"interactionId\":\"x\",\"schemaVersion\":\"1.0.7\"}}}";
    const char *escaped = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                          "\"value\":{\"interactionId\":\"x\",\"schemaVersion\":\"1.0.\\u0037\"}}}";
    const char *docs[] = {plain, escaped};
    for (size_t i = 0; i < 2; i++) {
        outcome o = parse(docs[i], 0);
        assert_true(o.ok);
        assert_true(o.ev.flags & EVG_FALLBACK);
        assert_string_equal(o.ev.info->version, "1.0.0");
    }
}

/* Keys that route only in another wire were type-checked anyway. */
static void test_routing_keys_only_checked_where_they_route(void **state)
{
    (void)state;
    /* "data" and "name" are a request's routing keys, not an event payload's. */
    assert_true(parse("{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                      "\"value\":{\"interactionId\":\"x\",\"data\":5,\"name\":[1]}}}", 0).ok);
    /* A Maestro envelope does not read a top-level schemaVersion. */
    const char *maestro = "{\"eventType\":\"mashell-voice-phone-offered-cc-event-v1\",\"schemaVersion\":1,"
                          "\"status\":\"success\",\"data\":{\"eventName\":\"offered\",\"eventId\":\"e\","
                          "\"method\":\"mapEvent\",\"direction\":\"inbound\",\"media\":\"phone\","
                          "\"searchContext\":\"s\"}}";
    assert_true(parse(maestro, 0).ok);
    expect_error(maestro, EVG_STRICT, EVG_ERR_UNKNOWN_KEY, "/schemaVersion", at(maestro, "1,"));
    /* Where a key routes, a wrong type is still TYPE. */
    const char *request = "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
                          "\"value\":{\"name\":7,\"data\":{}}}}";
    expect_error(request, 0, EVG_ERR_TYPE, "/message/value/name", at(request, "7,"));
}

/* A key unescaped into scratch cannot be named: the pointer is the suffix
 * below it, marked cut, never a pointer that skips the step silently. */
static void test_unnamed_key_cuts_the_pointer(void **state)
{
    (void)state;
    const char *doc = "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                      "\"value\":{\"interactionId\":\"x\",\"e\\u0078tra\":{\"a\":[1,tru]}}}}";
    outcome o = parse(doc, 0);
    assert_false(o.ok);
    assert_string_equal(o.err.pointer, "/a/1");
    assert_true(o.err.pointer_cut);
    char line[256];
    evg_error_format(&o.err, line, sizeof line);
    assert_string_equal(line, "SYNTAX: .../a/1: invalid literal (offset 114)");
}

/* A key too long for one pointer step is left out whole, never shortened. */
static void test_long_key_is_not_shortened(void **state)
{
    (void)state;
    char doc[600];
    char key[301];
    memset(key, 'a', 300);
    key[300] = '\0';
    snprintf(doc, sizeof doc, "{\"interactionId\":\"x\",\"%s\":tru}", key);
    ev_aw_interaction_hold_v1_1_0_0 out;
    evg_error err;
    assert_false(ev_aw_interaction_hold_v1_1_0_0_parse(doc, strlen(doc), &out, NULL, 0, &err));
    assert_int_equal(err.code, EVG_ERR_SYNTAX);
    assert_string_equal(err.pointer, "");
    assert_true(err.pointer_cut);
}

/* Found by reading the router (and confirmed by a pointer-checking fuzz
 * harness): a bare payload's escaped version key was named from the
 * scratch buffer after the value had been unescaped into it, so the error
 * pointer said "/xyzemaVersion". It names the key now. */
static void test_bare_escaped_version_key_pointer(void **state)
{
    (void)state;
    static const struct { const char *json; evg_code code; const char *at; } cases[] = {
        {"{\"schem\\u0061Version\":[\"\\u0078yz\"]}", EVG_ERR_TYPE, "["},
        {"{\"schem\\u0061Version\":\"ab\\u00\"}", EVG_ERR_BAD_ESCAPE, "\\u00\""},
        {"{\"schem\\u0061Version\":\"1.0.0\",\"schem\\u0061Version\":\"\\u0031.0.0\"}", EVG_ERR_DUPLICATE, "\"\\u0031"},
    };
    static char bare_arena[4096];
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        evg_arena a;
        evg_arena_init(&a, bare_arena, sizeof bare_arena);
        ev_any ev;
        evg_error err;
        const evg_event_info *e = ev_find_event("global-user-details-v1", 22);
        assert_non_null(e);
        assert_false(ev_parse_bare(e, cases[i].json, strlen(cases[i].json), &ev, &a, 0, &err));
        assert_string_equal(evg_code_name(err.code), evg_code_name(cases[i].code));
        assert_string_equal(err.pointer, "/schemaVersion");
        assert_int_equal(err.offset, at(cases[i].json, cases[i].at));
    }
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_strict_unknown_envelope_keys),
        cmocka_unit_test(test_duplicate_envelope_keys),
        cmocka_unit_test(test_fallback_from_payload_version),
        cmocka_unit_test(test_failed_envelope_of_sdk_event),
        cmocka_unit_test(test_version_missing_pointer),
        cmocka_unit_test(test_nested_routing_types),
        cmocka_unit_test(test_top_level_unknown_key_path),
        cmocka_unit_test(test_max_items),
        cmocka_unit_test(test_error_format_root),
        cmocka_unit_test(test_evdecode_pointer_one_line),
        cmocka_unit_test(test_evdecode_date_digits_only),
        cmocka_unit_test(test_evdecode_read_error),
        cmocka_unit_test(test_fallback_version_with_escape),
        cmocka_unit_test(test_routing_keys_only_checked_where_they_route),
        cmocka_unit_test(test_unnamed_key_cuts_the_pointer),
        cmocka_unit_test(test_long_key_is_not_shortened),
        cmocka_unit_test(test_bare_escaped_version_key_pointer),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
