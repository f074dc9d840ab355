# Parse benchmark: evgen's generated parsers against cJSON, jansson, json-c
# and simdjson (On-Demand) on three catalog payloads, then (wire_bench) whole
# documents in their envelopes from generated corpora; see docs/benchmarks.md.
#   make bench            validate every parser, then time them (ratios, not claims):
#                         build/bench/bench, then build/bench/wire_bench
#   make bench-wire       only the wire part
#   make bench-callgrind  instructions per document, evgen vs cJSON, under callgrind
#   make bench-wire-callgrind  the same for the wire path (parse_wire, parse_any,
#                         simdjson, cJSON), the floor, the serializers, the mixed
#                         stream and the invalid documents
# None is part of `make` or `make test`; the peer libraries are needed only here.
#   BENCH_ARGS=...        passed to build/bench/bench (--reps N, --batch-ms MS)
#   BENCH_WIRE_ARGS=...   passed to build/bench/wire_bench (--reps N, --chunk N, --docs N)
#   BENCH_WIRE_DOCS=N     documents in the voice corpus (default 20000; the
#                         generator's own default is 100000)
#   BENCH_WIRE_MIXED=N    documents in the mixed corpus (default 20000)
#   BENCH_MARCH=...       extra code-generation flags for all bench code, e.g.
#                         -march=native (simdjson On-Demand is compiled for the
#                         target the flags allow; evgen gets the same flags)
#   BENCH_CG_PARSERS=...  parsers for bench-callgrind (default: evgen cJSON)
#   BENCH_WIRE_CG_PARSERS=... parsers for bench-wire-callgrind
#                         (default: evgen-wire evgen-any simdjson cJSON)

BENCH_DIR      := $(BUILD)/bench
BENCH_PACKAGES := libcjson-dev libjansson-dev libjson-c-dev libsimdjson-dev python3
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

BENCH_WIRE_DOCS  ?= 20000
BENCH_WIRE_MIXED ?= 20000
BENCH_WIRE_ARGS  ?=
BENCH_WIRE_CG_PARSERS ?= evgen-wire evgen-any simdjson cJSON
# The DOM peers do both jobs: one adapter per library, two walks.
BENCH_WIRE_PEER_OBJS := $(BENCH_DIR)/peer_cjson.o $(BENCH_DIR)/peer_jansson.o $(BENCH_DIR)/peer_jsonc.o
BENCH_WIRE_OBJS := $(BENCH_DIR)/wire_bench.o $(BENCH_WIRE_PEER_OBJS) $(BENCH_DIR)/wire_simdjson.o \
                   $(BENCH_DIR)/evgen_runtime.o $(BENCH_DIR)/events.o $(BENCH_DIR)/dispatch.o
BENCH_WIRE_CORPUS := $(BENCH_DIR)/corpus.stamp

.PHONY: bench bench-deps bench-callgrind bench-wire bench-wire-callgrind

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

$(BENCH_DIR)/%.o: bench/%.c bench/bench_structs.h bench/peer_dom.h bench/wire_structs.h bench/wire_dom.h $(BENCH_DIR)/flags | bench-deps
	$(CC) $(BENCH_CFLAGS) -I$(GEN_DIR) -Ibench -c $< -o $@

$(BENCH_DIR)/peer_simdjson.o: bench/peer_simdjson.cpp bench/bench_structs.h $(BENCH_DIR)/flags | bench-deps
	$(BENCH_CXX) $(BENCH_CXXFLAGS) -Ibench -c $< -o $@

$(BENCH_DIR)/bench.o: $(GENERATED_H)

$(BENCH_DIR)/evgen_runtime.o $(BENCH_DIR)/events.o $(BENCH_DIR)/dispatch.o: $(BENCH_DIR)/%.o: $(GEN_DIR)/%.c $(GENERATED_H) $(BENCH_DIR)/flags
	$(CC) $(BENCH_CFLAGS) -I$(GEN_DIR) -c $< -o $@

$(BENCH_DIR)/bench: $(BENCH_OBJS)
	$(BENCH_CXX) $(BENCH_CXXFLAGS) $^ $(BENCH_LIBS) -o $@

# The wire bench: its C files go through the pattern rule above.
$(BENCH_DIR)/wire_bench.o: $(GENERATED_H)

$(BENCH_DIR)/wire_simdjson.o: bench/wire_simdjson.cpp bench/wire_structs.h bench/bench_structs.h $(BENCH_DIR)/flags | bench-deps
	$(BENCH_CXX) $(BENCH_CXXFLAGS) -Ibench -c $< -o $@

