// UTF-8 helpers shared by every stage. Decoding uses ICU's U8_NEXT so that
// overlong forms, surrogates and truncated sequences are rejected exactly as ICU
// rejects them; the first invalid byte offset is what error messages cite.
#ifndef VNFACTS_PIPELINE_UTF8_H_
#define VNFACTS_PIPELINE_UTF8_H_

#include <cstddef>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace vnfacts {

// Offset of the first byte that does not start a valid UTF-8 sequence, or
// nullopt when the whole text is valid. NUL bytes are valid UTF-8 here; callers
// that treat them as binary check for them separately.
std::optional<size_t> FindInvalidUtf8(std::string_view text);

// Decodes the code point at `*pos` and advances `*pos`. Returns a negative
// value for an invalid sequence (and still advances past at least one byte).
int32_t NextCodePoint(std::string_view text, size_t* pos);

// NextCodePoint() for the hot loops of the text layer: the one- to
// three-byte forms (every Vietnamese letter) are decoded inline with the same
// validity checks (no overlong forms, no surrogates); anything else, invalid
// sequences included, goes to NextCodePoint(). Same results, same advance.
[[gnu::always_inline]] inline int32_t DecodeNext(std::string_view text, size_t* pos) {
  const size_t p = *pos;
  const auto* s = reinterpret_cast<const unsigned char*>(text.data());
  const unsigned char b = s[p];
  if (b < 0x80) {
    *pos = p + 1;
    return b;
  }
  if (b >= 0xC2 && b < 0xE0 && p + 1 < text.size() && (s[p + 1] & 0xC0) == 0x80) {
    *pos = p + 2;
    return ((b & 0x1F) << 6) | (s[p + 1] & 0x3F);
  }
  if ((b & 0xF0) == 0xE0 && p + 2 < text.size() && (s[p + 1] & 0xC0) == 0x80 &&
      (s[p + 2] & 0xC0) == 0x80) {
    const int32_t c = ((b & 0x0F) << 12) | ((s[p + 1] & 0x3F) << 6) | (s[p + 2] & 0x3F);
    if (c >= 0x800 && (c < 0xD800 || c > 0xDFFF)) {
      *pos = p + 3;
      return c;
    }
  }
  // Through a local: a position whose address reaches the call would live
  // in memory in every caller's loop, not in a register.
  size_t at = p;
  const int32_t c = NextCodePoint(text, &at);
  *pos = at;
  return c;
}

// Decodes the code point that ends just before `pos` (pos > 0), or -1.
int32_t PreviousCodePoint(std::string_view text, size_t pos);

// Writes the UTF-8 bytes of `c` at `out`, which has room for four, and
// returns how many: for callers that gather several characters before one
// append.
inline size_t EncodeUtf8(char32_t c, char* out) {
  if (c < 0x80) {
    out[0] = static_cast<char>(c);
    return 1;
  }
  if (c < 0x800) {
    out[0] = static_cast<char>(0xC0 | (c >> 6));
    out[1] = static_cast<char>(0x80 | (c & 0x3F));
    return 2;
  }
  if (c < 0x10000) {
    out[0] = static_cast<char>(0xE0 | (c >> 12));
    out[1] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
    out[2] = static_cast<char>(0x80 | (c & 0x3F));
    return 3;
  }
  out[0] = static_cast<char>(0xF0 | (c >> 18));
  out[1] = static_cast<char>(0x80 | ((c >> 12) & 0x3F));
  out[2] = static_cast<char>(0x80 | ((c >> 6) & 0x3F));
  out[3] = static_cast<char>(0x80 | (c & 0x3F));
  return 4;
}

inline void AppendUtf8(char32_t c, std::string* out) {
  char bytes[4];
  out->append(bytes, EncodeUtf8(c, bytes));
}
size_t Utf8Length(char32_t c);

// Lower/upper case of one code point (ICU simple case mapping).
char32_t ToLower(char32_t c);
char32_t ToUpper(char32_t c);
bool IsUpper(char32_t c);
bool IsLower(char32_t c);
bool IsLetter(char32_t c);
bool IsDigit(char32_t c);
// One byte of UTF-8 text that is an ASCII digit; inline, for byte scans.
inline bool IsAsciiDigit(char c) { return c >= '0' && c <= '9'; }

// Lower-cases a UTF-8 string code point by code point.
std::string ToLowerUtf8(std::string_view text);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_UTF8_H_
