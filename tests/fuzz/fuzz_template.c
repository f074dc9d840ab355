/* fuzz_template.c - libFuzzer target for evgen's template engine: the
 * input is a set of templates separated by NUL bytes ("main", "_p1",
 * "_p2"...), parsed, checked and rendered against a fixed context. The
 * properties are in fuzz_gen_check.h, shared with the replay suite
 * tests/test_gen_regressions.c. Build and run: make fuzz-template
 * (mk/fuzz.mk). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_gen_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check_template_input(data, size);
    return 0;
}
