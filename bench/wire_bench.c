/* wire_bench.c - `make bench`, second part: whole documents in their
 * envelopes, as partners receive them, from the corpora that
 * bench/make_wire_corpus.py writes (docs/benchmarks.md, "Wire path").
 *
 *   build/bench/wire_bench [--dir DIR] [--docs N] [--reps N] [--chunk N]
 *       check that every parser agrees, then time them (the default)
 *   build/bench/wire_bench [--dir DIR] --callgrind NAME N [voice|mixed|invalid]
 *       run NAME over the first N documents of a corpus (default voice)
 *       inside cg_batch(), for valgrind --toggle-collect=cg_batch; NAME is a
 *       parser or a serializer (ser-evgen, ser-hand, ser-memcpy)
 *
 * Corpus (a), voice-completed.jsonl: mashell-voice-phone-completed-cc-event-v1
 * 1.0.0 in the Maestro envelope. evgen's per-event wire entry point and
 * ev_parse_any against simdjson On-Demand (two ways), cJSON, jansson and
 * json-c doing the same job (wire_structs.h), and a byte-sum floor.
 * Corpus (b), mixed.jsonl: every event version of the catalog; ev_parse_any
 * against the floor only (the peers would need a parser per event version).
 * Corpus (c), invalid.jsonl: ev_parse_any, the wire entry point, simdjson
 * and cJSON rejecting broken documents.
 * Serializer: evgen's wire serializer against a hand-written append writer
 * and a memcpy of the output bytes.
 *
 * Before anything is timed, every parser must produce the same values as
 * evgen for every document of (a) and reject every document of (c) (a peer
 * whose library cannot see a fault, bw_peer.blind, is excused from the
 * documents with that fault only, and the bench prints how many it
 * accepted), ev_parse_any must accept every document of (b), and the hand
 * writer must write exactly evgen's bytes; otherwise the bench stops. No
 * timing is asserted anywhere. */
#include "dispatch.h"
#include "wire_structs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

typedef ev_mashell_voice_phone_completed_cc_event_v1_1_0_0 ev_completed;

#define ARENA_BYTES (1u << 16)
#define MAX_REPS 5001
#define MAX_TIMED 10
#define OUT_CAP (1u << 16)

static void die(const char *fmt, const char *arg)
{
    fprintf(stderr, "wire_bench: ");
    fprintf(stderr, fmt, arg);
    fputc('\n', stderr);
    exit(1);
}

static void *xmalloc(size_t n)
{
    void *p = malloc(n ? n : 1);
    if (!p)
        die("%s", "out of memory");
    return p;
}

/* ------------------------------------------------------------------ corpora */

typedef struct doc {
    const char *buf; /* buf[len] == '\0', then BS_PADDING zero bytes */
    size_t len;
} doc;

typedef struct corpus {
    const char *name;
    char *mem;
    doc *docs;
    size_t n;
    size_t bytes;
} corpus;

static char *read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        die("cannot open %s (run `make bench`, which writes the corpora)", path);
    size_t cap = 1 << 20, n = 0, got;
    char *text = xmalloc(cap);
    while ((got = fread(text + n, 1, cap - n, f)) > 0) {
        n += got;
        if (n == cap && !(text = realloc(text, cap *= 2)))
            die("%s", "out of memory");
    }
    if (ferror(f))
        die("cannot read %s", path);
    fclose(f);
    *len = n;
    return text;
}

/* One document per line, at most `limit` (0: all). Each is copied to its
 * own place in one block, followed by a NUL and BS_PADDING zero bytes:
 * the corpus stays contiguous, as a stream read into memory would be. */
static corpus load_corpus(const char *dir, const char *name, size_t limit)
{
    char path[4096];
    size_t len, lines = 0;
    snprintf(path, sizeof path, "%s/%s", dir, name);
    char *text = read_file(path, &len);
    for (size_t i = 0; i < len; i++)
        lines += text[i] == '\n';
    if (len && text[len - 1] != '\n')
        lines++;
    if (limit && lines > limit)
        lines = limit;
    corpus c = {name, xmalloc(len + lines * (1 + BS_PADDING) + 64), xmalloc(lines * sizeof(doc)),
                0, 0};
    char *at = c.mem;
    for (size_t i = 0; i < len && c.n < lines;) {
        const char *nl = memchr(text + i, '\n', len - i);
        size_t n = nl ? (size_t)(nl - (text + i)) : len - i;
        memcpy(at, text + i, n);
        memset(at + n, 0, 1 + BS_PADDING);
        c.docs[c.n++] = (doc){at, n};
        c.bytes += n;
        at += n + 1 + BS_PADDING;
        i += n + 1;
    }
    free(text);
    if (c.n == 0)
        die("%s holds no documents", path);
    return c;
}

/* invalid-labels.txt: one label per document of invalid.jsonl ("duplicate
 * status", "truncated", ...). */
