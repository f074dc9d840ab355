/* test_gen_template.c - the template engine (generator/template.c), the
 * template loaders (generator/template_load.c) and the embed build tool
 * (generator/tools/embed.c).
 *
 * Most of it is one table: template text (plus partials) and a context
 * written in a small JSON dialect -> the exact output, or the exact
 * diagnostics. Context notation: {key: value, ...}, [a, b], 'str' or
 * "str" (with \n \t \r \\ \' \" escapes), integers, true, false; keys may
 * be bare words. Every template of a case lives in "t/", so messages read
 * "t/main.tmpl:LINE:COL: error: ...". */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "diag.h"
#include "embedded_templates.h"
#include "template.h"
#include "template_load.h"

/* ================================================================ context notation */

typedef struct jp {
    const char *s;
    tpl_ctx *ctx;
} jp;

static void jws(jp *p)
{
    while (*p->s == ' ' || *p->s == '\n' || *p->s == '\t')
        p->s++;
}

static bool jword_char(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
           c == '_' || c == '-' || c == '.' || c == '@';
}

/* A quoted string or bare word into buf (cap bytes); returns its length. */
static size_t jtext(jp *p, char *buf, size_t cap)
{
    size_t n = 0;
    char q = *p->s;
    if (q == '\'' || q == '"') {
        p->s++;
        while (*p->s != q) {
            assert_true(*p->s != '\0');
            char c = *p->s++;
            if (c == '\\') {
                c = *p->s++;
                c = c == 'n' ? '\n' : c == 't' ? '\t' : c == 'r' ? '\r' : c;
            }
            assert_true(n + 1 < cap);
            buf[n++] = c;
        }
        p->s++;
    } else {
        while (jword_char(*p->s)) {
            assert_true(n + 1 < cap);
            buf[n++] = *p->s++;
        }
    }
    buf[n] = '\0';
    return n;
}

static tpl_value *jvalue(jp *p)
{
    char buf[4096];
    jws(p);
    if (*p->s == '{') {
        tpl_value *m = tpl_map(p->ctx);
        p->s++;
        for (jws(p); *p->s != '}'; jws(p)) {
            jtext(p, buf, sizeof buf);
            jws(p);
            assert_int_equal(*p->s, ':');
            p->s++;
            char key[256];
            assert_true(strlen(buf) < sizeof key);
            strcpy(key, buf);
            tpl_set_value(p->ctx, m, key, jvalue(p));
            jws(p);
            if (*p->s == ',')
                p->s++;
        }
        p->s++;
        return m;
    }
    if (*p->s == '[') {
        tpl_value *l = tpl_list(p->ctx);
        p->s++;
        for (jws(p); *p->s != ']'; jws(p)) {
            tpl_push(l, jvalue(p));
            jws(p);
            if (*p->s == ',')
                p->s++;
        }
        p->s++;
        return l;
    }
    if (*p->s == '\'' || *p->s == '"') {
        size_t n = jtext(p, buf, sizeof buf);
        return tpl_strn(p->ctx, buf, n);
    }
    jtext(p, buf, sizeof buf);
    if (strcmp(buf, "true") == 0)
        return tpl_bool(p->ctx, true);
    if (strcmp(buf, "false") == 0)
        return tpl_bool(p->ctx, false);
    char *end;
    long long v = strtoll(buf, &end, 10);
    assert_true(buf[0] != '\0' && *end == '\0');
    return tpl_int(p->ctx, v);
}

static tpl_value *ctx_parse(tpl_ctx *ctx, const char *text)
{
    jp p = {text ? text : "{}", ctx};
    tpl_value *v = jvalue(&p);
    jws(&p);
    assert_int_equal(*p.s, '\0');
    return v;
}

/* ================================================================ diagnostics capture */

typedef struct capture {
    char *buf;
    size_t len;
    FILE *f;
    diag d;
} capture;

static void capture_open(capture *c)
{
    c->buf = NULL;
    c->len = 0;
    c->f = open_memstream(&c->buf, &c->len);
    assert_non_null(c->f);
    diag_init(&c->d, c->f);
}

/* Closes the stream; c->buf holds everything reported (free it). */
static void capture_close(capture *c)
{
    fclose(c->f);
    c->f = NULL;
}

/* ================================================================ the table */

typedef struct partial {
    const char *name;
    const char *text;
} partial;

typedef struct tcase {
    const char *name;
    const char *tmpl;          /* template "main" */
    const char *ctx;           /* context notation; NULL: {} */
    const char *out;           /* expected output; NULL when errors are expected */
    const char *err;           /* expected diagnostics, exactly; NULL: none */
    partial partials[4];
} tcase;

#define RECURSION_ERR \
    "t/_r.tmpl:1:1: error: partial '_r' nested more than 64 deep (unbounded recursion?)\n"

