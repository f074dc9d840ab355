/* wire_jansson.c - the wire job (wire_structs.h) with jansson (Debian
 * libjansson-dev): json_loadb with JSON_REJECT_DUPLICATES (a key given
 * twice is a parse error, as in evgen), the shared walk of wire_dom.h with
 * json_object_iter (key lengths are stored), json_decref.
 *
 * jansson validates UTF-8 and rejects anything after the root. */
#include "wire_structs.h"

#include <jansson.h>
#include <stdio.h>

typedef const json_t *dom_val;
typedef struct dom_iter {
    json_t *obj;
    void *at;
} dom_iter;

static dom_val dom_load(const char *json, size_t len)
{
    json_error_t error;
    return json_loadb(json, len, JSON_REJECT_DUPLICATES, &error);
}

static void dom_free(dom_val doc)
{
    json_decref((json_t *)doc);
}

static bool dom_is_object(dom_val v)
{
    return json_is_object(v);
}

static bool dom_string(dom_val v, bs_str *out)
{
    if (!json_is_string(v))
        return false;
    out->ptr = json_string_value(v);
    out->len = json_string_length(v);
    return true;
}

static bool dom_bool(dom_val v, bool *out)
{
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

static void dom_iter_begin(dom_val o, dom_iter *it)
{
    it->obj = (json_t *)o;
    it->at = json_object_iter(it->obj);
}

static bool dom_iter_next(dom_iter *it, const char **key, size_t *n, dom_val *v)
{
    if (!it->at)
        return false;
    *key = json_object_iter_key(it->at);
    *n = json_object_iter_key_len(it->at);
    *v = json_object_iter_value(it->at);
    it->at = json_object_iter_next(it->obj, it->at);
    return true;
}

#include "wire_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "jansson %s", jansson_version_str());
    return text;
}

const bw_peer bw_peer_jansson = {"jansson", wd_parse, wd_release, version, 0};
