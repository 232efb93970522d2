// End-to-end tests of the fact store on real database files: idempotent
// re-runs, replacement of changed articles, schema migration from a frozen
// version-1 fixture, refusal of newer or foreign files, diacritic-insensitive
// search, entity resolution across articles, and a run killed mid-way.
#include "pipeline/store.h"

#include <gtest/gtest.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <atomic>
#include <chrono>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

#include <nlohmann/json.hpp>

#include "pipeline/commands.h"
#include "pipeline/text_fold.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("vnfacts_store_test_" + std::to_string(::getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path operator/(const std::string& name) const { return path_ / name; }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

void WriteFile(const fs::path& path, const std::string& content) {
  fs::create_directories(path.parent_path());
  std::ofstream(path, std::ios::binary) << content;
}

using test_files::ReadFile;

// A document with hand-made facts, so these tests do not depend on extractors.
Document MakeDocument(const std::string& source, const std::string& text,
                      const std::string& person, const std::string& org) {
  Document doc;
  doc.source = source;
  doc.raw = text;
  doc.text = text;
  doc.offsets.AddCopy(static_cast<uint32_t>(text.size()));
  doc.sentences.push_back({0, static_cast<uint32_t>(text.size())});
  const size_t at = text.find(person);
  Fact official;
  official.kind = FactKind::kOfficial;
  official.begin = static_cast<uint32_t>(at);
  official.end = static_cast<uint32_t>(at + person.size());
  official.rule = "test.official";
  official.value = OfficialFact{person, {"Bí thư " + org}, org, false, {}};
  doc.facts.push_back(official);
  Fact code;
  code.kind = FactKind::kDocument;
  const size_t code_at = text.find("124-QĐ/TW");
  if (code_at != std::string::npos) {
    code.begin = static_cast<uint32_t>(code_at);
    code.end = static_cast<uint32_t>(code_at + 11);
    code.rule = "test.document";
    code.value = DocumentFact{"124-QĐ/TW", "Quy định", "124", "TW", "2018-02-02", std::nullopt,
                              std::nullopt, std::nullopt, false};
    doc.facts.push_back(code);
  }
  return doc;
}

// The first column of the first row `sql` yields; -1 when it yields none. A
// query that fails fails the test (two failing counts must not compare equal).
int64_t Count(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  int64_t result = -1;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
  } else {
    const int step = sqlite3_step(statement);
    if (step == SQLITE_ROW) {
      result = sqlite3_column_int64(statement, 0);
    } else if (step != SQLITE_DONE) {
      ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
    }
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return result;
}

// The same while another process may still be creating or writing the
// database: -1 for any failure too.
int64_t CountOrMinusOne(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  int64_t result = -1;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) == SQLITE_OK &&
      sqlite3_step(statement) == SQLITE_ROW) {
    result = sqlite3_column_int64(statement, 0);
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return result;
}

// Each line of `sql`'s rows, columns separated by '|', where `sql` may read
// temp.search_vocab: every token the search index holds, as (term, doc,
// col, offset), doc being the row id. The index keeps no copy of its text
// (contentless), so this is the one way to see what it holds.
std::string SearchVocabRows(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  std::string result;
  char* error = nullptr;
  if (sqlite3_exec(handle,
                   "CREATE VIRTUAL TABLE temp.search_vocab USING fts5vocab(main, search_index, "
                   "'instance')",
                   nullptr, nullptr, &error) != SQLITE_OK) {
    ADD_FAILURE() << "fts5vocab: " << (error ? error : "");
    sqlite3_free(error);
  }
  sqlite3_stmt* statement = nullptr;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr) != SQLITE_OK) {
    ADD_FAILURE() << sql << ": " << sqlite3_errmsg(handle);
  }
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      const unsigned char* text = sqlite3_column_text(statement, c);
      result += (c ? "|" : "") + std::string(text ? reinterpret_cast<const char*>(text) : "NULL");
    }
    result += '\n';
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return result;
}

// Search-index rows (with at least one token) whose id satisfies `where`.
int64_t SearchRowCount(const fs::path& db, const std::string& where = "1") {
  const std::string rows =
      SearchVocabRows(db, "SELECT count(DISTINCT doc) FROM temp.search_vocab WHERE " + where);
  return rows.empty() ? -1 : std::stoll(rows);
}

// What the search index holds, by article source and the row's place in its
// article ("s3": its fourth sentence, "f1": its second fact), not by row id:
// ids of an article stored again differ from those of a fresh database. A
// row whose article or fact is gone shows as NULL.
std::string SearchIndexContents(const fs::path& db) {
  return SearchVocabRows(
      db,
      "SELECT v.term, v.offset, a.source, CASE WHEN v.doc > 0 THEN 's' || (v.doc & 16777215) "
      "ELSE 'f' || (SELECT count(*) FROM facts g WHERE g.article_id = f.article_id AND g.id < f.id) "
      "END FROM temp.search_vocab v LEFT JOIN facts f ON v.doc < 0 AND f.id = -v.doc "
      "LEFT JOIN articles a ON a.id = CASE WHEN v.doc < 0 THEN f.article_id ELSE v.doc >> 24 END "
      "ORDER BY 3, 4, 2, 1");
}

// The first column of every row `sql` yields, one row per line.
std::string Rows(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  std::string result;
  sqlite3_prepare_v2(handle, sql.c_str(), -1, &statement, nullptr);
  while (sqlite3_step(statement) == SQLITE_ROW) {
    if (!result.empty()) result += '\n';
    result += reinterpret_cast<const char*>(sqlite3_column_text(statement, 0));
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return result;
}

std::string IntegrityCheck(const fs::path& db) { return Rows(db, "PRAGMA integrity_check"); }

TEST(FactStoreTest, StoresOnceAndSkipsUnchangedContent) {
  TempDir dir;
  auto store = FactStore::Open((dir / "facts.db").string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  Document doc = MakeDocument("a.txt", "Bí thư Tỉnh ủy Trần Văn Nam ký Quy định 124-QĐ/TW.",
                              "Trần Văn Nam", "Tỉnh ủy");
  auto first = (*store)->StoreArticle(doc, ContentHash(doc.raw));
  ASSERT_TRUE(first.ok()) << first.status().message();
  EXPECT_EQ(*first, StoreOutcome::kStored);
  auto second = (*store)->StoreArticle(doc, ContentHash(doc.raw));
  ASSERT_TRUE(second.ok());
  EXPECT_EQ(*second, StoreOutcome::kUnchanged);
  store->reset();
  EXPECT_EQ(Count(dir / "facts.db", "SELECT count(*) FROM articles"), 1);
  EXPECT_EQ(Count(dir / "facts.db", "SELECT count(*) FROM facts"), 2);
  EXPECT_EQ(Count(dir / "facts.db", "SELECT count(*) FROM documents"), 1);
}

TEST(FactStoreTest, ChangedArticleReplacesItsFacts) {
  TempDir dir;
  auto store = FactStore::Open((dir / "facts.db").string());
  ASSERT_TRUE(store.ok());
  Document old_doc = MakeDocument("a.txt", "Bí thư Tỉnh ủy Trần Văn Nam phát biểu.",
                                  "Trần Văn Nam", "Tỉnh ủy");
  ASSERT_TRUE((*store)->StoreArticle(old_doc, ContentHash(old_doc.raw)).ok());
  Document new_doc = MakeDocument("a.txt", "Bí thư Tỉnh ủy Lê Văn Bình phát biểu.",
                                  "Lê Văn Bình", "Tỉnh ủy");
  auto outcome = (*store)->StoreArticle(new_doc, ContentHash(new_doc.raw));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(*outcome, StoreOutcome::kReplaced);
  store->reset();
  const fs::path db = dir / "facts.db";
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM facts"), 1);
  // The person only the old version mentioned is gone; so are its index rows.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people WHERE name = 'Trần Văn Nam'"), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people WHERE name = 'Lê Văn Bình'"), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM search_index WHERE search_index MATCH 'nam'"), 0);
  EXPECT_EQ(SearchRowCount(db), 2);  // its sentence and its official
}

// MakeDocument's facts plus one quantity, one date and one term fact.
Document MakeDocumentOfEveryKind(const std::string& source, const std::string& text,
                                 const std::string& person) {
  Document doc = MakeDocument(source, text, person, "Tỉnh ủy");
  Fact quantity;
  quantity.kind = FactKind::kQuantity;
  quantity.rule = "test.quantity";
  quantity.value = QuantityFact{15, "văn bản", Approx::kExact, 0, std::nullopt};
  doc.facts.push_back(quantity);
  Fact date;
  date.kind = FactKind::kDate;
  date.rule = "test.date";
  date.value = DateFact{"2018-02-02", false};
  doc.facts.push_back(date);
  Fact term;
  term.kind = FactKind::kTerm;
  term.rule = "test.term";
  term.value = TermFact{12, "khóa", std::nullopt};
  doc.facts.push_back(term);
  return doc;
}

// The store does not have SQLite enforce foreign keys (each check costs a
// lookup per inserted row), so it deletes a replaced article's rows itself:
// after a replacement every table holds exactly what storing the new
// version alone gives, and no row points at a parent that is gone.
TEST(FactStoreTest, ReplacingAnArticleLeavesOnlyTheRowsOfTheNewVersion) {
  TempDir dir;
  const fs::path replaced = dir / "replaced.db", fresh = dir / "fresh.db";
  Document old_doc = MakeDocumentOfEveryKind(
      "a.txt", "Bí thư Tỉnh ủy Trần Văn Nam ký Quy định 124-QĐ/TW. Có 15 văn bản.", "Trần Văn Nam");
  Document other = MakeDocumentOfEveryKind(
      "b.txt", "Bí thư Tỉnh ủy Đỗ Anh Tuấn nhắc Quy định 124-QĐ/TW.", "Đỗ Anh Tuấn");
  Document new_doc = MakeDocumentOfEveryKind(
      "a.txt", "Bí thư Tỉnh ủy Lê Văn Bình phát biểu. Có 15 văn bản.", "Lê Văn Bình");
  {
    auto store = FactStore::Open(replaced.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->StoreArticle(old_doc, ContentHash(old_doc.raw)).ok());
    ASSERT_TRUE((*store)->StoreArticle(other, ContentHash(other.raw)).ok());
    StoredFinding finding{"sum", 15, 14, "văn bản", "{}", {"a.txt", "b.txt"}};
    ASSERT_TRUE((*store)->ReplaceFindings({finding}).ok());
    // Replaced inside a batch and outside one: the two write paths differ.
    ASSERT_TRUE((*store)->BeginBatch().ok());
    auto outcome = (*store)->StoreArticle(new_doc, ContentHash(new_doc.raw));
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    EXPECT_EQ(*outcome, StoreOutcome::kReplaced);
    ASSERT_TRUE((*store)->CommitBatch().ok());
    auto again = (*store)->StoreArticle(old_doc, ContentHash(old_doc.raw));
    ASSERT_TRUE(again.ok() && *again == StoreOutcome::kReplaced);
    auto back = (*store)->StoreArticle(new_doc, ContentHash(new_doc.raw));
    ASSERT_TRUE(back.ok() && *back == StoreOutcome::kReplaced);
  }
  {
    auto store = FactStore::Open(fresh.string());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->StoreArticle(other, ContentHash(other.raw)).ok());
    ASSERT_TRUE((*store)->StoreArticle(new_doc, ContentHash(new_doc.raw)).ok());
  }
  for (const char* table : {"articles", "sentences", "facts", "people", "positions", "documents",
                            "document_mentions", "quantities", "dates", "terms"}) {
    const std::string count = std::string("SELECT count(*) FROM ") + table;
    EXPECT_EQ(Count(replaced, count), Count(fresh, count)) << table;
  }
  // The old version's index rows were deleted token for token (the index
  // keeps no text, the store folds the stored one again to delete them).
  EXPECT_NE(SearchIndexContents(fresh), "");
  EXPECT_EQ(SearchIndexContents(replaced), SearchIndexContents(fresh));
  EXPECT_EQ(Count(replaced, "SELECT count(*) FROM facts"), 9);
  // The finding's link to the replaced article went with it; b.txt's stays.
  EXPECT_EQ(Rows(replaced, "SELECT a.source FROM finding_articles f "
                           "JOIN articles a ON a.id = f.article_id"),
            "b.txt");
  EXPECT_EQ(Rows(replaced, "PRAGMA foreign_key_check"), "");
  EXPECT_EQ(IntegrityCheck(replaced), "ok");
}

// Deleting a parent row makes SQLite look up its children through each
// cascading foreign key; without an index led by the child column that is a
// scan of the whole child table per deleted row, which made replacing one
// changed article of a large database take seconds.
TEST(FactStoreTest, EveryCascadingForeignKeyIsIndexed) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  ASSERT_TRUE(FactStore::Open(db.string()).ok());
  const std::string unindexed = Rows(db, R"sql(
    SELECT m.name || '.' || f."from" FROM sqlite_master m, pragma_foreign_key_list(m.name) f
    WHERE m.type = 'table' AND f.on_delete = 'CASCADE'
      AND NOT EXISTS (SELECT 1 FROM pragma_index_list(m.name) i, pragma_index_info(i.name) c
                      WHERE c.seqno = 0 AND c.name = f."from")
      AND NOT EXISTS (SELECT 1 FROM pragma_table_info(m.name) t
                      WHERE t.name = f."from" AND t.pk = 1 AND lower(t.type) = 'integer'))sql");
  EXPECT_EQ(unindexed, "");
  // The query does see cascading keys: these are all indexed. (Version 7
  // dropped the five on article_id of the tables whose rows belong to a
  // fact: those rows go with their fact. Version 9 made three of those
  // tables views over facts, version 10 sentences a column of articles.)
  EXPECT_EQ(Count(db, R"sql(SELECT count(*) FROM sqlite_master m, pragma_foreign_key_list(m.name) f
                           WHERE m.type = 'table' AND f.on_delete = 'CASCADE')sql"), 5);
}

TEST(FactStoreTest, ResolvesPeopleAndDocumentsAcrossArticles) {
  TempDir dir;
  auto store = FactStore::Open((dir / "facts.db").string());
  ASSERT_TRUE(store.ok());
  // Same name and organization in two articles: one person. A different
  // surname with the same given names is another person.
  for (auto [source, text, person] :
       {std::tuple{"a.txt", "Bí thư Thành ủy Đỗ Anh Tuấn dự Quy định 124-QĐ/TW.", "Đỗ Anh Tuấn"},
        std::tuple{"b.txt", "Ông Đỗ Anh Tuấn, Bí thư Thành ủy, nhắc 124-QĐ/TW.", "Đỗ Anh Tuấn"},
        std::tuple{"c.txt", "Ông Vũ Anh Tuấn, Bí thư Thành ủy, phát biểu.", "Vũ Anh Tuấn"}}) {
    Document doc = MakeDocument(source, text, person, "Thành ủy");
    ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  }
  store->reset();
  const fs::path db = dir / "facts.db";
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people"), 2);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM positions p JOIN people x ON x.id = p.person_id "
                      "WHERE x.name = 'Đỗ Anh Tuấn'"), 2);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM documents"), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM document_mentions"), 2);
}

