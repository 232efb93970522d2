#include "pipeline/bulk_insert.h"

#include <sqlite3.h>

namespace vnfacts {

BulkInsert::BulkInsert(SQLite::Database& db, std::string insert, int columns, bool shared_first)
    : db_(db),
      insert_(std::move(insert)),
      columns_(columns),
      shared_first_(shared_first),
      row_values_(shared_first ? columns - 1 : columns) {}

SQLite::Statement& BulkInsert::StatementFor(int log2_rows) {
  std::unique_ptr<SQLite::Statement>& statement = statements_[log2_rows];
  if (!statement) {
    // A plain ? is numbered one past the largest number so far, so after
    // ?1 the rows' own values are ?2, ?3, ... in order.
    std::string row = "(";
    for (int c = 0; c < columns_; ++c) {
      if (c) row += ", ";
      row += c == 0 && shared_first_ ? "?1" : "?";
    }
    row += ")";
    std::string sql = insert_ + " VALUES ";
    for (size_t r = 0; r < (size_t{1} << log2_rows); ++r) {
      if (r) sql += ", ";
      sql += row;
    }
    statement = std::make_unique<SQLite::Statement>(db_, sql);
  }
  return *statement;
}

void BulkInsert::Run(SQLite::Statement& statement, const Value* values, size_t count) {
  // tryReset: after a failed step, sqlite3_reset returns that step's error
  // again; it was reported then. Every parameter is bound below, so the
  // bindings need no clearing first.
  statement.tryReset();
  const int first = shared_first_ ? 2 : 1;
  if (shared_first_) statement.bind(1, shared_);
  for (size_t i = 0; i < count; ++i) {
    const int index = static_cast<int>(i) + first;
    const Value& v = values[i];
    switch (v.type) {
      case Value::kNull:
        statement.bind(index);
        break;
      case Value::kInt:
        statement.bind(index, v.i);
        break;
      case Value::kReal:
        statement.bind(index, v.d);
        break;
      case Value::kText:
        statement.bindNoCopy(index, *v.s);
        break;
      case Value::kTerminatedText:
        statement.bindNoCopy(index, v.z);  // length -1
        break;
    }
  }
  statement.exec();
  // The bindings are left as they are (clearing them cost 2% of a flush):
  // the pointers to the caller's strings are never read again, as every
  // parameter is bound anew before the statement next runs.
  statement.tryReset();
}

void BulkInsert::Flush() {
  struct ClearOnExit {
    BulkInsert* bulk;
    ~ClearOnExit() { bulk->Clear(); }
  } clear_on_exit{this};
  if (values_.size() % row_values_ != 0) {
    throw SQLite::Exception("bulk insert (" + insert_ + "): incomplete row");
  }
  const size_t rows = values_.size() / row_values_;
  if (rows > 0 && shared_first_ && !has_shared_) {
    throw SQLite::Exception("bulk insert (" + insert_ + "): no shared value");
  }
  size_t done = 0;
  for (int log2 = kMaxRowsLog2; log2 >= 0; --log2) {
    const size_t n = size_t{1} << log2;
    while (rows - done >= n) {
      Run(StatementFor(log2), values_.data() + done * row_values_, n * row_values_);
      done += n;
    }
  }
  if (rows > 0) last_rowid_ = sqlite3_last_insert_rowid(db_.getHandle());
}

}  // namespace vnfacts