static const tcase cases[] = {
    /* ---- variables and values */
    {"text only", "int x;\n", NULL, "int x;\n", NULL, {{0}}},
    {"empty template", "", NULL, "", NULL, {{0}}},
    {"string int bool", "{{s}}|{{i}}|{{n}}|{{t}}|{{f}}",
     "{s: 'str', i: 42, n: -7, t: true, f: false}", "str|42|-7|true|false", NULL, {{0}}},
    {"no escaping", "{{s}}", "{s: '<a & \"b\">'}", "<a & \"b\">", NULL, {{0}}},
    {"blanks inside tags", "{{ x }}{{# a }}y{{/ a }}{{> p }}", "{x: 1, a: true}", "1yP", NULL,
     {{"p", "P"}}},
    {"dotted name", "{{a.b.c}}", "{a: {b: {c: 'deep'}}}", "deep", NULL, {{0}}},
    {"dotted section", "{{#a.b}}{{c}}{{/a.b}}", "{a: {b: {c: 'deep'}}}", "deep", NULL, {{0}}},
    {"dot is the current item", "{{#l}}{{.}}{{^@last}}, {{/@last}}{{/l}}", "{l: ['x', 'y', 'z']}",
     "x, y, z", NULL, {{0}}},
    {"dot at the top is the root", "{{#.}}{{x}}{{/.}}", "{x: 'r'}", "r", NULL, {{0}}},
    {"ints in a list", "{{#l}}{{.}}{{/l}}", "{l: [1, 2, 3]}", "123", NULL, {{0}}},

    /* ---- sections and truthiness */
    {"truthy sections",
     "{{#t}}T{{/t}}{{#f}}F{{/f}}{{#one}}1{{/one}}{{#zero}}0{{/zero}}{{#s}}S{{/s}}{{#e}}E{{/e}}"
     "{{#m}}M{{/m}}{{#l}}L{{/l}}{{#nol}}N{{/nol}}{{#missing}}X{{/missing}}",
     "{t: true, f: false, one: 1, zero: 0, s: 'x', e: '', m: {}, l: [1], nol: []}", "T1SML", NULL,
     {{0}}},
    {"inverted sections",
     "{{^t}}T{{/t}}{{^f}}F{{/f}}{{^one}}1{{/one}}{{^zero}}0{{/zero}}{{^s}}S{{/s}}{{^e}}E{{/e}}"
     "{{^m}}M{{/m}}{{^l}}L{{/l}}{{^nol}}N{{/nol}}{{^missing}}X{{/missing}}",
     "{t: true, f: false, one: 1, zero: 0, s: 'x', e: '', m: {}, l: [1], nol: []}", "F0ENX", NULL,
     {{0}}},
    {"scalar section pushes its value", "{{#s}}<{{.}}>{{/s}}{{#i}}<{{.}}>{{/i}}", "{s: 'x', i: 5}",
     "<x><5>", NULL, {{0}}},
    {"map section pushes the map", "{{#m}}{{a}}{{/m}}", "{m: {a: 'in'}}", "in", NULL, {{0}}},
    {"missing dotted part is falsy", "{{#a.nope}}X{{/a.nope}}{{^a.nope}}Y{{/a.nope}}", "{a: {}}", "Y",
     NULL, {{0}}},
    {"list section repeats", "{{#l}}[{{n}}]{{/l}}", "{l: [{n: 1}, {n: 2}]}", "[1][2]", NULL, {{0}}},

    /* ---- @index, @first, @last */
    {"index first last", "{{#l}}{{@index}}:{{@first}}:{{@last}} {{/l}}", "{l: ['a', 'b', 'c']}",
     "0:true:false 1:false:false 2:false:true ", NULL, {{0}}},
    {"first as a section", "{{#l}}{{#@first}}[{{/@first}}{{.}}{{/l}}]", "{l: ['x', 'y', 'z']}",
     "[xyz]", NULL, {{0}}},
    {"one-item list is first and last", "{{#l}}{{@first}}{{@last}}{{/l}}", "{l: [1]}", "truetrue",
     NULL, {{0}}},
    {"nested lists: innermost index", "{{#rows}}{{#cols}}{{@index}}{{/cols}};{{/rows}}",
     "{rows: [{cols: ['a', 'b']}, {cols: ['c']}]}", "01;0;", NULL, {{0}}},
    {"outer index after inner list", "{{#rows}}{{#cols}}{{/cols}}{{@index}}{{/rows}}",
     "{rows: [{cols: ['a', 'b']}, {cols: ['c']}]}", "01", NULL, {{0}}},
    {"index through a map section", "{{#l}}{{#m}}{{@first}}{{/m}}{{/l}}", "{l: [{m: {}}, {m: {}}]}",
     "truefalse", NULL, {{0}}},
    {"separator idiom",
     "enum e {\n{{#vals}}\n    E_{{name}}{{^@last}},{{/@last}}\n{{/vals}}\n};\n",
     "{vals: [{name: 'A'}, {name: 'B'}, {name: 'C'}]}",
     "enum e {\n    E_A,\n    E_B,\n    E_C\n};\n", NULL, {{0}}},

    /* ---- the context stack */
    {"shadowing", "{{name}}:{{#inner}}{{name}},{{outer}}{{/inner}}:{{name}}",
     "{name: 'root', outer: 'o', inner: {name: 'in'}}", "root:in,o:root", NULL, {{0}}},
    {"outer list item from inner list", "{{#evs}}{{#fields}}{{ev}}.{{f}} {{/fields}}{{/evs}}",
     "{evs: [{ev: 'E', fields: [{f: 'a'}, {f: 'b'}]}, {ev: 'F', fields: [{f: 'c'}]}]}",
     "E.a E.b F.c ", NULL, {{0}}},
    {"dotted names resolve against the first match", "{{#a}}{{b.c}}{{/a}}",
     "{a: {b: {}}, b: {c: 'x'}}", NULL,
     "t/main.tmpl:1:7: error: unknown variable 'b.c'\n", {{0}}},
    {"many keys (hashed map)",
     "{{k0}}{{k5}}{{k11}}{{k12}}{{k13}}{{k19}}{{k7}}",
     "{k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, k10: 10, k11: 11,"
     " k12: 12, k13: 13, k14: 14, k15: 15, k16: 16, k17: 17, k18: 18, k19: 19, k7: 'seven'}",
     "0511121319seven", NULL, {{0}}},

    /* ---- standalone lines */
    {"standalone section lines vanish", "{{#a}}\nX\n{{/a}}\nY\n", "{a: true}", "X\nY\n", NULL, {{0}}},
    {"indented standalone lines", "  {{#a}}\n  X\n  {{/a}}\nY\n", "{a: true}", "  X\nY\n", NULL,
     {{0}}},
    {"standalone inverted", "{{^a}}\nnone\n{{/a}}\n", NULL, "none\n", NULL, {{0}}},
    {"standalone comment", "A\n  {{! note }}\nB\n", NULL, "A\nB\n", NULL, {{0}}},
    {"multi-line standalone comment", "A\n{{! one\ntwo }}\nB\n", NULL, "A\nB\n", NULL, {{0}}},
    {"standalone at end without newline", "A\n{{#a}}\nX\n{{/a}}", "{a: true}", "A\nX\n", NULL,
     {{0}}},
    {"comment last line", "A\n{{! end }}", NULL, "A\n", NULL, {{0}}},
    {"text before the tag: not standalone", "A {{#a}}\nX{{/a}} B\n", "{a: true}", "A \nX B\n",
     NULL, {{0}}},
    {"two tags on a line: not standalone", "{{#a}}{{/a}}\nZ", "{a: true}", "\nZ", NULL, {{0}}},
    {"variables are never standalone", "  {{x}}\n", "{x: ''}", "  \n", NULL, {{0}}},
    {"false section leaves no blank line", "a\n{{#no}}\nX\n{{/no}}\nb\n", "{no: false}", "a\nb\n",
     NULL, {{0}}},
    {"list with standalone tags",
     "{{#l}}\n  case {{.}}:\n{{/l}}\n", "{l: [1, 2]}", "  case 1:\n  case 2:\n", NULL, {{0}}},

    /* ---- CRLF */
    {"CRLF is read as LF", "A\r\n{{#a}}\r\nX\r\n{{/a}}\r\nB\r\n", "{a: true}", "A\nX\nB\n", NULL,
     {{0}}},
    {"CRLF error positions", "A\r\n  {{x}}\r\n", NULL, NULL,
     "t/main.tmpl:2:3: error: unknown variable 'x'\n", {{0}}},
    {"lone CR is text", "a\rb", NULL, "a\rb", NULL, {{0}}},

    /* ---- ~ trimming */
    {"trim before", "a  \n {{~x}}  b", "{x: 'X'}", "aX  b", NULL, {{0}}},
    {"trim after", "a  {{x~}} \n b", "{x: 'X'}", "a  Xb", NULL, {{0}}},
    {"trim both around a list", "{{#l}}\n  {{~.~}}\n{{/l}}\n", "{l: ['a', 'b']}", "ab", NULL,
     {{0}}},
    {"trimming comment", "x(\n  {{~!}}y)", NULL, "x(y)", NULL, {{0}}},
    {"trimming section tags", "f(\n{{~#l}}\n  {{.}}{{^@last}}, {{/@last}}\n{{~/l~}}\n);",
     "{l: [1, 2]}", "f(\n  1, \n  2);", NULL, {{0}}},

    {"trimming for inline output (docs example)",
     "f(\n{{~#args~}}\n    {{.}}{{^@last}}, {{/@last}}\n{{~/args~}}\n);\n", "{args: ['a', 'b']}",
     "f(a, b);\n", NULL, {{0}}},

    /* ---- comments */
    {"inline comment", "a{{! x }}b", NULL, "ab", NULL, {{0}}},
    {"comment may hold braces", "a{{! {{x}} }}b", NULL, "a }}b", NULL, {{0}}},

    /* ---- partials */
    {"inline partial", "[{{>p}}]", NULL, "[x]", NULL, {{"p", "x"}}},
    {"standalone partial is indented",
     "int f(void)\n{\n    {{>body}}\n}\n", NULL, "int f(void)\n{\n    a();\n    b();\n}\n", NULL,
     {{"body", "a();\nb();\n"}}},
    {"nested partial indentation adds up", "{\n    {{>body}}\n}\n", NULL,
     "{\n    if (x) {\n        y();\n        z();\n    }\n}\n", NULL,
     {{"body", "if (x) {\n    {{>inner}}\n}\n"}, {"inner", "y();\nz();\n"}}},
    {"empty lines are not indented", "{\n    {{>body}}\n}\n", NULL, "{\n    a();\n\n    b();\n}\n",
     NULL, {{"body", "a();\n\nb();\n"}}},
    {"multi-line value in an indented partial", "{\n    {{>body}}\n}\n",
     "{doc: 'line1\\n * line2'}", "{\n    /* line1\n     * line2 */\n}\n", NULL,
     {{"body", "/* {{doc}} */\n"}}},
    {"inline partial is not indented", "  x = {{>v}};\n", NULL, "  x = 1\n2;\n", NULL,
     {{"v", "1\n2"}}},
    {"partial name with a dot", "{{>events.h}}", NULL, "H", NULL, {{"events.h", "H"}}},
    {"partial sees the context stack", "{{#items}}{{>item}}{{/items}}",
     "{items: [{name: 'a'}, {name: 'b'}]}", "a=0,b=1", NULL,
     {{"item", "{{name}}={{@index}}{{^@last}},{{/@last}}"}}},
    {"partial in a list, standalone", "{{#l}}\n  {{>p}}\n{{/l}}\n", "{l: ['a', 'b']}",
     "  <a>\n  <b>\n", NULL, {{"p", "<{{.}}>\n"}}},
    {"recursive partial", "{{>_node}}",
     "{name: 'r', kids: [{name: 'a', kids: [{name: 'b', kids: []}]}, {name: 'c', kids: []}]}",
     "r(a(b))(c)", NULL, {{"_node", "{{name}}{{#kids}}({{>_node}}){{/kids}}"}}},
    {"recursive partial indents each level", "{{>_n}}",
     "{name: 'r', kids: [{name: 'a', kids: [{name: 'b', kids: []}]}]}",
     "r\n  a\n    b\n", NULL, {{"_n", "{{name}}\n{{#kids}}\n  {{>_n}}\n{{/kids}}\n"}}},

    /* ---- errors */
    {"unknown variable", "line1\n    {{feild}}\n", "{field: 1}", NULL,
     "t/main.tmpl:2:5: error: unknown variable 'feild'\n", {{0}}},
    {"each bad tag is reported once", "{{#l}}{{nope}}{{/l}}", "{l: [1, 2, 3]}", NULL,
     "t/main.tmpl:1:7: error: unknown variable 'nope'\n", {{0}}},
    {"every bad tag is reported", "{{a}}\n{{b}}", NULL, NULL,
     "t/main.tmpl:1:1: error: unknown variable 'a'\nt/main.tmpl:2:1: error: unknown variable 'b'\n",
     {{0}}},
    {"list inserted", "{{l}}", "{l: []}", NULL,
     "t/main.tmpl:1:1: error: 'l' is a list; only strings, integers and booleans can be inserted\n",
     {{0}}},
    {"map inserted", "x{{.}}", "{}", NULL,
     "t/main.tmpl:1:2: error: '.' is a map; only strings, integers and booleans can be inserted\n",
     {{0}}},
    {"unclosed section", "A\n{{#fields}}\nB\n", NULL, NULL,
     "t/main.tmpl:2:1: error: section 'fields' opened here is never closed\n", {{0}}},
    {"two unclosed sections", "{{#a}}\n  {{^b}}\n", NULL, NULL,
     "t/main.tmpl:1:1: error: section 'a' opened here is never closed\n"
     "t/main.tmpl:2:3: error: section 'b' opened here is never closed\n", {{0}}},
    {"mismatched close", "{{#a}}x{{/b}}", NULL, NULL,
     "t/main.tmpl:1:8: error: '{{/b}}' closes section 'a'\n", {{0}}},
    {"crossed sections", "{{#a}}\n  {{#b}}\n  {{/a}}\n{{/b}}\n", NULL, NULL,
     "t/main.tmpl:3:3: error: '{{/a}}' closes section 'b'\n"
     "t/main.tmpl:4:1: error: '{{/b}}' closes section 'a'\n", {{0}}},
    {"close without open", "x{{/a}}", NULL, NULL,
     "t/main.tmpl:1:2: error: '{{/a}}' closes no open section\n", {{0}}},
    {"tag not closed on its line", "int a = {{0};\n", NULL, NULL,
     "t/main.tmpl:1:9: error: '{{' starts a tag that is not closed on this line"
     " (for literal braces in C write '{ {')\n", {{0}}},
    {"literal braces", "x = {{0}};\n", NULL, NULL,
     "t/main.tmpl:1:5: error: invalid name '0' in tag (for literal braces in C write '{ {')\n",
     {{0}}},
    {"bad dotted name", "{{a..b}}{{a.}}", NULL, NULL,
     "t/main.tmpl:1:1: error: invalid name 'a..b' in tag (for literal braces in C write '{ {')\n"
     "t/main.tmpl:1:9: error: invalid name 'a.' in tag (for literal braces in C write '{ {')\n",
     {{0}}},
    {"empty tags", "{{}}{{#}}", NULL, NULL,
     "t/main.tmpl:1:1: error: empty tag '{{}}'\nt/main.tmpl:1:5: error: empty tag '{{#}}'\n", {{0}}},
    {"unknown special name", "{{@count}}", NULL, NULL,
     "t/main.tmpl:1:1: error: unknown special name '@count' (there are @index, @first, @last)\n",
     {{0}}},
    {"special name outside a list", "{{@index}}{{#m}}{{#@last}}x{{/@last}}{{/m}}", "{m: {}}", NULL,
     "t/main.tmpl:1:1: error: '@index' is only defined inside a list section\n"
     "t/main.tmpl:1:17: error: '@last' is only defined inside a list section\n", {{0}}},
    {"unterminated comment", "a\n{{! never", NULL, NULL,
     "t/main.tmpl:2:1: error: comment is never closed with '}}'\n", {{0}}},
    {"invalid partial name", "{{>a b}}", NULL, NULL,
     "t/main.tmpl:1:1: error: invalid partial name 'a b'\n", {{0}}},
    {"unknown partial", "A\n  {{>_x}}\n", NULL, NULL,
     "t/main.tmpl:2:3: error: no template named '_x'\n", {{0}}},
    {"error inside a partial names the partial", "{{>_p}}", NULL, NULL,
     "t/_p.tmpl:2:1: error: unknown variable 'oops'\n", {{"_p", "\n{{oops}}"}}},
    {"recursion limit", "{{>_r}}", NULL, NULL, RECURSION_ERR, {{"_r", "{{>_r}}"}}},
    {"recursion limit via missing key", "{{>_n}}", "{kids: [{}]}", NULL,
     "t/_n.tmpl:1:10: error: partial '_n' nested more than 64 deep (unbounded recursion?)\n",
     {{"_n", "{{#kids}}{{>_n}}{{/kids}}"}}},
};

