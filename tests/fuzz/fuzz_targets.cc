#include "tests/fuzz/fuzz_targets.h"

#include <sqlite3.h>

#include <cstdio>
#include <cstdlib>
#include <string>

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <fstream>
#include <algorithm>
#include <cmath>
#include <set>

#include "extractors/extractor.h"
#include "pipeline/article_reader.h"
#include "pipeline/figure_checker.h"
#include "pipeline/store.h"
#include "pipeline/legacy_encoding.h"
#include "pipeline/utf8.h"
#include "pipeline/lexicon.h"
#include "pipeline/search_query.h"
#include "pipeline/sentence_boundaries.h"
#include "pipeline/text_pipeline.h"

namespace vnfacts::fuzz {
namespace {

[[noreturn]] void Fail(const char* what) {
  std::fprintf(stderr, "fuzz invariant broken: %s\n", what);
  std::abort();
}
void Check(bool ok, const char* what) {
  if (!ok) Fail(what);
}

const vnfacts::TextPipeline& Pipeline() {
  static const vnfacts::TextPipeline* pipeline = [] {
    auto p = vnfacts::TextPipeline::Create({});
    if (!p.ok()) Fail(p.status().message().c_str());
    return new vnfacts::TextPipeline(std::move(p).value());
  }();
  return *pipeline;
}

const vnfacts::ExtractorSet& Extractors() {
  static const vnfacts::ExtractorSet* set = [] {
    auto s = vnfacts::ExtractorSet::Create(vnfacts::DefaultLexiconDir());
    if (!s.ok()) Fail(s.status().message().c_str());
    return new vnfacts::ExtractorSet(std::move(s).value());
  }();
  return *set;
}

// Processes the input as an article and checks what every stage promises.
bool Process(const uint8_t* data, size_t size, Document* doc) {
  doc->source = "fuzz";
  doc->raw.assign(reinterpret_cast<const char*>(data), size);
  if (!Pipeline().Process(doc).ok()) return false;  // not UTF-8: a clean error
  const uint32_t n = static_cast<uint32_t>(doc->text.size());
  Check(doc->offsets.normalized_size() == n, "offset map covers the text");
  Check(doc->offsets.raw_size() == doc->raw.size(), "offset map covers the raw bytes");
  uint32_t previous = 0;
  for (uint32_t i = 0; i <= n; i += 1 + i / 64) {
    const uint32_t raw = doc->offsets.ToRaw(i);
    Check(raw >= previous && raw <= doc->raw.size(), "offset map monotonic and in range");
    previous = raw;
  }
  uint32_t expected_begin = 0;
  for (const Sentence& s : doc->sentences) {
    Check(s.begin == expected_begin && s.end >= s.begin, "sentences tile the text");
    expected_begin = s.end;
    for (uint32_t t = s.first_token; t < s.end_token; ++t) {
      Check(doc->tokens[t].begin >= s.begin && doc->tokens[t].end <= s.end, "tokens stay in sentence");
    }
  }
  Check(doc->sentences.empty() ? n == 0 : expected_begin == n, "sentences end at the text end");
  return true;
}

int Extract(const uint8_t* data, size_t size, size_t index) {
  Document doc;
  if (!Process(data, size, &doc)) return 0;
  std::vector<Fact> facts;
  Extractors().extractors().at(index)->Extract(doc, &facts);
  for (const Fact& f : facts) {
    Check(f.begin <= f.end && f.end <= doc.text.size(), "fact span in range");
    Check(f.sentence < doc.sentences.size(), "fact sentence exists");
  }
  return 0;
}

}  // namespace

int Normalizer(const uint8_t* data, size_t size) {
  Document doc;
  doc.source = "fuzz";
  doc.raw.assign(reinterpret_cast<const char*>(data), size);
  // The plain-text shortcut changes nothing: same text, same map, same error.
  Document reference;
  reference.source = doc.source;
  reference.raw = doc.raw;
  const Status reference_status = Pipeline().normalizer().NormalizeUnitByUnit(&reference);
  const Status status = Pipeline().normalizer().Normalize(&doc);
  Check(status.ok() == reference_status.ok() && status.message() == reference_status.message(),
        "same status unit by unit");
  Check(doc.text == reference.text, "same text unit by unit");
  Check(doc.offsets.chunk_count() == reference.offsets.chunk_count(), "same map unit by unit");
  for (uint32_t i = 0; i <= doc.text.size(); ++i) {
    Check(doc.offsets.ToRaw(i) == reference.offsets.ToRaw(i) &&
              doc.offsets.ToRawEnd(i) == reference.offsets.ToRawEnd(i),
          "same offsets unit by unit");
  }
  if (!status.ok()) return 0;
  Check(doc.offsets.normalized_size() == doc.text.size(), "offset map covers the text");
  // Normalizing twice changes nothing.
  Document again;
  again.raw = doc.text;
  Check(Pipeline().normalizer().Normalize(&again).ok(), "normalized text is valid UTF-8");
  Check(again.text == doc.text, "normalization is idempotent");
  return 0;
}

int TextPipeline(const uint8_t* data, size_t size) {
  Document doc;
  Process(data, size, &doc);
  return 0;
}

int DocumentExtractor(const uint8_t* data, size_t size) { return Extract(data, size, 0); }
int DateExtractor(const uint8_t* data, size_t size) { return Extract(data, size, 1); }
int QuantityExtractor(const uint8_t* data, size_t size) { return Extract(data, size, 2); }
int OfficialExtractor(const uint8_t* data, size_t size) { return Extract(data, size, 3); }

int SearchQuery(const uint8_t* data, size_t size) {
  static sqlite3* db = [] {
    sqlite3* handle = nullptr;
    sqlite3_open(":memory:", &handle);
    sqlite3_exec(handle,
                 "CREATE VIRTUAL TABLE t USING fts5(folded, tokenize = 'unicode61');"
                 "INSERT INTO t VALUES ('nguyen van phong dang uy 124 qd tw');",
                 nullptr, nullptr, nullptr);
    return handle;
  }();
  const std::string query(reinterpret_cast<const char*>(data), size);
  const auto terms = ParseSearchQuery(query);
  if (terms.empty()) return 0;
  sqlite3_stmt* statement = nullptr;
  Check(sqlite3_prepare_v2(db, "SELECT rowid FROM t WHERE t MATCH ?", -1, &statement, nullptr) ==
            SQLITE_OK,
        "prepare");
  const std::string expression = FtsMatchExpression(terms);
  sqlite3_bind_text(statement, 1, expression.data(), static_cast<int>(expression.size()),
                    SQLITE_TRANSIENT);
  int rc;
  while ((rc = sqlite3_step(statement)) == SQLITE_ROW) {
  }
  sqlite3_finalize(statement);
  if (rc != SQLITE_DONE) {
    std::fprintf(stderr, "query %s gave: %s\n", expression.c_str(), sqlite3_errmsg(db));
    Fail("a user query reached FTS5 as syntax");
  }
  return 0;
}

namespace {

const LegacyDecoder& Decoder() {
  static const LegacyDecoder* decoder = [] {
    auto d = LegacyDecoder::Create(DefaultLexiconDir());
    if (!d.ok()) Fail(d.status().message().c_str());
    return new LegacyDecoder(std::move(d).value());
  }();
  return *decoder;
}

const ArticleReader& Reader() {
  static const ArticleReader* reader = [] {
    auto r = ArticleReader::Create(DefaultLexiconDir(), {});
    if (!r.ok()) Fail(r.status().message().c_str());
    return new ArticleReader(std::move(r).value());
  }();
  return *reader;
}

// The reference for JSON Lines: every line through nlohmann-json.
const ArticleReader& NlohmannOnlyReader() {
  static const ArticleReader* reader = [] {
    ReaderOptions options;
    options.json_fast_path = false;
    auto r = ArticleReader::Create(DefaultLexiconDir(), options);
    if (!r.ok()) Fail(r.status().message().c_str());
    return new ArticleReader(std::move(r).value());
  }();
  return *reader;
}

// Everything a Read() call gives, in order, as one string to compare.
std::string ReadTrace(const ArticleReader& reader, const std::string& path) {
  std::string trace;
  reader.Read(
      path,
      [&](ArticleRecord&& r) {
        trace += "record\x1F" + r.source + "\x1F" + r.text + "\x1F" + r.title + "\x1F" + r.url +
                 "\x1F" + r.site + "\x1F" + r.encoding + "\x1F";
        if (r.published) {
          trace += std::to_string(r.published->year) + "-" + std::to_string(r.published->month) + "-" +
                   std::to_string(r.published->day);
        }
        trace += "\x1E";
      },
      [&](const std::string& message) { trace += "error\x1F" + message + "\x1E"; });
  return trace;
}

// The readers read files: the input goes to a per-process temporary file with
// the extension that selects the format.
int ReadAs(const uint8_t* data, size_t size, const char* extension) {
  static const std::filesystem::path dir = [] {
    auto d = std::filesystem::temp_directory_path() / ("vnfacts_fuzz_" + std::to_string(::getpid()));
    std::filesystem::create_directories(d);
    return d;
  }();
  const auto path = dir / (std::string("input") + extension);
  {
    std::ofstream out(path, std::ios::binary | std::ios::trunc);
    out.write(reinterpret_cast<const char*>(data), static_cast<std::streamsize>(size));
  }
  Reader().Read(
      path.string(),
      [](ArticleRecord&& record) {
        Check(!FindInvalidUtf8(record.text).has_value(), "a record's text is UTF-8");
      },
      [](const std::string& message) { Check(!message.empty(), "errors say something"); });
  // simdjson reads JSON lines and hands what it cannot vouch for to
  // nlohmann-json: the records and messages must be nlohmann's alone.
  if (std::string_view(extension) == ".jsonl") {
    Check(ReadTrace(Reader(), path.string()) == ReadTrace(NlohmannOnlyReader(), path.string()),
          "the simdjson path reads JSON Lines as nlohmann-json alone does");
  }
  return 0;
}

}  // namespace

int LegacyEncoding(const uint8_t* data, size_t size) {
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  auto detected = Decoder().DetectAndDecode(bytes);
  if (detected.ok()) Check(!FindInvalidUtf8(detected->text).has_value(), "detected text is UTF-8");
  for (TextEncoding e : {TextEncoding::kWindows1258, TextEncoding::kTcvn3, TextEncoding::kVni,
                         TextEncoding::kViqr}) {
    auto decoded = Decoder().Decode(bytes, e);
    if (!decoded.ok()) continue;
    Check(!FindInvalidUtf8(*decoded).has_value(), "decoded text is UTF-8");
    // What one encoding wrote, it reads back. VIQR is left out: its tone
    // mnemonics are punctuation ("i." is ị or an i ending a sentence), so a
    // decoded text need not survive a round trip (a known gap, see README).
    if (e == TextEncoding::kViqr) continue;
    auto encoded = Decoder().Encode(*decoded, e);
    if (encoded.ok()) {
      auto again = Decoder().Decode(*encoded, e);
      Check(again.ok() && *again == *decoded, "encode then decode is the identity");
    }
  }
  return 0;
}

// `vnfacts check` over what the pipeline makes of the input: the bytes up to
// a form feed are one article, the rest a second one published later, so the
// comparisons across articles run too. FinishAcrossArticles() forgets the
// measures it compared, so one checker serves every input.
int FigureCheck(const uint8_t* data, size_t size) {
  static FigureChecker* checker = [] {
    auto c = FigureChecker::Create(DefaultLexiconDir());
    if (!c.ok()) Fail(c.status().message().c_str());
    return new FigureChecker(std::move(c).value());
  }();
  const std::string_view bytes(reinterpret_cast<const char*>(data), size);
  const size_t split = std::min(bytes.find('\f'), bytes.size());
  std::vector<StoredArticle> articles;
  for (const std::string_view part : {bytes.substr(0, split), bytes.substr(std::min(split + 1, size))}) {
    Document doc;
    if (!Process(reinterpret_cast<const uint8_t*>(part.data()), part.size(), &doc)) continue;
    doc.source = "fuzz" + std::to_string(articles.size());
    doc.reference_date = CivilDate{2024, articles.empty() ? 3 : 9, 1};
    Extractors().Extract(&doc);
    articles.push_back(StoredArticle::FromDocument(doc, "hash"));
  }
  std::vector<Finding> findings;
  for (const StoredArticle& a : articles) checker->CheckArticle(a, &findings);
  checker->FinishAcrossArticles(&findings);
  static const std::set<std::string> kinds = {"sum_mismatch", "sum_ok", "percent_mismatch",
                                              "percent_ok", "conflict", "series_decrease"};
  for (const Finding& f : findings) {
    Check(kinds.count(f.kind) == 1, "a finding has a known kind");
    Check(!f.explanation.empty(), "a finding explains itself");
    Check(std::isfinite(f.stated) && (!f.computed || std::isfinite(*f.computed)),
          "a finding's figures are finite");
    Check(!f.evidence.empty() && !f.articles.empty(), "a finding has evidence");
    for (const FigureEvidence& e : f.evidence) {
      const auto article = std::find_if(articles.begin(), articles.end(),
                                        [&](const StoredArticle& a) { return a.source == e.article; });
      Check(article != articles.end(), "evidence names a checked article");
      Check(e.begin <= e.end && e.end <= article->text.size(), "evidence span in range");
      Check(e.raw_begin <= e.raw_end && e.raw_end <= article->raw_bytes, "evidence raw span in range");
      Check(std::isfinite(e.value), "evidence value finite");
    }
  }
  return 0;
}

int JsonLinesReader(const uint8_t* data, size_t size) { return ReadAs(data, size, ".jsonl"); }
int HtmlReader(const uint8_t* data, size_t size) { return ReadAs(data, size, ".html"); }

int SentenceBoundaries(const uint8_t* data, size_t size) {
  static const vnfacts::SentenceBoundaries* boundaries = [] {
    auto b = vnfacts::SentenceBoundaries::Create();
    if (!b.ok()) Fail(b.status().message().c_str());
    return new vnfacts::SentenceBoundaries(std::move(b).value());
  }();
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<uint32_t> windowed, full;
  boundaries->Find(text, &windowed);
  boundaries->FindByFullScan(text, &full);
  Check(windowed == full, "windowed sentence boundaries equal ICU's full walk");
  return 0;
}

const std::vector<Target>& AllTargets() {
  static const std::vector<Target> targets = {
      {"normalizer", &Normalizer},
      {"text_pipeline", &TextPipeline},
      {"document_extractor", &DocumentExtractor},
      {"date_extractor", &DateExtractor},
      {"quantity_extractor", &QuantityExtractor},
      {"official_extractor", &OfficialExtractor},
      {"search_query", &SearchQuery},
      {"legacy_encoding", &LegacyEncoding},
      {"jsonl_reader", &JsonLinesReader},
      {"html_reader", &HtmlReader},
      {"figure_check", &FigureCheck},
      {"sentence_boundaries", &SentenceBoundaries},
  };
  return targets;
}

}  // namespace vnfacts::fuzz
