/* evgen runtime (runtime/ in the evgen sources): the same bytes for every
 * catalog and prefix. evgen copies it unchanged next to the code it
 * generates; DO NOT EDIT a copy: change runtime/ and run evgen again. */
/* evgen_runtime.h - the small, allocation-free JSON runtime every generated
 * parser and serializer is built on. libc only; no global mutable state.
 *
 * Contents
 *   MARK: limits          compile-time bounds, override with -D
 *   MARK: strings, arena  zero-copy string views and the caller's arena
 *   MARK: errors          codes, texts, the error value
 *   MARK: parser          scanning primitives used by generated parsers
 *   MARK: writer          snprintf-style output used by generated serializers
 */
#ifndef EVGEN_RUNTIME_H
#define EVGEN_RUNTIME_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Generated sources check this against the version they were made for, so
 * a runtime and events.c from different evgen releases fail to compile. */
#define EVG_RUNTIME_ABI 3

/* The scanning fast paths below are inline; the compiler still outlines
 * some of them for size. -DEVG_FORCE_INLINE makes them always inline: about
 * 12% fewer instructions per document for about 65% more code and 2.4x the
 * compile time of events.c (docs/benchmarks.md). */
#if defined(EVG_FORCE_INLINE) && (defined(__GNUC__) || defined(__clang__))
#define EVG_HOT static inline __attribute__((always_inline))
#else
#define EVG_HOT static inline
#endif

/* MARK: limits ---------------------------------------------------------- */

#ifndef EVG_MAX_DEPTH
#define EVG_MAX_DEPTH 64            /* nested objects/arrays, envelope included */
#endif
#ifndef EVG_MAX_INPUT
#define EVG_MAX_INPUT (64u << 20)   /* bytes in one document */
#endif
#ifndef EVG_MAX_ITEMS
#define EVG_MAX_ITEMS 65536u        /* elements in one array */
#endif

/* MARK: strings, arena -------------------------------------------------- */

/* A string value: points into the input when the JSON text needed no
 * unescaping, otherwise into the caller's arena. Not NUL-terminated. */
typedef struct evg_str {
    const char *ptr;
    size_t len;
} evg_str;

/* Caller-supplied memory for unescaped strings and array elements.
 * Results grow up from `base`; array elements being collected grow down
 * from the end and are moved into place when the array closes, so one
 * pass suffices even for arrays nested in arrays. */
typedef struct evg_arena {
    char *base;
    size_t cap;
    size_t used;    /* bytes taken from the bottom */
    size_t top;     /* scratch bytes taken from the end */
} evg_arena;

/* The arena aligns its own start and end, so any buffer will do. */
void evg_arena_init(evg_arena *a, void *buf, size_t cap);

/* What an array or map of the catalog takes from the arena per element:
 * the element's size, and the fewest document bytes one element is written
 * in (its separator included). Generated, one per array and map type. */
typedef struct evg_arena_rule {
    size_t elem_size;
    size_t min_bytes;
} evg_arena_rule;

/* Arena bytes that parsing any document of `document_len` bytes can need,
 * at most, given the rules of every array and map it may hold (none: only
 * unescaped strings, never longer than the document). Saturates at
 * SIZE_MAX. The generated *_arena_size functions call it. */
size_t evg_arena_size(size_t document_len, const evg_arena_rule *rules, size_t count);

/* Forgets everything parsed into the arena, to reuse it for the next document. */
static inline void evg_arena_reset(evg_arena *a)
{
    a->used = 0;
    a->top = 0;
}

static inline bool evg_str_eq(evg_str s, const char *lit)
{
    size_t n = strlen(lit);
    return s.len == n && memcmp(s.ptr, lit, n) == 0;
}

/* MARK: errors ---------------------------------------------------------- */

/* One table for codes, their names and texts, so they cannot drift apart. */
#define EVG_ERROR_CODES(X)                                                   \
    X(OK,               "no error")                                          \
    X(SYNTAX,           "invalid JSON")                                      \
    X(TRUNCATED,        "unexpected end of input")                           \
    X(TRAILING,         "unexpected data after the document")                \
    X(BAD_STRING,       "invalid string")                                    \
    X(BAD_ESCAPE,       "invalid escape sequence")                           \
    X(BAD_UTF8,         "invalid UTF-8")                                     \
    X(BAD_NUMBER,       "invalid number")                                    \
    X(TOO_DEEP,         "nesting too deep")                                  \
    X(TOO_LARGE,        "document too large")                                \
    X(ARENA_FULL,       "arena too small")                                   \
    X(TYPE,             "wrong type")                                        \
    X(MISSING,          "required property missing")                         \
    X(DUPLICATE,        "duplicate key")                                     \
    X(UNKNOWN_KEY,      "unknown key")                                       \
    X(CONST,            "wrong constant value")                              \
    X(ENUM,             "value not allowed")                                 \
    X(RANGE,            "number out of range")                               \
    X(ITEMS,            "wrong number of array items")                       \
    X(UNKNOWN_EVENT,    "unknown event")                                     \
    X(UNKNOWN_VERSION,  "unknown schema version")                            \
    X(VERSION_MISSING,  "schema version missing")                            \
    X(BAD_VERSION,      "malformed schema version")                          \
    X(VERSION_FALLBACK, "schema version not known exactly")                  \
    X(SUNSET,           "event version is past its sunset date")             \
    X(ENVELOPE,         "not an event envelope")

