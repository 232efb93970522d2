#include "extractors/extractor.h"

#include <numeric>

#include <algorithm>
#include <cstdio>

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
  // Sorting indices and moving each fact once is cheaper than a merge sort
  // moving facts (strings and a variant) log n times.
  std::vector<Fact>& facts = doc->facts;
  std::vector<uint32_t> order(facts.size());
  std::iota(order.begin(), order.end(), 0u);
  std::stable_sort(order.begin(), order.end(), [&facts](uint32_t i, uint32_t j) {
    const Fact& a = facts[i];
    const Fact& b = facts[j];
    return a.begin != b.begin ? a.begin < b.begin : a.end > b.end;
  });
  std::vector<Fact> sorted;
  sorted.reserve(facts.size());
  for (uint32_t i : order) sorted.push_back(std::move(facts[i]));
  facts.swap(sorted);
  // An article that states its own publication date (a dateline such as
  // "Thứ Ba, 10/10/2023 16:35") is dated by it when nothing else dates it.
  if (!doc->reference_date) {
    for (const Fact& f : doc->facts) {
      const auto* date = std::get_if<DateFact>(&f.value);
      if (date && f.rule == "date.dateline" && date->value.size() == 10) {
        CivilDate d;
        if (std::sscanf(date->value.c_str(), "%4d-%2d-%2d", &d.year, &d.month, &d.day) == 3) {
          doc->reference_date = d;
          break;
        }
      }
    }
  }
}

}  // namespace vnfacts
