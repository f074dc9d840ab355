/* embed.c - build tool: compiles template files into a C source so evgen
 * needs no templates directory at run time.
 *
 *   embed OUTPUT.c [DIR/NAME.tmpl ...]
 *   embed --files SYMBOL OUTPUT.c [DIR/FILE ...]
 *
 * The second form embeds any files under their whole names (the runtime,
 * which evgen copies unchanged) as SYMBOL[] and SYMBOL_count.
 *
 * OUTPUT.c defines embedded_templates[] and embedded_template_count as
 * declared in generator/embedded_templates.h, one entry per template,
 * sorted by NAME (the file name without ".tmpl"), so the output does not
 * depend on argument order. Each template's bytes become C string
 * literals, one per source line (long lines are split too), with every
 * byte that is not printable ASCII written as a three-digit octal escape
 * and "??" written as "?\?" so no trigraph can form under -std=c11.
 * The file is written next to OUTPUT.c and renamed over it, so an
 * interrupted build never leaves a truncated file behind.
 *
 * Self-contained on purpose: the Makefile builds it without -Igenerator. */
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define SUFFIX ".tmpl"
#define SUFFIX_LEN 5
/* Escaped bytes per literal before it is split even without a newline;
 * well under the 4095 characters C guarantees per literal. */
#define LITERAL_MAX 1000

typedef struct entry {
    char *name;            /* "events.c" */
    const char *path;      /* "templates/events.c.tmpl", as given */
    char *text;
    size_t len;
} entry;

static void fail(const char *fmt, const char *arg, const char *why)
{
    fputs("embed: error: ", stderr);
    fprintf(stderr, fmt, arg);
    if (why)
        fprintf(stderr, ": %s", why);
    fputc('\n', stderr);
}

static void *xrealloc(void *p, size_t n)
{
    p = realloc(p, n ? n : 1);
    if (!p) {
        fputs("embed: error: out of memory\n", stderr);
        exit(1);
    }
    return p;
}

static bool read_all(const char *path, char **text, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) {
        fail("cannot open '%s'", path, strerror(errno));
        return false;
    }
    size_t n = 0, cap = 8192;
    char *buf = xrealloc(NULL, cap);
    for (;;) {
        if (n == cap) {
            cap *= 2;
            buf = xrealloc(buf, cap);
        }
        size_t k = fread(buf + n, 1, cap - n, f);
        n += k;
        if (k == 0)
            break;
    }
    bool bad = ferror(f) != 0;
    int err = errno;
    fclose(f);
    if (bad) {
        fail("cannot read '%s'", path, strerror(err ? err : EIO));
        free(buf);
        return false;
    }
    *text = buf;
    *len = n;
    return true;
}

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const entry *)a)->name, ((const entry *)b)->name);
}

/* Writes bytes as a sequence of C string literals, each on its own line
 * starting with `indent`. An empty input is one empty literal. */
static void put_literals(FILE *out, const char *indent, const char *s, size_t n)
{
    if (n == 0) {
        fprintf(out, "%s\"\"", indent);
        return;
    }
    size_t i = 0;
    while (i < n) {
        fprintf(out, "%s\"", indent);
        size_t width = 0;
        bool after_q = false;          /* the previous byte was a raw '?' */
        while (i < n && width < LITERAL_MAX) {
            unsigned char c = (unsigned char)s[i++];
            bool q = false;
            switch (c) {
            case '\n': fputs("\\n", out); width += 2; break;
            case '\t': fputs("\\t", out); width += 2; break;
            case '"':  fputs("\\\"", out); width += 2; break;
            case '\\': fputs("\\\\", out); width += 2; break;
            case '?':
                if (after_q) {
                    fputs("\\?", out);
                    width += 2;
                } else {
                    fputc('?', out);
                    width++;
                }
                q = true;          /* either way the output now ends in '?' */
                break;
            default:
                if (c >= 0x20 && c < 0x7f) {
                    fputc(c, out);
                    width++;
                } else {
                    fprintf(out, "\\%03o", c);
                    width += 4;
                }
            }
            after_q = q;
            if (c == '\n')
                break;
        }
        fputc('"', out);
        if (i < n)
            fputc('\n', out);
    }
}