typedef enum evg_code {
#define EVG_CODE_ENUM(name, text) EVG_ERR_##name,
    EVG_ERROR_CODES(EVG_CODE_ENUM)
#undef EVG_CODE_ENUM
    EVG_ERR_COUNT_
} evg_code;

#define EVG_POINTER_MAX 256

typedef struct evg_error {
    evg_code code;
    size_t offset;                 /* byte offset of the problem in the input */
    const char *message;           /* static text, e.g. expected "inbound" or "outbound" */
    char pointer[EVG_POINTER_MAX]; /* JSON Pointer (RFC 6901) of the value, "" for the root */
    bool pointer_cut;              /* the path outgrew `pointer`, which holds its innermost steps */
    size_t arena_needed;           /* ARENA_FULL: arena bytes the document needs at least */
} evg_error;

/* A JSON Pointer assembled backwards, innermost step first, while an error
 * unwinds: the success path never pays for it. The parser and the writer
 * each hold one. */
typedef struct evg_path {
    size_t start;                  /* the pointer so far is buf + start */
    bool cut;                      /* it outgrew buf: only the innermost steps are kept */
    char buf[EVG_POINTER_MAX];
} evg_path;

const char *evg_code_name(evg_code code);   /* "ENUM" */
const char *evg_code_text(evg_code code);   /* "value not allowed" */

/* "ENUM: /data/direction: expected "inbound" or "outbound" (offset 87)";
 * the root is written "(root)", a cut pointer starts with "...". Returns the
 * length it needed, like snprintf. */
size_t evg_error_format(const evg_error *err, char *buf, size_t cap);

/* MARK: parser ---------------------------------------------------------- */

enum {
    EVG_STRICT = 1u << 0,  /* unknown keys are errors instead of being skipped, and so are
                              an unknown minor/patch version and a missing version */
    EVG_SKIM = 1u << 8,    /* internal (evg_run_document sets it): the router skims
                              payloads, which the typed parser validates afterwards */
    EVG_RECORD_VERSION = 1u << 9   /* internal: a payload parsed before its version is
                                      known records its version member, unchecked */
};

/* Scanning state shared by the generated functions of one parse. The error
 * pointer is assembled backwards in `path` while the error unwinds, so the
 * success path never pays for it. */
typedef struct evg_parser {
    const char *begin;
    const char *cur;
    const char *end;
    evg_arena *arena;
    evg_error *err;
    unsigned flags;
    unsigned depth;
    evg_path path;
    const char *version_at;        /* EVG_RECORD_VERSION: where the version member's value is */
    evg_str fallback_from;         /* a version dispatch mapped to this version */
    char fallback_buf[32];         /* fallback_from's bytes */
    char scratch[1024];            /* unescaped keys and enum/const tokens: as long as any
                                      name or value a catalog may hold */
} evg_parser;

void evg_parser_init(evg_parser *p, const char *json, size_t len,
                     evg_arena *arena, unsigned flags, evg_error *err);
/* Copies the assembled pointer into the error; call once, at the top. */
void evg_parser_finish_error(evg_parser *p);

/* Records an error (the first one wins) and returns false. */
bool evg_fail(evg_parser *p, evg_code code, const char *at, const char *message);
/* Prepend one JSON Pointer step to the error path; both return false. */
bool evg_path_key(evg_parser *p, const char *key, size_t len);
bool evg_path_index(evg_parser *p, size_t index);

