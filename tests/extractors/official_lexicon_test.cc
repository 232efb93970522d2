// Unit tests for the official extractor's own layer (official_lexicon.h): the
// vocabulary, the token stream and the sentence filter. The tokenizer is
// checked token for token against a plain reference written the direct way
// (an ICU property call per character, every word lower-cased into a copy),
// on hostile strings at every pair of offsets and on every sample article;
// MayHoldOfficial is checked against the example corpus and the gold facts,
// which were written without it.
#include <gtest/gtest.h>

#include <unicode/uchar.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>
#include <string>
#include <unordered_map>
#include <vector>

#include <nlohmann/json.hpp>

#include "extractors/official_lexicon.h"
#include "pipeline/normalizer.h"
#include "pipeline/sentence_splitter.h"
#include "pipeline/utf8.h"
#include "tests/extractors/extractor_harness.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

using official::kNoId;
using official::OfficialLexicon;
using official::OfficialToken;
using official::PhraseTrie;
using official::TokenType;
using official::Vocabulary;

const OfficialLexicon& Lexicon() {
  static const OfficialLexicon lexicon = [] {
    auto lex = OfficialLexicon::Load(testing::LexiconDir());
    if (!lex.ok()) {
      ADD_FAILURE() << lex.status().message();
      std::abort();
    }
    return std::move(lex).value();
  }();
  return lexicon;
}

// ---- the reference tokenizer --------------------------------------------

bool RefIsWordChar(int32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
  if (c < 0) return false;
  const int8_t type = u_charType(c);
  return type == U_UPPERCASE_LETTER || type == U_LOWERCASE_LETTER || type == U_TITLECASE_LETTER ||
         type == U_MODIFIER_LETTER || type == U_OTHER_LETTER || type == U_NON_SPACING_MARK ||
         type == U_COMBINING_SPACING_MARK || type == U_DECIMAL_DIGIT_NUMBER;
}

bool RefIsSpace(int32_t c) {
  return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x200B ||
         (c > 0x7F && u_isUWhiteSpace(c));
}

// The tokenizer as first written: classify each code point with ICU, append
// each character of a word (lower-cased when upper case) to its form, and
// look every form up.
std::vector<OfficialToken> ReferenceTokenize(std::string_view text, uint32_t begin, uint32_t end,
                                             const Vocabulary& vocabulary) {
  std::vector<OfficialToken> out;
  size_t pos = begin;
  bool space_before = true;
  while (pos < end) {
    size_t next = pos;
    const int32_t c = NextCodePoint(text, &next);
    if (RefIsSpace(c)) {
      space_before = true;
      pos = next;
      continue;
    }
    OfficialToken token;
    token.begin = static_cast<uint32_t>(pos);
    if (space_before) token.flags |= official::kSpaceBefore;
    space_before = false;
    if (!RefIsWordChar(c)) {
      token.type = official::PunctuationType(c);  // shared: the tokenizers differ elsewhere
      token.end = static_cast<uint32_t>(std::min<size_t>(next, end));
      token.id = vocabulary.Find(text.substr(token.begin, token.end - token.begin));
      out.push_back(token);
      pos = next;
      continue;
    }
    token.type = TokenType::kWord;
    std::string form;
    int letters = 0, upper = 0;
    bool letters_only = true, first_letter_seen = false;
    size_t p = pos;
    while (p < end) {
      size_t q = p;
      const int32_t ch = NextCodePoint(text, &q);
      if (ch == '.' || ch == '\'' || ch == '&') {
        if (p == pos || q >= end) break;
        size_t r = q;
        const int32_t after = NextCodePoint(text, &r);
        if (after < 0 || !RefIsWordChar(after) || (after >= '0' && after <= '9')) break;
        if (ch == '.') token.flags |= official::kInnerDot;
        if (!(ch == '\'' && p == pos + 1 && upper == 1 && letters == 1)) letters_only = false;
        form.push_back(static_cast<char>(ch));
        p = q;
        continue;
      }
      if (ch == '-' && p > pos && q < end) {
        size_t r = q;
        const int32_t after = NextCodePoint(text, &r);
        if (after < 0x80 ? (after >= 'a' && after <= 'z')
                         : u_charType(after) == U_LOWERCASE_LETTER) {
          token.flags |= official::kInnerHyphen;
          form.push_back('-');
          p = q;
          continue;
        }
        break;
      }
      bool is_letter = false, is_upper = false, is_digit = false;
      if (ch < 0x80 && ch >= 0) {
        is_upper = ch >= 'A' && ch <= 'Z';
        is_letter = is_upper || (ch >= 'a' && ch <= 'z');
        is_digit = ch >= '0' && ch <= '9';
        if (!is_letter && !is_digit) break;
        form.push_back(static_cast<char>(is_upper ? ch + 32 : ch));
      } else {
        if (ch < 0) break;
        const int8_t type = u_charType(ch);
        is_upper = type == U_UPPERCASE_LETTER || type == U_TITLECASE_LETTER;
        is_letter = is_upper || type == U_LOWERCASE_LETTER || type == U_MODIFIER_LETTER ||
                    type == U_OTHER_LETTER;
        is_digit = type == U_DECIMAL_DIGIT_NUMBER;
        const bool is_mark = type == U_NON_SPACING_MARK || type == U_COMBINING_SPACING_MARK;
        if (!is_letter && !is_digit && !is_mark) break;
        if (is_upper) {
          AppendUtf8(ToLower(static_cast<char32_t>(ch)), &form);
        } else {
          form.append(text.substr(p, q - p));
        }
      }
      if (is_digit) {
        token.flags |= official::kHasDigit;
        letters_only = false;
      } else if (is_letter) {
        ++letters;
        if (is_upper) ++upper;
        if (!first_letter_seen) {
          first_letter_seen = true;
          if (is_upper) token.flags |= official::kCapitalized;
        }
      }
      p = q;
    }
    token.end = static_cast<uint32_t>(p);
    if (letters >= 2 && upper == letters) token.flags |= official::kAllUpper;
    if (letters_only && letters > 0) token.flags |= official::kLettersOnly;
    token.id = vocabulary.Find(form);
    out.push_back(token);
    pos = p;
  }
  return out;
}

