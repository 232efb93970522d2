// Date extractor: dates, periods and party terms (FactKind::kDate, kTerm).
//
// Works in two steps per sentence, the way Duckling composes its rules:
//  1. atoms: each rule is one RE2 pattern (built from lexicons/date_words.tsv
//     and lexicons/terms.tsv, compiled once) that finds a single date, period
//     or term: "ngày 2/2/2018", "tháng 9/2023", "năm 2009", "quý III/2024",
//     "6 tháng đầu năm 2024", "Sáng 19/12", a bare year, "khóa XII",
//     "nhiệm kỳ 2020-2025". C++ then checks what a regular expression cannot:
//     calendar validity, the words before and after (a cue that makes "19/12"
//     or "2025" a date, a noun that makes "1/2 nhiệm kỳ" a fraction), and that
//     the match is not the middle of a longer number or code.
//  2. intervals: two atoms joined by a dash or "đến" ("2014-2023", "từ năm 2015
//     đến hết tháng 6 năm 2023", "12/10/1983-12/10/2023") or one atom followed
//     by "đến nay" ("từ năm 2009 đến nay" -> 2009/..).
// Candidates then compete: the longest wins, so "nhiệm kỳ 2020-2025" is a term
// and never also a date, and nothing overlaps a document code found earlier.
//
// Some atoms (a bare year, a day-month without a cue) are only dates inside an
// interval; that is how "2015 - 2020" is a period while "2035 mô hình" is no
// date. A day-month without a year takes the year of the article date (the
// document's reference date, or a dateline like "Thứ Ba, 10/10/2023 16:35" in
// the first lines) and is marked inferred; with no article date it stays
// partial (--12-19).
#include <re2/re2.h>
#include <re2/set.h>

#include <algorithm>
#include <array>
#include <bit>
#include <cstdlib>
#include <unordered_map>

#include "extractors/extractor.h"
#include "extractors/extractor_util.h"
#include "pipeline/lexicon.h"
#include "pipeline/normalizer.h"
#include "pipeline/roman_numeral.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

using extract::CharAt;
using extract::CharBefore;
using extract::IsWordChar;

// A date known to some precision; 0 means unknown.
struct PartialDate {
  int year = 0;
  int quarter = 0;
  int month = 0;
  int day = 0;
  bool inferred = false;
};

enum class AtomKind {
  kDate,      // one date: `date`
  kMonths,    // months of one year: "6 tháng đầu năm 2024" -> date.year, months_from..to
  kInterval,  // `date` / `to`
  kSince,     // `date` / .. ("từ năm 2009 đến nay")
  kTerm,      // `term`
};

struct Atom {
  size_t begin = 0;  // sentence-local span
  size_t end = 0;
  AtomKind kind = AtomKind::kDate;
  PartialDate date;
  PartialDate to;                      // kInterval
  int months_from = 0, months_to = 0;  // kMonths
  bool standalone = true;              // a fact on its own, not only inside an interval
  bool bare_year = false;
  // A literal or a string of Words: atoms are made and copied by the
  // thousand, and most rule names are too long to store without allocating.
  std::string_view rule;
  TermFact term;  // kTerm
  int rule_index = 0;  // of the rule that found it: FindAtoms lists atoms by rule
};

enum class RuleId {
  kFullDate,
  kIsoDate,
  kVerboseDate,
  kMonthYear,
  kDayMonth,
  kMonth,
  kYearWord,
  kBareYear,
  kQuarter,
  kMonthsOfYear,
  kTermRoman,
  kTermNumber,
  kTermYears,
};
constexpr int kRuleCount = static_cast<int>(RuleId::kTermYears) + 1;
static_assert(kRuleCount <= 32);
constexpr uint32_t kAllRules = (uint32_t{1} << kRuleCount) - 1;
constexpr uint32_t RuleBit(RuleId id) { return uint32_t{1} << static_cast<int>(id); }

struct Rule {
  RuleId id;
  std::unique_ptr<RE2> re;
  bool four_digits = false;  // the pattern is kFourDigits
};

// A bare year: RulesAt() matches it without RE2.
constexpr std::string_view kFourDigits = "([0-9]{4})";

using extract::TermWord;

using extract::PhrasesByLastChar;

struct Words {
  std::vector<std::string> until, now, fraction_noun, frequency, recurring, lunar;
  // Looked for before a match, for every candidate atom: indexed.
  PhrasesByLastChar from, period, weekday, dm_cue, year_cue, event, each;
  std::vector<TermWord> terms;
  // The rule names of the terms' atoms ("term." and the rule of terms[i]),
  // and with an Arabic number (and "_number").
  std::vector<std::string> term_rules, term_number_rules;
  // Bodies that have terms (Quốc hội, HĐND, Đảng bộ...), lower case: an
  // Arabic term number ("khóa 15") counts only after one of them.
  PhrasesByLastChar term_holders;
};

// How far before "khóa 15" a term holder may start: "Hội đồng nhân dân tỉnh
// Nghệ An khóa 18" puts three words between them.
constexpr int kMaxWordsAfterHolder = 6;

bool IsAsciiLetter(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }
bool IsAsciiAlnum(char c) { return IsAsciiLetter(c) || IsAsciiDigit(c); }

int ToInt(const re2::StringPiece& sp) {
  return extract::LeadingNumber(std::string_view(sp.data(), sp.size()));
}
bool Has(const re2::StringPiece& sp) { return sp.data() != nullptr; }

std::string Iso(const PartialDate& d) {
  using extract::AppendZeroPadded;
  std::string out;
  if (d.day || d.month) {
    if (d.year) {
      AppendZeroPadded(d.year, 4, &out);
      out += '-';
    } else {
      out += "--";
    }
    AppendZeroPadded(d.month, 2, &out);
    if (d.day) {
      out += '-';
      AppendZeroPadded(d.day, 2, &out);
    }
  } else {
    AppendZeroPadded(d.year, 4, &out);
    if (d.quarter) {
      out += "-Q";
      AppendZeroPadded(d.quarter, 1, &out);
    }
  }
  return out;
}

// First and last day a partial date covers, as (month, day) ordinals within a
// year, or as days when the year is known; for ordering interval ends.
int64_t StartKey(const PartialDate& d) {
  const int month = d.month ? d.month : (d.quarter ? d.quarter * 3 - 2 : 1);
  const int day = d.day ? d.day : 1;
  return d.year ? extract::DaysFromCivil(d.year, month, day) : month * 32 + day;
}
int64_t EndKey(const PartialDate& d) {
  const int month = d.month ? d.month : (d.quarter ? d.quarter * 3 : 12);
  const int day = d.day ? d.day : extract::DaysInMonth(d.year, month);
  return d.year ? extract::DaysFromCivil(d.year, month, day) : month * 32 + day;
}

class DateExtractor : public Extractor {
 public:
  DateExtractor(Words words, std::vector<Rule> rules, bool plain, extract::MatchStarts starts,
                uint32_t number_rules, int number_lead_words, extract::MatchStarts after_number,
                uint32_t lead_word_counts, bool any_lead_shape,
                extract::MatchStarts until_starts, extract::MatchStarts weekday_starts,
                int weekday_words,
                std::unique_ptr<RE2::Set> rules_here,
                std::unique_ptr<RE2> dateline, std::unique_ptr<RE2> dash,
                std::unique_ptr<RE2> until, std::unique_ptr<RE2> until_now,
                std::unique_ptr<RE2> day_range, std::unique_ptr<RE2> day_list,
                std::unique_ptr<RE2> month_list)
      : words_(std::move(words)),
        rules_(std::move(rules)),
        plain_(plain),
        starts_(std::move(starts)),
        number_rules_(number_rules),
        number_lead_words_(number_lead_words),
        after_number_(std::move(after_number)),
        lead_word_counts_(lead_word_counts),
        any_lead_shape_(any_lead_shape),
        until_starts_(std::move(until_starts)),
        weekday_starts_(std::move(weekday_starts)),
        weekday_words_(weekday_words),
        rules_here_(std::move(rules_here)),
        dateline_re_(std::move(dateline)),
        dash_re_(std::move(dash)),
        until_re_(std::move(until)),
        until_now_re_(std::move(until_now)),
        day_range_re_(std::move(day_range)),
        day_list_re_(std::move(day_list)),
        month_list_re_(std::move(month_list)) {}

