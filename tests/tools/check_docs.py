#!/usr/bin/env python3
"""Checks the Markdown reference `evgen --emit docs` writes (docs/reference-docs.md).

    check_docs.py [--evgen build/evgen] [--evdecode build/evdecode]
                  [--catalog catalog.yaml] [--committed docs/catalog]
                  [--cc cc] [--cmark cmark-gfm]

What it checks, each counted in the summary (nothing is skipped silently):

* files: README.md, one page per product, _no-product.md when some event
  has no product, timeline.svg, and nothing else; `--check` finds them up
  to date right after writing, names a changed file "out of date" and a
  removed one "missing" (exit 1); a rewrite touches only the file that
  changed; the output is the same whatever directory the catalog is named
  from (only its file name shows);
* committed: the reference committed for the catalog (--committed) holds
  exactly those files and `evgen --emit docs --check` finds it up to date;
* sections: for the catalog, every catalog in tests/catalogs/ and the shop
  catalog, every event version has exactly one section, on its product's
  page, and each section has an example heading per wire and form the
  event travels in (a bare payload for an event of no wire); every link
  between the pages lands on a file and an anchor that exist;
* svg: every timeline is well-formed XML (xml.etree) with one labelled
  bar per event version, its segments in date order and its end a sunset
  mark or an open-end arrow as the dates say; without --today there is no
  today line, with it there is exactly one, inside the axis, labelled;
* examples: every example document is accepted by evdecode built on the
  same catalog (build/evdecode for the catalog, examples/evdecode.c built
  here for the small catalogs) and comes back from it equal (so it was
  parsed as the event version it documents, nothing dropped); bare
  payloads through `evdecode --event`; an example is left out only where
  the page says why (an older version in a wire that reads no version, a
  too large example);
* markdown: every page rendered by cmark-gfm (GitHub's Markdown, tables
  on) has tables whose rows all have the header's cell count; for
  tests/catalogs/markdown-escaping.yaml the rendered texts are exactly the
  catalog's (pipes, backticks, tags, entities, emphasis, links and math
  all shown as written, nothing turned into markup);
* scale: an event of 2,000 versions makes a page of less than 2 KiB a
  version, at most 12 times the page of 200 (linear, not quadratic), whose
  oldest section links every version and the others at most three;
* usage: `--emit docs` with --prefix or --templates, --today without
  --emit docs or with a bad date, an unknown --emit kind: exit 2 with the
  message; a product named "readme": exit 1 and nothing written.

Exit status 0 when everything passed, 1 otherwise.
"""

import argparse
import glob
import html
import html.parser
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET
from concurrent.futures import ThreadPoolExecutor

SVG = "{http://www.w3.org/2000/svg}"
# evdecode judges lifecycle on this date: before every version's active
# date, so no version is sunset (an error line that says nothing of the
# document); "not active until" is only a warning.
LIFECYCLE_DATE = "0001-01-01"
NO_PRODUCT_PAGE = "_no-product.md"
ESCAPING_CATALOG = "tests/catalogs/markdown-escaping.yaml"
# Texts of ESCAPING_CATALOG that must come out of cmark-gfm as they are
# written there, each a paragraph of tables.md.
ESCAPING_TEXTS = [
    ("the summary of pipe_event.x",
     "1. starts like a list | has a pipe, *stars*, _underscores_, `backticks`, ``two``, "
     "<i>tags</i>, &amp; $math$ [link](x) # hash ~strike~ \\ backslash"),
    ("the doc of wire pipes", "an envelope | with a pipe, `code`, <b>bold</b> & an &amp; entity"),
    ("the doc of form pipes/alt", "+ a form without select: the same events"),
]
# Small catalogs whose examples are run through an evdecode built on them:
# between them every kind of wire, form, property type and container.
EVDECODE_CATALOGS = [
    ESCAPING_CATALOG,
    "tests/catalogs/maps-arrays.yaml",
    "tests/catalogs/routing.yaml",
    "tests/catalogs/no-wires.yaml",
    "tests/catalogs/odd-keys.yaml",
    "tests/catalogs/shared-shapes.yaml",
    "tests/catalogs/wire-shapes.yaml",
    "tests/catalogs/nullable-const.yaml",
    "tests/catalogs/all-consts.yaml",
    "tests/catalogs/const-only-payload.yaml",
    "tests/catalogs/deep-nesting.yaml",
    "examples/shop/catalog.yaml",
]


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


