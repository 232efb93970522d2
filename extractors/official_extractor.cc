// The official extractor: a person named together with titles, in the shapes
// Vietnamese party and state reporting uses:
//   title first   "Phó Bí thư Tỉnh ủy Lê Văn A dự", "Tỉnh ủy viên, Giám đốc
//                 Sở Y tế Lê Văn A", "nguyên Chủ tịch UBND tỉnh Lê Văn A" (former),
//                 "đồng chí Bí thư Huyện ủy Lê Văn A";
//   name first    "Lê Văn A, Ủy viên Ban Thường vụ Tỉnh ủy, Giám đốc Sở Y tế",
//                 "Đồng chí Lê Văn A - Bí thư Huyện ủy", "bà NAME, TITLE",
//                 "Đại tá NAME, Chỉ huy trưởng ..." (ranks), list items after
//                 "có các đồng chí:" separated by ';'.
// A title is [nguyên] [Phó] HEAD [Thường trực] ORGANIZATION-WORDS. The hard part
// is where the organization ends and the name begins when both are capitalized
// ("Ban Tổ chức Tỉnh ủy Lâm Đồng Hà Văn B"): organizations and places from
// the lexicons are taken as whole units first, and a run of capitalized
// syllables is a name only when it starts with a family name (surnames.txt) and
// ends the phrase. The organization of a fact is resolved with abbreviations
// expanded and the article's main place added to bodies that leave it out.
// Everything runs over OfficialToken (see official_lexicon.h) inside one
// sentence at a time.
#include <algorithm>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "extractors/official_lexicon.h"
#include "pipeline/roman_numeral.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

using official::CueKind;
using official::IsBelowProvince;
using official::OfficialLexicon;
using official::OfficialToken;
using official::OrgKind;
using official::PhraseTrie;
using official::Place;
using official::PlaceLevel;
using official::TitleKind;
using official::TokenType;

constexpr uint32_t kNone = 0xFFFFFFFFu;
// Organization words plus a name never make a longer capitalized run.
constexpr uint32_t kLongRun = 12;

struct OrgUnit {
  enum class Kind : uint8_t { kOrg, kCommittee, kAuthority, kGeneric, kLevel, kConnector, kPlace, kWord };
  Kind kind = Kind::kWord;
  uint32_t begin = 0;  // token range
  uint32_t end = 0;
  uint32_t entry = kNone;  // org entry or place entry
};

struct Name {
  uint32_t span_begin = 0;  // first rank token, else `begin`
  uint32_t begin = 0;       // token range of the name itself
  uint32_t end = 0;
  std::vector<std::string> ranks;
};

struct Title {
  uint32_t begin = 0;  // first token, "nguyên" included
  uint32_t end = 0;    // token after the title
  bool former = false;
  uint32_t prefix = kNone;
  uint32_t head = kNone;
  uint32_t modifier = kNone;
  uint32_t org_begin = 0;
  uint32_t org_end = 0;
  uint32_t term_end = 0;  // after a term that ends the title ("... khóa XIII,")
  std::vector<OrgUnit> units;
  std::optional<Name> name;  // the name that directly follows (title-first shape)
};

OrgUnit::Kind UnitKind(OrgKind kind) {
  switch (kind) {
    case OrgKind::kOrg: return OrgUnit::Kind::kOrg;
    case OrgKind::kCommittee: return OrgUnit::Kind::kCommittee;
    case OrgKind::kAuthority: return OrgUnit::Kind::kAuthority;
    case OrgKind::kGeneric: return OrgUnit::Kind::kGeneric;
    case OrgKind::kLevel: return OrgUnit::Kind::kLevel;
    case OrgKind::kConnector: return OrgUnit::Kind::kConnector;
  }
  return OrgUnit::Kind::kOrg;
}

bool TakesPlace(OrgUnit::Kind kind) {
  return kind == OrgUnit::Kind::kCommittee || kind == OrgUnit::Kind::kAuthority;
}

bool LevelFits(PlaceLevel wanted, PlaceLevel actual) {
  return wanted == PlaceLevel::kAny || wanted == actual;
}

// Parses one sentence; appends its facts.
class SentenceParser {
 public:
  SentenceParser(const OfficialLexicon& lex, const Document& doc,
                 const std::vector<OfficialToken>& tokens, uint32_t begin, uint32_t end,
                 uint32_t sentence, const Place* main_place, std::vector<Fact>* facts)
      : lex_(lex), doc_(doc), t_(tokens), sb_(begin), se_(end), sentence_(sentence),
        main_place_(main_place), facts_(facts) {
    first_word_ = sb_;
    while (first_word_ < se_ && t_[first_word_].type != TokenType::kWord) ++first_word_;
  }

  void Run() {
    uint32_t p = sb_;
    while (p < se_) {
      if (TryTitleFirst(&p)) continue;
      // Checked here too, so that most tokens make no call: a name is capitalized.
      if (IsCap(p) && TryNameFirst(&p)) continue;
      // Skip a whole organization so that its inner words start nothing
      // ("Bí thư" inside "Ban Bí thư").
      const PhraseTrie::Match m = OrgAt(p);
      p += m.length > 1 ? m.length : 1;
    }
  }

 private:
  // ---- token predicates -------------------------------------------------
  bool Is(uint32_t i, TokenType type) const { return i < se_ && t_[i].type == type; }
  bool IsWord(uint32_t i) const { return Is(i, TokenType::kWord); }
  bool IsCap(uint32_t i) const { return IsWord(i) && t_[i].Is(official::kCapitalized); }
  bool IsNameSyllable(uint32_t i) const {
    return IsCap(i) && t_[i].Is(official::kLettersOnly) && !t_[i].Is(official::kAllUpper);
  }
  // A capitalized word of ASCII letters that cannot be a Vietnamese syllable,
  // or a transcribed name of hyphen-joined syllables ("Xay-nha-vông").
  bool IsForeignWord(uint32_t i) const {
    if (!IsNameSyllable(i)) return false;
    if (t_[i].Is(official::kInnerHyphen)) return true;
    const std::string_view text = Text(i);
    for (char c : text) {
      if (static_cast<unsigned char>(c) >= 0x80) return false;
    }
    return !lex_.syllables.IsSyllable(text);
  }
  // "Morimoto Takeshi", "Andrew Goledzinowski": every word foreign, and no
  // country name first (that belongs to the title before).
  // "Keo Sovannara", "Hun Manet": in a name of two words a Khmer family name
  // may spell a Vietnamese syllable, as long as it is no Vietnamese family name.
  bool ForeignName(uint32_t i, uint32_t len) const {
    for (uint32_t k = i; k < i + len; ++k) {
      const bool khmer_family_name = len == 2 && k == i && Surname(i) < 0 && IsNameSyllable(i);
      if (!IsForeignWord(k) && !khmer_family_name) return false;
    }
    return lex_.countries.Longest(t_, i, i + len).length == 0;
  }
  bool IsLowerWord(uint32_t i) const {
    return IsWord(i) && !t_[i].Is(official::kCapitalized) && t_[i].Is(official::kLettersOnly);
  }
  std::string_view Text(uint32_t i) const { return doc_.Slice(t_[i].begin, t_[i].end); }
  int32_t Surname(uint32_t i) const {
    return IsNameSyllable(i) ? lex_.SurnameRank(t_[i].id) : -1;
  }
  // Capitalized syllables from i, counted up to kLongRun: a longer run (a
  // heading in title case, or hostile input) holds no name we could place, and
  // the cap keeps the work per token constant.
  uint32_t CapRun(uint32_t i) const {
    uint32_t j = i;
    while (j - i < kLongRun && IsNameSyllable(j)) ++j;
    return j - i;
  }
  bool IsSentenceInitial(uint32_t i) const { return i == first_word_; }
  uint32_t SkipAttachedPeriod(uint32_t i) const {
    return Is(i, TokenType::kPeriod) && !t_[i].Is(official::kSpaceBefore) ? i + 1 : i;
  }

