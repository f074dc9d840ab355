# evgen diff OLD NEW (docs/diff.md): what changed between two catalogs and
# what it breaks.
#   make check-diff   tests/tools/check_diff.py: the cases of
#                     tests/diff/cases.txt (every rule, unbumped and bumped,
#                     and the real 2025 -> today upstream history) run by
#                     the sanitized evgen, text and JSON; usage and catalog
#                     errors; a large catalog pair timed with the plain evgen
#   make diff-2025    the upstream history: tests/diff/catalog-2025.yaml ->
#                     $(CATALOG), as a reader would run it
# Needs python3 (a TEST_PACKAGES entry).
.PHONY: check-diff diff-2025

check-diff: $(BUILD)/evgen-san $(BUILD)/evgen
	@python3 tests/tools/check_diff.py --evgen $(BUILD)/evgen-san --scale-evgen $(BUILD)/evgen

diff-2025: $(BUILD)/evgen
	$(BUILD)/evgen diff tests/diff/catalog-2025.yaml $(CATALOG)

test-parallel: check-diff
