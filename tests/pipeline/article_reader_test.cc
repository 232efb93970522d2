#include "pipeline/article_reader.h"

#include <fcntl.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>
#include <sys/stat.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <ctime>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <map>
#include <random>
#include <nlohmann/json.hpp>
#include <sstream>
#include <thread>

#include "pipeline/input.h"
#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

namespace fs = std::filesystem;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::Not;

const fs::path kLexicons = fs::path(VNFACTS_SOURCE_DIR) / "lexicons";
const fs::path kFixtures = fs::path(VNFACTS_SOURCE_DIR) / "tests" / "fixtures" / "inputs";

std::string Fixture(const std::string& name) { return (kFixtures / name).string(); }

std::string Slurp(const fs::path& path) {
  std::ifstream in(path, std::ios::binary);
  std::stringstream buffer;
  buffer << in.rdbuf();
  return buffer.str();
}

struct Result {
  std::vector<ArticleRecord> records;
  std::vector<std::string> errors;
};

Result ReadWith(const ArticleReader& reader, const std::string& path) {
  Result result;
  reader.Read(
      path, [&](ArticleRecord&& r) { result.records.push_back(std::move(r)); },
      [&](const std::string& e) { result.errors.push_back(e); });
  return result;
}

const ArticleReader& DefaultReader() {
  static const ArticleReader* reader = [] {
    auto r = ArticleReader::Create(kLexicons, ReaderOptions{});
    if (!r.ok()) {
      ADD_FAILURE() << r.status().message();
      std::abort();
    }
    return new ArticleReader(std::move(r).value());
  }();
  return *reader;
}

Result Read(const std::string& path) { return ReadWith(DefaultReader(), path); }

Result ReadForced(const std::string& path, const std::string& encoding) {
  ReaderOptions options;
  options.forced_encoding = encoding;
  auto reader = ArticleReader::Create(kLexicons, options);
  EXPECT_TRUE(reader.ok()) << reader.status().message();
  return ReadWith(*reader, path);
}

class TempDir {
 public:
  TempDir() {
    path_ = fs::temp_directory_path() /
            ("vnfacts_reader_test_" + std::to_string(getpid()) + "_" + std::to_string(counter_++));
    fs::remove_all(path_);
    fs::create_directories(path_);
  }
  ~TempDir() {
    std::error_code ec;
    fs::permissions(path_, fs::perms::owner_all, fs::perm_options::add, ec);
    fs::remove_all(path_, ec);
  }
  std::string Write(const std::string& name, const std::string& content) const {
    const fs::path p = path_ / name;
    std::ofstream(p, std::ios::binary) << content;
    return p.string();
  }
  const fs::path& path() const { return path_; }

 private:
  static inline int counter_ = 0;
  fs::path path_;
};

// --- Plain text and compression ---------------------------------------------

TEST(ArticleReaderTest, ReadsPlainTextAsOneArticle) {
  const Result r = Read(Fixture("article.txt"));
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].source, Fixture("article.txt"));
  EXPECT_EQ(r.records[0].text, Slurp(kFixtures / "article.txt"));
  EXPECT_EQ(r.records[0].encoding, "utf-8");
  EXPECT_FALSE(r.records[0].published.has_value());
}

TEST(ArticleReaderTest, GzipAndZstdGiveTheSameText) {
  const std::string expected = Slurp(kFixtures / "article.txt");
  for (const char* name : {"article.txt.gz", "article.txt.zst"}) {
    const Result r = Read(Fixture(name));
    EXPECT_TRUE(r.errors.empty()) << name << ": " << r.errors[0];
    ASSERT_EQ(r.records.size(), 1u) << name;
    EXPECT_EQ(r.records[0].text, expected) << name;
  }
}

TEST(ArticleReaderTest, ConcatenatedGzipMembersAreOneStream) {
  TempDir dir;
  const std::string gz = Slurp(kFixtures / "articles.jsonl.gz");
  const Result r = Read(dir.Write("twice.jsonl.gz", gz + gz));
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  EXPECT_EQ(r.records.size(), 6u);
  EXPECT_EQ(r.records[5].source, dir.path().string() + "/twice.jsonl.gz:6");
}

TEST(ArticleReaderTest, TruncatedAndCorruptCompressedFilesAreReported) {
  TempDir dir;
  const std::string gz = Slurp(kFixtures / "article.txt.gz");
  Result r = Read(dir.Write("cut.txt.gz", gz.substr(0, gz.size() / 2)));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("cut.txt.gz: byte "));
  EXPECT_THAT(r.errors[0], HasSubstr("truncated gzip stream"));

  std::string corrupt = gz;
  for (size_t i = 20; i < 60; ++i) corrupt[i] = static_cast<char>(corrupt[i] ^ 0x5A);
  r = Read(dir.Write("corrupt.txt.gz", corrupt));
  ASSERT_FALSE(r.errors.empty());
  EXPECT_THAT(r.errors.back(), HasSubstr("corrupt gzip data"));

  const std::string zst = Slurp(kFixtures / "article.txt.zst");
  r = Read(dir.Write("cut.txt.zst", zst.substr(0, zst.size() - 20)));
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("truncated zstd stream"));
  EXPECT_TRUE(r.records.empty());

  r = Read(dir.Write("plain.txt.gz", "not compressed at all"));
  EXPECT_THAT(r.errors, ElementsAre(dir.path().string() + "/plain.txt.gz: not a gzip file"));
}

TEST(ArticleReaderTest, TruncatedCompressedJsonLinesKeepsEarlierRecords) {
  // Many records so the cut falls well after the first ones.
  TempDir dir;
  std::string body;
  for (int i = 0; i < 2000; ++i) {
    body += R"({"text": "Bản tin số )" + std::to_string(i) + R"( về công tác dân vận ở cơ sở."})" "\n";
  }
  const std::string path = dir.Write("many.jsonl", body);
  ASSERT_EQ(std::system(("gzip -kf " + path).c_str()), 0);
  const std::string gz = Slurp(path + ".gz");
  const Result r = Read(dir.Write("cut.jsonl.gz", gz.substr(0, gz.size() * 3 / 4)));
  EXPECT_GT(r.records.size(), 100u);
  EXPECT_LT(r.records.size(), 2000u);
  ASSERT_EQ(r.errors.size(), 1u);  // the stream's failure, not also a JSON one
  EXPECT_THAT(r.errors[0], HasSubstr("truncated gzip stream"));
}

// --- JSON Lines ------------------------------------------------------------

