#!/usr/bin/env python3
"""Checks the JSON Schemas `evgen --emit jsonschema` writes (docs/jsonschema.md)
against the catalog's samples, its event streams and evgen's own parsers.

    check_jsonschema.py [--evgen build/evgen] [--evdecode build/evdecode]
                        [--catalog catalog.yaml] [--samples tests/samples]
                        [--streams tests/streams]

What it checks, each counted in the summary (nothing is skipped silently):

* the files: one schema per event version and per wire and form, no other
  file; each a valid draft 2020-12 schema (its meta-schema), pretty-printed
  exactly as json.dumps(indent=2) would write it; `evgen --check` finds them
  up to date (the output is deterministic);
* every sample tests/samples/<event>-<version>.json: valid against its
  payload schema; a sample whose event's first wire is `maestro` is a whole
  Maestro envelope (as tests/test_util.h tu_load_samples reads them): the
  envelope is valid against the maestro wire schema and its payload (at the
  wire's payload member) against the payload schema;
* every line of tests/streams/valid.jsonl: valid against at least one wire
  schema;
* mutations: each sample payload (with its version stated, so that evgen
  parses the version the schema describes) changed in one place (a required
  property deleted, a string property made a number, an enum property given
  a value outside the enum, a constant changed), at every level of objects
  the schema describes, must be rejected by the payload schema AND by
  `evdecode --event EVENT` (exit status 1, an `error:` line); a Maestro
  sample's mutated payload, put back into its envelope, by the wire schema
  and `evdecode`; each valid.jsonl document with its envelope broken (the
  event name unknown, a constant changed, the payload removed) by every wire
  schema and by `evdecode`;
* agreement on tests/streams/all-versions.jsonl (every version plus edge
  cases): a document evdecode rejects is rejected by every wire schema, one
  it accepts is valid against some wire schema, except where
  docs/jsonschema.md says the schemas cannot follow evgen (a version known
  only by major, taken by version fallback; a duplicate key), which must
  then show exactly that difference;
* features and limits: a small catalog of its own (MINI_CATALOG), with what
  catalog.yaml does not use, generated both as C (built with
  examples/evdecode.c) and as schemas; each case document must get the
  verdict written next to it from both, and each documented limit must show
  its difference.

Exit status 0 when everything passed, 1 otherwise.
"""

import argparse
import copy
import json
import os
import subprocess
import sys
import tempfile

try:
    import jsonschema
except ImportError:
    sys.stderr.write(
        "check_jsonschema: the Python package 'jsonschema' is missing; install it with\n"
        "    apt-get install python3-jsonschema     (Debian; for /usr/bin/python3)\n"
        "or  python3 -m pip install jsonschema\n")
    sys.exit(1)

SCHEMA_DRAFT = "https://json-schema.org/draft/2020-12/schema"
# Samples of events whose first wire is one of these are whole envelopes
# (tests/test_util.h, tu_load_samples: the Maestro samples); the others are
# bare payloads.
ENVELOPE_SAMPLE_WIRES = {"maestro"}
# evdecode judges lifecycle on this date: before every version's active
# date, so no version is sunset (an error line that says nothing of
# validity); a version not yet active is only a warning.
LIFECYCLE_DATE = "0001-01-01"


class Failures:
    def __init__(self):
        self.passed = 0
        self.failed = 0
        self.counts = {}

    def check(self, ok, group, what):
        self.counts.setdefault(group, [0, 0])
        if ok:
            self.passed += 1
            self.counts[group][0] += 1
        else:
            self.failed += 1
            self.counts[group][1] += 1
            print(f"FAIL [{group}] {what}")
        return ok


def no_duplicates(pairs):
    d = {}
    for k, v in pairs:
        if k in d:
            raise ValueError(f"duplicate key {k!r}")
        d[k] = v
    return d


def load_json_text(text):
    return json.loads(text, object_pairs_hook=no_duplicates)


def validator_for(schema):
    """A validator of one self-contained schema (its refs are #/$defs/...):
    the same call works with jsonschema 4.10 (RefResolver) and 4.18+
    (referencing)."""
    return jsonschema.Draft202012Validator(schema)


def first_error(validator, instance):
    err = jsonschema.exceptions.best_match(validator.iter_errors(instance))
    if err is None:
        return None
    path = "/" + "/".join(str(p) for p in err.absolute_path)
    return f"{path}: {err.message[:200]}"


def run(cmd, stdin_text=None):
    return subprocess.run(cmd, input=stdin_text, capture_output=True, text=True)


