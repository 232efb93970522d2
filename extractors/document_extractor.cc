// Document extractor: references to party and state documents.
//
// Three rules, each matched with RE2 on the normalized text of one sentence:
//  - document.party_code   number-TYPE/ISSUER (124-QĐ/TW, 11-QĐi/TW), with the
//                          spacing noise of real text (124 -QĐ/TW, 15- CT/TU);
//  - document.state_code   number/[year/]TYPE-ISSUER (16/CT-TTg,
//                          100/2019/NĐ-CP) and number/year/ISSUER after a type
//                          word (Luật số 45/2019/QH14);
//  - document.back_reference  a type word and a bare number (Quy định 124) that
//                          repeats a full code seen earlier in the article.
// The type letters and the type words come from lexicons/document_types.tsv,
// issuer variants (TƯ -> TW) from lexicons/issuers.tsv, and the words around a
// code (số, của, về, clause breaks) from lexicons/document_words.tsv, so a
// user extends them without recompiling. The fact's span is the type word
// (with "số") through the code; what follows the code (issue date, issuing
// body, term, subject) is read by a small left-to-right parser over the rest
// of the sentence, because it comes in a fixed order and needs no search.
#include <re2/re2.h>

#include <algorithm>
#include <cstdlib>
#include <map>
#include <unordered_map>

#include "extractors/extractor.h"
#include "extractors/extractor_util.h"
#include "pipeline/lexicon.h"
#include "pipeline/normalizer.h"
#include "pipeline/roman_numeral.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

using extract::CharAt;
using extract::CharBefore;
using extract::IsWordChar;
using extract::MatchAnyAt;
using extract::SkipSpaces;

struct TypeWord {
  std::string lower;  // normalized, lower-cased spelling
  std::string name;   // full type name
  // False for words no code letters stand for (Luật, Văn bản): such a word
  // types a code without letters (Văn bản số 123/UBND-VX) but does not
  // override the letters of one that has them (văn bản số 124-QĐ/TW is a
  // Quy định).
  bool has_letters = true;
};

struct IssuerInfo {
  std::string canonical;
  std::string body;  // empty when the code stands for several bodies
};

struct Tables {
  std::vector<TypeWord> type_words;  // longest first
  std::vector<std::string> type_lower;  // type_words[i].lower, for phrase lookups
  std::unordered_map<std::string, std::string> party_letters;  // letters -> type name
  std::vector<std::string> party_letter_list;  // its keys
  std::unordered_map<std::string, std::string> state_letters;
  std::unordered_map<std::string, IssuerInfo> issuers;
  std::vector<std::string> number_markers, issued_leads, issuer_markers, subject_markers,
      clause_breaks, connectors, issuer_words, issuer_occasions, name_joiners, term_words, day_words, month_words, year_words;
  std::vector<std::string> number_term_words;  // term words an Arabic number may follow
  // Asked at most words of an issuer or a subject: indexed.
  extract::PhrasesByFirstChar clause_break_index, term_word_index;
};

// One code found in a sentence, before the words around it are read.
struct CodeMatch {
  size_t begin = 0;  // sentence-local: first digit of the code
  size_t end = 0;    // after the code
  std::string rule;
  DocumentFact fact;
  bool needs_type_word = false;  // the code alone does not say it is a document
};

std::string LettersKey(std::string_view s) { return std::string(s); }

// Strips leading zeros so "Chỉ thị 3" finds "03-CT/TU".
std::string NumberKey(std::string_view number) {
  size_t i = 0;
  while (i + 1 < number.size() && number[i] == '0') ++i;
  return std::string(number.substr(i));
}

class DocumentExtractor : public Extractor {
 public:
  DocumentExtractor(Tables tables, bool plain, const std::string& party, const std::string& state,
                    const std::string& back_reference, const std::string& issued,
                    const std::string& term)
      : tables_(std::move(tables)),
        plain_(plain),
        party_re_(party),
        state_re_(state),
        back_reference_re_(back_reference),
        issued_re_(issued),
        term_re_(term) {
    type_starts_.AddPhrases(tables_.type_lower);
    std::vector<std::string> last_words;
    for (const std::string& phrase : tables_.type_lower) {
      max_type_words_ = std::max(max_type_words_, extract::WordCount(phrase));
      last_words.push_back(LastWord(phrase));
    }
    for (const std::string& phrase : tables_.number_markers) {
      max_marker_words_ = std::max(max_marker_words_, extract::WordCount(phrase));
      last_words.push_back(LastWord(phrase));
    }
    last_word_starts_.AddPhrases(last_words);
    issued_starts_.AddPhrases(tables_.issued_leads);
    issued_starts_.AddPhrases(tables_.day_words);
    term_starts_.AddPhrases(tables_.term_words);
    // TermMayFollow() finds where the term word starts by skipping the
    // spaces, comma and bracket term_re_ allows before it; a term word that
    // started with one of them could start earlier.
    for (const std::string& phrase : tables_.term_words) {
      if (phrase.empty() || phrase[0] == ' ' || phrase[0] == ',' || phrase[0] == '(') {
        term_starts_anywhere_ = true;
      }
    }
  }

  Status Check() const {
    for (const RE2* re : {&party_re_, &state_re_, &back_reference_re_, &issued_re_, &term_re_}) {
      if (!re->ok()) return Status::Error("document extractor: bad pattern: " + re->error());
    }
    return Status::Ok();
  }

  std::string_view name() const override { return "document"; }

  void Extract(const Document& doc, std::vector<Fact>* facts) const override {
    // Full codes seen so far in the article: "type\tnumber" -> the fact.
    std::map<std::string, DocumentFact> seen;
    const std::vector<Sentence> sentences = extract::SentencesOf(doc);
    std::vector<size_t> numbers;
    for (uint32_t si = 0; si < sentences.size(); ++si) {
      const Sentence& s = sentences[si];
      const std::string_view text = doc.SentenceText(s);
      // Every code and back-reference has a number.
      numbers.clear();
      for (size_t p = digits_.Next(text, 0); p < text.size(); p = digits_.Next(text, p)) {
        numbers.push_back(p);
        while (p < text.size() && IsAsciiDigit(text[p])) ++p;
      }
      if (numbers.empty()) continue;
      ExtractSentence(text, numbers, s.begin, si, &seen, facts);
    }
  }

