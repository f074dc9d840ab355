/* codegen.c - the back end: builds the template context from a checked,
 * resolved catalog and renders every top-level template into a file.
 *
 * Templates decide what the C looks like; this file decides what they are
 * told. The one piece of C written here rather than in a template is the
 * key matcher (emit_matcher): a decision tree of switches over the key's
 * length and distinguishing bytes, ending in a single memcmp, which a
 * template language cannot express readably. docs/templates.md lists every
 * variable provided here. */
#include "codegen.h"

#include <limits.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "template.h"
#include "template_load.h"
#include "version.h"

/* MARK: text helpers ---------------------------------------------------- */

typedef struct text {
    char *buf;
    size_t len, cap;
} text;

static void text_add(text *t, const char *s, size_t n)
{
    if (t->len + n + 1 > t->cap) {
        size_t cap = t->cap ? t->cap * 2 : 256;
        while (cap < t->len + n + 1)
            cap *= 2;
        char *grown = realloc(t->buf, cap);
        if (!grown) {
            fputs("evgen: out of memory\n", stderr);
            abort();
        }
        t->buf = grown;
        t->cap = cap;
    }
    memcpy(t->buf + t->len, s, n);
    t->len += n;
    t->buf[t->len] = '\0';
}

/* A string literal, its length counted by the compiler. */
#define TEXT_LIT(t, lit) text_add((t), "" lit, sizeof(lit) - 1)

static void text_printf(text *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void text_printf(text *t, const char *fmt, ...)
{
    char small[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(small, sizeof small, fmt, ap);
    va_end(ap);
    if (n < 0)
        return;
    if ((size_t)n < sizeof small) {
        text_add(t, small, (size_t)n);
        return;
    }
    char *big = malloc((size_t)n + 1);
    if (!big)
        abort();
    va_start(ap, fmt);
    vsnprintf(big, (size_t)n + 1, fmt, ap);
    va_end(ap);
    text_add(t, big, (size_t)n);
    free(big);
}

/* JSON string text (with quotes) of s. */
static void json_quote(text *t, const char *s)
{
    TEXT_LIT(t, "\"");
    for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
        if (*c == '"' || *c == '\\') {
            char esc[2] = {'\\', (char)*c};
            text_add(t, esc, 2);
        } else if (*c < 0x20) {
            text_printf(t, "\\u%04x", *c);
        } else {
            text_add(t, (const char *)c, 1);
        }
    }
    TEXT_LIT(t, "\"");
}

/* A C string literal holding exactly the bytes of s. Octal escapes are
 * always three digits so a following digit cannot extend them. */
static void c_literal(text *t, const char *s, size_t n)
{
    TEXT_LIT(t, "\"");
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)s[i];
        if (c == '"' || c == '\\') {
            char esc[2] = {'\\', (char)c};
            text_add(t, esc, 2);
        } else if (c < 0x20 || c >= 0x7f || c == '?') {
            text_printf(t, "\\%03o", c);
        } else {
            text_add(t, (const char *)&c, 1);
        }
    }
    TEXT_LIT(t, "\"");
}

static tpl_value *c_literal_value(tpl_ctx *ctx, const char *s)
{
    text t = {0};
    c_literal(&t, s, strlen(s));
    tpl_value *v = tpl_str(ctx, t.buf);
    free(t.buf);
    return v;
}

/* C literal of the JSON text of s, e.g. "\"inbound\"" */
static tpl_value *c_json_literal(tpl_ctx *ctx, const char *s, const char *suffix)
{
    text j = {0}, c = {0};
    json_quote(&j, s);
    text_add(&j, suffix, strlen(suffix));
    c_literal(&c, j.buf, j.len);
    tpl_value *v = tpl_str(ctx, c.buf);
    free(j.buf);
    free(c.buf);
    return v;
}

/* Text safe inside a C block comment. */
static tpl_value *comment_value(tpl_ctx *ctx, const char *s)
{
    text t = {0};
    TEXT_LIT(&t, "");
    for (const char *c = s ? s : ""; *c; c++) {
        if (c[0] == '*' && c[1] == '/')
            TEXT_LIT(&t, "* /"), c++;
        else if (c[0] == '/' && c[1] == '*')
            TEXT_LIT(&t, "/ *"), c++;
        else if (*c == '\n' || *c == '\r')
            TEXT_LIT(&t, " ");
        else
            text_add(&t, c, 1);
    }
    tpl_value *v = tpl_str(ctx, t.buf);
    free(t.buf);
    return v;
}

/* Longest error message put into one literal: C11 only promises string
 * literals of 4095 bytes, and messages are for people. */
#define MESSAGE_MAX 1000

/* MARK: key matcher ----------------------------------------------------- */

typedef struct match_key {
    const char *key;
    size_t len;
    int index;
} match_key;

static int cmp_len(const void *a, const void *b)
{
    const match_key *x = a, *y = b;
    if (x->len != y->len)
        return x->len < y->len ? -1 : 1;
    return strcmp(x->key, y->key);
}

static void indent(text *t, int depth)
{
    for (int i = 0; i < depth; i++)
        TEXT_LIT(t, "    ");
}

static void emit_char_case(text *t, unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        text_printf(t, "case '%c':", c);
    else
        text_printf(t, "case 0x%02x:", c);
}

/* keys[0..n) all have the same length. Picks the byte position that splits
 * them into the most groups and switches on it, recursively, until each
 * branch holds one candidate, confirmed with one memcmp. */
static void emit_same_length(text *t, match_key *keys, size_t n, int depth)
{
    if (n == 1) {
        indent(t, depth);
        if (keys[0].len == 0) {
            text_printf(t, "return %d;\n", keys[0].index);
            return;
        }
        TEXT_LIT(t, "return memcmp(k, ");
        c_literal(t, keys[0].key, keys[0].len);
        text_printf(t, ", %zu) == 0 ? %d : -1;\n", keys[0].len, keys[0].index);
        return;
    }
    size_t best_pos = 0, best_groups = 0;
    for (size_t pos = 0; pos < keys[0].len; pos++) {
        bool seen[256] = {false};
        size_t groups = 0;
        for (size_t i = 0; i < n; i++) {
            unsigned char c = (unsigned char)keys[i].key[pos];
            groups += !seen[c];
            seen[c] = true;
        }
        if (groups > best_groups) {
            best_groups = groups;
            best_pos = pos;
        }
    }
    if (best_groups < 2) {
        /* Same length and no byte tells them apart: the same key twice,
         * which the checker refuses. Never recurse without progress. */
        emit_same_length(t, keys, 1, depth);
        return;
    }
    /* Order the keys by their byte at best_pos, keeping their order within a
     * group: a counting sort, linear in n whatever the keys. */
    size_t start[257] = {0};
    for (size_t i = 0; i < n; i++)
        start[(unsigned char)keys[i].key[best_pos] + 1]++;
    for (size_t b = 1; b <= 256; b++)
        start[b] += start[b - 1];
    match_key *sorted = malloc(n * sizeof *sorted);
    if (!sorted)
        abort();
    for (size_t i = 0; i < n; i++)
        sorted[start[(unsigned char)keys[i].key[best_pos]]++] = keys[i];
    memcpy(keys, sorted, n * sizeof *keys);
    free(sorted);
    indent(t, depth);
    text_printf(t, "switch ((unsigned char)k[%zu]) {\n", best_pos);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && keys[j].key[best_pos] == keys[i].key[best_pos])
            j++;
        indent(t, depth);
        emit_char_case(t, (unsigned char)keys[i].key[best_pos]);
        TEXT_LIT(t, "\n");
        emit_same_length(t, keys + i, j - i, depth + 1);
        i = j;
    }
    indent(t, depth);
    TEXT_LIT(t, "}\n");
    indent(t, depth);
    TEXT_LIT(t, "return -1;\n");
}

