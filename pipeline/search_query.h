// Turning what a user types into `vnfacts search` into an FTS5 MATCH
// expression that can never be read as FTS5 syntax: the query is folded like
// the index (FoldDiacritics), split into runs of letters and digits, and each
// run is quoted. Quotes, AND/OR/NOT, NEAR, '*', '-', ':' and parentheses in the
// input are separators or plain words, never operators. A '*' right after a
// word keeps its one meaning: a prefix search.
#ifndef VNFACTS_PIPELINE_SEARCH_QUERY_H_
#define VNFACTS_PIPELINE_SEARCH_QUERY_H_

#include <string>
#include <vector>

namespace vnfacts {

struct SearchTerm {
  std::string folded;  // letters and digits only
  bool prefix = false;
};

std::vector<SearchTerm> ParseSearchQuery(const std::string& query);
// `"t1" "t2"*` (every term, in any order). Empty for no terms.
std::string FtsMatchExpression(const std::vector<SearchTerm>& terms);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_SEARCH_QUERY_H_
