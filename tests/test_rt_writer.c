/* test_rt_writer.c - the serializers never write what the parser would
 * reject: invalid UTF-8, an `any` that is not exactly one JSON value, counts
 * and sizes beyond the limits, values outside an enum, non-finite numbers
 * and NULL views are errors, named by code and JSON Pointer, and the buffer
 * is left an empty string. A zeroed struct of every event version writes
 * without undefined behaviour and reads back. Expected values are written
 * by hand from the catalog's shapes (catalog.yaml: chat-message,
 * chat-attachment). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <math.h>
#include <cmocka.h>

#include "test_util.h"

static char g_out[1 << 16];

/* A chat-message-sent event with every required member set by hand. */
static ev_aw_chat_message_sent_v1_1_0_0 chat_sent(void)
{
    ev_aw_chat_message_sent_v1_1_0_0 e;
    memset(&e, 0, sizeof e);
    e.interactionId = EVG_STR("i-1");
    e.message.id = EVG_STR("m-1");
    e.message.timestamp = 1700000000000.0;
    e.message.type = EVG_STR("text");
    e.message.rawMessage = EVG_STR("{\"text\": \"hi\"}");
    return e;
}

/* Serializing `e` fails with `code` at `pointer`; the buffer holds "". */
static void expect_write_error(const ev_aw_chat_message_sent_v1_1_0_0 *e, evg_code code,
                               const char *pointer)
{
    evg_error err;
    memset(g_out, 'Z', 64);
    size_t n = ev_aw_chat_message_sent_v1_1_0_0_serialize(e, g_out, sizeof g_out, &err);
    if (n != 0 || err.code != code || strcmp(err.pointer, pointer) != 0)
        fail_msg("got %zu, %s at '%s' (%s); want %s at '%s'", n, evg_code_name(err.code),
                 err.pointer, err.message ? err.message : "", evg_code_name(code), pointer);
    assert_string_equal(g_out, "");
    /* The envelope's writer reports the same member, under the payload's path. */
    n = ev_aw_chat_message_sent_v1_1_0_0_serialize_wire(e, g_out, sizeof g_out, &err);
    assert_int_equal(n, 0);
    assert_int_equal(err.code, code);
    char wire_pointer[EVG_POINTER_MAX];
    snprintf(wire_pointer, sizeof wire_pointer, "/message/value%s", pointer);
    assert_string_equal(err.pointer, wire_pointer);
    /* Measuring (no buffer) finds the same error. */
    assert_int_equal(ev_aw_chat_message_sent_v1_1_0_0_serialize(e, NULL, 0, &err), 0);
    assert_int_equal(err.code, code);
}

/* Serializing `e` succeeds and the parser reads the output back. */
static void expect_round_trip(const ev_aw_chat_message_sent_v1_1_0_0 *e)
{
    evg_error err;
    size_t n = ev_aw_chat_message_sent_v1_1_0_0_serialize(e, g_out, sizeof g_out, &err);
    if (n == 0)
        fail_msg("%s at '%s': %s", evg_code_name(err.code), err.pointer, err.message);
    assert_true(n < sizeof g_out);
    static char arena_buf[1 << 16];
    evg_arena arena;
    evg_arena_init(&arena, arena_buf, sizeof arena_buf);
    ev_aw_chat_message_sent_v1_1_0_0 back;
    if (!ev_aw_chat_message_sent_v1_1_0_0_parse(g_out, n, &back, &arena, EVG_STRICT, &err))
        fail_msg("output rejected: %s at '%s': %s\n%s", evg_code_name(err.code), err.pointer,
                 err.message, g_out);
}

static void test_valid_utf8_is_kept(void **state)
{
    (void)state;
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    /* 2-, 3- and 4-byte sequences at the edges RFC 3629 allows. */
    e.message.type = EVG_STR("\xc2\x80 \xdf\xbf \xe0\xa0\x80 \xed\x9f\xbf \xf0\x90\x80\x80 \xf4\x8f\xbf\xbf");
    expect_round_trip(&e);
    assert_non_null(strstr(g_out, "\xf4\x8f\xbf\xbf"));
}

