/* diff_cli.c - the `evgen diff` subcommand: options, loading both catalogs
 * the way generation does (catalog_load, catalog_check, cmodel_build), and
 * writing the changes as compiler-style lines or as one JSON object
 * (docs/diff.md).
 *
 * Exit status, after diff(1): 0 nothing fails, 1 something fails (a
 * breaking change under an unchanged version string, a wire or a product,
 * or reaching documents without a version through a new newest version;
 * or a version removed before its sunset), 2 trouble: wrong usage, a
 * catalog with errors, an unwritable output. A broken catalog is not "a
 * breaking change", so a CI job can tell the two apart. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "catalog_check.h"
#include "catalog_load.h"
#include "cmodel.h"
#include "diag.h"
#include "diff.h"
#include "json_out.h"

enum { EXIT_PASSES = 0, EXIT_FAILS = 1, EXIT_TROUBLE = 2 };

static const char diff_usage_text[] =
    "Usage: evgen diff [options] OLD NEW\n"
    "List every change from catalog OLD to catalog NEW, each with its rule and class:\n"
    "c-breaking (code using the generated C no longer compiles), wire-breaking (a\n"
    "document valid under OLD is rejected or read differently under NEW) or\n"
    "compatible. Both catalogs are checked as generation checks them.\n"
    "\n"
    "A change fails the diff when it is breaking and happened under an event version\n"
    "that both catalogs have with the same version string, in a wire or in a product\n"
    "(which carry no version); a version removed before its sunset date fails too.\n"
    "Breaking changes that come with a new version string are listed, compared with\n"
    "the newest older version, and do not fail; but when the new version becomes the\n"
    "newest and the event reads documents without a version (as its newest), its\n"
    "wire-breaking changes reach those documents unbumped, and fail.\n"
    "\n"
    "Options:\n"
    "      --format FORMAT  text (default: one line per change, then a summary) or\n"
    "                       json (one object: changes and summary)\n"
    "      --today DATE     the date sunset dates are compared with, YYYY-MM-DD\n"
    "                       (default: the current date in UTC)\n"
    "      --prefix NAME    the prefix of the generated C names (default: ev)\n"
    "      --rules          list every rule with its class and exit\n"
    "  -h, --help           show this help and exit\n"
    "\n"
    "Exit status: 0 nothing fails, 1 something fails, 2 wrong usage, a catalog with\n"
    "errors, or an I/O error.\n";

typedef struct diff_cli_options {
    const char *old_path, *new_path;
    const char *format;        /* "text" or "json" */
    const char *today;
    const char *prefix;
    bool rules, help;
} diff_cli_options;

static int diff_usage_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int diff_usage_error(const char *fmt, ...)
{
    fputs("evgen diff: ", stderr);
    va_list ap;
    va_start(ap, fmt);
    vfprintf(stderr, fmt, ap);
    va_end(ap);
    fputs("\nTry 'evgen diff --help' for more information.\n", stderr);
    return EXIT_TROUBLE;
}

/* Returns 0, or the exit status of a usage error (already reported). */
static int parse_diff_args(int argc, char **argv, diff_cli_options *o)
{
    const char *paths[2];
    size_t path_count = 0;
    bool options_done = false;
    for (int i = 1; i < argc; i++) {
        const char *a = argv[i];
        if (options_done || a[0] != '-' || a[1] == '\0') {
            if (path_count == 2)
                return diff_usage_error("more than two catalogs given ('%s')", a);
            paths[path_count++] = a;
            continue;
        }
        if (strcmp(a, "--") == 0) {
            options_done = true;
            continue;
        }
        char name[32];
        const char *value = NULL;
        const char *eq = a[1] == '-' ? strchr(a, '=') : NULL;
        size_t n = eq ? (size_t)(eq - a) : strlen(a);
        if (n >= sizeof name)
            return diff_usage_error("unknown option '%s'", a);
        memcpy(name, a, n);
        name[n] = '\0';
        if (eq)
            value = eq + 1;
        const char **target = NULL;
        bool *flag = NULL;
        if (!strcmp(name, "--format"))
            target = &o->format;
        else if (!strcmp(name, "--today"))
            target = &o->today;
        else if (!strcmp(name, "--prefix"))
            target = &o->prefix;
        else if (!strcmp(name, "--rules"))
            flag = &o->rules;
        else if (!strcmp(name, "-h") || !strcmp(name, "--help"))
            flag = &o->help;
        else
            return diff_usage_error("unknown option '%s'", a);
        if (flag) {
            if (value)
                return diff_usage_error("option '%s' takes no argument", name);
            *flag = true;
            continue;
        }
        if (!value) {
            if (i + 1 >= argc)
                return diff_usage_error("option '%s' needs an argument", name);
            value = argv[++i];
        }
        if (!*value)
            return diff_usage_error("option '%s' needs a non-empty argument", name);
        *target = value;
    }
    if (o->help || o->rules)
        return 0;
    if (path_count < 2)
        return diff_usage_error(path_count ? "only one catalog given: need OLD and NEW"
                                           : "no catalogs given: need OLD and NEW");
    o->old_path = paths[0];
    o->new_path = paths[1];
    if (o->format && strcmp(o->format, "text") != 0 && strcmp(o->format, "json") != 0)
        return diff_usage_error("--format '%s': expected text or json", o->format);
    civil_date unused;
    if (o->today && !civil_date_parse(o->today, &unused))
        return diff_usage_error("--today '%s': expected a date YYYY-MM-DD", o->today);
    if (o->prefix && !cmodel_prefix_ok(o->prefix))
        return diff_usage_error("--prefix '%s' must match [a-z][a-z0-9_]*, be at most 32 bytes, "
                                "not end in '_' and not be 'evg' or start with 'evg_'",
                                o->prefix);
    return 0;
}