def evdecode(args, tool, lines):
    """evdecode over the documents given, one per line: (status, stdout lines, stderr)."""
    r = subprocess.run([tool] + args, input="".join(l + "\n" for l in lines).encode(),
                       capture_output=True)
    return r.returncode, r.stdout.decode("utf-8", "replace").splitlines(), r.stderr.decode(
        "utf-8", "replace")


def envelope_paths(members, prefix=()):
    """role -> [(key path, member)] of an envelope as --dump writes it."""
    out = {}
    for m in members:
        path = prefix + (m["key"],)
        out.setdefault(m["role"], []).append((path, m))
        if m["role"] == "object":
            for role, items in envelope_paths(m["members"], path).items():
                out.setdefault(role, []).extend(items)
    return out


def get_path(doc, path):
    for k in path:
        if not isinstance(doc, dict) or k not in doc:
            return None
        doc = doc[k]
    return doc


def set_path(doc, path, value):
    for k in path[:-1]:
        doc = doc[k]
    doc[path[-1]] = value


def del_path(doc, path):
    for k in path[:-1]:
        doc = doc[k]
    del doc[path[-1]]


def pointer(path):
    return "/" + "/".join(str(p).replace("~", "~0").replace("/", "~1") for p in path)


# MARK: the schema's view of an instance, for mutations

def resolve(root, schema):
    """Follows $ref (#/$defs/...) and drops the null alternative of a nullable."""
    for _ in range(100):
        if not isinstance(schema, dict):
            return {}
        if "$ref" in schema:
            ref = schema["$ref"]
            assert ref.startswith("#/"), ref
            node = root
            for part in ref[2:].split("/"):
                node = node[part.replace("~1", "/").replace("~0", "~")]
            schema = node
            continue
        alts = schema.get("anyOf")
        if alts and len(alts) == 2 and {"type": "null"} in alts:
            schema = alts[0] if alts[1] == {"type": "null"} else alts[1]
            continue
        return schema
    raise RuntimeError("$ref loop")


def is_string_schema(s):
    t = s.get("type")
    return t == "string" or (isinstance(t, list) and "string" in t)


def mutations(root, schema, inst, path=()):
    """(what, path, mutate(doc)) for every mutation the brief names, at
    every object level of inst the schema describes."""
    s = resolve(root, schema)
    out = []
    if isinstance(inst, dict) and ("properties" in s or "additionalProperties" in s):
        props = s.get("properties", {})
        for name in s.get("required", []):
            if name in inst:
                out.append((f"delete required '{name}'", path + (name,), ("delete",)))
        for name, value in inst.items():
            if name in props:
                ps = resolve(root, props[name])
            elif isinstance(s.get("additionalProperties"), dict):
                ps = resolve(root, s["additionalProperties"])
            else:
                continue   # an unknown key: nothing to break
            p = path + (name,)
            if "const" in ps:
                out.append((f"change const '{name}'", p, ("set", "not-" + str(ps["const"]))))
            elif "enum" in ps:
                bad = "not-in-enum"
                while bad in ps["enum"]:
                    bad += "-x"
                out.append((f"'{name}' outside its enum", p, ("set", bad)))
            elif is_string_schema(ps) and isinstance(value, str):
                out.append((f"string '{name}' made a number", p, ("set", 12345)))
            out.extend(mutations(root, ps, value, p))
    elif isinstance(inst, list) and "items" in s:
        for i, item in enumerate(inst):
            out.extend(mutations(root, s["items"], item, path + (i,)))
    return out


def apply(doc, path, op):
    doc = copy.deepcopy(doc)
    if op[0] == "delete":
        del_path(doc, path)
    else:
        set_path(doc, path, op[1])
    return doc



# MARK: a small catalog with what catalog.yaml does not use

