/* fuzz_roots_check.h - the properties of the per-event entry points, shared
 * by two libFuzzer targets and their replay in tests/test_rt_regressions.c:
 *
 * fz_check_root_input (fuzz_parse_root.c): the first byte picks an entry
 * point of fz_roots[] (every event version and form payload, in the order
 * of tests/fuzz/templates' rendering, listed in fuzz_roots.txt); the rest of
 * the input goes to its bare parser (ev_X_parse) and, for an event version,
 * to its wire parser (ev_X_parse_wire), each through every check of
 * fuzz_check.h: four arena/strict configurations, errors well-formed,
 * success serializes (ev_X_serialize / ev_X_serialize_wire) at every cap,
 * reparses and is a fixed point.
 *
 * fz_check_roundtrip_input (fuzz_roundtrip.c): the first byte picks an
 * entry point, the rest fills a struct of it (fuzz_fill.h: every member,
 * valid values and refusals mixed), which is serialized bare and, for an
 * event version, in its wire. Then:
 *   refused  (returns 0): something was injected that the serializer must
 *            refuse, err.code is one of the codes recorded for it, err.pointer
 *            is well-formed, and the buffer holds an empty string; the same
 *            with err NULL and when measuring (cap 0);
 *   written  nothing was injected that must be refused; err.code is OK; the
 *            length is the same at every cap (guard bytes, fuzz_check.h); the
 *            output parses back strictly with the matching parser, and the
 *            parsed struct serializes to the same bytes (the values are equal
 *            as far as the document can tell). */
#ifndef TESTS_FUZZ_ROOTS_CHECK_H
#define TESTS_FUZZ_ROOTS_CHECK_H

#include "fuzz/fuzz_check.h"
#include "fuzz/fuzz_fill.h"

static bool fz_parse_root_bare(const fz_target *t, const char *json, size_t len, void *out,
                               evg_arena *arena, unsigned flags, evg_error *err)
{
    const fz_root *r = t->root;
    return r->parse(json, len, out, arena, flags, err);
}

static bool fz_parse_root_wire(const fz_target *t, const char *json, size_t len, void *out,
                               evg_arena *arena, unsigned flags, evg_error *err)
{
    const fz_root *r = t->root;
    return r->parse_wire(json, len, out, arena, flags, err);
}

static size_t fz_serialize_root_bare(const fz_target *t, const void *in, char *buf, size_t cap,
                                     evg_error *err)
{
    const fz_root *r = t->root;
    return r->serialize(in, buf, cap, err);
}

static size_t fz_serialize_root_wire(const fz_target *t, const void *in, char *buf, size_t cap,
                                     evg_error *err)
{
    const fz_root *r = t->root;
    return r->serialize_wire(in, buf, cap, err);
}

/* The bare and the wire entry points of one root, named for messages. */
static void fz_root_targets(const fz_root *r, fz_target *bare, char *bare_what, fz_target *wire,
                            char *wire_what, size_t what_size)
{
    snprintf(bare_what, what_size, "%s %s parse", r->event, r->version ? r->version : "(form)");
    snprintf(wire_what, what_size, "%s %s parse_wire", r->event, r->version ? r->version : "(form)");
    fz_target b = {bare_what, fz_parse_root_bare, fz_serialize_root_bare, NULL, NULL, NULL, r};
    fz_target w = {wire_what, fz_parse_root_wire, fz_serialize_root_wire, NULL, NULL, NULL, r};
    *bare = b;
    *wire = w;
}

static FZ_UNUSED void fz_check_root_input(const uint8_t *data, size_t size)
{
    if (size == 0)
        return;
    const fz_root *r = &fz_roots[data[0] % fz_root_count];
    char bare_what[256], wire_what[256];
    fz_target bare, wire;
    fz_root_targets(r, &bare, bare_what, &wire, wire_what, sizeof bare_what);
    fz_check_target(&bare, (const char *)data + 1, size - 1);
    if (r->parse_wire)
        fz_check_target(&wire, (const char *)data + 1, size - 1);
}

/* Big enough for anything the fillers make (at most 15 items per array,
 * strings of at most 8 pieces or 48 bytes), escapes decoded. */
#define FZ_ROUNDTRIP_ARENA (4u << 20)

static void fz_check_refusal(const fz_target *t, const fz_fill *f, const void *value,
                             const evg_error *err)
{
    FZ_CHECK(err->code != EVG_ERR_OK && (unsigned)err->code < EVG_ERR_COUNT_,
             "%s: serializer returned 0 with error code %d", t->what, (int)err->code);
    FZ_CHECK((f->allowed & FZ_CODE_BIT(err->code)) != 0,
             "%s: refused with %s at \"%s\", which nothing injected calls for (injected: 0x%x%s)",
             t->what, evg_code_name(err->code), err->pointer, (unsigned)f->allowed,
             f->definite ? ", definite" : "");
    FZ_CHECK(err->message != NULL, "%s: refusal %s without a message", t->what,
             evg_code_name(err->code));
    const char *nul = memchr(err->pointer, '\0', sizeof err->pointer);
    FZ_CHECK(nul != NULL && (err->pointer[0] == '\0' || err->pointer[0] == '/'),
             "%s: refusal %s with a malformed pointer", t->what, evg_code_name(err->code));
    /* The same refusal when writing, and the buffer an empty string. */
    char buf[64];
    memset(buf, 'X', sizeof buf);
    evg_error again;
    memset(&again, 0x5A, sizeof again);
    size_t n = t->serialize(t, value, buf, sizeof buf, &again);
    FZ_CHECK(n == 0 && buf[0] == '\0', "%s: refused when measuring, wrote %zu bytes into 64", t->what,
             n);
    FZ_CHECK(again.code == err->code && strcmp(again.pointer, err->pointer) == 0,
             "%s: refused with %s \"%s\" when measuring, %s \"%s\" when writing", t->what,
             evg_code_name(err->code), err->pointer, evg_code_name(again.code), again.pointer);
    FZ_CHECK(t->serialize(t, value, buf, sizeof buf, NULL) == 0 && buf[0] == '\0',
             "%s: refused with err, written without", t->what);
}

