# Edge-case catalogs (and, through a link, the example shop catalog): every
# valid catalog in tests/catalogs/ must generate C
# that compiles cleanly (gcc -std=c11 and -std=c99, clang -std=c11, pedantic,
# warnings are errors), links and runs. tests/tools/compile_catalogs.sh does
# the work, in $(BUILD)/catalogs/; it stops at the first failure.
#   make check-catalogs
#   KEEP_GOING=1 sh tests/tools/compile_catalogs.sh   (every catalog, then fail)
.PHONY: check-catalogs
check-catalogs: $(BUILD)/evgen
	@EVGEN=$(BUILD)/evgen OUT=$(BUILD)/catalogs sh tests/tools/compile_catalogs.sh

test-parallel: check-catalogs
