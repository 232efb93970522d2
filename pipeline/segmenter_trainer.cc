#include "pipeline/segmenter_trainer.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <fstream>
#include <numeric>
#include <random>
#include <sstream>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts::seg {

namespace {

Expected<std::string> ReadText(const std::filesystem::path& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path.string() + ": cannot open");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  std::string text = buffer.str();
  if (auto bad = FindInvalidUtf8(text)) {
    return Status::Error(path.string() + ": invalid UTF-8 at byte " + std::to_string(*bad));
  }
  return ToNfc(text);
}

std::vector<std::string_view> SplitOn(std::string_view text, char sep) {
  std::vector<std::string_view> parts;
  size_t start = 0;
  while (start <= text.size()) {
    size_t end = text.find(sep, start);
    if (end == std::string_view::npos) end = text.size();
    if (end > start) parts.push_back(text.substr(start, end - start));
    start = end + 1;
  }
  return parts;
}

// Appends one gold word (its syllables) to `s`.
void AddWord(const std::vector<std::string_view>& syllables, GoldSentence* s) {
  for (size_t i = 0; i < syllables.size(); ++i) {
    if (!s->syllables.empty()) s->joins.push_back(i > 0 ? 1 : 0);
    s->syllables.emplace_back(syllables[i]);
    if (!s->text.empty()) s->text += i > 0 ? "_" : " ";
    s->text += syllables[i];
  }
}

double Ratio(size_t a, size_t b) { return b == 0 ? 0.0 : static_cast<double>(a) / b; }
double F1(double p, double r) { return p + r == 0 ? 0.0 : 2 * p * r / (p + r); }

}  // namespace

Expected<std::vector<GoldSentence>> ReadConllu(const std::filesystem::path& path) {
  auto text = ReadText(path);
  if (!text.ok()) return text.status();
  std::vector<GoldSentence> sentences;
  GoldSentence current;
  size_t line_number = 0;
  for (std::string_view line : SplitOn(*text, '\n')) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty() || line[0] == '#') {
      if (line.rfind("# sent_id", 0) == 0 && !current.syllables.empty()) {
        sentences.push_back(std::move(current));
        current = GoldSentence();
      }
      continue;
    }
    const auto columns = SplitOn(line, '\t');
    if (columns.size() < 2) {
      return Status::Error(path.string() + ": line " + std::to_string(line_number) +
                           ": expected tab-separated CoNLL-U columns");
    }
    const std::string_view id = columns[0];
    if (id.find('-') != std::string_view::npos || id.find('.') != std::string_view::npos) continue;
    if (id == "1" && !current.syllables.empty()) {
      sentences.push_back(std::move(current));
      current = GoldSentence();
    }
    // VTB writes brackets as LBKT/RBKT (like the Penn Treebank's -LRB-); they
    // are punctuation in running text, so the segmenter sees them as such.
    if (columns[1] == "LBKT") {
      AddWord({"("}, &current);
    } else if (columns[1] == "RBKT") {
      AddWord({")"}, &current);
    } else {
      AddWord(SplitOn(columns[1], ' '), &current);
    }
  }
  if (!current.syllables.empty()) sentences.push_back(std::move(current));
  return sentences;
}

Expected<std::vector<GoldSentence>> ReadUnderscored(const std::filesystem::path& path) {
  auto text = ReadText(path);
  if (!text.ok()) return text.status();
  std::vector<GoldSentence> sentences;
  for (std::string_view line : SplitOn(*text, '\n')) {
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    GoldSentence s;
    for (std::string_view word : SplitOn(line, ' ')) {
      // A lone "_" or "__" is punctuation, not a joiner.
      if (word.find_first_not_of('_') == std::string_view::npos) {
        AddWord({word}, &s);
      } else {
        AddWord(SplitOn(word, '_'), &s);
      }
    }
    if (!s.syllables.empty()) sentences.push_back(std::move(s));
  }
  return sentences;
}

// ---------------------------------------------------------------- scoring

