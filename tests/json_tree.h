/* json_tree.h - a small JSON tree for tests: parse trusted, valid JSON,
 * compare order-insensitively, edit (remove a key, replace a value) and
 * write it back, compact or pretty. Independent of generated/ on purpose:
 * it is the reference the generated code is checked against.
 *
 * Scalars keep their source text (strings with their quotes and escapes,
 * numbers as written), so writing a tree back reproduces the input's tokens.
 * Every function is static inline so that a suite may use any subset. */
#ifndef TESTS_JSON_TREE_H
#define TESTS_JSON_TREE_H

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef enum jt_type { JT_NULL, JT_BOOL, JT_NUMBER, JT_STRING, JT_ARRAY, JT_OBJECT } jt_type;

typedef struct jt_node {
    jt_type type;
    char *key;            /* member key (decoded), NULL outside objects */
    size_t key_len;
    char *raw;            /* scalars: the source token */
    size_t raw_len;
    char *str;            /* strings: decoded value */
    size_t str_len;
    struct jt_node *kids; /* arrays and objects */
    size_t n, cap;
} jt_node;

/* MARK: parsing ------------------------------------------------------------ */

typedef struct jt_in {
    const char *s, *e;
    int depth;
} jt_in;

static inline void jt_ws(jt_in *in)
{
    while (in->s < in->e && (*in->s == ' ' || *in->s == '\n' || *in->s == '\r' || *in->s == '\t'))
        in->s++;
}

static inline char *jt_dup(const char *s, size_t n)
{
    char *d = malloc(n + 1);
    memcpy(d, s, n);
    d[n] = '\0';
    return d;
}

static inline int jt_hex4(const char *s)
{
    int v = 0;
    for (int i = 0; i < 4; i++) {
        char c = s[i];
        v <<= 4;
        if (c >= '0' && c <= '9') v |= c - '0';
        else if (c >= 'a' && c <= 'f') v |= c - 'a' + 10;
        else if (c >= 'A' && c <= 'F') v |= c - 'A' + 10;
        else return -1;
    }
    return v;
}

