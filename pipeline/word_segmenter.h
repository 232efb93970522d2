// WordSegmenter: joins syllable tokens into multi-syllable words
// ("công tác" -> công_tác), keeping proper names whole (Nguyễn_Văn_Phong).
// Knowledge: the general dictionary (@vntk/dictionary Viet74K, installed by
// scripts/setup.sh), the project's lexicons (words.tsv: words always whole;
// name_heads.tsv: Sở, Bộ, Hội... stay apart from the name they head), and an
// averaged-perceptron model trained by the project's own code
// (lexicons/segmenter_model.tsv; pipeline/segmenter_model.h, segmenter_tool).
// Only kSyllable tokens separated by spaces join; numbers, codes,
// abbreviations and punctuation are always words of their own.
#ifndef VNFACTS_PIPELINE_WORD_SEGMENTER_H_
#define VNFACTS_PIPELINE_WORD_SEGMENTER_H_

#include <filesystem>
#include <memory>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace vnfacts {

class WordSegmenter {
 public:
  static Expected<WordSegmenter> Create(const std::filesystem::path& lexicon_dir,
                                        const std::filesystem::path& dictionary_path);
  WordSegmenter(WordSegmenter&&) noexcept;
  WordSegmenter& operator=(WordSegmenter&&) noexcept;
  ~WordSegmenter();

  // Reads doc->tokens and doc->sentences; replaces doc->words and sets each
  // sentence's [first_word, end_word). Non-syllable tokens are words of one.
  void Segment(Document* doc) const;

  // Appends to `words` the words of the sentence of `text` made of
  // `tokens` (all of them), with token indices from `first_token` on: the
  // words Segment() gives that sentence, since it segments each sentence on
  // its own.
  void SegmentSentence(std::string_view text, std::span<const Token> tokens, uint32_t first_token,
                       std::vector<Word>* words) const;

  // Segments one sentence given as tokens (normalized text). Returns, for each
  // token after the first, whether it starts a new word. Used by Segment() and
  // by the evaluation tool that scores against gold CoNLL-U.
  std::vector<bool> WordStarts(const std::vector<std::string_view>& tokens) const;

  struct Impl;

 private:
  explicit WordSegmenter(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_WORD_SEGMENTER_H_
