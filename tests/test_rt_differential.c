/* test_rt_differential.c - the generated parser against an independent
 * JSON parser, jansson (test-only: libjansson-dev), on the same inputs:
 * every tests/samples/ (.json), every line of tests/streams/ (.jsonl), every
 * file of tests/fuzz/regressions/ (the fuzzer's seeds and finds), a list of
 * hand-made edge cases, and deterministic mutations of the samples and
 * stream lines (truncations, bit flips, byte deletions, insertions of JSON
 * tokens and bad bytes).
 *
 * Syntax, where the schema cannot interfere: each input is embedded as the
 * `any` value message.rawMessage of aw-chat-message-sent-v1 and the whole
 * payload is parsed strictly (an unknown key is an error, so text that
 * would close the value and add members is refused). evgen accepts the
 * input when the document parses and the raw view is the whole input
 * (whitespace aside); jansson when json_loadb does (JSON_DECODE_ANY). They
 * must agree; when both accept, the value evgen writes back (compacted by
 * the serializer) must be equal, as jansson reads it, to the input.
 *
 * Values: each input is also parsed as a whole document (ev_parse_any, and
 * for a sample named <event>-<version>.json that is a bare payload,
 * ev_parse_bare of that event). When evgen accepts it, jansson must too
 * (the schema only adds refusals), and every member of evgen's own
 * serialization (ev_serialize_any) must be in jansson's tree of the input
 * with an equal value: unknown keys, which evgen drops, are ignored. When
 * evgen refuses with a syntax error code, jansson must refuse too.
 *
 * jansson's limits, handled explicitly and counted (printed at the end):
 *   - numbers: read with JSON_DECODE_INT_AS_REAL, so integers beyond
 *     int64 (valid JSON, which jansson refuses as "too big integer") are
 *     doubles, and numbers compare as doubles on both sides; a number
 *     beyond the double range, which jansson refuses ("real number
 *     overflow"), is valid in an `any` for evgen: an exception when that is
 *     jansson's only complaint;
 *   - \u0000: allowed in strings with JSON_ALLOW_NUL, but jansson refuses
 *     it in object keys ("NUL byte in object key not supported"): an
 *     exception;
 *   - depth: evgen refuses nesting beyond EVG_MAX_DEPTH (64, envelope
 *     included: TOO_DEEP), jansson beyond 2048: an exception when evgen's
 *     refusal is TOO_DEEP;
 *   - a version the document did not carry, or carried as a newer minor or
 *     patch (EVG_VERSION_ASSUMED, EVG_FALLBACK): evgen writes the version it
 *     parsed as, which the input does not hold; the comparison accepts
 *     exactly that string there;
 *   - an optional constant of the envelope (a format version such as the
 *     Partner SDK's "schemaVersion":"1.0.0") that the input left out: evgen
 *     writes it (canonical form); accepted where the wire has it, with its
 *     value, and counted.
 * (The last two are evgen's canonical form, not jansson's limits.) */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <jansson.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

#define ARENA_SIZE (1u << 20)
#define JANSSON_FLAGS (JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL)

typedef struct counts {
    size_t inputs, syntax_both_accept, syntax_both_refuse;
    size_t documents_evgen_accepts, documents_syntax_refused;
    size_t exception_real_overflow, exception_nul_key, exception_depth, exception_version;
    size_t exception_envelope_const;
} counts;

/* What evgen may write that the input lacks: the version it assumed or
 * fell back to, and the optional constants of the envelope. */
typedef struct canonical {
    const char *version;
    const evg_wire_info *wire;
} canonical;

/* Whether the wire (or the wire it is a form of) has an optional constant
 * member named `key` holding `value`. */
static bool envelope_constant(const evg_wire_info *wire, const char *key, size_t key_len,
                              const json_t *value)
{
    for (int pass = 0; wire && pass < 2; pass++, wire = &ev_catalog.wires[wire->base]) {
        for (size_t i = 0; i < wire->member_count; i++) {
            const evg_wire_member *m = &wire->members[i];
            const evg_wire_node *node = &ev_catalog.nodes[m->node];
            if (m->role == EVG_ROLE_CONST && !m->required && node->key_len == key_len &&
                memcmp(node->key, key, key_len) == 0 && json_is_string(value) &&
                strcmp(json_string_value(value), m->value) == 0)
                return true;
        }
    }
    return false;
}

typedef struct input {
    char *data;
    size_t len;
    char name[160];
    const evg_event_info *bare_event;   /* a sample's event, for a bare payload */
} input;

typedef struct inputs {
    input *items;
    size_t count, cap;
} inputs;

