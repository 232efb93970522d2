#include "pipeline/segmenter_model.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <unordered_map>
#include <unordered_set>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts::seg {

namespace {

constexpr uint32_t kBaseMask = 0x1FFFFF;
constexpr uint32_t kToneShift = 21;
constexpr uint32_t kUpperBit = 1u << 24;
constexpr uint32_t kLetterBit = 1u << 25;
constexpr uint32_t kDigitBit = 1u << 26;
constexpr uint32_t kClassShift = 24;  // upper, letter and digit bits as a 3-bit class

// What a code point of a class adds to Scan's packed counters (letters,
// uppers, digits, others in 16-bit fields), indexed by the class bits.
constexpr uint64_t kCountOfClass[8] = {
    1ULL << 48,               // neither letter nor digit
    1ULL << 48,               // (upper without letter: not produced)
    1,                        // letter
    1 | (1ULL << 16),         // upper-case letter
    1ULL << 32,               // digit
    1ULL << 32, 1ULL << 32, 1ULL << 32,
};

// The five Vietnamese tone marks as combining characters, numbered 1..5.
int ToneOf(UChar32 mark) {
  switch (mark) {
    case 0x0300: return 1;  // huyền
    case 0x0301: return 2;  // sắc
    case 0x0303: return 3;  // ngã
    case 0x0309: return 4;  // hỏi
    case 0x0323: return 5;  // nặng
    default: return 0;
  }
}

bool HasBar(std::string_view text) { return text.find('|') != std::string_view::npos; }

}  // namespace

const TemplateSpec kTemplates[kNumTemplates] = {
    {"b", ""},          {"w-1", "S"},      {"w0", "S"},         {"w1", "S"},
    {"w2", "S"},        {"w-1w0", "SS"},   {"w0w1", "SS"},      {"w1w2", "SS"},
    {"w-1w0w1", "SSS"}, {"w0w1w2", "SSS"}, {"s0s1", "HH"},
    {"s-1s0s1s2", "HHHH"}, {"w0s1", "SH"}, {"s0w1", "HS"},      {"d", "DDD"},
    {"ds", "DHH"},      {"dk", "DHH"},     {"dn", "D"},         {"mm", "DD"},
    {"kn", "DDHH"},     {"tr", "DD"},
};


uint64_t FeatureHash(Template t, std::initializer_list<uint64_t> atoms) {
  uint64_t h = Combine(0xFEA7u, t + 1);
  for (uint64_t a : atoms) h = Combine(h, a);
  return Finish(h);
}

// ---------------------------------------------------------------- keyer

Expected<SyllableKeyer> SyllableKeyer::Create() {
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfd = icu::Normalizer2::getNFDInstance(status);
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) {
    return Status::Error(std::string("word segmenter: ICU normalizer unavailable: ") +
                         u_errorName(status));
  }
  SyllableKeyer k;
  k.fold_.resize(kTableSize);
  for (UChar32 c = 0; c < static_cast<UChar32>(kTableSize); ++c) {
    uint32_t entry = static_cast<uint32_t>(c);
    if (u_isalpha(c)) {
      entry = kLetterBit | (u_isupper(c) ? kUpperBit : 0);
      const UChar32 lower = u_tolower(c);
      uint32_t base = static_cast<uint32_t>(lower);
      int tone = 0;
      if (lower >= 0x80) {
        // Decompose, drop the tone mark, recompose what is left (ư, ê, ă...).
        icu::UnicodeString decomposed = nfd->normalize(icu::UnicodeString(lower), status);
        icu::UnicodeString rest;
        for (int32_t i = 0; i < decomposed.length();) {
          const UChar32 d = decomposed.char32At(i);
          i += U16_LENGTH(d);
          if (const int t = ToneOf(d); t != 0) {
            tone = t;
          } else {
            rest.append(d);
          }
        }
        icu::UnicodeString composed = nfc->normalize(rest, status);
        if (U_FAILURE(status)) return Status::Error("word segmenter: ICU normalization failed");
        if (composed.countChar32() == 1) base = static_cast<uint32_t>(composed.char32At(0));
        else tone = 0;
      }
      entry |= (base & kBaseMask) | (static_cast<uint32_t>(tone) << kToneShift);
    } else if (c >= '0' && c <= '9') {
      entry |= kDigitBit;
    }
    k.fold_[c] = entry;
  }
  k.begin_key_ = k.Key("<s>");
  k.end_key_ = k.Key("</s>");
  k.number_key_ = k.Key("#N");
  k.punct_key_ = k.Key("#P");
  k.other_key_ = k.Key("#O");
  k.FillByteUnits();
  return k;
}

// One pass over the token: the fold hash (lower-cased, tone separated) and
// the letter/case/digit counts that decide its shape. Key() and Analyze()
// share it so a token is decoded once.
struct SyllableKeyer::Scan {
  uint64_t hash = 0;
  size_t letters = 0, uppers = 0, digits = 0, others = 0;
  bool first_upper = false;
};

// Table entry (fold_ layout) of a code point, for any code point; the ones
// past the table go through ICU.
uint32_t SyllableKeyer::EntryOf(int32_t c) const {
  if (c < 0) return 0xFFFD;
  if (static_cast<uint32_t>(c) < kTableSize) return fold_[c];
  const char32_t cp = static_cast<char32_t>(c);
  if (IsLetter(cp)) {
    return kLetterBit | (IsUpper(cp) ? kUpperBit : 0) | (ToLower(cp) & kBaseMask);
  }
  return (u_isdigit(c) ? kDigitBit : 0) | (ToLower(cp) & kBaseMask);
}

