/* evgen runtime (runtime/ in the evgen sources): the same bytes for every
 * catalog and prefix. evgen copies it unchanged next to the code it
 * generates; DO NOT EDIT a copy: change runtime/ and run evgen again. */
/* evgen_runtime.c - JSON scanning (RFC 8259, strict), string unescaping
 * with UTF-8 validation and surrogate pairs, numbers, and the writer.
 *
 * Invariants kept on any input: every read is bounds-checked against
 * p->end; recursion is bounded by EVG_MAX_DEPTH; the arena is never written
 * past `cap`; the first error recorded is the one reported. */
#include "evgen_runtime.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>

/* MARK: errors ---------------------------------------------------------- */

static const char *const evg_code_names[] = {
#define EVG_CODE_NAME(name, text) #name,
    EVG_ERROR_CODES(EVG_CODE_NAME)
#undef EVG_CODE_NAME
};

static const char *const evg_code_texts[] = {
#define EVG_CODE_TEXT(name, text) text,
    EVG_ERROR_CODES(EVG_CODE_TEXT)
#undef EVG_CODE_TEXT
};

const char *evg_code_name(evg_code code)
{
    return (unsigned)code < EVG_ERR_COUNT_ ? evg_code_names[code] : "UNKNOWN";
}

const char *evg_code_text(evg_code code)
{
    return (unsigned)code < EVG_ERR_COUNT_ ? evg_code_texts[code] : "unknown error";
}

size_t evg_error_format(const evg_error *err, char *buf, size_t cap)
{
    char needed[64] = "";
    if (err->code == EVG_ERR_ARENA_FULL && err->arena_needed)
        snprintf(needed, sizeof needed, ", needs at least %zu arena bytes", err->arena_needed);
    int n = snprintf(buf, cap, "%s: %s%s: %s (offset %zu%s)", evg_code_name(err->code),
                     err->pointer_cut ? "..." : "",
                     err->pointer[0] || err->pointer_cut ? err->pointer : "(root)",
                     err->message ? err->message : evg_code_text(err->code), err->offset, needed);
    return n < 0 ? 0 : (size_t)n;
}

void evg_arena_init(evg_arena *a, void *buf, size_t cap)
{
    const size_t align = sizeof(void *) > sizeof(double) ? sizeof(void *) : sizeof(double);
    size_t skew = (size_t)(-(uintptr_t)buf & (align - 1));
    if (skew > cap)
        skew = cap;
    a->base = (char *)buf + skew;
    a->cap = (cap - skew) / align * align;
    a->used = 0;
    a->top = 0;
}

static void path_init(evg_path *path)
{
    path->start = sizeof path->buf - 1;
    path->buf[path->start] = '\0';
    path->cut = false;
}

static void path_finish(const evg_path *path, evg_error *err)
{
    memcpy(err->pointer, path->buf + path->start, sizeof path->buf - path->start);
    err->pointer_cut = path->cut;
}

static void error_init(evg_error *err)
{
    err->arena_needed = 0;
    err->code = EVG_ERR_OK;
    err->offset = 0;
    err->message = NULL;
    err->pointer[0] = '\0';
    err->pointer_cut = false;
}

void evg_parser_init(evg_parser *p, const char *json, size_t len,
                     evg_arena *arena, unsigned flags, evg_error *err)
{
    p->begin = json;
    p->cur = json;
    p->end = json + len;
    p->arena = arena;
    p->err = err;
    p->flags = flags;
    p->depth = 0;
    p->fallback_from.ptr = NULL;
    p->fallback_from.len = 0;
    path_init(&p->path);
    error_init(err);
}

void evg_parser_finish_error(evg_parser *p)
{
    path_finish(&p->path, p->err);
}

bool evg_fail(evg_parser *p, evg_code code, const char *at, const char *message)
{
    if (p->err->code != EVG_ERR_OK)
        return false;
    if (at < p->begin || at > p->end)
        at = p->cur;
    p->err->code = code;
    p->err->offset = (size_t)(at - p->begin);
    p->err->message = message ? message : evg_code_text(code);
    return false;
}

/* Prepends one step to the path. When a step no longer fits, the path keeps
 * the innermost steps it has (a valid pointer suffix), takes no more, and
 * the error says it was cut. */
static void path_prepend(evg_path *path, const char *s, size_t n)
{
    if (path->cut)
        return;
    if (n > path->start) {
        path->cut = true;
        return;
    }
    path->start -= n;
    memcpy(path->buf + path->start, s, n);
}

static void path_add_key(evg_path *path, const char *key, size_t len)
{
    if (path->cut)
        return;
    /* RFC 6901: '~' is written "~0" and '/' is written "~1". */
    char step[EVG_POINTER_MAX];
    size_t n = 0;
    step[n++] = '/';
    for (size_t i = 0; i < len; i++) {
        if (n + 2 >= sizeof step) {
            path->cut = true;   /* a step is whole or absent, never shortened */
            return;
        }
        if (key[i] == '~') { step[n++] = '~'; step[n++] = '0'; }
        else if (key[i] == '/') { step[n++] = '~'; step[n++] = '1'; }
        else step[n++] = key[i];
    }
    path_prepend(path, step, n);
}

static void path_add_index(evg_path *path, size_t index)
{
    char step[24];
    int n = snprintf(step, sizeof step, "/%zu", index);
    if (n > 0)
        path_prepend(path, step, (size_t)n);
}

bool evg_path_key(evg_parser *p, const char *key, size_t len)
{
    path_add_key(&p->path, key, len);
    return false;
}

bool evg_path_index(evg_parser *p, size_t index)
{
    path_add_index(&p->path, index);
    return false;
}

/* ARENA_FULL, with the arena bytes the parse had reached counting the
 * request that failed: a lower bound of what the document needs (the
 * generated *_arena_size functions give an upper one). */
static bool arena_full(evg_parser *p, const char *at, size_t reached, const char *message)
{
    if (p->err->code == EVG_ERR_OK)
        p->err->arena_needed = reached;
    return evg_fail(p, EVG_ERR_ARENA_FULL, at, message);
}

size_t evg_arena_size(size_t document_len, const evg_arena_rule *rules, size_t count)
{
    const size_t align = sizeof(void *) > sizeof(double) ? sizeof(void *) : sizeof(double);
    size_t per_byte = 1;   /* an unescaped string is never longer than its JSON text */
    if (count)
        per_byte = align - 1;   /* the padding before a non-empty array's items, paid by its ']' */
    for (size_t i = 0; i < count; i++) {
        /* Collected at the top, then copied to the bottom: both at once. */
        size_t slot = (rules[i].elem_size + align - 1) / align * align;
        size_t each = (slot + rules[i].elem_size + rules[i].min_bytes - 1) / rules[i].min_bytes;
        if (each > per_byte)
            per_byte = each;
    }
    size_t slack = 2 * align;   /* what evg_arena_init may lose to alignment */
    if (document_len > (SIZE_MAX - slack) / per_byte)
        return SIZE_MAX;
    return document_len * per_byte + slack;
}

/* MARK: structure ------------------------------------------------------- */

/* Records the error for a byte that cannot start what was expected:
 * running out of input is TRUNCATED, anything else SYNTAX. */
static bool fail_unexpected(evg_parser *p, const char *what)
{
    if (p->cur >= p->end)
        return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
    return evg_fail(p, EVG_ERR_SYNTAX, p->cur, what);
}

static bool enter(evg_parser *p)
{
    if (++p->depth > EVG_MAX_DEPTH)
        return evg_fail(p, EVG_ERR_TOO_DEEP, p->cur, "nesting deeper than EVG_MAX_DEPTH");
    return true;
}

/* Consumes the bracket that opens a container, one level deeper. */
static bool open_container(evg_parser *p, char bracket, const char *expected)
{
    if (evg_peek(p) != bracket) {
        if (p->cur >= p->end)
            return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
        return evg_fail(p, EVG_ERR_TYPE, p->cur, expected);
    }
    if (!enter(p))
        return false;
    p->cur++;
    return true;
}

bool evg_object_open(evg_parser *p)
{
    return open_container(p, '{', "expected an object");
}

static bool parse_string_into(evg_parser *p, evg_str *out, char *dst, size_t dst_cap,
                              bool use_arena);

/* The next key of an object: an object's keys go to p->scratch when they
 * need unescaping (they are only compared), a map's to the arena (they are
 * kept). */
static int next_key(evg_parser *p, size_t *count, evg_str *key, bool keep)
{
    char c = evg_peek(p);
    if (*count > 0) {
        if (c == ',') {
            p->cur++;
            c = evg_peek(p);
            if (c != '"')
                return fail_unexpected(p, "expected a key after ','"), -1;
        } else if (c != '}') {
            return fail_unexpected(p, "expected ',' or '}' after a value"), -1;
        }
    }
    if (c == '}') {
        p->cur++;
        p->depth--;
        return 0;
    }
    if (c != '"')
        return fail_unexpected(p, "expected a key or '}'"), -1;
    if (keep && *count >= EVG_MAX_ITEMS)
        return evg_fail(p, EVG_ERR_TOO_LARGE, p->cur, "more than EVG_MAX_ITEMS entries"), -1;
    if (!parse_string_into(p, key, p->scratch, sizeof p->scratch, keep))
        return -1;
    if (evg_peek(p) != ':')
        return fail_unexpected(p, "expected ':' after a key"), -1;
    p->cur++;
    ++*count;
    return 1;
}

int evg_object_key_slow(evg_parser *p, size_t *count, evg_str *key)
{
    return next_key(p, count, key, false);
}

int evg_map_key(evg_parser *p, size_t *count, evg_str *key)
{
    return next_key(p, count, key, true);
}

