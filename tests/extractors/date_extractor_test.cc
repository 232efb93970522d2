// Unit tests for the date extractor (dates, periods, terms): spans that leave
// out time-of-day words, inference of the year from the article date or its
// dateline, fractions and invalid dates that are no dates, terms that are never
// dates, codes that are never dates, and the Roman numeral rule. Sentences are
// written for these tests; the seed articles are only read at run time.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>

#include "extractors/extractor.h"
#include "extractors/extractor_util.h"
#include "pipeline/normalizer.h"
#include "pipeline/roman_numeral.h"
#include "pipeline/sentence_splitter.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

const std::filesystem::path kLexicons = std::filesystem::path(VNFACTS_SOURCE_DIR) / "lexicons";

struct Stages {
  Normalizer normalizer;
  SentenceSplitter splitter;
  std::unique_ptr<Extractor> documents;
  std::unique_ptr<Extractor> dates;
};

const Stages& GetStages() {
  static const Stages* stages = [] {
    auto normalizer = Normalizer::Create(kLexicons);
    auto splitter = SentenceSplitter::Create(kLexicons);
    auto documents = CreateDocumentExtractor(kLexicons);
    auto dates = CreateDateExtractor(kLexicons);
    if (!normalizer.ok() || !splitter.ok() || !documents.ok() || !dates.ok()) {
      ADD_FAILURE() << "cannot build stages: " << normalizer.status().message()
                    << splitter.status().message() << documents.status().message()
                    << dates.status().message();
      std::abort();
    }
    return new Stages{std::move(normalizer).value(), std::move(splitter).value(),
                      std::move(documents).value(), std::move(dates).value()};
  }();
  return *stages;
}

struct Found {
  std::string kind;  // "date" or "term"
  std::string span;
  std::string value;  // ISO value, or the term value
  bool inferred = false;
  std::string rule;
  uint32_t sentence = 0;
};

// Runs the document extractor first, as ExtractorSet does, so codes are taken
// before dates are looked for; returns only date and term facts.
std::vector<Found> Extract(std::string_view text,
                           std::optional<CivilDate> reference = std::nullopt) {
  const Stages& s = GetStages();
  Document doc;
  doc.source = "test";
  doc.raw = std::string(text);
  doc.reference_date = reference;
  EXPECT_TRUE(s.normalizer.Normalize(&doc).ok());
  s.splitter.Split(&doc);
  std::vector<Fact> facts;
  s.documents->Extract(doc, &facts);
  s.dates->Extract(doc, &facts);
  std::vector<Found> out;
  for (const Fact& f : facts) {
    Found x;
    x.span = std::string(doc.Slice(f.begin, f.end));
    x.rule = f.rule;
    x.sentence = f.sentence;
    if (f.kind == FactKind::kDate) {
      x.kind = "date";
      x.value = std::get<DateFact>(f.value).value;
      x.inferred = std::get<DateFact>(f.value).inferred;
    } else if (f.kind == FactKind::kTerm) {
      x.kind = "term";
      x.value = std::to_string(std::get<TermFact>(f.value).value);
    } else {
      continue;
    }
    out.push_back(x);
  }
  return out;
}

std::vector<Found> Dates(std::string_view text, std::optional<CivilDate> reference = std::nullopt) {
  std::vector<Found> all = Extract(text, reference);
  std::vector<Found> dates;
  for (Found& f : all) {
    if (f.kind == "date") dates.push_back(f);
  }
  return dates;
}

TEST(RomanNumeralTest, ParsesCanonicalNumeralsOnly) {
  EXPECT_EQ(ParseRomanNumeral("XII"), 12);
  EXPECT_EQ(ParseRomanNumeral("XIV"), 14);
  EXPECT_EQ(ParseRomanNumeral("XVI"), 16);
  EXPECT_EQ(ParseRomanNumeral("IX"), 9);
  EXPECT_EQ(ParseRomanNumeral("XL"), 40);
  EXPECT_EQ(ParseRomanNumeral("I"), 1);
  EXPECT_FALSE(ParseRomanNumeral("IIII"));
  EXPECT_FALSE(ParseRomanNumeral("VX"));
  EXPECT_FALSE(ParseRomanNumeral("IL"));
  EXPECT_FALSE(ParseRomanNumeral("XIIV"));
  EXPECT_FALSE(ParseRomanNumeral(""));
  EXPECT_FALSE(ParseRomanNumeral("xii"));
}