 private:
  // `numbers`: where each run of ASCII digits of `text` starts, in order.
  void ExtractSentence(std::string_view text, const std::vector<size_t>& numbers, uint32_t base,
                       uint32_t sentence, std::map<std::string, DocumentFact>* seen,
                       std::vector<Fact>* facts) const {
    std::vector<CodeMatch> codes;
    if (text.find('/') != std::string_view::npos) {  // every code has a slash
      if (plain_) {
        FindPartyCodes(text, nullptr, &codes);
        FindStateCodes(text, nullptr, &codes);
      } else {
        // A code starts with the first digit of a number (LeftBoundaryOk()
        // rejects one that starts after a digit), and only where the bytes
        // after the number are what the pattern has there.
        std::vector<size_t> starts;
        for (size_t p : numbers) {
          if (PartyCodeMayStartAt(text, p)) starts.push_back(p);
        }
        if (!starts.empty()) FindPartyCodes(text, &starts, &codes);
        starts.clear();
        for (size_t p : numbers) {
          if (StateCodeMayStartAt(text, p)) starts.push_back(p);
        }
        if (!starts.empty()) FindStateCodes(text, &starts, &codes);
      }
    }
    std::sort(codes.begin(), codes.end(),
              [](const CodeMatch& a, const CodeMatch& b) { return a.begin < b.begin; });

    // Attach type words; a code that needs one and has none is dropped.
    struct Found {
      size_t begin, end;
      CodeMatch code;
    };
    std::vector<Found> found;
    for (CodeMatch& code : codes) {
      if (!found.empty() && code.begin < found.back().end) continue;  // overlap
      size_t begin = code.begin;
      if (auto tw = TypeWordBefore(text, code.begin)) {
        begin = tw->first;
        if (code.fact.type.empty() || tw->second.has_letters) code.fact.type = tw->second.name;
      } else if (code.needs_type_word) {
        continue;
      }
      found.push_back({begin, code.end, std::move(code)});
    }

    // Back-references: type word + bare number, linked to an earlier full code.
    struct BackRef {
      size_t begin, end;
      std::string type, number;
    };
    std::vector<BackRef> back_refs;
    if (!seen->empty() || !found.empty()) {  // nothing to refer back to otherwise
      FindBackReferences(text, numbers, found.empty() ? nullptr : &found, &back_refs);
    }

    // Walk codes and back-references in order so a back-reference sees exactly
    // the codes before it.
    struct Pending {
      Fact fact;
      DocumentFact value;
      bool shares_next_tail = false;  // only a connector before the next code
    };
    std::vector<Pending> pending;
    size_t fi = 0, bi = 0;
    while (fi < found.size() || bi < back_refs.size()) {
      const bool take_code =
          bi >= back_refs.size() || (fi < found.size() && found[fi].begin < back_refs[bi].begin);
      const size_t next_begin = take_code
                                    ? (fi + 1 < found.size() ? found[fi + 1].begin : text.size())
                                    : (fi < found.size() ? found[fi].begin : text.size());
      Pending p;
      p.fact.kind = FactKind::kDocument;
      p.fact.sentence = sentence;
      size_t end;
      if (take_code) {
        Found& f = found[fi++];
        p.value = std::move(f.code.fact);
        p.fact.rule = f.code.rule;
        p.fact.begin = base + static_cast<uint32_t>(f.begin);
        end = f.end;
        ReadTail(text, end, next_begin, &p.value);
        (*seen)[p.value.type + "\t" + NumberKey(p.value.number)] = p.value;
        p.shares_next_tail = next_begin < text.size() &&
                             (bi >= back_refs.size() || next_begin < back_refs[bi].begin) &&
                             OnlyConnectorsBetween(text, end, next_begin);
      } else {
        const BackRef& b = back_refs[bi++];
        auto it = seen->find(b.type + "\t" + NumberKey(b.number));
        if (it == seen->end()) continue;
        p.value.id = it->second.id;
        p.value.type = it->second.type;
        p.value.number = it->second.number;
        p.value.issuer_code = it->second.issuer_code;
        p.value.back_reference = true;
        p.fact.rule = "document.back_reference";
        p.fact.begin = base + static_cast<uint32_t>(b.begin);
        end = b.end;
        ReadTail(text, end, next_begin, &p.value);
      }
      p.fact.end = base + static_cast<uint32_t>(end);
      pending.push_back(std::move(p));
    }
    // "Quyết định số 217-QĐ/TW và Quyết định số 218-QĐ/TW ngày 12/12/2013 của
    // Bộ Chính trị": codes of one issuer joined by "và" share the last one's
    // date, issuer, term and subject. Back to front, so a list shares too.
    for (size_t i = pending.size(); i-- > 1;) {
      Pending& first = pending[i - 1];
      const DocumentFact& next = pending[i].value;
      if (!first.shares_next_tail || first.value.issuer_code != next.issuer_code) continue;
      if (!first.value.issued) first.value.issued = next.issued;
      if (!first.value.issuer) first.value.issuer = next.issuer;
      if (!first.value.term) first.value.term = next.term;
      if (!first.value.subject) first.value.subject = next.subject;
    }
    for (Pending& p : pending) {
      if (!p.value.issuer) {
        auto issuer = tables_.issuers.find(p.value.issuer_code);
        if (issuer != tables_.issuers.end() && !issuer->second.body.empty()) {
          p.value.issuer = issuer->second.body;
        }
      }
      p.fact.value = std::move(p.value);
      facts->push_back(std::move(p.fact));
    }
  }

