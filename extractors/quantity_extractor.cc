// The quantity extractor: counts, money and percentages (Duckling's "number"
// and "amount-of-money" dimensions for Vietnamese party and news reports).
//
// It scans each sentence of the normalized text by hand (no regex: numbers are
// short and rare, the scan must keep up with the text layer) for numerals:
// digits in the Vietnamese format ('.' groups thousands, ',' is the decimal
// comma) or number words ("hai", "một nghìn"), each optionally followed by
// scale words ("1,2 triệu", "năm nghìn tỷ"). A numeral becomes a quantity only
// with a unit after it: '%', a noun from lexicons/units.tsv (longest match, so
// multi-syllable head nouns like "mô hình" win), or, for digits only, the next
// word when it is not a verb or preposition. Everything that decides what is
// and is not a quantity lives in four lexicons: units, number words,
// qualifiers ("hơn", "khoảng") and context words (what before a number makes
// it a date part, a document number or an ordinal; what after a time unit
// makes it a period).
//
// The extractor runs after the document and date extractors and leaves alone
// every number inside a span they claimed; its own checks (glued '/', '-',
// ':' or letters; "năm", "số", "thứ" before) keep it safe when they miss one.
#include <algorithm>
#include <array>
#include <charconv>
#include <cmath>
#include <cstring>
#include <limits>
#include <span>
#include <string>
#include <string_view>
#include <unordered_map>
#include <vector>

#include "extractors/extractor.h"
#include "extractors/extractor_util.h"
#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

enum class UnitClass : uint8_t { kCount, kFrame, kDuration, kPeriod, kCurrency, kPercent };

enum class NumberRole : uint8_t {
  kDigit,
  kAfterTens,
  kTen,
  kTens,
  kFiller,
  kScale,
  kHalfAfter,
  kHalfBefore,
  kVague,
};

// Context roles are bits: one phrase may have several ("các").
enum ContextRole : uint16_t {
  kBlock = 1 << 0,
  kAllow = 1 << 1,
  kBlockWord = 1 << 2,
  kPeriodAfter = 1 << 3,
  kNotUnit = 1 << 4,
  kBase = 1 << 5,
  kDeterminer = 1 << 6,
  kBaseEnd = 1 << 7,
  kBaseBefore = 1 << 8,
  kPartOf = 1 << 9,
  kListJoiner = 1 << 10,
  kRangeFrom = 1 << 11,
  kRangeTo = 1 << 12,
  kChange = 1 << 13,
  kClock = 1 << 14,
  kClockAfter = 1 << 15,
};

// A number whose context words block it, unless a longer phrase allows it.
bool Blocked(uint16_t context, uint16_t block = kBlock) {
  return (context & block) && !(context & kAllow);
}

struct UnitEntry {
  std::string unit;
  UnitClass unit_class = UnitClass::kCount;
};

struct NumberWord {
  NumberRole role = NumberRole::kDigit;
  int value = 0;     // digit value; for scales the power of ten
  bool alone = true;  // may stand without a scale ("một" may not)
};

struct Qualifier {
  Approx approx = Approx::kExact;
  bool has_not_before = false;
  UnitClass not_before = UnitClass::kCount;
};

// The keys are one to a few syllables: hashed eight bytes at a time (the
// last few as two overlapping halves or three single bytes), a fraction of
// a byte-by-byte hash or std::hash's out-of-line murmur. Nothing iterates
// these maps, so the order of their buckets shows nowhere.
struct StringHash {
  using is_transparent = void;
  static uint64_t Mix(uint64_t h) {
    h *= 0x9E3779B97F4A7C15ull;
    return h ^ (h >> 29);
  }
  size_t operator()(std::string_view s) const {
    const char* p = s.data();
    size_t n = s.size();
    uint64_t h = Mix(n);
    for (; n > 8; p += 8, n -= 8) {
      uint64_t v;
      std::memcpy(&v, p, sizeof v);
      h = Mix(h ^ v);
    }
    if (n >= 4) {
      uint32_t a, b;
      std::memcpy(&a, p, sizeof a);
      std::memcpy(&b, p + n - 4, sizeof b);
      h ^= (uint64_t{a} << 32) | b;
    } else if (n > 0) {
      h ^= uint64_t{static_cast<unsigned char>(p[0])} |
           uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
           uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
    }
    return static_cast<size_t>(Mix(h));
  }
};
template <typename V>
using StringMap = std::unordered_map<std::string, V, StringHash, std::equal_to<>>;

// Phrases of one or more syllables. Lower-case keys match text in any case;
// keys with a capital letter (kept in `exact`) match only as written.
template <typename V>
struct PhraseTable {
  StringMap<V> lower;
  StringMap<V> exact;
  // The first and the last syllable of every phrase (of both maps) in lower
  // case, with the most words of a phrase that starts or ends with it. Most
  // syllables of the text start and end no phrase: one lookup rejects them,
  // before the longer candidates are lower-cased and hashed.
  StringMap<int> heads;
  StringMap<int> tails;
};

bool HasUpper(std::string_view s) {
  size_t pos = 0;
  while (pos < s.size()) {
    int32_t c = NextCodePoint(s, &pos);
    if (c > 0 && IsUpper(static_cast<char32_t>(c))) return true;
  }
  return false;
}

// Appends `s` lower-cased code point by code point (invalid sequences are
// dropped), through a buffer on the stack: one append per call, not one
// push_back per byte. Most text is in lower case already: the prefix that
// stays as it is goes in with one append.
void AppendLower(std::string_view s, std::string* out) {
  const size_t kept = extract::LowerCaseKeptPrefix(s);
  out->append(s.data(), kept);
  if (kept == s.size()) return;
  s.remove_prefix(kept);
  const auto& lower = extract::LowerTable();
  char buffer[128];
  size_t n = 0;
  size_t pos = 0;
  while (pos < s.size()) {
    if (n > sizeof(buffer) - 4) {
      out->append(buffer, n);
      n = 0;
    }
    unsigned char b = static_cast<unsigned char>(s[pos]);
    if (b < 0x80) {
      buffer[n++] = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      ++pos;
      continue;
    }
    int32_t c = DecodeNext(s, &pos);
    if (c < 0) continue;
    n += EncodeUtf8(c < static_cast<int32_t>(extract::kLowerTableSize) ? lower[c]
                                                             : ToLower(static_cast<char32_t>(c)),
                    buffer + n);
  }
  out->append(buffer, n);
}


constexpr std::string_view kPerMille = "\u2030";  // ‰

bool UpperAt(std::string_view text, size_t pos) {
  if (pos >= text.size()) return false;
  int32_t c = NextCodePoint(text, &pos);
  return c > 0 && IsUpper(static_cast<char32_t>(c));
}

// LetterAt() for the characters the fast paths do not decide: ICU does.
[[gnu::noinline]] bool LetterAtSlow(std::string_view text, size_t pos, size_t* next) {
  size_t p = pos;
  int32_t c = NextCodePoint(text, &p);
  *next = p;
  return c > 0 && IsLetter(static_cast<char32_t>(c));
}

// The length of the letter at `pos` when its first byte is 0x80 or more and
// it is one of the Vietnamese letters decided without ICU, else 0. The
// ranges decided here are all letters to ICU (u_isalpha).
// The most frequent lead byte is tested first.
inline size_t FastHighLetterLength(std::string_view text, size_t pos) {
  if (pos + 1 >= text.size()) return 0;
  const unsigned char b = static_cast<unsigned char>(text[pos]);
  const unsigned char b1 = static_cast<unsigned char>(text[pos + 1]);
  // U+1EA0..U+1EFF (the tone-marked vowels).
  if (b == 0xE1) {
    if ((b1 != 0xBA && b1 != 0xBB) || pos + 2 >= text.size()) return 0;
    const unsigned char b2 = static_cast<unsigned char>(text[pos + 2]);
    return (b2 & 0xC0) == 0x80 && (b1 == 0xBB || b2 >= 0xA0) ? 3 : 0;
  }
  if ((b1 & 0xC0) != 0x80) return 0;
  // U+00C0..U+017F (Latin-1 letters, Latin Extended-A: ă â đ ê ô ...)
  // except the signs U+00D7 and U+00F7.
  if (b == 0xC3) return b1 == 0x97 || b1 == 0xB7 ? 0 : 2;
  if (b == 0xC4 || b == 0xC5) return 2;
  // U+01A0..U+01B0 (ơ, ư).
  if (b == 0xC6) return b1 >= 0xA0 && b1 <= 0xB0 ? 2 : 0;
  return 0;
}

// A letter at `pos` (Vietnamese syllables and foreign words are letter runs).
// Vietnamese letters are decided without ICU: every syllable passes here.
inline bool LetterAt(std::string_view text, size_t pos, size_t* next) {
  if (pos >= text.size()) return false;
  unsigned char b = static_cast<unsigned char>(text[pos]);
  if (b < 0x80) {
    if ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) {
      *next = pos + 1;
      return true;
    }
    return false;
  }
  if (const size_t n = FastHighLetterLength(text, pos)) {
    *next = pos + n;
    return true;
  }
  return LetterAtSlow(text, pos, next);
}

