/* fuzz_roundtrip.c - libFuzzer target for the serializers: the first byte
 * picks an event version or form payload of fz_roots[], the rest fills a
 * struct of it member by member (tests/fuzz/fuzz_fill.h: valid values and
 * every value the serializers must refuse), which is serialized bare and in
 * its wire: a refusal must be one that was injected, a document must parse
 * back strictly to a value that serializes to the same bytes. Shared with
 * the replay: tests/fuzz/fuzz_roots_check.h. Build and run:
 * make fuzz-roundtrip (mk/fuzz.mk). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_roots_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check_roundtrip_input(data, size);
    return 0;
}