  // Whether text[begin, end) holds only spaces, commas and connector words
  // ("và", "cùng").
  bool OnlyConnectorsBetween(std::string_view text, size_t begin, size_t end) const {
    size_t p = begin;
    while (true) {
      while (p < end && (text[p] == ' ' || text[p] == ',')) ++p;
      if (p >= end) return true;
      auto after = MatchAnyAt(text, p, tables_.connectors);
      if (!after || *after > end) return false;
      p = *after;
    }
  }

  // Numbers must start a word and codes must end one, so a code is never read
  // out of the middle of a longer token.
  static bool LeftBoundaryOk(std::string_view text, size_t pos) {
    const char32_t before = CharBefore(text, pos);
    if (IsWordChar(before)) return false;
    if (before == '/' || before == '.' || before == '-' || before == ',') {
      return !IsWordChar(CharBefore(text, pos - 1));
    }
    return true;
  }
  static bool RightBoundaryOk(std::string_view text, size_t pos) {
    const char32_t after = CharAt(text, pos);
    if (IsWordChar(after)) return false;
    if (after == '/' || after == '-') return !IsWordChar(CharAt(text, pos + 1));
    return true;
  }

  // Whether the bytes after the number starting at `p` are what party_re_
  // has after its number: a dash (spaces around it), type letters of the
  // list (case as listed), spaces and a slash: "124-QĐ/TW", "15- CT/TU".
  // Most numbers have no such bytes (dates, ranges: "2020-2025").
  bool PartyCodeMayStartAt(std::string_view text, size_t p) const {
    size_t q = p;
    while (q < text.size() && IsAsciiDigit(text[q])) ++q;
    q = SkipSpaces(text, q);
    if (q < text.size() && text[q] == '-') {
      ++q;
    } else if (text.substr(q, 3) == "\u2013" || text.substr(q, 3) == "\u2014") {
      q += 3;
    } else {
      return false;
    }
    q = SkipSpaces(text, q);
    for (const std::string& letters : tables_.party_letter_list) {
      if (text.substr(q, letters.size()) != letters) continue;
      const size_t slash = SkipSpaces(text, q + letters.size());
      if (slash < text.size() && text[slash] == '/') return true;
    }
    return false;
  }

  // Whether the bytes after the number starting at `p` are what state_re_
  // has after its number: spaces, a slash, spaces, and either four digits,
  // spaces and a slash (100/2019/NĐ-CP) or a capital A-Z or Đ (16/CT-TTg).
  // Dates (12/10/2023, 10/2023) have neither.
  static bool StateCodeMayStartAt(std::string_view text, size_t p) {
    size_t q = p;
    while (q < text.size() && IsAsciiDigit(text[q])) ++q;
    q = SkipSpaces(text, q);
    if (q >= text.size() || text[q] != '/') return false;
    q = SkipSpaces(text, q + 1);
    if (q >= text.size()) return false;
    if ((text[q] >= 'A' && text[q] <= 'Z') || text.substr(q, 2) == "\u0110") return true;
    size_t y = q;
    while (y < text.size() && IsAsciiDigit(text[y])) ++y;
    if (y - q < 4) return false;
    y = SkipSpaces(text, q + 4);
    return y < text.size() && text[y] == '/';
  }

  // The leftmost match of `re` in text[pos, end): what an unanchored search
  // finds, or, when `starts` lists in order every position where a match
  // can start, what matching anchored at the first of them at or after `pos`
  // that has a match finds. The two are the same: RE2 reports the match
  // that starts leftmost, and of the matches there the one an anchored
  // match there reports (leftmost-first), and these patterns look at no
  // byte before their start. `*next` keeps the place in `starts` for the
  // next call, whose `pos` must not be smaller.
  //
  // With `max_words` > 0, every match spans at most that many words (runs of
  // bytes other than ' ') after the one it starts in, and ends a word or at
  // `end`: then a match at b is looked for in text[b, e) only, e the end of
  // those words (RE2's bit-state matcher, which it uses on short texts, clears
  // memory for every byte it is given). That finds the same match: the
  // patterns do not look at the end of the text ($, \b), so what matches in
  // text[b, e) matches in text[b, end) too, and the match there, which ends
  // by e, is the first in RE2's order of the ones that end by e.
  static bool NextMatch(const RE2& re, std::string_view text, size_t pos, size_t end,
                        const std::vector<size_t>* starts, int max_words, size_t* next,
                        re2::StringPiece* m, int n) {
    if (starts == nullptr) return pos < end && re.Match(text, pos, end, RE2::UNANCHORED, m, n);
    for (; *next < starts->size(); ++*next) {
      const size_t b = (*starts)[*next];
      if (b < pos) continue;
      if (b >= end) return false;
      const size_t e = max_words > 0 ? std::min(end, extract::WordsEnd(text, b, max_words)) : end;
      if (re.Match(text, b, e, RE2::ANCHOR_START, m, n)) return true;
    }
    return false;
  }


  std::string CanonicalIssuer(std::string_view code) const {
    auto it = tables_.issuers.find(std::string(code));
    return it == tables_.issuers.end() ? std::string(code) : it->second.canonical;
  }

  // `starts`: where a code may start (see NextMatch()), or null to search.
  void FindPartyCodes(std::string_view text, const std::vector<size_t>* starts,
                      std::vector<CodeMatch>* out) const {
    re2::StringPiece m[4];
    size_t pos = 0, next = 0;
    while (NextMatch(party_re_, text, pos, text.size(), starts, 0, &next, m, 4)) {
      const size_t b = m[0].data() - text.data();
      const size_t e = b + m[0].size();
      if (!LeftBoundaryOk(text, b) || !RightBoundaryOk(text, e)) {
        pos = extract::NextCharStart(text, b);
        continue;
      }
      CodeMatch c;
      c.begin = b;
      c.end = e;
      c.rule = "document.party_code";
      const std::string number(m[1].data(), m[1].size());
      const std::string letters(m[2].data(), m[2].size());
      const std::string issuer = CanonicalIssuer(std::string_view(m[3].data(), m[3].size()));
      c.fact.number = number;
      c.fact.issuer_code = issuer;
      c.fact.id = number + "-" + letters + "/" + issuer;
      c.fact.type = tables_.party_letters.at(letters);
      out->push_back(std::move(c));
      pos = e;
    }
  }

