// vnfacts over input nobody cleaned, and over a machine that misbehaves: full
// disks, read-only databases, unreadable paths, odd file names, huge numbers,
// a 50 MB single line, 100,000 tiny files, readers during a write. Each case
// must end with a clear message and a sensible exit code, never a crash, and
// leave a database that passes PRAGMA integrity_check.
#include <gtest/gtest.h>
#include <sqlite3.h>
#include <sys/mount.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <filesystem>
#include <fstream>
#include <sstream>
#include <thread>

namespace vnfacts {
namespace {

namespace fs = std::filesystem;

struct Result {
  int exit_code = -1;
  std::string output;  // stdout and stderr
};

Result Cli(const std::string& args) {
  const std::string command = std::string(VNFACTS_CLI_PATH) + " " + args + " 2>&1";
  FILE* pipe = popen(command.c_str(), "r");
  Result r;
  char buf[4096];
  size_t n;
  while ((n = fread(buf, 1, sizeof buf, pipe)) > 0) r.output.append(buf, n);
  const int status = pclose(pipe);
  r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
  return r;
}

std::string Quote(const fs::path& p) { return "'" + p.string() + "'"; }

int64_t Query(const fs::path& db, const std::string& sql) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  int64_t v = -1;
  if (sqlite3_prepare_v2(handle, sql.c_str(), -1, &s, nullptr) == SQLITE_OK && sqlite3_step(s) == SQLITE_ROW) {
    v = sqlite3_column_int64(s, 0);
  }
  sqlite3_finalize(s);
  sqlite3_close(handle);
  return v;
}

bool IntegrityOk(const fs::path& db) {
  sqlite3* handle = nullptr;
  sqlite3_open_v2(db.c_str(), &handle, SQLITE_OPEN_READONLY, nullptr);
  sqlite3_stmt* s = nullptr;
  std::string result;
  sqlite3_prepare_v2(handle, "PRAGMA integrity_check", -1, &s, nullptr);
  while (sqlite3_step(s) == SQLITE_ROW) result += reinterpret_cast<const char*>(sqlite3_column_text(s, 0));
  sqlite3_finalize(s);
  sqlite3_close(handle);
  return result == "ok";
}

class HostileInputTest : public ::testing::Test {
 protected:
  void SetUp() override {
    dir_ = fs::temp_directory_path() /
           ("vnfacts_hostile_" + std::to_string(::getpid()) + "_" +
            ::testing::UnitTest::GetInstance()->current_test_info()->name());
    fs::remove_all(dir_);
    fs::create_directories(dir_ / "in");
  }
  void TearDown() override {
    if (mounted_) ::umount2(mount_point_.c_str(), MNT_DETACH);
    fs::remove_all(dir_);
  }
  void Write(const fs::path& path, const std::string& content) {
    fs::create_directories(path.parent_path());
    std::ofstream(path, std::ios::binary) << content;
  }
  // A small tmpfs of its own, when this machine lets the test mount one.
  bool MountTmpfs(const std::string& options) {
    mount_point_ = dir_ / "mnt";
    fs::create_directories(mount_point_);
    if (::mount("tmpfs", mount_point_.c_str(), "tmpfs", 0, options.c_str()) != 0) return false;
    mounted_ = true;
    return true;
  }
  static std::string Article(int i) {
    std::ostringstream a;
    a << "Sáng 5/" << (i % 12 + 1) << ", Ban Dân vận Tỉnh ủy tổ chức hội nghị lần " << i << ".\n";
    a << "Phó Bí thư Tỉnh ủy Trần Văn Nam phát biểu. Năm 2023, tỉnh có " << (1000 + i)
      << " mô hình, trong đó 400 mô hình ở nông thôn, " << (600 + i) << " mô hình ở đô thị.\n";
    return a.str();
  }

