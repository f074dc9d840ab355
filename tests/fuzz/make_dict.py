#!/usr/bin/env python3
"""Writes tests/fuzz/json.dict, the libFuzzer dictionary for fuzz_parse_any.

    build/evgen --dump catalog.yaml > dump.json
    make_dict.py dump.json > tests/fuzz/json.dict

JSON tokens, the envelope keys and values the runtime routes by, and every
key, event name, version and enum/const value of the catalog (as "..."
strings and as bare "key": prefixes).
"""
import json
import sys

JSON_TOKENS = ["{", "}", "[", "]", ",", ":", '"', "true", "false", "null",
               "-", "0", "1", ".", "e", "E", "e+", "e-", "1e308", "-0", "1.5",
               "9007199254740993", "18446744073709551616", "-9223372036854775808",
               "\\\"", "\\\\", "\\/", "\\b", "\\f", "\\n", "\\r", "\\t",
               "\\u0000", "\\u001f", "\\u00e9", "\\ud83d\\ude00", "\\ud800", "\\udc00",
               "\xc3\xa9", "\xf0\x9f\x98\x80", "\xed\xa0\x80", "\xc0\x80", " ", "\n", "\t", "\r"]

ENVELOPE = ["eventType", "status", "success", "failed", "data", "type", "event", "request",
            "schemaVersion", "message", "eventName", "value", "action", "sendEvent",
            "namespace", "system", "name", "error", "INVALID_SCHEMA",
            "UNSUPPORTED_SCHEMA_VERSION", "allowedSchemaVersions", "validSchema",
            "errorDescription", "received", "code", "expected", "path"]


def escape(s):
    """A libFuzzer dictionary value: quote, backslash and non-printables as \\xNN.
    JSON_TOKENS entries are latin-1 strings standing for raw bytes; catalog
    strings are text, written as UTF-8."""
    out = []
    for b in s if isinstance(s, bytes) else s.encode("utf-8"):
        if b == 0x22 or b == 0x5C or b < 0x20 or b >= 0x7F:
            out.append("\\x%02X" % b)
        else:
            out.append(chr(b))
    return '"' + "".join(out) + '"'


def walk(props, keys, values):
    for p in props or []:
        if p.get("name"):
            keys.add(p["name"])
        for v in p.get("values") or []:
            values.add(str(v))
        walk(p.get("properties"), keys, values)
        if p.get("items"):
            walk([p["items"]], keys, values)


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    with open(sys.argv[1], encoding="utf-8") as f:
        events = json.load(f)["events"]
    keys, values = set(ENVELOPE), set()
    for e in events:
        values.add(e["name"])
        for v in e["versions"]:
            values.add(v["version"])
            walk(v["properties"], keys, values)
    lines = ["# libFuzzer dictionary for fuzz_parse_any (tests/fuzz/make_dict.py; do not edit)"]
    lines += ["tok_%d=%s" % (i, escape(t.encode("latin-1"))) for i, t in enumerate(JSON_TOKENS)]
    for k in sorted(keys):
        lines.append(escape('"%s"' % k))
        lines.append(escape('"%s":' % k))
    lines += [escape('"%s"' % v) for v in sorted(values - keys)]
    print("\n".join(lines))


if __name__ == "__main__":
    main()