void ExpectFixtureRecords(const Result& r, const std::string& path) {
  ASSERT_EQ(r.records.size(), 3u) << path;
  const ArticleRecord& a = r.records[0];
  EXPECT_EQ(a.source, path + ":1");
  EXPECT_EQ(a.title, "Yên Thành tổng kết công tác cải cách hành chính năm 2023");
  EXPECT_THAT(a.text, HasSubstr("Chiều 12/3"));
  EXPECT_THAT(a.text, HasSubstr("\nTheo báo cáo"));
  EXPECT_EQ(a.url, "https://baonghean.vn/a-1.html");
  EXPECT_EQ(a.site, "baonghean.vn");
  EXPECT_EQ(a.published, (CivilDate{2024, 3, 12}));
  EXPECT_EQ(a.encoding, "utf-8");
  const ArticleRecord& b = r.records[1];
  EXPECT_EQ(b.source, path + ":2");
  EXPECT_EQ(b.title, "Tin ngắn");
  EXPECT_EQ(b.site, "");  // "source": null
  EXPECT_EQ(b.published, (CivilDate{2024, 3, 13}));
  const ArticleRecord& c = r.records[2];
  EXPECT_EQ(c.site, "example.vn");  // from the URL
  EXPECT_EQ(c.published, (CivilDate{2024, 3, 14}));
  EXPECT_EQ(c.title, "");
}

TEST(ArticleReaderTest, ReadsJsonLinesInEveryCompression) {
  for (const char* name : {"articles.jsonl", "articles.jsonl.gz", "articles.jsonl.zst"}) {
    const Result r = Read(Fixture(name));
    EXPECT_TRUE(r.errors.empty()) << name << ": " << r.errors[0];
    ExpectFixtureRecords(r, Fixture(name));
  }
}

TEST(ArticleReaderTest, TruncatedLastLineIsReportedAfterEarlierRecords) {
  const Result r = Read(Fixture("truncated.jsonl"));
  EXPECT_EQ(r.records.size(), 3u);
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr(Fixture("truncated.jsonl") + ":4: truncated JSON record"));
}

TEST(ArticleReaderTest, LastLineCutInsideALetterIsTruncatedNotMisencoded) {
  TempDir dir;
  const std::string record = R"({"text": "Hội nghị đối thoại"})";
  const std::string path = dir.Write("cut.jsonl", record + "\n" + record.substr(0, 13));
  const Result r = Read(path);
  EXPECT_EQ(r.records.size(), 1u);
  EXPECT_THAT(r.errors, ElementsAre(path + ":2: truncated JSON record (cut inside a UTF-8 sequence)"));
}

TEST(ArticleReaderTest, WrongTypesAreErrorsWithLineNumbers) {
  const std::string path = Fixture("wrong_types.jsonl");
  const Result r = Read(path);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[0].source, path + ":2");
  EXPECT_EQ(r.records[0].text, "Một dòng hợp lệ giữa các dòng lỗi.");
  EXPECT_EQ(r.records[1].source, path + ":8");
  EXPECT_FALSE(r.records[1].published.has_value());  // "không rõ" is no date
  ASSERT_EQ(r.errors.size(), 5u);
  EXPECT_EQ(r.errors[0], path + ":1: field \"text\" is number, not a string");
  EXPECT_EQ(r.errors[1], path + ":3: no \"text\" or \"maintext\" field");
  EXPECT_EQ(r.errors[2], path + ":4: record is not a JSON object");
  EXPECT_THAT(r.errors[3], HasSubstr(path + ":5: not valid JSON at column"));
  EXPECT_EQ(r.errors[4], path + ":6: field \"title\" is object, not a string");
}

TEST(ArticleReaderTest, OverlongLineIsSkippedAndTheRestRead) {
  TempDir dir;
  const std::string path = dir.Write(
      "long.jsonl", R"({"text": "một"})" "\n" R"({"text": ")" + std::string(5000, 'x') +
                        R"("})" "\n" R"({"text": "ba"})" "\n");
  ReaderOptions options;
  options.max_article_bytes = 1000;
  auto reader = ArticleReader::Create(kLexicons, options);
  ASSERT_TRUE(reader.ok());
  const Result r = ReadWith(*reader, path);
  ASSERT_EQ(r.records.size(), 2u);
  EXPECT_EQ(r.records[1].text, "ba");
  EXPECT_THAT(r.errors, ElementsAre(path + ":2: line longer than 1000 bytes, skipped"));
}

TEST(ArticleReaderTest, JsonFileHoldsOneArticleOrAnArray) {
  TempDir dir;
  const std::string one = dir.Write(
      "one.json", "{\n  \"title\": \"Tiêu đề\",\n  \"maintext\": \"Nội dung bài.\",\n"
                  "  \"date_publish\": \"2023-11-02 08:15:00\"\n}\n");
  Result r = Read(one);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].source, one);
  EXPECT_EQ(r.records[0].published, (CivilDate{2023, 11, 2}));
  const std::string many = dir.Write("many.json", R"([{"text": "Một."}, {"text": 5}])");
  r = Read(many);
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].source, many + ":[0]");
  EXPECT_THAT(r.errors, ElementsAre(many + ":[1]: field \"text\" is number, not a string"));
  // JSON Lines under a .json name.
  r = Read(dir.Write("lines.json", R"({"text": "Một."})" "\n" R"({"text": "Hai."})" "\n"));
  EXPECT_EQ(r.records.size(), 2u);
}

TEST(ArticleReaderTest, LegacyBytesInJsonLinesAreDecoded) {
  const Result r = Read(Fixture("tcvn3.jsonl"));
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.records.size(), 3u);
  for (const ArticleRecord& record : r.records) EXPECT_EQ(record.encoding, "tcvn3");
  EXPECT_THAT(r.records[0].text, HasSubstr("huyện Quỳnh Lưu tổ chức hội nghị"));
}

// What one JSON Lines record becomes: its fields, or its error without the
// "path:LINE: " prefix. The semantics pinned below are the reader's contract
// with crawler output, whichever JSON parser reads the line.
struct LineOutcome {
  std::string error;  // empty when a record came out
  std::string text, title, url, site, published, encoding;
};

std::string DateString(const std::optional<CivilDate>& d) {
  if (!d) return "";
  char buffer[16];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02d", d->year, d->month, d->day);
  return buffer;
}

// Every line through nlohmann-json, the reference the simdjson path must match.
const ArticleReader& NlohmannOnlyReader() {
  static const ArticleReader* reader = [] {
    ReaderOptions options;
    options.json_fast_path = false;
    auto r = ArticleReader::Create(kLexicons, options);
    if (!r.ok()) {
      ADD_FAILURE() << r.status().message();
      std::abort();
    }
    return new ArticleReader(std::move(r).value());
  }();
  return *reader;
}

