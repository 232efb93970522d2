// `vnfacts run`, `search`, `show` and `export`: the commands over the fact
// store. They only orchestrate; storage lives in pipeline/store.cc.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <iomanip>
#include <map>
#include <thread>

#include <nlohmann/json.hpp>

#include "extractors/extractor.h"
#include "pipeline/batch_runner.h"
#include "pipeline/check_report.h"
#include "pipeline/commands.h"
#include "pipeline/figure_checker.h"
#include "pipeline/input.h"
#include "pipeline/lexicon.h"
#include "pipeline/store.h"
#include "pipeline/text_fold.h"
#include "pipeline/text_pipeline.h"

namespace vnfacts {
namespace {

std::filesystem::path LexiconDirOf(const CommonOptions& common) {
  return common.lexicon_dir.empty() ? DefaultLexiconDir() : std::filesystem::path(common.lexicon_dir);
}

std::string DefaultCorpusDir() {
  if (const char* env = std::getenv("VNFACTS_CORPUS"); env && *env) return env;
  return (std::filesystem::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles").string();
}

std::string Csv(const std::optional<std::string>& v) {
  if (!v) return "";
  const std::string& s = *v;
  if (s.find_first_of(",\"\n\r") == std::string::npos) return s;
  std::string out = "\"";
  for (char c : s) {
    if (c == '"') out += '"';
    out += c;
  }
  return out + "\"";
}

// What every command says of a database without a search index.
std::string NoSearchIndex(const std::string& db) {
  return db + " has no search index (it was made with --no-search-index); `vnfacts index --db " +
         db + "` builds it";
}

Expected<std::unique_ptr<FactStore>> OpenForReading(const std::string& db) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    return Status::Error(db + ": no such database (create it with `vnfacts run --db " + db + "`)");
  }
  return FactStore::OpenReadOnly(db);
}

}  // namespace

int RunIngest(const RunOptions& options, std::ostream& out, std::ostream& err) {
  int shard_index = 0, shard_count = 1;
  if (!options.shard.empty()) {
    char tail = 0;
    if (std::sscanf(options.shard.c_str(), "%d/%d%c", &shard_index, &shard_count, &tail) != 2 ||
        shard_count < 1 || shard_index < 0 || shard_index >= shard_count) {
      err << "vnfacts run: --shard expects I/N with 0 <= I < N, got '" << options.shard << "'\n";
      return 2;
    }
  }
  TextPipelineOptions text_options;
  text_options.lexicon_dir = options.common.lexicon_dir;
  text_options.dictionary_path = options.common.dictionary;
  text_options.words_on_demand = true;  // nothing stores words
  auto pipeline = TextPipeline::Create(text_options);
  if (!pipeline.ok()) {
    err << "vnfacts: " << pipeline.status().message() << "\n";
    return 2;
  }
  auto extractors = ExtractorSet::Create(options.common.lexicon_dir.empty()
                                             ? DefaultLexiconDir()
                                             : std::filesystem::path(options.common.lexicon_dir));
  if (!extractors.ok()) {
    err << "vnfacts: " << extractors.status().message() << "\n";
    return 2;
  }
  FactStoreOptions store_options;
  store_options.search_index = options.search_index;
  store_options.background_checkpoints = true;
  auto store = FactStore::Open(options.db, store_options);
  if (!store.ok()) {
    err << "vnfacts: " << store.status().message() << "\n";
    return 2;
  }
  if (!options.quiet && options.search_index != (*store)->has_search_index()) {
    err << "vnfacts run: note: "
        << ((*store)->has_search_index()
                ? options.db + " already has a search index, which this run keeps up to date"
                : NoSearchIndex(options.db))
        << "\n";
  }
  const std::vector<std::string> paths =
      options.inputs.empty() ? std::vector<std::string>{DefaultCorpusDir()} : options.inputs;
  ReaderOptions reader_options;
  reader_options.forced_encoding = options.common.encoding;
  auto reader = ArticleReader::Create(LexiconDirOf(options.common), reader_options);
  if (!reader.ok()) {
    err << "vnfacts: " << reader.status().message() << "\n";
    return 2;
  }
  InputList inputs = CollectInputs(paths, ArticleExtensions());
  for (const std::string& e : inputs.errors) err << "vnfacts: " << e << "\n";

  BatchOptions batch;
  // By default one worker per core, the writer besides: on two cores, two
  // workers finish a 100 MB archive 10-17% sooner than one (session 12; with
  // the slower extractors before, one worker had been 10% faster).
  batch.jobs = options.jobs > 0
                   ? options.jobs
                   : std::max(1, static_cast<int>(std::thread::hardware_concurrency()));
  batch.shard_index = shard_index;
  batch.shard_count = shard_count;
  batch.date_from_metadata = options.date_from_metadata;
  batch.quiet = options.quiet;
  batch.progress_is_terminal = options.progress_is_terminal;
  batch.stop = options.stop;
  batch.batch_millis = static_cast<int>(std::clamp(options.commit_every_seconds, 0.0, 3600.0) * 1000);
  batch.search_text = (*store)->has_search_index();
  BatchSummary summary;
  Status status = RunBatch(inputs.paths, *reader, *pipeline, *extractors, **store, options.db, batch,
                           err, &summary);
  summary.failed += inputs.errors.size();
  if (const std::string e = (*store)->checkpoint_error(); !e.empty()) {
    err << "vnfacts run: note: a checkpoint of " << options.db << "-wal failed (" << e
        << "); the log keeps what was committed, and closing the database copies it\n";
  }
  if (!options.quiet) {
    out << "vnfacts run: " << summary.articles_read << " articles read, " << summary.stored
        << " stored, " << summary.replaced << " replaced, " << summary.unchanged
        << " unchanged (skipped), " << summary.failed << " failed"
        << (summary.interrupted ? " (interrupted: run again to complete)" : "") << "\n";
    out << "facts stored:";
    if (summary.facts_per_kind.empty()) out << " none";
    bool first = true;
    for (const auto& [kind, count] : summary.facts_per_kind) {
      out << (first ? " " : ", ") << kind << " " << count;
      first = false;
    }
    char line[160];
    std::snprintf(line, sizeof line,
                  "\ntime %.2f s, %.1f MB, %.2f MB/s, %.0f articles/s, %d worker%s, database ",
                  summary.seconds, summary.bytes / 1e6,
                  summary.seconds > 0 ? summary.bytes / 1e6 / summary.seconds : 0.0,
                  summary.seconds > 0 ? summary.articles_read / summary.seconds : 0.0, batch.jobs,
                  batch.jobs == 1 ? "" : "s");
    out << line << options.db << "\n";
  }
  if (!status.ok()) {
    err << "vnfacts run: stopped: " << status.message() << "\n";
    return 2;
  }
  return summary.failed == 0 && !summary.interrupted ? 0 : 1;
}

