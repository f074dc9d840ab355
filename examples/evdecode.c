/* evdecode - validate and canonicalize a stream of 8x8 event documents.
 *
 *   evdecode [--strict] [--event NAME] [--date YYYY-MM-DD] [--max-size BYTES]
 *            [FILE...]
 *
 * Reads JSON documents, one per line, from the files named or standard
 * input, and writes one line per document, in order: the canonical
 * re-serialized document when it is valid, otherwise
 *   error: CODE: POINTER: MESSAGE (offset N)
 * Lines holding only whitespace are not documents and are skipped. A line
 * longer than the document limit (--max-size, default EVG_MAX_INPUT) is a
 * TOO_LARGE error line; it is read past, never held in memory whole, so
 * reading costs memory bounded by the limit whatever the input.
 * Lifecycle: a deprecated (or not yet active) version prints a warning on
 * standard error; a sunset version is an error line. Exit status: 0 when
 * every document was valid, 1 otherwise, 2 on usage errors and when a
 * file cannot be opened or read to its end (a read error, or no memory):
 * input is never dropped without a message on standard error and status 2.
 *
 * This is also the example of the generated API: ev_parse_any /
 * ev_parse_bare into an ev_any, lifecycle from ev_any.info, and
 * ev_serialize_any for the canonical form. */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "dispatch.h"

/* The arena grows (by retrying the parse) up to this size per document. */
#define ARENA_LIMIT ((size_t)1 << 30)

/* Input is read this much at a time; the buffer grows past it only for a
 * line that does not fit, and then never past the document limit. */
#define READ_CHUNK ((size_t)64 << 10)

typedef struct options {
    unsigned flags;
    const evg_event_info *event;   /* --event: bare payloads of this event */
    int32_t date;                  /* YYYYMMDD */
    size_t max_size;               /* --max-size: longest document, in bytes */
} options;

/* Splits a file descriptor into lines, holding at most `limit` + 1 bytes
 * of a line: a longer line is read past up to its newline without being
 * stored. Unconsumed input is buf[start..end); buf[start..start+scanned)
 * is known to hold no newline. The buffer lives across files. */
typedef struct line_reader {
    int fd;
    char *buf;
    size_t cap, start, end, scanned;
    size_t limit;
    bool at_eof;
    int error;                     /* errno of the failure, for LINE_FAILED */
} line_reader;

typedef enum line_status {
    LINE_DOCUMENT,    /* a line of at most `limit` bytes, newline removed */
    LINE_TOO_LONG,    /* a longer line, skipped */
    LINE_END,         /* the end of the input */
    LINE_FAILED,      /* a read error or no memory: the input was not read to its end */
} line_status;

typedef struct decoder {
    options opt;
    line_reader reader;
    char *arena_buf;
    size_t arena_cap;
    char *out;
    size_t out_cap;
    char too_large_message[64];    /* TOO_LARGE's message, naming the limit */
    unsigned long documents, invalid;
} decoder;

