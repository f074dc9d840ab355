#!/usr/bin/env python3
"""Checks `evgen diff` (docs/diff.md); `make check-diff` runs it.

    check_diff.py --evgen EVGEN [--scale-evgen EVGEN]

From the repository root:
  * every case of tests/diff/cases.txt: exit status, empty standard error,
    and standard output exactly tests/diff/CASE.out (positions in files
    outside tests/diff/ without line and column: catalog.yaml changes for
    reasons of its own);
  * the same case with --format json: one object whose changes say what the
    text says (rule, class, message, position), with consistent `unbumped`,
    `fails` and summary; a few fields checked one by one;
  * every rule of `evgen diff --rules` is reported by some case, and
    docs/diff.md has a row for it with the same class;
  * usage errors and catalogs with errors exit 2 and say why on standard
    error, nothing on standard output; --help, the default --today (the
    UTC date, in time zones far east and west);
  * the real history reversed (today's catalog back to 2025) fails;
  * a large catalog pair (a shape of 2,000 properties used by 2,000 events,
    an enum of 20,000 values renamed, 5,000 members given a c_name) diffs
    within a time limit: the comparison must stay near linear; and an
    event of 20,000 versions, added and removed (its message lists every
    version), diffs within that time and a 256 MB address-space limit.
Needs nothing but python3."""
import argparse
import datetime
import json
import os
import re
import resource
import subprocess
import sys
import tempfile
import time

CASES = "tests/diff/cases.txt"
REREAD = "documents without a version are now read as "
FAILS_WITHOUT_UNBUMPED = {"version-removed-before-sunset", "event-removed-before-sunset"}
failures = []


def fail(msg):
    failures.append(msg)
    print("FAIL: " + msg)


def run(evgen, args, env=None):
    r = subprocess.run([evgen, "diff"] + args, capture_output=True, text=True, env=env)
    return r.returncode, r.stdout, r.stderr


def loosen(text):
    """Drops line:col of positions in files outside tests/diff/."""
    return re.sub(r"(?<![\w/.-])((?!tests/diff/)[\w./-]+\.yaml):\d+:\d+", r"\1:L:C", text)


def read_cases():
    cases = []
    for line in open(CASES, encoding="utf-8"):
        if not line.strip() or line.startswith("#"):
            continue
        name, status, *args = line.split()
        cases.append((name, int(status), args))
    return cases


LINE = re.compile(r"^(?P<loc>\S+?(?::\d+:\d+)?): (?P<cls>compatible|wire-breaking|c-breaking): "
                  r"(?P<rule>[a-z-]+): (?P<msg>.*)$")


