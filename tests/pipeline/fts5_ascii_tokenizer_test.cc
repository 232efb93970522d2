// The ASCII tokenizer (pipeline/fts5_ascii_tokenizer.h) must make the search
// index SQLite's unicode61 makes, byte for byte: the same rows are indexed
// (and some deleted again) on a connection with it and on one without, and
// every row of the index's shadow tables is compared. Rows: hostile strings,
// the sample articles and the seeds, raw and folded; then whole databases
// written by the store, and what `search` finds in them.
#include "pipeline/fts5_ascii_tokenizer.h"

#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <algorithm>
#include <cstdlib>
#include <filesystem>
#include <iostream>
#include <string>
#include <vector>

#include "pipeline/store.h"
#include "pipeline/text_fold.h"
#include "tests/test_files.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

const fs::path kSeedDir = fs::path(VNFACTS_SHARED_DIR) / "corpus" / "seeds";

// The store's declaration of the index (pipeline/store.cc, schema 8 on, with
// a new database's 16 KB leaves).
constexpr const char* kStoreTokenize = "unicode61";
std::string CreateIndex(const std::string& tokenize) {
  return "CREATE VIRTUAL TABLE search_index USING fts5(folded, tokenize = \"" + tokenize +
         "\", content = '', columnsize = 0);"
         "INSERT INTO search_index (search_index, rank) VALUES ('automerge', 16);"
         "INSERT INTO search_index (search_index, rank) VALUES ('hashsize', 67108864);"
         "INSERT INTO search_index (search_index, rank) VALUES ('pgsz', 16000);";
}

class Connection {
 public:
  explicit Connection(const std::string& path) { sqlite3_open(path.c_str(), &db_); }
  ~Connection() { sqlite3_close(db_); }
  sqlite3* get() const { return db_; }
  void Exec(const std::string& sql) {
    char* error = nullptr;
    if (sqlite3_exec(db_, sql.c_str(), nullptr, nullptr, &error) != SQLITE_OK) {
      ADD_FAILURE() << sql << ": " << (error ? error : "");
    }
    sqlite3_free(error);
  }
  // Runs `sql` with `text` (as text, of exactly its bytes) and `rowid` bound.
  void Run(const char* sql, int64_t rowid, const std::string& text) {
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, sql, -1, &statement, nullptr), SQLITE_OK) << sqlite3_errmsg(db_);
    sqlite3_bind_int64(statement, 1, rowid);
    sqlite3_bind_text(statement, 2, text.data(), static_cast<int>(text.size()), SQLITE_STATIC);
    EXPECT_EQ(sqlite3_step(statement), SQLITE_DONE) << sqlite3_errmsg(db_);
    sqlite3_finalize(statement);
  }
  // Every row of every table whose name starts with `prefix`, each value
  // as its type and bytes in hex.
  std::string Dump(const std::string& prefix) {
    std::vector<std::string> tables;
    Each("SELECT name FROM sqlite_schema WHERE type = 'table' AND name LIKE '" + prefix +
             "%' ORDER BY name",
         [&](sqlite3_stmt* s) {
           tables.emplace_back(reinterpret_cast<const char*>(sqlite3_column_text(s, 0)));
         });
    std::string dump;
    for (const std::string& table : tables) {
      dump += "table " + table + "\n";
      Each("SELECT * FROM \"" + table + "\" ORDER BY 1, 2", [&](sqlite3_stmt* s) {
        for (int c = 0; c < sqlite3_column_count(s); ++c) {
          const int type = sqlite3_column_type(s, c);
          const auto* bytes = static_cast<const unsigned char*>(sqlite3_column_blob(s, c));
          const int size = sqlite3_column_bytes(s, c);
          dump += std::to_string(type) + ":";
          for (int i = 0; i < size; ++i) {
            static constexpr char kHex[] = "0123456789abcdef";
            dump += kHex[bytes[i] >> 4];
            dump += kHex[bytes[i] & 15];
          }
          dump += ' ';
        }
        dump += '\n';
      });
    }
    return dump;
  }
  std::string Matches(const std::string& query) {
    std::string rowids;
    sqlite3_stmt* statement = nullptr;
    if (sqlite3_prepare_v2(db_, "SELECT rowid FROM search_index WHERE search_index MATCH ?1",
                           -1, &statement, nullptr) != SQLITE_OK) {
      ADD_FAILURE() << sqlite3_errmsg(db_);
      return "";
    }
    sqlite3_bind_text(statement, 1, query.data(), static_cast<int>(query.size()), SQLITE_STATIC);
    int rc;
    while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
      rowids += std::to_string(sqlite3_column_int64(statement, 0)) + " ";
    }
    if (rc != SQLITE_DONE) rowids += std::string("error: ") + sqlite3_errmsg(db_);
    sqlite3_finalize(statement);
    return rowids;
  }

 private:
  template <typename F>
  void Each(const std::string& sql, F on_row) {
    sqlite3_stmt* statement = nullptr;
    ASSERT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK)
        << sql << ": " << sqlite3_errmsg(db_);
    while (sqlite3_step(statement) == SQLITE_ROW) on_row(statement);
    sqlite3_finalize(statement);
  }
  sqlite3* db_ = nullptr;
};