/* The body of `static int match(const char *k, size_t n)`: the index of
 * the key, or -1. */
static char *emit_matcher(const char *const *names, size_t count)
{
    text t = {0};
    TEXT_LIT(&t, "");
    if (count == 0) {
        TEXT_LIT(&t, "    (void)k;\n    (void)n;\n    return -1;");
        return t.buf;
    }
    match_key *keys = malloc(count * sizeof *keys);
    if (!keys)
        abort();
    for (size_t i = 0; i < count; i++) {
        keys[i].key = names[i];
        keys[i].len = strlen(names[i]);
        keys[i].index = (int)i;
    }
    qsort(keys, count, sizeof *keys, cmp_len);
    TEXT_LIT(&t, "    if (!k)\n        return -1;\n    switch (n) {\n");
    for (size_t i = 0; i < count;) {
        size_t j = i;
        while (j < count && keys[j].len == keys[i].len)
            j++;
        text_printf(&t, "    case %zu:\n", keys[i].len);
        emit_same_length(&t, keys + i, j - i, 2);
        i = j;
    }
    TEXT_LIT(&t, "    }\n    return -1;");
    free(keys);
    return t.buf;
}

/* MARK: context --------------------------------------------------------- */

#define SIZE_UNBOUNDED (-1LL)

/* Every C identifier the output will define, with the catalog position it
 * comes from: names the checker accepted one object at a time can still
 * meet across objects (an enum `state` with its `_name` function next to a
 * property `state_name`), and C must never see a name twice. */
typedef struct c_name_use {
    char *name;
    src_mark mark;
} c_name_use;

typedef struct builder {
    tpl_ctx *ctx;
    diag *d;
    const char *catalog_path;
    c_name_use *names;
    size_t name_count, name_cap;
    tpl_value *enums;      /* of the version being built */
    tpl_value *objects;    /* of the version being built, children first */
    const char *prefix;    /* "ev" */
    const name_list *version_keys;   /* payload members that carry the version, for the root being built */
    char *upper_prefix;    /* "EV" */
    bool ok;
} builder;

