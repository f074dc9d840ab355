/* catalog_load.c - ynode tree -> catalog model, one function per construct
 * of docs/catalog.md: catalog, shape, event, version, property. */
#include "catalog_load.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "names.h"
#include "yaml_tree.h"

/* Longest property path kept for messages ("a.b[].c"); longer is cut. */
#define PATH_CAP 256

typedef struct loader {
    const char *path;      /* the catalog, for messages */
    diag *d;
    model_arena *a;
} loader;

/* MARK: keys of a mapping */

/* A set of allowed keys; `values[i]` receives the node of keys[i]. */
typedef struct keyset {
    const char *const *keys;
    size_t count;
    const ynode **values;
    const ynode **key_nodes;
} keyset;

static void join_names(char *buf, size_t cap, const char *const *names, size_t n)
{
    size_t used = 0;
    buf[0] = '\0';
    for (size_t i = 0; i < n && used < cap; i++) {
        int w = snprintf(buf + used, cap - used, "%s%s", i ? ", " : "", names[i]);
        if (w < 0)
            break;
        used += (size_t)w;
    }
}

/* Fills ks->values from map. Reports duplicate keys (the later ones are
 * ignored) and unknown keys; `where` names the construct ("event",
 * "property 'x'"), `expected` is the list shown for an unknown key. */
static void take_keys(loader *L, const ynode *map, const char *where, keyset *ks,
                      const char *expected)
{
    for (size_t i = 0; i < ks->count; i++) {
        ks->values[i] = NULL;
        if (ks->key_nodes)
            ks->key_nodes[i] = NULL;
    }
    for (size_t i = 0; i < map->count; i++) {
        const ypair *p = &map->pairs[i];
        if (p->key->kind != YNODE_SCALAR)
            continue; /* reported by the tree */
        if (p->first != i) {
            diag_error(L->d, L->path, p->key->mark,
                       "duplicate key '%s' in %s (first defined at line %u)",
                       p->key->text, where, map->pairs[p->first].key->mark.line);
            continue;
        }
        size_t k = 0;
        while (k < ks->count && strcmp(ks->keys[k], p->key->text) != 0)
            k++;
        if (k == ks->count) {
            diag_error(L->d, L->path, p->key->mark,
                       "unknown key '%s' in %s (expected one of %s)", p->key->text, where,
                       expected);
            continue;
        }
        ks->values[k] = p->value;
        if (ks->key_nodes)
            ks->key_nodes[k] = p->key;
    }
}

static void take_keys_listed(loader *L, const ynode *map, const char *where, keyset *ks)
{
    char expected[512];
    join_names(expected, sizeof expected, ks->keys, ks->count);
    take_keys(L, map, where, ks, expected);
}

static void missing(loader *L, const ynode *map, const char *key, const char *where)
{
    diag_error(L->d, L->path, map->mark, "missing required key '%s' in %s", key, where);
}

/* MARK: scalars */

static const char *kind_noun(const ynode *n)
{
    return n->kind == YNODE_SCALAR ? "a scalar" : n->kind == YNODE_SEQUENCE ? "a sequence"
                                                                            : "a mapping";
}

/* The text of a scalar value, or NULL after reporting "'key' must be a string". */
static const char *get_string(loader *L, const ynode *v, const char *key)
{
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        diag_error(L->d, L->path, v->mark, "'%s' must be a string, not %s", key,
                   v->kind == YNODE_SCALAR ? "null" : kind_noun(v));
        return NULL;
    }
    return v->text;
}

/* One-line text that the generator copies into C comments. */
static char *get_doc(loader *L, const ynode *v, const char *key)
{
    const char *s = get_string(L, v, key);
    if (!s)
        return NULL;
    if (strpbrk(s, "\r\n")) {
        diag_error(L->d, L->path, v->mark, "'%s' must be one line", key);
        return NULL;
    }
    if (strstr(s, "*/")) {
        diag_error(L->d, L->path, v->mark, "'%s' must not contain '*/'", key);
        return NULL;
    }
    return model_strdup(L->a, s);
}

static bool get_bool(loader *L, const ynode *v, const char *key, bool *out)
{
    if (v->kind == YNODE_SCALAR && v->plain) {
        if (strcmp(v->text, "true") == 0) {
            *out = true;
            return true;
        }
        if (strcmp(v->text, "false") == 0) {
            *out = false;
            return true;
        }
    }
    diag_error(L->d, L->path, v->mark, "'%s' must be true or false", key);
    return false;
}

#define COUNT_LIMIT 1000000000

static bool get_count(loader *L, const ynode *v, const char *key, int64_t *out)
{
    if (v->kind == YNODE_SCALAR && v->plain && v->len > 0 && v->len <= 10 &&
        strspn(v->text, "0123456789") == v->len) {
        int64_t n = 0;
        for (size_t i = 0; i < v->len; i++)
            n = n * 10 + (v->text[i] - '0');
        if (n <= COUNT_LIMIT) {
            *out = n;
            return true;
        }
    }
    diag_error(L->d, L->path, v->mark, "'%s' must be an integer from 0 to %d", key,
               COUNT_LIMIT);
    return false;
}

