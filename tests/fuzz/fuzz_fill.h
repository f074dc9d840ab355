/* fuzz_fill.h - builds values of the generated structs from fuzzer bytes,
 * for the round-trip target (fuzz_roundtrip.c). The per-type fillers are
 * rendered by evgen itself from tests/fuzz/templates/ (fuzz_roots.c), so
 * they know every member of every type; this header supplies the scalars
 * they take from the byte stream and the bookkeeping of what was made.
 *
 * Besides valid values, the fillers inject every value the serializers
 * must refuse (docs/reliability.md, "Invariants of the serializers"):
 * strings that are not UTF-8, NULL views with a length, `any` values that
 * are not exactly one JSON value, NaN and infinities, enum values outside
 * the enum, counts beyond EVG_MAX_ITEMS or the catalog's bounds, NULL items
 * with a count. Each injection records the error code it must produce
 * (fz_fill.definite: the serializer has to fail with one of the recorded
 * codes) or may produce (an `any` snippet whose validity depends on the
 * depth it is written at). Map keys are kept unique: duplicates are the
 * caller's duty, not checked by the serializers (documented).
 *
 * The byte stream reads as zeros once exhausted, so every input fills a
 * whole struct. All memory is owned by the fz_fill and freed by
 * fz_fill_free. */
#ifndef TESTS_FUZZ_FILL_H
#define TESTS_FUZZ_FILL_H

#include <math.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"

#ifndef FZ_UNUSED
#if defined(__GNUC__) || defined(__clang__)
#define FZ_UNUSED __attribute__((unused))
#else
#define FZ_UNUSED
#endif
#endif

typedef struct fz_fill {
    const uint8_t *data;
    size_t len, pos;
    void **blocks;          /* every allocation, freed by fz_fill_free */
    size_t block_count, block_cap;
    bool definite;          /* something the serializer must refuse was injected */
    uint32_t allowed;       /* bit per evg_code the refusal may carry */
    bool out_of_memory;
} fz_fill;

#define FZ_CODE_BIT(code) (UINT32_C(1) << (unsigned)(code))

static FZ_UNUSED void fz_fill_init(fz_fill *f, const uint8_t *data, size_t len)
{
    memset(f, 0, sizeof *f);
    f->data = data;
    f->len = len;
}

static FZ_UNUSED void fz_fill_free(fz_fill *f)
{
    for (size_t i = 0; i < f->block_count; i++)
        free(f->blocks[i]);
    free(f->blocks);
    f->blocks = NULL;
    f->block_count = f->block_cap = 0;
}

/* Zeroed memory owned by f; NULL only for n == 0 or when out of memory
 * (which the caller of the filler sees in f->out_of_memory). */
static FZ_UNUSED void *fz_alloc(fz_fill *f, size_t n)
{
    if (n == 0)
        return NULL;
    if (f->block_count == f->block_cap) {
        size_t cap = f->block_cap ? f->block_cap * 2 : 64;
        void **grown = realloc(f->blocks, cap * sizeof *grown);
        if (!grown) {
            f->out_of_memory = true;
            return NULL;
        }
        f->blocks = grown;
        f->block_cap = cap;
    }
    void *p = calloc(1, n);
    if (!p) {
        f->out_of_memory = true;
        return NULL;
    }
    f->blocks[f->block_count++] = p;
    return p;
}

/* The serializer must refuse the value, with this code (or another
 * recorded one, when several refusals were injected: the first wins). */
static FZ_UNUSED void fz_inject(fz_fill *f, evg_code code)
{
    f->definite = true;
    f->allowed |= FZ_CODE_BIT(code);
}

static FZ_UNUSED unsigned fz_take_byte(fz_fill *f)
{
    return f->pos < f->len ? f->data[f->pos++] : 0u;
}

static FZ_UNUSED bool fz_take_bool(fz_fill *f)
{
    return (fz_take_byte(f) & 1u) != 0;
}