bool operator==(const LineOutcome& a, const LineOutcome& b) {
  return a.error == b.error && a.text == b.text && a.title == b.title && a.url == b.url &&
         a.site == b.site && a.published == b.published && a.encoding == b.encoding;
}

std::ostream& operator<<(std::ostream& os, const LineOutcome& o) {
  if (!o.error.empty()) return os << "error " << o.error;
  return os << "text " << o.text << " | title " << o.title << " | url " << o.url << " | site "
            << o.site << " | published " << o.published << " | " << o.encoding;
}

std::vector<std::pair<int, LineOutcome>> ReadLinesWith(const ArticleReader& reader,
                                                       const std::string& path) {
  std::vector<std::pair<int, LineOutcome>> out;
  reader.Read(
      path,
      [&](ArticleRecord&& r) {
        LineOutcome o;
        o.text = r.text;
        o.title = r.title;
        o.url = r.url;
        o.site = r.site;
        o.published = DateString(r.published);
        o.encoding = r.encoding;
        out.emplace_back(std::stoi(r.source.substr(path.size() + 1)), std::move(o));
      },
      [&](const std::string& e) {
        LineOutcome o;
        EXPECT_EQ(e.rfind(path + ":", 0), 0u) << e;
        const std::string rest = e.substr(path.size() + 1);
        const size_t colon = rest.find(": ");
        o.error = rest.substr(colon + 2);
        out.emplace_back(std::stoi(rest.substr(0, colon)), std::move(o));
      });
  return out;
}

// Reads `content` as a JSON Lines file; one outcome per record or error, with
// the line it came from. The default reader (simdjson first) must give what
// nlohmann-json alone gives.
std::vector<std::pair<int, LineOutcome>> ReadLines(const std::string& content) {
  TempDir dir;
  const std::string path = dir.Write("lines.jsonl", content);
  auto out = ReadLinesWith(DefaultReader(), path);
  EXPECT_EQ(out, ReadLinesWith(NlohmannOnlyReader(), path)) << content;
  return out;
}

// One record on one line, newline-terminated.
LineOutcome ReadOne(const std::string& line) {
  const auto all = ReadLines(line + "\n");
  EXPECT_EQ(all.size(), 1u) << line;
  if (all.size() != 1) return LineOutcome{"(no single outcome)", "", "", "", "", "", ""};
  EXPECT_EQ(all[0].first, 1) << line;
  return all[0].second;
}

std::string TextOf(const std::string& line) {
  const LineOutcome o = ReadOne(line);
  EXPECT_EQ(o.error, "") << line;
  EXPECT_EQ(o.encoding, "utf-8") << line;
  return o.text;
}

std::string ErrorOf(const std::string& line) {
  const LineOutcome o = ReadOne(line);
  EXPECT_NE(o.error, "") << line << " gave a record: " << o.text;
  return o.error;
}

TEST(JsonLinesSemanticsTest, TextWinsOverMaintextUnlessAbsentOrNull) {
  EXPECT_EQ(TextOf(R"({"maintext": "Chính.", "text": "Văn bản."})"), "Văn bản.");
  EXPECT_EQ(TextOf(R"({"text": "Văn bản.", "maintext": "Chính."})"), "Văn bản.");
  EXPECT_EQ(TextOf(R"({"maintext": "Chính."})"), "Chính.");
  EXPECT_EQ(TextOf(R"({"text": null, "maintext": "Chính."})"), "Chính.");
  // A text that is there but empty, or not a string, is an error: maintext
  // does not stand in for it.
  EXPECT_EQ(ErrorOf(R"({"text": "", "maintext": "Chính."})"), "empty \"text\"");
  EXPECT_EQ(ErrorOf(R"({"text": " \t\n ", "maintext": "Chính."})"), "empty \"text\"");
  EXPECT_EQ(ErrorOf(R"({"text": 5, "maintext": "Chính."})"), "field \"text\" is number, not a string");
  EXPECT_EQ(ErrorOf(R"({"maintext": ""})"), "empty \"maintext\"");
  EXPECT_EQ(ErrorOf(R"({"text": null, "maintext": null})"), "no \"text\" or \"maintext\" field");
  EXPECT_EQ(ErrorOf(R"({})"), "no \"text\" or \"maintext\" field");
  EXPECT_EQ(ErrorOf(R"({"Text": "Hoa.", "TEXT": "Hoa."})"), "no \"text\" or \"maintext\" field");
}

TEST(JsonLinesSemanticsTest, OtherFieldsAndTheirFallbacks) {
  LineOutcome o = ReadOne(
      R"({"text": "A.", "title": "T", "url": "https://User@Www.Example.VN:8080/a?b", )"
      R"("date_publish": "2024-07-04 10:20:00", "date": "2020-01-01", "source_domain": "baonghean.vn", )"
      R"("source": "other"})");
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.title, "T");
  EXPECT_EQ(o.url, "https://User@Www.Example.VN:8080/a?b");
  EXPECT_EQ(o.published, "2024-07-04");
  EXPECT_EQ(o.site, "baonghean.vn");
  o = ReadOne(R"({"text": "A.", "url": "https://User@Www.Example.VN:8080/a?b", "date_publish": null, )"
              R"("date": "04/07/2024", "source_domain": null, "source": null, "title": null})");
  EXPECT_EQ(o.error, "");
  EXPECT_EQ(o.title, "");
  EXPECT_EQ(o.published, "2024-07-04");
  EXPECT_EQ(o.site, "www.example.vn");  // the URL's host
  o = ReadOne(R"({"text": "A.", "source": "nhandan.vn", "date_publish": "không rõ"})");
  EXPECT_EQ(o.site, "nhandan.vn");
  EXPECT_EQ(o.published, "");
  // A date or source present as "" does not fall back to the other field.
  o = ReadOne(R"({"text": "A.", "date_publish": "", "date": "2024-01-02", "source_domain": "", )"
              R"("source": "x.vn", "url": "http://y.vn/"})");
  EXPECT_EQ(o.published, "");
  EXPECT_EQ(o.site, "y.vn");
  // Fields the reader does not use may hold anything.
  EXPECT_EQ(TextOf(R"({"text": "A.", "authors": ["X", {"y": [1, 2.5e-3, true, false, null]}], )"
                   R"("n": -0, "big": 123456789012345678901234567890, "tiny": 1e-400, "z": 0e99999})"),
            "A.");
}

