// The normalizer runs one forward pass over the raw bytes. Each NFC segment
// (a starter and the code points that may combine with it) becomes one unit
// with its raw length, so the OffsetMap is kept per character. Units that are
// letters are held back until the letter run ends, because tone placement and
// glued-heading splits need the whole run; spaces are held back until the next
// character shows whether they collapse, vanish at a line end, or stay.
// Everything the pass consults is compiled into Tables at Create(): one 32-bit
// entry per BMP code point (NFC boundary, class after folding, Vietnamese
// letter id and tone), so plain text costs a table lookup per character.
// Outside a word, text whose code points stay as they are and words no rule
// changes (nearly all real text) skip the units: TakePlainText() writes them
// as the unit path would, and hands everything else to it. The unit path
// alone stays available (NormalizeUnitByUnit) as the reference the tests and
// the fuzz target compare the shortcut with.
#include "pipeline/normalizer.h"

#include <unicode/bytestream.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/uniset.h>
#include <unicode/unistr.h>
#include <unicode/utf8.h>

#include <array>
#include <cstdio>
#include <limits>
#include <unordered_map>
#include <unordered_set>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

// Bits of a code point's entry in Tables::info. The letter id and tone fill
// the low byte: the plain-word loop keys a word by them a byte a letter.
constexpr int kLetterShift = 0;  // 5 bits: letter id in the syllable tables
constexpr int kToneShift = 5;    // 3 bits: tone (0 = none)
constexpr int kClassShift = 8;   // 3 bits: CharClass after folding
constexpr uint32_t kBoundary = 1u << 11;  // NFC has a boundary before it
constexpr uint32_t kNfcAlone = 1u << 12;  // the code point alone is NFC
constexpr uint32_t kFolded = 1u << 13;    // has a row in characters.tsv
constexpr uint32_t kUpper = 1u << 14;
constexpr uint32_t kLower = 1u << 15;
// NFC boundary, NFC alone, not folded, not a carriage return: the code point
// stays as it is when the next one starts a segment. One bit, because the
// main loop asks for each code point.
constexpr uint32_t kSimple = 1u << 16;
// A vowel of tone_placement.tsv (any case, any tone). The top bit: the
// plain-word loop counts vowels with a shift.
constexpr int kVowelShift = 31;
constexpr uint32_t kVowel = 1u << kVowelShift;

enum CharClass : uint32_t {
  kOther = 0,  // digits, punctuation, symbols: emitted as they are
  kLetter,     // letters and combining marks: part of a letter run
  kSpace,
  kNewline,
  kCarriageReturn,
  kDelete,  // folded to nothing
};

constexpr CharClass ClassOf(uint32_t info) {
  return static_cast<CharClass>((info >> kClassShift) & 7);
}
constexpr uint32_t LetterIdOf(uint32_t info) { return (info >> kLetterShift) & 31; }
constexpr uint32_t ToneOf(uint32_t info) { return (info >> kToneShift) & 7; }

constexpr int kMaxLetters = 31;      // letter ids are 5 bits, 0 = none
constexpr int kMaxTones = 7;         // tone ids are 3 bits, 0 = none
constexpr size_t kMaxSyllable = 7;   // "nghiêng"
constexpr size_t kMaxCluster = 3;    // longest onset, nucleus or coda
constexpr size_t kClusterKeys = 1u << 15;
constexpr size_t kMaxWordUnits = 64;  // longer letter runs are passed through
constexpr size_t kMaxAbbreviationLookback = 32;

// Parses "U+00A0" (4 to 6 hex digits).
bool ParseCodePoint(std::string_view s, char32_t* out) {
  if (s.size() < 6 || s.size() > 8 || s[0] != 'U' || s[1] != '+') return false;
  uint32_t value = 0;
  for (char ch : s.substr(2)) {
    int digit;
    if (ch >= '0' && ch <= '9') {
      digit = ch - '0';
    } else if (ch >= 'A' && ch <= 'F') {
      digit = ch - 'A' + 10;
    } else if (ch >= 'a' && ch <= 'f') {
      digit = ch - 'a' + 10;
    } else {
      return false;
    }
    value = value * 16 + static_cast<uint32_t>(digit);
  }
  if (value > 0x10FFFF || (value >= 0xD800 && value <= 0xDFFF)) return false;
  *out = value;
  return true;
}

// Code points of a string; invalid bytes are skipped.
std::vector<char32_t> CodePoints(std::string_view s) {
  std::vector<char32_t> out;
  size_t pos = 0;
  while (pos < s.size()) {
    const int32_t c = NextCodePoint(s, &pos);
    if (c >= 0) out.push_back(static_cast<char32_t>(c));
  }
  return out;
}

// A replacement field of characters.tsv: empty, "U+XXXX U+YYYY", or literal.
bool ParseReplacement(std::string_view field, std::string* out) {
  out->clear();
  if (field.size() >= 2 && field[0] == 'U' && field[1] == '+') {
    size_t pos = 0;
    while (pos < field.size()) {
      size_t space = field.find(' ', pos);
      if (space == std::string_view::npos) space = field.size();
      char32_t c;
      if (!ParseCodePoint(field.substr(pos, space - pos), &c)) return false;
      AppendUtf8(c, out);
      pos = field.find_first_not_of(' ', space);
      if (pos == std::string_view::npos) break;
    }
    return true;
  }
  out->assign(field);
  return true;
}

// DecodeNext() (utf8.h) over pointers, for the plain-text loops: decodes
// the code point at *p (before `end`) and advances *p past it.
[[gnu::always_inline]] inline UChar32 DecodeAt(const uint8_t** p, const uint8_t* end) {
  size_t at = 0;
  const UChar32 c = vnfacts::DecodeNext(
      std::string_view(reinterpret_cast<const char*>(*p), static_cast<size_t>(end - *p)), &at);
  *p += at;
  return c;
}

// DecodeNext() (utf8.h) over the normalizer's int32 positions.
inline UChar32 DecodeNext(const uint8_t* s, int32_t* i, int32_t n) {
  size_t at = static_cast<size_t>(*i);
  const UChar32 c =
      vnfacts::DecodeNext(std::string_view(reinterpret_cast<const char*>(s), n), &at);
  *i = static_cast<int32_t>(at);
  return c;
}

}  // namespace

struct Normalizer::Tables {
  const icu::Normalizer2* nfc = nullptr;
  std::vector<uint32_t> info;  // one entry per BMP code point

  // characters.tsv
  std::unordered_map<char32_t, uint32_t> fold_index;
  std::vector<std::string> fold_targets;
  std::vector<uint32_t> fold_info;      // entry of the target (class, letter data)
  std::vector<char32_t> fold_single;    // the target when it is one code point, else 0

  // tone_placement.tsv. Letter ids number the letters of the rows; a cluster
  // key packs up to three letter ids, 5 bits each.
  std::unordered_map<char32_t, uint32_t> letter_forms;  // cp -> letter id, tone, kVowel
  std::array<bool, kMaxLetters + 1> is_vowel{};
  std::vector<std::array<char32_t, 2>> composed;  // [id * 8 + tone] -> {lower, upper}
  std::vector<uint8_t> onsets, codas;  // 1 for a spelling in the table
  std::vector<uint8_t> nucleus_open, nucleus_closed;  // tone position, 0 = invalid
  // The decomposed (NFD) bytes of every letter above, packed by PackBytes,
  // to its composed code point: decomposed Vietnamese text is common enough
  // to spare ICU for it. Other segments still go through ICU.
  std::unordered_map<uint64_t, char32_t> decomposed_letters;

  // abbreviations.tsv (dotted forms) and mixed_case_words.tsv
  std::unordered_set<std::string> dotted_abbreviations;
  std::unordered_set<std::string> mixed_case_words;