/* Independent of the runtime: RFC 3629 UTF-8, as the parser demands. */
static FZ_UNUSED bool fz_utf8_valid(const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        unsigned c = s[i];
        size_t extra;
        unsigned min;
        if (c < 0x80) {
            i++;
            continue;
        } else if (c >= 0xC2 && c <= 0xDF) {
            extra = 1, min = 0x80;
        } else if (c >= 0xE0 && c <= 0xEF) {
            extra = 2, min = 0x800;
        } else if (c >= 0xF0 && c <= 0xF4) {
            extra = 3, min = 0x10000;
        } else {
            return false;
        }
        if (n - i <= extra)
            return false;
        unsigned cp = c & (0x3Fu >> extra);
        for (size_t k = 1; k <= extra; k++) {
            if ((s[i + k] & 0xC0) != 0x80)
                return false;
            cp = (cp << 6) | (s[i + k] & 0x3Fu);
        }
        if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF))
            return false;
        i += extra + 1;
    }
    return true;
}

/* Pieces of valid UTF-8 that exercise the escaper: quotes, backslashes,
 * every control class, DEL, 2- to 4-byte sequences, U+10FFFF, U+2028. */
static const char *const fz_text_pieces[] = {
    "a", "Z", " ", "0", "\"", "\\", "/", "\n", "\t", "\r", "\b", "\f", "\x01", "\x1f", "\x7f",
    "\xc3\xa9", "\xe2\x82\xac", "\xf0\x9f\x98\x80", "\xf4\x8f\xbf\xbf", "\xe2\x80\xa8",
    "\xef\xbb\xbf", "\xc2\x80", "~1", "interactionId",
};
#define FZ_TEXT_PIECES (sizeof fz_text_pieces / sizeof *fz_text_pieces)

/* Byte sequences that are not UTF-8: overlong, surrogate, above U+10FFFF,
 * truncated, a lone continuation byte, bytes never used. */
static const char *const fz_bad_utf8[] = {
    "\xc0\x80", "\xc1\xbf", "\xe0\x80\x80", "\xed\xa0\x80", "\xed\xbf\xbf", "\xf4\x90\x80\x80",
    "\xf5\x80\x80\x80", "\xe2\x82", "\xf0\x9f\x98", "\x80", "\xbf", "\xfe", "\xff", "\xc3",
};
#define FZ_BAD_UTF8 (sizeof fz_bad_utf8 / sizeof *fz_bad_utf8)

static FZ_UNUSED evg_str fz_take_string(fz_fill *f)
{
    unsigned mode = fz_take_byte(f);
    evg_str s = {NULL, 0};
    switch (mode % 16) {
    case 0: /* {NULL, 0}: "" */
        return s;
    case 1: /* a NULL view with a length: BAD_STRING, unless it is the 1/256 of 0 */
        s.len = fz_take_byte(f);
        if (s.len)
            fz_inject(f, EVG_ERR_BAD_STRING);
        return s;
    case 2:
    case 3: { /* raw bytes from the input: whatever they are */
        size_t n = fz_take_byte(f) % 48;
        if (n > f->len - f->pos)
            n = f->len - f->pos;
        char *buf = fz_alloc(f, n + 1);
        if (!buf)
            return s;
        memcpy(buf, f->data + f->pos, n);
        f->pos += n;
        if (!fz_utf8_valid((const unsigned char *)buf, n))
            fz_inject(f, EVG_ERR_BAD_UTF8);
        s.ptr = buf;
        s.len = n;
        return s;
    }
    default: { /* valid pieces, and with mode 15 one invalid sequence among them */
        size_t pieces = fz_take_byte(f) % 8;
        size_t bad_at = mode % 16 == 15 ? fz_take_byte(f) % (pieces + 1) : SIZE_MAX;
        /* Room for the longest piece each, and one invalid sequence. */
        char *buf = fz_alloc(f, pieces * 16 + 8);
        if (!buf)
            return s;
        size_t n = 0;
        for (size_t i = 0; i <= pieces; i++) {
            if (i == bad_at) {
                const char *bad = fz_bad_utf8[fz_take_byte(f) % FZ_BAD_UTF8];
                memcpy(buf + n, bad, strlen(bad));
                n += strlen(bad);
                fz_inject(f, EVG_ERR_BAD_UTF8);
            }
            if (i < pieces) {
                const char *piece = fz_text_pieces[fz_take_byte(f) % FZ_TEXT_PIECES];
                memcpy(buf + n, piece, strlen(piece));
                n += strlen(piece);
            }
        }
        s.ptr = buf;
        s.len = n;
        return s;
    }
    }
}

