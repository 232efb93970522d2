// TextPipeline: the text layer as one object: normalize -> split sentences ->
// tokenize -> segment words, built once from a lexicon directory and shared
// (const) by all worker threads.
#ifndef VNFACTS_PIPELINE_TEXT_PIPELINE_H_
#define VNFACTS_PIPELINE_TEXT_PIPELINE_H_

#include <filesystem>

#include "pipeline/document.h"
#include "pipeline/normalizer.h"
#include "pipeline/sentence_splitter.h"
#include "pipeline/status.h"
#include "pipeline/tokenizer.h"
#include "pipeline/word_segmenter.h"

namespace vnfacts {

struct TextPipelineOptions {
  std::filesystem::path lexicon_dir;      // empty: DefaultLexiconDir()
  std::filesystem::path dictionary_path;  // empty: DefaultDictionaryPath()
  // Leave tokens and words out, and make a sentence's when someone asks
  // for them (Document::word_source, SentenceWords()). The extractors look
  // at the words of a few sentences only (a unit guessed after a number),
  // and tokenizing and segmenting every sentence up front was 15% of a
  // whole `run`.
  bool words_on_demand = false;
};

class TextPipeline final : public SentenceWordSource {
 public:
  static Expected<TextPipeline> Create(const TextPipelineOptions& options);

  // Runs every stage on doc->raw (words only on demand, see the options).
  // Fails only on input that is not text (invalid UTF-8), with the source
  // name and byte offset in the message.
  Status Process(Document* doc) const;

  const Normalizer& normalizer() const { return normalizer_; }
  const SentenceSplitter& splitter() const { return splitter_; }
  const Tokenizer& tokenizer() const { return tokenizer_; }
  const WordSegmenter& segmenter() const { return segmenter_; }

  void MakeSentenceWords(const Document& doc, const Sentence& sentence, std::vector<Token>* tokens,
                         std::vector<Word>* words) const override;

 private:
  TextPipeline(Normalizer n, SentenceSplitter s, Tokenizer t, WordSegmenter w,
               bool words_on_demand)
      : normalizer_(std::move(n)), splitter_(std::move(s)), tokenizer_(std::move(t)),
        segmenter_(std::move(w)), words_on_demand_(words_on_demand) {}
  Normalizer normalizer_;
  SentenceSplitter splitter_;
  Tokenizer tokenizer_;
  WordSegmenter segmenter_;
  bool words_on_demand_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_TEXT_PIPELINE_H_
