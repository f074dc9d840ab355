/* bench.c - `make bench`: parses the same event payloads with evgen's
 * generated parsers and with cJSON, jansson, json-c and simdjson doing the
 * same job (parse, validate every field the schema demands, fill an
 * equivalent struct), and prints ns/doc, MB/s and the per-round ratio
 * peer/evgen. See docs/benchmarks.md for the method and fairness rules.
 *
 *   build/bench/bench [--reps N] [--batch-ms MS]
 *       validate every parser, then time them (the default)
 *   build/bench/bench --callgrind PARSER PAYLOAD N
 *       validate, then parse the minified PAYLOAD (1-3) N times with PARSER
 *       inside cg_batch(), for valgrind --toggle-collect=cg_batch
 *
 * Before anything is timed, every parser must produce the same values as
 * evgen for the sample and for variants that must be accepted (pretty form,
 * escapes, member order, unknown members, other number spellings), and must
 * reject variants the schema forbids (enum "sideways", missing required
 * members, wrong types, null, wrong constants, truncation); otherwise the
 * bench aborts. No timing is asserted anywhere. */
#include "bench_structs.h"
#include "events.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#define ARENA_BYTES (1u << 16)
#define MAX_PARSERS 6
#define MAX_REPS 1001

/* ------------------------------------------------------------------ inputs */

typedef struct input {
    char *buf;   /* NUL at buf[len], then BS_PADDING zero bytes */
    size_t len;
} input;

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "bench: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static input make_input(const char *text, size_t len)
{
    size_t cap = (len + 1 + BS_PADDING + 63) & ~(size_t)63;
    input in = {aligned_alloc(64, cap), len};
    if (!in.buf)
        die("%s", "out of memory");
    memset(in.buf, 0, cap);
    memcpy(in.buf, text, len);
    return in;
}

static input read_input(const char *path)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s (run from the repository root)", path);
    char *text = NULL;
    size_t len = 0, cap = 0, n;
    do {
        if (len + 4096 > cap) {
            cap = cap ? cap * 2 : 8192;
            if (!(text = realloc(text, cap)))
                die("%s", "out of memory");
        }
        n = fread(text + len, 1, cap - len, f);
        len += n;
    } while (n > 0);
    if (ferror(f))
        die("cannot read %s", path);
    fclose(f);
    input in = make_input(text, len);
    free(text);
    return in;
}

/* Compact JSON: drops whitespace outside strings. */
static input minify(const input *src)
{
    char *out = malloc(src->len + 1);
    size_t n = 0;
    bool in_string = false;
    if (!out)
        die("%s", "out of memory");
    for (size_t i = 0; i < src->len; i++) {
        char c = src->buf[i];
        if (in_string) {
            out[n++] = c;
            if (c == '\\' && i + 1 < src->len)
                out[n++] = src->buf[++i];
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
            out[n++] = c;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            out[n++] = c;
        }
    }
    input in = make_input(out, n);
    free(out);
    return in;
}

/* `src` with the first occurrence of `from` replaced by `to`; aborts when
 * `from` is not there (a sample changed under the bench). */
static input replaced(const input *src, const char *from, const char *to)
{
    const char *at = strstr(src->buf, from);
    if (!at)
        die("variant pattern not found in the sample: %s", from);
    size_t head = (size_t)(at - src->buf), nf = strlen(from), nt = strlen(to);
    size_t len = src->len - nf + nt;
    char *text = malloc(len + 1);
    if (!text)
        die("%s", "out of memory");
    memcpy(text, src->buf, head);
    memcpy(text + head, to, nt);
    memcpy(text + head + nt, at + nf, src->len - head - nf);
    input in = make_input(text, len);
    free(text);
    return in;
}

/* `src` between `before` and `after`. */
static input wrapped(const input *src, const char *before, const char *after)
{
    size_t nb = strlen(before), na = strlen(after);
    char *text = malloc(nb + src->len + na);
    if (!text)
        die("%s", "out of memory");
    memcpy(text, before, nb);
    memcpy(text + nb, src->buf, src->len);
    memcpy(text + nb + src->len, after, na);
    input in = make_input(text, nb + src->len + na);
    free(text);
    return in;
}

static input replaced2(const input *src, const char *from1, const char *to1, const char *from2,
                       const char *to2)
{
    input tmp = replaced(src, from1, to1);
    input in = replaced(&tmp, from2, to2);
    free(tmp.buf);
    return in;
}

/* ------------------------------------------------------------------ evgen */

typedef ev_aw_interaction_started_v1_1_0_0 ev_started;
typedef ev_call_manager_call_connect_v1_1_0_0 ev_call_connect;
typedef ev_aw_interaction_wrap_up_codes_v1_1_0_1 ev_wrap_up_codes;

static evg_arena evgen_arena;
static char evgen_arena_buf[ARENA_BYTES];
static evg_error evgen_err;

