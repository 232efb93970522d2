// SentenceBoundaries: where ICU's sentence BreakIterator (UAX #29) breaks a
// text, found without walking the iterator over all of it.
//
// Under UAX #29 a sentence boundary can only follow a paragraph separator
// (rule SB4) or a run of sentence terminators with the closing punctuation
// and spaces after it (SB11); everywhere else the rules say "no break"
// (SB998). Whether a terminator run breaks depends on the character before
// it (SB7: "U.S") and on what follows it up to the next letter (SB6, SB8,
// SB8a: "15.295", "etc. and", "TP. Hà"). So Find() hands ICU only a window
// around each run, from the start of the word that holds it to the first
// letter or paragraph separator after it, and adds the boundary after every
// paragraph separator itself. Runs whose windows touch share one window, so
// no window starts inside another run's context.
//
// The result is the same list of boundaries as walking the iterator over the
// whole text (FindByFullScan(), kept as the reference that the tests compare
// against on corpora and on random text), at a fraction of the cost: the full
// walk visited every character and was about a quarter of the text layer's
// instructions.
//
// Immutable after Create() and safe to share between threads: each call
// clones the compiled ICU iterator (ICU iterators are not thread-safe).
#ifndef VNFACTS_PIPELINE_SENTENCE_BOUNDARIES_H_
#define VNFACTS_PIPELINE_SENTENCE_BOUNDARIES_H_

#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace vnfacts {

class SentenceBoundaries {
 public:
  static Expected<SentenceBoundaries> Create();
  SentenceBoundaries(SentenceBoundaries&&) noexcept;
  SentenceBoundaries& operator=(SentenceBoundaries&&) noexcept;
  ~SentenceBoundaries();

  // ICU's boundaries in (0, text.size()], ascending; the end of a non-empty
  // text is always the last. Replaces *out.
  void Find(std::string_view text, std::vector<uint32_t>* out) const;
  // The same by walking ICU's iterator over the whole text (slow; the
  // reference for tests).
  void FindByFullScan(std::string_view text, std::vector<uint32_t>* out) const;

  struct Tables;

 private:
  explicit SentenceBoundaries(std::unique_ptr<const Tables> tables);
  std::unique_ptr<const Tables> tables_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_SENTENCE_BOUNDARIES_H_