// What the scan of a sentence does at a byte: an ASCII byte is a letter, a
// digit or something else (space, punctuation); bytes from 0x80 on start or
// continue a character LetterAt() decides.
enum class ScanByte : uint8_t { kOther, kDigit, kAsciiLetter, kHigh };
constexpr std::array<ScanByte, 256> kScanBytes = [] {
  std::array<ScanByte, 256> kinds{};
  for (int b = 0; b < 256; ++b) {
    kinds[b] = b >= 0x80                                           ? ScanByte::kHigh
               : (b >= '0' && b <= '9')                            ? ScanByte::kDigit
               : ((b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z')) ? ScanByte::kAsciiLetter
                                                                   : ScanByte::kOther;
  }
  return kinds;
}();

inline ScanByte ScanByteAt(std::string_view text, size_t pos) {
  return kScanBytes[static_cast<unsigned char>(text[pos])];
}

[[gnu::noinline]] size_t LetterLengthBeforeSlow(std::string_view text, size_t pos) {
  int32_t c = PreviousCodePoint(text, pos);
  return c > 0 && IsLetter(static_cast<char32_t>(c)) ? Utf8Length(static_cast<char32_t>(c)) : 0;
}

// The length in bytes of the letter that ends before `pos`, or 0. The same
// ranges as LetterAt() are decided without ICU; what U8_PREV decodes there
// is the two- or three-byte sequence checked here.
inline size_t LetterLengthBefore(std::string_view text, size_t pos) {
  if (pos == 0) return 0;
  const unsigned char b = static_cast<unsigned char>(text[pos - 1]);
  if (b < 0x80) return (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z') ? 1 : 0;
  if ((b & 0xC0) == 0x80 && pos >= 2) {
    const unsigned char l = static_cast<unsigned char>(text[pos - 2]);
    if ((l >= 0xC3 && l <= 0xC5 && !(l == 0xC3 && (b == 0x97 || b == 0xB7))) ||
        (l == 0xC6 && b >= 0xA0 && b <= 0xB0)) {
      return 2;
    }
    if (pos >= 3 && static_cast<unsigned char>(text[pos - 3]) == 0xE1 &&
        (l == 0xBB || (l == 0xBA && b >= 0xA0))) {
      return 3;
    }
  }
  return LetterLengthBeforeSlow(text, pos);
}

bool LetterStartsAt(std::string_view text, size_t pos) {
  size_t next = 0;
  return LetterAt(text, pos, &next);
}

bool LetterBefore(std::string_view text, size_t pos) { return LetterLengthBefore(text, pos) != 0; }

bool AlnumBefore(std::string_view text, size_t pos) {
  return pos > 0 && (IsAsciiDigit(text[pos - 1]) || LetterBefore(text, pos));
}

struct Span {
  uint32_t begin = 0;
  uint32_t end = 0;
  bool empty() const { return begin == end; }
};

// The letter run starting at `pos` (empty when `pos` is not a letter).
// Inline: the scan of every sentence runs it over every syllable.
[[gnu::always_inline]] inline Span LetterRun(std::string_view text, size_t pos, size_t limit) {
  size_t p = pos;
  while (p < limit) {
    const ScanByte kind = ScanByteAt(text, p);
    if (kind == ScanByte::kAsciiLetter) {
      ++p;
      continue;
    }
    if (kind != ScanByte::kHigh) break;
    // LetterAt(), its fast ranges first.
    size_t next = p + FastHighLetterLength(text, p);
    if (next == p && !LetterAt(text, p, &next)) break;
    if (next > limit) break;
    p = next;
  }
  return {static_cast<uint32_t>(pos), static_cast<uint32_t>(p)};
}

size_t SkipSpaces(std::string_view text, size_t pos, size_t limit) {
  while (pos < limit && text[pos] == ' ') ++pos;
  return pos;
}

// The syllable after `pos`, separated from it by one or more spaces.
Span NextSyllable(std::string_view text, size_t pos, size_t limit) {
  size_t p = SkipSpaces(text, pos, limit);
  if (p == pos || p >= limit) return {};
  Span s = LetterRun(text, p, limit);
  // A syllable glued to a digit ("F0") is not a word.
  if (s.end < limit && IsAsciiDigit(text[s.end])) return {};
  return s;
}

// The syllable ending before `pos`, separated from it by one or more spaces.
Span PrevSyllable(std::string_view text, size_t pos, size_t floor) {
  size_t p = pos;
  while (p > floor && text[p - 1] == ' ') --p;
  if (p == pos || p == floor || !LetterBefore(text, p)) return {};
  size_t end = p;
  while (p > floor) {
    const size_t n = LetterLengthBefore(text, p);
    if (n == 0) break;
    p -= n;
  }
  if (p > floor && IsAsciiDigit(text[p - 1])) return {};
  return {static_cast<uint32_t>(p), static_cast<uint32_t>(end)};
}

// "giống lúa OM 18 dao động", "tiêm kích Su 30": a number right after a code
// in capitals names a model, so the word after it is no counted unit.
bool AfterModelCode(std::string_view text, size_t number_begin, size_t floor) {
  const Span code = PrevSyllable(text, number_begin, floor);
  if (code.end - code.begin < 2) return false;
  for (size_t i = code.begin; i < code.end; ++i) {
    if (text[i] < 'A' || text[i] > 'Z') return false;
  }
  return true;
}

// A unit written with letters then digits or a superscript ("m2", "km²").
Span AlnumUnitAt(std::string_view text, size_t pos, size_t limit) {
  Span s = LetterRun(text, pos, limit);
  if (s.empty()) return {};
  size_t p = s.end;
  if (p < limit && IsAsciiDigit(text[p])) {
    while (p < limit && IsAsciiDigit(text[p])) ++p;
  } else if (p + 1 < limit && text[p] == '\xC2' && (text[p + 1] == '\xB2' || text[p + 1] == '\xB3')) {
    p += 2;
  } else {
    return {};
  }
  size_t next = 0;
  if (p < limit && (IsAsciiDigit(text[p]) || LetterAt(text, p, &next))) return {};
  return {s.begin, static_cast<uint32_t>(p)};
}

bool IsAscii(std::string_view s) {
  return std::all_of(s.begin(), s.end(), [](char c) { return static_cast<unsigned char>(c) < 0x80; });
}

// Reused buffers of one Extract call; no allocation per syllable.
struct Scratch {
  std::string lower;
  std::string exact;
  std::string word;
  std::vector<Span> syllables;
  // Where the phrase of the last i + 1 syllables starts in `lower` and in
  // `exact` (MatchBackward).
  std::vector<std::pair<uint32_t, uint32_t>> phrase_starts;
  // The syllables lowered last: the words around a number are looked up in
  // several tables (context and qualifiers before it, units, context and
  // trailing qualifiers after it). Spans of one document name one text.
  std::array<Span, 2> lowered_spans{};
  std::array<std::string, 2> lowered;
  // The lower case of lowered_spans[i]: the text itself when lower-casing
  // keeps it (most syllables), else lowered[i].
  std::array<std::string_view, 2> lowered_views{};
  size_t next_lowered = 0;
  // The last syllable found before a position (ContextBefore and the
  // qualifier of the same number both look back from its first digit).
  size_t before_pos = std::string::npos;
  size_t before_floor = 0;
  Span before{};
  // The words of sentence `words_of` (SentenceWords: made when asked if
  // the pipeline left them out), asked once per sentence.
  SentenceWordsScratch segmented;
  std::span<const Word> words;
  size_t words_of = std::numeric_limits<size_t>::max();
};

// The lower case of the (non-empty) syllable `s`, from the cache when it
// was one of the last two lowered; valid until two more are lowered.
std::string_view LowerSyllable(std::string_view text, Span s, Scratch* scratch) {
  for (size_t i = 0; i < scratch->lowered.size(); ++i) {
    const Span& cached = scratch->lowered_spans[i];
    if (cached.begin == s.begin && cached.end == s.end && !cached.empty()) {
      return scratch->lowered_views[i];
    }
  }
  const size_t i = scratch->next_lowered;
  scratch->next_lowered = (i + 1) % scratch->lowered.size();
  const std::string_view word = text.substr(s.begin, s.end - s.begin);
  if (extract::LowerCaseKeptPrefix(word) == word.size()) {
    scratch->lowered_views[i] = word;
  } else {
    scratch->lowered[i].clear();
    AppendLower(word, &scratch->lowered[i]);
    scratch->lowered_views[i] = scratch->lowered[i];
  }
  scratch->lowered_spans[i] = s;
  return scratch->lowered_views[i];
}

template <typename V>
struct Match {
  const V* value = nullptr;
  Span span;  // the matched words
};

// Longest phrase of `table` starting at the syllable `first`.
template <typename V>
Match<V> MatchForward(const PhraseTable<V>& table, std::string_view text, Span first,
                      size_t limit, Scratch* scratch) {
  Match<V> best;
  if (first.empty()) return best;
  const std::string_view head_word = LowerSyllable(text, first, scratch);
  const auto head = table.heads.find(head_word);
  if (head == table.heads.end()) return best;
  scratch->lower.assign(head_word);
  scratch->exact.clear();
  const int max_words = head->second;
  Span s = first;
  // A table without phrases in capitals (every one but the context) needs
  // no phrase as written.
  const bool cased = !table.exact.empty();
  for (int n = 1; n <= max_words && !s.empty(); ++n) {
    std::string_view word = text.substr(s.begin, s.end - s.begin);
    if (n > 1) {
      scratch->lower.push_back(' ');
      AppendLower(word, &scratch->lower);
    }
    auto it = table.lower.find(std::string_view(scratch->lower));
    if (it != table.lower.end()) best = {&it->second, {first.begin, s.end}};
    if (cased) {
      if (n > 1) scratch->exact.push_back(' ');
      scratch->exact.append(word);
      auto ex = table.exact.find(std::string_view(scratch->exact));
      if (ex != table.exact.end()) best = {&ex->second, {first.begin, s.end}};
    }
    s = NextSyllable(text, s.end, limit);
  }
  return best;
}

// Longest phrase of `table` ending at the syllable just before `pos`.
template <typename V>
Match<V> MatchBackward(const PhraseTable<V>& table, std::string_view text, size_t pos,
                       size_t floor, Scratch* scratch) {
  Match<V> best;
  auto& syllables = scratch->syllables;
  syllables.clear();
  if (pos != scratch->before_pos || floor != scratch->before_floor) {
    scratch->before = PrevSyllable(text, pos, floor);
    scratch->before_pos = pos;
    scratch->before_floor = floor;
  }
  const Span last = scratch->before;
  if (last.empty()) return best;
  const auto tail = table.tails.find(LowerSyllable(text, last, scratch));
  if (tail == table.tails.end()) return best;
  syllables.push_back(last);
  size_t p = last.begin;
  for (int n = 1; n < tail->second; ++n) {
    Span s = PrevSyllable(text, p, floor);
    if (s.empty()) break;
    syllables.push_back(s);
    p = s.begin;
  }
  // The phrase of n words is the last n syllables joined by single spaces:
  // a suffix of the phrase of them all, which is written once, front to back
  // (no insertion at the front per word), each syllable lowered once.
  std::string& lower = scratch->lower;
  std::string& exact = scratch->exact;
  auto& starts = scratch->phrase_starts;  // of the phrase of i + 1 words
  const bool cased = !table.exact.empty();  // else no phrase as written is needed
  lower.clear();
  exact.clear();
  starts.resize(syllables.size());
  for (size_t i = syllables.size(); i-- > 0;) {
    const Span& word = syllables[i];
    starts[i] = {static_cast<uint32_t>(lower.size()), static_cast<uint32_t>(exact.size())};
    const std::string_view as_written = text.substr(word.begin, word.end - word.begin);
    if (i == 0) {
      lower.append(LowerSyllable(text, word, scratch));
    } else {
      AppendLower(as_written, &lower);
      lower.push_back(' ');
    }
    if (cased) {
      exact.append(as_written);
      if (i > 0) exact.push_back(' ');
    }
  }
  for (size_t n = 1; n <= syllables.size(); ++n) {
    auto it = table.lower.find(std::string_view(lower).substr(starts[n - 1].first));
    if (it != table.lower.end()) best = {&it->second, {syllables[n - 1].begin, syllables[0].end}};
    if (cased) {
      auto ex = table.exact.find(std::string_view(exact).substr(starts[n - 1].second));
      if (ex != table.exact.end()) best = {&ex->second, {syllables[n - 1].begin, syllables[0].end}};
    }
  }
  return best;
}

// Spans claimed by earlier extractors; a prefix maximum of ends makes "is this
// offset inside any span" a binary search even when spans nest.
class ClaimedSpans {
 public:
  explicit ClaimedSpans(const std::vector<Fact>& facts) {
    for (const Fact& f : facts) {
      if (f.end > f.begin) spans_.push_back({f.begin, f.end});
    }
    std::sort(spans_.begin(), spans_.end(),
              [](const Span& a, const Span& b) { return a.begin < b.begin; });
    max_end_.reserve(spans_.size());
    uint32_t max_end = 0;
    for (const Span& s : spans_) max_end_.push_back(max_end = std::max(max_end, s.end));
  }
  // End of a claimed span holding `pos`, or 0.
  uint32_t Covering(uint32_t pos) const {
    auto it = std::upper_bound(spans_.begin(), spans_.end(), pos,
                               [](uint32_t p, const Span& s) { return p < s.begin; });
    size_t n = static_cast<size_t>(it - spans_.begin());
    return n > 0 && max_end_[n - 1] > pos ? max_end_[n - 1] : 0;
  }

 private:
  std::vector<Span> spans_;
  std::vector<uint32_t> max_end_;
};

// One term of a numeral: mantissa (decimal digits, '.' for the decimal comma)
// times ten to `exponent`. Values are computed from this text with
// std::from_chars so "1,2 triệu" is exactly 1200000, never 1199999.9999.
// Only the first `length` bytes of the mantissa are ever written or read:
// the rest is left uninitialized (a numeral is made for every number).
struct Term {
  std::array<char, 48> mantissa;
  uint8_t length = 0;
  int exponent = 0;
};

// The value std::from_chars gives "<digits>e<exponent>" when both the digits
// (at most 15, so below 2^53) and the power of ten (at most 10^22) are exact
// doubles: one multiplication or division then rounds the exact value once,
// to nearest, as from_chars does (Clinger's fast path). False otherwise.
bool ExactDecimalValue(std::string_view mantissa, int exponent, double* value) {
  static constexpr double kPowersOfTen[] = {1e0,  1e1,  1e2,  1e3,  1e4,  1e5,  1e6,  1e7,
                                            1e8,  1e9,  1e10, 1e11, 1e12, 1e13, 1e14, 1e15,
                                            1e16, 1e17, 1e18, 1e19, 1e20, 1e21, 1e22};
  constexpr int kMaxPower = 22;
  uint64_t digits = 0;
  int count = 0;
  int decimals = 0;
  bool point = false;
  for (char c : mantissa) {
    if (c == '.' && !point) {
      point = true;
      continue;
    }
    if (c < '0' || c > '9' || ++count > 15) return false;
    digits = digits * 10 + static_cast<uint64_t>(c - '0');
    decimals += point;
  }
  if (count == 0) return false;
  const int power = exponent - decimals;
  if (power >= 0 && power <= kMaxPower) {
    *value = static_cast<double>(digits) * kPowersOfTen[power];
  } else if (power < 0 && -power <= kMaxPower) {
    *value = static_cast<double>(digits) / kPowersOfTen[-power];
  } else {
    return false;
  }
  return true;
}

class Numeral {
 public:
  bool SetFirst(std::string_view mantissa) { return Append(mantissa, 0); }
  bool Append(std::string_view mantissa, int exponent) {
    if (count_ == terms_.size() || mantissa.size() > terms_[0].mantissa.size()) return false;
    Term& t = terms_[count_++];
    std::memcpy(t.mantissa.data(), mantissa.data(), mantissa.size());
    t.length = static_cast<uint8_t>(mantissa.size());
    t.exponent = exponent;
    return true;
  }
  // Multiplies the trailing terms smaller than 10^exponent (the group a scale
  // word applies to: "năm nghìn tỷ", "hai trăm năm mươi nghìn").
  bool ApplyScale(int exponent, size_t from) {
    size_t first = count_;
    while (first > from && terms_[first - 1].exponent < exponent) --first;
    if (first == count_) return false;
    for (size_t i = first; i < count_; ++i) terms_[i].exponent += exponent;
    last_scale_ = exponent;
    return true;
  }
  size_t count() const { return count_; }
  int last_scale() const { return last_scale_; }
  int MaxExponent() const {
    int m = 0;
    for (size_t i = 0; i < count_; ++i) m = std::max(m, terms_[i].exponent);
    return m;
  }
  double Value() const {
    double sum = 0;
    for (size_t i = 0; i < count_; ++i) {
      const Term& t = terms_[i];
      double v = 0;
      if (ExactDecimalValue(std::string_view(t.mantissa.data(), t.length), t.exponent, &v)) {
        sum += v;
        continue;
      }
      char buffer[64];
      std::memcpy(buffer, t.mantissa.data(), t.length);
      size_t n = t.length;
      buffer[n++] = 'e';
      auto [end, ec] = std::to_chars(buffer + n, buffer + sizeof(buffer), t.exponent);
      auto result = std::from_chars(buffer, end, v);
      if (result.ec != std::errc()) return HUGE_VAL;
      sum += v;
    }
    return sum;
  }

 private:
  std::array<Term, 8> terms_;
  size_t count_ = 0;
  int last_scale_ = 0;
};

struct Tables {
  PhraseTable<UnitEntry> units;
  // Single syllables in lower case, Capitalized and UPPER case, so that the
  // lookup done for every syllable of the text needs no case folding.
  StringMap<NumberWord> number_words;
  size_t max_number_word_bytes = 0;
  // Which (first byte, last byte) pairs start and end a number word: most
  // syllables are rejected before hashing.
  std::vector<uint8_t> number_word_ends = std::vector<uint8_t>(256 * 256);
  PhraseTable<Qualifier> qualifiers;
  PhraseTable<Qualifier> trailing_qualifiers;  // after the unit: "1.200 lượt trở lên"
  PhraseTable<uint16_t> context;
  // The range_from, range_to and change phrases of the context, in lower
  // case, for the cheap checks made at every number; indexed by their last
  // character for the checks of a phrase ending before a number.
  std::vector<std::string> range_from, range_to, change;
  extract::PhrasesByLastChar range_from_ends, range_to_ends, change_ends;
  // The first syllables, lower-cased, of the context phrases with the
  // base_before role: PercentBase reads back up to 40 syllables for one.
  std::vector<std::string> base_before_heads;
};

struct NumeralResult {
  bool ok = false;
  uint32_t end = 0;  // end of the numeral with its scale words
  Numeral numeral;
  int decimals = 0;
  bool words = false;      // written with number words
  bool year_like = false;  // four bare digits such as 2020
  bool bare_one = false;   // "một" alone: an article, not a count
  // "63/63 tỉnh": a count out of a total; needs a unit from the lexicon
  // (a bare "12/12" is a date), and the total is not the figure.
  bool out_of_total = false;
};

class QuantityExtractor : public Extractor {
 public:
  explicit QuantityExtractor(std::unique_ptr<const Tables> tables) : t_(std::move(tables)) {}
  std::string_view name() const override { return "quantity"; }
  void Extract(const Document& doc, std::vector<Fact>* facts) const override;

 private:
  struct SentenceScan {
    const Document* doc;
    const Sentence* sentence;
    uint32_t index;
    const ClaimedSpans* claimed;
    Scratch* scratch;
    // The facts, this extractor's from out[first_own] on (the spans of the
    // others are in `claimed`).
    std::vector<Fact>* out;
    size_t first_own;
  };

  // Inline: it is asked of every syllable of the text, and the byte checks
  // reject almost all of them.
  const NumberWord* LookupNumberWord(std::string_view text, Span s) const {
    if (s.empty() || s.end - s.begin > t_->max_number_word_bytes ||
        !t_->number_word_ends[static_cast<unsigned char>(text[s.begin]) * 256 +
                              static_cast<unsigned char>(text[s.end - 1])]) {
      return nullptr;
    }
    return FindNumberWord(text.substr(s.begin, s.end - s.begin));
  }
  const NumberWord* FindNumberWord(std::string_view word) const;
  uint16_t ContextBefore(const SentenceScan& scan, size_t pos) const;
  bool IsUnitWord(std::string_view text, Span s, Scratch* scratch) const;
  // Finds the numerals of one sentence: digits, and syllables that are
  // number words.
  void ScanSentence(const SentenceScan& scan) const;
  // Parses a digit numeral at `pos`; returns the offset to resume scanning at.
  // Out of line: the scan of every syllable keeps its registers.
  [[gnu::noinline]] uint32_t ScanDigits(const SentenceScan& scan, uint32_t pos) const;
  [[gnu::noinline]] uint32_t ScanWords(const SentenceScan& scan, Span first,
                                       const NumberWord& word) const;
  // Whether the word numeral at `pos` follows a count of this sentence with
  // only a comma or a list_joiner word ("và") between: "ba luật và một nghị
  // quyết" counts the "một" that is otherwise an article.
  bool ListedAfterCount(const SentenceScan& scan, uint32_t pos) const;
  // A figure of this sentence ends right before pos, only spaces between.
  bool RightAfterFigure(const SentenceScan& scan, uint32_t pos) const;
  // An approximating qualifier ("hơn", "khoảng") ends right before pos.
  bool ApproximatedBefore(const SentenceScan& scan, uint32_t pos) const;
  // The number at `pos` ends a range in words: a range_to word right before
  // it, and before that, a few words back, a number after a range_from word
  // ("từ 5 đến 7 triệu đồng", "từ 500 nghìn đến 1 triệu đồng", "từ 24 tháng tù
  // treo đến 3 năm tù").
  bool UpperEndOfRange(const SentenceScan& scan, uint32_t pos) const;
  // A range_from word ends right before pos, and no change word before it.
  bool OpensRange(const SentenceScan& scan, uint32_t pos) const;
  // The quantity [pos, end) opens such a range: a range_from word before it,
  // a range_to word and a digit a few words after it.
  bool LowerEndOfRange(const SentenceScan& scan, uint32_t pos, uint32_t end) const;
  // A group of number words below one hundred ("hai", "hai mươi lăm", "mười").
  bool ParseWordGroup(const SentenceScan& scan, Span first, const NumberWord& word,
                      double* value, uint32_t* end, bool* has_tens) const;
  // Scale words and further groups after the first group of a numeral.
  void ParseScales(const SentenceScan& scan, NumeralResult* r) const;
  // The unit after a numeral, then the qualifier before it; appends the fact.
  void Finish(const SentenceScan& scan, uint32_t begin, const NumeralResult& r,
              Span glued_unit) const;
  // What a percentage is of: after the sign, or in a clause before it.
  std::optional<std::string> PercentBase(const SentenceScan& scan, uint32_t number_begin,
                                         uint32_t pos) const;
  // A noun phrase from `pos` up to punctuation or a word with a `stop` role.
  std::optional<std::string> BasePhrase(const SentenceScan& scan, size_t pos, size_t limit,
                                        uint16_t stop) const;
  // The unit of the whole after "trong tổng số 20 chỉ tiêu" (a phrase with
  // the part_of role, then digits, then a counted unit) at `pos`.
  const UnitEntry* WholeUnitAfter(const SentenceScan& scan, size_t pos) const;
  struct GuessedUnit {
    std::string unit;
    uint32_t end = 0;
  };
  std::optional<GuessedUnit> FallbackUnit(const SentenceScan& scan, Span s) const;
  // The context roles of the one syllable `word` (0 when it has none).
  uint16_t ContextRolesAt(std::string_view text, Span word, Scratch* scratch) const {
    const auto m = MatchForward(t_->context, text, word, word.end, scratch);
    return m.value == nullptr ? 0 : *m.value;
  }

  std::unique_ptr<const Tables> t_;
};

const NumberWord* QuantityExtractor::FindNumberWord(std::string_view word) const {
  auto it = t_->number_words.find(word);
  return it == t_->number_words.end() ? nullptr : &it->second;
}

uint16_t QuantityExtractor::ContextBefore(const SentenceScan& scan, size_t pos) const {
  auto m = MatchBackward(t_->context, scan.doc->text, pos, scan.sentence->begin, scan.scratch);
  return m.value ? *m.value : 0;
}

bool QuantityExtractor::IsUnitWord(std::string_view text, Span s, Scratch* scratch) const {
  auto m = MatchForward(t_->units, text, s, s.end, scratch);
  return m.value != nullptr;
}

bool QuantityExtractor::ParseWordGroup(const SentenceScan& scan, Span first,
                                       const NumberWord& word, double* value, uint32_t* end,
                                       bool* has_tens) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = scan.sentence->end;
  *has_tens = false;
  *end = first.end;
  int v = 0;
  if (word.role == NumberRole::kHalfBefore) {
    *value = 0.5;
    return true;
  }
  if (word.role == NumberRole::kDigit) {
    v = word.value;
    Span next = NextSyllable(text, first.end, limit);
    const NumberWord* tens = LookupNumberWord(text, next);
    if (tens == nullptr || tens->role != NumberRole::kTens) {
      *value = v;
      return true;
    }
    v *= 10;
    *end = next.end;
  } else if (word.role == NumberRole::kTen) {
    v = 10;
  } else {
    return false;
  }
  *has_tens = true;
  // The units digit after the tens; a word that is also a unit stays one
  // ("hai mươi năm" is twenty years, "hai mươi lăm" is 25).
  Span next = NextSyllable(text, *end, limit);
  const NumberWord* unit = LookupNumberWord(text, next);
  if (unit != nullptr &&
      (unit->role == NumberRole::kDigit || unit->role == NumberRole::kAfterTens) &&
      !IsUnitWord(text, next, scan.scratch)) {
    v += unit->value;
    *end = next.end;
  }
  *value = v;
  return true;
}

void QuantityExtractor::ParseScales(const SentenceScan& scan, NumeralResult* r) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = scan.sentence->end;
  bool after_scale = false;
  while (true) {
    Span s = NextSyllable(text, r->end, limit);
    const NumberWord* w = LookupNumberWord(text, s);
    if (w != nullptr && w->role == NumberRole::kScale) {
      if (!r->numeral.ApplyScale(w->value, 0)) return;
      r->end = s.end;
      after_scale = true;
      continue;
    }
    if (!after_scale) return;
    if (w != nullptr && w->role == NumberRole::kHalfAfter) {
      char half[] = "5";
      if (r->numeral.last_scale() >= 1 && r->numeral.Append(half, r->numeral.last_scale() - 1)) {
        r->end = s.end;
      }
      return;
    }
    // A further group after a scale continues the numeral only when nothing
    // else can be meant: it has tens, follows "linh", or a scale follows it
    // ("1 tỷ 200 triệu", "hai trăm năm mươi"; but "hai nghìn năm" is years).
    uint32_t group_end = 0;
    char buffer[48];
    std::string_view mantissa;
    bool has_tens = false;
    bool filler = false;
    if (w != nullptr && w->role == NumberRole::kFiller) {
      Span d = NextSyllable(text, s.end, limit);
      const NumberWord* dw = LookupNumberWord(text, d);
      if (dw == nullptr || dw->role != NumberRole::kDigit) return;
      auto [p, ec] = std::to_chars(buffer, buffer + sizeof(buffer), dw->value);
      mantissa = std::string_view(buffer, static_cast<size_t>(p - buffer));
      group_end = d.end;
      filler = true;
    } else if (w != nullptr && (w->role == NumberRole::kDigit || w->role == NumberRole::kTen)) {
      if (!r->words) return;
      double v = 0;
      if (!ParseWordGroup(scan, s, *w, &v, &group_end, &has_tens)) return;
      auto [p, ec] = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int>(v));
      mantissa = std::string_view(buffer, static_cast<size_t>(p - buffer));
    } else {
      // Digits after a scale word: "1 tỷ 200 triệu".
      size_t p = SkipSpaces(text, r->end, limit);
      if (r->words || p == r->end || p >= limit || !IsAsciiDigit(text[p])) return;
      size_t q = p;
      while (q < limit && IsAsciiDigit(text[q]) && q - p < 3) ++q;
      if (q < limit && (IsAsciiDigit(text[q]) || text[q] == '.' || text[q] == ',')) return;
      std::memcpy(buffer, text.data() + p, q - p);
      mantissa = std::string_view(buffer, q - p);
      group_end = static_cast<uint32_t>(q);
    }
    Span after = NextSyllable(text, group_end, limit);
    const NumberWord* next = LookupNumberWord(text, after);
    const bool scale_follows = next != nullptr && next->role == NumberRole::kScale &&
                               next->value < r->numeral.last_scale();
    if (!(scale_follows || has_tens || filler)) return;
    const size_t before = r->numeral.count();
    if (!r->numeral.Append(mantissa, 0)) return;
    r->end = group_end;
    if (scale_follows) {
      r->numeral.ApplyScale(next->value, before);
      r->end = after.end;
    }
  }
}