  // ---- lexicon lookups ----------------------------------------------------
  PhraseTrie::Match TitleAt(uint32_t i) const {
    if (!IsWord(i)) return {};
    return lex_.titles.Longest(t_, i, se_);
  }
  // Bodies start with a capital ("Ban", not "ban hành"); level words and
  // connectors are lower case in running text.
  // `after_title`: i is the first word after a title's head, where a body
  // marked `lower` may be written in lower case.
  PhraseTrie::Match OrgAt(uint32_t i, bool after_title = false) const {
    if (!IsWord(i)) return {};
    PhraseTrie::Match m = lex_.orgs.Longest(t_, i, se_);
    if (m.length == 0) return m;
    const official::OrgEntry& entry = lex_.org_entries[m.value];
    if (entry.kind != OrgKind::kLevel && entry.kind != OrgKind::kConnector && !IsCap(i) &&
        !(after_title && entry.lower_after_title)) {
      return {};
    }
    return m;
  }
  PhraseTrie::Match PlaceAt(uint32_t i) const {
    if (!IsCap(i)) return {};
    return lex_.places_trie.Longest(t_, i, se_);
  }
  PhraseTrie::Match RankAt(uint32_t i) const {
    if (!IsCap(i)) return {};
    return lex_.ranks.Longest(t_, i, se_);
  }
  // Tokens of a term after a body ("khóa XV", "khóa 15"), 0 when none.
  uint32_t TermAt(uint32_t i) const {
    if (!IsWord(i)) return 0;
    const PhraseTrie::Match m = lex_.term_words.Longest(t_, i, se_);
    const uint32_t word = m.length;
    if (word == 0 || i + word >= se_) return 0;
    const std::string_view number = Text(i + word);
    const bool arabic = m.value == 1 && number.size() <= 2 &&
                        std::all_of(number.begin(), number.end(), [](char c) { return IsAsciiDigit(c); });
    return arabic || ParseRomanNumeral(number).has_value() ? word + 1 : 0;
  }

  // A cue of person_cues.tsv ("đồng chí", "nguyên", "được bầu giữ chức") at i.
  PhraseTrie::Match CueAt(uint32_t i) const {
    if (!IsWord(i)) return {};
    return lex_.cues.Longest(t_, i, se_);
  }
  // The cue of `kind` that ends right before i, or null.
  const official::CueEntry* CueBefore(uint32_t i, CueKind kind) const {
    for (uint32_t len = 1; len <= 3 && len <= i - sb_; ++len) {
      const PhraseTrie::Match m = lex_.cues.Longest(t_, i - len, i);
      if (m.length == len && lex_.cue_entries[m.value].kind == kind) return &lex_.cue_entries[m.value];
    }
    return nullptr;
  }
  const official::CueEntry* PersonCueBefore(uint32_t i) const { return CueBefore(i, CueKind::kPerson); }

  // ---- names --------------------------------------------------------------
  // `len` capitalized syllables from i form a person's name: 2 to 4 of them,
  // starting with a family name unless the context says a person follows,
  // and not exactly a place or an organization ("Hà Nội", "Việt Nam").
  // `foreign`: a run of foreign words may be the name; not inside a title
  // whose person is already known ("Park Jae-hoon, Tổng Giám đốc Công ty
  // TNHH Điện tử Sunwoo Vina"), where such a run names the company.
  bool ValidName(uint32_t i, uint32_t len, bool relaxed, bool foreign = true) const {
    if (len < 2 || len > 4) return false;
    for (uint32_t k = i; k < i + len; ++k) {
      if (!IsNameSyllable(k)) return false;
    }
    if (!relaxed && Surname(i) < 0 && !(foreign && ForeignName(i, len))) return false;
    // "Hội Doanh nghiệp Hàn Quốc": a country is no person.
    if (lex_.countries.Longest(t_, i, i + len).length == len) return false;
    // "Ông Nguyễn Hữu Lợi" at the start of a sentence: the cue is not a name.
    if (const PhraseTrie::Match cue = lex_.cues.Longest(t_, i, i + len); cue.length > 0) return false;
    const PhraseTrie::Match place = lex_.places_trie.Longest(t_, i, i + len);
    if (place.length == len && !lex_.place_entries[place.value].needs_level) return false;
    if (lex_.orgs.Longest(t_, i, i + len).length == len) return false;
    // "Nghiệp vụ Y Sở Y tế Trịnh Thu Hằng": a body that starts inside the
    // run and goes on past it ("Sở Y tế") means the run is no name.
    for (uint32_t k = i + 1; k < i + len; ++k) {
      if (k + lex_.orgs.Longest(t_, k, se_).length > i + len) return false;
    }
    if (lex_.titles.Longest(t_, i, i + len).length > 0) return false;
    return true;
  }

