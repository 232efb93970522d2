#include "pipeline/word_segmenter.h"

#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <random>
#include <sstream>
#include <span>
#include <string>
#include <unordered_set>
#include <utility>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/segmenter_model.h"
#include "pipeline/text_pipeline.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;
using TK = TokenKind;
using Tok = std::pair<std::string, TokenKind>;

// Created once for all tests (loading takes ~0.1 s); null when the lexicons
// or the installed dictionary cannot be loaded.
const WordSegmenter* SharedSegmenter() {
  static const WordSegmenter* segmenter = [] {
    auto created = WordSegmenter::Create(DefaultLexiconDir(), DefaultDictionaryPath());
    EXPECT_TRUE(created.ok()) << created.status().message();
    return created.ok() ? new WordSegmenter(std::move(created).value()) : nullptr;
  }();
  return segmenter;
}
const WordSegmenter& TheSegmenter() { return *SharedSegmenter(); }

class WordSegmenterTest : public ::testing::Test {
 protected:
  void SetUp() override { ASSERT_NE(SharedSegmenter(), nullptr); }
};

// Kind of a token written in a test: letters only are syllables, anything with
// a digit a number, anything else punctuation. Tests that need other kinds
// say so with MakeDocument().
TokenKind GuessKind(const std::string& token) {
  bool digit = false, letter = false;
  for (unsigned char c : token) {
    digit |= c >= '0' && c <= '9';
    letter |= c >= 0x80 || (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  }
  return digit ? TK::kNumber : letter ? TK::kSyllable : TK::kPunctuation;
}

// One sentence of tokens separated by `separators[i]` (default one space).
Document MakeDocument(const std::vector<Tok>& tokens, const std::vector<std::string>& separators = {}) {
  Document doc;
  for (size_t i = 0; i < tokens.size(); ++i) {
    if (i > 0) doc.text += i - 1 < separators.size() ? separators[i - 1] : " ";
    const uint32_t begin = static_cast<uint32_t>(doc.text.size());
    doc.text += tokens[i].first;
    doc.tokens.push_back({begin, static_cast<uint32_t>(doc.text.size()), tokens[i].second});
  }
  Sentence s;
  s.begin = 0;
  s.end = static_cast<uint32_t>(doc.text.size());
  s.first_token = 0;
  s.end_token = static_cast<uint32_t>(doc.tokens.size());
  doc.sentences.push_back(s);
  return doc;
}

std::vector<Tok> Guess(const std::string& text) {
  std::vector<Tok> tokens;
  std::istringstream in(text);
  for (std::string t; in >> t;) tokens.emplace_back(t, GuessKind(t));
  return tokens;
}

// Words of a segmented document, syllables joined by '_' (the CLI's format).
std::string WordLine(const Document& doc) {
  std::string line;
  for (const Word& w : doc.words) {
    if (!line.empty()) line += ' ';
    for (uint32_t t = w.first_token; t < w.end_token; ++t) {
      if (t != w.first_token) line += '_';
      line += doc.TokenText(doc.tokens[t]);
    }
  }
  return line;
}

std::string Segmented(const std::string& text) {
  Document doc = MakeDocument(Guess(text));
  TheSegmenter().Segment(&doc);
  return WordLine(doc);
}

// Words tile each sentence's tokens, in order, with matching offsets.
void ExpectWordsTileTokens(const Document& doc) {
  uint32_t next_word = 0;
  for (const Sentence& s : doc.sentences) {
    ASSERT_EQ(s.first_word, next_word);
    uint32_t next_token = s.first_token;
    for (uint32_t w = s.first_word; w < s.end_word; ++w) {
      const Word& word = doc.words[w];
      ASSERT_EQ(word.first_token, next_token);
      ASSERT_LT(word.first_token, word.end_token);
      ASSERT_EQ(word.begin, doc.tokens[word.first_token].begin);
      ASSERT_EQ(word.end, doc.tokens[word.end_token - 1].end);
      if (word.end_token - word.first_token > 1) {
        for (uint32_t t = word.first_token; t < word.end_token; ++t) {
          ASSERT_EQ(doc.tokens[t].kind, TK::kSyllable) << doc.TokenText(doc.tokens[t]);
        }
      }
      next_token = word.end_token;
    }
    ASSERT_EQ(next_token, s.end_token);
    next_word = s.end_word;
  }
  ASSERT_EQ(next_word, doc.words.size());
}

TEST_F(WordSegmenterTest, JoinsCommonWords) {
  EXPECT_EQ(Segmented("công tác dân vận"), "công_tác dân_vận");
  EXPECT_EQ(Segmented("Thành ủy tổ chức hội nghị tổng kết công tác năm"),
            "Thành_ủy tổ_chức hội_nghị tổng_kết công_tác năm");
}

TEST_F(WordSegmenterTest, KeepsNamesWhole) {
  EXPECT_EQ(Segmented("Đồng chí Nguyễn Văn Phong phát biểu tại Hà Nội ."),
            "Đồng_chí Nguyễn_Văn_Phong phát_biểu tại Hà_Nội .");
  EXPECT_EQ(Segmented("ông Đỗ Anh Tuấn , Bí thư Đảng ủy xã"),
            "ông Đỗ_Anh_Tuấn , Bí_thư Đảng_ủy xã");
  EXPECT_EQ(Segmented("Hải Phòng và Đà Nẵng"), "Hải_Phòng và Đà_Nẵng");
}

TEST_F(WordSegmenterTest, ProjectWordsAlwaysJoin) {
  EXPECT_EQ(Segmented("Ban Bí thư Trung ương Đảng"), "Ban_Bí_thư Trung_ương Đảng");
  EXPECT_EQ(Segmented("Bộ Chính trị"), "Bộ_Chính_trị");
  // Old and new tone placement are one word list entry.
  EXPECT_EQ(Segmented("Thành uỷ Hà Nội"), "Thành_uỷ Hà_Nội");
  EXPECT_EQ(Segmented("Thành ủy Hà Nội"), "Thành_ủy Hà_Nội");
}

TEST_F(WordSegmenterTest, ToneMarkPlacementDoesNotChangeSegmentation) {
  const std::vector<std::pair<std::string, std::string>> pairs = {
      {"giữ gìn hoà bình và ổn định", "giữ gìn hòa bình và ổn định"},
      {"đẩy mạnh công nghiệp hoá , hiện đại hoá", "đẩy mạnh công nghiệp hóa , hiện đại hóa"},
      {"uỷ ban nhân dân huyện", "ủy ban nhân dân huyện"},
  };
  for (const auto& [old_style, new_style] : pairs) {
    std::vector<std::string> a_text, b_text;
    std::istringstream a(old_style), b(new_style);
    for (std::string t; a >> t;) a_text.push_back(t);
    for (std::string t; b >> t;) b_text.push_back(t);
    std::vector<std::string_view> a_view(a_text.begin(), a_text.end());
    std::vector<std::string_view> b_view(b_text.begin(), b_text.end());
    EXPECT_EQ(TheSegmenter().WordStarts(a_view), TheSegmenter().WordStarts(b_view)) << old_style;
  }
}

TEST_F(WordSegmenterTest, NumbersCodesAndAbbreviationsStayWhole) {
  Document doc = MakeDocument({{"Quy", TK::kSyllable},
                               {"định", TK::kSyllable},
                               {"124-QĐ/TW", TK::kDocumentCode},
                               {"của", TK::kSyllable},
                               {"UBND", TK::kAbbreviation},
                               {"tỉnh", TK::kSyllable},
                               {"ngày", TK::kSyllable},
                               {"2/2/2018", TK::kDate},
                               {"có", TK::kSyllable},
                               {"15.295", TK::kNumber},
                               {"đảng", TK::kSyllable},
                               {"viên", TK::kSyllable},
                               {",", TK::kPunctuation},
                               {"TP.HCM", TK::kAbbreviation},
                               {"Covid-19", TK::kAlphanumeric}});
  TheSegmenter().Segment(&doc);
  ExpectWordsTileTokens(doc);
  EXPECT_EQ(WordLine(doc), "Quy_định 124-QĐ/TW của UBND tỉnh ngày 2/2/2018 có 15.295 đảng_viên , "
                           "TP.HCM Covid-19");
}

TEST_F(WordSegmenterTest, AbbreviationsDoNotJoinEvenWhenAllLetters) {
  // "UBND" is letters only; as a syllable it could join, as an abbreviation not.
  Document doc = MakeDocument({{"UBND", TK::kAbbreviation}, {"Hà", TK::kSyllable},
                               {"Nội", TK::kSyllable}});
  TheSegmenter().Segment(&doc);
  EXPECT_EQ(WordLine(doc), "UBND Hà_Nội");
}

TEST_F(WordSegmenterTest, LinesInCapitalsSegmentLikeLowerCase) {
  EXPECT_EQ(Segmented("HỘI NGHỊ BAN CHẤP HÀNH ĐẢNG BỘ TỈNH"), "HỘI_NGHỊ BAN_CHẤP_HÀNH ĐẢNG_BỘ TỈNH");
  EXPECT_EQ(Segmented("BÀI HAI : HẾT"), "BÀI HAI : HẾT");
  // Whatever the model does with a phrase in lower case, it does in capitals.
  auto separators = [](const std::string& line) {
    std::string out;
    for (char c : line) {
      if (c == ' ' || c == '_') out.push_back(c);
    }
    return out;
  };
  EXPECT_EQ(separators(Segmented("NGƯỜI DÂN VÀ CÁN BỘ CÔNG AN")),
            separators(Segmented("người dân và cán bộ công an")));
}

TEST_F(WordSegmenterTest, ProjectWordsJoinNothingAroundThem) {
  // "quốc xã" is a dictionary word; "Tổ quốc" in words.tsv keeps it apart.
  EXPECT_EQ(Segmented("Mặt trận Tổ quốc xã vận động nhân dân"),
            "Mặt_trận Tổ_quốc xã vận_động nhân_dân");
}

TEST_F(WordSegmenterTest, OrganizationHeadsStayApartFromTheName) {
  EXPECT_EQ(Segmented("Chủ tịch Hội Nông dân tỉnh"), "Chủ_tịch Hội Nông_dân tỉnh");
  EXPECT_EQ(Segmented("Sở Giao thông vận tải và Bộ Y tế"), "Sở Giao_thông vận_tải và Bộ Y_tế");
  EXPECT_EQ(Segmented("Giám đốc Công ty Cấp nước"), "Giám_đốc Công_ty Cấp_nước");
  // A head that starts a listed name, or one followed by a lower-case
  // syllable, is left to the model.
  EXPECT_EQ(Segmented("tại Hội An và Bộ Chính trị"), "tại Hội_An và Bộ_Chính_trị");
  EXPECT_EQ(Segmented("Ban hành quyết định"), "Ban_hành quyết_định");
}

TEST_F(WordSegmenterTest, NeverJoinsAcrossPunctuationOrNumbers) {
  EXPECT_EQ(Segmented("công , tác"), "công , tác");
  EXPECT_EQ(Segmented("Hà - Nội"), "Hà - Nội");
  EXPECT_EQ(Segmented("năm 2024 công tác"), "năm 2024 công_tác");
}

TEST_F(WordSegmenterTest, JoinsOnlyTokensSeparatedBySpaces) {
  const std::vector<Tok> tokens = {{"công", TK::kSyllable}, {"tác", TK::kSyllable}};
  for (const std::string separator : {"", "\n", "\t", " \n "}) {
    Document doc = MakeDocument(tokens, {separator});
    TheSegmenter().Segment(&doc);
    EXPECT_EQ(doc.words.size(), 2u) << "separator of " << separator.size() << " bytes";
  }
  Document spaced = MakeDocument(tokens, {"   "});
  TheSegmenter().Segment(&spaced);
  EXPECT_EQ(spaced.words.size(), 1u);
}

TEST_F(WordSegmenterTest, EmptyInput) {
  EXPECT_TRUE(TheSegmenter().WordStarts({}).empty());
  EXPECT_TRUE(TheSegmenter().WordStarts({"công"}).empty());
  Document empty;
  TheSegmenter().Segment(&empty);
  EXPECT_TRUE(empty.words.empty());
  Document no_tokens;
  no_tokens.text = "   ";
  no_tokens.sentences.push_back(Sentence{0, 3});
  no_tokens.words.push_back({0, 1, 0, 1});  // stale words are replaced
  TheSegmenter().Segment(&no_tokens);
  EXPECT_TRUE(no_tokens.words.empty());
  EXPECT_EQ(no_tokens.sentences[0].first_word, 0u);
  EXPECT_EQ(no_tokens.sentences[0].end_word, 0u);
}

TEST_F(WordSegmenterTest, WordStartsAgreesWithSegment) {
  const std::string text =
      "Chiều 19/12 , Ban Thường vụ Tỉnh ủy họp bàn việc tổng kết Chỉ thị , "
      "đồng chí Trần Văn Hùng chủ trì";
  Document doc = MakeDocument(Guess(text));
  TheSegmenter().Segment(&doc);
  std::vector<std::string_view> tokens;
  for (const Token& t : doc.tokens) tokens.push_back(doc.TokenText(t));
  const std::vector<bool> starts = TheSegmenter().WordStarts(tokens);
  ASSERT_EQ(starts.size(), tokens.size() - 1);
  std::vector<bool> from_words(tokens.size() - 1, false);
  for (const Word& w : doc.words) {
    if (w.first_token > 0) from_words[w.first_token - 1] = true;
  }
  EXPECT_EQ(starts, from_words);
}

TEST_F(WordSegmenterTest, LongSentenceAndManySentences) {
  const std::string phrase = "cán bộ đảng viên tích cực học tập và làm theo tư tưởng , ";
  std::string text;
  for (int i = 0; i < 4000; ++i) text += phrase;
  Document doc = MakeDocument(Guess(text));
  ASSERT_GT(doc.tokens.size(), 50000u);
  TheSegmenter().Segment(&doc);
  ExpectWordsTileTokens(doc);
  EXPECT_LT(doc.words.size(), doc.tokens.size());
  EXPECT_NE(WordLine(doc).find("cán_bộ"), std::string::npos);

  // The same text cut into one sentence per phrase.
  Document many = MakeDocument(Guess(text));
  many.sentences.clear();
  const uint32_t per = static_cast<uint32_t>(Guess(phrase).size());
  for (uint32_t t = 0; t < many.tokens.size(); t += per) {
    Sentence s;
    s.first_token = t;
    s.end_token = std::min<uint32_t>(t + per, many.tokens.size());
    s.begin = many.tokens[t].begin;
    s.end = s.end_token < many.tokens.size() ? many.tokens[s.end_token].begin
                                             : static_cast<uint32_t>(many.text.size());
    many.sentences.push_back(s);
  }
  TheSegmenter().Segment(&many);
  ExpectWordsTileTokens(many);
}

// The compiled scorer must give what the feature definitions give: this is
// what makes a model trained through GapFeatures() valid at run time.
TEST(SegmenterModelTest, CompiledScoresMatchReferenceScores) {
  auto keyer = seg::SyllableKeyer::Create();
  ASSERT_TRUE(keyer.ok());
  auto words = seg::LoadSegmenterWords(*keyer, DefaultLexiconDir(), DefaultDictionaryPath());
  ASSERT_TRUE(words.ok()) << words.status().message();
  float trans[2][2] = {{0, 0}, {0, 0}};
  auto features = seg::SegmenterModel::ReadFeatures(DefaultLexiconDir() / "segmenter_model.tsv",
                                                    *keyer, trans);
  ASSERT_TRUE(features.ok()) << features.status().message();
  const seg::SegmenterModel model = seg::SegmenterModel::Build(*keyer, *words, *features, trans);
  EXPECT_EQ(model.feature_count(), features->size());

  const std::vector<std::string> vocabulary = {
      "công", "tác", "dân", "vận", "Hà", "Nội", "Thành", "ủy", "uỷ", "Nguyễn", "Văn", "Phong",
      "Ban", "Bí", "thư", "người", "ta", "UBND", "TP.", "iPhone", ",", ".", "(", ")", "2024",
      "15.295", "tổ", "chức", "hội", "nghị", "Đảng", "viên", "xã", "hoà", "bình", "zyx", "|"};
  std::mt19937 rng(7);
  seg::SentenceAnalysis a;
  size_t compared = 0;
  for (int sentence = 0; sentence < 300; ++sentence) {
    const size_t n = 1 + rng() % 25;
    model.PrepareUnits(*keyer, n, &a);
    for (size_t i = 0; i < n; ++i) {
      a.units[i + 2] = keyer->Analyze(vocabulary[rng() % vocabulary.size()]);
    }
    model.AnalyzeSentence(&a);
    for (size_t g = 0; g < a.gaps(); ++g) {
      const float fast = model.JoinScore(a, g);
      const float reference = model.ReferenceJoinScore(a, g);
      ASSERT_NEAR(fast, reference, 1e-3f * (1 + std::abs(reference))) << "sentence " << sentence;
      ++compared;
    }
    // Decode() scores all gaps in one loop; its scores are JoinScore()'s,
    // to the bit, or decisions could differ.
    std::vector<float> scores;
    std::vector<uint8_t> labels;
    model.Decode(a, &scores, &labels);
    ASSERT_EQ(scores.size(), a.gaps());
    for (size_t g = 0; g < a.gaps(); ++g) {
      if (a.forced[g] == seg::SentenceAnalysis::kFree) {
        ASSERT_EQ(scores[g], model.JoinScore(a, g)) << "sentence " << sentence << " gap " << g;
      }
    }
  }
  EXPECT_GT(compared, 1000u);
}

TEST(SegmenterModelTest, FeatureNamesRoundTrip) {
  auto keyer = seg::SyllableKeyer::Create();
  ASSERT_TRUE(keyer.ok());
  seg::FeatureWeight f;
  ASSERT_TRUE(seg::SegmenterModel::ParseFeature("w0w1:công|tác", *keyer, &f));
  EXPECT_EQ(f.t, seg::kW0W1);
  EXPECT_EQ(f.atoms[0], keyer->Key("Công"));
  ASSERT_TRUE(seg::SegmenterModel::ParseFeature("s0s1:t|l", *keyer, &f));
  ASSERT_TRUE(seg::SegmenterModel::ParseFeature("b:", *keyer, &f));
  EXPECT_FALSE(seg::SegmenterModel::ParseFeature("w0w1:công", *keyer, &f));
  EXPECT_FALSE(seg::SegmenterModel::ParseFeature("s0s1:x|l", *keyer, &f));
  EXPECT_FALSE(seg::SegmenterModel::ParseFeature("d:1|2", *keyer, &f));
  EXPECT_FALSE(seg::SegmenterModel::ParseFeature("zz:a", *keyer, &f));
  EXPECT_FALSE(seg::SegmenterModel::ParseFeature("w0", *keyer, &f));
  // Tone placement and case do not change a key.
  EXPECT_EQ(keyer->Key("Thủy"), keyer->Key("thuỷ"));
  EXPECT_EQ(keyer->Key("HOÀ"), keyer->Key("hòa"));
  EXPECT_NE(keyer->Key("hòa"), keyer->Key("hoa"));
  EXPECT_NE(keyer->Key("hòa"), keyer->Key("hóa"));
}

// Tokens longer than the scan's 16-bit counters are counted in chunks: one
// capital after 70,000 small letters is a mixed-case token, and a run of
// 70,000 capitals is all capitals.
TEST(SegmenterModelTest, VeryLongTokensKeepTheirShape) {
  auto keyer = seg::SyllableKeyer::Create();
  ASSERT_TRUE(keyer.ok());
  EXPECT_EQ(keyer->Analyze(std::string(70000, 'a') + "B").shape, seg::Shape::kMixed);
  EXPECT_EQ(keyer->Analyze(std::string(70000, 'A')).shape, seg::Shape::kCaps);
  EXPECT_EQ(keyer->Analyze("B" + std::string(70000, 'a')).shape, seg::Shape::kTitle);
  EXPECT_EQ(keyer->Analyze(std::string(70000, 'a')).shape, seg::Shape::kLower);
}

// A memoized keyer must give exactly the scanning keyer's units: for the
// memoized spellings, for texts that share their first and last bytes, and
// for every length around the memo's 1-3 / 4-7 / 8-16 byte layouts.
TEST(SegmenterModelTest, MemoizedUnitsEqualScannedUnits) {
  auto plain = seg::SyllableKeyer::Create();
  auto memo = seg::SyllableKeyer::Create();
  ASSERT_TRUE(plain.ok() && memo.ok());
  auto words = seg::LoadSegmenterWords(*plain, DefaultLexiconDir(), DefaultDictionaryPath());
  ASSERT_TRUE(words.ok()) << words.status().message();
  const std::vector<std::string> spellings = seg::SyllableSpellings(words->general);
  EXPECT_GT(spellings.size(), 10000u);
  // Stand-in table entries, to see each spelling get its own back.
  std::vector<uint32_t> entries(spellings.size());
  for (size_t i = 0; i < entries.size(); ++i) entries[i] = static_cast<uint32_t>(i * 7 + 1);
  memo->Memoize(spellings, entries);
  EXPECT_GT(memo->memoized(), 10000u);
  for (size_t i = 0; i < spellings.size(); i += 97) {
    const seg::Unit u = memo->Analyze(spellings[i]);
    if (spellings[i].size() > 16) continue;
    EXPECT_TRUE(u.unigram_known) << spellings[i];
    EXPECT_EQ(u.unigram, entries[i]) << spellings[i];
  }
  EXPECT_FALSE(memo->Analyze("zzqx").unigram_known);
  EXPECT_FALSE(plain->Analyze("công").unigram_known);

  std::vector<std::string> probes = spellings;
  for (const std::string& s : {"nghiêng", "Nghiêng", "NGHIÊNG", "nghiêngx", "xnghiêng", "ng", "a",
                               "abcdefgh", "abcdefghi", "abcdefghijklmnop", "abcdefghijklmnopq",
                               "aXc", "abc", "a.c", "15.295", "TP.", "iPhone", "|", "",
                               "trườngg", "truờng", "Trường"}) {
    probes.push_back(s);
  }
  std::mt19937 rng(11);
  for (int i = 0; i < 20000; ++i) {
    // Same length and same ends as a memoized spelling, a middle byte changed.
    std::string s = spellings[rng() % spellings.size()];
    if (s.size() >= 3) s[1 + rng() % (s.size() - 2)] ^= static_cast<char>(1 + rng() % 3);
    probes.push_back(s);
  }
  for (const std::string& p : probes) {
    const seg::Unit a = plain->Analyze(p);
    const seg::Unit b = memo->Analyze(p);
    ASSERT_EQ(a.key, b.key) << p;
    ASSERT_EQ(a.shape, b.shape) << p;
    ASSERT_EQ(a.joinable, b.joinable) << p;
    // Key() takes a joinable memoized token's key from the memo.
    ASSERT_EQ(plain->Key(p), memo->Key(p)) << p;
  }
}

// Analyze() answers one-byte tokens from a table and numbers from their first
// digit; both must give what scanning the token gives, with and without a
// memo, for every byte (lone bytes >= 0x80 are ill-formed) and for numbers
// of every shape, hostile ones included.
TEST(SegmenterModelTest, ShortcutUnitsEqualScannedUnits) {
  auto plain = seg::SyllableKeyer::Create();
  auto memo = seg::SyllableKeyer::Create();
  ASSERT_TRUE(plain.ok() && memo.ok());
  memo->Memoize({"a", "A", "y", "o", ",", "1", "2a", "công"}, {3, 5, 7});
  std::vector<std::string> probes;
  for (int b = 0; b < 256; ++b) probes.push_back(std::string(1, static_cast<char>(b)));
  for (const std::string& s :
       {"12", "2024", "15.295", "1.234.567,5", "86,3", "3%", "124-QĐ/TW", "5G", "20h30", "0đ",
        "9\xFF", "1\xC3", "7|", "1\u0301", "2a", "00000000000000000000000000", "x1", "a1b",
        ".5", ",", "..", "\xC3\xA1", "\xCC\x81"}) {
    probes.push_back(s);
  }
  for (const auto* keyer : {&*plain, &*memo}) {
    for (const std::string& p : probes) {
      const seg::Unit fast = keyer->Analyze(p);
      const seg::Unit scanned = keyer->AnalyzeByScan(p);
      EXPECT_EQ(fast.key, scanned.key) << p;
      EXPECT_EQ(fast.shape, scanned.shape) << p;
      EXPECT_EQ(fast.joinable, scanned.joinable) << p;
    }
  }
  // The table keeps what the memo knew of a one-byte token.
  EXPECT_TRUE(memo->Analyze("a").unigram_known);
  EXPECT_EQ(memo->Analyze("A").unigram, 5u);
  EXPECT_FALSE(plain->Analyze("a").unigram_known);
}

// SyllableSpellings() spells each distinct syllable once; it must return
// exactly (order included) what spelling out every occurrence returns.
TEST(SegmenterModelTest, SyllableSpellingsMatchSpellingEveryOccurrence) {
  auto keyer = seg::SyllableKeyer::Create();
  ASSERT_TRUE(keyer.ok());
  auto words = seg::LoadSegmenterWords(*keyer, DefaultLexiconDir(), DefaultDictionaryPath());
  ASSERT_TRUE(words.ok()) << words.status().message();
  std::vector<std::string> list = words->general;
  for (const char* w : {"Hà Nội", "hà nội", "HÀ NỘI", "  hai  khoảng ", "ĐÀ", "đà", "Đà", "", " "}) {
    list.push_back(w);
  }
  std::unordered_set<std::string> seen;
  std::vector<std::string> expected;
  auto add = [&](std::string s) {
    if (!s.empty() && seen.insert(s).second) expected.push_back(std::move(s));
  };
  for (const std::string& word : list) {
    std::istringstream in(word);
    for (std::string syllable; std::getline(in, syllable, ' ');) {
      if (syllable.empty()) continue;
      add(syllable);
      const std::string lower = ToLowerUtf8(syllable);
      size_t pos = 0;
      const int32_t first = NextCodePoint(lower, &pos);
      if (first >= 0) {
        std::string title;
        AppendUtf8(ToUpper(static_cast<char32_t>(first)), &title);
        add(title + lower.substr(pos));
      }
      add(lower);
    }
  }
  EXPECT_EQ(seg::SyllableSpellings(list), expected);
}

// A lexicon folder with the real word list and a given model file.
class BrokenLexiconTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vnfacts_segmenter_test_" + std::to_string(::testing::UnitTest::GetInstance()->random_seed()) +
            "_" + ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::create_directories(dir_);
    for (const char* file : {"words.tsv", "name_heads.tsv", "segmenter_model.tsv"}) {
      fs::copy_file(DefaultLexiconDir() / file, dir_ / file, fs::copy_options::overwrite_existing);
    }
  }
  void TearDown() override { fs::remove_all(dir_); }
  void Append(const std::string& file, const std::string& text) {
    std::ofstream out(dir_ / file, std::ios::app);
    out << text;
  }
  std::string CreateError() {
    auto created = WordSegmenter::Create(dir_, DefaultDictionaryPath());
    return created.ok() ? std::string() : created.status().message();
  }
  fs::path dir_;
};

