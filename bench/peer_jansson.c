/* peer_jansson.c - the three benchmark payloads with jansson (Debian
 * libjansson-dev): json_loadb to a DOM with JSON_REJECT_DUPLICATES (evgen
 * rejects duplicate keys too), then the shared schema logic of peer_dom.h,
 * then json_decref.
 *
 * jansson validates UTF-8, rejects trailing data, stores string lengths and
 * hashes object keys. It parses integers as json_int_t (an integer beyond
 * int64 is an error, where evgen's `number` takes any JSON number). */
#include "bench_structs.h"

#include <jansson.h>
#include <stdio.h>
#include <string.h>

typedef const json_t *dom_val;

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

#include "peer_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "jansson %s", jansson_version_str());
    return text;
}

const bs_peer bs_peer_jansson = {"jansson", DOM_PEER_FUNCTIONS, version};
