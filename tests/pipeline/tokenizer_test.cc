#include "pipeline/tokenizer.h"

#include <gtest/gtest.h>

#include <algorithm>
#include <ctime>
#include <filesystem>
#include <fstream>
#include <map>
#include <sstream>
#include <string>
#include <utility>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/sentence_splitter.h"

namespace vnfacts {
namespace {

const Tokenizer& TheTokenizer() {
  static const Tokenizer* tokenizer = [] {
    auto created = Tokenizer::Create(DefaultLexiconDir());
    EXPECT_TRUE(created.ok()) << created.status().message();
    return new Tokenizer(std::move(created).value());
  }();
  return *tokenizer;
}

using Tok = std::pair<std::string, TokenKind>;
using TK = TokenKind;

// Tokenizes `text` as one sentence.
std::vector<Tok> Tokens(const std::string& text) {
  Document doc;
  doc.text = text;
  doc.sentences.push_back(Sentence{0, static_cast<uint32_t>(text.size())});
  TheTokenizer().Tokenize(&doc);
  std::vector<Tok> out;
  for (const Token& t : doc.tokens) out.emplace_back(std::string(doc.TokenText(t)), t.kind);
  return out;
}

// The single token `text` must become, with its kind.
void ExpectOne(const std::string& text, TokenKind kind) {
  EXPECT_EQ(Tokens(text), (std::vector<Tok>{{text, kind}})) << text;
}

// The kind of the token whose text is `token` inside `text`.
TokenKind KindOf(const std::string& text, const std::string& token) {
  for (const auto& [t, kind] : Tokens(text)) {
    if (t == token) return kind;
  }
  ADD_FAILURE() << "no token '" << token << "' in: " << text;
  return TK::kSymbol;
}

TEST(TokenizerTest, Syllables) {
  EXPECT_EQ(Tokens("Thành ủy Hà Nội"),
            (std::vector<Tok>{{"Thành", TK::kSyllable},
                              {"ủy", TK::kSyllable},
                              {"Hà", TK::kSyllable},
                              {"Nội", TK::kSyllable}}));
  ExpectOne("nghiêng", TK::kSyllable);
  ExpectOne("Đảng", TK::kSyllable);
  ExpectOne("iPhone", TK::kSyllable);
}

// A letter run reads ASCII bytes without decoding them: only A-Z and a-z
// continue it. Every other byte below 0x80 ends "ươn" (a run that started on
// a two-byte letter) before it, and letters continue it. (Digits and
// . - @ _ + after a run start other shapes: F0, TP.HCM, e-mails.)
TEST(TokenizerTest, EveryAsciiByteEndsOrContinuesALetterRun) {
  for (int b = 1; b < 0x80; ++b) {
    if ((b >= '0' && b <= '9') || std::string_view(".-@_+").find(static_cast<char>(b)) !=
                                      std::string_view::npos) {
      continue;
    }
    const std::string text = std::string("ươn") + static_cast<char>(b) + "  ";
    const bool letter = (b >= 'a' && b <= 'z') || (b >= 'A' && b <= 'Z');
    const std::vector<Tok> tokens = Tokens(text);
    ASSERT_FALSE(tokens.empty()) << b;
    EXPECT_EQ(tokens.front().first, letter ? text.substr(0, text.size() - 2) : "ươn") << b;
  }
}

TEST(TokenizerTest, AllCapitalSyllablesStaySyllables) {
  EXPECT_EQ(Tokens("TIN MỚI NHẤT"), (std::vector<Tok>{{"TIN", TK::kSyllable},
                                                       {"MỚI", TK::kSyllable},
                                                       {"NHẤT", TK::kSyllable}}));
  ExpectOne("NGHIÊNG", TK::kSyllable);
  ExpectOne("QUỐC", TK::kSyllable);
}

TEST(TokenizerTest, DecomposedLettersStayInOneSyllable) {
  // "Hội" with the circumflex and the dot below as combining marks.
  ExpectOne("Ho\xCC\x82\xCC\xA3i", TK::kSyllable);
}

TEST(TokenizerTest, Numbers) {
  for (const char* n : {"15.295", "86,3", "1.234.567,5", "2020", "0,5", "2.038", "160.013", "3.5"}) {
    ExpectOne(n, TK::kNumber);
  }
  EXPECT_EQ(Tokens("năm 2020."), (std::vector<Tok>{{"năm", TK::kSyllable},
                                                    {"2020", TK::kNumber},
                                                    {".", TK::kPunctuation}}));
  EXPECT_EQ(Tokens("15.295, 20"), (std::vector<Tok>{{"15.295", TK::kNumber},
                                                    {",", TK::kPunctuation},
                                                    {"20", TK::kNumber}}));
}

TEST(TokenizerTest, Percentages) {
  ExpectOne("86,3%", TK::kPercent);
  ExpectOne("100%", TK::kPercent);
  ExpectOne("0,5%", TK::kPercent);
  EXPECT_EQ(KindOf("tăng khoảng 40%.", "40%"), TK::kPercent);
}

TEST(TokenizerTest, Dates) {
  for (const char* d : {"2/2/2018", "19/12", "9/2023", "26/11/2015", "19/6/2018", "1/2", "15.12.2023"}) {
    ExpectOne(d, TK::kDate);
  }
  EXPECT_EQ(Tokens("sau 1/2 nhiệm kỳ"), (std::vector<Tok>{{"sau", TK::kSyllable},
                                                          {"1/2", TK::kDate},
                                                          {"nhiệm", TK::kSyllable},
                                                          {"kỳ", TK::kSyllable}}));
}

TEST(TokenizerTest, ImpossibleDatesAreNotDates) {
  EXPECT_EQ(Tokens("45/13"), (std::vector<Tok>{{"45", TK::kNumber},
                                               {"/", TK::kPunctuation},
                                               {"13", TK::kNumber}}));
  EXPECT_EQ(KindOf("19.12 ha", "19.12"), TK::kNumber);
  // Digit runs far too long for a day, month or year (and for an int).
  EXPECT_EQ(Tokens("1/12345678901234567890").front(), Tok("1", TK::kNumber));
  EXPECT_EQ(Tokens("12345678901234567890/1").front(),
            Tok("12345678901234567890", TK::kNumber));
}

TEST(TokenizerTest, DateRanges) {
  ExpectOne("12/10/1983-12/10/2023", TK::kDateRange);
  ExpectOne("2/2018 - 6/2018", TK::kDateRange);
  EXPECT_EQ(Tokens("(12/10/1983-12/10/2023)"),
            (std::vector<Tok>{{"(", TK::kPunctuation},
                              {"12/10/1983-12/10/2023", TK::kDateRange},
                              {")", TK::kPunctuation}}));
}

TEST(TokenizerTest, YearRanges) {
  ExpectOne("2014-2023", TK::kYearRange);
  ExpectOne("2020-2025", TK::kYearRange);
  ExpectOne("2020 - 2025", TK::kYearRange);
  ExpectOne("2015 - 2020", TK::kYearRange);
  ExpectOne("2015 -2020", TK::kYearRange);
  ExpectOne("2015- 2020", TK::kYearRange);
  // Raw text before normalization still has the en dash.
  ExpectOne("2015 \xE2\x80\x93 2020", TK::kYearRange);
  EXPECT_EQ(KindOf("nhiệm kỳ 2020-2025,", "2020-2025"), TK::kYearRange);
}

TEST(TokenizerTest, NumericRangesThatAreNotYearsStayApart) {
  EXPECT_EQ(Tokens("2000 - 3000"), (std::vector<Tok>{{"2000", TK::kNumber},
                                                     {"-", TK::kPunctuation},
                                                     {"3000", TK::kNumber}}));
  EXPECT_EQ(Tokens("2025-2020"), (std::vector<Tok>{{"2025", TK::kNumber},
                                                   {"-", TK::kPunctuation},
                                                   {"2020", TK::kNumber}}));
  EXPECT_EQ(Tokens("15-20"), (std::vector<Tok>{{"15", TK::kNumber},
                                               {"-", TK::kPunctuation},
                                               {"20", TK::kNumber}}));
}

TEST(TokenizerTest, PartyDocumentCodes) {
  for (const char* code : {"124-QĐ/TW", "124 -QĐ/TW", "15- CT/TU", "40 - CT/TW", "11-QĐi/TW",
                           "1213-CV/TU", "03-CT/TU", "114-KL/TW", "25-NQ/TW", "158-KH/TU",
                           "05-QĐ/TƯ", "01-HD/BTCTW", "40 \xE2\x80\x93 CT/TW"}) {
    ExpectOne(code, TK::kDocumentCode);
  }
  EXPECT_EQ(Tokens("Quy định 124 -QĐ/TW của"),
            (std::vector<Tok>{{"Quy", TK::kSyllable},
                              {"định", TK::kSyllable},
                              {"124 -QĐ/TW", TK::kDocumentCode},
                              {"của", TK::kSyllable}}));
  EXPECT_EQ(KindOf("số 124-QĐ/TW, ngày", "124-QĐ/TW"), TK::kDocumentCode);
  EXPECT_EQ(KindOf("theo 124-QĐ/TW.", "124-QĐ/TW"), TK::kDocumentCode);
}

TEST(TokenizerTest, StateDocumentCodes) {
  for (const char* code : {"16/CT-TTg", "100/2019/NĐ-CP", "45/2019/QH14", "1234/QĐ-UBND",
                           "12/2019/TT-BTC", "35/NQ-HĐND", "2345/QĐ-BNN&PTNT"}) {
    ExpectOne(code, TK::kDocumentCode);
  }
}

TEST(TokenizerTest, CodeLookalikesAreNotCodes) {
  // A dash before an ordinary word, or a lone type without an issuer.
  EXPECT_EQ(Tokens("5 - Quy/định").front(), Tok("5", TK::kNumber));
  EXPECT_EQ(Tokens("16/CT").front(), Tok("16", TK::kNumber));
  EXPECT_EQ(Tokens("124-QĐ/Tỉnh").front(), Tok("124", TK::kNumber));
}

TEST(TokenizerTest, Abbreviations) {
  for (const char* a : {"UBND", "HĐND", "MTTQ", "TP.HCM", "T.Ư", "TPHCM", "PGS.TS", "PGS.TS.",
                        "TP.", "ThS.", "TP", "TTg", "KT-XH", "TP HCM", "v.v."}) {
    ExpectOne(a, TK::kAbbreviation);
  }
}

TEST(TokenizerTest, AbbreviationsInContext) {
  EXPECT_EQ(Tokens("tại TP. Hà Nội"), (std::vector<Tok>{{"tại", TK::kSyllable},
                                                        {"TP.", TK::kAbbreviation},
                                                        {"Hà", TK::kSyllable},
                                                        {"Nội", TK::kSyllable}}));
  EXPECT_EQ(Tokens("của T.Ư."), (std::vector<Tok>{{"của", TK::kSyllable},
                                                  {"T.Ư", TK::kAbbreviation},
                                                  {".", TK::kPunctuation}}));
  EXPECT_EQ(Tokens("UBND TP Hải Phòng"), (std::vector<Tok>{{"UBND", TK::kAbbreviation},
                                                           {"TP", TK::kAbbreviation},
                                                           {"Hải", TK::kSyllable},
                                                           {"Phòng", TK::kSyllable}}));
  // A glued sentence end stays apart from the abbreviation before it.
  EXPECT_EQ(Tokens("DN.Nhìn"), (std::vector<Tok>{{"DN", TK::kAbbreviation},
                                                 {".", TK::kPunctuation},
                                                 {"Nhìn", TK::kSyllable}}));
}

TEST(TokenizerTest, UnknownCapitalRunsThatCannotBeSyllablesAreAbbreviations) {
  ExpectOne("QR", TK::kAbbreviation);
  ExpectOne("UBKT", TK::kAbbreviation);
  ExpectOne("BCĐ", TK::kAbbreviation);
  ExpectOne("U.S", TK::kAbbreviation);
}

TEST(TokenizerTest, RomanNumeralsAreKeptApartFromSyllables) {
  EXPECT_EQ(KindOf("khóa XI", "XI"), KindOf("khóa XIV", "XIV"));
  EXPECT_EQ(KindOf("khóa XII", "XII"), TK::kAbbreviation);
  EXPECT_EQ(KindOf("khóa IIII", "IIII"), TK::kAbbreviation);  // not canonical, not a syllable
}

TEST(TokenizerTest, Alphanumerics) {
  for (const char* a : {"Covid-19", "COVID-19", "F0", "H5N1", "F0-F1", "5G", "20h30"}) {
    ExpectOne(a, TK::kAlphanumeric);
  }
  EXPECT_EQ(KindOf("dịch Covid-19;", "Covid-19"), TK::kAlphanumeric);
}

TEST(TokenizerTest, HyphenatedWordsWithoutDigitsSplit) {
  EXPECT_EQ(Tokens("Sáng-Xanh"), (std::vector<Tok>{{"Sáng", TK::kSyllable},
                                                   {"-", TK::kPunctuation},
                                                   {"Xanh", TK::kSyllable}}));
}

TEST(TokenizerTest, EmailsAndUrls) {
  ExpectOne("ban.dan.van@hanoi.gov.vn", TK::kEmail);
  ExpectOne("toasoan123@gmail.com", TK::kEmail);
  ExpectOne("https://hanoi.gov.vn/tin-tuc/bai-1.html", TK::kUrl);
  ExpectOne("http://example.com/a?b=1&c=2", TK::kUrl);
  ExpectOne("www.baohaiphong.com.vn", TK::kUrl);
  EXPECT_EQ(Tokens("(xem www.dangcongsan.vn)."),
            (std::vector<Tok>{{"(", TK::kPunctuation},
                              {"xem", TK::kSyllable},
                              {"www.dangcongsan.vn", TK::kUrl},
                              {")", TK::kPunctuation},
                              {".", TK::kPunctuation}}));
  EXPECT_EQ(KindOf("gửi về a@b.vn.", "a@b.vn"), TK::kEmail);
}

TEST(TokenizerTest, Punctuation) {
  EXPECT_EQ(Tokens("a, b; c: d! e? (f) \"g\" 'h' - i… |"),
            (std::vector<Tok>{{"a", TK::kSyllable},     {",", TK::kPunctuation},
                              {"b", TK::kSyllable},     {";", TK::kPunctuation},
                              {"c", TK::kSyllable},     {":", TK::kPunctuation},
                              {"d", TK::kSyllable},     {"!", TK::kPunctuation},
                              {"e", TK::kSyllable},     {"?", TK::kPunctuation},
                              {"(", TK::kPunctuation},  {"f", TK::kSyllable},
                              {")", TK::kPunctuation},  {"\"", TK::kPunctuation},
                              {"g", TK::kSyllable},     {"\"", TK::kPunctuation},
                              {"'", TK::kPunctuation},  {"h", TK::kSyllable},
                              {"'", TK::kPunctuation},  {"-", TK::kPunctuation},
                              {"i", TK::kSyllable},     {"…", TK::kPunctuation},
                              {"|", TK::kPunctuation}}));
  ExpectOne("...", TK::kPunctuation);
}

TEST(TokenizerTest, Symbols) {
  EXPECT_EQ(Tokens("1 + 1 = 2"), (std::vector<Tok>{{"1", TK::kNumber},
                                                   {"+", TK::kSymbol},
                                                   {"1", TK::kNumber},
                                                   {"=", TK::kSymbol},
                                                   {"2", TK::kNumber}}));
  ExpectOne("\xF0\x9F\x98\x80", TK::kSymbol);  // an emoji
  // A combining mark with no letter before it.
  ExpectOne("\xCC\x81", TK::kSymbol);
}

TEST(TokenizerTest, ControlAndFormatCharactersSeparateTokens) {
  EXPECT_EQ(Tokens(std::string("a\tb\x01" "c") + "\xE2\x80\x8B" + "d"),
            (std::vector<Tok>{{"a", TK::kSyllable},
                              {"b", TK::kSyllable},
                              {"c", TK::kSyllable},
                              {"d", TK::kSyllable}}));
}

TEST(TokenizerTest, TokensNeverCrossASentenceEnd) {
  // The splitter would never cut here; the tokenizer must still stop.
  Document doc;
  doc.text = "124-QĐ/TW 2015 - 2020";
  doc.sentences = {Sentence{0, 5}, Sentence{5, 14}, Sentence{14, static_cast<uint32_t>(doc.text.size())}};
  TheTokenizer().Tokenize(&doc);
  for (const Sentence& s : doc.sentences) {
    for (uint32_t t = s.first_token; t < s.end_token; ++t) {
      EXPECT_GE(doc.tokens[t].begin, s.begin);
      EXPECT_LE(doc.tokens[t].end, s.end);
    }
  }
  EXPECT_EQ(doc.sentences[0].first_token, 0u);
  EXPECT_EQ(doc.sentences.back().end_token, doc.tokens.size());
}

TEST(TokenizerTest, SetsTokenRangesOfEverySentence) {
  auto splitter = SentenceSplitter::Create(DefaultLexiconDir());
  ASSERT_TRUE(splitter.ok()) << splitter.status().message();
  Document doc;
  doc.text = "Có 15.295 văn bản. Tăng 86,3%.\nTP.HCM có 2 hội nghị.";
  splitter->Split(&doc);
  TheTokenizer().Tokenize(&doc);
  ASSERT_EQ(doc.sentences.size(), 3u);
  std::vector<std::string> first;
  for (uint32_t t = doc.sentences[0].first_token; t < doc.sentences[0].end_token; ++t) {
    first.emplace_back(doc.TokenText(doc.tokens[t]));
  }
  EXPECT_EQ(first, (std::vector<std::string>{"Có", "15.295", "văn", "bản", "."}));
  EXPECT_EQ(doc.TokenText(doc.tokens[doc.sentences[2].first_token]), "TP.HCM");
  EXPECT_EQ(doc.sentences[2].end_token, doc.tokens.size());
}

TEST(TokenizerTest, HostileRunsStayLinear) {
  // Shapes a recognizer may look into and reject must not make it quadratic.
  // Compared against itself (four times the input may take about four times
  // as long, never sixteen), so the check holds on any machine and under
  // sanitizers; absolute speed is the benchmark's business.
  auto time_tokenize = [](const std::string& unit, size_t bytes) {
    std::string text;
    while (text.size() < bytes) text += unit;
    Document doc;
    doc.text = text;
    doc.sentences.push_back(Sentence{0, static_cast<uint32_t>(text.size())});
    // This thread's CPU time, not wall time: on a busy machine the wall
    // clock also counts the time other processes had the core.
    auto thread_cpu = [] {
      timespec t{};
      clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
      return t.tv_sec + t.tv_nsec / 1e9;
    };
    const double start = thread_cpu();
    TheTokenizer().Tokenize(&doc);
    const double seconds = thread_cpu() - start;
    for (size_t i = 1; i < doc.tokens.size(); ++i) {
      EXPECT_LE(doc.tokens[i - 1].end, doc.tokens[i].begin);
    }
    return seconds;
  };
  // The fastest of three runs each: on a shared machine one run can stall.
  auto fastest = [&](const std::string& unit, size_t bytes) {
    double best = time_tokenize(unit, bytes);
    for (int i = 0; i < 2; ++i) best = std::min(best, time_tokenize(unit, bytes));
    return best;
  };
  for (const std::string unit : {"1.", "A-", "a.", "1/", "1-", "T.", "x@", "12/10/"}) {
    const double small = fastest(unit, 512u << 10);
    const double large = fastest(unit, 2u << 20);
    // The slack covers page faults, which on a virtual machine can cost
    // more than the scan (the large run touches fresh memory); a quadratic
    // scan of 2 MB would take minutes.
    EXPECT_LT(large, 8 * small + 0.5) << "unit '" << unit << "': 0.5 MB " << small << " s, 2 MB "
                                       << large << " s";
  }
}

TEST(TokenizerTest, MissingSyllableLexiconIsAnError) {
  const auto dir = std::filesystem::temp_directory_path() / "vnfacts_tokenizer_test";
  std::filesystem::create_directories(dir);
  std::filesystem::copy_file(DefaultLexiconDir() / "abbreviations.tsv", dir / "abbreviations.tsv",
                             std::filesystem::copy_options::overwrite_existing);
  std::filesystem::remove(dir / "syllable_structure.tsv");
  auto created = Tokenizer::Create(dir);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("syllable_structure.tsv"), std::string::npos);

