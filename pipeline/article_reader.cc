#include "pipeline/article_reader.h"

#include <fcntl.h>
#include <gumbo.h>
#include <sys/stat.h>
#include <unistd.h>
#include <zlib.h>
#include <zstd.h>

#include <algorithm>
#include <cctype>
#include <cerrno>
#include <cstring>
#include <nlohmann/json.hpp>
#include <simdjson.h>
#include <unordered_set>

#include "pipeline/lexicon.h"
#include "pipeline/utf8.h"

namespace vnfacts {
namespace {

constexpr size_t kChunkBytes = 64 << 10;
// The first bytes of a file decide whether it is text at all.
constexpr size_t kSniffBytes = 8 << 10;

// ---------------------------------------------------------------------------
// Byte sources: a file descriptor, and decompressors layered on top. Each
// reads as asked and keeps only its own fixed buffers, which is what keeps
// memory flat however large the archive.

class ByteSource {
 public:
  virtual ~ByteSource() = default;
  // Reads up to `cap` bytes; 0 at the end or after a failure (see error()).
  virtual size_t Read(char* buf, size_t cap) = 0;
  // Empty unless reading failed; "byte N: reason" where a position is known.
  virtual const std::string& error() const { return error_; }

 protected:
  std::string error_;
};

class FdSource : public ByteSource {
 public:
  FdSource(int fd, bool owned) : fd_(fd), owned_(owned) {}
  ~FdSource() override {
    if (owned_) close(fd_);
  }
  size_t Read(char* buf, size_t cap) override {
    if (!error_.empty()) return 0;
    while (true) {
      const ssize_t n = read(fd_, buf, cap);
      if (n >= 0) return static_cast<size_t>(n);
      if (errno == EINTR) continue;
      error_ = std::string("read error: ") + std::strerror(errno);
      return 0;
    }
  }

 private:
  int fd_;
  bool owned_;
};

// A peekable buffer over another source, with line and whole-content reads.
class BufferedSource : public ByteSource {
 public:
  explicit BufferedSource(ByteSource* in) : in_(in) {}

  const std::string& error() const override { return in_->error(); }
  uint64_t offset() const { return offset_; }

  // Up to `n` bytes from the current position, without consuming them.
  std::string_view Peek(size_t n) {
    while (end_ - begin_ < n && Fill()) {
    }
    return std::string_view(data_.get() + begin_, std::min(n, end_ - begin_));
  }

  size_t Read(char* out, size_t cap) override {
    if (begin_ == end_ && !Fill()) return 0;
    const size_t n = std::min(cap, end_ - begin_);
    std::memcpy(out, data_.get() + begin_, n);
    Consume(n);
    return n;
  }

  // Reads the next line without its '\n'. A line longer than `max` is
  // consumed but not kept (`*too_long`). False when no bytes were left.
  bool ReadLine(std::string* line, size_t max, bool* too_long, bool* had_newline) {
    line->clear();
    *too_long = false;
    *had_newline = false;
    bool any = false;
    while (true) {
      if (begin_ == end_ && !Fill()) return any;
      any = true;
      const char* start = data_.get() + begin_;
      const size_t avail = end_ - begin_;
      const void* nl = std::memchr(start, '\n', avail);
      const size_t len = nl ? static_cast<size_t>(static_cast<const char*>(nl) - start) : avail;
      if (!*too_long) {
        if (line->size() + len > max) {
          *too_long = true;
          line->clear();
          line->shrink_to_fit();
        } else {
          line->append(start, len);
        }
      }
      if (nl) {
        Consume(len + 1);
        *had_newline = true;
        return true;
      }
      Consume(len);
    }
  }

  // Reads everything left. False (and stops reading) past `max` bytes.
  bool ReadAll(std::string* out, size_t max) {
    out->clear();
    while (true) {
      if (begin_ == end_ && !Fill()) return true;
      const size_t avail = end_ - begin_;
      if (out->size() + avail > max) return false;
      out->append(data_.get() + begin_, avail);
      Consume(avail);
    }
  }

 private:
  // Reads one more chunk after what is buffered; false at the end.
  bool Fill() {
    if (begin_ == end_) begin_ = end_ = 0;
    if (capacity_ - end_ < kChunkBytes) {
      // Move the unread bytes to the front, growing only if a peek needs it.
      const size_t unread = end_ - begin_;
      const size_t needed = unread + kChunkBytes;
      if (needed > capacity_) {
        std::unique_ptr<char[]> bigger(new char[needed]);
        if (unread) std::memcpy(bigger.get(), data_.get() + begin_, unread);
        data_ = std::move(bigger);
        capacity_ = needed;
      } else if (unread) {
        std::memmove(data_.get(), data_.get() + begin_, unread);
      }
      begin_ = 0;
      end_ = unread;
    }
    const size_t n = in_->Read(data_.get() + end_, kChunkBytes);
    end_ += n;
    return n > 0;
  }
  void Consume(size_t n) {
    begin_ += n;
    offset_ += n;
  }

  ByteSource* in_;
  std::unique_ptr<char[]> data_;  // uninitialized on purpose: it is always written first
  size_t capacity_ = 0;
  size_t begin_ = 0;
  size_t end_ = 0;
  uint64_t offset_ = 0;
};

class GzipSource : public ByteSource {
 public:
  explicit GzipSource(ByteSource* in) : in_(in), in_buf_(kChunkBytes, '\0') {
    std::memset(&zs_, 0, sizeof(zs_));
    // 15 + 32: any window size, gzip or zlib header detected automatically.
    if (inflateInit2(&zs_, 15 + 32) != Z_OK) error_ = "cannot initialize zlib";
  }
  ~GzipSource() override { inflateEnd(&zs_); }

  size_t Read(char* buf, size_t cap) override {
    if (!error_.empty() || finished_) return 0;
    zs_.next_out = reinterpret_cast<Bytef*>(buf);
    zs_.avail_out = static_cast<uInt>(std::min<size_t>(cap, 1u << 30));
    while (zs_.avail_out > 0) {
      if (zs_.avail_in == 0 && !in_eof_) Refill();
      if (!error_.empty()) break;
      if (member_done_) {
        if (zs_.avail_in == 0 && in_eof_) {
          finished_ = true;
          break;
        }
        // Concatenated members (as `cat a.gz b.gz` makes) form one stream.
        inflateReset(&zs_);
        member_done_ = false;
      }
      const int rc = inflate(&zs_, Z_NO_FLUSH);
      if (rc == Z_STREAM_END) {
        member_done_ = true;
      } else if (rc == Z_BUF_ERROR) {
        // No progress without more input: at the end of the file that means
        // the stream was cut off.
        if (zs_.avail_in == 0 && in_eof_) {
          error_ = "byte " + std::to_string(consumed()) + ": truncated gzip stream";
          break;
        }
      } else if (rc != Z_OK) {
        error_ = "byte " + std::to_string(consumed()) + ": corrupt gzip data" +
                 (zs_.msg ? std::string(" (") + zs_.msg + ")" : std::string());
        break;
      }
    }
    return cap - zs_.avail_out;
  }

 private:
  void Refill() {
    const size_t n = in_->Read(in_buf_.data(), in_buf_.size());
    if (n == 0) {
      in_eof_ = true;
      if (!in_->error().empty()) error_ = in_->error();
    }
    total_in_ += n;
    zs_.next_in = reinterpret_cast<Bytef*>(in_buf_.data());
    zs_.avail_in = static_cast<uInt>(n);
  }
  uint64_t consumed() const { return total_in_ - zs_.avail_in; }

