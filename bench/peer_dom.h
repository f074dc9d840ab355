/* peer_dom.h - the schema logic shared by the DOM peers (peer_cjson.c,
 * peer_jansson.c, peer_jsonc.c), so all three validate exactly the same
 * things in the same order. Not a header to include anywhere else: each
 * peer defines these primitives first, then includes this file once.
 *
 *   typedef ... dom_val;                    const handle to a DOM value
 *   dom_val dom_load(json, len)             parse, NULL on any JSON error
 *   void    dom_free(dom_val doc)
 *   bool    dom_get(obj, key, dom_val *v)   member present? (*v may be a null value)
 *   bool    dom_is_object(v), dom_is_array(v)
 *   bool    dom_string(v, bs_str *out)      string? then pointer + length
 *   bool    dom_cstring(v, const char **s)  string? then the NUL-terminated text
 *   bool    dom_bool(v, bool *out), dom_number(v, double *out)
 *   size_t  dom_array_size(arr)
 *   DOM_ARRAY_FOREACH(arr, i, elem)         for each element, i counting from 0
 *
 * Every function returns false as soon as something does not match the
 * schema: a required member missing, a member of the wrong JSON type (null
 * included: no field in these payloads is nullable), an enum value outside
 * its list, a constant that differs. Unknown members are ignored (evgen's
 * default, non-strict mode). */

static bool req_str(dom_val o, const char *key, bs_str *out)
{
    dom_val v;
    return dom_get(o, key, &v) && dom_string(v, out);
}

static bool opt_str(dom_val o, const char *key, bool *has, bs_str *out)
{
    dom_val v;
    if (!dom_get(o, key, &v))
        return true;
    *has = true;
    return dom_string(v, out);
}

static bool req_bool(dom_val o, const char *key, bool *out)
{
    dom_val v;
    return dom_get(o, key, &v) && dom_bool(v, out);
}

static bool opt_bool(dom_val o, const char *key, bool *has, bool *out)
{
    dom_val v;
    if (!dom_get(o, key, &v))
        return true;
    *has = true;
    return dom_bool(v, out);
}

static bool req_num(dom_val o, const char *key, double *out)
{
    dom_val v;
    return dom_get(o, key, &v) && dom_number(v, out);
}

static bool opt_num(dom_val o, const char *key, bool *has, double *out)
{
    dom_val v;
    if (!dom_get(o, key, &v))
        return true;
    *has = true;
    return dom_number(v, out);
}

/* Optional {type: const}: when present it must be this string. */
static bool opt_const(dom_val o, const char *key, const char *value, bool *has)
{
    dom_val v;
    const char *s;
    if (!dom_get(o, key, &v))
        return true;
    *has = true;
    return dom_cstring(v, &s) && strcmp(s, value) == 0;
}

/* Required {type: enum}: index of the value in `values`, or -1. */
static int req_enum(dom_val o, const char *key, const char *const *values, int n)
{
    dom_val v;
    const char *s;
    if (!dom_get(o, key, &v) || !dom_cstring(v, &s))
        return -1;
    for (int i = 0; i < n; i++)
        if (strcmp(s, values[i]) == 0)
            return i;
    return -1;
}

/* Zeroed room for the elements of array `v` in the arena, or NULL (not an
 * array, arena full). An empty array gets a non-NULL dummy. */
static void *array_room(dom_val v, size_t elem, bs_arena *arena, size_t *count)
{
    static char empty;
    if (!dom_is_array(v))
        return NULL;
    *count = dom_array_size(v);
    if (*count == 0)
        return &empty;
    void *room = bs_alloc(arena, *count * elem);
    if (room)
        memset(room, 0, *count * elem);
    return room;
}

static bool finish(dom_val doc, bool ok, void **keep)
{
    if (keep && ok) {
        *keep = (void *)doc;
    } else {
        if (doc)
            dom_free(doc);
        if (keep)
            *keep = NULL;
    }
    return ok;
}

static void release(void *keep)
{
    dom_free((dom_val)keep);
}

/* ------------------------------------------------------------------ payload 1 */

static bool fill_started(dom_val o, bs_started *out)
{
    static const char *const types[] = {"phone", "chat", "email", "sms"};
    static const char *const directions[] = {"inbound", "outbound"};
    if (!dom_is_object(o))
        return false;
    int t = req_enum(o, "interactionType", types, 4);
    int d = req_enum(o, "direction", directions, 2);
    if (t < 0 || d < 0)
        return false;
    out->interactionType = (bs_interaction_type)t;
    out->direction = (bs_direction)d;
    return req_str(o, "interactionId", &out->interactionId)
        && opt_str(o, "callId", &out->has_callId, &out->callId)
        && opt_str(o, "queueId", &out->has_queueId, &out->queueId)
        && opt_str(o, "queueName", &out->has_queueName, &out->queueName)
        && opt_str(o, "customerName", &out->has_customerName, &out->customerName)
        && opt_str(o, "customerPhone", &out->has_customerPhone, &out->customerPhone)
        && opt_str(o, "agentName", &out->has_agentName, &out->agentName)
        && opt_str(o, "agentPhone", &out->has_agentPhone, &out->agentPhone)
        && opt_const(o, "schemaVersion", "1.0.0", &out->has_schemaVersion);
}

