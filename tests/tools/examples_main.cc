// Drives the example corpora (Duckling style). Each file holds rows
// `expected<TAB>input`; a header comment may fix the article date:
//   # date: 2024-06-28
// Modes:
//   normalize  FILE  expected is the normalized text of input
//   tokenize   FILE  expected is the `vnfacts tokenize` line for input
//   check      FILE  each row is a one-line article; expected is a JSON object
//                    with the fields of the one finding of its kind that
//                    `vnfacts check` must yield (.negative.txt: rows that
//                    yield no finding at all)
//   fact KIND  FILE  expected is a JSON object: the fields that the single fact
//                    of KIND covering the whole input must have (a subset of
//                    its value fields); a file ending in .negative.txt holds
//                    inputs that must yield no fact of KIND at all. When the
//                    fact needs context, `[[` and `]]` in the input mark its
//                    span, and only that span must be covered.
// Prints every failing row, then "N passed, N failed"; exits 1 on failure.
#include <algorithm>
#include <cmath>
#include <fstream>
#include <iostream>
#include <optional>
#include <sstream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "extractors/extractor.h"
#include "extractors/fact_json.h"
#include "pipeline/check_report.h"
#include "pipeline/commands.h"
#include "pipeline/figure_checker.h"
#include "pipeline/lexicon.h"
#include "pipeline/text_pipeline.h"

namespace {

using vnfacts::Document;

std::string TokenLine(const Document& doc) {
  std::string line;
  for (const auto& w : doc.words) {
    if (!line.empty()) line += ' ';
    for (uint32_t t = w.first_token; t < w.end_token; ++t) {
      if (t != w.first_token) line += '_';
      line += doc.TokenText(doc.tokens[t]);
    }
  }
  return line;
}

std::string Trim(std::string s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\r' || s.back() == '\n')) s.pop_back();
  size_t b = s.find_first_not_of(' ');
  return b == std::string::npos ? std::string() : s.substr(b);
}

}  // namespace