  void FindStateCodes(std::string_view text, const std::vector<size_t>* starts,
                      std::vector<CodeMatch>* out) const {
    re2::StringPiece m[5];
    size_t pos = 0, next = 0;
    while (NextMatch(state_re_, text, pos, text.size(), starts, 0, &next, m, 5)) {
      const size_t b = m[0].data() - text.data();
      const size_t e = b + m[0].size();
      if (!LeftBoundaryOk(text, b) || !RightBoundaryOk(text, e)) {
        pos = extract::NextCharStart(text, b);
        continue;
      }
      const std::string number(m[1].data(), m[1].size());
      const std::string year = m[2].data() ? std::string(m[2].data(), m[2].size()) : "";
      const std::string head(m[3].data(), m[3].size());
      const std::string tail = m[4].data() ? std::string(m[4].data(), m[4].size()) : "";
      CodeMatch c;
      c.begin = b;
      c.end = e;
      c.rule = "document.state_code";
      c.fact.number = number;
      auto type = tables_.state_letters.find(head);
      if (type != tables_.state_letters.end() && !tail.empty()) {
        // 16/CT-TTg, 100/2019/NĐ-CP: type letters, then the issuer.
        c.fact.type = type->second;
        const size_t dash = tail.find('-');
        const std::string first = CanonicalIssuer(tail.substr(0, dash));
        c.fact.issuer_code =
            dash == std::string::npos ? first : first + tail.substr(dash);
        c.fact.id = number + "/" + (year.empty() ? "" : year + "/") + head + "-" +
                    c.fact.issuer_code;
      } else if (!year.empty() || !tail.empty() ||
                 (type == tables_.state_letters.end() && IsAcronym(head))) {
        // 45/2019/QH14, 1234/UBND-VX, 17/HĐNVQS: no type letters, so only a
        // type word before the code says it is a document.
        c.needs_type_word = true;
        const std::string issuer = CanonicalIssuer(head);
        c.fact.issuer_code = tail.empty() ? issuer : issuer + "-" + tail;
        c.fact.id = number + "/" + (year.empty() ? "" : year + "/") + c.fact.issuer_code;
      } else {
        pos = extract::NextCharStart(text, b);
        continue;
      }
      out->push_back(std::move(c));
      pos = e;
    }
  }

  // Two or more capitals and nothing else ("HĐNVQS", not "Km" or "X").
  static bool IsAcronym(std::string_view word) {
    size_t pos = 0, letters = 0;
    while (pos < word.size()) {
      const int32_t c = NextCodePoint(word, &pos);
      if (c < 0 || !IsUpper(static_cast<char32_t>(c))) return false;
      ++letters;
    }
    return letters >= 2;
  }

  // The type word (and "số") right before `code_begin`: (span begin, type).
  // "Luật Thực hiện dân chủ ở cơ sở số 10/2022/QH15": with "số", the type word
  // may stand a few words further back, with nothing but words between, and
  // commas inside a law's name ("Luật Phòng, chống tham nhũng số 36/2018/QH14").
  std::optional<std::pair<size_t, TypeWord>> TypeWordBefore(std::string_view text,
                                                             size_t code_begin) const {
    size_t end = code_begin;
    bool has_number_marker = false;
    if (auto marker = PhraseBefore(text, end, tables_.number_markers)) {
      end = *marker;
      has_number_marker = true;
    }
    size_t which = 0;
    if (auto start = extract::PhraseEndingAt(text, end, tables_.type_lower, &which)) {
      return std::make_pair(*start, tables_.type_words[which]);
    }
    if (!has_number_marker) return std::nullopt;
    // Walk back over at most 10 words without punctuation.
    size_t pos = extract::SkipSpacesBack(text, end);
    for (int words = 0; words < 10 && pos > 0; ++words) {
      size_t word_begin = pos;
      while (word_begin > 0) {
        const char32_t c = CharBefore(text, word_begin);
        if (!IsWordChar(c)) break;
        word_begin -= Utf8Length(c);
      }
      if (word_begin == pos) return std::nullopt;  // punctuation: give up
      if (auto start = extract::PhraseEndingAt(text, pos, tables_.type_lower, &which)) {
        return std::make_pair(*start, tables_.type_words[which]);
      }
      if (word_begin == 0 || text[word_begin - 1] != ' ') return std::nullopt;
      pos = word_begin - 1;
      if (pos > 0 && text[pos - 1] == ',') --pos;
    }
    return std::nullopt;
  }

  static std::optional<size_t> PhraseBefore(std::string_view text, size_t end,
                                            const std::vector<std::string>& phrases) {
    return extract::PhraseEndingAt(text, end, phrases);
  }

