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
  // ReadFeatures() keys the syllables of some 58,000 feature names and
  // Build() every syllable of the word list (some 170,000, of about 22,000
  // spellings): with every spelling memoized first, they look most of them
  // up instead of scanning them. The memo holds the scan's own results, so
  // the model is the same.
  std::vector<std::string> spellings = seg::SyllableSpellings(words->general);
  keyer->Memoize(spellings, {});
  float trans[2][2] = {{0, 0}, {0, 0}};
  auto features =
      seg::SegmenterModel::ReadFeatures(lexicon_dir / "segmenter_model.tsv", *keyer, trans);
  if (!features.ok()) return features.status();
  seg::SegmenterModel model = seg::SegmenterModel::Build(*keyer, *words, *features, trans);
  // Syllables the model has weights for are the ones running text is made
  // of; memoizing only those keeps the table small enough to stay in cache.
  std::vector<std::string> frequent;
  std::vector<uint32_t> unigrams;
  for (std::string& spelling : spellings) {
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

namespace {

// Appends the words of one sentence of `text`, given as its `n` tokens,
// numbering its tokens from `first` on. What Segment() and
// SegmentSentence() both do per sentence.
void SegmentTokens(const seg::SegmenterModel& model, const seg::SyllableKeyer& keyer,
                   std::string_view text, const Token* sentence_tokens, uint32_t first, size_t n,
                   Scratch* s, std::vector<Word>* words) {
  model.PrepareUnits(keyer, n, &s->analysis);
  seg::Unit* units = s->analysis.units.data() + 2;
  for (size_t i = 0; i < n; ++i) {
    const Token& token = sentence_tokens[i];
    seg::Unit unit = keyer.Analyze(text.substr(token.begin, token.end - token.begin));
    // Only letter syllables join; abbreviations, numbers and codes stay whole.
    unit.joinable = unit.joinable && token.kind == TokenKind::kSyllable;
    units[i] = unit;
  }
  model.AnalyzeSentence(&s->analysis);
  // A word's syllables are separated by spaces only: tokens that touch, or
  // are separated by a line break or a tab, belong to different words.
  uint8_t* forced = s->analysis.forced.data();
  for (size_t g = 0; g + 1 < n; ++g) {
    const uint32_t from = sentence_tokens[g].end;
    const uint32_t to = sentence_tokens[g + 1].begin;
    bool spaces = to > from;
    for (uint32_t b = from; spaces && b < to; ++b) spaces = text[b] == ' ';
    if (!spaces) forced[g] = seg::SentenceAnalysis::kForceSplit;
  }
  model.Decode(s->analysis, &s->scores, &s->labels);
  const uint8_t* labels = s->labels.data();
  for (size_t i = 0; i < n;) {
    size_t j = i + 1;
    while (j < n && labels[j - 1] == 1) ++j;
    words->push_back({sentence_tokens[i].begin, sentence_tokens[j - 1].end,
                      static_cast<uint32_t>(first + i), static_cast<uint32_t>(first + j)});
    i = j;
  }
}

}  // namespace

void WordSegmenter::Segment(Document* doc) const {
  Scratch s;
  doc->words.clear();
  doc->words.reserve(doc->tokens.size());
  doc->word_source = nullptr;
  for (Sentence& sentence : doc->sentences) {
    sentence.first_word = static_cast<uint32_t>(doc->words.size());
    SegmentTokens(impl_->model, impl_->keyer, doc->text, doc->tokens.data() + sentence.first_token,
                  sentence.first_token, sentence.end_token - sentence.first_token, &s, &doc->words);
    sentence.end_word = static_cast<uint32_t>(doc->words.size());
  }
}

void WordSegmenter::SegmentSentence(std::string_view text, std::span<const Token> tokens,
                                    uint32_t first_token, std::vector<Word>* words) const {
  Scratch s;
  SegmentTokens(impl_->model, impl_->keyer, text, tokens.data(), first_token, tokens.size(), &s,
                words);
}

}  // namespace vnfacts
