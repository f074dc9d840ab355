/* catalog_check.c - semantic checks and resolution of a loaded catalog.
 *
 * Order of work: events and versions (names, semver, dates), then every
 * shape in catalog order (depth first through `extends` and shape types, so
 * cycles are found on the way), then every version. Each owner of a
 * property list (shape, version, inline object) is resolved once; the names
 * of its own properties are checked there, and the names of the merged list
 * (inherited + own) are checked for shadowing (what the names become in C is cmodel.c's). */
#include "catalog_check.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"

#define PATH_CAP 256

typedef struct checker {
    catalog *c;
    diag *d;
    const char *path;
    shape **by_name;                 /* shapes sorted by name, for lookup */
    size_t *expanded;                /* per by_name entry: expanded property count */
    shape *stack[CHECK_MAX_SHAPE_DEPTH]; /* shapes being resolved, outermost first */
    size_t depth;
    size_t merged_left;              /* budget for inherited lists (CHECK_MAX_MERGED) */
    bool merged_reported;
} checker;

static void *xcalloc(size_t n, size_t size)
{
    void *p = calloc(n ? n : 1, size ? size : 1);
    if (!p) {
        fputs("evgen: out of memory\n", stderr);
        abort();
    }
    return p;
}

/* Counts saturate just past the limit, so sums never overflow. */
static size_t sat_add(size_t a, size_t b)
{
    size_t s = a + b;
    return s > CHECK_MAX_EXPANDED ? CHECK_MAX_EXPANDED + 1 : s;
}

/* Names and values become C string literals, which C promises to compile
 * up to 4095 bytes: keep each well below, messages joining them included. */
static void check_literal(checker *k, src_mark at, const char *what, const char *text)
{
    size_t n = text ? strlen(text) : 0;
    if (n > CHECK_MAX_LITERAL)
        diag_error(k->d, k->path, at, "%s is %zu bytes long; at most %d", what, n,
                   CHECK_MAX_LITERAL);
}

/* MARK: versions and dates */

static bool parse_part(const char **s, unsigned *out)
{
    const char *p = *s;
    if (*p < '0' || *p > '9')
        return false;
    if (*p == '0' && p[1] >= '0' && p[1] <= '9')
        return false; /* leading zero */
    unsigned long v = 0;
    for (; *p >= '0' && *p <= '9'; p++) {
        v = v * 10 + (unsigned long)(*p - '0');
        if (v > 0x7fffffffUL)
            return false;
    }
    *out = (unsigned)v;
    *s = p;
    return true;
}

bool semver_parse(const char *s, semver *out)
{
    semver v;
    if (!parse_part(&s, &v.major) || *s++ != '.' || !parse_part(&s, &v.minor) ||
        *s++ != '.' || !parse_part(&s, &v.patch) || *s != '\0')
        return false;
    *out = v;
    return true;
}

int semver_compare(semver a, semver b)
{
    if (a.major != b.major)
        return a.major < b.major ? -1 : 1;
    if (a.minor != b.minor)
        return a.minor < b.minor ? -1 : 1;
    if (a.patch != b.patch)
        return a.patch < b.patch ? -1 : 1;
    return 0;
}

int civil_date_compare(civil_date a, civil_date b)
{
    if (a.year != b.year)
        return a.year < b.year ? -1 : 1;
    if (a.month != b.month)
        return a.month < b.month ? -1 : 1;
    if (a.day != b.day)
        return a.day < b.day ? -1 : 1;
    return 0;
}

static bool has_date(civil_date x) { return x.year > 0; }

/* YYYY-MM-DD; the buffer is large enough for any int fields. */
typedef struct date_text {
    char s[48];
} date_text;

static date_text format_date(civil_date x)
{
    date_text t;
    snprintf(t.s, sizeof t.s, "%04d-%02d-%02d", x.year, x.month, x.day);
    return t;
}

static void check_dates(checker *k, const event_version *v)
{
    if (has_date(v->active) && has_date(v->deprecated) &&
        civil_date_compare(v->deprecated, v->active) < 0)
        diag_error(k->d, k->path, v->deprecated_mark,
                   "dates run backwards: deprecated %s is before active %s",
                   format_date(v->deprecated).s, format_date(v->active).s);
    const civil_date *before = has_date(v->deprecated) ? &v->deprecated
                               : has_date(v->active)   ? &v->active
                                                       : NULL;
    if (before && has_date(v->sunset) && civil_date_compare(v->sunset, *before) < 0)
        diag_error(k->d, k->path, v->sunset_mark,
                   "dates run backwards: sunset %s is before %s %s", format_date(v->sunset).s,
                   before == &v->deprecated ? "deprecated" : "active", format_date(*before).s);
    if (v->status == STATUS_DEPRECATED && v->deprecated.year == 0)
        diag_error(k->d, k->path, v->mark,
                   "version %s has status deprecated but no 'deprecated' date",
                   v->text ? v->text : "?");
    if (v->status == STATUS_SUNSET && v->sunset.year == 0)
        diag_error(k->d, k->path, v->mark,
                   "version %s has status sunset but no 'sunset' date",
                   v->text ? v->text : "?");
}