static int compare_keys(const void *x, const void *y)
{
    const evg_str *a = *(const evg_str *const *)x, *b = *(const evg_str *const *)y;
    size_t n = a->len < b->len ? a->len : b->len;
    int c = n ? memcmp(a->ptr, b->ptr, n) : 0;
    return c ? c : (a->len > b->len) - (a->len < b->len);
}

bool evg_map_unique(evg_parser *p, const void *entries, size_t count, size_t entry_size,
                    const char *at)
{
    if (count < 2)
        return true;
    evg_arena *a = p->arena;
    const size_t align = sizeof(void *);
    size_t start = a ? (a->used + align - 1) / align * align : 0;
    if (!a || start > a->cap - a->top || (a->cap - a->top - start) / sizeof(void *) < count)
        return arena_full(p, at, a ? start + count * sizeof(void *) + a->top : count * sizeof(void *),
                          "no room to check a map's keys for duplicates");
    const evg_str **keys = (const evg_str **)(void *)(a->base + start);
    for (size_t i = 0; i < count; i++)
        keys[i] = (const evg_str *)(const void *)((const char *)entries + i * entry_size);
    qsort(keys, count, sizeof *keys, compare_keys);
    for (size_t i = 1; i < count; i++) {
        if (compare_keys(&keys[i - 1], &keys[i]) == 0) {
            const evg_str *dup = (uintptr_t)keys[i]->ptr > (uintptr_t)keys[i - 1]->ptr ? keys[i] : keys[i - 1];
            /* Point at the later key when it is a view into the input. */
            const char *where = dup->ptr > p->begin && dup->ptr < p->end ? dup->ptr - 1 : at;
            evg_fail(p, EVG_ERR_DUPLICATE, where, "key appears twice in one object");
            return evg_path_key(p, dup->ptr, dup->len);
        }
    }
    return true;
}

bool evg_array_open(evg_parser *p)
{
    return open_container(p, '[', "expected an array");
}

int evg_array_next(evg_parser *p, size_t *count)
{
    char c = evg_peek(p);
    if (*count > 0) {
        if (c == ',') {
            p->cur++;
            if (evg_peek(p) == ']')
                return fail_unexpected(p, "trailing ',' before ']'"), -1;
            if (*count >= EVG_MAX_ITEMS)
                return evg_fail(p, EVG_ERR_TOO_LARGE, p->cur, "more than EVG_MAX_ITEMS elements"), -1;
            ++*count;
            return 1;
        }
        if (c != ']')
            return fail_unexpected(p, "expected ',' or ']' after an element"), -1;
    }
    if (c == ']') {
        p->cur++;
        p->depth--;
        return 0;
    }
    if (*count >= EVG_MAX_ITEMS)
        return evg_fail(p, EVG_ERR_TOO_LARGE, p->cur, "more than EVG_MAX_ITEMS elements"), -1;
    ++*count;
    return 1;
}

bool evg_expect_end(evg_parser *p)
{
    evg_skip_ws(p);
    if (p->cur != p->end)
        return evg_fail(p, EVG_ERR_TRAILING, p->cur, NULL);
    return true;
}

/* MARK: strings --------------------------------------------------------- */

/* Length of a well-formed UTF-8 sequence at s (RFC 3629: no overlongs, no
 * surrogates, nothing past U+10FFFF), or 0. */
static size_t utf8_sequence(const unsigned char *s, const unsigned char *end)
{
    unsigned char c = s[0];
    size_t avail = (size_t)(end - s);
    if (c >= 0xC2 && c <= 0xDF)
        return avail >= 2 && (s[1] & 0xC0) == 0x80 ? 2 : 0;
    if (c >= 0xE0 && c <= 0xEF) {
        if (avail < 3 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80)
            return 0;
        if (c == 0xE0 && s[1] < 0xA0)
            return 0;
        if (c == 0xED && s[1] >= 0xA0)
            return 0;
        return 3;
    }
    if (c >= 0xF0 && c <= 0xF4) {
        if (avail < 4 || (s[1] & 0xC0) != 0x80 || (s[2] & 0xC0) != 0x80 ||
            (s[3] & 0xC0) != 0x80)
            return 0;
        if (c == 0xF0 && s[1] < 0x90)
            return 0;
        if (c == 0xF4 && s[1] >= 0x90)
            return 0;
        return 4;
    }
    return 0;
}

static int hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    return v;
}

static size_t utf8_encode(unsigned long cp, char *out)
{
    if (cp < 0x80) { out[0] = (char)cp; return 1; }
    if (cp < 0x800) {
        out[0] = (char)(0xC0 | (cp >> 6));
        out[1] = (char)(0x80 | (cp & 0x3F));
        return 2;
    }
    if (cp < 0x10000) {
        out[0] = (char)(0xE0 | (cp >> 12));
        out[1] = (char)(0x80 | ((cp >> 6) & 0x3F));
        out[2] = (char)(0x80 | (cp & 0x3F));
        return 3;
    }
    out[0] = (char)(0xF0 | (cp >> 18));
    out[1] = (char)(0x80 | ((cp >> 12) & 0x3F));
    out[2] = (char)(0x80 | ((cp >> 6) & 0x3F));
    out[3] = (char)(0x80 | (cp & 0x3F));
    return 4;
}

/* Scans the string at p->cur ('"' expected). When it holds no escapes the
 * result points into the input. Otherwise it is unescaped into `dst`
 * (dst_cap bytes), or into the arena's bottom when use_arena is set; a
 * token too long for dst comes back with ptr NULL and its length. */