static void run_case(void **state)
{
    const tcase *tc = *state;
    tpl_set *set = tpl_set_new();
    tpl_ctx *ctx = tpl_ctx_new();
    capture cap;
    capture_open(&cap);
    bool ok = true;
    char file[64];
    for (size_t i = 0; i < 4 && tc->partials[i].name; i++) {
        snprintf(file, sizeof file, "t/%s.tmpl", tc->partials[i].name);
        ok &= tpl_set_add(set, tc->partials[i].name, file, tc->partials[i].text,
                          strlen(tc->partials[i].text), &cap.d);
    }
    ok &= tpl_set_add(set, "main", "t/main.tmpl", tc->tmpl, strlen(tc->tmpl), &cap.d);
    char *out = NULL;
    size_t len = 0;
    if (ok)
        out = tpl_render(set, "main", ctx_parse(ctx, tc->ctx), &len, &cap.d);
    capture_close(&cap);

    if (tc->out) {
        if (!out || cap.len)
            print_message("case '%s': unexpected errors:\n%s", tc->name, cap.buf);
        assert_non_null(out);
        assert_string_equal(out, tc->out);
        assert_int_equal(len, strlen(tc->out));
    } else {
        assert_null(out);
    }
    assert_string_equal(cap.buf, tc->err ? tc->err : "");
    assert_int_equal(cap.d.error_count, tc->err ? cap.d.error_count : 0);
    if (tc->err)
        assert_true(cap.d.error_count > 0);
    free(out);
    free(cap.buf);
    tpl_ctx_free(ctx);
    tpl_set_free(set);
}

