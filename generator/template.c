/* template.c - the text template engine (see template.h, docs/templates.md).
 *
 * MARK: layout
 *   memory      the context arena (xmalloc & co.: text_buf.h)
 *   values      tpl_map/tpl_list/... and the map's hash index
 *   parsing     source -> flat node array, standalone-line and ~ trimming
 *   rendering   node array + context stack -> output buffer
 *
 * A template is parsed once into a flat array of nodes. A section node
 * records the index just past its body (`end`), so rendering is a loop over
 * an index range, recursing only into section bodies and partials. Text
 * nodes and names point into the template's own copy of its source. */
#include "template.h"

#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "text_buf.h"

/* Deeper {{>partial}} nesting than this is reported as runaway recursion. */
#define TPL_MAX_DEPTH 64
/* Maps with at least this many keys get a hash index; smaller ones are scanned. */
#define MAP_INDEX_MIN 48
#define ARENA_CHUNK (64 * 1024)

/* ================================================================ MARK: memory */

static _Noreturn void misuse(const char *what)
{
    fprintf(stderr, "evgen: template engine misuse: %s\n", what);
    abort();
}

typedef struct chunk {
    struct chunk *next;
    size_t used, cap;
    max_align_t data[];
} chunk;

/* Keys of maps are few and repeat in every map (a catalog of thousands of
 * properties has thousands of "c_type"s): each distinct key is stored once. */
typedef struct key_intern {
    const char **slots;    /* open addressing, NULL = empty */
    size_t cap, count;     /* cap: a power of two */
} key_intern;

struct tpl_ctx {
    chunk *head;
    key_intern keys;
    struct tpl_value *bools[2];   /* immutable, shared by every tpl_bool */
};

