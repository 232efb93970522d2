#include "pipeline/store.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <simdjson.h>
#include <sqlite3.h>
#include <xxhash.h>

#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>
#include <limits>
#include <map>
#include <cerrno>
#include <cstring>
#include <filesystem>
#include <cstdio>
#include <set>
#include <type_traits>
#include <utility>

#include "extractors/fact_json.h"
#include "pipeline/bulk_insert.h"
#include "pipeline/fts5_ascii_tokenizer.h"
#include "pipeline/search_query.h"
#include "pipeline/text_fold.h"
#include "pipeline/utf8.h"
#include "pipeline/wal_checkpointer.h"

namespace vnfacts {
namespace {

// Each entry migrates the schema from version i to i + 1. Never edit a
// released entry: add a new one, and bump kSchemaVersion.
constexpr std::array<const char*, kSchemaVersion> kMigrations = {
    // 0 -> 1: articles, facts and the normalized entities.
    R"sql(
CREATE TABLE articles (
  id INTEGER PRIMARY KEY,
  source TEXT NOT NULL UNIQUE,
  content_hash TEXT NOT NULL,
  title TEXT,
  published TEXT,
  raw_bytes INTEGER NOT NULL,
  text TEXT NOT NULL,
  stored_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE sentences (
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  idx INTEGER NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  raw_start INTEGER NOT NULL,
  raw_end INTEGER NOT NULL,
  kind TEXT NOT NULL,
  PRIMARY KEY (article_id, idx)
) WITHOUT ROWID;
CREATE TABLE facts (
  id INTEGER PRIMARY KEY,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  kind TEXT NOT NULL,
  text TEXT NOT NULL,
  start INTEGER NOT NULL,
  end INTEGER NOT NULL,
  raw_start INTEGER NOT NULL,
  raw_end INTEGER NOT NULL,
  sentence INTEGER NOT NULL,
  rule TEXT NOT NULL,
  value TEXT NOT NULL
);
CREATE INDEX facts_by_article ON facts(article_id);
CREATE INDEX facts_by_kind ON facts(kind);
CREATE TABLE people (
  id INTEGER PRIMARY KEY,
  name TEXT NOT NULL,
  org TEXT NOT NULL DEFAULT '',
  name_folded TEXT NOT NULL,
  UNIQUE (name, org)
);
CREATE INDEX people_by_folded_name ON people(name_folded);
CREATE TABLE positions (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  title TEXT NOT NULL,
  org TEXT,
  former INTEGER NOT NULL,
  date TEXT
);
CREATE INDEX positions_by_person ON positions(person_id);
CREATE INDEX positions_by_article ON positions(article_id);
CREATE TABLE documents (
  id INTEGER PRIMARY KEY,
  code TEXT NOT NULL UNIQUE,
  type TEXT,
  number TEXT,
  issuer_code TEXT,
  issuer TEXT,
  issued TEXT,
  term TEXT,
  subject TEXT
);
CREATE TABLE document_mentions (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  back_reference INTEGER NOT NULL
);
CREATE INDEX document_mentions_by_document ON document_mentions(document_id);
CREATE INDEX document_mentions_by_article ON document_mentions(article_id);
CREATE TABLE quantities (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  approx TEXT NOT NULL,
  decimals INTEGER NOT NULL,
  of TEXT
);
CREATE INDEX quantities_by_article ON quantities(article_id);
CREATE INDEX quantities_by_unit ON quantities(unit, value);
CREATE TABLE dates (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  value TEXT NOT NULL,
  inferred INTEGER NOT NULL
);
CREATE INDEX dates_by_article ON dates(article_id);
CREATE TABLE terms (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  value INTEGER NOT NULL,
  label TEXT NOT NULL,
  period TEXT
);
CREATE INDEX terms_by_article ON terms(article_id);
-- Diacritic-insensitive full-text index over sentences and facts. Text is
-- folded by vnfacts (FoldDiacritics) before indexing, so đ matches d too.
-- rowid = article_id << 24 | (1 << 23 for facts) | index within the article,
-- so an article's rows can be deleted by rowid range.
CREATE VIRTUAL TABLE search_index USING fts5(
  folded, kind UNINDEXED, article_id UNINDEXED, ref UNINDEXED, tokenize = 'unicode61');
CREATE VIEW person_positions AS
  SELECT p.name, p.org AS person_org, pos.title, pos.org, pos.former, pos.date,
         a.source, a.published, f.text AS evidence
  FROM positions pos JOIN people p ON p.id = pos.person_id
  JOIN articles a ON a.id = pos.article_id JOIN facts f ON f.id = pos.fact_id;
CREATE VIEW document_citations AS
  SELECT d.code, d.type, d.issuer, d.issued, m.back_reference, a.source, a.published,
         f.text AS evidence, f.raw_start, f.raw_end
  FROM document_mentions m JOIN documents d ON d.id = m.document_id
  JOIN articles a ON a.id = m.article_id JOIN facts f ON f.id = m.fact_id;
CREATE VIEW quantity_facts AS
  SELECT q.value, q.unit, q.approx, q.of, f.text AS evidence, s.kind AS segment,
         a.source, a.published, f.raw_start, f.raw_end
  FROM quantities q JOIN facts f ON f.id = q.fact_id JOIN articles a ON a.id = q.article_id
  JOIN sentences s ON s.article_id = f.article_id AND s.idx = f.sentence;
)sql",
    // 1 -> 2: findings of `vnfacts check`, stored so `show article` lists them.
    R"sql(
CREATE TABLE findings (
  id INTEGER PRIMARY KEY,
  kind TEXT NOT NULL,
  stated REAL,
  computed REAL,
  unit TEXT,
  detail TEXT NOT NULL,
  created_at TEXT NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%SZ', 'now'))
);
CREATE TABLE finding_articles (
  finding_id INTEGER NOT NULL REFERENCES findings(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL REFERENCES articles(id) ON DELETE CASCADE,
  PRIMARY KEY (finding_id, article_id)
) WITHOUT ROWID;
CREATE INDEX finding_articles_by_article ON finding_articles(article_id);
)sql",
    // 2 -> 3: two indexes no query needs cost a fifth of ingest time.
    R"sql(
DROP INDEX IF EXISTS facts_by_kind;
DROP INDEX IF EXISTS quantities_by_unit;
)sql",
    // 3 -> 4: quantities, dates and terms are searched through their
    // sentence's row (see Search()); their own rows go.
    R"sql(
DELETE FROM search_index WHERE kind IN ('quantity', 'date', 'term');
)sql",
    // 4 -> 5: the index cost the single writer a quarter of a run. Without
    // stored column sizes (bm25 re-counts the few rows it ranks), with one
    // flush per commit instead of one per MB (hashsize) and with merges only
    // once 16 segments pile up (automerge), building it costs 45% less.
    R"sql(
CREATE VIRTUAL TABLE search_index_v5 USING fts5(
  folded, kind UNINDEXED, article_id UNINDEXED, ref UNINDEXED, tokenize = 'unicode61',
  columnsize = 0);
INSERT INTO search_index_v5 (search_index_v5, rank) VALUES ('automerge', 16);
INSERT INTO search_index_v5 (search_index_v5, rank) VALUES ('hashsize', 67108864);
INSERT INTO search_index_v5 (rowid, folded, kind, article_id, ref)
  SELECT rowid, folded, kind, article_id, ref FROM search_index;
DROP TABLE search_index;
ALTER TABLE search_index_v5 RENAME TO search_index;
)sql",
    // 5 -> 6: deleting a fact cascades to its positions, and without this
    // index SQLite scanned all of them per fact: replacing one changed
    // article in a 100 MB archive's database took 2 s instead of 13 ms.
    R"sql(
CREATE INDEX IF NOT EXISTS positions_by_fact ON positions(fact_id);
)sql",
    // 6 -> 7: the rows of positions, document_mentions, quantities, dates
    // and terms belong to a fact, and deleting an article deletes its facts,
    // which cascade to them through fact_id; their own cascading key on
    // article_id added nothing but an index each, and keeping those five
    // indexes up to date cost 1.5% of a run's instructions. SQLite cannot
    // drop a constraint, so each table is made again without it (same
    // columns, same rows and rowids); the views over them name the tables, not
    // their definitions, so they stay as they are and read the new ones. Copied
    // out and back rather than renamed: ALTER TABLE RENAME parses the whole
    // schema, and five of them made creating a database cost 27 M
    // instructions instead of 7 M.
    R"sql(
CREATE TABLE positions_v6 AS SELECT * FROM positions;
DROP TABLE positions;
CREATE TABLE positions (
  id INTEGER PRIMARY KEY,
  person_id INTEGER NOT NULL REFERENCES people(id),
  fact_id INTEGER NOT NULL REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL,
  title TEXT NOT NULL,
  org TEXT,
  former INTEGER NOT NULL,
  date TEXT
);
INSERT INTO positions (id, person_id, fact_id, article_id, title, org, former, date)
  SELECT id, person_id, fact_id, article_id, title, org, former, date FROM positions_v6;
DROP TABLE positions_v6;
CREATE INDEX positions_by_person ON positions(person_id);
CREATE INDEX positions_by_fact ON positions(fact_id);
CREATE TABLE document_mentions_v6 AS SELECT * FROM document_mentions;
DROP TABLE document_mentions;
CREATE TABLE document_mentions (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  document_id INTEGER NOT NULL REFERENCES documents(id),
  article_id INTEGER NOT NULL,
  back_reference INTEGER NOT NULL
);
INSERT INTO document_mentions (fact_id, document_id, article_id, back_reference)
  SELECT fact_id, document_id, article_id, back_reference FROM document_mentions_v6;
DROP TABLE document_mentions_v6;
CREATE INDEX document_mentions_by_document ON document_mentions(document_id);
CREATE TABLE quantities_v6 AS SELECT * FROM quantities;
DROP TABLE quantities;
CREATE TABLE quantities (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL,
  value REAL NOT NULL,
  unit TEXT NOT NULL,
  approx TEXT NOT NULL,
  decimals INTEGER NOT NULL,
  of TEXT
);
INSERT INTO quantities (fact_id, article_id, value, unit, approx, decimals, of)
  SELECT fact_id, article_id, value, unit, approx, decimals, of FROM quantities_v6;
DROP TABLE quantities_v6;
CREATE TABLE dates_v6 AS SELECT * FROM dates;
DROP TABLE dates;
CREATE TABLE dates (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL,
  value TEXT NOT NULL,
  inferred INTEGER NOT NULL
);
INSERT INTO dates (fact_id, article_id, value, inferred)
  SELECT fact_id, article_id, value, inferred FROM dates_v6;
DROP TABLE dates_v6;
CREATE TABLE terms_v6 AS SELECT * FROM terms;
DROP TABLE terms;
CREATE TABLE terms (
  fact_id INTEGER PRIMARY KEY REFERENCES facts(id) ON DELETE CASCADE,
  article_id INTEGER NOT NULL,
  value INTEGER NOT NULL,
  label TEXT NOT NULL,
  period TEXT
);
INSERT INTO terms (fact_id, article_id, value, label, period)
  SELECT fact_id, article_id, value, label, period FROM terms_v6;
