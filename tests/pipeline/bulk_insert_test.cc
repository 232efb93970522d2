// BulkInsert against one statement per row: the same rows, the same rowids,
// for counts around every statement size, and nothing left over after a
// refused or incomplete flush.
#include "pipeline/bulk_insert.h"

#include <gtest/gtest.h>

#include <string>
#include <vector>

namespace vnfacts {
namespace {

std::string Contents(SQLite::Database& db, const std::string& table) {
  SQLite::Statement select(db, "SELECT rowid, a, b, c, d FROM " + table + " ORDER BY rowid");
  std::string out;
  while (select.executeStep()) {
    for (int c = 0; c < 5; ++c) {
      SQLite::Column column = select.getColumn(c);
      out += column.isNull() ? std::string("NULL") : column.getString();
      out += c < 4 ? '|' : '\n';
    }
  }
  return out;
}

class BulkInsertTest : public ::testing::Test {
 protected:
  void SetUp() override {
    db_.exec(
        "CREATE TABLE one (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b REAL, c TEXT, d TEXT);"
        "CREATE TABLE bulk (id INTEGER PRIMARY KEY, a INTEGER NOT NULL, b REAL, c TEXT, d TEXT);"
        "CREATE INDEX bulk_by_c ON bulk(c);");
  }
  SQLite::Database db_{":memory:", SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE};
};

TEST_F(BulkInsertTest, SameRowsAndRowidsAsOneStatementPerRow) {
  BulkInsert bulk(db_, "INSERT INTO bulk (a, b, c, d)", 4);
  SQLite::Statement one(db_, "INSERT INTO one (a, b, c, d) VALUES (?, ?, ?, ?)");
  int64_t value = 0;
  // Around each statement size, and past the largest several times.
  for (size_t n : {size_t{0}, size_t{1}, size_t{2}, size_t{3}, size_t{7}, size_t{31}, size_t{32},
                   size_t{33}, size_t{63}, size_t{64}, size_t{65}, size_t{100}}) {
    std::vector<std::string> texts;
    std::vector<std::optional<std::string>> optionals;
    for (size_t i = 0; i < n; ++i) {
      texts.push_back("chữ " + std::to_string(value + i));
      optionals.push_back(i % 3 ? std::optional<std::string>(texts.back()) : std::nullopt);
    }
    for (size_t i = 0; i < n; ++i, ++value) {
      bulk.Int(value);
      bulk.Real(value * 0.5);
      bulk.Text(texts[i]);
      bulk.OptionalText(optionals[i]);
      one.reset();
      one.bind(1, value);
      one.bind(2, value * 0.5);
      one.bind(3, texts[i]);
      if (i % 3) {
        one.bind(4, texts[i]);
      } else {
        one.bind(4);
      }
      one.exec();
    }
    EXPECT_EQ(bulk.rows(), n);
    bulk.Flush();
    EXPECT_EQ(bulk.rows(), 0u);
    if (n > 0) EXPECT_EQ(bulk.LastRowid(), db_.execAndGet("SELECT max(id) FROM bulk").getInt64());
    ASSERT_EQ(Contents(db_, "bulk"), Contents(db_, "one")) << "after " << n << " rows";
  }
  EXPECT_EQ(db_.execAndGet("SELECT count(*) FROM bulk").getInt64(), value);
}

// With a shared first column: ?1 in every row, the rest numbered after it.
TEST_F(BulkInsertTest, SharedFirstColumnGoesIntoEveryRow) {
  BulkInsert bulk(db_, "INSERT INTO bulk (a, b, c, d)", 4, /*shared_first=*/true);
  SQLite::Statement one(db_, "INSERT INTO one (a, b, c, d) VALUES (?, ?, ?, ?)");
  std::vector<std::string> texts;
  for (int i = 0; i < 200; ++i) texts.push_back("câu " + std::to_string(i));
  size_t next = 0;
  for (size_t n : {size_t{1}, size_t{2}, size_t{5}, size_t{64}, size_t{65}, size_t{63}}) {
    const int64_t shared = static_cast<int64_t>(n) * 1000;
    bulk.Shared(shared);
    for (size_t i = 0; i < n; ++i, ++next) {
      bulk.Real(static_cast<double>(next));
      bulk.Text(texts[next]);
      bulk.Null();
      one.reset();
      one.bind(1, shared);
      one.bind(2, static_cast<double>(next));
      one.bind(3, texts[next]);
      one.bind(4);
      one.exec();
    }
    EXPECT_EQ(bulk.rows(), n);
    bulk.Flush();
    ASSERT_EQ(Contents(db_, "bulk"), Contents(db_, "one")) << "after " << n << " rows";
  }
  // The shared value is forgotten with the flush: rows without one are refused.
  bulk.Real(1);
  bulk.Null();
  bulk.Null();
  EXPECT_THROW(bulk.Flush(), SQLite::Exception);
  EXPECT_EQ(bulk.rows(), 0u);
  bulk.Flush();  // nothing waiting: nothing to refuse
}

TEST_F(BulkInsertTest, IncompleteRowIsRefusedAndForgotten) {
  BulkInsert bulk(db_, "INSERT INTO bulk (a, b, c, d)", 4);
  bulk.Int(1);
  bulk.Null();
  EXPECT_EQ(bulk.rows(), 0u);
  EXPECT_THROW(bulk.Flush(), SQLite::Exception);
  EXPECT_EQ(db_.execAndGet("SELECT count(*) FROM bulk").getInt64(), 0);
  // Nothing of the refused rows comes back with the next flush.
  bulk.Int(2);
  bulk.Null();
  bulk.Null();
  bulk.Null();
  bulk.Flush();
  EXPECT_EQ(Contents(db_, "bulk"), "1|2|NULL|NULL|NULL\n");
}

TEST_F(BulkInsertTest, RefusedRowFailsTheFlushAndIsForgotten) {
  BulkInsert bulk(db_, "INSERT INTO bulk (a, b, c, d)", 4);
  for (int i = 0; i < 5; ++i) {
    if (i == 4) {
      bulk.Null();  // a is NOT NULL
    } else {
      bulk.Int(i);
    }
    bulk.Null();
    bulk.Null();
    bulk.Null();
  }
  EXPECT_THROW(bulk.Flush(), SQLite::Exception);
  EXPECT_EQ(bulk.rows(), 0u);
  // The statement of four went in before the refused row's (the caller's
  // transaction decides what stays); the next flush works.
  EXPECT_EQ(db_.execAndGet("SELECT count(*) FROM bulk").getInt64(), 4);
  bulk.Int(9);
  bulk.Null();
  bulk.Null();
  bulk.Null();
  bulk.Flush();
  EXPECT_EQ(db_.execAndGet("SELECT max(a) FROM bulk").getInt64(), 9);
}

TEST_F(BulkInsertTest, ClearForgetsWaitingRows) {
  BulkInsert bulk(db_, "INSERT INTO bulk (a, b, c, d)", 4);
  for (int i = 0; i < 40; ++i) {
    bulk.Int(i);
    bulk.Null();
    bulk.Null();
    bulk.Null();
  }
  bulk.Clear();
  EXPECT_EQ(bulk.rows(), 0u);
  bulk.Flush();
  EXPECT_EQ(db_.execAndGet("SELECT count(*) FROM bulk").getInt64(), 0);
}

// The store keeps an article's value JSON one after another in one buffer,
// each ended by a NUL: a terminated text goes in up to its NUL, as text.
TEST_F(BulkInsertTest, TerminatedTextStopsAtItsNul) {
  BulkInsert bulk(db_, "INSERT INTO bulk (a, b, c, d)", 4);
  const std::string buffer = std::string("{\"đầu\":1}") + '\0' + "{\"sau\":2}" + '\0';
  const size_t second = buffer.find('\0') + 1;
  for (size_t at : {size_t{0}, second}) {
    bulk.Int(static_cast<int64_t>(at));
    bulk.Null();
    bulk.TerminatedText(buffer.c_str() + at);
    bulk.Null();
  }
  bulk.Flush();
  EXPECT_EQ(Contents(db_, "bulk"), "1|0|NULL|{\"đầu\":1}|NULL\n2|" + std::to_string(second) +
                                       "|NULL|{\"sau\":2}|NULL\n");
  EXPECT_EQ(db_.execAndGet("SELECT group_concat(typeof(c)) FROM bulk").getString(), "text,text");
}

}  // namespace
}  // namespace vnfacts