  Status Check() const {
    for (const Rule& r : rules_) {
      if (!r.re->ok()) return Status::Error("date extractor: bad pattern: " + r.re->error());
    }
    for (const RE2* re : {dateline_re_.get(), dash_re_.get(), until_re_.get(), until_now_re_.get(),
                          day_range_re_.get(), day_list_re_.get(), month_list_re_.get()}) {
      if (!re->ok()) return Status::Error("date extractor: bad pattern: " + re->error());
    }
    return Status::Ok();
  }

  std::string_view name() const override { return "date"; }

  void Extract(const Document& doc, std::vector<Fact>* facts) const override {
    std::vector<std::pair<uint32_t, uint32_t>> taken;  // spans of earlier extractors
    for (const Fact& f : *facts) taken.emplace_back(f.begin, f.end);
    std::sort(taken.begin(), taken.end());

    size_t dateline_at = std::string::npos;
    std::optional<CivilDate> reference = doc.reference_date;
    if (auto found = FindDateline(doc.text, &dateline_at); found && !reference) reference = found;

    const std::vector<Sentence> sentences = extract::SentencesOf(doc);
    std::vector<Atom> atoms;
    std::vector<Atom> candidates;
    std::vector<uint64_t> starts;  // FindAtoms()'s, kept for its buffer
    for (uint32_t si = 0; si < sentences.size(); ++si) {
      const Sentence& s = sentences[si];
      const std::string_view text = doc.SentenceText(s);
      atoms.clear();
      candidates.clear();
      FindAtoms(text, &starts, &atoms);
      if (atoms.empty()) continue;
      ShareYearInMonthList(text, &atoms);
      for (const Atom& a : atoms) {
        if (a.standalone) candidates.push_back(a);
      }
      ComposeIntervals(text, atoms, &candidates);
      Select(text, s.begin, si, reference, dateline_at, taken, &candidates, facts);
    }
  }

 private:
  // "Thứ Ba, 10/10/2023 16:35" or "10/10/2023 16:35" in the first lines.
  std::optional<CivilDate> FindDateline(std::string_view text, size_t* at) const {
    size_t limit = 0;
    int lines = 0;
    while (limit < text.size() && limit < 600 && lines < 3) {
      size_t eol = text.find('\n', limit);
      if (eol == std::string_view::npos) eol = text.size();
      if (text.substr(limit, eol - limit).find_first_not_of(' ') != std::string_view::npos) ++lines;
      limit = eol + 1;
    }
    const std::string_view head = text.substr(0, std::min(limit, text.size()));
    re2::StringPiece m[6];
    const bool search = plain_ || weekday_starts_.anywhere();
    std::vector<size_t> starts;
    if (!search) DatelineStarts(head, &starts);
    size_t pos = 0;
    size_t next = 0;  // in starts
    while (pos < head.size()) {
      if (search) {
        if (!dateline_re_->Match(head, pos, head.size(), RE2::UNANCHORED, m, 6)) break;
      } else {
        // The leftmost match, as the search finds it: the one anchored at
        // the first start that has one (leftmost-first; the pattern looks at
        // no byte before its start). A match spans at most the words
        // DatelineStarts() counts, and the pattern does not look at the end
        // of the text: looking in those words only finds the same match.
        bool found = false;
        for (; next < starts.size() && !found; ++next) {
          const size_t b = starts[next];
          if (b < pos) continue;
          const size_t e = std::min(head.size(), extract::WordsEnd(head, b, weekday_words_ + 3));
          found = dateline_re_->Match(head, b, e, RE2::ANCHOR_START, m, 6);
        }
        if (!found) break;
      }
      pos = m[0].data() - head.data() + m[0].size();
      if (!Has(m[1]) && !Has(m[5])) continue;
      const int day = ToInt(m[2]), month = ToInt(m[3]), year = ToInt(m[4]);
      if (month < 1 || month > 12 || !extract::IsValidDay(year, month, day)) continue;
      *at = m[2].data() - text.data();
      return CivilDate{year, month, day};
    }
    return std::nullopt;
  }

  // Where a dateline may start in `head`, in order: it holds D/M/YYYY
  // (DayMonthYearAt()), starting the match or after a weekday of w words,
  // maybe a comma standing alone, and spaces. So it starts at such a date,
  // or where a weekday may (weekday_starts_, in any case) in the word of
  // the date or the w + 1 words before. From where it starts it spans at
  // most w + 3 more words (the rest of the weekday, the comma, the date, a
  // dash, the time).
  void DatelineStarts(std::string_view head, std::vector<size_t>* starts) const {
    size_t scanned = 0;  // positions before it are looked at
    for (size_t q = digits_.Next(head, 0); q < head.size(); q = digits_.Next(head, q + 1)) {
      if (!DayMonthYearAt(head, q)) continue;
      size_t from = q;
      while (from > 0 && head[from - 1] != ' ') --from;
      for (int words = 0; words <= weekday_words_ && from > 0; ++words) {
        from = extract::SkipSpacesBack(head, from);
        while (from > 0 && head[from - 1] != ' ') --from;
      }
      for (size_t b = std::max(from, scanned); b < q; ++b) {
        if (weekday_starts_.MayStartWith(static_cast<unsigned char>(head[b])) &&
            weekday_starts_.At(head, b)) {
          starts->push_back(b);
        }
      }
      starts->push_back(q);
      scanned = q + 1;
    }
  }

  // Whether D/M/YYYY (one or two digits for D and M) starts at `p`.
  static bool DayMonthYearAt(std::string_view text, size_t p) {
    for (int part = 0; part < 2; ++part) {
      size_t digits = 0;
      while (p < text.size() && IsAsciiDigit(text[p]) && digits < 3) {
        ++p;
        ++digits;
      }
      if (digits == 0 || digits > 2 || p >= text.size() || text[p] != '/') return false;
      ++p;
    }
    if (text.size() - p < 4) return false;
    return std::all_of(text.begin() + p, text.begin() + p + 4,
                       [](char c) { return IsAsciiDigit(c); });
  }

  // Left edge: not inside a word or a longer number (2.038, 100/2019).
  static bool LeftOk(std::string_view text, size_t pos) {
    if (pos > 0 && static_cast<unsigned char>(text[pos - 1]) < 0x80) {  // most often
      const char before = text[pos - 1];
      if (IsAsciiDigit(before) || IsAsciiLetter(before)) return false;
      if (before == '/' || before == '.' || before == ',' || before == ':') {
        return !(pos > 1 && IsAsciiDigit(text[pos - 2]));
      }
      return true;
    }
    if (extract::WordCharBefore(text, pos)) return false;
    // What is left is no ASCII character: none of the signs above.
    return true;
  }
  // Right edge: a dash may follow (a range); a slash, dot or comma and a digit
  // may not (the match would be the start of a longer number or date).
  static bool RightOk(std::string_view text, size_t pos) {
    const char32_t after = CharAt(text, pos);
    if (IsWordChar(after)) return false;
    if (after == '/' || after == '.' || after == ',' || after == ':') {
      return !IsDigit(CharAt(text, pos + 1));
    }
    return true;
  }

  // "tháng 3 và tháng 4/2025", "tháng 3, 4 và 5/2025": months listed before
  // one with a year have that year, stated rather than inferred.
  static void ShareYearInMonthList(std::string_view text, std::vector<Atom>* atoms) {
    std::vector<Atom*> months;
    for (Atom& a : *atoms) {
      if (a.kind == AtomKind::kDate && a.date.month && !a.date.day) months.push_back(&a);
    }
    std::sort(months.begin(), months.end(), [](const Atom* x, const Atom* y) { return x->begin < y->begin; });
    for (size_t i = 0; i < months.size(); ++i) {
      if (months[i]->date.year) continue;
      size_t j = i;
      while (j + 1 < months.size() && months[j + 1]->begin >= months[j]->end) {
        std::string_view gap = text.substr(months[j]->end, months[j + 1]->begin - months[j]->end);
        while (!gap.empty() && gap.front() == ' ') gap.remove_prefix(1);
        while (!gap.empty() && gap.back() == ' ') gap.remove_suffix(1);
        if (gap != "," && gap != "và") break;
        ++j;
        if (months[j]->date.year) break;
      }
      if (j == i || !months[j]->date.year) continue;
      // "tháng 12 và tháng 1/2025": December of the year before.
      for (size_t k = i; k < j; ++k) {
        months[k]->date.year = months[j]->date.year - (months[k]->date.month > months[j]->date.month ? 1 : 0);
      }
      i = j;
    }
  }

