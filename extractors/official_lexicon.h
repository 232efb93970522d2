// What the official extractor knows about Vietnamese officials, compiled once:
// titles, organizations, places, ranks, family names, person cue words and
// abbreviations, all read from lexicons/ (titles.tsv, organizations.tsv,
// places.tsv, ranks.tsv, surnames.txt, middle_names.txt, person_cues.tsv, abbreviations.tsv).
//
// Everything is matched over a light token stream of its own (OfficialToken):
// words (letters and digits, with inner dots kept, "TP.HCM", "PGS.TS") and
// single punctuation marks. Each word's lower-cased form is looked up once in a
// vocabulary made of the lexicon words, so phrase matching is integer
// comparison in small tries keyed by token ids, with no allocation per
// character or per attempt. Lexicon entries are normalized with the
// Normalizer first, so "Thành uỷ" in a lexicon still matches "Thành ủy".
#ifndef VNFACTS_EXTRACTORS_OFFICIAL_LEXICON_H_
#define VNFACTS_EXTRACTORS_OFFICIAL_LEXICON_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <utility>
#include <vector>

#include "pipeline/status.h"
#include "pipeline/syllable_shape.h"

namespace vnfacts {
namespace official {

enum class TokenType : uint8_t {
  kWord,
  kComma,
  kSemicolon,
  kColon,
  kPeriod,
  kDash,
  kOpenParen,
  kCloseParen,
  kOther,  // quotes, ellipsis, '|', '/', ...
};

enum TokenFlag : uint8_t {
  kCapitalized = 1,   // the first letter is upper case
  kAllUpper = 2,      // two or more letters, all upper case (UBND, TPHCM)
  kHasDigit = 4,
  kSpaceBefore = 8,   // whitespace precedes the token
  kLettersOnly = 16,  // letters (and marks) only: a possible name syllable
  kInnerDot = 32,     // a dot inside the word (TP.HCM, PGS.TS)
  kInnerHyphen = 64,  // syllables joined by hyphens, the later ones in lower
                      // case: a transcribed Lao or Khmer name (Khăm-phăn)
};

inline constexpr uint32_t kNoId = 0xFFFFFFFFu;

struct OfficialToken {
  uint32_t begin = 0;  // byte offsets into the text
  uint32_t end = 0;
  uint32_t id = kNoId;  // vocabulary id of the lower-cased form, kNoId when unknown
  TokenType type = TokenType::kOther;
  uint8_t flags = 0;
  bool Is(TokenFlag f) const { return (flags & f) != 0; }
};

struct StringHash {
  using is_transparent = void;
  size_t operator()(std::string_view s) const { return std::hash<std::string_view>{}(s); }
};
using StringIdMap = std::unordered_map<std::string, uint32_t, StringHash, std::equal_to<>>;
using StringMap = std::unordered_map<std::string, std::string, StringHash, std::equal_to<>>;

// Lower-cased word forms of every lexicon entry, each with a dense id. Every
// token of every article is looked up here, so it is a small open-addressing
// table over one string pool rather than a node-based std::unordered_map.
class Vocabulary {
 public:
  uint32_t Intern(std::string_view lower);
  uint32_t Find(std::string_view lower) const;
  // Find() for the tokenizer: one ASCII byte is an array lookup, and a form
  // longer than every form is not looked up at all.
  uint32_t FindShort(std::string_view lower) const;
  size_t size() const { return size_; }
  // Bytes of the longest form: longer words need no lookup.
  size_t max_length() const { return max_length_; }

 private:
  // A form of up to kShortForm bytes (almost every Vietnamese syllable) is
  // found by its slot alone: `key` holds all its bytes, so one compare of key
  // and length decides, with no byte compare and no hash beyond the slot's
  // index. A longer form's key is a hash of it, confirmed against the pool.
  static constexpr size_t kShortForm = 8;
  struct Slot {
    uint64_t key = 0;
    uint32_t id = kNoId;
    uint32_t length = 0xFFFFFFFFu;  // no form: an empty slot matches nothing
    uint32_t offset = 0;            // of the form in pool_
  };
  // The tokenizer looks up every word: FindShort() inlined there.
  friend void TokenizeForOfficials(std::string_view text, uint32_t begin, uint32_t end,
                                   const Vocabulary& vocabulary, std::string* scratch,
                                   std::vector<OfficialToken>* out);
  uint32_t FindShortInline(std::string_view lower) const;
  static uint64_t Key(std::string_view s);
  size_t Index(uint64_t key, size_t length) const;
  uint32_t FindInline(std::string_view lower) const;
  void Grow();

