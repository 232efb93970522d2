// The bodies of the fuzz targets, as plain functions: libFuzzer executables
// (tests/fuzz/*_fuzzer.cc, built with clang by scripts/fuzz.sh) call them with
// generated inputs, and the regular test suite replays every input saved in
// tests/fuzz/regressions/<target>/ through them, so a crash once found stays
// fixed in every build. Each aborts on a broken invariant.
#ifndef VNFACTS_TESTS_FUZZ_FUZZ_TARGETS_H_
#define VNFACTS_TESTS_FUZZ_FUZZ_TARGETS_H_

#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

namespace vnfacts::fuzz {

struct Target {
  const char* name;
  int (*run)(const uint8_t* data, size_t size);
};

int Normalizer(const uint8_t* data, size_t size);
int TextPipeline(const uint8_t* data, size_t size);  // tokenizer and the stages before it
int DocumentExtractor(const uint8_t* data, size_t size);
int DateExtractor(const uint8_t* data, size_t size);
int QuantityExtractor(const uint8_t* data, size_t size);
int OfficialExtractor(const uint8_t* data, size_t size);
int SearchQuery(const uint8_t* data, size_t size);
int LegacyEncoding(const uint8_t* data, size_t size);  // detection, decoding, round trips
int JsonLinesReader(const uint8_t* data, size_t size);
int HtmlReader(const uint8_t* data, size_t size);
int FigureCheck(const uint8_t* data, size_t size);  // `vnfacts check` over one or two articles
// Windowed sentence boundaries equal ICU's walk over the whole text.
int SentenceBoundaries(const uint8_t* data, size_t size);

const std::vector<Target>& AllTargets();

}  // namespace vnfacts::fuzz

#endif  // VNFACTS_TESTS_FUZZ_FUZZ_TARGETS_H_
