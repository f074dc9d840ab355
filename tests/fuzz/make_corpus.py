#!/usr/bin/env python3
"""Seed corpora for the fuzz targets, written at run time (not committed).

    make_corpus.py any --dump DUMP.json --samples DIR [--regressions DIR] OUT
    make_corpus.py root --dump DUMP.json --samples DIR --roots ROOTS.txt [--regressions DIR] OUT
    make_corpus.py roundtrip --roots ROOTS.txt [--regressions DIR] OUT
    make_corpus.py files [--regressions DIR] OUT FILE...
    make_corpus.py template [--regressions DIR] OUT TEMPLATE...

DUMP.json is `evgen --dump catalog.yaml`; it says which events exist, in the
order of ev_events[] (catalog order), and which wires they travel in.
ROOTS.txt is the list of fz_roots[] (rendered by evgen from
tests/fuzz/templates/): "index event version" per line, version "-" for a
form's payload.

any (fuzz_parse_any), for every tests/samples/<event>-<version>.json, minified:
  any-<file>    the document ev_parse_any sees: Maestro samples are already
                envelopes; Partner SDK payloads are wrapped as
                {"type":"event","schemaVersion":"<v>","message":{"eventName":"<name>","value":<payload>}}
                or, for the send events, as
                {"type":"request","message":{"action":"sendEvent","namespace":"system","value":{"name":"<name>","data":<payload>}}}
  bare-<file>   one byte selecting the event (data[0] % EV_EVENT_COUNT, the
                fuzzer's choice for ev_parse_bare) followed by the bare payload
plus the two Maestro failure envelopes and a few small documents.
root (fuzz_parse_root): the byte selecting the sample's event version in
  fz_roots[] followed by its bare payload (root-bare-<file>) and by its
  envelope (root-wire-<file>), and the failure payloads behind their forms'.
roundtrip (fuzz_roundtrip): for every root, its byte followed by fill bytes:
  all zeros (every optional member absent), a repeating pattern, and 512
  pseudo-random bytes (fixed seed).
files (fuzz_catalog): the files as they are.
template (fuzz_template): each template alone, and the set
  "main\0_p1\0..." of a few hand-made templates covering every tag.
Every mode adds the files of the regressions directory (as regress-<file>)
except known-bug-* ones, which crash until the bug is fixed and would stop
the fuzzer before it starts.
"""
import argparse
import json
import os
import re
import shutil


