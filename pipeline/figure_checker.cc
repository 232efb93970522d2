#include "pipeline/figure_checker.h"

#include <algorithm>
#include <cmath>
#include <map>
#include <optional>
#include <set>
#include <unordered_map>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

enum class CueRole {
  kBreakdown, kTotal, kShare, kRatio, kPlan, kPrevious, kRunning, kIncrease, kDecrease, kBase,
  kRemainder,
  kPer,
  kAttribute,
  kTarget,
  kLocal
};

struct Cue {
  std::string words;  // lower-case
  CueRole role;
  bool clause_start = false;
};

struct Place {
  std::string form;  // lower-case
  std::string canonical;
  bool needs_level = false;
};

// A quantity fact of the article, with what the checks need at hand.
struct Figure {
  const StoredArticle::StoredFact* stored = nullptr;
  const QuantityFact* q = nullptr;
  uint32_t begin = 0, end = 0;
  uint32_t sentence = 0;
  uint32_t line = 0;
  bool is_percent = false;
};

// "X, tăng P% so với năm 2022": checked against the archive's figure for the
// base period once every article is read.
struct GrowthClaim {
  std::string unit, place, base_period;
  double current = 0;
  double percent = 0;
  int decimals = 0;
  bool decrease = false;
  FigureEvidence percent_evidence, current_evidence;
};

struct Measure {
  std::string unit, place, period;
  bool running = false;
  double value = 0;
  FigureEvidence evidence;
};

bool IsWordByte(const std::string& text, size_t pos) {
  if (pos >= text.size()) return false;
  const unsigned char c = static_cast<unsigned char>(text[pos]);
  return c >= 0x80 || std::isalnum(c);
}

// Whether a part counts what its total counts: the same unit, or the total's
// unit with its head noun alone ("1.126 bài thi, trong đó ... 784 bài").
bool PartUnitOf(const std::string& part, const std::string& total) {
  return part == total ||
         (total.size() > part.size() && total.compare(0, part.size(), part) == 0 &&
          total[part.size()] == ' ');
}

bool NearlyEqual(double a, double b) {
  return std::fabs(a - b) <= 1e-9 * std::max({1.0, std::fabs(a), std::fabs(b)});
}

std::string FormatNumber(double v) {
  char buf[64];
  if (NearlyEqual(v, std::round(v)) && std::fabs(v) < 1e15) {
    std::snprintf(buf, sizeof buf, "%.0f", v);
  } else {
    std::snprintf(buf, sizeof buf, "%.4g", v);
  }
  return buf;
}

}  // namespace

bool MatchesAtPrecision(double stated, int decimals, double computed) {
  const double half_step = 0.5 * std::pow(10.0, -std::max(0, decimals));
  return computed >= stated - half_step - 1e-9 && computed < stated + half_step + 1e-9;
}

struct FigureChecker::Impl {
  std::vector<Cue> cues;
  std::vector<Place> places;
  std::vector<Measure> measures;
  std::vector<GrowthClaim> growth_claims;

  // --- text helpers over one article -------------------------------------

  struct ArticleView {
    const StoredArticle* article;
    std::string lower;                                 // same byte layout as text
    std::vector<std::pair<uint32_t, uint32_t>> lines;  // [begin, end) without '\n'
    std::vector<Figure> figures;
    std::string main_place;
  };

  // Positions of `cue` in [begin, end) of the view, as whole words.
  bool FindCue(const ArticleView& v, const Cue& cue, uint32_t begin, uint32_t end,
               uint32_t* at) const {
    size_t pos = begin;
    while (true) {
      pos = v.lower.find(cue.words, pos);
      if (pos == std::string::npos || pos + cue.words.size() > end) return false;
      const bool starts_word = pos == 0 || !IsWordByte(v.lower, pos - 1);
      const bool ends_word = !IsWordByte(v.lower, pos + cue.words.size());
      bool position_ok = true;
      if (cue.clause_start) {
        size_t b = pos;
        while (b > 0 && v.lower[b - 1] == ' ') --b;
        position_ok = b == 0 || std::string_view(",;:.(\n-").find(v.lower[b - 1]) != std::string_view::npos;
      }
      if (starts_word && ends_word && position_ok) {
        *at = static_cast<uint32_t>(pos);
        return true;
      }
      pos += 1;
    }
  }

  bool HasCue(const ArticleView& v, CueRole role, uint32_t begin, uint32_t end,
              uint32_t* at = nullptr) const {
    bool found = false;
    uint32_t best = end;
    for (const Cue& cue : cues) {
      uint32_t pos;
      if (cue.role == role && FindCue(v, cue, begin, end, &pos) && pos < best) {
        best = pos;
        found = true;
      }
    }
    if (found && at) *at = best;
    return found;
  }

  // Whether the figure at `begin` is a change ("giảm 14 trường", "tăng 0,4
  // điểm phần trăm"): an increase or decrease word just before it, after
  // `floor` (the previous figure or the clause start).
  bool IsChange(const ArticleView& v, uint32_t floor, uint32_t begin) const {
    const uint32_t from = std::max(floor, begin > 12 ? begin - 12 : 0u);
    return HasCue(v, CueRole::kIncrease, from, begin) || HasCue(v, CueRole::kDecrease, from, begin);
  }

  // Whether figure k stands alone in brackets after an earlier figure of its
  // sentence, as an aside to it: a percentage's base ("đạt 106,1% chỉ tiêu
  // (1.400 đảng viên)", "đạt 95,2% kế hoạch (kế hoạch giao 2.400 hộ)") or a
  // comparison ("vượt chỉ tiêu (1.400 đảng viên)"). Such a figure is no
  // total, and no bar to the figure before it being one.
  static bool IsBracketedAside(const ArticleView& v, size_t k) {
    const auto& figs = v.figures;
    if (k == 0 || figs[k].is_percent || figs[k - 1].sentence != figs[k].sentence) return false;
    const std::string_view text(v.lower);
    const uint32_t from = std::max(figs[k - 1].end, figs[k].begin > 40 ? figs[k].begin - 40 : 0u);
    const std::string_view before = text.substr(from, figs[k].begin - from);
    const size_t open = before.rfind('(');
    if (open == std::string_view::npos ||
        before.find_first_of(",;:.)", open) != std::string_view::npos) {
      return false;
    }
    const std::string_view after = text.substr(figs[k].end, 40);
    const size_t close = after.find(')');
    return close != std::string_view::npos && after.find_first_of(",;(") > close;
  }