  std::ofstream(dir / "syllable_structure.tsv") << "# parts\na\tvowel\nU+03\ttone\nb\tshape\n";
  created = Tokenizer::Create(dir);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("syllable_structure.tsv:4"), std::string::npos)
      << created.status().message();

  // The file is shared with the legacy decoder: its nucleus rows and stop
  // codas are read, and only a coda may be a stop.
  std::ofstream(dir / "syllable_structure.tsv") << "a\tvowel\nai\tnucleus\nt\tcoda\tstop\n";
  EXPECT_TRUE(Tokenizer::Create(dir).ok());
  std::ofstream(dir / "syllable_structure.tsv") << "a\tvowel\nai\tnucleus\nb\tonset\tstop\n";
  created = Tokenizer::Create(dir);
  ASSERT_FALSE(created.ok());
  EXPECT_NE(created.status().message().find("syllable_structure.tsv:3"), std::string::npos)
      << created.status().message();
  std::filesystem::remove_all(dir);
}

// ---- The real seed articles ------------------------------------------------

TEST(TokenizerSeedTest, SeedFiguresAndCodesAreSingleTokens) {
  const std::filesystem::path dir = VNFACTS_SHARED_DIR "/corpus/seeds";
  if (!std::filesystem::is_directory(dir)) GTEST_SKIP() << "seed articles not found in " << dir;
  auto splitter = SentenceSplitter::Create(DefaultLexiconDir());
  ASSERT_TRUE(splitter.ok());
  std::map<std::string, TokenKind> seen;
  for (const auto& entry : std::filesystem::directory_iterator(dir)) {
    std::ifstream in(entry.path(), std::ios::binary);
    std::stringstream buffer;
    buffer << in.rdbuf();
    Document doc;
    doc.text = buffer.str();
    splitter->Split(&doc);
    TheTokenizer().Tokenize(&doc);
    for (const Token& t : doc.tokens) seen.emplace(std::string(doc.TokenText(t)), t.kind);
  }
  const std::vector<Tok> expected = {
      {"15.295", TK::kNumber},        {"86,3%", TK::kPercent},
      {"124-QĐ/TW", TK::kDocumentCode}, {"124 -QĐ/TW", TK::kDocumentCode},
      {"15- CT/TU", TK::kDocumentCode}, {"11-QĐi/TW", TK::kDocumentCode},
      {"16/CT-TTg", TK::kDocumentCode}, {"2/2/2018", TK::kDate},
      {"19/12", TK::kDate},           {"9/2023", TK::kDate},
      {"12/10/1983-12/10/2023", TK::kDateRange}, {"2014-2023", TK::kYearRange},
      {"2020-2025", TK::kYearRange},  {"T.Ư", TK::kAbbreviation},
      {"TPHCM", TK::kAbbreviation},   {"MTTQ", TK::kAbbreviation},
      {"Covid-19", TK::kAlphanumeric}, {"1/2", TK::kDate}};
  for (const auto& [text, kind] : expected) {
    auto it = seen.find(text);
    if (it == seen.end()) {
      ADD_FAILURE() << "no single token '" << text << "' in the seeds";
      continue;
    }
    EXPECT_EQ(TokenKindName(it->second), TokenKindName(kind)) << text;
  }
}

}  // namespace
}  // namespace vnfacts