  uint32_t Info(char32_t c) const { return c < 0x10000 ? info[c] : ComputeInfo(c); }

  // The entry of one code point: the definition CompileInfo() computes for
  // the whole BMP at once. Cold: the text loops call it only past the BMP.
  [[gnu::cold]] uint32_t ComputeInfo(char32_t c) const {
    const UChar32 uc = static_cast<UChar32>(c);
    uint32_t bits = 0;
    if (nfc->hasBoundaryBefore(uc)) bits |= kBoundary;
    if (u_getIntPropertyValue(uc, UCHAR_NFC_QUICK_CHECK) != UNORM_NO) bits |= kNfcAlone;
    if (auto it = fold_index.find(c); it != fold_index.end()) {
      return bits | kFolded | fold_info[it->second];
    }
    bits |= LetterBits(c);
    if ((bits & (kBoundary | kNfcAlone)) == (kBoundary | kNfcAlone) &&
        ClassOf(bits) != kCarriageReturn) {
      bits |= kSimple;
    }
    return bits;
  }

  // Class, case and syllable data of a code point, ignoring folding.
  uint32_t LetterBits(char32_t c) const {
    uint32_t bits = CategoryBits(c, u_charType(static_cast<UChar32>(c)));
    if (ClassOf(bits) == kLetter) {
      if (auto it = letter_forms.find(c); it != letter_forms.end()) bits |= it->second;
    }
    return bits;
  }

  // Class and case of a code point from its general category: letters and
  // marks are letters, Lu upper and Ll lower case, as ICU's u_isalpha,
  // u_isupper and u_islower read it.
  static uint32_t CategoryBits(char32_t c, int8_t category) {
    CharClass cls = kOther;
    if (c == ' ') {
      cls = kSpace;
    } else if (c == '\n') {
      cls = kNewline;
    } else if (c == '\r') {
      cls = kCarriageReturn;
    } else if ((U_MASK(category) & (U_GC_L_MASK | U_GC_M_MASK)) != 0) {
      cls = kLetter;
    }
    uint32_t bits = static_cast<uint32_t>(cls) << kClassShift;
    if (cls == kLetter) {
      if (category == U_UPPERCASE_LETTER) bits |= kUpper;
      if (category == U_LOWERCASE_LETTER) bits |= kLower;
    }
    return bits;
  }

  // Fills `info` with ComputeInfo() of every BMP code point (kBoundary alone
  // for surrogates), property by property instead of code point by code
  // point: NFC quick check "no" as ICU's ranges, folding and letters from
  // their tables. Computing each entry on its own cost some 20 M
  // instructions of each Create().
  Status CompileInfo() {
    UErrorCode status = U_ZERO_ERROR;
    icu::UnicodeSet changed_by_nfc;  // NFC_Quick_Check=No
    changed_by_nfc.applyIntPropertyValue(UCHAR_NFC_QUICK_CHECK, UNORM_NO, status);
    if (U_FAILURE(status)) {
      return Status::Error(std::string("ICU NFC quick check: ") + u_errorName(status));
    }
    info.assign(0x10000, 0);
    for (char32_t c = 0; c < 0x10000; ++c) {
      if (IsSurrogate(c)) continue;
      const auto uc = static_cast<UChar32>(c);
      info[c] = CategoryBits(c, u_charType(uc)) | kNfcAlone |
                (nfc->hasBoundaryBefore(uc) ? kBoundary : 0);
    }
    for (int32_t r = 0; r < changed_by_nfc.getRangeCount(); ++r) {
      const auto first = static_cast<char32_t>(changed_by_nfc.getRangeStart(r));
      const auto last = static_cast<char32_t>(changed_by_nfc.getRangeEnd(r));
      for (char32_t c = first; c <= last && c < 0x10000; ++c) info[c] &= ~kNfcAlone;
    }
    for (const auto& [c, index] : fold_index) {
      if (c >= 0x10000 || IsSurrogate(c)) continue;
      info[c] = (info[c] & (kBoundary | kNfcAlone)) | kFolded | fold_info[index];
    }
    for (const auto& [c, bits] : letter_forms) {
      if (c >= 0x10000 || (info[c] & kFolded) || ClassOf(info[c]) != kLetter) continue;
      info[c] |= bits;
    }
    for (char32_t c = 0; c < 0x10000; ++c) {
      if (IsSurrogate(c)) {
        info[c] = kBoundary;
      } else if (!(info[c] & kFolded) &&
                 (info[c] & (kBoundary | kNfcAlone)) == (kBoundary | kNfcAlone) &&
                 ClassOf(info[c]) != kCarriageReturn) {
        info[c] |= kSimple;
      }
    }
    return Status::Ok();
  }

  static bool IsSurrogate(char32_t c) { return c >= 0xD800 && c <= 0xDFFF; }

  // Up to 7 bytes and their count in one integer.
  static uint64_t PackBytes(std::string_view bytes) {
    uint64_t key = bytes.size();
    for (size_t i = 0; i < bytes.size(); ++i) {
      key |= static_cast<uint64_t>(static_cast<uint8_t>(bytes[i])) << (8 * (i + 1));
    }
    return key;
  }
  static constexpr size_t kMaxPackedBytes = 7;

  static uint32_t Key(const uint8_t* ids, size_t n) {
    uint32_t key = 0;
    for (size_t i = 0; i < n; ++i) key = key * 32 + ids[i];
    return key;
  }
};

namespace {

using Tables = Normalizer::Tables;

struct SyllableParse {
  size_t onset_end = 0;    // letters [0, onset_end) are the onset
  size_t nucleus_end = 0;  // [onset_end, nucleus_end) the nucleus, the rest the coda
  size_t tone_position = 0;  // index of the letter that should carry the tone
};

// Up to kMaxSyllable letters of the syllable tables, packed so that the key
// of any cluster (Tables::Key) is a shift and a mask, and the vowels found by
// bit scans instead of loops: a tone check runs for most words of the text.
struct SyllableLetters {
  uint64_t ids = 0;     // 5 bits a letter, the first letter highest
  uint32_t vowels = 0;  // bit i: letter i is a vowel
  uint32_t toned = 0;   // bit i: letter i carries a tone mark
  size_t n = 0;