def run(cmd, stdin_text=None, cwd=None):
    return subprocess.run(cmd, input=stdin_text, capture_output=True, text=True, cwd=cwd)


def read(path):
    with open(path, encoding="utf-8") as fh:
        return fh.read()


def dump(evgen, catalog):
    r = run([evgen, "--dump", catalog])
    if r.returncode != 0:
        raise RuntimeError(f"evgen --dump {catalog}: {r.stderr}")
    return json.loads(r.stdout)


def expected_files(model):
    files = {"README.md", "timeline.svg"}
    files |= {p + ".md" for p in model["products"]}
    if any(e["product"] is None for e in model["events"]):
        files.add(NO_PRODUCT_PAGE)
    return files


def page_of(event):
    return (event["product"] + ".md") if event["product"] else NO_PRODUCT_PAGE


def wires_by_name(model):
    out = {}
    for w in model["wires"]:
        out[w["name"]] = w
        for f in w["forms"]:
            out[f["name"]] = f
    return out


def event_wires(model, event):
    """The wires and forms an event has an example in, in page order."""
    out = []
    byname = {w["name"]: w for w in model["wires"]}
    for name in event["wires"]:
        w = byname[name]
        out.append(w["name"])
        out += [f["name"] for f in w["forms"] if f.get("select") is None]
    return out


def versioned(wire):
    def has_version(members):
        return any(m["role"] == "version" or has_version(m.get("members", [])) for m in members)
    return wire["payload_version"] is not None or has_version(wire["envelope"])


# MARK: sections and examples, read back from the pages

ANCHOR = re.compile(r'^<a id="([^"]*)"></a>$')
EXAMPLE_HEADING = re.compile(r"^#### (Wire|Form) `([^`]*)`$|^#### Bare payload$")


def sections(text):
    """{anchor: [(heading, json text or None, text between)]} of a page."""
    out = {}
    current = None
    lines = text.split("\n")
    i = 0
    while i < len(lines):
        line = lines[i]
        m = ANCHOR.match(line)
        if m:
            current = []
            if m.group(1) in out:
                out[m.group(1)].append(None)   # a second section: counted as a failure
            out.setdefault(m.group(1), current)
            i += 1
            continue
        m = EXAMPLE_HEADING.match(line)
        if m and current is not None:
            name = m.group(2) if m.group(2) is not None else None
            body, block = [], None
            i += 1
            while i < len(lines) and not lines[i].startswith("#") and not ANCHOR.match(lines[i]) \
                    and lines[i] != "---":
                if lines[i].startswith("```json"):
                    fence = lines[i][: len(lines[i]) - len("json")]
                    j = i + 1
                    while lines[j] != fence:
                        j += 1
                    block = "\n".join(lines[i + 1: j])
                    i = j + 1
                    continue
                body.append(lines[i])
                i += 1
            current.append((name, block, "\n".join(body)))
            continue
        i += 1
    return out