def minify(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def envelope_of(event, name, version, doc):
    """The payload and the whole document of a sample, in the event's first wire."""
    wire = event["wires"][0] if event["wires"] else None
    payload = doc["data"] if wire == "maestro" else doc
    if wire == "maestro":
        envelope = doc
    elif wire == "partner-sdk-request":
        envelope = {"type": "request", "schemaVersion": "1.0.0",
                    "message": {"action": "sendEvent", "namespace": "system",
                                "value": {"name": name, "data": payload}}}
    elif wire in ("partner-sdk-response", "partner-sdk-error"):
        envelope = {"type": wire[len("partner-sdk-"):], "schemaVersion": "1.0.0", "message": payload}
    elif wire == "maestro-directive":
        envelope = {"eventName": name, "family": "external", "content": payload,
                    "schemaVersion": version}
    else:
        envelope = {"type": "event", "schemaVersion": "1.0.0",
                    "message": {"eventName": name, "value": payload}}
    return payload, envelope


def samples(dump_path, samples_dir):
    """(file, event, name, version, payload, envelope) for every sample."""
    with open(dump_path, encoding="utf-8") as f:
        events = json.load(f)["events"]
    by_name = {e["name"]: e for e in events}
    out = []
    for file in sorted(os.listdir(samples_dir)):
        m = re.fullmatch(r"(.+)-(\d+\.\d+\.\d+)\.json", file)
        if not m or m.group(1) not in by_name:
            continue
        name, version = m.groups()
        with open(os.path.join(samples_dir, file), encoding="utf-8") as f:
            doc = json.load(f)
        payload, envelope = envelope_of(by_name[name], name, version, doc)
        out.append((file, by_name[name], name, version, payload, envelope))
    return events, out


FAILURE_BASE = {"eventName": "dummyEventName", "schemaVersion": "9.0.0",
                "allowedSchemaVersions": ["1.0.0"]}
INVALID_SCHEMA = dict(FAILURE_BASE, error="INVALID_SCHEMA", validSchema=False,
                      errorDescription=[{"received": "x", "code": "invalid_literal",
                                         "expected": {"a": [1, 2.5, None, True]},
                                         "path": ["data", 0], "message": "Invalid literal"}])
UNSUPPORTED = dict(FAILURE_BASE, error="UNSUPPORTED_SCHEMA_VERSION")


def corpus_any(args, put):
    events, found = samples(args.dump, args.samples)
    index = {e["name"]: i for i, e in enumerate(events)}
    for file, _, name, _, payload, envelope in found:
        put("any-" + file, minify(envelope))
        put("bare-" + file, bytes([index[name]]) + minify(payload))
    maestro = "mashell-chat-offered-cc-event-v1"
    put("any-failure-invalid-schema.json",
        minify({"eventType": maestro, "status": "failed", "data": INVALID_SCHEMA}))
    put("any-failure-unsupported-version.json",
        minify({"eventType": maestro, "status": "failed", "data": UNSUPPORTED}))
    for i, text in enumerate([b"", b"{}", b"[]", b'""', b"null", b"0", b"-1.5e-3",
                              b'"\\u00e9\\ud83d\\ude00\\n"', b'{"a":[{"b":null}]}']):
        put("small-%d.json" % i, text)


def read_roots(path):
    roots = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            index, event, version = line.split()
            roots[(event, None if version == "-" else version)] = int(index)
    return roots


def corpus_root(args, put):
    _, found = samples(args.dump, args.samples)
    roots = read_roots(args.roots)
    for file, _, name, version, payload, envelope in found:
        if (name, version) not in roots:
            continue
        byte = bytes([roots[(name, version)] % 256])
        put("root-bare-" + file, byte + minify(payload))
        put("root-wire-" + file, byte + minify(envelope))
    for (event, version), index in roots.items():
        if version is None:   # a form's payload: the failure reports
            report = INVALID_SCHEMA if "invalid" in event else UNSUPPORTED
            put("root-form-%s.json" % event, bytes([index % 256]) + minify(report))


def corpus_roundtrip(args, put):
    roots = read_roots(args.roots)
    state = 0x2545F491
    noise = bytearray()
    for _ in range(512):   # xorshift32: the same bytes on every run
        state ^= (state << 13) & 0xFFFFFFFF
        state ^= state >> 17
        state ^= (state << 5) & 0xFFFFFFFF
        noise.append(state & 0xFF)
    for (event, version), index in sorted(roots.items(), key=lambda r: r[1]):
        byte = bytes([index % 256])
        put("fill-%03d-zeros" % index, byte + bytes(64))
        put("fill-%03d-pattern" % index, byte + bytes([5, 1, 4, 1, 2, 6]) * 40)
        put("fill-%03d-noise" % index, byte + bytes(noise))


def corpus_files(args, put):
    for path in args.files:
        with open(path, "rb") as f:
            put("file-" + path.replace("/", "_"), f.read())


# Template sets covering every tag against fuzz_gen_check.h's context.
TEMPLATE_SETS = [
    [b"{{name}} {{prefix}} {{PREFIX}} {{count}} {{negative}} {{yes}} {{no}} {{.}}\n"],
    [b"{{#types}}\n{{type}} {{@index}}{{#@first}} first{{/@first}}{{^@last}},{{/@last}}\n"
     b"{{#fields}}\n    {{c_name}} of {{type}}{{#optional}}?{{/optional}}\n{{/fields}}\n{{/types}}\n"],
    [b"{{! a comment\n over lines }}\n{{#nested}}{{inner.leaf}} {{name}}{{/nested}}\n"
     b"{{#nested.inner}}{{leaf}}{{/nested.inner}}{{^none}}no items{{/none}}{{^empty}}empty{{/empty}}\n"],
    [b"f(\n{{~#strings~}}\n    {{.}}{{^@last}}, {{/@last}}\n{{~/strings~}}\n);\n"],
    [b"int f(void)\n{\n    {{>_p1}}\n}\n", b"if (x) {\n    {{doc}}\n    {{>_p2}}\n}\n",
     b"{{#one}}{{.}}{{/one}}\n"],
    [b"{{#yes}}{{>_p1}}{{/yes}}", b"{{>_p1}}"],
    [b"{{#types}}{{>_p1}}{{/types}}", b"{{#kids}}{{>_p1}}{{/kids}}{{name}}\n"],
    [b"{{missing}}", b"{{#types}}"],
    [b"{{#a}}{{/b}}", b"{{>nothing}}", b"{{{x}}}{{", b"{{#empty_map}}in{{/empty_map}}\r\n"],
]


def corpus_template(args, put):
    for path in args.files:
        with open(path, "rb") as f:
            put("tmpl-" + os.path.basename(path), f.read())
    for i, templates in enumerate(TEMPLATE_SETS):
        put("set-%d" % i, b"\0".join(templates))


def main():
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("mode", choices=["any", "root", "roundtrip", "files", "template"])
    parser.add_argument("--dump")
    parser.add_argument("--samples")
    parser.add_argument("--roots")
    parser.add_argument("--regressions")
    parser.add_argument("out")
    parser.add_argument("files", nargs="*")
    args = parser.parse_args()
    if os.path.isdir(args.out):
        shutil.rmtree(args.out)
    os.makedirs(args.out)
    count = 0

    def put(name, data):
        nonlocal count
        with open(os.path.join(args.out, name), "wb") as f:
            f.write(data)
        count += 1

    {"any": corpus_any, "root": corpus_root, "roundtrip": corpus_roundtrip,
     "files": corpus_files, "template": corpus_template}[args.mode](args, put)
    if args.regressions and os.path.isdir(args.regressions):
        for file in sorted(os.listdir(args.regressions)):
            if file.startswith("known-bug-"):
                continue
            with open(os.path.join(args.regressions, file), "rb") as f:
                put("regress-" + file, f.read())
    print("%s: %d seeds" % (args.out, count))


if __name__ == "__main__":
    main()
