#include "pipeline/syllable_shape.h"

#include <algorithm>
#include <array>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

// Parses "U+0300" into a code point, or returns -1.
int32_t ParseCodePoint(std::string_view s) {
  if (s.size() < 3 || (s.substr(0, 2) != "U+" && s.substr(0, 2) != "u+")) return -1;
  int32_t value = 0;
  for (char c : s.substr(2)) {
    int digit;
    if (c >= '0' && c <= '9') {
      digit = c - '0';
    } else if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f') {
      digit = (c | 0x20) - 'a' + 10;
    } else {
      return -1;
    }
    value = value * 16 + digit;
    if (value > 0x10FFFF) return -1;
  }
  return value;
}

}  // namespace

Status SyllableShape::Load(const std::filesystem::path& path) {
  // Keys repeat: "c" is an onset and a coda.
  auto table = LoadLexiconTable(path, LexiconSpec{.min_fields = 2, .max_fields = 3, .unique_key = false});
  if (!table.ok()) return table.status();
  auto to_u32 = [](std::string_view s) {
    std::u32string out;
    size_t pos = 0;
    while (pos < s.size()) {
      const int32_t c = NextCodePoint(s, &pos);
      if (c >= 0) out.push_back(ToLower(static_cast<char32_t>(c)));
    }
    return out;
  };
  std::vector<char32_t> tones;
  std::unordered_set<std::string> seen;
  for (const LexiconRow& row : table->rows) {
    const std::string& part = row.fields[0];
    const std::string& kind = row.fields[1];
    if (!seen.insert(part + "\t" + kind).second) {
      return Status::Error(table->Where(row) + ": duplicate entry '" + part + "' " + kind);
    }
    const std::u32string letters = to_u32(part);
    if (kind == "onset") {
      onsets_.push_back(letters);
    } else if (kind == "coda") {
      codas_.insert(letters);
    } else if (kind == "vowel") {
      if (letters.size() != 1) return Status::Error(table->Where(row) + ": a vowel is one letter");
      vowels_.insert(letters[0]);
    } else if (kind == "tone") {
      const int32_t mark = ParseCodePoint(part);
      if (mark < 0) return Status::Error(table->Where(row) + ": a tone is written U+XXXX");
      tones.push_back(static_cast<char32_t>(mark));
    } else if (kind != "nucleus") {  // clusters matter to the legacy decoder only
      return Status::Error(table->Where(row) + ": unknown kind '" + kind +
                           "' (onset, vowel, nucleus, coda or tone)");
    }
    if (row.fields.size() == 3 && !row.fields[2].empty() &&
        (row.fields[2] != "stop" || kind != "coda")) {
      return Status::Error(table->Where(row) + ": only a coda can be marked 'stop'");
    }
  }
  if (vowels_.empty()) return Status::Error(path.string() + ": no vowels");
  std::sort(onsets_.begin(), onsets_.end(),
            [](const std::u32string& a, const std::u32string& b) { return a.size() > b.size(); });
  // Every toned vowel, in both cases, folds to its toneless lower-case vowel.
  for (char32_t vowel : vowels_) {
    fold_[vowel] = vowel;
    fold_[ToUpper(vowel)] = vowel;
    for (char32_t tone : tones) {
      std::string decomposed;
      AppendUtf8(vowel, &decomposed);
      AppendUtf8(tone, &decomposed);
      const std::string composed = ToNfc(decomposed);
      size_t pos = 0;
      const int32_t c = NextCodePoint(composed, &pos);
      if (c < 0 || pos != composed.size()) continue;  // no precomposed form
      fold_[static_cast<char32_t>(c)] = vowel;
      fold_[ToUpper(static_cast<char32_t>(c))] = vowel;
    }
  }
  return Status::Ok();
}

bool SyllableShape::IsSyllable(std::string_view word) const {
  std::array<char32_t, kMaxLetters> letters;
  size_t n = 0;
  size_t pos = 0;
  while (pos < word.size()) {
    const int32_t c = NextCodePoint(word, &pos);
    if (c < 0 || n == kMaxLetters) return false;
    auto it = fold_.find(static_cast<char32_t>(c));
    letters[n++] = it != fold_.end() ? it->second : ToLower(static_cast<char32_t>(c));
  }
  const std::u32string_view all(letters.data(), n);
  auto fits = [&](size_t onset) {
    size_t v = onset;
    while (v < n && v - onset < 3 && vowels_.contains(letters[v])) ++v;
    if (v == onset) return false;
    return v == n || codas_.contains(std::u32string(all.substr(v)));
  };
  for (const std::u32string& onset : onsets_) {
    if (all.substr(0, onset.size()) == onset && fits(onset.size())) return true;
  }
  return fits(0);
}

}  // namespace vnfacts
