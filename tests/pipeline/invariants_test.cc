// Invariants of the whole text layer (TextPipeline::Create({})) over hostile
// input: whatever the bytes, nothing crashes, invalid UTF-8 is a clean error,
// sentences tile the normalized text, tokens lie inside their sentence in
// order and never overlap, words cover the tokens in order, and the offset map
// back to the raw text is monotonic and in range. Tokens and words made per
// sentence when asked (words_on_demand, as `run` and `extract` do) are the
// ones made up front.
#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <fstream>
#include <random>
#include <span>
#include <sstream>
#include <string>
#include <vector>

#include "pipeline/text_pipeline.h"

namespace vnfacts {
namespace {

// The pipeline every test shares, or null (with the reason) when it cannot be
// created.
const TextPipeline* SharedPipeline(std::string* error) {
  static std::string create_error;
  static const TextPipeline* pipeline = []() -> const TextPipeline* {
    auto created = TextPipeline::Create({});
    if (!created.ok()) {
      create_error = created.status().message();
      return nullptr;
    }
    return new TextPipeline(std::move(created).value());
  }();
  if (error) *error = create_error;
  return pipeline;
}

const TextPipeline& Pipeline() { return *SharedPipeline(nullptr); }

// The same, leaving tokens and words to be made when asked.
const TextPipeline* OnDemandPipeline() {
  static const TextPipeline* pipeline = []() -> const TextPipeline* {
    TextPipelineOptions options;
    options.words_on_demand = true;
    auto created = TextPipeline::Create(options);
    return created.ok() ? new TextPipeline(std::move(created).value()) : nullptr;
  }();
  return pipeline;
}

// `doc` (processed up front) against the same raw text processed on demand:
// the same text and sentences, and each sentence's words and tokens made when
// asked are its words and tokens.
void CheckOnDemandWords(const Document& doc, const std::string& label) {
  SCOPED_TRACE(label);
  const TextPipeline* on_demand = OnDemandPipeline();
  ASSERT_NE(on_demand, nullptr);
  Document asked;
  asked.source = doc.source;
  asked.raw = doc.raw;
  ASSERT_TRUE(on_demand->Process(&asked).ok());
  ASSERT_EQ(asked.text, doc.text);
  ASSERT_EQ(asked.sentences.size(), doc.sentences.size());
  ASSERT_TRUE(asked.tokens.empty() && asked.words.empty());
  SentenceWordsScratch scratch;
  for (size_t i = 0; i < doc.sentences.size(); ++i) {
    const Sentence& s = doc.sentences[i];
    const std::span<const Word> words = SentenceWords(asked, i, &scratch);
    ASSERT_EQ(words.size(), s.end_word - s.first_word) << "sentence " << i;
    ASSERT_EQ(scratch.tokens.size(), s.end_token - s.first_token) << "sentence " << i;
    for (size_t w = 0; w < words.size(); ++w) {
      const Word& expected = doc.words[s.first_word + w];
      ASSERT_EQ(words[w].begin, expected.begin) << "sentence " << i << " word " << w;
      ASSERT_EQ(words[w].end, expected.end) << "sentence " << i << " word " << w;
      ASSERT_EQ(words[w].first_token + s.first_token, expected.first_token);
      ASSERT_EQ(words[w].end_token + s.first_token, expected.end_token);
    }
    for (size_t t = 0; t < scratch.tokens.size(); ++t) {
      const Token& expected = doc.tokens[s.first_token + t];
      ASSERT_TRUE(scratch.tokens[t].begin == expected.begin && scratch.tokens[t].end == expected.end &&
                  scratch.tokens[t].kind == expected.kind)
          << "sentence " << i << " token " << t;
    }
  }
}

bool IsContinuationByte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// Checks every invariant; `label` names the input in failure messages.
void CheckInvariants(const Document& doc, const std::string& label) {
  SCOPED_TRACE(label);
  const std::string& text = doc.text;
  const uint32_t size = static_cast<uint32_t>(text.size());

  // Offset map: sized to the text, monotonic, in range. Long texts are
  // checked at a stride plus every sentence and token boundary.
  ASSERT_EQ(doc.offsets.normalized_size(), size);
  ASSERT_EQ(doc.offsets.raw_size(), doc.raw.size());
  const uint32_t stride = size <= (1u << 20) ? 1 : 97;
  uint32_t previous_raw = 0;
  uint32_t previous_raw_end = 0;
  for (uint32_t n = 0; n <= size; n = n == size ? size + 1 : std::min(size, n + stride)) {
    const uint32_t raw = doc.offsets.ToRaw(n);
    ASSERT_LE(raw, doc.raw.size()) << "ToRaw(" << n << ")";
    ASSERT_GE(raw, previous_raw) << "ToRaw not monotonic at " << n;
    const uint32_t raw_end = doc.offsets.ToRawEnd(n);
    ASSERT_LE(raw_end, doc.raw.size()) << "ToRawEnd(" << n << ")";
    ASSERT_GE(raw_end, previous_raw_end) << "ToRawEnd not monotonic at " << n;
    previous_raw = raw;
    previous_raw_end = raw_end;
  }
  EXPECT_EQ(doc.offsets.ToRaw(size), doc.raw.size());

  // Sentences tile the text; an empty text has none.
  if (text.empty()) {
    EXPECT_TRUE(doc.sentences.empty());
  } else {
    ASSERT_FALSE(doc.sentences.empty());
    ASSERT_EQ(doc.sentences.front().begin, 0u);
    ASSERT_EQ(doc.sentences.back().end, size);
  }
  uint32_t expected_token = 0;
  uint32_t expected_word = 0;
  for (size_t i = 0; i < doc.sentences.size(); ++i) {
    const Sentence& s = doc.sentences[i];
    ASSERT_LT(s.begin, s.end) << "sentence " << i;
    if (i > 0) ASSERT_EQ(doc.sentences[i - 1].end, s.begin) << "gap before sentence " << i;
    ASSERT_LE(doc.offsets.ToRaw(s.begin), doc.offsets.ToRawEnd(s.end)) << "sentence " << i;

    // Tokens: contiguous ranges per sentence, inside it, ordered, disjoint,
    // on character boundaries.
    ASSERT_EQ(s.first_token, expected_token) << "sentence " << i;
    ASSERT_LE(s.first_token, s.end_token);
    ASSERT_LE(s.end_token, doc.tokens.size());
    for (uint32_t t = s.first_token; t < s.end_token; ++t) {
      const Token& token = doc.tokens[t];
      ASSERT_LT(token.begin, token.end) << "token " << t;
      ASSERT_GE(token.begin, s.begin) << "token " << t << " starts before its sentence";
      ASSERT_LE(token.end, s.end) << "token " << t << " ends after its sentence";
      if (t > s.first_token) ASSERT_LE(doc.tokens[t - 1].end, token.begin) << "overlap at " << t;
      ASSERT_FALSE(IsContinuationByte(text[token.begin])) << "token " << t;
      if (token.end < size) ASSERT_FALSE(IsContinuationByte(text[token.end])) << "token " << t;
      ASSERT_LE(doc.offsets.ToRaw(token.begin), doc.offsets.ToRawEnd(token.end)) << "token " << t;
    }
    expected_token = s.end_token;

    // Words: contiguous ranges per sentence that cover its tokens in order.
    ASSERT_EQ(s.first_word, expected_word) << "sentence " << i;
    ASSERT_LE(s.first_word, s.end_word);
    ASSERT_LE(s.end_word, doc.words.size());
    uint32_t next_token = s.first_token;
    for (uint32_t w = s.first_word; w < s.end_word; ++w) {
      const Word& word = doc.words[w];
      ASSERT_EQ(word.first_token, next_token) << "word " << w;
      ASSERT_LT(word.first_token, word.end_token) << "word " << w;
      ASSERT_LE(word.end_token, s.end_token) << "word " << w;
      ASSERT_EQ(word.begin, doc.tokens[word.first_token].begin) << "word " << w;
      ASSERT_EQ(word.end, doc.tokens[word.end_token - 1].end) << "word " << w;
      next_token = word.end_token;
    }
    ASSERT_EQ(next_token, s.end_token) << "words leave tokens of sentence " << i << " uncovered";
    expected_word = s.end_word;
  }
  EXPECT_EQ(expected_token, doc.tokens.size());
  EXPECT_EQ(expected_word, doc.words.size());
}

// Runs the pipeline on `raw`; valid UTF-8 must succeed.
Document ProcessChecked(const std::string& raw, const std::string& label) {
  Document doc;
  doc.source = label;
  doc.raw = raw;
  Status status = Pipeline().Process(&doc);
  EXPECT_TRUE(status.ok()) << label << ": " << status.message();
  if (status.ok()) {
    CheckInvariants(doc, label);
    CheckOnDemandWords(doc, label);
  }
  return doc;
}

std::string Nfd(const std::string& text) {
  UErrorCode error = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(error);
  icu::UnicodeString decomposed = nfd->normalize(icu::UnicodeString::fromUTF8(text), error);
  std::string out;
  decomposed.toUTF8String(out);
  return out;
}

std::string Repeat(const std::string& unit, size_t bytes) {
  std::string out;
  out.reserve(bytes + unit.size());
  while (out.size() < bytes) out += unit;
  return out;
}

// A sentence in the style of the articles (written for this test).
const char kSentence[] =
    "Sáng 19/12, UBND TP.HCM và HĐND T.Ư bàn về Quy định 124 -QĐ/TW ngày 2/2/2018, "
    "có 15.295 văn bản (86,3%) giai đoạn 2015 - 2020. ";

class InvariantsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string error;
    if (SharedPipeline(&error) == nullptr) FAIL() << "TextPipeline::Create: " << error;
  }
};

