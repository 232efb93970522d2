// A hand-written scanner, one pass per sentence, never reading past the
// sentence end. At each position the character class picks a recognizer:
//
//   digit   document codes (124-QĐ/TW, 124 -QĐ/TW, 16/CT-TTg, 100/2019/NĐ-CP),
//           date ranges, dates, year ranges, percentages, numbers, then
//           alphanumerics (5G, 20h30) — whichever shape matches, tried from the
//           longest shape down;
//   letter  URLs, e-mails, dotted abbreviations (TP.HCM, PGS.TS., T.Ư),
//           hyphen chains (Covid-19, KT-XH), multi-word abbreviations (TP HCM),
//           then a plain letter run: an abbreviation if the lexicon lists it or
//           if it is all capitals and cannot be a Vietnamese syllable (UBND,
//           QR; lexicons/syllable_structure.tsv), else a syllable;
//   other   punctuation (a run of dots is one token), symbols.
// Whitespace, control and format characters separate tokens.
//
// Speed: characters below U+3000 are classified by a table built in Create();
// recognizers that may look ahead and then reject are bounded (kMaxLookahead),
// so hostile input (a megabyte of "1.1.1." or "A-A-A") stays linear.
// Everything a recognizer knows about words (abbreviations, syllable parts) is
// loaded from lexicons; the shapes of numbers, dates and codes are grammar.
#include "pipeline/tokenizer.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <array>
#include <bitset>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/roman_numeral.h"
#include "pipeline/syllable_shape.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

enum CharClass : uint8_t {
  kSpaceClass,   // whitespace, control, format: separates tokens
  kUpperClass,   // upper- or title-case letter
  kLowerClass,   // lower-case letter
  kLetterClass,  // other letters (and non-ASCII digits, which join words)
  kMarkClass,    // combining marks: stay with the character before them
  kDigitClass,   // ASCII digits only: the grammar of numbers is ASCII
  kPunctClass,
  kSymbolClass,
};

constexpr char32_t kTableSize = 0x3000;
// How far a recognizer may look ahead before giving up on a shape.
constexpr size_t kMaxLookahead = 64;
// Plausible years for year ranges (2015 - 2020); outside this a dash between
// two four-digit numbers is a numeric range (1000 - 3000 người).
constexpr int kMinYear = 1800;
constexpr int kMaxYear = 2199;

CharClass ComputeClass(UChar32 c) {
  if (c >= '0' && c <= '9') return kDigitClass;
  if (c == '|') return kPunctClass;  // caption separator in scraped pages
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER:
      return kUpperClass;
    case U_LOWERCASE_LETTER:
      return kLowerClass;
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
    case U_DECIMAL_DIGIT_NUMBER:
    case U_LETTER_NUMBER:
      return kLetterClass;
    case U_NON_SPACING_MARK:
    case U_ENCLOSING_MARK:
    case U_COMBINING_SPACING_MARK:
      return kMarkClass;
    case U_SPACE_SEPARATOR:
    case U_LINE_SEPARATOR:
    case U_PARAGRAPH_SEPARATOR:
    case U_CONTROL_CHAR:
    case U_FORMAT_CHAR:
      return kSpaceClass;
    case U_DASH_PUNCTUATION:
    case U_START_PUNCTUATION:
    case U_END_PUNCTUATION:
    case U_CONNECTOR_PUNCTUATION:
    case U_OTHER_PUNCTUATION:
    case U_INITIAL_PUNCTUATION:
    case U_FINAL_PUNCTUATION:
      return kPunctClass;
    default:
      return kSymbolClass;
  }
}

bool IsLetterClass(CharClass c) {
  return c == kUpperClass || c == kLowerClass || c == kLetterClass;
}

bool IsAsciiAlnum(char c) {
  return (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z');
}

// First, second and last byte and length, mixed into 12 bits.
size_t AbbreviationSignature(std::string_view s) {
  const auto byte = [&](size_t i) { return static_cast<size_t>(static_cast<unsigned char>(s[i])); };
  const size_t second = s.size() > 1 ? byte(1) : 0;
  return ((byte(0) * 131 + second) * 131 + byte(s.size() - 1) + s.size() * 977) & 4095;
}

bool StartsWithIgnoreAsciiCase(std::string_view s, std::string_view prefix) {
  if (s.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i) {
    if ((s[i] | 0x20) != prefix[i]) return false;
  }
  return true;
}

}  // namespace