TEST(RomanNumeralTest, FormatsWhatItParses) {
  EXPECT_EQ(FormatRomanNumeral(14), "XIV");
  EXPECT_EQ(FormatRomanNumeral(19), "XIX");
  EXPECT_EQ(FormatRomanNumeral(0), "");
  EXPECT_EQ(FormatRomanNumeral(4000), "");
  for (int n = 1; n < 4000; ++n) EXPECT_EQ(ParseRomanNumeral(FormatRomanNumeral(n)), n) << n;
}

TEST(DateExtractorTest, DaypartIsACueButNotPartOfTheSpan) {
  auto d = Dates("Sáng 19/12, Thành ủy tổ chức hội nghị sơ kết.");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].span, "19/12");
  EXPECT_EQ(d[0].value, "--12-19");
  EXPECT_FALSE(d[0].inferred);
  EXPECT_EQ(d[0].rule, "date.day_month");
}

TEST(DateExtractorTest, BareDaysShareTheMonthOfTheDateThatEndsThem) {
  // A range: one interval.
  auto d = Dates("Hội nghị diễn ra từ ngày 8 đến ngày 10/12/2023 tại Hà Nội.");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].value, "2023-12-08/2023-12-10");
  EXPECT_EQ(d[0].span, "từ ngày 8 đến ngày 10/12/2023");
  EXPECT_EQ(d[0].rule, "date.day_range");
  // A list: one date per day, and the last day-month is a date too.
  d = Dates("Trong hai ngày 16 và 17/3, đoàn làm việc tại cơ sở.", CivilDate{2024, 3, 1});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].value, "2024-03-16");
  EXPECT_EQ(d[0].span, "ngày 16");
  EXPECT_EQ(d[1].value, "2024-03-17");
  d = Dates("Các ngày 24, 25 và 26/7/2024, đoàn làm việc.");
  ASSERT_EQ(d.size(), 3u);
  EXPECT_EQ(d[1].value, "2024-07-25");
  d = Dates("Hai chương trình được tổ chức vào tối 20 và 21/12.", CivilDate{2024, 12, 12});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].value, "2024-12-20");
  EXPECT_EQ(d[1].value, "2024-12-21");
  // Neither without "ngày" or a cue before a day-month that is no date by
  // itself, nor when the first day is not the earlier one.
  EXPECT_TRUE(Dates("Có 3 và 5/7 chỉ tiêu đạt.").empty());
  d = Dates("Từ ngày 12 đến ngày 10/12/2023 không có hội nghị.");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].value, "2023-12-10");
}

TEST(DateExtractorTest, WeekdayBeforeACommaIsACue) {
  auto d = Dates("Thứ Hai, 19/12 các đoàn viên ra quân dọn vệ sinh.");
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].span, "19/12");
  EXPECT_TRUE(Dates("Phòng 19/12, tầng hai.").empty());
}

TEST(DateExtractorTest, DayMonthTakesTheYearOfTheArticle) {
  auto d = Dates("Chiều 28/6, Ban Dân vận tổ chức hội nghị giao ban.", CivilDate{2024, 6, 28});
  ASSERT_EQ(d.size(), 1u);
  EXPECT_EQ(d[0].value, "2024-06-28");
  EXPECT_TRUE(d[0].inferred);
  EXPECT_EQ(d[0].rule, "date.day_month_inferred");
}

