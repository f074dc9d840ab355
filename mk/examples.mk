# Examples: programs built on the generated sources, as a downstream
# project would build them (generated/*.c compiled as is).
GEN_SRC_FOR_EXAMPLES = $(wildcard $(GEN_DIR)/*.c)
EXAMPLE_CFLAGS = $(CSTD) -Wall -Wextra -Wpedantic -Werror $(OPT) -D_POSIX_C_SOURCE=200809L -I$(GEN_DIR)

.PHONY: examples
examples: $(BUILD)/evdecode $(BUILD)/shop/shop_demo

# The shell glob (not $(wildcard)) sees files regen has just written.
# regen runs first under `make`, so the example always sees fresh sources.
$(BUILD)/evdecode: examples/evdecode.c $(GEN_SRC_FOR_EXAMPLES) $(wildcard $(GEN_DIR)/*.h) | regen
	@mkdir -p $(dir $@)
	$(CC) $(EXAMPLE_CFLAGS) examples/evdecode.c $(GEN_DIR)/*.c -o $@

$(BUILD)/evdecode-san: examples/evdecode.c $(GENERATED_OBJS_SAN) $(wildcard $(GEN_DIR)/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(EXAMPLE_CFLAGS) $(SANITIZE) examples/evdecode.c $(GENERATED_OBJS_SAN) -o $@