TEST_F(BrokenLexiconTest, CopiedFilesLoad) { EXPECT_EQ(CreateError(), ""); }

TEST_F(BrokenLexiconTest, MalformedFeatureNamesFileAndLine) {
  Append("segmenter_model.tsv", "w0w1:công\t1.5\n");
  const std::string error = CreateError();
  EXPECT_NE(error.find("segmenter_model.tsv:"), std::string::npos) << error;
  EXPECT_NE(error.find("malformed feature"), std::string::npos) << error;
}

TEST_F(BrokenLexiconTest, BadWeight) {
  Append("segmenter_model.tsv", "w0w1:ba|mươi\tabc\n");
  EXPECT_NE(CreateError().find("bad weight"), std::string::npos);
}

TEST_F(BrokenLexiconTest, OneSyllableProjectWord) {
  Append("words.tsv", "Huế\tcity\n");
  const std::string error = CreateError();
  EXPECT_NE(error.find("words.tsv:"), std::string::npos) << error;
  EXPECT_NE(error.find("syllables"), std::string::npos) << error;
}

TEST_F(BrokenLexiconTest, DuplicateProjectWordIgnoringCase) {
  Append("words.tsv", "hà nội\tcity\n");
  EXPECT_NE(CreateError().find("duplicate"), std::string::npos);
}

