# evgen - schema-driven C code generator for the 8x8 partner event catalog.
#
#   make        install missing Debian packages (when root), build build/evgen,
#               regenerate generated/, build the examples
#   make test   run every cmocka suite under AddressSanitizer + UBSan, and check
#               that generated/ is what evgen produces now
#   make bench  parse benchmark against cJSON, jansson, json-c (and simdjson)
#   make clean

CC       ?= cc
BUILD    := build
CSTD     := -std=c11
WARN     := -Wall -Wextra -Werror -Wshadow -Wstrict-prototypes -Wmissing-prototypes
OPT      ?= -O2 -g
CFLAGS   += $(CSTD) $(WARN) $(OPT) -D_POSIX_C_SOURCE=200809L
SANITIZE := -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all

DEB_PACKAGES := libyaml-dev libcmocka-dev pkg-config
# `make test` also compiles generated/ with clang, runs the tools under valgrind,
# writes its adversarial catalogs with python3 and builds examples/downstream
# with CMake (Unix Makefiles and Ninja).
TEST_PACKAGES := clang valgrind python3 cmake ninja-build strace
PKG_CONFIG   ?= pkg-config
YAML_CFLAGS   = $(shell $(PKG_CONFIG) --cflags yaml-0.1 2>/dev/null)
YAML_LIBS     = $(shell $(PKG_CONFIG) --libs yaml-0.1 2>/dev/null || echo -lyaml)
CMOCKA_CFLAGS = $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   = $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

CATALOG   := catalog.yaml
GEN_DIR   := generated
TEMPLATES := $(sort $(wildcard templates/*.tmpl))
RUNTIME   := runtime/evgen_runtime.c runtime/evgen_runtime.h

# Generator sources: everything in generator/ except the CLI entry point,
# so tests link the same objects the tool does.
GEN_SRCS    := $(filter-out generator/main.c,$(wildcard generator/*.c))
GEN_OBJS    := $(GEN_SRCS:%.c=$(BUILD)/obj/%.o) $(BUILD)/obj/embedded_templates.o \
               $(BUILD)/obj/embedded_runtime.o
GEN_OBJS_SAN:= $(GEN_SRCS:%.c=$(BUILD)/san/%.o) $(BUILD)/san/embedded_templates.o \
               $(BUILD)/san/embedded_runtime.o

# What evgen writes into generated/: real targets, named once.
GEN_FILES   := $(addprefix $(GEN_DIR)/,events.c events.h dispatch.c dispatch.h \
                                       evgen_runtime.c evgen_runtime.h)
GENERATED_C := $(filter %.c,$(GEN_FILES))
GENERATED_H := $(filter %.h,$(GEN_FILES))
GEN_STAMP   := $(BUILD)/generated.stamp

.PHONY: all deps test check-generated bench clean regen FORCE
all: $(BUILD)/evgen regen examples

# ---------------------------------------------------------------- packages
deps:
	@sh mk/install-packages.sh $(DEB_PACKAGES)

# ---------------------------------------------------------------- evgen
# Packages are installed before anything compiles (order-only: never a
# sibling job under -j, and never a reason to rebuild).
$(BUILD)/obj/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(YAML_CFLAGS) -Igenerator -MMD -MP -c $< -o $@

$(BUILD)/san/%.o: %.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANITIZE) $(YAML_CFLAGS) -Igenerator -MMD -MP -c $< -o $@

# Templates are compiled into evgen so an installed evgen needs no templates/.
$(BUILD)/embed: generator/tools/embed.c | deps
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $< -o $@

# The list of templates is a prerequisite too, so removing one re-embeds.
$(BUILD)/templates.list: FORCE
	@mkdir -p $(dir $@)
	@echo "$(TEMPLATES)" > $@.tmp; cmp -s $@.tmp $@ && rm -f $@.tmp || mv $@.tmp $@

$(BUILD)/embedded_templates.c: $(BUILD)/embed $(TEMPLATES) $(BUILD)/templates.list
	$(BUILD)/embed $@ $(TEMPLATES)

# The runtime is plain C in runtime/, copied by evgen byte for byte.
$(BUILD)/embedded_runtime.c: $(BUILD)/embed $(RUNTIME)
	$(BUILD)/embed --files embedded_runtime $@ $(RUNTIME)

$(BUILD)/obj/embedded_runtime.o: $(BUILD)/embedded_runtime.c generator/embedded_templates.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Igenerator -c $< -o $@

$(BUILD)/san/embedded_runtime.o: $(BUILD)/embedded_runtime.c generator/embedded_templates.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANITIZE) -Igenerator -c $< -o $@

$(BUILD)/obj/embedded_templates.o: $(BUILD)/embedded_templates.c generator/embedded_templates.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -Igenerator -c $< -o $@

$(BUILD)/san/embedded_templates.o: $(BUILD)/embedded_templates.c generator/embedded_templates.h
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(SANITIZE) -Igenerator -c $< -o $@

$(BUILD)/evgen: $(GEN_OBJS) $(BUILD)/obj/generator/main.o
	$(CC) $(CFLAGS) $^ $(YAML_LIBS) -o $@

$(BUILD)/evgen-san: $(GEN_OBJS_SAN) $(BUILD)/san/generator/main.o
	$(CC) $(CFLAGS) $(SANITIZE) $^ $(YAML_LIBS) -o $@

# evgen rewrites only the files whose content changed, so their timestamps
# cannot say whether generation is up to date: the stamp does. The
# generated files are its outputs (empty recipe): whatever uses them waits
# for it, and is rebuilt only when a file's content, hence its timestamp,
# changed. evgen itself embeds the templates and the runtime.
$(GEN_STAMP): $(BUILD)/evgen $(CATALOG)
	$(BUILD)/evgen -o $(GEN_DIR) $(CATALOG)
	@touch $@

$(GEN_FILES): $(GEN_STAMP) ;

regen: $(GEN_STAMP)

-include $(wildcard $(BUILD)/obj/generator/*.d $(BUILD)/san/generator/*.d)

include mk/tests.mk
include mk/examples.mk
include mk/bench.mk
include mk/fuzz.mk
include mk/differential.mk
include mk/shop.mk
include mk/catalogs.mk
include mk/scale.mk
include mk/install.mk
include mk/jsonschema.mk
include mk/diff.mk
include mk/docs.mk

clean:
	rm -rf $(BUILD)