// Runs once per token of every sentence not memoized, so it is written for
// speed: each code point becomes one table entry, whose class bits select
// what to add to four counters packed in one word (16 bits each, emptied
// into the totals every 65,535 bytes). Inlined into Analyze(), its one hot
// caller.
[[gnu::always_inline]] inline SyllableKeyer::Scan SyllableKeyer::ScanToken(
    std::string_view text) const {
  Scan scan;
  uint64_t h = 0xCBF29CE484222325ULL;
  uint32_t tone = 0;
  uint32_t first = 0;
  // A local, so that the loop keeps it in a register: a member would be
  // reloaded after every store.
  const uint32_t* fold = fold_.data();
  size_t pos = 0;
  while (pos < text.size()) {
    const size_t chunk_end = std::min(text.size(), pos + 0xFFFF);
    uint64_t counts = 0;
    while (pos < chunk_end) {
      const int32_t c = DecodeNext(text, &pos);
      const uint32_t e = c >= 0 && static_cast<uint32_t>(c) < kTableSize ? fold[c] : EntryOf(c);
      if (first == 0) first = e | 0x80000000u;
      h = (h ^ (e & kBaseMask)) * 0x100000001B3ULL;
      const uint32_t t = (e >> kToneShift) & 7;
      tone = t != 0 ? t : tone;
      counts += kCountOfClass[(e >> kClassShift) & 7];
    }
    scan.letters += counts & 0xFFFF;
    scan.uppers += (counts >> 16) & 0xFFFF;
    scan.digits += (counts >> 32) & 0xFFFF;
    scan.others += counts >> 48;
  }
  scan.hash = Mix(h, tone);
  scan.first_upper = (first & (kLetterBit | kUpperBit)) == (kLetterBit | kUpperBit);
  return scan;
}

void SyllableKeyer::BytesOf(const char* text, size_t length, uint64_t* head, uint64_t* tail) {
  if (length >= 8) {
    std::memcpy(head, text, 8);
    std::memcpy(tail, text + length - 8, 8);
  } else if (length >= 4) {
    uint32_t h, t;
    std::memcpy(&h, text, 4);
    std::memcpy(&t, text + length - 4, 4);
    *head = h;
    *tail = t;
  } else {
    *head = static_cast<uint64_t>(static_cast<uint8_t>(text[0])) |
            static_cast<uint64_t>(static_cast<uint8_t>(text[length / 2])) << 8 |
            static_cast<uint64_t>(static_cast<uint8_t>(text[length - 1])) << 16;
    *tail = 0;
  }
}

size_t SyllableKeyer::MemoHash(uint64_t head, uint64_t tail, size_t length) {
  const uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ length;
  return static_cast<size_t>(h ^ (h >> 29));
}

// Inlined into Analyze(), which runs for every token.
[[gnu::always_inline]] inline const SyllableKeyer::MemoSlot* SyllableKeyer::FindMemo(
    std::string_view token) const {
  const size_t length = token.size();
  if (length - 1 >= kMaxMemoBytes || memo_.empty()) return nullptr;
  uint64_t head, tail;
  BytesOf(token.data(), length, &head, &tail);
  for (size_t i = MemoHash(head, tail, length) & memo_mask_;; i = (i + 1) & memo_mask_) {
    const MemoSlot& slot = memo_[i];
    if (slot.length == length && slot.head == head && slot.tail == tail) return &slot;
    if (slot.length == 0) return nullptr;
  }
}

uint64_t SyllableKeyer::Key(std::string_view text) const {
  // A joinable unit is letters only, and AnalyzeByScan() keys such a token by
  // the scan's hash: the memo has the key of a memoized one.
  if (const MemoSlot* slot = FindMemo(text); slot != nullptr && slot->joinable) return slot->key;
  return ScanToken(text).hash;
}

void SyllableKeyer::Memoize(const std::vector<std::string>& tokens,
                            const std::vector<uint32_t>& unigrams) {
  std::vector<MemoSlot> slots;
  slots.reserve(tokens.size());
  for (size_t t = 0; t < tokens.size(); ++t) {
    const std::string& token = tokens[t];
    if (token.empty() || token.size() > kMaxMemoBytes) continue;
    const Unit u = AnalyzeByScan(token);
    MemoSlot slot;
    BytesOf(token.data(), token.size(), &slot.head, &slot.tail);
    slot.key = u.key;
    slot.length = static_cast<uint8_t>(token.size());
    slot.shape = u.shape;
    slot.joinable = u.joinable;
    if (t < unigrams.size()) {
      slot.unigram = unigrams[t];
      slot.unigram_known = true;
    }
    slots.push_back(slot);
  }
  // Load factor at most 1/2: most lookups hit, and a hit ends its probe.
  size_t capacity = 16;
  while (capacity < slots.size() * 2) capacity *= 2;
  // A fresh vector rather than assign(): a smaller memo replacing a larger
  // one (WordSegmenter::Create memoizes twice) gives its memory back.
  memo_ = std::vector<MemoSlot>(capacity);
  memo_mask_ = capacity - 1;
  memo_count_ = 0;
  for (const MemoSlot& slot : slots) {
    for (size_t i = MemoHash(slot.head, slot.tail, slot.length) & memo_mask_;;
         i = (i + 1) & memo_mask_) {
      MemoSlot& at = memo_[i];
      if (at.length == 0) {
        at = slot;
        ++memo_count_;
        break;
      }
      if (at.length == slot.length && at.head == slot.head && at.tail == slot.tail) break;
    }
  }
  FillByteUnits();
}

Unit SyllableKeyer::Analyze(std::string_view token) const {
  if (token.size() == 1) return byte_units_[static_cast<unsigned char>(token[0])];
  return AnalyzeGeneral(token);
}

void SyllableKeyer::FillByteUnits() {
  for (int b = 0; b < 256; ++b) {
    const char c = static_cast<char>(b);
    byte_units_[b] = AnalyzeGeneral(std::string_view(&c, 1));
  }
}