static void check_versions(checker *k, event *e)
{
    size_t n = e->version_count;
    const char **texts = xcalloc(n, sizeof *texts);
    for (size_t i = 0; i < n; i++) {
        event_version *v = e->versions[i];
        if (!v->text)
            continue;
        if (!semver_parse(v->text, &v->v)) {
            diag_error(k->d, k->path, v->mark,
                       "invalid version '%s' (expected MAJOR.MINOR.PATCH without leading "
                       "zeros, e.g. 1.0.0)",
                       v->text);
            continue;
        }
        texts[i] = v->text;
    }
    size_t *first = names_first_index(texts, n);
    const event_version *prev = NULL;
    for (size_t i = 0; i < n; i++) {
        event_version *v = e->versions[i];
        if (!texts[i])
            continue;
        if (first[i] != i) {
            diag_error(k->d, k->path, v->mark,
                       "duplicate version %s in event '%s' (first defined at line %u)",
                       v->text, e->name ? e->name : "?", e->versions[first[i]]->mark.line);
            continue;
        }
        if (prev && semver_compare(v->v, prev->v) <= 0)
            diag_error(k->d, k->path, v->mark,
                       "version %s is listed after %s: list versions oldest first", v->text,
                       prev->text);
        else
            prev = v;
    }
    for (size_t i = 0; i < n; i++)
        check_dates(k, e->versions[i]);
    free(first);
    free(texts);
}

/* Unique event names, and unique C names for events and their versions. */
static void check_events(checker *k)
{
    catalog *c = k->c;
    size_t n = c->event_count;
    const char **names = xcalloc(n, sizeof *names);
    for (size_t i = 0; i < n; i++)
        names[i] = c->events[i]->name;
    size_t *first = names_first_index(names, n);
    for (size_t i = 0; i < n; i++)
        check_literal(k, c->events[i]->mark, "an event name", names[i]);
    for (size_t i = 0; i < n; i++)
        if (names[i] && first[i] != i)
            diag_error(k->d, k->path, c->events[i]->mark,
                       "duplicate event '%s' (first defined at line %u)", names[i],
                       c->events[first[i]]->mark.line);
    free(first);
    free(names);
    /* What the names become in C, and whether two of them meet there, is
     * the C model's business (cmodel.c). */
    for (size_t i = 0; i < n; i++)
        check_versions(k, c->events[i]);
}

/* MARK: shape lookup and suggestions */

static int cmp_shape(const void *a, const void *b)
{
    return strcmp((*(shape *const *)a)->name, (*(shape *const *)b)->name);
}

static int cmp_key_shape(const void *key, const void *elt)
{
    return strcmp((const char *)key, (*(shape *const *)elt)->name);
}

/* Index of the shape in by_name, or -1. */
static long find_shape(const checker *k, const char *name)
{
    if (!k->c->shape_count)
        return -1;
    shape *const *hit = bsearch(name, k->by_name, k->c->shape_count, sizeof *k->by_name,
                                cmp_key_shape);
    return hit ? (long)(hit - k->by_name) : -1;
}

static const char *const builtin_types[] = {
    "string", "boolean", "integer", "number", "const", "enum", "object", "array", "any",
};

/* The closest builtin type (when `types`) or shape name to a misspelling,
 * when it is close enough to be a likely typo; NULL otherwise. */
static const char *suggest(const checker *k, const char *name, bool types)
{
    if (k->d->max_errors && k->d->error_count >= k->d->max_errors)
        return NULL; /* nobody will see it */
    size_t len = strlen(name);
    size_t limit = len <= 3 ? 1 : len <= 6 ? 2 : 3;
    const char *best = NULL;
    size_t best_d = limit + 1;
    if (types)
        for (size_t i = 0; i < sizeof builtin_types / sizeof builtin_types[0]; i++) {
            size_t dist = name_distance(name, builtin_types[i], limit);
            if (dist < best_d) {
                best_d = dist;
                best = builtin_types[i];
            }
        }
    for (size_t i = 0; i < k->c->shape_count; i++) {
        const char *s = k->c->shapes[i]->name;
        size_t dist = name_distance(name, s, limit);
        if (dist < best_d) {
            best_d = dist;
            best = s;
        }
    }
    return best;
}

/* MARK: names of properties */