  // Whether a trait follows figure k in its clause ("4 đồng chí tái cử", "11
  // xã đạt chuẩn nông thôn mới nâng cao").
  bool HasAttribute(const ArticleView& v, size_t k) const {
    const auto& figs = v.figures;
    uint32_t end = std::min<uint32_t>(figs[k].end + 48, static_cast<uint32_t>(v.lower.size()));
    if (k + 1 < figs.size()) end = std::min(end, figs[k + 1].begin);
    const size_t stop = v.lower.find_first_of(",;.", figs[k].end);
    if (stop != std::string::npos) end = std::min(end, static_cast<uint32_t>(stop));
    return end > figs[k].end && HasCue(v, CueRole::kAttribute, figs[k].end, end);
  }

  // The first ';' at or after `from`, or `limit` when none comes before it.
  static uint32_t NextClauseBreak(const ArticleView& v, uint32_t from, uint32_t limit) {
    const size_t at = v.lower.find(';', from);
    return at == std::string::npos ? limit : std::min(limit, static_cast<uint32_t>(at));
  }

  // The last ';' in [begin, end), which ends a clause inside a sentence.
  static std::optional<uint32_t> LastClauseBreak(const ArticleView& v, uint32_t begin,
                                                 uint32_t end) {
    const size_t at = std::string_view(v.lower).substr(begin, end - begin).rfind(';');
    if (at == std::string_view::npos) return std::nullopt;
    return static_cast<uint32_t>(begin + at);
  }

  static const StoredArticle& a_of(const ArticleView& v) { return *v.article; }

  // End of the sentence holding `offset`.
  static uint32_t SentenceEnd(const StoredArticle& a, uint32_t offset) {
    auto it = std::upper_bound(a.sentences.begin(), a.sentences.end(), offset,
                               [](uint32_t o, const StoredArticle::Sentence& s) { return o < s.begin; });
    if (it == a.sentences.begin()) return static_cast<uint32_t>(a.text.size());
    return (it - 1)->end;
  }

  // The first sentence end in [begin, end): . ! ? then a space and a capital
  // letter, or a line break. Finds ends the sentence splitter may have missed.
  static uint32_t NextSentenceEnd(const ArticleView& v, uint32_t begin, uint32_t end) {
    const std::string& text = v.article->text;
    for (uint32_t i = begin; i < end && i + 2 < text.size(); ++i) {
      const char c = text[i];
      if (c == '\n') return i;
      if ((c != '.' && c != '!' && c != '?') || text[i + 1] != ' ') continue;
      size_t pos = i + 2;
      const int32_t next = NextCodePoint(text, &pos);
      if (next > 0 && IsUpper(static_cast<char32_t>(next))) return i + 1;
    }
    return end;
  }

  uint32_t LineOf(const ArticleView& v, uint32_t offset) const {
    auto it = std::upper_bound(v.lines.begin(), v.lines.end(), offset,
                               [](uint32_t o, const auto& l) { return o < l.first; });
    return it == v.lines.begin() ? 0 : static_cast<uint32_t>(it - v.lines.begin() - 1);
  }

  std::string SentenceText(const StoredArticle& a, uint32_t index) const {
    if (index >= a.sentences.size()) return "";
    const auto& s = a.sentences[index];
    if (s.end > a.text.size() || s.begin > s.end) return "";
    std::string text = a.text.substr(s.begin, s.end - s.begin);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.pop_back();
    std::replace(text.begin(), text.end(), '\n', ' ');
    return text;
  }

  FigureEvidence Evidence(const StoredArticle& a, const Figure& f, const std::string& role) const {
    FigureEvidence e;
    e.article = a.source;
    e.published = a.published;
    e.sentence = SentenceText(a, f.sentence);
    e.text = f.stored->text;
    e.raw_begin = f.stored->raw_begin;
    e.raw_end = f.stored->raw_end;
    e.begin = f.begin;
    e.end = f.end;
    e.value = f.q->value;
    e.role = role;
    return e;
  }

  ArticleView View(const StoredArticle& a) const {
    ArticleView v;
    v.article = &a;
    v.lower = ToLowerUtf8(a.text);
    if (v.lower.size() != a.text.size()) v.lower = a.text;  // keep offsets aligned
    uint32_t start = 0;
    for (uint32_t i = 0; i <= a.text.size(); ++i) {
      if (i == a.text.size() || a.text[i] == '\n') {
        v.lines.emplace_back(start, i);
        start = i + 1;
      }
    }
    for (const auto& stored : a.facts) {
      const auto* q = std::get_if<QuantityFact>(&stored.fact.value);
      if (!q) continue;
      Figure f;
      f.stored = &stored;
      f.q = q;
      f.begin = stored.fact.begin;
      f.end = stored.fact.end;
      f.sentence = stored.fact.sentence;
      f.line = LineOf(v, f.begin);
      f.is_percent = q->unit == "%";
      v.figures.push_back(f);
    }
    std::sort(v.figures.begin(), v.figures.end(),
              [](const Figure& x, const Figure& y) { return x.begin < y.begin; });
    v.main_place = MainPlace(v, 0, static_cast<uint32_t>(a.text.size()), true);
    return v;
  }

  // The most mentioned place in [begin, end) (or the first, when `most`
  // is false), canonical name; "" when none.
  std::string MainPlace(const ArticleView& v, uint32_t begin, uint32_t end, bool most) const {
    std::map<std::string, int> counts;
    std::string first;
    uint32_t first_at = end;
    for (const Place& place : places) {
      size_t pos = begin;
      while ((pos = v.lower.find(place.form, pos)) != std::string::npos && pos < end) {
        const bool whole = (pos == 0 || !IsWordByte(v.lower, pos - 1)) &&
                           !IsWordByte(v.lower, pos + place.form.size());
        bool ok = whole;
        if (ok && place.needs_level) {
          // Only after a level word or a body: "TP Hồ Chí Minh", "tỉnh Nghệ An".
          size_t b = pos;
          while (b > 0 && v.lower[b - 1] == ' ') --b;
          std::string before = v.lower.substr(b >= 12 ? b - 12 : 0, b - (b >= 12 ? b - 12 : 0));
          ok = before.ends_with("tp") || before.ends_with("tp.") || before.ends_with("phố") ||
               before.ends_with("tỉnh") || before.ends_with("ủy");
        }
        if (ok) {
          ++counts[place.canonical];
          if (pos < first_at) {
            first_at = static_cast<uint32_t>(pos);
            first = place.canonical;
          }
        }
        pos += place.form.size();
      }
    }
    if (!most) return first;
    std::string best;
    int best_count = 0;
    for (const auto& [name, count] : counts) {
      if (count > best_count) {
        best = name;
        best_count = count;
      }
    }
    return best;
  }

  // --- parts against totals ---------------------------------------------

