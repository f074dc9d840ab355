/* yaml_tree.c - libyaml events -> ynode tree, with every limit enforced as
 * the events arrive so a hostile file costs bounded time and memory. */
#include "yaml_tree.h"

#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <yaml.h>

#include "names.h"

/* MARK: reading the file */

bool ytree_read_file(const char *path, char **bytes, size_t *len, diag *d)
{
    const src_mark none = {0, 0};
    *bytes = NULL;
    *len = 0;
    FILE *f = fopen(path, "rb");
    if (!f) {
        diag_error(d, path, none, "cannot open catalog: %s", strerror(errno));
        return false;
    }
    struct stat st;
    if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) &&
        (uintmax_t)st.st_size > YTREE_MAX_BYTES) {
        diag_error(d, path, none, "catalog is too large (%ju bytes, limit 16 MiB)",
                   (uintmax_t)st.st_size);
        fclose(f);
        return false;
    }
    size_t cap = 64 * 1024, n = 0;
    char *buf = malloc(cap + 1);
    if (!buf) {
        fclose(f);
        diag_error(d, path, none, "out of memory reading the catalog");
        return false;
    }
    for (;;) {
        if (n == cap) {
            if (cap > YTREE_MAX_BYTES) {
                /* Not a regular file (a pipe, say): stop at the limit. */
                diag_error(d, path, none,
                           "catalog is too large (more than %zu bytes, limit 16 MiB)",
                           YTREE_MAX_BYTES);
                free(buf);
                fclose(f);
                return false;
            }
            cap *= 2;
            char *nb = realloc(buf, cap + 1);
            if (!nb) {
                free(buf);
                fclose(f);
                diag_error(d, path, none, "out of memory reading the catalog");
                return false;
            }
            buf = nb;
        }
        size_t got = fread(buf + n, 1, cap - n, f);
        n += got;
        if (got == 0) {
            if (ferror(f)) {
                diag_error(d, path, none, "cannot read catalog: %s", strerror(errno));
                free(buf);
                fclose(f);
                return false;
            }
            break;
        }
    }
    fclose(f);
    if (n > YTREE_MAX_BYTES) {
        diag_error(d, path, none, "catalog is too large (%zu bytes, limit 16 MiB)", n);
        free(buf);
        return false;
    }
    buf[n] = '\0';
    *bytes = buf;
    *len = n;
    return true;
}

/* MARK: positions */

static size_t utf8_len(unsigned char c)
{
    return c < 0x80 ? 1 : c < 0xE0 ? 2 : c < 0xF0 ? 3 : 4;
}

/* U+FEFF in UTF-8. */
static const char utf8_bom[] = "\xEF\xBB\xBF";
#define UTF8_BOM_LEN (sizeof utf8_bom - 1)

/* 1-based line and column (in characters) of a byte offset in the text
 * after any byte order mark (the text libyaml reads, and counts in). */
static src_mark mark_at_offset(const char *b, size_t len, size_t off)
{
    src_mark m = {1, 1};
    if (off > len)
        off = len;
    for (size_t i = 0; i < off;) {
        if (b[i] == '\n') {
            m.line++;
            m.col = 1;
            i++;
        } else {
            m.col++;
            i += utf8_len((unsigned char)b[i]);
        }
    }
    return m;
}

/* The byte libyaml's mark points at (its index counts characters). */
static int char_at_mark(const char *b, size_t len, const yaml_mark_t *mk)
{
    size_t i = 0;
    for (size_t k = 0; k < mk->index && i < len; k++)
        i += utf8_len((unsigned char)b[i]);
    return i < len ? (unsigned char)b[i] : -1;
}

static src_mark mark_of(const yaml_mark_t *mk)
{
    return (src_mark){(unsigned)mk->line + 1, (unsigned)mk->column + 1};
}

/* Strict UTF-8: no overlong forms, no surrogates, nothing above U+10FFFF.
 * Returns the offset of the first bad byte, or len when all is well. */
static size_t utf8_invalid_at(const unsigned char *s, size_t len)
{
    size_t i = 0;
    while (i < len) {
        unsigned c = s[i];
        if (c < 0x80) {
            i++;
            continue;
        }
        size_t n;
        unsigned lo = 0x80, hi = 0xBF;
        if (c >= 0xC2 && c <= 0xDF) {
            n = 2;
        } else if (c >= 0xE0 && c <= 0xEF) {
            n = 3;
            if (c == 0xE0)
                lo = 0xA0;
            else if (c == 0xED)
                hi = 0x9F;
        } else if (c >= 0xF0 && c <= 0xF4) {
            n = 4;
            if (c == 0xF0)
                lo = 0x90;
            else if (c == 0xF4)
                hi = 0x8F;
        } else {
            return i;
        }
        if (len - i < n)
            return i;
        if (s[i + 1] < lo || s[i + 1] > hi)
            return i;
        for (size_t k = 2; k < n; k++)
            if (s[i + k] < 0x80 || s[i + k] > 0xBF)
                return i;
        i += n;
    }
    return len;
}