static void check_prop_name(checker *k, const prop *p, const char *path)
{
    check_literal(k, p->mark, "a property name", p->name);
    bool own_name = p->c_name == p->name || strcmp(p->c_name, p->name) == 0;
    const char *cn = p->c_name;
    if (!own_name) {
        if (!name_is_c_identifier(cn))
            diag_error(k->d, k->path, p->mark,
                       "property '%s': c_name '%s' is not a C identifier", path, cn);
        else if (name_is_c_keyword(cn))
            diag_error(k->d, k->path, p->mark, "property '%s': c_name '%s' is a C keyword",
                       path, cn);
        else if (name_is_c_reserved(cn))
            diag_error(k->d, k->path, p->mark,
                       "property '%s': c_name '%s' is an identifier C reserves", path, cn);
        else if (name_is_header_macro(cn))
            diag_error(k->d, k->path, p->mark,
                       "property '%s': c_name '%s' is a macro of the headers generated code "
                       "includes", path, cn);
        return;
    }
    if (!name_is_c_identifier(cn))
        diag_error(k->d, k->path, p->mark,
                   "property '%s': '%s' is not a C identifier; add c_name: to name the "
                   "member",
                   path, cn);
    else if (name_is_c_keyword(cn))
        diag_error(k->d, k->path, p->mark,
                   "property '%s': '%s' is a C keyword; add c_name: to name the member",
                   path, cn);
    else if (name_is_c_reserved(cn))
        diag_error(k->d, k->path, p->mark,
                   "property '%s': '%s' is an identifier C reserves; add c_name: to name "
                   "the member",
                   path, cn);
    else if (name_is_header_macro(cn))
        diag_error(k->d, k->path, p->mark,
                   "property '%s': '%s' is a macro of the headers generated code includes; "
                   "add c_name: to name the member",
                   path, cn);
}

static void check_enum(checker *k, const prop *p, const char *path)
{
    const name_list *vals = &p->enum_values;
    size_t n = vals->count;
    if (!n)
        return;
    for (size_t i = 0; i < n; i++)
        check_literal(k, vals->marks ? vals->marks[i] : p->mark, "an enum value", vals->items[i]);
    size_t *first = names_first_index((const char *const *)vals->items, n);
    for (size_t i = 0; i < n; i++) {
        if (first[i] != i) {
            diag_error(k->d, k->path, vals->marks[i], "property '%s': duplicate enum value '%s'",
                       path, vals->items[i]);
            continue;
        }
        /* Two values that become the same enumerator are the C model's to
         * report; one that becomes none cannot be written at all. */
        char *mangled = name_c_upper(vals->items[i]);
        if (!name_c_upper_usable(mangled))
            diag_error(k->d, k->path, vals->marks[i],
                       "property '%s': enum value '%s' cannot become a C identifier", path,
                       vals->items[i]);
        free(mangled);
    }
    free(first);
}

/* MARK: resolution */

static void resolve_shape(checker *k, long idx);
static size_t resolve_owner(checker *k, name_list *extends, prop_list *props,
                            prop_list *own, shape ***bases, const char *path);

static void join_path(char *buf, size_t cap, const char *path, const char *name)
{
    if (path)
        snprintf(buf, cap, "%s.%s", path, name);
    else
        snprintf(buf, cap, "%s", name);
}

/* "shape cycle: a -> b -> a" for a reference to `to`, which is on the stack. */
static void report_cycle(checker *k, src_mark at, const shape *to)
{
    size_t from = 0;
    while (from < k->depth && k->stack[from] != to)
        from++;
    size_t cap = strlen(to->name) + 1;
    for (size_t i = from; i < k->depth; i++)
        cap += strlen(k->stack[i]->name) + 4;
    char *buf = xcalloc(cap, 1);
    char *p = buf;
    for (size_t i = from; i < k->depth; i++)
        p += sprintf(p, "%s -> ", k->stack[i]->name);
    strcpy(p, to->name);
    diag_error(k->d, k->path, at, "shape cycle: %s", buf);
    free(buf);
}

/* Resolves shape `name` used at `at`; returns its index, or -1 when it is
 * undefined (for the caller to report: it knows the context) or closes a
 * cycle (reported here, *cycle set). */
static long use_shape(checker *k, const char *name, src_mark at, bool *cycle)
{
    *cycle = false;
    long idx = find_shape(k, name);
    if (idx < 0)
        return -1;
    shape *s = k->by_name[idx];
    if (s->resolve_state == 1) {
        report_cycle(k, at, s);
        *cycle = true;
        return -1;
    }
    resolve_shape(k, idx);
    return idx;
}

/* Resolves one property (its own names, its type, what it contains).
 * Returns its expanded size: 1 + every property nested in it. */
