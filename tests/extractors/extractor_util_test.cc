// Unit tests for the extractor helpers that stand in for slower equivalents:
// each must give exactly what the plain version gives.
#include "extractors/extractor_util.h"

#include <gtest/gtest.h>
#include <re2/re2.h>

#include <climits>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/utf8.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace extract {
namespace {

// Every end offset of `text`: the index gives what the plain search gives.
void ExpectSameAsPhraseEndingAt(const std::vector<std::string>& phrases, std::string_view text) {
  const PhrasesByLastChar index(phrases);
  for (size_t end = 0; end <= text.size(); ++end) {
    size_t which_plain = 99, which_index = 99;
    const auto plain = PhraseEndingAt(text, end, phrases, &which_plain);
    const auto indexed = index.EndingAt(text, end, &which_index);
    EXPECT_EQ(plain, indexed) << "end " << end << " in '" << text << "'";
    EXPECT_EQ(which_plain, which_index) << "end " << end << " in '" << text << "'";
  }
}

TEST(PhrasesByLastCharTest, FindsThePhraseEndingAtAPosition) {
  const PhrasesByLastChar index({"bắt đầu từ", "kể từ", "đến", "từ"});
  const std::string text = "Kể từ năm 2015 đến nay";
  size_t which = 99;
  EXPECT_EQ(index.EndingAt(text, text.find(" năm"), &which), 0u);
  EXPECT_EQ(which, 1u);  // the longer phrase, not "từ"
  // Spaces before the end are skipped.
  EXPECT_EQ(index.EndingAt(text, text.find("năm")), 0u);
  EXPECT_EQ(index.EndingAt(text, text.find(" nay")), text.find("đến"));
  EXPECT_EQ(index.EndingAt(text, text.find(" 2015")), std::nullopt);
  EXPECT_EQ(index.EndingAt(text, 0), std::nullopt);
}

TEST(PhrasesByLastCharTest, MatchesUpperCaseText) {
  const PhrasesByLastChar index({"giáp tý", "đến"});
  const std::string year = "NĂM GIÁP TÝ 1984";  // "TÝ" ends in an upper-case Ý
  EXPECT_EQ(index.EndingAt(year, year.find(" 1984")), year.find("GIÁP"));
  const std::string until = "ĐẾN 2020";
  EXPECT_EQ(index.EndingAt(until, until.find(' ')), 0u);
}

TEST(PhrasesByLastCharTest, NeedsAWordBoundaryBefore) {
  const PhrasesByLastChar index({"từ"});
  const std::string since = "kể từ";
  EXPECT_EQ(index.EndingAt(since, since.size()), since.find("từ"));
  const std::string glued = "xtừ";
  EXPECT_EQ(index.EndingAt(glued, glued.size()), std::nullopt);
}

TEST(PhrasesByLastCharTest, SameAsPhraseEndingAt) {
  const std::vector<std::string> phrases = {"năm dân vận khéo", "thứ hai", "bắt đầu từ", "kể từ",
                                            "giáp tý", "chủ nhật", "đến", "từ", "(", "x"};
  for (std::string_view text :
       {"Năm Dân vận khéo 2021", "Thứ Hai, 19/12 và CHỦ NHẬT 25/12", "năm  dân vận khéo 2021",
        "bắt đầu từ 2015", "x(", "", " ", "từ\xff từ", "\xe1\xbb từ", "ktừ Giáp Tý"}) {
    ExpectSameAsPhraseEndingAt(phrases, text);
  }
}

// An empty phrase (or one that is no UTF-8) has no last letter to index by;
// the lookup then tries every phrase, as PhraseEndingAt() does.
TEST(PhrasesByLastCharTest, PhrasesWithoutALastLetterFallBack) {
  ExpectSameAsPhraseEndingAt({"từ", ""}, "kể từ 2015");
  ExpectSameAsPhraseEndingAt({"t\xff", "từ"}, "kể từ t\xff 2015");
}

// Texts for comparing a shortcut with its reference at every offset: words
// in every case, with tone marks, truncated UTF-8, signs that fold or lower
// to ASCII (Kelvin sign, long s, dotted capital I), and what follows a word.
std::vector<std::string> ShortcutTexts() {
  std::vector<std::string> texts = {
      "ngày 2 tháng 9 năm 2024, Ngày 2 THÁNG 9 NĂM 2024",
      "người nhân ngà ngay ngàyx nGàY NGÀY Ngáy",
      "Quý II quý 3 QUÝ quy quỹ qUÝ",
      "khóa XII KHÓA \u212Ahóa \u212AHÓA khoá Khóa khoa kHÓa",
      "Đại hội đại  hội ĐẠI HỘI Đạo đai đại-hội",
      "\u017Fố \u0130n in IN ın x X xy",
      "văn bản số 12/NQ-TW của Ban Chấp hành Trung ương",
      "from until to FROM to-day Today",
      "ng\xC3", "ng\xC3\xA0", "ng\xE1\xBA", "\xFFngày", "ngà\x80y",
      "Năm", "nă", "n", "",
  };
  // Every prefix: a text that ends inside a word or a code point.
  const std::vector<std::string> whole = texts;
  for (const std::string& text : whole) {
    for (size_t n = 0; n < text.size() && n < 12; ++n) texts.push_back(text.substr(0, n));
  }
  return texts;
}

TEST(MatchPhraseAtTest, SameAsDecodingEveryCodePoint) {
  const std::vector<std::string> phrases = {
      "ngày", "năm", "tháng", "quý", "khóa", "đại hội", "đại  hội", "x", "in", "ı", "k",
      "văn bản", "số", "of", "to", "ngà", "n", "Ngày", "NĂM", "ngà\x80y", "\xC3", " x", "",
      "\u212Ahóa", "ſố", "ban chấp hành"};
  for (const std::string& text : ShortcutTexts()) {
    for (size_t pos = 0; pos <= text.size(); ++pos) {
      for (const std::string& phrase : phrases) {
        EXPECT_EQ(MatchPhraseAt(text, pos, phrase), MatchPhraseAtByCodePoint(text, pos, phrase))
            << "'" << phrase << "' at " << pos << " in '" << text << "'";
      }
    }
  }
}

// The index by first letter must find what MatchAnyAt() finds over the same
// list, at every offset: capitals, letters that lower to ASCII (Kelvin sign,
// dotted capital I), broken UTF-8, phrases that start with a space or share
// a first letter (the longer one first).
TEST(PhrasesByFirstCharTest, SameAsMatchAnyAt) {
  const std::vector<std::vector<std::string>> lists = {
      {"ban chấp hành", "ngày", "năm", "ngà", "n", "khóa", "k", "in", "ı", "số", "x", "(",
       " x", "đại  hội", "đại hội", "văn bản", "of", "to", "Ngày"},
      {"ngày", "ngà\x80y", "\xC3"},  // not UTF-8: every lookup the plain way
      {"từ", ""},                    // an empty phrase matches anywhere
  };
  for (const std::vector<std::string>& phrases : lists) {
    const PhrasesByFirstChar index(phrases);
    for (const std::string& text : ShortcutTexts()) {
      for (size_t pos = 0; pos <= text.size() + 1; ++pos) {
        EXPECT_EQ(index.At(text, pos), MatchAnyAt(text, pos, phrases))
            << "at " << pos << " in '" << text << "'";
      }
    }
  }
}

TEST(PhrasesByFirstCharTest, FindsTheFirstListedPhraseThatMatches) {
  const PhrasesByFirstChar index({"trong đó", "trong", "theo"});
  EXPECT_EQ(index.At("TRONG ĐÓ có", 0), 10u);
  EXPECT_EQ(index.At("trong khi", 0), 5u);
  EXPECT_EQ(index.At("trongx", 0), std::nullopt);
  EXPECT_EQ(index.At("\u212Ahóa theo", 8), 12u);
  EXPECT_EQ(index.At("về", 0), std::nullopt);
}

// The sixteen-byte search must stop where the byte loop stops: every offset
// of texts whose wanted bytes sit at every place of a block, before and
// after the last whole block, next to bytes above 0x7F.
TEST(DigitFinderTest, SameAsTheByteLoop) {
  std::vector<std::string> texts = ShortcutTexts();
  for (char wanted : std::string("0159IVXL/")) {
    for (size_t at = 0; at < 40; ++at) {
      std::string text(40, 'a');
      text[at] = wanted;
      texts.push_back(text);
      std::string high(40, '\xE1');
      high[at] = wanted;
      texts.push_back(high);
    }
  }
  // Bytes next to the digits and the letters: '/' and ':' (0x2F, 0x3A), 'H'
  // and 'J', and the same bytes with the top bit set.
  texts.push_back(
      std::string("/:HJKUWY\xB0\xB9\xC9\xD6\xD8\xCC/:HJKUWY\xB0\xB9\xC9\xD6\xD8\xCC" "9"));
  for (std::string_view also : {"", "IVXL", "I", "/-", "abcde"}) {
    const DigitFinder finder(also);
    for (const std::string& text : texts) {
      for (size_t pos = 0; pos <= text.size(); ++pos) {
        EXPECT_EQ(finder.Next(text, pos), finder.NextByBytes(text, pos))
            << "'" << also << "' from " << pos << " in '" << text << "'";
      }
    }
  }
}

TEST(DigitFinderTest, FindsDigitsAndTheBytesAsked) {
  const DigitFinder digits;
  const std::string text = "Khóa XII, ngày 19/12/2023 và năm 2025 Luật";
  EXPECT_EQ(digits.Next(text, 0), text.find("19"));
  EXPECT_EQ(digits.Next(text, text.find("/")), text.find("12"));
  EXPECT_EQ(digits.Next(text, text.find(" Luật")), text.size());
  const DigitFinder numerals("IVXL");
  EXPECT_EQ(numerals.Next(text, 0), text.find("XII"));
  EXPECT_EQ(numerals.Next(text, text.find("2025") + 4), text.find("Luật"));
}

TEST(MatchPhraseAtTest, MatchesAnyCaseOfALowerCasePhrase) {
  EXPECT_EQ(MatchPhraseAt("Đại Hội XIII", 0, "đại hội"), 12u);
  EXPECT_EQ(MatchPhraseAt("xem TO DO", 4, "to do"), 9u);
  EXPECT_EQ(MatchPhraseAt("todo", 0, "to"), std::nullopt);  // no word boundary
  EXPECT_EQ(MatchPhraseAt("\u212Ahóa", 0, "khóa"), 7u);     // the Kelvin sign lowers to k
  EXPECT_EQ(MatchPhraseAt("TÔ", 0, "to"), std::nullopt);
}

TEST(MatchStartsTest, SameAsComparingCodePoints) {
  MatchStarts starts;
  starts.AddPhrases({"ngày", "năm", "tháng", "quý", "khóa", "đại hội", "ngà\x80y", "in", "ſố",
                     "Ngáy", "TO", "ı"});
  starts.AddDigits();
  int accepted = 0;
  for (const std::string& text : ShortcutTexts()) {
    for (size_t pos = 0; pos <= text.size(); ++pos) {
      const bool at = starts.At(text, pos);
      EXPECT_EQ(at, starts.AtFoldingWithIcu(text, pos)) << "at " << pos << " in '" << text << "'";
      accepted += at;
    }
  }
  EXPECT_GT(accepted, 50);
}

TEST(MatchStartsTest, DigitsOnlyWhenAdded) {
  MatchStarts starts;
  starts.AddPhrases({"năm"});
  EXPECT_FALSE(starts.MayStartWith('2'));
  EXPECT_FALSE(starts.At("2024", 0));
  starts.AddDigits();
  EXPECT_TRUE(starts.MayStartWith('2'));
  EXPECT_TRUE(starts.At("2024", 0));
  EXPECT_FALSE(starts.At("x2024", 0));
  EXPECT_TRUE(starts.At("x2024", 1));  // the caller checks word edges
  EXPECT_FALSE(starts.At("2024", 4));
}

TEST(MatchStartsTest, FirstWordOfAPhraseInAnyCase) {
  MatchStarts starts;
  starts.AddPhrases({"ngày", "đại hội"});
  for (std::string_view text : {"ngày 2", "Ngày 2", "NGÀY 2", "nGàY", "ngàyx", "Đại biểu", "ĐẠI"}) {
    EXPECT_TRUE(starts.At(text, 0)) << text;
  }
  for (std::string_view text : {"người", "ngà", "ngay", "hội", "", " ngày", "Đạo"}) {
    EXPECT_FALSE(starts.At(text, 0)) << text;
  }
  EXPECT_TRUE(starts.MayStartWith('n'));
  EXPECT_TRUE(starts.MayStartWith('N'));
  EXPECT_TRUE(starts.MayStartWith(0xC4));  // đ and Đ
  EXPECT_FALSE(starts.MayStartWith('h'));
  EXPECT_FALSE(starts.MayStartWith('0'));
}

// RE2's (?i) matches by simple case folding, so "khóa" also matches with a
// Kelvin sign (U+212A) for its k: At() must accept what RE2 would match.
TEST(MatchStartsTest, AcceptsWhatRe2MatchesCaseInsensitively) {
  MatchStarts starts;
  starts.AddPhrases({"khóa"});
  const RE2 re("(?i:khóa)");
  for (std::string_view text : {"khóa", "KHÓA", "\u212Ahóa", "Khóa", "kHÓa", "khoá", "khoa"}) {
    re2::StringPiece input(text.data(), text.size());
    const bool re2_matches = re.Match(input, 0, input.size(), RE2::ANCHOR_START, nullptr, 0);
    EXPECT_EQ(starts.At(text, 0), re2_matches) << text;
  }
  EXPECT_TRUE(starts.At("\u212Ahóa", 0));
  EXPECT_TRUE(starts.MayStartWith(0xE2));  // the Kelvin sign's first byte
}

// A phrase whose first word is empty (" +x" in the pattern) may start
// anywhere but inside a code point.
TEST(MatchStartsTest, PhraseStartingWithASpaceStartsAnywhere) {
  MatchStarts starts;
  starts.AddPhrases({" x"});
  EXPECT_TRUE(starts.MayStartWith(' '));
  EXPECT_TRUE(starts.MayStartWith(0xC4));
  EXPECT_FALSE(starts.MayStartWith(0x91));  // a continuation byte
  EXPECT_TRUE(starts.At("ab", 1));
}

TEST(MatchStartsTest, TagsOfEveryPhraseThatMayStart) {
  MatchStarts starts;
  starts.AddDigits();
  starts.AddPhrases({"tháng", "thứ hai"}, 1);
  starts.AddPhrases({"tháng", "ngày"}, 2);
  starts.AddPhrases({"năm"}, 4);
  EXPECT_EQ(starts.PhraseTagsAt("Tháng 9", 0), 3u);  // one first word, both tags
  EXPECT_EQ(starts.PhraseTagsAt("THỨ BA", 0), 1u);   // the first word is enough
  EXPECT_EQ(starts.PhraseTagsAt("ngày 5", 0), 2u);
  EXPECT_EQ(starts.PhraseTagsAt("x năm", 2), 4u);
  EXPECT_EQ(starts.PhraseTagsAt("9 tháng", 0), 0u);  // digits are not asked
  EXPECT_EQ(starts.PhraseTagsAt("nay", 0), 0u);
  EXPECT_EQ(starts.PhraseTagsAt("năm", 3), 0u);
}

// Where a phrase may start, PhraseTagsAt() and At() agree (every phrase
// tagged, no digits).
TEST(MatchStartsTest, TagsWhereAtAccepts) {
  MatchStarts starts;
  starts.AddPhrases({"ngày", "năm", "quý", "khóa", "đại hội", "x", "in", "ı", "số"}, 1);
  starts.AddPhrases({"k", "tháng"}, 2);
  for (const std::string& text : ShortcutTexts()) {
    for (size_t pos = 0; pos <= text.size(); ++pos) {
      EXPECT_EQ(starts.PhraseTagsAt(text, pos) != 0, starts.At(text, pos))
          << "at " << pos << " in '" << text << "'";
    }
  }
  MatchStarts anywhere;
  anywhere.AddPhrases({" x"}, 1);
  anywhere.AddPhrases({"y"}, 2);
  EXPECT_EQ(anywhere.PhraseTagsAt("abc", 1), 3u);
}

// WordCharBefore() reads the letters of Vietnamese text from their bytes:
// it must agree with IsWordChar(CharBefore()) for every code point, after
// every byte, and on broken sequences.
TEST(WordCharBeforeTest, SameAsDecodingForEveryCodePoint) {
  size_t differ = 0;
  for (char32_t c = 1; c <= 0x10FFFF; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string text = "a";
    AppendUtf8(c, &text);
    for (size_t pos = 0; pos <= text.size(); ++pos) {
      differ += WordCharBefore(text, pos) != IsWordChar(CharBefore(text, pos));
    }
  }
  EXPECT_EQ(differ, 0u);
  for (int b = 0; b < 256; ++b) {
    for (int lead : {0xC3, 0xC4, 0xC6, 0xC7, 0xE1, 0xE2}) {
      for (const std::string& text :
           {std::string(1, static_cast<char>(b)), std::string{static_cast<char>(lead), static_cast<char>(b)},
            std::string{'\xE1', static_cast<char>(lead), static_cast<char>(b)},
            std::string{static_cast<char>(lead), '\xBB', static_cast<char>(b)}}) {
        for (size_t pos = 0; pos <= text.size(); ++pos) {
          EXPECT_EQ(WordCharBefore(text, pos), IsWordChar(CharBefore(text, pos)))
              << "byte " << b << " lead " << lead << " at " << pos;
        }
      }
    }
  }
}

TEST(LeadingNumberTest, ReadsWhatAtoiReads) {
  for (const char* s : {"", "0", "7", "12", "2024", "0009", "19x", "IV", "X1", "99999"}) {
    EXPECT_EQ(LeadingNumber(s), std::atoi(s)) << s;
  }
}

TEST(AppendZeroPaddedTest, WritesWhatPrintfWrites) {
  for (int width : {0, 1, 2, 4, 6}) {
    for (int value : {0, 1, 9, 10, 12, 99, 100, 999, 2024, 12345, -1, -12, -999, -2024,
                      INT_MAX, INT_MIN}) {
      char expected[32];
      std::snprintf(expected, sizeof(expected), "%0*d", width, value);
      std::string out = "x";
      AppendZeroPadded(value, width, &out);
      EXPECT_EQ(out, std::string("x") + expected) << value << " width " << width;
    }
  }
}

// LowerCaseKeptPrefix() lets the quantity extractor look up a syllable
// without lower-casing it: the prefix must be what ToLowerUtf8() keeps byte
// for byte, and ToLowerUtf8() of the rest must give the rest of the lower case.
// Returns whether the whole of `text` was kept.
bool ExpectKeptPrefixLowersToItself(std::string_view text) {
  const size_t kept = LowerCaseKeptPrefix(text);
  EXPECT_LE(kept, text.size()) << text;
  if (kept > text.size()) return false;
  const std::string prefix(text.substr(0, kept));
  EXPECT_EQ(ToLowerUtf8(prefix), prefix) << "'" << text << "' kept " << kept;
  EXPECT_EQ(prefix + ToLowerUtf8(text.substr(kept)), ToLowerUtf8(text))
      << "'" << text << "' kept " << kept;
  return kept == text.size();
}

TEST(LowerCaseKeptPrefixTest, EveryCodePointBelowU3000) {
  size_t kept = 0;
  for (char32_t c = 1; c < 0x3000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string s;
    AppendUtf8(c, &s);
    const bool whole = ExpectKeptPrefixLowersToItself(s);
    kept += whole;
    // Below U+2000 the scan decides every character: one that lower-casing
    // keeps is kept (the shortcut is taken), any other ends the prefix.
    if (c < 0x2000) EXPECT_EQ(whole, ToLowerUtf8(s) == s) << std::hex << "U+" << uint32_t{c};
    if (c >= 0x2000) EXPECT_FALSE(whole) << std::hex << "U+" << uint32_t{c};
  }
  EXPECT_GT(kept, 5000u);
}

TEST(LowerCaseKeptPrefixTest, HostileStrings) {
  for (const char* text : {
           "", "a", "A", "hà nội", "Hà Nội", "hà nỘi", "ĐỒNG", "đồng", "người\xC3", "\xE1\xBA",
           "\xE1\xBA\xA0", "a\xFF b", "ki\xCC\x81", "x\xF0\x9F\x98\x80y", "\xC0\xAF", "\xC1\xBF",
           "\xE0\x80\xAF", "\xED\xA0\x80", "\xEF\xBF\xBD", "kelvin \u212A", "\u0130stanbul", "\u01C5",
           "\u00DF\u1E9E", "m\u00B2", "18,6\u2030", "tr\u1EF9 \u0111\u1ED3ng/ng\u01B0\u1EDDi", "@[\\]^_`{",
       }) {
    const std::string s(text);
    for (size_t n = 0; n <= s.size(); ++n) ExpectKeptPrefixLowersToItself(std::string_view(s).substr(0, n));
  }
}

// Every word and every line of the sample articles, the seeds and the
// example rows.
TEST(LowerCaseKeptPrefixTest, EveryWordOfTheCorpus) {
  const std::filesystem::path root(VNFACTS_SOURCE_DIR);
  std::vector<std::filesystem::path> dirs = {root / "corpus" / "articles", root / "corpus" / "examples"};
  const std::filesystem::path seeds = std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus" / "seeds";
  if (std::filesystem::exists(seeds)) dirs.push_back(seeds);
  size_t words = 0, kept = 0;
  for (const auto& dir : dirs) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (!entry.is_regular_file()) continue;
      std::istringstream lines(test_files::ReadFile(entry.path()));
      std::string line;
      while (std::getline(lines, line)) {
        ExpectKeptPrefixLowersToItself(line);
        std::istringstream in(line);
        std::string word;
        while (in >> word) {
          ++words;
          kept += ExpectKeptPrefixLowersToItself(word);
        }
      }
    }
  }
  EXPECT_GT(words, 80000u);
  EXPECT_GT(kept, words / 2);  // most words are in lower case already
}

}  // namespace
}  // namespace extract
}  // namespace vnfacts
