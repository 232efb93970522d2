#include "extractors/extractor_util.h"

#include <re2/re2.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>

#include <algorithm>
#include <array>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace extract {

const std::set<std::string>& DateWordRoles() {
  static const std::set<std::string> kRoles = {
      "day",          "month",     "year",       "quarter",        "period",
      "from",         "until",     "now",        "daypart",        "weekday",
      "dm_cue",       "year_cue",  "event",      "first_months",   "last_months",
      "months_of_year", "fraction_noun", "frequency", "each", "recurring", "lunar"};
  return kRoles;
}

Expected<WordRoles> WordRoles::Load(const std::filesystem::path& path,
                                    const Normalizer& normalizer,
                                    const std::set<std::string>& known_roles) {
  auto table = LoadLexiconTable(path, {.min_fields = 2, .max_fields = 2, .unique_key = true,
                                       .case_insensitive_key = true});
  if (!table.ok()) return table.status();
  WordRoles roles;
  for (const LexiconRow& row : table->rows) {
    const std::string phrase = ToLowerUtf8(normalizer.NormalizeString(row.fields[0]));
    std::string_view list = row.fields[1];
    while (!list.empty()) {
      const size_t comma = list.find(',');
      std::string role(list.substr(0, comma));
      while (!role.empty() && role.back() == ' ') role.pop_back();
      while (!role.empty() && role.front() == ' ') role.erase(role.begin());
      if (!known_roles.count(role)) {
        return Status::Error(table->Where(row) + ": unknown role '" + role + "'");
      }
      roles.by_role_[role].push_back(phrase);
      if (comma == std::string_view::npos) break;
      list.remove_prefix(comma + 1);
    }
  }
  for (auto& [role, phrases] : roles.by_role_) SortLongestFirst(&phrases);
  return roles;
}

const std::vector<std::string>& WordRoles::Get(std::string_view role) const {
  static const std::vector<std::string> kNone;
  auto it = by_role_.find(role);
  return it == by_role_.end() ? kNone : it->second;
}

Expected<std::vector<TermWord>> LoadTermWords(const std::filesystem::path& dir,
                                              const Normalizer& normalizer) {
  auto table = LoadLexiconTable(dir / "terms.tsv", {.min_fields = 4, .max_fields = 4,
                                                    .unique_key = true,
                                                    .case_insensitive_key = true});
  if (!table.ok()) return table.status();
  std::vector<TermWord> words;
  for (const LexiconRow& row : table->rows) {
    const std::string& argument = row.fields[2];
    TermWord w{ToLowerUtf8(normalizer.NormalizeString(row.fields[0])),
               normalizer.NormalizeString(row.fields[1]), row.fields[3]};
    if (argument == "roman") {
      w.roman = true;
    } else if (argument == "roman+number") {
      w.roman = w.arabic = true;
    } else if (argument == "year_range") {
      w.years = true;
    } else {
      return Status::Error(table->Where(row) +
                           ": argument must be roman, roman+number or year_range, not '" +
                           argument + "'");
    }
    words.push_back(std::move(w));
  }
  return words;
}

void SortLongestFirst(std::vector<std::string>* phrases) {
  std::sort(phrases->begin(), phrases->end(), [](const std::string& a, const std::string& b) {
    return a.size() != b.size() ? a.size() > b.size() : a < b;
  });
  phrases->erase(std::unique(phrases->begin(), phrases->end()), phrases->end());
}

std::string Alternation(const std::vector<std::string>& phrases) {
  if (phrases.empty()) return "(?:[^\\x00-\\x{10FFFF}])";
  std::string out = "(?i:";
  for (size_t i = 0; i < phrases.size(); ++i) {
    if (i) out += '|';
    std::string_view p = phrases[i];
    bool first = true;
    while (true) {
      const size_t space = p.find(' ');
      if (!first) out += " +";
      first = false;
      out += RE2::QuoteMeta(p.substr(0, space));
      if (space == std::string_view::npos) break;
      p.remove_prefix(space + 1);
      while (!p.empty() && p.front() == ' ') p.remove_prefix(1);
    }
  }
  out += ')';
  return out;
}