static void add_input(inputs *all, const char *data, size_t len, const char *name,
                      const evg_event_info *bare_event)
{
    if (all->count == all->cap) {
        all->cap = all->cap ? all->cap * 2 : 1024;
        all->items = realloc(all->items, all->cap * sizeof *all->items);
        assert_non_null(all->items);
    }
    input *in = &all->items[all->count++];
    /* Exactly len bytes on the heap: ASan sees a read past the end. */
    in->data = malloc(len ? len : 1);
    assert_non_null(in->data);
    memcpy(in->data, data, len);
    in->len = len;
    snprintf(in->name, sizeof in->name, "%s", name);
    in->bare_event = bare_event;
}

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 65536, n = 0, got;
    char *buf = malloc(cap);
    assert_non_null(buf);
    while ((got = fread(buf + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap) {
            buf = realloc(buf, cap *= 2);
            assert_non_null(buf);
        }
    }
    fclose(f);
    *len = n;
    return buf;
}

static int by_name(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

/* The names in dir, sorted (so every run sees the same order). */
static size_t list_dir(const char *dir, char ***names)
{
    DIR *d = opendir(dir);
    assert_non_null(d);
    size_t n = 0, cap = 0;
    *names = NULL;
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        if (e->d_name[0] == '.')
            continue;
        if (n == cap) {
            *names = realloc(*names, (cap = cap ? cap * 2 : 64) * sizeof **names);
            assert_non_null(*names);
        }
        (*names)[n++] = strdup(e->d_name);
    }
    closedir(d);
    qsort(*names, n, sizeof **names, by_name);
    return n;
}

/* Samples are named <event>-<major>.<minor>.<patch>.json. */
static const evg_event_info *sample_event(const char *file)
{
    const char *dot = strstr(file, ".json");
    if (!dot)
        return NULL;
    const char *dash = dot;
    int dots = 0;
    while (dash > file && dash[-1] != '-')
        dots += *--dash == '.';
    if (dash == file || dots != 2)
        return NULL;
    return ev_find_event(file, (size_t)(dash - 1 - file));
}

static void add_samples(inputs *all)
{
    char **names;
    size_t n = list_dir("tests/samples", &names);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "tests/samples/%s", names[i]);
        size_t len;
        char *data = read_file(path, &len);
        assert_non_null(data);
        add_input(all, data, len, names[i], sample_event(names[i]));
        free(data);
        free(names[i]);
    }
    free(names);
}

static void add_stream(inputs *all, const char *path)
{
    size_t len;
    char *data = read_file(path, &len);
    assert_non_null(data);
    size_t line = 0;
    for (size_t start = 0; start < len;) {
        const char *nl = memchr(data + start, '\n', len - start);
        size_t end = nl ? (size_t)(nl - data) : len;
        char name[160];
        snprintf(name, sizeof name, "%s:%zu", path, ++line);
        add_input(all, data + start, end - start, name, NULL);
        start = end + 1;
    }
    free(data);
}

static void add_regressions(inputs *all)
{
    char **names;
    size_t n = list_dir("tests/fuzz/regressions", &names);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "tests/fuzz/regressions/%s", names[i]);
        size_t len;
        char *data = read_file(path, &len);
        assert_non_null(data);
        add_input(all, data, len, path, NULL);
        free(data);
        free(names[i]);
    }
    free(names);
}

/* Hand-made values at the edges of RFC 8259 and of both parsers. */
static const char *const edge_cases[] = {
    "0", "-0", "-0.0e-0", "1E+2", "1e-400", "1e400", "-1e400", "123456789012345678901234567890",
    "-9223372036854775809", "9223372036854775808", "1.7976931348623157e308", "4.9e-324",
    "01", "1.", ".5", "+1", "-", "1e", "1e+", "0x10", "Infinity", "NaN", "-Infinity",
    "\"\"", "\"\\u0000\"", "\"a\\u0000b\"", "{\"\\u0000\":1}", "{\"a\\u0000\":1}",
    "\"\\ud83d\\ude00\"", "\"\\ud800\"", "\"\\udc00\"", "\"\\ud800\\u0041\"", "\"\\uDBFF\\uDFFF\"",
    "\"\\u00e9\"", "\"\\x\"", "\"\\'\"", "\"\\U0041\"", "\"\\u12\"", "\"\\u12G4\"",
    "\"\xc3\xa9\"", "\"\xf4\x8f\xbf\xbf\"", "\"\xf4\x90\x80\x80\"", "\"\xc0\x80\"", "\"\xed\xa0\x80\"",
    "\"\xe2\x82\"", "\"\x80\"", "\"\xff\"", "\"\x7f\"", "\"\x1f\"", "\"\t\"", "\"\n\"",
    "\"unterminated", "[", "]", "{", "}", "[1,]", "[,1]", "{\"a\":1,}", "{,}", "{\"a\"}", "{\"a\":}",
    "{1:2}", "{'a':1}", "[1 2]", "{\"a\":1 \"b\":2}", "[[[[[[[[[[]]]]]]]]]]", "[[[[[[[[[[]]]]]]]]]",
    "{\"a\":1,\"a\":2}", "true", "false", "null", "True", "nul", "nulll", "truefalse",
    " \t\r\n1 \t\r\n", "\xef\xbb\xbf{}", "\f1", "1 /* c */", "// c\n1", "[1]x", "", " ",
    "\"a\" \"b\"", "{}{}", "[]]", "[\"\\/\\b\\f\\n\\r\\t\\\\\\\"\"]",
};

