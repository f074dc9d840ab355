/* test_rt_arena.c - the generated arena bounds are upper bounds: an arena
 * of *_arena_size(len) bytes never runs out, on the samples, the streams
 * and documents built to need the most arena per byte (the fewest bytes
 * per array element); and ARENA_FULL says how much the document needed at
 * least. The bytes a document really needs are measured by searching for
 * the smallest arena that parses it, not taken from the code under test. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "test_util.h"

typedef bool (*parse_fn)(const char *json, size_t len, void *out, evg_arena *arena,
                         evg_error *err);

static ev_any g_any;

static bool parse_any(const char *json, size_t len, void *out, evg_arena *arena, evg_error *err)
{
    return ev_parse_any(json, len, out, arena, 0, err);
}

static bool parse_drop_bare(const char *json, size_t len, void *out, evg_arena *arena,
                            evg_error *err)
{
    return ev_call_manager_call_conference_drop_v1_1_0_0_parse(json, len, out, arena, 0, err);
}

static bool parse_chat_init_wire(const char *json, size_t len, void *out, evg_arena *arena,
                                 evg_error *err)
{
    return ev_aw_chat_init_v1_1_0_0_parse_wire(json, len, out, arena, 0, err);
}

/* Whether the document parses with an arena of `cap` bytes, the buffer
 * misaligned on purpose (evg_arena_init's loss is part of the bound). */
static bool parses_with(parse_fn parse, const char *json, size_t len, void *out, size_t cap,
                        evg_error *err)
{
    char *buf = malloc(cap + 1);
    assert_non_null(buf);
    evg_arena arena;
    evg_arena_init(&arena, buf + 1, cap);
    bool ok = parse(json, len, out, &arena, err);
    free(buf);
    return ok;
}

/* The smallest arena the document parses with (it must parse with `bound`). */
static size_t measured_need(parse_fn parse, const char *json, size_t len, void *out, size_t bound)
{
    evg_error err;
    if (!parses_with(parse, json, len, out, bound, &err))
        fail_msg("%s at '%s' with the bound, %zu bytes, for %.80s", evg_code_name(err.code),
                 err.pointer, bound, json);
    size_t lo = 0, hi = bound;   /* fails with lo (unless 0 works), parses with hi */
    if (parses_with(parse, json, len, out, 0, &err))
        return 0;
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (parses_with(parse, json, len, out, mid, &err))
            hi = mid;
        else
            lo = mid;
    }
    /* Just short of it: ARENA_FULL, and the bytes it says it needs at
     * least are more than it had, and no more than it needs. */
    assert_false(parses_with(parse, json, len, out, lo, &err));
    assert_int_equal(err.code, EVG_ERR_ARENA_FULL);
    assert_true(err.arena_needed > lo - (lo >= 16 ? 16 : lo));
    assert_true(err.arena_needed <= hi + 16);
    assert_true(parses_with(parse, json, len, out, hi, &err));   /* leaves `out` filled */
    return hi;
}

static void check_stream(const char *path)
{
    size_t len;
    char *text = tu_read_file(path, &len);
    assert_non_null(text);
    size_t docs = 0;
    for (char *line = text, *next; *line; line = next) {
        next = strchr(line, '\n');
        next = next ? next + 1 : line + strlen(line);
        size_t n = (size_t)(next - line);
        while (n && (line[n - 1] == '\n' || line[n - 1] == '\r'))
            n--;
        if (!n)
            continue;
        evg_error err;
        /* Documents the stream expects to fail for other reasons may fail,
         * but never for want of arena. */
        if (!parses_with(parse_any, line, n, &g_any, ev_arena_size(n), &err))
            assert_int_not_equal(err.code, EVG_ERR_ARENA_FULL);
        docs++;
    }
    assert_true(docs > 50);
    free(text);
}

static void test_streams_fit_the_bound(void **state)
{
    (void)state;
    check_stream("tests/streams/all-versions.jsonl");
    check_stream("tests/streams/valid.jsonl");
}

static void test_samples_fit_the_bound(void **state)
{
    (void)state;
    size_t n;
    tu_sample *s = tu_load_samples(&n);
    assert_true(n > 50);
    for (size_t i = 0; i < n; i++) {
        evg_error err;
        bool ok = parses_with(parse_any, s[i].text, s[i].len, &g_any, ev_arena_size(s[i].len), &err);
        if (!ok)   /* a bare payload: through the bare entry point */
            assert_int_not_equal(err.code, EVG_ERR_ARENA_FULL);
    }
    tu_free_samples(s, n);
}

