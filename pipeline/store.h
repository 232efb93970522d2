// FactStore: the searchable fact database (SQLite through SQLiteCpp). One RAII
// transaction per article (or one savepoint per article inside a batch
// transaction), prepared statements kept as members, WAL mode, and a
// schema with a version number (PRAGMA user_version) and forward migrations: a
// database written by an older vnfacts opens and upgrades; a newer one is
// refused. SQLite exceptions never leave this unit: every call returns a Status.
//
// An article is identified by its source path; its content hash decides
// whether a re-run skips it (unchanged), or replaces its old facts (changed).
// Because each article is stored in one transaction (or savepoint), a killed
// run leaves every article either wholly stored or absent, and the next run
// completes the rest.
//
// Entities are resolved while storing: a person is one row per (name,
// organization); a document is one row per canonical id, with every mention
// (back-references included) in document_mentions.
#ifndef VNFACTS_PIPELINE_STORE_H_
#define VNFACTS_PIPELINE_STORE_H_

#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/status.h"

namespace vnfacts {

inline constexpr int kSchemaVersion = 11;

enum class StoreOutcome { kStored, kReplaced, kUnchanged };

// An article as the store keeps it: everything later commands need, with the
// raw offsets already resolved. Built from a processed Document, or read back
// from another database (`vnfacts merge`).
struct StoredArticle {
  struct Sentence {
    uint32_t begin = 0, end = 0, raw_begin = 0, raw_end = 0;
    SegmentKind kind = SegmentKind::kBody;
    size_t folded_begin = 0, folded_size = 0;  // in search_text, see Folded()
  };
  struct StoredFact {
    Fact fact;
    std::string text;
    uint32_t raw_begin = 0, raw_end = 0;
    size_t value_begin = 0;                    // in fact_values, see ValueJson()
    size_t folded_begin = 0, folded_size = 0;  // in search_text
  };
  std::string source;
  std::string content_hash;
  std::string title;
  std::optional<std::string> published;  // ISO date
  uint64_t raw_bytes = 0;
  std::string text;
  std::vector<Sentence> sentences;
  std::vector<StoredFact> facts;
  // The sentences as the articles table keeps them (SentenceSpansJson);
  // filled by PrepareForIndex().
  std::string sentence_spans;
  // What PrepareForIndex() makes per fact and sentence, gathered in two
  // buffers. A string each was an allocation per fact and sentence that a
  // worker made and the writer freed: about a fifth of a run's allocations,
  // which at 1 GB took a tenth of its CPU time (README, session 20).
  // The facts' value JSON, each followed by a NUL (JSON text has none).
  std::string fact_values;
  // The search index text of each sentence and of each fact whose kind has a
  // row of its own, each followed by a NUL so that SQLite reads it in place;
  // shared with the search rows the store keeps until its commit.
  std::shared_ptr<const std::string> search_text;
  // NUL-terminated.
  const char* ValueJson(const StoredFact& fact) const {
    return fact_values.c_str() + fact.value_begin;
  }
  // "" when the sentence has no search row.
  std::string_view Folded(const Sentence& sentence) const {
    if (search_text == nullptr || sentence.folded_size == 0) return {};
    return std::string_view(*search_text).substr(sentence.folded_begin, sentence.folded_size);
  }

