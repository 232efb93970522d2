#include "pipeline/commands.h"

#include <algorithm>
#include <cstdio>
#include <iomanip>

#include "extractors/extractor.h"
#include "extractors/fact_json.h"
#include "pipeline/article_reader.h"
#include "pipeline/input.h"
#include "pipeline/lexicon.h"
#include "pipeline/text_pipeline.h"

namespace vnfacts {
namespace {

// `words_on_demand` when the command needs no words but the extractors'.
Expected<TextPipeline> MakePipeline(const CommonOptions& common, bool words_on_demand) {
  TextPipelineOptions options;
  options.lexicon_dir = common.lexicon_dir;
  options.dictionary_path = common.dictionary;
  options.words_on_demand = words_on_demand;
  return TextPipeline::Create(options);
}

std::filesystem::path LexiconDir(const CommonOptions& common) {
  return common.lexicon_dir.empty() ? DefaultLexiconDir() : std::filesystem::path(common.lexicon_dir);
}

// Calls `fn(doc)` (a mutable Document) for every article of the inputs
// (files, folders, "-"; any format ArticleReader reads); reports the others
// on `err`. Returns false when any input or record failed.
template <typename Fn>
bool ForEachDocument(const std::vector<std::string>& inputs, const CommonOptions& common,
                     const TextPipeline& pipeline, std::ostream& err, Fn fn) {
  ReaderOptions reader_options;
  reader_options.forced_encoding = common.encoding;
  auto reader = ArticleReader::Create(LexiconDir(common), reader_options);
  if (!reader.ok()) {
    err << "vnfacts: " << reader.status().message() << "\n";
    return false;
  }
  std::vector<std::string> paths = inputs.empty() ? std::vector<std::string>{"-"} : inputs;
  InputList list = CollectInputs(paths, ArticleExtensions());
  DropInputsOpenOn(common.output_fd, &list);
  bool all_ok = list.errors.empty();
  for (const std::string& e : list.errors) err << "vnfacts: " << e << "\n";
  for (const std::string& path : list.paths) {
    reader->Read(
        path,
        [&](ArticleRecord&& record) {
          Document doc;
          doc.source = std::move(record.source);
          doc.raw = std::move(record.text);
          doc.title = std::move(record.title);
          doc.reference_date = record.published;
          Status status = pipeline.Process(&doc);
          if (!status.ok()) {
            err << "vnfacts: " << status.message() << "\n";
            all_ok = false;
            return;
          }
          fn(doc);
        },
        [&](const std::string& message) {
          err << "vnfacts: " << message << "\n";
          all_ok = false;
        });
  }
  return all_ok;
}

void WriteTokenLines(const Document& doc, std::ostream& out) {
  // One output line per raw input line: a word belongs to the raw line where it
  // starts, so line breaks the normalizer inserted do not add lines.
  size_t raw_line_start = 0;
  size_t word = 0;
  const std::string& raw = doc.raw;
  while (raw_line_start <= raw.size()) {
    size_t eol = raw.find('\n', raw_line_start);
    const size_t line_end = eol == std::string::npos ? raw.size() : eol;
    if (eol == std::string::npos && raw_line_start == raw.size() && !raw.empty()) break;
    bool first = true;
    while (word < doc.words.size() && doc.offsets.ToRaw(doc.words[word].begin) < line_end + 1) {
      const Word& w = doc.words[word++];
      if (!first) out << ' ';
      first = false;
      for (uint32_t t = w.first_token; t < w.end_token; ++t) {
        if (t != w.first_token) out << '_';
        out << doc.TokenText(doc.tokens[t]);
      }
    }
    out << '\n';
    if (eol == std::string::npos) break;
    raw_line_start = eol + 1;
  }
}

void WriteConllu(const Document& doc, std::ostream& out) {
  for (const Sentence& s : doc.sentences) {
    if (s.first_word == s.end_word) continue;
    std::string_view text = doc.SentenceText(s);
    while (!text.empty() && (text.back() == '\n' || text.back() == ' ')) text.remove_suffix(1);
    out << "# text = " << text << "\n";
    int id = 1;
    for (uint32_t w = s.first_word; w < s.end_word; ++w, ++id) {
      const Word& word = doc.words[w];
      out << id << '\t';
      for (uint32_t t = word.first_token; t < word.end_token; ++t) {
        if (t != word.first_token) out << ' ';
        out << doc.TokenText(doc.tokens[t]);
      }
      out << "\t_\t_\t_\t_\t_\t_\t_\t_\n";
    }
    out << '\n';
  }
}

std::string OneLine(std::string_view s) {
  std::string r(s);
  std::replace(r.begin(), r.end(), '\n', ' ');
  return r;
}

void WriteFactTable(const Document& doc, std::ostream& out) {
  out << "# " << doc.source << "\n";
  for (const Fact& f : doc.facts) {
    nlohmann::ordered_json v = FactValueToJson(f);
    out << std::left << std::setw(9) << FactKindName(f.kind) << ' ' << std::setw(5) << f.sentence
        << ' ' << OneLine(doc.Slice(f.begin, f.end)) << "  ->  " << v.dump() << "  [" << f.rule
        << "]\n";
  }
}

}  // namespace

std::optional<CivilDate> ParseIsoDate(const std::string& text) {
  int y = 0, m = 1, d = 1;
  char tail = 0;
  int n = std::sscanf(text.c_str(), "%4d-%2d-%2d%c", &y, &m, &d, &tail);
  if (n < 1 || n > 3 || y < 1000 || m < 1 || m > 12 || d < 1 || d > 31) return std::nullopt;
  return CivilDate{y, m, d};
}

int RunTokenize(const TokenizeOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "conllu") {
    err << "vnfacts tokenize: unknown --format '" << options.format << "' (text or conllu)\n";
    return 2;
  }
  auto pipeline = MakePipeline(options.common, /*words_on_demand=*/false);
  if (!pipeline.ok()) {
    err << "vnfacts: " << pipeline.status().message() << "\n";
    return 2;
  }
  bool ok = ForEachDocument(options.inputs, options.common, *pipeline, err, [&](const Document& doc) {
    if (options.format == "conllu") {
      WriteConllu(doc, out);
    } else {
      WriteTokenLines(doc, out);
    }
  });
  out.flush();
  return ok ? 0 : 1;
}

