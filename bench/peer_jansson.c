/* peer_jansson.c - the three benchmark payloads with jansson (Debian
 * libjansson-dev): json_loadb to a DOM with JSON_REJECT_DUPLICATES (evgen
 * rejects duplicate keys too), then the shared schema logic of peer_dom.h,
 * then json_decref.
 *
 * jansson validates UTF-8, rejects trailing data, stores string lengths and
 * hashes object keys. It parses integers as json_int_t (an integer beyond
 * int64 is an error, where evgen's `number` takes any JSON number).
 *
 * The wire job (wire_dom.h) walks objects with json_object_iter, whose key
 * lengths are stored.
 */
#include "bench_structs.h"
#include "wire_structs.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

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

static bool dom_get(dom_val o, const char *key, dom_val *v)
{
    *v = json_object_get(o, key);
    return *v != NULL;
}

static bool dom_is_object(dom_val v)
{
    return json_is_object(v);
}

static bool dom_is_array(dom_val v)
{
    return json_is_array(v);
}

static bool dom_string(dom_val v, bs_str *out)
{
    if (!json_is_string(v))
        return false;
    out->ptr = json_string_value(v);
    out->len = json_string_length(v);
    return true;
}

static bool dom_cstring(dom_val v, const char **s)
{
    if (!json_is_string(v))
        return false;
    *s = json_string_value(v);
    return true;
}

static bool dom_bool(dom_val v, bool *out)
{
    if (!json_is_boolean(v))
        return false;
    *out = json_is_true(v);
    return true;
}

static bool dom_number(dom_val v, double *out)
{
    if (!json_is_number(v))
        return false;
    *out = json_number_value(v);
    return true;
}

static size_t dom_array_size(dom_val v)
{
    return json_array_size(v);
}

#define DOM_ARRAY_FOREACH(arr, i, e) \
    for ((i) = 0; (i) < json_array_size(arr) && ((e) = json_array_get((arr), (i))); (i)++)

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

#include "peer_dom.h"
#include "wire_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "jansson %s", jansson_version_str());
    return text;
}

const bs_peer bs_peer_jansson = {"jansson", DOM_PEER_FUNCTIONS, version};
const bw_peer bw_peer_jansson = {"jansson", wd_parse, wd_release, version, 0};
