// SentenceSplitter: cuts the normalized text into sentences that tile it.
// ICU's sentence BreakIterator finds candidate boundaries; abbreviations from
// lexicons/abbreviations.tsv (TP., PGS.TS., T.Ư, ThS.) suppress false ones;
// every line break ends a segment. Each line is classified as body, heading,
// photo caption (lines ending in '|', photo credits), byline (a bare name with
// only page furniture after it) or page boilerplate (lexicons/
// segment_markers.tsv), and all its sentences get that kind. Extractors need
// the kinds because captions and bylines name people in other roles than body
// text does. An empty text gives no sentence; whitespace-only text gives one.
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
