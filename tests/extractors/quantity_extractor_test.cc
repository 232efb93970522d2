// Unit tests of the quantity extractor. Most build a Document by hand (one
// sentence per line, no tokens) and run only this extractor, so they test its
// own number parsing and safety checks whatever state the other stages are in;
// one test runs the whole text pipeline over the real seed articles.
#include <gtest/gtest.h>


#include <algorithm>
#include <charconv>
#include <cmath>
#include <filesystem>
#include <fstream>
#include <initializer_list>
#include <sstream>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/text_pipeline.h"

namespace vnfacts {
namespace {

const std::filesystem::path kLexicons = std::filesystem::path(VNFACTS_SOURCE_DIR) / "lexicons";

const Extractor& QuantityExtractor() {
  static const std::unique_ptr<Extractor> extractor = [] {
    auto e = CreateQuantityExtractor(kLexicons);
    if (!e.ok()) {
      ADD_FAILURE() << e.status().message();
      return std::unique_ptr<Extractor>();
    }
    return std::move(e).value();
  }();
  return *extractor;
}

// One sentence per line, as the placeholder splitter does; no tokens.
Document MakeDocument(const std::string& text) {
  Document doc;
  doc.source = "test";
  doc.raw = text;
  doc.text = text;
  doc.offsets.AddCopy(static_cast<uint32_t>(text.size()));
  uint32_t begin = 0;
  for (uint32_t i = 0; i < text.size(); ++i) {
    if (text[i] == '\n') {
      doc.sentences.push_back({begin, i + 1});
      begin = i + 1;
    }
  }
  if (begin < text.size() || doc.sentences.empty()) {
    doc.sentences.push_back({begin, static_cast<uint32_t>(text.size())});
  }
  return doc;
}

struct Found {
  std::string text;
  QuantityFact q;
  std::string rule;
  uint32_t sentence;
};

std::vector<Found> Quantities(Document& doc) {
  std::vector<Fact> facts = doc.facts;
  const size_t before = facts.size();
  QuantityExtractor().Extract(doc, &facts);
  std::vector<Found> out;
  for (size_t i = before; i < facts.size(); ++i) {
    const Fact& f = facts[i];
    EXPECT_EQ(f.kind, FactKind::kQuantity);
    EXPECT_LE(f.begin, f.end);
    EXPECT_LE(f.end, doc.text.size());
    out.push_back({std::string(doc.Slice(f.begin, f.end)), std::get<QuantityFact>(f.value), f.rule,
                   f.sentence});
  }
  return out;
}

std::vector<Found> Quantities(const std::string& text) {
  Document doc = MakeDocument(text);
  return Quantities(doc);
}

// The single quantity in `text`; fails the test when there is not exactly one.
Found One(const std::string& text) {
  auto found = Quantities(text);
  EXPECT_EQ(found.size(), 1u) << text;
  if (found.empty()) return {};
  return found[0];
}

// Each text yields one quantity with this span and approximation.
struct SpanCase {
  const char* text;
  const char* span;
  Approx approx;
};
void ExpectSpans(std::initializer_list<SpanCase> cases) {
  for (const SpanCase& c : cases) {
    Found f = One(c.text);
    EXPECT_EQ(f.text, c.span) << c.text;
    EXPECT_EQ(f.q.approx, c.approx) << c.text;
  }
}

TEST(QuantityExtractorTest, ReadsThousandsGroupsAndTheDecimalComma) {
  Found f = One("Toàn tỉnh có 1.234.567,5 tấn lúa.");
  EXPECT_EQ(f.text, "1.234.567,5 tấn");
  EXPECT_EQ(f.q.value, 1234567.5);
  EXPECT_EQ(f.q.decimals, 1);
  EXPECT_EQ(f.q.unit, "tấn");

  f = One("Diện tích còn lại chỉ 0,5 ha.");
  EXPECT_EQ(f.q.value, 0.5);
  EXPECT_EQ(f.q.decimals, 1);

  f = One("Các cấp đã ban hành 15.295 văn bản chỉ đạo.");
  EXPECT_EQ(f.q.value, 15295);
  EXPECT_EQ(f.q.decimals, 0);
}

TEST(QuantityExtractorTest, TrailingQualifierOnlyWhenNoneBeforeTheNumber) {
  ExpectSpans({
      {"Toàn huyện có 1.200 lượt trở lên tham gia.", "1.200 lượt trở lên", Approx::kOver},
      // A qualifier before the number decides; the words after stay outside.
      {"Có gần 300 người trở lên dự họp.", "gần 300 người", Approx::kUnder},
      // "trở lại" is not in the table: "5 năm trở lại đây" is a span of time.
      {"Trong 5 năm trở lại đây tình hình ổn định.", "5 năm", Approx::kExact},
  });
}

TEST(QuantityExtractorTest, RangesInWordsAreNotOneFigure) {
  // The upper end alone would be stored as an exact figure the text never gave.
  EXPECT_TRUE(Quantities("Mỗi hộ được hỗ trợ từ 5 đến 7 triệu đồng.").empty());
  EXPECT_TRUE(Quantities("Giá tăng 10 tới 15% so với cùng kỳ.").empty());
  // Nor when both ends carry the unit, with words between them.
  EXPECT_TRUE(Quantities("Các bị cáo còn lại nhận từ 2 năm đến 6 năm tù.").empty());
  EXPECT_TRUE(Quantities("Tai nạn tập trung trong khung giờ từ 18 giờ đến 24 giờ.").empty());
  EXPECT_TRUE(Quantities("Mỗi suất trị giá từ 500 nghìn đến 1 triệu đồng.").empty());
  EXPECT_TRUE(Quantities("Số ca mắc còn tăng trong 4 đến 6 tuần tới.").empty());
  // A change names two figures; "đến" after a word is no range (nor after a
  // year, which the date extractor claims first: see corpus/examples).
  std::vector<Found> found = Quantities("Mức hỗ trợ tăng từ 5 triệu đồng đến 7 triệu đồng.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].text, "7 triệu đồng");
  found = Quantities("Đoàn đã đi 5 chuyến đến 7 tỉnh miền núi.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].text, "7 tỉnh");
  // Range and change words in any case.
  EXPECT_TRUE(Quantities("Mức hỗ trợ TỪ 5 ĐẾN 7 triệu đồng mỗi tháng.").empty());
  EXPECT_TRUE(Quantities("Mức hỗ trợ Từ 5 Tới 7 triệu đồng mỗi tháng.").empty());
  EXPECT_EQ(Quantities("Giá TĂNG TỪ 5 triệu đồng ĐẾN 7 triệu đồng.").size(), 2u);
}

TEST(QuantityExtractorTest, AFigureGoesOnAfterTheUnitOfTheOneBefore) {
  // "năm" and "giờ" before a number usually make it a date or a time; right
  // after a figure they are its unit.
  std::vector<Found> found = Quantities("Bị cáo nhận 8 năm 6 tháng tù.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].text, "6 tháng");
  EXPECT_TRUE(Quantities("Trong năm 6 tháng đầu năm, tỉnh làm tốt.").empty());
}

TEST(QuantityExtractorTest, ScaledDecimalsAreExact) {
  Found f = One("Quỹ hỗ trợ 1,2 triệu đồng cho mỗi hộ");
  EXPECT_EQ(f.q.value, 1200000.0);  // exactly, not 1199999.9999
  EXPECT_EQ(f.q.unit, "đồng");
  EXPECT_EQ(f.rule, "quantity.money");

  f = One("Tổng vốn đạt 3.500 tỷ, tăng so với dự kiến");
  EXPECT_EQ(f.q.value, 3.5e12);
  EXPECT_EQ(f.q.unit, "đồng");
  EXPECT_EQ(f.rule, "quantity.money_implied");

  f = One("Công trình được đầu tư 0,75 tỷ đồng");
  EXPECT_EQ(f.q.value, 750000000.0);
}

TEST(QuantityExtractorTest, HugeNumbersNeitherCrashNorOverflow) {
  Found f = One("Con số 99.999.999.999.999.999.999 tỷ đồng là vô lý");
  EXPECT_TRUE(std::isfinite(f.q.value));
  EXPECT_NEAR(f.q.value / 1e29, 1.0, 1e-9);  // 20 digits times 1e9
  EXPECT_EQ(f.q.unit, "đồng");

  // A run of digits far longer than any figure is noise.
  EXPECT_TRUE(Quantities(std::string(400, '9') + " người").empty());
  // Scale words repeated without end stop the numeral.
  std::string many = "5";
  for (int i = 0; i < 200; ++i) many += " nghìn tỷ";
  many += " đồng";
  EXPECT_NO_FATAL_FAILURE(Quantities(many));
  for (const Found& x : Quantities(many)) EXPECT_TRUE(std::isfinite(x.q.value));
}

TEST(QuantityExtractorTest, PercentGluedSpacedOrInWords) {
  Found f = One("thu nhập bình quân tăng khoảng 40%.");
  EXPECT_EQ(f.text, "khoảng 40%");
  EXPECT_EQ(f.q.value, 40);
  EXPECT_EQ(f.q.unit, "%");
  EXPECT_EQ(f.q.approx, Approx::kAbout);
  EXPECT_EQ(f.rule, "quantity.percent");

  f = One("tỷ lệ hộ nghèo còn 2,35 %");
  EXPECT_EQ(f.text, "2,35 %");
  EXPECT_EQ(f.q.value, 2.35);
  EXPECT_EQ(f.q.decimals, 2);

  f = One("tỷ lệ đạt 95 phần trăm");
  EXPECT_EQ(f.q.unit, "%");
}

TEST(QuantityExtractorTest, TrailingSentencePeriodIsNotPartOfTheNumber) {
  Found f = One("Đến nay toàn thành phố có 2.035 mô hình.");
  EXPECT_EQ(f.text, "2.035 mô hình");
  EXPECT_EQ(f.q.value, 2035);
  f = One("Tổng số hội nghị là 318 cuộc.");
  EXPECT_EQ(f.q.value, 318);
  // "1.5" and "15.29" are not Vietnamese numbers.
  EXPECT_TRUE(Quantities("phiên bản 1.5 người dùng").empty());
  EXPECT_TRUE(Quantities("có 15.29 người").empty());
}

TEST(QuantityExtractorTest, QualifiersSetApproxAndStartTheSpan) {
  ExpectSpans({
      {"đã có hơn 3.000 người tham gia", "hơn 3.000 người", Approx::kOver},
      {"xây dựng trên 120 mô hình", "trên 120 mô hình", Approx::kOver},
      {"còn gần 500 hộ nghèo", "gần 500 hộ", Approx::kUnder},
      {"chưa đến 1.000 lượt khách", "chưa đến 1.000 lượt", Approx::kUnder},
      {"tổ chức khoảng 60 buổi", "khoảng 60 buổi", Approx::kAbout},
      {"huy động xấp xỉ 2 tỷ đồng", "xấp xỉ 2 tỷ đồng", Approx::kAbout},
      {"gần như 100% hộ dân đồng thuận", "gần như 100%", Approx::kAbout},
      {"người dưới 18 tuổi", "dưới 18 tuổi", Approx::kUnder},
      {"Hơn 4.500 cử tri", "Hơn 4.500 cử tri", Approx::kOver},
  });
}

// Phrases are found by their first or last syllable first: a phrase must
// still match whatever its length, in any case, beside shorter phrases that
// share that syllable ("hơn", "ít hơn", "không ít hơn").
TEST(QuantityExtractorTest, PhrasesMatchWhateverTheirLengthAndCase) {
  ExpectSpans({
      {"có không ít hơn 20 người dự", "không ít hơn 20 người", Approx::kOver},
      {"có ít hơn 20 người dự", "ít hơn 20 người", Approx::kUnder},
      {"có KHÔNG ÍT HƠN 20 NGƯỜI dự", "KHÔNG ÍT HƠN 20 NGƯỜI", Approx::kOver},
      {"huy động XẤP XỈ 2 TỶ ĐỒNG", "XẤP XỈ 2 TỶ ĐỒNG", Approx::kAbout},
      {"có 29.208 Mô Hình được đăng ký", "29.208 Mô Hình", Approx::kExact},
  });
  EXPECT_EQ(One("huy động XẤP XỈ 2 TỶ ĐỒNG").q.unit, "đồng");
  EXPECT_EQ(One("có 29.208 Mô Hình được đăng ký").q.unit, "mô hình");
  // A capitalized context phrase matches only as written.
  EXPECT_TRUE(Quantities("theo Quyết định 15 người dự").empty());
  EXPECT_EQ(One("theo quyết định 15 người dự").text, "15 người");
}

// The syllable before a number is read back letter by letter: Vietnamese
// letters of two and three bytes, other letters (through ICU) and signs
// that are no letters all end it where they should.
TEST(QuantityExtractorTest, TheSyllableBeforeANumberEndsAtTheFirstNonLetter) {
  ExpectSpans({
      {"tổ chức KHOẢNG 60 buổi", "KHOẢNG 60 buổi", Approx::kAbout},
      {"tổ chức ƯỚC KHOẢNG 60 buổi", "ƯỚC KHOẢNG 60 buổi", Approx::kAbout},
      // A sign glued before the qualifier is no part of its syllable ...
      {"tổ chức \u00d7khoảng 60 buổi", "khoảng 60 buổi", Approx::kAbout},
      {"tổ chức \u00f7khoảng 60 buổi", "khoảng 60 buổi", Approx::kAbout},
      {"tổ chức \u2014khoảng 60 buổi", "khoảng 60 buổi", Approx::kAbout},
      // ... but a letter is, in any script: "ωkhoảng" is no qualifier.
      {"tổ chức \u03c9khoảng 60 buổi", "60 buổi", Approx::kExact},
      {"tổ chức \u0111khoảng 60 buổi", "60 buổi", Approx::kExact},
      {"tổ chức \u01b0khoảng 60 buổi", "60 buổi", Approx::kExact},
      {"tổ chức \u1ef9khoảng 60 buổi", "60 buổi", Approx::kExact},
      {"tổ chức xkhoảng 60 buổi", "60 buổi", Approx::kExact},
  });
}

// A unit after '/' that is neither in the lexicon nor a word the segmenter
// knows is kept lower-cased, however long.
TEST(QuantityExtractorTest, LongRateUnitsAreLowerCasedWhole) {
  std::string upper, lower;
  for (int i = 0; i < 150; ++i) {
    upper += "\u0102";  // Ă
    lower += "\u0103";  // ă
  }
  Found f = One("hỗ trợ 5 triệu đồng/" + upper + " mỗi tháng");
  EXPECT_EQ(f.q.unit, "đồng/" + lower);
  EXPECT_EQ(f.q.value, 5000000);
}

TEST(QuantityExtractorTest, PrepositionsAndVerbsAreNotQualifiers) {
  ExpectSpans({
      // "trên" before a domain noun means "on": exactly four fields.
      {"triển khai đồng bộ trên 4 lĩnh vực: kinh tế, văn hóa", "4 lĩnh vực", Approx::kExact},
      // Exact phrases stay out of the span and stop a shorter qualifier.
      {"thu ngân sách đạt 98,7% kế hoạch năm", "98,7%", Approx::kExact},
      {"giá trị cao hơn 5% so với cùng kỳ", "5%", Approx::kExact},
      {"Ban Dân vận tròn 40 năm thành lập", "40 năm", Approx::kExact},
  });
}

TEST(QuantityExtractorTest, PercentagesSayWhatTheyAreOf) {
  auto found = Quantities("tổ chức 2.299 hội nghị (bằng 86,3% so với cả giai đoạn trước).");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].q.value, 2299);
  EXPECT_FALSE(found[0].q.of.has_value());
  EXPECT_EQ(found[1].q.value, 86.3);
  EXPECT_EQ(found[1].q.decimals, 1);
  EXPECT_EQ(found[1].q.of, "cả giai đoạn trước");

  Found f = One("thu ngân sách đạt 98,7% kế hoạch");
  EXPECT_EQ(f.q.of, "kế hoạch");
  f = One("100% các xã, phường có mô hình tiêu biểu");
  EXPECT_EQ(f.q.of, "xã, phường");
  f = One("kim ngạch tăng 12,5% so với năm 2022, đạt mức cao");
  EXPECT_EQ(f.q.of, "năm 2022");
  f = One("chỉ số hài lòng tăng 3,2% so với quý II/2023.");
  EXPECT_EQ(f.q.of, "quý II/2023");
  found = Quantities("bằng 112,4% so với giai đoạn 2016 - 2020 (1.641 hội nghị)");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].q.of, "giai đoạn 2016 - 2020");
  // The base may open the clause before the figure.
  found = Quantities("So với cùng kỳ năm 2023 (1.099 hội nghị), số hội nghị tăng 12,5%.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[1].q.of, "cùng kỳ năm 2023");
  EXPECT_EQ(One("SO VỚI cùng kỳ năm 2023, số hội nghị tăng 12,5%.").q.of, "cùng kỳ năm 2023");
  // Only where it opens a clause.
  EXPECT_FALSE(One("Nếu so với cùng kỳ năm 2023, số hội nghị tăng 12,5%.").q.of.has_value());
  // ... but a "so với" right after an earlier figure belongs to that one.
  found = Quantities("tăng 5% so với năm trước, riêng quý IV tăng 9%");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].q.of, "năm trước");
  EXPECT_FALSE(found[1].q.of.has_value());
  f = One("thu nhập tăng khoảng 40%. Thành phố dành nguồn lực");
  EXPECT_FALSE(f.q.of.has_value());
  found = Quantities("tỷ lệ tăng 40% trong 5 năm qua");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_FALSE(found[0].q.of.has_value());
}

