/* template_load.h - filling a tpl_set from the templates built into evgen
 * or from a directory (--templates DIR). Both also run tpl_set_check, so
 * a {{>partial}} naming no template is reported up front. */
#ifndef EVGEN_TEMPLATE_LOAD_H
#define EVGEN_TEMPLATE_LOAD_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "template.h"

/* Adds every template compiled into evgen (build/embedded_templates.c). */
bool tpl_set_load_embedded(tpl_set *s, diag *d);

/* Adds every "*.tmpl" file in dir (not subdirectories, not names starting
 * with '.'), in name order, each named after its file minus ".tmpl".
 * A missing or unreadable directory, or one without templates, is an error.
 * If files_read is not NULL, *files_read gets a malloc'd array of the paths
 * read ("dir/name.tmpl"; *n_files_read of them, for the depfile), also on
 * failure; free it with tpl_files_free. */
bool tpl_set_load_dir(tpl_set *s, const char *dir, char ***files_read,
                      size_t *n_files_read, diag *d);

void tpl_files_free(char **files, size_t n);

#endif
