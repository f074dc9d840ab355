#!/usr/bin/env python3
"""Seed corpus for fuzz_parse_any, written at run time (not committed).

    make_corpus.py DUMP.json SAMPLES_DIR OUT_DIR [REGRESSIONS_DIR]

DUMP.json is `evgen --dump catalog.yaml`; it says which events exist, in the
order of ev_events[] (catalog order), and which travel as sendEvent requests
(Partner SDK, direction "send").

For every tests/samples/<event>-<version>.json, minified:
  any-<file>    the document ev_parse_any sees: Maestro samples are already
                envelopes; Partner SDK payloads are wrapped as
                {"type":"event","schemaVersion":"<v>","message":{"eventName":"<name>","value":<payload>}}
                or, for the send events, as
                {"type":"request","message":{"action":"sendEvent","namespace":"system","value":{"name":"<name>","data":<payload>}}}
  bare-<file>   one byte selecting the event (data[0] % EV_EVENT_COUNT, the
                fuzzer's choice for ev_parse_bare) followed by the bare payload
plus the two Maestro failure envelopes, a few small documents and the files
of REGRESSIONS_DIR (as regress-<file>) except known-bug-* ones, which crash
until the bug is fixed and would stop the fuzzer before it starts.
"""
import json
import os
import re
import sys


def minify(value):
    return json.dumps(value, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def main():
    if len(sys.argv) not in (4, 5):
        sys.exit(__doc__)
    dump_path, samples_dir, out_dir = sys.argv[1:4]
    regressions_dir = sys.argv[4] if len(sys.argv) == 5 else None
    with open(dump_path, encoding="utf-8") as f:
        events = json.load(f)["events"]
    index = {e["name"]: i for i, e in enumerate(events)}
    by_name = {e["name"]: e for e in events}
    os.makedirs(out_dir, exist_ok=True)

    def put(name, data):
        with open(os.path.join(out_dir, name), "wb") as f:
            f.write(data)

    count = 0
    for file in sorted(os.listdir(samples_dir)):
        m = re.fullmatch(r"(.+)-(\d+\.\d+\.\d+)\.json", file)
        if not m or m.group(1) not in by_name:
            continue
        name, version = m.groups()
        event = by_name[name]
        with open(os.path.join(samples_dir, file), encoding="utf-8") as f:
            doc = json.load(f)
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
        put("any-" + file, minify(envelope))
        put("bare-" + file, bytes([index[name]]) + minify(payload))
        count += 2

    failure_base = {"eventName": "dummyEventName", "schemaVersion": "9.0.0",
                    "allowedSchemaVersions": ["1.0.0"]}
    maestro = "mashell-chat-offered-cc-event-v1"
    put("any-failure-invalid-schema.json", minify({
        "eventType": maestro, "status": "failed",
        "data": dict(failure_base, error="INVALID_SCHEMA", validSchema=False,
                     errorDescription=[{"received": "x", "code": "invalid_literal",
                                        "expected": {"a": [1, 2.5, None, True]},
                                        "path": ["data", 0], "message": "Invalid literal"}])}))
    put("any-failure-unsupported-version.json", minify({
        "eventType": maestro, "status": "failed",
        "data": dict(failure_base, error="UNSUPPORTED_SCHEMA_VERSION")}))
    for i, text in enumerate([b"", b"{}", b"[]", b'""', b"null", b"0", b"-1.5e-3",
                              b'"\\u00e9\\ud83d\\ude00\\n"', b'{"a":[{"b":null}]}']):
        put("small-%d.json" % i, text)
    count += 11
    if regressions_dir and os.path.isdir(regressions_dir):
        for file in sorted(os.listdir(regressions_dir)):
            if file.startswith("known-bug-"):
                continue
            with open(os.path.join(regressions_dir, file), "rb") as f:
                put("regress-" + file, f.read())
            count += 1
    print("%s: %d seeds" % (out_dir, count))


if __name__ == "__main__":
    main()