static void define_name(builder *b, src_mark mark, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void define_name(builder *b, src_mark mark, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *buf = malloc(n < 0 ? 1 : (size_t)n + 1);
    if (!buf || n < 0)
        abort();
    va_start(ap, fmt);
    vsnprintf(buf, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (b->name_count == b->name_cap) {
        b->name_cap = b->name_cap ? b->name_cap * 2 : 1024;
        b->names = realloc(b->names, b->name_cap * sizeof *b->names);
        if (!b->names)
            abort();
    }
    b->names[b->name_count].name = buf;
    b->names[b->name_count++].mark = mark;
}

/* The names the templates define whatever the catalog holds: a catalog
 * name that would make one of them is an error like any other clash.
 * Position 0:0 marks them, and sorts them first. */
static void define_fixed_names(builder *b)
{
    static const char *const lower[] = {
        "any", "kind", "events", "versions", "wires", "catalog", "find_event", "find_version",
        "list_events", "events_json", "parse_any", "parse_bare", "serialize_any", "product_name",
    };
    static const char *const upper[] = {
        "KIND_NONE", "KIND_COUNT_", "PRODUCT_ALL", "PRODUCT_COUNT", "EVENT_COUNT", "VERSION_COUNT",
        "WIRE_COUNT", "EVENTS_H", "DISPATCH_H",
    };
    src_mark none = {0, 0};
    for (size_t i = 0; i < sizeof lower / sizeof *lower; i++)
        define_name(b, none, "%s_%s", b->prefix, lower[i]);
    for (size_t i = 0; i < sizeof upper / sizeof *upper; i++)
        define_name(b, none, "%s_%s", b->upper_prefix, upper[i]);
}

static int cmp_name_use(const void *x, const void *y)
{
    const c_name_use *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    if (a->mark.line != b->mark.line)
        return a->mark.line < b->mark.line ? -1 : 1;
    return a->mark.col < b->mark.col ? -1 : a->mark.col > b->mark.col;
}

/* A clash: names[later] repeats names[earlier]; `mark` is the later's. */
typedef struct name_clash {
    src_mark mark;
    size_t later, earlier;
} name_clash;

static int cmp_mark(src_mark a, src_mark b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

static int cmp_clash(const void *x, const void *y)
{
    const name_clash *a = x, *b = y;
    int c = cmp_mark(a->mark, b->mark);
    return c ? c : (a->later > b->later) - (a->later < b->later);
}

/* Reports each identifier defined twice, at its later position, in the
 * order of the catalog. */
static void check_names(builder *b)
{
    qsort(b->names, b->name_count, sizeof *b->names, cmp_name_use);
    name_clash *clashes = malloc((b->name_count ? b->name_count : 1) * sizeof *clashes);
    if (!clashes)
        abort();
    size_t n = 0;
    for (size_t i = 1; i < b->name_count; i++)
        if (strcmp(b->names[i].name, b->names[i - 1].name) == 0)
            clashes[n++] = (name_clash){b->names[i].mark, i, i - 1};
    qsort(clashes, n, sizeof *clashes, cmp_clash);
    for (size_t c = 0; c < n; c++) {
        const c_name_use *later = &b->names[clashes[c].later], *earlier = &b->names[clashes[c].earlier];
        if (earlier->mark.line == 0)
            diag_error(b->d, b->catalog_path, later->mark,
                       "generated C name '%s' is one evgen defines itself; rename it (a property "
                       "keeps its key with c_name)",
                       later->name);
        else
            diag_error(b->d, b->catalog_path, later->mark,
                       "generated C name '%s' would be defined twice (also from line %u); rename it "
                       "(a property keeps its key with c_name)",
                       later->name, earlier->mark.line);
        b->ok = false;
    }
    free(clashes);
    for (size_t i = 0; i < b->name_count; i++)
        free(b->names[i].name);
    free(b->names);
}

static bool name_in_list(const name_list *l, const char *name)
{
    for (size_t i = 0; i < l->count; i++)
        if (strcmp(l->items[i], name) == 0)
            return true;
    return false;
}

/* Bounds past 2^31 bytes are no use as buffer sizes (and may not fit a
 * size_t): they count as unbounded, which also keeps the sums in range. */
#define SIZE_LIMIT (1LL << 31)

static long long size_add(long long a, long long b)
{
    return a < 0 || b < 0 || a + b > SIZE_LIMIT ? SIZE_UNBOUNDED : a + b;
}

static tpl_value *build_object(builder *b, const char *type, const prop_list *props,
                               bool is_root, long long *max_size, src_mark mark);

static long long describe_value(builder *b, tpl_value *v, const prop *pr, const char *type_base);

/* An array's item or a map's value: described like a field, its types named
 * <type_base>_<suffix>, parsed into `target`, written from `source`, its
 * errors located by `on_error`. */
static tpl_value *describe_element(builder *b, const prop *pr, const char *type_base,
                                   const char *suffix, const char *target, const char *source,
                                   const char *on_error, long long *size)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *e = tpl_map(ctx);
    size_t n = strlen(type_base) + strlen(suffix) + 2;
    char *type = malloc(n);
    if (!type)
        abort();
    snprintf(type, n, "%s_%s", type_base, suffix);
    *size = describe_value(b, e, pr, type);
    free(type);
    tpl_set_str(ctx, e, "target", target);
    tpl_set_str(ctx, e, "source", source);
    tpl_set_str(ctx, e, "on_error", on_error);
    tpl_set_bool(ctx, e, "nullable", false);   /* elements cannot be (catalog_check) */
    return e;
}

/* Fills the per-kind variables shared by fields and array items, building
 * nested types as needed; returns the value's serialized-size bound. */
static long long describe_value(builder *b, tpl_value *v, const prop *pr, const char *type_base)
{
    tpl_ctx *ctx = b->ctx;
    static const char *const flags[] = {"is_string", "is_boolean", "is_integer", "is_number",
                                        "is_const", "is_enum", "is_object", "is_array", "is_any",
                                        "is_map"};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        tpl_set_bool(ctx, v, flags[i], false);
    long long size = SIZE_UNBOUNDED;
    switch (pr->kind) {
    case PROP_STRING:
        tpl_set_bool(ctx, v, "is_string", true);
        tpl_set_str(ctx, v, "c_type", "evg_str");
        break;
    case PROP_ANY:
        tpl_set_bool(ctx, v, "is_any", true);
        tpl_set_str(ctx, v, "c_type", "evg_str");
        break;
    case PROP_BOOLEAN:
        tpl_set_bool(ctx, v, "is_boolean", true);
        tpl_set_str(ctx, v, "c_type", "bool");
        size = 5;
        break;
    case PROP_INTEGER:
        tpl_set_bool(ctx, v, "is_integer", true);
        tpl_set_str(ctx, v, "c_type", "int64_t");
        size = 20;
        break;
    case PROP_NUMBER:
        tpl_set_bool(ctx, v, "is_number", true);
        tpl_set_str(ctx, v, "c_type", "double");
        size = 24;
        break;
    case PROP_CONST: {
        tpl_set_bool(ctx, v, "is_const", true);
        tpl_set_str(ctx, v, "const_alt", "NULL");
        tpl_set_value(ctx, v, "const_c", c_literal_value(ctx, pr->const_value));
        tpl_set_int(ctx, v, "const_len", (long long)strlen(pr->const_value));
        tpl_set_value(ctx, v, "const_json_c", c_json_literal(ctx, pr->const_value, ""));
        text msg = {0};
        TEXT_LIT(&msg, "expected ");
        json_quote(&msg, pr->const_value);
        tpl_set_value(ctx, v, "const_message_c", c_literal_value(ctx, msg.buf));
        free(msg.buf);
        tpl_set_value(ctx, v, "const_comment", comment_value(ctx, pr->const_value));
        text j = {0};
        json_quote(&j, pr->const_value);
        size = (long long)j.len;
        free(j.buf);
        break;
    }
    case PROP_ENUM: {
        tpl_set_bool(ctx, v, "is_enum", true);
        define_name(b, pr->mark, "%s", type_base);
        define_name(b, pr->mark, "%s_name", type_base);
        tpl_set_str(ctx, v, "c_type", type_base);
        tpl_set_str(ctx, v, "enum_type", type_base);
        tpl_value *e = tpl_map(ctx);
        char *upper = name_c_upper(type_base);
        tpl_set_str(ctx, e, "type", type_base);
        tpl_set_str(ctx, e, "upper", upper);
        tpl_value *values = tpl_list(ctx);
        text msg = {0};
        TEXT_LIT(&msg, "expected ");
        size = 0;
        for (size_t i = 0; i < pr->enum_values.count; i++) {
            const char *val = pr->enum_values.items[i];
            tpl_value *ev = tpl_map(ctx);
            char *vu = name_c_upper(val);
            tpl_set_strf(ctx, ev, "enumerator", "%s_%s", upper, vu);
            define_name(b, pr->enum_values.marks ? pr->enum_values.marks[i] : pr->mark, "%s_%s", upper, vu);
            free(vu);
            tpl_set_value(ctx, ev, "value_c", c_literal_value(ctx, val));
            tpl_set_value(ctx, ev, "value_json_c", c_json_literal(ctx, val, ""));
            tpl_set_value(ctx, ev, "comment", comment_value(ctx, val));
            tpl_set_int(ctx, ev, "index", (long long)i);
            tpl_push(values, ev);
            if (i > 0)
                text_add(&msg, i + 1 == pr->enum_values.count ? " or " : ", ", i + 1 == pr->enum_values.count ? 4u : 2u);
            size_t before = msg.len;
            json_quote(&msg, val);
            if ((long long)(msg.len - before) > size)
                size = (long long)(msg.len - before);
        }
        if (msg.len > MESSAGE_MAX) {
            /* Every value would make a literal longer than C promises to
             * compile (4095 bytes): say how many instead. */
            msg.len = 0;
            text_printf(&msg, "expected one of the %zu values of the enum", pr->enum_values.count);
        }
        tpl_set_value(ctx, e, "values", values);
        tpl_set_int(ctx, e, "count", (long long)pr->enum_values.count);
        define_name(b, pr->mark, "%s_COUNT_", upper);
        tpl_set_value(ctx, e, "message_c", c_literal_value(ctx, msg.buf));
        char *matcher = emit_matcher((const char *const *)pr->enum_values.items, pr->enum_values.count);
        tpl_set_str(ctx, e, "match_code", matcher);
        free(matcher);
        free(msg.buf);
        free(upper);
        tpl_push(b->enums, e);
        break;
    }
    case PROP_OBJECT:
        tpl_set_bool(ctx, v, "is_object", true);
        tpl_set_str(ctx, v, "c_type", type_base);
        tpl_set_str(ctx, v, "object_type", type_base);
        build_object(b, type_base, &pr->props, false, &size, pr->mark);
        break;
    case PROP_ARRAY: {
        tpl_set_bool(ctx, v, "is_array", true);
        tpl_set_strf(ctx, v, "array_fn", "%s", type_base);
        define_name(b, pr->mark, "%s", type_base);
        if (pr->items->kind == PROP_ARRAY) {
            diag_error(b->d, b->catalog_path, pr->items->mark,
                       "arrays of arrays are not supported by the C back end");
            b->ok = false;
            break;
        }
        long long item_size = 0;
        tpl_value *item = describe_element(b, pr->items, type_base, "item", "*slot", "items[i]",
                                           "evg_path_index(p, count - 1)", &item_size);
        tpl_set_value(ctx, v, "item", item);
        tpl_set_int(ctx, v, "min_items", pr->min_items);
        tpl_set_bool(ctx, v, "has_min_items", pr->min_items > 0);
        tpl_set_int(ctx, v, "max_items", pr->max_items);
        tpl_set_bool(ctx, v, "has_max_items", pr->max_items >= 0);
        tpl_set_value(ctx, v, "min_message_c", c_literal_value(ctx, "too few items"));
        tpl_set_value(ctx, v, "max_message_c", c_literal_value(ctx, "too many items"));
        if (pr->min_items > 0) {
            char msg[64];
            snprintf(msg, sizeof msg, "expected at least %lld item%s", (long long)pr->min_items,
                     pr->min_items == 1 ? "" : "s");
            tpl_set_value(ctx, v, "min_message_c", c_literal_value(ctx, msg));
        }
        if (pr->max_items >= 0) {
            char msg[64];
            snprintf(msg, sizeof msg, "expected at most %lld item%s", (long long)pr->max_items,
                     pr->max_items == 1 ? "" : "s");
            tpl_set_value(ctx, v, "max_message_c", c_literal_value(ctx, msg));
            long long each = item_size < 0 ? -1 : item_size + 1;
            long long all = each < 0 || (pr->max_items > 0 && each > SIZE_LIMIT / pr->max_items)
                                ? SIZE_UNBOUNDED   /* too large to state: no bound */
                                : each * pr->max_items;
            size = pr->max_items == 0 ? 2 : size_add(2, all);
        }
        tpl_push(b->objects, v); /* the array helper is emitted in dependency order too */
        break;
    }
    case PROP_MAP: {
        tpl_set_bool(ctx, v, "is_map", true);
        tpl_set_str(ctx, v, "map_fn", type_base);
        tpl_set_strf(ctx, v, "entry_type", "%s_entry", type_base);
        define_name(b, pr->mark, "%s", type_base);
        define_name(b, pr->mark, "%s_entry", type_base);
        if (pr->items->kind == PROP_MAP || pr->items->kind == PROP_CONST) {
            diag_error(b->d, b->catalog_path, pr->items->mark,
                       "maps of %ss are not supported by the C back end",
                       prop_kind_name(pr->items->kind));
            b->ok = false;
            break;
        }
        long long value_size = 0;
        tpl_value *value = describe_element(b, pr->items, type_base, "value", "entry->value",
                                            "items[i].value", "evg_path_key(p, key.ptr, key.len)",
                                            &value_size);
        tpl_set_value(ctx, v, "value", value);
        tpl_push(b->objects, v); /* its helper and entry type, after the value's types */
        break;
    }
    case PROP_SHAPE_REF:
        diag_error(b->d, b->catalog_path, pr->mark, "internal error: unresolved shape '%s'",
                   pr->shape_name);
        b->ok = false;
        break;
    }
    if (pr->nullable && size >= 0 && size < 4)
        size = 4;
    return size;
}

static tpl_value *build_object(builder *b, const char *type, const prop_list *props,
                               bool is_root, long long *max_size, src_mark mark)
{
    tpl_ctx *ctx = b->ctx;
    define_name(b, mark, "%s", type);
    tpl_value *obj = tpl_map(ctx);
    tpl_value *fields = tpl_list(ctx);
    size_t words = props->count ? (props->count + 63) / 64 : 1;
    uint64_t *required = calloc(words, sizeof *required);
    const char **names = malloc((props->count ? props->count : 1) * sizeof *names);
    if (!required || !names)
        abort();
    long long size = 2; /* braces */
    bool has_members = false;
    for (size_t i = 0; i < props->count; i++) {
        const prop *pr = props->items[i];
        names[i] = pr->name;
        if (pr->kind != PROP_CONST || !pr->required || pr->nullable)
            has_members = true;   /* stores something: not only a required constant */
        tpl_value *f = tpl_map(ctx);
        size_t n = strlen(type) + strlen(pr->c_name) + 2;
        char *member_type = malloc(n);
        if (!member_type)
            abort();
        snprintf(member_type, n, "%s_%s", type, pr->c_name);
        long long vsize = describe_value(b, f, pr, member_type);
        free(member_type);
        /* The payload's own version member also accepts the version dispatch
         * fell back from (docs/dispatch.md); only at the payload's root. */
        if (is_root && pr->kind == PROP_CONST && b->version_keys && pr->name &&
            name_in_list(b->version_keys, pr->name))
            tpl_set_str(ctx, f, "const_alt", "&p->fallback_from");
        tpl_set_int(ctx, f, "index", (long long)i);
        tpl_set_value(ctx, f, "name", comment_value(ctx, pr->name));
        tpl_set_str(ctx, f, "c_name", pr->c_name);
        tpl_set_value(ctx, f, "key_c", c_literal_value(ctx, pr->name));
        tpl_set_int(ctx, f, "key_len", (long long)strlen(pr->name));
        tpl_set_value(ctx, f, "key_json_c", c_json_literal(ctx, pr->name, ":"));
        tpl_set_value(ctx, f, "doc", comment_value(ctx, pr->doc));
        tpl_set_bool(ctx, f, "has_doc", pr->doc && *pr->doc);
        tpl_set_bool(ctx, f, "required", pr->required);
        tpl_set_bool(ctx, f, "optional", !pr->required);
        tpl_set_bool(ctx, f, "nullable", pr->nullable);
        tpl_set_strf(ctx, f, "target", "out->%s", pr->c_name);
        tpl_set_strf(ctx, f, "source", "in->%s", pr->c_name);
        text err = {0};
        TEXT_LIT(&err, "evg_path_key(p, ");
        c_literal(&err, pr->name, strlen(pr->name));
        text_printf(&err, ", %zu)", strlen(pr->name));
        tpl_set_str(ctx, f, "on_error", err.buf);
        free(err.buf);
        tpl_push(fields, f);
        if (pr->required)
            required[i / 64] |= (uint64_t)1 << (i % 64);
        text kj = {0};
        json_quote(&kj, pr->name);
        size = size_add(size, size_add(vsize, (long long)kj.len + 2)); /* key, ':' and ',' */
        free(kj.buf);
    }
    tpl_set_str(ctx, obj, "type", type);
    tpl_set_bool(ctx, obj, "is_root", is_root);
    tpl_set_value(ctx, obj, "fields", fields);
    tpl_set_int(ctx, obj, "field_count", (long long)props->count);
    tpl_set_bool(ctx, obj, "has_fields", props->count > 0);
    tpl_set_bool(ctx, obj, "has_members", has_members);
    tpl_set_int(ctx, obj, "words", (long long)words);
    text req = {0};
    TEXT_LIT(&req, "{");
    for (size_t w = 0; w < words; w++)
        text_printf(&req, "%sUINT64_C(0x%016llx)", w ? ", " : "", (unsigned long long)required[w]);
    TEXT_LIT(&req, "}");
    tpl_set_str(ctx, obj, "required_init", req.buf);
    free(req.buf);
    char *matcher = emit_matcher(names, props->count);
    tpl_set_str(ctx, obj, "key_match", matcher);
    free(matcher);
    free(names);
    free(required);
    tpl_set_bool(ctx, obj, "is_array", false);
    tpl_set_bool(ctx, obj, "is_map", false);
    tpl_set_bool(ctx, obj, "is_object", true);
    tpl_push(b->objects, obj);
    *max_size = size;
    return obj;
}

static void set_date(tpl_ctx *ctx, tpl_value *m, const char *key, civil_date d)
{
    char buf[32];
    tpl_set_bool(ctx, m, key, d.year != 0);
    if (d.year) {
        snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
        char k[64];
        snprintf(k, sizeof k, "%s_text", key);
        tpl_set_str(ctx, m, k, buf);
        snprintf(k, sizeof k, "%s_int", key);
        tpl_set_int(ctx, m, k, (long long)d.year * 10000 + d.month * 100 + d.day);
    } else {
        char k[64];
        snprintf(k, sizeof k, "%s_int", key);
        tpl_set_int(ctx, m, k, 0);
    }
}

static const char *status_c(version_status s)
{
    switch (s) {
    case STATUS_ACTIVE: return "EVG_STATUS_ACTIVE";
    case STATUS_DEPRECATED: return "EVG_STATUS_DEPRECATED";
    case STATUS_SUNSET: return "EVG_STATUS_SUNSET";
    }
    return "EVG_STATUS_ACTIVE";
}

/* MARK: wires ----------------------------------------------------------- */

/* The nodes of every wire, merged into one tree (evg_wire_node). */
typedef struct wire_node {
    const char *key;
    int parent, first_child, next_sibling, last_child;
    const char **consts;   /* the constants any wire expects here, for the message */
    size_t const_count;
} wire_node;

/* Distinct member paths of all wires together: the router keeps one slot
 * per path on the stack and looks keys up among siblings, so both stay
 * small (16 KiB of slots, 256 siblings at most). */
#define WIRE_NODES_MAX 256

typedef struct wire_tree {
    wire_node *nodes;
    size_t count, cap;
    int first_root, last_root;
    bool overflow;
} wire_tree;

static int tree_node(wire_tree *t, int parent, const char *key)
{
    int c = parent < 0 ? t->first_root : t->nodes[parent].first_child;
    for (; c >= 0; c = t->nodes[c].next_sibling)
        if (strcmp(t->nodes[c].key, key) == 0)
            return c;
    if (t->count >= WIRE_NODES_MAX) {
        t->overflow = true;   /* reported once by the caller; keeps counting nothing */
        return parent < 0 ? 0 : parent;
    }
    if (t->count == t->cap) {
        t->cap = t->cap ? t->cap * 2 : 16;
        t->nodes = realloc(t->nodes, t->cap * sizeof *t->nodes);
        if (!t->nodes)
            abort();
    }
    int n = (int)t->count++;
    wire_node *w = &t->nodes[n];
    memset(w, 0, sizeof *w);
    w->key = key;
    w->parent = parent;
    w->first_child = w->next_sibling = w->last_child = -1;
    int *last = parent < 0 ? &t->last_root : &t->nodes[parent].last_child;
    int *first = parent < 0 ? &t->first_root : &t->nodes[parent].first_child;
    if (*last >= 0)
        t->nodes[*last].next_sibling = n;
    else
        *first = n;
    *last = n;
    return n;
}

static void tree_const(wire_tree *t, int node, const char *value)
{
    wire_node *w = &t->nodes[node];
    for (size_t i = 0; i < w->const_count; i++)
        if (strcmp(w->consts[i], value) == 0)
            return;
    w->consts = realloc(w->consts, (w->const_count + 1) * sizeof *w->consts);
    if (!w->consts)
        abort();
    w->consts[w->const_count++] = value;
}

/* One wire or form while its members are flattened. */
typedef struct wire_flat {
    tpl_value *members;
    int name_node, payload_node, version_node, select_node;
    long long overhead;    /* bytes around the payload, name and version excluded */
} wire_flat;

static const char *role_c(member_role r)
{
    switch (r) {
    case ROLE_OBJECT: return "EVG_ROLE_OBJECT";
    case ROLE_CONST: return "EVG_ROLE_CONST";
    case ROLE_NAME: return "EVG_ROLE_NAME";
    case ROLE_VERSION: return "EVG_ROLE_VERSION";
    case ROLE_PAYLOAD: return "EVG_ROLE_PAYLOAD";
    }
    return "EVG_ROLE_PAYLOAD";
}

static long long json_len(const char *s)
{
    text t = {0};
    json_quote(&t, s);
    long long n = (long long)t.len;
    free(t.buf);
    return n;
}

static void flat_member(builder *b, wire_flat *f, int node, const char *role,
                        bool required, const char *value, bool in_payload)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *m = tpl_map(ctx);
    tpl_set_int(ctx, m, "node", node);
    tpl_set_str(ctx, m, "role_c", role);
    tpl_set_bool(ctx, m, "required", required);
    tpl_set_value(ctx, m, "value_c", value ? c_literal_value(ctx, value) : tpl_str(ctx, "NULL"));
    tpl_set_bool(ctx, m, "in_payload", in_payload);
    tpl_push(f->members, m);
}

static void flatten_members(builder *b, wire_tree *t, wire_flat *f, const member_list *ms,
                            int parent)
{
    f->overhead += 2; /* braces */
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        int node = tree_node(t, parent, m->key);
        f->overhead += json_len(m->key) + 2; /* ':' and ',' */
        switch (m->role) {
        case ROLE_CONST:
            tree_const(t, node, m->value);
            f->overhead += json_len(m->value);
            break;
        case ROLE_NAME: f->name_node = node; break;
        case ROLE_VERSION: f->version_node = node; break;
        case ROLE_PAYLOAD: f->payload_node = node; break;
        case ROLE_OBJECT: break;
        }
        /* A missing version is the version policy's business, not the fit's. */
        flat_member(b, f, node, role_c(m->role), m->role != ROLE_VERSION && m->required,
                    m->role == ROLE_CONST ? m->value : NULL, false);
        if (m->role == ROLE_OBJECT)
            flatten_members(b, t, f, &m->members, node);
    }
}

