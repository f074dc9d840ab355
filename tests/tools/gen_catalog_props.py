#!/usr/bin/env python3
"""Writes tests/catalog_props.h: every property of every event version, read
from the resolved catalog (`build/evgen --dump catalog.yaml`), never from the
generated C. The runtime suites compare what the generated parsers do against
this table, so it must come from an independent source.

    python3 tests/tools/gen_catalog_props.py [build/evgen] [catalog.yaml] > tests/catalog_props.h

Each row is one property (or array element, marked `item`) at a JSON Pointer
relative to the payload; array elements are addressed through index 0. The
expected error message of an enum or const is written the way the runtime
documents it (evgen_runtime.h: expected "inbound" or "outbound")."""
import json
import subprocess
import sys


def c_str(s):
    if s is None:
        return "NULL"
    out = '"'
    for ch in s:
        if ch in '"\\':
            out += "\\" + ch
        elif 0x20 <= ord(ch) < 0x7F:
            out += ch
        else:
            out += "\\x%02x" % ord(ch)
    return out + '"'


def expected_message(prop):
    vals = prop.get("values") or []
    quoted = ['"%s"' % v for v in vals]
    if not quoted:
        return None
    if len(quoted) == 1:
        return "expected " + quoted[0]
    return "expected " + ", ".join(quoted[:-1]) + " or " + quoted[-1]


def pointer_step(name):
    return "/" + name.replace("~", "~0").replace("/", "~1")


def walk(props, base, rows):
    for p in props:
        walk_one(p, base + pointer_step(p["name"]), False, rows)


def walk_one(p, ptr, item, rows):
    t = p["type"]
    msg = expected_message(p) if t in ("enum", "const") else None
    vals = "|".join(p.get("values") or []) if t in ("enum", "const") else None
    rows.append((ptr, t, bool(p["required"]) or item, bool(p["nullable"]), item,
                 p.get("min_items"), p.get("max_items"), msg, vals))
    if t == "object":
        walk(p["properties"], ptr, rows)
    elif t == "array":
        walk_one(p["items"], ptr + "/0", True, rows)
    # a map's values sit under free keys: tests/test_rt_invalid.c tests them by hand


def main():
    evgen = sys.argv[1] if len(sys.argv) > 1 else "build/evgen"
    catalog = sys.argv[2] if len(sys.argv) > 2 else "catalog.yaml"
    dump = json.loads(subprocess.run([evgen, "--dump", catalog], check=True,
                                     capture_output=True, text=True).stdout)
    out = []
    w = out.append
    w("/* catalog_props.h - every property of every event version, as the resolved")
    w(" * catalog states it. Written by tests/tools/gen_catalog_props.py from")
    w(" * `build/evgen --dump catalog.yaml` (independent of generated/); rerun it when")
    w(" * the catalog changes. */")
    w("#ifndef TESTS_CATALOG_PROPS_H")
    w("#define TESTS_CATALOG_PROPS_H")
    w("")
    w("#include <stdbool.h>")
    w("#include <stddef.h>")
    w("")
    w("typedef struct cp_prop {")
    w("    const char *pointer;   /* in the payload; array elements through index 0 */")
    w("    const char *type;      /* string boolean integer number const enum object array map any */")
    w("    bool required;         /* always true for an array element */")
    w("    bool nullable;")
    w("    bool item;             /* an array element, not a key */")
    w("    int min_items, max_items;  /* arrays; -1 for none */")
    w("    const char *message;   /* enum / const: the expected error message */")
    w("    const char *values;    /* enum / const: the allowed strings, joined by '|' */")
    w("} cp_prop;")
    w("")
    w("typedef struct cp_version {")
    w("    const char *event, *version, *wire, *direction;   /* wire: the event's first */")
    w("    const cp_prop *props;")
    w("    size_t count;")
    w("} cp_version;")
    w("")
    names = []
    for ev in dump["events"]:
        for ver in ev["versions"]:
            rows = []
            walk(ver["properties"], "", rows)
            ident = "cp_" + (ev["name"] + "_" + ver["version"]).replace("-", "_").replace(".", "_")
            names.append((ev, ver, ident, len(rows)))
            w("static const cp_prop %s[] = {" % ident)
            for ptr, t, req, nul, item, mn, mx, msg, vals in rows:
                w("    {%s, %s, %s, %s, %s, %d, %d, %s, %s}," % (
                    c_str(ptr), c_str(t), "true" if req else "false", "true" if nul else "false",
                    "true" if item else "false", -1 if mn is None else mn, -1 if mx is None else mx,
                    c_str(msg), c_str(vals)))
            w("};")
            w("")
    w("static const cp_version cp_versions[] = {")
    for ev, ver, ident, n in names:
        w("    {%s, %s, %s, %s, %s, %d}," % (c_str(ev["name"]), c_str(ver["version"]), c_str(ev["wires"][0] if ev["wires"] else ""),
                                         c_str(ev["direction"]), ident, n))
    w("};")
    w("#define CP_VERSION_COUNT %d" % len(names))
    w("")
    w("#endif /* TESTS_CATALOG_PROPS_H */")
    sys.stdout.write("\n".join(out) + "\n")


if __name__ == "__main__":
    main()