static bool parse_string_into(evg_parser *p, evg_str *out, char *dst, size_t dst_cap,
                              bool use_arena)
{
    const char *start = p->cur + 1, *c = start, *e = p->end;
    for (;;) {
        c = evg_scan_plain(c, e);
        if (c >= e)
            return evg_fail(p, EVG_ERR_TRUNCATED, c, "unterminated string");
        unsigned char b = (unsigned char)*c;
        if (b == '"') {
            out->ptr = start;
            out->len = (size_t)(c - start);
            p->cur = c + 1;
            return true;
        }
        if (b == '\\')
            break;
        if (b < 0x20)
            return evg_fail(p, EVG_ERR_BAD_STRING, c, "control character in string");
        if (b >= 0x80) {
            size_t n = utf8_sequence((const unsigned char *)c, (const unsigned char *)e);
            if (!n)
                return evg_fail(p, EVG_ERR_BAD_UTF8, c, NULL);
            c += n;
        } else {
            c++;
        }
    }

    /* Slow path: the string has escapes. Decode into the destination. */
    size_t cap = dst_cap, n = 0;
    if (use_arena) {
        evg_arena *a = p->arena;
        if (!a)
            return arena_full(p, start, (size_t)(c - start) + 1, "string needs unescaping but no arena was given");
        dst = a->base + a->used;
        cap = a->cap - a->used - a->top;
    }
    bool overflow = false;
#define EMIT(bytes, count)                                          \
    do {                                                            \
        if (n + (count) <= cap) memcpy(dst + n, (bytes), (count));  \
        else overflow = true;                                       \
        n += (count);                                               \
    } while (0)
    EMIT(start, (size_t)(c - start));
    while (c < e) {
        unsigned char b = (unsigned char)*c;
        if (b == '"') {
            p->cur = c + 1;
            if (overflow) {
                if (use_arena)
                    return arena_full(p, start, p->arena->used + p->arena->top + n, NULL);
                out->ptr = NULL;
                out->len = n;
                return true;
            }
            out->ptr = dst;
            out->len = n;
            if (use_arena)
                p->arena->used += n;
            return true;
        }
        if (b == '\\') {
            if (e - c < 2)
                break;
            char esc = c[1], one;
            switch (esc) {
            case '"': one = '"'; break;
            case '\\': one = '\\'; break;
            case '/': one = '/'; break;
            case 'b': one = '\b'; break;
            case 'f': one = '\f'; break;
            case 'n': one = '\n'; break;
            case 'r': one = '\r'; break;
            case 't': one = '\t'; break;
            case 'u': {
                if (e - c < 6)
                    return evg_fail(p, EVG_ERR_TRUNCATED, c, "unterminated \\u escape");
                int hi = hex4(c + 2);
                if (hi < 0)
                    return evg_fail(p, EVG_ERR_BAD_ESCAPE, c, "\\u must be followed by four hex digits");
                unsigned long cp = (unsigned long)hi;
                const char *esc_start = c;
                c += 6;
                if (hi >= 0xD800 && hi <= 0xDBFF) {
                    if (e - c < 6 || c[0] != '\\' || c[1] != 'u')
                        return evg_fail(p, e - c < 6 && (c == e || c[0] == '\\') ? EVG_ERR_TRUNCATED : EVG_ERR_BAD_ESCAPE,
                                        esc_start, "high surrogate not followed by a low surrogate");
                    int lo = hex4(c + 2);
                    if (lo < 0xDC00 || lo > 0xDFFF)
                        return evg_fail(p, EVG_ERR_BAD_ESCAPE, esc_start, "high surrogate not followed by a low surrogate");
                    cp = 0x10000 + (((unsigned long)hi - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                    c += 6;
                } else if (hi >= 0xDC00 && hi <= 0xDFFF) {
                    return evg_fail(p, EVG_ERR_BAD_ESCAPE, esc_start, "lone low surrogate");
                }
                char enc[4];
                size_t len = utf8_encode(cp, enc);
                EMIT(enc, len);
                continue;
            }
            default:
                return evg_fail(p, EVG_ERR_BAD_ESCAPE, c, NULL);
            }
            EMIT(&one, 1);
            c += 2;
            continue;
        }
        if (b < 0x20)
            return evg_fail(p, EVG_ERR_BAD_STRING, c, "control character in string");
        const char *run = c;
        if (b >= 0x80) {
            size_t len = utf8_sequence((const unsigned char *)c, (const unsigned char *)e);
            if (!len)
                return evg_fail(p, EVG_ERR_BAD_UTF8, c, NULL);
            c += len;
        } else {
            c++;
        }
        c = evg_scan_plain(c, e);
        EMIT(run, (size_t)(c - run));
    }
#undef EMIT
    return evg_fail(p, EVG_ERR_TRUNCATED, c, "unterminated string");
}

bool evg_parse_string_slow(evg_parser *p, evg_str *out)
{
    if (evg_peek(p) != '"') {
        if (p->cur >= p->end)
            return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
        return evg_fail(p, EVG_ERR_TYPE, p->cur, "expected a string");
    }
    return parse_string_into(p, out, NULL, 0, true);
}

bool evg_parse_token_slow(evg_parser *p, evg_str *out)
{
    if (evg_peek(p) != '"') {
        if (p->cur >= p->end)
            return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
        return evg_fail(p, EVG_ERR_TYPE, p->cur, "expected a string");
    }
    return parse_string_into(p, out, p->scratch, sizeof p->scratch, false);
}

/* MARK: literals and numbers -------------------------------------------- */

/* A value must end at a delimiter; "truex" or "01" are not two values. */
static bool at_delimiter(const evg_parser *p)
{
    if (p->cur >= p->end)
        return true;
    switch (*p->cur) {
    case ',': case '}': case ']': case ' ': case '\n': case '\r': case '\t':
        return true;
    default:
        return false;
    }
}

static bool match_literal(evg_parser *p, const char *lit, size_t n)
{
    size_t avail = (size_t)(p->end - p->cur);
    if (avail < n) {
        if (memcmp(p->cur, lit, avail) == 0)
            return evg_fail(p, EVG_ERR_TRUNCATED, p->end, NULL);
        return evg_fail(p, EVG_ERR_SYNTAX, p->cur, "invalid literal");
    }
    if (memcmp(p->cur, lit, n) != 0)
        return evg_fail(p, EVG_ERR_SYNTAX, p->cur, "invalid literal");
    p->cur += n;
    if (!at_delimiter(p))
        return evg_fail(p, EVG_ERR_SYNTAX, p->cur, "invalid literal");
    return true;
}

bool evg_null_slow(evg_parser *p)
{
    match_literal(p, "null", 4);
    return true;
}

bool evg_parse_bool_slow(evg_parser *p, bool *out)
{
    char c = evg_peek(p);
    if (c == 't') {
        *out = true;
        return match_literal(p, "true", 4);
    }
    if (c == 'f') {
        *out = false;
        return match_literal(p, "false", 5);
    }
    if (p->cur >= p->end)
        return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
    return evg_fail(p, EVG_ERR_TYPE, p->cur, "expected true or false");
}

/* Scans the RFC 8259 number grammar at p->cur without converting.
 * -? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)? */
typedef struct number_scan {
    const char *start, *end;
    bool negative, fraction_or_exponent;
} number_scan;

static bool digit(char c) { return c >= '0' && c <= '9'; }

static bool scan_number(evg_parser *p, number_scan *ns)
{
    const char *c = p->cur, *e = p->end;
    ns->start = c;
    ns->negative = false;
    ns->fraction_or_exponent = false;
    if (c < e && *c == '-') {
        ns->negative = true;
        c++;
    }
    if (c >= e)
        return evg_fail(p, EVG_ERR_TRUNCATED, c, NULL);
    if (*c == '0') {
        c++;
        if (c < e && digit(*c))
            return evg_fail(p, EVG_ERR_BAD_NUMBER, ns->start, "leading zeros are not allowed");
    } else if (digit(*c)) {
        while (c < e && digit(*c))
            c++;
    } else {
        return evg_fail(p, EVG_ERR_BAD_NUMBER, ns->start, "expected a digit");
    }
    if (c < e && *c == '.') {
        ns->fraction_or_exponent = true;
        c++;
        if (c >= e)
            return evg_fail(p, EVG_ERR_TRUNCATED, c, NULL);
        if (!digit(*c))
            return evg_fail(p, EVG_ERR_BAD_NUMBER, c, "expected a digit after '.'");
        while (c < e && digit(*c))
            c++;
    }
    if (c < e && (*c == 'e' || *c == 'E')) {
        ns->fraction_or_exponent = true;
        c++;
        if (c < e && (*c == '+' || *c == '-'))
            c++;
        if (c >= e)
            return evg_fail(p, EVG_ERR_TRUNCATED, c, NULL);
        if (!digit(*c))
            return evg_fail(p, EVG_ERR_BAD_NUMBER, c, "expected a digit in the exponent");
        while (c < e && digit(*c))
            c++;
    }
    ns->end = c;
    p->cur = c;
    if (!at_delimiter(p))
        return evg_fail(p, EVG_ERR_BAD_NUMBER, c, "unexpected character after a number");
    return true;
}

static bool expect_number_start(evg_parser *p)
{
    char c = evg_peek(p);
    if (c == '-' || digit(c))
        return true;
    if (p->cur >= p->end)
        return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
    return evg_fail(p, EVG_ERR_TYPE, p->cur, "expected a number");
}

bool evg_parse_int(evg_parser *p, int64_t *out)
{
    number_scan ns;
    if (!expect_number_start(p) || !scan_number(p, &ns))
        return false;
    if (ns.fraction_or_exponent)
        return evg_fail(p, EVG_ERR_TYPE, ns.start, "expected an integer");
    /* Accumulate as a negative number so INT64_MIN fits. */
    int64_t v = 0;
    for (const char *c = ns.start + ns.negative; c < ns.end; c++) {
        int d = *c - '0';
        if (v < (INT64_MIN + d) / 10)
            return evg_fail(p, EVG_ERR_RANGE, ns.start, "integer does not fit in 64 bits");
        v = v * 10 - d;
    }
    if (!ns.negative) {
        if (v == INT64_MIN)
            return evg_fail(p, EVG_ERR_RANGE, ns.start, "integer does not fit in 64 bits");
        v = -v;
    }
    *out = v;
    return true;
}

bool evg_parse_number_slow(evg_parser *p, double *out)
{
    number_scan ns;
    if (!expect_number_start(p) || !scan_number(p, &ns))
        return false;
    /* Fast path: up to 15 digits and a small power of ten are exact in a
     * double, so one multiply or divide gives the correctly rounded value. */
    uint64_t mantissa = 0;
    int digits = 0, exp10 = 0;
    const char *c = ns.start + ns.negative;
    for (; c < ns.end && digit(*c); c++, digits++)
        mantissa = mantissa * 10 + (uint64_t)(*c - '0');
    if (c < ns.end && *c == '.')
        for (c++; c < ns.end && digit(*c); c++, digits++, exp10--)
            mantissa = mantissa * 10 + (uint64_t)(*c - '0');
    bool exact = digits <= 15;
    if (c < ns.end && (*c == 'e' || *c == 'E')) {
        c++;
        bool neg = false;
        if (*c == '+' || *c == '-')
            neg = *c++ == '-';
        int e = 0;
        for (; c < ns.end; c++) {
            if (e < 10000)
                e = e * 10 + (*c - '0');
        }
        exp10 += neg ? -e : e;
    }
    static const double pow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                                   1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18, 1e19,
                                   1e20, 1e21, 1e22};
    if (exact && exp10 >= -22 && exp10 <= 22) {
        double v = (double)mantissa;
        v = exp10 < 0 ? v / pow10[-exp10] : v * pow10[exp10];
        *out = ns.negative ? -v : v;
        return true;
    }
    /* Slow path: strtod on a NUL-terminated copy (assumes the "C" locale's '.'). */
    char buf[512];
    size_t n = (size_t)(ns.end - ns.start);
    if (n >= sizeof buf)
        return evg_fail(p, EVG_ERR_RANGE, ns.start, "number has too many digits");
    memcpy(buf, ns.start, n);
    buf[n] = '\0';
    double v = strtod(buf, NULL);
    if (isinf(v))
        return evg_fail(p, EVG_ERR_RANGE, ns.start, "number does not fit in a double");
    *out = v;
    return true;
}

/* MARK: any value ------------------------------------------------------- */

/* The error path step for a key. A key unescaped into p->scratch may have
 * been overwritten by what was parsed after it, so it is not named wrongly:
 * the pointer stops there and is marked cut. */
static bool key_step(evg_parser *p, evg_str key)
{
    if (!key.ptr || (key.ptr >= p->scratch && key.ptr < p->scratch + sizeof p->scratch)) {
        p->path.cut = true;   /* the steps so far stay: a pointer suffix, marked as such */
        return false;
    }
    return evg_path_key(p, key.ptr, key.len);
}

bool evg_skip_value(evg_parser *p)
{
    char c = evg_peek(p);
    switch (c) {
    case '"': {
        evg_str ignored;
        return parse_string_into(p, &ignored, p->scratch, sizeof p->scratch, false);
    }
    case '{': {
        size_t count = 0;
        evg_str key;
        int more;
        if (!evg_object_open(p))
            return false;
        while ((more = evg_object_key(p, &count, &key)) > 0)
            if (!evg_skip_value(p))
                return key_step(p, key);
        return more == 0;
    }
    case '[': {
        size_t count = 0;
        int more;
        if (!evg_array_open(p))
            return false;
        while ((more = evg_array_next(p, &count)) > 0)
            if (!evg_skip_value(p))
                return evg_path_index(p, count - 1);
        return more == 0;
    }
    case 't':
        return match_literal(p, "true", 4);
    case 'f':
        return match_literal(p, "false", 5);
    case 'n':
        return match_literal(p, "null", 4);
    default: {
        if (c == '-' || digit(c)) {
            number_scan ns;
            return scan_number(p, &ns);
        }
        if (p->cur >= p->end)
            return evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL);
        return evg_fail(p, EVG_ERR_SYNTAX, p->cur, "expected a value");
    }
    }
}