// Runs one statement on its own connection (a second writer, as a user or a
// test harness would be).
void Exec(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(handle);
}

// Creates the database and makes SQLite refuse the article `source` midway
// through writing it: after its row and sentences, at its first position row.
void RefuseArticle(const fs::path& db, const std::string& source) {
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
  }
  Exec(db,
       "CREATE TRIGGER refuse BEFORE INSERT ON positions WHEN "
       "(SELECT source FROM articles WHERE id = NEW.article_id) = '" + source + "' "
       "BEGIN SELECT RAISE(ABORT, 'refused by test'); END");
}

// Since schema 9 quantities, dates and terms are views over facts.value, not
// tables: each row shows its fact's fields with the types the tables had
// (value REAL, decimals and inferred integers, absent fields NULL), and a
// field an older vnfacts did not write reads as FactValueFromJson reads it.
TEST(FactStoreTest, QuantitiesDatesAndTermsViewsReadTheirFactsValues) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    Document doc = MakeDocumentOfEveryKind(
        "a.txt", "Bí thư Tỉnh ủy Trần Văn Nam ký Quy định 124-QĐ/TW. Có 15 văn bản, đạt 86,3%.",
        "Trần Văn Nam");
    // Spans as MakeDocumentOfEveryKind's own facts have them.
    Fact share = doc.facts.back();
    share.kind = FactKind::kQuantity;
    share.rule = "test.share";
    share.value = QuantityFact{86.3, "%", Approx::kOver, 1, std::string("kế hoạch")};
    doc.facts.push_back(share);
    Fact month = doc.facts.back();
    month.kind = FactKind::kDate;
    month.rule = "test.month";
    month.value = DateFact{"2024-03", true};
    doc.facts.push_back(month);
    Fact term = doc.facts.back();
    term.kind = FactKind::kTerm;
    term.rule = "test.term";
    term.value = TermFact{2020, "nhiệm kỳ", std::string("2020/2025")};
    doc.facts.push_back(term);
    ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  }
  auto typed = [](const char* column) {
    return "coalesce(" + std::string(column) + ", '') || ':' || typeof(" + column + ")";
  };
  EXPECT_EQ(Rows(db, "SELECT " + typed("value") + " || ' ' || unit || ' ' || approx || ' ' || " +
                         typed("decimals") + " || ' ' || " + typed("of") +
                         " || ' ' || (article_id = 1) FROM quantities ORDER BY fact_id"),
            "15.0:real văn bản exact 0:integer :null 1\n"
            "86.3:real % over 1:integer kế hoạch:text 1");
  EXPECT_EQ(Rows(db, "SELECT " + typed("value") + " || ' ' || " + typed("inferred") +
                         " FROM dates ORDER BY fact_id"),
            "2018-02-02:text 0:integer\n2024-03:text 1:integer");
  EXPECT_EQ(Rows(db, "SELECT " + typed("value") + " || ' ' || label || ' ' || " +
                         typed("period") + " FROM terms ORDER BY fact_id"),
            "12:integer khóa :null\n2020:integer nhiệm kỳ 2020/2025:text");
  // Each view row is its fact's.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM quantities q JOIN facts f ON f.id = q.fact_id "
                      "WHERE f.kind = 'quantity' AND f.article_id = q.article_id"),
            2);
  Exec(db, R"sql(UPDATE facts SET value = '{"value":7,"unit":"lần"}' WHERE rule = 'test.quantity';
                 UPDATE facts SET value = '{"value":"2018"}' WHERE rule = 'test.date')sql");
  EXPECT_EQ(Rows(db, "SELECT " + typed("value") + " || ' ' || approx || ' ' || " +
                         typed("decimals") + " FROM quantities WHERE fact_id = "
                         "(SELECT id FROM facts WHERE rule = 'test.quantity')"),
            "7.0:real exact 0:integer");
  EXPECT_EQ(Rows(db, "SELECT value || ' ' || " + typed("inferred") + " FROM dates WHERE fact_id = "
                     "(SELECT id FROM facts WHERE rule = 'test.date')"),
            "2018 0:integer");
}

TEST(FactStoreTest, BatchIsInvisibleUntilCommittedAndLostOnlyAsAWhole) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  auto store = FactStore::Open(db.string());
  ASSERT_TRUE(store.ok());
  Document first = MakeDocument("a.txt", "Bí thư Tỉnh ủy Trần Văn Nam phát biểu.", "Trần Văn Nam",
                                "Tỉnh ủy");
  ASSERT_TRUE((*store)->StoreArticle(first, ContentHash(first.raw)).ok());

  ASSERT_TRUE((*store)->BeginBatch().ok());
  EXPECT_TRUE((*store)->in_batch());
  EXPECT_FALSE((*store)->BeginBatch().ok());  // no nesting
  for (const char* source : {"b.txt", "c.txt"}) {
    Document doc = MakeDocument(source, "Ông Lê Văn Bình, Bí thư Tỉnh ủy, ký 124-QĐ/TW.",
                                "Lê Văn Bình", "Tỉnh ủy");
    auto outcome = (*store)->StoreArticle(doc, ContentHash(doc.raw));
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    EXPECT_EQ(*outcome, StoreOutcome::kStored);
  }
  // Another connection still sees only the committed article.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 1);
  ASSERT_TRUE((*store)->CommitBatch().ok());
  EXPECT_FALSE((*store)->in_batch());
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 3);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people"), 2);

  // A batch never committed (the process dies, or the store is closed) is
  // rolled back whole; what was committed before stays.
  ASSERT_TRUE((*store)->BeginBatch().ok());
  Document lost = MakeDocument("d.txt", "Bí thư Tỉnh ủy Phạm Thị Hoa phát biểu.", "Phạm Thị Hoa",
                               "Tỉnh ủy");
  ASSERT_TRUE((*store)->StoreArticle(lost, ContentHash(lost.raw)).ok());
  store->reset();
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 3);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people WHERE name = 'Phạm Thị Hoa'"), 0);
  EXPECT_EQ(IntegrityCheck(db), "ok");
}

TEST(FactStoreTest, AFailedArticleRollsBackAloneInsideABatch) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  RefuseArticle(db, "bad.txt");
  auto reopened = FactStore::Open(db.string());
  ASSERT_TRUE(reopened.ok());
  FactStore& s = **reopened;
  ASSERT_TRUE(s.BeginBatch().ok());
  Document good1 = MakeDocument("good1.txt", "Bí thư Tỉnh ủy Trần Văn Nam ký 124-QĐ/TW.",
                                "Trần Văn Nam", "Tỉnh ủy");
  Document bad = MakeDocument("bad.txt", "Bí thư Tỉnh ủy Lê Văn Bình ký 124-QĐ/TW.", "Lê Văn Bình",
                              "Tỉnh ủy");
  Document good2 = MakeDocument("good2.txt", "Ông Lê Văn Bình, Bí thư Tỉnh ủy, phát biểu.",
                                "Lê Văn Bình", "Tỉnh ủy");
  ASSERT_TRUE(s.StoreArticle(good1, ContentHash(good1.raw)).ok());
  auto failed = s.StoreArticle(bad, ContentHash(bad.raw));
  ASSERT_FALSE(failed.ok());
  EXPECT_NE(failed.status().message().find("bad.txt"), std::string::npos);
  EXPECT_NE(failed.status().message().find("refused by test"), std::string::npos);
  // The person the failed article created was rolled back with it; the next
  // article must create it again, not point at a row that is gone.
  auto after = s.StoreArticle(good2, ContentHash(good2.raw));
  ASSERT_TRUE(after.ok()) << after.status().message();
  ASSERT_TRUE(s.CommitBatch().ok());
  reopened->reset();
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 2);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles WHERE source = 'bad.txt'"), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM sentences s JOIN articles a ON a.id = s.article_id"),
            Count(db, "SELECT count(*) FROM sentences"));
  EXPECT_EQ(Count(db, "SELECT count(*) FROM positions p JOIN people x ON x.id = p.person_id "
                      "WHERE x.name = 'Lê Văn Bình'"),
            1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM document_mentions m JOIN documents d "
                      "ON d.id = m.document_id"),
            1);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  EXPECT_EQ(Count(db, "PRAGMA foreign_key_check"), -1);  // no violating rows
}