  // Whether a "hằng năm" (role `recurring`) follows the month ending at
  // `end`, directly or after "và tháng N" / ", tháng N".
  bool RecurringMonth(std::string_view text, size_t end) const {
    re2::StringPiece m[1];
    size_t pos = end;
    if (month_list_re_->Match(text, end, text.size(), RE2::ANCHOR_START, m, 1)) {
      pos = m[0].data() - text.data() + m[0].size();
    }
    return FollowedBy(text, pos, words_.recurring);
  }

  static bool PrecededBy(std::string_view text, size_t pos, const PhrasesByLastChar& phrases) {
    return phrases.EndingAt(text, pos).has_value();
  }
  bool FollowedBy(std::string_view text, size_t pos, const std::vector<std::string>& phrases) const {
    const size_t p = extract::SkipSpaces(text, pos);
    if (p == pos) return false;
    return extract::MatchAnyAt(text, p, phrases).has_value();
  }

  // The rules run anchored, only at the left edge of a word (LeftOk) where
  // one may begin (below, then starts_), and rules_here_ says which do
  // match, position after position. Per rule that finds what searching the
  // sentence from its start finds when the search resumes at the end of each
  // atom, or one character after a rejected match: the leftmost match is the
  // one anchored at the first position that has one. Atoms are listed by
  // rule, then by position, as those searches listed them. The plain
  // extractor asks the set at every left edge instead.
  //
  // Where one may begin is found from the numbers of the sentence, not by
  // looking at every position: every atom holds one (MarkStarts()).
  void FindAtoms(std::string_view text, std::vector<uint64_t>* starts,
                 std::vector<Atom>* atoms) const {
    size_t resume[kRuleCount] = {};  // per rule, where its search goes on
    std::vector<int> here;
    if (plain_) {
      for (size_t b = 0; b < text.size(); ++b) {
        if (LeftOk(text, b)) RulesAt(text, b, kAllRules, resume, &here, atoms);
      }
      return;
    }
    MarkStarts(text, starts);
    for (size_t word = 0; word < starts->size(); ++word) {
      for (uint64_t bits = (*starts)[word]; bits != 0; bits &= bits - 1) {
        const size_t b = word * 64 + __builtin_ctzll(bits);
        const unsigned char byte = static_cast<unsigned char>(text[b]);
        if (!starts_.MayStartWith(byte) || !LeftOk(text, b)) continue;
        // The rules whose leading phrase may start here (in any case), and
        // of those that start with their number, the ones the number's
        // shape allows.
        uint32_t rules = starts_.PhraseTagsAt(text, b);
        if ((rules & number_rules_) != 0 && !any_lead_shape_) {
          rules &= ~number_rules_ | RulesForNumbersAfter(text, b);
        }
        if (IsAsciiDigit(text[b])) rules |= number_rules_ & RulesForNumberAt(text, b);
        if (rules != 0) RulesAt(text, b, rules, resume, &here, atoms);
      }
    }
  }

  // Sets the bit of every position of `text` where an atom may start, found
  // from the numbers in it, each an ASCII digit or a Roman numeral: a run of
  // I, V, X and L after a space that ends its word, as RightOk() wants "quý
  // III" and "khóa XII" to end. Every atom holds one, and starts
  //  - with its first digit, when a rule starts with a number: four digits
  //    (a year, ISO), or one or two and then "/" and a digit (D/M, M/Y),
  //    "-" and four digits or one or two and "-" (M-Y, D-M-Y), "." and one
  //    or two digits and "." (D.M.Y), or spaces and a word that follows a
  //    number in some rule (a month, "năm", "tháng đầu năm": after_number_);
  //  - or with a phrase of a lexicon list, each word of it followed by
  //    spaces and the last by the number ("tháng 9", "quý III", "lần thứ
  //    20"): in the word k words before the number, for every k that a
  //    leading phrase has words (bit k of lead_word_counts_); the phrase may
  //    start inside that word, after a bracket or a quote.
  // Tied to the patterns built in CreateDateExtractor(); the plain extractor
  // runs without it, and tests compare the two.
  void MarkStarts(std::string_view text, std::vector<uint64_t>* starts) const {
    const size_t size = text.size();
    starts->assign((size + 63) / 64, any_lead_shape_ ? ~uint64_t{0} : 0);
    if (any_lead_shape_) return;  // a phrase whose words MarkWordsBefore() cannot count
    auto mark = [&](size_t p) { (*starts)[p / 64] |= uint64_t{1} << (p % 64); };
    for (size_t x = numeral_bytes_.Next(text, 0); x < size; x = numeral_bytes_.Next(text, x + 1)) {
      const char c = text[x];
      const bool after_space = x > 0 && text[x - 1] == ' ';
      if (IsAsciiDigit(c)) {
        if ((x == 0 || !IsAsciiDigit(text[x - 1])) && NumberMayStartAtom(text, x)) mark(x);
        if (after_space) MarkWordsBefore(text, x, mark);
        // The other digits of the number follow a digit: nothing to mark.
        while (x + 1 < size && IsAsciiDigit(text[x + 1])) ++x;
      } else if (after_space && IsRomanLetter(c)) {
        size_t e = x + 1;
        while (e < size && IsRomanLetter(text[e])) ++e;
        if (!IsWordChar(CharAt(text, e))) MarkWordsBefore(text, x, mark);
        x = e - 1;  // the other letters of the run follow a letter
      }
    }
  }
  static bool IsRomanLetter(char c) { return c == 'I' || c == 'V' || c == 'X' || c == 'L'; }

  // The number that starts at `b` may start an atom (see MarkStarts()).
  bool NumberMayStartAtom(std::string_view text, size_t b) const {
    const size_t size = text.size();
    auto digits_at = [&](size_t p) {
      size_t e = p;
      while (e < size && IsAsciiDigit(text[e])) ++e;
      return e - p;
    };
    const size_t digits = digits_at(b);
    if (digits == 4) return true;
    const size_t r = b + digits;
    if (digits > 2 || r + 1 >= size) return false;
    const size_t after = digits_at(r + 1);
    switch (text[r]) {
      case '/':
        return after > 0;
      case '-':
        return after == 4 || (after >= 1 && after <= 2 && r + 1 + after < size &&
                              text[r + 1 + after] == '-');
      case '.':
        return after >= 1 && after <= 2 && r + 1 + after < size && text[r + 1 + after] == '.';
      case ' ':
        return after_number_.At(text, extract::SkipSpaces(text, r));
      default:
        return false;
    }
  }

  // Marks the positions of the words k words before `x`, a number after a
  // space, for each k that some leading phrase has words.
  template <typename Mark>
  void MarkWordsBefore(std::string_view text, size_t x, const Mark& mark) const {
    size_t p = x;
    for (uint32_t words = lead_word_counts_ >> 1; words != 0; words >>= 1) {
      const size_t end = extract::SkipSpacesBack(text, p);
      if (end == 0) break;  // no word before
      p = end;
      while (p > 0 && text[p - 1] != ' ') --p;
      if (words & 1) {
        // Only where FindAtoms() goes on to look: a byte a rule may start
        // with (starts_), not after an ASCII letter or digit (LeftOk()).
        for (size_t q = p; q < end; ++q) {
          if (starts_.MayStartWith(static_cast<unsigned char>(text[q])) &&
              (q == p || !IsAsciiAlnum(text[q - 1]))) {
            mark(q);
          }
        }
      }
    }
  }

