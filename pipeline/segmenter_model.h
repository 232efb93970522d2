// The word segmenter's model, shared by the runtime (WordSegmenter) and the
// trainer (segmenter_tool): how a syllable becomes a key, which features
// describe the gap between two syllables, how weights are stored and looked
// up, and how the best join/split sequence is decoded.
//
// The model labels every gap between adjacent syllables "join" (same word) or
// "split". A gap's score is the sum of the weights of its features (syllable
// n-grams around it, letter case, dictionary matches), plus a first-order
// transition weight between neighbouring gap labels; Viterbi picks the best
// sequence. Syllables are keyed after lower-casing and separating the tone
// mark from the vowel, which makes the old and new tone placements
// (`hoà`/`hòa`, `uỷ`/`ủy`) one key without any list of words.
//
// GapFeatures() is the one definition of the features: the trainer hashes
// what it emits. The runtime must score ~20 features per gap at tens of MB/s,
// so SegmenterModel compiles the same weights into a faster layout: one
// n-gram table whose entry for a syllable sequence carries both its
// dictionary flags and a record of its weights in every window position (so
// a token costs three probes, not twenty), and small dense arrays for the
// features made only of shapes and counts. ReferenceJoinScore() scores
// through GapFeatures() so tests can check that both layouts agree.
//
// The model file (lexicons/segmenter_model.tsv) stores features by readable
// name (`w0w1:công|tác<TAB>1.25`), not by hash, so it can be inspected and
// the hash function may change without retraining.
#ifndef VNFACTS_PIPELINE_SEGMENTER_MODEL_H_
#define VNFACTS_PIPELINE_SEGMENTER_MODEL_H_

#include <array>
#include <cstdint>
#include <filesystem>
#include <initializer_list>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "pipeline/status.h"

namespace vnfacts::seg {

// Full 64-bit mixing (a murmur3-style finalizer over h ^ x), used once per
// syllable key, where the input is raw text.
inline uint64_t Mix(uint64_t h, uint64_t x) {
  h ^= x + 0x9E3779B97F4A7C15ULL;
  h ^= h >> 33;
  h *= 0xFF51AFD7ED558CCDULL;
  h ^= h >> 33;
  h *= 0xC4CEB9FE1A85EC53ULL;
  h ^= h >> 33;
  return h;
}

// Cheap combining step for values that are already well mixed (syllable
// keys) or tiny (shape chars). Finish() folds the high bits down so that
// both the low bits (table slot) and the high bits (fingerprint) depend on
// every input.
inline uint64_t Combine(uint64_t h, uint64_t x) { return (h ^ x) * 0x9E3779B97F4A7C15ULL; }
inline uint64_t Finish(uint64_t h) { return h ^ (h >> 29); }

// Keys of syllable sequences (dictionary words and model n-grams share them).
inline constexpr uint64_t kSequenceStart = 0x5EEDD1C7ULL;
inline uint64_t ExtendSequence(uint64_t sequence, uint64_t syllable_key) {
  return Finish(Combine(sequence, syllable_key));
}

// Letter-case shape of a unit; the char values are what model files show.
enum class Shape : char {
  kLower = 'l',     // công
  kTitle = 't',     // Công
  kCaps = 'c',      // UBND
  kMixed = 'm',     // iPhone
  kNumber = 'n',    // anything with a digit
  kPunct = 'p',     // no letter, no digit
  kOther = 'o',     // letters mixed with punctuation: TP., J.Mitchell
  kBoundary = 'b',  // before the first / after the last unit
};
inline constexpr int kShapeCount = 8;
// 0..7 for a shape char, -1 for anything else. A table, not a switch: the
// scorer maps four shapes per gap. It covers every byte, so that a lookup
// needs no range test.
inline constexpr std::array<int8_t, 256> kShapeIndexOfChar = [] {
  std::array<int8_t, 256> index{};
  index.fill(-1);
  const char order[kShapeCount + 1] = "ltcmnpob";
  for (int i = 0; i < kShapeCount; ++i) {
    index[static_cast<size_t>(order[i])] = static_cast<int8_t>(i);
  }
  return index;
}();
inline int ShapeIndex(char c) { return kShapeIndexOfChar[static_cast<unsigned char>(c)]; }

// One token of a sentence as the model sees it.
struct Unit {
  uint64_t key = 0;  // syllable key; numbers and punctuation share class keys
  Shape shape = Shape::kPunct;
  bool joinable = false;  // may be part of a multi-syllable word
  bool known = false;     // occurs in the dictionary (set by AnalyzeSentence)
  // The unit's n-gram table entry, when the keyer knew it in advance
  // (memoized units); otherwise AnalyzeSentence looks it up.
  bool unigram_known = false;
  uint32_t unigram = 0;
};

// Turns token text into Units. Immutable after Create().
class SyllableKeyer {
 public:
  static Expected<SyllableKeyer> Create();

