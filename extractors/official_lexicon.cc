#include "extractors/official_lexicon.h"

#include <algorithm>
#include <bit>
#include <cstring>

#include <unicode/uchar.h>

#include "extractors/extractor_util.h"
#include "pipeline/lexicon.h"
#include "pipeline/normalizer.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace official {

namespace {

inline uint64_t Mix(uint64_t x) {
  x *= 0x9E3779B97F4A7C15ull;
  return x ^ (x >> 29);
}

template <typename T>
inline T Load(const char* p) {
  T v;
  std::memcpy(&v, p, sizeof v);
  return v;
}

// Equality of two byte ranges of length n, inline: words are a few bytes
// long, shorter than a call to memcmp.
inline bool SameBytes(const char* a, const char* b, size_t n) {
  if (n >= 8) {
    for (; n > 8; a += 8, b += 8, n -= 8) {
      if (Load<uint64_t>(a) != Load<uint64_t>(b)) return false;
    }
    return Load<uint64_t>(a + n - 8) == Load<uint64_t>(b + n - 8);
  }
  if (n >= 4) {
    return Load<uint32_t>(a) == Load<uint32_t>(b) &&
           Load<uint32_t>(a + n - 4) == Load<uint32_t>(b + n - 4);
  }
  for (size_t i = 0; i < n; ++i) {
    if (a[i] != b[i]) return false;
  }
  return true;
}

}  // namespace

