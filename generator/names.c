#include "names.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static void *xmalloc(size_t size)
{
    void *p = malloc(size ? size : 1);
    if (!p) {
        fputs("evgen: out of memory\n", stderr);
        abort();
    }
    return p;
}

static bool is_lower(char c) { return c >= 'a' && c <= 'z'; }
static bool is_upper(char c) { return c >= 'A' && c <= 'Z'; }
static bool is_digit(char c) { return c >= '0' && c <= '9'; }

bool name_is_catalog_name(const char *s)
{
    if (!is_lower(*s))
        return false;
    for (s++; *s; s++)
        if (!is_lower(*s) && !is_digit(*s) && *s != '-')
            return false;
    return true;
}

bool name_is_event_name(const char *s)
{
    if (!is_lower(*s) && !is_upper(*s))
        return false;
    for (s++; *s; s++)
        if (!is_lower(*s) && !is_upper(*s) && !is_digit(*s) && *s != '-' && *s != '_' && *s != '.')
            return false;
    return true;
}

bool name_is_c_identifier(const char *s)
{
    if (!is_lower(*s) && !is_upper(*s) && *s != '_')
        return false;
    for (s++; *s; s++)
        if (!is_lower(*s) && !is_upper(*s) && !is_digit(*s) && *s != '_')
            return false;
    return true;
}

/* Sorted (strcmp order) for bsearch. C11 keywords, C23 keywords, the
 * macros <stdbool.h>, <stdalign.h>, <stdnoreturn.h>, <assert.h>,
 * <threads.h>, <complex.h>, <stddef.h>, <errno.h> and <stdio.h> define, and
 * the names GNU C predefines or treats as keywords. */
static const char *const c_keywords[] = {
    "EOF", "I", "NULL",
    "_Alignas", "_Alignof", "_Atomic", "_BitInt", "_Bool", "_Complex",
    "_Decimal128", "_Decimal32", "_Decimal64", "_Generic", "_Imaginary",
    "_Noreturn", "_Static_assert", "_Thread_local",
    "alignas", "alignof", "asm", "assert", "auto", "bool", "break", "case",
    "char", "complex", "const", "constexpr", "continue", "default", "do",
    "double", "else", "enum", "errno", "extern", "false", "float", "for",
    "goto", "if", "imaginary", "inline", "int", "linux", "long", "noreturn",
    "nullptr", "offsetof", "register", "restrict", "return", "short",
    "signed", "sizeof", "static", "static_assert", "stderr", "stdin",
    "stdout", "struct", "switch", "thread_local", "true", "typedef",
    "typeof", "typeof_unqual", "union", "unix", "unsigned", "void",
    "volatile", "while",
};

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

bool name_is_c_keyword(const char *s)
{
    return bsearch(&s, c_keywords, sizeof c_keywords / sizeof c_keywords[0],
                   sizeof c_keywords[0], cmp_str) != NULL;
}

bool name_is_header_macro(const char *s)
{
    if (strncmp(s, "EVG_", 4) == 0)
        return true;   /* the runtime's limits and flags */
    /* <stdint.h>, <stddef.h> and <limits.h> limits: SIZE_MAX, INT64_C, ... */
    for (const char *c = s; *c; c++)
        if (!is_upper(*c) && !is_digit(*c) && *c != '_')
            return false;
    size_t n = strlen(s);
    static const char *const tails[] = {"_MAX", "_MIN", "_C", "_WIDTH"};
    for (size_t i = 0; i < sizeof tails / sizeof *tails; i++) {
        size_t t = strlen(tails[i]);
        if (n > t && strcmp(s + n - t, tails[i]) == 0)
            return true;
    }
    return false;
}

bool name_is_c_reserved(const char *s)
{
    return s[0] == '_' && (s[1] == '_' || is_upper(s[1]));
}

char *name_c_lower(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++)
        out[i] = (s[i] == '-' || s[i] == '.') ? '_' : s[i];
    out[n] = '\0';
    return out;
}

char *name_c_upper(const char *s)
{
    size_t n = strlen(s);
    char *out = xmalloc(n + 1);
    for (size_t i = 0; i < n; i++) {
        char c = s[i];
        if (is_lower(c))
            out[i] = (char)(c - 'a' + 'A');
        else if (is_upper(c) || is_digit(c))
            out[i] = c;
        else
            out[i] = '_';
    }
    out[n] = '\0';
    return out;
}

char *name_c_struct(const char *prefix, const char *event, const char *version)
{
    char *e = name_c_lower(event), *v = name_c_lower(version);
    size_t n = strlen(prefix) + strlen(e) + strlen(v) + sizeof "__";
    char *out = xmalloc(n);
    snprintf(out, n, "%s_%s_%s", prefix, e, v);
    free(e);
    free(v);
    return out;
}

bool name_c_upper_usable(const char *mangled)
{
    for (; *mangled; mangled++)
        if (is_upper(*mangled) || is_digit(*mangled))
            return true;
    return false;
}

size_t name_distance(const char *a, const char *b, size_t limit)
{
    size_t la = strlen(a), lb = strlen(b);
    size_t diff = la > lb ? la - lb : lb - la;
    if (diff > limit || la > 256 || lb > 256)
        return limit + 1;
    size_t row[257];
    for (size_t j = 0; j <= lb; j++)
        row[j] = j;
    for (size_t i = 1; i <= la; i++) {
        size_t corner = row[0], best = row[0] = i;
        for (size_t j = 1; j <= lb; j++) {
            size_t up = row[j];
            size_t cost = corner + (a[i - 1] != b[j - 1]);
            if (up + 1 < cost)
                cost = up + 1;
            if (row[j - 1] + 1 < cost)
                cost = row[j - 1] + 1;
            row[j] = cost;
            corner = up;
            if (cost < best)
                best = cost;
        }
        if (best > limit)
            return limit + 1;
    }
    return row[lb] > limit ? limit + 1 : row[lb];
}

typedef struct name_at {
    const char *name;
    size_t index;
} name_at;

static int cmp_name_at(const void *pa, const void *pb)
{
    const name_at *a = pa, *b = pb;
    int c = strcmp(a->name, b->name);
    if (c)
        return c;
    return a->index < b->index ? -1 : a->index > b->index;
}

size_t *names_first_index(const char *const *names, size_t n)
{
    if (n == 0)
        return NULL;
    if (n > SIZE_MAX / sizeof(name_at)) {
        fputs("evgen: out of memory\n", stderr);
        abort();
    }
    size_t *first = xmalloc(n * sizeof *first);
    name_at *v = xmalloc(n * sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        first[i] = i;
        if (names[i])
            v[m++] = (name_at){names[i], i};
    }
    qsort(v, m, sizeof *v, cmp_name_at);
    for (size_t i = 1; i < m; i++)
        if (strcmp(v[i].name, v[i - 1].name) == 0)
            first[v[i].index] = first[v[i - 1].index];
    free(v);
    return first;
}
