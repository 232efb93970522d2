// BatchRunner: `vnfacts run` at archive scale. One reader thread streams
// articles from the inputs, `jobs` worker threads run the text layer and the
// extractors, and one writer thread stores results in input order, so the
// database is identical whatever the number of workers. At most a bounded
// number of articles are in flight, so memory does not grow with the archive.
//
// A re-run skips articles whose source and content hash are already stored; a
// stop request (Ctrl-C) ends reading, lets in-flight articles finish and
// commits them, so an interrupted run is completed by running it again. The
// writer stores articles in batches of one transaction each (one savepoint per
// article), committed every few MB, every few seconds and whenever it waits.
#ifndef VNFACTS_PIPELINE_BATCH_RUNNER_H_
#define VNFACTS_PIPELINE_BATCH_RUNNER_H_

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <ostream>
#include <string>
#include <vector>

#include "extractors/extractor.h"
#include "pipeline/article_reader.h"
#include "pipeline/status.h"
#include "pipeline/store.h"
#include "pipeline/text_pipeline.h"

namespace vnfacts {

struct BatchOptions {
  int jobs = 1;
  int shard_index = 0;  // process only inputs whose path hash % shard_count == shard_index
  int shard_count = 1;
  // Take publication dates from input metadata: a `dates.tsv` (file<TAB>
  // YYYY-MM-DD) beside plain-text articles, the date fields of JSON Lines
  // records, the meta tags of HTML pages.
  bool date_from_metadata = false;
  // Progress: a redrawn bar when `progress_is_terminal`, else a plain line
  // every `progress_interval_seconds`; nothing when `quiet`.
  bool quiet = false;
  bool progress_is_terminal = false;
  double progress_interval_seconds = 10;
  const std::atomic<bool>* stop = nullptr;  // set to stop cleanly
  // The writer commits a batch of articles once it holds this much article
  // text or has held it this long, and whenever no result is waiting. A
  // killed run loses at most the batch in hand; a re-run stores it again.
  uint64_t batch_bytes = 8u << 20;
  int batch_millis = 2000;
  // Workers fold the search text of each article; not for a database
  // without a search index (FactStore::has_search_index()).
  bool search_text = true;
};

struct BatchSummary {
  uint64_t inputs = 0;
  uint64_t articles_read = 0;
  uint64_t stored = 0;
  uint64_t replaced = 0;
  uint64_t unchanged = 0;
  uint64_t failed = 0;
  uint64_t bytes = 0;
  double seconds = 0;
  bool interrupted = false;
  std::map<std::string, uint64_t> facts_per_kind;
};

// True when `path` belongs to shard `index` of `count` (a stable hash of the
// path string, so every machine splits a list of paths the same way).
bool InShard(const std::string& path, int index, int count);

// Runs the batch over `paths` (files; folders already expanded). Errors about
// single inputs go to `err` and are counted; the returned status fails only
// when the run could not go on at all (e.g. the database became unwritable).
// Inputs are read by `reader` (plain text, JSON Lines, HTML, compressed,
// legacy encodings); a record's raw text, and so the raw offsets stored for
// its facts, is its decoded UTF-8 text (the file's own bytes for a UTF-8
// plain-text file).
Status RunBatch(const std::vector<std::string>& paths, const ArticleReader& reader,
                const TextPipeline& pipeline,
                const ExtractorSet& extractors, FactStore& store, const std::string& db_path,
                const BatchOptions& options, std::ostream& err, BatchSummary* summary);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_BATCH_RUNNER_H_