  struct Breakdown {
    size_t total;
    std::vector<size_t> parts;
    // The parts are said to leave some out ("còn lại là vốn xã hội hóa"):
    // a sum below the total is then no mismatch.
    bool open = false;
    // Exact counts of another unit among the parts. One that is no part of
    // a breakdown of its own ("412.386 học sinh và trẻ mầm non. Trong đó,
    // cấp mầm non có 86.215 trẻ, ...") may be a part under another name, so
    // the parts of the total's unit may not be all of it. (Seed 001 pairs
    // "điển hình" and "mô hình" parts, each a breakdown of its own total.)
    std::vector<size_t> other_units;
  };

  std::vector<Breakdown> FindBreakdowns(const ArticleView& v) const {
    std::vector<Breakdown> breakdowns;
    std::set<size_t> used_as_part;
    const auto& figs = v.figures;
    for (size_t t = 0; t < figs.size(); ++t) {
      const Figure& total = figs[t];
      if (total.is_percent) continue;
      // The breakdown may go on into following lines that open with a
      // breakdown cue ("Cụ thể: ...") or a list bullet.
      uint32_t scope_end = v.lines[total.line].second;
      for (uint32_t l = total.line + 1; l < v.lines.size() && l <= total.line + 12; ++l) {
        const auto [lb, le] = v.lines[l];
        uint32_t first = lb;
        while (first < le && v.lower[first] == ' ') ++first;
        if (first == le) continue;
        uint32_t cue_at;
        const bool opens_with_cue =
            HasCue(v, CueRole::kBreakdown, first, std::min(le, first + 24), &cue_at) && cue_at == first;
        const bool bullet = std::string_view("-+•*").find(v.lower[first]) != std::string_view::npos;
        if (!opens_with_cue && !bullet) break;
        scope_end = le;
      }
      if (IsBracketedAside(v, t)) continue;
      // The cue: the first breakdown word or colon after the total, before any
      // other figure of the same unit.
      uint32_t next_same = scope_end;
      for (size_t k = t + 1; k < figs.size() && figs[k].begin < scope_end; ++k) {
        if (IsBracketedAside(v, k)) continue;
        if (!figs[k].is_percent && PartUnitOf(figs[k].q->unit, total.q->unit)) {
          next_same = figs[k].begin;
          break;
        }
      }
      uint32_t cue_at = scope_end;
      bool has_cue = HasCue(v, CueRole::kBreakdown, total.end, next_same, &cue_at);
      const size_t colon = v.lower.find(':', total.end);
      if (colon != std::string::npos && colon < next_same && colon < cue_at) {
        cue_at = static_cast<uint32_t>(colon);
        has_cue = true;
      }
      if (!has_cue) continue;
      // Past a ';' the cue opens the new clause or belongs to its subject:
      // "19,6 triệu tấn, ...; hàng rời gồm than, xi măng ... 17,9 triệu tấn".
      if (const auto semicolon = LastClauseBreak(v, total.end, cue_at)) {
        uint32_t first = *semicolon + 1;
        while (first < cue_at && v.lower[first] == ' ') ++first;
        if (first != cue_at) continue;
      }
      // The cue belongs to this total only inside its sentence, or opening
      // the sentence or line right after it ("... 160.013 mô hình. Cụ thể: ...").
      {
        const uint32_t total_sentence_end =
            NextSentenceEnd(v, total.end, std::min(SentenceEnd(a_of(v), total.end), cue_at));
        if (total_sentence_end < cue_at) {
          uint32_t next_start = total_sentence_end;
          while (next_start < cue_at && (v.lower[next_start] == ' ' || v.lower[next_start] == '\n' ||
                                         v.lower[next_start] == '.' || v.lower[next_start] == '!' ||
                                         v.lower[next_start] == '?')) {
            ++next_start;
          }
          if (next_start != cue_at) continue;
        }
      }
      // Parts stand in the sentence of the cue, and in list lines right after it.
      {
        uint32_t cue_sentence_end = SentenceEnd(a_of(v), cue_at);
        cue_sentence_end = NextSentenceEnd(v, cue_at, cue_sentence_end);
        uint32_t end = std::min(scope_end, cue_sentence_end);
        for (uint32_t l = LineOf(v, cue_at) + 1; l < v.lines.size(); ++l) {
          const auto [lb, le] = v.lines[l];
          if (lb >= scope_end) break;
          uint32_t first = lb;
          while (first < le && v.lower[first] == ' ') ++first;
          if (first < le && std::string_view("-+•*").find(v.lower[first]) != std::string_view::npos) {
            end = le;
          } else {
            break;
          }
        }
        scope_end = end;
      }
      // A part of an enclosing breakdown is a total only with a word cue right
      // after it, and its own parts end with its clause: in "khối trường học
      // 296 đảng viên, trong đó ... 64 sinh viên; khối doanh nghiệp 218 đảng
      // viên" the 218 is the enclosing list's next part.
      if (used_as_part.count(t)) {
        uint32_t word_cue;
        if (!HasCue(v, CueRole::kBreakdown, total.end, std::min<uint32_t>(next_same, total.end + 40),
                    &word_cue)) {
          continue;
        }
        scope_end = NextClauseBreak(v, word_cue, scope_end);
      }
      Breakdown b{t, {}, false, {}};
      bool plausible = true;
      std::vector<size_t> other_units;
      // "Hàn Quốc 726 người, trong đó 318 người đi theo EPS; Đài Loan 687
      // người": a part's own breakdown, up to the next ';', holds no part.
      uint32_t nested_until = 0;
      for (size_t k = t + 1; k < figs.size() && figs[k].begin < scope_end; ++k) {
        if (figs[k].begin < cue_at || figs[k].is_percent) continue;
        if (!PartUnitOf(figs[k].q->unit, total.q->unit)) {
          other_units.push_back(k);
          continue;
        }
        if (figs[k].begin < nested_until) continue;
        uint32_t inner_cue;
        if (!b.parts.empty() &&
            HasCue(v, CueRole::kBreakdown, figs[b.parts.back()].end, figs[k].begin, &inner_cue) &&
            !LastClauseBreak(v, inner_cue, figs[k].begin)) {
          nested_until = NextClauseBreak(v, figs[k].end, scope_end);
          continue;
        }
        // "...; giảm 14 trường so với năm học trước": a change, not a part;
        // "172 chuyến bay mỗi ngày": a rate, not a part.
        if (IsChange(v, std::max(figs[k - 1].end, cue_at), figs[k].begin)) continue;
        if (HasCue(v, CueRole::kPer, figs[k].end, std::min<uint32_t>(figs[k].end + 16, scope_end))) continue;
        if (figs[k].q->value >= total.q->value || figs[k].q->value <= 0) plausible = false;
        b.parts.push_back(k);
      }
      if (!plausible || b.parts.size() < 2) continue;
      // "15 đồng chí, trong đó có 4 đồng chí tái cử, 5 đồng chí nữ": parts
      // named by a trait may overlap and need not cover the total.
      if (std::any_of(b.parts.begin(), b.parts.end(), [&](size_t k) {
            return HasAttribute(v, k);
          })) {
        continue;
      }
      // "186,4 km đường, trong đó 42,7 km ... và gần 144 km ...; lắp đặt hơn
      // 52 km đường điện": parts that add up before a ';' are the whole
      // breakdown, and the clause after it is about something else.
      for (size_t i = 2; i < b.parts.size(); ++i) {
        const std::vector<size_t> prefix(b.parts.begin(), b.parts.begin() + static_cast<long>(i));
        double prefix_sum = 0;
        if (LastClauseBreak(v, figs[b.parts[i - 1]].end, figs[b.parts[i]].begin) &&
            PartsAddUp(v, prefix, total, &prefix_sum)) {
          b.parts = prefix;
          break;
        }
      }
      // "vốn FDI gần 1,02 tỷ USD; các nhà đầu tư Nhật Bản 412 triệu USD, Hàn
      // Quốc 275,6 triệu USD": parts after a ';' that together fit inside one
      // part before it break that part down, not the total. Only with one
      // ';' before the list's last clause: "A 300; B 100; C 50" is a list of
      // clauses, each one part.
      double whole_sum = 0;
      const bool whole_adds_up = PartsAddUp(v, b.parts, total, &whole_sum);
      for (size_t i = 1; i < b.parts.size() && !whole_adds_up; ++i) {
        if (!LastClauseBreak(v, figs[b.parts[i - 1]].end, figs[b.parts[i]].begin)) continue;
        double rest = 0;
        bool one_clause = true;
        for (size_t j = i; j < b.parts.size(); ++j) {
          rest += figs[b.parts[j]].q->value;
          if (j > i && LastClauseBreak(v, figs[b.parts[j - 1]].end, figs[b.parts[j]].begin)) {
            one_clause = false;
          }
        }
        const bool nested = one_clause && b.parts.size() - i >= 2 &&
                            std::any_of(b.parts.begin(), b.parts.begin() + static_cast<long>(i),
                                        [&](size_t k) { return figs[k].q->value >= rest; });
        if (nested) b.parts.resize(i);
        break;
      }
      if (b.parts.size() < 2) continue;
      for (size_t k : other_units) {
        if (k < b.parts.back() && figs[k].q->approx == Approx::kExact) b.other_units.push_back(k);
      }
      b.open = HasCue(v, CueRole::kRemainder, cue_at, scope_end);
      for (size_t k : b.parts) used_as_part.insert(k);
      breakdowns.push_back(std::move(b));
    }
    return breakdowns;
  }