bool evg_parse_raw(evg_parser *p, evg_str *out)
{
    evg_skip_ws(p);
    const char *start = p->cur;
    if (!evg_skip_value(p))
        return false;
    out->ptr = start;
    out->len = (size_t)(p->cur - start);
    return true;
}

bool evg_unknown_key(evg_parser *p, evg_str key, const char *key_at)
{
    if (p->flags & EVG_STRICT) {
        evg_fail(p, EVG_ERR_UNKNOWN_KEY, key_at, "key is not in the schema (strict mode)");
        return key_step(p, key);
    }
    return evg_skip_value(p) || key_step(p, key);
}

bool evg_check_required(evg_parser *p, const uint64_t *seen, size_t first,
                        const uint64_t *required, size_t count, const char *const *names)
{
    for (size_t w = 0; w * 64 < count; w++) {
        /* The 64 seen bits of properties 64w.., which may straddle two words. */
        size_t bit = first + w * 64, shift = bit & 63;
        size_t want = count - w * 64 < 64 ? count - w * 64 : 64;
        uint64_t got = seen[bit >> 6] >> shift;
        if (shift && shift + want > 64)
            got |= seen[(bit >> 6) + 1] << (64 - shift);
        uint64_t missing = required[w] & ~got;
        if (missing) {
            size_t i = 0;
            while (!(missing & 1)) {
                missing >>= 1;
                i++;
            }
            const char *name = names[w * 64 + i];
            /* The closing brace was consumed; point at it. */
            evg_fail(p, EVG_ERR_MISSING, p->cur - 1, "required property missing");
            return evg_path_key(p, name, strlen(name));
        }
    }
    return true;
}

/* MARK: arrays in the arena ---------------------------------------------- */

void evg_collect_begin(evg_parser *p, evg_collect *c, size_t elem_size)
{
    c->mark = p->arena ? p->arena->top : 0;
    c->elem_size = elem_size;
    c->count = 0;
}

/* Elements are stacked downward from the arena's end: element i sits at
 * end - mark - (i + 1) * size. Nested arrays stack below the current
 * element and are gone again before the next element is pushed. */
void *evg_collect_push(evg_parser *p, evg_collect *c)
{
    evg_arena *a = p->arena;
    if (!a)
        return arena_full(p, p->cur, c->elem_size, "array needs an arena but none was given"), NULL;
    size_t align = sizeof(void *) > sizeof(double) ? sizeof(void *) : sizeof(double);
    size_t size = (c->elem_size + align - 1) / align * align;
    size_t top = c->mark + (c->count + 1) * size;
    if (top > a->cap || a->cap - top < a->used)
        return arena_full(p, p->cur, a->used + top, NULL), NULL;
    a->top = top;
    c->count++;
    void *slot = a->base + (a->cap - top);
    memset(slot, 0, size);
    return slot;
}

bool evg_collect_end(evg_parser *p, evg_collect *c, void **items)
{
    *items = NULL;
    if (c->count == 0)
        return true;
    evg_arena *a = p->arena;
    size_t align = sizeof(void *) > sizeof(double) ? sizeof(void *) : sizeof(double);
    size_t size = (c->elem_size + align - 1) / align * align;
    size_t start = (a->used + align - 1) / align * align;
    size_t bytes = c->count * c->elem_size;
    /* The scratch region sits at [cap - top, cap - mark); the result must
     * fit below it. */
    if (start + bytes > a->cap - a->top)
        return arena_full(p, p->cur, start + bytes + a->top, NULL);
    char *dst = a->base + start;
    for (size_t i = 0; i < c->count; i++)
        memcpy(dst + i * c->elem_size, a->base + a->cap - c->mark - (i + 1) * size, c->elem_size);
    a->used = start + bytes;
    a->top = c->mark;
    *items = dst;
    return true;
}

/* MARK: writer ---------------------------------------------------------- */

void evg_writer_init(evg_writer *w, char *buf, size_t cap, evg_error *err)
{
    w->buf = buf;
    w->cap = buf ? cap : 0;
    w->len = 0;
    w->depth = 0;
    w->state_version = false;
    w->err = err ? err : &w->local;
    error_init(w->err);
    path_init(&w->path);
}

bool evg_write_fail(evg_writer *w, evg_code code, const char *message)
{
    if (w->err->code != EVG_ERR_OK)
        return false;
    w->err->code = code;
    w->err->offset = w->len;
    w->err->message = message ? message : evg_code_text(code);
    return false;
}

bool evg_write_path_key(evg_writer *w, const char *key, size_t len)
{
    path_add_key(&w->path, key, len);
    return false;
}

bool evg_write_path_index(evg_writer *w, size_t index)
{
    path_add_index(&w->path, index);
    return false;
}

bool evg_write_check_items(evg_writer *w, const void *items, size_t count)
{
    if (count > EVG_MAX_ITEMS)
        return evg_write_fail(w, EVG_ERR_TOO_LARGE, "more than EVG_MAX_ITEMS elements");
    if (count && !items)
        return evg_write_fail(w, EVG_ERR_TYPE, "items is NULL but count is not 0");
    return true;
}

void evg_put_raw_slow(evg_writer *w, const char *s, size_t n)
{
    if (w->len < w->cap && n) {
        size_t room = w->cap - w->len;
        memcpy(w->buf + w->len, s, n < room ? n : room);
    }
    w->len += n;
}

bool evg_put_string(evg_writer *w, evg_str s)
{
    static const char hex[] = "0123456789abcdef";
    if (s.len == 0) {
        EVG_PUT_LIT(w, "\"\"");
        return true;
    }
    if (!s.ptr)
        return evg_write_fail(w, EVG_ERR_BAD_STRING, "string is NULL but its length is not 0");
    evg_put_char(w, '"');
    const char *c = s.ptr, *e = s.ptr + s.len, *run = c;
    for (; c < e; c++) {
        /* Runs of plain bytes are found many at a time; evg_scan_plain
         * stops at non-ASCII bytes too, which are checked and kept. */
        c = evg_scan_plain(c, e);
        if (c >= e)
            break;
        unsigned char b = (unsigned char)*c;
        if (b >= 0x80) {
            size_t n = utf8_sequence((const unsigned char *)c, (const unsigned char *)e);
            if (n == 0) {
                evg_put_raw(w, run, (size_t)(c - run));   /* the offset is the bad byte's */
                return evg_write_fail(w, EVG_ERR_BAD_UTF8, "string is not valid UTF-8");
            }
            c += n - 1;
            continue;
        }
        if (b >= 0x20 && b != '"' && b != '\\')
            continue;
        evg_put_raw(w, run, (size_t)(c - run));
        run = c + 1;
        char esc[6] = {'\\', 0, 0, 0, 0, 0};
        size_t n = 2;
        switch (b) {
        case '"': esc[1] = '"'; break;
        case '\\': esc[1] = '\\'; break;
        case '\b': esc[1] = 'b'; break;
        case '\f': esc[1] = 'f'; break;
        case '\n': esc[1] = 'n'; break;
        case '\r': esc[1] = 'r'; break;
        case '\t': esc[1] = 't'; break;
        default:
            esc[1] = 'u'; esc[2] = '0'; esc[3] = '0';
            esc[4] = hex[b >> 4]; esc[5] = hex[b & 15];
            n = 6;
        }
        evg_put_raw(w, esc, n);
    }
    evg_put_raw(w, run, (size_t)(c - run));
    evg_put_char(w, '"');
    return true;
}

void evg_put_cstring(evg_writer *w, const char *s)
{
    evg_str v = {s, strlen(s)};
    evg_put_string(w, v);
}

/* Copies one JSON value the parser accepted, leaving out whitespace. */
static void put_json_compact(evg_writer *w, evg_str json)
{
    const char *c = json.ptr, *e = json.ptr + json.len, *run = c;
    bool in_string = false;
    for (; c < e; c++) {
        if (in_string) {
            if (*c == '\\')
                c++;
            else if (*c == '"')
                in_string = false;
        } else if (*c == '"') {
            in_string = true;
        } else if (*c == ' ' || *c == '\n' || *c == '\r' || *c == '\t') {
            evg_put_raw(w, run, (size_t)(c - run));
            run = c + 1;
        }
    }
    evg_put_raw(w, run, (size_t)(e - run));
}

bool evg_put_json_value(evg_writer *w, evg_str json)
{
    if (!json.ptr && json.len)
        return evg_write_fail(w, EVG_ERR_BAD_STRING, "value is NULL but its length is not 0");
    /* The parser's own check, at the depth the value will be read at:
     * what passes here reads back as exactly this value. */
    static const char nothing[1] = "";
    evg_error verdict;
    evg_parser p;
    evg_parser_init(&p, json.ptr ? json.ptr : nothing, json.len, NULL, 0, &verdict);
    p.depth = w->depth;
    if (!evg_skip_value(&p) || !evg_expect_end(&p)) {
        if (verdict.code == EVG_ERR_OK)
            evg_fail(&p, EVG_ERR_SYNTAX, p.cur, NULL);
        return evg_write_fail(w, verdict.code, verdict.message);
    }
    put_json_compact(w, json);
    return true;
}

void evg_put_bool(evg_writer *w, bool b)
{
    if (b)
        EVG_PUT_LIT(w, "true");
    else
        EVG_PUT_LIT(w, "false");
}

void evg_put_int(evg_writer *w, int64_t v)
{
    char buf[24], *c = buf + sizeof buf;
    uint64_t u = v < 0 ? (uint64_t)0 - (uint64_t)v : (uint64_t)v;
    do {
        *--c = (char)('0' + u % 10);
        u /= 10;
    } while (u);
    if (v < 0)
        *--c = '-';
    evg_put_raw(w, c, (size_t)(buf + sizeof buf - c));
}

