#include "pipeline/sentence_splitter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include "pipeline/lexicon.h"

namespace vnfacts {
namespace {

const SentenceSplitter& Splitter() {
  static const SentenceSplitter* splitter = [] {
    auto created = SentenceSplitter::Create(DefaultLexiconDir());
    EXPECT_TRUE(created.ok()) << created.status().message();
    return new SentenceSplitter(std::move(created).value());
  }();
  return *splitter;
}

Document Split(const std::string& text) {
  Document doc;
  doc.text = text;
  Splitter().Split(&doc);
  return doc;
}

// The sentences' texts, without the whitespace that trails them.
std::vector<std::string> Texts(const Document& doc) {
  std::vector<std::string> out;
  for (const Sentence& s : doc.sentences) {
    std::string t(doc.SentenceText(s));
    while (!t.empty() && (t.back() == ' ' || t.back() == '\n')) t.pop_back();
    out.push_back(t);
  }
  return out;
}

std::vector<SegmentKind> Kinds(const Document& doc) {
  std::vector<SegmentKind> out;
  for (const Sentence& s : doc.sentences) out.push_back(s.kind);
  return out;
}

void ExpectTiles(const Document& doc) {
  if (doc.text.empty()) {
    EXPECT_TRUE(doc.sentences.empty());
    return;
  }
  ASSERT_FALSE(doc.sentences.empty());
  EXPECT_EQ(doc.sentences.front().begin, 0u);
  EXPECT_EQ(doc.sentences.back().end, doc.text.size());
  for (size_t i = 0; i < doc.sentences.size(); ++i) {
    EXPECT_LT(doc.sentences[i].begin, doc.sentences[i].end) << i;
    if (i > 0) EXPECT_EQ(doc.sentences[i - 1].end, doc.sentences[i].begin) << i;
  }
}

using K = SegmentKind;

TEST(SentenceSplitterTest, SplitsAtSentenceEnds) {
  Document doc = Split("Hội nghị diễn ra năm 2020. Ông Nam phát biểu! Vì sao? Hết.");
  EXPECT_EQ(Texts(doc), (std::vector<std::string>{"Hội nghị diễn ra năm 2020.",
                                                  "Ông Nam phát biểu!", "Vì sao?", "Hết."}));
  ExpectTiles(doc);
}

TEST(SentenceSplitterTest, SentencesKeepTheirTrailingWhitespace) {
  Document doc = Split("Một câu. Hai câu.\n");
  ASSERT_EQ(doc.sentences.size(), 2u);
  EXPECT_EQ(doc.SentenceText(doc.sentences[0]), "Một câu. ");
  EXPECT_EQ(doc.SentenceText(doc.sentences[1]), "Hai câu.\n");
}

TEST(SentenceSplitterTest, DottedAbbreviationsDoNotEndSentences) {
  EXPECT_EQ(Texts(Split("Đoàn đến TP.HCM vào sáng nay. Sau đó về T.Ư họp.")),
            (std::vector<std::string>{"Đoàn đến TP.HCM vào sáng nay.", "Sau đó về T.Ư họp."}));
  EXPECT_EQ(Texts(Split("Ông làm việc tại TP. Hà Nội nhiều năm.")).size(), 1u);
  EXPECT_EQ(Texts(Split("Tham dự có PGS.TS. Nguyễn Văn Bình và ThS. Lê Thu Hà.")).size(), 1u);
  EXPECT_EQ(Texts(Split("Chủ trì là GS. Trần Minh (TS. Lê Văn Hải dự).")).size(), 1u);
}

TEST(SentenceSplitterTest, NumbersWithDotsDoNotEndSentences) {
  EXPECT_EQ(Texts(Split("Có 15.295 văn bản và 1.234.567,5 đồng.")).size(), 1u);
}

TEST(SentenceSplitterTest, OrdinaryWordBeforeDotStillEndsSentence) {
  // "TPX." is not in the lexicon, so the capital after it starts a sentence.
  EXPECT_EQ(Texts(Split("Họ về TPX. Sau đó họ đi.")).size(), 2u);
}

TEST(SentenceSplitterTest, EveryLineBreakEndsASegment) {
  Document doc = Split("Tiêu đề không dấu chấm\nThân bài có dấu chấm.\nDòng cuối");
  EXPECT_EQ(Texts(doc), (std::vector<std::string>{"Tiêu đề không dấu chấm",
                                                  "Thân bài có dấu chấm.", "Dòng cuối"}));
  ExpectTiles(doc);
}

TEST(SentenceSplitterTest, BlankLinesJoinTheSentenceBefore) {
  Document doc = Split("Câu một.\n\n\nCâu hai.\n\n");
  ASSERT_EQ(doc.sentences.size(), 2u);
  EXPECT_EQ(doc.SentenceText(doc.sentences[0]), "Câu một.\n\n\n");
  EXPECT_EQ(doc.SentenceText(doc.sentences[1]), "Câu hai.\n\n");
}

TEST(SentenceSplitterTest, LeadingWhitespaceJoinsTheFirstSentence) {
  Document doc = Split("\n\n  Câu một. Câu hai.");
  ASSERT_EQ(doc.sentences.size(), 2u);
  EXPECT_EQ(doc.sentences[0].begin, 0u);
  EXPECT_EQ(doc.SentenceText(doc.sentences[0]), "\n\n  Câu một. ");
  // Both sentences are on one line, so they share its kind.
  EXPECT_EQ(doc.sentences[0].kind, doc.sentences[1].kind);
}

TEST(SentenceSplitterTest, EmptyTextHasNoSentenceAndBlankTextHasOne) {
  EXPECT_TRUE(Split("").sentences.empty());
  Document blank = Split(" \n\n ");
  ASSERT_EQ(blank.sentences.size(), 1u);
  EXPECT_EQ(blank.sentences[0].begin, 0u);
  EXPECT_EQ(blank.sentences[0].end, 4u);
}

TEST(SentenceSplitterTest, CaptionLinesEndWithBar) {
  Document doc = Split("Đại biểu dự hội nghị. Ảnh: Minh Hà |\nThân bài có dấu chấm.");
  EXPECT_EQ(Kinds(doc), (std::vector<K>{K::kCaption, K::kCaption, K::kBody}));
}

TEST(SentenceSplitterTest, PhotoCreditMakesACaption) {
  Document doc = Split("Ông Lộc phát biểu tại hội nghị. (Ảnh: Hoàng Minh)\nThân bài ở đây.");
  EXPECT_EQ(Kinds(doc), (std::vector<K>{K::kCaption, K::kCaption, K::kBody}));
  EXPECT_EQ(Kinds(Split("Ảnh: Thu Trang")), (std::vector<K>{K::kCaption}));
}

TEST(SentenceSplitterTest, FinalNameLineIsAByline) {
  Document doc = Split(
      "Thân bài có dấu chấm.\nLê Văn Tám\nLên đầu trang\nQR CODE: Tin số 5 năm 2023\n");
  EXPECT_EQ(Kinds(doc),
            (std::vector<K>{K::kBody, K::kByline, K::kBoilerplate, K::kBoilerplate}));
}

TEST(SentenceSplitterTest, NameLineFollowedByTextIsAHeading) {
  Document doc = Split("Lê Văn Tám\nThân bài có dấu chấm.");
  EXPECT_EQ(Kinds(doc), (std::vector<K>{K::kHeading, K::kBody}));
}

TEST(SentenceSplitterTest, NameLineNeedsCapitalizedWordsOnly) {
  EXPECT_EQ(Kinds(Split("Thân bài.\nToàn cảnh hội nghị")),
            (std::vector<K>{K::kBody, K::kHeading}));
  EXPECT_EQ(Kinds(Split("Thân bài.\nLê Văn Tám.")), (std::vector<K>{K::kBody, K::kBody}));
  EXPECT_EQ(Kinds(Split("Thân bài.\nLê Văn Tám Hai Ba")),
            (std::vector<K>{K::kBody, K::kHeading}));
}

TEST(SentenceSplitterTest, PageFurnitureIsBoilerplate) {
  Document doc = Split(
      "TIN MỚI NHẤT\nPrint Thứ Ba, 10/10/2023 16:35\nTiêu đề bài\nThân bài.\nTin khác\n"
      "Mã QR Code truy cập trang\n");
  EXPECT_EQ(Kinds(doc), (std::vector<K>{K::kBoilerplate, K::kBoilerplate, K::kHeading,
                                        K::kBody, K::kBoilerplate, K::kBoilerplate}));
}

TEST(SentenceSplitterTest, PrefixMarkersMatchWholeWordsOnly) {
  EXPECT_EQ(Kinds(Split("Printer mới")), (std::vector<K>{K::kHeading}));
}

TEST(SentenceSplitterTest, HeadingsAreShortLinesWithoutFinalPunctuation) {
  EXPECT_EQ(Kinds(Split("Triển khai đồng bộ, toàn diện trên 4 lĩnh vực\nNội dung.")),
            (std::vector<K>{K::kHeading, K::kBody}));
  EXPECT_EQ(Kinds(Split("\"Công tác dân vận đi trước một bước\"")),
            (std::vector<K>{K::kHeading}));
  EXPECT_EQ(Kinds(Split("Dự hội nghị có các đồng chí:")), (std::vector<K>{K::kBody}));
  EXPECT_EQ(Kinds(Split("Ông nói: \"Làm tốt.\"")), (std::vector<K>{K::kBody}));
  std::string long_line;
  for (int i = 0; i < 40; ++i) long_line += "chữ ";
  EXPECT_EQ(Kinds(Split(long_line)), (std::vector<K>{K::kBody}));
}

TEST(SentenceSplitterTest, IsSafeToShareBetweenThreads) {
  std::string text;
  for (int i = 0; i < 200; ++i) text += "Sáng nay tại TP. Hà Nội có 15.295 người. Ảnh: Lan |\n";
  const Document expected = Split(text);
  std::vector<std::thread> threads;
  std::vector<bool> same(4, false);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      bool ok = true;
      for (int round = 0; round < 20; ++round) {
        Document doc;
        doc.text = text;
        Splitter().Split(&doc);
        ok = ok && doc.sentences.size() == expected.sentences.size() &&
             doc.sentences.back().end == expected.sentences.back().end;
      }
      same[t] = ok;
    });
  }
  for (auto& thread : threads) thread.join();
  for (int t = 0; t < 4; ++t) EXPECT_TRUE(same[t]) << "thread " << t;
}