std::optional<QuantityExtractor::GuessedUnit> QuantityExtractor::FallbackUnit(
    const SentenceScan& scan, Span s) const {
  const Document& doc = *scan.doc;
  const std::string_view text = doc.text;
  if (s.empty()) return std::nullopt;
  std::string_view word = text.substr(s.begin, s.end - s.begin);
  // Capitalized words after a number are names ("iPhone 15 Pro", "Quận 7 Ba
  // Đình"), except acronyms of counted things ("DN").
  size_t p = 0;
  int32_t first = NextCodePoint(word, &p);
  if (first < 0) return std::nullopt;
  if (IsUpper(static_cast<char32_t>(first))) {
    if (word.size() < 2) return std::nullopt;
    for (char c : word) {
      if (!(c >= 'A' && c <= 'Z')) return std::nullopt;
    }
    return GuessedUnit{std::string(word), s.end};
  }
  scan.scratch->lower.clear();
  AppendLower(word, &scan.scratch->lower);
  if (auto it = t_->context.lower.find(std::string_view(scan.scratch->lower));
      it != t_->context.lower.end() && (it->second & (kNotUnit | kBaseEnd))) {
    return std::nullopt;
  }
  if (LookupNumberWord(text, s) != nullptr) return std::nullopt;
  // The word segmenter knows where a multi-syllable noun ends ("bằng khen").
  // A word of letters only goes on past `s` (no letter follows it) only over
  // spaces to a letter; without one, `s` is the unit, and the sentence need
  // not be segmented (its words may be made on demand: SentenceWords).
  const Sentence& sentence = *scan.sentence;
  if (const size_t after = SkipSpaces(text, s.end, sentence.end);
      after >= sentence.end || !LetterStartsAt(text, after)) {
    GuessedUnit guess;
    AppendLower(word, &guess.unit);
    guess.end = s.end;
    return guess;
  }
  Scratch& scratch = *scan.scratch;
  if (scratch.words_of != scan.index) {
    scratch.words = SentenceWords(doc, scan.index, &scratch.segmented);
    scratch.words_of = scan.index;
  }
  auto begin = scratch.words.begin();
  auto end = scratch.words.end();
  auto it = std::lower_bound(begin, end, s.begin,
                             [](const Word& w, uint32_t pos) { return w.begin < pos; });
  uint32_t unit_end = s.end;
  if (it != end && it->begin == s.begin && it->end > s.end && it->end <= sentence.end) {
    bool letters_only = true;
    size_t q = it->begin, next = 0;
    while (q < it->end) {
      if (text[q] == ' ') {
        ++q;
      } else if (LetterAt(text, q, &next)) {
        q = next;
      } else {
        letters_only = false;
        break;
      }
    }
    if (letters_only) unit_end = it->end;
    // "4 thực hiện": a verb of several syllables is no unit either.
    scan.scratch->lower.clear();
    AppendLower(text.substr(s.begin, unit_end - s.begin), &scan.scratch->lower);
    if (auto verb = t_->context.lower.find(std::string_view(scan.scratch->lower));
        verb != t_->context.lower.end() && (verb->second & (kNotUnit | kBaseEnd))) {
      return std::nullopt;
    }
  }
  GuessedUnit guess;
  AppendLower(text.substr(s.begin, unit_end - s.begin), &guess.unit);
  guess.end = unit_end;
  return guess;
}