TEST_F(BrokenLexiconTest, LongNameHead) {
  Append("name_heads.tsv", "Ban chỉ đạo tỉnh\n");
  const std::string error = CreateError();
  EXPECT_NE(error.find("name_heads.tsv:"), std::string::npos) << error;
}

TEST_F(BrokenLexiconTest, MissingModelAndDictionary) {
  fs::remove(dir_ / "segmenter_model.tsv");
  EXPECT_NE(CreateError().find("segmenter_model.tsv"), std::string::npos);
  auto created = WordSegmenter::Create(dir_, dir_ / "no_such_dictionary.txt");
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("scripts/setup.sh"), std::string::npos);
}

TEST_F(BrokenLexiconTest, ProjectWordsExtendWithoutRecompiling) {
  auto before = WordSegmenter::Create(dir_, DefaultDictionaryPath());
  ASSERT_TRUE(before.ok());
  const std::vector<std::string_view> tokens = {"Ủy", "ban", "Kiểm", "tra", "Trung", "ương"};
  Append("words.tsv", "Ủy ban Kiểm tra Trung ương\torgan\n");
  auto after = WordSegmenter::Create(dir_, DefaultDictionaryPath());
  ASSERT_TRUE(after.ok()) << after.status().message();
  EXPECT_EQ(after->WordStarts(tokens), std::vector<bool>(5, false));
}

