#!/usr/bin/env python3
"""Writes the deterministic corpora of the wire benchmark (build/bench/wire_bench).

    bench/make_wire_corpus.py [--out DIR] [--docs N] [--mixed N] [--invalid N]
                              [--seed S] [--evdecode PATH] [--date YYYY-MM-DD]

Run from the repository root after `make` (it needs build/evgen for the
catalog and build/evdecode to check its output). Same arguments, same bytes:
every random choice comes from one random.Random(seed) per file.

  voice-completed.jsonl  N documents (default 100,000) of
      mashell-voice-phone-completed-cc-event-v1 1.0.0 in the Maestro envelope
      {"eventType": NAME, "status": "success", "data": {...}}, with realistic
      values: UUID event ids, +1 phone numbers (sometimes an e-mail address or
      a non-US number) as searchContext, epoch-ms times as strings,
      callDuration HH:MM:SS agreeing with them, a recording URL or "" (or no
      callRecording) with hasRecording, notes of 0-400 characters mixing JSON
      escapes (\\n \\t \\" \\\\ \\/ \\u00e9, a surrogate pair) and raw UTF-8
      (é, 日本, emoji), additionalData sometimes absent (sometimes {}),
      schemaVersion "1.0.0" in about half. About 10% are pretty-printed and
      about 10% have the members of data and of the envelope shuffled (so data
      may come before eventType), independently of each other.
      "Pretty" is the indent-2 layout with every line break written as one
      space: a JSON Lines document cannot contain a newline, and this keeps
      the byte count and the runs of whitespace of the indented form.
  mixed.jsonl  N documents (default 20,000) of every event version of the
      catalog, each the upstream sample (tests/samples) in one of the wires
      its event travels in, wrapped by tests/tools/make_stream.py (imported,
      not modified), drawn with weights that make Call Manager and Agent
      Workspace events common and the rare ones (deprecated versions, getEvents,
      SDK errors, the Click to Dial directive) rare.
  invalid.jsonl  N documents (default 1,000) made from documents like those
      of voice-completed.jsonl, each broken in one way, in turn: a required
      member missing, a member of the wrong type, an enum value not allowed, a
      wrong constant, the document truncated, a bad escape, a schema key given
      twice; invalid-labels.txt says which, one line per document.

Every line is then checked with evdecode: voice-completed.jsonl and
mixed.jsonl must have no error line, invalid.jsonl nothing but error lines.
Lifecycle is judged on --date (default 2026-06-01, when every version of the
catalog is published and none is sunset: aw-interaction-focus-v2 is sunset
on 2026-07-19); the parsers themselves do not judge lifecycle.
A file that would not change is not rewritten.
"""
import argparse
import os
import random
import subprocess
import sys

EVENT = "mashell-voice-phone-completed-cc-event-v1"

# ------------------------------------------------------------------ rendering
# A document is a list of [key, value] pairs; a value is the JSON text of a
# scalar (str) or a nested list of pairs (an object).


def q(s):
    """A JSON string for text that needs no escaping (ids, numbers, URLs)."""
    assert all(0x20 <= ord(c) < 0x7f and c not in '"\\' for c in s), s
    return '"' + s + '"'


def compact(obj):
    return "{" + ",".join(q(k) + ":" + (v if isinstance(v, str) else compact(v))
                          for k, v in obj) + "}"


def pretty(obj, depth=1):
    """json.dumps(indent=2) layout, each line break written as one space."""
    if not obj:
        return "{}"
    pad = " " + "  " * depth
    items = [pad + q(k) + ": " + (v if isinstance(v, str) else pretty(v, depth + 1))
             for k, v in obj]
    return "{" + ",".join(items) + " " + "  " * (depth - 1) + "}"


def render(doc):
    text = pretty(doc["body"]) if doc["pretty"] else compact(doc["body"])
    return text.encode("utf-8")

# ------------------------------------------------------------------ values

NOTE_WORDS = ("customer called about the invoice billing refund order account "
              "payment card shipping address update cancel upgrade plan renewal "
              "callback requested tomorrow morning agent escalated supervisor "
              "issue resolved pending ticket follow-up email sent confirmed "
              "balance due date password reset verified identity number "
              "transferred queue sales support technical outage router modem "
              "replacement warranty delivery delayed apologized credit applied").split()

