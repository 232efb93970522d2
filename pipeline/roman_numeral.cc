#include "pipeline/roman_numeral.h"

#include <string>
#include <utility>

namespace vnfacts {

std::optional<int> ParseRomanNumeral(std::string_view text) {
  if (text.empty() || text.size() > 15) return std::nullopt;
  auto digit = [](char c) {
    switch (c) {
      case 'I': return 1;
      case 'V': return 5;
      case 'X': return 10;
      case 'L': return 50;
      case 'C': return 100;
      case 'D': return 500;
      case 'M': return 1000;
      default: return 0;
    }
  };
  int value = 0;
  for (size_t i = 0; i < text.size(); ++i) {
    const int d = digit(text[i]);
    if (d == 0) return std::nullopt;
    const int next = i + 1 < text.size() ? digit(text[i + 1]) : 0;
    value += next > d ? -d : d;
  }
  if (value < 1 || value > 3999) return std::nullopt;
  // Only the canonical spelling counts, so "IIII" or "VX" are not numerals.
  if (FormatRomanNumeral(value) != text) return std::nullopt;
  return value;
}

std::string FormatRomanNumeral(int value) {
  if (value < 1 || value > 3999) return {};
  static constexpr std::pair<int, std::string_view> kParts[] = {
      {1000, "M"}, {900, "CM"}, {500, "D"}, {400, "CD"}, {100, "C"}, {90, "XC"}, {50, "L"},
      {40, "XL"},  {10, "X"},   {9, "IX"},  {5, "V"},    {4, "IV"},  {1, "I"}};
  std::string canonical;
  int rest = value;
  for (const auto& [v, s] : kParts) {
    while (rest >= v) {
      canonical += s;
      rest -= v;
    }
  }
  return canonical;
}

}  // namespace vnfacts
