// The interface every extractor implements (Duckling's rules per dimension):
// given a processed document, append facts. Each fact names the rule that made
// it, so a user can see why it exists.
//
// ExtractorSet runs the extractors in a fixed order (documents, dates and
// terms, quantities, officials). Each extractor sees the facts appended before
// it, so the quantity extractor leaves alone a number already claimed as a
// document code or a date. After all have run, facts are sorted in document
// order. Extractors are immutable after Create() and safe to share.
#ifndef VNFACTS_EXTRACTORS_EXTRACTOR_H_
#define VNFACTS_EXTRACTORS_EXTRACTOR_H_

#include <filesystem>
#include <memory>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace vnfacts {

class Extractor {
 public:
  virtual ~Extractor() = default;
  virtual std::string_view name() const = 0;
  // Appends facts found in `doc` to `facts` (which may already hold facts of
  // earlier extractors for the same document).
  virtual void Extract(const Document& doc, std::vector<Fact>* facts) const = 0;
};

// Factories: each compiles its lexicons and patterns here and reports any
// problem now, never during extraction.
Expected<std::unique_ptr<Extractor>> CreateDocumentExtractor(const std::filesystem::path& lexicon_dir);
Expected<std::unique_ptr<Extractor>> CreateDateExtractor(const std::filesystem::path& lexicon_dir);
Expected<std::unique_ptr<Extractor>> CreateQuantityExtractor(const std::filesystem::path& lexicon_dir);
Expected<std::unique_ptr<Extractor>> CreateOfficialExtractor(const std::filesystem::path& lexicon_dir);
// The official extractor parsing every sentence, without the filter that
// skips those that cannot hold an official (OfficialLexicon::MayHoldOfficial):
// slower, with the same facts. Tests compare the two.
Expected<std::unique_ptr<Extractor>> CreateUnfilteredOfficialExtractor(
    const std::filesystem::path& lexicon_dir);
// The date and document extractors without their shortcuts: each pattern is
// tried the plain way (anchored at every position, or searched over every
// sentence). The same facts, found slower; tests compare the two.
Expected<std::unique_ptr<Extractor>> CreatePlainDateExtractor(const std::filesystem::path& lexicon_dir);
Expected<std::unique_ptr<Extractor>> CreatePlainDocumentExtractor(const std::filesystem::path& lexicon_dir);

class ExtractorSet {
 public:
  static Expected<ExtractorSet> Create(const std::filesystem::path& lexicon_dir);
  // Replaces doc->facts with the facts of every extractor, in document order.
  // Sets doc->reference_date from the article's own dateline when it had none.
  void Extract(Document* doc) const;
  const std::vector<std::unique_ptr<Extractor>>& extractors() const { return extractors_; }

 private:
  std::vector<std::unique_ptr<Extractor>> extractors_;
};

}  // namespace vnfacts

#endif  // VNFACTS_EXTRACTORS_EXTRACTOR_H_