# Integers, nullable constants/enums/objects, arrays with bounds, maps of
# objects, inline objects that extend a shape, a version member in the
# envelope (nested), a send event, a form with reports, a wire named by its
# payload with several versions, a wire without a name, a wire no event
# uses, and strings that need escaping. Compiled with examples/evdecode.c,
# it gives an evgen parser to compare with.
MINI_CATALOG = r"""
format: 1
products: [demo]
wires:
  bus:
    doc: "a bus with \"quotes\", a backslash \\ and a tab\there"
    envelope:
      spec: {role: format-version, const: demo/1}
      kind: {const: event, required: false}
      head:
        members:
          event: name
          version: version
      body: payload
    forms:
      rejected:
        envelope:
          kind: {const: rejected}
        select: reason
        payloads:
          TOO_BIG: too-big
          BAD: bad-report
  reply:
    envelope:
      type: {const: reply}
      message: payload
    payload_name: request
    payload_version: v
  lone:
    envelope:
      type: {const: lone}
      body: payload
  unused:
    envelope:
      type: {const: unused}
      who: name
      body: payload
shapes:
  point:
    doc: a point
    properties:
      x: integer
      y: {type: integer, nullable: true}
  tagged:
    extends: [point]
    properties:
      tag: {type: enum, values: [a, "b\"q", "c\\d", "\u00e91"], nullable: true}
  too-big:
    properties:
      reason: {type: const, value: TOO_BIG}
      limit: integer
  bad-report:
    properties:
      reason: {type: const, value: BAD}
      detail: any
events:
  - name: moved
    product: demo
    direction: received
    wires: [bus]
    summary: "Something moved (a \"summary\")."
    versions:
      - version: 1.0.0
        status: deprecated
        active: 2025-01-01
        deprecated: 2025-06-01
        properties:
          at: point
          note: string?
      - version: 1.1.0
        status: active
        active: 2025-06-01
        properties:
          at: tagged
          path: {type: array, items: point, min_items: 1, max_items: 3}
          labels: {type: map, values: {type: object, properties: {n: number}}, required: false}
          mark: {type: const, value: m, nullable: true, required: false}
          extra: {type: object, extends: [point], properties: {z: boolean}, required: false, nullable: true}
          raw: {type: any, required: false}
  - name: ping
    direction: send
    wires: [bus]
    versions:
      - version: 1.0.0
        status: active
        active: 2025-01-01
        properties:
          seq: integer
  - name: status
    direction: received
    wires: [reply]
    versions:
      - version: 1.0.0
        status: active
        active: 2025-01-01
        properties:
          request: {type: const, value: status}
          v: {type: const, value: 1.0.0, required: false}
          up: boolean
      - version: 2.0.0
        status: active
        active: 2025-02-01
        properties:
          request: {type: const, value: status}
          v: {type: const, value: 2.0.0, required: false}
          up: boolean
          load: number
  - name: solo
    direction: received
    wires: [lone]
    versions:
      - version: 1.0.0
        status: active
        active: 2025-01-01
        properties:
          n: {type: array, items: integer}
"""


DELETE = object()   # in mini_cases: remove the member


