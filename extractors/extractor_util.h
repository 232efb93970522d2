// Small pieces the extractors share: terms.tsv, word lists with roles
// loaded from lexicons (normalized like the article text, so a lexicon typed
// with "uỷ" still matches), case-insensitive phrase matching at word
// boundaries on normalized text, RE2 alternations built from word lists,
// Roman numerals, and calendar checks.
//
// Matching works on the normalized text directly (no token kinds needed), so
// the extractors stay correct whatever the tokenizer decides. Vietnamese
// letters keep their UTF-8 length under case mapping, which lets phrases be
// compared in place without copying the text.
#ifndef VNFACTS_EXTRACTORS_EXTRACTOR_UTIL_H_
#define VNFACTS_EXTRACTORS_EXTRACTOR_UTIL_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#if defined(__SSE2__)
#include <emmintrin.h>
#endif

#include "pipeline/document.h"
#include "pipeline/normalizer.h"
#include "pipeline/status.h"

namespace vnfacts {
namespace extract {

// Phrases (lower-cased, normalized) per role, each list longest first so the
// first phrase that matches is the longest one.
class WordRoles {
 public:
  // Reads `word<TAB>role[,role...]` rows. Every role must be in `known_roles`;
  // an unknown role is an error naming file and line.
  static Expected<WordRoles> Load(const std::filesystem::path& path, const Normalizer& normalizer,
                                  const std::set<std::string>& known_roles);
  // The phrases of `role` (empty when none).
  const std::vector<std::string>& Get(std::string_view role) const;

 private:
  std::map<std::string, std::vector<std::string>, std::less<>> by_role_;
};

// The roles of lexicons/date_words.tsv, read by the date and the document
// extractors alike.
const std::set<std::string>& DateWordRoles();

// One row of lexicons/terms.tsv: the word a term number follows, the label a
// term fact carries, the rule name suffix, and which numbers may follow.
struct TermWord {
  std::string lower;  // normalized, lower case
  std::string label;  // normalized
  std::string rule;
  bool roman = false;   // khóa XII
  bool arabic = false;  // khóa 15 (roman+number; needs a term holder)
  bool years = false;   // nhiệm kỳ 2020-2025 (year_range)
};
// Reads lexicons/terms.tsv, shared by the date, document and official
// extractors; an unknown argument is an error naming file and line.
Expected<std::vector<TermWord>> LoadTermWords(const std::filesystem::path& dir,
                                              const Normalizer& normalizer);

// Sorts longest first and removes duplicates (normalization can merge rows).
void SortLongestFirst(std::vector<std::string>* phrases);

// A case-insensitive RE2 alternation "(?i:a|b +c)" of `phrases` (a space in a
// phrase matches a run of spaces). Never empty: an empty list yields a group
// that cannot match.
std::string Alternation(const std::vector<std::string>& phrases);

bool IsWordChar(char32_t c);  // letter or digit

// When `lower_phrase` matches `text` at `pos` case-insensitively, ending at a
// word boundary, returns the end offset.
std::optional<size_t> MatchPhraseAt(std::string_view text, size_t pos,
                                    std::string_view lower_phrase);
// MatchPhraseAt() decoding every code point of text and phrase, as it did
// before it compared ASCII bytes directly: the reference its tests compare it
// with.
std::optional<size_t> MatchPhraseAtByCodePoint(std::string_view text, size_t pos,
                                               std::string_view lower_phrase);
// The first of `phrases` that matches at `pos` (longest first): its end.
std::optional<size_t> MatchAnyAt(std::string_view text, size_t pos,
                                 const std::vector<std::string>& phrases);
// When one of `phrases` ends exactly at `end` (after skipping spaces before
// `end`) and starts at a word boundary, returns where it starts; `which`
// receives the index of the phrase.
std::optional<size_t> PhraseEndingAt(std::string_view text, size_t end,
                                     const std::vector<std::string>& phrases,
                                     size_t* which = nullptr);

// A phrase list for MatchAnyAt() asked many times: the phrases are grouped by
// their first code point, so a lookup tries only those that start with the
// letter at `pos` lowered (the document extractor asks its forty clause
// breaks at every lower-case word of an issuer or a subject). Same results as
// MatchAnyAt() over `phrases`.
class PhrasesByFirstChar {
 public:
  PhrasesByFirstChar() = default;
  // `phrases` lower-cased, longest first (as WordRoles gives them).
  explicit PhrasesByFirstChar(std::vector<std::string> phrases);

  const std::vector<std::string>& phrases() const { return phrases_; }
  std::optional<size_t> At(std::string_view text, size_t pos) const;