static void test_invalid_utf8_is_an_error(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "a\xff\xfe",             /* the audit's case: bytes that never occur */
        "\xf4\x90\x80\x80",      /* past U+10FFFF */
        "\xc0\xaf",              /* overlong */
        "\xed\xa0\x80",          /* a surrogate */
        "ok\xe2\x82",            /* cut short at the end */
        "\x80",                  /* a lone continuation byte */
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
        e.message.type.ptr = bad[i];
        e.message.type.len = strlen(bad[i]);
        expect_write_error(&e, EVG_ERR_BAD_UTF8, "/message/type");
    }
    /* In an array item, and in the top-level struct. */
    ev_chat_attachment att[3];
    memset(att, 0, sizeof att);
    att[2].filename = EVG_STR("x\xff");
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.message.has_attachments = true;
    e.message.attachments.items = att;
    e.message.attachments.count = 3;
    expect_write_error(&e, EVG_ERR_BAD_UTF8, "/message/attachments/2/filename");
    e = chat_sent();
    e.interactionId = EVG_STR("\xfe");
    expect_write_error(&e, EVG_ERR_BAD_UTF8, "/interactionId");
}

static void test_any_must_be_one_value(void **state)
{
    (void)state;
    static const struct {
        const char *raw;
        evg_code code;
    } bad[] = {
        {"1,\"interactionId\":\"evil\"", EVG_ERR_TRAILING},   /* would inject a key */
        {"{\"a\":", EVG_ERR_TRUNCATED},
        {"", EVG_ERR_TRUNCATED},
        {"   ", EVG_ERR_TRUNCATED},
        {"{\"a\" 1}", EVG_ERR_SYNTAX},
        {"\"\xff\"", EVG_ERR_BAD_UTF8},
        {"[1] [2]", EVG_ERR_TRAILING},
        {"01", EVG_ERR_BAD_NUMBER},
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
        e.message.rawMessage.ptr = bad[i].raw;
        e.message.rawMessage.len = strlen(bad[i].raw);
        expect_write_error(&e, bad[i].code, "/message/rawMessage");
    }
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.message.rawMessage.ptr = NULL;
    e.message.rawMessage.len = 0;
    expect_write_error(&e, EVG_ERR_TRUNCATED, "/message/rawMessage");

    /* Valid values are written compact. */
    e = chat_sent();
    e.message.rawMessage = EVG_STR(" { \"a\" : [ 1 , \"b c\" ] } ");
    expect_round_trip(&e);
    assert_non_null(strstr(g_out, "\"rawMessage\":{\"a\":[1,\"b c\"]}"));
}

static void test_any_depth_counts_from_where_it_is_written(void **state)
{
    (void)state;
    /* rawMessage sits at depth 2 of the bare payload (payload, message) and
     * at depth 4 in the partner SDK envelope: EVG_MAX_DEPTH - 2 brackets
     * fit in the payload, the envelope's two levels more do not. */
    char deep[2 * EVG_MAX_DEPTH + 1];
    size_t n = EVG_MAX_DEPTH - 2;
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.message.rawMessage.ptr = deep;
    e.message.rawMessage.len = 2 * n;
    evg_error err;
    assert_true(ev_aw_chat_message_sent_v1_1_0_0_serialize(&e, g_out, sizeof g_out, &err) > 0);
    assert_int_equal(ev_aw_chat_message_sent_v1_1_0_0_serialize_wire(&e, g_out, sizeof g_out, &err), 0);
    assert_int_equal(err.code, EVG_ERR_TOO_DEEP);
    assert_string_equal(err.pointer, "/message/value/message/rawMessage");
    n++;
    memset(deep, '[', n);
    memset(deep + n, ']', n);
    e.message.rawMessage.len = 2 * n;
    expect_write_error(&e, EVG_ERR_TOO_DEEP, "/message/rawMessage");
}

static void test_counts_beyond_the_parser_limit(void **state)
{
    (void)state;
    size_t count = (size_t)EVG_MAX_ITEMS + 1;
    ev_chat_attachment *att = calloc(count, sizeof *att);
    assert_non_null(att);
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.message.has_attachments = true;
    e.message.attachments.items = att;
    e.message.attachments.count = count;
    expect_write_error(&e, EVG_ERR_TOO_LARGE, "/message/attachments");
    e.message.attachments.count = count - 1;   /* the limit itself is fine */
    evg_error err;
    assert_true(ev_aw_chat_message_sent_v1_1_0_0_serialize(&e, NULL, 0, &err) > 0);
    free(att);

    ev_chat_message_variables_entry *vars = calloc(count, sizeof *vars);
    assert_non_null(vars);
    e = chat_sent();
    e.message.has_variables = true;
    e.message.variables.items = vars;
    e.message.variables.count = count;
    expect_write_error(&e, EVG_ERR_TOO_LARGE, "/message/variables");
    free(vars);

    /* A NULL array with a count. */
    e = chat_sent();
    e.message.has_attachments = true;
    e.message.attachments.count = 1;
    expect_write_error(&e, EVG_ERR_TYPE, "/message/attachments");
}

