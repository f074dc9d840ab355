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

#include "cmodel.h"
#include "embedded_templates.h"
#include "names.h"
#include "template.h"
#include "template_load.h"
#include "text_buf.h"
#include "version.h"

/* JSON string text (with quotes) of s. */
static void json_quote(text_buf *t, const char *s)
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
static void c_literal(text_buf *t, const char *s, size_t n)
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
    text_buf t = {0};
    c_literal(&t, s, strlen(s));
    tpl_value *v = tpl_str(ctx, t.data);
    free(t.data);
    return v;
}

/* C literal of the JSON text of s, e.g. "\"inbound\"" */
static tpl_value *c_json_literal(tpl_ctx *ctx, const char *s, const char *suffix)
{
    text_buf j = {0}, c = {0};
    json_quote(&j, s);
    text_add(&j, suffix, strlen(suffix));
    c_literal(&c, j.data, j.len);
    tpl_value *v = tpl_str(ctx, c.data);
    free(j.data);
    free(c.data);
    return v;
}

/* Text safe inside a C block comment. */
static tpl_value *comment_value(tpl_ctx *ctx, const char *s)
{
    text_buf t = {0};
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
    tpl_value *v = tpl_str(ctx, t.data);
    free(t.data);
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

static void indent(text_buf *t, int depth)
{
    for (int i = 0; i < depth; i++)
        TEXT_LIT(t, "    ");
}

static void emit_char_case(text_buf *t, unsigned char c)
{
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' || c == '-')
        text_printf(t, "case '%c':", c);
    else
        text_printf(t, "case 0x%02x:", c);
}

/* keys[0..n) all have the same length. Picks the byte position that splits
 * them into the most groups and switches on it, recursively, until each
 * branch holds one candidate, confirmed with one memcmp. */
static void emit_same_length(text_buf *t, match_key *keys, size_t n, int depth)
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
    text_buf t = {0};
    TEXT_LIT(&t, "");
    if (count == 0) {
        TEXT_LIT(&t, "    (void)k;\n    (void)n;\n    return -1;");
        return t.data;
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
    return t.data;
}

/* "expected \"a\", \"b\" or \"c\"", or, when that is too long for a
 * literal, how many values there are. */
static void expected_list(text_buf *msg, const char *const *values, size_t n)
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

/* MARK: context --------------------------------------------------------- */

#define SIZE_UNBOUNDED (-1LL)

typedef struct builder {
    tpl_ctx *ctx;
    diag *d;
    const char *catalog_path;
    const cmodel *m;
    long long *members_size;   /* per type index: bytes its members write, or unbounded */
    long long *size;           /* per type index: bytes one value writes, or unbounded */
    bool *needs_required;      /* per type index: it or a base has a required property */
    long long *min_len;        /* per type index: the fewest bytes a value of it is written in */
    size_t *visited;           /* per type index: 1 + the last walk_arena_rules that saw it */
    size_t walks;
    bool ok;
} builder;

/* Bounds past 2^31 bytes are no use as buffer sizes (and may not fit a
 * size_t): they count as unbounded, which also keeps the sums in range. */
#define SIZE_LIMIT (1LL << 31)

static long long size_add(long long a, long long b)
{
    return a < 0 || b < 0 || a + b > SIZE_LIMIT ? SIZE_UNBOUNDED : a + b;
}

static long long json_len(const char *s)
{
    text_buf t = {0};
    json_quote(&t, s);
    long long n = (long long)t.len;
    free(t.data);
    return n;
}

/* The bytes a value of property pr writes (its type's bound, worked out
 * earlier: types come after the types they use). */
static long long value_size(const builder *b, const prop *pr, const ctype *t)
{
    long long size = SIZE_UNBOUNDED;
    switch (pr->kind) {
    case PROP_BOOLEAN: size = 5; break;
    case PROP_INTEGER: size = 20; break;
    case PROP_NUMBER: size = 24; break;
    case PROP_CONST: size = json_len(pr->const_value); break;
    case PROP_ENUM:
    case PROP_OBJECT:
    case PROP_ARRAY: size = t ? b->size[t->index] : SIZE_UNBOUNDED; break;
    default: break;
    }
    if (pr->nullable && size >= 0 && size < 4)
        size = 4;
    return size;
}

/* An array's bound: its items' times max_items, when it has one. */
static long long array_size(const builder *b, const prop *pr, const ctype *t)
{
    if (pr->max_items < 0)
        return SIZE_UNBOUNDED;
    if (pr->max_items == 0)
        return 2;
    long long item = value_size(b, t->element, t->element_type);
    long long each = item < 0 ? -1 : item + 1;
    long long all = each < 0 || each > SIZE_LIMIT / pr->max_items ? SIZE_UNBOUNDED
                                                                   : each * pr->max_items;
    return size_add(2, all);
}

/* Serialized-size bounds of every type, in one pass over the type order. */
static void compute_sizes(builder *b)
{
    const cmodel *m = b->m;
    for (size_t i = 0; i < m->type_count; i++) {
        const ctype *t = m->types[i];
        long long size = SIZE_UNBOUNDED;
        switch (t->kind) {
        case CTYPE_ENUM:
            size = 0;
            for (size_t j = 0; j < t->values->count; j++)
                if (json_len(t->values->items[j]) > size)
                    size = json_len(t->values->items[j]);
            break;
        case CTYPE_STRUCT: {
            long long members = 0;
            bool required = false;
            for (size_t j = 0; j < t->base_count; j++) {
                members = size_add(members, b->members_size[t->bases[j].type->index]);
                required = required || b->needs_required[t->bases[j].type->index];
            }
            for (size_t j = 0; j < t->field_count; j++) {
                const cfield *f = &t->fields[j];
                long long v = value_size(b, f->p, f->type);
                members = size_add(members, size_add(v, json_len(f->p->name) + 2)); /* ':' ',' */
                required = required || f->p->required;
            }
            b->members_size[i] = members;
            b->needs_required[i] = required;
            size = size_add(members, 2);
            break;
        }
        case CTYPE_ARRAY: size = array_size(b, t->def, t); break;
        case CTYPE_MAP:
            break;
        }
        b->size[i] = size;
    }
}

/* MARK: arena bounds ---------------------------------------------------- */

/* The fewest bytes a value of pr can be written in (types come after the
 * types they use). An array or map counts as "[]" or "{}" whatever its
 * min_items: its elements pay for their own arena bytes (arena_rule). */
static long long min_value_len(const builder *b, const prop *pr, const ctype *t)
{
    long long n = 1;
    switch (pr->kind) {
    case PROP_STRING: n = 2; break;
    case PROP_BOOLEAN: n = 4; break;
    case PROP_INTEGER:
    case PROP_NUMBER:
    case PROP_ANY: n = 1; break;
    case PROP_CONST: n = json_len(pr->const_value); break;
    case PROP_ARRAY:
    case PROP_MAP: n = 2; break;
    case PROP_ENUM:
    case PROP_OBJECT:
    case PROP_SHAPE_REF: n = t ? b->min_len[t->index] : 1; break;
    }
    return pr->nullable && n > 4 ? 4 : n;
}

static void compute_min_lengths(builder *b)
{
    const cmodel *m = b->m;
    for (size_t i = 0; i < m->type_count; i++) {
        const ctype *t = m->types[i];
        long long n = 2;
        if (t->kind == CTYPE_ENUM) {
            n = SIZE_LIMIT;
            for (size_t j = 0; j < t->values->count; j++)
                if (json_len(t->values->items[j]) < n)
                    n = json_len(t->values->items[j]);
        } else if (t->kind == CTYPE_STRUCT) {
            /* '{' and '}', and per required member `"key":value,` (one
             * comma too many: fewer is the safe side). */
            long long members = 0;
            for (size_t j = 0; j < t->base_count; j++)
                members += b->min_len[t->bases[j].type->index] - 2;
            for (size_t j = 0; j < t->field_count; j++) {
                const cfield *f = &t->fields[j];
                if (f->p->required)
                    members += json_len(f->p->name) + 2 + min_value_len(b, f->p, f->type);
            }
            n = 2 + (members > 0 ? members - 1 : 0);
            if (n > SIZE_LIMIT)
                n = SIZE_LIMIT;
        }
        b->min_len[i] = n;
    }
}

/* The C type of an array's items or a map's entries. */
static const char *element_c_type(const ctype *t)
{
    if (t->kind == CTYPE_MAP)
        return t->entry_type;
    if (t->element_type)
        return t->element_type->name;
    switch (t->element->kind) {
    case PROP_BOOLEAN: return "bool";
    case PROP_INTEGER: return "int64_t";
    case PROP_NUMBER: return "double";
    default: return "evg_str";
    }
}

/* One initializer of evg_arena_rule for an array or map type: its element
 * size and the fewest document bytes one element takes, separator
 * included (`x,` for an item, `"":x,` for an entry). */
static void append_arena_rule(const builder *b, text_buf *rules, const ctype *t)
{
    long long per = min_value_len(b, t->element, t->element_type) + (t->kind == CTYPE_MAP ? 4 : 1);
    text_printf(rules, "%s{sizeof(%s), %lld}", rules->len ? ", " : "", element_c_type(t), per);
}

static int cmp_type_index(const void *x, const void *y)
{
    const ctype *a = *(const ctype *const *)x, *b = *(const ctype *const *)y;
    return (a->index > b->index) - (a->index < b->index);
}

/* The arena rules of every array and map a value of `root` can hold, in
 * type order: an explicit stack, each type once per walk, and a cost in
 * the types reached, not in all types. */
static char *walk_arena_rules(builder *b, const ctype *root, size_t *count)
{
    const cmodel *m = b->m;
    size_t stamp = ++b->walks;
    const ctype **stack = malloc((m->type_count + 1) * sizeof *stack);
    const ctype **found = malloc((m->type_count + 1) * sizeof *found);
    if (!stack || !found)
        abort();
    size_t depth = 0, nfound = 0;
    stack[depth++] = root;
    b->visited[root->index] = stamp;
    while (depth) {
        const ctype *t = stack[--depth];
        size_t uses = t->kind == CTYPE_STRUCT ? t->base_count + t->field_count : 1;
        if (t->kind == CTYPE_ARRAY || t->kind == CTYPE_MAP)
            found[nfound++] = t;
        else if (t->kind == CTYPE_ENUM)
            uses = 0;
        for (size_t i = 0; i < uses; i++) {
            const ctype *u = t->kind != CTYPE_STRUCT ? t->element_type
                             : i < t->base_count   ? t->bases[i].type
                                                   : t->fields[i - t->base_count].type;
            if (u && b->visited[u->index] != stamp) {
                b->visited[u->index] = stamp;
                stack[depth++] = u;
            }
        }
    }
    qsort(found, nfound, sizeof *found, cmp_type_index);
    text_buf rules = {0};
    for (size_t i = 0; i < nfound; i++)
        append_arena_rule(b, &rules, found[i]);
    *count = nfound;
    free(stack);
    free(found);
    return rules.data;
}

/* Every array and map any entry point reaches: the bound of parse_any. */
static char *all_arena_rules(const builder *b, size_t *count)
{
    text_buf rules = {0};
    *count = 0;
    for (size_t i = 0; i < b->m->type_count; i++) {
        const ctype *t = b->m->types[i];
        if ((t->kind == CTYPE_ARRAY || t->kind == CTYPE_MAP) && t->reachable) {
            append_arena_rule(b, &rules, t);
            ++*count;
        }
    }
    return rules.data;
}

/* The arena bound of an entry point: its rules, or none. */
static void set_arena_rules(tpl_ctx *ctx, tpl_value *m, char *rules, size_t count)
{
    tpl_set_bool(ctx, m, "has_arena_rules", count > 0);
    tpl_set_str(ctx, m, "arena_rules", rules ? rules : "");
    tpl_set_int(ctx, m, "arena_rule_count", (long long)count);
    free(rules);
}

static void set_kind_flags(tpl_ctx *ctx, tpl_value *v, const prop *pr)
{
    static const char *const flags[] = {"is_string", "is_boolean", "is_integer", "is_number",
                                        "is_const", "is_enum", "is_object", "is_array", "is_any",
                                        "is_map"};
    static const prop_kind kinds[] = {PROP_STRING, PROP_BOOLEAN, PROP_INTEGER, PROP_NUMBER,
                                      PROP_CONST, PROP_ENUM, PROP_OBJECT, PROP_ARRAY, PROP_ANY,
                                      PROP_MAP};
    for (size_t i = 0; i < sizeof flags / sizeof *flags; i++)
        tpl_set_bool(ctx, v, flags[i], pr->kind == kinds[i]);
}

/* What the templates need to declare, parse and write one value of pr
 * (a field, an array item or a map value) of type t (NULL for scalars). */
static void describe_value(builder *b, tpl_value *v, const prop *pr, const ctype *t)
{
    tpl_ctx *ctx = b->ctx;
    set_kind_flags(ctx, v, pr);
    switch (pr->kind) {
    case PROP_STRING:
    case PROP_ANY: tpl_set_str(ctx, v, "c_type", "evg_str"); break;
    case PROP_BOOLEAN: tpl_set_str(ctx, v, "c_type", "bool"); break;
    case PROP_INTEGER: tpl_set_str(ctx, v, "c_type", "int64_t"); break;
    case PROP_NUMBER: tpl_set_str(ctx, v, "c_type", "double"); break;
    case PROP_CONST: {
        tpl_set_str(ctx, v, "const_alt", "NULL");
        tpl_set_value(ctx, v, "const_c", c_literal_value(ctx, pr->const_value));
        tpl_set_int(ctx, v, "const_len", (long long)strlen(pr->const_value));
        tpl_set_value(ctx, v, "const_json_c", c_json_literal(ctx, pr->const_value, ""));
        text_buf msg = {0};
        TEXT_LIT(&msg, "expected ");
        json_quote(&msg, pr->const_value);
        tpl_set_value(ctx, v, "const_message_c", c_literal_value(ctx, msg.data));
        free(msg.data);
        tpl_set_value(ctx, v, "const_comment", comment_value(ctx, pr->const_value));
        break;
    }
    case PROP_ENUM:
    case PROP_OBJECT:
    case PROP_ARRAY:
    case PROP_MAP:
    case PROP_SHAPE_REF:
        break;
    }
    if (!t)
        return;
    tpl_set_str(ctx, v, "value_parse_fn", t->parse_fn);
    tpl_set_str(ctx, v, "value_write_fn", t->write_fn);
    if (t->kind == CTYPE_STRUCT || t->kind == CTYPE_ENUM)
        tpl_set_str(ctx, v, "c_type", t->name);
    if (t->kind == CTYPE_MAP)
        tpl_set_str(ctx, v, "entry_type", t->entry_type);
    if (t->kind == CTYPE_ARRAY) {
        tpl_value *item = tpl_map(ctx);
        describe_value(b, item, t->element, t->element_type);
        tpl_set_value(ctx, v, "item", item);
    }
}

/* An array item or a map value, parsed into `target`, written from
 * `source`, its errors located by `on_error` and `on_write_error`. */
static tpl_value *describe_element(builder *b, const ctype *t, const char *target,
                                   const char *source, const char *on_error,
                                   const char *on_write_error)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *e = tpl_map(ctx);
    describe_value(b, e, t->element, t->element_type);
    tpl_set_str(ctx, e, "target", target);
    tpl_set_str(ctx, e, "source", source);
    tpl_set_str(ctx, e, "on_error", on_error);
    tpl_set_str(ctx, e, "on_write_error", on_write_error);
    tpl_set_bool(ctx, e, "nullable", false);   /* elements cannot be (catalog_check) */
    return e;
}