def check_sections(F, model, out_dir, label):
    """Every version has one section on its page, with an example heading per
    wire; returns [(event, version, wire or None, json text)] to decode."""
    pages = {}
    for f in os.listdir(out_dir):
        if f.endswith(".md"):
            pages[f] = sections(read(os.path.join(out_dir, f)))
    examples = []
    wires = wires_by_name(model)
    for e in model["events"]:
        newest = e["versions"][-1]["version"]
        for v in e["versions"]:
            anchor = f'{e["name"]}:{v["version"]}'
            where = [p for p, s in pages.items() if anchor in s]
            if not F.check(where == [page_of(e)], "sections",
                           f"{label}: {anchor} has its section on {where}, expected {page_of(e)}"):
                continue
            found = pages[page_of(e)][anchor]
            if not F.check(None not in found, "sections", f"{label}: {anchor} has two sections"):
                continue
            want = event_wires(model, e) or [None]
            F.check([h for h, _, _ in found] == want, "sections",
                    f"{label}: {anchor} has examples in {[h for h, _, _ in found]}, expected {want}")
            for heading, block, body in found:
                is_newest = v["version"] == newest
                readable = is_newest if heading is None else (is_newest or versioned(wires[heading]))
                statable = all(int(part) <= 999999 for part in v["version"].split("."))
                if heading is not None and not statable:
                    F.check(block is None and "No document can state version" in body, "examples",
                            f"{label}: {anchor} in {heading}: an example of a version no "
                            f"document can state")
                    continue
                if block is not None:
                    F.check(readable, "examples",
                            f"{label}: {anchor} in {heading}: an example where the version "
                            f"cannot be told")
                    examples.append((e, v, heading, block))
                elif not readable:
                    F.check("so there is no example of this one" in body, "examples",
                            f"{label}: {anchor} in {heading}: no example and no word why")
                else:
                    F.check("The example is left out: it would" in body, "examples",
                            f"{label}: {anchor} in {heading}: no example and no word why")
    return examples


HREF = re.compile(r'<a href="([^"]*)"')


def check_links(F, cmark, out_dir, label):
    """Every link of the rendered pages (and of the timeline) lands."""
    anchors = {}
    for f in os.listdir(out_dir):
        if f.endswith(".md"):
            anchors[f] = set(sections(read(os.path.join(out_dir, f))).keys())
    for f in sorted(anchors):
        _, page_html = render(cmark, os.path.join(out_dir, f))
        for target in HREF.findall(page_html):
            target = html.unescape(target)
            page, _, frag = target.partition("#")
            page = page or f
            ok = os.path.exists(os.path.join(out_dir, page)) and (not frag or frag in anchors.get(page, ()))
            F.check(ok, "sections", f"{label}: {f} links to {target}, which is not there")
    svg = ET.parse(os.path.join(out_dir, "timeline.svg")).getroot()
    for a in svg.iter(SVG + "a"):
        page, _, frag = a.get("href").partition("#")
        F.check(frag in anchors.get(page, ()), "svg", f"{label}: timeline links to {a.get('href')}, "
                f"which is not there")


def check_examples(F, evdecode, examples, label):
    """Runs every example through evdecode: accepted, and unchanged."""
    wire_docs = [(e, v, w, b) for e, v, w, b in examples if w is not None]
    jobs = []
    if wire_docs:
        jobs.append(([], wire_docs))
    for e, v, w, b in examples:
        if w is None:
            jobs.append((["--event", e["name"]], [(e, v, w, b)]))
    for opts, docs in jobs:
        lines = "".join(json.dumps(json.loads(b), separators=(",", ":"), ensure_ascii=False) + "\n"
                        for _, _, _, b in docs)
        r = subprocess.run([evdecode, "--date", LIFECYCLE_DATE] + opts, input=lines.encode(),
                           capture_output=True)
        out = r.stdout.decode("utf-8", "replace").split("\n")[:-1]
        warnings = [l for l in r.stderr.decode("utf-8", "replace").split("\n")
                    if l and "is not active until" not in l]
        F.check(not warnings, "examples", f"{label}: evdecode warned: {warnings[:3]}")
        if not F.check(len(out) == len(docs), "examples",
                       f"{label}: evdecode {opts} printed {len(out)} lines for {len(docs)} documents"
                       f" (status {r.returncode}): {r.stderr[-300:]}"):
            continue
        for (e, v, w, b), got in zip(docs, out):
            what = f'{label}: {e["name"]} {v["version"]} in {w or "a bare payload"}'
            if not F.check(not got.startswith("error:"), "examples", f"{what}: {got}"):
                continue
            F.check(json.loads(got) == json.loads(b), "examples",
                    f"{what}: evdecode makes it {got[:300]}")


