# libFuzzer targets (clang, ASan + UBSan + libFuzzer); see docs/fuzzing.md.
#   make fuzz            every target below, FUZZ_SECONDS each, one after the other
#   make fuzz-any        ev_parse_any / ev_parse_bare         (tests/fuzz/fuzz_parse_any.c)
#   make fuzz-root       each event's _parse / _parse_wire    (tests/fuzz/fuzz_parse_root.c)
#   make fuzz-roundtrip  structs filled from bytes, serialized (tests/fuzz/fuzz_roundtrip.c)
#   make fuzz-catalog    evgen's YAML loader and checks       (tests/fuzz/fuzz_catalog.c)
#   make fuzz-template   evgen's template engine              (tests/fuzz/fuzz_template.c)
#   make fuzz-build      build them all, run nothing
#   make fuzz-msan       fuzz-any under MemorySanitizer (uninitialized reads)
#   make fuzz-dict       rewrite tests/fuzz/json.dict from `evgen --dump`
# Neither is part of `make` or `make test`; the replay suites
# tests/test_rt_regressions.c and tests/test_gen_regressions.c run every
# tests/fuzz/regressions*/ input through the same checks under `make test`.
#   FUZZ_SECONDS=300  how long each target runs
#   FUZZ_JOBS=1       libFuzzer -jobs/-workers (one core by default); 0 runs the
#                     fuzzer in make's own process, e.g. to fuzz past a known
#                     bug: make fuzz-any FUZZ_JOBS=0 FUZZ_ARGS='-fork=1 -ignore_crashes=1'
#   FUZZ_MAX_LEN=     longest input libFuzzer makes (default per target, below)
#   FUZZ_GEN_DIR=...  fuzz other generated sources (default: generated/); the
#                     per-event tables are rendered from $(CATALOG) regardless
#   FUZZ_ARGS=...     more libFuzzer flags, e.g. -seed=1 or -runs=N

FUZZ_DIR      := $(BUILD)/fuzz
FUZZ_CC       ?= clang
FUZZ_SECONDS  ?= 300
FUZZ_JOBS     ?= 1
FUZZ_TIMEOUT  ?= 10
FUZZ_ARGS     ?=
FUZZ_GEN_DIR  ?= $(GEN_DIR)
FUZZ_TARGETS  := any root roundtrip catalog template
FUZZ_CFLAGS   := $(CSTD) $(WARN) -O2 -g -D_POSIX_C_SOURCE=200809L
FUZZ_SAN      := -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
# Library code gets the coverage instrumentation without a main.
FUZZ_SAN_LIB  := -fsanitize=fuzzer-no-link,address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
FUZZ_MSAN     := -fsanitize=fuzzer,memory -fsanitize-memory-track-origins -fno-omit-frame-pointer

# Per target: binary, dictionary, longest input.
FUZZ_BIN_any       := fuzz_parse_any
FUZZ_BIN_root      := fuzz_parse_root
FUZZ_BIN_roundtrip := fuzz_roundtrip
FUZZ_BIN_catalog   := fuzz_catalog
FUZZ_BIN_template  := fuzz_template
FUZZ_DICT_any       := tests/fuzz/json.dict
FUZZ_DICT_root      := tests/fuzz/json.dict
FUZZ_DICT_roundtrip := tests/fuzz/json.dict
FUZZ_DICT_catalog   := tests/fuzz/yaml.dict
FUZZ_DICT_template  := tests/fuzz/template.dict
FUZZ_LEN_any       := 8192
FUZZ_LEN_root      := 8192
FUZZ_LEN_roundtrip := 4096
FUZZ_LEN_catalog   := 65536
FUZZ_LEN_template  := 16384