// The seed articles through the whole text layer: names and organs the
// articles mention come out as single words.
TEST(WordSegmenterSeedsTest, SeedArticles) {
  const fs::path seeds = fs::path(VNFACTS_SHARED_DIR) / "corpus" / "seeds";
  if (!fs::is_directory(seeds)) GTEST_SKIP() << seeds << " not found (shared data absent)";
  auto pipeline = TextPipeline::Create({});
  ASSERT_TRUE(pipeline.ok()) << pipeline.status().message();
  std::string all_words;
  size_t syllables = 0, joined = 0;
  for (const auto& entry : fs::directory_iterator(seeds)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    Document doc;
    doc.source = entry.path().string();
    doc.raw = buffer.str();
    ASSERT_TRUE(pipeline->Process(&doc).ok());
    ExpectWordsTileTokens(doc);
    for (const Word& w : doc.words) {
      all_words += '|';
      all_words += doc.WordText(w);
      if (doc.tokens[w.first_token].kind == TK::kSyllable) {
        syllables += w.end_token - w.first_token;
        if (w.end_token - w.first_token > 1) joined += w.end_token - w.first_token;
      }
    }
    all_words += '|';
  }
  for (const std::string word : {"Nguyễn Văn Phong", "Đỗ Anh Tuấn", "Ban Bí thư", "Hà Nội",
                                 "Thành ủy", "dân vận"}) {
    EXPECT_NE(all_words.find("|" + word + "|"), std::string::npos) << word;
  }
  // Most syllables of Vietnamese news prose belong to multi-syllable words.
  EXPECT_GT(joined, syllables / 2) << joined << " of " << syllables;
}