std::vector<OfficialToken> Tokenize(std::string_view text, uint32_t begin, uint32_t end,
                                    const Vocabulary& vocabulary = Lexicon().vocabulary) {
  std::vector<OfficialToken> tokens;
  std::string scratch = "left over from an earlier word";
  official::TokenizeForOfficials(text, begin, end, vocabulary, &scratch, &tokens);
  return tokens;
}

std::vector<OfficialToken> Tokenize(std::string_view text) {
  return Tokenize(text, 0, static_cast<uint32_t>(text.size()));
}

std::string Describe(const OfficialToken& t, std::string_view text) {
  std::ostringstream s;
  s << "[" << t.begin << "," << t.end << ") '"
    << text.substr(t.begin, std::min<size_t>(t.end, text.size()) - t.begin) << "' type "
    << static_cast<int>(t.type) << " flags " << static_cast<int>(t.flags) << " id " << t.id;
  return s.str();
}

// Expects the tokenizer and the reference to agree on text[begin, end);
// returns false (after one failure naming the first difference) when not.
bool SameAsReference(std::string_view text, uint32_t begin, uint32_t end,
                     const Vocabulary& vocabulary = Lexicon().vocabulary) {
  const std::vector<OfficialToken> got = Tokenize(text, begin, end, vocabulary);
  const std::vector<OfficialToken> want = ReferenceTokenize(text, begin, end, vocabulary);
  for (size_t i = 0; i < std::max(got.size(), want.size()); ++i) {
    const bool same = i < got.size() && i < want.size() && got[i].begin == want[i].begin &&
                      got[i].end == want[i].end && got[i].id == want[i].id &&
                      got[i].type == want[i].type && got[i].flags == want[i].flags;
    if (!same) {
      ADD_FAILURE() << "token " << i << " of [" << begin << "," << end << ") differs: got "
                    << (i < got.size() ? Describe(got[i], text) : "nothing") << ", want "
                    << (i < want.size() ? Describe(want[i], text) : "nothing");
      return false;
    }
  }
  return true;
}