// An article mentioning document 124-QĐ/TW with the given fields (and an
// official, whose position rows RefuseArticle can refuse).
Document MentionOfDocument(const std::string& source, std::optional<std::string> issued,
                           std::optional<std::string> issuer, std::optional<std::string> term,
                           std::optional<std::string> subject) {
  Document doc = MakeDocument(source, "Bí thư Tỉnh ủy Trần Văn Nam nhắc 124-QĐ/TW.",
                              "Trần Văn Nam", "Tỉnh ủy");
  for (Fact& f : doc.facts) {
    if (auto* d = std::get_if<DocumentFact>(&f.value)) {
      d->issued = std::move(issued);
      d->issuer = std::move(issuer);
      d->term = std::move(term);
      d->subject = std::move(subject);
    }
  }
  return doc;
}

// The store remembers people and documents as it goes, also inside an
// uncommitted batch, and which document fields are set, to skip updates
// that change nothing. The first mention to state a field fills it, whether
// the document came from this batch, an earlier one, an earlier process, or
// an article that was rolled back.
TEST(FactStoreTest, FirstMentionToStateADocumentFieldFillsIt) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  RefuseArticle(db, "bad.txt");
  auto fields = [&] {
    return Rows(db, "SELECT coalesce(issued, '-') || '|' || coalesce(issuer, '-') || '|' || "
                    "coalesce(term, '-') || '|' || coalesce(subject, '-') FROM documents");
  };
  const std::nullopt_t none = std::nullopt;
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    FactStore& s = **store;
    // Created and rolled back: the next mention must create it again, with
    // the fields it states.
    ASSERT_TRUE(s.BeginBatch().ok());
    Document bad = MentionOfDocument("bad.txt", "2000-01-01", "Bộ Chính trị", "khóa IX", "sai");
    ASSERT_FALSE(s.StoreArticle(bad, ContentHash(bad.raw)).ok());
    Document a = MentionOfDocument("a.txt", none, none, none, none);
    Document b = MentionOfDocument("b.txt", "2018-02-02", none, none, none);
    Document c = MentionOfDocument("c.txt", "2019-01-01", "Ban Bí thư", none, none);
    Document d = MentionOfDocument("d.txt", none, none, none, none);
    for (const Document* doc : {&a, &b, &c, &d}) {
      auto outcome = s.StoreArticle(*doc, ContentHash(doc->raw));
      ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    }
    ASSERT_TRUE(s.CommitBatch().ok());
    EXPECT_EQ(fields(), "2018-02-02|Ban Bí thư|-|-");
    // Next batch: a term, then a subject too.
    ASSERT_TRUE(s.BeginBatch().ok());
    Document e = MentionOfDocument("e.txt", "2020-01-01", none, "khóa XII", none);
    ASSERT_TRUE(s.StoreArticle(e, ContentHash(e.raw)).ok());
    ASSERT_TRUE(s.CommitBatch().ok());
    EXPECT_EQ(fields(), "2018-02-02|Ban Bí thư|khóa XII|-");
  }
  {
    // A new process knows nothing about the stored document's fields.
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    Document f = MentionOfDocument("f.txt", "2021-01-01", "Bộ Chính trị", none, "về công tác");
    ASSERT_TRUE((*store)->StoreArticle(f, ContentHash(f.raw)).ok());
  }
  EXPECT_EQ(fields(), "2018-02-02|Ban Bí thư|khóa XII|về công tác");
  EXPECT_EQ(Count(db, "SELECT count(*) FROM documents"), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM document_mentions"), 6);
  // One person for the six articles that stored it.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people"), 1);
  EXPECT_EQ(Count(db, "SELECT count(DISTINCT person_id) FROM positions"), 1);
  EXPECT_EQ(Rows(db, "PRAGMA foreign_key_check"), "");
}

TEST(FactStoreTest, SearchRowsOfABatchFollowTheirArticles) {
  // A batch writes its search rows between articles in groups and at commit
  // (see FactStore::Impl::SearchRow); a failed or replaced article must leave
  // none behind, and no row may be missed, whichever group it fell in.
  TempDir dir;
  const fs::path db = dir / "facts.db";
  RefuseArticle(db, "bad.txt");
  auto store = FactStore::Open(db.string());
  ASSERT_TRUE(store.ok());
  FactStore& s = **store;
  s.set_search_group_bytes(256 << 10);
  std::string filler;
  for (int i = 0; i < 150; ++i) filler += " công tác dân vận";
  auto article = [&](const std::string& source, int code) {
    return MakeDocument(source,
                        "Bí thư Tỉnh ủy Trần Văn Nam nêu mã " + std::to_string(code) + filler + ".",
                        "Trần Văn Nam", "Tỉnh ủy");
  };
  const int kArticles = 200;  // about 500 KB of folded text: several groups
  Document bad_first = article("bad.txt", 12345);
  bad_first.facts.erase(bad_first.facts.begin());  // its official
  ASSERT_TRUE(s.BeginBatch().ok());
  for (int i = 0; i < kArticles; ++i) {
    if (i == 10 || i == 12) {  // replaced while its rows still wait in the batch
      Document doc = article("q.txt", i == 10 ? 66666 : 55555);
      ASSERT_TRUE(s.StoreArticle(doc, ContentHash(doc.raw)).ok());
    }
    if (i == 50) {  // replaced after its rows were written in a group
      Document replaced = article("r.txt", 77777);
      ASSERT_TRUE(s.StoreArticle(replaced, ContentHash(replaced.raw)).ok());
    }
    if (i == 120) {  // the same source again, changed, later in the batch
      Document replacing = article("r.txt", 88888);
      auto outcome = s.StoreArticle(replacing, ContentHash(replacing.raw));
      ASSERT_TRUE(outcome.ok());
      EXPECT_EQ(*outcome, StoreOutcome::kReplaced);
    }
    if (i == 20) {  // no official, so no position to refuse: stored
      ASSERT_TRUE(s.StoreArticle(bad_first, ContentHash(bad_first.raw)).ok());
    }
    if (i == 21 || i == 150) {  // a replacement that fails: the old rows stay, waiting or written
      Document bad = article("bad.txt", 99999);
      ASSERT_FALSE(s.StoreArticle(bad, ContentHash(bad.raw)).ok());
    }
    Document doc = article("a" + std::to_string(i) + ".txt", 10000 + i);
    ASSERT_TRUE(s.StoreArticle(doc, ContentHash(doc.raw)).ok());
  }
  ASSERT_TRUE(s.CommitBatch().ok());
  for (int i = 0; i < kArticles; i += 7) {
    auto hits = s.Search(std::to_string(10000 + i), "", 10);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->size(), 1u) << i;
  }
  for (const char* gone : {"66666", "77777", "99999"}) {
    auto hits = s.Search(gone, "", 10);
    ASSERT_TRUE(hits.ok());
    EXPECT_TRUE(hits->empty()) << gone;
  }
  for (const char* kept : {"55555", "88888", "12345"}) {
    auto hits = s.Search(kept, "", 10);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->size(), 1u) << kept;
  }
  store->reset();
  // One sentence row and one official row per stored article (bad.txt has
  // no official), nothing else.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), kArticles + 3);
  EXPECT_EQ(SearchRowCount(db), 2 * (kArticles + 2) + 1);
  EXPECT_EQ(SearchRowCount(db, "doc < 0"), kArticles + 2);
  EXPECT_EQ(IntegrityCheck(db), "ok");

  // Token for token what storing the final versions alone gives.
  const fs::path fresh = dir / "fresh.db";
  {
    auto fresh_store = FactStore::Open(fresh.string());
    ASSERT_TRUE(fresh_store.ok());
    std::vector<Document> final_versions = {article("q.txt", 55555), article("r.txt", 88888),
                                            bad_first};
    for (int i = 0; i < kArticles; ++i) {
      final_versions.push_back(article("a" + std::to_string(i) + ".txt", 10000 + i));
    }
    for (const Document& doc : final_versions) {
      ASSERT_TRUE((*fresh_store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
    }
  }
  EXPECT_EQ(SearchIndexContents(db), SearchIndexContents(fresh));
}

// Every table and the search index, row for row, without the time of storing.
std::string DatabaseContents(const fs::path& db) {
  std::string all;
  for (const char* sql :
       {"SELECT id, source, content_hash, title, published, raw_bytes, text, sentence_spans "
        "FROM articles ORDER BY id",
        "SELECT * FROM facts ORDER BY id", "SELECT * FROM people ORDER BY id",
        "SELECT * FROM positions ORDER BY id", "SELECT * FROM documents ORDER BY id",
        "SELECT * FROM document_mentions ORDER BY fact_id"}) {
    all += std::string(sql) + "\n" + Rows(db, sql) + "\n";
  }
  return all + SearchIndexContents(db);
}

// Articles of a batch are written under one savepoint per group (see
// FactStore::BeginBatch): a failure rolls the group back and writes its
// earlier articles again. The database must come out as if the failed
// articles had never been given, whether the failure is the group's first
// article or follows others, replacements, and rows of an earlier group that
// a replacement in this group dropped; with the search rows written between
// groups or only at the commit. The failures are placed for groups of 64
// articles; with the default group size all 151 articles are one group, and
// every failure replays what the group wrote before it.
TEST(FactStoreTest, FailuresInABatchLeaveWhatStoringTheOthersAloneGives) {
  for (const auto& [search_group_bytes, group_articles] :
       std::vector<std::pair<size_t, size_t>>{
           {size_t{32} << 20, 64}, {size_t{2} << 10, 64}, {size_t{32} << 20, 1024}}) {
    SCOPED_TRACE(std::to_string(search_group_bytes) + " " + std::to_string(group_articles));
    TempDir dir;
    const fs::path db = dir / "facts.db";
    RefuseArticle(db, "bad.txt");
    auto article = [](const std::string& source, int code) {
      return MakeDocument(source,
                          "Bí thư Tỉnh ủy Trần Văn Nam ký 124-QĐ/TW, mã " +
                              std::to_string(code) + ", về công tác dân vận.",
                          "Trần Văn Nam", "Tỉnh ủy");
    };
    // Without its official, bad.txt has no position to refuse: stored.
    Document bad_first = article("bad.txt", 0);
    bad_first.facts.erase(bad_first.facts.begin());
    // The order articles are given in; every later bad.txt fails, after its
    // article row, facts and the deletion of the bad.txt it replaces.
    std::vector<Document> given = {article("x.txt", 1), bad_first, article("y.txt", 2)};
    for (int i = 0; i < 70; ++i) {
      given.push_back(article("a" + std::to_string(i) + ".txt", 100 + i));
    }
    given.push_back(article("x.txt", 3));    // drops rows an earlier group left waiting
    given.push_back(article("b.txt", 4));
    given.push_back(article("bad.txt", 5));  // fails after two articles of its group
    given.push_back(article("bad.txt", 6));  // fails as the first of a group
    given.push_back(article("y.txt", 7));
    given.push_back(article("y.txt", 8));  // replaces an article of its own group
    for (int i = 70; i < 140; ++i) {
      given.push_back(article("a" + std::to_string(i) + ".txt", 100 + i));
      if (i == 100) given.push_back(article("bad.txt", 9));
    }
    given.push_back(article("bad.txt", 10));  // fails as the last article given
    auto fails = [&](const Document& doc) { return doc.source == "bad.txt" && !doc.facts.empty() &&
                                                   doc.facts[0].kind == FactKind::kOfficial; };
    {
      auto store = FactStore::Open(db.string());
      ASSERT_TRUE(store.ok());
      FactStore& s = **store;
      s.set_search_group_bytes(search_group_bytes);
      s.set_group_max_articles(group_articles);
      ASSERT_TRUE(s.BeginBatch().ok());
      for (const Document& doc : given) {
        auto outcome = s.StoreArticle(doc, ContentHash(doc.raw));
        EXPECT_EQ(outcome.ok(), !fails(doc)) << doc.source << " " << doc.text;
      }
      ASSERT_TRUE(s.CommitBatch().ok());
    }
    const fs::path alone = dir / "alone.db";
    {
      auto store = FactStore::Open(alone.string());
      ASSERT_TRUE(store.ok());
      for (const Document& doc : given) {
        if (fails(doc)) continue;
        ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
      }
    }
    EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 144);
    EXPECT_EQ(DatabaseContents(db), DatabaseContents(alone));
    EXPECT_EQ(IntegrityCheck(db), "ok");
  }
}