/* Matches a scalar against a fixed list of names; reports "unknown <what>". */
static int get_choice(loader *L, const ynode *v, const char *key, const char *what,
                      const char *const *names, int n)
{
    const char *s = get_string(L, v, key);
    if (!s)
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, names[i]) == 0)
            return i;
    char expected[256];
    join_names(expected, sizeof expected, names, (size_t)n);
    diag_error(L->d, L->path, v->mark, "unknown %s '%s' (expected one of %s)", what, s,
               expected);
    return -1;
}

bool civil_date_parse(const char *s, civil_date *out)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return false;
    int f[3] = {0, 0, 0};
    const int pos[3] = {0, 5, 8}, len[3] = {4, 2, 2};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < len[k]; i++) {
            char c = s[pos[k] + i];
            if (c < '0' || c > '9')
                return false;
            f[k] = f[k] * 10 + (c - '0');
        }
    int y = f[0], m = f[1], d = f[2];
    static const int mdays[12] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1)
        return false;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    int dim = mdays[m - 1] + (m == 2 && leap);
    if (d > dim)
        return false;
    out->year = y;
    out->month = m;
    out->day = d;
    return true;
}

/* A date value: YYYY-MM-DD, or null when `nullable`. A bad date is stored
 * as year -1 so later checks skip it. */
static civil_date get_date(loader *L, const ynode *v, const char *key, bool nullable)
{
    civil_date out = {0, 0, 0};
    if (nullable && ynode_is_null(v))
        return out;
    if (v->kind != YNODE_SCALAR || ynode_is_null(v)) {
        diag_error(L->d, L->path, v->mark, "'%s' must be a date (YYYY-MM-DD)%s", key,
                   nullable ? " or null" : "");
        out.year = -1;
        return out;
    }
    if (!civil_date_parse(v->text, &out)) {
        diag_error(L->d, L->path, v->mark,
                   "invalid date '%s' for '%s' (expected a real calendar date, YYYY-MM-DD)",
                   v->text, key);
        out.year = -1;
    }
    return out;
}

/* MARK: lists */

static void load_name_list(loader *L, const ynode *v, const char *key, name_list *out)
{
    out->items = NULL;
    out->marks = NULL;
    out->count = 0;
    if (v->kind != YNODE_SEQUENCE) {
        diag_error(L->d, L->path, v->mark, "'%s' must be a sequence", key);
        return;
    }
    out->items = model_alloc(L->a, (v->count ? v->count : 1) * sizeof *out->items);
    out->marks = model_alloc(L->a, (v->count ? v->count : 1) * sizeof *out->marks);
    for (size_t i = 0; i < v->count; i++) {
        const ynode *it = v->items[i];
        if (it->kind != YNODE_SCALAR || ynode_is_null(it)) {
            diag_error(L->d, L->path, it->mark, "'%s' must list strings, not %s", key,
                       it->kind == YNODE_SCALAR ? "null" : kind_noun(it));
            continue;
        }
        out->items[out->count] = model_strdup(L->a, it->text);
        out->marks[out->count] = it->mark;
        out->count++;
    }
}

/* MARK: properties */

static const char *const builtin_types[] = {
    "string", "boolean", "integer", "number", "const", "enum", "object", "array", "any", "map",
};
static const prop_kind builtin_kinds[] = {
    PROP_STRING, PROP_BOOLEAN, PROP_INTEGER, PROP_NUMBER, PROP_CONST,
    PROP_ENUM, PROP_OBJECT, PROP_ARRAY, PROP_ANY, PROP_MAP,
};
enum { BUILTIN_COUNT = sizeof builtin_types / sizeof builtin_types[0] };

static prop_kind kind_of_type(const char *t)
{
    for (int i = 0; i < BUILTIN_COUNT; i++)
        if (strcmp(t, builtin_types[i]) == 0)
            return builtin_kinds[i];
    return PROP_SHAPE_REF;
}

static void load_props(loader *L, const ynode *map, const char *parent, prop_list *out);

/* Long-form keys, and which type each belongs to (-1: every type). */
enum {
    K_TYPE, K_REQUIRED, K_NULLABLE, K_DOC, K_C_NAME, K_VALUE, K_VALUES,
    K_PROPERTIES, K_EXTENDS, K_ITEMS, K_MIN_ITEMS, K_MAX_ITEMS, K_COUNT
};
static const char *const prop_keys[K_COUNT] = {
    "type", "required", "nullable", "doc", "c_name", "value", "values",
    "properties", "extends", "items", "min_items", "max_items",
};
static const int prop_key_kind[K_COUNT] = {
    -1, -1, -1, -1, -1, PROP_CONST, PROP_ENUM,
    PROP_OBJECT, PROP_OBJECT, PROP_ARRAY, PROP_ARRAY, PROP_ARRAY,
};

static bool key_applies(int k, prop_kind kind, bool is_item)
{
    if (is_item && (k == K_REQUIRED || k == K_C_NAME))
        return false;
    if (k == K_VALUES && kind == PROP_MAP)
        return true;   /* a map's value type; an enum's list of values */
    return prop_key_kind[k] < 0 || prop_key_kind[k] == (int)kind;
}

static prop *load_prop(loader *L, const char *name, src_mark at, const ynode *spec,
                       const char *path);