TEST_F(InvariantsTest, EmptyAndBlankInput) {
  ProcessChecked("", "empty");
  ProcessChecked(" ", "one space");
  ProcessChecked("\n", "one newline");
  ProcessChecked("\n\n\t  \n \r\n", "only whitespace");
  ProcessChecked("\xC2\xA0\xE2\x80\x8B\xEF\xBB\xBF", "NBSP, zero-width space, BOM");
}

TEST_F(InvariantsTest, DecomposedText) {
  const std::string composed = std::string(kSentence) + "\nThành ủy Hà Nội tổ chức Hội nghị.";
  const std::string decomposed = Nfd(composed);
  ASSERT_NE(composed, decomposed);
  Document nfc = ProcessChecked(composed, "NFC");
  Document nfd = ProcessChecked(decomposed, "NFD");
  // Raw offsets of the NFD document land on raw character boundaries.
  for (const Token& t : nfd.tokens) {
    const uint32_t raw = nfd.offsets.ToRaw(t.begin);
    ASSERT_LE(raw, nfd.raw.size());
    if (raw < nfd.raw.size()) EXPECT_FALSE(IsContinuationByte(nfd.raw[raw]));
  }
}

TEST_F(InvariantsTest, ControlCharactersAndNulBytes) {
  ProcessChecked(std::string("Hà\x01Nội\x02\x1b[31m đỏ\x7f.\x0b\x0c", 24), "control characters");
  ProcessChecked(std::string("a\0b\0\0 c.\0", 10), "NUL bytes");
  ProcessChecked(std::string(1000, '\0'), "only NUL bytes");
  ProcessChecked("dòng một\r\ndòng hai\rdòng ba\n", "CR and CRLF");
}