TEST(DateExtractorTest, InferredYearIsTheNearestOne) {
  auto late = Dates("Ngày 28/12, đoàn công tác về thăm cơ sở.", CivilDate{2024, 1, 5});
  ASSERT_EQ(late.size(), 1u);
  EXPECT_EQ(late[0].value, "2023-12-28");
  auto early = Dates("Ngày 5/1, hội nghị sẽ khai mạc.", CivilDate{2023, 12, 20});
  ASSERT_EQ(early.size(), 1u);
  EXPECT_EQ(early[0].value, "2024-01-05");
}

TEST(DateExtractorTest, DayMonthRightAfterAYearTakesThatYear) {
  // A deadline in the year just named, not the nearest 30/11 to the article.
  auto d = Dates("Giải ngân hết vốn năm 2025 trước ngày 30/11.", CivilDate{2025, 1, 10});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].value, "2025-11-30");
  EXPECT_TRUE(d[1].inferred);
  // Across a comma, or more than two words on, the article's date decides.
  auto comma = Dates("Năm 2023, ngày 19/12 là ngày họp.", CivilDate{2025, 1, 10});
  ASSERT_EQ(comma.size(), 2u);
  EXPECT_EQ(comma[1].value, "2024-12-19");
  auto far = Dates("Năm 2023 có nhiều sự kiện vào tháng 5.", CivilDate{2025, 1, 10});
  ASSERT_EQ(far.size(), 2u);
  EXPECT_EQ(far[1].value, "2024-05");
}

TEST(DateExtractorTest, EndsOfDifferentPrecisionNeedAFromWordToBeAnInterval) {
  // The capital of 2024, to be paid out by the end of January 2025.
  auto two = Dates("Tỉnh giải ngân kế hoạch vốn năm 2024 đến hết tháng 1/2025.");
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].value, "2024");
  EXPECT_EQ(two[1].value, "2025-01");
  auto one = Dates("Thời gian thực hiện từ năm 2024 đến hết tháng 1/2025.");
  ASSERT_EQ(one.size(), 1u);
  EXPECT_EQ(one[0].value, "2024/2025-01");
  auto days = Dates("Hội chợ diễn ra ngày 8 đến ngày 10/12/2024.");
  ASSERT_EQ(days.size(), 1u);
  EXPECT_EQ(days[0].value, "2024-12-08/2024-12-10");
}

TEST(DateExtractorTest, MonthsListedBeforeOneWithAYearShareIt) {
  auto two = Dates("Mặn sẽ tăng trong tháng 3 và tháng 4/2025.", CivilDate{2024, 11, 2});
  ASSERT_EQ(two.size(), 2u);
  EXPECT_EQ(two[0].value, "2025-03");
  EXPECT_FALSE(two[0].inferred);
  auto wrap = Dates("Cao điểm là tháng 12 và tháng 1/2025.");
  ASSERT_EQ(wrap.size(), 2u);
  EXPECT_EQ(wrap[0].value, "2024-12");
  // Across a ';' the year is not shared; the month takes its own, the past
  // one being the likelier (see InferYear).
  auto apart = Dates("Tháng 3 mưa nhiều; tháng 4/2025 khô hạn.", CivilDate{2024, 11, 2});
  ASSERT_EQ(apart.size(), 2u);
  EXPECT_EQ(apart[0].value, "2024-03");
  EXPECT_TRUE(apart[0].inferred);
}

TEST(DateExtractorTest, AMonthWithoutAYearLeansToThePast) {
  // 5 months ahead or 7 behind: a report looks back.
  auto may = Dates("Số thuế của tháng 5 và quý II đã được nộp đủ.", CivilDate{2024, 12, 10});
  ASSERT_EQ(may.size(), 2u);
  EXPECT_EQ(may[0].value, "2024-05");
  EXPECT_EQ(may[1].value, "2024-Q2");
  // A month just ahead is still the coming one.
  auto next = Dates("Tháng 2 tới, tỉnh tổ chức lễ hội hoa.", CivilDate{2024, 12, 10});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].value, "2025-02");
}

