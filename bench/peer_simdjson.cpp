// peer_simdjson.cpp - the three benchmark payloads with simdjson's On-Demand
// API (Debian libsimdjson-dev): iterate the padded input in place, look up
// every schema field with find_field_unordered (any member order is
// accepted), check its type, enum or constant, check required presence and
// fill the bench struct. Strings are unescaped into the parser's string
// buffer (valid until the next document); one parser is reused, as the
// simdjson documentation recommends, so there is nothing to free.
//
// Fairness notes (see docs/benchmarks.md): the lookups are written in the
// member order of the upstream samples, which is On-Demand's fast path
// (find_field_unordered resumes where the last lookup stopped). On-Demand
// validates UTF-8 and the structure of the whole document, but values it is
// never asked for (unknown members) are skipped, not fully parsed, and it
// keeps duplicate keys (the lookup returns the first); evgen rejects
// duplicates and validates skipped values. simdjson 3.0.1 has no
// document::at_end(); content after the root object is caught by On-Demand's
// own root check (the last structural character must be the root's '}').
//
// On-Demand's navigation, string and number code is compiled for the
// implementation the compiler flags allow (SIMDJSON_BUILTIN_IMPLEMENTATION:
// "fallback" at plain -O2 on x86-64, "haswell"/"icelake" with -march=native);
// stage 1 (indexing, UTF-8 validation) picks the best kernel at run time.
#include "bench_structs.h"

#include <simdjson.h>

#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

using namespace simdjson;

static_assert(BS_PADDING >= SIMDJSON_PADDING, "inputs need simdjson's padding");

