#include "pipeline/lexicon.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <filesystem>
#include <fstream>

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

LexiconSpec Spec(size_t min_fields, size_t max_fields, bool unique = true,
                 bool case_insensitive = false) {
  LexiconSpec spec;
  spec.min_fields = min_fields;
  spec.max_fields = max_fields;
  spec.unique_key = unique;
  spec.case_insensitive_key = case_insensitive;
  return spec;
}

TEST(LexiconTest, SkipsCommentsAndBlankLinesAndKeepsLineNumbers) {
  auto table = ParseLexiconTable(
      "# header comment\n"
      "\n"
      "TP.\tthành phố\n"
      "   # indented comment\n"
      "  \t \n"
      "UBND\tỦy ban nhân dân\n",
      "abbreviations.tsv", Spec(1, 2));
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].line, 3u);
  EXPECT_EQ(table->rows[0].fields, (std::vector<std::string>{"TP.", "thành phố"}));
  EXPECT_EQ(table->rows[1].line, 6u);
  EXPECT_EQ(table->Where(table->rows[1]), "abbreviations.tsv:6");
}

TEST(LexiconTest, AcceptsCrlfAndByteOrderMark) {
  auto table = ParseLexiconTable("\xEF\xBB\xBFQuy định\tQĐ\r\nChỉ thị\tCT\r\n", "types.tsv",
                                 Spec(2, 2));
  ASSERT_TRUE(table.ok()) << table.status().message();
  ASSERT_EQ(table->rows.size(), 2u);
  EXPECT_EQ(table->rows[0].fields[0], "Quy định");
  EXPECT_EQ(table->rows[0].fields[1], "QĐ");
  EXPECT_EQ(table->rows[1].fields[1], "CT");
}

TEST(LexiconTest, TrimsSpacesAroundFieldsAndDropsOptionalEmptyFields) {
  auto table = ParseLexiconTable(" Bí thư \t Ban \t\t\n", "titles.tsv", Spec(1, 3));
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->rows[0].fields, (std::vector<std::string>{"Bí thư", "Ban"}));
}

TEST(LexiconTest, NormalizesFieldsToNfc) {
  // "Uỷ ban" typed with a combining hook.
  auto table = ParseLexiconTable("Uy\xCC\x89 ban\tx\n", "nfd.tsv", Spec(2, 2));
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->rows[0].fields[0], "Uỷ ban");
}

TEST(LexiconTest, RejectsWrongFieldCountWithFileAndLine) {
  auto too_few = ParseLexiconTable("# c\nmột\n", "units.tsv", Spec(2, 3));
  ASSERT_FALSE(too_few.ok());
  EXPECT_EQ(too_few.status().message(),
            "units.tsv:2: expected 2 to 3 tab-separated fields, found 1");
  auto too_many = ParseLexiconTable("a\tb\n", "words.tsv", Spec(1, 1));
  ASSERT_FALSE(too_many.ok());
  EXPECT_EQ(too_many.status().message(), "words.tsv:1: expected 1 tab-separated fields, found 2");
}

TEST(LexiconTest, RejectsDuplicateRowsWithBothLines) {
  auto table = ParseLexiconTable("Hà Nội\n# x\nĐà Nẵng\nHà Nội\n", "places.tsv", Spec(1, 1));
  ASSERT_FALSE(table.ok());
  EXPECT_EQ(table.status().message(), "places.tsv:4: duplicate entry 'Hà Nội' (first at line 1)");
}

TEST(LexiconTest, DuplicatesAreFoundAfterNfc) {
  auto table = ParseLexiconTable("Thủy\nThu\xCC\x89y\n", "names.tsv", Spec(1, 1));
  ASSERT_FALSE(table.ok());
  EXPECT_NE(table.status().message().find("names.tsv:2: duplicate entry"), std::string::npos);
}

TEST(LexiconTest, CaseInsensitiveKeysAndNonUniqueTables) {
  auto strict = ParseLexiconTable("UBND\nubnd\n", "a.tsv", Spec(1, 1, true, true));
  ASSERT_FALSE(strict.ok());
  EXPECT_NE(strict.status().message().find("a.tsv:2: duplicate entry"), std::string::npos);
  auto cased = ParseLexiconTable("UBND\nubnd\n", "a.tsv", Spec(1, 1, true, false));
  EXPECT_TRUE(cased.ok());
  auto free = ParseLexiconTable("x\ty\nx\tz\n", "a.tsv", Spec(2, 2, false));
  ASSERT_TRUE(free.ok());
  EXPECT_EQ(free->rows.size(), 2u);
}

