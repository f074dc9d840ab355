/* fuzz_check.h - the properties every input must satisfy, shared by the
 * libFuzzer targets over the generated parsers (tests/fuzz/fuzz_parse_any.c,
 * and through fuzz_roots_check.h fuzz_parse_root.c and fuzz_roundtrip.c)
 * and the cmocka replay of their saved inputs (tests/test_rt_regressions.c),
 * so both check the same things. An entry point is an fz_target: a parser
 * and its serializer behind one signature.
 *
 * fz_check_input(data, size) runs:
 *   - ev_parse_any on the input with a 64 KiB arena, then with EVG_STRICT,
 *     with a 64-byte arena, and with no arena;
 *   - ev_parse_bare on data + 1 for the event ev_events[data[0] % EV_EVENT_COUNT],
 *     under the same four configurations;
 * and for each parse:
 *   on failure  err.code is an error code (not OK, < EVG_ERR_COUNT_),
 *               err.offset <= size, err.message is set, err.pointer is
 *               NUL-terminated and is "" or starts with '/' (a pointer cut to
 *               fit EVG_POINTER_MAX keeps its innermost whole steps and sets
 *               err.pointer_cut), and evg_error_format agrees with itself;
 *   on success  err.code stays OK, kind/event/info agree with each other;
 *               the document serializes with err.code OK (serializers
 *               return 0 only for a value they must refuse, and a parsed
 *               value is never one; first call with cap 0 gives the
 *               length), every cap from 0 to need + 1 (sampled above
 *               FZ_EVERY_CAP_MAX) gives that same length,
 *               never writes at or past cap (guard bytes), NUL-terminates
 *               and writes a prefix of the full output; the output has no NUL
 *               byte, parses again (exact-size copy, same entry point), to the
 *               same kind and wire, and serializes byte-identically (fixed point).
 * Across configurations (the parse is deterministic but for the arena and
 * the strict flag):
 *   - strict success implies default success with the same output;
 *   - with a smaller or no arena, success implies default success with the
 *     same output, and a failure is either ARENA_FULL or exactly the default
 *     parse's error (code, offset, pointer).
 *
 * The includer may define FZ_FAIL(...) (printf-style) before including; the
 * default prints and aborts, which libFuzzer reports as a crash. */
#ifndef TESTS_FUZZ_CHECK_H
#define TESTS_FUZZ_CHECK_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

/* For the entry functions: each includer uses some of them. */
#ifndef FZ_UNUSED
#if defined(__GNUC__) || defined(__clang__)
#define FZ_UNUSED __attribute__((unused))
#else
#define FZ_UNUSED
#endif
#endif

#ifndef FZ_FAIL
#define FZ_FAIL(...)                                                              \
    do {                                                                          \
        fprintf(stderr, "fuzz_check: %s:%d: ", __FILE__, __LINE__);               \
        fprintf(stderr, __VA_ARGS__);                                             \
        fputc('\n', stderr);                                                      \
        abort();                                                                  \
    } while (0)
#endif

#define FZ_CHECK(cond, ...)                                                       \
    do {                                                                          \
        if (!(cond))                                                              \
            FZ_FAIL(__VA_ARGS__);                                                 \
    } while (0)

#define FZ_ARENA_BIG   (64u * 1024u)
#define FZ_ARENA_TINY  64u
#define FZ_GUARD       32u
#define FZ_GUARD_BYTE  0xA5
/* Outputs up to this size are checked at every cap; larger ones (only
 * hand-made huge inputs get there, FUZZ_MAX_LEN is 8192) at caps 0..1024,
 * need-1024..need+1 and 512 caps spread in between, so that the check,
 * quadratic in the output's size, stays affordable. */
#define FZ_EVERY_CAP_MAX 16384u