bool IsWordChar(char32_t c) { return c != 0 && (IsLetter(c) || IsDigit(c)); }

char32_t CharAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return 0;
  int32_t c = NextCodePoint(text, &pos);
  return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

char32_t CharBefore(std::string_view text, size_t pos) {
  if (pos == 0 || pos > text.size()) return 0;
  int32_t c = PreviousCodePoint(text, pos);
  return c < 0 ? 0xFFFD : static_cast<char32_t>(c);
}

size_t NextCharStart(std::string_view text, size_t pos) {
  if (pos >= text.size()) return text.size() + 1;
  ++pos;
  while (pos < text.size() && (static_cast<unsigned char>(text[pos]) & 0xC0) == 0x80) ++pos;
  return pos;
}

bool WordCharBefore(std::string_view text, size_t pos) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  if (pos > 0 && pos <= text.size()) {
    const unsigned char last = s[pos - 1];
    if (last < 0x80) return (last >= '0' && last <= '9') || ((last | 0x20) >= 'a' && (last | 0x20) <= 'z');
    if ((last & 0xC0) == 0x80 && pos >= 2) {
      const unsigned char lead = s[pos - 2];
      // U+00C0-U+01BF: letters all, but the signs U+00D7 and U+00F7.
      if (lead >= 0xC3 && lead <= 0xC6) return !(lead == 0xC3 && (last == 0x97 || last == 0xB7));
      // U+1E00-U+1EFF (Latin Extended Additional): letters all.
      if (pos >= 3 && s[pos - 3] == 0xE1 && lead >= 0xB8 && lead <= 0xBB) return true;
    }
  }
  return IsWordChar(CharBefore(text, pos));
}

int LeadingNumber(std::string_view digits) {
  int value = 0;
  for (const char c : digits) {
    if (c < '0' || c > '9') break;
    value = value * 10 + (c - '0');
  }
  return value;
}

void AppendZeroPadded(int value, int width, std::string* out) {
  char digits[16];
  size_t n = 0;
  // As unsigned, so that the magnitude of INT_MIN fits.
  unsigned magnitude = value < 0 ? 0u - static_cast<unsigned>(value) : static_cast<unsigned>(value);
  do {
    digits[n++] = static_cast<char>('0' + magnitude % 10);
    magnitude /= 10;
  } while (magnitude != 0);
  // printf counts the sign in the width and pads with zeros after it.
  if (value < 0) out->push_back('-');
  for (int pad = width - static_cast<int>(n) - (value < 0 ? 1 : 0); pad > 0; --pad) out->push_back('0');
  while (n > 0) out->push_back(digits[--n]);
}

const std::array<char32_t, kLowerTableSize>& LowerTable() {
  static const auto* const table = [] {
    auto* t = new std::array<char32_t, kLowerTableSize>;
    for (char32_t c = 0; c < kLowerTableSize; ++c) (*t)[c] = ToLower(c);
    return t;
  }();
  return *table;
}

size_t LowerCaseKeptPrefixFrom(std::string_view text, size_t pos) {
  const auto& lower = LowerTable();
  while (pos < text.size()) {
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    if (b < 0x80) {
      if (b >= 'A' && b <= 'Z') return pos;
      ++pos;
      continue;
    }
    size_t next = pos;
    const int32_t c = DecodeNext(text, &next);
    // DecodeNext() takes no overlong forms, so a character lowering keeps is
    // written again as these very bytes; -1 (invalid) and anything from the
    // table's end on (four-byte forms included) end the prefix.
    if (c < 0x80 || c >= static_cast<int32_t>(kLowerTableSize) ||
        lower[c] != static_cast<char32_t>(c)) {
      return pos;
    }
    pos = next;
  }
  return pos;
}

int WordCount(std::string_view phrase) {
  int words = 0;
  for (size_t i = 0; i < phrase.size(); ++i) {
    words += phrase[i] != ' ' && (i == 0 || phrase[i - 1] == ' ');
  }
  return words;
}

size_t WordsEnd(std::string_view text, size_t pos, int words) {
  while (pos < text.size() && text[pos] != ' ') ++pos;
  for (int i = 0; i < words; ++i) {
    pos = SkipSpaces(text, pos);
    while (pos < text.size() && text[pos] != ' ') ++pos;
  }
  return pos;
}