  // Tables::Key of letters [begin, end).
  uint32_t Key(size_t begin, size_t end) const {
    return static_cast<uint32_t>((ids >> (5 * (n - end))) & ((1u << (5 * (end - begin))) - 1));
  }
};

// The letter id and tone of a letter: the low byte of its Tables::info
// entry. A word's letters are handled as these bytes packed in a uint64_t,
// the last letter lowest.
static_assert(kLetterShift == 0 && kToneShift == 5 && kMaxSyllable < 8);
constexpr uint64_t LetterByte(uint32_t info) { return info & 0xFF; }

// Unpacks `n` letter bytes; false when there are none, too many, or one is
// not a letter of the syllable tables.
bool GatherLetters(const Tables& t, uint64_t bytes, size_t n, SyllableLetters* out) {
  if (n == 0 || n > kMaxSyllable) return false;
  uint64_t ids = 0;
  uint32_t vowels = 0, toned = 0;
  for (size_t i = 0; i < n; ++i) {
    const auto byte = static_cast<uint32_t>(bytes >> (8 * (n - 1 - i))) & 0xFF;
    const uint32_t id = LetterIdOf(byte);
    if (id == 0) return false;
    ids = (ids << 5) | id;
    vowels |= static_cast<uint32_t>(t.is_vowel[id]) << i;
    toned |= static_cast<uint32_t>(ToneOf(byte) != 0) << i;
  }
  out->ids = ids;
  out->vowels = vowels;
  out->toned = toned;
  out->n = n;
  return true;
}

// Parses letters as one Vietnamese syllable.
bool ParseSyllable(const Tables& t, const SyllableLetters& letters, SyllableParse* out) {
  const size_t n = letters.n;
  const uint32_t vowels = letters.vowels;
  if (vowels == 0) return false;
  const size_t first_vowel = static_cast<size_t>(__builtin_ctz(vowels));
  if (first_vowel > kMaxCluster) return false;
  // An onset spelled with a vowel letter (qu, gi) needs a vowel after it.
  size_t onset_end;
  if (first_vowel < kMaxCluster && first_vowel + 1 < n && ((vowels >> (first_vowel + 1)) & 1) &&
      t.onsets[letters.Key(0, first_vowel + 1)]) {
    onset_end = first_vowel + 1;
  } else if (first_vowel == 0 || t.onsets[letters.Key(0, first_vowel)]) {
    onset_end = first_vowel;
  } else {
    return false;
  }
  // The run of vowels from onset_end (bits past the last letter are 0).
  const size_t nucleus_end =
      onset_end + static_cast<size_t>(__builtin_ctz(~(vowels >> onset_end)));
  const size_t nucleus_length = nucleus_end - onset_end;
  const size_t coda_length = n - nucleus_end;
  if (nucleus_length == 0 || nucleus_length > kMaxCluster || coda_length > kMaxCluster) {
    return false;
  }
  if ((vowels >> nucleus_end) != 0) return false;  // a vowel in the coda
  if (coda_length > 0 && !t.codas[letters.Key(nucleus_end, n)]) return false;
  const uint32_t key = letters.Key(onset_end, nucleus_end);
  const uint8_t position = coda_length > 0 ? t.nucleus_closed[key] : t.nucleus_open[key];
  if (position == 0) return false;
  out->onset_end = onset_end;
  out->nucleus_end = nucleus_end;
  out->tone_position = onset_end + position - 1;
  return true;
}

// Where the tone mark of `n` letters (their packed LetterByte()s) belongs,
// when they parse as one syllable with one tone mark in the nucleus that is
// not there yet: sets *from and *to and returns true. Returns false when
// nothing moves.
bool FindToneMove(const Tables& t, uint64_t bytes, size_t n, size_t* from, size_t* to) {
  SyllableLetters letters;
  if (!GatherLetters(t, bytes, n, &letters)) return false;
  SyllableParse parse;
  if (!ParseSyllable(t, letters, &parse)) return false;
  const uint32_t nucleus_toned = letters.toned & ((1u << parse.nucleus_end) - 1);
  // No tone mark, or two: not a syllable we know.
  if (nucleus_toned == 0 || (nucleus_toned & (nucleus_toned - 1)) != 0) return false;
  const auto toned = static_cast<size_t>(__builtin_ctz(nucleus_toned));
  if (toned == parse.tone_position) return false;
  *from = toned;
  *to = parse.tone_position;
  return true;
}

// One normalization of one text. Holds the state of the forward pass; the
// Tables it reads are shared and immutable.
class Pass {
 public:
  // With `plain_text`, text that provably stays as it is skips the unit
  // machinery (TakePlainText); without, every character goes unit by unit,
  // the reference the tests compare the shortcut with.
  Pass(const Tables& tables, std::string_view raw, std::string* out, OffsetMap* map,
       bool plain_text)
      : t_(tables),
        info_(tables.info.data()),
        raw_(raw),
        out_(out),
        map_(map),
        plain_text_(plain_text) {}

  // Normalizes the whole text. With `strict`, stops at the first invalid
  // UTF-8 sequence and returns its byte offset; otherwise invalid bytes are
  // dropped. Returns -1 when the text was valid.
  int64_t Run(bool strict) {
    const auto* s = reinterpret_cast<const uint8_t*>(raw_.data());
    const int32_t n = static_cast<int32_t>(raw_.size());
    if (n == 0) return -1;
    // Each code point is decoded and looked up once: the lookahead that
    // decides where an NFC segment ends becomes the next code point.
    int32_t pos = 0;
    int32_t end = 0;
    UChar32 c = DecodeNext(s, &end, n);
    uint32_t info = c < 0 ? kBoundary : Info(c);
    // The looked-ahead code point, its end and its entry.
    int32_t next_end = end;
    UChar32 next = -1;
    uint32_t next_info = kBoundary;
    // Makes the looked-ahead code point part of the current unit and looks
    // at the one after it. Defined once, outside the loop: a closure built
    // per code point cost seven instructions each time.
    auto take_next = [&] {
      end = next_end;
      next = -1;
      next_info = kBoundary;
      if (end < n) {
        next = DecodeNext(s, &next_end, n);
        if (next >= 0) next_info = Info(next);
      }
    };
    while (true) {
      if (plain_text_ && !in_word_) {
        const int32_t stop = TakePlainText(s, pos, n);
        if (stop != pos) {
          pos = stop;
          if (pos >= n) break;
          end = pos;
          c = DecodeNext(s, &end, n);
          info = c < 0 ? kBoundary : Info(c);
        }
      }
      next_end = end;
      next = -1;
      next_info = kBoundary;
      if (end < n) {
        next = DecodeNext(s, &next_end, n);
        if (next >= 0) next_info = Info(next);
      }
      if (c < 0) {
        if (strict) return pos;
        Unit u{static_cast<uint32_t>(end - pos), static_cast<uint32_t>(kDelete) << kClassShift,
               0, 0, 0, false};
        Dispatch(u);
      } else if ((next_info & kBoundary) && (info & kSimple)) {
        // The common case: one code point that stays as it is.
        const auto len = static_cast<uint32_t>(end - pos);
        switch (ClassOf(info)) {
          case kLetter:
            if (!in_word_) {
              ResolveSpace();
              StartWord();
            }
            PushLetter(Unit{len, info, static_cast<char32_t>(c), 0, 0, true});
            break;
          case kSpace:
            FlushWord();
            space_plain_ = space_len_ == 0 && len == 1;
            space_len_ += len;
            break;
          case kNewline:
            FlushWord();
            DropSpace();
            Copy(len);
            break;
          default:
            FlushWord();
            ResolveSpace();
            Copy(len);
            break;
        }
      } else {
        // A segment of several code points, or one that NFC, folding or the
        // line-break rule changes.
        bool single = true;
        while ((next_info & kBoundary) == 0) {
          take_next();
          single = false;
        }
        Unit u{static_cast<uint32_t>(end - pos), info, static_cast<char32_t>(c), 0, 0, true};
        if (single && (info & (kBoundary | kNfcAlone)) == (kBoundary | kNfcAlone)) {
          if (info & kFolded) Fold(&u);
          if (ClassOf(u.info) == kCarriageReturn) {
            // CR LF and a lone CR are one line break.
            int32_t line_feed = -1;
            if (next == '\n') {
              line_feed = end;
              take_next();
            }
            if (line_feed >= 0 && (next_info & kBoundary) == 0) {
              // Marks after the LF compose with it, as they do when a second
              // pass reads the "\n" this writes: one NFC segment, a line break.
              while ((next_info & kBoundary) == 0) take_next();
              NormalizeSegment(line_feed, end, &u);
              u.raw_len = static_cast<uint32_t>(end - line_feed);
              const std::string text(UnitText(u, line_feed));
              u.raw_len = static_cast<uint32_t>(end - pos);
              u.info = static_cast<uint32_t>(kNewline) << kClassShift;
              SetOutput(&u, text);
            } else {
              u.raw_len = static_cast<uint32_t>(end - pos);
              u.info = static_cast<uint32_t>(kNewline) << kClassShift;
              SetOutput(&u, "\n");
            }
          }
        } else if (!ComposeLetter(pos, end, &u)) {
          NormalizeSegment(pos, end, &u);
        }
        Dispatch(u);
      }
      pos = end;
      if (pos >= n) break;
      c = next;
      end = next_end;
      info = next_info;
    }
    FlushWord();
    DropSpace();
    FlushCopy();
    return -1;
  }

