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
  tokenizer_.Tokenize(doc);
  if (words_on_demand_) {
    doc->words.clear();
    for (Sentence& sentence : doc->sentences) sentence.first_word = sentence.end_word = 0;
    doc->word_segmenter = &segmenter_;
  } else {
    segmenter_.Segment(doc);
  }
  return Status::Ok();
}

}  // namespace vnfacts