/* `items:` of an array: a property without a name. */
static prop *load_items(loader *L, const ynode *spec, const char *path)
{
    char ipath[PATH_CAP];
    snprintf(ipath, sizeof ipath, "%s[]", path);
    return load_prop(L, NULL, spec->mark, spec, ipath);
}

static void load_long_form(loader *L, prop *p, const ynode *spec, const char *path)
{
    bool is_item = p->name == NULL;
    char where[PATH_CAP + 16];
    snprintf(where, sizeof where, "property '%s'", path);

    const ynode *type = NULL;
    for (size_t i = 0; i < spec->count; i++)
        if (spec->pairs[i].first == i && spec->pairs[i].key->kind == YNODE_SCALAR &&
            strcmp(spec->pairs[i].key->text, "type") == 0)
            type = spec->pairs[i].value;
    const char *tname = type ? get_string(L, type, "type") : NULL;
    if (tname) {
        p->kind = kind_of_type(tname);
        p->type_mark = type->mark;
        if (p->kind == PROP_SHAPE_REF)
            p->shape_name = model_strdup(L->a, tname);
    }

    /* What an unknown key message offers: the keys of this type. */
    const char *shown[K_COUNT];
    size_t nshown = 0;
    for (int k = 0; k < K_COUNT; k++)
        if (!tname || key_applies(k, p->kind, is_item))
            shown[nshown++] = prop_keys[k];
    char expected[512];
    join_names(expected, sizeof expected, shown, nshown);

    const ynode *v[K_COUNT], *kn[K_COUNT];
    keyset ks = {prop_keys, K_COUNT, v, kn};
    take_keys(L, spec, where, &ks, expected);
    if (!type) {
        missing(L, spec, "type", where);
        p->kind = PROP_ANY; /* keep going without cascading errors */
        return;
    }
    if (!tname) {
        p->kind = PROP_ANY;
        return;
    }

    /* Each key in file order, so messages come out in file order too. */
    for (size_t i = 0; i < spec->count; i++) {
        int k = 0;
        while (k < K_COUNT && (!v[k] || v[k] != spec->pairs[i].value))
            k++;
        if (k == K_COUNT || k == K_TYPE)
            continue; /* unknown or duplicate key (reported), or the type */
        const ynode *val = v[k];
        if (!key_applies(k, p->kind, is_item)) {
            if (is_item && (k == K_REQUIRED || k == K_C_NAME))
                diag_error(L->d, L->path, kn[k]->mark,
                           "%s: '%s' does not apply to array items", where, prop_keys[k]);
            else
                diag_error(L->d, L->path, kn[k]->mark, "%s: '%s' does not apply to type %s",
                           where, prop_keys[k], tname);
            v[k] = NULL;
            continue;
        }
        const char *s;
        switch (k) {
        case K_REQUIRED: get_bool(L, val, "required", &p->required); break;
        case K_NULLABLE: get_bool(L, val, "nullable", &p->nullable); break;
        case K_DOC: p->doc = get_doc(L, val, "doc"); break;
        case K_C_NAME:
            if ((s = get_string(L, val, "c_name")))
                p->c_name = model_strdup(L->a, s);
            break;
        case K_VALUE:
            if ((s = get_string(L, val, "value")))
                p->const_value = model_strdup(L->a, s);
            break;
        case K_VALUES:
            if (p->kind == PROP_MAP) {
                char vpath[PATH_CAP];
                snprintf(vpath, sizeof vpath, "%s{}", path);
                p->items = load_prop(L, NULL, val->mark, val, vpath);
                break;
            }
            load_name_list(L, val, "values", &p->enum_values);
            if (val->kind == YNODE_SEQUENCE && val->count == 0)
                diag_error(L->d, L->path, val->mark, "%s: enum has no values", where);
            break;
        case K_PROPERTIES: load_props(L, val, path, &p->props); break;
        case K_EXTENDS: load_name_list(L, val, "extends", &p->extends); break;
        case K_ITEMS: p->items = load_items(L, val, path); break;
        case K_MIN_ITEMS:
            if (!get_count(L, val, "min_items", &p->min_items))
                v[k] = NULL;
            break;
        case K_MAX_ITEMS:
            if (!get_count(L, val, "max_items", &p->max_items))
                v[k] = NULL;
            break;
        }
    }

    if (p->kind == PROP_CONST && !v[K_VALUE])
        missing(L, spec, "value", where);
    if ((p->kind == PROP_ENUM || p->kind == PROP_MAP) && !v[K_VALUES])
        missing(L, spec, "values", where);
    if (p->kind == PROP_OBJECT && !v[K_PROPERTIES] && !v[K_EXTENDS])
        diag_error(L->d, L->path, spec->mark, "%s: object needs 'properties' or 'extends'",
                   where);
    if (p->kind == PROP_ARRAY && !v[K_ITEMS])
        missing(L, spec, "items", where);
    if (v[K_MIN_ITEMS] && v[K_MAX_ITEMS] && p->min_items > p->max_items)
        diag_error(L->d, L->path, v[K_MIN_ITEMS]->mark,
                   "%s: min_items (%lld) is greater than max_items (%lld)", where,
                   (long long)p->min_items, (long long)p->max_items);
}