static size_t resolve_prop(checker *k, prop *p, const char *path)
{
    if (p->name)
        check_prop_name(k, p, path);
    switch (p->kind) {
    case PROP_SHAPE_REF: {
        bool cycle;
        long idx = use_shape(k, p->shape_name, p->type_mark, &cycle);
        if (idx < 0) {
            if (cycle)
                return 1;
            const char *hint = suggest(k, p->shape_name, true);
            diag_error(k->d, k->path, p->type_mark,
                       "property '%s': unknown type '%s' (expected one of string, boolean, "
                       "integer, number, const, enum, object, array, any, or a shape "
                       "name)%s%s%s",
                       path, p->shape_name, hint ? "; did you mean '" : "", hint ? hint : "",
                       hint ? "'?" : "");
            return 1;
        }
        p->kind = PROP_OBJECT;
        p->shape = k->by_name[idx];
        p->props = p->shape->props;
        p->own = p->shape->own;
        p->bases = p->shape->bases;
        return sat_add(1, k->expanded[idx]);
    }
    case PROP_OBJECT:
        return sat_add(1, resolve_owner(k, &p->extends, &p->props, &p->own, &p->bases, path));
    case PROP_ARRAY:
    case PROP_MAP:
        /* What the C back end cannot hold: the element type of an array or
         * map is a named C type, which constants, arrays and maps are not. */
        /* The element types hold no "null" flag. */
        if (p->items && p->items->nullable)
            diag_error(k->d, k->path, p->items->mark, "property '%s': %s cannot be nullable", path,
                       p->kind == PROP_MAP ? "a map's values" : "an array's items");
        if (p->items && (p->items->kind == PROP_MAP || p->items->kind == PROP_CONST ||
                         (p->items->kind == PROP_ARRAY && p->kind == PROP_ARRAY)))
            diag_error(k->d, k->path, p->items->mark, "property '%s': %s cannot be of type %s",
                       path, p->kind == PROP_MAP ? "a map's values" : "an array's items",
                       prop_kind_name(p->items->kind));
        if (p->items) {
            char ipath[PATH_CAP];
            snprintf(ipath, sizeof ipath, p->kind == PROP_MAP ? "%s{}" : "%s[]", path);
            return sat_add(1, resolve_prop(k, p->items, ipath));
        }
        return 1;
    case PROP_ENUM:
        check_enum(k, p, path);
        return 1;
    case PROP_CONST:
        check_literal(k, p->type_mark, "a constant", p->const_value);
        return 1;
    default:
        return 1;
    }
}

/* Names in a merged list: merged[i] came from extends entry from[i], or is
 * the owner's own when from[i] == extends->count. A clash inside one shape
 * was reported with that shape and is not repeated for every user. */
static void check_merged_names(checker *k, const name_list *extends, prop **merged,
                               const size_t *from, size_t m, const char *path)
{
    const size_t own = extends->count;
    char ppath[PATH_CAP];
    const char **names = xcalloc(m, sizeof *names);
    for (size_t i = 0; i < m; i++)
        names[i] = merged[i]->name;
    size_t *first = names_first_index(names, m);
    for (size_t i = 0; i < m; i++) {
        size_t j = first[i];
        if (j == i || from[i] == from[j])
            continue;
        join_path(ppath, sizeof ppath, path, names[i]);
        if (from[i] == own)
            diag_error(k->d, k->path, merged[i]->mark,
                       "property '%s' shadows the property inherited from shape '%s'", ppath,
                       extends->items[from[j]]);
        else
            diag_error(k->d, k->path, extends->marks[from[i]],
                       "property '%s' is inherited from both shape '%s' and shape '%s'", ppath,
                       extends->items[from[j]], extends->items[from[i]]);
    }
    free(first);
    free(names);
}

/* Resolves the owner of a property list (shape, version, inline object):
 * the `extends` shapes' properties go in front of the own ones, resolved.
 * `path` is the owner's property path, NULL for a shape or a version.
 * Returns the expanded size of the merged list. */
