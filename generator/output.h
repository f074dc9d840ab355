/* output.h - puts generated files on disk without ever leaving half a file,
 * and without touching a file whose content did not change (so make does
 * not rebuild what depends on it).
 *
 * Each file is written to a temporary file in its own directory and renamed
 * over the old one; on any error the temporary file is removed and the old
 * file stays as it was. (No fsync: a crash may lose the new content, never
 * leave a mix of old and new.) */
#ifndef EVGEN_OUTPUT_H
#define EVGEN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "codegen.h"
#include "diag.h"

/* Writes data[0..len) to path unless the file already holds exactly that.
 * *changed (may be NULL) tells whether the file was written. */
bool output_write_file(const char *path, const char *data, size_t len, bool *changed,
                       diag *d);

/* Writes every file of out under dir, creating dir (and parents) if needed. */
bool output_write(const gen_output *out, const char *dir, diag *d);

/* Writes nothing: prints "DIR/NAME: out of date" (or ": missing") to report
 * for each file of out that differs from what is on disk. Returns the number
 * of such files. */
size_t output_check(const gen_output *out, const char *dir, FILE *report);

/* Writes a Make depfile (write-if-changed): every output depends on the
 * catalog and on every input out->deps names; each input but the catalog
 * also gets an empty rule, so deleting a template does not break make. */
bool output_write_depfile(const gen_output *out, const char *dir, const char *catalog_path,
                          const char *depfile, diag *d);

#endif