// Strings that reach every branch of the tokenizer: inner dots, apostrophes
// and ampersands (before letters, digits, marks and the end), hyphens before
// lower case, capitals and digits, upper case whose lower case has another
// length (U+212A KELVIN SIGN, U+0130), title case (U+01C5), combining marks,
// spaces above U+3000, letters and digits beyond the table, four-byte
// characters and invalid or truncated UTF-8.
const char* const kHostile[] = {
    "Chủ tịch UBND TP.HCM Nguyễn Văn A, PGS.TS. Trần B (T.Ư); KH&ĐT, Sở TN&MT.",
    "H'Yim Kđoh, Y'Bih, A'Ma, l'état, x'1, Khăm-phăn Xay-nha-vông, Rịa-Vũng Tàu, Covid-19",
    "ĐỖ VĂN NAM – Phó Giám đốc — TỈNH ỦY; PHÓ CHỦ TỊCH: ông Lê‑Văn B",
    "\xe2\x84\xaa\xc4\xb0stanbul \xc7\x85ungla K\xe2\x84\xaa \xc4\xb0 i\xcc\x87",
    "Nguye\xcc\x82\xcc\x83n Va\xcc\x86n Hu\xcc\x9b\xcc\x81ng a.\xcc\x81 b'\xcc\x81",
    "15.295 1.234.567,5 A.1 x.y. \xd9\xa1.\xd9\xa2 a.\xd9\xa2 T.\xd9\xa2x",
    "tỉnh\xc2\xa0Hà\xe2\x80\x8bNội\xe3\x80\x80Đà Nẵng\tHuế\r\nCần Thơ",
    "北京 东京市长 日本 \xf0\x9f\x98\x80 Hà\xf0\x9d\x90\x80Nội \xf0\x9d\x9f\x8e" "1",
    "bad \xff byte \xe1\xba truncated \xc3 end \xed\xa0\x80 surrogate \xc0\xaf overlong",
    "a- b -c d-e f-G h-1 i-- j-\xe1\xba\xa1 k-\xe1\xba\xa0 TP. HCM, ...!?\"'",
    "Giám đốc&\xe1\xba\xa1 q&1 q&& .x 'y &z x.Y x'Y x&Y x-",
    "a`b a{b a@b a[b z{ `a {z Z[ @A x\x7f y\x01z  \t a  ",
    "",
    "   \n\t ",
};

TEST(OfficialTokenizerTest, AgreesWithTheReferenceOnEveryRangeOfHostileText) {
  for (const char* s : kHostile) {
    const std::string_view text(s);
    const uint32_t n = static_cast<uint32_t>(text.size());
    bool ok = true;
    for (uint32_t b = 0; b <= n && ok; ++b) {
      for (uint32_t e = b; e <= n && ok; ++e) ok = SameAsReference(text, b, e);
    }
    EXPECT_TRUE(ok) << "in: " << text;
  }
}

TEST(OfficialTokenizerTest, AgreesWithTheReferenceOnTheSampleArticlesAndExamples) {
  const std::filesystem::path root(VNFACTS_SOURCE_DIR);
  size_t files = 0;
  for (const char* dir : {"corpus/articles", "corpus/examples", "tests/fixtures/inputs"}) {
    for (const auto& entry : std::filesystem::directory_iterator(root / dir)) {
      const std::string text = test_files::ReadFile(entry.path());
      EXPECT_TRUE(SameAsReference(text, 0, static_cast<uint32_t>(text.size())))
          << entry.path();
      ++files;
    }
  }
  EXPECT_GT(files, 100u);
}

