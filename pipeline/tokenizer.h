// Tokenizer: splits each sentence into tokens, keeping whole what extractors
// need whole: Vietnamese numbers (15.295, 86,3, 1.234.567,5), percentages,
// dates and date ranges, year ranges (2015 – 2020), document codes (124-QĐ/TW,
// 124 -QĐ/TW, 15- CT/TU, 16/CT-TTg, 100/2019/NĐ-CP), abbreviations (UBND,
// TP.HCM, T.Ư), e-mails and URLs. Everything else is syllables (letter runs)
// and punctuation. Tokens never cross a sentence boundary. Knowledge comes
// from lexicons/abbreviations.tsv and lexicons/syllable_structure.tsv (which
// all-capital runs can be syllables); shapes of numbers and codes are grammar.
#ifndef VNFACTS_PIPELINE_TOKENIZER_H_
#define VNFACTS_PIPELINE_TOKENIZER_H_

#include <filesystem>
#include <memory>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace vnfacts {

class Tokenizer {
 public:
  static Expected<Tokenizer> Create(const std::filesystem::path& lexicon_dir);
  Tokenizer(Tokenizer&&) noexcept;
  Tokenizer& operator=(Tokenizer&&) noexcept;
  ~Tokenizer();

  // Reads doc->text and doc->sentences; replaces doc->tokens and sets each
  // sentence's [first_token, end_token).
  void Tokenize(Document* doc) const;
  // Appends the tokens of `sentence` of `text`: those Tokenize() gives it,
  // since it tokenizes each sentence on its own.
  void TokenizeSentence(std::string_view text, const Sentence& sentence,
                        std::vector<Token>* tokens) const;

  struct Impl;

 private:
  explicit Tokenizer(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_TOKENIZER_H_
