/* emit_docs.c - the catalog as a Markdown reference and an SVG lifecycle
 * timeline (see emit_docs.h; the pages: docs/reference-docs.md).
 *
 * Files: README.md (the index), <product>.md per product that has events,
 * _no-product.md for the events of no product (when there are any), and
 * timeline.svg. Everything is in catalog order (products as listed, events
 * and versions as written), and depends only on the catalog, its file name
 * and the --today date, so the committed reference is reproducible.
 *
 * Examples are built from the model alone: constants, the first value of
 * an enum, one representative value per type, every optional property,
 * arrays with min_items elements (one when that is 0), the routing
 * members the wire reads (the event name, the version) filled in. An
 * example that would exceed EXAMPLE_MAX_BYTES is left out and the page says
 * so: arrays with large min_items nested in each other multiply.
 *
 * Property tables expand shapes used as types in place, each shape once
 * per table (a later use points at the first), so a table is at most as
 * long as the version's own properties plus every shape's. Recursion
 * follows the catalog's nesting only: envelopes (at most 8 levels), and
 * properties, where each shape adds at most the YAML depth (64) and shapes
 * nest at most 64 levels (the checker's limits), a few thousand small
 * frames at worst. */
#include "emit_docs.h"

#include <inttypes.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_wires.h"
#include "json_out.h"
#include "text_buf.h"

/* An example larger than this is not shown (pretty-printed bytes). */
#define EXAMPLE_MAX_BYTES (64 * 1024)

/* How deep the generated parsers let a document nest (objects and arrays,
 * envelope included): EVG_MAX_DEPTH's default in runtime/evgen_runtime.h.
 * An example keeps within it by leaving out optional values that would
 * not fit; one that cannot is not shown. */
#define PARSER_MAX_DEPTH 64

/* The largest part of a version a document can state (the version policy,
 * docs/dispatch.md): the catalog allows larger ones, which no document
 * can name. */
#define PARSER_MAX_VERSION_PART 999999u

/* MARK: dates */

static bool has_date(civil_date d) { return d.year > 0; }

static void add_date(text_buf *b, civil_date d)
{
    text_printf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
}

static int date_cmp(civil_date a, civil_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    return a.day < b.day ? -1 : a.day > b.day;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's
 * days_from_civil): timeline positions need exact day counts. */
static int64_t days_from_civil(civil_date d)
{
    int64_t y = d.year - (d.month <= 2);
    int64_t era = (y >= 0 ? y : y - 399) / 400;
    int64_t yoe = y - era * 400;
    int64_t mp = (d.month + 9) % 12;
    int64_t doy = (153 * mp + 2) / 5 + d.day - 1;
    int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    return era * 146097 + doe - 719468;
}

/* MARK: escaping */

/* Markdown inline text: every character CommonMark or GitHub could read as
 * markup is backslash-escaped (emphasis, code, links, HTML, entities,
 * tables, strikethrough, math), and control characters become spaces
 * (a catalog's texts are one line each). */
static void md_text(text_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch < 0x20 || ch == 0x7f)
            text_char(b, ' ');
        else if (strchr("\\`*_[]<>|~&$#", ch))
            text_char(b, '\\'), text_char(b, (char)ch);
        else
            text_char(b, (char)ch);
    }
}

/* Text that starts a line (a paragraph): leading blanks would make an
 * indented code block, and "+", "-", "=" or "1." a list or a heading. */
static void md_paragraph(text_buf *b, const char *s)
{
    while (*s == ' ' || *s == '\t')
        s++;
    if (*s == '+' || *s == '-' || *s == '=') {
        text_char(b, '\\');
    } else {
        const char *digits = s;
        while (*digits >= '0' && *digits <= '9')
            digits++;
        if (digits != s && (*digits == '.' || *digits == ')')) {
            text_add(b, s, (size_t)(digits - s));
            text_char(b, '\\');
            s = digits;
        }
    }
    md_text(b, s);
}

/* A code span of s[0..n): delimited by one backtick more than the longest
 * run inside, padded with a space when the text starts or ends with a
 * backtick or a space (CommonMark strips one on each side). In a table
 * cell a '|' must be written '\|' even inside code (GFM splits cells
 * first). An empty text cannot be a code span. */
static void md_code_n(text_buf *b, const char *s, size_t n, bool in_table)
{
    if (n == 0) {
        text_str(b, "*(empty)*");
        return;
    }
    size_t longest = 0, run = 0;
    for (size_t i = 0; i < n; i++) {
        run = s[i] == '`' ? run + 1 : 0;
        if (run > longest)
            longest = run;
    }
    bool pad = s[0] == '`' || s[0] == ' ' || s[n - 1] == '`' || s[n - 1] == ' ';
    for (size_t i = 0; i <= longest; i++)
        text_char(b, '`');
    if (pad)
        text_char(b, ' ');
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)s[i];
        if (ch == '|' && in_table)
            text_str(b, "\\|");
        else if (ch < 0x20)
            text_char(b, ' ');
        else
            text_char(b, (char)ch);
    }
    if (pad)
        text_char(b, ' ');
    for (size_t i = 0; i <= longest; i++)
        text_char(b, '`');
}

static void md_code(text_buf *b, const char *s, bool in_table) { md_code_n(b, s, strlen(s), in_table); }

/* s as a JSON string literal: what a document holds, control characters
 * and all made visible. */
static void json_quote(text_buf *b, const char *s)
{
    text_char(b, '"');
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        switch (ch) {
        case '"': text_str(b, "\\\""); break;
        case '\\': text_str(b, "\\\\"); break;
        case '\n': text_str(b, "\\n"); break;
        case '\r': text_str(b, "\\r"); break;
        case '\t': text_str(b, "\\t"); break;
        default:
            if (ch < 0x20)
                text_printf(b, "\\u%04x", ch);
            else
                text_char(b, (char)ch);
        }
    }
    text_char(b, '"');
}

/* A string value as code: `"phone"`. */
static void md_json_code(text_buf *b, const char *s, bool in_table)
{
    text_buf q = {0};
    json_quote(&q, s);
    md_code_n(b, q.data, q.len, in_table);
    text_free(&q);
}

/* XML character data and attribute values. Characters XML 1.0 forbids
 * (controls other than tab, newline, return) become U+FFFD. */
static void xml_text(text_buf *b, const char *s)
{
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        switch (ch) {
        case '&': text_str(b, "&amp;"); break;
        case '<': text_str(b, "&lt;"); break;
        case '>': text_str(b, "&gt;"); break;
        case '"': text_str(b, "&quot;"); break;
        case '\'': text_str(b, "&#39;"); break;
        default:
            if (ch < 0x20 && ch != '\t' && ch != '\n' && ch != '\r')
                text_str(b, "\xef\xbf\xbd");
            else
                text_char(b, (char)ch);
        }
    }
}