/* ================================================================ API */

static void test_set_api(void **state)
{
    (void)state;
    tpl_set *s = tpl_set_new();
    capture cap;
    capture_open(&cap);
    assert_int_equal(tpl_set_count(s), 0);
    assert_true(tpl_set_add(s, "b.c", "dir/b.c.tmpl", "B", 1, &cap.d));
    assert_true(tpl_set_add(s, "_a", "dir/_a.tmpl", "A", 1, &cap.d));
    assert_false(tpl_set_add(s, "b.c", "other/b.c.tmpl", "X", 1, &cap.d));
    assert_false(tpl_set_add(s, "bad", "dir/bad.tmpl", "{{#x}}", 6, &cap.d));
    assert_true(tpl_set_add(s, "uses", "dir/uses.tmpl", "{{>_a}}{{>_gone}}", 17, &cap.d));
    assert_false(tpl_set_check(s, &cap.d));
    char *none = tpl_render(s, "nope", NULL, NULL, &cap.d);
    capture_close(&cap);
    assert_null(none);
    assert_string_equal(cap.buf,
                        "other/b.c.tmpl: error: a template named 'b.c' was already added\n"
                        "dir/bad.tmpl:1:1: error: section 'x' opened here is never closed\n"
                        "dir/uses.tmpl:1:8: error: no template named '_gone'\n"
                        "evgen: error: no template named 'nope'\n");
    free(cap.buf);
    assert_int_equal(tpl_set_count(s), 3);
    assert_string_equal(tpl_set_name(s, 0), "b.c");
    assert_string_equal(tpl_set_file(s, 0), "dir/b.c.tmpl");
    assert_string_equal(tpl_set_name(s, 1), "_a");
    assert_string_equal(tpl_set_name(s, 2), "uses");

    /* text need not be NUL-terminated and may hold NUL bytes */
    diag d;
    diag_init(&d, stderr);
    assert_true(tpl_set_add(s, "nul", "nul.tmpl", "a\0b{{x}}XYZ", 8, &d));
    tpl_ctx *ctx = tpl_ctx_new();
    tpl_value *root = tpl_map(ctx);
    tpl_set_value(ctx, root, "x", tpl_strn(ctx, "c\0d", 3));
    size_t len;
    char *out = tpl_render(s, "nul", root, &len, &d);
    assert_non_null(out);
    assert_int_equal(len, 6);
    assert_memory_equal(out, "a\0bc\0d", 7);
    free(out);
    tpl_ctx_free(ctx);
    tpl_set_free(s);
}

