// PLACEHOLDER until the segmenter lands: every token is a word.
#include "pipeline/word_segmenter.h"

namespace vnfacts {

struct WordSegmenter::Impl {};

WordSegmenter::WordSegmenter(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
WordSegmenter::WordSegmenter(WordSegmenter&&) noexcept = default;
WordSegmenter& WordSegmenter::operator=(WordSegmenter&&) noexcept = default;
WordSegmenter::~WordSegmenter() = default;

Expected<WordSegmenter> WordSegmenter::Create(const std::filesystem::path&,
                                              const std::filesystem::path&) {
  return WordSegmenter(std::make_unique<Impl>());
}

std::vector<bool> WordSegmenter::WordStarts(const std::vector<std::string_view>& tokens) const {
  return std::vector<bool>(tokens.size() > 0 ? tokens.size() - 1 : 0, true);
}

void WordSegmenter::Segment(Document* doc) const {
  doc->words.clear();
  for (Sentence& s : doc->sentences) {
    s.first_word = static_cast<uint32_t>(doc->words.size());
    for (uint32_t t = s.first_token; t < s.end_token; ++t) {
      doc->words.push_back({doc->tokens[t].begin, doc->tokens[t].end, t, t + 1});
    }
    s.end_word = static_cast<uint32_t>(doc->words.size());
  }
}

}  // namespace vnfacts