/* Characters on screen, roughly: UTF-8 lead bytes (labels' widths). */
static size_t text_columns(const char *s)
{
    size_t n = 0;
    for (; *s; s++)
        n += ((unsigned char)*s & 0xc0) != 0x80;
    return n;
}

/* A property path: keys joined by '.', "[]" for an array's items, "{}"
 * for a map's values; a key with anything but letters, digits, '_', '$'
 * and '-' (or empty) is written as a JSON string, so a path reads one way
 * only. */
static void path_append_key(text_buf *path, const char *key)
{
    bool plain = *key != '\0';
    for (const char *p = key; *p && plain; p++)
        plain = (*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
                *p == '_' || *p == '$' || *p == '-';
    if (plain)
        text_str(path, key);
    else
        json_quote(path, key);
}

/* MARK: the emitter */

typedef struct shape_slot {
    uintptr_t key;
    size_t index;
} shape_slot;

typedef struct docs_emitter {
    const catalog *c;
    const docs_options *opt;
    const char *catalog_name; /* the catalog's file name, without directories */
    shape_slot *slots;        /* c->shapes by address, for shape_index */
    char **listed_at;         /* per shape: the path the current table lists it at */
    size_t *listed;           /* the shapes the current table lists, listed_count of them */
    size_t listed_count;
    text_buf path;                /* the current table's property path */
} docs_emitter;

#define NO_SHAPE SIZE_MAX

static int slot_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const shape_slot *)a)->key, y = ((const shape_slot *)b)->key;
    return x < y ? -1 : x > y;
}

static size_t shape_index(const docs_emitter *em, const shape *s)
{
    shape_slot want = {(uintptr_t)s, 0};
    const shape_slot *hit =
        s ? bsearch(&want, em->slots, em->c->shape_count, sizeof *em->slots, slot_cmp) : NULL;
    return hit ? hit->index : NO_SHAPE;
}

/* Ready for the next table: only the shapes this one listed (clearing
 * every shape per table would cost versions x shapes). */
static void forget_listed_shapes(docs_emitter *em)
{
    for (size_t i = 0; i < em->listed_count; i++) {
        free(em->listed_at[em->listed[i]]);
        em->listed_at[em->listed[i]] = NULL;
    }
    em->listed_count = 0;
}

/* The page an event's sections are on. */
static void page_name(text_buf *b, const catalog *c, const event *e)
{
    if (e->product_index >= 0 && (size_t)e->product_index < c->products.count) {
        text_str(b, c->products.items[e->product_index]);
        text_str(b, ".md");
    } else {
        text_str(b, DOCS_NO_PRODUCT_PAGE);
    }
}

/* The HTML id of a version's section: event names have no ':', so
 * "<event>:<version>" never meets another event's id. */
static void version_anchor(text_buf *b, const event *e, const event_version *v)
{
    text_str(b, e->name);
    text_char(b, ':');
    text_str(b, v->text);
}

static const char *direction_text(direction d)
{
    return d == DIRECTION_SEND ? "sent" : "received";
}

/* MARK: property tables */

static void type_text(text_buf *b, const prop *p)
{
    for (const prop *t = p; t; t = t->items) {
        switch (t->kind) {
        case PROP_ARRAY: text_str(b, t->items ? "array of " : "array"); continue;
        case PROP_MAP: text_str(b, t->items ? "map of " : "map"); continue;
        case PROP_STRING: text_str(b, "string"); break;
        case PROP_BOOLEAN: text_str(b, "boolean"); break;
        case PROP_INTEGER: text_str(b, "integer"); break;
        case PROP_NUMBER: text_str(b, "number"); break;
        case PROP_CONST: text_str(b, "string constant"); break;
        case PROP_ENUM: text_str(b, "string enum"); break;
        case PROP_ANY: text_str(b, "any JSON value"); break;
        case PROP_OBJECT:
        case PROP_SHAPE_REF:
            text_str(b, "object");
            if (t->shape) {
                text_str(b, " (shape ");
                md_code(b, t->shape->name, true);
                text_char(b, ')');
            }
            break;
        }
        break;
    }
    if (p->nullable)
        text_str(b, " or null");
}

static void item_count_text(text_buf *b, const prop *array)
{
    int64_t lo = array->min_items, hi = array->max_items;
    const char *unit_hi = hi == 1 ? "item" : "items";
    if (lo > 0 && hi >= 0 && lo == hi)
        text_printf(b, "exactly %" PRId64 " %s", hi, unit_hi);
    else if (lo > 0 && hi >= 0)
        text_printf(b, "%" PRId64 " to %" PRId64 " items", lo, hi);
    else if (lo > 0)
        text_printf(b, "at least %" PRId64 " %s", lo, lo == 1 ? "item" : "items");
    else if (hi == 0)
        text_str(b, "no items");
    else if (hi > 0)
        text_printf(b, "at most %" PRId64 " %s", hi, unit_hi);
}

/* Constants, enum values and array bounds, down through arrays and maps,
 * joined by "; " ("2 to 3 items; each one of ..."). */
static void allowed_text(text_buf *b, const prop *p)
{
    bool elements = false;   /* describing what a container holds */
    bool written = false;
    for (const prop *t = p; t; t = t->kind == PROP_ARRAY || t->kind == PROP_MAP ? t->items : NULL) {
        bool bounded = t->kind == PROP_ARRAY && (t->min_items > 0 || t->max_items >= 0);
        bool values = t->kind == PROP_CONST || t->kind == PROP_ENUM;
        if (bounded || values) {
            if (written)
                text_str(b, "; ");
            if (elements)
                text_str(b, "each ");
            written = true;
        }
        if (bounded)
            item_count_text(b, t);
        if (t->kind == PROP_CONST)
            md_json_code(b, t->const_value ? t->const_value : "", true);
        if (t->kind == PROP_ENUM) {
            if (t->enum_values.count > 1)
                text_str(b, "one of ");
            for (size_t i = 0; i < t->enum_values.count; i++) {
                if (i)
                    text_str(b, ", ");
                md_json_code(b, t->enum_values.items[i], true);
            }
        }
        elements = true;
    }
}

static void property_rows(docs_emitter *em, text_buf *out, const prop_list *props);

/* One row, then the rows of the object it holds (through arrays and
 * maps), unless that object is a shape this table lists already. */