  // Key of a string: lower-cased, tone mark folded out of the vowel.
  uint64_t Key(std::string_view text) const;
  // Key, shape and joinability from the text alone (letters only joins).
  Unit Analyze(std::string_view token) const;
  // What Analyze() computes, the slow way: by scanning the token, without the
  // memo, the one-byte table or the number shortcut. Analyze() must agree
  // with it on key, shape and joinability (the unit tests compare them).
  Unit AnalyzeByScan(std::string_view token) const;
  // The text a model file uses for Analyze(token).key: the lower-cased token,
  // or a class token (#N for numbers, #P/#O when the text holds '|').
  std::string Name(std::string_view token) const;

  uint64_t begin_key() const { return begin_key_; }
  uint64_t end_key() const { return end_key_; }

  // Remembers the units of these token texts (the dictionary's syllables in
  // the spellings running text uses), so that Analyze() finds them by their
  // bytes instead of scanning them letter by letter, together with each one's
  // n-gram table entry (`unigrams`, parallel to `tokens`; empty: none known).
  // Texts of more than kMaxMemoBytes bytes are ignored. Call before the keyer
  // is shared.
  void Memoize(const std::vector<std::string>& tokens, const std::vector<uint32_t>& unigrams);
  size_t memoized() const { return memo_count_; }