def check_json(evgen, name, status, args, text_out):
    code, out, err = run(evgen, ["--format", "json"] + args)
    if code != status or err:
        fail(f"{name} (json): exit {code} (want {status}), stderr {err!r}")
        return None
    try:
        doc = json.loads(out)
    except ValueError as e:
        fail(f"{name} (json): not JSON: {e}")
        return None
    lines = text_out.splitlines()
    summary, lines = lines[-1], lines[:-1]
    changes = doc["changes"]
    if len(changes) != len(lines):
        fail(f"{name} (json): {len(changes)} changes, the text has {len(lines)}")
        return doc
    old_path, new_path = args[-2], args[-1]
    if doc["old"] != old_path or doc["new"] != new_path:
        fail(f"{name} (json): old/new are {doc['old']}, {doc['new']}")
    keys = ["rule", "class", "event", "version", "compared_with", "wire", "shape", "path", "old",
            "new", "message", "unbumped", "fails"]
    counts = {"compatible": 0, "wire-breaking": 0, "c-breaking": 0}
    failing = 0
    for ch, line in zip(changes, lines):
        if list(ch.keys()) != keys:
            fail(f"{name} (json): keys {list(ch.keys())}")
            continue
        m = LINE.match(line)
        if not m:
            fail(f"{name}: text line does not parse: {line}")
            continue
        if (ch["rule"], ch["class"], ch["message"]) != (m["rule"], m["cls"], m["msg"]):
            fail(f"{name} (json): {ch['rule']}/{ch['class']}/{ch['message']} vs text {line}")
        pos = ch["new"] or ch["old"]
        loc = f"{pos['file']}:{pos['line']}:{pos['col']}" if pos else new_path
        if loc != m["loc"]:
            fail(f"{name} (json): position {loc} vs text {m['loc']}")
        for side, path in (("old", old_path), ("new", new_path)):
            p = ch[side]
            if p is not None and (p["file"] != path or p["line"] < 1 or p["col"] < 1):
                fail(f"{name} (json): bad {side} position {p}")
        if ch["path"] is not None and ch["path"] and not ch["path"].startswith("/"):
            fail(f"{name} (json): path {ch['path']!r} is not a JSON Pointer")
        want_fails = (ch["class"] != "compatible" and ch["unbumped"]) or \
            ch["rule"] in FAILS_WITHOUT_UNBUMPED
        if ch["fails"] != want_fails:
            fail(f"{name} (json): fails={ch['fails']} for {line}")
        # A change compared with an older version is unbumped only when the
        # new version is now what documents without a version are read as.
        if ch["compared_with"] and ch["unbumped"] != (REREAD in ch["message"]):
            fail(f"{name} (json): unbumped={ch['unbumped']} for a change compared with an "
                 f"older version: {line}")
        if ch["wire"] and not ch["unbumped"]:
            fail(f"{name} (json): a wire's change is not unbumped: {line}")
        counts[ch["class"]] += 1
        failing += ch["fails"]
    s = doc["summary"]
    want = {"changes": len(changes), "c-breaking": counts["c-breaking"],
            "wire-breaking": counts["wire-breaking"], "compatible": counts["compatible"],
            "failing": failing, "fails": failing > 0, "exit_status": status}
    if s != want:
        fail(f"{name} (json): summary {s}, want {want}")
    if f"{len(changes)} change" not in summary and len(changes):
        fail(f"{name}: text summary {summary!r}")
    return doc


def find(doc, **fields):
    for ch in doc["changes"]:
        if all(ch[k] == v for k, v in fields.items()):
            return ch
    return None


def check_json_fields(docs):
    """A few changes, field by field."""
    d = docs.get("property-made-required")
    ch = d and find(d, rule="property-made-required")
    want = {"rule": "property-made-required", "class": "wire-breaking", "event": "order-placed",
            "version": "2.0.0", "compared_with": None, "wire": None, "shape": None,
            "path": "/note",
            "old": {"file": "tests/diff/base.yaml", "line": 92, "col": 11},
            "new": {"file": "tests/diff/property-made-required.yaml", "line": 92, "col": 11},
            "unbumped": True, "fails": True}
    if not ch or any(ch[k] != v for k, v in want.items()):
        fail(f"property-made-required (json): {ch}")
    ch = d and find(d, rule="c-member-removed")
    if not ch or (ch["path"], ch["new"], ch["event"]) != ("/note", None, "order-placed"):
        fail(f"property-made-required (json): C change {ch}")
    d = docs.get("catalog-2025")
    ch = d and find(d, rule="property-added-optional")
    if not ch or (ch["event"], ch["version"], ch["compared_with"], ch["path"], ch["unbumped"]) != \
            ("aw-interaction-wrap-up-codes-v1", "1.0.1", "1.0.0", "/wrapUpCodes/*/items/*/description",
             False):
        fail(f"catalog-2025 (json): {ch}")
    d = docs.get("form-payload-changed")
    ch = d and find(d, rule="property-made-required")
    if not ch or (ch["wire"], ch["event"], ch["path"], ch["unbumped"]) != \
            ("bus/rejected", None, "/detail", True):
        fail(f"form-payload-changed (json): {ch}")
    d = docs.get("c-type-renamed")
    ch = d and find(d, rule="c-type-renamed")
    if not ch or (ch["shape"], ch["event"], ch["unbumped"]) != ("address", None, True):
        fail(f"c-type-renamed (json): {ch}")
    # A new newest version: unbumped for documents without a version when
    # the event reads them, and only its wire-breaking changes fail.
    d = docs.get("bumped")
    ch = d and find(d, rule="property-added-required")
    if not ch or (ch["version"], ch["compared_with"], ch["unbumped"], ch["fails"]) != \
            ("2.1.0", "2.0.0", True, True) or REREAD + "2.1.0" not in ch["message"]:
        fail(f"bumped (json): {ch}")
    ch = d and find(d, rule="type-changed", version="1.1.0")
    if not ch or (ch["compared_with"], ch["unbumped"], ch["fails"]) != ("1.0.0", False, False):
        fail(f"bumped (json), a version below the newest: {ch}")
    ch = d and find(d, rule="version-added", version="2.1.0")
    if not ch or ch["unbumped"] or ch["fails"]:
        fail(f"bumped (json), the version itself: {ch}")
    d = docs.get("bumped-required")
    ch = d and find(d, rule="property-added-required")
    if not ch or (ch["version"], ch["compared_with"], ch["unbumped"], ch["fails"]) != \
            ("2.1.0", "2.0.0", False, False):
        fail(f"bumped-required (json): {ch}")
    d = docs.get("versionless-bumped")
    for event, fails in (("status-reply", True), ("ping", True), ("pong", False)):
        ch = d and find(d, rule="property-added-required", event=event)
        if not ch or (ch["unbumped"], ch["fails"]) != (fails, fails):
            fail(f"versionless-bumped (json), {event}: {ch}")
    d = docs.get("removed-after-sunset")
    ch = d and find(d, rule="c-type-removed", event="order-placed")
    if not ch or (ch["unbumped"], ch["fails"], ch["new"]) != (False, False, None):
        fail(f"removed-after-sunset (json): {ch}")