/* MARK: root types ------------------------------------------------------ */

/* What every generated root type has, event version or form payload: its
 * enums and object types (children first), names and size bound. */
static tpl_value *build_type(builder *b, const char *type, const prop_list *props, long long *size,
                             src_mark mark)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *m = tpl_map(ctx);
    char *upper = name_c_upper(type);
    size_t skip = strlen(b->prefix) + 1;
    tpl_set_str(ctx, m, "type", type);
    tpl_set_str(ctx, m, "upper", upper);
    /* "ev_x" -> member "x" of the union, kind EV_KIND_X */
    tpl_set_str(ctx, m, "member", type + skip);
    tpl_set_strf(ctx, m, "kind", "%s_KIND_%s", b->upper_prefix, upper + skip);
    define_name(b, mark, "%s_KIND_%s", b->upper_prefix, upper + skip);
    /* What the templates define for every root type. */
    static const char *const functions[] = {"parse", "serialize", "parse_wire", "serialize_wire",
                                            "parse_payload", "write_payload"};
    static const char *const macros[] = {"SERIALIZED_MAX", "WIRE_SERIALIZED_MAX", "EVENT", "VERSION"};
    for (size_t i = 0; i < sizeof functions / sizeof *functions; i++)
        define_name(b, mark, "%s_%s", type, functions[i]);
    for (size_t i = 0; i < sizeof macros / sizeof *macros; i++)
        define_name(b, mark, "%s_%s", upper, macros[i]);
    b->enums = tpl_list(ctx);
    b->objects = tpl_list(ctx);
    build_object(b, type, props, true, size, mark);
    tpl_set_value(ctx, m, "enums", b->enums);
    tpl_set_value(ctx, m, "objects", b->objects);
    tpl_set_bool(ctx, m, "has_serialized_max", *size >= 0);
    tpl_set_int(ctx, m, "serialized_max", *size >= 0 ? *size + 1 : -1);
    free(upper);
    return m;
}

