/* emit_jsonschema.c - the catalog as JSON Schema, draft 2020-12 (see
 * emit_jsonschema.h; the files and what they leave out: docs/jsonschema.md).
 *
 * Per event version, events/<event>/<version>.schema.json: its payload.
 * Per wire and form, wires/<wire>.schema.json (a form "w/f": w--f): a whole
 * document in that envelope, the payload checked as the event the document
 * names, in the version the wire's version member (or the payload's) says.
 *
 * Every schema is self-contained: the shapes it uses as types are in its
 * own $defs (referenced as #/$defs/<shape>), and a wire schema also holds
 * the payload of every event version it carries (#/$defs/event:<e>:<v>;
 * shape names have no ':', so the two never meet). Property lists are the
 * resolved ones, inherited properties first, written inline.
 *
 * Recursion follows the catalog's nesting only (object in object, array
 * items, map values: bounded by the YAML depth; shapes inside shapes: by the
 * checker's 64 levels, and each shape is walked once per schema; envelopes:
 * 8 levels). Output is a function of the catalog and the catalog's file
 * name alone. */
#include "emit_jsonschema.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_wires.h"
#include "json_out.h"
#include "text_buf.h"

/* MARK: JSON helpers (the writer is json_out.h) */

static void jw_key_str(jw *w, const char *k, const char *v)
{
    jw_key(w, k);
    jw_str(w, v);
}

/* `"key": {}` */
static void jw_key_empty(jw *w, const char *k)
{
    jw_key(w, k);
    jw_begin(w, '{');
    jw_end(w, '}');
}

/* MARK: small strings */

static void add_date(text_buf *b, civil_date d)
{
    text_printf(b, "%04d-%02d-%02d", d.year, d.month, d.day);
}

/* The catalog's file name without directory and extension, with every
 * byte a URN should not hold raw percent-encoded. */
static char *urn_catalog_name(const char *path)
{
    const char *slash = strrchr(path, '/');
    const char *name = slash ? slash + 1 : path;
    const char *dot = strrchr(name, '.');
    size_t n = dot && dot != name ? (size_t)(dot - name) : strlen(name);
    text_buf b = {0};
    for (size_t i = 0; i < n; i++) {
        unsigned char ch = (unsigned char)name[i];
        if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
            ch == '-' || ch == '.' || ch == '_') {
            text_add(&b, name + i, 1);
        } else {
            text_printf(&b, "%%%02X", ch);
        }
    }
    if (b.len == 0)
        text_str(&b, "catalog");
    return text_take(&b, NULL);
}

/* MARK: the emitter */

typedef struct shape_slot {
    uintptr_t key;
    size_t index;
} shape_slot;

typedef struct emitter {
    const catalog *c;
    const char *urn;       /* "urn:evgen:<catalog>" */
    shape_slot *slots;     /* c->shapes by address, for shape_index */
    bool *used;            /* per shape: in the $defs of the schema being built */
    text_buf tmp;              /* scratch for keys, titles, descriptions */
} emitter;

#define NO_SHAPE SIZE_MAX

static int slot_cmp(const void *a, const void *b)
{
    uintptr_t x = ((const shape_slot *)a)->key, y = ((const shape_slot *)b)->key;
    return x < y ? -1 : x > y;
}

static size_t shape_index(const emitter *em, const shape *s)
{
    shape_slot want = {(uintptr_t)s, 0};
    const shape_slot *hit =
        s ? bsearch(&want, em->slots, em->c->shape_count, sizeof *em->slots, slot_cmp) : NULL;
    return hit ? hit->index : NO_SHAPE;
}

/* The shape a property is written as a $ref to, or NULL: inline. */
static const shape *ref_shape(const emitter *em, const prop *p)
{
    return p->kind == PROP_OBJECT && p->shape && shape_index(em, p->shape) != NO_SHAPE ? p->shape
                                                                                      : NULL;
}

/* MARK: which shapes a schema needs */

static void mark_props(emitter *em, const prop_list *l);

static void mark_shape(emitter *em, const shape *s)
{
    size_t i = shape_index(em, s);
    if (i == NO_SHAPE || em->used[i])
        return;
    em->used[i] = true;
    mark_props(em, &s->props);
}