TEST(JsonLinesSemanticsTest, NonStringFieldsAreNamedByType) {
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "title": 5})"), "field \"title\" is number, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "title": -1.5e3})"), "field \"title\" is number, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "url": 18446744073709551615})"),
            "field \"url\" is number, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "url": 123456789012345678901234567890})"),
            "field \"url\" is number, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": true})"), "field \"text\" is boolean, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "title": ["T"]})"), "field \"title\" is array, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "date": {"y": 2024}})"), "field \"date\" is object, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "date_publish": false, "date": "2024-01-02"})"),
            "field \"date_publish\" is boolean, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "source": 1})"), "field \"source\" is number, not a string");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "source_domain": [], "source": "x"})"),
            "field \"source_domain\" is array, not a string");
  // The first wrong field in reading order: text, title, url, date, source.
  EXPECT_EQ(ErrorOf(R"({"source": 1, "url": 2, "title": 3, "text": "A."})"),
            "field \"title\" is number, not a string");
  // A number out of double's range is no number at all.
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "x": 1e999})"),
            "not usable JSON: number overflow parsing '1e999'");
  for (const char* root : {"[]", R"(["text"])", R"("text")", "5", "null", "true"}) {
    EXPECT_EQ(ErrorOf(root), "record is not a JSON object") << root;
  }
}

TEST(JsonLinesSemanticsTest, DuplicateKeysTheLastOneWins) {
  EXPECT_EQ(TextOf(R"({"text": "Một.", "text": "Hai."})"), "Hai.");
  EXPECT_EQ(TextOf(R"({"text": 5, "text": "Hai."})"), "Hai.");
  EXPECT_EQ(ErrorOf(R"({"text": "Một.", "text": 5})"), "field \"text\" is number, not a string");
  EXPECT_EQ(TextOf(R"({"text": "Một.", "text": null, "maintext": "Ba."})"), "Ba.");
  EXPECT_EQ(TextOf(R"({"text": "Một.", "text": {"text": "Hai."}, "text": "Ba."})"), "Ba.");
  EXPECT_EQ(ReadOne(R"({"text": "A.", "title": "Một", "title": "Hai"})").title, "Hai");
  // Only top-level keys count.
  EXPECT_EQ(TextOf(R"({"meta": {"text": "Trong."}, "text": "Ngoài.", "list": [{"text": 1}]})"),
            "Ngoài.");
  EXPECT_EQ(ErrorOf(R"({"meta": {"text": "Trong."}})"), "no \"text\" or \"maintext\" field");
}

TEST(JsonLinesSemanticsTest, EscapesAreDecoded) {
  EXPECT_EQ(TextOf(R"({"text": "Ngh\u1ec7 An \u0110\u1ea2NG"})"), "Nghệ An ĐẢNG");
  EXPECT_EQ(TextOf(R"({"text": "a\"b\\c\/d\be\ff\ng\rh\ti"})"), "a\"b\\c/d\be\ff\ng\rh\ti");
  EXPECT_EQ(TextOf(R"({"text": "x\ud83d\ude00y\uD834\uDD1E"})"), "x\xF0\x9F\x98\x80y\xF0\x9D\x84\x9E");
  EXPECT_EQ(TextOf(R"({"text": "nul\u0000here"})"), std::string("nul\0here", 8));
  EXPECT_EQ(TextOf(R"({"text": "\u00e9\u0065\u0301 \uFFFF\u007f"})"), "\xC3\xA9" "e\xCC\x81 \xEF\xBF\xBF\x7F");
  // Escaped keys are the same keys.
  EXPECT_EQ(TextOf(R"({"te\u0078t": "Khóa."})"), "Khóa.");
  EXPECT_EQ(ErrorOf(R"({"text\u0000": "Khóa."})"), "no \"text\" or \"maintext\" field");
  // Raw UTF-8 and raw DEL need no escape.
  EXPECT_EQ(TextOf("{\"text\": \"\xF0\x9F\x98\x80 \x7F\"}"), "\xF0\x9F\x98\x80 \x7F");
}

TEST(JsonLinesSemanticsTest, BadEscapesAndControlCharactersAreInvalid) {
  EXPECT_EQ(ErrorOf(R"({"text": "a\ud800"})"),
            "not valid JSON at column 18: syntax error while parsing value - invalid string: "
            "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
  EXPECT_EQ(ErrorOf(R"({"text": "a\ud800\u0041"})"),
            "not valid JSON at column 23: syntax error while parsing value - invalid string: "
            "surrogate U+D800..U+DBFF must be followed by U+DC00..U+DFFF");
  EXPECT_EQ(ErrorOf(R"({"text": "a\udc00b"})"),
            "not valid JSON at column 17: syntax error while parsing value - invalid string: "
            "surrogate U+DC00..U+DFFF must follow U+D800..U+DBFF");
  EXPECT_EQ(ErrorOf(R"({"text": "a\x"})"),
            "not valid JSON at column 13: syntax error while parsing value - invalid string: "
            "forbidden character after backslash");
  EXPECT_EQ(ErrorOf(R"({"text": "a\u12"})"),
            "not valid JSON at column 16: syntax error while parsing value - invalid string: "
            "'\\u' must be followed by 4 hex digits");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\tb\"}"),
            "not valid JSON at column 12: syntax error while parsing value - invalid string: "
            "control character U+0009 (HT) must be escaped to \\u0009 or \\t");
  EXPECT_EQ(ErrorOf("{\"text\": \"a\x01\"}"),
            "not valid JSON at column 12: syntax error while parsing value - invalid string: "
            "control character U+0001 (SOH) must be escaped to \\u0001");
}

TEST(JsonLinesSemanticsTest, MalformedRecordsAreReportedWithTheirColumn) {
  EXPECT_EQ(ErrorOf(R"({"text": "A."} x)"),
            "not valid JSON at column 16: syntax error while parsing value - invalid literal");
  EXPECT_EQ(ErrorOf(R"({"text": "A."}{"text": "B."})"),
            "not valid JSON at column 15: syntax error while parsing value - unexpected '{'; "
            "expected end of input");
  EXPECT_EQ(ErrorOf(R"({"text": "A.",})"),
            "not valid JSON at column 15: syntax error while parsing object key - unexpected '}'; "
            "expected string literal");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "x": [1,]})"),
            "not valid JSON at column 24: syntax error while parsing value - unexpected ']'; "
            "expected '[', '{', or a literal");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "x": tru})"),
            "not valid JSON at column 24: syntax error while parsing value - invalid literal");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", "x": 01})"),
            "not valid JSON at column 22: syntax error while parsing object - unexpected number "
            "literal; expected '}'");
  EXPECT_EQ(ErrorOf(R"({"text": "A.", 'x': 1})"),
            "not valid JSON at column 16: syntax error while parsing object key - invalid literal");
  EXPECT_EQ(ErrorOf("{\"text\": \"A.\"}\f"),
            "not valid JSON at column 15: syntax error while parsing value - invalid literal");
  EXPECT_EQ(ErrorOf("{\"text\": \"A.\", \"\xC4\x91\": 1, \xC4\x91: 2}"),
            "not valid JSON at column 25: syntax error while parsing object key - invalid literal");
}