  // Which rules that start with their number ([0-9]{1,2} or [0-9]{4}, not
  // a leading phrase, which PhraseTagsAt() answers for) may match at the
  // digit `b`, from the digits there and what follows them:
  //  - four or more digits: a bare year, and an ISO date if "-" follows four;
  //  - one or two and "/": D/M if a digit follows, M/Y if four do, D/M/Y if
  //    one or two do and then "/" and four digits; with "-": M-Y and D-M-Y
  //    alike, with ".": D.M.Y;
  //  - one or two and spaces: the rules whose word (a month, "năm", "tháng
  //    đầu năm") may start the next word (after_number_, tagged by rule).
  // Tied to the patterns built in MakeDateExtractor(); the plain extractor
  // runs without it.
  uint32_t RulesForNumberAt(std::string_view text, size_t b) const {
    auto digits_at = [&](size_t p) {
      size_t e = p;
      while (e < text.size() && IsAsciiDigit(text[e])) ++e;
      return e - p;
    };
    const size_t digits = digits_at(b);
    const size_t r = b + digits;
    if (digits >= 4) {
      return RuleBit(RuleId::kBareYear) |
             (digits == 4 && r < text.size() && text[r] == '-' ? RuleBit(RuleId::kIsoDate) : 0);
    }
    if (digits == 3 || r >= text.size()) return 0;
    const char sep = text[r];
    if (sep == ' ') return after_number_.PhraseTagsAt(text, extract::SkipSpaces(text, r));
    if (sep != '/' && sep != '-' && sep != '.') return 0;
    const size_t second = digits_at(r + 1);
    uint32_t rules = 0;
    if (sep == '/' && second >= 1) rules |= RuleBit(RuleId::kDayMonth);
    if (sep != '.' && second >= 4) rules |= RuleBit(RuleId::kMonthYear);
    const size_t y = r + 1 + second;  // the separator again, then the year
    if (second >= 1 && second <= 2 && y < text.size() && text[y] == sep && digits_at(y + 1) >= 4) {
      rules |= RuleBit(RuleId::kFullDate);
    }
    return rules;
  }

  // Of the rules that start with their number, which may match at `b` with
  // their leading phrase (a day or month word): the number starts one of
  // the number_lead_words_ words after the one `b` is in (a phrase's words
  // are followed by spaces), and RulesForNumberAt() there must allow them.
  uint32_t RulesForNumbersAfter(std::string_view text, size_t b) const {
    uint32_t rules = 0;
    size_t e = extract::WordsEnd(text, b, 0);
    for (int words = 0; words < number_lead_words_ && e < text.size(); ++words) {
      const size_t x = extract::SkipSpaces(text, e);
      if (x < text.size() && IsAsciiDigit(text[x])) rules |= RulesForNumberAt(text, x);
      e = extract::WordsEnd(text, x, 0);
    }
    return rules;
  }

  // The atoms of the rules that match anchored at `b`, of `rules` (bit i
  // for rules_[i]: every rule that may match there).
  void RulesAt(std::string_view text, size_t b, uint32_t rules, size_t* resume,
               std::vector<int>* here, std::vector<Atom>* atoms) const {
    uint32_t matching = 0;
    RE2::Set::ErrorInfo error;
    if (std::popcount(rules) <= 2) {
      // Running one or two rules costs less than asking the set first,
      // as their shapes were checked (a rule that fails costs a little more).
      matching = rules;
    } else if (rules_here_->Match(re2::StringPiece(text.data() + b, text.size() - b), here,
                                  &error)) {
      for (int index : *here) matching |= 1u << index;
    } else if (error.kind != RE2::Set::kNoError) {
      matching = rules;  // the set gave up (DFA out of memory): try every rule
    }
    re2::StringPiece m[8];
    for (; matching != 0; matching &= matching - 1) {
      const int index = __builtin_ctz(matching);
      if (b < resume[index]) continue;
      const Rule& rule = rules_[index];
      if (rule.four_digits) {
        // What RE2 finds for kFourDigits anchored at b.
        if (text.size() - b < 4 || !std::all_of(text.begin() + b, text.begin() + b + 4,
                                                [](char c) { return IsAsciiDigit(c); })) {
          continue;
        }
        m[0] = m[1] = re2::StringPiece(text.data() + b, 4);
      } else {
        const int n = std::min(rule.re->NumberOfCapturingGroups() + 1, 8);
        if (!rule.re->Match(text, b, text.size(), RE2::ANCHOR_START, m, n)) continue;
      }
      const size_t e = b + m[0].size();
      Atom atom;
      atom.begin = b;
      atom.end = e;
      atom.rule_index = index;
      if (!RightOk(text, e) || !MakeAtom(rule.id, text, m, &atom)) continue;
      resume[index] = e;
      const auto after = std::upper_bound(
          atoms->begin(), atoms->end(), index,
          [](int i, const Atom& a) { return i < a.rule_index; });
      atoms->insert(after, std::move(atom));
    }
  }