void SegmentationScore::Add(const std::vector<uint8_t>& gold, const std::vector<uint8_t>& pred) {
  ++sentences;
  if (gold == pred) ++correct_sentences;
  // Words are the spans between boundaries; a word is correct when both of
  // its ends are boundaries in gold and prediction and nothing splits it in
  // either.
  const size_t n = gold.size() + 1;
  size_t gold_start = 0, pred_start = 0;
  for (size_t i = 1; i <= n; ++i) {
    const bool gold_end = i == n || gold[i - 1] == 0;
    const bool pred_end = i == n || pred[i - 1] == 0;
    if (gold_end) ++gold_words;
    if (pred_end) ++predicted_words;
    if (gold_end && pred_end && gold_start == pred_start) ++correct_words;
    if (i < n) {
      gold_boundaries += gold_end;
      predicted_boundaries += pred_end;
      correct_boundaries += gold_end && pred_end;
    }
    if (gold_end) gold_start = i;
    if (pred_end) pred_start = i;
  }
}

double SegmentationScore::WordPrecision() const { return Ratio(correct_words, predicted_words); }
double SegmentationScore::WordRecall() const { return Ratio(correct_words, gold_words); }
double SegmentationScore::WordF1() const { return F1(WordPrecision(), WordRecall()); }
double SegmentationScore::BoundaryPrecision() const {
  return Ratio(correct_boundaries, predicted_boundaries);
}
double SegmentationScore::BoundaryRecall() const {
  return Ratio(correct_boundaries, gold_boundaries);
}
double SegmentationScore::BoundaryF1() const { return F1(BoundaryPrecision(), BoundaryRecall()); }
double SegmentationScore::SentenceAccuracy() const { return Ratio(correct_sentences, sentences); }

void SegmentationScore::Print(std::ostream& out) const {
  char line[256];
  std::snprintf(line, sizeof line,
                "sentences %zu  gold words %zu  predicted words %zu\n"
                "words       P %.2f%%  R %.2f%%  F1 %.2f%%\n"
                "boundaries  P %.2f%%  R %.2f%%  F1 %.2f%%\n"
                "sentence accuracy %.2f%%\n",
                sentences, gold_words, predicted_words, 100 * WordPrecision(),
                100 * WordRecall(), 100 * WordF1(), 100 * BoundaryPrecision(),
                100 * BoundaryRecall(), 100 * BoundaryF1(), 100 * SentenceAccuracy());
  out << line;
}

void AnalyzeTokens(const SyllableKeyer& keyer, const SegmenterModel& model,
                   const std::vector<std::string>& tokens, SentenceAnalysis* a) {
  model.PrepareUnits(keyer, tokens.size(), a);
  for (size_t i = 0; i < tokens.size(); ++i) a->units[i + 2] = keyer.Analyze(tokens[i]);
  model.AnalyzeSentence(a);
}

std::vector<uint8_t> SegmentTokens(const SyllableKeyer& keyer, const SegmenterModel& model,
                                   const std::vector<std::string>& tokens) {
  SentenceAnalysis a;
  std::vector<float> scores;
  std::vector<uint8_t> labels;
  AnalyzeTokens(keyer, model, tokens, &a);
  model.Decode(a, &scores, &labels);
  return labels;
}

// ---------------------------------------------------------------- trainer

namespace {
constexpr float kNoTransitions[2][2] = {{0, 0}, {0, 0}};
}  // namespace

PerceptronTrainer::PerceptronTrainer(SegmenterInputs inputs, TrainerOptions options)
    : inputs_(inputs),
      options_(options),
      dictionary_only_(SegmenterModel::Build(*inputs.keyer, *inputs.words, {}, kNoTransitions)) {}

std::string PerceptronTrainer::FeatureName(Template t,
                                           std::initializer_list<uint64_t> atoms) const {
  std::string name(kTemplates[t].name);
  name += ':';
  size_t i = 0;
  for (uint64_t a : atoms) {
    if (i > 0) name += '|';
    if (kTemplates[t].atoms[i] != 'S') {
      name += static_cast<char>(a);
    } else {
      auto it = unit_names_.find(a);
      name += it == unit_names_.end() ? std::string("?") : it->second;
    }
    ++i;
  }
  return name;
}