static void mark_prop(emitter *em, const prop *p)
{
    switch (p->kind) {
    case PROP_OBJECT:
        if (ref_shape(em, p))
            mark_shape(em, p->shape);
        else
            mark_props(em, &p->props);
        break;
    case PROP_ARRAY:
    case PROP_MAP:
        if (p->items)
            mark_prop(em, p->items);
        break;
    default:
        break;
    }
}

static void mark_props(emitter *em, const prop_list *l)
{
    for (size_t i = 0; i < l->count; i++)
        mark_prop(em, l->items[i]);
}

/* MARK: properties */

static void write_object_body(emitter *em, jw *w, const prop_list *props);

static const char *scalar_type(prop_kind k)
{
    switch (k) {
    case PROP_STRING: return "string";
    case PROP_BOOLEAN: return "boolean";
    case PROP_INTEGER: return "integer";
    case PROP_NUMBER: return "number";
    default: return NULL;
    }
}

/* What evgen's int64_t holds (docs/catalog.md, "Types"). */
static void write_integer_range(jw *w)
{
    jw_key(w, "minimum");
    jw_raw(w, "-9223372036854775808");
    jw_key(w, "maximum");
    jw_raw(w, "9223372036854775807");
}

static void write_prop(emitter *em, jw *w, const prop *p);

/* The keywords of a non-null value of p's type, into the open object. */
static void write_type_keywords(emitter *em, jw *w, const prop *p)
{
    const shape *s;
    switch (p->kind) {
    case PROP_STRING:
    case PROP_BOOLEAN:
    case PROP_NUMBER:
        jw_key_str(w, "type", scalar_type(p->kind));
        break;
    case PROP_INTEGER:
        jw_key_str(w, "type", "integer");
        write_integer_range(w);
        break;
    case PROP_CONST:
        jw_key_str(w, "const", p->const_value ? p->const_value : "");
        break;
    case PROP_ENUM:
        jw_key(w, "enum");
        jw_begin(w, '[');
        for (size_t i = 0; i < p->enum_values.count; i++)
            jw_str(w, p->enum_values.items[i]);
        jw_end(w, ']');
        break;
    case PROP_OBJECT:
        if ((s = ref_shape(em, p)) != NULL) {
            text_truncate(&em->tmp, 0);
            text_str(&em->tmp, "#/$defs/");
            text_str(&em->tmp, s->name);
            jw_key_str(w, "$ref", text_content(&em->tmp));
        } else {
            write_object_body(em, w, &p->props);
        }
        break;
    case PROP_ARRAY:
        jw_key_str(w, "type", "array");
        if (p->items) {
            jw_key(w, "items");
            write_prop(em, w, p->items);
        }
        if (p->min_items > 0) {
            jw_key(w, "minItems");
            jw_int(w, p->min_items);
        }
        if (p->max_items >= 0) {
            jw_key(w, "maxItems");
            jw_int(w, p->max_items);
        }
        break;
    case PROP_MAP:
        jw_key_str(w, "type", "object");
        if (p->items) {
            jw_key(w, "additionalProperties");
            write_prop(em, w, p->items);
        }
        break;
    case PROP_ANY:
    case PROP_SHAPE_REF:   /* not after resolution */
        break;
    }
}

/* A property's (or an array item's, a map value's) schema. */
static void write_prop(emitter *em, jw *w, const prop *p)
{
    jw_begin(w, '{');
    if (p->doc)
        jw_key_str(w, "description", p->doc);
    const char *scalar = scalar_type(p->kind);
    if (!p->nullable || p->kind == PROP_ANY) {
        write_type_keywords(em, w, p);
    } else if (scalar) {
        jw_key(w, "type");
        jw_begin(w, '[');
        jw_str(w, scalar);
        jw_str(w, "null");
        jw_end(w, ']');
        if (p->kind == PROP_INTEGER)
            write_integer_range(w);   /* bounds apply to numbers only */
    } else {
        jw_key(w, "anyOf");
        jw_begin(w, '[');
        jw_begin(w, '{');
        write_type_keywords(em, w, p);
        jw_end(w, '}');
        jw_begin(w, '{');
        jw_key_str(w, "type", "null");
        jw_end(w, '}');
        jw_end(w, ']');
    }
    jw_end(w, '}');
}

