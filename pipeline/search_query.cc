#include "pipeline/search_query.h"

#include "pipeline/text_fold.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

bool IsTermChar(int32_t c) {
  return c >= 0 && (IsLetter(static_cast<char32_t>(c)) || IsDigit(static_cast<char32_t>(c)));
}

}  // namespace

std::vector<SearchTerm> ParseSearchQuery(const std::string& query) {
  std::vector<SearchTerm> terms;
  const std::string folded = FoldDiacritics(query);
  size_t pos = 0;
  while (pos < folded.size()) {
    const size_t start = pos;
    if (!IsTermChar(NextCodePoint(folded, &pos))) continue;
    size_t end = pos;
    while (end < folded.size()) {
      size_t next = end;
      if (!IsTermChar(NextCodePoint(folded, &next))) break;
      end = next;
    }
    SearchTerm term{folded.substr(start, end - start), false};
    term.prefix = end < folded.size() && folded[end] == '*';
    terms.push_back(std::move(term));
    pos = end;
  }
  return terms;
}

std::string FtsMatchExpression(const std::vector<SearchTerm>& terms) {
  std::string expr;
  for (const SearchTerm& t : terms) {
    if (!expr.empty()) expr += ' ';
    expr += '"' + t.folded + '"';
    if (t.prefix) expr += '*';
  }
  return expr;
}

}  // namespace vnfacts