  std::string pool_;
  size_t size_ = 0;
  std::vector<Slot> slots_;  // size is a power of two
  int shift_ = 64;           // 64 - log2(slots_.size())
  size_t max_length_ = 0;
  std::array<uint32_t, 128> ascii_ids_ = MakeNoIds();  // forms of one ASCII byte

  static constexpr std::array<uint32_t, 128> MakeNoIds() {
    std::array<uint32_t, 128> ids{};
    ids.fill(kNoId);
    return ids;
  }
};

// The token type of a character that is not part of a word.
TokenType PunctuationType(int32_t c);

// Tokenizes text[begin, end) and appends to `out`. A word without capitals is
// looked up as it stands; `scratch` is reused for the lower-cased forms of the
// others, so that a whole document costs no allocation per token.
void TokenizeForOfficials(std::string_view text, uint32_t begin, uint32_t end,
                          const Vocabulary& vocabulary, std::string* scratch,
                          std::vector<OfficialToken>* out);

// Phrases as sequences of token ids; finds the longest one starting at a token.
class PhraseTrie {
 public:
  PhraseTrie() : nodes_(1) {}
  // Returns false when the phrase is already present (its value is kept).
  bool Add(const std::vector<uint32_t>& ids, uint32_t value);
  struct Match {
    uint32_t length = 0;  // in tokens; 0 when nothing matched
    uint32_t value = 0;
  };
  // Inline up to the first word: most tokens start no phrase at all, and
  // every token of every article is tried against several tries.
  Match Longest(const std::vector<OfficialToken>& tokens, uint32_t pos, uint32_t end) const {
    if (pos >= end || !Starts(tokens[pos].id)) return {};
    return LongestFrom(tokens, pos, end);
  }
  // Whether some phrase starts with the word `id`: Longest() matches nothing
  // at a token for which this is false.
  // Asked of every word several times over, so the bound is kept rather than
  // computed from the vector each time.
  bool Starts(uint32_t id) const { return id < root_size_ && root_[id] != 0; }

 private:
  struct Node {
    std::vector<std::pair<uint32_t, uint32_t>> next;  // (token id, node), sorted
    int64_t value = -1;
  };
  // Longest() once tokens[pos] is known to start a phrase.
  Match LongestFrom(const std::vector<OfficialToken>& tokens, uint32_t pos, uint32_t end) const;