void PerceptronTrainer::AddSentences(const std::vector<GoldSentence>& sentences) {
  SentenceAnalysis a;
  unit_names_.emplace(inputs_.keyer->begin_key(), "<s>");
  unit_names_.emplace(inputs_.keyer->end_key(), "</s>");
  for (const GoldSentence& s : sentences) {
    AnalyzeTokens(*inputs_.keyer, dictionary_only_, s.syllables, &a);
    for (size_t i = 0; i < s.syllables.size(); ++i) {
      unit_names_.emplace(a.units[i + 2].key, inputs_.keyer->Name(s.syllables[i]));
    }
    Example e;
    e.forced = a.forced;
    e.gold = s.joins;
    e.offsets.push_back(0);
    for (size_t g = 0; g < a.gaps(); ++g) {
      // Gaps the runtime never decides (punctuation, the project's words)
      // train as the runtime will label them.
      if (a.forced[g] == SentenceAnalysis::kForceSplit) e.gold[g] = 0;
      if (a.forced[g] == SentenceAnalysis::kForceJoin) e.gold[g] = 1;
      if (a.forced[g] == SentenceAnalysis::kFree) {
        auto sink = [&](Template t, std::initializer_list<uint64_t> atoms) {
          const uint64_t h = FeatureHash(t, atoms);
          auto [it, inserted] = index_.emplace(h, static_cast<uint32_t>(names_.size()));
          if (inserted) {
            names_.push_back(FeatureName(t, atoms));
            FeatureWeight f;
            f.t = t;
            std::copy(atoms.begin(), atoms.end(), f.atoms.begin());
            features_.push_back(f);
            counts_.push_back(0);
          }
          ++counts_[it->second];
          e.features.push_back(it->second);
        };
        GapFeatures(a, g, sink);
      }
      e.offsets.push_back(static_cast<uint32_t>(e.features.size()));
    }
    examples_.push_back(std::move(e));
  }
}

void PerceptronTrainer::Train(const std::function<void(int, const SegmenterModel&)>& on_epoch) {
  std::vector<size_t> order(examples_.size());
  std::iota(order.begin(), order.end(), 0);
  std::mt19937 rng(options_.seed);
  std::vector<float> scores;
  std::vector<uint8_t> predicted;
  weights_.assign(names_.size(), 0.0f);
  accumulated_.assign(names_.size(), 0.0f);
  for (int epoch = 1; epoch <= options_.epochs; ++epoch) {
    std::shuffle(order.begin(), order.end(), rng);
    for (size_t index : order) {
      const Example& e = examples_[index];
      const size_t gaps = e.gold.size();
      scores.assign(gaps, 0.0f);
      predicted.assign(gaps, 0);
      for (size_t g = 0; g < gaps; ++g) {
        for (uint32_t k = e.offsets[g]; k < e.offsets[g + 1]; ++k) scores[g] += weights_[e.features[k]];
      }
      Viterbi(scores.data(), e.forced.data(), gaps, trans_, predicted.data());
      if (predicted != e.gold) {
        const float step = static_cast<float>(steps_);
        for (size_t g = 0; g < gaps; ++g) {
          if (predicted[g] == e.gold[g]) continue;
          const float delta = e.gold[g] ? 1.0f : -1.0f;
          for (uint32_t k = e.offsets[g]; k < e.offsets[g + 1]; ++k) {
            weights_[e.features[k]] += delta;
            accumulated_[e.features[k]] += step * delta;
          }
        }
        for (size_t g = 1; g < gaps; ++g) {
          trans_[e.gold[g - 1]][e.gold[g]] += 1;
          trans_acc_[e.gold[g - 1]][e.gold[g]] += step;
          trans_[predicted[g - 1]][predicted[g]] -= 1;
          trans_acc_[predicted[g - 1]][predicted[g]] -= step;
        }
      }
      steps_ += 1;
    }
    if (on_epoch) {
      const std::vector<float> averaged = Averaged();
      std::vector<uint32_t> all(names_.size());
      std::iota(all.begin(), all.end(), 0);
      on_epoch(epoch, ModelFrom(averaged, all));
    }
  }
}

