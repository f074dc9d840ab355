/* wire_jsonc.c - the wire job (wire_structs.h) with json-c (Debian
 * libjson-c-dev): one reused json_tokener (JSON_TOKENER_STRICT |
 * JSON_TOKENER_VALIDATE_UTF8, only whitespace after the root), the shared
 * walk of wire_dom.h over the object's hash table entries, json_object_put.
 *
 * json-c keeps only the last of a key given twice (its object is a hash
 * table and the parser replaces the value), so no application can reject
 * duplicates with it: this peer is excused from the duplicate-key
 * documents of the invalid corpus, and the bench says so. */
#include "wire_structs.h"

#include <json-c/json.h>
#include <stdio.h>

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

static bool dom_is_object(dom_val v)
{
    return json_object_is_type(v, json_type_object);
}

static bool dom_string(dom_val v, bs_str *out)
{
    if (!json_object_is_type(v, json_type_string))
        return false;
    out->ptr = json_object_get_string((struct json_object *)v);
    out->len = (size_t)json_object_get_string_len(v);
    return true;
}

static bool dom_bool(dom_val v, bool *out)
{
    if (!json_object_is_type(v, json_type_boolean))
        return false;
    *out = json_object_get_boolean(v);
    return true;
}

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

#include "wire_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "json-c %s", json_c_version());
    return text;
}

const bw_peer bw_peer_jsonc = {"json-c", wd_parse, wd_release, version, BW_BLIND_DUPLICATES};