static tpl_value *describe_field(builder *b, const cfield *f, size_t index)
{
    tpl_ctx *ctx = b->ctx;
    const prop *pr = f->p;
    tpl_value *v = tpl_map(ctx);
    describe_value(b, v, pr, f->type);
    /* The payload's own version member also accepts the version dispatch
     * fell back from (docs/dispatch.md). */
    if (f->version_alt)
        tpl_set_str(ctx, v, "const_alt", "&p->fallback_from");
    tpl_set_bool(ctx, v, "states_version", f->version_alt && !pr->required);
    tpl_set_int(ctx, v, "index", (long long)index);
    tpl_set_value(ctx, v, "name", comment_value(ctx, pr->name));
    tpl_set_str(ctx, v, "c_name", f->member);
    tpl_set_str(ctx, v, "has_member", f->has_member ? f->has_member : "");
    tpl_set_str(ctx, v, "null_member", f->null_member ? f->null_member : "");
    tpl_set_value(ctx, v, "key_c", c_literal_value(ctx, pr->name));
    tpl_set_value(ctx, v, "key_json_c", c_json_literal(ctx, pr->name, ":"));
    tpl_set_value(ctx, v, "doc", comment_value(ctx, pr->doc));
    tpl_set_bool(ctx, v, "has_doc", pr->doc && *pr->doc);
    tpl_set_bool(ctx, v, "required", pr->required);
    tpl_set_bool(ctx, v, "optional", !pr->required);
    tpl_set_bool(ctx, v, "nullable", pr->nullable);
    tpl_set_strf(ctx, v, "target", "out->%s", f->member);
    tpl_set_strf(ctx, v, "source", "in->%s", f->member);
    text_buf err = {0};
    TEXT_LIT(&err, "evg_member_failed(p, ");
    c_literal(&err, pr->name, strlen(pr->name));
    text_printf(&err, ", %zu)", strlen(pr->name));
    tpl_set_str(ctx, v, "on_error", err.data);
    text_buf write_err = {0};
    TEXT_LIT(&write_err, "evg_write_path_key(w, ");
    c_literal(&write_err, pr->name, strlen(pr->name));
    text_printf(&write_err, ", %zu)", strlen(pr->name));
    tpl_set_str(ctx, v, "on_write_error", write_err.data);
    free(write_err.data);
    free(err.data);
    return v;
}

