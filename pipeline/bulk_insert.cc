#include "pipeline/bulk_insert.h"

#include <sqlite3.h>

namespace vnfacts {

BulkInsert::BulkInsert(SQLite::Database& db, std::string insert, int columns)
    : db_(db), insert_(std::move(insert)), columns_(columns) {}

SQLite::Statement& BulkInsert::StatementFor(int log2_rows) {
  std::unique_ptr<SQLite::Statement>& statement = statements_[log2_rows];
  if (!statement) {
    std::string row = "(";
    for (int c = 0; c < columns_; ++c) row += c ? ", ?" : "?";
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
  for (size_t i = 0; i < count; ++i) {
    const int index = static_cast<int>(i) + 1;
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
    std::vector<Value>* values;
    ~ClearOnExit() { values->clear(); }
  } clear_on_exit{&values_};
  if (values_.size() % columns_ != 0) {
    throw SQLite::Exception("bulk insert (" + insert_ + "): incomplete row");
  }
  const size_t rows = values_.size() / columns_;
  size_t done = 0;
  for (int log2 = kMaxRowsLog2; log2 >= 0; --log2) {
    const size_t n = size_t{1} << log2;
    while (rows - done >= n) {
      Run(StatementFor(log2), values_.data() + done * columns_, n * columns_);
      done += n;
    }
  }
  if (rows > 0) last_rowid_ = sqlite3_last_insert_rowid(db_.getHandle());
}

}  // namespace vnfacts
