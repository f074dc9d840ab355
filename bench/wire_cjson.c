/* wire_cjson.c - the wire job (wire_structs.h) with cJSON (Debian
 * libcjson-dev): cJSON_ParseWithLengthOpts to a DOM (nothing but whitespace
 * may follow the root), the shared walk of wire_dom.h, cJSON_Delete.
 *
 * cJSON keeps a key given twice as two list nodes, so the walk sees and
 * rejects a schema key given twice. It stores no string lengths: every
 * key and kept string costs a strlen. It does not validate UTF-8, and it
 * decodes a \u escape whose four characters are not all hex digits as
 * U+0000 (the string then ends there) instead of failing: this peer is
 * excused from those documents of the invalid corpus, and the bench says so. */
#include "wire_structs.h"

#include <cjson/cJSON.h>
#include <stdio.h>

typedef const cJSON *dom_val;
typedef const cJSON *dom_iter;

static dom_val dom_load(const char *json, size_t len)
{
    /* len + 1 takes in the NUL at json[len]: with require_null_terminated,
     * anything after the root but whitespace is an error. */
    return cJSON_ParseWithLengthOpts(json, len + 1, NULL, 1);
}

static void dom_free(dom_val doc)
{
    cJSON_Delete((cJSON *)doc);
}

static bool dom_is_object(dom_val v)
{
    return cJSON_IsObject(v);
}

static bool dom_string(dom_val v, bs_str *out)
{
    if (!cJSON_IsString(v))
        return false;
    out->ptr = v->valuestring;
    out->len = strlen(v->valuestring);
    return true;
}

static bool dom_bool(dom_val v, bool *out)
{
    if (!cJSON_IsBool(v))
        return false;
    *out = cJSON_IsTrue(v);
    return true;
}

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

#include "wire_dom.h"

static const char *version(void)
{
    static char text[64];
    snprintf(text, sizeof text, "cJSON %s", cJSON_Version());
    return text;
}

const bw_peer bw_peer_cjson = {"cJSON", wd_parse, wd_release, version, BW_BLIND_BAD_HEX_ESCAPE};
