// The vnfacts command line: parses options with Boost.Program_options and calls
// the library (pipeline/commands.h). No logic lives here.
#include <boost/program_options.hpp>

#include <signal.h>
#include <unistd.h>

#include <atomic>
#include <ctime>
#include <iostream>
#include <thread>
#include <string>
#include <vector>

#include "pipeline/commands.h"

namespace po = boost::program_options;

namespace {

constexpr const char* kUsage =
    "usage: vnfacts <command> [options]\n"
    "\n"
    "commands:\n"
    "  tokenize [PATH...|-]   sentences, tokens and words (syllables joined by _)\n"
    "  extract  [PATH...|-]   facts as JSON Lines (officials, documents, quantities, dates, terms)\n"
    "  run      [PATH...]     whole pipeline into a SQLite fact database (default: bundled corpus)\n"
    "  search   QUERY         full-text search of articles and facts, with or without diacritics\n"
    "  show     person NAME | document ID | article PATH\n"
    "  export                 all facts as JSON Lines or CSV\n"
    "  check                  cross-check reported figures (sums, percentages, conflicts)\n"
    "  merge    OUT.db IN.db...  merge shard databases with entity resolution\n"
    "  index                  build the search index of a database made with run --no-search-index,\n"
    "                         or merge an existing one's segments into one (faster searches)\n"
    "\n"
    "Run 'vnfacts <command> --help' for the options of a command.\n";

void AddCommon(po::options_description* desc, vnfacts::CommonOptions* common) {
  desc->add_options()
      ("help,h", "show this help")
      ("lexicons", po::value(&common->lexicon_dir), "lexicon directory (default: the bundled lexicons/)")
      ("dictionary", po::value(&common->dictionary), "general word list (default: installed @vntk/dictionary Viet74K.txt)")
      ("encoding", po::value(&common->encoding), "force the input encoding: utf-8, windows-1258, tcvn3, vni, viqr (default: detect per file)");
}

// For a command that takes no positional arguments: says so of the first
// one given.
bool RefusedArguments(const char* command, const std::vector<std::string>& arguments) {
  if (arguments.empty()) return false;
  std::cerr << "vnfacts " << command << ": unexpected argument '" << arguments[0] << "'\n";
  return true;
}

// Parses argv[2..]; returns -1 to go on, else an exit code.
int Parse(int argc, char** argv, po::options_description& desc, const char* usage,
          std::vector<std::string>* inputs) {
  po::options_description hidden;
  hidden.add_options()("input", po::value(inputs));
  po::options_description all;
  all.add(desc).add(hidden);
  po::positional_options_description positional;
  positional.add("input", -1);
  po::variables_map vm;
  try {
    po::store(po::command_line_parser(argc - 1, argv + 1).options(all).positional(positional).run(), vm);
    po::notify(vm);
  } catch (const po::error& e) {
    std::cerr << "vnfacts " << argv[1] << ": " << e.what() << "\n" << usage << desc;
    return 2;
  }
  if (vm.count("help")) {
    std::cout << usage << desc;
    return 0;
  }
  return -1;
}

int Tokenize(int argc, char** argv) {
  vnfacts::TokenizeOptions options;
  po::options_description desc("options");
  AddCommon(&desc, &options.common);
  desc.add_options()("format", po::value(&options.format)->default_value("text"), "text | conllu");
  int rc = Parse(argc, argv, desc, "usage: vnfacts tokenize [options] [PATH...|-]\n", &options.inputs);
  if (rc >= 0) return rc;
  options.common.output_fd = STDOUT_FILENO;
  return vnfacts::RunTokenize(options, std::cout, std::cerr);
}

int Extract(int argc, char** argv) {
  vnfacts::ExtractOptions options;
  po::options_description desc("options");
  AddCommon(&desc, &options.common);
  std::string date;
  desc.add_options()
      ("format", po::value(&options.format)->default_value("jsonl"), "jsonl | text")
      ("date", po::value(&date), "article date YYYY-MM-DD, to infer years of day-month dates")
      ("kind", po::value(&options.kinds)->composing(), "only facts of this kind (repeatable)");
  int rc = Parse(argc, argv, desc, "usage: vnfacts extract [options] [PATH...|-]\n", &options.inputs);
  if (rc >= 0) return rc;
  if (!date.empty()) {
    options.date = vnfacts::ParseIsoDate(date);
    if (!options.date) {
      std::cerr << "vnfacts extract: --date expects YYYY-MM-DD, got '" << date << "'\n";
      return 2;
    }
  }
  options.common.output_fd = STDOUT_FILENO;
  return vnfacts::RunExtract(options, std::cout, std::cerr);
}

int Run(int argc, char** argv) {
  vnfacts::RunOptions options;
  bool no_search_index = false;
  po::options_description desc("options");
  AddCommon(&desc, &options.common);
  desc.add_options()
      ("db", po::value(&options.db)->default_value("vnfacts.db"), "SQLite database to write")
      ("date-from-metadata", po::bool_switch(&options.date_from_metadata),
       "take each article's publication date from its metadata when present")
      ("quiet,q", po::bool_switch(&options.quiet), "print nothing but errors")
      ("jobs,j", po::value(&options.jobs)->default_value(0),
       "worker threads (0: one per core)")
      ("shard", po::value(&options.shard), "I/N: process only the I-th (0-based) of N parts of the inputs")
      ("commit-every", po::value(&options.commit_every_seconds)->default_value(2.0, "2"),
       "commit stored articles at least every this many seconds (also every 8 MB of text); "
       "a killed run loses at most that much work")
      ("no-search-index", po::bool_switch(&no_search_index),
       "make a new database without the search index (about a fifth less CPU, e.g. for shards, "
       "whose index merge builds); `vnfacts index` builds it later");
  int rc = Parse(argc, argv, desc, "usage: vnfacts run [options] [PATH...]\n", &options.inputs);
  if (rc >= 0) return rc;
  options.search_index = !no_search_index;
  if (!(options.commit_every_seconds >= 0 && options.commit_every_seconds <= 3600)) {
    std::cerr << "vnfacts run: --commit-every expects seconds from 0 to 3600\n";
    return 2;
  }
  options.progress_is_terminal = ::isatty(STDERR_FILENO) == 1;

  // Ctrl-C (or SIGTERM) asks the run to stop: signals are blocked in every
  // thread and picked up here, so the library sees only an atomic flag.
  // SIGUSR1 is how the main thread wakes the watcher when the run is over.
  std::atomic<bool> stop{false}, done{false};
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGUSR1);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::thread watcher([&] {
    while (!done.load()) {
      const int signal = sigwaitinfo(&signals, nullptr);
      if (signal == SIGINT || signal == SIGTERM) {
        if (stop.exchange(true)) std::_Exit(130);  // a second Ctrl-C: leave at once
        std::cerr << "\nvnfacts run: stopping after the articles in flight (Ctrl-C again to abort)\n";
      }
    }
  });
  options.stop = &stop;
  rc = vnfacts::RunIngest(options, std::cout, std::cerr);
  done = true;
  pthread_kill(watcher.native_handle(), SIGUSR1);
  watcher.join();
  return stop.load() ? 130 : rc;
}

