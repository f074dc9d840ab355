/* cmodel.c - one C type per catalog definition, and every name the
 * generated code defines (see cmodel.h).
 *
 * Types are built depth first from the catalog (a shape once, on its first
 * use; an inline definition where it is written) and listed in post-order,
 * so each comes after the types it uses. Every identifier is registered
 * with the catalog position it comes from and what it is for; a sort then
 * finds any two that meet, file scope and struct members alike, in
 * O(n log n) whatever the catalog. */
#include "cmodel.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

/* MARK: allocation ------------------------------------------------------ */

/* Everything the model allocates, freed at once by cmodel_free. */
typedef struct pool {
    void **items;
    size_t count, cap;
} pool;

static void *pool_keep(pool *p, void *ptr)
{
    if (!ptr) {
        fputs("evgen: out of memory\n", stderr);
        abort();
    }
    if (p->count == p->cap) {
        p->cap = p->cap ? p->cap * 2 : 256;
        p->items = realloc(p->items, p->cap * sizeof *p->items);
        if (!p->items) {
            fputs("evgen: out of memory\n", stderr);
            abort();
        }
    }
    p->items[p->count++] = ptr;
    return ptr;
}

static void *pool_calloc(pool *p, size_t n, size_t size)
{
    return pool_keep(p, calloc(n ? n : 1, size));
}