TEST_F(InvariantsTest, InvalidUtf8IsACleanError) {
  for (const std::string bad : {std::string("\xFF"), std::string("abc\xC3"),
                                std::string("Hà Nội \xED\xA0\x80 x"), std::string("\xC0\xAF"),
                                std::string("ok \xF5\x80\x80\x80"), std::string("\x80\x80"),
                                std::string(kSentence) + "\xE1\xBA"}) {
    Document doc;
    doc.source = "bad.txt";
    doc.raw = bad;
    Status status = Pipeline().Process(&doc);
    ASSERT_FALSE(status.ok()) << "accepted invalid UTF-8";
    EXPECT_NE(status.message().find("bad.txt"), std::string::npos) << status.message();
    EXPECT_NE(status.message().find("byte"), std::string::npos) << status.message();
  }
}

TEST_F(InvariantsTest, TenMegabyteSingleLine) {
  Document doc = ProcessChecked(Repeat(kSentence, 10u << 20), "10 MB line");
  EXPECT_GT(doc.sentences.size(), 10000u);
  EXPECT_GT(doc.tokens.size(), 1000000u);
}

TEST_F(InvariantsTest, LongRunsOfDigitsDotsSlashesAndDashes) {
  for (const std::string unit : {"1", ".", "/", "-", "1.", "1/", "1-", "12/10/", "2020-", "1,",
                                 "A-", "T.", "124-QĐ/", "- ", "%", "|", "…"}) {
    ProcessChecked(Repeat(unit, 512u << 10), "run of '" + unit + "'");
  }
}