TEST(JsonLinesSemanticsTest, WhitespaceDepthAndByteOrderMarks) {
  EXPECT_EQ(TextOf(" \t{ \"text\" :\t\"A.\" } \t"), "A.");
  EXPECT_EQ(TextOf("{\"text\":\r\"A.\"}\r"), "A.");  // one \r ends the line, the other is JSON space
  // Deep nesting in a field the reader skips.
  EXPECT_EQ(TextOf(R"({"deep": )" + std::string(3000, '[') + std::string(3000, ']') + R"(, "text": "A."})"),
            "A.");
  // A byte order mark opens the file, and is also skipped where it opens a later line.
  const auto all = ReadLines("\xEF\xBB\xBF{\"text\": \"Một.\"}\n\xEF\xBB\xBF{\"text\": \"Hai.\"}\n"
                             "{\"text\": \"Ba.\"}\xEF\xBB\xBF\n");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].second.text, "Một.");
  EXPECT_EQ(all[1].second.text, "Hai.");
  EXPECT_EQ(all[2].first, 3);
  EXPECT_EQ(all[2].second.error,
            "not valid JSON at column 16: syntax error while parsing value - invalid literal");
}

TEST(JsonLinesSemanticsTest, LinesEndingsBlankLinesAndTruncation) {
  auto all = ReadLines("{\"text\": \"Một.\"}\r\n\r\n   \t\r\n{\"text\": \"Hai.\"}\r\n\n{\"text\": \"Ba.\"}");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].first, 1);
  EXPECT_EQ(all[0].second.text, "Một.");
  EXPECT_EQ(all[1].first, 4);
  EXPECT_EQ(all[1].second.text, "Hai.");
  EXPECT_EQ(all[2].first, 6);
  EXPECT_EQ(all[2].second.text, "Ba.");  // the last line needs no newline
  // A record cut short, at the end of the file or before a newline.
  all = ReadLines("{\"text\": \"Một.\"}\n{\"text\": \"Ha");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].first, 2);
  EXPECT_EQ(all[1].second.error,
            "truncated JSON record (syntax error while parsing value - invalid string: missing "
            "closing quote)");
  all = ReadLines("{\"text\": \"Ha\n{\"text\": \"Một.\", \n{\"text\": \"Ba.\"}\n");
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[0].second.error,
            "truncated JSON record (syntax error while parsing value - invalid string: missing "
            "closing quote)");
  EXPECT_EQ(all[1].second.error,
            "truncated JSON record (syntax error while parsing object key - unexpected end of "
            "input; expected string literal)");
  EXPECT_EQ(all[2].second.text, "Ba.");
  all = ReadLines("{\"text\": \"Hội nghị\"}\n{\"text\": \"H\xE1\xBB");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].second.error, "truncated JSON record (cut inside a UTF-8 sequence)");
}

TEST(JsonLinesSemanticsTest, InvalidUtf8IsDecodedOrReportedBeforeParsing) {
  // Not UTF-8 and too short to tell which legacy encoding: reported with the
  // byte offset in the file, never parsed.
  const auto all = ReadLines("{\"text\": \"Một.\"}\n{\"text\": \"a\xC3\x28\"}\n");
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[0].second.text, "Một.");
  EXPECT_EQ(all[1].first, 2);
  EXPECT_THAT(all[1].second.error, HasSubstr("byte 30: invalid UTF-8"));
  // Encoded surrogates and overlong forms are not UTF-8 either.
  EXPECT_THAT(ErrorOf("{\"text\": \"a\xED\xA0\x80\"}"), HasSubstr("byte 11"));
  EXPECT_THAT(ErrorOf("{\"text\": \"a\xC0\xAF\"}"), HasSubstr("byte 11"));
}

// Lines a few edits away from real records, where the two parsers' edges
// are: every one must come out of the simdjson path as out of nlohmann's.
TEST(JsonLinesSemanticsTest, MutatedRecordsReadAsNlohmannReadsThem) {
  const std::vector<std::string> seeds = {
      R"({"title": "Hội nghị", "text": "Ngh\u1ec7 An: 1.250 m\u00f4 h\u00ecnh.\nH\u1ebft.", "url": "https://baonghean.vn/a.html", "date_publish": "2024-07-04 10:20:00", "source_domain": null})",
      R"({"maintext": "Một \"hai\" ba\\\/", "text": null, "authors": ["A", {"b": [1, -2.5e-3, true, false, null]}], "n": 12345678901234567890})",
      R"({"text": "x\ud83d\ude00y", "text": 5, "date": "04/07/2024", "source": "nhandan.vn", "deep": [[[{"text": "z"}]]]})",
  };
  const std::string alphabet = std::string("{}[]:,\"\\/ \t\r\x01\x7F" "0123456789eE+-.tfnulrsaxu") +
                               "\xC3\xA9\xE1\xBB\x87\xF0\x9F\x98\x80\xED\xA0\x80\xC0\xAF\xEF\xBB\xBF\x80\xFF";
  std::mt19937 rng(20261206);
  std::string content;
  int lines = 0;
  for (int round = 0; round < 3000; ++round) {
    std::string line = seeds[rng() % seeds.size()];
    const int edits = 1 + static_cast<int>(rng() % 3);
    for (int e = 0; e < edits && !line.empty(); ++e) {
      const size_t at = rng() % line.size();
      switch (rng() % 4) {
        case 0: line.erase(at, 1 + rng() % 3); break;
        case 1: line.insert(at, 1, alphabet[rng() % alphabet.size()]); break;
        case 2: line[at] = alphabet[rng() % alphabet.size()]; break;
        default: line.insert(at, line.substr(rng() % line.size(), rng() % 12)); break;
      }
    }
    content += line + "\n";
    ++lines;
  }
  const auto all = ReadLines(content);  // compares the two paths
  EXPECT_GE(all.size(), 2900u);  // an invalid line is one error; only blank ones vanish
  size_t records = 0;
  for (const auto& [line, outcome] : all) records += outcome.error.empty();
  EXPECT_GT(records, 100u);
  EXPECT_LT(records, all.size());
}

// --- HTML -------------------------------------------------------------------

