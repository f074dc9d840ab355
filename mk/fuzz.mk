# libFuzzer target for the generated parsers and serializers; see docs/fuzzing.md.
#   make fuzz-build   build build/fuzz/fuzz_parse_any (clang, ASan + UBSan + libFuzzer)
#   make fuzz         build, write the seed corpus, fuzz for FUZZ_SECONDS
#   make fuzz-msan    the same target under MemorySanitizer (uninitialized reads)
#   make fuzz-dict    rewrite tests/fuzz/json.dict from `evgen --dump`
# Neither is part of `make` or `make test`; tests/test_rt_regressions.c
# replays tests/fuzz/regressions through the same checks under `make test`.
#   FUZZ_SECONDS=300  how long `make fuzz` runs
#   FUZZ_JOBS=1       libFuzzer -jobs/-workers (one core by default); 0 runs the
#                     fuzzer in make's own process, e.g. to fuzz past a known
#                     bug: make fuzz FUZZ_JOBS=0 FUZZ_ARGS='-fork=1 -ignore_crashes=1'
#   FUZZ_MAX_LEN=8192 longest input libFuzzer makes
#   FUZZ_GEN_DIR=...  fuzz other generated sources (default: generated/)
#   FUZZ_ARGS=...     more libFuzzer flags, e.g. -seed=1 or -runs=N

FUZZ_DIR      := $(BUILD)/fuzz
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 300
FUZZ_JOBS     ?= 1
FUZZ_MAX_LEN  ?= 8192
FUZZ_TIMEOUT  ?= 10
FUZZ_ARGS     ?=
FUZZ_GEN_DIR  ?= $(GEN_DIR)
FUZZ_CFLAGS   := $(CSTD) $(WARN) -O2 -g -D_POSIX_C_SOURCE=200809L -I$(FUZZ_GEN_DIR) -Itests
FUZZ_SAN      := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_MSAN     := -fsanitize=fuzzer,memory -fsanitize-memory-track-origins -fno-omit-frame-pointer
FUZZ_SRCS      = tests/fuzz/fuzz_parse_any.c $(wildcard $(FUZZ_GEN_DIR)/*.c)
FUZZ_DEPS      = $(FUZZ_SRCS) tests/fuzz/fuzz_check.h $(wildcard $(FUZZ_GEN_DIR)/*.h)

# Seeds: tests/samples in their envelopes and bare, the hand-made inputs of
# tests/fuzz/regressions except known-bug-* (which would stop the run at once).
# libFuzzer writes what it finds to $(FUZZ_DIR)/work, kept between runs.
FUZZ_RUN_ARGS = -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) -max_len=$(FUZZ_MAX_LEN) \
                -dict=$(CURDIR)/tests/fuzz/json.dict -artifact_prefix=$(CURDIR)/$(FUZZ_DIR)/artifacts/ \
                -print_final_stats=1 $(FUZZ_ARGS) $(CURDIR)/$(FUZZ_DIR)/work $(CURDIR)/$(FUZZ_DIR)/corpus

ifeq ($(FUZZ_JOBS),0)
FUZZ_MODE_ARGS :=
else
FUZZ_MODE_ARGS := -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)
endif

.PHONY: fuzz fuzz-build fuzz-corpus fuzz-msan fuzz-dict

fuzz-build: $(FUZZ_DIR)/fuzz_parse_any

$(FUZZ_DIR)/fuzz_parse_any: $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) $(FUZZ_SRCS) -lm -o $@

$(FUZZ_DIR)/fuzz_parse_any_msan: $(FUZZ_DEPS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_MSAN) $(FUZZ_SRCS) -lm -o $@

$(FUZZ_DIR)/dump.json: $(BUILD)/evgen $(CATALOG)
	@mkdir -p $(dir $@)
	$(BUILD)/evgen --dump $(CATALOG) > $@.tmp && mv $@.tmp $@

fuzz-corpus: $(FUZZ_DIR)/dump.json
	rm -rf $(FUZZ_DIR)/corpus
	python3 tests/fuzz/make_corpus.py $(FUZZ_DIR)/dump.json tests/samples $(FUZZ_DIR)/corpus tests/fuzz/regressions

fuzz-dict: $(FUZZ_DIR)/dump.json
	python3 tests/fuzz/make_dict.py $(FUZZ_DIR)/dump.json > tests/fuzz/json.dict

# -jobs runs the fuzzer in a child process whose output goes to fuzz-N.log
# (in $(FUZZ_DIR)); its tail is shown at the end. Crashes land in
# $(FUZZ_DIR)/artifacts/; minimize with
#   build/fuzz/fuzz_parse_any -minimize_crash=1 -runs=100000 CRASH_FILE
fuzz: fuzz-build fuzz-corpus
	@mkdir -p $(FUZZ_DIR)/work $(FUZZ_DIR)/artifacts
	@echo "fuzzing for $(FUZZ_SECONDS)s, $(FUZZ_JOBS) job(s); crashes go to $(FUZZ_DIR)/artifacts/"
	@cd $(FUZZ_DIR) && rm -f fuzz-*.log && rc=0; \
	./fuzz_parse_any $(FUZZ_MODE_ARGS) $(FUZZ_RUN_ARGS) || rc=$$?; \
	if ls fuzz-*.log >/dev/null 2>&1; then tail -n 8 fuzz-*.log; fi; exit $$rc

fuzz-msan: $(FUZZ_DIR)/fuzz_parse_any_msan fuzz-corpus
	@mkdir -p $(FUZZ_DIR)/work $(FUZZ_DIR)/artifacts
	@cd $(FUZZ_DIR) && rm -f fuzz-*.log && rc=0; \
	./fuzz_parse_any_msan $(FUZZ_MODE_ARGS) $(FUZZ_RUN_ARGS) || rc=$$?; \
	if ls fuzz-*.log >/dev/null 2>&1; then tail -n 8 fuzz-*.log; fi; exit $$rc

# The replay suite (built by mk/tests.mk) includes tests/fuzz/fuzz_check.h.
$(BUILD)/tests/test_rt_regressions: tests/fuzz/fuzz_check.h