bool evg_put_number(evg_writer *w, double v)
{
    if (!isfinite(v))
        return evg_write_fail(w, EVG_ERR_RANGE, "number is not finite: JSON has no NaN or infinity");
    /* Range first: converting an out-of-range double to int64_t is undefined. */
    if (fabs(v) < 9007199254740992.0 && v == (double)(int64_t)v) {
        evg_put_int(w, (int64_t)v);
        return true;
    }
    char buf[32];
    int n = 0;
    for (int precision = 1; precision <= 17; precision++) {
        n = snprintf(buf, sizeof buf, "%.*g", precision, v);
        if (strtod(buf, NULL) == v)
            break;
    }
    evg_put_raw(w, buf, (size_t)n);
    return true;
}

size_t evg_writer_finish(evg_writer *w, bool ok)
{
    if (ok && w->len > EVG_MAX_INPUT)
        ok = evg_write_fail(w, EVG_ERR_TOO_LARGE, "document larger than EVG_MAX_INPUT");
    if (!ok) {
        if (w->err->code == EVG_ERR_OK)   /* a writer that failed without saying why */
            evg_write_fail(w, EVG_ERR_TYPE, NULL);
        path_finish(&w->path, w->err);
        if (w->cap > 0)
            w->buf[0] = '\0';
        return 0;
    }
    if (w->len < w->cap)
        w->buf[w->len] = '\0';
    else if (w->cap > 0)
        w->buf[w->cap - 1] = '\0';
    return w->len;
}

/* MARK: constants and envelopes ----------------------------------------- */

bool evg_record_version(evg_parser *p)
{
    evg_skip_ws(p);
    p->version_at = p->cur;
    evg_str v;
    /* Escaped: checked here, decoded again by the router from version_at. */
    return evg_plain_string(p, &v) || evg_parse_token_slow(p, &v);
}

bool evg_parse_const_slow(evg_parser *p, const char *lit, size_t len, const evg_str *alt,
                          const char *message)
{
    evg_skip_ws(p);
    const char *at = p->cur;
    evg_str v;
    if (!evg_parse_token(p, &v))
        return false;
    if (!evg_const_matches(v, lit, len, alt))
        return evg_fail(p, EVG_ERR_CONST, at, message);
    return true;
}

/* MARK: documents -------------------------------------------------------- */

bool evg_document_begin(evg_parser *p, const char *json, size_t len, evg_arena *arena,
                        unsigned flags, evg_error *err, evg_error *local)
{
    evg_parser_init(p, json, len, arena, flags, err ? err : local);
    if (len > EVG_MAX_INPUT)
        return evg_fail(p, EVG_ERR_TOO_LARGE, json, "document larger than EVG_MAX_INPUT");
    return true;
}

bool evg_document_end(evg_parser *p, bool ok)
{
    if (!ok) {
        if (p->err->code == EVG_ERR_OK)
            evg_fail(p, EVG_ERR_SYNTAX, p->cur, NULL);
        evg_parser_finish_error(p);
    }
    return ok;
}

bool evg_parse_payload_document(const char *json, size_t len, evg_payload_fn parse, void *out,
                                size_t out_size, evg_arena *arena, unsigned flags, evg_error *err)
{
    evg_error local;
    evg_parser p;
    memset(out, 0, out_size);
    bool ok = evg_document_begin(&p, json, len, arena, flags, err, &local) && parse(&p, out) &&
              evg_expect_end(&p);
    return evg_document_end(&p, ok);
}

bool evg_run_document(const char *json, size_t len, evg_arena *arena, unsigned flags,
                      evg_error *err, evg_document_fn body, void *ctx)
{
    evg_error local;
    evg_parser p;
    size_t used = arena ? arena->used : 0, top = arena ? arena->top : 0;
    if (!evg_document_begin(&p, json, len, arena, flags | EVG_SKIM, err, &local))
        return evg_document_end(&p, false);
    if (body(&p, ctx))
        return true;
    if (arena) {
        arena->used = used;
        arena->top = top;
    }
    evg_document_begin(&p, json, len, arena, flags & ~(unsigned)EVG_SKIM, err, &local);
    return evg_document_end(&p, body(&p, ctx));
}

typedef struct wire_document {
    const evg_catalog *cat;
    evg_slot *slots;
    const evg_event_info *event;
    const evg_version_info *version;
    void *out;
} wire_document;

static bool parse_wire_body(evg_parser *p, void *ctx)
{
    const wire_document *d = ctx;
    evg_route r;
    memset(d->out, 0, d->version->struct_size);
    return evg_route_document(p, d->cat, d->slots, d->event, d->version, false, d->out, &r) &&
           evg_parse_routed(p, d->cat, &r, d->version->parse, d->out);
}

bool evg_parse_wire_document(const char *json, size_t len, const evg_catalog *cat,
                             evg_slot *slots, const evg_event_info *event,
                             const evg_version_info *version, void *out, evg_arena *arena,
                             unsigned flags, evg_error *err)
{
    wire_document d = {cat, slots, event, version, out};
    return evg_run_document(json, len, arena, flags, err, parse_wire_body, &d);
}

/* MARK: lifecycle ------------------------------------------------------- */

const char *evg_direction_name(evg_direction d)
{
    switch (d) {
    case EVG_DIRECTION_RECEIVED: return "received";
    case EVG_DIRECTION_SEND: return "send";
    default: return "unknown";
    }
}

const char *evg_status_name(evg_status s)
{
    switch (s) {
    case EVG_STATUS_PENDING: return "pending";
    case EVG_STATUS_ACTIVE: return "active";
    case EVG_STATUS_DEPRECATED: return "deprecated";
    case EVG_STATUS_SUNSET: return "sunset";
    default: return "unknown";
    }
}

evg_status evg_status_on(const evg_version_info *v, int32_t date)
{
    if (v->sunset && date >= v->sunset)
        return EVG_STATUS_SUNSET;
    if (v->deprecated && date >= v->deprecated)
        return EVG_STATUS_DEPRECATED;
    if (date < v->active)
        return EVG_STATUS_PENDING;
    return EVG_STATUS_ACTIVE;
}

/* MARK: wires ----------------------------------------------------------- */

static bool str_is(evg_str s, const char *lit)
{
    return s.ptr && s.len == strlen(lit) && memcmp(s.ptr, lit, s.len) == 0;
}

/* Prepends the JSON Pointer steps that lead to `node`; returns false. */
static bool path_to_node(evg_parser *p, const evg_catalog *cat, int node)
{
    while (node >= 0) {
        evg_path_key(p, cat->nodes[node].key, cat->nodes[node].key_len);
        node = cat->nodes[node].parent;
    }
    return false;
}

static bool node_is(const evg_catalog *cat, int node, evg_str key)
{
    return key.ptr && cat->nodes[node].key_len == key.len &&
           memcmp(cat->nodes[node].key, key.ptr, key.len) == 0;
}

/* A payload parsed where it is met (evg_route_document). */
typedef struct speculation {
    const evg_event_info *only;
    const evg_version_info *only_version;
    void *out;                      /* where it goes */
    const evg_wire_info *wire;      /* what it was parsed as; NULL: not parsed */
    const evg_event_info *event;
    const evg_version_info *version;
} speculation;

static int parse_in_place(evg_parser *p, const evg_catalog *cat, evg_slot *slots, int node,
                          speculation *spec);

static bool scan_value(evg_parser *p, const evg_catalog *cat, evg_slot *slots, int node,
                       bool skim, speculation *spec);

/* Skips one value by its structure alone: strings (and their escapes) and
 * brackets are followed, nothing is decoded or checked. Used inside a
 * payload, which the typed parser reads and validates afterwards, so the
 * router does not validate it a second time. Brackets must still match, so
 * that the payload's end is where the typed parser will find it. */
static bool skim_value(evg_parser *p)
{
    const char *c = p->cur, *e = p->end;
    /* One bit per open bracket: 1 for '{', 0 for '['. */
    uint64_t open[(EVG_MAX_DEPTH + 63) / 64 + 1] = {0};
    unsigned depth = 0, room = EVG_MAX_DEPTH > p->depth ? EVG_MAX_DEPTH - p->depth : 0;
    while (c < e && evg_is_ws(*c))
        c++;
    do {
        if (c >= e)
            return evg_fail(p, EVG_ERR_TRUNCATED, c, NULL);
        char ch = *c;
        if (ch == '"') {
            c++;
            for (;;) {
                c = evg_scan_plain(c, e);
                if (c >= e)
                    return evg_fail(p, EVG_ERR_TRUNCATED, c, "unterminated string");
                if (*c == '"')
                    break;
                c += *c == '\\' ? 2 : 1;   /* an escape, a control or non-ASCII byte */
            }
            c++;
        } else if (ch == '{' || ch == '[') {
            if (depth == room) {
                p->cur = c;
                return evg_fail(p, EVG_ERR_TOO_DEEP, c, "nesting deeper than EVG_MAX_DEPTH");
            }
            if (ch == '{')
                open[depth >> 6] |= (uint64_t)1 << (depth & 63);
            else
                open[depth >> 6] &= ~((uint64_t)1 << (depth & 63));
            depth++;
            c++;
        } else if (ch == '}' || ch == ']') {
            if (depth == 0 || ((open[(depth - 1) >> 6] >> ((depth - 1) & 63)) & 1) != (ch == '}'))
                return evg_fail(p, EVG_ERR_SYNTAX, c, depth ? "mismatched bracket" : "expected a value");
            depth--;
            c++;
        } else if (depth > 0 && (ch == ',' || ch == ':' || evg_is_ws(ch))) {
            c++;
        } else {
            /* A number or literal: up to the next delimiter. */
            const char *start = c;
            while (c < e && *c != ',' && *c != '}' && *c != ']' && *c != '"' && !evg_is_ws(*c))
                c++;
            if (c == start)
                return evg_fail(p, EVG_ERR_SYNTAX, c, "expected a value");
        }
    } while (depth > 0);
    p->cur = c;
    return true;
}