TEST(QuantityExtractorTest, UnitIsTheLongestHeadNoun) {
  Found f = One("có 29.208 mô hình \"Dân vận khéo\" được đăng ký");
  EXPECT_EQ(f.q.unit, "mô hình");
  EXPECT_EQ(f.text, "29.208 mô hình");
  f = One("tặng Bằng khen cho 20 tập thể có thành tích");
  EXPECT_EQ(f.q.unit, "tập thể");
  f = One("biểu dương 12 đồng chí");
  EXPECT_EQ(f.q.unit, "đồng chí");  // not the currency "đồng"
  f = One("tiếp nhận 50.000 bộ lấy mẫu xét nghiệm");
  EXPECT_EQ(f.q.unit, "bộ");
  f = One("hỗ trợ 4,5 triệu đồng/người/tháng");
  EXPECT_EQ(f.q.unit, "đồng/người/tháng");
  f = One("khoản vay 2,5 triệu USD");
  EXPECT_EQ(f.q.unit, "USD");
  EXPECT_EQ(f.q.value, 2500000);
}

TEST(QuantityExtractorTest, UnknownNounsFallBackToTheNextWord) {
  Found f = One("đã trao 75 ghế đá cho khu dân cư");
  EXPECT_EQ(f.q.unit, "ghế");
  EXPECT_EQ(f.rule, "quantity.number_next_word");
  // With a segmenter, the whole word is the unit.
  Document doc = MakeDocument("đã trao 75 ghế đá cho khu dân cư");
  const uint32_t b = static_cast<uint32_t>(doc.text.find("ghế"));
  const uint32_t e = static_cast<uint32_t>(doc.text.find(" cho"));
  doc.words = {{b, e, 0, 2}};
  doc.sentences[0].first_word = 0;
  doc.sentences[0].end_word = 1;
  auto found = Quantities(doc);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].q.unit, "ghế đá");
  EXPECT_EQ(found[0].text, "75 ghế đá");
  // Verbs, prepositions and names are never units.
  EXPECT_TRUE(Quantities("theo Quy định 124 của Ban Bí thư").empty());
  EXPECT_TRUE(Quantities("chỉ tiêu 5 được giao").empty());
  EXPECT_TRUE(Quantities("sản phẩm iPhone 15 Pro").empty());
}

