# Test suites, all cmocka, all built with ASan + UBSan and run from the
# repository root (so they can open catalog.yaml, tests/bad/, tests/samples/).
#   tests/test_gen_*.c  exercise the generator; linked with its objects
#   tests/test_rt_*.c   exercise the generated code; linked with generated/*.c
# Suites that drive the tools find them as build/evgen-san and build/evdecode-san.
GEN_TEST_SRCS := $(sort $(wildcard tests/test_gen_*.c))
RT_TEST_SRCS  := $(sort $(wildcard tests/test_rt_*.c))
GEN_TESTS := $(GEN_TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
RT_TESTS  := $(RT_TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_CFLAGS = $(CFLAGS) $(SANITIZE) $(CMOCKA_CFLAGS) $(YAML_CFLAGS) -Igenerator -I$(GEN_DIR) -Itests

$(BUILD)/tests/test_gen_%: tests/test_gen_%.c $(GEN_OBJS_SAN) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $< $(GEN_OBJS_SAN) $(YAML_LIBS) $(CMOCKA_LIBS) -o $@

# The generated sources are compiled once (sanitized) and shared by every
# suite, at -O1: under the sanitizers events.c compiles in 0.64x the time of
# -O2, and the suites do not run long enough to win it back.
SAN_OPT := -O1 -g
GENERATED_OBJS_SAN := $(GENERATED_C:%.c=$(BUILD)/san/%.o)
$(BUILD)/san/$(GEN_DIR)/%.o: $(GEN_DIR)/%.c $(GENERATED_H)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(SAN_OPT) $(SANITIZE) -I$(GEN_DIR) -c $< -o $@

$(BUILD)/tests/test_rt_%: tests/test_rt_%.c $(GENERATED_OBJS_SAN) $(wildcard tests/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $< $(GENERATED_OBJS_SAN) $(CMOCKA_LIBS) -o $@

# The same parsers without vector instructions (-DEVG_NO_SIMD: the 8-bytes-
# at-a-time scan in plain C), for the suites that parse the most.
NOSIMD_TESTS := $(BUILD)/tests/test_rt_invalid-nosimd $(BUILD)/tests/test_rt_samples-nosimd \
                $(BUILD)/tests/test_rt_dispatch-nosimd
GENERATED_OBJS_NOSIMD := $(GENERATED_C:%.c=$(BUILD)/san-nosimd/%.o)
$(BUILD)/san-nosimd/$(GEN_DIR)/%.o: $(GEN_DIR)/%.c $(GENERATED_H)
	@mkdir -p $(dir $@)
	$(CC) $(CSTD) $(WARN) $(SAN_OPT) $(SANITIZE) -DEVG_NO_SIMD -I$(GEN_DIR) -c $< -o $@

$(BUILD)/tests/test_rt_%-nosimd: tests/test_rt_%.c $(GENERATED_OBJS_NOSIMD) $(wildcard tests/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -DEVG_NO_SIMD $< $(GENERATED_OBJS_NOSIMD) $(CMOCKA_LIBS) -o $@

# The generated sources must compile as a downstream project would compile
# them: pedantic C11 with gcc and clang, and C99.
PEDANTIC := -Wall -Wextra -Wpedantic -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes -Wcast-qual -Wvla
check-generated-compiles:
	@for f in $(GEN_DIR)/*.c runtime/*.c; do \
	  gcc -std=c11 $(PEDANTIC) -O2 -c $$f -o /dev/null || exit 1; \
	  gcc -std=c99 $(PEDANTIC) -O2 -c $$f -o /dev/null || exit 1; \
	  clang -std=c11 $(PEDANTIC) -O2 -c $$f -o /dev/null || exit 1; \
	done; echo "generated/ and runtime/ compile: gcc c11, gcc c99, clang c11"

test-deps: deps
	@sh mk/install-packages.sh $(TEST_PACKAGES)

# `make test` builds and runs the checks and the suites in parallel (one job
# per core: the sanitized builds are most of its time); each suite's output
# goes to build/test-logs/SUITE.log and is shown when it fails. Then it runs
# check-downstream, which installs evgen itself. Other makefiles add checks
# as prerequisites of test-parallel. `make test-suites` runs the suites one
# after the other with their output on the terminal.
NPROC ?= $(shell nproc 2>/dev/null || echo 2)
test: test-deps
	@$(MAKE) --no-print-directory -j$(NPROC) test-parallel
	@$(MAKE) --no-print-directory check-downstream
	@echo "all tests passed"

SUITES      := $(GEN_TESTS) $(RT_TESTS) $(NOSIMD_TESTS)
SUITE_RUNS  := $(SUITES:$(BUILD)/tests/%=run-suite-%)
SUITE_ENV   := ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1

test-parallel: $(BUILD)/evgen $(BUILD)/evgen-san $(BUILD)/evdecode-san $(SUITE_RUNS) check-generated check-generated-compiles check-valgrind check-generic

$(SUITE_RUNS): run-suite-%: $(BUILD)/tests/% $(BUILD)/evgen-san $(BUILD)/evdecode-san
	@mkdir -p $(BUILD)/test-logs
	@$(SUITE_ENV) $< > $(BUILD)/test-logs/$*.log 2>&1 || \
	  { cat $(BUILD)/test-logs/$*.log; echo "FAILED: $<"; exit 1; }
	@echo "ok: $< ($$(grep -c '^\[       OK \]' $(BUILD)/test-logs/$*.log) tests)"

test-suites: $(SUITES)
	@set -e; for t in $(SUITES); do \
	  echo "== $$t"; $(SUITE_ENV) $$t; \
	done

# evgen as another project uses it: installed into a temporary prefix, then
# examples/downstream built with the make fragment and the CMake package,
# from scratch, as a no-op, after a touch and after a change
# (docs/downstream.md). After the suites: it runs `make install` itself.
check-downstream: $(BUILD)/evgen $(BUILD)/evdecode
	@sh tests/tools/check_downstream.sh

check-generated: $(BUILD)/evgen
	$(BUILD)/evgen --check -o $(GEN_DIR) $(CATALOG)
	@for f in $(RUNTIME); do cmp $$f $(GEN_DIR)/$$(basename $$f) || exit 1; done; \
	  echo "generated/ is up to date; its runtime is runtime/ byte for byte"

# The unsanitized tools under memcheck: generating, and a mixed stream with
# invalid lines (evdecode exits 1 for those; 9 would be a memcheck error).
VALGRIND := valgrind --error-exitcode=9 --leak-check=full --errors-for-leak-kinds=definite,indirect -q
check-valgrind: $(BUILD)/evgen $(BUILD)/evdecode
	@$(VALGRIND) $(BUILD)/evgen --check -o $(GEN_DIR) $(CATALOG) >/dev/null
	@$(VALGRIND) $(BUILD)/evdecode --date 2026-11-21 tests/streams/all-versions.jsonl >/dev/null 2>&1; \
	  test $$? -eq 1 || { echo "evdecode under valgrind failed"; exit 1; }
	@echo "valgrind: evgen and evdecode clean"

# evgen is a generator for anyone's catalog: everything 8x8 lives in
# catalog.yaml and reaches the output through the templates, never through
# the generator's C or the runtime.
CATALOG_WORDS := 8x8|maestro|mashell|agent.workspace|call.manager|partner.sdk|sendEvent|eventType
check-generic:
	@if grep -rniE '$(CATALOG_WORDS)' generator/ templates/ runtime/; then \
	  echo "the generator, its templates or the runtime name something of one catalog (above)"; exit 1; \
	fi; echo "generator/, templates/ and runtime/ hold no catalog's names"

.PHONY: check-downstream test-deps test-parallel test-suites $(SUITE_RUNS) check-generated check-generated-compiles check-valgrind check-generic

# Limits the cmocka suites cannot show: evdecode under an address-space
# limit (a 700 MB line in 400 MB), and evgen killed by SIGTERM or SIGINT at
# exact points of writing its output set (with strace; skipped without it).
# The unsanitized tools: AddressSanitizer reserves more address space than
# the limit, and is not what is being tested.
check-evdecode-limits: $(BUILD)/evdecode
	@EVDECODE=$(BUILD)/evdecode sh tests/tools/check_evdecode_limits.sh

check-evgen-interrupted: $(BUILD)/evgen
	@EVGEN=$(BUILD)/evgen sh tests/tools/check_evgen_interrupted.sh

test-parallel: check-evdecode-limits check-evgen-interrupted
.PHONY: check-evdecode-limits check-evgen-interrupted