size_t SkipSpaces(std::string_view text, size_t pos) {
  while (pos < text.size() && text[pos] == ' ') ++pos;
  return pos;
}

size_t SkipSpacesBack(std::string_view text, size_t end) {
  while (end > 0 && text[end - 1] == ' ') --end;
  return end;
}

std::optional<size_t> MatchPhraseAt(std::string_view text, size_t pos,
                                    std::string_view lower_phrase) {
  size_t t = pos;
  size_t p = 0;
  char32_t last = 0;
  while (p < lower_phrase.size()) {
    const unsigned char want_byte = static_cast<unsigned char>(lower_phrase[p]);
    if (want_byte == ' ') {
      if (t >= text.size() || text[t] != ' ') return std::nullopt;
      t = SkipSpaces(text, t);
      p = SkipSpaces(lower_phrase, p);
      continue;
    }
    if (t >= text.size()) return std::nullopt;
    const unsigned char got_byte = static_cast<unsigned char>(text[t]);
    if (got_byte < 0x80) {
      // An ASCII character lowers to ASCII: it matches only the same ASCII
      // byte of the phrase, without decoding either. Most calls end here, at
      // the first byte of a phrase that does not start at `pos`.
      const unsigned char lower = got_byte >= 'A' && got_byte <= 'Z' ? got_byte + 32 : got_byte;
      if (lower != want_byte) return std::nullopt;
      ++t;
      ++p;
      last = want_byte;
      continue;
    }
    int32_t want = DecodeNext(lower_phrase, &p);
    int32_t got = DecodeNext(text, &t);
    if (want < 0 || got < 0) return std::nullopt;
    if (ToLower(static_cast<char32_t>(got)) != static_cast<char32_t>(want)) return std::nullopt;
    last = static_cast<char32_t>(want);
  }
  if (IsWordChar(last) && IsWordChar(CharAt(text, t))) return std::nullopt;
  return t;
}

std::optional<size_t> MatchPhraseAtByCodePoint(std::string_view text, size_t pos,
                                               std::string_view lower_phrase) {
  size_t t = pos;
  size_t p = 0;
  char32_t last = 0;
  while (p < lower_phrase.size()) {
    if (lower_phrase[p] == ' ') {
      if (t >= text.size() || text[t] != ' ') return std::nullopt;
      t = SkipSpaces(text, t);
      p = SkipSpaces(lower_phrase, p);
      continue;
    }
    if (t >= text.size()) return std::nullopt;
    int32_t want = NextCodePoint(lower_phrase, &p);
    int32_t got = NextCodePoint(text, &t);
    if (want < 0 || got < 0) return std::nullopt;
    if (ToLower(static_cast<char32_t>(got)) != static_cast<char32_t>(want)) return std::nullopt;
    last = static_cast<char32_t>(want);
  }
  if (IsWordChar(last) && IsWordChar(CharAt(text, t))) return std::nullopt;
  return t;
}

std::optional<size_t> MatchAnyAt(std::string_view text, size_t pos,
                                 const std::vector<std::string>& phrases) {
  for (const std::string& phrase : phrases) {
    if (auto end = MatchPhraseAt(text, pos, phrase)) return end;
  }
  return std::nullopt;
}

namespace {

// Files phrase `index` under `key` in `buckets`, which stay sorted by key.
void AddToCharBucket(std::vector<std::pair<char32_t, std::vector<uint32_t>>>* buckets,
                     char32_t key, uint32_t index) {
  auto it = std::lower_bound(buckets->begin(), buckets->end(), key,
                             [](const auto& bucket, char32_t c) { return bucket.first < c; });
  if (it == buckets->end() || it->first != key) it = buckets->insert(it, {key, {}});
  it->second.push_back(index);
}

}  // namespace