TEST(QuantityExtractorTest, NumberWords) {
  Found f = One("Năm 2020, thành phố tổ chức hai hội nghị đối thoại");
  EXPECT_EQ(f.q.value, 2);
  EXPECT_EQ(f.q.unit, "hội nghị");
  EXPECT_EQ(f.rule, "quantity.number_word");
  EXPECT_EQ(One("huy động một nghìn người").q.value, 1000);
  EXPECT_EQ(One("sau mười hai tháng").q.value, 12);
  EXPECT_EQ(One("hai mươi lăm năm").q.value, 25);
  EXPECT_EQ(One("hai mươi năm qua").q.value, 20);
  EXPECT_EQ(One("hai trăm năm").q.value, 200);
  EXPECT_EQ(One("một trăm linh năm hộ").q.value, 105);
  EXPECT_EQ(One("hai triệu rưỡi đồng").q.value, 2500000);
  EXPECT_EQ(One("năm nghìn tỷ đồng").q.value, 5e12);
  EXPECT_EQ(One("một tỷ hai trăm triệu đồng").q.value, 1.2e9);
  EXPECT_EQ(One("1 tỷ 200 triệu đồng").q.value, 1.2e9);
  // Vague amounts and the article "một" are not counts.
  EXPECT_TRUE(Quantities("Hàng trăm người dân tham gia").empty());
  EXPECT_TRUE(Quantities("vài nghìn hộ").empty());
  EXPECT_TRUE(Quantities("là một trong những địa phương dẫn đầu").empty());
  EXPECT_TRUE(Quantities("đã tổ chức một hội nghị").empty());
  EXPECT_TRUE(Quantities("Hằng năm người dân đóng góp ngày công").empty());
  EXPECT_TRUE(Quantities("Thứ Ba, hội nghị khai mạc").empty());
  EXPECT_TRUE(Quantities("lần thứ hai hội nghị").empty());
}