TEST(OfficialTokenizerTest, AgreesWithTheReferenceSentenceBySentence) {
  // Sentences as the pipeline gives them: ranges that start and end inside the
  // text, with whitespace after them.
  const auto normalizer = Normalizer::Create(testing::LexiconDir());
  const auto splitter = SentenceSplitter::Create(testing::LexiconDir());
  ASSERT_TRUE(normalizer.ok() && splitter.ok());
  size_t sentences = 0;
  for (const auto& entry : std::filesystem::directory_iterator(
           std::filesystem::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles")) {
    Document doc;
    doc.raw = test_files::ReadFile(entry.path());
    ASSERT_TRUE(normalizer->Normalize(&doc).ok()) << entry.path();
    splitter->Split(&doc);
    for (const Sentence& s : doc.sentences) {
      ASSERT_TRUE(SameAsReference(doc.text, s.begin, s.end)) << entry.path();
      ++sentences;
    }
  }
  EXPECT_GT(sentences, 1000u);
}

TEST(OfficialTokenizerTest, AgreesWithTheReferenceOverAnEmptyVocabulary) {
  // How lexicon phrases are split into words (PhraseIds).
  const Vocabulary empty;
  for (const char* s : kHostile) {
    const std::string_view text(s);
    EXPECT_TRUE(SameAsReference(text, 0, static_cast<uint32_t>(text.size()), empty));
    for (const OfficialToken& t : Tokenize(text, 0, static_cast<uint32_t>(text.size()), empty)) {
      EXPECT_EQ(t.id, kNoId);
    }
  }
}

TEST(OfficialTokenizerTest, WordsAreFoundWhateverTheirCase) {
  const std::string text = "tỉnh Tỉnh TỈNH tỈnh";
  const std::vector<OfficialToken> tokens = Tokenize(text);
  ASSERT_EQ(tokens.size(), 4u);
  const uint32_t id = Lexicon().vocabulary.Find("tỉnh");
  ASSERT_NE(id, kNoId);
  for (const OfficialToken& t : tokens) EXPECT_EQ(t.id, id) << Describe(t, text);
  EXPECT_FALSE(tokens[0].Is(official::kCapitalized));
  EXPECT_TRUE(tokens[1].Is(official::kCapitalized));
  EXPECT_FALSE(tokens[1].Is(official::kAllUpper));
  EXPECT_TRUE(tokens[2].Is(official::kAllUpper));
  EXPECT_FALSE(tokens[3].Is(official::kCapitalized));
  for (const OfficialToken& t : tokens) EXPECT_TRUE(t.Is(official::kLettersOnly));
}

TEST(OfficialTokenizerTest, ShapesOfWords) {
  const std::string text = "TP.HCM H'Yim Khăm-phăn Rịa-Vũng F0 ,";
  const std::vector<OfficialToken> t = Tokenize(text);
  ASSERT_EQ(t.size(), 8u);
  EXPECT_EQ(text.substr(t[0].begin, t[0].end - t[0].begin), "TP.HCM");
  EXPECT_TRUE(t[0].Is(official::kInnerDot));
  EXPECT_TRUE(t[0].Is(official::kAllUpper));
  EXPECT_EQ(text.substr(t[1].begin, t[1].end - t[1].begin), "H'Yim");
  EXPECT_TRUE(t[1].Is(official::kLettersOnly));
  EXPECT_EQ(text.substr(t[2].begin, t[2].end - t[2].begin), "Khăm-phăn");
  EXPECT_TRUE(t[2].Is(official::kInnerHyphen));
  EXPECT_EQ(text.substr(t[3].begin, t[3].end - t[3].begin), "Rịa");
  EXPECT_EQ(t[4].type, TokenType::kDash);
  EXPECT_FALSE(t[4].Is(official::kSpaceBefore));
  EXPECT_TRUE(t[6].Is(official::kHasDigit));
  EXPECT_FALSE(t[6].Is(official::kLettersOnly));
  EXPECT_EQ(t[7].type, TokenType::kComma);
  EXPECT_EQ(t[7].id, Lexicon().vocabulary.Find(","));
}

// ---- the vocabulary -------------------------------------------------------

TEST(OfficialVocabularyTest, FindsWhatWasInternedAndNothingElse) {
  Vocabulary v;
  EXPECT_EQ(v.Find("a"), kNoId);
  EXPECT_EQ(v.FindShort("a"), kNoId);
  // Forms of every length up to 40 bytes (each branch of the hash and of
  // the compare), sharing prefixes and suffixes, a thousand of them so the
  // table grows several times.
  std::unordered_map<std::string, uint32_t> ids;
  std::vector<std::string> forms = {"", ",", "a", "đ", "ủy", "tỉnh", "-", "ab", "ba"};
  for (int n = 1; n <= 40; ++n) {
    for (char c : {'a', 'b', 'z'}) {
      std::string s(n, 'x');
      s[n / 2] = c;
      forms.push_back(s);
      s.back() = c;
      forms.push_back(s);
    }
  }
  for (int i = 0; i < 1000; ++i) forms.push_back("w" + std::to_string(i * 7919));
  for (const std::string& f : forms) {
    const uint32_t id = v.Intern(f);
    auto [it, added] = ids.emplace(f, id);
    EXPECT_EQ(it->second, id) << f;
    if (added) {
      EXPECT_EQ(id, ids.size() - 1) << "ids are dense: " << f;
    }
  }
  EXPECT_EQ(v.size(), ids.size());
  EXPECT_EQ(v.max_length(), 40u);
  for (const auto& [f, id] : ids) {
    EXPECT_EQ(v.Find(f), id) << f;
    EXPECT_EQ(v.FindShort(f), id) << f;
    EXPECT_EQ(v.Intern(f), id) << f;
  }
  EXPECT_EQ(v.size(), ids.size());
  // Near misses: one byte changed, added or removed.
  for (const auto& [f, id] : ids) {
    for (const std::string& g : {f + "q", f.empty() ? "q" : f.substr(1),
                                 f.empty() ? "r" : f.substr(0, f.size() - 1) + "q"}) {
      const auto it = ids.find(g);
      EXPECT_EQ(v.Find(g), it == ids.end() ? kNoId : it->second) << g;
      EXPECT_EQ(v.FindShort(g), it == ids.end() ? kNoId : it->second) << g;
    }
  }
  // Every byte of a short form counts, whichever part of its key holds it.
  for (const auto& [f, id] : ids) {
    if (f.size() > 12) continue;
    for (size_t i = 0; i < f.size(); ++i) {
      std::string g = f;
      g[i] = static_cast<char>(g[i] ^ 0x20);
      const auto it = ids.find(g);
      EXPECT_EQ(v.Find(g), it == ids.end() ? kNoId : it->second) << g;
      EXPECT_EQ(v.FindShort(g), it == ids.end() ? kNoId : it->second) << g;
    }
  }
  EXPECT_EQ(v.FindShort(std::string(41, 'x')), kNoId);
  EXPECT_EQ(v.FindShort("\x7f"), kNoId);
}

// ---- phrases and the sentence filter ----------------------------------------

TEST(OfficialPhraseTrieTest, StartsIsWhetherAnyPhraseBeginsWithTheWord) {
  PhraseTrie trie;
  EXPECT_FALSE(trie.Starts(0));
  EXPECT_FALSE(trie.Starts(kNoId));
  ASSERT_TRUE(trie.Add({3, 4}, 7));
  EXPECT_TRUE(trie.Starts(3));
  EXPECT_FALSE(trie.Starts(4));
  EXPECT_FALSE(trie.Starts(2));
  EXPECT_FALSE(trie.Starts(1000));
  std::vector<OfficialToken> tokens(3);
  tokens[0].id = 3;
  tokens[1].id = 4;
  tokens[2].id = 3;
  EXPECT_EQ(trie.Longest(tokens, 0, 3).length, 2u);
  EXPECT_EQ(trie.Longest(tokens, 0, 3).value, 7u);
  EXPECT_EQ(trie.Longest(tokens, 1, 3).length, 0u);
  EXPECT_EQ(trie.Longest(tokens, 2, 3).length, 0u);  // a prefix only
  EXPECT_EQ(trie.Longest(tokens, 3, 3).length, 0u);
  tokens[0].id = kNoId;
  EXPECT_EQ(trie.Longest(tokens, 0, 3).length, 0u);
}

bool MayHoldOfficial(std::string_view text) {
  const std::vector<OfficialToken> tokens = Tokenize(text);
  return Lexicon().MayHoldOfficial(tokens, 0, static_cast<uint32_t>(tokens.size()));
}

TEST(OfficialSentenceFilterTest, NeedsAWordThatStartsATitle) {
  EXPECT_FALSE(MayHoldOfficial(""));
  EXPECT_FALSE(MayHoldOfficial("Hôm nay trời đẹp, Nguyễn Văn An đi học."));
  EXPECT_FALSE(MayHoldOfficial("Ông Nguyễn Văn An, Hà Nội."));
  EXPECT_TRUE(MayHoldOfficial("Giám đốc Sở Y tế Nguyễn Văn An phát biểu."));
  EXPECT_TRUE(MayHoldOfficial("nguyên phó chủ tịch Nguyễn Văn An"));
  EXPECT_TRUE(MayHoldOfficial("Nguyễn Văn An, BÍ THƯ Huyện ủy"));
  const std::vector<OfficialToken> tokens = Tokenize("Chủ tịch Nguyễn Văn An");
  EXPECT_FALSE(Lexicon().MayHoldOfficial(tokens, 1, static_cast<uint32_t>(tokens.size())));
}

TEST(OfficialSentenceFilterTest, NeedsTwoNameSyllablesInARow) {
  // A name is two or more capitalized syllables of letters, not all capitals.
  EXPECT_FALSE(MayHoldOfficial("nguyên phó chủ tịch nguyễn văn an"));
  EXPECT_FALSE(MayHoldOfficial("Giám đốc sở phát biểu."));
  EXPECT_FALSE(MayHoldOfficial("Giám đốc NGUYỄN VĂN AN"));
  EXPECT_FALSE(MayHoldOfficial("Giám đốc An, phó giám đốc Bình"));
  EXPECT_FALSE(MayHoldOfficial("Giám đốc F0 A1"));
  EXPECT_FALSE(MayHoldOfficial("Giám đốc An - Bình"));
  EXPECT_TRUE(MayHoldOfficial("giám đốc An Bình"));
  EXPECT_TRUE(MayHoldOfficial("An Bình, giám đốc"));
  const std::vector<OfficialToken> tokens = Tokenize("Chủ tịch Nguyễn Văn");
  EXPECT_FALSE(Lexicon().MayHoldOfficial(tokens, 0, 3));
  EXPECT_TRUE(Lexicon().MayHoldOfficial(tokens, 0, 4));
}

// Every example that must yield an official passes the filter.
TEST(OfficialSentenceFilterTest, PassesEveryExampleOfAnOfficial) {
  const std::string file = test_files::ReadFile(std::filesystem::path(VNFACTS_SOURCE_DIR) /
                                                "corpus" / "examples" / "officials.tsv");
  ASSERT_FALSE(file.empty());
  const auto normalizer = Normalizer::Create(testing::LexiconDir());
  ASSERT_TRUE(normalizer.ok());
  std::istringstream lines(file);
  std::string line;
  size_t rows = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line[0] == '#') continue;
    const size_t tab = line.find('\t');
    ASSERT_NE(tab, std::string::npos) << line;
    std::string input = line.substr(tab + 1);
    for (const char* mark : {"[[", "]]"}) {
      for (size_t at; (at = input.find(mark)) != std::string::npos;) input.erase(at, 2);
    }
    EXPECT_TRUE(MayHoldOfficial(normalizer->NormalizeString(input))) << input;
    ++rows;
  }
  EXPECT_GT(rows, 150u);
}