 private:
  // Outside a word, takes the text from raw byte `pos` on for as long as it
  // is code points that stay as they are (kSimple, and the next one starts a
  // segment) and words TakePlainWord() takes, doing what the unit path would
  // do with them. That is almost all of real text. Returns where it stopped:
  // the unit path goes on from there.
  int32_t TakePlainText(const uint8_t* s, int32_t pos, int32_t n) {
    const uint8_t* const end = s + n;
    const uint8_t* p = s + pos;
    while (p < end) {
      const uint8_t* next = p;
      uint32_t info = NextInfo(&next, end);
      if (!(info & kSimple)) break;
      if (ClassOf(info) == kLetter) {
        const PlainWord word = TakePlainWord(p, next, info, end);
        if (word.end == nullptr) break;
        if (word.end == end) return n;
        // The character after the word, checked by TakePlainWord().
        p = word.end;
        next = word.after_end;
        info = word.after_info;
      } else if (!StartsSegment(next, end)) {
        break;
      }
      const auto len = static_cast<uint32_t>(next - p);
      switch (ClassOf(info)) {
        case kSpace:
          space_plain_ = space_len_ == 0 && len == 1;
          space_len_ += len;
          break;
        case kNewline:
          DropSpace();
          Copy(len);
          break;
        default:
          ResolveSpace();
          Copy(len);
          break;
      }
      p = next;
    }
    return static_cast<int32_t>(p - s);
  }

  // The info entry of the code point at *p, advancing *p past it; 0 for an
  // invalid sequence, which lacks kSimple: the plain-text loops leave an
  // invalid sequence to the unit path as they leave any other code point
  // that may change (dropped or rejected there, or joined to the word).
  [[gnu::always_inline]] uint32_t NextInfo(const uint8_t** p, const uint8_t* end) const {
    const uint8_t b = **p;
    if (b < 0x80) {
      ++*p;
      return info_[b];
    }
    const UChar32 c = DecodeAt(p, end);
    if (c < 0) return 0;
    return Info(c);
  }

  // Whether the code point at `p` (if any) starts an NFC segment, so the one
  // before it is a segment of its own.
  bool StartsSegment(const uint8_t* p, const uint8_t* end) const {
    if (p >= end || *p < 0x80) return true;  // ASCII always does
    const UChar32 c = DecodeAt(&p, end);
    return c < 0 || (Info(c) & kBoundary);
  }

  struct PlainWord {
    const uint8_t* end = nullptr;  // nullptr: not taken
    // When end is not the end of the text: the character there, a kSimple
    // non-letter that is a segment of its own.
    const uint8_t* after_end = nullptr;
    uint32_t after_info = 0;
  };

  // Takes the letter run that starts at `begin` (its first letter ends at
  // `next` and has entry `info`, kSimple) in one go when every character of
  // it is an NFC starter that stays as it is (kSimple), it ends at such a
  // character that is not a letter and a segment of its own (or at the end),
  // and the word's rules change nothing in it: no tone mark to move, no
  // capital after the first letter of a word with lower-case letters (a
  // possible glued-heading split), at most kMaxWordUnits letters. It is then written as FlushWord() would,
  // without building a Unit per character. Otherwise nothing is written and
  // the run is left to the unit path.
  PlainWord TakePlainWord(const uint8_t* begin, const uint8_t* next, uint32_t info,
                          const uint8_t* end) {
    constexpr uint32_t kLetterClass = static_cast<uint32_t>(kLetter) << kClassShift;
    constexpr uint32_t kKindMask = kSimple | (7u << kClassShift);
    // Letter id and tone of each letter, 8 bits a letter, the last lowest:
    // all a tone check reads (see ToneStays), for words of up to
    // kMaxSyllable letters.
    uint64_t letters = LetterByte(info);
    const uint32_t first = info;
    uint32_t rest_or = 0;  // info bits of the letters after the first, or-ed
    static_assert(kVowelShift == 31);
    uint32_t vowels = info >> kVowelShift;
    uint32_t count = 1;
    const uint8_t* p = next;
    PlainWord word;
    while (p < end) {
      info = NextInfo(&next, end);
      if ((info & kKindMask) != (kSimple | kLetterClass)) {
        // The character that ends the run must be a segment of its own: with
        // marks after it, NFC or folding could make it a letter or a
        // deletion, which would continue the word.
        if (!(info & kSimple) || ClassOf(info) == kLetter || !StartsSegment(next, end)) {
          return {};
        }
        word.after_end = next;
        word.after_info = info;
        break;
      }
      letters = (letters << 8) | LetterByte(info);
      rest_or |= info;
      vowels += info >> kVowelShift;
      ++count;
      p = next;
    }
    const uint32_t word_or = first | rest_or;
    // Past kMaxWordUnits letters the unit path passes the run through
    // untouched. A capital after the first letter in a word with lower-case
    // letters may start a glued heading (đẹpThực): the unit path decides.
    if (count > kMaxWordUnits || ((rest_or & kUpper) && (word_or & kLower))) return {};
    if (vowels >= 2 && (word_or & (7u << kToneShift)) && count <= kMaxSyllable &&
        !ToneStays(letters | (static_cast<uint64_t>(count) << 56))) {
      return {};
    }
    ResolveSpace();
    if (count >= 2 && (word_or & kUpper) && (word_or & kLower)) {
      const uint8_t last = LastByte();
      if (last == '.' || last == '!' || last == '?' || last == 0xA6) {
        const uint8_t* second = begin;
        const uint32_t first_info = Info(DecodeAt(&second, end));
        const uint32_t second_info = Info(DecodeAt(&second, end));
        if (TitleCaseGluedAfter(last, first_info, second_info)) Replace(0, "\n");
      }
    }
    Copy(static_cast<uint32_t>(p - begin));
    word.end = p;
    return word;
  }

  // Whether the tone mark of a word stays where it is. `key` holds the
  // word's letter count in its top byte and below it, a byte a letter, the
  // letter id and tone (the low byte of its info entry). The
  // answer depends on nothing else, and a text repeats its words, so the
  // words found to stay are remembered.
  bool ToneStays(uint64_t key) {
    const size_t slot = (key * 0x9E3779B97F4A7C15ull) >> (64 - kStableSlotBits);
    if (stable_words_[slot] == key) return true;
    size_t from, to;
    if (FindToneMove(t_, key & ((uint64_t{1} << 56) - 1), key >> 56, &from, &to)) return false;
    stable_words_[slot] = key;
    return true;
  }

  struct Unit {
    uint32_t raw_len;
    uint32_t info;     // entry of the normalized, folded code point
    char32_t cp;       // that code point; 0 when the unit is several or none
    uint32_t out_begin;  // output in scratch_ when !identity
    uint32_t out_len;
    bool identity;     // output bytes == raw bytes
  };

  // --- Output and offset map. Identity bytes are not copied one by one: the
  // pending run [copy_begin_, raw_pos_) is appended in one go when something
  // else must be written.
  void Copy(uint32_t raw_len) { raw_pos_ += raw_len; }
  void Replace(uint32_t raw_len, std::string_view norm) {
    FlushCopy();
    out_->append(norm);
    map_->AddReplacement(raw_len, static_cast<uint32_t>(norm.size()));
    raw_pos_ += raw_len;
    copy_begin_ = raw_pos_;
  }
  void FlushCopy() {
    if (raw_pos_ > copy_begin_) {
      out_->append(raw_.data() + copy_begin_, raw_pos_ - copy_begin_);
      map_->AddCopy(raw_pos_ - copy_begin_);
      copy_begin_ = raw_pos_;
    }
  }
  // Last byte written so far, or '\n' at the start of the text.
  uint8_t LastByte() const {
    if (raw_pos_ > copy_begin_) return static_cast<uint8_t>(raw_[raw_pos_ - 1]);
    return out_->empty() ? '\n' : static_cast<uint8_t>(out_->back());
  }