/* A catalog as generation sees it: loaded, checked, named in C. Returns
 * false (the errors reported) when any stage found an error. */
static bool load_for_diff(const char *path, const char *prefix, diag *d, catalog **c, cmodel *m,
                          bool *have_cmodel)
{
    unsigned before = d->error_count;
    *have_cmodel = false;
    *c = catalog_load_file(path, d);
    if (*c && d->error_count == before)
        catalog_check(*c, d);
    if (!*c || d->error_count != before)
        return false;
    *have_cmodel = true;
    return cmodel_build(*c, prefix, m, d) && d->error_count == before;
}

/* MARK: output */

static void print_position(FILE *out, const char *file, src_mark at)
{
    if (at.line)
        fprintf(out, "%s:%u:%u", file, at.line, at.col);
    else
        fputs(file, out);
}

static void write_text(const diff_result *r, const diff_cli_options *o, FILE *out)
{
    for (size_t i = 0; i < r->count; i++) {
        const diff_change *c = &r->changes[i];
        if (c->new_at.line || !c->old_at.line)
            print_position(out, o->new_path, c->new_at);
        else
            print_position(out, o->old_path, c->old_at);
        fprintf(out, ": %s: %s: %s\n", diff_class_name(diff_rule_class(c->rule)),
                diff_rule_id(c->rule), c->message);
    }
    if (!r->count) {
        fputs("summary: no changes; passes\n", out);
        return;
    }
    fprintf(out, "summary: %zu change%s: %zu c-breaking, %zu wire-breaking, %zu compatible; ",
            r->count, r->count == 1 ? "" : "s", r->per_class[DIFF_C_BREAKING],
            r->per_class[DIFF_WIRE_BREAKING], r->per_class[DIFF_COMPATIBLE]);
    if (r->failing == 1)
        fputs("fails: 1 change breaks an unchanged version, a wire, a product or documents "
              "without a version, or removes a version before its sunset\n",
              out);
    else if (r->failing)
        fprintf(out,
                "fails: %zu changes break an unchanged version, a wire, a product or documents "
                "without a version, or remove a version before its sunset\n",
                r->failing);
    else
        fputs("passes\n", out);
}

static void json_position(jw *w, const char *key, const char *file, src_mark at)
{
    jw_key(w, key);
    if (!at.line) {
        jw_raw(w, "null");
        return;
    }
    jw_begin(w, '{');
    jw_key(w, "file");
    jw_str(w, file);
    jw_key(w, "line");
    jw_int(w, at.line);
    jw_key(w, "col");
    jw_int(w, at.col);
    jw_end(w, '}');
}

static void json_field(jw *w, const char *key, const char *value)
{
    jw_key(w, key);
    jw_str(w, value);   /* NULL writes null */
}