def check_rules(evgen, outputs):
    code, out, err = run(evgen, ["--rules"])
    if code or err:
        fail(f"--rules: exit {code}, {err!r}")
        return
    rules = dict(line.split() for line in out.splitlines())
    reported = set()
    for text in outputs.values():
        for line in text.splitlines():
            m = LINE.match(line)
            if m:
                reported.add(m["rule"])
                if rules.get(m["rule"]) != m["cls"]:
                    fail(f"rule {m['rule']} reported as {m['cls']}, --rules says {rules.get(m['rule'])}")
    for rule in sorted(set(rules) - reported):
        fail(f"no case reports the rule {rule}")
    doc = open("docs/diff.md", encoding="utf-8").read()
    for rule, cls in rules.items():
        if not re.search(r"^\| `%s` \| %s \|" % (re.escape(rule), re.escape(cls)), doc, re.M):
            fail(f"docs/diff.md has no row '| `{rule}` | {cls} |'")


USAGE = [
    ([], "no catalogs given: need OLD and NEW"),
    (["tests/diff/base.yaml"], "only one catalog given: need OLD and NEW"),
    (["a.yaml", "b.yaml", "c.yaml"], "more than two catalogs given ('c.yaml')"),
    (["--format", "xml", "a.yaml", "b.yaml"], "--format 'xml': expected text or json"),
    (["--format=", "a.yaml", "b.yaml"], "option '--format' needs a non-empty argument"),
    (["--today", "2026-02-30", "a.yaml", "b.yaml"], "--today '2026-02-30': expected a date YYYY-MM-DD"),
    (["a.yaml", "b.yaml", "--today"], "option '--today' needs an argument"),
    (["--prefix", "Ev", "a.yaml", "b.yaml"], "--prefix 'Ev' must match"),
    (["--bogus", "a.yaml", "b.yaml"], "unknown option '--bogus'"),
    (["--rules=yes"], "option '--rules' takes no argument"),
]