// An SQL function for triggers that must refuse a row the second time, not
// the first: refused_again(source) is 1 from the second call on for the one
// source watched. The database state a replay sees is the state the first
// write saw, so only a count outside the database can tell them apart.
// Registered on every connection (sqlite3_auto_extension takes no context,
// hence the test's own static state) for the life of one object.
class RefusedAgain {
 public:
  explicit RefusedAgain(std::string source) {
    watched_ = std::move(source);
    calls_ = 0;
    sqlite3_auto_extension(reinterpret_cast<void (*)()>(&Register));
  }
  ~RefusedAgain() { sqlite3_cancel_auto_extension(reinterpret_cast<void (*)()>(&Register)); }
  static int calls() { return calls_; }

 private:
  static int Register(sqlite3* db, const char**, const void*) {
    return sqlite3_create_function(db, "refused_again", 1, SQLITE_UTF8, nullptr, &Call, nullptr,
                                   nullptr);
  }
  static void Call(sqlite3_context* context, int, sqlite3_value** args) {
    const auto* text = reinterpret_cast<const char*>(sqlite3_value_text(args[0]));
    const bool watched = text != nullptr && watched_ == text;
    if (watched) ++calls_;
    sqlite3_result_int(context, watched && calls_ >= 2 ? 1 : 0);
  }
  static inline std::string watched_;
  static inline int calls_ = 0;
};

// When an article of a batch fails, the earlier articles of its group are
// written again; if one of them then fails, the database is at fault, not
// the article: the batch must not commit, and what was committed before it
// stays. A later batch without the fault stores them all.
TEST(FactStoreTest, AnEarlierArticleThatCannotBeWrittenAgainFailsTheBatch) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  RefuseArticle(db, "bad.txt");
  const RefusedAgain refused("a2.txt");
  Exec(db,
       "CREATE TRIGGER refuse_again BEFORE INSERT ON articles WHEN refused_again(NEW.source) "
       "BEGIN SELECT RAISE(ABORT, 'refused again by test'); END");
  auto article = [](const std::string& source, int code) {
    return MakeDocument(source,
                        "Bí thư Tỉnh ủy Trần Văn Nam ký 124-QĐ/TW, mã " + std::to_string(code) +
                            ", về công tác dân vận.",
                        "Trần Văn Nam", "Tỉnh ủy");
  };
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    FactStore& s = **store;
    const Document before = article("before.txt", 1);
    ASSERT_TRUE(s.StoreArticle(before, ContentHash(before.raw)).ok());
    ASSERT_TRUE(s.BeginBatch().ok());
    for (const Document& doc : {article("a1.txt", 2), article("a2.txt", 3)}) {
      EXPECT_TRUE(s.StoreArticle(doc, ContentHash(doc.raw)).ok()) << doc.source;
    }
    // Fails; a1 is written again, then a2, which is refused this time.
    const Document bad = article("bad.txt", 4);
    auto failed = s.StoreArticle(bad, ContentHash(bad.raw));
    ASSERT_FALSE(failed.ok());
    EXPECT_NE(failed.status().message().find("bad.txt"), std::string::npos);
    EXPECT_EQ(RefusedAgain::calls(), 2);
    const Document after = article("after.txt", 5);
    (void)s.StoreArticle(after, ContentHash(after.raw));
    const Status committed = s.CommitBatch();
    ASSERT_FALSE(committed.ok());
    EXPECT_NE(committed.message().find("a2.txt: written again after bad.txt failed"),
              std::string::npos)
        << committed.message();
    EXPECT_FALSE(s.in_batch());
  }
  EXPECT_EQ(Rows(db, "SELECT group_concat(source, ' ') FROM articles"), "before.txt");
  EXPECT_EQ(IntegrityCheck(db), "ok");
  Exec(db, "INSERT INTO search_index (search_index) VALUES ('integrity-check')");
  // The fault gone, a re-run stores what the failed batch held.
  Exec(db, "DROP TRIGGER refuse_again");
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    FactStore& s = **store;
    ASSERT_TRUE(s.BeginBatch().ok());
    for (const Document& doc :
         {article("a1.txt", 2), article("a2.txt", 3), article("after.txt", 5)}) {
      EXPECT_TRUE(s.StoreArticle(doc, ContentHash(doc.raw)).ok()) << doc.source;
    }
    ASSERT_TRUE(s.CommitBatch().ok());
  }
  EXPECT_EQ(Rows(db, "SELECT group_concat(source, ' ') FROM (SELECT source FROM articles "
                     "ORDER BY source)"),
            "a1.txt a2.txt after.txt before.txt");
  EXPECT_EQ(IntegrityCheck(db), "ok");
  Exec(db, "INSERT INTO search_index (search_index) VALUES ('integrity-check')");
}

TEST(FactStoreTest, AnotherWriterGetsInBetweenLongBatches) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  auto run = FactStore::Open(db.string());
  ASSERT_TRUE(run.ok());
  // One connection holds the write lock in 300 ms batches with 3 ms gaps, as
  // `vnfacts run` does; a second one (`check` storing findings) must get in.
  std::atomic<bool> done{false};
  std::thread batches([&] {
    int i = 0;
    while (!done.load()) {
      ASSERT_TRUE((*run)->BeginBatch().ok());
      Document doc = MakeDocument("a" + std::to_string(i++) + ".txt",
                                  "Bí thư Tỉnh ủy Trần Văn Nam phát biểu.", "Trần Văn Nam",
                                  "Tỉnh ủy");
      ASSERT_TRUE((*run)->StoreArticle(doc, ContentHash(doc.raw)).ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(300));
      ASSERT_TRUE((*run)->CommitBatch().ok());
      std::this_thread::sleep_for(std::chrono::milliseconds(3));
    }
  });
  std::this_thread::sleep_for(std::chrono::milliseconds(50));  // inside the first batch
  auto check = FactStore::Open(db.string());
  ASSERT_TRUE(check.ok()) << check.status().message();
  const auto start = std::chrono::steady_clock::now();
  StoredFinding finding;
  finding.kind = "test";
  finding.detail_json = "{}";
  const Status stored = (*check)->ReplaceFindings({finding});
  const double seconds =
      std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  done = true;
  batches.join();
  EXPECT_TRUE(stored.ok()) << stored.message();
  EXPECT_LT(seconds, 5.0) << "the waiting writer kept missing the gaps between batches";
}

// With background checkpoints the writer never checkpoints, and a batch
// begins right after the last commit, before any checkpoint could copy it;
// past its bound the log is copied before the next batch begins, which then
// starts it over. Without that the log grows with the database.
TEST(FactStoreTest, BackgroundCheckpointsKeepTheLogBounded) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  FactStoreOptions options;
  options.background_checkpoints = true;
  auto store = FactStore::Open(db.string(), options);
  ASSERT_TRUE(store.ok()) << store.status().message();
  constexpr int kBoundPages = 32;
  (*store)->set_max_log_pages(kBoundPages);
  std::string text = "Bí thư Tỉnh ủy Trần Văn Nam phát biểu. ";
  // About eight pages of text an article, with few facts.
  while (text.size() < 100000) text += "Hội nghị diễn ra tại hội trường lớn của tỉnh. ";
  uintmax_t largest_log = 0;
  constexpr int kBatches = 30;
  for (int i = 0; i < kBatches; ++i) {
    ASSERT_TRUE((*store)->BeginBatch().ok());
    Document doc = MakeDocument("a" + std::to_string(i) + ".txt", text + std::to_string(i),
                                "Trần Văn Nam", "Tỉnh ủy");
    ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
    ASSERT_TRUE((*store)->CommitBatch().ok());
    std::error_code ec;
    largest_log = std::max(largest_log, fs::file_size(db.string() + "-wal", ec));
  }
  std::error_code ec;
  const uintmax_t database = fs::file_size(db, ec);
  const uintmax_t frame = FactStore::kPageSize + 24;
  // The batches wrote several times the bound; the log held at most the
  // bound and about one batch more.
  EXPECT_GT(database + largest_log, 4 * kBoundPages * frame);
  EXPECT_LT(largest_log, 2 * kBoundPages * frame);
  store->reset();
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), kBatches);
}

// Each commit writes one segment of the search index; a run merges them
// only once 256 pile up (SetSearchMergePolicy), where FTS5's defaults merged
// at 16. MergeSearchIndex() (`vnfacts index` on a database that has the
// index) merges them into one.
TEST(FactStoreTest, SearchSegmentsMergeOnlyInWideLevels) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  const std::string segments = "SELECT count(DISTINCT segid) FROM search_index_idx";
  constexpr int kBatches = 40;
  const std::vector<std::string> queries = {"tran van nam", "hoi nghi lan 7", "tinh uy"};
  // Each query's hits, a line each.
  auto hit_lists = [&](FactStore& store) {
    std::vector<std::string> lists;
    for (const std::string& query : queries) {
      auto hits = store.Search(query, "", 100);
      EXPECT_TRUE(hits.ok()) << hits.status().message();
      std::string listed;
      if (hits.ok()) {
        for (const auto& hit : *hits) listed += hit.source + " " + hit.text + "\n";
      }
      lists.push_back(listed);
    }
    return lists;
  };
  std::vector<std::string> before;
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    for (int i = 0; i < kBatches; ++i) {
      ASSERT_TRUE((*store)->BeginBatch().ok());
      Document doc = MakeDocument("a" + std::to_string(i) + ".txt",
                                  "Bí thư Tỉnh ủy Trần Văn Nam dự hội nghị lần " +
                                      std::to_string(i) + ".",
                                  "Trần Văn Nam", "Tỉnh ủy");
      ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
      ASSERT_TRUE((*store)->CommitBatch().ok());
    }
    before = hit_lists(**store);
    EXPECT_FALSE(before[0].empty());
  }
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'automerge'"), 0);
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'crisismerge'"), 256);
  EXPECT_EQ(Count(db, segments), kBatches);

  auto store = FactStore::Open(db.string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  const Status merged = (*store)->MergeSearchIndex();
  ASSERT_TRUE(merged.ok()) << merged.message();
  EXPECT_EQ(Count(db, segments), 1);
  EXPECT_EQ(hit_lists(**store), before);
}

// A database whose index merges as FTS5's defaults (made before the merge
// policy) takes the policy when it is opened to write; BuildSearchIndex()
// gives it to an index built later.
TEST(FactStoreTest, OlderIndexTakesTheMergePolicy) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  ASSERT_TRUE(FactStore::Open(db.string()).ok());
  Exec(db, "DELETE FROM search_index_config WHERE k = 'crisismerge'; "
           "INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16)");
  EXPECT_EQ(Count(db, "SELECT count(*) FROM search_index_config WHERE k = 'crisismerge'"), 0);
  ASSERT_TRUE(FactStore::OpenReadOnly(db.string()).ok());
  EXPECT_EQ(Count(db, "SELECT count(*) FROM search_index_config WHERE k = 'crisismerge'"), 0);
  ASSERT_TRUE(FactStore::Open(db.string()).ok());
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'automerge'"), 0);
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'crisismerge'"), 256);

  const fs::path later = dir / "later.db";
  FactStoreOptions without;
  without.search_index = false;
  ASSERT_TRUE(FactStore::Open(later.string(), without).ok());
  auto store = FactStore::Open(later.string());
  ASSERT_TRUE(store.ok());
  auto built = (*store)->BuildSearchIndex();
  ASSERT_TRUE(built.ok() && *built);
  EXPECT_EQ(Count(later, "SELECT v FROM search_index_config WHERE k = 'crisismerge'"), 256);
  EXPECT_EQ(Count(later, "SELECT v FROM search_index_config WHERE k = 'automerge'"), 0);
  const Status merged = (*store)->MergeSearchIndex();
  EXPECT_TRUE(merged.ok()) << merged.message();
  store->reset();
  auto bare = FactStore::Open((dir / "bare.db").string(), without);
  ASSERT_TRUE(bare.ok());
  EXPECT_FALSE((*bare)->MergeSearchIndex().ok());
}