static void property_row(docs_emitter *em, text_buf *out, const prop *p)
{
    size_t mark = em->path.len;
    if (mark)
        text_char(&em->path, '.');
    path_append_key(&em->path, p->name);
    size_t key_end = em->path.len;
    const prop *inner = p;
    while ((inner->kind == PROP_ARRAY || inner->kind == PROP_MAP) && inner->items) {
        text_str(&em->path, inner->kind == PROP_ARRAY ? "[]" : "{}");
        inner = inner->items;
    }
    bool expand = inner->kind == PROP_OBJECT;
    const char *listed_at = NULL;
    size_t si = expand ? shape_index(em, inner->shape) : NO_SHAPE;
    if (si != NO_SHAPE) {
        if (em->listed_at[si]) {
            listed_at = em->listed_at[si];
            expand = false;
        } else {
            em->listed_at[si] = xstrdup(em->path.data);
            em->listed[em->listed_count++] = si;   /* each shape once: fits shape_count */
        }
    }

    text_str(out, "| ");
    md_code_n(out, em->path.data, key_end, true);
    text_str(out, " | ");
    type_text(out, p);
    text_str(out, p->required ? " | yes | " : " | no | ");
    allowed_text(out, p);
    text_str(out, " | ");
    const char *doc = p->doc;
    if (!doc && inner != p)
        doc = inner->doc;
    if (!doc && inner->kind == PROP_OBJECT && inner->shape)
        doc = inner->shape->doc;
    if (doc)
        md_text(out, doc);
    if (listed_at) {
        text_str(out, doc ? " (properties: as " : "Properties: as ");
        md_code(out, listed_at, true);
        text_str(out, doc ? ")" : ".");
    }
    text_str(out, " |\n");

    if (expand)
        property_rows(em, out, &inner->props);
    text_truncate(&em->path, mark);
}

static void property_rows(docs_emitter *em, text_buf *out, const prop_list *props)
{
    for (size_t i = 0; i < props->count; i++)
        if (props->items[i]->name)
            property_row(em, out, props->items[i]);
}

static void properties_table(docs_emitter *em, text_buf *out, const event_version *v)
{
    size_t named = 0;
    for (size_t i = 0; i < v->props.count; i++)
        named += v->props.items[i]->name != NULL;
    if (!named) {
        text_str(out, "No properties: the payload is an empty object.\n\n");
        return;
    }
    text_str(out, "| property | type | required | allowed values | description |\n"
                "|---|---|---|---|---|\n");
    forget_listed_shapes(em);
    text_truncate(&em->path, 0);
    property_rows(em, out, &v->props);
    forget_listed_shapes(em);
    text_char(out, '\n');
}

/* MARK: example documents */

typedef struct example {
    jw w;
    unsigned depth;        /* containers open, as the parser counts them */
    bool too_big, too_deep;
} example;

/* The payload members a wire routes by, with the values this document
 * must give them (a constant or enum there allows exactly that value: the
 * checker makes sure). */
typedef struct routing_values {
    const char *version_key, *version;
    const char *name_key, *name;
} routing_values;

static void example_value(example *x, const prop *p);

/* Whether p's example value opens a container (one level deeper). */
static bool opens_level(const prop *p)
{
    return p->kind == PROP_OBJECT || p->kind == PROP_SHAPE_REF || p->kind == PROP_ARRAY ||
           p->kind == PROP_MAP || p->kind == PROP_ANY;
}

static bool level_left(const example *x) { return x->depth < PARSER_MAX_DEPTH; }

static void example_open(example *x, char bracket)
{
    jw_begin(&x->w, bracket);
    x->depth++;
}

static void example_close(example *x, char bracket)
{
    jw_end(&x->w, bracket);
    x->depth--;
}

/* An object's members: every property, but an optional one whose value
 * would nest deeper than the parsers allow. */
static void example_object(example *x, const prop_list *props, const routing_values *r)
{
    example_open(x, '{');
    for (size_t i = 0; i < props->count && !x->too_big && !x->too_deep; i++) {
        const prop *p = props->items[i];
        if (!p->name)
            continue;
        bool fits = !opens_level(p) || level_left(x);
        if (!fits && !p->required && !p->nullable)
            continue;
        jw_key(&x->w, p->name);
        if (r && r->version_key && strcmp(p->name, r->version_key) == 0)
            jw_str(&x->w, r->version);
        else if (r && r->name_key && strcmp(p->name, r->name_key) == 0)
            jw_str(&x->w, r->name);
        else if (!fits && p->nullable)
            jw_raw(&x->w, "null");
        else
            example_value(x, p);
    }
    example_close(x, '}');
}

/* Elements an example array gets: what min_items asks, at least one
 * (to show its type) unless max_items is 0. */
static int64_t example_item_count(const prop *array)
{
    if (array->min_items > 1)
        return array->min_items;
    return array->max_items == 0 ? 0 : 1;
}

static void example_value(example *x, const prop *p)
{
    if (x->w.len > EXAMPLE_MAX_BYTES)
        x->too_big = true;
    if (x->too_big || x->too_deep) {
        jw_raw(&x->w, "null");   /* the text is dropped: only keep it well formed */
        return;
    }
    switch (p->kind) {
    case PROP_STRING: jw_str(&x->w, "string"); break;
    case PROP_BOOLEAN: jw_raw(&x->w, "true"); break;
    case PROP_INTEGER: jw_raw(&x->w, "1"); break;
    case PROP_NUMBER: jw_raw(&x->w, "1.5"); break;
    case PROP_CONST: jw_str(&x->w, p->const_value ? p->const_value : ""); break;
    case PROP_ENUM:
        jw_str(&x->w, p->enum_values.count ? p->enum_values.items[0] : "");
        break;
    case PROP_OBJECT:
    case PROP_SHAPE_REF:   /* (not after resolution) */
        if (!level_left(x))
            x->too_deep = true;
        example_object(x, &p->props, NULL);
        break;
    case PROP_ARRAY: {
        int64_t n = p->items ? example_item_count(p) : 0;
        if (!level_left(x))
            x->too_deep = true;
        example_open(x, '[');
        /* Items that would nest too deep: none, when the array may be empty. */
        if (n && p->min_items == 0 && opens_level(p->items) && !level_left(x))
            n = 0;
        for (int64_t i = 0; i < n && !x->too_big && !x->too_deep; i++)
            example_value(x, p->items);
        example_close(x, ']');
        break;
    }
    case PROP_MAP:
        if (!level_left(x))
            x->too_deep = true;
        example_open(x, '{');
        if (p->items && (!opens_level(p->items) || level_left(x))) {   /* a map may be empty */
            jw_key(&x->w, "key");
            example_value(x, p->items);
        }
        example_close(x, '}');
        break;
    case PROP_ANY:
        /* Any JSON value: an empty object, or a number where no level is left. */
        if (level_left(x)) {
            example_open(x, '{');
            example_close(x, '}');
        } else {
            jw_raw(&x->w, "1");
        }
        break;
    }
}

static void example_envelope(example *x, const member_list *ms, const event *e,
                             const event_version *v, const routing_values *r)
{
    example_open(x, '{');
    for (size_t i = 0; i < ms->count && !x->too_big && !x->too_deep; i++) {
        const wire_member *m = ms->items[i];
        jw_key(&x->w, m->key);
        switch (m->role) {
        case ROLE_OBJECT: example_envelope(x, &m->members, e, v, r); break;
        case ROLE_CONST: jw_str(&x->w, m->value ? m->value : ""); break;
        case ROLE_NAME: jw_str(&x->w, e->name); break;
        case ROLE_VERSION: jw_str(&x->w, v->text); break;
        case ROLE_PAYLOAD: example_object(x, &v->props, r); break;
        }
    }
    example_close(x, '}');
}

