#include "pipeline/text_pipeline.h"

#include "pipeline/lexicon.h"

namespace vnfacts {

Expected<TextPipeline> TextPipeline::Create(const TextPipelineOptions& options) {
  const auto lexicons = options.lexicon_dir.empty() ? DefaultLexiconDir() : options.lexicon_dir;
  const auto dictionary =
      options.dictionary_path.empty() ? DefaultDictionaryPath() : options.dictionary_path;
  auto normalizer = Normalizer::Create(lexicons);
  if (!normalizer.ok()) return normalizer.status();
  auto splitter = SentenceSplitter::Create(lexicons);
  if (!splitter.ok()) return splitter.status();
  auto tokenizer = Tokenizer::Create(lexicons);
  if (!tokenizer.ok()) return tokenizer.status();
  auto segmenter = WordSegmenter::Create(lexicons, dictionary);
  if (!segmenter.ok()) return segmenter.status();
  return TextPipeline(std::move(normalizer).value(), std::move(splitter).value(),
                      std::move(tokenizer).value(), std::move(segmenter).value(),
                      options.words_on_demand);
}

Status TextPipeline::Process(Document* doc) const {
  Status status = normalizer_.Normalize(doc);
  if (!status.ok()) return status;
  splitter_.Split(doc);
  if (words_on_demand_) {
    // The splitter made the sentences anew, with no token or word ranges.
    doc->tokens.clear();
    doc->words.clear();
    doc->word_source = this;
  } else {
    tokenizer_.Tokenize(doc);
    segmenter_.Segment(doc);
  }
  return Status::Ok();
}

void TextPipeline::MakeSentenceWords(const Document& doc, const Sentence& sentence,
                                     std::vector<Token>* tokens, std::vector<Word>* words) const {
  tokens->clear();
  words->clear();
  tokenizer_.TokenizeSentence(doc.text, sentence, tokens);
  segmenter_.SegmentSentence(doc.text, *tokens, 0, words);
}

}  // namespace vnfacts