TEST(FactStoreTest, SearchMatchesWithAndWithoutDiacritics) {
  TempDir dir;
  auto store = FactStore::Open((dir / "facts.db").string());
  ASSERT_TRUE(store.ok());
  Document doc = MakeDocument("a.txt", "Đảng ủy khối giao Phó Bí thư Nguyễn Văn Phong theo dõi.",
                              "Nguyễn Văn Phong", "Đảng ủy");
  ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  for (const std::string query : {"nguyen van phong", "Nguyễn Văn Phong", "NGUYEN VAN PHONG",
                                  "dang uy", "Đảng ủy", "đang uy"}) {
    auto hits = (*store)->Search(query, "", 10);
    ASSERT_TRUE(hits.ok()) << hits.status().message();
    EXPECT_FALSE(hits->empty()) << query;
  }
  auto official = (*store)->Search("nguyen van phong", "official", 10);
  ASSERT_TRUE(official.ok());
  ASSERT_EQ(official->size(), 1u);
  EXPECT_EQ((*official)[0].snippet.find("[Nguyễn] [Văn] [Phong]") != std::string::npos, true)
      << (*official)[0].snippet;
  auto none = (*store)->Search("hai phong", "", 10);
  ASSERT_TRUE(none.ok());
  EXPECT_TRUE(none->empty());
}

// Search rows are bound as terminated strings (read in place by FTS5); a row
// that holds a NUL byte must still be indexed whole, and deleted whole when
// its article is replaced.
TEST(FactStoreTest, SearchIndexesTheWordsAfterANulByte) {
  TempDir dir;
  auto store = FactStore::Open((dir / "facts.db").string());
  ASSERT_TRUE(store.ok());
  const std::string text = std::string("Bí thư Tỉnh ủy Trần Văn Nam dự họp") + '\0' +
                           " bàn về kế hoạch xây dựng nông thôn mới.";
  const Document doc = MakeDocument("a.txt", text, "Trần Văn Nam", "Tỉnh ủy");
  ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  auto hits = (*store)->Search("nong thon moi", "", 10);
  ASSERT_TRUE(hits.ok()) << hits.status().message();
  EXPECT_EQ(hits->size(), 1u);
  // Replaced: the old row's words after the NUL go with it (a contentless
  // index keeps whatever a deletion does not name, and the replacement's
  // sentence gets the old row id, so a word left behind would be found).
  const Document replaced =
      MakeDocument("a.txt", "Bí thư Tỉnh ủy Trần Văn Nam dự họp.", "Trần Văn Nam", "Tỉnh ủy");
  ASSERT_TRUE((*store)->StoreArticle(replaced, ContentHash(replaced.raw)).ok());
  hits = (*store)->Search("nong thon moi", "", 10);
  ASSERT_TRUE(hits.ok());
  EXPECT_TRUE(hits->empty());
  store->reset();
  EXPECT_EQ(IntegrityCheck(dir / "facts.db"), "ok");
}

// Stores the same articles, replacements and failures into `store`: what a
// database with and one without a search index must agree on.
void StoreSearchTestArticles(FactStore& s, int round) {
  auto article = [&](const std::string& source, int code) {
    return MakeDocument(source,
                        "Phó Bí thư Tỉnh ủy Lê Văn Hòa nêu mã " + std::to_string(code) +
                            " theo Quy định 124-QĐ/TW về công tác dân vận.",
                        "Lê Văn Hòa", "Tỉnh ủy");
  };
  ASSERT_TRUE(s.BeginBatch().ok());
  for (int i = 0; i < 30; ++i) {
    Document doc = article("a" + std::to_string(i) + ".txt", round * 1000 + (i % 7 == 0 ? i : 0));
    ASSERT_TRUE(s.StoreArticle(doc, ContentHash(doc.raw)).ok());
    if (i == 12) {  // a replacement inside the batch
      Document again = article("a3.txt", round * 1000 + 333);
      ASSERT_TRUE(s.StoreArticle(again, ContentHash(again.raw)).ok());
    }
  }
  ASSERT_TRUE(s.CommitBatch().ok());
  Document outside = article("a5.txt", round * 1000 + 555);  // and one outside a batch
  ASSERT_TRUE(s.StoreArticle(outside, ContentHash(outside.raw)).ok());
}

TEST(FactStoreTest, ADatabaseMadeWithoutSearchIndexGetsTheSameIndexLater) {
  TempDir dir;
  const fs::path with = dir / "with.db", without = dir / "without.db";
  {
    auto store = FactStore::Open(with.string());
    ASSERT_TRUE(store.ok());
    StoreSearchTestArticles(**store, 1);
  }
  FactStoreOptions no_index;
  no_index.search_index = false;
  {
    auto store = FactStore::Open(without.string(), no_index);
    ASSERT_TRUE(store.ok());
    EXPECT_FALSE((*store)->has_search_index());
    StoreSearchTestArticles(**store, 1);
    auto hits = (*store)->Search("dan van", "", 10);
    ASSERT_FALSE(hits.ok());
    EXPECT_NE(hits.status().message().find("vnfacts index"), std::string::npos)
        << hits.status().message();
  }
  EXPECT_EQ(Count(without, "SELECT count(*) FROM sqlite_master WHERE name LIKE 'search_index%'"), 0);
  EXPECT_EQ(Count(without, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(Rows(without, "SELECT source || ' ' || content_hash FROM articles ORDER BY id"),
            Rows(with, "SELECT source || ' ' || content_hash FROM articles ORDER BY id"));
  {
    // Opened again, by a reader or by a writer that would give a new
    // database an index, it still has none until asked to build it.
    auto reader = FactStore::OpenReadOnly(without.string());
    ASSERT_TRUE(reader.ok());
    EXPECT_FALSE((*reader)->has_search_index());
    auto store = FactStore::Open(without.string());
    ASSERT_TRUE(store.ok());
    EXPECT_FALSE((*store)->has_search_index());
    auto built = (*store)->BuildSearchIndex();
    ASSERT_TRUE(built.ok()) << built.status().message();
    EXPECT_TRUE(*built);
    EXPECT_TRUE((*store)->has_search_index());
    auto again = (*store)->BuildSearchIndex();
    ASSERT_TRUE(again.ok());
    EXPECT_FALSE(*again);
    auto hits = (*store)->Search("le van hoa", "official", 100);
    ASSERT_TRUE(hits.ok()) << hits.status().message();
    EXPECT_EQ(hits->size(), 30u);  // one official per article; replaced versions are gone
  }
  const std::string index = SearchIndexContents(with);
  ASSERT_NE(index, "");
  EXPECT_EQ(SearchIndexContents(without), index);
  Exec(without, "INSERT INTO search_index (search_index) VALUES ('integrity-check')");
  // From then on the index follows the articles as in any database.
  for (const fs::path& db : {with, without}) {
    auto store = FactStore::Open(db.string(), no_index);  // an index it has stays
    ASSERT_TRUE(store.ok());
    EXPECT_TRUE((*store)->has_search_index());
    StoreSearchTestArticles(**store, 2);
  }
  EXPECT_EQ(SearchIndexContents(without), SearchIndexContents(with));
  EXPECT_NE(SearchIndexContents(with), index);
}

TEST(FactStoreTest, AnArticlePreparedWithoutSearchTextStillGetsItsSearchRows) {
  // Workers leave the folding out for a database without an index; should
  // such an article reach a database with one, the store folds it itself.
  TempDir dir;
  const fs::path plain = dir / "plain.db", unfolded = dir / "unfolded.db";
  Document doc = MakeDocument("a.txt", "Phó Bí thư Tỉnh ủy Lê Văn Hòa nêu Quy định 124-QĐ/TW.",
                              "Lê Văn Hòa", "Tỉnh ủy");
  for (const fs::path& db : {plain, unfolded}) {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    const StoredArticle article =
        StoredArticle::FromDocument(doc, ContentHash(doc.raw), /*search_text=*/db == plain);
    EXPECT_EQ(article.has_search_text, db == plain);
    EXPECT_EQ(article.Folded(article.sentences[0]).empty(), db != plain);
    ASSERT_TRUE((*store)->Store(article).ok());
    auto hits = (*store)->Search("le van hoa", "official", 10);
    ASSERT_TRUE(hits.ok());
    EXPECT_EQ(hits->size(), 1u) << db;
  }
  ASSERT_NE(SearchIndexContents(plain), "");
  EXPECT_EQ(SearchIndexContents(unfolded), SearchIndexContents(plain));
}

TEST(FactStoreTest, QuantitiesDatesAndTermsAreFoundThroughTheirSentence) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  auto store = FactStore::Open(db.string());
  ASSERT_TRUE(store.ok());
  Document doc;
  doc.source = "q.txt";
  doc.raw = doc.text = "Năm 2024, Nghệ An có hơn 1.250 mô hình dân vận khéo.";
  doc.offsets.AddCopy(static_cast<uint32_t>(doc.text.size()));
  doc.sentences.push_back({0, static_cast<uint32_t>(doc.text.size())});
  auto add = [&](FactKind kind, const std::string& text, decltype(Fact::value) value) {
    Fact f;
    f.kind = kind;
    f.begin = static_cast<uint32_t>(doc.text.find(text));
    f.end = f.begin + static_cast<uint32_t>(text.size());
    f.rule = "test";
    f.value = std::move(value);
    doc.facts.push_back(f);
  };
  add(FactKind::kDate, "Năm 2024", DateFact{"2024", false});
  add(FactKind::kQuantity, "hơn 1.250 mô hình",
      QuantityFact{1250, "mô hình", Approx::kOver, 0, std::nullopt});
  ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  // They have no index rows of their own.
  EXPECT_EQ(SearchRowCount(db, "doc < 0"), 0);
  EXPECT_EQ(SearchRowCount(db, "doc > 0"), 1);

  auto quantity = (*store)->Search("mo hinh", "quantity", 10);
  ASSERT_TRUE(quantity.ok()) << quantity.status().message();
  ASSERT_EQ(quantity->size(), 1u);
  EXPECT_EQ((*quantity)[0].kind, "quantity");
  EXPECT_EQ((*quantity)[0].text, "hơn 1.250 mô hình");
  EXPECT_NE((*quantity)[0].value.find("\"unit\":\"mô hình\""), std::string::npos);
  EXPECT_NE((*quantity)[0].snippet.find("[mô] [hình]"), std::string::npos);
  EXPECT_GT((*quantity)[0].fact_id, 0);
  // The sentence matches, the quantity's own words do not.
  auto elsewhere = (*store)->Search("nghe an", "quantity", 10);
  ASSERT_TRUE(elsewhere.ok());
  EXPECT_TRUE(elsewhere->empty());
  auto prefix = (*store)->Search("mo hi*", "quantity", 10);
  ASSERT_TRUE(prefix.ok());
  EXPECT_EQ(prefix->size(), 1u);
  auto date = (*store)->Search("nam 2024", "date", 10);
  ASSERT_TRUE(date.ok());
  ASSERT_EQ(date->size(), 1u);
  EXPECT_EQ((*date)[0].text, "Năm 2024");
  // Without a kind: the sentence, then its matching facts.
  auto all = (*store)->Search("mo hinh", "", 10);
  ASSERT_TRUE(all.ok());
  ASSERT_EQ(all->size(), 2u);
  EXPECT_EQ((*all)[0].kind, "article");
  EXPECT_EQ((*all)[1].kind, "quantity");
  auto one = (*store)->Search("mo hinh", "", 1);
  ASSERT_TRUE(one.ok());
  EXPECT_EQ(one->size(), 1u);
}

// Writes the frozen database `fixture` (tests/fixtures) to `db`; then runs `sql` on it.
void WriteFixture(const fs::path& db, const std::string& fixture, const std::string& sql = "") {
  sqlite3* handle = nullptr;
  ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
  const std::string dump = ReadFile(fs::path(VNFACTS_SOURCE_DIR) / "tests/fixtures" / fixture);
  char* error = nullptr;
  EXPECT_EQ(sqlite3_exec(handle, (dump + sql).c_str(), nullptr, nullptr, &error), SQLITE_OK)
      << (error ? error : "");
  sqlite3_free(error);
  sqlite3_close(handle);
}

// Up to version 3 every fact had an index row of its own; 3 -> 4 dropped
// those of quantities, dates and terms, and 7 -> 8 made every row again
// from the stored articles: a sentence row and one per official or document.
TEST(FactStoreTest, UpgradeLeavesIndexRowsOnlyForSentencesOfficialsAndDocuments) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  WriteFixture(db, "vnfacts_schema_v1.sql",
               "INSERT INTO facts (id, article_id, kind, text, start, end, raw_start, raw_end, "
               "sentence, rule, value) VALUES (2, 1, 'quantity', 'hội nghị', 43, 51, 43, 51, 0, "
               "'test', '{\"value\":1,\"unit\":\"hội nghị\",\"approx\":\"exact\","
               "\"decimals\":0,\"of\":null}');"
               "INSERT INTO search_index (rowid, folded, kind, article_id, ref) VALUES "
               "(25165825, 'hoi nghi', 'quantity', 1, 2);");
  auto store = FactStore::Open(db.string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  store->reset();
  EXPECT_EQ(SearchRowCount(db, "doc = -2"), 0);        // the quantity
  EXPECT_EQ(SearchRowCount(db, "doc = -1"), 1);        // the official
  EXPECT_EQ(SearchRowCount(db, "doc = 16777216"), 1);  // article 1's sentence 0
  EXPECT_EQ(SearchRowCount(db), 2);
  EXPECT_EQ(SearchVocabRows(db, "SELECT group_concat(term, ' ') FROM (SELECT term FROM "
                                "temp.search_vocab WHERE doc = -1 ORDER BY offset)"),
            "tran van nam bi thu tinh uy tran van nam bi thu tinh uy tinh uy\n");
}

TEST(FactStoreTest, QuerySyntaxIsNeverInterpreted) {
  TempDir dir;
  auto store = FactStore::Open((dir / "facts.db").string());
  ASSERT_TRUE(store.ok());
  Document doc = MakeDocument("a.txt", "Bí thư Tỉnh ủy Trần Văn Nam phát biểu.",
                              "Trần Văn Nam", "Tỉnh ủy");
  ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  for (const std::string query : {"\"", "nam\"", "AND", "nam AND", "* nam", "-nam", "nam -",
                                  "NEAR(nam", "tran OR", "'; DROP TABLE facts; --", "nam)", "^nam",
                                  "col:nam", "{nam}"}) {
    auto hits = (*store)->Search(query, "", 10);
    if (!hits.ok()) {
      EXPECT_NE(hits.status().message().find("no words"), std::string::npos) << query;
    }
  }
  store->reset();
  EXPECT_EQ(Count(dir / "facts.db", "SELECT count(*) FROM facts"), 1);
}

TEST(FactStoreTest, UpgradesAVersionOneDatabase) {
  TempDir dir;
  const fs::path db = dir / "old.db";
  {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
    const std::string sql = ReadFile(fs::path(VNFACTS_SOURCE_DIR) / "tests/fixtures/vnfacts_schema_v1.sql");
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(handle);
  }
  auto store = FactStore::Open(db.string());
  ASSERT_TRUE(store.ok()) << store.status().message();
  EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  auto hits = (*store)->Search("tran van nam", "", 10);
  ASSERT_TRUE(hits.ok());
  // The sentence, and the official: version 1 wrote no row for it, the
  // upgrade to 8 made every row from the stored article.
  EXPECT_EQ(hits->size(), 2u);
  store->reset();
  EXPECT_EQ(Count(db, "PRAGMA user_version"), kSchemaVersion);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM facts"), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM findings"), 0);
  // The index was rebuilt with the cheaper build settings of version 5,
  // then took the merge policy of a writable open (automerge off, merges of
  // 256 segments).
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'hashsize'"), 67108864);
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'automerge'"), 0);
  EXPECT_EQ(Count(db, "SELECT v FROM search_index_config WHERE k = 'crisismerge'"), 256);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'search_index' "
                      "AND sql LIKE '%content = %, columnsize = 0%'"), 1);
  // An existing database keeps the page size it was made with, and its
  // search index the default leaf size that fits it.
  EXPECT_EQ(Count(db, "PRAGMA page_size"), 4096);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM search_index_config WHERE k = 'pgsz'"), 0);
}