/* A fenced block of JSON. Every line of pretty-printed JSON starts with
 * spaces and then a bracket, a quote or a letter or digit, never with a
 * backtick, so no line of it can close the fence, whatever the strings
 * hold. */
static void md_json_block(text_buf *out, const char *json, size_t len)
{
    text_str(out, "```json\n");
    text_add(out, json, len);
    if (len && json[len - 1] != '\n')
        text_char(out, '\n');
    text_str(out, "```\n\n");
}

static void example_block(text_buf *out, example *x)
{
    if (x->too_big)
        text_printf(out, "The example is left out: it would be over %d bytes.\n\n", EXAMPLE_MAX_BYTES);
    else if (x->too_deep)
        text_printf(out, "The example is left out: it would nest deeper than %d levels, which the "
                    "generated parsers refuse (EVG\\_MAX\\_DEPTH).\n\n", PARSER_MAX_DEPTH);
    else
        md_json_block(out, x->w.data, x->w.len);
    free(x->w.data);
    memset(x, 0, sizeof *x);
}

/* MARK: wires */

/* The JSON Pointer of the (first) member of a role, into b; false: none. */
static bool member_pointer(text_buf *b, const member_list *ms, member_role role)
{
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        size_t mark = b->len;
        text_pointer_token(b, m->key);
        if (m->role == role || (m->role == ROLE_OBJECT && member_pointer(b, &m->members, role)))
            return true;
        text_truncate(b, mark);
    }
    return false;
}

static const char *wire_noun(const wire *w) { return w->base ? "form" : "wire"; }

/* The wire, and the forms of it that carry its events (not a form with
 * `select`: that one carries reports). */
typedef struct wire_walk {
    const wire *base;
    size_t next_form;   /* 0: the base itself is next */
} wire_walk;

static const wire *wire_walk_next(wire_walk *it)
{
    if (!it->base)
        return NULL;
    while (it->next_form <= it->base->form_count) {
        size_t f = it->next_form++;
        const wire *w = f ? it->base->forms[f - 1] : it->base;
        if (!w->select)
            return w;
    }
    return NULL;
}

static bool version_statable(const event_version *v)
{
    return v->v.major <= PARSER_MAX_VERSION_PART && v->v.minor <= PARSER_MAX_VERSION_PART &&
           v->v.patch <= PARSER_MAX_VERSION_PART;
}

/* "#### Wire `x`" and an example document of version v in it. */
static void wire_example(text_buf *out, const wire *w, const event *e, const event_version *v,
                         bool newest)
{
    text_printf(out, "#### %s ", w->base ? "Form" : "Wire");
    md_code(out, w->name, false);
    text_str(out, "\n\n");
    if (w->doc) {
        md_paragraph(out, w->doc);
        text_str(out, "\n\n");
    }
    if (!version_statable(v)) {
        text_str(out, "No document can state version ");
        md_text(out, v->text);
        text_printf(out, ": the generated parsers read each part of a version up to %u, so there is "
                    "no example of this one.\n\n", PARSER_MAX_VERSION_PART);
        return;
    }
    if (!wire_states_version(w) && !newest) {
        text_str(out, "Documents in this ");
        text_str(out, wire_noun(w));
        text_str(out, " carry no version: they are parsed as the newest version of the event, ");
        md_text(out, e->versions[e->version_count - 1]->text);
        text_str(out, ", so there is no example of this one.\n\n");
        return;
    }
    routing_values r = {w->payload_version, v->text, w->payload_name, e->name};
    example x = {0};
    example_envelope(&x, &w->members, e, v, &r);
    example_block(out, &x);
}

/* An event of no wire is parsed bare; it names no version there (no wire
 * says where), so only its newest version has an example. */
static void bare_example(text_buf *out, const event *e, const event_version *v, bool newest)
{
    text_str(out, "#### Bare payload\n\n"
                "This event travels in no wire: its payload is parsed alone.\n\n");
    if (!newest) {
        text_str(out, "A bare payload names no version: it is parsed as the newest version, ");
        md_text(out, e->versions[e->version_count - 1]->text);
        text_str(out, ", so there is no example of this one.\n\n");
        return;
    }
    example x = {0};
    example_object(&x, &v->props, NULL);
    example_block(out, &x);
}

/* MARK: pages */

static void date_cell(text_buf *b, civil_date d)
{
    if (has_date(d))
        add_date(b, d);
    else
        text_str(b, "-");
}

static void version_link(text_buf *out, const event *e, size_t vi)
{
    text_char(out, '[');
    md_text(out, e->versions[vi]->text);
    text_str(out, "](#");
    version_anchor(out, e, e->versions[vi]);
    text_char(out, ')');
}

/* Where version vi stands among its event's versions. The first (oldest)
 * section lists them all; every other links the versions next to it and
 * that list. A list in every section would make a page quadratic in the
 * versions of an event (8,000 versions: 1.78 GB). */
static void version_links(text_buf *out, const event *e, size_t vi)
{
    if (vi == 0) {
        text_str(out, " (versions of this event: ");
        md_text(out, e->versions[0]->text);
        for (size_t i = 1; i < e->version_count; i++) {
            text_str(out, ", ");
            version_link(out, e, i);
        }
        text_char(out, ')');
        return;
    }
    text_printf(out, " (%zu of %zu; older: ", vi + 1, e->version_count);
    version_link(out, e, vi - 1);
    if (vi + 1 < e->version_count) {
        text_str(out, ", newer: ");
        version_link(out, e, vi + 1);
    }
    if (vi > 1) {   /* (the oldest, which lists them, is not the older one) */
        text_str(out, "; [every version](#");
        version_anchor(out, e, e->versions[0]);
        text_char(out, ')');
    }
    text_char(out, ')');
}

