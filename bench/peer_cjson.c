/* peer_cjson.c - the three benchmark payloads with cJSON (Debian
 * libcjson-dev): cJSON_ParseWithLengthOpts to a DOM, then the shared schema
 * logic of peer_dom.h, then cJSON_Delete.
 *
 * cJSON strings are NUL-terminated without a stored length, so every kept
 * string costs a strlen; member lookup walks a linked list. cJSON does not
 * validate UTF-8 and keeps duplicate keys (lookup returns the first); evgen
 * rejects both (see docs/benchmarks.md).
 *
 * The wire job (wire_dom.h) walks objects member by member with the same
 * adapter. cJSON keeps a key given twice as two list nodes, so that walk
 * rejects a schema key given twice; but it decodes a \u escape whose four
 * characters are not all hex digits as U+0000 instead of failing: the wire
 * bench excuses it from those documents of the invalid corpus, and says so.
 */
#include "bench_structs.h"
#include "wire_structs.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <string.h>

typedef const cJSON *dom_val;
typedef const cJSON *dom_iter;

static dom_val dom_load(const char *json, size_t len)
{
    /* len + 1 takes in the NUL the driver guarantees at json[len]: with
     * require_null_terminated cJSON then rejects anything after the value
     * but whitespace. */
    return cJSON_ParseWithLengthOpts(json, len + 1, NULL, 1);
}

static void dom_free(dom_val doc)
{
    cJSON_Delete((cJSON *)doc);
}

static bool dom_get(dom_val o, const char *key, dom_val *v)
{
    *v = cJSON_GetObjectItemCaseSensitive(o, key);
    return *v != NULL;
}

static bool dom_is_object(dom_val v)
{
    return cJSON_IsObject(v);
}

static bool dom_is_array(dom_val v)
{
    return cJSON_IsArray(v);
}

static bool dom_string(dom_val v, bs_str *out)
{
    if (!cJSON_IsString(v))
        return false;
    out->ptr = v->valuestring;
    out->len = strlen(v->valuestring);
    return true;
}

static bool dom_cstring(dom_val v, const char **s)
{
    if (!cJSON_IsString(v))
        return false;
    *s = v->valuestring;
    return true;
}

static bool dom_bool(dom_val v, bool *out)
{
    if (!cJSON_IsBool(v))
        return false;
    *out = cJSON_IsTrue(v);
    return true;
}

static bool dom_number(dom_val v, double *out)
{
    if (!cJSON_IsNumber(v))
        return false;
    *out = v->valuedouble;
    return true;
}

static size_t dom_array_size(dom_val v)
{
    return (size_t)cJSON_GetArraySize(v);
}

#define DOM_ARRAY_FOREACH(arr, i, e) \
    for ((i) = 0, (e) = (arr)->child; (e) != NULL; (e) = (e)->next, (i)++)

static void dom_iter_begin(dom_val o, dom_iter *it)
{
    *it = o->child;
}

static bool dom_iter_next(dom_iter *it, const char **key, size_t *n, dom_val *v)
{
    if (!*it)
        return false;
    *v = *it;
    *key = (*it)->string;
    *n = strlen(*key);
    *it = (*it)->next;
    return true;
}

#include "peer_dom.h"
#include "wire_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "cJSON %s", cJSON_Version());
    return text;
}

const bs_peer bs_peer_cjson = {"cJSON", DOM_PEER_FUNCTIONS, version};
const bw_peer bw_peer_cjson = {"cJSON", wd_parse, wd_release, version, BW_BLIND_BAD_HEX_ESCAPE};