def check_usage(evgen):
    for args, want in USAGE:
        code, out, err = run(evgen, args)
        if code != 2 or out or not err.startswith("evgen diff: " + want) or \
                "Try 'evgen diff --help'" not in err:
            fail(f"usage {args}: exit {code}, stdout {out!r}, stderr {err!r}")
    code, out, err = run(evgen, ["--help"])
    if code or err or not out.startswith("Usage: evgen diff [options] OLD NEW\n"):
        fail(f"--help: exit {code}, {out[:60]!r}, {err!r}")
    r = subprocess.run([evgen, "--help"], capture_output=True, text=True)
    if "evgen diff [options] OLD NEW" not in r.stdout:
        fail("evgen --help does not mention evgen diff")
    # Catalogs with errors: reported as generation reports them, exit 2,
    # both catalogs read.
    code, out, err = run(evgen, ["tests/bad/unknown-key.yaml", "tests/bad/bad-date.yaml"])
    if code != 2 or out or not re.search(r"^tests/bad/unknown-key\.yaml:\d+:\d+: error: ", err, re.M) \
            or not re.search(r"^tests/bad/bad-date\.yaml:\d+:\d+: error: ", err, re.M):
        fail(f"bad catalogs: exit {code}, stdout {out!r}, stderr {err!r}")
    code, out, err = run(evgen, ["tests/diff/base.yaml", "tests/diff/no-such-file.yaml"])
    if code != 2 or out or "tests/diff/no-such-file.yaml" not in err:
        fail(f"missing catalog: exit {code}, stdout {out!r}, stderr {err!r}")
    # C names that clash are catalog errors too (cmodel_build).
    code, out, err = run(evgen, ["tests/diff/base.yaml", "tests/bad/c-name-collision.yaml"])
    if code != 2 or out or "tests/bad/c-name-collision.yaml:" not in err:
        fail(f"C name clash: exit {code}, stdout {out!r}, stderr {err!r}")
    # Without --today: the current date in UTC, as evdecode's, whatever the
    # time zone. At any moment one of UTC+14 and UTC-12 has another date
    # than UTC, so a local date shows in one of the two runs.
    for tz in ("XST-14", "YST+12"):   # POSIX TZ: the sign is west of Greenwich
        before = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        code, out, err = run(evgen, ["--format", "json", "tests/diff/base.yaml",
                                     "tests/diff/base.yaml"], env=dict(os.environ, TZ=tz))
        after = datetime.datetime.now(datetime.timezone.utc).date().isoformat()
        today = json.loads(out)["today"] if code == 0 and out else None
        if today not in (before, after):
            fail(f"default --today with TZ={tz}: exit {code}, {out[:120]!r} (want {before}, UTC)")


def check_reversed(evgen):
    """Upstream taking back a year of events is not a compatible change."""
    code, out, err = run(evgen, ["--format", "json", "--today", "2026-07-25", "catalog.yaml",
                                 "tests/diff/catalog-2025.yaml"])
    doc = json.loads(out) if out else {"changes": []}
    removed = [c for c in doc["changes"] if c["rule"] == "event-removed-before-sunset"]
    if code != 1 or err or len(removed) != 25:
        fail(f"reversed history: exit {code}, {len(removed)} events removed before sunset "
             f"(want 25), stderr {err!r}")


def write_scale(directory):
    """Two catalogs: NEW makes one property of a widely used shape required,
    renames every value of a big enum and gives every member of a wide
    version a c_name."""
    def catalog(new):
        out = ["format: 1\nshapes:\n  big:\n    properties:\n"]
        for i in range(2000):
            req = "string" if (new and i == 0) else "string?"
            out.append(f"      p{i:05d}: {req}\n")
        out.append("events:\n")
        for i in range(2000):
            out.append(f"  - name: ev-{i:05d}\n    direction: received\n    versions:\n"
                       "      - version: 1.0.0\n        status: active\n        active: 2025-01-01\n"
                       "        properties:\n          body: big\n")
        values = ", ".join(("w%05d" if new else "v%05d") % i for i in range(20000))
        out.append("  - name: wide\n    direction: received\n    versions:\n"
                   "      - version: 1.0.0\n        status: active\n        active: 2025-01-01\n"
                   f"        properties:\n          kind: {{type: enum, values: [{values}]}}\n")
        for i in range(5000):
            out.append(f"          m{i:05d}: {{type: string, c_name: {'n' if new else 'm'}{i:05d}}}\n")
        return "".join(out)
    paths = []
    for new in (False, True):
        p = os.path.join(directory, "scale-%s.yaml" % ("new" if new else "old"))
        with open(p, "w", encoding="utf-8") as f:
            f.write(catalog(new))
        paths.append(p)
    return paths


def check_scale(evgen, seconds):
    with tempfile.TemporaryDirectory() as d:
        old, new = write_scale(d)
        start = time.monotonic()
        code, out, err = run(evgen, ["--today", "2026-01-01", old, new])
        took = time.monotonic() - start
        lines = out.splitlines()
        counts = {}
        for line in lines[:-1]:
            m = LINE.match(line)
            counts[m["rule"] if m else "?"] = counts.get(m["rule"] if m else "?", 0) + 1
        want = {"property-made-required": 2000, "c-member-removed": 1,
                "enum-value-removed": 20000, "enum-value-added": 20000,
                "c-enumerator-removed": 20000, "c-member-renamed": 5000}
        if code != 1 or err or counts != want:
            fail(f"scale: exit {code}, {counts}, stderr {err[:200]!r}")
        if took > seconds:
            fail(f"scale: {took:.1f} s, more than {seconds} s")
        print(f"scale: {len(lines) - 1} changes in {took:.2f} s (limit {seconds} s)")


