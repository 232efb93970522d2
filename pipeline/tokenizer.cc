// PLACEHOLDER until the tokenizer lands: whitespace-separated tokens.
#include "pipeline/tokenizer.h"

namespace vnfacts {

struct Tokenizer::Impl {};

Tokenizer::Tokenizer(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Expected<Tokenizer> Tokenizer::Create(const std::filesystem::path&) {
  return Tokenizer(std::make_unique<Impl>());
}

void Tokenizer::Tokenize(Document* doc) const {
  doc->tokens.clear();
  for (Sentence& s : doc->sentences) {
    s.first_token = static_cast<uint32_t>(doc->tokens.size());
    uint32_t i = s.begin;
    while (i < s.end) {
      while (i < s.end && (doc->text[i] == ' ' || doc->text[i] == '\n')) ++i;
      uint32_t b = i;
      while (i < s.end && doc->text[i] != ' ' && doc->text[i] != '\n') ++i;
      if (i > b) doc->tokens.push_back({b, i, TokenKind::kSyllable});
    }
    s.end_token = static_cast<uint32_t>(doc->tokens.size());
  }
}

}  // namespace vnfacts