static size_t resolve_owner(checker *k, name_list *extends, prop_list *props,
                            prop_list *own, shape ***bases, const char *path)
{
    *own = *props;
    const size_t ne = extends->count;
    long *src = xcalloc(ne, sizeof *src); /* shape per extends entry, -1: none */
    size_t *first = names_first_index((const char *const *)extends->items, ne);
    for (size_t i = 0; i < ne; i++) {
        src[i] = -1;
        const char *name = extends->items[i];
        if (first[i] != i) {
            diag_error(k->d, k->path, extends->marks[i],
                       "shape '%s' is listed twice in extends", name);
            continue;
        }
        bool cycle;
        src[i] = use_shape(k, name, extends->marks[i], &cycle);
        if (src[i] < 0 && !cycle) {
            const char *hint = suggest(k, name, false);
            diag_error(k->d, k->path, extends->marks[i],
                       "undefined shape '%s' in extends%s%s%s", name,
                       hint ? "; did you mean '" : "", hint ? hint : "", hint ? "'?" : "");
        }
    }
    free(first);
    *bases = model_alloc(k->c->arena, (ne ? ne : 1) * sizeof **bases);
    for (size_t i = 0; i < ne; i++)
        (*bases)[i] = src[i] >= 0 ? k->by_name[src[i]] : NULL;

    size_t expanded = 0, total = props->count;
    for (size_t i = 0; i < ne; i++)
        if (src[i] >= 0) {
            total += k->by_name[src[i]]->props.count;
            expanded = sat_add(expanded, k->expanded[src[i]]);
        }
    for (size_t i = 0; i < props->count; i++) {
        char ppath[PATH_CAP];
        join_path(ppath, sizeof ppath, path, props->items[i]->name);
        expanded = sat_add(expanded, resolve_prop(k, props->items[i], ppath));
    }

    /* Every owner gets its own merged list, so a shape inherited by many
     * owners is copied many times: a budget keeps that bounded. */
    if (ne && total > k->merged_left) {
        if (!k->merged_reported)
            diag_error(k->d, k->path, extends->marks[0],
                       "shapes inherited through 'extends' add up to more than %d "
                       "properties across the catalog",
                       CHECK_MAX_MERGED);
        k->merged_reported = true;
        free(src);
        return expanded;
    }
    if (ne)
        k->merged_left -= total;
    size_t *from = xcalloc(total, sizeof *from);
    size_t m = 0;
    if (ne) {
        prop **merged = model_alloc(k->c->arena, (total ? total : 1) * sizeof *merged);
        for (size_t i = 0; i < ne; i++) {
            if (src[i] < 0)
                continue;
            const prop_list *inh = &k->by_name[src[i]]->props;
            for (size_t j = 0; j < inh->count; j++) {
                from[m] = i;
                merged[m++] = inh->items[j];
            }
        }
        for (size_t i = 0; i < props->count; i++) {
            from[m] = ne;
            merged[m++] = props->items[i];
        }
        props->items = merged;
        props->count = m;
    } else {
        for (size_t i = 0; i < props->count; i++)
            from[i] = ne;
    }
    check_merged_names(k, extends, props->items, from, props->count, path);
    free(from);
    free(src);
    return expanded;
}

static void resolve_shape(checker *k, long idx)
{
    shape *s = k->by_name[idx];
    if (s->resolve_state != 0)
        return;
    if (k->depth == CHECK_MAX_SHAPE_DEPTH) {
        diag_error(k->d, k->path, s->mark, "shapes nest too deeply (limit %d levels)",
                   CHECK_MAX_SHAPE_DEPTH);
        s->resolve_state = 2;
        return;
    }
    s->resolve_state = 1;
    k->stack[k->depth++] = s;
    k->expanded[idx] = resolve_owner(k, &s->extends, &s->props, &s->own, &s->bases, NULL);
    k->depth--;
    s->resolve_state = 2;
}

/* MARK: products and wires */

/* Roles found in one wire's members, counted through every level. */
typedef struct role_count {
    size_t of[ROLE_PAYLOAD + 1];
    const wire_member *first[ROLE_PAYLOAD + 1];
    size_t depth, total;
} role_count;

/* Whether `m` is one of the members of `ms`, at any level. */
static bool member_in(const member_list *ms, const wire_member *m)
{
    for (size_t i = 0; i < ms->count; i++)
        if (ms->items[i] == m || (ms->items[i]->role == ROLE_OBJECT && member_in(&ms->items[i]->members, m)))
            return true;
    return false;
}

static const char *wire_noun(const wire *w)
{
    return w->base ? "form" : "wire";
}

static void count_roles(checker *k, const wire *w, const member_list *ms, size_t depth,
                        role_count *rc, bool report)
{
    if (depth > rc->depth)
        rc->depth = depth;
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        /* A form's inherited members were reported with its wire. */
        bool own = report && !(w->base && member_in(&w->base->members, m));
        if (own) {
            check_literal(k, m->mark, "a member name", m->key);
            if (m->role == ROLE_CONST)
                check_literal(k, m->mark, "a constant", m->value);
        }
        if (!rc->first[m->role])
            rc->first[m->role] = m;
        rc->of[m->role]++;
        rc->total++;
        if (own && m->role != ROLE_CONST && !m->required)
            diag_error(k->d, k->path, m->mark, "%s '%s': the %s member '%s' cannot be optional%s",
                       wire_noun(w), w->name, role_name(m->role), m->key,
                       m->role == ROLE_VERSION ? " (whether it must be there is the event's "
                                                 "version_required)" : "");
        if (m->role == ROLE_OBJECT) {
            if (own && m->members.count == 0)
                diag_error(k->d, k->path, m->mark, "%s '%s': member '%s' has no members",
                           wire_noun(w), w->name, m->key);
            count_roles(k, w, &m->members, depth + 1, rc, report);   /* YAML depth bounds it */
        }
    }
}