  template <typename FoundVec, typename BackRefVec>
  void FindBackReferences(std::string_view text, const std::vector<size_t>& numbers,
                          const FoundVec* found, BackRefVec* out) const {
    // Every match ends with spaces and a number, the whole run of digits
    // ([0-9]+ is greedy and ends the pattern): the search need not go past
    // the last number after a space, nor start when there is none. The
    // match it finds ends there at the latest, so it is the one searching
    // the whole sentence finds.
    size_t end = 0;
    if (plain_) {
      end = text.size();
    } else {
      for (size_t i = numbers.size(); i-- > 0;) {
        if (numbers[i] > 0 && text[numbers[i] - 1] == ' ') {
          end = numbers[i];
          while (end < text.size() && IsAsciiDigit(text[end])) ++end;
          break;
        }
      }
    }
    std::vector<size_t> starts;
    const bool search = plain_ || type_starts_.anywhere() || last_word_starts_.anywhere();
    if (!search) BackReferenceStarts(text, numbers, end, &starts);
    re2::StringPiece m[3];
    size_t pos = 0, next = 0;
    while (NextMatch(back_reference_re_, text, pos, end, search ? nullptr : &starts,
                     max_type_words_ + max_marker_words_, &next, m, 3)) {
      const size_t b = m[0].data() - text.data();
      const size_t e = b + m[0].size();
      pos = extract::NextCharStart(text, b);
      if (IsWordChar(CharBefore(text, b))) continue;
      // A full code continues after the number ("Quy định 124 -QĐ/TW").
      const size_t after = SkipSpaces(text, e);
      const char32_t next = CharAt(text, e);
      if (IsWordChar(next)) continue;
      if ((next == '.' || next == ',') && IsWordChar(CharAt(text, e + 1)) &&
          IsDigit(CharAt(text, e + 1))) {
        continue;
      }
      const char32_t next_sym = CharAt(text, after);
      if (next_sym == '-' || next_sym == '/' || next_sym == 0x2013 || next_sym == 0x2014) continue;
      bool overlaps = false;
      if (found) {
        for (const auto& f : *found) overlaps |= b < f.end && f.begin < e;
      }
      if (overlaps) continue;
      std::string type;
      const std::string lower = ToLowerUtf8(std::string_view(m[1].data(), m[1].size()));
      for (const TypeWord& tw : tables_.type_words) {
        if (extract::MatchPhraseAt(lower, 0, tw.lower) == lower.size()) {
          type = tw.name;
          break;
        }
      }
      if (type.empty()) continue;
      out->push_back({b, e, type, std::string(m[2].data(), m[2].size())});
      pos = e;
    }
  }

  // Where a back-reference may start, in order, for NextMatch(). A match is
  // the words of a type word, maybe the words of a number marker, and a
  // number right after a space, each word followed by spaces, and no word
  // holds a space (RE2's (?i) folds no letter to one). So
  //  - the word before the number ends with the last word of a type word or
  //    marker, which starts that word or, if it is the first word of the
  //    match, where the match starts (last_word_starts_, in any case);
  //  - the number starts the t-th word (a run of bytes other than ' ')
  //    after the one the match starts in, 1 <= t <= max_type_words_ +
  //    max_marker_words_;
  //  - the match starts where the first word of a type word may
  //    (type_starts_, in any case);
  // and as FindBackReferences() keeps no match that starts after a letter or
  // digit, only a word's start or a place after another sign counts.
  void BackReferenceStarts(std::string_view text, const std::vector<size_t>& numbers, size_t end,
                           std::vector<size_t>* starts) const {
    const int words_before = max_type_words_ + max_marker_words_;
    size_t scanned = 0;  // positions before it are looked at
    for (size_t x : numbers) {
      if (x >= end) break;
      if (x == 0 || text[x - 1] != ' ') continue;
      const size_t word_end = extract::SkipSpacesBack(text, x);
      size_t word = word_end;
      while (word > 0 && text[word - 1] != ' ') --word;
      bool last_word = false;
      for (size_t p = word; p < word_end && !last_word; ++p) {
        last_word = last_word_starts_.MayStartWith(static_cast<unsigned char>(text[p])) &&
                    (p == word || !WordCharBefore(text, p)) && last_word_starts_.At(text, p);
      }
      if (!last_word) continue;
      size_t from = x;
      for (int words = 0; words < words_before && from > 0; ++words) {
        from = extract::SkipSpacesBack(text, from);
        while (from > 0 && text[from - 1] != ' ') --from;
      }
      for (size_t b = std::max(from, scanned); b < x; ++b) {
        if (type_starts_.MayStartWith(static_cast<unsigned char>(text[b])) &&
            !WordCharBefore(text, b) && type_starts_.At(text, b)) {
          starts->push_back(b);
        }
      }
      scanned = x;
    }
  }

  // extract::WordCharBefore() with the ASCII case first: most positions
  // asked follow an ASCII letter or a space.
  static bool WordCharBefore(std::string_view text, size_t pos) {
    if (pos == 0) return false;
    const unsigned char before = static_cast<unsigned char>(text[pos - 1]);
    if (before < 0x80) {
      return IsAsciiDigit(before) || ((before | 0x20) >= 'a' && (before | 0x20) <= 'z');
    }
    return extract::WordCharBefore(text, pos);
  }

