// The one document model every stage reads and writes (spaCy's Doc, with
// sentencepiece's offset alignment). `raw` is never modified; `text` is the
// normalized text, and all spans below are byte offsets into `text`.
// `offsets` maps them back to `raw` so every fact can cite raw evidence.
//
// Stages fill the vectors in pipeline order: normalize (text, offsets) ->
// split sentences (sentences) -> tokenize (tokens) -> segment words (words)
// -> extract (facts). Sentences tile `text`; tokens and words never cross a
// sentence; facts point at the sentence they were found in. Tokens and words
// may also be left out, and made per sentence when asked (SentenceWords()).
#ifndef VNFACTS_PIPELINE_DOCUMENT_H_
#define VNFACTS_PIPELINE_DOCUMENT_H_

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "pipeline/offset_map.h"

namespace vnfacts {

struct Document;
struct Sentence;
struct Token;
struct Word;

// Makes one sentence's tokens and words when asked, for a document whose
// pipeline left them out (TextPipelineOptions::words_on_demand).
class SentenceWordSource {
 public:
  virtual ~SentenceWordSource() = default;
  // Replaces `tokens` with the tokens of `sentence` and `words` with its
  // words, whose token indices count in `tokens`: the tokens and words the
  // whole document's tokenizing and segmenting give that sentence.
  virtual void MakeSentenceWords(const Document& doc, const Sentence& sentence,
                                 std::vector<Token>* tokens, std::vector<Word>* words) const = 0;
};

struct CivilDate {
  int year = 0;
  int month = 0;  // 1..12
  int day = 0;    // 1..31
  friend bool operator==(const CivilDate&, const CivilDate&) = default;
};

// What a segment of the article is, as far as the text layer can tell.
enum class SegmentKind : uint8_t {
  kBody,         // running text
  kHeading,      // a short line without final punctuation (titles, subheads)
  kCaption,      // photo captions: lines ending in '|' or "(Ảnh: ...)"
  kByline,       // the author line, usually a bare name at the end
  kBoilerplate,  // page furniture: "Print", "Tin khác", "QR Code", ...
};
std::string_view SegmentKindName(SegmentKind kind);
std::optional<SegmentKind> ParseSegmentKind(std::string_view name);

struct Sentence {
  uint32_t begin = 0;  // sentences tile the text: [begin, end) includes the
  uint32_t end = 0;    // whitespace that follows the sentence
  SegmentKind kind = SegmentKind::kBody;
  uint32_t first_token = 0;  // tokens [first_token, end_token)
  uint32_t end_token = 0;
  uint32_t first_word = 0;  // words [first_word, end_word)
  uint32_t end_word = 0;
};

enum class TokenKind : uint8_t {
  kSyllable,      // a run of letters (one Vietnamese syllable or a foreign word)
  kNumber,        // 15.295, 86,3, 1.234.567,5, 2020
  kPercent,       // 86,3%
  kDate,          // 2/2/2018, 19/12, 9/2023
  kDateRange,     // 12/10/1983-12/10/2023
  kYearRange,     // 2014-2023, 2015 – 2020
  kDocumentCode,  // 124-QĐ/TW, 16/CT-TTg, 100/2019/NĐ-CP
  kAbbreviation,  // UBND, TP.HCM, T.Ư, PGS.TS.
  kEmail,
  kUrl,
  kPunctuation,
  kSymbol,        // anything else that is not a letter or digit
  kAlphanumeric,  // Covid-19, F0, A4
};
std::string_view TokenKindName(TokenKind kind);

struct Token {
  uint32_t begin = 0;
  uint32_t end = 0;
  TokenKind kind = TokenKind::kSymbol;
};

// A word is one token or several syllable tokens joined by segmentation
// ("công tác" -> one word of two tokens).
struct Word {
  uint32_t begin = 0;
  uint32_t end = 0;
  uint32_t first_token = 0;
  uint32_t end_token = 0;
};

enum class FactKind : uint8_t { kOfficial, kDocument, kQuantity, kDate, kTerm };
std::string_view FactKindName(FactKind kind);
std::optional<FactKind> ParseFactKind(std::string_view name);

struct OfficialFact {
  std::string name;                 // canonical spelling
  std::vector<std::string> titles;  // canonical spelling, in article order
  std::optional<std::string> org;   // resolved organization, when clear
  bool former = false;              // "nguyên ..."
  std::vector<std::string> ranks;   // Đại tá, PGS.TS, ...
};

struct DocumentFact {
  std::string id;           // canonical code: 124-QĐ/TW, 16/CT-TTg
  std::string type;         // full Vietnamese type name: Quy định, Chỉ thị
  std::string number;       // 124
  std::string issuer_code;  // TW, TU, TTg, CP, UBND
  std::optional<std::string> issued;   // ISO date
  std::optional<std::string> issuer;   // "Ban Bí thư Trung ương Đảng"
  std::optional<std::string> term;     // "khóa XII"
  std::optional<std::string> subject;  // "về ..."
  bool back_reference = false;         // "Quy định 124" linked to an earlier code
};

enum class Approx : uint8_t { kExact, kOver, kUnder, kAbout };
std::string_view ApproxName(Approx approx);

struct QuantityFact {
  double value = 0;
  std::string unit;  // head noun counted, "%", or a currency ("đồng", "USD")
  Approx approx = Approx::kExact;
  int decimals = 0;  // digits after the decimal comma as written (86,3 -> 1)
  std::optional<std::string> of;  // for percentages: what they are of, when stated
};

struct DateFact {
  std::string value;     // ISO 8601: 2018-02-02, 2023-09, 2024-Q3, 2015/2020, --12-19
  bool inferred = false; // year taken from the article date
};

struct TermFact {
  int value = 0;       // 12 for "khóa XII"
  std::string label;   // "khóa", "nhiệm kỳ", "Đại hội", "lần thứ"
  std::optional<std::string> period;  // "2020/2025" for "nhiệm kỳ 2020-2025"
};

struct Fact {
  FactKind kind = FactKind::kQuantity;
  uint32_t begin = 0;  // span in Document::text
  uint32_t end = 0;
  uint32_t sentence = 0;
  std::string rule;  // name of the rule that produced it
  std::variant<OfficialFact, DocumentFact, QuantityFact, DateFact, TermFact> value;
};

struct Document {
  std::string source;  // input path, or "-"
  std::string raw;     // the input bytes, never modified
  std::string text;    // normalized text
  OffsetMap offsets;   // text -> raw
  std::optional<CivilDate> reference_date;  // publication date, when known
  std::string title;