// New databases get large pages (fewer system calls per MB written); reopening
// one leaves them as they are.
TEST(FactStoreTest, NewDatabasesUseLargePages) {
  TempDir dir;
  const fs::path db = dir / "new.db";
  for (int open = 0; open < 2; ++open) {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->StoreArticle(MakeDocument("a.txt", "Bí thư Tỉnh ủy Trần Văn Nam phát biểu.", "Trần Văn Nam", "Tỉnh ủy"), "h1").ok());
  }
  EXPECT_EQ(Count(db, "PRAGMA page_size"), FactStore::kPageSize);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 1);
  // Search-index leaves of the target size fill most of a page and fit in
  // one (no overflow chains).
  const int64_t leaf = Count(db, "SELECT v FROM search_index_config WHERE k = 'pgsz'");
  EXPECT_GT(leaf, FactStore::kPageSize / 2);
  EXPECT_LT(leaf, FactStore::kPageSize - 35);
}

// Every row `sql` yields, columns quoted and separated by '|', one row per line.
std::string AllRows(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* statement = nullptr;
  std::string result;
  if (sqlite3_prepare_v2(handle, ("SELECT * FROM (" + sql + ")").c_str(), -1, &statement,
                         nullptr) != SQLITE_OK) {
    result = std::string("error: ") + sqlite3_errmsg(handle);
  }
  while (statement != nullptr && sqlite3_step(statement) == SQLITE_ROW) {
    for (int c = 0; c < sqlite3_column_count(statement); ++c) {
      const unsigned char* text = sqlite3_column_text(statement, c);
      result += text ? reinterpret_cast<const char*>(text) : "NULL";
      result += '|';
    }
    result += '\n';
  }
  sqlite3_finalize(statement);
  sqlite3_close(handle);
  return result;
}

// Version 7 rebuilt positions, document_mentions, quantities, dates and terms
// without their cascading key on article_id (and its index). An upgraded
// database holds the same rows, has the schema of a new one, and deleting
// an article still takes all of its rows, by the store or by a cascade.
TEST(FactStoreTest, UpgradeFromVersionSixKeepsEveryRow) {
  TempDir dir;
  const fs::path db = dir / "v6.db";
  {
    sqlite3* handle = nullptr;
    ASSERT_EQ(sqlite3_open(db.c_str(), &handle), SQLITE_OK);
    const std::string sql =
        ReadFile(fs::path(VNFACTS_SOURCE_DIR) / "tests/fixtures/vnfacts_schema_v6.sql");
    char* error = nullptr;
    ASSERT_EQ(sqlite3_exec(handle, sql.c_str(), nullptr, nullptr, &error), SQLITE_OK) << error;
    sqlite3_close(handle);
  }
  ASSERT_EQ(Count(db, "PRAGMA user_version"), 6);
  const std::vector<std::string> contents = {
      "SELECT * FROM positions ORDER BY id", "SELECT * FROM document_mentions ORDER BY fact_id",
      "SELECT * FROM quantities ORDER BY fact_id", "SELECT * FROM dates ORDER BY fact_id",
      "SELECT * FROM terms ORDER BY fact_id", "SELECT * FROM person_positions",
      "SELECT * FROM document_citations", "SELECT * FROM quantity_facts",
      "SELECT * FROM facts ORDER BY id", "SELECT * FROM people ORDER BY id",
      "SELECT * FROM documents ORDER BY id", "SELECT * FROM sentences"};
  std::vector<std::string> before;
  for (const std::string& sql : contents) before.push_back(AllRows(db, sql));
  ASSERT_NE(before[0], "");
  ASSERT_NE(before[2], "");
  ASSERT_NE(before[5], "");
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    EXPECT_EQ((*store)->schema_version(), kSchemaVersion);
  }
  for (size_t i = 0; i < contents.size(); ++i) {
    EXPECT_EQ(AllRows(db, contents[i]), before[i]) << contents[i];
  }
  // The upgrade to 8 made the search rows from the stored articles: those a
  // new database gets for the same articles, token for token.
  const fs::path copy = dir / "copy.db";
  {
    auto from = FactStore::Open(db.string());
    auto to = FactStore::Open(copy.string());
    ASSERT_TRUE(from.ok() && to.ok());
    auto cursor = (*from)->Articles();
    ASSERT_TRUE(cursor.ok());
    StoredArticle article;
    while ((*cursor)->Next(&article)) ASSERT_TRUE((*to)->Store(article).ok());
    ASSERT_TRUE((*cursor)->status().ok());
  }
  EXPECT_NE(SearchIndexContents(db), "");
  EXPECT_EQ(SearchIndexContents(db), SearchIndexContents(copy));
  const fs::path fresh = dir / "fresh.db";
  ASSERT_TRUE(FactStore::Open(fresh.string()).ok());
  const std::string schema =
      "SELECT type, name, tbl_name, sql FROM sqlite_master ORDER BY type, name";
  EXPECT_EQ(AllRows(db, schema), AllRows(fresh, schema));
  EXPECT_EQ(Count(db, "SELECT count(*) FROM sqlite_master WHERE name LIKE '%_v6' OR name LIKE '%_v7'"), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'index' "
                      "AND name LIKE '%_by_article' AND tbl_name <> 'facts' "
                      "AND tbl_name <> 'finding_articles'"),
            0);
  EXPECT_EQ(IntegrityCheck(db), "ok");

  // The store replaces an article of the upgraded database: its old rows go.
  const int64_t old_id = Count(db, "SELECT id FROM articles WHERE source = 'fx/in/a.txt'");
  ASSERT_GT(old_id, 0);
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    Document doc = MakeDocumentOfEveryKind(
        "fx/in/a.txt", "Bí thư Tỉnh ủy Hà Văn Tư ký Quy định 124-QĐ/TW.", "Hà Văn Tư");
    auto outcome = (*store)->StoreArticle(doc, ContentHash(doc.raw));
    ASSERT_TRUE(outcome.ok()) << outcome.status().message();
    EXPECT_EQ(*outcome, StoreOutcome::kReplaced);
  }
  for (const char* table : {"positions", "document_mentions", "quantities", "dates", "terms"}) {
    EXPECT_EQ(Count(db, std::string("SELECT count(*) FROM ") + table +
                            " WHERE article_id = " + std::to_string(old_id)),
              0)
        << table;
  }
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people WHERE name = 'Lê Văn Bình'"), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM people WHERE name = 'Hà Văn Tư'"), 1);
  EXPECT_EQ(Rows(db, "PRAGMA foreign_key_check"), "");

  // A connection that enforces foreign keys deletes an article's rows of
  // every table through the cascades that are left.
  Exec(db, "PRAGMA foreign_keys = ON; DELETE FROM articles");
  for (const char* table : {"sentences", "facts", "positions", "document_mentions", "quantities",
                            "dates", "terms"}) {
    EXPECT_EQ(Count(db, std::string("SELECT count(*) FROM ") + table), 0) << table;
  }
}