/* The members of one object (`node`: -1 the document, EVG_NO_NODE an
 * object no wire describes): the keys some wire knows are scanned into
 * their slots, the others skipped (the first one is remembered for strict
 * mode). `level` is the object's own slot. With `skim`, the others are
 * skipped unchecked (the object is, or is inside, a payload). */
#define EVG_NO_NODE (-2)
static bool scan_members(evg_parser *p, const evg_catalog *cat, evg_slot *slots, int node,
                         evg_slot *level, bool skim, speculation *spec)
{
    int first = node == EVG_NO_NODE ? -1 : node < 0 ? cat->first_root : cat->nodes[node].first_child;
    size_t count = 0;
    evg_str key;
    int more;
    if (!evg_object_open(p))
        return false;
    while ((more = evg_object_key(p, &count, &key)) > 0) {
        int child = first;
        while (child >= 0 && !node_is(cat, child, key))
            child = cat->nodes[child].next_sibling;
        if (child >= 0) {
            const evg_wire_node *n = &cat->nodes[child];
            if (slots[child].at) {
                /* Two readers (router and payload parser) must never see
                 * different values of one member. */
                evg_fail(p, EVG_ERR_DUPLICATE, p->cur, "key appears twice in one object");
                return evg_path_key(p, n->key, n->key_len);
            }
            if (!scan_value(p, cat, slots, child, skim, spec))
                return evg_path_key(p, n->key, n->key_len);
            continue;
        }
        evg_skip_ws(p);
        if (!level->unknown_at) {
            level->unknown_at = p->cur;
            level->unknown = key;
            if (key.ptr >= p->scratch && key.ptr < p->scratch + sizeof p->scratch)
                level->unknown.ptr = NULL;   /* its name is gone: the pointer will say so */
        }
        level->skimmed = level->skimmed || skim;
        if (!(skim ? skim_value(p) : evg_skip_value(p)))
            return key_step(p, key);
    }
    return more == 0;
}

static bool scan_value(evg_parser *p, const evg_catalog *cat, evg_slot *slots, int node,
                       bool skim, speculation *spec)
{
    evg_slot *s = &slots[node];
    skim = skim || (cat->nodes[node].payload && (p->flags & EVG_SKIM));
    evg_skip_ws(p);
    s->at = p->cur;
    s->depth = p->depth;
    if (spec && skim && cat->nodes[node].payload && !spec->wire) {
        int parsed = parse_in_place(p, cat, slots, node, spec);
        if (parsed < 0)
            return false;
        if (parsed > 0) {
            s->end = p->cur;
            return true;
        }
    }
    if (p->cur < p->end && *p->cur == '"') {
        if (!evg_plain_string(p, &s->string)) {
            evg_str escaped;
            if (!evg_parse_token_slow(p, &escaped))
                return false;
            s->string.ptr = NULL;   /* unescaped again by slot_string when needed */
            s->too_long = escaped.ptr == NULL;
        }
    } else if (p->cur < p->end && *p->cur == '{' && cat->nodes[node].first_child >= 0) {
        if (!scan_members(p, cat, slots, node, s, skim, spec))
            return false;
    } else if (!(skim ? skim_value(p) : evg_skip_value(p))) {
        return false;
    }
    s->end = p->cur;
    return true;
}

/* Levels of the chosen wire's envelope that were skimmed because another
 * wire has its payload there (one wire's payload can be another's
 * envelope) hold members nobody else will read: they are validated now. */
static bool validate_skimmed(evg_parser *p, const evg_catalog *cat, const evg_slot *slots,
                             const evg_wire_info *w)
{
    for (size_t i = 0; i < w->member_count; i++) {
        int node = w->members[i].node;
        if (w->members[i].role != EVG_ROLE_OBJECT || !slots[node].skimmed)
            continue;
        const char *save = p->cur;
        unsigned depth = p->depth;
        p->cur = slots[node].at;
        p->depth = slots[node].depth;
        bool ok = evg_skip_value(p);
        p->cur = save;
        p->depth = depth;
        if (!ok)
            return path_to_node(p, cat, node);
    }
    return true;
}

/* A string slot's value, unescaped into p->scratch when needed (valid until
 * the next use of the scratch); ptr NULL when absent, not a string, or
 * longer than the scratch, which is longer than any name or constant a
 * catalog may hold. */
static evg_str slot_string(evg_parser *p, const evg_slot *s)
{
    evg_str out = {NULL, 0};
    if (!s->at || *s->at != '"' || s->too_long)
        return out;   /* (too long: never decoded twice, whatever asks) */
    if (s->string.ptr)
        return s->string;
    const char *save = p->cur;
    p->cur = s->at;
    if (!parse_string_into(p, &out, p->scratch, sizeof p->scratch, false))
        out.ptr = NULL;   /* cannot happen: the scan validated it */
    p->cur = save;
    return out;
}

static bool member_fits(evg_parser *p, const evg_wire_member *m, const evg_slot *s)
{
    if (!s->at)
        return !m->required;
    switch (m->role) {
    case EVG_ROLE_OBJECT: return *s->at == '{';
    case EVG_ROLE_CONST: return str_is(slot_string(p, s), m->value);
    case EVG_ROLE_NAME:
    case EVG_ROLE_VERSION:
    case EVG_ROLE_SELECT: return *s->at == '"';
    case EVG_ROLE_PAYLOAD: return true;
    }
    return false;
}

/* How well a document fits a wire: the constants it contradicts (wrong, or
 * required and absent) count against it first, then how many of the wire's
 * members it shows. */
typedef struct wire_score {
    unsigned contradicted;
    unsigned shown;
} wire_score;

static bool better(wire_score a, wire_score b)
{
    return a.contradicted != b.contradicted ? a.contradicted < b.contradicted : a.shown > b.shown;
}

/* The document's score for `w`, and the first member of `w` that does not
 * fit (member_count when all fit). */
static wire_score wire_fit(evg_parser *p, const evg_wire_info *w, const evg_slot *slots,
                           size_t *first_bad)
{
    wire_score score = {0, 0};
    *first_bad = w->member_count;
    for (size_t i = 0; i < w->member_count; i++) {
        const evg_wire_member *m = &w->members[i];
        bool fits = member_fits(p, m, &slots[m->node]);
        if (slots[m->node].at)
            score.shown++;
        if (!fits && m->role == EVG_ROLE_CONST)
            score.contradicted++;
        if (!fits && *first_bad == w->member_count)
            *first_bad = i;
    }
    return score;
}

/* Where a missing member would be: the closing brace of its object. */
static const char *missing_at(const evg_parser *p, const evg_catalog *cat, const evg_slot *slots,
                              const evg_slot *root, int node)
{
    int parent = cat->nodes[node].parent;
    const evg_slot *s = parent < 0 ? root : &slots[parent];
    return s->end > p->begin ? s->end - 1 : p->begin;
}

/* Explains why `m` of wire `w` does not fit. */
static bool member_error(evg_parser *p, const evg_catalog *cat, const evg_slot *slots,
                         const evg_slot *root, const evg_wire_info *w, const evg_wire_member *m)
{
    const evg_slot *s = &slots[m->node];
    const evg_slot *payload = &slots[w->payload_node];
    if (m->in_payload && payload->at && *payload->at != '{') {
        /* Its member cannot be there: the payload is no object at all. */
        evg_fail(p, EVG_ERR_TYPE, payload->at, "expected an object");
        return path_to_node(p, cat, w->payload_node);
    }
    if (!s->at)
        evg_fail(p, EVG_ERR_ENVELOPE, missing_at(p, cat, slots, root, m->node), "required property missing");
    else if (m->role == EVG_ROLE_OBJECT)
        evg_fail(p, EVG_ERR_TYPE, s->at, "expected an object");
    else if (*s->at != '"')
        evg_fail(p, EVG_ERR_TYPE, s->at, "expected a string");
    else
        evg_fail(p, EVG_ERR_ENVELOPE, s->at, cat->nodes[m->node].expected);
    return path_to_node(p, cat, m->node);
}

static bool wire_has_node(const evg_wire_info *w, int node)
{
    for (size_t i = 0; i < w->member_count; i++)
        if (w->members[i].node == node)
            return true;
    return false;
}

static bool unknown_at_level(evg_parser *p, const evg_catalog *cat, const evg_slot *level,
                             int node)
{
    evg_fail(p, EVG_ERR_UNKNOWN_KEY, level->unknown_at, "key is not in the envelope (strict mode)");
    if (!level->unknown.ptr) {
        p->path.cut = true;   /* its name is gone: say the pointer is incomplete */
        return false;
    }
    evg_path_key(p, level->unknown.ptr, level->unknown.len);
    return path_to_node(p, cat, node);
}

/* Strict mode: every key of the wire's own levels must be one of its
 * members (another wire's members are strangers here too). */
static bool strict_levels(evg_parser *p, const evg_catalog *cat, const evg_slot *slots,
                          const evg_slot *root, const evg_wire_info *w)
{
    for (size_t i = 0; i <= w->member_count; i++) {
        int level = i < w->member_count ? w->members[i].node : -1;
        if (i < w->member_count && w->members[i].role != EVG_ROLE_OBJECT)
            continue;
        const evg_slot *ls = level < 0 ? root : &slots[level];
        if (ls->unknown_at)
            return unknown_at_level(p, cat, ls, level);
        int first = level < 0 ? cat->first_root : cat->nodes[level].first_child;
        for (int c = first; c >= 0; c = cat->nodes[c].next_sibling) {
            if (!slots[c].at || wire_has_node(w, c))
                continue;
            evg_fail(p, EVG_ERR_UNKNOWN_KEY, slots[c].at, "key is not in the envelope (strict mode)");
            return path_to_node(p, cat, c);
        }
    }
    return true;
}