TEST(ArticleReaderTest, HtmlKeepsTheArticleAndDropsThePage) {
  for (const char* name : {"page.html", "page.html.gz"}) {
    SCOPED_TRACE(name);
    const Result r = Read(Fixture(name));
    EXPECT_TRUE(r.errors.empty()) << r.errors[0];
    ASSERT_EQ(r.records.size(), 1u);
    const ArticleRecord& a = r.records[0];
    EXPECT_EQ(a.title, "Yên Thành tổng kết công tác cải cách hành chính");  // og:title
    EXPECT_EQ(a.published, (CivilDate{2024, 3, 12}));
    EXPECT_EQ(a.url, "https://baonghean.vn/yen-thanh-cai-cach-hanh-chinh.html");
    EXPECT_EQ(a.site, "Báo Nghệ An");
    EXPECT_EQ(a.text,
              "Yên Thành tổng kết công tác cải cách hành chính\n"
              "12/03/2024\n"
              "Chiều 12/3, Ủy ban nhân dân huyện Yên Thành tổ chức hội nghị tổng kết công tác cải "
              "cách hành chính năm 2023.\n"
              "Theo báo cáo, toàn huyện đã giải quyết đúng hạn 98,6% hồ sơ thủ tục hành chính.\n"
              "Số hồ sơ trực tuyến tăng mạnh.\n"
              "Đẩy mạnh chuyển đổi số\n"
              "Đồng chí Nguyễn Văn Hưng đề nghị các xã tiếp tục đẩy mạnh chuyển đổi số & nâng cao "
              "chất lượng phục vụ.\n"
              "Dịp này, 15 tập thể được tặng giấy khen.");
  }
}

TEST(ArticleReaderTest, HtmlWithoutArticleUsesTheBody) {
  const Result r = Read(Fixture("plain_page.htm"));
  EXPECT_TRUE(r.errors.empty()) << r.errors[0];
  ASSERT_EQ(r.records.size(), 1u);
  const ArticleRecord& a = r.records[0];
  EXPECT_EQ(a.title, "Thông báo lịch tiếp công dân");
  EXPECT_EQ(a.published, (CivilDate{2024, 5, 2}));
  EXPECT_EQ(a.text,
            "Ngày 2/5, Ban Tiếp công dân tỉnh thông báo lịch tiếp công dân định kỳ tháng 5.\n"
            "Công dân đến đúng giờ và mang theo giấy tờ tùy thân.\n"
            "Lịch có thể thay đổi khi có việc đột xuất.");
}

TEST(ArticleReaderTest, DeeplyNestedAndUnclosedHtmlIsReadInLinearTime) {
  TempDir dir;
  const int depth = 100000;
  std::string html = "<html><body>";
  for (int i = 0; i < depth; ++i) html += i % 2 ? "<div>" : "<span><b>";
  html += "Nội dung sâu.";
  std::string unclosed = "<html><body>";
  for (int i = 0; i < depth; ++i) unclosed += "<p><i>chữ ";
  for (const auto& [name, content] :
       std::map<std::string, std::string>{{"deep.html", html}, {"unclosed.html", unclosed}}) {
    const auto start = std::chrono::steady_clock::now();
    const Result r = Read(dir.Write(name, content));
    const double seconds =
        std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
    EXPECT_TRUE(r.errors.empty()) << name << ": " << r.errors[0];
    ASSERT_EQ(r.records.size(), 1u) << name;
    EXPECT_LT(seconds, 20.0) << name;
  }
}

TEST(ArticleReaderTest, HtmlScriptStaysOutAndEntitiesAreDecoded) {
  TempDir dir;
  const Result r = Read(dir.Write(
      "s.html", "<html><body><p>a &lt;b&gt; &#7879;</p><script>alert('x')</script>"
                "<p>Giá 5&nbsp;tỷ</p></body></html>"));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].text, "a <b> ệ\nGiá 5\u00A0tỷ");
}

// --- Encodings --------------------------------------------------------------

TEST(ArticleReaderTest, DetectsEachLegacyEncodingOfTheFixtures) {
  for (const auto& [name, encoding] : std::map<std::string, std::string>{
           {"windows1258", "windows-1258"}, {"tcvn3", "tcvn3"}, {"vni", "vni"}, {"viqr", "viqr"}}) {
    SCOPED_TRACE(name);
    const Result r = Read(Fixture(name + ".txt"));
    EXPECT_TRUE(r.errors.empty()) << r.errors[0];
    ASSERT_EQ(r.records.size(), 1u);
    EXPECT_EQ(r.records[0].encoding, encoding);
    EXPECT_EQ(ToNfc(r.records[0].text), ToNfc(Slurp(kFixtures / (name + ".expected.txt"))));
  }
}

TEST(ArticleReaderTest, ForcedEncodingIsUsedAsIs) {
  Result r = ReadForced(Fixture("vni.txt"), "vni");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].encoding, "vni");
  EXPECT_EQ(r.records[0].text, ToNfc(Slurp(kFixtures / "vni.expected.txt")));

  // Forcing UTF-8 turns detection off: legacy bytes are an error.
  r = ReadForced(Fixture("windows1258.txt"), "utf-8");
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("windows1258.txt: byte "));
  EXPECT_THAT(r.errors[0], HasSubstr(": invalid UTF-8"));

  // A byte the forced encoding lacks is reported with its offset.
  r = ReadForced(Fixture("tcvn3.txt"), "vni");
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("is not defined in vni"));

  // Too short to detect, but fine when the user says what it is.
  TempDir dir;
  const std::string path = dir.Write("short.txt", "huy\xD6n \xF1y");
  EXPECT_EQ(Read(path).records.size(), 0u);
  r = ReadForced(path, "tcvn3");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].text, "huyện ủy");

  r = ReadForced(dir.Write("v.txt", "Ha` No^.i"), "viqr");
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].text, "Hà Nội");

  EXPECT_FALSE(ArticleReader::Create(kLexicons, ReaderOptions{"latin-1", 1 << 20}).ok());
}

