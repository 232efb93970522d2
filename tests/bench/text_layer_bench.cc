// Throughput of each stage of the text layer and of the extractors, per core,
// on a multi-megabyte input made at start-up by repeating the bundled sample
// articles (corpus/articles). Reports MB/s (bytes_per_second) and tokens/s.
//
//   build/tests/bench/text_layer_bench --benchmark_min_time=2
//
// Set VNFACTS_BENCH_MB to change the input size (default 16).
#include <benchmark/benchmark.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <sstream>

#include "extractors/extractor.h"
#include "pipeline/lexicon.h"
#include "pipeline/store.h"
#include "pipeline/text_pipeline.h"

namespace {

namespace fs = std::filesystem;

// The bundled sample articles, each as one string.
const std::vector<std::string>& Articles() {
  static const std::vector<std::string> articles = [] {
    std::vector<std::string> articles;
    const fs::path dir = fs::path(VNFACTS_SOURCE_DIR) / "corpus" / "articles";
    std::error_code ec;
    for (const auto& entry : fs::directory_iterator(dir, ec)) {
      if (entry.path().extension() != ".txt") continue;
      std::ifstream in(entry.path(), std::ios::binary);
      std::stringstream s;
      s << in.rdbuf();
      articles.push_back(s.str());
    }
    if (articles.empty()) {
      std::cerr << "no sample articles in " << dir << "\n";
      std::exit(1);
    }
    return articles;
  }();
  return articles;
}

size_t TargetBytes() {
  const char* mb = std::getenv("VNFACTS_BENCH_MB");
  return (mb ? std::strtoul(mb, nullptr, 10) : 16) << 20;
}

// The sample articles repeated to TargetBytes(), as one text.
const std::string& Input() {
  static const std::string input = [] {
    std::string text;
    while (text.size() < TargetBytes()) {
      for (const auto& a : Articles()) text += a + "\n";
    }
    return text;
  }();
  return input;
}

const vnfacts::TextPipeline& Pipeline() {
  static const vnfacts::TextPipeline pipeline = [] {
    auto p = vnfacts::TextPipeline::Create({});
    if (!p.ok()) {
      std::cerr << p.status().message() << "\n";
      std::exit(1);
    }
    return std::move(p).value();
  }();
  return pipeline;
}

// A document that has been through the stages before `stage`.
vnfacts::Document Prepared(int stages) {
  vnfacts::Document doc;
  doc.source = "bench";
  doc.raw = Input();
  const auto& p = Pipeline();
  if (stages > 0) (void)p.normalizer().Normalize(&doc);
  if (stages > 1) p.splitter().Split(&doc);
  if (stages > 2) p.tokenizer().Tokenize(&doc);
  if (stages > 3) p.segmenter().Segment(&doc);
  return doc;
}

void Report(benchmark::State& state, const vnfacts::Document& doc) {
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations()) *
                          static_cast<int64_t>(doc.raw.size()));
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(doc.tokens.size()) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_Normalize(benchmark::State& state) {
  vnfacts::Document doc = Prepared(0);
  for (auto _ : state) {
    (void)Pipeline().normalizer().Normalize(&doc);
    benchmark::DoNotOptimize(doc.text.data());
  }
  vnfacts::Document counted = Prepared(3);
  Report(state, counted);
}

void BM_SplitSentences(benchmark::State& state) {
  vnfacts::Document doc = Prepared(1);
  for (auto _ : state) Pipeline().splitter().Split(&doc);
  Report(state, Prepared(3));
}

void BM_Tokenize(benchmark::State& state) {
  vnfacts::Document doc = Prepared(2);
  for (auto _ : state) Pipeline().tokenizer().Tokenize(&doc);
  Report(state, doc);
}

void BM_SegmentWords(benchmark::State& state) {
  vnfacts::Document doc = Prepared(3);
  for (auto _ : state) Pipeline().segmenter().Segment(&doc);
  Report(state, doc);
}

void BM_WholeTextLayer(benchmark::State& state) {
  vnfacts::Document doc;
  doc.source = "bench";
  doc.raw = Input();
  for (auto _ : state) (void)Pipeline().Process(&doc);
  Report(state, doc);
}

// The same text layer over the same number of bytes, but article by article
// with a fresh Document each, as `vnfacts run` and `extract` feed it. A
// 16 MB document streams every stage's arrays through memory; an article's
// stay in cache, so this is the figure a run sees.
void BM_WholeTextLayerPerArticle(benchmark::State& state) {
  const auto& articles = Articles();
  size_t bytes = 0, tokens = 0;
  for (auto _ : state) {
    bytes = tokens = 0;
    while (bytes < TargetBytes()) {
      for (const std::string& article : articles) {
        vnfacts::Document doc;
        doc.source = "bench";
        doc.raw = article;
        (void)Pipeline().Process(&doc);
        benchmark::DoNotOptimize(doc.words.data());
        bytes += article.size();
        tokens += doc.tokens.size();
      }
    }
  }
  state.SetBytesProcessed(static_cast<int64_t>(state.iterations() * bytes));
  state.counters["tokens/s"] = benchmark::Counter(
      static_cast<double>(tokens) * static_cast<double>(state.iterations()),
      benchmark::Counter::kIsRate);
}

void BM_Extractor(benchmark::State& state) {
  auto set = vnfacts::ExtractorSet::Create(vnfacts::DefaultLexiconDir());
  if (!set.ok()) {
    state.SkipWithError(set.status().message().c_str());
    return;
  }
  const auto& extractor = *set->extractors()[static_cast<size_t>(state.range(0))];
  state.SetLabel(std::string(extractor.name()));
  vnfacts::Document doc = Prepared(4);
  std::vector<vnfacts::Fact> facts;
  for (auto _ : state) {
    facts.clear();
    extractor.Extract(doc, &facts);
  }
  Report(state, doc);
  state.counters["facts"] = static_cast<double>(facts.size());
}

void BM_AllExtractors(benchmark::State& state) {
  auto set = vnfacts::ExtractorSet::Create(vnfacts::DefaultLexiconDir());
  if (!set.ok()) {
    state.SkipWithError(set.status().message().c_str());
    return;
  }
  vnfacts::Document doc = Prepared(4);
  for (auto _ : state) set->Extract(&doc);
  Report(state, doc);
  state.counters["facts"] = static_cast<double>(doc.facts.size());
}

// What a worker does for the store after extraction: the stored form of the
// article, with every sentence folded for the search index and every fact's
// value as JSON text.
void BM_PrepareForStore(benchmark::State& state) {
  auto set = vnfacts::ExtractorSet::Create(vnfacts::DefaultLexiconDir());
  if (!set.ok()) {
    state.SkipWithError(set.status().message().c_str());
    return;
  }
  vnfacts::Document doc = Prepared(4);
  set->Extract(&doc);
  for (auto _ : state) {
    vnfacts::StoredArticle stored = vnfacts::StoredArticle::FromDocument(doc, "hash");
    benchmark::DoNotOptimize(stored.facts.data());
  }
  Report(state, doc);
  state.counters["facts"] = static_cast<double>(doc.facts.size());
}

BENCHMARK(BM_Normalize)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SplitSentences)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Tokenize)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SegmentWords)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WholeTextLayer)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_WholeTextLayerPerArticle)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_Extractor)->DenseRange(0, 3)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_AllExtractors)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_PrepareForStore)->Unit(benchmark::kMillisecond);

}  // namespace

BENCHMARK_MAIN();
