/* json_out.h - JSON written into memory, pretty-printed with 2-space
 * indents: what --dump prints and --emit jsonschema writes.
 *
 * Start from a zeroed jw; jw->data holds the text so far (NUL-terminated,
 * owned by the caller once done: free it). Out of memory aborts. */
#ifndef EVGEN_JSON_OUT_H
#define EVGEN_JSON_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef struct jw {
    char *data;
    size_t len, cap;
    unsigned depth;
    bool need_comma;   /* the current container already has an element */
    bool after_key;    /* a key was written: its value comes on the same line */
} jw;

/* Raw bytes, no separator or indentation. */
void jw_put(jw *w, const char *s, size_t n);
/* Open and close a container ('{' '}' or '[' ']'); an empty one is {} or []. */
void jw_begin(jw *w, char open);
void jw_end(jw *w, char close);
void jw_key(jw *w, const char *k);
/* A string value; NULL writes null. Only '"', '\\' and control characters
 * are escaped: the catalog's text is valid UTF-8 (the loader checks). */
void jw_str(jw *w, const char *s);
/* A value written as is (true, null, a number). */
void jw_raw(jw *w, const char *text);
void jw_int(jw *w, int64_t v);
void jw_bool(jw *w, bool b);

#endif
