#include "pipeline/utf8.h"

#include <simdjson.h>
#include <unicode/uchar.h>
#include <unicode/utf8.h>

namespace vnfacts {

std::optional<size_t> FindInvalidUtf8(std::string_view text) {
  // Nearly all text is valid, and simdjson's vectorized validator says so
  // for a fraction of the walk below (which cost 22 instructions a byte of
  // the segmenter model at every start-up). Its well-formed UTF-8 is ICU's:
  // no overlong forms, surrogates or code points past U+10FFFF (utf8_test
  // compares the two). Only invalid text is walked, for the offset of its
  // first bad sequence.
  if (simdjson::validate_utf8(text.data(), text.size())) return std::nullopt;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  const int32_t length = static_cast<int32_t>(text.size());
  int32_t i = 0;
  while (i < length) {
    // ASCII runs dominate real text; skip them eight bytes at a time.
    while (i + 8 <= length) {
      uint64_t chunk;
      __builtin_memcpy(&chunk, s + i, 8);
      if (chunk & 0x8080808080808080ULL) break;
      i += 8;
    }
    if (i >= length) break;
    const int32_t start = i;
    UChar32 c;
    U8_NEXT(s, i, length, c);
    if (c < 0) return static_cast<size_t>(start);
  }
  return std::nullopt;
}

int32_t NextCodePoint(std::string_view text, size_t* pos) {
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(*pos);
  UChar32 c;
  U8_NEXT(s, i, static_cast<int32_t>(text.size()), c);
  *pos = static_cast<size_t>(i);
  return c;
}

int32_t PreviousCodePoint(std::string_view text, size_t pos) {
  if (pos == 0) return -1;
  const auto* s = reinterpret_cast<const uint8_t*>(text.data());
  int32_t i = static_cast<int32_t>(pos);
  UChar32 c;
  U8_PREV(s, 0, i, c);
  return c;
}

size_t Utf8Length(char32_t c) {
  return c < 0x80 ? 1 : c < 0x800 ? 2 : c < 0x10000 ? 3 : 4;
}

char32_t ToLower(char32_t c) {
  if (c < 0x80) return (c >= 'A' && c <= 'Z') ? c + 32 : c;
  return static_cast<char32_t>(u_tolower(static_cast<UChar32>(c)));
}
char32_t ToUpper(char32_t c) {
  if (c < 0x80) return (c >= 'a' && c <= 'z') ? c - 32 : c;
  return static_cast<char32_t>(u_toupper(static_cast<UChar32>(c)));
}
bool IsUpper(char32_t c) {
  if (c < 0x80) return c >= 'A' && c <= 'Z';
  return u_isupper(static_cast<UChar32>(c));
}
bool IsLower(char32_t c) {
  if (c < 0x80) return c >= 'a' && c <= 'z';
  return u_islower(static_cast<UChar32>(c));
}
bool IsLetter(char32_t c) {
  if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
  return u_isalpha(static_cast<UChar32>(c));
}
bool IsDigit(char32_t c) { return c >= '0' && c <= '9'; }

std::string ToLowerUtf8(std::string_view text) {
  std::string out;
  out.reserve(text.size());
  size_t pos = 0;
  while (pos < text.size()) {
    const int32_t c = NextCodePoint(text, &pos);
    if (c < 0) continue;
    AppendUtf8(ToLower(static_cast<char32_t>(c)), &out);
  }
  return out;
}

}  // namespace vnfacts