// The index of `rows` (row ids from -1000 up, in order, in one transaction,
// as the store writes a batch), after deleting every third row again in a
// second one; dumped before and after the deletion. With `ours`, the
// connection has the ASCII tokenizer.
std::string IndexOf(const std::vector<std::string>& rows, bool ours,
                    const std::string& tokenize = kStoreTokenize) {
  Connection db(":memory:");
  if (ours) {
    const Status registered = RegisterAsciiUnicode61(db.get());
    EXPECT_TRUE(registered.ok()) << registered.message();
  }
  db.Exec(CreateIndex(tokenize));
  db.Exec("BEGIN");
  for (size_t i = 0; i < rows.size(); ++i) {
    db.Run("INSERT INTO search_index (rowid, folded) VALUES (?1, ?2)", static_cast<int64_t>(i) - 1000,
           rows[i]);
  }
  db.Exec("COMMIT");
  std::string dump = db.Dump("search_index_");
  db.Exec("BEGIN");
  for (size_t i = 0; i < rows.size(); i += 3) {
    db.Run("INSERT INTO search_index (search_index, rowid, folded) VALUES ('delete', ?1, ?2)",
           static_cast<int64_t>(i) - 1000, rows[i]);
  }
  db.Exec("COMMIT");
  return dump + "after deleting:\n" + db.Dump("search_index_");
}

std::vector<std::string> HostileRows() {
  std::vector<std::string> rows;
  std::string all(128, '\0');
  for (int c = 0; c < 128; ++c) all[c] = static_cast<char>(c);
  rows.push_back(all);
  rows.emplace_back(all.rbegin(), all.rend());
  for (int c = 0; c < 128; ++c) {
    const std::string byte(1, static_cast<char>(c));
    rows.push_back(byte);
    rows.push_back("ab" + byte + "cd" + byte + byte + "9" + byte);
    rows.push_back(byte + "ha noi" + byte);
  }
  for (const char* row : {"", " ", "\n\n", "ha noi", "Ha Noi", "HA NOI", "hà nội", "Hà Nội",
                          "ha noi đa nang", "đ", "ha\xcc\x80 noi", "2018abc x2y3 124-qd/tw",
                          "abc_def __init__ _", "don't it's 'quoted' \"q\"", "a.b,c;d:e!f?g",
                          "tab\tsep\rcr\vvt\ffeed", "e\xcc\x81t", "\xff\xfe bad", "\xc3 lone",
                          "x\xe2\x80\x8by", "ＡＢＣ full width", "caf\xc3\xa9 CAF\xc3\x89",
                          "1.300 thi sinh, 2/2/2018", "MiXeD CaSe 42A b7C"}) {
    rows.emplace_back(row);
  }
  // Every length around the 64-byte blocks the split works in: one token,
  // and tokens of one to three bytes, ending the row or not.
  for (int n = 1; n <= 200; ++n) {
    rows.push_back(std::string(n, 'x'));
    std::string mixed;
    for (int i = 0; i < n; ++i) mixed += "ab c9-Z"[i % 7];
    rows.push_back(mixed);
  }
  // Tokens longer than FTS5 keeps (32 KB), in either case, and a row of them.
  rows.push_back(std::string(40000, 'a'));
  rows.push_back(std::string(40000, 'Q') + " tail");
  rows.push_back(std::string(70000, '7') + "x " + std::string(9, 'z'));
  std::string many;
  for (int i = 0; i < 5000; ++i) many += "w" + std::to_string(i % 97) + (i % 5 ? " " : "-");
  rows.push_back(many);
  return rows;
}

