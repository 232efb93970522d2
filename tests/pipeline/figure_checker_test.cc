// Tests of `vnfacts check`: the rounding tolerance, and end to end over
// articles written for these tests (known mismatches, consistent sums, a
// cross-article conflict, a running total that grows and one that falls),
// run through the real pipeline into a real database.
#include "pipeline/figure_checker.h"

#include <gtest/gtest.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "pipeline/check_report.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

TEST(FigureCheckerTest, PercentagesMatchAtTheirStatedPrecision) {
  EXPECT_TRUE(MatchesAtPrecision(86.3, 1, 86.33));
  EXPECT_TRUE(MatchesAtPrecision(86.3, 1, 86.25));
  EXPECT_TRUE(MatchesAtPrecision(86.3, 1, 86.3499));
  EXPECT_FALSE(MatchesAtPrecision(86.3, 1, 86.36));
  EXPECT_FALSE(MatchesAtPrecision(86.3, 1, 86.2));
  EXPECT_TRUE(MatchesAtPrecision(40, 0, 40.4));
  EXPECT_FALSE(MatchesAtPrecision(40, 0, 40.6));
  EXPECT_TRUE(MatchesAtPrecision(98.67, 2, 98.666));
  EXPECT_FALSE(MatchesAtPrecision(98.67, 2, 98.70));
}

TEST(FigureCheckerTest, HtmlReportEscapesArticleText) {
  Finding f;
  f.kind = "sum_mismatch";
  f.stated = 10;
  f.computed = 9;
  f.unit = "hộ";
  f.explanation = "<b>parts</b>";
  FigureEvidence e;
  e.article = "a<script>.txt";
  e.sentence = "Có 10 hộ <script>alert(1)</script> & \"trích dẫn\".";
  e.text = "10 hộ";
  f.evidence.push_back(e);
  std::ostringstream html;
  WriteFindingsHtml({f}, html);
  EXPECT_EQ(html.str().find("<script>"), std::string::npos);
  EXPECT_NE(html.str().find("&lt;script&gt;alert(1)&lt;/script&gt;"), std::string::npos);
  EXPECT_NE(html.str().find("<mark>10 hộ</mark>"), std::string::npos);
}

class CheckEndToEndTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() / ("vnfacts_check_test_" + std::to_string(::getpid()));
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
  }
  void TearDown() override { fs::remove_all(dir_); }

  void Write(const std::string& name, const std::string& text) {
    std::ofstream(dir_ / "in" / name) << text;
  }

  std::string Cli(const std::string& args) {
    const std::string command = std::string(VNFACTS_CLI_PATH) + " " + args + " 2>&1";
    FILE* pipe = popen(command.c_str(), "r");
    std::string out;
    char buf[4096];
    size_t n;
    while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) out.append(buf, n);
    pclose(pipe);
    return out;
  }

  // Stores the written articles and returns `check`'s findings as JSON.
  nlohmann::json RunAndCheck(const std::string& run_options = "") {
    Cli("run " + run_options + " --db " + db() + " " + (dir_ / "in").string());
    const std::string json_text = Cli("check --format json --db " + db());
    nlohmann::json findings = nlohmann::json::parse(json_text, nullptr, false);
    EXPECT_TRUE(findings.is_array()) << json_text;
    return findings.is_array() ? findings : nlohmann::json::array();
  }

  std::string db() const { return (dir_ / "facts.db").string(); }

  // The conflicts among `findings`.
  static std::vector<nlohmann::json> Conflicts(const nlohmann::json& findings) {
    std::vector<nlohmann::json> out;
    for (const auto& f : findings) {
      if (f["kind"] == "conflict") out.push_back(f);
    }
    return out;
  }

  fs::path dir_;
};

