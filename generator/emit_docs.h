/* emit_docs.h - the catalog as a Markdown reference, for people who read
 * about the events rather than parse them (docs/reference-docs.md).
 *
 * Writes README.md (the index: products, wires, the lifecycle timeline),
 * one page per product, <product>.md, with a section per event version
 * (lifecycle, properties, an example document in each wire it travels
 * in), a page for the events of no product, and timeline.svg, every event
 * version as a bar from its active date through deprecation to sunset.
 * The files are produced in memory like codegen's; output.c writes them
 * (atomic, write-if-changed). */
#ifndef EVGEN_EMIT_DOCS_H
#define EVGEN_EMIT_DOCS_H

#include <stdbool.h>

#include "codegen.h"
#include "diag.h"
#include "model.h"

typedef struct docs_options {
    /* A date to mark on the timeline with a "today" line; year 0: none,
     * which keeps the output a function of the catalog alone. */
    civil_date today;
} docs_options;

/* The file holding the events of no product: '_' is not allowed in a
 * product name, so no product page can take this name. */
#define DOCS_NO_PRODUCT_PAGE "_no-product.md"

/* Fills out from the checked, resolved catalog read from catalog_path (a
 * dependency, for --depfile; its file name is named in the pages).
 * Returns false after reporting through d. */
bool emit_docs(const catalog *c, const char *catalog_path, const docs_options *opt,
               gen_output *out, diag *d);

#endif
