/* evdecode - validate and canonicalize a stream of 8x8 event documents.
 *
 *   evdecode [--strict] [--event NAME] [--date YYYY-MM-DD] [FILE...]
 *
 * Reads JSON documents, one per line, from the files named or standard
 * input, and writes one line per document, in order: the canonical
 * re-serialized document when it is valid, otherwise
 *   error: CODE: POINTER: MESSAGE (offset N)
 * Lines holding only whitespace are not documents and are skipped.
 * Lifecycle: a deprecated (or not yet active) version prints a warning on
 * standard error; a sunset version is an error line. Exit status: 0 when
 * every document was valid, 1 otherwise, 2 on usage errors and when a
 * file cannot be read.
 *
 * This is also the example of the generated API: ev_parse_any /
 * ev_parse_bare into an ev_any, lifecycle from ev_any.info, and
 * ev_serialize_any for the canonical form. */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "dispatch.h"

/* The arena grows (by retrying the parse) up to this size per document. */
#define ARENA_LIMIT ((size_t)1 << 30)

typedef struct options {
    unsigned flags;
    const evg_event_info *event;   /* --event: bare payloads of this event */
    int32_t date;                  /* YYYYMMDD */
} options;

typedef struct decoder {
    options opt;
    char *arena_buf;
    size_t arena_cap;
    char *out;
    size_t out_cap;
    unsigned long documents, invalid;
} decoder;

static void usage(FILE *f)
{
    fputs("usage: evdecode [--strict] [--event NAME] [--date YYYY-MM-DD] [FILE...]\n"
          "Validates JSON event documents, one per line, and prints each in canonical form\n"
          "or as 'error: CODE: POINTER: MESSAGE (offset N)'.\n"
          "  --strict        unknown keys, unknown minor versions and a missing\n"
          "                  schemaVersion are errors\n"
          "  --event NAME    the documents are bare payloads of event NAME\n"
          "  --date DATE     judge lifecycle (deprecated, sunset) on DATE, not today\n",
          f);
}

static void *xrealloc(void *p, size_t n)
{
    void *q = realloc(p, n);
    if (!q) {
        fputs("evdecode: out of memory\n", stderr);
        exit(2);
    }
    return q;
}

/* "2026-11-21" -> 20261121, or -1: exactly four, two and two digits. */
static int32_t parse_date(const char *s)
{
    if (strlen(s) != 10 || s[4] != '-' || s[7] != '-')
        return -1;
    for (int i = 0; i < 10; i++)
        if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
            return -1;
    int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
    static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
    if (y < 1 || m < 1 || m > 12 || d < 1 || d > days[m - 1])
        return -1;
    bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
    if (m == 2 && d == 29 && !leap)
        return -1;
    return y * 10000 + m * 100 + d;
}

static int32_t today(void)
{
    time_t now = time(NULL);
    struct tm tm;
    if (!gmtime_r(&now, &tm))
        return 0;
    return (tm.tm_year + 1900) * 10000 + (tm.tm_mon + 1) * 100 + tm.tm_mday;
}

static void print_date(FILE *f, int32_t d)
{
    fprintf(f, "%04d-%02d-%02d", (int)(d / 10000), (int)(d / 100 % 100), (int)(d % 100));
}

static void print_error(const evg_error *err)
{
    char line[512];
    evg_error_format(err, line, sizeof line);
    printf("error: %s\n", line);
}

/* Parses with the arena doubled until the document fits (or the limit). */
static bool parse(decoder *dec, const char *json, size_t len, ev_any *ev, evg_error *err)
{
    for (;;) {
        evg_arena arena;
        evg_arena_init(&arena, dec->arena_buf, dec->arena_cap);
        bool ok = dec->opt.event
                      ? ev_parse_bare(dec->opt.event, json, len, ev, &arena, dec->opt.flags, err)
                      : ev_parse_any(json, len, ev, &arena, dec->opt.flags, err);
        if (ok || err->code != EVG_ERR_ARENA_FULL || dec->arena_cap >= ARENA_LIMIT)
            return ok;
        dec->arena_cap *= 2;
        dec->arena_buf = xrealloc(dec->arena_buf, dec->arena_cap);
    }
}