StoredArticle::Sentence Span(uint32_t begin, uint32_t end, uint32_t raw_begin, uint32_t raw_end,
                              SegmentKind kind) {
  StoredArticle::Sentence s;
  s.begin = begin;
  s.end = end;
  s.raw_begin = raw_begin;
  s.raw_end = raw_end;
  s.kind = kind;
  return s;
}

TEST(SentenceSpansTest, JsonRoundTripsEveryKindAndTheWholeOffsetRange) {
  const std::vector<StoredArticle::Sentence> sentences = {
      Span(0, 12, 0, 14, SegmentKind::kHeading), Span(12, 40, 14, 45, SegmentKind::kBody),
      Span(40, 41, 45, 46, SegmentKind::kCaption), Span(41, 50, 46, 58, SegmentKind::kByline),
      Span(50, 4294967295u, 58, 4294967295u, SegmentKind::kBoilerplate)};
  const std::string json = SentenceSpansJson(sentences);
  EXPECT_EQ(json.substr(0, 46), R"([[0,12,0,14,"heading"],[12,40,14,45,"body"],[4)");
  // The same text SQLite's own JSON functions make of the same values (the
  // upgrade to schema 10 packs old rows with them).
  const auto parsed = nlohmann::json::parse(json);
  EXPECT_EQ(parsed.dump(), json);
  std::vector<StoredArticle::Sentence> back = {Span(1, 2, 3, 4, SegmentKind::kBody)};
  std::string error;
  ASSERT_TRUE(ParseSentenceSpans(json, &back, &error)) << error;
  ASSERT_EQ(back.size(), sentences.size());
  for (size_t i = 0; i < sentences.size(); ++i) {
    EXPECT_EQ(back[i].begin, sentences[i].begin) << i;
    EXPECT_EQ(back[i].end, sentences[i].end) << i;
    EXPECT_EQ(back[i].raw_begin, sentences[i].raw_begin) << i;
    EXPECT_EQ(back[i].raw_end, sentences[i].raw_end) << i;
    EXPECT_EQ(back[i].kind, sentences[i].kind) << i;
  }
  EXPECT_EQ(SentenceSpansJson({}), "[]");
  ASSERT_TRUE(ParseSentenceSpans("[]", &back, &error));
  EXPECT_TRUE(back.empty());
}

TEST(SentenceSpansTest, AnythingElseIsRefusedWithTheReason) {
  const std::vector<std::pair<std::string, std::string>> bad = {
      {"", "sentence_spans is not a JSON array"},
      {R"([[0,1,0,1,"body"])", "sentence_spans is not a JSON array"},  // truncated
      {R"({"a":1})", "sentence_spans is not a JSON array"},
      {R"([[0,1,0,1]])", "sentence 0: not an array of 5 fields"},
      {R"([[0,1,0,1,"body"],[1,2,1,2,"body",3]])", "sentence 1: not an array of 5 fields"},
      {R"([[0,-1,0,1,"body"]])", "sentence 0: offset 1 is not a 32-bit unsigned integer"},
      {R"([[0,1.5,0,1,"body"]])", "sentence 0: offset 1 is not a 32-bit unsigned integer"},
      {R"([[0,1,"0",1,"body"]])", "sentence 0: offset 2 is not a 32-bit unsigned integer"},
      {R"([[0,1,0,4294967296,"body"]])", "sentence 0: offset 3 is not a 32-bit unsigned integer"},
      {R"([[0,1,0,1,7]])", "sentence 0: kind is not a string"},
      {R"([[0,1,0,1,"poem"]])", "sentence 0: unknown kind 'poem'"},
      {R"([[0,1,0,1,"body"]] [])", "sentence_spans is not a JSON array"},  // trailing content
      {R"([[0,1,0,1,"body"],])", "sentence_spans is not a JSON array"},
      {R"([[0,1e2,0,1,"body"]])", "sentence 0: offset 1 is not a 32-bit unsigned integer"},
      {R"([[0,1,0,1,"body"],[1,2,1,18446744073709551615,"body"]])",
       "sentence 1: offset 3 is not a 32-bit unsigned integer"},
      {R"([[0,1,0,1,"body"],[1,2,1,2,null]])", "sentence 1: kind is not a string"},
      {R"([[0,1,0,1,"body"],{"0":1}])", "sentence 1: not an array of 5 fields"},
  };
  for (const auto& [json, reason] : bad) {
    std::vector<StoredArticle::Sentence> out;
    std::string error;
    EXPECT_FALSE(ParseSentenceSpans(json, &out, &error)) << json;
    EXPECT_EQ(error, reason) << json;
  }
}

// A damaged sentence_spans column is reported with the article, never read
// as no sentences: by `merge` (the cursor) and by replacing the article
// (its search rows are made again from it to be deleted).
TEST(FactStoreTest, DamagedSentenceSpansAreReportedNotSkipped) {
  TempDir dir;
  const fs::path db = dir / "damaged.db";
  Document doc = MakeDocument("a.txt", "Bí thư Tỉnh ủy Lê Văn Bình dự họp.", "Lê Văn Bình",
                              "Tỉnh ủy");
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    ASSERT_TRUE((*store)->StoreArticle(doc, ContentHash(doc.raw)).ok());
  }
  EXPECT_EQ(Rows(db, "SELECT sentence_spans FROM articles"),
            "[[0," + std::to_string(doc.text.size()) + ",0," + std::to_string(doc.text.size()) +
                ",\"body\"]]");
  Exec(db, "UPDATE articles SET sentence_spans = '[[0,5,0,5,\"verse\"]]'");
  {
    auto store = FactStore::Open(db.string());
    ASSERT_TRUE(store.ok());
    auto cursor = (*store)->Articles();
    ASSERT_TRUE(cursor.ok());
    StoredArticle article;
    EXPECT_FALSE((*cursor)->Next(&article));
    EXPECT_NE((*cursor)->status().message().find("a.txt: stored sentences cannot be read back: "
                                                 "sentence 0: unknown kind 'verse'"),
              std::string::npos)
        << (*cursor)->status().message();
    doc.raw += " ";
    auto replaced = (*store)->StoreArticle(doc, ContentHash(doc.raw));
    ASSERT_FALSE(replaced.ok());
    EXPECT_NE(replaced.status().message().find("sentences of stored article"), std::string::npos)
        << replaced.status().message();
  }
  // Nothing was lost: the article is still there, as it was.
  EXPECT_EQ(Count(db, "SELECT count(*) FROM facts"), 1);
}

TEST(FactStoreTest, RefusesNewerSchemaAndForeignFiles) {
  TempDir dir;
  {
    sqlite3* handle = nullptr;
    sqlite3_open((dir / "newer.db").c_str(), &handle);
    sqlite3_exec(handle, "CREATE TABLE x(a); PRAGMA user_version = 99;", nullptr, nullptr, nullptr);
    sqlite3_close(handle);
  }
  auto newer = FactStore::Open((dir / "newer.db").string());
  ASSERT_FALSE(newer.ok());
  EXPECT_NE(newer.status().message().find("newer"), std::string::npos) << newer.status().message();

  WriteFile(dir / "text.db", "this is not a database, just some text\n");
  auto foreign = FactStore::Open((dir / "text.db").string());
  ASSERT_FALSE(foreign.ok());
  EXPECT_NE(foreign.status().message().find("text.db"), std::string::npos);

  {
    sqlite3* handle = nullptr;
    sqlite3_open((dir / "other.db").c_str(), &handle);
    sqlite3_exec(handle, "CREATE TABLE invoices(a);", nullptr, nullptr, nullptr);
    sqlite3_close(handle);
  }
  auto other = FactStore::Open((dir / "other.db").string());
  ASSERT_FALSE(other.ok());
  EXPECT_NE(other.status().message().find("not a vnfacts database"), std::string::npos);

  // The read-only commands say the same.
  auto newer_read = FactStore::OpenReadOnly((dir / "newer.db").string());
  ASSERT_FALSE(newer_read.ok());
  EXPECT_NE(newer_read.status().message().find("is newer than this vnfacts"), std::string::npos)
      << newer_read.status().message();
  auto other_read = FactStore::OpenReadOnly((dir / "other.db").string());
  ASSERT_FALSE(other_read.ok());
  EXPECT_NE(other_read.status().message().find("not a vnfacts database"), std::string::npos);
  EXPECT_EQ(Count(dir / "other.db", "SELECT count(*) FROM sqlite_master"), 1);  // left alone
}

TEST(FactStoreTest, ReadersUpgradeADatabaseOfAnOlderVersion) {
  TempDir dir;
  const fs::path db = dir / "facts.db";
  WriteFixture(db, "vnfacts_schema_v6.sql");
  ASSERT_EQ(Count(db, "PRAGMA user_version"), 6);
  // `search`, `show`, `export` and `merge` open this way.
  auto reader = FactStore::OpenReadOnly(db.string());
  ASSERT_TRUE(reader.ok()) << reader.status().message();
  EXPECT_EQ((*reader)->schema_version(), kSchemaVersion);
  auto hits = (*reader)->Search("le van binh", "official", 10);
  ASSERT_TRUE(hits.ok());
  EXPECT_EQ(hits->size(), 1u);
  reader->reset();
  EXPECT_EQ(Count(db, "PRAGMA user_version"), kSchemaVersion);
}

// --- The CLI on real files -------------------------------------------------

std::string ArticleText(int i) {
  // Varied, self-written articles: each mentions a person, a code and figures.
  std::ostringstream a;
  a << "Sáng " << (i % 28 + 1) << "/" << (i % 12 + 1) << ", Ban Dân vận Tỉnh ủy tổ chức hội nghị số "
    << i << ".\n";
  a << "Dự hội nghị có đồng chí Trần Văn Nam" << (i % 3) << ", Phó Bí thư Tỉnh ủy.\n";
  for (int k = 0; k < 20; ++k) {
    a << "Năm 2023, các cấp đã xây dựng " << (1000 + i * 7 + k) << " mô hình theo Quy định số 124-QĐ/TW, "
      << "ngày 2/2/2018 và tổ chức " << (i + k) << " hội nghị đối thoại.\n";
  }
  return a.str();
}

