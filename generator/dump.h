/* dump.h - `evgen --dump`: the resolved model as JSON, for humans, golden
 * tests and other tools. Shapes appear expanded (a shape-typed property is
 * an "object" with the shape's properties). Output is deterministic:
 * catalog order, two-space indentation, one key per line.
 *
 *   {"events": [{"name", "product", "direction", "wire",
 *     "versions": [{"version", "status", "active", "deprecated", "sunset",
 *       "properties": [PROPERTY...]}]}]}
 *   PROPERTY: {"name", "type", "required", "nullable", "values",
 *              "properties", "items", "min_items", "max_items"}
 *
 * Dates are "YYYY-MM-DD" or null; "values" lists the allowed strings of a
 * const (one) or enum, else null; "properties" is a list (empty when none);
 * "items" is the element's PROPERTY (name null) or null; min_items and
 * max_items are numbers for arrays (max_items null without a limit), else
 * null. */
#ifndef EVGEN_DUMP_H
#define EVGEN_DUMP_H

#include <stdbool.h>
#include <stdio.h>

#include "model.h"

/* Writes the checked, resolved catalog to out. False on a write error. */
bool dump_catalog(const catalog *c, FILE *out);

#endif