  std::string_view UnitText(const Unit& u, uint32_t raw_begin) const {
    if (u.identity) return raw_.substr(raw_begin, u.raw_len);
    return std::string_view(scratch_).substr(u.out_begin, u.out_len);
  }
  void SetOutput(Unit* u, std::string_view text) {
    u->out_begin = static_cast<uint32_t>(scratch_.size());
    scratch_.append(text);
    u->out_len = static_cast<uint32_t>(text.size());
    u->identity = false;
  }
  void EmitUnit(const Unit& u) {
    if (u.identity) {
      Copy(u.raw_len);
    } else {
      Replace(u.raw_len, std::string_view(scratch_).substr(u.out_begin, u.out_len));
    }
  }

  // --- Building units.
  void Fold(Unit* u) {
    const uint32_t index = t_.fold_index.at(u->cp);
    u->info = t_.fold_info[index];
    u->cp = t_.fold_single[index];
    SetOutput(u, t_.fold_targets[index]);
  }

  // A decomposed Vietnamese letter in canonical order, composed by table.
  bool ComposeLetter(int32_t begin, int32_t end, Unit* u) {
    if (static_cast<size_t>(end - begin) > Tables::kMaxPackedBytes) return false;
    const std::string_view raw = raw_.substr(begin, end - begin);
    const auto it = t_.decomposed_letters.find(Tables::PackBytes(raw));
    if (it == t_.decomposed_letters.end()) return false;
    const uint32_t info = Info(static_cast<UChar32>(it->second));
    if (info & kFolded) return false;
    u->cp = it->second;
    u->info = info;
    char utf8[4];
    size_t length = 0;
    U8_APPEND_UNSAFE(utf8, length, static_cast<UChar32>(it->second));
    SetOutput(u, std::string_view(utf8, length));
    return true;
  }

  // NFC of raw [begin, end) with ICU, then folding of each code point.
  void NormalizeSegment(int32_t begin, int32_t end, Unit* u) {
    const std::string_view raw = raw_.substr(begin, end - begin);
    segment_.clear();
    UErrorCode status = U_ZERO_ERROR;
    icu::StringByteSink<std::string> sink(&segment_);
    t_.nfc->normalizeUTF8(0, icu::StringPiece(raw.data(), static_cast<int32_t>(raw.size())),
                          sink, nullptr, status);
    if (U_FAILURE(status)) segment_.assign(raw);
    folded_.clear();
    size_t count = 0;  // code points after folding
    uint32_t first_info = 0;
    char32_t first = 0;
    size_t pos = 0;
    // What follows the starter in a segment belongs to it (combining marks,
    // conjoining jamo, vowel signs): when the starter is deleted (a control or
    // zero-width character), all of it goes too. Kept, it would attach to
    // whatever stands before on a second pass (compose with a letter, be
    // dropped with a collapsed space), so normalizing twice would differ.
    bool starter_deleted = false;
    while (pos < segment_.size()) {
      const int32_t c = NextCodePoint(segment_, &pos);
      if (c < 0) continue;
      if (starter_deleted && count == 0) continue;
      uint32_t info = t_.Info(static_cast<char32_t>(c));
      char32_t cp = static_cast<char32_t>(c);
      size_t cps = 1;
      if (info & kFolded) {
        const uint32_t index = t_.fold_index.at(cp);
        const std::string& target = t_.fold_targets[index];
        if (target.empty()) {
          if (count == 0) starter_deleted = true;
          continue;
        }
        folded_.append(target);
        info = t_.fold_info[index];
        cp = t_.fold_single[index];
        if (cp == 0) cps = 2;
      } else {
        AppendUtf8(cp, &folded_);
      }
      if (count == 0) {
        first_info = info;
        first = cp;
      }
      count += cps;
    }
    if (count == 0) {
      u->info = static_cast<uint32_t>(kDelete) << kClassShift;
      u->cp = 0;
    } else {
      u->info = first_info;
      u->cp = count == 1 ? first : 0;
      // Several code points: keep the class, drop the syllable data.
      if (count > 1) u->info &= ~((31u << kLetterShift) | (7u << kToneShift) | kVowel);
    }
    if (folded_ == raw) {
      u->identity = true;
    } else {
      SetOutput(u, folded_);
    }
    if (ClassOf(u->info) == kCarriageReturn) {
      u->info = static_cast<uint32_t>(kNewline) << kClassShift;
      SetOutput(u, "\n");
    }
  }

  // --- Routing units: letters gather into a run, spaces wait for what follows.
  void Dispatch(const Unit& u) {
    switch (ClassOf(u.info)) {
      case kLetter:
        if (!in_word_) {
          ResolveSpace();
          StartWord();
        }
        PushLetter(u);
        break;
      case kDelete:
        if (in_word_ && word_size_ > 0 && !long_word_) {
          // A deleted character inside a word joins the letter before it, so
          // the word's rules (glued headings, tone placement) see the letters
          // side by side, as a second pass over the output would.
          uint32_t raw_begin = word_raw_begin_;
          for (size_t i = 0; i + 1 < word_size_; ++i) raw_begin += word_[i].raw_len;
          Unit& prev = word_[word_size_ - 1];
          const std::string text(UnitText(prev, raw_begin));
          prev.raw_len += u.raw_len;
          SetOutput(&prev, text);
          word_identity_ = false;
          word_raw_len_ += u.raw_len;
        } else if (in_word_) {
          PushLetter(u);
        } else if (space_len_ > 0) {
          space_len_ += u.raw_len;
          space_plain_ = false;
        } else {
          Replace(u.raw_len, {});
        }
        break;
      case kSpace:
        FlushWord();
        space_plain_ = space_len_ == 0 && u.identity && u.raw_len == 1;
        space_len_ += u.raw_len;
        break;
      case kNewline:
      case kCarriageReturn:
        FlushWord();
        DropSpace();
        EmitUnit(u);
        break;
      case kOther:
      default:
        FlushWord();
        ResolveSpace();
        EmitUnit(u);
        break;
    }
    if (!in_word_) scratch_.clear();
  }

  // A pending run of spaces becomes one space, unless it starts a line.
  [[gnu::always_inline]] void ResolveSpace() {
    if (space_len_ == 0) return;
    if (LastByte() == '\n') {
      Replace(space_len_, {});
    } else if (space_plain_) {
      Copy(1);
    } else {
      Replace(space_len_, " ");
    }
    space_len_ = 0;
  }
  // Spaces before a line break or the end of the text vanish.
  void DropSpace() {
    if (space_len_ == 0) return;
    Replace(space_len_, {});
    space_len_ = 0;
  }

  void StartWord() {
    in_word_ = true;
    word_size_ = 0;
    word_or_ = 0;
    word_identity_ = true;
    word_vowels_ = 0;
    word_raw_len_ = 0;
    word_raw_begin_ = raw_pos_;  // what came before the run is accounted for
  }

  void PushLetter(const Unit& u) {
    if (word_size_ == kMaxWordUnits) [[unlikely]] {
      PassThroughLongWord(u);
      return;
    }
    word_[word_size_++] = u;
    word_or_ |= u.info;
    word_identity_ &= u.identity;
    word_vowels_ += (u.info & kVowel) ? 1 : 0;
    word_raw_len_ += u.raw_len;
  }

