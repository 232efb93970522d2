#include "extractors/fact_json.h"

#include <cmath>

namespace vnfacts {
namespace {

template <typename T>
nlohmann::ordered_json OrNull(const std::optional<T>& v) {
  return v ? nlohmann::ordered_json(*v) : nlohmann::ordered_json(nullptr);
}

struct ValueWriter {
  nlohmann::ordered_json* out;
  void operator()(const OfficialFact& f) const {
    (*out)["name"] = f.name;
    (*out)["titles"] = f.titles;
    (*out)["org"] = OrNull(f.org);
    (*out)["former"] = f.former;
    if (!f.ranks.empty()) (*out)["ranks"] = f.ranks;
  }
  void operator()(const DocumentFact& f) const {
    (*out)["id"] = f.id;
    (*out)["type"] = f.type;
    (*out)["number"] = f.number;
    (*out)["issuer_code"] = f.issuer_code;
    (*out)["issued"] = OrNull(f.issued);
    (*out)["issuer"] = OrNull(f.issuer);
    (*out)["term"] = OrNull(f.term);
    (*out)["subject"] = OrNull(f.subject);
    (*out)["back_reference"] = f.back_reference;
  }
  void operator()(const QuantityFact& f) const {
    // Whole numbers print as integers (15295, not 15295.0).
    if (std::isfinite(f.value) && f.value == std::floor(f.value) && std::fabs(f.value) < 9.0e15) {
      (*out)["value"] = static_cast<int64_t>(f.value);
    } else {
      (*out)["value"] = f.value;
    }
    (*out)["unit"] = f.unit;
    (*out)["approx"] = std::string(ApproxName(f.approx));
    (*out)["decimals"] = f.decimals;
    (*out)["of"] = OrNull(f.of);
  }
  void operator()(const DateFact& f) const {
    (*out)["value"] = f.value;
    (*out)["inferred"] = f.inferred;
  }
  void operator()(const TermFact& f) const {
    (*out)["value"] = f.value;
    (*out)["label"] = f.label;
    (*out)["period"] = OrNull(f.period);
  }
};

}  // namespace

nlohmann::ordered_json FactValueToJson(const Fact& fact) {
  nlohmann::ordered_json out = nlohmann::ordered_json::object();
  std::visit(ValueWriter{&out}, fact.value);
  return out;
}

nlohmann::ordered_json FactToJson(const Document& doc, const Fact& fact) {
  nlohmann::ordered_json out;
  out["doc"] = doc.source;
  out["kind"] = std::string(FactKindName(fact.kind));
  out["text"] = std::string(doc.Slice(fact.begin, fact.end));
  out["start"] = fact.begin;
  out["end"] = fact.end;
  out["raw_start"] = doc.offsets.ToRaw(fact.begin);
  out["raw_end"] = doc.offsets.ToRawEnd(fact.end);
  out["sentence"] = fact.sentence;
  out["rule"] = fact.rule;
  // The value object must outlive the loop: items() only refers into it.
  const nlohmann::ordered_json value = FactValueToJson(fact);
  for (const auto& [key, field] : value.items()) out[key] = field;
  return out;
}

bool FactValueFromJson(FactKind kind, const nlohmann::json& v, Fact* fact, std::string* error) {
  auto optional_string = [&](const char* key) -> std::optional<std::string> {
    if (!v.contains(key) || v[key].is_null()) return std::nullopt;
    return v[key].get<std::string>();
  };
  try {
    fact->kind = kind;
    switch (kind) {
      case FactKind::kOfficial: {
        OfficialFact o;
        o.name = v.at("name").get<std::string>();
        o.titles = v.at("titles").get<std::vector<std::string>>();
        o.org = optional_string("org");
        o.former = v.value("former", false);
        if (v.contains("ranks")) o.ranks = v["ranks"].get<std::vector<std::string>>();
        fact->value = std::move(o);
        break;
      }
      case FactKind::kDocument: {
        DocumentFact d;
        d.id = v.at("id").get<std::string>();
        d.type = v.at("type").get<std::string>();
        d.number = v.at("number").get<std::string>();
        d.issuer_code = v.at("issuer_code").get<std::string>();
        d.issued = optional_string("issued");
        d.issuer = optional_string("issuer");
        d.term = optional_string("term");
        d.subject = optional_string("subject");
        d.back_reference = v.value("back_reference", false);
        fact->value = std::move(d);
        break;
      }
      case FactKind::kQuantity: {
        QuantityFact q;
        q.value = v.at("value").get<double>();
        q.unit = v.at("unit").get<std::string>();
        const std::string approx = v.value("approx", std::string("exact"));
        for (Approx a : {Approx::kExact, Approx::kOver, Approx::kUnder, Approx::kAbout}) {
          if (ApproxName(a) == approx) q.approx = a;
        }
        q.decimals = v.value("decimals", 0);
        q.of = optional_string("of");
        fact->value = std::move(q);
        break;
      }
      case FactKind::kDate: {
        DateFact d;
        d.value = v.at("value").get<std::string>();
        d.inferred = v.value("inferred", false);
        fact->value = std::move(d);
        break;
      }
      case FactKind::kTerm: {
        TermFact t;
        t.value = v.at("value").get<int>();
        t.label = v.at("label").get<std::string>();
        t.period = optional_string("period");
        fact->value = std::move(t);
        break;
      }
    }
    return true;
  } catch (const nlohmann::json::exception& e) {
    if (error) *error = e.what();
    return false;
  }
}

}  // namespace vnfacts