/* MARK: encodings */

/* The encoding the first bytes announce when it is not UTF-8, or NULL:
 * a UTF-16 or UTF-32 byte order mark, or ASCII padded with NULs, as YAML
 * 1.2 (5.2) detects them. UTF-32's marks start like UTF-16's, so first. */
static const char *other_encoding(const unsigned char *s, size_t len)
{
    if (len >= 4 && s[0] == 0 && s[1] == 0 && s[2] == 0xFE && s[3] == 0xFF)
        return "UTF-32";
    if (len >= 4 && s[0] == 0xFF && s[1] == 0xFE && s[2] == 0 && s[3] == 0)
        return "UTF-32";
    if (len >= 2 && ((s[0] == 0xFE && s[1] == 0xFF) || (s[0] == 0xFF && s[1] == 0xFE)))
        return "UTF-16";
    if (len >= 4 && ((s[0] == 0 && s[1] == 0 && s[2] == 0) || (s[1] == 0 && s[2] == 0 && s[3] == 0)))
        return "UTF-32";
    if (len >= 2 && (s[0] == 0) != (s[1] == 0))
        return "UTF-16";
    return NULL;
}

/* The offset of a U+FEFF in text, or len. (YAML allows a byte order mark
 * only before a document; libyaml skips one at the start of any line but
 * counts it as a column, and keeps one elsewhere as an invisible part of a
 * name: both would give misleading errors.) */
static size_t stray_bom_at(const char *text, size_t len)
{
    for (const char *p = text; (p = memchr(p, utf8_bom[0], len - (size_t)(p - text)));) {
        if ((size_t)(text + len - p) >= UTF8_BOM_LEN && memcmp(p, utf8_bom, UTF8_BOM_LEN) == 0)
            return (size_t)(p - text);
        p++;
    }
    return len;
}

/* Refuses what is not UTF-8 text without a byte order mark inside, each
 * with an error that names the problem. */
static bool check_encoding(const char *path, const char *text, size_t len, const char *encoding,
                           diag *d)
{
    size_t bad = utf8_invalid_at((const unsigned char *)text, len);
    if (bad < len) {
        diag_error(d, path, mark_at_offset(text, len, bad),
                   "invalid UTF-8 (byte 0x%02x); the catalog must be UTF-8 text%s%s%s",
                   (unsigned char)text[bad], encoding ? " (this file looks like " : "",
                   encoding ? encoding : "", encoding ? ")" : "");
        return false;
    }
    if (encoding) {
        /* Valid UTF-8, but NULs where UTF-16 or UTF-32 has them. */
        const char *nul = memchr(text, '\0', len);
        diag_error(d, path, mark_at_offset(text, len, nul ? (size_t)(nul - text) : 0),
                   "NUL byte; the catalog must be UTF-8 text (this file looks like %s)", encoding);
        return false;
    }
    size_t bom = stray_bom_at(text, len);
    if (bom < len) {
        diag_error(d, path, mark_at_offset(text, len, bom),
                   "byte order mark (U+FEFF) after the start of the catalog (in a "
                   "double-quoted string, write it as \\uFEFF)");
        return false;
    }
    return true;
}

/* MARK: building */

typedef struct frame {
    ynode *node;
    size_t start;          /* first child in pending */
} frame;

typedef struct builder {
    const char *path;
    const char *bytes;
    size_t len;
    diag *d;
    model_arena *arena;
    ynode **pending;       /* children of the open containers, innermost last */
    size_t npending, cap;
    frame frames[YTREE_MAX_DEPTH];
    size_t depth;
    size_t nodes;
    ynode *root;
    bool failed;           /* a problem was reported; keep going if possible */
} builder;

static void push_pending(builder *b, ynode *n)
{
    if (b->npending == b->cap) {
        size_t cap = b->cap ? b->cap * 2 : 256;
        ynode **p = realloc(b->pending, cap * sizeof *p);
        if (!p) {
            fputs("evgen: out of memory\n", stderr);
            abort();
        }
        b->pending = p;
        b->cap = cap;
    }
    b->pending[b->npending++] = n;
}

/* A finished node goes to its parent, or becomes the root. */
static void attach(builder *b, ynode *n)
{
    if (b->depth == 0)
        b->root = n;
    else
        push_pending(b, n);
}