  // Where in a run of `run` capitalized syllables from i the name starts:
  // 0 when the whole run is a name, k > 0 when the first k words belong to the
  // organization ("Hoàng Mai | Nguyễn Quang Hợp"), -1 when there is no name.
  // `place_first` asks for k > 0. Among several splits prefer a name whose
  // second syllable is no family name ("Bạch Mai | Kha Minh Tuấn", not "Bạch |
  // Mai Kha Minh Tuấn"), then three syllables, then the more frequent family name.
  int ChooseNameSplit(uint32_t i, uint32_t run, bool place_first = false,
                      bool foreign = true) const {
    if (run >= kLongRun) return -1;
    if (!place_first && run <= 4 && ValidName(i, run, false, foreign)) return 0;
    int best = -1;
    int64_t best_score = 0;
    for (uint32_t k = 1; k + 2 <= run; ++k) {
      const uint32_t len = run - k;
      if (len > 4 || !ValidName(i + k, len, false, foreign)) continue;
      // A foreign name (no Vietnamese family name first) is mostly two words:
      // "tỉnh Ubon Ratchathani | Anuchit Sriprasert".
      const uint32_t usual_len = Surname(i + k) >= 0 ? 3 : 2;
      const int64_t score = (Surname(i + k + 1) < 0 ? 1'000'000 : 0) +
                            (len == usual_len ? 100'000 : 0) - Surname(i + k);
      if (best < 0 || score > best_score) {
        best = static_cast<int>(k);
        best_score = score;
      }
    }
    return best;
  }

  // After a bare level word a run is a place unless it reads clearly as a
  // person: one of the 40 most frequent family names, or a middle name of
  // middle_names.txt second ("huyện Phan Thị Ngọc" is a person; "huyện Hàm
  // Thuận Nam", a rare family name first, is the district).
  bool LikelyPersonAfterLevel(uint32_t i, uint32_t run) const {
    constexpr int32_t kCommonSurnames = 40;  // surnames.txt is ordered by frequency
    const int32_t rank = Surname(i);
    if (rank >= 0 && rank < kCommonSurnames) return true;
    return run >= 2 && IsWord(i + 1) && lex_.IsMiddleName(t_[i + 1].id);
  }

  // [ranks] NAME, where NAME is the whole capitalized run.
  std::optional<Name> ParseName(uint32_t i, bool relaxed) const {
    Name name;
    name.span_begin = i;
    uint32_t j = i;
    for (PhraseTrie::Match r = RankAt(j); r.length > 0; r = RankAt(j)) {
      name.ranks.push_back(lex_.rank_entries[r.value]);
      j = SkipAttachedPeriod(j + r.length);
    }
    const uint32_t run = CapRun(j);
    if (!ValidName(j, run, relaxed || !name.ranks.empty())) return std::nullopt;
    name.begin = j;
    name.end = j + run;
    return name;
  }

  // ---- titles -------------------------------------------------------------
  // A title starts with a cue ("nguyên") or a title word: most tokens start
  // neither, and need no Title built to find that out.
  bool MayStartTitle(uint32_t i) const {
    return IsWord(i) && (lex_.cues.Starts(t_[i].id) || lex_.titles.Starts(t_[i].id));
  }

  // `name_expected`: the title-first shape, where a name must end the title;
  // in the name-first shape the name is already known.
  std::optional<Title> ParseTitle(uint32_t i, bool require_cap, bool name_expected) const {
    if (!MayStartTitle(i)) return std::nullopt;
    Title title;
    title.begin = i;
    uint32_t j = i;
    if (const PhraseTrie::Match cue = CueAt(j);
        cue.length > 0 && lex_.cue_entries[cue.value].kind == CueKind::kFormer) {
      title.former = true;
      j += cue.length;
    }
    const uint32_t start = j;
    PhraseTrie::Match m = TitleAt(j);
    if (m.length > 0 && lex_.title_entries[m.value].kind == TitleKind::kPrefix) {
      title.prefix = m.value;
      j += m.length;
      m = TitleAt(j);
    }
    if (m.length == 0 || lex_.title_entries[m.value].kind != TitleKind::kHead) return std::nullopt;
    if (require_cap && !title.former && !IsCap(start)) return std::nullopt;
    title.head = m.value;
    j += m.length;
    m = TitleAt(j);
    if (m.length > 0 && lex_.title_entries[m.value].kind == TitleKind::kModifier) {
      title.modifier = m.value;
      j += m.length;
    }
    title.org_begin = j;
    Walk(&title, j, name_expected);
    title.end = title.name ? title.org_end : std::max(title.org_end, title.term_end);
    return title;
  }

  // Reads the organization words after a title head, up to punctuation, a
  // lower-case word that belongs to no organization, or a person's name
  // (stored in title->name).
  void Walk(Title* title, uint32_t q, bool name_expected) const {
    const official::TitleEntry& head = lex_.title_entries[title->head];
    // Right after a head like "Trưởng ban" the body's own name follows
    // ("Dân vận"), whose second syllable is lower case.
    bool generic_name = !head.implied_org.empty() && head.implied_kind == OrgKind::kGeneric;
    auto& units = title->units;
    while (q < se_) {
      if (const uint32_t n = NameContinuation(q, units, generic_name, !IsWord(q))) {
        ContinueName(q, n, &units);
        generic_name = true;
        q += n;
        continue;
      }
      if (!IsWord(q)) {
        // "Trung tâm Kiểm soát bệnh tật (CDC) tỉnh": a body's abbreviation
        // in parentheses right after its name belongs to it.
        if (Is(q, TokenType::kOpenParen) && q + 2 < se_ && !units.empty() &&
            units.back().end == q && units.back().kind != OrgUnit::Kind::kConnector &&
            IsWord(q + 1) && t_[q + 1].Is(official::kAllUpper) &&
            Is(q + 2, TokenType::kCloseParen)) {
          units.push_back({OrgUnit::Kind::kWord, q, q + 3, kNone});
          q += 3;
          continue;
        }
        // "Trung tâm Văn hóa - Thể thao huyện": a dash between two parts of
        // a body's own name. Not before a name, a title or a cue ("Giám đốc
        // Sở Y tế - Nguyễn Văn A", "Bí thư Tỉnh ủy - Chủ tịch HĐND tỉnh").
        if (DashInsideName(q, units)) {
          units.push_back({OrgUnit::Kind::kWord, q, q + 1, kNone});
          ++q;
          generic_name = true;  // the part after it is the body's own name
          continue;
        }
        break;
      }
      // "Đại biểu Quốc hội khóa XV Trần Thị Lan": the term is neither body
      // nor name (the date extractor reports it as a term).
      if (!units.empty() || !head.implied_org.empty()) {
        if (const uint32_t term = TermAt(q)) {
          q += term;
          title->term_end = q;
          continue;
        }
      }
      // "Giám đốc Công an tỉnh Đại tá Nguyễn Văn A"
      if (RankAt(q).length > 0) {
        if (auto name = ParseName(q, false)) {
          title->name = std::move(name);
          break;
        }
      }
      if (const PhraseTrie::Match pm = PlaceAt(q); pm.length > 0) {
        const official::PlaceEntry& entry = lex_.place_entries[pm.value];
        const bool after_body =
            units.empty() ? TakesPlace(UnitKind(head.implied_kind)) && !head.implied_org.empty()
                          : units.back().kind == OrgUnit::Kind::kLevel ||
                                TakesPlace(units.back().kind);
        if (!entry.needs_level || after_body) {
          units.push_back({OrgUnit::Kind::kPlace, q, q + pm.length, pm.value});
          q += pm.length;
          generic_name = false;
          continue;
        }
      }
      // "Cục Phòng bệnh": a generic head right after another one starts the
      // body's own name ("Phòng" = prevention, not an office).
      const PhraseTrie::Match om = OrgAt(q, /*after_title=*/units.empty() && q == title->org_begin);
      const bool generic_after_generic =
          om.length > 0 && lex_.org_entries[om.value].kind == OrgKind::kGeneric && !units.empty() &&
          units.back().kind == OrgUnit::Kind::kGeneric && units.back().end == q && IsCap(q);
      if (om.length > 0 && !generic_after_generic) {
        const official::OrgEntry& entry = lex_.org_entries[om.value];
        uint32_t next = q + om.length;
        if (entry.kind == OrgKind::kConnector) {
          // "và Đào tạo", "tại TPHCM" continue the body; "và Trần Văn B",
          // "và Thiếu tướng Trần Văn B", "và Phó Chủ tịch UBND tỉnh Trần Văn B"
          // start another person.
          const bool another_person =
              TitleAt(next).length > 0 || RankAt(next).length > 0 || CueAt(next).length > 0;
          const bool joins = !another_person &&
                             (PlaceAt(next).length > 0 ||
                              (IsCap(next) && ChooseNameSplit(next, CapRun(next)) != 0));
          if (!joins || units.empty()) {
            // "Ban Chỉ huy phòng, chống thiên tai và tìm kiếm cứu nạn": a
            // listed phrase that starts with the connector goes on with the name.
            if (const uint32_t n = NameContinuation(q, units, generic_name, true)) {
              ContinueName(q, n, &units);
              generic_name = true;
              q += n;
              continue;
            }
            break;
          }
        }
        // "TP. Hà Nội": the dot of an abbreviated level word, not a full stop.
        if (entry.kind == OrgKind::kLevel && t_[next - 1].Is(official::kAllUpper) &&
            IsWord(SkipAttachedPeriod(next)) && SkipAttachedPeriod(next) > next) {
          next = SkipAttachedPeriod(next);
        }
        units.push_back({UnitKind(entry.kind), q, next, om.value});
        // A connector keeps the state of the name it joins: "Phòng Thương
        // mại và Công nghiệp" reads "Công nghiệp" as it read "Thương mại".
        if (entry.kind != OrgKind::kConnector) generic_name = entry.kind == OrgKind::kGeneric;
        q = next;
        continue;
      }
      if (IsCap(q)) {
        const uint32_t run = CapRun(q);
        if (run >= 2) {
          // After "xã", "quận", ... the place's own name comes first ("xã La
          // Pán Tẩn", "quận Long Biên Bùi Quang Hiếu"); after "Bệnh viện",
          // "Trường THPT", ... the body's own name ("Bệnh viện Bạch Mai").
          // A foreign place after a level word is in no lexicon: "tỉnh Ubon
          // Ratchathani Anuchit Sriprasert".
          const bool place_first =
              NameComesFirst(units) || (run >= 3 && IsForeignWord(q) && Surname(q) < 0 &&
                                        !units.empty() &&
                                        units.back().kind == OrgUnit::Kind::kLevel);
          int split = ChooseNameSplit(q, run, place_first, /*foreign=*/name_expected);
          // "Chủ tịch HĐND huyện Phan Thị Ngọc": a bare level word, then the name.
          // Not for two syllables after such a committee: "Thành ủy Hạ Long"
          // names the city.
          const bool city_after_committee =
              run <= 2 && !units.empty() && units.back().kind == OrgUnit::Kind::kCommittee;
          if (split < 0 && place_first && name_expected && !city_after_committee &&
              LikelyPersonAfterLevel(q, run)) {
            split = ChooseNameSplit(q, run, false);
          }
          // "A, ..., Bí thư Huyện ủy Lâm Thao": with the person known, two
          // syllables after a committee or a body name its place, three after
          // a level word ("thành phố Buôn Ma Thuột", however much "Ma Thuột"
          // looks like a name).
          // Likewise after a generic body or its type ("Trường THCS Trần Mai
          // Ninh": schools and streets are named after people).
          if (!name_expected && !units.empty() &&
              ((run <= 2 && (units.back().kind == OrgUnit::Kind::kCommittee ||
                             units.back().kind == OrgUnit::Kind::kOrg)) ||
               (run <= 3 && units.back().kind == OrgUnit::Kind::kLevel) ||
               (run <= 4 && (units.back().kind == OrgUnit::Kind::kGeneric ||
                             (units.back().kind == OrgUnit::Kind::kWord &&
                              t_[units.back().begin].Is(official::kAllUpper)))))) {
            // The whole run is the body's own name: read word by word, its
            // tail would look like a person again ("Trần | Mai Ninh").
            units.push_back({OrgUnit::Kind::kWord, q, q + run, kNone});
            q += run;
            continue;
          }
          if (split >= 0) {
            if (split > 0) units.push_back({OrgUnit::Kind::kWord, q, q + split, kNone});
            const uint32_t b = q + static_cast<uint32_t>(split);
            title->name = Name{b, b, q + run, {}};
            q = b;
            break;
          }
        }
        OrgUnit unit{OrgUnit::Kind::kWord, q, q + 1, kNone};
        // The second syllable of a body's own name may be lower case ("Ban
        // Chỉ đạo", "Đồn Biên phòng"), but not after two capitals in a row:
        // "Bệnh viện Bạch Mai cho biết" ends at "Mai".
        // An abbreviation before ("Công ty TNHH Thiết bị") starts no such run.
        const bool in_capital_run = !units.empty() && units.back().kind == OrgUnit::Kind::kWord &&
                                    units.back().end == q && units.back().end - units.back().begin == 1 &&
                                    IsCap(units.back().begin) &&
                                    !t_[units.back().begin].Is(official::kAllUpper);
        // Nor after a generic head word used as a name syllable inside a
        // body's own name ("Tổng công ty Xây dựng Trường Sơn thông tin":
        // "Trường" is no school here).
        const bool after_generic_syllable =
            units.size() >= 2 && units.back().kind == OrgUnit::Kind::kGeneric &&
            units.back().end == q && units.back().end - units.back().begin == 1 &&
            IsNameSyllable(units.back().begin) &&
            units[units.size() - 2].kind == OrgUnit::Kind::kWord;
        ++q;
        // Nor does a foreign word or an abbreviation ("Thể Công - Viettel cho
        // biết", "Sở TN&MT cho biết").
        if (generic_name && !in_capital_run && !after_generic_syllable && IsLowerWord(q) && OrgAt(q).length == 0 &&
            CueAt(q).length == 0 && !IsForeignWord(q - 1) && !t_[q - 1].Is(official::kAllUpper)) {
          // A listed phrase goes on whole ("Khu kinh tế"), else one syllable.
          const uint32_t listed = lex_.name_continuations.Longest(t_, q, se_).length;
          q += std::max<uint32_t>(listed, 1);
          unit.end = q;
        }
        units.push_back(unit);
        continue;
      }
      if (const uint32_t n = NameContinuation(q, units, generic_name, true)) {
        ContinueName(q, n, &units);
        generic_name = true;
        q += n;
        continue;
      }
      // "Quân khu 7", "Sư đoàn 312", "UBND quận 7"
      if (t_[q].Is(official::kHasDigit) && !units.empty() &&
          (units.back().kind == OrgUnit::Kind::kGeneric || units.back().kind == OrgUnit::Kind::kWord ||
           units.back().kind == OrgUnit::Kind::kLevel)) {
        units.push_back({OrgUnit::Kind::kWord, q, q + 1, kNone});
        ++q;
        continue;
      }
      break;
    }
    if (!title->name) {
      while (!units.empty() && units.back().kind == OrgUnit::Kind::kConnector) units.pop_back();
    }
    title->org_end = title->name          ? title->name->span_begin
                     : units.empty()      ? title->org_begin
                                          : units.back().end;
  }

  // Length of a phrase of org_name_words.tsv at q that goes on with the
  // body before it, or 0. "Phòng Tổ chức cán bộ": listed lower-case words go
  // on with a body's own name; "Ban Chỉ đạo phòng, chống tham nhũng": a few
  // go on with a listed body too. Any other lower-case word ends the title.
  // Only where `allowed`: phrases that start with a word are tried after
  // terms, ranks, places, titles and bodies, a comma before anything else.
  uint32_t NameContinuation(uint32_t q, const std::vector<OrgUnit>& units, bool generic_name,
                            bool allowed) const {
    if (!allowed || units.empty()) return 0;
    const PhraseTrie::Match m = lex_.name_continuations.Longest(t_, q, se_);
    if (m.length == 0) return 0;
    const OrgUnit::Kind last = units.back().kind;
    if (generic_name && last == OrgUnit::Kind::kWord) {
      // A body's own name capitalizes only its first word ("Phòng Tổ chức
      // cán bộ"); after two capitalized words a proper name has just ended
      // ("Tổng công ty Xây dựng Trường Sơn thông tin": the verb follows).
      const uint32_t end = units.back().end;
      if (end >= units.front().begin + 2 && IsNameSyllable(end - 1) &&
          IsNameSyllable(end - 2)) {
        return 0;
      }
      return m.length;
    }
    // A generic head takes such a phrase as its own name: "Hội đồng trường".
    if (m.value == official::kContinuesBody &&
        (last == OrgUnit::Kind::kOrg || last == OrgUnit::Kind::kGeneric)) {
      return m.length;
    }
    return 0;
  }
  void ContinueName(uint32_t q, uint32_t n, std::vector<OrgUnit>* units) const {
    if (units->back().kind == OrgUnit::Kind::kWord) {
      units->back().end = q + n;
    } else {
      units->push_back({OrgUnit::Kind::kWord, q, q + n, kNone});
    }
  }

  bool DashInsideName(uint32_t q, const std::vector<OrgUnit>& units) const {
    // After a body's own words or a listed body ("Khoa Hồi sức tích cực -
    // Chống độc"), not after a committee or a place ("Tỉnh ủy - Chủ tịch ...").
    if (!Is(q, TokenType::kDash) || units.empty() ||
        (units.back().kind != OrgUnit::Kind::kWord && units.back().kind != OrgUnit::Kind::kOrg)) {
      return false;
    }
    const uint32_t next = q + 1;
    if (!IsCap(next) || TitleAt(next).length > 0 || CueAt(next).length > 0 ||
        RankAt(next).length > 0) {
      return false;
    }
    return ChooseNameSplit(next, CapRun(next)) != 0;
  }

  bool NameComesFirst(const std::vector<OrgUnit>& units) const {
    if (units.empty()) return false;
    const OrgUnit& last = units.back();
    if (last.kind == OrgUnit::Kind::kLevel) {
      return IsBelowProvince(lex_.org_entries[last.entry].level);
    }
    if (last.kind == OrgUnit::Kind::kGeneric) return true;
    // "Bí thư Thành ủy Hạ Long" in an article about a province: the committee
    // of a city inside it, whose name comes first.
    if (last.kind == OrgUnit::Kind::kCommittee && main_place_ != nullptr &&
        !LevelFits(lex_.org_entries[last.entry].level, main_place_->level)) {
      return true;
    }
    // "Hợp tác xã chè | La Bằng": after a head and the lower-case words of its
    // trade, capitals are the body's own name.
    if (last.kind == OrgUnit::Kind::kWord && !IsCap(last.begin) && units.size() >= 2 &&
        units[units.size() - 2].kind == OrgUnit::Kind::kGeneric) {
      return true;
    }
    // "Trường THPT | Chu Văn An"
    return last.kind == OrgUnit::Kind::kWord && last.end == last.begin + 1 &&
           t_[last.begin].Is(official::kAllUpper) && units.size() >= 2 &&
           units[units.size() - 2].kind == OrgUnit::Kind::kGeneric;
  }

  std::string TitleText(const Title& title) const {
    std::string text;
    if (title.prefix != kNone) {
      text += lex_.title_entries[title.prefix].canonical;
      text += ' ';
    }
    text += lex_.title_entries[title.head].canonical;
    if (title.modifier != kNone) {
      text += ' ';
      text += lex_.title_entries[title.modifier].canonical;
    }
    if (!title.units.empty()) {
      text += ' ';
      text += doc_.Slice(t_[title.org_begin].begin, t_[title.units.back().end - 1].end);
    }
    return text;
  }

  // ---- organization -------------------------------------------------------
  void AppendTokens(uint32_t begin, uint32_t end, std::string* out) const {
    for (uint32_t k = begin; k < end; ++k) {
      if (k > begin && t_[k].Is(official::kSpaceBefore)) out->push_back(' ');
      const std::string_view text = Text(k);
      auto it = text.size() >= 2 ? lex_.abbreviations.find(text) : lex_.abbreviations.end();
      if (it != lex_.abbreviations.end()) {
        out->append(it->second);
      } else {
        out->append(text);
      }
    }
  }

  // The place to add after a body that takes one, written for that body.
  std::string PlaceAfterBody(OrgUnit::Kind kind) const {
    if (kind == OrgUnit::Kind::kCommittee || main_place_->name_has_level) return main_place_->name;
    const std::string& level = main_place_->level == PlaceLevel::kCity ? lex_.city_level_word
                                                                       : lex_.province_level_word;
    return level + " " + main_place_->name;
  }

  // The organization of one title, or nullopt when the title names none.
  std::optional<std::string> OrgText(const Title& title) const {
    const official::TitleEntry& head = lex_.title_entries[title.head];
    const auto& units = title.units;
    bool use_implied = !head.implied_org.empty();
    if (use_implied && !units.empty()) {
      // "Phó Trưởng ban ... Ban Dân vận": the body is written out already.
      const std::string first = ToLowerUtf8(doc_.Slice(t_[units[0].begin].begin, t_[units[0].end - 1].end));
      const std::string implied = ToLowerUtf8(head.implied_org);
      if (first.rfind(implied, 0) == 0) use_implied = false;
    }
    if (units.empty() && (!use_implied || head.implied_kind == OrgKind::kGeneric)) return std::nullopt;

    // Which body gets the article's place, and where it goes.
    int anchor = -2;  // -1: the implied body; >= 0: a unit
    OrgUnit::Kind anchor_kind = OrgUnit::Kind::kOrg;
    PlaceLevel anchor_level = PlaceLevel::kNone;
    if (use_implied && TakesPlace(UnitKind(head.implied_kind))) {
      anchor = -1;
      anchor_kind = UnitKind(head.implied_kind);
      anchor_level = head.implied_level;
    }
    for (size_t u = 0; u < units.size(); ++u) {
      if (TakesPlace(units[u].kind)) {
        anchor = static_cast<int>(u);
        anchor_kind = units[u].kind;
        anchor_level = lex_.org_entries[units[u].entry].level;
      }
    }
    int insert_after = -2;     // insert the place after this unit (-1: after the implied body)
    int fill_level = -1;       // a bare level word ("thành phố") the place completes
    if (anchor != -2 && main_place_ != nullptr && LevelFits(anchor_level, main_place_->level)) {
      const size_t next = static_cast<size_t>(anchor + 1);
      if (next >= units.size()) {
        insert_after = anchor;
      } else if (units[next].kind == OrgUnit::Kind::kLevel) {
        const PlaceLevel level = lex_.org_entries[units[next].entry].level;
        const bool followed = next + 1 < units.size() && (units[next + 1].kind == OrgUnit::Kind::kPlace ||
                                                          units[next + 1].kind == OrgUnit::Kind::kWord);
        if (!followed && level == main_place_->level) fill_level = static_cast<int>(next);
      } else if (units[next].kind != OrgUnit::Kind::kPlace && units[next].kind != OrgUnit::Kind::kWord) {
        insert_after = anchor;
      }
    }

    std::string out;
    auto separate = [&out] {
      if (!out.empty()) out.push_back(' ');
    };
    if (use_implied) out = head.implied_org;
    if (insert_after == -1) {
      separate();
      out += PlaceAfterBody(anchor_kind);
    }
    for (size_t u = 0; u < units.size(); ++u) {
      const OrgUnit& unit = units[u];
      if (unit.kind == OrgUnit::Kind::kPlace) {
        separate();
        out += lex_.places[lex_.place_entries[unit.entry].place].name;
        continue;
      }
      if (unit.kind == OrgUnit::Kind::kLevel) {
        // "TP Hồ Chí Minh" -> "Thành phố Hồ Chí Minh", not "thành phố Thành phố ..."
        const bool next_names_level =
            u + 1 < units.size() && units[u + 1].kind == OrgUnit::Kind::kPlace &&
            lex_.places[lex_.place_entries[units[u + 1].entry].place].name_has_level;
        const bool filled_names_level = static_cast<int>(u) == fill_level && main_place_->name_has_level;
        if (next_names_level || filled_names_level) {
          if (filled_names_level) {
            separate();
            out += main_place_->name;
          }
          continue;
        }
        // A level word is written in its canonical form without the dot.
        uint32_t end = unit.end;
        if (end > unit.begin + 1 && Is(end - 1, TokenType::kPeriod)) --end;
        separate();
        AppendTokens(unit.begin, end, &out);
        if (static_cast<int>(u) == fill_level) {
          out += ' ';
          out += main_place_->name;
        }
        continue;
      }
      separate();
      AppendTokens(unit.begin, unit.end, &out);
      if (static_cast<int>(u) == insert_after) {
        out += ' ';
        out += PlaceAfterBody(anchor_kind);
      }
    }
    if (out.empty()) return std::nullopt;
    return out;
  }

  // ---- shapes -------------------------------------------------------------
  void Emit(const std::vector<Title>& titles, const Name& name, uint32_t span_begin,
            uint32_t span_end, std::string rule) {
    OfficialFact value;
    value.name = std::string(doc_.Slice(t_[name.begin].begin, t_[name.end - 1].end));
    for (const Title& title : titles) {
      value.titles.push_back(TitleText(title));
      if (!value.org) value.org = OrgText(title);
    }
    value.former = titles.front().former;
    value.ranks = name.ranks;
    Fact fact;
    fact.kind = FactKind::kOfficial;
    fact.begin = t_[span_begin].begin;
    fact.end = t_[span_end - 1].end;
    fact.sentence = sentence_;
    fact.rule = std::move(rule);
    fact.value = std::move(value);
    facts_->push_back(std::move(fact));
  }

  // TITLE[, TITLE...] NAME[, TITLE...]. Consumes a title chain even when no
  // name follows it, so its inner words start nothing else.
  bool TryTitleFirst(uint32_t* p) {
    // ParseTitle() checks this too, but is not inlined: asked here first, the
    // extractor spends 199 M instead of 218 M instructions on the 2 MB archive.
    if (!MayStartTitle(*p)) return false;
    std::optional<Title> first = ParseTitle(*p, /*require_cap=*/true, /*name_expected=*/true);
    if (!first) return false;
    std::vector<Title> chain;
    chain.push_back(std::move(*first));
    std::optional<Name> name = chain.back().name;
    uint32_t q = chain.back().end;
    bool comma_name = false;
    while (!name && Is(q, TokenType::kComma)) {
      if (std::optional<Title> next = ParseTitle(q + 1, true, true)) {
        q = next->end;
        name = next->name;
        chain.push_back(std::move(*next));
        continue;
      }
      // "Bí thư Thành ủy, đồng chí Nguyễn Văn A" / "..., Đại tá Nguyễn Văn A"
      uint32_t j = q + 1;
      const PhraseTrie::Match cue = CueAt(j);
      const bool person_cue = cue.length > 0 && lex_.cue_entries[cue.value].kind == CueKind::kPerson;
      if (person_cue) j += cue.length;
      if (person_cue || RankAt(j).length > 0) {
        if (std::optional<Name> n = ParseName(j, true)) {
          name = std::move(n);
          comma_name = true;
        }
      }
      break;
    }
    if (!name && Is(q, TokenType::kColon) && EmitColonList(chain, q + 1, p)) return true;
    // "thừa ủy quyền của Chủ tịch nước, Trung tướng Lò Văn Tường, Tư lệnh
    // Quân khu 2 đã trao": a title after an owner cue ("của") is whose
    // authority, not the title of the person after the comma; that person's
    // titles follow him.
    if (comma_name && CueBefore(*p, CueKind::kOwner)) {
      *p = std::max(q, *p + 1);
      return true;
    }
    if (!name) {
      *p = std::max(q, *p + 1);
      return true;
    }
    // "thừa ủy quyền của Chủ tịch nước, Phó Thủ tướng Lê Minh Đạo trao": the
    // title after "của" is the owner's; the person holds the ones after it.
    if (chain.size() > 1 && CueBefore(*p, CueKind::kOwner)) chain.erase(chain.begin());
    uint32_t end = name->end;
    while (Is(end, TokenType::kComma)) {
      std::optional<Title> next = ParseTitle(end + 1, true, false);
      if (!next || next->name) break;
      end = next->end;
      chain.push_back(std::move(*next));
    }
    std::string rule = "official.title_name";
    if (chain.front().former) {
      rule = "official.former_title_name";
    } else if (comma_name) {
      rule = "official.titles_comma_name";
    } else if (chain.size() > 1) {
      rule = "official.titles_name";
    } else if (const official::CueEntry* cue = PersonCueBefore(*p);
               cue != nullptr && !cue->rule_tag.empty()) {
      rule = "official." + cue->rule_tag + "_title_name";
    }
    Emit(chain, *name, chain.front().begin, std::max(end, name->end), rule);
    *p = end;
    return true;
  }

  // "các Phó Chủ tịch UBND tỉnh: Lê Hồng Vinh, Bùi Thanh An và Bùi Đình
  // Long": every name of the list after the colon holds the titles before
  // it. The list ends at anything but a comma or "và" between names; a name
  // followed by titles of its own is left to the name-first rules.
  bool EmitColonList(const std::vector<Title>& chain, uint32_t j, uint32_t* p) {
    std::vector<Name> names;
    while (j < se_) {
      std::optional<Name> n = ParseName(j, /*relaxed=*/true);
      if (!n) break;
      uint32_t next = n->end;
      const bool comma = Is(next, TokenType::kComma);
      if (comma && ParseTitle(next + 1, false, false)) break;  // "A, Giám đốc Sở ..."
      names.push_back(std::move(*n));
      if (comma) {
        j = next + 1;
      } else if (const PhraseTrie::Match joiner = CueAt(next);
                 joiner.length > 0 && lex_.cue_entries[joiner.value].kind == CueKind::kJoiner) {
        j = next + joiner.length;
      } else {
        break;
      }
    }
    if (names.empty()) return false;
    for (const Name& n : names) {
      Emit(chain, n, chain.front().begin, n.end, "official.title_colon_list");
    }
    *p = names.back().end;
    return true;
  }

  // [ranks] NAME (, | - | '(') TITLE[, TITLE...]
  bool TryNameFirst(uint32_t* p) {
    const uint32_t i = *p;
    if (!IsCap(i)) return false;
    bool relaxed = false;
    // The rule is named only once there is a fact: most capitalized words
    // start none, and a rule name is too long to be built without allocating.
    bool list_item = false;
    std::string_view rule_tag;  // of a person cue before the name
    if (i > sb_) {
      if (Is(i - 1, TokenType::kColon) || Is(i - 1, TokenType::kSemicolon)) {
        relaxed = true;
        list_item = true;
      } else if (const official::CueEntry* cue = PersonCueBefore(i)) {
        relaxed = true;
        rule_tag = cue->rule_tag;
      } else if (IsCap(i - 1) && !IsSentenceInitial(i - 1)) {
        return false;  // inside a longer capitalized run
      }
    }
    std::optional<Name> name = ParseName(i, relaxed);
    if (!name) return false;
    const uint32_t sep = SkipAsideAfterName(name->end);
    const bool dash = Is(sep, TokenType::kDash);
    const bool paren = Is(sep, TokenType::kOpenParen);
    // "Lê Thị Minh Thư được bầu giữ chức Chủ tịch ...": the office after an
    // appointment phrase of person_cues.tsv; it must be capitalized.
    const PhraseTrie::Match appointment = CueAt(sep);
    const bool appointed =
        appointment.length > 0 && lex_.cue_entries[appointment.value].kind == CueKind::kAppointed;
    if (!appointed && !dash && !paren && !Is(sep, TokenType::kComma)) return false;
    std::optional<Title> title =
        ParseTitle(appointed ? sep + appointment.length : sep + 1, /*require_cap=*/appointed,
                   /*name_expected=*/false);
    if (!title || title->name) return false;
    std::vector<Title> chain;
    uint32_t end = title->end;
    chain.push_back(std::move(*title));
    while (Is(end, TokenType::kComma)) {
      std::optional<Title> next = ParseTitle(end + 1, false, false);
      if (!next || next->name) break;
      end = next->end;
      chain.push_back(std::move(*next));
    }
    // "Nguyễn Văn Hưng, Giám đốc Sở Tài chính(,) giữ chức Phó Chủ tịch UBND
    // tỉnh": the office given after the titles held is the person's too.
    const uint32_t cue_at = Is(end, TokenType::kComma) ? end + 1 : end;
    if (const PhraseTrie::Match given = CueAt(cue_at);
        !appointed && given.length > 0 &&
        lex_.cue_entries[given.value].kind == CueKind::kAppointed) {
      std::optional<Title> next = ParseTitle(cue_at + given.length, /*require_cap=*/true, false);
      if (next && !next->name) {
        end = next->end;
        chain.push_back(std::move(*next));
      }
    }
    std::string rule;
    if (appointed) {
      rule = "official.name_appointed_title";
    } else if (paren) {
      if (!Is(end, TokenType::kCloseParen)) return false;
      rule = "official.name_paren_title";
    } else if (dash) {
      rule = rule_tag.empty() ? std::string("official.name_dash_title")
                              : "official." + std::string(rule_tag) + "_dash";
    } else if (list_item) {
      rule = "official.list_item";
    } else if (!rule_tag.empty()) {
      rule = "official." + std::string(rule_tag) + "_name_titles";
    } else {
      rule = "official.name_comma_titles";
    }
    Emit(chain, *name, name->span_begin, end, std::move(rule));
    *p = end;
    return true;
  }

  // "Nguyễn Văn Hùng (SN 1968), nguyên Giám đốc Sở ...": a parenthesis about
  // the person (birth year, home town) between the name and a comma or dash
  // before the titles. Returns the token after it, or `sep` when there is none
  // or the parenthesis holds a title itself (name_paren_title).
  uint32_t SkipAsideAfterName(uint32_t sep) const {
    constexpr uint32_t kMaxAsideTokens = 24;
    if (!Is(sep, TokenType::kOpenParen)) return sep;
    if (std::optional<Title> inner = ParseTitle(sep + 1, false, false); inner && !inner->name) {
      return sep;
    }
    uint32_t close = sep + 1;
    while (close < se_ && close - sep <= kMaxAsideTokens && !Is(close, TokenType::kCloseParen) &&
           !Is(close, TokenType::kOpenParen)) {
      ++close;
    }
    if (close >= se_ || !Is(close, TokenType::kCloseParen)) return sep;
    const uint32_t after = close + 1;
    return Is(after, TokenType::kComma) || Is(after, TokenType::kDash) ? after : sep;
  }

  const OfficialLexicon& lex_;
  const Document& doc_;
  const std::vector<OfficialToken>& t_;
  const uint32_t sb_;
  const uint32_t se_;
  const uint32_t sentence_;
  const Place* main_place_;
  std::vector<Fact>* facts_;
  uint32_t first_word_ = 0;
};

// The place an article is about: the city or province mentioned most, a
// mention after a level word or a body ("thành phố Hải Phòng", "Thành ủy Hà
// Nội") or in a form that names its level ("TPHCM") counting double. Ties go to
// the place mentioned first; a single bare mention is not enough. A name after
// a district's or a commune's level word is that unit's, not the province's
// ("huyện Quảng Ninh" in Quảng Bình).
const Place* FindMainPlace(const OfficialLexicon& lex, const std::vector<OfficialToken>& tokens,
                           const std::vector<std::pair<uint32_t, uint32_t>>& ranges) {
  std::vector<int> score(lex.places.size(), 0);
  std::vector<uint32_t> first(lex.places.size(), kNone);
  for (const auto& [begin, end] : ranges) {
    uint32_t context_end = kNone;  // token after the last level word or body
    uint32_t local_end = kNone;    // token after the last district or commune level word
    for (uint32_t i = begin; i < end;) {
      const OfficialToken& t = tokens[i];
      if (t.type != TokenType::kWord) {
        ++i;
        continue;
      }
      if (t.Is(official::kCapitalized)) {
        const PhraseTrie::Match m = lex.places_trie.Longest(tokens, i, end);
        if (m.length > 0) {
          const official::PlaceEntry& entry = lex.place_entries[m.value];
          const bool after_context = context_end == i;
          if (local_end != i && (!entry.needs_level || after_context)) {
            score[entry.place] += after_context || entry.includes_level ? 2 : 1;
            first[entry.place] = std::min(first[entry.place], i);
          }
          i += m.length;
          continue;
        }
      }
      const PhraseTrie::Match m = lex.orgs.Longest(tokens, i, end);
      if (m.length > 0) {
        const OrgKind kind = lex.org_entries[m.value].kind;
        i += m.length;
        if (kind == OrgKind::kLevel || kind == OrgKind::kCommittee || kind == OrgKind::kAuthority) {
          if (i < end && tokens[i].type == TokenType::kPeriod) ++i;
          context_end = i;
          if (kind == OrgKind::kLevel && IsBelowProvince(lex.org_entries[m.value].level)) {
            local_end = i;
          }
        }
        continue;
      }
      ++i;
    }
  }
  int best = -1;
  for (size_t p = 0; p < score.size(); ++p) {
    if (score[p] < 2) continue;
    if (best < 0 || score[p] > score[best] || (score[p] == score[best] && first[p] < first[best])) {
      best = static_cast<int>(p);
    }
  }
  return best < 0 ? nullptr : &lex.places[best];
}

class OfficialExtractor : public Extractor {
 public:
  OfficialExtractor(OfficialLexicon lexicon, bool filter_sentences)
      : lex_(std::move(lexicon)), filter_sentences_(filter_sentences) {}
  std::string_view name() const override { return "official"; }