DROP TABLE terms_v6;
)sql",
    // 7 -> 8: the search index keeps no copy of the text it indexes
    // (contentless). The copy was a fifth of a database's size and a third of
    // the cost of indexing. A row's id says what it is: a sentence is
    // article_id << 24 | its index (positive), a fact's row is minus the
    // fact's id; the kind, article and ref columns that said so go.
    // Deleting rows of a contentless table takes the text they were made
    // from, which the store folds again from the article's stored rows (see
    // FactStore::Impl::DeleteArticle); so the rows are made again here the
    // same way (RebuildSearchIndex, run by Migrate() after this step) rather
    // than copied, whatever an older vnfacts folded.
    R"sql(
DROP TABLE search_index;
CREATE VIRTUAL TABLE search_index USING fts5(
  folded, tokenize = 'unicode61', content = '', columnsize = 0);
INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16);
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 67108864);
)sql",
    // 8 -> 9: quantities, dates and terms become views over facts.value,
    // which holds every field their rows repeated. Writing those rows cost
    // about 3% of a run's instructions, and nothing in vnfacts reads them
    // (check, merge, export and search read facts.value); the views keep
    // them queryable under the same names and columns. A field an older
    // vnfacts did not write reads as FactValueFromJson reads it (approx
    // 'exact', decimals 0, inferred 0), and value stays REAL.
    R"sql(
DROP TABLE quantities;
DROP TABLE dates;
DROP TABLE terms;
CREATE VIEW quantities AS
  SELECT id AS fact_id, article_id, CAST(json_extract(value, '$.value') AS REAL) AS value,
         json_extract(value, '$.unit') AS unit,
         coalesce(json_extract(value, '$.approx'), 'exact') AS approx,
         coalesce(json_extract(value, '$.decimals'), 0) AS decimals,
         json_extract(value, '$.of') AS "of"
  FROM facts WHERE kind = 'quantity';
CREATE VIEW dates AS
  SELECT id AS fact_id, article_id, json_extract(value, '$.value') AS value,
         coalesce(json_extract(value, '$.inferred'), 0) AS inferred
  FROM facts WHERE kind = 'date';
CREATE VIEW terms AS
  SELECT id AS fact_id, article_id, json_extract(value, '$.value') AS value,
         json_extract(value, '$.label') AS label, json_extract(value, '$.period') AS period
  FROM facts WHERE kind = 'term';
)sql",
    // 9 -> 10: an article's sentences become one column of its row (see
    // SentenceSpansJson) instead of a row each: writing those rows cost
    // about 3% of a run's instructions, and every reader wants an article's
    // sentences all at once. A view keeps them queryable under the same name
    // and columns. json_array() is called in the aggregate, not in the
    // subquery, so json_group_array() nests arrays, not strings; the
    // subquery walks the table's key (article_id, idx), so in idx order.
    R"sql(
ALTER TABLE articles ADD COLUMN sentence_spans TEXT NOT NULL DEFAULT '[]';
UPDATE articles SET sentence_spans = (
  SELECT json_group_array(json_array(start, end, raw_start, raw_end, kind))
  FROM (SELECT start, end, raw_start, raw_end, kind FROM sentences
        WHERE article_id = articles.id ORDER BY idx));
DROP VIEW quantity_facts;
DROP TABLE sentences;
CREATE VIEW sentences AS
  SELECT a.id AS article_id, CAST(j.key AS INTEGER) AS idx, j.value ->> 0 AS start,
         j.value ->> 1 AS end, j.value ->> 2 AS raw_start, j.value ->> 3 AS raw_end,
         j.value ->> 4 AS kind
  FROM articles a, json_each(a.sentence_spans) j;
CREATE VIEW quantity_facts AS
  SELECT q.value, q.unit, q.approx, q.of, f.text AS evidence,
         json_extract(a.sentence_spans, '$[' || f.sentence || '][4]') AS segment,
         a.source, a.published, f.raw_start, f.raw_end
  FROM quantities q JOIN facts f ON f.id = q.fact_id JOIN articles a ON a.id = q.article_id;
)sql",
    // 10 -> 11: nothing changes in an existing database. A new one may be
    // made without the search index (FactStoreOptions::search_index), which
    // a vnfacts of version 10 would fail on at its first write or search;
    // the version makes it refuse such a database up front instead.
    R"sql(
SELECT 1;
)sql",
};

// Target size of the search index's leaf pages in a new database: one fits a
// FactStore::kPageSize page with its record header, no overflow page.
constexpr int kSearchLeafBytes = 16000;
// The search index's leaves as large as a new database's pages (see Migrate).
void SetSearchLeafSize(SQLite::Database& db) {
  db.exec("INSERT INTO search_index (search_index, rank) VALUES ('pgsz', " +
          std::to_string(kSearchLeafBytes) + ")");
}
// How the search index merges its segments. FTS5 writes one segment per
// commit (`run` commits every 8 MB of text), and by default merges them
// step by step as it goes (automerge) and all at once when 16 pile up on one
// level (crisismerge), so each indexed byte was written again about twice in
// a 1 GB run, through the WAL and the checkpoint: 8-14% of the run's CPU time
// (1 GB press-like archive, two workers: 93.2-97.3 -> 80.0-86.3 CPU-s).
// With merges only once kSearchMergeWidth segments of a level pile up, a byte
// is written again once per factor of kSearchMergeWidth in the index's size
// instead of once per factor of 16: not at all up to about 2 GB of text.
// A search looks each word up in every segment: 0.10-0.27 s on 182 segments
// against 0.06-0.19 s on one, which FactStore::MergeSearchIndex() makes.
constexpr int kSearchMergeWidth = 256;
void SetSearchMergePolicy(SQLite::Database& db) {
  db.exec("INSERT INTO search_index (search_index, rank) VALUES ('automerge', 0)");
  db.exec("INSERT INTO search_index (search_index, rank) VALUES ('crisismerge', " +
          std::to_string(kSearchMergeWidth) + ")");
}
// Whether the search index of `db` merges as SetSearchMergePolicy() sets.
bool HasSearchMergePolicy(SQLite::Database& db) {
  SQLite::Statement width(db, "SELECT v FROM search_index_config WHERE k = 'crisismerge'");
  return width.executeStep() && width.getColumn(0).getInt() == kSearchMergeWidth;
}
// The oldest schema version whose tables and views are those of kSchemaVersion.
constexpr int kSameLayoutVersion = 10;
static_assert(kSearchLeafBytes + 64 < FactStore::kPageSize - 35);

// From this schema version on, the search index is contentless (see the
// migration to it).
constexpr int kContentlessSearchVersion = 8;

// Search-index row ids (schema 8): a sentence's row is article_id << 24 |
// the sentence's index, a fact's row is minus the fact's id.
constexpr int kSentenceBits = 24;
int64_t SentenceRowId(int64_t article_id, int64_t index) {
  return (article_id << kSentenceBits) | (index & ((int64_t{1} << kSentenceBits) - 1));
}
int64_t FactRowId(int64_t fact_id) { return -fact_id; }

// Facts of these kinds have no search rows of their own: their searchable text
// is their surface text, which their sentence's row already holds, and a row
// each cost the single writer 7.5% of a run. Search finds them through the
// sentence.
bool FoundThroughSentence(std::string_view kind) {
  return kind == "quantity" || kind == "date" || kind == "term";
}

// Appends the folded text a fact is found by to `*folded` and returns its
// size: its surface text plus its canonical values (so "quy dinh 124" finds
// a back-reference too, via the full code). Like AppendSentenceSearchText()
// and FoldDiacritics(), part of the database format: deleting a fact's row
// folds this again (see text_fold.h).
size_t AppendSearchableFactText(const std::string& surface, const Fact& fact,
                                std::string* folded) {
  const size_t before = folded->size();
  // Folding keeps the spaces between fields, so each is folded after a ' '
  // as it stands, with no unfolded copy of the whole.
  auto add = [folded](const std::string& field) {
    *folded += ' ';
    AppendFoldedDiacritics(field, folded);
  };
  AppendFoldedDiacritics(surface, folded);
  if (const auto* d = std::get_if<DocumentFact>(&fact.value)) {
    add(d->id);
    add(d->type);
  } else if (const auto* o = std::get_if<OfficialFact>(&fact.value)) {
    add(o->name);
    for (const auto& t : o->titles) add(t);
    if (o->org) add(*o->org);
  }
  return folded->size() - before;
}

// A fact's kind and value fields from its stored `kind` and `value` (JSON)
// columns; false with the reason in `error` when they cannot be read.
bool ReadStoredFactValue(FactValueReader& reader, const std::string& kind_name,
                         const std::string& value_json, Fact* fact, std::string* error) {
  const std::optional<FactKind> kind = ParseFactKind(kind_name);
  if (!kind) {
    *error = "unknown kind";
    return false;
  }
  return reader.Read(*kind, value_json, fact, error);
}

// Appends the folded text a sentence is found by to `*folded` and returns
// its size; nothing when it has no search row (blank, or its offsets do not
// fit the text).
size_t AppendSentenceSearchText(std::string_view text, uint64_t begin, uint64_t end,
                                std::string* folded) {
  if (end > text.size() || begin > end) return 0;
  const size_t before = folded->size();
  AppendFoldedDiacritics(text.substr(begin, end - begin), folded);
  if (folded->find_first_not_of(" \n", before) == std::string::npos) folded->resize(before);
  return folded->size() - before;
}

// Process-wide SQLite settings, applied once before the first connection
// (sqlite3_config refuses after SQLite has initialized). Memory statistics
// take a global mutex on every allocation, and nothing reads them.
void ConfigureSqlite() {
  static const bool configured = [] {
    return sqlite3_config(SQLITE_CONFIG_MEMSTATUS, 0) == SQLITE_OK;
  }();
  (void)configured;
}

}  // namespace