/* `any` values. `depth` is how deep the snippet nests: written below a
 * few levels of envelope and payload, a deep one may pass EVG_MAX_DEPTH. */
typedef struct fz_any_snippet {
    const char *text;
    evg_code refusal;       /* EVG_ERR_OK for one JSON value */
} fz_any_snippet;

static const fz_any_snippet fz_any_snippets[] = {
    {"null", EVG_ERR_OK},
    {"true", EVG_ERR_OK},
    {"false", EVG_ERR_OK},
    {"0", EVG_ERR_OK},
    {"-0", EVG_ERR_OK},
    {"-1.5e-3", EVG_ERR_OK},
    {"1E+400", EVG_ERR_OK},
    {"123456789012345678901234567890", EVG_ERR_OK},
    {"\"\"", EVG_ERR_OK},
    {"\"text \\\" \\\\ \\/ \\b\\f\\n\\r\\t \\u00e9 \\ud83d\\ude00 \\u0000\"", EVG_ERR_OK},
    {"\"\xc3\xa9\xf0\x9f\x98\x80\"", EVG_ERR_OK},
    {"{}", EVG_ERR_OK},
    {"[]", EVG_ERR_OK},
    {" { \"a\" : [ 1 , { \"b\" : null } ] , \"c\" : \"d\" } ", EVG_ERR_OK},
    {"{\"a\":1,\"a\":2}", EVG_ERR_OK},     /* an `any` is not checked for duplicates */
    {"\t[\n1\r,\"x\"]\n", EVG_ERR_OK},
    {"", EVG_ERR_TRUNCATED},
    {"   ", EVG_ERR_TRUNCATED},
    {"{", EVG_ERR_TRUNCATED},
    {"[1,", EVG_ERR_TRUNCATED},
    {"\"abc", EVG_ERR_TRUNCATED},
    {"1,\"interactionId\":\"evil\"", EVG_ERR_TRAILING},
    {"{} {}", EVG_ERR_TRAILING},
    {"nul", EVG_ERR_SYNTAX},
    {"[1,]", EVG_ERR_SYNTAX},
    {"{\"a\" 1}", EVG_ERR_SYNTAX},
    {"'a'", EVG_ERR_SYNTAX},
    {"NaN", EVG_ERR_SYNTAX},
    {"01", EVG_ERR_SYNTAX},
    {"\"\\x\"", EVG_ERR_BAD_ESCAPE},
    {"\"\\ud800\"", EVG_ERR_BAD_ESCAPE},
    {"\"\x80\"", EVG_ERR_BAD_UTF8},
    {"\"\x01\"", EVG_ERR_BAD_STRING},
};
#define FZ_ANY_SNIPPETS (sizeof fz_any_snippets / sizeof *fz_any_snippets)

/* Which code the parser gives a bad snippet depends on the parser's
 * classification (e.g. "01" may be BAD_NUMBER or TRAILING, "NaN" SYNTAX),
 * so a refusal of any syntax class is accepted for one. */
#define FZ_SYNTAX_CODES                                                                     \
    (FZ_CODE_BIT(EVG_ERR_SYNTAX) | FZ_CODE_BIT(EVG_ERR_TRUNCATED) |                          \
     FZ_CODE_BIT(EVG_ERR_TRAILING) | FZ_CODE_BIT(EVG_ERR_BAD_STRING) |                       \
     FZ_CODE_BIT(EVG_ERR_BAD_ESCAPE) | FZ_CODE_BIT(EVG_ERR_BAD_UTF8) |                       \
     FZ_CODE_BIT(EVG_ERR_BAD_NUMBER) | FZ_CODE_BIT(EVG_ERR_TOO_DEEP))

