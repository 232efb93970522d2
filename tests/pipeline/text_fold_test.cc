// Diacritic folding for search: every Vietnamese letter folds to its base
// letter, đ to d, marks vanish, and the cached table agrees with ICU's
// decomposition for every code point it covers.
#include "pipeline/text_fold.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <string_view>
#include <vector>

#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

TEST(TextFoldTest, FoldsVietnameseLettersCaseAndĐ) {
  EXPECT_EQ(FoldDiacritics("Nguyễn Văn Phong"), "nguyen van phong");
  EXPECT_EQ(FoldDiacritics("ĐẢNG ỦY Thành ủy"), "dang uy thanh uy");
  EXPECT_EQ(FoldDiacritics("Ưu tiên phát triển, 86,3%"), "uu tien phat trien, 86,3%");
  // Decomposed input folds like composed input.
  EXPECT_EQ(FoldDiacritics("Nguye\xCC\x82\xCC\x83n"), "nguyen");
  // Invalid bytes are dropped; text outside the cached range still folds.
  EXPECT_EQ(FoldDiacritics("a\xFF" "b"), "ab");
  EXPECT_EQ(FoldDiacritics("\xE2\x80\x9C" "Ａ"), "\xE2\x80\x9C" "ａ");
  EXPECT_EQ(FoldDiacritics(""), "");
}

// Ⱥ (U+023A, two bytes) lower-cases to ⱥ (U+2C65, three): the only letters
// whose fold is longer than they are. Runs of them, between ASCII and
// Vietnamese letters, must neither overrun nor lose a byte.
TEST(TextFoldTest, FoldsThatGrowTheTextKeepEveryByte) {
  EXPECT_EQ(FoldDiacritics("\u023A"), "\u2C65");
  EXPECT_EQ(FoldDiacritics("\u023Aab"), "\u2C65ab");
  EXPECT_EQ(FoldDiacritics("x\u023A\u023E\u023AÂN"), "x\u2C65\u2C66\u2C65an");
  std::string many, expected;
  for (int i = 0; i < 1000; ++i) {
    many += "\u023AĐ\u023EZ";
    expected += "\u2C65d\u2C66z";
  }
  EXPECT_EQ(FoldDiacritics(many), expected);
}

// The reference: ICU's decomposition followed down to the base, per code point.
std::string ReferenceFold(char32_t c) {
  if (c == 0x0110 || c == 0x0111) return "d";
  UErrorCode status = U_ZERO_ERROR;
  const UNormalizer2* nfd = unorm2_getNFDInstance(&status);
  UChar32 base = static_cast<UChar32>(c);
  UChar buffer[8];
  while (unorm2_getRawDecomposition(nfd, base, buffer, 8, &status) > 0 && U_SUCCESS(status)) {
    base = buffer[0];
  }
  const int8_t type = u_charType(base);
  if (type == U_NON_SPACING_MARK || type == U_ENCLOSING_MARK) return "";
  std::string out;
  AppendUtf8(static_cast<char32_t>(u_tolower(base)), &out);
  return out;
}

// The reference over a whole text: decoded code point by code point (an
// invalid sequence is dropped and decoding resumes where NextCodePoint
// resumes), each folded by ReferenceFold.
std::string ReferenceFoldText(std::string_view text) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    const int32_t c = NextCodePoint(text, &pos);
    if (c < 0) continue;
    if (c < 0x80) {
      out += static_cast<char>(c >= 'A' && c <= 'Z' ? c + 32 : c);
    } else {
      out += ReferenceFold(static_cast<char32_t>(c));
    }
  }
  return out;
}