static void check_wire(checker *k, wire *w)
{
    check_literal(k, w->payload_version_mark, "payload_version", w->payload_version);
    check_literal(k, w->payload_name_mark, "payload_name", w->payload_name);
    check_literal(k, w->select_mark, "select", w->select);
    if (w->payload_name && w->select && strcmp(w->payload_name, w->select) == 0)
        diag_error(k->d, k->path, w->select_mark, "form '%s': 'select' is the payload's name member",
                   w->name);
    role_count rc;
    memset(&rc, 0, sizeof rc);
    count_roles(k, w, &w->members, 1, &rc, true);
    if (rc.depth > CHECK_MAX_WIRE_DEPTH)
        diag_error(k->d, k->path, w->mark, "%s '%s' nests deeper than %d levels", wire_noun(w),
                   w->name, CHECK_MAX_WIRE_DEPTH);
    if (rc.total > CHECK_MAX_WIRE_MEMBERS)
        diag_error(k->d, k->path, w->mark, "%s '%s' has more than %d members", wire_noun(w), w->name,
                   CHECK_MAX_WIRE_MEMBERS);
    if (rc.of[ROLE_PAYLOAD] != 1)
        diag_error(k->d, k->path, rc.of[ROLE_PAYLOAD] ? rc.first[ROLE_PAYLOAD]->mark : w->mark,
                   "%s '%s' needs exactly one member with role payload (it has %zu)", wire_noun(w),
                   w->name, rc.of[ROLE_PAYLOAD]);
    if (rc.of[ROLE_NAME] > 1)
        diag_error(k->d, k->path, rc.first[ROLE_NAME]->mark,
                   "%s '%s' has %zu members with role name; at most one", wire_noun(w), w->name,
                   rc.of[ROLE_NAME]);
    if (rc.of[ROLE_VERSION] > 1)
        diag_error(k->d, k->path, rc.first[ROLE_VERSION]->mark,
                   "%s '%s' has %zu members with role version; at most one", wire_noun(w), w->name,
                   rc.of[ROLE_VERSION]);
    if (rc.of[ROLE_VERSION] && w->payload_version)
        diag_error(k->d, k->path, w->payload_version_mark,
                   "%s '%s' reads the version from the envelope (member '%s') and from the "
                   "payload: choose one",
                   wire_noun(w), w->name, rc.first[ROLE_VERSION]->key);
    if (rc.of[ROLE_NAME] && w->payload_name)
        diag_error(k->d, k->path, w->payload_name_mark,
                   "%s '%s' reads the name from the envelope (member '%s') and from the "
                   "payload: choose one",
                   wire_noun(w), w->name, rc.first[ROLE_NAME]->key);
    if (w->payload_name && w->payload_version && strcmp(w->payload_name, w->payload_version) == 0)
        diag_error(k->d, k->path, w->payload_name_mark,
                   "%s '%s': payload_name and payload_version are the same member", wire_noun(w),
                   w->name);
    if (w->payload_version && w->select && strcmp(w->payload_version, w->select) == 0)
        diag_error(k->d, k->path, w->select_mark,
                   "form '%s': 'select' is the payload's version member", w->name);
    for (size_t i = 0; i < w->payload_count; i++) {
        form_payload *f = w->payloads[i];
        check_literal(k, f->mark, "a payload value", f->value);
        for (size_t j = 0; j < i; j++)
            if (strcmp(w->payloads[j]->value, f->value) == 0)
                diag_error(k->d, k->path, f->mark, "form '%s': payload '%s' is listed twice",
                           w->name, f->value);
    }
    for (size_t i = 0; i < w->form_count; i++)
        check_wire(k, w->forms[i]);
}