PhrasesByFirstChar::PhrasesByFirstChar(std::vector<std::string> phrases)
    : phrases_(std::move(phrases)) {
  for (uint32_t i = 0; i < phrases_.size(); ++i) {
    const std::string& phrase = phrases_[i];
    // MatchPhraseAt() compares ToLower() of the text's first code point with
    // the phrase's first code point (ASCII without decoding: the same).
    size_t pos = 0;
    const int32_t first = phrase.empty() ? -1 : DecodeNext(phrase, &pos);
    if (first < 0 || FindInvalidUtf8(phrase)) {
      unindexed_ = true;
      continue;
    }
    AddToCharBucket(&by_first_, static_cast<char32_t>(first), i);
  }
}

std::optional<size_t> PhrasesByFirstChar::At(std::string_view text, size_t pos) const {
  if (unindexed_) return MatchAnyAt(text, pos, phrases_);
  if (pos >= text.size()) return std::nullopt;  // only an empty phrase matches there
  const unsigned char byte = static_cast<unsigned char>(text[pos]);
  char32_t first;
  if (byte < 0x80) {
    first = byte >= 'A' && byte <= 'Z' ? byte + 32 : byte;
  } else {
    size_t next = pos;
    const int32_t c = DecodeNext(text, &next);
    if (c < 0) return std::nullopt;  // MatchPhraseAt() matches no phrase there
    first = static_cast<char32_t>(c) < kLowerTableSize ? LowerTable()[c]
                                                       : ToLower(static_cast<char32_t>(c));
  }
  auto it = std::lower_bound(by_first_.begin(), by_first_.end(), first,
                             [](const auto& bucket, char32_t c) { return bucket.first < c; });
  if (it == by_first_.end() || it->first != first) return std::nullopt;
  for (uint32_t i : it->second) {
    if (auto end = MatchPhraseAt(text, pos, phrases_[i])) return end;
  }
  return std::nullopt;
}

namespace {

// Whether `phrase` matches `text` ending exactly at `e` and starting at a
// word boundary; where it starts.
std::optional<size_t> PhraseEndsAt(std::string_view text, size_t e, const std::string& phrase) {
  if (phrase.size() > e) return std::nullopt;
  const size_t start = e - phrase.size();
  if ((static_cast<unsigned char>(text[start]) & 0xC0) == 0x80) return std::nullopt;
  auto m = MatchPhraseAt(text, start, phrase);
  if (!m || *m != e) return std::nullopt;
  if (IsWordChar(CharAt(phrase, 0)) && IsWordChar(CharBefore(text, start))) return std::nullopt;
  return start;
}

}  // namespace

std::optional<size_t> PhraseEndingAt(std::string_view text, size_t end,
                                     const std::vector<std::string>& phrases, size_t* which) {
  const size_t e = SkipSpacesBack(text, end);
  for (size_t i = 0; i < phrases.size(); ++i) {
    if (auto start = PhraseEndsAt(text, e, phrases[i])) {
      if (which) *which = i;
      return start;
    }
  }
  return std::nullopt;
}

PhrasesByLastChar::PhrasesByLastChar(std::vector<std::string> phrases)
    : phrases_(std::move(phrases)) {
  for (uint32_t i = 0; i < phrases_.size(); ++i) {
    const std::string& phrase = phrases_[i];
    // A match decodes the phrase forwards and compares ToLower of the text's
    // code points with it, so its last code point is ToLower of the one
    // before the end of the match.
    const int32_t last = phrase.empty() ? -1 : PreviousCodePoint(phrase, phrase.size());
    if (last < 0 || FindInvalidUtf8(phrase)) {
      unindexed_ = true;
      continue;
    }
    AddToCharBucket(&by_last_, static_cast<char32_t>(last), i);
  }
}

std::optional<size_t> PhrasesByLastChar::EndingAt(std::string_view text, size_t end,
                                                  size_t* which) const {
  if (unindexed_) return PhraseEndingAt(text, end, phrases_, which);
  const size_t e = SkipSpacesBack(text, end);
  if (e == 0) return std::nullopt;
  const char32_t last = ToLower(CharBefore(text, e));
  auto it = std::lower_bound(by_last_.begin(), by_last_.end(), last,
                             [](const auto& bucket, char32_t c) { return bucket.first < c; });
  if (it == by_last_.end() || it->first != last) return std::nullopt;
  for (uint32_t i : it->second) {
    if (auto start = PhraseEndsAt(text, e, phrases_[i])) {
      if (which) *which = i;
      return start;
    }
  }
  return std::nullopt;
}