TEST(TextFoldTest, AgreesWithIcuForEveryCodePointOfTheBmp) {
  for (char32_t c = 0x80; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string text;
    AppendUtf8(c, &text);
    ASSERT_EQ(FoldDiacritics(text), ReferenceFold(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

// The byte-keyed table covers U+0000..U+2FFF: every code point there, alone,
// after ASCII (the eight-byte path stops mid-chunk) and all of them in one
// text, folds as the reference folds it.
TEST(TextFoldTest, TablePathAgreesWithReferenceInContext) {
  std::string all;
  for (char32_t c = 0; c < 0x3000; ++c) {
    std::string one;
    AppendUtf8(c, &one);
    all += one;
    const std::string text = "ABCDEFG" + one + "Hij" + one;
    ASSERT_EQ(FoldDiacritics(one), ReferenceFoldText(one)) << std::hex << static_cast<uint32_t>(c);
    ASSERT_EQ(FoldDiacritics(text), ReferenceFoldText(text))
        << std::hex << static_cast<uint32_t>(c);
  }
  EXPECT_EQ(FoldDiacritics(all), ReferenceFoldText(all));
}

// Random mixes of ASCII runs, Vietnamese letters composed and decomposed,
// folds that grow, code points past the table, four-byte characters and
// every kind of broken sequence (truncated, overlong, surrogate, stray
// continuation bytes, bytes that never start one).
TEST(TextFoldTest, HostileInputAgreesWithReference) {
  const std::vector<std::string> pieces = {
      "A", "z", "Q", "THÀNH PHỐ HỒ CHÍ MINH ", "nguyễn văn ", "0123456789",
      "Đ", "đ", "Ư", "ỷ", "\u1EA0", "e\u0302\u0303", "\u0300", "\u023A", "\u023E",
      "\u1E9E", "\u2126", "\u212A", "\u3042", "\uFF21", "\U0001F600", "\U00010400",
      "\xFF", "\xC3", "\xE1\xBB", "\xE0\x80\x80", "\xC0\xAF", "\xED\xA0\x80",
      "\x80", "\xBF", "\xF4\x90\x80\x80", "\xF0\x9F\x98", "\xC2\xA0", "\n", " ",
  };
  std::mt19937 random(12345);
  for (int round = 0; round < 20000; ++round) {
    std::string text;
    const int count = static_cast<int>(random() % 24);
    for (int i = 0; i < count; ++i) text += pieces[random() % pieces.size()];
    ASSERT_EQ(FoldDiacritics(text), ReferenceFoldText(text)) << "round " << round;
  }
}

// The store folds a fact's fields one after another into one buffer, a space
// before each but the first, where it used to fold them joined: for valid
// UTF-8 the two must agree (the index's rows are deleted by folding again),
// across every path (ASCII chunks, letters, folds that grow, text past the
// tables), and what the buffer held before stays.
TEST(TextFoldTest, AppendingFieldByFieldFoldsAsTheJoinedText) {
  std::string buffer = "giữ nguyên ";
  AppendFoldedDiacritics("Nguyễn VĂN", &buffer);
  EXPECT_EQ(buffer, "giữ nguyên nguyen van");
  AppendFoldedDiacritics("", &buffer);
  EXPECT_EQ(buffer, "giữ nguyên nguyen van");

  const std::vector<std::string> pieces = {
      "A", "z", "THÀNH PHỐ HỒ CHÍ MINH", "nguyễn văn", "0123456789abcdefXYZ", "Đ", "đ",
      "Ư", "ỷ", "\u1EA0", "e\u0302\u0303", "\u0300", "\u023A", "\u023E", "\u2126",
      "\u3042", "\uFF21", "\U0001F600", "\xC2\xA0", "\n", "124-QĐ/TW", "Bí thư Tỉnh ủy",
  };
  std::mt19937 random(2026);
  for (int round = 0; round < 5000; ++round) {
    const int fields = 1 + static_cast<int>(random() % 6);
    std::string joined, appended;
    for (int f = 0; f < fields; ++f) {
      std::string field;
      const int count = static_cast<int>(random() % 8);
      for (int i = 0; i < count; ++i) field += pieces[random() % pieces.size()];
      if (f > 0) {
        joined += ' ';
        appended += ' ';
      }
      joined += field;
      AppendFoldedDiacritics(field, &appended);
    }
    ASSERT_EQ(appended, FoldDiacritics(joined)) << "round " << round;
  }
}

// The letter path looks a letter up by its first two bytes, as they come:
// every pair of bytes with a lead byte of 0x80 or more, and every three-byte
// sequence with a lead of E0..E2 (the ones the tables cover), folds as the
// reference folds it, both where eight-byte chunks see it (inside and cut
// by the chunk's end) and in the byte-wise tail.
TEST(TextFoldTest, EveryLeadingPairAndTableTripleAgreesWithReference) {
  auto check = [](const std::string& letter) {
    for (const std::string& text :
         {letter, "Abcdefg" + letter + "Hijklmnop", "Abcdef" + letter + "Hijklmnop",
          "Abcde" + letter + "Hijklmnop", "Ab" + letter}) {
      ASSERT_EQ(FoldDiacritics(text), ReferenceFoldText(text)) << text;
    }
  };
  for (int lead = 0x80; lead < 0x100; ++lead) {
    for (int second = 0; second < 0x100; ++second) {
      check({static_cast<char>(lead), static_cast<char>(second)});
      if (HasFatalFailure()) return;
    }
  }
  for (int lead = 0xE0; lead <= 0xE2; ++lead) {
    for (int second = 0; second < 0x100; ++second) {
      for (int third = 0; third < 0x100; ++third) {
        const std::string letter = {static_cast<char>(lead), static_cast<char>(second),
                                    static_cast<char>(third)};
        const std::string text = "Abcde" + letter + "Hijklmnop";
        ASSERT_EQ(FoldDiacritics(text), ReferenceFoldText(text))
            << std::hex << lead << " " << second << " " << third;
      }
    }
  }
}

// Every code point of every plane, after ASCII and in the tail.
TEST(TextFoldTest, AgreesWithReferenceForEveryCodePoint) {
  for (char32_t c = 0; c < 0x110000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string one;
    AppendUtf8(c, &one);
    const std::string text = "ABCDE" + one + "Hijklmnop" + one;
    ASSERT_EQ(FoldDiacritics(text), ReferenceFoldText(text)) << std::hex << static_cast<uint32_t>(c);
  }
}

// Real text: every line of the sample articles, whole and from every
// starting byte (so that letters fall at every offset of a chunk, and
// sequences are cut).
TEST(TextFoldTest, SampleArticlesAgreeWithReference) {
  const std::filesystem::path dir = std::filesystem::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles";
  size_t lines = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::string line;
    while (std::getline(in, line)) {
      ++lines;
      ASSERT_EQ(FoldDiacritics(line), ReferenceFoldText(line)) << entry.path();
      for (size_t start = 1; start < std::min<size_t>(line.size(), 16); ++start) {
        const std::string_view tail = std::string_view(line).substr(start);
        ASSERT_EQ(FoldDiacritics(tail), ReferenceFoldText(tail)) << entry.path();
      }
    }
  }
  EXPECT_GT(lines, 100u);
}

}  // namespace
}  // namespace vnfacts