  // Not a word any rule applies to: the run is passed through as it is.
  void PassThroughLongWord(const Unit& u) {
    if (!long_word_) {
      for (size_t i = 0; i < word_size_; ++i) EmitUnit(word_[i]);
      long_word_ = true;
    }
    EmitUnit(u);
    scratch_.clear();
  }

  [[gnu::always_inline]] void FlushWord() {
    if (!in_word_) return;
    in_word_ = false;
    // Most runs are unchanged NFC letters with nothing to move or split: a
    // split needs both cases, a tone move two vowels and a tone mark.
    if (!long_word_ && word_identity_ && !ToneCandidate() &&
        !((word_or_ & kUpper) && (word_or_ & kLower))) {
      Copy(word_raw_len_);
      word_size_ = 0;
      return;
    }
    FinishWord();
  }

  bool ToneCandidate() const { return word_vowels_ >= 2 && (word_or_ & (7u << kToneShift)); }

  [[gnu::noinline]] void FinishWord() {
    if (long_word_) {
      long_word_ = false;
      word_size_ = 0;
      return;
    }
    const bool after_punctuation = GluedAfterPunctuation();
    splits_.clear();
    if ((word_or_ & kUpper) && (word_or_ & kLower)) FindCamelSplits();
    bool changed = false;
    if (ToneCandidate() || !splits_.empty()) {
      size_t begin = 0;
      for (size_t split : splits_) {
        changed |= PlaceTone(begin, split);
        begin = split;
      }
      changed |= PlaceTone(begin, word_size_);
    }
    if (after_punctuation) Replace(0, "\n");
    if (word_identity_ && !changed && splits_.empty()) {
      Copy(word_raw_len_);
    } else {
      size_t next_split = 0;
      for (size_t i = 0; i < word_size_; ++i) {
        if (next_split < splits_.size() && splits_[next_split] == i) {
          Replace(0, "\n");
          ++next_split;
        }
        EmitUnit(word_[i]);
      }
    }
    word_size_ = 0;
  }

  // --- Glued headings.

  // A title-case word right after . … ! ? starts a new line, unless the dot
  // closes an abbreviation (TP.Hà Nội, TS.Nguyễn) or an initial (P.Trần).
  bool GluedAfterPunctuation() {
    const uint8_t last = LastByte();
    if (last != '.' && last != '!' && last != '?' && last != 0xA6) return false;
    const Unit* first = nullptr;
    const Unit* second = nullptr;
    for (size_t i = 0; i < word_size_; ++i) {
      const Unit& u = word_[i];
      if (u.cp == 0) continue;
      if (first == nullptr) {
        first = &u;
      } else {
        second = &u;
        break;
      }
    }
    if (second == nullptr) return false;
    return TitleCaseGluedAfter(last, first->info, second->info);
  }

  // Whether a word whose first two characters have entries `first` and
  // `second`, written right after the byte `last`, is a glued heading.
  bool TitleCaseGluedAfter(uint8_t last, uint32_t first, uint32_t second) {
    if (!(first & kUpper) || !(second & kLower)) return false;
    if (last == '!' || last == '?') return true;
    FlushCopy();
    const std::string& out = *out_;
    if (last == 0xA6) return out.size() >= 3 && out.compare(out.size() - 3, 3, "…") == 0;
    // The run of letters and dots that ends with this dot.
    const size_t end = out.size();
    size_t begin = end - 1;
    while (begin > 0 && end - begin <= kMaxAbbreviationLookback) {
      const int32_t c = PreviousCodePoint(out, begin);
      if (c != '.' && (c < 0 || !IsLetter(static_cast<char32_t>(c)))) break;
      begin -= Utf8Length(static_cast<char32_t>(c));
    }
    if (end - begin > kMaxAbbreviationLookback) return true;
    const std::string_view run = std::string_view(out).substr(begin, end - begin);
    size_t segment = 0;
    for (size_t from = 0; from < run.size(); from = run.find('.', from) + 1) {
      if (t_.dotted_abbreviations.count(std::string(run.substr(from)))) return false;
      if (run.find('.', from) == run.size() - 1) {
        segment = from;
        break;
      }
    }
    // "P." of "P.Trần": a single capital before the dot is an initial.
    const std::string_view last_segment = run.substr(segment, run.size() - 1 - segment);
    if (last_segment.empty()) return true;
    size_t pos = 0;
    const int32_t c = NextCodePoint(last_segment, &pos);
    if (c >= 0 && pos == last_segment.size() && IsUpper(static_cast<char32_t>(c))) return false;
    return true;
  }

  // Splits "đẹpThực" and "thứcCác": a lower-case letter followed by a
  // title-case word, unless the run is a known mixed-case word, its
  // lower-case start is one letter (iPhone, eKYC), or it starts with a capital
  // and its parts are not Vietnamese syllables (McDonald).
  void FindCamelSplits() {
    std::vector<size_t> candidates;
    for (size_t i = 1; i + 1 < word_size_; ++i) {
      const Unit& prev = word_[i - 1];
      const Unit& cur = word_[i];
      const Unit& next = word_[i + 1];
      if (prev.cp == 0 || cur.cp == 0 || next.cp == 0) continue;
      if ((prev.info & kLower) && (cur.info & kUpper) && (next.info & kLower)) {
        candidates.push_back(i);
      }
    }
    if (candidates.empty()) return;
    std::string text;
    uint32_t raw_begin = word_raw_begin_;
    for (size_t i = 0; i < word_size_; ++i) {
      text.append(UnitText(word_[i], raw_begin));
      raw_begin += word_[i].raw_len;
    }
    if (t_.mixed_case_words.count(text)) return;
    size_t begin = 0;
    for (size_t c = 0; c < candidates.size(); ++c) {
      const size_t split = candidates[c];
      const size_t part_end = c + 1 < candidates.size() ? candidates[c + 1] : word_size_;
      bool take;
      if (word_[begin].info & kLower) {
        take = split - begin >= 2;
      } else {
        take = IsSyllable(begin, split) && IsSyllable(split, part_end);
      }
      if (take) {
        splits_.push_back(split);
        begin = split;
      }
    }
  }

  bool IsSyllable(size_t begin, size_t end) const {
    uint64_t bytes;
    SyllableLetters letters;
    SyllableParse parse;
    return LetterBytes(begin, end, &bytes) && GatherLetters(t_, bytes, end - begin, &letters) &&
           ParseSyllable(t_, letters, &parse);
  }

  // LetterByte()s of units [begin, end), or false when there are too many
  // or one is not a single code point.
  bool LetterBytes(size_t begin, size_t end, uint64_t* bytes) const {
    if (end - begin > kMaxSyllable || end == begin) return false;
    *bytes = 0;
    for (size_t i = begin; i < end; ++i) {
      if (word_[i].cp == 0) return false;
      *bytes = (*bytes << 8) | LetterByte(word_[i].info);
    }
    return true;
  }

  // Moves the tone mark of units [begin, end) to where the nucleus rule puts
  // it, when they parse as one syllable. Returns whether anything changed.
  bool PlaceTone(size_t begin, size_t end) {
    uint64_t bytes;
    size_t from, to;
    if (!LetterBytes(begin, end, &bytes) || !FindToneMove(t_, bytes, end - begin, &from, &to)) {
      return false;
    }
    Unit& toned = word_[begin + from];
    const uint32_t tone = ToneOf(toned.info);
    SetLetter(&toned, 0);
    SetLetter(&word_[begin + to], tone);
    word_identity_ = false;
    return true;
  }