static void load_short_form(loader *L, prop *p, const ynode *spec, const char *path)
{
    const char *t = spec->text;
    size_t n = spec->len;
    if (n > 0 && t[n - 1] == '?') {
        if (!p->name)
            diag_error(L->d, L->path, spec->mark,
                       "property '%s': array items cannot be optional", path);
        else
            p->required = false;
        n--;
    }
    char *tname = model_strndup(L->a, t, n);
    p->kind = kind_of_type(tname);
    p->type_mark = spec->mark;
    const char *needs = NULL;
    switch (p->kind) {
    case PROP_SHAPE_REF: p->shape_name = tname; break;
    case PROP_CONST: needs = "{type: const, value: ...}"; break;
    case PROP_ENUM: needs = "{type: enum, values: [...]}"; break;
    case PROP_OBJECT: needs = "{type: object, properties: {...}}"; break;
    case PROP_ARRAY: needs = "{type: array, items: ...}"; break;
    case PROP_MAP: needs = "{type: map, values: ...}"; break;
    default: break;
    }
    if (needs) {
        diag_error(L->d, L->path, spec->mark,
                   "property '%s': type %s needs the long form %s", path, tname, needs);
        p->kind = PROP_ANY;
    }
}

/* A property from its spec, short or long form; name NULL for array items.
 * Returns NULL when the spec is unusable (reported). */
static prop *load_prop(loader *L, const char *name, src_mark at, const ynode *spec,
                       const char *path)
{
    prop *p = model_alloc(L->a, sizeof *p);
    p->name = name ? model_strdup(L->a, name) : NULL;
    p->c_name = p->name;
    p->required = true;
    p->max_items = -1;
    p->mark = at;
    p->type_mark = spec->mark;
    if (spec->kind == YNODE_SCALAR && !ynode_is_null(spec)) {
        load_short_form(L, p, spec, path);
    } else if (spec->kind == YNODE_MAPPING) {
        load_long_form(L, p, spec, path);
    } else {
        diag_error(L->d, L->path, spec->mark,
                   "property '%s' must be a type name or a mapping, not %s", path,
                   spec->kind == YNODE_SCALAR ? "null" : kind_noun(spec));
        return NULL;
    }
    return p;
}

static void load_props(loader *L, const ynode *map, const char *parent, prop_list *out)
{
    out->items = NULL;
    out->count = 0;
    if (map->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, map->mark, "'properties' must be a mapping");
        return;
    }
    out->items = model_alloc(L->a, (map->count ? map->count : 1) * sizeof *out->items);
    for (size_t i = 0; i < map->count; i++) {
        const ypair *pr = &map->pairs[i];
        if (pr->key->kind != YNODE_SCALAR)
            continue;
        const char *key = pr->key->text;
        char path[PATH_CAP];
        if (parent)
            snprintf(path, sizeof path, "%s.%s", parent, key);
        else
            snprintf(path, sizeof path, "%s", key);
        if (pr->first != i) {
            diag_error(L->d, L->path, pr->key->mark,
                       "duplicate property '%s' (first defined at line %u)", path,
                       map->pairs[pr->first].key->mark.line);
            continue;
        }
        prop *p = load_prop(L, key, pr->key->mark, pr->value, path);
        if (p)
            out->items[out->count++] = p;
    }
}

/* MARK: shapes */

static void check_name(loader *L, const ynode *n, const char *what)
{
    if (!name_is_catalog_name(n->text))
        diag_error(L->d, L->path, n->mark, "%s '%s' must match [a-z][a-z0-9-]*", what,
                   n->text);
}

static shape *load_shape(loader *L, const ynode *key, const ynode *spec)
{
    shape *s = model_alloc(L->a, sizeof *s);
    s->name = model_strdup(L->a, key->text);
    s->mark = key->mark;
    /* A badly named shape is still loaded, so its uses resolve. */
    check_name(L, key, "shape name");
    if (kind_of_type(s->name) != PROP_SHAPE_REF)
        diag_error(L->d, L->path, key->mark, "shape name '%s' is a built-in type", s->name);
    char where[PATH_CAP];
    snprintf(where, sizeof where, "shape '%s'", s->name);
    if (spec->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, spec->mark, "shape '%s' must be a mapping", s->name);
        return s;
    }
    static const char *const keys[] = {"doc", "extends", "properties"};
    const ynode *v[3];
    keyset ks = {keys, 3, v, NULL};
    take_keys_listed(L, spec, where, &ks);
    if (v[0])
        s->doc = get_doc(L, v[0], "doc");
    if (v[1])
        load_name_list(L, v[1], "extends", &s->extends);
    if (v[2])
        load_props(L, v[2], NULL, &s->props);
    if (!v[1] && !v[2])
        diag_error(L->d, L->path, spec->mark, "shape '%s' needs 'properties' or 'extends'",
                   s->name);
    return s;
}

/* A mapping of named definitions (shapes, wires): each key once, in file
 * order; `add` loads one, `map->count` bounds how many. */
typedef void (*add_named_fn)(loader *L, catalog *c, const ynode *key, const ynode *value,
                             size_t capacity);