int Check(int argc, char** argv) {
  vnfacts::CheckOptions options;
  po::options_description desc("options");
  AddCommon(&desc, &options.common);
  desc.add_options()
      ("db", po::value(&options.db)->default_value("vnfacts.db"), "SQLite database")
      ("format", po::value(&options.format)->default_value("text"), "text | json | html")
      ("out", po::value(&options.out), "write the report to this file (default: stdout)");
  std::vector<std::string> none;
  int rc = Parse(argc, argv, desc, "usage: vnfacts check [options]\n", &none);
  if (rc >= 0) return rc;
  if (RefusedArguments("check", none)) return 2;
  return vnfacts::RunCheck(options, std::cout, std::cerr);
}

int Merge(int argc, char** argv) {
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help");
  std::vector<std::string> databases;
  int rc = Parse(argc, argv, desc, "usage: vnfacts merge OUT.db IN.db...\n", &databases);
  if (rc >= 0) return rc;
  if (databases.size() < 2) {
    std::cerr << "usage: vnfacts merge OUT.db IN.db...\n";
    return 2;
  }
  return vnfacts::RunMerge(databases[0], {databases.begin() + 1, databases.end()}, std::cout,
                           std::cerr);
}

int Index(int argc, char** argv) {
  std::string db;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("db", po::value(&db)->default_value("vnfacts.db"), "SQLite database");
  std::vector<std::string> none;
  int rc = Parse(argc, argv, desc, "usage: vnfacts index [--db DB]\n", &none);
  if (rc >= 0) return rc;
  if (RefusedArguments("index", none)) return 2;
  return vnfacts::RunIndex(db, std::cout, std::cerr);
}

