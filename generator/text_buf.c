/* text_buf.c - allocation that cannot fail, and growable text (text_buf.h). */
#include "text_buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MARK: allocation */

_Noreturn void out_of_memory(void)
{
    fputs("evgen: out of memory\n", stderr);
    abort();
}

/* Sizes of 0 ask for 1 byte: malloc(0) may return NULL, which would read
 * as a failure. */
void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xcalloc(size_t count, size_t size)
{
    void *p = calloc(count ? count : 1, size ? size : 1);
    if (!p)
        out_of_memory();
    return p;
}

void *xrealloc(void *p, size_t size)
{
    void *moved = realloc(p, size ? size : 1);
    if (!moved)
        out_of_memory();
    return moved;
}

char *xstrndup(const char *s, size_t n)
{
    if (n == SIZE_MAX)
        out_of_memory();
    char *p = xmalloc(n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

void *grow_array(void *items, size_t *cap, size_t need, size_t elem_size)
{
    if (need <= *cap)
        return items;
    size_t n = *cap ? *cap : 8;
    while (n < need) {
        if (n > SIZE_MAX / 2)
            out_of_memory();
        n *= 2;
    }
    if (elem_size && n > SIZE_MAX / elem_size)
        out_of_memory();
    *cap = n;
    return xrealloc(items, n * elem_size);
}

/* MARK: text */

/* Room for `more` bytes and the NUL after them. */
static void text_reserve(text_buf *t, size_t more)
{
    if (more > SIZE_MAX - t->len - 1)
        out_of_memory();
    size_t need = t->len + more + 1;
    if (need > t->cap)
        t->data = grow_array(t->data, &t->cap, need < 64 ? 64 : need, 1);
}

void text_add(text_buf *t, const char *bytes, size_t n)
{
    text_reserve(t, n);
    if (n)
        memcpy(t->data + t->len, bytes, n);
    t->len += n;
    t->data[t->len] = '\0';
}

void text_str(text_buf *t, const char *s) { text_add(t, s, strlen(s)); }

void text_char(text_buf *t, char c) { text_add(t, &c, 1); }

/* Formats straight into the spare room; a second pass only when it was
 * too small. */
void text_vprintf(text_buf *t, const char *fmt, va_list ap)
{
    va_list again;
    va_copy(again, ap);
    size_t room = t->cap > t->len ? t->cap - t->len : 0;
    int n = vsnprintf(room ? t->data + t->len : NULL, room, fmt, ap);
    if (n < 0) {
        /* Only an invalid format or a count past INT_MAX gets here: code
         * that builds its output from the catalog cannot go on without it. */
        fputs("evgen: cannot format text\n", stderr);
        abort();
    }
    if ((size_t)n >= room) {
        text_reserve(t, (size_t)n);
        vsnprintf(t->data + t->len, (size_t)n + 1, fmt, again);
    }
    va_end(again);
    t->len += (size_t)n;
}

void text_printf(text_buf *t, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    text_vprintf(t, fmt, ap);
    va_end(ap);
}

void text_pointer_token(text_buf *t, const char *key)
{
    text_char(t, '/');
    for (const char *p = key; *p; p++) {
        if (*p == '~')
            TEXT_LIT(t, "~0");
        else if (*p == '/')
            TEXT_LIT(t, "~1");
        else
            text_char(t, *p);
    }
}

void text_truncate(text_buf *t, size_t len)
{
    if (len < t->len) {
        t->len = len;
        t->data[len] = '\0';
    }
}

const char *text_content(const text_buf *t) { return t->data ? t->data : ""; }

char *text_take(text_buf *t, size_t *len)
{
    if (!t->data)
        text_add(t, "", 0);
    char *s = t->data;
    if (len)
        *len = t->len;
    t->data = NULL;
    t->len = t->cap = 0;
    return s;
}

void text_free(text_buf *t)
{
    free(t->data);
    t->data = NULL;
    t->len = t->cap = 0;
}