static void version_section(docs_emitter *em, text_buf *out, const event *e, size_t vi)
{
    const event_version *v = e->versions[vi];
    text_str(out, "<a id=\"");
    version_anchor(out, e, v);
    text_str(out, "\"></a>\n\n## ");
    md_text(out, e->name);
    text_char(out, ' ');
    md_text(out, v->text);
    text_str(out, "\n\n");
    if (e->summary) {
        md_paragraph(out, e->summary);
        text_str(out, "\n\n");
    }

    text_str(out, "- **Event:** ");
    md_code(out, e->name, false);
    text_str(out, "\n- **Version:** ");
    md_text(out, v->text);
    if (e->version_count > 1)
        version_links(out, e, vi);
    text_printf(out, "\n- **Direction:** %s (the application %s it)", direction_text(e->direction),
           e->direction == DIRECTION_SEND ? "sends" : "receives");
    if (e->product) {
        text_str(out, "\n- **Product:** ");
        md_text(out, e->product);
    }
    text_printf(out, "\n- **Status:** %s (as published)", status_name(v->status));
    text_str(out, "\n- **Active:** ");
    date_cell(out, v->active);
    text_str(out, "\n- **Deprecated:** ");
    date_cell(out, v->deprecated);
    text_str(out, "\n- **Sunset:** ");
    date_cell(out, v->sunset);
    if (v->extends.count) {
        text_str(out, "\n- **Extends:** ");
        for (size_t i = 0; i < v->extends.count; i++) {
            if (i)
                text_str(out, ", ");
            text_str(out, "shape ");
            md_code(out, v->extends.items[i], false);
        }
        text_str(out, " (inherited properties come first)");
    }
    if (e->version_required)
        text_str(out, "\n- **Version required:** yes: a document without its version is an error");
    text_str(out, "\n\n### Properties\n\n");
    properties_table(em, out, v);

    bool newest = vi + 1 == e->version_count;
    text_str(out, "### Examples\n\n");
    size_t wires = 0;
    for (size_t i = 0; i < e->wire_names.count; i++) {
        wire_walk it = {e->wires ? e->wires[i] : NULL, 0};
        for (const wire *w = wire_walk_next(&it); w; w = wire_walk_next(&it)) {
            wire_example(out, w, e, v, newest);
            wires++;
        }
    }
    if (!wires)
        bare_example(out, e, v, newest);
}

/* The overview of a page's events, as the upstream overviews list them:
 * one table per direction, a row per version. */
static void overview_tables(text_buf *out, const catalog *c, int product_index)
{
    for (int dir = DIRECTION_RECEIVED; dir <= DIRECTION_SEND; dir++) {
        bool any = false;
        for (size_t i = 0; i < c->event_count; i++) {
            const event *e = c->events[i];
            if (e->product_index != product_index || (int)e->direction != dir)
                continue;
            if (!any) {
                text_str(out, dir == DIRECTION_SEND ? "## Sent\n\n" : "## Received\n\n");
                text_str(out, "| event | version | status | active | deprecated | sunset |\n"
                            "|---|---|---|---|---|---|\n");
                any = true;
            }
            for (size_t j = 0; j < e->version_count; j++) {
                const event_version *v = e->versions[j];
                text_str(out, "| [");
                md_text(out, e->name);
                text_str(out, "](#");
                version_anchor(out, e, v);
                text_str(out, ") | ");
                md_text(out, v->text);
                text_printf(out, " | %s | ", status_name(v->status));
                date_cell(out, v->active);
                text_str(out, " | ");
                date_cell(out, v->deprecated);
                text_str(out, " | ");
                date_cell(out, v->sunset);
                text_str(out, " |\n");
            }
        }
        if (any)
            text_char(out, '\n');
    }
}

static void generated_note(text_buf *out, const docs_emitter *em)
{
    text_str(out, DOCS_GENERATED_MARK);
    md_code(out, em->catalog_name, false);
    text_str(out, ": do not edit.\n");
}

static void count_events(const catalog *c, int product_index, size_t *events, size_t *versions,
                         size_t *received, size_t *sent)
{
    *events = *versions = *received = *sent = 0;
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        if (e->product_index != product_index)
            continue;
        (*events)++;
        *versions += e->version_count;
        if (e->direction == DIRECTION_SEND)
            (*sent)++;
        else
            (*received)++;
    }
}

static void product_page(docs_emitter *em, text_buf *out, int product_index)
{
    const catalog *c = em->c;
    if (product_index >= 0) {
        text_str(out, "# Product ");
        md_text(out, c->products.items[product_index]);
    } else {
        text_str(out, "# Events of no product");
    }
    text_str(out, "\n\n[Index](README.md) · [Lifecycle timeline](timeline.svg)\n\n");
    if (product_index < 0)
        text_str(out, "These events belong to no product (a protocol's own messages, say): they are "
                    "routed and parsed like any other, but never listed by product.\n\n");
    size_t events, versions, received, sent;
    count_events(c, product_index, &events, &versions, &received, &sent);
    if (!events)
        text_str(out, "No event belongs to this product.\n\n");
    overview_tables(out, c, product_index);
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        if (e->product_index != product_index)
            continue;
        for (size_t j = 0; j < e->version_count; j++)
            version_section(em, out, e, j);
    }
    text_str(out, "---\n\n");
    generated_note(out, em);
}

static void wire_row(text_buf *out, const catalog *c, const wire *w)
{
    text_str(out, "| ");
    md_code(out, w->name, true);
    text_str(out, " | ");
    text_buf ptr = {0};
    if (member_pointer(&ptr, &w->members, ROLE_NAME)) {
        md_code(out, ptr.data, true);
    } else if (w->payload_name) {
        text_truncate(&ptr, 0);
        member_pointer(&ptr, &w->members, ROLE_PAYLOAD);
        text_pointer_token(&ptr, w->payload_name);
        md_code(out, ptr.data, true);
    } else {
        const wire *base = w->base ? w->base : w;
        text_str(out, "none: carries ");
        if (base->fixed_event)
            md_code(out, base->fixed_event->name, true);
        else
            text_str(out, "no event");
    }
    text_str(out, " | ");
    text_truncate(&ptr, 0);
    if (w->select) {
        text_str(out, "-");
    } else if (member_pointer(&ptr, &w->members, ROLE_VERSION)) {
        md_code(out, ptr.data, true);
    } else if (w->payload_version) {
        text_truncate(&ptr, 0);
        member_pointer(&ptr, &w->members, ROLE_PAYLOAD);
        text_pointer_token(&ptr, w->payload_version);
        md_code(out, ptr.data, true);
    } else {
        text_str(out, "none: the newest version");
    }
    text_str(out, " | ");
    text_truncate(&ptr, 0);
    if (member_pointer(&ptr, &w->members, ROLE_PAYLOAD))   /* (every wire has one) */
        md_code(out, ptr.data, true);
    text_free(&ptr);
    text_str(out, " | ");
    if (w->select) {
        text_str(out, "a report, by ");
        md_code(out, w->select, true);
        text_str(out, ": ");
        for (size_t i = 0; i < w->payload_count; i++) {
            if (i)
                text_str(out, ", ");
            const form_payload *fp = w->payloads[i];
            md_json_code(out, fp->value, true);
            text_str(out, " (shape ");
            md_code(out, fp->shape_name, true);
            text_char(out, ')');
        }
    } else {
        size_t n = 0;
        for (size_t i = 0; i < c->event_count; i++)
            n += wire_carries(w, c->events[i]);
        text_printf(out, "%zu %s", n, n == 1 ? "event" : "events");
    }
    text_str(out, " | ");
    if (w->doc)
        md_text(out, w->doc);
    text_str(out, " |\n");
}

