/* cmodel.h - the C the generator will write, as data: one C type per
 * catalog definition and every identifier the generated code defines.
 *
 * This is the one place that names things. It runs on a checked, resolved
 * catalog with a prefix, turns each shape, event version and inline
 * definition (object, enum, array, map) into exactly one C type, names
 * every type, member, enumerator, macro and function (the generator's own
 * suffixes included), and reports any two that would meet in C as
 * positioned catalog errors. `evgen --dump` runs it too, so the dump and
 * generation accept exactly the same catalogs. The code generator only
 * reads the result; templates print the names they are given.
 *
 * Ownership: everything lives in the cmodel and is freed by cmodel_free.
 * It points into the catalog, which must outlive it. */
#ifndef EVGEN_CMODEL_H
#define EVGEN_CMODEL_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"

/* Distinct member paths of all wires together: the router keeps one slot
 * per path on the stack and looks keys up among siblings, so both stay
 * small. */
#define CMODEL_MAX_WIRE_PATHS 256

typedef enum ctype_kind {
    CTYPE_STRUCT,
    CTYPE_ENUM,
    CTYPE_ARRAY,   /* a counted array member: helper functions, no named type */
    CTYPE_MAP,     /* a counted array of {key, value} entries */
} ctype_kind;

typedef struct ctype ctype;

/* One property stored in (or checked by) a struct. */
typedef struct cfield {
    const prop *p;
    const char *member;        /* the C member: the property's c_name */
    char *has_member;          /* "has_<member>" when optional, else NULL */
    char *null_member;         /* "<member>_is_null" when nullable, else NULL */
    ctype *type;               /* its enum, struct, array or map type; NULL for scalars */
    bool version_alt;          /* a constant that holds a payload's version at its root */
} cfield;

/* A shape the struct extends, embedded as a member. */
typedef struct cbase {
    ctype *type;
    char *member;              /* the shape's name, mangled ("billing-address" -> "billing_address") */
    size_t first_key;          /* number of its first key in the owner's key numbering */
} cbase;

struct ctype {
    ctype_kind kind;
    size_t index;              /* in cmodel.types: after every type it uses */
    size_t id;                 /* creation number: the scope of its members' names */
    char *name;                /* the C type (structs, enums, map entries: <name>_entry) */
    char *upper;               /* name upper-cased: the stem of its macros */
    const char *title;         /* what the catalog calls it, for comments */
    const char *doc;           /* may be NULL */
    const prop *def;           /* the property defining it inline; NULL for shapes, versions */
    src_mark mark;

    /* CTYPE_STRUCT: the bases' keys are numbered first, in order, then the
     * own fields' (the order of the resolved property list). */
    cbase *bases;
    size_t base_count;
    cfield *fields;
    size_t field_count;
    size_t key_count;          /* own fields and every base's keys */
    bool stores;               /* has a C member at all (C has no empty structs) */

    /* CTYPE_ENUM */
    const name_list *values;
    char **enumerators;
    char *count_enumerator;    /* <UPPER>_COUNT_ */
    char *name_fn;             /* <name>_name: the value's JSON text */

    /* CTYPE_ARRAY and CTYPE_MAP: the element (item or value) */
    const prop *element;
    ctype *element_type;       /* NULL for scalars */
    char *entry_type;          /* CTYPE_MAP: <name>_entry */

    /* Static functions of events.c (those a kind has). */
    char *match_fn;            /* struct, enum: key or value -> index */
    char *members_fn;          /* struct: parses one member, bases included */
    char *required_fn;         /* struct: the missing-required check */
    char *parse_fn;            /* every kind: parses one whole value */
    char *write_members_fn;    /* struct: writes its members, bases included */
    char *write_fn;            /* every kind: writes one whole value */

    bool reachable;            /* parsed from some root: its functions are emitted */
    bool as_value;             /* parsed as one whole value (not only as a base) */
    bool at_root;              /* a root, or a base of one at any depth */
    size_t form_index;         /* a form payload's type: 1 + its index in cmodel.forms; else 0 */
};

/* An entry point: an event version, or a payload type of a wire's form. */
typedef struct croot {
    ctype *type;               /* a struct */
    const event *event;        /* NULL for a form payload */
    const event_version *version;
    const shape *form_shape;   /* for a form payload */
    char *member;              /* its member of the dispatch union */
    char *kind;                /* its enumerator of the kind enum */
    char *parse_fn, *serialize_fn, *parse_wire_fn, *serialize_wire_fn;
    char *parse_payload_fn, *write_payload_fn, *arena_size_fn;
    char *serialized_max, *wire_serialized_max, *event_macro, *version_macro;
} croot;

/* Names the templates define for every catalog. */
typedef struct cfixed {
    char *any_type, *kind_type, *kind_none, *kind_count;
    char *product_all, *product_count, *event_count, *version_count, *wire_count;
    char *events_var, *versions_var, *wires_var, *catalog_var;
    char *find_event_fn, *find_version_fn, *list_events_fn, *events_json_fn;
    char *parse_any_fn, *parse_bare_fn, *serialize_any_fn, *arena_size_fn, *product_name_fn;
    char *events_guard, *dispatch_guard;
    /* file-scope statics of dispatch.c */
    char *nodes_var, *event_wires_var, *match_event_fn, *route_fn, *slots_macro;
    char *document_type, *document_body_fn, *parse_document_fn;
} cfixed;

typedef struct cmodel {
    const catalog *catalog;
    const char *prefix;
    char *upper_prefix;
    ctype **types;             /* every type, each after the types it uses */
    size_t type_count;
    croot *versions;           /* every event version, in catalog order */
    size_t version_count;
    croot *forms;              /* every form payload type, once, first use first */
    size_t form_count;
    char **product_macros;     /* per catalog.products entry */
    char **wire_members_vars;  /* per wire and form, in catalog order (forms after their wire) */
    char **wire_payloads_vars;
    size_t wire_count;
    cfixed fixed;
    const shape **shape_keys;  /* shapes by address, for cmodel_form_root */
    ctype **shape_types;
    size_t shape_count;
    void *pool_;               /* what cmodel_free frees */
} cmodel;

/* Builds the C model of a checked catalog; reports every name that C
 * would see twice, and every definition the C back end cannot express,
 * at its catalog position. Returns false when there was any. `prefix`
 * must satisfy cmodel_prefix_ok. */
bool cmodel_build(const catalog *c, const char *prefix, cmodel *out, diag *d);
void cmodel_free(cmodel *m);

/* The entry point of a form payload of shape s (NULL when s is none). */
const croot *cmodel_form_root(const cmodel *m, const shape *s);

/* A usable prefix: [a-z][a-z0-9_]*, at most 32 bytes, not ending in '_',
 * and neither "evg" nor starting with "evg_", the runtime's own names. */
bool cmodel_prefix_ok(const char *prefix);

#endif