/* An object with these (resolved) properties; other keys are allowed, as
 * evgen skips them outside strict mode. */
static void write_object_body(emitter *em, jw *w, const prop_list *props)
{
    jw_key_str(w, "type", "object");
    jw_key(w, "properties");
    jw_begin(w, '{');
    for (size_t i = 0; i < props->count; i++) {
        const prop *p = props->items[i];
        if (!p->name)
            continue;
        jw_key(w, p->name);
        write_prop(em, w, p);
    }
    jw_end(w, '}');
    size_t required = 0;
    for (size_t i = 0; i < props->count; i++)
        required += props->items[i]->name && props->items[i]->required;
    if (required) {
        jw_key(w, "required");
        jw_begin(w, '[');
        for (size_t i = 0; i < props->count; i++)
            if (props->items[i]->name && props->items[i]->required)
                jw_str(w, props->items[i]->name);
        jw_end(w, ']');
    }
}

/* "$defs" entries of the shapes marked used, in catalog order. */
static void write_shape_defs(emitter *em, jw *w)
{
    for (size_t i = 0; i < em->c->shape_count; i++) {
        if (!em->used[i])
            continue;
        const shape *s = em->c->shapes[i];
        jw_key(w, s->name);
        jw_begin(w, '{');
        text_truncate(&em->tmp, 0);
        text_str(&em->tmp, "shape ");
        text_str(&em->tmp, s->name);
        jw_key_str(w, "title", text_content(&em->tmp));
        if (s->doc)
            jw_key_str(w, "description", s->doc);
        write_object_body(em, w, &s->props);
        jw_end(w, '}');
    }
}

static bool any_used(const emitter *em)
{
    for (size_t i = 0; i < em->c->shape_count; i++)
        if (em->used[i])
            return true;
    return false;
}

static void clear_used(emitter *em)
{
    if (em->c->shape_count)
        memset(em->used, 0, em->c->shape_count * sizeof *em->used);
}

/* MARK: payload schemas */

/* title, description, deprecated: what the catalog says of a version. */
static void write_version_annotations(emitter *em, jw *w, const event *e, const event_version *v)
{
    text_truncate(&em->tmp, 0);
    text_str(&em->tmp, e->name);
    text_str(&em->tmp, " ");
    text_str(&em->tmp, v->text);
    jw_key_str(w, "title", text_content(&em->tmp));
    text_truncate(&em->tmp, 0);
    if (e->summary) {
        text_str(&em->tmp, e->summary);
        text_str(&em->tmp, " ");
    }
    text_str(&em->tmp, "Payload of event ");
    text_str(&em->tmp, e->name);
    text_str(&em->tmp, " version ");
    text_str(&em->tmp, v->text);
    text_str(&em->tmp, e->direction == DIRECTION_SEND ? " (sent by the application" : " (received by the application");
    if (e->product) {
        text_str(&em->tmp, ", product ");
        text_str(&em->tmp, e->product);
    }
    text_str(&em->tmp, "). Status ");
    text_str(&em->tmp, status_name(v->status));
    text_str(&em->tmp, "; active ");
    add_date(&em->tmp, v->active);
    if (v->deprecated.year > 0) {
        text_str(&em->tmp, ", deprecated ");
        add_date(&em->tmp, v->deprecated);
    }
    if (v->sunset.year > 0) {
        text_str(&em->tmp, ", sunset ");
        add_date(&em->tmp, v->sunset);
    }
    text_str(&em->tmp, ".");
    jw_key_str(w, "description", text_content(&em->tmp));
    if (v->status != STATUS_ACTIVE) {
        jw_key(w, "deprecated");
        jw_raw(w, "true");
    }
}