static void test_value_api(void **state)
{
    (void)state;
    tpl_ctx *ctx = tpl_ctx_new();
    tpl_value *root = tpl_map(ctx);
    tpl_set_str(ctx, root, "s", "str");
    tpl_set_strf(ctx, root, "f", "%s_%03d", "EV", 7);
    tpl_set_bool(ctx, root, "b", true);
    tpl_set_int(ctx, root, "i", -9223372036854775807LL - 1);
    tpl_set_str(ctx, root, "s", "replaced");
    tpl_value *l = tpl_list(ctx);
    assert_int_equal(tpl_list_len(l), 0);
    for (int i = 0; i < 1000; i++)
        tpl_push(l, tpl_strf(ctx, "%d", i));
    assert_int_equal(tpl_list_len(l), 1000);
    tpl_set_value(ctx, root, "l", l);
    /* a map big enough to be hashed, grown one key at a time */
    tpl_value *big = tpl_map(ctx);
    for (int i = 0; i < 500; i++) {
        char key[16];
        snprintf(key, sizeof key, "k%d", i);
        tpl_set_int(ctx, big, key, i);
    }
    tpl_set_int(ctx, big, "k250", -250);
    tpl_set_value(ctx, root, "big", big);

    tpl_set *s = tpl_set_new();
    diag d;
    diag_init(&d, stderr);
    const char *t = "{{s}} {{f}} {{b}} {{i}} {{#l}}{{#@last}}{{.}}{{/@last}}{{/l}}"
                    " {{big.k0}} {{big.k250}} {{big.k499}}{{^big.k500}}!{{/big.k500}}";
    assert_true(tpl_set_add(s, "t", "t.tmpl", t, strlen(t), &d));
    char *out = tpl_render(s, "t", root, NULL, &d);
    assert_non_null(out);
    assert_string_equal(out, "replaced EV_007 true -9223372036854775808 999 0 -250 499!");
    free(out);
    tpl_set_free(s);
    tpl_ctx_free(ctx);
}