[[gnu::always_inline]] inline uint64_t Vocabulary::Key(std::string_view s) {
  const char* p = s.data();
  size_t n = s.size();
  // A short form is its own key: its first four and last four bytes (or its
  // first, middle and last byte) cover every byte, so two forms of the same
  // length have the same key only when they are the same.
  if (n <= kShortForm) {
    if (n >= 4) return (uint64_t{Load<uint32_t>(p)} << 32) | Load<uint32_t>(p + n - 4);
    if (n == 0) return 0;
    return uint64_t{static_cast<unsigned char>(p[0])} |
           uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
           uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  // A longer one is hashed eight bytes at a time, the last few read as two
  // overlapping halves or three single bytes, nothing outside it.
  uint64_t h = Mix(n);
  for (; n > 8; p += 8, n -= 8) h = Mix(h ^ Load<uint64_t>(p));
  if (n >= 4) {
    h ^= (uint64_t{Load<uint32_t>(p)} << 32) | Load<uint32_t>(p + n - 4);
  } else {
    h ^= uint64_t{static_cast<unsigned char>(p[0])} |
         uint64_t{static_cast<unsigned char>(p[n / 2])} << 8 |
         uint64_t{static_cast<unsigned char>(p[n - 1])} << 16;
  }
  return Mix(h);
}

// The top bits of a multiplication depend on every bit of the key (and the
// length), which the bytes of a short key need: words that differ only in
// their last letter still land apart.
[[gnu::always_inline]] inline size_t Vocabulary::Index(uint64_t key, size_t length) const {
  return static_cast<size_t>(((key + length) * 0x9E3779B97F4A7C15ull) >> shift_);
}

[[gnu::always_inline]] inline uint32_t Vocabulary::FindInline(std::string_view lower) const {
  if (slots_.empty()) return kNoId;
  const uint64_t key = Key(lower);
  const size_t n = lower.size();
  const size_t mask = slots_.size() - 1;
  for (size_t i = Index(key, n);; i = (i + 1) & mask) {
    const Slot& slot = slots_[i];
    if (slot.key == key && slot.length == n) {
      if (n <= kShortForm || SameBytes(pool_.data() + slot.offset, lower.data(), n)) return slot.id;
    } else if (slot.id == kNoId) {
      return kNoId;
    }
  }
}

uint32_t Vocabulary::Find(std::string_view lower) const { return FindInline(lower); }

void Vocabulary::Grow() {
  std::vector<Slot> slots(slots_.empty() ? 64 : slots_.size() * 2);
  shift_ = 64 - std::countr_zero(slots.size());
  const size_t mask = slots.size() - 1;
  for (const Slot& old : slots_) {
    if (old.id == kNoId) continue;
    size_t i = Index(old.key, old.length);
    while (slots[i].id != kNoId) i = (i + 1) & mask;
    slots[i] = old;
  }
  slots_ = std::move(slots);
}

uint32_t Vocabulary::Intern(std::string_view lower) {
  const uint32_t found = Find(lower);
  if (found != kNoId) return found;
  if ((size_ + 1) * 2 > slots_.size()) Grow();
  const uint32_t id = static_cast<uint32_t>(size_++);
  const uint64_t key = Key(lower);
  const size_t mask = slots_.size() - 1;
  size_t i = Index(key, lower.size());
  while (slots_[i].id != kNoId) i = (i + 1) & mask;
  slots_[i] = {key, id, static_cast<uint32_t>(lower.size()), static_cast<uint32_t>(pool_.size())};
  pool_.append(lower);
  max_length_ = std::max(max_length_, lower.size());
  if (lower.size() == 1 && static_cast<unsigned char>(lower[0]) < 0x80) {
    ascii_ids_[static_cast<unsigned char>(lower[0])] = id;
  }
  return id;
}

namespace {

// What the tokenizer asks of a code point, one table lookup instead of ICU
// property calls and range tests per character: this runs once per character
// of every article.
enum CharBit : uint8_t {
  kWordChar = 1,     // a letter, a decimal digit or a combining mark
  kLetterChar = 2,   // upper, lower, title, modifier or other letter
  kUpperChar = 4,    // upper or title case letter: lowered in the word's form
  kDigitChar = 8,    // decimal digit
  kLowerChar = 16,   // lower-case letter: a hyphen before it joins syllables
  kSpaceChar = 32,
};

uint8_t ComputeCharInfo(int32_t c) {
  if (c < 0) return 0;
  uint8_t info = 0;
  if (c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == 0xA0 || c == 0x200B ||
      (c > 0x7F && u_isUWhiteSpace(c))) {
    info |= kSpaceChar;
  }
  if (c < 0x80) {
    // ASCII by explicit ranges, as words of lexicon phrases are read.
    if (c >= 'A' && c <= 'Z') info |= kWordChar | kLetterChar | kUpperChar;
    if (c >= 'a' && c <= 'z') info |= kWordChar | kLetterChar | kLowerChar;
    if (c >= '0' && c <= '9') info |= kWordChar | kDigitChar;
    return info;
  }
  switch (u_charType(c)) {
    case U_UPPERCASE_LETTER:
    case U_TITLECASE_LETTER:
      info |= kWordChar | kLetterChar | kUpperChar;
      break;
    case U_LOWERCASE_LETTER:
      info |= kWordChar | kLetterChar | kLowerChar;
      break;
    case U_MODIFIER_LETTER:
    case U_OTHER_LETTER:
      info |= kWordChar | kLetterChar;
      break;
    case U_DECIMAL_DIGIT_NUMBER:
      info |= kWordChar | kDigitChar;
      break;
    case U_NON_SPACING_MARK:
    case U_COMBINING_SPACING_MARK:
      info |= kWordChar;
      break;
    default:
      break;
  }
  return info;
}

// Below U+3000: Latin with every Vietnamese letter, combining marks, general
// punctuation and the dashes; anything above is computed on the spot.
class CharTable {
 public:
  static constexpr int32_t kSize = 0x3000;
  CharTable() {
    for (int32_t c = 0; c < kSize; ++c) info_[c] = ComputeCharInfo(c);
  }
  uint8_t Info(int32_t c) const {
    return c >= 0 && c < kSize ? info_[c] : ComputeCharInfo(c);
  }

 private:
  uint8_t info_[kSize];
};

const CharTable& Chars() {
  static const CharTable table;
  return table;
}

// Writes the lower-cased form of a word that holds upper-case letters to
// `out`, which has room for twice the word's bytes (a character lowered never
// takes more than twice its bytes: ASCII stays ASCII, and no lower case is
// longer than four bytes), and returns its length. Every other character is
// kept byte for byte. Bytes are stored, not appended: this runs for every
// capitalized word.
size_t LowerWord(std::string_view word, const CharTable& chars, char* out) {
  size_t n = 0;
  size_t p = 0;
  while (p < word.size()) {
    const unsigned char b = static_cast<unsigned char>(word[p]);
    if (b < 0x80) {
      out[n++] = static_cast<char>(b >= 'A' && b <= 'Z' ? b + 32 : b);
      ++p;
      continue;
    }
    size_t q = p;
    const int32_t c = DecodeNext(word, &q);
    if (c >= 0 && (chars.Info(c) & kUpperChar)) {
      n += EncodeUtf8(ToLower(static_cast<char32_t>(c)), out + n);
    } else {
      std::memcpy(out + n, word.data() + p, q - p);
      n += q - p;
    }
    p = q;
  }
  return n;
}

}  // namespace

TokenType PunctuationType(int32_t c) {
  switch (c) {
    case ',': return TokenType::kComma;
    case ';': return TokenType::kSemicolon;
    case ':': return TokenType::kColon;
    case '.': return TokenType::kPeriod;
    case '-': case 0x2010: case 0x2011: case 0x2012: case 0x2013: case 0x2014: case 0x2212:
      return TokenType::kDash;
    case '(': return TokenType::kOpenParen;
    case ')': return TokenType::kCloseParen;
    default: return TokenType::kOther;
  }
}

[[gnu::always_inline]] inline uint32_t Vocabulary::FindShortInline(std::string_view lower) const {
  if (lower.size() == 1 && static_cast<unsigned char>(lower[0]) < 0x80) {
    return ascii_ids_[static_cast<unsigned char>(lower[0])];
  }
  return lower.size() <= max_length_ ? FindInline(lower) : kNoId;
}

uint32_t Vocabulary::FindShort(std::string_view lower) const { return FindShortInline(lower); }

void TokenizeForOfficials(std::string_view text, uint32_t begin, uint32_t end,
                          const Vocabulary& vocabulary, std::string* scratch,
                          std::vector<OfficialToken>* out) {
  const CharTable& chars = Chars();
  const auto* bytes = reinterpret_cast<const unsigned char*>(text.data());
  size_t pos = begin;
  bool space_before = true;
  while (pos < end) {
    // Most characters between words are plain spaces.
    if (bytes[pos] == ' ') {
      space_before = true;
      ++pos;
      continue;
    }
    size_t next = pos;
    const int32_t c = DecodeNext(text, &next);
    const uint8_t info = chars.Info(c);
    if (info & kSpaceChar) {
      space_before = true;
      pos = next;
      continue;
    }
    // The token is built in locals and stored once, at its end: fields set
    // one by one would each be a store to a token in memory.
    uint8_t flags = space_before ? kSpaceBefore : 0;
    space_before = false;
    if (!(info & kWordChar)) {
      const size_t token_end = std::min<size_t>(next, end);
      out->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(token_end),
                      vocabulary.FindShortInline(
                          std::string_view(text.data() + pos, token_end - pos)),
                      PunctuationType(c), flags});
      pos = next;
      continue;
    }
    // A word: letters and digits, with a '.' or '\'' kept inside when a letter
    // follows it (TP.HCM, PGS.TS, T.Ư) so abbreviations stay whole.
    int letters = 0, upper = 0;
    bool letters_only = true;
    auto count = [&](uint8_t ci) {
      if (ci & kDigitChar) {
        flags |= kHasDigit;
        letters_only = false;
      } else if (ci & kLetterChar) {
        if (letters == 0 && (ci & kUpperChar)) flags |= kCapitalized;
        ++letters;
        if (ci & kUpperChar) ++upper;
      }
    };
    count(info);  // the first character, a word character decoded above
    size_t p = next;
    while (p < end) {
      // Most characters of a word: a lower-case letter changes only the
      // count, and most of those are ASCII, told by the byte alone.
      if (static_cast<unsigned char>(bytes[p] - 'a') < 26) {
        ++letters;
        ++p;
        continue;
      }
      // And most words end at a plain space.
      if (bytes[p] == ' ') break;
      size_t q = p;
      const int32_t ch = DecodeNext(text, &q);
      const uint8_t ci = chars.Info(ch);
      if (ci & kLowerChar) {
        ++letters;
        p = q;
        continue;
      }
      if (!(ci & kWordChar)) {
        if (ch == '.' || ch == '\'' || ch == '&') {  // "TN&MT", "KH&ĐT"
          if (p == pos || q >= end) break;
          size_t r = q;
          const int32_t after = DecodeNext(text, &r);
          if (!(chars.Info(after) & kWordChar) || (after >= '0' && after <= '9')) break;
          if (ch == '.') flags |= kInnerDot;
          // "H'Yim", "Y'Bih": an Ede or Jrai name syllable after a one-letter
          // prefix is still a name syllable.
          if (!(ch == '\'' && p == pos + 1 && upper == 1 && letters == 1)) letters_only = false;
          p = q;
          continue;
        }
        // "Khăm-phăn", "Xay-nha-vông": syllables of a transcribed name joined
        // by hyphens stay one word; "Rịa-Vũng" (a capital after) and
        // "Covid-19" do not.
        if (ch == '-' && q < end) {
          size_t r = q;
          if (chars.Info(DecodeNext(text, &r)) & kLowerChar) {
            flags |= kInnerHyphen;
            p = q;
            continue;
          }
        }
        break;
      }
      count(ci);
      p = q;
    }
    if (letters >= 2 && upper == letters) flags |= kAllUpper;
    if (letters_only && letters > 0) flags |= kLettersOnly;
    // Only upper-case letters change when lower-cased: other words are
    // looked up as they stand.
    std::string_view form(text.data() + pos, p - pos);
    if (upper > 0) {
      if (scratch->size() < 2 * form.size()) scratch->resize(2 * form.size());
      form = std::string_view(scratch->data(), LowerWord(form, chars, scratch->data()));
    }
    out->push_back({static_cast<uint32_t>(pos), static_cast<uint32_t>(p),
                    vocabulary.FindShortInline(form), TokenType::kWord, flags});
    pos = p;
  }
}