# The generated sources, compiled once for the three targets over them.
FUZZ_GEN_SRCS  = $(wildcard $(FUZZ_GEN_DIR)/*.c)
FUZZ_GEN_HDRS  = $(wildcard $(FUZZ_GEN_DIR)/*.h)
FUZZ_GEN_OBJS  = $(FUZZ_GEN_SRCS:$(FUZZ_GEN_DIR)/%.c=$(FUZZ_DIR)/obj/gen/%.o)
$(FUZZ_DIR)/obj/gen/%.o: $(FUZZ_GEN_DIR)/%.c $(FUZZ_GEN_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN_LIB) -I$(FUZZ_GEN_DIR) -c $< -o $@

# The per-event table and the struct fillers, rendered by evgen itself from
# tests/fuzz/templates/ (fuzz_roots.c; fuzz_roots.txt lists the rows).
FUZZ_ROOTS_DIR := $(FUZZ_DIR)/roots
FUZZ_ROOTS_TMPL := $(wildcard tests/fuzz/templates/*.tmpl)
$(FUZZ_ROOTS_DIR)/fuzz_roots.c $(FUZZ_ROOTS_DIR)/fuzz_roots.txt &: $(BUILD)/evgen $(CATALOG) $(FUZZ_ROOTS_TMPL)
	@mkdir -p $(FUZZ_ROOTS_DIR)
	$(BUILD)/evgen --templates tests/fuzz/templates -o $(FUZZ_ROOTS_DIR) $(CATALOG)

$(FUZZ_DIR)/obj/roots.o: $(FUZZ_ROOTS_DIR)/fuzz_roots.c tests/fuzz/fuzz_fill.h $(FUZZ_GEN_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN_LIB) -I$(FUZZ_GEN_DIR) -Itests/fuzz -c $< -o $@

# The generator's objects (evgen without main), for the two targets over it.
FUZZ_TOOL_OBJS := $(GEN_SRCS:%.c=$(FUZZ_DIR)/obj/%.o) $(FUZZ_DIR)/obj/embedded_templates.o \
                  $(FUZZ_DIR)/obj/embedded_runtime.o
$(FUZZ_DIR)/obj/generator/%.o: generator/%.c
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN_LIB) $(YAML_CFLAGS) -Igenerator -MMD -MP -c $< -o $@
$(FUZZ_DIR)/obj/embedded_%.o: $(BUILD)/embedded_%.c generator/embedded_templates.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN_LIB) -Igenerator -c $< -o $@
-include $(wildcard $(FUZZ_DIR)/obj/generator/*.d)

FUZZ_RT_DEPS  = tests/fuzz/fuzz_check.h $(FUZZ_GEN_HDRS) $(FUZZ_GEN_OBJS)
FUZZ_RT_FLAGS = $(FUZZ_CFLAGS) $(FUZZ_SAN) -I$(FUZZ_GEN_DIR) -Itests -Itests/fuzz

$(FUZZ_DIR)/fuzz_parse_any: tests/fuzz/fuzz_parse_any.c $(FUZZ_RT_DEPS)
	$(FUZZ_CC) $(FUZZ_RT_FLAGS) $< $(FUZZ_GEN_OBJS) -lm -o $@

$(FUZZ_DIR)/fuzz_parse_root $(FUZZ_DIR)/fuzz_roundtrip: $(FUZZ_DIR)/%: tests/fuzz/%.c $(FUZZ_RT_DEPS) \
        tests/fuzz/fuzz_roots_check.h tests/fuzz/fuzz_fill.h $(FUZZ_DIR)/obj/roots.o
	$(FUZZ_CC) $(FUZZ_RT_FLAGS) $< $(FUZZ_DIR)/obj/roots.o $(FUZZ_GEN_OBJS) -lm -o $@

$(FUZZ_DIR)/fuzz_catalog $(FUZZ_DIR)/fuzz_template: $(FUZZ_DIR)/%: tests/fuzz/%.c tests/fuzz/fuzz_gen_check.h $(FUZZ_TOOL_OBJS)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_SAN) $(YAML_CFLAGS) -Igenerator -Itests $< $(FUZZ_TOOL_OBJS) $(YAML_LIBS) -lm -o $@

$(FUZZ_DIR)/fuzz_parse_any_msan: tests/fuzz/fuzz_parse_any.c tests/fuzz/fuzz_check.h $(FUZZ_GEN_SRCS) $(FUZZ_GEN_HDRS)
	@mkdir -p $(dir $@)
	$(FUZZ_CC) $(FUZZ_CFLAGS) $(FUZZ_MSAN) -I$(FUZZ_GEN_DIR) -Itests $< $(FUZZ_GEN_SRCS) -lm -o $@

FUZZ_BINS := $(foreach t,$(FUZZ_TARGETS),$(FUZZ_DIR)/$(FUZZ_BIN_$(t)))
fuzz-build: $(FUZZ_BINS)

$(FUZZ_DIR)/dump.json: $(BUILD)/evgen $(CATALOG)
	@mkdir -p $(dir $@)
	$(BUILD)/evgen --dump $(CATALOG) > $@.tmp && mv $@.tmp $@

fuzz-dict: $(FUZZ_DIR)/dump.json
	python3 tests/fuzz/make_dict.py $(FUZZ_DIR)/dump.json > tests/fuzz/json.dict

# Seeds, rewritten on every run (tests/fuzz/make_corpus.py); each target's
# regressions directory joins its seeds, except known-bug-* files (which
# would stop the run at once). libFuzzer writes what it finds to
# $(FUZZ_DIR)/<target>/work, kept between runs.
FUZZ_CATALOG_SEEDS := $(CATALOG) $(wildcard tests/catalogs/*.yaml tests/bad/*.yaml \
                      examples/shop/*.yaml examples/downstream/*.yaml)
FUZZ_TEMPLATE_SEEDS := $(TEMPLATES) $(FUZZ_ROOTS_TMPL)
FUZZ_REGRESSIONS_any := tests/fuzz/regressions
FUZZ_REGRESSIONS_root := tests/fuzz/regressions-root
FUZZ_REGRESSIONS_roundtrip := tests/fuzz/regressions-roundtrip
FUZZ_REGRESSIONS_catalog := tests/fuzz/regressions-catalog
FUZZ_REGRESSIONS_template := tests/fuzz/regressions-template

fuzz-corpus-any: $(FUZZ_DIR)/dump.json
	python3 tests/fuzz/make_corpus.py any --dump $(FUZZ_DIR)/dump.json --samples tests/samples \
	  --regressions $(FUZZ_REGRESSIONS_any) $(FUZZ_DIR)/any/corpus
fuzz-corpus-root: $(FUZZ_DIR)/dump.json $(FUZZ_ROOTS_DIR)/fuzz_roots.txt
	python3 tests/fuzz/make_corpus.py root --dump $(FUZZ_DIR)/dump.json --samples tests/samples \
	  --roots $(FUZZ_ROOTS_DIR)/fuzz_roots.txt --regressions $(FUZZ_REGRESSIONS_root) $(FUZZ_DIR)/root/corpus
fuzz-corpus-roundtrip: $(FUZZ_ROOTS_DIR)/fuzz_roots.txt
	python3 tests/fuzz/make_corpus.py roundtrip --roots $(FUZZ_ROOTS_DIR)/fuzz_roots.txt \
	  --regressions $(FUZZ_REGRESSIONS_roundtrip) $(FUZZ_DIR)/roundtrip/corpus
fuzz-corpus-catalog:
	python3 tests/fuzz/make_corpus.py files --regressions $(FUZZ_REGRESSIONS_catalog) \
	  $(FUZZ_DIR)/catalog/corpus $(FUZZ_CATALOG_SEEDS)
fuzz-corpus-template:
	python3 tests/fuzz/make_corpus.py template --regressions $(FUZZ_REGRESSIONS_template) \
	  $(FUZZ_DIR)/template/corpus $(FUZZ_TEMPLATE_SEEDS)

ifeq ($(FUZZ_JOBS),0)
FUZZ_MODE_ARGS :=
else
FUZZ_MODE_ARGS := -jobs=$(FUZZ_JOBS) -workers=$(FUZZ_JOBS)
endif

# One run of target $(1) with binary $(2): -jobs runs the fuzzer in a child
# process whose output goes to fuzz-N.log in the target's directory; its
# tail is shown at the end. Crashes land in $(FUZZ_DIR)/$(1)/artifacts/;
# minimize with
#   build/fuzz/<binary> -minimize_crash=1 -max_total_time=60 -exact_artifact_path=OUT CRASH
define FUZZ_RUN
	@mkdir -p $(FUZZ_DIR)/$(1)/work $(FUZZ_DIR)/$(1)/artifacts
	@echo "fuzz-$(1): $(FUZZ_SECONDS)s, $(FUZZ_JOBS) job(s); crashes go to $(FUZZ_DIR)/$(1)/artifacts/"
	@cd $(FUZZ_DIR)/$(1) && rm -f fuzz-*.log && rc=0; \
	../$(2) $(FUZZ_MODE_ARGS) -max_total_time=$(FUZZ_SECONDS) -timeout=$(FUZZ_TIMEOUT) \
	  -max_len=$(or $(FUZZ_MAX_LEN),$(FUZZ_LEN_$(1))) -dict=$(CURDIR)/$(FUZZ_DICT_$(1)) \
	  -artifact_prefix=$(CURDIR)/$(FUZZ_DIR)/$(1)/artifacts/ -print_final_stats=1 $(FUZZ_ARGS) \
	  $(CURDIR)/$(FUZZ_DIR)/$(1)/work $(CURDIR)/$(FUZZ_DIR)/$(1)/corpus || rc=$$?; \
	if ls fuzz-*.log >/dev/null 2>&1; then tail -n 8 fuzz-*.log; fi; exit $$rc
endef

define FUZZ_TARGET_RULES
fuzz-$(1): $(FUZZ_DIR)/$(FUZZ_BIN_$(1)) fuzz-corpus-$(1)
	$$(call FUZZ_RUN,$(1),$(FUZZ_BIN_$(1)))
endef
$(foreach t,$(FUZZ_TARGETS),$(eval $(call FUZZ_TARGET_RULES,$(t))))

# Each target in turn (never in parallel: the machine's cores are the
# budget), all of them even when one fails, failing at the end.
fuzz: fuzz-build
	@rc=0; for t in $(FUZZ_TARGETS); do \
	  $(MAKE) --no-print-directory fuzz-$$t || rc=1; \
	done; exit $$rc

fuzz-msan: $(FUZZ_DIR)/fuzz_parse_any_msan fuzz-corpus-any
	$(call FUZZ_RUN,any,fuzz_parse_any_msan)

.PHONY: fuzz fuzz-build fuzz-msan fuzz-dict $(addprefix fuzz-,$(FUZZ_TARGETS)) \
        $(addprefix fuzz-corpus-,$(FUZZ_TARGETS))

# The replay suites include the checks; test_rt_regressions also links the
# rendered per-event table (its pattern rule in mk/tests.mk links only the
# generated code, so this explicit rule takes over).
FUZZ_TEST_ROOTS_DIR := $(BUILD)/tests/fuzz-roots
$(FUZZ_TEST_ROOTS_DIR)/fuzz_roots.c &: $(BUILD)/evgen $(CATALOG) $(FUZZ_ROOTS_TMPL)
	@mkdir -p $(FUZZ_TEST_ROOTS_DIR)
	$(BUILD)/evgen --templates tests/fuzz/templates -o $(FUZZ_TEST_ROOTS_DIR) $(CATALOG)

$(BUILD)/tests/test_rt_regressions: tests/test_rt_regressions.c $(GENERATED_OBJS_SAN) \
        $(FUZZ_TEST_ROOTS_DIR)/fuzz_roots.c $(wildcard tests/*.h tests/fuzz/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) -Itests/fuzz $< $(FUZZ_TEST_ROOTS_DIR)/fuzz_roots.c $(GENERATED_OBJS_SAN) \
	  $(CMOCKA_LIBS) -lm -o $@

$(BUILD)/tests/test_gen_regressions: tests/fuzz/fuzz_gen_check.h