  // Reads what follows a code, in the order the press writes it:
  //   [, ngày D/M/YYYY] [của ISSUER] [(khóa XII)] [, ngày ...] [về SUBJECT]
  // `limit` is where the next code of the sentence begins.
  void ReadTail(std::string_view text, size_t pos, size_t limit, DocumentFact* value) const {
    text = text.substr(0, limit);
    auto try_issued = [&]() {
      if (value->issued || (!plain_ && !IssuedMayStartAt(text, pos))) return;
      re2::StringPiece m[6];
      if (!issued_re_.Match(text, pos, text.size(), RE2::ANCHOR_START, m, 6)) return;
      // The groups are one to four ASCII digits.
      const int day = extract::LeadingNumber(std::string_view(m[1].data(), m[1].size()));
      const re2::StringPiece& month_sp = m[2].data() ? m[2] : (m[3].data() ? m[3] : m[4]);
      const int month = extract::LeadingNumber(std::string_view(month_sp.data(), month_sp.size()));
      const int year = extract::LeadingNumber(std::string_view(m[5].data(), m[5].size()));
      const size_t e = m[0].data() - text.data() + m[0].size();
      if (IsWordChar(CharAt(text, e)) || month < 1 || month > 12 ||
          !extract::IsValidDay(year, month, day)) {
        return;
      }
      std::string iso;
      extract::AppendZeroPadded(year, 4, &iso);
      iso += '-';
      extract::AppendZeroPadded(month, 2, &iso);
      iso += '-';
      extract::AppendZeroPadded(day, 2, &iso);
      value->issued = std::move(iso);
      pos = e;
    };
    try_issued();
    // Issuing body: "của" + words up to punctuation or a clause break. A
    // plenum is an occasion, not a body: the body (if any) follows its number.
    if (auto after_marker = MatchAnyAt(text, SkipSpaces(text, pos), tables_.issuer_markers)) {
      size_t body_begin = SkipSpaces(text, *after_marker);
      if (auto after_occasion = MatchAnyAt(text, body_begin, tables_.issuer_occasions)) {
        body_begin = SkipOccasionNumber(text, SkipSpaces(text, *after_occasion));
        pos = body_begin;  // a term may follow the occasion ("Hội nghị Trung ương 6 khóa XII")
      }
      const size_t body_end = PhraseEnd(text, body_begin, /*max_words=*/12);
      if (body_end > body_begin && IsUpper(CharAt(text, body_begin))) {
        if (!value->issuer) {
          value->issuer = std::string(text.substr(body_begin, body_end - body_begin));
        }
        pos = body_end;
      }
    }
    // Term: "khóa XII" or "(Khóa XI)".
    if (plain_ || TermMayFollow(text, pos)) {
      re2::StringPiece m[3];
      if (term_re_.Match(text, pos, text.size(), RE2::ANCHOR_START, m, 3)) {
        std::string numeral(m[2].data(), m[2].size());
        const std::string word = ToLowerUtf8(std::string_view(m[1].data(), m[1].size()));
        const size_t e = m[0].data() - text.data() + m[0].size();
        // The issuer is the body whose term this is, so an Arabic number
        // ("Quốc hội khóa 14") is as sure as a Roman one; it is stored in
        // Roman so that both spellings give one term.
        if (numeral[0] >= '0' && numeral[0] <= '9' &&
            std::find(tables_.number_term_words.begin(), tables_.number_term_words.end(), word) !=
                tables_.number_term_words.end()) {
          numeral = FormatRomanNumeral(std::atoi(numeral.c_str()));
        }
        if (ParseRomanNumeral(numeral) && !IsWordChar(CharAt(text, e))) {
          value->term = word + " " + numeral;
          pos = e;
        }
      }
    }
    try_issued();
    // Subject: "về ..." up to the next clause break, or the quoted title.
    {
      size_t p = SkipSpaces(text, pos);
      if (p < text.size() && text[p] == ',') p = SkipSpaces(text, p + 1);
      if (auto after_marker = MatchAnyAt(text, p, tables_.subject_markers)) {
        const size_t s = SkipSpaces(text, *after_marker);
        std::string_view rest = text.substr(s);
        std::string subject;
        if (!rest.empty() && rest[0] == '"') {
          const size_t close = rest.find('"', 1);
          if (close != std::string_view::npos) subject = std::string(rest.substr(1, close - 1));
        } else if (rest.substr(0, 3) == "\u201C") {
          const size_t close = rest.find("\u201D", 3);
          if (close != std::string_view::npos) subject = std::string(rest.substr(3, close - 3));
        } else {
          size_t e = 0;
          while (e < rest.size()) {
            const char ch = rest[e];
            if (ch == ';' || ch == ':' || ch == '|' || ch == '(' || ch == ')' || ch == '"' ||
                ch == '\n' || ch == '!' || ch == '?') {
              break;
            }
            // A comma continues a list inside the subject ("kỷ cương, kỷ
            // luật") unless a capitalized word or a number opens a new item.
            if (ch == ',') {
              const size_t next = SkipSpaces(rest, e + 1);
              if (!IsLower(CharAt(rest, next)) || IsClauseBreak(rest, next)) break;
            }
            if (ch == '.' && (e + 1 >= rest.size() || rest[e + 1] == ' ' || rest[e + 1] == '\n')) {
              break;
            }
            if (ch == '\xE2' &&
                (rest.substr(e, 3) == "\u201C" || rest.substr(e, 3) == "\u2026")) {
              break;
            }
            ++e;
          }
          subject = TrimConnectors(rest.substr(0, e));
        }
        if (!subject.empty() && IsWordChar(CharAt(subject, 0))) value->subject = subject;
      }
    }
  }

  // A lower-case word that ends a phrase ("quy định", "về"). Capitalized
  // words never do, so "Ban Chỉ đạo" or "Ban Tổ chức" stay whole.
  // Skips the number of a meeting: digits, a Roman numeral or up to three
  // lower-case number words ("tư", "mười ba"), but not a term ("khóa XII").
  size_t SkipOccasionNumber(std::string_view text, size_t pos) const {
    for (int words = 0; words < 3 && pos < text.size(); ++words) {
      const char32_t c = CharAt(text, pos);
      size_t end = pos;
      while (end < text.size() && IsWordChar(CharAt(text, end))) end = extract::NextCharStart(text, end);
      if (end == pos) break;
      const std::string_view word = text.substr(pos, end - pos);
      const bool number = IsDigit(c) || ParseRomanNumeral(word).has_value() ||
                          (IsLower(c) && !IsClauseBreak(text, pos));
      if (!number) break;
      pos = SkipSpaces(text, end);
    }
    return pos;
  }

  bool IsClauseBreak(std::string_view text, size_t pos) const {
    if (!IsLower(CharAt(text, pos))) return false;
    if (plain_) {
      return MatchAnyAt(text, pos, tables_.clause_breaks) ||
             MatchAnyAt(text, pos, tables_.term_words);
    }
    return tables_.clause_break_index.At(text, pos) || tables_.term_word_index.At(text, pos);
  }

  // Whether issued_re_ may match at `pos`: it starts with a comma or spaces
  // and then (after spaces) a lead or a day word, whose first word
  // issued_starts_ knows; none starts with a space (else At() says yes
  // anywhere), so it starts after all the spaces.
  bool IssuedMayStartAt(std::string_view text, size_t pos) const {
    if (pos >= text.size() || (text[pos] != ',' && text[pos] != ' ')) return false;
    return issued_starts_.At(text, SkipSpaces(text, text[pos] == ',' ? pos + 1 : pos));
  }