static ynode *new_node(builder *b, ynode_kind kind, const yaml_mark_t *mk)
{
    if (b->nodes >= YTREE_MAX_NODES) {
        diag_error(b->d, b->path, mark_of(mk),
                   "catalog has too many YAML nodes (limit %d)", YTREE_MAX_NODES);
        return NULL;
    }
    b->nodes++;
    ynode *n = model_alloc(b->arena, sizeof *n);
    n->kind = kind;
    n->mark = mark_of(mk);
    return n;
}

/* Anchors, aliases and tags are refused, but reading goes on so every one
 * of them is reported. */
static void refuse_extras(builder *b, const yaml_mark_t *mk,
                          const yaml_char_t *anchor, const yaml_char_t *tag)
{
    if (anchor) {
        diag_error(b->d, b->path, mark_of(mk), "anchors and aliases are not supported");
        b->failed = true;
    }
    if (tag) {
        diag_error(b->d, b->path, mark_of(mk), "tags are not supported ('%s')",
                   (const char *)tag);
        b->failed = true;
    }
}

static void close_container(builder *b)
{
    frame *f = &b->frames[--b->depth];
    ynode *n = f->node;
    size_t nk = b->npending - f->start;
    /* No child yet means no pending array yet: no pointer into it. */
    ynode **kids = nk ? b->pending + f->start : NULL;
    if (n->kind == YNODE_SEQUENCE) {
        n->count = nk;
        n->items = model_alloc(b->arena, (nk ? nk : 1) * sizeof *n->items);
        if (nk)
            memcpy(n->items, kids, nk * sizeof *kids);
    } else {
        size_t np = nk / 2;
        n->count = np;
        n->pairs = model_alloc(b->arena, (np ? np : 1) * sizeof *n->pairs);
        const char **keys = malloc((np ? np : 1) * sizeof *keys);
        if (!keys) {
            fputs("evgen: out of memory\n", stderr);
            abort();
        }
        for (size_t i = 0; i < np; i++) {
            ynode *k = kids[2 * i];
            n->pairs[i].key = k;
            n->pairs[i].value = kids[2 * i + 1];
            keys[i] = NULL;
            if (k->kind != YNODE_SCALAR) {
                diag_error(b->d, b->path, k->mark, "mapping keys must be scalars");
                b->failed = true;
            } else {
                keys[i] = k->text;
            }
        }
        size_t *first = names_first_index(keys, np);
        for (size_t i = 0; i < np; i++)
            n->pairs[i].first = first[i];
        free(first);
        free(keys);
    }
    b->npending = f->start;
    attach(b, n);
}

static void report_libyaml(builder *b, const yaml_parser_t *p)
{
    switch (p->error) {
    case YAML_READER_ERROR: {
        src_mark m = mark_at_offset(b->bytes, b->len, p->problem_offset);
        if (p->problem_value >= 0 && strstr(p->problem, "control characters"))
            diag_error(b->d, b->path, m, "control character U+%04X is not allowed",
                       (unsigned)p->problem_value);
        else
            diag_error(b->d, b->path, m, "%s", p->problem);
        return;
    }
    case YAML_SCANNER_ERROR:
    case YAML_PARSER_ERROR: {
        const char *problem = p->problem ? p->problem : "syntax error";
        if (char_at_mark(b->bytes, b->len, &p->problem_mark) == '\t' &&
            strstr(problem, "cannot start any token"))
            problem = "found a tab character that violates indentation";
        if (p->context)
            diag_error(b->d, b->path, mark_of(&p->problem_mark), "%s (%s)",
                       problem, p->context);
        else
            diag_error(b->d, b->path, mark_of(&p->problem_mark), "%s", problem);
        return;
    }
    case YAML_MEMORY_ERROR:
        diag_error(b->d, b->path, (src_mark){0, 0}, "out of memory reading the catalog");
        return;
    default:
        diag_error(b->d, b->path, (src_mark){0, 0}, "cannot parse the catalog: %s",
                   p->problem ? p->problem : "unknown libyaml error");
        return;
    }
}

/* Handles one event. Returns false to stop reading (an error that leaves
 * no sensible way to go on, or the end of the stream). */
