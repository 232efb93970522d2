// SentenceBoundaries::Find() runs ICU only around terminators; it must give
// exactly what walking ICU over the whole text gives. These tests compare the
// two on real text and on random text built from the characters that decide
// UAX #29 sentence breaks.
#include "pipeline/sentence_boundaries.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <string>
#include <vector>
#include "tests/test_files.h"

namespace vnfacts {
namespace {

const SentenceBoundaries& Boundaries() {
  static const SentenceBoundaries* b = [] {
    auto created = SentenceBoundaries::Create();
    EXPECT_TRUE(created.ok()) << created.status().message();
    return new SentenceBoundaries(std::move(created).value());
  }();
  return *b;
}

std::vector<uint32_t> Windowed(std::string_view text) {
  std::vector<uint32_t> out;
  Boundaries().Find(text, &out);
  return out;
}

std::vector<uint32_t> FullScan(std::string_view text) {
  std::vector<uint32_t> out;
  Boundaries().FindByFullScan(text, &out);
  return out;
}

using test_files::ReadFile;

TEST(SentenceBoundariesTest, BreaksAfterTerminatorsAndLineBreaks) {
  const std::string text = "Một câu. Câu hai! Câu ba?\nDòng mới";
  auto after = [&](std::string_view part) {
    return static_cast<uint32_t>(text.find(part) + part.size());
  };
  EXPECT_EQ(Windowed(text), (std::vector<uint32_t>{after("câu. "), after("hai! "), after("ba?\n"),
                                                   static_cast<uint32_t>(text.size())}));
}

TEST(SentenceBoundariesTest, KeepsNumbersAndLowerCaseContinuationsWhole) {
  // SB6 (15.295), SB7 (U.S), SB8 (a lower-case word after the period).
  for (const std::string text : {"Có 15.295 văn bản.", "Ở U.S.A có", "Ông A. và bà B. tới nơi."}) {
    EXPECT_EQ(Windowed(text), FullScan(text)) << text;
  }
  EXPECT_EQ(Windowed("Có 15.295 văn bản.").size(), 1u);
}

TEST(SentenceBoundariesTest, EmptyAndTerminatorOnlyTexts) {
  EXPECT_TRUE(Windowed("").empty());
  for (const std::string text : {".", "...", "\n", "\r\n", "\r", " . ", "?!\n\n", "a.\r\nB"}) {
    EXPECT_EQ(Windowed(text), FullScan(text)) << text;
  }
}

TEST(SentenceBoundariesTest, SameAsFullScanOnTheSampleCorpus) {
  size_t files = 0;
  for (const auto& entry : std::filesystem::directory_iterator(VNFACTS_SOURCE_DIR "/corpus/articles")) {
    const std::string text = ReadFile(entry.path());
    EXPECT_EQ(Windowed(text), FullScan(text)) << entry.path();
    ++files;
  }
  EXPECT_GT(files, 10u);
}

TEST(SentenceBoundariesTest, SameAsFullScanOnTheSeedsAndTreebankText) {
  const std::filesystem::path shared = VNFACTS_SHARED_DIR;
  if (!std::filesystem::is_directory(shared / "corpus" / "seeds")) {
    GTEST_SKIP() << "seed articles not found in " << shared / "corpus" / "seeds";
  }
  for (const auto& entry : std::filesystem::directory_iterator(shared / "corpus" / "seeds")) {
    const std::string text = ReadFile(entry.path());
    EXPECT_EQ(Windowed(text), FullScan(text)) << entry.path();
  }
  // Treebank sentences, many with abbreviations, quotes and numbers, as one
  // text per 200 lines.
  const std::filesystem::path ud = shared / "ud-vi" / "vi_vtb-ud-train.conllu";
  if (!std::filesystem::exists(ud)) return;
  std::ifstream in(ud);
  std::string line, text;
  size_t lines = 0;
  while (std::getline(in, line)) {
    if (line.rfind("# text =", 0) != 0) continue;
    text += line.substr(line.rfind("# text = ", 0) == 0 ? 9 : 8);
    text += ++lines % 3 == 0 ? "\n" : " ";
    if (lines % 200 == 0) {
      ASSERT_EQ(Windowed(text), FullScan(text)) << text;
      text.clear();
    }
  }
  EXPECT_EQ(Windowed(text), FullScan(text)) << text;
  EXPECT_GT(lines, 1000u);
}

TEST(SentenceBoundariesTest, SameAsFullScanOnRandomText) {
  // Pieces chosen for the UAX #29 classes: terminators (ATerm, STerm, CJK and
  // other scripts'), closers, spaces, separators, upper, lower and other
  // letters, digits, continuations, extenders and formats, and words longer
  // than the window's look-behind.
  const std::vector<std::string> pieces = {
      "a", "b", "ư", "ộ", "B", "Đ", "Hà", "TP", "iPhone", "1", "15", "2.5", " ", " ", "  ",
      "\t", "\n", "\r", "\r\n", "\u0085", "\u2028", "\u2029", ".", ".", ".", "!", "?", "…",
      "...", "。", "‼", "\u0964", "\"", "'", ")", "(", "]", "”", "“", "»", "«", ",", ";",
      ":", "-", "%", "/", "\u0301", "\u00AD", "\u200B", "\u05D0", "\u4E00", "\u0E01",
      "U.S.", "T.Ư", "www.gov.vn", std::string(70, 'x'), std::string(70, 'x') + ".y.Z",
      "\U0001F600", "\U00011047", "\u00A0", "\u3000"};
  std::mt19937 random(20261206);
  std::uniform_int_distribution<size_t> piece(0, pieces.size() - 1);
  std::uniform_int_distribution<int> length(1, 40);
  size_t compared = 0;
  for (int round = 0; round < 60000; ++round) {
    std::string text;
    for (int i = length(random); i > 0; --i) text += pieces[piece(random)];
    const std::vector<uint32_t> windowed = Windowed(text);
    const std::vector<uint32_t> full = FullScan(text);
    ASSERT_EQ(windowed, full) << "text: [" << text << "]";
    ++compared;
  }
  EXPECT_EQ(compared, 60000u);
}

}  // namespace
}  // namespace vnfacts
