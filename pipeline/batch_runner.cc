#include "pipeline/batch_runner.h"

#include <xxhash.h>

#include <algorithm>
#include <chrono>
#include <condition_variable>
#include <cstdio>
#include <deque>
#include <filesystem>
#include <limits>
#include <mutex>
#include <optional>
#include <thread>

#include "pipeline/input.h"
#include "pipeline/lexicon.h"

namespace vnfacts {
namespace {

using Clock = std::chrono::steady_clock;

// One article on its way through the workers.
struct WorkItem {
  uint64_t sequence = 0;
  std::string source;
  std::string raw;
  std::string content_hash;
  std::optional<CivilDate> published;
  std::string title;
};

struct WorkResult {
  std::optional<StoredArticle> article;  // empty when processing failed
  std::string error;
  std::map<std::string, uint64_t> facts_per_kind;
  uint64_t raw_bytes = 0;
};

// A bounded multi-producer multi-consumer queue. A producer blocked on a full
// queue is woken once it has drained to half, not at every item taken: the
// reader, blocked behind busy workers, was otherwise switched in and out
// once per article.
template <typename T>
class BoundedQueue {
 public:
  explicit BoundedQueue(size_t capacity) : capacity_(capacity) {}
  void Push(T item) {
    std::unique_lock lock(mutex_);
    while (items_.size() >= capacity_) {
      ++waiting_producers_;
      not_full_.wait(lock);
      --waiting_producers_;
    }
    items_.push_back(std::move(item));
    not_empty_.notify_one();
  }
  std::optional<T> Pop() {
    std::unique_lock lock(mutex_);
    not_empty_.wait(lock, [&] { return !items_.empty() || closed_; });
    if (items_.empty()) return std::nullopt;
    T item = std::move(items_.front());
    items_.pop_front();
    if (waiting_producers_ > 0 && items_.size() <= capacity_ / 2) not_full_.notify_all();
    return item;
  }
  void Close() {
    std::lock_guard lock(mutex_);
    closed_ = true;
    not_empty_.notify_all();
  }

 private:
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable not_full_, not_empty_;
  std::deque<T> items_;
  size_t waiting_producers_ = 0;
  bool closed_ = false;
};

// Results arrive out of order from the workers; the writer takes them in
// sequence order. Capacity bounds how far the readers may run ahead.
//
// A thread is woken only when what it waits for has come: the writer when
// the result it needs next is there with a few more behind it (or the input
// has ended), the reader when half the room is free. Waking them at every
// article was 2% of a run's CPU time in futex calls and context switches
// (perf, 100 MB archive, one worker). A writer not woken still finds its result at its
// next timed look (Take), so storing never waits more than that.
class ReorderBuffer {
 public:
  explicit ReorderBuffer(size_t capacity) : capacity_(capacity) {}
  // Blocks the reader while too many articles are in flight.
  void Reserve(uint64_t sequence) {
    std::unique_lock lock(mutex_);
    while (!(sequence < next_ + capacity_)) {
      room_wanted_ = std::min(room_wanted_, sequence);
      room_.wait(lock);
    }
  }
  void Put(uint64_t sequence, WorkResult result) {
    std::lock_guard lock(mutex_);
    ready_.emplace(sequence, std::move(result));
    if (ready_.begin()->first == next_ && (ready_.size() >= kWakeWriterAt || input_done_)) {
      arrived_.notify_all();
    }
  }
  // The next result in order, or nullopt once `end` (the total, when known) is
  // reached, or nullopt with *idle set when `idle` is given and nothing
  // arrived for a while (the writer then commits what it holds).
  std::optional<WorkResult> Take(const std::optional<uint64_t>* end, std::mutex* end_mutex,
                                 bool* idle = nullptr) {
    std::unique_lock lock(mutex_);
    while (true) {
      auto it = ready_.find(next_);
      if (it != ready_.end()) {
        WorkResult r = std::move(it->second);
        ready_.erase(it);
        ++next_;
        if (room_wanted_ != kNoneWaiting && room_wanted_ + capacity_ / 2 < next_ + capacity_) {
          room_wanted_ = kNoneWaiting;
          room_.notify_all();
        }
        return r;
      }
      {
        std::lock_guard end_lock(*end_mutex);
        if (end->has_value() && next_ >= **end) return std::nullopt;
      }
      if (arrived_.wait_for(lock, std::chrono::milliseconds(100)) == std::cv_status::timeout &&
          idle != nullptr && ready_.find(next_) == ready_.end()) {
        *idle = true;
        return std::nullopt;
      }
    }
  }
  // The input has ended: every result from now on wakes the writer.
  void InputDone() {
    std::lock_guard lock(mutex_);
    input_done_ = true;
    arrived_.notify_all();
  }

