#!/usr/bin/env python3
"""Builds the evdecode test streams in tests/streams/ from tests/samples/.

    tests/tools/make_stream.py            write all-versions.jsonl and valid.jsonl
    tests/tools/make_stream.py --expected also write all-versions.expected and
                                          all-versions.expected-stderr
    tests/tools/make_stream.py --check    exit 1 if any written file would change

Run from the repository root after `make` (it reads the resolved catalog from
`build/evgen --dump catalog.yaml`: property order, wire, direction, dates).

valid.jsonl holds every event version of the catalog once in every wire its
event travels in (one sample each), minified on one line:
  - maestro: the sample is already an {eventType, status, data} envelope;
  - partner-sdk-event: {"type":"event","schemaVersion":"1.0.0",
    "message":{"eventName":N,"value":SAMPLE}} (the top-level schemaVersion is
    the message-format version; the event's is the payload's own);
  - partner-sdk-request: {"type":"request","schemaVersion":"1.0.0","message":
    {"action":"sendEvent","namespace":"system","value":{"name":N,"data":SAMPLE}}};
  - partner-sdk-response / -error: {"type":"response"|"error",
    "schemaVersion":"1.0.0","message":SAMPLE};
  - maestro-directive: {"eventName":N,"family":"external","content":SAMPLE,
    "schemaVersion":V}.
The order is shuffled, but fixed: sorted by sha256 of "evdecode/" + file name.
all-versions.jsonl is the same lines with the edge cases of EXTRAS interleaved.

The expected files are what evdecode must print with --date 2026-11-21,
computed here from the spec (docs/dispatch.md), not from evdecode:
canonical documents are compact, keys in catalog order, unknown keys dropped,
optional members only when present, the envelope of the version parsed as.
The model covers what the samples use (strings, integers, booleans, plain
`any` values); it refuses input outside that, rather than guess.
"""
import hashlib
import json
import os
import subprocess
import sys

SAMPLES = "tests/samples"
OUT = "tests/streams"
DATE = 20261121   # the --date the expected files are for

# ------------------------------------------------------------------ text helpers


def minify(text):
    """Drops insignificant whitespace, leaving every token as written."""
    out, in_string, i = [], False, 0
    while i < len(text):
        c = text[i]
        if in_string:
            out.append(c)
            if c == "\\":
                out.append(text[i + 1])
                i += 1
            elif c == '"':
                in_string = False
        elif c == '"':
            in_string = True
            out.append(c)
        elif c not in " \t\r\n":
            out.append(c)
        i += 1
    return "".join(out)


def jstr(s):
    """A JSON string as evg_put_string writes it: only '"', '\\' and
    controls escaped (\\b \\f \\n \\r \\t, else \\u00XX); UTF-8 kept."""
    out = ['"']
    for ch in s:
        o = ord(ch)
        if ch == '"':
            out.append('\\"')
        elif ch == "\\":
            out.append("\\\\")
        elif o < 0x20:
            out.append({8: "\\b", 12: "\\f", 10: "\\n", 13: "\\r", 9: "\\t"}.get(o, "\\u%04x" % o))
        else:
            out.append(ch)
    out.append('"')
    return "".join(out)