/* One place a key is looked up: the own properties (base -1) or a base. */
typedef struct lookup_order {
    size_t keys, position;     /* position: the own first, then extends order */
    long base;
} lookup_order;

static int cmp_lookup(const void *x, const void *y)
{
    const lookup_order *a = x, *b = y;
    if (a->keys != b->keys)
        return a->keys > b->keys ? -1 : 1;
    return (a->position > b->position) - (a->position < b->position);
}

/* map[key] = the C initializer of a uint64_t array holding bits[0..words). */
static void set_bitset(tpl_ctx *ctx, tpl_value *map, const char *key, const uint64_t *bits,
                       size_t words)
{
    text_buf init = {0};
    TEXT_LIT(&init, "{");
    for (size_t w = 0; w < words; w++)
        text_printf(&init, "%sUINT64_C(0x%016llx)", w ? ", " : "", (unsigned long long)bits[w]);
    TEXT_LIT(&init, "}");
    tpl_set_str(ctx, map, key, init.data);
    free(init.data);
}

/* Bit n: t has a key of n bytes, its bases' included (bit 63: 63 or more). */
static uint64_t key_lengths(const ctype *t)
{
    uint64_t bits = 0;
    for (size_t i = 0; i < t->base_count; i++)
        bits |= key_lengths(t->bases[i].type);
    for (size_t i = 0; i < t->field_count; i++) {
        size_t n = strlen(t->fields[i].p->name);
        bits |= (uint64_t)1 << (n < 63 ? n : 63);
    }
    return bits;
}