static bool evgen_parse(int which, const char *json, size_t len, void *out, evg_arena *arena)
{
    switch (which) {
    case BS_STARTED:
        return ev_aw_interaction_started_v1_1_0_0_parse(json, len, out, arena, 0, &evgen_err);
    case BS_CALL_CONNECT:
        return ev_call_manager_call_connect_v1_1_0_0_parse(json, len, out, arena, 0, &evgen_err);
    default:
        return ev_aw_interaction_wrap_up_codes_v1_1_0_1_parse(json, len, out, arena, 0,
                                                              &evgen_err);
    }
}

/* Same signature as the peers; the bs_arena is unused: evgen has its own,
 * reset here as the driver resets the peers' before every document.
 * evgen_parse is inlined with a constant `which`, so no switch remains. */
#define EVGEN_WRAPPER(fn, which)                                                \
    static bool fn(const char *json, size_t len, void *out, bs_arena *a, void **keep) \
    {                                                                           \
        (void)a;                                                                \
        if (keep)                                                               \
            *keep = NULL;                                                       \
        evg_arena_reset(&evgen_arena);                                          \
        return evgen_parse(which, json, len, out, &evgen_arena);                \
    }
EVGEN_WRAPPER(evgen_started, BS_STARTED)
EVGEN_WRAPPER(evgen_call_connect, BS_CALL_CONNECT)
EVGEN_WRAPPER(evgen_wrap_up_codes, BS_WRAP_UP_CODES)

static void evgen_release(void *keep)
{
    (void)keep;
}

static const char *evgen_version(void)
{
    return "evgen (generated/, compiled with the bench flags)";
}

static const bs_peer evgen_parser = {
    "evgen",
    {evgen_started, evgen_call_connect, evgen_wrap_up_codes},
    evgen_release,
    evgen_version,
};

static const bs_peer *const parsers[MAX_PARSERS] = {
    &evgen_parser, &bs_peer_cjson,    &bs_peer_jansson,
    &bs_peer_jsonc, &bs_peer_simdjson, &bs_peer_simdjson_strict,
};

/* ------------------------------------------------------------------ values
 * evgen's structs are converted member by member into the bench structs
 * (so a member missing on either side fails to compile), then all results
 * are compared as bench structs. Converted strings still point into the
 * evgen input or arena. */

static bs_str S(evg_str s)
{
    bs_str r = {s.ptr, s.len};
    return r;
}

static void from_evgen_started(const ev_started *e, bs_started *b)
{
    memset(b, 0, sizeof *b);
    b->interactionId = S(e->interactionId);
    b->has_callId = e->has_callId;
    b->callId = S(e->callId);
    b->interactionType = (bs_interaction_type)e->interactionType;
    b->direction = (bs_direction)e->direction;
    b->has_queueId = e->has_queueId;
    b->queueId = S(e->queueId);
    b->has_queueName = e->has_queueName;
    b->queueName = S(e->queueName);
    b->has_customerName = e->has_customerName;
    b->customerName = S(e->customerName);
    b->has_customerPhone = e->has_customerPhone;
    b->customerPhone = S(e->customerPhone);
    b->has_agentName = e->has_agentName;
    b->agentName = S(e->agentName);
    b->has_agentPhone = e->has_agentPhone;
    b->agentPhone = S(e->agentPhone);
    b->has_schemaVersion = e->has_schemaVersion;
}

#define CONV_NUM(x) (x)
#define CONV_BOOL(x) (x)
#define CONV_STR(x) S(x)

static void from_evgen_call_connect(const ev_call_connect *e, bs_call_connect *b)
{
    memset(b, 0, sizeof *b);
#define CONV_FIELD(kind, name)           \
    b->has_##name = e->call_manager_call.has_##name;       \
    b->name = CONV_##kind(e->call_manager_call.name);
    BS_CALL_FIELDS(CONV_FIELD)
#undef CONV_FIELD
    b->has_schemaVersion = e->has_schemaVersion;
}

static void *arena_array(bs_arena *a, size_t count, size_t size)
{
    void *p = count ? bs_alloc(a, count * size) : NULL;
    if (count && !p)
        die("%s", "conversion arena full");
    if (p)
        memset(p, 0, count * size);
    return p;
}

/* Nested evgen types are reached through members only, so this code does
 * not depend on how evgen names them. */