TEST(DateExtractorTest, AQuarterWithoutAYearIsTheNearestOne) {
  auto past = Dates("Kết quả quý IV, toàn tỉnh thu ngân sách vượt dự toán.", CivilDate{2025, 1, 10});
  ASSERT_EQ(past.size(), 1u);
  EXPECT_EQ(past[0].value, "2024-Q4");
  EXPECT_TRUE(past[0].inferred);
  auto next = Dates("Kế hoạch quý I, tỉnh sẽ khởi công ba dự án.", CivilDate{2024, 12, 20});
  ASSERT_EQ(next.size(), 1u);
  EXPECT_EQ(next[0].value, "2025-Q1");
  auto same = Dates("Trong quý II, tỉnh đón 1 triệu lượt khách.", CivilDate{2024, 7, 2});
  ASSERT_EQ(same.size(), 1u);
  EXPECT_EQ(same[0].value, "2024-Q2");
  EXPECT_TRUE(Dates("Trong quý II, tỉnh đón 1 triệu lượt khách.").empty());
}

TEST(DateExtractorTest, DatelineGivesTheArticleDate) {
  auto d = Dates("Print Thứ Ba, 10/10/2023 16:35 Gốc\n\nChiều 10/10, Ban Dân vận gặp mặt cán bộ.");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].span, "10/10/2023");
  EXPECT_EQ(d[0].rule, "date.dateline");
  EXPECT_EQ(d[1].value, "2023-10-10");
  EXPECT_TRUE(d[1].inferred);
}

TEST(DateExtractorTest, GivenReferenceDateWinsOverTheDateline) {
  auto d = Dates("Thứ Hai, 2/1/2023 08:00\nSáng 10/10, hội nghị khai mạc.", CivilDate{2025, 5, 1});
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[1].value, "2024-10-10");  // the dateline would give 2023
}

TEST(DateExtractorTest, ADateWithoutWeekdayOrTimeIsNoDateline) {
  auto d = Dates("Ngày 5/5/2020 thành phố ra quân.\nSáng 19/12, hội nghị khai mạc.");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_EQ(d[0].rule, "date.day_month_year");
  EXPECT_EQ(d[1].value, "--12-19");
  EXPECT_FALSE(d[1].inferred);
}

TEST(DateExtractorTest, FractionsAreNoDates) {
  auto all = Extract("Sau 1/2 nhiệm kỳ 2021-2026, phường tổ chức 200 buổi.");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].kind, "term");
  EXPECT_EQ(all[0].span, "nhiệm kỳ 2021-2026");
  EXPECT_TRUE(Dates("Có 2/3 số đại biểu tán thành.").empty());
  EXPECT_TRUE(Dates("Hệ thống trực 24/7 để tiếp nhận phản ánh.").empty());
}

TEST(DateExtractorTest, InvalidDatesAreNoDates) {
  EXPECT_TRUE(Dates("Ngày 32/13 không có trong lịch.").empty());
  EXPECT_TRUE(Dates("Ngày 31/4/2023 không có trong lịch.").empty());
  EXPECT_TRUE(Dates("Ngày 29/2/2023 không có trong lịch.").empty());
  EXPECT_TRUE(Dates("Đến tháng 13/2023 mới xong.").empty());
  auto leap = Dates("Ngày 29/2/2024 hội nghị diễn ra.");
  ASSERT_EQ(leap.size(), 1u);
  EXPECT_EQ(leap[0].value, "2024-02-29");
}

TEST(DateExtractorTest, TermsAreNeverDates) {
  auto all = Extract(
      "Đại hội Đảng bộ huyện lần thứ XVII, nhiệm kỳ 2025 – 2030 diễn ra trong ba ngày.");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].kind, "term");
  EXPECT_EQ(all[0].value, "17");
  EXPECT_EQ(all[0].rule, "term.lan_thu");
  EXPECT_EQ(all[1].kind, "term");
  EXPECT_EQ(all[1].value, "2025");
  EXPECT_EQ(all[1].rule, "term.nhiem_ky");
}

