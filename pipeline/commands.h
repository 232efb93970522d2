// The commands of the `vnfacts` CLI as library functions. The executable only
// parses options into these structs and calls them; tests call them directly
// too. Each returns the process exit code and writes to the streams it is
// given, never to globals.
#ifndef VNFACTS_PIPELINE_COMMANDS_H_
#define VNFACTS_PIPELINE_COMMANDS_H_

#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/document.h"

namespace vnfacts {

struct CommonOptions {
  std::string lexicon_dir;  // empty: the default lexicons
  std::string dictionary;   // empty: the installed @vntk/dictionary word list
};

struct TokenizeOptions {
  CommonOptions common;
  std::vector<std::string> inputs;  // files, folders or "-"
  std::string format = "text";      // text | conllu
};
int RunTokenize(const TokenizeOptions& options, std::ostream& out, std::ostream& err);

struct ExtractOptions {
  CommonOptions common;
  std::vector<std::string> inputs;
  std::string format = "jsonl";  // jsonl | text
  std::optional<CivilDate> date;  // reference date for inferring years
  std::vector<std::string> kinds;  // empty: every kind
};
int RunExtract(const ExtractOptions& options, std::ostream& out, std::ostream& err);

// Parses YYYY-MM-DD (also YYYY-MM and YYYY, with missing parts 1).
std::optional<CivilDate> ParseIsoDate(const std::string& text);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_COMMANDS_H_