  // Whether `parts` add up to `total`, at the precision the words allow: an
  // approximate part or total gives 5% either way, "hơn"/"gần" one side.
  static bool PartsAddUp(const ArticleView& v, const std::vector<size_t>& parts,
                         const Figure& total, double* sum_out) {
    double sum = 0;
    bool parts_exact = true;
    for (size_t k : parts) {
      sum += v.figures[k].q->value;
      parts_exact = parts_exact && v.figures[k].q->approx == Approx::kExact;
    }
    *sum_out = sum;
    const double stated = total.q->value;
    switch (parts_exact ? total.q->approx : Approx::kAbout) {
      case Approx::kExact: return NearlyEqual(sum, stated);
      case Approx::kOver: return sum > stated || NearlyEqual(sum, stated);
      case Approx::kUnder: return sum < stated || NearlyEqual(sum, stated);
      case Approx::kAbout: return std::fabs(sum - stated) <= 0.05 * stated;
    }
    return false;
  }

  void CheckSums(const ArticleView& v, const std::vector<Breakdown>& breakdowns,
                 std::vector<Finding>* findings) const {
    const StoredArticle& a = *v.article;
    std::set<size_t> all_parts;
    for (const Breakdown& b : breakdowns) all_parts.insert(b.parts.begin(), b.parts.end());
    for (const Breakdown& b : breakdowns) {
      const Figure& total = v.figures[b.total];
      const bool mixed = std::any_of(b.other_units.begin(), b.other_units.end(),
                                     [&](size_t k) { return !all_parts.count(k); });
      double sum = 0;
      const bool consistent = PartsAddUp(v, b.parts, total, &sum);
      const double stated = total.q->value;
      // "trong đó" may list all of a total or only some of it. Parts far
      // short of the total name some: less than half of an exact total ("45
      // đảng viên, trong đó ... 17 đảng viên"), less than 90% of an
      // approximate one ("khoảng 32.500 ha, trong đó 21.600 ha chè và 4.800 ha
      // cam sành"), whose writer was not counting exactly. No mismatch then.
      // A typo in a total or a part leaves the parts near the total (seed
      // 001: 1.994 against 1.694; "hơn 1.000 suất, trong đó 600 + 350").
      const double share_named = stated > 0 ? sum / stated : 1;
      const bool names_some =
          share_named < (total.q->approx == Approx::kExact ? 0.5 : 0.9);
      if (!consistent && (b.open || names_some || mixed) && sum < stated) continue;
      Finding f;
      f.kind = consistent ? "sum_ok" : "sum_mismatch";
      f.stated = stated;
      f.computed = sum;
      f.unit = total.q->unit;
      f.articles = {a.source};
      f.values.push_back(stated);
      f.evidence.push_back(Evidence(a, total, "total"));
      std::string parts_text;
      for (size_t k : b.parts) {
        f.values.push_back(v.figures[k].q->value);
        f.evidence.push_back(Evidence(a, v.figures[k], "part"));
        parts_text += (parts_text.empty() ? "" : " + ") + FormatNumber(v.figures[k].q->value);
      }
      f.explanation = (consistent ? "parts add up: " : "parts do not add up: ") + parts_text +
                      " = " + FormatNumber(sum) + " " + f.unit + ", stated total " +
                      std::string(total.q->approx == Approx::kExact ? "" : ApproxName(total.q->approx)) +
                      (total.q->approx == Approx::kExact ? "" : " ") + FormatNumber(stated);
      if (!consistent) {
        f.explanation += " (difference " + FormatNumber(sum - stated) + ")";
      }
      findings->push_back(std::move(f));
    }
  }

  // --- percentages against their base ------------------------------------