def build_evdecode(cc, evgen, catalog, tmp):
    name = os.path.splitext(os.path.basename(catalog))[0] + "-" + str(abs(hash(catalog)) % 10000)
    gen = os.path.join(tmp, "c-" + name)
    r = run([evgen, "-o", gen, catalog])
    if r.returncode:
        return None, f"evgen: {r.stderr}"
    tool = os.path.join(tmp, "evdecode-" + name)
    here = os.path.dirname(os.path.abspath(__file__))
    sources = sorted(os.path.join(gen, f) for f in os.listdir(gen) if f.endswith(".c"))
    r = run(cc.split() + ["-std=c11", "-O0", "-D_POSIX_C_SOURCE=200809L", "-I", gen,
                          os.path.join(here, "..", "..", "examples", "evdecode.c")]
            + sources + ["-o", tool])
    if r.returncode:
        return None, f"cc: {r.stderr[-2000:]}"
    return tool, None


# MARK: the timeline

def check_svg(F, path, model, label, today=None):
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as err:
        F.check(False, "svg", f"{label}: {path} is not well-formed XML: {err}")
        return
    F.check(root.tag == SVG + "svg", "svg", f"{label}: the root is {root.tag}")
    width = int(root.get("width"))
    versions = {}
    for e in model["events"]:
        for v in e["versions"]:
            versions[f'{e["name"]} {v["version"]}'] = v
    bars = [g for g in root.iter(SVG + "g") if g.find(SVG + "title") is not None]
    labels = []
    for g in bars:
        text = g.find(f"{SVG}a/{SVG}text")
        label_text = text.text if text is not None else None
        labels.append(label_text)
        v = versions.get(label_text)
        if not F.check(v is not None, "svg", f"{label}: a bar labelled {label_text!r}"):
            continue
        rects = g.findall(SVG + "rect")
        fills = [r.get("fill") for r in rects]
        xs = [int(r.get("x")) for r in rects]
        F.check(xs == sorted(xs), "svg", f"{label}: {label_text}: segments out of order {xs}")
        F.check(("#fb8c00" in fills) <= (v["deprecated"] is not None), "svg",
                f"{label}: {label_text}: a deprecated segment without a deprecation date")
        sunset = [l for l in g.findall(SVG + "line")]
        arrow = g.findall(SVG + "polygon")
        F.check((len(sunset), len(arrow)) == ((1, 0) if v["sunset"] else (0, 1)), "svg",
                f"{label}: {label_text}: {len(sunset)} sunset marks and {len(arrow)} arrows, "
                f"sunset {v['sunset']}")
        for r in rects:
            F.check(0 <= int(r.get("x")) and int(r.get("x")) + int(r.get("width")) <= width, "svg",
                    f"{label}: {label_text}: a segment outside the picture")
    F.check(sorted(labels, key=str) == sorted(versions), "svg",
            f"{label}: the bars are {len(labels)}, for {len(versions)} versions")
    today_lines = [l for l in root.iter(SVG + "line") if l.get("id") == "today"]
    if today is None:
        F.check(not today_lines, "svg", f"{label}: a today line without --today")
        F.check(not any((t.text or "").startswith("today") for t in root.iter(SVG + "text")), "svg",
                f"{label}: a today label without --today")
    else:
        if F.check(len(today_lines) == 1, "svg", f"{label}: {len(today_lines)} today lines"):
            x = int(today_lines[0].get("x1"))
            F.check(0 < x < width and today_lines[0].get("x2") == today_lines[0].get("x1"), "svg",
                    f"{label}: the today line is at x {x} of {width}")
        F.check(any(t.text == f"today {today}" for t in root.iter(SVG + "text")), "svg",
                f"{label}: no 'today {today}' label")


# MARK: Markdown as GitHub renders it

