// The word segmenter's model, shared by the runtime (WordSegmenter) and the
// trainer (segmenter_tool): how a syllable becomes a key, which features
// describe the gap between two syllables, how weights are stored and looked
// up, and how the best join/split sequence is decoded. Trainer and runtime
// call the same feature code, so a model can never see features at run time
// that differ from the ones it was trained on.
//
// The model labels every gap between adjacent syllables "join" (same word) or
// "split". A gap's score is the sum of the weights of its features (syllable
// n-grams, letter case, dictionary matches), plus a first-order transition
// weight between neighbouring gap labels; Viterbi picks the best sequence.
// Weights live in a flat open-addressing table keyed by 64-bit feature hashes,
// so scoring a gap is ~20 probes and no allocation. Syllables are keyed after
// lower-casing and separating the tone mark from the vowel, which makes the
// old and new tone placements (`hoà`/`hòa`, `uỷ`/`ủy`) one key without any
// list of words.
//
// The model file (lexicons/segmenter_model.tsv) stores features by readable
// name (`w0w1:công|tác<TAB>1.25`), not by hash, so it can be inspected and
// so the hash function may change without retraining.
#ifndef VNFACTS_PIPELINE_SEGMENTER_MODEL_H_
#define VNFACTS_PIPELINE_SEGMENTER_MODEL_H_

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
// keys) or tiny (shape chars): one multiply per atom is what keeps ~20
// features per gap inside the speed budget. Finish() folds the high bits down
// so that both the low bits (table slot) and the high bits (fingerprint)
// depend on every atom.
inline uint64_t Combine(uint64_t h, uint64_t x) { return (h ^ x) * 0x9E3779B97F4A7C15ULL; }
inline uint64_t Finish(uint64_t h) { return h ^ (h >> 29); }

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

// One token of a sentence as the model sees it.
struct Unit {
  uint64_t key = 0;  // syllable key; numbers and punctuation share class keys
  Shape shape = Shape::kPunct;
  bool joinable = false;  // may be part of a multi-syllable word
  bool known = false;     // occurs in the dictionary (set by AnalyzeSentence)
};

// Turns token text into Units. Immutable after Create().
class SyllableKeyer {
 public:
  static Expected<SyllableKeyer> Create();

  // Key of a letter string: lower-cased, tone mark folded out of the vowel.
  uint64_t Key(std::string_view text) const;
  // Key, shape and joinability from the text alone (letters only joins).
  Unit Analyze(std::string_view token) const;
  // The text a model file uses for Analyze(token).key: the lower-cased token,
  // or a class token (#N for numbers, #P/#O when the text holds '|').
  std::string Name(std::string_view token) const;

  uint64_t begin_key() const { return begin_key_; }
  uint64_t end_key() const { return end_key_; }

 private:
  SyllableKeyer() = default;
  // For code points below kTableSize: bits 0-20 the lower-case base letter
  // without tone mark, 21-23 the tone (0 = none), 24 upper, 25 letter.
  static constexpr uint32_t kTableSize = 0x1F00;
  std::vector<uint32_t> fold_;
  uint64_t begin_key_ = 0, end_key_ = 0, number_key_ = 0, punct_key_ = 0, other_key_ = 0;
};

// Flags of a syllable sequence in a Dictionary.
enum : uint8_t {
  kDictWord = 1,     // the sequence is a word (2+ syllables)
  kDictPrefix = 2,   // some longer word starts with the sequence
  kDictProper = 4,   // a capitalized entry (name) spells the word
  kDictCommon = 8,   // a lower-case entry spells the word
  kDictSyllable = 16,  // (one syllable) occurs in some entry: a known syllable
};

