# Test suites, all cmocka, all built with ASan + UBSan and run from the
# repository root (so they can open catalog.yaml, tests/bad/, tests/samples/).
#   tests/test_gen_*.c  exercise the generator; linked with its objects
#   tests/test_rt_*.c   exercise the generated code; linked with generated/*.c
GEN_TEST_SRCS := $(sort $(wildcard tests/test_gen_*.c))
RT_TEST_SRCS  := $(sort $(wildcard tests/test_rt_*.c))
GEN_TESTS := $(GEN_TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
RT_TESTS  := $(RT_TEST_SRCS:tests/%.c=$(BUILD)/tests/%)
TEST_CFLAGS = $(CFLAGS) $(SANITIZE) $(CMOCKA_CFLAGS) $(YAML_CFLAGS) -Igenerator -I$(GEN_DIR) -Itests

$(BUILD)/tests/test_gen_%: tests/test_gen_%.c $(GEN_OBJS_SAN)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $^ $(YAML_LIBS) $(CMOCKA_LIBS) -o $@

$(BUILD)/tests/test_rt_%: tests/test_rt_%.c $(GENERATED_C) $(wildcard $(GEN_DIR)/*.h tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $< $(GEN_DIR)/*.c $(CMOCKA_LIBS) -o $@

test: deps $(BUILD)/evgen $(BUILD)/evgen-san $(GEN_TESTS) $(RT_TESTS) check-generated
	@set -e; for t in $(GEN_TESTS) $(RT_TESTS); do \
	  echo "== $$t"; ASAN_OPTIONS=detect_leaks=1 UBSAN_OPTIONS=print_stacktrace=1 $$t; \
	done
	@echo "all tests passed"

check-generated: $(BUILD)/evgen
	$(BUILD)/evgen --check -o $(GEN_DIR) $(CATALOG)
