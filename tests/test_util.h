/* test_util.h - small helpers shared by the runtime suites: read a file,
 * minify JSON, wrap a bare payload in its envelope, load the samples.
 * Everything is static inline so a suite may use any subset. */
#ifndef TESTS_TEST_UTIL_H
#define TESTS_TEST_UTIL_H

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "dispatch.h"
#include "json_tree.h"

#define SAMPLES_DIR "tests/samples"

/* The catalog's event and version of that name; the test fails when absent.
 * (Suites include <cmocka.h> before this header.) */
static inline const evg_event_info *event_of(const char *name)
{
    const evg_event_info *e = ev_find_event(name, strlen(name));
    assert_non_null(e);
    return e;
}

static inline const evg_version_info *version_of(const char *event, const char *version)
{
    const evg_version_info *v = ev_find_version(event_of(event), version, strlen(version));
    assert_non_null(v);
    return v;
}

/* The whole file, NUL-terminated (malloc'd); NULL if it cannot be read. */
static inline char *tu_read_file(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 4096, n = 0;
    char *buf = malloc(cap);
    size_t got;
    while ((got = fread(buf + n, 1, cap - n - 1, f)) > 0) {
        n += got;
        if (cap - n < 2)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    buf[n] = '\0';
    if (len)
        *len = n;
    return buf;
}

/* The same JSON without insignificant whitespace (malloc'd), NULL if invalid. */
static inline char *tu_minify(const char *json, size_t len, size_t *out_len)
{
    jt_node *t = jt_parse(json, len);
    if (!t)
        return NULL;
    char *s = jt_write(t, 0, out_len);
    jt_free(t);
    return s;
}

static inline char *tu_printf(size_t *out_len, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static inline char *tu_printf(size_t *out_len, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(NULL, 0, fmt, ap);
    va_end(ap);
    char *s = malloc((size_t)n + 1);
    va_start(ap, fmt);
    vsnprintf(s, (size_t)n + 1, fmt, ap);
    va_end(ap);
    if (out_len)
        *out_len = (size_t)n;
    return s;
}

/* The wires of catalog.yaml that carry events, as these tests know them:
 * written by hand from docs/dispatch.md, not read from the generated tables. */
typedef enum tu_wire {
    TU_WIRE_BARE,          /* the payload alone */
    TU_WIRE_MAESTRO,       /* {"eventType","status","data"} */
    TU_WIRE_SDK_EVENT,     /* {"type":"event","schemaVersion":"1.0.0","message":{"eventName","value"}} */
    TU_WIRE_SDK_REQUEST,   /* {"type":"request",...,"message":{"action","namespace","value":{"name","data"}}} */
    TU_WIRE_SDK_RESPONSE,  /* {"type":"response","message":{"namespace","request","value"}} */
    TU_WIRE_SDK_ERROR,     /* {"type":"error","message":{"original","error"}} */
    TU_WIRE_DIRECTIVE      /* {"eventName","family":"external","content","schemaVersion"} */
} tu_wire;

/* The wires an event travels in, from the upstream facts (delivery.md):
 * mashell events in the Maestro envelope and the SDK event message (TYPES.md
 * types them so), the two send events in the sendEvent request, the protocol
 * messages in their own; every other event in the SDK event message. */
static inline size_t tu_event_wires(const char *event, tu_wire out[2])
{
    if (strncmp(event, "mashell-", 8) == 0) {
        out[0] = TU_WIRE_MAESTRO;
        out[1] = TU_WIRE_SDK_EVENT;
        return 2;
    }
    if (strcmp(event, "aw-chat-message-received-v1") == 0 ||
        strcmp(event, "aw-interaction-wrap-up-codes-received-v1") == 0)
        out[0] = TU_WIRE_SDK_REQUEST;
    else if (strcmp(event, "getEvents") == 0)
        out[0] = TU_WIRE_SDK_RESPONSE;
    else if (strcmp(event, "partner-sdk-error") == 0)
        out[0] = TU_WIRE_SDK_ERROR;
    else if (strcmp(event, "maEvent") == 0)
        out[0] = TU_WIRE_DIRECTIVE;
    else
        out[0] = TU_WIRE_SDK_EVENT;
    return 1;
}

/* The wire a parsed document came in, by its catalog name. */
static inline tu_wire tu_wire_of(const evg_wire_info *w)
{
    if (!w)
        return TU_WIRE_BARE;
    if (strcmp(w->name, "maestro") == 0 || strcmp(w->name, "maestro/failed") == 0)
        return TU_WIRE_MAESTRO;
    if (strcmp(w->name, "partner-sdk-event") == 0)
        return TU_WIRE_SDK_EVENT;
    if (strcmp(w->name, "partner-sdk-request") == 0)
        return TU_WIRE_SDK_REQUEST;
    if (strcmp(w->name, "partner-sdk-response") == 0)
        return TU_WIRE_SDK_RESPONSE;
    if (strcmp(w->name, "partner-sdk-error") == 0)
        return TU_WIRE_SDK_ERROR;
    if (strcmp(w->name, "maestro-directive") == 0)
        return TU_WIRE_DIRECTIVE;
    return TU_WIRE_BARE;
}

/* The first wire of a version's event: Maestro for mashell events, the
 * sendEvent request for send events, the SDK event message otherwise. */
static inline tu_wire tu_home_wire(const evg_version_info *v)
{
    const evg_event_info *e = ev_find_event(v->event, strlen(v->event));
    return e && e->wire_count ? tu_wire_of(&ev_wires[e->wires[0]]) : TU_WIRE_BARE;
}

/* Text before and after a payload in the envelope `wire` carries for `event`
 * (docs/catalog.md, "Wires"); `format_version` NULL leaves out the Partner
 * SDK message's top-level schemaVersion (the message-format version, never
 * the event's). Returns the prefix; *suffix is static. */
static inline char *tu_envelope_prefix(tu_wire wire, const char *event, const char *format_version,
                                       const char **suffix)
{
    switch (wire) {
    case TU_WIRE_MAESTRO:
        *suffix = "}";
        return tu_printf(NULL, "{\"eventType\":\"%s\",\"status\":\"success\",\"data\":", event);
    case TU_WIRE_SDK_EVENT:
        *suffix = "}}";
        if (format_version)
            return tu_printf(NULL, "{\"type\":\"event\",\"schemaVersion\":\"%s\",\"message\":{\"eventName\":\"%s\",\"value\":",
                             format_version, event);
        return tu_printf(NULL, "{\"type\":\"event\",\"message\":{\"eventName\":\"%s\",\"value\":", event);
    case TU_WIRE_SDK_RESPONSE:
    case TU_WIRE_SDK_ERROR:
        *suffix = "}";
        if (format_version)
            return tu_printf(NULL, "{\"type\":\"%s\",\"schemaVersion\":\"%s\",\"message\":",
                             wire == TU_WIRE_SDK_ERROR ? "error" : "response", format_version);
        return tu_printf(NULL, "{\"type\":\"%s\",\"message\":", wire == TU_WIRE_SDK_ERROR ? "error" : "response");
    case TU_WIRE_DIRECTIVE:
        /* Here the version stated is the event's own. */
        *suffix = "}";
        if (format_version)
            return tu_printf(NULL, "{\"eventName\":\"%s\",\"family\":\"external\",\"schemaVersion\":\"%s\",\"content\":",
                             event, format_version);
        return tu_printf(NULL, "{\"eventName\":\"%s\",\"family\":\"external\",\"content\":", event);
    case TU_WIRE_SDK_REQUEST:
        *suffix = "}}}";
        if (format_version)
            return tu_printf(NULL, "{\"type\":\"request\",\"schemaVersion\":\"%s\",\"message\":{\"action\":\"sendEvent\","
                                   "\"namespace\":\"system\",\"value\":{\"name\":\"%s\",\"data\":", format_version, event);
        return tu_printf(NULL, "{\"type\":\"request\",\"message\":{\"action\":\"sendEvent\",\"namespace\":\"system\","
                               "\"value\":{\"name\":\"%s\",\"data\":", event);
    default:
        *suffix = "";
        return tu_printf(NULL, "%s", "");
    }
}

/* A bare payload wrapped in its envelope (malloc'd). `version` is the
 * Partner SDK message's format version (NULL: left out), or for the
 * directive the event version it carries (NULL: left out). */
static inline char *tu_wrap(tu_wire wire, const char *event, const char *version, const char *payload,
                            size_t payload_len, size_t *out_len)
{
    const char *suffix;
    char *prefix = tu_envelope_prefix(wire, event, version, &suffix);
    char *s = tu_printf(out_len, "%s%.*s%s", prefix, (int)payload_len, payload, suffix);
    free(prefix);
    return s;
}

/* What tu_wrap states for version `v` in `wire`, as a well-behaved sender
 * would: the Partner SDK's format version, the directive's event version. */
static inline const char *tu_stated(tu_wire wire, const evg_version_info *v)
{
    if (wire == TU_WIRE_DIRECTIVE)
        return v->version;
    if (wire == TU_WIRE_SDK_EVENT || wire == TU_WIRE_SDK_REQUEST || wire == TU_WIRE_SDK_RESPONSE ||
        wire == TU_WIRE_SDK_ERROR)
        return "1.0.0";
    return NULL;
}

/* The JSON Pointer steps from an envelope's root to its payload. */
static inline const char *tu_payload_pointer(tu_wire wire)
{
    switch (wire) {
    case TU_WIRE_MAESTRO: return "/data";
    case TU_WIRE_SDK_EVENT: return "/message/value";
    case TU_WIRE_SDK_REQUEST: return "/message/value/data";
    case TU_WIRE_SDK_RESPONSE:
    case TU_WIRE_SDK_ERROR: return "/message";
    case TU_WIRE_DIRECTIVE: return "/content";
    default: return "";
    }
}

/* One sample file, tests/samples/<event>-<version>.json. */
typedef struct tu_sample {
    char file[256];
    const evg_version_info *info;
    char *text;           /* as stored (pretty; Maestro samples are envelopes) */
    size_t len;
    char *payload;        /* the bare payload, minified */
    size_t payload_len;
} tu_sample;

static inline int tu_name_cmp(const void *a, const void *b)
{
    return strcmp(((const tu_sample *)a)->file, ((const tu_sample *)b)->file);
}

/* Matches "<event>-<version>.json" against ev_versions[]; NULL if none. */
static inline const evg_version_info *tu_version_of_file(const char *file)
{
    for (size_t i = 0; i < EV_VERSION_COUNT; i++) {
        const evg_version_info *v = &ev_versions[i];
        size_t ne = strlen(v->event), nv = strlen(v->version);
        if (strlen(file) == ne + 1 + nv + 5 && memcmp(file, v->event, ne) == 0 && file[ne] == '-' &&
            memcmp(file + ne + 1, v->version, nv) == 0 && strcmp(file + ne + 1 + nv, ".json") == 0)
            return v;
    }
    return NULL;
}

static inline void tu_free_samples(tu_sample *s, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        free(s[i].text);
        free(s[i].payload);
    }
    free(s);
}

/* Every .json file of tests/samples, sorted by name (malloc'd array). A file that
 * matches no event version keeps info NULL for the caller to report. */
static inline tu_sample *tu_load_samples(size_t *count)
{
    DIR *d = opendir(SAMPLES_DIR);
    if (!d)
        return NULL;
    size_t n = 0, cap = 64;
    tu_sample *s = calloc(cap, sizeof *s);
    struct dirent *e;
    while ((e = readdir(d)) != NULL) {
        size_t len = strlen(e->d_name);
        if (len < 6 || strcmp(e->d_name + len - 5, ".json") != 0)
            continue;
        if (n == cap) {
            s = realloc(s, (cap *= 2) * sizeof *s);
            memset(s + n, 0, (cap - n) * sizeof *s);
        }
        snprintf(s[n].file, sizeof s[n].file, "%s", e->d_name);
        n++;
    }
    closedir(d);
    qsort(s, n, sizeof *s, tu_name_cmp);
    for (size_t i = 0; i < n; i++) {
        char path[512];
        snprintf(path, sizeof path, "%s/%s", SAMPLES_DIR, s[i].file);
        s[i].text = tu_read_file(path, &s[i].len);
        s[i].info = tu_version_of_file(s[i].file);
        jt_node *t = s[i].text ? jt_parse(s[i].text, s[i].len) : NULL;
        if (t && s[i].info) {
            const jt_node *payload = tu_home_wire(s[i].info) == TU_WIRE_MAESTRO ? jt_get(t, "data") : t;
            if (payload)
                s[i].payload = jt_write(payload, 0, &s[i].payload_len);
        }
        jt_free(t);
    }
    *count = n;
    return s;
}

#endif /* TESTS_TEST_UTIL_H */