static char *pool_fmt(pool *p, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static char *pool_fmt(pool *p, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    char *s = pool_keep(p, malloc((size_t)n + 1));
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    return s;
}

/* MARK: the name registry ----------------------------------------------- */

/* What a struct member is for, to say so in a clash. */
typedef enum member_use {
    MEMBER_VALUE,      /* the property's c_name */
    MEMBER_PRESENCE,   /* has_<c_name> */
    MEMBER_NULL,       /* <c_name>_is_null */
    MEMBER_BASE,       /* an embedded shape */
} member_use;

/* One identifier: at file scope (scope 0) or a member of the struct whose
 * id is scope - 1. */
typedef struct name_use {
    const char *name;
    size_t scope;
    src_mark mark;
    const char *what;          /* "event 'x' version 1.0.0", "property 'y'", ... */
    const char *prop_name;     /* members: the property (or shape) it stands for */
    member_use role;
    size_t seq;                /* registration order: ties keep it */
} name_use;

typedef struct builder {
    cmodel *m;
    pool *pool;
    diag *d;
    const char *path;
    name_use *names;
    size_t name_count, name_cap;
    /* shapes -> their types, sorted by shape address for lookup */
    const shape **shape_keys;
    ctype **shape_types;
    size_t shape_count;
    ctype **order;             /* post-order of finished types */
    size_t order_count, order_cap;
    size_t next_id;
    const char **version_keys; /* payload members that carry an event version */
    size_t version_key_count;
    bool ok;
} builder;

static void add_name(builder *b, size_t scope, src_mark mark, const char *what, const char *name,
                     const char *prop_name, member_use role)
{
    if (b->name_count == b->name_cap) {
        b->name_cap = b->name_cap ? b->name_cap * 2 : 1024;
        b->names = realloc(b->names, b->name_cap * sizeof *b->names);
        if (!b->names)
            abort();
    }
    b->names[b->name_count] = (name_use){name, scope, mark, what, prop_name, role, b->name_count};
    b->name_count++;
}

/* A file-scope identifier. */
static void define(builder *b, src_mark mark, const char *what, const char *name)
{
    add_name(b, 0, mark, what, name, NULL, MEMBER_VALUE);
}

static char *define_fmt(builder *b, src_mark mark, const char *what, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
static char *define_fmt(builder *b, src_mark mark, const char *what, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    if (n < 0)
        abort();
    char *s = pool_keep(b->pool, malloc((size_t)n + 1));
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    define(b, mark, what, s);
    return s;
}

static int cmp_mark(src_mark a, src_mark b)
{
    if (a.line != b.line)
        return a.line < b.line ? -1 : 1;
    return a.col < b.col ? -1 : a.col > b.col;
}

static int cmp_name_use(const void *x, const void *y)
{
    const name_use *a = x, *b = y;
    if (a->scope != b->scope)
        return a->scope < b->scope ? -1 : 1;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    c = cmp_mark(a->mark, b->mark);
    return c ? c : (a->seq > b->seq) - (a->seq < b->seq);
}

/* A clash: `later` repeats `earlier`. */
typedef struct name_clash {
    const name_use *later, *earlier;
} name_clash;

static int cmp_clash(const void *x, const void *y)
{
    const name_clash *a = x, *b = y;
    int c = cmp_mark(a->later->mark, b->later->mark);
    return c ? c : (a->later->seq > b->later->seq) - (a->later->seq < b->later->seq);
}

static const char *const role_noun[] = {"property", "the presence flag of property",
                                        "the null flag of property", "the embedded shape"};
static const char *const role_suffix[] = {"", " (its presence flag)", " (its null flag)",
                                          " (the embedded shape)"};

static void report_clash(builder *b, const name_use *later, const name_use *earlier)
{
    if (later->scope) {
        const char *own = later->role == MEMBER_BASE ? "extends" : "property";
        if (later->role == MEMBER_VALUE && earlier->role == MEMBER_VALUE)
            diag_error(b->d, b->path, later->mark,
                       "%s '%s': C name '%s' is already used by property '%s'; set a different "
                       "c_name:",
                       own, later->prop_name, later->name, earlier->prop_name);
        else
            diag_error(b->d, b->path, later->mark,
                       "%s '%s': C member '%s'%s is already used by %s '%s'; %s", own,
                       later->prop_name, later->name, role_suffix[later->role],
                       role_noun[earlier->role], earlier->prop_name,
                       later->role == MEMBER_BASE && earlier->role == MEMBER_BASE
                           ? "rename a shape"
                           : "set a different c_name:");
    } else {
        /* A property (or what it defines) can take another C name and keep
         * its key; anything else is renamed in the catalog. */
        const char *hint = strncmp(later->what, "property '", 10) == 0 ||
                                   strncmp(later->what, "the items of property '", 23) == 0 ||
                                   strncmp(later->what, "the values of property '", 24) == 0
                               ? " (a property keeps its key with c_name)"
                               : "";
        if (earlier->mark.line == 0)
            diag_error(b->d, b->path, later->mark,
                       "generated C name '%s' (for %s) is one evgen defines itself; rename it%s",
                       later->name, later->what, hint);
        else
            diag_error(b->d, b->path, later->mark,
                       "generated C name '%s' (for %s) is also defined for %s (line %u); rename "
                       "one%s",
                       later->name, later->what, earlier->what, earlier->mark.line, hint);
    }
    b->ok = false;
}

/* Reports identifiers defined twice, one error per catalog position (a
 * clash of two definitions repeats in every name derived from both), in
 * the order of the catalog. */
static void check_names(builder *b)
{
    qsort(b->names, b->name_count, sizeof *b->names, cmp_name_use);
    name_clash *clashes = malloc((b->name_count ? b->name_count : 1) * sizeof *clashes);
    if (!clashes)
        abort();
    size_t n = 0, run = 0;   /* run: the earliest use of the current name */
    for (size_t i = 1; i < b->name_count; i++) {
        const name_use *x = &b->names[i], *y = &b->names[i - 1];
        if (x->scope == y->scope && strcmp(x->name, y->name) == 0)
            clashes[n++] = (name_clash){x, &b->names[run]};
        else
            run = i;
    }
    qsort(clashes, n, sizeof *clashes, cmp_clash);
    for (size_t c = 0; c < n; c++) {
        if (c > 0 && clashes[c - 1].later->scope == clashes[c].later->scope &&
            cmp_mark(clashes[c - 1].later->mark, clashes[c].later->mark) == 0)
            continue;
        report_clash(b, clashes[c].later, clashes[c].earlier);
    }
    free(clashes);
}

/* MARK: types ----------------------------------------------------------- */

static ctype *new_type(builder *b, ctype_kind kind, char *name, const char *title, const char *doc,
                       src_mark mark)
{
    ctype *t = pool_calloc(b->pool, 1, sizeof *t);
    t->kind = kind;
    t->id = b->next_id++;
    t->name = name;
    t->upper = pool_keep(b->pool, name_c_upper(name));
    t->title = title;
    t->doc = doc;
    t->mark = mark;
    return t;
}

static void finish_type(builder *b, ctype *t)
{
    if (b->order_count == b->order_cap) {
        b->order_cap = b->order_cap ? b->order_cap * 2 : 256;
        b->order = realloc(b->order, b->order_cap * sizeof *b->order);
        if (!b->order)
            abort();
    }
    t->index = b->order_count;
    b->order[b->order_count++] = t;
}

static int cmp_ptr(const void *x, const void *y)
{
    uintptr_t a = (uintptr_t)*(const shape *const *)x, c = (uintptr_t)*(const shape *const *)y;
    return (a > c) - (a < c);
}

static ctype **shape_slot(builder *b, const shape *s)
{
    const shape **hit = bsearch(&s, b->shape_keys, b->shape_count, sizeof *b->shape_keys, cmp_ptr);
    return hit ? &b->shape_types[hit - b->shape_keys] : NULL;
}

static ctype *struct_type(builder *b, char *name, const char *title, const char *doc,
                          src_mark mark, const prop_list *own, shape *const *bases,
                          const name_list *extends);

static ctype *shape_type(builder *b, shape *s)
{
    ctype **slot = shape_slot(b, s);
    if (!slot)
        abort();   /* every shape of a resolved catalog is in the table */
    if (!*slot) {
        char *lower = name_c_lower(s->name);
        char *name = pool_fmt(b->pool, "%s_%s", b->m->prefix, lower);
        free(lower);
        *slot = struct_type(b, name, pool_fmt(b->pool, "shape '%s'", s->name), s->doc, s->mark,
                            &s->own, s->bases, &s->extends);
    }
    return *slot;
}

/* The type a property's value needs, named `name` when it defines one
 * (inline object, enum, array, map); NULL for scalars and constants. */
static ctype *value_type(builder *b, const prop *p, char *name, const char *title);
static ctype *value_type_of(builder *b, const prop *p, char *name, const char *title);

static ctype *value_type(builder *b, const prop *p, char *name, const char *title)
{
    ctype *t = value_type_of(b, p, name, title);
    if (t && !t->def && !p->shape)
        t->def = p;
    return t;
}

static ctype *value_type_of(builder *b, const prop *p, char *name, const char *title)
{
    switch (p->kind) {
    case PROP_ENUM: {
        ctype *t = new_type(b, CTYPE_ENUM, name, title, p->doc, p->mark);
        define(b, p->mark, title, t->name);
        t->values = &p->enum_values;
        t->enumerators = pool_calloc(b->pool, p->enum_values.count, sizeof *t->enumerators);
        for (size_t i = 0; i < p->enum_values.count; i++) {
            char *vu = name_c_upper(p->enum_values.items[i]);
            src_mark at = p->enum_values.marks ? p->enum_values.marks[i] : p->mark;
            t->enumerators[i] = define_fmt(b, at, pool_fmt(b->pool, "value '%s' of %s",
                                                          p->enum_values.items[i], title),
                                           "%s_%s", t->upper, vu);
            free(vu);
        }
        t->count_enumerator = define_fmt(b, p->mark, title, "%s_COUNT_", t->upper);
        t->name_fn = define_fmt(b, p->mark, title, "%s_name", t->name);
        t->match_fn = define_fmt(b, p->mark, title, "match_%s", t->name);
        t->parse_fn = define_fmt(b, p->mark, title, "parse_%s", t->name);
        t->write_fn = define_fmt(b, p->mark, title, "write_%s", t->name);
        finish_type(b, t);
        return t;
    }
    case PROP_OBJECT:
        if (p->shape)
            return shape_type(b, p->shape);
        return struct_type(b, name, title, p->doc, p->mark, &p->own, p->bases, &p->extends);
    case PROP_ARRAY:
    case PROP_MAP: {
        ctype *t = new_type(b, p->kind == PROP_ARRAY ? CTYPE_ARRAY : CTYPE_MAP, name, title, p->doc,
                            p->mark);
        t->element = p->items;
        bool map = p->kind == PROP_MAP;
        t->element_type = value_type(b, p->items, pool_fmt(b->pool, "%s_%s", name, map ? "value" : "item"),
                                       pool_fmt(b->pool, "the %s of %s", map ? "values" : "items", title));
        if (map)
            t->entry_type = define_fmt(b, p->mark, title, "%s_entry", name);
        t->parse_fn = define_fmt(b, p->mark, title, "parse_%s", t->name);
        t->write_fn = define_fmt(b, p->mark, title, "write_%s", t->name);
        finish_type(b, t);
        return t;
    }
    default:
        return NULL;
    }
}

static ctype *struct_type(builder *b, char *name, const char *title, const char *doc,
                          src_mark mark, const prop_list *own, shape *const *bases,
                          const name_list *extends)
{
    ctype *t = new_type(b, CTYPE_STRUCT, name, title, doc, mark);
    define(b, mark, title, t->name);
    size_t scope = t->id + 1;
    size_t nb = 0;
    for (size_t i = 0; i < extends->count; i++)
        nb += bases && bases[i] != NULL;
    t->bases = pool_calloc(b->pool, nb, sizeof *t->bases);
    for (size_t i = 0; i < extends->count; i++) {
        if (!bases || !bases[i])
            continue;
        cbase *base = &t->bases[t->base_count++];
        base->type = shape_type(b, bases[i]);
        base->member = pool_keep(b->pool, name_c_lower(bases[i]->name));
        base->first_key = t->key_count;
        t->key_count += base->type->key_count;
        src_mark at = extends->marks ? extends->marks[i] : mark;
        if (name_is_c_keyword(base->member) || name_is_c_reserved(base->member)) {
            diag_error(b->d, b->path, at,
                       "extends '%s': the shape becomes the C member '%s', which C reserves; "
                       "rename the shape",
                       bases[i]->name, base->member);
            b->ok = false;
        }
        add_name(b, scope, at, title, base->member, bases[i]->name, MEMBER_BASE);
    }
    t->fields = pool_calloc(b->pool, own->count, sizeof *t->fields);
    t->field_count = own->count;
    t->key_count += own->count;
    t->stores = t->base_count > 0;
    for (size_t i = 0; i < own->count; i++) {
        const prop *p = own->items[i];
        cfield *f = &t->fields[i];
        f->p = p;
        f->member = p->c_name;
        add_name(b, scope, p->mark, title, f->member, p->name, MEMBER_VALUE);
        if (!p->required) {
            f->has_member = pool_fmt(b->pool, "has_%s", p->c_name);
            add_name(b, scope, p->mark, title, f->has_member, p->name, MEMBER_PRESENCE);
        }
        if (p->nullable) {
            f->null_member = pool_fmt(b->pool, "%s_is_null", p->c_name);
            add_name(b, scope, p->mark, title, f->null_member, p->name, MEMBER_NULL);
        }
        if (p->kind != PROP_CONST || !p->required || p->nullable)
            t->stores = true;
        f->type = value_type(b, p, pool_fmt(b->pool, "%s_%s", name, p->c_name),
                             pool_fmt(b->pool, "property '%s' of %s", p->name, title));
    }
    if (!t->stores)
        add_name(b, scope, mark, title, "unused_", "(placeholder)", MEMBER_VALUE);
    t->match_fn = define_fmt(b, mark, title, "match_%s", t->name);
    t->members_fn = define_fmt(b, mark, title, "members_%s", t->name);
    t->required_fn = define_fmt(b, mark, title, "required_%s", t->name);
    t->parse_fn = define_fmt(b, mark, title, "parse_%s", t->name);
    t->write_members_fn = define_fmt(b, mark, title, "write_members_%s", t->name);
    t->write_fn = define_fmt(b, mark, title, "write_%s", t->name);
    finish_type(b, t);
    return t;
}

/* MARK: roots ----------------------------------------------------------- */

static void name_root(builder *b, croot *r, src_mark mark, const char *what)
{
    cmodel *m = b->m;
    const ctype *t = r->type;
    size_t skip = strlen(m->prefix) + 1;
    r->member = t->name + skip;
    r->kind = define_fmt(b, mark, what, "%s_KIND_%s", m->upper_prefix, t->upper + skip);
    r->parse_fn = define_fmt(b, mark, what, "%s_parse", t->name);
    r->serialize_fn = define_fmt(b, mark, what, "%s_serialize", t->name);
    r->parse_payload_fn = define_fmt(b, mark, what, "%s_parse_payload", t->name);
    r->write_payload_fn = define_fmt(b, mark, what, "%s_write_payload", t->name);
    r->serialized_max = define_fmt(b, mark, what, "%s_SERIALIZED_MAX", t->upper);
    r->arena_size_fn = define_fmt(b, mark, what, "%s_arena_size", t->name);
    if (r->event) {
        r->parse_wire_fn = define_fmt(b, mark, what, "%s_parse_wire", t->name);
        r->serialize_wire_fn = define_fmt(b, mark, what, "%s_serialize_wire", t->name);
        r->wire_serialized_max = define_fmt(b, mark, what, "%s_WIRE_SERIALIZED_MAX", t->upper);
        r->event_macro = define_fmt(b, mark, what, "%s_EVENT", t->upper);
        r->version_macro = define_fmt(b, mark, what, "%s_VERSION", t->upper);
    }
}

static bool is_version_key(const builder *b, const char *key)
{
    for (size_t i = 0; i < b->version_key_count; i++)
        if (strcmp(b->version_keys[i], key) == 0)
            return true;
    return false;
}

/* Marks what roots reach: every type parsed from a root has its functions
 * emitted; a root and the bases under it hold the payload's own version
 * member. An explicit stack: no recursion however deep the catalog nests. */
static void mark_reachable(builder *b)
{
    cmodel *m = b->m;
    size_t cap = m->type_count + 1, top = 0;
    ctype **stack = malloc(cap * sizeof *stack);
    if (!stack)
        abort();
    /* Each type is pushed at most once per flag set: `reachable` first. */
    for (size_t i = 0; i < m->version_count + m->form_count; i++) {
        ctype *t = i < m->version_count ? m->versions[i].type : m->forms[i - m->version_count].type;
        t->as_value = true;
        if (!t->reachable) {
            t->reachable = true;
            stack[top++] = t;
        }
    }
    while (top) {
        ctype *t = stack[--top];
        for (size_t i = 0; i < t->base_count + t->field_count + 1; i++) {
            ctype *u;
            if (i < t->base_count)
                u = t->bases[i].type;
            else if (i < t->base_count + t->field_count)
                u = t->fields[i - t->base_count].type;
            else
                u = t->element_type;
            if (!u)
                continue;
            if (i >= t->base_count)
                u->as_value = true;
            if (!u->reachable) {
                u->reachable = true;
                stack[top++] = u;
            }
        }
    }
    /* Roots and their bases, down every level. */
    for (size_t i = 0; i < m->version_count + m->form_count; i++) {
        ctype *t = i < m->version_count ? m->versions[i].type : m->forms[i - m->version_count].type;
        if (t->at_root)
            continue;
        t->at_root = true;
        stack[top++] = t;
        while (top) {
            ctype *u = stack[--top];
            for (size_t j = 0; j < u->base_count; j++)
                if (!u->bases[j].type->at_root) {
                    u->bases[j].type->at_root = true;
                    stack[top++] = u->bases[j].type;
                }
        }
    }
    free(stack);
    for (size_t i = 0; i < m->type_count; i++) {
        ctype *t = m->types[i];
        if (t->kind != CTYPE_STRUCT || !t->at_root)
            continue;
        for (size_t j = 0; j < t->field_count; j++)
            t->fields[j].version_alt = t->fields[j].p->kind == PROP_CONST && t->fields[j].p->name &&
                                       is_version_key(b, t->fields[j].p->name);
    }
}

/* MARK: wires ----------------------------------------------------------- */

/* A member path as one string: each key as "<length>:<bytes>", so keys
 * holding any byte cannot run together. */
static char *path_join(const char *parent, const char *key)
{
    size_t pl = parent ? strlen(parent) : 0, kl = strlen(key);
    char *s = malloc(pl + kl + 24);
    if (!s)
        abort();
    snprintf(s, pl + kl + 24, "%s%zu:%s", parent ? parent : "", kl, key);
    return s;
}

typedef struct path_set {
    char **items;
    size_t count, cap;
    char *payload;   /* the current wire's payload path */
} path_set;

static void path_add(path_set *s, char *path)
{
    if (s->count == s->cap) {
        s->cap = s->cap ? s->cap * 2 : 64;
        s->items = realloc(s->items, s->cap * sizeof *s->items);
        if (!s->items)
            abort();
    }
    s->items[s->count++] = path;
}

/* Member levels are bounded (CHECK_MAX_WIRE_DEPTH), so this recursion is. */
static void collect_paths(path_set *s, const member_list *ms, const char *parent)
{
    for (size_t i = 0; i < ms->count; i++) {
        char *path = path_join(parent, ms->items[i]->key);
        path_add(s, path);
        if (ms->items[i]->role == ROLE_PAYLOAD)
            s->payload = path;
        if (ms->items[i]->role == ROLE_OBJECT)
            collect_paths(s, &ms->items[i]->members, path);
    }
}

static void check_wire_paths(builder *b, const catalog *c)
{
    path_set s = {0};
    for (size_t i = 0; i < c->wire_count; i++)
        for (size_t f = 0; f <= c->wires[i]->form_count; f++) {
            const wire *w = f ? c->wires[i]->forms[f - 1] : c->wires[i];
            s.payload = NULL;
            collect_paths(&s, &w->members, NULL);
            if (!s.payload)
                continue;
            const char *extra[3] = {w->payload_name, w->select ? NULL : w->payload_version,
                                    w->select};
            for (size_t x = 0; x < 3; x++)
                if (extra[x])
                    path_add(&s, path_join(s.payload, extra[x]));
        }
    size_t *first = names_first_index((const char *const *)s.items, s.count);
    size_t distinct = 0;
    for (size_t i = 0; i < s.count; i++)
        distinct += first[i] == i;
    if (distinct > CMODEL_MAX_WIRE_PATHS) {
        diag_error(b->d, b->path, c->wires[0]->mark,
                   "the wires have %zu distinct member paths together (at most %d)", distinct,
                   CMODEL_MAX_WIRE_PATHS);
        b->ok = false;
    }
    free(first);
    for (size_t i = 0; i < s.count; i++)
        free(s.items[i]);
    free(s.items);
}

const croot *cmodel_form_root(const cmodel *m, const shape *s)
{
    const shape **hit = bsearch(&s, m->shape_keys, m->shape_count, sizeof *m->shape_keys, cmp_ptr);
    if (!hit)
        return NULL;
    const ctype *t = m->shape_types[hit - m->shape_keys];
    return t && t->form_index ? &m->forms[t->form_index - 1] : NULL;
}

/* MARK: entry point ----------------------------------------------------- */

static void define_fixed(builder *b)
{
    cmodel *m = b->m;
    cfixed *x = &m->fixed;
    src_mark none = {0, 0};
    const char *p = m->prefix, *P = m->upper_prefix, *what = "a name evgen defines";
    struct {
        char **slot;
        const char *fmt;
        bool upper;
    } names[] = {
        {&x->any_type, "%s_any", false},           {&x->kind_type, "%s_kind", false},
        {&x->kind_none, "%s_KIND_NONE", true},     {&x->kind_count, "%s_KIND_COUNT_", true},
        {&x->product_all, "%s_PRODUCT_ALL", true}, {&x->product_count, "%s_PRODUCT_COUNT", true},
        {&x->event_count, "%s_EVENT_COUNT", true}, {&x->version_count, "%s_VERSION_COUNT", true},
        {&x->wire_count, "%s_WIRE_COUNT", true},   {&x->events_var, "%s_events", false},
        {&x->versions_var, "%s_versions", false},  {&x->wires_var, "%s_wires", false},
        {&x->catalog_var, "%s_catalog", false},    {&x->find_event_fn, "%s_find_event", false},
        {&x->find_version_fn, "%s_find_version", false},
        {&x->list_events_fn, "%s_list_events", false},
        {&x->events_json_fn, "%s_events_json", false},
        {&x->parse_any_fn, "%s_parse_any", false}, {&x->parse_bare_fn, "%s_parse_bare", false},
        {&x->serialize_any_fn, "%s_serialize_any", false},
        {&x->arena_size_fn, "%s_arena_size", false},
        {&x->product_name_fn, "%s_product_name", false},
        {&x->events_guard, "%s_EVENTS_H", true},   {&x->dispatch_guard, "%s_DISPATCH_H", true},
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        *names[i].slot = define_fmt(b, none, what, names[i].fmt, names[i].upper ? P : p);
    /* dispatch.c's own statics, which a catalog name could still meet. */
    x->nodes_var = define_fmt(b, none, what, "%s", "wire_nodes");
    x->event_wires_var = define_fmt(b, none, what, "%s", "event_wires");
    x->match_event_fn = define_fmt(b, none, what, "%s", "match_event");
    x->route_fn = define_fmt(b, none, what, "%s", "route_and_parse");
    x->slots_macro = define_fmt(b, none, what, "%s", "ROUTER_SLOTS");
    x->document_type = define_fmt(b, none, what, "%s", "any_document");
    x->document_body_fn = define_fmt(b, none, what, "%s", "parse_any_body");
    x->parse_document_fn = define_fmt(b, none, what, "%s", "parse_document");
}

bool cmodel_prefix_ok(const char *prefix)
{
    size_t n = strlen(prefix);
    if (n == 0 || n > 32 || prefix[n - 1] == '_' || strcmp(prefix, "evg") == 0 ||
        strncmp(prefix, "evg_", 4) == 0)
        return false;
    if (!(prefix[0] >= 'a' && prefix[0] <= 'z'))
        return false;
    for (size_t i = 1; i < n; i++)
        if (!((prefix[i] >= 'a' && prefix[i] <= 'z') || (prefix[i] >= '0' && prefix[i] <= '9') ||
              prefix[i] == '_'))
            return false;
    return true;
}

bool cmodel_build(const catalog *c, const char *prefix, cmodel *out, diag *d)
{
    memset(out, 0, sizeof *out);
    pool *pl = calloc(1, sizeof *pl);
    if (!pl)
        abort();
    out->catalog = c;
    out->prefix = prefix;
    builder b = {.m = out, .pool = pl, .d = d, .path = c->path, .ok = true};
    out->upper_prefix = pool_keep(pl, name_c_upper(prefix));
    define_fixed(&b);

    /* Every payload member that carries an event version. */
    size_t all_wires = 0;
    for (size_t i = 0; i < c->wire_count; i++)
        all_wires += 1 + c->wires[i]->form_count;
    b.version_keys = pool_calloc(pl, all_wires, sizeof *b.version_keys);
    for (size_t i = 0; i < c->wire_count; i++)
        for (size_t f = 0; f <= c->wires[i]->form_count; f++) {
            const wire *w = f ? c->wires[i]->forms[f - 1] : c->wires[i];
            if (w->payload_version && !w->select && !is_version_key(&b, w->payload_version))
                b.version_keys[b.version_key_count++] = w->payload_version;
        }

    b.shape_count = c->shape_count;
    b.shape_keys = pool_calloc(pl, c->shape_count, sizeof *b.shape_keys);
    b.shape_types = pool_calloc(pl, c->shape_count, sizeof *b.shape_types);
    for (size_t i = 0; i < c->shape_count; i++)
        b.shape_keys[i] = c->shapes[i];
    qsort(b.shape_keys, b.shape_count, sizeof *b.shape_keys, cmp_ptr);

    for (size_t i = 0; i < c->products.count; i++) {
        char *up = name_c_upper(c->products.items[i]);
        if (!out->product_macros)
            out->product_macros = pool_calloc(pl, c->products.count, sizeof *out->product_macros);
        out->product_macros[i] = define_fmt(&b, c->products.marks[i],
                                            pool_fmt(pl, "product '%s'", c->products.items[i]),
                                            "%s_PRODUCT_%s", out->upper_prefix, up);
        free(up);
    }

    /* Shapes in catalog order, then each event version. */
    for (size_t i = 0; i < c->shape_count; i++)
        shape_type(&b, c->shapes[i]);
    size_t nversions = 0;
    for (size_t i = 0; i < c->event_count; i++)
        nversions += c->events[i]->version_count;
    out->versions = pool_calloc(pl, nversions, sizeof *out->versions);
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        for (size_t j = 0; j < e->version_count; j++) {
            const event_version *v = e->versions[j];
            croot *r = &out->versions[out->version_count++];
            const char *what = pool_fmt(pl, "event '%s' version %s", e->name, v->text);
            char *name = pool_keep(pl, name_c_struct(prefix, e->name, v->text));
            r->event = e;
            r->version = v;
            r->type = struct_type(&b, name, what, e->summary, v->mark, &v->own, v->bases, &v->extends);
            name_root(&b, r, v->mark, what);
        }
    }

    /* Form payload types: their shape's type, named once. */
    size_t nforms = 0;
    for (size_t i = 0; i < c->wire_count; i++)
        for (size_t f = 0; f < c->wires[i]->form_count; f++)
            nforms += c->wires[i]->forms[f]->payload_count;
    out->forms = pool_calloc(pl, nforms, sizeof *out->forms);
    for (size_t i = 0; i < c->wire_count; i++)
        for (size_t f = 0; f <= c->wires[i]->form_count; f++) {
            const wire *w = f ? c->wires[i]->forms[f - 1] : c->wires[i];
            for (size_t j = 0; j < w->payload_count; j++) {
                const form_payload *fp = w->payloads[j];
                if (!fp->shape)
                    continue;
                ctype *t = shape_type(&b, fp->shape);
                if (t->form_index)
                    continue;
                t->form_index = out->form_count + 1;
                croot *r = &out->forms[out->form_count++];
                r->type = t;
                r->form_shape = fp->shape;
                name_root(&b, r, fp->mark, pool_fmt(pl, "the payload '%s' of wire '%s'",
                                                     fp->value, w->name));
            }
        }

    /* Wires: their static tables in dispatch.c. */
    out->wire_count = 0;
    for (size_t i = 0; i < c->wire_count; i++)
        out->wire_count += 1 + c->wires[i]->form_count;
    out->wire_members_vars = pool_calloc(pl, out->wire_count, sizeof *out->wire_members_vars);
    out->wire_payloads_vars = pool_calloc(pl, out->wire_count, sizeof *out->wire_payloads_vars);
    for (size_t i = 0, k = 0; i < c->wire_count; i++)
        for (size_t f = 0; f <= c->wires[i]->form_count; f++, k++) {
            const wire *w = f ? c->wires[i]->forms[f - 1] : c->wires[i];
            const char *what = pool_fmt(pl, "wire '%s'", w->name);
            out->wire_members_vars[k] = define_fmt(&b, w->mark, what, "wire_members_%zu", k);
            if (w->payload_count)
                out->wire_payloads_vars[k] = define_fmt(&b, w->mark, what, "wire_payloads_%zu", k);
        }
    if (c->wire_count)
        check_wire_paths(&b, c);

    out->shape_keys = b.shape_keys;
    out->shape_types = b.shape_types;
    out->shape_count = b.shape_count;
    out->types = b.order;
    out->type_count = b.order_count;
    b.order = NULL;
    pool_keep(pl, out->types ? (void *)out->types : malloc(1));
    mark_reachable(&b);
    check_names(&b);
    free(b.names);
    out->pool_ = pl;
    return b.ok;
}

void cmodel_free(cmodel *m)
{
    pool *pl = m->pool_;
    if (pl) {
        for (size_t i = 0; i < pl->count; i++)
            free(pl->items[i]);
        free(pl->items);
        free(pl);
    }
    memset(m, 0, sizeof *m);
}