static void index_page(docs_emitter *em, text_buf *out)
{
    const catalog *c = em->c;
    text_str(out, "# Event reference\n\n");
    text_str(out, "Every event of the catalog ");
    md_code(out, em->catalog_name, false);
    text_str(out, ", version by version: its lifecycle, its properties and an example document "
                "in each wire (envelope) it travels in.\n\n");

    text_str(out, "## Products\n\n"
                "| product | events | versions | received | sent |\n"
                "|---|---|---|---|---|\n");
    size_t events, versions, received, sent;
    for (size_t p = 0; p < c->products.count; p++) {
        count_events(c, (int)p, &events, &versions, &received, &sent);
        text_str(out, "| [");
        md_text(out, c->products.items[p]);
        text_str(out, "](");
        text_str(out, c->products.items[p]);
        text_printf(out, ".md) | %zu | %zu | %zu | %zu |\n", events, versions, received, sent);
    }
    count_events(c, -1, &events, &versions, &received, &sent);
    if (events)
        text_printf(out, "| [(no product)](%s) | %zu | %zu | %zu | %zu |\n", DOCS_NO_PRODUCT_PAGE,
               events, versions, received, sent);
    text_char(out, '\n');

    text_str(out, "## Lifecycle\n\n"
                "![Lifecycle timeline: one bar per event version, grouped by product]"
                "(timeline.svg)\n\n"
                "One bar per event version, from its active date: green while active, amber "
                "once deprecated, ending in a red mark on its sunset date; an arrow at the right "
                "end means no sunset date (or no deprecation date either) is set. The dates are "
                "the catalog's; its published status is on each version's section.\n\n");

    text_str(out, "## Wires\n\n");
    if (!c->wire_count) {
        text_str(out, "The catalog has no wires: every event is parsed bare, its payload alone.\n\n");
    } else {
        text_str(out, "The envelopes events travel in, and where a document of each holds the "
                    "event name, its version and the payload (JSON Pointers). A form is an "
                    "alternative of its wire; a form with a selector carries a report instead "
                    "of the event.\n\n"
                    "| wire | name at | version at | payload at | carries | description |\n"
                    "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < c->wire_count; i++) {
            wire_row(out, c, c->wires[i]);
            for (size_t f = 0; f < c->wires[i]->form_count; f++)
                wire_row(out, c, c->wires[i]->forms[f]);
        }
        text_char(out, '\n');
    }

    text_str(out, "## Reading the pages\n\n"
                "- A property's path joins the keys of nested objects with `.`; `[]` stands for "
                "the items of an array and `{}` for the values of a map (`messages[].id`, "
                "`labels{}`). A key that is not made of letters, digits, `_`, `$` and `-` is "
                "written as a JSON string.\n"
                "- *required* is relative to the object that holds the property. Keys the "
                "catalog does not list are skipped when parsing (an error in strict mode).\n"
                "- A shape (a named set of properties) used as a type is expanded where it is "
                "first used in a table; later uses point there.\n"
                "- `integer` is a whole number without fraction or exponent that fits 64 bits; "
                "`number` any finite number; constants and enum values are strings.\n"
                "- The examples are built from the catalog, not taken from upstream samples: "
                "every optional property is present, strings are `\"string\"`, integers `1`, "
                "numbers `1.5`, booleans `true`, any JSON value `{}`, an enum its first value, "
                "an array `min_items` items (at least one), a map one key `\"key\"`. Each is "
                "accepted by the parsers evgen generates from the same catalog.\n\n"
                "---\n\n");
    generated_note(out, em);
}

/* MARK: the lifecycle timeline */

/* Layout, in pixels. Labels are monospace, so a label column as wide as
 * the longest label times CHAR_TENTHS / 10 holds every one. */
enum {
    FONT_SIZE = 12,
    CHAR_TENTHS = 72,        /* advance of a 12px monospace character, in 1/10 px */
    PAD = 10,
    ROW_H = 20,
    GROUP_H = 24,
    BAR_H = 12,
    TITLE_Y = 20,
    LEGEND_Y = 44,
    AXIS_LABEL_Y = 70,
    AXIS_Y = 76,
    YEAR_PX = 240,           /* a year's width when the axis spans few years */
    MAX_AXIS_PX = 1200,      /* the axis' width when it spans many */
    ARROW_W = 8,
    RIGHT_MARGIN = 24,
};

#define COLOR_ACTIVE "#43a047"
#define COLOR_DEPRECATED "#fb8c00"
#define COLOR_SUNSET "#c62828"
#define COLOR_TODAY "#1e88e5"
#define COLOR_GRID "#d0d0d0"
#define COLOR_BAND "#f4f4f4"

typedef struct time_axis {
    int first_year;          /* the axis starts on January 1 of it */
    int years;               /* and runs this many whole years */
    int64_t start_days, span_days;
    int left, width;         /* pixels */
} time_axis;

static int axis_x(const time_axis *a, civil_date d)
{
    int64_t off = days_from_civil(d) - a->start_days;
    return a->left + (int)(off * a->width / a->span_days);
}

static int axis_right(const time_axis *a) { return a->left + a->width; }

static int label_px(size_t columns) { return (int)((columns * CHAR_TENTHS + 9) / 10); }

/* A group of rows: a product (index into c->products), or the events of
 * no product (-1). */
static size_t group_versions(const catalog *c, int product_index)
{
    size_t n = 0;
    for (size_t i = 0; i < c->event_count; i++)
        if (c->events[i]->product_index == product_index)
            n += c->events[i]->version_count;
    return n;
}

/* Groups in order: the products as listed, then the events of no product. */
static int group_at(const catalog *c, size_t position)
{
    return position < c->products.count ? (int)position : -1;
}

static const char *group_name(const catalog *c, int product_index)
{
    return product_index >= 0 ? c->products.items[product_index] : "(no product)";
}

static void svg_legend_item(text_buf *out, int *x, const char *swatch, const char *label)
{
    text_str(out, swatch);
    text_printf(out, "<text x=\"%d\" y=\"%d\">", *x + 22, LEGEND_Y + 4);
    xml_text(out, label);
    text_str(out, "</text>\n");
    *x += 22 + label_px(text_columns(label)) + 2 * PAD;
}