  ByteSource* in_;
  std::string in_buf_;
  z_stream zs_;
  uint64_t total_in_ = 0;
  bool in_eof_ = false;
  bool member_done_ = false;
  bool finished_ = false;
};

class ZstdSource : public ByteSource {
 public:
  explicit ZstdSource(ByteSource* in) : in_(in), in_buf_(ZSTD_DStreamInSize(), '\0') {
    dctx_ = ZSTD_createDCtx();
    if (dctx_ == nullptr) error_ = "cannot initialize zstd";
  }
  ~ZstdSource() override { ZSTD_freeDCtx(dctx_); }

  size_t Read(char* buf, size_t cap) override {
    if (!error_.empty() || finished_) return 0;
    ZSTD_outBuffer out{buf, cap, 0};
    while (out.pos < out.size) {
      if (input_.pos == input_.size && !in_eof_) Refill();
      if (!error_.empty()) break;
      if (input_.pos == input_.size && in_eof_) {
        // The decoder may still hold output of a complete frame.
        const size_t before = out.pos;
        if (pending_ != 0) {
          const size_t rc = ZSTD_decompressStream(dctx_, &out, &input_);
          if (ZSTD_isError(rc)) {
            SetError(rc);
            break;
          }
          pending_ = rc;
          if (out.pos > before) continue;
          if (pending_ != 0) error_ = "byte " + std::to_string(consumed()) + ": truncated zstd stream";
        }
        finished_ = true;
        break;
      }
      const size_t rc = ZSTD_decompressStream(dctx_, &out, &input_);
      if (ZSTD_isError(rc)) {
        SetError(rc);
        break;
      }
      pending_ = rc;
    }
    return out.pos;
  }

 private:
  void Refill() {
    const size_t n = in_->Read(in_buf_.data(), in_buf_.size());
    if (n == 0) {
      in_eof_ = true;
      if (!in_->error().empty()) error_ = in_->error();
    }
    total_in_ += n;
    input_ = ZSTD_inBuffer{in_buf_.data(), n, 0};
  }
  void SetError(size_t rc) {
    error_ = "byte " + std::to_string(consumed()) + ": corrupt zstd data (" +
             ZSTD_getErrorName(rc) + ")";
  }
  uint64_t consumed() const { return total_in_ - (input_.size - input_.pos); }

