// Sentence boundaries come from ICU's sentence BreakIterator, which
// SentenceBoundaries runs over the UTF-8 text around each terminator only,
// so that its boundaries are byte offsets. ICU already keeps "TP.HCM", "T.Ư"
// and "15.295" whole (UAX #29 rules SB6/SB7); what it cannot know are Vietnamese abbreviations
// followed by a space and a capital ("TP. Hà Nội", "PGS.TS. Nguyễn"), so every
// boundary ICU proposes after a '.' is checked against the dotted forms of
// lexicons/abbreviations.tsv. We post-filter instead of using ICU's
// FilteredBreakIteratorBuilder because the filter then sees the exact bytes
// (case-sensitive, with the opening bracket or quote stripped) and stays a few
// lines we can test.
//
// Tiling: boundaries are ICU's (each sentence keeps the spaces and the line
// break that follow it); a segment holding only whitespace (an empty line) is
// merged into the sentence before it, or into the next one at the start of the
// text. An empty text has no sentence; a text of only whitespace has one.
#include "pipeline/sentence_splitter.h"

#include <algorithm>
#include <array>
#include <string>
#include <string_view>
#include <unordered_set>
#include <vector>

#include "pipeline/lexicon.h"
#include "pipeline/sentence_boundaries.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

// A line of at most this many space-separated words and no final punctuation
// is a heading (titles and subheads in the seeds run to about 25 words).
constexpr size_t kMaxHeadingWords = 30;
// Bylines are bare names: two to four capitalized syllables.
constexpr size_t kMinBylineWords = 2;
constexpr size_t kMaxBylineWords = 4;

enum class MarkerWhere : uint8_t { kLine, kPrefix, kSuffix, kSentence };

struct Marker {
  std::string phrase;  // lower-cased
  SegmentKind kind;
  MarkerWhere where;
};

bool IsSpaceByte(char c) {
  return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v';
}

std::string_view TrimView(std::string_view s) {
  while (!s.empty() && IsSpaceByte(s.front())) s.remove_prefix(1);
  while (!s.empty() && IsSpaceByte(s.back())) s.remove_suffix(1);
  return s;
}

// Closing quotes and brackets that may follow a sentence's final punctuation.
bool IsClosing(char32_t c) {
  return c == '"' || c == '\'' || c == ')' || c == ']' || c == 0x201D || c == 0x2019 ||
         c == 0xBB;
}

// Whether the whitespace that trails a sentence holds a line break.
bool EndsLine(std::string_view sentence) {
  for (size_t i = sentence.size(); i > 0 && IsSpaceByte(sentence[i - 1]); --i) {
    if (sentence[i - 1] == '\n' || sentence[i - 1] == '\r') return true;
  }
  return false;
}

// Lower-cases the first `bytes` bytes of `s`, extended to a whole character.
std::string LowerHead(std::string_view s, size_t bytes) {
  size_t cut = std::min(bytes, s.size());
  while (cut < s.size() && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) ++cut;
  return ToLowerUtf8(s.substr(0, cut));
}

// Lower-cases the last `bytes` bytes of `s`, extended to a whole character.
std::string LowerTail(std::string_view s, size_t bytes) {
  size_t cut = s.size() - std::min(bytes, s.size());
  while (cut > 0 && (static_cast<unsigned char>(s[cut]) & 0xC0) == 0x80) --cut;
  return ToLowerUtf8(s.substr(cut));
}

// The code point a marker phrase is matched from: the first, or the last for
// suffixes; -1 for empty or invalid text.
int32_t MarkerEdge(MarkerWhere where, std::string_view text) {
  if (text.empty()) return -1;
  size_t pos = 0;
  return where == MarkerWhere::kSuffix ? PreviousCodePoint(text, text.size())
                                       : NextCodePoint(text, &pos);
}

bool IsFinalPunctuation(char32_t c) {
  return c == '.' || c == '!' || c == '?' || c == 0x2026 || c == ';' || c == ':' || c == ',';
}

}  // namespace