Unit SyllableKeyer::AnalyzeGeneral(std::string_view token) const {
  if (const MemoSlot* slot = FindMemo(token)) {
    Unit u;
    u.key = slot->key;
    u.shape = slot->shape;
    u.joinable = slot->joinable;
    u.unigram_known = slot->unigram_known;
    u.unigram = slot->unigram;
    return u;
  }
  // Any digit makes a number (AnalyzeByScan's first test), so a number need
  // not be scanned to the end.
  if (!token.empty() && token[0] >= '0' && token[0] <= '9') {
    Unit u;
    u.key = number_key_;
    u.shape = Shape::kNumber;
    return u;
  }
  return AnalyzeByScan(token);
}

Unit SyllableKeyer::AnalyzeByScan(std::string_view token) const {
  const Scan scan = ScanToken(token);
  Unit u;
  if (scan.digits > 0) {
    u.key = number_key_;
    u.shape = Shape::kNumber;
    return u;
  }
  if (scan.letters == 0) {
    u.key = HasBar(token) ? punct_key_ : scan.hash;
    u.shape = Shape::kPunct;
    return u;
  }
  if (scan.others > 0) {
    u.key = HasBar(token) ? other_key_ : scan.hash;
    u.shape = Shape::kOther;
    return u;
  }
  u.key = scan.hash;
  u.joinable = true;
  if (scan.uppers == 0) {
    u.shape = Shape::kLower;
  } else if (scan.first_upper && scan.uppers == 1) {
    u.shape = Shape::kTitle;
  } else if (scan.uppers == scan.letters) {
    u.shape = Shape::kCaps;
  } else {
    u.shape = Shape::kMixed;
  }
  return u;
}

std::string SyllableKeyer::Name(std::string_view token) const {
  const Unit u = Analyze(token);
  if (u.shape == Shape::kNumber) return "#N";
  if (u.shape == Shape::kPunct && u.key == punct_key_) return "#P";
  if (u.shape == Shape::kOther && u.key == other_key_) return "#O";
  return ToLowerUtf8(token);
}

// ---------------------------------------------------------------- tables

void FlatTable::Build(const std::vector<std::pair<uint64_t, uint32_t>>& entries) {
  // Load factor at most 1/4. Most probes of running text are misses (n-grams
  // in no table), and a miss walks its whole cluster: at the former bound of
  // 0.7 (0.45 in practice) the segmenter ran about 11% slower than here, for
  // a table of 2 MB instead of 4 (measured with `segmenter_tool bench`).
  size_t capacity = 16;
  while (capacity < entries.size() * 4) capacity *= 2;
  slots_.assign(capacity, Slot{});
  mask_ = capacity - 1;
  size_ = 0;
  for (const auto& [key, value] : entries) {
    const uint32_t print = Print(key);
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      Slot& s = slots_[i];
      if (s.print == print) {
        s.value = value;  // a repeated key (or a 2^-32 fingerprint clash) keeps the last
        break;
      }
      if (s.print == 0) {
        s.print = print;
        s.value = value;
        ++size_;
        break;
      }
    }
  }
}

namespace {

// Syllable keys of a word written with spaces between syllables, or empty
// when a syllable is not letters only (idioms with commas, hyphenated loans).
// Fills `units` (a buffer the caller reuses from word to word).
void WordUnits(const SyllableKeyer& keyer, std::string_view word, std::vector<Unit>* units) {
  units->clear();
  size_t start = 0;
  while (start <= word.size()) {
    size_t space = word.find(' ', start);
    if (space == std::string_view::npos) space = word.size();
    if (space > start) {
      const Unit u = keyer.Analyze(word.substr(start, space - start));
      if (!u.joinable) {
        units->clear();
        return;
      }
      units->push_back(u);
    }
    start = space + 1;
  }
}
std::vector<Unit> WordUnits(const SyllableKeyer& keyer, std::string_view word) {
  std::vector<Unit> units;
  WordUnits(keyer, word, &units);
  return units;
}

// Adds the words' dictionary flags to `flags`; returns the number of
// distinct multi-syllable words.
size_t AddWords(const SyllableKeyer& keyer, const std::vector<std::string>& words,
                std::unordered_map<uint64_t, uint32_t>* flags) {
  size_t count = 0;
  std::vector<Unit> units;
  for (const std::string& word : words) {
    WordUnits(keyer, word, &units);
    if (units.empty()) continue;
    for (const Unit& u : units) (*flags)[ExtendSequence(kSequenceStart, u.key)] |= kDictSyllable;
    if (units.size() < 2 || units.size() > kMaxWordSyllables) continue;
    const bool proper = units[0].shape == Shape::kTitle || units[0].shape == Shape::kCaps;
    uint64_t seq = kSequenceStart;
    for (size_t i = 0; i < units.size(); ++i) {
      seq = ExtendSequence(seq, units[i].key);
      if (i + 1 < units.size()) {
        (*flags)[seq] |= kDictPrefix;
      } else {
        uint32_t& f = (*flags)[seq];
        if (!(f & kDictWord)) ++count;
        f |= kDictWord | (proper ? kDictProper : kDictCommon);
      }
    }
  }
  return count;
}

std::vector<std::pair<uint64_t, uint32_t>> Entries(
    const std::unordered_map<uint64_t, uint32_t>& map) {
  return std::vector<std::pair<uint64_t, uint32_t>>(map.begin(), map.end());
}

bool ConstantOnly(Template t) {
  return kTemplates[t].atoms.find('S') == std::string_view::npos;
}

int Radix(char kind) { return kind == 'H' ? kShapeCount : 10; }

// Index of a constant atom (a shape or digit char) within its radix, or -1.
int AtomIndex(char kind, uint64_t atom) {
  if (kind == 'H') return ShapeIndex(static_cast<char>(atom));
  return atom >= '0' && atom <= '9' ? static_cast<int>(atom - '0') : -1;
}

uint64_t HashOf(const FeatureWeight& f) {
  const auto& a = f.atoms;
  switch (kTemplates[f.t].atoms.size()) {
    case 0: return FeatureHash(f.t, {});
    case 1: return FeatureHash(f.t, {a[0]});
    case 2: return FeatureHash(f.t, {a[0], a[1]});
    case 3: return FeatureHash(f.t, {a[0], a[1], a[2]});
    default: return FeatureHash(f.t, {a[0], a[1], a[2], a[3]});
  }
}

}  // namespace