/* Marks the required keys of t, its bases' included, in the key numbering
 * that starts at `first`. Shapes nest at most CHECK_MAX_SHAPE_DEPTH deep. */
static void required_keys(const ctype *t, size_t first, uint64_t *bits)
{
    for (size_t i = 0; i < t->base_count; i++)
        required_keys(t->bases[i].type, first + t->bases[i].first_key, bits);
    size_t own_first = first + t->key_count - t->field_count;
    for (size_t i = 0; i < t->field_count; i++)
        if (t->fields[i].p->required)
            bits[(own_first + i) / 64] |= (uint64_t)1 << ((own_first + i) % 64);
}

static void describe_struct(builder *b, tpl_value *v, const ctype *t)
{
    tpl_ctx *ctx = b->ctx;
    size_t own_first = t->key_count - t->field_count;
    tpl_value *bases = tpl_list(ctx);
    tpl_value **base_maps = calloc(t->base_count + 1, sizeof *base_maps);
    if (!base_maps)
        abort();
    for (size_t i = 0; i < t->base_count; i++) {
        const cbase *base = &t->bases[i];
        tpl_value *bm = tpl_map(ctx);
        base_maps[i] = bm;
        tpl_set_bool(ctx, bm, "is_own", false);
        tpl_set_str(ctx, bm, "type", base->type->name);
        tpl_set_str(ctx, bm, "member", base->member);
        tpl_set_value(ctx, bm, "title", comment_value(ctx, base->type->title));
        tpl_set_int(ctx, bm, "first_key", (long long)base->first_key);
        tpl_set_str(ctx, bm, "members_fn", base->type->members_fn);
        tpl_set_str(ctx, bm, "required_fn", base->type->required_fn);
        tpl_set_str(ctx, bm, "write_members_fn", base->type->write_members_fn);
        tpl_set_bool(ctx, bm, "needs_required", b->needs_required[base->type->index]);
        tpl_set_strf(ctx, bm, "length_mask", "UINT64_C(0x%016llx)",
                     (unsigned long long)key_lengths(base->type));
        tpl_push(bases, bm);
    }
    tpl_value *fields = tpl_list(ctx);
    const char **names = malloc((t->field_count ? t->field_count : 1) * sizeof *names);
    size_t words = t->field_count ? (t->field_count + 63) / 64 : 1;
    uint64_t *required = calloc(words, sizeof *required);
    if (!names || !required)
        abort();
    bool has_required = false, own_stores = false;
    for (size_t i = 0; i < t->field_count; i++) {
        const prop *pr = t->fields[i].p;
        own_stores = own_stores || pr->kind != PROP_CONST || !pr->required || pr->nullable;
        tpl_push(fields, describe_field(b, &t->fields[i], i));
        names[i] = t->fields[i].p->name;
        if (t->fields[i].p->required) {
            required[i / 64] |= (uint64_t)1 << (i % 64);
            has_required = true;
        }
    }
    /* The order members are looked up in: the largest key set first, so
     * most keys meet one matcher (the own properties first on a tie). */
    lookup_order *order = malloc((t->base_count + 1) * sizeof *order);
    if (!order)
        abort();
    size_t n_order = 0;
    if (t->field_count)
        order[n_order++] = (lookup_order){t->field_count, 0, -1};
    for (size_t i = 0; i < t->base_count; i++)
        order[n_order++] = (lookup_order){t->bases[i].type->key_count, i + 1, (long)i};
    qsort(order, n_order, sizeof *order, cmp_lookup);
    tpl_value *lookups = tpl_list(ctx);
    for (size_t i = 0; i < n_order; i++) {
        if (order[i].base < 0) {
            tpl_value *own = tpl_map(ctx);
            tpl_set_bool(ctx, own, "is_own", true);
            tpl_push(lookups, own);
        } else {
            tpl_push(lookups, base_maps[order[i].base]);
        }
    }
    free(order);
    free(base_maps);
    tpl_set_value(ctx, v, "lookups", lookups);
    tpl_set_value(ctx, v, "bases", bases);
    tpl_set_bool(ctx, v, "has_bases", t->base_count > 0);
    tpl_set_value(ctx, v, "fields", fields);
    tpl_set_int(ctx, v, "field_count", (long long)t->field_count);
    tpl_set_bool(ctx, v, "has_fields", t->field_count > 0);
    tpl_set_bool(ctx, v, "has_members", t->stores);
    tpl_set_bool(ctx, v, "own_stores", own_stores);
    tpl_set_int(ctx, v, "own_first", (long long)own_first);
    tpl_set_int(ctx, v, "seen_words", (long long)(t->key_count ? (t->key_count + 63) / 64 : 1));
    tpl_set_int(ctx, v, "required_words", (long long)words);
    tpl_set_bool(ctx, v, "has_required", has_required);
    tpl_set_bool(ctx, v, "needs_required", b->needs_required[t->index]);
    set_bitset(ctx, v, "required_init", required, words);
    char *matcher = emit_matcher(names, t->field_count);
    tpl_set_str(ctx, v, "key_match", matcher);
    free(matcher);
    free(names);
    free(required);
    tpl_set_str(ctx, v, "match_fn", t->match_fn);
    tpl_set_str(ctx, v, "members_fn", t->members_fn);
    tpl_set_str(ctx, v, "required_fn", t->required_fn);
    size_t all_words = t->key_count ? (t->key_count + 63) / 64 : 1;
    uint64_t *all = calloc(all_words, sizeof *all);
    if (!all)
        abort();
    required_keys(t, 0, all);
    set_bitset(ctx, v, "all_required_init", all, all_words);
    free(all);
    tpl_set_str(ctx, v, "write_members_fn", t->write_members_fn);
}