struct FactStore::Impl {
  // NOMUTEX: a connection is only ever used by one thread at a time, so
  // SQLite's per-connection locking on every call is pure cost.
  explicit Impl(const std::string& path, int flags)
      : db((ConfigureSqlite(), path), flags | SQLite::OPEN_NOMUTEX) {
    sqlite3_busy_handler(db.getHandle(), &RetryEveryMillisecond, nullptr);
  }
  // A `run` holds the write lock for a whole batch and frees it only briefly
  // between batches. SQLite's default busy handler sleeps up to 100 ms between
  // tries and would keep missing those gaps (`check` storing findings during a
  // run would time out); trying every millisecond does not. Gives up after
  // about 30 s.
  static int RetryEveryMillisecond(void*, int tries) {
    if (tries >= kBusyTimeoutMillis) return 0;
    ::usleep(1000);
    return 1;
  }
  static constexpr int kBusyTimeoutMillis = 30000;
  SQLite::Database db;
  // Declared after `db`, so it stops before `db` closes.
  std::unique_ptr<WalCheckpointer> checkpointer;  // FactStoreOptions::background_checkpoints
  int max_log_pages = FactStore::kMaxLogPages;
  int version = 0;
  FactValueReader fact_values;  // for facts read back (search rows to delete or rebuild)
  // False while the database has no search_index table (made without one,
  // FactStoreOptions::search_index): nothing reads or writes search rows.
  bool has_search_index = true;
  void ReadSearchIndexState() {
    has_search_index = db.execAndGet(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'search_index'")
                           .getInt() > 0;
  }
  // Ids of people and documents in the database, so storing a fact skips the
  // upsert and the lookup; for a document also which of the fields an article
  // may fill (kIssued...) are known to be set, so a mention that brings
  // nothing new skips the update. Learned as articles are written, also
  // inside an uncommitted article or batch: every path that rolls one back
  // (an article that fails, a batch that does not commit) clears them, and
  // so does deleting an article (it may take people with it). Without
  // caching inside the batch, each of a batch's articles looked up again the
  // people and documents the ones before it had (a third of the lookups).
  std::map<std::pair<std::string, std::string>, int64_t> person_ids;
  struct CachedDocument {
    int64_t id;
    uint8_t filled;
  };
  static constexpr uint8_t kIssued = 1, kIssuer = 2, kTerm = 4, kSubject = 8;
  std::map<std::string, CachedDocument> document_ids;
  bool in_batch = false;

  // Search-index rows of a batch are written at its commit, or between
  // articles once search_group_bytes of them wait; never under a savepoint
  // (an article's or a group's). FTS5 flushes its pending terms to a new
  // segment at every savepoint once the transaction has touched it, so writing them with
  // their article made one tiny segment per article, and merging those cost
  // the writer about a fifth of a run's CPU time. Written in groups, the next
  // savepoint flushes one segment per group. Groups of 256 KB still made
  // dozens of segments per 8 MB batch, and FTS5 merged them again and again
  // (automerge): written at the commit, one segment per batch, a run over 12
  // MB of articles took 3% fewer instructions (the writer 8%). The group
  // size only bounds the memory of an unusually large batch (`run` and
  // `merge` commit every 8 MB of text). A group that fails to write fails
  // the batch (batch_error), which then rolls back as a whole.
  struct SearchRow {
    int64_t rowid;  // SentenceRowId() or FactRowId()
    int64_t article_id;
    // The folded text is `size` bytes at `begin` in `text`, a NUL after it:
    // one buffer for all rows of an article (StoredArticle::search_text).
    std::shared_ptr<const std::string> text;
    size_t begin, size;
    std::string_view folded() const { return std::string_view(*text).substr(begin, size); }
  };
  std::vector<SearchRow> article_search, batch_search;  // of this article, of the batch
  // Rows of replaced articles, deleted at commit before the inserts. The
  // index keeps no copy of the text (contentless), and deleting a row takes
  // the text it was made from: each row carries it, folded again from the
  // article's stored rows (StoredSearchRows()).
  std::vector<SearchRow> article_search_deletes, batch_search_deletes;
  // Articles replaced while their rows still waited in the batch: those rows
  // are dropped when the replacing article is in, never written. The batch
  // keeps them and skips them at the flush, so that rolling back a group
  // (see below) only has to cut the vectors back to their length at its
  // start. A dropped article is its id and the batch's row count when it was
  // dropped: a replacement may get the id of the article it replaced, and
  // its own rows come after that count.
  struct DroppedRows {
    int64_t article_id;
    size_t before;  // rows of batch_search before this index
  };
  std::vector<int64_t> article_search_dropped;
  std::vector<DroppedRows> batch_search_dropped;
  size_t batch_search_bytes = 0;
  std::string batch_error;
  size_t search_group_bytes = size_t{32} << 20;

  // Articles of a batch are written under one savepoint per group, not one
  // each (see FactStore::BeginBatch). SQLite copies each page that existed
  // before a savepoint into its sub-journal when the savepoint first writes
  // it; an article touched about 26 such pages, and copying them cost 2.9%
  // of a run's instructions (20 MB archive without the search index). A
  // group of 64 articles copies about as many pages as one article did. In
  // a large database a group also touches leaves all over the indexes of
  // people, documents and positions, each copied once per group that
  // touches it: at 1 GB, groups of 64 articles cost 2-11% more CPU than
  // groups of 4 MB (README, session 19). The group's articles are
  // kept, to be written again when a later one in the group fails, so a
  // group also ends at kGroupTextBytes of their text: what it keeps costs
  // about ten times its text in memory.
  size_t group_max_articles = 1024;
  static constexpr size_t kGroupTextBytes = size_t{4} << 20;
  bool group_open = false;
  std::vector<StoredArticle> group_articles;
  size_t group_text_bytes = 0;  // of group_articles' texts
  // The batch's search rows when the group began, to go back to.
  struct SearchMark {
    size_t rows = 0, deletes = 0, dropped = 0, bytes = 0;
  } group_mark;

  // The search rows of a prepared article (PrepareForIndex) stored as
  // `article_id`, whose facts have consecutive ids from `first_fact_id`: one
  // per sentence with words, one per fact not found through its sentence
  // (see Search()); StoredSearchRows() makes the same rows again from what
  // is stored. Queued, also outside a batch: they are written in ascending
  // row-id order (FlushBatchSearch).
  static void AppendSearchRows(const StoredArticle& article, int64_t article_id,
                               int64_t first_fact_id, std::vector<SearchRow>* rows) {
    for (size_t i = 0; i < article.sentences.size(); ++i) {
      const StoredArticle::Sentence& sentence = article.sentences[i];
      if (sentence.folded_size != 0) {
        rows->push_back({SentenceRowId(article_id, static_cast<int64_t>(i)), article_id,
                         article.search_text, sentence.folded_begin, sentence.folded_size});
      }
    }
    for (size_t i = 0; i < article.facts.size(); ++i) {
      const StoredArticle::StoredFact& fact = article.facts[i];
      if (FoundThroughSentence(FactKindName(fact.fact.kind))) continue;
      rows->push_back({FactRowId(first_fact_id + static_cast<int64_t>(i)), article_id,
                       article.search_text, fact.folded_begin, fact.folded_size});
    }
  }

  void InsertSearchRow(const SearchRow& row) {
    Reset(*insert_search);
    insert_search->bind(1, row.rowid);
    BindSearchText(*insert_search, 2, row.folded());
    insert_search->exec();
  }

  void DeleteSearchRow(const SearchRow& row) {
    Reset(*delete_search);
    delete_search->bind(1, row.rowid);
    BindSearchText(*delete_search, 2, row.folded());
    delete_search->exec();
  }

  // BindView() for a search row's text. FTS5 reads it with
  // sqlite3_value_text(), which copies a string bound with its length into a
  // new buffer to terminate it: a copy and an allocation per row. Bound with
  // length -1 it is known to be terminated and is read in place. That reads
  // up to the first NUL, so a text that holds one (an article's text may)
  // is bound with its length, and copied.
  // `text` must be followed by a NUL (SearchRow).
  static void BindSearchText(SQLite::Statement& s, int index, std::string_view text) {
    if (std::memchr(text.data(), '\0', text.size()) != nullptr) {
      s.bind(index, std::string(text));  // SQLiteCpp binds a length only from a std::string
      return;
    }
    s.bindNoCopy(index, text.data());  // length -1
  }

  // The search rows the stored article `article_id` was given, made again
  // from what is stored as Write() made them (AppendSearchRows): deleting a
  // replaced article's rows and rebuilding the index both make them here,
  // so a deletion names exactly the rows and text written. Each part reads
  // only what its rows are made from.
  std::vector<SearchRow> StoredSearchRows(int64_t article_id) {
    std::vector<SearchRow> rows;
    AppendStoredSentenceRows(article_id, &rows);
    AppendStoredFactRows(article_id, &rows);
    return rows;
  }
  // Its sentences' rows, in order (ascending row ids).
  void AppendStoredSentenceRows(int64_t article_id, std::vector<SearchRow>* rows) {
    Reset(*stored_text);
    stored_text->bind(1, article_id);
    if (!stored_text->executeStep()) {
      Reset(*stored_text);
      return;
    }
    const std::string text = stored_text->getColumn(0).getString();
    std::vector<StoredArticle::Sentence> sentences;
    std::string error;
    const bool read = ParseSentenceSpans(stored_text->getColumn(1).getText(""), &sentences, &error);
    Reset(*stored_text);
    if (!read) {
      throw SQLite::Exception("sentences of stored article " + std::to_string(article_id) +
                              " cannot be read back for the search index: " + error);
    }
    // One buffer for the article, as PrepareForIndex() makes it.
    std::string folded;
    const size_t first = rows->size();
    for (size_t i = 0; i < sentences.size(); ++i) {
      const size_t begin = folded.size();
      const size_t size = AppendSentenceSearchText(text, sentences[i].begin, sentences[i].end,
                                                   &folded);
      if (size == 0) continue;
      folded += '\0';
      rows->push_back({SentenceRowId(article_id, static_cast<int64_t>(i)), article_id, nullptr,
                       begin, size});
    }
    ShareSearchText(std::move(folded), rows, first);
  }
  // Gives the rows from `first` on the buffer their texts are in.
  static void ShareSearchText(std::string folded, std::vector<SearchRow>* rows, size_t first) {
    if (first == rows->size()) return;
    auto shared = std::make_shared<const std::string>(std::move(folded));
    for (size_t i = first; i < rows->size(); ++i) (*rows)[i].text = shared;
  }
  // The rows of its facts that have rows of their own, by descending fact id
  // (ascending row ids); only those facts' values are parsed.
  void AppendStoredFactRows(int64_t article_id, std::vector<SearchRow>* rows) {
    std::string folded;
    const size_t first = rows->size();
    Reset(*stored_facts);
    stored_facts->bind(1, article_id);
    while (stored_facts->executeStep()) {
      const std::string kind = stored_facts->getColumn(1).getString();
      if (FoundThroughSentence(kind)) continue;
      const int64_t fact_id = stored_facts->getColumn(0).getInt64();
      Fact fact;
      std::string error;
      if (!ReadStoredFactValue(fact_values, kind, stored_facts->getColumn(3).getString(), &fact,
                               &error)) {
        throw SQLite::Exception("stored fact " + std::to_string(fact_id) +
                                " cannot be read back for the search index: " + error);
      }
      const size_t begin = folded.size();
      const size_t size =
          AppendSearchableFactText(stored_facts->getColumn(2).getString(), fact, &folded);
      folded += '\0';
      rows->push_back({FactRowId(fact_id), article_id, nullptr, begin, size});
    }
    Reset(*stored_facts);
    ShareSearchText(std::move(folded), rows, first);
  }

  // Makes every stored article's search rows (the index is empty), inside
  // the caller's transaction, in ascending row-id order as FlushBatchSearch
  // writes them (see there why): first the facts' rows (minus their ids:
  // the last article's first), then the sentences', article by article, so
  // no more than one article's rows are held.
  void RebuildSearchIndex() {
    std::vector<int64_t> articles;
    {
      SQLite::Statement ids(db, "SELECT id FROM articles ORDER BY id");
      while (ids.executeStep()) articles.push_back(ids.getColumn(0).getInt64());
    }
    if (articles.empty()) return;  // a new database: no statements to prepare
    Prepare();
    std::vector<SearchRow> rows;
    for (auto id = articles.rbegin(); id != articles.rend(); ++id) {
      rows.clear();
      AppendStoredFactRows(*id, &rows);
      for (const SearchRow& row : rows) InsertSearchRow(row);
    }
    for (int64_t id : articles) {
      rows.clear();
      AppendStoredSentenceRows(id, &rows);
      for (const SearchRow& row : rows) InsertSearchRow(row);
    }
  }

  // Writes the batch's search rows; inside the batch's transaction. One row
  // per statement: a statement of several rows into a virtual table opens a
  // statement savepoint, at which FTS5 writes its pending terms out as a new
  // segment (tried with BulkInsert: the run took 20% more instructions).
  // In ascending row-id order: FTS5 writes its pending terms out as a new
  // segment whenever a row id is not larger than the one before (a fact's
  // row id is negative, its sentence's positive; unsorted, the 20 MB archive
  // took 62% more instructions).
  void FlushBatchSearch() {
    for (const SearchRow* row : InRowIdOrder(batch_search_deletes, {})) DeleteSearchRow(*row);
    for (const SearchRow* row : InRowIdOrder(batch_search, batch_search_dropped)) {
      InsertSearchRow(*row);
    }
    ClearBatchSearch();
  }
  // The rows by ascending row id, without the dropped ones. Pointers are
  // sorted, not the rows, which hold strings (0.2% of a run's instructions).
  static std::vector<const SearchRow*> InRowIdOrder(const std::vector<SearchRow>& rows,
                                                    const std::vector<DroppedRows>& dropped) {
    std::vector<const SearchRow*> order;
    order.reserve(rows.size());
    for (size_t i = 0; i < rows.size(); ++i) {
      const bool is_dropped =
          std::any_of(dropped.begin(), dropped.end(), [&](const DroppedRows& d) {
            return i < d.before && rows[i].article_id == d.article_id;
          });
      if (!is_dropped) order.push_back(&rows[i]);
    }
    std::sort(order.begin(), order.end(),
              [](const SearchRow* a, const SearchRow* b) { return a->rowid < b->rowid; });
    return order;
  }
  // Moves a stored article's search rows and deletions into the batch.
  void EndArticleSearch() {
    for (int64_t article_id : article_search_dropped) {
      for (size_t i = 0; i < batch_search.size(); ++i) {
        const bool already = std::any_of(
            batch_search_dropped.begin(), batch_search_dropped.end(),
            [&](const DroppedRows& d) { return i < d.before && d.article_id == article_id; });
        if (batch_search[i].article_id == article_id && !already) {
          batch_search_bytes -= batch_search[i].size;
        }
      }
      batch_search_dropped.push_back({article_id, batch_search.size()});
    }
    for (SearchRow& row : article_search) {
      batch_search_bytes += row.size;
      batch_search.push_back(std::move(row));
    }
    for (SearchRow& row : article_search_deletes) batch_search_deletes.push_back(std::move(row));
    ClearArticleSearch();
  }
  void ClearArticleSearch() {
    article_search.clear();
    article_search_deletes.clear();
    article_search_dropped.clear();
  }
  void ClearBatchSearch() {
    batch_search_bytes = 0;
    batch_search.clear();
    batch_search_deletes.clear();
    batch_search_dropped.clear();
    ClearArticleSearch();
  }

  // Groups (see group_max_articles). Search rows are written between groups,
  // never under one: rolling a group back then only has to forget the rows
  // it queued.
  void OpenGroup() {
    db.exec("SAVEPOINT article_group");
    group_open = true;
    group_mark = {batch_search.size(), batch_search_deletes.size(), batch_search_dropped.size(),
                  batch_search_bytes};
  }
  void ReleaseGroup() {
    if (!group_open) return;
    db.exec("RELEASE article_group");
    group_open = false;
    ForgetGroupArticles();
  }
  void ForgetGroupArticles() {
    group_articles.clear();
    group_text_bytes = 0;
  }
  // Ids learned from rows that a rollback or a deletion may remove.
  void ForgetLearnedIds() {
    person_ids.clear();
    document_ids.clear();
  }
  // Writes an article with its search rows into the batch's, inside the
  // caller's transaction or savepoint.
  StoreOutcome WriteArticle(const StoredArticle& article) {
    ClearArticleSearch();
    const StoreOutcome outcome = Write(article);
    EndArticleSearch();
    return outcome;
  }
  // Undoes the open group in the database and in what the store remembers;
  // returns its articles, or throws when the transaction itself is gone.
  std::vector<StoredArticle> RollBackGroup() {
    std::vector<StoredArticle> articles = std::move(group_articles);
    ForgetGroupArticles();
    ClearArticleSearch();
    ForgetLearnedIds();
    if (!group_open) return articles;
    group_open = false;
    batch_search.resize(group_mark.rows);
    batch_search_deletes.resize(group_mark.deletes);
    batch_search_dropped.resize(group_mark.dropped);
    batch_search_bytes = group_mark.bytes;
    db.exec("ROLLBACK TO article_group");
    db.exec("RELEASE article_group");
    return articles;
  }
  // Writes one article of a batch under a savepoint of its own.
  StoreOutcome WriteAlone(const StoredArticle& article) {
    db.exec("SAVEPOINT article");
    try {
      const StoreOutcome outcome = WriteArticle(article);
      db.exec("RELEASE article");
      return outcome;
    } catch (const SQLite::Exception&) {
      ClearArticleSearch();
      ForgetLearnedIds();
      try {
        db.exec("ROLLBACK TO article");
        db.exec("RELEASE article");
      } catch (const SQLite::Exception&) {
        // The enclosing transaction is gone too; CommitBatch reports it.
      }
      throw;
    }
  }
  std::unique_ptr<SQLite::Statement> find_article, delete_article, insert_article,
      max_fact_id, upsert_person, find_person, upsert_document, find_document, fill_document,
      insert_search, delete_search, stored_text, stored_facts,
      article_people, delete_orphan_person;
  std::unique_ptr<BulkInsert> bulk_facts, bulk_positions, bulk_mentions;
  // One statement per table holding rows of an article, children first.
  std::vector<std::unique_ptr<SQLite::Statement>> delete_article_rows;

  void Prepare() {
    auto prep = [&](const char* sql) { return std::make_unique<SQLite::Statement>(db, sql); };
    find_article = prep("SELECT id, content_hash FROM articles WHERE source = ?");
    delete_article = prep("DELETE FROM articles WHERE id = ?");
    delete_article_rows.clear();
    // Rows of a fact first, found through the article's facts (these tables
    // have no index on article_id, see migration 6 -> 7), then the facts.
    for (const char* table : {"positions", "document_mentions"}) {
      delete_article_rows.push_back(prep(("DELETE FROM " + std::string(table) +
                                          " WHERE fact_id IN "
                                          "(SELECT id FROM facts WHERE article_id = ?)").c_str()));
    }
    for (const char* table : {"finding_articles", "facts"}) {
      delete_article_rows.push_back(
          prep(("DELETE FROM " + std::string(table) + " WHERE article_id = ?").c_str()));
    }
    insert_article = prep(
        "INSERT INTO articles (source, content_hash, title, published, raw_bytes, text, "
        "sentence_spans) VALUES (?, ?, ?, ?, ?, ?, ?)");
    // article_id first, the same in every row of an article's flush.
    auto bulk = [&](const char* insert, int columns) {
      return std::make_unique<BulkInsert>(db, insert, columns, /*shared_first=*/true);
    };
    bulk_facts = bulk(
        "INSERT OR FAIL INTO facts (article_id, kind, text, start, end, raw_start, raw_end, sentence, "
        "rule, value)", 10);
    max_fact_id = prep("SELECT max(id) FROM facts");
    upsert_person = prep(
        "INSERT INTO people (name, org, name_folded) VALUES (?, ?, ?) "
        "ON CONFLICT (name, org) DO NOTHING");
    find_person = prep("SELECT id FROM people WHERE name = ? AND org = ?");
    bulk_positions = bulk(
        "INSERT OR FAIL INTO positions (article_id, person_id, fact_id, title, org, former, date)", 7);
    upsert_document = prep(
        "INSERT INTO documents (code, type, number, issuer_code) VALUES (?, ?, ?, ?) "
        "ON CONFLICT (code) DO NOTHING");
    find_document = prep("SELECT id FROM documents WHERE code = ?");
    // The first article to state an issue date, issuer, term or subject fills it.
    fill_document = prep(
        "UPDATE documents SET issued = coalesce(issued, ?), issuer = coalesce(issuer, ?), "
        "term = coalesce(term, ?), subject = coalesce(subject, ?) WHERE id = ?");
    bulk_mentions = bulk(
        "INSERT OR FAIL INTO document_mentions (article_id, fact_id, document_id, back_reference)", 4);
    if (has_search_index) {
      insert_search = prep("INSERT INTO search_index (rowid, folded) VALUES (?, ?)");
      delete_search = prep(
          "INSERT INTO search_index (search_index, rowid, folded) VALUES ('delete', ?, ?)");
    } else {
      insert_search.reset();
      delete_search.reset();
    }
    stored_text = prep("SELECT text, sentence_spans FROM articles WHERE id = ?");
    stored_facts = prep(
        "SELECT id, kind, text, value FROM facts WHERE article_id = ? ORDER BY id DESC");
    article_people = prep(
        "SELECT DISTINCT pos.person_id FROM facts f JOIN positions pos ON pos.fact_id = f.id "
        "WHERE f.article_id = ?");
    delete_orphan_person = prep(
        "DELETE FROM people WHERE id = ? AND NOT EXISTS "
        "(SELECT 1 FROM positions WHERE person_id = ?)");
  }

  // Binds text without copying it. SQLiteCpp's bind() copies every string
  // (SQLITE_TRANSIENT), and the writer binds each article's text, sentences
  // and facts once. The string must stay alive until the statement's next
  // Reset(), which clears the bindings: every caller binds fields of the
  // article being written, or kind names from Interned().
  static void BindView(SQLite::Statement& s, int index, const std::string& text) {
    s.bindNoCopy(index, text);
  }
  // Fact kind names as strings that live as long as the process, by kind
  // (the writer binds one per fact, and a search by name cost more than the
  // binding).
  static const std::string& Interned(FactKind kind) {
    constexpr size_t kKinds = 5;
    static const std::array<std::string, kKinds> names = [] {
      std::array<std::string, kKinds> all;
      for (size_t i = 0; i < kKinds; ++i) all[i] = FactKindName(static_cast<FactKind>(i));
      return all;
    }();
    const auto index = static_cast<size_t>(kind);
    if (index >= kKinds) throw SQLite::Exception("no fact kind " + std::to_string(index));
    return names[index];
  }

  // tryReset: after a failed step, sqlite3_reset returns that step's error
  // again; it was reported then, and must not fail the next article.
  void Reset(SQLite::Statement& s) {
    s.tryReset();
    s.clearBindings();
  }

  void DeleteArticle(int64_t article_id) {
    ForgetLearnedIds();  // the deletion may remove a person
    std::vector<int64_t> people;
    Reset(*article_people);
    article_people->bind(1, article_id);
    while (article_people->executeStep()) people.push_back(article_people->getColumn(0).getInt64());
    // Its search rows: still waiting in the batch (stored earlier in it), or
    // in the index. Rows of an article go into the batch all at once when it
    // is in (EndArticleSearch), and out of it all at once (FlushBatchSearch),
    // so an article has either kind, never both.
    const bool waiting = std::any_of(batch_search.begin(), batch_search.end(),
                                     [&](const SearchRow& r) { return r.article_id == article_id; });
    if (waiting) {
      article_search_dropped.push_back(article_id);
    } else if (has_search_index) {
      for (SearchRow& row : StoredSearchRows(article_id)) {
        article_search_deletes.push_back(std::move(row));
      }
    }
    // Foreign keys are not enforced on this connection (see Open()), so no
    // cascade: every row of the article goes here, each through an index
    // (the rows of its facts through facts_by_article and their fact_id).
    for (auto& statement : delete_article_rows) {
      Reset(*statement);
      statement->bind(1, article_id);
      statement->exec();
    }
    Reset(*delete_article);
    delete_article->bind(1, article_id);
    delete_article->exec();
    for (int64_t person : people) {
      Reset(*delete_orphan_person);
      delete_orphan_person->bind(1, person);
      delete_orphan_person->bind(2, person);
      delete_orphan_person->exec();
    }
  }

  // Writes one article inside the caller's transaction or savepoint.
  StoreOutcome Write(const StoredArticle& article) {
    // Rows queued by an article that failed half-way must not follow this one.
    for (BulkInsert* rows : {bulk_facts.get(), bulk_positions.get(), bulk_mentions.get()}) {
      rows->Clear();
    }
    StoreOutcome outcome = StoreOutcome::kStored;
    Reset(*find_article);
    find_article->bind(1, article.source);
    if (find_article->executeStep()) {
      const int64_t old_id = find_article->getColumn(0).getInt64();
      if (find_article->getColumn(1).getString() == article.content_hash) {
        Reset(*find_article);
        return StoreOutcome::kUnchanged;
      }
      Reset(*find_article);
      DeleteArticle(old_id);
      outcome = StoreOutcome::kReplaced;
    }
    Reset(*find_article);

    Reset(*insert_article);
    BindView(*insert_article, 1, article.source);
    BindView(*insert_article, 2, article.content_hash);
    if (article.title.empty()) {
      insert_article->bind(3);
    } else {
      BindView(*insert_article, 3, article.title);
    }
    if (article.published) {
      BindView(*insert_article, 4, *article.published);
    } else {
      insert_article->bind(4);
    }
    insert_article->bind(5, static_cast<int64_t>(article.raw_bytes));
    BindView(*insert_article, 6, article.text);
    BindView(*insert_article, 7, article.sentence_spans);
    insert_article->exec();
    const int64_t article_id = db.getLastInsertRowid();

    // Rows of the article's other tables go in several per statement (see
    // BulkInsert), in the order one statement per row wrote them. OR FAIL,
    // not the default ABORT: a statement of several rows that may abort gets
    // a statement journal, and with the search index in the transaction each
    // one also opens and releases an FTS5 savepoint. A refused row fails the
    // whole article anyway (its savepoint or transaction rolls back), so the
    // rows of the statement that went in before it need no undoing of their
    // own.
    for (BulkInsert* rows : {bulk_facts.get(), bulk_positions.get(), bulk_mentions.get()}) {
      rows->Shared(article_id);
    }
    if (article.facts.empty()) {
      if (has_search_index) AppendSearchRows(article, article_id, 0, &article_search);
      return outcome;
    }
    BulkInsert& facts = *bulk_facts;
    for (const StoredArticle::StoredFact& stored : article.facts) {
      const Fact& fact = stored.fact;
      facts.Text(Interned(fact.kind));
      facts.Text(stored.text);
      facts.Int(fact.begin);
      facts.Int(fact.end);
      facts.Int(stored.raw_begin);
      facts.Int(stored.raw_end);
      facts.Int(fact.sentence);
      facts.Text(fact.rule);
      facts.TerminatedText(article.ValueJson(stored));
    }
    facts.Flush();
    // SQLite gave the facts consecutive ids, one past the largest, unless that
    // was the largest rowid possible (then it picks them at random): the
    // largest id must now be the last fact's.
    const int64_t last_fact_id = facts.LastRowid();
    Reset(*max_fact_id);
    max_fact_id->executeStep();
    const int64_t max_id = max_fact_id->getColumn(0).getInt64();
    Reset(*max_fact_id);
    if (max_id != last_fact_id) {
      throw SQLite::Exception("facts were not given consecutive ids (largest id " +
                              std::to_string(max_id) + ")");
    }
    const int64_t first_fact_id = last_fact_id - static_cast<int64_t>(article.facts.size()) + 1;
    for (size_t i = 0; i < article.facts.size(); ++i) {
      StoreFactDetails(article, article.facts[i], first_fact_id + static_cast<int64_t>(i));
    }
    if (has_search_index) AppendSearchRows(article, article_id, first_fact_id, &article_search);
    for (BulkInsert* rows : {bulk_positions.get(), bulk_mentions.get()}) {
      rows->Flush();
    }
    return outcome;
  }

  // Resolves the fact's person or document and queues its rows in the other
  // tables; the fact's own row is in. Quantities, dates and terms have no
  // rows but their fact's (views over facts.value since schema 9).
  void StoreFactDetails(const StoredArticle& article, const StoredArticle::StoredFact& stored,
                        int64_t fact_id) {
    const Fact& fact = stored.fact;
    const std::optional<std::string>& published = article.published;
    auto bind_optional = [](SQLite::Statement& s, int i, const std::optional<std::string>& v) {
      if (v) {
        BindView(s, i, *v);
      } else {
        s.bind(i);
      }
    };

    if (const auto* o = std::get_if<OfficialFact>(&fact.value)) {
      const std::string org = o->org.value_or("");
      auto cached = person_ids.find({o->name, org});
      int64_t person_id;
      if (cached != person_ids.end()) {
        person_id = cached->second;
      } else {
        Reset(*upsert_person);
        BindView(*upsert_person, 1, o->name);
        BindView(*upsert_person, 2, org);
        upsert_person->bind(3, FoldDiacritics(o->name));
        upsert_person->exec();
        Reset(*find_person);
        BindView(*find_person, 1, o->name);
        BindView(*find_person, 2, org);
        find_person->executeStep();
        person_id = find_person->getColumn(0).getInt64();
        // A statement left on a row keeps a read snapshot open past the commit,
        // and the next write would then fail with SQLITE_BUSY_SNAPSHOT.
        Reset(*find_person);
        person_ids.emplace(std::make_pair(o->name, org), person_id);
      }
      BulkInsert& positions = *bulk_positions;
      for (const std::string& title : o->titles) {
        positions.Int(person_id);
        positions.Int(fact_id);
        positions.Text(title);
        positions.OptionalText(o->org);
        positions.Int(o->former ? 1 : 0);
        positions.OptionalText(published);
      }
    } else if (const auto* d = std::get_if<DocumentFact>(&fact.value)) {
      auto cached = document_ids.find(d->id);
      if (cached == document_ids.end()) {
        Reset(*upsert_document);
        BindView(*upsert_document, 1, d->id);
        BindView(*upsert_document, 2, d->type);
        BindView(*upsert_document, 3, d->number);
        BindView(*upsert_document, 4, d->issuer_code);
        upsert_document->exec();
        Reset(*find_document);
        BindView(*find_document, 1, d->id);
        find_document->executeStep();
        const int64_t id = find_document->getColumn(0).getInt64();
        Reset(*find_document);
        // A document an earlier run stored may have any fields set: none is
        // known to be.
        cached = document_ids.emplace(d->id, CachedDocument{id, 0}).first;
      }
      const int64_t document_id = cached->second.id;
      // coalesce() keeps a set field: the update changes the row only if it
      // brings a value for a field not known to be set.
      const uint8_t brought = (d->issued ? kIssued : 0) | (d->issuer ? kIssuer : 0) |
                              (d->term ? kTerm : 0) | (d->subject ? kSubject : 0);
      if ((brought & ~cached->second.filled) != 0) {
        Reset(*fill_document);
        bind_optional(*fill_document, 1, d->issued);
        bind_optional(*fill_document, 2, d->issuer);
        bind_optional(*fill_document, 3, d->term);
        bind_optional(*fill_document, 4, d->subject);
        fill_document->bind(5, document_id);
        fill_document->exec();
        cached->second.filled |= brought;
      }
      BulkInsert& mentions = *bulk_mentions;
      mentions.Int(fact_id);
      mentions.Int(document_id);
      mentions.Int(d->back_reference ? 1 : 0);
    }
  }
};

std::string SentenceSpansJson(const std::vector<StoredArticle::Sentence>& sentences) {
  // Written by hand into a buffer sized for the longest possible text, not
  // through nlohmann::json or appends: the workers write one per article,
  // and appending piece by piece cost 800 instructions a sentence.
  constexpr size_t kMaxSpanBytes = 4 * 11 + sizeof("[\"boilerplate\"],");
  std::string json(2 + sentences.size() * kMaxSpanBytes, '\0');
  char* out = json.data();
  *out++ = '[';
  for (size_t i = 0; i < sentences.size(); ++i) {
    const StoredArticle::Sentence& s = sentences[i];
    if (i > 0) *out++ = ',';
    *out++ = '[';
    for (const uint32_t value : {s.begin, s.end, s.raw_begin, s.raw_end}) {
      out = std::to_chars(out, out + 10, value).ptr;
      *out++ = ',';
    }
    *out++ = '"';
    const std::string_view kind = SegmentKindName(s.kind);  // ASCII words: nothing to escape
    out = std::copy(kind.begin(), kind.end(), out);
    *out++ = '"';
    *out++ = ']';
  }
  *out++ = ']';
  json.resize(static_cast<size_t>(out - json.data()));
  return json;
}

bool ParseSentenceSpans(std::string_view json, std::vector<StoredArticle::Sentence>* out,
                        std::string* error) {
  out->clear();
  // simdjson, not nlohmann: building nlohmann's tree of every span was most
  // of the cost of reading an article back (`merge`, `vnfacts index`). A
  // parser per call: the function is used from any thread.
  simdjson::dom::parser parser;
  simdjson::dom::array spans;
  if (parser.parse(json.data(), json.size()).get_array().get(spans) != simdjson::SUCCESS) {
    *error = "sentence_spans is not a JSON array";
    return false;
  }
  size_t i = 0;
  for (const simdjson::dom::element element : spans) {
    // Only made for a message.
    const auto where = [i] { return "sentence " + std::to_string(i); };
    ++i;
    simdjson::dom::array span;
    if (element.get_array().get(span) != simdjson::SUCCESS || span.size() != 5) {
      *error = where() + ": not an array of 5 fields";
      return false;
    }
    uint32_t offsets[4];
    std::string_view kind_name;
    size_t k = 0;
    for (const simdjson::dom::element field : span) {
      if (k == 4) {
        if (field.get_string().get(kind_name) != simdjson::SUCCESS) {
          *error = where() + ": kind is not a string";
          return false;
        }
        break;
      }
      // A JSON integer of 0 to 2^32 - 1 (not 1.0, not "1"); simdjson types
      // a non-negative integer as int64 unless it needs uint64.
      uint64_t value = 0;
      int64_t signed_value = 0;
      bool integer = false;
      if (field.type() == simdjson::dom::element_type::UINT64) {
        integer = field.get_uint64().get(value) == simdjson::SUCCESS;
      } else if (field.type() == simdjson::dom::element_type::INT64 &&
                 field.get_int64().get(signed_value) == simdjson::SUCCESS && signed_value >= 0) {
        value = static_cast<uint64_t>(signed_value);
        integer = true;
      }
      if (!integer || value > std::numeric_limits<uint32_t>::max()) {
        *error = where() + ": offset " + std::to_string(k) + " is not a 32-bit unsigned integer";
        return false;
      }
      offsets[k++] = static_cast<uint32_t>(value);
    }
    const std::optional<SegmentKind> kind = ParseSegmentKind(kind_name);
    if (!kind) {
      *error = where() + ": unknown kind '" + std::string(kind_name) + "'";
      return false;
    }
    StoredArticle::Sentence& s = out->emplace_back();
    s.begin = offsets[0];
    s.end = offsets[1];
    s.raw_begin = offsets[2];
    s.raw_end = offsets[3];
    s.kind = *kind;
  }
  return true;
}

std::string ContentHash(std::string_view bytes) {
  const XXH128_hash_t h = XXH3_128bits(bytes.data(), bytes.size());
  char buf[33];
  std::snprintf(buf, sizeof buf, "%016llx%016llx", static_cast<unsigned long long>(h.high64),
                static_cast<unsigned long long>(h.low64));
  return buf;
}

FactStore::FactStore(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FactStore::~FactStore() = default;
int FactStore::schema_version() const { return impl_->version; }
bool FactStore::has_search_index() const { return impl_->has_search_index; }

Expected<bool> FactStore::BuildSearchIndex() {
  if (impl_->has_search_index) return false;
  if (impl_->in_batch) return Status::Error("cannot build the search index inside a batch");
  try {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    // The table as migration 7 -> 8 makes it, with a new database's leaf
    // size (see Migrate) when the pages are that large.
    impl_->db.exec(R"sql(
CREATE VIRTUAL TABLE search_index USING fts5(
  folded, tokenize = 'unicode61', content = '', columnsize = 0);
INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16);
INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 67108864);
)sql");
    if (impl_->db.execAndGet("PRAGMA page_size").getInt() == kPageSize) {
      SetSearchLeafSize(impl_->db);
    }
    SetSearchMergePolicy(impl_->db);
    impl_->has_search_index = true;
    impl_->RebuildSearchIndex();
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    impl_->has_search_index = false;
    try {
      impl_->Prepare();
    } catch (const SQLite::Exception&) {
      // The statements stay as they were; the error below says what failed.
    }
    return Status::Error(std::string("building the search index: database error: ") + e.what());
  }
  impl_->Prepare();  // with the statements that write search rows
  return true;
}