static void test_document_beyond_max_input(void **state)
{
    (void)state;
    size_t len = (size_t)EVG_MAX_INPUT;
    char *big = malloc(len);
    assert_non_null(big);
    memset(big, 'a', len);
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.message.type.ptr = big;
    e.message.type.len = len;
    evg_error err;
    assert_int_equal(ev_aw_chat_message_sent_v1_1_0_0_serialize(&e, NULL, 0, &err), 0);
    assert_int_equal(err.code, EVG_ERR_TOO_LARGE);
    assert_string_equal(err.pointer, "");
    free(big);
}

static void test_values_outside_their_type(void **state)
{
    (void)state;
    ev_chat_attachment att;
    memset(&att, 0, sizeof att);
    att.type = (ev_chat_attachment_type)EV_CHAT_ATTACHMENT_TYPE_COUNT_;
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.message.has_attachments = true;
    e.message.attachments.items = &att;
    e.message.attachments.count = 1;
    expect_write_error(&e, EVG_ERR_ENUM, "/message/attachments/0/type");

    e = chat_sent();
    e.message.timestamp = NAN;
    expect_write_error(&e, EVG_ERR_RANGE, "/message/timestamp");
    e.message.timestamp = -INFINITY;
    expect_write_error(&e, EVG_ERR_RANGE, "/message/timestamp");

    e = chat_sent();
    e.message.type.ptr = NULL;
    e.message.type.len = 3;
    expect_write_error(&e, EVG_ERR_BAD_STRING, "/message/type");

    /* A map value, and a map key that is not UTF-8 (no pointer names it). */
    ev_chat_message_variables_entry var = {EVG_STR("k/~"), EVG_STR("\xff")};
    e = chat_sent();
    e.message.has_variables = true;
    e.message.variables.items = &var;
    e.message.variables.count = 1;
    expect_write_error(&e, EVG_ERR_BAD_UTF8, "/message/variables/k~1~0");
    var.key = EVG_STR("\xff");
    var.value = EVG_STR("v");
    expect_write_error(&e, EVG_ERR_BAD_UTF8, "/message/variables");
}

/* Every event version's zeroed struct: no undefined behaviour (this suite
 * runs under UBSan), empty strings written as "", and the output either
 * reads back or is refused with a reason. */
static void test_zeroed_structs(void **state)
{
    (void)state;
    static char arena_buf[1 << 16];
    static max_align_t zero[4096 / sizeof(max_align_t)], back[4096 / sizeof(max_align_t)];
    size_t checked = 0;
    for (size_t i = 0; i < ev_catalog.event_count; i++) {
        const evg_event_info *ev = &ev_catalog.events[i];
        for (size_t v = 0; v < ev->version_count; v++) {
            const evg_version_info *info = &ev->versions[v];
            assert_true(info->struct_size <= sizeof zero);
            evg_writer w;
            evg_error err;
            evg_writer_init(&w, g_out, sizeof g_out, &err);
            size_t n = evg_writer_finish(&w, info->write(&w, zero));
            if (n == 0) {
                /* Only members a zero cannot stand for: an array with a
                 * minimum, an `any` (no value at all, see below). */
                if (err.code != EVG_ERR_ITEMS && err.code != EVG_ERR_TRUNCATED)
                    fail_msg("%s %s: %s at '%s'", ev->name, info->version, evg_code_name(err.code),
                             err.pointer);
                continue;
            }
            evg_arena arena;
            evg_arena_init(&arena, arena_buf, sizeof arena_buf);
            if (!evg_parse_payload_document(g_out, n, info->parse, back, info->struct_size, &arena,
                                            0, &err))
                fail_msg("%s %s: %s at '%s' reading back %s", ev->name, info->version,
                         evg_code_name(err.code), err.pointer, g_out);
            checked++;
        }
    }
    assert_true(checked > 50);

    ev_aw_chat_message_sent_v1_1_0_0 e;
    memset(&e, 0, sizeof e);
    /* A zeroed `any` is no value at all: refused, unlike a zeroed string. */
    expect_write_error(&e, EVG_ERR_TRUNCATED, "/message/rawMessage");
    e.message.rawMessage = EVG_STR("null");
    expect_round_trip(&e);
    assert_non_null(strstr(g_out, "\"interactionId\":\"\""));

    ev_any none;
    memset(&none, 0, sizeof none);
    evg_error err;
    assert_int_equal(ev_serialize_any(&none, g_out, sizeof g_out, &err), 0);
    assert_int_equal(err.code, EVG_ERR_UNKNOWN_EVENT);
}

