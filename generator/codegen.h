/* codegen.h - turns a checked, resolved catalog into the generated C
 * sources by rendering the templates (embedded, or from --templates DIR).
 * Produces the files in memory; writing them is output.c's job. */
#ifndef EVGEN_CODEGEN_H
#define EVGEN_CODEGEN_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"

typedef struct gen_file {
    char *name;            /* relative to the output directory, e.g. "events.c" */
    char *data;
    size_t len;
} gen_file;

typedef struct gen_output {
    gen_file *files;
    size_t count;
    char **deps;           /* input files read (catalog, template files), for --depfile */
    size_t dep_count;
} gen_output;

typedef struct gen_options {
    const char *catalog_path;   /* as given; its file name is named in the banner */
    const char *templates_dir;  /* NULL: use the templates built into evgen */
    const char *prefix;         /* of every generated symbol: "ev" gives ev_any, EV_KIND_... */
} gen_options;

bool codegen_run(const catalog *c, const gen_options *opt, gen_output *out, diag *d);
void gen_output_free(gen_output *out);

#endif