TEST(QuantityExtractorTest, DurationsCountButPeriodsDoNot) {
  Found f = One("Hội nghị sơ kết 5 năm thực hiện Quy định");
  EXPECT_EQ(f.q.unit, "năm");
  EXPECT_EQ(f.rule, "quantity.duration");
  EXPECT_EQ(One("kỷ niệm 40 năm Ngày thành lập").q.value, 40);
  EXPECT_TRUE(Quantities("6 tháng đầu năm 2024, công tác dân vận").empty());
  EXPECT_TRUE(Quantities("trong 6 tháng cuối năm, cần tập trung").empty());
  EXPECT_TRUE(Quantities("năm 2020 thành phố").empty());
}

TEST(QuantityExtractorTest, DatesCodesOrdinalsAndTermsAreNotQuantities) {
  const char* lines[] = {
      "Năm 2019, Huyện ủy tập trung chỉ đạo",
      "Từ năm 2011 đến nay",
      "Sáng 21/3, Ban Dân vận tổ chức hội nghị",
      "ngày 15 tháng 10 năm 2024 tại hội trường",
      "theo Quy định số 124-QĐ/TW của Ban Bí thư",
      "Chỉ thị 15- CT/TU và Kết luận 114 -KL/TW",
      "Nghị định 100/2019/NĐ-CP",
      "lần thứ 3 tổ chức diễn đàn",
      "khóa XII",
      "Dịch Covid-19 khiến hoạt động",
      "Sau 1/2 nhiệm kỳ, nhiều chỉ tiêu về đích",
      "lúc 16:30 cùng ngày",
      "số điện thoại 0912 345 678 của Ban",
      "Đường dây nóng 0243.825.111 hoạt động",
      "Giai đoạn 2015 - 2020 đánh dấu chuyển biến",
      "Từ năm 2014-2023, thu nhập tăng",
      "(12/10/1983-12/10/2023)",
      "Phường 3, Quận 5",
      "Học sinh lớp 12 của trường",
      "Trong 2025, cần tập trung",
      "biển số 29A-123.45",
      "giảm 5 - 10 người",
  };
  for (const char* line : lines) {
    auto found = Quantities(line);
    EXPECT_TRUE(found.empty()) << line << " -> " << found[0].text;
  }
}