static void load_named(loader *L, catalog *c, const ynode *map, const char *what,
                       add_named_fn add)
{
    if (map->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, map->mark, "'%ss' must be a mapping", what);
        return;
    }
    for (size_t i = 0; i < map->count; i++) {
        const ypair *pr = &map->pairs[i];
        if (pr->key->kind != YNODE_SCALAR)
            continue;
        if (pr->first != i) {
            diag_error(L->d, L->path, pr->key->mark, "duplicate %s '%s' (first defined at line %u)",
                       what, pr->key->text, map->pairs[pr->first].key->mark.line);
            continue;
        }
        add(L, c, pr->key, pr->value, map->count);
    }
}

static void add_shape(loader *L, catalog *c, const ynode *key, const ynode *value, size_t capacity)
{
    if (!c->shapes)
        c->shapes = model_alloc(L->a, capacity * sizeof *c->shapes);
    c->shapes[c->shape_count++] = load_shape(L, key, value);
}

/* MARK: events and versions */

static const char *const status_names[] = {"active", "deprecated", "sunset"};
static const char *const direction_names[] = {"received", "send"};

static event_version *load_version(loader *L, const ynode *spec)
{
    if (spec->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, spec->mark, "version must be a mapping, not %s",
                   kind_noun(spec));
        return NULL;
    }
    event_version *ver = model_alloc(L->a, sizeof *ver);
    ver->mark = spec->mark;
    enum { V_VERSION, V_STATUS, V_ACTIVE, V_DEPRECATED, V_SUNSET, V_EXTENDS, V_PROPERTIES };
    static const char *const keys[] = {"version", "status", "active", "deprecated",
                                       "sunset", "extends", "properties"};
    const ynode *v[7];
    keyset ks = {keys, 7, v, NULL};
    take_keys_listed(L, spec, "version", &ks);
    if (v[V_VERSION]) {
        const char *s = get_string(L, v[V_VERSION], "version");
        ver->mark = v[V_VERSION]->mark;
        if (s)
            ver->text = model_strdup(L->a, s);
    } else {
        missing(L, spec, "version", "version");
    }
    if (v[V_STATUS]) {
        int k = get_choice(L, v[V_STATUS], "status", "status", status_names, 3);
        if (k >= 0)
            ver->status = (version_status)k;
    } else {
        missing(L, spec, "status", "version");
    }
    if (v[V_ACTIVE]) {
        ver->active = get_date(L, v[V_ACTIVE], "active", false);
        ver->active_mark = v[V_ACTIVE]->mark;
    } else {
        missing(L, spec, "active", "version");
        ver->active.year = -1;
    }
    if (v[V_DEPRECATED]) {
        ver->deprecated = get_date(L, v[V_DEPRECATED], "deprecated", true);
        ver->deprecated_mark = v[V_DEPRECATED]->mark;
    }
    if (v[V_SUNSET]) {
        ver->sunset = get_date(L, v[V_SUNSET], "sunset", true);
        ver->sunset_mark = v[V_SUNSET]->mark;
    }
    if (v[V_EXTENDS])
        load_name_list(L, v[V_EXTENDS], "extends", &ver->extends);
    if (v[V_PROPERTIES])
        load_props(L, v[V_PROPERTIES], NULL, &ver->props);
    else if (!v[V_EXTENDS])
        missing(L, spec, "properties", "version");
    return ver;
}

static event *load_event(loader *L, const ynode *spec)
{
    if (spec->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, spec->mark, "event must be a mapping, not %s",
                   kind_noun(spec));
        return NULL;
    }
    event *e = model_alloc(L->a, sizeof *e);
    e->mark = spec->mark;
    enum { E_NAME, E_PRODUCT, E_DIRECTION, E_WIRES, E_SUMMARY, E_VERSION_REQUIRED, E_VERSIONS };
    static const char *const keys[] = {"name", "product", "direction", "wires", "summary",
                                       "version_required", "versions"};
    const ynode *v[7];
    keyset ks = {keys, 7, v, NULL};
    take_keys_listed(L, spec, "event", &ks);
    if (v[E_NAME]) {
        const char *s = get_string(L, v[E_NAME], "name");
        e->mark = v[E_NAME]->mark;
        if (s) {
            e->name = model_strdup(L->a, s);
            if (!name_is_event_name(s))
                diag_error(L->d, L->path, v[E_NAME]->mark,
                           "event name '%s' must match [A-Za-z][A-Za-z0-9_.-]*", s);
        }
    } else {
        missing(L, spec, "name", "event");
    }
    e->product_index = -1;
    if (v[E_PRODUCT]) {
        const char *s = get_string(L, v[E_PRODUCT], "product");
        if (s)
            e->product = model_strdup(L->a, s);
        e->product_mark = v[E_PRODUCT]->mark;
    }
    if (v[E_DIRECTION]) {
        int k = get_choice(L, v[E_DIRECTION], "direction", "direction", direction_names, 2);
        if (k >= 0)
            e->direction = (direction)k;
    } else {
        missing(L, spec, "direction", "event");
    }
    e->version_required = e->direction == DIRECTION_SEND;
    if (v[E_VERSION_REQUIRED])
        get_bool(L, v[E_VERSION_REQUIRED], "version_required", &e->version_required);
    if (v[E_WIRES])
        load_name_list(L, v[E_WIRES], "wires", &e->wire_names);
    if (v[E_SUMMARY])
        e->summary = get_doc(L, v[E_SUMMARY], "summary");
    if (!v[E_VERSIONS]) {
        missing(L, spec, "versions", "event");
    } else if (v[E_VERSIONS]->kind != YNODE_SEQUENCE) {
        diag_error(L->d, L->path, v[E_VERSIONS]->mark, "'versions' must be a sequence");
    } else if (v[E_VERSIONS]->count == 0) {
        diag_error(L->d, L->path, v[E_VERSIONS]->mark, "'versions' is empty");
    } else {
        const ynode *vs = v[E_VERSIONS];
        e->versions = model_alloc(L->a, vs->count * sizeof *e->versions);
        for (size_t i = 0; i < vs->count; i++) {
            event_version *ver = load_version(L, vs->items[i]);
            if (ver)
                e->versions[e->version_count++] = ver;
        }
    }
    return e;
}

