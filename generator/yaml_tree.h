/* yaml_tree.h - a YAML file as a small generic tree (scalars, sequences,
 * mappings), every node with its source position.
 *
 * The tree is built with libyaml's event API and is the only place evgen
 * talks to libyaml. It refuses what the catalog language leaves out and
 * what a hostile file could use to exhaust time or memory:
 *   - input that is not UTF-8, or larger than YTREE_MAX_BYTES;
 *   - anchors, aliases and tags;
 *   - more than one document; no document at all ("catalog is empty");
 *   - nesting deeper than YTREE_MAX_DEPTH, more than YTREE_MAX_NODES nodes;
 *   - mapping keys that are not scalars, NUL characters in scalars.
 * Duplicate mapping keys are kept (so the loader can name them in context),
 * each pair recording where its key first appeared. */
#ifndef EVGEN_YAML_TREE_H
#define EVGEN_YAML_TREE_H

#include <stdbool.h>
#include <stddef.h>

#include "diag.h"
#include "model.h"

#define YTREE_MAX_BYTES ((size_t)16 * 1024 * 1024)
#define YTREE_MAX_DEPTH 64
#define YTREE_MAX_NODES 1000000

typedef enum ynode_kind {
    YNODE_SCALAR,
    YNODE_SEQUENCE,
    YNODE_MAPPING,
} ynode_kind;

typedef struct ynode ynode;

typedef struct ypair {
    ynode *key;            /* always a scalar */
    ynode *value;
    size_t first;          /* index of the first pair with an equal key;
                            * its own index when the key is not a duplicate */
} ypair;

struct ynode {
    ynode_kind kind;
    src_mark mark;         /* where the node starts */
    /* YNODE_SCALAR */
    const char *text;      /* NUL-terminated, holds no NUL */
    size_t len;
    bool plain;            /* unquoted: only then are null, ~ and true keywords */
    /* YNODE_SEQUENCE */
    ynode **items;
    /* YNODE_MAPPING, in file order */
    ypair *pairs;
    size_t count;          /* number of items or pairs */
};

typedef struct ytree {
    ynode *root;           /* NULL until ytree_parse succeeds */
    model_arena *arena;    /* owns every node and string */
} ytree;

/* Reads a whole file into a malloc'ed, NUL-terminated buffer, refusing
 * files over YTREE_MAX_BYTES without reading them. Reports through d and
 * returns false on failure. */
bool ytree_read_file(const char *path, char **bytes, size_t *len, diag *d);

/* Parses bytes[0..len) (named `path` in messages) into t. On failure
 * reports every problem found, leaves t->root NULL and returns false; call
 * ytree_free either way. */
bool ytree_parse(ytree *t, const char *path, const char *bytes, size_t len, diag *d);

void ytree_free(ytree *t);

/* True for a plain scalar spelling null: "", "~", "null", "Null", "NULL". */
bool ynode_is_null(const ynode *n);

#endif