std::vector<std::string> SyllableSpellings(const std::vector<std::string>& words) {
  // The word list repeats its syllables (about 170,000 occurrences of some
  // 8,000 syllables), so each distinct syllable is spelled out once, in the
  // order of its first occurrence. A later occurrence of a syllable would only
  // add spellings its first occurrence added already, so the result (order
  // included) is what spelling out every occurrence gives.
  //
  // The distinct syllables are found with an open-addressing set of indices
  // into `distinct`, hashed like the keyer's memo (a syllable's first and last
  // eight bytes and its length; equal hashes are compared in full):
  // std::unordered_set spent more on hashing and on its nodes than the rest
  // of the function.
  std::vector<std::string_view> distinct;
  std::vector<uint32_t> slots(1 << 14, 0);  // index + 1 into `distinct`; 0: empty
  size_t mask = slots.size() - 1;
  auto hash = [](std::string_view s) {
    uint64_t head = 0, tail = 0;
    std::memcpy(&head, s.data(), std::min<size_t>(s.size(), 8));
    if (s.size() > 8) std::memcpy(&tail, s.data() + s.size() - 8, 8);
    const uint64_t h = (head * 0x9E3779B97F4A7C15ULL) ^ (tail * 0xC2B2AE3D27D4EB4FULL) ^ s.size();
    return static_cast<size_t>(h ^ (h >> 29));
  };
  auto insert = [&](std::string_view syllable) {
    for (size_t i = hash(syllable) & mask;; i = (i + 1) & mask) {
      if (slots[i] == 0) {
        distinct.push_back(syllable);
        slots[i] = static_cast<uint32_t>(distinct.size());
        return true;
      }
      if (distinct[slots[i] - 1] == syllable) return false;
    }
  };
  for (const std::string& word : words) {
    size_t begin = 0;
    while (begin < word.size()) {
      size_t end = word.find(' ', begin);
      if (end == std::string::npos) end = word.size();
      const std::string_view syllable = std::string_view(word).substr(begin, end - begin);
      begin = end + 1;
      if (syllable.empty() || !insert(syllable)) continue;
      if (2 * distinct.size() > slots.size()) {  // keep the load at most 1/2
        std::vector<uint32_t> grown(2 * slots.size(), 0);
        slots.swap(grown);
        mask = slots.size() - 1;
        for (uint32_t index = 1; index <= distinct.size(); ++index) {
          size_t i = hash(distinct[index - 1]) & mask;
          while (slots[i] != 0) i = (i + 1) & mask;
          slots[i] = index;
        }
      }
    }
  }
  std::unordered_set<std::string> seen;
  seen.reserve(3 * distinct.size());
  std::vector<std::string> spellings;
  auto add = [&](std::string s) {
    if (!s.empty() && seen.insert(s).second) spellings.push_back(std::move(s));
  };
  for (const std::string_view syllable : distinct) {
    add(std::string(syllable));
    std::string lower = ToLowerUtf8(syllable);
    size_t pos = 0;
    const int32_t first = NextCodePoint(lower, &pos);
    if (first >= 0) {
      std::string title;
      AppendUtf8(ToUpper(static_cast<char32_t>(first)), &title);
      title.append(lower, pos);
      add(std::move(title));
    }
    add(std::move(lower));
  }
  return spellings;
}

Expected<SegmenterWords> LoadSegmenterWords(const SyllableKeyer& keyer,
                                            const std::filesystem::path& lexicon_dir,
                                            const std::filesystem::path& dictionary_path) {
  // The general list has case variants of one word on separate lines, so
  // duplicates are expected there; words.tsv is ours and must not repeat.
  auto general = LoadLexiconTable(dictionary_path, LexiconSpec{1, 1, false, false});
  if (!general.ok()) {
    return Status::Error(general.status().message() +
                         " (the general dictionary is installed by scripts/setup.sh)");
  }
  auto project = LoadLexiconTable(lexicon_dir / "words.tsv", LexiconSpec{1, 2, true, true});
  if (!project.ok()) return project.status();
  SegmenterWords words;
  for (const LexiconRow& row : project->rows) {
    const std::string& w = row.fields[0];
    const std::vector<Unit> units = WordUnits(keyer, w);
    if (units.empty()) {
      return Status::Error(project->Where(row) + ": '" + w +
                           "': syllables must be letters only, separated by spaces");
    }
    if (units.size() < 2 || units.size() > kMaxWordSyllables) {
      return Status::Error(project->Where(row) + ": '" + w + "' must have 2 to " +
                           std::to_string(kMaxWordSyllables) + " syllables");
    }
    words.project.push_back(w);
  }
  auto heads = LoadLexiconTable(lexicon_dir / "name_heads.tsv", LexiconSpec{1, 1, true, true});
  if (!heads.ok()) return heads.status();
  for (const LexiconRow& row : heads->rows) {
    const std::string& w = row.fields[0];
    const std::vector<Unit> units = WordUnits(keyer, w);
    if (units.empty() || units.size() > 3) {
      return Status::Error(heads->Where(row) + ": '" + w +
                           "': a name head is one to three letter syllables");
    }
    words.heads.push_back(w);
  }
  words.general.reserve(general->rows.size() + words.project.size());
  for (LexiconRow& row : general->rows) words.general.push_back(std::move(row.fields[0]));
  words.general.insert(words.general.end(), words.project.begin(), words.project.end());
  return words;
}