// Open-addressing hash table from 64-bit keys to small values; the key is kept
// as a 32-bit fingerprint next to the value so one probe touches one cache
// line. A lookup of an absent key returns the default value; a false hit needs
// both the slot and the 32-bit fingerprint to collide (about 2^-32 per probe).
template <typename V>
class FlatTable {
 public:
  void Build(const std::vector<std::pair<uint64_t, V>>& entries);
  V Find(uint64_t key, V absent) const {
    if (slots_.empty()) return absent;
    const uint32_t print = Print(key);
    for (size_t i = key & mask_;; i = (i + 1) & mask_) {
      const Slot& s = slots_[i];
      if (s.print == print) return s.value;
      if (s.print == 0) return absent;
    }
  }
  size_t size() const { return size_; }

 private:
  static uint32_t Print(uint64_t key) { return static_cast<uint32_t>(key >> 32) | 1u; }
  struct Slot {
    uint32_t print = 0;
    V value{};
  };
  std::vector<Slot> slots_;
  size_t mask_ = 0;
  size_t size_ = 0;
};

// Multi-syllable words (the general dictionary plus the project's words),
// keyed by the hash of their syllable keys, with prefixes for longest match.
class Dictionary {
 public:
  static uint64_t Start() { return 0x5EEDD1C7ULL; }
  static uint64_t Extend(uint64_t sequence, uint64_t syllable_key) {
    return Finish(Combine(sequence, syllable_key));
  }
  // Builds from words given as syllables (text split on spaces). Entries that
  // contain anything but letters are skipped; one-syllable entries only mark
  // their syllable as known.
  static Dictionary Build(const SyllableKeyer& keyer, const std::vector<std::string>& words);
  uint8_t Lookup(uint64_t sequence) const { return table_.Find(sequence, uint8_t{0}); }
  size_t size() const { return words_; }
  static constexpr size_t kMaxWordSyllables = 8;

 private:
  FlatTable<uint8_t> table_;
  size_t words_ = 0;
};

// The two dictionaries the segmenter consults, loaded the same way for the
// trainer and the runtime: `general` = the installed word list (one word per
// line, syllables separated by spaces) plus the project's lexicons/words.tsv;
// `project` = words.tsv alone, whose words always join.
struct Dictionaries {
  Dictionary general;
  Dictionary project;
};
Expected<Dictionaries> LoadDictionaries(const SyllableKeyer& keyer,
                                        const std::filesystem::path& lexicon_dir,
                                        const std::filesystem::path& dictionary_path);

// Feature templates. In a model file a feature is `name:atom|atom...`; an atom
// of kind 'S' is a syllable (or a class token such as <s>, #N), of kind 'C'
// one character (a Shape or a digit).
enum Template : uint8_t {
  kBias, kW_1, kW0, kW1, kW2, kW_1W0, kW0W1, kW1W2, kW_1W0W1, kW0W1W2, kW_1W1,
  kS0S1, kS_1S0S1S2, kW0S1, kS0W1, kDict, kDictShape, kDictKind, kDictNgram,
  kMaxMatch, kKnown, kTransition, kNumTemplates
};
struct TemplateSpec {
  std::string_view name;
  std::string_view atoms;  // one char per atom: 'S' or 'C'
};
extern const TemplateSpec kTemplates[kNumTemplates];

uint64_t FeatureHash(Template t, std::initializer_list<uint64_t> atoms);

// A sentence prepared for scoring: units padded with two boundary units
// before and three after, and per-gap dictionary facts.
struct SentenceAnalysis {
  std::vector<Unit> units;  // padded; token i is units[i + 2]
  size_t tokens = 0;
  // Per gap g (between tokens g and g+1):
  std::vector<uint8_t> forced;      // kFree, kForceSplit or kForceJoin
  std::vector<uint8_t> span_len;    // longest dictionary word covering the gap
  std::vector<uint8_t> span_flags;  // dictionary flags of that word
  std::vector<uint8_t> bigram;      // bit 0: L R, bit 1: L-1 L R, bit 2: L R R+1 are words
  std::vector<uint8_t> fmm, bmm;    // join by forward / backward maximum matching
  // Per token:
  std::vector<uint8_t> start_len, end_len;  // longest dictionary word starting/ending here

