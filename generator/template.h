/* template.h - the text template engine evgen renders its C output with.
 *
 * A small mustache dialect (docs/templates.md is the reference):
 *   {{name}} {{a.b}} {{.}}          insert a string or integer
 *   {{#name}}...{{/name}}           list: once per item; map: once, pushed;
 *                                   scalar: once if truthy
 *   {{^name}}...{{/name}}           once if falsy, empty or missing
 *   {{>partial}}                    another template of the set
 *   {{! comment }}                  dropped
 *   @index @first @last             inside list sections
 *   {{~ ... ~}}                     trim whitespace before / after the tag
 * Lines holding only one section, inverted, close, comment or partial tag
 * ("standalone" lines) vanish from the output, newline included.
 *
 * Two halves:
 *   - the context: values built by the caller (codegen), all owned by one
 *     tpl_ctx arena and freed together;
 *   - the template set: parsed once into node arrays, rendered many times.
 *
 * Errors in templates (syntax at tpl_set_add, unknown variables, partials
 * and runaway recursion at tpl_render) are reported through diag as
 * "file:line:col: error: message". Out of memory aborts: evgen is a tool. */
#ifndef EVGEN_TEMPLATE_H
#define EVGEN_TEMPLATE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"

/* ------------------------------------------------------------ context */

typedef struct tpl_ctx tpl_ctx;
typedef struct tpl_value tpl_value;

tpl_ctx   *tpl_ctx_new(void);
void       tpl_ctx_free(tpl_ctx *ctx);          /* frees every value made from ctx */

tpl_value *tpl_map(tpl_ctx *ctx);                /* empty map; keys keep insertion order */
tpl_value *tpl_list(tpl_ctx *ctx);               /* empty list */
tpl_value *tpl_str(tpl_ctx *ctx, const char *s); /* copies s */
tpl_value *tpl_strn(tpl_ctx *ctx, const char *s, size_t n); /* copies n bytes */
tpl_value *tpl_strf(tpl_ctx *ctx, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));
tpl_value *tpl_bool(tpl_ctx *ctx, bool b);       /* renders "true"/"false" */
tpl_value *tpl_int(tpl_ctx *ctx, long long v);   /* renders as decimal; truthy if != 0 */

/* Sets map[key] = v (key copied; an existing key keeps its position and
 * gets the new value). Named tpl_set_value, not tpl_set, because tpl_set
 * is the template set type below. */
void   tpl_set_value(tpl_ctx *ctx, tpl_value *map, const char *key, tpl_value *v);
void   tpl_push(tpl_value *list, tpl_value *v);  /* appends; list must come from a ctx */
size_t tpl_list_len(const tpl_value *list);

/* Shorthands for tpl_set_value(ctx, map, key, tpl_xxx(ctx, ...)). */
void tpl_set_str(tpl_ctx *ctx, tpl_value *map, const char *key, const char *s);
void tpl_set_strf(tpl_ctx *ctx, tpl_value *map, const char *key, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));
void tpl_set_bool(tpl_ctx *ctx, tpl_value *map, const char *key, bool b);
void tpl_set_int(tpl_ctx *ctx, tpl_value *map, const char *key, long long v);

/* ------------------------------------------------------------ templates */

typedef struct tpl_set tpl_set;

tpl_set *tpl_set_new(void);
void     tpl_set_free(tpl_set *s);

/* Parses and adds a template. `name` is how {{>name}} and tpl_render refer
 * to it (the file name without ".tmpl", e.g. "events.c" or "_parse_object");
 * `file` is what error messages print (e.g. "templates/events.c.tmpl").
 * `text` need not be NUL-terminated and is copied; CRLF line endings are
 * read as LF. Syntax errors and a duplicate name are reported through d and
 * return false (the template is not added). */
bool tpl_set_add(tpl_set *s, const char *name, const char *file,
                 const char *text, size_t len, diag *d);

/* Reports every {{>partial}} naming a template the set does not hold;
 * false if there was one. tpl_render finds these too, but only on the
 * paths a given context reaches, so loaders call this once. */
bool tpl_set_check(const tpl_set *s, diag *d);

/* Renders template `name` with `root` (usually a map) as the outermost
 * context. Returns malloc'd, NUL-terminated output with its length in *len
 * (len may be NULL), or NULL after reporting every error through d. */
char *tpl_render(const tpl_set *s, const char *name, const tpl_value *root,
                 size_t *len, diag *d);

/* The templates in the order they were added, so codegen can find the
 * top-level ones (names not starting with '_'). */
size_t      tpl_set_count(const tpl_set *s);
const char *tpl_set_name(const tpl_set *s, size_t i);
const char *tpl_set_file(const tpl_set *s, size_t i);

#endif