int RunMerge(const std::string& out_db, const std::vector<std::string>& inputs, std::ostream& out,
             std::ostream& err) {
  if (inputs.empty()) {
    err << "vnfacts merge: give the shard databases to merge\n";
    return 2;
  }
  FactStoreOptions target_options;
  target_options.background_checkpoints = true;  // merging also writes without pause
  auto target = FactStore::Open(out_db, target_options);
  if (!target.ok()) {
    err << "vnfacts: " << target.status().message() << "\n";
    return 2;
  }
  if (!(*target)->has_search_index()) {
    err << "vnfacts merge: note: " << NoSearchIndex(out_db) << "\n";
  }
  // Read all shards in step, ordered by source, so the merged database holds
  // articles in the same order as one run over the same inputs.
  struct Source {
    std::unique_ptr<FactStore> store;
    std::unique_ptr<FactStore::ArticleCursor> cursor;
    std::optional<StoredArticle> current;
    std::string path;
  };
  std::vector<Source> sources;
  for (const std::string& path : inputs) {
    auto store = OpenForReading(path);
    if (!store.ok()) {
      err << "vnfacts: " << store.status().message() << "\n";
      return 2;
    }
    auto cursor = (*store)->Articles();
    if (!cursor.ok()) {
      err << "vnfacts: " << path << ": " << cursor.status().message() << "\n";
      return 2;
    }
    Source s{std::move(store).value(), std::move(cursor).value(), std::nullopt, path};
    StoredArticle first;
    if (s.cursor->Next(&first)) s.current = std::move(first);
    sources.push_back(std::move(s));
  }
  // Articles go in batches, as in `run` (one commit per article would
  // rewrite the same index pages each time); a failure keeps what came before.
  constexpr uint64_t kBatchBytes = 8u << 20;
  uint64_t batch_bytes = 0;
  auto commit = [&]() -> bool {
    batch_bytes = 0;
    Status status = (*target)->CommitBatch();
    if (!status.ok()) err << "vnfacts merge: " << out_db << ": " << status.message() << "\n";
    return status.ok();
  };
  uint64_t merged = 0, unchanged = 0, replaced = 0;
  while (true) {
    Source* next = nullptr;
    for (Source& s : sources) {
      if (s.current && (!next || s.current->source < next->current->source)) next = &s;
    }
    if (!next) break;
    if (!(*target)->in_batch()) {
      Status begun = (*target)->BeginBatch();
      if (!begun.ok()) {
        err << "vnfacts merge: " << out_db << ": " << begun.message() << "\n";
        return 2;
      }
    }
    const uint64_t text_bytes = next->current->text.size();
    auto outcome = (*target)->Store(std::move(*next->current));
    if (!outcome.ok()) {
      err << "vnfacts merge: " << outcome.status().message() << "\n";
      commit();
      return 2;
    }
    batch_bytes += text_bytes;
    if (batch_bytes >= kBatchBytes && !commit()) return 2;
    ++(*outcome == StoreOutcome::kStored     ? merged
       : *outcome == StoreOutcome::kReplaced ? replaced
                                             : unchanged);
    StoredArticle article;
    if (next->cursor->Next(&article)) {
      next->current = std::move(article);
    } else {
      next->current.reset();
      if (!next->cursor->status().ok()) {
        err << "vnfacts merge: " << next->path << ": " << next->cursor->status().message() << "\n";
        commit();
        return 2;
      }
    }
  }
  if (!commit()) return 2;
  if (const std::string e = (*target)->checkpoint_error(); !e.empty()) {
    err << "vnfacts merge: note: a checkpoint of " << out_db << "-wal failed (" << e
        << "); the log keeps what was committed, and closing the database copies it\n";
  }
  out << "vnfacts merge: " << merged << " articles merged, " << replaced << " replaced, "
      << unchanged << " already present, from " << inputs.size() << " databases into " << out_db
      << "\n";
  return 0;
}