/* MARK: products and wires */

static void load_products(loader *L, catalog *c, const ynode *v)
{
    load_name_list(L, v, "products", &c->products);
    for (size_t i = 0; i < c->products.count; i++)
        if (!name_is_catalog_name(c->products.items[i]))
            diag_error(L->d, L->path, c->products.marks[i], "product '%s' must match [a-z][a-z0-9-]*",
                       c->products.items[i]);
}

static const char *const role_words[] = {"name", "version", "payload", "format-version"};

static void load_members(loader *L, const ynode *map, const char *where, member_list *out);

/* One member of an envelope: `name`, `version` or `payload` (short form),
 * or {role: ..., const: ..., members: {...}, required: ..., doc: ...}. */
static wire_member *load_member(loader *L, const ypair *pr, const char *where)
{
    wire_member *m = model_alloc(L->a, sizeof *m);
    m->key = model_strdup(L->a, pr->key->text);
    m->mark = pr->key->mark;
    m->required = true;
    /* Until the spec says otherwise, a harmless constant: a broken member
     * gets its own message and no others about payload counts. */
    m->role = ROLE_CONST;
    m->value = "";
    const ynode *spec = pr->value;
    char here[PATH_CAP + 32];
    snprintf(here, sizeof here, "member '%s' of %s", m->key, where);
    if (spec->kind == YNODE_SCALAR && !ynode_is_null(spec)) {
        int k = -1;
        for (int i = 0; i < 3; i++)
            if (strcmp(spec->text, role_words[i]) == 0)
                k = i;
        if (k < 0)
            diag_error(L->d, L->path, spec->mark,
                       "%s: '%s' is no role (expected name, version or payload; a constant is "
                       "written {const: %s})", here, spec->text, spec->text);
        else
            m->role = k == 0 ? ROLE_NAME : k == 1 ? ROLE_VERSION : ROLE_PAYLOAD;
        return m;
    }
    if (spec->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, spec->mark, "%s must be a role or a mapping, not %s", here,
                   spec->kind == YNODE_SCALAR ? "null" : kind_noun(spec));
        return m;
    }
    enum { M_ROLE, M_CONST, M_MEMBERS, M_REQUIRED, M_DOC };
    static const char *const keys[] = {"role", "const", "members", "required", "doc"};
    const ynode *v[5];
    keyset ks = {keys, 5, v, NULL};
    take_keys_listed(L, spec, here, &ks);
    int role = -1;
    if (v[M_ROLE])
        role = get_choice(L, v[M_ROLE], "role", "member role", role_words, 4);
    if (v[M_DOC])
        m->doc = get_doc(L, v[M_DOC], "doc");
    if (v[M_REQUIRED])
        get_bool(L, v[M_REQUIRED], "required", &m->required);
    if (v[M_CONST]) {
        const char *s = get_string(L, v[M_CONST], "const");
        if (s)
            m->value = model_strdup(L->a, s);
        m->role = ROLE_CONST;
        m->format_version = role == 3;
        if (role >= 0 && role != 3)
            diag_error(L->d, L->path, v[M_ROLE]->mark,
                       "%s: a constant's role can only be format-version", here);
        if (v[M_MEMBERS])
            diag_error(L->d, L->path, v[M_MEMBERS]->mark, "%s: a constant has no members", here);
        return m;
    }
    if (role == 3)
        diag_error(L->d, L->path, v[M_ROLE]->mark, "%s: role format-version needs 'const'", here);
    if (v[M_MEMBERS]) {
        if (role >= 0)
            diag_error(L->d, L->path, v[M_ROLE]->mark, "%s: an object of members has no role", here);
        if (v[M_REQUIRED])
            diag_error(L->d, L->path, v[M_REQUIRED]->mark,
                       "%s: 'required' applies to constants (a level of the envelope is always there)",
                       here);
        m->role = ROLE_OBJECT;
        load_members(L, v[M_MEMBERS], here, &m->members);
        return m;
    }
    if (role < 0 || role == 3) {
        if (!v[M_ROLE])
            diag_error(L->d, L->path, spec->mark, "%s needs 'role', 'const' or 'members'", here);
        return m;
    }
    m->role = role == 0 ? ROLE_NAME : role == 1 ? ROLE_VERSION : ROLE_PAYLOAD;
    return m;
}

