#include "diag.h"

#include <stdarg.h>

void diag_init(diag *d, FILE *stream)
{
    d->stream = stream;
    d->error_count = 0;
    d->max_errors = 200;
}

void diag_error(diag *d, const char *file, src_mark at, const char *fmt, ...)
{
    d->error_count++;
    if (d->max_errors && d->error_count > d->max_errors)
        return;
    if (at.line)
        fprintf(d->stream, "%s:%u:%u: error: ", file, at.line, at.col);
    else
        fprintf(d->stream, "%s: error: ", file);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(d->stream, fmt, ap);
    va_end(ap);
    fputc('\n', d->stream);
    if (d->max_errors && d->error_count == d->max_errors)
        fprintf(d->stream, "%s: note: too many errors, the rest are not shown\n", file);
}