static void check_wires_and_products(checker *k)
{
    catalog *c = k->c;
    size_t *first = names_first_index((const char *const *)c->products.items, c->products.count);
    for (size_t i = 0; i < c->products.count; i++)
        if (first && first[i] != i)
            diag_error(k->d, k->path, c->products.marks[i], "product '%s' is listed twice",
                       c->products.items[i]);
    free(first);
    if (c->products.count > CHECK_MAX_PRODUCTS)
        diag_error(k->d, k->path, c->products.marks[CHECK_MAX_PRODUCTS],
                   "more than %d products", CHECK_MAX_PRODUCTS);
    size_t all_wires = 0;
    for (size_t i = 0; i < c->wire_count; i++) {
        check_wire(k, c->wires[i]);
        all_wires += 1 + c->wires[i]->form_count;
    }
    if (all_wires > CHECK_MAX_WIRES)
        diag_error(k->d, k->path, c->wires[0]->mark, "more than %d wires and forms",
                   CHECK_MAX_WIRES);

    for (size_t i = 0; i < c->event_count; i++) {
        event *e = c->events[i];
        if (e->product) {
            size_t p = 0;
            while (p < c->products.count && strcmp(c->products.items[p], e->product) != 0)
                p++;
            if (p < c->products.count) {
                e->product_index = (int)p;
            } else {
                const char *near = NULL;
                size_t best = 3;
                for (size_t j = 0; j < c->products.count; j++) {
                    size_t dist = name_distance(e->product, c->products.items[j], 2);
                    if (dist < best) {
                        best = dist;
                        near = c->products.items[j];
                    }
                }
                diag_error(k->d, k->path, e->product_mark,
                           "event '%s': product '%s' is not declared in 'products'%s%s%s",
                           e->name ? e->name : "?", e->product, near ? "; did you mean '" : "",
                           near ? near : "", near ? "'?" : "");
            }
        }
        e->wires = model_alloc(c->arena, (e->wire_names.count + 1) * sizeof *e->wires);
        for (size_t j = 0; j < e->wire_names.count; j++) {
            const char *name = e->wire_names.items[j];
            wire *w = catalog_find_wire(c, name);
            if (!w) {
                const char *near = NULL;
                size_t best = 3;
                for (size_t x = 0; x < c->wire_count; x++) {
                    size_t dist = name_distance(name, c->wires[x]->name, 2);
                    if (dist < best) {
                        best = dist;
                        near = c->wires[x]->name;
                    }
                }
                diag_error(k->d, k->path, e->wire_names.marks[j],
                           "event '%s': unknown wire '%s'%s%s%s", e->name ? e->name : "?", name,
                           near ? "; did you mean '" : "", near ? near : "", near ? "'?" : "");
                continue;
            }
            for (size_t x = 0; x < j; x++)
                if (e->wires[x] == w)
                    diag_error(k->d, k->path, e->wire_names.marks[j],
                               "event '%s': wire '%s' is listed twice", e->name ? e->name : "?",
                               name);
            e->wires[j] = w;
        }
    }

    /* A wire without a name member carries one event: the one that names it. */
    for (size_t i = 0; i < c->wire_count; i++) {
        wire *w = c->wires[i];
        role_count rc;
        memset(&rc, 0, sizeof rc);
        count_roles(k, w, &w->members, 1, &rc, false);
        if (rc.of[ROLE_NAME] || w->payload_name)
            continue;
        size_t users = 0;
        for (size_t e = 0; e < c->event_count; e++)
            for (size_t j = 0; j < c->events[e]->wire_names.count; j++)
                if (c->events[e]->wires[j] == w) {
                    if (!users)
                        w->fixed_event = c->events[e];
                    users++;
                    break;
                }
        if (users > 1)   /* (none: it routes nothing, ENVELOPE at run time) */
            diag_error(k->d, k->path, w->mark,
                       "wire '%s' has no name member, so it carries one event, but %zu events "
                       "travel in it",
                       w->name, users);
    }
    /* A form names its events as its wire does. */
    for (size_t i = 0; i < c->wire_count; i++) {
        const wire *w = c->wires[i];
        role_count base;
        memset(&base, 0, sizeof base);
        count_roles(k, w, &w->members, 1, &base, false);
        bool base_named = base.of[ROLE_NAME] || w->payload_name;
        for (size_t f = 0; f < w->form_count; f++) {
            const wire *form = w->forms[f];
            role_count rc;
            memset(&rc, 0, sizeof rc);
            count_roles(k, form, &form->members, 1, &rc, false);
            if ((rc.of[ROLE_NAME] || form->payload_name) != base_named)
                diag_error(k->d, k->path, form->mark,
                           base_named ? "form '%s' has no name member, but its wire '%s' has one: "
                                        "a form names its events as its wire does"
                                      : "form '%s' has a name member, but its wire '%s' has none: "
                                        "a form names its events as its wire does",
                           form->name, w->name);
        }
    }
}

/* The payload member a wire routes by must be one the payload keeps: a
 * constant equal to `value`, an enum that allows it, or a string.
 * Otherwise a parsed document would not serialize to one that routes the
 * same way. */
static void check_routing_member(checker *k, const prop_list *props, const char *key,
                                 const char *value, src_mark at, const char *owner,
                                 const char *what, const char *wire_name)
{
    const prop *found = NULL;
    for (size_t i = 0; i < props->count && !found; i++)
        if (props->items[i]->name && strcmp(props->items[i]->name, key) == 0)
            found = props->items[i];
    if (found) {
        if (found->kind == PROP_STRING)
            return;
        if (found->kind == PROP_CONST && found->const_value && strcmp(found->const_value, value) == 0)
            return;
        for (size_t i = 0; found->kind == PROP_ENUM && i < found->enum_values.count; i++)
            if (strcmp(found->enum_values.items[i], value) == 0)
                return;
    }
    if (found && found->kind == PROP_CONST && found->const_value) {
        diag_error(k->d, k->path, found->mark,
                   "%s: wire '%s' reads the %s from the payload's '%s', whose constant \"%s\" "
                   "is not \"%s\"",
                   owner, wire_name, what, key, found->const_value, value);
        return;
    }
    diag_error(k->d, k->path, found ? found->mark : at,
               "%s: wire '%s' reads the %s from the payload's '%s', so the payload must have it: "
               "{type: const, value: \"%s\"}, an enum with that value, or a string",
               owner, wire_name, what, key, value);
}