static void usage(FILE *f)
{
    fprintf(f,
            "usage: evdecode [--strict] [--event NAME] [--date YYYY-MM-DD] [--max-size BYTES]\n"
            "                [FILE...]\n"
            "Validates JSON event documents, one per line, and prints each in canonical form\n"
            "or as 'error: CODE: POINTER: MESSAGE (offset N)'.\n"
            "  --strict          unknown keys, unknown minor versions and a missing\n"
            "                    schemaVersion are errors\n"
            "  --event NAME      the documents are bare payloads of event NAME\n"
            "  --date DATE       judge lifecycle (deprecated, sunset) on DATE, not today\n"
            "  --max-size BYTES  longer lines are TOO_LARGE errors (1 to %zu, the default)\n",
            (size_t)EVG_MAX_INPUT);
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

/* A --max-size value: decimal digits only, 1 to EVG_MAX_INPUT; 0 otherwise. */
static size_t parse_size(const char *s)
{
    if (!*s)
        return 0;
    size_t n = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9')
            return 0;
        n = n * 10 + (size_t)(*s - '0');
        if (n > EVG_MAX_INPUT)
            return 0;
    }
    return n;
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

/* Parses with the arena grown until the document fits (or the limit). */
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
        /* At least what the document said it needed (plus what the arena
         * may lose to alignment), and at least twice: few retries. */
        size_t want = err->arena_needed + 2 * sizeof(double);
        dec->arena_cap = want > 2 * dec->arena_cap ? want : 2 * dec->arena_cap;
        if (dec->arena_cap > ARENA_LIMIT)
            dec->arena_cap = ARENA_LIMIT;
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
    size_t need = ev_serialize_any(&ev, dec->out, dec->out_cap, &err);
    if (need == 0) {
        /* What was read but cannot be written back, e.g. a canonical form
         * past EVG_MAX_INPUT: said, never printed half. */
        print_error(&err);
        dec->invalid++;
        return;
    }
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

/* MARK: reading lines */

/* read(2), not stdio: a pipe's lines are handled as they arrive rather
 * than when a buffer fills. Retries when a signal interrupts it. */
static ssize_t read_some(int fd, char *to, size_t n)
{
    ssize_t got;
    do
        got = read(fd, to, n);
    while (got < 0 && errno == EINTR);
    return got;
}

/* Starts reading fd; the buffer (and its size) is kept from earlier files. */
static void reader_start(line_reader *r, int fd)
{
    r->fd = fd;
    r->start = r->end = r->scanned = 0;
    r->at_eof = false;
    r->error = 0;
}

/* Moves the pending bytes to the front, grows the buffer when they fill
 * it, and reads once more. The pending line is never longer than the limit
 * here (next_line skips such a line first), so the buffer stays within
 * max(READ_CHUNK, limit + 1) bytes. */
static bool fill(line_reader *r)
{
    if (r->start > 0) {
        memmove(r->buf, r->buf + r->start, r->end - r->start);
        r->end -= r->start;
        r->start = 0;
    }
    if (r->end == r->cap) {
        size_t cap = r->cap <= (r->limit + 1) / 2 ? r->cap * 2 : r->limit + 1;
        char *bigger = realloc(r->buf, cap);
        if (!bigger) {
            r->error = ENOMEM;
            return false;
        }
        r->buf = bigger;
        r->cap = cap;
    }
    ssize_t got = read_some(r->fd, r->buf + r->end, r->cap - r->end);
    if (got < 0) {
        r->error = errno;
        return false;
    }
    if (got == 0)
        r->at_eof = true;
    r->end += (size_t)got;
    return true;
}

/* The pending line is longer than the limit: reads on, through the buffer
 * and storing nothing, to the byte after its newline or to the end. */
static line_status skip_rest_of_line(line_reader *r)
{
    r->start = r->end = r->scanned = 0;
    for (;;) {
        ssize_t got = read_some(r->fd, r->buf, r->cap);
        if (got < 0) {
            r->error = errno;
            return LINE_FAILED;
        }
        if (got == 0) {
            r->at_eof = true;
            return LINE_TOO_LONG;
        }
        const char *newline = memchr(r->buf, '\n', (size_t)got);
        if (newline) {
            r->start = (size_t)(newline - r->buf) + 1;
            r->end = (size_t)got;
            return LINE_TOO_LONG;
        }
    }
}

/* The next line, without its newline; a last line without one counts. */
static line_status next_line(line_reader *r, const char **line, size_t *len)
{
    for (;;) {
        char *pending = r->buf + r->start;
        size_t pending_len = r->end - r->start;
        const char *newline = memchr(pending + r->scanned, '\n', pending_len - r->scanned);
        if (newline) {
            size_t n = (size_t)(newline - pending);
            r->start += n + 1;
            r->scanned = 0;
            if (n > r->limit)
                return LINE_TOO_LONG;
            *line = pending;
            *len = n;
            return LINE_DOCUMENT;
        }
        r->scanned = pending_len;
        if (pending_len > r->limit)
            return skip_rest_of_line(r);
        if (r->at_eof) {
            if (pending_len == 0)
                return LINE_END;
            r->start = r->end;
            r->scanned = 0;
            *line = pending;
            *len = pending_len;
            return LINE_DOCUMENT;
        }
        if (!fill(r))
            return LINE_FAILED;
    }
}

/* MARK: decoding */

/* A line over the limit: an error line like the parser's own, at the
 * offset of the first byte past the limit. */
static void report_too_large(decoder *dec)
{
    evg_error err;
    memset(&err, 0, sizeof err);
    err.code = EVG_ERR_TOO_LARGE;
    err.offset = dec->opt.max_size;
    err.message = dec->too_large_message;
    dec->documents++;
    dec->invalid++;
    print_error(&err);
}

/* Decodes every line of fd. False when it could not be read to its end;
 * the reason is then reported on standard error, naming `name`. */
static bool decode_stream(decoder *dec, int fd, const char *name)
{
    line_reader *r = &dec->reader;
    reader_start(r, fd);
    unsigned long number = 0;
    for (;;) {
        const char *line;
        size_t len;
        line_status got = next_line(r, &line, &len);
        if (got == LINE_END)
            return true;
        if (got == LINE_FAILED) {
            fprintf(stderr, "evdecode: %s: line %lu: %s\n", name, number + 1, strerror(r->error));
            return false;
        }
        number++;
        if (got == LINE_TOO_LONG)
            report_too_large(dec);
        else if (!blank(line, len))
            decode_line(dec, line, len, number);
    }
}

int main(int argc, char **argv)
{
    decoder dec;
    memset(&dec, 0, sizeof dec);
    dec.opt.date = today();
    dec.opt.max_size = EVG_MAX_INPUT;
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
        } else if (strcmp(a, "--event") == 0 || strcmp(a, "--date") == 0 ||
                   strcmp(a, "--max-size") == 0) {
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
            } else if (a[2] == 'd') {
                if ((dec.opt.date = parse_date(val)) < 0) {
                    fprintf(stderr, "evdecode: --date wants YYYY-MM-DD, not '%s'\n", val);
                    return 2;
                }
            } else if (!(dec.opt.max_size = parse_size(val))) {
                fprintf(stderr, "evdecode: --max-size wants a number of bytes from 1 to %zu, not '%s'\n",
                        (size_t)EVG_MAX_INPUT, val);
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
    dec.reader.limit = dec.opt.max_size;
    dec.reader.cap = READ_CHUNK;
    dec.reader.buf = xrealloc(NULL, dec.reader.cap);
    snprintf(dec.too_large_message, sizeof dec.too_large_message,
             "document larger than %zu bytes", dec.opt.max_size);

    int status = 0;
    if (first_file >= argc) {
        if (!decode_stream(&dec, STDIN_FILENO, "standard input"))
            status = 2;
    } else {
        for (int i = first_file; i < argc; i++) {
            bool is_stdin = strcmp(argv[i], "-") == 0;
            int fd = is_stdin ? STDIN_FILENO : open(argv[i], O_RDONLY);
            if (fd < 0) {
                fprintf(stderr, "evdecode: %s: %s\n", argv[i], strerror(errno));
                status = 2;
                continue;
            }
            if (!decode_stream(&dec, fd, is_stdin ? "standard input" : argv[i]))
                status = 2;
            if (!is_stdin)
                close(fd);
        }
    }
    free(dec.reader.buf);
    free(dec.arena_buf);
    free(dec.out);
    if (fflush(stdout) != 0 || ferror(stdout)) {
        fputs("evdecode: cannot write to standard output\n", stderr);
        return 2;
    }
    if (status)
        return status;
    return dec.invalid ? 1 : 0;
}
