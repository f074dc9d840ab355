/* model.h - the in-memory catalog: what the loader builds, the checker
 * validates, and every back end (dump, code generation) reads.
 *
 * Ownership: every node lives in the catalog's arena (model_arena) and is
 * freed with catalog_free(). Strings are NUL-terminated copies.
 * After catalog_resolve() succeeds, every version's `props` holds its full,
 * expanded property list (shapes from `extends` first, in order) and every
 * shape-typed property has kind PROP_OBJECT with `props` pointing at the
 * shape's resolved properties and `shape` at the shape. Every owner of a
 * property list also keeps its `own` properties and the `bases` its
 * `extends` names, which is what the C back end needs: one C type per
 * definition, embedding the types it extends. Resolved lists may share
 * nodes; treat them as read-only. */
#ifndef EVGEN_MODEL_H
#define EVGEN_MODEL_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Source position of a YAML node, 1-based as compilers print them. */
typedef struct src_mark {
    unsigned line;
    unsigned col;
} src_mark;

typedef enum prop_kind {
    PROP_STRING,
    PROP_BOOLEAN,
    PROP_INTEGER,
    PROP_NUMBER,
    PROP_CONST,
    PROP_ENUM,
    PROP_OBJECT,
    PROP_ARRAY,
    PROP_ANY,
    PROP_MAP,       /* an object with free keys, each value of type `items` */
    PROP_SHAPE_REF, /* before resolution only: `type` names a shape */
} prop_kind;

typedef struct name_list {
    char **items;
    src_mark *marks;
    size_t count;
} name_list;

typedef struct prop prop;
typedef struct shape shape;
typedef struct prop_list {
    prop **items;
    size_t count;
} prop_list;

struct prop {
    char *name;            /* JSON key; NULL for an array's item type */
    char *c_name;          /* C member name: `c_name:` or the key itself */
    char *doc;             /* may be NULL */
    prop_kind kind;
    bool required;
    bool nullable;
    char *const_value;     /* PROP_CONST */
    name_list enum_values; /* PROP_ENUM */
    prop_list props;       /* PROP_OBJECT: own properties (resolved: all) */
    name_list extends;     /* PROP_OBJECT: shapes inherited */
    prop_list own;         /* resolved PROP_OBJECT written inline: its own properties */
    shape **bases;         /* resolved: the shape of each `extends` entry (NULL: invalid) */
    char *shape_name;      /* PROP_SHAPE_REF, and PROP_OBJECT made from a shape */
    shape *shape;          /* resolved PROP_OBJECT made from a shape: that shape */
    prop *items;           /* PROP_ARRAY: the element type; PROP_MAP: the value type */
    int64_t min_items;     /* PROP_ARRAY; 0 when absent */
    int64_t max_items;     /* PROP_ARRAY; -1 when absent */
    src_mark mark;         /* where the property's key (or item spec) is */
    src_mark type_mark;    /* where its type is written */
};

struct shape {
    char *name;
    char *doc;
    name_list extends;
    prop_list props;       /* own properties; resolved: inherited + own */
    prop_list own;         /* resolved: the own properties alone */
    shape **bases;         /* resolved: the shape of each `extends` entry */
    src_mark mark;
    int resolve_state;     /* checker bookkeeping: 0 new, 1 in progress, 2 done */
};

/* A calendar date; year 0 means "no date" (null in the catalog). */
typedef struct civil_date {
    int year, month, day;
} civil_date;

typedef enum version_status {
    STATUS_ACTIVE,
    STATUS_DEPRECATED,
    STATUS_SUNSET,
} version_status;

typedef struct semver {
    unsigned major, minor, patch;
} semver;

typedef struct event_version {
    char *text;            /* "1.0.1" as written */
    semver v;
    version_status status;
    civil_date active, deprecated, sunset;
    name_list extends;
    prop_list props;       /* own properties; resolved: inherited + own */
    prop_list own;         /* resolved: the own properties alone */
    shape **bases;         /* resolved: the shape of each `extends` entry */
    src_mark mark;
    src_mark active_mark, deprecated_mark, sunset_mark;
} event_version;