// Tokens and words made when asked (SentenceWords on a document the
// pipeline left without them) are, sentence by sentence, those of the whole
// document tokenized and segmented up front; on a segmented document
// SentenceWords reads them.
TEST(WordSegmenterOnDemandTest, SentenceWordsEqualWordsUpFront) {
  TextPipelineOptions on_demand;
  on_demand.words_on_demand = true;
  auto eager = TextPipeline::Create({});
  auto lazy = TextPipeline::Create(on_demand);
  ASSERT_TRUE(eager.ok() && lazy.ok());
  size_t sentences = 0, multi = 0;
  const fs::path corpus = fs::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles";
  for (const auto& entry : fs::directory_iterator(corpus)) {
    if (entry.path().extension() != ".txt") continue;
    std::ifstream in(entry.path(), std::ios::binary);
    std::ostringstream buffer;
    buffer << in.rdbuf();
    Document up_front, asked;
    up_front.raw = asked.raw = buffer.str();
    ASSERT_TRUE(eager->Process(&up_front).ok());
    ASSERT_TRUE(lazy->Process(&asked).ok());
    EXPECT_EQ(up_front.word_source, nullptr);
    EXPECT_TRUE(asked.tokens.empty());
    EXPECT_TRUE(asked.words.empty());
    ASSERT_EQ(asked.word_source, &*lazy);
    ASSERT_EQ(asked.sentences.size(), up_front.sentences.size());
    SentenceWordsScratch scratch, unused;
    for (size_t i = 0; i < up_front.sentences.size(); ++i) {
      const Sentence& s = up_front.sentences[i];
      const std::span<const Word> expected(up_front.words.data() + s.first_word,
                                           s.end_word - s.first_word);
      // On demand, token indices count in the sentence's own tokens.
      const std::span<const Word> made = SentenceWords(asked, i, &scratch);
      ASSERT_EQ(made.size(), expected.size()) << entry.path() << " sentence " << i;
      for (size_t w = 0; w < made.size(); ++w) {
        EXPECT_EQ(made[w].begin, expected[w].begin);
        EXPECT_EQ(made[w].end, expected[w].end);
        ASSERT_EQ(made[w].end_token - made[w].first_token,
                  expected[w].end_token - expected[w].first_token);
        for (uint32_t t = 0; t < made[w].end_token - made[w].first_token; ++t) {
          const Token& got = scratch.tokens[made[w].first_token + t];
          const Token& want = up_front.tokens[expected[w].first_token + t];
          EXPECT_TRUE(got.begin == want.begin && got.end == want.end && got.kind == want.kind);
        }
        multi += expected[w].end_token - expected[w].first_token > 1;
      }
      EXPECT_EQ(scratch.tokens.size(), s.end_token - s.first_token);
      const std::span<const Word> read = SentenceWords(up_front, i, &unused);
      EXPECT_EQ(read.data(), expected.data());
      EXPECT_EQ(read.size(), expected.size());
      ++sentences;
    }
    EXPECT_TRUE(unused.words.empty() && unused.tokens.empty());
    EXPECT_TRUE(SentenceWords(asked, asked.sentences.size(), &scratch).empty());
  }
  EXPECT_GT(sentences, 500u);
  EXPECT_GT(multi, 1000u);
}

}  // namespace
}  // namespace vnfacts
