# JSON Schema output (evgen --emit jsonschema, docs/jsonschema.md), checked
# against the samples, the event streams and evgen's own parsers.
#   make check-jsonschema   tests/tools/check_jsonschema.py: every sample and
#                           valid.jsonl document validates, mutated payloads
#                           and envelopes are rejected by the schemas and by
#                           evdecode alike, all-versions.jsonl gets the same
#                           verdicts (but for the documented limits), and a
#                           small catalog of its own, built with examples/
#                           evdecode.c, covers what catalog.yaml does not use
#   make jsonschema         writes the schemas of $(CATALOG) to $(JSONSCHEMA_DIR)
# Needs Python 3 with the `jsonschema` package (Debian: python3-jsonschema,
# installed here when missing and running as root, like `make deps`).

JSONSCHEMA_DIR      ?= $(BUILD)/jsonschema
JSONSCHEMA_PACKAGES := python3 python3-jsonschema
# The first Python that imports jsonschema: python3 on PATH, else Debian's
# (python3-jsonschema installs for /usr/bin/python3 only). Expanded when the
# recipe runs, after jsonschema-deps.
JSONSCHEMA_PYTHON ?= $(shell for p in python3 /usr/bin/python3; do \
                       $$p -c 'import jsonschema' >/dev/null 2>&1 && { echo $$p; exit 0; }; \
                     done; echo python3)

.PHONY: check-jsonschema jsonschema jsonschema-deps

# Installs nothing when some Python already has the package.
jsonschema-deps:
	@for p in python3 /usr/bin/python3; do \
	  $$p -c 'import jsonschema' >/dev/null 2>&1 && exit 0; \
	done; sh mk/install-packages.sh $(JSONSCHEMA_PACKAGES)

check-jsonschema: $(BUILD)/evgen $(BUILD)/evdecode | jsonschema-deps
	$(JSONSCHEMA_PYTHON) tests/tools/check_jsonschema.py --evgen $(BUILD)/evgen \
	  --evdecode $(BUILD)/evdecode --catalog $(CATALOG) --cc "$(CC)"

jsonschema: $(BUILD)/evgen
	$(BUILD)/evgen --emit jsonschema -o $(JSONSCHEMA_DIR) $(CATALOG)

test-parallel: check-jsonschema