static char **load_labels(const char *dir, size_t n)
{
    char path[4096];
    size_t len;
    snprintf(path, sizeof path, "%s/invalid-labels.txt", dir);
    char *text = read_file(path, &len);
    char **labels = xmalloc(n * sizeof *labels);
    size_t k = 0;
    for (char *s = text; k < n && s < text + len; k++) {
        char *nl = memchr(s, '\n', (size_t)(text + len - s));
        if (!nl)
            die("%s", "invalid-labels.txt: short");
        *nl = '\0';
        labels[k] = s;
        s = nl + 1;
    }
    if (k != n)
        die("%s", "invalid-labels.txt does not match invalid.jsonl");
    return labels;
}

/* What a library must see to reject the document with this label (the
 * BW_BLIND_* of wire_structs.h), 0 for anything every parser must catch. */
static unsigned label_blind(const char *label)
{
    if (strncmp(label, "duplicate", 9) == 0)
        return BW_BLIND_DUPLICATES;
    if (strncmp(label, "bad escape \\u", 13) == 0)
        return BW_BLIND_BAD_HEX_ESCAPE;
    return 0;
}

/* ------------------------------------------------------------------ evgen */

static evg_arena evgen_arena;
static char evgen_arena_buf[ARENA_BYTES];
static evg_error evgen_err;

static bool evgen_wire(const char *json, size_t len, void *out, void **keep)
{
    if (keep)
        *keep = NULL;
    evg_arena_reset(&evgen_arena);
    return ev_mashell_voice_phone_completed_cc_event_v1_1_0_0_parse_wire(json, len, out, &evgen_arena,
                                                                        0, &evgen_err);
}

static bool evgen_any(const char *json, size_t len, void *out, void **keep)
{
    if (keep)
        *keep = NULL;
    evg_arena_reset(&evgen_arena);
    return ev_parse_any(json, len, out, &evgen_arena, 0, &evgen_err);
}

static void no_release(void *keep)
{
    (void)keep;
}

static const char *evgen_version(void)
{
    return "evgen (generated/, compiled with the bench flags)";
}

static const bw_peer evgen_wire_parser = {"evgen-wire", evgen_wire, no_release, evgen_version, 0};
static const bw_peer evgen_any_parser = {"evgen-any", evgen_any, no_release, evgen_version, 0};

/* The floor: every byte of the document read once (summed). */
static volatile uint64_t floor_sink;

static bool byte_sum(const char *json, size_t len, void *out, void **keep)
{
    (void)out;
    if (keep)
        *keep = NULL;
    uint64_t s = 0;
    for (size_t i = 0; i < len; i++)
        s += (unsigned char)json[i];
    floor_sink += s;
    return true;
}

static const char *floor_version(void)
{
    return "sum of every byte of the document (the cost of touching the input once)";
}

static const bw_peer floor_parser = {"byte-sum", byte_sum, no_release, floor_version, 0};

/* Corpus (a): index 0 is the reference the ratios are taken to. */
static const bw_peer *const voice_parsers[] = {
    &evgen_wire_parser, &evgen_any_parser, &bw_peer_simdjson, &bw_peer_simdjson_ffu,
    &bw_peer_cjson,     &bw_peer_jansson,  &bw_peer_jsonc,    &floor_parser,
};
#define N_VOICE (sizeof voice_parsers / sizeof voice_parsers[0])

static const bw_peer *const mixed_parsers[] = {&evgen_any_parser, &floor_parser};
#define N_MIXED 2

static const bw_peer *const invalid_parsers[] = {&evgen_any_parser, &evgen_wire_parser,
                                                 &bw_peer_simdjson, &bw_peer_cjson};
#define N_INVALID 4

/* Every peer is checked against (c), the untimed ones too. */
static const bw_peer *const checked_on_invalid[] = {
    &evgen_any_parser, &evgen_wire_parser, &bw_peer_simdjson, &bw_peer_simdjson_ffu,
    &bw_peer_cjson,    &bw_peer_jansson,   &bw_peer_jsonc,
};
#define N_CHECKED_INVALID (sizeof checked_on_invalid / sizeof checked_on_invalid[0])

static const bw_peer *find_parser(const char *name)
{
    for (size_t i = 0; i < N_VOICE; i++)
        if (strcmp(voice_parsers[i]->name, name) == 0)
            return voice_parsers[i];
    return NULL;
}

/* ------------------------------------------------------------------ values
 * evgen's struct flattened into the peers' (a member missing on either
 * side fails to compile), then compared member by member, strings by
 * content. */

static bs_str S(evg_str s)
{
    bs_str r = {s.ptr, s.len};
    return r;
}

static void from_evgen(const ev_completed *e, bw_completed *b)
{
    const ev_maestro_voice_ended *ve = &e->maestro_voice_ended;
    const ev_maestro_event_base *base = &ve->maestro_voice.maestro_map_event.maestro_event_base;
    const ev_maestro_call_end *end = &ve->maestro_call_end;
    const ev_maestro_call_recording *rec = &ve->maestro_call_recording;
    memset(b, 0, sizeof *b);
    b->eventId = S(base->eventId);
    b->direction = (int)base->direction;
    b->searchContext = S(base->searchContext);
    b->startTime = S(end->maestro_call_start.startTime);
    b->endTime = S(end->endTime);
    b->callDuration = S(end->callDuration);
    b->has_callRecording = rec->has_callRecording;
    b->callRecording = S(rec->callRecording);
    b->hasRecording = rec->hasRecording;
    b->has_additionalData = e->has_additionalData;
    b->has_notes = e->has_additionalData && e->additionalData.has_notes;
    b->notes = S(e->additionalData.notes);
    b->has_schemaVersion = e->has_schemaVersion;
}