  enum : uint8_t { kFree = 0, kForceSplit = 1, kForceJoin = 2 };
  size_t gaps() const { return tokens > 0 ? tokens - 1 : 0; }
};

// Fills everything but `units` (which the caller fills, padding included).
// `project` words force their inner gaps to join (leftmost longest match).
void AnalyzeSentence(const Dictionary& dictionary, const Dictionary& project,
                     SentenceAnalysis* a);
// Resets `a` to hold `tokens` units, with boundary padding in place; the
// caller then assigns a->units[i + 2] for each token.
void PrepareUnits(const SyllableKeyer& keyer, size_t tokens, SentenceAnalysis* a);

// Calls sink(Template, {atoms...}) for every feature of gap g. Feature atoms
// never depend on the labels, so the trainer can compute them once.
template <typename Sink>
void GapFeatures(const SentenceAnalysis& a, size_t g, Sink& sink) {
  auto cap = [](uint8_t n) -> uint64_t { return '0' + (n > 5 ? 5 : n); };
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
  sink(kW_1W1, {l1.key, r.key});
  sink(kS0S1, {sl, sr});
  sink(kS_1S0S1S2, {sl1, sl, sr, sr1});
  sink(kW0S1, {l.key, sr});
  sink(kS0W1, {sl, r.key});
  sink(kDict, {cap(a.span_len[g]), cap(a.end_len[g]), cap(a.start_len[g + 1])});
  sink(kDictShape, {cap(a.span_len[g]), sl, sr});
  sink(kDictKind, {static_cast<uint64_t>('0' + (a.span_flags[g] >> 2)), sl, sr});
  sink(kDictNgram, {static_cast<uint64_t>('0' + a.bigram[g])});
  sink(kMaxMatch, {static_cast<uint64_t>('0' + a.fmm[g]), static_cast<uint64_t>('0' + a.bmm[g])});
  sink(kKnown, {static_cast<uint64_t>('0' + l.known), static_cast<uint64_t>('0' + r.known), sl, sr});
}

// Best labels (1 = join) for gaps with the given join scores, honouring
// `forced`; trans[p][c] scores label c after label p.
void Viterbi(const float* join_scores, const uint8_t* forced, size_t gaps,
             const float trans[2][2], uint8_t* labels);

// Weights by feature hash, read from a model file.
class SegmenterModel {
 public:
  // Reads `feature<TAB>weight` rows (LoadLexiconTable format).
  static Expected<SegmenterModel> Load(const std::filesystem::path& path,
                                       const SyllableKeyer& keyer);
  // Parses a feature name (`w0w1:công|tác`) into its hash; false if malformed.
  static bool ParseFeature(std::string_view name, const SyllableKeyer& keyer, uint64_t* hash,
                           Template* t = nullptr);

  // A model from weights in memory (the trainer's, before it writes them).
  static SegmenterModel FromWeights(const std::vector<std::pair<uint64_t, float>>& weights,
                                    const float trans[2][2]);

  float Weight(uint64_t feature_hash) const { return weights_.Find(feature_hash, 0.0f); }
  // Join score of gap g: the sum of its feature weights.
  float JoinScore(const SentenceAnalysis& a, size_t g) const;
  const float (&transitions() const)[2][2] { return trans_; }
  size_t size() const { return weights_.size(); }

 private:
  FlatTable<float> weights_;
  float trans_[2][2] = {{0, 0}, {0, 0}};
};

// Decodes one analyzed sentence: labels[g] = 1 when gap g joins.
void DecodeSentence(const SegmenterModel& model, const SentenceAnalysis& a,
                    std::vector<float>* scratch_scores, std::vector<uint8_t>* labels);

}  // namespace vnfacts::seg

#endif  // VNFACTS_PIPELINE_SEGMENTER_MODEL_H_