static void write_schema_header(emitter *em, jw *w, const char *kind, const char *name,
                                const char *version)
{
    jw_key_str(w, "$schema", "https://json-schema.org/draft/2020-12/schema");
    text_truncate(&em->tmp, 0);
    text_str(&em->tmp, em->urn);
    text_str(&em->tmp, ":");
    text_str(&em->tmp, kind);
    text_str(&em->tmp, ":");
    text_str(&em->tmp, name);
    if (version) {
        text_str(&em->tmp, ":");
        text_str(&em->tmp, version);
    }
    jw_key_str(w, "$id", text_content(&em->tmp));
}

static void finish(jw *w)
{
    jw_put(w, "\n", 1);
}

static void payload_schema(emitter *em, jw *w, const event *e, const event_version *v)
{
    clear_used(em);
    mark_props(em, &v->props);
    jw_begin(w, '{');
    write_schema_header(em, w, "event", e->name, v->text);
    write_version_annotations(em, w, e, v);
    write_object_body(em, w, &v->props);
    if (any_used(em)) {
        jw_key(w, "$defs");
        jw_begin(w, '{');
        write_shape_defs(em, w);
        jw_end(w, '}');
    }
    jw_end(w, '}');
    finish(w);
}

/* MARK: wire schemas */

typedef struct wire_view {
    const wire *w;
    bool named_in_envelope;  /* a name member */
    bool named;              /* ... or payload_name */
    bool version_in_envelope;
    bool versioned;          /* a version member or payload_version */
    size_t carried;          /* events it carries */
} wire_view;

/* One way a document of the wire is right: event e in version v (the
 * version member must be there when version_needed). */
typedef struct route {
    const wire_view *wv;
    const event *e;
    const event_version *v;
    bool version_needed;
} route;

/* "event:<e>:<v>", after `prefix`, into em->tmp. */
static void payload_def_key(emitter *em, const char *prefix, const event *e,
                            const event_version *v)
{
    text_truncate(&em->tmp, 0);
    text_str(&em->tmp, prefix);
    text_str(&em->tmp, "event:");
    text_str(&em->tmp, e->name);
    text_str(&em->tmp, ":");
    text_str(&em->tmp, v->text);
}

static void write_name_list(const emitter *em, jw *w, const wire *wr)
{
    jw_begin(w, '[');
    for (size_t i = 0; i < em->c->event_count; i++)
        if (wire_carries(wr, em->c->events[i]))
            jw_str(w, em->c->events[i]->name);
    jw_end(w, ']');
}

/* The envelope's members, each with its type, and which are required. */
static void write_level_skeleton(emitter *em, jw *w, const wire_view *wv, const member_list *ms)
{
    jw_key_str(w, "type", "object");
    jw_key(w, "properties");
    jw_begin(w, '{');
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        jw_key(w, m->key);
        jw_begin(w, '{');
        if (m->doc)
            jw_key_str(w, "description", m->doc);
        switch (m->role) {
        case ROLE_OBJECT:
            write_level_skeleton(em, w, wv, &m->members);
            break;
        case ROLE_CONST:
            if (!m->doc && m->format_version)
                jw_key_str(w, "description", "the version of the message format");
            jw_key_str(w, "const", m->value ? m->value : "");
            break;
        case ROLE_NAME:
            if (!m->doc)
                jw_key_str(w, "description", "the event name");
            jw_key_str(w, "type", "string");
            if (wv->carried) {   /* (none: the schema says "not" already) */
                jw_key(w, "enum");
                write_name_list(em, w, wv->w);
            }
            break;
        case ROLE_VERSION:
            if (!m->doc)
                jw_key_str(w, "description", "the event version");
            jw_key_str(w, "type", "string");
            break;
        case ROLE_PAYLOAD:
            if (!m->doc)
                jw_key_str(w, "description", "the payload (see allOf)");
            jw_key_str(w, "type", "object");
            break;
        }
        jw_end(w, '}');
    }
    jw_end(w, '}');
    size_t required = 0;
    for (size_t i = 0; i < ms->count; i++)
        required += ms->items[i]->role != ROLE_VERSION &&
                    (ms->items[i]->role != ROLE_CONST || ms->items[i]->required);
    if (required) {
        jw_key(w, "required");
        jw_begin(w, '[');
        for (size_t i = 0; i < ms->count; i++)
            if (ms->items[i]->role != ROLE_VERSION &&
                (ms->items[i]->role != ROLE_CONST || ms->items[i]->required))
                jw_str(w, ms->items[i]->key);
        jw_end(w, ']');
    }
}