static bool str_eq(bs_str a, bs_str b)
{
    return a.len == b.len && (a.len == 0 || memcmp(a.ptr, b.ptr, a.len) == 0);
}

/* NULL when equal, else the first member that differs. */
static const char *differs(const bw_completed *a, const bw_completed *b)
{
    if (!str_eq(a->eventId, b->eventId))
        return "eventId";
    if (a->direction != b->direction)
        return "direction";
    if (!str_eq(a->searchContext, b->searchContext))
        return "searchContext";
    if (!str_eq(a->startTime, b->startTime))
        return "startTime";
    if (!str_eq(a->endTime, b->endTime))
        return "endTime";
    if (!str_eq(a->callDuration, b->callDuration))
        return "callDuration";
    if (a->has_callRecording != b->has_callRecording
        || (a->has_callRecording && !str_eq(a->callRecording, b->callRecording)))
        return "callRecording";
    if (a->hasRecording != b->hasRecording)
        return "hasRecording";
    if (a->has_additionalData != b->has_additionalData)
        return "additionalData";
    if (a->has_notes != b->has_notes || (a->has_notes && !str_eq(a->notes, b->notes)))
        return "notes";
    if (a->has_schemaVersion != b->has_schemaVersion)
        return "schemaVersion";
    return NULL;
}

/* The struct a parser writes: evgen's, ev_any, or the peers'. */
typedef union any_out {
    ev_completed ev;
    ev_any any;
    bw_completed bw;
} any_out;

/* Parses `d` with `p` into a bw_completed (converted for evgen); the
 * library's document stays alive in *keep. `why` says why not. */
static bool parse_to_bw(const bw_peer *p, const doc *d, bw_completed *out, void **keep,
                        const char **why)
{
    static any_out raw;
    *why = "rejected a valid document";
    if (p == &evgen_wire_parser || p == &evgen_any_parser) {
        if (!p->parse(d->buf, d->len, &raw, keep))
            return false;
        if (p == &evgen_wire_parser) {
            from_evgen(&raw.ev, out);
            return true;
        }
        *why = "ev_parse_any found another event, or another wire";
        if (raw.any.kind != EV_KIND_MASHELL_VOICE_PHONE_COMPLETED_CC_EVENT_V1_1_0_0 || !raw.any.wire
            || strcmp(raw.any.wire->name, "maestro") != 0)
            return false;
        from_evgen(&raw.any.u.mashell_voice_phone_completed_cc_event_v1_1_0_0, out);
        return true;
    }
    return p->parse(d->buf, d->len, out, keep);
}

/* ------------------------------------------------------------------ hand writer
 * What a programmer writes by hand for this one event: the canonical
 * document evgen writes (compact, members in catalog order, the optional
 * ones only when present), strings escaped by the same rules as
 * evg_put_string ('"', '\\' and the control characters; \b \f \n \r \t or
 * \u00XX; everything else, UTF-8 included, as is). The room is checked once,
 * against the worst case, then everything is appended unchecked. */

static char *put_lit(char *o, const char *s, size_t n)
{
    memcpy(o, s, n);
    return o + n;
}
#define PUT_LIT(o, lit) put_lit((o), (lit), sizeof(lit) - 1)

static char *put_str(char *o, evg_str s)
{
    static const char hex[] = "0123456789abcdef";
    const char *c = s.ptr, *e = s.ptr + s.len, *run = c;
    *o++ = '"';
    for (; c < e; c++) {
        unsigned char b = (unsigned char)*c;
        if (b >= 0x20 && b != '"' && b != '\\')
            continue;
        o = put_lit(o, run, (size_t)(c - run));
        run = c + 1;
        *o++ = '\\';
        switch (b) {
        case '"': *o++ = '"'; break;
        case '\\': *o++ = '\\'; break;
        case '\b': *o++ = 'b'; break;
        case '\f': *o++ = 'f'; break;
        case '\n': *o++ = 'n'; break;
        case '\r': *o++ = 'r'; break;
        case '\t': *o++ = 't'; break;
        default:
            o = PUT_LIT(o, "u00");
            *o++ = hex[b >> 4];
            *o++ = hex[b & 15];
        }
    }
    o = put_lit(o, run, (size_t)(e - run));
    *o++ = '"';
    return o;
}