static void describe_enum(builder *b, tpl_value *v, const ctype *t)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *values = tpl_list(ctx);
    const name_list *vals = t->values;
    for (size_t i = 0; i < vals->count; i++) {
        tpl_value *ev = tpl_map(ctx);
        tpl_set_str(ctx, ev, "enumerator", t->enumerators[i]);
        tpl_set_value(ctx, ev, "value_c", c_literal_value(ctx, vals->items[i]));
        tpl_set_value(ctx, ev, "comment", comment_value(ctx, vals->items[i]));
        tpl_set_int(ctx, ev, "index", (long long)i);
        tpl_push(values, ev);
    }
    tpl_set_value(ctx, v, "values", values);
    tpl_set_int(ctx, v, "count", (long long)vals->count);
    tpl_set_str(ctx, v, "count_enumerator", t->count_enumerator);
    tpl_set_str(ctx, v, "name_fn", t->name_fn);
    tpl_set_str(ctx, v, "match_fn", t->match_fn);
    text_buf msg = {0};
    expected_list(&msg, (const char *const *)vals->items, vals->count);
    tpl_set_value(ctx, v, "message_c", c_literal_value(ctx, msg.data));
    free(msg.data);
    char *matcher = emit_matcher((const char *const *)vals->items, vals->count);
    tpl_set_str(ctx, v, "match_code", matcher);
    free(matcher);
}

static void describe_array(builder *b, tpl_value *v, const ctype *t, const prop *owner)
{
    tpl_ctx *ctx = b->ctx;
    tpl_set_value(ctx, v, "item", describe_element(b, t, "*slot", "items[i]",
                                                    "evg_path_index(p, count - 1)",
                                                    "evg_write_path_index(w, i)"));
    tpl_set_int(ctx, v, "min_items", owner->min_items);
    tpl_set_bool(ctx, v, "has_min_items", owner->min_items > 0);
    tpl_set_int(ctx, v, "max_items", owner->max_items);
    tpl_set_bool(ctx, v, "has_max_items", owner->max_items >= 0);
    char msg[64];
    snprintf(msg, sizeof msg, "expected at least %lld item%s", (long long)owner->min_items,
             owner->min_items == 1 ? "" : "s");
    tpl_set_value(ctx, v, "min_message_c", c_literal_value(ctx, msg));
    snprintf(msg, sizeof msg, "expected at most %lld item%s", (long long)owner->max_items,
             owner->max_items == 1 ? "" : "s");
    tpl_set_value(ctx, v, "max_message_c", c_literal_value(ctx, msg));
}

