/* diff.c - every change between two checked catalogs, classified (see
 * diff.h; the rules and their reasons: docs/diff.md).
 *
 * The wire view merges sorted lists: products, wires (and their forms,
 * members and form payloads), events, versions (already in increasing
 * order), properties and enum values. Comparisons write "pending" changes
 * with paths relative to where the comparison started; a pair of shapes is
 * compared once (memo) and its changes are copied, prefixed with the path
 * of each use, wherever the pair meets again. Nothing is attributed to an
 * event version until a payload comparison is complete, so the memo holds
 * changes free of context.
 *
 * The C view sorts the names each C model defines (types, struct members,
 * enumerators) and merges them: what the old C names that the new one does
 * not is what code written against the old generated C can no longer use.
 *
 * Messages are built at the end, once every change knows its scope. */
#include "diff.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_check.h"
#include "catalog_wires.h"
#include "text_buf.h"

/* MARK: rules ------------------------------------------------------------ */

static const char *const rule_ids[] = {
#define DIFF_RULE_ID(e, id, cls) id,
    DIFF_RULES(DIFF_RULE_ID)
#undef DIFF_RULE_ID
};

static const diff_class rule_classes[] = {
#define DIFF_RULE_CLASS(e, id, cls) cls,
    DIFF_RULES(DIFF_RULE_CLASS)
#undef DIFF_RULE_CLASS
};

const char *diff_rule_id(diff_rule r) { return rule_ids[r]; }

diff_class diff_rule_class(diff_rule r) { return rule_classes[r]; }

const char *diff_class_name(diff_class c)
{
    switch (c) {
    case DIFF_COMPATIBLE: return "compatible";
    case DIFF_WIRE_BREAKING: return "wire-breaking";
    case DIFF_C_BREAKING: return "c-breaking";
    }
    return "?";
}

/* MARK: memory and paths ------------------------------------------------ */

/* memcpy of n pointers; the catalog leaves an empty list NULL, which
 * memcpy may not be given even for 0 bytes. */
static void copy_pointers(void *dst, const void *src, size_t n, size_t size)
{
    if (n)
        memcpy(dst, src, n * size);
}

/* A path being built is a text_buf: "/a/b", "" at the root. Appends
 * "/key" (a JSON Pointer token); returns the length to truncate back to. */
static size_t path_push(text_buf *b, const char *key)
{
    size_t before = b->len;
    text_pointer_token(b, key);
    return before;
}

/* MARK: pending changes -------------------------------------------------- */

typedef enum scope_rank {
    SCOPE_CATALOG,     /* products */
    SCOPE_WIRE,
    SCOPE_SHAPE,       /* C changes in a shape's type */
    SCOPE_EVENT,
} scope_rank;

/* A change before its message is written. During a comparison only rule,
 * path (relative), positions, detail, was and the constants are set; the
 * scope is filled in when the comparison is adopted. */
typedef struct pending {
    diff_change c;
    const char *detail;        /* the predicate: "is now required" */
    const char *why;           /* a note on it, or NULL: "a new c_name" */
    const char *was;           /* the old state, or NULL */
    const char *subject;       /* set: the whole subject (C changes, products) */
    const char *old_const, *new_const; /* constant-changed: both values */
    const char *form_payload;  /* a form payload's select value */
    scope_rank rank;
    const char *scope_name;
    semver sort_version;
} pending;

typedef struct pend_list {
    pending *items;
    size_t count, cap;
} pend_list;

static pending *pend_push(pend_list *l)
{
    l->items = grow_array(l->items, &l->cap, l->count + 1, sizeof *l->items);
    pending *p = &l->items[l->count++];
    memset(p, 0, sizeof *p);
    return p;
}

/* MARK: the differ ------------------------------------------------------- */

typedef struct memo_entry {
    const shape *old_shape, *new_shape;
    pend_list changes;         /* paths relative to an object of the shape */
} memo_entry;

typedef struct differ {
    const catalog *oc, *nc;
    const cmodel *om, *nm;
    civil_date today;
    model_arena *arena;
    pend_list out;
    memo_entry **memo;         /* open addressing, keyed by the pair of shapes */
    size_t memo_cap, memo_count;
    const event **old_events, **new_events; /* sorted by name */
} differ;

/* A comparison in progress: where its changes go, and the path so far. */
typedef struct walk {
    pend_list *list;
    text_buf path;
} walk;