/* ~60 events x ~50 fields through a partial: about 1 MB of output. */
static void test_performance(void **state)
{
    (void)state;
    tpl_ctx *ctx = tpl_ctx_new();
    tpl_value *root = tpl_map(ctx);
    tpl_set_str(ctx, root, "prefix", "evg");
    tpl_value *events = tpl_list(ctx);
    for (int e = 0; e < 60; e++) {
        tpl_value *ev = tpl_map(ctx);
        tpl_set_strf(ctx, ev, "name", "event_number_%d", e);
        tpl_value *fields = tpl_list(ctx);
        for (int f = 0; f < 50; f++) {
            tpl_value *fl = tpl_map(ctx);
            tpl_set_strf(ctx, fl, "name", "field_%d", f);
            tpl_set_str(ctx, fl, "ctype", f % 2 ? "int64_t" : "evg_str");
            tpl_set_bool(ctx, fl, "required", f % 3 == 0);
            tpl_push(fields, fl);
        }
        tpl_set_value(ctx, ev, "fields", fields);
        tpl_push(events, ev);
    }
    tpl_set_value(ctx, root, "events", events);

    const char *main_t =
        "{{#events}}\n"
        "static bool parse_{{prefix}}_{{name}}(evg_parser *p, {{prefix}}_{{name}} *out)\n"
        "{\n"
        "    {{>_fields}}\n"
        "}\n"
        "{{^@last}}\n\n{{/@last}}\n"
        "{{/events}}\n";
    const char *fields_t =
        "{{#fields}}\n"
        "if (evg_str_eq(key, \"{{name}}\")) { /* {{@index}} of {{name}} in {{prefix}}_ */\n"
        "    {{#required}}seen |= 1;{{/required}}{{^required}}/* optional */{{/required}}\n"
        "    if (!parse_{{ctype}}(p, &out->{{name}}))\n"
        "        return evg_path_key(p, \"{{name}}\", sizeof \"{{name}}\" - 1);\n"
        "    out->has_{{name}} = true; /* field {{@index}}: {{ctype}} {{name}} */\n"
        "    return true;\n"
        "}\n"
        "{{/fields}}\n";

    tpl_set *s = tpl_set_new();
    diag d;
    diag_init(&d, stderr);
    assert_true(tpl_set_add(s, "main", "main.tmpl", main_t, strlen(main_t), &d));
    assert_true(tpl_set_add(s, "_fields", "_fields.tmpl", fields_t, strlen(fields_t), &d));

    struct timespec t0, t1;
    clock_gettime(CLOCK_MONOTONIC, &t0);
    size_t total = 0;
    const int rounds = 5;
    for (int r = 0; r < rounds; r++) {
        size_t len;
        char *out = tpl_render(s, "main", root, &len, &d);
        assert_non_null(out);
        assert_int_equal(strlen(out), len);
        total += len;
        if (r == 0) {
            assert_non_null(strstr(out, "\n    if (evg_str_eq(key, \"field_49\")) "
                                        "{ /* 49 of field_49 in evg_ */\n"
                                        "        /* optional */\n"
                                        "        if (!parse_int64_t(p, &out->field_49))\n"
                                        "            return evg_path_key(p, \"field_49\", sizeof \"field_49\" - 1);\n"
                                        "        out->has_field_49 = true; /* field 49: int64_t field_49 */\n"
                                        "        return true;\n"
                                        "    }\n}\n"));
        }
        free(out);
    }
    clock_gettime(CLOCK_MONOTONIC, &t1);
    double ms = (double)(t1.tv_sec - t0.tv_sec) * 1e3 + (double)(t1.tv_nsec - t0.tv_nsec) / 1e6;
    print_message("rendered %zu bytes per round in %.2f ms per round (sanitizers on)\n",
                  total / rounds, ms / rounds);
    assert_true(total / rounds > 900 * 1000);
    assert_true(ms / rounds < 1000.0);   /* milliseconds without sanitizers; generous here */
    tpl_set_free(s);
    tpl_ctx_free(ctx);
}

/* ================================================================ files and processes */

static void write_file(const char *path, const char *data, size_t len)
{
    FILE *f = fopen(path, "wb");
    assert_non_null(f);
    assert_int_equal(fwrite(data, 1, len, f), len);
    assert_int_equal(fclose(f), 0);
}

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f)
        return NULL;
    size_t cap = 1 << 16, n = 0;
    char *buf = malloc(cap);
    size_t k;
    while ((k = fread(buf + n, 1, cap - n, f)) > 0) {
        n += k;
        if (n == cap)
            buf = realloc(buf, cap *= 2);
    }
    fclose(f);
    *len = n;
    return buf;
}

/* Runs argv[0] (searched in PATH) with stdout and stderr to /dev/null;
 * returns the exit status, or -1 if it could not run. */
static int run(char *const argv[])
{
    pid_t pid = fork();
    assert_true(pid >= 0);
    if (pid == 0) {
        if (!freopen("/dev/null", "w", stdout) || !freopen("/dev/null", "w", stderr))
            _exit(127);
        execvp(argv[0], argv);
        _exit(127);
    }
    int status;
    assert_int_equal(waitpid(pid, &status, 0), pid);
    if (!WIFEXITED(status) || WEXITSTATUS(status) == 127)
        return -1;
    return WEXITSTATUS(status);
}

static void remove_tree(const char *dir)
{
    DIR *dp = opendir(dir);
    if (!dp)
        return;
    struct dirent *ent;
    char path[512];
    while ((ent = readdir(dp)) != NULL) {
        if (strcmp(ent->d_name, ".") == 0 || strcmp(ent->d_name, "..") == 0)
            continue;
        snprintf(path, sizeof path, "%s/%s", dir, ent->d_name);
        struct stat st;
        if (lstat(path, &st) == 0 && S_ISDIR(st.st_mode))
            remove_tree(path);
        else
            remove(path);
    }
    closedir(dp);
    rmdir(dir);
}

