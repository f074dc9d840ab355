// wire_simdjson.cpp - the wire job (wire_structs.h) with simdjson's
// On-Demand API (Debian libsimdjson-dev), two ways:
//
//  "simdjson"   iterates every member of the envelope, of data and of
//               additionalData once, unescapes its key (field::unescaped_key)
//               and dispatches it through the shared matcher, with a "seen"
//               mask: any member order works, a schema key given twice is
//               rejected, every object is read to its closing brace. This
//               is the peer held to the whole job, the invalid corpus
//               included.
//  "simdj-ffu"  the idiomatic lookup: find_field_unordered per member, in
//               the order of the upstream sample (On-Demand's fast path;
//               any order still works, by rescanning). It cannot see a key
//               given twice (the lookup returns the first), so it is excused
//               from the duplicate-key documents of the invalid corpus, and
//               it compares keys as written (a key spelled with an escape is
//               not found), as simdjson documents for find_field.
//
// Strings are unescaped into the parser's string buffer (valid until the
// next document). One parser is reused, as the simdjson documentation
// recommends; there is nothing to free. Values the job never asks for
// (unknown members) are skipped, not validated, by On-Demand.
#include "wire_structs.h"

#include <simdjson.h>

#include <cstdio>
#include <cstring>
#include <string_view>
#include <utility>

using namespace simdjson;

static_assert(BS_PADDING >= SIMDJSON_PADDING, "inputs need simdjson's padding");

