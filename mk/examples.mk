# Examples: programs built on the generated sources, as a downstream
# project would build them (generated/*.c compiled as is).
EXAMPLE_CFLAGS = $(CSTD) -Wall -Wextra -Wpedantic -Werror $(OPT) -D_POSIX_C_SOURCE=200809L -I$(GEN_DIR)

.PHONY: examples
examples: $(BUILD)/evdecode $(BUILD)/shop/shop_demo

$(BUILD)/evdecode: examples/evdecode.c $(GEN_FILES)
	@mkdir -p $(dir $@)
	$(CC) $(EXAMPLE_CFLAGS) examples/evdecode.c $(GENERATED_C) -o $@

$(BUILD)/evdecode-san: examples/evdecode.c $(GENERATED_OBJS_SAN) $(GENERATED_H)
	@mkdir -p $(dir $@)
	$(CC) $(EXAMPLE_CFLAGS) $(SANITIZE) examples/evdecode.c $(GENERATED_OBJS_SAN) -o $@