  // Built by the worker threads, prepared for the index there too, so the
  // single writer only talks to SQLite. Without `search_text` (for a
  // database without a search index) the folded texts are left out.
  static StoredArticle FromDocument(const Document& doc, std::string content_hash,
                                    bool search_text = true);
  // The same, taking the document's text, source, title and facts instead of
  // copying them: for a worker, whose document ends here.
  static StoredArticle FromDocument(Document&& doc, std::string content_hash,
                                    bool search_text = true);
  // Computes what the article does not have yet of: the sentence spans and
  // value JSON (`prepared`), and with `search_text` the folded search text
  // of sentences and facts (`has_search_text`). Store() completes an article
  // that lacks what its database needs.
  void PrepareForIndex(bool search_text = true);
  bool prepared = false;
  bool has_search_text = false;
};

// A finding of `vnfacts check` as the store keeps it.
struct StoredFinding {
  std::string kind;
  double stated = 0;
  std::optional<double> computed;
  std::string unit;
  std::string detail_json;                   // the whole finding, as `check --format json` prints it
  std::vector<std::string> article_sources;  // the articles it involves
};

struct FactStoreOptions {
  // Index plain-ASCII search rows with vnfacts' own split instead of SQLite's
  // unicode61 code (pipeline/fts5_ascii_tokenizer.h); the index is the same
  // byte for byte. Off only to compare the two.
  bool ascii_tokenizer = true;
  // Whether a database this call creates gets a search index. Without one,
  // storing costs about a fifth less CPU: for shard databases, whose index
  // `merge` builds anyway, or an archive searched later. BuildSearchIndex()
  // (`vnfacts index`) builds it. An existing database keeps what it has.
  bool search_index = true;
  // Checkpoint the log from a thread of this store's own, never on the
  // thread that writes (pipeline/wal_checkpointer.h): for `run`, whose
  // writer sets its pace, and `merge` (see FactStore::kCheckpointLogPages
  // and kMaxLogPages).
  bool background_checkpoints = false;
};

class FactStore {
 public:
  // Opens (creating if needed) and migrates the database at `path`. Fails with
  // a clear message when the file is not a SQLite database, is read-only, or
  // was written by a newer schema.
  static Expected<std::unique_ptr<FactStore>> Open(const std::string& path,
                                                   const FactStoreOptions& options = {});
  // Opens an existing database for reading only (search, show, export); never
  // migrates or creates.
  static Expected<std::unique_ptr<FactStore>> OpenReadOnly(const std::string& path);
  ~FactStore();
  // Page size of a database Open() creates (see Open in store.cc for why).
  static constexpr int kPageSize = 16384;
  // With background checkpoints, a commit that leaves this many pages in
  // the log has it checkpointed (SQLite's own default).
  static constexpr int kCheckpointLogPages = 1000;
  // With background checkpoints, a batch begins only after the log is copied
  // once it holds this many pages (128 MiB: three or four batches of `run`;
  // see pipeline/wal_checkpointer.h).
  static constexpr int kMaxLogPages = 8192;

  // The stored hash of `source`, if that article is stored.
  Expected<std::optional<std::string>> StoredHash(const std::string& source);

  // Stores an article (text, sentences and facts) in one transaction,
  // replacing an older version with the same source. Inside a batch the store
  // keeps the article until its group is released (see BeginBatch): moving
  // it in spares the copy the const& overload makes.
  Expected<StoreOutcome> Store(StoredArticle&& article);
  Expected<StoreOutcome> Store(const StoredArticle& article) {
    return Store(StoredArticle(article));
  }
  Expected<StoreOutcome> StoreArticle(const Document& doc, const std::string& content_hash) {
    return Store(StoredArticle::FromDocument(doc, content_hash));
  }

  // Batches: between BeginBatch() and CommitBatch(), Store() writes articles
  // in one enclosing transaction. A commit writes every page an article
  // touches to the WAL, and the same index pages are touched by every
  // article, so one commit per few hundred articles instead of one per article
  // is what makes the single writer fast. An article that fails rolls back
  // alone; the articles before it stay in the batch. Until CommitBatch() the
  // batch is invisible to other connections and lost if the process dies (the
  // database stays consistent; a re-run stores the batch again).
  //
  // Articles go in under one savepoint per group of up to 1024 (or 4 MB of
  // their text), not one each: a savepoint copies every page its writes
  // touch that existed before it, and the same pages (the tables' and
  // indexes' last leaves and their parents, and in a large database leaves
  // all over the indexes of people, documents and positions) were copied
  // again for every article. When an article
  // fails, its group is rolled back and the group's earlier articles, which
  // the store keeps until the group is released, are written again, each
  // under a savepoint of its own.
  Status BeginBatch();
  Status CommitBatch();
  bool in_batch() const;
  // Inside a batch, search-index rows are written at the commit, or between
  // articles once this many bytes of them wait (default 32 MB; tests set
  // less to see several groups in one batch).
  void set_search_group_bytes(size_t bytes);
  // Inside a batch, articles are written under one savepoint per group of
  // up to this many (default 1024; a group also ends at 4 MB of their text).
  // Tests set less to see groups end within a few articles.
  void set_group_max_articles(size_t articles);
  // With background checkpoints, the log's bound in pages before a batch
  // begins (default kMaxLogPages; tests set less).
  void set_max_log_pages(int pages);
  // With background checkpoints, the last error of one that failed ("" if
  // none). What was committed stays in the log, and the next checkpoint
  // (at the latest the one SQLite makes on closing) copies it.
  std::string checkpoint_error() const;