 private:
  std::vector<std::string> phrases_;
  // (first code point, indices into phrases_ in list order), by code point.
  std::vector<std::pair<char32_t, std::vector<uint32_t>>> by_first_;
  // An empty phrase matches anywhere, and one that is not valid UTF-8 is
  // compared byte by byte: then every lookup falls back to MatchAnyAt().
  bool unindexed_ = false;
};

// A phrase list for PhraseEndingAt() asked many times: the phrases are
// grouped by their last code point, so a lookup tries only those that end in
// the letter before `end` (one or two of the sixty can-chi years of the date
// words, where PhraseEndingAt() tries every one). Same results as
// PhraseEndingAt() over `phrases`, `which` included.
class PhrasesByLastChar {
 public:
  PhrasesByLastChar() = default;
  // `phrases` lower-cased, longest first (as WordRoles gives them).
  explicit PhrasesByLastChar(std::vector<std::string> phrases);

  const std::vector<std::string>& phrases() const { return phrases_; }
  std::optional<size_t> EndingAt(std::string_view text, size_t end, size_t* which = nullptr) const;

 private:
  std::vector<std::string> phrases_;
  // (last code point, indices into phrases_ in list order), by code point.
  std::vector<std::pair<char32_t, std::vector<uint32_t>>> by_last_;
  // A phrase with no valid last code point (empty, invalid UTF-8) can match
  // after any letter: then every lookup falls back to PhraseEndingAt().
  bool unindexed_ = false;
};

// Where a match of some RE2 patterns can start, found without running them,
// so that they run anchored at those few positions instead of searching the
// whole sentence. Each pattern starts with an ASCII digit ([0-9]) or with one
// of a list of phrases that it matches case-insensitively ((?i:...), which
// RE2 compares by Unicode simple case folding, as u_foldCase() does). At()
// compares only the first word of each phrase, as a prefix: it may accept a
// position where no pattern then matches, never reject one where one does.
class MatchStarts {
 public:
  // A pattern can start with an ASCII digit.
  void AddDigits();
  // A pattern can start with one of `phrases` (in any case).
  void AddPhrases(const std::vector<std::string>& phrases) { AddPhrases(phrases, 0); }
  // The same, and PhraseTagsAt() reports `tags` (bits the caller chooses,
  // say one per pattern) where one of `phrases` may start.
  void AddPhrases(const std::vector<std::string>& phrases, uint32_t tags);

  // Whether a match may start at a position whose first byte is `byte`; a
  // quick test before At().
  bool MayStartWith(unsigned char byte) const { return first_bytes_[byte]; }
  // Whether a match may start at `pos`.
  bool At(std::string_view text, size_t pos) const;
  // Whether At() accepts every position (a phrase that starts with a space,
  // or too many different first words to index).
  bool anywhere() const { return anywhere_; }
  // The tags of every phrase whose first word At() would find at `pos`,
  // ORed (digits are not looked at): of all phrases when anywhere().
  uint32_t PhraseTagsAt(std::string_view text, size_t pos) const;
  // At() with every case folding asked of ICU (At() looks up the code
  // points below U+2000 in a table made from it): the reference its tests
  // compare it with.
  bool AtFoldingWithIcu(std::string_view text, size_t pos) const;

 private:
  struct Lead {
    std::vector<char32_t> chars;   // the first word of a phrase, as given (lower case)
    std::vector<char32_t> folded;  // and case-folded
    uint32_t tags = 0;             // of every phrase with this first word
  };
  std::vector<Lead> leads_;  // at most 64
  // Per first byte of a position, the leads (bit i for leads_[i]) whose first
  // letter, in some case, is encoded with that byte.
  uint64_t leads_by_byte_[256] = {};
  bool digits_ = false;
  bool anywhere_ = false;  // a phrase that starts with a space, or too many leads
  uint32_t all_tags_ = 0;
  bool first_bytes_[256] = {};
};

// The first position at or after `pos` where `text` holds an ASCII digit or
// one of the ASCII bytes `also` was made with (at most four), or text.size()
// when there is none. Most bytes of a sentence are neither, so the search
// looks at sixteen bytes at a time where SSE2 is there (every x86-64); the
// byte-by-byte loop elsewhere, and NextByBytes() always, which the tests
// compare it with.
class DigitFinder {
 public:
  explicit DigitFinder(std::string_view also = {});
  // Inline: callers ask again after every byte found.
  size_t Next(std::string_view text, size_t pos) const {
#if defined(__SSE2__)
    if (!bytes_only_) {
      auto block = [this](int i) {
        return _mm_load_si128(reinterpret_cast<const __m128i*>(blocks_[i].data()));
      };
      const __m128i bias = block(0), past_nine = block(1);
      const __m128i also0 = block(2), also1 = block(3), also2 = block(4), also3 = block(5);
      while (pos + 16 <= text.size()) {
        const __m128i bytes = _mm_loadu_si128(reinterpret_cast<const __m128i*>(text.data() + pos));
        // With the bias the digits are the ten smallest signed bytes.
        __m128i hit = _mm_cmplt_epi8(_mm_add_epi8(bytes, bias), past_nine);
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(bytes, also0),
                                             _mm_cmpeq_epi8(bytes, also1)));
        hit = _mm_or_si128(hit, _mm_or_si128(_mm_cmpeq_epi8(bytes, also2),
                                             _mm_cmpeq_epi8(bytes, also3)));
        const unsigned mask = static_cast<unsigned>(_mm_movemask_epi8(hit));
        if (mask != 0) return pos + static_cast<size_t>(__builtin_ctz(mask));
        pos += 16;
      }
    }
#endif
    return NextByBytes(text, pos);
  }
  size_t NextByBytes(std::string_view text, size_t pos) const {
    while (pos < text.size() && !wanted_[static_cast<unsigned char>(text[pos])]) ++pos;
    return pos < text.size() ? pos : text.size();
  }