TEST(QuantityExtractorTest, NumbersClaimedByEarlierExtractorsAreLeftAlone) {
  Document doc = MakeDocument("Sơ kết 5 năm thực hiện; có 20 tập thể");
  Fact date;
  date.kind = FactKind::kDate;
  date.begin = static_cast<uint32_t>(doc.text.find("5 năm"));
  date.end = date.begin + 6;
  date.value = DateFact{"2020/2025", false};
  doc.facts.push_back(date);
  auto found = Quantities(doc);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].q.unit, "tập thể");
}

TEST(QuantityExtractorTest, NeverCrossesSentencesAndRecordsTheSentence) {
  auto found = Quantities("Đến nay có 15\nvăn bản mới được ban hành.");
  EXPECT_TRUE(found.empty());
  found = Quantities("Dòng đầu.\nDòng hai có 7 xã.\nDòng ba có 9 phường.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].sentence, 1u);
  EXPECT_EQ(found[1].sentence, 2u);
}

TEST(QuantityExtractorTest, HostileInputDoesNotCrash) {
  const std::string inputs[] = {
      "",
      "9",
      "%",
      "hơn",
      "1.",
      "1,",
      "1.000.",
      ",5 người",
      "5%%%",
      "tỷ tỷ tỷ",
      "hai mươi",
      "nửa",
      std::string("5 \xC3\xA0\xCC\x80 người"),
      std::string(100000, '1'),
      "1 " + std::string(50000, 'a'),
  };
  for (const std::string& s : inputs) {
    auto found = Quantities(s);
    for (const Found& f : found) EXPECT_TRUE(std::isfinite(f.q.value)) << s;
  }
}

TEST(QuantityExtractorTest, LexiconErrorsNameFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "vnfacts_quantity_lexicons";
  std::filesystem::remove_all(dir);
  std::filesystem::create_directories(dir);
  for (const char* name :
       {"units.tsv", "number_words.tsv", "quantity_qualifiers.tsv", "quantity_context.tsv"}) {
    std::filesystem::copy_file(kLexicons / name, dir / name);
  }
  {
    std::ofstream out(dir / "units.tsv", std::ios::app);
    out << "ghế\tghế\tfurniture\n";
  }
  auto e = CreateQuantityExtractor(dir);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("units.tsv:"), std::string::npos) << e.status().message();
  EXPECT_NE(e.status().message().find("furniture"), std::string::npos);

  std::filesystem::copy_file(kLexicons / "units.tsv", dir / "units.tsv",
                             std::filesystem::copy_options::overwrite_existing);
  {
    std::ofstream out(dir / "number_words.tsv", std::ios::app);
    out << "lố\t12\tscale\n";
  }
  e = CreateQuantityExtractor(dir);
  ASSERT_FALSE(e.ok());
  EXPECT_NE(e.status().message().find("power of ten"), std::string::npos) << e.status().message();
  std::filesystem::remove_all(dir);
}