  ByteSource* in_;
  std::string in_buf_;
  ZSTD_DCtx* dctx_ = nullptr;
  ZSTD_inBuffer input_{nullptr, 0, 0};
  uint64_t total_in_ = 0;
  size_t pending_ = 0;  // last decompressStream result: 0 at a frame boundary
  bool in_eof_ = false;
  bool finished_ = false;
};

// ---------------------------------------------------------------------------
// Names, formats and small text helpers.

enum class Compression { kNone, kGzip, kZstd };
enum class Format { kUnknown, kText, kJsonLines, kJson, kHtml };

bool EndsWithNoCase(std::string_view s, std::string_view suffix) {
  if (s.size() < suffix.size()) return false;
  for (size_t i = 0; i < suffix.size(); ++i) {
    if (std::tolower(static_cast<unsigned char>(s[s.size() - suffix.size() + i])) != suffix[i]) {
      return false;
    }
  }
  return true;
}

bool EqualsNoCase(std::string_view s, std::string_view lower) {
  return s.size() == lower.size() && EndsWithNoCase(s, lower);
}

std::string_view StripCompressionSuffix(std::string_view name, Compression* compression) {
  *compression = Compression::kNone;
  if (EndsWithNoCase(name, ".gz")) {
    *compression = Compression::kGzip;
    name.remove_suffix(3);
  } else if (EndsWithNoCase(name, ".zst")) {
    *compression = Compression::kZstd;
    name.remove_suffix(4);
  }
  return name;
}

Format FormatFromName(std::string_view name) {
  if (EndsWithNoCase(name, ".jsonl") || EndsWithNoCase(name, ".ndjson")) return Format::kJsonLines;
  if (EndsWithNoCase(name, ".json")) return Format::kJson;
  if (EndsWithNoCase(name, ".html") || EndsWithNoCase(name, ".htm") ||
      EndsWithNoCase(name, ".xhtml")) {
    return Format::kHtml;
  }
  if (EndsWithNoCase(name, ".txt") || EndsWithNoCase(name, ".text")) return Format::kText;
  return Format::kUnknown;
}

bool IsSpace(unsigned char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f'; }

std::string_view Trim(std::string_view s) {
  while (!s.empty() && IsSpace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && IsSpace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::string_view StripBom(std::string_view s) {
  if (s.substr(0, 3) == "\xEF\xBB\xBF") s.remove_prefix(3);
  return s;
}

// Removes a UTF-8 byte order mark; returns how many bytes went.
size_t StripBomInPlace(std::string* s) {
  if (s->compare(0, 3, "\xEF\xBB\xBF") != 0) return 0;
  s->erase(0, 3);
  return 3;
}

Format SniffFormat(std::string_view head) {
  head = Trim(StripBom(head));
  if (!head.empty() && head[0] == '{') return Format::kJsonLines;
  std::string lower(head.substr(0, 64));
  for (char& c : lower) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  if (lower.rfind("<!doctype html", 0) == 0 || lower.rfind("<html", 0) == 0) return Format::kHtml;
  return Format::kText;
}

// NUL bytes, or more than a tenth of control characters, mean this is not text
// in any encoding the reader knows.
bool LooksBinary(std::string_view sample) {
  if (std::memchr(sample.data(), '\0', sample.size()) != nullptr) return true;
  size_t controls = 0;
  for (unsigned char c : sample) {
    if ((c < 0x20 && c != '\t' && c != '\n' && c != '\r' && c != '\f' && c != '\v' && c != 0x1B) ||
        c == 0x7F) {
      ++controls;
    }
  }
  return controls * 10 > sample.size();
}

bool AllDigits(std::string_view s) {
  return !s.empty() && std::all_of(s.begin(), s.end(), [](char c) { return c >= '0' && c <= '9'; });
}

int DaysInMonth(int year, int month) {
  static constexpr int kDays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  const bool leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
  return month == 2 && leap ? 29 : kDays[month - 1];
}

std::optional<CivilDate> MakeDate(int year, int month, int day) {
  if (year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1 ||
      day > DaysInMonth(year, month)) {
    return std::nullopt;
  }
  return CivilDate{year, month, day};
}

std::string HostOf(std::string_view url) {
  const size_t scheme = url.find("://");
  if (scheme == std::string_view::npos) return "";
  std::string_view rest = url.substr(scheme + 3);
  rest = rest.substr(0, rest.find_first_of("/?#"));
  if (const size_t at = rest.rfind('@'); at != std::string_view::npos) rest.remove_prefix(at + 1);
  rest = rest.substr(0, rest.find(':'));
  std::string host(rest);
  for (char& c : host) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return host;
}

// ---------------------------------------------------------------------------
// JSON records: only the top-level fields the reader uses, gathered by a SAX
// handler that moves strings out of the parser instead of building a DOM (a
// record's text can be tens of megabytes).

enum JsonField { kText, kMaintext, kTitle, kUrl, kDatePublish, kDate, kSourceDomain, kSource,
                 kFieldCount };
constexpr const char* kJsonFieldNames[kFieldCount] = {
    "text", "maintext", "title", "url", "date_publish", "date", "source_domain", "source"};

struct JsonFields {
  struct Value {
    std::string type = "null";  // as nlohmann names types; "null" also when absent
    std::string text;           // the value when `type` is "string"
  };
  bool is_object = false;
  Value values[kFieldCount];
};

JsonFields::Value* FieldFor(JsonFields* fields, std::string_view key) {
  for (int f = 0; f < kFieldCount; ++f) {
    if (key == kJsonFieldNames[f]) return &fields->values[f];
  }
  return nullptr;
}

class FieldSax {
 public:
  using json = nlohmann::json;
  explicit FieldSax(JsonFields* fields) : fields_(fields) {}

  bool null() { return Scalar("null"); }
  bool boolean(bool) { return Scalar("boolean"); }
  bool number_integer(json::number_integer_t) { return Scalar("number"); }
  bool number_unsigned(json::number_unsigned_t) { return Scalar("number"); }
  bool number_float(json::number_float_t, const json::string_t&) { return Scalar("number"); }
  bool binary(json::binary_t&) { return Scalar("binary"); }
  bool string(json::string_t& value) {
    if (depth_ == 1 && current_) {
      current_->type = "string";
      current_->text = std::move(value);
      current_ = nullptr;
    }
    return true;
  }
  bool start_object(std::size_t) {
    if (depth_ == 0) fields_->is_object = true;
    Scalar("object");
    ++depth_;
    return true;
  }
  bool key(json::string_t& key) {
    if (depth_ == 1) current_ = FieldFor(fields_, key);
    return true;
  }
  bool end_object() {
    --depth_;
    return true;
  }
  bool start_array(std::size_t) {
    Scalar("array");
    ++depth_;
    return true;
  }
  bool end_array() {
    --depth_;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception& e) {
    error_position = position;
    error = e.what();
    // nlohmann quotes what it last read, which can be a whole article: keep
    // the message to the reason.
    if (size_t cut = error.find("; last read:"); cut != std::string::npos) error.resize(cut);
    syntax_error = e.id == 101;
    return false;
  }

  std::size_t error_position = 0;
  std::string error;
  bool syntax_error = false;

 private:
  bool Scalar(const char* type) {
    if (depth_ == 1 && current_) {
      current_->type = type;
      current_ = nullptr;
    }
    return true;
  }

  JsonFields* fields_;
  int depth_ = 0;
  JsonFields::Value* current_ = nullptr;  // the field whose value comes next
};

JsonFields FieldsFromValue(nlohmann::json& j) {
  JsonFields fields;
  fields.is_object = j.is_object();
  if (!fields.is_object) return fields;
  for (int f = 0; f < kFieldCount; ++f) {
    auto it = j.find(kJsonFieldNames[f]);
    if (it == j.end()) continue;
    fields.values[f].type = it->type_name();
    if (it->is_string()) fields.values[f].text = std::move(it->get_ref<std::string&>());
  }
  return fields;
}

// The fast path for a JSON Lines record: simdjson's DOM parser validates the
// whole line (grammar, escapes, surrogates, control characters, UTF-8) at
// several bytes per cycle, where nlohmann's lexer takes a dozen instructions
// per byte. It fills `fields` exactly as FieldSax would (the last duplicate
// key wins, nested keys do not count) and returns false whenever it cannot
// vouch for the line: then nothing is filled and the caller goes the nlohmann
// way, which alone writes error messages and positions. simdjson rejects
// some lines nlohmann takes (a byte order mark, integers beyond 64 bits,
// nesting deeper than 1024); it accepts none that nlohmann rejects
// (tests/pipeline/article_reader_test.cc and the jsonl_reader fuzz target
// compare the two). Success also means the line is valid UTF-8.
bool FieldsFromSimdjson(simdjson::dom::parser& parser, std::string* line, JsonFields* fields) {
  // simdjson reads up to SIMDJSON_PADDING bytes past the end; the line's own
  // buffer, reused from line to line, holds them, so nothing is copied.
  const size_t size = line->size();
  line->append(simdjson::SIMDJSON_PADDING, ' ');
  simdjson::dom::element root;
  const simdjson::error_code error =
      parser.parse(line->data(), size, /*realloc_if_needed=*/false).get(root);
  line->resize(size);  // the document keeps its own copies of the strings
  if (error) return false;
  simdjson::dom::object object;
  if (root.get(object)) return true;  // valid JSON, but not an object
  fields->is_object = true;
  for (const simdjson::dom::key_value_pair field : object) {
    JsonFields::Value* value = FieldFor(fields, field.key);
    if (value == nullptr) continue;
    switch (field.value.type()) {
      case simdjson::dom::element_type::STRING: {
        value->type = "string";
        const std::string_view text = field.value.get_string().value_unsafe();
        value->text.assign(text.data(), text.size());
        break;
      }
      case simdjson::dom::element_type::NULL_VALUE: value->type = "null"; break;
      case simdjson::dom::element_type::BOOL: value->type = "boolean"; break;
      case simdjson::dom::element_type::OBJECT: value->type = "object"; break;
      case simdjson::dom::element_type::ARRAY: value->type = "array"; break;
      default: value->type = "number"; break;  // INT64, UINT64, DOUBLE
    }
  }
  return true;
}

// "[json.exception.parse_error.101] parse error at line 1, column 41: syntax
// error ..." -> "syntax error ...".
std::string JsonErrorReason(const std::string& what) {
  std::string reason = what;
  if (const size_t bracket = reason.find("] "); reason.rfind("[json.", 0) == 0 &&
                                                bracket != std::string::npos) {
    reason = reason.substr(bracket + 2);
  }
  if (const size_t col = reason.find("column "); col != std::string::npos) {
    if (const size_t colon = reason.find(": ", col); colon != std::string::npos) {
      reason = reason.substr(colon + 2);
    }
  }
  return reason;
}

// ---------------------------------------------------------------------------
// HTML: the page's metadata and its main text, through gumbo's tree.

// gumbo spends time proportional to the depth of open elements on each new
// tag, so a page of 100,000 unclosed <div>s takes minutes. Tags that would
// open an element deeper than this are left out before parsing (their text
// stays); real pages stay far below it.
constexpr int kMaxHtmlDepth = 512;

bool IsAsciiAlpha(char c) { return (c | 0x20) >= 'a' && (c | 0x20) <= 'z'; }

// The charset a page declares in its first bytes (<meta charset=...> or the
// http-equiv Content-Type form), as the HTML standard's prescan finds it, when
// it names an encoding vnfacts reads. It is a hint to detection, not an
// order: archived pages are often re-saved without updating the tag.
std::optional<TextEncoding> DeclaredHtmlCharset(std::string_view page) {
  constexpr size_t kPrescanBytes = 4096;
  std::string head(page.substr(0, kPrescanBytes));
  for (char& c : head) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  for (size_t at = head.find("charset"); at != std::string::npos;
       at = head.find("charset", at + 7)) {
    // Only inside a <meta ...> tag.
    const size_t open = head.rfind('<', at);
    if (open == std::string::npos || head.compare(open, 5, "<meta") != 0 ||
        head.find('>', open) < at) {
      continue;
    }
    size_t i = at + 7;
    while (i < head.size() && (head[i] == ' ' || head[i] == '\t')) ++i;
    if (i >= head.size() || head[i] != '=') continue;
    ++i;
    while (i < head.size() && (head[i] == ' ' || head[i] == '"' || head[i] == '\'')) ++i;
    size_t end = i;
    while (end < head.size() && (std::isalnum(static_cast<unsigned char>(head[end])) ||
                                 head[end] == '-' || head[end] == '_' || head[end] == '.' ||
                                 head[end] == ':')) {
      ++end;
    }
    if (end > i) return ParseEncodingName(std::string_view(head).substr(i, end - i));
  }
  return std::nullopt;
}

// Elements that never hold children or whose end tag is implied by the next
// sibling: they do not deepen the tree however many are left open.
bool OpensNoDepth(std::string_view name) {
  static constexpr std::string_view kNames[] = {
      "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param",
      "source", "track", "wbr", "p", "li", "dt", "dd", "td", "th", "tr", "option", "optgroup",
      "thead", "tbody", "tfoot", "colgroup", "rb", "rt", "rp", "html", "head", "body"};
  for (std::string_view n : kNames) {
    if (EqualsNoCase(name, n)) return true;
  }
  return false;
}

// Returns the page with over-deep start tags (and as many end tags) removed,
// or nothing when the page is within the limit.
std::optional<std::string> LimitNesting(std::string_view html) {
  int depth = 0;
  int suppressed = 0;
  std::string out;
  bool rewriting = false;
  size_t copied = 0;  // html[copied, i) is still to be copied when rewriting
  for (size_t i = 0; i < html.size();) {
    if (html[i] != '<') {
      const size_t next = html.find('<', i + 1);
      i = next == std::string_view::npos ? html.size() : next;
      continue;
    }
    if (html.compare(i, 4, "<!--") == 0) {
      const size_t end = html.find("-->", i + 4);
      i = end == std::string_view::npos ? html.size() : end + 3;
      continue;
    }
    const bool closing = i + 1 < html.size() && html[i + 1] == '/';
    size_t name_begin = i + (closing ? 2 : 1);
    if (name_begin >= html.size() || !IsAsciiAlpha(html[name_begin])) {
      ++i;
      continue;
    }
    size_t j = name_begin;
    while (j < html.size() && (IsAsciiAlpha(html[j]) || (html[j] >= '0' && html[j] <= '9'))) ++j;
    const std::string_view name = html.substr(name_begin, j - name_begin);
    // The end of the tag, skipping quoted attribute values.
    char quote = 0;
    while (j < html.size() && (quote || html[j] != '>')) {
      if (quote && html[j] == quote) {
        quote = 0;
      } else if (!quote && (html[j] == '"' || html[j] == '\'')) {
        quote = html[j];
      }
      ++j;
    }
    const size_t tag_end = j < html.size() ? j + 1 : html.size();
    const bool self_closing = tag_end >= 2 && html[tag_end - 2] == '/';
    bool drop = false;
    if (closing) {
      if (!OpensNoDepth(name)) {
        if (suppressed > 0) {
          --suppressed;
          drop = true;
        } else if (depth > 0) {
          --depth;
        }
      }
    } else if (!self_closing && !OpensNoDepth(name)) {
      if (depth >= kMaxHtmlDepth) {
        ++suppressed;
        drop = true;
      } else {
        ++depth;
      }
    }
    if (drop) {
      if (!rewriting) {
        rewriting = true;
        out.reserve(html.size());
      }
      out.append(html.substr(copied, i - copied));
      copied = tag_end;
    }
    // Raw text elements: their content is not markup.
    if (!closing && !self_closing && (EqualsNoCase(name, "script") || EqualsNoCase(name, "style"))) {
      const std::string_view end_tag = name.size() == 6 ? "</script" : "</style";
      size_t k = tag_end;
      while (k < html.size()) {
        k = html.find("</", k);
        if (k == std::string_view::npos) break;
        if (EndsWithNoCase(html.substr(k, end_tag.size()), end_tag)) break;
        k += 2;
      }
      i = k == std::string_view::npos ? html.size() : k;
      continue;
    }
    i = tag_end;
  }
  if (!rewriting) return std::nullopt;
  out.append(html.substr(copied));
  return out;
}

struct HtmlContent {
  std::string text;
  std::string title;
  std::string url;
  std::string site;
  std::optional<CivilDate> published;
};

const char* Attribute(const GumboElement& e, const char* name) {
  const GumboAttribute* a = gumbo_get_attribute(&e.attributes, name);
  return a ? a->value : nullptr;
}

std::string Lower(std::string_view s) {
  std::string out(s);
  for (char& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

// Collapses HTML whitespace and lays blocks out one per line.
class TextSink {
 public:
  void Text(std::string_view s) {
    for (char c : s) {
      if (IsSpace(static_cast<unsigned char>(c))) {
        pending_space_ = !line_.empty();
      } else {
        if (pending_space_) line_.push_back(' ');
        pending_space_ = false;
        line_.push_back(c);
      }
    }
  }
  void Space() { pending_space_ = !line_.empty(); }
  void Break() {
    if (!line_.empty()) {
      if (!out_.empty()) out_.push_back('\n');
      out_ += line_;
      line_.clear();
    }
    pending_space_ = false;
  }
  std::string Finish() {
    Break();
    return std::move(out_);
  }

 private:
  std::string out_;
  std::string line_;
  bool pending_space_ = false;
};

bool IsBlock(GumboTag tag) {
  switch (tag) {
    case GUMBO_TAG_ADDRESS: case GUMBO_TAG_ARTICLE: case GUMBO_TAG_ASIDE:
    case GUMBO_TAG_BLOCKQUOTE: case GUMBO_TAG_CAPTION: case GUMBO_TAG_DD: case GUMBO_TAG_DETAILS:
    case GUMBO_TAG_DIV: case GUMBO_TAG_DL: case GUMBO_TAG_DT: case GUMBO_TAG_FIELDSET:
    case GUMBO_TAG_FIGCAPTION: case GUMBO_TAG_FIGURE: case GUMBO_TAG_FOOTER: case GUMBO_TAG_H1:
    case GUMBO_TAG_H2: case GUMBO_TAG_H3: case GUMBO_TAG_H4: case GUMBO_TAG_H5: case GUMBO_TAG_H6:
    case GUMBO_TAG_HEADER: case GUMBO_TAG_HR: case GUMBO_TAG_LI: case GUMBO_TAG_MAIN:
    case GUMBO_TAG_NAV: case GUMBO_TAG_OL: case GUMBO_TAG_P: case GUMBO_TAG_PRE:
    case GUMBO_TAG_SECTION: case GUMBO_TAG_SUMMARY: case GUMBO_TAG_TABLE: case GUMBO_TAG_TBODY:
    case GUMBO_TAG_TFOOT: case GUMBO_TAG_THEAD: case GUMBO_TAG_TR: case GUMBO_TAG_UL:
    case GUMBO_TAG_BODY:
      return true;
    default:
      return false;
  }
}

}  // namespace

// ---------------------------------------------------------------------------

struct ArticleReader::Impl {
  LegacyDecoder decoder;
  ReaderOptions options;
  std::optional<TextEncoding> forced;
  std::vector<bool> drop_tags;  // indexed by GumboTag
  std::unordered_set<std::string> drop_classes;

  Impl(LegacyDecoder d, ReaderOptions o) : decoder(std::move(d)), options(std::move(o)) {}

  // One Read() call: the input's name and the two callbacks.
  struct Context {
    const std::string& path;
    const std::function<void(ArticleRecord&&)>& on_record;
    const std::function<void(const std::string&)>& on_error;
    std::optional<TextEncoding> hint;  // what earlier records of this file were in
    // Reused for every JSON line of this input; it keeps buffers as large as
    // the largest line so far, freed with the Read() call.
    simdjson::dom::parser json_parser{};
    void Error(const std::string& message) const { on_error(path + ": " + message); }
    void LineError(uint64_t line, const std::string& message) const {
      on_error(path + ":" + std::to_string(line) + ": " + message);
    }
  };

  void ReadInput(Context& ctx) const;
  void ReadStream(Context& ctx, ByteSource* raw_source, Compression by_name, Format format) const;
  void ReadText(Context& ctx, BufferedSource& in) const;
  void ReadJsonLines(Context& ctx, BufferedSource& in) const;
  void ReadJson(Context& ctx, BufferedSource& in) const;
  void ReadHtml(Context& ctx, BufferedSource& in) const;

  // Decodes a whole article or one JSON line into UTF-8 in place (valid
  // UTF-8 is not copied: articles can be tens of megabytes). `offset` is where
  // the text starts in the file, for error positions.
  Expected<TextEncoding> DecodeInPlace(Context& ctx, std::string* text, uint64_t offset) const;
  // Reads a file that is one article (or one JSON document) whole and decodes
  // it to UTF-8; reports and returns nothing when it is too large, cut short,
  // empty or undecodable. `what` names it in the size message; for an HTML
  // page the declared charset guides detection.
  std::optional<TextEncoding> ReadWholeFile(Context& ctx, BufferedSource& in, const char* what,
                                            bool html, std::string* content) const;
  // Converts the text and title when they are VIQR (forced or detected).
  void MaybeConvertViqr(ArticleRecord* record) const;
  // Fills a record from a JSON object; an error message on failure.
  std::optional<std::string> FromJson(JsonFields& fields, ArticleRecord* record) const;
  // `unterminated`: the file ended without a newline after this line.
  void ProcessJsonLine(Context& ctx, std::string* line, uint64_t line_number, uint64_t offset,
                       bool unterminated) const;
  HtmlContent ExtractHtml(std::string_view html) const;
  bool Dropped(const GumboElement& e) const;
  std::string BlockText(const GumboNode* root) const;
};

Expected<TextEncoding> ArticleReader::Impl::DecodeInPlace(Context& ctx, std::string* text,
                                                          uint64_t offset) const {
  auto shift = [offset](const Status& s) {
    // "byte N: ..." from the decoder counts from the start of `text`.
    const std::string& m = s.message();
    if (m.rfind("byte ", 0) == 0) {
      const size_t colon = m.find(':');
      const uint64_t n = std::strtoull(m.c_str() + 5, nullptr, 10);
      return Status::Error("byte " + std::to_string(offset + n) + m.substr(colon));
    }
    return s;
  };
  if (forced && *forced != TextEncoding::kViqr && *forced != TextEncoding::kUtf8) {
    auto decoded = decoder.Decode(*text, *forced);
    if (!decoded.ok()) return shift(decoded.status());
    *text = std::move(decoded).value();
    return *forced;
  }
  const auto invalid = FindInvalidUtf8(*text);
  if (!invalid) return TextEncoding::kUtf8;
  if (forced) {  // UTF-8, or VIQR which is ASCII
    return Status::Error("byte " + std::to_string(offset + *invalid) + ": invalid UTF-8");
  }
  auto detected = decoder.DetectAndDecode(*text, ctx.hint);
  if (!detected.ok()) return shift(detected.status());
  ctx.hint = detected->encoding;
  *text = std::move(detected->text);
  return detected->encoding;
}

void ArticleReader::Impl::MaybeConvertViqr(ArticleRecord* record) const {
  if (forced) {
    if (*forced != TextEncoding::kViqr) return;
  } else if (record->encoding != EncodingName(TextEncoding::kUtf8) ||
             !decoder.LooksLikeViqr(record->text)) {
    return;
  }
  record->text = decoder.Decode(record->text, TextEncoding::kViqr).value();
  record->title = decoder.Decode(record->title, TextEncoding::kViqr).value();
  record->encoding = std::string(EncodingName(TextEncoding::kViqr));
}

std::optional<TextEncoding> ArticleReader::Impl::ReadWholeFile(Context& ctx, BufferedSource& in,
                                                              const char* what, bool html,
                                                              std::string* content) const {
  if (!in.ReadAll(content, options.max_article_bytes)) {
    ctx.Error(std::string(what) + " larger than " + std::to_string(options.max_article_bytes) +
              " bytes, skipped");
    return std::nullopt;
  }
  // A whole-file article cut short by a broken compressed stream is not
  // delivered half; the stream's error is reported by the caller.
  if (!in.error().empty()) return std::nullopt;
  const size_t bom = StripBomInPlace(content);
  if (Trim(*content).empty()) {
    ctx.Error("empty file");
    return std::nullopt;
  }
  if (html) {
    if (auto declared = DeclaredHtmlCharset(*content)) ctx.hint = *declared;
  }
  auto encoding = DecodeInPlace(ctx, content, bom);
  if (!encoding.ok()) {
    ctx.Error(encoding.status().message());
    return std::nullopt;
  }
  return *encoding;
}

void ArticleReader::Impl::ReadText(Context& ctx, BufferedSource& in) const {
  std::string content;
  const auto encoding = ReadWholeFile(ctx, in, "article", /*html=*/false, &content);
  if (!encoding) return;
  ArticleRecord record;
  record.source = ctx.path;
  record.text = std::move(content);
  record.encoding = std::string(EncodingName(*encoding));
  MaybeConvertViqr(&record);
  ctx.on_record(std::move(record));
}

std::optional<std::string> ArticleReader::Impl::FromJson(JsonFields& fields,
                                                         ArticleRecord* record) const {
  if (!fields.is_object) return "record is not a JSON object";
  // An absent or null field is "not known"; any other non-string is an error,
  // since it means the producer wrote something other than what we expect.
  auto present = [&fields](JsonField f) { return fields.values[f].type != "null"; };
  auto take = [&fields](JsonField f, std::string* out) -> std::optional<std::string> {
    JsonFields::Value& v = fields.values[f];
    if (v.type == "null") return std::nullopt;
    if (v.type != "string") {
      return std::string("field \"") + kJsonFieldNames[f] + "\" is " + v.type + ", not a string";
    }
    *out = std::move(v.text);
    return std::nullopt;
  };
  const JsonField text_field = present(kText) ? kText : kMaintext;
  if (!present(text_field)) return "no \"text\" or \"maintext\" field";
  if (auto e = take(text_field, &record->text)) return e;
  if (Trim(record->text).empty()) return std::string("empty \"") + kJsonFieldNames[text_field] + "\"";
  if (auto e = take(kTitle, &record->title)) return e;
  if (auto e = take(kUrl, &record->url)) return e;
  std::string date;
  if (auto e = take(present(kDatePublish) ? kDatePublish : kDate, &date)) return e;
  if (!date.empty()) record->published = ParsePublishedDate(date);
  if (auto e = take(present(kSourceDomain) ? kSourceDomain : kSource, &record->site)) return e;
  if (record->site.empty()) record->site = HostOf(record->url);
  return std::nullopt;
}

void ArticleReader::Impl::ProcessJsonLine(Context& ctx, std::string* line,
                                          uint64_t line_number, uint64_t offset,
                                          bool unterminated) const {
  JsonFields fields;
  TextEncoding encoding = TextEncoding::kUtf8;
  // Lines a legacy encoding is forced on are always decoded first; any other
  // line simdjson reads is valid UTF-8, which DecodeInPlace leaves as it is.
  const bool legacy_forced = forced && *forced != TextEncoding::kViqr && *forced != TextEncoding::kUtf8;
  if (legacy_forced || !options.json_fast_path ||
      !FieldsFromSimdjson(ctx.json_parser, line, &fields)) {
    auto decoded = DecodeInPlace(ctx, line, offset);
    if (!decoded.ok()) {
      // A last line cut inside a multi-byte letter is a truncated record, not
      // a file in some other encoding.
      const auto bad = FindInvalidUtf8(*line);
      if (unterminated && bad && *bad + 4 > line->size() &&
          static_cast<unsigned char>((*line)[*bad]) >= 0xC2) {
        ctx.LineError(line_number, "truncated JSON record (cut inside a UTF-8 sequence)");
        return;
      }
      ctx.LineError(line_number, decoded.status().message());
      return;
    }
    encoding = *decoded;
    FieldSax sax(&fields);
    if (!nlohmann::json::sax_parse(*line, &sax)) {
      const std::string reason = JsonErrorReason(sax.error);
      if (!sax.syntax_error) {
        ctx.LineError(line_number, "not usable JSON: " + reason);  // e.g. 1e999999
      } else if (sax.error_position > line->size()) {
        // An error past the last byte means the record stopped in the middle.
        ctx.LineError(line_number, "truncated JSON record (" + reason + ")");
      } else {
        ctx.LineError(line_number, "not valid JSON at column " + std::to_string(sax.error_position) +
                                       ": " + reason);
      }
      return;
    }
  }
  // The fields hold the text now; a huge line's buffer is released before the
  // article travels on through the pipeline.
  if (line->capacity() > (4u << 20)) {
    line->clear();
    line->shrink_to_fit();
  }
  ArticleRecord record;
  if (auto error = FromJson(fields, &record)) {
    ctx.LineError(line_number, *error);
    return;
  }
  record.source = ctx.path + ":" + std::to_string(line_number);
  record.encoding = std::string(EncodingName(encoding));
  MaybeConvertViqr(&record);
  ctx.on_record(std::move(record));
}

void ArticleReader::Impl::ReadJsonLines(Context& ctx, BufferedSource& in) const {
  std::string line;
  uint64_t line_number = 0;
  bool any = false;
  while (true) {
    const uint64_t offset = in.offset();
    bool too_long = false, had_newline = false;
    if (!in.ReadLine(&line, options.max_article_bytes, &too_long, &had_newline)) break;
    ++line_number;
    if (too_long) {
      any = true;
      ctx.LineError(line_number, "line longer than " + std::to_string(options.max_article_bytes) +
                                     " bytes, skipped");
      continue;
    }
    // A last line cut off by a broken compressed stream is that stream's
    // failure, reported once below, not a second error of its own.
    if (!had_newline && !in.error().empty()) break;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    const size_t skipped = line_number == 1 ? StripBomInPlace(&line) : 0;
    if (Trim(line).empty()) continue;
    any = true;
    ProcessJsonLine(ctx, &line, line_number, offset + skipped, !had_newline);
  }
  if (!any && in.error().empty()) ctx.Error("empty file");
}

void ArticleReader::Impl::ReadJson(Context& ctx, BufferedSource& in) const {
  std::string content;
  const auto encoding = ReadWholeFile(ctx, in, "file", /*html=*/false, &content);
  if (!encoding) return;
  nlohmann::json j = nlohmann::json::parse(content, nullptr, /*allow_exceptions=*/false);
  if (j.is_discarded()) {
    // Many crawlers name JSON Lines files ".json": read it line by line.
    std::string_view rest = content;
    uint64_t line_number = 0;
    while (!rest.empty()) {
      const size_t nl = rest.find('\n');
      std::string line(rest.substr(0, nl));
      rest = nl == std::string_view::npos ? std::string_view() : rest.substr(nl + 1);
      ++line_number;
      if (!line.empty() && line.back() == '\r') line.pop_back();
      if (!Trim(line).empty()) ProcessJsonLine(ctx, &line, line_number, 0, rest.empty());
    }
    return;
  }
  auto deliver = [&](nlohmann::json& value, const std::string& source) {
    ArticleRecord record;
    JsonFields fields = FieldsFromValue(value);
    if (auto error = FromJson(fields, &record)) {
      ctx.on_error(source + ": " + *error);
      return;
    }
    record.source = source;
    record.encoding = std::string(EncodingName(*encoding));
    MaybeConvertViqr(&record);
    ctx.on_record(std::move(record));
  };
  if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) deliver(j[i], ctx.path + ":[" + std::to_string(i) + "]");
  } else {
    deliver(j, ctx.path);
  }
}

bool ArticleReader::Impl::Dropped(const GumboElement& e) const {
  if (e.tag < drop_tags.size() && drop_tags[e.tag]) return true;
  if (Attribute(e, "hidden") != nullptr) return true;
  if (const char* aria = Attribute(e, "aria-hidden"); aria && std::strcmp(aria, "true") == 0) {
    return true;
  }
  // The containers that hold the article itself are never dropped for a class
  // name ("article share-enabled" is still the article).
  if (e.tag == GUMBO_TAG_ARTICLE || e.tag == GUMBO_TAG_MAIN || e.tag == GUMBO_TAG_BODY ||
      e.tag == GUMBO_TAG_HTML) {
    return false;
  }
  for (const char* name : {"class", "id", "role"}) {
    const char* value = Attribute(e, name);
    if (value == nullptr) continue;
    std::string_view v(value);
    size_t pos = 0;
    while (pos < v.size()) {
      const size_t end = v.find_first_of(" \t\n\r\f-_", pos);
      const std::string_view part = v.substr(pos, end == std::string_view::npos ? end : end - pos);
      if (!part.empty() && drop_classes.count(Lower(part))) return true;
      if (end == std::string_view::npos) break;
      pos = end + 1;
    }
  }
  return false;
}

std::string ArticleReader::Impl::BlockText(const GumboNode* root) const {
  TextSink sink;
  // An explicit stack: pages nest tens of thousands deep when tags are left
  // open, and recursion would overflow.
  struct Frame {
    const GumboNode* node;
    unsigned next_child;
  };
  std::vector<Frame> stack;
  stack.push_back({root, 0});
  if (root->type == GUMBO_NODE_ELEMENT && IsBlock(root->v.element.tag)) sink.Break();
  while (!stack.empty()) {
    Frame& frame = stack.back();
    const GumboNode* node = frame.node;
    if (node->type != GUMBO_NODE_ELEMENT && node->type != GUMBO_NODE_DOCUMENT) {
      stack.pop_back();
      continue;
    }
    const GumboVector& children =
        node->type == GUMBO_NODE_ELEMENT ? node->v.element.children : node->v.document.children;
    if (frame.next_child >= children.length) {
      if (node->type == GUMBO_NODE_ELEMENT && IsBlock(node->v.element.tag)) sink.Break();
      stack.pop_back();
      continue;
    }
    const auto* child = static_cast<const GumboNode*>(children.data[frame.next_child++]);
    switch (child->type) {
      case GUMBO_NODE_TEXT:
      case GUMBO_NODE_CDATA:
      case GUMBO_NODE_WHITESPACE:
        sink.Text(child->v.text.text);
        break;
      case GUMBO_NODE_ELEMENT: {
        const GumboElement& e = child->v.element;
        if (Dropped(e)) break;
        if (e.tag == GUMBO_TAG_BR) {
          sink.Break();
          break;
        }
        if (e.tag == GUMBO_TAG_TD || e.tag == GUMBO_TAG_TH) sink.Space();
        if (IsBlock(e.tag)) sink.Break();
        stack.push_back({child, 0});
        break;
      }
      default:
        break;  // comments, templates
    }
  }
  return sink.Finish();
}

HtmlContent ArticleReader::Impl::ExtractHtml(std::string_view html) const {
  HtmlContent content;
  GumboOptions gumbo_options = kGumboDefaultOptions;
  gumbo_options.max_errors = 0;  // parse errors are normal on the web; do not collect them
  const std::optional<std::string> limited = LimitNesting(html);
  if (limited) html = *limited;
  std::unique_ptr<GumboOutput, std::function<void(GumboOutput*)>> output(
      gumbo_parse_with_options(&gumbo_options, html.data(), html.size()),
      [&gumbo_options](GumboOutput* o) { gumbo_destroy_output(&gumbo_options, o); });
  if (!output) return content;

  // One pass over every element for metadata and candidate containers.
  std::string page_title, og_title, og_url, canonical, first_time;
  // Publication dates in order of trust: the Open Graph article tag, schema.org
  // markup, then the loose names some sites use.
  std::string dates[3];
  const GumboNode* body = nullptr;
  const GumboNode* main = nullptr;
  std::vector<const GumboNode*> articles;
  std::vector<const GumboNode*> stack{output->document};
  while (!stack.empty()) {
    const GumboNode* node = stack.back();
    stack.pop_back();
    const GumboVector* children = nullptr;
    if (node->type == GUMBO_NODE_DOCUMENT) {
      children = &node->v.document.children;
    } else if (node->type == GUMBO_NODE_ELEMENT) {
      const GumboElement& e = node->v.element;
      children = &e.children;
      switch (e.tag) {
        case GUMBO_TAG_BODY:
          if (!body) body = node;
          break;
        case GUMBO_TAG_MAIN:
          if (!main) main = node;
          break;
        case GUMBO_TAG_ARTICLE:
          articles.push_back(node);
          break;
        case GUMBO_TAG_TITLE:
          if (page_title.empty()) page_title = BlockText(node);
          break;
        case GUMBO_TAG_LINK: {
          const char* rel = Attribute(e, "rel");
          const char* href = Attribute(e, "href");
          if (rel && href && Lower(rel) == "canonical" && canonical.empty()) canonical = href;
          break;
        }
        case GUMBO_TAG_TIME: {
          const char* datetime = Attribute(e, "datetime");
          if (datetime && first_time.empty()) first_time = datetime;
          break;
        }
        case GUMBO_TAG_META: {
          const char* content_attr = Attribute(e, "content");
          if (!content_attr) break;
          for (const char* key_attr : {"property", "name", "itemprop"}) {
            const char* key = Attribute(e, key_attr);
            if (!key) continue;
            const std::string k = Lower(key);
            if (k == "og:title" && og_title.empty()) og_title = content_attr;
            if (k == "og:url" && og_url.empty()) og_url = content_attr;
            if (k == "og:site_name" && content.site.empty()) content.site = content_attr;
            const int rank = k == "article:published_time" ? 0
                             : k == "datepublished"        ? 1
                             : (k == "pubdate" || k == "publishdate" || k == "date" ||
                                k == "dc.date.issued" || k == "og:published_time")
                                 ? 2
                                 : -1;
            if (rank >= 0 && dates[rank].empty()) dates[rank] = content_attr;
          }
          break;
        }
        default:
          if (const char* prop = Attribute(e, "itemprop");
              prop && Lower(prop) == "datepublished" && dates[1].empty()) {
            const char* value = Attribute(e, "datetime");
            if (!value) value = Attribute(e, "content");
            if (value) dates[1] = value;
          }
          break;
      }
      if (e.tag == GUMBO_TAG_TIME) {
        if (const char* prop = Attribute(e, "itemprop");
            prop && Lower(prop) == "datepublished" && dates[1].empty()) {
          if (const char* value = Attribute(e, "datetime")) dates[1] = value;
        }
      }
      if (!main) {
        if (const char* role = Attribute(e, "role"); role && Lower(role) == "main") main = node;
      }
    }
    if (children) {
      for (unsigned i = children->length; i-- > 0;) {
        stack.push_back(static_cast<const GumboNode*>(children->data[i]));
      }
    }
  }

  content.title = std::string(Trim(!Trim(og_title).empty() ? og_title : page_title));
  content.url = !canonical.empty() ? canonical : og_url;
  if (content.site.empty()) content.site = HostOf(content.url);
  for (const std::string& d : dates) {
    if (!content.published && !d.empty()) content.published = ParsePublishedDate(d);
  }
  if (!content.published && !first_time.empty()) content.published = ParsePublishedDate(first_time);

  // The main text: the largest <article> or the <main> when it holds a fair
  // share of the page's text (a page of teasers in <article> tags does not),
  // else the whole body with the page furniture dropped.
  std::string page = body ? BlockText(body) : BlockText(output->document);
  std::string best;
  for (const GumboNode* candidate : articles) {
    std::string text = BlockText(candidate);
    if (text.size() > best.size()) best = std::move(text);
  }
  if (main) {
    std::string text = BlockText(main);
    if (text.size() > best.size()) best = std::move(text);
  }
  content.text = best.size() * 3 >= page.size() && !best.empty() ? std::move(best) : std::move(page);
  return content;
}

void ArticleReader::Impl::ReadHtml(Context& ctx, BufferedSource& in) const {
  std::string content;
  const auto encoding = ReadWholeFile(ctx, in, "page", /*html=*/true, &content);
  if (!encoding) return;
  HtmlContent page = ExtractHtml(content);
  if (page.text.empty()) {
    ctx.Error("no article text in the HTML page");
    return;
  }
  ArticleRecord record;
  record.source = ctx.path;
  record.text = std::move(page.text);
  record.title = std::move(page.title);
  record.url = std::move(page.url);
  record.site = std::move(page.site);
  record.published = page.published;
  record.encoding = std::string(EncodingName(*encoding));
  MaybeConvertViqr(&record);
  ctx.on_record(std::move(record));
}

void ArticleReader::Impl::ReadStream(Context& ctx, ByteSource* raw_source, Compression by_name,
                                     Format format) const {
  BufferedSource raw(raw_source);
  const std::string_view magic = raw.Peek(4);
  if (magic.empty()) {
    ctx.Error(raw.error().empty() ? "empty file" : raw.error());
    return;
  }
  Compression compression = Compression::kNone;
  if (magic.size() >= 2 && magic.substr(0, 2) == "\x1F\x8B") {
    compression = Compression::kGzip;
  } else if (magic == std::string_view("\x28\xB5\x2F\xFD", 4)) {
    compression = Compression::kZstd;
  }
  if (by_name != Compression::kNone && compression != by_name) {
    ctx.Error(by_name == Compression::kGzip ? "not a gzip file" : "not a zstd file");
    return;
  }
  std::unique_ptr<ByteSource> decompressor;
  if (compression == Compression::kGzip) decompressor = std::make_unique<GzipSource>(&raw);
  if (compression == Compression::kZstd) decompressor = std::make_unique<ZstdSource>(&raw);
  BufferedSource in(decompressor ? decompressor.get() : static_cast<ByteSource*>(&raw));

  const std::string_view head = in.Peek(kSniffBytes);
  if (head.empty()) {
    ctx.Error(in.error().empty() ? "empty file" : in.error());
    return;
  }
  if (LooksBinary(head)) {
    ctx.Error("binary file");
    return;
  }
  if (format == Format::kUnknown) format = SniffFormat(head);
  switch (format) {
    case Format::kJsonLines: ReadJsonLines(ctx, in); break;
    case Format::kJson: ReadJson(ctx, in); break;
    case Format::kHtml: ReadHtml(ctx, in); break;
    default: ReadText(ctx, in); break;
  }
  if (!in.error().empty()) ctx.Error(in.error());
}

void ArticleReader::Impl::ReadInput(Context& ctx) const {
  if (ctx.path == "-") {
    FdSource in(STDIN_FILENO, /*owned=*/false);
    ReadStream(ctx, &in, Compression::kNone, Format::kUnknown);
    return;
  }
  const int fd = open(ctx.path.c_str(), O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    ctx.Error(std::string("cannot open: ") + std::strerror(errno));
    return;
  }
  FdSource in(fd, /*owned=*/true);
  struct stat st;
  if (fstat(fd, &st) == 0 && S_ISDIR(st.st_mode)) {
    ctx.Error("is a directory");
    return;
  }
  Compression compression;
  const std::string_view inner = StripCompressionSuffix(ctx.path, &compression);
  ReadStream(ctx, &in, compression, FormatFromName(inner));
}

ArticleReader::ArticleReader(std::unique_ptr<const Impl> impl) : impl_(std::move(impl)) {}
ArticleReader::ArticleReader(ArticleReader&&) noexcept = default;
ArticleReader& ArticleReader::operator=(ArticleReader&&) noexcept = default;
ArticleReader::~ArticleReader() = default;

Expected<ArticleReader> ArticleReader::Create(const std::filesystem::path& lexicon_dir,
                                              const ReaderOptions& options) {
  std::optional<TextEncoding> forced;
  if (!options.forced_encoding.empty()) {
    forced = ParseEncodingName(options.forced_encoding);
    if (!forced) {
      return Status::Error("unknown encoding '" + options.forced_encoding +
                           "' (expected utf-8, windows-1258, tcvn3, vni or viqr)");
    }
  }
  if (options.max_article_bytes == 0) return Status::Error("max_article_bytes must be positive");
  auto decoder = LegacyDecoder::Create(lexicon_dir);
  if (!decoder.ok()) return decoder.status();
  auto impl = std::make_unique<Impl>(std::move(decoder).value(), options);
  impl->forced = forced;

  LexiconSpec spec;
  spec.min_fields = 2;
  spec.max_fields = 2;
  spec.unique_key = false;  // "nav" is a tag and a class word
  const std::filesystem::path path = lexicon_dir / "encodings" / "html_boilerplate.tsv";
  auto table = LoadLexiconTable(path, spec);
  if (!table.ok()) return table.status();
  impl->drop_tags.assign(GUMBO_TAG_LAST + 1, false);
  for (const LexiconRow& row : table->rows) {
    const std::string marker = Lower(row.fields[0]);
    if (row.fields[1] == "tag") {
      const GumboTag tag = gumbo_tag_enum(marker.c_str());
      if (tag == GUMBO_TAG_UNKNOWN) {
        return Status::Error(table->Where(row) + ": unknown HTML tag '" + marker + "'");
      }
      impl->drop_tags[tag] = true;
    } else if (row.fields[1] == "class") {
      impl->drop_classes.insert(marker);
    } else {
      return Status::Error(table->Where(row) + ": expected 'tag' or 'class', found '" +
                           row.fields[1] + "'");
    }
  }
  return ArticleReader(std::move(impl));
}

void ArticleReader::Read(const std::string& path,
                         const std::function<void(ArticleRecord&&)>& on_record,
                         const std::function<void(const std::string&)>& on_error) const {
  Impl::Context ctx{path, on_record, on_error, std::nullopt};
  try {
    impl_->ReadInput(ctx);
  } catch (const std::bad_alloc&) {
    ctx.Error("out of memory");
  } catch (const std::exception& e) {
    // Exceptions stay inside the reader; the run goes on with the next input.
    ctx.Error(std::string("cannot read: ") + e.what());
  }
}

std::vector<std::string> ArticleExtensions() {
  std::vector<std::string> out;
  for (const char* base : {".txt", ".jsonl", ".ndjson", ".json", ".html", ".htm"}) {
    for (const char* compression : {"", ".gz", ".zst"}) out.push_back(std::string(base) + compression);
  }
  return out;
}

std::optional<CivilDate> ParsePublishedDate(std::string_view text) {
  text = Trim(text);
  // Year first: 2024-07-04, 2024/07/04, optionally followed by a time.
  if (text.size() >= 10 && AllDigits(text.substr(0, 4)) && (text[4] == '-' || text[4] == '/') &&
      AllDigits(text.substr(5, 2)) && text[7] == text[4] && AllDigits(text.substr(8, 2)) &&
      (text.size() == 10 || text[10] == 'T' || text[10] == ' ' || text[10] == 't')) {
    return MakeDate(std::stoi(std::string(text.substr(0, 4))), std::stoi(std::string(text.substr(5, 2))),
                    std::stoi(std::string(text.substr(8, 2))));
  }
  // Day first, as Vietnamese sites write it: 4/7/2024, 04-07-2024 10:20.
  size_t pos = 0;
  int parts[3] = {0, 0, 0};
  char separator = 0;
  for (int i = 0; i < 3; ++i) {
    const size_t start = pos;
    while (pos < text.size() && pos - start < 4 && text[pos] >= '0' && text[pos] <= '9') ++pos;
    const size_t len = pos - start;
    if (len == 0 || (i < 2 && len > 2) || (i == 2 && len != 4)) return std::nullopt;
    parts[i] = std::stoi(std::string(text.substr(start, len)));
    if (i < 2) {
      if (pos >= text.size() || (text[pos] != '/' && text[pos] != '-')) return std::nullopt;
      if (separator != 0 && text[pos] != separator) return std::nullopt;
      separator = text[pos++];
    }
  }
  if (pos != text.size() && text[pos] != ' ' && text[pos] != 'T') return std::nullopt;
  return MakeDate(parts[2], parts[1], parts[0]);
}

}  // namespace vnfacts
