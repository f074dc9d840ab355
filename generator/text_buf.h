/* text_buf.h - the generator's allocation helpers and its growable text
 * buffer, shared by every back end instead of a copy in each.
 *
 * Allocation here never returns NULL: out of memory, evgen prints
 * "evgen: out of memory" and aborts. A generator has nothing to save
 * half-way, and output sets are written all or nothing (output.h), so
 * stopping leaves no file half written.
 *
 * A text_buf is bytes appended at the end, NUL-terminated as soon as
 * anything (even zero bytes) was added; `data` is NULL before that, and
 * text_content gives "" then. Capacity doubles, so n bytes appended cost
 * O(n) however many calls they take. A zeroed text_buf is empty:
 *
 *     text_buf t = {0};
 *     text_str(&t, "events: ");
 *     text_printf(&t, "%zu", count);
 *     puts(text_content(&t));
 *     text_free(&t); */
#ifndef EVGEN_TEXT_BUF_H
#define EVGEN_TEXT_BUF_H

#include <stdarg.h>
#include <stddef.h>

/* MARK: allocation */

/* Prints "evgen: out of memory" and aborts: for a size computation that
 * would overflow, as much as for an allocation that failed. */
_Noreturn void out_of_memory(void);

void *xmalloc(size_t size);
void *xcalloc(size_t count, size_t size);
void *xrealloc(void *p, size_t size);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);   /* s[0..n), NUL-terminated */

/* Returns `items` (elements of elem_size bytes, *cap of them) moved if
 * need be to hold at least `need` elements; *cap doubles until it does.
 *     list->items = grow_array(list->items, &list->cap, list->count + 1,
 *                              sizeof *list->items); */
void *grow_array(void *items, size_t *cap, size_t need, size_t elem_size);

/* MARK: text */

typedef struct text_buf {
    char *data;            /* malloc'd; NULL until something is added */
    size_t len;            /* bytes before the terminating NUL */
    size_t cap;            /* bytes allocated */
} text_buf;

void text_add(text_buf *t, const char *bytes, size_t n);
void text_str(text_buf *t, const char *s);
void text_char(text_buf *t, char c);
void text_printf(text_buf *t, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void text_vprintf(text_buf *t, const char *fmt, va_list ap);

/* A string literal, its length counted by the compiler. */
#define TEXT_LIT(t, lit) text_add((t), "" lit, sizeof(lit) - 1)

/* Appends "/" and key escaped as a JSON Pointer reference token (RFC
 * 6901: '~' as "~0", '/' as "~1"). */
void text_pointer_token(text_buf *t, const char *key);

/* Keeps the first len bytes (nothing happens when there are fewer). */
void text_truncate(text_buf *t, size_t len);

/* The text so far; "" when nothing was added. Valid until the next change. */
const char *text_content(const text_buf *t);

/* Hands the text over: a malloc'd, NUL-terminated string (never NULL),
 * *len (may be NULL) its length; t is empty again. */
char *text_take(text_buf *t, size_t *len);

void text_free(text_buf *t);

#endif