struct Tokenizer::Impl {
  std::array<uint8_t, kTableSize> classes;
  // Abbreviation forms, exactly as written (case matters: "TP" vs "tp").
  std::vector<std::string> storage;
  std::unordered_set<std::string_view> abbreviations;
  // Forms with a space ("TP HCM"), by their first word.
  std::unordered_map<std::string_view, std::vector<std::string_view>> multiword;
  // Filter before the hash lookup: a bit per AbbreviationSignature() of the
  // single-word forms. Most runs are syllables, a quarter of them
  // capitalized, and hashing each cost more than the rest of its scan.
  std::bitset<4096> abbreviation_signatures;
  std::bitset<256> multiword_first_bytes;
  SyllableShape syllables;

  CharClass Class(int32_t c) const {
    if (c < 0) return kSymbolClass;
    if (static_cast<char32_t>(c) < kTableSize) return static_cast<CharClass>(classes[c]);
    return ComputeClass(c);
  }
  void TokenizeSentence(std::string_view text, uint32_t begin, uint32_t end,
                        std::vector<Token>* tokens) const;
};

namespace {

// Scans one sentence: text[0, end) where `end` is the sentence end; offsets
// are into the whole document text.
class Scanner {
 public:
  Scanner(const Tokenizer::Impl& impl, std::string_view text, uint32_t end,
          std::vector<Token>* tokens)
      : impl_(impl), text_(text.substr(0, end)), tokens_(tokens) {}

  void Run(uint32_t pos) {
    while (pos < text_.size()) {
      const unsigned char b = static_cast<unsigned char>(text_[pos]);
      if (b == ' ' || b == '\n') {  // the common case, before decoding
        ++pos;
        continue;
      }
      size_t next = pos;
      const int32_t c = Decode(&next);
      switch (impl_.Class(c)) {
        case kSpaceClass:
          pos = static_cast<uint32_t>(next);
          break;
        case kDigitClass:
          pos = FromDigit(pos);
          break;
        case kUpperClass:
        case kLowerClass:
        case kLetterClass:
          pos = FromLetter(pos);
          break;
        case kPunctClass:
          pos = Punctuation(pos, c, next);
          break;
        case kMarkClass:
        case kSymbolClass:
          pos = EmitTo(pos, SkipMarks(next), TokenKind::kSymbol);
          break;
      }
    }
  }

 private:
  // Vietnamese letters are two- and three-byte sequences; decoding them inline
  // (with the same validity checks as ICU's U8_NEXT) is much of the speed.
  int32_t Decode(size_t* pos) const { return DecodeNext(text_, pos); }
  // Code point and class at `pos` without moving; -1 / kSpaceClass at the end.
  int32_t Peek(size_t pos, size_t* next = nullptr) const {
    if (pos >= text_.size()) {
      if (next) *next = pos;
      return -1;
    }
    size_t p = pos;
    const int32_t c = Decode(&p);
    if (next) *next = p;
    return c;
  }
  CharClass ClassAt(size_t pos) const {
    if (pos >= text_.size()) return kSpaceClass;
    return impl_.Class(Peek(pos));
  }
  bool ByteIs(size_t pos, char c) const { return pos < text_.size() && text_[pos] == c; }
  bool DigitAt(size_t pos) const {
    return pos < text_.size() && text_[pos] >= '0' && text_[pos] <= '9';
  }
  size_t SkipDigits(size_t pos) const {
    while (DigitAt(pos)) ++pos;
    return pos;
  }
  size_t SkipMarks(size_t pos) const {
    while (pos < text_.size() && static_cast<unsigned char>(text_[pos]) >= 0x80) {
      size_t next = pos;
      if (impl_.Class(Decode(&next)) != kMarkClass) break;
      pos = next;
    }
    return pos;
  }
  // End of a run of letters (with their combining marks) starting at `pos`.
  size_t SkipLetters(size_t pos, bool* all_upper = nullptr, bool* has_lower = nullptr) const {
    bool upper = true;
    bool lower = false;
    while (pos < text_.size()) {
      // ASCII without decoding or the class table: its only letters are
      // a-z and A-Z, and most letters of a syllable are among them.
      const auto b = static_cast<unsigned char>(text_[pos]);
      if (b < 0x80) {
        if (static_cast<unsigned char>(b - 'a') < 26) {
          upper = false;
          lower = true;
        } else if (static_cast<unsigned char>(b - 'A') >= 26) {
          break;
        }
        ++pos;
        continue;
      }
      size_t next = pos;
      const CharClass cls = impl_.Class(Decode(&next));
      if (cls == kLowerClass) {
        upper = false;
        lower = true;
      } else if (cls == kLetterClass) {
        upper = false;
      } else if (cls != kUpperClass && cls != kMarkClass) {
        break;
      }
      pos = next;
    }
    if (all_upper) *all_upper = upper;
    if (has_lower) *has_lower = lower;
    return pos;
  }
  // A dash as the normalizer writes it, or as raw text has it (– —).
  size_t Dash(size_t pos) const {
    if (ByteIs(pos, '-')) return pos + 1;
    if (pos + 3 <= text_.size() && text_[pos] == '\xE2' && text_[pos + 1] == '\x80' &&
        (text_[pos + 2] == '\x93' || text_[pos + 2] == '\x94')) {
      return pos + 3;
    }
    return 0;
  }
  // A dash with at most one space on each side ("-", " - ", " -", "- ").
  size_t SpacedDash(size_t pos) const {
    if (ByteIs(pos, ' ')) ++pos;
    const size_t after = Dash(pos);
    if (after == 0) return 0;
    return ByteIs(after, ' ') ? after + 1 : after;
  }