  // Fills `atom` from a match of `id`; false when the match is no date.
  bool MakeAtom(RuleId id, std::string_view text, const re2::StringPiece* m, Atom* atom) const {
    PartialDate& d = atom->date;
    switch (id) {
      case RuleId::kFullDate: {
        d.day = ToInt(m[2]);
        d.month = ToInt(Has(m[3]) ? m[3] : (Has(m[4]) ? m[4] : m[5]));
        d.year = ToInt(m[6]);
        atom->rule = "date.day_month_year";
        return ValidYear(d.year, 1000) && ValidDayMonth(d);
      }
      case RuleId::kIsoDate: {
        d.year = ToInt(m[1]);
        d.month = ToInt(m[2]);
        d.day = ToInt(m[3]);
        atom->rule = "date.day_month_year";
        return ValidYear(d.year, 1000) && ValidDayMonth(d);
      }
      case RuleId::kVerboseDate: {
        d.day = ToInt(m[2]);
        d.month = ToInt(m[3]);
        if (Has(m[4])) d.year = ToInt(m[4]);
        if (!Has(m[1]) && !d.year) return false;  // "6 tháng 9": a duration, not a date
        if (d.year && !ValidYear(d.year, 1000)) return false;
        atom->rule = d.year ? "date.day_month_year" : "date.day_month";
        return ValidDayMonth(d);
      }
      case RuleId::kMonthYear: {
        d.month = ToInt(m[2]);
        const bool slash = Has(m[3]);
        d.year = ToInt(slash ? m[3] : (Has(m[4]) ? m[4] : m[5]));
        if (!Has(m[1]) && !slash) return false;  // "9 năm 2023": nine years
        atom->rule = "date.month_year";
        return d.month >= 1 && d.month <= 12 && ValidYear(d.year, Has(m[1]) ? 1000 : 1900);
      }
      case RuleId::kDayMonth: {
        d.day = ToInt(m[2]);
        d.month = ToInt(m[3]);
        if (!ValidDayMonth(d)) return false;
        // "1/2 nhiệm kỳ", "2/3 số đại biểu": fractions, never dates.
        if (FollowedBy(text, atom->end, words_.fraction_noun)) return false;
        atom->standalone = Has(m[1]) || PrecededBy(text, atom->begin, words_.dm_cue) ||
                           CharBefore(text, atom->begin) == '(';
        if (!atom->standalone) {  // "Thứ Hai, 19/12"
          const size_t p = extract::SkipSpacesBack(text, atom->begin);
          atom->standalone = p > 0 && text[p - 1] == ',' && PrecededBy(text, p - 1, words_.weekday);
        }
        atom->rule = "date.day_month";
        return true;
      }
      case RuleId::kMonth: {
        d.month = ToInt(m[1]);
        if (d.month < 1 || d.month > 12) return false;
        // "mỗi tháng 1 lần", "tháng 2 lần": rates.
        if (PrecededBy(text, atom->begin, words_.each)) return false;
        if (FollowedBy(text, atom->end, words_.frequency)) return false;
        if (IsDigit(CharBefore(text, extract::SkipSpacesBack(text, atom->begin)))) return false;
        // "tháng 9 hằng năm", "tháng 9 và tháng 10 hằng năm": every year's
        // month, no date.
        if (RecurringMonth(text, atom->end)) return false;
        atom->rule = "date.month";
        return true;
      }
      case RuleId::kYearWord: {
        d.year = ToInt(m[1]);
        atom->rule = "date.year";
        return ValidYear(d.year, 1000);
      }
      case RuleId::kBareYear: {
        d.year = ToInt(m[1]);
        if (!ValidYear(d.year, 1900) || d.year > 2099) return false;
        atom->bare_year = true;
        atom->rule = "date.year";
        if (PrecededBy(text, atom->begin, words_.event)) {
          atom->standalone = true;
        } else if (PrecededBy(text, atom->begin, words_.year_cue)) {
          // "trong 2025," but not "trong 2000 hộ": with only a weak cue the
          // year must end the clause.
          const char32_t next = CharAt(text, atom->end);
          atom->standalone = next == 0 || next == ',' || next == '.' || next == ';' ||
                             next == ':' || next == ')' || next == '\n' || next == '!' ||
                             next == '?';
        } else {
          atom->standalone = false;
        }
        return true;
      }
      case RuleId::kQuarter: {
        const std::string_view q(m[1].data(), m[1].size());
        if (auto roman = ParseRomanNumeral(q)) {
          d.quarter = *roman;
        } else {
          d.quarter = ToInt(m[1]);
        }
        if (d.quarter < 1 || d.quarter > 4) return false;
        if (Has(m[2]) || Has(m[3])) {
          d.year = ToInt(Has(m[2]) ? m[2] : m[3]);
          if (!ValidYear(d.year, 1000)) return false;
        }
        atom->rule = "date.quarter";
        return true;
      }
      case RuleId::kMonthsOfYear: {
        const int n = ToInt(m[1]);
        if (n < 1 || n > 12) return false;
        const bool first = Has(m[2]) || Has(m[4]);
        if (Has(m[4]) && !Has(m[5])) return false;  // "11 tháng năm" alone
        atom->kind = AtomKind::kMonths;
        atom->months_from = first ? 1 : 13 - n;
        atom->months_to = first ? n : 12;
        if (Has(m[5])) {
          d.year = ToInt(m[5]);
          if (!ValidYear(d.year, 1000)) return false;
        }
        atom->rule = "date.months_of_year";
        return true;
      }
      case RuleId::kTermRoman: {
        auto value = ParseRomanNumeral(std::string_view(m[2].data(), m[2].size()));
        const TermWord* word = FindTermWord(m[1]);
        if (!value || !word) return false;
        atom->kind = AtomKind::kTerm;
        atom->term.value = *value;
        atom->term.label = word->label;
        atom->rule = words_.term_rules[word - words_.terms.data()];
        return true;
      }
      case RuleId::kTermNumber: {
        // "Sinh viên khóa 15", "tổ chức lần thứ 3" count cohorts and times;
        // "Quốc hội khóa 15", "Đại hội Đảng bộ tỉnh lần thứ 20" are terms.
        const int value = ToInt(m[2]);
        const TermWord* word = FindTermWord(m[1]);
        if (!word || value < 1 || value > 99 || !HolderBefore(text, atom->begin)) return false;
        atom->kind = AtomKind::kTerm;
        atom->term.value = value;
        atom->term.label = word->label;
        atom->rule = words_.term_number_rules[word - words_.terms.data()];
        return true;
      }
      case RuleId::kTermYears: {
        const int from = ToInt(m[2]), to = ToInt(m[3]);
        const TermWord* word = FindTermWord(m[1]);
        if (!word || !ValidYear(from, 1900) || to <= from || to - from > 10) return false;
        atom->kind = AtomKind::kTerm;
        atom->term.value = from;
        atom->term.label = word->label;
        atom->term.period = std::to_string(from) + "/" + std::to_string(to);
        atom->rule = words_.term_rules[word - words_.terms.data()];
        return true;
      }
    }
    return false;
  }

  static bool ValidYear(int year, int min) { return year >= min && year <= 2199; }
  static bool ValidDayMonth(const PartialDate& d) {
    return d.month >= 1 && d.month <= 12 && extract::IsValidDay(d.year, d.month, d.day);
  }

  // Whether a term holder ends within kMaxWordsAfterHolder words before
  // `pos`, in the same clause; "Đảng bộ tỉnh (khóa 19)" looks through the
  // bracket.
  bool HolderBefore(std::string_view text, size_t pos) const {
    size_t end = pos;
    if (const size_t p = extract::SkipSpacesBack(text, end); p > 0 && text[p - 1] == '(') {
      end = p - 1;
    }
    for (int words = 0; words <= kMaxWordsAfterHolder; ++words) {
      if (PrecededBy(text, end, words_.term_holders)) return true;
      end = extract::SkipSpacesBack(text, end);
      if (end == 0 || !IsWordChar(CharBefore(text, end))) return false;  // clause edge
      while (end > 0 && IsWordChar(CharBefore(text, end))) {
        end -= Utf8Length(CharBefore(text, end));
      }
    }
    return false;
  }

  const TermWord* FindTermWord(const re2::StringPiece& sp) const {
    const std::string lower = ToLowerUtf8(std::string_view(sp.data(), sp.size()));
    for (const TermWord& w : words_.terms) {
      if (extract::MatchPhraseAt(lower, 0, w.lower) == lower.size()) return &w;
    }
    return nullptr;
  }

  // A bare day that `re` finds ending exactly at `end` (searched in the
  // `window` bytes before it) and starting a word: not the end of "15/8" or
  // of a longer number. `*begin` is where the match starts (with its "từ" or
  // "ngày"), `*digits` the day's own bytes.
  //
  // `list`: `re` is day_list_re_, which wants after the day's one or two
  // digits spaces and a comma or "và" (case as written), else day_range_re_,
  // which wants spaces and a dash, or spaces and an "until" phrase (in any
  // case, until_starts_). Most dates have no number before them, and most
  // numbers are followed by neither: the search runs only when one is.
  std::optional<int> BareDayBefore(const RE2& re, bool list, std::string_view text, size_t end,
                                   size_t window_bytes, size_t* begin,
                                   re2::StringPiece* digits) const {
    const size_t from = end > window_bytes ? end - window_bytes : 0;
    // On the window itself: RE2 matches '$' only at the end of its whole input.
    const std::string_view window = text.substr(from, end - from);
    bool may_match = plain_ && std::any_of(window.begin(), window.end(),
                                           [](char c) { return IsAsciiDigit(c); });
    for (size_t p = 0; p < window.size() && !may_match && !plain_; ++p) {
      if (!IsAsciiDigit(window[p]) || (p + 1 < window.size() && IsAsciiDigit(window[p + 1]))) {
        continue;
      }
      const size_t q = extract::SkipSpaces(window, p + 1);  // p: the last digit of a number
      if (q >= window.size()) continue;
      if (list) {
        may_match = window[q] == ',' || (q > p + 1 && window.substr(q, 3) == "và");
      } else {
        may_match = window[q] == '-' || window.substr(q, 3) == "\u2013" ||
                    window.substr(q, 3) == "\u2014" ||
                    (q > p + 1 && until_starts_.At(window, q));
      }
    }
    if (!may_match) return std::nullopt;
    re2::StringPiece m[2];
    if (!re.Match(window, 0, window.size(), RE2::UNANCHORED, m, 2)) return std::nullopt;
    *begin = m[0].data() - text.data();
    const char32_t before = *begin > 0 ? CharBefore(text, *begin) : 0;
    if (IsWordChar(before) || before == '/' || before == '.' || before == ',') return std::nullopt;
    *digits = m[1];
    const int day = std::atoi(std::string(m[1].data(), m[1].size()).c_str());
    return day >= 1 ? std::optional<int>(day) : std::nullopt;
  }

  // "từ ngày 8 đến ngày 10/12", "8 - 10/12/2023": the first day shares the
  // month and year of the date that ends the range.
  void AddSharedMonthRange(std::string_view text, const Atom& b, std::vector<Atom>* out) const {
    if (!b.date.day || !b.date.month) return;
    size_t begin = 0;  // set when a day is found
    re2::StringPiece digits;
    const std::optional<int> day =
        BareDayBefore(*day_range_re_, /*list=*/false, text, b.begin, 40, &begin, &digits);
    if (!day || *day >= b.date.day) return;
    Atom iv;
    iv.kind = AtomKind::kInterval;
    iv.begin = begin;
    iv.end = b.end;
    iv.date = b.date;
    iv.date.day = *day;
    iv.to = b.date;
    iv.rule = "date.day_range";
    out->push_back(std::move(iv));
  }

