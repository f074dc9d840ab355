/* Placeholder until the template-driven back end lands; owned by the codegen work. */
#include "codegen.h"

#include <stdlib.h>

bool codegen_run(const catalog *c, const gen_options *opt, gen_output *out, diag *d)
{
    (void)c; (void)opt; (void)d;
    out->files = NULL; out->count = 0; out->deps = NULL; out->dep_count = 0;
    return true;
}

void gen_output_free(gen_output *out)
{
    free(out->files);
    out->files = NULL;
    out->count = 0;
}