TEST(ArticleReaderTest, HtmlDeclaredCharsetDecidesWhatDetectionCannot) {
  // "Hà Nội" in Windows-1258 (tone marks as combining bytes): two words are
  // too few for detection to tell the encodings apart.
  const std::string body = "<p>Ha\xCC N\xF4\xF2i</p></body></html>";
  TempDir dir;
  Result r = Read(dir.Write("bare.html", "<html><head><title>T</title></head><body>" + body));
  EXPECT_TRUE(r.records.empty());
  ASSERT_EQ(r.errors.size(), 1u);
  EXPECT_THAT(r.errors[0], HasSubstr("not a recognized Vietnamese legacy encoding"));

  for (const std::string meta :
       {"<meta charset=\"windows-1258\">",
        "<META HTTP-EQUIV=\"Content-Type\" CONTENT=\"text/html; charset=Windows-1258\">"}) {
    SCOPED_TRACE(meta);
    r = Read(dir.Write("declared.html",
                       "<html><head>" + meta + "<title>T</title></head><body>" + body));
    EXPECT_TRUE(r.errors.empty()) << r.errors[0];
    ASSERT_EQ(r.records.size(), 1u);
    EXPECT_EQ(r.records[0].encoding, "windows-1258");
    EXPECT_EQ(ToNfc(r.records[0].text), ToNfc("Hà Nội"));
  }

  // A page re-saved as UTF-8 under a stale tag is read as the UTF-8 it is.
  r = Read(dir.Write("stale.html",
                     "<html><head><meta charset=\"windows-1258\"></head><body><p>Thành ủy Hà "
                     "Nội họp.</p></body></html>"));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].encoding, "utf-8");
  EXPECT_EQ(r.records[0].text, "Thành ủy Hà Nội họp.");
}

TEST(ArticleReaderTest, UnrecognizedEncodingIsReportedNotGuessed) {
  for (const char* name : {"latin1.txt", "invalid_utf8.txt"}) {
    const std::string content = Slurp(kFixtures / name);
    const size_t bad = FindInvalidUtf8(content).value();
    const Result r = Read(Fixture(name));
    EXPECT_TRUE(r.records.empty()) << name;
    EXPECT_THAT(r.errors, ElementsAre(Fixture(name) + ": byte " + std::to_string(bad) +
                                      ": invalid UTF-8 and not a recognized Vietnamese legacy "
                                      "encoding"));
  }
}

// --- Bad files ----------------------------------------------------------------

TEST(ArticleReaderTest, BinaryEmptyMissingAndDirectoryInputsAreReported) {
  EXPECT_THAT(Read(Fixture("binary.txt")).errors, ElementsAre(Fixture("binary.txt") + ": binary file"));
  EXPECT_THAT(Read(Fixture("empty.txt")).errors, ElementsAre(Fixture("empty.txt") + ": empty file"));
  EXPECT_THAT(Read(Fixture("blank.txt")).errors, ElementsAre(Fixture("blank.txt") + ": empty file"));
  EXPECT_THAT(Read(Fixture("nope.txt")).errors,
              ElementsAre(Fixture("nope.txt") + ": cannot open: No such file or directory"));
  EXPECT_THAT(Read(kFixtures.string()).errors, ElementsAre(kFixtures.string() + ": is a directory"));
  TempDir dir;
  const std::string gz = dir.Write("empty.jsonl.gz", "");
  EXPECT_THAT(Read(gz).errors, ElementsAre(gz + ": empty file"));
  const std::string nul = dir.Write("nul.jsonl", std::string(R"({"text": "a"})") + '\0' + "\n");
  EXPECT_THAT(Read(nul).errors, ElementsAre(nul + ": binary file"));
}

TEST(ArticleReaderTest, FileNamesWithSpacesAndDiacritics) {
  TempDir dir;
  const std::string path = dir.Write("bài viết số 1.jsonl.gz", Slurp(kFixtures / "articles.jsonl.gz"));
  const Result r = Read(path);
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[0].source, path + ":1");
}

TEST(ArticleReaderTest, UnreadableFileIsReported) {
  TempDir dir;
  const std::string path = dir.Write("locked.txt", "Nội dung.");
  fs::permissions(path, fs::perms::none);
  const int fd = open(path.c_str(), O_RDONLY);
  if (fd >= 0) {
    close(fd);
    GTEST_SKIP() << "running with permission to read a mode-000 file (root)";
  }
  EXPECT_THAT(Read(path).errors, ElementsAre(path + ": cannot open: Permission denied"));
}

TEST(ArticleReaderTest, StdinIsSniffed) {
  auto read_stdin = [](const std::string& file) {
    const int saved = dup(STDIN_FILENO);
    const int fd = open(file.c_str(), O_RDONLY);
    dup2(fd, STDIN_FILENO);
    close(fd);
    Result r = Read("-");
    dup2(saved, STDIN_FILENO);
    close(saved);
    return r;
  };
  Result r = read_stdin(Fixture("articles.jsonl"));
  ASSERT_EQ(r.records.size(), 3u);
  EXPECT_EQ(r.records[2].source, "-:3");
  r = read_stdin(Fixture("articles.jsonl.zst"));
  EXPECT_EQ(r.records.size(), 3u);
  r = read_stdin(Fixture("article.txt.gz"));
  ASSERT_EQ(r.records.size(), 1u);
  EXPECT_EQ(r.records[0].source, "-");
  EXPECT_EQ(r.records[0].text, Slurp(kFixtures / "article.txt"));
}

TEST(ArticleReaderTest, ArticleTooLargeIsSkipped) {
  ReaderOptions options;
  options.max_article_bytes = 100;
  auto reader = ArticleReader::Create(kLexicons, options);
  ASSERT_TRUE(reader.ok());
  EXPECT_THAT(ReadWith(*reader, Fixture("article.txt")).errors,
              ElementsAre(Fixture("article.txt") + ": article larger than 100 bytes, skipped"));
}

TEST(ArticleReaderTest, ExtensionsCoverEveryFormat) {
  const InputList list = CollectInputs({kFixtures.string()}, ArticleExtensions());
  auto has = [&](const std::string& name) {
    return std::find(list.paths.begin(), list.paths.end(), Fixture(name)) != list.paths.end();
  };
  for (const char* name : {"article.txt", "article.txt.gz", "article.txt.zst", "articles.jsonl",
                           "articles.jsonl.gz", "page.html", "page.html.gz", "plain_page.htm"}) {
    EXPECT_TRUE(has(name)) << name;
  }
  EXPECT_FALSE(has("make_fixtures.py"));
}

// The file standard output is redirected to is not read back, under any
// name it has; into a pipe or a terminal nothing is dropped.
TEST(ArticleReaderTest, DropsTheInputThatIsTheOutputFile) {
  const fs::path dir = fs::temp_directory_path() / ("vnfacts_drop_" + std::to_string(getpid()));
  fs::create_directories(dir);
  std::ofstream(dir / "a.txt") << "x";
  std::ofstream(dir / "out.jsonl") << "";
  fs::create_hard_link(dir / "out.jsonl", dir / "link.jsonl");
  const InputList all = CollectInputs({dir.string()}, ArticleExtensions());
  ASSERT_EQ(all.paths.size(), 3u);

  const int out_fd = ::open((dir / "out.jsonl").c_str(), O_WRONLY);
  ASSERT_GE(out_fd, 0);
  InputList list = all;
  DropInputsOpenOn(out_fd, &list);
  ::close(out_fd);
  EXPECT_THAT(list.paths, ElementsAre((dir / "a.txt").string()));
  EXPECT_THAT(list.errors, ElementsAre((dir / "link.jsonl").string() + ": is the output file; not read",
                                       (dir / "out.jsonl").string() + ": is the output file; not read"));

  int pipe_fds[2];
  ASSERT_EQ(::pipe(pipe_fds), 0);
  list = all;
  DropInputsOpenOn(pipe_fds[1], &list);
  ::close(pipe_fds[0]);
  ::close(pipe_fds[1]);
  EXPECT_EQ(list.paths, all.paths);
  EXPECT_TRUE(list.errors.empty());
  list = all;
  DropInputsOpenOn(-1, &list);
  EXPECT_EQ(list.paths, all.paths);
  fs::remove_all(dir);
}