  // "ngày 24 và 25/7/2024", "các ngày 24, 25 và 26/7": each bare day before
  // the full date is a date of that month and year. The list makes a date
  // only after "ngày" or a day-month cue ("tối 20 và 21/12"), or before a date
  // that is one by itself: "3 và 5/7 chỉ tiêu" is no date; and it makes the
  // last day-month a date too.
  void AddSharedMonthList(std::string_view text, const Atom& b, std::vector<Atom>* out) const {
    if (!b.date.day || !b.date.month) return;
    constexpr size_t kWindow = 24;
    size_t end = b.begin;
    int next_day = b.date.day;
    bool day_word = false;
    std::vector<Atom> items;
    for (int n = 0; n < 10; ++n) {
      size_t begin = 0;  // set when a day is found
      re2::StringPiece digits;
      const std::optional<int> day =
          BareDayBefore(*day_list_re_, /*list=*/true, text, end, kWindow, &begin, &digits);
      if (!day || *day >= next_day) break;
      day_word = day_word || digits.data() != text.data() + begin;  // "ngày" before the number
      Atom atom;
      atom.kind = AtomKind::kDate;
      atom.begin = begin;
      atom.end = digits.data() - text.data() + digits.size();
      atom.date = b.date;
      atom.date.day = *day;
      atom.rule = "date.day_list";
      items.push_back(std::move(atom));
      end = begin;
      next_day = *day;
    }
    // "tối 20 và 21/12": a day-month cue before the first day counts too.
    if (!items.empty() && !day_word) day_word = PrecededBy(text, items.back().begin, words_.dm_cue);
    if (items.empty() || (!b.standalone && !day_word)) return;
    for (Atom& item : items) out->push_back(std::move(item));
    if (!b.standalone) {
      Atom last = b;
      last.standalone = true;
      out->push_back(std::move(last));
    }
  }

  void ComposeIntervals(std::string_view text, const std::vector<Atom>& atoms,
                        std::vector<Atom>* out) const {
    for (const Atom& a : atoms) {
      if (a.kind != AtomKind::kDate) continue;
      // A ... đến nay -> A/..
      {
        // The pattern is spaces and an "until" phrase first: most dates are
        // followed by neither.
        re2::StringPiece m[1];
        if (a.end < text.size() && text[a.end] == ' ' &&
            (plain_ || until_starts_.At(text, extract::SkipSpaces(text, a.end))) &&
            until_now_re_->Match(text, a.end, text.size(), RE2::ANCHOR_START, m, 1)) {
          const size_t e = m[0].data() - text.data() + m[0].size();
          if (!IsWordChar(CharAt(text, e))) {
            Atom iv = a;
            iv.end = e;
            iv.standalone = true;
            iv.rule = "date.since";
            iv.kind = AtomKind::kSince;
            if (auto from = words_.from.EndingAt(text, a.begin)) iv.begin = *from;
            out->push_back(std::move(iv));
          }
        }
      }
      AddSharedMonthRange(text, a, out);
      AddSharedMonthList(text, a, out);
      for (const Atom& b : atoms) {
        if (b.kind != AtomKind::kDate || b.begin < a.end || b.begin - a.end > 24) continue;
        const std::string_view gap = text.substr(a.end, b.begin - a.end);
        // dash_re_ wants a dash (-, or U+2013/2014, which start with 0xE2);
        // until_re_ spaces and an "until" phrase (in any case).
        const bool dash = (plain_ || gap.find_first_of("-\xE2") != std::string_view::npos) &&
                          RE2::FullMatch(gap, *dash_re_);
        const bool until = !dash && !gap.empty() && gap[0] == ' ' &&
                           (plain_ || until_starts_.At(text, extract::SkipSpaces(text, a.end))) &&
                           RE2::FullMatch(gap, *until_re_);
        if (!dash && !until) continue;
        // "vốn năm 2024 đến hết tháng 1/2025": without a "từ" or a period
        // word, ends of different precision are a date and a deadline, not
        // one interval ("ngày 8 đến ngày 10/12" still is one).
        const bool opened = words_.from.EndingAt(text, a.begin).has_value() ||
                            words_.period.EndingAt(text, a.begin).has_value();
        if (until && !opened && Precision(a.date) != Precision(b.date)) continue;
        PartialDate from = a.date, to = b.date;
        if (a.bare_year && !b.bare_year && b.date.month) continue;  // "2023-10/..." noise
        // "từ 19/12 đến 25/12/2023": the first end takes the year of the second.
        if (!from.year && to.year) {
          from.year = to.year;
          if (StartKey(from) > EndKey(to)) --from.year;
        } else if (from.year && !to.year) {
          to.year = from.year;
          if (StartKey(from) > EndKey(to)) ++to.year;
        }
        if (from.year && to.year) {
          if (StartKey(from) > EndKey(to)) continue;
          if (to.year - from.year > 100) continue;
          if (a.bare_year && b.bare_year && to.year <= from.year) continue;
        } else if (StartKey(from) > EndKey(to)) {
          continue;
        }
        Atom iv;
        iv.kind = AtomKind::kInterval;
        iv.begin = a.begin;
        iv.end = b.end;
        iv.date = from;
        iv.to = to;
        iv.rule = a.bare_year && b.bare_year ? "date.year_range" : "date.interval";
        if (auto start = words_.from.EndingAt(text, a.begin)) {
          iv.begin = *start;
        } else if (auto start = words_.period.EndingAt(text, a.begin)) {
          iv.begin = *start;
        }
        out->push_back(std::move(iv));
      }
    }
  }

  void Select(std::string_view text, uint32_t base, uint32_t sentence,
              const std::optional<CivilDate>& reference, size_t dateline_at,
              const std::vector<std::pair<uint32_t, uint32_t>>& taken,
              std::vector<Atom>* candidates, std::vector<Fact>* facts) const {
    // Longest first, then leftmost; the order of the list among equals.
    // (Pointers: an Atom is costly to move.)
    std::vector<const Atom*> by_length;
    by_length.reserve(candidates->size());
    for (const Atom& c : *candidates) by_length.push_back(&c);
    std::sort(by_length.begin(), by_length.end(), [](const Atom* a, const Atom* b) {
      const size_t la = a->end - a->begin, lb = b->end - b->begin;
      if (la != lb) return la > lb;
      return a->begin != b->begin ? a->begin < b->begin : a < b;  // a < b: list order
    });
    std::vector<const Atom*> chosen;
    for (const Atom* candidate : by_length) {
      const Atom& c = *candidate;
      const uint32_t b = base + static_cast<uint32_t>(c.begin);
      const uint32_t e = base + static_cast<uint32_t>(c.end);
      bool clash = false;
      for (const Atom* o : chosen) clash |= c.begin < o->end && o->begin < c.end;
      auto it = std::lower_bound(taken.begin(), taken.end(), std::make_pair(e, 0u));
      while (!clash && it != taken.begin()) {
        --it;
        if (it->second > b) clash = true;
        if (it->first + 4096 < b) break;  // spans are short; stop scanning back
      }
      if (!clash) chosen.push_back(&c);
    }
    std::sort(chosen.begin(), chosen.end(),
              [](const Atom* a, const Atom* b) { return a->begin < b->begin; });
    const Atom* previous = nullptr;
    for (const Atom* c : chosen) {
      const Atom* before = previous;
      previous = c;
      // "ngày 6/3 âm lịch": a day of the lunar calendar, no ISO date (the
      // solar one is usually given beside it).
      if (c->kind != AtomKind::kTerm && FollowedBy(text, c->end, words_.lunar)) continue;
      Fact fact;
      fact.begin = base + static_cast<uint32_t>(c->begin);
      fact.end = base + static_cast<uint32_t>(c->end);
      fact.sentence = sentence;
      fact.rule.assign(c->rule);
      if (c->kind == AtomKind::kTerm) {
        fact.kind = FactKind::kTerm;
        fact.value = c->term;
        facts->push_back(std::move(fact));
        continue;
      }
      fact.kind = FactKind::kDate;
      DateFact value;
      if (c->kind == AtomKind::kMonths) {
        PartialDate from, to;
        from.year = to.year = c->date.year;
        if (!from.year && reference) {
          from.year = to.year = reference->year;
          value.inferred = true;
          fact.rule += "_inferred";
        }
        from.month = c->months_from;
        to.month = c->months_to;
        value.value = Iso(from) + "/" + Iso(to);
      } else if (c->kind == AtomKind::kInterval) {
        PartialDate from = c->date, to = c->to;
        if (!from.year && !to.year && reference) {
          InferYear(*reference, &from);
          to.year = from.year;
          if (StartKey(from) > EndKey(to)) ++to.year;
          value.inferred = true;
        }
        value.value = Iso(from) + "/" + Iso(to);
      } else {
        PartialDate d = c->date;
        if (!d.year && d.month && before != nullptr && YearGoesOn(text, *before, *c)) {
          // "kế hoạch vốn năm 2025 trước ngày 30/11": the day is in the year
          // just named, whatever the article's date.
          d.year = before->date.year;
          value.inferred = true;
          fact.rule += "_inferred";
        } else if (!d.year) {
          if (reference) {
            InferYear(*reference, &d);
            value.inferred = true;
            if (c->kind != AtomKind::kSince) fact.rule += "_inferred";
          } else if (d.quarter) {
            continue;  // a quarter without a year has no ISO form
          }
        }
        value.value = Iso(d) + (c->kind == AtomKind::kSince ? "/.." : "");
      }
      if (dateline_at != std::string::npos && fact.begin == dateline_at) fact.rule = "date.dateline";
      fact.value = std::move(value);
      facts->push_back(std::move(fact));
    }
  }

