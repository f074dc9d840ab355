/* wire_structs.h - the struct the wire benchmark's peers fill for
 * mashell-voice-phone-completed-cc-event-v1 1.0.0 in the Maestro envelope,
 * the key matchers every peer shares, and the interface wire_bench.c calls
 * the peers through.
 *
 * The job of one parse (docs/benchmarks.md, "Wire path"): parse the
 * document; its root must be an object whose members eventType (== the
 * event name), status (== "success") and data are all present, each once;
 * data must be an object holding every required member of the event once,
 * with the right JSON type: strings eventId, searchContext, startTime,
 * endTime, callDuration, the enum direction (inbound|outbound), the
 * constants eventName "completed", method "mapEvent", media "phone", the
 * boolean hasRecording; optionally the string callRecording, the object
 * additionalData (optional string notes) and the constant schemaVersion
 * "1.0.0". Unknown members are ignored at every level; a schema member given
 * twice is an error (evgen rejects it; so must the peers, where the library
 * lets them see it). Members may come in any order, data before eventType
 * included.
 *
 * The layout mirrors evgen's struct (generated/events.h) flattened: strings
 * are pointer + length, optional members have has_<name>, the enum is its
 * index in catalog order. Constants are checked, not stored. */
#ifndef WIRE_STRUCTS_H
#define WIRE_STRUCTS_H

#include "bench_structs.h" /* bs_str, BS_PADDING */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#ifdef __cplusplus
extern "C" {
#endif

#define BW_EVENT_NAME "mashell-voice-phone-completed-cc-event-v1"

typedef struct bw_completed {
    bs_str eventId;
    int direction;              /* 0 inbound, 1 outbound */
    bs_str searchContext;
    bs_str startTime;
    bs_str endTime;
    bs_str callDuration;
    bool has_callRecording;
    bs_str callRecording;
    bool hasRecording;
    bool has_additionalData;
    bool has_notes;             /* additionalData.notes */
    bs_str notes;
    bool has_schemaVersion;     /* checked == "1.0.0", not stored */
} bw_completed;

/* Members of data, as bits of a "seen" mask. */
enum bw_data_key {
    BW_EVENT_NAME_KEY, BW_EVENT_ID, BW_METHOD, BW_DIRECTION, BW_MEDIA, BW_SEARCH_CONTEXT,
    BW_START_TIME, BW_END_TIME, BW_CALL_DURATION, BW_CALL_RECORDING, BW_HAS_RECORDING,
    BW_ADDITIONAL_DATA, BW_SCHEMA_VERSION
};
#define BW_BIT(k) (1u << (k))
#define BW_DATA_REQUIRED                                                                 \
    (BW_BIT(BW_EVENT_NAME_KEY) | BW_BIT(BW_EVENT_ID) | BW_BIT(BW_METHOD)                 \
     | BW_BIT(BW_DIRECTION) | BW_BIT(BW_MEDIA) | BW_BIT(BW_SEARCH_CONTEXT)               \
     | BW_BIT(BW_START_TIME) | BW_BIT(BW_END_TIME) | BW_BIT(BW_CALL_DURATION)            \
     | BW_BIT(BW_HAS_RECORDING))

/* Members of the envelope. */
enum bw_env_key { BW_ENV_EVENT_TYPE, BW_ENV_STATUS, BW_ENV_DATA };
#define BW_ENV_REQUIRED (BW_BIT(BW_ENV_EVENT_TYPE) | BW_BIT(BW_ENV_STATUS) | BW_BIT(BW_ENV_DATA))

static inline bool bw_is(const char *s, size_t n, const char *lit, size_t litlen)
{
    return n == litlen && memcmp(s, lit, n) == 0;
}
#define BW_IS(s, n, lit) bw_is((s), (n), (lit), sizeof(lit) - 1)

/* The member index of an (unescaped) key of data, or -1 for an unknown key:
 * one switch on the length, then at most three memcmp. Every peer uses it. */
static inline int bw_data_key(const char *k, size_t n)
{
    switch (n) {
    case 5: return BW_IS(k, n, "media") ? BW_MEDIA : -1;
    case 6: return BW_IS(k, n, "method") ? BW_METHOD : -1;
    case 7:
        return BW_IS(k, n, "eventId") ? BW_EVENT_ID : BW_IS(k, n, "endTime") ? BW_END_TIME : -1;
    case 9:
        return BW_IS(k, n, "eventName")   ? BW_EVENT_NAME_KEY
             : BW_IS(k, n, "direction") ? BW_DIRECTION
             : BW_IS(k, n, "startTime") ? BW_START_TIME
                                        : -1;
    case 12:
        return BW_IS(k, n, "callDuration")   ? BW_CALL_DURATION
             : BW_IS(k, n, "hasRecording") ? BW_HAS_RECORDING
                                           : -1;
    case 13:
        return BW_IS(k, n, "searchContext")   ? BW_SEARCH_CONTEXT
             : BW_IS(k, n, "callRecording") ? BW_CALL_RECORDING
             : BW_IS(k, n, "schemaVersion") ? BW_SCHEMA_VERSION
                                            : -1;
    case 14: return BW_IS(k, n, "additionalData") ? BW_ADDITIONAL_DATA : -1;
    default: return -1;
    }
}

static inline int bw_env_key(const char *k, size_t n)
{
    switch (n) {
    case 4: return BW_IS(k, n, "data") ? BW_ENV_DATA : -1;
    case 6: return BW_IS(k, n, "status") ? BW_ENV_STATUS : -1;
    case 9: return BW_IS(k, n, "eventType") ? BW_ENV_EVENT_TYPE : -1;
    default: return -1;
    }
}

/* direction: index in catalog order, or -1. */
static inline int bw_direction(const char *s, size_t n)
{
    return BW_IS(s, n, "inbound") ? 0 : BW_IS(s, n, "outbound") ? 1 : -1;
}

/* One peer. parse() zeroes *out, then does the whole job on json[0..len)
 * (json[len] is NUL, followed by BS_PADDING readable bytes). With keep ==
 * NULL the library's document is freed before returning (the timed path;
 * string views then dangle). Otherwise, on success *keep receives it, to be
 * freed by release() once *out has been read. */
typedef bool (*bw_parse_fn)(const char *json, size_t len, void *out, void **keep);

/* A key given twice: the DOM keeps only the last one (json-c), or the
 * lookup returns the first (simdjson find_field_unordered). */
#define BW_BLIND_DUPLICATES 1u
/* A \u escape whose four characters are not all hex digits: cJSON 1.7.15
 * decodes it as U+0000 (cutting the string short) instead of failing. */
#define BW_BLIND_BAD_HEX_ESCAPE 2u

typedef struct bw_peer {
    const char *name;
    bw_parse_fn parse;
    void (*release)(void *keep);
    const char *(*version)(void);
    /* What the library cannot reject, so neither can its peer (BW_BLIND_*):
     * the peer is excused from those documents of the invalid corpus only,
     * and the bench prints how many of them it accepted. */
    unsigned blind;
} bw_peer;

extern const bw_peer bw_peer_cjson;
extern const bw_peer bw_peer_jansson;
extern const bw_peer bw_peer_jsonc;
extern const bw_peer bw_peer_simdjson;      /* iterates every member */
extern const bw_peer bw_peer_simdjson_ffu;  /* find_field_unordered per member */

#ifdef __cplusplus
}
#endif

#endif /* WIRE_STRUCTS_H */
