/* json_out.c - JSON into memory, pretty-printed (see json_out.h). */
#include "json_out.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

void jw_put(jw *w, const char *s, size_t n)
{
    if (w->len + n + 1 > w->cap) {
        size_t cap = w->cap ? w->cap : 4096;
        while (cap < w->len + n + 1)
            cap *= 2;
        char *grown = realloc(w->data, cap);
        if (!grown) {
            fputs("evgen: out of memory\n", stderr);
            abort();
        }
        w->data = grown;
        w->cap = cap;
    }
    memcpy(w->data + w->len, s, n);
    w->len += n;
    w->data[w->len] = '\0';
}

static void jw_newline(jw *w)
{
    jw_put(w, "\n", 1);
    for (unsigned i = 0; i < w->depth; i++)
        jw_put(w, "  ", 2);
}

/* Separator and indentation before a value or a key. */
static void jw_pre(jw *w)
{
    if (w->after_key) {
        w->after_key = false;
        return;
    }
    if (w->need_comma)
        jw_put(w, ",", 1);
    if (w->depth)
        jw_newline(w);
}

static void jw_string_body(jw *w, const char *s)
{
    jw_put(w, "\"", 1);
    const char *run = s;
    for (const char *p = s; *p; p++) {
        unsigned char ch = (unsigned char)*p;
        if (ch >= 0x20 && ch != '"' && ch != '\\')
            continue;
        jw_put(w, run, (size_t)(p - run));
        run = p + 1;
        char esc[8];
        switch (ch) {
        case '"': jw_put(w, "\\\"", 2); break;
        case '\\': jw_put(w, "\\\\", 2); break;
        case '\n': jw_put(w, "\\n", 2); break;
        case '\r': jw_put(w, "\\r", 2); break;
        case '\t': jw_put(w, "\\t", 2); break;
        case '\b': jw_put(w, "\\b", 2); break;
        case '\f': jw_put(w, "\\f", 2); break;
        default:
            snprintf(esc, sizeof esc, "\\u%04x", ch);
            jw_put(w, esc, 6);
        }
    }
    jw_put(w, run, strlen(run));
    jw_put(w, "\"", 1);
}

void jw_begin(jw *w, char open)
{
    jw_pre(w);
    jw_put(w, &open, 1);
    w->depth++;
    w->need_comma = false;
}

void jw_end(jw *w, char close)
{
    w->depth--;
    if (w->need_comma)
        jw_newline(w);
    jw_put(w, &close, 1);
    w->need_comma = true;
}

void jw_key(jw *w, const char *k)
{
    jw_pre(w);
    jw_string_body(w, k);
    jw_put(w, ": ", 2);
    w->after_key = true;
}

void jw_str(jw *w, const char *s)
{
    if (!s) {
        jw_raw(w, "null");
        return;
    }
    jw_pre(w);
    jw_string_body(w, s);
    w->need_comma = true;
}

void jw_raw(jw *w, const char *text)
{
    jw_pre(w);
    jw_put(w, text, strlen(text));
    w->need_comma = true;
}

void jw_int(jw *w, int64_t v)
{
    char buf[32];
    snprintf(buf, sizeof buf, "%lld", (long long)v);
    jw_raw(w, buf);
}

void jw_bool(jw *w, bool b)
{
    jw_raw(w, b ? "true" : "false");
}