struct SentenceSplitter::Impl {
  explicit Impl(SentenceBoundaries b) : boundaries(std::move(b)) {}
  SentenceBoundaries boundaries;
  // Storage for the views below; filled before the views are taken.
  std::vector<std::string> abbreviation_storage;
  std::unordered_set<std::string_view> dotted_abbreviations;  // forms ending in '.'
  size_t max_abbreviation_bytes = 0;
  std::vector<Marker> markers;
  // Longest phrase per MarkerWhere, in bytes.
  std::array<size_t, 4> max_marker_bytes = {0, 0, 0, 0};
  // Per MarkerWhere, the code points a phrase can start with (its last one,
  // for suffixes): a line or sentence that starts (ends) otherwise is not
  // lower-cased to be compared.
  std::array<std::vector<char32_t>, 4> marker_edges;

  bool MayMatch(MarkerWhere where, std::string_view text) const {
    if (text.empty()) return false;
    const int32_t c = MarkerEdge(where, text);
    if (c < 0) return true;
    const char32_t lower = ToLower(static_cast<char32_t>(c));
    const auto& edges = marker_edges[static_cast<int>(where)];
    return std::find(edges.begin(), edges.end(), lower) != edges.end();
  }

  bool SuppressedBreak(std::string_view text, size_t boundary) const;
  SegmentKind ClassifyLine(std::string_view text, const std::vector<Sentence>& sentences,
                           size_t first, size_t last, bool* byline_candidate) const;
  bool MatchesMarker(std::string_view line_lower, const Marker& m) const;
};