/* Deterministic mutations of one input. */
static const char *const insertions[] = {
    ",", "}", "]", "{", "[", "\"", "\\", ":", "null", "-", "0", "1e999", "\\u0000", "\\ud800",
    "\xff", "\xc0\x80", "\"\\u0000\":1,", " ", "\t", "01", ".5", "true", "\"x\":", "[[[[",
    "\x00", "\"\xed\xa0\x80\"", "1,", "\\uD83D\\uDE00",
};
#define INSERTION_COUNT (sizeof insertions / sizeof *insertions)

static void add_mutations(inputs *all, const input *base)
{
    size_t n = base->len;
    if (n == 0)
        return;
    char name[160];
    char *buf = malloc(n + 32);
    assert_non_null(buf);
    for (size_t k = 1; k < 16; k++) {   /* truncations */
        snprintf(name, sizeof name, "%.100s cut at %zu", base->name, k * n / 16);
        add_input(all, base->data, k * n / 16, name, base->bare_event);
    }
    for (size_t i = 0; i < 16; i++) {   /* bit flips */
        size_t at = (i * 7919 + 13) % n;
        memcpy(buf, base->data, n);
        buf[at] = (char)(buf[at] ^ (1u << (i % 8)));
        snprintf(name, sizeof name, "%.100s bit %zu of byte %zu", base->name, i % 8, at);
        add_input(all, buf, n, name, base->bare_event);
    }
    for (size_t i = 0; i < 8; i++) {    /* deletions */
        size_t at = (i * 4099 + 7) % n;
        memcpy(buf, base->data, at);
        memcpy(buf + at, base->data + at + 1, n - at - 1);
        snprintf(name, sizeof name, "%.100s without byte %zu", base->name, at);
        add_input(all, buf, n - 1, name, base->bare_event);
    }
    for (size_t i = 0; i < 12; i++) {   /* insertions */
        size_t at = (i * 6151 + 3) % (n + 1);
        const char *token = insertions[(i + n) % INSERTION_COUNT];
        size_t tl = strlen(token) ? strlen(token) : 1;   /* "\x00" is one NUL byte */
        memcpy(buf, base->data, at);
        memcpy(buf + at, token, tl);
        memcpy(buf + at + tl, base->data + at, n - at);
        snprintf(name, sizeof name, "%.100s with token %zu at %zu", base->name, (i + n) % INSERTION_COUNT, at);
        add_input(all, buf, n + tl, name, base->bare_event);
    }
    free(buf);
}

/* MARK: comparison */

static void show(const char *what, const input *in)
{
    fprintf(stderr, "%s: %s (%zu bytes): ", what, in->name, in->len);
    for (size_t i = 0; i < in->len && i < 300; i++) {
        unsigned char c = (unsigned char)in->data[i];
        if (c >= 0x20 && c < 0x7f)
            fputc(c, stderr);
        else
            fprintf(stderr, "\\x%02x", c);
    }
    fputc('\n', stderr);
}

static bool is_ws(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r';
}

static bool syntax_code(evg_code code)
{
    switch (code) {
    case EVG_ERR_SYNTAX:
    case EVG_ERR_TRUNCATED:
    case EVG_ERR_TRAILING:
    case EVG_ERR_BAD_STRING:
    case EVG_ERR_BAD_ESCAPE:
    case EVG_ERR_BAD_UTF8:
    case EVG_ERR_BAD_NUMBER:
        return true;
    default:
        return false;
    }
}

/* jansson refuses what RFC 8259 allows (the limits in the header). */
static bool jansson_limit(const json_error_t *e, counts *c)
{
    if (strstr(e->text, "real number overflow")) {
        c->exception_real_overflow++;
        return true;
    }
    if (strstr(e->text, "NUL byte in object key")) {
        c->exception_nul_key++;
        return true;
    }
    return false;
}