# (JSON text, decoded text): escapes and raw non-ASCII, as partners' notes have.
NOTE_SPECIALS = [
    ("\\n", "\n"), ("\\n", "\n"), ("\\n\\n", "\n\n"), ("\\t", "\t"),
    ('\\"', '"'), ("\\\\", "\\"), ("\\/", "/"),
    ("caf\\u00e9", "caf\u00e9"), ("\\u00e9t\\u00e9", "\u00e9t\u00e9"),
    ("café", "café"), ("José", "José"), ("Müller", "Müller"), ("Straße", "Straße"),
    ("日本", "日本"), ("東京の顧客", "東京の顧客"), ("😀", "😀"), ("👍", "👍"),
    ("\\ud83d\\ude00", "😀"), ("€42.50", "€42.50"), ("#", "#"), ("#A-", "#A-"),
]


def note_text(rng, target):
    """JSON text of a note of about `target` characters (at most 400)."""
    parts, n = [], 0
    while n < target:
        if rng.random() < 0.12:
            text, dec = rng.choice(NOTE_SPECIALS)
            if dec == '"' and rng.random() < 0.7:   # a quoted phrase
                w = rng.choice(NOTE_WORDS)
                text, dec = '\\"' + w + '\\"', '"' + w + '"'
        elif rng.random() < 0.05:
            d = str(rng.randrange(1000, 999999))
            text, dec = d, d
        else:
            w = rng.choice(NOTE_WORDS)
            if not parts or parts[-1][1].endswith("\n"):
                w = w.capitalize()
            text, dec = w, w
        if n + len(dec) + 1 > 400:
            break
        if parts and not parts[-1][1].endswith("\n"):
            parts.append((" ", " "))
            n += 1
        parts.append((text, dec))
        n += len(dec)
        if rng.random() < 0.08 and n + 1 <= 400:
            parts.append((".", "."))
            n += 1
    return '"' + "".join(t for t, _ in parts) + '"'


def uuid(rng):
    h = "%032x" % rng.getrandbits(128)
    return "%s-%s-4%s-%s%s-%s" % (h[0:8], h[8:12], h[13:16], "89ab"[rng.randrange(4)],
                                  h[17:20], h[20:32])


FIRST = "anna ben carla david emma felix grace hugo ines jack kim liam maria noah olga pablo".split()
LAST = "smith garcia mueller tanaka nguyen rossi kowalski dubois silva jensen".split()
DOMAINS = "example.com mail.example.org acme-corp.com contoso.net".split()


def search_context(rng):
    r = rng.random()
    if r < 0.85:
        return "+1%d%02d%07d" % (rng.randrange(2, 10), rng.randrange(100), rng.randrange(10**7))
    if r < 0.95:
        return "%s.%s@%s" % (rng.choice(FIRST), rng.choice(LAST), rng.choice(DOMAINS))
    return "+44%d%09d" % (rng.randrange(1, 10), rng.randrange(10**9))