SentenceSplitter::SentenceSplitter(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
SentenceSplitter::SentenceSplitter(SentenceSplitter&&) noexcept = default;
SentenceSplitter& SentenceSplitter::operator=(SentenceSplitter&&) noexcept = default;
SentenceSplitter::~SentenceSplitter() = default;

Expected<SentenceSplitter> SentenceSplitter::Create(const std::filesystem::path& lexicon_dir) {
  auto boundaries = SentenceBoundaries::Create();
  if (!boundaries.ok()) return boundaries.status();
  auto impl = std::make_unique<Impl>(std::move(boundaries).value());

  LexiconSpec abbreviation_spec;
  abbreviation_spec.min_fields = 1;
  abbreviation_spec.max_fields = 2;
  auto abbreviations = LoadLexiconTable(lexicon_dir / "abbreviations.tsv", abbreviation_spec);
  if (!abbreviations.ok()) return abbreviations.status();
  for (const LexiconRow& row : abbreviations->rows) {
    if (row.fields[0].back() == '.') impl->abbreviation_storage.push_back(row.fields[0]);
  }
  for (const std::string& form : impl->abbreviation_storage) {
    impl->dotted_abbreviations.insert(form);
    impl->max_abbreviation_bytes = std::max(impl->max_abbreviation_bytes, form.size());
  }

  LexiconSpec marker_spec;
  marker_spec.min_fields = 3;
  marker_spec.max_fields = 3;
  marker_spec.case_insensitive_key = true;
  auto markers = LoadLexiconTable(lexicon_dir / "segment_markers.tsv", marker_spec);
  if (!markers.ok()) return markers.status();
  for (const LexiconRow& row : markers->rows) {
    Marker m;
    m.phrase = ToLowerUtf8(row.fields[0]);
    const std::string& kind = row.fields[1];
    const std::string& where = row.fields[2];
    if (kind == "boilerplate") {
      m.kind = SegmentKind::kBoilerplate;
    } else if (kind == "caption") {
      m.kind = SegmentKind::kCaption;
    } else {
      return Status::Error(markers->Where(row) + ": unknown kind '" + kind +
                           "' (boilerplate or caption)");
    }
    if (where == "line") {
      m.where = MarkerWhere::kLine;
    } else if (where == "prefix") {
      m.where = MarkerWhere::kPrefix;
    } else if (where == "suffix") {
      m.where = MarkerWhere::kSuffix;
    } else if (where == "sentence") {
      m.where = MarkerWhere::kSentence;
    } else {
      return Status::Error(markers->Where(row) + ": unknown position '" + where +
                           "' (line, prefix, suffix or sentence)");
    }
    size_t& longest = impl->max_marker_bytes[static_cast<int>(m.where)];
    longest = std::max(longest, m.phrase.size());
    if (const int32_t edge = MarkerEdge(m.where, m.phrase); edge >= 0) {
      impl->marker_edges[static_cast<int>(m.where)].push_back(static_cast<char32_t>(edge));
    }
    impl->markers.push_back(std::move(m));
  }
  return SentenceSplitter(std::move(impl));
}

// True when ICU's boundary at `boundary` follows a dotted abbreviation
// ("TP. Hà Nội"): the word before the spaces, without an opening bracket or
// quote, is a lexicon form ending in '.'.
bool SentenceSplitter::Impl::SuppressedBreak(std::string_view text, size_t boundary) const {
  size_t end = boundary;
  while (end > 0 && (text[end - 1] == ' ' || text[end - 1] == '\t')) --end;
  if (end == 0 || text[end - 1] != '.') return false;
  size_t begin = end;
  while (begin > 0 && !IsSpaceByte(text[begin - 1])) {
    if (end - begin > max_abbreviation_bytes) return false;  // longer than any form
    --begin;
  }
  std::string_view word = text.substr(begin, end - begin);
  while (!word.empty() && (word.front() == '(' || word.front() == '"' || word.front() == '\'' ||
                           word.front() == '[')) {
    word.remove_prefix(1);
  }
  return dotted_abbreviations.contains(word);
}

bool SentenceSplitter::Impl::MatchesMarker(std::string_view line_lower, const Marker& m) const {
  const std::string_view p = m.phrase;
  switch (m.where) {
    case MarkerWhere::kLine:
      return line_lower == p;
    case MarkerWhere::kPrefix: {
      if (line_lower.substr(0, p.size()) != p) return false;
      if (line_lower.size() == p.size()) return true;
      const char next = line_lower[p.size()];
      return next == ' ' || next == ':' || p.back() == ':';
    }
    case MarkerWhere::kSuffix:
      return line_lower.size() >= p.size() && line_lower.substr(line_lower.size() - p.size()) == p;
    case MarkerWhere::kSentence:
      return false;  // checked per sentence by ClassifyLine
  }
  return false;
}

// Classifies the line made of sentences [first, last]. Bylines depend on what
// follows, so a line that looks like one is reported as kHeading with
// *byline_candidate set, and Split() decides.
SegmentKind SentenceSplitter::Impl::ClassifyLine(std::string_view text,
                                                 const std::vector<Sentence>& sentences,
                                                 size_t first, size_t last,
                                                 bool* byline_candidate) const {
  *byline_candidate = false;
  const std::string_view line =
      TrimView(text.substr(sentences[first].begin, sentences[last].end - sentences[first].begin));
  if (line.empty()) return SegmentKind::kBody;

  // Markers compare lower-cased text, and only the ends of a line can match:
  // long body lines are lower-cased only as far as the longest phrase reaches.
  std::string whole;
  std::string head;
  std::string tail;
  std::vector<std::string> sentence_heads;
  for (const Marker& m : markers) {
    bool hit = false;
    switch (m.where) {
      case MarkerWhere::kLine:
        if (line.size() > max_marker_bytes[static_cast<int>(MarkerWhere::kLine)]) break;
        if (whole.empty()) whole = ToLowerUtf8(line);
        hit = MatchesMarker(whole, m);
        break;
      case MarkerWhere::kPrefix:
        if (!MayMatch(m.where, line)) break;
        if (head.empty()) head = LowerHead(line, max_marker_bytes[static_cast<int>(m.where)] + 1);
        hit = MatchesMarker(head, m) && (head.size() > m.phrase.size() || line.size() == head.size());
        break;
      case MarkerWhere::kSuffix:
        if (!MayMatch(m.where, line)) break;
        if (tail.empty()) tail = LowerTail(line, max_marker_bytes[static_cast<int>(m.where)]);
        hit = MatchesMarker(tail, m);
        break;
      case MarkerWhere::kSentence:
        if (sentence_heads.empty()) {
          for (size_t s = first; s <= last; ++s) {
            const std::string_view sentence =
                TrimView(text.substr(sentences[s].begin, sentences[s].end - sentences[s].begin));
            if (!MayMatch(m.where, sentence)) continue;
            sentence_heads.push_back(
                LowerHead(sentence, max_marker_bytes[static_cast<int>(m.where)]));
          }
          // Marks the heads as computed even when no sentence could match.
          if (sentence_heads.empty()) sentence_heads.emplace_back();
        }
        for (const std::string& h : sentence_heads) {
          if (std::string_view(h).substr(0, m.phrase.size()) == m.phrase) hit = true;
        }
        break;
    }
    if (hit) return m.kind;
  }

  // Final punctuation, looking through closing quotes and brackets: such a
  // line is running text, and neither heading nor byline.
  size_t end = line.size();
  int32_t final_char = -1;
  while (end > 0) {
    const int32_t c = PreviousCodePoint(line, end);
    if (c < 0 || !IsClosing(static_cast<char32_t>(c))) {
      final_char = c;
      break;
    }
    end -= Utf8Length(static_cast<char32_t>(c));
  }
  if (final_char >= 0 && IsFinalPunctuation(static_cast<char32_t>(final_char))) {
    return SegmentKind::kBody;
  }

  // Count words (up to the heading limit) and see whether every word is one
  // capitalized run of letters, as in a bare name.
  size_t words = 0;
  bool all_capitalized_names = true;
  bool word_start = true;
  size_t pos = 0;
  while (pos < line.size() && words <= kMaxHeadingWords) {
    const int32_t c = NextCodePoint(line, &pos);
    if (c == ' ') {
      word_start = true;
      continue;
    }
    if (word_start) ++words;
    if (c < 0 || !IsLetter(static_cast<char32_t>(c))) {
      // Combining marks of decomposed text belong to their letter.
      if (c < 0x300 || c > 0x36F) all_capitalized_names = false;
    } else if (word_start && !IsUpper(static_cast<char32_t>(c))) {
      all_capitalized_names = false;
    }
    word_start = false;
  }
  if (all_capitalized_names && words >= kMinBylineWords && words <= kMaxBylineWords) {
    *byline_candidate = true;
    return SegmentKind::kHeading;
  }
  return words <= kMaxHeadingWords ? SegmentKind::kHeading : SegmentKind::kBody;
}

void SentenceSplitter::Split(Document* doc) const {
  std::vector<Sentence>& sentences = doc->sentences;
  sentences.clear();
  const std::string_view text = doc->text;
  if (text.empty()) return;

  // Boundaries from ICU, minus those after dotted abbreviations.
  std::vector<uint32_t> ends;
  impl_->boundaries.Find(text, &ends);
  size_t kept = 0;
  for (uint32_t b : ends) {
    if (b < text.size() && text[b - 1] != '\n' && impl_->SuppressedBreak(text, b)) continue;
    ends[kept++] = b;
  }
  ends.resize(kept);
  if (ends.empty() || ends.back() != text.size()) ends.push_back(static_cast<uint32_t>(text.size()));

  // Tile, merging whitespace-only segments into a neighbour: the previous
  // sentence, or the next one at the start of the text (then `begin` stays 0).
  uint32_t begin = 0;
  for (uint32_t end : ends) {
    if (!TrimView(text.substr(begin, end - begin)).empty()) {
      sentences.push_back(Sentence{begin, end});
    } else if (!sentences.empty()) {
      sentences.back().end = end;
    } else {
      continue;
    }
    begin = end;
  }
  if (sentences.empty()) sentences.push_back(Sentence{0, static_cast<uint32_t>(text.size())});

  // Kinds, line by line. A line break always ends a sentence, so a line is a
  // run of sentences of which only the last contains '\n'.
  struct Line {
    size_t first;
    size_t last;
    SegmentKind kind;
    bool byline_candidate;
  };
  std::vector<Line> lines;
  size_t first = 0;
  for (size_t i = 0; i < sentences.size(); ++i) {
    if (EndsLine(text.substr(sentences[i].begin, sentences[i].end - sentences[i].begin)) ||
        i + 1 == sentences.size()) {
      Line line{first, i, SegmentKind::kBody, false};
      line.kind = impl_->ClassifyLine(text, sentences, first, i, &line.byline_candidate);
      lines.push_back(line);
      first = i + 1;
    }
  }
  // A byline is a bare name with nothing but page furniture (or other names)
  // after it.
  bool only_furniture_after = true;
  for (auto it = lines.rbegin(); it != lines.rend(); ++it) {
    if (it->byline_candidate && only_furniture_after) {
      it->kind = SegmentKind::kByline;
      continue;
    }
    if (it->kind != SegmentKind::kBoilerplate) only_furniture_after = false;
  }
  for (const Line& line : lines) {
    for (size_t i = line.first; i <= line.last; ++i) sentences[i].kind = line.kind;
  }
}

}  // namespace vnfacts