def mini_cases():
    """(label, document text, evdecode options, evgen accepts, a wire schema accepts)."""
    def bus(head, body, **extra):
        d = {"spec": "demo/1"}
        d.update(extra)
        d["head"] = head
        d["body"] = body
        return d

    v10 = {"event": "moved", "version": "1.0.0"}
    v11 = {"event": "moved", "version": "1.1.0"}
    good11 = {"at": {"x": 1, "y": 2, "tag": "b\"q"}, "path": [{"x": 1, "y": 1}],
              "labels": {"k": {"n": 1.5}}, "mark": None, "extra": {"x": 3, "y": None, "z": True},
              "raw": [1, {"a": None}]}

    def with11(**kw):
        b = copy.deepcopy(good11)
        for k, v in kw.items():
            if v is DELETE:
                del b[k]
            else:
                b[k] = v
        return bus(v11, b)

    def at(**kw):
        a = {"x": 1, "y": 2, "tag": "a"}
        for k, v in kw.items():
            if v is DELETE:
                del a[k]
            else:
                a[k] = v
        return with11(at=a)

    rep = {"spec": "demo/1", "kind": "rejected", "head": {"event": "moved"}}
    cases = [
        ("moved 1.0.0", bus(v10, {"at": {"x": 1, "y": None}}), True, True),
        ("moved 1.0.0, optional constant present", bus(v10, {"at": {"x": 1, "y": None}}, kind="event"), True, True),
        ("optional constant wrong", bus(v10, {"at": {"x": 1, "y": None}}, kind="other"), False, False),
        ("format version wrong", dict(bus(v10, {"at": {"x": 1, "y": None}}), spec="demo/2"), False, False),
        ("moved 1.1.0, every kind of property", with11(), True, True),
        ("enum value with an escaped quote", at(tag="b\"q"), True, True),
        ("enum value with a backslash", at(tag="c\\d"), True, True),
        ("enum value, non-ASCII", at(tag="\u00e91"), True, True),
        ("nullable enum null", at(tag=None), True, True),
        ("enum value outside", at(tag="z"), False, False),
        ("required nullable enum absent", at(tag=DELETE), False, False),
        ("integer at int64 max", at(x=9223372036854775807), True, True),
        ("integer at int64 min", at(x=-9223372036854775808), True, True),
        ("integer above int64", at(x=9223372036854775808), False, False),
        ("integer below int64", at(x=-9223372036854775809), False, False),
        ("integer with a fraction", at(x=1.5), False, False),
        ("integer as a string", at(x="1"), False, False),
        ("nullable integer null", at(y=None), True, True),
        ("array at min_items - 1", with11(path=[]), False, False),
        ("array at max_items", with11(path=[{"x": 1, "y": 1}] * 3), True, True),
        ("array at max_items + 1", with11(path=[{"x": 1, "y": 1}] * 4), False, False),
        ("array item of the wrong shape", with11(path=[{"x": "1", "y": 1}]), False, False),
        ("map value of the wrong type", with11(labels={"k": {"n": "x"}}), False, False),
        ("map value no object", with11(labels={"k": 1}), False, False),
        ("map value missing a required member", with11(labels={"k": {}}), False, False),
        ("empty map", with11(labels={}), True, True),
        ("nullable object null", with11(extra=None), True, True),
        ("inline object missing an inherited member", with11(extra={"x": 1, "z": False}), False, False),
        ("inline object missing its own member", with11(extra={"x": 1, "y": None}), False, False),
        ("nullable constant right", with11(mark="m"), True, True),
        ("nullable constant wrong", with11(mark="n"), False, False),
        ("any: a string", with11(raw="s"), True, True),
        ("any: null", with11(raw=None), True, True),
        ("unknown keys at every level", bus(dict(v10, zz=1), {"at": {"x": 1, "y": None, "zz": [1]}, "zz": {}}, zz=0),
         True, True),
        ("no version: the newest, valid", bus({"event": "moved"}, good11), True, True),
        ("no version: the newest, valid only as the older",
         bus({"event": "moved"}, {"at": {"x": 1, "y": 2}}), False, False),
        ("older version, newer body's extra keys", bus(v10, good11), True, True),
        ("version of an unknown major", bus({"event": "moved", "version": "2.0.0"}, good11), False, False),
        ("version not MAJOR.MINOR.PATCH", bus({"event": "moved", "version": "1.1"}, good11), False, False),
        ("version not a string", bus({"event": "moved", "version": 1}, good11), False, False),
        ("send event without its version", bus({"event": "ping"}, {"seq": 1}), False, False),
        ("send event with its version", bus({"event": "ping", "version": "1.0.0"}, {"seq": 1}), True, True),
        ("unknown event", bus({"event": "nope"}, {}), False, False),
        ("event of another wire", bus({"event": "status"}, {"request": "status", "up": True}), False, False),
        ("name not a string", bus({"event": 5}, {}), False, False),
        ("envelope level missing", {"spec": "demo/1", "body": good11}, False, False),
        ("payload missing", {"spec": "demo/1", "head": v11}, False, False),
        ("payload not an object", bus(v11, [1]), False, False),
        ("report TOO_BIG", dict(rep, body={"reason": "TOO_BIG", "limit": 5}), True, True),
        ("report BAD", dict(rep, body={"reason": "BAD", "detail": {"a": [None]}}), True, True),
        ("report of another event the wire carries", dict(rep, head={"event": "ping"}, body={"reason": "BAD", "detail": 1}), True, True),
        ("report with a version member", dict(rep, head={"event": "moved", "version": "9.9.9"}, body={"reason": "BAD", "detail": 1}), True, True),
        ("report of an unknown type", dict(rep, body={"reason": "OTHER"}), False, False),
        ("report without its select member", dict(rep, body={"limit": 5}), False, False),
        ("report missing a member", dict(rep, body={"reason": "BAD"}), False, False),
        ("report naming an unknown event", dict(rep, head={"event": "nope"}, body={"reason": "BAD", "detail": 1}), False, False),
        ("report naming an event of another wire", dict(rep, head={"event": "status"}, body={"reason": "BAD", "detail": 1}), False, False),
        ("reply 1.0.0", {"type": "reply", "message": {"request": "status", "v": "1.0.0", "up": True}}, True, True),
        ("reply 2.0.0", {"type": "reply", "message": {"request": "status", "v": "2.0.0", "up": True, "load": 1}}, True, True),
        ("reply 2.0.0 missing a member", {"type": "reply", "message": {"request": "status", "v": "2.0.0", "up": True}}, False, False),
        ("reply without version: the newest", {"type": "reply", "message": {"request": "status", "up": True, "load": 0}}, True, True),
        ("reply without version, valid only as the older", {"type": "reply", "message": {"request": "status", "up": True}}, False, False),
        ("reply of an unknown major", {"type": "reply", "message": {"request": "status", "v": "3.0.0", "up": True}}, False, False),
        ("reply naming an unknown event", {"type": "reply", "message": {"request": "nope", "up": True}}, False, False),
        ("reply naming nothing", {"type": "reply", "message": {"up": True, "load": 0}}, False, False),
        ("wire without a name member", {"type": "lone", "body": {"n": [1, 2]}}, True, True),
        ("wire without a name member, bad payload", {"type": "lone", "body": {"n": ["a"]}}, False, False),
        ("wire no event uses", {"type": "unused", "who": "solo", "body": {"n": []}}, False, False),
        ("not an object", [], False, False),
    ]
    out = [(label, json.dumps(doc, ensure_ascii=False), [], ev_ok, schema_ok)
           for label, doc, ev_ok, schema_ok in cases]
    # What docs/jsonschema.md says the schemas do not follow: each must
    # show exactly that difference.
    base = json.dumps(bus(v10, {"at": {"x": 1, "y": None}}))
    out += [
        ("LIMIT version fallback (1.1.7 read as 1.1.0)",
         json.dumps(bus({"event": "moved", "version": "1.1.7"}, good11)), [], True, False),
        ("LIMIT send event, version fallback",
         json.dumps(bus({"event": "ping", "version": "1.0.3"}, {"seq": 1})), [], True, False),
        ("LIMIT integer written 1.0", base.replace('"x": 1', '"x": 1.0'), [], False, True),
        ("LIMIT integer written 1e0", base.replace('"x": 1', '"x": 1e0'), [], False, True),
        ("LIMIT duplicate key", base.replace('"spec": "demo/1"', '"spec": "demo/1", "spec": "demo/1"'),
         [], False, True),
        ("LIMIT strict mode: unknown key in the payload",
         json.dumps(bus(v10, {"at": {"x": 1, "y": None}, "zz": 1})), ["--strict"], False, True),
        ("LIMIT strict mode: unknown key in the envelope",
         json.dumps(bus(v10, {"at": {"x": 1, "y": None}}, zz=1)), ["--strict"], False, True),
        ("LIMIT strict mode: no version",
         json.dumps(bus({"event": "moved"}, good11)), ["--strict"], False, True),
        ("LIMIT nesting deeper than evgen's limit (EVG_MAX_DEPTH)",
         json.dumps(with11(raw=json.loads("[" * 200 + "]" * 200))), [], False, True),
        ("LIMIT more array items than EVG_MAX_ITEMS",
         json.dumps({"type": "lone", "body": {"n": [0] * 65537}}), [], False, True),
        ("LIMIT number beyond a double", json.dumps(with11(labels={"k": {"n": 1}})).replace(
            '"n": 1}', '"n": 1e400}'), [], False, True),
        ("LIMIT lone surrogate escape", json.dumps(with11(raw="a")).replace('"raw": "a"', '"raw": "\\ud800"'),
         [], False, True),
    ]
    return out