int RunCli(const std::vector<std::string>& args) {
  pid_t pid = fork();
  if (pid == 0) {
    std::vector<char*> argv;
    std::string cli = VNFACTS_CLI_PATH;
    argv.push_back(cli.data());
    std::vector<std::string> copy = args;
    for (auto& a : copy) argv.push_back(a.data());
    argv.push_back(nullptr);
    freopen("/dev/null", "w", stdout);
    execv(cli.c_str(), argv.data());
    _exit(127);
  }
  int status = 0;
  waitpid(pid, &status, 0);
  return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

std::string CliOutput(const std::string& args) {
  std::string command = std::string(VNFACTS_CLI_PATH) + " " + args + " 2>/dev/null";
  FILE* pipe = popen(command.c_str(), "r");
  std::string output;
  char buffer[4096];
  size_t n;
  while ((n = fread(buffer, 1, sizeof buffer, pipe)) > 0) output.append(buffer, n);
  pclose(pipe);
  return output;
}

// Everything a user can see of a database, for comparing two of them.
std::string Dump(const std::string& db) {
  std::string dump = CliOutput("export --db " + db);
  for (const char* table : {"articles", "facts", "people", "positions", "documents",
                            "document_mentions", "quantities", "dates", "terms"}) {
    dump += std::string(table) + "=" +
            std::to_string(Count(db, std::string("SELECT count(*) FROM ") + table)) + "\n";
  }
  return dump + SearchIndexContents(db);
}

TEST(RunCommandTest, NumberOfJobsDoesNotChangeTheDatabase) {
  TempDir dir;
  for (int i = 0; i < 40; ++i) WriteFile(dir / ("in/a" + std::to_string(100 + i) + ".txt"), ArticleText(i));
  const std::string in = (dir / "in").string();
  ASSERT_EQ(RunCli({"run", "--jobs", "1", "--db", (dir / "j1.db").string(), in}), 0);
  ASSERT_EQ(RunCli({"run", "--jobs", "3", "--db", (dir / "j3.db").string(), in}), 0);
  const std::string one = Dump((dir / "j1.db").string());
  EXPECT_EQ(one, Dump((dir / "j3.db").string()));
  // Article ids follow input order whatever the number of workers.
  EXPECT_EQ(Count(dir / "j3.db", "SELECT count(*) FROM articles a JOIN articles b "
                                 "ON a.id < b.id AND a.source > b.source"), 0);
  // Nor does the commit period: one transaction per article stores the same.
  ASSERT_EQ(RunCli({"run", "--commit-every", "0", "--db", (dir / "c0.db").string(), in}), 0);
  EXPECT_EQ(one, Dump((dir / "c0.db").string()));
  for (const char* bad : {"-1", "nan", "1e9"}) {
    EXPECT_EQ(RunCli({"run", "--commit-every", bad, "--db", (dir / "bad.db").string(), in}), 2)
        << bad;
  }
  EXPECT_FALSE(fs::exists(dir / "bad.db"));
}

TEST(RunCommandTest, ShardedRunsMergedEqualASingleRun) {
  TempDir dir;
  for (int i = 0; i < 30; ++i) WriteFile(dir / ("in/a" + std::to_string(100 + i) + ".txt"), ArticleText(i));
  const std::string in = (dir / "in").string();
  ASSERT_EQ(RunCli({"run", "--db", (dir / "single.db").string(), in}), 0);
  std::vector<std::string> merge_args = {"merge", (dir / "merged.db").string()};
  int64_t total = 0;
  for (int shard = 0; shard < 3; ++shard) {
    const std::string db = (dir / ("shard" + std::to_string(shard) + ".db")).string();
    // Shards as the Slurm array runs them, without a search index, and one
    // with: the merge indexes what it stores either way.
    std::vector<std::string> args = {"run", "--shard", std::to_string(shard) + "/3", "--db", db, in};
    if (shard != 1) args.push_back("--no-search-index");
    ASSERT_EQ(RunCli(args), 0);
    EXPECT_EQ(Count(db, "SELECT count(*) FROM sqlite_master WHERE name = 'search_index'"),
              shard == 1 ? 1 : 0);
    total += Count(db, "SELECT count(*) FROM articles");
    merge_args.push_back(db);
  }
  EXPECT_EQ(total, 30);
  ASSERT_EQ(RunCli(merge_args), 0);
  EXPECT_EQ(Dump((dir / "single.db").string()), Dump((dir / "merged.db").string()));
  EXPECT_EQ(RunCli({"run", "--shard", "3/3", "--db", (dir / "x.db").string(), in}), 2);
}

TEST(RunCommandTest, ARunWithoutSearchIndexIndexedLaterEqualsARunWithIt) {
  TempDir dir;
  for (int i = 0; i < 12; ++i) WriteFile(dir / ("in/a" + std::to_string(100 + i) + ".txt"), ArticleText(i));
  const std::string in = (dir / "in").string();
  const std::string with = (dir / "with.db").string(), without = (dir / "without.db").string();
  ASSERT_EQ(RunCli({"run", "--db", with, in}), 0);
  ASSERT_EQ(RunCli({"run", "--no-search-index", "--db", without, in}), 0);
  EXPECT_EQ(Count(without, "SELECT count(*) FROM sqlite_master WHERE name = 'search_index'"), 0);
  EXPECT_EQ(RunCli({"search", "--db", without, "dan van"}), 2);
  EXPECT_EQ(CliOutput("search --db " + without + " dan van"), "");
  // A later run over changed articles, without the option, keeps the
  // database as it is: still no index, but the articles replaced.
  WriteFile(dir / "in/a103.txt", ArticleText(77));
  ASSERT_EQ(RunCli({"run", "--db", with, in}), 0);
  ASSERT_EQ(RunCli({"run", "--db", without, in}), 0);
  EXPECT_EQ(Count(without, "SELECT count(*) FROM sqlite_master WHERE name = 'search_index'"), 0);
  EXPECT_EQ(RunCli({"index", "--db", without}), 0);
  EXPECT_EQ(Dump(without), Dump(with));
  EXPECT_EQ(CliOutput("search --db " + without + " --format jsonl --limit 1000 tinh uy"),
            CliOutput("search --db " + with + " --format jsonl --limit 1000 tinh uy"));
  EXPECT_NE(CliOutput("search --db " + with + " --format jsonl --limit 1000 tinh uy"), "");
  // On a database with the index, `index` merges its segments; searches
  // find the same.
  const std::string merged = "vnfacts index: search index of " + without + " merged into one";
  EXPECT_EQ(CliOutput("index --db " + without).rfind(merged + " segment in ", 0), 0u);
  EXPECT_EQ(CliOutput("search --db " + without + " --format jsonl --limit 1000 tinh uy"),
            CliOutput("search --db " + with + " --format jsonl --limit 1000 tinh uy"));
  EXPECT_EQ(RunCli({"index", "--db", (dir / "missing.db").string()}), 2);
  EXPECT_FALSE(fs::exists(dir / "missing.db"));
}

TEST(RunCommandTest, SecondRunAddsNothing) {
  TempDir dir;
  for (int i = 0; i < 5; ++i) WriteFile(dir / ("in/a" + std::to_string(i) + ".txt"), ArticleText(i));
  const std::string db = (dir / "facts.db").string();
  ASSERT_EQ(RunCli({"run", "--db", db, (dir / "in").string()}), 0);
  const int64_t articles = Count(db, "SELECT count(*) FROM articles");
  const int64_t facts = Count(db, "SELECT count(*) FROM facts");
  const std::string index = SearchIndexContents(db);
  ASSERT_NE(index, "");
  EXPECT_EQ(articles, 5);
  ASSERT_EQ(RunCli({"run", "--db", db, (dir / "in").string()}), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), articles);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM facts"), facts);
  EXPECT_EQ(SearchIndexContents(db), index);
}

TEST(RunCommandTest, BadInputIsReportedAndTheRunGoesOn) {
  TempDir dir;
  WriteFile(dir / "in/good.txt", ArticleText(1));
  WriteFile(dir / "in/bad.txt", std::string("Hà Nội \xC3\x28 sai", 12));
  const std::string db = (dir / "facts.db").string();
  EXPECT_EQ(RunCli({"run", "--db", db, (dir / "in").string(), (dir / "missing.txt").string()}), 1);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), 1);
}

TEST(RunCommandTest, KilledRunsLeaveAConsistentDatabaseThatAReRunCompletes) {
  TempDir dir;
  const int kArticles = 400;
  for (int i = 0; i < kArticles; ++i) {
    WriteFile(dir / ("in/a" + std::to_string(1000 + i) + ".txt"), ArticleText(i));
  }
  const std::string clean_db = (dir / "clean.db").string();
  const auto clean_start = std::chrono::steady_clock::now();
  ASSERT_EQ(RunCli({"run", "--db", clean_db, (dir / "in").string()}), 0);
  const int clean_ms = static_cast<int>(std::chrono::duration_cast<std::chrono::milliseconds>(
                                            std::chrono::steady_clock::now() - clean_start)
                                            .count());
  const std::string clean_dump = Dump(clean_db);

  // SIGKILL the run at 20 random moments, each time on the database the last
  // killed run left; every time it must be consistent with no half-stored article.
  const std::string db = (dir / "killed.db").string();
  std::srand(20261123);
  int killed = 0;
  for (int round = 0; round < 20; ++round) {
    pid_t pid = fork();
    if (pid == 0) {
      freopen("/dev/null", "w", stdout);
      freopen("/dev/null", "w", stderr);
      std::string cli = VNFACTS_CLI_PATH;
      // Even rounds commit small batches often, odd rounds use the default
      // (one batch, committed at the end), so kills land both inside a batch
      // and between batches.
      std::string run = "run", db_flag = "--db", db_path = db, in = (dir / "in").string(),
                  commit = round % 2 == 0 ? "--commit-every=0.01" : "--commit-every=2";
      char* argv[] = {cli.data(),     run.data(), commit.data(), db_flag.data(),
                      db_path.data(), in.data(),  nullptr};
      execv(cli.c_str(), argv);
      _exit(127);
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(std::rand() % std::max(1, clean_ms / 4)));
    kill(pid, SIGKILL);
    int status = 0;
    waitpid(pid, &status, 0);
    if (WIFSIGNALED(status)) ++killed;
    if (!fs::exists(db)) continue;
    ASSERT_EQ(IntegrityCheck(db), "ok") << "after kill " << round;
    // Killed while creating the schema: all migration steps are one
    // transaction, so the file holds the whole schema or none, and the next
    // run creates it.
    const int64_t tables = Count(db, "SELECT count(*) FROM sqlite_master WHERE type = 'table'");
    if (tables == 0) continue;
    const int64_t version = Count(db, "PRAGMA user_version");
    ASSERT_GE(version, 1) << "after kill " << round;
    ASSERT_LE(version, kSchemaVersion) << "after kill " << round;
    if (version < kSchemaVersion) continue;
    EXPECT_EQ(Count(db, "SELECT count(*) FROM articles a WHERE NOT EXISTS "
                        "(SELECT 1 FROM sentences s WHERE s.article_id = a.id)"), 0);
    EXPECT_EQ(Count(db, "SELECT count(*) FROM facts f WHERE NOT EXISTS "
                        "(SELECT 1 FROM articles a WHERE a.id = f.article_id)"), 0);
  }
  EXPECT_GE(killed, 10) << "most runs should have been killed mid-way";
  ASSERT_EQ(RunCli({"run", "--db", db, (dir / "in").string()}), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), kArticles);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  // The re-run ends with exactly the facts of a clean run.
  EXPECT_EQ(Dump(db), clean_dump);
}

TEST(RunCommandTest, CtrlCStopsCleanlyAndAReRunCompletes) {
  TempDir dir;
  const int kArticles = 1500;
  for (int i = 0; i < kArticles; ++i) {
    WriteFile(dir / ("in/a" + std::to_string(10000 + i) + ".txt"), ArticleText(i));
  }
  const std::string db = (dir / "facts.db").string();
  pid_t pid = fork();
  if (pid == 0) {
    freopen("/dev/null", "w", stdout);
    freopen("/dev/null", "w", stderr);
    std::string cli = VNFACTS_CLI_PATH;
    // Frequent commits, so the test can wait until some articles are stored.
    std::string run = "run", jobs = "--jobs=1", commit = "--commit-every=0.02", db_flag = "--db",
                db_path = db, in = (dir / "in").string();
    char* argv[] = {cli.data(),     run.data(),     jobs.data(), commit.data(),
                    db_flag.data(), db_path.data(), in.data(),   nullptr};
    execv(cli.c_str(), argv);
    _exit(127);
  }
  // Interrupt once a few articles are stored.
  for (int waited = 0; waited < 4000; ++waited) {
    std::this_thread::sleep_for(std::chrono::milliseconds(5));
    if (fs::exists(db) && CountOrMinusOne(db, "SELECT count(*) FROM articles") > 20) break;
  }
  kill(pid, SIGINT);
  int status = 0;
  waitpid(pid, &status, 0);
  ASSERT_TRUE(WIFEXITED(status)) << "Ctrl-C must end the run itself, not kill it";
  const int64_t stored = Count(db, "SELECT count(*) FROM articles");
  if (stored == kArticles) GTEST_SKIP() << "the run finished before the interrupt arrived";
  EXPECT_EQ(WEXITSTATUS(status), 130);
  EXPECT_EQ(IntegrityCheck(db), "ok");
  ASSERT_EQ(RunCli({"run", "--db", db, (dir / "in").string()}), 0);
  EXPECT_EQ(Count(db, "SELECT count(*) FROM articles"), kArticles);
}

}  // namespace
}  // namespace vnfacts