  void Emit(size_t begin, size_t end, TokenKind kind) {
    tokens_->push_back(Token{static_cast<uint32_t>(begin), static_cast<uint32_t>(end), kind});
  }
  uint32_t EmitTo(size_t begin, size_t end, TokenKind kind) {
    Emit(begin, end, kind);
    return static_cast<uint32_t>(end);
  }

  bool IsAbbreviation(std::string_view s) const {
    // Most runs are syllables: the signature filter spares them the hash.
    return !s.empty() && impl_.abbreviation_signatures[AbbreviationSignature(s)] &&
           impl_.abbreviations.contains(s);
  }

  // ---- Punctuation ---------------------------------------------------------

  uint32_t Punctuation(size_t pos, int32_t c, size_t next) {
    if (c == '.') {  // "..." is one token, like "…"
      while (ByteIs(next, '.')) ++next;
    }
    return EmitTo(pos, SkipMarks(next), TokenKind::kPunctuation);
  }

  // ---- Numbers, dates, codes ----------------------------------------------

  // The value of a short digit run; long runs (never a day, month or year)
  // saturate instead of overflowing.
  static int Value(std::string_view digits) {
    if (digits.size() > 6) return 1000000;
    int v = 0;
    for (char c : digits) v = v * 10 + (c - '0');
    return v;
  }

  // One segment of a document code: upper-case letters, at most one lower-case
  // letter after them (QĐi, TTg), then digits (QH14); '&' may join capitals
  // (BNN&PTNT). Returns its end, or 0. `min_upper` capitals are required.
  size_t CodeSegment(size_t pos, int min_upper) const {
    int upper = 0;
    size_t p = pos;
    while (p < text_.size() && p - pos < kMaxLookahead) {
      size_t next = p;
      const CharClass cls = impl_.Class(Decode(&next));
      if (cls == kUpperClass) {
        ++upper;
        p = next;
      } else if (text_[p] == '&' && upper > 0 && ClassAt(p + 1) == kUpperClass) {
        p = next;
      } else {
        break;
      }
    }
    if (upper < min_upper) return 0;
    if (ClassAt(p) == kLowerClass) {
      size_t next = p;
      Decode(&next);
      if (IsLetterClass(ClassAt(next))) return 0;  // a word, not a code
      p = next;
    }
    p = SkipDigits(p);
    if (IsLetterClass(ClassAt(p))) return 0;
    return p;
  }
  // Segments joined by '-': returns the end and the number of segments.
  size_t CodeChain(size_t pos, int* count) const {
    *count = 0;
    size_t end = CodeSegment(pos, 1);
    if (end == 0) return 0;
    *count = 1;
    while (ByteIs(end, '-') && end - pos < kMaxLookahead) {
      const size_t next = CodeSegment(end + 1, 1);
      if (next == 0) break;
      end = next;
      ++*count;
    }
    return end;
  }

