/* fuzz_parse_root.c - libFuzzer target for the per-event entry points:
 * the first byte picks an event version or form payload of fz_roots[]
 * (rendered by evgen from tests/fuzz/templates/), the rest is parsed by its
 * bare parser and its wire parser, each checked as fuzz_parse_any's are
 * (fuzz_check.h). Shared with the replay: tests/fuzz/fuzz_roots_check.h.
 * Build and run: make fuzz-root (mk/fuzz.mk). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_roots_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check_root_input(data, size);
    return 0;
}
