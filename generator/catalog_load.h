/* catalog_load.h - catalog.yaml -> model: the syntax of the catalog
 * language (docs/catalog.md). Every mapping key is checked, every value's
 * kind and spelling; loading goes on after an error so one run reports them
 * all. What needs the whole catalog (names that must be unique, shapes,
 * ordering, dates relative to each other) is catalog_check's job.
 *
 * After a load that reported errors the model may be partial: nodes with
 * errors are left out or hold defaults, and an unparseable date is stored
 * with year -1 (so the checker does not report it a second time). Only a
 * catalog that passed both catalog_load and catalog_check is fit for the
 * back ends. */
#ifndef EVGEN_CATALOG_LOAD_H
#define EVGEN_CATALOG_LOAD_H

#include <stddef.h>

#include "diag.h"
#include "model.h"

/* Loads bytes[0..len) as the catalog named `path` in messages. Returns NULL
 * when the text is not a YAML document evgen accepts (the errors are
 * reported); otherwise a catalog, which is complete only when d's
 * error_count did not grow. Free with catalog_free. */
catalog *catalog_load(const char *path, const char *bytes, size_t len, diag *d);

/* Reads the file and loads it (the limits of ytree_read_file apply). */
catalog *catalog_load_file(const char *path, diag *d);

/* Parses YYYY-MM-DD as a real calendar date (years 1-9999). */
bool civil_date_parse(const char *s, civil_date *out);

#endif