/* One entry point under test, behind one signature: ev_parse_any,
 * ev_parse_bare(event), or an event version's own parse/_parse_wire (the
 * per-root targets, tests/fuzz/fuzz_roots_check.h). Values live in buffers
 * the size of an ev_any, which holds every root struct of the catalog. */
typedef struct fz_target fz_target;
struct fz_target {
    const char *what;
    bool (*parse)(const fz_target *t, const char *json, size_t len, void *out, evg_arena *arena,
                  unsigned flags, evg_error *err);
    size_t (*serialize)(const fz_target *t, const void *in, char *buf, size_t cap,
                        evg_error *err);
    /* Consistency of a successful result, or what a failed parse must
     * leave; either may be NULL. */
    void (*check_value)(const fz_target *t, const char *config, const void *value);
    void (*check_failed)(const fz_target *t, const char *config, const void *value);
    const evg_event_info *event;   /* ev_parse_bare's event */
    const void *root;              /* the per-root target's table row */
};

static bool fz_parse_any_or_bare(const fz_target *t, const char *json, size_t len, void *out,
                                 evg_arena *arena, unsigned flags, evg_error *err)
{
    if (t->event)
        return ev_parse_bare(t->event, json, len, out, arena, flags, err);
    return ev_parse_any(json, len, out, arena, flags, err);
}

static size_t fz_serialize_any(const fz_target *t, const void *in, char *buf, size_t cap,
                               evg_error *err)
{
    (void)t;
    return ev_serialize_any(in, buf, cap, err);
}

static bool fz_parse(const fz_target *t, const char *json, size_t len, void *out,
                     evg_arena *arena, unsigned flags, evg_error *err)
{
    return t->parse(t, json, len, out, arena, flags, err);
}

/* Serializes, requiring err.code to stay OK: a value the parser accepted
 * is one the serializer writes (docs/reliability.md). */
static size_t fz_serialize_ok(const fz_target *t, const char *config, const void *in, char *buf,
                              size_t cap);

/* Fills the stack below the caller with a pattern, so that a parser state
 * left uninitialized shows the pattern instead of whatever the last call
 * left there (deterministic across the fuzzer and the replay). */
#if defined(__GNUC__) || defined(__clang__)
__attribute__((noinline))
#endif
static void fz_dirty_stack(void)
{
    volatile unsigned char junk[16384];
    for (size_t i = 0; i < sizeof junk; i++)
        junk[i] = (unsigned char)0xCC;
    (void)junk[0];
}

static void fz_check_error(const fz_target *t, const char *config, const evg_error *err, size_t len)
{
    FZ_CHECK(err->code != EVG_ERR_OK && (unsigned)err->code < EVG_ERR_COUNT_,
             "%s/%s: failed parse with error code %d", t->what, config, (int)err->code);
    FZ_CHECK(err->offset <= len, "%s/%s: %s at offset %zu past the input's %zu bytes", t->what,
             config, evg_code_name(err->code), err->offset, len);
    FZ_CHECK(err->message != NULL, "%s/%s: %s without a message", t->what, config,
             evg_code_name(err->code));
    const char *nul = memchr(err->pointer, '\0', sizeof err->pointer);
    FZ_CHECK(nul != NULL, "%s/%s: %s: err.pointer is not NUL-terminated", t->what, config,
             evg_code_name(err->code));
    FZ_CHECK(err->pointer[0] == '\0' || err->pointer[0] == '/',
             "%s/%s: %s: err.pointer does not start with '/': first byte 0x%02x, \"%.*s\"", t->what,
             config, evg_code_name(err->code), (unsigned char)err->pointer[0],
             (int)(nul - err->pointer), err->pointer);

    char full[EVG_POINTER_MAX + 512], small[16];
    size_t n = evg_error_format(err, full, sizeof full);
    FZ_CHECK(n < sizeof full && strlen(full) == n, "%s/%s: evg_error_format length %zu", t->what,
             config, n);
    FZ_CHECK(evg_error_format(err, small, sizeof small) == n && strlen(small) == (n < 15 ? n : 15),
             "%s/%s: evg_error_format disagrees with itself", t->what, config);
}