static bool on_event(builder *b, const yaml_event_t *e, unsigned *documents)
{
    ynode *n;
    switch (e->type) {
    case YAML_STREAM_START_EVENT:
    case YAML_DOCUMENT_END_EVENT:
    case YAML_NO_EVENT:
        return true;
    case YAML_STREAM_END_EVENT:
        return false;
    case YAML_DOCUMENT_START_EVENT:
        if (++*documents > 1) {
            diag_error(b->d, b->path, mark_of(&e->start_mark),
                       "a catalog is one YAML document, found a second one");
            b->failed = true;
            return false;
        }
        return true;
    case YAML_ALIAS_EVENT:
        diag_error(b->d, b->path, mark_of(&e->start_mark),
                   "anchors and aliases are not supported");
        b->failed = true;
        if (!(n = new_node(b, YNODE_SCALAR, &e->start_mark)))
            return false;
        n->text = "";
        n->plain = true;
        attach(b, n);
        return true;
    case YAML_SCALAR_EVENT: {
        refuse_extras(b, &e->start_mark, e->data.scalar.anchor, e->data.scalar.tag);
        if (!(n = new_node(b, YNODE_SCALAR, &e->start_mark)))
            return false;
        const char *v = (const char *)e->data.scalar.value;
        size_t vl = e->data.scalar.length;
        if (memchr(v, '\0', vl)) {
            diag_error(b->d, b->path, n->mark, "NUL characters are not allowed in strings");
            b->failed = true;
        }
        n->text = model_strndup(b->arena, v, vl);
        n->len = vl;
        n->plain = e->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        attach(b, n);
        return true;
    }
    case YAML_SEQUENCE_START_EVENT:
    case YAML_MAPPING_START_EVENT: {
        bool seq = e->type == YAML_SEQUENCE_START_EVENT;
        if (seq)
            refuse_extras(b, &e->start_mark, e->data.sequence_start.anchor,
                          e->data.sequence_start.tag);
        else
            refuse_extras(b, &e->start_mark, e->data.mapping_start.anchor,
                          e->data.mapping_start.tag);
        if (b->depth == YTREE_MAX_DEPTH) {
            diag_error(b->d, b->path, mark_of(&e->start_mark),
                       "nesting is too deep (limit %d levels)", YTREE_MAX_DEPTH);
            return false;
        }
        if (!(n = new_node(b, seq ? YNODE_SEQUENCE : YNODE_MAPPING, &e->start_mark)))
            return false;
        b->frames[b->depth++] = (frame){n, b->npending};
        return true;
    }
    case YAML_SEQUENCE_END_EVENT:
    case YAML_MAPPING_END_EVENT:
        close_container(b);
        return true;
    }
    return true;
}

bool ytree_parse(ytree *t, const char *path, const char *bytes, size_t len, diag *d)
{
    const src_mark none = {0, 0};
    t->root = NULL;
    if (!t->arena)
        t->arena = model_arena_new();
    if (len > YTREE_MAX_BYTES) {
        diag_error(d, path, none, "catalog is too large (%zu bytes, limit 16 MiB)", len);
        return false;
    }
    /* A UTF-8 byte order mark may start the catalog (YAML 1.2). libyaml
     * would count it as a column of line 1, so it reads the text after it,
     * where line 1, column 1 is the first character after the mark. */
    size_t bom = len >= UTF8_BOM_LEN && memcmp(bytes, utf8_bom, UTF8_BOM_LEN) == 0 ? UTF8_BOM_LEN : 0;
    const char *encoding = bom ? NULL : other_encoding((const unsigned char *)bytes, len);
    bytes += bom;
    len -= bom;
    if (!check_encoding(path, bytes, len, encoding, d))
        return false;

    builder b = {.path = path, .bytes = bytes, .len = len, .d = d, .arena = t->arena};
    yaml_parser_t p;
    if (!yaml_parser_initialize(&p)) {
        diag_error(d, path, none, "out of memory reading the catalog");
        return false;
    }
    yaml_parser_set_input_string(&p, (const unsigned char *)bytes, len);
    yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
    unsigned documents = 0;
    bool ok = true;
    for (;;) {
        yaml_event_t e;
        if (!yaml_parser_parse(&p, &e)) {
            report_libyaml(&b, &p);
            ok = false;
            break;
        }
        bool more = on_event(&b, &e, &documents);
        bool end = e.type == YAML_STREAM_END_EVENT;
        yaml_event_delete(&e);
        if (!more) {
            ok = end;
            break;
        }
    }
    yaml_parser_delete(&p);
    free(b.pending);
    if (!ok || b.failed)
        return false;
    if (!b.root || ynode_is_null(b.root)) {
        diag_error(d, path, none, "catalog is empty");
        return false;
    }
    t->root = b.root;
    return true;
}

void ytree_free(ytree *t)
{
    model_arena_free(t->arena);
    t->arena = NULL;
    t->root = NULL;
}

bool ynode_is_null(const ynode *n)
{
    if (n->kind != YNODE_SCALAR || !n->plain)
        return false;
    return n->len == 0 || strcmp(n->text, "~") == 0 || strcmp(n->text, "null") == 0 ||
           strcmp(n->text, "Null") == 0 || strcmp(n->text, "NULL") == 0;
}