/* "properties" and "required" down to the event name: in the envelope (the
 * name member) or in the payload (payload_name); equal to e's name, or
 * (e NULL) one of the names the wire carries. */
static void write_name_test(emitter *em, jw *w, const wire_view *wv, const member_list *ms,
                            const event *e)
{
    member_role toward = wv->named_in_envelope ? ROLE_NAME : ROLE_PAYLOAD;
    const wire_member *at = NULL;
    for (size_t i = 0; i < ms->count && !at; i++) {
        const wire_member *m = ms->items[i];
        if (m->role == toward || (m->role == ROLE_OBJECT && members_have_role(&m->members, toward)))
            at = m;
    }
    if (!at)
        return;
    jw_key(w, "properties");
    jw_begin(w, '{');
    jw_key(w, at->key);
    jw_begin(w, '{');
    if (at->role == ROLE_OBJECT) {
        write_name_test(em, w, wv, &at->members, e);
    } else {
        const char *key = at->key;
        if (at->role == ROLE_PAYLOAD) {   /* one level more: the payload's name member */
            key = wv->w->payload_name;
            jw_key(w, "properties");
            jw_begin(w, '{');
            jw_key(w, key);
            jw_begin(w, '{');
        }
        if (e) {
            jw_key_str(w, "const", e->name);
        } else {
            jw_key_str(w, "type", "string");
            jw_key(w, "enum");
            write_name_list(em, w, wv->w);
        }
        if (at->role == ROLE_PAYLOAD) {
            jw_end(w, '}');
            jw_end(w, '}');
            jw_key(w, "required");
            jw_begin(w, '[');
            jw_str(w, key);
            jw_end(w, ']');
        }
    }
    jw_end(w, '}');
    jw_end(w, '}');
    jw_key(w, "required");
    jw_begin(w, '[');
    jw_str(w, at->key);
    jw_end(w, ']');
}

/* The payload of route r: its version's schema, and the version (when the
 * payload carries it) equal to the version's. */
static void write_route_payload(emitter *em, jw *w, const route *r)
{
    jw_begin(w, '{');
    payload_def_key(em, "#/$defs/", r->e, r->v);
    jw_key_str(w, "$ref", text_content(&em->tmp));
    const char *pv = r->wv->version_in_envelope ? NULL : r->wv->w->payload_version;
    if (pv) {
        jw_key(w, "properties");
        jw_begin(w, '{');
        jw_key(w, pv);
        jw_begin(w, '{');
        jw_key_str(w, "const", r->v->text);
        jw_end(w, '}');
        jw_end(w, '}');
        if (r->version_needed) {
            jw_key(w, "required");
            jw_begin(w, '[');
            jw_str(w, pv);
            jw_end(w, ']');
        }
    }
    jw_end(w, '}');
}

/* "properties" down to the payload and the envelope's version member. */
static void write_route_level(emitter *em, jw *w, const member_list *ms, const route *r)
{
    jw_key(w, "properties");
    jw_begin(w, '{');
    bool version_here = false;
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        switch (m->role) {
        case ROLE_PAYLOAD:
            jw_key(w, m->key);
            write_route_payload(em, w, r);
            break;
        case ROLE_VERSION:
            jw_key(w, m->key);
            jw_begin(w, '{');
            jw_key_str(w, "const", r->v->text);
            jw_end(w, '}');
            version_here = r->version_needed;
            break;
        case ROLE_OBJECT:
            if (members_have_role(&m->members, ROLE_PAYLOAD) ||
                members_have_role(&m->members, ROLE_VERSION)) {
                jw_key(w, m->key);
                jw_begin(w, '{');
                write_route_level(em, w, &m->members, r);
                jw_end(w, '}');
            }
            break;
        default:
            break;
        }
    }
    jw_end(w, '}');
    if (version_here) {
        jw_key(w, "required");
        jw_begin(w, '[');
        for (size_t i = 0; i < ms->count; i++)
            if (ms->items[i]->role == ROLE_VERSION)
                jw_str(w, ms->items[i]->key);
        jw_end(w, ']');
    }
}