static tpl_value *build_version(builder *b, const event *e, const event_version *v,
                                long long wire_overhead, const name_list *version_keys)
{
    tpl_ctx *ctx = b->ctx;
    char *type = name_c_struct(b->prefix, e->name, v->text);
    long long size = 0;
    b->version_keys = version_keys;
    tpl_value *m = build_type(b, type, &v->props, &size, v->mark);
    b->version_keys = NULL;
    free(type);
    tpl_set_bool(ctx, m, "is_event", true);
    tpl_set_value(ctx, m, "title", comment_value(ctx, e->name));
    tpl_set_value(ctx, m, "version_title", comment_value(ctx, v->text));
    tpl_set_str(ctx, m, "event_name", e->name);
    tpl_set_value(ctx, m, "event_name_c", c_literal_value(ctx, e->name));
    tpl_set_str(ctx, m, "version", v->text);
    tpl_set_value(ctx, m, "version_c", c_literal_value(ctx, v->text));
    tpl_set_int(ctx, m, "major", v->v.major);
    tpl_set_int(ctx, m, "minor", v->v.minor);
    tpl_set_int(ctx, m, "patch", v->v.patch);
    tpl_set_bool(ctx, m, "event_has_wires", e->wire_names.count > 0);
    if (e->wire_names.count)
        tpl_set_value(ctx, m, "wire", comment_value(ctx, e->wire_names.items[0]));
    tpl_set_value(ctx, m, "product", comment_value(ctx, e->product ? e->product : "no product"));
    tpl_set_str(ctx, m, "direction", direction_name(e->direction));
    tpl_set_str(ctx, m, "status", status_name(v->status));
    tpl_set_str(ctx, m, "status_c", status_c(v->status));
    set_date(ctx, m, "active", v->active);
    set_date(ctx, m, "deprecated", v->deprecated);
    set_date(ctx, m, "sunset", v->sunset);
    tpl_set_value(ctx, m, "summary", comment_value(ctx, e->summary));
    tpl_set_bool(ctx, m, "has_summary", e->summary && *e->summary);
    bool bounded = size >= 0 && wire_overhead >= 0;
    tpl_set_bool(ctx, m, "has_wire_serialized_max", bounded && e->wire_names.count > 0);
    tpl_set_int(ctx, m, "wire_serialized_max",
                bounded ? size + 1 + wire_overhead + json_len(e->name) + json_len(v->text) : -1);
    return m;
}