int main(int argc, char **argv)
{
    const char *symbol = "embedded_templates", *count_symbol = "embedded_template_count";
    char count_buf[128];
    bool raw = argc > 2 && strcmp(argv[1], "--files") == 0;
    if (raw) {
        symbol = argv[2];
        snprintf(count_buf, sizeof count_buf, "%s_count", symbol);
        count_symbol = count_buf;
        argv += 2;
        argc -= 2;
    }
    if (argc < 2) {
        fputs("usage: embed OUTPUT.c [TEMPLATE" SUFFIX "...]\n"
              "       embed --files SYMBOL OUTPUT.c [FILE...]\n", stderr);
        return 2;
    }
    const char *out_path = argv[1];
    size_t count = (size_t)(argc - 2);
    entry *e = xrealloc(NULL, (count ? count : 1) * sizeof *e);
    bool ok = true;
    for (size_t i = 0; i < count; i++) {
        const char *path = argv[i + 2];
        const char *base = strrchr(path, '/');
        base = base ? base + 1 : path;
        size_t blen = strlen(base);
        e[i].path = path;
        e[i].text = NULL;
        e[i].len = 0;
        size_t cut = raw ? 0 : SUFFIX_LEN;
        if (!raw && (blen <= SUFFIX_LEN || strcmp(base + blen - SUFFIX_LEN, SUFFIX) != 0)) {
            fail("'%s' is not a NAME" SUFFIX " file", path, NULL);
            e[i].name = NULL;
            ok = false;
            continue;
        }
        e[i].name = xrealloc(NULL, blen - cut + 1);
        memcpy(e[i].name, base, blen - cut);
        e[i].name[blen - cut] = '\0';
        if (!read_all(path, &e[i].text, &e[i].len))
            ok = false;
    }
    if (!ok)
        return 1;
    if (count > 1)
        qsort(e, count, sizeof *e, cmp_entry);
    for (size_t i = 1; i < count; i++) {
        if (strcmp(e[i - 1].name, e[i].name) == 0) {
            fail("two templates are named '%s'", e[i].name, NULL);
            fprintf(stderr, "embed: note: '%s' and '%s'\n", e[i - 1].path, e[i].path);
            ok = false;
        }
    }
    if (!ok)
        return 1;

    size_t plen = strlen(out_path);
    char *tmp = xrealloc(NULL, plen + 32);
    snprintf(tmp, plen + 32, "%s.tmp%ld", out_path, (long)getpid());
    FILE *out = fopen(tmp, "wb");
    if (!out) {
        fail("cannot create '%s'", tmp, strerror(errno));
        return 1;
    }
    fputs("/* Generated by generator/tools/embed.c from the template files below;\n"
          " * do not edit. Declarations: generator/embedded_templates.h. */\n"
          "#include \"embedded_templates.h\"\n\n", out);
    if (count == 0) {
        fputs("/* No files. C has no empty arrays: one dummy entry, count 0. */\n", out);
        fprintf(out, "const embedded_template %s[1] = {{NULL, NULL, NULL, 0}};\n", symbol);
    } else {
        fprintf(out, "const embedded_template %s[] = {\n", symbol);
        for (size_t i = 0; i < count; i++) {
            fputs("    {\n", out);
            put_literals(out, "        ", e[i].name, strlen(e[i].name));
            fputs(",\n", out);
            put_literals(out, "        ", e[i].path, strlen(e[i].path));
            fputs(",\n", out);
            put_literals(out, "        ", e[i].text, e[i].len);
            fprintf(out, ",\n        %zu\n    },\n", e[i].len);
        }
        fputs("};\n", out);
    }
    fprintf(out, "const size_t %s = %zu;\n", count_symbol, count);

    bool bad = ferror(out) != 0;
    if (fclose(out) != 0 || bad) {
        fail("cannot write '%s'", tmp, strerror(errno));
        remove(tmp);
        return 1;
    }
    if (rename(tmp, out_path) != 0) {
        fail("cannot rename to '%s'", out_path, strerror(errno));
        remove(tmp);
        return 1;
    }
    for (size_t i = 0; i < count; i++) {
        free(e[i].name);
        free(e[i].text);
    }
    free(e);
    free(tmp);
    return 0;
}