static void from_evgen_wrap_up_codes(const ev_wrap_up_codes *e, bs_wrap_up_codes *b,
                                     bs_arena *a)
{
    memset(b, 0, sizeof *b);
    b->interactionId = S(e->interactionId);
    b->has_schemaVersion = e->has_schemaVersion;
    size_t ng = e->wrapUpCodes.count;
    bs_wrap_group *groups = arena_array(a, ng, sizeof *groups);
    for (size_t i = 0; i < ng; i++) {
#define EG (e->wrapUpCodes.items[i].wrap_up_code_group_base)
#define EGI (e->wrapUpCodes.items[i])
        bs_wrap_group *g = &groups[i];
        g->has_ani = EG.has_ani;
        g->ani = S(EG.ani);
        g->assignments.type = S(EG.assignments.type);
        size_t nl = EG.assignments.list.count;
        bs_str *list = arena_array(a, nl, sizeof *list);
        for (size_t j = 0; j < nl; j++)
            list[j] = S(EG.assignments.list.items[j]);
        g->assignments.list.items = list;
        g->assignments.list.count = nl;
        g->autoSort = EG.autoSort;
        g->id = S(EG.id);
        g->isAgentDefault = EG.isAgentDefault;
        g->name = S(EG.name);
        g->primaryLang = S(EG.primaryLang);
        g->multiChoice = EG.multiChoice;
        g->reqBeforeOutbound = EG.reqBeforeOutbound;
        g->required = EG.required;
        size_t ni = EGI.items.count;
        bs_wrap_item *items = arena_array(a, ni, sizeof *items);
        for (size_t j = 0; j < ni; j++) {
#define EI (EGI.items.items[j].wrap_up_code_item)
#define EIR (EGI.items.items[j].wrap_up_code_item.wrap_up_code_ref)
#define EID (EGI.items.items[j])
            bs_wrap_item *it = &items[j];
            it->id = S(EIR.id);
            it->parentId = S(EIR.parentId);
            it->callLineId = S(EI.callLineId);
            it->dispositionCode = S(EI.dispositionCode);
            it->menuText = S(EI.menuText);
            it->ordinate = S(EI.ordinate);
            it->queueObjId = S(EI.queueObjId);
            it->reportText = S(EI.reportText);
            it->shortCodeText = S(EI.shortCodeText);
            it->shortKeyText = S(EI.shortKeyText);
            it->callBackTime = EI.callBackTime;
            it->has_description = EID.has_description;
            it->description = S(EID.description);
#undef EI
#undef EIR
#undef EID
        }
        g->items.items = items;
        g->items.count = ni;
#undef EG
#undef EGI
    }
    b->wrapUpCodes.items = groups;
    b->wrapUpCodes.count = ng;
}

/* Equality: strings by content (a string that is absent compares equal
 * whatever its pointer), everything else by value. */
