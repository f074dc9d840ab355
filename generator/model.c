/* model.c - the catalog model's arena, enum names and lookups. */
#include "model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* MARK: names */

const char *prop_kind_name(prop_kind k)
{
    switch (k) {
    case PROP_STRING: return "string";
    case PROP_BOOLEAN: return "boolean";
    case PROP_INTEGER: return "integer";
    case PROP_NUMBER: return "number";
    case PROP_CONST: return "const";
    case PROP_ENUM: return "enum";
    case PROP_OBJECT: return "object";
    case PROP_ARRAY: return "array";
    case PROP_ANY: return "any";
    case PROP_MAP: return "map";
    case PROP_SHAPE_REF: return "shape";
    }
    return "?";
}

const char *direction_name(direction d)
{
    switch (d) {
    case DIRECTION_RECEIVED: return "received";
    case DIRECTION_SEND: return "send";
    }
    return "?";
}

const char *role_name(member_role r)
{
    switch (r) {
    case ROLE_OBJECT: return "object";
    case ROLE_CONST: return "const";
    case ROLE_NAME: return "name";
    case ROLE_VERSION: return "version";
    case ROLE_PAYLOAD: return "payload";
    }
    return "?";
}

const char *status_name(version_status s)
{
    switch (s) {
    case STATUS_ACTIVE: return "active";
    case STATUS_DEPRECATED: return "deprecated";
    case STATUS_SUNSET: return "sunset";
    }
    return "?";
}

/* MARK: arena
 * A list of chunks; small allocations are carved from the newest chunk,
 * large ones get a chunk of their own. Everything is freed at once. */

typedef struct arena_chunk {
    struct arena_chunk *next;
    size_t size, used;
    max_align_t data[];
} arena_chunk;

struct model_arena {
    arena_chunk *head;
};

enum { ARENA_CHUNK = 64 * 1024 };

static _Noreturn void out_of_memory(void)
{
    fputs("evgen: out of memory\n", stderr);
    abort();
}

model_arena *model_arena_new(void)
{
    model_arena *a = calloc(1, sizeof *a);
    if (!a)
        out_of_memory();
    return a;
}

static arena_chunk *chunk_new(size_t size)
{
    if (size > SIZE_MAX - sizeof(arena_chunk))
        out_of_memory();
    arena_chunk *c = calloc(1, sizeof *c + size);
    if (!c)
        out_of_memory();
    c->size = size;
    return c;
}

void *model_alloc(model_arena *a, size_t size)
{
    const size_t align = sizeof(max_align_t);
    if (size > SIZE_MAX - align)
        out_of_memory();
    size = (size + align - 1) / align * align;
    if (size == 0)
        size = align;
    arena_chunk *c = a->head;
    if (size > ARENA_CHUNK / 4) {
        /* Large: its own chunk, linked behind the current one so the
         * current chunk's free space stays usable. */
        arena_chunk *big = chunk_new(size);
        big->used = size;
        if (c) {
            big->next = c->next;
            c->next = big;
        } else {
            a->head = big;
        }
        return big->data;
    }
    if (!c || c->size - c->used < size) {
        c = chunk_new(ARENA_CHUNK);
        c->next = a->head;
        a->head = c;
    }
    void *p = (char *)c->data + c->used;
    c->used += size;
    return p; /* calloc'ed, so zeroed */
}

char *model_strndup(model_arena *a, const char *s, size_t n)
{
    if (n == SIZE_MAX)
        out_of_memory();
    char *p = model_alloc(a, n + 1);
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

char *model_strdup(model_arena *a, const char *s)
{
    return model_strndup(a, s, strlen(s));
}

void model_arena_free(model_arena *a)
{
    if (!a)
        return;
    arena_chunk *c = a->head;
    while (c) {
        arena_chunk *next = c->next;
        free(c);
        c = next;
    }
    free(a);
}

/* MARK: lookups */

shape *catalog_find_shape(const catalog *c, const char *name)
{
    for (size_t i = 0; i < c->shape_count; i++)
        if (strcmp(c->shapes[i]->name, name) == 0)
            return c->shapes[i];
    return NULL;
}

wire *catalog_find_wire(const catalog *c, const char *name)
{
    for (size_t i = 0; i < c->wire_count; i++)
        if (strcmp(c->wires[i]->name, name) == 0)
            return c->wires[i];
    return NULL;
}

void catalog_free(catalog *c)
{
    if (!c)
        return;
    model_arena *a = c->arena;
    /* The catalog itself lives in its arena (catalog_load puts it there),
     * unless a caller built one by hand; both are fine. */
    c->arena = NULL;
    model_arena_free(a);
}
