// The JSON form of a fact: the output contract of `vnfacts extract` (one JSON
// object per line) and what the store and the gold files use. Field names are
// documented in the README.
#ifndef VNFACTS_EXTRACTORS_FACT_JSON_H_
#define VNFACTS_EXTRACTORS_FACT_JSON_H_

#include <memory>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "pipeline/document.h"

namespace simdjson::dom {
class parser;
}  // namespace simdjson::dom

namespace vnfacts {

// The kind-specific fields of a fact (name/titles/org/former, id/type/...).
nlohmann::ordered_json FactValueToJson(const Fact& fact);
// The same fields as compact JSON text, byte for byte what
// FactValueToJson(fact).dump() gives, written without building the object:
// the store writes one per fact, and the object's allocations were the larger
// part of a worker's cost of preparing an article for the store.
std::string FactValueJsonText(const Fact& fact);
// The same, appended to `*out` (for many facts gathered in one buffer).
void AppendFactValueJson(const Fact& fact, std::string* out);
// The whole object: doc, kind, text, start, end, raw_start, raw_end,
// sentence, rule, then the kind-specific fields.
nlohmann::ordered_json FactToJson(const Document& doc, const Fact& fact);
// FactToJson(doc, fact).dump(), byte for byte, written without building the
// object: `vnfacts extract` writes one per fact, and the object and its dump
// were half of that command's instructions.
std::string FactJsonText(const Document& doc, const Fact& fact);

// The inverse of FactValueToJson: rebuilds a fact's value from its JSON fields
// (used when facts are read back from a database, e.g. by `vnfacts merge`).
// Unknown fields are ignored; missing or mistyped ones are an error.
bool FactValueFromJson(FactKind kind, const nlohmann::json& value, Fact* fact, std::string* error);
// The same from the JSON text, parsed with simdjson: reading facts back
// through nlohmann's tree was 30% of a `vnfacts merge`. It reads every value
// exactly as FactValueFromJson(kind, nlohmann::json::parse(json)) does,
// refusing what that refuses (invalid JSON, not an object, a missing or
// mistyped field); the tests compare the two. Only the wording of the
// reason differs. One simdjson parser is kept from value to value (making
// and freeing one per value was a fifth of reading it), so a reader is not
// shared between threads: one per reader of a database.
class FactValueReader {
 public:
  FactValueReader();
  ~FactValueReader();
  FactValueReader(const FactValueReader&) = delete;
  FactValueReader& operator=(const FactValueReader&) = delete;
  bool Read(FactKind kind, std::string_view json, Fact* fact, std::string* error);

 private:
  std::unique_ptr<simdjson::dom::parser> parser_;
};

}  // namespace vnfacts

#endif  // VNFACTS_EXTRACTORS_FACT_JSON_H_