def voice_completed(rng):
    """One document of the event, as a structure (see render)."""
    start = rng.randrange(1746489600000, 1796083200000)      # 2025-05-06 .. 2026-12
    secs = min(int(rng.expovariate(1 / 260.0)) + 4, 3 * 3600 + 59)
    end = start + secs * 1000 + rng.randrange(1000)
    has_rec = rng.random() < 0.65
    data = [
        ["eventName", q("completed")],
        ["eventId", q(uuid(rng))],
        ["method", q("mapEvent")],
        ["direction", q("inbound" if rng.random() < 0.65 else "outbound")],
        ["media", q("phone")],
        ["searchContext", q(search_context(rng))],
        ["startTime", q(str(start))],
        ["endTime", q(str(end))],
        ["callDuration", q("%02d:%02d:%02d" % (secs // 3600, secs // 60 % 60, secs % 60))],
    ]
    if has_rec and rng.random() < 0.92:
        data.append(["callRecording", q("https://vcc-na%d.8x8.com/recordings/%s/%s.wav" % (
            rng.randrange(1, 30), "tenant%04d" % rng.randrange(10000), uuid(rng)))])
    elif has_rec or rng.random() < 0.75:
        data.append(["callRecording", q("")])
    data.append(["hasRecording", "true" if has_rec else "false"])
    r = rng.random()
    if r < 0.70:                     # notes taken
        target = rng.randrange(1, 401) if rng.random() < 0.62 else rng.randrange(1, 60)
        data.append(["additionalData", [["notes", note_text(rng, target)]]])
    elif r < 0.78:                   # the sample's form: empty notes
        data.append(["additionalData", [["notes", q("")]]])
    elif r < 0.80:
        data.append(["additionalData", []])
    if rng.random() < 0.5:
        data.append(["schemaVersion", q("1.0.0")])
    body = [["eventType", q(EVENT)], ["status", q("success")], ["data", data]]
    shuffled = rng.random() < 0.10
    if shuffled:
        rng.shuffle(data)
        rng.shuffle(body)
    return {"body": body, "pretty": rng.random() < 0.10, "shuffled": shuffled}

# ------------------------------------------------------------------ invalid


def find(obj, key):
    for i, (k, _) in enumerate(obj):
        if k == key:
            return i
    raise KeyError(key)


def data_of(doc):
    return doc["body"][find(doc["body"], "data")][1]


def set_value(obj, key, text):
    obj[find(obj, key)][1] = text


def break_string(text, rng, bad):
    """A JSON string text with `bad` inserted at a random place inside."""
    at = rng.randrange(1, len(text))
    # Never inside an existing escape: move to just after a run of
    # backslash-escaped characters by inserting before a plain character.
    while at < len(text) - 1 and text[at - 1] == "\\":
        at += 1
    return text[:at] + bad + text[at:]


REQUIRED = ["eventName", "eventId", "method", "direction", "media", "searchContext",
            "startTime", "endTime", "callDuration", "hasRecording"]
WRONG_TYPES = [("eventId", "1234567"), ("hasRecording", q("true")), ("hasRecording", "1"),
               ("startTime", "1751445666638"), ("callDuration", "22"),
               ("searchContext", "null"), ("direction", "0"), ("endTime", "[]"),
               ("eventName", "true"), ("callRecording", "false"),
               ("additionalData", q("no notes")), ("additionalData", "[]"),
               ("notes", "42"), ("notes", "null"), ("data", "[]"), ("eventType", "7")]
BAD_ENUMS = ["sideways", "Inbound", "OUTBOUND", "", "in bound", "inbound "]
BAD_CONSTS = [("status", "done"), ("status", "Success"), ("status", "failed!"),
              ("method", "x"), ("method", "mapDirective"), ("eventName", "terminated"),
              ("eventName", "Completed"), ("media", "chat"), ("media", "voicemail"),
              ("schemaVersion", "2.0.0"), ("eventType", "mashell-voice-phone-completed-cc-event-v2")]
BAD_ESCAPES = ["\\x41", "\\u00G9", "\\'", "\\a", "\\U00e9", "\\u12z", "\\0"]


def invalidate(doc, kind, rng):
    """Breaks `doc` (a fresh structure) in the way `kind` says; returns bytes and a label."""
    data = data_of(doc)
    env = doc["body"]
    if kind == "missing":
        key = rng.choice(REQUIRED + ["status", "data", "eventType"])
        obj = env if key in ("status", "data", "eventType") else data
        del obj[find(obj, key)]
        return render(doc), "missing " + key
    if kind == "type":
        while True:
            key, text = rng.choice(WRONG_TYPES)
            if key in ("data", "eventType", "status"):
                obj = env
            elif key == "notes":
                try:
                    obj = data[find(data, "additionalData")][1]
                except KeyError:
                    continue
                if not isinstance(obj, list):
                    continue
                if not any(k == "notes" for k, _ in obj):
                    obj.append(["notes", text])
                    return render(doc), "notes is " + text
            else:
                obj = data
            if any(k == key for k, _ in obj):
                set_value(obj, key, text)
                return render(doc), key + " is " + text
    if kind == "enum":
        bad = rng.choice(BAD_ENUMS)
        set_value(data, "direction", q(bad))
        return render(doc), "direction " + q(bad)
    if kind == "const":
        key, bad = rng.choice(BAD_CONSTS)
        obj = env if key in ("status", "eventType") else data
        if key == "schemaVersion" and not any(k == key for k, _ in data):
            data.append([key, q(bad)])
        else:
            set_value(obj, key, q(bad))
        return render(doc), key + " " + q(bad)
    if kind == "truncated":
        text = render(doc)
        return text[:rng.randrange(1, len(text) - 1)], "truncated"
    if kind == "escape":
        key = rng.choice(["eventId", "searchContext", "callDuration", "startTime", "notes"])
        obj = data
        if key == "notes":
            ad = [v for k, v in data if k == "additionalData"]
            if not ad or not any(k == "notes" for k, _ in ad[0]) or len(dict(ad[0])["notes"]) < 3:
                key = "eventId"
            else:
                obj = ad[0]
        bad = rng.choice(BAD_ESCAPES)
        set_value(obj, key, break_string(obj[find(obj, key)][1], rng, bad))
        return render(doc), "bad escape %s in %s" % (bad, key)
    if kind == "duplicate":
        r = rng.random()
        if r < 0.15:
            key, obj = rng.choice(["status", "eventType", "data"]), env
        elif r < 0.25 and any(k == "additionalData" and v and not isinstance(v, str)
                              for k, v in data):
            key, obj = "notes", dict(data)["additionalData"]
        else:
            present = [k for k, _ in data if k != "additionalData"]
            key, obj = rng.choice(present), data
        at = find(obj, key)
        copy = [key, obj[at][1]]
        if key == "direction" and rng.random() < 0.5:
            copy[1] = q("outbound" if obj[at][1] == q("inbound") else "inbound")
        obj.insert(rng.randrange(at + 1, len(obj) + 1), copy)
        return render(doc), "duplicate " + key
    raise ValueError(kind)


INVALID_KINDS = ["missing", "type", "enum", "const", "truncated", "escape", "duplicate"]

# ------------------------------------------------------------------ mixed


def mixed_weight(name, wire):
    """Relative frequency of one (event version, wire) in a partner's stream."""
    table = [
        ("call-manager-call-connect", 60), ("call-manager-call-disconnected", 60),
        ("call-manager-call-incoming", 45), ("call-manager-call-outgoing", 30),
        ("call-manager-call-hold", 25), ("call-manager-mute", 15),
        ("call-manager-call-inbound-first-connect", 20),
        ("call-manager-call-outbound-first-connect", 15),
        ("call-manager-call-record", 8), ("call-manager-call-transfer", 6),
        ("call-manager-call-conference", 4), ("call-manager-call-failed", 4),
        ("call-manager-", 5),
        ("aw-interaction-focus-v3", 50), ("aw-interaction-started", 45),
        ("aw-interaction-ended", 45), ("aw-interaction-wrap-up-codes-v1", 25),
        ("aw-interaction-hold", 20), ("aw-interaction-resume", 20),
        ("aw-interaction-mute", 10), ("aw-interaction-unmute", 10),
        ("aw-chat-message-sent", 15), ("aw-chat-message-received", 10),
        ("aw-chat-init", 8), ("aw-interaction-wrap-up-codes-received", 5),
        ("aw-close-agent-assist", 2),
        ("aw-interaction-focus-v1", 1), ("aw-interaction-focus-v2", 1),
        ("mashell-voice-phone-", 12), ("mashell-chat", 6), ("mashell-email", 4),
        ("mashell-voicemail", 2),
        ("global-user-details", 1), ("getEvents", 1), ("partner-sdk-error", 1),
        ("maEvent", 1),
    ]
    for prefix, w in table:
        if name.startswith(prefix):
            # Maestro events come mostly in the Maestro envelope.
            if wire == "partner-sdk-event" and name.startswith("mashell-"):
                return w * 0.25
            return w
    raise ValueError("no weight for " + name)


def mixed_docs(count, rng):
    sys.path.insert(0, os.path.join("tests", "tools"))
    import make_stream   # reused as is: the samples, wrapped in every wire
    events, _ = make_stream.load_catalog()
    pool = make_stream.sample_docs(events)
    weights = [mixed_weight(d.event["name"], d.wire) for d in pool]
    lines = [make_stream.encode(d) for d in pool]
    picks = rng.choices(range(len(pool)), weights=weights, k=count)
    # Every (version, wire) at least once, at fixed places.
    for i in range(len(pool)):
        picks[(i * 7919) % count] = i
    return [lines[i] for i in picks], len(pool)

# ------------------------------------------------------------------ main


def evdecode_check(evdecode, path, date, want_valid):
    res = subprocess.run([evdecode, "--date", date, path], stdout=subprocess.PIPE,
                         stderr=subprocess.DEVNULL)
    if res.returncode == 2:
        sys.exit("make_wire_corpus: %s failed on %s" % (evdecode, path))
    out = res.stdout.split(b"\n")[:-1]
    errors = [i for i, line in enumerate(out, 1) if line.startswith(b"error:")]
    if want_valid and errors:
        sys.exit("make_wire_corpus: %s: %d invalid lines, the first is line %d: %s"
                 % (path, len(errors), errors[0], out[errors[0] - 1].decode("utf-8", "replace")))
    if not want_valid and len(errors) != len(out):
        ok = [i for i, line in enumerate(out, 1) if not line.startswith(b"error:")]
        sys.exit("make_wire_corpus: %s: %d lines accepted, the first is line %d"
                 % (path, len(ok), ok[0]))
    return len(out)


def write_if_changed(path, lines):
    data = b"".join(line + b"\n" for line in lines)
    try:
        with open(path, "rb") as f:
            if f.read() == data:
                return False
    except FileNotFoundError:
        pass
    tmp = path + ".tmp"
    with open(tmp, "wb") as f:
        f.write(data)
    os.replace(tmp, path)
    return True


def main(argv):
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--out", default="build/bench")
    ap.add_argument("--docs", type=int, default=100000)
    ap.add_argument("--mixed", type=int, default=20000)
    ap.add_argument("--invalid", type=int, default=1000)
    ap.add_argument("--seed", type=int, default=20261121)
    ap.add_argument("--evdecode", default="build/evdecode")
    ap.add_argument("--date", default="2026-06-01")
    a = ap.parse_args(argv)
    if a.docs < 1 or a.mixed < 200 or a.invalid < len(INVALID_KINDS):
        ap.error("need --docs >= 1, --mixed >= 200, --invalid >= 7")
    os.makedirs(a.out, exist_ok=True)

    rng = random.Random(a.seed)
    docs = [voice_completed(rng) for _ in range(a.docs)]
    voice = [render(d) for d in docs]

    rng = random.Random(a.seed + 1)
    invalid, labels, kinds = [], [], {}
    for i in range(a.invalid):
        kind = INVALID_KINDS[i % len(INVALID_KINDS)]
        text, label = invalidate(voice_completed(rng), kind, rng)
        invalid.append(text)
        labels.append(label.encode("utf-8"))
        kinds[kind] = kinds.get(kind, 0) + 1

    rng = random.Random(a.seed + 2)
    mixed, versions = mixed_docs(a.mixed, rng)

    paths = {}
    for name, lines in (("voice-completed.jsonl", voice), ("mixed.jsonl", mixed),
                        ("invalid.jsonl", invalid), ("invalid-labels.txt", labels)):
        paths[name] = os.path.join(a.out, name)
        write_if_changed(paths[name], lines)

    n = evdecode_check(a.evdecode, paths["voice-completed.jsonl"], a.date, True)
    m = evdecode_check(a.evdecode, paths["mixed.jsonl"], a.date, True)
    k = evdecode_check(a.evdecode, paths["invalid.jsonl"], a.date, False)
    size = sum(len(t) for t in voice)
    print("%s: %d documents, %.1f bytes on average, %d pretty, %d shuffled; evdecode: all valid"
          % (paths["voice-completed.jsonl"], n, size / n, sum(d["pretty"] for d in docs),
             sum(d["shuffled"] for d in docs)))
    print("%s: %d documents of %d (event version, wire) pairs; evdecode: all valid"
          % (paths["mixed.jsonl"], m, versions))
    print("%s: %d documents (%s); evdecode: all rejected"
          % (paths["invalid.jsonl"], k, ", ".join("%d %s" % (kinds[x], x) for x in INVALID_KINDS)))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
