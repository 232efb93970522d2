// The shape of a written Vietnamese syllable (lexicons/syllable_structure.tsv):
// an optional onset, one to three vowels, an optional coda. The tokenizer
// asks it whether an all-capitals run is a syllable (MỚI) or an abbreviation
// (UBND); the official extractor whether a capitalized word can be
// Vietnamese at all (Morimoto, Takeshi cannot), to read foreign names.
#ifndef VNFACTS_PIPELINE_SYLLABLE_SHAPE_H_
#define VNFACTS_PIPELINE_SYLLABLE_SHAPE_H_

#include <filesystem>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/status.h"

namespace vnfacts {

// Immutable after Load(); safe to share between threads.
class SyllableShape {
 public:
  Status Load(const std::filesystem::path& path);
  bool IsSyllable(std::string_view word) const;

 private:
  static constexpr size_t kMaxLetters = 8;
  std::unordered_map<char32_t, char32_t> fold_;  // letter -> lower case, tone removed
  std::unordered_set<char32_t> vowels_;
  std::vector<std::u32string> onsets_;  // longest first; "" is implicit
  std::unordered_set<std::u32string> codas_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_SYLLABLE_SHAPE_H_
