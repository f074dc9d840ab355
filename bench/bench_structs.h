/* bench_structs.h - the structs the peer parsers (cJSON, jansson, json-c,
 * simdjson) fill for the three benchmark payloads, and the interface the
 * driver (bench.c) calls them through.
 *
 * The layouts mirror what evgen generates in generated/events.h for the
 * same event versions (member names are the JSON keys, strings are pointer
 * + length, optional members have a has_<name> flag, enums are C enums in
 * catalog order, arrays are items + count), so every parser does the same
 * job: parse, validate every field the schema demands, fill the struct.
 * The peers do not include generated/ headers; bench.c compares the values
 * member by member. */
#ifndef BENCH_STRUCTS_H
#define BENCH_STRUCTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* Every input buffer handed to a parser has json[len] == '\0' followed by
 * at least BS_PADDING readable zero bytes (simdjson wants 64). */
#define BS_PADDING 64

typedef struct bs_str {
    const char *ptr;
    size_t len;
} bs_str;

/* Bump arena for the peers' array elements, the counterpart of evg_arena:
 * the driver resets it before every document, no malloc per array. */
typedef struct bs_arena {
    char *base;
    size_t cap;
    size_t used;
} bs_arena;

static inline void *bs_alloc(bs_arena *a, size_t size)
{
    size_t at = (a->used + 15u) & ~(size_t)15u;
    if (size > a->cap || at > a->cap - size)
        return NULL;
    a->used = at + size;
    return a->base + at;
}

/* ------------------------------------------------------------------ payload 1
 * aw-interaction-started-v1 1.0.0 (small flat: 11 string/enum fields). */

typedef enum bs_interaction_type {
    BS_INTERACTION_TYPE_PHONE = 0,
    BS_INTERACTION_TYPE_CHAT = 1,
    BS_INTERACTION_TYPE_EMAIL = 2,
    BS_INTERACTION_TYPE_SMS = 3
} bs_interaction_type;

typedef enum bs_direction {
    BS_DIRECTION_INBOUND = 0,
    BS_DIRECTION_OUTBOUND = 1
} bs_direction;

typedef struct bs_started {
    bs_str interactionId;                /* required */
    bool has_callId;
    bs_str callId;
    bs_interaction_type interactionType; /* required enum phone|chat|email|sms */
    bs_direction direction;              /* required enum inbound|outbound */
    bool has_queueId;
    bs_str queueId;
    bool has_queueName;
    bs_str queueName;
    bool has_customerName;
    bs_str customerName;
    bool has_customerPhone;
    bs_str customerPhone;
    bool has_agentName;
    bs_str agentName;
    bool has_agentPhone;
    bs_str agentPhone;
    bool has_schemaVersion;              /* optional const "1.0.0": checked, not stored */
} bs_started;

/* ------------------------------------------------------------------ payload 2
 * call-manager-call-connect-v1 1.0.0 (wide flat: 46 optional fields of the
 * call-manager-call shape, plus the optional const schemaVersion).
 * X(kind, name) with kind NUM (double), STR (bs_str) or BOOL (bool), in
 * catalog order; every one is optional. */
#define BS_CALL_FIELDS(X)                                                     \
    X(NUM, accumulatedMOSLQ) X(STR, alertInfoType) X(BOOL, allowAdd)           \
    X(BOOL, allowAlternate) X(BOOL, allowAnswer) X(BOOL, allowAnswerConf)      \
    X(BOOL, allowAnswerHold) X(BOOL, allowConf) X(BOOL, allowDropconf)         \
    X(BOOL, allowEnd) X(BOOL, allowHold) X(BOOL, allowJoin)                    \
    X(BOOL, allowMoveToJm) X(BOOL, allowNone) X(BOOL, allowPark)               \
    X(BOOL, allowRecord) X(BOOL, allowReject) X(BOOL, allowRetrieve)           \
    X(BOOL, allowTransfer) X(STR, cSessionId) X(NUM, callHoldTime)             \
    X(STR, callID) X(NUM, callIncomingTime) X(STR, callParkExt)                \
    X(NUM, callStartTime) X(STR, callUserUUID) X(STR, calledDNIS)              \
    X(BOOL, ccCall) X(STR, ccQueueName) X(STR, eCallState) X(BOOL, encrypted)  \
    X(NUM, errorCode) X(BOOL, flipCall) X(STR, groupType) X(BOOL, hdAudio)     \
    X(BOOL, inboundCall) X(STR, initialPhoneNumber)                            \
    X(STR, jitsiMeetingInviteURL) X(STR, name) X(STR, phoneNumber)             \
    X(BOOL, recording) X(BOOL, restoredCall) X(STR, sipCallFromTag)            \
    X(STR, sipCallID) X(STR, sipCallToTag) X(BOOL, vccAgentCall)

