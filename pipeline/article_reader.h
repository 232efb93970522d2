// Reading articles out of archive files: plain text, JSON Lines as news
// crawlers write them, and HTML pages, each possibly compressed with gzip or
// zstd and possibly in a legacy Vietnamese encoding. The rest of the pipeline
// only ever sees UTF-8 article text with its metadata (ArticleRecord).
//
// Archives are large and dirty, so the reader streams: it decompresses as it
// goes, reads JSON Lines one line at a time (memory does not grow with the
// file, only with the largest article), and hands each article to a callback
// as soon as it is read. Nothing bad in the input stops it: a bad record or a
// bad file is reported through the error callback with where it is
// ("path:LINE: reason" for a JSON Lines record, "path: byte N: reason" for a
// position in a file, N counted in the decompressed bytes from 0, or
// "path: reason") and reading goes on with the next record. Encodings are
// detected per file (pipeline/legacy_encoding.h) unless one is forced, and a
// file the detector is unsure about is reported, never guessed. HTML goes
// through gumbo; tags nested deeper than 512 levels are left out first, since
// gumbo's time grows with depth on every tag and hostile pages nest 100,000
// deep. A JSON line is parsed with simdjson (several bytes per cycle); a
// line it rejects goes to nlohmann-json, which decides and words every error,
// so records and messages are nlohmann's either way.
//
// The reader is immutable after Create() and Read() is const, so one reader
// serves many threads.
#ifndef VNFACTS_PIPELINE_ARTICLE_READER_H_
#define VNFACTS_PIPELINE_ARTICLE_READER_H_

#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "pipeline/document.h"
#include "pipeline/legacy_encoding.h"
#include "pipeline/status.h"

namespace vnfacts {

struct ArticleRecord {
  std::string source;  // the path, or "path:LINE" for a JSON Lines record
  std::string text;    // UTF-8 article text (decoded, main text only)
  std::string title;
  std::string url;
  std::string site;  // the source domain, or the host of `url`
  std::optional<CivilDate> published;
  std::string encoding;  // "utf-8", "windows-1258", "tcvn3", "vni", "viqr"
};

struct ReaderOptions {
  std::string forced_encoding;  // empty: detect; else a name ParseEncodingName accepts
  size_t max_article_bytes = 64 << 20;  // a longer article or line is reported and skipped
  // JSON Lines records are read with simdjson, and only the lines it cannot
  // vouch for with nlohmann-json; false sends every line through nlohmann.
  // The result is the same either way: tests and the fuzz target compare them.
  bool json_fast_path = true;
};

class ArticleReader {
 public:
  // Loads the encoding tables and the HTML boilerplate list from
  // `lexicon_dir` (lexicons/encodings/). Fails on an unknown forced encoding.
  static Expected<ArticleReader> Create(const std::filesystem::path& lexicon_dir,
                                        const ReaderOptions& options);

  ArticleReader(ArticleReader&&) noexcept;
  ArticleReader& operator=(ArticleReader&&) noexcept;
  ~ArticleReader();

  // Streams every article of one input (a file, or "-" for stdin), in order.
  // The format comes from the name (.txt .jsonl .ndjson .json .html .htm, each
  // optionally .gz or .zst); stdin and unknown names are sniffed (compression
  // by magic bytes, '{' for JSON Lines, "<html"/"<!doctype" for HTML, else
  // plain text). Bad records and files go to `on_error`, one message each.
  void Read(const std::string& path, const std::function<void(ArticleRecord&&)>& on_record,
            const std::function<void(const std::string&)>& on_error) const;

 private:
  struct Impl;
  explicit ArticleReader(std::unique_ptr<const Impl> impl);
  std::unique_ptr<const Impl> impl_;
};

// The file name endings CollectInputs should take from folders.
std::vector<std::string> ArticleExtensions();

// Parses the publication dates found in crawler output and page metadata:
// "2024-07-04", "2024-07-04 10:20:00", "2024-07-04T10:20:00+07:00",
// "2024/07/04" and the day-first "04/07/2024" of Vietnamese sites.
std::optional<CivilDate> ParsePublishedDate(std::string_view text);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_ARTICLE_READER_H_
