/* fuzz_catalog.c - libFuzzer target for evgen's catalog front end: YAML
 * bytes through yaml_tree, catalog_load, catalog_check and cmodel_build,
 * and, for a catalog they all accept, the dump, code generation and the
 * JSON Schemas. The properties are in fuzz_gen_check.h, shared with the
 * replay suite tests/test_gen_regressions.c. Build and run: make
 * fuzz-catalog (mk/fuzz.mk). */
#include <stddef.h>
#include <stdint.h>

#include "fuzz/fuzz_gen_check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    fz_check_catalog_input(data, size);
    return 0;
}