namespace {

ondemand::parser &shared_parser()
{
    static ondemand::parser parser;
    return parser;
}

bool take_str(ondemand::value &v, bs_str *out)
{
    std::string_view s;
    if (v.get_string().get(s))
        return false;
    out->ptr = s.data();
    out->len = s.size();
    return true;
}

bool take_bool(ondemand::value &v, bool *out)
{
    return !v.get_bool().get(*out);
}

bool take_num(ondemand::value &v, double *out)
{
    return !v.get_double().get(*out);
}

// 1 present (in v), 0 absent, -1 error.
int lookup(ondemand::object &o, const char *key, ondemand::value &v)
{
    error_code err = o.find_field_unordered(key).get(v);
    if (err == NO_SUCH_FIELD)
        return 0;
    return err ? -1 : 1;
}

bool req_str(ondemand::object &o, const char *key, bs_str *out)
{
    ondemand::value v;
    return lookup(o, key, v) == 1 && take_str(v, out);
}

bool opt_str(ondemand::object &o, const char *key, bool *has, bs_str *out)
{
    ondemand::value v;
    int got = lookup(o, key, v);
    if (got <= 0)
        return got == 0;
    *has = true;
    return take_str(v, out);
}

bool req_bool(ondemand::object &o, const char *key, bool *out)
{
    ondemand::value v;
    return lookup(o, key, v) == 1 && take_bool(v, out);
}

bool opt_bool(ondemand::object &o, const char *key, bool *has, bool *out)
{
    ondemand::value v;
    int got = lookup(o, key, v);
    if (got <= 0)
        return got == 0;
    *has = true;
    return take_bool(v, out);
}

bool req_num(ondemand::object &o, const char *key, double *out)
{
    ondemand::value v;
    return lookup(o, key, v) == 1 && take_num(v, out);
}

bool opt_num(ondemand::object &o, const char *key, bool *has, double *out)
{
    ondemand::value v;
    int got = lookup(o, key, v);
    if (got <= 0)
        return got == 0;
    *has = true;
    return take_num(v, out);
}

bool opt_const(ondemand::object &o, const char *key, std::string_view value, bool *has)
{
    ondemand::value v;
    std::string_view s;
    int got = lookup(o, key, v);
    if (got <= 0)
        return got == 0;
    *has = true;
    return !v.get_string().get(s) && s == value;
}

int req_enum(ondemand::object &o, const char *key, const std::string_view *values, int n)
{
    ondemand::value v;
    std::string_view s;
    if (lookup(o, key, v) != 1 || v.get_string().get(s))
        return -1;
    for (int i = 0; i < n; i++)
        if (s == values[i])
            return i;
    return -1;
}

// Zeroed room for the elements of array `a` (counted first), or nullptr.
void *array_room(ondemand::array &a, size_t elem, bs_arena *arena, size_t *count)
{
    static char empty;
    if (a.count_elements().get(*count))
        return nullptr;
    if (*count == 0)
        return &empty;
    void *room = bs_alloc(arena, *count * elem);
    if (room)
        std::memset(room, 0, *count * elem);
    return room;
}

// Starts a document: its root must be an object.
bool open_root(const char *json, size_t len, ondemand::document &doc, ondemand::object &root)
{
    return !shared_parser().iterate(json, len, len + BS_PADDING).get(doc)
        && !doc.get_object().get(root);
}

// ------------------------------------------------------------------ payload 1

bool fill_started(ondemand::object &o, bs_started *out)
{
    static const std::string_view types[] = {"phone", "chat", "email", "sms"};
    static const std::string_view directions[] = {"inbound", "outbound"};
    if (!req_str(o, "interactionId", &out->interactionId)
        || !opt_str(o, "callId", &out->has_callId, &out->callId))
        return false;
    int t = req_enum(o, "interactionType", types, 4);
    int d = req_enum(o, "direction", directions, 2);
    if (t < 0 || d < 0)
        return false;
    out->interactionType = static_cast<bs_interaction_type>(t);
    out->direction = static_cast<bs_direction>(d);
    return opt_str(o, "queueId", &out->has_queueId, &out->queueId)
        && opt_str(o, "queueName", &out->has_queueName, &out->queueName)
        && opt_str(o, "customerName", &out->has_customerName, &out->customerName)
        && opt_str(o, "customerPhone", &out->has_customerPhone, &out->customerPhone)
        && opt_str(o, "agentName", &out->has_agentName, &out->agentName)
        && opt_str(o, "agentPhone", &out->has_agentPhone, &out->agentPhone)
        && opt_const(o, "schemaVersion", "1.0.0", &out->has_schemaVersion);
}

bool parse_started(const char *json, size_t len, void *out, bs_arena *, void **keep)
{
    auto *s = static_cast<bs_started *>(out);
    std::memset(s, 0, sizeof *s);
    if (keep)
        *keep = nullptr;
    ondemand::document doc;
    ondemand::object root;
    return open_root(json, len, doc, root) && fill_started(root, s);
}

// ------------------------------------------------------------------ payload 2

#define OPT_NUM(o, name, out) opt_num(o, #name, &(out)->has_##name, &(out)->name)
#define OPT_STR(o, name, out) opt_str(o, #name, &(out)->has_##name, &(out)->name)
#define OPT_BOOL(o, name, out) opt_bool(o, #name, &(out)->has_##name, &(out)->name)

bool fill_call_connect(ondemand::object &o, bs_call_connect *out)
{
#define CALL_FIELD(kind, name)     \
    if (!OPT_##kind(o, name, out)) \
        return false;
    BS_CALL_FIELDS(CALL_FIELD)
#undef CALL_FIELD
    return opt_const(o, "schemaVersion", "1.0.0", &out->has_schemaVersion);
}

bool parse_call_connect(const char *json, size_t len, void *out, bs_arena *, void **keep)
{
    auto *s = static_cast<bs_call_connect *>(out);
    std::memset(s, 0, sizeof *s);
    if (keep)
        *keep = nullptr;
    ondemand::document doc;
    ondemand::object root;
    return open_root(json, len, doc, root) && fill_call_connect(root, s);
}

// ------------------------------------------------------------------ payload 3

bool fill_item(ondemand::object &o, bs_wrap_item *it)
{
    return req_str(o, "callLineId", &it->callLineId)
        && req_str(o, "dispositionCode", &it->dispositionCode)
        && req_str(o, "id", &it->id)
        && req_str(o, "menuText", &it->menuText)
        && req_str(o, "ordinate", &it->ordinate)
        && req_str(o, "parentId", &it->parentId)
        && req_str(o, "queueObjId", &it->queueObjId)
        && req_str(o, "reportText", &it->reportText)
        && req_str(o, "shortCodeText", &it->shortCodeText)
        && req_str(o, "shortKeyText", &it->shortKeyText)
        && req_num(o, "callBackTime", &it->callBackTime)
        && opt_str(o, "description", &it->has_description, &it->description);
}

bool fill_assignments(ondemand::object &o, bs_wrap_assignments *as, bs_arena *arena)
{
    ondemand::value v;
    ondemand::array list;
    size_t n, i = 0;
    if (!req_str(o, "type", &as->type) || lookup(o, "list", v) != 1 || v.get_array().get(list))
        return false;
    auto *items = static_cast<bs_str *>(array_room(list, sizeof(bs_str), arena, &n));
    if (!items)
        return false;
    for (auto e : list) {
        ondemand::value ev;
        if (e.get(ev) || !take_str(ev, &items[i++]))
            return false;
    }
    as->list.items = n ? items : nullptr;
    as->list.count = n;
    return true;
}

bool fill_group(ondemand::object &o, bs_wrap_group *g, bs_arena *arena)
{
    ondemand::value v;
    ondemand::object as;
    ondemand::array items;
    size_t n, i = 0;
    if (!opt_str(o, "ani", &g->has_ani, &g->ani)
        || lookup(o, "assignments", v) != 1 || v.get_object().get(as)
        || !fill_assignments(as, &g->assignments, arena)
        || !req_bool(o, "autoSort", &g->autoSort)
        || !req_str(o, "id", &g->id)
        || !req_bool(o, "isAgentDefault", &g->isAgentDefault)
        || lookup(o, "items", v) != 1 || v.get_array().get(items))
        return false;
    auto *its = static_cast<bs_wrap_item *>(array_room(items, sizeof(bs_wrap_item), arena, &n));
    if (!its)
        return false;
    for (auto e : items) {
        ondemand::object io;
        if (e.get_object().get(io) || !fill_item(io, &its[i++]))
            return false;
    }
    g->items.items = n ? its : nullptr;
    g->items.count = n;
    return req_str(o, "name", &g->name)
        && req_str(o, "primaryLang", &g->primaryLang)
        && req_bool(o, "multiChoice", &g->multiChoice)
        && req_bool(o, "reqBeforeOutbound", &g->reqBeforeOutbound)
        && req_bool(o, "required", &g->required);
}

bool fill_wrap_up_codes(ondemand::object &o, bs_wrap_up_codes *out, bs_arena *arena)
{
    ondemand::value v;
    ondemand::array codes;
    size_t n, i = 0;
    if (!req_str(o, "interactionId", &out->interactionId)
        || lookup(o, "wrapUpCodes", v) != 1 || v.get_array().get(codes))
        return false;
    auto *groups = static_cast<bs_wrap_group *>(array_room(codes, sizeof(bs_wrap_group), arena, &n));
    if (!groups)
        return false;
    for (auto e : codes) {
        ondemand::object go;
        if (e.get_object().get(go) || !fill_group(go, &groups[i++], arena))
            return false;
    }
    out->wrapUpCodes.items = n ? groups : nullptr;
    out->wrapUpCodes.count = n;
    return opt_const(o, "schemaVersion", "1.0.1", &out->has_schemaVersion);
}

bool parse_wrap_up_codes(const char *json, size_t len, void *out, bs_arena *arena, void **keep)
{
    auto *s = static_cast<bs_wrap_up_codes *>(out);
    std::memset(s, 0, sizeof *s);
    if (keep)
        *keep = nullptr;
    ondemand::document doc;
    ondemand::object root;
    return open_root(json, len, doc, root) && fill_wrap_up_codes(root, s, arena);
}


// ================================================================== strict
// "simdjson-strict": the same job written the other way On-Demand allows,
// iterating every member of every object once and dispatching on its
// (unescaped) key through a table. Every object is then read to its closing
// brace (a trailing comma is an error) and a schema key seen twice is
// rejected, as evgen does. Key lookup tries the member after the previous
// match first, then the whole table, so the fast path again favours the
// documented order. Unknown members are still skipped by On-Demand, not
// validated.

enum member_kind { K_STR, K_BOOL, K_NUM, K_CONST, K_ENUM, K_CUSTOM };

constexpr size_t NO_HAS = static_cast<size_t>(-1);

// Fills the member at `at` from `v`.
typedef bool (*custom_fn)(ondemand::value &v, void *at, bs_arena *arena);

struct member {
    std::string_view name;
    member_kind kind;
    bool required;
    size_t has_offset;  // bool has_<name>, or NO_HAS
    size_t offset;      // the value (unused for K_CONST)
    const std::string_view *values; // K_ENUM values, or the K_CONST value
    int nvalues;
    custom_fn custom;
};

bool fill_member(const member &m, ondemand::value &v, char *out, bs_arena *arena)
{
    if (m.has_offset != NO_HAS)
        *reinterpret_cast<bool *>(out + m.has_offset) = true;
    switch (m.kind) {
    case K_STR:
        return take_str(v, reinterpret_cast<bs_str *>(out + m.offset));
    case K_BOOL:
        return take_bool(v, reinterpret_cast<bool *>(out + m.offset));
    case K_NUM:
        return take_num(v, reinterpret_cast<double *>(out + m.offset));
    case K_CONST: {
        std::string_view s;
        return !v.get_string().get(s) && s == m.values[0];
    }
    case K_ENUM: {
        std::string_view s;
        if (v.get_string().get(s))
            return false;
        for (int i = 0; i < m.nvalues; i++) {
            if (s == m.values[i]) {
                std::memcpy(out + m.offset, &i, sizeof i); // the C enum is an int
                return true;
            }
        }
        return false;
    }
    case K_CUSTOM:
        return m.custom(v, out + m.offset, arena);
    }
    return false;
}

// Reads object `o` to its end, filling `out` as the table `ms` (n <= 64) says.
bool fill_object(ondemand::object &o, const member *ms, int n, void *out, bs_arena *arena)
{
    uint64_t seen = 0, required = 0;
    int next = 0;
    for (int i = 0; i < n; i++)
        if (ms[i].required)
            required |= uint64_t{1} << i;
    for (auto f : o) {
        ondemand::field fld;
        std::string_view key;
        if (std::move(f).get(fld) || fld.unescaped_key().get(key))
            return false;
        int found = -1;
        for (int j = 0; j < n; j++) {
            int c = next + j < n ? next + j : next + j - n;
            if (ms[c].name == key) {
                found = c;
                break;
            }
        }
        if (found < 0)
            continue; // unknown member: skipped when the loop moves on
        uint64_t bit = uint64_t{1} << found;
        if (seen & bit)
            return false; // duplicate key
        seen |= bit;
        next = found + 1 < n ? found + 1 : 0;
        if (!fill_member(ms[found], fld.value(), static_cast<char *>(out), arena))
            return false;
    }
    return (seen & required) == required;
}

template <class T, int N>
bool fill_object_t(ondemand::value &v, const member (&ms)[N], T *out, bs_arena *arena)
{
    ondemand::object o;
    return !v.get_object().get(o) && fill_object(o, ms, N, out, arena);
}

#define M_REQ(T, kind, name) {#name, kind, true, NO_HAS, offsetof(T, name), nullptr, 0, nullptr}
#define M_OPT(T, kind, name) \
    {#name, kind, false, offsetof(T, has_##name), offsetof(T, name), nullptr, 0, nullptr}
#define M_CONST(T, value) \
    {"schemaVersion", K_CONST, false, offsetof(T, has_schemaVersion), 0, value, 1, nullptr}
#define M_CUSTOM(T, name, fn) {#name, K_CUSTOM, true, NO_HAS, offsetof(T, name), nullptr, 0, fn}

const std::string_view v100[] = {"1.0.0"};
const std::string_view v101[] = {"1.0.1"};
const std::string_view types[] = {"phone", "chat", "email", "sms"};
const std::string_view directions[] = {"inbound", "outbound"};

const member started_members[] = {
    M_REQ(bs_started, K_STR, interactionId),
    M_OPT(bs_started, K_STR, callId),
    {"interactionType", K_ENUM, true, NO_HAS, offsetof(bs_started, interactionType), types, 4,
     nullptr},
    {"direction", K_ENUM, true, NO_HAS, offsetof(bs_started, direction), directions, 2, nullptr},
    M_OPT(bs_started, K_STR, queueId),
    M_OPT(bs_started, K_STR, queueName),
    M_OPT(bs_started, K_STR, customerName),
    M_OPT(bs_started, K_STR, customerPhone),
    M_OPT(bs_started, K_STR, agentName),
    M_OPT(bs_started, K_STR, agentPhone),
    M_CONST(bs_started, v100),
};

#define K_KIND_NUM K_NUM
#define K_KIND_STR K_STR
#define K_KIND_BOOL K_BOOL
const member call_members[] = {
#define CALL_MEMBER(kind, name) M_OPT(bs_call_connect, K_KIND_##kind, name),
    BS_CALL_FIELDS(CALL_MEMBER)
#undef CALL_MEMBER
    M_CONST(bs_call_connect, v100),
};
static_assert(sizeof call_members / sizeof call_members[0] <= 64, "one seen word");

const member item_members[] = {
    M_REQ(bs_wrap_item, K_STR, callLineId),
    M_REQ(bs_wrap_item, K_STR, dispositionCode),
    M_REQ(bs_wrap_item, K_STR, id),
    M_REQ(bs_wrap_item, K_STR, menuText),
    M_REQ(bs_wrap_item, K_STR, ordinate),
    M_REQ(bs_wrap_item, K_STR, parentId),
    M_REQ(bs_wrap_item, K_STR, queueObjId),
    M_REQ(bs_wrap_item, K_STR, reportText),
    M_REQ(bs_wrap_item, K_STR, shortCodeText),
    M_REQ(bs_wrap_item, K_STR, shortKeyText),
    M_REQ(bs_wrap_item, K_NUM, callBackTime),
    M_OPT(bs_wrap_item, K_STR, description),
};

// An array of T, each element filled by `fill`, stored as {items, count}.
template <class T>
bool fill_array(ondemand::value &v, void *at, bs_arena *arena,
                bool (*fill)(ondemand::value &, T *, bs_arena *))
{
    struct slice {
        const T *items;
        size_t count;
    } *dst = static_cast<slice *>(at);
    ondemand::array a;
    size_t n, i = 0;
    if (v.get_array().get(a))
        return false;
    T *items = static_cast<T *>(array_room(a, sizeof(T), arena, &n));
    if (!items)
        return false;
    for (auto e : a) {
        ondemand::value ev;
        if (e.get(ev) || !fill(ev, &items[i++], arena))
            return false;
    }
    dst->items = n ? items : nullptr;
    dst->count = n;
    return true;
}

bool fill_list_str(ondemand::value &v, bs_str *out, bs_arena *)
{
    return take_str(v, out);
}

bool fill_item_strict(ondemand::value &v, bs_wrap_item *out, bs_arena *arena)
{
    return fill_object_t(v, item_members, out, arena);
}

bool list_fn(ondemand::value &v, void *at, bs_arena *arena)
{
    return fill_array<bs_str>(v, at, arena, fill_list_str);
}

bool items_fn(ondemand::value &v, void *at, bs_arena *arena)
{
    return fill_array<bs_wrap_item>(v, at, arena, fill_item_strict);
}

const member assignments_members[] = {
    M_REQ(bs_wrap_assignments, K_STR, type),
    M_CUSTOM(bs_wrap_assignments, list, list_fn),
};

bool assignments_fn(ondemand::value &v, void *at, bs_arena *arena)
{
    return fill_object_t(v, assignments_members, static_cast<bs_wrap_assignments *>(at), arena);
}

const member group_members[] = {
    M_OPT(bs_wrap_group, K_STR, ani),
    M_CUSTOM(bs_wrap_group, assignments, assignments_fn),
    M_REQ(bs_wrap_group, K_BOOL, autoSort),
    M_REQ(bs_wrap_group, K_STR, id),
    M_REQ(bs_wrap_group, K_BOOL, isAgentDefault),
    M_CUSTOM(bs_wrap_group, items, items_fn),
    M_REQ(bs_wrap_group, K_STR, name),
    M_REQ(bs_wrap_group, K_STR, primaryLang),
    M_REQ(bs_wrap_group, K_BOOL, multiChoice),
    M_REQ(bs_wrap_group, K_BOOL, reqBeforeOutbound),
    M_REQ(bs_wrap_group, K_BOOL, required),
};

bool fill_group_strict(ondemand::value &v, bs_wrap_group *out, bs_arena *arena)
{
    return fill_object_t(v, group_members, out, arena);
}

bool groups_fn(ondemand::value &v, void *at, bs_arena *arena)
{
    return fill_array<bs_wrap_group>(v, at, arena, fill_group_strict);
}

const member wrap_up_codes_members[] = {
    M_REQ(bs_wrap_up_codes, K_STR, interactionId),
    M_CUSTOM(bs_wrap_up_codes, wrapUpCodes, groups_fn),
    M_CONST(bs_wrap_up_codes, v101),
};

template <class T, int N>
bool parse_strict(const char *json, size_t len, void *out, bs_arena *arena, void **keep,
                  const member (&ms)[N])
{
    std::memset(out, 0, sizeof(T));
    if (keep)
        *keep = nullptr;
    ondemand::document doc;
    ondemand::object root;
    return open_root(json, len, doc, root) && fill_object(root, ms, N, out, arena);
}

bool strict_started(const char *json, size_t len, void *out, bs_arena *arena, void **keep)
{
    return parse_strict<bs_started>(json, len, out, arena, keep, started_members);
}

bool strict_call_connect(const char *json, size_t len, void *out, bs_arena *arena, void **keep)
{
    return parse_strict<bs_call_connect>(json, len, out, arena, keep, call_members);
}

bool strict_wrap_up_codes(const char *json, size_t len, void *out, bs_arena *arena, void **keep)
{
    return parse_strict<bs_wrap_up_codes>(json, len, out, arena, keep, wrap_up_codes_members);
}

void release(void *) {}

const char *version()
{
    static char text[128];
    std::snprintf(text, sizeof text, "simdjson %s (stage 1: %s, On-Demand compiled for: %s)",
                  SIMDJSON_STRINGIFY(SIMDJSON_VERSION),
                  simdjson::get_active_implementation()->name().c_str(),
                  SIMDJSON_STRINGIFY(SIMDJSON_BUILTIN_IMPLEMENTATION));
    return text;
}

} // namespace

extern "C" const bs_peer bs_peer_simdjson_strict = {
    "simdj-str",
    {strict_started, strict_call_connect, strict_wrap_up_codes},
    release,
    version,
};

extern "C" const bs_peer bs_peer_simdjson = {
    "simdjson",
    {parse_started, parse_call_connect, parse_wrap_up_codes},
    release,
    version,
};