def check_mini(F, evgen, cc, tmp):
    """Generates C and JSON Schema for MINI_CATALOG, builds evdecode on it and
    compares both with the cases' expectations."""
    cat = os.path.join(tmp, "mini.yaml")
    with open(cat, "w", encoding="utf-8") as fh:
        fh.write(MINI_CATALOG)
    gen = os.path.join(tmp, "mini-c")
    js = os.path.join(tmp, "mini-js")
    r1 = run([evgen, "-o", gen, cat])
    r2 = run([evgen, "--emit", "jsonschema", "-o", js, cat])
    if not F.check(r1.returncode == 0 and r2.returncode == 0, "features",
                   f"evgen on the small catalog: {r1.stderr}{r2.stderr}"):
        return
    here = os.path.dirname(os.path.abspath(__file__))
    evdecode_c = os.path.join(here, "..", "..", "examples", "evdecode.c")
    tool = os.path.join(tmp, "evdecode-mini")
    sources = sorted(os.path.join(gen, f) for f in os.listdir(gen) if f.endswith(".c"))
    r = run(cc.split() + ["-std=c11", "-O1", "-D_POSIX_C_SOURCE=200809L", "-I", gen, evdecode_c]
            + sources + ["-o", tool])
    if not F.check(r.returncode == 0, "features", f"building evdecode for the small catalog:\n{r.stderr}"):
        return
    validators = {}
    for f in sorted(os.listdir(os.path.join(js, "wires"))):
        with open(os.path.join(js, "wires", f), encoding="utf-8") as fh:
            s = load_json_text(fh.read())
        jsonschema.Draft202012Validator.check_schema(s)
        validators[f] = validator_for(s)
    for label, text, opts, ev_ok, schema_ok in mini_cases():
        status, outl, _ = evdecode(opts + ["--date", LIFECYCLE_DATE], tool, [text])
        got_ev = status == 0 and len(outl) == 1 and not outl[0].startswith("error:")
        doc = json.loads(text)   # a duplicate key: the last one wins
        accepted = [n for n, v in validators.items() if v.is_valid(doc)]
        group = "limits" if label.startswith("LIMIT") else "features"
        F.check(got_ev == ev_ok, group,
                f"{label}: evgen {'accepts' if got_ev else 'rejects'} it ({outl[:1]}), expected the opposite")
        detail = accepted or "; ".join(f"{n}: {first_error(v, doc)}" for n, v in validators.items())
        F.check(bool(accepted) == schema_ok, group,
                f"{label}: the wire schemas {'accept' if accepted else 'reject'} it ({detail}), "
                f"expected the opposite")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--evgen", default="build/evgen")
    ap.add_argument("--evdecode", default="build/evdecode")
    ap.add_argument("--catalog", default="catalog.yaml")
    ap.add_argument("--samples", default="tests/samples")
    ap.add_argument("--streams", default="tests/streams")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"),
                    help="C compiler for the small catalog's evdecode (default: $CC or cc)")
    args = ap.parse_args()
    F = Failures()

    for tool in (args.evgen, args.evdecode):
        if not os.access(tool, os.X_OK):
            print(f"check_jsonschema: {tool} is not built (make {tool})")
            return 1

    dump_run = run([args.evgen, "--dump", args.catalog])
    if dump_run.returncode != 0:
        print(f"check_jsonschema: evgen --dump failed:\n{dump_run.stderr}")
        return 1
    model = json.loads(dump_run.stdout)
    events = {e["name"]: e for e in model["events"]}
    wires = {}
    for w in model["wires"]:
        wires[w["name"]] = w
        for f in w["forms"]:   # the dump gives a form's merged envelope
            wires[f["name"]] = f

    with tempfile.TemporaryDirectory(prefix="evgen-jsonschema-") as out:
        gen = run([args.evgen, "--emit", "jsonschema", "-o", out, args.catalog])
        if not F.check(gen.returncode == 0 and not gen.stderr, "files",
                       f"evgen --emit jsonschema: status {gen.returncode}\n{gen.stderr}"):
            return 1
        again = run([args.evgen, "--emit", "jsonschema", "--check", "-o", out, args.catalog])
        F.check(again.returncode == 0, "files",
                f"evgen --emit jsonschema --check after writing: status {again.returncode}\n"
                f"{again.stderr}")

        # MARK: the files
        expected = set()
        for e in model["events"]:
            for v in e["versions"]:
                expected.add(f"events/{e['name']}/{v['version']}.schema.json")
        for name in wires:
            expected.add("wires/" + name.replace("/", "--") + ".schema.json")
        found = set()
        for d, _, files in os.walk(out):
            for f in files:
                found.add(os.path.relpath(os.path.join(d, f), out))
        F.check(found == expected, "files",
                f"files written: missing {sorted(expected - found)}, unexpected {sorted(found - expected)}")
        schemas = {}
        base = os.path.splitext(os.path.basename(args.catalog))[0]
        for rel in sorted(found & expected):
            with open(os.path.join(out, rel), encoding="utf-8") as fh:
                text = fh.read()
            try:
                s = load_json_text(text)
            except ValueError as ex:
                F.check(False, "files", f"{rel}: not JSON: {ex}")
                continue
            F.check(text == json.dumps(s, indent=2, ensure_ascii=False) + "\n", "files",
                    f"{rel}: not pretty-printed with 2-space indents")
            try:
                jsonschema.Draft202012Validator.check_schema(s)
                meta_ok, why = True, ""
            except jsonschema.exceptions.SchemaError as ex:
                meta_ok, why = False, ex.message
            F.check(meta_ok, "files", f"{rel}: not a valid draft 2020-12 schema: {why}")
            F.check(s.get("$schema") == SCHEMA_DRAFT, "files", f"{rel}: $schema is {s.get('$schema')}")
            if rel.startswith("events/"):
                ev, ver = rel[len("events/"):-len(".schema.json")].split("/")
                want_id = f"urn:evgen:{base}:event:{ev}:{ver}"
            else:
                wname = next(n for n in wires if "wires/" + n.replace("/", "--") + ".schema.json" == rel)
                want_id = f"urn:evgen:{base}:wire:{wname}"
            F.check(s.get("$id") == want_id, "files", f"{rel}: $id {s.get('$id')!r}, expected {want_id!r}")
            schemas[rel] = s

        def payload_schema(ev, ver):
            return schemas.get(f"events/{ev}/{ver}.schema.json")

        wire_validators = {name: validator_for(schemas["wires/" + name.replace("/", "--") + ".schema.json"])
                           for name in wires
                           if "wires/" + name.replace("/", "--") + ".schema.json" in schemas}

        def wires_accepting(doc):
            return [n for n, v in wire_validators.items() if v.is_valid(doc)]

        # MARK: samples
        by_file = {}
        for e in model["events"]:
            for v in e["versions"]:
                by_file[f"{e['name']}-{v['version']}.json"] = (e, v)
        sample_files = sorted(f for f in os.listdir(args.samples)
                              if f.endswith(".json") and os.path.isfile(os.path.join(args.samples, f)))
        F.check(len(sample_files) > 0, "samples", f"no samples in {args.samples}")
        mutation_jobs = []   # (label, event, payload doc, payload schema, envelope info)
        for fname in sample_files:
            if not F.check(fname in by_file, "samples", f"{fname}: names no event version of the catalog"):
                continue
            e, v = by_file[fname]
            with open(os.path.join(args.samples, fname), encoding="utf-8") as fh:
                try:
                    doc = load_json_text(fh.read())
                except ValueError as ex:
                    F.check(False, "samples", f"{fname}: not JSON: {ex}")
                    continue
            schema = payload_schema(e["name"], v["version"])
            if not F.check(schema is not None, "samples", f"{fname}: no payload schema"):
                continue
            pv = validator_for(schema)
            home = e["wires"][0] if e["wires"] else None
            envelope = None
            if home in ENVELOPE_SAMPLE_WIRES:
                wv = wire_validators[home]
                err = first_error(wv, doc)
                F.check(err is None, "samples", f"{fname}: envelope rejected by wire {home}: {err}")
                ppath = envelope_paths(wires[home]["envelope"])["payload"][0][0]
                payload = get_path(doc, ppath)
                envelope = (home, doc, ppath)
            else:
                payload = doc
            err = first_error(pv, payload)
            F.check(err is None, "samples", f"{fname}: payload rejected by its schema: {err}")

            # State the version where the bare payload carries it, so that
            # evgen parses the version the schema describes.
            pvk = wires[home]["payload_version"] if home else None
            props = schema.get("properties", {})
            if pvk and isinstance(payload, dict) and "const" in props.get(pvk, {}):
                payload = dict(payload)
                payload[pvk] = props[pvk]["const"]
            mutation_jobs.append((fname, e, payload, schema, pv, envelope))

        # MARK: mutations of sample payloads
        for fname, e, payload, schema, pv, envelope in mutation_jobs:
            base_line = json.dumps(payload)
            status, outl, err = evdecode(["--event", e["name"], "--date", LIFECYCLE_DATE],
                                         args.evdecode, [base_line])
            ok = status == 0 and len(outl) == 1 and not outl[0].startswith("error:")
            if not F.check(ok and pv.is_valid(payload), "mutations",
                           f"{fname}: the unmutated payload (version stated) is not valid: "
                           f"evdecode status {status} {outl[:1]}, schema {first_error(pv, payload)}"):
                continue
            muts = mutations(schema, schema, payload)
            muts.append(("payload not an object", (), ("whole", [])))
            for what, path, op in muts:
                bad = [] if op[0] == "whole" else apply(payload, path, op)
                label = f"{fname}: {what} at {pointer(path)}"
                F.check(not pv.is_valid(bad), "mutations", f"{label}: the payload schema accepts it")
                status, outl, _ = evdecode(["--event", e["name"], "--date", LIFECYCLE_DATE],
                                           args.evdecode, [json.dumps(bad)])
                F.check(status == 1 and len(outl) == 1 and outl[0].startswith("error:"), "mutations",
                        f"{label}: evdecode --event accepts it (status {status}, {outl[:1]})")
                if envelope:
                    home, doc, ppath = envelope
                    whole = copy.deepcopy(doc)
                    set_path(whole, ppath, bad)
                    F.check(not wire_validators[home].is_valid(whole), "mutations",
                            f"{label}: the {home} wire schema accepts the envelope")
                    status, outl, _ = evdecode(["--date", LIFECYCLE_DATE], args.evdecode, [json.dumps(whole)])
                    F.check(status == 1 and len(outl) == 1 and outl[0].startswith("error:"), "mutations",
                            f"{label}: evdecode accepts the envelope (status {status}, {outl[:1]})")

        # MARK: valid.jsonl
        with open(os.path.join(args.streams, "valid.jsonl"), encoding="utf-8") as fh:
            lines = [l.rstrip("\r\n") for l in fh]
        docs = []
        for n, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                doc = load_json_text(line)
            except ValueError as ex:
                F.check(False, "valid.jsonl", f"line {n}: not JSON: {ex}")
                continue
            accepted = wires_accepting(doc)
            why = "; ".join(f"{w}: {first_error(v, doc)}" for w, v in wire_validators.items())
            F.check(len(accepted) >= 1, "valid.jsonl", f"line {n}: no wire schema accepts it ({why})")
            if accepted:
                docs.append((n, doc, accepted[0]))

        # MARK: broken envelopes
        for n, doc, wname in docs:
            roles = envelope_paths(wires[wname]["envelope"])
            muts = []
            for path, _ in roles.get("name", []):
                muts.append(("unknown event name", path, ("set", "no-such-event")))
            if wires[wname].get("payload_name"):
                ppath = roles["payload"][0][0]
                muts.append(("unknown event name", ppath + (wires[wname]["payload_name"],),
                             ("set", "no-such-event")))
            for path, m in roles.get("const", []) + roles.get("format-version", []):
                if get_path(doc, path) is not None:
                    muts.append((f"constant '{m['key']}' changed", path, ("set", "not-" + m["const"])))
            for path, _ in roles.get("payload", []):
                muts.append(("payload removed", path, ("delete",)))
            for what, path, op in muts:
                bad = apply(doc, path, op)
                label = f"valid.jsonl line {n} ({wname}): {what} at {pointer(path)}"
                F.check(not wires_accepting(bad), "envelopes",
                        f"{label}: accepted by wire schemas {wires_accepting(bad)}")
                status, outl, _ = evdecode(["--date", LIFECYCLE_DATE], args.evdecode, [json.dumps(bad)])
                F.check(status == 1 and len(outl) == 1 and outl[0].startswith("error:"), "envelopes",
                        f"{label}: evdecode accepts it (status {status}, {outl[:1]})")

        # MARK: agreement on all-versions.jsonl
        path = os.path.join(args.streams, "all-versions.jsonl")
        with open(path, "rb") as fh:
            raw_lines = fh.read().split(b"\n")
        if raw_lines and raw_lines[-1] == b"":
            raw_lines.pop()
        r = subprocess.run([args.evdecode, "--date", LIFECYCLE_DATE, path], capture_output=True)
        results = r.stdout.decode("utf-8", "replace").splitlines()
        warnings = r.stderr.decode("utf-8", "replace").splitlines()
        fallback_lines = {int(w.split()[2].rstrip(":")) for w in warnings
                          if w.startswith("warning: line ") and "not known exactly" in w}
        docs_n = [i for i, l in enumerate(raw_lines, 1) if l.strip(b" \t\r")]
        F.check(len(results) == len(docs_n), "agreement",
                f"evdecode printed {len(results)} lines for {len(docs_n)} documents")
        for n, result in zip(docs_n, results):
            line = raw_lines[n - 1]
            evgen_ok = not result.startswith("error:") or result.startswith("error: SUNSET:")
            code = result.split(":")[1].strip() if result.startswith("error:") else None
            try:
                doc = load_json_text(line.decode("utf-8"))
                dup = False
            except UnicodeDecodeError:
                doc, dup = None, False
            except ValueError as ex:
                dup = "duplicate key" in str(ex)
                try:
                    doc = json.loads(line.decode("utf-8"))   # the last value wins
                except ValueError:
                    doc = None
            schema_ok = doc is not None and bool(wires_accepting(doc))
            label = f"all-versions.jsonl line {n}"
            if n in fallback_lines:
                F.check(evgen_ok and not schema_ok, "agreement",
                        f"{label}: a version fallback: evgen should accept ({result[:80]}) and the "
                        f"schemas reject (strict constant); accepted by {wires_accepting(doc) if doc else None}")
            elif dup:
                F.check(not evgen_ok and code == "DUPLICATE", "agreement",
                        f"{label}: a duplicate key: evgen should say DUPLICATE, says {result[:80]}")
            else:
                F.check(evgen_ok == schema_ok, "agreement",
                        f"{label}: evdecode says {result[:100]!r}, wire schemas "
                        f"{'accept' if schema_ok else 'reject'} it"
                        + ("" if schema_ok or doc is None else
                           " (" + "; ".join(f"{w}: {first_error(v, doc)}" for w, v in wire_validators.items()) + ")"))

    with tempfile.TemporaryDirectory(prefix="evgen-jsonschema-mini-") as tmp:
        check_mini(F, args.evgen, args.cc, tmp)

    width = max(len(g) for g in F.counts) if F.counts else 0
    for group, (p, f) in F.counts.items():
        print(f"  {group:<{width}}  {p} passed, {f} failed")
    from importlib.metadata import version as pkg_version
    try:
        jv = pkg_version("jsonschema")
    except Exception:
        jv = "?"
    print(f"  (jsonschema {jv}, {sys.executable})")
    print(f"check-jsonschema: {F.passed} passed, {F.failed} failed")
    return 0 if F.failed == 0 else 1


if __name__ == "__main__":
    sys.exit(main())