int RunIndex(const std::string& db, std::ostream& out, std::ostream& err) {
  std::error_code ec;
  if (!std::filesystem::exists(db, ec)) {
    err << "vnfacts index: " << db << ": no such database\n";
    return 2;
  }
  auto store = FactStore::Open(db);
  if (!store.ok()) {
    err << "vnfacts index: " << store.status().message() << "\n";
    return 2;
  }
  const auto started = std::chrono::steady_clock::now();
  auto built = (*store)->BuildSearchIndex();
  if (!built.ok()) {
    err << "vnfacts index: " << db << ": " << built.status().message() << "\n";
    return 2;
  }
  if (!*built) {
    // The index is there: merge its segments, which a large run leaves many.
    const Status merged = (*store)->MergeSearchIndex();
    if (!merged.ok()) {
      err << "vnfacts index: " << db << ": " << merged.message() << "\n";
      return 2;
    }
  }
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  char line[96];
  std::snprintf(line, sizeof line, " in %.2f s\n", seconds);
  out << "vnfacts index: search index of " << db
      << (*built ? " built" : " merged into one segment") << line;
  return 0;
}

int RunSearch(const SearchOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "jsonl") {
    err << "vnfacts search: unknown --format '" << options.format << "' (text or jsonl)\n";
    return 2;
  }
  if (!options.kind.empty() && options.kind != "article" && !ParseFactKind(options.kind)) {
    err << "vnfacts search: unknown --kind '" << options.kind
        << "' (article, official, document, quantity, date, term)\n";
    return 2;
  }
  auto store = OpenForReading(options.db);
  if (!store.ok()) {
    err << "vnfacts: " << store.status().message() << "\n";
    return 2;
  }
  if (!(*store)->has_search_index()) {
    err << "vnfacts search: " << NoSearchIndex(options.db) << "\n";
    return 2;
  }
  auto hits = (*store)->Search(options.query, options.kind, options.limit);
  if (!hits.ok()) {
    err << "vnfacts " << hits.status().message() << "\n";
    return 2;
  }
  for (const auto& hit : *hits) {
    if (options.format == "jsonl") {
      nlohmann::ordered_json j;
      j["article"] = hit.source;
      j["kind"] = hit.kind;
      j["text"] = hit.text;
      if (!hit.value.empty()) j["value"] = nlohmann::ordered_json::parse(hit.value, nullptr, false);
      j["snippet"] = hit.snippet;
      out << j.dump() << "\n";
    } else {
      out << hit.source << "  " << hit.kind;
      if (hit.kind != "article") out << "  " << hit.text << "  " << hit.value;
      out << "\n    " << hit.snippet << "\n";
    }
  }
  if (options.format == "text") out << hits->size() << " result" << (hits->size() == 1 ? "" : "s") << "\n";
  return 0;
}