/* A string token at in->s: decoded into *out (malloc'd), source span kept. */
static inline bool jt_string(jt_in *in, char **out, size_t *out_len)
{
    const char *c = in->s + 1;
    char *d = malloc((size_t)(in->e - in->s) + 1);
    size_t n = 0;
    while (c < in->e && *c != '"') {
        if ((unsigned char)*c < 0x20) {
            free(d);
            return false;
        }
        if (*c != '\\') {
            d[n++] = *c++;
            continue;
        }
        if (in->e - c < 2)
            break;
        char esc = c[1];
        c += 2;
        switch (esc) {
        case '"': d[n++] = '"'; break;
        case '\\': d[n++] = '\\'; break;
        case '/': d[n++] = '/'; break;
        case 'b': d[n++] = '\b'; break;
        case 'f': d[n++] = '\f'; break;
        case 'n': d[n++] = '\n'; break;
        case 'r': d[n++] = '\r'; break;
        case 't': d[n++] = '\t'; break;
        case 'u': {
            if (in->e - c < 4 || jt_hex4(c) < 0) {
                free(d);
                return false;
            }
            unsigned long cp = (unsigned long)jt_hex4(c);
            c += 4;
            if (cp >= 0xD800 && cp <= 0xDBFF && in->e - c >= 6 && c[0] == '\\' && c[1] == 'u') {
                int lo = jt_hex4(c + 2);
                if (lo >= 0xDC00 && lo <= 0xDFFF) {
                    cp = 0x10000 + ((cp - 0xD800) << 10) + ((unsigned long)lo - 0xDC00);
                    c += 6;
                }
            }
            if (cp < 0x80) {
                d[n++] = (char)cp;
            } else if (cp < 0x800) {
                d[n++] = (char)(0xC0 | (cp >> 6));
                d[n++] = (char)(0x80 | (cp & 0x3F));
            } else if (cp < 0x10000) {
                d[n++] = (char)(0xE0 | (cp >> 12));
                d[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                d[n++] = (char)(0x80 | (cp & 0x3F));
            } else {
                d[n++] = (char)(0xF0 | (cp >> 18));
                d[n++] = (char)(0x80 | ((cp >> 12) & 0x3F));
                d[n++] = (char)(0x80 | ((cp >> 6) & 0x3F));
                d[n++] = (char)(0x80 | (cp & 0x3F));
            }
            break;
        }
        default:
            free(d);
            return false;
        }
    }
    if (c >= in->e) {
        free(d);
        return false;
    }
    d[n] = '\0';
    *out = d;
    *out_len = n;
    in->s = c + 1;
    return true;
}

static inline void jt_free_kids(jt_node *n);

static inline jt_node *jt_push(jt_node *parent)
{
    if (parent->n == parent->cap) {
        parent->cap = parent->cap ? parent->cap * 2 : 4;
        parent->kids = realloc(parent->kids, parent->cap * sizeof *parent->kids);
    }
    jt_node *k = &parent->kids[parent->n++];
    memset(k, 0, sizeof *k);
    return k;
}

static inline bool jt_value(jt_in *in, jt_node *out)
{
    jt_ws(in);
    if (in->s >= in->e || ++in->depth > 1000)
        return false;
    const char *start = in->s;
    char c = *in->s;
    bool ok = true;
    if (c == '{' || c == '[') {
        out->type = c == '{' ? JT_OBJECT : JT_ARRAY;
        char close = c == '{' ? '}' : ']';
        in->s++;
        jt_ws(in);
        if (in->s < in->e && *in->s == close) {
            in->s++;
        } else {
            for (;;) {
                jt_node *k = jt_push(out);
                if (out->type == JT_OBJECT) {
                    jt_ws(in);
                    if (in->s >= in->e || *in->s != '"' || !jt_string(in, &k->key, &k->key_len))
                        return false;
                    jt_ws(in);
                    if (in->s >= in->e || *in->s != ':')
                        return false;
                    in->s++;
                }
                if (!jt_value(in, k))
                    return false;
                jt_ws(in);
                if (in->s < in->e && *in->s == ',') {
                    in->s++;
                    continue;
                }
                if (in->s < in->e && *in->s == close) {
                    in->s++;
                    break;
                }
                return false;
            }
        }
    } else if (c == '"') {
        out->type = JT_STRING;
        ok = jt_string(in, &out->str, &out->str_len);
    } else if (in->e - in->s >= 4 && memcmp(in->s, "null", 4) == 0) {
        out->type = JT_NULL;
        in->s += 4;
    } else if (in->e - in->s >= 4 && memcmp(in->s, "true", 4) == 0) {
        out->type = JT_BOOL;
        in->s += 4;
    } else if (in->e - in->s >= 5 && memcmp(in->s, "false", 5) == 0) {
        out->type = JT_BOOL;
        in->s += 5;
    } else if (c == '-' || (c >= '0' && c <= '9')) {
        out->type = JT_NUMBER;
        while (in->s < in->e && strchr("+-.eE0123456789", *in->s))
            in->s++;
    } else {
        return false;
    }
    in->depth--;
    if (ok && out->type != JT_OBJECT && out->type != JT_ARRAY) {
        out->raw = jt_dup(start, (size_t)(in->s - start));
        out->raw_len = (size_t)(in->s - start);
    }
    return ok;
}

static inline void jt_free_kids(jt_node *n)
{
    for (size_t i = 0; i < n->n; i++) {
        jt_free_kids(&n->kids[i]);
        free(n->kids[i].key);
    }
    free(n->kids);
    free(n->raw);
    free(n->str);
    n->kids = NULL;
    n->raw = n->str = NULL;
    n->n = n->cap = 0;
}

static inline void jt_free(jt_node *n)
{
    if (n) {
        jt_free_kids(n);
        free(n->key);
        free(n);
    }
}

/* NULL when the text is not one JSON value (with surrounding whitespace). */
static inline jt_node *jt_parse(const char *text, size_t len)
{
    jt_in in = {text, text + len, 0};
    jt_node *root = calloc(1, sizeof *root);
    if (!jt_value(&in, root)) {
        jt_free(root);
        return NULL;
    }
    jt_ws(&in);
    if (in.s != in.e) {
        jt_free(root);
        return NULL;
    }
    return root;
}

/* MARK: lookup and edits ------------------------------------------------- */

static inline jt_node *jt_get(const jt_node *obj, const char *key)
{
    if (!obj || obj->type != JT_OBJECT)
        return NULL;
    for (size_t i = 0; i < obj->n; i++)
        if (obj->kids[i].key_len == strlen(key) && memcmp(obj->kids[i].key, key, obj->kids[i].key_len) == 0)
            return &obj->kids[i];
    return NULL;
}

/* RFC 6901 pointer lookup (keys without ~ escapes, which the catalog never needs). */
static inline jt_node *jt_at(jt_node *root, const char *pointer)
{
    jt_node *n = root;
    const char *p = pointer;
    while (n && *p == '/') {
        p++;
        size_t len = strcspn(p, "/");
        char step[256];
        if (len >= sizeof step)
            return NULL;
        memcpy(step, p, len);
        step[len] = '\0';
        p += len;
        if (n->type == JT_OBJECT) {
            n = jt_get(n, step);
        } else if (n->type == JT_ARRAY) {
            char *end;
            unsigned long i = strtoul(step, &end, 10);
            n = *end == '\0' && i < n->n ? &n->kids[i] : NULL;
        } else {
            n = NULL;
        }
    }
    return *p ? NULL : n;
}

/* Removes member `i` of an object (or element of an array). */
static inline void jt_remove_at(jt_node *parent, size_t i)
{
    jt_free_kids(&parent->kids[i]);
    free(parent->kids[i].key);
    memmove(&parent->kids[i], &parent->kids[i + 1], (parent->n - i - 1) * sizeof *parent->kids);
    parent->n--;
}

/* Replaces a node's value by the given JSON text; false if it does not parse. */
static inline bool jt_replace(jt_node *n, const char *json)
{
    jt_node *v = jt_parse(json, strlen(json));
    if (!v)
        return false;
    jt_free_kids(n);
    char *key = n->key;
    size_t key_len = n->key_len;
    *n = *v;
    n->key = key;
    n->key_len = key_len;
    free(v);
    return true;
}

/* Adds a member to an object, at the end. */
static inline bool jt_add(jt_node *obj, const char *key, const char *json)
{
    jt_node *k = jt_push(obj);
    k->key = jt_dup(key, strlen(key));
    k->key_len = strlen(key);
    return jt_replace(k, json);
}

/* MARK: comparison -------------------------------------------------------- */

/* Objects are unordered key sets (no duplicates expected), numbers compare
 * as numbers, strings by their decoded bytes. */
static inline bool jt_equal(const jt_node *a, const jt_node *b)
{
    if (!a || !b || a->type != b->type)
        return false;
    switch (a->type) {
    case JT_NULL:
        return true;
    case JT_BOOL:
        return a->raw[0] == b->raw[0];
    case JT_NUMBER:
        return strtod(a->raw, NULL) == strtod(b->raw, NULL);
    case JT_STRING:
        return a->str_len == b->str_len && memcmp(a->str, b->str, a->str_len) == 0;
    case JT_ARRAY:
        if (a->n != b->n)
            return false;
        for (size_t i = 0; i < a->n; i++)
            if (!jt_equal(&a->kids[i], &b->kids[i]))
                return false;
        return true;
    case JT_OBJECT:
        if (a->n != b->n)
            return false;
        for (size_t i = 0; i < a->n; i++) {
            const jt_node *other = NULL;
            for (size_t j = 0; j < b->n && !other; j++)
                if (b->kids[j].key_len == a->kids[i].key_len &&
                    memcmp(b->kids[j].key, a->kids[i].key, a->kids[i].key_len) == 0)
                    other = &b->kids[j];
            if (!jt_equal(&a->kids[i], other))
                return false;
        }
        return true;
    }
    return false;
}

static inline bool jt_text_equal(const char *a, size_t alen, const char *b, size_t blen)
{
    jt_node *x = jt_parse(a, alen), *y = jt_parse(b, blen);
    bool eq = x && y && jt_equal(x, y);
    jt_free(x);
    jt_free(y);
    return eq;
}

/* MARK: writing ------------------------------------------------------------ */

typedef struct jt_out {
    char *buf;
    size_t len, cap;
    const jt_node *mark;   /* where this node's text starts and ends is recorded */
    size_t mark_open, mark_close;
} jt_out;

static inline void jt_put(jt_out *o, const char *s, size_t n)
{
    if (o->len + n + 1 > o->cap) {
        o->cap = (o->len + n + 1) * 2;
        o->buf = realloc(o->buf, o->cap);
    }
    memcpy(o->buf + o->len, s, n);
    o->len += n;
    o->buf[o->len] = '\0';
}

static inline void jt_indent(jt_out *o, int pretty, int level)
{
    if (!pretty)
        return;
    jt_put(o, "\n", 1);
    for (int i = 0; i < level * pretty; i++)
        jt_put(o, " ", 1);
}

/* Keys are written as plain quoted text: the catalog's keys need no escapes. */
static inline void jt_write_node(jt_out *o, const jt_node *n, int pretty, int level)
{
    if (n == o->mark)
        o->mark_open = o->len;
    if (n->type == JT_OBJECT || n->type == JT_ARRAY) {
        jt_put(o, n->type == JT_OBJECT ? "{" : "[", 1);
        for (size_t i = 0; i < n->n; i++) {
            if (i)
                jt_put(o, ",", 1);
            jt_indent(o, pretty, level + 1);
            if (n->type == JT_OBJECT) {
                jt_put(o, "\"", 1);
                jt_put(o, n->kids[i].key, n->kids[i].key_len);
                jt_put(o, pretty ? "\": " : "\":", pretty ? 3 : 2);
            }
            jt_write_node(o, &n->kids[i], pretty, level + 1);
        }
        if (n->n)
            jt_indent(o, pretty, level);
        if (n == o->mark)
            o->mark_close = o->len;
        jt_put(o, n->type == JT_OBJECT ? "}" : "]", 1);
    } else {
        jt_put(o, n->raw, n->raw_len);
    }
}

/* malloc'd text of the tree; `pretty` is the indent width (0: compact).
 * When `mark` is given, *open / *close get the offsets of its first byte
 * and (objects, arrays) of its closing bracket. */
static inline char *jt_write_marked(const jt_node *n, int pretty, size_t *len, const jt_node *mark,
                                    size_t *open, size_t *close)
{
    jt_out o = {NULL, 0, 0, mark, 0, 0};
    jt_put(&o, "", 0);
    jt_write_node(&o, n, pretty, 0);
    if (len)
        *len = o.len;
    if (open)
        *open = o.mark_open;
    if (close)
        *close = o.mark_close;
    return o.buf;
}

static inline char *jt_write(const jt_node *n, int pretty, size_t *len)
{
    return jt_write_marked(n, pretty, len, NULL, NULL, NULL);
}

#endif /* TESTS_JSON_TREE_H */