bool PhraseTrie::Add(const std::vector<uint32_t>& ids, uint32_t value) {
  uint32_t node = 0;
  for (uint32_t id : ids) {
    if (node == 0) {
      if (root_.size() <= id) {
        root_.resize(id + 1, 0);
        root_size_ = static_cast<uint32_t>(root_.size());
      }
      if (root_[id] != 0) {
        node = root_[id];
        continue;
      }
      node = root_[id] = static_cast<uint32_t>(nodes_.size());
      nodes_.emplace_back();
      continue;
    }
    auto& next = nodes_[node].next;
    auto it = std::lower_bound(next.begin(), next.end(), std::make_pair(id, 0u),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it != next.end() && it->first == id) {
      node = it->second;
      continue;
    }
    const uint32_t child = static_cast<uint32_t>(nodes_.size());
    next.insert(it, {id, child});
    nodes_.emplace_back();  // may reallocate: `next` is not used after this
    node = child;
  }
  if (nodes_[node].value >= 0) return false;
  nodes_[node].value = value;
  return true;
}

PhraseTrie::Match PhraseTrie::LongestFrom(const std::vector<OfficialToken>& tokens, uint32_t pos,
                                          uint32_t end) const {
  Match best;
  uint32_t node = root_[tokens[pos].id];
  if (nodes_[node].value >= 0) best = {1, static_cast<uint32_t>(nodes_[node].value)};
  for (uint32_t i = pos + 1; i < end; ++i) {
    const uint32_t id = tokens[i].id;
    if (id == kNoId) break;
    const auto& next = nodes_[node].next;
    auto it = std::lower_bound(next.begin(), next.end(), std::make_pair(id, 0u),
                               [](const auto& a, const auto& b) { return a.first < b.first; });
    if (it == next.end() || it->first != id) break;
    node = it->second;
    if (nodes_[node].value >= 0) {
      best.length = i - pos + 1;
      best.value = static_cast<uint32_t>(nodes_[node].value);
    }
  }
  return best;
}