TEST(SentenceSplitterTest, MissingLexiconIsAnErrorNamingTheFile) {
  auto created = SentenceSplitter::Create("/nonexistent-lexicons");
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("abbreviations.tsv"), std::string::npos);
}

TEST(SentenceSplitterTest, BadMarkerRowIsAnErrorWithFileAndLine) {
  const auto dir = std::filesystem::temp_directory_path() / "vnfacts_splitter_test";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(DefaultLexiconDir() / "abbreviations.tsv", dir / "abbreviations.tsv",
                             std::filesystem::copy_options::overwrite_existing);
  std::ofstream(dir / "segment_markers.tsv") << "# test\nTin khác\tfurniture\tline\n";
  auto created = SentenceSplitter::Create(dir);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("segment_markers.tsv:2"), std::string::npos)
      << created.status().message();
  std::filesystem::remove_all(dir);
}

// ---- The real seed articles (read at run time, never copied) --------------

std::vector<std::pair<std::string, std::string>> Seeds() {
  std::vector<std::pair<std::string, std::string>> seeds;
  const std::filesystem::path dir = VNFACTS_SHARED_DIR "/corpus/seeds";
  if (!std::filesystem::is_directory(dir)) return seeds;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    seeds.emplace_back(entry.path().filename().string(), buffer.str());
  }
  std::sort(seeds.begin(), seeds.end());
  return seeds;
}