static void load_members(loader *L, const ynode *map, const char *where, member_list *out)
{
    out->items = NULL;
    out->count = 0;
    if (map->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, map->mark, "the members of %s must be a mapping", where);
        return;
    }
    out->items = model_alloc(L->a, (map->count ? map->count : 1) * sizeof *out->items);
    for (size_t i = 0; i < map->count; i++) {
        const ypair *pr = &map->pairs[i];
        if (pr->key->kind != YNODE_SCALAR || pr->first != i)
            continue;   /* reported by the tree / below */
        out->items[out->count++] = load_member(L, pr, where);
    }
    for (size_t i = 0; i < map->count; i++)
        if (map->pairs[i].first != i)
            diag_error(L->d, L->path, map->pairs[i].key->mark, "duplicate member '%s' in %s",
                       map->pairs[i].key->text, where);
}

/* A form's members: its base's, each replaced by the form's member of the
 * same key (objects merge member by member), plus the form's new ones. */
static void merge_members(loader *L, const member_list *base, const member_list *over,
                          member_list *out)
{
    out->items = model_alloc(L->a, (base->count + over->count + 1) * sizeof *out->items);
    out->count = 0;
    for (size_t i = 0; i < base->count; i++)
        out->items[out->count++] = base->items[i];
    for (size_t j = 0; j < over->count; j++) {
        wire_member *o = over->items[j];
        size_t i = 0;
        while (i < out->count && strcmp(out->items[i]->key, o->key) != 0)
            i++;
        if (i == out->count) {
            out->items[out->count++] = o;
        } else if (out->items[i]->role == ROLE_OBJECT && o->role == ROLE_OBJECT) {
            wire_member *merged = model_alloc(L->a, sizeof *merged);
            *merged = *o;
            merge_members(L, &out->items[i]->members, &o->members, &merged->members);
            out->items[i] = merged;
        } else {
            out->items[i] = o;
        }
    }
}

static void load_form_payloads(loader *L, wire *w, const ynode *map)
{
    if (map->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, map->mark, "'payloads' must map values of 'select' to shapes");
        return;
    }
    w->payloads = model_alloc(L->a, (map->count ? map->count : 1) * sizeof *w->payloads);
    for (size_t i = 0; i < map->count; i++) {
        const ypair *pr = &map->pairs[i];
        if (pr->key->kind != YNODE_SCALAR)
            continue;
        if (pr->first != i) {
            diag_error(L->d, L->path, pr->key->mark, "form '%s': payload '%s' is listed twice",
                       w->name, pr->key->text);
            continue;
        }
        if (pr->value->kind != YNODE_SCALAR || ynode_is_null(pr->value)) {
            diag_error(L->d, L->path, pr->value->mark, "payload '%s' must name a shape",
                       pr->key->text);
            continue;
        }
        form_payload *f = model_alloc(L->a, sizeof *f);
        f->value = model_strdup(L->a, pr->key->text);
        f->shape_name = model_strdup(L->a, pr->value->text);
        f->mark = pr->value->mark;
        w->payloads[w->payload_count++] = f;
    }
}