static bool str_eq(bs_str a, bs_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

#define OPT_EQ(a, b, name, eq) \
    ((a)->has_##name == (b)->has_##name && (!(a)->has_##name || eq((a)->name, (b)->name)))
#define VAL_EQ(x, y) ((x) == (y))

static bool eq_started(const bs_started *a, const bs_started *b)
{
    return str_eq(a->interactionId, b->interactionId)
        && OPT_EQ(a, b, callId, str_eq)
        && a->interactionType == b->interactionType
        && a->direction == b->direction
        && OPT_EQ(a, b, queueId, str_eq)
        && OPT_EQ(a, b, queueName, str_eq)
        && OPT_EQ(a, b, customerName, str_eq)
        && OPT_EQ(a, b, customerPhone, str_eq)
        && OPT_EQ(a, b, agentName, str_eq)
        && OPT_EQ(a, b, agentPhone, str_eq)
        && a->has_schemaVersion == b->has_schemaVersion;
}

#define EQ_NUM VAL_EQ
#define EQ_BOOL VAL_EQ
#define EQ_STR str_eq

static bool eq_call_connect(const bs_call_connect *a, const bs_call_connect *b)
{
#define EQ_FIELD(kind, name)                  \
    if (!OPT_EQ(a, b, name, EQ_##kind))      \
        return false;
    BS_CALL_FIELDS(EQ_FIELD)
#undef EQ_FIELD
    return a->has_schemaVersion == b->has_schemaVersion;
}

static bool eq_item(const bs_wrap_item *a, const bs_wrap_item *b)
{
    return str_eq(a->id, b->id) && str_eq(a->parentId, b->parentId)
        && str_eq(a->callLineId, b->callLineId)
        && str_eq(a->dispositionCode, b->dispositionCode)
        && str_eq(a->menuText, b->menuText) && str_eq(a->ordinate, b->ordinate)
        && str_eq(a->queueObjId, b->queueObjId) && str_eq(a->reportText, b->reportText)
        && str_eq(a->shortCodeText, b->shortCodeText)
        && str_eq(a->shortKeyText, b->shortKeyText)
        && a->callBackTime == b->callBackTime
        && OPT_EQ(a, b, description, str_eq);
}

static bool eq_group(const bs_wrap_group *a, const bs_wrap_group *b)
{
    if (!OPT_EQ(a, b, ani, str_eq) || !str_eq(a->assignments.type, b->assignments.type)
        || a->assignments.list.count != b->assignments.list.count
        || a->autoSort != b->autoSort || !str_eq(a->id, b->id)
        || a->isAgentDefault != b->isAgentDefault || !str_eq(a->name, b->name)
        || !str_eq(a->primaryLang, b->primaryLang) || a->multiChoice != b->multiChoice
        || a->reqBeforeOutbound != b->reqBeforeOutbound || a->required != b->required
        || a->items.count != b->items.count)
        return false;
    for (size_t i = 0; i < a->assignments.list.count; i++)
        if (!str_eq(a->assignments.list.items[i], b->assignments.list.items[i]))
            return false;
    for (size_t i = 0; i < a->items.count; i++)
        if (!eq_item(&a->items.items[i], &b->items.items[i]))
            return false;
    return true;
}

static bool eq_wrap_up_codes(const bs_wrap_up_codes *a, const bs_wrap_up_codes *b)
{
    if (!str_eq(a->interactionId, b->interactionId)
        || a->has_schemaVersion != b->has_schemaVersion
        || a->wrapUpCodes.count != b->wrapUpCodes.count)
        return false;
    for (size_t i = 0; i < a->wrapUpCodes.count; i++)
        if (!eq_group(&a->wrapUpCodes.items[i], &b->wrapUpCodes.items[i]))
            return false;
    return true;
}

/* ------------------------------------------------------------------ payloads */

typedef union any_out {
    ev_started ev_started;
    ev_call_connect ev_call_connect;
    ev_wrap_up_codes ev_wrap_up_codes;
    bs_started started;
    bs_call_connect call_connect;
    bs_wrap_up_codes wrap_up_codes;
} any_out;

typedef struct payload {
    const char *label;       /* table row */
    const char *event;       /* event and version */
    const char *path;
    input pretty, min;
} payload;

static payload payloads[BS_PAYLOADS] = {
    {"small flat", "aw-interaction-started-v1 1.0.0",
     "tests/samples/aw-interaction-started-v1-1.0.0.json", {0}, {0}},
    {"wide flat", "call-manager-call-connect-v1 1.0.0",
     "tests/samples/call-manager-call-connect-v1-1.0.0.json", {0}, {0}},
    {"nested+arrays", "aw-interaction-wrap-up-codes-v1 1.0.1",
     "tests/samples/aw-interaction-wrap-up-codes-v1-1.0.1.json", {0}, {0}},
};

/* Parses `in` as payload `which` with parser `p` into a bench struct `out`
 * (converted, for evgen); the document stays alive in *keep. */
static bool parse_to_bs(const bs_peer *p, int which, const input *in, any_out *out,
                        bs_arena *arena, void **keep)
{
    any_out raw;
    arena->used = 0;
    if (!p->parse[which](in->buf, in->len, p == &evgen_parser ? (void *)&raw : (void *)out,
                         arena, keep))
        return false;
    if (p == &evgen_parser) {
        switch (which) {
        case BS_STARTED: from_evgen_started(&raw.ev_started, &out->started); break;
        case BS_CALL_CONNECT: from_evgen_call_connect(&raw.ev_call_connect, &out->call_connect); break;
        default: from_evgen_wrap_up_codes(&raw.ev_wrap_up_codes, &out->wrap_up_codes, arena); break;
        }
    }
    return true;
}

static bool same_values(int which, const any_out *a, const any_out *b)
{
    switch (which) {
    case BS_STARTED: return eq_started(&a->started, &b->started);
    case BS_CALL_CONNECT: return eq_call_connect(&a->call_connect, &b->call_connect);
    default: return eq_wrap_up_codes(&a->wrap_up_codes, &b->wrap_up_codes);
    }
}

/* ------------------------------------------------------------------ validation */

enum expect { MUST_ACCEPT, MUST_REJECT, PROBE };

typedef struct variant {
    int which;
    enum expect expect;
    const char *name;
    input in;
} variant;

#define MAX_VARIANTS 64
static variant variants[MAX_VARIANTS];
static int nvariants;

static void add(int which, enum expect expect, const char *name, input in)
{
    if (nvariants == MAX_VARIANTS)
        die("%s", "too many variants");
    variants[nvariants++] = (variant){which, expect, name, in};
}

static input copy_input(const input *in)
{
    return make_input(in->buf, in->len);
}

static void build_variants(void)
{
    const input *m1 = &payloads[BS_STARTED].min;
    const input *m2 = &payloads[BS_CALL_CONNECT].min;
    const input *m3 = &payloads[BS_WRAP_UP_CODES].min;
    for (int w = 0; w < BS_PAYLOADS; w++) {
        add(w, MUST_ACCEPT, "pretty (the sample file)", copy_input(&payloads[w].pretty));
        add(w, MUST_ACCEPT, "minified", copy_input(&payloads[w].min));
        input t = payloads[w].min;
        t.len--; /* drop the closing brace */
        add(w, MUST_REJECT, "truncated", copy_input(&t));
        add(w, MUST_REJECT, "root is an array", wrapped(&payloads[w].min, "[", "]"));
    }

    /* 1: small flat */
    add(0, MUST_ACCEPT, "escaped string (\\u0020)",
        replaced(m1, "\"Jane Smith\"", "\"Jane\\u0020Smith\""));
    add(0, MUST_ACCEPT, "schemaVersion moved first",
        replaced2(m1, ",\"schemaVersion\":\"1.0.0\"", "", "{", "{\"schemaVersion\":\"1.0.0\","));
    add(0, MUST_ACCEPT, "unknown member",
        replaced(m1, "{", "{\"extra\":{\"a\":[1,true,null,\"x\"]},"));
    add(0, MUST_REJECT, "enum direction \"sideways\"",
        replaced(m1, "\"direction\":\"inbound\"", "\"direction\":\"sideways\""));
    add(0, MUST_REJECT, "enum interactionType \"Phone\"",
        replaced(m1, "\"interactionType\":\"phone\"", "\"interactionType\":\"Phone\""));
    add(0, MUST_REJECT, "required interactionType missing",
        replaced(m1, "\"interactionType\":\"phone\",", ""));
    add(0, MUST_REJECT, "required interactionId missing",
        replaced(m1, "\"interactionId\":\"interaction-123\",", ""));
    add(0, MUST_REJECT, "callId is a number",
        replaced(m1, "\"callId\":\"call-789\"", "\"callId\":789"));
    add(0, MUST_REJECT, "callId is null", replaced(m1, "\"callId\":\"call-789\"", "\"callId\":null"));
    add(0, MUST_REJECT, "schemaVersion \"1.0.1\"",
        replaced(m1, "\"schemaVersion\":\"1.0.0\"", "\"schemaVersion\":\"1.0.1\""));
    add(0, MUST_REJECT, "missing comma", replaced(m1, "\"call-789\",", "\"call-789\" "));
    /* informational: strictness differences, printed, never fatal */
    add(0, PROBE, "duplicate key",
        replaced(m1, "\"direction\":\"inbound\"", "\"direction\":\"inbound\",\"direction\":\"outbound\""));
    add(0, PROBE, "invalid UTF-8 in a string", replaced(m1, "Jane Smith", "Jane\xff Smith"));
    add(0, PROBE, "lone surrogate \\ud800", replaced(m1, "Jane Smith", "Jane\\ud800 Smith"));
    add(0, PROBE, "\\u0000 inside a string", replaced(m1, "Jane Smith", "Jane\\u0000Smith"));
    add(0, PROBE, "trailing garbage after the root", replaced(m1, "\"1.0.0\"}", "\"1.0.0\"} x"));
    add(0, PROBE, "second document after the root", replaced(m1, "\"1.0.0\"}", "\"1.0.0\"}{}"));
    add(0, PROBE, "trailing comma in the root", replaced(m1, "\"1.0.0\"}", "\"1.0.0\",}"));
    add(0, PROBE, "bad literal in an unknown member", replaced(m1, "{", "{\"extra\":tru,"));
    add(0, PROBE, "bad nesting in an unknown member", replaced(m1, "{", "{\"extra\":[1,2},"));
    add(0, PROBE, "leading zero in an unknown member", replaced(m1, "{", "{\"extra\":012,"));

    /* 2: wide flat */
    add(1, MUST_ACCEPT, "-1 spelled -1.0e0",
        replaced(m2, "\"accumulatedMOSLQ\":-1", "\"accumulatedMOSLQ\":-1.0e0"));
    add(1, MUST_ACCEPT, "unknown member", replaced(m2, "{", "{\"extra\":[{},[]],"));
    add(1, MUST_REJECT, "allowAdd is a string",
        replaced(m2, "\"allowAdd\":false", "\"allowAdd\":\"false\""));
    add(1, MUST_REJECT, "callStartTime is a string",
        replaced(m2, "\"callStartTime\":1771343905", "\"callStartTime\":\"1771343905\""));
    add(1, MUST_REJECT, "callID is null", replaced(m2, "\"callID\":\"11400c1d000\"", "\"callID\":null"));
    add(1, MUST_REJECT, "hdAudio is 1", replaced(m2, "\"hdAudio\":true", "\"hdAudio\":1"));
    add(1, MUST_REJECT, "schemaVersion \"1.0.1\"",
        replaced(m2, "\"schemaVersion\":\"1.0.0\"", "\"schemaVersion\":\"1.0.1\""));
    add(1, MUST_REJECT, "literal tru", replaced(m2, "\"allowEnd\":true", "\"allowEnd\":tru"));
    add(1, PROBE, "leading zero in a number", replaced(m2, "\"errorCode\":0", "\"errorCode\":00"));
    add(1, PROBE, "number 1e400 (out of double range)",
        replaced(m2, "\"errorCode\":0", "\"errorCode\":1e400"));

    /* 3: nested with arrays */
    add(2, MUST_ACCEPT, "unknown member in an item",
        replaced(m3, "\"callLineId\"", "\"extra\":{\"x\":[1]},\"callLineId\""));
    add(2, MUST_REJECT, "items[0].callBackTime is a string",
        replaced(m3, "\"callBackTime\":60", "\"callBackTime\":\"60\""));
    add(2, MUST_REJECT, "assignments.list holds a number",
        replaced(m3, "\"list\":[\"agent-1\",\"agent-2\"]", "\"list\":[\"agent-1\",2]"));
    add(2, MUST_REJECT, "wrapUpCodes[0].primaryLang missing", replaced(m3, "\"primaryLang\":\"en\",", ""));
    add(2, MUST_REJECT, "wrapUpCodes[0].autoSort is 1", replaced(m3, "\"autoSort\":true", "\"autoSort\":1"));
    add(2, MUST_REJECT, "items[0].parentId missing", replaced(m3, "\"parentId\":\"parent-1\",", ""));
    add(2, MUST_REJECT, "items holds a number", replaced(m3, "\"items\":[", "\"items\":[1,"));
    add(2, MUST_REJECT, "assignments is an array",
        replaced2(m3, "\"assignments\":{", "\"assignments\":[{", "]},\"autoSort\"", "]}],\"autoSort\""));
    add(2, MUST_REJECT, "schemaVersion \"1.0.0\" (parsing 1.0.1)",
        replaced(m3, "{", "{\"schemaVersion\":\"1.0.0\","));
}

/* Runs every variant through every parser: accepted variants must equal
 * evgen's values for the minified sample, rejected ones must fail. Prints
 * the probe matrix. Returns the number of failed checks. */
static int validate(void)
{
    static char ref_mem[ARENA_BYTES], mem[ARENA_BYTES];
    bs_arena ref_arena = {ref_mem, sizeof ref_mem, 0};
    bs_arena arena = {mem, sizeof mem, 0};
    any_out ref[BS_PAYLOADS], got;
    int failures = 0, checks = 0;

    /* The reference: evgen on the minified sample, with arenas of its own
     * that stay untouched while everything else is checked against it. */
    static char ref_evgen_mem[BS_PAYLOADS][ARENA_BYTES];
    static evg_arena ref_evgen_arena[BS_PAYLOADS];
    for (int w = 0; w < BS_PAYLOADS; w++) {
        any_out raw;
        evg_arena_init(&ref_evgen_arena[w], ref_evgen_mem[w], sizeof ref_evgen_mem[w]);
        if (!evgen_parse(w, payloads[w].min.buf, payloads[w].min.len, &raw,
                         &ref_evgen_arena[w])) {
            char msg[512];
            evg_error_format(&evgen_err, msg, sizeof msg);
            fprintf(stderr, "bench: evgen rejects the %s sample: %s\n", payloads[w].event, msg);
            exit(1);
        }
        switch (w) {
        case BS_STARTED: from_evgen_started(&raw.ev_started, &ref[w].started); break;
        case BS_CALL_CONNECT: from_evgen_call_connect(&raw.ev_call_connect, &ref[w].call_connect); break;
        default: from_evgen_wrap_up_codes(&raw.ev_wrap_up_codes, &ref[w].wrap_up_codes, &ref_arena); break;
        }
    }

    int nprobes = 0;
    for (int v = 0; v < nvariants; v++)
        nprobes += variants[v].expect == PROBE;
    if (nprobes)
        printf("Strictness probes (informational; A = accepted, r = rejected):\n  %-40s", "");
    for (int i = 0; nprobes && i < MAX_PARSERS; i++)
        printf(" %-8s", parsers[i]->name);
    if (nprobes)
        printf("\n");

    for (int v = 0; v < nvariants; v++) {
        const variant *va = &variants[v];
        if (va->expect == PROBE)
            printf("  %-40s", va->name);
        for (int i = 0; i < MAX_PARSERS; i++) {
            const bs_peer *p = parsers[i];
            void *keep = NULL;
            bool ok = parse_to_bs(p, va->which, &va->in, &got, &arena, &keep);
            if (va->expect == PROBE) {
                printf(" %-8s", ok ? "A" : "r");
            } else {
                checks++;
                const char *problem = NULL;
                if (va->expect == MUST_REJECT && ok)
                    problem = "accepted a document it must reject";
                else if (va->expect == MUST_ACCEPT && !ok)
                    problem = "rejected a valid document";
                else if (va->expect == MUST_ACCEPT && !same_values(va->which, &ref[va->which], &got))
                    problem = "produced values that differ from evgen's";
                if (problem) {
                    fprintf(stderr, "bench: FAIL %s, %s, \"%s\": %s\n", p->name,
                            payloads[va->which].event, va->name, problem);
                    failures++;
                }
            }
            if (ok)
                p->release(keep);
        }
        if (va->expect == PROBE)
            printf("\n");
    }
    if (nprobes)
        printf("\n");
    printf("Validation: %d accept/reject checks over %d parsers, %d failed.\n\n", checks,
           MAX_PARSERS, failures);
    return failures;
}

/* ------------------------------------------------------------------ timing */

static double now_ns(void)
{
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec * 1e9 + (double)ts.tv_nsec;
}

static any_out timing_out;
static char timing_mem[ARENA_BYTES];

/* Parses `in` n times; returns ns per document. */
static double time_batch(bs_parse_fn fn, const input *in, long n)
{
    bs_arena arena = {timing_mem, sizeof timing_mem, 0};
    double t0 = now_ns();
    for (long i = 0; i < n; i++) {
        arena.used = 0;
        if (!fn(in->buf, in->len, &timing_out, &arena, NULL))
            die("%s", "a parser failed during timing");
    }
    return (now_ns() - t0) / (double)n;
}

/* Iterations for one batch of about batch_ns. */
static long calibrate(bs_parse_fn fn, const input *in, double batch_ns)
{
    long n = 8;
    for (;;) {
        double per = time_batch(fn, in, n);
        if (per * (double)n >= batch_ns / 4 || n > (1L << 28)) {
            double want = batch_ns / (per > 0 ? per : 1);
            return want < 1 ? 1 : (long)want;
        }
        n *= 2;
    }
}

static int cmp_double(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;
    return (x > y) - (x < y);
}

static double median(double *v, int n)
{
    qsort(v, (size_t)n, sizeof *v, cmp_double);
    return n % 2 ? v[n / 2] : (v[n / 2 - 1] + v[n / 2]) / 2;
}

typedef struct result {
    double ns[MAX_PARSERS];             /* median ns/doc */
    double ratio[MAX_PARSERS];          /* median of per-round peer/evgen */
    double ratio_lo[MAX_PARSERS], ratio_hi[MAX_PARSERS]; /* quartiles of per-round ratios */
} result;

/* reps rounds. In each, every peer runs one batch right next to a batch of
 * evgen (which one goes first alternates), and the pair gives that round's
 * ratio; the order of the peers rotates every round. Adjacent pairs see
 * nearly the same machine, so a noisy neighbour moves both sides. */
static result measure(int which, const input *in, int reps, double batch_ns)
{
    long iters[MAX_PARSERS];
    static double ns[MAX_PARSERS][MAX_REPS * MAX_PARSERS], ratios[MAX_PARSERS][MAX_REPS];
    int nev = 0;
    result r;
    for (int i = 0; i < MAX_PARSERS; i++) {
        time_batch(parsers[i]->parse[which], in, 100); /* warm up */
        iters[i] = calibrate(parsers[i]->parse[which], in, batch_ns);
    }
    for (int rep = 0; rep < reps; rep++) {
        for (int k = 0; k < MAX_PARSERS - 1; k++) {
            int i = 1 + (k + rep) % (MAX_PARSERS - 1);
            double te, tp;
            if ((rep + k) % 2) {
                te = time_batch(parsers[0]->parse[which], in, iters[0]);
                tp = time_batch(parsers[i]->parse[which], in, iters[i]);
            } else {
                tp = time_batch(parsers[i]->parse[which], in, iters[i]);
                te = time_batch(parsers[0]->parse[which], in, iters[0]);
            }
            ns[0][nev++] = te;
            ns[i][rep] = tp;
            ratios[i][rep] = tp / te;
        }
    }
    r.ns[0] = median(ns[0], nev);
    r.ratio[0] = r.ratio_lo[0] = r.ratio_hi[0] = 1;
    for (int i = 1; i < MAX_PARSERS; i++) {
        r.ns[i] = median(ns[i], reps);
        r.ratio[i] = median(ratios[i], reps); /* sorts */
        r.ratio_lo[i] = ratios[i][reps / 4];
        r.ratio_hi[i] = ratios[i][(3 * reps) / 4];
    }
    return r;
}

static void cpu_model(char *buf, size_t cap)
{
    FILE *f = fopen("/proc/cpuinfo", "r");
    char line[256];
    snprintf(buf, cap, "unknown CPU");
    if (!f)
        return;
    while (fgets(line, sizeof line, f)) {
        if (strncmp(line, "model name", 10) == 0) {
            char *v = strchr(line, ':');
            if (v) {
                v += 1 + (v[1] == ' ');
                v[strcspn(v, "\n")] = '\0';
                snprintf(buf, cap, "%s", v);
            }
            break;
        }
    }
    fclose(f);
}

static void run_timing(int reps, double batch_ms)
{
    result res[BS_PAYLOADS][2];
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    printf("Timing: %d rounds per payload and form; in each round every peer runs a batch of\n"
           "~%.2f ms next to a batch of evgen (order alternating, peers rotating). ns/doc and\n"
           "MB/s are medians over batches; \"x evgen\" is the median of the per-round ratios\n"
           "peer/evgen, [q1..q3] their quartiles. Above 1: the peer is slower.\n",
           reps, batch_ms);
    printf("CPU: %s, %ld online CPUs\n\n", cpu, sysconf(_SC_NPROCESSORS_ONLN));
    printf("%-14s %-7s %6s  %-9s %9s %8s  %s\n", "payload", "form", "bytes", "parser", "ns/doc",
           "MB/s", "x evgen [q1..q3]");
    for (int w = 0; w < BS_PAYLOADS; w++) {
        for (int f = 0; f < 2; f++) {
            const input *in = f == 0 ? &payloads[w].min : &payloads[w].pretty;
            result r = measure(w, in, reps, batch_ms * 1e6);
            res[w][f] = r;
            for (int i = 0; i < MAX_PARSERS; i++) {
                printf("%-14s %-7s %6zu  %-9s %9.0f %8.1f  ", i ? "" : payloads[w].label,
                       i ? "" : (f == 0 ? "min" : "pretty"), in->len, parsers[i]->name,
                       r.ns[i], (double)in->len / r.ns[i] * 1e3);
                if (i)
                    printf("%5.2f [%.2f..%.2f]\n", r.ratio[i], r.ratio_lo[i], r.ratio_hi[i]);
                else
                    printf(" 1.00\n");
            }
            fflush(stdout);
        }
    }
    printf("\nSummary, peer ns/doc / evgen ns/doc (median of per-round ratios):\n");
    printf("%-14s %-7s", "payload", "form");
    for (int i = 1; i < MAX_PARSERS; i++)
        printf(" %9s", parsers[i]->name);
    printf("\n");
    for (int w = 0; w < BS_PAYLOADS; w++)
        for (int f = 0; f < 2; f++) {
            printf("%-14s %-7s", f ? "" : payloads[w].label, f == 0 ? "min" : "pretty");
            for (int i = 1; i < MAX_PARSERS; i++)
                printf(" %9.2f", res[w][f].ratio[i]);
            printf("\n");
        }
}

/* ------------------------------------------------------------------ callgrind */

/* valgrind --tool=callgrind --toggle-collect=cg_batch counts only what runs
 * in here: n parses of one document (n >= 1), nothing of the setup. */
__attribute__((noinline)) bool cg_batch(bs_parse_fn fn, const input *in, long n);
__attribute__((noinline)) bool cg_batch(bs_parse_fn fn, const input *in, long n)
{
    bs_arena arena = {timing_mem, sizeof timing_mem, 0};
    bool ok = true;
    for (long i = 0; i < n; i++) {
        arena.used = 0;
        ok &= fn(in->buf, in->len, &timing_out, &arena, NULL);
    }
    return ok;
}

static int run_callgrind(const char *parser, const char *which_s, const char *n_s)
{
    int which = atoi(which_s) - 1;
    long n = atol(n_s);
    const bs_peer *p = NULL;
    for (int i = 0; i < MAX_PARSERS; i++)
        if (strcmp(parsers[i]->name, parser) == 0)
            p = parsers[i];
    if (!p || which < 0 || which >= BS_PAYLOADS || n < 1)
        die("%s", "usage: bench --callgrind PARSER PAYLOAD(1-3) N");
    if (!cg_batch(p->parse[which], &payloads[which].min, n))
        die("%s", "the parser rejected the payload");
    printf("%s %s %zu bytes: %ld parses\n", p->name, payloads[which].event,
           payloads[which].min.len, n);
    return 0;
}

/* ------------------------------------------------------------------ main */

static void usage(void)
{
    fprintf(stderr, "usage: bench [--reps N] [--batch-ms MS]\n"
                    "       bench --callgrind PARSER PAYLOAD(1-3) N\n");
    exit(2);
}

int main(int argc, char **argv)
{
    int reps = 201;
    double batch_ms = 0.25;
    const char *cg[3] = {NULL, NULL, NULL};
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--batch-ms") == 0 && i + 1 < argc) {
            batch_ms = atof(argv[++i]);
        } else if (strcmp(argv[i], "--callgrind") == 0 && i + 3 < argc) {
            cg[0] = argv[i + 1];
            cg[1] = argv[i + 2];
            cg[2] = argv[i + 3];
            i += 3;
        } else {
            usage();
        }
    }
    if (reps < 1 || reps > MAX_REPS || !(batch_ms > 0))
        usage();

    evg_arena_init(&evgen_arena, evgen_arena_buf, sizeof evgen_arena_buf);
    for (int w = 0; w < BS_PAYLOADS; w++) {
        payloads[w].pretty = read_input(payloads[w].path);
        payloads[w].min = minify(&payloads[w].pretty);
    }

    if (cg[0])
        return run_callgrind(cg[0], cg[1], cg[2]);

    printf("Parsers:\n");
    for (int i = 0; i < MAX_PARSERS; i++)
        printf("  %-9s %s\n", parsers[i]->name, parsers[i]->version());
    printf("Payloads:\n");
    for (int w = 0; w < BS_PAYLOADS; w++)
        printf("  %d %-14s %-38s %5zu bytes minified, %5zu pretty\n", w + 1, payloads[w].label,
               payloads[w].event, payloads[w].min.len, payloads[w].pretty.len);
    printf("\n");

    build_variants();
    if (validate() != 0) {
        fprintf(stderr, "bench: parsers disagree; not timing anything\n");
        return 1;
    }
    run_timing(reps, batch_ms);
    return 0;
}
