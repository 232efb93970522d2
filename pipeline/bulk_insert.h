// BulkInsert: rows of one table collected and then inserted several per
// statement (`INSERT INTO t (a, b) VALUES (?, ?), (?, ?), ...`), for the
// store's single writer.
//
// Running a statement costs SQLite a fixed amount per execution (opening the
// table's and indexes' cursors and seeking them, halting, resetting) on top of
// the work for each row; for the store's small rows that fixed part was about
// as much as the rows themselves (≈4,000 instructions per row saved in a
// bench of one-row against 16-row statements). Rows go in exactly in the order
// they were added, so rowids SQLite assigns are the same as one statement per
// row would give: for a table without AUTOINCREMENT, each new row gets one more
// than the largest rowid (see LastRowid()).
//
// Statements exist for 1, 2, 4, ... kMaxRows rows and are prepared on first
// use; a flush of n rows runs n / kMaxRows statements of the largest size and
// at most one of each smaller size for the rest. 64 rows at most: storing
// articles took fewer instructions than with 32 or 128.
//
// Text is bound without copying: a string passed to Text() must stay alive
// and unchanged until Flush() returns.
#ifndef VNFACTS_PIPELINE_BULK_INSERT_H_
#define VNFACTS_PIPELINE_BULK_INSERT_H_

#include <SQLiteCpp/SQLiteCpp.h>

#include <array>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace vnfacts {

class BulkInsert {
 public:
  static constexpr int kMaxRowsLog2 = 6;
  static constexpr size_t kMaxRows = size_t{1} << kMaxRowsLog2;

  // `insert` is the statement up to VALUES, e.g. "INSERT INTO t (a, b)";
  // `columns` the number of values per row. With `shared_first`, the first
  // column holds the same integer in every row of a flush, set by Shared()
  // and bound once per statement (?1 in every row), not added per row.
  // Nothing is prepared yet.
  BulkInsert(SQLite::Database& db, std::string insert, int columns, bool shared_first = false);

  // The first column's value for the rows of the next flush (shared_first).
  void Shared(int64_t value) {
    shared_ = value;
    has_shared_ = true;
  }

  // Values of the next row, column by column.
  void Int(int64_t value) { values_.push_back({Value::kInt, {.i = value}}); }
  void Real(double value) { values_.push_back({Value::kReal, {.d = value}}); }
  void Text(const std::string& value) { values_.push_back({Value::kText, {.s = &value}}); }
  // A text that ends at its first NUL.
  void TerminatedText(const char* value) {
    values_.push_back({Value::kTerminatedText, {.z = value}});
  }
  void Null() { values_.push_back({Value::kNull, {.i = 0}}); }
  void OptionalText(const std::optional<std::string>& value) {
    if (value) {
      Text(*value);
    } else {
      Null();
    }
  }
  // Not bound to temporaries: the string must outlive the flush.
  void Text(std::string&&) = delete;
  void OptionalText(std::optional<std::string>&&) = delete;

  // Complete rows waiting (a row is complete once all its columns are added,
  // all but the first with shared_first).
  size_t rows() const { return values_.size() / row_values_; }

  // Inserts the waiting rows, in order, and forgets them and the shared
  // value; also when SQLite refuses one (the exception propagates, and the
  // caller rolls back). Throws SQLite::Exception if a row is incomplete or,
  // with shared_first, Shared() was not called since the last flush.
  void Flush();
  // Forgets the waiting rows and the shared value without inserting them.
  void Clear() {
    values_.clear();
    has_shared_ = false;
  }

  // The rowid of the last row the last Flush() inserted: with n rows flushed
  // into a table whose rowids SQLite assigns, they are LastRowid() - n + 1 ...
  // LastRowid() (see the file comment).
  int64_t LastRowid() const { return last_rowid_; }

 private:
  struct Value {
    enum Type : uint8_t { kNull, kInt, kReal, kText, kTerminatedText } type;
    union {
      int64_t i;
      double d;
      const std::string* s;
      const char* z;
    };
  };
  SQLite::Statement& StatementFor(int log2_rows);
  void Run(SQLite::Statement& statement, const Value* values, size_t count);

  SQLite::Database& db_;
  std::string insert_;
  int columns_;
  bool shared_first_;
  int row_values_;  // values added per row
  int64_t shared_ = 0;
  bool has_shared_ = false;
  std::vector<Value> values_;
  std::array<std::unique_ptr<SQLite::Statement>, kMaxRowsLog2 + 1> statements_;
  int64_t last_rowid_ = 0;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_BULK_INSERT_H_
