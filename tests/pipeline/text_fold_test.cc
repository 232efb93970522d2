// Diacritic folding for search: every Vietnamese letter folds to its base
// letter, đ to d, marks vanish, and the cached table agrees with ICU's
// decomposition for every code point it covers.
#include "pipeline/text_fold.h"

#include <gtest/gtest.h>
#include <unicode/uchar.h>
#include <unicode/unorm2.h>

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

TEST(TextFoldTest, AgreesWithIcuForEveryCodePointOfTheBmp) {
  for (char32_t c = 0x80; c < 0x10000; ++c) {
    if (c >= 0xD800 && c <= 0xDFFF) continue;
    std::string text;
    AppendUtf8(c, &text);
    ASSERT_EQ(FoldDiacritics(text), ReferenceFold(c)) << std::hex << static_cast<uint32_t>(c);
  }
}

}  // namespace
}  // namespace vnfacts
