# The shop example (examples/shop/): a second catalog, generated with
# --prefix shop into $(BUILD)/shop/gen, as a downstream project would:
#   $(BUILD)/shop/shop_demo      the example program (part of `make examples`)
#   check-shop                   runs it on orders.jsonl against orders.expected,
#                                and links the 8x8 and shop catalogs into one
#                                program (part of `make test`)

SHOP_DIR     := examples/shop
SHOP_CATALOG := $(SHOP_DIR)/catalog.yaml
SHOP_GEN     := $(BUILD)/shop/gen
SHOP_STAMP   := $(BUILD)/shop/gen.stamp
SHOP_GEN_FILES := $(addprefix $(SHOP_GEN)/,events.c events.h dispatch.c dispatch.h \
                                            evgen_runtime.c evgen_runtime.h)
# Pedantic C11, as for the other examples, without -I$(GEN_DIR): each
# program below says which catalog's headers it sees.
SHOP_CFLAGS   = $(CSTD) -Wall -Wextra -Wpedantic -Werror $(OPT) -D_POSIX_C_SOURCE=200809L

.PHONY: check-shop

# evgen rewrites only the files whose content changed, so their timestamps
# cannot say whether generation is up to date: the stamp does. (gen.d, the
# per-file dependencies, is for build tools that want them.)
$(SHOP_STAMP): $(BUILD)/evgen $(SHOP_CATALOG)
	@mkdir -p $(SHOP_GEN)
	$(BUILD)/evgen --prefix shop -o $(SHOP_GEN) --depfile $(BUILD)/shop/gen.d $(SHOP_CATALOG)
	@touch $@

$(SHOP_GEN_FILES): $(SHOP_STAMP) ;

$(BUILD)/shop/shop_demo: $(SHOP_DIR)/shop_demo.c $(SHOP_GEN_FILES)
	$(CC) $(SHOP_CFLAGS) -I$(SHOP_GEN) $< $(filter %.c,$(SHOP_GEN_FILES)) -o $@

$(BUILD)/shop/shop_demo-san: $(SHOP_DIR)/shop_demo.c $(SHOP_GEN_FILES)
	$(CC) $(SHOP_CFLAGS) $(SANITIZE) -I$(SHOP_GEN) $< $(filter %.c,$(SHOP_GEN_FILES)) -o $@

# ---------------------------------------------------------------- two catalogs
# The 8x8 catalog (generated/, prefix ev) and the shop catalog (prefix shop)
# in one program. Each catalog's sources are compiled with their own -I; the
# runtime is compiled once, which is only right if both copies are the same
# file: cmp says so. Every global symbol must carry a prefix (ev_, shop_) or
# be the runtime's (evg_): nm says so (ASan adds an __odr_asan. twin of
# each global array; its name follows the prefix rule too).
TWO_OBJ := $(BUILD)/shop/two
TWO_OBJS := $(TWO_OBJ)/ev_events.o $(TWO_OBJ)/ev_dispatch.o \
            $(TWO_OBJ)/shop_events.o $(TWO_OBJ)/shop_dispatch.o $(TWO_OBJ)/evgen_runtime.o

$(TWO_OBJ)/ev_%.o: $(GEN_DIR)/%.c $(GENERATED_H)
	@mkdir -p $(dir $@)
	$(CC) $(SHOP_CFLAGS) $(SANITIZE) -I$(GEN_DIR) -c $< -o $@

$(TWO_OBJ)/shop_%.o: $(SHOP_GEN)/%.c $(SHOP_GEN_FILES)
	@mkdir -p $(dir $@)
	$(CC) $(SHOP_CFLAGS) $(SANITIZE) -I$(SHOP_GEN) -c $< -o $@

$(TWO_OBJ)/evgen_runtime.o: $(GEN_DIR)/evgen_runtime.c $(GEN_DIR)/evgen_runtime.h $(SHOP_GEN_FILES)
	@mkdir -p $(dir $@)
	cmp $(GEN_DIR)/evgen_runtime.c $(SHOP_GEN)/evgen_runtime.c
	cmp $(GEN_DIR)/evgen_runtime.h $(SHOP_GEN)/evgen_runtime.h
	$(CC) $(SHOP_CFLAGS) $(SANITIZE) -I$(GEN_DIR) -c $< -o $@

# The program names each dispatch.h by its directory (-I. -I$(BUILD)).
$(BUILD)/shop/two_catalogs: $(SHOP_DIR)/two_catalogs.c $(TWO_OBJS)
	@bad=$$(nm -g --defined-only $(TWO_OBJS) | awk 'NF == 3 {n = $$3; sub(/^__odr_asan\./, "", n); if (n !~ /^(ev|shop|evg)_/) print n}'); \
	  test -z "$$bad" || { echo "unprefixed global symbols: $$bad"; exit 1; }
	$(CC) $(SHOP_CFLAGS) $(SANITIZE) -I. -I$(BUILD) $< $(TWO_OBJS) -o $@

# ---------------------------------------------------------------- check
check-shop: $(BUILD)/shop/shop_demo-san $(BUILD)/shop/two_catalogs
	$(BUILD)/shop/shop_demo-san < $(SHOP_DIR)/orders.jsonl > $(BUILD)/shop/orders.out
	diff -u $(SHOP_DIR)/orders.expected $(BUILD)/shop/orders.out
	$(BUILD)/shop/two_catalogs
	@echo "check-shop: shop_demo output as expected; two catalogs link and parse"

test-parallel: check-shop
