// WalCheckpointer: commits on one connection are checkpointed on another, so
// the log starts over instead of growing, and nothing committed is lost.
#include "pipeline/wal_checkpointer.h"

#include <SQLiteCpp/SQLiteCpp.h>
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <unistd.h>

#include <filesystem>
#include <string>

namespace vnfacts {
namespace {

class WalCheckpointerTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = std::filesystem::temp_directory_path() /
           ("vnfacts_wal_checkpointer_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    std::filesystem::remove_all(dir_);
    std::filesystem::create_directories(dir_);
    path_ = (dir_ / "db.sqlite").string();
  }
  void TearDown() override { std::filesystem::remove_all(dir_); }

  static void WriteAbout(SQLite::Database& db, int pages) {
    // Random bytes do not compress into fewer pages; each row fills about one.
    SQLite::Transaction transaction(db);
    for (int i = 0; i < pages; ++i) db.exec("INSERT INTO t (b) VALUES (randomblob(3500))");
    transaction.commit();
  }
  uintmax_t LogBytes() const {
    std::error_code ec;
    const uintmax_t size = std::filesystem::file_size(path_ + "-wal", ec);
    return ec ? 0 : size;
  }

  std::filesystem::path dir_;
  std::string path_;
};

TEST_F(WalCheckpointerTest, TheLogStartsOverInsteadOfGrowing) {
  SQLite::Database writer(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (b BLOB)");
  auto checkpointer = WalCheckpointer::Start(writer.getHandle(), /*log_pages=*/8);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().message();
  constexpr int kCommits = 100, kPagesPerCommit = 10;
  for (int i = 0; i < kCommits; ++i) {
    WriteAbout(writer, kPagesPerCommit);
    (*checkpointer)->WaitIdle();
  }
  EXPECT_GT((*checkpointer)->checkpoints(), 0u);
  EXPECT_EQ((*checkpointer)->last_error(), "");
  // Each commit's pages, checkpointed before the next, went to the start of
  // the log again. Never checkpointed (the writer's own checkpoints are
  // off), the log would hold every commit: 100 times as much.
  const uintmax_t frame = 4096 + 24;
  EXPECT_LT(LogBytes(), 4 * kPagesPerCommit * frame);
  // What was checkpointed is in the database file for any connection.
  SQLite::Database reader(path_, SQLite::OPEN_READONLY);
  EXPECT_EQ(reader.execAndGet("SELECT count(*) FROM t").getInt(), kCommits * kPagesPerCommit);
}

TEST_F(WalCheckpointerTest, CommitsBelowTheThresholdAreLeftInTheLog) {
  SQLite::Database writer(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (b BLOB)");
  auto checkpointer = WalCheckpointer::Start(writer.getHandle(), /*log_pages=*/1000);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().message();
  for (int i = 0; i < 5; ++i) {
    WriteAbout(writer, 10);
    (*checkpointer)->WaitIdle();
  }
  EXPECT_EQ((*checkpointer)->checkpoints(), 0u);
  EXPECT_GE(LogBytes(), 50u * 4096);
}

// A writer that begins again right after each commit never finds the log
// copied in full, so SQLite would never start it over: BoundLog() waits for
// a checkpoint once the log is past its bound, and the next transaction
// writes at the start of the log again.
TEST_F(WalCheckpointerTest, BoundLogLetsTheNextTransactionStartTheLogOver) {
  SQLite::Database writer(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (b BLOB)");
  // Never on its own: commits stay under the threshold.
  auto checkpointer = WalCheckpointer::Start(writer.getHandle(), /*log_pages=*/1000);
  ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().message();
  for (int i = 0; i < 5; ++i) WriteAbout(writer, 10);
  const uintmax_t full = LogBytes();
  EXPECT_GE(full, 50u * 4096);
  (*checkpointer)->BoundLog(100);  // the log is under this bound: nothing to do
  EXPECT_EQ((*checkpointer)->checkpoints(), 0u);
  (*checkpointer)->BoundLog(40);
  EXPECT_GT((*checkpointer)->checkpoints(), 0u);
  WriteAbout(writer, 10);
  EXPECT_EQ(LogBytes(), full);  // written over the start, not appended
  SQLite::Database reader(path_, SQLite::OPEN_READONLY);
  EXPECT_EQ(reader.execAndGet("SELECT count(*) FROM t").getInt(), 60);
}

TEST_F(WalCheckpointerTest, AfterItStopsTheWriterCheckpointsByItselfAgain) {
  SQLite::Database writer(path_, SQLite::OPEN_READWRITE | SQLite::OPEN_CREATE);
  writer.exec("PRAGMA page_size = 4096; PRAGMA journal_mode = WAL; CREATE TABLE t (b BLOB)");
  {
    auto checkpointer = WalCheckpointer::Start(writer.getHandle(), 8);
    ASSERT_TRUE(checkpointer.ok()) << checkpointer.status().message();
  }
  // SQLite's own default: a checkpoint once the log passes 1000 pages, so
  // 3000 pages of commits restart the log at least twice.
  for (int i = 0; i < 30; ++i) WriteAbout(writer, 100);
  EXPECT_LT(LogBytes(), 1300u * (4096 + 24));
}

TEST_F(WalCheckpointerTest, ADatabaseWithoutAFileIsRefused) {
  SQLite::Database memory(":memory:", SQLite::OPEN_READWRITE);
  auto checkpointer = WalCheckpointer::Start(memory.getHandle(), 8);
  ASSERT_FALSE(checkpointer.ok());
  EXPECT_NE(checkpointer.status().message().find("no file"), std::string::npos);
}

}  // namespace
}  // namespace vnfacts