int RunShow(const ShowOptions& options, std::ostream& out, std::ostream& err) {
  auto store = OpenForReading(options.db);
  if (!store.ok()) {
    err << "vnfacts: " << store.status().message() << "\n";
    return 2;
  }
  FactStore& db = **store;
  size_t rows = 0;
  auto print = [&](const FactStore::Row& row) {
    ++rows;
    bool first = true;
    for (const auto& [name, value] : row) {
      out << (first ? "  " : "  ") << name << "=" << value.value_or("-");
      first = false;
    }
    out << "\n";
    return true;
  };
  Status status;
  if (options.what == "person") {
    const std::string folded = FoldDiacritics(options.key);
    status = db.QueryEach(
        "SELECT p.name, nullif(p.org, '') AS org, pos.title, pos.former, a.published AS date, "
        "a.source AS article, count(*) AS mentions FROM people p "
        "JOIN positions pos ON pos.person_id = p.id JOIN articles a ON a.id = pos.article_id "
        "WHERE p.name_folded = ? GROUP BY p.id, pos.title, pos.former, a.id "
        "ORDER BY p.name, p.org, a.published, a.source, min(pos.id)",
        {folded}, [&](const FactStore::Row& row) {
          ++rows;
          out << row[0].second.value_or("") << " (" << row[1].second.value_or("no organization")
              << ")  " << (row[3].second == "1" ? "former " : "") << row[2].second.value_or("")
              << "  " << row[4].second.value_or("undated") << "  " << row[5].second.value_or("")
              << "  (" << row[6].second.value_or("1") << "x)\n";
          return true;
        });
  } else if (options.what == "document") {
    std::string code;
    for (char c : options.key) {
      if (c != ' ') code += c;
    }
    status = db.QueryEach(
        "SELECT d.code, d.type, d.issuer, d.issued, d.term, d.subject, "
        "(SELECT count(*) FROM document_mentions m WHERE m.document_id = d.id) AS mentions "
        "FROM documents d WHERE d.code = ? OR d.code = replace(?, 'TƯ', 'TW')",
        {code, code}, print);
    if (status.ok() && rows > 0) {
      out << "cited in:\n";
      status = db.QueryEach(
          "SELECT a.source AS article, a.published AS date, f.text AS mention, "
          "m.back_reference FROM document_mentions m JOIN documents d ON d.id = m.document_id "
          "JOIN articles a ON a.id = m.article_id JOIN facts f ON f.id = m.fact_id "
          "WHERE d.code = ? OR d.code = replace(?, 'TƯ', 'TW') ORDER BY a.published, a.source, f.start",
          {code, code}, print);
    }
  } else if (options.what == "article") {
    status = db.QueryEach(
        "SELECT source, content_hash, published, title, raw_bytes, stored_at, "
        "(SELECT count(*) FROM facts f WHERE f.article_id = a.id) AS facts "
        "FROM articles a WHERE source = ?",
        {options.key}, print);
    if (status.ok() && rows > 0) {
      out << "facts:\n";
      status = db.QueryEach(
          "SELECT f.kind, f.text, f.value, f.rule, f.sentence FROM facts f JOIN articles a "
          "ON a.id = f.article_id WHERE a.source = ? ORDER BY f.start, f.id",
          {options.key}, [&](const FactStore::Row& row) {
            out << "  " << std::left << std::setw(9) << row[0].second.value_or("") << " "
                << row[1].second.value_or("") << "  " << row[2].second.value_or("") << "  ["
                << row[3].second.value_or("") << "]\n";
            return true;
          });
      if (status.ok()) {
        out << "findings:\n";
        size_t findings = 0;
        status = db.QueryEach(
            "SELECT fi.kind, fi.stated, fi.computed, fi.unit, "
            "json_extract(fi.detail, '$.explanation') FROM findings fi "
            "JOIN finding_articles fa ON fa.finding_id = fi.id JOIN articles a "
            "ON a.id = fa.article_id WHERE a.source = ? ORDER BY fi.id",
            {options.key}, [&](const FactStore::Row& row) {
              ++findings;
              out << "  " << row[0].second.value_or("") << ": " << row[4].second.value_or("")
                  << "\n";
              return true;
            });
        if (status.ok() && findings == 0) out << "  none (run `vnfacts check`)\n";
      }
    }
  } else {
    err << "vnfacts show: expected `person NAME`, `document ID` or `article PATH`\n";
    return 2;
  }
  if (!status.ok()) {
    err << "vnfacts show: " << status.message() << "\n";
    return 2;
  }
  if (rows == 0) {
    err << "vnfacts show: no " << options.what << " '" << options.key << "' in " << options.db
        << "\n";
    return 1;
  }
  return 0;
}