namespace {

ondemand::parser &wire_parser()
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

bool is_const(ondemand::value &v, std::string_view lit)
{
    std::string_view s;
    return !v.get_string().get(s) && s == lit;
}

bool take_direction(ondemand::value &v, int *out)
{
    std::string_view s;
    return !v.get_string().get(s) && (*out = bw_direction(s.data(), s.size())) >= 0;
}

bool open_root(const char *json, size_t len, ondemand::document &doc, ondemand::object &root)
{
    return !wire_parser().iterate(json, len, len + BS_PADDING).get(doc)
        && !doc.get_object().get(root);
}

// ------------------------------------------------------------------ iterate

bool it_additional_data(ondemand::value &v, bw_completed *out)
{
    ondemand::object o;
    if (v.get_object().get(o))
        return false;
    out->has_additionalData = true;
    for (auto f : o) {
        ondemand::field fld;
        std::string_view key;
        if (std::move(f).get(fld) || fld.unescaped_key().get(key))
            return false;
        if (key != "notes")
            continue;
        if (out->has_notes)
            return false;
        out->has_notes = true;
        if (!take_str(fld.value(), &out->notes))
            return false;
    }
    return true;
}

bool it_member(int k, ondemand::value &v, bw_completed *out)
{
    switch (k) {
    case BW_EVENT_NAME_KEY: return is_const(v, "completed");
    case BW_EVENT_ID: return take_str(v, &out->eventId);
    case BW_METHOD: return is_const(v, "mapEvent");
    case BW_DIRECTION: return take_direction(v, &out->direction);
    case BW_MEDIA: return is_const(v, "phone");
    case BW_SEARCH_CONTEXT: return take_str(v, &out->searchContext);
    case BW_START_TIME: return take_str(v, &out->startTime);
    case BW_END_TIME: return take_str(v, &out->endTime);
    case BW_CALL_DURATION: return take_str(v, &out->callDuration);
    case BW_CALL_RECORDING:
        out->has_callRecording = true;
        return take_str(v, &out->callRecording);
    case BW_HAS_RECORDING: return !v.get_bool().get(out->hasRecording);
    case BW_ADDITIONAL_DATA: return it_additional_data(v, out);
    case BW_SCHEMA_VERSION:
        out->has_schemaVersion = true;
        return is_const(v, "1.0.0");
    default: return false;
    }
}

bool it_data(ondemand::value &v, bw_completed *out)
{
    ondemand::object o;
    unsigned seen = 0;
    if (v.get_object().get(o))
        return false;
    for (auto f : o) {
        ondemand::field fld;
        std::string_view key;
        if (std::move(f).get(fld) || fld.unescaped_key().get(key))
            return false;
        int k = bw_data_key(key.data(), key.size());
        if (k < 0)
            continue; // unknown: skipped when the loop moves on
        if (seen & BW_BIT(k))
            return false;
        seen |= BW_BIT(k);
        if (!it_member(k, fld.value(), out))
            return false;
    }
    return (seen & BW_DATA_REQUIRED) == BW_DATA_REQUIRED;
}

bool it_parse(const char *json, size_t len, void *outp, void **keep)
{
    auto *out = static_cast<bw_completed *>(outp);
    std::memset(out, 0, sizeof *out);
    if (keep)
        *keep = nullptr;
    ondemand::document doc;
    ondemand::object root;
    unsigned seen = 0;
    if (!open_root(json, len, doc, root))
        return false;
    for (auto f : root) {
        ondemand::field fld;
        std::string_view key;
        if (std::move(f).get(fld) || fld.unescaped_key().get(key))
            return false;
        int k = bw_env_key(key.data(), key.size());
        if (k < 0)
            continue;
        if (seen & BW_BIT(k))
            return false;
        seen |= BW_BIT(k);
        bool ok = k == BW_ENV_EVENT_TYPE ? is_const(fld.value(), BW_EVENT_NAME)
                : k == BW_ENV_STATUS     ? is_const(fld.value(), "success")
                                         : it_data(fld.value(), out);
        if (!ok)
            return false;
    }
    return seen == BW_ENV_REQUIRED;
}

// ------------------------------------------------------------------ find_field_unordered

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

bool req_const(ondemand::object &o, const char *key, std::string_view lit)
{
    ondemand::value v;
    return lookup(o, key, v) == 1 && is_const(v, lit);
}

bool ffu_data(ondemand::object &o, bw_completed *out)
{
    ondemand::value v;
    int got;
    if (!req_const(o, "eventName", "completed") || !req_str(o, "eventId", &out->eventId)
        || !req_const(o, "method", "mapEvent") || lookup(o, "direction", v) != 1
        || !take_direction(v, &out->direction) || !req_const(o, "media", "phone")
        || !req_str(o, "searchContext", &out->searchContext)
        || !req_str(o, "startTime", &out->startTime) || !req_str(o, "endTime", &out->endTime)
        || !req_str(o, "callDuration", &out->callDuration))
        return false;
    if ((got = lookup(o, "callRecording", v)) < 0)
        return false;
    if (got && !(out->has_callRecording = take_str(v, &out->callRecording)))
        return false;
    if (lookup(o, "hasRecording", v) != 1 || v.get_bool().get(out->hasRecording))
        return false;
    if ((got = lookup(o, "additionalData", v)) < 0)
        return false;
    if (got) {
        ondemand::object ad;
        ondemand::value nv;
        if (v.get_object().get(ad))
            return false;
        out->has_additionalData = true;
        int has = lookup(ad, "notes", nv);
        if (has < 0 || (has && !(out->has_notes = take_str(nv, &out->notes))))
            return false;
    }
    if ((got = lookup(o, "schemaVersion", v)) < 0)
        return false;
    return !got || (out->has_schemaVersion = is_const(v, "1.0.0"));
}

bool ffu_parse(const char *json, size_t len, void *outp, void **keep)
{
    auto *out = static_cast<bw_completed *>(outp);
    std::memset(out, 0, sizeof *out);
    if (keep)
        *keep = nullptr;
    ondemand::document doc;
    ondemand::object root, data;
    ondemand::value v;
    return open_root(json, len, doc, root) && req_const(root, "eventType", BW_EVENT_NAME)
        && req_const(root, "status", "success") && lookup(root, "data", v) == 1
        && !v.get_object().get(data) && ffu_data(data, out);
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

extern "C" const bw_peer bw_peer_simdjson = {"simdjson", it_parse, release, version, 0};
extern "C" const bw_peer bw_peer_simdjson_ffu = {"simdj-ffu", ffu_parse, release, version, BW_BLIND_DUPLICATES};