int RunExtract(const ExtractOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "jsonl" && options.format != "text") {
    err << "vnfacts extract: unknown --format '" << options.format << "' (jsonl or text)\n";
    return 2;
  }
  std::vector<FactKind> kinds;
  for (const std::string& k : options.kinds) {
    auto kind = ParseFactKind(k);
    if (!kind) {
      err << "vnfacts extract: unknown --kind '" << k
          << "' (official, document, quantity, date, term)\n";
      return 2;
    }
    kinds.push_back(*kind);
  }
  auto pipeline = MakePipeline(options.common, /*words_on_demand=*/true);
  if (!pipeline.ok()) {
    err << "vnfacts: " << pipeline.status().message() << "\n";
    return 2;
  }
  auto extractors = ExtractorSet::Create(LexiconDir(options.common));
  if (!extractors.ok()) {
    err << "vnfacts: " << extractors.status().message() << "\n";
    return 2;
  }
  // Documents are processed one at a time; the date is set before extraction.
  bool ok = ForEachDocument(options.inputs, options.common, *pipeline, err, [&](Document& doc) {
    if (options.date) doc.reference_date = options.date;
    extractors->Extract(&doc);
    if (!kinds.empty()) {
      std::erase_if(doc.facts, [&](const Fact& f) {
        return std::find(kinds.begin(), kinds.end(), f.kind) == kinds.end();
      });
    }
    if (options.format == "text") {
      WriteFactTable(doc, out);
    } else {
      for (const Fact& f : doc.facts) out << FactJsonText(doc, f) << '\n';
    }
  });
  out.flush();
  return ok ? 0 : 1;
}

}  // namespace vnfacts