 private:
  static constexpr uint64_t kNoneWaiting = std::numeric_limits<uint64_t>::max();
  static constexpr size_t kWakeWriterAt = 8;
  bool input_done_ = false;
  size_t capacity_;
  std::mutex mutex_;
  std::condition_variable room_, arrived_;
  std::map<uint64_t, WorkResult> ready_;
  uint64_t next_ = 0;
  uint64_t room_wanted_ = kNoneWaiting;  // the least sequence a reader waits to reserve
};

std::string FormatDuration(double seconds) {
  const long s = static_cast<long>(seconds + 0.5);
  char buf[32];
  std::snprintf(buf, sizeof buf, "%ld:%02ld:%02ld", s / 3600, (s / 60) % 60, s % 60);
  return buf;
}

class ProgressReporter {
 public:
  ProgressReporter(const BatchOptions& options, uint64_t total_bytes, std::ostream& err)
      : options_(options), total_bytes_(total_bytes), err_(err), start_(Clock::now()),
        last_(start_) {}

  void Update(uint64_t articles, uint64_t bytes, bool final) {
    if (options_.quiet) return;
    const auto now = Clock::now();
    const double since_last = std::chrono::duration<double>(now - last_).count();
    const double interval = options_.progress_is_terminal ? 0.2 : options_.progress_interval_seconds;
    if (!final && since_last < interval) return;
    if (final && !options_.progress_is_terminal && !printed_) return;
    last_ = now;
    printed_ = true;
    const double elapsed = std::max(1e-9, std::chrono::duration<double>(now - start_).count());
    const double mb = bytes / 1e6;
    char line[256];
    std::string eta;
    if (total_bytes_ > 0 && bytes > 0 && bytes < total_bytes_) {
      eta = "  ETA " + FormatDuration((total_bytes_ - bytes) / (bytes / elapsed));
    }
    if (options_.progress_is_terminal) {
      const int width = 24;
      const double fraction = total_bytes_ ? std::min(1.0, double(bytes) / double(total_bytes_)) : 0;
      std::string bar(static_cast<size_t>(fraction * width), '#');
      bar.resize(width, '.');
      std::snprintf(line, sizeof line,
                    "\r[%s] %llu articles  %.1f/%.1f MB  %.0f articles/s  %.2f MB/s%s   ",
                    bar.c_str(), static_cast<unsigned long long>(articles), mb, total_bytes_ / 1e6,
                    articles / elapsed, mb / elapsed, eta.c_str());
      err_ << line << (final ? "\n" : "") << std::flush;
    } else {
      std::snprintf(line, sizeof line,
                    "vnfacts run: %llu articles, %.1f of %.1f MB, %.0f articles/s, %.2f MB/s%s\n",
                    static_cast<unsigned long long>(articles), mb, total_bytes_ / 1e6,
                    articles / elapsed, mb / elapsed, eta.c_str());
      err_ << line << std::flush;
    }
  }

 private:
  const BatchOptions& options_;
  uint64_t total_bytes_;
  std::ostream& err_;
  Clock::time_point start_, last_;
  bool printed_ = false;
};

// Publication dates of plain-text articles from a `dates.tsv` beside them
// (file<TAB>YYYY-MM-DD), read once per folder. Used with --date-from-metadata.
class SidecarDates {
 public:
  std::optional<CivilDate> Find(const std::string& path, std::ostream& err) {
    const std::filesystem::path p(path);
    const std::string dir = p.parent_path().string();
    auto it = folders_.find(dir);
    if (it == folders_.end()) it = folders_.emplace(dir, Load(p.parent_path() / "dates.tsv", err)).first;
    auto date = it->second.find(p.filename().string());
    if (date == it->second.end()) return std::nullopt;
    return date->second;
  }