// Every official of the gold files is named in a sentence that passes the
// filter. The gold facts hold no offsets, so the sentences that hold the
// person's name are tried, and one of them must pass.
TEST(OfficialSentenceFilterTest, PassesASentenceOfEveryGoldOfficial) {
  const std::filesystem::path root(VNFACTS_SOURCE_DIR);
  const auto normalizer = Normalizer::Create(testing::LexiconDir());
  const auto splitter = SentenceSplitter::Create(testing::LexiconDir());
  ASSERT_TRUE(normalizer.ok() && splitter.ok());
  size_t officials = 0;
  for (const auto& entry : std::filesystem::directory_iterator(root / "corpus" / "articles")) {
    const std::filesystem::path gold =
        root / "corpus" / "gold" / (entry.path().filename().string() + ".facts.jsonl");
    if (!std::filesystem::exists(gold)) continue;
    Document doc;
    doc.raw = test_files::ReadFile(entry.path());
    ASSERT_TRUE(normalizer->Normalize(&doc).ok());
    splitter->Split(&doc);
    std::istringstream lines(test_files::ReadFile(gold));
    std::string line;
    while (std::getline(lines, line)) {
      const nlohmann::json fact = nlohmann::json::parse(line);
      if (fact.value("kind", "") != "official") continue;
      const std::string name = fact["name"];
      bool named = false, passed = false;
      for (const Sentence& s : doc.sentences) {
        const std::string_view text = doc.Slice(s.begin, s.end);
        if (text.find(name) == std::string_view::npos) continue;
        named = true;
        passed = passed || MayHoldOfficial(text);
      }
      if (!named) continue;  // a name the extractor itself misses
      EXPECT_TRUE(passed) << name << " in " << entry.path();
      ++officials;
    }
  }
  EXPECT_GT(officials, 500u);
}

}  // namespace
}  // namespace vnfacts