  // Whether a year-only date ("năm 2025") is followed, within the same clause
  // and at most two words later, by `next`, a day or month without a year.
  static bool YearGoesOn(std::string_view text, const Atom& year, const Atom& next) {
    if (year.kind != AtomKind::kDate || !year.date.year || year.date.month || year.date.quarter ||
        year.end > next.begin) {
      return false;
    }
    const std::string_view gap = text.substr(year.end, next.begin - year.end);
    if (gap.find_first_of(",;:.()!?\"") != std::string_view::npos) return false;
    int words = 0;
    bool in_word = false;
    for (char ch : gap) {
      const bool space = ch == ' ';
      if (!space && !in_word) ++words;
      in_word = !space;
    }
    return words <= 2;
  }

  // 1 year, 2 quarter, 3 month, 4 day: what a date names.
  static int Precision(const PartialDate& d) {
    return d.day ? 4 : d.month ? 3 : d.quarter ? 2 : 1;
  }

  // The year nearest the article date: "19/12" in an article of 2024-01-03 is
  // 2023-12-19, and "quý IV" in one of 2025-01-10 is 2024-Q4 (a quarter counts
  // from its middle month). News reports mostly look back, so a day ahead
  // counts as two behind: "tháng 5" in a report of 2024-12-10 is May 2024.
  static void InferYear(const CivilDate& ref, PartialDate* d) {
    const int month = d->quarter ? d->quarter * 3 - 1 : d->month;
    if (!month) {
      d->year = ref.year;
      return;
    }
    const int64_t ref_days = extract::DaysFromCivil(ref.year, ref.month, ref.day);
    int best = ref.year;
    int64_t best_distance = -1;
    for (int y : {ref.year, ref.year - 1, ref.year + 1}) {
      const int day = d->day ? d->day : 15;
      if (!extract::IsValidDay(y, month, day)) continue;
      const int64_t offset = extract::DaysFromCivil(y, month, day) - ref_days;
      const int64_t distance = offset > 0 ? 2 * offset : -offset;
      if (best_distance < 0 || distance < best_distance) {
        best = y;
        best_distance = distance;
      }
    }
    d->year = best;
  }

  Words words_;
  std::vector<Rule> rules_;
  const bool plain_;  // ask rules_here_ at every left edge (for tests)
  extract::MatchStarts starts_;  // where a rule of rules_ may start, tagged with RuleBit()s
  uint32_t number_rules_ = 0;    // the rules that may start with their number
  int number_lead_words_ = 0;    // the most words a phrase before their number has
  // Where a word that follows a number in a rule may start ("tháng" in
  // "6 tháng đầu năm"), and how many words a phrase a rule starts with has:
  // for MarkStarts().
  extract::MatchStarts after_number_;
  uint32_t lead_word_counts_ = 0;
  bool any_lead_shape_ = false;  // a phrase MarkStarts() cannot count words of
  extract::MatchStarts until_starts_;  // where an "until" phrase may start
  extract::MatchStarts weekday_starts_;  // where a weekday may start: FindDateline()
  int weekday_words_ = 0;                // the most words a weekday has
  const extract::DigitFinder digits_;
  const extract::DigitFinder numeral_bytes_{"IVXL"};  // what MarkStarts() looks at
  // The patterns of rules_ (same order), anchored: which rules match at a
  // position.
  std::unique_ptr<RE2::Set> rules_here_;
  std::unique_ptr<RE2> dateline_re_;
  std::unique_ptr<RE2> dash_re_;
  std::unique_ptr<RE2> until_re_;
  std::unique_ptr<RE2> until_now_re_;
  // A bare day before a dash or "đến" that ends a window: "từ ngày 8 đến "
  // (ngày 10/12), "8 - " (10/12/2023).
  std::unique_ptr<RE2> day_range_re_;
  // A bare day before "và" or a comma that ends a window: "ngày 24 và "
  // (25/7/2024).
  std::unique_ptr<RE2> day_list_re_;
  // ", tháng 10" or " và tháng 10" right after a month.
  std::unique_ptr<RE2> month_list_re_;
};

}  // namespace

