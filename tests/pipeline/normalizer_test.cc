#include "pipeline/normalizer.h"

#include <gtest/gtest.h>
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

const fs::path kLexicons = fs::path(VNFACTS_SOURCE_DIR) / "lexicons";
const fs::path kSeeds = fs::path(VNFACTS_SHARED_DIR) / "corpus" / "seeds";

const Normalizer& TheNormalizer() {
  static const Normalizer* normalizer = [] {
    auto created = Normalizer::Create(kLexicons);
    if (!created.ok()) {
      ADD_FAILURE() << created.status().message();
      std::abort();
    }
    return new Normalizer(std::move(created).value());
  }();
  return *normalizer;
}

Document Normalized(std::string raw, std::string source = "test") {
  Document doc;
  doc.source = std::move(source);
  doc.raw = std::move(raw);
  const Status status = TheNormalizer().Normalize(&doc);
  EXPECT_TRUE(status.ok()) << status.message();
  return doc;
}

std::string Norm(std::string raw) { return Normalized(std::move(raw)).text; }

std::string Nfd(const std::string& text) {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  EXPECT_TRUE(U_SUCCESS(status));
  icu::UnicodeString decomposed = nfd->normalize(icu::UnicodeString::fromUTF8(text), status);
  std::string out;
  decomposed.toUTF8String(out);
  return out;
}

using test_files::ReadFile;