  std::vector<Sentence> sentences;
  std::vector<Token> tokens;
  std::vector<Word> words;
  std::vector<Fact> facts;
  // Set when tokens and words were left out (TextPipelineOptions::
  // words_on_demand): `tokens` and `words` stay empty, and SentenceWords()
  // makes a sentence's with this when asked. Must outlive the document's
  // extraction.
  const SentenceWordSource* word_source = nullptr;

  std::string_view Slice(uint32_t begin, uint32_t end) const {
    return std::string_view(text).substr(begin, end - begin);
  }
  std::string_view SentenceText(const Sentence& s) const { return Slice(s.begin, s.end); }
  std::string_view TokenText(const Token& t) const { return Slice(t.begin, t.end); }
  std::string_view WordText(const Word& w) const { return Slice(w.begin, w.end); }
  // Index of the sentence holding normalized byte `offset`.
  uint32_t SentenceAt(uint32_t offset) const;
};

// Tokens and words SentenceWords() made for one sentence.
struct SentenceWordsScratch {
  std::vector<Token> tokens;
  std::vector<Word> words;
};

// The words of doc.sentences[index] (none past the last sentence): a view
// into doc.words when the document has them; otherwise made now through
// doc.word_source into `scratch`, which the view points into (and whose
// tokens the words' token indices then count in).
std::span<const Word> SentenceWords(const Document& doc, size_t index, SentenceWordsScratch* scratch);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_DOCUMENT_H_