static void *arena_alloc(tpl_ctx *ctx, size_t n)
{
    const size_t align = _Alignof(max_align_t);
    if (n > SIZE_MAX - align)
        out_of_memory();
    n = (n + align - 1) / align * align;
    chunk *c = ctx->head;
    if (!c || c->cap - c->used < n) {
        size_t cap = n > ARENA_CHUNK ? n : ARENA_CHUNK;
        if (cap > SIZE_MAX - sizeof(chunk))
            out_of_memory();
        c = xmalloc(sizeof(chunk) + cap);
        c->used = 0;
        c->cap = cap;
        c->next = ctx->head;
        ctx->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += n;
    return p;
}

/* Growable arrays inside the arena: the old block is simply abandoned,
 * which costs at most as much again as the final size. */
static void arena_grow(tpl_ctx *ctx, void **items, size_t *cap, size_t need, size_t size)
{
    if (need <= *cap)
        return;
    size_t n = *cap ? *cap * 2 : 4;
    while (n < need)
        n *= 2;
    if (n > SIZE_MAX / size)
        out_of_memory();
    void *p = arena_alloc(ctx, n * size);
    if (*cap)
        memcpy(p, *items, *cap * size);
    *items = p;
    *cap = n;
}

static char *arena_strndup(tpl_ctx *ctx, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        out_of_memory();
    char *p = arena_alloc(ctx, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

tpl_ctx *tpl_ctx_new(void)
{
    tpl_ctx *ctx = xmalloc(sizeof *ctx);
    memset(ctx, 0, sizeof *ctx);
    return ctx;
}

static uint32_t hash_bytes(const char *s, size_t n);

/* The one stored copy of key[0..n), whose hash is h. */
static const char *intern_key(tpl_ctx *ctx, const char *key, size_t n, uint32_t h)
{
    key_intern *t = &ctx->keys;
    if (2 * (t->count + 1) > t->cap) {            /* load factor <= 1/2 */
        size_t cap = t->cap ? t->cap * 2 : 256;
        const char **slots = calloc(cap, sizeof *slots);
        if (!slots)
            out_of_memory();
        for (size_t i = 0; i < t->cap; i++)
            if (t->slots[i]) {
                size_t len = strlen(t->slots[i]);
                size_t j = hash_bytes(t->slots[i], len) & (cap - 1);
                while (slots[j])
                    j = (j + 1) & (cap - 1);
                slots[j] = t->slots[i];
            }
        free(t->slots);
        t->slots = slots;
        t->cap = cap;
    }
    size_t mask = t->cap - 1;
    size_t i = h & mask;
    for (; t->slots[i]; i = (i + 1) & mask)
        if (strncmp(t->slots[i], key, n) == 0 && t->slots[i][n] == '\0')
            return t->slots[i];
    t->slots[i] = arena_strndup(ctx, key, n);
    t->count++;
    return t->slots[i];
}

void tpl_ctx_free(tpl_ctx *ctx)
{
    if (!ctx)
        return;
    chunk *c = ctx->head;
    while (c) {
        chunk *next = c->next;
        free(c);
        c = next;
    }
    free(ctx->keys.slots);
    free(ctx);
}

/* ================================================================ MARK: values */

typedef enum vkind { V_STR, V_INT, V_BOOL, V_LIST, V_MAP } vkind;

typedef struct map_entry {
    const char *key;
    size_t key_len;
    uint32_t hash;
    const tpl_value *val;
} map_entry;

struct tpl_value {
    vkind kind;
    union {
        struct { const char *p; size_t n; } str;
        long long i;
        bool b;
        struct { tpl_ctx *ctx; const tpl_value **items; size_t n, cap; } list;
        struct {
            map_entry *e;
            size_t n, cap;
            uint32_t *index;       /* entry number + 1, 0 = empty; NULL when small */
            size_t index_cap;      /* a power of two */
        } map;
    };
};

static uint32_t hash_bytes(const char *s, size_t n)
{
    uint32_t h = 2166136261u;            /* FNV-1a */
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)s[i];
        h *= 16777619u;
    }
    return h;
}

static tpl_value *new_value(tpl_ctx *ctx, vkind kind)
{
    tpl_value *v = arena_alloc(ctx, sizeof *v);
    memset(v, 0, sizeof *v);
    v->kind = kind;
    return v;
}

tpl_value *tpl_map(tpl_ctx *ctx)
{
    return new_value(ctx, V_MAP);
}

tpl_value *tpl_list(tpl_ctx *ctx)
{
    tpl_value *v = new_value(ctx, V_LIST);
    v->list.ctx = ctx;
    return v;
}

tpl_value *tpl_strn(tpl_ctx *ctx, const char *s, size_t n)
{
    tpl_value *v = new_value(ctx, V_STR);
    v->str.p = arena_strndup(ctx, s, n);
    v->str.n = n;
    return v;
}

tpl_value *tpl_str(tpl_ctx *ctx, const char *s)
{
    return tpl_strn(ctx, s, strlen(s));
}

static tpl_value *vstrf(tpl_ctx *ctx, const char *fmt, va_list ap)
{
    va_list ap2;
    va_copy(ap2, ap);
    int n = vsnprintf(NULL, 0, fmt, ap2);
    va_end(ap2);
    if (n < 0)
        misuse("bad format string");
    tpl_value *v = new_value(ctx, V_STR);
    char *p = arena_alloc(ctx, (size_t)n + 1);
    vsnprintf(p, (size_t)n + 1, fmt, ap);
    v->str.p = p;
    v->str.n = (size_t)n;
    return v;
}

tpl_value *tpl_strf(tpl_ctx *ctx, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tpl_value *v = vstrf(ctx, fmt, ap);
    va_end(ap);
    return v;
}

tpl_value *tpl_bool(tpl_ctx *ctx, bool b)
{
    if (!ctx->bools[b]) {
        ctx->bools[b] = new_value(ctx, V_BOOL);
        ctx->bools[b]->b = b;
    }
    return ctx->bools[b];
}

tpl_value *tpl_int(tpl_ctx *ctx, long long i)
{
    tpl_value *v = new_value(ctx, V_INT);
    v->i = i;
    return v;
}

/* Index of the entry with this key, or -1. */
static ptrdiff_t map_find(const tpl_value *m, const char *key, size_t n, uint32_t h)
{
    if (m->map.index) {
        size_t mask = m->map.index_cap - 1;
        for (size_t i = h & mask;; i = (i + 1) & mask) {
            uint32_t slot = m->map.index[i];
            if (!slot)
                return -1;
            const map_entry *e = &m->map.e[slot - 1];
            if (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0)
                return (ptrdiff_t)slot - 1;
        }
    }
    for (size_t i = 0; i < m->map.n; i++) {
        const map_entry *e = &m->map.e[i];
        if (e->hash == h && e->key_len == n && memcmp(e->key, key, n) == 0)
            return (ptrdiff_t)i;
    }
    return -1;
}

static void map_index_put(tpl_value *m, size_t entry)
{
    size_t mask = m->map.index_cap - 1;
    size_t i = m->map.e[entry].hash & mask;
    while (m->map.index[i])
        i = (i + 1) & mask;
    m->map.index[i] = (uint32_t)entry + 1;
}

void tpl_set_value(tpl_ctx *ctx, tpl_value *m, const char *key, tpl_value *v)
{
    if (!m || m->kind != V_MAP)
        misuse("tpl_set_value on something that is not a map");
    if (!v)
        misuse("tpl_set_value with a NULL value");
    size_t n = strlen(key);
    uint32_t h = hash_bytes(key, n);
    ptrdiff_t at = map_find(m, key, n, h);
    if (at >= 0) {
        m->map.e[at].val = v;
        return;
    }
    if (m->map.n >= UINT32_MAX - 1)
        out_of_memory();
    arena_grow(ctx, (void **)&m->map.e, &m->map.cap, m->map.n + 1, sizeof(map_entry));
    size_t entry = m->map.n++;
    m->map.e[entry] = (map_entry){intern_key(ctx, key, n, h), n, h, v};
    if (m->map.n < MAP_INDEX_MIN)
        return;
    if (m->map.index_cap < 2 * m->map.n) {          /* load factor <= 1/2 */
        size_t cap = 32;
        while (cap < 4 * m->map.n)
            cap *= 2;
        m->map.index = arena_alloc(ctx, cap * sizeof(uint32_t));
        memset(m->map.index, 0, cap * sizeof(uint32_t));
        m->map.index_cap = cap;
        for (size_t i = 0; i < m->map.n; i++)
            map_index_put(m, i);
    } else {
        map_index_put(m, entry);
    }
}

void tpl_push(tpl_value *list, tpl_value *v)
{
    if (!list || list->kind != V_LIST)
        misuse("tpl_push on something that is not a list");
    if (!v)
        misuse("tpl_push with a NULL value");
    arena_grow(list->list.ctx, (void **)&list->list.items, &list->list.cap,
               list->list.n + 1, sizeof(tpl_value *));
    list->list.items[list->list.n++] = v;
}

size_t tpl_list_len(const tpl_value *list)
{
    if (!list || list->kind != V_LIST)
        misuse("tpl_list_len on something that is not a list");
    return list->list.n;
}

void tpl_set_str(tpl_ctx *ctx, tpl_value *map, const char *key, const char *s)
{
    tpl_set_value(ctx, map, key, tpl_str(ctx, s));
}

void tpl_set_strf(tpl_ctx *ctx, tpl_value *map, const char *key, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    tpl_value *v = vstrf(ctx, fmt, ap);
    va_end(ap);
    tpl_set_value(ctx, map, key, v);
}

void tpl_set_bool(tpl_ctx *ctx, tpl_value *map, const char *key, bool b)
{
    tpl_set_value(ctx, map, key, tpl_bool(ctx, b));
}

void tpl_set_int(tpl_ctx *ctx, tpl_value *map, const char *key, long long v)
{
    tpl_set_value(ctx, map, key, tpl_int(ctx, v));
}

static bool truthy(const tpl_value *v)
{
    if (!v)
        return false;
    switch (v->kind) {
    case V_STR:  return v->str.n != 0;
    case V_INT:  return v->i != 0;
    case V_BOOL: return v->b;
    case V_LIST: return v->list.n != 0;
    case V_MAP:  return true;
    }
    return false;
}

static const char *kind_name(vkind k)
{
    switch (k) {
    case V_STR:  return "a string";
    case V_INT:  return "an integer";
    case V_BOOL: return "a boolean";
    case V_LIST: return "a list";
    case V_MAP:  return "a map";
    }
    return "?";
}

/* ================================================================ MARK: parsing */

typedef enum nkind { N_TEXT, N_VAR, N_SECTION, N_INVERTED, N_PARTIAL } nkind;
typedef enum special { SP_NONE, SP_INDEX, SP_FIRST, SP_LAST } special;

typedef struct seg {
    const char *p;
    size_t n;
    uint32_t hash;
} seg;

typedef struct node {
    nkind kind;
    special sp;            /* N_VAR/N_SECTION/N_INVERTED: @index, @first, @last */
    src_mark mark;         /* where the tag's "{{" is */
    size_t id;             /* unique within the set: errors are reported once per tag */
    const char *text;      /* N_TEXT: the bytes; otherwise the name as written */
    size_t len;
    size_t seg0, nsegs;    /* dotted name in tmpl.segs; no segments means "." */
    size_t end;            /* N_SECTION/N_INVERTED: first node after the body */
    const char *indent;    /* N_PARTIAL on a standalone line: whitespace before it */
    size_t indent_len;
} node;

typedef struct tmpl {
    char *name;
    char *file;
    char *src;             /* the text with CRLF read as LF; nodes point into it */
    size_t src_len;
    node *nodes;
    size_t n;
    seg *segs;
} tmpl;

struct tpl_set {
    tmpl **t;
    size_t n, cap;
    size_t node_total;     /* ids handed out so far */
};

typedef struct parser {
    diag *d;
    const char *file;
    const char *src;
    size_t len;
    size_t mk_off, mk_ls;  /* position cache for mark_at: offset, start of its line */
    unsigned mk_line;
    node *nodes;
    size_t n, cap;
    seg *segs;
    size_t nsegs, segs_cap;
    size_t *open;          /* indices of the sections still open */
    size_t nopen, open_cap;
    bool ok;
} parser;

static src_mark mark_at(parser *p, size_t off)
{
    if (off < p->mk_off) {         /* tags come in order; this is just a safety net */
        p->mk_off = 0;
        p->mk_ls = 0;
        p->mk_line = 1;
    }
    for (; p->mk_off < off; p->mk_off++) {
        if (p->src[p->mk_off] == '\n') {
            p->mk_line++;
            p->mk_ls = p->mk_off + 1;
        }
    }
    return (src_mark){p->mk_line, (unsigned)(off - p->mk_ls + 1)};
}

static void parse_error(parser *p, src_mark at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void parse_error(parser *p, src_mark at, const char *fmt, ...)
{
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(p->d, p->file, at, "%s", msg);
    p->ok = false;
}

static node *add_node(parser *p, nkind kind)
{
    p->nodes = grow_array(p->nodes, &p->cap, p->n + 1, sizeof(node));
    node *nd = &p->nodes[p->n++];
    memset(nd, 0, sizeof *nd);
    nd->kind = kind;
    return nd;
}

static void add_text(parser *p, size_t from, size_t to)
{
    if (to <= from)
        return;
    node *nd = add_node(p, N_TEXT);
    nd->text = p->src + from;
    nd->len = to - from;
}

static bool is_blank(char c)
{
    return c == ' ' || c == '\t';
}

static bool is_space(char c)
{
    return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f';
}

static bool is_ident_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static bool is_ident(char c)
{
    return is_ident_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* A printable rendering of a tag's contents for messages: at most 40 bytes. */
#define SHOW(s, n) (int)((n) > 40 ? 40 : (n)), (s)

/* Splits a variable or section name into nd's segments; false if invalid. */
static bool parse_name(parser *p, node *nd, const char *s, size_t n)
{
    nd->text = s;
    nd->len = n;
    nd->seg0 = p->nsegs;
    nd->nsegs = 0;
    if (n == 1 && s[0] == '.')
        return true;
    if (n > 0 && s[0] == '@') {
        if (n == 6 && memcmp(s, "@index", 6) == 0)
            nd->sp = SP_INDEX;
        else if (n == 6 && memcmp(s, "@first", 6) == 0)
            nd->sp = SP_FIRST;
        else if (n == 5 && memcmp(s, "@last", 5) == 0)
            nd->sp = SP_LAST;
        else
            return false;
        return true;
    }
    size_t i = 0;
    for (;;) {
        size_t b = i;
        if (i >= n || !is_ident_start(s[i]))
            return false;
        while (i < n && is_ident(s[i]))
            i++;
        p->segs = grow_array(p->segs, &p->segs_cap, p->nsegs + 1, sizeof(seg));
        p->segs[p->nsegs++] = (seg){s + b, i - b, hash_bytes(s + b, i - b)};
        nd->nsegs++;
        if (i == n)
            return true;
        if (s[i] != '.')
            return false;
        i++;
    }
}

static bool valid_partial_name(const char *s, size_t n)
{
    if (n == 0)
        return false;
    for (size_t i = 0; i < n; i++)
        if (!is_ident(s[i]) && s[i] != '.')
            return false;
    return true;
}

/* The tag at ts ("{{" there) is alone on its line but for blanks: returns
 * true and sets *ls to the start of its line and *next past its newline. */
static bool standalone(const parser *p, size_t ts, size_t te, size_t *ls, size_t *next)
{
    size_t b = ts;
    while (b > 0 && is_blank(p->src[b - 1]))
        b--;
    if (b > 0 && p->src[b - 1] != '\n')
        return false;
    size_t e = te;
    while (e < p->len && is_blank(p->src[e]))
        e++;
    if (e < p->len && p->src[e] != '\n')
        return false;
    *ls = b;
    *next = e < p->len ? e + 1 : e;
    return true;
}

static void close_section(parser *p, size_t ts, const char *name, size_t n)
{
    src_mark at = mark_at(p, ts);
    if (p->nopen == 0) {
        parse_error(p, at, "'{{/%.*s}}' closes no open section", SHOW(name, n));
        return;
    }
    node *open = &p->nodes[p->open[p->nopen - 1]];
    if (open->len != n || memcmp(open->text, name, n) != 0)
        parse_error(p, at, "'{{/%.*s}}' closes section '%.*s'", SHOW(name, n),
                    SHOW(open->text, open->len));
    open->end = p->n;          /* also on a mismatch, to keep going sensibly */
    p->nopen--;
}

/* Parses the whole source into p->nodes. */
static void parse(parser *p)
{
    const char *src = p->src;
    size_t len = p->len;
    size_t pos = 0;                /* start of text not yet emitted */
    size_t scan = 0;               /* where to look for the next "{{" */

    for (;;) {
        const char *hit = NULL;
        for (size_t i = scan; i + 1 < len; i++) {
            if (src[i] == '{' && src[i + 1] == '{') {
                hit = src + i;
                break;
            }
        }
        if (!hit)
            break;
        size_t ts = (size_t)(hit - src);
        size_t i = ts + 2;
        bool ltrim = false, rtrim = false;
        if (i < len && src[i] == '~') {
            ltrim = true;
            i++;
        }
        char sigil = 0;
        if (i < len && src[i] && strchr("#^/>!", src[i]))
            sigil = src[i++];

        size_t cs = i, ce, te;         /* contents [cs, ce), tag ends at te */
        if (sigil == '!') {
            size_t j = i;
            while (j + 1 < len && !(src[j] == '}' && src[j + 1] == '}'))
                j++;
            if (j + 1 >= len) {
                parse_error(p, mark_at(p, ts), "comment is never closed with '}}'");
                return;
            }
            ce = j;
            te = j + 2;
            if (ce > cs && src[ce - 1] == '~')
                rtrim = true;
        } else {
            size_t j = i;
            while (j + 1 < len && src[j] != '\n' && !(src[j] == '}' && src[j + 1] == '}'))
                j++;
            if (j + 1 >= len || src[j] == '\n') {
                parse_error(p, mark_at(p, ts),
                            "'{{' starts a tag that is not closed on this line"
                            " (for literal braces in C write '{ {')");
                scan = ts + 2;         /* read it as text and look for more errors */
                continue;
            }
            ce = j;
            te = j + 2;
            if (ce > cs && src[ce - 1] == '~') {
                rtrim = true;
                ce--;
            }
            while (cs < ce && is_blank(src[cs]))
                cs++;
            while (ce > cs && is_blank(src[ce - 1]))
                ce--;
        }

        /* What text goes before the tag, and where text resumes after it. */
        size_t text_end = ts, next = te;
        size_t ls = ts;
        bool alone = false;
        if (sigil && !ltrim && !rtrim)
            alone = standalone(p, ts, te, &ls, &next);
        if (alone)
            text_end = ls > pos ? ls : pos;
        if (ltrim)
            while (text_end > pos && is_space(src[text_end - 1]))
                text_end--;
        if (rtrim)
            while (next < len && is_space(src[next]))
                next++;
        add_text(p, pos, text_end);
        pos = scan = next;

        src_mark at = mark_at(p, ts);
        const char *name = src + cs;
        size_t n = ce - cs;
        switch (sigil) {
        case '!':
            break;
        case '/':
            close_section(p, ts, name, n);
            break;
        case '>': {
            if (!valid_partial_name(name, n)) {
                parse_error(p, at, "invalid partial name '%.*s'", SHOW(name, n));
                break;
            }
            node *nd = add_node(p, N_PARTIAL);
            nd->mark = at;
            nd->text = name;
            nd->len = n;
            if (alone) {
                nd->indent = src + ls;
                nd->indent_len = ts - ls;
            }
            break;
        }
        default: {
            node *nd = add_node(p, sigil == '#' ? N_SECTION : sigil == '^' ? N_INVERTED : N_VAR);
            nd->mark = at;
            if (!parse_name(p, nd, name, n)) {
                if (n > 0 && name[0] == '@')
                    parse_error(p, at, "unknown special name '%.*s' (there are @index, @first, @last)",
                                SHOW(name, n));
                else if (n == 0)
                    parse_error(p, at, "empty tag '{{%.*s}}'", SHOW(src + ts + 2, te - ts - 4));
                else
                    parse_error(p, at, "invalid name '%.*s' in tag"
                                " (for literal braces in C write '{ {')", SHOW(name, n));
                p->n--;
                break;
            }
            if (nd->kind != N_VAR) {
                p->open = grow_array(p->open, &p->open_cap, p->nopen + 1, sizeof(size_t));
                p->open[p->nopen++] = p->n - 1;
            }
            break;
        }
        }
    }
    add_text(p, pos, len);
    for (size_t k = 0; k < p->nopen; k++) {
        node *open = &p->nodes[p->open[k]];
        parse_error(p, open->mark, "section '%.*s' opened here is never closed",
                    SHOW(open->text, open->len));
        open->end = p->n;
    }
    p->nopen = 0;
}

static const tmpl *find_template(const tpl_set *s, const char *name, size_t n)
{
    for (size_t i = 0; i < s->n; i++)
        if (strlen(s->t[i]->name) == n && memcmp(s->t[i]->name, name, n) == 0)
            return s->t[i];
    return NULL;
}

tpl_set *tpl_set_new(void)
{
    tpl_set *s = xmalloc(sizeof *s);
    s->t = NULL;
    s->n = s->cap = 0;
    s->node_total = 0;
    return s;
}

static void tmpl_free(tmpl *t)
{
    free(t->name);
    free(t->file);
    free(t->src);
    free(t->nodes);
    free(t->segs);
    free(t);
}

void tpl_set_free(tpl_set *s)
{
    if (!s)
        return;
    for (size_t i = 0; i < s->n; i++)
        tmpl_free(s->t[i]);
    free(s->t);
    free(s);
}

bool tpl_set_add(tpl_set *s, const char *name, const char *file,
                 const char *text, size_t len, diag *d)
{
    if (find_template(s, name, strlen(name))) {
        diag_error(d, file, (src_mark){0, 0}, "a template named '%s' was already added", name);
        return false;
    }
    tmpl *t = xmalloc(sizeof *t);
    memset(t, 0, sizeof *t);
    t->name = xstrdup(name);
    t->file = xstrdup(file);
    t->src = xmalloc(len + 1);
    size_t n = 0;
    for (size_t i = 0; i < len; i++)
        if (!(text[i] == '\r' && i + 1 < len && text[i + 1] == '\n'))
            t->src[n++] = text[i];
    t->src[n] = '\0';
    t->src_len = n;

    parser p = {.d = d, .file = t->file, .src = t->src, .len = n, .mk_line = 1, .ok = true};
    parse(&p);
    free(p.open);
    t->nodes = p.nodes;
    t->n = p.n;
    t->segs = p.segs;
    if (!p.ok) {
        tmpl_free(t);
        return false;
    }
    for (size_t i = 0; i < t->n; i++)
        t->nodes[i].id = s->node_total + i;
    s->node_total += t->n;
    s->t = grow_array(s->t, &s->cap, s->n + 1, sizeof(tmpl *));
    s->t[s->n++] = t;
    return true;
}

bool tpl_set_check(const tpl_set *s, diag *d)
{
    bool ok = true;
    for (size_t i = 0; i < s->n; i++) {
        const tmpl *t = s->t[i];
        for (size_t k = 0; k < t->n; k++) {
            const node *nd = &t->nodes[k];
            if (nd->kind == N_PARTIAL && !find_template(s, nd->text, nd->len)) {
                diag_error(d, t->file, nd->mark, "no template named '%.*s'", SHOW(nd->text, nd->len));
                ok = false;
            }
        }
    }
    return ok;
}

size_t tpl_set_count(const tpl_set *s)
{
    return s->n;
}

const char *tpl_set_name(const tpl_set *s, size_t i)
{
    if (i >= s->n)
        misuse("tpl_set_name index out of range");
    return s->t[i]->name;
}

const char *tpl_set_file(const tpl_set *s, size_t i)
{
    if (i >= s->n)
        misuse("tpl_set_file index out of range");
    return s->t[i]->file;
}

/* ================================================================ MARK: rendering */

typedef struct frame {
    const tpl_value *v;
    bool item;             /* pushed by a list section: index/count are valid */
    size_t index, count;
} frame;

typedef struct render {
    const tpl_set *set;
    diag *d;
    text_buf out;
    bool bol;              /* the output is at the beginning of a line */
    text_buf indent;       /* prefix for every non-empty line (standalone partials) */
    frame *st;
    size_t nst, st_cap;
    unsigned char *reported; /* by node id: this tag's error was printed */
    unsigned errors;
    int depth;             /* partials being rendered */
    bool stop;             /* recursion limit hit: unwind */
} render;

/* Appends output, indenting each line that has content when inside an
 * indented standalone partial. */
static void emit(render *r, const char *s, size_t n)
{
    if (n == 0)
        return;
    if (r->indent.len == 0) {
        text_add(&r->out, s, n);
        r->bol = s[n - 1] == '\n';
        return;
    }
    while (n) {
        if (r->bol && s[0] != '\n')
            text_add(&r->out, r->indent.data, r->indent.len);
        const char *nl = memchr(s, '\n', n);
        size_t k = nl ? (size_t)(nl - s) + 1 : n;
        text_add(&r->out, s, k);
        r->bol = nl != NULL;
        s += k;
        n -= k;
    }
}

static void render_error(render *r, const tmpl *t, const node *nd, const char *fmt, ...)
    __attribute__((format(printf, 4, 5)));

static void render_error(render *r, const tmpl *t, const node *nd, const char *fmt, ...)
{
    r->errors++;
    if (r->reported[nd->id])
        return;
    r->reported[nd->id] = 1;
    char msg[512];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_error(r->d, t->file, nd->mark, "%s", msg);
}

static void push_frame(render *r, frame f)
{
    r->st = grow_array(r->st, &r->st_cap, r->nst + 1, sizeof(frame));
    r->st[r->nst++] = f;
}

/* Resolves nd's name against the context stack, innermost first; dotted
 * names resolve their first part that way and the rest inside it. Special
 * names are built in *tmp. NULL: missing (*outside_list for a special
 * name used outside any list section). */
static const tpl_value *lookup(const render *r, const tmpl *t, const node *nd,
                               tpl_value *tmp, bool *outside_list)
{
    *outside_list = false;
    if (nd->sp != SP_NONE) {
        for (size_t k = r->nst; k-- > 0;) {
            const frame *f = &r->st[k];
            if (!f->item)
                continue;
            memset(tmp, 0, sizeof *tmp);
            if (nd->sp == SP_INDEX) {
                tmp->kind = V_INT;
                tmp->i = (long long)f->index;
            } else {
                tmp->kind = V_BOOL;
                tmp->b = nd->sp == SP_FIRST ? f->index == 0 : f->index + 1 == f->count;
            }
            return tmp;
        }
        *outside_list = true;
        return NULL;
    }
    if (nd->nsegs == 0)
        return r->nst ? r->st[r->nst - 1].v : NULL;
    const seg *sg = &t->segs[nd->seg0];
    for (size_t k = r->nst; k-- > 0;) {
        const tpl_value *v = r->st[k].v;
        if (!v || v->kind != V_MAP)
            continue;
        ptrdiff_t at = map_find(v, sg[0].p, sg[0].n, sg[0].hash);
        if (at < 0)
            continue;
        v = v->map.e[at].val;
        for (size_t j = 1; j < nd->nsegs; j++) {
            if (v->kind != V_MAP)
                return NULL;
            at = map_find(v, sg[j].p, sg[j].n, sg[j].hash);
            if (at < 0)
                return NULL;
            v = v->map.e[at].val;
        }
        return v;
    }
    return NULL;
}

static void render_range(render *r, const tmpl *t, size_t b, size_t e)
{
    for (size_t i = b; i < e && !r->stop; i++) {
        const node *nd = &t->nodes[i];
        tpl_value tmp;
        bool outside;
        const tpl_value *v;
        switch (nd->kind) {
        case N_TEXT:
            emit(r, nd->text, nd->len);
            break;
        case N_VAR:
            v = lookup(r, t, nd, &tmp, &outside);
            if (outside) {
                render_error(r, t, nd, "'%.*s' is only defined inside a list section",
                             SHOW(nd->text, nd->len));
            } else if (!v) {
                render_error(r, t, nd, "unknown variable '%.*s'", SHOW(nd->text, nd->len));
            } else if (v->kind == V_STR) {
                emit(r, v->str.p, v->str.n);
            } else if (v->kind == V_INT) {
                char num[32];
                int k = snprintf(num, sizeof num, "%lld", v->i);
                emit(r, num, (size_t)k);
            } else if (v->kind == V_BOOL) {
                emit(r, v->b ? "true" : "false", v->b ? 4 : 5);
            } else {
                render_error(r, t, nd, "'%.*s' is %s; only strings, integers and booleans can be inserted",
                             SHOW(nd->text, nd->len), kind_name(v->kind));
            }
            break;
        case N_SECTION:
        case N_INVERTED:
            v = lookup(r, t, nd, &tmp, &outside);
            if (outside) {
                render_error(r, t, nd, "'%.*s' is only defined inside a list section",
                             SHOW(nd->text, nd->len));
            } else if (nd->kind == N_INVERTED) {
                if (!truthy(v))
                    render_range(r, t, i + 1, nd->end);
            } else if (v && v->kind == V_LIST) {
                for (size_t k = 0; k < v->list.n && !r->stop; k++) {
                    push_frame(r, (frame){v->list.items[k], true, k, v->list.n});
                    render_range(r, t, i + 1, nd->end);
                    r->nst--;
                }
            } else if (truthy(v) && nd->sp != SP_NONE) {
                /* {{#@first}}: nothing is pushed, {{.}} stays the list item */
                render_range(r, t, i + 1, nd->end);
            } else if (truthy(v)) {
                push_frame(r, (frame){v, false, 0, 0});
                render_range(r, t, i + 1, nd->end);
                r->nst--;
            }
            i = nd->end - 1;
            break;
        case N_PARTIAL: {
            const tmpl *pt = find_template(r->set, nd->text, nd->len);
            if (!pt) {
                render_error(r, t, nd, "no template named '%.*s'", SHOW(nd->text, nd->len));
                break;
            }
            if (r->depth >= TPL_MAX_DEPTH) {
                render_error(r, t, nd, "partial '%.*s' nested more than %d deep (unbounded recursion?)",
                             SHOW(nd->text, nd->len), TPL_MAX_DEPTH);
                r->stop = true;
                break;
            }
            size_t saved = r->indent.len;
            text_add(&r->indent, nd->indent, nd->indent_len);
            r->depth++;
            render_range(r, pt, 0, pt->n);
            r->depth--;
            text_truncate(&r->indent, saved);
            break;
        }
        }
    }
}

char *tpl_render(const tpl_set *s, const char *name, const tpl_value *root,
                 size_t *len, diag *d)
{
    if (len)
        *len = 0;
    const tmpl *t = find_template(s, name, strlen(name));
    if (!t) {
        diag_error(d, "evgen", (src_mark){0, 0}, "no template named '%s'", name);
        return NULL;
    }
    render r;
    memset(&r, 0, sizeof r);
    r.set = s;
    r.d = d;
    r.bol = true;
    r.reported = xcalloc(s->node_total, 1);
    if (root)
        push_frame(&r, (frame){root, false, 0, 0});
    render_range(&r, t, 0, t->n);
    free(r.reported);
    text_free(&r.indent);
    free(r.st);
    if (r.errors) {
        text_free(&r.out);
        return NULL;
    }
    return text_take(&r.out, len);
}