static void test_load_dir(void **state)
{
    (void)state;
    char dir[] = "/tmp/evgen-tpl-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char p[512];
    snprintf(p, sizeof p, "%s/b.h.tmpl", dir);
    write_file(p, "B{{>_a}}", 8);
    snprintf(p, sizeof p, "%s/_a.tmpl", dir);
    write_file(p, "A", 1);
    snprintf(p, sizeof p, "%s/a.c.tmpl", dir);
    write_file(p, "{{x}}", 5);
    snprintf(p, sizeof p, "%s/notes.txt", dir);
    write_file(p, "{{#", 3);
    snprintf(p, sizeof p, "%s/.hidden.tmpl", dir);
    write_file(p, "{{#", 3);

    tpl_set *s = tpl_set_new();
    capture cap;
    capture_open(&cap);
    char **files;
    size_t nfiles;
    char withslash[600];
    snprintf(withslash, sizeof withslash, "%s/", dir);
    bool ok = tpl_set_load_dir(s, withslash, &files, &nfiles, &cap.d);
    capture_close(&cap);
    assert_string_equal(cap.buf, "");
    free(cap.buf);
    assert_true(ok);
    assert_int_equal(tpl_set_count(s), 3);
    assert_string_equal(tpl_set_name(s, 0), "_a");
    assert_string_equal(tpl_set_name(s, 1), "a.c");
    assert_string_equal(tpl_set_name(s, 2), "b.h");
    assert_int_equal(nfiles, 3);
    snprintf(p, sizeof p, "%s/a.c.tmpl", dir);
    assert_string_equal(files[1], p);
    assert_string_equal(tpl_set_file(s, 1), p);
    tpl_files_free(files, nfiles);
    diag d;
    diag_init(&d, stderr);
    char *out = tpl_render(s, "b.h", NULL, NULL, &d);
    assert_string_equal(out, "BA");
    free(out);
    tpl_set_free(s);

    /* a syntax error, and a partial that is missing once _a is gone */
    snprintf(p, sizeof p, "%s/_a.tmpl", dir);
    remove(p);
    snprintf(p, sizeof p, "%s/c.tmpl", dir);
    write_file(p, "\n {{/x}}", 8);
    s = tpl_set_new();
    capture_open(&cap);
    ok = tpl_set_load_dir(s, dir, NULL, NULL, &cap.d);
    capture_close(&cap);
    assert_false(ok);
    char want[4096];
    snprintf(want, sizeof want, "%s/c.tmpl:2:2: error: '{{/x}}' closes no open section\n", dir);
    assert_string_equal(cap.buf, want);
    free(cap.buf);
    tpl_set_free(s);
    remove(p);

    s = tpl_set_new();
    capture_open(&cap);
    ok = tpl_set_load_dir(s, dir, &files, &nfiles, &cap.d);
    capture_close(&cap);
    assert_false(ok);
    snprintf(want, sizeof want, "%s/b.h.tmpl:1:2: error: no template named '_a'\n", dir);
    assert_string_equal(cap.buf, want);
    assert_int_equal(nfiles, 2);
    tpl_files_free(files, nfiles);
    free(cap.buf);
    tpl_set_free(s);

    /* no templates at all; no directory at all */
    char empty[600];
    snprintf(empty, sizeof empty, "%s/empty", dir);
    assert_int_equal(mkdir(empty, 0700), 0);
    s = tpl_set_new();
    capture_open(&cap);
    assert_false(tpl_set_load_dir(s, empty, NULL, NULL, &cap.d));
    snprintf(p, sizeof p, "%s/missing", dir);
    assert_false(tpl_set_load_dir(s, p, &files, &nfiles, &cap.d));
    capture_close(&cap);
    assert_null(files);
    assert_int_equal(nfiles, 0);
    snprintf(want, sizeof want,
             "%s: error: no templates (*.tmpl files) in this directory\n"
             "%s: error: cannot open template directory: No such file or directory\n", empty, p);
    assert_string_equal(cap.buf, want);
    free(cap.buf);
    tpl_set_free(s);
    remove_tree(dir);
}

/* Whatever templates evgen was built with load, or report why not. */
static void test_load_embedded(void **state)
{
    (void)state;
    tpl_set *s = tpl_set_new();
    capture cap;
    capture_open(&cap);
    bool ok = tpl_set_load_embedded(s, &cap.d);
    capture_close(&cap);
    if (ok) {
        assert_int_equal(tpl_set_count(s), embedded_template_count);
        for (size_t i = 0; i < embedded_template_count; i++) {
            assert_string_equal(tpl_set_name(s, i), embedded_templates[i].name);
            assert_string_equal(tpl_set_file(s, i), embedded_templates[i].file);
            assert_int_equal(strlen(embedded_templates[i].text), embedded_templates[i].len);
        }
    } else {
        assert_true(cap.d.error_count > 0);
        print_message("embedded templates do not load yet:\n%s", cap.buf);
    }
    free(cap.buf);
    tpl_set_free(s);
}

/* Bytes the embed tool must carry through exactly. */
static size_t tricky_template(char *buf, size_t cap)
{
    size_t n = 0;
    const char head[] = "quotes \" ' \\\" \\n backslash \\ \\\\ end\\\n"
                        "trigraphs ?\?= ?\?/ ?\?' ?\?( ?\?) ?\?! ?\?< ?\?> ?\?- ?\?\?= ?\?\?\?/\n"
                        "utf-8 \xc3\xa9\xe2\x82\xac\xf0\x9f\x98\x80 raw \xff\xfe\x80\x01\x1f\x7f\n"
                        "nul>\0<nul tab>\t<cr>\r<crlf\r\n"
                        "octal-looking \\0 \\1234 after-escape \x01" "7\n"
                        "/* comment */ // line ?\?\n"
                        "{{#x}}{{/x}} %s %% %n\n";
    memcpy(buf, head, sizeof head - 1);
    n = sizeof head - 1;
    /* a 9000-byte line with a '?' every 997 bytes, ending in "?" */
    for (size_t i = 0; i < 9000; i++)
        buf[n++] = i % 997 == 996 ? '?' : (char)('a' + i % 26);
    buf[n++] = '?';
    buf[n++] = '?';
    assert_true(n < cap);
    return n;
}

static const char driver_c[] =
    "#include <stdio.h>\n"
    "#include <string.h>\n"
    "#include \"embedded_templates.h\"\n"
    "int main(int argc, char **argv)\n"
    "{\n"
    "    if (argc != 2)\n"
    "        return 2;\n"
    "    for (size_t i = 0; i < embedded_template_count; i++) {\n"
    "        char path[4096];\n"
    "        snprintf(path, sizeof path, \"%s/%s.out\", argv[1], embedded_templates[i].name);\n"
    "        FILE *f = fopen(path, \"wb\");\n"
    "        if (!f || fwrite(embedded_templates[i].text, 1, embedded_templates[i].len, f) !=\n"
    "                      embedded_templates[i].len || fclose(f) != 0)\n"
    "            return 1;\n"
    "        if (embedded_templates[i].text[embedded_templates[i].len] != '\\0')\n"
    "            return 3;\n"
    "        printf(\"%s %s\\n\", embedded_templates[i].name, embedded_templates[i].file);\n"
    "    }\n"
    "    printf(\"count %zu\\n\", embedded_template_count);\n"
    "    return 0;\n"
    "}\n";

/* Compiles out.c + driver with cc, strictly; returns false if cc is not there. */
static bool compile_driver(const char *cc, const char *dir, const char *src, const char *exe)
{
    char drv[600], inc[600];
    snprintf(drv, sizeof drv, "%s/driver.c", dir);
    snprintf(inc, sizeof inc, "-I%s", "generator");
    char *argv[] = {(char *)cc, "-std=c11", "-Wall", "-Wextra", "-Werror", "-Wtrigraphs",
                    "-Wshadow", "-Wstrict-prototypes", "-Wmissing-prototypes", inc,
                    (char *)src, drv, "-o", (char *)exe, NULL};
    int rc = run(argv);
    if (rc < 0)
        return false;
    assert_int_equal(rc, 0);
    return true;
}