static const char *afmt(differ *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *afmt(differ *d, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    char *s = model_alloc(d->arena, (size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

static bool same_text(const char *a, const char *b)
{
    if (!a || !b)
        return a == b;
    return strcmp(a, b) == 0;
}

static pending *note(differ *d, walk *w, diff_rule rule, src_mark old_at, src_mark new_at,
                     const char *detail, const char *was)
{
    pending *p = pend_push(w->list);
    p->c.rule = rule;
    p->c.old_at = old_at;
    p->c.new_at = new_at;
    p->detail = detail;
    p->was = was;
    p->c.path = model_strdup(d->arena, text_content(&w->path));
    return p;
}

/* Names with their index in the catalog's list, sorted by name: what the
 * merges walk (the index finds the name's position). */
typedef struct named {
    const char *name;
    size_t index;
} named;

static int cmp_named(const void *x, const void *y)
{
    const named *a = x, *b = y;
    int c = strcmp(a->name, b->name);
    return c ? c : (a->index > b->index) - (a->index < b->index);
}

static named *sorted_names(char *const *names, size_t n)
{
    named *s = xrealloc(NULL, (n ? n : 1) * sizeof *s);
    for (size_t i = 0; i < n; i++)
        s[i] = (named){names[i], i};
    qsort(s, n, sizeof *s, cmp_named);
    return s;
}

static const char *date_text(differ *d, civil_date x)
{
    if (x.year <= 0)
        return "none";
    return afmt(d, "%04d-%02d-%02d", x.year, x.month, x.day);
}

/* MARK: payloads --------------------------------------------------------- */

static const char *describe_type(differ *d, const prop *p)
{
    switch (p->kind) {
    case PROP_CONST: return afmt(d, "const '%s'", p->const_value);
    case PROP_ENUM: return afmt(d, "enum (%zu value%s)", p->enum_values.count,
                                p->enum_values.count == 1 ? "" : "s");
    case PROP_OBJECT: return p->shape ? afmt(d, "shape '%s'", p->shape->name) : "object";
    default: return prop_kind_name(p->kind);
    }
}

static bool enum_has(const prop *p, const char *value)
{
    for (size_t i = 0; i < p->enum_values.count; i++)
        if (strcmp(p->enum_values.items[i], value) == 0)
            return true;
    return false;
}

typedef enum relation { REL_WIDER, REL_NARROWER, REL_OTHER } relation;

/* How the set of JSON values q accepts relates to p's, for two different
 * kinds: wider (every value p accepts, q does too), narrower, or neither. */
static relation kind_relation(const prop *p, const prop *q)
{
    if (q->kind == PROP_ANY)
        return REL_WIDER;
    if (p->kind == PROP_ANY)
        return REL_NARROWER;
    if (p->kind == PROP_INTEGER && q->kind == PROP_NUMBER)
        return REL_WIDER;
    if (p->kind == PROP_NUMBER && q->kind == PROP_INTEGER)
        return REL_NARROWER;
    bool p_text = p->kind == PROP_STRING || p->kind == PROP_ENUM || p->kind == PROP_CONST;
    bool q_text = q->kind == PROP_STRING || q->kind == PROP_ENUM || q->kind == PROP_CONST;
    if (p_text && q_text) {
        if (q->kind == PROP_STRING)
            return REL_WIDER;
        if (p->kind == PROP_STRING)
            return REL_NARROWER;
        if (p->kind == PROP_CONST)   /* const -> enum */
            return enum_has(q, p->const_value) ? REL_WIDER : REL_OTHER;
        /* enum -> const: the same set when the enum held that value alone */
        if (!enum_has(p, q->const_value))
            return REL_OTHER;
        return p->enum_values.count == 1 ? REL_WIDER : REL_NARROWER;
    }
    /* A map of any takes every object. */
    if (p->kind == PROP_OBJECT && q->kind == PROP_MAP && q->items && q->items->kind == PROP_ANY)
        return REL_WIDER;
    if (q->kind == PROP_OBJECT && p->kind == PROP_MAP && p->items && p->items->kind == PROP_ANY)
        return REL_NARROWER;
    return REL_OTHER;
}

static void compare_props(differ *d, walk *w, const prop_list *o, const prop_list *n);
static void compare_value(differ *d, walk *w, const prop *p, const prop *q);

static size_t memo_slot(const differ *d, const shape *o, const shape *n)
{
    uint64_t h = (uint64_t)(uintptr_t)o * 0x9e3779b97f4a7c15u ^ (uint64_t)(uintptr_t)n;
    h ^= h >> 29;
    size_t i = (size_t)h & (d->memo_cap - 1);
    while (d->memo[i] && (d->memo[i]->old_shape != o || d->memo[i]->new_shape != n))
        i = (i + 1) & (d->memo_cap - 1);
    return i;
}

/* The changes between two shapes' properties, computed the first time the
 * pair meets (shapes cannot contain themselves, so this never re-enters
 * for the same pair). */
static const pend_list *shape_changes(differ *d, const shape *o, const shape *n)
{
    if (d->memo_count * 2 >= d->memo_cap) {
        size_t old_cap = d->memo_cap;
        memo_entry **old = d->memo;
        d->memo_cap = old_cap ? old_cap * 2 : 64;
        d->memo = xrealloc(NULL, d->memo_cap * sizeof *d->memo);
        memset(d->memo, 0, d->memo_cap * sizeof *d->memo);
        for (size_t i = 0; i < old_cap; i++)
            if (old[i])
                d->memo[memo_slot(d, old[i]->old_shape, old[i]->new_shape)] = old[i];
        free(old);
    }
    size_t i = memo_slot(d, o, n);
    if (d->memo[i])
        return &d->memo[i]->changes;
    memo_entry *e = model_alloc(d->arena, sizeof *e);
    e->old_shape = o;
    e->new_shape = n;
    d->memo[i] = e;
    d->memo_count++;
    walk inner = {&e->changes, {0}};
    compare_props(d, &inner, &o->props, &n->props);
    text_free(&inner.path);
    return &e->changes;
}

/* Copies changes computed elsewhere (relative paths) to w, under w's path. */
static void adopt_relative(differ *d, walk *w, const pend_list *from)
{
    const char *prefix = text_content(&w->path);
    for (size_t i = 0; i < from->count; i++) {
        pending *p = pend_push(w->list);
        *p = from->items[i];
        p->c.path = afmt(d, "%s%s", prefix, from->items[i].c.path);
    }
}

static void compare_enum(differ *d, walk *w, const prop *p, const prop *q)
{
    const name_list *ol = &p->enum_values, *nl = &q->enum_values;
    named *os = sorted_names(ol->items, ol->count), *ns = sorted_names(nl->items, nl->count);
    size_t i = 0, j = 0;
    while (i < ol->count || j < nl->count) {
        int c = i == ol->count ? 1 : j == nl->count ? -1 : strcmp(os[i].name, ns[j].name);
        if (c < 0) {
            note(d, w, DIFF_ENUM_VALUE_REMOVED, ol->marks ? ol->marks[os[i].index] : p->mark,
                 (src_mark){0, 0}, afmt(d, "value '%s' removed", os[i].name), NULL);
            i++;
        } else if (c > 0) {
            note(d, w, DIFF_ENUM_VALUE_ADDED, (src_mark){0, 0},
                 nl->marks ? nl->marks[ns[j].index] : q->mark,
                 afmt(d, "value '%s' added", ns[j].name), NULL)
                ->why = "a parser generated from the old catalog rejects it";
            j++;
        } else {
            i++, j++;
        }
    }
    free(os);
    free(ns);
}

static void compare_bounds(differ *d, walk *w, const prop *p, const prop *q)
{
    if (p->min_items != q->min_items)
        note(d, w, q->min_items > p->min_items ? DIFF_ARRAY_BOUNDS_NARROWED : DIFF_ARRAY_BOUNDS_WIDENED,
             p->type_mark, q->type_mark, afmt(d, "min_items is now %lld", (long long)q->min_items),
             afmt(d, "%lld", (long long)p->min_items));
    if (p->max_items != q->max_items) {
        bool narrower = q->max_items >= 0 && (p->max_items < 0 || q->max_items < p->max_items);
        note(d, w, narrower ? DIFF_ARRAY_BOUNDS_NARROWED : DIFF_ARRAY_BOUNDS_WIDENED, p->type_mark,
             q->type_mark,
             q->max_items < 0 ? "max_items is now unlimited"
                              : afmt(d, "max_items is now %lld", (long long)q->max_items),
             p->max_items < 0 ? "unlimited" : afmt(d, "%lld", (long long)p->max_items));
    }
}

/* The value's type and what is inside it (not required/nullable/doc, which
 * belong to the property that holds it). */
static void compare_value(differ *d, walk *w, const prop *p, const prop *q)
{
    if (p->kind != q->kind) {
        relation r = kind_relation(p, q);
        diff_rule rule = r == REL_WIDER      ? DIFF_TYPE_WIDENED
                         : r == REL_NARROWER ? DIFF_TYPE_NARROWED
                                             : DIFF_TYPE_CHANGED;
        note(d, w, rule, p->type_mark, q->type_mark, afmt(d, "is now %s", describe_type(d, q)),
             describe_type(d, p));
        return;
    }
    switch (p->kind) {
    case PROP_CONST:
        if (strcmp(p->const_value, q->const_value) != 0) {
            pending *c = note(d, w, DIFF_CONSTANT_CHANGED, p->type_mark, q->type_mark,
                              afmt(d, "is now the constant '%s'", q->const_value),
                              afmt(d, "'%s'", p->const_value));
            c->old_const = p->const_value;
            c->new_const = q->const_value;
        }
        break;
    case PROP_ENUM:
        compare_enum(d, w, p, q);
        break;
    case PROP_OBJECT:
        if (p->shape && q->shape)
            adopt_relative(d, w, shape_changes(d, p->shape, q->shape));
        else
            compare_props(d, w, &p->props, &q->props);
        break;
    case PROP_ARRAY:
    case PROP_MAP: {
        if (p->kind == PROP_ARRAY)
            compare_bounds(d, w, p, q);
        size_t mark = path_push(&w->path, "*");
        if (!same_text(p->items->doc, q->items->doc))
            note(d, w, DIFF_DOC_CHANGED, p->items->mark, q->items->mark, "doc changed", NULL);
        compare_value(d, w, p->items, q->items);
        text_truncate(&w->path, mark);
        break;
    }
    default:
        break;
    }
}

static void compare_prop(differ *d, walk *w, const prop *p, const prop *q)
{
    if (p->required && !q->required)
        note(d, w, DIFF_PROPERTY_MADE_OPTIONAL, p->mark, q->mark, "is now optional", "required");
    else if (!p->required && q->required)
        note(d, w, DIFF_PROPERTY_MADE_REQUIRED, p->mark, q->mark, "is now required", "optional");
    if (p->nullable && !q->nullable)
        note(d, w, DIFF_NULLABLE_REMOVED, p->mark, q->mark, "can no longer be null", "nullable");
    else if (!p->nullable && q->nullable)
        note(d, w, DIFF_NULLABLE_ADDED, p->mark, q->mark, "can now be null", "not nullable");
    if (!same_text(p->doc, q->doc))
        note(d, w, DIFF_DOC_CHANGED, p->mark, q->mark, "doc changed", NULL);
    compare_value(d, w, p, q);
}

static int cmp_prop_name(const void *x, const void *y)
{
    return strcmp((*(const prop *const *)x)->name, (*(const prop *const *)y)->name);
}

static const prop **sorted_props(const prop_list *l)
{
    const prop **s = xrealloc(NULL, l->count * sizeof *s);
    for (size_t i = 0; i < l->count; i++)
        s[i] = l->items[i];
    qsort(s, l->count, sizeof *s, cmp_prop_name);
    return s;
}

/* Two objects' properties, matched by key. When exactly one property went
 * and one of the same kind came, the added one says it may be a rename
 * (the classes stay those of a removal and an addition). */
static void compare_props(differ *d, walk *w, const prop_list *o, const prop_list *n)
{
    const prop **os = sorted_props(o), **ns = sorted_props(n);
    size_t i = 0, j = 0, removed = 0, added = 0, came_at = 0;
    const prop *gone = NULL, *came = NULL;
    while (i < o->count || j < n->count) {
        int c = i == o->count ? 1 : j == n->count ? -1 : strcmp(os[i]->name, ns[j]->name);
        size_t mark = path_push(&w->path, c <= 0 ? os[i]->name : ns[j]->name);
        if (c < 0) {
            note(d, w, DIFF_PROPERTY_REMOVED, os[i]->mark, (src_mark){0, 0}, "removed",
                 os[i]->required ? "required" : "optional");
            gone = os[i++];
            removed++;
        } else if (c > 0) {
            came_at = w->list->count;
            came = ns[j++];
            note(d, w, came->required ? DIFF_PROPERTY_ADDED_REQUIRED : DIFF_PROPERTY_ADDED_OPTIONAL,
                 (src_mark){0, 0}, came->mark,
                 afmt(d, "added as %s %s", came->required ? "required" : "optional",
                      describe_type(d, came)),
                 NULL);
            added++;
        } else {
            compare_prop(d, w, os[i++], ns[j++]);
        }
        text_truncate(&w->path, mark);
    }
    if (removed == 1 && added == 1 && gone->kind == came->kind) {
        w->list->items[came_at].why = afmt(d, "perhaps renamed from '%s'", gone->name);
    }
    free(os);
    free(ns);
}

/* MARK: adopting a payload comparison ----------------------------------- */

typedef struct scope {
    scope_rank rank;
    const char *name;          /* event, wire (or form) name */
    const event *event;
    const event_version *version;
    const char *compared_with;
    const char *old_version_text, *new_version_text;
    const char *wire;
    const char *form_payload;
    bool unbumped;
    /* Set when documents that state no version were read as the version
     * compared with and are now read as this one: the note said on each
     * wire-breaking change, which reaches those documents unbumped. */
    const char *versionless_reread;
} scope;

/* Moves a finished comparison into the result, in its scope. A constant
 * that held the old version string and now holds the new one is the
 * version's own tag, not a change. */
static void adopt(differ *d, const pend_list *from, const scope *s)
{
    for (size_t i = 0; i < from->count; i++) {
        const pending *src = &from->items[i];
        if (src->c.rule == DIFF_CONSTANT_CHANGED && s->old_version_text &&
            strcmp(src->old_const, s->old_version_text) == 0 &&
            strcmp(src->new_const, s->new_version_text) == 0)
            continue;
        pending *p = pend_push(&d->out);
        *p = *src;
        p->rank = s->rank;
        p->scope_name = s->name;
        p->c.event = s->event ? s->event->name : NULL;
        p->c.version = s->version ? s->version->text : NULL;
        if (s->version)
            p->sort_version = s->version->v;
        p->c.compared_with = s->compared_with;
        p->c.wire = s->wire;
        p->form_payload = s->form_payload;
        p->c.unbumped = s->unbumped;
        if (s->versionless_reread && rule_classes[p->c.rule] == DIFF_WIRE_BREAKING) {
            p->c.unbumped = true;
            p->why = p->why ? afmt(d, "%s; %s", p->why, s->versionless_reread)
                            : s->versionless_reread;
        }
    }
}

/* A change recorded straight into the result (never a constant, which
 * adopt may drop). */
static pending *emit(differ *d, const scope *s, diff_rule rule, src_mark old_at, src_mark new_at,
                     const char *detail, const char *was)
{
    pend_list one = {0};
    walk w = {&one, {0}};
    note(d, &w, rule, old_at, new_at, detail, was)->c.path = NULL;
    adopt(d, &one, s);
    free(one.items);
    return &d->out.items[d->out.count - 1];
}

static void compare_payloads(differ *d, const prop_list *o, const prop_list *n, const scope *s)
{
    pend_list l = {0};
    walk w = {&l, {0}};
    compare_props(d, &w, o, n);
    adopt(d, &l, s);
    free(l.items);
    text_free(&w.path);
}

/* MARK: wires ------------------------------------------------------------ */

static int cmp_wire_member(const void *x, const void *y)
{
    return strcmp((*(const wire_member *const *)x)->key, (*(const wire_member *const *)y)->key);
}

static const char *describe_member(differ *d, const wire_member *m)
{
    switch (m->role) {
    case ROLE_CONST:
        return afmt(d, "%s '%s'", m->format_version ? "the format-version constant" : "the constant",
                    m->value);
    case ROLE_NAME: return "the event name";
    case ROLE_VERSION: return "the event version";
    case ROLE_PAYLOAD: return "the payload";
    case ROLE_OBJECT: return "an object of members";
    }
    return "?";
}

/* A member is required unless it is a constant written `required: false`. */
static bool member_required(const wire_member *m)
{
    return m->role != ROLE_CONST || m->required;
}

static void compare_members(differ *d, walk *w, const member_list *o, const member_list *n)
{
    const wire_member **os = xrealloc(NULL, (o->count + n->count) * sizeof *os), **ns = os + o->count;
    copy_pointers(os, o->items, o->count, sizeof *os);
    copy_pointers(ns, n->items, n->count, sizeof *ns);
    qsort(os, o->count, sizeof *os, cmp_wire_member);
    qsort(ns, n->count, sizeof *ns, cmp_wire_member);
    size_t i = 0, j = 0;
    while (i < o->count || j < n->count) {
        int c = i == o->count ? 1 : j == n->count ? -1 : strcmp(os[i]->key, ns[j]->key);
        size_t mark = path_push(&w->path, c <= 0 ? os[i]->key : ns[j]->key);
        if (c < 0) {
            note(d, w, DIFF_WIRE_MEMBER_REMOVED, os[i]->mark, (src_mark){0, 0}, "removed",
                 describe_member(d, os[i]));
            i++;
        } else if (c > 0) {
            bool req = member_required(ns[j]);
            note(d, w, req ? DIFF_WIRE_MEMBER_ADDED_REQUIRED : DIFF_WIRE_MEMBER_ADDED_OPTIONAL,
                 (src_mark){0, 0}, ns[j]->mark,
                 afmt(d, "added as %s: %s", req ? "required" : "optional", describe_member(d, ns[j])),
                 NULL);
            j++;
        } else {
            const wire_member *p = os[i++], *q = ns[j++];
            if (p->role != q->role || p->format_version != q->format_version ||
                (p->role == ROLE_CONST && strcmp(p->value, q->value) != 0))
                note(d, w, DIFF_WIRE_MEMBER_CHANGED, p->mark, q->mark,
                     afmt(d, "is now %s", describe_member(d, q)), describe_member(d, p));
            else if (member_required(p) && !member_required(q))
                note(d, w, DIFF_WIRE_MEMBER_MADE_OPTIONAL, p->mark, q->mark, "is now optional",
                     "required");
            else if (!member_required(p) && member_required(q))
                note(d, w, DIFF_WIRE_MEMBER_MADE_REQUIRED, p->mark, q->mark, "is now required",
                     "optional");
            if (!same_text(p->doc, q->doc))
                note(d, w, DIFF_DOC_CHANGED, p->mark, q->mark, "doc changed", NULL);
            if (p->role == ROLE_OBJECT && q->role == ROLE_OBJECT)
                compare_members(d, w, &p->members, &q->members);
        }
        text_truncate(&w->path, mark);
    }
    free(os);
}

static void compare_routing(differ *d, const scope *s, const char *what, const char *o,
                            src_mark om, const char *n, src_mark nm)
{
    if (same_text(o, n))
        return;
    emit(d, s, DIFF_WIRE_ROUTING_CHANGED, om, nm,
         n ? afmt(d, "%s is now '%s'", what, n) : afmt(d, "has no %s any more", what),
         o ? afmt(d, "'%s'", o) : "none");
}

static int cmp_payload_value(const void *x, const void *y)
{
    return strcmp((*(const form_payload *const *)x)->value,
                  (*(const form_payload *const *)y)->value);
}

static int cmp_wire_name(const void *x, const void *y)
{
    return strcmp((*(const wire *const *)x)->name, (*(const wire *const *)y)->name);
}

static void compare_form_payloads(differ *d, const wire *o, const wire *n, const scope *s)
{
    const form_payload **os = xrealloc(NULL, (o->payload_count + n->payload_count) * sizeof *os);
    const form_payload **ns = os + o->payload_count;
    copy_pointers(os, o->payloads, o->payload_count, sizeof *os);
    copy_pointers(ns, n->payloads, n->payload_count, sizeof *ns);
    qsort(os, o->payload_count, sizeof *os, cmp_payload_value);
    qsort(ns, n->payload_count, sizeof *ns, cmp_payload_value);
    size_t i = 0, j = 0;
    while (i < o->payload_count || j < n->payload_count) {
        int c = i == o->payload_count   ? 1
                : j == n->payload_count ? -1
                                        : strcmp(os[i]->value, ns[j]->value);
        if (c < 0) {
            emit(d, s, DIFF_WIRE_PAYLOAD_REMOVED, os[i]->mark, (src_mark){0, 0},
                 afmt(d, "no longer carries the payload '%s'", os[i]->value), NULL)
                ->why = afmt(d, "shape '%s'", os[i]->shape_name);
            i++;
        } else if (c > 0) {
            emit(d, s, DIFF_WIRE_PAYLOAD_ADDED, (src_mark){0, 0}, ns[j]->mark,
                 afmt(d, "carries a new payload '%s'", ns[j]->value), NULL)
                ->why = afmt(d, "shape '%s'", ns[j]->shape_name);
            j++;
        } else {
            scope ps = *s;
            ps.form_payload = os[i]->value;
            if (os[i]->shape && ns[j]->shape)
                adopt(d, shape_changes(d, os[i]->shape, ns[j]->shape), &ps);
            i++, j++;
        }
    }
    free(os);
}

/* A wire or a form: doc, routing, members, form payloads. */
static void compare_wire_body(differ *d, const wire *o, const wire *n)
{
    scope s = {.rank = SCOPE_WIRE, .name = n->name, .wire = n->name, .unbumped = true};
    if (!same_text(o->doc, n->doc))
        emit(d, &s, DIFF_DOC_CHANGED, o->mark, n->mark, "doc changed", NULL);
    compare_routing(d, &s, "payload_version", o->payload_version, o->payload_version_mark,
                    n->payload_version, n->payload_version_mark);
    compare_routing(d, &s, "payload_name", o->payload_name, o->payload_name_mark, n->payload_name,
                    n->payload_name_mark);
    compare_routing(d, &s, "select", o->select, o->select_mark, n->select, n->select_mark);
    pend_list l = {0};
    walk w = {&l, {0}};
    compare_members(d, &w, &o->members, &n->members);
    adopt(d, &l, &s);
    free(l.items);
    text_free(&w.path);
    compare_form_payloads(d, o, n, &s);
}

/* Merges two lists of wires (or of one wire's forms) by name. */
static void compare_wire_lists(differ *d, wire *const *ol, size_t on, wire *const *nl, size_t nn,
                               bool forms)
{
    const wire **os = xrealloc(NULL, (on + nn) * sizeof *os), **ns = os + on;
    copy_pointers(os, ol, on, sizeof *os);
    copy_pointers(ns, nl, nn, sizeof *ns);
    qsort(os, on, sizeof *os, cmp_wire_name);
    qsort(ns, nn, sizeof *ns, cmp_wire_name);
    size_t i = 0, j = 0;
    while (i < on || j < nn) {
        int c = i == on ? 1 : j == nn ? -1 : strcmp(os[i]->name, ns[j]->name);
        if (c < 0) {
            scope s = {.rank = SCOPE_WIRE, .name = os[i]->name, .wire = os[i]->name, .unbumped = true};
            emit(d, &s, forms ? DIFF_WIRE_FORM_REMOVED : DIFF_WIRE_REMOVED, os[i]->mark,
                 (src_mark){0, 0}, "removed", NULL);
            i++;
        } else if (c > 0) {
            scope s = {.rank = SCOPE_WIRE, .name = ns[j]->name, .wire = ns[j]->name, .unbumped = true};
            emit(d, &s, forms ? DIFF_WIRE_FORM_ADDED : DIFF_WIRE_ADDED, (src_mark){0, 0},
                 ns[j]->mark, "added", NULL);
            j++;
        } else {
            compare_wire_body(d, os[i], ns[j]);
            if (!forms)
                compare_wire_lists(d, os[i]->forms, os[i]->form_count, ns[j]->forms,
                                   ns[j]->form_count, true);
            i++, j++;
        }
    }
    free(os);
}

/* MARK: events ----------------------------------------------------------- */

static int cmp_event_name(const void *x, const void *y)
{
    return strcmp((*(const event *const *)x)->name, (*(const event *const *)y)->name);
}

static const event **sorted_events(const catalog *c)
{
    const event **s = xrealloc(NULL, c->event_count * sizeof *s);
    copy_pointers(s, c->events, c->event_count, sizeof *s);
    qsort(s, c->event_count, sizeof *s, cmp_event_name);
    return s;
}

static const event *find_event(const event *const *sorted, size_t n, const char *name)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(sorted[mid]->name, name);
        if (c == 0)
            return sorted[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* Versions are in increasing order (catalog_check). */
static const event_version *find_version(const event *e, semver v)
{
    size_t lo = 0, hi = e->version_count;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = semver_compare(e->versions[mid]->v, v);
        if (c == 0)
            return e->versions[mid];
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid;
    }
    return NULL;
}

/* A version may go once its sunset date has come. */
static bool past_sunset(const differ *d, const event_version *v)
{
    return v->sunset.year > 0 && civil_date_compare(v->sunset, d->today) <= 0;
}

/* "1.0.0, 1.1.0, 2.0.0": built in one buffer and copied once into the
 * arena (an event may have many thousands of versions). */
static const char *version_list(differ *d, const event *e)
{
    text_buf list = {0};
    for (size_t i = 0; i < e->version_count; i++) {
        if (i)
            TEXT_LIT(&list, ", ");
        text_str(&list, e->versions[i]->text);
    }
    const char *s = model_strdup(d->arena, text_content(&list));
    text_free(&list);
    return s;
}

static const char *removal_detail(differ *d, const event_version *v, bool past)
{
    if (past)
        return afmt(d, "removed after its sunset date %s", date_text(d, v->sunset));
    if (v->sunset.year > 0)
        return afmt(d, "removed before its sunset date %s", date_text(d, v->sunset));
    return "removed, and it had no sunset date";
}

static void compare_lifecycle(differ *d, const scope *s, const event_version *p,
                              const event_version *q)
{
    if (p->status != q->status)
        emit(d, s, DIFF_LIFECYCLE_STATUS_CHANGED, p->mark, q->mark,
             afmt(d, "status is now %s", status_name(q->status)), status_name(p->status));
    struct {
        const char *what;
        civil_date o, n;
        src_mark om, nm;
    } dates[] = {
        {"active", p->active, q->active, p->active_mark, q->active_mark},
        {"deprecated", p->deprecated, q->deprecated, p->deprecated_mark, q->deprecated_mark},
        {"sunset", p->sunset, q->sunset, p->sunset_mark, q->sunset_mark},
    };
    for (size_t i = 0; i < sizeof dates / sizeof *dates; i++) {
        bool had = dates[i].o.year > 0, has = dates[i].n.year > 0;
        if (had == has && (!had || civil_date_compare(dates[i].o, dates[i].n) == 0))
            continue;
        emit(d, s, DIFF_LIFECYCLE_DATE_CHANGED, dates[i].om.line ? dates[i].om : p->mark,
             dates[i].nm.line ? dates[i].nm : q->mark,
             has ? afmt(d, "%s date is now %s", dates[i].what, date_text(d, dates[i].n))
                 : afmt(d, "has no %s date any more", dates[i].what),
             date_text(d, dates[i].o));
    }
}

static void compare_event_wires(differ *d, const scope *s, const event *o, const event *n)
{
    const name_list *ol = &o->wire_names, *nl = &n->wire_names;
    named *os = sorted_names(ol->items, ol->count), *ns = sorted_names(nl->items, nl->count);
    size_t i = 0, j = 0;
    while (i < ol->count || j < nl->count) {
        int c = i == ol->count ? 1 : j == nl->count ? -1 : strcmp(os[i].name, ns[j].name);
        if (c < 0) {
            emit(d, s, DIFF_EVENT_WIRE_REMOVED, ol->marks[os[i].index], (src_mark){0, 0},
                 afmt(d, "no longer travels in wire '%s'", os[i].name), NULL);
            i++;
        } else if (c > 0) {
            emit(d, s, DIFF_EVENT_WIRE_ADDED, (src_mark){0, 0}, nl->marks[ns[j].index],
                 afmt(d, "now travels in wire '%s'", ns[j].name), NULL);
            j++;
        } else {
            i++, j++;
        }
    }
    free(os);
    free(ns);
    if (ol->count && nl->count && strcmp(ol->items[0], nl->items[0]) != 0)
        emit(d, s, DIFF_EVENT_DEFAULT_WIRE_CHANGED, ol->marks[0], nl->marks[0],
             afmt(d, "is now written in wire '%s' first", nl->items[0]),
             afmt(d, "'%s'", ol->items[0]));
}

static void compare_event(differ *d, const event *o, const event *n)
{
    /* Event-level changes count as unbumped when a version lives on. */
    bool kept = false;
    for (size_t i = 0; i < o->version_count && !kept; i++)
        kept = find_version(n, o->versions[i]->v) != NULL;
    scope es = {.rank = SCOPE_EVENT, .name = n->name, .event = n, .unbumped = kept};
    if (o->direction != n->direction)
        emit(d, &es, DIFF_EVENT_DIRECTION_CHANGED, o->mark, n->mark,
             afmt(d, "direction is now %s", direction_name(n->direction)),
             direction_name(o->direction));
    if (!o->version_required && n->version_required)
        emit(d, &es, DIFF_EVENT_VERSION_MADE_REQUIRED, o->mark, n->mark,
             "now requires the version in every document", "optional");
    else if (o->version_required && !n->version_required)
        emit(d, &es, DIFF_EVENT_VERSION_MADE_OPTIONAL, o->mark, n->mark,
             "no longer requires the version in every document", "required");
    if (!same_text(o->product, n->product))
        emit(d, &es, DIFF_EVENT_PRODUCT_CHANGED, o->product ? o->product_mark : o->mark,
             n->product ? n->product_mark : n->mark,
             n->product ? afmt(d, "product is now '%s'", n->product) : "has no product any more",
             o->product ? afmt(d, "'%s'", o->product) : "none");
    if (!same_text(o->summary, n->summary))
        emit(d, &es, DIFF_DOC_CHANGED, o->mark, n->mark, "summary changed", NULL);
    compare_event_wires(d, &es, o, n);

    /* Both read a document without a version as their newest version. */
    bool versionless_read = event_reads_versionless(o) && event_reads_versionless(n);
    size_t i = 0, j = 0;
    while (i < o->version_count || j < n->version_count) {
        const event_version *p = i < o->version_count ? o->versions[i] : NULL;
        const event_version *q = j < n->version_count ? n->versions[j] : NULL;
        int c = !p ? 1 : !q ? -1 : semver_compare(p->v, q->v);
        scope vs = {.rank = SCOPE_EVENT, .name = n->name, .event = n};
        if (c < 0) {
            bool past = past_sunset(d, p);
            vs.version = p;
            emit(d, &vs,
                 past ? DIFF_VERSION_REMOVED_AFTER_SUNSET : DIFF_VERSION_REMOVED_BEFORE_SUNSET,
                 p->mark, (src_mark){0, 0}, removal_detail(d, p, past), NULL);
            i++;
        } else if (c > 0) {
            vs.version = q;
            emit(d, &vs, DIFF_VERSION_ADDED, (src_mark){0, 0}, q->mark, "added", NULL);
            /* What the new version changes, against the newest older one:
             * reported, but a new version string is what such changes need.
             * Except for documents that state no version, where the event
             * reads them (docs/dispatch.md): they were read as OLD's newest
             * version and are now read as NEW's, so when that is this one,
             * its wire-breaking changes reach them without a new version. */
            if (i > 0) {
                const event_version *base = o->versions[i - 1];
                vs.compared_with = base->text;
                vs.old_version_text = base->text;
                vs.new_version_text = q->text;
                bool becomes_newest = i == o->version_count && j + 1 == n->version_count;
                if (becomes_newest && versionless_read)
                    vs.versionless_reread =
                        afmt(d, "documents without a version are now read as %s", q->text);
                compare_payloads(d, &base->props, &q->props, &vs);
            }
            j++;
        } else {
            vs.version = q;
            vs.unbumped = true;
            compare_lifecycle(d, &vs, p, q);
            compare_payloads(d, &p->props, &q->props, &vs);
            i++, j++;
        }
    }
}

static void compare_events(differ *d)
{
    const event **os = d->old_events, **ns = d->new_events;
    size_t on = d->oc->event_count, nn = d->nc->event_count, i = 0, j = 0;
    while (i < on || j < nn) {
        int c = i == on ? 1 : j == nn ? -1 : strcmp(os[i]->name, ns[j]->name);
        if (c < 0) {
            const event *e = os[i++];
            /* Gone with all its versions: fine once every one is past its sunset. */
            const event_version *early = NULL;
            for (size_t k = 0; k < e->version_count && !early; k++)
                if (!past_sunset(d, e->versions[k]))
                    early = e->versions[k];
            scope s = {.rank = SCOPE_EVENT, .name = e->name, .event = e};
            bool one = e->version_count == 1;
            const char *detail = afmt(d, "removed with version%s %s", one ? "" : "s",
                                      version_list(d, e));
            const char *which = one ? "" : afmt(d, "version %s ", early ? early->text : "");
            const char *why =
                !early ? (one ? afmt(d, "after its sunset date %s", date_text(d, e->versions[0]->sunset))
                              : "each after its sunset date")
                : early->sunset.year > 0
                    ? afmt(d, "%sbefore its sunset date %s", which, date_text(d, early->sunset))
                    : afmt(d, "%s%s no sunset date", one ? "it" : which, one ? " had" : "had");
            emit(d, &s, early ? DIFF_EVENT_REMOVED_BEFORE_SUNSET : DIFF_EVENT_REMOVED_AFTER_SUNSET,
                 e->mark, (src_mark){0, 0}, detail, NULL)
                ->why = why;
        } else if (c > 0) {
            const event *e = ns[j++];
            scope s = {.rank = SCOPE_EVENT, .name = e->name, .event = e};
            emit(d, &s, DIFF_EVENT_ADDED, (src_mark){0, 0}, e->mark,
                 afmt(d, "added with version%s %s", e->version_count == 1 ? "" : "s",
                      version_list(d, e)),
                 NULL);
        } else {
            compare_event(d, os[i++], ns[j++]);
        }
    }
}

/* MARK: products --------------------------------------------------------- */

static void compare_products(differ *d)
{
    const name_list *ol = &d->oc->products, *nl = &d->nc->products;
    named *os = sorted_names(ol->items, ol->count), *ns = sorted_names(nl->items, nl->count);
    /* Products have no version: a removed one is missed at once. */
    scope s = {.rank = SCOPE_CATALOG, .name = "", .unbumped = true};
    size_t i = 0, j = 0;
    while (i < ol->count || j < nl->count) {
        int c = i == ol->count ? 1 : j == nl->count ? -1 : strcmp(os[i].name, ns[j].name);
        if (c < 0) {
            pending *p = emit(d, &s, DIFF_PRODUCT_REMOVED, ol->marks[os[i].index], (src_mark){0, 0},
                              afmt(d, "removed: the C macro '%s' is gone",
                                   d->om->product_macros[os[i].index]),
                              NULL);
            p->subject = afmt(d, "product '%s'", os[i].name);
            i++;
        } else if (c > 0) {
            pending *p = emit(d, &s, DIFF_PRODUCT_ADDED, (src_mark){0, 0}, nl->marks[ns[j].index],
                              "added", NULL);
            p->subject = afmt(d, "product '%s'", ns[j].name);
            j++;
        } else {
            i++, j++;
        }
    }
    free(os);
    free(ns);
}

/* MARK: the C view ------------------------------------------------------- */

typedef enum ent_kind { ENT_TYPE, ENT_MEMBER, ENT_ENUMERATOR } ent_kind;

typedef enum member_kind {
    MEMBER_VALUE,      /* a property's value: its c_name */
    MEMBER_PRESENCE,   /* has_<c_name> */
    MEMBER_NULL,       /* <c_name>_is_null */
    MEMBER_BASE,       /* an embedded shape */
    MEMBER_ENTRY_VALUE,/* `value` of a map entry */
} member_kind;

/* One name the generated C defines, that code can use. */
typedef struct centity {
    ent_kind kind;
    member_kind member;
    const char *owner;         /* members, enumerators: the type's C name; types: "" */
    const char *name;
    const char *spelled;       /* members: their C type */
    const char *key;           /* members: the property's JSON key; enumerators: the value */
    const ctype *type;         /* the type itself, or the type that holds the name */
    src_mark mark;
    uint64_t fingerprint;      /* types: what they hold, without names derived from theirs */
    bool form_kind;            /* an enumerator of the kind enum: a form payload's root */
} centity;

/* Per C model: who defines each type (indexed by ctype.index). */
typedef struct cview {
    const cmodel *m;
    const croot **owner_root;  /* an event version whose own definition holds it */
    const shape **owner_shape; /* or a shape */
    const ctype **parent;      /* the nearest enclosing type that has a C name */
    const char **path;         /* JSON Pointer from its owner's object */
    const croot **pinned_by;   /* old model: the first unchanged root that uses it */
    bool *pinned;
    bool *is_shape;
    centity *ents;
    size_t ent_count, ent_cap;
} cview;

/* The C name of a type that has one: structs, enums, and map entries. */
static const char *entity_name(const ctype *t)
{
    switch (t->kind) {
    case CTYPE_STRUCT:
    case CTYPE_ENUM: return t->name;
    case CTYPE_MAP: return t->entry_type;
    case CTYPE_ARRAY: return NULL;
    }
    return NULL;
}

static const char *scalar_c_type(prop_kind k)
{
    switch (k) {
    case PROP_BOOLEAN: return "bool";
    case PROP_INTEGER: return "int64_t";
    case PROP_NUMBER: return "double";
    default: return "evg_str";
    }
}

/* How a value of property p with C type t is spelled in a struct. */
static const char *spell(differ *d, const prop *p, const ctype *t)
{
    switch (p->kind) {
    case PROP_ENUM:
    case PROP_OBJECT: return t->name;
    case PROP_ARRAY: return afmt(d, "%s[]", t->element_type ? t->element_type->name
                                                            : scalar_c_type(p->items->kind));
    case PROP_MAP: return afmt(d, "%s[]", t->entry_type);
    default: return scalar_c_type(p->kind);
    }
}

static uint64_t fnv(uint64_t h, const char *s)
{
    for (; *s; s++)
        h = (h ^ (unsigned char)*s) * 0x100000001b3u;
    return (h ^ 0xff) * 0x100000001b3u;   /* a separator: "ab","c" != "a","bc" */
}

/* What a type holds, in terms that a rename leaves alone: keys, kinds,
 * flags, enum values (not C names, which derive from the type's name). */
static uint64_t fingerprint(const ctype *t)
{
    uint64_t h = fnv(0xcbf29ce484222325u, t->kind == CTYPE_ENUM ? "enum" : "struct");
    if (t->kind == CTYPE_ENUM) {
        for (size_t i = 0; i < t->values->count; i++)
            h = fnv(h, t->values->items[i]);
        return h;
    }
    if (t->kind == CTYPE_MAP)
        return fnv(fnv(h, "map"), prop_kind_name(t->element->kind));
    for (size_t i = 0; i < t->base_count; i++)
        h = fnv(h, "base");
    for (size_t i = 0; i < t->field_count; i++) {
        const prop *p = t->fields[i].p;
        h = fnv(h, p->name);
        h = fnv(h, prop_kind_name(p->kind));
        h = fnv(h, p->required ? "r" : "o");
        h = fnv(h, p->nullable ? "n" : "-");
    }
    return h;
}

static centity *add_entity(cview *v, ent_kind kind, const ctype *t, const char *owner,
                           const char *name, src_mark mark)
{
    v->ents = grow_array(v->ents, &v->ent_cap, v->ent_count + 1, sizeof *v->ents);
    centity *e = &v->ents[v->ent_count++];
    memset(e, 0, sizeof *e);
    e->kind = kind;
    e->type = t;
    e->owner = owner;
    e->name = name;
    e->mark = mark;
    return e;
}

static void add_member(differ *d, cview *v, const ctype *t, member_kind mk, const char *name,
                       const char *spelled, const char *key, src_mark mark)
{
    centity *e = add_entity(v, ENT_MEMBER, t, entity_name(t), name, mark);
    e->member = mk;
    e->spelled = spelled;
    e->key = key;
    (void)d;
}

/* Besides types and their members: the kind enumerator of each form
 * payload (its type outlives it when the shape stops being a payload, and
 * with it go the payload's parse and serialize functions). An event
 * version's kind goes with its type, which says so already. */
static void collect_entities(differ *d, cview *v)
{
    const cmodel *m = v->m;
    for (size_t i = 0; i < m->form_count; i++) {
        centity *e = add_entity(v, ENT_ENUMERATOR, m->forms[i].type, m->fixed.kind_type,
                                m->forms[i].kind, m->forms[i].type->mark);
        e->key = m->forms[i].form_shape->name;
        e->form_kind = true;
    }
    for (size_t i = 0; i < m->type_count; i++) {
        const ctype *t = m->types[i];
        const char *tn = entity_name(t);
        if (!tn)
            continue;
        /* An event version's own type pairs only with another's (an event
         * renamed), never with a shape or an inline type. */
        const croot *root = v->owner_root[t->index];
        add_entity(v, ENT_TYPE, t, "", tn, t->mark)->fingerprint =
            fnv(fingerprint(t), root && root->type == t ? "version" : "part");
        if (t->kind == CTYPE_ENUM) {
            for (size_t k = 0; k < t->values->count; k++)
                add_entity(v, ENT_ENUMERATOR, t, tn, t->enumerators[k],
                           t->values->marks ? t->values->marks[k] : t->mark)
                    ->key = t->values->items[k];
        } else if (t->kind == CTYPE_MAP) {
            add_member(d, v, t, MEMBER_ENTRY_VALUE, "value", spell(d, t->element, t->element_type),
                       NULL, t->mark);
        } else {
            for (size_t k = 0; k < t->base_count; k++)
                add_member(d, v, t, MEMBER_BASE, t->bases[k].member, t->bases[k].type->name, NULL,
                           t->mark);
            for (size_t k = 0; k < t->field_count; k++) {
                const cfield *f = &t->fields[k];
                if (f->p->kind != PROP_CONST)
                    add_member(d, v, t, MEMBER_VALUE, f->member, spell(d, f->p, f->type),
                               f->p->name, f->p->mark);
                if (f->has_member)
                    add_member(d, v, t, MEMBER_PRESENCE, f->has_member, "bool", f->p->name,
                               f->p->mark);
                if (f->null_member)
                    add_member(d, v, t, MEMBER_NULL, f->null_member, "bool", f->p->name,
                               f->p->mark);
            }
        }
    }
}

static int cmp_entity(const void *x, const void *y)
{
    const centity *a = x, *b = y;
    if (a->kind != b->kind)
        return a->kind < b->kind ? -1 : 1;
    int c = strcmp(a->owner, b->owner);
    return c ? c : strcmp(a->name, b->name);
}

/* Who defines each type: the shapes and the event versions own their
 * types, and each inline type belongs to the definition it is written in.
 * An explicit stack: inline types nest as deep as the catalog. */
static void attribute_types(differ *d, cview *v)
{
    const cmodel *m = v->m;
    size_t n = m->type_count;
    v->owner_root = xrealloc(NULL, (n ? n : 1) * sizeof *v->owner_root);
    v->owner_shape = xrealloc(NULL, (n ? n : 1) * sizeof *v->owner_shape);
    v->parent = xrealloc(NULL, (n ? n : 1) * sizeof *v->parent);
    v->path = xrealloc(NULL, (n ? n : 1) * sizeof *v->path);
    v->pinned_by = xrealloc(NULL, (n ? n : 1) * sizeof *v->pinned_by);
    v->pinned = xrealloc(NULL, (n ? n : 1) * sizeof *v->pinned);
    v->is_shape = xrealloc(NULL, (n ? n : 1) * sizeof *v->is_shape);
    for (size_t i = 0; i < n; i++) {
        v->owner_root[i] = NULL;
        v->owner_shape[i] = NULL;
        v->parent[i] = NULL;
        v->path[i] = "";
        v->pinned_by[i] = NULL;
        v->pinned[i] = false;
        v->is_shape[i] = false;
    }
    const ctype **stack = NULL;
    size_t top = 0, cap = 0;
    for (size_t i = 0; i < m->shape_count; i++) {
        const ctype *t = m->shape_types[i];
        if (!t)
            continue;
        v->is_shape[t->index] = true;
        v->owner_shape[t->index] = m->shape_keys[i];
        stack = grow_array(stack, &cap, top + 1, sizeof *stack);
        stack[top++] = t;
    }
    for (size_t i = 0; i < m->version_count; i++) {
        v->owner_root[m->versions[i].type->index] = &m->versions[i];
        stack = grow_array(stack, &cap, top + 1, sizeof *stack);
        stack[top++] = m->versions[i].type;
    }
    while (top) {
        const ctype *t = stack[--top];
        size_t ti = t->index;
        const ctype *up = entity_name(t) ? t : v->parent[ti];
        for (size_t k = 0; k < t->field_count + 1; k++) {
            const ctype *u = k < t->field_count ? t->fields[k].type : t->element_type;
            if (!u || v->is_shape[u->index])
                continue;
            v->owner_root[u->index] = v->owner_root[ti];
            v->owner_shape[u->index] = v->owner_shape[ti];
            v->parent[u->index] = up;
            text_buf b = {0};
            text_str(&b, v->path[ti]);
            path_push(&b, k < t->field_count ? t->fields[k].p->name : "*");
            v->path[u->index] = model_strdup(d->arena, text_content(&b));
            text_free(&b);
            stack = grow_array(stack, &cap, top + 1, sizeof *stack);
            stack[top++] = u;
        }
    }
    free(stack);
}

/* Old model: the types some unchanged event version (or a wire's form,
 * which has no version) uses, at any depth. */
static void pin_types(differ *d, cview *v)
{
    const cmodel *m = v->m;
    size_t n = m->type_count;
    const ctype **stack = xrealloc(NULL, (n ? n : 1) * sizeof *stack);
    for (size_t r = 0; r < m->version_count + m->form_count; r++) {
        const croot *root = r < m->version_count ? &m->versions[r] : &m->forms[r - m->version_count];
        if (root->event) {
            const event *ne = find_event(d->new_events, d->nc->event_count, root->event->name);
            if (!ne || !find_version(ne, root->version->v))
                continue;
        }
        if (v->pinned[root->type->index])
            continue;
        size_t top = 0;
        v->pinned[root->type->index] = true;
        v->pinned_by[root->type->index] = root;
        stack[top++] = root->type;
        while (top) {
            const ctype *t = stack[--top];
            for (size_t k = 0; k < t->base_count + t->field_count + 1; k++) {
                const ctype *u = k < t->base_count                  ? t->bases[k].type
                                 : k < t->base_count + t->field_count ? t->fields[k - t->base_count].type
                                                                      : t->element_type;
                if (!u || v->pinned[u->index])
                    continue;
                v->pinned[u->index] = true;
                v->pinned_by[u->index] = root;
                stack[top++] = u;
            }
        }
    }
    free(stack);
}

static void build_cview(differ *d, cview *v, const cmodel *m, bool old_side)
{
    memset(v, 0, sizeof *v);
    v->m = m;
    attribute_types(d, v);
    if (old_side)
        pin_types(d, v);
    collect_entities(d, v);
    if (v->ent_count)
        qsort(v->ents, v->ent_count, sizeof *v->ents, cmp_entity);
}

static void free_cview(cview *v)
{
    free(v->owner_root);
    free(v->owner_shape);
    free(v->parent);
    free(v->path);
    free(v->pinned_by);
    free(v->pinned);
    free(v->is_shape);
    free(v->ents);
}

static bool has_type(const cview *v, const char *name)
{
    centity key = {.kind = ENT_TYPE, .owner = "", .name = name};
    return v->ent_count && bsearch(&key, v->ents, v->ent_count, sizeof *v->ents, cmp_entity) != NULL;
}

/* Records a C change about (a name of) old type t, in its owner's scope:
 * an event version, or a shape (then `why` also says which unchanged
 * version uses it, when tell_users). */
static pending *emit_c(differ *d, const cview *ov, const ctype *t, const char *key,
                       diff_rule rule, src_mark old_at, src_mark new_at, const char *what,
                       const char *why, const char *was, bool tell_users)
{
    size_t ti = t->index;
    const croot *root = ov->owner_root[ti];
    const shape *sh = ov->owner_shape[ti];
    scope s = {.rank = root ? SCOPE_EVENT : SCOPE_SHAPE, .unbumped = ov->pinned[ti]};
    const char *subject;
    if (root) {
        s.name = root->event->name;
        s.event = root->event;
        s.version = root->version;
        subject = afmt(d, "event '%s' %s:", root->event->name, root->version->text);
    } else {
        s.name = sh ? sh->name : "";
        subject = afmt(d, "shape '%s':", s.name);
        const croot *by = ov->pinned_by[ti];
        const char *users = !by       ? "no unchanged event version uses the shape"
                            : by->event ? afmt(d, "used by event '%s' %s", by->event->name,
                                               by->version->text)
                                        : "the shape is a form's payload";
        if (tell_users)
            why = why ? afmt(d, "%s; %s", why, users) : users;
    }
    pending *p = emit(d, &s, rule, old_at, new_at, what, was);
    p->subject = subject;
    p->why = why;
    p->c.shape = root ? NULL : s.name;
    text_buf b = {0};
    text_str(&b, ov->path[ti]);
    if (key)
        path_push(&b, key);
    p->c.path = model_strdup(d->arena, text_content(&b));
    text_free(&b);
    return p;
}

static const char *member_what(differ *d, const centity *e)
{
    switch (e->member) {
    case MEMBER_PRESENCE: return afmt(d, "the presence flag of property '%s'", e->key);
    case MEMBER_NULL: return afmt(d, "the null flag of property '%s'", e->key);
    case MEMBER_BASE: return afmt(d, "the embedded shape type '%s'", e->spelled);
    case MEMBER_VALUE: return afmt(d, "property '%s'", e->key);
    case MEMBER_ENTRY_VALUE: return "the value of each map entry";
    }
    return NULL;
}

/* Member entities by kind, then property key (none first). */
static int cmp_member_key(const void *x, const void *y)
{
    const centity *a = *(const centity *const *)x, *b = *(const centity *const *)y;
    if (a->member != b->member)
        return a->member < b->member ? -1 : 1;
    if (!a->key || !b->key)
        return (a->key != NULL) - (b->key != NULL);
    return strcmp(a->key, b->key);
}

/* Pairs the names one type lost with those it gained: the same property
 * under a new c_name, or (a guess, said as such) the only name of its kind
 * lost and gained with the same C type; for an enum, the only enumerator
 * lost and gained. Reports renames and removals. Sorting, no nested loops:
 * one struct may have many members. */
static void report_member_group(differ *d, const cview *ov, const centity **gone, size_t ng,
                                const centity **came, size_t nc, bool enumerators)
{
    const centity **match = xrealloc(NULL, (ng ? ng : 1) * sizeof *match);
    bool *used = xrealloc(NULL, (nc ? nc : 1) * sizeof *used);
    for (size_t i = 0; i < ng; i++)
        match[i] = NULL;
    for (size_t j = 0; j < nc; j++)
        used[j] = false;
    if (!enumerators) {
        qsort(gone, ng, sizeof *gone, cmp_member_key);
        qsort(came, nc, sizeof *came, cmp_member_key);
        for (size_t i = 0, j = 0; i < ng && j < nc;) {
            int c = cmp_member_key(&gone[i], &came[j]);
            if (c == 0 && gone[i]->key) {
                match[i++] = came[j];
                used[j++] = true;
            } else if (c <= 0) {
                i++;
            } else {
                j++;
            }
        }
    }
    /* One left on each side, of one kind (and C type): a rename. */
    size_t g_left[MEMBER_ENTRY_VALUE + 1] = {0}, c_left[MEMBER_ENTRY_VALUE + 1] = {0};
    size_t g_at[MEMBER_ENTRY_VALUE + 1] = {0}, c_at[MEMBER_ENTRY_VALUE + 1] = {0};
    for (size_t i = 0; i < ng; i++)
        if (!match[i]) {
            size_t k = enumerators ? 0 : gone[i]->member;
            g_left[k]++;
            g_at[k] = i;
        }
    for (size_t j = 0; j < nc; j++)
        if (!used[j]) {
            size_t k = enumerators ? 0 : came[j]->member;
            c_left[k]++;
            c_at[k] = j;
        }
    bool guess = !(ng && gone[0]->form_kind);   /* form payloads are not renamed */
    for (size_t k = 0; k <= MEMBER_ENTRY_VALUE && guess; k++)
        if (g_left[k] == 1 && c_left[k] == 1 &&
            (enumerators || same_text(gone[g_at[k]]->spelled, came[c_at[k]]->spelled)))
            match[g_at[k]] = came[c_at[k]];
    for (size_t i = 0; i < ng; i++) {
        const centity *g = gone[i], *to = match[i];
        if (enumerators) {
            if (to)
                emit_c(d, ov, g->type, NULL, DIFF_C_ENUMERATOR_RENAMED, g->mark, to->mark,
                       afmt(d, "C enumerator '%s' of '%s' is now '%s'", g->name, g->owner,
                            to->name),
                       afmt(d, "value '%s' became '%s'", g->key, to->key), NULL, true);
            else if (g->form_kind)
                emit_c(d, ov, g->type, NULL, DIFF_C_ENUMERATOR_REMOVED, g->mark, (src_mark){0, 0},
                       afmt(d, "C enumerator '%s' of '%s' is gone", g->name, g->owner),
                       afmt(d, "the shape is no longer a form's payload: the parse and "
                               "serialize functions of '%s' are gone too",
                            g->type->name),
                       NULL, false);
            else
                emit_c(d, ov, g->type, NULL, DIFF_C_ENUMERATOR_REMOVED, g->mark, (src_mark){0, 0},
                       afmt(d, "C enumerator '%s' of '%s' is gone", g->name, g->owner),
                       afmt(d, "value '%s'", g->key), NULL, true);
            continue;
        }
        const char *key = g->member == MEMBER_BASE || g->member == MEMBER_ENTRY_VALUE ? NULL : g->key;
        if (to)
            emit_c(d, ov, g->type, key, DIFF_C_MEMBER_RENAMED, g->mark, to->mark,
                   afmt(d, "C member '%s' of '%s' is now '%s'", g->name, g->owner, to->name),
                   g->key && to->key && strcmp(g->key, to->key) == 0
                       ? "the property has a new c_name"
                       : "a guess: the only one of its kind removed and added, of the same C type",
                   NULL, true);
        else
            emit_c(d, ov, g->type, key, DIFF_C_MEMBER_REMOVED, g->mark, (src_mark){0, 0},
                   afmt(d, "C member '%s' of '%s' is gone", g->name, g->owner), member_what(d, g),
                   NULL, true);
    }
    free(match);
    free(used);
}

static int cmp_fingerprint(const void *x, const void *y)
{
    uint64_t a = (*(const centity *const *)x)->fingerprint, b = (*(const centity *const *)y)->fingerprint;
    return (a > b) - (a < b);
}

/* The one entity of that fingerprint in sorted[0..n), or NULL (none, or several). */
static const centity *unique_fingerprint(const centity **sorted, size_t n, uint64_t fp)
{
    size_t lo = 0, hi = n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (sorted[mid]->fingerprint < fp)
            lo = mid + 1;
        else
            hi = mid;
    }
    if (lo == n || sorted[lo]->fingerprint != fp)
        return NULL;
    if (lo + 1 < n && sorted[lo + 1]->fingerprint == fp)
        return NULL;
    return sorted[lo];
}

static void compare_types(differ *d, const cview *ov, const cview *nv, const centity **gone,
                          size_t ng, const centity **came, size_t nc)
{
    qsort(came, nc, sizeof *came, cmp_fingerprint);
    const centity **gone_fp = xrealloc(NULL, (ng ? ng : 1) * sizeof *gone_fp);
    copy_pointers(gone_fp, gone, ng, sizeof *gone_fp);
    qsort(gone_fp, ng, sizeof *gone_fp, cmp_fingerprint);
    for (size_t i = 0; i < ng; i++) {
        const centity *g = gone[i];
        const ctype *up = ov->parent[g->type->index];
        if (up && !has_type(nv, entity_name(up)))
            continue;   /* the type that holds it is gone or renamed: said there */
        const centity *to = unique_fingerprint(came, nc, g->fingerprint);
        if (to && unique_fingerprint(gone_fp, ng, g->fingerprint) != g)
            to = NULL;
        const croot *root = ov->owner_root[g->type->index];
        bool version_type = root && root->type == g->type;
        if (to && (g->type->field_count || g->type->base_count || g->type->kind != CTYPE_STRUCT))
            emit_c(d, ov, g->type, NULL, DIFF_C_TYPE_RENAMED, g->mark, to->mark,
                   afmt(d, "C type '%s' is now '%s'", g->name, to->name),
                   afmt(d, "%s, of the same content", to->type->title), NULL, true);
        else
            emit_c(d, ov, g->type, NULL, DIFF_C_TYPE_REMOVED, g->mark, (src_mark){0, 0},
                   afmt(d, "C type '%s' is gone", g->name),
                   version_type ? "and the version's functions and macros with it" : g->type->title,
                   NULL, true);
    }
    free(gone_fp);
}

static const char *ctype_noun(const ctype *t)
{
    switch (t->kind) {
    case CTYPE_STRUCT: return "a struct";
    case CTYPE_ENUM: return "an enum";
    case CTYPE_MAP: return "a map entry struct";
    case CTYPE_ARRAY: return "an array";
    }
    return "?";
}

static void compare_c(differ *d)
{
    cview ov, nv;
    build_cview(d, &ov, d->om, true);
    build_cview(d, &nv, d->nm, false);
    size_t total = ov.ent_count + nv.ent_count;
    const centity **gone = xrealloc(NULL, (total ? total : 1) * sizeof *gone);
    const centity **came = xrealloc(NULL, (total ? total : 1) * sizeof *came);
    size_t ng = 0, nc = 0, i = 0, j = 0;
    /* Types first (the entities sort by kind), then members, then enumerators;
     * within a kind by owner, so one type's names are together. */
    ent_kind group_kind = ENT_TYPE;
    const char *group_owner = "";
    while (i < ov.ent_count || j < nv.ent_count || ng || nc) {
        const centity *a = i < ov.ent_count ? &ov.ents[i] : NULL;
        const centity *b = j < nv.ent_count ? &nv.ents[j] : NULL;
        const centity *next = !a ? b : !b ? a : cmp_entity(a, b) <= 0 ? a : b;
        /* A group ends where the kind or the owner changes. */
        if (!next || next->kind != group_kind ||
            (group_kind != ENT_TYPE && strcmp(next->owner, group_owner) != 0)) {
            if (group_kind == ENT_TYPE)
                compare_types(d, &ov, &nv, gone, ng, came, nc);
            else if (ng && (has_type(&nv, group_owner) ||
                            strcmp(group_owner, d->om->fixed.kind_type) == 0))
                report_member_group(d, &ov, gone, ng, came, nc, group_kind == ENT_ENUMERATOR);
            ng = nc = 0;
            if (!next)
                break;
            group_kind = next->kind;
            group_owner = next->owner;
        }
        int c = !a ? 1 : !b ? -1 : cmp_entity(a, b);
        if (c < 0) {
            gone[ng++] = a;
            i++;
        } else if (c > 0) {
            came[nc++] = b;
            j++;
        } else {
            if (a->kind == ENT_MEMBER && !same_text(a->spelled, b->spelled))
                emit_c(d, &ov, a->type,
                       a->member == MEMBER_BASE || a->member == MEMBER_ENTRY_VALUE ? NULL : a->key,
                       DIFF_C_MEMBER_TYPE_CHANGED, a->mark, b->mark,
                       afmt(d, "C member '%s' of '%s' is now '%s'", a->name, a->owner, b->spelled),
                       NULL, afmt(d, "'%s'", a->spelled), true);
            if (a->kind == ENT_TYPE && a->type->kind != b->type->kind)
                emit_c(d, &ov, a->type, NULL, DIFF_C_TYPE_CHANGED, a->mark, b->mark,
                       afmt(d, "C type '%s' is now %s", a->name, ctype_noun(b->type)), NULL,
                       ctype_noun(a->type), true);
            /* A shape's doc is its type's comment; other docs are reported on the wire side. */
            if (a->kind == ENT_TYPE && ov.is_shape[a->type->index] && nv.is_shape[b->type->index] &&
                !same_text(a->type->doc, b->type->doc))
                emit_c(d, &ov, a->type, NULL, DIFF_DOC_CHANGED, a->mark, b->mark, "doc changed",
                       NULL, NULL, false);
            i++, j++;
        }
    }
    free(gone);
    free(came);
    free_cview(&ov);
    free_cview(&nv);
}

/* MARK: messages and order ----------------------------------------------- */

static const char *display_path(const char *path)
{
    return path[0] == '/' ? path + 1 : path;
}

static const char *subject_of(differ *d, const pending *p)
{
    if (p->subject)
        return p->subject;
    const diff_change *c = &p->c;
    if (c->wire) {
        const char *s = afmt(d, "wire '%s'", c->wire);
        if (p->form_payload)
            s = afmt(d, "%s payload '%s'", s, p->form_payload);
        if (c->path)
            s = afmt(d, "%s %s '%s'", s, p->form_payload ? "property" : "member",
                     display_path(c->path));
        return s;
    }
    const char *s = afmt(d, "event '%s'", c->event);
    if (c->version)
        s = afmt(d, "%s %s", s, c->version);
    if (c->path)
        s = c->path[0] ? afmt(d, "%s property '%s'", s, display_path(c->path))
                       : afmt(d, "%s payload", s);
    return s;
}

/* "<subject> <detail> (<why>; compared with V; was W at OLD:l:c)": the
 * old position only when the line starts with the new one. */
static void write_message(differ *d, pending *p)
{
    diff_change *c = &p->c;
    const char *notes = p->why;
    if (c->compared_with) {
        const char *cw = afmt(d, "compared with %s", c->compared_with);
        notes = notes ? afmt(d, "%s; %s", notes, cw) : cw;
    }
    const char *was = NULL;
    if (c->old_at.line && c->new_at.line)
        was = p->was ? afmt(d, "was %s at %s:%u:%u", p->was, d->oc->path, c->old_at.line,
                            c->old_at.col)
                     : afmt(d, "was at %s:%u:%u", d->oc->path, c->old_at.line, c->old_at.col);
    else if (p->was)
        was = afmt(d, "was %s", p->was);
    if (was)
        notes = notes ? afmt(d, "%s; %s", notes, was) : was;
    const char *m = afmt(d, "%s %s", subject_of(d, p), p->detail);
    c->message = notes ? afmt(d, "%s (%s)", m, notes) : m;
}

static int cmp_mark(src_mark a, src_mark b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return (a.col > b.col) - (a.col < b.col);
}

static int cmp_pending(const void *x, const void *y)
{
    const pending *a = x, *b = y;
    if (a->rank != b->rank)
        return a->rank < b->rank ? -1 : 1;
    int c = strcmp(a->scope_name, b->scope_name);
    if (c)
        return c;
    if (!a->c.version != !b->c.version)
        return a->c.version ? 1 : -1;
    if (a->c.version && (c = semver_compare(a->sort_version, b->sort_version)) != 0)
        return c;
    /* The version (or event, wire) itself before what is inside it. */
    if (!a->c.path != !b->c.path)
        return a->c.path ? 1 : -1;
    /* Then where it is, new positions before old-only ones. */
    bool an = a->c.new_at.line != 0, bn = b->c.new_at.line != 0;
    if (an != bn)
        return an ? -1 : 1;
    if ((c = cmp_mark(an ? a->c.new_at : a->c.old_at, bn ? b->c.new_at : b->c.old_at)) != 0)
        return c;
    if ((c = strcmp(rule_ids[a->c.rule], rule_ids[b->c.rule])) != 0)
        return c;
    if ((c = strcmp(a->c.path ? a->c.path : "", b->c.path ? b->c.path : "")) != 0)
        return c;
    return strcmp(a->c.message, b->c.message);
}

/* MARK: entry point ------------------------------------------------------ */

void diff_catalogs(const catalog *old_cat, const cmodel *old_c, const catalog *new_cat,
                   const cmodel *new_c, const diff_options *opt, diff_result *out)
{
    memset(out, 0, sizeof *out);
    differ d = {.oc = old_cat, .nc = new_cat, .om = old_c, .nm = new_c, .today = opt->today};
    d.arena = model_arena_new();
    d.old_events = sorted_events(old_cat);
    d.new_events = sorted_events(new_cat);

    compare_products(&d);
    compare_wire_lists(&d, old_cat->wires, old_cat->wire_count, new_cat->wires,
                       new_cat->wire_count, false);
    compare_events(&d);
    compare_c(&d);

    for (size_t i = 0; i < d.out.count; i++) {
        pending *p = &d.out.items[i];
        if (!p->scope_name)
            p->scope_name = "";
        write_message(&d, p);
        diff_class cls = rule_classes[p->c.rule];
        p->c.fails = (cls != DIFF_COMPATIBLE && p->c.unbumped) ||
                     p->c.rule == DIFF_VERSION_REMOVED_BEFORE_SUNSET ||
                     p->c.rule == DIFF_EVENT_REMOVED_BEFORE_SUNSET;
    }
    if (d.out.count)
        qsort(d.out.items, d.out.count, sizeof *d.out.items, cmp_pending);

    out->changes = model_alloc(d.arena, (d.out.count ? d.out.count : 1) * sizeof *out->changes);
    for (size_t i = 0; i < d.out.count; i++) {
        out->changes[i] = d.out.items[i].c;
        out->per_class[rule_classes[out->changes[i].rule]]++;
        out->failing += out->changes[i].fails;
    }
    out->count = d.out.count;
    out->arena_ = d.arena;

    for (size_t i = 0; i < d.memo_cap; i++)
        if (d.memo[i])
            free(d.memo[i]->changes.items);
    free(d.memo);
    free(d.out.items);
    free(d.old_events);
    free(d.new_events);
}

void diff_result_free(diff_result *r)
{
    if (r->arena_)
        model_arena_free(r->arena_);
    memset(r, 0, sizeof *r);
}
