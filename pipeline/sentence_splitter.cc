// PLACEHOLDER until the sentence splitter lands: one sentence per line.
#include "pipeline/sentence_splitter.h"

namespace vnfacts {

struct SentenceSplitter::Impl {};

SentenceSplitter::SentenceSplitter(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
SentenceSplitter::SentenceSplitter(SentenceSplitter&&) noexcept = default;
SentenceSplitter& SentenceSplitter::operator=(SentenceSplitter&&) noexcept = default;
SentenceSplitter::~SentenceSplitter() = default;

Expected<SentenceSplitter> SentenceSplitter::Create(const std::filesystem::path&) {
  return SentenceSplitter(std::make_unique<Impl>());
}

void SentenceSplitter::Split(Document* doc) const {
  doc->sentences.clear();
  const std::string& t = doc->text;
  uint32_t begin = 0;
  for (uint32_t i = 0; i < t.size(); ++i) {
    if (t[i] == '\n') {
      doc->sentences.push_back({begin, i + 1});
      begin = i + 1;
    }
  }
  if (begin < t.size() || doc->sentences.empty()) {
    doc->sentences.push_back({begin, static_cast<uint32_t>(t.size())});
  }
}

}  // namespace vnfacts