// ---------------------------------------------------------------- model

SegmenterModel SegmenterModel::Build(const SyllableKeyer& keyer, const SegmenterWords& words,
                                     const std::vector<FeatureWeight>& features,
                                     const float trans[2][2]) {
  SegmenterModel m;
  m.begin_key_ = keyer.begin_key();
  m.end_key_ = keyer.end_key();
  for (int p = 0; p < 2; ++p) {
    for (int c = 0; c < 2; ++c) m.trans_[p][c] = trans[p][c];
  }
  std::unordered_map<uint64_t, uint32_t> entries;
  entries.reserve(words.general.size() * 2 + features.size());
  m.dictionary_words_ = AddWords(keyer, words.general, &entries);

  // Dense arrays for the constant-only templates.
  uint32_t dense_size = 0;
  for (int t = 0; t < kNumTemplates; ++t) {
    if (!ConstantOnly(static_cast<Template>(t)) || t == kTransition) continue;
    m.dense_offset_[t] = dense_size;
    uint32_t size = 1;
    for (char kind : kTemplates[t].atoms) size *= Radix(kind);
    dense_size += size;
  }
  m.dense_.assign(dense_size, 0.0f);

  // N-gram records, keyed like dictionary sequences.
  std::unordered_map<uint64_t, uint32_t> records;  // sequence -> pool offset
  m.pool_.assign(kUniSize, 0.0f);  // the shared record of n-grams without weights
  records.reserve(features.size());
  // Sequences that a longer entry extends, for kHasLonger.
  std::vector<uint64_t> extended;
  auto record = [&](uint64_t seq, uint32_t size) -> float* {
    auto [it, inserted] = records.emplace(seq, static_cast<uint32_t>(m.pool_.size()));
    if (inserted) m.pool_.resize(m.pool_.size() + size, 0.0f);
    return m.pool_.data() + it->second;
  };
  auto seq_of = [&](uint64_t start, std::initializer_list<uint64_t> keys) {
    uint64_t seq = start;
    for (uint64_t k : keys) {
      if (seq != start) extended.push_back(seq);
      seq = ExtendSequence(seq, k);
    }
    return seq;
  };
  std::vector<std::pair<uint64_t, uint32_t>> reference;
  for (const FeatureWeight& f : features) {
    if (f.t == kTransition) continue;
    ++m.feature_count_;
    reference.emplace_back(HashOf(f), static_cast<uint32_t>(m.reference_.size() + 1));
    m.reference_.emplace_back(HashOf(f), f.weight);
    const auto& a = f.atoms;
    if (ConstantOnly(f.t)) {
      uint32_t index = 0;
      const std::string_view kinds = kTemplates[f.t].atoms;
      for (size_t i = 0; i < kinds.size(); ++i) {
        index = index * Radix(kinds[i]) + static_cast<uint32_t>(AtomIndex(kinds[i], a[i]));
      }
      m.dense_[m.dense_offset_[f.t] + index] += f.weight;
      continue;
    }
    switch (f.t) {
      case kW_1: record(seq_of(kSequenceStart, {a[0]}), kUniSize)[kUniPrev] += f.weight; break;
      case kW0: record(seq_of(kSequenceStart, {a[0]}), kUniSize)[kUniLeft] += f.weight; break;
      case kW1: record(seq_of(kSequenceStart, {a[0]}), kUniSize)[kUniRight] += f.weight; break;
      case kW2: record(seq_of(kSequenceStart, {a[0]}), kUniSize)[kUniNext] += f.weight; break;
      case kW0S1:
        record(seq_of(kSequenceStart, {a[0]}), kUniSize)
            [kUniLeftShape + ShapeIndex(static_cast<char>(a[1]))] += f.weight;
        break;
      case kS0W1:
        record(seq_of(kSequenceStart, {a[1]}), kUniSize)
            [kUniRightShape + ShapeIndex(static_cast<char>(a[0]))] += f.weight;
        break;
      case kW_1W0: record(seq_of(kSequenceStart, {a[0], a[1]}), kBiSize)[kBiPrev] += f.weight; break;
      case kW0W1: record(seq_of(kSequenceStart, {a[0], a[1]}), kBiSize)[kBiMid] += f.weight; break;
      case kW1W2: record(seq_of(kSequenceStart, {a[0], a[1]}), kBiSize)[kBiNext] += f.weight; break;
      case kW_1W0W1:
        record(seq_of(kSequenceStart, {a[0], a[1], a[2]}), kTriSize)[kTriPrev] += f.weight;
        break;
      case kW0W1W2:
        record(seq_of(kSequenceStart, {a[0], a[1], a[2]}), kTriSize)[kTriNext] += f.weight;
        break;
      default: break;  // every template with a syllable is handled above
    }
  }
  for (const auto& [seq, offset] : records) entries[seq] |= offset << kDictFlagBits;
  m.reference_index_.Build(reference);

  std::unordered_map<uint64_t, uint32_t> project;
  AddWords(keyer, words.project, &project);
  m.project_.Build(Entries(project));
  // The project table is only probed where one of its words can start.
  for (const std::string& word : words.project) {
    const std::vector<Unit> units = WordUnits(keyer, word);
    if (!units.empty()) entries[ExtendSequence(kSequenceStart, units[0].key)] |= kProjectStart;
  }
  for (const std::string& word : words.heads) {
    uint64_t seq = kSequenceStart;
    for (const Unit& u : WordUnits(keyer, word)) {
      if (seq != kSequenceStart) extended.push_back(seq);
      seq = ExtendSequence(seq, u.key);
    }
    entries[seq] |= kNameHead;
  }
  // Dictionary words mark their proper prefixes with kDictPrefix already.
  for (auto& [seq, flags] : entries) {
    if (flags & kDictPrefix) flags |= kHasLonger;
  }
  for (uint64_t seq : extended) entries[seq] |= kHasLonger;
  m.general_.Build(Entries(entries));
  return m;
}