int RunCheck(const CheckOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "text" && options.format != "json" && options.format != "html") {
    err << "vnfacts check: unknown --format '" << options.format << "' (text, json or html)\n";
    return 2;
  }
  auto checker = FigureChecker::Create(options.common.lexicon_dir.empty()
                                           ? DefaultLexiconDir()
                                           : std::filesystem::path(options.common.lexicon_dir));
  if (!checker.ok()) {
    err << "vnfacts: " << checker.status().message() << "\n";
    return 2;
  }
  std::error_code ec;
  if (!std::filesystem::exists(options.db, ec)) {
    err << "vnfacts: " << options.db << ": no such database (create it with `vnfacts run --db "
        << options.db << "`)\n";
    return 2;
  }
  auto store = FactStore::Open(options.db);
  if (!store.ok()) {
    err << "vnfacts: " << store.status().message() << "\n";
    return 2;
  }
  std::vector<Finding> findings;
  {
    auto cursor = (*store)->Articles();
    if (!cursor.ok()) {
      err << "vnfacts check: " << cursor.status().message() << "\n";
      return 2;
    }
    StoredArticle article;
    while ((*cursor)->Next(&article)) checker->CheckArticle(article, &findings);
    if (!(*cursor)->status().ok()) {
      err << "vnfacts check: " << (*cursor)->status().message() << "\n";
      return 2;
    }
  }
  checker->FinishAcrossArticles(&findings);

  std::vector<StoredFinding> stored;
  stored.reserve(findings.size());
  for (const Finding& f : findings) {
    StoredFinding s{f.kind, f.stated, f.computed, f.unit, FindingToJson(f).dump(), f.articles};
    stored.push_back(std::move(s));
  }
  Status status = (*store)->ReplaceFindings(stored);
  if (!status.ok()) {
    err << "vnfacts check: " << status.message() << "\n";
    return 2;
  }

  std::ofstream file;
  std::ostream* target = &out;
  if (!options.out.empty()) {
    file.open(options.out, std::ios::binary);
    if (!file) {
      err << "vnfacts check: " << options.out << ": cannot write\n";
      return 2;
    }
    target = &file;
  }
  if (options.format == "json") {
    WriteFindingsJson(findings, *target);
  } else if (options.format == "html") {
    WriteFindingsHtml(findings, *target);
  } else {
    WriteFindingsText(findings, *target);
  }
  target->flush();
  if (!*target) {
    err << "vnfacts check: write error\n";
    return 2;
  }
  return 0;
}

int RunExport(const ExportOptions& options, std::ostream& out, std::ostream& err) {
  if (options.format != "jsonl" && options.format != "csv") {
    err << "vnfacts export: unknown --format '" << options.format << "' (jsonl or csv)\n";
    return 2;
  }
  if (!options.kind.empty() && !ParseFactKind(options.kind)) {
    err << "vnfacts export: unknown --kind '" << options.kind << "'\n";
    return 2;
  }
  auto store = OpenForReading(options.db);
  if (!store.ok()) {
    err << "vnfacts: " << store.status().message() << "\n";
    return 2;
  }
  std::string sql =
      "SELECT a.source AS doc, a.published, f.kind, f.text, f.start, f.end, f.raw_start, "
      "f.raw_end, f.sentence, f.rule, f.value FROM facts f JOIN articles a ON a.id = f.article_id";
  std::vector<std::string> params;
  if (!options.kind.empty()) {
    sql += " WHERE f.kind = ?";
    params.push_back(options.kind);
  }
  sql += " ORDER BY a.source, f.start, f.id";
  bool header = true;
  Status status = (*store)->QueryEach(sql, params, [&](const FactStore::Row& row) {
    if (options.format == "csv") {
      if (header) {
        for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << row[i].first;
        out << "\n";
        header = false;
      }
      for (size_t i = 0; i < row.size(); ++i) out << (i ? "," : "") << Csv(row[i].second);
      out << "\n";
    } else {
      nlohmann::ordered_json j;
      for (const auto& [name, value] : row) {
        if (name == "value") continue;
        if (name == "start" || name == "end" || name == "raw_start" || name == "raw_end" ||
            name == "sentence") {
          j[name] = std::stoll(value.value_or("0"));
        } else {
          j[name] = value ? nlohmann::ordered_json(*value) : nlohmann::ordered_json(nullptr);
        }
      }
      auto value = nlohmann::ordered_json::parse(row.back().second.value_or("{}"), nullptr, false);
      if (value.is_object()) {
        for (auto& [k, v] : value.items()) j[k] = v;
      }
      out << j.dump() << "\n";
    }
    return true;
  });
  if (!status.ok()) {
    err << "vnfacts export: " << status.message() << "\n";
    return 2;
  }
  return 0;
}

}  // namespace vnfacts
