// Unit tests for the document extractor: code shapes and their noise, what is
// read after a code (issue date, issuer, term, subject), back-references, and
// lexicon errors. Sentences are written for these tests; the seed articles are
// only read at run time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <set>
#include <sstream>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "tests/extractors/extractor_harness.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

using Result = testing::ExtractResult<DocumentFact>;

Result Extract(std::string_view text) {
  static const testing::ExtractorHarness harness(&CreateDocumentExtractor);
  Result r = harness.Run<DocumentFact>(text);
  for (const Fact& f : r.facts) EXPECT_EQ(f.kind, FactKind::kDocument);
  return r;
}

TEST(DocumentExtractorTest, ReadsIssueDateIssuerTermAndSubjectAfterTheCode) {
  Result r = Extract(
      "Các cấp ủy quán triệt Kết luận số 77-KL/TW, ngày 5/3/2020 của Bộ Chính trị khóa XII về "
      "đổi mới công tác cán bộ ở cơ sở.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Span(0), "Kết luận số 77-KL/TW");
  EXPECT_EQ(r.facts[0].rule, "document.party_code");
  const DocumentFact& d = r.Value(0);
  EXPECT_EQ(d.id, "77-KL/TW");
  EXPECT_EQ(d.type, "Kết luận");
  EXPECT_EQ(d.number, "77");
  EXPECT_EQ(d.issuer_code, "TW");
  EXPECT_EQ(d.issued, "2020-03-05");
  EXPECT_EQ(d.issuer, "Bộ Chính trị");
  EXPECT_EQ(d.term, "khóa XII");
  EXPECT_EQ(d.subject, "đổi mới công tác cán bộ ở cơ sở");
  EXPECT_FALSE(d.back_reference);
}

TEST(DocumentExtractorTest, ParenthesizedTermAndQuotedSubject) {
  Result r = Extract(
      "Tỉnh ủy quán triệt sâu rộng Nghị quyết số 33-NQ/TW của Ban Chấp hành Trung ương Đảng "
      "(Khóa XI) về \"Tăng cường công tác dân vận trong thời kỳ mới\" ở mọi cấp.");
  ASSERT_EQ(r.facts.size(), 1u);
  const DocumentFact& d = r.Value(0);
  EXPECT_EQ(d.issuer, "Ban Chấp hành Trung ương Đảng");
  EXPECT_EQ(d.term, "khóa XI");
  EXPECT_EQ(d.subject, "Tăng cường công tác dân vận trong thời kỳ mới");
  EXPECT_FALSE(d.issued.has_value());
}

TEST(DocumentExtractorTest, APlenumIsReadPastToTheBodyAndTerm) {
  // A plenum is an occasion of the Central Committee, not the issuer.
  Result r = Extract(
      "Thực hiện Kết luận số 21-KL/TW ngày 25/10/2021 của Hội nghị lần thứ tư Ban Chấp hành "
      "Trung ương Đảng khóa XIII về xây dựng, chỉnh đốn Đảng.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issuer, "Ban Chấp hành Trung ương Đảng");
  EXPECT_EQ(r.Value(0).term, "khóa XIII");
  EXPECT_EQ(r.Value(0).subject, "xây dựng, chỉnh đốn Đảng");
  // No body after the plenum's number: the code's issuer stands, the term is read.
  r = Extract("Thực hiện Nghị quyết số 18-NQ/TW của Hội nghị Trung ương 6 khóa XII về sắp xếp bộ máy.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issuer, "Trung ương");
  EXPECT_EQ(r.Value(0).term, "khóa XII");
  r = Extract("Nghị quyết số 18-NQ/TW của Hội nghị Trung ương lần thứ mười hai.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issuer, "Trung ương");
}

TEST(DocumentExtractorTest, CodesJoinedByAndShareTheTailOfTheLast) {
  Result r = Extract(
      "Tổng kết Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12/12/2013 của Bộ Chính "
      "trị (khóa XI).");
  ASSERT_EQ(r.facts.size(), 2u);
  for (size_t i = 0; i < 2; ++i) {
    EXPECT_EQ(r.Value(i).issued, "2013-12-12") << i;
    EXPECT_EQ(r.Value(i).issuer, "Bộ Chính trị") << i;
    EXPECT_EQ(r.Value(i).term, "khóa XI") << i;
  }
  // A list shares too; a code with a tail of its own, or another issuer, does not.
  r = Extract("Quán triệt Chỉ thị 05-CT/TW, Kết luận 01-KL/TW và Quy định 08-QĐi/TW của Bộ Chính "
              "trị về nêu gương.");
  ASSERT_EQ(r.facts.size(), 3u);
  EXPECT_EQ(r.Value(0).subject, "nêu gương");
  EXPECT_EQ(r.Value(1).issuer, "Bộ Chính trị");
  r = Extract("Quyết định số 217-QĐ/TW, ngày 5/1/2013, và Quyết định số 218-QĐ/TW ngày 12/12/2013 "
              "của Bộ Chính trị.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).issued, "2013-01-05");
  EXPECT_EQ(r.Value(0).issuer, "Trung ương");
  r = Extract("Thực hiện Nghị định 100/2019/NĐ-CP và Thông tư số 05/2020/TT-BGTVT ngày 5/3/2020 của "
              "Bộ Giao thông vận tải.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_FALSE(r.Value(0).issued.has_value());
  EXPECT_EQ(r.Value(0).issuer, "Chính phủ");
  EXPECT_EQ(r.Value(1).issuer, "Bộ Giao thông vận tải");
}

TEST(DocumentExtractorTest, AndBeforeACapitalStaysInsideTheIssuer) {
  Result r = Extract("Theo Thông tư 32/2020/TT-BGDĐT của Bộ Giáo dục và Đào tạo về điều lệ trường.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issuer, "Bộ Giáo dục và Đào tạo");
  EXPECT_EQ(r.Value(0).subject, "điều lệ trường");
  // Lower case after "và" still ends it.
  r = Extract("Theo Quy định 124-QĐ/TW của Bộ Chính trị và các văn bản hướng dẫn.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issuer, "Bộ Chính trị");
}

TEST(DocumentExtractorTest, ArabicTermIsStoredInRoman) {
  Result r = Extract("Luật số 47/2019/QH14 của Quốc hội khóa 14 về tổ chức chính quyền địa phương.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issuer, "Quốc hội");
  EXPECT_EQ(r.Value(0).term, "khóa XIV");
  r = Extract("Nghị quyết số 20-NQ/TW của Ban Chấp hành Trung ương khóa 123 về phát triển.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_FALSE(r.Value(0).term.has_value());
}

TEST(DocumentExtractorTest, IssueDateWrittenInWords) {
  Result r = Extract("Quyết định số 99-QĐ/TW ngày 15 tháng 10 năm 2022 đã được phổ biến.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Value(0).issued, "2022-10-15");
  EXPECT_EQ(r.Value(0).type, "Quyết định");
}

TEST(DocumentExtractorTest, InvalidIssueDateIsLeftOut) {
  Result r = Extract("Chỉ thị số 07-CT/TU, ngày 31/4/2021 được triển khai.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_FALSE(r.Value(0).issued.has_value());
}

TEST(DocumentExtractorTest, RemovesSpacingNoiseAndCanonicalizesIssuer) {
  const std::pair<const char*, const char*> cases[] = {
      {"Ban hành Quy định 124 -QĐ/TW trong toàn Đảng bộ.", "124-QĐ/TW"},
      {"Thành lập tổ công tác thực hiện Chỉ thị 15- CT/TU năm nay.", "15-CT/TU"},
      {"Tiếp tục thực hiện Chỉ thị số 40 – CT/TW của Ban Bí thư.", "40-CT/TW"},
      {"Tiếp tục thực hiện Chỉ thị số 40 - CT/TW của Ban Bí thư.", "40-CT/TW"},
      {"Quán triệt Chỉ thị số 35-CT/TƯ tới chi bộ.", "35-CT/TW"},
      {"Quán triệt Chỉ thị số 35-CT/T.Ư tới chi bộ.", "35-CT/TW"},
      {"Thực hiện Quy định 124-QĐ/ TW nghiêm túc.", "124-QĐ/TW"},
  };
  for (const auto& [text, id] : cases) {
    Result r = Extract(text);
    ASSERT_EQ(r.facts.size(), 1u) << text;
    EXPECT_EQ(r.Value(0).id, id) << text;
    const std::string_view want(id);
    EXPECT_EQ(r.Value(0).issuer_code, want.substr(want.find('/') + 1)) << text;
  }
}

TEST(DocumentExtractorTest, StateCodes) {
  struct Case {
    const char* text;
    const char* id;
    const char* type;
    const char* issuer_code;
  };
  const Case cases[] = {
      {"Thực hiện Chỉ thị số 16/CT-TTg của Thủ tướng.", "16/CT-TTg", "Chỉ thị", "TTg"},
      {"Áp dụng Nghị định số 100/2019/NĐ-CP trên địa bàn.", "100/2019/NĐ-CP", "Nghị định", "CP"},
      {"Theo Luật số 45/2019/QH14 thì người lao động được bảo vệ.", "45/2019/QH14", "Luật",
       "QH14"},
      {"UBND tỉnh ban hành Quyết định số 1234/QĐ-UBND hôm qua.", "1234/QĐ-UBND", "Quyết định",
       "UBND"},
      {"Văn bản dẫn 01/2020/TT-BNV làm căn cứ.", "01/2020/TT-BNV", "Thông tư", "BNV"},
      {"Sở gửi Công văn số 3456/UBND-VX tới các huyện.", "3456/UBND-VX", "Công văn", "UBND-VX"},
  };
  for (const Case& c : cases) {
    Result r = Extract(c.text);
    ASSERT_EQ(r.facts.size(), 1u) << c.text;
    EXPECT_EQ(r.facts[0].rule, "document.state_code") << c.text;
    EXPECT_EQ(r.Value(0).id, c.id) << c.text;
    EXPECT_EQ(r.Value(0).type, c.type) << c.text;
    EXPECT_EQ(r.Value(0).issuer_code, c.issuer_code) << c.text;
  }
}

TEST(DocumentExtractorTest, LawNameBetweenTypeWordAndNumber) {
  Result r = Extract("Các xã triển khai Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15 từ sớm.");
  ASSERT_EQ(r.facts.size(), 1u);
  EXPECT_EQ(r.Span(0), "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15");
  EXPECT_EQ(r.Value(0).type, "Luật");
}

TEST(DocumentExtractorTest, CodeWithoutTypeLettersNeedsATypeWord) {
  EXPECT_TRUE(Extract("Kết quả có 45/2019/QH14 phiếu hợp lệ.").facts.empty());
  EXPECT_TRUE(Extract("Mã hồ sơ 3456/UBND-VX được lưu.").facts.empty());
}

TEST(DocumentExtractorTest, TypeFromLettersWhenNoTypeWord) {
  Result r = Extract("Tinh thần 114-KL/TW và 16/CT-TTg được nhắc đến.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).type, "Kết luận");
  EXPECT_EQ(r.Span(0), "114-KL/TW");
  EXPECT_EQ(r.Value(1).type, "Chỉ thị");
}

TEST(DocumentExtractorTest, GenericTypeWordJoinsTheSpanButKeepsTheLetters) {
  Result r = Extract("Văn bản 114-KL/TW và văn bản số 2245/BDVTW-VP được nhắc đến.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Span(0), "Văn bản 114-KL/TW");
  EXPECT_EQ(r.Value(0).type, "Kết luận");
  EXPECT_EQ(r.Span(1), "văn bản số 2245/BDVTW-VP");
  EXPECT_EQ(r.Value(1).type, "Văn bản");
  EXPECT_EQ(r.Value(1).issuer_code, "BDVTW-VP");
}

TEST(DocumentExtractorTest, IssuerStopsAtCommaAndSubjectStopsBeforeTheNextDocument) {
  Result r = Extract(
      "Căn cứ Chỉ thị 16/CT-TTg của Thủ tướng Chính phủ, Kế hoạch số 31-KH/TU về nâng "
      "cao hiệu quả dân vận chính quyền và Công văn số 1213-CV/TU, ngày 19/6/2018 về chỉ đạo "
      "tăng cường, đổi mới công tác tiếp dân.");
  ASSERT_EQ(r.facts.size(), 3u);
  EXPECT_EQ(r.Value(0).issuer, "Thủ tướng Chính phủ");
  EXPECT_FALSE(r.Value(0).subject.has_value());
  EXPECT_EQ(r.Value(1).subject, "nâng cao hiệu quả dân vận chính quyền");
  EXPECT_EQ(r.Value(2).issued, "2018-06-19");
  EXPECT_EQ(r.Value(2).subject, "chỉ đạo tăng cường, đổi mới công tác tiếp dân");
}

TEST(DocumentExtractorTest, IssuerFromLexiconOnlyWhenUnambiguous) {
  Result r = Extract("Nghị định 145/2020/NĐ-CP và Kế hoạch số 12-KH/TU đã được phổ biến.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_EQ(r.Value(0).issuer, "Chính phủ");
  EXPECT_FALSE(r.Value(1).issuer.has_value());  // TU: Thành ủy or Tỉnh ủy
}

TEST(DocumentExtractorTest, BackReferenceLinksToEarlierCode) {
  Result r = Extract(
      "Thành ủy sơ kết Quy định số 124-QĐ/TW của Ban Bí thư.\nSau 5 năm, Quy định 124 đã đi "
      "vào cuộc sống.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_FALSE(r.Value(0).back_reference);
  EXPECT_EQ(r.Span(1), "Quy định 124");
  EXPECT_EQ(r.facts[1].rule, "document.back_reference");
  EXPECT_EQ(r.Value(1).id, "124-QĐ/TW");
  EXPECT_EQ(r.Value(1).type, "Quy định");
  EXPECT_TRUE(r.Value(1).back_reference);
  EXPECT_EQ(r.facts[1].sentence, r.doc.SentenceAt(r.facts[1].begin));
  EXPECT_NE(r.facts[0].sentence, r.facts[1].sentence);
}

TEST(DocumentExtractorTest, BackReferenceNeedsAnEarlierCodeOfTheSameType) {
  // The bare mention comes first: nothing to link to yet.
  Result before = Extract(
      "Quy định 124 đã đi vào cuộc sống.\nSau đó, Quy định số 124-QĐ/TW được sơ kết.");
  ASSERT_EQ(before.facts.size(), 1u);
  EXPECT_FALSE(before.Value(0).back_reference);
  // Same number, other type.
  Result other = Extract("Ban hành Chỉ thị số 15-CT/TU.\nQuy định 15 được sửa đổi.");
  ASSERT_EQ(other.facts.size(), 1u);
  // No code at all.
  EXPECT_TRUE(Extract("Quy định 124 được triển khai rộng khắp.").facts.empty());
}

TEST(DocumentExtractorTest, BackReferenceIgnoresLeadingZeros) {
  Result r = Extract("Ban hành Chỉ thị số 03-CT/TU.\nChỉ thị 3 được quán triệt tới chi bộ.");
  ASSERT_EQ(r.facts.size(), 2u);
  EXPECT_TRUE(r.Value(1).back_reference);
  EXPECT_EQ(r.Value(1).id, "03-CT/TU");
}

TEST(DocumentExtractorTest, NothingInTextWithoutCodes) {
  for (const char* text : {
           "Theo quy định của pháp luật, người dân có quyền khiếu nại.",
           "Sáng 19/12, hội nghị được tổ chức tại 12/10 Lê Lợi.",
           "Tỷ số 3-1 và mã 12-AB/CD không phải văn bản.",
           "Hồ sơ 12/QĐ thiếu cơ quan ban hành.",
           "",
       }) {
    EXPECT_TRUE(Extract(text).facts.empty()) << text;
  }
}

TEST(DocumentExtractorTest, LexiconErrorsNameFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "vnfacts_doc_lexicon_test";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(testing::LexiconDir(), dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir / "document_words.tsv", std::ios::app);
    out << "rồi\tnot_a_role\n";
  }
  auto bad = CreateDocumentExtractor(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("document_words.tsv:"), std::string::npos)
      << bad.status().message();
  EXPECT_NE(bad.status().message().find("not_a_role"), std::string::npos);
  std::filesystem::remove_all(dir);
}

using test_files::ReadFile;

TEST(DocumentExtractorTest, FindsEveryCodeInTheSeedArticles) {
  const std::filesystem::path seeds = std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus/seeds";
  if (!std::filesystem::exists(seeds)) GTEST_SKIP() << "no seed articles at " << seeds;
  std::multiset<std::string> ids;
  for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
    Result r = Extract(ReadFile(entry.path()));
    for (size_t i = 0; i < r.facts.size(); ++i) ids.insert(r.Value(i).id);
  }
  for (const char* id : {"124-QĐ/TW", "15-CT/TU", "24-CT/TU", "114-KL/TW", "43-KL/TW",
                         "158-KH/TU", "25-NQ/TW", "03-CT/TU", "16/CT-TTg", "1213-CV/TU",
                         "218-QĐ/TW", "11-QĐi/TW"}) {
    EXPECT_TRUE(ids.count(id)) << id;
  }
  EXPECT_EQ(ids.count("124-QĐ/TW"), 4u);  // one full mention, three with noise
}

}  // namespace
}  // namespace vnfacts