/* Every member of `out` (evgen's serialization) is in `in` with an equal
 * value; `version`, when not NULL, may stand where the input has another
 * string or nothing (the version evgen assumed or fell back to). */
static bool subset(const json_t *out, const json_t *in, const canonical *canon, counts *c)
{
    const char *version = canon->version;
    if (version && json_is_string(out) && strcmp(json_string_value(out), version) == 0 &&
        (!in || json_is_string(in))) {
        if (!in || !json_equal(out, in))
            c->exception_version++;
        return true;
    }
    if (!in)
        return false;
    if (json_is_object(out)) {
        if (!json_is_object(in))
            return false;
        const char *key;
        size_t key_len;
        json_t *value;
        json_object_keylen_foreach((json_t *)out, key, key_len, value) {
            const json_t *theirs = json_object_getn(in, key, key_len);
            if (!theirs && envelope_constant(canon->wire, key, key_len, value)) {
                c->exception_envelope_const++;
                continue;
            }
            if (!subset(value, theirs, canon, c)) {
                fprintf(stderr, "  at key \"%.*s\"\n", (int)key_len, key);
                return false;
            }
        }
        return true;
    }
    if (json_is_array(out)) {
        if (!json_is_array(in) || json_array_size(in) != json_array_size(out))
            return false;
        for (size_t i = 0; i < json_array_size(out); i++)
            if (!subset(json_array_get(out, i), json_array_get(in, i), canon, c)) {
                fprintf(stderr, "  at index %zu\n", i);
                return false;
            }
        return true;
    }
    return json_equal((json_t *)out, (json_t *)in);
}

/* The input as message.rawMessage: the same verdict, and an equal value. */
static const char ANY_BEFORE[] =
    "{\"interactionId\":\"i\",\"message\":{\"id\":\"m\",\"timestamp\":1,\"type\":\"t\",\"rawMessage\":";
static const char ANY_AFTER[] = "}}";

static void check_syntax(const input *in, void *arena_buf, counts *c)
{
    size_t before = sizeof ANY_BEFORE - 1, after = sizeof ANY_AFTER - 1;
    size_t len = before + in->len + after;
    char *doc = malloc(len);
    assert_non_null(doc);
    memcpy(doc, ANY_BEFORE, before);
    memcpy(doc + before, in->data, in->len);
    memcpy(doc + before + in->len, ANY_AFTER, after);

    size_t first = 0, last = in->len;
    while (first < last && is_ws(in->data[first]))
        first++;
    while (last > first && is_ws(in->data[last - 1]))
        last--;
    ev_aw_chat_message_sent_v1_1_0_0 parsed;
    evg_arena arena;
    evg_arena_init(&arena, arena_buf, ARENA_SIZE);
    evg_error err;
    bool parsed_ok = ev_aw_chat_message_sent_v1_1_0_0_parse(doc, len, &parsed, &arena, EVG_STRICT, &err);
    const evg_str raw = parsed.message.rawMessage;
    bool evgen_ok = parsed_ok && raw.ptr == doc + before + first && raw.len == last - first;

    json_error_t jerr;
    json_t *tree = json_loadb(in->data, in->len, JANSSON_FLAGS, &jerr);
    if (evgen_ok && !tree) {
        if (!jansson_limit(&jerr, c)) {
            show("evgen accepts, jansson refuses", in);
            fail_msg("jansson: %s", jerr.text);
        }
    } else if (!evgen_ok && tree) {
        if (parsed_ok || err.code != EVG_ERR_TOO_DEEP) {
            show("jansson accepts, evgen refuses", in);
            fail_msg("evgen: %s", parsed_ok ? "the value is not the whole input" : evg_code_name(err.code));
        }
        c->exception_depth++;
    } else if (evgen_ok) {
        c->syntax_both_accept++;
        /* The value evgen writes back, as jansson reads it, is the input's. */
        size_t need = ev_aw_chat_message_sent_v1_1_0_0_serialize(&parsed, NULL, 0, &err);
        if (need == 0) {
            show("evgen does not write back what it accepted", in);
            fail_msg("%s", evg_code_name(err.code));
        }
        char *out = malloc(need + 1);
        assert_non_null(out);
        assert_int_equal(ev_aw_chat_message_sent_v1_1_0_0_serialize(&parsed, out, need + 1, &err), need);
        json_t *written = json_loadb(out, need, JANSSON_FLAGS, &jerr);
        assert_non_null(written);
        json_t *value = json_object_get(json_object_get(written, "message"), "rawMessage");
        if (!json_equal(value, tree)) {
            show("the value evgen writes back differs", in);
            fail_msg("written: %.*s", (int)need, out);
        }
        json_decref(written);
        free(out);
    } else {
        c->syntax_both_refuse++;
    }
    json_decref(tree);
    free(doc);
}