// `run` and `extract` segment words only when asked (TextPipelineOptions::
// words_on_demand): the extractor asks for the words of a sentence where it
// guesses a unit, and must get the words segmenting the whole document
// gives, so the quantities are the same either way.
TEST(QuantityExtractorTest, WordsOnDemandGiveTheSameQuantities) {
  TextPipelineOptions on_demand;
  on_demand.words_on_demand = true;
  auto eager = TextPipeline::Create({});
  auto lazy = TextPipeline::Create(on_demand);
  ASSERT_TRUE(eager.ok() && lazy.ok());
  auto process = [](const TextPipeline& pipeline, const std::string& text) {
    Document doc;
    doc.source = "test";
    doc.raw = text;
    EXPECT_TRUE(pipeline.Process(&doc).ok());
    return doc;
  };
  auto same = [](const std::vector<Found>& a, const std::vector<Found>& b) {
    if (a.size() != b.size()) return false;
    for (size_t i = 0; i < a.size(); ++i) {
      if (a[i].text != b[i].text || a[i].q.value != b[i].q.value || a[i].q.unit != b[i].q.unit ||
          a[i].rule != b[i].rule || a[i].sentence != b[i].sentence) {
        return false;
      }
    }
    return true;
  };
  // A unit of two syllables only the segmenter knows is one word.
  const std::string candidates = "Năm nay tỉnh có gần 1.300 thí sinh dự thi.";
  Document lazy_candidates = process(*lazy, candidates);
  EXPECT_TRUE(lazy_candidates.words.empty());
  EXPECT_TRUE(lazy_candidates.tokens.empty());
  EXPECT_EQ(lazy_candidates.word_source, &*lazy);
  const std::vector<Found> found = Quantities(lazy_candidates);
  ASSERT_EQ(found.size(), 1u);
  EXPECT_EQ(found[0].q.unit, "thí sinh");
  Document eager_candidates = process(*eager, candidates);
  EXPECT_EQ(eager_candidates.word_source, nullptr);
  EXPECT_TRUE(same(Quantities(eager_candidates), found));
  // Without words the guess stops at the first syllable: the words matter.
  lazy_candidates.word_source = nullptr;
  const std::vector<Found> without = Quantities(lazy_candidates);
  ASSERT_EQ(without.size(), 1u);
  EXPECT_EQ(without[0].q.unit, "thí");

  size_t articles = 0, quantities = 0;
  const std::filesystem::path corpus = std::filesystem::path(VNFACTS_SOURCE_DIR) / "corpus/articles";
  for (const auto& entry : std::filesystem::directory_iterator(corpus)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Document a = process(*eager, buffer.str());
    Document b = process(*lazy, buffer.str());
    const std::vector<Found> qa = Quantities(a);
    EXPECT_TRUE(same(qa, Quantities(b))) << entry.path();
    ++articles;
    quantities += qa.size();
  }
  EXPECT_GT(articles, 10u);
  EXPECT_GT(quantities, 100u);
}

