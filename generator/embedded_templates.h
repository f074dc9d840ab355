/* embedded_templates.h - the templates compiled into evgen.
 * build/embedded_templates.c defines these; generator/tools/embed.c writes
 * it from the files templates/NAME.tmpl, sorted by name. */
#ifndef EVGEN_EMBEDDED_TEMPLATES_H
#define EVGEN_EMBEDDED_TEMPLATES_H

#include <stddef.h>

typedef struct embedded_template {
    const char *name;      /* file name without ".tmpl", e.g. "events.c" */
    const char *file;      /* the path it was read from, e.g. "templates/events.c.tmpl" */
    const char *text;      /* its bytes, exactly; NUL-terminated for convenience */
    size_t len;            /* length of text without the terminating NUL */
} embedded_template;

/* embedded_template_count entries (the array has one dummy entry when
 * there are none, as C has no empty arrays). */
extern const embedded_template embedded_templates[];
extern const size_t embedded_template_count;

/* The runtime (runtime/evgen_runtime.c and .h), which evgen writes next to
 * the generated files byte for byte: build/embedded_runtime.c, written by
 * `embed --files embedded_runtime`; name is the file name. */
extern const embedded_template embedded_runtime[];
extern const size_t embedded_runtime_count;

#endif
