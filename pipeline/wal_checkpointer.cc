#include "pipeline/wal_checkpointer.h"

#include <sqlite3.h>

#include <utility>

namespace vnfacts {

Expected<std::unique_ptr<WalCheckpointer>> WalCheckpointer::Start(sqlite3* writer, int log_pages) {
  const char* path = sqlite3_db_filename(writer, "main");
  if (path == nullptr || *path == '\0') {
    return Status::Error("checkpointing: the database has no file");
  }
  sqlite3* own = nullptr;
  // NOMUTEX: the connection is used by the checkpointing thread alone.
  const int rc =
      sqlite3_open_v2(path, &own, SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX, nullptr);
  if (rc != SQLITE_OK) {
    std::string message = std::string(path) + ": cannot open a connection to checkpoint: " +
                          (own != nullptr ? sqlite3_errmsg(own) : sqlite3_errstr(rc));
    sqlite3_close(own);
    return Status::Error(std::move(message));
  }
  // Its first read may meet another connection recovering the log; its
  // checkpoints (PASSIVE) never wait.
  sqlite3_busy_timeout(own, 30000);
  // A connection finds the database in WAL mode, and opens the log, only
  // when it first reads; until then a checkpoint on it does nothing.
  char* error = nullptr;
  if (sqlite3_exec(own, "SELECT count(*) FROM sqlite_schema", nullptr, nullptr, &error) !=
      SQLITE_OK) {
    std::string message = std::string(path) + ": cannot read the database to checkpoint it: " +
                          (error != nullptr ? error : "unknown error");
    sqlite3_free(error);
    sqlite3_close(own);
    return Status::Error(std::move(message));
  }
  return std::unique_ptr<WalCheckpointer>(new WalCheckpointer(writer, own, log_pages));
}

WalCheckpointer::WalCheckpointer(sqlite3* writer, sqlite3* own, int log_pages)
    : writer_(writer), own_(own), log_pages_(log_pages) {
  thread_ = std::thread([this] { Loop(); });
  // Replaces the hook through which the writer checkpointed by itself.
  sqlite3_wal_hook(writer_, &WalCheckpointer::OnCommit, this);
}

WalCheckpointer::~WalCheckpointer() {
  // Its own hook again, at SQLite's default of 1000 pages.
  sqlite3_wal_autocheckpoint(writer_, 1000);
  {
    std::lock_guard lock(mutex_);
    stop_ = true;
  }
  wake_.notify_one();
  thread_.join();
  sqlite3_close(own_);
}

// On the writer's thread, after each commit, outside any transaction.
int WalCheckpointer::OnCommit(void* self, sqlite3*, const char*, int log_pages) {
  auto* checkpointer = static_cast<WalCheckpointer*>(self);
  const bool wanted = log_pages >= checkpointer->log_pages_;
  {
    std::lock_guard lock(checkpointer->mutex_);
    checkpointer->last_log_pages_ = log_pages;
    if (wanted) checkpointer->wanted_ = true;
  }
  if (wanted) checkpointer->wake_.notify_one();
  return SQLITE_OK;
}

void WalCheckpointer::Loop() {
  std::unique_lock lock(mutex_);
  while (true) {
    wake_.wait(lock, [this] { return wanted_ || stop_; });
    if (stop_) break;
    wanted_ = false;
    busy_ = true;
    lock.unlock();
    // PASSIVE: copies what no reader still needs, and never waits for the
    // writer or a reader. SQLITE_BUSY says another checkpoint is running;
    // the next commit asks again.
    const int rc = sqlite3_wal_checkpoint_v2(own_, nullptr, SQLITE_CHECKPOINT_PASSIVE, nullptr,
                                             nullptr);
    std::string error;
    if (rc != SQLITE_OK && rc != SQLITE_BUSY) error = sqlite3_errmsg(own_);
    lock.lock();
    busy_ = false;
    if (rc == SQLITE_OK) ++checkpoints_;
    if (!error.empty()) last_error_ = std::move(error);
    if (!wanted_) idle_.notify_all();
  }
  busy_ = false;
  idle_.notify_all();
}

void WalCheckpointer::BoundLog(int log_pages) {
  std::unique_lock lock(mutex_);
  if (last_log_pages_ < log_pages || stop_) return;
  // One more after the checkpoint under way, which may have begun before the
  // last commit (one with nothing left to copy costs little).
  wanted_ = true;
  wake_.notify_one();
  WaitIdle(lock);
  last_log_pages_ = 0;  // the next commit says how much the log holds
}

void WalCheckpointer::WaitIdle() {
  std::unique_lock lock(mutex_);
  WaitIdle(lock);
}

void WalCheckpointer::WaitIdle(std::unique_lock<std::mutex>& lock) {
  idle_.wait(lock, [this] { return (!wanted_ && !busy_) || stop_; });
}

uint64_t WalCheckpointer::checkpoints() const {
  std::lock_guard lock(mutex_);
  return checkpoints_;
}

std::string WalCheckpointer::last_error() const {
  std::lock_guard lock(mutex_);
  return last_error_;
}

}  // namespace vnfacts
