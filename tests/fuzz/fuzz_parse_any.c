/* fuzz_parse_any.c - libFuzzer target for the generated parsers and
 * serializers: ev_parse_any on the input and ev_parse_bare on input + 1,
 * each with a 64 KiB arena, in strict mode, with a 64-byte arena and with
 * no arena, plus serialization at every buffer size and a parse/serialize
 * fixed point. The properties are in fuzz_check.h, shared with the replay
 * suite tests/test_rt_regressions.c. Build and run: make fuzz (mk/fuzz.mk). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check_input(data, size);
    return 0;
}
