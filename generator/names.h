/* names.h - the rules for names: which catalog names are well formed, how
 * they become C identifiers, which identifiers C reserves, and two small
 * helpers every check uses (edit distance for "did you mean", and duplicate
 * detection in O(n log n) so hostile catalogs stay fast).
 *
 * The checker and the code generator both mangle through these functions,
 * so a name the checker accepted is exactly the name the C code uses. */
#ifndef EVGEN_NAMES_H
#define EVGEN_NAMES_H

#include <stdbool.h>
#include <stddef.h>

/* [a-z][a-z0-9-]*: shape, wire and product names. */
bool name_is_catalog_name(const char *s);

/* [A-Za-z][A-Za-z0-9_.-]*: event names, which are the names on the wire
 * ("aw-interaction-focus-v1", "getEvents"). */
bool name_is_event_name(const char *s);

/* [A-Za-z_][A-Za-z0-9_]*. */
bool name_is_c_identifier(const char *s);

/* C11 keywords and the macros the standard headers define as keywords or
 * constants (bool, true, false, NULL, alignas, noreturn, ...). */
bool name_is_c_keyword(const char *s);

/* Macros of the headers generated code includes, which would replace a
 * member of that name: the runtime's EVG_... and the standard limits
 * (SIZE_MAX, INT64_C, anything upper case ending in _MAX, _MIN, _C, _WIDTH). */
bool name_is_header_macro(const char *s);

/* Identifiers C reserves for the implementation: "__x" and "_X". */
bool name_is_c_reserved(const char *s);

/* Mangling. Each returns a malloc'ed string (aborts on out-of-memory).
 *   name_c_lower:  '-' and '.' become '_', the rest is kept
 *                  ("aw-interaction-focus-v1" -> "aw_interaction_focus_v1")
 *   name_c_upper:  ASCII letters upper-cased, digits kept, anything else
 *                  (including each byte of a non-ASCII character) becomes '_'
 *                  ("in-progress" -> "IN_PROGRESS"); used for enum values
 *   name_c_struct: the struct of one event version, "<prefix>_<event>_<version>"
 *                  both parts mangled with name_c_lower. */
char *name_c_lower(const char *s);
char *name_c_upper(const char *s);
char *name_c_struct(const char *prefix, const char *event, const char *version);

/* True when an upper-cased enum value can stand as (the tail of) a C
 * identifier: it has at least one letter or digit. */
bool name_c_upper_usable(const char *mangled);

/* Levenshtein distance between a and b, or `limit + 1` as soon as it is
 * known to exceed limit (so long hostile names cost little). */
size_t name_distance(const char *a, const char *b, size_t limit);

/* For names[0..n): returns a malloc'ed array `first` where first[i] is the
 * index of the first name equal to names[i] (first[i] == i for a name seen
 * for the first time). NULL entries in names are never equal to anything.
 * O(n log n). Returns NULL when n is 0. Aborts on out-of-memory. */
size_t *names_first_index(const char *const *names, size_t n);

#endif