static bool event_has_wire(const evg_event_info *e, int wire)
{
    for (size_t i = 0; i < e->wire_count; i++)
        if (e->wires[i] == wire)
            return true;
    return false;
}

/* "MAJOR.MINOR.PATCH", decimal, no leading zeros. */
static bool parse_semver(evg_str s, unsigned v[3])
{
    if (!s.ptr)
        return false;
    const char *c = s.ptr, *e = s.ptr + s.len;
    for (int part = 0; part < 3; part++) {
        if (c >= e || !digit(*c))
            return false;
        if (*c == '0' && c + 1 < e && digit(c[1]))
            return false;
        unsigned long n = 0;
        while (c < e && digit(*c)) {
            n = n * 10 + (unsigned long)(*c++ - '0');
            if (n > 999999)
                return false;
        }
        v[part] = (unsigned)n;
        if (part < 2) {
            if (c >= e || *c != '.')
                return false;
            c++;
        }
    }
    return c == e;
}

/* Where a document's event version is read. */
typedef struct version_source {
    const evg_slot *slot;          /* what was there */
    int node;                      /* its node; -1: the wire carries no version */
    bool bare;                     /* a bare payload: its pointer is just the key */
    bool in_payload;               /* a member of the payload, not of the envelope */
    const evg_slot *container;     /* the object it belongs in */
    int container_node;            /* ... and its node (-1: the document) */
    const evg_version_info *want;  /* the one version accepted, or NULL: the policy decides */
} version_source;

static bool version_path(evg_parser *p, const evg_catalog *cat, const version_source *src)
{
    if (src->bare)
        return evg_path_key(p, cat->nodes[src->node].key, cat->nodes[src->node].key_len);
    return path_to_node(p, cat, src->node);
}

/* The version policy of docs/dispatch.md; NULL after recording the error. */
static const evg_version_info *select_version(evg_parser *p, const evg_catalog *cat,
                                              const evg_event_info *event,
                                              const version_source *src, unsigned *flags)
{
    const evg_slot *vs = src->slot, *container = src->container;
    const int node = src->node, container_node = src->container_node;
    const evg_version_info *newest = &event->versions[event->version_count - 1];
    *flags = 0;
    if (node >= 0 && !vs->at && container->at && *container->at != '{') {
        /* The payload that would hold the version is no object: say that. */
        evg_fail(p, EVG_ERR_TYPE, container->at, "expected an object");
        path_to_node(p, cat, container_node);
        return NULL;
    }
    if (node < 0 || !vs->at) {
        if (node < 0)
            return src->want ? src->want : newest;   /* nothing to choose by */
        /* Strict mode asks the router for a version; a per-version entry
         * point knows it already, unless the event must always carry it. */
        if (event->version_required || ((p->flags & EVG_STRICT) && !src->want)) {
            evg_fail(p, EVG_ERR_VERSION_MISSING, container->at ? container->at : p->begin,
                     event->version_required ? "this event must carry its version"
                                             : "no version in the document (strict mode)");
            path_to_node(p, cat, container_node);
            return NULL;
        }
        if (src->want)
            return src->want;
        *flags |= EVG_VERSION_ASSUMED;
        return newest;
    }
    evg_str text = slot_string(p, vs);
    if (src->want) {
        /* One known version: the document's must be exactly it. In the
         * payload, that is the payload's own constant to check. */
        if (src->in_payload || str_is(text, src->want->version))
            return src->want;
        evg_fail(p, EVG_ERR_CONST, vs->at, "the version differs from the version being parsed");
        version_path(p, cat, src);
        return NULL;
    }
    unsigned v[3];
    if (!parse_semver(text, v)) {
        evg_fail(p, EVG_ERR_BAD_VERSION, vs->at, "a version must be MAJOR.MINOR.PATCH");
        version_path(p, cat, src);
        return NULL;
    }
    const evg_version_info *same_major = NULL;
    for (size_t i = 0; i < event->version_count; i++) {
        const evg_version_info *vi = &event->versions[i];
        if (vi->major == v[0] && vi->minor == v[1] && vi->patch == v[2])
            return vi;
        if (vi->major == v[0])
            same_major = vi;   /* versions are oldest first: the last one is the newest */
    }
    if (!same_major) {
        evg_fail(p, EVG_ERR_UNKNOWN_VERSION, vs->at, "no version of this event has that major version");
        version_path(p, cat, src);
        return NULL;
    }
    if (p->flags & EVG_STRICT) {
        evg_fail(p, EVG_ERR_VERSION_FALLBACK, vs->at, "minor or patch version not known exactly (strict mode)");
        version_path(p, cat, src);
        return NULL;
    }
    /* The payload's own version constant accepts the version fallen from. */
    memcpy(p->fallback_buf, text.ptr, text.len);   /* semver: at most 20 bytes */
    p->fallback_from.ptr = p->fallback_buf;
    p->fallback_from.len = text.len;
    *flags |= EVG_FALLBACK;
    return same_major;
}

/* A bare payload of `event`: scanned as its first wire's payload would be,
 * which picks up the payload's own version member on the way. */
static bool route_bare(evg_parser *p, const evg_catalog *cat, evg_slot *slots,
                       const evg_event_info *event, evg_route *out)
{
    const evg_wire_info *w = event->wire_count ? &cat->wires[event->wires[0]] : NULL;
    evg_slot root;
    memset(&root, 0, sizeof root);
    evg_skip_ws(p);
    root.at = p->cur;
    root.depth = p->depth;
    if (!scan_members(p, cat, slots, w ? w->payload_node : EVG_NO_NODE, &root,
                      (p->flags & EVG_SKIM) != 0, NULL))
        return false;
    root.end = p->cur;
    if (!evg_expect_end(p))
        return false;
    out->payload_node = -1;
    out->payload = root.at;
    out->payload_end = root.end;
    out->payload_depth = root.depth;
    if (w && w->version_node >= 0 && !w->version_in_payload) {
        /* Its wire states the version outside the payload: a bare payload
         * has none, and the newest is assumed (flagged, never an error). */
        out->version = &event->versions[event->version_count - 1];
        out->flags = EVG_VERSION_ASSUMED;
        return true;
    }
    int vnode = w ? w->version_node : -1;
    evg_slot none;
    memset(&none, 0, sizeof none);
    const evg_slot *version = vnode >= 0 ? &slots[vnode] : &none;
    if (version->at && *version->at != '"') {
        evg_fail(p, EVG_ERR_TYPE, version->at, "expected a string");
        return evg_path_key(p, cat->nodes[vnode].key, cat->nodes[vnode].key_len);
    }
    version_source src = {version, vnode, true, true, &root, -1, NULL};
    const evg_version_info *v = select_version(p, cat, event, &src, &out->flags);
    if (!v)
        return false;
    out->version = v;
    return true;
}

/* The event a fitting wire names, when it travels in that wire. With
 * `report`, records why not; otherwise fails quietly, so the caller can
 * try the next wire. */
static bool wire_event(evg_parser *p, const evg_catalog *cat, const evg_slot *slots,
                       const evg_wire_info *w, const evg_event_info *only, bool report,
                       const evg_event_info **out)
{
    const char *why = NULL;
    evg_code code = EVG_ERR_ENVELOPE;
    const evg_event_info *event = NULL;
    if (w->name_node < 0) {
        if (w->fixed_event >= 0 && (size_t)w->fixed_event < cat->event_count)
            event = &cat->events[w->fixed_event];
        if (!event || (only && event != only)) {
            if (report)
                evg_fail(p, EVG_ERR_ENVELOPE, slots[w->payload_node].at, "this envelope carries no such event");
            return report ? path_to_node(p, cat, w->payload_node) : false;
        }
        *out = event;
        return true;
    }
    const evg_slot *ns = &slots[w->name_node];
    evg_str name = slot_string(p, ns);
    if (only) {
        event = str_is(name, only->name) ? only : NULL;
        code = EVG_ERR_CONST;
        why = "the envelope names another event";
    } else {
        event = name.ptr ? cat->find_event(name.ptr, name.len) : NULL;
        if (!event) {
            code = EVG_ERR_UNKNOWN_EVENT;
            why = "no event of that name in the catalog";
        } else if (!event_has_wire(event, w->base)) {
            event = NULL;
            why = "this event travels in another envelope";
        }
    }
    if (event) {
        *out = event;
        return true;
    }
    if (!report)
        return false;
    evg_fail(p, code, ns->at, why);
    return path_to_node(p, cat, w->name_node);
}

/* The wire a payload met at `node` belongs to, judged by the members seen
 * so far, when that settles its event and version without reading the
 * payload; 1 after parsing it in place, 0 when it cannot be settled yet
 * (the payload is skimmed), -1 on error. The router decides again once the
 * whole document is read, and a different answer sends the document back
 * to be read fully checked. */