/* `count` copies of `item` joined by commas, between `head` and `tail`. */
static char *repeat_doc(const char *head, const char *item, size_t count, const char *tail,
                        size_t *len)
{
    size_t hl = strlen(head), il = strlen(item), tl = strlen(tail);
    char *doc = malloc(hl + count * (il + 1) + tl + 1);
    assert_non_null(doc);
    char *c = doc;
    memcpy(c, head, hl);
    c += hl;
    for (size_t i = 0; i < count; i++) {
        if (i)
            *c++ = ',';
        memcpy(c, item, il);
        c += il;
    }
    memcpy(c, tail, tl);
    c += tl;
    *c = '\0';
    *len = (size_t)(c - doc);
    return doc;
}

/* The most arena per byte the catalog allows: an array of Call Manager
 * calls, whose members are all optional, written as `{}` each. */
static void test_worst_case_documents(void **state)
{
    (void)state;
    static ev_call_manager_call_conference_drop_v1_1_0_0 drop;
    size_t len;
    for (size_t count = 1; count <= 4096; count *= 4) {
        char *doc = repeat_doc("{\"calls\":[", "{}", count, "]}", &len);
        size_t bound = ev_call_manager_call_conference_drop_v1_1_0_0_arena_size(len);
        assert_true(bound <= ev_arena_size(len));
        size_t need = measured_need(parse_drop_bare, doc, len, &drop, bound);
        assert_int_equal(drop.calls.count, count);
        /* An upper bound, and not a loose one for this document. */
        assert_true(need <= bound);
        /* And a tight one once the elements outweigh the envelope's bytes. */
        if (count >= 64)
            assert_true(bound <= need + need / 8);
        free(doc);
    }
    /* Chat messages with escaped strings (decoded into the arena too),
     * in the partner SDK envelope. */
    static ev_aw_chat_init_v1_1_0_0 init;
    char *doc = repeat_doc("{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                           "\"aw-chat-init-v1\",\"value\":{\"interactionId\":\"i\",\"messages\":[",
                           "{\"id\":\"\\u0041\",\"timestamp\":1,\"type\":\"\\n\",\"rawMessage\":0,"
                           "\"attachments\":[{\"filename\":\"\",\"id\":\"\",\"size\":0,\"type\":\"image\"}],"
                           "\"variables\":{\"\\u00e9\":\"\\t\"}}",
                           300, "]}}}", &len);
    size_t bound = ev_aw_chat_init_v1_1_0_0_arena_size(len);
    size_t need = measured_need(parse_chat_init_wire, doc, len, &init, bound);
    assert_int_equal(init.messages.count, 300);
    assert_true(need <= bound);
    free(doc);
}

static void test_arena_full_reports_the_need(void **state)
{
    (void)state;
    /* The case: 1 KiB is not enough for every document of the
     * stream, and the error says how much more it needed. */
    size_t len;
    static ev_call_manager_call_conference_drop_v1_1_0_0 drop;
    char *doc = repeat_doc("{\"calls\":[", "{}", 64, "]}", &len);
    evg_error err;
    assert_false(parses_with(parse_drop_bare, doc, len, &drop, 1024, &err));
    assert_int_equal(err.code, EVG_ERR_ARENA_FULL);
    assert_true(err.arena_needed > 1024 - 16);
    char text[256];
    evg_error_format(&err, text, sizeof text);
    char want[64];
    snprintf(want, sizeof want, "needs at least %zu arena bytes)", err.arena_needed);
    assert_non_null(strstr(text, want));
    free(doc);
}

static void test_bound_arithmetic(void **state)
{
    (void)state;
    /* Strings only: never more than the document, plus the alignment loss. */
    assert_int_equal(evg_arena_size(1000, NULL, 0), 1000 + 2 * sizeof(double));
    /* One 8-byte element per 2 bytes: 8 per byte; 7 at least with arrays. */
    evg_arena_rule ints = {8, 2};
    assert_int_equal(evg_arena_size(100, &ints, 1), 800 + 16);
    evg_arena_rule big = {100, 1000};
    assert_int_equal(evg_arena_size(100, &big, 1), 700 + 16);
    /* Saturates instead of wrapping. */
    assert_int_equal(evg_arena_size(SIZE_MAX / 4, &ints, 1), SIZE_MAX);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_streams_fit_the_bound),
        cmocka_unit_test(test_samples_fit_the_bound),
        cmocka_unit_test(test_worst_case_documents),
        cmocka_unit_test(test_arena_full_reports_the_need),
        cmocka_unit_test(test_bound_arithmetic),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