namespace {

char32_t IcuFoldCase(char32_t c) {
  return static_cast<char32_t>(u_foldCase(static_cast<UChar32>(c), U_FOLD_CASE_DEFAULT));
}

using FoldTable = std::array<char32_t, 0x2000>;

// u_foldCase() of the code points below U+2000 (Latin letters and the
// Vietnamese tone-marked vowels at U+1EA0..U+1EFF), asked of ICU once:
// MatchStarts::At() folds the letters of the text where a lead's first byte
// matched, and Vietnamese text has one or two such letters in every word.
const FoldTable& TheFoldTable() {
  static const auto* const table = [] {
    auto* t = new FoldTable;
    for (char32_t c = 0; c < t->size(); ++c) (*t)[c] = IcuFoldCase(c);
    return t;
  }();
  return *table;
}

// Simple case folding, what RE2's (?i) compares.
inline char32_t FoldCase(char32_t c, const FoldTable& table) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  if (c < table.size()) return table[c];
  return IcuFoldCase(c);
}
char32_t FoldCase(char32_t c) { return FoldCase(c, TheFoldTable()); }

unsigned char FoldAscii(unsigned char b) { return b >= 'A' && b <= 'Z' ? b + 32 : b; }

}  // namespace

void MatchStarts::AddDigits() {
  digits_ = true;
  for (unsigned char b = '0'; b <= '9'; ++b) first_bytes_[b] = true;
}

void MatchStarts::AddPhrases(const std::vector<std::string>& phrases, uint32_t tags) {
  if (!phrases.empty()) all_tags_ |= tags;
  for (const std::string& phrase : phrases) {
    const std::string_view word = std::string_view(phrase).substr(0, phrase.find(' '));
    Lead lead;
    for (size_t pos = 0; pos < word.size();) {
      const int32_t c = NextCodePoint(word, &pos);
      if (c < 0) break;  // no text matches these bytes: compare up to them
      lead.chars.push_back(static_cast<char32_t>(c));
      lead.folded.push_back(FoldCase(static_cast<char32_t>(c)));
    }
    if (lead.folded.empty() || leads_.size() == 64) {
      // " +x" may start at any byte but a continuation; so may anything
      // when there are too many leads to index.
      anywhere_ = true;
      for (int b = 0; b < 256; ++b) first_bytes_[b] |= (b & 0xC0) != 0x80;
      continue;
    }
    if (auto same = std::find_if(leads_.begin(), leads_.end(),
                                 [&](const Lead& l) { return l.folded == lead.folded; });
        same != leads_.end()) {
      same->tags |= tags;
      continue;
    }
    lead.tags = tags;
    const uint64_t bit = uint64_t{1} << leads_.size();
    // Every code point that folds like the first one: its UTF-8 lead byte.
    icu::UnicodeSet same(static_cast<UChar32>(lead.folded[0]), static_cast<UChar32>(lead.folded[0]));
    same.closeOver(USET_CASE_INSENSITIVE);
    for (int32_t i = 0; i < same.getRangeCount(); ++i) {
      for (UChar32 c = same.getRangeStart(i); c <= same.getRangeEnd(i); ++c) {
        std::string utf8;
        AppendUtf8(static_cast<char32_t>(c), &utf8);
        const unsigned char first = static_cast<unsigned char>(utf8[0]);
        first_bytes_[first] = true;
        leads_by_byte_[first] |= bit;
      }
    }
    leads_.push_back(std::move(lead));
  }
}

namespace {

// Whether a word given as `chars` (and case-folded, `folded`) starts `text`
// at `pos`, in any case.
[[gnu::always_inline]] inline bool WordStartsAt(const std::vector<char32_t>& chars,
                                                const std::vector<char32_t>& folded,
                                                std::string_view text, size_t pos,
                                                const FoldTable& fold) {
  size_t t = pos;
  size_t i = 0;
  for (; i < chars.size() && t < text.size(); ++i) {
    const int32_t c = DecodeNext(text, &t);
    if (c < 0) break;
    // As given (the usual lower case), else in any case.
    if (static_cast<char32_t>(c) != chars[i] &&
        FoldCase(static_cast<char32_t>(c), fold) != folded[i]) {
      break;
    }
  }
  return i == chars.size();
}

}  // namespace