TEST(DateExtractorTest, TermShapes) {
  auto all = Extract(
      "Nghị quyết của Ban Chấp hành (Khóa XI) và khóa XII, Đại hội XIII, khoá XIV đều nêu rõ.");
  ASSERT_EQ(all.size(), 4u);
  EXPECT_EQ(all[0].span, "Khóa XI");
  EXPECT_EQ(all[0].value, "11");
  EXPECT_EQ(all[1].value, "12");
  EXPECT_EQ(all[2].span, "Đại hội XIII");
  EXPECT_EQ(all[2].rule, "term.dai_hoi");
  EXPECT_EQ(all[3].value, "14");
  EXPECT_TRUE(Extract("Học viên dự khóa học ngắn hạn lần thứ hai.").empty());
  EXPECT_TRUE(Extract("Bản in ghi khóa IIII là sai.").empty());
}

TEST(DateExtractorTest, YearsNeedACue) {
  EXPECT_TRUE(Dates("Toàn thành phố có 2035 mô hình dân vận khéo.").empty());
  EXPECT_TRUE(Dates("Trong 2000 hộ dân được hỏi có 300 hộ đồng tình.").empty());
  auto cue = Dates("Trong 2025, cần tập trung vận động nhân dân.");
  ASSERT_EQ(cue.size(), 1u);
  EXPECT_EQ(cue[0].span, "2025");
  auto word = Dates("Năm 2020, quận tổ chức hai hội nghị.");
  ASSERT_EQ(word.size(), 1u);
  EXPECT_EQ(word[0].span, "Năm 2020");
  auto event = Dates("Các cơ quan triển khai Năm Dân vận khéo 2020 hiệu quả.");
  ASSERT_EQ(event.size(), 1u);
  EXPECT_EQ(event[0].span, "2020");
  EXPECT_EQ(event[0].value, "2020");
}

TEST(DateExtractorTest, PeriodsAndIntervals) {
  struct Case {
    const char* text;
    const char* span;
    const char* value;
  };
  const Case cases[] = {
      {"Sau 5 năm (2016 – 2021) triển khai chương trình.", "2016 - 2021", "2016/2021"},
      {"Kế hoạch giai đoạn 2021-2025 được thông qua.", "giai đoạn 2021-2025", "2021/2025"},
      {"Từ năm 2014-2023, thu nhập tăng.", "Từ năm 2014-2023", "2014/2023"},
      {"Từ năm 2009 đến nay, thành phố ban hành nhiều văn bản.", "Từ năm 2009 đến nay",
       "2009/.."},
      {"Từ năm 2016 đến hết tháng 3 năm 2022, quận tổ chức đối thoại.",
       "Từ năm 2016 đến hết tháng 3 năm 2022", "2016/2022-03"},
      {"Kỷ niệm 40 năm thành lập (12/10/1983-12/10/2023).", "12/10/1983-12/10/2023",
       "1983-10-12/2023-10-12"},
      {"Hội nghị quý III/2024 đã tổng kết.", "quý III/2024", "2024-Q3"},
      {"Trong 6 tháng đầu năm 2024, phong trào thi đua có nhiều chuyển biến.",
       "6 tháng đầu năm 2024", "2024-01/2024-06"},
      {"Nhiệm vụ 6 tháng cuối năm 2024 được giao cụ thể.", "6 tháng cuối năm 2024",
       "2024-07/2024-12"},
      {"Hội nghị diễn ra ngày 15 tháng 10 năm 2024 tại Hà Nội.", "ngày 15 tháng 10 năm 2024",
       "2024-10-15"},
      {"Đến tháng 9/2023, toàn tỉnh có nhiều mô hình.", "tháng 9/2023", "2023-09"},
  };
  for (const Case& c : cases) {
    auto d = Dates(c.text);
    ASSERT_EQ(d.size(), 1u) << c.text;
    EXPECT_EQ(d[0].span, c.span) << c.text;
    EXPECT_EQ(d[0].value, c.value) << c.text;
  }
}