static void fz_check_any(const fz_target *t, const char *config, const void *value)
{
    const ev_any *a = value;
    FZ_CHECK(a->kind > EV_KIND_NONE && a->kind < EV_KIND_COUNT_, "%s/%s: success with kind %d",
             t->what, config, (int)a->kind);
    FZ_CHECK(a->event != NULL, "%s/%s: success without an event", t->what, config);
    if (t->event)
        FZ_CHECK(a->event == t->event && a->wire == NULL,
                 "%s/%s: bare parse of %s gave event %s in wire %s", t->what, config, t->event->name,
                 a->event->name, a->wire ? a->wire->name : "(none)");
    if (!a->info) {
        /* A form's report: the wire is a form of one the event travels in. */
        FZ_CHECK(a->wire != NULL && a->wire->payload_count > 0,
                 "%s/%s: a result without info that is no form's report", t->what, config);
        return;
    }
    FZ_CHECK(a->info->kind == (int)a->kind && strcmp(a->info->event, a->event->name) == 0,
             "%s/%s: kind %d, info and event disagree", t->what, config, (int)a->kind);
    if (a->wire) {
        bool its_own = false;
        for (size_t i = 0; i < a->event->wire_count; i++)
            its_own = its_own || &ev_wires[a->event->wires[i]] == &ev_wires[a->wire->base];
        FZ_CHECK(its_own, "%s/%s: %s came in wire %s, which it does not travel in", t->what, config,
                 a->event->name, a->wire->name);
    }
}

static void fz_check_any_failed(const fz_target *t, const char *config, const void *value)
{
    const ev_any *a = value;
    FZ_CHECK(a->kind == EV_KIND_NONE, "%s/%s: failed parse left kind %d", t->what, config,
             (int)a->kind);
}

static size_t fz_serialize_ok(const fz_target *t, const char *config, const void *in, char *buf,
                              size_t cap)
{
    evg_error err;
    memset(&err, 0x5A, sizeof err);
    size_t n = t->serialize(t, in, buf, cap, &err);
    if (err.code != EVG_ERR_OK) {
        char msg[EVG_POINTER_MAX + 512];
        evg_error_format(&err, msg, sizeof msg);
        FZ_FAIL("%s/%s: a parsed value does not serialize (cap %zu): %s", t->what, config, cap,
                msg);
    }
    return n;
}

/* Serializes `a` (already checked) into a malloc'd buffer of exactly *len
 * bytes plus a NUL. With every_cap, first checks every cap from 0 to
 * need + 1 against guard bytes: the buffer is filled with the guard byte
 * once, and since a correct call never writes at or past cap, the bytes
 * from cap on must still hold it after the call for that cap. */