std::string SeedText(const std::string& name) {
  for (auto& [n, text] : Seeds()) {
    if (n == name) return text;
  }
  return "";
}

TEST(SentenceSplitterSeedTest, LinesEndingInBarAreCaptions) {
  const std::string text = SeedText("000_18c5863c2d7b0242.txt");
  if (text.empty()) GTEST_SKIP() << "seed articles not found in " VNFACTS_SHARED_DIR;
  Document doc = Split(text);
  ExpectTiles(doc);
  int captions = 0;
  for (const Sentence& s : doc.sentences) {
    // The line of this sentence: from the previous line break to the next.
    size_t line_begin = doc.text.rfind('\n', s.begin == 0 ? 0 : s.begin - 1);
    line_begin = line_begin == std::string::npos || s.begin == 0 ? 0 : line_begin + 1;
    size_t line_end = doc.text.find('\n', s.begin);
    std::string_view line = std::string_view(doc.text).substr(
        line_begin, (line_end == std::string::npos ? doc.text.size() : line_end) - line_begin);
    while (!line.empty() && line.back() == ' ') line.remove_suffix(1);
    const bool bar = !line.empty() && line.back() == '|';
    EXPECT_EQ(s.kind == SegmentKind::kCaption, bar) << doc.SentenceText(s);
    captions += bar;
  }
  EXPECT_GE(captions, 10);
}