  // Reads stored articles back, ordered by source, one at a time (merge reads
  // several databases this way in step). The cursor must not outlive the store.
  class ArticleCursor {
   public:
    ~ArticleCursor();
    // Fills `article` with the next article; false at the end or on error.
    bool Next(StoredArticle* article);
    const Status& status() const { return status_; }
    struct Impl;
    explicit ArticleCursor(std::unique_ptr<Impl> impl);

   private:
    std::unique_ptr<Impl> impl_;
    Status status_;
  };
  Expected<std::unique_ptr<ArticleCursor>> Articles();

  int schema_version() const;

  // False for a database made without a search index (FactStoreOptions),
  // until BuildSearchIndex(). Search() then fails, saying how to build it.
  bool has_search_index() const;
  // Builds the search index of a database that has none, from the stored
  // articles, in one transaction (an interrupted build leaves no index; the
  // next one starts again). True when built now, false when the database
  // already had one. Not inside a batch.
  Expected<bool> BuildSearchIndex();
  // Merges the search index's segments into one (FTS5 'optimize'), in one
  // transaction. A run merges them only once 256 pile up on one level (see
  // SetSearchMergePolicy in store.cc), so after a large run a search looks
  // a word up in up to that many; merged, searches are up to twice as fast.
  // Fails when the database has no search index. Not inside a batch.
  Status MergeSearchIndex();

  // Replaces all stored findings (each `check` run recomputes them) in one
  // transaction.
  Status ReplaceFindings(const std::vector<StoredFinding>& findings);

  // --- Queries (read-only; used by `search`, `show`, `export`) ---

  struct SearchHit {
    std::string source;   // article path
    std::string kind;     // "article" for a sentence hit, else the fact kind
    std::string text;     // the fact's surface text, or the sentence
    std::string value;    // the fact's value fields as JSON ("" for sentences)
    std::string snippet;  // the sentence with the matched words in [brackets]
    int64_t article_id = 0;
    int64_t fact_id = 0;  // 0 for sentence hits
  };
  // Full-text search with or without diacritics. `query` is plain words; FTS5
  // syntax in it is neutralized, never interpreted. `kind` empty: everything.
  Expected<std::vector<SearchHit>> Search(const std::string& query, const std::string& kind,
                                          int limit);

  // Runs `sql` (a fixed query written by vnfacts, with `?` parameters bound to
  // `params` as text) and calls `on_row` for each row (column name -> text
  // value, nullopt for NULL) until it returns false. Rows stream, so exports of
  // millions of facts stay in constant memory. Used by `show` and `export`;
  // user input only ever reaches SQLite as a bound value.
  using Row = std::vector<std::pair<std::string, std::optional<std::string>>>;
  Status QueryEach(const std::string& sql, const std::vector<std::string>& params,
                   const std::function<bool(const Row&)>& on_row);

  struct Impl;

 private:
  explicit FactStore(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// An article's sentences as its row in the articles table holds them (column
// sentence_spans, schema 10): a JSON array with one [start, end, raw_start,
// raw_end, "kind"] array per sentence, in order. One column instead of a row
// per sentence: the rows cost the writer 3% of a run.
std::string SentenceSpansJson(const std::vector<StoredArticle::Sentence>& sentences);
// Reads SentenceSpansJson() back into `out` (replacing its contents); false,
// with the reason in `error`, for anything else (malformed JSON, a wrong
// shape, an offset out of range, an unknown kind).
bool ParseSentenceSpans(std::string_view json, std::vector<StoredArticle::Sentence>* out,
                        std::string* error);

// Hex XXH3-128 of the bytes: the content hash articles are keyed by.
std::string ContentHash(std::string_view bytes);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_STORE_H_