static bool parse_started(const char *json, size_t len, void *out, bs_arena *arena,
                          void **keep)
{
    (void)arena;
    memset(out, 0, sizeof(bs_started));
    dom_val doc = dom_load(json, len);
    if (!doc)
        return finish(NULL, false, keep);
    return finish(doc, fill_started(doc, out), keep);
}

/* ------------------------------------------------------------------ payload 2 */

#define OPT_NUM(o, name, out) opt_num(o, #name, &(out)->has_##name, &(out)->name)
#define OPT_STR(o, name, out) opt_str(o, #name, &(out)->has_##name, &(out)->name)
#define OPT_BOOL(o, name, out) opt_bool(o, #name, &(out)->has_##name, &(out)->name)

static bool fill_call_connect(dom_val o, bs_call_connect *out)
{
    if (!dom_is_object(o))
        return false;
#define CALL_FIELD(kind, name)     \
    if (!OPT_##kind(o, name, out)) \
        return false;
    BS_CALL_FIELDS(CALL_FIELD)
#undef CALL_FIELD
    return opt_const(o, "schemaVersion", "1.0.0", &out->has_schemaVersion);
}

static bool parse_call_connect(const char *json, size_t len, void *out, bs_arena *arena,
                               void **keep)
{
    (void)arena;
    memset(out, 0, sizeof(bs_call_connect));
    dom_val doc = dom_load(json, len);
    if (!doc)
        return finish(NULL, false, keep);
    return finish(doc, fill_call_connect(doc, out), keep);
}

/* ------------------------------------------------------------------ payload 3 */

static bool fill_item(dom_val o, bs_wrap_item *it)
{
    return dom_is_object(o)
        && req_str(o, "id", &it->id)
        && req_str(o, "parentId", &it->parentId)
        && req_str(o, "callLineId", &it->callLineId)
        && req_str(o, "dispositionCode", &it->dispositionCode)
        && req_str(o, "menuText", &it->menuText)
        && req_str(o, "ordinate", &it->ordinate)
        && req_str(o, "queueObjId", &it->queueObjId)
        && req_str(o, "reportText", &it->reportText)
        && req_str(o, "shortCodeText", &it->shortCodeText)
        && req_str(o, "shortKeyText", &it->shortKeyText)
        && req_num(o, "callBackTime", &it->callBackTime)
        && opt_str(o, "description", &it->has_description, &it->description);
}

static bool fill_group(dom_val o, bs_wrap_group *g, bs_arena *arena)
{
    dom_val as, list_v, items_v, e;
    size_t n, i;
    if (!dom_is_object(o) || !dom_get(o, "assignments", &as) || !dom_is_object(as)
        || !req_str(as, "type", &g->assignments.type) || !dom_get(as, "list", &list_v))
        return false;
    bs_str *list = array_room(list_v, sizeof *list, arena, &n);
    if (!list)
        return false;
    DOM_ARRAY_FOREACH(list_v, i, e)
        if (!dom_string(e, &list[i]))
            return false;
    g->assignments.list.items = n ? list : NULL;
    g->assignments.list.count = n;

    if (!dom_get(o, "items", &items_v))
        return false;
    bs_wrap_item *its = array_room(items_v, sizeof *its, arena, &n);
    if (!its)
        return false;
    DOM_ARRAY_FOREACH(items_v, i, e)
        if (!fill_item(e, &its[i]))
            return false;
    g->items.items = n ? its : NULL;
    g->items.count = n;

    return opt_str(o, "ani", &g->has_ani, &g->ani)
        && req_bool(o, "autoSort", &g->autoSort)
        && req_str(o, "id", &g->id)
        && req_bool(o, "isAgentDefault", &g->isAgentDefault)
        && req_str(o, "name", &g->name)
        && req_str(o, "primaryLang", &g->primaryLang)
        && req_bool(o, "multiChoice", &g->multiChoice)
        && req_bool(o, "reqBeforeOutbound", &g->reqBeforeOutbound)
        && req_bool(o, "required", &g->required);
}

static bool fill_wrap_up_codes(dom_val o, bs_wrap_up_codes *out, bs_arena *arena)
{
    dom_val codes, e;
    size_t n, i;
    if (!dom_is_object(o) || !req_str(o, "interactionId", &out->interactionId)
        || !dom_get(o, "wrapUpCodes", &codes))
        return false;
    bs_wrap_group *groups = array_room(codes, sizeof *groups, arena, &n);
    if (!groups)
        return false;
    DOM_ARRAY_FOREACH(codes, i, e)
        if (!fill_group(e, &groups[i], arena))
            return false;
    out->wrapUpCodes.items = n ? groups : NULL;
    out->wrapUpCodes.count = n;
    return opt_const(o, "schemaVersion", "1.0.1", &out->has_schemaVersion);
}

static bool parse_wrap_up_codes(const char *json, size_t len, void *out, bs_arena *arena,
                                void **keep)
{
    memset(out, 0, sizeof(bs_wrap_up_codes));
    dom_val doc = dom_load(json, len);
    if (!doc)
        return finish(NULL, false, keep);
    return finish(doc, fill_wrap_up_codes(doc, out, arena), keep);
}

#define DOM_PEER_FUNCTIONS {parse_started, parse_call_connect, parse_wrap_up_codes}, release
