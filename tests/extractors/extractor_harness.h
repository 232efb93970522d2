// Runs one extractor on a sentence the way the pipeline does (normalize, split
// sentences, extract), so unit tests state only the text and the facts.
#ifndef VNFACTS_TESTS_EXTRACTORS_EXTRACTOR_HARNESS_H_
#define VNFACTS_TESTS_EXTRACTORS_EXTRACTOR_HARNESS_H_

#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "extractors/extractor.h"
#include "pipeline/normalizer.h"
#include "pipeline/sentence_splitter.h"

namespace vnfacts::testing {

inline const std::filesystem::path& LexiconDir() {
  static const std::filesystem::path dir = std::filesystem::path(VNFACTS_SOURCE_DIR) / "lexicons";
  return dir;
}

// The facts one extractor found in a text, with accessors for one fact kind.
template <typename V>
struct ExtractResult {
  Document doc;
  std::vector<Fact> facts;
  const V& Value(size_t i) const { return std::get<V>(facts.at(i).value); }
  std::string Span(size_t i) const {
    return std::string(doc.Slice(facts.at(i).begin, facts.at(i).end));
  }
  std::string Rule(size_t i) const { return facts.at(i).rule; }
};

class ExtractorHarness {
 public:
  using Factory = Expected<std::unique_ptr<Extractor>> (*)(const std::filesystem::path&);
  // Aborts the test binary when the bundled lexicons do not load: every test
  // of the extractor would fail the same way.
  explicit ExtractorHarness(Factory create)
      : normalizer_(Unwrap(Normalizer::Create(LexiconDir()))),
        splitter_(Unwrap(SentenceSplitter::Create(LexiconDir()))),
        extractor_(Unwrap(create(LexiconDir()))) {}

  template <typename V>
  ExtractResult<V> Run(std::string_view text) const {
    ExtractResult<V> r;
    r.doc.source = "test";
    r.doc.raw = std::string(text);
    EXPECT_TRUE(normalizer_.Normalize(&r.doc).ok());
    splitter_.Split(&r.doc);
    extractor_->Extract(r.doc, &r.facts);
    return r;
  }
  // For documents whose sentences a test sets up itself.
  const Normalizer& normalizer() const { return normalizer_; }
  std::vector<Fact> Extract(const Document& doc) const {
    std::vector<Fact> facts;
    extractor_->Extract(doc, &facts);
    return facts;
  }

 private:
  template <typename T>
  static T Unwrap(Expected<T> e) {
    if (!e.ok()) {
      ADD_FAILURE() << "cannot build the stages: " << e.status().message();
      std::abort();
    }
    return std::move(e).value();
  }

  Normalizer normalizer_;
  SentenceSplitter splitter_;
  std::unique_ptr<Extractor> extractor_;
};

}  // namespace vnfacts::testing

#endif  // VNFACTS_TESTS_EXTRACTORS_EXTRACTOR_HARNESS_H_