namespace {

// Turns a lexicon phrase into token ids, interning new words.
std::vector<uint32_t> PhraseIds(std::string_view phrase, Vocabulary* vocabulary) {
  // Tokenize against an empty vocabulary to get the spans, then intern each
  // lower-cased form.
  const Vocabulary empty;
  std::vector<OfficialToken> tokens;
  std::string scratch;
  TokenizeForOfficials(phrase, 0, static_cast<uint32_t>(phrase.size()), empty, &scratch, &tokens);
  std::vector<uint32_t> ids;
  ids.reserve(tokens.size());
  for (const OfficialToken& t : tokens) {
    ids.push_back(vocabulary->Intern(ToLowerUtf8(phrase.substr(t.begin, t.end - t.begin))));
  }
  return ids;
}

Expected<PlaceLevel> ParseLevel(std::string_view s, const LexiconTable& table,
                                const LexiconRow& row) {
  if (s == "city") return PlaceLevel::kCity;
  if (s == "province") return PlaceLevel::kProvince;
  if (s == "district") return PlaceLevel::kDistrict;
  if (s == "commune") return PlaceLevel::kCommune;
  if (s == "any") return PlaceLevel::kAny;
  return Status::Error(table.Where(row) + ": unknown level '" + std::string(s) +
                       "' (city, province, district, commune, any)");
}

Expected<LexiconTable> Load(const std::filesystem::path& dir, const char* name, size_t min_fields,
                            size_t max_fields) {
  LexiconSpec spec;
  spec.min_fields = min_fields;
  spec.max_fields = max_fields;
  spec.unique_key = true;
  spec.case_insensitive_key = false;
  return LoadLexiconTable(dir / name, spec);
}

Status Duplicate(const LexiconTable& table, const LexiconRow& row) {
  return Status::Error(table.Where(row) + ": '" + row.fields[0] +
                       "' is already listed (after normalization)");
}

}  // namespace