TEST(DateExtractorTest, MonthsOfTheYearWithoutAYear) {
  auto none = Dates("Giao ban 6 tháng đầu năm đã xong.");
  ASSERT_EQ(none.size(), 1u);
  EXPECT_EQ(none[0].value, "--01/--06");
  auto known = Dates("Giao ban 6 tháng đầu năm đã xong.", CivilDate{2024, 6, 28});
  ASSERT_EQ(known.size(), 1u);
  EXPECT_EQ(known[0].value, "2024-01/2024-06");
  EXPECT_TRUE(known[0].inferred);
}

TEST(DateExtractorTest, RatesAreNoMonths) {
  EXPECT_TRUE(Dates("Mỗi tháng 1 lần, cán bộ xuống cơ sở.").empty());
  EXPECT_TRUE(Dates("Chi bộ họp tháng 2 lần.").empty());
}

TEST(DateExtractorTest, DocumentCodesAreNoDates) {
  auto all = Dates(
      "Nghị định số 12/2019/NĐ-CP, Luật số 45/2019/QH14 và Chỉ thị số 03-CT/TU, ngày "
      "26/11/2015 được phổ biến.");
  ASSERT_EQ(all.size(), 1u);
  EXPECT_EQ(all[0].span, "ngày 26/11/2015");
  EXPECT_EQ(all[0].value, "2015-11-26");
}

TEST(DateExtractorTest, FactsCarryTheirSentence) {
  auto d = Dates("Hội nghị họp năm 2020.\nĐến năm 2023, mọi chỉ tiêu đều đạt.");
  ASSERT_EQ(d.size(), 2u);
  EXPECT_NE(d[0].sentence, d[1].sentence);
  EXPECT_EQ(d[1].value, "2023");
}

TEST(DateExtractorTest, NothingInTextWithoutDates) {
  for (const char* text : {
           "Mọi việc cần bàn bạc dân chủ với nhân dân.",
           "Thành phố ban hành 15.295 văn bản và 86,3% đạt yêu cầu.",
           "Trong 15 năm qua, phong trào lan tỏa rộng khắp.",
           "",
       }) {
    EXPECT_TRUE(Extract(text).empty()) << text;
  }
}

TEST(DateExtractorTest, ArabicTermNumberNeedsAHolderNearbyInTheSameClause) {
  auto terms = [](std::string_view text) {
    std::vector<std::string> out;
    for (const Found& f : Extract(text)) {
      if (f.kind == "term") out.push_back(f.span + "=" + f.value + " " + f.rule);
    }
    return out;
  };
  using V = std::vector<std::string>;
  EXPECT_EQ(terms("Quốc hội khóa 15 họp kỳ thứ sáu."), V{"khóa 15=15 term.khoa_number"});
  // Six words between the holder and the term are the most allowed.
  EXPECT_EQ(terms("Hội đồng nhân dân thị xã Phú Thọ mới khóa 21 họp."),
            V{"khóa 21=21 term.khoa_number"});
  EXPECT_EQ(terms("Hội đồng nhân dân thị xã Phú Thọ mới thành lập khóa 21 họp."), V{});
  EXPECT_EQ(terms("Quốc hội đã họp; khóa 15 của trường thì chưa."), V{});
  EXPECT_EQ(terms("Đảng bộ xã (lần thứ 9) họp."), V{"lần thứ 9=9 term.lan_thu_number"});
  EXPECT_EQ(terms("Quốc hội khóa 0 không có."), V{});
  EXPECT_EQ(terms("Quốc hội khóa 15/2021 không phải là khóa."), V{});
  EXPECT_EQ(terms("Học viên khóa 15 nhận bằng."), V{});
}

