/* diag.h - compiler-style diagnostics: "file:line:col: error: message".
 * Every stage reports through one diag so a run prints all errors, not
 * only the first, and the caller decides from error_count whether to write
 * anything. */
#ifndef EVGEN_DIAG_H
#define EVGEN_DIAG_H

#include <stdio.h>

#include "model.h"

typedef struct diag {
    FILE *stream;          /* where messages go, usually stderr */
    unsigned error_count;
    unsigned max_errors;   /* stop printing after this many (0: no limit) */
} diag;

void diag_init(diag *d, FILE *stream);

/* Reports an error at a position in `file`; a zero line prints "file: error:". */
void diag_error(diag *d, const char *file, src_mark at, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

#endif