 private:
  static std::map<std::string, CivilDate> Load(const std::filesystem::path& file, std::ostream& err) {
    std::map<std::string, CivilDate> dates;
    std::error_code ec;
    if (!std::filesystem::exists(file, ec)) return dates;
    auto table = LoadLexiconTable(file, {2, 2, true, false});
    if (!table.ok()) {
      err << "vnfacts: " << table.status().message() << "\n";
      return dates;
    }
    for (const LexiconRow& row : table->rows) {
      CivilDate d;
      char tail = 0;
      if (std::sscanf(row.fields[1].c_str(), "%4d-%2d-%2d%c", &d.year, &d.month, &d.day, &tail) == 3 &&
          d.month >= 1 && d.month <= 12 && d.day >= 1 && d.day <= 31) {
        dates[row.fields[0]] = d;
      } else {
        err << "vnfacts: " << table->Where(row) << ": expected a date YYYY-MM-DD\n";
      }
    }
    return dates;
  }
  std::map<std::string, std::map<std::string, CivilDate>> folders_;
};

WorkResult Process(WorkItem& item, const TextPipeline& pipeline, const ExtractorSet& extractors,
                   bool search_text) {
  WorkResult result;
  result.raw_bytes = item.raw.size();
  Document doc;
  doc.source = std::move(item.source);
  doc.raw = std::move(item.raw);
  doc.title = std::move(item.title);
  doc.reference_date = item.published;
  Status status = pipeline.Process(&doc);
  if (!status.ok()) {
    result.error = status.message();
    return result;
  }
  extractors.Extract(&doc);
  for (const Fact& f : doc.facts) ++result.facts_per_kind[std::string(FactKindName(f.kind))];
  result.article =
      StoredArticle::FromDocument(std::move(doc), std::move(item.content_hash), search_text);
  return result;
}

}  // namespace

bool InShard(const std::string& path, int index, int count) {
  if (count <= 1) return true;
  return XXH3_64bits(path.data(), path.size()) % static_cast<uint64_t>(count) ==
         static_cast<uint64_t>(index);
}

Status RunBatch(const std::vector<std::string>& paths, const ArticleReader& reader,
                const TextPipeline& pipeline,
                const ExtractorSet& extractors, FactStore& store, const std::string& db_path,
                const BatchOptions& options, std::ostream& err, BatchSummary* summary) {
  const auto start = Clock::now();
  const int jobs = std::max(1, options.jobs);
  std::vector<std::string> selected;
  uint64_t total_bytes = 0;
  for (const std::string& path : paths) {
    if (!InShard(path, options.shard_index, options.shard_count)) continue;
    selected.push_back(path);
    std::error_code ec;
    if (path != "-") total_bytes += std::filesystem::file_size(path, ec);
  }
  summary->inputs = selected.size();

  // The reader checks stored hashes on its own read-only connection, so
  // unchanged articles never reach the workers and never block the writer.
  auto reader_store = FactStore::OpenReadOnly(db_path);
  std::mutex err_mutex;
  auto report = [&](const std::string& message) {
    std::lock_guard lock(err_mutex);
    err << "vnfacts: " << message << "\n";
  };

  // Articles between reading and storing. The writer works in bursts (a
  // group of search rows, a commit), and with a window of 16 per worker the
  // workers stalled behind it (10 MB archive, one worker: 2.05-2.14 s with
  // 16, 1.89-2.00 s with 64, for about 3 MB more memory).
  const size_t in_flight = static_cast<size_t>(jobs) * 64;
  BoundedQueue<WorkItem> work(in_flight);
  ReorderBuffer results(in_flight);
  std::mutex end_mutex;
  std::optional<uint64_t> end;  // number of items sent, once reading is done
  std::atomic<uint64_t> bytes_read{0}, unchanged{0}, read_failures{0}, articles_read{0};

  std::vector<std::thread> workers;
  for (int j = 0; j < jobs; ++j) {
    workers.emplace_back([&] {
      while (auto item = work.Pop()) {
        const uint64_t sequence = item->sequence;
        results.Put(sequence, Process(*item, pipeline, extractors, options.search_text));
      }
    });
  }

  Status writer_status;
  bool writer_failed = false;
  std::thread writer([&] {
    ProgressReporter progress(options, total_bytes, err);
    // Articles go to the database in batches (see FactStore::BeginBatch); the
    // summary counts an article as stored once its batch has committed.
    BatchSummary pending;
    uint64_t batch_bytes = 0;
    auto batch_start = Clock::now();
    auto commit = [&] {
      if (!store.in_batch()) return;
      Status status = store.CommitBatch();
      if (!status.ok()) {
        report(status.message() + " (the last " + std::to_string(pending.stored + pending.replaced) +
               " articles were not stored; a re-run stores them)");
        summary->failed += pending.stored + pending.replaced;
        writer_status = status;
        writer_failed = true;
      } else {
        summary->stored += pending.stored;
        summary->replaced += pending.replaced;
        summary->unchanged += pending.unchanged;
        for (const auto& [kind, n] : pending.facts_per_kind) summary->facts_per_kind[kind] += n;
      }
      pending = BatchSummary();
      batch_bytes = 0;
      // Another connection waiting for the write lock (`check` storing its
      // findings) polls every millisecond; after a long batch, leave it a gap
      // to take the lock.
      if (Clock::now() - batch_start >= std::chrono::milliseconds(50)) {
        std::this_thread::sleep_for(std::chrono::milliseconds(3));
      }
    };
    while (true) {
      bool idle = false;
      auto result = results.Take(&end, &end_mutex, &idle);
      if (!result) {
        if (!idle) break;
        // Nothing to write right now: make what is held durable and visible.
        commit();
        continue;
      }
      if (writer_failed) continue;  // drain so the readers are not blocked
      if (!result->article) {
        report(result->error);
        ++summary->failed;
      } else {
        if (!store.in_batch()) {
          Status begun = store.BeginBatch();
          if (!begun.ok()) {
            report(begun.message());
            ++summary->failed;
            writer_status = begun;
            writer_failed = true;
            continue;
          }
          batch_start = Clock::now();
        }
        const uint64_t text_bytes = result->article->text.size();
        auto outcome = store.Store(std::move(*result->article));
        if (!outcome.ok()) {
          report(outcome.status().message());
          ++summary->failed;
          // A write failure is about the database, not the article: keep what
          // the batch holds, then stop.
          commit();
          writer_status = outcome.status();
          writer_failed = true;
        } else if (*outcome == StoreOutcome::kUnchanged) {
          ++pending.unchanged;
        } else {
          ++(*outcome == StoreOutcome::kReplaced ? pending.replaced : pending.stored);
          for (const auto& [kind, n] : result->facts_per_kind) pending.facts_per_kind[kind] += n;
          batch_bytes += text_bytes;
        }
        if (batch_bytes >= options.batch_bytes ||
            Clock::now() - batch_start >= std::chrono::milliseconds(options.batch_millis)) {
          commit();
        }
      }
      progress.Update(articles_read.load(), bytes_read.load(), false);
    }
    commit();
    progress.Update(articles_read.load(), bytes_read.load(), true);
  });

  SidecarDates sidecar_dates;
  uint64_t sequence = 0;
  for (const std::string& path : selected) {
    if ((options.stop && options.stop->load()) || writer_failed) {
      summary->interrupted = options.stop && options.stop->load();
      break;
    }
    std::error_code ec;
    reader.Read(
        path,
        [&](ArticleRecord&& record) {
          if (options.stop && options.stop->load()) return;  // finish quickly, store nothing new
          ++articles_read;
          if (path == "-") bytes_read += record.text.size();
          WorkItem item;
          item.source = std::move(record.source);
          item.content_hash = ContentHash(record.text);
          if (reader_store.ok()) {
            auto stored = (*reader_store)->StoredHash(item.source);
            if (stored.ok() && stored->has_value() && **stored == item.content_hash) {
              ++unchanged;
              return;
            }
          }
          item.raw = std::move(record.text);
          item.title = std::move(record.title);
          if (options.date_from_metadata) {
            item.published = record.published;
            if (!item.published && path != "-") {
              std::lock_guard lock(err_mutex);
              item.published = sidecar_dates.Find(path, err);
            }
          }
          item.sequence = sequence;
          results.Reserve(sequence);
          ++sequence;
          work.Push(std::move(item));
        },
        [&](const std::string& message) {
          report(message);
          ++read_failures;
        });
    bytes_read += path == "-" ? 0 : std::filesystem::file_size(path, ec);
  }
  if (options.stop && options.stop->load()) summary->interrupted = true;
  {
    std::lock_guard lock(end_mutex);
    end = sequence;
  }
  results.InputDone();
  work.Close();
  for (auto& w : workers) w.join();
  writer.join();

  summary->articles_read = articles_read.load();
  summary->bytes = bytes_read.load();
  summary->unchanged += unchanged.load();
  summary->failed += read_failures.load();
  summary->seconds = std::chrono::duration<double>(Clock::now() - start).count();
  return writer_status;
}

}  // namespace vnfacts
