// Training and scoring for the word segmenter, used only by segmenter_tool
// (not linked into the library). Reads gold segmentations (CoNLL-U with
// multi-syllable FORMs, or lines of words joined by '_'), trains the averaged
// perceptron defined by pipeline/segmenter_model.h with the same feature code
// the runtime uses, and writes the pruned weights as a readable TSV model.
// The scorer computes word-level and boundary-level precision/recall/F1 over
// gold syllables, so tokenization differences never count as errors.
#ifndef VNFACTS_PIPELINE_SEGMENTER_TRAINER_H_
#define VNFACTS_PIPELINE_SEGMENTER_TRAINER_H_

#include <cstdint>
#include <filesystem>
#include <functional>
#include <ostream>
#include <string>
#include <unordered_map>
#include <vector>

#include "pipeline/segmenter_model.h"
#include "pipeline/status.h"

namespace vnfacts::seg {

// One gold sentence: its syllables, and for each gap whether it joins.
struct GoldSentence {
  std::string text;  // the syllables separated by spaces, for error reports
  std::vector<std::string> syllables;
  std::vector<uint8_t> joins;  // size syllables.size() - 1
};

// CoNLL-U: one sentence per block, FORM split on spaces (multiword-token
// ranges and empty nodes are skipped; the treebank's bracket escapes LBKT and
// RBKT are read as "(" and ")").
Expected<std::vector<GoldSentence>> ReadConllu(const std::filesystem::path& path);
// One sentence per line, words separated by spaces, syllables by '_'.
Expected<std::vector<GoldSentence>> ReadUnderscored(const std::filesystem::path& path);

struct SegmentationScore {
  size_t sentences = 0, correct_sentences = 0;
  size_t gold_words = 0, predicted_words = 0, correct_words = 0;
  // Boundaries inside a sentence (word starts after the first syllable).
  size_t gold_boundaries = 0, predicted_boundaries = 0, correct_boundaries = 0;

  void Add(const std::vector<uint8_t>& gold_joins, const std::vector<uint8_t>& predicted_joins);
  double WordPrecision() const;
  double WordRecall() const;
  double WordF1() const;
  double BoundaryPrecision() const;
  double BoundaryRecall() const;
  double BoundaryF1() const;
  double SentenceAccuracy() const;
  void Print(std::ostream& out) const;
};

// Everything the segmenter needs besides weights, as the runtime loads it.
struct SegmenterInputs {
  const SyllableKeyer* keyer = nullptr;
  const SegmenterWords* words = nullptr;
};

// Fills `a` for a sentence given as token texts (what WordStarts() does).
void AnalyzeTokens(const SyllableKeyer& keyer, const SegmenterModel& model,
                   const std::vector<std::string>& tokens, SentenceAnalysis* a);
// Labels of a sentence given as token texts.
std::vector<uint8_t> SegmentTokens(const SyllableKeyer& keyer, const SegmenterModel& model,
                                   const std::vector<std::string>& tokens);

struct TrainerOptions {
  int epochs = 10;
  uint32_t seed = 1;
  int min_count = 1;        // drop features seen fewer times in training
  size_t max_bytes = 0;     // keep the largest weights that fit (0: no limit)
  float min_weight = 0.0f;  // drop smaller averaged weights
};

class PerceptronTrainer {
 public:
  PerceptronTrainer(SegmenterInputs inputs, TrainerOptions options);

  void AddSentences(const std::vector<GoldSentence>& sentences);
  // Runs the epochs; after each one calls `on_epoch(epoch, model)` with the
  // averaged (unpruned) model so far, e.g. to print figures.
  void Train(const std::function<void(int, const SegmenterModel&)>& on_epoch);
  // The averaged, pruned model as the runtime would load it.
  SegmenterModel PrunedModel() const;
  // Writes the pruned model as TSV with `header` lines (without '#').
  Status Write(const std::filesystem::path& path, const std::vector<std::string>& header) const;
  size_t feature_count() const { return names_.size(); }

 private:
  struct Example {
    std::vector<uint8_t> gold;      // per gap
    std::vector<uint8_t> forced;    // per gap
    std::vector<uint32_t> offsets;  // per gap + 1: range of feature ids in `features`
    std::vector<uint32_t> features;
  };
  std::string FeatureName(Template t, std::initializer_list<uint64_t> atoms) const;
  std::vector<float> Averaged() const;
  // Indices of the features that survive pruning, in model-file order.
  std::vector<uint32_t> Kept(const std::vector<float>& averaged) const;
  SegmenterModel ModelFrom(const std::vector<float>& averaged,
                           const std::vector<uint32_t>& kept) const;
  void AveragedTransitions(float out[2][2]) const;

  SegmenterInputs inputs_;
  TrainerOptions options_;
  std::vector<Example> examples_;
  std::unordered_map<uint64_t, std::string> unit_names_;
  std::unordered_map<uint64_t, uint32_t> index_;
  std::vector<std::string> names_;
  std::vector<FeatureWeight> features_;  // template and atoms; weight unused
  SegmenterModel dictionary_only_;
  std::vector<uint32_t> counts_;
  std::vector<float> weights_, accumulated_;
  float trans_[2][2] = {{0, 0}, {0, 0}}, trans_acc_[2][2] = {{0, 0}, {0, 0}};
  double steps_ = 1;
};

}  // namespace vnfacts::seg

#endif  // VNFACTS_PIPELINE_SEGMENTER_TRAINER_H_