$(BENCH_DIR)/wire_bench: $(BENCH_WIRE_OBJS)
	$(BENCH_CXX) $(BENCH_CXXFLAGS) $^ $(BENCH_LIBS) -o $@

# The corpora (bench/make_wire_corpus.py: deterministic, checked with
# evdecode, rewritten only when their bytes change). The arguments are a
# prerequisite, so changing BENCH_WIRE_DOCS writes them again.
$(BENCH_DIR)/corpus-args: FORCE_BENCH_FLAGS
	@mkdir -p $(dir $@)
	@echo '--docs $(BENCH_WIRE_DOCS) --mixed $(BENCH_WIRE_MIXED)' > $@.new; \
	if cmp -s $@.new $@; then rm $@.new; else mv $@.new $@; fi

$(BENCH_WIRE_CORPUS): bench/make_wire_corpus.py tests/tools/make_stream.py $(wildcard tests/samples/*.json) \
                      $(CATALOG) $(BUILD)/evgen $(BUILD)/evdecode $(BENCH_DIR)/corpus-args | bench-deps
	python3 bench/make_wire_corpus.py --out $(BENCH_DIR) $$(cat $(BENCH_DIR)/corpus-args)
	@touch $@

bench: $(BENCH_DIR)/bench $(BENCH_DIR)/wire_bench $(BENCH_WIRE_CORPUS)
	$(BENCH_DIR)/bench $(BENCH_ARGS)
	$(BENCH_DIR)/wire_bench --dir $(BENCH_DIR) $(BENCH_WIRE_ARGS)

bench-wire: $(BENCH_DIR)/wire_bench $(BENCH_WIRE_CORPUS)
	$(BENCH_DIR)/wire_bench --dir $(BENCH_DIR) $(BENCH_WIRE_ARGS)

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

# The wire path under callgrind, counted as above: (Ir(N2 docs) - Ir(N1
# docs)) / (N2 - N1), so the documents counted are N1..N2-1 of the corpus
# (each run starts at its first document), and what is paid once cancels.
# The invalid corpus has 1,000 documents: there N1, N2 are halved, and only
# the parsers of wire_bench's timed (c) table run (not jansson, json-c,
# simdj-ffu).
BENCH_WIRE_CG_JOBS = $(foreach p,$(BENCH_WIRE_CG_PARSERS),voice:$(p)) voice:byte-sum \
                     mixed:evgen-any mixed:byte-sum \
                     $(foreach p,$(filter-out jansson json-c simdj-ffu,$(BENCH_WIRE_CG_PARSERS)),invalid:$(p)) \
                     voice:ser-evgen voice:ser-hand voice:ser-memcpy
bench-wire-callgrind: $(BENCH_DIR)/wire_bench $(BENCH_WIRE_CORPUS)
	@command -v valgrind >/dev/null || { echo "bench-wire-callgrind needs valgrind (apt-get install valgrind)"; exit 1; }
	@printf '%-11s %-8s %10s   %s\n' "name" corpus "Ir/doc" "ratio to the first of its corpus"; \
	for job in $(BENCH_WIRE_CG_JOBS); do \
	  c=$${job%%:*}; p=$${job#*:}; n1=$(BENCH_CG_N1); n2=$(BENCH_CG_N2); \
	  [ $$c = invalid ] && { n1=$$((n1 / 2)); n2=$$((n2 / 2)); }; \
	  for n in $$n1 $$n2; do \
	    out=$(BENCH_DIR)/callgrind.wire.$$c.$$p.$$n; \
	    valgrind --tool=callgrind --toggle-collect=cg_batch --callgrind-out-file=$$out \
	      $(BENCH_DIR)/wire_bench --dir $(BENCH_DIR) --callgrind $$p $$n $$c >/dev/null 2>&1 \
	      || { echo "callgrind run failed: $$p $$n $$c"; exit 1; }; \
	    [ $$n = $$n1 ] && ir1=$$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' $$out) \
	                   || ir2=$$(sed -n 's/^totals: *\([0-9]*\).*/\1/p' $$out); \
	  done; \
	  per=$$(( (ir2 - ir1) / (n2 - n1) )); \
	  case $$p in ser-*) grp=ser;; *) grp=$$c;; esac; \
	  eval "first=\$${first_$$grp:-}"; [ -n "$$first" ] || { first=$$per; eval "first_$$grp=$$per"; }; \
	  printf '%-11s %-8s %10s   %s\n' "$$p" "$$c" "$$per" "$$(awk -v a=$$per -v b=$$first 'BEGIN{printf "%.2f", a/b}')"; \
	done