  void CheckPercents(const ArticleView& v, const std::vector<Breakdown>& breakdowns,
                     std::vector<Finding>* findings) {
    const StoredArticle& a = *v.article;
    std::map<size_t, size_t> total_of_part;
    for (const Breakdown& b : breakdowns) {
      for (size_t k : b.parts) total_of_part[k] = b.total;
    }
    const auto& figs = v.figures;
    for (size_t p = 0; p < figs.size(); ++p) {
      const Figure& percent = figs[p];
      if (!percent.is_percent || percent.q->approx != Approx::kExact) continue;
      // The numerator: the nearest figure before it in the same sentence.
      size_t x = p;
      for (size_t k = p; k-- > 0;) {
        if (figs[k].sentence != percent.sentence) break;
        if (!figs[k].is_percent) {
          x = k;
          break;
        }
      }
      if (x == p) continue;
      const Figure& part = figs[x];
      const uint32_t sentence_begin = percent.sentence < a.sentences.size()
                                          ? a.sentences[percent.sentence].begin
                                          : 0;
      // Growth against a stated base: "So với cùng kỳ năm 2023 (1.099 hội
      // nghị), số hội nghị tăng 12,5%": the base follows "so với", the
      // current figure is the nearest earlier figure of the same unit.
      // The clause of the percentage: from the last sentence end (one the
      // splitter may have missed, too) or earlier percentage before it.
      uint32_t clause_begin = sentence_begin;
      for (uint32_t end = NextSentenceEnd(v, clause_begin, percent.begin); end < percent.begin;
           end = NextSentenceEnd(v, clause_begin, percent.begin)) {
        clause_begin = end + 1;
      }
      for (size_t k = p; k-- > 0 && figs[k].begin >= clause_begin;) {
        if (figs[k].is_percent) {
          clause_begin = figs[k].end;
          break;
        }
      }
      // The change word stands in the percentage's own clause: in "4,12 triệu
      // lượt, tăng 21,4% so với ... và bằng 108,6% so với ..." the second
      // percentage is a ratio, not growth.
      const uint32_t change_from = std::max(part.end, clause_begin);
      const bool increase = HasCue(v, CueRole::kIncrease, change_from, percent.begin);
      const bool decrease = HasCue(v, CueRole::kDecrease, change_from, percent.begin);
      uint32_t base_cue;
      if ((increase || decrease) && HasCue(v, CueRole::kBase, clause_begin, percent.end + 60, &base_cue)) {
        // The base is the first figure after "so với", in its clause, and
        // not a part of a breakdown: in "tăng 15,2% so với năm 2022; trong
        // đó cấp tỉnh 24 mô hình" or "tăng 20% so với cùng kỳ, trong đó khách
        // quốc tế 400.000 lượt" there is no base.
        // Nor a figure after another percentage, whose base it is: "tăng 7,4%
        // so với cùng kỳ năm 2023 và bằng 93% kế hoạch năm (45 triệu tấn)".
        const Figure* base = nullptr;
        for (size_t k = 0; k < figs.size(); ++k) {
          if (figs[k].begin > base_cue && figs[k].sentence == percent.sentence &&
              figs[k].is_percent && k != p) {
            break;
          }
          if (figs[k].begin > base_cue && figs[k].sentence == percent.sentence && !figs[k].is_percent) {
            // Nor a change: "so với cùng kỳ giảm 9 vụ, số người chết giảm
            // 12,8%" names no base figure.
            if (!LastClauseBreak(v, base_cue, figs[k].begin) && !total_of_part.count(k) &&
                !HasCue(v, CueRole::kBreakdown, base_cue, figs[k].begin) &&
                !IsChange(v, base_cue, figs[k].begin)) {
              base = &figs[k];
            }
            break;
          }
        }
        // No base figure in the sentence, but a period after "so với" ("tăng
        // 12,5% so với năm 2022"): the base is that period's figure, looked
        // up across the archive once every article has been read.
        if ((!base || base->begin > NextSentenceEnd(v, base_cue, base->begin)) && !total_of_part.count(x)) {
          base = nullptr;
          for (const auto& stored : a.facts) {
            const auto* date = std::get_if<DateFact>(&stored.fact.value);
            if (!date || stored.fact.begin < base_cue || stored.fact.sentence != percent.sentence ||
                stored.fact.begin > percent.end + 60 || date->value.rfind("--", 0) == 0) {
              continue;
            }
            // "so với cùng kỳ năm 2023": the same months of 2023, not the year.
            if (HasCue(v, CueRole::kPrevious, base_cue, stored.fact.begin)) break;
            const auto& s = a.sentences[percent.sentence];
            std::string place = MainPlace(v, s.begin, s.end, false);
            if (place.empty()) place = v.main_place;
            if (!place.empty()) {
              growth_claims.push_back({part.q->unit, place, date->value, part.q->value,
                                       percent.q->value, percent.q->decimals, decrease,
                                       Evidence(a, percent, "percent"), Evidence(a, part, "part")});
            }
            break;
          }
          continue;
        }
        const Figure* current = nullptr;
        if (base) {
          for (size_t k = 0; k < figs.size() && figs[k].begin < percent.begin; ++k) {
            if (&figs[k] != base && !figs[k].is_percent && figs[k].q->unit == base->q->unit &&
                figs[k].sentence + 1 >= percent.sentence && !total_of_part.count(k)) {
              current = &figs[k];
            }
          }
        }
        if (base && current && base->q->value > 0) {
          const double change = 100.0 * (current->q->value - base->q->value) / base->q->value;
          const double computed = decrease ? -change : change;
          Finding f;
          f.kind = MatchesAtPrecision(percent.q->value, percent.q->decimals, computed) ? "percent_ok"
                                                                                   : "percent_mismatch";
          f.stated = percent.q->value;
          f.computed = computed;
          f.unit = "%";
          f.articles = {a.source};
          f.values = {percent.q->value, current->q->value, base->q->value};
          f.evidence = {Evidence(a, percent, "percent"), Evidence(a, *current, "part"),
                        Evidence(a, *base, "base")};
          char line[256];
          std::snprintf(line, sizeof line, "(%s - %s) / %s = %.2f%% %s, stated %s%%",
                        FormatNumber(current->q->value).c_str(), FormatNumber(base->q->value).c_str(),
                        FormatNumber(base->q->value).c_str(), computed,
                        decrease ? "decrease" : "increase", FormatNumber(percent.q->value).c_str());
          f.explanation = line;
          findings->push_back(std::move(f));
        }
        continue;
      }
      const uint32_t sentence_end = percent.sentence < a.sentences.size()
                                        ? a.sentences[percent.sentence].end
                                        : static_cast<uint32_t>(a.text.size());
      const bool share = HasCue(v, CueRole::kShare, part.end, percent.begin);
      const bool ratio = HasCue(v, CueRole::kRatio, part.end, percent.begin);
      if (!share && !ratio) continue;

      auto report = [&](bool ok, double computed, const Figure* base, double base_value,
                        const std::string& how) {
        Finding f;
        f.kind = ok ? "percent_ok" : "percent_mismatch";
        f.stated = percent.q->value;
        f.computed = computed;
        f.unit = "%";
        f.articles = {a.source};
        f.values = {percent.q->value, part.q->value, base_value};
        f.evidence.push_back(Evidence(a, percent, "percent"));
        f.evidence.push_back(Evidence(a, part, "part"));
        if (base) f.evidence.push_back(Evidence(a, *base, "base"));
        char line[256];
        std::snprintf(line, sizeof line, "%s / %s = %.2f%% (%s), stated %s%%", FormatNumber(part.q->value).c_str(),
                      FormatNumber(base_value).c_str(), computed, how.c_str(),
                      FormatNumber(percent.q->value).c_str());
        f.explanation = line;
        findings->push_back(std::move(f));
      };

      // 5 (tried where nothing below names the base). The whole the part was
      //    taken from, stated just before: "38.465 thí sinh dự thi ... Có
      //    38.197 thí sinh đỗ, đạt tỷ lệ 99,3%". The nearest larger figure of
      //    the same unit, in this sentence or the one before. Only a match is
      //    reported: the base may as well be a figure the article leaves out.
      auto report_if_share_of_earlier_whole = [&] {
        for (size_t k = x; k-- > 0;) {
          if (figs[k].sentence + 1 < percent.sentence) break;
          if (figs[k].is_percent || !PartUnitOf(part.q->unit, figs[k].q->unit) ||
              figs[k].q->value <= part.q->value || figs[k].q->approx != Approx::kExact) {
            continue;
          }
          // A date between them ("Năm 2022 có 38.465 ... Năm nay có 38.197")
          // may mean another period: then the earlier figure is no whole.
          for (const auto& stored : a.facts) {
            if (stored.fact.kind == FactKind::kDate && stored.fact.begin >= figs[k].end &&
                stored.fact.end <= part.begin) {
              return;
            }
          }
          const double computed = 100.0 * part.q->value / figs[k].q->value;
          if (MatchesAtPrecision(percent.q->value, percent.q->decimals, computed)) {
            report(true, computed, &figs[k], figs[k].q->value, "share of the whole stated before");
          }
          return;
        }
      };

      // 1. A share of the breakdown the numerator is a part of.
      if (share) {
        auto it = total_of_part.find(x);
        if (it != total_of_part.end()) {
          const Figure& total = figs[it->second];
          const double computed = 100.0 * part.q->value / total.q->value;
          report(MatchesAtPrecision(percent.q->value, percent.q->decimals, computed), computed,
                 &total, total.q->value, "share of the stated total");
        } else {
          report_if_share_of_earlier_whole();
        }
        continue;
      }
      // 2. An explicit base right after the percentage, in the same clause:
      //    "bằng 76,2% dự toán năm (16.340 tỷ đồng)", "bằng 112,4% so với giai
      //    đoạn 2016 - 2020 (1.641 hội nghị)". Only the first figure after it
      //    can be the base: in "đạt 104% chỉ tiêu; có 2 tổ chức đảng và 37
      //    đảng viên bị kỷ luật" the 37 belongs to another clause.
      const Figure* explicit_base = nullptr;
      if (p + 1 < figs.size() && figs[p + 1].sentence == percent.sentence &&
          !figs[p + 1].is_percent && figs[p + 1].q->unit == part.q->unit) {
        const Figure& next = figs[p + 1];
        const std::string_view between =
            std::string_view(v.lower).substr(percent.end, next.begin - percent.end);
        // Not after a breakdown cue: in "bằng 104,6% dự toán, trong đó thu
        // nội địa 29.180 tỷ đồng" the figure is a part of the numerator.
        if (!LastClauseBreak(v, percent.end, next.begin) &&
            !HasCue(v, CueRole::kBreakdown, percent.end, next.begin) &&
            (between.find('(') != std::string_view::npos ||
             HasCue(v, CueRole::kBase, percent.end, next.begin) ||
             HasCue(v, CueRole::kPlan, percent.end, next.begin))) {
          explicit_base = &next;
        }
      }
      if (explicit_base && explicit_base->q->value > 0) {
        const double computed = 100.0 * part.q->value / explicit_base->q->value;
        report(MatchesAtPrecision(percent.q->value, percent.q->decimals, computed), computed,
               explicit_base, explicit_base->q->value, "of the base stated after it");
        continue;
      }
      // 3. A plan or target figure of the same unit stated in the article.
      const uint32_t after_end = std::min<uint32_t>(sentence_end, percent.end + 80);
      if (HasCue(v, CueRole::kPlan, percent.end, after_end)) {
        // Only an exact figure can be the plan ("mục tiêu kết nạp ít nhất
        // 1.300 đảng viên mỗi năm" is a floor, not the base), and only one:
        // two different plan figures leave the base unknown.
        const Figure* plan = nullptr;
        bool ambiguous = false;
        for (size_t k = 0; k < figs.size(); ++k) {
          if (k == x || figs[k].is_percent || figs[k].q->unit != part.q->unit) continue;
          // The plan word in the figure's own clause ("kế hoạch giao 400 hộ"),
          // and no part of a breakdown: in "bằng 94% dự toán; trong đó thu nội
          // địa 5.210 tỷ đồng" the 5.210 is no plan.
          if (total_of_part.count(k)) continue;
          // Not a plan stated after the percentage's sentence, nor one that
          // is the base of a percentage of its own ("bằng 75% kế hoạch 1.800
          // tỷ đồng" says whose plan the 1.800 is).
          if (figs[k].sentence > percent.sentence) continue;
          if (k > 0 && figs[k - 1].is_percent && figs[k - 1].sentence == figs[k].sentence &&
              k - 1 != p) {
            continue;
          }
          uint32_t before = figs[k].begin > 40 ? figs[k].begin - 40 : 0;
          if (const auto clause_break = LastClauseBreak(v, before, figs[k].begin)) {
            before = *clause_break + 1;
          }
          if (!HasCue(v, CueRole::kPlan, before, figs[k].begin)) continue;
          // "bằng 104,6% dự toán, trong đó thu nội địa 29.180 tỷ đồng": a
          // figure after a breakdown cue is a part, however many there are.
          if (HasCue(v, CueRole::kBreakdown, before, figs[k].begin)) continue;
          if (figs[k].q->approx != Approx::kExact) {
            ambiguous = true;
          } else if (plan && plan->q->value != figs[k].q->value) {
            ambiguous = true;
          } else {
            plan = &figs[k];
          }
        }
        if (ambiguous) plan = nullptr;
        if (plan) {
          const double computed = 100.0 * part.q->value / plan->q->value;
          report(MatchesAtPrecision(percent.q->value, percent.q->decimals, computed), computed, plan,
                 plan->q->value, "of the plan figure");
        }
        continue;
      }
      // 4. The previous period, when a running total in the article covers
      //    both periods: base = running total - current figure. Only a match
      //    is reported; without a stated base a mismatch cannot be told from
      //    a base that is simply not in the article.
      if (!HasCue(v, CueRole::kPrevious, percent.end, after_end)) {
        report_if_share_of_earlier_whole();
      } else {
        for (size_t k = 0; k < figs.size(); ++k) {
          if (k == x || figs[k].is_percent || figs[k].q->unit != part.q->unit) continue;
          const double running = figs[k].q->value;
          for (const auto& [base, how] :
               {std::pair{running - part.q->value, std::string("previous period = running total ") +
                                                       FormatNumber(running) + " - " +
                                                       FormatNumber(part.q->value)},
                std::pair{running, std::string("previous period as stated")}}) {
            if (base <= 0) continue;
            const double computed = 100.0 * part.q->value / base;
            if (MatchesAtPrecision(percent.q->value, percent.q->decimals, computed)) {
              report(true, computed, &figs[k], base, how);
              goto next_percent;
            }
          }
        }
      }
    next_percent:;
    }
  }