TEST_F(CheckEndToEndTest, FindsMismatchesConfirmsSumsAndComparesArticles) {
  // A sum that is off by 300, a sum that adds up, a percentage of a plan.
  Write("a.txt",
        "Tỉnh Bình Định tổng kết phong trào\n"
        "Năm 2023, toàn tỉnh Bình Định xây dựng 2.500 mô hình, trong đó lĩnh vực kinh tế 1.000 mô hình, "
        "lĩnh vực văn hóa 1.200 mô hình.\n"
        "Các cấp đã mở 120 lớp tập huấn, gồm cấp tỉnh 20 lớp, cấp huyện 100 lớp.\n"
        "Kế hoạch giao 400 hộ; kết quả đã có 380 hộ hiến đất, đạt 95% kế hoạch.\n");
  // The same measure for the same year and place, reported differently.
  Write("b.txt",
        "Bình Định: phong trào thi đua lan tỏa\n"
        "Năm 2023, tỉnh Bình Định đã xây dựng 2.650 mô hình \"Dân vận khéo\" ở các cấp.\n");
  // Running totals: they may grow; a later, smaller one is reported.
  Write("c.txt", "Từ năm 2015 đến nay, tỉnh Bình Định đã tổ chức 3.000 hội nghị đối thoại.\n");
  Write("d.txt", "Từ năm 2015 đến nay, tỉnh Bình Định đã tổ chức 3.400 hội nghị đối thoại.\n");
  Write("e.txt", "Từ năm 2015 đến nay, tỉnh Bình Định đã tổ chức 3.200 hội nghị đối thoại.\n");
  // Growth stated against a year another article reports.
  Write("f.txt", "Năm 2024, tỉnh Bình Định có 1.320 hộ thoát nghèo, tăng 10% so với năm 2023.\n");
  Write("g.txt", "Năm 2023, tỉnh Bình Định có 1.200 hộ thoát nghèo.\n");
  std::ofstream(dir_ / "in" / "dates.tsv")
      << "a.txt\t2024-01-10\nb.txt\t2024-02-01\nc.txt\t2023-06-01\nd.txt\t2024-01-05\ne.txt\t2024-05-01\n";

  const nlohmann::json findings = RunAndCheck("--date-from-metadata");
  ASSERT_FALSE(findings.empty());

  auto find = [&](const std::string& kind, double stated) -> const nlohmann::json* {
    for (const auto& f : findings) {
      if (f["kind"] == kind && std::abs(f["stated"].get<double>() - stated) < 1e-9) return &f;
    }
    return nullptr;
  };
  const auto* mismatch = find("sum_mismatch", 2500);
  ASSERT_NE(mismatch, nullptr) << findings.dump(1);
  EXPECT_EQ((*mismatch)["computed"], 2200);
  EXPECT_EQ((*mismatch)["unit"], "mô hình");
  ASSERT_EQ((*mismatch)["evidence"].size(), 3u);
  // Evidence cites raw byte offsets that hold the number in the input file.
  const auto& total = (*mismatch)["evidence"][0];
  std::ifstream in(dir_ / "in" / "a.txt", std::ios::binary);
  std::string raw((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  EXPECT_EQ(raw.substr(total["raw_start"].get<size_t>(),
                       total["raw_end"].get<size_t>() - total["raw_start"].get<size_t>()),
            "2.500 mô hình");

  EXPECT_NE(find("sum_ok", 120), nullptr) << findings.dump(1);
  EXPECT_NE(find("percent_ok", 95), nullptr) << findings.dump(1);
  const auto* growth = find("percent_ok", 10);
  ASSERT_NE(growth, nullptr) << findings.dump(1);
  EXPECT_EQ((*growth)["articles"].size(), 2u);

  const auto* conflict = find("conflict", 2500);
  ASSERT_NE(conflict, nullptr) << findings.dump(1);
  EXPECT_EQ((*conflict)["articles"].size(), 2u);

  const auto* decrease = find("series_decrease", 3400);
  ASSERT_NE(decrease, nullptr) << findings.dump(1);
  EXPECT_EQ((*decrease)["computed"], 3200);
  // 3.000 then 3.400 is a running total growing: no finding for it.
  EXPECT_EQ(find("series_decrease", 3000), nullptr);
  EXPECT_EQ(find("conflict", 3000), nullptr);

  // Findings are stored: `show article` lists them.
  const std::string shown = Cli("show --db " + db() + " article " + (dir_ / "in" / "a.txt").string());
  EXPECT_NE(shown.find("sum_mismatch"), std::string::npos) << shown;
  // The HTML report is one page.
  const std::string html = Cli("check --format html --db " + db());
  EXPECT_EQ(html.rfind("<!DOCTYPE html>", 0), 0u);
  EXPECT_NE(html.find("<mark>2.500 mô hình</mark>"), std::string::npos);
}

TEST_F(CheckEndToEndTest, ChangesAreNotComparedAcrossArticles) {
  // Two different rates each moved against 2023: "tăng 0,4 điểm phần trăm"
  // and "giảm 0,96 điểm phần trăm" are differences, not one measure
  // reported twice. The levels themselves still are compared.
  Write("a.txt", "Năm 2024, tỉnh Nghệ An có tỷ lệ đỗ tốt nghiệp tăng 0,4 điểm phần trăm so với năm 2023.\n");
  Write("b.txt", "Năm 2024, tỷ lệ hộ nghèo của tỉnh Nghệ An giảm 0,96 điểm phần trăm so với năm 2023.\n");
  Write("c.txt", "Năm 2023, tỉnh Nghệ An có 1.200 hộ thoát nghèo.\n");
  Write("d.txt", "Năm 2023, tỉnh Nghệ An có 1.250 hộ thoát nghèo.\n");
  const nlohmann::json findings = RunAndCheck();
  const auto conflicts = Conflicts(findings);
  ASSERT_EQ(conflicts.size(), 1u) << findings.dump(1);
  EXPECT_EQ(conflicts[0]["unit"], "hộ") << conflicts[0].dump(1);
}

TEST_F(CheckEndToEndTest, GoalsAndDistrictFiguresAreNotComparedWithReports) {
  // A goal is no report of its year, and a district's figure, in an article
  // whose place is the province, is not the province's. Two reports of the
  // province's own figure still conflict.
  Write("a.txt", "Năm 2025, tỉnh Hà Tĩnh phấn đấu có 1.250.000 người tham gia bảo hiểm y tế.\n");
  Write("b.txt",
        "Huyện Can Lộc là địa phương dẫn đầu tỉnh Hà Tĩnh về xuất khẩu lao động.\n"
        "Năm 2025, huyện đưa 850 người đi làm việc ở nước ngoài.\n");
  Write("c.txt", "Năm 2025, tỉnh Hà Tĩnh có 1.230.000 người tham gia bảo hiểm y tế.\n");
  Write("d.txt", "Năm 2025, tỉnh Hà Tĩnh có 1.240.000 người tham gia bảo hiểm y tế.\n");
  const nlohmann::json findings = RunAndCheck();
  const auto conflicts = Conflicts(findings);
  ASSERT_EQ(conflicts.size(), 1u) << findings.dump(1);
  EXPECT_EQ(conflicts[0]["values"], nlohmann::json::parse("[1230000, 1240000]"))
      << conflicts[0].dump(1);
}

}  // namespace
}  // namespace vnfacts