#define BS_CTYPE_NUM double
#define BS_CTYPE_STR bs_str
#define BS_CTYPE_BOOL bool

typedef struct bs_call_connect {
#define BS_CALL_MEMBER(kind, name) \
    bool has_##name;               \
    BS_CTYPE_##kind name;
    BS_CALL_FIELDS(BS_CALL_MEMBER)
#undef BS_CALL_MEMBER
    bool has_schemaVersion; /* optional const "1.0.0" */
} bs_call_connect;

/* ------------------------------------------------------------------ payload 3
 * aw-interaction-wrap-up-codes-v1 1.0.1 (nested objects and arrays). */

typedef struct bs_wrap_item {      /* wrap-up-code-item-1-0-1 */
    bs_str id;                     /* every member required but description */
    bs_str parentId;
    bs_str callLineId;
    bs_str dispositionCode;
    bs_str menuText;
    bs_str ordinate;
    bs_str queueObjId;
    bs_str reportText;
    bs_str shortCodeText;
    bs_str shortKeyText;
    double callBackTime;
    bool has_description;
    bs_str description;
} bs_wrap_item;

typedef struct bs_wrap_assignments {
    bs_str type;
    struct {
        const bs_str *items;
        size_t count;
    } list;
} bs_wrap_assignments;

typedef struct bs_wrap_group {     /* wrap-up-code-group-1-0-1 */
    bool has_ani;
    bs_str ani;
    bs_wrap_assignments assignments;
    bool autoSort;
    bs_str id;
    bool isAgentDefault;
    bs_str name;
    bs_str primaryLang;
    bool multiChoice;
    bool reqBeforeOutbound;
    bool required;
    struct {
        const bs_wrap_item *items;
        size_t count;
    } items;
} bs_wrap_group;

typedef struct bs_wrap_up_codes {
    bs_str interactionId;
    struct {
        const bs_wrap_group *items;
        size_t count;
    } wrapUpCodes;
    bool has_schemaVersion; /* optional const "1.0.1" */
} bs_wrap_up_codes;

/* ------------------------------------------------------------------ peers */

enum { BS_STARTED, BS_CALL_CONNECT, BS_WRAP_UP_CODES, BS_PAYLOADS };

/* Parses one document of payload kind `which` into `out` (a bs_started,
 * bs_call_connect or bs_wrap_up_codes; zeroed first), validating it fully.
 * Strings point into the library's document; array elements go into
 * `arena`. With keep == NULL the document is freed before returning (the
 * timed path; the struct's strings then dangle). Otherwise, on success
 * *keep receives the document, to be freed with release() once the struct
 * has been read; on failure *keep is NULL. */
typedef bool (*bs_parse_fn)(const char *json, size_t len, void *out, bs_arena *arena,
                            void **keep);

typedef struct bs_peer {
    const char *name;
    bs_parse_fn parse[BS_PAYLOADS];
    void (*release)(void *keep);
    const char *(*version)(void);   /* library version and build notes */
} bs_peer;

extern const bs_peer bs_peer_cjson;
extern const bs_peer bs_peer_jansson;
extern const bs_peer bs_peer_jsonc;
extern const bs_peer bs_peer_simdjson;        /* find_field_unordered per field */
extern const bs_peer bs_peer_simdjson_strict; /* every member iterated, see the .cpp */

#ifdef __cplusplus
}
#endif

#endif /* BENCH_STRUCTS_H */