// Makes the words of a sentence when asked, as a text pipeline with
// words_on_demand does, and counts how often it is asked.
class CountingWordSource : public SentenceWordSource {
 public:
  explicit CountingWordSource(const TextPipeline& pipeline) : pipeline_(pipeline) {}
  void MakeSentenceWords(const Document& doc, const Sentence& sentence, std::vector<Token>* tokens,
                         std::vector<Word>* words) const override {
    ++asked;
    pipeline_.MakeSentenceWords(doc, sentence, tokens, words);
  }
  mutable int asked = 0;

 private:
  const TextPipeline& pipeline_;
};

// A guessed unit that no letter follows (after spaces, in its sentence) is
// one word whatever the segmenter says, so the words are not asked for; with
// a letter after it they are, and the unit may be the longer word.
TEST(QuantityExtractorTest, WordsAreAskedForOnlyWhenALetterFollowsTheGuess) {
  TextPipelineOptions on_demand;
  on_demand.words_on_demand = true;
  auto lazy = TextPipeline::Create(on_demand);
  auto pipeline = TextPipeline::Create({});
  ASSERT_TRUE(lazy.ok() && pipeline.ok());
  CountingWordSource source(*lazy);
  struct Case {
    const char* text;
    const char* unit;
    int asked;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"Năm nay tỉnh có gần 1.300 thí sinh dự thi.", "thí sinh", 1},
           {"Năm nay tỉnh có gần 1.300 thí.", "thí", 0},
           {"Năm nay tỉnh có gần 1.300 thí", "thí", 0},
           {"Năm nay tỉnh có gần 1.300 thí   ", "thí", 0},
           {"Năm nay tỉnh có gần 1.300 thí, 20 thí sinh.", "thí", 1},
           {"Năm nay tỉnh có gần 1.300 thí (2024).", "thí", 0},
           {"Năm nay tỉnh có gần 1.300 thí \u201cgiỏi\u201d.", "thí", 0},
           {"Năm nay tỉnh có gần 1.300 thí đạt.", "thí", 1},
       }) {
    Document doc;
    doc.source = "test";
    doc.raw = c.text;
    ASSERT_TRUE(lazy->Process(&doc).ok());
    doc.word_source = &source;
    source.asked = 0;
    const std::vector<Found> found = Quantities(doc);
    ASSERT_FALSE(found.empty()) << c.text;
    EXPECT_EQ(found[0].q.unit, c.unit) << c.text;
    EXPECT_EQ(source.asked, c.asked) << c.text;
    // The same quantities as with every sentence's words made up front.
    Document eager;
    eager.source = "test";
    eager.raw = c.text;
    ASSERT_TRUE(pipeline->Process(&eager).ok());
    const std::vector<Found> expected = Quantities(eager);
    ASSERT_EQ(found.size(), expected.size()) << c.text;
    for (size_t i = 0; i < found.size(); ++i) {
      EXPECT_EQ(found[i].text, expected[i].text) << c.text;
      EXPECT_EQ(found[i].q.unit, expected[i].q.unit) << c.text;
    }
  }
}

// Values are what std::from_chars reads from the digits and the power of
// ten, also where the exact fast path ends (15 digits, 10^22) and past it.
TEST(QuantityExtractorTest, ValuesAreTheNearestDoubleToTheDecimal) {
  auto from_chars = [](const std::string& decimal) {
    double v = 0;
    std::from_chars(decimal.data(), decimal.data() + decimal.size(), v);
    return v;
  };
  struct Case {
    const char* text;
    const char* decimal;
  };
  for (const Case& c : std::initializer_list<Case>{
           {"Lãi suất 0,1% một năm.", "0.1"},
           {"Giá 1,2 triệu đồng.", "1.2e6"},
           {"Thu 3,3 tỷ đồng.", "3.3e9"},
           {"Nặng 33,33333333333333 tấn.", "33.33333333333333"},      // 16 digits
           {"Nặng 3,33333333333333 tấn.", "3.33333333333333"},        // 15 digits
           {"Thu 999.999.999.999.999 đồng.", "999999999999999"},      // 15 digits
           {"Thu 9.007.199.254.740.993 đồng.", "9007199254740993"},  // 2^53 + 1
           {"Nặng 0,000000000000000000001 tấn.", "1e-21"},
           {"Nặng 0,00000000000000000000001 tấn.", "1e-23"},
           {"Thu 1,5 nghìn tỷ đồng.", "1.5e12"},
       }) {
    Found f = One(c.text);
    EXPECT_EQ(f.q.value, from_chars(c.decimal)) << c.text;
  }
}

