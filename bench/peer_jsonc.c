/* peer_jsonc.c - the three benchmark payloads with json-c (Debian
 * libjson-c-dev): json_tokener_parse_ex to a DOM, then the shared schema
 * logic of peer_dom.h, then json_object_put.
 *
 * The tokener is created once and reset per document (the documented way
 * to parse many documents), with JSON_TOKENER_STRICT (strict JSON) and
 * JSON_TOKENER_VALIDATE_UTF8; after the value only whitespace may follow.
 * json-c has no way to reject duplicate keys (the last one wins); evgen
 * rejects them. A JSON null member is a NULL json_object whose type is
 * json_type_null.
 *
 * The wire job (wire_dom.h) walks the object's hash table entries. json-c
 * keeps only the last of a key given twice (the parser replaces the value),
 * so no application can reject duplicates with it: the wire bench excuses
 * it from the duplicate-key documents of the invalid corpus, and says so.
 */
#include "bench_structs.h"
#include "wire_structs.h"

#include <json-c/json.h>
#include <stdio.h>
#include <string.h>

typedef const struct json_object *dom_val;
typedef struct lh_entry *dom_iter;

static json_tokener *tokener(void)
{
    static json_tokener *tok;
    if (!tok) {
        tok = json_tokener_new();
        json_tokener_set_flags(tok, JSON_TOKENER_STRICT | JSON_TOKENER_VALIDATE_UTF8);
    }
    return tok;
}

static dom_val dom_load(const char *json, size_t len)
{
    json_tokener *tok = tokener();
    if (!tok || len > INT32_MAX)
        return NULL;
    json_tokener_reset(tok);
    struct json_object *doc = json_tokener_parse_ex(tok, json, (int)len);
    if (json_tokener_get_error(tok) != json_tokener_success) {
        json_object_put(doc);
        return NULL;
    }
    /* The tokener stops right after the value: only whitespace may follow. */
    for (size_t i = json_tokener_get_parse_end(tok); i < len; i++) {
        if (json[i] != ' ' && json[i] != '\n' && json[i] != '\r' && json[i] != '\t') {
            json_object_put(doc);
            return NULL;
        }
    }
    return doc;
}

static void dom_free(dom_val doc)
{
    json_object_put((struct json_object *)doc);
}

static bool dom_get(dom_val o, const char *key, dom_val *v)
{
    struct json_object *found = NULL;
    bool present = json_object_object_get_ex(o, key, &found);
    *v = found;
    return present;
}

static bool dom_is_object(dom_val v)
{
    return json_object_is_type(v, json_type_object);
}

static bool dom_is_array(dom_val v)
{
    return json_object_is_type(v, json_type_array);
}

static bool dom_string(dom_val v, bs_str *out)
{
    if (!json_object_is_type(v, json_type_string))
        return false;
    out->ptr = json_object_get_string((struct json_object *)v);
    out->len = (size_t)json_object_get_string_len(v);
    return true;
}

static bool dom_cstring(dom_val v, const char **s)
{
    if (!json_object_is_type(v, json_type_string))
        return false;
    *s = json_object_get_string((struct json_object *)v);
    return true;
}

static bool dom_bool(dom_val v, bool *out)
{
    if (!json_object_is_type(v, json_type_boolean))
        return false;
    *out = json_object_get_boolean(v);
    return true;
}

static bool dom_number(dom_val v, double *out)
{
    if (!json_object_is_type(v, json_type_double) && !json_object_is_type(v, json_type_int))
        return false;
    *out = json_object_get_double(v);
    return true;
}

static size_t dom_array_size(dom_val v)
{
    return json_object_array_length(v);
}

#define DOM_ARRAY_FOREACH(arr, i, e) \
    for ((i) = 0; (i) < json_object_array_length(arr) && ((e) = json_object_array_get_idx((arr), (i)), 1); (i)++)

static void dom_iter_begin(dom_val o, dom_iter *it)
{
    *it = lh_table_head(json_object_get_object(o));
}

static bool dom_iter_next(dom_iter *it, const char **key, size_t *n, dom_val *v)
{
    if (!*it)
        return false;
    *key = (const char *)lh_entry_k(*it);
    *n = strlen(*key);
    *v = (dom_val)lh_entry_v(*it);
    *it = lh_entry_next(*it);
    return true;
}

#include "peer_dom.h"
#include "wire_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "json-c %s", json_c_version());
    return text;
}

const bs_peer bs_peer_jsonc = {"json-c", DOM_PEER_FUNCTIONS, version};
const bw_peer bw_peer_jsonc = {"json-c", wd_parse, wd_release, version, BW_BLIND_DUPLICATES};
