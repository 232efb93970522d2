#include "pipeline/document.h"

#include <algorithm>

namespace vnfacts {

std::string_view SegmentKindName(SegmentKind kind) {
  switch (kind) {
    case SegmentKind::kBody: return "body";
    case SegmentKind::kHeading: return "heading";
    case SegmentKind::kCaption: return "caption";
    case SegmentKind::kByline: return "byline";
    case SegmentKind::kBoilerplate: return "boilerplate";
  }
  return "body";
}

std::optional<SegmentKind> ParseSegmentKind(std::string_view name) {
  for (SegmentKind k : {SegmentKind::kBody, SegmentKind::kHeading, SegmentKind::kCaption,
                        SegmentKind::kByline, SegmentKind::kBoilerplate}) {
    if (SegmentKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view TokenKindName(TokenKind kind) {
  switch (kind) {
    case TokenKind::kSyllable: return "syllable";
    case TokenKind::kNumber: return "number";
    case TokenKind::kPercent: return "percent";
    case TokenKind::kDate: return "date";
    case TokenKind::kDateRange: return "date_range";
    case TokenKind::kYearRange: return "year_range";
    case TokenKind::kDocumentCode: return "document_code";
    case TokenKind::kAbbreviation: return "abbreviation";
    case TokenKind::kEmail: return "email";
    case TokenKind::kUrl: return "url";
    case TokenKind::kPunctuation: return "punctuation";
    case TokenKind::kSymbol: return "symbol";
    case TokenKind::kAlphanumeric: return "alphanumeric";
  }
  return "symbol";
}

std::string_view FactKindName(FactKind kind) {
  switch (kind) {
    case FactKind::kOfficial: return "official";
    case FactKind::kDocument: return "document";
    case FactKind::kQuantity: return "quantity";
    case FactKind::kDate: return "date";
    case FactKind::kTerm: return "term";
  }
  return "quantity";
}

std::optional<FactKind> ParseFactKind(std::string_view name) {
  for (FactKind k : {FactKind::kOfficial, FactKind::kDocument, FactKind::kQuantity,
                     FactKind::kDate, FactKind::kTerm}) {
    if (FactKindName(k) == name) return k;
  }
  return std::nullopt;
}

std::string_view ApproxName(Approx approx) {
  switch (approx) {
    case Approx::kExact: return "exact";
    case Approx::kOver: return "over";
    case Approx::kUnder: return "under";
    case Approx::kAbout: return "about";
  }
  return "exact";
}

uint32_t Document::SentenceAt(uint32_t offset) const {
  auto it = std::upper_bound(sentences.begin(), sentences.end(), offset,
                             [](uint32_t o, const Sentence& s) { return o < s.begin; });
  if (it == sentences.begin()) return 0;
  return static_cast<uint32_t>(it - sentences.begin() - 1);
}

std::span<const Word> SentenceWords(const Document& doc, size_t index, SentenceWordsScratch* scratch) {
  if (index >= doc.sentences.size()) return {};
  const Sentence& sentence = doc.sentences[index];
  if (doc.word_source != nullptr) {
    doc.word_source->MakeSentenceWords(doc, sentence, &scratch->tokens, &scratch->words);
    return scratch->words;
  }
  const size_t begin = std::min<size_t>(sentence.first_word, doc.words.size());
  const size_t end = std::clamp<size_t>(sentence.end_word, begin, doc.words.size());
  return std::span<const Word>(doc.words).subspan(begin, end - begin);
}

}  // namespace vnfacts