static tpl_value *build_form_type(builder *b, const shape *sh, src_mark mark, char **type_name)
{
    tpl_ctx *ctx = b->ctx;
    char *lower = name_c_lower(sh->name);
    size_t n = strlen(b->prefix) + strlen(lower) + 2;
    char *type = malloc(n);
    if (!type)
        abort();
    snprintf(type, n, "%s_%s", b->prefix, lower);
    long long size = 0;
    tpl_value *m = build_type(b, type, &sh->props, &size, mark);
    tpl_set_bool(ctx, m, "is_event", false);
    tpl_set_bool(ctx, m, "has_wire_serialized_max", false);
    tpl_set_value(ctx, m, "title", comment_value(ctx, sh->name));
    tpl_set_value(ctx, m, "summary", comment_value(ctx, sh->doc));
    tpl_set_bool(ctx, m, "has_summary", sh->doc && *sh->doc);
    *type_name = type;
    free(lower);
    return m;
}

/* "expected \"a\", \"b\" or \"c\"", or, when that is too long for a
 * literal, how many values there are. */
static void expected_list(text *msg, const char *const *values, size_t n)
{
    size_t start = msg->len;
    TEXT_LIT(msg, "expected ");
    for (size_t i = 0; i < n; i++) {
        if (i)
            text_add(msg, i + 1 == n ? " or " : ", ", i + 1 == n ? 4u : 2u);
        json_quote(msg, values[i]);
    }
    if (msg->len - start > MESSAGE_MAX) {
        msg->len = start;
        text_printf(msg, "expected one of %zu values", n);
    }
}

/* FNV-1a, 64 bit: a fingerprint of the catalog for the banner, not security. */
static uint64_t fnv1a64(const char *s, size_t n)
{
    uint64_t h = 0xcbf29ce484222325u;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 0x100000001b3u;
    }
    return h;
}

typedef struct wire_build {
    const wire *w;
    tpl_value *map;
    wire_flat flat;
} wire_build;

/* Every wire and form, flattened into members over the shared node tree. */
static wire_build *build_wires(builder *b, const catalog *c, wire_tree *t, size_t *count)
{
    tpl_ctx *ctx = b->ctx;
    size_t n = 0;
    for (size_t i = 0; i < c->wire_count; i++)
        n += 1 + c->wires[i]->form_count;
    wire_build *out = calloc(n ? n : 1, sizeof *out);
    if (!out)
        abort();
    size_t k = 0;
    for (size_t i = 0; i < c->wire_count; i++) {
        size_t base = k;
        for (size_t f = 0; f <= c->wires[i]->form_count; f++, k++) {
            const wire *w = f == 0 ? c->wires[i] : c->wires[i]->forms[f - 1];
            wire_build *wb = &out[k];
            wb->w = w;
            wb->map = tpl_map(ctx);
            wb->flat.members = tpl_list(ctx);
            wb->flat.name_node = wb->flat.payload_node = wb->flat.version_node = -1;
            wb->flat.select_node = -1;
            flatten_members(b, t, &wb->flat, &w->members, -1);
            if (w->payload_name && wb->flat.payload_node >= 0) {
                int node = tree_node(t, wb->flat.payload_node, w->payload_name);
                flat_member(b, &wb->flat, node, "EVG_ROLE_NAME", true, NULL, true);
                wb->flat.name_node = node;
            }
            bool version_in_payload = false;
            /* A form's report has no event version: its version member is data. */
            if (w->payload_version && !w->select && wb->flat.payload_node >= 0) {
                int node = tree_node(t, wb->flat.payload_node, w->payload_version);
                flat_member(b, &wb->flat, node, "EVG_ROLE_VERSION", false, NULL, true);
                wb->flat.version_node = node;
                version_in_payload = true;
            }
            if (w->select && wb->flat.payload_node >= 0) {
                int node = tree_node(t, wb->flat.payload_node, w->select);
                flat_member(b, &wb->flat, node, "EVG_ROLE_SELECT", true, NULL, true);
                wb->flat.select_node = node;
            }
            tpl_value *m = wb->map;
            tpl_set_value(ctx, m, "name_c", c_literal_value(ctx, w->name));
            tpl_set_value(ctx, m, "name", comment_value(ctx, w->name));
            tpl_set_int(ctx, m, "index", (long long)k);
            tpl_set_value(ctx, m, "members", wb->flat.members);
            tpl_set_int(ctx, m, "name_node", wb->flat.name_node);
            tpl_set_int(ctx, m, "payload_node", wb->flat.payload_node);
            tpl_set_int(ctx, m, "version_node", wb->flat.version_node);
            tpl_set_bool(ctx, m, "version_in_payload", version_in_payload);
            tpl_set_int(ctx, m, "select_node", wb->flat.select_node);
            tpl_set_int(ctx, m, "base", (long long)base);
            /* A form without a name member carries its wire's one event too. */
            const event *fixed_event = w->base ? w->base->fixed_event : w->fixed_event;
            long long fixed = -1;
            for (size_t e = 0; fixed_event && e < c->event_count; e++)
                if (c->events[e] == fixed_event)
                    fixed = (long long)e;
            tpl_set_int(ctx, m, "fixed_event", wb->flat.name_node < 0 ? fixed : -1);
            tpl_set_bool(ctx, m, "has_payloads", false);
            tpl_set_int(ctx, m, "payload_count", 0);
            tpl_set_str(ctx, m, "select_message_c", "NULL");   /* set below for a form with select */
        }
    }
    *count = n;
    return out;
}

/* The index of a catalog wire or form in wb, which holds them all. */
static size_t wire_index(const wire_build *wb, size_t n, const wire *w)
{
    for (size_t i = 0; i < n; i++)
        if (wb[i].w == w)
            return i;
    return 0;
}