static void svg_legend(text_buf *out, civil_date today)
{
    int x = PAD;
    char swatch[256];
    snprintf(swatch, sizeof swatch,
             "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"%d\" fill=\"" COLOR_ACTIVE "\"/>\n", x,
             LEGEND_Y - BAR_H / 2, BAR_H);
    svg_legend_item(out, &x, swatch, "active");
    snprintf(swatch, sizeof swatch,
             "<rect x=\"%d\" y=\"%d\" width=\"16\" height=\"%d\" fill=\"" COLOR_DEPRECATED "\"/>\n",
             x, LEGEND_Y - BAR_H / 2, BAR_H);
    svg_legend_item(out, &x, swatch, "deprecated");
    snprintf(swatch, sizeof swatch,
             "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COLOR_SUNSET
             "\" stroke-width=\"3\"/>\n",
             x + 8, LEGEND_Y - BAR_H / 2 - 2, x + 8, LEGEND_Y + BAR_H / 2 + 2);
    svg_legend_item(out, &x, swatch, "sunset");
    snprintf(swatch, sizeof swatch,
             "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"" COLOR_ACTIVE "\"/>\n", x + 4,
             LEGEND_Y - BAR_H / 2, x + 4 + ARROW_W, LEGEND_Y, x + 4, LEGEND_Y + BAR_H / 2);
    svg_legend_item(out, &x, swatch, "no end date");
    if (has_date(today)) {
        snprintf(swatch, sizeof swatch,
                 "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COLOR_TODAY
                 "\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n",
                 x + 8, LEGEND_Y - BAR_H / 2 - 2, x + 8, LEGEND_Y + BAR_H / 2 + 2);
        svg_legend_item(out, &x, swatch, "today");
    }
}

/* Years and quarters: a grid line per labelled year (every `step` years
 * when years are narrow) and, when a year is wide, per quarter. */
static void svg_axis(text_buf *out, const time_axis *a, int bottom)
{
    int step = 1;
    static const int steps[] = {1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000};
    for (size_t i = 0; i < sizeof steps / sizeof *steps; i++) {
        step = steps[i];
        if ((int64_t)step * a->width >= (int64_t)48 * a->years)
            break;
    }
    bool quarters = a->width / a->years >= 4 * 40;
    text_printf(out, "<g stroke=\"" COLOR_GRID "\">\n");
    for (int y = 0; y <= a->years; y++) {
        int year = a->first_year + y;
        for (int q = 0; q < 4; q++) {
            if (q ? !quarters || y == a->years : year % step != 0)
                continue;
            int x = axis_x(a, (civil_date){year, 1 + 3 * q, 1});
            text_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\"%s/>\n", x, AXIS_Y - 14, x,
                   bottom, q ? " stroke-dasharray=\"2 3\"" : "");
        }
    }
    text_printf(out, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"#888888\"/>\n", a->left,
           AXIS_Y, axis_right(a), AXIS_Y);
    text_str(out, "</g>\n");
    for (int y = 0; y < a->years; y++) {
        int year = a->first_year + y;
        for (int q = 0; q < 4; q++) {
            if (q ? !quarters : year % step != 0)
                continue;
            int x = axis_x(a, (civil_date){year, 1 + 3 * q, 1});
            if (q)
                text_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"#888888\">Q%d</text>\n", x + 3,
                       AXIS_LABEL_Y, q + 1);
            else
                text_printf(out, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">%d</text>\n", x + 3,
                       AXIS_LABEL_Y, year);
        }
    }
}

/* One version's bar: active, then deprecated, to the sunset date or (no
 * sunset) to the end of the axis with an arrow. */
static void svg_bar(text_buf *out, const time_axis *a, int top, const event_version *v)
{
    int y = top + (ROW_H - BAR_H) / 2;
    int x_active = axis_x(a, v->active);
    bool deprecated = has_date(v->deprecated), sunset = has_date(v->sunset);
    int x_end = sunset ? axis_x(a, v->sunset) : axis_right(a);
    int x_deprecated = deprecated ? axis_x(a, v->deprecated) : x_end;
    if (x_deprecated > x_active)
        text_printf(out,
               "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" COLOR_ACTIVE "\"/>\n",
               x_active, y, x_deprecated - x_active, BAR_H);
    if (deprecated && x_end > x_deprecated)
        text_printf(out,
               "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"" COLOR_DEPRECATED
               "\"/>\n",
               x_deprecated, y, x_end - x_deprecated, BAR_H);
    if (sunset)
        text_printf(out,
               "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COLOR_SUNSET
               "\" stroke-width=\"3\"/>\n",
               x_end, y - 2, x_end, y + BAR_H + 2);
    else
        text_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d\" fill=\"%s\"/>\n", x_end, y,
               x_end + ARROW_W, y + BAR_H / 2, x_end, y + BAR_H,
               deprecated ? COLOR_DEPRECATED : COLOR_ACTIVE);
}

static void bar_tooltip(text_buf *out, const event *e, const event_version *v)
{
    text_str(out, "<title>");
    xml_text(out, e->name);
    text_char(out, ' ');
    xml_text(out, v->text);
    text_str(out, ": active ");
    add_date(out, v->active);
    text_str(out, ", deprecated ");
    if (has_date(v->deprecated))
        add_date(out, v->deprecated);
    else
        text_str(out, "-");
    text_str(out, ", sunset ");
    if (has_date(v->sunset))
        add_date(out, v->sunset);
    else
        text_str(out, "-");
    text_str(out, "</title>\n");
}