/* The versions of e this wire can parse it as, as one schema: one route,
 * or anyOf over several (they exclude each other: each but the newest
 * needs its own version stated). */
static void write_event_routes(emitter *em, jw *w, const wire_view *wv, const event *e)
{
    size_t first = wv->versioned ? 0 : e->version_count - 1;
    size_t n = e->version_count - first;
    jw_begin(w, '{');
    if (n > 1) {
        jw_key(w, "anyOf");
        jw_begin(w, '[');
    }
    for (size_t i = first; i < e->version_count; i++) {
        route r = {wv, e, e->versions[i], i + 1 < e->version_count || e->version_required};
        if (n > 1)
            jw_begin(w, '{');
        write_route_level(em, w, &wv->w->members, &r);
        if (n > 1)
            jw_end(w, '}');
    }
    if (n > 1)
        jw_end(w, ']');
    jw_end(w, '}');
}

/* A form's reports: the payload member `select` picks the shape. */
static void write_report_level(emitter *em, jw *w, const wire *wr, const member_list *ms)
{
    jw_key(w, "properties");
    jw_begin(w, '{');
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        if (m->role == ROLE_OBJECT && members_have_role(&m->members, ROLE_PAYLOAD)) {
            jw_key(w, m->key);
            jw_begin(w, '{');
            write_report_level(em, w, wr, &m->members);
            jw_end(w, '}');
        } else if (m->role == ROLE_PAYLOAD) {
            jw_key(w, m->key);
            jw_begin(w, '{');
            jw_key(w, "anyOf");
            jw_begin(w, '[');
            for (size_t x = 0; x < wr->payload_count; x++) {
                const form_payload *fp = wr->payloads[x];
                jw_begin(w, '{');
                if (fp->shape && shape_index(em, fp->shape) != NO_SHAPE) {
                    text_truncate(&em->tmp, 0);
                    text_str(&em->tmp, "#/$defs/");
                    text_str(&em->tmp, fp->shape->name);
                    jw_key_str(w, "$ref", text_content(&em->tmp));
                }
                jw_key(w, "properties");
                jw_begin(w, '{');
                jw_key(w, wr->select);
                jw_begin(w, '{');
                jw_key_str(w, "const", fp->value);
                jw_end(w, '}');
                jw_end(w, '}');
                jw_key(w, "required");
                jw_begin(w, '[');
                jw_str(w, wr->select);
                jw_end(w, ']');
                jw_end(w, '}');
            }
            jw_end(w, ']');
            jw_end(w, '}');
        }
    }
    jw_end(w, '}');
}

static const char *wire_fixed_event_name(const wire *wr)
{
    const wire *base = wr->base ? wr->base : wr;
    return base->fixed_event ? base->fixed_event->name : NULL;
}

