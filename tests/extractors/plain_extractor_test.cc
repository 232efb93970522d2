// The date and document extractors skip, before running their patterns,
// positions and sentences that cannot hold what the patterns match (the
// numbers a date needs, the bytes after a number a code needs). Each skip
// must never drop a fact: these tests run both extractors with and without
// the skips (CreatePlain...Extractor tries every pattern the plain way) over
// every sample article, the seeds, every example row and hand-made shapes
// near the edges of the checks, and want the same facts.
#include <gtest/gtest.h>

#include <filesystem>
#include <memory>
#include <sstream>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "extractors/fact_json.h"
#include "pipeline/normalizer.h"
#include "pipeline/sentence_splitter.h"
#include "tests/extractors/extractor_harness.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

struct Stages {
  Normalizer normalizer;
  SentenceSplitter splitter;
  std::unique_ptr<Extractor> documents, plain_documents, dates, plain_dates;
};

const Stages& TheStages() {
  static const Stages* stages = [] {
    const auto& dir = testing::LexiconDir();
    auto normalizer = Normalizer::Create(dir);
    auto splitter = SentenceSplitter::Create(dir);
    auto documents = CreateDocumentExtractor(dir);
    auto plain_documents = CreatePlainDocumentExtractor(dir);
    auto dates = CreateDateExtractor(dir);
    auto plain_dates = CreatePlainDateExtractor(dir);
    if (!normalizer.ok() || !splitter.ok() || !documents.ok() || !plain_documents.ok() ||
        !dates.ok() || !plain_dates.ok()) {
      ADD_FAILURE() << "cannot build the stages";
      std::abort();
    }
    return new Stages{std::move(normalizer).value(), std::move(splitter).value(),
                      std::move(documents).value(), std::move(plain_documents).value(),
                      std::move(dates).value(), std::move(plain_dates).value()};
  }();
  return *stages;
}

std::string Describe(const Document& doc, const std::vector<Fact>& facts) {
  std::string out;
  for (const Fact& f : facts) out += FactToJson(doc, f).dump() + "\n";
  return out;
}

// Runs the document extractor and then the date extractor (which leaves
// alone what the first found), with and without their skips; returns the
// number of facts.
size_t ExpectSameFacts(const std::string& raw, const std::string& where) {
  const Stages& st = TheStages();
  Document doc;
  doc.source = where;
  doc.raw = raw;
  EXPECT_TRUE(st.normalizer.Normalize(&doc).ok()) << where;
  st.splitter.Split(&doc);
  std::vector<Fact> fast, plain;
  st.documents->Extract(doc, &fast);
  st.plain_documents->Extract(doc, &plain);
  EXPECT_EQ(Describe(doc, fast), Describe(doc, plain)) << "documents in " << where;
  // The date extractors both see the document facts of the plain one.
  std::vector<Fact> fast_dates = plain, plain_dates = plain;
  st.dates->Extract(doc, &fast_dates);
  st.plain_dates->Extract(doc, &plain_dates);
  EXPECT_EQ(Describe(doc, fast_dates), Describe(doc, plain_dates)) << "dates in " << where;
  return plain_dates.size();
}

TEST(PlainExtractorTest, SameFactsInEverySampleArticleAndSeed) {
  const std::filesystem::path root(VNFACTS_SOURCE_DIR);
  size_t articles = 0, facts = 0;
  std::vector<std::filesystem::path> dirs = {root / "corpus" / "articles"};
  const std::filesystem::path seeds = std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus" / "seeds";
  if (std::filesystem::exists(seeds)) dirs.push_back(seeds);
  for (const auto& dir : dirs) {
    for (const auto& entry : std::filesystem::directory_iterator(dir)) {
      if (!entry.is_regular_file() || entry.path().extension() == ".tsv") continue;
      facts += ExpectSameFacts(test_files::ReadFile(entry.path()), entry.path().string());
      ++articles;
    }
  }
  EXPECT_GT(articles, 80u);
  EXPECT_GT(facts, 1000u);  // documents and dates of all kinds
}