 private:
  // Sixteen copies each of: the bias (0x80 - '0'), 0x80 + 10, and the four
  // bytes of `also` (unused places repeat '0').
  alignas(16) std::array<std::array<char, 16>, 6> blocks_;
  std::array<bool, 256> wanted_ = {};
  bool bytes_only_ = false;  // more than four bytes in `also`
};

// IsWordChar(CharBefore(text, pos)), with the letters of Vietnamese text
// (ASCII, U+00C0-U+01BF but the two signs, U+1E00-U+1EFF) told from their
// UTF-8 bytes without asking ICU; anything else goes the plain way.
bool WordCharBefore(std::string_view text, size_t pos);

// The number `digits` starts with, as std::atoi() reads a string of ASCII
// digits (the groups the patterns capture), without copying it to a string:
// 0 when it starts with no digit.
int LeadingNumber(std::string_view digits);

// Appends `value` as printf's "%0*d" writes it with `width`.
void AppendZeroPadded(int value, int width, std::string* out);

// ToLower() of the code points below kLowerTableSize (Latin letters, the
// Vietnamese tone-marked vowels at U+1EA0..U+1EFF), asked of ICU once: text
// is lowered syllable by syllable for every phrase lookup.
inline constexpr char32_t kLowerTableSize = 0x2000;
const std::array<char32_t, kLowerTableSize>& LowerTable();

// The length of the longest prefix of `text` that ToLowerUtf8() keeps byte
// for byte, as far as a cheap scan tells: ASCII other than A-Z, and valid
// two- and three-byte characters below U+2000 that are their own lower case
// (every lower-case Vietnamese letter). It ends before anything else
// (capitals, invalid sequences, other characters), which the caller lowers
// the plain way; most syllables of the text need no lowering at all.
// Inline up to the first byte past ASCII: most syllables looked up are short
// and begin (or are all) in lower-case ASCII.
size_t LowerCaseKeptPrefixFrom(std::string_view text, size_t pos);
inline size_t LowerCaseKeptPrefix(std::string_view text) {
  for (size_t i = 0; i < text.size(); ++i) {
    const unsigned char b = static_cast<unsigned char>(text[i]);
    if (b >= 0x80) return LowerCaseKeptPrefixFrom(text, i);
    if (b >= 'A' && b <= 'Z') return i;
  }
  return text.size();
}

// The words of a phrase as Alternation() matches them: runs of bytes other
// than ' '.
int WordCount(std::string_view phrase);
// The end of the word (run of bytes other than ' ') `pos` is in, or of the
// `words`-th word after it.
size_t WordsEnd(std::string_view text, size_t pos, int words);

size_t SkipSpaces(std::string_view text, size_t pos);
size_t SkipSpacesBack(std::string_view text, size_t end);
// The code point at `pos` (0 at the end of `text`), and the one before `pos`.
char32_t CharAt(std::string_view text, size_t pos);
char32_t CharBefore(std::string_view text, size_t pos);
size_t NextCharStart(std::string_view text, size_t pos);

bool IsLeapYear(int year);
// Days in `month` of `year`; year 0 (unknown) allows 29 February.
int DaysInMonth(int year, int month);
bool IsValidDay(int year, int month, int day);
// Days since 1970-01-01 (proleptic Gregorian), for comparing dates.
int64_t DaysFromCivil(int year, int month, int day);

// Sentences of `doc`, or the whole text as one sentence when the splitter has
// not run (unit tests that build a Document by hand).
std::vector<Sentence> SentencesOf(const Document& doc);

}  // namespace extract
}  // namespace vnfacts

#endif  // VNFACTS_EXTRACTORS_EXTRACTOR_UTIL_H_