def write_many_versions(directory, count):
    """OLD: one small event; NEW: the same and an event of `count` versions."""
    few = ("format: 1\nevents:\n  - name: few\n    direction: received\n    versions:\n"
           "      - {version: 1.0.0, status: active, active: 2025-01-01, properties: {a: string}}\n")
    many = ["  - name: many\n    direction: received\n    versions:\n"]
    for i in range(count):
        many.append(f"      - {{version: 1.{i}.0, status: active, active: 2025-01-01, "
                    "properties: {a: string}}\n")
    paths = [os.path.join(directory, "versions-old.yaml"), os.path.join(directory, "versions-new.yaml")]
    for path, text in zip(paths, (few, few + "".join(many))):
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
    return paths


def limit_address_space(megabytes):
    def apply():
        limit = megabytes * 1024 * 1024
        resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
    return apply


def check_scale_versions(evgen, seconds, count=20000, megabytes=256):
    """An event of 20,000 versions added, and removed: each message lists
    every version, within a memory limit (ulimit -v) that a list built by
    re-copying itself (quadratic: gigabytes) would exceed."""
    with tempfile.TemporaryDirectory() as d:
        old, new = write_many_versions(d, count)
        for label, args, status, rule, lines in (
                ("added", [old, new], 0, "event-added", 1),
                ("removed", [new, old], 1, "event-removed-before-sunset", 1 + count)):
            start = time.monotonic()
            r = subprocess.run([evgen, "diff", "--today", "2026-01-01"] + args, capture_output=True,
                               text=True, preexec_fn=limit_address_space(megabytes))
            took = time.monotonic() - start
            out = r.stdout.splitlines()
            first = LINE.match(out[0]) if out else None
            listed = first and len(re.findall(r"\b1\.\d+\.0\b", first["msg"])) >= count
            if r.returncode != status or r.stderr or len(out) != lines + 1 or not first or \
                    first["rule"] != rule or not listed:
                fail(f"{count} versions {label}: exit {r.returncode}, {len(out)} lines, "
                     f"{out[0][:120] if out else ''!r}, stderr {r.stderr[:200]!r} "
                     f"(within {megabytes} MB)")
            if took > seconds:
                fail(f"{count} versions {label}: {took:.1f} s, more than {seconds} s")
            print(f"scale: an event of {count} versions {label} in {took:.2f} s "
                  f"(limits {seconds} s, {megabytes} MB)")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--evgen", required=True)
    ap.add_argument("--scale-evgen", help="the evgen to time (default: --evgen)")
    ap.add_argument("--scale-seconds", type=float, default=10)
    a = ap.parse_args()
    outputs, docs = {}, {}
    cases = read_cases()
    for name, status, args in cases:
        code, out, err = run(a.evgen, args)
        want = open(f"tests/diff/{name}.out", encoding="utf-8").read()
        if code != status or err:
            fail(f"{name}: exit {code} (want {status}), stderr {err!r}")
        if loosen(out) != loosen(want):
            fail(f"{name}: output differs from tests/diff/{name}.out:\n{out}")
        outputs[name] = out
        docs[name] = check_json(a.evgen, name, status, args, out)
        # Deterministic: the same run says the same.
        if run(a.evgen, args)[1] != out:
            fail(f"{name}: a second run differs")
    check_json_fields(docs)
    check_rules(a.evgen, outputs)
    check_usage(a.evgen)
    check_reversed(a.evgen)
    check_scale(a.scale_evgen or a.evgen, a.scale_seconds)
    check_scale_versions(a.scale_evgen or a.evgen, a.scale_seconds)
    if failures:
        print(f"check_diff: {len(failures)} failure(s)")
        sys.exit(1)
    print(f"evgen diff: {len(cases)} cases, JSON, rules, usage errors, scale: all as expected")


if __name__ == "__main__":
    main()