EVG_HOT void evg_skip_ws(evg_parser *p)
{
    const char *c = p->cur, *e = p->end;
    while (c < e && (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t'))
        c++;
    p->cur = c;
}

/* Peeks the first byte of the next value (after whitespace); 0 at the end. */
static inline char evg_peek(evg_parser *p)
{
    evg_skip_ws(p);
    return p->cur < p->end ? *p->cur : 0;
}

/* Consumes `null` if it is next; otherwise leaves the input alone. */
/* For nullable properties: true when the value starts with 'n', having
 * consumed `null` or, for anything else there ("nul" at the end, "nope"),
 * recorded the error; the caller then checks evg_failed. */
bool evg_null_slow(evg_parser *p);

static inline bool evg_failed(const evg_parser *p)
{
    return p->err->code != EVG_ERR_OK;
}

EVG_HOT bool evg_take_null(evg_parser *p)
{
    if (evg_peek(p) != 'n')
        return false;
    if (p->end - p->cur >= 4 && memcmp(p->cur, "null", 4) == 0 &&
        (p->end - p->cur == 4 || p->cur[4] == ',' || p->cur[4] == '}' || p->cur[4] == ']' ||
         p->cur[4] == ' ' || p->cur[4] == '\n' || p->cur[4] == '\r' || p->cur[4] == '\t')) {
        p->cur += 4;
        return true;
    }
    return evg_null_slow(p);
}

/* MARK: inline fast paths
 * The common case (a plain string, a key followed by ':', a literal, a
 * short integer) is decided here, inline in the generated parser; anything
 * else (escapes, non-ASCII, errors) falls back to the out-of-line *_slow
 * function, which starts again from the same, untouched position. */

EVG_HOT bool evg_is_ws(char c)
{
    return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Vector scanning is chosen at compile time: SSE2 on x86-64, NEON on
 * arm64, 8 bytes at a time in plain C everywhere (and with -DEVG_NO_SIMD). */
#if !defined(EVG_NO_SIMD) && (defined(__SSE2__) || defined(_M_X64))
#include <emmintrin.h>
#define EVG_SIMD_SSE2 1
#elif !defined(EVG_NO_SIMD) && defined(__ARM_NEON) && defined(__aarch64__)
#include <arm_neon.h>
#define EVG_SIMD_NEON 1
#endif

/* The index of the lowest set bit of a non-zero word. */
static inline unsigned evg_lowest_bit(uint64_t x)
{
#if defined(__GNUC__) || defined(__clang__)
    return (unsigned)__builtin_ctzll(x);
#else
    unsigned n = 0;
    while (!(x & 1)) {
        x >>= 1;
        n++;
    }
    return n;
#endif
}

/* First byte at or after c that is '"', '\\', a control or non-ASCII. */
EVG_HOT const char *evg_scan_plain(const char *c, const char *e)
{
#if defined(EVG_SIMD_SSE2)
    const __m128i quote = _mm_set1_epi8('"'), bslash = _mm_set1_epi8('\\');
    const __m128i space = _mm_set1_epi8(0x20);
    while (e - c >= 16) {
        __m128i v = _mm_loadu_si128((const __m128i *)(const void *)c);
        /* Signed: bytes of 0x80 and above are negative, so below 0x20 too. */
        __m128i hit = _mm_or_si128(_mm_or_si128(_mm_cmpeq_epi8(v, quote), _mm_cmpeq_epi8(v, bslash)),
                                   _mm_cmplt_epi8(v, space));
        unsigned mask = (unsigned)_mm_movemask_epi8(hit);
        if (mask)
            return c + evg_lowest_bit(mask);
        c += 16;
    }
#elif defined(EVG_SIMD_NEON)
    const uint8x16_t quote = vdupq_n_u8('"'), bslash = vdupq_n_u8('\\');
    const uint8x16_t space = vdupq_n_u8(0x20), high = vdupq_n_u8(0x80);
    while (e - c >= 16) {
        uint8x16_t v = vld1q_u8((const uint8_t *)c);
        uint8x16_t hit = vorrq_u8(vorrq_u8(vceqq_u8(v, quote), vceqq_u8(v, bslash)),
                                  vorrq_u8(vcltq_u8(v, space), vcgeq_u8(v, high)));
        if (vmaxvq_u8(hit))
            break;   /* the word loop below finds the byte */
        c += 16;
    }
#endif
    const uint64_t ones = 0x0101010101010101u, highs = 0x8080808080808080u;
    while (e - c >= 8) {
        uint64_t w, quote8, bslash8;
        memcpy(&w, c, 8);
        quote8 = w ^ (ones * '"');
        bslash8 = w ^ (ones * '\\');
        /* High bit of a byte: it is '"' or '\\', below 0x20, or non-ASCII.
         * Borrows can only mark bytes above the first real one. */
        uint64_t hit = (((quote8 - ones) & ~quote8) | ((bslash8 - ones) & ~bslash8) |
                        (w - ones * 0x20) | w) & highs;
        if (hit) {
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
            return c + evg_lowest_bit(hit) / 8;
#else
            break;
#endif
        }
        c += 8;
    }
    while (c < e && (unsigned char)*c >= 0x20 && (unsigned char)*c < 0x80 && *c != '"' && *c != '\\')
        c++;
    return c;
}

/* Objects: open, then call evg_object_key until it returns 0 (the closing
 * brace was consumed) or -1 (error). `count` starts at 0. The key is a view
 * into the input or into p->scratch; a key too long for scratch that needed
 * unescaping comes back with ptr NULL, matching nothing. */
bool evg_object_open(evg_parser *p);
int evg_object_key_slow(evg_parser *p, size_t *count, evg_str *key);

EVG_HOT int evg_object_key(evg_parser *p, size_t *count, evg_str *key)
{
    const char *c = p->cur, *e = p->end;
    while (c < e && evg_is_ws(*c))
        c++;
    if (*count > 0) {
        if (c >= e || *c != ',')
            return evg_object_key_slow(p, count, key);
        c++;
        while (c < e && evg_is_ws(*c))
            c++;
    }
    if (c < e && *c == '"') {
        const char *start = c + 1, *q = evg_scan_plain(start, e);
        if (q < e && *q == '"') {
            size_t len = (size_t)(q - start);
            q++;
            while (q < e && evg_is_ws(*q))
                q++;
            if (q < e && *q == ':') {
                key->ptr = start;
                key->len = len;
                p->cur = q + 1;
                ++*count;
                return 1;
            }
        }
    }
    return evg_object_key_slow(p, count, key);
}

/* Maps (objects with free keys): open with evg_object_open, then
 * evg_map_key returns 1 before each entry, 0 after '}', -1 on error, like
 * evg_object_key, but the key stays valid: a view into the input, or
 * unescaped into the arena. At most EVG_MAX_ITEMS entries. */
int evg_map_key(evg_parser *p, size_t *count, evg_str *key);
/* Entries begin with their evg_str key: a key given twice is DUPLICATE
 * (checked in O(n log n) with scratch room in the arena). `at` is the map. */
bool evg_map_unique(evg_parser *p, const void *entries, size_t count, size_t entry_size,
                    const char *at);

/* Arrays: open, then evg_array_next returns 1 before each element, 0 after ']'. */
bool evg_array_open(evg_parser *p);
int evg_array_next(evg_parser *p, size_t *count);

/* Strings. Unescaped values go to the arena (evg_parse_string) or, for values
 * that are only compared (enums, constants), to p->scratch (evg_parse_token). */
bool evg_parse_string_slow(evg_parser *p, evg_str *out);
bool evg_parse_token_slow(evg_parser *p, evg_str *out);

EVG_HOT bool evg_plain_string(evg_parser *p, evg_str *out)
{
    const char *c = p->cur, *e = p->end;
    while (c < e && evg_is_ws(*c))
        c++;
    if (c < e && *c == '"') {
        const char *start = c + 1, *q = evg_scan_plain(start, e);
        if (q < e && *q == '"') {
            out->ptr = start;
            out->len = (size_t)(q - start);
            p->cur = q + 1;
            return true;
        }
    }
    return false;
}

EVG_HOT bool evg_parse_string(evg_parser *p, evg_str *out)
{
    return evg_plain_string(p, out) || evg_parse_string_slow(p, out);
}

EVG_HOT bool evg_parse_token(evg_parser *p, evg_str *out)
{
    return evg_plain_string(p, out) || evg_parse_token_slow(p, out);
}

/* The string at p->cur must equal `lit`, or `alt` when that is given and
 * set (the payload member a wire reads the version from passes
 * &p->fallback_from: the version dispatch mapped onto this one, 1.0.3
 * parsed as 1.0.1).
 * `message` explains a mismatch. */
bool evg_parse_const_slow(evg_parser *p, const char *lit, size_t len, const evg_str *alt,
                          const char *message);

EVG_HOT bool evg_const_matches(evg_str v, const char *lit, size_t len, const evg_str *alt)
{
    return v.ptr && ((v.len == len && memcmp(v.ptr, lit, len) == 0) ||
                     (alt && alt->ptr && v.len == alt->len && memcmp(v.ptr, alt->ptr, v.len) == 0));
}

/* EVG_RECORD_VERSION: notes where the version member's string is and
 * skips it; the router checks it once the version is chosen. */
bool evg_record_version(evg_parser *p);

EVG_HOT bool evg_parse_const(evg_parser *p, const char *lit, size_t len, const evg_str *alt,
                             const char *message)
{
    if (alt && (p->flags & EVG_RECORD_VERSION))
        return evg_record_version(p);
    const char *save = p->cur;
    evg_str v;
    if (evg_plain_string(p, &v) && evg_const_matches(v, lit, len, alt))
        return true;
    p->cur = save;
    return evg_parse_const_slow(p, lit, len, alt, message);
}

EVG_HOT bool evg_delimits(const char *c, const char *e)
{
    return c >= e || *c == ',' || *c == '}' || *c == ']' || evg_is_ws(*c);
}

bool evg_parse_bool_slow(evg_parser *p, bool *out);

EVG_HOT bool evg_parse_bool(evg_parser *p, bool *out)
{
    const char *c = p->cur, *e = p->end;
    while (c < e && evg_is_ws(*c))
        c++;
    if (e - c >= 4 && memcmp(c, "true", 4) == 0 && evg_delimits(c + 4, e)) {
        *out = true;
        p->cur = c + 4;
        return true;
    }
    if (e - c >= 5 && memcmp(c, "false", 5) == 0 && evg_delimits(c + 5, e)) {
        *out = false;
        p->cur = c + 5;
        return true;
    }
    return evg_parse_bool_slow(p, out);
}

bool evg_parse_int(evg_parser *p, int64_t *out);
bool evg_parse_number_slow(evg_parser *p, double *out);

/* Integers of up to 15 digits are exact doubles; the rest take the slow path. */
EVG_HOT bool evg_parse_number(evg_parser *p, double *out)
{
    const char *c = p->cur, *e = p->end;
    while (c < e && evg_is_ws(*c))
        c++;
    bool negative = c < e && *c == '-';
    c += negative;
    if (c < e && *c >= '1' && *c <= '9') {
        uint64_t v = 0;
        const char *digits = c;
        while (c < e && *c >= '0' && *c <= '9' && c - digits < 15)
            v = v * 10 + (uint64_t)(*c++ - '0');
        if (evg_delimits(c, e)) {
            *out = negative ? -(double)v : (double)v;
            p->cur = c;
            return true;
        }
    }
    return evg_parse_number_slow(p, out);
}

/* Any JSON value, validated, as its raw text. */
bool evg_parse_raw(evg_parser *p, evg_str *out);
bool evg_skip_value(evg_parser *p);
/* An unknown key's value: skipped, or an error in strict mode. */
bool evg_unknown_key(evg_parser *p, evg_str key, const char *key_at);
/* After the root value: only whitespace may follow. */
bool evg_expect_end(evg_parser *p);

/* Records that key number `field` of an object was seen; a second
 * sighting is a duplicate key. */
EVG_HOT bool evg_mark_seen(evg_parser *p, uint64_t *seen, size_t field, evg_str key,
                                 const char *at)
{
    uint64_t bit = (uint64_t)1 << (field & 63);
    if (seen[field >> 6] & bit) {
        evg_fail(p, EVG_ERR_DUPLICATE, at, "key appears twice in one object");
        return evg_path_key(p, key.ptr, key.len);
    }
    seen[field >> 6] |= bit;
    return true;
}

/* A member's value failed: adds its key to the error's path and returns
 * the generated member parsers' failure value. */
static inline int evg_member_failed(evg_parser *p, const char *key, size_t len)
{
    evg_path_key(p, key, len);
    return -1;
}

/* Whether a key of `len` bytes may be one of a struct's: bit n of `lengths`
 * is set when it has a key of n bytes (bit 63: of 63 bytes or more). */
static inline bool evg_key_length_in(size_t len, uint64_t lengths)
{
    return (lengths >> (len < 63 ? len : 63)) & 1;
}

/* Whether every key marked in `required` was seen (words: 64 keys each). */
static inline bool evg_all_seen(const uint64_t *seen, const uint64_t *required, size_t words)
{
    uint64_t missing = 0;
    for (size_t w = 0; w < words; w++)
        missing |= required[w] & ~seen[w];
    return missing == 0;
}

/* Missing-required check for generated parsers: keys first .. first+count
 * of `seen` are one struct's own properties, `required` marks the required
 * ones (bit i for property i) and `names` holds their JSON keys. */
bool evg_check_required(evg_parser *p, const uint64_t *seen, size_t first,
                        const uint64_t *required, size_t count, const char *const *names);

/* Array collection in the arena's scratch end (see evg_arena). */
typedef struct evg_collect {
    size_t mark;       /* arena->top when the array opened */
    size_t elem_size;
    size_t count;
} evg_collect;

void evg_collect_begin(evg_parser *p, evg_collect *c, size_t elem_size);
/* Zeroed room for the next element, or NULL (error recorded). */
void *evg_collect_push(evg_parser *p, evg_collect *c);
/* Moves the collected elements to their final place; NULL for no elements. */
bool evg_collect_end(evg_parser *p, evg_collect *c, void **items);

/* Parses one payload into `out`; generated per event version and payload type. */
typedef bool (*evg_payload_fn)(evg_parser *p, void *out);

struct evg_writer;
/* Writes one payload; false after recording why it cannot be written. */
typedef bool (*evg_write_fn)(struct evg_writer *w, const void *in);

/* MARK: wires ----------------------------------------------------------- */

/* A wire is an envelope, described as data by the generated code (the
 * catalog's `wires`): a tree of members, each with a role. The runtime
 * knows no envelope of its own. */
typedef enum evg_role {
    EVG_ROLE_OBJECT,    /* a level of the envelope: an object holding members */
    EVG_ROLE_CONST,     /* a string that must equal `value` (a format version is one) */
    EVG_ROLE_NAME,      /* the event name */
    EVG_ROLE_VERSION,   /* the event version, when the envelope carries it */
    EVG_ROLE_PAYLOAD,   /* the event's payload */
    EVG_ROLE_SELECT     /* a payload member whose value picks a form's payload type */
} evg_role;

/* One path of some wire: `key` inside the node `parent` (-1: the document).
 * The nodes of all wires form one tree, so a document is scanned once
 * whatever wire it turns out to be. */
typedef struct evg_wire_node {
    const char *key;
    size_t key_len;
    int parent;
    int first_child, next_sibling;     /* -1 for none */
    const char *expected;          /* what a wrong constant here is told, e.g. expected "event" */
    bool payload;                  /* some wire's payload: its value is parsed by the typed
                                    * parser afterwards, so the router only skims it */
} evg_wire_node;

typedef struct evg_wire_member {
    int node;
    evg_role role;
    bool required;
    const char *value;             /* EVG_ROLE_CONST */
    bool in_payload;               /* read from inside the payload: not written by the envelope */
} evg_wire_member;

/* A payload type picked by the value of a payload member (a form's `select`). */
typedef struct evg_form_payload {
    const char *value;
    size_t struct_size;
    evg_payload_fn parse;
    evg_write_fn write;
    int kind;                      /* the generated kind of its struct */
} evg_form_payload;

typedef struct evg_wire_info {
    const char *name;
    const evg_wire_member *members;    /* pre-order: an object before its members */
    size_t member_count;
    int name_node;                 /* -1: the wire carries one event, `fixed_event` */
    int payload_node;
    int version_node;              /* where the event version is read; -1: nowhere */
    bool version_in_payload;       /* version_node is a member of the payload */
    int base;                      /* the wire this one is a form of (itself if none) */
    int fixed_event;               /* index in the events table, or -1 */
    int select_node;               /* a payload member picking the type, or -1 */
    const evg_form_payload *payloads;
    size_t payload_count;
    const char *select_message;    /* for a value of select_node that picks nothing */
} evg_wire_info;

/* MARK: dispatch ------------------------------------------------------- */

typedef enum evg_direction {
    EVG_DIRECTION_RECEIVED = 1u << 0,   /* to the application */
    EVG_DIRECTION_SEND = 1u << 1,       /* from the application */
    EVG_DIRECTION_ALL = 3u
} evg_direction;

/* Status as published, and as computed for a given date. */
typedef enum evg_status {
    EVG_STATUS_PENDING,       /* before its active date */
    EVG_STATUS_ACTIVE,
    EVG_STATUS_DEPRECATED,
    EVG_STATUS_SUNSET
} evg_status;

const char *evg_direction_name(evg_direction d);
const char *evg_status_name(evg_status s);

/* One (event name, schema version): everything needed to route, parse,
 * serialize and retire it. Dates are YYYYMMDD integers, 0 for none. */
typedef struct evg_version_info {
    const char *event;
    const char *version;
    unsigned major, minor, patch;
    evg_status published_status;
    int32_t active, deprecated, sunset;
    size_t struct_size;
    evg_payload_fn parse;
    evg_write_fn write;
    int kind;                      /* the generated kind of its struct */
    bool records_version;          /* its payload's version member is a constant the parser
                                      can record (EVG_RECORD_VERSION): it may be parsed
                                      before the version is chosen */
} evg_version_info;

typedef struct evg_event_info {
    const char *name;
    unsigned products;             /* the bit of its product; 0 for a message of no product */
    evg_direction direction;
    bool version_required;         /* a missing version is VERSION_MISSING even when not strict */
    const unsigned char *wires;    /* indexes of the wires it travels in, the first is its own */
    size_t wire_count;
    const evg_version_info *versions;   /* oldest first */
    size_t version_count;
} evg_event_info;

/* Everything the router needs of one generated catalog. */
typedef struct evg_catalog {
    const evg_wire_node *nodes;
    size_t node_count;
    int first_root;                /* the first node at the document's top level, -1 for none */
    const char *no_wire_message;   /* for a document that fits no wire at all */
    const evg_wire_info *wires;
    size_t wire_count;
    const evg_event_info *events;
    size_t event_count;
    const evg_event_info *(*find_event)(const char *name, size_t len);
} evg_catalog;

/* What the scan saw at one node; the router's working memory, one per node. */
typedef struct evg_slot {
    const char *at;                /* first byte of the value; NULL when absent */
    const char *end;
    unsigned depth;
    evg_str string;                /* a string value as a view, ptr NULL when escaped */
    bool too_long;                 /* escaped and longer than p->scratch: matches nothing */
    const char *unknown_at;        /* the first key no wire knows at this level */
    evg_str unknown;
    bool skimmed;                  /* members here were skipped unchecked (see skim_value) */
} evg_slot;

/* Lifecycle on a date (YYYYMMDD): pending, active, deprecated or sunset. */
evg_status evg_status_on(const evg_version_info *v, int32_t date);

/* Result flags of a dispatch. */
enum {
    EVG_FALLBACK = 1u << 0,        /* unknown minor/patch: newest known of the same major used */
    EVG_VERSION_ASSUMED = 1u << 1  /* no version in the document: newest version used */
};

/* Where a document goes: its wire, event, version (or form payload). */
typedef struct evg_route {
    const evg_wire_info *wire;     /* NULL for a bare payload */
    const evg_event_info *event;
    const evg_version_info *version;        /* NULL for a form payload */
    const evg_form_payload *form_payload;
    unsigned flags;                /* EVG_FALLBACK, EVG_VERSION_ASSUMED */
    int payload_node;              /* -1 for a bare payload */
    const char *payload;
    const char *payload_end;
    unsigned payload_depth;
    bool parsed;                   /* the payload was parsed on the way, into payload_out */
} evg_route;

/* Scans a whole document and routes it: which wire (catalog order; the
 * best partial match explains a failure), which event (`only`, when not
 * NULL, is the one event accepted), which version (docs/dispatch.md).
 * `slots` has cat->node_count entries. `bare`: the document is a payload
 * of `only`. With EVG_SKIM and `payload_out`, a payload whose wire, event
 * and version are known when it is reached (the routing members come
 * first) is parsed in place, into payload_out, and r->parsed says so.
 * False after recording the error. */
bool evg_route_document(evg_parser *p, const evg_catalog *cat, evg_slot *slots,
                        const evg_event_info *only, const evg_version_info *only_version,
                        bool bare, void *payload_out, evg_route *out);

/* Parses the routed payload with `parse` into `out`; errors carry its path. */
bool evg_parse_routed(evg_parser *p, const evg_catalog *cat, const evg_route *r,
                      evg_payload_fn parse, void *out);

/* A whole document: evg_document_begin sets p up for it (with `err` NULL,
 * the error goes to `local`) and fails, recording TOO_LARGE, beyond
 * EVG_MAX_INPUT; evg_document_end completes the error of a failed parse
 * (SYNTAX when nothing more specific was recorded, and its JSON Pointer)
 * and returns `ok`. */
bool evg_document_begin(evg_parser *p, const char *json, size_t len, evg_arena *arena,
                        unsigned flags, evg_error *err, evg_error *local);
bool evg_document_end(evg_parser *p, bool ok);

/* A whole routed document: `body` routes and parses it, first with the
 * router skimming the payload (EVG_SKIM: the payload is read by the typed
 * parser only); a document that fails is read again with every byte checked
 * by the router too, so an invalid document gets exactly the error a full
 * check finds first. The arena is rewound in between. */
typedef bool (*evg_document_fn)(evg_parser *p, void *ctx);
bool evg_run_document(const char *json, size_t len, evg_arena *arena, unsigned flags,
                      evg_error *err, evg_document_fn body, void *ctx);

/* Whole-document entry points of one event version. `out` (out_size bytes)
 * is zeroed first; after an error err->code is set and out is unspecified.
 *   evg_parse_payload_document: the document is the bare payload;
 *   evg_parse_wire_document: the payload in any wire of `version`'s event,
 *   whose version, when the document carries one, must be this one. */
bool evg_parse_payload_document(const char *json, size_t len, evg_payload_fn parse, void *out,
                                size_t out_size, evg_arena *arena, unsigned flags, evg_error *err);
bool evg_parse_wire_document(const char *json, size_t len, const evg_catalog *cat,
                             evg_slot *slots, const evg_event_info *event,
                             const evg_version_info *version, void *out, evg_arena *arena,
                             unsigned flags, evg_error *err);

/* MARK: writer ---------------------------------------------------------- */

/* Output in the snprintf convention: writes what fits, always counts what
 * was needed, and NUL-terminates when there is room (`buf` may be NULL when
 * `cap` is 0, to measure). A value the parser would reject is never
 * written: the writer records an error (the first one wins; `offset` is
 * where in the output it would have gone, `pointer` the offending member)
 * and every generated writer returns false up to the caller. */
typedef struct evg_writer {
    char *buf;
    size_t cap;
    size_t len;
    unsigned depth;                /* objects and arrays open: bounds an `any` value's depth */
    bool state_version;            /* write the payload's optional version member even when
                                      absent: the document would be read as another version */
    evg_error *err;                /* the caller's, or `local` */
    evg_error local;
    evg_path path;
} evg_writer;

/* `err` may be NULL. */
void evg_writer_init(evg_writer *w, char *buf, size_t cap, evg_error *err);

/* What does not fit: the part that does, and the count. */
void evg_put_raw_slow(evg_writer *w, const char *s, size_t n);

/* The common case, everything fits, is a copy of a length the compiler
 * usually knows (a literal): a few moves, no call. */
static inline void evg_put_raw(evg_writer *w, const char *s, size_t n)
{
    if (w->len < w->cap && n <= w->cap - w->len) {
        memcpy(w->buf + w->len, s, n);
        w->len += n;
    } else {
        evg_put_raw_slow(w, s, n);
    }
}

/* A string literal, its length counted by the compiler. */
#define EVG_PUT_LIT(w, lit) evg_put_raw((w), "" lit, sizeof(lit) - 1)

static inline void evg_put_char(evg_writer *w, char c)
{
    if (w->len < w->cap)
        w->buf[w->len] = c;
    w->len++;
}

/* Records an error (the first one wins) and returns false. */
bool evg_write_fail(evg_writer *w, evg_code code, const char *message);
/* Prepend one JSON Pointer step to the error's path; both return false. */
bool evg_write_path_key(evg_writer *w, const char *key, size_t len);
bool evg_write_path_index(evg_writer *w, size_t index);

/* Enters an object or array: false beyond EVG_MAX_DEPTH, or once the
 * output is past EVG_MAX_INPUT (said at once rather than at the end: the
 * items of arrays may repeat one buffer, so writing on could take long). */
static inline bool evg_write_enter(evg_writer *w)
{
    if (++w->depth > EVG_MAX_DEPTH)
        return evg_write_fail(w, EVG_ERR_TOO_DEEP, "nesting deeper than EVG_MAX_DEPTH");
    if (w->len > EVG_MAX_INPUT)
        return evg_write_fail(w, EVG_ERR_TOO_LARGE, "document larger than EVG_MAX_INPUT");
    return true;
}

/* Enters and writes the bracket ('{' or '['). */
static inline bool evg_write_open(evg_writer *w, char bracket)
{
    if (!evg_write_enter(w))
        return false;
    evg_put_char(w, bracket);
    return true;
}

static inline void evg_write_close(evg_writer *w, char bracket)
{
    w->depth--;
    evg_put_char(w, bracket);
}

/* An array's or map's count and items, as the parser would accept them:
 * no more than EVG_MAX_ITEMS, and items only NULL for none. */
bool evg_write_check_items(evg_writer *w, const void *items, size_t count);

/* A string: BAD_UTF8 for bytes that are not UTF-8 (RFC 3629), BAD_STRING
 * for a NULL `ptr` with a non-zero `len`; NULL and 0 is "". */
bool evg_put_string(evg_writer *w, evg_str s);
void evg_put_cstring(evg_writer *w, const char *s);   /* a trusted name */
/* An `any` value: exactly one JSON value, or the error the parser gives it
 * (an empty one is TRUNCATED); written without insignificant whitespace. */
bool evg_put_json_value(evg_writer *w, evg_str json);
void evg_put_bool(evg_writer *w, bool b);
void evg_put_int(evg_writer *w, int64_t v);
/* Shortest text that reads back as the same double; RANGE when not finite. */
bool evg_put_number(evg_writer *w, double v);
/* Writes a whole document in `wire`: its members in order, the name and
 * version given (version NULL: no version member, for a form's report),
 * `payload` written by `write` in the payload's place; `wire` NULL writes
 * the bare payload. */
bool evg_write_envelope(evg_writer *w, const evg_catalog *cat, const evg_wire_info *wire,
                        const char *event_name, const char *version, evg_write_fn write,
                        const void *payload);
/* Ends the output: after `ok`, NUL-terminates it and returns the length it
 * needs, excluding the NUL; a document larger than the parser accepts
 * (EVG_MAX_INPUT) is TOO_LARGE. After an error, returns 0 and leaves `buf`
 * an empty string: never a part of a document. */
size_t evg_writer_finish(evg_writer *w, bool ok);

/* An evg_str of a string literal, for building structs by hand. */
#ifdef __cplusplus
#define EVG_STR(lit) (evg_str{"" lit, sizeof(lit) - 1})
#else
#define EVG_STR(lit) ((evg_str){"" lit, sizeof(lit) - 1})
#endif

#ifdef __cplusplus
}
#endif

#endif /* EVGEN_RUNTIME_H */
