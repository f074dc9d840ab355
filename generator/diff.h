/* diff.h - what changed between two catalogs, and what it breaks
 * (`evgen diff OLD NEW`, docs/diff.md).
 *
 * Both catalogs must have passed catalog_load, catalog_check and
 * cmodel_build (with the same prefix). The comparison has two views:
 *
 *   the wire    events, versions, lifecycle, payload properties and wires,
 *               matched by name (events, properties, wires, forms, enum
 *               values) or by version string;
 *   the C code  the names the two C models define (types, struct members,
 *               enumerators), matched by name: what code written against
 *               the old generated C can no longer use.
 *
 * Every change carries a rule (a stable kebab-case id, diff_rule_id), a
 * class (diff_rule_class), where it is in either catalog, and whether it
 * happened under an event version both catalogs have with the same version
 * string, or under a wire (which carries no version): `unbumped`. So is a
 * wire-breaking change of a new version that becomes the event's newest
 * when the event reads documents without a version as its newest: those
 * documents change meaning without stating a new version. A breaking
 * change that is unbumped, or a version removed before its sunset date,
 * makes the diff fail (`fails`).
 *
 * Cost: sorting and merging by key, O(n log n) in the size of the
 * catalogs; a shape used in many places is compared once per pair of
 * shapes, and its changes are repeated (with their paths) for every event
 * version that uses it. Recursion follows the catalog's nesting only. */
#ifndef EVGEN_DIFF_H
#define EVGEN_DIFF_H

#include <stdbool.h>
#include <stddef.h>

#include "cmodel.h"
#include "model.h"

typedef enum diff_class {
    DIFF_COMPATIBLE,
    DIFF_WIRE_BREAKING,
    DIFF_C_BREAKING,
} diff_class;

/* Every rule: X(enumerator, id, class). docs/diff.md has one row per rule,
 * and tests/diff/ at least one case that reports it. */
#define DIFF_RULES(X)                                                          \
    X(PRODUCT_ADDED, "product-added", DIFF_COMPATIBLE)                         \
    X(PRODUCT_REMOVED, "product-removed", DIFF_C_BREAKING)                     \
    X(WIRE_ADDED, "wire-added", DIFF_COMPATIBLE)                               \
    X(WIRE_REMOVED, "wire-removed", DIFF_WIRE_BREAKING)                        \
    X(WIRE_MEMBER_ADDED_OPTIONAL, "wire-member-added-optional", DIFF_COMPATIBLE) \
    X(WIRE_MEMBER_ADDED_REQUIRED, "wire-member-added-required", DIFF_WIRE_BREAKING) \
    X(WIRE_MEMBER_REMOVED, "wire-member-removed", DIFF_WIRE_BREAKING)          \
    X(WIRE_MEMBER_CHANGED, "wire-member-changed", DIFF_WIRE_BREAKING)          \
    X(WIRE_MEMBER_MADE_REQUIRED, "wire-member-made-required", DIFF_WIRE_BREAKING) \
    X(WIRE_MEMBER_MADE_OPTIONAL, "wire-member-made-optional", DIFF_COMPATIBLE) \
    X(WIRE_ROUTING_CHANGED, "wire-routing-changed", DIFF_WIRE_BREAKING)        \
    X(WIRE_FORM_ADDED, "wire-form-added", DIFF_COMPATIBLE)                     \
    X(WIRE_FORM_REMOVED, "wire-form-removed", DIFF_WIRE_BREAKING)              \
    X(WIRE_PAYLOAD_ADDED, "wire-payload-added", DIFF_COMPATIBLE)               \
    X(WIRE_PAYLOAD_REMOVED, "wire-payload-removed", DIFF_WIRE_BREAKING)        \
    X(EVENT_ADDED, "event-added", DIFF_COMPATIBLE)                             \
    X(EVENT_REMOVED_AFTER_SUNSET, "event-removed-after-sunset", DIFF_COMPATIBLE) \
    X(EVENT_REMOVED_BEFORE_SUNSET, "event-removed-before-sunset", DIFF_WIRE_BREAKING) \
    X(EVENT_WIRE_ADDED, "event-wire-added", DIFF_COMPATIBLE)                   \
    X(EVENT_WIRE_REMOVED, "event-wire-removed", DIFF_WIRE_BREAKING)            \
    X(EVENT_DEFAULT_WIRE_CHANGED, "event-default-wire-changed", DIFF_WIRE_BREAKING) \
    X(EVENT_DIRECTION_CHANGED, "event-direction-changed", DIFF_WIRE_BREAKING)  \
    X(EVENT_VERSION_MADE_REQUIRED, "event-version-made-required", DIFF_WIRE_BREAKING) \
    X(EVENT_VERSION_MADE_OPTIONAL, "event-version-made-optional", DIFF_COMPATIBLE) \
    X(EVENT_PRODUCT_CHANGED, "event-product-changed", DIFF_COMPATIBLE)         \
    X(VERSION_ADDED, "version-added", DIFF_COMPATIBLE)                         \
    X(VERSION_REMOVED_AFTER_SUNSET, "version-removed-after-sunset", DIFF_COMPATIBLE) \
    X(VERSION_REMOVED_BEFORE_SUNSET, "version-removed-before-sunset", DIFF_WIRE_BREAKING) \
    X(LIFECYCLE_STATUS_CHANGED, "lifecycle-status-changed", DIFF_COMPATIBLE)   \
    X(LIFECYCLE_DATE_CHANGED, "lifecycle-date-changed", DIFF_COMPATIBLE)       \
    X(PROPERTY_ADDED_OPTIONAL, "property-added-optional", DIFF_COMPATIBLE)     \
    X(PROPERTY_ADDED_REQUIRED, "property-added-required", DIFF_WIRE_BREAKING)  \
    X(PROPERTY_REMOVED, "property-removed", DIFF_COMPATIBLE)                   \
    X(PROPERTY_MADE_REQUIRED, "property-made-required", DIFF_WIRE_BREAKING)    \
    X(PROPERTY_MADE_OPTIONAL, "property-made-optional", DIFF_COMPATIBLE)       \
    X(NULLABLE_ADDED, "nullable-added", DIFF_COMPATIBLE)                       \
    X(NULLABLE_REMOVED, "nullable-removed", DIFF_WIRE_BREAKING)                \
    X(TYPE_WIDENED, "type-widened", DIFF_COMPATIBLE)                           \
    X(TYPE_NARROWED, "type-narrowed", DIFF_WIRE_BREAKING)                      \
    X(TYPE_CHANGED, "type-changed", DIFF_WIRE_BREAKING)                        \
    X(CONSTANT_CHANGED, "constant-changed", DIFF_WIRE_BREAKING)                \
    X(ENUM_VALUE_ADDED, "enum-value-added", DIFF_COMPATIBLE)                   \
    X(ENUM_VALUE_REMOVED, "enum-value-removed", DIFF_WIRE_BREAKING)            \
    X(ARRAY_BOUNDS_WIDENED, "array-bounds-widened", DIFF_COMPATIBLE)           \
    X(ARRAY_BOUNDS_NARROWED, "array-bounds-narrowed", DIFF_WIRE_BREAKING)      \
    X(DOC_CHANGED, "doc-changed", DIFF_COMPATIBLE)                             \
    X(C_TYPE_REMOVED, "c-type-removed", DIFF_C_BREAKING)                       \
    X(C_TYPE_RENAMED, "c-type-renamed", DIFF_C_BREAKING)                       \
    X(C_TYPE_CHANGED, "c-type-changed", DIFF_C_BREAKING)                       \
    X(C_MEMBER_REMOVED, "c-member-removed", DIFF_C_BREAKING)                   \
    X(C_MEMBER_RENAMED, "c-member-renamed", DIFF_C_BREAKING)                   \
    X(C_MEMBER_TYPE_CHANGED, "c-member-type-changed", DIFF_C_BREAKING)         \
    X(C_ENUMERATOR_REMOVED, "c-enumerator-removed", DIFF_C_BREAKING)           \
    X(C_ENUMERATOR_RENAMED, "c-enumerator-renamed", DIFF_C_BREAKING)