static tpl_value *build_root(builder *b, const catalog *c, const gen_options *opt)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *root = tpl_map(ctx);
    tpl_set_str(ctx, root, "evgen_version", EVGEN_VERSION);
    tpl_set_value(ctx, root, "catalog_path", comment_value(ctx, opt->catalog_path));
    tpl_set_strf(ctx, root, "catalog_hash", "%016llx",
                 (unsigned long long)fnv1a64(opt->catalog_bytes ? opt->catalog_bytes : "",
                                             opt->catalog_bytes ? opt->catalog_len : 0));
    tpl_set_str(ctx, root, "prefix", b->prefix);
    tpl_set_str(ctx, root, "PREFIX", b->upper_prefix);

    /* Products: one bit each. */
    tpl_value *products = tpl_list(ctx);
    unsigned long all = 0;
    for (size_t i = 0; i < c->products.count; i++) {
        tpl_value *pm = tpl_map(ctx);
        char *up = name_c_upper(c->products.items[i]);
        tpl_set_value(ctx, pm, "name_c", c_literal_value(ctx, c->products.items[i]));
        tpl_set_value(ctx, pm, "name", comment_value(ctx, c->products.items[i]));
        tpl_set_strf(ctx, pm, "c", "%s_PRODUCT_%s", b->upper_prefix, up);
        define_name(b, c->products.marks[i], "%s_PRODUCT_%s", b->upper_prefix, up);
        tpl_set_strf(ctx, pm, "bit", "0x%lxu", 1ul << i);
        tpl_set_int(ctx, pm, "index", (long long)i);
        tpl_push(products, pm);
        all |= 1ul << i;
        free(up);
    }
    tpl_set_value(ctx, root, "products", products);
    tpl_set_int(ctx, root, "product_count", (long long)c->products.count);
    tpl_set_bool(ctx, root, "has_products", c->products.count > 0);
    tpl_set_strf(ctx, root, "product_all", "0x%lxu", all);

    /* Wires: the node tree and each wire's members. */
    wire_tree t = {NULL, 0, 0, -1, -1, false};
    size_t nwires = 0;
    wire_build *wb = build_wires(b, c, &t, &nwires);
    if (t.overflow) {
        diag_error(b->d, b->catalog_path, c->wires[0]->mark,
                   "the wires have more than %d distinct member paths together", WIRE_NODES_MAX);
        b->ok = false;
    }

    /* Events and their versions. */
    tpl_value *events = tpl_list(ctx);
    tpl_value *versions = tpl_list(ctx);
    tpl_value *types = tpl_list(ctx);
    tpl_value *event_wires = tpl_list(ctx);
    size_t version_index = 0, event_wire_count = 0;
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        tpl_value *em = tpl_map(ctx);
        tpl_set_str(ctx, em, "name", e->name);
        tpl_set_value(ctx, em, "name_c", c_literal_value(ctx, e->name));
        if (e->product_index >= 0)
            tpl_set_strf(ctx, em, "products_c", "0x%lxu", 1ul << e->product_index);
        else
            tpl_set_str(ctx, em, "products_c", "0u");
        tpl_set_str(ctx, em, "direction_c", e->direction == DIRECTION_SEND ? "EVG_DIRECTION_SEND" : "EVG_DIRECTION_RECEIVED");
        tpl_set_bool(ctx, em, "version_required", e->version_required);
        tpl_set_int(ctx, em, "index", (long long)i);
        tpl_set_int(ctx, em, "first_version", (long long)version_index);
        tpl_set_int(ctx, em, "version_count", (long long)e->version_count);
        tpl_set_int(ctx, em, "wire_offset", (long long)event_wire_count);
        tpl_set_int(ctx, em, "wire_count", (long long)e->wire_names.count);
        /* Bytes the largest of its envelopes adds, and the payload
         * members that carry its version in any of them. */
        long long overhead = 0;
        name_list keys = {NULL, NULL, 0};
        size_t key_room = 1;
        for (size_t j = 0; j < e->wire_names.count; j++)
            key_room += 1 + (e->wires[j] ? e->wires[j]->form_count : 0);
        keys.items = calloc(key_room, sizeof *keys.items);
        if (!keys.items)
            abort();
        for (size_t j = 0; j < e->wire_names.count; j++) {
            size_t wi = wire_index(wb, nwires, e->wires[j]);
            tpl_value *ew = tpl_map(ctx);
            tpl_set_int(ctx, ew, "wire", (long long)wi);
            tpl_push(event_wires, ew);
            event_wire_count++;
            /* The wire and the forms that carry its events. */
            for (size_t f = 0; f <= e->wires[j]->form_count; f++) {
                const wire *w = f ? e->wires[j]->forms[f - 1] : e->wires[j];
                if (w->select)
                    continue;
                size_t fi = f ? wire_index(wb, nwires, w) : wi;
                if (wb[fi].flat.overhead > overhead)
                    overhead = wb[fi].flat.overhead;
                if (w->payload_version && !name_in_list(&keys, w->payload_version))
                    keys.items[keys.count++] = w->payload_version;
            }
        }
        tpl_value *ev = tpl_list(ctx);
        size_t first_wire = e->wire_names.count ? wire_index(wb, nwires, e->wires[0]) : 0;
        for (size_t j = 0; j < e->version_count; j++) {
            tpl_value *vm = build_version(b, e, e->versions[j], overhead, &keys);
            tpl_set_int(ctx, vm, "first_wire", (long long)first_wire);
            tpl_set_int(ctx, vm, "version_index", (long long)version_index);
            tpl_set_int(ctx, vm, "kind_value", (long long)++version_index);
            tpl_set_int(ctx, vm, "event_index", (long long)i);
            tpl_push(ev, vm);
            tpl_push(versions, vm);
            tpl_push(types, vm);
        }
        free(keys.items);
        tpl_set_value(ctx, em, "versions", ev);
        tpl_push(events, em);
    }

    /* Form payload types, one per shape, numbered after the versions. */
    long long kind = (long long)version_index + 1;
    const shape **form_shapes = calloc(c->shape_count + 1, sizeof *form_shapes);
    tpl_value **form_types = calloc(c->shape_count + 1, sizeof *form_types);
    char **form_type_names = calloc(c->shape_count + 1, sizeof *form_type_names);
    size_t nform = 0;
    if (!form_shapes || !form_types || !form_type_names)
        abort();
    for (size_t i = 0; i < nwires; i++) {
        const wire *w = wb[i].w;
        if (!w->payload_count)
            continue;
        tpl_value *payloads = tpl_list(ctx);
        const char **values = calloc(w->payload_count, sizeof *values);
        if (!values)
            abort();
        for (size_t j = 0; j < w->payload_count; j++) {
            const form_payload *fp = w->payloads[j];
            values[j] = fp->value;
            size_t x = 0;
            while (x < nform && form_shapes[x] != fp->shape)
                x++;
            if (x == nform) {
                form_shapes[nform] = fp->shape;
                form_types[nform] = build_form_type(b, fp->shape, fp->mark, &form_type_names[nform]);
                tpl_set_int(ctx, form_types[nform], "kind_value", kind++);
                tpl_push(types, form_types[nform]);
                nform++;
            }
            tpl_value *pm = tpl_map(ctx);
            tpl_set_value(ctx, pm, "value_c", c_literal_value(ctx, fp->value));
            tpl_set_str(ctx, pm, "type", form_type_names[x]);
            char *up = name_c_upper(form_type_names[x] + strlen(b->prefix) + 1);
            tpl_set_strf(ctx, pm, "kind", "%s_KIND_%s", b->upper_prefix, up);
            free(up);
            tpl_push(payloads, pm);
        }
        text msg = {0};
        expected_list(&msg, values, w->payload_count);
        tpl_set_value(ctx, wb[i].map, "select_message_c", c_literal_value(ctx, msg.buf));
        free(msg.buf);
        free(values);
        tpl_set_value(ctx, wb[i].map, "payloads", payloads);
        tpl_set_bool(ctx, wb[i].map, "has_payloads", true);
        tpl_set_int(ctx, wb[i].map, "payload_count", (long long)w->payload_count);
    }
    tpl_value *forms = tpl_list(ctx);
    for (size_t i = 0; i < nform; i++)
        tpl_push(forms, form_types[i]);
    for (size_t i = 0; i < nform; i++)
        free(form_type_names[i]);
    free(form_shapes);
    free(form_types);
    free(form_type_names);

    /* The node table, with what a wrong constant is told at each node. */
    tpl_value *nodes = tpl_list(ctx);
    for (size_t i = 0; i < t.count; i++) {
        const wire_node *wn = &t.nodes[i];
        tpl_value *nm = tpl_map(ctx);
        tpl_set_value(ctx, nm, "key_c", c_literal_value(ctx, wn->key));
        tpl_set_value(ctx, nm, "key", comment_value(ctx, wn->key));
        tpl_set_int(ctx, nm, "key_len", (long long)strlen(wn->key));
        tpl_set_int(ctx, nm, "parent", wn->parent);
        tpl_set_int(ctx, nm, "first_child", wn->first_child);
        tpl_set_int(ctx, nm, "next_sibling", wn->next_sibling);
        tpl_set_int(ctx, nm, "index", (long long)i);
        if (wn->const_count) {
            text msg = {0};
            expected_list(&msg, wn->consts, wn->const_count);
            tpl_set_value(ctx, nm, "expected_c", c_literal_value(ctx, msg.buf));
            free(msg.buf);
        } else {
            tpl_set_str(ctx, nm, "expected_c", "NULL");
        }
        tpl_push(nodes, nm);
        free(t.nodes[i].consts);
    }
    tpl_set_int(ctx, root, "first_root", t.first_root);
    free(t.nodes);
    text nowire = {0};
    if (c->wire_count) {
        TEXT_LIT(&nowire, "not an envelope of this catalog (expected one of: ");
        for (size_t i = 0; i < c->wire_count; i++) {
            if (i)
                TEXT_LIT(&nowire, ", ");
            text_add(&nowire, c->wires[i]->name, strlen(c->wires[i]->name));
        }
        TEXT_LIT(&nowire, ")");
    } else {
        TEXT_LIT(&nowire, "this catalog defines no wires");
    }
    tpl_set_value(ctx, root, "no_wire_message_c", c_literal_value(ctx, nowire.buf));
    free(nowire.buf);

    tpl_value *wires = tpl_list(ctx);
    for (size_t i = 0; i < nwires; i++)
        tpl_push(wires, wb[i].map);
    free(wb);

    tpl_set_int(ctx, root, "kind_count", kind);
    const char **names = malloc((c->event_count ? c->event_count : 1) * sizeof *names);
    if (!names)
        abort();
    for (size_t i = 0; i < c->event_count; i++)
        names[i] = c->events[i]->name;
    char *matcher = emit_matcher(names, c->event_count);
    tpl_set_str(ctx, root, "event_match_code", matcher);
    free(matcher);
    free(names);
    tpl_set_value(ctx, root, "events", events);
    tpl_set_value(ctx, root, "versions", versions);
    tpl_set_value(ctx, root, "forms", forms);
    tpl_set_value(ctx, root, "types", types);
    tpl_set_value(ctx, root, "wires", wires);
    tpl_set_value(ctx, root, "nodes", nodes);
    tpl_set_value(ctx, root, "event_wires", event_wires);
    tpl_set_int(ctx, root, "event_count", (long long)c->event_count);
    tpl_set_int(ctx, root, "version_count", (long long)version_index);
    tpl_set_int(ctx, root, "wire_count", (long long)nwires);
    tpl_set_int(ctx, root, "node_count", (long long)tpl_list_len(nodes));
    tpl_set_bool(ctx, root, "has_wires", nwires > 0);
    tpl_set_bool(ctx, root, "has_event_wires", event_wire_count > 0);
    return root;
}

