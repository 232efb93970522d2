#include "pipeline/check_report.h"

#include <map>

namespace vnfacts {
namespace {

nlohmann::ordered_json Number(double v) {
  if (v == static_cast<double>(static_cast<int64_t>(v)) && v < 9e15 && v > -9e15) {
    return static_cast<int64_t>(v);
  }
  return v;
}

// The sentence with `text` highlighted at its first occurrence.
std::string HighlightHtml(const std::string& sentence, const std::string& text) {
  const size_t at = text.empty() ? std::string::npos : sentence.find(text);
  if (at == std::string::npos) return EscapeHtml(sentence);
  return EscapeHtml(sentence.substr(0, at)) + "<mark>" + EscapeHtml(text) + "</mark>" +
         EscapeHtml(sentence.substr(at + text.size()));
}

}  // namespace

std::string EscapeHtml(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  for (char c : text) {
    switch (c) {
      case '&': out += "&amp;"; break;
      case '<': out += "&lt;"; break;
      case '>': out += "&gt;"; break;
      case '"': out += "&quot;"; break;
      case '\'': out += "&#39;"; break;
      default: out += c;
    }
  }
  return out;
}

nlohmann::ordered_json FindingToJson(const Finding& f) {
  nlohmann::ordered_json j;
  j["kind"] = f.kind;
  j["stated"] = Number(f.stated);
  j["computed"] = f.computed ? Number(*f.computed) : nlohmann::ordered_json(nullptr);
  j["unit"] = f.unit;
  j["values"] = nlohmann::ordered_json::array();
  for (double v : f.values) j["values"].push_back(Number(v));
  j["articles"] = f.articles;
  j["explanation"] = f.explanation;
  j["evidence"] = nlohmann::ordered_json::array();
  for (const FigureEvidence& e : f.evidence) {
    nlohmann::ordered_json ej;
    ej["role"] = e.role;
    ej["value"] = Number(e.value);
    ej["text"] = e.text;
    ej["article"] = e.article;
    ej["published"] = e.published ? nlohmann::ordered_json(*e.published) : nlohmann::ordered_json(nullptr);
    ej["sentence"] = e.sentence;
    ej["raw_start"] = e.raw_begin;
    ej["raw_end"] = e.raw_end;
    j["evidence"].push_back(std::move(ej));
  }
  return j;
}

void WriteFindingsJson(const std::vector<Finding>& findings, std::ostream& out) {
  nlohmann::ordered_json all = nlohmann::ordered_json::array();
  for (const Finding& f : findings) all.push_back(FindingToJson(f));
  out << all.dump(2) << "\n";
}

void WriteFindingsText(const std::vector<Finding>& findings, std::ostream& out) {
  std::map<std::string, int> counts;
  for (const Finding& f : findings) ++counts[f.kind];
  out << findings.size() << " findings";
  for (const auto& [kind, n] : counts) out << (kind == counts.begin()->first ? ": " : ", ") << kind << " " << n;
  out << "\n";
  int index = 0;
  for (const Finding& f : findings) {
    out << "\n[" << ++index << "] " << f.kind << "  " << f.explanation << "\n";
    for (const FigureEvidence& e : f.evidence) {
      out << "    " << e.role << " " << e.text << "  (" << e.article;
      if (e.published) out << ", " << *e.published;
      out << ", bytes " << e.raw_begin << "-" << e.raw_end << ")\n";
      out << "      \"" << e.sentence << "\"\n";
    }
  }
}

void WriteFindingsHtml(const std::vector<Finding>& findings, std::ostream& out) {
  out << "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
         "<title>vnfacts check</title><style>"
         "body{font-family:sans-serif;max-width:60em;margin:2em auto;line-height:1.45}"
         "section{border:1px solid #ccc;border-radius:6px;padding:.6em 1em;margin:1em 0}"
         ".sum_mismatch,.percent_mismatch,.conflict,.series_decrease{border-left:6px solid #c0392b}"
         ".sum_ok,.percent_ok{border-left:6px solid #27ae60}"
         "mark{background:#ffe58a;padding:0 .15em}"
         "blockquote{margin:.3em 0 .8em 1em;color:#333}.src{color:#666;font-size:.9em}"
         "</style></head><body>\n<h1>vnfacts check</h1>\n";
  out << "<p>" << findings.size() << " findings.</p>\n";
  for (const Finding& f : findings) {
    out << "<section class=\"" << EscapeHtml(f.kind) << "\"><h2>" << EscapeHtml(f.kind) << "</h2><p>"
        << EscapeHtml(f.explanation) << "</p>\n";
    for (const FigureEvidence& e : f.evidence) {
      out << "<div class=\"src\">" << EscapeHtml(e.role) << " <b>" << EscapeHtml(e.text) << "</b> &mdash; "
          << EscapeHtml(e.article);
      if (e.published) out << ", " << EscapeHtml(*e.published);
      out << ", bytes " << e.raw_begin << "&ndash;" << e.raw_end << "</div>\n<blockquote>"
          << HighlightHtml(e.sentence, e.text) << "</blockquote>\n";
    }
    out << "</section>\n";
  }
  out << "</body></html>\n";
}

}  // namespace vnfacts