static void check_routing_members(checker *k)
{
    catalog *c = k->c;
    char owner[2 * PATH_CAP + 64];
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        for (size_t j = 0; j < e->wire_names.count; j++) {
            const wire *base = e->wires[j];
            for (size_t f = 0; base && f <= base->form_count; f++) {
                const wire *w = f ? base->forms[f - 1] : base;
                if (w->select)
                    continue;   /* carries reports, checked below */
                for (size_t v = 0; v < e->version_count; v++) {
                    const event_version *ver = e->versions[v];
                    if (!ver->text || !e->name)
                        continue;
                    snprintf(owner, sizeof owner, "event '%.200s' version %s", e->name, ver->text);
                    if (w->payload_version)
                        check_routing_member(k, &ver->props, w->payload_version, ver->text, ver->mark,
                                             owner, "version", w->name);
                    if (w->payload_name)
                        check_routing_member(k, &ver->props, w->payload_name, e->name, ver->mark,
                                             owner, "event name", w->name);
                }
            }
        }
    }
    for (size_t i = 0; i < c->wire_count; i++)
        for (size_t f = 0; f < c->wires[i]->form_count; f++) {
            const wire *w = c->wires[i]->forms[f];
            for (size_t x = 0; w->select && x < w->payload_count; x++) {
                const form_payload *fp = w->payloads[x];
                if (!fp->shape)
                    continue;
                snprintf(owner, sizeof owner, "payload '%.200s' (shape '%.200s')", fp->value,
                         fp->shape->name);
                check_routing_member(k, &fp->shape->props, w->select, fp->value, fp->mark, owner,
                                     "report type", w->name);
            }
        }
}

static void resolve_form_payloads(checker *k, wire *w)
{
    for (size_t i = 0; i < w->payload_count; i++) {
        form_payload *f = w->payloads[i];
        check_literal(k, f->mark, "a payload value", f->value);
        long idx = find_shape(k, f->shape_name);
        if (idx < 0) {
            const char *near = suggest(k, f->shape_name, false);
            diag_error(k->d, k->path, f->mark, "form '%s': payload '%s': undefined shape '%s'%s%s%s",
                       w->name, f->value, f->shape_name, near ? "; did you mean '" : "",
                       near ? near : "", near ? "'?" : "");
        } else {
            f->shape = k->by_name[idx];
        }
    }
    for (size_t i = 0; i < w->form_count; i++)
        resolve_form_payloads(k, w->forms[i]);
}

/* MARK: entry point */

bool catalog_check(catalog *c, diag *d)
{
    unsigned errors_before = d->error_count;
    checker k = {.c = c, .d = d, .path = c->path, .merged_left = CHECK_MAX_MERGED};
    check_events(&k);
    check_wires_and_products(&k);

    k.by_name = xcalloc(c->shape_count, sizeof *k.by_name);
    k.expanded = xcalloc(c->shape_count, sizeof *k.expanded);
    if (c->shape_count)
        memcpy(k.by_name, c->shapes, c->shape_count * sizeof *c->shapes);
    qsort(k.by_name, c->shape_count, sizeof *k.by_name, cmp_shape);
    for (size_t i = 0; i < c->shape_count; i++)
        c->shapes[i]->resolve_state = 0;
    for (size_t i = 0; i < c->shape_count; i++)
        resolve_shape(&k, find_shape(&k, c->shapes[i]->name));

    for (size_t i = 0; i < c->wire_count; i++)
        resolve_form_payloads(&k, c->wires[i]);

    for (size_t i = 0; i < c->event_count; i++) {
        event *e = c->events[i];
        for (size_t j = 0; j < e->version_count; j++) {
            event_version *v = e->versions[j];
            size_t n = resolve_owner(&k, &v->extends, &v->props, &v->own, &v->bases, NULL);
            if (n > CHECK_MAX_EXPANDED)
                diag_error(d, c->path, v->mark,
                           "event '%s' version %s expands to more than %d properties",
                           e->name ? e->name : "?", v->text ? v->text : "?",
                           CHECK_MAX_EXPANDED);
        }
    }
    if (d->error_count == errors_before)
        check_routing_members(&k);   /* on resolved property lists */
    free(k.by_name);
    free(k.expanded);
    return d->error_count == errors_before;
}
