// Replays every input in tests/fuzz/regressions/<target>/ (crashes the fuzzers
// once found, and hand-made hostile inputs) through its fuzz target in the
// regular build, so they stay fixed without clang or libFuzzer.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "tests/fuzz/fuzz_targets.h"

namespace vnfacts::fuzz {
namespace {

TEST(FuzzRegressionTest, SavedInputsRunCleanly) {
  const std::filesystem::path root =
      std::filesystem::path(VNFACTS_SOURCE_DIR) / "tests" / "fuzz" / "regressions";
  size_t replayed = 0;
  for (const Target& target : AllTargets()) {
    const auto dir = root / target.name;
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream buffer;
      buffer << in.rdbuf();
      const std::string data = buffer.str();
      SCOPED_TRACE(entry.path().string());
      EXPECT_EQ(target.run(reinterpret_cast<const uint8_t*>(data.data()), data.size()), 0);
      ++replayed;
    }
  }
  EXPECT_GT(replayed, 0u) << "no regression inputs under " << root;
}

}  // namespace
}  // namespace vnfacts::fuzz