std::vector<fs::path> SeedFiles() {
  std::vector<fs::path> files;
  std::error_code ec;
  for (const auto& entry : fs::directory_iterator(kSeeds, ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  return files;
}

// The map covers both texts, and ToRaw/ToRawEnd never go backwards.
void ExpectMapInvariants(const Document& doc) {
  const OffsetMap& map = doc.offsets;
  ASSERT_EQ(map.normalized_size(), doc.text.size());
  ASSERT_EQ(map.raw_size(), doc.raw.size());
  uint32_t previous_begin = 0, previous_end = 0;
  for (uint32_t i = 0; i <= doc.text.size(); ++i) {
    const uint32_t begin = map.ToRaw(i);
    const uint32_t end = map.ToRawEnd(i);
    ASSERT_LE(begin, doc.raw.size()) << i;
    ASSERT_LE(end, doc.raw.size()) << i;
    ASSERT_GE(begin, previous_begin) << i;
    ASSERT_GE(end, previous_end) << i;
    previous_begin = begin;
    previous_end = end;
  }
  EXPECT_EQ(map.ToRaw(static_cast<uint32_t>(doc.text.size())), doc.raw.size());
  EXPECT_EQ(map.ToRawEnd(0), 0u);
}

std::string_view RawOf(const Document& doc, std::string_view needle, size_t from = 0) {
  const size_t at = doc.text.find(needle, from);
  EXPECT_NE(at, std::string::npos) << needle << " not in " << doc.text;
  if (at == std::string::npos) return {};
  const uint32_t begin = doc.offsets.ToRaw(static_cast<uint32_t>(at));
  const uint32_t end = doc.offsets.ToRawEnd(static_cast<uint32_t>(at + needle.size()));
  return std::string_view(doc.raw).substr(begin, end - begin);
}

// --- Tone placement.

TEST(NormalizerTest, FoldsOldStyleToneMarks) {
  EXPECT_EQ(Norm("hoà"), "hòa");
  EXPECT_EQ(Norm("khoá"), "khóa");
  EXPECT_EQ(Norm("uỷ"), "ủy");
  EXPECT_EQ(Norm("thuỷ"), "thủy");
  EXPECT_EQ(Norm("hoá"), "hóa");
  EXPECT_EQ(Norm("loè"), "lòe");
  EXPECT_EQ(Norm("tuỳ"), "tùy");
  EXPECT_EQ(Norm("Thành Uỷ Hải Phòng"), "Thành Ủy Hải Phòng");
  EXPECT_EQ(Norm("hoà bình, văn hoá, khoẻ mạnh"), "hòa bình, văn hóa, khỏe mạnh");
}

TEST(NormalizerTest, FoldsAllFiveTones) {
  EXPECT_EQ(Norm("hoà hoá hoả hoã hoạ"), "hòa hóa hỏa hõa họa");
  EXPECT_EQ(Norm("thuỳ thuý thuỷ thuỹ thuỵ"), "thùy thúy thủy thũy thụy");
  EXPECT_EQ(Norm("xoè xoé xoẻ xoẽ xoẹ"), "xòe xóe xỏe xõe xọe");
}

TEST(NormalizerTest, FoldsCapitals) {
  EXPECT_EQ(Norm("HOÀ"), "HÒA");
  EXPECT_EQ(Norm("Hoà"), "Hòa");
  EXPECT_EQ(Norm("THUỶ LỢI"), "THỦY LỢI");
  EXPECT_EQ(Norm("Uỷ ban"), "Ủy ban");
  EXPECT_EQ(Norm("UỶ BAN"), "ỦY BAN");
  EXPECT_EQ(Norm("KHOẺ"), "KHỎE");
  EXPECT_EQ(Norm("hOÀ"), "hÒA");  // each letter keeps its own case
}

TEST(NormalizerTest, PutsToneOnSecondVowelBeforeFinalConsonant) {
  EXPECT_EQ(Norm("hòang"), "hoàng");
  EXPECT_EQ(Norm("tóan"), "toán");
  EXPECT_EQ(Norm("HÒANG"), "HOÀNG");
  EXPECT_EQ(Norm("hụynh"), "huỵnh");
  EXPECT_EQ(Norm("khúyên"), "khuyến");
  EXPECT_EQ(Norm("ngòai"), "ngoài");
  EXPECT_EQ(Norm("khóang"), "khoáng");
}

TEST(NormalizerTest, ParsesQuAndGiAsOnsets) {
  for (const char* word : {"quý", "quỳnh", "Quỳnh", "quả", "quốc", "quyết", "quầy", "giá", "già",
                           "giữa", "giường", "gì", "gìn", "giếng"}) {
    EXPECT_EQ(Norm(word), word);
  }
  EXPECT_EQ(Norm("qúy"), "quý");  // a tone on the u of qu belongs to the nucleus
  EXPECT_EQ(Norm("gía"), "giá");
  EXPECT_EQ(Norm("gìa"), "già");
}

TEST(NormalizerTest, LeavesModernSpellingAlone) {
  const std::string text =
      "hòa khỏe thủy ủy hoàng toán huỳnh khuyến người được nhiều tuổi chuyện "
      "nguyễn khuya khuỷu ngoặc hoặc thuở tiếng việt yếu quyền hoài xoáy";
  EXPECT_EQ(Norm(text), text);
}

TEST(NormalizerTest, LeavesForeignWordsAlone) {
  for (const char* word : {"Raúl", "café", "Covid-19", "Vinamilk", "hoàbình", "Toà-soạn"}) {
    // Only a run of letters that parses as one syllable is touched.
    const std::string got = Norm(word);
    if (std::string(word) == "Toà-soạn") {
      EXPECT_EQ(got, "Tòa-soạn");
    } else {
      EXPECT_EQ(got, word);
    }
  }
  EXPECT_EQ(Norm("oí"), "ói");  // parses as a syllable, so it follows the rule
}

TEST(NormalizerTest, DecomposedInputGivesIdenticalText) {
  const std::string text =
      "Sáng 19/12, Thành uỷ tổ chức hội nghị về văn hoá; ông Nguyễn Văn Thuỷ, "
      "Phó Chủ tịch Uỷ ban, phát biểu: “Chúng ta phải khoẻ mạnh hơn” – Quyết định số 45/QĐ-UBND.";
  const std::string nfd = Nfd(text);
  ASSERT_NE(nfd, text);
  const Document composed = Normalized(text);
  const Document decomposed = Normalized(nfd);
  EXPECT_EQ(decomposed.text, composed.text);
  ExpectMapInvariants(decomposed);
  // Each character maps back to its own decomposed raw bytes.
  EXPECT_EQ(RawOf(decomposed, "Nguyễn"), Nfd("Nguyễn"));
  EXPECT_EQ(RawOf(decomposed, "Thủy"), Nfd("Thuỷ"));
}

TEST(NormalizerTest, CanonicalOrderOfMarksDoesNotMatter) {
  // e + circumflex + dot below, and e + dot below + circumflex, are both ệ.
  EXPECT_EQ(Norm("vi\x65\xCC\x82\xCC\xA3t"), "việt");
  EXPECT_EQ(Norm("vi\x65\xCC\xA3\xCC\x82t"), "việt");
  // ê + acute typed as a precomposed base and a combining tone.
  EXPECT_EQ(Norm("ti\xC3\xAA\xCC\x81ng"), "tiếng");
}

TEST(NormalizerTest, DecomposedSeedsGiveIdenticalText) {
  const auto files = SeedFiles();
  if (files.empty()) GTEST_SKIP() << "no seed articles in " << kSeeds;
  for (const auto& file : files) {
    const std::string raw = ReadFile(file);
    const Document composed = Normalized(raw, file.string());
    const Document decomposed = Normalized(Nfd(raw), file.string());
    EXPECT_EQ(decomposed.text, composed.text) << file;
    ExpectMapInvariants(decomposed);
  }
}

// --- Characters and spaces.

TEST(NormalizerTest, FoldsSpacesAndInvisibleCharacters) {
  EXPECT_EQ(Norm("Hà\xC2\xA0Nội"), "Hà Nội");                  // NBSP
  EXPECT_EQ(Norm("Hà\tNội"), "Hà Nội");                        // tab
  EXPECT_EQ(Norm("Hà \t\xE2\x80\x83 Nội"), "Hà Nội");          // em space in a run
  EXPECT_EQ(Norm("Hà\xE2\x80\x8B Nội"), "Hà Nội");             // zero width space
  EXPECT_EQ(Norm("\xEF\xBB\xBFThủ đô"), "Thủ đô");             // byte order mark
  EXPECT_EQ(Norm("chính\xC2\xADsách"), "chínhsách");           // soft hyphen
  EXPECT_EQ(Norm("a\x01\x7F b"), "a b");                        // controls
  EXPECT_EQ(Norm("15\xE2\x80\xAF" "295"), "15 295");            // narrow NBSP
}

TEST(NormalizerTest, CollapsesSpacesAndLineEnds) {
  EXPECT_EQ(Norm("a   b"), "a b");
  EXPECT_EQ(Norm("  đầu dòng  \n  cuối  "), "đầu dòng\ncuối");
  EXPECT_EQ(Norm("một\r\nhai\rba\n"), "một\nhai\nba\n");
  EXPECT_EQ(Norm("một\r\n\r\nhai"), "một\n\nhai");
  EXPECT_EQ(Norm("dòng\xE2\x80\xA8mới"), "dòng\nmới");  // line separator
  EXPECT_EQ(Norm(" \t "), "");
  EXPECT_EQ(Norm(""), "");
}

TEST(NormalizerTest, FoldsQuotesAndDashes) {
  EXPECT_EQ(Norm("“Dân vận khéo”"), "\"Dân vận khéo\"");
  EXPECT_EQ(Norm("‘a’ «b»"), "'a' \"b\"");
  EXPECT_EQ(Norm("2015 – 2020"), "2015 - 2020");
  EXPECT_EQ(Norm("a—b‐c‑d‒e−f"), "a-b-c-d-e-f");
  EXPECT_EQ(Norm("lũ… và..."), "lũ… và...");  // the ellipsis stays
}

// --- Glued headings.

TEST(NormalizerTest, SplitsGluedHeadings) {
  EXPECT_EQ(Norm("ấn tượng đẹpThực tế cho thấy"), "ấn tượng đẹp\nThực tế cho thấy");
  EXPECT_EQ(Norm("trong Nhân dân.Không hình thức"), "trong Nhân dân.\nKhông hình thức");
  EXPECT_EQ(Norm("bão, lũ…Hình ảnh"), "bão, lũ…\nHình ảnh");
  EXPECT_EQ(Norm("văn minh...Trên cơ sở"), "văn minh...\nTrên cơ sở");
  EXPECT_EQ(Norm("người dân và DN.Nhìn từ Hà Nội"), "người dân và DN.\nNhìn từ Hà Nội");
  EXPECT_EQ(Norm("Không hình thứcCác cơ quan"), "Không hình thức\nCác cơ quan");
  EXPECT_EQ(Norm("tại Hà NộiTrong năm"), "tại Hà Nội\nTrong năm");
  EXPECT_EQ(Norm("Vì sao?Tại sao!Bởi vì"), "Vì sao?\nTại sao!\nBởi vì");
  EXPECT_EQ(Norm("văn hoáThực tế"), "văn hóa\nThực tế");  // tone fixed in both parts
}

TEST(NormalizerTest, KeepsAbbreviationsAndMixedCaseWords) {
  for (const char* text :
       {"iPhone", "iPad", "eKYC", "kWh", "TP.HCM", "T.Ư", "PGS.TS", "PGS.TS.Nguyễn Văn A",
        "TS.Nguyễn Văn B", "TP.Hà Nội", "TX.Sơn Tây", "ThS.Lê", "P.Trần", "McDonald", "MacBook", "ĐBQH",
        "UBND TP.HCM", "VnExpress", "YouTube", "MoMo", "SaiGon", "v.v.Trong", "Covid-19.Trong"}) {
    const std::string expected = std::string(text) == "Covid-19.Trong" ? "Covid-19.\nTrong" : text;
    EXPECT_EQ(Norm(text), expected) << text;
  }
}

TEST(NormalizerTest, InsertedLineBreakHasEmptyRawSpan) {
  const Document doc = Normalized("đẹpThực");
  ASSERT_EQ(doc.text, "đẹp\nThực");
  const uint32_t at = static_cast<uint32_t>(doc.text.find('\n'));
  EXPECT_EQ(doc.offsets.ToRaw(at), doc.offsets.ToRawEnd(at + 1));
  EXPECT_EQ(RawOf(doc, "Thực"), "Thực");
  EXPECT_EQ(RawOf(doc, "đẹp"), "đẹp");
  ExpectMapInvariants(doc);
}

// --- Offset map.

TEST(NormalizerTest, MapsFactSpansBackToRawText) {
  const std::string raw =
      "\xEF\xBB\xBF  Thành uỷ  ban hành Quy định số 124 \xE2\x80\x93QĐ/TW,\r\n"
      "ngày\xC2\xA0" "2/2/2018 về “Dân vận khéo”; Phó Chủ tịch Uỷ ban\tNguyễn Văn\xE2\x80\x8B Hoà.";
  const Document doc = Normalized(raw);
  EXPECT_EQ(doc.text,
            "Thành ủy ban hành Quy định số 124 -QĐ/TW,\nngày 2/2/2018 về \"Dân vận khéo\"; "
            "Phó Chủ tịch Ủy ban Nguyễn Văn Hòa.");
  ExpectMapInvariants(doc);
  EXPECT_EQ(RawOf(doc, "Thành ủy"), "Thành uỷ");
  EXPECT_EQ(RawOf(doc, "124 -QĐ/TW"), "124 \xE2\x80\x93QĐ/TW");
  EXPECT_EQ(RawOf(doc, "ngày 2/2/2018"), "ngày\xC2\xA0" "2/2/2018");
  EXPECT_EQ(RawOf(doc, "\"Dân vận khéo\""), "“Dân vận khéo”");
  EXPECT_EQ(RawOf(doc, "Ủy ban Nguyễn"), "Uỷ ban\tNguyễn");
  EXPECT_EQ(RawOf(doc, "Nguyễn Văn Hòa"), "Nguyễn Văn\xE2\x80\x8B Hoà");
  EXPECT_EQ(RawOf(doc, "Hòa."), "Hoà.");
  // The line break stands for CR LF.
  EXPECT_EQ(RawOf(doc, "\n"), "\r\n");
}

TEST(NormalizerTest, EveryTokenMapsToRawBytesThatNormalizeToIt) {
  const auto files = SeedFiles();
  std::vector<std::string> texts = {
      "Ông  Lê Văn Thuỷ\xC2\xA0(\xE2\x80\x9C" "Chủ tịch\xE2\x80\x9D) \xE2\x80\x93 tuỳ\tthuộc\r\nvào đẹpThực"};
  for (const auto& file : files) texts.push_back(ReadFile(file));
  for (const std::string& raw : texts) {
    const Document doc = Normalized(raw);
    ExpectMapInvariants(doc);
    size_t begin = 0;
    while (begin < doc.text.size()) {
      size_t end = doc.text.find_first_of(" \n", begin);
      if (end == std::string::npos) end = doc.text.size();
      if (end > begin) {
        const std::string_view token = std::string_view(doc.text).substr(begin, end - begin);
        const uint32_t raw_begin = doc.offsets.ToRaw(static_cast<uint32_t>(begin));
        const uint32_t raw_end = doc.offsets.ToRawEnd(static_cast<uint32_t>(end));
        ASSERT_LE(raw_begin, raw_end);
        const std::string raw_token = doc.raw.substr(raw_begin, raw_end - raw_begin);
        EXPECT_EQ(TheNormalizer().NormalizeString(raw_token), token);
      }
      begin = end + 1;
    }
  }
}

// --- Errors and hostile input.

TEST(NormalizerTest, RejectsInvalidUtf8WithByteOffset) {
  struct Case {
    std::string valid;  // the text before the first bad byte
    std::string rest;
  };
  const std::vector<Case> cases = {
      {"abc", "\xFF"},                // not a lead byte
      {"Hà Nội ", "\xE1\xBB"},         // truncated at the end
      {"ab", "\xC0\xAF"},             // overlong '/'
      {"x", "\xED\xA0\x80y"},          // surrogate
      {"đúng rồi", "\xC3("},          // lead byte without continuation
      {"", "\x80 Hoà"},               // continuation byte first
  };
  for (const Case& c : cases) {
    Document doc;
    doc.source = "bài/mẫu.txt";
    doc.raw = c.valid + c.rest;
    const Status status = TheNormalizer().Normalize(&doc);
    ASSERT_FALSE(status.ok());
    EXPECT_EQ(status.message(),
              "bài/mẫu.txt: invalid UTF-8 at byte " + std::to_string(c.valid.size()));
    EXPECT_EQ(FindInvalidUtf8(doc.raw), c.valid.size());
    EXPECT_TRUE(doc.text.empty());
    EXPECT_EQ(doc.offsets.normalized_size(), 0u);
    EXPECT_EQ(doc.offsets.raw_size(), 0u);
  }
}

TEST(NormalizerTest, SurvivesHostileInput) {
  std::vector<std::string> inputs;
  inputs.push_back(std::string("\0a\0b\0\0", 6));
  inputs.push_back(std::string(200000, 'a') + "Thực" + std::string(100, 'X'));  // one long run
  std::string zalgo = "a";
  for (int i = 0; i < 3000; ++i) zalgo += "\xCC\x81\xCC\xA3";  // a with 6000 marks
  inputs.push_back(zalgo + " hoà");
  inputs.push_back("\xCC\x81\xCC\x81 leading marks");
  inputs.push_back(std::string(50000, ' ') + "\n" + std::string(50000, '\t'));
  inputs.push_back("\xE2\x80\x8B\xE2\x80\x8B\xE2\x80\x8B");
  inputs.push_back("\xF0\x9F\x98\x80 emoji\xF0\x9F\x87\xBB\xF0\x9F\x87\xB3.Hà");
  inputs.push_back("\r\r\n\r");
  inputs.push_back(std::string(100, '.') + "Không");
  std::string letters;
  for (int i = 0; i < 10000; ++i) letters += "aB";
  inputs.push_back(letters);
  for (const std::string& raw : inputs) {
    const Document doc = Normalized(raw);
    ExpectMapInvariants(doc);
    EXPECT_FALSE(FindInvalidUtf8(doc.text).has_value());
  }
  EXPECT_EQ(Norm("\r\r\n\r"), "\n\n\n");
}

TEST(NormalizerTest, NormalizeStringMatchesNormalizeAndDropsInvalidBytes) {
  const Normalizer& n = TheNormalizer();
  for (const char* text : {"Thành Uỷ", "  văn  hoá ", "“Dân vận”", "đẹpThực"}) {
    EXPECT_EQ(n.NormalizeString(text), Norm(text));
  }
  EXPECT_EQ(n.NormalizeString("ho\xFF\xE0 b\xC3"), "ho b");
  EXPECT_EQ(n.NormalizeString(Nfd("Uỷ ban")), "Ủy ban");
}

// --- The real seeds.

TEST(NormalizerTest, NormalizesSeedArticles) {
  const auto files = SeedFiles();
  if (files.empty()) GTEST_SKIP() << "no seed articles in " << kSeeds;
  std::string all;
  for (const auto& file : files) {
    const Document doc = Normalized(ReadFile(file), file.string());
    EXPECT_FALSE(FindInvalidUtf8(doc.text).has_value()) << file;
    ExpectMapInvariants(doc);
    EXPECT_EQ(doc.text.find("uỷ"), std::string::npos) << file;
    EXPECT_EQ(doc.text.find("“"), std::string::npos) << file;
    EXPECT_EQ(TheNormalizer().NormalizeString(doc.text), doc.text) << "not idempotent: " << file;
    all += doc.text;
  }
  EXPECT_NE(all.find("T.Ư"), std::string::npos);
  EXPECT_NE(all.find("đẹp\nThực"), std::string::npos);
  EXPECT_NE(all.find("dân.\nKhông"), std::string::npos);
  EXPECT_NE(all.find("DN.\nNhìn"), std::string::npos);
  EXPECT_EQ(all.find("đẹpThực"), std::string::npos);
  // TP.HCM does not occur in the seeds; it must survive the same text around it.
  EXPECT_NE(Norm(std::string("tại TP.HCM.") + " Nhân dân").find("TP.HCM."), std::string::npos);
}

// --- The plain-text shortcut against the unit-by-unit path.

// Normalize() and NormalizeUnitByUnit() give the same text, the same map
// (chunk for chunk) or the same error; so do the lenient forms.
void ExpectSameAsUnitByUnit(const std::string& raw) {
  const Normalizer& n = TheNormalizer();
  Document fast, reference;
  fast.source = reference.source = "test";
  fast.raw = reference.raw = raw;
  const Status fast_status = n.Normalize(&fast);
  const Status reference_status = n.NormalizeUnitByUnit(&reference);
  ASSERT_EQ(fast_status.ok(), reference_status.ok()) << raw;
  EXPECT_EQ(fast_status.message(), reference_status.message()) << raw;
  ASSERT_EQ(fast.text, reference.text) << raw;
  const OffsetMap& a = fast.offsets;
  const OffsetMap& b = reference.offsets;
  ASSERT_EQ(a.chunk_count(), b.chunk_count()) << raw;
  ASSERT_EQ(a.raw_size(), b.raw_size()) << raw;
  ASSERT_EQ(a.normalized_size(), b.normalized_size()) << raw;
  for (uint32_t i = 0; i <= fast.text.size(); ++i) {
    ASSERT_EQ(a.ToRaw(i), b.ToRaw(i)) << raw << " at " << i;
    ASSERT_EQ(a.ToRawEnd(i), b.ToRawEnd(i)) << raw << " at " << i;
  }
  Document lenient;
  lenient.raw = raw;
  ASSERT_TRUE(n.NormalizeUnitByUnit(&lenient, /*strict=*/false).ok());
  EXPECT_EQ(n.NormalizeString(raw), lenient.text) << raw;
}

TEST(NormalizerTest, PlainTextShortcutMatchesUnitByUnitAtItsEdges) {
  const std::string a64(64, 'a');
  const std::vector<std::string> texts = {
      // A word ends at the end of the text, at a plain character, or where
      // the shortcut must hand over: a combining mark on the last letter or
      // on the character after the word, a folded or deleted character, CR,
      // an invalid byte.
      "hoà", "hoà.", " hoà bình ", "hòa", "Hoà", "HOÀ", "hoa\xCC\x80", "hoa\xCC\x80 bình",
      "Hà\xCC\x81 Nội", "ab,\xCC\x81", "ab \xCC\x81" "cd", "ab\n\xCC\x81" "cd", "ab.\xCC\x81",
      "a=\xCC\xB8" "b", "a<\xCC\xB8", "ab\xE2\x80\x8B" "cd", "ab\xE2\x80\x8B", "\xE2\x80\x8B" "ab",
      "ab\xC2\xA0" "cd", "ab\xC2\xAD" "cd", "ab\r\ncd", "ab\rcd", "ab\r", "“ab” ‘cd’",
      "ab\xFF" "cd", "ab\xC3", "\xFF" "ab", "ab \xFF cd", "ab\x01" "cd",
      // Letters outside the BMP, title case, jamo that compose, ASCII runs.
      "ab\xF0\x9D\x90\x80" "cd", "\xF0\x9D\x90\x80" "bc", "\xF0\x9D\x90\x80.Không",
      "\xC7\x85" "a b\xC7\x85", "ab\xE1\x84\x80\xE1\x85\xA1", "\xE1\x84\x80\xE1\x85\xA1" "ab",
      "Vinamilk 2024, 19\xCC\x81 km.", "e-mail: a@b.vn",
      // Spaces: runs, at line starts and ends, before marks.
      "x  y", "x \ny", "\n  x", "x \xCC\x81", "x\t y", "  x", "x  ", "x \xC2\xA0 y",
      // Word rules: tones to move or not, syllable lengths, glued headings,
      // abbreviations, mixed case, the long-run limit.
      "nghiêng", "nghiềng", "nghiêngx", "ngHiêng", "khuyến", "khúyên", "quý", "qúy", "gìa",
      "thuỷ", "Thuỷ.", "đẹpThực", "iPhone", "aB", "Ab", "ABc", "ABC", "TP.Hà Nội", "P.Trần",
      "tin mới.Không", "tin mới!Không", "tin mới?Không", "lũ…Hình", "v.v.Trong",
      "Covid-19.Trong", "dân.KHÔNG", "dân.K", "dân.Kh", "dân. Không", "dân.\nKhông",
      a64, a64 + "a", a64 + "à", a64.substr(1) + "T", a64 + "Tb", a64.substr(2) + "Tb",
      a64.substr(3) + "hoà", "a" + a64 + " hoà", "dân.K" + a64.substr(1), "dân.K" + a64,
  };
  for (const std::string& text : texts) ExpectSameAsUnitByUnit(text);
  // What the shortcut writes itself.
  EXPECT_EQ(Norm("tin mới.Không có"), "tin mới.\nKhông có");
  EXPECT_EQ(Norm("ở TP.Hà Nội"), "ở TP.Hà Nội");
  EXPECT_EQ(Norm("hoa\xCC\x80 bình"), "hòa bình");
  EXPECT_EQ(Norm("x \xC2\xA0 y  z\n  w"), "x y z\nw");
  // Past kMaxWordUnits letters no word rule applies, the glued heading neither.
  EXPECT_EQ(Norm("dân.K" + a64.substr(1)), "dân.\nK" + a64.substr(1));
  EXPECT_EQ(Norm("dân.K" + a64), "dân.K" + a64);
}

TEST(NormalizerTest, PlainTextShortcutMatchesUnitByUnitOnRandomText) {
  const std::vector<std::string> pieces = {
      "a", "b", "h", "o", "n", "g", "q", "u", "i", "y", "T", "H", "K", "à", "á", "ả", "ạ", "ư",
      "ơ", "ờ", "ê", "ế", "đ", "Đ", "Ư", "À", "ng", "qu", "gi", "uỷ", "oà", "hoà", "Thực",
      "người", "\xCC\x80", "\xCC\x81", "\xCC\xA3", "\xCC\x82", " ", "  ", "\n", "\r", "\r\n",
      "\t", "\xC2\xA0", "\xE2\x80\x8B", "\xC2\xAD", ".", ",", "!", "?", "…", "“", "”", "-",
      "1", "9", "\xFF", "\xC3", "\xE1\xBB", "TP.", "P.", "=", "\xCC\xB8", "\xF0\x9D\x90\x80",
      "\xC7\x85", "\xE1\x84\x80", "\xE1\x85\xA1", "\x01", "iPhone", "v.v."};
  std::mt19937 random(20240607);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 30);
  for (int i = 0; i < 4000; ++i) {
    std::string text;
    for (int k = length(random); k > 0; --k) text += pieces[piece(random)];
    ExpectSameAsUnitByUnit(text);
    if (::testing::Test::HasFatalFailure()) return;
  }
}

TEST(NormalizerTest, PlainTextShortcutMatchesUnitByUnitOnArticles) {
  std::vector<fs::path> files = SeedFiles();
  std::error_code ec;
  for (const auto& entry :
       fs::directory_iterator(fs::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles", ec)) {
    if (entry.path().extension() == ".txt") files.push_back(entry.path());
  }
  ASSERT_FALSE(files.empty());
  for (const auto& file : files) {
    const std::string raw = ReadFile(file);
    ExpectSameAsUnitByUnit(raw);
    ExpectSameAsUnitByUnit(Nfd(raw));
  }
}

// --- Loading.

class NormalizerLexiconTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vnfacts_normalizer_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    for (const char* name : {"characters.tsv", "tone_placement.tsv", "abbreviations.tsv",
                             "mixed_case_words.tsv"}) {
      fs::copy_file(kLexicons / name, dir_ / name, fs::copy_options::overwrite_existing);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Append(const char* name, const std::string& text) {
    std::ofstream out(dir_ / name, std::ios::app | std::ios::binary);
    out << text;
  }
  fs::path dir_;
};

TEST_F(NormalizerLexiconTest, ExtraFoldingRowTakesEffect) {
  Append("characters.tsv", "U+2022\t*\tbullet\n");
  auto n = Normalizer::Create(dir_);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->NormalizeString("\xE2\x80\xA2 mục"), "* mục");
}

TEST_F(NormalizerLexiconTest, FoldedLettersLeaveThePlainTextShortcut) {
  // A folded ASCII letter is not plain: its word goes the unit path.
  Append("characters.tsv", "U+0078\tk\n");
  auto n = Normalizer::Create(dir_);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->NormalizeString("xin chào, Xuân"), "kin chào, Xuân");
  Document doc;
  doc.raw = "xin chào";
  ASSERT_TRUE(n->NormalizeUnitByUnit(&doc).ok());
  EXPECT_EQ(doc.text, "kin chào");
}