/* Bytes written, or 0 when cap may be too small. */
static size_t hand_write(const ev_completed *in, char *buf, size_t cap)
{
    const ev_maestro_voice_ended *ve = &in->maestro_voice_ended;
    const ev_maestro_event_base *base = &ve->maestro_voice.maestro_map_event.maestro_event_base;
    const ev_maestro_call_end *end = &ve->maestro_call_end;
    const ev_maestro_call_recording *rec = &ve->maestro_call_recording;
    bool notes = in->has_additionalData && in->additionalData.has_notes;
    size_t strings = base->eventId.len + base->searchContext.len
                   + end->maestro_call_start.startTime.len + end->endTime.len
                   + end->callDuration.len + rec->callRecording.len
                   + (notes ? in->additionalData.notes.len : 0);
    if (strings > (cap - 512) / 6 || cap < 512)
        return 0; /* 6: the longest escape; 512: more than all the rest */
    char *o = buf;
    o = PUT_LIT(o, "{\"eventType\":\"" BW_EVENT_NAME "\",\"status\":\"success\",\"data\":"
                   "{\"eventId\":");
    o = put_str(o, base->eventId);
    if (base->direction == EV_MAESTRO_EVENT_BASE_DIRECTION_INBOUND)
        o = PUT_LIT(o, ",\"direction\":\"inbound\",\"searchContext\":");
    else
        o = PUT_LIT(o, ",\"direction\":\"outbound\",\"searchContext\":");
    o = put_str(o, base->searchContext);
    o = PUT_LIT(o, ",\"method\":\"mapEvent\",\"media\":\"phone\",\"startTime\":");
    o = put_str(o, end->maestro_call_start.startTime);
    o = PUT_LIT(o, ",\"endTime\":");
    o = put_str(o, end->endTime);
    o = PUT_LIT(o, ",\"callDuration\":");
    o = put_str(o, end->callDuration);
    if (rec->has_callRecording) {
        o = PUT_LIT(o, ",\"callRecording\":");
        o = put_str(o, rec->callRecording);
    }
    if (rec->hasRecording)
        o = PUT_LIT(o, ",\"hasRecording\":true,\"eventName\":\"completed\"");
    else
        o = PUT_LIT(o, ",\"hasRecording\":false,\"eventName\":\"completed\"");
    if (in->has_additionalData) {
        o = PUT_LIT(o, ",\"additionalData\":{");
        if (notes) {
            o = PUT_LIT(o, "\"notes\":");
            o = put_str(o, in->additionalData.notes);
        }
        *o++ = '}';
    }
    if (in->has_schemaVersion)
        o = PUT_LIT(o, ",\"schemaVersion\":\"1.0.0\"");
    o = PUT_LIT(o, "}}");
    return (size_t)(o - buf);
}

/* ------------------------------------------------------------------ serializer state */

static ev_completed *structs;  /* corpus (a), parsed once by evgen */
static doc *canon;             /* evgen's output for each, for the memcpy floor */
static char *out_buf;          /* OUT_CAP bytes, reused for every document */

typedef size_t (*ser_fn)(const ev_completed *in, char *buf, size_t cap);

static size_t ser_evgen(const ev_completed *in, char *buf, size_t cap)
{
    return ev_mashell_voice_phone_completed_cc_event_v1_1_0_0_serialize_wire(in, buf, cap, NULL);
}

static size_t ser_memcpy(const ev_completed *in, char *buf, size_t cap)
{
    const doc *c = &canon[in - structs];
    if (c->len > cap)
        return 0;
    memcpy(buf, c->buf, c->len);
    return c->len;
}

typedef struct serializer {
    const char *name;
    ser_fn fn;
    const char *what;
} serializer;

static const serializer serializers[] = {
    {"ser-evgen", ser_evgen, "ev_..._serialize_wire (evg_writer, room checked per write)"},
    {"ser-hand", hand_write, "hand-written append writer for this event, room checked once"},
    {"ser-memcpy", ser_memcpy, "memcpy of evgen's output bytes (the floor)"},
};
#define N_SER 3

/* Parses all of (a) with evgen into `structs` (strings point into the
 * corpus or into one arena kept for the whole run) and keeps evgen's
 * serialized bytes in `canon`. */
static void prepare_serializer(const corpus *c)
{
    size_t arena_cap = c->bytes + 4096;
    evg_arena arena;
    evg_arena_init(&arena, xmalloc(arena_cap), arena_cap);
    structs = xmalloc(c->n * sizeof *structs);
    canon = xmalloc(c->n * sizeof *canon);
    out_buf = xmalloc(OUT_CAP);
    size_t total = 0;
    for (size_t i = 0; i < c->n; i++) {
        if (!ev_mashell_voice_phone_completed_cc_event_v1_1_0_0_parse_wire(
                c->docs[i].buf, c->docs[i].len, &structs[i], &arena, 0, &evgen_err))
            die("%s", "evgen rejects a document of (a)");
        total += ser_evgen(&structs[i], NULL, 0);
    }
    char *mem = xmalloc(total + 1), *at = mem;
    for (size_t i = 0; i < c->n; i++) {
        size_t n = ser_evgen(&structs[i], at, total + 1 - (size_t)(at - mem));
        canon[i] = (doc){at, n};
        at += n;
    }
}

/* ------------------------------------------------------------------ agreement */

static int report_failure(int failures, const char *corpus_name, size_t line, const char *who,
                          const char *problem)
{
    if (failures < 10)
        fprintf(stderr, "wire_bench: FAIL %s line %zu, %s: %s\n", corpus_name, line, who, problem);
    return failures + 1;
}