  // --- measures for the cross-article checks -----------------------------

  void Collect(const ArticleView& v, const std::vector<Breakdown>& breakdowns) {
    const StoredArticle& a = *v.article;
    // Parts of a breakdown measure a subgroup ("cấp tỉnh 6 hội nghị"), not
    // the measure itself; only their total is compared across articles.
    std::set<const Figure*> parts;
    for (const Breakdown& b : breakdowns) {
      for (size_t k : b.parts) parts.insert(&v.figures[k]);
    }
    // Date facts per sentence, to find each figure's period.
    std::map<uint32_t, std::vector<const StoredArticle::StoredFact*>> dates;
    for (const auto& stored : a.facts) {
      if (stored.fact.kind == FactKind::kDate) dates[stored.fact.sentence].push_back(&stored);
    }
    for (size_t i = 0; i < v.figures.size(); ++i) {
      const Figure& f = v.figures[i];
      if (f.is_percent || f.q->approx != Approx::kExact || parts.count(&f)) continue;
      if (f.sentence >= a.sentences.size()) continue;
      // A sum of money does not say what it counts (GRDP, revenue, capital):
      // two articles' sums for one place and year are no one measure.
      if (f.stored->fact.rule.starts_with("quantity.money")) continue;
      // A change ("tăng 0,4 điểm phần trăm so với năm 2023", "giảm 14
      // trường") measures a difference, not the measure of that period.
      const uint32_t floor = i > 0 && v.figures[i - 1].sentence == f.sentence
                                 ? v.figures[i - 1].end
                                 : a.sentences[f.sentence].begin;
      if (IsChange(v, floor, f.begin)) continue;
      auto it = dates.find(f.sentence);
      if (it == dates.end()) continue;
      // The period is the closest date in the same sentence, with no sentence
      // end (one the splitter may have missed, too) in between.
      const StoredArticle::StoredFact* period = nullptr;
      for (const auto* d : it->second) {
        const bool before = d->fact.end <= f.begin;
        const uint32_t from = before ? d->fact.end : f.end;
        const uint32_t to = before ? f.begin : d->fact.begin;
        if (NextSentenceEnd(v, from, to) < to) continue;
        // "412.836 lượt, tăng 7,3% so với năm 2023; nội trú 68.540 lượt": a
        // date right after a base cue is the period compared with, no
        // figure's own.
        const uint32_t s_begin = a.sentences[f.sentence].begin;
        if (HasCue(v, CueRole::kBase, std::max(s_begin, d->fact.begin > 24 ? d->fact.begin - 24 : 0u),
                   d->fact.begin)) {
          continue;
        }
        if (before || !period) period = d;
        if (!before) break;
      }
      if (!period) continue;
      const auto& date = std::get<DateFact>(period->fact.value);
      if (date.value.rfind("--", 0) == 0) continue;  // no year: not a period
      const auto& s = a.sentences[f.sentence];
      // A goal ("năm 2025 phấn đấu có 1.252.000 người tham gia") is no report
      // of the period.
      if (HasCue(v, CueRole::kTarget, s.begin, f.begin) || HasCue(v, CueRole::kPlan, s.begin, f.begin)) {
        continue;
      }
      std::string place = MainPlace(v, s.begin, s.end, false);
      // "huyện đưa 850 người đi làm việc": with no province named, a figure
      // after a district's level word is the district's, not the province's.
      if (place.empty() && HasCue(v, CueRole::kLocal, s.begin, f.begin)) continue;
      if (place.empty()) place = v.main_place;
      if (place.empty()) continue;
      Measure m;
      m.unit = f.q->unit;
      m.place = place;
      m.period = date.value;
      m.running = date.value.ends_with("/..") || HasCue(v, CueRole::kRunning, s.begin, s.end);
      m.value = f.q->value;
      m.evidence = Evidence(a, f, "report");
      measures.push_back(std::move(m));
    }
  }
};