  // Whether term_re_ may match at `pos`: before the term word it allows
  // spaces, a comma, spaces, a bracket and spaces, in that order, and a term
  // word starts with none of them, so it starts where skipping them in that
  // order ends.
  bool TermMayFollow(std::string_view text, size_t pos) const {
    if (term_starts_anywhere_) return true;
    size_t p = SkipSpaces(text, pos);
    if (p < text.size() && text[p] == ',') p = SkipSpaces(text, p + 1);
    if (p < text.size() && text[p] == '(') p = SkipSpaces(text, p + 1);
    return term_starts_.At(text, p);
  }

  // The last word of a phrase as Alternation() matches it (empty when the
  // phrase has none, which MatchStarts takes as "anywhere").
  static std::string LastWord(std::string_view phrase) {
    size_t end = phrase.size();
    while (end > 0 && phrase[end - 1] == ' ') --end;
    size_t begin = end;
    while (begin > 0 && phrase[begin - 1] != ' ') --begin;
    return std::string(phrase.substr(begin, end - begin));
  }


  // End of an issuing body starting at `pos`: words up to punctuation, a
  // clause break, a term word or `max_words` words; then trailing lower-case
  // words are dropped unless they finish a capitalized word ("Bộ Chính trị",
  // "UBND tỉnh") or are words bodies end in ("nhân dân", "tỉnh").
  size_t PhraseEnd(std::string_view text, size_t pos, int max_words) const {
    std::vector<std::pair<size_t, size_t>> words;
    size_t p = pos;
    while (static_cast<int>(words.size()) < max_words && p < text.size()) {
      if (!IsWordChar(CharAt(text, p)) || IsDigit(CharAt(text, p))) break;
      if (IsClauseBreak(text, p)) {
        // "Bộ Giáo dục và Đào tạo": one body, when a capital follows "và".
        const auto joiner = words.empty() ? std::nullopt : MatchAnyAt(text, p, tables_.name_joiners);
        if (!joiner || !IsUpper(CharAt(text, SkipSpaces(text, *joiner)))) break;
      }
      size_t q = p;
      while (q < text.size()) {
        const char32_t c = CharAt(text, q);
        if (!IsWordChar(c) && c != '.' && c != '-') break;
        if ((c == '.' || c == '-') && !IsWordChar(CharAt(text, q + 1))) break;
        q = extract::NextCharStart(text, q);
      }
      words.emplace_back(p, q);
      if (q >= text.size() || text[q] != ' ') break;
      p = q + 1;
    }
    while (words.size() > 1) {
      const auto [b, e] = words.back();
      if (!IsLower(CharAt(text, b))) break;
      if (!IsLower(CharAt(text, words[words.size() - 2].first))) break;
      if (extract::PhraseEndingAt(text, e, tables_.issuer_words)) break;
      words.pop_back();
    }
    return words.empty() ? pos : words.back().second;
  }

  std::string TrimConnectors(std::string_view s) const {
    while (true) {
      while (!s.empty() && (s.back() == ' ' || s.back() == ',' || s.back() == ';')) {
        s.remove_suffix(1);
      }
      auto start = extract::PhraseEndingAt(s, s.size(), tables_.connectors);
      if (!start || *start == 0) break;
      s = s.substr(0, *start);
    }
    return std::string(s);
  }

  Tables tables_;
  // Search every sentence with a slash for codes, and run every pattern
  // and phrase list the plain way (for tests).
  const bool plain_;
  RE2 party_re_;
  RE2 state_re_;
  RE2 back_reference_re_;
  RE2 issued_re_;
  RE2 term_re_;
  extract::DigitFinder digits_;
  // Where the first word of a type word may start (in any case), and the
  // most words a type word and a number marker have: BackReferenceStarts().
  extract::MatchStarts type_starts_;
  extract::MatchStarts last_word_starts_;  // last words of type words and markers
  int max_type_words_ = 0, max_marker_words_ = 0;
  extract::MatchStarts issued_starts_;  // leads and day words: IssuedMayStartAt()
  extract::MatchStarts term_starts_;    // term words: TermMayFollow()
  bool term_starts_anywhere_ = false;
};

std::string QuotedAlternation(std::vector<std::string> items) {
  extract::SortLongestFirst(&items);
  std::string out = "(?:";
  for (size_t i = 0; i < items.size(); ++i) {
    if (i) out += '|';
    out += RE2::QuoteMeta(items[i]);
  }
  return out + ")";
}

std::vector<std::string> SplitList(const std::string& field) {
  std::vector<std::string> out;
  if (field.empty() || field == "-") return out;
  size_t start = 0;
  while (start <= field.size()) {
    size_t comma = field.find(',', start);
    std::string item = field.substr(start, comma == std::string::npos ? comma : comma - start);
    while (!item.empty() && item.back() == ' ') item.pop_back();
    while (!item.empty() && item.front() == ' ') item.erase(item.begin());
    if (!item.empty()) out.push_back(item);
    if (comma == std::string::npos) break;
    start = comma + 1;
  }
  return out;
}

}  // namespace

