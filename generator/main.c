/* main.c - the evgen command line: read the catalog once, load and check
 * it, then dump it, or generate and write (or --check) the C sources.
 *
 * Exit status: 0 done, 1 catalog errors / out-of-date files / I/O errors,
 * 2 usage errors. With catalog errors nothing is written. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "catalog_check.h"
#include "catalog_load.h"
#include "cmodel.h"
#include "codegen.h"
#include "diag.h"
#include "diff.h"
#include "dump.h"
#include "emit_docs.h"
#include "emit_jsonschema.h"
#include "output.h"
#include "version.h"
#include "yaml_tree.h"

typedef struct options {
    const char *catalog;
    const char *out_dir;
    const char *depfile;
    const char *templates;
    const char *prefix;
    const char *emit;      /* "c" (default), "jsonschema" or "docs" */
    const char *today;     /* --today (docs): the date the timeline marks */
    civil_date today_date;
    bool check, dump, help, version;
} options;

static const char usage_text[] =
    "Usage: evgen [options] CATALOG\n"
    "       evgen diff [options] OLD NEW   (what changed between two catalogs, and\n"
    "                                       what it breaks: evgen diff --help)\n"
    "Generate the C parsers for the events described in CATALOG (catalog.yaml).\n"
    "\n"
    "Writes events.c, events.h, dispatch.c, dispatch.h (from the templates) and\n"
    "evgen_runtime.c, evgen_runtime.h (the runtime, the same for every catalog)\n"
    "into DIR, each only when its content changed, and none if there is an error.\n"
    "\n"
    "Options:\n"
    "  -o, --output DIR     write the generated files to DIR (default: generated)\n"
    "      --check          write nothing; list the files in DIR that are out of date\n"
    "                       and exit 1 if there are any\n"
    "      --depfile FILE   also write a Make dependency file: the outputs depend on\n"
    "                       the catalog and the template files read\n"
    "      --templates DIR  render the templates in DIR, not the built-in ones\n"
    "      --emit KIND      what to write: c (the default: the files above),\n"
    "                       jsonschema (a JSON Schema, draft 2020-12, per event\n"
    "                       version's payload and per wire's whole document) or\n"
    "                       docs (a Markdown reference: README.md, a page per\n"
    "                       product, timeline.svg, the lifecycle of every version)\n"
    "      --today DATE     with --emit docs: mark DATE (YYYY-MM-DD) on the timeline\n"
    "                       (without it the output depends on the catalog alone)\n"
    "      --prefix NAME    start every generated symbol with NAME (default: ev):\n"
    "                       NAME_any, NAME_parse_any, NAME_KIND_...; the runtime\n"
    "                       (evg_) is the same for every catalog and prefix\n"
    "      --dump           check the catalog (C names included, as generation\n"
    "                       does), print it resolved as JSON and exit\n"
    "  -h, --help           show this help and exit\n"
    "      --version        show the version and exit\n"
    "\n"
    "Exit status: 0 success, 1 errors in the catalog, out-of-date files (--check)\n"
    "or I/O errors, 2 wrong usage.\n";

static int usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

/* "evgen: MESSAGE" and where to find help; returns the exit status 2. */
static int usage_error(const char *fmt, ...)
{
    fputs("evgen: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'evgen --help' for more information.\n", stderr);
    return 2;
}