static void timeline_svg(docs_emitter *em, text_buf *out)
{
    const catalog *c = em->c;
    const civil_date today = em->opt ? em->opt->today : (civil_date){0, 0, 0};

    /* The span: every date of every version, and today. */
    civil_date lo = {0, 0, 0}, hi = {0, 0, 0};
    size_t label_columns = 0, rows = 0, groups = 0;
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        for (size_t j = 0; j < e->version_count; j++) {
            const event_version *v = e->versions[j];
            const civil_date dates[3] = {v->active, v->deprecated, v->sunset};
            for (int k = 0; k < 3; k++) {
                if (!has_date(dates[k]))
                    continue;
                if (!has_date(lo) || date_cmp(dates[k], lo) < 0)
                    lo = dates[k];
                if (!has_date(hi) || date_cmp(dates[k], hi) > 0)
                    hi = dates[k];
            }
            size_t cols = text_columns(e->name) + 1 + text_columns(v->text);
            if (cols > label_columns)
                label_columns = cols;
            rows++;
        }
    }
    if (has_date(today)) {
        if (!has_date(lo) || date_cmp(today, lo) < 0)
            lo = today;
        if (!has_date(hi) || date_cmp(today, hi) > 0)
            hi = today;
    }
    if (!has_date(lo))   /* no versions (the loader requires some): any one year */
        lo = hi = (civil_date){2000, 1, 1};
    for (size_t gi = 0; gi <= c->products.count; gi++) {
        int g = group_at(c, gi);
        if (!group_versions(c, g))
            continue;
        groups++;
        size_t cols = text_columns(group_name(c, g));
        if (cols > label_columns)
            label_columns = cols;
    }

    time_axis a;
    a.first_year = lo.year;
    a.years = hi.year - lo.year + 1;
    a.start_days = days_from_civil((civil_date){lo.year, 1, 1});
    a.span_days = days_from_civil((civil_date){hi.year + 1, 1, 1}) - a.start_days;
    a.left = PAD + label_px(label_columns) + PAD;
    a.width = a.years * YEAR_PX <= MAX_AXIS_PX ? a.years * YEAR_PX : MAX_AXIS_PX;
    int bottom = AXIS_Y + 4 + (int)groups * GROUP_H + (int)rows * ROW_H;
    int height = bottom + (has_date(today) ? 2 * PAD + FONT_SIZE : PAD);
    int width = axis_right(&a) + ARROW_W + RIGHT_MARGIN;
    if (width < 640)
        width = 640;   /* the legend's room */

    text_str(out, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    text_printf(out,
           "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" "
           "viewBox=\"0 0 %d %d\" font-family=\"DejaVu Sans Mono, Menlo, Consolas, monospace\" "
           "font-size=\"%d\">\n",
           width, height, width, height, FONT_SIZE);
    text_str(out, "<title>Lifecycle of every event version of ");
    xml_text(out, em->catalog_name);
    text_str(out, "</title>\n");
    text_printf(out, "<rect width=\"%d\" height=\"%d\" fill=\"#ffffff\"/>\n", width, height);
    text_printf(out, "<text x=\"%d\" y=\"%d\" font-size=\"14\" font-weight=\"bold\">", PAD, TITLE_Y);
    text_str(out, "Event version lifecycle: ");
    xml_text(out, em->catalog_name);
    text_str(out, "</text>\n");
    svg_legend(out, today);

    /* Row bands first, so that the grid is drawn over them. */
    int top = AXIS_Y + 4;
    text_str(out, "<g fill=\"" COLOR_BAND "\">\n");
    for (size_t gi = 0; gi <= c->products.count; gi++) {
        int g = group_at(c, gi);
        if (!group_versions(c, g))
            continue;
        text_printf(out, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"#e3e8ef\"/>\n", top,
               width, GROUP_H);
        top += GROUP_H;
        size_t row = 0;
        for (size_t i = 0; i < c->event_count; i++) {
            if (c->events[i]->product_index != g)
                continue;
            for (size_t j = 0; j < c->events[i]->version_count; j++, row++, top += ROW_H)
                if (row % 2)
                    text_printf(out, "<rect x=\"0\" y=\"%d\" width=\"%d\" height=\"%d\"/>\n", top,
                           width, ROW_H);
        }
    }
    text_str(out, "</g>\n");
    svg_axis(out, &a, bottom);

    top = AXIS_Y + 4;
    text_buf href = {0};
    for (size_t gi = 0; gi <= c->products.count; gi++) {
        int g = group_at(c, gi);
        if (!group_versions(c, g))
            continue;
        text_printf(out, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", PAD, top + GROUP_H - 7);
        xml_text(out, group_name(c, g));
        text_str(out, "</text>\n");
        top += GROUP_H;
        for (size_t i = 0; i < c->event_count; i++) {
            const event *e = c->events[i];
            if (e->product_index != g)
                continue;
            for (size_t j = 0; j < e->version_count; j++, top += ROW_H) {
                const event_version *v = e->versions[j];
                text_truncate(&href, 0);
                page_name(&href, c, e);
                text_char(&href, '#');
                version_anchor(&href, e, v);
                text_str(out, "<g>\n");
                bar_tooltip(out, e, v);
                text_str(out, "<a href=\"");
                xml_text(out, href.data);
                text_printf(out, "\"><text x=\"%d\" y=\"%d\">", PAD, top + ROW_H - 6);
                xml_text(out, e->name);
                text_char(out, ' ');
                xml_text(out, v->text);
                text_str(out, "</text></a>\n");
                svg_bar(out, &a, top, v);
                text_str(out, "</g>\n");
            }
        }
    }
    text_free(&href);

    if (has_date(today)) {
        int x = axis_x(&a, today);
        text_printf(out,
               "<line id=\"today\" x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%d\" stroke=\"" COLOR_TODAY
               "\" stroke-width=\"2\" stroke-dasharray=\"4 3\"/>\n",
               x, AXIS_Y - 14, x, bottom);
        text_printf(out, "<text x=\"%d\" y=\"%d\" fill=\"" COLOR_TODAY "\"%s>today ",
               x, bottom + PAD + FONT_SIZE - 2,
               x > axis_right(&a) - 120 ? " text-anchor=\"end\"" : "");
        add_date(out, today);
        text_str(out, "</text>\n");
    }
    text_str(out, "</svg>\n");
}

/* MARK: output */

static void add_file(gen_output *out, const char *name, text_buf *text)
{
    out->files = xrealloc(out->files, (out->count + 1) * sizeof *out->files);
    out->files[out->count].name = xstrdup(name);
    out->files[out->count].data = text_take(text, &out->files[out->count].len);
    out->count++;
}

static void add_dep(gen_output *out, const char *path)
{
    out->deps = xrealloc(out->deps, (out->dep_count + 1) * sizeof *out->deps);
    out->deps[out->dep_count++] = xstrdup(path);
}

bool emit_docs(const catalog *c, const char *catalog_path, const docs_options *opt,
               gen_output *out, diag *d)
{
    memset(out, 0, sizeof *out);
    add_dep(out, catalog_path);

    /* Product pages are <product>.md next to README.md: a product named
     * "readme" would be the index on a file system that ignores case. */
    for (size_t p = 0; p < c->products.count; p++)
        if (strcmp(c->products.items[p], "readme") == 0) {
            diag_error(d, catalog_path, c->products.marks[p],
                       "product 'readme' would be written to readme.md, which is README.md "
                       "(the index) where case does not count; rename it");
            return false;
        }

    docs_emitter em;
    memset(&em, 0, sizeof em);
    em.c = c;
    em.opt = opt;
    const char *slash = strrchr(catalog_path, '/');
    em.catalog_name = slash ? slash + 1 : catalog_path;
    em.slots = xrealloc(NULL, (c->shape_count + 1) * sizeof *em.slots);
    em.listed_at = xrealloc(NULL, (c->shape_count + 1) * sizeof *em.listed_at);
    em.listed = xrealloc(NULL, (c->shape_count + 1) * sizeof *em.listed);
    for (size_t i = 0; i < c->shape_count; i++) {
        em.slots[i].key = (uintptr_t)c->shapes[i];
        em.slots[i].index = i;
        em.listed_at[i] = NULL;
    }
    if (c->shape_count)
        qsort(em.slots, c->shape_count, sizeof *em.slots, slot_cmp);

    text_buf text = {0};
    index_page(&em, &text);
    add_file(out, "README.md", &text);

    text_buf name = {0};
    for (size_t p = 0; p < c->products.count; p++) {
        product_page(&em, &text, (int)p);
        text_truncate(&name, 0);
        text_str(&name, c->products.items[p]);
        text_str(&name, ".md");
        add_file(out, name.data, &text);
    }
    if (group_versions(c, -1)) {
        product_page(&em, &text, -1);
        add_file(out, DOCS_NO_PRODUCT_PAGE, &text);
    }

    timeline_svg(&em, &text);
    add_file(out, "timeline.svg", &text);

    text_free(&name);
    text_free(&em.path);
    free(em.slots);
    free(em.listed_at);
    free(em.listed);
    return true;
}
