// Lexicons are how vnfacts knows Vietnamese: UTF-8 TSV files in `lexicons/`
// with `#` comments that a user can extend without recompiling. This is the one
// loader for all of them. It NFC-normalizes every field (a lexicon typed with
// decomposed diacritics still matches), checks the number of fields, and
// rejects bad or duplicate rows with "file:line: reason".
#ifndef VNFACTS_PIPELINE_LEXICON_H_
#define VNFACTS_PIPELINE_LEXICON_H_

#include <cstdint>
#include <filesystem>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/status.h"

namespace vnfacts {

struct LexiconRow {
  uint32_t line = 0;  // 1-based line number in the file, for error messages
  std::vector<std::string> fields;
};

struct LexiconTable {
  std::string path;
  std::vector<LexiconRow> rows;
  // "path:line: message", for rejecting a row after loading.
  std::string Where(const LexiconRow& row) const;
};

struct LexiconSpec {
  size_t min_fields = 1;
  size_t max_fields = 1;
  // Reject a second row with the same first field (compared after NFC and,
  // when `case_insensitive_key`, lower-casing).
  bool unique_key = true;
  bool case_insensitive_key = false;
};

Expected<LexiconTable> LoadLexiconTable(const std::filesystem::path& path,
                                        const LexiconSpec& spec);
// Parses lexicon text already in memory; `path` only names it in errors.
Expected<LexiconTable> ParseLexiconTable(std::string_view content, const std::string& path,
                                         const LexiconSpec& spec);

// NFC-normalizes a UTF-8 string with ICU.
std::string ToNfc(std::string_view text);

// Where the bundled lexicons and the installed general dictionary live:
// $VNFACTS_LEXICONS / $VNFACTS_DICTIONARY when set, else the source tree.
std::filesystem::path DefaultLexiconDir();
std::filesystem::path DefaultDictionaryPath();

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_LEXICON_H_
