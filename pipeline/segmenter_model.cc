#include "pipeline/segmenter_model.h"

#include <unicode/normalizer2.h>
#include <unicode/uchar.h>
#include <unicode/unistr.h>

#include <algorithm>
#include <charconv>
#include <unordered_map>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts::seg {

namespace {

constexpr uint32_t kBaseMask = 0x1FFFFF;
constexpr uint32_t kToneShift = 21;
constexpr uint32_t kUpperBit = 1u << 24;
constexpr uint32_t kLetterBit = 1u << 25;

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
    {"b", ""},        {"w-1", "S"},      {"w0", "S"},        {"w1", "S"},
    {"w2", "S"},      {"w-1w0", "SS"},   {"w0w1", "SS"},     {"w1w2", "SS"},
    {"w-1w0w1", "SSS"}, {"w0w1w2", "SSS"}, {"w-1w1", "SS"},  {"s0s1", "CC"},
    {"s-1s0s1s2", "CCCC"}, {"w0s1", "SC"}, {"s0w1", "CS"},   {"d", "CCC"},
    {"ds", "CCC"},    {"dk", "CCC"},     {"dn", "C"},        {"mm", "CC"},
    {"kn", "CCCC"},   {"tr", "CC"},
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
    }
    k.fold_[c] = entry;
  }
  k.begin_key_ = k.Key("<s>");
  k.end_key_ = k.Key("</s>");
  k.number_key_ = k.Key("#N");
  k.punct_key_ = k.Key("#P");
  k.other_key_ = k.Key("#O");
  return k;
}

uint64_t SyllableKeyer::Key(std::string_view text) const {
  uint64_t h = 0xCBF29CE484222325ULL;
  uint32_t tone = 0;
  size_t pos = 0;
  while (pos < text.size()) {
    const unsigned char b = static_cast<unsigned char>(text[pos]);
    uint32_t base;
    if (b < 0x80) {
      base = (b >= 'A' && b <= 'Z') ? b + 32 : b;
      ++pos;
    } else {
      const int32_t c = NextCodePoint(text, &pos);
      if (c < 0) {
        base = 0xFFFD;
      } else if (static_cast<uint32_t>(c) < kTableSize) {
        const uint32_t e = fold_[c];
        base = (e & kLetterBit) ? (e & kBaseMask) : static_cast<uint32_t>(c);
        if (const uint32_t t = (e & kLetterBit) ? (e >> kToneShift) & 7 : 0) tone = t;
      } else {
        base = ToLower(static_cast<char32_t>(c));
      }
    }
    h = (h ^ base) * 0x100000001B3ULL;
  }
  return Mix(h, tone);
}