/* Every cap is checked for short documents only: the check is quadratic
 * (it made this target 10 times slower at 2 KiB), and fuzz_parse_any covers
 * the writer's cap handling at every size. Longer ones are checked at a
 * few caps around the edges and the middle. */
#define FZ_ROUNDTRIP_EVERY_CAP_MAX 256u

static void fz_check_some_caps(const fz_target *t, const void *value, const char *full,
                               size_t need)
{
    const size_t caps[] = {1, 2, need / 3, need / 2, need - 1, need, need + 1};
    char *buf = malloc(need + 2);
    FZ_CHECK(buf != NULL, "out of memory");
    for (size_t i = 0; i < sizeof caps / sizeof *caps; i++) {
        size_t cap = caps[i];
        memset(buf, FZ_GUARD_BYTE, need + 2);
        size_t got = fz_serialize_ok(t, "filled", value, buf, cap);
        size_t text = cap - 1 < need ? cap - 1 : need;
        FZ_CHECK(got == need && memcmp(buf, full, text) == 0 && buf[text] == '\0' &&
                     (unsigned char)buf[cap] == FZ_GUARD_BYTE,
                 "%s: cap %zu: returned %zu of %zu, or not the terminated prefix, or wrote past cap",
                 t->what, cap, got, need);
    }
    free(buf);
}

static void fz_check_written(const fz_target *t, const fz_fill *f, const void *value, size_t need,
                             void *arena_buf)
{
    FZ_CHECK(!f->definite,
             "%s: serialized although the value holds something it must refuse (one of 0x%x)",
             t->what, (unsigned)f->allowed);
    size_t len;
    char *out = fz_serialize(t, "filled", value, &len, need <= FZ_ROUNDTRIP_EVERY_CAP_MAX);
    if (need > FZ_ROUNDTRIP_EVERY_CAP_MAX)
        fz_check_some_caps(t, value, out, len);
    /* Back, strictly: the writer writes only the keys the parser knows. */
    static ev_any parsed;
    char *copy = malloc(len ? len : 1);
    FZ_CHECK(copy != NULL, "out of memory");
    memcpy(copy, out, len);
    evg_arena arena;
    evg_arena_init(&arena, arena_buf, FZ_ROUNDTRIP_ARENA);
    evg_error err;
    fz_dirty_stack();
    if (!fz_parse(t, copy, len, &parsed, &arena, EVG_STRICT, &err)) {
        char msg[EVG_POINTER_MAX + 512];
        evg_error_format(&err, msg, sizeof msg);
        FZ_FAIL("%s: the serialized value does not parse back: %s\noutput: %.*s", t->what, msg,
                (int)len, out);
    }
    size_t len2;
    char *out2 = fz_serialize(t, "parsed back", &parsed, &len2, false);
    FZ_CHECK(len2 == len && memcmp(out, out2, len) == 0,
             "%s: the value parsed back differs:\nwritten:  %.*s\nreparsed: %.*s", t->what,
             (int)len, out, (int)len2, out2);
    free(out2);
    free(copy);
    free(out);
}

static void fz_check_filled(const fz_target *t, const fz_fill *f, const void *value,
                            void *arena_buf)
{
    evg_error err;
    memset(&err, 0x5A, sizeof err);
    size_t need = t->serialize(t, value, NULL, 0, &err);
    FZ_CHECK(t->serialize(t, value, NULL, 0, NULL) == need, "%s: err NULL changes the length",
             t->what);
    if (need == 0)
        fz_check_refusal(t, f, value, &err);
    else
        fz_check_written(t, f, value, need, arena_buf);
}

static FZ_UNUSED void fz_check_roundtrip_input(const uint8_t *data, size_t size)
{
    static void *arena_buf;
    static ev_any value;
    if (size == 0)
        return;
    if (!arena_buf) {
        arena_buf = malloc(FZ_ROUNDTRIP_ARENA);
        FZ_CHECK(arena_buf != NULL, "out of memory");
    }
    const fz_root *r = &fz_roots[data[0] % fz_root_count];
    char bare_what[256], wire_what[256];
    fz_target bare, wire;
    fz_root_targets(r, &bare, bare_what, &wire, wire_what, sizeof bare_what);
    fz_fill f;
    fz_fill_init(&f, data + 1, size - 1);
    memset(&value, 0, sizeof value);
    r->fill(&f, &value);
    if (!f.out_of_memory) {
        fz_check_filled(&bare, &f, &value, arena_buf);
        if (r->parse_wire)
            fz_check_filled(&wire, &f, &value, arena_buf);
    }
    fz_fill_free(&f);
}

#endif /* TESTS_FUZZ_ROOTS_CHECK_H */