static void wire_schema(emitter *em, jw *w, const wire_view *wv)
{
    const wire *wr = wv->w;
    const catalog *c = em->c;

    /* $defs: the payloads it can carry, then the shapes they use. */
    clear_used(em);
    if (wr->select) {
        for (size_t x = 0; x < wr->payload_count; x++)
            if (wr->payloads[x]->shape)
                mark_shape(em, wr->payloads[x]->shape);
    } else {
        for (size_t i = 0; i < c->event_count; i++) {
            const event *e = c->events[i];
            if (!wire_carries(wr, e))
                continue;
            for (size_t j = wv->versioned ? 0 : e->version_count - 1; j < e->version_count; j++)
                mark_props(em, &e->versions[j]->props);
        }
    }

    jw_begin(w, '{');
    write_schema_header(em, w, "wire", wr->name, NULL);
    text_truncate(&em->tmp, 0);
    text_str(&em->tmp, wr->base ? "form " : "wire ");
    text_str(&em->tmp, wr->name);
    jw_key_str(w, "title", text_content(&em->tmp));
    text_truncate(&em->tmp, 0);
    if (wr->doc) {
        text_str(&em->tmp, wr->doc);
        text_str(&em->tmp, " ");
    }
    text_str(&em->tmp, "A whole document in this envelope");
    if (wv->carried == 0) {
        text_str(&em->tmp, "; no event travels in it, so no document is valid.");
    } else if (wr->select) {
        text_str(&em->tmp, ", carrying a report whose '");
        text_str(&em->tmp, wr->select);
        text_str(&em->tmp, "' picks its type.");
    } else {
        if (wv->named) {
            text_str(&em->tmp, "; the payload is checked as the event the document names");
        } else {
            text_str(&em->tmp, ", carrying event ");
            text_str(&em->tmp, wire_fixed_event_name(wr) ? wire_fixed_event_name(wr) : "?");
            text_str(&em->tmp, "; the payload is checked as that event");
        }
        text_str(&em->tmp, wv->versioned ? ", in the version the document states (the newest when it "
                                         "states none and the event does not require it)."
                                       : ", in its newest version.");
    }
    jw_key_str(w, "description", text_content(&em->tmp));
    write_level_skeleton(em, w, wv, &wr->members);

    if (wv->carried == 0) {
        jw_key_empty(w, "not");
    } else {
        jw_key(w, "allOf");
        jw_begin(w, '[');
        if (wv->named && !wv->named_in_envelope) {
            /* The name is in the payload: one of the events carried. */
            jw_begin(w, '{');
            write_name_test(em, w, wv, &wr->members, NULL);
            jw_end(w, '}');
        }
        if (wr->select) {
            jw_begin(w, '{');
            write_report_level(em, w, wr, &wr->members);
            jw_end(w, '}');
        } else {
            for (size_t i = 0; i < c->event_count; i++) {
                const event *e = c->events[i];
                if (!wire_carries(wr, e) || !e->version_count)
                    continue;
                if (wv->named) {
                    jw_begin(w, '{');
                    jw_key(w, "if");
                    jw_begin(w, '{');
                    write_name_test(em, w, wv, &wr->members, e);
                    jw_end(w, '}');
                    jw_key(w, "then");
                    write_event_routes(em, w, wv, e);
                    jw_end(w, '}');
                } else {
                    write_event_routes(em, w, wv, e);
                }
            }
        }
        jw_end(w, ']');
    }

    bool payload_defs = !wr->select && wv->carried;
    if (payload_defs || any_used(em)) {
        jw_key(w, "$defs");
        jw_begin(w, '{');
        for (size_t i = 0; payload_defs && i < c->event_count; i++) {
            const event *e = c->events[i];
            if (!wire_carries(wr, e))
                continue;
            for (size_t j = wv->versioned ? 0 : e->version_count - 1; j < e->version_count; j++) {
                const event_version *v = e->versions[j];
                payload_def_key(em, "", e, v);
                jw_key(w, text_content(&em->tmp));
                jw_begin(w, '{');
                write_version_annotations(em, w, e, v);
                write_object_body(em, w, &v->props);
                jw_end(w, '}');
            }
        }
        write_shape_defs(em, w);
        jw_end(w, '}');
    }
    jw_end(w, '}');
    finish(w);
}

static wire_view view_of(const catalog *c, const wire *wr)
{
    wire_view wv = {wr, false, false, false, false, 0};
    wv.named_in_envelope = members_have_role(&wr->members, ROLE_NAME);
    wv.named = wv.named_in_envelope || wr->payload_name != NULL;
    wv.version_in_envelope = members_have_role(&wr->members, ROLE_VERSION);
    wv.versioned = wv.version_in_envelope || wr->payload_version != NULL;
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        /* (A wire that names no event is listed by one at most: the checker.) */
        if (wire_carries(wr, e) && e->version_count)
            wv.carried++;
    }
    return wv;
}

/* MARK: output */

/* out->files has room for every file (emit_jsonschema makes it up front). */
static void add_file(gen_output *out, const char *name, jw *w)
{
    out->files[out->count].name = xstrdup(name);
    out->files[out->count].data = w->data;
    out->files[out->count].len = w->len;
    out->count++;
    memset(w, 0, sizeof *w);
}