bool codegen_prefix_ok(const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0 || n > 32 || prefix[n - 1] == '_' || strcmp(prefix, "evg") == 0)
        return false;
    if (!(prefix[0] >= 'a' && prefix[0] <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((prefix[i] >= 'a' && prefix[i] <= 'z') || (prefix[i] >= '0' && prefix[i] <= '9') ||
              prefix[i] == '_'))
            return false;
    return true;
}

/* MARK: rendering ------------------------------------------------------- */

static void add_file(gen_output *out, const char *name, char *data, size_t len)
{
    gen_file *files = realloc(out->files, (out->count + 1) * sizeof *files);
    if (!files)
        abort();
    out->files = files;
    out->files[out->count].name = strdup(name);
    out->files[out->count].data = data;
    out->files[out->count].len = len;
    if (!out->files[out->count].name)
        abort();
    out->count++;
}

static void add_dep(gen_output *out, const char *path)
{
    char **deps = realloc(out->deps, (out->dep_count + 1) * sizeof *deps);
    if (!deps || !(deps[out->dep_count] = strdup(path)))
        abort();
    out->deps = deps;
    out->dep_count++;
}

bool codegen_run(const catalog *c, const gen_options *opt, gen_output *out, diag *d)
{
    memset(out, 0, sizeof *out);
    add_dep(out, opt->catalog_path);
    tpl_set *set = tpl_set_new();
    bool ok;
    if (opt->templates_dir) {
        char **files = NULL;
        size_t nfiles = 0;
        ok = tpl_set_load_dir(set, opt->templates_dir, &files, &nfiles, d);
        for (size_t i = 0; i < nfiles; i++)
            add_dep(out, files[i]);
        tpl_files_free(files, nfiles);
    } else {
        ok = tpl_set_load_embedded(set, d);
    }
    ok = ok && tpl_set_check(set, d);
    if (!ok) {
        tpl_set_free(set);
        return false;
    }
    builder b = {tpl_ctx_new(), d, opt->catalog_path, NULL, 0, 0, NULL, NULL, NULL, NULL, NULL, true};
    b.prefix = opt->prefix ? opt->prefix : "ev";
    b.upper_prefix = name_c_upper(b.prefix);
    define_fixed_names(&b);
    tpl_value *root = build_root(&b, c, opt);
    check_names(&b);
    ok = b.ok;
    for (size_t i = 0; ok && i < tpl_set_count(set); i++) {
        const char *name = tpl_set_name(set, i);
        if (name[0] == '_')
            continue;
        size_t len = 0;
        tpl_set_str(b.ctx, root, "output_file", name);
        char *data = tpl_render(set, name, root, &len, d);
        if (!data) {
            ok = false;
            break;
        }
        add_file(out, name, data, len);
    }
    tpl_ctx_free(b.ctx);
    tpl_set_free(set);
    free(b.upper_prefix);
    return ok;
}

void gen_output_free(gen_output *out)
{
    for (size_t i = 0; i < out->count; i++) {
        free(out->files[i].name);
        free(out->files[i].data);
    }
    for (size_t i = 0; i < out->dep_count; i++)
        free(out->deps[i]);
    free(out->files);
    free(out->deps);
    memset(out, 0, sizeof *out);
}