TEST(SentenceSplitterSeedTest, FinalAuthorNamesAreBylines) {
  for (const char* name : {"002_967668768db597a5.txt", "004_3b90efacfee91103.txt"}) {
    const std::string text = SeedText(name);
    if (text.empty()) GTEST_SKIP() << "seed articles not found in " VNFACTS_SHARED_DIR;
    Document doc = Split(text);
    int bylines = 0;
    size_t last_body = 0, byline = 0;
    for (size_t i = 0; i < doc.sentences.size(); ++i) {
      if (doc.sentences[i].kind == SegmentKind::kByline) {
        ++bylines;
        byline = i;
      }
      if (doc.sentences[i].kind == SegmentKind::kBody) last_body = i;
    }
    EXPECT_EQ(bylines, 1) << name;
    EXPECT_GT(byline, last_body) << name;
    // Everything after the byline is page furniture.
    for (size_t i = byline + 1; i < doc.sentences.size(); ++i) {
      EXPECT_EQ(doc.sentences[i].kind, SegmentKind::kBoilerplate) << doc.SentenceText(doc.sentences[i]);
    }
  }
}

TEST(SentenceSplitterSeedTest, AbbreviationsInsideSentencesStayInside) {
  for (const auto& [name, text] : Seeds()) {
    Document doc = Split(text);
    ExpectTiles(doc);
    for (const Sentence& s : doc.sentences) {
      std::string_view t = doc.SentenceText(s);
      while (!t.empty() && (t.back() == ' ' || t.back() == '\n')) t.remove_suffix(1);
      for (std::string_view abbreviation : {"TP.", "T.Ư", "TP.HCM", "PGS.TS."}) {
        EXPECT_FALSE(t.size() >= abbreviation.size() &&
                     t.substr(t.size() - abbreviation.size()) == abbreviation &&
                     &s != &doc.sentences.back())
            << name << ": sentence ends after " << abbreviation << ": " << t;
      }
    }
  }
  if (Seeds().empty()) GTEST_SKIP() << "seed articles not found in " VNFACTS_SHARED_DIR;
}

TEST(SentenceSplitterSeedTest, SeedThreeKeepsTUInsideItsSentence) {
  const std::string text = SeedText("003_58c12caae10f10d0.txt");
  if (text.empty()) GTEST_SKIP() << "seed articles not found in " VNFACTS_SHARED_DIR;
  Document doc = Split(text);
  const size_t at = doc.text.find("T.Ư");
  ASSERT_NE(at, std::string::npos);
  const Sentence& s = doc.sentences[doc.SentenceAt(static_cast<uint32_t>(at))];
  EXPECT_GT(s.end, at + 20) << "the sentence must go on after T.Ư";
}

}  // namespace
}  // namespace vnfacts