static int check_voice(const corpus *c)
{
    static char ref_mem[ARENA_BYTES];
    evg_arena ref_arena;
    int failures = 0;
    evg_arena_init(&ref_arena, ref_mem, sizeof ref_mem);
    for (size_t i = 0; i < c->n; i++) {
        const doc *d = &c->docs[i];
        ev_completed ref_ev;
        bw_completed ref, got;
        evg_arena_reset(&ref_arena);
        if (!ev_mashell_voice_phone_completed_cc_event_v1_1_0_0_parse_wire(d->buf, d->len, &ref_ev,
                                                                          &ref_arena, 0, &evgen_err)) {
            char msg[512];
            evg_error_format(&evgen_err, msg, sizeof msg);
            failures = report_failure(failures, c->name, i + 1, "evgen-wire", msg);
            continue;
        }
        from_evgen(&ref_ev, &ref);
        for (size_t k = 1; k < N_VOICE; k++) {
            const bw_peer *p = voice_parsers[k];
            const char *why, *field;
            void *keep = NULL;
            if (p == &floor_parser)
                continue;
            if (!parse_to_bw(p, d, &got, &keep, &why)) {
                failures = report_failure(failures, c->name, i + 1, p->name, why);
                continue;
            }
            if ((field = differs(&ref, &got)) != NULL) {
                char msg[128];
                snprintf(msg, sizeof msg, "%s differs from evgen's", field);
                failures = report_failure(failures, c->name, i + 1, p->name, msg);
            }
            p->release(keep);
        }
    }
    return failures;
}

static int check_serializers(const corpus *c)
{
    int failures = 0;
    for (size_t i = 0; i < c->n; i++) {
        size_t n = hand_write(&structs[i], out_buf, OUT_CAP);
        if (n != canon[i].len || memcmp(out_buf, canon[i].buf, n) != 0)
            failures = report_failure(failures, c->name, i + 1, "ser-hand",
                                      "writes other bytes than evgen's serializer");
        /* evgen's output is canonical: parsing it gives the same values. */
        bw_completed a, b;
        ev_completed again;
        static char mem[ARENA_BYTES];
        evg_arena arena;
        evg_arena_init(&arena, mem, sizeof mem);
        from_evgen(&structs[i], &a);
        if (!ev_mashell_voice_phone_completed_cc_event_v1_1_0_0_parse_wire(
                canon[i].buf, canon[i].len, &again, &arena, 0, &evgen_err)) {
            failures = report_failure(failures, c->name, i + 1, "ser-evgen", "output rejected");
            continue;
        }
        from_evgen(&again, &b);
        if (differs(&a, &b))
            failures = report_failure(failures, c->name, i + 1, "ser-evgen",
                                      "output parses to other values");
    }
    return failures;
}

static int check_mixed(const corpus *c, size_t counts[EV_KIND_COUNT_])
{
    static ev_any out;
    int failures = 0;
    memset(counts, 0, EV_KIND_COUNT_ * sizeof counts[0]);
    for (size_t i = 0; i < c->n; i++) {
        if (!evgen_any(c->docs[i].buf, c->docs[i].len, &out, NULL)) {
            char msg[512];
            evg_error_format(&evgen_err, msg, sizeof msg);
            failures = report_failure(failures, c->name, i + 1, "evgen-any", msg);
        } else if ((int)out.kind > 0 && (int)out.kind < EV_KIND_COUNT_) {
            counts[out.kind]++;
        }
    }
    return failures;
}

/* Every parser must reject every document; one whose library cannot see
 * what is wrong with a document (bw_peer.blind) is excused from it, and the
 * documents it accepted so are counted and printed. */
typedef struct invalid_counts {
    size_t rejected, excused, excusable, failed;
} invalid_counts;