// Each line of every file under `dir` as it is and folded as the store folds
// search text, then each file folded whole.
std::vector<std::string> ArticleRows(const fs::path& dir) {
  std::vector<fs::path> files;
  for (const auto& entry : fs::recursive_directory_iterator(dir)) {
    if (entry.is_regular_file()) files.push_back(entry.path());
  }
  std::sort(files.begin(), files.end());
  std::vector<std::string> rows;
  for (const fs::path& file : files) {
    const std::string text = test_files::ReadFile(file);
    size_t begin = 0;
    while (begin <= text.size()) {
      size_t end = text.find('\n', begin);
      if (end == std::string::npos) end = text.size();
      const std::string line = text.substr(begin, end - begin);
      rows.push_back(line);
      rows.push_back(FoldDiacritics(line));
      begin = end + 1;
    }
    rows.push_back(FoldDiacritics(text));
  }
  return rows;
}

TEST(AsciiUnicode61Test, HostileRowsMakeTheSameIndex) {
  const std::vector<std::string> rows = HostileRows();
  const std::string ours = IndexOf(rows, true);
  EXPECT_GT(ours.size(), 10000u);
  EXPECT_TRUE(ours == IndexOf(rows, false));
}

TEST(AsciiUnicode61Test, SampleArticlesMakeTheSameIndex) {
  const std::vector<std::string> rows = ArticleRows(fs::path(VNFACTS_SOURCE_DIR) / "corpus");
  ASSERT_GT(rows.size(), 1000u);
  EXPECT_TRUE(IndexOf(rows, true) == IndexOf(rows, false));
}

TEST(AsciiUnicode61Test, SeedArticlesMakeTheSameIndex) {
  if (!fs::is_directory(kSeedDir)) GTEST_SKIP() << "seed articles not found at " << kSeedDir;
  const std::vector<std::string> rows = ArticleRows(kSeedDir);
  ASSERT_FALSE(rows.empty());
  EXPECT_TRUE(IndexOf(rows, true) == IndexOf(rows, false));
}

TEST(AsciiUnicode61Test, TokenizerArgumentsGoToTheBuiltInTokenizer) {
  // With arguments the ASCII rule may not hold ('_' a token character here).
  const std::vector<std::string> rows = HostileRows();
  for (const char* tokenize : {"unicode61 tokenchars '_'", "unicode61 separators 'x'",
                               "unicode61 remove_diacritics 0", "ascii", "porter"}) {
    EXPECT_TRUE(IndexOf(rows, true, tokenize) == IndexOf(rows, false, tokenize)) << tokenize;
  }
  EXPECT_FALSE(IndexOf(rows, true, "unicode61 tokenchars '_'") == IndexOf(rows, true));
}

TEST(AsciiUnicode61Test, QueriesFindTheSameRows) {
  const std::vector<std::string> rows = HostileRows();
  Connection ours(":memory:"), builtin(":memory:");
  ASSERT_TRUE(RegisterAsciiUnicode61(ours.get()).ok());
  for (Connection* db : {&ours, &builtin}) {
    db->Exec(CreateIndex(kStoreTokenize));
    for (size_t i = 0; i < rows.size(); ++i) {
      db->Run("INSERT INTO search_index (rowid, folded) VALUES (?1, ?2)", static_cast<int64_t>(i),
              rows[i]);
    }
  }
  for (const char* query : {"ha noi", "HA NOI", "hà nội", "\"ha noi\"", "ha*", "2018abc", "def",
                            "abc", "cd", "q", "w13 w14", "NEAR(ha noi, 2)", "caf*"}) {
    const std::string found = ours.Matches(query);
    EXPECT_EQ(found, builtin.Matches(query)) << query;
    EXPECT_FALSE(found.empty()) << query;
  }
}

// --- Whole databases written by the store -----------------------------------

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() / ("vnfacts_fts5_test_" + std::to_string(::getpid()));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() { fs::remove_all(path_); }
  fs::path operator/(const std::string& name) const { return path_ / name; }

 private:
  fs::path path_;
};