std::optional<std::string> QuantityExtractor::BasePhrase(const SentenceScan& scan, size_t pos,
                                                         size_t limit, uint16_t stop) const {
  const std::string_view text = scan.doc->text;
  uint32_t begin = 0, end = 0;
  int items = 0;
  size_t p = pos;
  while (p < limit && items < 8) {
    p = SkipSpaces(text, p, limit);
    if (p >= limit) break;
    Span word = LetterRun(text, p, limit);
    if (!word.empty()) {
      auto m = MatchForward(t_->context, text, word, limit, scan.scratch);
      const uint16_t roles = m.value ? *m.value : 0;
      if (items == 0 && (roles & kDeterminer)) {
        p = word.end;
        continue;
      }
      if (roles & stop) break;
      if (items == 0) begin = word.begin;
      end = word.end;
      ++items;
      p = word.end;
    } else if (IsAsciiDigit(text[p]) && items > 0) {
      size_t q = p;
      while (q < limit && (IsAsciiDigit(text[q]) ||
                           ((text[q] == '.' || text[q] == ',' || text[q] == '/' ||
                             text[q] == '-') &&
                            q + 1 < limit && IsAsciiDigit(text[q + 1])))) {
        ++q;
      }
      end = static_cast<uint32_t>(q);
      ++items;
      p = q;
    } else if ((text[p] == '/' || text[p] == '-') && items > 0) {
      // "quý II/2023", "giai đoạn 2016 - 2020", "kinh tế-xã hội".
      size_t q = SkipSpaces(text, p + 1, limit);
      size_t next = 0;
      if (q < limit && (IsAsciiDigit(text[q]) || (q == p + 1 && LetterAt(text, q, &next)))) {
        p = q;
      } else {
        break;
      }
    } else if (text[p] == ',' && items > 0) {
      // "100% các xã, phường": a comma between counted nouns.
      Span next = NextSyllable(text, p + 1, limit);
      if (next.empty() || !IsUnitWord(text, next, scan.scratch)) break;
      p = p + 1;
    } else {
      break;
    }
  }
  if (items == 0) return std::nullopt;
  return std::string(text.substr(begin, end - begin));
}