Status FactStore::MergeSearchIndex() {
  if (!impl_->has_search_index) return Status::Error("the database has no search index");
  if (impl_->in_batch) return Status::Error("cannot merge the search index inside a batch");
  try {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    impl_->db.exec("INSERT INTO search_index (search_index) VALUES ('optimize')");
    transaction.commit();
  } catch (const SQLite::Exception& e) {
    return Status::Error(std::string("merging the search index: database error: ") + e.what());
  }
  return Status::Ok();
}

static Status Migrate(FactStore::Impl& impl, const std::string& path, bool create_search_index) {
  int version = impl.db.execAndGet("PRAGMA user_version").getInt();
  if (version > kSchemaVersion) {
    return Status::Error(path + ": database schema version " + std::to_string(version) +
                         " is newer than this vnfacts supports (" +
                         std::to_string(kSchemaVersion) + "); use a newer vnfacts");
  }
  if (version == 0) {
    // A version-0 file that already has tables was not written by vnfacts.
    const int tables = impl.db.execAndGet(
        "SELECT count(*) FROM sqlite_master WHERE type = 'table'").getInt();
    if (tables > 0) return Status::Error(path + ": not a vnfacts database (unknown tables, no schema version)");
  }
  if (version == kSchemaVersion) {
    impl.version = version;
    return Status::Ok();
  }
  const bool created = version == 0;
  // All steps in one transaction: the search index is made again (from
  // version 8 on) by the current code, which reads the current schema, so it
  // can only run after the last step; an upgrade that stops half-way leaves
  // the database as it was.
  SQLite::Transaction transaction(impl.db, SQLite::TransactionBehavior::IMMEDIATE);
  bool rebuild_search_index = false;
  while (version < kSchemaVersion) {
    impl.db.exec(kMigrations[version]);
    ++version;
    if (version == kContentlessSearchVersion) rebuild_search_index = true;
  }
  if (rebuild_search_index) impl.RebuildSearchIndex();
  if (created) {
    // The search index's leaves as large as a new database's pages (see
    // FactStore::Open): a quarter as many segment pages to write at each
    // commit (callgrind, 20 MB archive: 389 -> 248 M instructions in
    // sqlite3VtabSync). Not for an upgraded database: with 4 KiB pages a
    // 16 KB leaf would spill into overflow pages.
    SetSearchLeafSize(impl.db);
    if (!create_search_index) impl.db.exec("DROP TABLE search_index");
  }
  impl.db.exec("PRAGMA user_version = " + std::to_string(version));
  transaction.commit();
  impl.version = version;
  return Status::Ok();
}

