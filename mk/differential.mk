# The differential test (tests/test_rt_differential.c): the generated parser
# against jansson, an independent JSON parser, on the samples, the streams,
# the fuzzer's regression inputs and deterministic mutations of them. It is
# a test_rt_* suite, so `make test` builds and runs it; this explicit rule
# takes over from mk/tests.mk's pattern rule to link jansson (test-only).
TEST_PACKAGES += libjansson-dev
JANSSON_CFLAGS = $(shell $(PKG_CONFIG) --cflags jansson 2>/dev/null)
JANSSON_LIBS   = $(shell $(PKG_CONFIG) --libs jansson 2>/dev/null || echo -ljansson)

$(BUILD)/tests/test_rt_differential: tests/test_rt_differential.c $(GENERATED_OBJS_SAN) $(wildcard tests/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(TEST_CFLAGS) $(JANSSON_CFLAGS) $< $(GENERATED_OBJS_SAN) $(JANSSON_LIBS) $(CMOCKA_LIBS) -o $@
