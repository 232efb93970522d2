#include "extractors/extractor.h"

#include <algorithm>

namespace vnfacts {

Expected<ExtractorSet> ExtractorSet::Create(const std::filesystem::path& lexicon_dir) {
  ExtractorSet set;
  for (auto* factory : {&CreateDocumentExtractor, &CreateDateExtractor, &CreateQuantityExtractor,
                        &CreateOfficialExtractor}) {
    auto extractor = (*factory)(lexicon_dir);
    if (!extractor.ok()) return extractor.status();
    set.extractors_.push_back(std::move(extractor).value());
  }
  return set;
}

void ExtractorSet::Extract(Document* doc) const {
  doc->facts.clear();
  for (const auto& extractor : extractors_) extractor->Extract(*doc, &doc->facts);
  std::stable_sort(doc->facts.begin(), doc->facts.end(), [](const Fact& a, const Fact& b) {
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
}

}  // namespace vnfacts