static FZ_UNUSED evg_str fz_take_any(fz_fill *f)
{
    unsigned mode = fz_take_byte(f);
    evg_str s = {NULL, 0};
    switch (mode % 8) {
    case 0: /* {NULL, 0}: no value at all */
        fz_inject(f, EVG_ERR_TRUNCATED);
        return s;
    case 1: { /* raw input bytes: valid or not, any syntax refusal is fine */
        size_t n = fz_take_byte(f) % 32;
        if (n > f->len - f->pos)
            n = f->len - f->pos;
        char *buf = fz_alloc(f, n + 1);
        if (!buf)
            return s;
        memcpy(buf, f->data + f->pos, n);
        f->pos += n;
        f->allowed |= FZ_SYNTAX_CODES;
        s.ptr = buf;
        s.len = n;
        return s;
    }
    case 2: { /* nested arrays around a snippet: near and past EVG_MAX_DEPTH */
        size_t depth = fz_take_byte(f) % 72;
        const fz_any_snippet *inner = &fz_any_snippets[fz_take_byte(f) % FZ_ANY_SNIPPETS];
        size_t n = strlen(inner->text);
        char *buf = fz_alloc(f, 2 * depth + n + 1);
        if (!buf)
            return s;
        memset(buf, '[', depth);
        memcpy(buf + depth, inner->text, n);
        memset(buf + depth + n, ']', depth);
        if (depth == 0 && inner->refusal != EVG_ERR_OK) {
            f->definite = true;
            f->allowed |= FZ_SYNTAX_CODES;
        } else if (inner->refusal != EVG_ERR_OK) {
            /* Wrapped, a bad snippet may turn valid ("[" "" "]" is []),
             * so only the code is checked, if it is refused. */
            f->allowed |= FZ_SYNTAX_CODES;
        }
        /* A valid one is refused only for its depth. */
        f->allowed |= FZ_CODE_BIT(EVG_ERR_TOO_DEEP);
        s.ptr = buf;
        s.len = 2 * depth + n;
        return s;
    }
    default: {
        const fz_any_snippet *sn = &fz_any_snippets[fz_take_byte(f) % FZ_ANY_SNIPPETS];
        if (sn->refusal != EVG_ERR_OK) {
            f->definite = true;
            f->allowed |= FZ_SYNTAX_CODES;
        }
        s.ptr = sn->text;
        s.len = strlen(sn->text);
        return s;
    }
    }
}

static FZ_UNUSED double fz_take_number(fz_fill *f)
{
    static const double specials[] = {0.0, -0.0, 1.0, -1.5, 0.1, 1e300, -1e-300, 5e-324,
                                      1.7976931348623157e308, 9007199254740993.0,
                                      9223372036854775808.0, -9223372036854775808.0,
                                      123456789.125, 1e21, 1e-7};
    unsigned mode = fz_take_byte(f);
    switch (mode % 8) {
    case 0:
        fz_inject(f, EVG_ERR_RANGE);
        return mode & 8 ? NAN : (mode & 16 ? INFINITY : -INFINITY);
    case 1:
    case 2: { /* any bit pattern */
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | fz_take_byte(f);
        double d;
        memcpy(&d, &bits, sizeof d);
        if (!isfinite(d))
            fz_inject(f, EVG_ERR_RANGE);
        return d;
    }
    case 3: /* a small integer */
        return (double)((int)fz_take_byte(f) - 128);
    default:
        return specials[fz_take_byte(f) % (sizeof specials / sizeof *specials)];
    }
}

static FZ_UNUSED int64_t fz_take_int(fz_fill *f)
{
    unsigned mode = fz_take_byte(f);
    if (mode % 4 == 0) {
        uint64_t bits = 0;
        for (int i = 0; i < 8; i++)
            bits = bits << 8 | fz_take_byte(f);
        int64_t v;
        memcpy(&v, &bits, sizeof v);
        return v;
    }
    if (mode % 4 == 1)
        return mode & 4 ? INT64_MAX : INT64_MIN;
    return (int64_t)fz_take_byte(f) - 128;
}

/* An enum value: mostly one of the `count`, sometimes just outside. */
static FZ_UNUSED int fz_take_enum(fz_fill *f, int count)
{
    unsigned mode = fz_take_byte(f);
    if (mode % 16 == 15) {
        static const int outside[] = {-1, 0, 1000, INT32_MAX};
        int v = outside[fz_take_byte(f) % 4];
        v = v == 0 ? count : v;
        fz_inject(f, EVG_ERR_ENUM);
        return v;
    }
    return count > 0 ? (int)(mode % (unsigned)count) : 0;
}