namespace {

Expected<std::unique_ptr<Extractor>> MakeDateExtractor(const std::filesystem::path& dir, bool plain) {
  auto normalizer = Normalizer::Create(dir);
  if (!normalizer.ok()) return normalizer.status();
  auto roles = extract::WordRoles::Load(
      dir / "date_words.tsv", *normalizer, extract::DateWordRoles());
  if (!roles.ok()) return roles.status();
  for (const char* role : {"day", "month", "year", "quarter", "until", "now", "weekday"}) {
    if (roles->Get(role).empty()) {
      return Status::Error((dir / "date_words.tsv").string() + ": no word with role '" + role +
                           "'");
    }
  }
  Words w;
  w.from = PhrasesByLastChar(roles->Get("from"));
  w.until = roles->Get("until");
  w.now = roles->Get("now");
  w.period = PhrasesByLastChar(roles->Get("period"));
  w.weekday = PhrasesByLastChar(roles->Get("weekday"));
  w.dm_cue = PhrasesByLastChar(roles->Get("dm_cue"));
  w.year_cue = PhrasesByLastChar(roles->Get("year_cue"));
  w.event = PhrasesByLastChar(roles->Get("event"));
  w.fraction_noun = roles->Get("fraction_noun");
  w.frequency = roles->Get("frequency");
  w.each = PhrasesByLastChar(roles->Get("each"));
  w.recurring = roles->Get("recurring");
  w.lunar = roles->Get("lunar");

  auto terms = extract::LoadTermWords(dir, *normalizer);
  if (!terms.ok()) return terms.status();
  std::vector<std::string> roman_words, number_words, year_words;
  for (const TermWord& tw : *terms) {
    (tw.years ? year_words : roman_words).push_back(tw.lower);
    if (tw.arabic) number_words.push_back(tw.lower);
  }
  w.terms = std::move(terms).value();
  for (const TermWord& tw : w.terms) {
    w.term_rules.push_back("term." + tw.rule);
    w.term_number_rules.push_back("term." + tw.rule + "_number");
  }
  extract::SortLongestFirst(&roman_words);
  extract::SortLongestFirst(&number_words);
  extract::SortLongestFirst(&year_words);

  auto holders = LoadLexiconTable(dir / "term_holders.tsv",
                                  {.min_fields = 1, .max_fields = 1, .unique_key = true,
                                   .case_insensitive_key = true});
  if (!holders.ok()) return holders.status();
  std::vector<std::string> term_holders;
  for (const LexiconRow& row : holders->rows) {
    term_holders.push_back(ToLowerUtf8(normalizer->NormalizeString(row.fields[0])));
  }
  extract::SortLongestFirst(&term_holders);
  w.term_holders = PhrasesByLastChar(std::move(term_holders));

  using extract::Alternation;
  const std::string day = Alternation(roles->Get("day"));
  const std::string month = Alternation(roles->Get("month"));
  const std::string year = Alternation(roles->Get("year"));
  const std::string D = "([0-9]{1,2})";
  const std::string Y(kFourDigits);
  const std::string dash = " *[-\u2013\u2014] *";

  // Each rule with what it may start with: a digit, or words of these lists
  // (MatchStarts finds where to run the rules).
  std::vector<Rule> rules;
  extract::MatchStarts starts;
  uint32_t number_rules = 0;
  int number_lead_words = 0;
  uint32_t lead_word_counts = 0;
  bool any_lead_shape = false;
  auto rules_here = std::make_unique<RE2::Set>(RE2::DefaultOptions, RE2::ANCHOR_START);
  std::string set_error;
  auto add = [&](RuleId id, const std::string& pattern, bool digit,
                 std::initializer_list<const std::vector<std::string>*> leading_words) {
    rules.push_back({id, std::make_unique<RE2>(pattern), pattern == kFourDigits});
    if (rules_here->Add(pattern, &set_error) < 0 && set_error.empty()) set_error = pattern;
    if (digit) {
      starts.AddDigits();
      number_rules |= RuleBit(id);
      for (const std::vector<std::string>* words : leading_words) {
        for (const std::string& phrase : *words) {
          number_lead_words = std::max(number_lead_words, extract::WordCount(phrase));
        }
      }
    }
    for (const std::vector<std::string>* words : leading_words) {
      starts.AddPhrases(*words, RuleBit(id));
      for (const std::string& phrase : *words) {
        // The words Alternation() makes of it, each then followed by " +"
        // in the rule. A phrase with a space at an end has an empty one,
        // which MarkStarts() does not count: it then tries every position.
        size_t count = 1;
        for (size_t i = 0; i < phrase.size(); ++i) {
          count += phrase[i] == ' ' && (i == 0 || phrase[i - 1] != ' ');
        }
        if (phrase.empty() || phrase.front() == ' ' || phrase.back() == ' ' || count >= 32) {
          any_lead_shape = true;
        } else {
          lead_word_counts |= 1u << count;
        }
      }
    }
  };
  const std::vector<std::string>& day_words = roles->Get("day");
  const std::vector<std::string>& month_words = roles->Get("month");
  add(RuleId::kFullDate,
      "(" + day + " +)?" + D + "(?:/([0-9]{1,2})/|-([0-9]{1,2})-|\\.([0-9]{1,2})\\.)" + Y, true,
      {&day_words});
  add(RuleId::kIsoDate, "([0-9]{4})-([0-9]{2})-([0-9]{2})", true, {});
  add(RuleId::kVerboseDate,
      "(" + day + " +)?" + D + " +" + month + " +" + D + "(?: *,? +" + year + " +" + Y + ")?", true,
      {&day_words});
  add(RuleId::kMonthYear,
      "(" + month + " +)?" + D + "(?:/" + Y + "| +" + year + " +" + Y + "|-" + Y + ")", true,
      {&month_words});
  add(RuleId::kDayMonth, "(" + day + " +)?" + D + "/" + D, true, {&day_words});
  add(RuleId::kMonth, month + " +" + D, false, {&month_words});
  add(RuleId::kYearWord, year + " +" + Y, false, {&roles->Get("year")});
  add(RuleId::kBareYear, Y, true, {});
  add(RuleId::kQuarter,
      Alternation(roles->Get("quarter")) + " +([IVX]+|[1-4])(?:/" + Y + "| +" + year + " +" + Y +
          ")?",
      false, {&roles->Get("quarter")});
  // "6 tháng đầu năm (2024)", "6 tháng cuối năm", and "11 tháng năm 2024",
  // which needs its year.
  add(RuleId::kMonthsOfYear,
      D + " +(?:(" + Alternation(roles->Get("first_months")) + ")|(" +
          Alternation(roles->Get("last_months")) + ")|(" +
          Alternation(roles->Get("months_of_year")) + "))(?: +" + Y + ")?",
      true, {});
  add(RuleId::kTermRoman, "(" + Alternation(roman_words) + ") +([IVXL]+)", false, {&roman_words});
  add(RuleId::kTermNumber, "(" + Alternation(number_words) + ") +([0-9]{1,2})", false,
      {&number_words});
  add(RuleId::kTermYears, "(" + Alternation(year_words) + ") +" + Y + dash + Y, false,
      {&year_words});
  if (rules.size() != kRuleCount) set_error = "one rule per RuleId";
  if (!set_error.empty() || !rules_here->Compile()) {
    return Status::Error("date extractor: cannot compile rule set: " + set_error);
  }

  // A dateline is a full date with a weekday before it or a time after it.
  auto dateline = std::make_unique<RE2>("(" + Alternation(roles->Get("weekday")) + " *,? *)?" +
                                        D + "/" + D + "/" + Y +
                                        "(,? +-? *[0-9]{1,2}:[0-9]{2})?");
  auto dash_re = std::make_unique<RE2>(dash);
  auto until = std::make_unique<RE2>(" +" + Alternation(w.until) + " +");
  auto until_now =
      std::make_unique<RE2>(" +" + Alternation(w.until) + " +" + Alternation(w.now));
  auto day_range = std::make_unique<RE2>("(?:" + Alternation(w.from.phrases()) + " +)?(?:" + day +
                                         " +)?([0-9]{1,2})(?:" + dash + "| +" +
                                         Alternation(w.until) + " +)(?:" + day + " +)?$");
  auto month_list = std::make_unique<RE2>("(?: *, *| +và +)" + Alternation(roles->Get("month")) +
                                          " +[0-9]{1,2}");
  auto day_list = std::make_unique<RE2>("(?:" + day + " +)?([0-9]{1,2})(?: *, *| +và +)(?:" + day +
                                        " +)?$");

  // Words that follow the number of a rule that starts with one.
  // Tagged with the rule each follows the number in: RulesForNumberAt().
  extract::MatchStarts after_number;
  after_number.AddPhrases(roles->Get("month"), RuleBit(RuleId::kVerboseDate));
  after_number.AddPhrases(roles->Get("year"), RuleBit(RuleId::kMonthYear));
  for (const char* role : {"first_months", "last_months", "months_of_year"}) {
    after_number.AddPhrases(roles->Get(role), RuleBit(RuleId::kMonthsOfYear));
  }
  extract::MatchStarts until_starts;
  until_starts.AddPhrases(w.until);
  extract::MatchStarts weekday_starts;
  weekday_starts.AddPhrases(roles->Get("weekday"));
  int weekday_words = 0;
  for (const std::string& phrase : roles->Get("weekday")) {
    weekday_words = std::max(weekday_words, extract::WordCount(phrase));
  }

  auto extractor = std::make_unique<DateExtractor>(
      std::move(w), std::move(rules), plain, std::move(starts), number_rules, number_lead_words,
      std::move(after_number), any_lead_shape ? 0 : lead_word_counts, any_lead_shape,
      std::move(until_starts), std::move(weekday_starts), weekday_words, std::move(rules_here),
      std::move(dateline), std::move(dash_re), std::move(until), std::move(until_now),
      std::move(day_range), std::move(day_list), std::move(month_list));
  Status status = extractor->Check();
  if (!status.ok()) return status;
  return std::unique_ptr<Extractor>(std::move(extractor));
}

}  // namespace

Expected<std::unique_ptr<Extractor>> CreateDateExtractor(const std::filesystem::path& dir) {
  return MakeDateExtractor(dir, /*plain=*/false);
}

Expected<std::unique_ptr<Extractor>> CreatePlainDateExtractor(const std::filesystem::path& dir) {
  return MakeDateExtractor(dir, /*plain=*/true);
}

}  // namespace vnfacts