FigureChecker::FigureChecker(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FigureChecker::FigureChecker(FigureChecker&&) noexcept = default;
FigureChecker& FigureChecker::operator=(FigureChecker&&) noexcept = default;
FigureChecker::~FigureChecker() = default;

Expected<FigureChecker> FigureChecker::Create(const std::filesystem::path& lexicon_dir) {
  auto impl = std::make_unique<Impl>();
  auto cue_table = LoadLexiconTable(lexicon_dir / "figure_cues.tsv", {2, 3, true, true});
  if (!cue_table.ok()) return cue_table.status();
  for (const LexiconRow& row : cue_table->rows) {
    static const std::map<std::string, CueRole> kRoles = {
        {"breakdown", CueRole::kBreakdown}, {"total", CueRole::kTotal},
        {"share", CueRole::kShare},         {"ratio", CueRole::kRatio},
        {"plan", CueRole::kPlan},           {"previous", CueRole::kPrevious},
        {"running", CueRole::kRunning},     {"increase", CueRole::kIncrease},
        {"decrease", CueRole::kDecrease},   {"base", CueRole::kBase},
        {"remainder", CueRole::kRemainder}, {"per", CueRole::kPer},
        {"attribute", CueRole::kAttribute}, {"target", CueRole::kTarget},
        {"local", CueRole::kLocal}};
    auto role = kRoles.find(row.fields[1]);
    if (role == kRoles.end()) {
      return Status::Error(cue_table->Where(row) + ": unknown role '" + row.fields[1] + "'");
    }
    bool clause_start = false;
    if (row.fields.size() > 2 && !row.fields[2].empty()) {
      if (row.fields[2] != "clause_start" && row.fields[2] != "anywhere") {
        return Status::Error(cue_table->Where(row) + ": unknown position '" + row.fields[2] + "'");
      }
      clause_start = row.fields[2] == "clause_start";
    }
    impl->cues.push_back({ToLowerUtf8(row.fields[0]), role->second, clause_start});
  }
  auto place_table = LoadLexiconTable(lexicon_dir / "places.tsv", {3, 4, true, false});
  if (!place_table.ok()) return place_table.status();
  for (const LexiconRow& row : place_table->rows) {
    const bool needs_level = row.fields.size() > 3 && row.fields[3] == "needs_level";
    impl->places.push_back({ToLowerUtf8(row.fields[0]), row.fields[1], needs_level});
  }
  return FigureChecker(std::move(impl));
}

void FigureChecker::CheckArticle(const StoredArticle& article, std::vector<Finding>* findings) {
  Impl::ArticleView view = impl_->View(article);
  if (view.figures.empty()) return;
  const auto breakdowns = impl_->FindBreakdowns(view);
  impl_->CheckSums(view, breakdowns, findings);
  impl_->CheckPercents(view, breakdowns, findings);
  impl_->Collect(view, breakdowns);
}

void FigureChecker::FinishAcrossArticles(std::vector<Finding>* findings) {
  // Group by measure; an article that reports one measure with several values
  // (a list of parts, say) is ambiguous for it and left out.
  struct Group {
    std::map<std::string, std::vector<const Measure*>> by_article;
  };
  std::map<std::string, Group> groups;
  for (const Measure& m : impl_->measures) {
    const std::string key = m.unit + "|" + m.place + "|" +
                            (m.running ? m.period.substr(0, m.period.find('/')) + "/.." : m.period);
    groups[key].by_article[m.evidence.article].push_back(&m);
  }
  for (const auto& [key, group] : groups) {
    std::vector<const Measure*> reports;
    for (const auto& [article, ms] : group.by_article) {
      bool one_value = true;
      for (const Measure* m : ms) one_value = one_value && NearlyEqual(m->value, ms[0]->value);
      if (one_value) reports.push_back(ms[0]);
    }
    if (reports.size() < 2) continue;
    const Measure& first = *reports[0];
    auto make = [&](const std::string& kind, const std::vector<const Measure*>& involved,
                    const std::string& explanation) {
      Finding f;
      f.kind = kind;
      f.unit = first.unit;
      f.stated = involved.front()->value;
      f.computed = involved.back()->value;
      for (const Measure* m : involved) {
        f.values.push_back(m->value);
        f.articles.push_back(m->evidence.article);
        f.evidence.push_back(m->evidence);
      }
      f.explanation = explanation;
      findings->push_back(std::move(f));
    };
    if (first.running) {
      // A running total may only grow as time goes on.
      std::vector<const Measure*> dated;
      for (const Measure* m : reports) {
        if (m->evidence.published) dated.push_back(m);
      }
      std::sort(dated.begin(), dated.end(), [](const Measure* x, const Measure* y) {
        return *x->evidence.published < *y->evidence.published;
      });
      for (size_t i = 1; i < dated.size(); ++i) {
        const Measure* before = dated[i - 1];
        const Measure* after = dated[i];
        if (*before->evidence.published == *after->evidence.published &&
            !NearlyEqual(before->value, after->value)) {
          make("conflict", {before, after},
               "running total of " + first.unit + " in " + first.place + " since " +
                   first.period.substr(0, first.period.find('/')) + " reported as " +
                   FormatNumber(before->value) + " and " + FormatNumber(after->value) +
                   " on the same date");
        } else if (after->value < before->value && !NearlyEqual(after->value, before->value)) {
          make("series_decrease", {before, after},
               "running total of " + first.unit + " in " + first.place + " since " +
                   first.period.substr(0, first.period.find('/')) + " fell from " +
                   FormatNumber(before->value) + " (" + *before->evidence.published + ") to " +
                   FormatNumber(after->value) + " (" + *after->evidence.published + ")");
        }
      }
      continue;
    }
    std::set<double> values;
    for (const Measure* m : reports) values.insert(m->value);
    if (values.size() < 2) continue;
    std::string listed;
    for (const Measure* m : reports) {
      listed += (listed.empty() ? "" : ", ") + FormatNumber(m->value) + " (" + m->evidence.article + ")";
    }
    make("conflict", reports,
         first.unit + " in " + first.place + " for " + first.period + " reported differently: " + listed);
  }
  // Growth stated against a period whose figure another article reports.
  for (const GrowthClaim& claim : impl_->growth_claims) {
    for (const Measure& m : impl_->measures) {
      if (m.running || m.unit != claim.unit || m.place != claim.place || m.period != claim.base_period ||
          m.value <= 0) {
        continue;
      }
      const double change = 100.0 * (claim.current - m.value) / m.value;
      const double computed = claim.decrease ? -change : change;
      Finding f;
      f.kind = MatchesAtPrecision(claim.percent, claim.decimals, computed) ? "percent_ok" : "percent_mismatch";
      f.stated = claim.percent;
      f.computed = computed;
      f.unit = "%";
      f.values = {claim.percent, claim.current, m.value};
      f.evidence = {claim.percent_evidence, claim.current_evidence, m.evidence};
      f.evidence.back().role = "base";
      f.articles = {claim.percent_evidence.article};
      if (m.evidence.article != claim.percent_evidence.article) f.articles.push_back(m.evidence.article);
      char line[320];
      std::snprintf(line, sizeof line, "(%s - %s) / %s = %.2f%% %s against %s %s in %s (%s), stated %s%%",
                    FormatNumber(claim.current).c_str(), FormatNumber(m.value).c_str(),
                    FormatNumber(m.value).c_str(), computed, claim.decrease ? "decrease" : "increase",
                    claim.unit.c_str(), claim.base_period.c_str(), claim.place.c_str(),
                    m.evidence.article.c_str(), FormatNumber(claim.percent).c_str());
      f.explanation = line;
      findings->push_back(std::move(f));
      break;  // one base report is enough; conflicting bases are reported as conflicts
    }
  }
  impl_->growth_claims.clear();
  impl_->measures.clear();
}

}  // namespace vnfacts