  // Party form: NUMBER-TYPE/ISSUER with the noise of real text around the
  // dash (124-QĐ/TW, 124 -QĐ/TW, 15- CT/TU, 40 - CT/TW, 11-QĐi/TW).
  size_t PartyCode(size_t digits_end) const {
    const size_t dash = SpacedDash(digits_end);
    if (dash == 0) return 0;
    const size_t type = CodeSegment(dash, 2);
    if (type == 0 || !ByteIs(type, '/')) return 0;
    int segments = 0;
    return CodeChain(type + 1, &segments);
  }

  // State form: NUMBER/TYPE-ISSUER (16/CT-TTg, 1234/QĐ-UBND) or
  // NUMBER/YEAR/TYPE-ISSUER (100/2019/NĐ-CP, 45/2019/QH14).
  size_t StateCode(size_t digits_end) const {
    if (!ByteIs(digits_end, '/')) return 0;
    size_t p = digits_end + 1;
    const size_t year_end = SkipDigits(p);
    int segments = 0;
    if (year_end - p == 4 && ByteIs(year_end, '/')) return CodeChain(year_end + 1, &segments);
    const size_t end = CodeChain(p, &segments);
    return segments >= 2 ? end : 0;
  }

  // D/M/YYYY, D/M/YY, D/M, M/YYYY; also D.M.YYYY. Returns the end or 0.
  size_t Date(size_t pos) const {
    const size_t d1 = SkipDigits(pos);
    const size_t n1 = d1 - pos;
    if (n1 < 1 || n1 > 2) return 0;
    const char sep = d1 < text_.size() ? text_[d1] : 0;
    if (sep != '/' && sep != '.') return 0;
    const size_t d2 = SkipDigits(d1 + 1);
    const size_t n2 = d2 - (d1 + 1);
    const int v1 = Value(text_.substr(pos, n1));
    const int v2 = Value(text_.substr(d1 + 1, n2));
    if (n2 == 4 && sep == '/') {  // month/year
      return v1 >= 1 && v1 <= 12 ? d2 : 0;
    }
    if (n2 < 1 || n2 > 2 || v1 < 1 || v1 > 31 || v2 < 1 || v2 > 12) return 0;
    if (ByteIs(d2, sep) && DigitAt(d2 + 1)) {
      const size_t d3 = SkipDigits(d2 + 1);
      const size_t n3 = d3 - (d2 + 1);
      if (n3 == 4 || (n3 == 2 && sep == '/')) return d3;
      return sep == '/' ? d2 : 0;
    }
    return sep == '/' ? d2 : 0;  // "19.12" is a number, "19/12" a date
  }

  // Vietnamese number: 15.295, 1.234.567,5, 86,3; also 3.5 written the
  // English way when the digits after the dot are not a group of three.
  size_t Number(size_t digits_end) const {
    size_t p = digits_end;
    bool grouped = false;
    while (ByteIs(p, '.') && SkipDigits(p + 1) - (p + 1) == 3) {
      p += 4;
      grouped = true;
    }
    if (ByteIs(p, ',') && DigitAt(p + 1)) return SkipDigits(p + 1);
    if (!grouped && ByteIs(p, '.') && DigitAt(p + 1)) return SkipDigits(p + 1);
    return p;
  }

  // YEAR-YEAR with optional spaces around the dash, both plausible years and
  // in order (2014-2023, 2015 - 2020).
  size_t YearRange(size_t pos, size_t digits_end) const {
    if (digits_end - pos != 4) return 0;
    const size_t dash = SpacedDash(digits_end);
    if (dash == 0) return 0;
    const size_t end = SkipDigits(dash);
    if (end - dash != 4) return 0;
    const int from = Value(text_.substr(pos, 4));
    const int to = Value(text_.substr(dash, 4));
    if (from < kMinYear || from > kMaxYear || to < from || to > kMaxYear) return 0;
    if (ByteIs(end, '/') || ((ByteIs(end, '.') || ByteIs(end, ',')) && DigitAt(end + 1))) {
      return 0;  // the second part is a date or a number, not a year
    }
    return end;
  }