int Search(int argc, char** argv) {
  vnfacts::SearchOptions options;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("db", po::value(&options.db)->default_value("vnfacts.db"), "SQLite database")
      ("kind", po::value(&options.kind), "only article sentences (article) or facts of one kind")
      ("format", po::value(&options.format)->default_value("text"), "text | jsonl")
      ("limit", po::value(&options.limit)->default_value(20), "at most this many results");
  std::vector<std::string> words;
  int rc = Parse(argc, argv, desc, "usage: vnfacts search [options] QUERY\n", &words);
  if (rc >= 0) return rc;
  for (const auto& w : words) options.query += (options.query.empty() ? "" : " ") + w;
  if (options.query.empty()) {
    std::cerr << "vnfacts search: give a QUERY\n";
    return 2;
  }
  return vnfacts::RunSearch(options, std::cout, std::cerr);
}

int Show(int argc, char** argv) {
  vnfacts::ShowOptions options;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("db", po::value(&options.db)->default_value("vnfacts.db"), "SQLite database");
  std::vector<std::string> words;
  const char* usage = "usage: vnfacts show [options] person NAME | document ID | article PATH\n";
  int rc = Parse(argc, argv, desc, usage, &words);
  if (rc >= 0) return rc;
  if (words.size() < 2) {
    std::cerr << usage;
    return 2;
  }
  options.what = words[0];
  for (size_t i = 1; i < words.size(); ++i) options.key += (i > 1 ? " " : "") + words[i];
  return vnfacts::RunShow(options, std::cout, std::cerr);
}

int Export(int argc, char** argv) {
  vnfacts::ExportOptions options;
  po::options_description desc("options");
  desc.add_options()("help,h", "show this help")
      ("db", po::value(&options.db)->default_value("vnfacts.db"), "SQLite database")
      ("format", po::value(&options.format)->default_value("jsonl"), "jsonl | csv")
      ("kind", po::value(&options.kind), "only facts of this kind");
  std::vector<std::string> none;
  int rc = Parse(argc, argv, desc, "usage: vnfacts export [options]\n", &none);
  if (rc >= 0) return rc;
  if (RefusedArguments("export", none)) return 2;
  return vnfacts::RunExport(options, std::cout, std::cerr);
}

}  // namespace

int main(int argc, char** argv) {
  std::ios::sync_with_stdio(false);
  if (argc < 2) {
    std::cerr << kUsage;
    return 2;
  }
  const std::string command = argv[1];
  if (command == "--help" || command == "-h" || command == "help") {
    std::cout << kUsage;
    return 0;
  }
  if (command == "tokenize") return Tokenize(argc, argv);
  if (command == "extract") return Extract(argc, argv);
  if (command == "run") return Run(argc, argv);
  if (command == "search") return Search(argc, argv);
  if (command == "show") return Show(argc, argv);
  if (command == "export") return Export(argc, argv);
  if (command == "merge") return Merge(argc, argv);
  if (command == "index") return Index(argc, argv);
  if (command == "check") return Check(argc, argv);
  std::cerr << "vnfacts: unknown command '" << command << "'\n" << kUsage;
  return 2;
}
