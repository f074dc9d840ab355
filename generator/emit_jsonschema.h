/* emit_jsonschema.h - the catalog as JSON Schema (draft 2020-12), for
 * services in other languages that validate the same payloads.
 *
 * One schema per event version for its payload, and one per wire (and
 * form) for a whole document, each with an $id that names what it
 * describes. The files are produced in memory like codegen's; output.c
 * writes them (atomic, write-if-changed). */
#ifndef EVGEN_EMIT_JSONSCHEMA_H
#define EVGEN_EMIT_JSONSCHEMA_H

#include <stdbool.h>

#include "codegen.h"
#include "diag.h"
#include "model.h"

/* Fills out from the checked, resolved catalog read from catalog_path (a
 * dependency, for --depfile). Returns false after reporting through d. */
bool emit_jsonschema(const catalog *c, const char *catalog_path, gen_output *out, diag *d);

#endif
