/* dump.c - the resolved model as indented JSON (see dump.h). */
#include "dump.h"

#include <inttypes.h>
#include <stdlib.h>

#include "json_out.h"

static void jw_date(jw *w, civil_date d)
{
    if (d.year <= 0) {
        jw_raw(w, "null");
        return;
    }
    char buf[48];
    snprintf(buf, sizeof buf, "%04d-%02d-%02d", d.year, d.month, d.day);
    jw_str(w, buf);
}

/* MARK: the model */

static void dump_prop(jw *w, const prop *p);

static void dump_props(jw *w, const prop_list *l)
{
    jw_begin(w, '[');
    for (size_t i = 0; i < l->count; i++)
        dump_prop(w, l->items[i]);
    jw_end(w, ']');
}

static void dump_prop(jw *w, const prop *p)
{
    jw_begin(w, '{');
    jw_key(w, "name");
    jw_str(w, p->name);
    jw_key(w, "type");
    jw_str(w, prop_kind_name(p->kind));
    jw_key(w, "required");
    jw_bool(w, p->required);
    jw_key(w, "nullable");
    jw_bool(w, p->nullable);
    jw_key(w, "values");
    if (p->kind == PROP_CONST) {
        jw_begin(w, '[');
        jw_str(w, p->const_value);
        jw_end(w, ']');
    } else if (p->kind == PROP_ENUM) {
        jw_begin(w, '[');
        for (size_t i = 0; i < p->enum_values.count; i++)
            jw_str(w, p->enum_values.items[i]);
        jw_end(w, ']');
    } else {
        jw_raw(w, "null");
    }
    jw_key(w, "properties");
    if (p->kind == PROP_OBJECT) {
        dump_props(w, &p->props);
    } else {
        jw_begin(w, '[');
        jw_end(w, ']');
    }
    jw_key(w, "items");
    if ((p->kind == PROP_ARRAY || p->kind == PROP_MAP) && p->items)
        dump_prop(w, p->items);
    else
        jw_raw(w, "null");
    jw_key(w, "min_items");
    if (p->kind == PROP_ARRAY)
        jw_int(w, p->min_items);
    else
        jw_raw(w, "null");
    jw_key(w, "max_items");
    if (p->kind == PROP_ARRAY && p->max_items >= 0)
        jw_int(w, p->max_items);
    else
        jw_raw(w, "null");
    jw_end(w, '}');
}

static void dump_version(jw *w, const event_version *v)
{
    jw_begin(w, '{');
    jw_key(w, "version");
    jw_str(w, v->text);
    jw_key(w, "status");
    jw_str(w, status_name(v->status));
    jw_key(w, "active");
    jw_date(w, v->active);
    jw_key(w, "deprecated");
    jw_date(w, v->deprecated);
    jw_key(w, "sunset");
    jw_date(w, v->sunset);
    jw_key(w, "properties");
    dump_props(w, &v->props);
    jw_end(w, '}');
}

static void dump_event(jw *w, const event *e)
{
    jw_begin(w, '{');
    jw_key(w, "name");
    jw_str(w, e->name);
    jw_key(w, "product");
    jw_str(w, e->product);
    jw_key(w, "direction");
    jw_str(w, direction_name(e->direction));
    jw_key(w, "version_required");
    jw_bool(w, e->version_required);
    jw_key(w, "wires");
    jw_begin(w, '[');
    for (size_t i = 0; i < e->wire_names.count; i++)
        jw_str(w, e->wire_names.items[i]);
    jw_end(w, ']');
    jw_key(w, "versions");
    jw_begin(w, '[');
    for (size_t i = 0; i < e->version_count; i++)
        dump_version(w, e->versions[i]);
    jw_end(w, ']');
    jw_end(w, '}');
}

static void dump_members(jw *w, const member_list *ms)
{
    jw_begin(w, '[');
    for (size_t i = 0; i < ms->count; i++) {
        const wire_member *m = ms->items[i];
        jw_begin(w, '{');
        jw_key(w, "key");
        jw_str(w, m->key);
        jw_key(w, "role");
        jw_str(w, m->format_version ? "format-version" : role_name(m->role));
        jw_key(w, "required");
        jw_bool(w, m->required);
        if (m->role == ROLE_CONST) {
            jw_key(w, "const");
            jw_str(w, m->value);
        }
        if (m->role == ROLE_OBJECT) {
            jw_key(w, "members");
            dump_members(w, &m->members);
        }
        jw_end(w, '}');
    }
    jw_end(w, ']');
}

static void dump_wire(jw *w, const wire *wr)
{
    jw_begin(w, '{');
    jw_key(w, "name");
    jw_str(w, wr->name);
    jw_key(w, "envelope");
    dump_members(w, &wr->members);
    jw_key(w, "payload_name");
    jw_str(w, wr->payload_name);
    jw_key(w, "payload_version");
    jw_str(w, wr->payload_version);
    if (wr->select) {
        jw_key(w, "select");
        jw_str(w, wr->select);
        jw_key(w, "payloads");
        jw_begin(w, '{');
        for (size_t i = 0; i < wr->payload_count; i++) {
            jw_key(w, wr->payloads[i]->value);
            jw_str(w, wr->payloads[i]->shape_name);
        }
        jw_end(w, '}');
    }
    if (!wr->base) {
        jw_key(w, "forms");
        jw_begin(w, '[');
        for (size_t i = 0; i < wr->form_count; i++)
            dump_wire(w, wr->forms[i]);
        jw_end(w, ']');
    }
    jw_end(w, '}');
}

bool dump_catalog(const catalog *c, FILE *out)
{
    jw w = {0};
    jw_begin(&w, '{');
    jw_key(&w, "products");
    jw_begin(&w, '[');
    for (size_t i = 0; i < c->products.count; i++)
        jw_str(&w, c->products.items[i]);
    jw_end(&w, ']');
    jw_key(&w, "wires");
    jw_begin(&w, '[');
    for (size_t i = 0; i < c->wire_count; i++)
        dump_wire(&w, c->wires[i]);
    jw_end(&w, ']');
    jw_key(&w, "events");
    jw_begin(&w, '[');
    for (size_t i = 0; i < c->event_count; i++)
        dump_event(&w, c->events[i]);
    jw_end(&w, ']');
    jw_end(&w, '}');
    jw_put(&w, "\n", 1);
    bool written = fwrite(w.data, 1, w.len, out) == w.len;
    free(w.data);
    return written && fflush(out) == 0 && !ferror(out);
}
