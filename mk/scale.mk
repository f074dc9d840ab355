# Generator limits on adversarial catalogs (tests/tools/make_scale.py writes
# them): keys sharing a prefix, 10,000 events, enums of 20,000 and 200,000
# values, the catalog 100 times over. evgen must generate each within a
# memory limit (ulimit -v) and a time limit (timeout), never crash.
#   make check-scale        full sizes, the limits of docs/reliability.md
#   check-scale-small       a tenth of the sizes, part of `make test`; its
#                           limits only catch a crash, a runaway or a blow-up
SCALE_DIR := $(BUILD)/scale
.PHONY: check-scale check-scale-small

# run_scale DIR PERCENT MEMORY_KB SECONDS CATALOG_100X_MEMORY_KB CATALOG_100X_SECONDS
define run_scale
	@rm -rf $(1) && python3 tests/tools/make_scale.py $(1) $(2) $(CATALOG)
	@set -e; for f in $(1)/*.yaml; do \
	  case $$f in *catalog-100x*) mem=$(5); secs=$(6);; *) mem=$(3); secs=$(4);; esac; \
	  start=$$(date +%s.%N); \
	  ( ulimit -v $$mem; timeout $$secs $(BUILD)/evgen -o $${f%.yaml}.out $$f ) || \
	    { echo "$$f: evgen failed, or exceeded $$mem KiB of address space or $$secs s"; exit 1; }; \
	  end=$$(date +%s.%N); \
	  awk -v f=$$(basename $$f) -v a=$$start -v b=$$end -v m=$$mem -v s=$$secs \
	    'BEGIN { printf "%-22s %6.2f s (limits: %s KiB, %s s)\n", f, b - a, m, s }'; \
	done
endef

check-scale: $(BUILD)/evgen
	$(call run_scale,$(SCALE_DIR)/full,100,524288,5,307200,2)

check-scale-small: $(BUILD)/evgen
	$(call run_scale,$(SCALE_DIR)/small,10,262144,60,262144,60)

test-parallel: check-scale-small