std::optional<std::string> QuantityExtractor::PercentBase(const SentenceScan& scan,
                                                          uint32_t number_begin,
                                                          uint32_t pos) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = scan.sentence->end;
  // After the sign: "so với ...", "của ..." run to punctuation or a clause
  // word; without one, the noun phrase right after the sign is what the
  // share is of ("98,7% kế hoạch", "96,8% phản ánh").
  if (Span s = NextSyllable(text, pos, limit); !s.empty()) {
    auto intro = MatchForward(t_->context, text, s, limit, scan.scratch);
    if (intro.value != nullptr && (*intro.value & kBase)) {
      return BasePhrase(scan, intro.span.end, limit, kBaseEnd);
    }
    return BasePhrase(scan, s.begin, limit, kBaseEnd | kNotUnit);
  }
  // Before it, opening a clause: "So với cùng kỳ năm 2023 (...), số hội nghị
  // tăng 12,5%". A "so với" right after an earlier figure is that figure's.
  const size_t floor = scan.sentence->begin;
  size_t p = number_begin;
  for (int n = 0; n < 40; ++n) {
    Span s = PrevSyllable(text, p, floor);
    if (s.empty()) {
      // Step over punctuation and numbers to the syllable before them.
      if (p <= floor) break;
      --p;
      continue;
    }
    p = s.begin;
    // The longest phrase from here has the role only if it is one of them.
    scan.scratch->word.clear();
    AppendLower(text.substr(s.begin, s.end - s.begin), &scan.scratch->word);
    const auto& heads = t_->base_before_heads;
    if (std::find(heads.begin(), heads.end(), scan.scratch->word) == heads.end()) continue;
    auto m = MatchForward(t_->context, text, s, number_begin, scan.scratch);
    if (m.value == nullptr || !(*m.value & kBaseBefore)) continue;
    size_t b = s.begin;
    while (b > floor && text[b - 1] == ' ') --b;
    const bool opens_clause = b == floor || std::string_view(",;:(.!?\n").find(text[b - 1]) !=
                                                std::string_view::npos;
    if (!opens_clause) return std::nullopt;
    return BasePhrase(scan, m.span.end, number_begin, kBaseEnd);
  }
  return std::nullopt;
}

const UnitEntry* QuantityExtractor::WholeUnitAfter(const SentenceScan& scan, size_t pos) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = scan.sentence->end;
  const Span first = NextSyllable(text, pos, limit);
  if (first.empty()) return nullptr;
  auto link = MatchForward(t_->context, text, first, limit, scan.scratch);
  if (link.value == nullptr || !(*link.value & kPartOf)) return nullptr;
  size_t p = SkipSpaces(text, link.span.end, limit);
  if (p == link.span.end || p >= limit || !IsAsciiDigit(text[p])) return nullptr;
  while (p < limit && (IsAsciiDigit(text[p]) ||
                       (text[p] == '.' && p + 1 < limit && IsAsciiDigit(text[p + 1])))) {
    ++p;
  }
  const Span unit_word = NextSyllable(text, p, limit);
  if (unit_word.empty()) return nullptr;
  auto unit = MatchForward(t_->units, text, unit_word, limit, scan.scratch);
  if (unit.value == nullptr || unit.value->unit_class != UnitClass::kCount) return nullptr;
  return unit.value;
}

void QuantityExtractor::Finish(const SentenceScan& scan, uint32_t begin, const NumeralResult& r,
                               Span glued_unit) const {
  const Document& doc = *scan.doc;
  const std::string_view text = doc.text;
  const size_t limit = scan.sentence->end;
  const uint32_t number_begin = begin;
  QuantityFact q;
  q.decimals = r.decimals;
  std::string rule;
  uint32_t end = 0;
  UnitClass unit_class = UnitClass::kCount;
  bool found = false;

  if (!glued_unit.empty()) {
    if (text[glued_unit.begin] == '%') {
      q.unit = "%";
      unit_class = UnitClass::kPercent;
    } else if (text.substr(glued_unit.begin, kPerMille.size()) == kPerMille) {
      // A salinity of "18,6‰" measures, it shares nothing out: no percentage.
      q.unit = std::string(kPerMille);
    } else {
      auto m = MatchForward(t_->units, text, glued_unit, glued_unit.end, scan.scratch);
      if (m.value == nullptr) return;
      q.unit = m.value->unit;
      unit_class = m.value->unit_class;
    }
    end = glued_unit.end;
    found = true;
  } else {
    size_t p = SkipSpaces(text, r.end, limit);
    if (p < limit && text[p] == '%' && p - r.end <= 1) {
      q.unit = "%";
      unit_class = UnitClass::kPercent;
      end = static_cast<uint32_t>(p + 1);
      found = true;
    } else if (p - r.end <= 1 && text.substr(p, kPerMille.size()) == kPerMille) {
      q.unit = std::string(kPerMille);
      end = static_cast<uint32_t>(p + kPerMille.size());
      found = true;
    } else {
      const size_t after = SkipSpaces(text, r.end, limit);
      Span first = after > r.end ? AlnumUnitAt(text, after, limit) : Span{};
      if (first.empty()) first = NextSyllable(text, r.end, limit);
      if (!first.empty() && scan.claimed->Covering(first.begin) == 0) {
        auto m = MatchForward(t_->units, text, first, limit, scan.scratch);
        if (m.value != nullptr) {
          q.unit = m.value->unit;
          unit_class = m.value->unit_class;
          end = m.span.end;
          found = true;
        } else if (!r.words && !r.year_like && !r.out_of_total && r.numeral.MaxExponent() < 9 &&
                   !AfterModelCode(text, number_begin, scan.sentence->begin)) {
          if (auto guess = FallbackUnit(scan, first)) {
            q.unit = std::move(guess->unit);
            end = guess->end;
            rule = "quantity.number_next_word";
            found = true;
          }
        }
      }
    }
  }
  if (!found && !r.out_of_total) {
    // "18 trong tổng số 20 chỉ tiêu": the part counts what its whole counts.
    if (auto whole = WholeUnitAfter(scan, r.end)) {
      q.unit = whole->unit;
      end = r.end;
      rule = "quantity.part_of_whole";
      found = true;
    }
  }
  if (r.out_of_total && (!found || unit_class != UnitClass::kCount)) return;
  if (!found) {
    // "3.500 tỷ" with no noun: in these reports a bare billions figure is
    // money in đồng (the "đồng" is routinely dropped after "tỷ").
    if (r.numeral.MaxExponent() < 9 || r.words) return;
    q.unit = "đồng";
    unit_class = UnitClass::kCurrency;
    end = r.end;
    rule = "quantity.money_implied";
  }
  // A time unit configured as a period ("15 năm qua" is then no count).
  if (unit_class == UnitClass::kPeriod) return;
  if (unit_class == UnitClass::kDuration) {
    // "6 tháng đầu năm 2024" is a period, not six months counted.
    const Span next = NextSyllable(text, end, limit);
    const uint16_t next_roles = next.empty() ? 0 : ContextRolesAt(text, next, scan.scratch);
    if (next_roles & kPeriodAfter) return;
    // "Quảng trường 2 Tháng 4", "đường 3 Tháng 2": a capitalized time unit
    // between two numbers names a date, and the date a place; "14 giờ 20
    // phút", "15 giờ 00": a clock unit before a number tells the time.
    const size_t unit_at = SkipSpaces(text, r.end, limit);
    const size_t after = SkipSpaces(text, end, limit);
    auto clock = MatchForward(t_->context, text, NextSyllable(text, r.end, limit), limit, scan.scratch);
    const bool clock_unit = clock.value != nullptr && (*clock.value & kClock);
    if (after > end && after < limit && IsAsciiDigit(text[after])) {
      if (UpperAt(text, unit_at)) return;
      if (clock_unit) return;
    }
    // "trước 17 giờ ngày 27/8", "8 giờ sáng": the time of a day.
    if (clock_unit && (next_roles & kClockAfter)) {
      const size_t digit = SkipSpaces(text, next.end, limit);
      const bool needs_date = (next_roles & kBlock) != 0;  // "ngày" names a date after it
      if (!needs_date || (digit > next.end && digit < limit && IsAsciiDigit(text[digit]))) return;
    }
  }
  // A rate: "triệu đồng/người/tháng", "3,2 triệu đồng/m2", per a unit of
  // several words ("100 triệu đồng/lao động") or a currency ("24.196
  // đồng/USD"), in the unit's own spelling; a percentage per a span of time
  // ("lãi suất 6,6%/năm") is a rate too.
  while (end + 1 < limit && text[end] == '/') {
    Span per = AlnumUnitAt(text, end + 1, limit);
    if (per.empty()) per = LetterRun(text, end + 1, limit);
    if (per.empty()) break;
    auto whole = MatchForward(t_->units, text, per, limit, scan.scratch);
    if (unit_class == UnitClass::kPercent &&
        (whole.value == nullptr || (whole.value->unit_class != UnitClass::kDuration &&
                                    whole.value->unit_class != UnitClass::kPeriod))) {
      break;
    }
    q.unit.push_back('/');
    if (whole.value != nullptr) {
      per = whole.span;
      q.unit += whole.value->unit;
    } else if (auto guess = FallbackUnit(scan, per)) {
      // "đồng/tân binh": the segmenter knows where the noun ends.
      q.unit += guess->unit;
      per.end = guess->end;
    } else {
      AppendLower(text.substr(per.begin, per.end - per.begin), &q.unit);
    }
    end = per.end;
  }

  auto qualifier = MatchBackward(t_->qualifiers, text, begin, scan.sentence->begin, scan.scratch);
  if (qualifier.value != nullptr && qualifier.value->approx != Approx::kExact &&
      !(qualifier.value->has_not_before && qualifier.value->not_before == unit_class) &&
      scan.claimed->Covering(qualifier.span.begin) == 0) {
    q.approx = qualifier.value->approx;
    begin = qualifier.span.begin;
  } else if (!t_->trailing_qualifiers.lower.empty()) {
    // Only when nothing before the number qualifies it: "1.200 lượt trở lên".
    auto trailing = MatchForward(t_->trailing_qualifiers, text, NextSyllable(text, end, limit),
                                 limit, scan.scratch);
    if (trailing.value != nullptr && scan.claimed->Covering(trailing.span.begin) == 0) {
      q.approx = trailing.value->approx;
      end = trailing.span.end;
    }
  }

  double value = r.numeral.Value();
  if (!std::isfinite(value)) return;
  q.value = value;
  if (unit_class == UnitClass::kPercent) q.of = PercentBase(scan, number_begin, end);

  if (rule.empty()) {
    switch (unit_class) {
      case UnitClass::kPercent: rule = "quantity.percent"; break;
      case UnitClass::kCurrency: rule = "quantity.money"; break;
      case UnitClass::kDuration: rule = "quantity.duration"; break;
      default:
        rule = r.out_of_total ? "quantity.out_of_total"
               : r.words      ? "quantity.number_word"
                              : "quantity.number_unit";
        break;
    }
  }
  // "từ 24 tháng tù treo đến 3 năm tù": a range is no figure (see
  // UpperEndOfRange for its other end, which a qualifier may open: "đến dưới
  // 3,5 triệu đồng").
  if (LowerEndOfRange(scan, number_begin, end)) return;
  if (begin != number_begin && UpperEndOfRange(scan, begin)) return;
  Fact& fact = scan.out->emplace_back();
  fact.kind = FactKind::kQuantity;
  fact.begin = begin;
  fact.end = end;
  fact.sentence = scan.index;
  fact.rule = std::move(rule);
  fact.value.emplace<QuantityFact>(std::move(q));
}