static void write_json(const diff_result *r, const diff_cli_options *o, const char *today,
                       FILE *out)
{
    jw w = {0};
    jw_begin(&w, '{');
    json_field(&w, "old", o->old_path);
    json_field(&w, "new", o->new_path);
    json_field(&w, "today", today);
    jw_key(&w, "changes");
    jw_begin(&w, '[');
    for (size_t i = 0; i < r->count; i++) {
        const diff_change *c = &r->changes[i];
        jw_begin(&w, '{');
        json_field(&w, "rule", diff_rule_id(c->rule));
        json_field(&w, "class", diff_class_name(diff_rule_class(c->rule)));
        json_field(&w, "event", c->event);
        json_field(&w, "version", c->version);
        json_field(&w, "compared_with", c->compared_with);
        json_field(&w, "wire", c->wire);
        json_field(&w, "shape", c->shape);
        json_field(&w, "path", c->path);
        json_position(&w, "old", o->old_path, c->old_at);
        json_position(&w, "new", o->new_path, c->new_at);
        json_field(&w, "message", c->message);
        jw_key(&w, "unbumped");
        jw_bool(&w, c->unbumped);
        jw_key(&w, "fails");
        jw_bool(&w, c->fails);
        jw_end(&w, '}');
    }
    jw_end(&w, ']');
    jw_key(&w, "summary");
    jw_begin(&w, '{');
    jw_key(&w, "changes");
    jw_int(&w, (int64_t)r->count);
    for (int k = DIFF_C_BREAKING; k >= DIFF_COMPATIBLE; k--) {
        jw_key(&w, diff_class_name((diff_class)k));
        jw_int(&w, (int64_t)r->per_class[k]);
    }
    jw_key(&w, "failing");
    jw_int(&w, (int64_t)r->failing);
    jw_key(&w, "fails");
    jw_bool(&w, r->failing > 0);
    jw_key(&w, "exit_status");
    jw_int(&w, r->failing ? EXIT_FAILS : EXIT_PASSES);
    jw_end(&w, '}');
    jw_end(&w, '}');
    jw_put(&w, "\n", 1);
    fwrite(w.data, 1, w.len, out);
    free(w.data);
}

static void write_rules(FILE *out)
{
    for (int r = 0; r < DIFF_RULE_COUNT; r++)
        fprintf(out, "%-30s %s\n", diff_rule_id((diff_rule)r),
                diff_class_name(diff_rule_class((diff_rule)r)));
}

/* MARK: the subcommand */

int diff_main(int argc, char **argv)
{
    diff_cli_options o = {.format = "text", .prefix = "ev"};
    int status = parse_diff_args(argc, argv, &o);
    if (status)
        return status;
    if (o.help || o.rules) {
        if (o.help)
            fputs(diff_usage_text, stdout);
        else
            write_rules(stdout);
        return fflush(stdout) == 0 ? EXIT_PASSES : EXIT_TROUBLE;
    }

    diff_options opt = {0};
    char today[16];
    if (o.today) {
        civil_date_parse(o.today, &opt.today);
    } else {
        /* UTC, as evdecode judges lifecycle: the same run gives the same
         * verdict on every machine of a CI fleet, whatever its time zone. */
        time_t now = time(NULL);
        struct tm utc;
        if (!gmtime_r(&now, &utc)) {
            fputs("evgen diff: cannot tell the current date; give --today\n", stderr);
            return EXIT_TROUBLE;
        }
        opt.today = (civil_date){utc.tm_year + 1900, utc.tm_mon + 1, utc.tm_mday};
    }
    snprintf(today, sizeof today, "%04d-%02d-%02d", opt.today.year, opt.today.month,
             opt.today.day);

    /* Both catalogs, even when the first has errors: one run reports all. */
    diag d;
    diag_init(&d, stderr);
    catalog *old_cat = NULL, *new_cat = NULL;
    cmodel old_c, new_c;
    bool old_named, new_named;
    bool old_ok = load_for_diff(o.old_path, o.prefix, &d, &old_cat, &old_c, &old_named);
    bool new_ok = load_for_diff(o.new_path, o.prefix, &d, &new_cat, &new_c, &new_named);
    if (old_ok && new_ok) {
        diff_result r;
        diff_catalogs(old_cat, &old_c, new_cat, &new_c, &opt, &r);
        if (strcmp(o.format, "json") == 0)
            write_json(&r, &o, today, stdout);
        else
            write_text(&r, &o, stdout);
        status = r.failing ? EXIT_FAILS : EXIT_PASSES;
        diff_result_free(&r);
        if (fflush(stdout) != 0 || ferror(stdout)) {
            fputs("evgen diff: cannot write to standard output\n", stderr);
            status = EXIT_TROUBLE;
        }
    } else {
        status = EXIT_TROUBLE;
    }
    if (old_named)
        cmodel_free(&old_c);
    if (new_named)
        cmodel_free(&new_c);
    catalog_free(old_cat);
    catalog_free(new_cat);
    return status;
}
