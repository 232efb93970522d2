// Normalizer: the first stage. Turns the raw bytes of an article into the text
// every later stage matches against, keeping an OffsetMap back to the raw bytes.
//
// What it does, in one pass over the raw text:
//  - rejects invalid UTF-8 with the byte offset of the first bad sequence;
//  - NFC (ICU), so decomposed input yields exactly the same text as composed;
//  - folds characters listed in lexicons/characters.tsv (NBSP and other spaces
//    to ' ', zero-width characters removed, curly quotes to '"' and '\'',
//    dashes to '-'), collapses runs of spaces, CRLF to LF;
//  - puts tone marks where today's press puts them, by the nucleus rules in
//    lexicons/tone_placement.tsv (hoà -> hòa, uỷ -> ủy, Thuỷ -> Thủy), all
//    five tones and capitals included;
//  - separates headings that scraping glued to the next paragraph
//    ("đẹpThực tế", "Nhân dân.Không") with a line break, but leaves iPhone,
//    TP.HCM, dotted abbreviations from lexicons/abbreviations.tsv and the
//    words of lexicons/mixed_case_words.tsv alone.
// Every output byte is accounted for in the OffsetMap: a changed character is
// a replacement of its own raw bytes, an inserted line break has an empty raw
// span, a deleted character an empty normalized span.
// It is immutable after Create() and safe to share between threads.
#ifndef VNFACTS_PIPELINE_NORMALIZER_H_
#define VNFACTS_PIPELINE_NORMALIZER_H_

#include <filesystem>
#include <memory>
#include <string>
#include <string_view>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace vnfacts {

class Normalizer {
 public:
  static Expected<Normalizer> Create(const std::filesystem::path& lexicon_dir);
  Normalizer(Normalizer&&) noexcept;
  Normalizer& operator=(Normalizer&&) noexcept;
  ~Normalizer();

  // Fills doc->text and doc->offsets from doc->raw. On invalid UTF-8 returns an
  // error "<source>: invalid UTF-8 at byte N" and leaves the document empty.
  Status Normalize(Document* doc) const;

  // Normalizes a short string the same way (lexicon entries, user queries).
  // Invalid UTF-8 bytes are dropped.
  std::string NormalizeString(std::string_view text) const;

  // Normalize() the long way, the reference for its shortcut: plain text
  // (code points and words that provably stay as they are) is normally
  // written straight through; here every character goes through the general
  // path. Same text, same map; the tests and the normalizer fuzz target
  // compare the two. Without `strict`, invalid bytes are dropped as
  // NormalizeString() drops them, instead of failing.
  Status NormalizeUnitByUnit(Document* doc, bool strict = true) const;

  struct Tables;  // compiled lexicons; defined in normalizer.cc

 private:
  explicit Normalizer(std::unique_ptr<const Tables> tables);
  std::unique_ptr<const Tables> tables_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_NORMALIZER_H_