  uint32_t FromDigit(size_t pos) {
    const size_t digits_end = SkipDigits(pos);
    if (digits_end - pos <= 6) {
      if (size_t end = PartyCode(digits_end)) return EmitTo(pos, end, TokenKind::kDocumentCode);
      if (size_t end = StateCode(digits_end)) return EmitTo(pos, end, TokenKind::kDocumentCode);
    }
    if (size_t end = Date(pos)) {
      const size_t dash = SpacedDash(end);
      if (dash != 0) {
        if (size_t second = Date(dash)) return EmitTo(pos, second, TokenKind::kDateRange);
      }
      return EmitTo(pos, end, TokenKind::kDate);
    }
    if (size_t end = YearRange(pos, digits_end)) return EmitTo(pos, end, TokenKind::kYearRange);
    if (ByteIs(digits_end, '@') || ByteIs(digits_end, '_')) {
      if (size_t end = Email(pos)) return EmitTo(pos, end, TokenKind::kEmail);
    }
    const size_t number_end = Number(digits_end);
    if (ByteIs(number_end, '%')) return EmitTo(pos, number_end + 1, TokenKind::kPercent);
    if (number_end == digits_end && IsLetterClass(ClassAt(digits_end))) {
      if (IsAsciiAlnum(text_[digits_end])) {
        if (size_t end = Email(pos)) return EmitTo(pos, end, TokenKind::kEmail);
      }
      // 5G, 20h30, 3D: digits and letters without a break.
      size_t end = digits_end;
      while (end < text_.size()) {
        const CharClass cls = ClassAt(end);
        if (cls == kDigitClass) {
          ++end;
        } else if (IsLetterClass(cls) || cls == kMarkClass) {
          Peek(end, &end);
        } else {
          break;
        }
      }
      return EmitTo(pos, end, TokenKind::kAlphanumeric);
    }
    return EmitTo(pos, number_end, TokenKind::kNumber);
  }

  // ---- Words ---------------------------------------------------------------

  // local@domain.tld, ASCII only. Returns the end or 0.
  size_t Email(size_t pos) const {
    size_t p = pos;
    while (p < text_.size() && p - pos < kMaxLookahead &&
           (IsAsciiAlnum(text_[p]) || text_[p] == '.' || text_[p] == '_' || text_[p] == '%' ||
            text_[p] == '+' || text_[p] == '-')) {
      ++p;
    }
    if (p == pos || !ByteIs(p, '@') || text_[p - 1] == '.') return 0;
    const size_t domain = p + 1;
    size_t end = 0;
    size_t label = domain;
    p = domain;
    while (p < text_.size() && p - domain < 4 * kMaxLookahead) {
      const char c = text_[p];
      if (IsAsciiAlnum(c) || c == '-') {
        ++p;
      } else if (c == '.' && p > label && p + 1 < text_.size() && IsAsciiAlnum(text_[p + 1])) {
        ++p;
        label = p;
        end = 0;
      } else {
        break;
      }
      if (label > domain && p > label) end = p;  // at least one dot seen
    }
    if (end == 0 || end - label < 2) return 0;
    for (size_t i = label; i < end; ++i) {
      if (!((text_[i] | 0x20) >= 'a' && (text_[i] | 0x20) <= 'z')) return 0;  // TLD of letters
    }
    return end;
  }

  // http(s)://... or www....: up to whitespace, without trailing punctuation
  // and without a closing bracket the URL did not open.
  size_t Url(size_t pos) const {
    const std::string_view rest = text_.substr(pos);
    if (!StartsWithIgnoreAsciiCase(rest, "http://") && !StartsWithIgnoreAsciiCase(rest, "https://") &&
        !StartsWithIgnoreAsciiCase(rest, "www.")) {
      return 0;
    }
    size_t p = pos;
    int open = 0;
    while (p < text_.size()) {
      size_t next = p;
      const int32_t c = Decode(&next);
      const CharClass cls = impl_.Class(c);
      if (cls == kSpaceClass || c == '"' || c == '<' || c == '>' || c == 0x201C || c == 0x201D) {
        break;
      }
      if (c == '(') ++open;
      if (c == ')') {
        if (open == 0) break;
        --open;
      }
      p = next;
    }
    while (p > pos && (text_[p - 1] == '.' || text_[p - 1] == ',' || text_[p - 1] == ';' ||
                       text_[p - 1] == ':' || text_[p - 1] == '!' || text_[p - 1] == '?' ||
                       text_[p - 1] == '\'')) {
      --p;
    }
    const size_t min_length = text_[pos] == 'w' || text_[pos] == 'W' ? 5 : 9;
    return p - pos >= min_length ? p : 0;
  }