bool MatchStarts::At(std::string_view text, size_t pos) const {
  if (pos >= text.size()) return false;
  if (anywhere_) return true;
  const unsigned char first = static_cast<unsigned char>(text[pos]);
  if (digits_ && first >= '0' && first <= '9') return true;
  const FoldTable& fold = TheFoldTable();
  for (uint64_t leads = leads_by_byte_[first]; leads != 0; leads &= leads - 1) {
    const Lead& lead = leads_[__builtin_ctzll(leads)];
    if (WordStartsAt(lead.chars, lead.folded, text, pos, fold)) return true;
  }
  return false;
}

uint32_t MatchStarts::PhraseTagsAt(std::string_view text, size_t pos) const {
  if (pos >= text.size()) return 0;
  if (anywhere_) return all_tags_;
  uint32_t tags = 0;
  const unsigned char first = static_cast<unsigned char>(text[pos]);
  const FoldTable& fold = TheFoldTable();
  for (uint64_t leads = leads_by_byte_[first]; leads != 0; leads &= leads - 1) {
    const Lead& lead = leads_[__builtin_ctzll(leads)];
    if ((tags & lead.tags) != lead.tags && WordStartsAt(lead.chars, lead.folded, text, pos, fold)) {
      tags |= lead.tags;
    }
  }
  return tags;
}

bool MatchStarts::AtFoldingWithIcu(std::string_view text, size_t pos) const {
  if (pos >= text.size()) return false;
  if (anywhere_) return true;
  const unsigned char first = static_cast<unsigned char>(text[pos]);
  if (digits_ && first >= '0' && first <= '9') return true;
  for (uint64_t leads = leads_by_byte_[first]; leads != 0; leads &= leads - 1) {
    const Lead& lead = leads_[__builtin_ctzll(leads)];
    size_t t = pos;
    size_t i = 0;
    for (; i < lead.chars.size() && t < text.size(); ++i) {
      const int32_t c = NextCodePoint(text, &t);
      if (c < 0) break;
      const char32_t folded = c < 0x80 ? FoldAscii(static_cast<unsigned char>(c))
                                       : IcuFoldCase(static_cast<char32_t>(c));
      if (static_cast<char32_t>(c) != lead.chars[i] && folded != lead.folded[i]) break;
    }
    if (i == lead.chars.size()) return true;
  }
  return false;
}

DigitFinder::DigitFinder(std::string_view also) {
  for (unsigned char d = '0'; d <= '9'; ++d) wanted_[d] = true;
  bytes_only_ = also.size() > 4;
  blocks_[0].fill(static_cast<char>(0x80 - '0'));
  blocks_[1].fill(static_cast<char>(0x80 + 10));
  for (size_t i = 0; i < 4; ++i) blocks_[2 + i].fill(i < also.size() ? also[i] : '0');
  for (char c : also) wanted_[static_cast<unsigned char>(c)] = true;
}

bool IsLeapYear(int year) { return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0; }

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (month < 1 || month > 12) return 0;
  if (month == 2 && (year == 0 || IsLeapYear(year))) return 29;
  return kDays[month - 1];
}

bool IsValidDay(int year, int month, int day) {
  return day >= 1 && day <= DaysInMonth(year, month);
}

int64_t DaysFromCivil(int year, int month, int day) {
  // Howard Hinnant's days_from_civil.
  const int64_t y = static_cast<int64_t>(year) - (month <= 2);
  const int64_t era = (y >= 0 ? y : y - 399) / 400;
  const int64_t yoe = y - era * 400;
  const int64_t doy = (153 * (month + (month > 2 ? -3 : 9)) + 2) / 5 + day - 1;
  const int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

std::vector<Sentence> SentencesOf(const Document& doc) {
  if (!doc.sentences.empty() || doc.text.empty()) return doc.sentences;
  Sentence whole;
  whole.begin = 0;
  whole.end = static_cast<uint32_t>(doc.text.size());
  return {whole};
}

}  // namespace extract
}  // namespace vnfacts