int RunCli(const std::string& args) {
  return std::system((std::string(VNFACTS_CLI_PATH) + " " + args + " >/dev/null 2>&1").c_str());
}

TEST(AsciiUnicode61Test, StoredArticlesMakeTheSameIndexAndSearchResults) {
  TempDir dir;
  // Real sentences and facts: the sample articles and the seeds, run.
  std::string inputs = (fs::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles").string();
  if (fs::is_directory(kSeedDir)) {
    inputs += " " + kSeedDir.string();
  } else {
    std::cout << "seed articles not found at " << kSeedDir << "; the sample articles only\n";
  }
  const fs::path source = dir / "source.db";
  ASSERT_EQ(RunCli("run --quiet --db " + source.string() + " " + inputs), 0);
  std::vector<StoredArticle> articles;
  {
    auto store = FactStore::OpenReadOnly(source.string());
    ASSERT_TRUE(store.ok()) << store.status().message();
    auto cursor = (*store)->Articles();
    ASSERT_TRUE(cursor.ok());
    StoredArticle article;
    while ((*cursor)->Next(&article)) articles.push_back(article);
    ASSERT_TRUE((*cursor)->status().ok());
  }
  ASSERT_GE(articles.size(), 90u);

  // Stored in one batch, then a third replaced by another article's content
  // (FTS5 'delete' of their rows, with the text folded again) in a second.
  auto write = [&](const fs::path& db, bool ascii_tokenizer) {
    FactStoreOptions options;
    options.ascii_tokenizer = ascii_tokenizer;
    auto store = FactStore::Open(db.string(), options);
    ASSERT_TRUE(store.ok()) << store.status().message();
    ASSERT_TRUE((*store)->BeginBatch().ok());
    for (const StoredArticle& article : articles) ASSERT_TRUE((*store)->Store(article).ok());
    ASSERT_TRUE((*store)->CommitBatch().ok());
    ASSERT_TRUE((*store)->BeginBatch().ok());
    for (size_t i = 0; i + 1 < articles.size(); i += 3) {
      StoredArticle replacing = articles[i + 1];
      replacing.source = articles[i].source;
      replacing.content_hash = "replaced " + articles[i].content_hash;
      auto outcome = (*store)->Store(replacing);
      ASSERT_TRUE(outcome.ok()) << outcome.status().message();
      EXPECT_EQ(*outcome, StoreOutcome::kReplaced);
    }
    ASSERT_TRUE((*store)->CommitBatch().ok());
  };
  const fs::path ours = dir / "ours.db", builtin = dir / "builtin.db";
  write(ours, true);
  write(builtin, false);
  const std::string index = Connection(ours.string()).Dump("search_index_");
  EXPECT_GT(index.size(), 100000u);
  EXPECT_TRUE(index == Connection(builtin.string()).Dump("search_index_"));

  auto ours_store = FactStore::OpenReadOnly(ours.string());
  auto builtin_store = FactStore::OpenReadOnly(builtin.string());
  ASSERT_TRUE(ours_store.ok() && builtin_store.ok());
  for (const char* query : {"ha noi", "Hà Nội", "tinh uy", "bi thu", "quy dinh", "124-QĐ/TW",
                            "2018", "nghe an", "dan v*", "ty dong", "phó chủ tịch"}) {
    auto a = (*ours_store)->Search(query, "", 100000);
    auto b = (*builtin_store)->Search(query, "", 100000);
    ASSERT_TRUE(a.ok() && b.ok()) << query;
    ASSERT_EQ(a->size(), b->size()) << query;
    for (size_t i = 0; i < a->size(); ++i) {
      EXPECT_EQ((*a)[i].source, (*b)[i].source) << query;
      EXPECT_EQ((*a)[i].fact_id, (*b)[i].fact_id) << query;
      EXPECT_EQ((*a)[i].snippet, (*b)[i].snippet) << query;
    }
  }
  auto common = (*ours_store)->Search("ha noi", "", 100000);
  ASSERT_TRUE(common.ok());
  EXPECT_FALSE(common->empty());
}

}  // namespace
}  // namespace vnfacts