bool SegmenterModel::ParseFeature(std::string_view name, const SyllableKeyer& keyer,
                                  FeatureWeight* f) {
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view tname = name.substr(0, colon);
  int t = 0;
  while (t < kNumTemplates && kTemplates[t].name != tname) ++t;
  if (t == kNumTemplates) return false;
  f->t = static_cast<Template>(t);
  f->atoms.fill(0);
  const std::string_view kinds = kTemplates[t].atoms;
  std::string_view rest = name.substr(colon + 1);
  if (kinds.empty()) return rest.empty();
  size_t count = 0;
  while (true) {
    const size_t bar = rest.find('|');
    const std::string_view atom = rest.substr(0, bar);
    if (count >= kinds.size() || atom.empty()) return false;
    if (kinds[count] == 'S') {
      f->atoms[count] = keyer.Key(atom);
    } else {
      if (atom.size() != 1 || AtomIndex(kinds[count], static_cast<unsigned char>(atom[0])) < 0) {
        return false;
      }
      f->atoms[count] = static_cast<unsigned char>(atom[0]);
    }
    ++count;
    if (bar == std::string_view::npos) break;
    rest = rest.substr(bar + 1);
  }
  return count == kinds.size();
}

Expected<std::vector<FeatureWeight>> SegmenterModel::ReadFeatures(
    const std::filesystem::path& path, const SyllableKeyer& keyer, float trans[2][2]) {
  auto table = LoadLexiconTable(path, LexiconSpec{2, 2, true, false});
  if (!table.ok()) return table.status();
  std::vector<FeatureWeight> features;
  features.reserve(table->rows.size());
  for (const LexiconRow& row : table->rows) {
    FeatureWeight f;
    if (!ParseFeature(row.fields[0], keyer, &f)) {
      return Status::Error(table->Where(row) + ": malformed feature '" + row.fields[0] + "'");
    }
    const std::string& w = row.fields[1];
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), f.weight);
    if (ec != std::errc() || end != w.data() + w.size() || !std::isfinite(f.weight)) {
      return Status::Error(table->Where(row) + ": bad weight '" + w + "'");
    }
    if (f.t == kTransition) {
      trans[f.atoms[0] == '1'][f.atoms[1] == '1'] = f.weight;
    } else {
      features.push_back(f);
    }
  }
  if (features.empty()) return Status::Error(path.string() + ": model has no features");
  return features;
}

// ---------------------------------------------------------------- analysis

void SegmenterModel::PrepareUnits(const SyllableKeyer& keyer, size_t tokens,
                                  SentenceAnalysis* a) const {
  a->tokens = tokens;
  const Unit begin{keyer.begin_key(), Shape::kBoundary, false, false};
  const Unit end{keyer.end_key(), Shape::kBoundary, false, false};
  a->units.resize(tokens + 5);
  a->units[0] = a->units[1] = begin;
  a->units[tokens + 2] = a->units[tokens + 3] = a->units[tokens + 4] = end;
}

