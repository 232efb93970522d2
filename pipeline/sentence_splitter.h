// SentenceSplitter: cuts the normalized text into sentences that tile it.
// ICU's sentence BreakIterator finds candidate boundaries; abbreviations from
// lexicons/abbreviations.txt (TP., PGS.TS., T.Ư, ThS.) suppress false ones;
// every line break ends a segment. Each segment is classified as body,
// heading, photo caption (lines ending in '|'), byline or page boilerplate.
#ifndef VNFACTS_PIPELINE_SENTENCE_SPLITTER_H_
#define VNFACTS_PIPELINE_SENTENCE_SPLITTER_H_

#include <filesystem>
#include <memory>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace vnfacts {

class SentenceSplitter {
 public:
  static Expected<SentenceSplitter> Create(const std::filesystem::path& lexicon_dir);
  SentenceSplitter(SentenceSplitter&&) noexcept;
  SentenceSplitter& operator=(SentenceSplitter&&) noexcept;
  ~SentenceSplitter();

  // Reads doc->text; replaces doc->sentences. Sentences tile the text.
  void Split(Document* doc) const;

  struct Impl;

 private:
  explicit SentenceSplitter(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_SENTENCE_SPLITTER_H_