typedef enum direction {
    DIRECTION_RECEIVED,
    DIRECTION_SEND,
} direction;

typedef struct event event;
typedef struct wire wire;

/* What a member of an envelope is for (docs/catalog.md, "Wires"). */
typedef enum member_role {
    ROLE_OBJECT,           /* a level of the envelope: `members` */
    ROLE_CONST,            /* a string equal to `value` */
    ROLE_NAME,             /* the event name */
    ROLE_VERSION,          /* the event version, carried by the envelope */
    ROLE_PAYLOAD,          /* the event's payload */
} member_role;

typedef struct wire_member wire_member;
typedef struct member_list {
    wire_member **items;
    size_t count;
} member_list;

struct wire_member {
    char *key;
    char *doc;             /* may be NULL */
    member_role role;
    bool required;
    bool format_version;   /* ROLE_CONST written `role: format-version` */
    char *value;           /* ROLE_CONST */
    member_list members;   /* ROLE_OBJECT */
    src_mark mark;
};

/* One payload type of a form, picked by the value of its `select` member. */
typedef struct form_payload {
    char *value;           /* e.g. "INVALID_SCHEMA" */
    char *shape_name;
    shape *shape;          /* set by catalog_check */
    src_mark mark;
} form_payload;

/* An envelope. A form is an alternative of its base wire: the base's
 * members with some replaced (members is the merged tree), carrying either
 * the same events or, with `select`, one of `payloads` instead. */
struct wire {
    char *name;            /* "bus"; a form: "bus/rejected" */
    char *doc;
    member_list members;
    char *payload_version; /* the payload member holding the event version, or NULL */
    src_mark payload_version_mark;
    char *payload_name;    /* the payload member holding the event name, or NULL */
    src_mark payload_name_mark;
    char *select;          /* forms: the payload member picking the payload type */
    src_mark select_mark;
    form_payload **payloads;
    size_t payload_count;
    wire *base;            /* a form's wire; NULL for a wire */
    wire **forms;
    size_t form_count;
    event *fixed_event;    /* set by catalog_check for a wire without a name member */
    src_mark mark;
};

struct event {
    char *name;
    char *summary;         /* may be NULL */
    char *product;         /* may be NULL: a message of no product */
    int product_index;     /* in catalog.products, -1 for none (set by catalog_check) */
    src_mark product_mark;
    direction direction;
    bool version_required; /* default: direction send */
    name_list wire_names;
    wire **wires;          /* resolved by catalog_check, same order */
    event_version **versions;
    size_t version_count;
    src_mark mark;
};

typedef struct model_arena model_arena;

typedef struct catalog {
    char *path;            /* as given on the command line, used in messages */
    int format;
    shape **shapes;
    size_t shape_count;
    event **events;
    size_t event_count;
    name_list products;
    wire **wires;          /* top-level wires; forms hang from their wire */
    size_t wire_count;
    model_arena *arena;
} catalog;

/* Names for enums, as they are written in the catalog and in --dump. */
const char *prop_kind_name(prop_kind k);
const char *direction_name(direction d);
const char *role_name(member_role r);
const char *status_name(version_status s);

/* Arena allocation for model nodes: zeroed, aborts on out-of-memory. */
model_arena *model_arena_new(void);
void *model_alloc(model_arena *a, size_t size);
char *model_strdup(model_arena *a, const char *s);
char *model_strndup(model_arena *a, const char *s, size_t n);
void model_arena_free(model_arena *a);

/* Lookups, NULL when absent. */
shape *catalog_find_shape(const catalog *c, const char *name);
wire *catalog_find_wire(const catalog *c, const char *name);

void catalog_free(catalog *c);

#endif