void SegmenterModel::AnalyzeSentence(SentenceAnalysis* a) const {
  const size_t n = a->tokens;
  const size_t gaps = a->gaps();
  const size_t padded = n + 5;
  a->grams.assign(padded, SentenceAnalysis::Grams{});
  a->forced.assign(gaps, SentenceAnalysis::kFree);
  a->gap.assign(gaps, SentenceAnalysis::Gap{});
  a->start_len.assign(n, 1);
  a->end_len.assign(n, 1);
  if (n == 0) return;
  Unit* units = a->units.data();
  Unit* u = units + 2;
  // The arrays through local pointers: the loops below store single bytes,
  // which may alias anything, and through `a` the compiler would reload
  // every array's address after each such store.
  SentenceAnalysis::Grams* grams = a->grams.data();
  SentenceAnalysis::Gap* gap = a->gap.data();
  uint8_t* forced = a->forced.data();
  uint8_t* start_len = a->start_len.data();
  uint8_t* end_len = a->end_len.data();

  // A line in capitals (a heading, a banner) says nothing about which words
  // are names, and the training data has few such lines: segment it as if it
  // were lower case. Abbreviations inside ordinary text are not affected.
  // The same pass keys every window position's unigram and starts loading
  // its slot: the n-gram entries of the unigram, bigram and trigram starting
  // at p, which the gap features read and which carry the dictionary flags
  // used below. All keys of a round are computed and prefetched before any is
  // resolved, so their cache misses overlap. A bigram (trigram) is looked up
  // only when its unigram (bigram) entry says some entry extends it
  // (kHasLonger), so the lookups go in three rounds by length.
  a->keys.resize(3 * padded);
  uint64_t* keys = a->keys.data();
  size_t caps = 0, titles = 0, others = 0;
  for (size_t p = 1; p <= n + 2; ++p) {
    keys[3 * p] = ExtendSequence(kSequenceStart, units[p].key);
    const Unit& unit = units[p];
    if (!unit.unigram_known) general_.Prefetch(keys[3 * p]);
    if (unit.joinable) {
      caps += unit.shape == Shape::kCaps;
      titles += unit.shape == Shape::kTitle;
    }
    others += unit.joinable & (unit.shape != Shape::kCaps) & (unit.shape != Shape::kTitle);
  }
  if (caps >= 2 && caps >= titles && others == 0) {
    for (size_t i = 0; i < n; ++i) {
      if (u[i].joinable) u[i].shape = Shape::kLower;
    }
  }
  for (size_t p = 1; p <= n + 2; ++p) {
    const uint32_t uni = units[p].unigram_known ? units[p].unigram : Lookup(keys[3 * p]);
    grams[p].uni = uni;
    if (p <= n + 1 && (uni & kHasLonger)) {
      keys[3 * p + 1] = ExtendSequence(keys[3 * p], units[p + 1].key);
      general_.Prefetch(keys[3 * p + 1]);
    }
  }
  for (size_t p = 1; p <= n + 1; ++p) {
    if (!(grams[p].uni & kHasLonger)) continue;
    const uint32_t bi = Lookup(keys[3 * p + 1]);
    grams[p].bi = bi;
    if (p <= n && (bi & kHasLonger)) {
      keys[3 * p + 2] = ExtendSequence(keys[3 * p + 1], units[p + 2].key);
      general_.Prefetch(keys[3 * p + 2]);
    }
  }
  for (size_t p = 1; p <= n; ++p) {
    if (grams[p].bi & kHasLonger) grams[p].tri = Lookup(keys[3 * p + 2]);
  }

  // Dictionary words over each token, and (the same pass) organization names
  // keeping their head word apart: "Hội Nông dân" is Hội Nông_dân, not one
  // name like "Nguyễn Văn Phong".
  for (size_t i = 0; i < n; ++i) {
    if (!u[i].joinable) {
      start_len[i] = end_len[i] = 0;
      if (i > 0) forced[i - 1] = SentenceAnalysis::kForceSplit;
      if (i + 1 < n) forced[i] = SentenceAnalysis::kForceSplit;
      continue;
    }
    const SentenceAnalysis::Grams& at = grams[i + 2];
    uint32_t f = at.uni;
    u[i].known = f & kDictSyllable;
    if ((at.uni | at.bi | at.tri) & kNameHead) {
      for (size_t len = 1; len <= 3 && i + len < n; ++len) {
        const uint32_t entry = len == 1 ? at.uni : len == 2 ? at.bi : at.tri;
        const Unit& next = u[i + len];
        if ((entry & kNameHead) && next.joinable &&
            (next.shape == Shape::kTitle || next.shape == Shape::kCaps)) {
          forced[i + len - 1] = SentenceAnalysis::kForceSplit;
        }
      }
    }
    if (!(f & kDictPrefix)) continue;
    uint64_t seq = 0;
    for (size_t j = i + 1; j < n && j - i < kMaxWordSyllables; ++j) {
      if (!(f & kDictPrefix) || !u[j].joinable) break;
      if (j == i + 1) {
        f = at.bi;
      } else if (j == i + 2) {
        f = at.tri;
      } else {
        if (j == i + 3) {
          seq = kSequenceStart;
          for (size_t k = i; k < j; ++k) seq = ExtendSequence(seq, u[k].key);
        }
        seq = ExtendSequence(seq, u[j].key);
        f = Lookup(seq);
      }
      if (!(f & kDictWord)) continue;
      const uint8_t len = static_cast<uint8_t>(j - i + 1);
      start_len[i] = std::max(start_len[i], len);
      end_len[j] = std::max(end_len[j], len);
      for (size_t g = i; g < j; ++g) {
        if (len > gap[g].span_len) {
          gap[g].span_len = len;
          gap[g].span_flags =
              static_cast<uint8_t>(f & (kDictWord | kDictPrefix | kDictProper | kDictCommon));
        }
      }
      if (len == 2) gap[i].bigram |= 1;
      if (len == 3) {
        gap[i].bigram |= 4;
        gap[i + 1].bigram |= 2;
      }
    }
  }
  // Forward and backward maximum matching, the classic baselines, as features.
  for (size_t i = 0; i < n;) {
    const size_t len = std::max<size_t>(start_len[i], 1);
    for (size_t g = i; g + 1 < i + len; ++g) gap[g].fmm = 1;
    i += len;
  }
  for (size_t j = n; j > 0;) {
    const size_t len = std::max<size_t>(end_len[j - 1], 1);
    for (size_t g = j - len; g + 1 < j; ++g) gap[g].bmm = 1;
    j -= len;
  }
  if (!has_project_words()) return;
  // The project's own words are whole words whatever the model says
  // (leftmost longest): their syllables join, and they join nothing around
  // them (`Mặt trận Tổ quốc xã` must not become `Tổ_quốc_xã`).
  for (size_t i = 0; i < n;) {
    size_t best = 0;
    if (u[i].joinable && (grams[i + 2].uni & kProjectStart)) {
      uint64_t seq = ExtendSequence(kSequenceStart, u[i].key);
      uint32_t f = LookupProject(seq);
      for (size_t j = i + 1; j < n && j - i < kMaxWordSyllables; ++j) {
        if (!(f & kDictPrefix) || !u[j].joinable) break;
        seq = ExtendSequence(seq, u[j].key);
        f = LookupProject(seq);
        if (f & kDictWord) best = j - i + 1;
      }
    }
    if (best < 2) {
      ++i;
      continue;
    }
    for (size_t g = i; g + 1 < i + best; ++g) forced[g] = SentenceAnalysis::kForceJoin;
    if (i > 0 && forced[i - 1] != SentenceAnalysis::kForceJoin) {
      forced[i - 1] = SentenceAnalysis::kForceSplit;
    }
    if (i + best < n) forced[i + best - 1] = SentenceAnalysis::kForceSplit;
    i += best;
  }
}

std::string SegmenterModel::Describe() const {
  char text[200];
  std::snprintf(text, sizeof text,
                "%zu features, %zu dictionary words, %zu n-gram entries (%.1f MB table, %.1f MB "
                "weights)",
                feature_count_, dictionary_words_, general_.size(), general_.bytes() / 1e6,
                pool_.size() * sizeof(float) / 1e6);
  return text;
}