def date_text(d):
    return "%04d-%02d-%02d" % (d // 10000, d // 100 % 100, d % 100)


def ymd(s):
    return int(s.replace("-", "")) if s else 0

# ------------------------------------------------------------------ the catalog


def load_catalog():
    out = subprocess.run(["build/evgen", "--dump", "catalog.yaml"], check=True,
                         stdout=subprocess.PIPE).stdout
    events = json.loads(out)["events"]
    by_name = {e["name"]: e for e in events}
    return events, by_name


def status_on(v, date):
    """evg_status_on: boundaries belong to the new state."""
    if v["sunset"] and date >= ymd(v["sunset"]):
        return "sunset"
    if v["deprecated"] and date >= ymd(v["deprecated"]):
        return "deprecated"
    if date < ymd(v["active"]):
        return "pending"
    return "active"

# ------------------------------------------------------------------ canonical form


def canon_value(value, prop):
    t = prop["type"]
    if value is None:
        if not prop["nullable"]:
            raise ValueError("null for non-nullable %s" % prop["name"])
        return "null"
    if t == "object":
        return canon_object(value, prop["properties"])
    if t == "array":
        return "[" + ",".join(canon_value(x, prop["items"]) for x in value) + "]"
    if t == "map":
        if not isinstance(value, dict):
            raise ValueError("not an object: %r" % (value,))
        return "{" + ",".join(jstr(k) + ":" + canon_value(v, prop["items"]) for k, v in value.items()) + "}"
    if t in ("string", "enum", "const"):
        if not isinstance(value, str):
            raise ValueError("not a string: %r" % (value,))
        if t == "enum" and value not in prop["values"]:
            raise ValueError("not in enum: %r" % value)
        if t == "const" and value != prop["values"][0]:
            raise ValueError("const mismatch: %r" % value)
        return jstr(value)
    if t == "boolean":
        if not isinstance(value, bool):
            raise ValueError("not a boolean: %r" % (value,))
        return "true" if value else "false"
    if t in ("number", "integer"):
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("the model handles integral numbers only: %r" % (value,))
        return str(value)
    if t == "any":
        return canon_any(value)
    raise ValueError("type %s not modelled" % t)


def canon_any(value):
    if isinstance(value, (float,)):
        raise ValueError("the model handles integral numbers only")
    if isinstance(value, dict):
        return "{" + ",".join(jstr(k) + ":" + canon_any(v) for k, v in value.items()) + "}"
    if isinstance(value, list):
        return "[" + ",".join(canon_any(v) for v in value) + "]"
    return json.dumps(value, ensure_ascii=False)


def canon_object(obj, props):
    if not isinstance(obj, dict):
        raise ValueError("not an object")
    for p in props:
        if p["required"] and p["name"] not in obj:
            raise ValueError("required %s missing" % p["name"])
    parts = [jstr(p["name"]) + ":" + canon_value(obj[p["name"]], p)
             for p in props if p["name"] in obj]
    return "{" + ",".join(parts) + "}"


FORMAT = "1.0.0"   # the Partner SDK's message-format version


def envelope(wire, name, version, body):
    """The document `wire` makes of a payload (catalog.yaml, wires), keys in
    catalog order as the canonical form writes them."""
    name = jstr(name)
    if wire == "maestro":
        return '{"eventType":%s,"status":"success","data":%s}' % (name, body)
    if wire == "partner-sdk-event":
        return ('{"type":"event","schemaVersion":%s,"message":{"eventName":%s,"value":%s}}'
                % (jstr(FORMAT), name, body))
    if wire == "partner-sdk-request":
        return ('{"type":"request","schemaVersion":%s,"message":{"action":"sendEvent",'
                '"namespace":"system","value":{"name":%s,"data":%s}}}' % (jstr(FORMAT), name, body))
    if wire in ("partner-sdk-response", "partner-sdk-error"):
        return '{"type":%s,"schemaVersion":%s,"message":%s}' % (
            jstr(wire[len("partner-sdk-"):]), jstr(FORMAT), body)
    if wire == "maestro-directive":
        return '{"eventName":%s,"family":"external","content":%s,"schemaVersion":%s}' % (
            name, body, jstr(version))
    raise ValueError("wire %s not modelled" % wire)


def canon_document(event, version, payload, wire):
    return envelope(wire, event["name"], version["version"], canon_object(payload, version["properties"]))

# ------------------------------------------------------------------ the stream


def sdk_event(name, payload_text, fmt=FORMAT):
    head = '{"type":"event",'
    if fmt is not None:
        head += '"schemaVersion":%s,' % jstr(fmt)
    return head + '"message":{"eventName":%s,"value":%s}}' % (jstr(name), payload_text)


def with_version(payload_text, version):
    """The payload with its own schemaVersion stated first."""
    return '{"schemaVersion":%s,%s' % (jstr(version), payload_text[1:])


def wrap(wire, event, version, sample_text):
    if wire == "maestro":
        return sample_text   # the sample is the whole envelope
    return envelope(wire, event["name"], version["version"], sample_text)


class Doc:
    """One line of the stream and what evdecode must make of it."""

    def __init__(self, text, stdout=None, stderr=(), event=None, version=None, payload=None,
                 wire=None):
        self.text = text            # str, or bytes for garbage
        self.stdout = stdout        # the expected line, or None: computed
        self.stderr = list(stderr)  # expected warnings, "{line}" filled in
        self.event, self.version, self.payload, self.wire = event, version, payload, wire


def sample_docs(events):
    docs = []
    for e in events:
        for v in e["versions"]:
            fname = "%s-%s.json" % (e["name"], v["version"])
            with open(os.path.join(SAMPLES, fname), encoding="utf-8") as f:
                raw = f.read()
            sample = json.loads(raw)
            home_is_maestro = e["wires"][0] == "maestro"
            payload = sample["data"] if home_is_maestro else sample
            payload_text = minify(raw)
            if home_is_maestro:
                payload_text = json.dumps(payload, separators=(",", ":"), ensure_ascii=False)
            # Without its own schemaVersion a payload is read as the newest
            # version, which evdecode notes when there was a choice.
            parsed, warn = v, []
            if "schemaVersion" not in payload and len(e["versions"]) > 1:
                parsed = e["versions"][-1]
                warn = ["warning: line {line}: %s: no schemaVersion; parsed as the newest, %s"
                        % (e["name"], parsed["version"])]
            for wire in e["wires"]:
                text = minify(raw) if wire == "maestro" else wrap(wire, e, v, payload_text)
                key = hashlib.sha256(("evdecode/%s/%s" % (wire, fname)).encode()).hexdigest()
                docs.append((key, Doc(text, event=e, version=parsed, payload=payload, wire=wire,
                                      stderr=warn)))
    docs.sort(key=lambda kv: kv[0])
    return [d for _, d in docs]


def first(text, needle):
    i = text.find(needle)
    assert i >= 0, needle
    return i


def extras(by_name):
    """The edge cases, each with what the spec says evdecode prints."""
    wrap_up = by_name["aw-interaction-wrap-up-codes-v1"]
    focus1 = by_name["aw-interaction-focus-v1"]
    focus2 = by_name["aw-interaction-focus-v2"]
    focus3 = by_name["aw-interaction-focus-v3"]
    with open(os.path.join(SAMPLES, "aw-interaction-wrap-up-codes-v1-1.0.0.json")) as f:
        wrap_raw = f.read()
    wrap_text = minify(wrap_raw)
    wrap_payload = json.loads(wrap_raw)
    focus_payload = {"interactionId": "int-42",
                     "queue": {"id": "7", "queueId": "t~~queue~~phone~~7", "queueName": "Sales"}}
    focus_text = json.dumps(focus_payload, separators=(",", ":"))
    out = []
    ev = "partner-sdk-event"

    # An event name the catalog does not have.
    t = sdk_event("aw-interaction-teleport-v1", '{"interactionId":"x"}')
    out.append(Doc(t, "error: UNKNOWN_EVENT: /message/eventName: no event of that name in the catalog "
                      "(offset %d)" % first(t, '"aw-interaction-teleport-v1"')))

    # A major version the event does not have (the payload's own version).
    t = sdk_event(wrap_up["name"], with_version(wrap_text, "2.0.0"))
    out.append(Doc(t, "error: UNKNOWN_VERSION: /message/value/schemaVersion: no version of this event "
                      "has that major version (offset %d)" % first(t, '"2.0.0"')))

    # Not MAJOR.MINOR.PATCH.
    t = sdk_event(wrap_up["name"], with_version(wrap_text, "1.0"))
    out.append(Doc(t, "error: BAD_VERSION: /message/value/schemaVersion: a version must be "
                      "MAJOR.MINOR.PATCH (offset %d)" % first(t, '"1.0"')))

    # Unknown patch of a known major: the newest 1.x.y, with a warning; the
    # payload's version constant is written as the version parsed.
    t = sdk_event(wrap_up["name"], with_version(wrap_text, "1.0.9"))
    out.append(Doc(t, event=wrap_up, version=wrap_up["versions"][-1],
                   payload=dict(wrap_payload, schemaVersion="1.0.1"), wire=ev,
                   stderr=["warning: line {line}: aw-interaction-wrap-up-codes-v1: schemaVersion not "
                           "known exactly; parsed as 1.0.1"]))

    # The message's own schemaVersion is the format's: it never selects the
    # event version. Wrap-up codes 1.0.0 by its payload, 1.0.1 without.
    t = sdk_event(wrap_up["name"], with_version(wrap_text, "1.0.0"))
    out.append(Doc(t, event=wrap_up, version=wrap_up["versions"][0],
                   payload=dict(wrap_payload, schemaVersion="1.0.0"), wire=ev))

    # No schemaVersion anywhere: the newest version, with a warning (two versions).
    t = sdk_event(wrap_up["name"], wrap_text, fmt=None)
    out.append(Doc(t, event=wrap_up, version=wrap_up["versions"][-1], payload=wrap_payload, wire=ev,
                   stderr=["warning: line {line}: aw-interaction-wrap-up-codes-v1: no schemaVersion; "
                           "parsed as the newest, 1.0.1"]))

    # A format version the SDK never sends.
    t = sdk_event(focus3["name"], with_version(focus_text[:-1] + ',"isManual":true}', "3.0.0"), fmt="3.0.0")
    out.append(Doc(t, 'error: ENVELOPE: /schemaVersion: expected "1.0.0" (offset %d)' % first(t, '"3.0.0"')))

    # focus-v3 as the SDK sends it: 1.0.0 outside, 3.0.0 in the payload.
    focus3_payload = dict(focus_payload, isManual=True, schemaVersion="3.0.0")
    t = sdk_event(focus3["name"], with_version(focus_text[:-1] + ',"isManual":true}', "3.0.0"))
    out.append(Doc(t, event=focus3, version=focus3["versions"][0], payload=focus3_payload, wire=ev))

    # A document cut short inside message.value.queue.
    whole = sdk_event(focus3["name"], focus_text[:-1] + ',"isManual":true}')
    t = whole[:first(whole, '"queueName"') + 5]
    out.append(Doc(t, "error: TRUNCATED: /message/value/queue: unterminated string (offset %d)" % len(t)))

    # Binary garbage: NUL, 0xFF, invalid UTF-8, DEL.
    g = b"\x00\xff\xfe\x80garbage\x7f\x01{"
    out.append(Doc(g, "error: ENVELOPE: (root): expected an object (offset 0)"))

    # An empty object is no envelope of the catalog.
    out.append(Doc("{}", "error: ENVELOPE: (root): not an envelope of this catalog (expected one of: "
                         "maestro, partner-sdk-event, partner-sdk-request, partner-sdk-response, "
                         "partner-sdk-error, maestro-directive) (offset 0)"))

    # Deprecated on the date: printed, with a warning.
    t = sdk_event(focus1["name"], '{"interactionId":"int-41","schemaVersion":"1.0.0"}')
    out.append(Doc(t, event=focus1, version=focus1["versions"][0],
                   payload={"interactionId": "int-41", "schemaVersion": "1.0.0"}, wire=ev,
                   stderr=["warning: line {line}: aw-interaction-focus-v1 1.0.0 is deprecated since "
                           "2025-09-08, sunset on 2026-12-08"]))

    # Sunset on the date: an error line.
    t = sdk_event(focus2["name"], with_version(focus_text, "2.0.0"))
    out.append(Doc(t, "error: SUNSET: (root): aw-interaction-focus-v2 2.0.0 was sunset on 2026-07-19 "
                      "(offset 0)"))

    # The getEvents response, without the format version: it is added.
    get_events = by_name["getEvents"]
    value = {"aw-interaction-hold-v1": ["1.0.0"], "aw-interaction-wrap-up-codes-v1": ["1.0.0", "1.0.1"]}
    body = {"namespace": "system", "request": "getEvents", "value": value}
    t = '{"type":"response","message":%s}' % json.dumps(body, separators=(",", ":"))
    out.append(Doc(t, event=get_events, version=get_events["versions"][0], payload=body,
                   wire="partner-sdk-response"))
    # ... with a version that is not a string.
    t = '{"type":"response","message":{"namespace":"system","request":"getEvents","value":{"x":[1]}}}'
    out.append(Doc(t, "error: TYPE: /message/value/x/0: expected a string (offset %d)" % (first(t, "[1]") + 1)))

    # Click to Dial, and without its phone number.
    ma = by_name["maEvent"]
    content = {"eventName": "startCall", "method": "mapDirective", "phoneNumber": "+1234567890"}
    t = ('{"eventName":"maEvent","family":"external","content":%s,"schemaVersion":"1.0.0"}'
         % json.dumps(content, separators=(",", ":")))
    out.append(Doc(t, event=ma, version=ma["versions"][0], payload=content, wire="maestro-directive"))
    t = ('{"eventName":"maEvent","family":"external","content":{"eventName":"startCall",'
         '"method":"mapDirective"},"schemaVersion":"1.0.0"}')
    out.append(Doc(t, "error: MISSING: /content/phoneNumber: required property missing (offset %d)"
                   % first(t, '},"schemaVersion"')))

    # The failed form of the Maestro envelope: a report, not the event
    # (members in the report shape's catalog order: the base's, then error).
    t = ('{"eventType":"mashell-chat-nextgen-terminated-cc-event-v1","status":"failed","data":'
         '{"eventName":"dummyEventName","error":"UNSUPPORTED_SCHEMA_VERSION","schemaVersion":"2.0.0",'
         '"allowedSchemaVersions":["1.0.0"]}}')
    out.append(Doc(t, '{"eventType":"mashell-chat-nextgen-terminated-cc-event-v1","status":"failed","data":'
                      '{"eventName":"dummyEventName","schemaVersion":"2.0.0","allowedSchemaVersions":["1.0.0"],'
                      '"error":"UNSUPPORTED_SCHEMA_VERSION"}}'))
    t = ('{"eventType":"mashell-chat-nextgen-terminated-cc-event-v1","status":"failed","data":'
         '{"eventName":"x","error":"TIMEOUT","schemaVersion":"1.0.0","allowedSchemaVersions":[]}}')
    out.append(Doc(t, 'error: ENVELOPE: /data/error: expected "INVALID_SCHEMA" or "UNSUPPORTED_SCHEMA_VERSION" '
                      '(offset %d)' % first(t, '"TIMEOUT"')))

    # A mashell event in the Partner SDK event message, as TYPES.md types it.
    with open(os.path.join(SAMPLES, "mashell-email-accepted-cc-event-v1-1.0.0.json")) as f:
        email = json.loads(f.read())["data"]
    mail = by_name["mashell-email-accepted-cc-event-v1"]
    t = sdk_event(mail["name"], json.dumps(email, separators=(",", ":"), ensure_ascii=False))
    out.append(Doc(t, event=mail, version=mail["versions"][0], payload=email, wire=ev))

    # A sent event must carry its version.
    t = ('{"type":"request","message":{"action":"sendEvent","namespace":"system","value":'
         '{"name":"aw-chat-message-received-v1","data":{"interactionId":"i","message":"m"}}}}')
    out.append(Doc(t, "error: VERSION_MISSING: /message/value/data: this event must carry its version "
                      "(offset %d)" % first(t, '{"interactionId"')))

    # A line of whitespace only is not a document (but it is a line).
    out.append(Doc(" \t ", stdout=""))
    return out


def build(events, by_name):
    valid = sample_docs(events)
    extra = extras(by_name)
    # Interleave: one extra after every fifth sample, from the third on.
    stream, k = [], 0
    for i, d in enumerate(valid):
        stream.append(d)
        if i % 5 == 2 and k < len(extra):
            stream.append(extra[k])
            k += 1
    stream.extend(extra[k:])
    return valid, stream


def encode(doc):
    return doc.text if isinstance(doc.text, bytes) else doc.text.encode("utf-8")


def expect(stream):
    out, err = [], []
    for n, d in enumerate(stream, 1):
        if d.stdout == "":
            continue
        warnings = [w.format(line=n) for w in d.stderr]
        line = d.stdout
        if line is None:
            e, v = d.event, d.version
            st = status_on(v, DATE)
            if st == "sunset":
                line = "error: SUNSET: (root): %s %s was sunset on %s (offset 0)" % (
                    e["name"], v["version"], date_text(ymd(v["sunset"])))
            else:
                line = canon_document(e, v, d.payload, d.wire)
                if st == "deprecated" and not warnings:
                    w = "warning: line %d: %s %s is deprecated since %s" % (
                        n, e["name"], v["version"], v["deprecated"])
                    if v["sunset"]:
                        w += ", sunset on " + v["sunset"]
                    warnings.append(w)
                elif st == "pending":
                    warnings.append("warning: line %d: %s %s is not active until %s" % (
                        n, e["name"], v["version"], v["active"]))
        out.append(line)
        err.extend(warnings)
    return "".join(l + "\n" for l in out), "".join(w + "\n" for w in err)


def main(argv):
    check = "--check" in argv
    want_expected = "--expected" in argv or check
    events, by_name = load_catalog()
    valid, stream = build(events, by_name)
    files = {
        os.path.join(OUT, "valid.jsonl"): b"".join(encode(d) + b"\n" for d in valid),
        os.path.join(OUT, "all-versions.jsonl"): b"".join(encode(d) + b"\n" for d in stream),
    }
    if want_expected:
        o, e = expect(stream)
        files[os.path.join(OUT, "all-versions.expected")] = o.encode("utf-8")
        files[os.path.join(OUT, "all-versions.expected-stderr")] = e.encode("utf-8")
    stale = []
    for path, data in files.items():
        try:
            with open(path, "rb") as f:
                same = f.read() == data
        except FileNotFoundError:
            same = False
        if same:
            continue
        stale.append(path)
        if not check:
            os.makedirs(os.path.dirname(path), exist_ok=True)
            with open(path, "wb") as f:
                f.write(data)
    for path in stale:
        print(("stale: " if check else "wrote ") + path)
    return 1 if check and stale else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
