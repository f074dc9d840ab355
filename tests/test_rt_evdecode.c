/* test_rt_evdecode.c - the evdecode CLI (examples/evdecode.c), run as
 * build/evdecode-san (ASan + UBSan) in a child process.
 *
 *   stream      tests/streams/all-versions.jsonl with --date 2026-11-21: stdout,
 *               stderr and exit status exactly as the .expected files say
 *   options     --strict, --event NAME (bare payloads), --date, usage errors
 *   lifecycle   deprecated (warning), not yet active (warning), sunset (error)
 *   robustness  5 MB lines, binary garbage, CRLF, blank lines, missing files;
 *               one output line per document, in order, never a crash
 *   limits      --max-size: a longer line is one TOO_LARGE line and reading
 *               goes on; unreadable input is reported, exit 2
 *
 * The tool is the one of this suite's build: BUILD/tests/test_rt_evdecode
 * runs BUILD/evdecode-san (build/evdecode-san when run by another name).
 * Runs from the repository root; tests/tools/make_stream.py rebuilds the
 * stream and its expected output. tests/tools/check_evdecode_limits.sh
 * runs the unsanitized tool under an address-space limit. */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <fcntl.h>
#include <stdbool.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

extern char **environ;

/* Set once by main from argv[0], before any test runs. */
static char evdecode_path[512] = "build/evdecode-san";
#define EVDECODE evdecode_path
#define STREAM "tests/streams/all-versions.jsonl"
#define VALID "tests/streams/valid.jsonl"
/* valid.jsonl: the 63 versions once in each wire of their event; the 21
 * mashell events travel in two (Maestro and the Partner SDK message). */
#define VALID_LINES 84

/* ================================================================ running */

typedef struct buf {
    char *data;
    size_t len;
} buf;

typedef struct result {
    int status;   /* exit status, or -signal */
    buf out, err;
} result;

static char tmpdir[64];

static int setup(void **state)
{
    (void)state;
    strcpy(tmpdir, "/tmp/evdecode-test.XXXXXX");
    if (!mkdtemp(tmpdir))
        return -1;
    if (access(EVDECODE, X_OK) != 0) {
        fprintf(stderr, "%s is missing: run `make test` (or make %s) from the repository root\n", EVDECODE,
                EVDECODE);
        return -1;
    }
    return 0;
}

static void remove_tmp(const char *name)
{
    char path[128];
    snprintf(path, sizeof path, "%s/%s", tmpdir, name);
    unlink(path);
}

static int teardown(void **state)
{
    (void)state;
    remove_tmp("in");
    remove_tmp("out");
    remove_tmp("err");
    rmdir(tmpdir);
    return 0;
}

static buf read_all(const char *path)
{
    buf b = {NULL, 0};
    FILE *f = fopen(path, "rb");
    if (!f)
        fail_msg("cannot open %s", path);
    size_t cap = 1 << 16;
    b.data = malloc(cap + 1);
    assert_non_null(b.data);
    size_t n;
    while ((n = fread(b.data + b.len, 1, cap - b.len, f)) > 0) {
        b.len += n;
        if (b.len == cap) {
            cap *= 2;
            b.data = realloc(b.data, cap + 1);
            assert_non_null(b.data);
        }
    }
    fclose(f);
    b.data[b.len] = '\0';
    return b;
}

