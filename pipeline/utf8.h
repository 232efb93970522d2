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

// Decodes the code point that ends just before `pos` (pos > 0), or -1.
int32_t PreviousCodePoint(std::string_view text, size_t pos);

void AppendUtf8(char32_t c, std::string* out);
size_t Utf8Length(char32_t c);

// Lower/upper case of one code point (ICU simple case mapping).
char32_t ToLower(char32_t c);
char32_t ToUpper(char32_t c);
bool IsUpper(char32_t c);
bool IsLower(char32_t c);
bool IsLetter(char32_t c);
bool IsDigit(char32_t c);

// Lower-cases a UTF-8 string code point by code point.
std::string ToLowerUtf8(std::string_view text);

}  // namespace vnfacts

#endif  // VNFACTS_PIPELINE_UTF8_H_
