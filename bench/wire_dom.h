/* wire_dom.h - the wire job (wire_structs.h) for the DOM peers
 * (peer_cjson.c, peer_jansson.c, peer_jsonc.c, which also include
 * peer_dom.h for the bare-payload job), written once so all three check
 * exactly the same things in the same order. Not a header to include
 * anywhere else: each peer defines these primitives, then includes this
 * file once.
 *
 *   typedef ... dom_val;                  const handle to a DOM value
 *   dom_val dom_load(json, len)           parse, NULL on any JSON error
 *   void    dom_free(dom_val doc)
 *   bool    dom_is_object(v)
 *   bool    dom_string(v, bs_str *out)    string? then pointer + length
 *   bool    dom_bool(v, bool *out)
 *   typedef ... dom_iter;                 the members of an object, in the
 *   void    dom_iter_begin(obj, &it)      order the library keeps them
 *   bool    dom_iter_next(&it, &key, &keylen, &v)
 *
 * Each object is walked once; each member's key goes through the shared
 * matcher (bw_data_key, bw_env_key), a "seen" mask catches a schema key
 * given twice and the missing required members. Walking the members, not
 * looking each one up, is both the cheapest way for a linked-list DOM
 * (cJSON) and the only way to see a duplicate key in one that keeps them
 * (cJSON again); for jansson (JSON_REJECT_DUPLICATES) and json-c (last
 * one wins) the mask never finds one. */

static bool wd_const(dom_val v, const char *lit, size_t n)
{
    bs_str s;
    return dom_string(v, &s) && bw_is(s.ptr, s.len, lit, n);
}
#define WD_CONST(v, lit) wd_const((v), (lit), sizeof(lit) - 1)

static bool wd_additional_data(dom_val o, bw_completed *out)
{
    dom_iter it;
    const char *key;
    size_t n;
    dom_val v;
    if (!dom_is_object(o))
        return false;
    out->has_additionalData = true;
    dom_iter_begin(o, &it);
    while (dom_iter_next(&it, &key, &n, &v)) {
        if (!BW_IS(key, n, "notes"))
            continue;
        if (out->has_notes)
            return false; /* given twice */
        out->has_notes = true;
        if (!dom_string(v, &out->notes))
            return false;
    }
    return true;
}

static bool wd_member(int k, dom_val v, bw_completed *out)
{
    bs_str s;
    switch (k) {
    case BW_EVENT_NAME_KEY: return WD_CONST(v, "completed");
    case BW_EVENT_ID: return dom_string(v, &out->eventId);
    case BW_METHOD: return WD_CONST(v, "mapEvent");
    case BW_DIRECTION:
        return dom_string(v, &s) && (out->direction = bw_direction(s.ptr, s.len)) >= 0;
    case BW_MEDIA: return WD_CONST(v, "phone");
    case BW_SEARCH_CONTEXT: return dom_string(v, &out->searchContext);
    case BW_START_TIME: return dom_string(v, &out->startTime);
    case BW_END_TIME: return dom_string(v, &out->endTime);
    case BW_CALL_DURATION: return dom_string(v, &out->callDuration);
    case BW_CALL_RECORDING:
        out->has_callRecording = true;
        return dom_string(v, &out->callRecording);
    case BW_HAS_RECORDING: return dom_bool(v, &out->hasRecording);
    case BW_ADDITIONAL_DATA: return wd_additional_data(v, out);
    case BW_SCHEMA_VERSION:
        out->has_schemaVersion = true;
        return WD_CONST(v, "1.0.0");
    default: return false;
    }
}

static bool wd_data(dom_val o, bw_completed *out)
{
    dom_iter it;
    const char *key;
    size_t n;
    dom_val v;
    unsigned seen = 0;
    if (!dom_is_object(o))
        return false;
    dom_iter_begin(o, &it);
    while (dom_iter_next(&it, &key, &n, &v)) {
        int k = bw_data_key(key, n);
        if (k < 0)
            continue; /* unknown: ignored */
        if (seen & BW_BIT(k))
            return false;
        seen |= BW_BIT(k);
        if (!wd_member(k, v, out))
            return false;
    }
    return (seen & BW_DATA_REQUIRED) == BW_DATA_REQUIRED;
}

static bool wd_envelope(dom_val root, bw_completed *out)
{
    dom_iter it;
    const char *key;
    size_t n;
    dom_val v;
    unsigned seen = 0;
    if (!dom_is_object(root))
        return false;
    dom_iter_begin(root, &it);
    while (dom_iter_next(&it, &key, &n, &v)) {
        int k = bw_env_key(key, n);
        if (k < 0)
            continue;
        if (seen & BW_BIT(k))
            return false;
        seen |= BW_BIT(k);
        bool ok = k == BW_ENV_EVENT_TYPE ? WD_CONST(v, BW_EVENT_NAME)
                : k == BW_ENV_STATUS     ? WD_CONST(v, "success")
                                         : wd_data(v, out);
        if (!ok)
            return false;
    }
    return seen == BW_ENV_REQUIRED;
}

static bool wd_parse(const char *json, size_t len, void *out, void **keep)
{
    bw_completed *c = out;
    memset(c, 0, sizeof *c);
    if (keep)
        *keep = NULL;
    dom_val doc = dom_load(json, len);
    if (!doc)
        return false;
    bool ok = wd_envelope(doc, c);
    if (ok && keep)
        *keep = (void *)doc;
    else
        dom_free(doc);
    return ok;
}

static void wd_release(void *keep)
{
    if (keep)
        dom_free((dom_val)keep);
}