static void write_all(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

/* Runs evdecode with `args` (NULL-terminated), standard input from `input`
 * (NULL: /dev/null). Output goes through files, so no pipe can fill up. */
static result run_in(const char *input, size_t input_len, const char *const *args)
{
    char in[128], out[128], err[128];
    snprintf(in, sizeof in, "%s/in", tmpdir);
    snprintf(out, sizeof out, "%s/out", tmpdir);
    snprintf(err, sizeof err, "%s/err", tmpdir);
    if (input)
        write_all(in, input, input_len);
    const char *argv[32];
    size_t n = 0;
    argv[n++] = EVDECODE;
    while (*args) {
        assert_true(n < 31);
        argv[n++] = *args++;
    }
    argv[n] = NULL;

    posix_spawn_file_actions_t fa;
    assert_int_equal(posix_spawn_file_actions_init(&fa), 0);
    assert_int_equal(posix_spawn_file_actions_addopen(&fa, 0, input ? in : "/dev/null", O_RDONLY, 0), 0);
    assert_int_equal(posix_spawn_file_actions_addopen(&fa, 1, out, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
    assert_int_equal(posix_spawn_file_actions_addopen(&fa, 2, err, O_WRONLY | O_CREAT | O_TRUNC, 0600), 0);
    pid_t pid;
    int rc = posix_spawn(&pid, EVDECODE, &fa, NULL, (char *const *)argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    assert_int_equal(rc, 0);
    int ws;
    assert_int_equal(waitpid(pid, &ws, 0), pid);

    result r;
    r.status = WIFEXITED(ws) ? WEXITSTATUS(ws) : -WTERMSIG(ws);
    r.out = read_all(out);
    r.err = read_all(err);
    return r;
}

#define RUN(input, len, ...) run_in((input), (len), (const char *const[]){__VA_ARGS__, NULL})
#define RUN_STR(input, ...) run_in((input), strlen(input), (const char *const[]){__VA_ARGS__, NULL})

static void result_free(result *r)
{
    free(r->out.data);
    free(r->err.data);
}

/* Equal byte for byte; on a difference, says on which line. */
static void assert_text_equal(const char *what, const buf *got, const buf *want)
{
    if (got->len == want->len && memcmp(got->data, want->data, got->len) == 0)
        return;
    size_t i = 0, line = 1, start = 0;
    while (i < got->len && i < want->len && got->data[i] == want->data[i]) {
        if (got->data[i] == '\n') {
            line++;
            start = i + 1;
        }
        i++;
    }
    size_t gl = start, wl = start;
    while (gl < got->len && got->data[gl] != '\n')
        gl++;
    while (wl < want->len && want->data[wl] != '\n')
        wl++;
    print_error("%s differs at line %zu (byte %zu):\n  got:  %.*s\n  want: %.*s\n", what, line, i,
                (int)(gl - start > 400 ? 400 : gl - start), got->data + (start < got->len ? start : got->len),
                (int)(wl - start > 400 ? 400 : wl - start), want->data + (start < want->len ? start : want->len));
    fail();
}

static void assert_text_is(const char *what, const buf *got, const char *want)
{
    buf w = {(char *)want, strlen(want)};
    assert_text_equal(what, got, &w);
}

static size_t count_lines(const buf *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->len; i++)
        n += b->data[i] == '\n';
    return n;
}

/* The n-th line (0-based) of b, as a new string. */
static char *line_of(const buf *b, size_t n)
{
    const char *s = b->data, *e = b->data + b->len;
    while (n-- > 0) {
        s = memchr(s, '\n', (size_t)(e - s));
        assert_non_null(s);
        s++;
    }
    const char *nl = memchr(s, '\n', (size_t)(e - s));
    size_t len = nl ? (size_t)(nl - s) : (size_t)(e - s);
    char *l = malloc(len + 1);
    assert_non_null(l);
    memcpy(l, s, len);
    l[len] = '\0';
    return l;
}

static bool starts_with(const char *s, const char *prefix)
{
    return strncmp(s, prefix, strlen(prefix)) == 0;
}

/* ================================================================ the stream */

static bool blank_line(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (s[i] != ' ' && s[i] != '\t' && s[i] != '\r' && s[i] != '\n')
            return false;
    return true;
}

static size_t documents_in(const char *s, size_t len)
{
    size_t docs = 0, start = 0;
    for (size_t i = 0; i <= len; i++) {
        if (i == len || s[i] == '\n') {
            if (!(i == len && start == len) && !blank_line(s + start, i - start))
                docs++;
            start = i + 1;
        }
    }
    return docs;
}


static void test_stream_matches_expected(void **state)
{
    (void)state;
    buf want_out = read_all("tests/streams/all-versions.expected");
    buf want_err = read_all("tests/streams/all-versions.expected-stderr");
    result r = RUN(NULL, 0, "--date", "2026-11-21", STREAM);
    assert_text_equal("stdout", &r.out, &want_out);
    assert_text_equal("stderr", &r.err, &want_err);
    assert_int_equal(r.status, 1);   /* it has invalid lines */
    result_free(&r);

    /* The same from standard input, and from "-". */
    buf in = read_all(STREAM);
    r = RUN(in.data, in.len, "--date", "2026-11-21");
    assert_text_equal("stdout (stdin)", &r.out, &want_out);
    assert_text_equal("stderr (stdin)", &r.err, &want_err);
    assert_int_equal(r.status, 1);
    result_free(&r);
    r = RUN(in.data, in.len, "--date", "2026-11-21", "--", "-");
    assert_text_equal("stdout (-)", &r.out, &want_out);
    assert_int_equal(r.status, 1);
    result_free(&r);
    free(in.data);
    free(want_out.data);
    free(want_err.data);
}

/* Every line of the stream is either one document or blank: one output
 * line per non-blank input line, and the stream covers every version. */
static void test_stream_shape(void **state)
{
    (void)state;
    buf in = read_all(STREAM);
    buf want = read_all("tests/streams/all-versions.expected");
    size_t lines = count_lines(&in);
    assert_int_equal(in.data[in.len - 1], '\n');
    assert_int_equal(count_lines(&want), documents_in(in.data, in.len));
    assert_true(documents_in(in.data, in.len) < lines);   /* it has a blank line */
    buf valid = read_all(VALID);
    assert_int_equal(count_lines(&valid), VALID_LINES);
    /* valid.jsonl is all-versions.jsonl without the extra lines, in order. */
    size_t at = 0;
    for (size_t i = 0; i < VALID_LINES; i++) {
        char *v = line_of(&valid, i);
        for (;; at++) {
            assert_true(at < lines);
            char *l = line_of(&in, at);
            bool same = strcmp(l, v) == 0;
            free(l);
            if (same)
                break;
        }
        at++;
        free(v);
    }
    free(valid.data);
    free(want.data);
    free(in.data);
}

/* Every version on a date where none is sunset: exit 0, and the output
 * is a fixpoint (decoding it again changes nothing). */
static void test_all_valid_stream_exits_0(void **state)
{
    (void)state;
    result r = RUN(NULL, 0, "--date", "2026-03-20", VALID);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(&r.out), VALID_LINES);
    for (size_t i = 0; i < VALID_LINES; i++) {
        char *l = line_of(&r.out, i);
        assert_false(starts_with(l, "error:"));
        free(l);
    }
    /* Both old focus versions are deprecated on that date, and the wrap-up
     * codes 1.0.0 sample, which states no version, is read as the newest;
     * line numbers are those of valid.jsonl, warnings in line order. */
    buf in = read_all(VALID);
    char want_err[1024] = "";
    for (size_t i = 0; i < VALID_LINES; i++) {
        char *l = line_of(&in, i);
        size_t len = strlen(want_err);
        if (strstr(l, "\"eventName\":\"aw-interaction-focus-v1\""))
            snprintf(want_err + len, sizeof want_err - len, "warning: line %zu: aw-interaction-focus-v1 1.0.0 is "
                     "deprecated since 2025-09-08, sunset on 2026-12-08\n", i + 1);
        if (strstr(l, "\"eventName\":\"aw-interaction-focus-v2\""))
            snprintf(want_err + len, sizeof want_err - len, "warning: line %zu: aw-interaction-focus-v2 2.0.0 is "
                     "deprecated since 2026-01-19, sunset on 2026-07-19\n", i + 1);
        const char *value = strstr(l, "\"value\":");
        if (strstr(l, "\"eventName\":\"aw-interaction-wrap-up-codes-v1\"") && value && !strstr(value, "\"schemaVersion\""))
            snprintf(want_err + len, sizeof want_err - len, "warning: line %zu: aw-interaction-wrap-up-codes-v1: "
                     "no schemaVersion; parsed as the newest, 1.0.1\n", i + 1);
        free(l);
    }
    assert_int_equal(count_lines(&(buf){want_err, strlen(want_err)}), 4);
    assert_text_is("stderr", &r.err, want_err);

    result again = RUN(r.out.data, r.out.len, "--date", "2026-03-20");
    assert_int_equal(again.status, 0);
    assert_text_equal("re-decoded stdout", &again.out, &r.out);
    result_free(&again);
    /* Before any of them was deprecated, and before focus-v2 existed. */
    result early = RUN(NULL, 0, "--date", "2025-09-07", VALID);
    assert_int_equal(early.status, 0);
    assert_int_equal(count_lines(&early.out), VALID_LINES);
    assert_non_null(strstr(early.err.data, "aw-interaction-focus-v2 2.0.0 is not active until 2025-09-08\n"));
    assert_null(strstr(early.err.data, "deprecated"));
    result_free(&early);
    free(in.data);
    result_free(&r);
}

/* ================================================================ options */

static void test_strict(void **state)
{
    (void)state;
    result lenient = RUN(NULL, 0, "--date", "2026-03-20", VALID);
    result strict = RUN(NULL, 0, "--strict", "--date", "2026-03-20", VALID);
    assert_int_equal(strict.status, 1);
    assert_int_equal(count_lines(&strict.out), VALID_LINES);
    /* The samples are strict-clean but for a missing schemaVersion: strict
     * mode wants the event version wherever the wire reads it (the payload;
     * the directive's envelope). Responses and errors carry none at all. */
    buf in_valid = read_all(VALID);
    size_t missing = 0, expected_missing = 0;
    for (size_t i = 0; i < VALID_LINES; i++) {
        char *s = line_of(&strict.out, i), *l = line_of(&lenient.out, i), *doc = line_of(&in_valid, i);
        bool versionless = !strstr(doc, "\"schemaVersion\":\"1.0.0\"}") && !strstr(doc, "\"schemaVersion\":\"1.0.0\",") ;
        /* (a stated format version is "schemaVersion":"1.0.0" at the top of a
         * Partner SDK message: look past it, into the payload) */
        const char *payload = strstr(doc, "\"value\":");
        if (payload && starts_with(doc, "{\"type\":\"event\""))
            versionless = !strstr(payload, "\"schemaVersion\"");
        if (starts_with(doc, "{\"type\":\"response\"") || starts_with(doc, "{\"type\":\"error\""))
            versionless = false;
        expected_missing += versionless;
        if (starts_with(s, "error:")) {
            assert_true(starts_with(s, "error: VERSION_MISSING: "));
            assert_true(versionless);
            missing++;
        } else {
            assert_false(versionless);
            assert_string_equal(s, l);
        }
        free(s);
        free(l);
        free(doc);
    }
    /* 21 Maestro samples in two wires each, and 2 focus, 2 wrap-up samples. */
    assert_int_equal(missing, expected_missing);
    assert_true(missing >= 42);
    free(in_valid.data);
    result_free(&strict);
    result_free(&lenient);

    /* Unknown keys, and unknown patch versions. */
    const char *in = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                     "\"value\":{\"interactionId\":\"a\",\"queue\":null,\"schemaVersion\":\"1.0.0\"}}}\n"
                     "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                     "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.4\"}}}\n";
    result r = RUN_STR(in, "--date", "2026-11-21");
    assert_int_equal(r.status, 0);
    assert_text_is("stdout", &r.out,
                   "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                   "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.0\"}}}\n"
                   "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                   "\"value\":{\"interactionId\":\"a\",\"schemaVersion\":\"1.0.0\"}}}\n");
    assert_text_is("stderr", &r.err,
                   "warning: line 2: aw-interaction-hold-v1: schemaVersion not known exactly; parsed as 1.0.0\n");
    result_free(&r);
    r = RUN_STR(in, "--strict", "--date", "2026-11-21");
    assert_int_equal(r.status, 1);
    assert_text_is("stdout", &r.out,
                   "error: UNKNOWN_KEY: /message/value/queue: key is not in the schema (strict mode) (offset 125)\n"
                   "error: VERSION_FALLBACK: /message/value/schemaVersion: minor or patch version not known exactly "
                   "(strict mode) (offset 133)\n");
    assert_text_is("stderr", &r.err, "");
    result_free(&r);
}

/* A line per sample file, minified. */
static char *sample_line(const char *event, const char *version, const char *add_version)
{
    char path[256];
    snprintf(path, sizeof path, "tests/samples/%s-%s.json", event, version);
    buf raw = read_all(path);
    char *out = malloc(raw.len + 64), *o = out;
    assert_non_null(out);
    bool in_string = false;
    for (size_t i = 0; i < raw.len; i++) {
        char c = raw.data[i];
        if (in_string) {
            *o++ = c;
            if (c == '\\')
                *o++ = raw.data[++i];
            else if (c == '"')
                in_string = false;
        } else if (c == '"') {
            in_string = true;
            *o++ = c;
        } else if (c != ' ' && c != '\n' && c != '\r' && c != '\t') {
            *o++ = c;
        }
    }
    *o = '\0';
    if (add_version) {   /* as the payload's first member */
        char *v = malloc(strlen(out) + 64);
        assert_non_null(v);
        sprintf(v, "{\"schemaVersion\":\"%s\",%s", add_version, out + 1);
        free(out);
        out = v;
    }
    free(raw.data);
    return out;
}

static void test_event_option_bare_payloads(void **state)
{
    (void)state;
    char *w100 = sample_line("aw-interaction-wrap-up-codes-v1", "1.0.0", NULL);
    char *w101 = sample_line("aw-interaction-wrap-up-codes-v1", "1.0.1", "1.0.1");
    char *w100v = sample_line("aw-interaction-wrap-up-codes-v1", "1.0.0", "1.0.0");
    size_t cap = strlen(w100) + strlen(w101) + strlen(w100v) + 512;
    char *in = malloc(cap);
    assert_non_null(in);
    snprintf(in, cap, "%s\n%s\n%s\n%s\n", w100, w101, w100v,
             "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"x\",\"value\":{}}}");
    result r = RUN_STR(in, "--event", "aw-interaction-wrap-up-codes-v1", "--date", "2026-11-21");
    assert_int_equal(r.status, 1);
    assert_int_equal(count_lines(&r.out), 4);
    char *l1 = line_of(&r.out, 0), *l2 = line_of(&r.out, 1), *l3 = line_of(&r.out, 2), *l4 = line_of(&r.out, 3);
    /* Bare in, bare out: no envelope, keys in catalog order. */
    assert_true(starts_with(l1, "{\"interactionId\":\"interaction-12345\",\"wrapUpCodes\":[{\"ani\":\"1234567890\","));
    assert_null(strstr(l1, "schemaVersion"));
    assert_null(strstr(l1, "description"));
    assert_non_null(strstr(l2, "\"description\":\"description\""));
    assert_true(strlen(l2) > strlen("\"schemaVersion\":\"1.0.1\"}") &&
                strcmp(l2 + strlen(l2) - strlen(",\"schemaVersion\":\"1.0.1\"}"), ",\"schemaVersion\":\"1.0.1\"}") == 0);
    assert_true(strcmp(l3 + strlen(l3) - strlen(",\"schemaVersion\":\"1.0.0\"}"), ",\"schemaVersion\":\"1.0.0\"}") == 0);
    /* An envelope is not a payload of the event. */
    assert_true(starts_with(l4, "error: MISSING: /interactionId: required property missing (offset "));
    assert_text_is("stderr", &r.err,
                   "warning: line 1: aw-interaction-wrap-up-codes-v1: no schemaVersion; parsed as the newest, 1.0.1\n");
    free(l1);
    free(l2);
    free(l3);
    free(l4);
    result_free(&r);

    /* A Maestro payload is the envelope's data; a send event's the request's data. */
    const char *data = "{\"eventName\":\"offered\",\"eventId\":\"e\",\"method\":\"mapEvent\",\"direction\":\"inbound\","
                       "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"searchContext\":\"x\","
                       "\"additionalData\":{\"name\":\"n\"},\"schemaVersion\":\"1.0.0\"}\n";
    r = RUN_STR(data, "--strict", "--event", "mashell-chat-offered-cc-event-v1", "--date", "2026-11-21");
    assert_int_equal(r.status, 0);
    assert_text_is("stdout", &r.out,
                   "{\"eventId\":\"e\",\"direction\":\"inbound\",\"searchContext\":\"x\",\"method\":\"mapEvent\","
                   "\"media\":\"chat\",\"mediaType\":\"web_chat\",\"additionalData\":{\"name\":\"n\"},"
                   "\"eventName\":\"offered\",\"schemaVersion\":\"1.0.0\"}\n");
    result_free(&r);
    r = RUN_STR("{\"message\":\"m\",\"schemaVersion\":\"1.0.0\",\"interactionId\":\"c\"}\n", "--event",
                "aw-chat-message-received-v1");
    assert_int_equal(r.status, 0);
    assert_text_is("stdout", &r.out, "{\"interactionId\":\"c\",\"message\":\"m\",\"schemaVersion\":\"1.0.0\"}\n");
    assert_text_is("stderr", &r.err, "");
    result_free(&r);
    /* A sent event must state its version, bare too. */
    r = RUN_STR("{\"message\":\"m\",\"interactionId\":\"c\"}\n", "--event", "aw-chat-message-received-v1");
    assert_int_equal(r.status, 1);
    assert_text_is("stdout", &r.out, "error: VERSION_MISSING: (root): this event must carry its version (offset 0)\n");
    result_free(&r);

    /* An unknown NAME is a usage error: nothing is read. */
    r = RUN_STR("{}\n", "--event", "aw-interaction-teleport-v1");
    assert_int_equal(r.status, 2);
    assert_text_is("stdout", &r.out, "");
    assert_text_is("stderr", &r.err, "evdecode: unknown event 'aw-interaction-teleport-v1'\n");
    result_free(&r);
    r = RUN_STR("{}\n", "--event", "");
    assert_int_equal(r.status, 2);
    assert_text_is("stderr", &r.err, "evdecode: unknown event ''\n");
    result_free(&r);
    free(in);
    free(w100);
    free(w101);
    free(w100v);
}

static const char usage_text[] =
    "usage: evdecode [--strict] [--event NAME] [--date YYYY-MM-DD] [--max-size BYTES]\n"
    "                [FILE...]\n"
    "Validates JSON event documents, one per line, and prints each in canonical form\n"
    "or as 'error: CODE: POINTER: MESSAGE (offset N)'.\n"
    "  --strict          unknown keys, unknown minor versions and a missing\n"
    "                    schemaVersion are errors\n"
    "  --event NAME      the documents are bare payloads of event NAME\n"
    "  --date DATE       judge lifecycle (deprecated, sunset) on DATE, not today\n"
    "  --max-size BYTES  longer lines are TOO_LARGE errors (1 to 67108864, the default)\n";

static void test_usage_errors(void **state)
{
    (void)state;
    static const struct {
        const char *args[3];
        const char *first_line;
    } cases[] = {
        {{"--bogus"}, "evdecode: unknown option '--bogus'\n"},
        {{"-x"}, "evdecode: unknown option '-x'\n"},
        {{"--STRICT"}, "evdecode: unknown option '--STRICT'\n"},
        {{"--strict=1"}, "evdecode: unknown option '--strict=1'\n"},
        {{"--date"}, "evdecode: --date needs a value\n"},
        {{"--event"}, "evdecode: --event needs a value\n"},
        {{"--strict", "--event"}, "evdecode: --event needs a value\n"},
        {{"--max-size"}, "evdecode: --max-size needs a value\n"},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        const char *args[4] = {cases[i].args[0], cases[i].args[1], cases[i].args[2], NULL};
        result r = run_in("{}\n", 3, args);
        assert_int_equal(r.status, 2);
        assert_text_is("stdout", &r.out, "");
        char want[1024];
        snprintf(want, sizeof want, "%s%s", cases[i].first_line, usage_text);
        assert_text_is("stderr", &r.err, want);
        result_free(&r);
    }
    /* --help and -h: the usage on standard output, exit 0, nothing read. */
    static const char *const help[] = {"--help", "-h"};
    for (size_t i = 0; i < 2; i++) {
        result r = RUN_STR("not json\n", help[i]);
        assert_int_equal(r.status, 0);
        assert_text_is("stdout", &r.out, usage_text);
        assert_text_is("stderr", &r.err, "");
        result_free(&r);
    }
    /* After "--", everything is a file name. */
    result r = RUN_STR("", "--", "--strict");
    assert_int_equal(r.status, 2);
    assert_text_is("stderr", &r.err, "evdecode: --strict: No such file or directory\n");
    result_free(&r);
}

static void test_date_validation(void **state)
{
    (void)state;
    static const char *const bad[] = {
        "2026-02-30", "2026-02-29", "2023-02-29", "1900-02-29", "2026-04-31", "2026-13-01", "2026-00-10",
        "2026-01-00", "2026-01-32", "2026-1-01",  "2026-01-1",  "20261121",   "2026/11/21", "2026-11-21x",
        "2026-11-2",  "",           "today",      "0000-01-01", "2026-11-21 ", " 2026-11-21",
    };
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        result r = RUN_STR("{}\n", "--date", bad[i]);
        if (r.status != 2)
            fail_msg("--date '%s': exit %d, expected 2", bad[i], r.status);
        assert_text_is("stdout", &r.out, "");
        char want[128];
        snprintf(want, sizeof want, "evdecode: --date wants YYYY-MM-DD, not '%s'\n", bad[i]);
        assert_text_is("stderr", &r.err, want);
        result_free(&r);
    }
    static const char *const good[] = {"2024-02-29", "2000-02-29", "2026-12-31", "0001-01-01", "9999-12-31",
                                       "2026-11-21"};
    for (size_t i = 0; i < sizeof good / sizeof *good; i++) {
        result r = RUN_STR("", "--date", good[i]);
        if (r.status != 0)
            fail_msg("--date '%s': exit %d, expected 0", good[i], r.status);
        result_free(&r);
    }
}

/* ================================================================ lifecycle */

/* As the SDK sends them: the message format 1.0.0 outside, the event's
 * version in the payload. */
#define FOCUS2 "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-focus-v2\"," \
               "\"value\":{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\",\"queueId\":\"q\",\"queueName\":\"n\"}," \
               "\"schemaVersion\":\"2.0.0\"}}}"
#define FOCUS3 "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-focus-v3\"," \
               "\"value\":{\"interactionId\":\"i\",\"queue\":{\"id\":\"1\",\"queueId\":\"q\",\"queueName\":\"n\"}," \
               "\"isManual\":false,\"schemaVersion\":\"3.0.0\"}}}"

static void test_lifecycle_dates(void **state)
{
    (void)state;
    static const struct {
        const char *doc, *date;
        int status;
        const char *out, *err;
    } cases[] = {
        {FOCUS2, "2025-09-07", 0, FOCUS2 "\n", "warning: line 1: aw-interaction-focus-v2 2.0.0 is not active until 2025-09-08\n"},
        {FOCUS2, "2025-09-08", 0, FOCUS2 "\n", ""},
        {FOCUS2, "2026-01-18", 0, FOCUS2 "\n", ""},
        {FOCUS2, "2026-01-19", 0, FOCUS2 "\n",
         "warning: line 1: aw-interaction-focus-v2 2.0.0 is deprecated since 2026-01-19, sunset on 2026-07-19\n"},
        {FOCUS2, "2026-07-18", 0, FOCUS2 "\n",
         "warning: line 1: aw-interaction-focus-v2 2.0.0 is deprecated since 2026-01-19, sunset on 2026-07-19\n"},
        {FOCUS2, "2026-07-19", 1,
         "error: SUNSET: (root): aw-interaction-focus-v2 2.0.0 was sunset on 2026-07-19 (offset 0)\n", ""},
        {FOCUS2, "2026-11-21", 1,
         "error: SUNSET: (root): aw-interaction-focus-v2 2.0.0 was sunset on 2026-07-19 (offset 0)\n", ""},
        {FOCUS3, "2026-01-18", 0, FOCUS3 "\n", "warning: line 1: aw-interaction-focus-v3 3.0.0 is not active until 2026-01-19\n"},
        {FOCUS3, "2026-01-19", 0, FOCUS3 "\n", ""},
        {FOCUS3, "2099-01-01", 0, FOCUS3 "\n", ""},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++) {
        char in[1024];
        snprintf(in, sizeof in, "%s\n", cases[i].doc);
        result r = RUN_STR(in, "--date", cases[i].date);
        if (r.status != cases[i].status)
            fail_msg("on %s: exit %d, expected %d", cases[i].date, r.status, cases[i].status);
        assert_text_is("stdout", &r.out, cases[i].out);
        assert_text_is("stderr", &r.err, cases[i].err);
        result_free(&r);
    }
}

/* ================================================================ robustness */

static void test_five_megabyte_lines(void **state)
{
    (void)state;
    /* A valid document with a 5 MB string that needs unescaping; the
     * canonical form keeps only the escapes JSON requires. */
    const char *head = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                       "\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"";
    const char *tail = "\"}}}";
    const char *unit_in = "ab\\n\\u00e9\\/\\\"";      /* 16 bytes of JSON text */
    const char *unit_out = "ab\\n\xc3\xa9/\\\"";        /* 10 bytes canonical */
    size_t units = (5u << 20) / strlen(unit_in) + 1;
    size_t in_len = strlen(head) + units * strlen(unit_in) + strlen(tail) + 1;
    size_t out_len = strlen(head) + units * strlen(unit_out) + strlen(tail) + 1;
    char *in = malloc(in_len + 1), *want = malloc(out_len + 1);
    assert_non_null(in);
    assert_non_null(want);
    char *p = in, *q = want;
    p += sprintf(p, "%s", head);
    q += sprintf(q, "%s", head);
    for (size_t i = 0; i < units; i++) {
        memcpy(p, unit_in, strlen(unit_in));
        p += strlen(unit_in);
        memcpy(q, unit_out, strlen(unit_out));
        q += strlen(unit_out);
    }
    p += sprintf(p, "%s\n", tail);
    q += sprintf(q, "%s\n", tail);
    assert_int_equal((size_t)(p - in), in_len);
    assert_true(in_len > (5u << 20));
    result r = run_in(in, in_len, (const char *const[]){"--date", "2026-11-21", NULL});
    assert_int_equal(r.status, 0);
    buf w = {want, (size_t)(q - want)};
    assert_text_equal("stdout", &r.out, &w);
    assert_text_is("stderr", &r.err, "");
    result_free(&r);

    /* 5 MB of nesting: an error line, not a stack overflow. */
    const char *open = "{\"type\":\"event\",\"x\":";
    size_t n = 5u << 20;
    memset(in, '[', n);
    memcpy(in, open, strlen(open));
    in[n] = '\n';
    r = run_in(in, n + 1, (const char *const[]){"--date", "2026-11-21", NULL});
    assert_int_equal(r.status, 1);
    assert_int_equal(count_lines(&r.out), 1);
    assert_true(starts_with(r.out.data, "error: TOO_DEEP: "));   /* the pointer: (root) or into /x */
    const char *deep = ": nesting deeper than EVG_MAX_DEPTH (offset 83)\n";
    assert_true(r.out.len > strlen(deep));
    assert_string_equal(r.out.data + r.out.len - strlen(deep), deep);
    result_free(&r);

    /* A 5 MB array, more elements than EVG_MAX_ITEMS: one line, no crash.
     * (That it must be TOO_LARGE is in the report: the limit is not enforced.) */
    const char *ahead = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                        "\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\",\"x\":[";
    p = in + sprintf(in, "%s", ahead);
    size_t items = 0;
    while ((size_t)(p - in) < n) {
        memcpy(p, "0,", 2);
        p += 2;
        items++;
    }
    p += sprintf(p, "0]}}}\n");
    assert_true(items > 65536);
    r = run_in(in, (size_t)(p - in), (const char *const[]){"--date", "2026-11-21", NULL});
    assert_true(r.status == 0 || r.status == 1);
    assert_int_equal(count_lines(&r.out), 1);
    result_free(&r);
    free(in);
    free(want);
}

static uint64_t rng_state = 0x9e3779b97f4a7c15u;

static uint64_t rng(void)
{
    rng_state ^= rng_state << 13;
    rng_state ^= rng_state >> 7;
    rng_state ^= rng_state << 17;
    return rng_state;
}

static void test_binary_garbage(void **state)
{
    (void)state;
    /* Random bytes (NUL, 0xFF, controls, JSON punctuation), no newline at
     * the end: one error line per non-blank line, and no crash. */
    static const char alphabet[] = "{}[]\":,\\ \t\r\n0123456789-+.eEtrufalsn\x00\xff\xfe\x80\xc3\xa9\x01\x7f";
    for (int round = 0; round < 8; round++) {
        size_t len = 4096 + (size_t)(rng() % 65536);
        char *g = malloc(len);
        assert_non_null(g);
        for (size_t i = 0; i < len; i++)
            g[i] = round % 2 ? (char)(rng() & 0xff) : alphabet[rng() % (sizeof alphabet - 1)];
        if (g[len - 1] == '\n')
            g[len - 1] = '\xff';
        size_t docs = documents_in(g, len);
        result r = run_in(g, len, (const char *const[]){"--date", "2026-11-21", NULL});
        assert_true(r.status == 1 || (r.status == 0 && docs == 0));
        assert_int_equal(count_lines(&r.out), docs);
        for (size_t i = 0; i < docs; i++) {
            char *l = line_of(&r.out, i);
            assert_true(starts_with(l, "error: "));
            free(l);
        }
        assert_text_is("stderr", &r.err, "");
        result_free(&r);
        free(g);
    }
    /* A NUL inside an otherwise valid document, and at the end of a line. */
    static const char nul_in_doc[] = "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                                     "\"aw-interaction-hold-v1\",\"value\":{\"interactionId\":\"a\"}}}\0\n"
                                     "{\"type\":\"event\"\0}";
    result r = run_in(nul_in_doc, sizeof nul_in_doc - 1, (const char *const[]){"--date", "2026-11-21", NULL});
    assert_int_equal(r.status, 1);
    assert_text_is("stdout", &r.out,
                   "error: TRAILING: (root): unexpected data after the document (offset 119)\n"
                   "error: SYNTAX: (root): expected ',' or '}' after a value (offset 15)\n");
    result_free(&r);
}

/* Output lines are in input order, valid and invalid interleaved; blank
 * lines are skipped but counted; CRLF and a missing final newline are fine. */
static void test_lines_in_order(void **state)
{
    (void)state;
    const char *in = "\r\n"
                     "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                     "\"value\":{\"interactionId\":\"1\"}}}\r\n"
                     "garbage\n"
                     " \t \n"
                     "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-wrap-up-codes-v1\",\"value\":"
                     "{\"interactionId\":\"2\",\"wrapUpCodes\":[]}}}\n"
                     "{}\n"
                     "{\"value\":{\"interactionId\":\"3\"},\"eventName\":\"aw-interaction-mute-v1\"}\n"
                     "{\"message\":{\"value\":{\"interactionId\":\"4\"},\"eventName\":\"aw-interaction-mute-v1\"},"
                     "\"type\":\"event\",\"schemaVersion\":\"1.0.0\"}";
    result r = RUN_STR(in, "--date", "2026-11-21");
    assert_int_equal(r.status, 1);
    assert_text_is("stdout", &r.out,
                   "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-hold-v1\","
                   "\"value\":{\"interactionId\":\"1\"}}}\n"
                   "error: ENVELOPE: (root): expected an object (offset 0)\n"
                   "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                   "\"aw-interaction-wrap-up-codes-v1\",\"value\":{\"interactionId\":\"2\",\"wrapUpCodes\":[]}}}\n"
                   "error: ENVELOPE: (root): not an envelope of this catalog (expected one of: maestro, "
                   "partner-sdk-event, partner-sdk-request, partner-sdk-response, partner-sdk-error, "
                   "maestro-directive) (offset 0)\n"
                   /* a top-level eventName is the directive's: it lacks its family */
                   "error: ENVELOPE: /family: required property missing (offset 67)\n"
                   "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":\"aw-interaction-mute-v1\","
                   "\"value\":{\"interactionId\":\"4\"}}}\n");
    assert_text_is("stderr", &r.err,
                   "warning: line 5: aw-interaction-wrap-up-codes-v1: no schemaVersion; parsed as the newest, 1.0.1\n");
    result_free(&r);
    /* Empty input: no documents, exit 0. */
    r = RUN_STR("", "--date", "2026-11-21");
    assert_int_equal(r.status, 0);
    assert_text_is("stdout", &r.out, "");
    result_free(&r);
    r = RUN_STR("\n\n  \n", "--date", "2026-11-21");
    assert_int_equal(r.status, 0);
    assert_text_is("stdout", &r.out, "");
    result_free(&r);
}

static void test_files(void **state)
{
    (void)state;
    /* A missing file is reported, the others are still read, exit 2. */
    result r = RUN(NULL, 0, "--date", "2026-03-20", "/nonexistent/x.jsonl", VALID);
    assert_int_equal(r.status, 2);
    assert_int_equal(count_lines(&r.out), VALID_LINES);
    assert_true(starts_with(r.err.data, "evdecode: /nonexistent/x.jsonl: No such file or directory\n"));
    result_free(&r);
    /* Several files: one stream of output, line numbers per file. */
    r = RUN(NULL, 0, "--date", "2026-03-20", VALID, VALID);
    assert_int_equal(r.status, 0);
    assert_int_equal(count_lines(&r.out), 2 * VALID_LINES);
    assert_int_equal(count_lines(&r.err), 8);
    char *first = line_of(&r.err, 0), *fifth = line_of(&r.err, 4);
    assert_string_equal(first, fifth);   /* four warnings per file */
    free(first);
    free(fifth);
    result_free(&r);
    /* A directory opens but cannot be read: reported, exit 2, and the
     * files after it are still read. */
    r = RUN(NULL, 0, "--date", "2026-03-20", "tests/streams", VALID);
    assert_int_equal(r.status, 2);
    assert_int_equal(count_lines(&r.out), VALID_LINES);
    assert_true(starts_with(r.err.data, "evdecode: tests/streams: line 1: Is a directory\n"));
    result_free(&r);
}

/* ================================================================ limits */

/* A bare aw-interaction-hold-v1 payload of exactly `len` bytes (at least 20). */
static char *hold_payload(size_t len)
{
    static const char head[] = "{\"interactionId\":\"", tail[] = "\"}";
    assert_true(len >= sizeof head - 1 + sizeof tail - 1);
    char *s = malloc(len + 1);
    assert_non_null(s);
    memcpy(s, head, sizeof head - 1);
    memset(s + sizeof head - 1, 'a', len - (sizeof head - 1) - (sizeof tail - 1));
    memcpy(s + len - (sizeof tail - 1), tail, sizeof tail);
    return s;
}

/* Appends text[0..len) to b (b->data is malloc'ed or NULL). */
static void append(buf *b, const char *text, size_t len)
{
    b->data = realloc(b->data, b->len + len + 1);
    assert_non_null(b->data);
    memcpy(b->data + b->len, text, len);
    b->len += len;
    b->data[b->len] = '\0';
}

static void append_str(buf *b, const char *text) { append(b, text, strlen(text)); }

static void append_bytes(buf *b, char byte, size_t count)
{
    char *run = malloc(count);
    assert_non_null(run);
    memset(run, byte, count);
    append(b, run, count);
    free(run);
}

/* Lines longer than --max-size are one TOO_LARGE line each, at the offset
 * of the first byte past the limit; the lines around them are decoded as
 * usual, and a line exactly at the limit is a document. Both ways a long
 * line is noticed are covered: whole in the buffer (the limit is below the
 * first read) and spilling over it (the limit is above, so the buffer grows
 * to the limit first). */
static void test_max_size(void **state)
{
    (void)state;
    static const char *const limits[] = {"64", "100000"};
    for (size_t k = 0; k < 2; k++) {
        size_t limit = (size_t)atol(limits[k]);
        char *at_limit = hold_payload(limit), *over = hold_payload(limit + 1);
        char too_large[128];
        snprintf(too_large, sizeof too_large,
                 "error: TOO_LARGE: (root): document larger than %zu bytes (offset %zu)\n", limit,
                 limit);
        buf in = {NULL, 0}, want = {NULL, 0};
        append_str(&in, "{\"interactionId\":\"a\"}\n");
        append_str(&want, "{\"interactionId\":\"a\"}\n");
        append_str(&in, at_limit);                  /* exactly the limit: a document */
        append_str(&in, "\n");
        append_str(&want, at_limit);
        append_str(&want, "\n");
        append_str(&in, over);                      /* one byte more */
        append_str(&in, "\r\n");
        append_str(&want, too_large);
        append_bytes(&in, 'x', 300000);             /* far more, over several reads */
        append_str(&in, "\n\n");
        append_str(&want, too_large);
        append_bytes(&in, ' ', limit + 1);          /* blank, but too long to know */
        append_str(&in, "\n");
        append_str(&want, too_large);
        append_str(&in, "{\"interactionId\":\"b\"}\n");
        append_str(&want, "{\"interactionId\":\"b\"}\n");
        append_bytes(&in, 'y', 3 * limit);          /* the last line, no newline */
        append_str(&want, too_large);
        result r = run_in(in.data, in.len,
                          (const char *const[]){"--date", "2026-11-21", "--event",
                                                "aw-interaction-hold-v1", "--max-size", limits[k],
                                                NULL});
        assert_int_equal(r.status, 1);
        assert_text_equal("stdout", &r.out, &want);
        assert_text_is("stderr", &r.err, "");
        result_free(&r);

        /* The same, then a last line without a newline that fits. */
        append_str(&in, "\n{\"interactionId\":\"c\"}");
        append_str(&want, "{\"interactionId\":\"c\"}\n");
        r = run_in(in.data, in.len,
                   (const char *const[]){"--date", "2026-11-21", "--event",
                                         "aw-interaction-hold-v1", "--max-size", limits[k], NULL});
        assert_int_equal(r.status, 1);
        assert_text_equal("stdout", &r.out, &want);
        result_free(&r);
        free(in.data);
        free(want.data);
        free(at_limit);
        free(over);
    }
}

/* A skipped line still counts: warnings name the right line after it. */
static void test_max_size_keeps_line_numbers(void **state)
{
    (void)state;
    buf in = {NULL, 0};
    append_bytes(&in, '{', 5000);
    append_str(&in, "\n");
    append_str(&in, "{\"type\":\"event\",\"message\":{\"eventName\":\"aw-interaction-wrap-up-codes-v1\","
                    "\"value\":{\"interactionId\":\"2\",\"wrapUpCodes\":[]}}}\n");
    result r = run_in(in.data, in.len,
                      (const char *const[]){"--date", "2026-11-21", "--max-size", "4096", NULL});
    assert_int_equal(r.status, 1);
    assert_text_is("stdout", &r.out,
                   "error: TOO_LARGE: (root): document larger than 4096 bytes (offset 4096)\n"
                   "{\"type\":\"event\",\"schemaVersion\":\"1.0.0\",\"message\":{\"eventName\":"
                   "\"aw-interaction-wrap-up-codes-v1\",\"value\":{\"interactionId\":\"2\",\"wrapUpCodes\":[]}}}\n");
    assert_text_is("stderr", &r.err,
                   "warning: line 2: aw-interaction-wrap-up-codes-v1: no schemaVersion; parsed as the newest, 1.0.1\n");
    result_free(&r);
    free(in.data);
}

static void test_max_size_usage(void **state)
{
    (void)state;
    static const char *const bad[] = {"0", "", "12a", "-5", "+5", " 5", "67108865",
                                      "99999999999999999999999"};
    for (size_t i = 0; i < sizeof bad / sizeof *bad; i++) {
        result r = RUN_STR("{}\n", "--max-size", bad[i]);
        assert_int_equal(r.status, 2);
        assert_text_is("stdout", &r.out, "");
        char want[256];
        snprintf(want, sizeof want,
                 "evdecode: --max-size wants a number of bytes from 1 to 67108864, not '%s'\n", bad[i]);
        assert_text_is("stderr", &r.err, want);
        result_free(&r);
    }
    /* The largest is the parsers' own limit, and the default. */
    result r = RUN_STR("{\"interactionId\":\"a\"}\n", "--max-size", "67108864", "--event",
                       "aw-interaction-hold-v1", "--date", "2026-11-21");
    assert_int_equal(r.status, 0);
    assert_text_is("stdout", &r.out, "{\"interactionId\":\"a\"}\n");
    result_free(&r);
}

/* BUILD/tests/test_rt_evdecode -> BUILD/evdecode-san. */
static void find_evdecode(const char *argv0)
{
    const char *cut = strrchr(argv0, '/');
    static const char suffix[] = "/tests";
    size_t dir_len = cut ? (size_t)(cut - argv0) : 0;
    if (dir_len < sizeof suffix - 1 || memcmp(argv0 + dir_len - (sizeof suffix - 1), suffix, sizeof suffix - 1) != 0)
        return;
    dir_len -= sizeof suffix - 1;
    if (dir_len + sizeof "/evdecode-san" > sizeof evdecode_path)
        return;
    snprintf(evdecode_path, sizeof evdecode_path, "%.*s/evdecode-san", (int)dir_len, argv0);
}

int main(int argc, char **argv)
{
    if (argc > 0)
        find_evdecode(argv[0]);
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_stream_matches_expected),
        cmocka_unit_test(test_stream_shape),
        cmocka_unit_test(test_all_valid_stream_exits_0),
        cmocka_unit_test(test_strict),
        cmocka_unit_test(test_event_option_bare_payloads),
        cmocka_unit_test(test_usage_errors),
        cmocka_unit_test(test_date_validation),
        cmocka_unit_test(test_lifecycle_dates),
        cmocka_unit_test(test_five_megabyte_lines),
        cmocka_unit_test(test_binary_garbage),
        cmocka_unit_test(test_lines_in_order),
        cmocka_unit_test(test_files),
        cmocka_unit_test(test_max_size),
        cmocka_unit_test(test_max_size_keeps_line_numbers),
        cmocka_unit_test(test_max_size_usage),
    };
    return cmocka_run_group_tests(tests, setup, teardown);
}