Unit SyllableKeyer::Analyze(std::string_view token) const {
  size_t letters = 0, uppers = 0, digits = 0, others = 0;
  bool first_upper = false;
  size_t pos = 0;
  while (pos < token.size()) {
    const unsigned char b = static_cast<unsigned char>(token[pos]);
    bool letter, upper;
    if (b < 0x80) {
      letter = (b | 0x20) >= 'a' && (b | 0x20) <= 'z';
      upper = b >= 'A' && b <= 'Z';
      digits += b >= '0' && b <= '9';
      ++pos;
    } else {
      const int32_t c = NextCodePoint(token, &pos);
      if (c >= 0 && static_cast<uint32_t>(c) < kTableSize) {
        letter = fold_[c] & kLetterBit;
        upper = fold_[c] & kUpperBit;
      } else {
        letter = c >= 0 && IsLetter(static_cast<char32_t>(c));
        upper = letter && IsUpper(static_cast<char32_t>(c));
        digits += c >= 0 && u_isdigit(c);
      }
    }
    if (letter) {
      if (letters == 0 && others == 0) first_upper = upper;
      ++letters;
      uppers += upper;
    } else {
      ++others;
    }
  }
  others -= std::min(others, digits);  // digits were counted as non-letters too
  Unit u;
  if (digits > 0) {
    u.key = number_key_;
    u.shape = Shape::kNumber;
    return u;
  }
  if (letters == 0) {
    u.key = HasBar(token) ? punct_key_ : Key(token);
    u.shape = Shape::kPunct;
    return u;
  }
  if (others > 0) {
    u.key = HasBar(token) ? other_key_ : Key(token);
    u.shape = Shape::kOther;
    return u;
  }
  u.key = Key(token);
  u.joinable = true;
  if (uppers == 0) {
    u.shape = Shape::kLower;
  } else if (first_upper && uppers == 1) {
    u.shape = Shape::kTitle;
  } else if (uppers == letters) {
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

template <typename V>
void FlatTable<V>::Build(const std::vector<std::pair<uint64_t, V>>& entries) {
  size_t capacity = 16;
  while (capacity < entries.size() * 2) capacity *= 2;
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
template class FlatTable<uint8_t>;
template class FlatTable<float>;

Dictionary Dictionary::Build(const SyllableKeyer& keyer, const std::vector<std::string>& words) {
  std::unordered_map<uint64_t, uint8_t> flags;
  std::vector<Unit> units;
  Dictionary d;
  for (const std::string& word : words) {
    units.clear();
    bool ok = true;
    size_t start = 0;
    while (start <= word.size() && ok) {
      size_t space = word.find(' ', start);
      if (space == std::string::npos) space = word.size();
      if (space > start) {
        const Unit u = keyer.Analyze(std::string_view(word).substr(start, space - start));
        ok = u.joinable;
        units.push_back(u);
      }
      start = space + 1;
    }
    if (!ok || units.empty()) continue;
    for (const Unit& u : units) flags[Extend(Start(), u.key)] |= kDictSyllable;
    if (units.size() < 2 || units.size() > kMaxWordSyllables) continue;
    const bool proper = units[0].shape == Shape::kTitle || units[0].shape == Shape::kCaps;
    uint64_t seq = Start();
    for (size_t i = 0; i < units.size(); ++i) {
      seq = Extend(seq, units[i].key);
      if (i + 1 < units.size()) {
        flags[seq] |= kDictPrefix;
      } else {
        uint8_t& f = flags[seq];
        if (!(f & kDictWord)) ++d.words_;
        f |= kDictWord | (proper ? kDictProper : kDictCommon);
      }
    }
  }
  std::vector<std::pair<uint64_t, uint8_t>> entries(flags.begin(), flags.end());
  d.table_.Build(entries);
  return d;
}

Expected<Dictionaries> LoadDictionaries(const SyllableKeyer& keyer,
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
  std::vector<std::string> project_words;
  for (const LexiconRow& row : project->rows) {
    const std::string& w = row.fields[0];
    if (w.find(' ') == std::string::npos) {
      return Status::Error(project->Where(row) + ": '" + w +
                           "' has one syllable; list multi-syllable words only");
    }
    size_t start = 0, syllables = 0;
    while (start <= w.size()) {
      size_t space = w.find(' ', start);
      if (space == std::string::npos) space = w.size();
      if (space > start) {
        ++syllables;
        if (!keyer.Analyze(std::string_view(w).substr(start, space - start)).joinable) {
          return Status::Error(project->Where(row) + ": '" + w +
                               "': syllables must be letters only, separated by spaces");
        }
      }
      start = space + 1;
    }
    if (syllables > Dictionary::kMaxWordSyllables) {
      return Status::Error(project->Where(row) + ": '" + w + "' has more than " +
                           std::to_string(Dictionary::kMaxWordSyllables) + " syllables");
    }
    project_words.push_back(w);
  }
  std::vector<std::string> words;
  words.reserve(general->rows.size() + project_words.size());
  for (LexiconRow& row : general->rows) words.push_back(std::move(row.fields[0]));
  words.insert(words.end(), project_words.begin(), project_words.end());
  Dictionaries d;
  d.general = Dictionary::Build(keyer, words);
  d.project = Dictionary::Build(keyer, project_words);
  return d;
}

// ---------------------------------------------------------------- analysis

void PrepareUnits(const SyllableKeyer& keyer, size_t tokens, SentenceAnalysis* a) {
  a->tokens = tokens;
  Unit begin{keyer.begin_key(), Shape::kBoundary, false};
  Unit end{keyer.end_key(), Shape::kBoundary, false};
  a->units.resize(tokens + 5);
  a->units[0] = a->units[1] = begin;
  a->units[tokens + 2] = a->units[tokens + 3] = a->units[tokens + 4] = end;
}

void AnalyzeSentence(const Dictionary& dictionary, const Dictionary& project,
                     SentenceAnalysis* a) {
  const size_t n = a->tokens;
  const size_t gaps = a->gaps();
  Unit* u = a->units.data() + 2;
  a->forced.assign(gaps, SentenceAnalysis::kFree);
  a->span_len.assign(gaps, 0);
  a->span_flags.assign(gaps, 0);
  a->bigram.assign(gaps, 0);
  a->fmm.assign(gaps, 0);
  a->bmm.assign(gaps, 0);
  a->start_len.assign(n, 1);
  a->end_len.assign(n, 1);
  for (size_t g = 0; g < gaps; ++g) {
    if (!u[g].joinable || !u[g + 1].joinable) a->forced[g] = SentenceAnalysis::kForceSplit;
  }
  for (size_t i = 0; i < n; ++i) {
    if (!u[i].joinable) {
      a->start_len[i] = a->end_len[i] = 0;
      continue;
    }
    uint64_t seq = Dictionary::Extend(Dictionary::Start(), u[i].key);
    uint8_t f = dictionary.Lookup(seq);
    u[i].known = f & kDictSyllable;
    for (size_t j = i + 1; j < n && j - i < Dictionary::kMaxWordSyllables; ++j) {
      if (!(f & kDictPrefix) || !u[j].joinable) break;
      seq = Dictionary::Extend(seq, u[j].key);
      f = dictionary.Lookup(seq);
      if (!(f & kDictWord)) continue;
      const uint8_t len = static_cast<uint8_t>(j - i + 1);
      a->start_len[i] = std::max(a->start_len[i], len);
      a->end_len[j] = std::max(a->end_len[j], len);
      for (size_t g = i; g < j; ++g) {
        if (len > a->span_len[g]) {
          a->span_len[g] = len;
          a->span_flags[g] = f;
        }
      }
      if (len == 2) a->bigram[i] |= 1;
      if (len == 3) {
        a->bigram[i] |= 4;
        a->bigram[i + 1] |= 2;
      }
    }
  }
  // Forward and backward maximum matching, the classic baselines, as features.
  for (size_t i = 0; i < n;) {
    const size_t len = std::max<size_t>(a->start_len[i], 1);
    for (size_t g = i; g + 1 < i + len; ++g) a->fmm[g] = 1;
    i += len;
  }
  for (size_t j = n; j > 0;) {
    const size_t len = std::max<size_t>(a->end_len[j - 1], 1);
    for (size_t g = j - len; g + 1 < j; ++g) a->bmm[g] = 1;
    j -= len;
  }
  if (project.size() == 0) return;
  // The project's own words join whatever the model says (leftmost longest).
  for (size_t i = 0; i < n;) {
    size_t best = 0;
    if (u[i].joinable) {
      uint64_t seq = Dictionary::Extend(Dictionary::Start(), u[i].key);
      uint8_t f = project.Lookup(seq);
      for (size_t j = i + 1; j < n && j - i < Dictionary::kMaxWordSyllables; ++j) {
        if (!(f & kDictPrefix) || !u[j].joinable) break;
        seq = Dictionary::Extend(seq, u[j].key);
        f = project.Lookup(seq);
        if (f & kDictWord) best = j - i + 1;
      }
    }
    if (best < 2) {
      ++i;
      continue;
    }
    for (size_t g = i; g + 1 < i + best; ++g) a->forced[g] = SentenceAnalysis::kForceJoin;
    i += best;
  }
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

// ---------------------------------------------------------------- model

bool SegmenterModel::ParseFeature(std::string_view name, const SyllableKeyer& keyer,
                                  uint64_t* hash, Template* out_template) {
  const size_t colon = name.find(':');
  if (colon == std::string_view::npos) return false;
  const std::string_view tname = name.substr(0, colon);
  int t = 0;
  while (t < kNumTemplates && kTemplates[t].name != tname) ++t;
  if (t == kNumTemplates) return false;
  const std::string_view spec = kTemplates[t].atoms;
  uint64_t atoms[4] = {0, 0, 0, 0};
  std::string_view rest = name.substr(colon + 1);
  size_t count = 0;
  if (!spec.empty()) {
    while (true) {
      const size_t bar = rest.find('|');
      const std::string_view atom = rest.substr(0, bar);
      if (count >= spec.size() || atom.empty()) return false;
      if (spec[count] == 'C') {
        if (atom.size() != 1) return false;
        atoms[count] = static_cast<unsigned char>(atom[0]);
      } else {
        atoms[count] = keyer.Key(atom);
      }
      ++count;
      if (bar == std::string_view::npos) break;
      rest = rest.substr(bar + 1);
    }
  } else if (!rest.empty()) {
    return false;
  }
  if (count != spec.size()) return false;
  const Template tt = static_cast<Template>(t);
  switch (count) {
    case 0: *hash = FeatureHash(tt, {}); break;
    case 1: *hash = FeatureHash(tt, {atoms[0]}); break;
    case 2: *hash = FeatureHash(tt, {atoms[0], atoms[1]}); break;
    case 3: *hash = FeatureHash(tt, {atoms[0], atoms[1], atoms[2]}); break;
    default: *hash = FeatureHash(tt, {atoms[0], atoms[1], atoms[2], atoms[3]}); break;
  }
  if (out_template) *out_template = tt;
  return true;
}

Expected<SegmenterModel> SegmenterModel::Load(const std::filesystem::path& path,
                                              const SyllableKeyer& keyer) {
  auto table = LoadLexiconTable(path, LexiconSpec{2, 2, true, false});
  if (!table.ok()) return table.status();
  SegmenterModel model;
  std::vector<std::pair<uint64_t, float>> entries;
  entries.reserve(table->rows.size());
  for (const LexiconRow& row : table->rows) {
    uint64_t hash = 0;
    Template t = kBias;
    if (!ParseFeature(row.fields[0], keyer, &hash, &t)) {
      return Status::Error(table->Where(row) + ": malformed feature '" + row.fields[0] + "'");
    }
    const std::string& w = row.fields[1];
    float weight = 0;
    const auto [end, ec] = std::from_chars(w.data(), w.data() + w.size(), weight);
    if (ec != std::errc() || end != w.data() + w.size()) {
      return Status::Error(table->Where(row) + ": bad weight '" + w + "'");
    }
    if (t == kTransition) {
      const std::string_view atoms = std::string_view(row.fields[0]).substr(3);  // "tr:"
      if (atoms.size() != 3 || (atoms[0] != '0' && atoms[0] != '1') ||
          (atoms[2] != '0' && atoms[2] != '1')) {
        return Status::Error(table->Where(row) + ": transition must be tr:0|1 style");
      }
      model.trans_[atoms[0] - '0'][atoms[2] - '0'] = weight;
      continue;
    }
    entries.emplace_back(hash, weight);
  }
  if (entries.empty()) return Status::Error(path.string() + ": model has no features");
  model.weights_.Build(entries);
  return model;
}

SegmenterModel SegmenterModel::FromWeights(
    const std::vector<std::pair<uint64_t, float>>& weights, const float trans[2][2]) {
  SegmenterModel model;
  model.weights_.Build(weights);
  for (int p = 0; p < 2; ++p) {
    for (int c = 0; c < 2; ++c) model.trans_[p][c] = trans[p][c];
  }
  return model;
}

namespace {
struct SumSink {
  const FlatTable<float>* weights;
  float total = 0;
  void operator()(Template t, std::initializer_list<uint64_t> atoms) {
    total += weights->Find(FeatureHash(t, atoms), 0.0f);
  }
};
}  // namespace

float SegmenterModel::JoinScore(const SentenceAnalysis& a, size_t g) const {
  SumSink sink{&weights_};
  GapFeatures(a, g, sink);
  return sink.total;
}

void DecodeSentence(const SegmenterModel& model, const SentenceAnalysis& a,
                    std::vector<float>* scores, std::vector<uint8_t>* labels) {
  const size_t gaps = a.gaps();
  scores->assign(gaps, 0.0f);
  labels->assign(gaps, 0);
  for (size_t g = 0; g < gaps; ++g) {
    if (a.forced[g] == SentenceAnalysis::kFree) (*scores)[g] = model.JoinScore(a, g);
  }
  Viterbi(scores->data(), a.forced.data(), gaps, model.transitions(), labels->data());
}

}  // namespace vnfacts::seg