  std::vector<Node> nodes_;
  std::vector<uint32_t> root_;  // first token id -> node; 0 when no phrase starts so
  uint32_t root_size_ = 0;      // root_.size()
};

enum : uint32_t { kContinuesName = 0, kContinuesBody = 1 };

enum class PlaceLevel : uint8_t { kNone, kCity, kProvince, kDistrict, kCommune, kAny };

// A district or a commune: a unit whose name comes before anything else after
// its level word, and which is never the article's province.
inline bool IsBelowProvince(PlaceLevel level) {
  return level == PlaceLevel::kDistrict || level == PlaceLevel::kCommune;
}

enum class TitleKind : uint8_t { kHead, kPrefix, kModifier };
enum class OrgKind : uint8_t { kOrg, kCommittee, kAuthority, kGeneric, kLevel, kConnector };
enum class CueKind : uint8_t { kPerson, kFormer, kAppointed, kOwner, kJoiner };

struct CueEntry {
  CueKind kind = CueKind::kPerson;
  // Names the rule variant a person cue selects ("dong_chi" makes
  // official.title_name official.dong_chi_title_name); empty for most cues.
  std::string rule_tag;
};

struct TitleEntry {
  std::string canonical;
  TitleKind kind = TitleKind::kHead;
  std::string implied_org;          // "Ban" for "Trưởng ban"; may be empty
  OrgKind implied_kind = OrgKind::kOrg;
  PlaceLevel implied_level = PlaceLevel::kNone;
};

struct OrgEntry {
  std::string canonical;
  OrgKind kind = OrgKind::kOrg;
  PlaceLevel level = PlaceLevel::kNone;
  // A generic body also written in lower case right after a title
  // ("nguyên Phó Giám đốc công ty"); organizations.tsv level column `lower`.
  bool lower_after_title = false;
};

struct PlaceEntry {
  uint32_t place = 0;          // index into OfficialLexicon::places
  bool needs_level = false;    // only a place after a level word ("TP Hồ Chí Minh")
  bool includes_level = false; // the form names its level itself ("TPHCM")
};

struct Place {
  std::string name;  // canonical: "Hải Phòng", "Thành phố Hồ Chí Minh"
  PlaceLevel level = PlaceLevel::kNone;
  bool name_has_level = false;  // the canonical name starts with its level word
};

struct OfficialLexicon {
  Vocabulary vocabulary;
  PhraseTrie titles, orgs, places_trie, ranks, cues;
  // Words that a term number follows (terms.tsv rows with a roman argument:
  // "khóa"); "Đại biểu Quốc hội khóa XV Trần Thị Lan" skips the term. The
  // value is 1 when an Arabic number may follow too (roman+number).
  PhraseTrie term_words;
  // Lower-case words that continue a body's own name ("Phòng Tổ chức cán
  // bộ"), from org_name_words.tsv; the value is kContinuesBody when the
  // phrase may follow a listed body too ("Ban Chỉ đạo phòng, chống").
  PhraseTrie name_continuations;
  std::vector<TitleEntry> title_entries;
  std::vector<OrgEntry> org_entries;
  std::vector<PlaceEntry> place_entries;
  std::vector<Place> places;
  std::vector<std::string> rank_entries;  // canonical rank
  std::vector<CueEntry> cue_entries;
  std::vector<int32_t> surname_rank;  // by vocabulary id; -1 when not a family name
  std::vector<bool> middle_name;      // by vocabulary id (middle_names.txt)
  // Whether a capitalized word could be a Vietnamese syllable: a run of words
  // that cannot (Morimoto Takeshi) is a foreign name even without a family name.
  SyllableShape syllables;
  // Country names in Latin letters (countries.tsv): they belong to the title
  // before a foreign name ("Đại sứ Australia Andrew Goledzinowski").
  PhraseTrie countries;
  StringMap abbreviations;            // exact short form -> expansion
  std::string city_level_word = "thành phố";
  std::string province_level_word = "tỉnh";

  // Loads and compiles every lexicon the extractor needs from `dir`; errors
  // name the file and line.
  static Expected<OfficialLexicon> Load(const std::filesystem::path& dir);

  // Whether tokens[begin, end) may hold an official: every shape the
  // extractor reads has a title, and a title has a word that starts a phrase
  // of titles.tsv; and every official has a name, which the extractor takes
  // only as two or more name syllables in a row (ValidName: capitalized,
  // letters only, not all capitals). A sentence without both is not parsed.
  bool MayHoldOfficial(const std::vector<OfficialToken>& tokens, uint32_t begin,
                       uint32_t end) const {
    bool title = false, name = false;
    bool after_syllable = false;  // the token before is a name syllable
    for (uint32_t i = begin; i < end && !(title && name); ++i) {
      const OfficialToken& t = tokens[i];
      title = title || titles.Starts(t.id);
      const bool syllable = t.type == TokenType::kWord &&
                            (t.flags & (kCapitalized | kLettersOnly | kAllUpper)) ==
                                (kCapitalized | kLettersOnly);
      name = name || (syllable && after_syllable);
      after_syllable = syllable;
    }
    return title && name;
  }

  int32_t SurnameRank(uint32_t id) const {
    return id < surname_rank.size() ? surname_rank[id] : -1;
  }
  bool IsMiddleName(uint32_t id) const { return id < middle_name.size() && middle_name[id]; }
};

}  // namespace official
}  // namespace vnfacts

#endif  // VNFACTS_EXTRACTORS_OFFICIAL_LEXICON_H_