/* The input as a whole document: evgen's typed values against jansson's tree. */
static void check_values(const input *in, void *arena_buf, counts *c)
{
    static ev_any any;
    evg_arena arena;
    evg_arena_init(&arena, arena_buf, ARENA_SIZE);
    evg_error err;
    bool ok = ev_parse_any(in->data, in->len, &any, &arena, 0, &err);
    if (!ok && in->bare_event && !syntax_code(err.code)) {
        evg_arena_init(&arena, arena_buf, ARENA_SIZE);
        ok = ev_parse_bare(in->bare_event, in->data, in->len, &any, &arena, 0, &err);
    }
    json_error_t jerr;
    json_t *tree = json_loadb(in->data, in->len, JANSSON_FLAGS, &jerr);
    if (!ok) {
        if (syntax_code(err.code)) {
            c->documents_syntax_refused++;
            if (tree) {
                show("jansson accepts a document evgen calls invalid JSON", in);
                fail_msg("evgen: %s at %zu", evg_code_name(err.code), err.offset);
            }
        }
        json_decref(tree);
        return;
    }
    c->documents_evgen_accepts++;
    if (!tree) {
        if (!jansson_limit(&jerr, c)) {
            show("evgen accepts a document jansson refuses", in);
            fail_msg("jansson: %s", jerr.text);
        }
        return;
    }
    size_t need = ev_serialize_any(&any, NULL, 0, &err);
    if (need == 0) {
        show("evgen does not write back what it accepted", in);
        fail_msg("%s", evg_code_name(err.code));
    }
    char *out = malloc(need + 1);
    assert_non_null(out);
    assert_int_equal(ev_serialize_any(&any, out, need + 1, &err), need);
    json_t *written = json_loadb(out, need, JANSSON_FLAGS, &jerr);
    if (!written) {
        show("jansson cannot read what evgen writes", in);
        fail_msg("jansson: %s\nwritten: %.*s", jerr.text, (int)need, out);
    }
    canonical canon = {any.info && (any.flags & (EVG_FALLBACK | EVG_VERSION_ASSUMED))
                           ? any.info->version
                           : NULL,
                       any.wire};
    if (!subset(written, tree, &canon, c)) {
        show("a value evgen parsed differs from jansson's", in);
        fail_msg("written: %.*s", (int)need, out);
    }
    json_decref(written);
    json_decref(tree);
    free(out);
}

static void differential(void **state)
{
    (void)state;
    inputs all = {0};
    add_samples(&all);
    add_stream(&all, "tests/streams/valid.jsonl");
    add_stream(&all, "tests/streams/all-versions.jsonl");
    add_regressions(&all);
    for (size_t i = 0; i < sizeof edge_cases / sizeof *edge_cases; i++) {
        char name[64];
        snprintf(name, sizeof name, "edge case %zu", i);
        add_input(&all, edge_cases[i], strlen(edge_cases[i]), name, NULL);
    }
    size_t bases = all.count;
    for (size_t i = 0; i < bases; i++) {
        /* A copy: adding inputs moves the array. */
        input base = all.items[i];
        if (strncmp(base.name, "edge case", 9) != 0 && strncmp(base.name, "tests/fuzz/", 11) != 0)
            add_mutations(&all, &base);
    }

    void *arena_buf = malloc(ARENA_SIZE);
    assert_non_null(arena_buf);
    counts c = {0};
    for (size_t i = 0; i < all.count; i++) {
        c.inputs++;
        check_syntax(&all.items[i], arena_buf, &c);
        check_values(&all.items[i], arena_buf, &c);
        free(all.items[i].data);
    }
    free(all.items);
    free(arena_buf);
    printf("differential: %zu inputs; as an `any`: %zu accepted by both, %zu refused by both;\n"
           "  as documents: %zu accepted by evgen (every value checked), %zu refused as invalid JSON;\n"
           "  jansson's limits: %zu number(s) beyond double, %zu NUL(s) in keys, %zu nesting(s)\n"
           "  beyond EVG_MAX_DEPTH; canonical form: %zu version(s) evgen assumed or fell back to,\n"
           "  %zu optional envelope constant(s) the input left out\n",
           c.inputs, c.syntax_both_accept, c.syntax_both_refuse, c.documents_evgen_accepts,
           c.documents_syntax_refused, c.exception_real_overflow, c.exception_nul_key,
           c.exception_depth, c.exception_version, c.exception_envelope_const);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(differential),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