class Tables(html.parser.HTMLParser):
    """The tables of an HTML page: rows of cells, each (text, [code texts]);
    and the text of every other element by tag."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.tables, self.cell, self.code = [], None, None
        self.tags = {}
        self.stack = []

    def handle_starttag(self, tag, attrs):
        self.stack.append([tag, ""])
        self.tags.setdefault(tag, [])
        if tag == "table":
            self.tables.append([])
        elif tag == "tr":
            self.tables[-1].append([])
        elif tag in ("td", "th"):
            self.cell = ["", []]
        elif tag == "code" and self.cell is not None:
            self.code = ""

    def handle_endtag(self, tag):
        if self.stack:
            t, text = self.stack.pop()
            self.tags.setdefault(t, []).append(text)
            if self.stack:
                self.stack[-1][1] += text
        if tag in ("td", "th") and self.cell is not None:
            self.tables[-1][-1].append(tuple(self.cell))
            self.cell = None
        elif tag == "code" and self.code is not None:
            self.cell[1].append(self.code)
            self.code = None

    def handle_data(self, data):
        if self.stack:
            self.stack[-1][1] += data
        if self.cell is not None:
            self.cell[0] += data
        if self.code is not None:
            self.code += data


def render(cmark, path):
    r = run([cmark, "-e", "table", "-e", "strikethrough", "-e", "autolink", "--to", "html", path])
    if r.returncode:
        raise RuntimeError(f"{cmark} {path}: {r.stderr}")
    t = Tables()
    t.feed(r.stdout)
    return t, r.stdout


CELL_SEPARATOR = re.compile(r"(?<!\\)\|")


def check_markdown(F, cmark, out_dir, label):
    """Every table row has as many cells as its header: GFM splits a row at
    each '|' not preceded by a backslash (inside code spans too), and
    renders a row of too many or too few cells without a word, so the rows
    are counted in the text; and cmark-gfm renders each page."""
    for f in sorted(os.listdir(out_dir)):
        if not f.endswith(".md"):
            continue
        header = None
        for n, line in enumerate(read(os.path.join(out_dir, f)).split("\n"), 1):
            if not line.startswith("|"):
                header = None
                continue
            cells = len(CELL_SEPARATOR.findall(line))
            if header is None:
                header = cells
            F.check(cells == header, "markdown",
                    f"{label}: {f}:{n}: a row of {cells - 1} cells under a header of {header - 1}")
        t, _ = render(cmark, os.path.join(out_dir, f))
        F.check(all(len({len(row) for row in table}) == 1 for table in t.tables), "markdown",
                f"{label}: {f}: cmark-gfm renders a table with rows of different lengths")


def check_escaping(F, cmark, out_dir):
    """The texts of markdown-escaping.yaml come out of cmark-gfm as written."""
    t, page = render(cmark, os.path.join(out_dir, "tables.md"))
    paragraphs = t.tags.get("p", [])
    for what, text in ESCAPING_TEXTS:
        F.check(text in paragraphs, "markdown", f"{what} is not a paragraph as written: {text!r}")
    F.check("pipe_event.x 1.0.0" in t.tags.get("h2", []), "markdown", "the section heading")
    for tag in ("em", "strong", "del", "i", "b", "img"):
        # (the pages' own bold labels, "**Status:**", end in a colon)
        texts = [x for x in t.tags.get(tag, []) if not (tag == "strong" and x.endswith(":"))]
        F.check(not texts, "markdown", f"catalog text became <{tag}>: {texts[:3]}")
    F.check('href="x"' not in page, "markdown", "catalog text became a link")
    F.check("&amp;amp;" in page, "markdown", "'&amp;' in a text is not shown as written")

    t_index, _ = render(cmark, os.path.join(out_dir, "README.md"))
    stated = [row for table in t_index.tables for row in table if row[0][1] == ["stated"]]
    F.check(len(stated) == 1 and stated[0][2][1] == ["/ver`"], "markdown",
            f"the version member of wire stated is not shown as /ver`: {stated}")

    rows = {}
    for table in t.tables:
        if table and [c[0] for c in table[0]][:2] == ["property", "type"]:
            for row in table[1:]:
                codes = row[0][1]
                rows.setdefault(codes[0] if codes else row[0][0], []).append(row)
    ab = rows.get('"a|b"', [None])[0]
    if F.check(ab is not None, "markdown", 'no row for the key "a|b"'):
        F.check(ab[4][0] == "a | b, `c`, <d> & e", "markdown", f"the description of a|b: {ab[4][0]!r}")
    choice = rows.get("choice", [None])[0]
    if F.check(choice is not None, "markdown", "no row for choice"):
        F.check(choice[3][1] == ['"x|y"', '"`tick`"', '" spaced "'], "markdown",
                f"the values of choice: {choice[3][1]}")
    note = rows.get("note", [None])[0]
    if F.check(note is not None, "markdown", "no row for note"):
        F.check(note[4][0] == "backslash \\| before a pipe", "markdown",
                f"the description of note: {note[4][0]!r}")
    for key in ('"dotted.key"', '"with space"', "from.y", "to", "path", "tags"):
        F.check(key in rows, "markdown", f"no row for {key}")
    to = rows.get("to", [None])[0]
    if to:
        F.check(to[4][1] == ["from"], "markdown", f"the second use of point does not point at from: {to}")


# MARK: files, --check, usage

def check_files(F, evgen, catalog, model, tmp):
    out = os.path.join(tmp, "files")
    r = run([evgen, "--emit", "docs", "-o", out, catalog])
    if not F.check(r.returncode == 0, "files", f"evgen --emit docs: {r.stderr}"):
        return None
    F.check(set(os.listdir(out)) == expected_files(model), "files",
            f"files {sorted(os.listdir(out))}, expected {sorted(expected_files(model))}")
    r = run([evgen, "--emit", "docs", "--check", "-o", out, catalog])
    F.check(r.returncode == 0 and r.stderr == "", "files", f"--check right after writing: {r.stderr}")

    stamps = {f: os.stat(os.path.join(out, f)).st_mtime_ns for f in os.listdir(out)}
    changed = os.path.join(out, "README.md")
    with open(changed, "a", encoding="utf-8") as fh:
        fh.write("edited\n")
    removed = os.path.join(out, "timeline.svg")
    os.unlink(removed)
    r = run([evgen, "--emit", "docs", "--check", "-o", out, catalog])
    F.check(r.returncode == 1 and f"{changed}: out of date" in r.stderr and f"{removed}: missing"
            in r.stderr and r.stderr.count("\n") == 2, "files",
            f"--check after an edit and a removal: status {r.returncode}, {r.stderr!r}")
    r = run([evgen, "--emit", "docs", "-o", out, catalog])
    others = [f for f in stamps if f not in ("README.md", "timeline.svg")]
    F.check(r.returncode == 0 and all(os.stat(os.path.join(out, f)).st_mtime_ns == stamps[f]
                                      for f in others), "files",
            "rewriting touched files that had not changed")
    r = run([evgen, "--emit", "docs", "--check", "-o", out, catalog])
    F.check(r.returncode == 0, "files", f"--check after rewriting: {r.stderr}")

    # Only the catalog's file name shows: the same output from another path.
    other = os.path.join(tmp, "files-abs")
    r = run([evgen, "--emit", "docs", "-o", other, os.path.abspath(catalog)])
    same = r.returncode == 0 and all(read(os.path.join(out, f)) == read(os.path.join(other, f))
                                     for f in os.listdir(out))
    F.check(same, "files", "the output depends on the directory the catalog is named from")
    return out


def check_committed(F, evgen, catalog, model, committed):
    present = set(os.listdir(committed)) if os.path.isdir(committed) else set()
    F.check(present == expected_files(model), "committed",
            f"{committed} holds {sorted(present)}, expected {sorted(expected_files(model))} "
            f"(regenerate: make docs)")
    r = run([evgen, "--emit", "docs", "--check", "-o", committed, catalog])
    F.check(r.returncode == 0, "committed", f"{committed} is stale (regenerate: make docs): {r.stderr}")


def check_usage(F, evgen, catalog, tmp):
    out = os.path.join(tmp, "usage")
    cases = [
        (["--emit", "docs", "--prefix", "x"], "--emit docs takes no --prefix"),
        (["--emit", "docs", "--templates", "templates"], "--emit docs takes no --templates"),
        (["--today", "2026-01-01"], "--today applies to --emit docs only"),
        (["--emit", "jsonschema", "--today", "2026-01-01"], "--today applies to --emit docs only"),
        (["--emit", "docs", "--today", "2026-02-30"], "--today '2026-02-30': expected a date YYYY-MM-DD"),
        (["--emit", "docs", "--today", "tomorrow"], "--today 'tomorrow': expected a date YYYY-MM-DD"),
        (["--emit", "docs", "--today"], "option '--today' needs an argument"),
        (["--emit", "doc"], "--emit 'doc': expected c, jsonschema or docs"),
    ]
    for args, message in cases:
        argv = [evgen] + args + (["-o", out] if args[-1] != "--today" else [])
        if args[-1] != "--today":
            argv.append(catalog)
        r = run(argv)
        F.check(r.returncode == 2 and message in r.stderr and not os.path.exists(out), "usage",
                f"evgen {' '.join(args)}: status {r.returncode}, {r.stderr!r}")
    r = run([evgen, "--help"])
    F.check("--emit KIND" in r.stdout and "docs" in r.stdout and "--today DATE" in r.stdout, "usage",
            "--help does not describe --emit docs and --today")

    readme = os.path.join(tmp, "readme.yaml")
    with open(readme, "w", encoding="utf-8") as fh:
        fh.write("format: 1\nproducts: [readme]\nevents:\n  - name: e\n    product: readme\n"
                 "    direction: received\n    versions:\n      - {version: 1.0.0, status: active, "
                 "active: 2025-01-01, properties: {x: string}}\n")
    r = run([evgen, "--emit", "docs", "-o", out, readme])
    F.check(r.returncode == 1 and "product 'readme' would be written to readme.md" in r.stderr
            and not os.path.exists(out), "usage", f"a product named readme: {r.returncode} {r.stderr!r}")


def many_versions_catalog(path, count):
    """One product, one event of `count` versions, each with one property."""
    out = ["format: 1\nproducts: [p]\nevents:\n  - name: many\n    product: p\n"
           "    direction: received\n    versions:\n"]
    for i in range(count):
        out.append(f"      - {{version: 1.{i}.0, status: active, active: 2025-01-01, "
                   "properties: {a: string}}\n")
    with open(path, "w", encoding="utf-8") as fh:
        fh.write("".join(out))


VERSION_LINE = re.compile(r"^- \*\*Version:\*\* (.*)$", re.M)


def check_many_versions(F, evgen, tmp, small=200, large=2000, bytes_per_version=2048):
    """A page grows linearly with the versions of an event: the oldest
    section lists every version, the others link their neighbours and that
    list (a list in every section made 8,000 versions a 1.78 GB page)."""
    sizes = {}
    for count in (small, large):
        catalog = os.path.join(tmp, f"many-{count}.yaml")
        many_versions_catalog(catalog, count)
        out = os.path.join(tmp, f"docs-many-{count}")
        r = run([evgen, "--emit", "docs", "-o", out, catalog])
        if not F.check(r.returncode == 0, "scale", f"{count} versions: {r.stderr}"):
            return
        page = os.path.join(out, "p.md")
        sizes[count] = os.path.getsize(page)
        F.check(sizes[count] < count * bytes_per_version, "scale",
                f"{count} versions: p.md is {sizes[count]} bytes, over {bytes_per_version} a version")
        lines = VERSION_LINE.findall(read(page))
        links = [len(re.findall(r"\]\(#many:", line)) for line in lines]
        F.check(len(lines) == count and links[0] == count - 1 and max(links[1:]) <= 3, "scale",
                f"{count} versions: {len(lines)} version lines, links per line "
                f"{links[:3]}...{max(links[1:] or [0])}")
    F.check(sizes[large] <= sizes[small] * large / small * 1.2, "scale",
            f"p.md grows from {sizes[small]} bytes for {small} versions to {sizes[large]} for "
            f"{large}: more than linearly")


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--evgen", default="build/evgen")
    ap.add_argument("--evdecode", default="build/evdecode")
    ap.add_argument("--catalog", default="catalog.yaml")
    ap.add_argument("--committed", default=None,
                    help="the committed reference of --catalog to check (docs/catalog)")
    ap.add_argument("--cc", default=os.environ.get("CC", "cc"),
                    help="C compiler for the small catalogs' evdecode (default: $CC or cc)")
    ap.add_argument("--cmark", default="cmark-gfm")
    args = ap.parse_args()
    if not shutil.which(args.cmark):
        sys.stderr.write(f"check_docs: {args.cmark} is missing; install it with "
                         f"apt-get install cmark-gfm\n")
        return 1

    F = Failures()
    with tempfile.TemporaryDirectory(prefix="evgen-docs-") as tmp:
        model = dump(args.evgen, args.catalog)
        out = check_files(F, args.evgen, args.catalog, model, tmp)
        if args.committed:
            check_committed(F, args.evgen, args.catalog, model, args.committed)
        check_usage(F, args.evgen, args.catalog, tmp)
        check_many_versions(F, args.evgen, tmp)

        # The catalog itself: decoded by the evdecode built on it.
        if out:
            check_links(F, args.cmark, out, args.catalog)
            check_svg(F, os.path.join(out, "timeline.svg"), model, args.catalog)
            check_markdown(F, args.cmark, out, args.catalog)
            examples = check_sections(F, model, out, args.catalog)
            check_examples(F, args.evdecode, examples, args.catalog)
            F.check(len(examples) >= sum(len(e["versions"]) for e in model["events"]), "examples",
                    f"{args.catalog}: only {len(examples)} examples")
            for today in ("2026-06-01", "2031-02-03", "1999-12-31"):
                dated = os.path.join(tmp, "today-" + today)
                r = run([args.evgen, "--emit", "docs", "--today", today, "-o", dated, args.catalog])
                if F.check(r.returncode == 0, "svg", f"--today {today}: {r.stderr}"):
                    check_svg(F, os.path.join(dated, "timeline.svg"), model,
                              f"{args.catalog} --today {today}", today)
                    F.check(all(read(os.path.join(dated, f)) == read(os.path.join(out, f))
                                for f in os.listdir(out) if f.endswith(".md")), "files",
                            f"--today {today} changed a page, not only the timeline")

        # Every other catalog: pages, links and timeline; the small ones'
        # examples through an evdecode of their own (built in parallel).
        catalogs = sorted(glob.glob("tests/catalogs/*.yaml")) + ["examples/shop/catalog.yaml"]
        with ThreadPoolExecutor(max_workers=os.cpu_count() or 2) as pool:
            tools = {c: pool.submit(build_evdecode, args.cc, args.evgen, c, tmp)
                     for c in EVDECODE_CATALOGS}
            for catalog in catalogs:
                cmodel = dump(args.evgen, catalog)
                cout = os.path.join(tmp, "docs-" + os.path.basename(os.path.dirname(catalog))
                                    + "-" + os.path.basename(catalog))
                r = run([args.evgen, "--emit", "docs", "-o", cout, catalog])
                if not F.check(r.returncode == 0, "sections", f"{catalog}: {r.stderr}"):
                    continue
                F.check(set(os.listdir(cout)) == expected_files(cmodel), "files",
                        f"{catalog}: files {sorted(os.listdir(cout))}")
                check_links(F, args.cmark, cout, catalog)
                check_svg(F, os.path.join(cout, "timeline.svg"), cmodel, catalog)
                check_markdown(F, args.cmark, cout, catalog)
                examples = check_sections(F, cmodel, cout, catalog)
                if catalog in tools:
                    tool, err = tools[catalog].result()
                    if F.check(tool is not None, "examples", f"{catalog}: building evdecode: {err}"):
                        check_examples(F, tool, examples, catalog)
                if catalog == ESCAPING_CATALOG:
                    check_escaping(F, args.cmark, cout)
                    F.check("The example is left out: it would be over" in
                            read(os.path.join(cout, "tables.md")), "examples",
                            "the too large example of markdown-escaping.yaml is shown")

    for group in sorted(F.counts):
        ok, bad = F.counts[group]
        print(f"  {group:10} {ok} passed, {bad} failed")
    print(f"check_docs: {F.passed} passed, {F.failed} failed")
    return 1 if F.failed else 0


if __name__ == "__main__":
    sys.exit(main())
