// How findings of `vnfacts check` are written: JSON (the contract: kind,
// stated, computed, unit, values, articles, evidence), a readable text report,
// and one self-contained HTML page in which every article text is escaped and
// the numbers involved are highlighted in their sentences.
#ifndef VNFACTS_PIPELINE_CHECK_REPORT_H_
#define VNFACTS_PIPELINE_CHECK_REPORT_H_

#include <nlohmann/json.hpp>
#include <ostream>
#include <string>
#include <vector>

#include "pipeline/figure_checker.h"

namespace vnfacts {

nlohmann::ordered_json FindingToJson(const Finding& finding);
void WriteFindingsJson(const std::vector<Finding>& findings, std::ostream& out);
void WriteFindingsText(const std::vector<Finding>& findings, std::ostream& out);
void WriteFindingsHtml(const std::vector<Finding>& findings, std::ostream& out);
std::string EscapeHtml(std::string_view text);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_CHECK_REPORT_H_