// Letters are read without ICU only in the ranges ICU calls letters: the
// signs U+00D7 and U+00F7, a dash or a quotation mark end a syllable, so a
// number word glued after one is read as a word of its own.
TEST(QuantityExtractorTest, SignsBetweenLettersEndTheSyllable) {
  EXPECT_EQ(One("Tổng\u2013hai nghìn người dự.").text, "hai nghìn người");
  EXPECT_EQ(One("Tổng\u00d7hai nghìn người dự.").text, "hai nghìn người");
  EXPECT_EQ(One("Tổng\u00f7hai nghìn người dự.").text, "hai nghìn người");
  // Letters of the fast ranges go on with the syllable: "khai" holds no "hai".
  EXPECT_TRUE(Quantities("Ông khai nghìn điều.").empty());
  EXPECT_TRUE(Quantities("Ông ưhai nghìn điều.").empty());
  EXPECT_TRUE(Quantities("Ông ệhai nghìn điều.").empty());
}

// The seed articles through the whole text pipeline: the figures the
// cross-checks of issue 5 need are all there, with their units.
TEST(QuantityExtractorTest, FindsTheFiguresOfTheSeedArticles) {
  const std::filesystem::path seeds = std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus/seeds";
  if (!std::filesystem::exists(seeds)) GTEST_SKIP() << "no seed articles at " << seeds;
  auto pipeline = TextPipeline::Create({});
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  auto extract = [&](const char* name) {
    std::ifstream in(seeds / name, std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Document doc;
    doc.source = name;
    doc.raw = buffer.str();
    EXPECT_TRUE(pipeline->Process(&doc).ok());
    std::vector<std::pair<double, std::string>> got;
    for (const Found& f : Quantities(doc)) got.emplace_back(f.q.value, f.q.unit);
    return got;
  };
  auto contains = [](const auto& got, double value, const std::string& unit) {
    return std::find(got.begin(), got.end(), std::make_pair(value, unit)) != got.end();
  };
  auto hanoi = extract("000_18c5863c2d7b0242.txt");
  for (double v : {160013.0, 29208.0, 89971.0, 21586.0, 27248.0}) {
    EXPECT_TRUE(contains(hanoi, v, "mô hình")) << v;
  }
  EXPECT_TRUE(contains(hanoi, 15295, "văn bản"));
  EXPECT_TRUE(contains(hanoi, 40, "%"));
  EXPECT_FALSE(contains(hanoi, 2025, "cần"));
  auto province = extract("001_955713e2ee09973e.txt");
  EXPECT_TRUE(contains(province, 2668, "mô hình"));
  EXPECT_TRUE(contains(province, 1994, "điển hình"));
  EXPECT_TRUE(contains(province, 1132, "điển hình"));
  auto haiphong = extract("002_967668768db597a5.txt");
  EXPECT_TRUE(contains(haiphong, 2299, "hội nghị"));
  EXPECT_TRUE(contains(haiphong, 86.3, "%"));
  auto caption = extract("003_58c12caae10f10d0.txt");
  EXPECT_TRUE(contains(caption, 5e9, "đồng"));
  EXPECT_TRUE(contains(caption, 2, "hội nghị"));
  auto hcm = extract("004_3b90efacfee91103.txt");
  EXPECT_TRUE(hcm.empty()) << hcm.size() << " quantities in an article with only periods";
}

}  // namespace
}  // namespace vnfacts

namespace vnfacts {
namespace {

TEST(QuantityExtractorTest, OneListedAfterACountIsACount) {
  // "một" is an article ("một nghị quyết quan trọng") unless it is listed
  // after another count of the sentence.
  const std::vector<Found> found = Quantities("Quốc hội thông qua ba luật và một nghị quyết.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].q.value, 3);
  EXPECT_EQ(found[1].text, "một nghị quyết");
  EXPECT_EQ(found[1].q.value, 1);
  EXPECT_EQ(found[1].q.unit, "nghị quyết");
  EXPECT_TRUE(Quantities("Đây là một nghị quyết quan trọng.").empty());
  EXPECT_TRUE(Quantities("Có 5 tập thể và một số cá nhân được khen.").size() == 1);
}

TEST(QuantityExtractorTest, APartBeforeItsWholeCountsTheWholesUnit) {
  const std::vector<Found> found = Quantities("Huyện đạt và vượt 18 trong tổng số 20 chỉ tiêu.");
  ASSERT_EQ(found.size(), 2u);
  EXPECT_EQ(found[0].text, "18");
  EXPECT_EQ(found[0].q.unit, "chỉ tiêu");
  EXPECT_EQ(found[0].q.value, 18);
  EXPECT_EQ(found[1].q.value, 20);
  // A whole that is no counted unit (a span of time) leaves the part alone.
  const std::vector<Found> years = Quantities("Có 3 trong số 10 năm qua.");
  ASSERT_EQ(years.size(), 1u);
  EXPECT_EQ(years[0].q.value, 10);
}

}  // namespace
}  // namespace vnfacts