/* The count of an array or map, and whether its items are NULL. Mostly
 * small; sometimes past EVG_MAX_ITEMS (TOO_LARGE, found before any item is
 * read, but the items exist all the same: the struct's memory is trusted),
 * sometimes NULL with a count (TYPE). Bounds of the catalog are checked
 * by the caller, which knows them. */
typedef struct fz_count {
    size_t count;
    bool null_items;        /* leave items NULL although count > 0 */
} fz_count;

static FZ_UNUSED fz_count fz_take_count(fz_fill *f)
{
    unsigned mode = fz_take_byte(f);
    fz_count c = {mode % 4, false};
    if (mode % 64 == 61) {
        c.count = EVG_MAX_ITEMS + 1;
        fz_inject(f, EVG_ERR_TOO_LARGE);
    } else if (mode % 64 == 62) {
        c.count = 1 + fz_take_byte(f) % 3;
        c.null_items = true;
        fz_inject(f, EVG_ERR_TYPE);
    } else if (mode % 64 == 63) {
        c.count = 4 + fz_take_byte(f) % 12;
    }
    return c;
}

/* The catalog's bounds, checked by writer and parser alike; min < 0 and
 * max < 0 are none. TOO_LARGE and TYPE are found first. */
static FZ_UNUSED void fz_check_bounds(fz_fill *f, fz_count c, long long min, long long max)
{
    if (c.count > EVG_MAX_ITEMS || c.null_items)
        return;
    if ((min > 0 && c.count < (size_t)min) || (max >= 0 && c.count > (size_t)max))
        fz_inject(f, EVG_ERR_ITEMS);
}

/* A map key, unique among the `count` before it: a string as above, and
 * when it repeats one, a fresh ASCII key instead. */
static FZ_UNUSED evg_str fz_take_key(fz_fill *f, const evg_str *keys, size_t stride, size_t count)
{
    bool definite = f->definite;
    uint32_t allowed = f->allowed;
    evg_str k = fz_take_string(f);
    for (size_t i = 0; i < count; i++) {
        const evg_str *other = (const evg_str *)((const char *)keys + i * stride);
        if (other->len == k.len && (k.len == 0 || (other->ptr && k.ptr && memcmp(other->ptr, k.ptr, k.len) == 0))) {
            char *fresh = fz_alloc(f, 32);
            if (!fresh)
                return k;
            /* The duplicate's injection (if any) is undone with it. */
            f->definite = definite;
            f->allowed = allowed;
            k.len = (size_t)snprintf(fresh, 32, "key-%zu-%zu", count, i);
            k.ptr = fresh;
            for (size_t j = 0; j < count; j++) {
                other = (const evg_str *)((const char *)keys + j * stride);
                if (other->len == k.len && other->ptr && memcmp(other->ptr, k.ptr, k.len) == 0)
                    k.len = (size_t)snprintf(fresh, 32, "key-%zu-%zu-%u", count, i, fz_take_byte(f) | 256u);
            }
            break;
        }
    }
    return k;
}

/* One row per entry point of the catalog (event version or form payload),
 * rendered from tests/fuzz/templates/fuzz_roots.c.tmpl into fuzz_roots.c. */
typedef struct fz_root {
    const char *event;      /* event name, or the form's title */
    const char *version;    /* NULL for a form's payload */
    size_t size;            /* of its struct */
    bool (*parse)(const char *json, size_t len, void *out, evg_arena *arena, unsigned flags,
                  evg_error *err);
    size_t (*serialize)(const void *in, char *buf, size_t cap, evg_error *err);
    bool (*parse_wire)(const char *json, size_t len, void *out, evg_arena *arena, unsigned flags,
                       evg_error *err);       /* NULL for a form's payload */
    size_t (*serialize_wire)(const void *in, char *buf, size_t cap, evg_error *err);
    void (*fill)(fz_fill *f, void *out);
} fz_root;

extern const fz_root fz_roots[];
extern const size_t fz_root_count;

#endif /* TESTS_FUZZ_FILL_H */
