// File helpers the test suites share.
#ifndef VNFACTS_TESTS_TEST_FILES_H_
#define VNFACTS_TESTS_TEST_FILES_H_

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>

namespace vnfacts::test_files {

// The file's bytes, unchanged; empty when it cannot be read.
inline std::string ReadFile(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::ostringstream bytes;
  bytes << in.rdbuf();
  return bytes.str();
}

}  // namespace vnfacts::test_files

#endif  // VNFACTS_TESTS_TEST_FILES_H_