Expected<OfficialLexicon> OfficialLexicon::Load(const std::filesystem::path& dir) {
  auto normalizer = Normalizer::Create(dir);
  if (!normalizer.ok()) return normalizer.status();
  auto norm = [&](const std::string& s) { return normalizer->NormalizeString(s); };

  OfficialLexicon lex;

  // Organizations first: title heads refer to them for their implied body.
  auto orgs = official::Load(dir, "organizations.tsv", 2, 3);
  if (!orgs.ok()) return orgs.status();
  for (const LexiconRow& row : orgs->rows) {
    OrgEntry entry;
    entry.canonical = norm(row.fields[0]);
    const std::string& kind = row.fields[1];
    if (kind == "org") entry.kind = OrgKind::kOrg;
    else if (kind == "committee") entry.kind = OrgKind::kCommittee;
    else if (kind == "authority") entry.kind = OrgKind::kAuthority;
    else if (kind == "generic") entry.kind = OrgKind::kGeneric;
    else if (kind == "level") entry.kind = OrgKind::kLevel;
    else if (kind == "connector") entry.kind = OrgKind::kConnector;
    else {
      return Status::Error(orgs->Where(row) + ": unknown kind '" + kind +
                           "' (org, committee, authority, generic, level, connector)");
    }
    if (row.fields.size() > 2 && entry.kind == OrgKind::kGeneric && row.fields[2] == "lower") {
      entry.lower_after_title = true;
    } else if (row.fields.size() > 2) {
      auto level = ParseLevel(row.fields[2], *orgs, row);
      if (!level.ok()) return level.status();
      entry.level = *level;
    }
    const bool needs_level = entry.kind == OrgKind::kCommittee || entry.kind == OrgKind::kLevel ||
                             entry.kind == OrgKind::kAuthority;
    if (needs_level && entry.level == PlaceLevel::kNone) {
      return Status::Error(orgs->Where(row) + ": kind '" + kind + "' needs a level column");
    }
    if (!lex.orgs.Add(PhraseIds(entry.canonical, &lex.vocabulary),
                      static_cast<uint32_t>(lex.org_entries.size()))) {
      return Duplicate(*orgs, row);
    }
    lex.org_entries.push_back(std::move(entry));
  }

  auto titles = official::Load(dir, "titles.tsv", 2, 3);
  if (!titles.ok()) return titles.status();
  for (const LexiconRow& row : titles->rows) {
    TitleEntry entry;
    entry.canonical = norm(row.fields[0]);
    const std::string& kind = row.fields[1];
    if (kind == "head") entry.kind = TitleKind::kHead;
    else if (kind == "prefix") entry.kind = TitleKind::kPrefix;
    else if (kind == "modifier") entry.kind = TitleKind::kModifier;
    else {
      return Status::Error(titles->Where(row) + ": unknown kind '" + kind +
                           "' (head, prefix, modifier)");
    }
    if (row.fields.size() > 2 && !row.fields[2].empty()) {
      entry.implied_org = norm(row.fields[2]);
      // The implied body behaves like the same words written in the text.
      std::vector<uint32_t> ids = PhraseIds(entry.implied_org, &lex.vocabulary);
      std::vector<OfficialToken> probe;
      for (uint32_t id : ids) {
        OfficialToken t;
        t.id = id;
        probe.push_back(t);
      }
      auto m = lex.orgs.Longest(probe, 0, static_cast<uint32_t>(probe.size()));
      if (m.length == probe.size()) {
        entry.implied_kind = lex.org_entries[m.value].kind;
        entry.implied_level = lex.org_entries[m.value].level;
      }
    }
    if (!lex.titles.Add(PhraseIds(entry.canonical, &lex.vocabulary),
                        static_cast<uint32_t>(lex.title_entries.size()))) {
      return Duplicate(*titles, row);
    }
    lex.title_entries.push_back(std::move(entry));
  }

  auto places = official::Load(dir, "places.tsv", 3, 4);
  if (!places.ok()) return places.status();
  StringIdMap place_ids;
  for (const LexiconRow& row : places->rows) {
    PlaceEntry entry;
    const std::string name = norm(row.fields[1]);
    auto level = ParseLevel(row.fields[2], *places, row);
    if (!level.ok()) return level.status();
    if (*level != PlaceLevel::kCity && *level != PlaceLevel::kProvince) {
      return Status::Error(places->Where(row) + ": a place is a city or a province");
    }
    auto it = place_ids.find(name);
    if (it == place_ids.end()) {
      Place place;
      place.name = name;
      place.level = *level;
      const std::string& word =
          *level == PlaceLevel::kCity ? lex.city_level_word : lex.province_level_word;
      place.name_has_level = ToLowerUtf8(name).rfind(word + " ", 0) == 0;
      it = place_ids.emplace(name, static_cast<uint32_t>(lex.places.size())).first;
      lex.places.push_back(std::move(place));
    } else if (lex.places[it->second].level != *level) {
      return Status::Error(places->Where(row) + ": '" + name + "' listed with two levels");
    }
    entry.place = it->second;
    if (row.fields.size() > 3) {
      if (row.fields[3] == "needs_level") entry.needs_level = true;
      else if (row.fields[3] == "includes_level") entry.includes_level = true;
      else {
        return Status::Error(places->Where(row) + ": unknown flag '" + row.fields[3] +
                             "' (needs_level, includes_level)");
      }
    }
    if (!lex.places_trie.Add(PhraseIds(norm(row.fields[0]), &lex.vocabulary),
                             static_cast<uint32_t>(lex.place_entries.size()))) {
      return Duplicate(*places, row);
    }
    lex.place_entries.push_back(entry);
  }

  auto ranks = official::Load(dir, "ranks.tsv", 2, 2);
  if (!ranks.ok()) return ranks.status();
  for (const LexiconRow& row : ranks->rows) {
    const std::string& kind = row.fields[1];
    if (kind != "military" && kind != "academic" && kind != "honorific") {
      return Status::Error(ranks->Where(row) + ": unknown kind '" + kind +
                           "' (military, academic, honorific)");
    }
    std::string rank = norm(row.fields[0]);
    if (!lex.ranks.Add(PhraseIds(rank, &lex.vocabulary),
                       static_cast<uint32_t>(lex.rank_entries.size()))) {
      return Duplicate(*ranks, row);
    }
    lex.rank_entries.push_back(std::move(rank));
  }

  auto cues = official::Load(dir, "person_cues.tsv", 2, 3);
  if (!cues.ok()) return cues.status();
  for (const LexiconRow& row : cues->rows) {
    CueEntry entry;
    const std::string& kind = row.fields[1];
    if (kind == "person") entry.kind = CueKind::kPerson;
    else if (kind == "former") entry.kind = CueKind::kFormer;
    else if (kind == "appointed") entry.kind = CueKind::kAppointed;
    else if (kind == "owner") entry.kind = CueKind::kOwner;
    else if (kind == "joiner") entry.kind = CueKind::kJoiner;
    else {
      return Status::Error(cues->Where(row) + ": unknown kind '" + kind +
                           "' (person, former, appointed, owner, joiner)");
    }
    if (row.fields.size() > 2 && !row.fields[2].empty()) {
      if (entry.kind != CueKind::kPerson) {
        return Status::Error(cues->Where(row) + ": only a person cue names a rule variant");
      }
      entry.rule_tag = row.fields[2];
    }
    if (!lex.cues.Add(PhraseIds(norm(row.fields[0]), &lex.vocabulary),
                      static_cast<uint32_t>(lex.cue_entries.size()))) {
      return Duplicate(*cues, row);
    }
    lex.cue_entries.push_back(std::move(entry));
  }

  auto terms = extract::LoadTermWords(dir, *normalizer);
  if (!terms.ok()) return terms.status();
  for (const extract::TermWord& w : *terms) {
    if (w.roman) lex.term_words.Add(PhraseIds(w.lower, &lex.vocabulary), w.arabic ? 1 : 0);
  }

  auto continuations = official::Load(dir, "org_name_words.tsv", 1, 2);
  if (!continuations.ok()) return continuations.status();
  for (const LexiconRow& row : continuations->rows) {
    const std::string after = row.fields.size() > 1 ? row.fields[1] : "";
    if (!after.empty() && after != "body") {
      return Status::Error(continuations->Where(row) + ": unknown second column '" + after +
                           "' (empty or body)");
    }
    const uint32_t value = after.empty() ? kContinuesName : kContinuesBody;
    if (!lex.name_continuations.Add(PhraseIds(norm(row.fields[0]), &lex.vocabulary), value)) {
      return Duplicate(*continuations, row);
    }
  }

  auto abbreviations = official::Load(dir, "abbreviations.tsv", 1, 2);
  if (!abbreviations.ok()) return abbreviations.status();
  for (const LexiconRow& row : abbreviations->rows) {
    if (row.fields.size() < 2 || row.fields[1].empty()) continue;
    std::string form = norm(row.fields[0]);
    // Forms ending in '.' are matched without it: the dot is its own token.
    if (form.size() > 1 && form.back() == '.') form.pop_back();
    lex.abbreviations.emplace(std::move(form), norm(row.fields[1]));
  }

  if (Status status = lex.syllables.Load(dir / "syllable_structure.tsv"); !status.ok()) {
    return status;
  }
  auto countries = official::Load(dir, "countries.tsv", 1, 1);
  if (!countries.ok()) return countries.status();
  for (const LexiconRow& row : countries->rows) {
    if (!lex.countries.Add(PhraseIds(norm(row.fields[0]), &lex.vocabulary), 0)) {
      return Duplicate(*countries, row);
    }
  }

  auto surnames = official::Load(dir, "surnames.txt", 1, 1);
  if (!surnames.ok()) return surnames.status();
  std::vector<std::pair<uint32_t, int32_t>> surname_ids;
  int32_t rank = 0;
  for (const LexiconRow& row : surnames->rows) {
    const std::string name = norm(row.fields[0]);
    std::vector<uint32_t> ids = PhraseIds(name, &lex.vocabulary);
    if (ids.size() != 1) {
      return Status::Error(surnames->Where(row) + ": a family name is one syllable");
    }
    surname_ids.emplace_back(ids[0], rank++);
  }
  auto middle_names = official::Load(dir, "middle_names.txt", 1, 1);
  if (!middle_names.ok()) return middle_names.status();
  std::vector<uint32_t> middle_ids;
  for (const LexiconRow& row : middle_names->rows) {
    std::vector<uint32_t> ids = PhraseIds(norm(row.fields[0]), &lex.vocabulary);
    if (ids.size() != 1) {
      return Status::Error(middle_names->Where(row) + ": a middle name is one syllable");
    }
    middle_ids.push_back(ids[0]);
  }
  // Sized after every lexicon has added its words to the vocabulary.
  lex.surname_rank.assign(lex.vocabulary.size(), -1);
  for (const auto& [id, r] : surname_ids) {
    if (lex.surname_rank[id] < 0) lex.surname_rank[id] = r;
  }
  lex.middle_name.assign(lex.vocabulary.size(), false);
  for (uint32_t id : middle_ids) lex.middle_name[id] = true;
  return lex;
}

}  // namespace official
}  // namespace vnfacts