  fs::path dir_, mount_point_;
  bool mounted_ = false;
};

TEST_F(HostileInputTest, FullDiskStopsWithAClearMessageAndAConsistentDatabase) {
  if (!MountTmpfs("size=400k")) GTEST_SKIP() << "cannot mount a small tmpfs here";
  for (int i = 0; i < 300; ++i) Write(dir_ / "in" / ("a" + std::to_string(1000 + i) + ".txt"), Article(i));
  const fs::path db = mount_point_ / "facts.db";
  Result r = Cli("run --quiet --db " + Quote(db) + " " + Quote(dir_ / "in"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("full"), std::string::npos) << r.output;
  if (fs::exists(db)) EXPECT_TRUE(IntegrityOk(db));
}

TEST_F(HostileInputTest, ReadOnlyDatabaseIsRefusedClearly) {
  if (!MountTmpfs("size=4m")) GTEST_SKIP() << "cannot mount a small tmpfs here";
  Write(dir_ / "in" / "a.txt", Article(1));
  const fs::path db = mount_point_ / "facts.db";
  ASSERT_EQ(Cli("run --quiet --db " + Quote(db) + " " + Quote(dir_ / "in")).exit_code, 0);
  ASSERT_EQ(::mount("tmpfs", mount_point_.c_str(), "tmpfs", MS_REMOUNT | MS_RDONLY, nullptr), 0);
  Write(dir_ / "in" / "b.txt", Article(2));
  Result r = Cli("run --quiet --db " + Quote(db) + " " + Quote(dir_ / "in"));
  EXPECT_EQ(r.exit_code, 2) << r.output;
  EXPECT_NE(r.output.find("read-only"), std::string::npos) << r.output;
  // Reading still works.
  Result search = Cli("search --db " + Quote(db) + " tran van nam");
  EXPECT_EQ(search.exit_code, 0) << search.output;
  EXPECT_NE(search.output.find("Trần Văn Nam"), std::string::npos) << search.output;
}

TEST_F(HostileInputTest, UnreadablePathsAreReportedAndTheRunGoesOn) {
  Write(dir_ / "in" / "good.txt", Article(1));
  fs::create_directories(dir_ / "odd");
  fs::create_symlink(dir_ / "nowhere.txt", dir_ / "odd" / "dangling.txt");
  // Without read permission (root reads it anyway, so only checked otherwise).
  Write(dir_ / "odd" / "secret.txt", Article(2));
  fs::permissions(dir_ / "odd" / "secret.txt", fs::perms::none);
  const bool can_deny = ::access((dir_ / "odd" / "secret.txt").c_str(), R_OK) != 0;
  const fs::path db = dir_ / "facts.db";
  Result r = Cli("run --db " + Quote(db) + " " + Quote(dir_ / "in") + " " +
                 (can_deny ? Quote(dir_ / "odd" / "secret.txt") + " " : std::string()) +
                 Quote(dir_ / "odd" / "dangling.txt") + " " + Quote(dir_ / "missing.txt"));
  EXPECT_EQ(r.exit_code, 1) << r.output;
  if (can_deny) EXPECT_NE(r.output.find("secret.txt"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("dangling.txt"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("missing.txt"), std::string::npos) << r.output;
  EXPECT_EQ(Query(db, "SELECT count(*) FROM articles"), 1);
}

TEST_F(HostileInputTest, FileNamesWithSpacesAndVietnameseLetters) {
  const fs::path odd = dir_ / "in" / "Hà Nội – bài số 1 (bản 2).txt";
  Write(odd, Article(7));
  const fs::path db = dir_ / "facts.db";
  Result r = Cli("run --db " + Quote(db) + " " + Quote(dir_ / "in"));
  ASSERT_EQ(r.exit_code, 0) << r.output;
  Result shown = Cli("show --db " + Quote(db) + " article " + Quote(odd));
  EXPECT_EQ(shown.exit_code, 0) << shown.output;
  EXPECT_NE(shown.output.find("bài số 1"), std::string::npos) << shown.output;
}

TEST_F(HostileInputTest, HugeNumbersAndPathologicalRunsDoNotCrash) {
  std::string text = "Quỹ đạt 99.999.999.999.999.999.999 tỷ đồng và 1e308 người. ";
  text += std::string(20000, '9') + " " + std::string(20000, '.') + " " + std::string(20000, '/') + " ";
  for (int i = 0; i < 2000; ++i) text += "1/";
  text += "\n" + std::string(5000, '-') + "QĐ/TW " + std::string(3000, 'A') + "-CT/TU\n";
  Write(dir_ / "in" / "weird.txt", text);
  Result r = Cli("extract --format jsonl " + Quote(dir_ / "in" / "weird.txt"));
  EXPECT_EQ(r.exit_code, 0) << r.output.substr(0, 400);
}

// Output redirected into the folder being read: the output file is one of
// the inputs, and reading it while writing to it would never end.
TEST_F(HostileInputTest, OutputFileAmongTheInputsIsNotRead) {
  for (const std::string command : {"extract", "tokenize"}) {
    Write(dir_ / command / "a.txt", Article(1));
    const fs::path out = dir_ / command / "out.jsonl";
    // `timeout`: without the check the command runs until the disk is full.
    const std::string shell = "timeout 30 " + std::string(VNFACTS_CLI_PATH) + " " + command + " " +
                              Quote(dir_ / command) + " > " + Quote(out) + " 2> " +
                              Quote(dir_ / "err.txt");
    const int status = std::system(shell.c_str());
    ASSERT_TRUE(WIFEXITED(status));
    EXPECT_EQ(WEXITSTATUS(status), 1) << command;  // an input was not read
    EXPECT_LT(fs::file_size(out), 100000u) << command;
    std::ifstream err_file(dir_ / "err.txt");
    const std::string err((std::istreambuf_iterator<char>(err_file)), std::istreambuf_iterator<char>());
    EXPECT_NE(err.find(out.string() + ": is the output file; not read"), std::string::npos) << err;
    std::ifstream out_file(out);
    const std::string output((std::istreambuf_iterator<char>(out_file)), std::istreambuf_iterator<char>());
    EXPECT_NE(output.find("Nam"), std::string::npos) << command << ": a.txt was read";
  }
}

TEST_F(HostileInputTest, ReadersWorkWhileARunWrites) {
  for (int i = 0; i < 600; ++i) Write(dir_ / "in" / ("a" + std::to_string(1000 + i) + ".txt"), Article(i));
  const fs::path db = dir_ / "facts.db";
  ASSERT_EQ(Cli("run --quiet --db " + Quote(db) + " " + Quote(dir_ / "in" / "a1000.txt")).exit_code, 0);
  pid_t writer = fork();
  if (writer == 0) {
    freopen("/dev/null", "w", stdout);
    std::string cli = VNFACTS_CLI_PATH, run = "run", q = "--quiet", flag = "--db", path = db.string(),
                in = (dir_ / "in").string();
    char* argv[] = {cli.data(), run.data(), q.data(), flag.data(), path.data(), in.data(), nullptr};
    execv(cli.c_str(), argv);
    _exit(127);
  }
  int reads = 0, failures = 0;
  std::string failure;
  for (int round = 0; round < 200; ++round) {
    for (const std::string& command :
         {"search --db " + Quote(db) + " tran van nam", "show --db " + Quote(db) + " person 'Trần Văn Nam'",
          "check --db " + Quote(db) + " --format json"}) {
      Result r = Cli(command);
      ++reads;
      if (r.exit_code != 0 || r.output.find("locked") != std::string::npos) {
        ++failures;
        failure = command + ": " + r.output.substr(0, 300);
      }
    }
    int status;
    if (waitpid(writer, &status, WNOHANG) == writer) {
      writer = -1;
      break;
    }
  }
  if (writer > 0) waitpid(writer, nullptr, 0);
  EXPECT_EQ(failures, 0) << failure;
  EXPECT_GT(reads, 3);
  EXPECT_EQ(Query(db, "SELECT count(*) FROM articles"), 600);
  EXPECT_TRUE(IntegrityOk(db));
}

// Heavy cases: run in the release suite (label "heavy"), not under sanitizers.
TEST_F(HostileInputTest, Heavy_FiftyMegabyteLineTakesLinearTime) {
  std::string unit;
  for (int i = 0; i < 40; ++i) unit += Article(i);
  for (char& c : unit) {
    if (c == '\n') c = ' ';
  }
  auto make = [&](size_t bytes) {
    std::string text;
    text.reserve(bytes + unit.size());
    while (text.size() < bytes) text += unit;
    return text;
  };
  Write(dir_ / "small" / "line.txt", make(5u << 20));
  Write(dir_ / "big" / "line.txt", make(50u << 20));
  // CPU seconds of the finished children (the shell and the CLI under it),
  // not wall time: other jobs on the machine slow the wall clock of one run
  // and not the other, and a linear run would then look quadratic.
  auto children_cpu = [] {
    rusage usage{};
    getrusage(RUSAGE_CHILDREN, &usage);
    auto seconds = [](const timeval& t) { return t.tv_sec + t.tv_usec / 1e6; };
    return seconds(usage.ru_utime) + seconds(usage.ru_stime);
  };
  auto time_run = [&](const std::string& which) {
    const double start = children_cpu();
    Result r = Cli("run --quiet --db " + Quote(dir_ / (which + ".db")) + " " + Quote(dir_ / which));
    EXPECT_EQ(r.exit_code, 0) << r.output.substr(0, 400);
    return children_cpu() - start;
  };
  const double small = time_run("small");
  const double big = time_run("big");
  EXPECT_EQ(Query(dir_ / "big.db", "SELECT count(*) FROM articles"), 1);
  // Ten times the input may take at most ~20 times as long (linear, with room
  // for noise), never quadratic.
  EXPECT_LT(big, 20 * small + 5) << "CPU time: 5 MB: " << small << " s, 50 MB: " << big << " s";
}

TEST_F(HostileInputTest, Heavy_HundredThousandTinyFiles) {
  for (int i = 0; i < 100000; ++i) {
    Write(dir_ / "in" / std::to_string(i / 1000) / (std::to_string(i) + ".txt"),
          "Năm 2023 có " + std::to_string(i) + " hộ.\n");
  }
  const fs::path db = dir_ / "facts.db";
  Result r = Cli("run --quiet --db " + Quote(db) + " " + Quote(dir_ / "in"));
  EXPECT_EQ(r.exit_code, 0) << r.output.substr(0, 400);
  EXPECT_EQ(Query(db, "SELECT count(*) FROM articles"), 100000);
  EXPECT_TRUE(IntegrityOk(db));
}

}  // namespace
}  // namespace vnfacts