  // How a lone letter run (no dots or hyphens around it) is classified.
  TokenKind RunKind(size_t begin, size_t end, bool all_upper) const {
    const std::string_view run = text_.substr(begin, end - begin);
    if (IsAbbreviation(run)) return TokenKind::kAbbreviation;
    if (all_upper) {
      size_t letters = 0;
      for (size_t p = 0; p < run.size() && letters < 2; ++letters) NextCodePoint(run, &p);
      // Roman numerals (XI, XIV) are kept apart from syllables even when they
      // happen to spell one, so that "khóa XI" and "khóa XIV" look alike.
      if (letters >= 2 && (ParseRomanNumeral(run).has_value() || !impl_.syllables.IsSyllable(run))) {
        return TokenKind::kAbbreviation;
      }
    }
    return TokenKind::kSyllable;
  }

  // TP.HCM, T.Ư, PGS.TS, PGS.TS., TP., v.v.: letter runs joined by single dots.
  // The longest prefix chain the lexicon lists (with or without a final dot)
  // wins; failing that, a chain of two or more all-capital parts.
  size_t DottedAbbreviation(size_t pos, size_t first_end) const {
    std::array<size_t, 6> ends;
    std::array<bool, 6> upper;
    size_t n = 0;
    size_t p = first_end;
    bool all_upper = true;
    SkipLetters(pos, &all_upper);
    ends[n] = first_end;
    upper[n++] = all_upper;
    while (n < ends.size() && ByteIs(p, '.') && IsLetterClass(ClassAt(p + 1)) &&
           p - pos < kMaxLookahead) {
      bool part_upper = true;
      p = SkipLetters(p + 1, &part_upper);
      ends[n] = p;
      upper[n++] = part_upper;
    }
    for (size_t k = n; k >= 1; --k) {
      const size_t e = ends[k - 1];
      if (ByteIs(e, '.') && IsAbbreviation(text_.substr(pos, e + 1 - pos))) return e + 1;
      if (k >= 2 && IsAbbreviation(text_.substr(pos, e - pos))) return e;
    }
    size_t k = 0;
    while (k < n && upper[k]) ++k;
    if (k >= 2) return ends[k - 1];
    return 0;
  }

  // Letter/digit parts joined by '-': Covid-19, F0-F1 (alphanumeric), KT-XH,
  // QĐ-UBND (abbreviations). Returns 0 when the chain is neither.
  size_t HyphenChain(size_t pos, TokenKind* kind) const {
    size_t p = pos;
    size_t parts = 0;
    bool digits = false;
    bool letters = false;
    bool all_abbreviations = true;
    size_t end = 0;
    while (p < text_.size() && p - pos < kMaxLookahead && parts < 8) {
      const size_t part_begin = p;
      bool part_digits = false;
      bool part_letters = false;
      bool part_upper = true;
      while (p < text_.size()) {
        const CharClass cls = ClassAt(p);
        if (cls == kDigitClass) {
          part_digits = true;
          ++p;
        } else if (IsLetterClass(cls)) {
          bool upper = true;
          p = SkipLetters(p, &upper);
          part_upper = part_upper && upper;
          part_letters = true;
        } else {
          break;
        }
      }
      if (p == part_begin) break;
      ++parts;
      end = p;
      digits = digits || part_digits;
      letters = letters || part_letters;
      if (part_digits || RunKind(part_begin, p, part_upper) != TokenKind::kAbbreviation) {
        all_abbreviations = false;
      }
      if (!ByteIs(p, '-') || !(IsLetterClass(ClassAt(p + 1)) || DigitAt(p + 1))) break;
      ++p;
    }
    if (parts < 2) return 0;
    if (IsAbbreviation(text_.substr(pos, end - pos)) || all_abbreviations) {
      *kind = TokenKind::kAbbreviation;
      return end;
    }
    if (digits && letters) {
      *kind = TokenKind::kAlphanumeric;
      return end;
    }
    return 0;
  }

  // Lexicon forms with a space (TP HCM), by their first word.
  size_t MultiwordAbbreviation(size_t pos, size_t first_end) const {
    if (!impl_.multiword_first_bytes[static_cast<unsigned char>(text_[pos])]) return 0;
    auto it = impl_.multiword.find(text_.substr(pos, first_end - pos));
    if (it == impl_.multiword.end()) return 0;
    size_t best = 0;
    for (std::string_view form : it->second) {
      if (text_.substr(pos, form.size()) != form) continue;
      const size_t end = pos + form.size();
      const CharClass after = ClassAt(end);
      if (IsLetterClass(after) || after == kDigitClass || after == kMarkClass) continue;
      best = std::max(best, end);
    }
    return best;
  }