TEST_F(InvariantsTest, LoneCombiningMarksAndEmoji) {
  ProcessChecked("\xCC\x81", "one combining mark");
  ProcessChecked("\xCC\x81\xCC\x80 a \xCC\x83\xCC\xA3.\n\xCC\x89", "combining marks without base");
  ProcessChecked("\xF0\x9F\x91\x8D\xF0\x9F\x8F\xBD Hà Nội \xF0\x9F\x91\xA8\xE2\x80\x8D\xF0\x9F\x91\xA9 "
      "\xE2\x9D\xA4\xEF\xB8\x8F!",
      "emoji with modifiers and joiners");
  ProcessChecked(Repeat("\xF0\x9F\x98\x80", 64u << 10), "run of emoji");
}

TEST_F(InvariantsTest, RandomMixturesOfHostilePieces) {
  const std::vector<std::string> pieces = {
      "Hà", "Nội", " ", "  ", "\n", "\n\n", ".", "...", "…", ",", "-", " - ", "–", "—", "/",
      "|", "\"", "“", "”", "(", ")", "%", "1", "19", "2020", "15.295", "86,3", "TP.", "TP.HCM",
      "T.Ư", "PGS.TS.", "QĐ", "TW", "124", "CT", "UBND", "a@b.vn", "www.", "http://", "\t",
      "\xC2\xA0", "\xE2\x80\x8B", "\xCC\x81", "\xF0\x9F\x98\x80", std::string("\0", 1), "\x01",
      "ủy", "hoà", "Thuỷ", "\r\n", "Ảnh:", "Print", "QR Code"};
  std::mt19937 random(20240628);
  for (int doc = 0; doc < 300; ++doc) {
    std::string raw;
    const int length = static_cast<int>(random() % 80);
    for (int i = 0; i < length; ++i) raw += pieces[random() % pieces.size()];
    ProcessChecked(raw, "mixture " + std::to_string(doc));
    ProcessChecked(Nfd(raw), "NFD mixture " + std::to_string(doc));
  }
}

TEST_F(InvariantsTest, RealSeedArticles) {
  const std::filesystem::path dir = VNFACTS_SHARED_DIR "/corpus/seeds";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "seed articles not found in " << dir;
  int seen = 0;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    const std::string name = entry.path().filename().string();
    Document doc = ProcessChecked(buffer.str(), name);
    EXPECT_GT(doc.sentences.size(), 5u) << name;
    ProcessChecked(Nfd(buffer.str()), "NFD " + name);
    ++seen;
  }
  EXPECT_EQ(seen, 5);
}

}  // namespace
}  // namespace vnfacts
