#include "pipeline/lexicon.h"

#include <unicode/normalizer2.h>
#include <unicode/unistr.h>

#include <cstdlib>
#include <deque>
#include <fstream>
#include <sstream>
#include <unordered_map>

#include "pipeline/utf8.h"

namespace vnfacts {

std::string LexiconTable::Where(const LexiconRow& row) const {
  return path + ":" + std::to_string(row.line);
}

namespace {

// True when every character of `text` is below U+0300 or in Latin Extended
// Additional (U+1E00-U+1EFF), where Vietnamese keeps its precomposed
// letters. None of those characters is a combining mark or can be changed
// by composition (NFC quick check "yes", combining class 0; the unit tests
// check both over the ranges with ICU), so such text is NFC as it stands.
// Ill-formed UTF-8 returns false and goes to ICU.
bool PlainlyNfc(std::string_view text) {
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const size_t n = text.size();
  size_t i = 0;
  while (i < n) {
    const unsigned char b = s[i];
    if (b < 0x80) {
      ++i;
    } else if (b >= 0xC2 && b <= 0xCB) {  // U+0080-U+02FF
      if (i + 1 >= n || (s[i + 1] & 0xC0) != 0x80) return false;
      i += 2;
    } else if (b == 0xE1 && i + 2 < n && s[i + 1] >= 0xB8 && s[i + 1] <= 0xBB &&
               (s[i + 2] & 0xC0) == 0x80) {  // U+1E00-U+1EFF
      i += 3;
    } else {
      return false;
    }
  }
  return true;
}

}  // namespace

std::string ToNfc(std::string_view text) {
  // Nearly every field of every lexicon passes this test; ICU's own check
  // cost some 45 M instructions of each start-up.
  if (PlainlyNfc(text)) return std::string(text);
  UErrorCode status = U_ZERO_ERROR;
  const icu::Normalizer2* nfc = icu::Normalizer2::getNFCInstance(status);
  if (U_FAILURE(status)) return std::string(text);
  // Checked on the UTF-8 itself: nearly every field of every lexicon is NFC
  // already, and a UTF-16 copy of each cost a sixth of start-up.
  const icu::StringPiece utf8(text.data(), static_cast<int32_t>(text.size()));
  if (nfc->isNormalizedUTF8(utf8, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  icu::UnicodeString source = icu::UnicodeString::fromUTF8(utf8);
  // Asked again of the UTF-16 copy, as before the check above existed, so
  // ill-formed UTF-8 (read as U+FFFD here) is treated exactly as it was.
  if (nfc->isNormalized(source, status) && U_SUCCESS(status)) return std::string(text);
  status = U_ZERO_ERROR;
  icu::UnicodeString normalized = nfc->normalize(source, status);
  std::string out;
  normalized.toUTF8String(out);
  return out;
}

// The tab-separated fields of a line, trimmed of spaces, as views of it
// (into `fields`, which the caller reuses from line to line).
static void SplitTabs(std::string_view line, std::vector<std::string_view>* fields) {
  fields->clear();
  size_t start = 0;
  while (true) {
    size_t tab = line.find('\t', start);
    std::string_view field = line.substr(start, tab == std::string_view::npos ? tab : tab - start);
    while (!field.empty() && field.back() == ' ') field.remove_suffix(1);
    while (!field.empty() && field.front() == ' ') field.remove_prefix(1);
    fields->push_back(field);
    if (tab == std::string_view::npos) break;
    start = tab + 1;
  }
}

Expected<LexiconTable> ParseLexiconTable(std::string_view content, const std::string& path,
                                         const LexiconSpec& spec) {
  if (auto bad = FindInvalidUtf8(content)) {
    return Status::Error(path + ": invalid UTF-8 at byte " + std::to_string(*bad));
  }
  LexiconTable table;
  table.path = path;
  // Keys are views, not copies: of `content` itself when the first field is
  // already NFC (nearly always), else of a string kept in `changed_keys`,
  // whose elements never move.
  std::unordered_map<std::string_view, uint32_t> seen;
  std::deque<std::string> changed_keys;
  std::vector<std::string_view> parts;
  uint32_t line_number = 0;
  size_t pos = 0;
  while (pos <= content.size()) {
    size_t eol = content.find('\n', pos);
    std::string_view line = content.substr(pos, eol == std::string_view::npos ? eol : eol - pos);
    pos = eol == std::string_view::npos ? content.size() + 1 : eol + 1;
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line_number == 1 && line.substr(0, 3) == "\xEF\xBB\xBF") line.remove_prefix(3);
    size_t first = line.find_first_not_of(" \t");
    if (first == std::string_view::npos || line[first] == '#') continue;
    SplitTabs(line, &parts);
    // Trailing empty fields are optional columns left out.
    while (parts.size() > spec.min_fields && parts.back().empty()) parts.pop_back();
    // Only errors name the line: built for every row, the text cost more
    // than parsing the row.
    auto where = [&] { return path + ":" + std::to_string(line_number); };
    if (parts.size() < spec.min_fields || parts.size() > spec.max_fields) {
      return Status::Error(where() + ": expected " + std::to_string(spec.min_fields) +
                           (spec.max_fields != spec.min_fields
                                ? " to " + std::to_string(spec.max_fields)
                                : std::string()) +
                           " tab-separated fields, found " + std::to_string(parts.size()));
    }
    LexiconRow row;
    row.line = line_number;
    row.fields.reserve(parts.size());
    bool key_changed = false;
    for (const std::string_view part : parts) {
      if (PlainlyNfc(part)) {
        row.fields.emplace_back(part);
      } else {
        row.fields.push_back(ToNfc(part));
        key_changed = key_changed || row.fields.size() == 1;
      }
    }
    if (row.fields[0].empty()) return Status::Error(where() + ": empty first field");
    if (spec.unique_key) {
      std::string_view key = parts[0];
      if (spec.case_insensitive_key) {
        key = changed_keys.emplace_back(ToLowerUtf8(row.fields[0]));
      } else if (key_changed) {
        key = changed_keys.emplace_back(row.fields[0]);
      }
      auto [it, inserted] = seen.emplace(key, line_number);
      if (!inserted) {
        return Status::Error(where() + ": duplicate entry '" + row.fields[0] + "' (first at line " +
                             std::to_string(it->second) + ")");
      }
    }
    table.rows.push_back(std::move(row));
  }
  return table;
}

Expected<LexiconTable> LoadLexiconTable(const std::filesystem::path& path,
                                        const LexiconSpec& spec) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return Status::Error(path.string() + ": cannot open lexicon file");
  std::ostringstream buffer;
  buffer << in.rdbuf();
  if (in.bad()) return Status::Error(path.string() + ": read error");
  return ParseLexiconTable(buffer.str(), path.string(), spec);
}

std::filesystem::path DefaultLexiconDir() {
  if (const char* env = std::getenv("VNFACTS_LEXICONS"); env && *env) return env;
  return std::filesystem::path(VNFACTS_SOURCE_DIR) / "lexicons";
}

std::filesystem::path DefaultDictionaryPath() {
  if (const char* env = std::getenv("VNFACTS_DICTIONARY"); env && *env) return env;
  return std::filesystem::path(VNFACTS_SOURCE_DIR) / "node_modules/@vntk/dictionary/data/Viet74K.txt";
}

}  // namespace vnfacts