TEST(PlainExtractorTest, SameFactsInEveryExampleRow) {
  const std::filesystem::path examples = std::filesystem::path(VNFACTS_SOURCE_DIR) / "corpus" / "examples";
  size_t rows = 0;
  for (const auto& entry : std::filesystem::directory_iterator(examples)) {
    std::istringstream lines(test_files::ReadFile(entry.path()));
    std::string line;
    while (std::getline(lines, line)) {
      if (line.empty() || line[0] == '#') continue;
      const size_t tab = line.find('\t');
      std::string input = tab == std::string::npos ? line : line.substr(tab + 1);
      for (const char* mark : {"[[", "]]"}) {
        for (size_t at; (at = input.find(mark)) != std::string::npos;) input.erase(at, 2);
      }
      ExpectSameFacts(input, entry.path().filename().string() + ": " + input);
      ++rows;
    }
  }
  EXPECT_GT(rows, 900u);
}

// Shapes at the edges of the checks: numbers of every length before every
// sign the patterns know, phrases in other cases and glued to brackets,
// Roman numerals that end a word or do not, codes with odd spacing.
TEST(PlainExtractorTest, SameFactsAtTheEdgesOfTheChecks) {
  const std::vector<std::string> numbers = {"1", "12", "123", "2023", "20235", "0"};
  const std::vector<std::string> signs = {"/", "-", ".", " ", "  ", ",", ":", "\u2013", " / ", " -"};
  std::string text;
  for (const std::string& a : numbers) {
    for (const std::string& sign : signs) {
      for (const std::string& b : numbers) {
        text += "Ngày " + a + sign + b + sign + "2024, " + a + sign + b + " năm " + b + ". ";
      }
    }
  }
  ExpectSameFacts(text, "numbers and signs");
  for (const char* shape : {
           "(ngày 5/3) và “tháng 12/2023”, [năm 2025] THÁNG 9 Tháng Ba",
           "quý III, quý II/2024, Quý IV năm 2023, quý IIII, quý IL, quý Iva",
           "khóa XII, Khóa XIIa, Đại hội XIII, đại hội lần thứ 20, lần thứ XX; nhiệm kỳ 2020-2025",
           "Hội đồng nhân dân tỉnh khóa 18 và Quốc hội khóa 15 (khóa 19)",
           "6 tháng đầu năm 2024, 6 tháng cuối năm, 11 tháng năm 2024, 3 tháng, 15 năm qua",
           "từ ngày 8 đến ngày 10/12, 8 - 10/12/2023, ngày 24 và 25/7/2024, tối 20 và 21/12",
           "từ năm 2009 đến nay, từ 2015 đến hết tháng 6 năm 2023, 2014-2023, 2035 mô hình",
           "Thứ Hai, 19/12 và Chủ nhật 25/12; 1/2 nhiệm kỳ, 2/3 số đại biểu, 1.000 người, 2,5%",
           "Năm Giáp Tý 1984, trong 2025, trong 2000 hộ, mỗi tháng 1 lần, tháng 9 hằng năm",
           "Quyết định số 124-QĐ/TW, 124 -QĐ/TW, 15- CT/TU, 15\u2013 CT/TU, 11-QĐi/TW, 7-NQ /TW",
           "16/CT-TTg, 100/2019/NĐ-CP, 100 / 2019 / NĐ-CP, Luật số 45/2019/QH14, 17/HĐNVQS, 12/10/2023",
           "Văn bản số 1234/UBND-VX; Quy định 124 và Chỉ thị 3; Nghị định 100; Quyết định 124 -QĐ/TW",
           "Việt Nam, Lê Văn Long, XVII Xuân, I am V, L",
           // Back-references: a type word and a number in every case and
           // spacing, words between them, glued to a letter, a sign or a
           // longer code, as the first words before the number or further.
           "Quy định số 124-QĐ/TW ngày 12/3/2020 của Bộ Chính trị. Quy định 124 và quy định  số"
           "  124, (Quy định 124), “Quy định 124”, QUY ĐỊNH SỐ 124; xQuy định 124, Quy định 124abc,"
           " Quy định 124/QĐ, Quy định 124 -QĐ, Quy định mới 124, theo Quy định 0124. Quy định 12",
           "Thông tư liên tịch số 07/2019/TTLT-BTC ngày 1/2/2019. Thông tư liên tịch số 7, Thông"
           " tư liên tịch 07, thông  tư   liên tịch  số 7, tư liên tịch 7, liên tịch 7, Thông tư 7",
           "Kết luận số 5-KL/TW rồi Kết luận 5, \u212Aết luận 5, \u212AẾT LUẬN số 05, kết luận\u00A05,"
           " Kết luận số số 5, Kết luận  5,5 và Kết luận 5.1, Kết luận 5 -, Kết luận 5",
           // What follows a code: issue dates, terms, issuers, subjects.
           "Quyết định số 12-QĐ/TW, ngày 12/3/2020; Quyết định số 13-QĐ/TW,ngày 12/3/2020;"
           " Quyết định số 14-QĐ/TW  ngày 12-3-2020; Quyết định số 15-QĐ/TW ban hành ngày 12"
           " tháng 3 năm 2020; 16-QĐ/TW NGÀY 1/1/2021; 17-QĐ/TW ,ngày 1/1/2021; 18-QĐ/TW;ngày"
           " 1/1/2021; 19-QĐ/TW ngày 31/2/2021; 20-QĐ/TW Ngày 1/13/2021; 21-QĐ/TW ngày 1/1/20211",
           "Nghị quyết số 19-NQ/TW khóa XII, Nghị quyết số 20-NQ/TW, khóa XII, Nghị quyết số"
           " 21-NQ/TW (Khóa XI), Nghị quyết số 22-NQ/TW ( khóa XI ), Nghị quyết số 23-NQ/TW"
           " ,(khóa X), Nghị quyết số 24-NQ/TW (, khóa X), Nghị quyết số 25-NQ/TW của Quốc hội"
           " KHÓA 14, Nghị quyết 26-NQ/TW \u212Ahóa XII, Nghị quyết 27-NQ/TW ,, khóa XII",
           "Chỉ thị số 05-CT/TW của Bộ Chính trị về đẩy mạnh học tập, làm theo tư tưởng, trong"
           " đó có nêu; Chỉ thị 06-CT/TW của Hội nghị Trung ương 6 khóa XII về công tác cán bộ",
           // Numbers before every sign a rule that starts with its number
           // has after it, and longer ones.
           "ngày 2023-10-05 và 2023-1-5, 20231-10-05, 12.10.2023, 5.10, 9 tháng 2 năm 2024,"
           " quý 2/2024, năm 2024, NĂM 2024, 123/2024, 12/2024, 1-2024, 2024-2025, 7  tháng"
           " 3, 6 tháng đầu năm, 12 tháng 12, 3 năm 2024, 03/2024, 0/2024, 45/2019/QH14",
           // Datelines: a weekday or a time, spacing, longer numbers.
           "Thứ Ba, 10/10/2023 16:35\nNgày 19/12 có họp.",
           "THỨ HAI  ,  9/10/2023\nTháng 12 năm nay.",
           "110/10/2023 16:35\nSáng 19/12.",
           "Thứ 2,10/10/2023\nTối 19/12.",
           "Chủ nhật 31/2/2023 10:00\n3/3/2023 - 10:00\nngày 5/4",
           "12/13/2023 10:00\n\nNgày 1/1/2024 08:00\nngày 5/4",
           "Hà Nội 1/1/2024\nthứ Tư 1/1/2024\nngày 5/4",
           "Tin mới\n\n\n\nThứ Ba, 10/10/2023 16:35\nngày 5/4",
           // State codes next to what is no code.
           "A100/2019/NĐ-CP, 1.100/2019/NĐ-CP, 12345/2019/NĐ-CP, 100/20190/NĐ-CP, 100 /  2019"
           " /NĐ-CP, 05/CT-TTg, 5/ĐA-UBND, 3/đa, 7 / QĐ-UBND, Nghị định 100/NĐ-CP-x",
       }) {
    ExpectSameFacts(shape, shape);
  }
}

}  // namespace
}  // namespace vnfacts
