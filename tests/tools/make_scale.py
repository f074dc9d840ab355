#!/usr/bin/env python3
"""Writes the adversarial catalogs the generator must handle in bounded
time and memory (docs/reliability.md, "Generator limits"), scaled by a
factor: 1 for the sizes `make check-scale` times, smaller ones for
`make test`.

    make_scale.py OUT_DIR SCALE_PERCENT CATALOG

Catalogs written (N values at 100%):
  prefix-keys.yaml   one event with 512 properties sharing a 20-byte prefix
  many-events.yaml   10,000 events named ev-00000..ev-09999
  enum-20k.yaml      one enum of 20,000 values
  enum-200k.yaml     one enum of 200,000 values
  catalog-100x.yaml  CATALOG's events 100 times over (renamed copies)
The text is built line by line, not through a YAML library, so this needs
nothing but python3."""
import os
import re
import sys

HEAD = """format: 1
events:
"""


def version(props):
    return ("    direction: received\n"
            "    versions:\n"
            "      - version: 1.0.0\n"
            "        status: active\n"
            "        active: 2025-01-01\n"
            "        properties:\n" + props)


def prefix_keys(n):
    props = "".join("          pxxxxxxxxxxxxxxxxxxxx%05d: string?\n" % i for i in range(n))
    return HEAD + "  - name: wide\n" + version(props)


def many_events(n):
    out = [HEAD]
    for i in range(n):
        out.append("  - name: ev-%05d\n" % i)
        out.append(version("          id: string\n"))
    return "".join(out)


def big_enum(n):
    values = ", ".join("v%06d" % i for i in range(n))
    return HEAD + "  - name: big-enum\n" + version("          kind: {type: enum, values: [%s]}\n" % values)


def catalog_copies(catalog, copies):
    """CATALOG with its events repeated under new names. Events whose wire
    fixes their name (a wire without a name member, a response naming its
    request by a constant, the directive) stay single."""
    text = open(catalog, encoding="utf-8").read()
    head, sep, events = text.partition("\nevents:\n")
    blocks = re.split(r"(?m)^(?=  - name: )", events)
    preamble, blocks = blocks[0], blocks[1:]
    nameless = {"partner-sdk-error"}
    out = [head, sep, preamble]
    out.extend(blocks)
    for k in range(1, copies):
        for b in blocks:
            if any(w in b for w in nameless) or "maestro-directive" in b or "partner-sdk-response" in b:
                continue
            out.append(re.sub(r"(?m)^  - name: (\S+)", r"  - name: \1-x%d" % k, b, count=1))
    return "".join(out)


def main():
    out_dir, percent, catalog = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    os.makedirs(out_dir, exist_ok=True)
    scale = lambda n: max(2, n * percent // 100)
    files = {
        "prefix-keys.yaml": prefix_keys(512 if percent >= 10 else 300),
        "many-events.yaml": many_events(scale(10000)),
        "enum-20k.yaml": big_enum(scale(20000)),
        "enum-200k.yaml": big_enum(scale(200000)),
        "catalog-100x.yaml": catalog_copies(catalog, max(2, percent)),
    }
    for name, text in files.items():
        with open(os.path.join(out_dir, name), "w", encoding="utf-8") as f:
            f.write(text)


main()