static int parse_in_place(evg_parser *p, const evg_catalog *cat, evg_slot *slots, int node,
                          speculation *spec)
{
    const evg_wire_info *w = NULL;
    const evg_event_info *event = NULL;
    for (size_t i = 0; i < cat->wire_count && !w; i++) {
        const evg_wire_info *cand = &cat->wires[i];
        if (cand->payload_node != node || cand->select_node >= 0)
            continue;
        if (cand->name_node >= 0 && !slots[cand->name_node].at)
            continue;   /* named later, or inside the payload */
        if (cand->version_node >= 0 && !cand->version_in_payload)
            continue;   /* the envelope's version: left to the router */
        bool fits = true;
        for (size_t m = 0; m < cand->member_count && fits; m++) {
            const evg_wire_member *wm = &cand->members[m];
            fits = wm->in_payload || !slots[wm->node].at || member_fits(p, wm, &slots[wm->node]);
        }
        if (fits && wire_event(p, cat, slots, cand, spec->only, false, &event))
            w = cand;
    }
    if (!w)
        return 0;
    const evg_version_info *v = spec->only_version;
    if (!v) {
        if (event->version_count != 1)
            return 0;   /* which one the payload says: skimmed, then parsed */
        v = &event->versions[0];
    }
    if (w->version_node >= 0 && !v->records_version)
        return 0;       /* its version member would go unseen */
    memset(spec->out, 0, v->struct_size);
    p->version_at = NULL;
    p->flags |= EVG_RECORD_VERSION;
    bool ok = v->parse(p, spec->out);
    p->flags &= ~(unsigned)EVG_RECORD_VERSION;
    if (!ok)
        return -1;
    if (w->version_node >= 0 && p->version_at) {
        /* What the router would have read there itself. */
        const char *save = p->cur;
        p->cur = p->version_at;
        bool read = scan_value(p, cat, slots, w->version_node, true, NULL);
        p->cur = save;
        if (!read)
            return -1;
    }
    spec->wire = w;
    spec->event = event;
    spec->version = v;
    return 1;
}

bool evg_route_document(evg_parser *p, const evg_catalog *cat, evg_slot *slots,
                        const evg_event_info *only, const evg_version_info *only_version,
                        bool bare, void *payload_out, evg_route *out)
{
    speculation spec = {only, only_version, payload_out, NULL, NULL, NULL};
    speculation *sp = payload_out && (p->flags & EVG_SKIM) ? &spec : NULL;
    memset(out, 0, sizeof *out);
    memset(slots, 0, cat->node_count * sizeof *slots);
    if (bare) {
        out->event = only;
        return route_bare(p, cat, slots, only, out);
    }
    evg_slot root;
    memset(&root, 0, sizeof root);
    if (evg_peek(p) != '{')
        return p->cur >= p->end ? evg_fail(p, EVG_ERR_TRUNCATED, p->cur, NULL)
                                : evg_fail(p, EVG_ERR_ENVELOPE, p->cur, "expected an object");
    root.at = p->cur;
    if (!scan_members(p, cat, slots, -1, &root, false, sp) || !evg_expect_end(p))
        return false;
    root.end = p->cur;
    while (root.end > root.at && root.end[-1] != '}')
        root.end--;

    /* The first wire that fits and carries the event it names (a later
     * wire may carry what an earlier one that also fits does not); failing
     * that, the first fitting wire says why, or the best partial fit. */
    const evg_wire_info *w = NULL, *first_fit = NULL, *best = NULL;
    const evg_event_info *event = NULL;
    wire_score best_score = {0, 0};
    size_t best_bad = 0;
    for (size_t i = 0; i < cat->wire_count && !w; i++) {
        const evg_wire_info *cand = &cat->wires[i];
        if (only && !event_has_wire(only, cand->base))
            continue;
        size_t bad;
        wire_score score = wire_fit(p, cand, slots, &bad);
        if (bad < cand->member_count) {
            if (score.shown > 0 && (!best || better(score, best_score))) {
                best = cand;
                best_score = score;
                best_bad = bad;
            }
            continue;
        }
        if (!first_fit)
            first_fit = cand;
        if (wire_event(p, cat, slots, cand, only, false, &event))
            w = cand;
    }
    if (!w) {
        if (first_fit)   /* records why its event is not for it */
            return wire_event(p, cat, slots, first_fit, only, true, &event);
        if (!best)
            return evg_fail(p, EVG_ERR_ENVELOPE, root.at,
                            only ? "the document is in none of the envelopes this event travels in"
                                 : cat->no_wire_message);
        return member_error(p, cat, slots, &root, best, &best->members[best_bad]);
    }
    if ((p->flags & EVG_STRICT) && !strict_levels(p, cat, slots, &root, w))
        return false;
    if (!validate_skimmed(p, cat, slots, w))
        return false;
    out->wire = w;

    out->event = event;
    out->payload_node = w->payload_node;
    out->payload = slots[w->payload_node].at;
    out->payload_end = slots[w->payload_node].end;
    out->payload_depth = slots[w->payload_node].depth;

    /* A form that carries a report instead of the event. */
    if (w->select_node >= 0 && spec.wire)
        return evg_fail(p, EVG_ERR_ENVELOPE, root.at, "routed differently than first read");
    if (w->select_node >= 0) {
        const evg_slot *ss = &slots[w->select_node];
        evg_str value = slot_string(p, ss);
        if (!only) {
            for (size_t i = 0; i < w->payload_count; i++) {
                if (str_is(value, w->payloads[i].value)) {
                    out->form_payload = &w->payloads[i];
                    return true;
                }
            }
        }
        evg_fail(p, EVG_ERR_ENVELOPE, ss->at, only ? "this form of the envelope carries a report, not the event"
                                                   : w->select_message);
        return path_to_node(p, cat, w->select_node);
    }

    int container = w->version_node >= 0 ? cat->nodes[w->version_node].parent : -1;
    version_source src = {w->version_node >= 0 ? &slots[w->version_node] : &root, w->version_node,
                          false, w->version_in_payload, container >= 0 ? &slots[container] : &root,
                          container, only_version};
    const evg_version_info *v = select_version(p, cat, event, &src, &out->flags);
    if (!v)
        return false;
    out->version = v;
    if (spec.wire) {
        /* Parsed on the way: right only if the whole document agrees. */
        if (spec.wire != w || spec.event != event || spec.version != v)
            return evg_fail(p, EVG_ERR_ENVELOPE, root.at, "routed differently than first read");
        /* (These failures are internal: evg_run_document reads the document
         * again, fully checked, and reports what that read finds.)
         * The check the payload's version constant skipped while recorded. */
        if (w->version_node >= 0 && slots[w->version_node].at) {
            evg_str stated = slot_string(p, &slots[w->version_node]);
            if (!str_is(stated, v->version) &&
                !(p->fallback_from.ptr && stated.ptr && stated.len == p->fallback_from.len &&
                  memcmp(stated.ptr, p->fallback_from.ptr, stated.len) == 0))
                /* Never reported: the full read that follows finds the
                 * payload's own constant wrong, and says so. */
                return evg_fail(p, EVG_ERR_CONST, slots[w->version_node].at,
                                "the payload states another version");
        }
        out->parsed = true;
    }
    return true;
}

bool evg_parse_routed(evg_parser *p, const evg_catalog *cat, const evg_route *r,
                      evg_payload_fn parse, void *out)
{
    if (r->parsed)
        return true;
    const char *end = p->end;
    p->cur = r->payload;
    p->end = r->payload_end;
    p->depth = r->payload_depth;
    bool ok = parse(p, out);
    if (ok && p->cur != p->end)
        ok = evg_fail(p, EVG_ERR_SYNTAX, p->cur, NULL);
    p->cur = p->end;
    p->end = end;
    if (!ok)
        path_to_node(p, cat, r->payload_node);
    return ok;
}

/* Prepends the JSON Pointer steps that lead to `node` in a document being
 * written; returns false. */
static bool path_to_node_written(evg_writer *w, const evg_catalog *cat, int node)
{
    while (node >= 0) {
        evg_write_path_key(w, cat->nodes[node].key, cat->nodes[node].key_len);
        node = cat->nodes[node].parent;
    }
    return false;
}

/* Envelopes nest no deeper than this (the catalog checker allows 8). */
#define EVG_WIRE_MAX_DEPTH 16

bool evg_write_envelope(evg_writer *w, const evg_catalog *cat, const evg_wire_info *wire,
                        const char *event_name, const char *version, evg_write_fn write,
                        const void *payload)
{
    if (!wire)
        return write(w, payload);
    int open[EVG_WIRE_MAX_DEPTH + 1];
    bool first[EVG_WIRE_MAX_DEPTH + 1];
    size_t depth = 0;
    open[0] = -1;
    first[0] = true;
    if (!evg_write_open(w, '{'))
        return false;
    for (size_t i = 0; i < wire->member_count; i++) {
        const evg_wire_member *m = &wire->members[i];
        /* Members read from inside the payload are the payload's to write;
         * a form's report has no event version to state. */
        if (m->in_payload || (m->role == EVG_ROLE_VERSION && !version))
            continue;
        const evg_wire_node *n = &cat->nodes[m->node];
        while (depth > 0 && open[depth] != n->parent) {
            evg_write_close(w, '}');
            depth--;
        }
        if (!first[depth])
            evg_put_char(w, ',');
        first[depth] = false;
        evg_str key = {n->key, n->key_len};
        evg_put_string(w, key);
        evg_put_char(w, ':');
        switch (m->role) {
        case EVG_ROLE_OBJECT:
            if (!evg_write_open(w, '{'))
                return false;
            if (depth < EVG_WIRE_MAX_DEPTH) {
                depth++;
                open[depth] = m->node;
                first[depth] = true;
            }
            break;
        case EVG_ROLE_CONST: evg_put_cstring(w, m->value); break;
        case EVG_ROLE_NAME: evg_put_cstring(w, event_name); break;
        case EVG_ROLE_VERSION: evg_put_cstring(w, version); break;   /* (skipped above when NULL) */
        case EVG_ROLE_PAYLOAD:
            if (!write(w, payload))
                return path_to_node_written(w, cat, m->node);
            break;
        case EVG_ROLE_SELECT: break;
        }
    }
    while (depth > 0) {
        evg_write_close(w, '}');
        depth--;
    }
    evg_write_close(w, '}');
    return true;
}