// True when `path` (or, for a file not yet there, its folder) cannot be
// written: a read-only file system refuses even root.
static bool NotWritable(const std::string& path) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) return ::access(path.c_str(), W_OK) != 0;
  std::filesystem::path dir = std::filesystem::path(path).parent_path();
  if (dir.empty()) dir = ".";
  return ::access(dir.c_str(), W_OK) != 0;
}

// A URI for sqlite3_open_v2 that opens a database on read-only media without
// the -wal/-shm files WAL mode would need to create.
static std::string ImmutableUri(const std::string& path) {
  std::string uri = "file:";
  for (unsigned char c : std::filesystem::absolute(path).string()) {
    if (std::isalnum(c) || c == '/' || c == '.' || c == '-' || c == '_' || c == '~' || c >= 0x80) {
      uri += static_cast<char>(c);
    } else {
      char buf[4];
      std::snprintf(buf, sizeof buf, "%%%02X", c);
      uri += buf;
    }
  }
  return uri + "?immutable=1";
}

Expected<std::unique_ptr<FactStore>> FactStore::Open(const std::string& path,
                                                     const FactStoreOptions& options) {
  if (NotWritable(path)) {
    return Status::Error(path + ": database is read-only (" + std::strerror(errno) +
                         "); `search`, `show` and `export` can still read it");
  }
  try {
    auto impl = std::make_unique<Impl>(path, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
    // 16 KiB pages for a new database (an existing one keeps its size: WAL
    // mode cannot change it). SQLite writes the WAL and checkpoints one page
    // per system call, and with 4 KiB pages those calls were a tenth of a
    // run's CPU time at 1 GB; 16 KiB cut system time by a third (100 MB
    // archive, two workers: 1.9-2.3 s -> 1.2-1.4 s) at the same instruction
    // count. 64 KiB cut a little more system time but cost more user time.
    impl->db.exec("PRAGMA page_size = " + std::to_string(kPageSize));
    // Reading the schema forces SQLite to look at the file header, so a file
    // that is not a database fails here with a clear message.
    impl->db.exec("PRAGMA journal_mode = WAL");
    impl->db.exec("PRAGMA synchronous = NORMAL");
    // Not enforced: checking each inserted row's parents costs one B-tree
    // lookup per foreign key, ~4% of a whole run's instructions, and this
    // writer is the only producer of rows. It deletes an article's rows
    // itself (DeleteArticle); the tests hold `PRAGMA foreign_key_check`
    // clean. The keys stay declared, so a connection that turns enforcement
    // on still gets the cascades.
    impl->db.exec("PRAGMA foreign_keys = OFF");
    impl->db.exec("PRAGMA cache_size = -65536");  // 64 MiB: the FTS index pages stay cached
    impl->db.exec("PRAGMA temp_store = MEMORY");
    if (sqlite3_db_readonly(impl->db.getHandle(), "main") == 1) {
      return Status::Error(path + ": database is read-only");
    }
    // Splitting the search rows was a sixth of the writer's instructions in
    // SQLite's unicode61 tokenizer, whose general per-byte loop (UTF-8
    // decoding, buffer checks, a copy of every token) nearly every row, folded
    // ASCII, does not need. This connection gets a tokenizer under the same
    // name that splits ASCII rows itself into exactly unicode61's tokens and
    // hands everything else to unicode61 (pipeline/fts5_ascii_tokenizer.h), so
    // the index is the same byte for byte and the table still declares the
    // built-in tokenizer for every other reader. Registered before the
    // migrations and the first write, since FTS5 binds a table to its
    // tokenizer on the connection's first use of it. If it fails the built-in
    // tokenizer stays, which writes the same index.
    if (options.ascii_tokenizer) (void)RegisterAsciiUnicode61(impl->db.getHandle());
    Status status = Migrate(*impl, path, options.search_index);
    if (!status.ok()) return status;
    impl->ReadSearchIndexState();
    // Every index written through this connection merges as
    // SetSearchMergePolicy() sets: a new database's, and one made before the
    // policy, which takes it on here (the settings only decide how later
    // segments merge). BuildSearchIndex() sets it for an index made later.
    if (impl->has_search_index && !HasSearchMergePolicy(impl->db)) {
      SetSearchMergePolicy(impl->db);
    }
    impl->Prepare();
    if (options.background_checkpoints) {
      auto checkpointer = WalCheckpointer::Start(impl->db.getHandle(), kCheckpointLogPages);
      if (!checkpointer.ok()) return checkpointer.status();
      impl->checkpointer = std::move(checkpointer).value();
    }
    return std::unique_ptr<FactStore>(new FactStore(std::move(impl)));
  } catch (const SQLite::Exception& e) {
    return Status::Error(path + ": cannot open database: " + e.what());
  }
}

Expected<std::unique_ptr<FactStore>> FactStore::OpenReadOnly(const std::string& path) {
  try {
    // On read-only media a WAL database opens only as immutable.
    auto impl = NotWritable(path)
                    ? std::make_unique<Impl>(ImmutableUri(path), SQLite::OPEN_READONLY | SQLite::OPEN_URI)
                    : std::make_unique<Impl>(path, SQLite::OPEN_READONLY);
    const int version = impl->db.execAndGet("PRAGMA user_version").getInt();
    if (version >= 1 && version < kSchemaVersion && !NotWritable(path)) {
      // Written by an older vnfacts: upgrade it in place, as `run` would,
      // then read.
      impl.reset();
      auto upgraded = Open(path);
      if (!upgraded.ok()) return upgraded.status();
      upgraded->reset();
      return OpenReadOnly(path);
    }
    // A version-10 database has the layout of version 11 (see migration
    // 10 -> 11): a read-only one is read as it is.
    const bool readable_as_is = version == kSchemaVersion || version == kSameLayoutVersion;
    if (!readable_as_is) {
      const std::string what = path + ": database schema version " + std::to_string(version);
      const std::string ours = " this vnfacts (" + std::to_string(kSchemaVersion) + ")";
      if (version > kSchemaVersion) return Status::Error(what + " is newer than" + ours);
      if (version == 0) return Status::Error(path + ": not a vnfacts database");
      return Status::Error(what + " is older than" + ours +
                           " and the file is read-only; a writable copy is upgraded on opening");
    }
    impl->version = version;
    impl->ReadSearchIndexState();
    impl->Prepare();  // writes through a read-only connection fail cleanly
    return std::unique_ptr<FactStore>(new FactStore(std::move(impl)));
  } catch (const SQLite::Exception& e) {
    return Status::Error(path + ": cannot open database: " + e.what());
  }
}

Status FactStore::ReplaceFindings(const std::vector<StoredFinding>& findings) {
  try {
    SQLite::Transaction transaction(impl_->db, SQLite::TransactionBehavior::IMMEDIATE);
    impl_->db.exec("DELETE FROM finding_articles");
    impl_->db.exec("DELETE FROM findings");
    SQLite::Statement insert(impl_->db,
                             "INSERT INTO findings (kind, stated, computed, unit, detail) "
                             "VALUES (?, ?, ?, ?, ?)");
    SQLite::Statement link(impl_->db,
                           "INSERT OR IGNORE INTO finding_articles (finding_id, article_id) "
                           "SELECT ?, id FROM articles WHERE source = ?");
    for (const StoredFinding& f : findings) {
      insert.reset();
      insert.bind(1, f.kind);
      insert.bind(2, f.stated);
      if (f.computed) {
        insert.bind(3, *f.computed);
      } else {
        insert.bind(3);
      }
      insert.bind(4, f.unit);
      insert.bind(5, f.detail_json);
      insert.exec();
      const int64_t id = impl_->db.getLastInsertRowid();
      for (const std::string& source : f.article_sources) {
        link.reset();
        link.bind(1, id);
        link.bind(2, source);
        link.exec();
      }
    }
    transaction.commit();
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Error(std::string("storing findings: database error: ") + e.what());
  }
}

Expected<std::optional<std::string>> FactStore::StoredHash(const std::string& source) {
  try {
    impl_->Reset(*impl_->find_article);
    impl_->find_article->bind(1, source);
    if (!impl_->find_article->executeStep()) return std::optional<std::string>();
    std::optional<std::string> hash = impl_->find_article->getColumn(1).getString();
    impl_->Reset(*impl_->find_article);  // release the read snapshot
    return hash;
  } catch (const SQLite::Exception& e) {
    return Status::Error(source + ": database error: " + e.what());
  }
}

namespace {

// FromDocument() for a document given as `const Document&` (copied from) or
// `Document&&` (its strings and facts taken: copying a fact's strings and
// freeing the document's were a tenth of the worker's cost of this step).
template <typename Doc>
StoredArticle BuildStoredArticle(Doc&& doc, std::string content_hash, bool search_text) {
  constexpr bool kTake = !std::is_const_v<std::remove_reference_t<Doc>>;
  StoredArticle a;
  if constexpr (kTake) {
    a.source = std::move(doc.source);
    a.title = std::move(doc.title);
  } else {
    a.source = doc.source;
    a.title = doc.title;
  }
  a.content_hash = std::move(content_hash);
  if (doc.reference_date) {
    char buf[16];
    std::snprintf(buf, sizeof buf, "%04d-%02d-%02d", doc.reference_date->year,
                  doc.reference_date->month, doc.reference_date->day);
    a.published = buf;
  }
  a.raw_bytes = doc.raw.size();
  // Built in place, not as a temporary moved into the vector and then
  // destroyed: a fact holds several strings, and the move and destruction
  // were a tenth of this function. Fields are assigned one by one, since
  // clang 14 (the sanitizer build) has no parenthesized aggregate
  // initialization for emplace_back.
  a.sentences.reserve(doc.sentences.size());
  for (const vnfacts::Sentence& s : doc.sentences) {
    StoredArticle::Sentence& stored = a.sentences.emplace_back();
    stored.begin = s.begin;
    stored.end = s.end;
    stored.raw_begin = doc.offsets.ToRaw(s.begin);
    stored.raw_end = doc.offsets.ToRawEnd(s.end);
    stored.kind = s.kind;
  }
  a.facts.reserve(doc.facts.size());
  for (auto& f : doc.facts) {
    StoredArticle::StoredFact& stored = a.facts.emplace_back();
    if constexpr (kTake) {
      stored.fact = std::move(f);
    } else {
      stored.fact = f;
    }
    stored.text.assign(doc.Slice(stored.fact.begin, stored.fact.end));
    stored.raw_begin = doc.offsets.ToRaw(stored.fact.begin);
    stored.raw_end = doc.offsets.ToRawEnd(stored.fact.end);
  }
  // The text last: the facts' texts above are slices of it.
  if constexpr (kTake) {
    a.text = std::move(doc.text);
  } else {
    a.text = doc.text;
  }
  a.PrepareForIndex(search_text);
  return a;
}

}  // namespace

StoredArticle StoredArticle::FromDocument(const Document& doc, std::string content_hash,
                                          bool search_text) {
  return BuildStoredArticle(doc, std::move(content_hash), search_text);
}

StoredArticle StoredArticle::FromDocument(Document&& doc, std::string content_hash,
                                          bool search_text) {
  return BuildStoredArticle(std::move(doc), std::move(content_hash), search_text);
}

void StoredArticle::PrepareForIndex(bool search_text) {
  if (!prepared) {
    sentence_spans = SentenceSpansJson(sentences);
    fact_values.clear();
    for (StoredFact& f : facts) {
      f.value_begin = fact_values.size();
      AppendFactValueJson(f.fact, &fact_values);
      fact_values += '\0';
    }
    prepared = true;
  }
  if (search_text && !has_search_text) {
    std::string folded;
    folded.reserve(text.size() + sentences.size());
    for (Sentence& s : sentences) {
      s.folded_begin = folded.size();
      s.folded_size = AppendSentenceSearchText(text, s.begin, s.end, &folded);
      folded += '\0';
    }
    for (StoredFact& f : facts) {
      // Facts found through their sentence have no search row to fill.
      f.folded_begin = folded.size();
      f.folded_size = 0;
      if (!FoundThroughSentence(FactKindName(f.fact.kind))) {
        f.folded_size = AppendSearchableFactText(f.text, f.fact, &folded);
        folded += '\0';
      }
    }
    this->search_text = std::make_shared<const std::string>(std::move(folded));
    has_search_text = true;
  }
}

Expected<StoreOutcome> FactStore::Store(StoredArticle&& article) {
  Impl& s = *impl_;
  if (!article.prepared || (s.has_search_index && !article.has_search_text)) {
    article.PrepareForIndex(s.has_search_index);
  }
  if (!s.in_batch) {
    // A transaction of its own. IMMEDIATE takes the write lock first, so a
    // reader that wrote in between (check storing findings) makes this wait
    // (busy timeout), not fail.
    try {
      SQLite::Transaction transaction(s.db, SQLite::TransactionBehavior::IMMEDIATE);
      const StoreOutcome outcome = s.WriteArticle(article);
      s.FlushBatchSearch();
      transaction.commit();
      return outcome;
    } catch (const SQLite::Exception& e) {
      s.ClearBatchSearch();
      s.ForgetLearnedIds();  // learned from the rolled-back article
      return Status::Error(article.source + ": database error: " + e.what());
    }
  }
  StoreOutcome outcome = StoreOutcome::kStored;
  try {
    if (!s.group_open) s.OpenGroup();
    outcome = s.WriteArticle(article);
  } catch (const SQLite::Exception& e) {
    const std::string error = article.source + ": database error: " + e.what();
    std::vector<StoredArticle> earlier;
    try {
      earlier = s.RollBackGroup();
    } catch (const SQLite::Exception&) {
      // The enclosing transaction is gone too; CommitBatch reports it.
      return Status::Error(error);
    }
    for (const StoredArticle& again : earlier) {
      try {
        s.WriteAlone(again);
      } catch (const SQLite::Exception& e2) {
        // It was written before, so the database fails, not the article;
        // the batch must not commit without it.
        s.batch_error = again.source + ": written again after " + article.source +
                        " failed: " + e2.what();
        break;
      }
    }
    return Status::Error(error);
  }
  // The article is in. What fails from here on is the database's, not the
  // article's: the batch must not commit.
  s.group_text_bytes += article.text.size();
  s.group_articles.push_back(std::move(article));
  const bool flush = s.batch_search_bytes >= s.search_group_bytes && s.batch_error.empty();
  try {
    if (s.group_articles.size() >= s.group_max_articles ||
        s.group_text_bytes >= Impl::kGroupTextBytes || flush) {
      s.ReleaseGroup();
    }
  } catch (const SQLite::Exception& e) {
    s.batch_error = std::string("database error: ") + e.what();
    return outcome;
  }
  if (flush) {
    try {
      s.FlushBatchSearch();
    } catch (const SQLite::Exception& e) {
      s.batch_error = std::string("search index: ") + e.what();
      s.ClearBatchSearch();
    }
  }
  return outcome;
}

Status FactStore::BeginBatch() {
  Impl& s = *impl_;
  if (s.in_batch) return Status::Error("database error: a batch is already open");
  if (s.checkpointer) s.checkpointer->BoundLog(s.max_log_pages);
  try {
    s.db.exec("BEGIN IMMEDIATE");
    s.in_batch = true;
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Error(std::string("database error: cannot begin a batch: ") + e.what());
  }
}

Status FactStore::CommitBatch() {
  Impl& s = *impl_;
  if (!s.in_batch) return Status::Ok();
  try {
    if (!s.batch_error.empty()) throw SQLite::Exception(s.batch_error);
    s.ReleaseGroup();
    s.FlushBatchSearch();
    s.in_batch = false;
    s.db.exec("COMMIT");
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    s.in_batch = false;
    s.batch_error.clear();
    s.group_open = false;
    s.ForgetGroupArticles();
    s.ClearBatchSearch();
    s.ForgetLearnedIds();
    if (!sqlite3_get_autocommit(s.db.getHandle())) {
      try {
        s.db.exec("ROLLBACK");
      } catch (const SQLite::Exception&) {
      }
    }
    return Status::Error(std::string("database error: cannot commit a batch: ") + e.what());
  }
}

bool FactStore::in_batch() const { return impl_->in_batch; }

void FactStore::set_search_group_bytes(size_t bytes) { impl_->search_group_bytes = bytes; }

void FactStore::set_group_max_articles(size_t articles) {
  impl_->group_max_articles = std::max<size_t>(articles, 1);
}

void FactStore::set_max_log_pages(int pages) { impl_->max_log_pages = pages; }

std::string FactStore::checkpoint_error() const {
  return impl_->checkpointer ? impl_->checkpointer->last_error() : std::string();
}

struct FactStore::ArticleCursor::Impl {
  explicit Impl(SQLite::Database& db)
      : articles(db, "SELECT id, source, content_hash, title, published, raw_bytes, text, "
                     "sentence_spans FROM articles ORDER BY source"),
        facts(db, "SELECT kind, text, start, end, raw_start, raw_end, sentence, rule, value "
                  "FROM facts WHERE article_id = ? ORDER BY id") {}
  SQLite::Statement articles, facts;
  FactValueReader fact_values;
};

FactStore::ArticleCursor::ArticleCursor(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
FactStore::ArticleCursor::~ArticleCursor() = default;

Expected<std::unique_ptr<FactStore::ArticleCursor>> FactStore::Articles() {
  try {
    return std::make_unique<ArticleCursor>(std::make_unique<ArticleCursor::Impl>(impl_->db));
  } catch (const SQLite::Exception& e) {
    return Status::Error(std::string("database error: ") + e.what());
  }
}

bool FactStore::ArticleCursor::Next(StoredArticle* out) {
  if (!status_.ok()) return false;
  Impl& c = *impl_;
  try {
    if (!c.articles.executeStep()) return false;
    StoredArticle a;
    const int64_t id = c.articles.getColumn(0).getInt64();
    a.source = c.articles.getColumn(1).getString();
    a.content_hash = c.articles.getColumn(2).getString();
    a.title = c.articles.getColumn(3).getString();
    if (!c.articles.getColumn(4).isNull()) a.published = c.articles.getColumn(4).getString();
    a.raw_bytes = static_cast<uint64_t>(c.articles.getColumn(5).getInt64());
    a.text = c.articles.getColumn(6).getString();
    std::string spans_error;
    if (!ParseSentenceSpans(c.articles.getColumn(7).getText(""), &a.sentences, &spans_error)) {
      status_ = Status::Error(a.source + ": stored sentences cannot be read back: " + spans_error);
      return false;
    }
    c.facts.reset();
    c.facts.bind(1, id);
    while (c.facts.executeStep()) {
      StoredArticle::StoredFact f;
      std::string error;
      if (!ReadStoredFactValue(c.fact_values, c.facts.getColumn(0).getString(),
                               c.facts.getColumn(8).getString(), &f.fact, &error)) {
        status_ = Status::Error(a.source + ": stored fact cannot be read back: " + error);
        return false;
      }
      f.text = c.facts.getColumn(1).getString();
      f.fact.begin = static_cast<uint32_t>(c.facts.getColumn(2).getInt64());
      f.fact.end = static_cast<uint32_t>(c.facts.getColumn(3).getInt64());
      f.raw_begin = static_cast<uint32_t>(c.facts.getColumn(4).getInt64());
      f.raw_end = static_cast<uint32_t>(c.facts.getColumn(5).getInt64());
      f.fact.sentence = static_cast<uint32_t>(c.facts.getColumn(6).getInt64());
      f.fact.rule = c.facts.getColumn(7).getString();
      a.facts.push_back(std::move(f));
    }
    *out = std::move(a);
    return true;
  } catch (const SQLite::Exception& e) {
    status_ = Status::Error(std::string("database error: ") + e.what());
    return false;
  }
}

namespace {

// The text with every word whose folded form matches a term in [brackets].
std::string Highlight(std::string_view text, const std::vector<SearchTerm>& terms) {
  std::string out;
  size_t pos = 0;
  while (pos < text.size()) {
    size_t start = pos;
    const int32_t c = NextCodePoint(text, &pos);
    const bool word_char = c >= 0 && (IsLetter(static_cast<char32_t>(c)) || IsDigit(static_cast<char32_t>(c)));
    if (!word_char) {
      char ch = text[start];
      out.append(text.substr(start, pos - start));
      if (ch == '\n') out.back() = ' ';
      continue;
    }
    size_t end = pos;
    while (end < text.size()) {
      size_t next = end;
      const int32_t d = NextCodePoint(text, &next);
      if (d < 0 || !(IsLetter(static_cast<char32_t>(d)) || IsDigit(static_cast<char32_t>(d)) ||
                     (d >= 0x300 && d < 0x370))) {
        break;
      }
      end = next;
    }
    const std::string_view word = text.substr(start, end - start);
    const std::string folded = FoldDiacritics(word);
    bool match = false;
    for (const SearchTerm& t : terms) {
      if (folded == t.folded || (t.prefix && folded.rfind(t.folded, 0) == 0)) match = true;
    }
    if (match) {
      out += '[';
      out.append(word);
      out += ']';
    } else {
      out.append(word);
    }
    pos = end;
  }
  while (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The words of folded text as FTS5's unicode61 tokenizer splits it: runs of
// letters and digits (folded text is ASCII but for letters it has no rule for,
// which count as word characters).
std::vector<std::string_view> FoldedWords(std::string_view folded) {
  std::vector<std::string_view> words;
  size_t begin = 0;
  auto is_word_byte = [](unsigned char c) {
    return c >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
  };
  for (size_t i = 0; i <= folded.size(); ++i) {
    if (i < folded.size() && is_word_byte(static_cast<unsigned char>(folded[i]))) continue;
    if (i > begin) words.push_back(folded.substr(begin, i - begin));
    begin = i + 1;
  }
  return words;
}

bool TermMatches(std::string_view word, const SearchTerm& term, bool prefix) {
  return prefix ? word.substr(0, term.folded.size()) == term.folded : word == term.folded;
}

// What the two MATCH expressions of Search() ask, for text that has no index
// row of its own: with `phrase`, the terms in a row (a prefix only on the
// last); otherwise every term somewhere.
bool WordsMatch(const std::vector<std::string_view>& words, const std::vector<SearchTerm>& terms,
                bool phrase) {
  if (phrase) {
    for (size_t start = 0; start + terms.size() <= words.size(); ++start) {
      bool all = true;
      for (size_t t = 0; t < terms.size() && all; ++t) {
        all = TermMatches(words[start + t], terms[t], t + 1 == terms.size() && terms[t].prefix);
      }
      if (all) return true;
    }
    return false;
  }
  for (const SearchTerm& term : terms) {
    bool found = false;
    for (std::string_view word : words) found = found || TermMatches(word, term, term.prefix);
    if (!found) return false;
  }
  return true;
}


}  // namespace

Expected<std::vector<FactStore::SearchHit>> FactStore::Search(const std::string& query,
                                                               const std::string& kind, int limit) {
  std::vector<SearchHit> hits;
  const std::vector<SearchTerm> terms = ParseSearchQuery(query);
  if (terms.empty()) {
    return Status::Error("search: the query has no words to look for: '" + query + "'");
  }
  if (!impl_->has_search_index) {
    return Status::Error(
        "search: the database has no search index (it was made with --no-search-index); "
        "`vnfacts index` builds it");
  }
  const bool through_sentence = FoundThroughSentence(kind);
  try {
    // A row id says what the row is (SentenceRowId, FactRowId): a sentence
    // (positive) of article rowid >> 24, or the fact minus rowid.
    const std::string sentence_mask = std::to_string((int64_t{1} << kSentenceBits) - 1);
    const std::string sentence_shift = std::to_string(kSentenceBits);
    std::string sql =
        "SELECT coalesce(f.kind, 'article'), a.id, "
        "CASE WHEN s.rowid < 0 THEN -s.rowid ELSE s.rowid & " + sentence_mask + " END, a.source, "
        "a.text FROM search_index s LEFT JOIN facts f ON s.rowid < 0 AND f.id = -s.rowid "
        "JOIN articles a ON a.id = CASE WHEN s.rowid < 0 THEN f.article_id ELSE s.rowid >> " +
        sentence_shift + " END WHERE search_index MATCH ?";
    if (through_sentence || kind == "article") {
      sql += " AND s.rowid > 0";  // not every matching sentence holds such a fact
    } else if (!kind.empty()) {
      sql += " AND f.kind = ?";
    }
    sql += " ORDER BY s.rank";
    if (!through_sentence) sql += " LIMIT ?";
    // Rows where the words stand together as a phrase come first, then rows
    // that merely contain every word.
    std::vector<std::string> expressions;
    if (terms.size() > 1) {
      std::string phrase = "\"";
      for (size_t t = 0; t < terms.size(); ++t) phrase += (t ? " " : "") + terms[t].folded;
      phrase += "\"";
      if (terms.back().prefix) phrase += '*';
      expressions.push_back(phrase);
    }
    expressions.push_back(FtsMatchExpression(terms));
    // One sentence's offsets out of its article's spans (SentenceSpansJson).
    SQLite::Statement sentence(impl_->db,
                               "SELECT json_extract(sentence_spans, '$[' || ?2 || '][0]'), "
                               "json_extract(sentence_spans, '$[' || ?2 || '][1]') "
                               "FROM articles WHERE id = ?1");
    SQLite::Statement fact(impl_->db, "SELECT text, value, sentence FROM facts WHERE id = ?");
    SQLite::Statement sentence_facts(
        impl_->db,
        "SELECT id, kind, text, value FROM facts WHERE article_id = ? AND sentence = ? "
        "AND kind IN ('quantity', 'date', 'term') ORDER BY id");
    std::set<std::pair<std::string, int64_t>> seen;
    for (size_t pass = 0; pass < expressions.size(); ++pass) {
      const bool phrase_pass = pass + 1 < expressions.size();
      SQLite::Statement select(impl_->db, sql);
      int i = 1;
      select.bind(i++, expressions[pass]);
      if (!kind.empty() && kind != "article" && !through_sentence) select.bind(i++, kind);
      if (!through_sentence) select.bind(i++, limit);
      while (static_cast<int>(hits.size()) < limit && select.executeStep()) {
        SearchHit hit;
        hit.kind = select.getColumn(0).getString();
        hit.article_id = select.getColumn(1).getInt64();
        const int64_t ref = select.getColumn(2).getInt64();
        hit.source = select.getColumn(3).getString();
        const bool sentence_row = hit.kind == "article";
        // The row itself (a sentence, an official, a document) is listed
        // unless the search is for a kind found through sentences; a
        // sentence's quantities, dates and terms are looked at when the
        // search wants them.
        const bool list_row =
            !through_sentence && seen.emplace(hit.kind, (hit.article_id << 24) ^ ref).second;
        const bool want_sentence_facts = sentence_row && (kind.empty() || through_sentence);
        if (!list_row && !want_sentence_facts) continue;
        const std::string article_text = select.getColumn(4).getString();
        int64_t sentence_index = ref;
        if (!sentence_row) {
          hit.fact_id = ref;
          fact.reset();
          fact.bind(1, ref);
          if (!fact.executeStep()) continue;
          hit.text = fact.getColumn(0).getString();
          hit.value = fact.getColumn(1).getString();
          sentence_index = fact.getColumn(2).getInt64();
        }
        sentence.reset();
        sentence.bind(1, hit.article_id);
        sentence.bind(2, sentence_index);
        if (sentence.executeStep() && !sentence.getColumn(0).isNull() &&
            !sentence.getColumn(1).isNull()) {
          const int64_t b = sentence.getColumn(0).getInt64();
          const int64_t e = sentence.getColumn(1).getInt64();
          if (b >= 0 && e <= static_cast<int64_t>(article_text.size()) && b <= e) {
            const std::string_view sentence_text =
                std::string_view(article_text).substr(b, e - b);
            hit.snippet = Highlight(sentence_text, terms);
            if (sentence_row) hit.text = std::string(sentence_text);
          }
        }
        if (list_row) hits.push_back(hit);
        if (!want_sentence_facts) continue;
        // Quantities, dates and terms of the sentence whose own text matches.
        sentence_facts.reset();
        sentence_facts.bind(1, hit.article_id);
        sentence_facts.bind(2, sentence_index);
        while (static_cast<int>(hits.size()) < limit && sentence_facts.executeStep()) {
          const int64_t fact_id = sentence_facts.getColumn(0).getInt64();
          const std::string fact_kind = sentence_facts.getColumn(1).getString();
          if (through_sentence && fact_kind != kind) continue;
          const std::string fact_text = sentence_facts.getColumn(2).getString();
          const std::string folded = FoldDiacritics(fact_text);
          if (!WordsMatch(FoldedWords(folded), terms, phrase_pass)) continue;
          if (!seen.emplace(fact_kind, (hit.article_id << 24) ^ fact_id).second) continue;
          SearchHit fact_hit;
          fact_hit.source = hit.source;
          fact_hit.kind = fact_kind;
          fact_hit.article_id = hit.article_id;
          fact_hit.fact_id = fact_id;
          fact_hit.text = fact_text;
          fact_hit.value = sentence_facts.getColumn(3).getString();
          fact_hit.snippet = hit.snippet;
          hits.push_back(std::move(fact_hit));
        }
      }
    }
  } catch (const SQLite::Exception& e) {
    return Status::Error(std::string("search: database error: ") + e.what());
  }
  return hits;
}

Status FactStore::QueryEach(const std::string& sql, const std::vector<std::string>& params,
                            const std::function<bool(const Row&)>& on_row) {
  try {
    SQLite::Statement statement(impl_->db, sql);
    for (size_t i = 0; i < params.size(); ++i) statement.bind(static_cast<int>(i + 1), params[i]);
    const int columns = statement.getColumnCount();
    Row row(columns);
    for (int c = 0; c < columns; ++c) row[c].first = statement.getColumnName(c);
    while (statement.executeStep()) {
      for (int c = 0; c < columns; ++c) {
        SQLite::Column column = statement.getColumn(c);
        if (column.isNull()) {
          row[c].second.reset();
        } else {
          row[c].second = column.getString();
        }
      }
      if (!on_row(row)) break;
    }
    return Status::Ok();
  } catch (const SQLite::Exception& e) {
    return Status::Error(std::string("database error: ") + e.what());
  }
}

}  // namespace vnfacts
