// Unit tests for the official extractor: every shape of issue 3 (title first,
// name first, dash, lists, ông/bà, ranks, former office, "đồng chí TITLE
// NAME"), what is not an official, organization resolution on small articles
// written for these tests, sentence boundaries, NFD input and lexicon errors.
// All names are invented; the seed articles are only read at run time.
#include <gtest/gtest.h>
#include <unistd.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <sstream>

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "tests/extractors/extractor_harness.h"

namespace vnfacts {
namespace {

using Result = testing::ExtractResult<OfficialFact>;

const testing::ExtractorHarness& Harness() {
  static const testing::ExtractorHarness harness(&CreateOfficialExtractor);
  return harness;
}

Result Extract(std::string_view text) { return Harness().Run<OfficialFact>(text); }

using Titles = std::vector<std::string>;

// The titles of the one official `text` yields; a failure naming the text
// when it yields another number.
Titles TitlesOfOnlyOfficial(std::string_view text) {
  const Result r = Extract(text);
  if (r.facts.size() != 1) {
    ADD_FAILURE() << "expected one official, got " << r.facts.size() << " in: " << text;
    return {};
  }
  return r.Value(0).titles;
}

TEST(OfficialExtractorTest, TitleBeforeName) {
  Result r = Extract("Phó Bí thư Thường trực Tỉnh ủy Nguyễn Văn Quyết phát biểu khai mạc hội nghị.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Nguyễn Văn Quyết");
  EXPECT_EQ(r.Value(0).titles, Titles{"Phó Bí thư Thường trực Tỉnh ủy"});
  EXPECT_FALSE(r.Value(0).former);
  EXPECT_EQ(r.Span(0), "Phó Bí thư Thường trực Tỉnh ủy Nguyễn Văn Quyết");
  EXPECT_EQ(r.Rule(0), "official.title_name");
  EXPECT_EQ(r.facts[0].kind, FactKind::kOfficial);
}

TEST(OfficialExtractorTest, TermAfterTheBodyIsNeitherBodyNorName) {
  Result r = Extract("Đại biểu Quốc hội khóa XV Trần Thị Lan chất vấn Bộ trưởng.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Trần Thị Lan");
  EXPECT_EQ(r.Value(0).titles, Titles{"Đại biểu Quốc hội"});
  EXPECT_EQ(r.Value(0).org, "Quốc hội");
  EXPECT_EQ(r.Span(0), "Đại biểu Quốc hội khóa XV Trần Thị Lan");

  r = Extract("Phó Chủ tịch HĐND tỉnh Nghệ An khóa 18 Lê Văn Bình dự.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Lê Văn Bình");
  EXPECT_EQ(r.Value(0).titles, Titles{"Phó Chủ tịch HĐND tỉnh Nghệ An"});

  // A term that ends a title does not end the chain of titles.
  r = Extract("Ủy viên Ban Chấp hành Trung ương Đảng khóa XIII, Bí thư Tỉnh ủy Nguyễn Đức Trung dự.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Nguyễn Đức Trung");
  EXPECT_EQ(r.Value(0).titles,
            (Titles{"Ủy viên Ban Chấp hành Trung ương Đảng", "Bí thư Tỉnh ủy"}));
  r = Extract("Đồng chí Nguyễn Đức Trung, Ủy viên Ban Chấp hành Trung ương Đảng khóa XIII, Bí thư "
              "Tỉnh ủy phát biểu.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).titles,
            (Titles{"Ủy viên Ban Chấp hành Trung ương Đảng", "Bí thư Tỉnh ủy"}));
}

TEST(OfficialExtractorTest, DashInsideABodysNameButNotBeforeANameOrTitle) {
  EXPECT_EQ(
      TitlesOfOnlyOfficial("Giám đốc Trung tâm Văn hóa - Thể thao huyện Lê Thị Bình báo cáo."),
      Titles{"Giám đốc Trung tâm Văn hóa - Thể thao huyện"});
  // Before a name or another title the dash separates.
  EXPECT_EQ(TitlesOfOnlyOfficial(
                "Đồng chí Lê Văn Cường - Giám đốc Sở Y tế - Phó Bí thư Đảng ủy khối dự."),
            Titles{"Giám đốc Sở Y tế"});
  const Result r = Extract("Giám đốc Trung tâm Văn hóa - Nguyễn Văn An báo cáo.");
  for (size_t i = 0; i < r.facts.size(); ++i) {
    EXPECT_EQ(r.Value(i).titles, Titles{"Giám đốc Trung tâm Văn hóa"});
  }
}

TEST(OfficialExtractorTest, ListedLowerCaseWordsGoOnWithABodysName) {
  Result r = Extract("Ông Mai Văn Minh, Trưởng phòng Tổ chức cán bộ Sở Y tế, cho biết.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).titles, Titles{"Trưởng phòng Tổ chức cán bộ Sở Y tế"});
  EXPECT_EQ(r.Value(0).org, "Phòng Tổ chức cán bộ Sở Y tế");
  // Only after the body's own name: after an organization of the lexicon a
  // lower-case word still ends the title.
  EXPECT_EQ(TitlesOfOnlyOfficial("Ông Mai Văn Minh, Giám đốc Sở Y tế cán bộ lâu năm, cho biết."),
            Titles{"Giám đốc Sở Y tế"});
}

TEST(OfficialExtractorTest, BodyPhrasesWithACommaGoOnWithAListedBody) {
  // "phòng, chống" is marked `body` in org_name_words.tsv: it may follow
  // "Ban Chỉ đạo" (an organization of the lexicon), and the comma-led
  // ", tiêu cực" then goes on with the name.
  Result r = Extract(
      "Ông Trần Văn Bình, Phó Trưởng ban Thường trực Ban Chỉ đạo phòng, chống tham nhũng, tiêu "
      "cực tỉnh, cho biết.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).titles,
            Titles{"Phó Trưởng ban Thường trực Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh"});
  EXPECT_EQ(r.Value(0).org, "Ban Chỉ đạo phòng, chống tham nhũng, tiêu cực tỉnh");
  // A phrase without the mark does not follow a listed body, and a comma
  // before an unlisted word still ends the title.
  EXPECT_EQ(TitlesOfOnlyOfficial(
                "Ông Trần Văn Bình, Phó Trưởng ban Thường trực Ban Chỉ đạo tham nhũng, cho biết."),
            Titles{"Phó Trưởng ban Thường trực Ban Chỉ đạo"});
  EXPECT_EQ(TitlesOfOnlyOfficial(
                "Ông Trần Văn Bình, Trưởng phòng Tổ chức cán bộ, quản lý nhân sự, cho biết."),
            Titles{"Trưởng phòng Tổ chức cán bộ"});
}

TEST(OfficialExtractorTest, UnknownContinuationColumnIsAnErrorNamingTheLine) {
  const std::filesystem::path dir =
      std::filesystem::temp_directory_path() / ("vnfacts_org_words_" + std::to_string(getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::LexiconDir(), dir);
  std::ofstream(dir / "org_name_words.tsv", std::ios::app) << "văn thư\tverb\n";
  auto extractor = CreateOfficialExtractor(dir);
  std::filesystem::remove_all(dir);
  ASSERT_FALSE(extractor.ok());
  EXPECT_NE(extractor.status().message().find("org_name_words.tsv:"), std::string::npos)
      << extractor.status().message();
  EXPECT_NE(extractor.status().message().find("'verb'"), std::string::npos)
      << extractor.status().message();
}

TEST(OfficialExtractorTest, AndBeforeATitleOrRankStartsAnotherPerson) {
  // "và" joins two parts of one body ("Sở Giáo dục và Đào tạo"), but before a
  // title, a rank or a cue it starts the next person.
  Result r = Extract(
      "Ông Lê Văn Tâm, Giám đốc Sở Tài chính và Phó Chủ tịch UBND tỉnh Trần Văn Hòa cùng dự.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).name, "Lê Văn Tâm");
  EXPECT_EQ(r.Value(0).titles, Titles{"Giám đốc Sở Tài chính"});
  EXPECT_EQ(r.Value(1).name, "Trần Văn Hòa");
  EXPECT_EQ(r.Value(1).titles, Titles{"Phó Chủ tịch UBND tỉnh"});
  r = Extract(
      "Đại tá Lê Văn Tâm, Giám đốc Công an tỉnh và Thiếu tướng Trần Văn Hòa, Tư lệnh Quân khu 5 "
      "cùng dự.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).titles, Titles{"Giám đốc Công an tỉnh"});
  EXPECT_EQ(r.Value(1).ranks, std::vector<std::string>{"Thiếu tướng"});
  EXPECT_EQ(r.Value(1).titles, Titles{"Tư lệnh Quân khu 5"});
  EXPECT_EQ(TitlesOfOnlyOfficial("Giám đốc Sở Giáo dục và Đào tạo Phạm Thị Hoa phát biểu."),
            Titles{"Giám đốc Sở Giáo dục và Đào tạo"});
}

TEST(OfficialExtractorTest, AParenthesisAboutThePersonMayStandBeforeTheTitles) {
  Result r = Extract(
      "Bị can gồm ông Nguyễn Văn Hùng (SN 1968), nguyên Giám đốc Sở Tài chính, và bà Trần Thị "
      "Lan (sinh năm 1975, trú tại TP Đà Lạt), Phó Chánh Văn phòng Đăng ký đất đai tỉnh.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).name, "Nguyễn Văn Hùng");
  EXPECT_TRUE(r.Value(0).former);
  EXPECT_EQ(r.Value(0).titles, Titles{"Giám đốc Sở Tài chính"});
  EXPECT_EQ(r.Span(0), "Nguyễn Văn Hùng (SN 1968), nguyên Giám đốc Sở Tài chính");
  EXPECT_EQ(r.Value(1).name, "Trần Thị Lan");
  EXPECT_EQ(r.Value(1).titles, Titles{"Phó Chánh Văn phòng Đăng ký đất đai tỉnh"});
  // Not without the comma or dash after it, and a title inside it is still
  // the person's title.
  EXPECT_TRUE(Extract("Ông Nguyễn Văn Hùng (SN 1968) Giám đốc Sở Tài chính.").facts.empty());
  r = Extract("Ông Nguyễn Văn Hùng (Giám đốc Sở Tài chính) phát biểu.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Rule(0), "official.name_paren_title");
}

TEST(OfficialExtractorTest, ALowerCaseWordAfterTwoCapitalsEndsTheBody) {
  // "Chỉ đạo", "Biên phòng": a lower-case second syllable belongs to the
  // body's own name; after a capitalized pair (a place, a name) it does not.
  EXPECT_EQ(TitlesOfOnlyOfficial(
                "Ông Nguyễn Văn An, Giám đốc Bệnh viện Bạch Mai cho biết bệnh viện sẵn sàng."),
            Titles{"Giám đốc Bệnh viện Bạch Mai"});
  const Result r =
      Extract("Thiếu tá Lê Minh Tuấn, Đồn trưởng Đồn Biên phòng Lạch Bạng cũng phát biểu.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).titles, Titles{"Đồn trưởng Đồn Biên phòng Lạch Bạng"});
  EXPECT_EQ(r.Value(0).ranks, std::vector<std::string>{"Thiếu tá"});
}

TEST(OfficialExtractorTest, TitlesBeforeAColonGoToEveryNameOfTheList) {
  Result r = Extract(
      "Dự hội nghị có các Phó Chủ tịch UBND tỉnh: Lê Hồng Vinh, Bùi Thanh An và Bùi Đình Long.");
  ASSERT_EQ(r.facts.size(), 3u);
  std::vector<std::string> names;
  for (size_t i = 0; i < r.facts.size(); ++i) {
    names.push_back(r.Value(i).name);
    EXPECT_EQ(r.Value(i).titles, Titles{"Phó Chủ tịch UBND tỉnh"});
    EXPECT_EQ(r.Rule(i), "official.title_colon_list");
  }
  std::sort(names.begin(), names.end());
  EXPECT_EQ(names, (std::vector<std::string>{"Bùi Thanh An", "Bùi Đình Long", "Lê Hồng Vinh"}));
  // A name with titles of its own ends the list; lower-case words are no names.
  r = Extract("Thành phần gồm Phó Chủ tịch UBND tỉnh: Lê Hồng Vinh, Giám đốc Sở Y tế.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Lê Hồng Vinh");
  EXPECT_EQ(r.Value(0).titles, Titles{"Giám đốc Sở Y tế"});
  EXPECT_TRUE(Extract("Phó Chủ tịch UBND tỉnh: các sở cần khẩn trương triển khai.").facts.empty());
}

TEST(OfficialExtractorTest, ACityCommitteeInAProvinceArticleNamesItsCityFirst) {
  // In an article about a province, "Thành ủy" is a city's committee and two
  // capitals after it are the city ("Hạ Long"), not a person.
  Result r = Extract(
      "Ban Thường vụ Tỉnh ủy Quảng Ninh điều động đồng chí Vũ Văn Diện, Phó Chủ tịch UBND tỉnh "
      "Quảng Ninh, giữ chức Bí thư Thành ủy Hạ Long.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Vũ Văn Diện");
  r = Extract(
      "Tỉnh ủy Quảng Ninh họp phiên thường kỳ. Bí thư Thành ủy Cẩm Phả Nguyễn Văn Anh phát "
      "biểu.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Nguyễn Văn Anh");
  EXPECT_EQ(r.Value(0).titles, Titles{"Bí thư Thành ủy Cẩm Phả"});
  // Without a province to go by, a name after "Thành ủy" is still a name.
  r = Extract("Bí thư Thành ủy Nguyễn Thị Hoa phát biểu.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Nguyễn Thị Hoa");
}

TEST(OfficialExtractorTest, OrganizationWordsBeforeTheNameAreNotTheName) {
  Result r = Extract("Trưởng ban Tuyên giáo Tỉnh ủy Lâm Đồng Hà Văn Lục trao giấy khen cho các tập thể.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Hà Văn Lục");
  EXPECT_EQ(r.Value(0).titles, Titles{"Trưởng ban Tuyên giáo Tỉnh ủy Lâm Đồng"});
  EXPECT_EQ(r.Value(0).org, "Ban Tuyên giáo Tỉnh ủy Lâm Đồng");
}

TEST(OfficialExtractorTest, ShortNameRightAfterTitle) {
  Result r = Extract("Phó Trưởng ban Dân vận Huyện ủy Vũ Lan báo cáo kết quả.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Vũ Lan");
}

TEST(OfficialExtractorTest, TrưởngBanIsWrittenLowerCase) {
  Result r = Extract("Trưởng Ban Dân vận Thị ủy Trần Thị Loan tặng quà.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).titles, Titles{"Trưởng ban Dân vận Thị ủy"});
  EXPECT_EQ(r.Value(0).org, "Ban Dân vận Thị ủy");
}

TEST(OfficialExtractorTest, NameCommaSeveralTitles) {
  Result r = Extract("Dự buổi lễ có Lê Minh Hưng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy, cùng lãnh đạo các sở.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Lê Minh Hưng");
  EXPECT_EQ(r.Value(0).titles, (Titles{"Ủy viên Trung ương Đảng", "Bí thư Tỉnh ủy"}));
  EXPECT_EQ(r.Value(0).org, "Ban Chấp hành Trung ương Đảng");
  EXPECT_EQ(r.Span(0), "Lê Minh Hưng, Ủy viên Trung ương Đảng, Bí thư Tỉnh ủy");
}

TEST(OfficialExtractorTest, ListAfterCacDongChi) {
  Result r = Extract(
      "Đến dự có các đồng chí: Hoàng Văn Đạt, Phó Bí thư Tỉnh ủy, Chủ tịch UBND tỉnh; "
      "Y Khoa Niê, Trưởng ban Dân tộc HĐND tỉnh; Phạm Thị Hồng, Phó Chủ tịch Ủy ban MTTQ "
      "Việt Nam tỉnh.");
  ASSERT_EQ(r.facts.size(), 3u);
  EXPECT_EQ(r.Value(0).name, "Hoàng Văn Đạt");
  EXPECT_EQ(r.Value(0).titles, (Titles{"Phó Bí thư Tỉnh ủy", "Chủ tịch UBND tỉnh"}));
  // Not a known family name, but a list item after ':' or ';' is a person.
  EXPECT_EQ(r.Value(1).name, "Y Khoa Niê");
  EXPECT_EQ(r.Value(1).titles, Titles{"Trưởng ban Dân tộc HĐND tỉnh"});
  EXPECT_EQ(r.Value(2).name, "Phạm Thị Hồng");
  EXPECT_EQ(r.Value(2).titles, Titles{"Phó Chủ tịch Ủy ban MTTQ Việt Nam tỉnh"});
  for (size_t i = 0; i < 3; ++i) EXPECT_EQ(r.Rule(i), "official.list_item");
}

TEST(OfficialExtractorTest, DongChiNameDashTitle) {
  Result r = Extract("Đồng chí Hà Quang Trung - Phó Bí thư Tỉnh ủy thăm hỏi, tặng quà các hộ nghèo.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Hà Quang Trung");
  EXPECT_EQ(r.Value(0).titles, Titles{"Phó Bí thư Tỉnh ủy"});
  EXPECT_EQ(r.Span(0), "Hà Quang Trung - Phó Bí thư Tỉnh ủy");
  EXPECT_EQ(r.Rule(0), "official.dong_chi_dash");
}

TEST(OfficialExtractorTest, DongChiTitleName) {
  Result r = Extract("Ý kiến của đồng chí Phó Bí thư Thành ủy Đặng Minh Châu rất cụ thể.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Đặng Minh Châu");
  EXPECT_EQ(r.Span(0), "Phó Bí thư Thành ủy Đặng Minh Châu");
  EXPECT_EQ(r.Rule(0), "official.dong_chi_title_name");
}

TEST(OfficialExtractorTest, OngBaNameTitle) {
  Result r = Extract("Bà Nguyễn Thị Hạnh, Chủ tịch Hội Liên hiệp Phụ nữ tỉnh, cho biết hội đã vận động được 3 tỷ đồng.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Nguyễn Thị Hạnh");
  EXPECT_EQ(r.Value(0).titles, Titles{"Chủ tịch Hội Liên hiệp Phụ nữ tỉnh"});
  EXPECT_EQ(r.Span(0), "Nguyễn Thị Hạnh, Chủ tịch Hội Liên hiệp Phụ nữ tỉnh");
  EXPECT_EQ(r.Rule(0), "official.ong_ba_name_titles");

  Result lower = Extract("Theo ông Trần Văn Định, giám đốc Sở Tư pháp, việc này cần làm ngay.");
  ASSERT_EQ(lower.facts.size(), 1u);
  EXPECT_EQ(lower.Value(0).name, "Trần Văn Định");
  EXPECT_EQ(lower.Value(0).titles, Titles{"Giám đốc Sở Tư pháp"});
}

TEST(OfficialExtractorTest, RanksAreNotTitles) {
  Result r = Extract("Đại tá Lê Văn Kiên, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh, phát biểu.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).ranks, Titles{"Đại tá"});
  EXPECT_EQ(r.Value(0).titles, Titles{"Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh"});
  EXPECT_EQ(r.Span(0), "Đại tá Lê Văn Kiên, Chỉ huy trưởng Bộ Chỉ huy Quân sự tỉnh");

  Result academic = Extract("PGS.TS Đoàn Thị Thu, Phó Giám đốc Học viện Chính trị khu vực I, trình bày tham luận.");
  ASSERT_EQ(academic.facts.size(), 1u);
  EXPECT_EQ(academic.Value(0).ranks, Titles{"PGS.TS"});
  EXPECT_EQ(academic.Value(0).name, "Đoàn Thị Thu");
  EXPECT_EQ(academic.Value(0).titles, Titles{"Phó Giám đốc Học viện Chính trị khu vực I"});

  Result after = Extract("Giám đốc Công an tỉnh, Thiếu tướng Lục Văn Phú kiểm tra công tác trực.");
  ASSERT_EQ(after.facts.size(), 1u);
  EXPECT_EQ(after.Value(0).name, "Lục Văn Phú");
  EXPECT_EQ(after.Value(0).ranks, Titles{"Thiếu tướng"});
  EXPECT_EQ(after.Value(0).titles, Titles{"Giám đốc Công an tỉnh"});
}

TEST(OfficialExtractorTest, FormerOffice) {
  Result r = Extract("Như nguyên Chủ tịch nước Đào Văn Tường từng căn dặn, dân vận là việc của cả hệ thống.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Đào Văn Tường");
  EXPECT_EQ(r.Value(0).titles, Titles{"Chủ tịch nước"});
  EXPECT_TRUE(r.Value(0).former);
  EXPECT_EQ(r.Span(0), "nguyên Chủ tịch nước Đào Văn Tường");

  Result after = Extract("Gặp mặt có Trịnh Đức Minh, nguyên Phó Chủ tịch UBND tỉnh.");
  ASSERT_EQ(after.facts.size(), 1u);
  EXPECT_TRUE(after.Value(0).former);
  EXPECT_EQ(after.Value(0).titles, Titles{"Phó Chủ tịch UBND tỉnh"});
}

TEST(OfficialExtractorTest, TitlesBeforeTheNameAndAfterIt) {
  Result r = Extract("Tỉnh ủy viên, Giám đốc Sở Nội vụ Kha Văn Thiện và Bí thư Tỉnh ủy Lê Đình Hào, Chủ tịch HĐND tỉnh dự lễ.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).name, "Kha Văn Thiện");
  EXPECT_EQ(r.Value(0).titles, (Titles{"Tỉnh ủy viên", "Giám đốc Sở Nội vụ"}));
  EXPECT_EQ(r.Rule(0), "official.titles_name");
  EXPECT_EQ(r.Value(1).name, "Lê Đình Hào");
  EXPECT_EQ(r.Value(1).titles, (Titles{"Bí thư Tỉnh ủy", "Chủ tịch HĐND tỉnh"}));
}

TEST(OfficialExtractorTest, NameInParentheses) {
  Result r = Extract("Ông Tô Văn Lâm (Phó Chủ tịch UBND huyện) đã trực tiếp đối thoại.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).name, "Tô Văn Lâm");
  EXPECT_EQ(r.Value(0).titles, Titles{"Phó Chủ tịch UBND huyện"});
  EXPECT_EQ(r.Rule(0), "official.name_paren_title");
}

TEST(OfficialExtractorTest, WhatIsNotAnOfficial) {
  for (const char* text : {
           "Nguyễn Thị Minh Thư",                                           // byline
           "(Ảnh: Võ Thành Công)",                                          // photo credit
           "Ông Lê Văn Sáu chia sẻ niềm vui khi con đường được mở rộng.",  // no title
           "Phó Chủ tịch UBND tỉnh đề nghị các sở khẩn trương vào cuộc.",  // no name
           "Bí thư Hà Nội cho biết thành phố sẽ tiếp tục đối thoại.",       // a place
           "Đoàn viên thi đua làm theo lời dạy và tư tưởng Hồ Chí Minh.",
           "Ban Tổ chức Tỉnh ủy và Ủy ban MTTQ Việt Nam tỉnh phối hợp thực hiện.",
           "Hội nghị có sự tham gia của Ban Bí thư Trung ương Đảng.",
           "Tại Hà Nam, các cấp ủy đã ban hành nhiều văn bản.",
       }) {
    Result r = Extract(text);
    EXPECT_TRUE(r.facts.empty()) << text << " -> " << (r.facts.empty() ? "" : r.Span(0));
  }
}

TEST(OfficialExtractorTest, NeverCrossesASentence) {
  Result r = Extract("Phát biểu có Phó Bí thư Tỉnh ủy.\nNguyễn Văn Thông cảm ơn các đại biểu.");
  EXPECT_TRUE(r.facts.empty());
  Result two = Extract("Chiều nay, Chủ tịch UBND huyện Lê Thị Xuân đến thăm.\nBí thư Huyện ủy Võ Đức Tài dự.");
  ASSERT_EQ(two.facts.size(), 2u);
  for (const Fact& f : two.facts) EXPECT_EQ(f.sentence, two.doc.SentenceAt(f.begin));
  EXPECT_NE(two.facts[0].sentence, two.facts[1].sentence);
}

TEST(OfficialExtractorTest, BylineAndBoilerplateSegmentsAreSkipped) {
  Document doc;
  doc.raw = "Bí thư Huyện ủy Lê Văn Quý\nBí thư Huyện ủy Lê Văn Quý\nBí thư Huyện ủy Lê Văn Quý\n";
  ASSERT_TRUE(Harness().normalizer().Normalize(&doc).ok());
  doc.sentences.clear();
  const uint32_t line = static_cast<uint32_t>(doc.text.find('\n') + 1);
  doc.sentences.push_back({0, line, SegmentKind::kBody});
  doc.sentences.push_back({line, 2 * line, SegmentKind::kByline});
  doc.sentences.push_back({2 * line, 3 * line, SegmentKind::kBoilerplate});
  const std::vector<Fact> facts = Harness().Extract(doc);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].sentence, 0u);
}

// A small article about Hải Phòng: bodies that leave out their place get it.
TEST(OfficialExtractorTest, OrganizationTakesTheArticlePlace) {
  Result r = Extract(
      "Sáng 5/3, Ban Dân vận Thành ủy tổ chức hội nghị giao ban.\n"
      "Dự hội nghị có các đồng chí: Đinh Văn Lâm, Phó Bí thư Thành ủy; Quách Thị Hoài, Chủ tịch "
      "Ủy ban MTTQ Việt Nam thành phố; Phí Văn Tú, Phó Trưởng Ban Tổ chức Trung ương.\n"
      "Phó Chủ tịch UBND TP Tăng Minh Huệ báo cáo tình hình kinh tế của thành phố Hải Phòng.\n"
      "Thành ủy viên Lã Văn Thuận cho biết thành phố Hải Phòng đã tổ chức nhiều cuộc đối thoại.\n");
  ASSERT_EQ(r.facts.size(), 5u);
  EXPECT_EQ(r.Value(0).org, "Thành ủy Hải Phòng");
  EXPECT_EQ(r.Value(1).org, "Ủy ban Mặt trận Tổ quốc Việt Nam thành phố Hải Phòng");
  EXPECT_EQ(r.Value(2).org, "Ban Tổ chức Trung ương");  // Trung ương bodies have no place
  EXPECT_EQ(r.Value(3).name, "Tăng Minh Huệ");
  EXPECT_EQ(r.Value(3).org, "Ủy ban nhân dân thành phố Hải Phòng");
  EXPECT_EQ(r.Value(4).org, "Thành ủy Hải Phòng");
}

TEST(OfficialExtractorTest, PlaceWrittenOutIsKeptAndCanonical) {
  Result r = Extract(
      "Chủ tịch UBND TPHCM Lê Hữu Toàn và Phó Bí thư Thành ủy TP.HCM Kim Văn Lộc dự lễ.\n"
      "Chủ tịch UBND TP Hà Nội Ứng Văn Tín phát biểu.");
  ASSERT_EQ(r.facts.size(), 3u);
  EXPECT_EQ(r.Value(0).org, "Ủy ban nhân dân Thành phố Hồ Chí Minh");
  EXPECT_EQ(r.Value(1).org, "Thành ủy Thành phố Hồ Chí Minh");
  EXPECT_EQ(r.Value(1).titles, Titles{"Phó Bí thư Thành ủy TP.HCM"});
  EXPECT_EQ(r.Value(2).org, "Ủy ban nhân dân thành phố Hà Nội");
}

TEST(OfficialExtractorTest, PlaceOfTheWrongLevelIsNotAdded) {
  // An article about a province: "Thành ủy" there is a provincial city's.
  Result r = Extract(
      "Tỉnh ủy Nghệ An chỉ đạo sát sao; UBND tỉnh Nghệ An ban hành kế hoạch.\n"
      "Phó Bí thư Thành ủy Khúc Văn Mạnh và Phó Bí thư Tỉnh ủy Mạc Thị Huyền dự họp.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).org, "Thành ủy");
  EXPECT_EQ(r.Value(1).org, "Tỉnh ủy Nghệ An");
}

TEST(OfficialExtractorTest, ADistrictNamedLikeAProvinceIsNotTheMainPlace) {
  // Quảng Bình has a district called Quảng Ninh, also a province's name.
  Result r = Extract(
      "Đoàn công tác kiểm tra việc khắc phục hậu quả mưa lũ tại Quảng Bình.\n"
      "Lũ làm hư hỏng nhiều nhà ở huyện Quảng Ninh, nhất là các xã ven sông của huyện Quảng Ninh.\n"
      "Phó Bí thư Tỉnh ủy Mai Văn Tường báo cáo tình hình ở Quảng Bình.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).org, "Tỉnh ủy Quảng Bình");
}

TEST(OfficialExtractorTest, IdeasNamedAfterAPersonDoNotMakeAMainPlace) {
  Result r = Extract(
      "Thanh niên noi theo tư tưởng Hồ Chí Minh trong mọi việc.\n"
      "Tấm gương Hồ Chí Minh sáng mãi.\n"
      "Bí thư Thành ủy Lê Công Hậu nhấn mạnh.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).org, "Thành ủy");
}

TEST(OfficialExtractorTest, DecomposedInputGivesTheSameFacts) {
  const std::string nfc =
      "Phó Bí thư Thường trực Thành uỷ Khổng Thị Bích Thuỷ phát biểu; Hoàng Quốc Hòa, "
      "Chủ tịch Uỷ ban MTTQ tỉnh dự.";
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(error);
  ASSERT_TRUE(U_SUCCESS(error));
  std::string decomposed;
  nfd->normalize(icu::UnicodeString::fromUTF8(nfc), error).toUTF8String(decomposed);
  ASSERT_TRUE(U_SUCCESS(error));
  ASSERT_NE(decomposed, nfc);
  Result a = Extract(nfc);
  Result b = Extract(decomposed);
  ASSERT_EQ(a.facts.size(), 2u);
  ASSERT_EQ(b.facts.size(), a.facts.size());
  for (size_t i = 0; i < a.facts.size(); ++i) {
    EXPECT_EQ(a.Value(i).name, b.Value(i).name);
    EXPECT_EQ(a.Value(i).titles, b.Value(i).titles);
    EXPECT_EQ(a.Value(i).org, b.Value(i).org);
  }
}

TEST(OfficialExtractorTest, LexiconErrorsNameFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vnfacts_official_lexicons_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::LexiconDir(), dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir / "titles.tsv", std::ios::app);
    out << "Trưởng đài\tboss\n";
  }
  auto bad = CreateOfficialExtractor(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("titles.tsv:"), std::string::npos) << bad.status().message();
  EXPECT_NE(bad.status().message().find("boss"), std::string::npos);

  std::filesystem::copy_file(testing::LexiconDir() / "titles.tsv", dir / "titles.tsv",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream out(dir / "surnames.txt", std::ios::app);
    out << "Nguyễn Văn\n";
  }
  auto two = CreateOfficialExtractor(dir);
  ASSERT_FALSE(two.ok());
  EXPECT_NE(two.status().message().find("surnames.txt:"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(OfficialExtractorTest, LexiconsAreDataAUserCanExtend) {
  Result before = Extract("Trưởng đài Khí tượng tỉnh Lê Văn Hiếu cảnh báo mưa lớn.");
  EXPECT_TRUE(before.facts.empty());
  const auto dir = std::filesystem::temp_directory_path() /
                   ("vnfacts_official_extend_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::LexiconDir(), dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir / "titles.tsv", std::ios::app);
    out << "Trưởng đài\thead\tĐài\n";
  }
  {
    std::ofstream out(dir / "middle_names.txt", std::ios::app);
    out << "Hữu\n";
  }
  auto extended = CreateOfficialExtractor(dir);
  ASSERT_TRUE(extended.ok()) << extended.status().message();
  std::vector<Fact> facts;
  (*extended)->Extract(before.doc, &facts);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(std::get<OfficialFact>(facts[0].value).titles, Titles{"Trưởng đài Khí tượng tỉnh"});
  // A middle name makes a run after a bare level word a person (see
  // MiddleNamesAfterALevelWord).
  Result middle = Extract("Chủ tịch UBND huyện Hàm Hữu Tâm yêu cầu kiểm điểm.");
  EXPECT_TRUE(middle.facts.empty());
  facts.clear();
  (*extended)->Extract(middle.doc, &facts);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(std::get<OfficialFact>(facts[0].value).name, "Hàm Hữu Tâm");
  std::filesystem::remove_all(dir);
}

// After a bare level word a run with a rare family name is a place; a middle
// name of middle_names.txt makes it a person (a user's entry: see
// LexiconsAreDataAUserCanExtend).
TEST(OfficialExtractorTest, MiddleNamesAfterALevelWord) {
  EXPECT_TRUE(Extract("Chủ tịch UBND huyện Hàm Thuận Nam yêu cầu kiểm điểm.").facts.empty());
  Result with_van = Extract("Chủ tịch UBND huyện Hàm Văn Tâm yêu cầu kiểm điểm.");
  ASSERT_EQ(with_van.facts.size(), 1u);
  EXPECT_EQ(std::get<OfficialFact>(with_van.facts[0].value).name, "Hàm Văn Tâm");
}

// The words that join a list of names and the rule variant a person cue
// selects are rows of person_cues.tsv, not words in code.
TEST(OfficialExtractorTest, ListJoinersAndCueRuleVariantsAreData) {
  const std::string list = "Dự có các Phó Chủ tịch UBND tỉnh: Lê Hồng Vinh cùng Bùi Thanh An.";
  Result before = Extract(list);
  ASSERT_EQ(before.facts.size(), 1u);
  Result sir = Extract("Thầy Nguyễn Văn Nam, Hiệu trưởng Trường THCS Kim Liên, phát biểu.");
  ASSERT_EQ(sir.facts.size(), 1u);
  EXPECT_EQ(sir.Rule(0), "official.name_comma_titles");

  const auto dir = std::filesystem::temp_directory_path() /
                   ("vnfacts_official_cues_" + std::to_string(::getpid()));
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::LexiconDir(), dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir / "person_cues.tsv", std::ios::app);
    out << "cùng\tjoiner\nthầy\tperson\tthay\n";
  }
  auto extended = CreateOfficialExtractor(dir);
  ASSERT_TRUE(extended.ok()) << extended.status().message();
  std::vector<Fact> facts;
  (*extended)->Extract(before.doc, &facts);
  ASSERT_EQ(facts.size(), 2u);
  EXPECT_EQ(std::get<OfficialFact>(facts[1].value).name, "Bùi Thanh An");
  facts.clear();
  (*extended)->Extract(sir.doc, &facts);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(facts[0].rule, "official.thay_name_titles");

  {
    std::ofstream out(dir / "person_cues.tsv", std::ios::app);
    out << "nguyên chủ nhiệm\tformer\tnguyen\n";
  }
  auto bad = CreateOfficialExtractor(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("person_cues.tsv:"), std::string::npos)
      << bad.status().message();
  std::filesystem::remove_all(dir);
}

std::string ReadSeed(const std::string& name) {
  std::ifstream in(std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus/seeds" / name);
  std::ostringstream s;
  s << in.rdbuf();
  return s.str();
}

// The sentence filter (OfficialLexicon::MayHoldOfficial) against the direct
// way: parsing every sentence finds the same facts, in the same order, on
// every sample article, every example and the seed articles.
TEST(OfficialExtractorTest, TheSentenceFilterLosesNoFact) {
  static const testing::ExtractorHarness unfiltered(&CreateUnfilteredOfficialExtractor);
  const std::filesystem::path root(VNFACTS_SOURCE_DIR);
  std::vector<std::string> texts;
  for (const auto& dir : {root / "corpus/articles", root / "corpus/examples",
                          std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus/seeds"}) {
    if (!std::filesystem::exists(dir)) continue;
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      std::ifstream in(entry.path(), std::ios::binary);
      std::ostringstream s;
      s << in.rdbuf();
      if (entry.path().extension() != ".tsv") {
        texts.push_back(s.str());
        continue;
      }
      // Examples one per line, each extracted on its own.
      std::istringstream lines(s.str());
      for (std::string line; std::getline(lines, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::string input = line.substr(line.find('\t') + 1);
        for (const char* mark : {"[[", "]]"}) {  // spans marked in some corpora
          for (size_t at; (at = input.find(mark)) != std::string::npos;) input.erase(at, 2);
        }
        texts.push_back(std::move(input));
      }
    }
  }
  size_t facts = 0;
  for (const std::string& text : texts) {
    const Result got = Extract(text);
    const Result want = unfiltered.Run<OfficialFact>(text);
    ASSERT_EQ(got.facts.size(), want.facts.size()) << text.substr(0, 200);
    for (size_t i = 0; i < got.facts.size(); ++i) {
      EXPECT_EQ(got.facts[i].begin, want.facts[i].begin);
      EXPECT_EQ(got.facts[i].end, want.facts[i].end);
      EXPECT_EQ(got.facts[i].sentence, want.facts[i].sentence);
      EXPECT_EQ(got.Rule(i), want.Rule(i));
      EXPECT_EQ(got.Value(i).name, want.Value(i).name);
      EXPECT_EQ(got.Value(i).titles, want.Value(i).titles);
      EXPECT_EQ(got.Value(i).org, want.Value(i).org);
      EXPECT_EQ(got.Value(i).former, want.Value(i).former);
      EXPECT_EQ(got.Value(i).ranks, want.Value(i).ranks);
    }
    facts += got.facts.size();
  }
  EXPECT_GT(texts.size(), 500u);
  EXPECT_GT(facts, 800u);
}

TEST(OfficialExtractorTest, SeedArticles) {
  const auto seeds = std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus/seeds";
  if (!std::filesystem::exists(seeds)) GTEST_SKIP() << "no seed articles at " << seeds;
  // The Hải Phòng article: a list of six officials, then the city's party
  // secretary named title-first; its byline is nobody's title.
  Result r = Extract(ReadSeed("002_967668768db597a5.txt"));
  int secretary = 0;
  for (size_t i = 0; i < r.facts.size(); ++i) {
    EXPECT_NE(r.Value(i).name, "Hoàng Tùng");
    if (r.Value(i).name == "Lê Tiến Châu" && r.Value(i).titles == Titles{"Bí thư Thành ủy"}) {
      ++secretary;
      EXPECT_EQ(r.Value(i).org, "Thành ủy Hải Phòng");
    }
  }
  EXPECT_EQ(secretary, 2);
  EXPECT_EQ(r.facts.size(), 10u);
  // The TPHCM article: titles before the name, and the list of the chairs.
  Result hcm = Extract(ReadSeed("004_3b90efacfee91103.txt"));
  EXPECT_EQ(hcm.facts.size(), 11u);
  for (size_t i = 0; i < hcm.facts.size(); ++i) {
    EXPECT_NE(hcm.Value(i).name, "Lâm Thạch Anh");
    EXPECT_NE(hcm.Value(i).name, "Hoàng Anh");
  }
}

}  // namespace
}  // namespace vnfacts