static char *fz_serialize(const fz_target *t, const char *config, const void *a, size_t *len,
                          bool every_cap)
{
    static unsigned char *guard;
    static size_t guard_size;
    size_t need = fz_serialize_ok(t, config, a, NULL, 0);
    FZ_CHECK(need > 0, "%s/%s: serialized to nothing", t->what, config);
    char *full = malloc(need + 1);
    FZ_CHECK(full != NULL, "out of memory");
    FZ_CHECK(fz_serialize_ok(t, config, a, full, need + 1) == need && full[need] == '\0',
             "%s/%s: full serialization changed length or is not terminated", t->what, config);
    FZ_CHECK(memchr(full, '\0', need) == NULL, "%s/%s: NUL byte inside the output", t->what, config);
    *len = need;
    if (!every_cap)
        return full;

    size_t size = need + 1 + FZ_GUARD;
    if (guard_size < size) {
        free(guard);
        guard = malloc(size);
        FZ_CHECK(guard != NULL, "out of memory");
        memset(guard, FZ_GUARD_BYTE, size);
        guard_size = size;
    }
    unsigned char *buf = malloc(size);
    FZ_CHECK(buf != NULL, "out of memory");
    memset(buf, FZ_GUARD_BYTE, size);
    for (size_t cap = 0; cap <= need + 1; cap++) {
        if (need > FZ_EVERY_CAP_MAX && cap > 1024 && cap + 1024 < need && cap % (need / 512) != 0)
            continue;
        size_t got = fz_serialize_ok(t, config, a, (char *)buf, cap);
        FZ_CHECK(got == need, "%s/%s: cap %zu: returned %zu, need %zu", t->what, config, cap, got, need);
        if (memcmp(buf + cap, guard, size - cap) != 0) {
            size_t i = cap;
            while (buf[i] == FZ_GUARD_BYTE)
                i++;
            FZ_FAIL("%s/%s: cap %zu: byte %zu written past cap", t->what, config, cap, i);
        }
        if (cap > 0) {
            size_t text = cap - 1 < need ? cap - 1 : need;
            FZ_CHECK(memcmp(buf, full, text) == 0 && buf[text] == '\0',
                     "%s/%s: cap %zu: not the terminated %zu-byte prefix of the output", t->what,
                     config, cap, text);
        }
    }
    free(buf);
    return full;
}

/* What one configuration gave: success, error, and the output on success. */
typedef struct fz_result {
    bool ok;
    evg_error err;
    char *out;
    size_t out_len;
} fz_result;

static void fz_run(const fz_target *t, const char *config, const char *json, size_t len,
                   evg_arena *arena, unsigned flags, bool every_cap, fz_result *r)
{
    static ev_any any;
    memset(&any, 0x5A, sizeof any);   /* the parser must not rely on a zeroed out */
    memset(&r->err, 0x5A, sizeof r->err);
    fz_dirty_stack();
    r->ok = fz_parse(t, json, len, &any, arena, flags, &r->err);
    r->out = NULL;
    r->out_len = 0;
    if (!r->ok) {
        fz_check_error(t, config, &r->err, len);
        if (t->check_failed)
            t->check_failed(t, config, &any);
        return;
    }
    FZ_CHECK(r->err.code == EVG_ERR_OK, "%s/%s: success, but err.code is %s", t->what, config,
             evg_code_name(r->err.code));
    if (t->check_value)
        t->check_value(t, config, &any);
    r->out = fz_serialize(t, config, &any, &r->out_len, every_cap);
}

/* The output parses back (from an exact-size copy, so ASan sees over-reads)
 * and serializes to the same bytes. */
static void fz_check_fixed_point(const fz_target *t, const fz_result *r, void *arena_buf)
{
    static ev_any again;
    evg_arena arena;
    evg_error err;
    char *copy = malloc(r->out_len);
    FZ_CHECK(copy != NULL, "out of memory");
    memcpy(copy, r->out, r->out_len);
    evg_arena_init(&arena, arena_buf, FZ_ARENA_BIG);
    fz_dirty_stack();
    bool ok = fz_parse(t, copy, r->out_len, &again, &arena, 0, &err);
    if (!ok) {
        char msg[EVG_POINTER_MAX + 512];
        evg_error_format(&err, msg, sizeof msg);
        FZ_FAIL("%s: the serialized output does not parse again: %s\noutput: %.*s", t->what, msg,
                (int)r->out_len, r->out);
    }
    if (t->check_value)
        t->check_value(t, "reparse", &again);
    size_t len2;
    char *out2 = fz_serialize(t, "reparse", &again, &len2, false);
    FZ_CHECK(len2 == r->out_len && memcmp(out2, r->out, len2) == 0,
             "%s: not a fixed point:\nfirst:  %.*s\nsecond: %.*s", t->what, (int)r->out_len, r->out,
             (int)len2, out2);
    free(out2);
    free(copy);
}