static void test_embed_roundtrip(void **state)
{
    (void)state;
    const char *embed = "build/embed";
    if (access(embed, X_OK) != 0) {
        print_message("build/embed is not built; run from the repository root via make\n");
        skip();
    }
    char dir[] = "/tmp/evgen-embed-XXXXXX";
    assert_non_null(mkdtemp(dir));
    char path[600], out_c[600], out2_c[600], zero_c[600], exe[600], tpl_a[600], tpl_b[600],
        tpl_e[600];
    snprintf(tpl_a, sizeof tpl_a, "%s/tricky.c.tmpl", dir);
    snprintf(tpl_b, sizeof tpl_b, "%s/_partial.tmpl", dir);
    snprintf(tpl_e, sizeof tpl_e, "%s/empty.tmpl", dir);
    snprintf(out_c, sizeof out_c, "%s/out.c", dir);
    snprintf(out2_c, sizeof out2_c, "%s/out2.c", dir);
    snprintf(zero_c, sizeof zero_c, "%s/zero.c", dir);
    snprintf(exe, sizeof exe, "%s/driver", dir);
    snprintf(path, sizeof path, "%s/driver.c", dir);
    write_file(path, driver_c, sizeof driver_c - 1);

    static char tricky[16384];
    size_t tricky_len = tricky_template(tricky, sizeof tricky);
    write_file(tpl_a, tricky, tricky_len);
    const char partial_text[] = "?";
    write_file(tpl_b, partial_text, 1);
    write_file(tpl_e, "", 0);

    char *argv1[] = {(char *)embed, out_c, tpl_a, tpl_b, tpl_e, NULL};
    assert_int_equal(run(argv1), 0);
    /* argument order does not matter */
    char *argv2[] = {(char *)embed, out2_c, tpl_e, tpl_b, tpl_a, NULL};
    assert_int_equal(run(argv2), 0);
    size_t l1, l2;
    char *c1 = slurp(out_c, &l1), *c2 = slurp(out2_c, &l2);
    assert_non_null(c1);
    assert_non_null(c2);
    assert_int_equal(l1, l2);
    assert_memory_equal(c1, c2, l1);
    assert_null(memchr(c1, '\0', l1));
    assert_null(strstr(c1, "??"));          /* no trigraph can form */
    /* no literal longer than C's guaranteed 4095 characters */
    size_t run_len = 0;
    for (size_t i = 0; i < l1; i++) {
        run_len = c1[i] == '\n' ? 0 : run_len + 1;
        assert_true(run_len < 4095);
    }
    free(c1);
    free(c2);

    /* errors: not a .tmpl, duplicate names, unreadable */
    snprintf(path, sizeof path, "%s/sub", dir);
    assert_int_equal(mkdir(path, 0700), 0);
    snprintf(path, sizeof path, "%s/sub/empty.tmpl", dir);
    write_file(path, "x", 1);
    char bad_out[600];
    snprintf(bad_out, sizeof bad_out, "%s/bad.c", dir);
    char *dup[] = {(char *)embed, bad_out, tpl_e, path, NULL};
    assert_int_equal(run(dup), 1);
    char *notmpl[] = {(char *)embed, bad_out, out_c, NULL};
    assert_int_equal(run(notmpl), 1);
    snprintf(path, sizeof path, "%s/missing.tmpl", dir);
    char *missing[] = {(char *)embed, bad_out, path, NULL};
    assert_int_equal(run(missing), 1);
    assert_int_equal(access(bad_out, F_OK), -1);

    char *argv0[] = {(char *)embed, zero_c, NULL};
    assert_int_equal(run(argv0), 0);

    const char *env_cc = getenv("CC");
    const char *compilers[] = {env_cc && *env_cc ? env_cc : "cc", "gcc", "clang"};
    int compiled = 0;
    for (size_t k = 0; k < 3; k++) {
        if (!compile_driver(compilers[k], dir, out_c, exe))
            continue;
        compiled++;
        char *drv[] = {exe, dir, NULL};
        assert_int_equal(run(drv), 0);
        size_t n;
        snprintf(path, sizeof path, "%s/tricky.c.out", dir);
        char *got = slurp(path, &n);
        assert_non_null(got);
        assert_int_equal(n, tricky_len);
        assert_memory_equal(got, tricky, n);
        free(got);
        snprintf(path, sizeof path, "%s/_partial.out", dir);
        got = slurp(path, &n);
        assert_int_equal(n, 1);
        assert_memory_equal(got, "?", 1);
        free(got);
        snprintf(path, sizeof path, "%s/empty.out", dir);
        got = slurp(path, &n);
        assert_int_equal(n, 0);
        free(got);

        /* zero templates compile too */
        assert_true(compile_driver(compilers[k], dir, zero_c, exe));
        assert_int_equal(run(drv), 0);
    }
    if (!compiled)
        print_message("no C compiler (cc, gcc, clang) found: embed output not compiled\n");
    assert_true(compiled > 0);
    remove_tree(dir);
}

int main(void)
{
    size_t n = sizeof cases / sizeof cases[0];
    struct CMUnitTest *tests = calloc(n, sizeof *tests);
    for (size_t i = 0; i < n; i++) {
        tests[i].name = cases[i].name;
        tests[i].test_func = run_case;
        tests[i].initial_state = (void *)&cases[i];
    }
    int failed = _cmocka_run_group_tests("template cases", tests, n, NULL, NULL);
    free(tests);

    const struct CMUnitTest api[] = {
        cmocka_unit_test(test_set_api),
        cmocka_unit_test(test_value_api),
        cmocka_unit_test(test_performance),
        cmocka_unit_test(test_load_dir),
        cmocka_unit_test(test_load_embedded),
        cmocka_unit_test(test_embed_roundtrip),
    };
    failed += cmocka_run_group_tests_name("template api, loading, embedding", api, NULL, NULL);
    return failed ? 1 : 0;
}