namespace {

Expected<std::unique_ptr<Extractor>> MakeDocumentExtractor(const std::filesystem::path& dir,
                                                           bool plain) {
  auto normalizer = Normalizer::Create(dir);
  if (!normalizer.ok()) return normalizer.status();
  Tables t;

  auto types = LoadLexiconTable(dir / "document_types.tsv",
                                {.min_fields = 3, .max_fields = 4, .unique_key = true});
  if (!types.ok()) return types.status();
  std::vector<std::string> party_letters, state_letters;
  for (const LexiconRow& row : types->rows) {
    const std::string name = normalizer->NormalizeString(row.fields[0]);
    std::vector<std::string> spellings = {name};
    if (row.fields.size() > 3) {
      for (const std::string& s : SplitList(row.fields[3])) {
        spellings.push_back(normalizer->NormalizeString(s));
      }
    }
    const bool has_letters = row.fields[1] != "-" || row.fields[2] != "-";
    for (const std::string& s : spellings) {
      t.type_words.push_back({ToLowerUtf8(s), name, has_letters});
    }
    for (int column : {1, 2}) {
      auto& map = column == 1 ? t.party_letters : t.state_letters;
      auto& list = column == 1 ? party_letters : state_letters;
      for (const std::string& letters : SplitList(row.fields[column])) {
        for (const std::string& word : SplitList(letters)) {
          bool ok = !word.empty();
          for (char ch : word) ok &= ch != ' ' && ch != '/' && ch != '-';
          if (!ok) return Status::Error(types->Where(row) + ": bad type letters '" + word + "'");
        }
        const std::string key = LettersKey(normalizer->NormalizeString(letters));
        if (map.emplace(key, name).second) list.push_back(key);
      }
    }
  }
  std::stable_sort(t.type_words.begin(), t.type_words.end(),
                   [](const TypeWord& a, const TypeWord& b) {
                     return a.lower.size() > b.lower.size();
                   });
  for (const TypeWord& tw : t.type_words) t.type_lower.push_back(tw.lower);
  t.party_letter_list = party_letters;
  if (party_letters.empty() || state_letters.empty()) {
    return Status::Error((dir / "document_types.tsv").string() +
                         ": needs type letters for both party and state codes");
  }

  auto issuers = LoadLexiconTable(dir / "issuers.tsv",
                                  {.min_fields = 2, .max_fields = 3, .unique_key = true});
  if (!issuers.ok()) return issuers.status();
  for (const LexiconRow& row : issuers->rows) {
    const std::string code = normalizer->NormalizeString(row.fields[0]);
    IssuerInfo info;
    info.canonical = row.fields.size() > 2 && !row.fields[2].empty()
                         ? normalizer->NormalizeString(row.fields[2])
                         : code;
    info.body = normalizer->NormalizeString(row.fields[1]);
    if (info.body.find('/') != std::string::npos) info.body.clear();
    t.issuers.emplace(code, std::move(info));
  }

  auto words = extract::WordRoles::Load(
      dir / "document_words.tsv", *normalizer,
      {"number_marker", "issued_lead", "issuer_marker", "subject_marker", "clause_break",
       "connector", "issuer_word", "issuer_occasion", "name_joiner"});
  if (!words.ok()) return words.status();
  t.number_markers = words->Get("number_marker");
  t.issued_leads = words->Get("issued_lead");
  t.issuer_markers = words->Get("issuer_marker");
  t.subject_markers = words->Get("subject_marker");
  t.clause_breaks = words->Get("clause_break");
  t.connectors = words->Get("connector");
  t.issuer_words = words->Get("issuer_word");
  t.issuer_occasions = words->Get("issuer_occasion");
  t.name_joiners = words->Get("name_joiner");

  auto date_words = extract::WordRoles::Load(
      dir / "date_words.tsv", *normalizer, extract::DateWordRoles());
  if (!date_words.ok()) return date_words.status();
  t.day_words = date_words->Get("day");
  t.month_words = date_words->Get("month");
  t.year_words = date_words->Get("year");

  auto terms = extract::LoadTermWords(dir, *normalizer);
  if (!terms.ok()) return terms.status();
  for (const extract::TermWord& w : *terms) {
    if (w.roman) t.term_words.push_back(w.lower);
    if (w.arabic) t.number_term_words.push_back(w.lower);
  }
  extract::SortLongestFirst(&t.term_words);
  t.clause_break_index = extract::PhrasesByFirstChar(t.clause_breaks);
  t.term_word_index = extract::PhrasesByFirstChar(t.term_words);

  const std::string issuer = "([A-ZĐƯ](?:[A-Za-zĐđƯư]|\\.[A-ZĐƯ])*[0-9]*)";
  const std::string dash = " *[-\u2013\u2014] *";
  const std::string party =
      "([0-9]+)" + dash + "(" + QuotedAlternation(party_letters) + ") */ *" + issuer;
  const std::string state =
      "([0-9]+) */ *(?:([0-9]{4}) */ *)?([A-ZĐ][A-Za-zĐđ]*[0-9]*)"
      "(?:[-\u2013]([A-ZĐ][A-Za-zĐđ0-9]*(?:-[A-ZĐ][A-Za-zĐđ0-9]*)*))?";
  const std::string back_reference = "(" + extract::Alternation(t.type_lower) + ")(?: +" +
                                     extract::Alternation(t.number_markers) + ")? +([0-9]+)";
  const std::string issued =
      "(?:, *| +)(?:" + extract::Alternation(t.issued_leads) + " +)?" +
      extract::Alternation(t.day_words) +
      " +([0-9]{1,2})(?:/([0-9]{1,2})/|-([0-9]{1,2})-| +" + extract::Alternation(t.month_words) +
      " +([0-9]{1,2}) +" + extract::Alternation(t.year_words) + " +)([0-9]{4})";
  const std::string term = " *,? *\\(? *(" + extract::Alternation(t.term_words) +
                           ") +([IVXL]+|[0-9]{1,2})(?: *\\))?";

  auto extractor = std::make_unique<DocumentExtractor>(std::move(t), plain, party, state,
                                                       back_reference, issued, term);
  Status status = extractor->Check();
  if (!status.ok()) return status;
  return std::unique_ptr<Extractor>(std::move(extractor));
}

}  // namespace

Expected<std::unique_ptr<Extractor>> CreateDocumentExtractor(const std::filesystem::path& dir) {
  return MakeDocumentExtractor(dir, /*plain=*/false);
}

Expected<std::unique_ptr<Extractor>> CreatePlainDocumentExtractor(const std::filesystem::path& dir) {
  return MakeDocumentExtractor(dir, /*plain=*/true);
}

}  // namespace vnfacts