TEST(ArticleReaderTest, ParsesPublicationDates) {
  EXPECT_EQ(ParsePublishedDate("2024-07-04"), (CivilDate{2024, 7, 4}));
  EXPECT_EQ(ParsePublishedDate(" 2024-07-04 10:20:00"), (CivilDate{2024, 7, 4}));
  EXPECT_EQ(ParsePublishedDate("2024-07-04T23:59:00-05:00"), (CivilDate{2024, 7, 4}));
  EXPECT_EQ(ParsePublishedDate("2024/02/29"), (CivilDate{2024, 2, 29}));
  EXPECT_EQ(ParsePublishedDate("4/7/2024"), (CivilDate{2024, 7, 4}));
  EXPECT_EQ(ParsePublishedDate("04-07-2024 10:20"), (CivilDate{2024, 7, 4}));
  EXPECT_FALSE(ParsePublishedDate("2023-02-29").has_value());
  EXPECT_FALSE(ParsePublishedDate("2024-13-01").has_value());
  EXPECT_FALSE(ParsePublishedDate("4/7-2024").has_value());
  EXPECT_FALSE(ParsePublishedDate("hôm qua").has_value());
  EXPECT_FALSE(ParsePublishedDate("").has_value());
}

TEST(ArticleReaderTest, OneReaderServesManyThreads) {
  const ArticleReader& reader = DefaultReader();
  const std::vector<std::string> files = {Fixture("articles.jsonl.gz"), Fixture("page.html"),
                                          Fixture("tcvn3.txt"), Fixture("vni.txt")};
  std::vector<Result> expected;
  for (const std::string& f : files) expected.push_back(ReadWith(reader, f));
  std::vector<std::thread> threads;
  std::vector<int> mismatches(4, 0);
  for (int t = 0; t < 4; ++t) {
    threads.emplace_back([&, t] {
      for (int round = 0; round < 20; ++round) {
        for (size_t i = 0; i < files.size(); ++i) {
          const Result r = ReadWith(reader, files[i]);
          if (r.records.size() != expected[i].records.size() ||
              r.records.back().text != expected[i].records.back().text) {
            ++mismatches[t];
          }
        }
      }
    });
  }
  for (auto& t : threads) t.join();
  EXPECT_THAT(mismatches, ElementsAre(0, 0, 0, 0));
}

// Reads an archive made by scripts/make_archive.py and checks it against its
// MANIFEST; prints throughput per kind of file. Set VNFACTS_READER_ARCHIVE=DIR
// to run.
TEST(ArticleReaderTest, ReadsGeneratedArchive) {
  const char* dir = std::getenv("VNFACTS_READER_ARCHIVE");
  if (dir == nullptr) GTEST_SKIP() << "set VNFACTS_READER_ARCHIVE to an archive from make_archive.py";
  const nlohmann::json manifest = nlohmann::json::parse(Slurp(fs::path(dir) / "MANIFEST"));
  const InputList inputs = CollectInputs({dir}, ArticleExtensions());
  struct Kind {
    size_t files = 0, records = 0, text_bytes = 0;
    double seconds = 0;
  };
  std::map<std::string, Kind> kinds;  // by file name ending
  std::map<std::string, size_t> by_encoding;
  size_t records = 0, text_bytes = 0;
  std::vector<std::string> errors;
  const auto start = std::chrono::steady_clock::now();
  const std::clock_t cpu_start = std::clock();
  for (const std::string& path : inputs.paths) {
    const std::string name = fs::path(path).filename().string();
    Kind& kind = kinds[name.substr(name.find('.'))];
    ++kind.files;
    const std::clock_t file_start = std::clock();
    DefaultReader().Read(
        path,
        [&](ArticleRecord&& r) {
          ++records;
          ++kind.records;
          text_bytes += r.text.size();
          kind.text_bytes += r.text.size();
          ++by_encoding[r.encoding];
        },
        [&](const std::string& e) { errors.push_back(e); });
    kind.seconds += static_cast<double>(std::clock() - file_start) / CLOCKS_PER_SEC;
  }
  const double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - start).count();
  // CPU time too: on a shared machine the wall clock measures the neighbours.
  const double cpu = static_cast<double>(std::clock() - cpu_start) / CLOCKS_PER_SEC;
  const double mb = manifest["bytes"].get<double>() / (1 << 20);
  std::printf("[ archive  ] %zu files, %zu articles, %zu errors, %.1f MB of input text in %.2f s "
              "(%.2f s CPU): %.1f MB/s, %.1f MB per CPU second, %.0f articles/s\n",
              inputs.paths.size(), records, errors.size(), mb, seconds, cpu, mb / seconds, mb / cpu,
              records / seconds);
  for (const auto& [ending, k] : kinds) {
    std::printf("[ archive  ]   %-10s %5zu files %6zu articles %7.1f MB of article text, "
                "%6.1f MB per CPU second\n",
                ending.c_str(), k.files, k.records, k.text_bytes / 1048576.0,
                k.text_bytes / 1048576.0 / k.seconds);
  }
  for (const auto& [encoding, count] : by_encoding) {
    std::printf("[ archive  ]   %s: %zu articles\n", encoding.c_str(), count);
  }
  EXPECT_EQ(records, manifest["total_articles"].get<size_t>());
  EXPECT_EQ(errors.size(), manifest["bad_files"].size());
  for (const auto& bad : manifest["bad_files"]) {
    const std::string where = (fs::path(dir) / bad["path"].get<std::string>()).string();
    const std::string reason = bad["error"].get<std::string>();
    const bool found = std::any_of(errors.begin(), errors.end(), [&](const std::string& e) {
      return e.rfind(where, 0) == 0 && e.find(reason) != std::string::npos;
    });
    EXPECT_TRUE(found) << where << " should report " << reason;
  }
}

}  // namespace
}  // namespace vnfacts
