// Roman numerals as Vietnamese party terms and quarters write them (khóa XII,
// quý III): shared by the tokenizer, which keeps them whole, and the
// extractors, which read their value.
#ifndef VNFACTS_PIPELINE_ROMAN_NUMERAL_H_
#define VNFACTS_PIPELINE_ROMAN_NUMERAL_H_

#include <optional>
#include <string>
#include <string_view>

namespace vnfacts {

// The value of a Roman numeral written in capitals in its canonical form (XII,
// XIV, not IIII or VX), 1..3999; nothing for anything else.
std::optional<int> ParseRomanNumeral(std::string_view text);
// The canonical capital spelling of 1..3999 (14 -> XIV); empty outside.
std::string FormatRomanNumeral(int value);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_ROMAN_NUMERAL_H_