typedef enum diff_rule {
#define DIFF_RULE_ENUM(e, id, cls) DIFF_##e,
    DIFF_RULES(DIFF_RULE_ENUM)
#undef DIFF_RULE_ENUM
    DIFF_RULE_COUNT
} diff_rule;

const char *diff_rule_id(diff_rule r);
diff_class diff_rule_class(diff_rule r);
/* "compatible", "wire-breaking", "c-breaking". */
const char *diff_class_name(diff_class c);

/* One change. Strings live in the result (or in the catalogs, which must
 * outlive it). A position with line 0 is absent. */
typedef struct diff_change {
    diff_rule rule;
    const char *event;         /* NULL: not an event's (a product, wire or shape) */
    const char *version;       /* NULL: the whole event, or no event */
    const char *compared_with; /* a version new in NEW: the old version it was compared with */
    const char *wire;          /* a wire's or form's change: its name ("w", "w/form") */
    const char *shape;         /* a C change in the type of a shape */
    const char *path;          /* JSON Pointer into the payload (or envelope) it is about;
                                  "*" stands for every element or map value; NULL: none */
    src_mark old_at, new_at;
    const char *message;       /* one line, positions of OLD written out */
    bool unbumped;             /* under an unchanged version string, a wire or a product,
                                  or reaching documents without a version (above) */
    bool fails;                /* breaking and unbumped, or removed before its sunset */
} diff_change;

typedef struct diff_result {
    diff_change *changes;      /* sorted: scope (products, wires, shapes, events by
                                  name), version, position, rule */
    size_t count;
    size_t per_class[3];       /* indexed by diff_class */
    size_t failing;            /* changes with `fails` */
    model_arena *arena_;       /* what diff_result_free frees */
} diff_result;

typedef struct diff_options {
    civil_date today;          /* a version whose sunset is on or before it may go */
} diff_options;

/* Compares OLD with NEW. Never fails (out of memory aborts). */
void diff_catalogs(const catalog *old_cat, const cmodel *old_c, const catalog *new_cat,
                   const cmodel *new_c, const diff_options *opt, diff_result *out);
void diff_result_free(diff_result *r);

/* The `evgen diff` subcommand: argv[0] is "diff". Returns the exit status:
 * 0 nothing fails, 1 something fails, 2 wrong usage, a catalog with errors
 * or an I/O error. */
int diff_main(int argc, char **argv);

#endif