TEST(LexiconTest, RejectsEmptyFirstFieldAndInvalidUtf8) {
  auto empty = ParseLexiconTable("\tvalue\n", "e.tsv", Spec(1, 2));
  ASSERT_FALSE(empty.ok());
  EXPECT_EQ(empty.status().message(), "e.tsv:1: empty first field");
  auto bad = ParseLexiconTable("ok\nb\xFF\n", "bad.tsv", Spec(1, 1));
  ASSERT_FALSE(bad.ok());
  EXPECT_EQ(bad.status().message(), "bad.tsv: invalid UTF-8 at byte 4");
}

TEST(LexiconTest, LoadsFilesAndReportsMissingOnes) {
  const fs::path path = fs::temp_directory_path() / "vnfacts_lexicon_test_load.tsv";
  {
    std::ofstream out(path, std::ios::binary);
    out << "# Columns: word\nkhéo\n";
  }
  auto table = LoadLexiconTable(path, Spec(1, 1));
  ASSERT_TRUE(table.ok()) << table.status().message();
  EXPECT_EQ(table->path, path.string());
  ASSERT_EQ(table->rows.size(), 1u);
  EXPECT_EQ(table->rows[0].line, 2u);
  fs::remove(path);
  auto missing = LoadLexiconTable(path, Spec(1, 1));
  ASSERT_FALSE(missing.ok());
  EXPECT_EQ(missing.status().message(), path.string() + ": cannot open lexicon file");
}

TEST(LexiconTest, BundledNormalizerLexiconsLoad) {
  const fs::path dir = fs::path(VNFACTS_SOURCE_DIR) / "lexicons";
  EXPECT_TRUE(LoadLexiconTable(dir / "characters.tsv", Spec(1, 3)).ok());
  EXPECT_TRUE(LoadLexiconTable(dir / "tone_placement.tsv", Spec(2, 4, false)).ok());
  EXPECT_TRUE(LoadLexiconTable(dir / "mixed_case_words.tsv", Spec(1, 1)).ok());
}

TEST(LexiconTest, ToNfcComposes) {
  EXPECT_EQ(ToNfc("ho\xCC\x80" "a"), "hòa");
  EXPECT_EQ(ToNfc("đã có"), "đã có");
  EXPECT_EQ(ToNfc(""), "");
}

// ToNfc() returns text made only of characters below U+0300 or in U+1E00 -
// U+1EFF without asking ICU. That is right only if each such character is
// NFC-stable on its own (quick check "yes") and no combining mark (class 0).
TEST(LexiconTest, ToNfcShortcutRangesAreNfcStable) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  for (UChar32 c = 0; c < 0x1F00; ++c) {
    if (c == 0x300) c = 0x1E00;
    EXPECT_EQ(u_getCombiningClass(c), 0) << std::hex << c;
    EXPECT_EQ(nfc->quickCheck(icu::UnicodeString(c), status), UNORM_YES) << std::hex << c;
  }
}

// The shortcut and ICU agree, in and out of its ranges and on the edges of
// its byte patterns (U+02FF/U+0300, U+1DFF/U+1E00, U+1EFF/U+1F00, a
// singleton that NFC replaces: U+2126 OHM SIGN).
TEST(LexiconTest, ToNfcShortcutAgreesWithIcu) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  ASSERT_TRUE(U_SUCCESS(status));
  for (const std::string s :
       {"", "abc", "Trường Sa", "ủy ban", "Ư", "\xC2\xA0", "\xCB\xBF", "\xCC\x80",
        "a\xCC\x80", "ho\xCC\x80" "a", "\xE1\xB7\xBF", "\xE1\xB8\x80", "\xE1\xBB\xBF",
        "\xE1\xBC\x80", "\xE1\xBE\xBB", "\xE2\x84\xA6", "\xEF\xA4\x80"}) {
    std::string expected;
    nfc->normalize(icu::UnicodeString::fromUTF8(s), status).toUTF8String(expected);
    ASSERT_TRUE(U_SUCCESS(status));
    EXPECT_EQ(ToNfc(s), expected) << s;
  }
  // Ill-formed input is left to ICU, which reads it as U+FFFD and keeps it.
  for (const std::string s : {"\xC3", "x\xE1\xBB", "\xE1\xBA", "\xC3\x28", "\xFF"}) {
    EXPECT_EQ(ToNfc(s), s);
  }
}

}  // namespace
}  // namespace vnfacts