static void fz_same_output(const fz_target *t, const char *config, const fz_result *base,
                           const fz_result *r)
{
    FZ_CHECK(base->ok, "%s: %s succeeded where the default parse failed (%s)", t->what, config,
             evg_code_name(base->err.code));
    FZ_CHECK(r->out_len == base->out_len && memcmp(r->out, base->out, r->out_len) == 0,
             "%s: %s gives other output:\ndefault: %.*s\n%s: %.*s", t->what, config,
             (int)base->out_len, base->out, config, (int)r->out_len, r->out);
}

/* A smaller arena may only fail for want of arena; otherwise it must take
 * the default parse's path exactly. */
static void fz_same_or_arena_full(const fz_target *t, const char *config, const fz_result *base,
                                  const fz_result *r)
{
    if (r->ok) {
        fz_same_output(t, config, base, r);
        return;
    }
    if (r->err.code == EVG_ERR_ARENA_FULL)
        return;
    FZ_CHECK(!base->ok, "%s: %s failed with %s where the default parse succeeded", t->what, config,
             evg_code_name(r->err.code));
    FZ_CHECK(r->err.code == base->err.code && r->err.offset == base->err.offset &&
                 strcmp(r->err.pointer, base->err.pointer) == 0 &&
                 r->err.pointer_cut == base->err.pointer_cut,
             "%s: %s failed with %s at %zu \"%s\", the default parse with %s at %zu \"%s\"", t->what,
             config, evg_code_name(r->err.code), r->err.offset, r->err.pointer,
             evg_code_name(base->err.code), base->err.offset, base->err.pointer);
}

static void fz_check_target(const fz_target *t, const char *json, size_t len)
{
    static void *big_a, *big_b;
    if (!big_a) {
        big_a = malloc(FZ_ARENA_BIG);
        big_b = malloc(FZ_ARENA_BIG);
        FZ_CHECK(big_a && big_b, "out of memory");
    }
    evg_arena arena;
    fz_result base, strict, tiny, none;

    evg_arena_init(&arena, big_a, FZ_ARENA_BIG);
    fz_run(t, "64KiB", json, len, &arena, 0, true, &base);
    if (base.ok)
        fz_check_fixed_point(t, &base, big_b);

    evg_arena_init(&arena, big_a, FZ_ARENA_BIG);
    fz_run(t, "strict", json, len, &arena, EVG_STRICT, false, &strict);
    if (strict.ok)
        fz_same_output(t, "strict", &base, &strict);

    /* Exactly 64 bytes on the heap: ASan sees any write past the arena. */
    void *tiny_buf = malloc(FZ_ARENA_TINY);
    FZ_CHECK(tiny_buf != NULL, "out of memory");
    evg_arena_init(&arena, tiny_buf, FZ_ARENA_TINY);
    fz_run(t, "64B", json, len, &arena, 0, false, &tiny);
    fz_same_or_arena_full(t, "64B", &base, &tiny);
    free(tiny_buf);

    fz_run(t, "NULL-arena", json, len, NULL, 0, false, &none);
    fz_same_or_arena_full(t, "NULL-arena", &base, &none);

    free(base.out);
    free(strict.out);
    free(tiny.out);
    free(none.out);
}

/* Everything above, for one fuzzer input. */
static FZ_UNUSED void fz_check_input(const uint8_t *data, size_t size)
{
    fz_target any = {"ev_parse_any", fz_parse_any_or_bare, fz_serialize_any, fz_check_any,
                     fz_check_any_failed, NULL, NULL};
    fz_check_target(&any, (const char *)data, size);
    if (size > 0) {
        char what[128];
        fz_target bare = any;
        bare.what = what;
        bare.event = &ev_events[data[0] % EV_EVENT_COUNT];
        snprintf(what, sizeof what, "ev_parse_bare(%s)", bare.event->name);
        fz_check_target(&bare, (const char *)data + 1, size - 1);
    }
}

#endif /* TESTS_FUZZ_CHECK_H */