// Skips a run of non-space characters: a date, code, time or glued token.
uint32_t SkipToken(std::string_view text, size_t pos, size_t limit) {
  while (pos < limit && text[pos] != ' ' && text[pos] != '\n') ++pos;
  return static_cast<uint32_t>(pos);
}

// End of "N/M" when the digits at [pos, slash) and after the slash read as a
// part out of a whole ("18/18 xã", "45/63 tỉnh"): both plain integers, the
// part no larger than the whole, and nothing glued after the whole (so
// "2/2/2018" and "16/CT-TTg" are not). Returns 0 otherwise.
uint32_t OutOfTotalEnd(std::string_view text, size_t pos, size_t slash, size_t limit) {
  size_t q = slash + 1;
  while (q < limit && IsAsciiDigit(text[q])) ++q;
  const size_t total_digits = q - slash - 1;
  if (total_digits == 0 || total_digits > 4 || text[slash + 1] == '0') return 0;
  if (q < limit && text[q] != ' ' && text[q] != ',' && text[q] != ';' && text[q] != ')') return 0;
  if (q < limit && text[q] != ' ' && q + 1 < limit && text[q + 1] != ' ') return 0;
  int part = 0, whole = 0;
  for (size_t i = pos; i < slash; ++i) part = part * 10 + (text[i] - '0');
  for (size_t i = slash + 1; i < q; ++i) whole = whole * 10 + (text[i] - '0');
  if (part > whole) return 0;
  return static_cast<uint32_t>(q);
}

uint32_t QuantityExtractor::ScanDigits(const SentenceScan& scan, uint32_t pos) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = scan.sentence->end;
  const size_t floor = scan.sentence->begin;
  // Glued to what comes before: "F0", "Covid-19", "QĐ/12", "v1.2".
  if (pos > floor) {
    if (AlnumBefore(text, pos)) return SkipToken(text, pos, limit);
    char c = text[pos - 1];
    if ((c == '-' || c == '/' || c == '.' || c == ':' || c == ',' || c == '_') &&
        AlnumBefore(text, pos - 1)) {
      return SkipToken(text, pos, limit);
    }
  }
  // Digits, thousands groups of exactly three, then a decimal part.
  size_t p = pos;
  while (p < limit && IsAsciiDigit(text[p])) ++p;
  const size_t lead = p - pos;
  bool grouped = false;
  while (p + 3 < limit && text[p] == '.' && IsAsciiDigit(text[p + 1]) &&
         IsAsciiDigit(text[p + 2]) && IsAsciiDigit(text[p + 3]) &&
         (p + 4 >= limit || !IsAsciiDigit(text[p + 4]))) {
    p += 4;
    grouped = true;
  }
  size_t decimals = 0;
  if (p + 1 < limit && text[p] == ',' && IsAsciiDigit(text[p + 1])) {
    ++p;
    while (p < limit && IsAsciiDigit(text[p])) {
      ++p;
      ++decimals;
    }
  }
  const uint32_t end = static_cast<uint32_t>(p);
  // Glued to what follows: "1.5", "15.29", "1,2,3", "2/2/2018", "16:35",
  // "2014-2023", "124-QĐ/TW", "19h", "5G".
  Span glued_unit;
  if (p < limit) {
    char c = text[p];
    size_t after_letter = 0;
    if ((c == '.' || c == ',') && p + 1 < limit && IsAsciiDigit(text[p + 1])) {
      return SkipToken(text, p, limit);
    }
    if (c == '/' && !grouped && decimals == 0 && lead <= 4) {
      if (uint32_t total_end = OutOfTotalEnd(text, pos, p, limit)) {
        const uint16_t context = ContextBefore(scan, pos);
        if (scan.claimed->Covering(pos) == 0 && !Blocked(context)) {
          NumeralResult r;
          if (r.numeral.SetFirst(text.substr(pos, lead))) {
            r.end = total_end;
            r.out_of_total = true;
            const size_t before = scan.out->size();
            Finish(scan, pos, r, Span{});
            if (scan.out->size() > before) return scan.out->back().end;
          }
        }
      }
    }
    if ((c == '/' || c == ':' || c == '-' || c == '_') && p + 1 < limit &&
        (IsAsciiDigit(text[p + 1]) || LetterAt(text, p + 1, &after_letter))) {
      return SkipToken(text, p, limit);
    }
    if (c == '%') {
      glued_unit = {end, end + 1};
    } else if (text.substr(p, kPerMille.size()) == kPerMille) {
      glued_unit = {end, static_cast<uint32_t>(end + kPerMille.size())};
    } else if (Span letters = LetterRun(text, p, limit); !letters.empty()) {
      // Only a unit may be glued to a number: "200.000đ", "38.000m2",
      // "5km"; "19h", "5G", "29A" are codes.
      Span alnum = AlnumUnitAt(text, p, limit);
      if (!alnum.empty()) {
        letters = alnum;
      } else if (letters.end < limit && IsAsciiDigit(text[letters.end])) {
        return SkipToken(text, p, limit);
      }
      auto m = MatchForward(t_->units, text, letters, letters.end, scan.scratch);
      if (m.value == nullptr ||
          !(m.value->unit_class == UnitClass::kCurrency ||
            IsAscii(text.substr(letters.begin, letters.end - letters.begin)) || !alnum.empty())) {
        return SkipToken(text, p, limit);
      }
      glued_unit = letters;
    }
  }
  const uint32_t resume = end;
  // Leading zeros are codes and phone numbers; a long first run before
  // thousands groups is malformed (0912.345.678).
  if (lead > 1 && text[pos] == '0') return SkipToken(text, pos, limit);
  if (grouped && lead > 3) return resume;
  if (uint32_t claimed = scan.claimed->Covering(pos)) return std::max(claimed, resume);
  // Numbers beside other numbers are phone numbers, lists or ranges
  // ("0912 345 678", "2015 - 2020", "5 - 10%", "5 đến 10%"); a dash and capitals after a
  // number is a document code with noise ("124 -QĐ/TW", "15- CT/TU").
  {
    size_t q = SkipSpaces(text, end, limit);
    if (q < limit && q > end && IsAsciiDigit(text[q])) return SkipToken(text, q, limit);
    if (q < limit && text[q] == '-' && glued_unit.empty()) {
      size_t r = SkipSpaces(text, q + 1, limit);
      if (r < limit && (IsAsciiDigit(text[r]) || UpperAt(text, r))) {
        return SkipToken(text, r, limit);
      }
    }
    size_t b = pos;
    while (b > floor && text[b - 1] == ' ') --b;
    if (b < pos && b > floor && IsAsciiDigit(text[b - 1])) return resume;
    if (b > floor && text[b - 1] == '-') {
      size_t a = b - 1;
      while (a > floor && text[a - 1] == ' ') --a;
      if (a > floor && IsAsciiDigit(text[a - 1])) return resume;
    }
    // A range in words ("từ 10 đến 15%") is no more one figure than "10 - 15%".
    if (b < pos && UpperEndOfRange(scan, pos)) return resume;
  }
  const uint16_t context = ContextBefore(scan, pos);
  // "8 năm 6 tháng tù": the block word is the unit of the figure right
  // before, and the number goes on with it; "cả năm 15%": a percentage is
  // never a year's or a day's number.
  const bool percent = (end < limit && text[end] == '%') ||
                       (end + 1 < limit && text[end] == ' ' && text[end + 1] == '%');
  if (Blocked(context) && !percent && !RightAfterFigure(scan, pos)) return resume;

  NumeralResult r;
  // The digits with '.' for the decimal comma; huge digit strings are noise,
  // not figures.
  char mantissa[40];
  size_t mantissa_size = 0;
  for (size_t i = pos; i < end; ++i) {
    if (text[i] == '.') continue;  // thousands separator
    if (mantissa_size == sizeof(mantissa)) return resume;
    mantissa[mantissa_size++] = text[i] == ',' ? '.' : text[i];
  }
  if (!r.numeral.SetFirst(std::string_view(mantissa, mantissa_size))) return resume;
  r.decimals = static_cast<int>(decimals);
  r.end = end;
  r.year_like = !grouped && r.decimals == 0 && lead == 4;
  if (glued_unit.empty()) ParseScales(scan, &r);
  const uint32_t numeral_end = r.end;
  const size_t before = scan.out->size();
  Finish(scan, pos, r, glued_unit);
  if (scan.out->size() > before) return std::max(scan.out->back().end, numeral_end);
  return std::max(resume, numeral_end);
}