int main(int argc, char** argv) {
  if (argc < 3) {
    std::cerr << "usage: examples_test normalize|tokenize|check FILE | fact KIND FILE\n";
    return 2;
  }
  const std::string mode = argv[1];
  const std::string kind_name = mode == "fact" && argc >= 4 ? argv[2] : "";
  const std::string path = mode == "fact" ? (argc >= 4 ? argv[3] : "") : argv[2];
  const bool negative = path.size() > 13 && path.substr(path.size() - 13) == ".negative.txt";

  auto pipeline = vnfacts::TextPipeline::Create({});
  if (!pipeline.ok()) {
    std::cerr << pipeline.status().message() << "\n";
    return 2;
  }
  auto extractors = vnfacts::ExtractorSet::Create(vnfacts::DefaultLexiconDir());
  if (!extractors.ok()) {
    std::cerr << extractors.status().message() << "\n";
    return 2;
  }
  std::optional<vnfacts::FactKind> kind;
  if (mode == "fact") {
    kind = vnfacts::ParseFactKind(kind_name);
    if (!kind) {
      std::cerr << "unknown fact kind " << kind_name << "\n";
      return 2;
    }
  }

  std::optional<vnfacts::FigureChecker> checker;
  if (mode == "check") {
    auto created = vnfacts::FigureChecker::Create(vnfacts::DefaultLexiconDir());
    if (!created.ok()) {
      std::cerr << created.status().message() << "\n";
      return 2;
    }
    checker.emplace(std::move(created).value());
  }

  std::ifstream in(path);
  if (!in) {
    std::cerr << path << ": cannot open\n";
    return 2;
  }
  std::optional<vnfacts::CivilDate> date;
  int passed = 0, failed = 0, line_number = 0;
  std::string line;
  while (std::getline(in, line)) {
    ++line_number;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.rfind("# date:", 0) == 0) {
      date = vnfacts::ParseIsoDate(Trim(line.substr(7)));
      continue;
    }
    if (Trim(line).empty() || line[0] == '#') continue;
    std::string expected, input;
    if (negative) {
      input = line;
    } else {
      size_t tab = line.find('\t');
      if (tab == std::string::npos) {
        std::cerr << path << ":" << line_number << ": no TAB between expected and input\n";
        ++failed;
        continue;
      }
      expected = line.substr(0, tab);
      input = line.substr(tab + 1);
    }
    // Raw byte span the fact must cover: the [[marked]] part, or all of it.
    std::optional<std::pair<uint32_t, uint32_t>> marked;
    if (const size_t open = input.find("[["); mode == "fact" && open != std::string::npos) {
      const size_t close = input.find("]]", open);
      if (close == std::string::npos) {
        std::cerr << path << ":" << line_number << ": '[[' without ']]'\n";
        ++failed;
        continue;
      }
      input = input.substr(0, open) + input.substr(open + 2, close - open - 2) +
              input.substr(close + 2);
      marked = std::make_pair(static_cast<uint32_t>(open), static_cast<uint32_t>(close - 2));
    }
    Document doc;
    doc.source = path + ":" + std::to_string(line_number);
    doc.raw = input;
    doc.reference_date = date;
    vnfacts::Status status = pipeline->Process(&doc);
    std::string problem;
    if (!status.ok()) {
      problem = status.message();
    } else if (mode == "normalize") {
      if (doc.text != expected) problem = "got '" + doc.text + "'";
    } else if (mode == "tokenize") {
      std::string got = TokenLine(doc);
      if (got != expected) problem = "got '" + got + "'";
    } else if (mode == "check") {
      extractors->Extract(&doc);
      std::vector<vnfacts::Finding> findings;
      checker->CheckArticle(vnfacts::StoredArticle::FromDocument(doc, "row"), &findings);
      checker->FinishAcrossArticles(&findings);  // one article: nothing to compare, clears it
      if (negative) {
        if (!findings.empty()) {
          problem = "expected no finding, got " + vnfacts::FindingToJson(findings[0]).dump();
        }
      } else {
        nlohmann::json want = nlohmann::json::parse(expected, nullptr, false);
        std::vector<const vnfacts::Finding*> of_kind;
        if (want.is_object() && want.contains("kind")) {
          for (const auto& f : findings) {
            if (f.kind == want["kind"]) of_kind.push_back(&f);
          }
        }
        if (!want.is_object() || !want.contains("kind")) {
          problem = "expected field is not a JSON object with a kind";
        } else if (of_kind.size() != 1 ||
                   std::any_of(findings.begin(), findings.end(), [&](const vnfacts::Finding& f) {
                     return f.kind != want["kind"] && f.kind.find("_ok") == std::string::npos;
                   })) {
          // Beside the expected finding a row may confirm other figures, but
          // raise no other alarm: a stray mismatch is a false one.
          problem = "expected exactly one " + want["kind"].get<std::string>() +
                    " finding and no other alarm, got " + std::to_string(findings.size()) +
                    " findings";
          for (const auto& f : findings) problem += "\n    " + f.kind + ": " + f.explanation;
        } else {
          nlohmann::json got = nlohmann::json::parse(vnfacts::FindingToJson(*of_kind[0]).dump());
          for (auto& [key, value] : want.items()) {
            const bool numbers_match = value.is_number() && got[key].is_number() &&
                                       std::abs(value.get<double>() - got[key].get<double>()) < 1e-6;
            if (!got.contains(key) || (got[key] != value && !numbers_match)) {
              problem = "field '" + key + "': want " + value.dump() + ", got " +
                        (got.contains(key) ? got[key].dump() : "nothing") + ": " +
                        of_kind[0]->explanation;
              break;
            }
          }
        }
      }
    } else {
      extractors->Extract(&doc);
      std::vector<const vnfacts::Fact*> of_kind;
      for (const auto& f : doc.facts) {
        if (f.kind == *kind) of_kind.push_back(&f);
      }
      if (negative) {
        if (!of_kind.empty()) {
          problem = "expected no " + kind_name + " fact, got " +
                    vnfacts::FactToJson(doc, *of_kind[0]).dump();
        }
      } else {
        nlohmann::json want = nlohmann::json::parse(expected, nullptr, false);
        const std::string whole = Trim(doc.text);
        const uint32_t begin = static_cast<uint32_t>(doc.text.find_first_not_of(' '));
        const uint32_t end = begin + static_cast<uint32_t>(whole.size());
        if (want.is_discarded() || !want.is_object()) {
          problem = "expected field is not a JSON object";
        } else if (of_kind.size() != 1) {
          problem = "expected exactly one " + kind_name + " fact, got " +
                    std::to_string(of_kind.size());
          for (const auto* f : of_kind) problem += "\n    " + vnfacts::FactToJson(doc, *f).dump();
        } else if (marked ? (doc.offsets.ToRaw(of_kind[0]->begin) != marked->first ||
                             doc.offsets.ToRawEnd(of_kind[0]->end) != marked->second)
                          : (of_kind[0]->begin != begin || of_kind[0]->end != end)) {
          problem = std::string(marked ? "fact does not cover the [[marked]] span: "
                                       : "fact does not cover the whole input: ") +
                    vnfacts::FactToJson(doc, *of_kind[0]).dump();
        } else {
          nlohmann::json got = nlohmann::json::parse(vnfacts::FactValueToJson(*of_kind[0]).dump());
          for (auto& [key, value] : want.items()) {
            if (!got.contains(key) || got[key] != value) {
              problem = "field '" + key + "': want " + value.dump() + ", got " +
                        (got.contains(key) ? got[key].dump() : "nothing") + " in " + got.dump();
              break;
            }
          }
        }
      }
    }
    if (problem.empty()) {
      ++passed;
    } else {
      ++failed;
      std::cout << path << ":" << line_number << ": " << input << "\n    " << problem << "\n";
    }
  }
  if (passed + failed == 0) {
    std::cout << path << ": no examples\n";
    failed = 1;
  }
  std::cout << passed << " passed, " << failed << " failed\n";
  return failed == 0 ? 0 : 1;
}
