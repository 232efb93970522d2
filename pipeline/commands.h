// The commands of the `vnfacts` CLI as library functions. The executable only
// parses options into these structs and calls them; tests call them directly
// too. Each returns the process exit code and writes to the streams it is
// given, never to globals.
#ifndef VNFACTS_PIPELINE_COMMANDS_H_
#define VNFACTS_PIPELINE_COMMANDS_H_

#include <atomic>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/document.h"

namespace vnfacts {

struct CommonOptions {
  std::string lexicon_dir;  // empty: the default lexicons
  std::string dictionary;   // empty: the installed @vntk/dictionary word list
  std::string encoding;     // empty: detect per file; else force one (utf-8, windows-1258, tcvn3, vni, viqr)
  // The file descriptor the command's output goes to, when the caller knows
  // it (the CLI: standard output); an input that is that file is not read.
  int output_fd = -1;
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

struct RunOptions {
  CommonOptions common;
  std::string db = "vnfacts.db";
  std::vector<std::string> inputs;  // empty: the bundled corpus/articles
  bool date_from_metadata = false;
  bool quiet = false;
  int jobs = 0;             // 0: one per core
  std::string shard;        // "I/N": only the I-th of N deterministic parts (0 <= I < N)
  bool progress_is_terminal = false;
  // Stored articles become durable and visible to readers at least this often
  // (and every 8 MB of text); see BatchOptions.
  double commit_every_seconds = 2;
  const std::atomic<bool>* stop = nullptr;  // set (e.g. on Ctrl-C) to stop cleanly
  // Whether a database this run creates gets a search index (see
  // FactStoreOptions::search_index); `vnfacts index` builds it later.
  bool search_index = true;
};
// Runs the whole pipeline over files and folders into the database and prints
// a summary. Exit 0 when every input was stored or unchanged, 1 when some
// inputs failed (the others are still stored), 2 when the run could not start.
int RunIngest(const RunOptions& options, std::ostream& out, std::ostream& err);

// Merges shard databases into `out_db` (created if needed) with entity
// resolution; articles already in `out_db` with the same content are kept.
int RunMerge(const std::string& out_db, const std::vector<std::string>& inputs, std::ostream& out,
             std::ostream& err);

// Builds the search index of a database made without one (`run
// --no-search-index`). Exit 0 when built or already there, 2 on failure
// (the database is left as it was).
int RunIndex(const std::string& db, std::ostream& out, std::ostream& err);

struct SearchOptions {
  std::string db = "vnfacts.db";
  std::string kind;  // empty: everything; "article" for sentences only
  std::string format = "text";  // text | jsonl
  int limit = 20;
  std::string query;
};
int RunSearch(const SearchOptions& options, std::ostream& out, std::ostream& err);

struct ShowOptions {
  std::string db = "vnfacts.db";
  std::string what;  // person | document | article
  std::string key;
};
int RunShow(const ShowOptions& options, std::ostream& out, std::ostream& err);

struct CheckOptions {
  CommonOptions common;
  std::string db = "vnfacts.db";
  std::string format = "text";  // text | json | html
  std::string out;              // empty: stdout
};
// Checks the figures of every stored article, stores the findings and
// writes the report.
int RunCheck(const CheckOptions& options, std::ostream& out, std::ostream& err);

struct ExportOptions {
  std::string db = "vnfacts.db";
  std::string format = "jsonl";  // jsonl | csv
  std::string kind;
};
int RunExport(const ExportOptions& options, std::ostream& out, std::ostream& err);

// Parses YYYY-MM-DD (also YYYY-MM and YYYY, with missing parts 1).
std::optional<CivilDate> ParseIsoDate(const std::string& text);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_COMMANDS_H_
