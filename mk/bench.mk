# Parse benchmark: evgen's generated parsers against cJSON, jansson, json-c
# and simdjson (On-Demand) on three catalog payloads; see docs/benchmarks.md.
#   make bench            validate every parser, then time them (ratios, not claims)
#   make bench-callgrind  instructions per document, evgen vs cJSON, under callgrind
# Neither is part of `make` or `make test`; the peer libraries are needed only here.
#   BENCH_ARGS=...        passed to build/bench/bench (--reps N, --batch-ms MS)
#   BENCH_MARCH=...       extra code-generation flags for all bench code, e.g.
#                         -march=native (simdjson On-Demand is compiled for the
#                         target the flags allow; evgen gets the same flags)
#   BENCH_CG_PARSERS=...  parsers for bench-callgrind (default: evgen cJSON)

BENCH_DIR      := $(BUILD)/bench
BENCH_PACKAGES := libcjson-dev libjansson-dev libjson-c-dev libsimdjson-dev
BENCH_MARCH    ?=
BENCH_ARGS     ?=
BENCH_CG_PARSERS ?= evgen cJSON
BENCH_CFLAGS   := -std=c11 -Wall -Wextra -Werror -O2 $(BENCH_MARCH) -D_POSIX_C_SOURCE=200809L
BENCH_CXXFLAGS := -std=c++17 -Wall -Wextra -Werror -O2 $(BENCH_MARCH)
BENCH_CXX      ?= g++
BENCH_LIBS     := -lcjson -ljansson -ljson-c -lsimdjson

BENCH_OBJS := $(BENCH_DIR)/bench.o $(BENCH_DIR)/peer_cjson.o $(BENCH_DIR)/peer_jansson.o \
              $(BENCH_DIR)/peer_jsonc.o $(BENCH_DIR)/peer_simdjson.o \
              $(BENCH_DIR)/evgen_runtime.o $(BENCH_DIR)/events.o

.PHONY: bench bench-deps bench-callgrind

# Like `deps`: install what is missing when root, otherwise say what to run.
bench-deps:
	@sh mk/install-packages.sh $(BENCH_PACKAGES)

# The flags are a prerequisite, so changing BENCH_MARCH rebuilds everything.
$(BENCH_DIR)/flags: FORCE_BENCH_FLAGS
	@mkdir -p $(dir $@)
	@echo '$(CC) $(BENCH_CFLAGS) | $(BENCH_CXX) $(BENCH_CXXFLAGS)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi
.PHONY: FORCE_BENCH_FLAGS
FORCE_BENCH_FLAGS: ;

$(BENCH_DIR)/%.o: bench/%.c bench/bench_structs.h bench/peer_dom.h $(BENCH_DIR)/flags | bench-deps
	$(CC) $(BENCH_CFLAGS) -I$(GEN_DIR) -Ibench -c $< -o $@

$(BENCH_DIR)/peer_simdjson.o: bench/peer_simdjson.cpp bench/bench_structs.h $(BENCH_DIR)/flags | bench-deps
	$(BENCH_CXX) $(BENCH_CXXFLAGS) -Ibench -c $< -o $@

$(BENCH_DIR)/bench.o: $(wildcard $(GEN_DIR)/*.h)

$(BENCH_DIR)/evgen_runtime.o $(BENCH_DIR)/events.o: $(BENCH_DIR)/%.o: $(GEN_DIR)/%.c $(wildcard $(GEN_DIR)/*.h) $(BENCH_DIR)/flags
	$(CC) $(BENCH_CFLAGS) -I$(GEN_DIR) -c $< -o $@

$(BENCH_DIR)/bench: $(BENCH_OBJS)
	$(BENCH_CXX) $(BENCH_CXXFLAGS) $^ $(BENCH_LIBS) -o $@

bench: $(BENCH_DIR)/bench
	$(BENCH_DIR)/bench $(BENCH_ARGS)

# Instruction counts are stable where wall time is not. Each parser runs
# twice inside cg_batch (valgrind --toggle-collect), for N1 and N2 parses;
# (Ir(N2) - Ir(N1)) / (N2 - N1) cancels everything paid once (lazy binding,
# first malloc, cold tables) and leaves instructions per document.
BENCH_CG_N1 := 200
BENCH_CG_N2 := 1200
bench-callgrind: $(BENCH_DIR)/bench
	@command -v valgrind >/dev/null || { echo "bench-callgrind needs valgrind (apt-get install valgrind)"; exit 1; }
	@printf '%-38s %6s' "payload (minified)" bytes; \
	for p in $(BENCH_CG_PARSERS); do printf ' %12s' "$$p Ir/doc"; done; \
	printf '   ratio to the first\n'; \
	for w in 1 2 3; do \
	  line=""; first=""; ratios=""; \
	  for p in $(BENCH_CG_PARSERS); do \
	    for n in $(BENCH_CG_N1) $(BENCH_CG_N2); do \
	      out=$(BENCH_DIR)/callgrind.$$p.$$w.$$n; \
	      desc=$$(valgrind --tool=callgrind --toggle-collect=cg_batch --callgrind-out-file=$$out \
	        $(BENCH_DIR)/bench --callgrind $$p $$w $$n 2>/dev/null) || { echo "callgrind run failed: $$p $$w $$n"; exit 1; }; \
	      eval "ir_$$n=$$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' $$out)"; \
	    done; \
	    per=$$(( (ir_$(BENCH_CG_N2) - ir_$(BENCH_CG_N1)) / ($(BENCH_CG_N2) - $(BENCH_CG_N1)) )); \
	    [ -n "$$first" ] || first=$$per; \
	    line="$$line $$(printf ' %12s' $$per)"; ratios="$$ratios $$(awk -v a=$$per -v b=$$first 'BEGIN{printf "%.2f", a/b}')"; \
	  done; \
	  set -- $$desc; \
	  printf '%-38s %6s%s  %s\n' "$$2 $$3" "$$4" "$$line" "$$ratios"; \
	done