/* Lifecycle and version warnings; false when the version is sunset. */
static bool judge(decoder *dec, const ev_any *ev, unsigned long line)
{
    const evg_version_info *v = ev->info;
    if (!v)
        return true;   /* a Maestro failure envelope: no version of its own */
    if (ev->flags & EVG_FALLBACK)
        fprintf(stderr, "warning: line %lu: %s: schemaVersion not known exactly; parsed as %s\n",
                line, v->event, v->version);
    if ((ev->flags & EVG_VERSION_ASSUMED) && ev->event->version_count > 1)
        fprintf(stderr, "warning: line %lu: %s: no schemaVersion; parsed as the newest, %s\n",
                line, v->event, v->version);
    switch (evg_status_on(v, dec->opt.date)) {
    case EVG_STATUS_SUNSET:
        printf("error: %s: (root): %s %s was sunset on ", evg_code_name(EVG_ERR_SUNSET), v->event,
               v->version);
        print_date(stdout, v->sunset);
        printf(" (offset 0)\n");
        return false;
    case EVG_STATUS_DEPRECATED:
        fprintf(stderr, "warning: line %lu: %s %s is deprecated since ", line, v->event, v->version);
        print_date(stderr, v->deprecated);
        if (v->sunset) {
            fputs(", sunset on ", stderr);
            print_date(stderr, v->sunset);
        }
        fputc('\n', stderr);
        return true;
    case EVG_STATUS_PENDING:
        fprintf(stderr, "warning: line %lu: %s %s is not active until ", line, v->event, v->version);
        print_date(stderr, v->active);
        fputc('\n', stderr);
        return true;
    default:
        return true;
    }
}

static void decode_line(decoder *dec, const char *json, size_t len, unsigned long line)
{
    ev_any ev;
    evg_error err;
    dec->documents++;
    if (!parse(dec, json, len, &ev, &err)) {
        print_error(&err);
        dec->invalid++;
        return;
    }
    if (!judge(dec, &ev, line)) {
        dec->invalid++;
        return;
    }
    size_t need = ev_serialize_any(&ev, dec->out, dec->out_cap, NULL);
    if (need >= dec->out_cap) {
        dec->out_cap = need + 1;
        dec->out = xrealloc(dec->out, dec->out_cap);
        ev_serialize_any(&ev, dec->out, dec->out_cap, NULL);
    }
    fwrite(dec->out, 1, need, stdout);
    fputc('\n', stdout);
}

static bool blank(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

/* False when the stream could not be read to its end. */
static bool decode_stream(decoder *dec, FILE *in)
{
    char *line = NULL;
    size_t cap = 0;
    ssize_t n;
    unsigned long number = 0;
    while ((n = getline(&line, &cap, in)) >= 0) {
        number++;
        size_t len = (size_t)n;
        if (len && line[len - 1] == '\n')
            len--;
        if (blank(line, len))
            continue;
        decode_line(dec, line, len, number);
    }
    free(line);
    return !ferror(in);
}

int main(int argc, char **argv)
{
    decoder dec;
    memset(&dec, 0, sizeof dec);
    dec.opt.date = today();
    int first_file = argc;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (strcmp(a, "--") == 0) {
            first_file = i + 1;
            break;
        }
        if (a[0] != '-' || strcmp(a, "-") == 0) {
            first_file = i;
            break;
        }
        if (strcmp(a, "--strict") == 0) {
            dec.opt.flags |= EVG_STRICT;
        } else if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
            usage(stdout);
            return 0;
        } else if (strcmp(a, "--event") == 0 || strcmp(a, "--date") == 0) {
            if (i + 1 >= argc) {
                fprintf(stderr, "evdecode: %s needs a value\n", a);
                usage(stderr);
                return 2;
            }
            const char *val = argv[++i];
            if (a[2] == 'e') {
                dec.opt.event = ev_find_event(val, strlen(val));
                if (!dec.opt.event) {
                    fprintf(stderr, "evdecode: unknown event '%s'\n", val);
                    return 2;
                }
            } else if ((dec.opt.date = parse_date(val)) < 0) {
                fprintf(stderr, "evdecode: --date wants YYYY-MM-DD, not '%s'\n", val);
                return 2;
            }
        } else {
            fprintf(stderr, "evdecode: unknown option '%s'\n", a);
            usage(stderr);
            return 2;
        }
    }
    dec.arena_cap = 1 << 16;
    dec.arena_buf = xrealloc(NULL, dec.arena_cap);
    dec.out_cap = 1 << 16;
    dec.out = xrealloc(NULL, dec.out_cap);

    int status = 0;
    if (first_file >= argc) {
        if (!decode_stream(&dec, stdin)) {
            fprintf(stderr, "evdecode: standard input: %s\n", strerror(errno));
            status = 2;
        }
    } else {
        for (int i = first_file; i < argc; i++) {
            FILE *f = strcmp(argv[i], "-") == 0 ? stdin : fopen(argv[i], "rb");
            if (!f) {
                fprintf(stderr, "evdecode: %s: %s\n", argv[i], strerror(errno));
                status = 2;
                continue;
            }
            if (!decode_stream(&dec, f)) {
                fprintf(stderr, "evdecode: %s: %s\n", argv[i], strerror(errno));
                status = 2;
            }
            if (f != stdin)
                fclose(f);
        }
    }
    free(dec.arena_buf);
    free(dec.out);
    if (fflush(stdout) != 0)
        return 2;
    if (status)
        return status;
    return dec.invalid ? 1 : 0;
}