/* A wire, or (base != NULL) one of its forms. */
static wire *load_wire(loader *L, const ynode *key, const ynode *spec, wire *base)
{
    wire *w = model_alloc(L->a, sizeof *w);
    w->mark = key->mark;
    w->base = base;
    if (base) {
        size_t n = strlen(base->name) + strlen(key->text) + 2;
        w->name = model_alloc(L->a, n);
        snprintf(w->name, n, "%s/%s", base->name, key->text);
    } else {
        w->name = model_strdup(L->a, key->text);
    }
    if (!name_is_catalog_name(key->text))
        diag_error(L->d, L->path, key->mark, "%s name '%s' must match [a-z][a-z0-9-]*",
                   base ? "form" : "wire", key->text);
    char where[PATH_CAP];
    snprintf(where, sizeof where, "%s '%s'", base ? "form" : "wire", w->name);
    if (spec->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, spec->mark, "%s must be a mapping", where);
        if (base)
            w->members = base->members;   /* one message, not one per missing member */
        return w;
    }
    enum { W_DOC, W_ENVELOPE, W_PAYLOAD_NAME, W_PAYLOAD_VERSION, W_FORMS, W_SELECT, W_PAYLOADS };
    static const char *const keys[] = {"doc", "envelope", "payload_name", "payload_version",
                                       "forms", "select", "payloads"};
    const ynode *v[7];
    keyset ks = {keys, 7, v, NULL};
    take_keys_listed(L, spec, where, &ks);
    if (v[W_DOC])
        w->doc = get_doc(L, v[W_DOC], "doc");
    member_list own = {NULL, 0};
    if (v[W_ENVELOPE])
        load_members(L, v[W_ENVELOPE], where, &own);
    else
        missing(L, spec, "envelope", where);
    if (base)
        merge_members(L, &base->members, &own, &w->members);
    else
        w->members = own;
    if (base) {
        w->payload_version = base->payload_version;
        w->payload_version_mark = base->payload_version_mark;
        w->payload_name = base->payload_name;
        w->payload_name_mark = base->payload_name_mark;
    }
    if (v[W_PAYLOAD_NAME]) {
        const char *s = get_string(L, v[W_PAYLOAD_NAME], "payload_name");
        w->payload_name = s ? model_strdup(L->a, s) : NULL;
        w->payload_name_mark = v[W_PAYLOAD_NAME]->mark;
    }
    if (v[W_PAYLOAD_VERSION]) {
        const char *s = get_string(L, v[W_PAYLOAD_VERSION], "payload_version");
        w->payload_version = s ? model_strdup(L->a, s) : NULL;
        w->payload_version_mark = v[W_PAYLOAD_VERSION]->mark;
    }
    if (v[W_SELECT] || v[W_PAYLOADS]) {
        if (!base)
            diag_error(L->d, L->path, (v[W_SELECT] ? v[W_SELECT] : v[W_PAYLOADS])->mark,
                       "%s: 'select' and 'payloads' belong to a form", where);
        else if (!v[W_SELECT])
            missing(L, spec, "select", where);
        else if (!v[W_PAYLOADS])
            missing(L, spec, "payloads", where);
    }
    if (v[W_SELECT]) {
        const char *s = get_string(L, v[W_SELECT], "select");
        w->select = s ? model_strdup(L->a, s) : NULL;
        w->select_mark = v[W_SELECT]->mark;
    }
    if (v[W_PAYLOADS])
        load_form_payloads(L, w, v[W_PAYLOADS]);
    if (v[W_FORMS]) {
        const ynode *fm = v[W_FORMS];
        if (base) {
            diag_error(L->d, L->path, fm->mark, "%s: a form has no forms of its own", where);
        } else if (fm->kind != YNODE_MAPPING) {
            diag_error(L->d, L->path, fm->mark, "'forms' must be a mapping");
        } else {
            w->forms = model_alloc(L->a, (fm->count ? fm->count : 1) * sizeof *w->forms);
            for (size_t i = 0; i < fm->count; i++)
                if (fm->pairs[i].key->kind == YNODE_SCALAR && fm->pairs[i].first == i)
                    w->forms[w->form_count++] = load_wire(L, fm->pairs[i].key, fm->pairs[i].value, w);
        }
    }
    return w;
}

static void add_wire(loader *L, catalog *c, const ynode *key, const ynode *value, size_t capacity)
{
    if (!c->wires)
        c->wires = model_alloc(L->a, capacity * sizeof *c->wires);
    c->wires[c->wire_count++] = load_wire(L, key, value, NULL);
}

/* MARK: catalog */

static void load_catalog(loader *L, catalog *c, const ynode *root)
{
    if (root->kind != YNODE_MAPPING) {
        diag_error(L->d, L->path, root->mark,
                   "the catalog must be a mapping with keys format, products, wires, shapes, events");
        return;
    }
    static const char *const keys[] = {"format", "products", "wires", "shapes", "events"};
    const ynode *v[5];
    keyset ks = {keys, 5, v, NULL};
    take_keys_listed(L, root, "catalog", &ks);
    if (!v[0]) {
        missing(L, root, "format", "catalog");
    } else if (v[0]->kind != YNODE_SCALAR || strcmp(v[0]->text, "1") != 0) {
        diag_error(L->d, L->path, v[0]->mark,
                   "unsupported catalog format '%s' (this evgen reads format 1)",
                   v[0]->kind == YNODE_SCALAR ? v[0]->text : kind_noun(v[0]));
    } else {
        c->format = 1;
    }
    if (v[1])
        load_products(L, c, v[1]);
    if (v[3])
        load_named(L, c, v[3], "shape", add_shape);
    if (v[2])
        load_named(L, c, v[2], "wire", add_wire);
    v[2] = v[4];
    if (!v[2]) {
        missing(L, root, "events", "catalog");
    } else if (v[2]->kind != YNODE_SEQUENCE) {
        diag_error(L->d, L->path, v[2]->mark, "'events' must be a sequence");
    } else if (v[2]->count == 0) {
        diag_error(L->d, L->path, v[2]->mark, "'events' is empty");
    } else {
        c->events = model_alloc(L->a, v[2]->count * sizeof *c->events);
        for (size_t i = 0; i < v[2]->count; i++) {
            event *e = load_event(L, v[2]->items[i]);
            if (e)
                c->events[c->event_count++] = e;
        }
    }
}

catalog *catalog_load(const char *path, const char *bytes, size_t len, diag *d)
{
    ytree t = {0};
    if (!ytree_parse(&t, path, bytes, len, d)) {
        ytree_free(&t);
        return NULL;
    }
    model_arena *a = model_arena_new();
    catalog *c = model_alloc(a, sizeof *c);
    c->arena = a;
    c->path = model_strdup(a, path);
    loader L = {path, d, a};
    load_catalog(&L, c, t.root);
    ytree_free(&t);
    return c;
}

catalog *catalog_load_file(const char *path, diag *d)
{
    char *bytes;
    size_t len;
    if (!ytree_read_file(path, &bytes, &len, d))
        return NULL;
    catalog *c = catalog_load(path, bytes, len, d);
    free(bytes);
    return c;
}