std::vector<float> PerceptronTrainer::Averaged() const {
  std::vector<float> averaged(weights_.size());
  for (size_t i = 0; i < weights_.size(); ++i) {
    averaged[i] = weights_[i] - accumulated_[i] / static_cast<float>(steps_);
  }
  return averaged;
}

void PerceptronTrainer::AveragedTransitions(float out[2][2]) const {
  for (int p = 0; p < 2; ++p) {
    for (int c = 0; c < 2; ++c) out[p][c] = trans_[p][c] - trans_acc_[p][c] / static_cast<float>(steps_);
  }
}

std::vector<uint32_t> PerceptronTrainer::Kept(const std::vector<float>& averaged) const {
  std::vector<uint32_t> kept;
  for (uint32_t i = 0; i < averaged.size(); ++i) {
    if (counts_[i] < static_cast<uint32_t>(options_.min_count)) continue;
    if (std::fabs(averaged[i]) <= options_.min_weight || averaged[i] == 0.0f) continue;
    kept.push_back(i);
  }
  if (options_.max_bytes > 0) {
    std::sort(kept.begin(), kept.end(), [&](uint32_t a, uint32_t b) {
      return std::fabs(averaged[a]) > std::fabs(averaged[b]);
    });
    size_t bytes = 4096;  // header and transitions
    size_t keep = 0;
    while (keep < kept.size() && bytes + names_[kept[keep]].size() + 10 <= options_.max_bytes) {
      bytes += names_[kept[keep]].size() + 10;
      ++keep;
    }
    kept.resize(keep);
  }
  // Model-file order: by template, then by name, so retraining diffs well.
  std::sort(kept.begin(), kept.end(), [&](uint32_t a, uint32_t b) { return names_[a] < names_[b]; });
  return kept;
}

SegmenterModel PerceptronTrainer::ModelFrom(const std::vector<float>& averaged,
                                            const std::vector<uint32_t>& kept) const {
  std::vector<FeatureWeight> entries;
  entries.reserve(kept.size());
  for (uint32_t i : kept) {
    entries.push_back(features_[i]);
    entries.back().weight = averaged[i];
  }
  float trans[2][2];
  AveragedTransitions(trans);
  return SegmenterModel::Build(*inputs_.keyer, *inputs_.words, entries, trans);
}

SegmenterModel PerceptronTrainer::PrunedModel() const {
  const std::vector<float> averaged = Averaged();
  return ModelFrom(averaged, Kept(averaged));
}

Status PerceptronTrainer::Write(const std::filesystem::path& path,
                                const std::vector<std::string>& header) const {
  const std::vector<float> averaged = Averaged();
  const std::vector<uint32_t> kept = Kept(averaged);
  std::ofstream out(path, std::ios::binary);
  if (!out) return Status::Error(path.string() + ": cannot write");
  for (const std::string& line : header) out << "# " << line << "\n";
  out << "# " << kept.size() << " features kept of " << names_.size() << "\n";
  out << "# feature\tweight\n";
  char number[32];
  float trans[2][2];
  AveragedTransitions(trans);
  for (int p = 0; p < 2; ++p) {
    for (int c = 0; c < 2; ++c) {
      std::snprintf(number, sizeof number, "%.5g", trans[p][c]);
      out << "tr:" << p << '|' << c << '\t' << number << "\n";
    }
  }
  for (uint32_t i : kept) {
    std::snprintf(number, sizeof number, "%.4g", averaged[i]);
    out << names_[i] << '\t' << number << "\n";
  }
  out.close();
  if (!out) return Status::Error(path.string() + ": write failed");
  return Status::Ok();
}

}  // namespace vnfacts::seg
