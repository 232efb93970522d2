// Checkpoints a WAL database from a thread and a connection of its own, so
// that the connection writing to it never does.
//
// In WAL mode SQLite's writer checkpoints by itself once the log passes 1000
// pages: it copies the log into the database and waits for two fsyncs, on
// the thread that commits. During `run` that thread sets the pace: on the
// 100 MB archive it spent 1.4 s of an 8.3 s run waiting in fsync alone, while
// the workers stood still behind it (README, session 20). A checkpoint needs
// no write lock, so another connection can do it while the writer goes on
// appending to the log; SQLite starts the log over at the writer's next
// transaction once a checkpoint has copied all of it.
//
// But SQLite starts the log over only when a write transaction begins on a
// log that is copied in full, and a writer that begins its next transaction
// right after each commit never sees one: the commit it just made is not
// copied yet. Left alone the log grows with the database (to 490 MB on the
// 100 MB archive, and the kernel's time doubled at 1 GB). So the writer asks,
// before it begins, whether the log has passed a bound; only then does it
// wait for the checkpoint under way, and the log starts over at its next
// write. With the bound at several commits' worth, it waits for one
// checkpoint in several instead of every one.
//
// What is durable does not change: a commit is in the log either way, and a
// checkpoint that fails or is cut short leaves its pages there for the next
// one (and for the one SQLite makes when the last connection closes).
#ifndef VNFACTS_PIPELINE_WAL_CHECKPOINTER_H_
#define VNFACTS_PIPELINE_WAL_CHECKPOINTER_H_

#include <condition_variable>
#include <cstdint>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "pipeline/status.h"

struct sqlite3;

namespace vnfacts {

class WalCheckpointer {
 public:
  // Follows `writer`, a connection to a database in WAL mode: turns its own
  // checkpoints off, and checkpoints on a new connection whenever a commit
  // leaves at least `log_pages` pages in the log. `writer` must outlive this,
  // and have no other WAL hook.
  static Expected<std::unique_ptr<WalCheckpointer>> Start(sqlite3* writer, int log_pages);
  // Stops the thread (after the checkpoint under way, if any) and gives the
  // writer back its own checkpoints.
  ~WalCheckpointer();
  WalCheckpointer(const WalCheckpointer&) = delete;
  WalCheckpointer& operator=(const WalCheckpointer&) = delete;

  // Call before beginning a write transaction on the writer: when the last
  // commit left at least `log_pages` pages in the log, waits for the
  // checkpoint (asking for one if none is under way), so that the
  // transaction starts the log over.
  void BoundLog(int log_pages);
  // Returns once no checkpoint is asked for or under way.
  void WaitIdle();
  // Checkpoints made, and the last error of one that failed ("" if none).
  uint64_t checkpoints() const;
  std::string last_error() const;

 private:
  WalCheckpointer(sqlite3* writer, sqlite3* own, int log_pages);
  static int OnCommit(void* self, sqlite3* db, const char* schema, int log_pages);
  void WaitIdle(std::unique_lock<std::mutex>& lock);  // `lock` holds mutex_
  void Loop();

  sqlite3* const writer_;
  sqlite3* const own_;  // the checkpointing connection
  const int log_pages_;
  mutable std::mutex mutex_;
  std::condition_variable wake_, idle_;
  bool wanted_ = false, busy_ = false, stop_ = false;
  int last_log_pages_ = 0;  // left in the log by the writer's last commit
  uint64_t checkpoints_ = 0;
  std::string last_error_;
  std::thread thread_;
};

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_WAL_CHECKPOINTER_H_