  void SetLetter(Unit* u, uint32_t tone) {
    const uint32_t id = LetterIdOf(u->info);
    const char32_t c = t_.composed[id * 8 + tone][(u->info & kUpper) ? 1 : 0];
    u->cp = c;
    u->info = t_.Info(c);
    std::string utf8;
    AppendUtf8(c, &utf8);
    SetOutput(u, utf8);
  }

  uint32_t Info(UChar32 c) const {
    return c < 0x10000 ? info_[c] : t_.ComputeInfo(static_cast<char32_t>(c));
  }

  const Tables& t_;
  const uint32_t* const info_;
  const std::string_view raw_;
  std::string* const out_;
  OffsetMap* const map_;
  const bool plain_text_;

  uint32_t raw_pos_ = 0;     // raw bytes accounted for (written or pending copy)
  uint32_t copy_begin_ = 0;  // start of the pending identity copy

  uint32_t space_len_ = 0;   // raw bytes of the pending space run
  bool space_plain_ = false;  // the run is one ASCII space

  bool in_word_ = false;
  bool long_word_ = false;  // the run outgrew word_ and is passed through
  Unit word_[kMaxWordUnits];
  size_t word_size_ = 0;
  uint32_t word_or_ = 0;  // info bits of all units, or-ed
  bool word_identity_ = true;
  int word_vowels_ = 0;
  std::vector<size_t> splits_;
  uint32_t word_raw_len_ = 0;
  uint32_t word_raw_begin_ = 0;

  // Keys of words ToneStays() found stable (0: none; a key has its count).
  static constexpr int kStableSlotBits = 8;
  std::array<uint64_t, size_t{1} << kStableSlotBits> stable_words_{};

  std::string scratch_;  // output of non-identity units of the current word
  std::string segment_;
  std::string folded_;
};

// --- Loading.

Status LoadCharacters(const std::filesystem::path& path, Tables* t) {
  auto table = LoadLexiconTable(path, LexiconSpec{1, 3, true, false});
  if (!table.ok()) return table.status();
  for (const LexiconRow& row : table->rows) {
    const std::string& source = row.fields[0];
    char32_t first = 0, last = 0;
    const size_t dots = source.find("..");
    if (dots != std::string::npos) {
      if (!ParseCodePoint(source.substr(0, dots), &first) ||
          !ParseCodePoint(source.substr(dots + 2), &last) || last < first) {
        return Status::Error(table->Where(row) + ": bad code point range '" + source + "'");
      }
    } else if (ParseCodePoint(source, &first)) {
      last = first;
    } else {
      std::vector<char32_t> cps = CodePoints(source);
      if (cps.size() != 1) {
        return Status::Error(table->Where(row) + ": expected one character or U+XXXX, found '" +
                             source + "'");
      }
      first = last = cps[0];
    }
    std::string target;
    if (!ParseReplacement(row.fields.size() > 1 ? row.fields[1] : "", &target)) {
      return Status::Error(table->Where(row) + ": bad replacement '" + row.fields[1] + "'");
    }
    const auto index = static_cast<uint32_t>(t->fold_targets.size());
    for (char32_t c = first; c <= last; ++c) {
      if (c == '\r' || c == '\n' || c == ' ') {
        return Status::Error(table->Where(row) + ": CR, LF and space cannot be folded");
      }
      if (!t->fold_index.emplace(c, index).second) {
        char code[16];
        std::snprintf(code, sizeof code, "U+%04X", static_cast<unsigned>(c));
        return Status::Error(table->Where(row) + ": duplicate entry for " + code);
      }
    }
    t->fold_targets.push_back(std::move(target));
  }
  return Status::Ok();
}

// Class and letter data of each folding target; needs the letter tables.
void CompileFoldTargets(Tables* t) {
  for (const std::string& target : t->fold_targets) {
    const std::vector<char32_t> cps = CodePoints(target);
    uint32_t info;
    if (cps.empty()) {
      info = static_cast<uint32_t>(kDelete) << kClassShift;
    } else {
      info = t->LetterBits(cps[0]);
      if (cps.size() > 1) info &= ~((31u << kLetterShift) | (7u << kToneShift) | kVowel);
    }
    t->fold_info.push_back(info);
    t->fold_single.push_back(cps.size() == 1 ? cps[0] : 0);
  }
}

Status LoadTonePlacement(const std::filesystem::path& path, Tables* t) {
  auto table = LoadLexiconTable(path, LexiconSpec{2, 4, false, false});
  if (!table.ok()) return table.status();
  std::vector<char32_t> tone_marks;
  std::vector<char32_t> letters;  // index + 1 = letter id
  std::unordered_map<char32_t, uint32_t> letter_id;
  std::unordered_map<std::string, uint32_t> seen;
  struct Cluster {
    std::string kind;
    std::vector<char32_t> letters;
    uint8_t open = 0, closed = 0;
  };
  std::vector<Cluster> clusters;
  // Tones, then nuclei, then consonants: a letter is a vowel when it appears
  // in a nucleus row, and nucleus letters must not carry a tone.
  for (const LexiconRow& row : table->rows) {
    const std::string& kind = row.fields[0];
    if (kind != "tone" && kind != "onset" && kind != "coda" && kind != "nucleus") {
      return Status::Error(table->Where(row) + ": unknown kind '" + kind +
                           "' (expected tone, onset, coda or nucleus)");
    }
  }
  for (int pass = 0; pass < 3; ++pass) {
    for (const LexiconRow& row : table->rows) {
      const std::string& kind = row.fields[0];
      const bool nucleus = kind == "nucleus";
      const int row_pass = kind == "tone" ? 0 : nucleus ? 1 : 2;
      if (row_pass != pass) continue;
      const std::string key = kind + "\t" + row.fields[1];
      if (auto [it, inserted] = seen.emplace(key, row.line); !inserted) {
        return Status::Error(table->Where(row) + ": duplicate entry '" + row.fields[1] +
                             "' (first at line " + std::to_string(it->second) + ")");
      }
      if (kind == "tone") {
        char32_t mark;
        if (!ParseCodePoint(row.fields[1], &mark) ||
            (U_GET_GC_MASK(static_cast<UChar32>(mark)) & U_GC_MN_MASK) == 0) {
          return Status::Error(table->Where(row) + ": a tone must be a combining mark U+XXXX");
        }
        tone_marks.push_back(mark);
        if (tone_marks.size() > kMaxTones) {
          return Status::Error(table->Where(row) + ": too many tones");
        }
        continue;
      }
      Cluster cluster;
      cluster.kind = kind;
      cluster.letters = CodePoints(row.fields[1]);
      if (cluster.letters.empty() || cluster.letters.size() > kMaxCluster) {
        return Status::Error(table->Where(row) + ": a spelling has 1 to 3 letters");
      }
      for (char32_t c : cluster.letters) {
        if (!u_islower(static_cast<UChar32>(c))) {
          return Status::Error(table->Where(row) + ": spellings are lower-case letters");
        }
        if (letter_id.count(c)) continue;
        if (nucleus) {
          // Vowel letters carry no tone of their own.
          std::string one;
          AppendUtf8(c, &one);
          icu::UnicodeString decomposed;
          UErrorCode status = U_ZERO_ERROR;
          const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
          if (U_SUCCESS(status) && nfd->getDecomposition(static_cast<UChar32>(c), decomposed)) {
            for (int32_t i = 0; i < decomposed.length(); ++i) {
              for (char32_t mark : tone_marks) {
                if (decomposed.charAt(i) == static_cast<char16_t>(mark)) {
                  return Status::Error(table->Where(row) + ": nucleus letters are written "
                                                           "without tone marks");
                }
              }
            }
          }
        }
        letters.push_back(c);
        letter_id[c] = static_cast<uint32_t>(letters.size());
        if (letters.size() > kMaxLetters) {
          return Status::Error(table->Where(row) + ": too many distinct letters");
        }
        t->is_vowel[letters.size()] = nucleus;
      }
      if (nucleus) {
        for (size_t f = 2; f <= 3; ++f) {
          const std::string field = row.fields.size() > f ? row.fields[f] : "";
          uint8_t position = 0;
          if (field != "-") {
            if (field.size() != 1 || field[0] < '1' ||
                static_cast<size_t>(field[0] - '0') > cluster.letters.size()) {
              return Status::Error(table->Where(row) + ": tone position '" + field +
                                   "' is not '-' or a vowel of the nucleus");
            }
            position = static_cast<uint8_t>(field[0] - '0');
          }
          (f == 2 ? cluster.open : cluster.closed) = position;
        }
        if (cluster.open == 0 && cluster.closed == 0) {
          return Status::Error(table->Where(row) + ": nucleus has no tone position");
        }
      } else if (row.fields.size() > 2) {
        return Status::Error(table->Where(row) + ": " + kind + " rows have two fields");
      }
      clusters.push_back(std::move(cluster));
    }
  }
  if (tone_marks.empty()) return Status::Error(table->path + ": no tone rows");

  t->onsets.assign(kClusterKeys, 0);
  t->codas.assign(kClusterKeys, 0);
  t->nucleus_open.assign(kClusterKeys, 0);
  t->nucleus_closed.assign(kClusterKeys, 0);
  for (const Cluster& cluster : clusters) {
    uint8_t ids[kMaxCluster];
    for (size_t i = 0; i < cluster.letters.size(); ++i) {
      ids[i] = static_cast<uint8_t>(letter_id[cluster.letters[i]]);
    }
    const uint32_t key = Tables::Key(ids, cluster.letters.size());
    if (cluster.kind == "onset") {
      t->onsets[key] = 1;
    } else if (cluster.kind == "coda") {
      t->codas[key] = 1;
    } else {
      t->nucleus_open[key] = cluster.open;
      t->nucleus_closed[key] = cluster.closed;
    }
  }

  // Every letter in both cases and, for vowels, with every tone, composed by
  // ICU: the decomposition the pass reads comes from here.
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  if (U_FAILURE(status)) return Status::Error(std::string("ICU NFC: ") + u_errorName(status));
  t->composed.assign((kMaxLetters + 1) * 8, {0, 0});
  for (size_t i = 0; i < letters.size(); ++i) {
    const uint32_t id = static_cast<uint32_t>(i + 1);
    const char32_t forms[2] = {letters[i], static_cast<char32_t>(u_toupper(letters[i]))};
    for (int upper = 0; upper < 2; ++upper) {
      const size_t tones = t->is_vowel[id] ? tone_marks.size() : 0;
      for (size_t tone = 0; tone <= tones; ++tone) {
        char32_t c = forms[upper];
        if (tone > 0) {
          // NFC of letter + mark, not composePair: ặ is ạ + breve in Unicode.
          icu::UnicodeString pair;
          pair.append(static_cast<UChar32>(c)).append(static_cast<UChar32>(tone_marks[tone - 1]));
          UErrorCode error = U_ZERO_ERROR;
          const icu::UnicodeString result = nfc->normalize(pair, error);
          const UChar32 composed =
              U_SUCCESS(error) && result.countChar32() == 1 ? result.char32At(0) : -1;
          if (composed < 0) {
            std::string letter;
            AppendUtf8(c, &letter);
            return Status::Error(table->path + ": Unicode has no precomposed '" + letter +
                                 "' with tone " + std::to_string(tone));
          }
          c = static_cast<char32_t>(composed);
        }
        t->composed[id * 8 + tone][upper] = c;
        uint32_t bits = (id << kLetterShift) | (static_cast<uint32_t>(tone) << kToneShift);
        if (t->is_vowel[id]) bits |= kVowel;
        t->letter_forms[c] = bits;
        icu::UnicodeString decomposed;
        if (nfd->getDecomposition(static_cast<UChar32>(c), decomposed)) {
          std::string bytes;
          decomposed.toUTF8String(bytes);
          if (bytes.size() <= Tables::kMaxPackedBytes) {
            t->decomposed_letters[Tables::PackBytes(bytes)] = c;
          }
        }
      }
    }
  }
  return Status::Ok();
}

Status LoadAbbreviations(const std::filesystem::path& path, Tables* t) {
  // Only the first column matters here; other stages read the rest.
  auto table = LoadLexiconTable(path, LexiconSpec{1, 16, true, false});
  if (!table.ok()) return table.status();
  for (const LexiconRow& row : table->rows) {
    if (row.fields[0].back() == '.') t->dotted_abbreviations.insert(row.fields[0]);
  }
  return Status::Ok();
}

Status LoadMixedCaseWords(const std::filesystem::path& path, Tables* t) {
  auto table = LoadLexiconTable(path, LexiconSpec{1, 1, true, false});
  if (!table.ok()) return table.status();
  for (const LexiconRow& row : table->rows) t->mixed_case_words.insert(row.fields[0]);
  return Status::Ok();
}

}  // namespace

