// FigureChecker: `vnfacts check`. Finds where reported numbers do not add up,
// with the evidence a fact-checker needs to decide:
//  - parts against their stated total inside one article (a total, then a
//    breakdown cue such as "Trong đó", "Cụ thể:", "gồm" or a colon, then parts
//    in the same unit); consistent sums are reported too, as sum_ok, so a user
//    sees what was checked;
//  - percentages against their base: the share of a breakdown's total
//    ("chiếm 25%"), a plan figure stated in the article ("đạt 98,7% kế hoạch"),
//    or the previous period when a running total covers both ("2.299 hội nghị,
//    bằng 86,3% so với cả giai đoạn trước" next to 4.962 since 2015). The
//    stated precision is respected: 86,3% means 86,25% to 86,35%;
//  - across articles: one measure (same counted unit, same place, same period)
//    reported with different values; running totals ("đến nay") are compared
//    by publication date instead, and only a decrease is reported.
// What the checker knows of Vietnamese is in lexicons/figure_cues.tsv and
// lexicons/places.tsv. It works on stored articles (text, sentences, facts),
// so it runs over a database without re-reading the inputs.
#ifndef VNFACTS_PIPELINE_FIGURE_CHECKER_H_
#define VNFACTS_PIPELINE_FIGURE_CHECKER_H_

#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/status.h"
#include "pipeline/store.h"

namespace vnfacts {

struct FigureEvidence {
  std::string article;                   // source path
  std::optional<std::string> published;  // ISO date
  std::string sentence;                  // the sentence the number stands in
  std::string text;                      // the number as written, with its unit
  uint32_t raw_begin = 0;                // byte offsets of `text` in the input file
  uint32_t raw_end = 0;
  uint32_t begin = 0;                    // offsets of `text` in the normalized article
  uint32_t end = 0;
  double value = 0;
  std::string role;  // total | part | percent | base | report
};

struct Finding {
  std::string kind;  // sum_mismatch | sum_ok | percent_mismatch | percent_ok | conflict | series_decrease
  double stated = 0;                // the reported total or percentage
  std::optional<double> computed;   // what the parts or values give
  std::string unit;
  std::vector<double> values;       // every number involved
  std::vector<std::string> articles;
  std::vector<FigureEvidence> evidence;
  std::string explanation;          // one readable line
};

class FigureChecker {
 public:
  static Expected<FigureChecker> Create(const std::filesystem::path& lexicon_dir);
  FigureChecker(FigureChecker&&) noexcept;
  FigureChecker& operator=(FigureChecker&&) noexcept;
  ~FigureChecker();

  // Sums and percentages inside one article; remembers its measures for
  // FinishAcrossArticles(). Not thread-safe (it accumulates); use one per run.
  void CheckArticle(const StoredArticle& article, std::vector<Finding>* findings);
  // Conflicts and decreasing running totals across every article seen; then
  // forgets those articles, so the checker can start over.
  void FinishAcrossArticles(std::vector<Finding>* findings);

  struct Impl;

 private:
  explicit FigureChecker(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Whether `computed` rounds to `stated` at the precision it was written with
// (`decimals` digits after the decimal comma): 86,3 covers [86,25, 86,35).
bool MatchesAtPrecision(double stated, int decimals, double computed);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_FIGURE_CHECKER_H_