/* Every type, in the order C needs them. */
static tpl_value *build_types(builder *b, tpl_value **by_index)
{
    tpl_ctx *ctx = b->ctx;
    const cmodel *m = b->m;
    tpl_value *types = tpl_list(ctx);
    for (size_t i = 0; i < m->type_count; i++) {
        const ctype *t = m->types[i];
        tpl_value *v = tpl_map(ctx);
        tpl_set_str(ctx, v, "type", t->name);
        tpl_set_value(ctx, v, "title", comment_value(ctx, t->title));
        tpl_set_value(ctx, v, "doc", comment_value(ctx, t->doc));
        tpl_set_bool(ctx, v, "has_doc", t->doc && *t->doc);
        tpl_set_bool(ctx, v, "is_struct", t->kind == CTYPE_STRUCT);
        tpl_set_bool(ctx, v, "is_enum", t->kind == CTYPE_ENUM);
        tpl_set_bool(ctx, v, "is_array", t->kind == CTYPE_ARRAY);
        tpl_set_bool(ctx, v, "is_map", t->kind == CTYPE_MAP);
        tpl_set_bool(ctx, v, "reachable", t->reachable);
        tpl_set_bool(ctx, v, "as_value", t->as_value);
        tpl_set_bool(ctx, v, "is_root", false);
        tpl_set_bool(ctx, v, "root", false);   /* describe_root sets both */
        tpl_set_str(ctx, v, "parse_fn", t->parse_fn);
        tpl_set_str(ctx, v, "write_fn", t->write_fn);
        switch (t->kind) {
        case CTYPE_STRUCT: describe_struct(b, v, t); break;
        case CTYPE_ENUM: describe_enum(b, v, t); break;
        case CTYPE_ARRAY: describe_array(b, v, t, t->def); break;
        case CTYPE_MAP:
            tpl_set_str(ctx, v, "entry_type", t->entry_type);
            tpl_set_value(ctx, v, "value", describe_element(b, t, "entry->value", "items[i].value",
                                                             "evg_path_key(p, key.ptr, key.len)",
                                                             "evg_write_path_key(w, items[i].key.ptr, items[i].key.len)"));
            break;
        }
        by_index[i] = v;
        tpl_push(types, v);
    }
    return types;
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

/* cmodel_build refuses catalogs with more paths than this. */
#define WIRE_NODES_MAX CMODEL_MAX_WIRE_PATHS

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

/* MARK: roots ----------------------------------------------------------- */

/* Whether a payload of t holds its version member as a constant at its
 * root (its own or a base's), which the parser can record while parsing. */
static bool records_version(const ctype *t)
{
    for (size_t i = 0; i < t->field_count; i++)
        if (t->fields[i].version_alt)
            return true;
    for (size_t i = 0; i < t->base_count; i++)
        if (records_version(t->bases[i].type))
            return true;
    return false;
}

/* What every entry point has, event version or form payload. */
static tpl_value *describe_root(builder *b, const croot *r, tpl_value *type_ctx)
{
    tpl_ctx *ctx = b->ctx;
    tpl_value *m = tpl_map(ctx);
    const ctype *t = r->type;
    tpl_set_str(ctx, m, "type", t->name);
    tpl_set_str(ctx, m, "member", r->member);
    tpl_set_str(ctx, m, "kind", r->kind);
    tpl_set_str(ctx, m, "parse_fn", r->parse_fn);
    tpl_set_str(ctx, m, "serialize_fn", r->serialize_fn);
    tpl_set_str(ctx, m, "parse_payload_fn", r->parse_payload_fn);
    tpl_set_str(ctx, m, "write_payload_fn", r->write_payload_fn);
    tpl_set_str(ctx, m, "type_parse_fn", t->parse_fn);
    tpl_set_str(ctx, m, "type_write_fn", t->write_fn);
    tpl_set_str(ctx, m, "serialized_max_macro", r->serialized_max);
    tpl_set_str(ctx, m, "arena_size_fn", r->arena_size_fn);
    size_t rule_count;
    char *rules = walk_arena_rules(b, t, &rule_count);
    set_arena_rules(ctx, m, rules, rule_count);
    long long size = b->size[t->index];
    tpl_set_bool(ctx, m, "has_serialized_max", size >= 0);
    tpl_set_int(ctx, m, "serialized_max", size >= 0 ? size + 1 : -1);
    tpl_set_bool(ctx, m, "is_event", r->event != NULL);
    tpl_set_bool(ctx, m, "has_wire_serialized_max", false);
    tpl_set_bool(ctx, m, "event_has_wires", false);
    if (r->event) {
        const event *e = r->event;
        const event_version *v = r->version;
        tpl_set_value(ctx, m, "title", comment_value(ctx, e->name));
        tpl_set_value(ctx, m, "version_title", comment_value(ctx, v->text));
        tpl_set_str(ctx, m, "parse_wire_fn", r->parse_wire_fn);
        tpl_set_str(ctx, m, "serialize_wire_fn", r->serialize_wire_fn);
        tpl_set_str(ctx, m, "wire_serialized_max_macro", r->wire_serialized_max);
        tpl_set_str(ctx, m, "event_macro", r->event_macro);
        tpl_set_str(ctx, m, "version_macro", r->version_macro);
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
    } else {
        tpl_set_value(ctx, m, "title", comment_value(ctx, r->form_shape->name));
        tpl_set_value(ctx, m, "summary", comment_value(ctx, r->form_shape->doc));
        tpl_set_bool(ctx, m, "has_summary", r->form_shape->doc && *r->form_shape->doc);
    }
    tpl_set_bool(ctx, type_ctx, "is_root", true);
    tpl_set_value(ctx, type_ctx, "root", m);
    return m;
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
    /* The file name only: the same catalog given by another path makes the
     * same bytes, and nothing in the banner changes when the catalog's
     * content changes without changing the output. */
    const char *slash = strrchr(opt->catalog_path, '/');
    tpl_set_value(ctx, root, "catalog_name",
                  comment_value(ctx, slash ? slash + 1 : opt->catalog_path));
    const cmodel *cm = b->m;
    tpl_set_str(ctx, root, "prefix", cm->prefix);
    tpl_set_str(ctx, root, "PREFIX", cm->upper_prefix);
    size_t rule_count;
    char *rules = all_arena_rules(b, &rule_count);
    set_arena_rules(ctx, root, rules, rule_count);
    const cfixed *x = &cm->fixed;
    const struct {
        const char *var, *value;
    } fixed[] = {
        {"any_type", x->any_type}, {"kind_type", x->kind_type}, {"kind_none", x->kind_none},
        {"kind_count_enumerator", x->kind_count}, {"product_all_macro", x->product_all},
        {"product_count_macro", x->product_count}, {"event_count_macro", x->event_count},
        {"version_count_macro", x->version_count}, {"wire_count_macro", x->wire_count},
        {"events_var", x->events_var}, {"versions_var", x->versions_var},
        {"wires_var", x->wires_var}, {"catalog_var", x->catalog_var},
        {"find_event_fn", x->find_event_fn}, {"find_version_fn", x->find_version_fn},
        {"list_events_fn", x->list_events_fn}, {"events_json_fn", x->events_json_fn},
        {"parse_any_fn", x->parse_any_fn}, {"parse_bare_fn", x->parse_bare_fn},
        {"serialize_any_fn", x->serialize_any_fn}, {"product_name_fn", x->product_name_fn},
        {"arena_size_fn", x->arena_size_fn},
        {"events_guard", x->events_guard}, {"dispatch_guard", x->dispatch_guard},
        {"nodes_var", x->nodes_var}, {"event_wires_var", x->event_wires_var},
        {"match_event_fn", x->match_event_fn}, {"route_fn", x->route_fn},
        {"slots_macro", x->slots_macro}, {"document_type", x->document_type},
        {"document_body_fn", x->document_body_fn}, {"parse_document_fn", x->parse_document_fn},
    };
    for (size_t i = 0; i < sizeof fixed / sizeof *fixed; i++)
        tpl_set_str(ctx, root, fixed[i].var, fixed[i].value);

    /* Products: one bit each. */
    tpl_value *products = tpl_list(ctx);
    unsigned long all = 0;
    for (size_t i = 0; i < c->products.count; i++) {
        tpl_value *pm = tpl_map(ctx);
        tpl_set_value(ctx, pm, "name_c", c_literal_value(ctx, c->products.items[i]));
        tpl_set_value(ctx, pm, "name", comment_value(ctx, c->products.items[i]));
        tpl_set_str(ctx, pm, "c", cm->product_macros[i]);
        tpl_set_strf(ctx, pm, "bit", "0x%lxu", 1ul << i);
        tpl_set_int(ctx, pm, "index", (long long)i);
        tpl_push(products, pm);
        all |= 1ul << i;
    }
    tpl_set_value(ctx, root, "products", products);
    tpl_set_int(ctx, root, "product_count", (long long)c->products.count);
    tpl_set_bool(ctx, root, "has_products", c->products.count > 0);
    tpl_set_strf(ctx, root, "product_all", "0x%lxu", all);

    /* Wires: the node tree and each wire's members. */
    wire_tree t = {NULL, 0, 0, -1, -1, false};
    size_t nwires = 0;
    wire_build *wb = build_wires(b, c, &t, &nwires);
    if (t.overflow)
        abort();   /* cmodel_build refused the catalog */

    /* Every type, and each entry point with its type. */
    tpl_value **type_ctx = calloc(cm->type_count + 1, sizeof *type_ctx);
    if (!type_ctx)
        abort();
    tpl_value *types = build_types(b, type_ctx);
    tpl_value *roots = tpl_list(ctx);

    /* Events and their versions. */
    tpl_value *events = tpl_list(ctx);
    tpl_value *versions = tpl_list(ctx);
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
        /* Bytes the largest of its envelopes adds. */
        long long overhead = 0;
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
            }
        }
        tpl_value *ev = tpl_list(ctx);
        size_t first_wire = e->wire_names.count ? wire_index(wb, nwires, e->wires[0]) : 0;
        for (size_t j = 0; j < e->version_count; j++) {
            const croot *r = &cm->versions[version_index];
            tpl_value *vm = describe_root(b, r, type_ctx[r->type->index]);
            long long size = b->size[r->type->index];
            bool bounded = size >= 0 && overhead >= 0;
            tpl_set_bool(ctx, vm, "has_wire_serialized_max", bounded && e->wire_names.count > 0);
            tpl_set_int(ctx, vm, "wire_serialized_max",
                        bounded ? size + 1 + overhead + json_len(e->name) +
                                      json_len(e->versions[j]->text)
                                : -1);
            tpl_set_bool(ctx, vm, "records_version", records_version(r->type));
            /* Read without a version, a document is the newest version's:
             * any other version states its own when written in a wire. */
            tpl_set_bool(ctx, vm, "is_newest", j + 1 == e->version_count);
            tpl_set_int(ctx, vm, "first_wire", (long long)first_wire);
            tpl_set_int(ctx, vm, "version_index", (long long)version_index);
            tpl_set_int(ctx, vm, "kind_value", (long long)++version_index);
            tpl_set_int(ctx, vm, "event_index", (long long)i);
            tpl_push(ev, vm);
            tpl_push(versions, vm);
            tpl_push(roots, vm);
        }
        tpl_set_value(ctx, em, "versions", ev);
        tpl_push(events, em);
    }

    /* Form payload types, numbered after the versions. */
    long long kind = (long long)version_index + 1;
    tpl_value *forms = tpl_list(ctx);
    tpl_value **form_roots = calloc(cm->form_count + 1, sizeof *form_roots);
    if (!form_roots)
        abort();
    for (size_t i = 0; i < cm->form_count; i++) {
        form_roots[i] = describe_root(b, &cm->forms[i], type_ctx[cm->forms[i].type->index]);
        tpl_set_int(ctx, form_roots[i], "kind_value", kind++);
        tpl_push(forms, form_roots[i]);
        tpl_push(roots, form_roots[i]);
    }
    for (size_t i = 0; i < nwires; i++) {
        tpl_set_str(ctx, wb[i].map, "members_var", cm->wire_members_vars[i]);
        tpl_set_str(ctx, wb[i].map, "payloads_var",
                    cm->wire_payloads_vars[i] ? cm->wire_payloads_vars[i] : "NULL");
    }
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
            const croot *r = cmodel_form_root(cm, fp->shape);
            if (!r)
                abort();   /* cmodel_build named every form payload */
            tpl_value *pm = tpl_map(ctx);
            tpl_set_value(ctx, pm, "value_c", c_literal_value(ctx, fp->value));
            tpl_set_str(ctx, pm, "type", r->type->name);
            tpl_set_str(ctx, pm, "kind", r->kind);
            tpl_set_str(ctx, pm, "parse_payload_fn", r->parse_payload_fn);
            tpl_set_str(ctx, pm, "write_payload_fn", r->write_payload_fn);
            tpl_push(payloads, pm);
        }
        text_buf msg = {0};
        expected_list(&msg, values, w->payload_count);
        tpl_set_value(ctx, wb[i].map, "select_message_c", c_literal_value(ctx, msg.data));
        free(msg.data);
        free(values);
        tpl_set_value(ctx, wb[i].map, "payloads", payloads);
        tpl_set_bool(ctx, wb[i].map, "has_payloads", true);
        tpl_set_int(ctx, wb[i].map, "payload_count", (long long)w->payload_count);
    }
    free(form_roots);
    free(type_ctx);

    /* The node table, with what a wrong constant is told at each node, and
     * which nodes are some wire's payload. */
    size_t nwires_all = nwires;
    int *payload_nodes = calloc(nwires + 1, sizeof *payload_nodes);
    if (!payload_nodes)
        abort();
    for (size_t k = 0; k < nwires; k++)
        payload_nodes[k] = wb[k].flat.payload_node;
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
        bool is_payload = false;
        for (size_t k = 0; k < nwires_all && !is_payload; k++)
            is_payload = payload_nodes[k] == (int)i;
        tpl_set_bool(ctx, nm, "payload", is_payload);
        if (wn->const_count) {
            text_buf msg = {0};
            expected_list(&msg, wn->consts, wn->const_count);
            tpl_set_value(ctx, nm, "expected_c", c_literal_value(ctx, msg.data));
            free(msg.data);
        } else {
            tpl_set_str(ctx, nm, "expected_c", "NULL");
        }
        tpl_push(nodes, nm);
        free(t.nodes[i].consts);
    }
    tpl_set_int(ctx, root, "first_root", t.first_root);
    free(t.nodes);
    text_buf nowire = {0};
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
    tpl_set_value(ctx, root, "no_wire_message_c", c_literal_value(ctx, nowire.data));
    free(nowire.data);

    free(payload_nodes);
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
    tpl_set_value(ctx, root, "roots", roots);
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
    cmodel cm;
    if (!cmodel_build(c, opt->prefix ? opt->prefix : "ev", &cm, d)) {
        cmodel_free(&cm);
        tpl_set_free(set);
        return false;
    }
    builder b = {tpl_ctx_new(), d, opt->catalog_path, &cm, NULL, NULL, NULL, NULL, NULL, 0, true};
    b.members_size = calloc(cm.type_count + 1, sizeof *b.members_size);
    b.size = calloc(cm.type_count + 1, sizeof *b.size);
    b.needs_required = calloc(cm.type_count + 1, sizeof *b.needs_required);
    b.min_len = calloc(cm.type_count + 1, sizeof *b.min_len);
    b.visited = calloc(cm.type_count + 1, sizeof *b.visited);
    if (!b.members_size || !b.size || !b.needs_required || !b.min_len || !b.visited)
        abort();
    compute_sizes(&b);
    compute_min_lengths(&b);
    tpl_value *root = build_root(&b, c, opt);
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
    /* The runtime, byte for byte, whatever the catalog. */
    for (size_t i = 0; ok && i < embedded_runtime_count; i++) {
        char *data = malloc(embedded_runtime[i].len + 1);
        if (!data)
            abort();
        memcpy(data, embedded_runtime[i].text, embedded_runtime[i].len + 1);
        add_file(out, embedded_runtime[i].name, data, embedded_runtime[i].len);
    }
    tpl_ctx_free(b.ctx);
    tpl_set_free(set);
    free(b.members_size);
    free(b.size);
    free(b.needs_required);
    free(b.min_len);
    free(b.visited);
    cmodel_free(&cm);
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