static void add_dep(gen_output *out, const char *path)
{
    out->deps = xrealloc(out->deps, (out->dep_count + 1) * sizeof *out->deps);
    out->deps[out->dep_count++] = xstrdup(path);
}

/* wires/<name>.schema.json, a form's '/' written "--". */
static char *wire_file_name(const wire *wr)
{
    text_buf b = {0};
    text_str(&b, "wires/");
    for (const char *s = wr->name; *s; s++) {
        if (*s == '/')
            text_str(&b, "--");
        else
            text_add(&b, s, 1);
    }
    text_str(&b, ".schema.json");
    return text_take(&b, NULL);
}

bool emit_jsonschema(const catalog *c, const char *catalog_path, gen_output *out, diag *d)
{
    memset(out, 0, sizeof *out);
    add_dep(out, catalog_path);

    emitter em;
    memset(&em, 0, sizeof em);
    em.c = c;
    char *name = urn_catalog_name(catalog_path);
    text_buf urn = {0};
    text_str(&urn, "urn:evgen:");
    text_str(&urn, name);
    free(name);
    em.urn = text_content(&urn);
    em.slots = xrealloc(NULL, (c->shape_count + 1) * sizeof *em.slots);
    em.used = xrealloc(NULL, (c->shape_count + 1) * sizeof *em.used);
    for (size_t i = 0; i < c->shape_count; i++) {
        em.slots[i].key = (uintptr_t)c->shapes[i];
        em.slots[i].index = i;
    }
    if (c->shape_count)
        qsort(em.slots, c->shape_count, sizeof *em.slots, slot_cmp);

    /* A file per event version, then per wire and form: room for all at
     * once, where growing by one per file would copy the list each time. */
    size_t versions = 0, all_wires = 0;
    for (size_t i = 0; i < c->event_count; i++)
        versions += c->events[i]->version_count;
    for (size_t i = 0; i < c->wire_count; i++)
        all_wires += 1 + c->wires[i]->form_count;
    out->files = xmalloc((versions + all_wires) * sizeof *out->files);

    bool ok = true;
    text_buf file = {0};
    for (size_t i = 0; i < c->event_count; i++) {
        const event *e = c->events[i];
        for (size_t j = 0; j < e->version_count; j++) {
            const event_version *v = e->versions[j];
            jw w = {0};
            payload_schema(&em, &w, e, v);
            text_truncate(&file, 0);
            text_str(&file, "events/");
            text_str(&file, e->name);
            text_str(&file, "/");
            text_str(&file, v->text);
            text_str(&file, ".schema.json");
            add_file(out, text_content(&file), &w);
        }
    }

    /* Every wire, then its forms, in catalog order. The checker allows at
     * most 255 of them, so finding a clash of file names pairwise is cheap. */
    size_t first_wire_file = out->count;
    const wire **written = xrealloc(NULL, (all_wires + 1) * sizeof *written);
    for (size_t i = 0; i < c->wire_count; i++) {
        for (size_t f = 0; f <= c->wires[i]->form_count; f++) {
            const wire *wr = f ? c->wires[i]->forms[f - 1] : c->wires[i];
            char *fname = wire_file_name(wr);
            for (size_t k = first_wire_file; k < out->count; k++)
                if (strcmp(out->files[k].name, fname) == 0) {
                    const wire *other = written[k - first_wire_file];
                    diag_error(d, catalog_path, wr->mark,
                               "%s '%s' would be written to '%s', as %s '%s' is (a form's '/' "
                               "becomes '--'); rename one",
                               wr->base ? "form" : "wire", wr->name, fname,
                               other->base ? "form" : "wire", other->name);
                    ok = false;
                }
            written[out->count - first_wire_file] = wr;
            wire_view wv = view_of(c, wr);
            jw w = {0};
            wire_schema(&em, &w, &wv);
            add_file(out, fname, &w);
            free(fname);
        }
    }
    free(written);
    text_free(&file);
    text_free(&em.tmp);
    free(em.slots);
    free(em.used);
    text_free(&urn);
    return ok;
}