Normalizer::Normalizer(std::unique_ptr<const Tables> tables) : tables_(std::move(tables)) {}
Normalizer::Normalizer(Normalizer&&) noexcept = default;
Normalizer& Normalizer::operator=(Normalizer&&) noexcept = default;
Normalizer::~Normalizer() = default;

Expected<Normalizer> Normalizer::Create(const std::filesystem::path& lexicon_dir) {
  auto tables = std::make_unique<Tables>();
  UErrorCode status = U_ZERO_ERROR;
  tables->nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return Status::Error(std::string("ICU NFC: ") + u_errorName(status));
  if (Status s = LoadCharacters(lexicon_dir / "characters.tsv", tables.get()); !s.ok()) return s;
  if (Status s = LoadTonePlacement(lexicon_dir / "tone_placement.tsv", tables.get()); !s.ok()) {
    return s;
  }
  CompileFoldTargets(tables.get());
  if (Status s = LoadAbbreviations(lexicon_dir / "abbreviations.tsv", tables.get()); !s.ok()) {
    return s;
  }
  if (Status s = LoadMixedCaseWords(lexicon_dir / "mixed_case_words.tsv", tables.get());
      !s.ok()) {
    return s;
  }
  if (Status s = tables->CompileInfo(); !s.ok()) return s;
  return Normalizer(std::move(tables));
}

namespace {

Status NormalizeDocument(const Tables& tables, Document* doc, bool strict, bool plain_text) {
  doc->text.clear();
  doc->offsets.Clear();
  if (doc->raw.size() >= std::numeric_limits<uint32_t>::max() / 2) {
    return Status::Error(doc->source + ": too large (" + std::to_string(doc->raw.size()) +
                         " bytes)");
  }
  doc->text.reserve(doc->raw.size() + doc->raw.size() / 16 + 16);
  if (const int64_t bad = Pass(tables, doc->raw, &doc->text, &doc->offsets, plain_text).Run(strict);
      bad >= 0) {
    doc->text.clear();
    doc->offsets.Clear();
    return Status::Error(doc->source + ": invalid UTF-8 at byte " + std::to_string(bad));
  }
  return Status::Ok();
}

}  // namespace

Status Normalizer::Normalize(Document* doc) const {
  return NormalizeDocument(*tables_, doc, /*strict=*/true, /*plain_text=*/true);
}

Status Normalizer::NormalizeUnitByUnit(Document* doc, bool strict) const {
  return NormalizeDocument(*tables_, doc, strict, /*plain_text=*/false);
}

std::string Normalizer::NormalizeString(std::string_view text) const {
  std::string out;
  OffsetMap map;
  Pass(*tables_, text, &out, &map, /*plain_text=*/true).Run(false);
  return out;
}

}  // namespace vnfacts
