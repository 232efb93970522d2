// The JSON form of a fact: the output contract of `vnfacts extract` (one JSON
// object per line) and what the store and the gold files use. Field names are
// documented in the README.
#ifndef VNFACTS_EXTRACTORS_FACT_JSON_H_
#define VNFACTS_EXTRACTORS_FACT_JSON_H_

#include <nlohmann/json.hpp>

#include "pipeline/document.h"

namespace vnfacts {

// The kind-specific fields of a fact (name/titles/org/former, id/type/...).
nlohmann::ordered_json FactValueToJson(const Fact& fact);
// The whole object: doc, kind, text, start, end, raw_start, raw_end,
// sentence, rule, then the kind-specific fields.
nlohmann::ordered_json FactToJson(const Document& doc, const Fact& fact);

}  // namespace vnfacts

#endif  // VNFACTS_EXTRACTORS_FACT_JSON_H_