  uint32_t FromLetter(size_t pos) {
    const char first = text_[pos];
    if (first == 'h' || first == 'H' || first == 'w' || first == 'W') {
      if (size_t end = Url(pos)) return EmitTo(pos, end, TokenKind::kUrl);
    }
    bool all_upper = true;
    const size_t run_end = SkipLetters(pos, &all_upper);
    if (run_end < text_.size()) {
      const char next = text_[run_end];
      if ((next == '@' || next == '.' || next == '_' || next == '-' || next == '+' ||
           (next >= '0' && next <= '9')) &&
          IsAsciiAlnum(first)) {
        if (size_t end = Email(pos)) return EmitTo(pos, end, TokenKind::kEmail);
      }
      if (next == '.') {
        if (size_t end = DottedAbbreviation(pos, run_end)) {
          return EmitTo(pos, end, TokenKind::kAbbreviation);
        }
      } else if (next == '-' || (next >= '0' && next <= '9')) {
        TokenKind kind;
        if (size_t end = HyphenChain(pos, &kind)) return EmitTo(pos, end, kind);
        if (next != '-') {  // F0, H5N1, QH14: letters and digits in one part
          size_t end = run_end;
          while (end < text_.size() && (DigitAt(end) || IsLetterClass(ClassAt(end)) ||
                                        ClassAt(end) == kMarkClass)) {
            Peek(end, &end);
          }
          return EmitTo(pos, end, TokenKind::kAlphanumeric);
        }
      } else if (next == ' ') {
        if (size_t end = MultiwordAbbreviation(pos, run_end)) {
          return EmitTo(pos, end, TokenKind::kAbbreviation);
        }
      }
    }
    return EmitTo(pos, run_end, RunKind(pos, run_end, all_upper));
  }

  const Tokenizer::Impl& impl_;
  const std::string_view text_;
  std::vector<Token>* tokens_;
};

}  // namespace

void Tokenizer::Impl::TokenizeSentence(std::string_view text, uint32_t begin, uint32_t end,
                                       std::vector<Token>* tokens) const {
  Scanner(*this, text, end, tokens).Run(begin);
}

Tokenizer::Tokenizer(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

Expected<Tokenizer> Tokenizer::Create(const std::filesystem::path& lexicon_dir) {
  auto impl = std::make_unique<Impl>();
  for (char32_t c = 0; c < kTableSize; ++c) {
    impl->classes[c] = ComputeClass(static_cast<UChar32>(c));
  }

  LexiconSpec spec;
  spec.min_fields = 1;
  spec.max_fields = 2;
  auto table = LoadLexiconTable(lexicon_dir / "abbreviations.tsv", spec);
  if (!table.ok()) return table.status();
  impl->storage.reserve(table->rows.size());
  for (const LexiconRow& row : table->rows) impl->storage.push_back(row.fields[0]);
  for (const std::string& form : impl->storage) {  // storage no longer grows
    const size_t space = form.find(' ');
    if (space != std::string::npos) {
      impl->multiword[std::string_view(form).substr(0, space)].push_back(form);
      impl->multiword_first_bytes.set(static_cast<unsigned char>(form[0]));
    } else {
      impl->abbreviations.insert(form);
      impl->abbreviation_signatures.set(AbbreviationSignature(form));
    }
  }

  Status status = impl->syllables.Load(lexicon_dir / "syllable_structure.tsv");
  if (!status.ok()) return status;
  return Tokenizer(std::move(impl));
}

void Tokenizer::Tokenize(Document* doc) const {
  doc->tokens.clear();
  doc->tokens.reserve(doc->text.size() / 4);
  const std::string_view text = doc->text;
  for (Sentence& s : doc->sentences) {
    s.first_token = static_cast<uint32_t>(doc->tokens.size());
    TokenizeSentence(text, s, &doc->tokens);
    s.end_token = static_cast<uint32_t>(doc->tokens.size());
  }
}

void Tokenizer::TokenizeSentence(std::string_view text, const Sentence& sentence,
                                 std::vector<Token>* tokens) const {
  const uint32_t end = std::min<uint32_t>(sentence.end, static_cast<uint32_t>(text.size()));
  if (sentence.begin < end) impl_->TokenizeSentence(text, sentence.begin, end, tokens);
}

}  // namespace vnfacts