/* Returns 0, or the exit status of a usage error (already reported). */
static int parse_args(int argc, char **argv, options *o)
{
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (o->catalog)
                return usage_error("more than one catalog given ('%s' and '%s')", o->catalog,
                                   a);
            o->catalog = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        /* Split "--name=value" and "-oVALUE". */
        char name[32];
        const char *value = NULL;
        if (a[1] == '-') {
            const char *eq = strchr(a, '=');
            size_t n = eq ? (size_t)(eq - a) : strlen(a);
            if (n >= sizeof name)
                return usage_error("unknown option '%s'", a);
            memcpy(name, a, n);
            name[n] = '\0';
            if (eq)
                value = eq + 1;
        } else {
            name[0] = '-';
            name[1] = a[1];
            name[2] = '\0';
            if (a[2])
                value = a + 2;
        }
        const char **target = NULL;
        bool *flag = NULL;
        if (!strcmp(name, "-o") || !strcmp(name, "--output"))
            target = &o->out_dir;
        else if (!strcmp(name, "--depfile"))
            target = &o->depfile;
        else if (!strcmp(name, "--templates"))
            target = &o->templates;
        else if (!strcmp(name, "--prefix"))
            target = &o->prefix;
        else if (!strcmp(name, "--emit"))
            target = &o->emit;
        else if (!strcmp(name, "--today"))
            target = &o->today;
        else if (!strcmp(name, "--check"))
            flag = &o->check;
        else if (!strcmp(name, "--dump"))
            flag = &o->dump;
        else if (!strcmp(name, "-h") || !strcmp(name, "--help"))
            flag = &o->help;
        else if (!strcmp(name, "--version"))
            flag = &o->version;
        else
            return usage_error("unknown option '%s'", a);
        if (flag) {
            if (value)
                return usage_error("option '%s' takes no argument", name);
            *flag = true;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                return usage_error("option '%s' needs an argument", name);
            value = argv[++i];
        }
        if (!*value)
            return usage_error("option '%s' needs a non-empty argument", name);
        *target = value;
    }
    if (o->help || o->version)
        return 0;
    if (!o->catalog)
        return usage_error("no catalog given");
    if (o->prefix && !cmodel_prefix_ok(o->prefix))
        return usage_error("--prefix '%s' must match [a-z][a-z0-9_]*, be at most 32 bytes, "
                           "not end in '_' and not be 'evg' or start with 'evg_'", o->prefix);
    if (o->emit && strcmp(o->emit, "c") != 0 && strcmp(o->emit, "jsonschema") != 0 &&
        strcmp(o->emit, "docs") != 0)
        return usage_error("--emit '%s': expected c, jsonschema or docs", o->emit);
    if (o->today && !(o->emit && strcmp(o->emit, "docs") == 0))
        return usage_error("--today applies to --emit docs only");
    if (o->today && !civil_date_parse(o->today, &o->today_date))
        return usage_error("--today '%s': expected a date YYYY-MM-DD", o->today);
    if (o->emit && strcmp(o->emit, "c") != 0 && (o->templates || o->prefix))
        return usage_error("--emit %s takes no %s", o->emit, o->templates ? "--templates" : "--prefix");
    if (o->dump && (o->check || o->depfile))
        return usage_error("--dump cannot be combined with %s",
                           o->check ? "--check" : "--depfile");
    return 0;
}

int main(int argc, char **argv)
{
    /* A subcommand with options of its own (diff_cli.c); a catalog file
     * named "diff" is still ./diff. */
    if (argc > 1 && strcmp(argv[1], "diff") == 0)
        return diff_main(argc - 1, argv + 1);
    options o = {.out_dir = "generated"};
    int status = parse_args(argc, argv, &o);
    if (status)
        return status;
    if (o.help) {
        fputs(usage_text, stdout);
        return fflush(stdout) == 0 ? 0 : 1;
    }
    if (o.version) {
        puts("evgen " EVGEN_VERSION);
        return fflush(stdout) == 0 ? 0 : 1;
    }

    diag d;
    diag_init(&d, stderr);
    char *bytes;
    size_t len;
    if (!ytree_read_file(o.catalog, &bytes, &len, &d))
        return 1;
    catalog *c = catalog_load(o.catalog, bytes, len, &d);
    if (c)
        catalog_check(c, &d);
    if (!c || d.error_count) {
        catalog_free(c);
        free(bytes);
        return 1;
    }

    if (o.dump) {
        /* The C model is checked too: --dump accepts what generation does. */
        cmodel cm;
        bool named = cmodel_build(c, o.prefix ? o.prefix : "ev", &cm, &d);
        cmodel_free(&cm);
        if (!named) {
            catalog_free(c);
            free(bytes);
            return 1;
        }
        status = dump_catalog(c, stdout) ? 0 : 1;
        if (status)
            fputs("evgen: cannot write the dump to standard output\n", stderr);
        catalog_free(c);
        free(bytes);
        return status;
    }

    gen_options go = {
        .catalog_path = o.catalog,
        .templates_dir = o.templates,
        .prefix = o.prefix,
    };
    gen_output out = {0};
    docs_options docs = {.today = o.today_date};
    bool emitting_docs = o.emit && strcmp(o.emit, "docs") == 0;
    bool generated = !o.emit || strcmp(o.emit, "c") == 0 ? codegen_run(c, &go, &out, &d)
                     : strcmp(o.emit, "jsonschema") == 0 ? emit_jsonschema(c, o.catalog, &out, &d)
                                                         : emit_docs(c, o.catalog, &docs, &out, &d);
    if (!generated || d.error_count) {
        status = 1;
    } else if (o.check) {
        status = output_check(&out, o.out_dir, stderr) ? 1 : 0;
        /* A product's page from an earlier run that no product writes now. */
        if (emitting_docs &&
            output_check_unlisted(&out, o.out_dir, ".md", DOCS_GENERATED_MARK, stderr))
            status = 1;
    } else {
        status = output_write(&out, o.out_dir, &d) ? 0 : 1;
        if (status == 0 && o.depfile &&
            !output_write_depfile(&out, o.out_dir, o.catalog, o.depfile, &d))
            status = 1;
    }
    gen_output_free(&out);
    catalog_free(c);
    free(bytes);
    return status;
}
