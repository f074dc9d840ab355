# The Markdown reference of the catalog (evgen --emit docs,
# docs/reference-docs.md), committed under docs/catalog/ like generated/:
#   make docs         regenerates $(DOCS_DIR) (plain `make` does too)
#   make check-docs   (part of make test) $(DOCS_DIR) holds exactly what evgen
#                     writes now, and tests/tools/check_docs.py: every event
#                     version has a section, every example document is
#                     accepted by evdecode, the timeline is well-formed SVG
#                     (with and without --today), Markdown escaping holds as
#                     cmark-gfm renders it (tests/catalogs/markdown-escaping.yaml),
#                     --check and the usage errors; and evgen --emit docs runs
#                     clean under valgrind
# Needs python3 and cmark-gfm (GitHub's Markdown renderer; installed here
# when missing and running as root, like `make deps`).

DOCS_DIR      := docs/catalog
DOCS_STAMP    := $(BUILD)/docs.stamp
DOCS_PACKAGES := python3 cmark-gfm

.PHONY: docs check-docs docs-deps

# As for generated/: evgen rewrites only changed files, so the stamp says
# whether the reference is up to date.
$(DOCS_STAMP): $(BUILD)/evgen $(CATALOG)
	$(BUILD)/evgen --emit docs -o $(DOCS_DIR) $(CATALOG)
	@touch $@

docs: $(DOCS_STAMP)

regen: $(DOCS_STAMP)

docs-deps:
	@sh mk/install-packages.sh $(DOCS_PACKAGES)

# The emitter under memcheck too ($(VALGRIND): mk/tests.mk), with a today line.
check-docs: $(BUILD)/evgen $(BUILD)/evdecode | docs-deps
	$(BUILD)/evgen --emit docs --check -o $(DOCS_DIR) $(CATALOG)
	@rm -rf $(BUILD)/docs-valgrind
	@$(VALGRIND) $(BUILD)/evgen --emit docs --today 2026-06-01 -o $(BUILD)/docs-valgrind $(CATALOG)
	python3 tests/tools/check_docs.py --evgen $(BUILD)/evgen --evdecode $(BUILD)/evdecode \
	  --catalog $(CATALOG) --committed $(DOCS_DIR) --cc "$(CC)"

test-parallel: check-docs