uint32_t QuantityExtractor::ScanWords(const SentenceScan& scan, Span first,
                                      const NumberWord& word) const {
  const std::string_view text = scan.doc->text;
  if (word.role != NumberRole::kDigit && word.role != NumberRole::kTen &&
      word.role != NumberRole::kHalfBefore) {
    return first.end;
  }
  // A number word is followed by a word (its unit, a scale, "mươi"); the
  // year noun "năm" mostly is not ("năm 2020"), so this check comes first.
  if (NextSyllable(text, first.end, scan.sentence->end).empty()) return first.end;
  // "hàng trăm", "vài nghìn": vague amounts.
  Span prev = PrevSyllable(text, first.begin, scan.sentence->begin);
  if (const NumberWord* p = LookupNumberWord(text, prev);
      p != nullptr && p->role == NumberRole::kVague) {
    return first.end;
  }
  const uint16_t context = ContextBefore(scan, first.begin);
  if (Blocked(context, kBlock | kBlockWord)) return first.end;
  if (scan.claimed->Covering(first.begin) != 0) return first.end;

  NumeralResult r;
  r.words = true;
  double v = 0;
  bool has_tens = false;
  if (!ParseWordGroup(scan, first, word, &v, &r.end, &has_tens)) return first.end;
  char buffer[32];
  if (word.role == NumberRole::kHalfBefore) {
    r.numeral.SetFirst("0.5");
  } else {
    auto [p, ec] = std::to_chars(buffer, buffer + sizeof(buffer), static_cast<int>(v));
    r.numeral.SetFirst(std::string_view(buffer, static_cast<size_t>(p - buffer)));
  }
  const uint32_t group_end = r.end;
  ParseScales(scan, &r);
  const bool scaled = r.end != group_end;
  // "một" is an article unless a scale, a list or an approximation makes it
  // a count: "một nghìn người", "ba luật và một nghị quyết", "hơn một năm".
  if (!scaled && (word.role == NumberRole::kHalfBefore ||
                  (!word.alone && !has_tens && !ListedAfterCount(scan, first.begin) &&
                   !ApproximatedBefore(scan, first.begin)))) {
    return first.end;
  }
  const size_t before = scan.out->size();
  Finish(scan, first.begin, r, Span{});
  if (scan.out->size() > before) return scan.out->back().end;
  return first.end;
}

// Ranges allow this many words between the first number and the range_to word.
constexpr int kRangeGapWords = 3;

bool QuantityExtractor::OpensRange(const SentenceScan& scan, uint32_t pos) const {
  const std::string_view text = scan.doc->text;
  const auto from = t_->range_from_ends.EndingAt(text, pos);
  if (!from || *from < scan.sentence->begin) return false;
  // "tăng từ 5 triệu đồng đến 7 triệu đồng" is a change between two figures.
  const auto change = t_->change_ends.EndingAt(text, *from);
  return !change || *change < scan.sentence->begin;
}

bool QuantityExtractor::UpperEndOfRange(const SentenceScan& scan, uint32_t pos) const {
  const std::string_view text = scan.doc->text;
  const size_t floor = scan.sentence->begin;
  const auto to = t_->range_to_ends.EndingAt(text, pos);
  if (!to || *to <= floor) return false;
  size_t p = *to;
  // Back over space-separated words ("triệu", "đồng/tháng") to a number.
  for (int words = 0; words <= kRangeGapWords; ++words) {
    size_t e = p;
    while (e > floor && text[e - 1] == ' ') --e;
    if (e == p || e == floor || std::string_view(",;:()").find(text[e - 1]) != std::string_view::npos) {
      return false;
    }
    size_t b = e;
    while (b > floor && text[b - 1] != ' ') --b;
    if (IsAsciiDigit(text[b])) {
      // "mức lũ năm 1968 tới 1,16 m": a year or code is no range's end.
      if (scan.claimed->Covering(static_cast<uint32_t>(b)) != 0) return false;
      // "trong 4 đến 6 tuần": a bare number right before the range_to word
      // opens a range by itself; one with words after it needs range_from.
      if (words == 0) return true;
      return OpensRange(scan, static_cast<uint32_t>(b));
    }
    p = b;
  }
  return false;
}

bool QuantityExtractor::LowerEndOfRange(const SentenceScan& scan, uint32_t pos, uint32_t end) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = scan.sentence->end;
  if (!OpensRange(scan, pos)) return false;
  size_t p = end;
  for (int words = 0; words <= kRangeGapWords; ++words) {
    const Span word = NextSyllable(text, p, limit);
    if (word.empty()) return false;
    if (const auto to_end = extract::MatchAnyAt(text, word.begin, t_->range_to)) {
      size_t q = SkipSpaces(text, *to_end, limit);
      if (q == *to_end || q >= limit) return false;
      // "đến dưới 3,5 triệu đồng"
      if (auto qualifier = MatchForward(t_->qualifiers, text, NextSyllable(text, *to_end, limit),
                                        limit, scan.scratch);
          qualifier.value != nullptr) {
        q = SkipSpaces(text, qualifier.span.end, limit);
      }
      return q < limit && IsAsciiDigit(text[q]);
    }
    p = word.end;
  }
  return false;
}

bool QuantityExtractor::RightAfterFigure(const SentenceScan& scan, uint32_t pos) const {
  if (scan.out->size() == scan.first_own) return false;
  const Fact& last = scan.out->back();
  return last.sentence == scan.index && last.end < pos &&
         SkipSpaces(scan.doc->text, last.end, pos) == pos;
}

bool QuantityExtractor::ApproximatedBefore(const SentenceScan& scan, uint32_t pos) const {
  auto q = MatchBackward(t_->qualifiers, scan.doc->text, pos, scan.sentence->begin, scan.scratch);
  // Not "trên"/"dưới", which are prepositions as often as qualifiers.
  return q.value != nullptr && q.value->approx != Approx::kExact && !q.value->has_not_before;
}

bool QuantityExtractor::ListedAfterCount(const SentenceScan& scan, uint32_t pos) const {
  if (scan.out->size() == scan.first_own || scan.out->back().sentence != scan.index || scan.out->back().end > pos) {
    return false;
  }
  const std::string_view text = scan.doc->text;
  size_t p = SkipSpaces(text, scan.out->back().end, pos);
  if (p < pos && text[p] == ',') return SkipSpaces(text, p + 1, pos) == pos;
  const Span joiner = NextSyllable(text, scan.out->back().end, pos);
  if (joiner.empty()) return false;
  auto m = MatchForward(t_->context, text, joiner, pos, scan.scratch);
  return m.value != nullptr && (*m.value & kListJoiner) && SkipSpaces(text, m.span.end, pos) == pos;
}

void QuantityExtractor::ScanSentence(const SentenceScan& scan) const {
  const std::string_view text = scan.doc->text;
  const size_t limit = std::min<size_t>(scan.sentence->end, text.size());
  // Read once, not through t_ at every syllable.
  const size_t max_number_word_bytes = t_->max_number_word_bytes;
  const uint8_t* number_word_ends = t_->number_word_ends.data();
  size_t pos = scan.sentence->begin;
  while (pos < limit) {
    const ScanByte kind = ScanByteAt(text, pos);
    if (kind == ScanByte::kOther) {
      ++pos;  // space or punctuation
      continue;
    }
    if (kind == ScanByte::kDigit) {
      pos = std::max<size_t>(pos + 1, ScanDigits(scan, static_cast<uint32_t>(pos)));
      continue;
    }
    size_t next = pos + 1;
    if (kind == ScanByte::kHigh && !LetterAt(text, pos, &next)) {
      pos = std::max(next, pos + 1);
      continue;
    }
    // The run goes on from the letter just read, not from it again
    // (LetterRun() would read it the same way when it ends within the
    // sentence).
    const Span s = next <= limit ? Span{static_cast<uint32_t>(pos), LetterRun(text, next, limit).end}
                                 : LetterRun(text, pos, limit);
    if (s.end < limit && ScanByteAt(text, s.end) == ScanByte::kDigit) {
      // A letter-digit token ("F0", "A4"): skip it whole.
      pos = SkipToken(text, s.end, limit);
      continue;
    }
    pos = s.end;
    // LookupNumberWord(), with its tables at hand.
    if (s.empty() || s.end - s.begin > max_number_word_bytes ||
        !number_word_ends[static_cast<unsigned char>(text[s.begin]) * 256 +
                          static_cast<unsigned char>(text[s.end - 1])]) {
      continue;
    }
    if (const NumberWord* w = FindNumberWord(text.substr(s.begin, s.end - s.begin))) {
      pos = std::max<size_t>(s.end, ScanWords(scan, s, *w));
    }
  }
}

void QuantityExtractor::Extract(const Document& doc, std::vector<Fact>* facts) const {
  const ClaimedSpans claimed(*facts);
  Scratch scratch;
  const size_t first_own = facts->size();
  for (uint32_t si = 0; si < doc.sentences.size(); ++si) {
    ScanSentence(SentenceScan{&doc, &doc.sentences[si], si, &claimed, &scratch, facts, first_own});
  }
}

// ---------------------------------------------------------------------------
// Loading the lexicons.

