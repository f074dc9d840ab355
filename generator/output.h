/* output.h - puts generated files on disk as one set: a failed or
 * interrupted run changes none of them, a file is never left half written,
 * and a file whose content did not change is not touched (so make does not
 * rebuild what depends on it).
 *
 * output_write works in two steps:
 *   1. every file whose content changed is written in full to a temporary
 *      file next to it (".NAME.tmp.XXXXXX", same directory, so renaming it
 *      is atomic) and closed, each write and close checked;
 *   2. only when all of them are written, each is renamed over its target.
 * Any failure in step 1 removes every temporary file, and the directories
 * created for the set, and changes nothing else. SIGINT and SIGTERM in step
 * 1 remove them too, then end the process as the signal would have; in
 * step 2 they are held until the renames are done, so the process ends
 * with the whole new set in place. (The handlers are installed for
 * the call only, and only for a signal whose action is the default: one
 * that is ignored or handled by the program is left alone. evgen is
 * single-threaded; the signal mask is the process's.)
 *
 * What remains: step 2 is one rename per file, each atomic, not one atomic
 * step for the set. A process killed by SIGKILL or a system crash between
 * two renames leaves some files new and some old (each whole); a rename
 * that fails (the file system went read-only, say) is reported, and the
 * files renamed before it stay new. There is no fsync: after a system crash
 * a file renamed shortly before may be lost or, on some file systems,
 * empty. */
#ifndef EVGEN_OUTPUT_H
#define EVGEN_OUTPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "codegen.h"
#include "diag.h"

/* Writes data[0..len) to path unless the file already holds exactly that:
 * a set of one file, as above. *changed (may be NULL) tells whether the
 * file was written. */
bool output_write_file(const char *path, const char *data, size_t len, bool *changed,
                       diag *d);

/* Writes every file of out under dir, creating dir (and parents) if needed. */
bool output_write(const gen_output *out, const char *dir, diag *d);

/* Told the target path of each file whose temporary copy is complete, in
 * step 1, before the next file is written; ctx is the caller's. */
typedef void output_observer(const char *path, void *ctx);

/* output_write, calling observer (unless NULL) as each file is written:
 * for progress, and for tests that stop a write part-way. */
bool output_write_observed(const gen_output *out, const char *dir, output_observer *observer,
                           void *ctx, diag *d);

/* Writes nothing: prints "DIR/NAME: out of date" (or ": missing") to report
 * for each file of out that differs from what is on disk. Returns the number
 * of such files. */
size_t output_check(const gen_output *out, const char *dir, FILE *report);

/* Writes a Make depfile (write-if-changed, a set of one file): every output
 * depends on the catalog and on every input out->deps names; each input but
 * the catalog also gets an empty rule, so deleting a template does not
 * break make. evgen writes it after the outputs, once they are all in
 * place, so it never names an output set that was not written. */
bool output_write_depfile(const gen_output *out, const char *dir, const char *catalog_path,
                          const char *depfile, diag *d);

#endif