  void Extract(const Document& doc, std::vector<Fact>* facts) const override {
    std::vector<OfficialToken> tokens;
    tokens.reserve(doc.text.size() / 5 + 16);
    std::vector<std::pair<uint32_t, uint32_t>> ranges;  // token range per sentence
    ranges.reserve(doc.sentences.size());
    std::string scratch;
    for (const Sentence& s : doc.sentences) {
      const uint32_t begin = static_cast<uint32_t>(tokens.size());
      if (s.kind != SegmentKind::kByline && s.kind != SegmentKind::kBoilerplate) {
        official::TokenizeForOfficials(doc.text, s.begin, s.end, lex_.vocabulary, &scratch, &tokens);
      }
      ranges.emplace_back(begin, static_cast<uint32_t>(tokens.size()));
    }
    const Place* main_place = FindMainPlace(lex_, tokens, ranges);
    for (uint32_t s = 0; s < ranges.size(); ++s) {
      if (filter_sentences_ && !lex_.MayHoldOfficial(tokens, ranges[s].first, ranges[s].second)) {
        continue;
      }
      SentenceParser parser(lex_, doc, tokens, ranges[s].first, ranges[s].second, s, main_place,
                            facts);
      parser.Run();
    }
  }

 private:
  OfficialLexicon lex_;
  bool filter_sentences_;
};

Expected<std::unique_ptr<Extractor>> Create(const std::filesystem::path& lexicon_dir,
                                            bool filter_sentences) {
  auto lexicon = official::OfficialLexicon::Load(lexicon_dir);
  if (!lexicon.ok()) return lexicon.status();
  return std::unique_ptr<Extractor>(
      std::make_unique<OfficialExtractor>(std::move(lexicon).value(), filter_sentences));
}

}  // namespace

Expected<std::unique_ptr<Extractor>> CreateOfficialExtractor(const std::filesystem::path& lexicon_dir) {
  return Create(lexicon_dir, /*filter_sentences=*/true);
}

Expected<std::unique_ptr<Extractor>> CreateUnfilteredOfficialExtractor(
    const std::filesystem::path& lexicon_dir) {
  return Create(lexicon_dir, /*filter_sentences=*/false);
}

}  // namespace vnfacts