 private:
  SyllableKeyer() = default;
  // A token's bytes as (head, tail, length): for 8-16 bytes the first and
  // last eight, for 4-7 the first and last four, for 1-3 the first, middle
  // and last byte. Together they hold every byte, so equal triples mean
  // equal texts.
  static constexpr size_t kMaxMemoBytes = 16;
  struct MemoSlot {
    uint64_t head = 0, tail = 0;
    uint64_t key = 0;
    uint32_t unigram = 0;
    uint8_t length = 0;  // 0: empty slot
    Shape shape = Shape::kPunct;
    bool joinable = false;
    bool unigram_known = false;
  };
  static void BytesOf(const char* text, size_t length, uint64_t* head, uint64_t* tail);
  static size_t MemoHash(uint64_t head, uint64_t tail, size_t length);
  // The memo's slot for this text, or null.
  const MemoSlot* FindMemo(std::string_view token) const;
  // Analyze() without the one-byte table: memo, then scan.
  Unit AnalyzeGeneral(std::string_view token) const;
  // Fills byte_units_ from AnalyzeGeneral(), so that the table answers
  // exactly as the general path would; rerun whenever the memo changes.
  void FillByteUnits();
  std::vector<MemoSlot> memo_;
  // The unit of every one-byte token (commas and full stops are a tenth of
  // running text, and the memo holds none of them).
  std::array<Unit, 256> byte_units_{};
  size_t memo_mask_ = 0;
  size_t memo_count_ = 0;
  struct Scan;
  Scan ScanToken(std::string_view text) const;
  uint32_t EntryOf(int32_t code_point) const;
  // For code points below kTableSize: bits 0-20 the lower-case base letter
  // without tone mark (the code point itself for a non-letter), 21-23 the
  // tone (0 = none), 24 upper, 25 letter, 26 digit (ASCII digits only).
  static constexpr uint32_t kTableSize = 0x1F00;
  std::vector<uint32_t> fold_;
  uint64_t begin_key_ = 0, end_key_ = 0, number_key_ = 0, punct_key_ = 0, other_key_ = 0;
};

// Open-addressing hash table from 64-bit keys to 32-bit values; the key is
// kept as a 32-bit fingerprint beside the value, so a slot is 8 bytes and a
// probe touches one cache line. A false hit needs both the slot and the
// fingerprint to collide (about 2^-32 per probe).
class FlatTable {
 public:
  void Build(const std::vector<std::pair<uint64_t, uint32_t>>& entries);
  uint32_t Find(uint64_t key) const {
    if (slots_.empty()) return 0;
    const uint32_t print = Print(key);
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.print == print) return s.value;
      if (s.print == 0) return 0;
    }
  }
  // Starts loading the slot of `key` into cache; lookups of a whole sentence
  // are issued first and resolved after, so their cache misses overlap.
  void Prefetch(uint64_t key) const {
    if (!slots_.empty()) __builtin_prefetch(&slots_[key & mask_]);
  }
  size_t size() const { return size_; }
  size_t bytes() const { return slots_.size() * sizeof(Slot); }

 private:
  static uint32_t Print(uint64_t key) { return static_cast<uint32_t>(key >> 32) | 1u; }
  struct Slot {
    uint32_t print = 0;
    uint32_t value = 0;
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Dictionary flags of a syllable sequence (low bits of an n-gram entry).
enum : uint32_t {
  kDictWord = 1,       // the sequence is a word (2+ syllables)
  kDictPrefix = 2,     // some longer word starts with the sequence
  kDictProper = 4,     // a capitalized entry (name) spells the word
  kDictCommon = 8,     // a lower-case entry spells the word
  kDictSyllable = 16,  // (one syllable) occurs in some entry: a known syllable
  kProjectStart = 32,  // (one syllable) starts a word of lexicons/words.tsv
  kNameHead = 64,      // the sequence is a word of lexicons/name_heads.tsv (1-3 syllables)
  // Some entry extends the sequence by one syllable. Most bigrams and
  // trigrams of running text are in no table, and each miss costs a cache
  // miss and a probe chain; without this bit the longer lookup is skipped.
  kHasLonger = 128,
  kDictFlagBits = 8,
};
inline constexpr size_t kMaxWordSyllables = 8;

// Feature templates. In a model file a feature is `name:atom|atom...`; atom
// kinds: 'S' a syllable (or a class token such as <s>, #N), 'H' a Shape char,
// 'D' a digit.
enum Template : uint8_t {
  kBias, kW_1, kW0, kW1, kW2, kW_1W0, kW0W1, kW1W2, kW_1W0W1, kW0W1W2,
  kS0S1, kS_1S0S1S2, kW0S1, kS0W1, kDict, kDictShape, kDictKind, kDictNgram,
  kMaxMatch, kKnown, kTransition, kNumTemplates
};
struct TemplateSpec {
  std::string_view name;
  std::string_view atoms;  // one char per atom: 'S', 'H' or 'D'
};
extern const TemplateSpec kTemplates[kNumTemplates];

uint64_t FeatureHash(Template t, std::initializer_list<uint64_t> atoms);

// One weighted feature, as read from a model file or held by the trainer.
struct FeatureWeight {
  Template t = kBias;
  std::array<uint64_t, 4> atoms{};  // syllable keys or chars, per the template
  float weight = 0;
};

// The word lists the segmenter consults: `general` = the installed word list
// (one word per line, syllables separated by spaces) plus the project's
// lexicons/words.tsv; `project` = words.tsv alone, whose words always join;
// `heads` = lexicons/name_heads.tsv, words that head an organization's name
// and stay apart from it (Sở Giao_thông, Hội Nông_dân).
struct SegmenterWords {
  std::vector<std::string> general;
  std::vector<std::string> project;
  std::vector<std::string> heads;
};
Expected<SegmenterWords> LoadSegmenterWords(const SyllableKeyer& keyer,
                                            const std::filesystem::path& lexicon_dir,
                                            const std::filesystem::path& dictionary_path);
// Every syllable of the general word list as written, lower-cased and
// capitalized (the spellings running text uses), each once: what the
// runtime keyer memoizes.
std::vector<std::string> SyllableSpellings(const std::vector<std::string>& words);

// A sentence prepared for scoring: units padded with two boundary units
// before and three after, the n-gram entries of the model for each padded
// position, and per-gap dictionary facts.
struct SentenceAnalysis {
  std::vector<Unit> units;  // padded; token i is units[i + 2]
  size_t tokens = 0;
  // Per padded position p: n-gram table entries for units p, p..p+1 and
  // p..p+2.
  struct Grams {
    uint32_t uni = 0, bi = 0, tri = 0;
  };
  std::vector<Grams> grams;
  std::vector<uint64_t> keys;  // scratch: their sequence keys
  // Per gap g (between tokens g and g+1):
  std::vector<uint8_t> forced;  // kFree, kForceSplit or kForceJoin
  struct Gap {
    uint8_t span_len = 0;    // longest dictionary word covering the gap
    uint8_t span_flags = 0;  // dictionary flags of that word
    uint8_t bigram = 0;      // bit 0: L R, bit 1: L-1 L R, bit 2: L R R+1 are words
    uint8_t fmm = 0, bmm = 0;  // join by forward / backward maximum matching
  };
  std::vector<Gap> gap;
  // Per token:
  std::vector<uint8_t> start_len, end_len;  // longest dictionary word starting/ending here

  enum : uint8_t { kFree = 0, kForceSplit = 1, kForceJoin = 2 };
  size_t gaps() const { return tokens > 0 ? tokens - 1 : 0; }
};

// Calls sink(Template, {atoms...}) for every feature of gap g. Atoms never
// depend on labels, so the trainer computes them once per gap.
template <typename Sink>
void GapFeatures(const SentenceAnalysis& a, size_t g, Sink& sink) {
  auto cap = [](uint8_t n) -> uint64_t { return '0' + (n > 5 ? 5 : n); };
  auto digit = [](int n) -> uint64_t { return static_cast<uint64_t>('0' + n); };
  const Unit& l1 = a.units[g + 1];
  const Unit& l = a.units[g + 2];
  const Unit& r = a.units[g + 3];
  const Unit& r1 = a.units[g + 4];
  const uint64_t sl1 = static_cast<uint64_t>(l1.shape), sl = static_cast<uint64_t>(l.shape),
                 sr = static_cast<uint64_t>(r.shape), sr1 = static_cast<uint64_t>(r1.shape);
  sink(kBias, {});
  sink(kW_1, {l1.key});
  sink(kW0, {l.key});
  sink(kW1, {r.key});
  sink(kW2, {r1.key});
  sink(kW_1W0, {l1.key, l.key});
  sink(kW0W1, {l.key, r.key});
  sink(kW1W2, {r.key, r1.key});
  sink(kW_1W0W1, {l1.key, l.key, r.key});
  sink(kW0W1W2, {l.key, r.key, r1.key});
  sink(kS0S1, {sl, sr});
  sink(kS_1S0S1S2, {sl1, sl, sr, sr1});
  sink(kW0S1, {l.key, sr});
  sink(kS0W1, {sl, r.key});
  sink(kDict, {cap(a.gap[g].span_len), cap(a.end_len[g]), cap(a.start_len[g + 1])});
  sink(kDictShape, {cap(a.gap[g].span_len), sl, sr});
  sink(kDictKind, {digit(a.gap[g].span_flags >> 2 & 3), sl, sr});
  sink(kDictNgram, {digit(a.gap[g].bigram)});
  sink(kMaxMatch, {digit(a.gap[g].fmm), digit(a.gap[g].bmm)});
  sink(kKnown, {digit(l.known), digit(r.known), sl, sr});
}

// Best labels (1 = join) for gaps with the given join scores, honouring
// `forced`; trans[p][c] scores label c after label p.
void Viterbi(const float* join_scores, const uint8_t* forced, size_t gaps,
             const float trans[2][2], uint8_t* labels);

// Dictionary and weights compiled for scoring. Immutable after Build().
class SegmenterModel {
 public:
  // `features` may be empty: a dictionary-only model, which is what the
  // trainer analyzes sentences with.
  static SegmenterModel Build(const SyllableKeyer& keyer, const SegmenterWords& words,
                              const std::vector<FeatureWeight>& features,
                              const float trans[2][2]);
  // Reads `feature<TAB>weight` rows (LoadLexiconTable format); transitions
  // (`tr:p|c`) go to `trans`.
  static Expected<std::vector<FeatureWeight>> ReadFeatures(const std::filesystem::path& path,
                                                           const SyllableKeyer& keyer,
                                                           float trans[2][2]);
  // Parses a feature name (`w0w1:công|tác`); false if malformed.
  static bool ParseFeature(std::string_view name, const SyllableKeyer& keyer, FeatureWeight* f);

  // N-gram entry of a sequence key: dictionary flags in the low kDictFlagBits
  // bits, weight record above them (0: none).
  uint32_t Lookup(uint64_t sequence) const { return general_.Find(sequence); }
  uint32_t LookupProject(uint64_t sequence) const { return project_.Find(sequence); }
  bool has_project_words() const { return project_.size() > 0; }

  // Fills everything but `units` (which the caller fills, padding included).
  // A name head followed by a capitalized syllable is forced apart from it;
  // project words are forced whole: inner gaps join, the gaps around them
  // split (leftmost longest match; they win over name heads).
  void AnalyzeSentence(SentenceAnalysis* a) const;
  // Resets `a` to hold `tokens` units with the boundary padding in place; the
  // caller then assigns a->units[i + 2] for each token.
  void PrepareUnits(const SyllableKeyer& keyer, size_t tokens, SentenceAnalysis* a) const;

  // Join score of gap g, from the compiled layout.
  float JoinScore(const SentenceAnalysis& a, size_t g) const;
  // The same through GapFeatures() and a plain feature-hash table (slow).
  float ReferenceJoinScore(const SentenceAnalysis& a, size_t g) const;
  // labels[g] = 1 when gap g joins.
  void Decode(const SentenceAnalysis& a, std::vector<float>* scores,
              std::vector<uint8_t>* labels) const;

  const float (&transitions() const)[2][2] { return trans_; }
  size_t feature_count() const { return feature_count_; }
  size_t dictionary_words() const { return dictionary_words_; }
  // "N features, N dictionary words, N n-gram entries (N MB)".
  std::string Describe() const;

 private:
  // Offsets of the weights inside an n-gram record, by n-gram length.
  enum : uint32_t {
    kUniPrev = 0, kUniLeft = 1, kUniRight = 2, kUniNext = 3,  // w-1 w0 w1 w2
    kUniLeftShape = 4,                                       // w0s1, 8 shapes
    kUniRightShape = 4 + kShapeCount,                        // s0w1, 8 shapes
    kUniSize = 4 + 2 * kShapeCount,
    kBiPrev = 0, kBiMid = 1, kBiNext = 2, kBiSize = 3,  // w-1w0 w0w1 w1w2
    kTriPrev = 0, kTriNext = 1, kTriSize = 2,           // w-1w0w1 w0w1w2
  };
  // pool_ starts with kUniSize zeros, the record of every n-gram without
  // weights, so the scorer adds without testing for one.
  const float* Record(uint32_t entry) const { return pool_.data() + (entry >> kDictFlagBits); }
  float Dense(Template t, std::initializer_list<int> indices) const;
  // JoinScore()'s body, inlined into Decode()'s loop over the gaps.
  float GapScore(const SentenceAnalysis& a, size_t g) const;

  FlatTable general_;  // dictionary words and prefixes + weighted n-grams
  FlatTable project_;  // the project's words (flags only)
  std::vector<float> pool_;  // n-gram weight records
  // Dense weights of the templates made only of shapes and digits.
  std::vector<float> dense_;
  std::array<uint32_t, kNumTemplates> dense_offset_{};
  // Every weight by FeatureHash(), for ReferenceJoinScore().
  std::vector<std::pair<uint64_t, float>> reference_;
  FlatTable reference_index_;
  float trans_[2][2] = {{0, 0}, {0, 0}};
  size_t feature_count_ = 0;
  size_t dictionary_words_ = 0;
  uint64_t begin_key_ = 0, end_key_ = 0;
};

}  // namespace vnfacts::seg

#endif  // VNFACTS_PIPELINE_SEGMENTER_MODEL_H_
