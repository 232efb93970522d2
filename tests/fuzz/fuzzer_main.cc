// One libFuzzer executable per target; VNFACTS_FUZZ_TARGET names the function
// in tests/fuzz/fuzz_targets.h that this executable drives.
#include <cstddef>
#include <cstdint>

#include "tests/fuzz/fuzz_targets.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  return vnfacts::fuzz::VNFACTS_FUZZ_TARGET(data, size);
}
