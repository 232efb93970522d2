#include "pipeline/word_segmenter.h"

#include "pipeline/segmenter_model.h"

namespace vnfacts {

struct WordSegmenter::Impl {
  Impl(seg::SyllableKeyer k, seg::SegmenterModel m) : keyer(std::move(k)), model(std::move(m)) {}
  seg::SyllableKeyer keyer;
  seg::SegmenterModel model;
};

// Per-call buffers, reused across the sentences of one call so that
// segmenting allocates per document, not per sentence or per token.
namespace {
struct Scratch {
  seg::SentenceAnalysis analysis;
  std::vector<float> scores;
  std::vector<uint8_t> labels;
};
}  // namespace

WordSegmenter::WordSegmenter(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
WordSegmenter::WordSegmenter(WordSegmenter&&) noexcept = default;
WordSegmenter& WordSegmenter::operator=(WordSegmenter&&) noexcept = default;
WordSegmenter::~WordSegmenter() = default;

Expected<WordSegmenter> WordSegmenter::Create(const std::filesystem::path& lexicon_dir,
                                              const std::filesystem::path& dictionary_path) {
  auto keyer = seg::SyllableKeyer::Create();
  if (!keyer.ok()) return keyer.status();
  auto words = seg::LoadSegmenterWords(*keyer, lexicon_dir, dictionary_path);
  if (!words.ok()) return words.status();
  float trans[2][2] = {{0, 0}, {0, 0}};
  auto features =
      seg::SegmenterModel::ReadFeatures(lexicon_dir / "segmenter_model.tsv", *keyer, trans);
  if (!features.ok()) return features.status();
  seg::SegmenterModel model = seg::SegmenterModel::Build(*keyer, *words, *features, trans);
  // Syllables the model has weights for are the ones running text is made
  // of; memoizing only those keeps the table small enough to stay in cache.
  std::vector<std::string> frequent;
  std::vector<uint32_t> unigrams;
  for (std::string& spelling : seg::SyllableSpellings(words->general)) {
    const uint32_t entry =
        model.Lookup(seg::ExtendSequence(seg::kSequenceStart, keyer->Key(spelling)));
    if (entry >> seg::kDictFlagBits) {
      frequent.push_back(std::move(spelling));
      unigrams.push_back(entry);
    }
  }
  keyer->Memoize(frequent, unigrams);
  return WordSegmenter(std::make_unique<const Impl>(std::move(keyer).value(), std::move(model)));
}

std::vector<bool> WordSegmenter::WordStarts(const std::vector<std::string_view>& tokens) const {
  Scratch s;
  const seg::SegmenterModel& model = impl_->model;
  model.PrepareUnits(impl_->keyer, tokens.size(), &s.analysis);
  for (size_t i = 0; i < tokens.size(); ++i) {
    s.analysis.units[i + 2] = impl_->keyer.Analyze(tokens[i]);
  }
  model.AnalyzeSentence(&s.analysis);
  model.Decode(s.analysis, &s.scores, &s.labels);
  std::vector<bool> starts(s.labels.size());
  for (size_t g = 0; g < s.labels.size(); ++g) starts[g] = s.labels[g] == 0;
  return starts;
}

void WordSegmenter::Segment(Document* doc) const {
  Scratch s;
  const seg::SegmenterModel& model = impl_->model;
  doc->words.clear();
  doc->words.reserve(doc->tokens.size());
  for (Sentence& sentence : doc->sentences) {
    sentence.first_word = static_cast<uint32_t>(doc->words.size());
    const uint32_t first = sentence.first_token;
    const size_t n = sentence.end_token - first;
    model.PrepareUnits(impl_->keyer, n, &s.analysis);
    for (size_t i = 0; i < n; ++i) {
      const Token& token = doc->tokens[first + i];
      seg::Unit unit = impl_->keyer.Analyze(doc->TokenText(token));
      // Only letter syllables join; abbreviations, numbers and codes stay whole.
      unit.joinable = unit.joinable && token.kind == TokenKind::kSyllable;
      s.analysis.units[i + 2] = unit;
    }
    model.AnalyzeSentence(&s.analysis);
    // A word's syllables are separated by spaces only: tokens that touch, or
    // are separated by a line break or a tab, belong to different words.
    for (size_t g = 0; g + 1 < n; ++g) {
      const uint32_t from = doc->tokens[first + g].end;
      const uint32_t to = doc->tokens[first + g + 1].begin;
      bool spaces = to > from;
      for (uint32_t b = from; spaces && b < to; ++b) spaces = doc->text[b] == ' ';
      if (!spaces) s.analysis.forced[g] = seg::SentenceAnalysis::kForceSplit;
    }
    model.Decode(s.analysis, &s.scores, &s.labels);
    for (size_t i = 0; i < n;) {
      size_t j = i + 1;
      while (j < n && s.labels[j - 1] == 1) ++j;
      doc->words.push_back({doc->tokens[first + i].begin, doc->tokens[first + j - 1].end,
                            static_cast<uint32_t>(first + i), static_cast<uint32_t>(first + j)});
      i = j;
    }
    sentence.end_word = static_cast<uint32_t>(doc->words.size());
  }
}

}  // namespace vnfacts