TEST(DateExtractorTest, TermHoldersComeFromTheLexicon) {
  const auto dir = std::filesystem::temp_directory_path() / "vnfacts_term_holders_test";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(kLexicons, dir, std::filesystem::copy_options::recursive);
  auto count_terms = [&](std::string_view text) {
    auto dates = CreateDateExtractor(dir);
    EXPECT_TRUE(dates.ok()) << dates.status().message();
    if (!dates.ok()) return size_t{0};
    const Stages& s = GetStages();
    Document doc;
    doc.raw = std::string(text);
    EXPECT_TRUE(s.normalizer.Normalize(&doc).ok());
    s.splitter.Split(&doc);
    std::vector<Fact> facts;
    (*dates)->Extract(doc, &facts);
    return static_cast<size_t>(std::count_if(facts.begin(), facts.end(), [](const Fact& f) {
      return f.kind == FactKind::kTerm;
    }));
  };
  const std::string_view text = "Học viên khóa 15 nhận bằng tốt nghiệp.";
  EXPECT_EQ(count_terms(text), 0u);
  {
    std::ofstream out(dir / "term_holders.tsv", std::ios::app);
    out << "Học viên\n";
  }
  EXPECT_EQ(count_terms(text), 1u);
  std::filesystem::remove(dir / "term_holders.tsv");
  auto missing = CreateDateExtractor(dir);
  ASSERT_FALSE(missing.ok());
  EXPECT_NE(missing.status().message().find("term_holders.tsv"), std::string::npos);
  std::filesystem::remove_all(dir);
}

TEST(DateExtractorTest, LexiconsAreNormalizedLikeTheText) {
  // A lexicon typed with old-style tone marks ("khoá") still matches the
  // normalized text ("khóa"), because entries go through the normalizer.
  const auto dir = std::filesystem::temp_directory_path() / "vnfacts_date_lexicon_test";
  std::filesystem::remove_all(dir);
  std::filesystem::copy(kLexicons, dir, std::filesystem::copy_options::recursive);
  {
    std::ofstream out(dir / "terms.tsv");
    out << "# word\tlabel\targument\trule\nkhoá\tkhóa\troman\tkhoa\n";
  }
  auto dates = CreateDateExtractor(dir);
  ASSERT_TRUE(dates.ok()) << dates.status().message();
  const Stages& s = GetStages();
  Document doc;
  doc.raw = "Ban Chấp hành khoá XII họp phiên cuối.";
  ASSERT_TRUE(s.normalizer.Normalize(&doc).ok());
  s.splitter.Split(&doc);
  std::vector<Fact> facts;
  (*dates)->Extract(doc, &facts);
  ASSERT_EQ(facts.size(), 1u);
  EXPECT_EQ(std::get<TermFact>(facts[0].value).value, 12);
  EXPECT_EQ(std::get<TermFact>(facts[0].value).label, "khóa");
  {
    std::ofstream out(dir / "terms.tsv");
    out << "khóa\tkhóa\tordinal\tkhoa\n";
  }
  auto bad = CreateDateExtractor(dir);
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.status().message().find("terms.tsv:1"), std::string::npos) << bad.status().message();
  std::filesystem::remove_all(dir);
}

using test_files::ReadFile;

TEST(DateExtractorTest, SeedArticleWithDateline) {
  const std::filesystem::path seeds = std::filesystem::path(VNFACTS_SHARED_DIR) / "corpus/seeds";
  if (!std::filesystem::exists(seeds)) GTEST_SKIP() << "no seed articles at " << seeds;
  std::filesystem::path with_dateline;
  for (const auto& entry : std::filesystem::directory_iterator(seeds)) {
    if (entry.path().filename().string().rfind("002_", 0) == 0) with_dateline = entry.path();
  }
  if (with_dateline.empty()) GTEST_SKIP() << "seed 002 not found";
  auto all = Extract(ReadFile(with_dateline));
  std::vector<std::string> values;
  for (const Found& f : all) values.push_back(f.kind + ":" + f.value);
  auto has = [&](const std::string& v) {
    return std::find(values.begin(), values.end(), v) != values.end();
  };
  EXPECT_TRUE(has("date:2023-10-10"));
  EXPECT_TRUE(has("date:1983-10-12/2023-10-12"));
  EXPECT_TRUE(has("date:2015/2023-06"));
  EXPECT_TRUE(has("date:2023-09"));
  EXPECT_TRUE(has("term:2020"));
  EXPECT_TRUE(has("term:16"));
  EXPECT_FALSE(has("date:2020/2025"));
}

}  // namespace
}  // namespace vnfacts