Expected<UnitClass> ParseUnitClass(std::string_view name) {
  if (name == "count") return UnitClass::kCount;
  if (name == "frame") return UnitClass::kFrame;
  if (name == "duration") return UnitClass::kDuration;
  if (name == "period") return UnitClass::kPeriod;
  if (name == "currency") return UnitClass::kCurrency;
  if (name == "percent") return UnitClass::kPercent;
  return Status::Error("unknown unit class '" + std::string(name) +
                       "' (count|frame|duration|period|currency|percent)");
}

template <typename V>
Status AddPhrase(PhraseTable<V>* table, const std::string& phrase, V value,
                 const LexiconTable& lexicon, const LexiconRow& row, bool cased) {
  if (phrase.find_first_of("\t\n") != std::string::npos || phrase.find("  ") != std::string::npos) {
    return Status::Error(lexicon.Where(row) + ": a phrase is words separated by single spaces");
  }
  const int words = extract::WordCount(phrase);
  std::string key;
  AppendLower(phrase, &key);
  int& head = table->heads[key.substr(0, key.find(' '))];
  head = std::max(head, words);
  int& tail = table->tails[key.substr(key.rfind(' ') + 1)];
  tail = std::max(tail, words);
  if (cased && HasUpper(phrase)) {
    table->exact[phrase] = std::move(value);
  } else {
    table->lower[key] = std::move(value);
  }
  return Status::Ok();
}

Status LoadUnits(const std::filesystem::path& dir, Tables* t) {
  auto table = LoadLexiconTable(dir / "units.tsv", {3, 3, true, true});
  if (!table.ok()) return table.status();
  for (const LexiconRow& row : table->rows) {
    auto unit_class = ParseUnitClass(row.fields[2]);
    if (!unit_class.ok()) return Status::Error(table->Where(row) + ": " + unit_class.status().message());
    if (row.fields[1].empty()) return Status::Error(table->Where(row) + ": empty unit");
    Status s = AddPhrase(&t->units, row.fields[0], UnitEntry{row.fields[1], *unit_class}, *table,
                         row, /*cased=*/false);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadNumberWords(const std::filesystem::path& dir, Tables* t) {
  auto table = LoadLexiconTable(dir / "number_words.tsv", {3, 4, true, true});
  if (!table.ok()) return table.status();
  static constexpr std::pair<std::string_view, NumberRole> kRoles[] = {
      {"digit", NumberRole::kDigit},         {"after_tens", NumberRole::kAfterTens},
      {"ten", NumberRole::kTen},             {"tens", NumberRole::kTens},
      {"filler", NumberRole::kFiller},       {"scale", NumberRole::kScale},
      {"half_after", NumberRole::kHalfAfter}, {"half_before", NumberRole::kHalfBefore},
      {"vague", NumberRole::kVague},
  };
  for (const LexiconRow& row : table->rows) {
    const std::string where = table->Where(row);
    if (row.fields[0].find(' ') != std::string::npos) {
      return Status::Error(where + ": a number word is one syllable");
    }
    NumberWord w;
    auto role = std::find_if(std::begin(kRoles), std::end(kRoles),
                             [&](const auto& r) { return r.first == row.fields[2]; });
    if (role == std::end(kRoles)) {
      return Status::Error(where + ": unknown role '" + row.fields[2] + "'");
    }
    w.role = role->second;
    const std::string& value = row.fields[1];
    double number = 0;
    auto [p, ec] = std::from_chars(value.data(), value.data() + value.size(), number);
    if (ec != std::errc() || p != value.data() + value.size() || number < 0) {
      return Status::Error(where + ": value '" + value + "' is not a number");
    }
    if (w.role == NumberRole::kScale) {
      int exponent = 0;
      double m = number;
      while (m >= 10 && std::fmod(m, 10) == 0) {
        m /= 10;
        ++exponent;
      }
      if (m != 1 || exponent == 0) {
        return Status::Error(where + ": a scale must be a power of ten, got '" + value + "'");
      }
      w.value = exponent;
    } else {
      w.value = static_cast<int>(number);
      if ((w.role == NumberRole::kDigit || w.role == NumberRole::kAfterTens) &&
          (w.value < 1 || w.value > 9 || w.value != number)) {
        return Status::Error(where + ": a digit word has a value from 1 to 9");
      }
    }
    if (row.fields.size() > 3) {
      if (row.fields[3] == "no") {
        w.alone = false;
      } else if (row.fields[3] != "yes") {
        return Status::Error(where + ": alone is yes or no, got '" + row.fields[3] + "'");
      }
    }
    std::string lower, capitalized, upper;
    AppendLower(row.fields[0], &lower);
    size_t pos = 0;
    while (pos < lower.size()) {
      int32_t c = NextCodePoint(lower, &pos);
      if (c < 0) return Status::Error(where + ": invalid text");
      const char32_t up = ToUpper(static_cast<char32_t>(c));
      AppendUtf8(up, &upper);
      AppendUtf8(capitalized.empty() ? up : static_cast<char32_t>(c), &capitalized);
    }
    for (const std::string* key : {&lower, &capitalized, &upper}) {
      t->max_number_word_bytes = std::max(t->max_number_word_bytes, key->size());
      t->number_word_ends[static_cast<unsigned char>(key->front()) * 256 +
                          static_cast<unsigned char>(key->back())] = true;
      t->number_words[*key] = w;
    }
  }
  return Status::Ok();
}

Status LoadQualifierTable(const std::filesystem::path& path, PhraseTable<Qualifier>* phrases) {
  auto table = LoadLexiconTable(path, {2, 3, true, true});
  if (!table.ok()) return table.status();
  for (const LexiconRow& row : table->rows) {
    Qualifier q;
    const std::string& approx = row.fields[1];
    if (approx == "over") {
      q.approx = Approx::kOver;
    } else if (approx == "under") {
      q.approx = Approx::kUnder;
    } else if (approx == "about") {
      q.approx = Approx::kAbout;
    } else if (approx == "exact") {
      q.approx = Approx::kExact;
    } else {
      return Status::Error(table->Where(row) + ": approx is over|under|about|exact, got '" +
                           approx + "'");
    }
    if (row.fields.size() > 2 && !row.fields[2].empty()) {
      auto unit_class = ParseUnitClass(row.fields[2]);
      if (!unit_class.ok()) {
        return Status::Error(table->Where(row) + ": " + unit_class.status().message());
      }
      q.has_not_before = true;
      q.not_before = *unit_class;
    }
    Status s = AddPhrase(phrases, row.fields[0], q, *table, row, /*cased=*/false);
    if (!s.ok()) return s;
  }
  return Status::Ok();
}

Status LoadQualifiers(const std::filesystem::path& dir, Tables* t) {
  Status s = LoadQualifierTable(dir / "quantity_qualifiers.tsv", &t->qualifiers);
  if (!s.ok()) return s;
  return LoadQualifierTable(dir / "quantity_trailing_qualifiers.tsv", &t->trailing_qualifiers);
}

Status LoadContext(const std::filesystem::path& dir, Tables* t) {
  // A phrase may carry several roles, one row each; only an exact repeat of
  // phrase and role is an error.
  auto table = LoadLexiconTable(dir / "quantity_context.tsv", {2, 2, false, false});
  if (!table.ok()) return table.status();
  static constexpr std::pair<std::string_view, uint16_t> kRoles[] = {
      {"block", kBlock},           {"allow", kAllow},       {"block_word", kBlockWord},
      {"period_after", kPeriodAfter}, {"not_unit", kNotUnit}, {"base", kBase},
      {"determiner", kDeterminer}, {"base_end", kBaseEnd},     {"base_before", kBaseBefore},
      {"part_of", kPartOf},        {"list_joiner", kListJoiner},
      {"range_from", kRangeFrom},  {"range_to", kRangeTo},    {"change", kChange},
      {"clock", kClock},           {"clock_after", kClockAfter},
  };
  for (const LexiconRow& row : table->rows) {
    auto role = std::find_if(std::begin(kRoles), std::end(kRoles),
                             [&](const auto& r) { return r.first == row.fields[1]; });
    if (role == std::end(kRoles)) {
      return Status::Error(table->Where(row) + ": unknown role '" + row.fields[1] + "'");
    }
    const std::string& phrase = row.fields[0];
    auto& map = HasUpper(phrase) ? t->context.exact : t->context.lower;
    auto it = map.find(std::string_view(phrase));
    if (it != map.end() && (it->second & role->second)) {
      return Status::Error(table->Where(row) + ": duplicate entry '" + phrase + "' with role '" +
                           row.fields[1] + "'");
    }
    // Range and change phrases are compared where they stand (see
    // OpensRange), never looked up in the table.
    if (std::vector<std::string>* list = role->second == kRangeFrom ? &t->range_from
                                         : role->second == kRangeTo ? &t->range_to
                                         : role->second == kChange  ? &t->change
                                                                    : nullptr) {
      std::string lower = ToLowerUtf8(phrase);
      if (std::find(list->begin(), list->end(), lower) != list->end()) {
        return Status::Error(table->Where(row) + ": duplicate entry '" + phrase + "' with role '" +
                             row.fields[1] + "'");
      }
      list->push_back(std::move(lower));
      continue;
    }
    uint16_t roles = (it != map.end() ? it->second : 0) | role->second;
    Status s = AddPhrase(&t->context, phrase, roles, *table, row, /*cased=*/true);
    if (!s.ok()) return s;
  }
  for (const auto* map : {&t->context.lower, &t->context.exact}) {
    for (const auto& [phrase, roles] : *map) {
      if (!(roles & kBaseBefore)) continue;
      std::string head;
      AppendLower(std::string_view(phrase).substr(0, phrase.find(' ')), &head);
      auto& heads = t->base_before_heads;
      if (std::find(heads.begin(), heads.end(), head) == heads.end()) heads.push_back(head);
    }
  }
  t->range_from_ends = extract::PhrasesByLastChar(t->range_from);
  t->range_to_ends = extract::PhrasesByLastChar(t->range_to);
  t->change_ends = extract::PhrasesByLastChar(t->change);
  return Status::Ok();
}

}  // namespace

Expected<std::unique_ptr<Extractor>> CreateQuantityExtractor(const std::filesystem::path& lexicon_dir) {
  auto tables = std::make_unique<Tables>();
  for (auto* load : {&LoadUnits, &LoadNumberWords, &LoadQualifiers, &LoadContext}) {
    Status s = (*load)(lexicon_dir, tables.get());
    if (!s.ok()) return s;
  }
  return std::unique_ptr<Extractor>(std::make_unique<QuantityExtractor>(std::move(tables)));
}

}  // namespace vnfacts