static int check_invalid(const corpus *c, char **labels, invalid_counts counts[])
{
    static any_out out;
    int failures = 0;
    memset(counts, 0, N_CHECKED_INVALID * sizeof counts[0]);
    for (size_t i = 0; i < c->n; i++) {
        unsigned why = label_blind(labels[i]);
        for (size_t k = 0; k < N_CHECKED_INVALID; k++) {
            const bw_peer *p = checked_on_invalid[k];
            void *keep = NULL;
            bool excusable = (p->blind & why) != 0;
            counts[k].excusable += excusable;
            if (!p->parse(c->docs[i].buf, c->docs[i].len, &out, &keep)) {
                counts[k].rejected++;
                continue;
            }
            p->release(keep);
            if (excusable) {
                counts[k].excused++;
                continue;
            }
            counts[k].failed++;
            char msg[256];
            snprintf(msg, sizeof msg, "accepted an invalid document (%s)", labels[i]);
            failures = report_failure(failures, c->name, i + 1, p->name, msg);
        }
    }
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

static volatile size_t accepted_sink;

/* Parses docs [first, first + n) with fn; every result must be `expect`
 * (1 accept, 0 reject, -1: either, as checked before). Returns the ns taken. */
static double time_parse(bw_parse_fn fn, const corpus *c, size_t first, size_t n, int expect)
{
    const doc *d = c->docs + first;
    size_t accepted = 0;
    double t0 = now_ns();
    for (size_t i = 0; i < n; i++)
        accepted += fn(d[i].buf, d[i].len, &timing_out, NULL);
    double t = now_ns() - t0;
    if (expect >= 0 && accepted != (expect ? n : 0))
        die("%s", "a parser changed its mind during timing");
    accepted_sink += accepted;
    return t;
}

static double time_serialize(ser_fn fn, size_t first, size_t n)
{
    const ev_completed *s = structs + first;
    double t0 = now_ns();
    for (size_t i = 0; i < n; i++)
        if (fn(&s[i], out_buf, OUT_CAP) == 0)
            die("%s", "a serializer failed during timing");
    return now_ns() - t0;
}

/* One timed contender: a parser (expecting `expect`) or a serializer. */
typedef struct contender {
    const char *name;
    bw_parse_fn parse;
    ser_fn ser;
    int expect;
} contender;

static double run(const contender *t, const corpus *c, size_t first, size_t n)
{
    return t->ser ? time_serialize(t->ser, first, n) : time_parse(t->parse, c, first, n, t->expect);
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
    double ns[MAX_TIMED];     /* median ns/doc */
    double mbs[MAX_TIMED];    /* median MB/s */
    double ratio[MAX_TIMED], lo[MAX_TIMED], hi[MAX_TIMED];
} result;

static volatile uint64_t touch_sink;

/* reps rounds. Round r takes the chunk of `chunk` documents at r * chunk
 * (wrapping), touches it once untimed (so everyone finds it in cache),
 * then every contender but the first runs over it right next to the first
 * (which one goes first alternates; the order of the others rotates). The
 * pair gives that round's ratio to the first. */
static result measure(const contender *t, int nt, const corpus *c, int reps, size_t chunk)
{
    static double ns[MAX_TIMED][MAX_REPS * MAX_TIMED], mbs[MAX_TIMED][MAX_REPS * MAX_TIMED],
        ratios[MAX_TIMED][MAX_REPS];
    int nref = 0;
    size_t nchunks = (c->n + chunk - 1) / chunk;
    result r;
    for (int i = 0; i < nt; i++) /* warm up: each over the first chunk */
        run(&t[i], c, 0, chunk < c->n ? chunk : c->n);
    for (int rep = 0; rep < reps; rep++) {
        size_t first = (size_t)rep % nchunks * chunk;
        size_t n = first + chunk <= c->n ? chunk : c->n - first;
        size_t bytes = 0;
        for (size_t i = first; i < first + n; i++) {
            bytes += t[0].ser ? canon[i].len : c->docs[i].len;
            for (size_t b = 0; b < c->docs[i].len; b += 64)
                touch_sink += (unsigned char)c->docs[i].buf[b];
            if (t[0].ser) /* the serializers read the structs too */
                touch_sink += structs[i].has_schemaVersion;
        }
        for (int k = 0; k < nt - 1; k++) {
            int i = 1 + (k + rep) % (nt - 1);
            double te, tp;
            if ((rep + k) % 2) {
                te = run(&t[0], c, first, n);
                tp = run(&t[i], c, first, n);
            } else {
                tp = run(&t[i], c, first, n);
                te = run(&t[0], c, first, n);
            }
            ns[0][nref] = te / (double)n;
            mbs[0][nref++] = (double)bytes / te * 1e3;
            ns[i][rep] = tp / (double)n;
            mbs[i][rep] = (double)bytes / tp * 1e3;
            ratios[i][rep] = tp / te;
        }
    }
    r.ns[0] = median(ns[0], nref);
    r.mbs[0] = median(mbs[0], nref);
    r.ratio[0] = r.lo[0] = r.hi[0] = 1;
    for (int i = 1; i < nt; i++) {
        r.ns[i] = median(ns[i], reps);
        r.mbs[i] = median(mbs[i], reps);
        r.ratio[i] = median(ratios[i], reps); /* sorts */
        r.lo[i] = ratios[i][reps / 4];
        r.hi[i] = ratios[i][(3 * reps) / 4];
    }
    return r;
}

static void print_result(const char *title, const contender *t, int nt, const result *r)
{
    printf("%s\n  %-11s %8s %9s  %s\n", title, "", "ns/doc", "MB/s", "x first [q1..q3]");
    for (int i = 0; i < nt; i++) {
        printf("  %-11s %8.0f %9.1f  ", t[i].name, r->ns[i], r->mbs[i]);
        if (i)
            printf("%5.2f [%.2f..%.2f]\n", r->ratio[i], r->lo[i], r->hi[i]);
        else
            printf(" 1.00\n");
    }
    printf("\n");
    fflush(stdout);
}

static contender as_contender(const bw_peer *p, int expect)
{
    contender t = {p->name, p->parse, NULL, expect};
    return t;
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

/* ------------------------------------------------------------------ callgrind */

static const bw_peer *cg_parser;
static ser_fn cg_ser;
static const corpus *cg_corpus;

/* valgrind --tool=callgrind --toggle-collect=cg_batch counts only what runs
 * in here: documents [0, n) through one parser or serializer. */
__attribute__((noinline)) size_t cg_batch(size_t n);
__attribute__((noinline)) size_t cg_batch(size_t n)
{
    size_t accepted = 0;
    for (size_t i = 0; i < n; i++) {
        if (cg_ser)
            accepted += cg_ser(&structs[i], out_buf, OUT_CAP) > 0;
        else
            accepted += cg_parser->parse(cg_corpus->docs[i].buf, cg_corpus->docs[i].len,
                                         &timing_out, NULL);
    }
    return accepted;
}

static int run_callgrind(const char *dir, const char *name, const char *n_s, const char *which)
{
    long n = atol(n_s);
    const char *file = strcmp(which, "voice") == 0     ? "voice-completed.jsonl"
                     : strcmp(which, "mixed") == 0   ? "mixed.jsonl"
                     : strcmp(which, "invalid") == 0 ? "invalid.jsonl"
                                                     : NULL;
    if (!file || n < 1)
        die("%s", "usage: wire_bench --callgrind NAME N [voice|mixed|invalid]");
    static corpus c;
    c = load_corpus(dir, file, (size_t)n);
    if (c.n < (size_t)n)
        die("the corpus %s is shorter than N", file);
    cg_corpus = &c;
    for (int i = 0; i < N_SER; i++)
        if (strcmp(serializers[i].name, name) == 0)
            cg_ser = serializers[i].fn;
    if (cg_ser) {
        if (strcmp(which, "voice") != 0)
            die("%s", "serializers run on the voice corpus");
        prepare_serializer(&c);
    } else if (!(cg_parser = find_parser(name))) {
        die("unknown parser or serializer %s", name);
    }
    size_t accepted = cg_batch((size_t)n);
    printf("%s %s %zu documents %zu bytes %zu accepted; %s\n", name, file, c.n, c.bytes, accepted,
           cg_parser ? cg_parser->version() : "serializer");
    return 0;
}

/* ------------------------------------------------------------------ main */

static void usage(void)
{
    fprintf(stderr, "usage: wire_bench [--dir DIR] [--docs N] [--reps N] [--chunk N]\n"
                    "       wire_bench [--dir DIR] --callgrind NAME N [voice|mixed|invalid]\n");
    exit(2);
}

static void print_corpus(const corpus *c, const char *what)
{
    printf("  %-22s %7zu documents, %6.2f MB, %5.0f bytes/doc: %s\n", c->name, c->n,
           (double)c->bytes / 1e6, (double)c->bytes / (double)c->n, what);
}

int main(int argc, char **argv)
{
    const char *dir = "build/bench";
    const char *cg[3] = {NULL, NULL, "voice"};
    size_t limit = 0, chunk = 200;
    int reps = 400;
    for (int i = 1; i < argc; i++) {
        if (strcmp(argv[i], "--dir") == 0 && i + 1 < argc) {
            dir = argv[++i];
        } else if (strcmp(argv[i], "--docs") == 0 && i + 1 < argc) {
            limit = (size_t)atol(argv[++i]);
        } else if (strcmp(argv[i], "--reps") == 0 && i + 1 < argc) {
            reps = atoi(argv[++i]);
        } else if (strcmp(argv[i], "--chunk") == 0 && i + 1 < argc) {
            chunk = (size_t)atol(argv[++i]);
        } else if (strcmp(argv[i], "--callgrind") == 0 && i + 2 < argc) {
            cg[0] = argv[++i];
            cg[1] = argv[++i];
            if (i + 1 < argc && argv[i + 1][0] != '-')
                cg[2] = argv[++i];
        } else {
            usage();
        }
    }
    if (reps < 1 || reps > MAX_REPS || chunk < 1)
        usage();
    evg_arena_init(&evgen_arena, evgen_arena_buf, sizeof evgen_arena_buf);
    if (cg[0])
        return run_callgrind(dir, cg[0], cg[1], cg[2]);

    corpus voice = load_corpus(dir, "voice-completed.jsonl", limit);
    corpus mixed = load_corpus(dir, "mixed.jsonl", 0);
    corpus invalid = load_corpus(dir, "invalid.jsonl", 0);
    char **labels = load_labels(dir, invalid.n);

    printf("Wire benchmark: whole documents in their envelopes (docs/benchmarks.md, \"Wire path\").\n"
           "Parsers:\n");
    for (size_t i = 0; i < N_VOICE; i++)
        printf("  %-11s %s\n", voice_parsers[i]->name, voice_parsers[i]->version());
    printf("  (evgen-wire: ev_mashell_voice_phone_completed_cc_event_v1_1_0_0_parse_wire;"
           " evgen-any: ev_parse_any)\nSerializers:\n");
    for (int i = 0; i < N_SER; i++)
        printf("  %-11s %s\n", serializers[i].name, serializers[i].what);
    printf("Corpora (%s):\n", dir);
    print_corpus(&voice, "(a) mashell-voice-phone-completed-cc-event-v1 1.0.0, Maestro envelope");
    print_corpus(&mixed, "(b) every event version of the catalog");
    print_corpus(&invalid, "(c) broken documents made like (a)");
    printf("\n");

    /* ---- agreement */
    size_t kinds[EV_KIND_COUNT_];
    invalid_counts ic[N_CHECKED_INVALID];
    int f_voice = check_voice(&voice);
    prepare_serializer(&voice);
    int f_ser = check_serializers(&voice);
    int f_mixed = check_mixed(&mixed, kinds);
    int f_invalid = check_invalid(&invalid, labels, ic);
    size_t nkinds = 0;
    for (int k = 1; k < EV_KIND_COUNT_; k++)
        nkinds += kinds[k] > 0;
    printf("Agreement (checked before timing; any failure stops the bench):\n"
           "  (a) %zu documents x %zu parsers: the values of evgen-wire, member by member: %d failed\n"
           "  serializers: ser-hand writes evgen's bytes, and evgen's output parses back to the\n"
           "      same values, for all %zu: %d failed\n"
           "  (b) ev_parse_any accepts all %zu documents (%zu kinds seen): %d failed\n"
           "  (c) %zu documents x %zu parsers rejected: %d failed\n",
           voice.n, N_VOICE - 2, f_voice, voice.n, f_ser, mixed.n, nkinds, f_mixed, invalid.n,
           N_CHECKED_INVALID, f_invalid);
    printf("      %-11s %8s %8s %s\n", "", "rejected", "failed", "excused (the library cannot see it)");
    for (size_t k = 0; k < N_CHECKED_INVALID; k++) {
        const bw_peer *p = checked_on_invalid[k];
        printf("      %-11s %8zu %8zu ", p->name, ic[k].rejected, ic[k].failed);
        if (!p->blind)
            printf("-\n");
        else
            printf("accepted %zu of the %zu documents with %s\n", ic[k].excused, ic[k].excusable,
                   p->blind & BW_BLIND_DUPLICATES ? "a schema key given twice"
                                                  : "a \\u escape of non-hex digits");
    }
    printf("\n");
    if (f_voice || f_ser || f_mixed || f_invalid) {
        fprintf(stderr, "wire_bench: parsers disagree; not timing anything\n");
        return 1;
    }

    /* ---- timing */
    char cpu[128];
    cpu_model(cpu, sizeof cpu);
    printf("Timing: %d rounds of %zu-document chunks, chunk k in round k (wrapping); each chunk\n"
           "is touched once untimed, then every contender runs over it next to the first of its\n"
           "table (order alternating, the others rotating). ns/doc and MB/s are medians over\n"
           "rounds; \"x first\" is the median of the per-round ratios, [q1..q3] their quartiles.\n"
           "Above 1: slower than the first. CPU: %s, %ld online CPUs.\n\n",
           reps, chunk, cpu, sysconf(_SC_NPROCESSORS_ONLN));

    contender tv[N_VOICE];
    for (size_t i = 0; i < N_VOICE; i++)
        tv[i] = as_contender(voice_parsers[i], 1);
    result rv = measure(tv, (int)N_VOICE, &voice, reps, chunk);
    print_result("(a) voice-completed.jsonl: parse, validate, fill the struct", tv, (int)N_VOICE, &rv);

    contender tm[N_MIXED];
    for (int i = 0; i < N_MIXED; i++)
        tm[i] = as_contender(mixed_parsers[i], 1);
    result rm = measure(tm, N_MIXED, &mixed, reps, chunk);
    print_result("(b) mixed.jsonl: every event version through ev_parse_any (the peers would need\n"
                 "    a parser for each of the catalog's event versions: not measured)", tm, N_MIXED, &rm);

    contender ti[N_INVALID];
    for (int i = 0; i < N_INVALID; i++)
        ti[i] = as_contender(invalid_parsers[i], invalid_parsers[i]->blind ? -1 : 0);
    result ri = measure(ti, N_INVALID, &invalid, reps, chunk);
    print_result("(c) invalid.jsonl: reject", ti, N_INVALID, &ri);

    contender ts[N_SER];
    for (int i = 0; i < N_SER; i++)
        ts[i] = (contender){serializers[i].name, NULL, serializers[i].fn, 1};
    result rs = measure(ts, N_SER, &voice, reps, chunk);
    print_result("Serializer, the structs of (a) (MB/s of output)", ts, N_SER, &rs);

    printf("Summary, ns/doc / evgen-wire ns/doc (median of per-round ratios; (b) and (c) to evgen-any):\n"
           "  (a)");
    for (size_t i = 1; i < N_VOICE; i++)
        printf(" %s %.2f%s", tv[i].name, rv.ratio[i], i + 1 < N_VOICE ? "," : "\n");
    printf("  (b) byte-sum %.2f   (c)", rm.ratio[1]);
    for (int i = 1; i < N_INVALID; i++)
        printf(" %s %.2f%s", ti[i].name, ri.ratio[i], i + 1 < N_INVALID ? "," : "\n");
    printf("  serializer: ser-hand %.2f, ser-memcpy %.2f (to ser-evgen)\n", rs.ratio[1], rs.ratio[2]);
    return 0;
}