TEST_F(NormalizerLexiconTest, ReportsBadRowsWithFileAndLine) {
  // A range that overlaps the row for U+2000..U+200A.
  Append("characters.tsv", "U+2005..U+2006\t-\n");
  auto n = Normalizer::Create(dir_);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("characters.tsv:"), std::string::npos);
  EXPECT_NE(n.status().message().find("duplicate entry for U+2005"), std::string::npos)
      << n.status().message();
  // The same character spelled as itself.
  fs::copy_file(kLexicons / "characters.tsv", dir_ / "characters.tsv",
                fs::copy_options::overwrite_existing);
  Append("characters.tsv", "\xE2\x80\x9C\t'\n");
  auto again = Normalizer::Create(dir_);
  ASSERT_FALSE(again.ok());
  EXPECT_NE(again.status().message().find("duplicate entry for U+201C"), std::string::npos)
      << again.status().message();
  // A field that is neither a character nor U+XXXX.
  fs::copy_file(kLexicons / "characters.tsv", dir_ / "characters.tsv",
                fs::copy_options::overwrite_existing);
  Append("characters.tsv", "ab\tx\n");
  auto bad = Normalizer::Create(dir_);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("expected one character or U+XXXX"), std::string::npos)
      << bad.status().message();
}

TEST_F(NormalizerLexiconTest, RejectsUnknownNucleusPosition) {
  Append("tone_placement.tsv", "nucleus\tuya\t4\t-\n");
  auto n = Normalizer::Create(dir_);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("tone_placement.tsv:"), std::string::npos);
  EXPECT_NE(n.status().message().find("tone position '4'"), std::string::npos)
      << n.status().message();
}

TEST_F(NormalizerLexiconTest, NucleusRowsDriveTonePlacement) {
  // Without a rule for "uya" the tone stays where it was typed; with one it moves.
  {
    auto n = Normalizer::Create(dir_);
    ASSERT_TRUE(n.ok()) << n.status().message();
    EXPECT_EQ(n->NormalizeString("khúya"), "khúya");
  }
  Append("tone_placement.tsv", "nucleus\tuya\t2\t-\n");
  auto n = Normalizer::Create(dir_);
  ASSERT_TRUE(n.ok()) << n.status().message();
  EXPECT_EQ(n->NormalizeString("khúya"), "khuýa");
}

TEST_F(NormalizerLexiconTest, MissingFileIsAnError) {
  fs::remove(dir_ / "tone_placement.tsv");
  auto n = Normalizer::Create(dir_);
  ASSERT_FALSE(n.ok());
  EXPECT_NE(n.status().message().find("tone_placement.tsv"), std::string::npos);
}

}  // namespace
}  // namespace vnfacts