// ---------------------------------------------------------------- scoring

// Inlined into Decode()'s loop, where the compiler keeps the arrays' base
// pointers in registers from one gap to the next; JoinScore() is the same
// code called for one gap.
[[gnu::always_inline]] inline float SegmenterModel::GapScore(const SentenceAnalysis& a,
                                                             size_t g) const {
  // Mirrors GapFeatures() template by template; ReferenceJoinScore() and the
  // unit tests keep the two in step. The additions keep their order: a float
  // sum regrouped could round differently and change a decision.
  const Unit* units = a.units.data();
  const SentenceAnalysis::Grams* grams = a.grams.data();
  const SentenceAnalysis::Gap& gap = a.gap[g];
  const int sl1 = ShapeIndex(static_cast<char>(units[g + 1].shape));
  const int sl = ShapeIndex(static_cast<char>(units[g + 2].shape));
  const int sr = ShapeIndex(static_cast<char>(units[g + 3].shape));
  const int sr1 = ShapeIndex(static_cast<char>(units[g + 4].shape));
  float s = 0;
  s += Record(grams[g + 1].uni)[kUniPrev];
  const float* left = Record(grams[g + 2].uni);
  s += left[kUniLeft] + left[kUniLeftShape + sr];
  const float* right = Record(grams[g + 3].uni);
  s += right[kUniRight] + right[kUniRightShape + sl];
  s += Record(grams[g + 4].uni)[kUniNext];
  s += Record(grams[g + 1].bi)[kBiPrev];
  s += Record(grams[g + 2].bi)[kBiMid];
  s += Record(grams[g + 3].bi)[kBiNext];
  s += Record(grams[g + 1].tri)[kTriPrev];
  s += Record(grams[g + 2].tri)[kTriNext];

  auto cap = [](uint8_t n) { return n > 5 ? 5 : static_cast<int>(n); };
  const int span = cap(gap.span_len);
  // sl and sr index most dense tables as their last two atoms.
  const int pair = sl * kShapeCount + sr;
  const float* d = dense_.data();
  const auto& off = dense_offset_;
  s += d[off[kBias]];
  s += d[off[kS0S1] + pair];
  s += d[off[kS_1S0S1S2] + (sl1 * kShapeCount * kShapeCount + pair) * kShapeCount + sr1];
  s += d[off[kDict] + (span * 10 + cap(a.end_len[g])) * 10 + cap(a.start_len[g + 1])];
  s += d[off[kDictShape] + span * kShapeCount * kShapeCount + pair];
  s += d[off[kDictKind] + (gap.span_flags >> 2 & 3) * kShapeCount * kShapeCount + pair];
  s += d[off[kDictNgram] + gap.bigram];
  s += d[off[kMaxMatch] + gap.fmm * 10 + gap.bmm];
  s += d[off[kKnown] + (units[g + 2].known * 10 + units[g + 3].known) * kShapeCount * kShapeCount +
         pair];
  return s;
}

float SegmenterModel::JoinScore(const SentenceAnalysis& a, size_t g) const { return GapScore(a, g); }

float SegmenterModel::ReferenceJoinScore(const SentenceAnalysis& a, size_t g) const {
  float total = 0;
  auto sink = [&](Template t, std::initializer_list<uint64_t> atoms) {
    if (const uint32_t i = reference_index_.Find(FeatureHash(t, atoms))) {
      total += reference_[i - 1].second;
    }
  };
  GapFeatures(a, g, sink);
  return total;
}

void SegmenterModel::Decode(const SentenceAnalysis& a, std::vector<float>* scores,
                            std::vector<uint8_t>* labels) const {
  const size_t gaps = a.gaps();
  scores->assign(gaps, 0.0f);
  labels->assign(gaps, 0);
  float* out = scores->data();
  const uint8_t* forced = a.forced.data();
  for (size_t g = 0; g < gaps; ++g) {
    if (forced[g] == SentenceAnalysis::kFree) out[g] = GapScore(a, g);
  }
  Viterbi(scores->data(), a.forced.data(), gaps, trans_, labels->data());
}

void Viterbi(const float* join_scores, const uint8_t* forced, size_t gaps,
             const float trans[2][2], uint8_t* labels) {
  if (gaps == 0) return;
  // labels[g] first holds back-pointers (bit y: best label of gap g-1 given
  // label y at gap g) and is overwritten by the labels while backtracking,
  // so decoding needs no memory of its own.
  constexpr float kImpossible = -1e30f;
  auto allowed = [&](size_t g, int y) {
    return forced[g] == SentenceAnalysis::kFree ||
           (forced[g] == SentenceAnalysis::kForceSplit ? y == 0 : y == 1);
  };
  float best[2];
  best[0] = allowed(0, 0) ? 0.0f : kImpossible;
  best[1] = allowed(0, 1) ? join_scores[0] : kImpossible;
  labels[0] = 0;
  for (size_t g = 1; g < gaps; ++g) {
    float next[2];
    uint8_t back = 0;
    for (int y = 0; y < 2; ++y) {
      const float from0 = best[0] + trans[0][y];
      const float from1 = best[1] + trans[1][y];
      back |= static_cast<uint8_t>((from1 > from0 ? 1 : 0) << y);
      next[y] = !allowed(g, y) ? kImpossible
                               : std::max(from0, from1) + (y ? join_scores[g] : 0.0f);
    }
    labels[g] = back;
    best[0] = next[0];
    best[1] = next[1];
  }
  int y = best[1] > best[0] ? 1 : 0;
  for (size_t g = gaps; g-- > 0;) {
    const int previous = (labels[g] >> y) & 1;
    labels[g] = static_cast<uint8_t>(y);
    y = previous;
  }
}

}  // namespace vnfacts::seg