static void test_error_is_optional_and_first_wins(void **state)
{
    (void)state;
    ev_aw_chat_message_sent_v1_1_0_0 e = chat_sent();
    e.interactionId = EVG_STR("\xff");
    e.message.timestamp = NAN;
    assert_int_equal(ev_aw_chat_message_sent_v1_1_0_0_serialize(&e, g_out, sizeof g_out, NULL), 0);
    evg_error err;
    assert_int_equal(ev_aw_chat_message_sent_v1_1_0_0_serialize(&e, g_out, sizeof g_out, &err), 0);
    assert_int_equal(err.code, EVG_ERR_BAD_UTF8);
    assert_string_equal(err.pointer, "/interactionId");
    /* The offset is where in the output the bad byte would have gone. */
    assert_int_equal(err.offset, strlen("{\"interactionId\":\""));
    char text[512];
    evg_error_format(&err, text, sizeof text);
    assert_string_equal(text, "BAD_UTF8: /interactionId: string is not valid UTF-8 (offset 18)");
}

/* An older version written in a wire states its version even when the
 * struct leaves it out: read without one, the document would be the
 * newest version's (1.0.1), another type. */
static void test_older_version_states_itself(void **state)
{
    (void)state;
    ev_aw_interaction_wrap_up_codes_v1_1_0_0 old;
    memset(&old, 0, sizeof old);
    old.interactionId = EVG_STR("i-1");
    evg_error err;
    size_t n = ev_aw_interaction_wrap_up_codes_v1_1_0_0_serialize_wire(&old, g_out, sizeof g_out, &err);
    assert_true(n > 0);
    assert_non_null(strstr(g_out, "\"schemaVersion\":\"1.0.0\""));
    static char arena_buf[1 << 16];
    evg_arena arena;
    evg_arena_init(&arena, arena_buf, sizeof arena_buf);
    ev_any back;
    assert_true(ev_parse_any(g_out, n, &back, &arena, 0, &err));
    assert_string_equal(back.info->version, "1.0.0");
    assert_int_equal(back.flags & EVG_VERSION_ASSUMED, 0);
    /* Through ev_serialize_any too, whatever has_schemaVersion says. */
    back.u.aw_interaction_wrap_up_codes_v1_1_0_0.has_schemaVersion = false;
    n = ev_serialize_any(&back, g_out, sizeof g_out, &err);
    assert_true(n > 0);
    assert_non_null(strstr(g_out, "\"schemaVersion\":\"1.0.0\""));
    /* The bare typed writer says what the struct says: its reader is the
     * same version's parser. */
    n = ev_aw_interaction_wrap_up_codes_v1_1_0_0_serialize(&old, g_out, sizeof g_out, &err);
    assert_null(strstr(g_out, "schemaVersion"));
}

/* Items may repeat one buffer: 65,536 groups of the same 65,536 items
 * would be billions of items; the writer stops once past EVG_MAX_INPUT. */
static void test_size_limit_is_found_early(void **state)
{
    (void)state;
    size_t count = EVG_MAX_ITEMS;
    ev_wrap_up_code_item *items = calloc(count, sizeof *items);
    ev_wrap_up_code_group *groups = calloc(count, sizeof *groups);
    assert_non_null(items);
    assert_non_null(groups);
    for (size_t i = 0; i < count; i++) {
        groups[i].items.items = items;
        groups[i].items.count = count;
    }
    ev_aw_interaction_wrap_up_codes_v1_1_0_0 e;
    memset(&e, 0, sizeof e);
    e.wrapUpCodes.items = groups;
    e.wrapUpCodes.count = count;
    evg_error err;
    assert_int_equal(ev_aw_interaction_wrap_up_codes_v1_1_0_0_serialize(&e, NULL, 0, &err), 0);
    assert_int_equal(err.code, EVG_ERR_TOO_LARGE);
    /* Found within the group that crossed the limit, not at the end. */
    assert_true(err.offset <= (size_t)EVG_MAX_INPUT + 4096);
    free(items);
    free(groups);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_valid_utf8_is_kept),
        cmocka_unit_test(test_invalid_utf8_is_an_error),
        cmocka_unit_test(test_any_must_be_one_value),
        cmocka_unit_test(test_any_depth_counts_from_where_it_is_written),
        cmocka_unit_test(test_counts_beyond_the_parser_limit),
        cmocka_unit_test(test_document_beyond_max_input),
        cmocka_unit_test(test_values_outside_their_type),
        cmocka_unit_test(test_zeroed_structs),
        cmocka_unit_test(test_error_is_optional_and_first_wins),
        cmocka_unit_test(test_older_version_states_itself),
        cmocka_unit_test(test_size_limit_is_found_early),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
